// Aging by customer + DSO + CEI over a generated book: ar's bulk path against
// a decimal.js implementation of the same report, both starting from the same
// arrays of plain records, run in the same process and checked to give the
// same figures. ar is timed twice: from the records, and from the same tables
// as columns (`{id: [...], customer: [...], ...}`, made before timing).
//
//   node benches/node/bench_aging.mjs [INVOICES] [--repeat N] [--shape second]
//
// The book comes from the Rust generator (`cargo run --release -p ar-benches
// --bin export`), written once into target/bench-data/INVOICES/. The second
// shape is the same book as another system exports it: a currency on every
// invoice (two currencies, by customer), credit memos among the settlements
// with a `kind` (every fifth settlement), and the aging by customer and
// currency, DSO and CEI per currency.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import assert from 'node:assert/strict';

import Decimal from 'decimal.js';
import * as ar from '../../ar-node/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 100000);
const repeatAt = args.indexOf('--repeat');
const repeat = repeatAt >= 0 ? Number(args[repeatAt + 1]) : 3;
const second = args.includes('second');
const AS_OF = '2026-10-31';
const START = '2026-08-01';
const END = '2026-10-31';
const BOUNDS = [0, 30, 60, 90, 120];
const LABELS = ['current', '1-30', '31-60', '61-90', '91-120', 'over 120'];

function bookDir() {
  const dir = join(root, 'target', 'bench-data', String(n));
  if (!existsSync(join(dir, 'invoices.csv'))) {
    execFileSync('cargo', ['run', '--release', '-q', '-p', 'ar-benches', '--bin', 'export', '--', dir, String(n)], { cwd: root, stdio: 'inherit' });
  }
  return dir;
}

function records(file) {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const keys = header.split(',').map((k) => (k === 'due_date' ? 'dueDate' : k));
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [keys[i], v])));
}

