// Every documented limit (LIMITS, from the core's `ar_core::limits`): at the
// limit the call succeeds, one past it is `limit_exceeded`.
//
// Counts of arrays and maps the binding reads element by element (lines,
// taxes, installments, buckets, group-by keys, dimensions, period ends,
// weights) are checked by the binding from their length, before reading
// them. Lengths of text and the countback months are checked by the core.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { LIMITS, Book, Ledger, allocate, computeTotals, schedule } from '../index.js';
import { throwsCode } from './scenario.mjs';

const rec = { recorded: '2026-01-01T00:00:00Z' };
const line = { quantity: '1', unitPrice: '1.00' };

/** A ledger with customer C (USD). */
function ledger() {
  const l = new Ledger();
  l.registerCustomer({ id: 'C', name: 'C', currency: 'USD' }, rec);
  return l;
}

/** `n` distinct keys `k0`, `k1`, ... mapped to `v`. */
const dims = (n, v = 'v') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, v]));

/** Checks that `call(limit)` succeeds and `call(limit + 1)` is `limit_exceeded`. */
function atAndPast(limit, call) {
  call(limit);
  const e = throwsCode(assert, () => call(limit + 1), 'limit_exceeded');
  assert.equal(e.family, 'validation');
  assert.match(e.message, new RegExp(`: ${limit + 1} is more than the limit of ${limit}$`));
}

test('LIMITS are the documented values', () => {
  assert.deepEqual({ ...LIMITS }, {
    maxIdLen: 128,
    maxTextLen: 65_536,
    maxKeyLen: 256,
    maxDimensions: 64,
    maxLines: 10_000,
    maxTaxesPerLine: 16,
    maxInstallments: 366,
    maxBuckets: 64,
    maxPeriods: 1_200,
    maxWeights: 1_000_000,
  });
});

test('lines of an invoice', () => {
  const l = ledger();
  let n = 0;
  atAndPast(LIMITS.maxLines, (k) => l.issueInvoice({ id: `I${n++}`, customer: 'C', date: '2026-01-01', lines: new Array(k).fill(line) }, rec));
  atAndPast(LIMITS.maxLines, (k) => computeTotals({ lines: new Array(k).fill(line), currency: 'USD' }));
});

test('lines of a credit memo', () => {
  const l = ledger();
  l.issueInvoice({ id: 'I', customer: 'C', date: '2026-01-01', lines: new Array(LIMITS.maxLines).fill({ quantity: '2', unitPrice: '1.00' }) }, rec);
  const credit = (k) => ({ id: `CM${k}`, customer: 'C', date: '2026-01-02', against: 'I', lines: Array.from({ length: k }, (_, i) => ({ line: i % LIMITS.maxLines, quantity: '1' })) });
  atAndPast(LIMITS.maxLines, (k) => l.issueCreditMemo(credit(k), rec));
});

test('taxes on a line', () => {
  const taxes = (k) => Array.from({ length: k }, (_, i) => ({ code: `T${i}`, rate: '1' }));
  atAndPast(LIMITS.maxTaxesPerLine, (k) => computeTotals({ lines: [{ ...line, taxes: taxes(k) }], currency: 'USD' }));
});

test('installments of payment terms', () => {
  const terms = (k) => ({ installments: Array.from({ length: k }, (_, i) => ({ due: `net ${i}` })) });
  atAndPast(LIMITS.maxInstallments, (k) => schedule({ terms: terms(k), invoiceDate: '2026-01-01', total: '1000.00', currency: 'USD' }));
  const l = ledger();
  let n = 0;
  atAndPast(LIMITS.maxInstallments, (k) => l.registerCustomer({ id: `T${n++}`, name: 'T', currency: 'USD', terms: terms(k) }, rec));
});

test('aging buckets', () => {
  const l = ledger();
  const bounds = (k) => Array.from({ length: k }, (_, i) => i * 10);
  atAndPast(LIMITS.maxBuckets, (k) => l.aging({ asOf: '2026-01-01', buckets: bounds(k) }));
  atAndPast(LIMITS.maxBuckets, (k) => l.rollRates({ periodEnds: ['2026-01-31', '2026-02-28'], currency: 'USD', buckets: bounds(k) }));
  const book = new Book({ currency: 'USD', invoices: [] });
  atAndPast(LIMITS.maxBuckets, (k) => book.aging({ asOf: '2026-01-01', buckets: bounds(k) }));
});

