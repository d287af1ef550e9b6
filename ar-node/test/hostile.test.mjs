// Hostile input: every exported function, every constructor and factory,
// and every method and getter of every exported class (enumerated from the
// module and the prototypes, so new ones are driven too) is called with
// generated bad arguments: valid arguments with one part replaced by junk
// (numbers with NaN, infinities and -0, null, undefined, booleans, BigInts,
// Symbols, arrays, sparse arrays, nested junk, 10^6-character strings, lone
// surrogates, decimals at and past the 96-bit limit, dates at the edges of
// the calendar, bad RFC 3339 stamps, proxies, throwing getters, objects
// that are not plain), parts removed, arguments added or dropped, or junk
// alone. Every throw must be an ArError with a `code` of ERROR_CODES, no call
// may crash the process, and a rejected command changes nothing.
//
// Seeded (AR_HOSTILE_SEED), bounded (AR_HOSTILE_CALLS calls per target);
// the number of inputs tried is printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import { readFileSync } from 'node:fs';

import * as ar from '../index.js';
import { build } from './scenario.mjs';

const { ArError, ERROR_CODES, FORMAT_ERROR_CODES, Book, Ledger, Matcher } = ar;

const SEED = Number(process.env.AR_HOSTILE_SEED ?? 0x5eed14);
const CALLS = Number(process.env.AR_HOSTILE_CALLS ?? 500);
const MAX = '79228162514264337593543950335';

// --- A seeded PRNG (mulberry32) -------------------------------------------

let state = SEED >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const below = (n) => Math.floor(random() * n);
const oneOf = (list) => list[below(list.length)];
const chance = (p) => random() < p;

// --- Junk -----------------------------------------------------------------

const LONG = 'x'.repeat(1_000_000);
const LONG_DIGITS = '1'.repeat(1_000_000);
const sparse = () => {
  const a = [];
  a.length = oneOf([3, 2 ** 32 - 1]);
  a[1] = 'x';
  return a;
};
const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
class NotPlain {
  constructor() {
    this.id = 'X';
  }
}
const decimals = [
  MAX, `-${MAX}`, '79228162514264337593543950336', `${MAX}.0`, '7922816251426433759354395033.5',
  '0.0000000000000000000000000001', '0.00000000000000000000000000001', '99999999999999999999999999999.99',
  '1e3', '1,000', '-0', '-0.00', '00.10', '1.', '.5', '+1', '1.005', '-1', '0', 'NaN', 'Infinity', LONG_DIGITS,
];
const dates = [
  '0000-01-01', '+275760-09-13', '-000001-01-01', '9999-12-31', '2026-02-29', '2028-02-29', '2026-13-01', '2026-00-10',
  '20260301', '2026-3-1', ' 2026-03-01', '2026-03-01T00:00:00Z',
];
const stamps = [
  '2026-01-01T25:00:00Z', '2026-01-01T00:00:00', '2026-01-01 00:00:00Z', '2026-01-01T00:00:00+24:00',
  '9999-12-31T23:59:59-23:59', '0000-01-01T00:00:00+23:59', '2026-01-01T00:00:60Z', '+275760-09-13T00:00:00Z',
  'yesterday', '2026-01-01T00:00:00.123456789123Z',
];
const texts = ['', ' ', LONG, '\ud800', 'a\udc00b', '\u0000', '😀', 'null', 'USD', 'usd', 'XXX', 'JPY', 'KWD',
  'half_even', 'HALF_EVEN', 'net 30', '2/10 net 30', 'EOM + 15', 'customer', 'invoice.', 'customer.region', 'ACME', 'INV-1', 'R2'];

/** A junk value, nested at most `depth` more levels. */
function junk(depth = 2) {
  const deeper = () => (depth > 0 ? junk(depth - 1) : 0);
  const makers = [
    () => oneOf([0, -0, 1, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 1e308, 4294967296, -4294967297]),
    () => oneOf([null, undefined, true, false]),
    () => oneOf([0n, 10n ** 40n, -1n]),
    () => Symbol('junk'),
    () => oneOf(decimals),
    () => oneOf(dates),
    () => oneOf(stamps),
    () => oneOf(texts),
    () => [],
    () => [deeper(), deeper()],
    () => sparse(),
    () => ({ a: { b: [deeper()] }, id: deeper() }),
    () => new Proxy({}, { get: () => deeper() }),
    () => new Proxy([], { get() { throw new Error('trap'); }, ownKeys() { throw new Error('keys'); } }),
    () => revoked(),
    () => ({ get id() { throw new RangeError('getter'); }, get amount() { throw 'thrown text'; } }),
    () => oneOf([new Date(0), new Map(), new NotPlain(), Object.create(null), () => 1, new String('USD'), /re/]),
  ];
  return oneOf(makers)();
}

// --- Valid arguments of every target ----------------------------------------

