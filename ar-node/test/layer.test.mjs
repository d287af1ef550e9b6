// The conversion layer itself: arguments read by src/de.rs into serde types,
// results written by src/out.rs from the core's serialized form.
// `_layerEcho` reads a value as a sample of every kind the layer reads
// (src/echo.rs) and writes it back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import * as ar from '../index.js';
import { acme, worklistBook } from './credit_books.mjs';
import { throwsCode } from './scenario.mjs';

const good = () => ({
  amount: '0.0000000000000000000000000001',
  amounts: ['-0.00', null, '7', '79228162514264337593543950335'],
  coreAmount: '-79228162514264337593543950335',
  date: '2028-02-29',
  recorded: '2026-03-01T10:00:00+01:00',
  text: 'é 😀',
  count: 4294967295,
  days: -30,
  flag: true,
  rounding: 'half_even',
  currency: 'JPY',
  cei: { variant: 'monthly_average', months: 3 },
  tolerance: { percent: { rate: '2.5' } },
  nested: [{ dueDate: '2026-03-31', lines: [['1', '2.50'], []] }],
  limited: [1, 2, 3],
  dimensions: { Region: 'EU', sales_team: 'north' },
});

test('every kind of value round-trips, with camelCase keys', () => {
  const out = ar._layerEcho(good());
  assert.deepEqual(out, {
    amount: '0.0000000000000000000000000001',
    // Exact, its scale kept; -0.00 read as 0.00.
    amounts: ['0.00', null, '7', '79228162514264337593543950335'],
    coreAmount: '-79228162514264337593543950335',
    date: '2028-02-29',
    // Any offset in, UTC out: the same instant.
    recorded: '2026-03-01T09:00:00Z',
    text: 'é 😀',
    count: 4294967295,
    days: -30,
    flag: true,
    rounding: 'half_even',
    currency: 'JPY',
    cei: { variant: 'monthly_average', months: 3 },
    tolerance: { percent: { rate: '2.5' } },
    nested: [{ dueDate: '2026-03-31', lines: [['1', '2.50'], []] }],
    limited: [1, 2, 3],
    // Map keys are data: as given.
    dimensions: { Region: 'EU', sales_team: 'north' },
  });
  // Keys in declaration order.
  assert.deepEqual(Object.keys(out).slice(0, 3), ['amount', 'amounts', 'coreAmount']);
  // Absent optional fields: undefined or null; an enum's other variant, its key in camelCase.
  const bare = { ...good(), recorded: undefined, cei: null, limited: undefined, dimensions: undefined, tolerance: { fixedAmount: '5' } };
  const b = ar._layerEcho(bare);
  assert.deepEqual([b.recorded, b.cei, b.limited, b.dimensions, b.tolerance], [null, null, null, {}, { fixedAmount: '5' }]);
  // Properties not declared are not read.
  let read = false;
  ar._layerEcho(Object.defineProperty(good(), 'other', { enumerable: true, get() { read = true; return 1; } }));
  assert.equal(read, false);
});