test('dimensions and group-by keys', () => {
  const l = ledger();
  let n = 0;
  atAndPast(LIMITS.maxDimensions, (k) => l.registerCustomer({ id: `D${n++}`, name: 'D', currency: 'USD', dimensions: dims(k) }, rec));
  atAndPast(LIMITS.maxDimensions, (k) => l.issueInvoice({ id: `I${n++}`, customer: 'C', date: '2026-01-01', lines: [line], dimensions: dims(k) }, rec));
  const keys = (k) => Array.from({ length: k }, (_, i) => `invoice.k${i}`);
  atAndPast(LIMITS.maxDimensions, (k) => l.aging({ asOf: '2026-01-01', groupBy: keys(k) }));
  atAndPast(LIMITS.maxDimensions, (k) => l.metrics({ start: '2026-01-01', end: '2026-01-31', groupBy: keys(k) }));
  const names = (k) => Array.from({ length: k }, (_, i) => `k${i}`);
  atAndPast(LIMITS.maxDimensions, (k) => new Book({ currency: 'USD', invoices: [], dimensions: names(k) }));
});

test('period ends of roll rates', () => {
  const l = ledger();
  const ends = (k) => Array.from({ length: k }, (_, i) => new Date(Date.UTC(1990, 0, 1 + i)).toISOString().slice(0, 10));
  atAndPast(LIMITS.maxPeriods, (k) => l.rollRates({ periodEnds: ends(k), currency: 'USD' }));
});

test('weights of an allocation', () => {
  atAndPast(LIMITS.maxWeights, (k) => allocate('100.00', new Array(k).fill('1'), 'USD'));
});

test('the length of a key in a table of a book', () => {
  atAndPast(LIMITS.maxKeyLen, (k) => new Book({ currency: 'USD', invoices: [], dimensions: ['k'.repeat(k)] }));
});

test('countback months of metrics', () => {
  const l = ledger();
  atAndPast(LIMITS.maxPeriods, (k) => l.metrics({ start: '2026-01-01', end: '2026-01-31', countbackMonths: k }));
});

test('countback months far past the limit are refused before anything is allocated', () => {
  const l = ledger();
  throwsCode(assert, () => l.metrics({ start: '2026-01-01', end: '2026-01-31', countbackMonths: 1e9 }), 'limit_exceeded');
});

test('the length of an id', () => {
  const l = ledger();
  atAndPast(LIMITS.maxIdLen, (k) => l.registerCustomer({ id: 'x'.repeat(k), name: 'n', currency: 'USD' }, rec));
});

test('the length of free text', () => {
  const l = ledger();
  let n = 0;
  const text = (k) => 'é'.repeat(k / 2) + 'x'.repeat(k % 2);
  atAndPast(LIMITS.maxTextLen, (k) => l.registerCustomer({ id: `N${n++}`, name: text(k), currency: 'USD' }, rec));
  atAndPast(LIMITS.maxTextLen, (k) => l.issueInvoice({ id: `I${n++}`, customer: 'C', date: '2026-01-01', lines: [{ ...line, description: text(k) }] }, rec));
  atAndPast(LIMITS.maxTextLen, (k) => l.recordReceipt({ id: `R${n++}`, date: '2026-01-01', amount: '1.00', currency: 'USD', remittance: text(k) }, rec));
});

test('the length of a tax code, a dimension key and a dimension value', () => {
  const l = ledger();
  let n = 0;
  atAndPast(LIMITS.maxKeyLen, (k) => computeTotals({ lines: [{ ...line, taxes: [{ code: 'T'.repeat(k), rate: '1' }] }], currency: 'USD' }));
  atAndPast(LIMITS.maxKeyLen, (k) => l.registerCustomer({ id: `K${n++}`, name: 'K', currency: 'USD', dimensions: { ['k'.repeat(k)]: 'v' } }, rec));
  atAndPast(LIMITS.maxKeyLen, (k) => l.registerCustomer({ id: `V${n++}`, name: 'V', currency: 'USD', dimensions: { k: 'v'.repeat(k) } }, rec));
  atAndPast(LIMITS.maxKeyLen, (k) => l.aging({ asOf: '2026-01-01', groupBy: [`invoice.${'k'.repeat(k)}`] }));
});