const meta = () => ({ recorded: '2026-04-01T09:00:00Z', idempotencyKey: oneOf([undefined, 'k1']) });
const journalOptions = () => ({
  rules: { accounts: { receivable: '1200' }, overrides: [{ role: 'cash', account: '1010', method: 'wire' }] },
  rates: { functional: 'EUR', rates: [{ currency: 'USD', date: '2026-01-01', rate: '0.9' }] },
});
const view = () => ({ asOf: '2026-03-31', knownAt: '2026-04-01T00:00:00Z' });
const matchOptions = () => ({
  autoThreshold: 85, tolerance: { fixed: '1.00', percent: '2' }, fuzzy: true, maxCombination: 3,
  maxSearchItems: 20, maxSearchSteps: 1000, maxProposals: 5, maxRemittanceBytes: 1024,
});
const item = () => ({
  kind: 'invoice', id: 'I1', installment: 1, customer: 'C', currency: 'USD', date: '2026-01-01',
  dueDate: '2026-01-31', open: '10.00', discount: { until: '2026-01-10', amount: '0.20' }, poNumber: 'PO1', disputed: false,
});
const receipt = () => ({
  id: 'R1', customer: 'C', date: '2026-01-05', amount: '10.00', currency: 'USD', remittance: 'I1', payerName: 'C', account: 'A1',
});
const matchCustomers = () => [{ id: 'C', name: 'C Corp', aliases: ['CC'], accounts: ['A1'] }];
const line = () => ({
  description: 'd', quantity: '2', unitPrice: '10.00', discountPercent: '5', taxes: [{ code: 'VAT', rate: '19' }],
});
const bookTables = () => ({
  currency: 'USD',
  dimensions: ['region'],
  customerDimensions: ['segment'],
  invoices: [{ id: 'I1', customer: 'C', date: '2026-01-01', dueDate: '2026-01-31', amount: '10.00', region: 'EU' }],
  settlements: [{ invoice: 'I1', date: '2026-01-10', amount: '4.00', kind: 'payment' }],
  openCredits: [{ id: 'CM1', customer: 'C', date: '2026-01-02', amount: '1.00' }],
  unappliedCash: [{ id: 'R1', customer: 'C', date: '2026-01-03', amount: '2.00' }],
  customers: [{ id: 'C', segment: 'retail' }],
});
const ledgerTables = () => ({
  recorded: '2026-01-01T00:00:00Z',
  currency: 'USD',
  customers: [{ id: 'C', name: 'C', currency: 'USD', terms: 'net 30' }],
  invoices: [{ id: 'I1', customer: 'C', date: '2026-01-01', dueDate: '2026-01-31', amount: '10.00' }],
  creditMemos: [{ id: 'CM1', customer: 'C', date: '2026-01-02', amount: '1.00', against: 'I1' }],
  receipts: [{ id: 'R1', customer: 'C', date: '2026-01-03', amount: '5.00' }],
  applications: [{ receipt: 'R1', invoice: 'I1', date: '2026-01-04', amount: '5.00' }],
});
const command = (disputed = true) => JSON.stringify({ type: 'set_dispute', invoice: 'INV-1', disputed, date: '2026-04-01', reason: '' });