const bad = [
  [{ amount: 1.5 }, 'invalid_type', 'amount', /expected a decimal string such as "12\.50", got the number 1\.5/],
  [{ amount: NaN }, 'invalid_type', 'amount'],
  [{ amount: '1e3' }, 'invalid_decimal', 'amount'],
  [{ amounts: ['1', 2] }, 'invalid_type', 'amounts[1]'],
  [{ coreAmount: '1e3' }, 'invalid_decimal', 'coreAmount'],
  [{ coreAmount: 5 }, 'invalid_type', 'coreAmount'],
  [{ count: true }, 'invalid_type', 'count'],
  [{ count: 1.5 }, 'invalid_value', 'count'],
  [{ count: -1 }, 'invalid_value', 'count'],
  [{ count: 2 ** 32 }, 'invalid_value', 'count'],
  [{ count: '3' }, 'invalid_type', 'count'],
  [{ flag: 1 }, 'invalid_type', 'flag'],
  [{ date: '2026-02-30' }, 'invalid_date', 'date'],
  [{ date: '2026-3-1' }, 'invalid_date', 'date'],
  [{ recorded: '2026-03-01' }, 'invalid_date', 'recorded'],
  [{ rounding: 'up' }, 'invalid_value', 'rounding'],
  [{ currency: 'usd' }, 'invalid_currency', 'currency'],
  [{ nested: [{ dueDate: '2026-03-31', lines: [[2.5]] }] }, 'invalid_type', 'nested[0].lines[0][0]'],
  [{ nested: [{ dueDate: '2026-03-31', lines: 'x' }] }, 'invalid_type', 'nested[0].lines'],
  [{ nested: [{ lines: [] }] }, 'invalid_type', 'nested[0].dueDate'],
  [{ nested: [new Date()] }, 'invalid_type', 'nested[0]'],
  [{ text: 'x'.repeat(10_000_000) }, 'limit_exceeded', 'text'],
  [{ text: 'a\ud800b' }, 'invalid_value', 'text'],
  [{ text: 5 }, 'invalid_type', 'text'],
  [{ dimensions: { k: '\udfff' } }, 'invalid_value', 'dimensions["k"]'],
  [{ limited: [1, 2, 3, 4] }, 'limit_exceeded', 'limited'],
  [{ tolerance: { fixedAmount: '1', percent: {} } }, 'invalid_value', 'tolerance'],
];

test('bad values are typed errors naming the path', () => {
  for (const [change, code, field, message] of bad) {
    const e = throwsCode(assert, () => ar._layerEcho({ ...good(), ...change }), code);
    assert.ok(e.message.startsWith(`${code}: value.${field}: `), e.message);
    assert.ok(e.message.length < 900, e.message.length);
    if (message) assert.match(e.message, message);
  }
  throwsCode(assert, () => ar._layerEcho('x'), 'invalid_type');
  // A 10 MB string is refused from its length, before it is copied.
  const start = performance.now();
  throwsCode(assert, () => ar._layerEcho({ ...good(), text: 'é'.repeat(5_000_000) }), 'limit_exceeded');
  // A guard against reading it all (generous for a loaded machine).
  assert.ok(performance.now() - start < 500);
  // A getter that throws: invalid_value naming the field, with the cause.
  const e = throwsCode(assert, () => ar._layerEcho(Object.defineProperty(good(), 'text', { get() { throw new RangeError('boom'); } })), 'invalid_value');
  assert.ok(e.cause instanceof RangeError);
  // A sparse array fails at its first hole, with what was expected there.
  const sparse = [];
  sparse.length = 2 ** 32 - 1;
  const hole = throwsCode(assert, () => ar._layerEcho({ ...good(), amounts: sparse }), 'invalid_type');
  assert.equal(hole.message, 'invalid_type: value.amounts[0]: expected a decimal string such as "12.50", got undefined');
});

/** The property names of each `export interface` of index.d.ts. */
function interfaces() {
  const dts = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8');
  const out = {};
  for (const m of dts.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
    out[m[1]] = [...m[2].matchAll(/^ {2}(\w+)\??:/gm)].map((p) => p[1]);
  }
  return out;
}