const DAY = 86400000;
const dayNumber = (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY;

/** The invoices issued by `day`, each with what the settlements by then left open of it. */
function openInvoices(t, day) {
  const settled = new Map();
  for (const s of t.settlements) {
    if (s.date <= day) settled.set(s.invoice, (settled.get(s.invoice) ?? new Decimal(0)).plus(s.amount));
  }
  const open = [];
  for (const inv of t.invoices) {
    if (inv.date > day) continue;
    const o = new Decimal(inv.amount).minus(settled.get(inv.id) ?? 0);
    if (!o.isZero()) open.push({ inv, open: o });
  }
  return open;
}

/** The report with decimal.js: the way a Node backend would write it exactly. */
function decimalReport(t) {
  const openAt = (day) => openInvoices(t, day);
  const asOf = dayNumber(AS_OF);
  const aging = new Map();
  for (const { inv, open } of openAt(AS_OF)) {
    const days = asOf - dayNumber(inv.dueDate);
    let b = BOUNDS.findIndex((x) => days <= x);
    if (b < 0) b = BOUNDS.length;
    const row = aging.get(inv.customer) ?? { buckets: LABELS.map(() => new Decimal(0)), credits: new Decimal(0) };
    row.buckets[b] = row.buckets[b].plus(open);
    aging.set(inv.customer, row);
  }
  for (const c of t.credits) {
    if (c.date > AS_OF) continue;
    const row = aging.get(c.customer) ?? { buckets: LABELS.map(() => new Decimal(0)), credits: new Decimal(0) };
    row.credits = row.credits.plus(c.amount);
    aging.set(c.customer, row);
  }
  const dayBefore = new Date((dayNumber(START) - 1) * DAY).toISOString().slice(0, 10);
  const sum = (xs) => xs.reduce((a, x) => a.plus(x.open), new Decimal(0));
  const end = openAt(END);
  const arBegin = sum(openAt(dayBefore));
  const arEnd = sum(end);
  const current = sum(end.filter((x) => x.inv.dueDate >= END));
  let sales = new Decimal(0);
  for (const inv of t.invoices) if (inv.date >= START && inv.date <= END) sales = sales.plus(inv.amount);
  const days = dayNumber(END) - dayNumber(START) + 1;
  return {
    aging,
    arEnd,
    dso: arEnd.div(sales).times(days),
    cei: arBegin.plus(sales).minus(arEnd).div(arBegin.plus(sales).minus(current)).times(100),
  };
}

/** The book reshaped as described at the top (not timed). */
function secondShape(t) {
  const eur = (customer) => '0369'.includes(customer.at(-1));
  return {
    invoices: t.invoices.map((inv) => ({ ...inv, currency: eur(inv.customer) ? 'EUR' : 'USD' })),
    settlements: t.settlements.map((s, i) => ({ ...s, kind: i % 5 === 4 ? 'credit' : 'payment' })),
  };
}

/** Aging by customer and currency, DSO and CEI per currency, with decimal.js. */
function decimalSecond(t) {
  // Payments and credit memos alike reduce what is open.
  const openAt = (day) => openInvoices(t, day);
  const asOf = dayNumber(AS_OF);
  const aging = new Map();
  for (const { inv, open } of openAt(AS_OF)) {
    const days = asOf - dayNumber(inv.dueDate);
    let b = BOUNDS.findIndex((x) => days <= x);
    if (b < 0) b = BOUNDS.length;
    const key = `${inv.customer} ${inv.currency}`;
    const row = aging.get(key) ?? LABELS.map(() => new Decimal(0));
    row[b] = row[b].plus(open);
    aging.set(key, row);
  }
  const dayBefore = new Date((dayNumber(START) - 1) * DAY).toISOString().slice(0, 10);
  const begin = openAt(dayBefore);
  const end = openAt(END);
  const days = dayNumber(END) - dayNumber(START) + 1;
  const metrics = new Map();
  for (const cur of ['EUR', 'USD']) {
    const sum = (xs) => xs.filter((x) => x.inv.currency === cur).reduce((a, x) => a.plus(x.open), new Decimal(0));
    const arBegin = sum(begin);
    const arEnd = sum(end);
    const current = sum(end.filter((x) => x.inv.dueDate >= END));
    let sales = new Decimal(0);
    for (const inv of t.invoices) if (inv.currency === cur && inv.date >= START && inv.date <= END) sales = sales.plus(inv.amount);
    metrics.set(cur, {
      arEnd,
      dso: arEnd.div(sales).times(days),
      cei: arBegin.plus(sales).minus(arEnd).div(arBegin.plus(sales).minus(current)).times(100),
    });
  }
  return { aging, metrics };
}

function arSecond(t) {
  const book = new ar.Book({ invoices: t.invoices, settlements: t.settlements });
  const aging = book.aging({ asOf: AS_OF, groupBy: ['customer'] });
  const metrics = new Map(book.metrics({ start: START, end: END }).map((m) => [m.currency, m]));
  return { aging, metrics };
}

function checkSecond(d, a) {
  const rows = a.aging.rows.filter((r) => r.buckets.some((x) => !new Decimal(x).isZero()));
  assert.equal(rows.length, [...d.aging.values()].filter((r) => r.some((x) => !x.isZero())).length);
  for (const row of rows) {
    const ref = d.aging.get(`${row.group[0]} ${row.currency}`);
    row.buckets.forEach((amount, i) => assert.equal(amount, ref[i].toFixed(2), `${row.group[0]} ${row.currency} ${LABELS[i]}`));
  }
  assert.deepEqual([...a.metrics.keys()].sort(), ['EUR', 'USD']);
  for (const [cur, m] of d.metrics) {
    const got = a.metrics.get(cur);
    assert.equal(got.arEnd, m.arEnd.toFixed(2), cur);
    assert.equal(new Decimal(got.dsoPeriodEnd).toDecimalPlaces(6).toString(), m.dso.toDecimalPlaces(6).toString(), cur);
    assert.equal(new Decimal(got.cei).toDecimalPlaces(6).toString(), m.cei.toDecimalPlaces(6).toString(), cur);
  }
}

/** The tables as columns: one array per property of the first record. */
function columns(rows) {
  const out = {};
  for (const key of Object.keys(rows[0] ?? {})) out[key] = rows.map((r) => r[key]);
  return out;
}

/** The same report through ar's bulk path, from the same records (or columns). */
function arReport(t) {
  const book = new ar.Book({ invoices: t.invoices, settlements: t.settlements, openCredits: t.credits, currency: 'USD' });
  const aging = book.aging({ asOf: AS_OF, groupBy: ['customer'] });
  const [metrics] = book.metrics({ start: START, end: END });
  return { aging, arEnd: metrics.arEnd, dso: metrics.dsoPeriodEnd, cei: metrics.cei };
}

function checkSame(d, a) {
  assert.equal(a.aging.rows.length, d.aging.size);
  for (const row of a.aging.rows) {
    const ref = d.aging.get(row.group[0]);
    row.buckets.forEach((amount, i) => assert.equal(amount, ref.buckets[i].toFixed(2), `${row.group[0]} ${LABELS[i]}`));
    assert.equal(row.openCredits, ref.credits.toFixed(2));
  }
  assert.equal(a.arEnd, d.arEnd.toFixed(2));
  assert.equal(new Decimal(a.dso).toDecimalPlaces(6).toString(), d.dso.toDecimalPlaces(6).toString());
  assert.equal(new Decimal(a.cei).toDecimalPlaces(6).toString(), d.cei.toDecimalPlaces(6).toString());
}

function best(fn) {
  let min = Infinity;
  let out;
  for (let i = 0; i < repeat; i += 1) {
    const t0 = performance.now();
    out = fn();
    min = Math.min(min, performance.now() - t0);
  }
  return [min, out];
}

const dir = bookDir();
if (second) {
  const base = { invoices: records(join(dir, 'invoices.csv')), settlements: records(join(dir, 'settlements.csv')) };
  const t = secondShape(base);
  const [tDecimal, d] = best(() => decimalSecond(t));
  const [tAr, a] = best(() => arSecond(t));
  checkSecond(d, a);
  const cols = { invoices: columns(t.invoices), settlements: columns(t.settlements) };
  const [tArColumns, c] = best(() => arSecond(cols));
  checkSecond(d, c);
  console.log(`${n} invoices, aging by customer and currency + DSO + CEI per currency, second shape, from arrays of records`);
  console.log(`  decimal.js:    ${tDecimal.toFixed(1).padStart(9)} ms`);
  console.log(`  ar bulk path:  ${tAr.toFixed(1).padStart(9)} ms   (${(tDecimal / tAr).toFixed(1)}x faster, same figures)`);
  console.log(`  ar, columns:   ${tArColumns.toFixed(1).padStart(9)} ms   (${(tDecimal / tArColumns).toFixed(1)}x faster, same figures; the same tables as column arrays)`);
  process.exit(0);
}
const tables = { invoices: records(join(dir, 'invoices.csv')), settlements: records(join(dir, 'settlements.csv')), credits: records(join(dir, 'credits.csv')) };
const [tDecimal, d] = best(() => decimalReport(tables));
const [tAr, a] = best(() => arReport(tables));
checkSame(d, a);
const columnTables = { invoices: columns(tables.invoices), settlements: columns(tables.settlements), credits: columns(tables.credits) };
const [tArColumns, c] = best(() => arReport(columnTables));
checkSame(d, c);
console.log(`${n} invoices, aging by customer + DSO + CEI, from arrays of records`);
console.log(`  decimal.js:    ${tDecimal.toFixed(1).padStart(9)} ms`);
console.log(`  ar bulk path:  ${tAr.toFixed(1).padStart(9)} ms   (${(tDecimal / tAr).toFixed(1)}x faster, same figures)`);
console.log(`  ar, columns:   ${tArColumns.toFixed(1).padStart(9)} ms   (${(tDecimal / tArColumns).toFixed(1)}x faster, same figures; the same tables as column arrays)`);