/** Valid arguments for each target, given the live instances `x`. */
const templates = {
  _layerEcho: () => [{ amount: '1', amounts: [], coreAmount: '1', date: '2026-01-01', text: 't', count: 1, days: 1, flag: true, rounding: 'half_even', currency: 'USD', nested: [] }],
  agingProvision: (x) => [x.ledger.aging({ asOf: '2026-04-01' }), { rates: ['0', '1', '2', '5', '10', '50'], currency: 'USD', rounding: 'half_even' }],
  allocate: () => ['100.00', ['1', '2', '3'], 'USD'],
  allowanceAdjustment: () => ['10.00', '-5.00'],
  arTurnover: () => ['100', '50', '60'],
  averageDaysDelinquent: () => ['40', '30'],
  bestPossibleDso: () => ['10', '100', 30],
  cei: () => ['100', '50', '80', '40', { monthlyAverage: 3 }],
  computeTotals: () => [{ lines: [line(), line()], currency: 'USD', taxMode: 'inclusive', taxRounding: 'per_document', rounding: 'half_even' }],
  creditorReference: () => ['RF18539007547034'],
  dsoAverage: () => ['10', '20', '100', 30],
  dsoCountback: () => ['150', [{ creditSales: '100', days: 31 }, { creditSales: '100', days: 28 }]],
  dsoPeriodEnd: () => ['100', '300', 90],
  lossRates: () => [['10', null, '20'], '100'],
  matchReceipts: () => [[receipt()], [item()], matchCustomers(), matchOptions()],
  minorUnits: () => ['KWD'],
  isArError: () => [new ArError('internal: x')],
  parseRemittance: () => ['INV-1, INV-2 less 5.00 RF18539007547034'],
  paymentTiming: () => [[{ invoiceDate: '2026-01-01', dueDate: '2026-01-31', paidDate: '2026-02-05', amount: '10.00' }]],
  percentCurrent: () => ['50', '100'],
  percentPastDue: () => ['50', '100'],
  provision: () => [{ labels: ['a', 'b'], exposures: ['1.00', '2.00'], rates: ['1', '2'], currency: 'USD', rounding: 'half_even' }],
  rollRatesFromHistory: () => [[['1', '2'], ['3', '4']]],
  roundAmount: () => ['1.005', 'USD', 'half_even'],
  schedule: () => [{ terms: { installments: [{ due: 'net 30', percent: '50' }, { due: 'net 60', remainder: true }] }, invoiceDate: '2026-03-01', total: '154.70', currency: 'USD', rounding: 'half_even' }],
  version: () => [],
  'new Book': () => [bookTables()],
  'Book.aging': () => [{ asOf: '2026-04-01', basis: 'invoice_date', buckets: [0, 30], groupBy: ['invoice.region'], detail: true, rates: { functional: 'USD', rates: [{ currency: 'EUR', date: '2026-01-01', rate: '1.10' }] } }],
  'Book.metrics': () => [{ start: '2026-01-01', end: '2026-03-31', groupBy: ['customer.segment'], cei: 'period_sales', countbackMonths: 3, rates: { functional: 'USD', rates: [{ currency: 'EUR', date: '2026-01-01', rate: '1.10' }] } }],
  'Book.agingPartial': () => [{ asOf: '2026-04-01', basis: 'invoice_date', buckets: [0, 30], groupBy: ['invoice.region'] }],
  'Book.metricsPartial': () => [{ start: '2026-01-01', end: '2026-03-31', groupBy: ['customer.segment'], cei: 'period_sales', countbackMonths: 3 }],
  agingFinish: () => [new Book(bookTables()).agingPartial({ asOf: '2026-04-01' }), { asOf: '2026-04-01' }],
  metricsFinish: () => [new Book(bookTables()).metricsPartial({ start: '2026-01-01', end: '2026-03-31' }), { start: '2026-01-01', end: '2026-03-31' }],
  'Book.heapBytes': () => [],
  'Book.invoiceCount': () => [],
  'new Matcher': () => [[item()], matchCustomers(), matchOptions()],
  'Matcher.propose': () => [receipt()],
  'Matcher.matchBatch': () => [[receipt()]],
  'Matcher.addItems': () => [[{ ...item(), id: 'I2' }], matchCustomers()],
  'Matcher.updateItems': () => [[item()]],
  'Matcher.removeItems': () => [[{ kind: 'invoice', id: 'I1', installment: 1 }]],
  'Matcher.sync': () => [[item()], [{ kind: 'invoice', id: 'I1', installment: 1 }]],
  'Ledger.matchChanges': () => [0, { asOf: '2026-04-01', knownAt: '2030-01-01T00:00:00Z' }],
  'new Ledger': () => [],
  'Ledger.fromJson': (x) => [x.json],
  'Ledger.snapshot': () => [],
  snapshotInfo: () => [new ar.Ledger().snapshot()],
  'Ledger.restore': (x) => [x.ledger.snapshot(), []],
  'Ledger.fromTables': () => [ledgerTables()],
  'Ledger.toJson': () => [],
  'Ledger.length': () => [],
  'Ledger.heapBytes': () => [],
  'Ledger.chainHead': () => [],
  'Ledger.events': () => [],
  'Ledger.executeJson': () => [command(), meta()],
  'Ledger.executeAllJson': () => [[command(true), command(false)], meta()],
  'Ledger.registerCustomer': () => [{ id: 'NEW', name: 'N', currency: 'USD', terms: '2/10 net 30', creditLimit: '100.00', dimensions: { region: 'EU' } }, meta()],
  'Ledger.updateCustomer': () => [{ id: 'ACME', name: 'Acme', currency: 'USD', terms: { due: 'net 30', discountPercent: '2', discountDays: 10 } }, meta()],
  'Ledger.issueInvoice': () => [{
    id: 'NEWINV', customer: 'ACME', date: '2026-04-01', lines: [line()], currency: 'USD', taxMode: 'exclusive', taxRounding: 'per_line',
    rounding: 'half_even', terms: { installments: [{ due: 'net 30', percent: '50' }, { due: 'net 60', remainder: true }] },
    poNumber: 'PO1', dimensions: { project: 'X' }, draft: oneOf([false, true]),
  }, meta()],
  'Ledger.finalizeInvoice': () => [{ invoice: 'DRAFT', date: '2026-04-02' }, meta()],
  'Ledger.importInvoice': () => [{ id: 'OLD', customer: 'ACME', date: '2025-01-01', dueDate: '2025-02-01', total: '100.00', open: '50.00', asOf: '2026-04-01', currency: 'USD', poNumber: 'P', dimensions: {} }, meta()],
  'Ledger.voidInvoice': () => [{ invoice: 'INV-5', date: '2026-04-01', reason: 'r' }, meta()],
  'Ledger.setDispute': () => [{ invoice: 'INV-1', disputed: true, date: '2026-04-01', reason: 'r' }, meta()],
  'Ledger.recordReceipt': () => [{ id: 'RNEW', date: '2026-04-01', amount: '10.00', currency: 'USD', customer: 'ACME', method: 'wire', reference: 'ref', remittance: 'INV-1' }, meta()],
  'Ledger.assignPayer': () => [{ receipt: 'RU', customer: 'ACME', date: '2026-04-01' }, meta()],
  'Ledger.voidReceipt': () => [{ receipt: 'RU', date: '2026-04-01', reason: 'r' }, meta()],
  'Ledger.issueCreditMemo': () => [oneOf([
    { id: 'CMNEW', customer: 'ACME', date: '2026-04-01', amount: '1.00', currency: 'USD', reason: 'r' },
    { id: 'CMNEW', customer: 'ACME', date: '2026-04-01', against: 'INV-2', lines: [{ line: 0, quantity: '1' }] },
    { id: 'CMNEW', customer: 'ACME', date: '2026-04-01', against: 'INV-2', whole: true },
  ]), meta()],
  'Ledger.voidCreditMemo': () => [{ creditMemo: 'CM-2', date: '2026-04-01', reason: 'r' }, meta()],
  'Ledger.apply': () => [{ invoice: 'INV-1', amount: '1.00', date: '2026-04-01', receipt: 'R2', installment: 1, discount: '0', id: 'ANEW' }, meta()],
  'Ledger.applyFifo': () => [{ date: '2026-04-01', receipt: 'R2', includeDisputed: true }, meta()],
  'Ledger.unapply': () => [{ application: 'A1', date: '2026-04-01', reason: 'r' }, meta()],
  'Ledger.writeOff': () => [{ invoice: 'INV-1', date: '2026-04-01', reason: 'r', amount: '1.00', installment: 1, id: 'W1' }, meta()],
  'Ledger.reverseWriteOff': () => [{ writeOff: 'WO', date: '2026-04-02', reason: 'r' }, meta()],
  'Ledger.refund': () => [{ amount: '1.00', date: '2026-04-01', receipt: 'R2', method: 'check', reason: 'r', id: 'RF1' }, meta()],
  'Ledger.writeOffSource': () => [{ date: '2026-04-01', reason: 'r', receipt: 'R2', amount: '1.00', id: 'WS1' }, meta()],
  'Ledger.discountSplit': () => ['INV-1', 1, '1.00'],
  'Ledger.bookAllowance': () => [{ date: '2026-04-01', currency: 'USD', amount: '10.00', reason: 'r' }, meta()],
  'Ledger.revalue': () => [{ date: '2026-04-01', rates: [{ currency: 'EUR', rate: '1.10' }] }, meta()],
  'Ledger.closePeriod': () => [{ upTo: '2026-03-31', policy: 'move_to_open_day' }, meta()],
  // Something to reopen: a close made here, when the state allows one.
  'Ledger.reopenPeriod': (x) => {
    try {
      x.ledger.closePeriod({ upTo: '2026-02-28' }, { recorded: '2026-04-01T08:30:00Z' });
    } catch {
      // Recorded after this time already: whatever is closed stays so.
    }
    return [{ from: '2026-02-01', reason: 'r' }, meta()];
  },
  'Ledger.periodDigest': () => ['2026-03-31', '2026-04-01T00:00:00Z'],
  'Ledger.journal': () => [journalOptions(), view()],
  'Ledger.journalCsv': () => [journalOptions(), view()],
  'Ledger.trialBalance': () => [journalOptions(), view()],
  'Ledger.reconcileGl': () => [[{ account: 'receivable', currency: 'USD', date: '2026-03-01', amount: '1.00', document: 'INV-1' }], journalOptions(), view()],
  'Ledger.openItems': () => [view()],
  'Ledger.unappliedCash': () => [view()],
  'Ledger.openCredits': () => [view()],
  'Ledger.balances': () => [view()],
  'Ledger.customerBalance': () => ['ACME', view()],
  'Ledger.invoice': () => ['INV-1', view()],
  'Ledger.receipt': () => ['R2', view()],
  'Ledger.creditMemo': () => ['CM-1', view()],
  'Ledger.applications': () => [view()],
  'Ledger.matchItems': () => [view()],
  'Ledger.matchReceiptInputs': () => [view()],
  'Ledger.matchCustomers': () => [view()],
  'Ledger.matchReceipts': () => [view(), matchOptions()],
  'Ledger.matchReceipt': () => ['R2', view(), matchOptions()],
  'Ledger.applyMatch': (x) => [x.ledger.matchReceipt('RM'), 0, meta()],
  'Ledger.aging': () => [{ asOf: '2026-04-01', knownAt: '2026-04-01T00:00:00Z', basis: 'invoice_date', buckets: [0, 30, 60], groupBy: ['customer'], detail: true, rates: { functional: 'USD', rates: [{ currency: 'EUR', date: '2026-01-01', rate: '1.10' }] }, ratesDate: '2026-04-01' }],
  'Ledger.metrics': () => [{ start: '2026-03-01', end: '2026-03-31', knownAt: '2026-04-01T00:00:00Z', groupBy: ['customer'], cei: { monthlyAverage: 1 }, countbackMonths: 3, rates: { functional: 'USD', rates: [{ currency: 'EUR', date: '2026-01-01', rate: '1.10' }] }, ratesDate: '2026-03-31' }],
  'Ledger.rollRates': () => [{ periodEnds: ['2026-03-01', '2026-03-31'], currency: 'USD', buckets: [0, 30], finalLoss: '100', knownAt: '2026-04-01T00:00:00Z' }],
  // Collections.
  interestRule: () => ['eu_directive', [{ from: '2024-01-01', rate: '4.5' }]],
  lateInterest: () => [{ rule: rule(), principal: '100.00', dueDate: '2024-01-31', through: '2024-03-31', currency: 'EUR', changes: [{ date: '2024-02-15', amount: '-10.00' }] }],
  discountCost: () => ['2', 10, 30],
  discountCostOfTerms: () => ['2/10 net 30', '2026-03-01'],
  formatAmount: () => ['1234.5', 'EUR'],
  renderNotice: (x) => ['{{ customer_name }} {{ total|money(currency) }}', notice(x), 'n'],
  'Ledger.recordDunningNotice': (x) => [{ notice: notice(x), id: 'NNEW', date: '2026-06-30' }, meta()],
  'Ledger.issueCharge': () => [{ id: 'FNEW', customer: 'ACME', date: '2026-04-01', kind: 'fee', lines: [{ item: { invoice: 'INV-1' }, amount: '1.00' }] }, meta()],
  'Ledger.applyInClearingOrder': () => [{ receipt: 'R2', date: '2026-04-01', invoice: 'INV-1', includeDisputed: true }, meta()],
  'Ledger.openDispute': () => [{ id: 'DNEW', invoice: 'INV-1', installment: 1, amount: '1.00', reason: 'r', owner: 'o', note: 'n' }, '2026-04-01', meta()],
  'Ledger.resolveDispute': () => [{ dispute: 'DOPEN', date: '2026-04-01', by: 'me', reason: 'r' }, meta()],
  'Ledger.recordPromise': () => [{ id: 'PNEW', customer: 'ACME', items: [{ invoice: 'INV-1' }], amount: '1.00', due: '2026-05-01', graceDays: 1, thresholdPercent: '50', note: 'n' }, '2026-04-01', meta()],
  'Ledger.agreePlan': (x) => [{ id: 'PLNEW', customer: 'ACME', items: [{ invoice: 'INV-5' }], instalments: [{ due: '2026-05-01', amount: x.ledger.invoice('INV-5')?.open ?? '1.00' }], graceDays: 1 }, '2026-04-01', meta()],
  'Ledger.setCollectionsHold': () => [{ customer: 'ACME', hold: true, date: '2026-04-01', reason: 'r' }, meta()],
  'Ledger.dunningRun': () => [dunningPolicy(), { asOf: '2026-06-30', templates: { t: '{{ total }}' }, knownAt: '2026-04-01T00:00:00Z' }],
  'Ledger.disputes': () => [{ asOf: '2026-04-01', knownAt: '2026-04-01T00:00:00Z' }],
  'Ledger.disputeSummary': () => [{ asOf: '2026-04-01', by: 'owner' }],
  'Ledger.promises': () => [{ asOf: '2026-04-01', broken: false }],
  'Ledger.plans': () => [{ asOf: '2026-04-01' }],
  // Statements, the forecast, the log row by row.
  'Ledger.statement': () => ['ACME', { from: '2026-03-01', to: '2026-04-30', knownAt: '2030-01-01T00:00:00Z', buckets: [0, 30] }],
  'Ledger.statements': () => [{ from: '2026-03-01', to: '2026-04-30', knownAt: '2030-01-01T00:00:00Z', buckets: [0, 30] }],
  'Ledger.renderStatements': () => [{ from: '2026-03-01', to: '2026-04-30', company: { name: 'W', address: ['1 Main St'] }, format: 'text', template: '{{ company.name }}', customers: ['ACME'] }],
  'Ledger.forecast': () => [{ asOf: '2026-04-01', knownAt: '2030-01-01T00:00:00Z', shrinkage: 5, disputedProbability: '0.5' }],
  'Ledger.forecastBacktest': () => [{ asOf: '2026-03-01', weeks: 4, knownAt: '2030-01-01T00:00:00Z', shrinkage: 5, disputedProbability: '0.5' }],
  // Credit control and the worklist.
  'Ledger.setCreditHold': () => [{ customer: 'ACME', hold: true, date: '2026-04-01', reason: 'r', by: 'me' }, meta()],
  'Ledger.creditCheck': () => [{ customer: 'ACME', amount: '1.00', asOf: '2026-04-01', knownAt: '2030-01-01T00:00:00Z', orders: '1.00', policy: { warnAtPercent: '80', pastDueDays: 10, pastDue: 'warn', brokenPromise: 'block' } }],
  'Ledger.worklist': () => [{ asOf: '2026-04-01', knownAt: '2030-01-01T00:00:00Z', currency: 'USD', dimension: ['region', 'north'] }],
  'Ledger.logLines': () => [1],
  // Bank files, accounting systems, reports as CSV and .xlsx.
  parseBankFile: () => [bankFile('bai2/handmade.bai'), oneOf([undefined, 'bai2'])],
  parseCamt: () => [bankFile('camt/handmade-camt054.v04.xml')],
  parseBai2: () => [bankFile('bai2/handmade.bai').toString('utf8')],
  parseMt940: () => [bankFile('mt940/rabobank-iban.sta')],
  parseNacha: () => [bankFile('nacha/handmade-ccd-ctx.ach')],
  parseX12_820: () => [bankFile('x12/handmade-820.edi')],
  'Ledger.recordBankReceipts': () => [statement(), { idPrefix: 'BNEW-', customer: 'ACME' }, meta()],
  'Ledger.reconcileBank': () => [statement(), { daysBefore: 5, daysAfter: 5, from: '2026-02-01', to: '2026-03-31' }, view()],
  accountingProfile: () => ['qbo-invoices'],
  importAccounting: () => [bankFile('systems/qbo_invoice_list.csv'), oneOf(['qbo-invoices', ar.accountingProfile('qbo-invoices')]),
    { name: 'q.csv', columns: { document: ['No.'] }, currency: 'USD', openItems: false }],
  'Ledger.fromBookRows': () => [bookRowsOf(), '2026-04-01T00:00:00Z'],
  'Ledger.exportInvoices': () => [{ layout: 'xero', dateFormat: '%d/%m/%Y', accountCode: '200', noTax: 'No VAT' }, view()],
  'Ledger.exportPayments': () => [{ layout: 'quickbooks', dateFormat: '%m/%d/%Y' }, view()],
  agingToCsv: (x) => [x.ledger.aging({ asOf: '2026-04-01', detail: true })],
  agingToXlsx: (x) => [x.ledger.aging({ asOf: '2026-04-01', detail: true })],
  openItemsToCsv: (x) => [x.ledger.openItems(), '2026-04-01'],
  openItemsToXlsx: (x) => [x.ledger.openItems(), '2026-04-01'],
  journalToXlsx: (x) => [x.ledger.journal()],
  reconciliationToCsv: (x) => [x.ledger.reconcileBank(statement())],
  reconciliationToXlsx: (x) => [x.ledger.reconcileBank(statement())],
  // The next row of this ledger's log, made by a copy of it.
  'Ledger.appendLogLine': (x) => {
    const next = ar.Ledger.fromJson(x.json);
    next.registerCustomer({ id: 'LNEW', name: 'n', currency: 'USD' }, { recorded: '2026-04-01T09:00:00Z' });
    return [next.logLines(next.length - 1)[0]];
  },
};