test('the TypeScript interfaces of results through the layer have the core\'s keys', () => {
  const decl = interfaces();
  const report = (() => {
    const l = new ar.Ledger();
    const rec = { recorded: '2026-01-01T00:00:00Z' };
    l.registerCustomer({ id: 'C', name: 'C', currency: 'USD' }, rec);
    l.importInvoice({ id: 'I', customer: 'C', date: '2026-01-01', dueDate: '2026-01-31', total: '100.00', open: '100.00', asOf: '2026-01-01' }, rec);
    return l;
  })();
  // One result of every type written by out.rs, and its interface.
  const results = [
    ['Provision', ar.provision({ labels: ['a'], exposures: ['1'], rates: ['1'], currency: 'USD' })],
    ['ProvisionLine', ar.provision({ labels: ['a'], exposures: ['1'], rates: ['1'], currency: 'USD' }).lines[0]],
    ['AllowanceAdjustment', ar.allowanceAdjustment('1.00', '0.50')],
    ['RollRates', report.rollRates({ periodEnds: ['2026-02-28', '2026-03-31'], currency: 'USD' })],
    ...collectionsResults(),
    ...statementResults(),
    ...creditResults(),
    ...formatsResults(),
  ];
  // Accounting and discounts: a taxed invoice on discount terms in a book
  // with a functional currency, reconciled against a GL line that differs.
  const books = new ar.Ledger();
  books.registerCustomer({ id: 'E', name: 'E', currency: 'EUR' });
  books.issueInvoice({ id: 'I', customer: 'E', date: '2026-03-01', terms: '2/10 net 30', lines: [{ quantity: '1', unitPrice: '100.00', taxes: [{ code: 'V', rate: '20' }] }] });
  const options = { rates: { functional: 'USD', rates: [{ currency: 'EUR', date: '2026-01-01', rate: '1.1' }] } };
  const journal = books.journal(options);
  const reconciled = books.reconcileGl([{ account: 'receivable', currency: 'EUR', date: '2026-03-01', amount: '1.00' }], options);
  results.push(
    ['DiscountSplit', books.discountSplit('I', 1, '2.40')],
    ['Journal', journal],
    ['JournalEntry', journal.entries[0]],
    ['JournalLine', journal.entries[0].lines[0]],
    ['TrialBalanceRow', books.trialBalance(options)[0]],
    ['ReconcileRow', reconciled[0]],
    ['ReconcileItem', reconciled[0].items[0]],
  );
  for (const [name, value] of results) {
    assert.ok(decl[name], `no interface ${name} in index.d.ts`);
    // The keys are the core's serialized fields, in camelCase: an interface
    // that lacks one (or has one more) fails here.
    assert.deepEqual(Object.keys(value), decl[name], name);
  }
});

/**
 * Bank file, reconciliation and accounting-system results whose optional
 * keys are all present (handmade.bai's wire has every field a receipt may
 * have but a value date and an ultimate payer, which a listed entry has).
 */
function formatsResults() {
  const data = (path) => readFileSync(new URL(`../../ar-formats/tests/data/${path}`, import.meta.url));
  const files = ['bai2/handmade.bai', 'camt/handmade-camt054.v04.xml', 'camt/genkgo-camt053.v8.xml', 'nacha/handmade-ccd-ctx.ach', 'x12/handmade-820.edi'];
  const statements = files.map((f) => ar.parseBankFile(data(f)));
  const accounts = statements.flatMap((s) => s.accounts);
  const receipts = accounts.flatMap((a) => a.receipts);
  // The sample with the most keys: one with all of them, where a file has it.
  const fullest = (list) => list.reduce((a, b) => (Object.keys(b).length > Object.keys(a).length ? b : a));
  const l = new ar.Ledger();
  l.registerCustomer({ id: 'G', name: 'G', currency: 'USD' });
  l.recordReceipt({ id: 'R', customer: 'G', date: '2026-03-01', amount: '2000.00', currency: 'USD', reference: 'WIRE0001' });
  const r = l.reconcileBank(statements[0]);
  const xero = ar.importAccounting(data('systems/xero_sales_invoices.csv'), 'xero-invoices');
  const qbo = ar.importAccounting(data('systems/qbo_invoice_list.csv'), 'qbo-invoices', { currency: 'USD' });
  const pay = ar.importAccounting(data('systems/qbo_payments.csv'), 'qbo-payments', { currency: 'USD' });
  return [
    ['BankStatement', fullest(statements)],
    ['AccountStatement', fullest(accounts)],
    ['BankBalance', fullest(accounts.flatMap((a) => a.balances ?? []))],
    ['BankReference', fullest(receipts.flatMap((x) => x.references ?? []))],
    ['BankReconciliation', r],
    ['ReconciledPair', r.matched[0]],
    ['BankEntry', r.matched[0].bank],
    ['RecordedReceipt', r.matched[0].receipt],
    ['NumberStyle', ar.accountingProfile('qbo-invoices').numbers],
    ['BookRows', qbo],
    ['BookInvoiceRow', xero.invoices[0]],
    ['BookReceiptRow', pay.receipts[2]],
    ['RowOrigin', qbo.invoices[0].origin],
  ];
}

