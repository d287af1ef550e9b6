// The main job on bundled sample data, through the Node binding: read the
// sample book (customers, invoices, credit memos, receipts and their
// applications, in the tables layout Ledger.fromTables takes), then print
// its open items, balances, aging, DSO and CEI, and what the matcher
// proposes for the cash not yet applied.
//
// Usage: node examples/node/demo.mjs [DATA_DIR] [AS_OF]
// (default examples/data/sample and the book's last day). The report is
// byte for byte the one of the Rust demo, checked against
// examples/expected/demo.txt.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Ledger, roundAmount } from '../../ar-node/index.js';

const SAMPLE = fileURLToPath(new URL('../data/sample/', import.meta.url));
const USAGE = `usage: demo.mjs [DATA_DIR] [AS_OF]

Reads the book in DATA_DIR (customers.csv, invoices.csv, and optionally
credit_memos.csv, receipts.csv, applications.csv; default
examples/data/sample) and prints its open items, balances, aging, DSO and
CEI, and cash-application proposals as of AS_OF (YYYY-MM-DD; default: the
book's last day).`;

/** A plain CSV file (no quoted fields, as the sample's) as records; an
 * empty cell is null. */
function readCsv(path) {
  const [header, ...rows] = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const names = header.split(',').map((h) => h.replace(/_([a-z])/g, (_, c) => c.toUpperCase()));
  return rows.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, cells[i] === undefined || cells[i] === '' ? null : cells[i]]));
  });
}

/** The ledger of the book in `dir`. */
export function load(dir = SAMPLE) {
  const table = (name) => (existsSync(join(dir, `${name}.csv`)) ? readCsv(join(dir, `${name}.csv`)) : undefined);
  const customers = table('customers');
  const invoices = table('invoices');
  if (!customers || !invoices) throw new Error(`${dir}: customers.csv and invoices.csv are required`);
  const fixed = new Set(['id', 'name', 'currency', 'terms']);
  return Ledger.fromTables({
    customers,
    invoices,
    creditMemos: table('credit_memos'),
    receipts: table('receipts'),
    applications: table('applications'),
    customerDimensions: Object.keys(customers[0] ?? {}).filter((k) => !fixed.has(k)),
    recorded: '2026-11-23T00:00:00Z',
  });
}

/** A ratio to two places, half to even, or '-'. */
const figure = (value) => (value === null || value === undefined ? '-' : roundAmount(value, 'USD', 'half_even'));

function report(ledger, asOf) {
  const lines = [`Open items as of ${asOf}`,
    `${'kind'.padEnd(15)} ${'id'.padEnd(10)} ${'customer'.padEnd(10)} ${'cur'.padEnd(3)} ${'due'.padEnd(10)} ${'open'.padStart(12)}`];
  for (const i of ledger.openItems({ asOf })) {
    lines.push(`${i.kind.padEnd(15)} ${i.id.padEnd(10)} ${(i.customer ?? '(unknown)').padEnd(10)} ${i.currency.padEnd(3)} ${(i.dueDate ?? '-').padEnd(10)} ${i.open.padStart(12)}`);
  }
  lines.push('', `Customer balances as of ${asOf}`,
    `${'customer'.padEnd(10)} ${'cur'.padEnd(3)} ${'invoices'.padStart(12)} ${'cash'.padStart(12)} ${'credits'.padStart(12)} ${'net'.padStart(12)}`);
  for (const b of ledger.balances({ asOf })) {
    lines.push(`${(b.customer ?? '(unknown)').padEnd(10)} ${b.currency.padEnd(3)} ${b.invoices.padStart(12)} ${b.unappliedCash.padStart(12)} ${b.openCredits.padStart(12)} ${b.net.padStart(12)}`);
  }

  const aging = ledger.aging({ asOf });
  lines.push('', `Aging by days past due as of ${asOf}`,
    `${'customer'.padEnd(10)} ${'cur'.padEnd(3)}${aging.labels.map((l) => ` ${l.padStart(10)}`).join('')} ${'total'.padStart(10)}`);
  for (const r of [...aging.rows, ...aging.totals]) {
    lines.push(`${(r.group[0] ?? '(all)').padEnd(10)} ${r.currency.padEnd(3)}${r.buckets.map((b) => ` ${b.padStart(10)}`).join('')} ${r.total.padStart(10)}`);
  }

  // From the first day of the month before AS_OF's.
  const [y, m] = asOf.split('-').map(Number);
  const start = m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
  lines.push('', `DSO and CEI from ${start} to ${asOf}`,
    `${'cur'.padEnd(3)} ${'sales'.padStart(12)} ${'AR at end'.padStart(12)} ${'DSO'.padStart(10)} ${'CEI %'.padStart(10)}`);
  for (const row of ledger.metrics({ start, end: asOf })) {
    lines.push(`${row.currency.padEnd(3)} ${row.creditSales.padStart(12)} ${row.arEnd.padStart(12)} ${figure(row.dsoPeriodEnd).padStart(10)} ${figure(row.cei).padStart(10)}`);
  }

  const batch = ledger.matchReceipts({ asOf });
  lines.push('', `Cash application: unapplied receipts as of ${asOf}`);
  for (const match of batch.matches) {
    const best = match.proposals[0];
    const target = best ? best.applications.map((a) => `${a.invoice} ${a.amount}`).join(', ') : '-';
    lines.push(`${match.receipt.padEnd(8)} ${match.status.padEnd(10)} ${target}`);
  }
  return `${lines.join('\n')}\n`;
}

function main(args) {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let ledger;
  try {
    ledger = load(args[0] ?? SAMPLE);
  } catch (e) {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  let asOf = args[1];
  if (asOf === undefined) {
    asOf = ledger.events().map((e) => e.effective).reduce((a, b) => (a > b ? a : b));
  } else {
    try {
      // The binding checks the date as it checks every date.
      ledger.openItems({ asOf });
    } catch {
      process.stderr.write(`error: AS_OF must be a date, YYYY-MM-DD\n\n${USAGE}\n`);
      return 2;
    }
  }
  try {
    process.stdout.write(report(ledger, asOf));
  } catch (e) {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