/** A sample file of ar-formats/tests/data. */
function bankFile(path) {
  return readFileSync(new URL(`../../ar-formats/tests/data/${path}`, import.meta.url));
}

const statement = () => ar.parseBankFile(bankFile('bai2/handmade.bai'));
const bookRowsOf = () => ar.importAccounting(bankFile('systems/qbo_invoice_list.csv'), 'qbo-invoices', { currency: 'USD' });

// An async variant starts from its sync variant's arguments.
for (const [async, sync] of Object.entries({
  matchReceiptsAsync: 'matchReceipts',
  'Book.fromTablesAsync': 'new Book',
  'Book.agingAsync': 'Book.aging',
  'Book.metricsAsync': 'Book.metrics',
  'Ledger.fromJsonAsync': 'Ledger.fromJson',
  'Ledger.restoreAsync': 'Ledger.restore',
  'Ledger.fromTablesAsync': 'Ledger.fromTables',
  'Ledger.agingAsync': 'Ledger.aging',
  'Ledger.metricsAsync': 'Ledger.metrics',
  'Ledger.journalAsync': 'Ledger.journal',
  'Ledger.rollRatesAsync': 'Ledger.rollRates',
  'Ledger.matchReceiptsAsync': 'Ledger.matchReceipts',
  'Ledger.worklistAsync': 'Ledger.worklist',
  'Ledger.forecastAsync': 'Ledger.forecast',
  'Ledger.statementsAsync': 'Ledger.statements',
  'Ledger.renderStatementsAsync': 'Ledger.renderStatements',
  'Matcher.matchBatchAsync': 'Matcher.matchBatch',
})) {
  templates[async] = templates[sync];
}