/** Credit check and worklist results whose optional keys are all present. */
function creditResults() {
  const l = acme();
  l.setCreditHold({ customer: 'ACME', hold: true, date: '2026-04-07', reason: 'r', by: 'me' });
  const over = l.creditCheck({ customer: 'ACME', amount: '4500.00', asOf: '2026-03-10' });
  const w = worklistBook().worklist({ asOf: '2026-04-30' });
  return [
    ['CreditCheck', over],
    ['CreditFinding', over.reasons[0]],
    ['WorklistRow', w.rows[0]],
    ['WorklistExcluded', w.excluded[0]],
    ['Worklist', w],
  ];
}

/** Statement and forecast results whose optional keys are all present. */
function statementResults() {
  const l = new ar.Ledger();
  l.registerCustomer({ id: 'C', name: 'C', currency: 'USD' });
  l.issueInvoice({ id: 'I', customer: 'C', date: '2026-03-02', lines: [{ quantity: '1', unitPrice: '100.00' }], terms: '2/10 net 30' });
  l.issueInvoice({ id: 'J', customer: 'C', date: '2026-03-02', lines: [{ quantity: '1', unitPrice: '50.00' }], terms: 'net 30' });
  l.recordReceipt({ id: 'R', date: '2026-03-05', amount: '98.00', currency: 'USD', customer: 'C' });
  l.apply({ invoice: 'I', amount: '98.00', date: '2026-03-05', receipt: 'R', discount: '2.00' });
  const s = l.statement('C', { from: '2026-03-01', to: '2026-03-31' });
  const discount = s.sections[0].entries.find((e) => e.kind === 'discount');
  const t = l.forecastBacktest({ asOf: '2026-03-10', weeks: 1 });
  return [
    ['Statement', s],
    ['StatementSection', s.sections[0]],
    ['StatementEntry', discount],
    ['AgingRow', s.sections[0].aging],
    ['Forecast', t.forecast],
    ['ForecastItem', t.forecast.items[0]],
    ['ForecastBucket', t.forecast.weekly[0]],
    ['Backtest', t],
    ['BacktestWeek', t.weeks[0]],
    ['BacktestError', t.errors[0]],
  ];
}

/** Collections results whose optional keys are all present. */
function collectionsResults() {
  const l = new ar.Ledger();
  const rec = { recorded: '2026-01-01T00:00:00Z' };
  l.registerCustomer({ id: 'C', name: 'C', currency: 'EUR' }, rec);
  l.issueInvoice({ id: 'I', customer: 'C', date: '2026-01-01', lines: [{ quantity: '1', unitPrice: '100.00' }] }, rec);
  l.openDispute({ id: 'D', invoice: 'I', amount: '10.00', reason: 'r', owner: 'o' }, '2026-02-01', rec);
  const rule = ar.interestRule('eu_directive', [{ from: '2026-01-01', rate: '2.00' }]);
  const policy = { id: 'p', levels: [{ days: 1, template: 't', interest: true }], interest: rule };
  const run = l.dunningRun(policy, { asOf: '2026-03-12', templates: { t: '{{ total }}' } });
  const notice = run.notices[0];
  const late = ar.lateInterest({ rule, principal: '100.00', dueDate: '2026-01-31', through: '2026-03-12', currency: 'EUR' });
  return [
    ['DunningRun', run],
    ['DunningNotice', notice],
    ['NoticeLine', notice.items[0]],
    ['InterestLine', notice.interest[0]],
    ['CompensationLine', notice.compensation[0]],
    ['InterestRule', rule],
    ['LateInterest', late],
    ['InterestSegment', late.segments[0]],
    ['DiscountCost', ar.discountCost('2', 10, 30)],
    ['DisputeSummaryRow', l.disputeSummary({ asOf: '2026-03-12' })[0]],
  ];
}