function rule() {
  return { rates: [{ from: '2024-01-01', rate: '4.5' }], margin: '8', basis: 'per_annum', dayCount: 'actual360', mode: 'floating', graceDays: 1, compensation: [{ currency: 'USD', tiers: [{ below: '1000', amount: '40' }, { amount: '70' }] }], rounding: 'half_even' };
}

function dunningPolicy() {
  return { id: 'p', levels: [{ days: 1, template: 't', action: 'letter', minOverdue: [{ amount: '1.00', currency: 'USD' }], fee: [{ amount: '1.00', currency: 'USD' }], interest: true }], minDaysBetween: 7, interest: rule(), clearing: 'as_named' };
}

/** A notice of a run over the fresh ledger. */
function notice(x) {
  const run = x.ledger.dunningRun(dunningPolicy(), { asOf: '2026-06-30' });
  return run.notices[0];
}

// --- The targets, enumerated from the module --------------------------------

const isClass = (v) => typeof v === 'function' && Object.getOwnPropertyNames(v.prototype ?? {}).some((n) => n !== 'constructor');

/** Every callable: [name, call(x, args), isLedgerCommand]. */
function targets() {
  const out = [];
  for (const [name, value] of Object.entries(ar)) {
    // ArError is JS's own Error subclass: made by ar, never given ar's arguments.
    if (typeof value !== 'function' || value === ArError) continue;
    if (!isClass(value)) {
      out.push([name, (x, args) => value(...args)]);
      continue;
    }
    out.push([`new ${name}`, (x, args) => new value(...args)]);
    for (const key of Object.getOwnPropertyNames(value)) {
      if (typeof value[key] === 'function' && key !== 'prototype') out.push([`${name}.${key}`, (x, args) => value[key](...args)]);
    }
    for (const key of Object.getOwnPropertyNames(value.prototype)) {
      if (key === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(value.prototype, key);
      const self = (x) => x[name.toLowerCase()];
      out.push([`${name}.${key}`, d.get ? (x) => self(x)[key] : (x, args) => self(x)[key](...args)]);
    }
  }
  return out;
}

// --- Mutation ---------------------------------------------------------------

/** Every container (plain object or array) inside `value`, with its keys. */
function containers(value, out = [], depth = 0) {
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return out;
  out.push(value);
  for (const k of Object.keys(value)) containers(value[k], out, depth + 1);
  return out;
}

/** `args` made hostile, in place; returns the arguments to call with. */
function mutate(args) {
  const roll = random();
  if (roll < 0.1) return Array.from({ length: below(5) }, () => junk());
  if (roll < 0.2) {
    if (args.length > 0) args[below(args.length)] = junk();
    return args;
  }
  if (roll < 0.25) return args.slice(0, below(args.length + 1));
  if (roll < 0.3) return [...args, junk(), junk()];
  if (roll < 0.35) return args;
  const places = containers(args).filter((c) => Object.keys(c).length > 0 || Array.isArray(c));
  const place = oneOf(places);
  const keys = Object.keys(place);
  const key = keys.length > 0 && chance(0.9) ? oneOf(keys) : String(below(4));
  if (roll < 0.45 && !Array.isArray(place)) delete place[key];
  else place[key] = chance(0.3) ? oneOf(decimals) : junk();
  if (chance(0.2)) {
    // A second change, elsewhere.
    const other = oneOf(places);
    const otherKeys = Object.keys(other);
    if (otherKeys.length > 0) other[oneOf(otherKeys)] = junk(1);
  }
  return args;
}

/** A short description of a value, whatever it is. */
function describe(value, depth = 0) {
  try {
    if (typeof value === 'string') return value.length > 40 ? `${JSON.stringify(value.slice(0, 20))}…(${value.length})` : JSON.stringify(value);
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'symbol' || typeof value === 'function' || value === undefined) return String(value);
    if (value === null || typeof value !== 'object') return Object.is(value, -0) ? '-0' : String(value);
    if (depth > 2) return '…';
    if (Array.isArray(value)) return value.length > 8 ? `[${value.length} elements]` : `[${value.map((v) => describe(v, depth + 1)).join(', ')}]`;
    return `{${Object.keys(value).slice(0, 12).map((k) => `${k}: ${describe(value[k], depth + 1)}`).join(', ')}}`;
  } catch {
    return '(unreadable)';
  }
}

/**
 * True when `args` hold a decimal string of 28 or more digits: at the limit
 * of a 96-bit decimal, in magnitude or in decimal places.
 */
function nearLimit(args) {
  const seen = new Set();
  const walk = (v, depth) => {
    if (typeof v === 'string') return /^[+-]?\d{28,}(\.\d*)?$/.test(v) || /^[+-]?\d*\.?\d{28,}$/.test(v);
    if (depth > 6 || v === null || typeof v !== 'object' || seen.has(v)) return false;
    seen.add(v);
    try {
      if (!Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) return false;
      return Object.keys(v).some((k) => walk(v[k], depth + 1));
    } catch {
      return false;
    }
  };
  return walk(args, 0);
}

// --- The run ----------------------------------------------------------------

const COMMANDS = new Set([
  'executeJson', 'executeAllJson', 'registerCustomer', 'updateCustomer', 'issueInvoice', 'finalizeInvoice', 'importInvoice',
  'voidInvoice', 'setDispute', 'recordReceipt', 'assignPayer', 'voidReceipt', 'issueCreditMemo', 'voidCreditMemo', 'apply',
  'applyFifo', 'unapply', 'writeOff', 'reverseWriteOff', 'refund', 'applyMatch', 'recordDunningNotice', 'issueCharge',
  'applyInClearingOrder', 'openDispute', 'resolveDispute', 'recordPromise', 'agreePlan', 'setCollectionsHold',
  'setCreditHold', 'recordBankReceipts',
].map((m) => `Ledger.${m}`));

/** What a run found, kept for the tests below. */
const run = { tried: 0, threw: 0, uncoded: [], changed: [], internal: [], byTarget: new Map() };

function fresh() {
  const ledger = build();
  // A receipt the matcher proposes to apply in full, for applyMatch.
  ledger.recordReceipt({ id: 'RM', customer: 'ACME', date: '2026-03-20', amount: '19.00', currency: 'USD', remittance: 'INV-1' }, { recorded: '2026-04-01T08:00:00Z' });
  // A draft, for finalizeInvoice.
  ledger.issueInvoice({ id: 'DRAFT', customer: 'ACME', date: '2026-03-25', lines: [line()], draft: true }, { recorded: '2026-04-01T08:00:00Z' });
  // Documents nothing settles yet, for voidInvoice, voidCreditMemo and
  // reverseWriteOff.
  const r = { recorded: '2026-04-01T08:00:00Z' };
  ledger.issueInvoice({ id: 'INV-5', customer: 'ACME', date: '2026-03-25', lines: [line()] }, r);
  ledger.issueInvoice({ id: 'INV-6', customer: 'ACME', date: '2026-03-25', lines: [line()] }, r);
  ledger.writeOff({ id: 'WO', invoice: 'INV-6', date: '2026-03-26', reason: 'r', amount: '1.00' }, r);
  ledger.issueCreditMemo({ id: 'CM-2', customer: 'ACME', date: '2026-03-25', amount: '1.00' }, r);
  // An open dispute, for resolveDispute.
  ledger.issueInvoice({ id: 'INV-7', customer: 'ACME', date: '2026-03-25', lines: [line()] }, r);
  ledger.openDispute({ id: 'DOPEN', invoice: 'INV-7', reason: 'r', owner: 'o' }, '2026-03-26', r);
  // And one from a payer not known yet, for assignPayer.
  ledger.recordReceipt({ id: 'RU', date: '2026-03-21', amount: '5.00', currency: 'USD' }, { recorded: '2026-04-01T08:00:00Z' });
  return { ledger, book: new Book(bookTables()), matcher: new Matcher([item()], matchCustomers()), json: ledger.toJson() };
}

/** Checks what a call threw (or its promise was rejected with). */
function judge(x, name, shown, args, thrown, before) {
  run.threw += 1;
  // A file that cannot be read has a code of its own (family 'format').
  const codes = thrown?.family === 'format' ? FORMAT_ERROR_CODES : ERROR_CODES;
  if (!(thrown instanceof ArError) || typeof thrown.code !== 'string' || !codes.includes(thrown.code)) {
    run.uncoded.push(`${name}(${shown}): ${describe(thrown)} ${thrown?.message ?? ''}`.slice(0, 400));
    return;
  }
  if (typeof thrown.family !== 'string' || !thrown.message.startsWith(`${thrown.code}: `) || thrown.message.length > 1100) {
    run.uncoded.push(`${name}(${shown}): malformed ${thrown.code} error: ${thrown.message.slice(0, 200)}`);
  }
  if (before !== null && x.ledger.length !== before) {
    run.changed.push(`${name}(${shown}): ${thrown.code}, yet the ledger went from ${before} to ${x.ledger.length} events`);
  }
  if (thrown.code === 'internal') run.internal.push({ name, shown, near: nearLimit(args), message: thrown.message });
}

/** Runs every target; the async variants' promises are awaited at the end. */
async function hostileRun() {
  let x = fresh();
  const pending = [];
  for (const [name, call] of targets()) {
    const template = templates[name];
    let tried = 0;
    for (let i = 0; i < CALLS; i += 1) {
      if (run.tried % 400 === 0) x = fresh();
      let args;
      try {
        args = template ? template(x) : [];
      } catch {
        // The state moved on (the receipt a match is made from was used): start afresh.
        x = fresh();
        args = template(x);
      }
      args = mutate(args);
      const shown = describe(args);
      const before = COMMANDS.has(name) ? x.ledger.length : null;
      run.tried += 1;
      tried += 1;
      let result;
      try {
        result = call(x, args);
      } catch (e) {
        judge(x, name, shown, args, e, before);
        continue;
      }
      if (name.endsWith('Async')) {
        if (!(result instanceof Promise)) run.uncoded.push(`${name}(${shown}): returned ${describe(result)}, not a promise`);
        else pending.push(result.then(() => {}, (e) => judge(x, name, shown, args, e, null)));
      }
    }
    run.byTarget.set(name, tried);
  }
  await Promise.all(pending);
}

test('hostile inputs: every throw (and rejection) is an ArError with a code of ERROR_CODES, and nothing crashes', async () => {
  const started = Date.now();
  await hostileRun();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // The count the report quotes.
  console.log(`hostile: ${run.tried} inputs tried over ${run.byTarget.size} targets (${run.threw} threw) in ${seconds} s, seed ${SEED}`);
  const internal = new Map();
  for (const i of run.internal) internal.set(`${i.name}: ${i.message}`, (internal.get(`${i.name}: ${i.message}`) ?? 0) + 1);
  for (const [what, n] of internal) console.log(`hostile: internal x${n}: ${what}`);
  assert.deepEqual(run.uncoded, []);
  assert.ok(run.tried >= run.byTarget.size * CALLS);
  // Most inputs are bad: most calls throw.
  assert.ok(run.threw > run.tried / 2, `${run.threw} of ${run.tried}`);
});

test('hostile inputs: a rejected command changes nothing', () => {
  assert.deepEqual(run.changed, []);
});

test('hostile inputs: every target has valid arguments to start from, so new ones are driven past their first check', async () => {
  const missing = targets().map(([name]) => name).filter((name) => !(name in templates));
  assert.deepEqual(missing, []);
  // And each template is valid as given: it runs without a throw on a fresh state.
  const invalid = [];
  for (const [name, call] of targets()) {
    const x = fresh();
    try {
      await call(x, templates[name](x));
    } catch (e) {
      invalid.push(`${name}: ${e.message}`);
    }
  }
  assert.deepEqual(invalid, []);
});

test('hostile inputs: no internal error at all', () => {
  assert.deepEqual(run.internal.map((i) => `${i.name}(${i.shown}): ${i.message}`), []);
  // None is the binding's own: those would say a member threw without a code.
  assert.deepEqual(run.internal.filter((i) => /without a code/.test(i.message)), []);
});

// --- Arithmetic near the decimal limit is overflow, one reproducer each --------

for (const [what, fn] of [
  ['computeTotals: a line of MAX with a 10 % discount', () => ar.computeTotals({ lines: [{ quantity: '1', unitPrice: MAX, discountPercent: '10' }], currency: 'USD' })],
  ['computeTotals: lines of MAX and 1.00', () => ar.computeTotals({ lines: [{ quantity: '1', unitPrice: MAX }, { quantity: '1', unitPrice: '1.00' }], currency: 'USD' })],
  ['computeTotals: MAX with 19 % tax included', () => ar.computeTotals({ lines: [{ quantity: '1', unitPrice: MAX, taxes: [{ code: 'V', rate: '19' }] }], currency: 'USD', taxMode: 'inclusive' })],
  ['schedule: 2/10 net 30 on MAX JPY', () => ar.schedule({ terms: '2/10 net 30', invoiceDate: '2026-03-01', total: MAX, currency: 'JPY' })],
  ['issueInvoice: a line of MAX with a 10 % discount', () => build().issueInvoice({ id: 'X', customer: 'ACME', date: '2026-04-01', lines: [{ quantity: '1', unitPrice: MAX, discountPercent: '10' }] }, { recorded: '2026-04-01T09:00:00Z' })],
  ['schedule: installments of a total of -MAX', () => ar.schedule({ terms: { installments: [{ due: 'net 30', percent: '50' }, { due: 'net 60', remainder: true }] }, invoiceDate: '2026-03-01', total: `-${MAX}`, currency: 'USD' })],
  ['apply: 10.00 with a discount of MAX', () => build().apply({ receipt: 'R2', invoice: 'INV-1', amount: '10.00', discount: MAX, date: '2026-04-01' }, { recorded: '2026-04-01T09:00:00Z' })],
]) {
  test(`${what} is overflow`, () => {
    let caught;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    assert.equal(caught?.code, 'overflow', caught?.message);
  });
}

test('roll rates at the decimal limit are a rate or a typed error, never internal', () => {
  // A roll rate is capped at 100 %: a balance that grows past its source
  // bucket rolls all of it.
  assert.deepEqual(ar.rollRatesFromHistory([['1', '2'], ['3', MAX]]), ['100']);
  assert.deepEqual(ar.rollRatesFromHistory([['0.0000000000000000000000000001', '2'], ['3', '4']]), ['100']);
});

test('a panic the binding catches prints nothing to stderr', () => {
  // Today the core panics on this; once it gives overflow there is no panic
  // and nothing to print either way.
  const script = `
    const ar = require(${JSON.stringify(new URL('../index.js', import.meta.url).pathname)});
    try { ar.computeTotals({ lines: [{ quantity: '1', unitPrice: '${MAX}', discountPercent: '10' }], currency: 'USD' }); }
    catch (e) { process.stdout.write(e.code); }
  `;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  assert.ok(ERROR_CODES.includes(child.stdout), child.stdout);
  assert.equal(child.stderr, '');
});
