// Cash application through the Node binding: the hand-worked cases of
// ar-core/tests/matching.rs and the ledger flow of
// ar-core/tests/cash_application.rs, with amounts as decimal strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Ledger, Matcher, creditorReference, matchReceipts, parseRemittance } from '../index.js';
import { at, throwsCode } from './scenario.mjs';

/** An open invoice of `open`, due `due`, dated 30 days before. */
function inv(id, customer, due, open) {
  const date = new Date(`${due}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 30);
  return { kind: 'invoice', id, customer, currency: 'USD', date: date.toISOString().slice(0, 10), dueDate: due, open };
}

function receipt(id, customer, date, amount, remittance = '') {
  const r = { id, date, amount, currency: 'USD', remittance };
  if (customer) r.customer = customer;
  return r;
}

/** The one receipt's match. */
function one(r, items, options) {
  const batch = matchReceipts([r], items, [], options);
  assert.equal(batch.matches.length, 1);
  return batch.matches[0];
}

/** [invoice, amount, discount, writeOff, openAfter] of proposal `p`. */
const lines = (m, p = 0) => m.proposals[p].applications.map((a) => [a.invoice, a.amount, a.discount, a.writeOff, a.openAfter]);
const has = (m, code, p = 0) => m.proposals[p].reasons.some((r) => r.code === code);

test('300.00 against 100.00, 250.00 and 50.00 settles 250.00 + 50.00', () => {
  const items = [
    inv('INV-1', 'ACME', '2026-01-31', '100.00'),
    inv('INV-2', 'ACME', '2026-02-28', '250.00'),
    inv('INV-3', 'ACME', '2026-03-31', '50.00'),
  ];
  const m = one(receipt('R1', 'ACME', '2026-04-02', '300.00'), items);
  assert.equal(m.status, 'auto');
  assert.deepEqual(lines(m), [
    ['INV-2', '250.00', '0.00', '0.00', '0.00'],
    ['INV-3', '50.00', '0.00', '0.00', '0.00'],
  ]);
  assert.ok(has(m, 'combination'));
  assert.ok(m.proposals[0].confidence >= 85);
  assert.equal(typeof m.proposals[0].confidence, 'number');
  const p = m.proposals[0];
  assert.deepEqual([p.customer, p.payerBasis, p.unapplied], ['ACME', 'given', '0.00']);
  assert.deepEqual(p.applications[0], {
    sourceKind: 'receipt', source: 'R1', invoice: 'INV-2', amount: '250.00', discount: '0.00',
    writeOff: '0.00', openAfter: '0.00', date: '2026-04-02',
  });
  assert.deepEqual([m.receipt, m.date, m.amount, m.currency, m.givenPayer], ['R1', '2026-04-02', '300.00', 'USD', 'ACME']);
  for (const r of p.reasons) assert.equal(typeof r.message, 'string');
});

test('INV-1001/1002 settles both, though INV-1003 alone has the amount too', () => {
  const items = [
    inv('INV-1001', 'ACME', '2026-01-31', '120.00'),
    inv('INV-1002', 'ACME', '2026-02-28', '80.50'),
    inv('INV-1003', 'ACME', '2026-03-31', '200.50'),
  ];
  const m = one(receipt('R1', 'ACME', '2026-04-02', '200.50', 'INV-1001/1002'), items);
  assert.equal(m.status, 'auto');
  assert.deepEqual(lines(m), [
    ['INV-1001', '120.00', '0.00', '0.00', '0.00'],
    ['INV-1002', '80.50', '0.00', '0.00', '0.00'],
  ]);
  assert.equal(m.proposals[0].confidence, 99);
  assert.ok(has(m, 'reference'));
  assert.ok(has(m, 'exact_amount'));
  assert.deepEqual(m.references.map((r) => [r.kind, r.number]), [['invoice', '1001'], ['invoice', '1002']]);
});

/** 1,000.00 on 2/10 net 30, invoiced 1 March: 20.00 off until 11 March. */
const discounted = (id) => ({
  ...inv(id, 'ACME', '2026-03-31', '1000.00'),
  date: '2026-03-01',
  discount: { until: '2026-03-11', amount: '20.00' },
});

test('a 2% discount taken in its window closes the invoice; after it, 20.00 stays open', () => {
  let m = one(receipt('R1', 'ACME', '2026-03-10', '980.00', 'INV 77'), [discounted('INV-77')]);
  assert.equal(m.status, 'auto');
  assert.deepEqual(lines(m), [['INV-77', '980.00', '20.00', '0.00', '0.00']]);
  assert.ok(has(m, 'discount_in_window'));
  // The same 980.00 on 20 March: the window closed on the 11th.
  m = one(receipt('R1', 'ACME', '2026-03-20', '980.00', 'INV 77'), [discounted('INV-77')]);
  assert.deepEqual(lines(m), [['INV-77', '980.00', '0.00', '0.00', '20.00']]);
  assert.ok(has(m, 'discount_late'));
  // By the amount alone too.
  m = one(receipt('R1', 'ACME', '2026-03-05', '980.00'), [discounted('INV-77')]);
  assert.equal(m.status, 'auto');
  assert.deepEqual(lines(m), [['INV-77', '980.00', '20.00', '0.00', '0.00']]);
});

test('15.00 short within a 25.00 tolerance is written off; 30.00 short is not', () => {
  const options = { tolerance: { fixed: '25.00' } };
  const items = () => [inv('INV-5', 'ACME', '2026-03-31', '500.00')];
  let m = one(receipt('R1', 'ACME', '2026-04-01', '485.00', 'INV-5'), items(), options);
  assert.equal(m.status, 'auto');
  assert.deepEqual(lines(m), [['INV-5', '485.00', '0.00', '15.00', '0.00']]);
  assert.ok(has(m, 'short_pay_written_off'));
  m = one(receipt('R1', 'ACME', '2026-04-01', '470.00', 'INV-5'), items(), options);
  assert.deepEqual(lines(m), [['INV-5', '470.00', '0.00', '0.00', '30.00']]);
  assert.ok(has(m, 'short_pay_deduction'));
  assert.ok(!has(m, 'short_pay_written_off'));
  // A percentage: 2 % of 500.00 is 10.00; 9.99 short passes, 10.01 does not.
  const percent = { tolerance: { percent: '2' } };
  m = one(receipt('R1', 'ACME', '2026-04-01', '490.01', 'INV-5'), items(), percent);
  assert.deepEqual(lines(m), [['INV-5', '490.01', '0.00', '9.99', '0.00']]);
  m = one(receipt('R1', 'ACME', '2026-04-01', '489.99', 'INV-5'), items(), percent);
  assert.deepEqual(lines(m), [['INV-5', '489.99', '0.00', '0.00', '10.01']]);
  // No tolerance by default: 15.00 short stays open.
  m = one(receipt('R1', 'ACME', '2026-04-01', '485.00', 'INV-5'), items());
  assert.deepEqual(lines(m), [['INV-5', '485.00', '0.00', '0.00', '15.00']]);
});

test('a payment several subsets fit is not applied, and lists them all', () => {
  // 500.00 against 100, 200, 300, 400: 100 + 400 and 200 + 300 fit equally.
  const items = [
    inv('A', 'ACME', '2026-01-31', '100.00'),
    inv('B', 'ACME', '2026-02-28', '200.00'),
    inv('C', 'ACME', '2026-03-31', '300.00'),
    inv('D', 'ACME', '2026-04-30', '400.00'),
  ];
  const m = one(receipt('R1', 'ACME', '2026-05-02', '500.00'), items);
  assert.equal(m.status, 'review');
  assert.ok(m.notes.some((n) => n.code === 'ambiguous'));
  assert.deepEqual(m.proposals.map((p) => p.applications.map((a) => a.invoice)), [['A', 'D'], ['B', 'C']]);
  assert.equal(m.proposals[0].confidence, m.proposals[1].confidence);
});

test('a receipt with no payer is identified by its reference', () => {
  const items = [
    inv('INV-000123', 'ACME', '2026-03-31', '640.00'),
    inv('INV-000124', 'GLOBEX', '2026-03-31', '640.00'),
  ];
  const m = one(receipt('R1', null, '2026-04-01', '640.00', 'ACH CCD PAYMENT INV123'), items);
  assert.equal(m.status, 'auto');
  assert.equal('givenPayer' in m, false);
  assert.deepEqual([m.proposals[0].customer, m.proposals[0].payerBasis], ['ACME', 'reference']);
  assert.ok(has(m, 'payer_by_reference'));
  assert.deepEqual(lines(m), [['INV-000123', '640.00', '0.00', '0.00', '0.00']]);
});

test('a typo is accepted only when the amount agrees, and only among the payer\'s items', () => {
  const items = () => [inv('INV-4512', 'ACME', '2026-03-31', '310.00'), inv('INV-9000', 'ACME', '2026-04-30', '75.00')];
  // 4152 is 4512 with two digits swapped; the amount is 4512's.
  let m = one(receipt('R1', 'ACME', '2026-04-01', '310.00', 'INV 4152'), items());
  assert.equal(m.status, 'auto');
  assert.deepEqual(lines(m), [['INV-4512', '310.00', '0.00', '0.00', '0.00']]);
  assert.ok(has(m, 'fuzzy_reference'));
  for (const text of ['INV 45512', 'INV 452']) {
    m = one(receipt('R1', 'ACME', '2026-04-01', '310.00', text), items());
    assert.ok(has(m, 'fuzzy_reference'), text);
  }
  // The same typo with an amount that does not agree: not taken.
  m = one(receipt('R1', 'ACME', '2026-04-01', '200.00', 'INV 4152'), items());
  assert.equal(m.status, 'unmatched');
  assert.deepEqual(m.proposals, []);
  // Another customer's item: not looked at.
  const other = items();
  other[0].customer = 'GLOBEX';
  assert.equal(one(receipt('R1', 'ACME', '2026-04-01', '310.00', 'INV 4152'), other).status, 'unmatched');
  // Fuzzy matching off: the typo is not looked for.
  m = one(receipt('R1', 'ACME', '2026-04-01', '310.00', 'INV 4152'), items(), { fuzzy: false });
  assert.ok(m.proposals.every((p) => !p.reasons.some((r) => r.code === 'fuzzy_reference')));
});

test('purchase orders, credit memos and creditor references', () => {
  let m = one(receipt('R1', 'ACME', '2026-04-01', '410.00', 'P.O. 4500012345'), [
    { ...inv('INV-31', 'ACME', '2026-03-31', '410.00'), poNumber: 'PO-4500012345' },
    inv('INV-32', 'ACME', '2026-03-31', '410.00'),
  ]);
  assert.equal(m.status, 'auto');
  assert.equal(m.proposals[0].applications[0].invoice, 'INV-31');
  assert.ok(has(m, 'purchase_order'));

  // 500.00 less credit memo CM-9 of 55.00: 445.00 paid.
  const credit = { ...inv('CM-9', 'ACME', '2026-03-15', '55.00'), kind: 'credit_memo' };
  m = one(receipt('R1', 'ACME', '2026-04-01', '445.00', 'INV 40 less credit CM-9'), [inv('INV-40', 'ACME', '2026-03-31', '500.00'), credit]);
  assert.equal(m.status, 'auto');
  const [memo, cash] = m.proposals[0].applications;
  assert.deepEqual([memo.sourceKind, memo.source, memo.amount, memo.openAfter], ['credit_memo', 'CM-9', '55.00', '445.00']);
  assert.deepEqual([cash.sourceKind, cash.source, cash.amount], ['receipt', 'R1', '445.00']);

  // The ISO 11649 example; its body is our invoice number.
  m = one(receipt('R1', null, '2026-04-01', '99.00', 'RF18 5390 0754 7034'), [inv('539007547034', 'ACME', '2026-03-31', '99.00')]);
  assert.equal(m.status, 'auto');
  assert.equal(m.proposals[0].confidence, 100);
  assert.ok(has(m, 'creditor_reference'));
});

test('overpayment leaves cash unapplied; a partial payment leaves the rest open', () => {
  let m = one(receipt('R1', 'ACME', '2026-04-01', '260.00', 'INV-8'), [inv('INV-8', 'ACME', '2026-03-31', '250.00')]);
  assert.equal(m.status, 'auto');
  assert.equal(m.proposals[0].unapplied, '10.00');
  assert.ok(has(m, 'overpayment'));
  m = one(receipt('R1', 'ACME', '2026-04-01', '100.00', 'INV-8'), [inv('INV-8', 'ACME', '2026-03-31', '250.00')]);
  assert.deepEqual(lines(m), [['INV-8', '100.00', '0.00', '0.00', '150.00']]);
});

test('write-offs need a reference, partial payments are reviewed, unless the options say otherwise', () => {
  // 236.67 - 225.45 = 11.22, within 25.00; only the amount points at INV-7001.
  const items = () => [inv('INV-7001', 'ACME', '2026-03-31', '236.67'), inv('INV-7002', 'ACME', '2026-03-31', '980.00')];
  const tolerance = { fixed: '25.00' };
  let m = one(receipt('R1', 'ACME', '2026-04-02', '225.45', 'PO 90595'), items(), { tolerance });
  assert.equal(m.status, 'review');
  assert.deepEqual(lines(m), [['INV-7001', '225.45', '0.00', '11.22', '0.00']]);
  assert.ok(has(m, 'tolerance_unsupported'));
  m = one(receipt('R1', 'ACME', '2026-04-02', '225.45', ''), items(), { tolerance, toleranceEvidence: 'any' });
  assert.equal(m.status, 'auto');
  m = one(receipt('R1', 'ACME', '2026-04-02', '225.45', 'INV-7001'), items(), { tolerance, toleranceEvidence: 'review_only' });
  assert.equal(m.status, 'review');
  // 100.00 of INV-7002's 980.00: reviewed, or applied when partial payments may be.
  m = one(receipt('R1', 'ACME', '2026-04-02', '100.00', 'INV-7002'), items());
  assert.equal(m.status, 'review');
  assert.ok(has(m, 'partial_payment'));
  m = one(receipt('R1', 'ACME', '2026-04-02', '100.00', 'INV-7002'), items(), { partialPayments: 'auto' });
  assert.equal(m.status, 'auto');
  assert.deepEqual(lines(m), [['INV-7002', '100.00', '0.00', '0.00', '880.00']]);
  throwsCode(assert, () => one(receipt('R1', 'ACME', '2026-04-02', '1.00'), items(), { toleranceEvidence: 'amount' }), 'invalid_value');
  throwsCode(assert, () => one(receipt('R1', 'ACME', '2026-04-02', '1.00'), items(), { partialPayments: 'always' }), 'invalid_value');
  // A check number is not an invoice number; a deposit pays no invoice.
  const r = parseRemittance('CHECK NO 4411 DEPOSIT');
  assert.equal(r.references[0].kind, 'check');
  assert.equal(r.noInvoice, true);
});

test('a batch never settles an item twice, and sums up per status', () => {
  const items = [inv('INV-1', 'ACME', '2026-03-31', '100.00'), inv('INV-2', 'ACME', '2026-04-30', '100.00')];
  const batch = matchReceipts(
    [
      receipt('R1', 'ACME', '2026-05-01', '100.00'),
      receipt('R2', 'ACME', '2026-05-01', '100.00', 'INV-1'),
      receipt('R3', 'ACME', '2026-05-01', '100.00', 'INV-1'),
    ],
    items,
  );
  const [r1, r2, r3] = batch.matches;
  assert.deepEqual(batch.matches.map((m) => m.receipt), ['R1', 'R2', 'R3']);
  assert.equal(r2.status, 'auto');
  assert.equal(r2.proposals[0].applications[0].invoice, 'INV-1');
  assert.ok(r3.notes.some((n) => n.code === 'not_open'));
  assert.notEqual(r3.status, 'auto');
  assert.equal(r1.status, 'auto');
  assert.equal(r1.proposals[0].applications[0].invoice, 'INV-2');
  assert.deepEqual(batch.summary, [
    { status: 'auto', currency: 'USD', receipts: 2, amount: '200.00' },
    { status: 'review', currency: 'USD', receipts: 1, amount: '100.00' },
    { status: 'unmatched', currency: 'USD', receipts: 0, amount: '0.00' },
  ]);
});

test('Matcher: payers by name and by account; items consumed across batches', () => {
  const items = [inv('INV-1', 'ACME', '2026-03-31', '700.00'), inv('INV-2', 'GLOBEX', '2026-03-31', '700.00')];
  const customers = [
    { id: 'ACME', name: 'Acme Corp', accounts: ['021000021-99887766'] },
    { id: 'GLOBEX', name: 'Globex Corporation', aliases: ['Globex Intl'] },
  ];
  const matcher = new Matcher(items, customers);
  const r = receipt('R1', null, '2026-04-01', '700.00', 'ACH GLOBEX INTL PAYMENT');
  let p = matcher.propose(r);
  assert.deepEqual([p.proposals[0].customer, p.proposals[0].payerBasis], ['GLOBEX', 'name']);
  p = matcher.propose({ ...r, remittance: '', account: '021000021 99887766' });
  assert.deepEqual([p.proposals[0].customer, p.proposals[0].payerBasis], ['ACME', 'account']);
  // Neither: the amount fits both customers' invoices; never applied.
  p = matcher.propose({ ...r, remittance: '' });
  assert.equal(p.status, 'review');
  assert.ok(p.proposals.every((x) => x.payerBasis === 'amount' && x.confidence <= 70));
  // propose consumes nothing; matchBatch consumes what it applies, for later batches too.
  const first = matcher.matchBatch([receipt('R2', 'ACME', '2026-04-01', '700.00')]);
  assert.equal(first.matches[0].status, 'auto');
  const second = matcher.matchBatch([receipt('R3', 'ACME', '2026-04-02', '700.00')]);
  assert.equal(second.matches[0].status, 'unmatched');
  // A bad batch is refused whole and leaves the matcher as it was.
  throwsCode(assert, () => matcher.matchBatch([receipt('R4', 'GLOBEX', '2026-04-02', '700.00'), receipt('R5', 'GLOBEX', '2026-04-02', '0.00')]), 'invalid_amount');
  assert.equal(matcher.matchBatch([receipt('R4', 'GLOBEX', '2026-04-02', '700.00')]).matches[0].status, 'auto');
});

test('disputed items are proposed but never applied automatically', () => {
  const m = one(receipt('R1', 'ACME', '2026-04-01', '100.00', 'INV-1'), [{ ...inv('INV-1', 'ACME', '2026-03-31', '100.00'), disputed: true }]);
  assert.equal(m.status, 'review');
  assert.ok(has(m, 'disputed'));
});

test('hostile input is bounded: 5,000 equal invoices, a megabyte of text', () => {
  const items = Array.from({ length: 5000 }, (_, i) => inv(`INV-${i}`, 'ACME', '2026-03-31', '100.00'));
  let m = one(receipt('R1', 'ACME', '2026-04-01', '300.00'), items);
  assert.equal(m.status, 'review');
  assert.equal(m.proposals.length, 10);
  assert.ok(m.notes.some((n) => n.code === 'more_alternatives'));
  m = one(receipt('R1', 'ACME', '2026-04-01', '300.00'), items, { maxProposals: 3 });
  assert.equal(m.proposals.length, 3);
  const text = 'INV-1 INV-2 0123456789 '.repeat(50_000);
  m = one(receipt('R1', 'ACME', '2026-04-01', '100.00', text), [inv('INV-1', 'ACME', '2026-03-31', '100.00')]);
  assert.equal(m.status, 'auto');
  assert.ok(m.notes.some((n) => n.code === 'text_truncated'));
});

test('results are deterministic', () => {
  const items = Array.from({ length: 50 }, (_, i) => inv(`INV-${i}`, 'ACME', '2026-03-31', `${10 + (i % 7)}.00`));
  const receipts = Array.from({ length: 20 }, (_, i) => receipt(`R${i}`, 'ACME', '2026-04-01', `${20 + i}.00`));
  assert.deepEqual(matchReceipts(receipts, items), matchReceipts(receipts, items));
  const m = new Matcher(items);
  assert.deepEqual(m.matchBatch(receipts), matchReceipts(receipts, items));
});

test('parseRemittance and creditorReference', () => {
  const r = parseRemittance('ACH CCD ACME INV-000123/124, PO 778 less credit 55');
  assert.deepEqual(r.references.map((x) => [x.kind, x.number]), [
    ['invoice', '123'], ['invoice', '124'], ['purchase_order', '778'], ['credit_memo', '55'],
  ]);
  assert.deepEqual(r.references[0], { kind: 'invoice', text: 'INV000123', number: '123', inRange: false, atEnd: false });
  assert.deepEqual(r.deductions, ['55']);
  assert.equal(r.truncated, false);
  const range = parseRemittance('inv 123-125');
  // The range expanded, and the text as one number too (ids like 2026-0017 exist).
  assert.deepEqual(range.references.map((x) => [x.number, x.inRange]), [['123', true], ['124', true], ['125', true], ['123125', false]]);
  assert.equal(parseRemittance('x'.repeat(5000)).truncated, true);
  assert.deepEqual(parseRemittance('RF18 5390 0754 7034').references.map((x) => [x.kind, x.text]), [['creditor', '539007547034']]);
  assert.equal(creditorReference('5390 0754 7034'), 'RF18539007547034');
  const rf = creditorReference('INV-000123');
  assert.ok(rf.startsWith('RF') && rf.endsWith('INV000123'));
  assert.equal(parseRemittance(rf).references[0].kind, 'creditor');
  const e = throwsCode(assert, () => creditorReference('-'), 'invalid_value');
  assert.match(e.message, /^invalid_value: reference: /);
  throwsCode(assert, () => creditorReference('1'.repeat(22)), 'invalid_value');
  throwsCode(assert, () => parseRemittance(5), 'invalid_type');
});

test('bad input: typed errors naming the field', () => {
  const ok = [inv('A', 'X', '2026-01-01', '1.00')];
  let e = throwsCode(assert, () => matchReceipts([receipt('R1', null, '2026-04-01', '0.00')], []), 'invalid_amount');
  assert.match(e.message, /^invalid_amount: receipts\[0\]\.amount: /);
  assert.equal(e.family, 'validation');
  e = throwsCode(assert, () => matchReceipts([receipt('R1', null, '2026-04-01', 300)], []), 'invalid_type');
  assert.equal(e.message, 'invalid_type: receipts[0].amount: expected a decimal string such as "12.50", got the number 300');
  e = throwsCode(assert, () => matchReceipts([], [{ ...ok[0], open: 1 }]), 'invalid_type');
  assert.match(e.message, /^invalid_type: items\[0\]\.open: /);
  e = throwsCode(assert, () => matchReceipts([], [inv('A', 'X', '2026-01-01', '1.001')]), 'too_many_decimals');
  assert.match(e.message, /items\[0\]\.open/);
  throwsCode(assert, () => matchReceipts([], [...ok, ...ok]), 'duplicate_id');
  throwsCode(assert, () => matchReceipts([], [{ ...ok[0], open: '1e3' }]), 'invalid_decimal');
  e = throwsCode(assert, () => matchReceipts([], [{ ...ok[0], dueDate: '2026-02-30' }]), 'invalid_date');
  assert.match(e.message, /items\[0\]\.dueDate/);
  e = throwsCode(assert, () => matchReceipts([], [{ ...ok[0], kind: 'bill' }]), 'invalid_value');
  assert.match(e.message, /items\[0\]\.kind/);
  e = throwsCode(assert, () => matchReceipts([], [{ ...ok[0], discount: { until: '2026-01-10', amount: '2.00' } }]), 'invalid_amount');
  assert.match(e.message, /items\[0\]\.discount\.amount/);
  e = throwsCode(assert, () => matchReceipts([{ ...receipt('R1', null, '2026-04-01', '1.00'), currency: 'usd' }], []), 'invalid_currency');
  assert.match(e.message, /receipts\[0\]\.currency/);
  throwsCode(assert, () => matchReceipts([null], []), 'invalid_type');
  throwsCode(assert, () => matchReceipts('R1', []), 'invalid_type');
  throwsCode(assert, () => matchReceipts([], [{ id: 'A' }]), 'invalid_type');
  e = throwsCode(assert, () => matchReceipts([], [], [{ id: ' X', name: 'X' }]), 'invalid_value');
  assert.match(e.message, /customers\[0\]\.id/);
  // Options, named as JS spells them.
  e = throwsCode(assert, () => matchReceipts([], [], [], { autoThreshold: 101 }), 'invalid_value');
  assert.match(e.message, /^invalid_value: options\.autoThreshold: /);
  throwsCode(assert, () => matchReceipts([], [], [], { autoThreshold: 1000 }), 'invalid_value');
  throwsCode(assert, () => matchReceipts([], [], [], { autoThreshold: 50.5 }), 'invalid_value');
  e = throwsCode(assert, () => matchReceipts([], [], [], { maxCombination: 13 }), 'invalid_value');
  assert.match(e.message, /options\.maxCombination/);
  e = throwsCode(assert, () => matchReceipts([], [], [], { maxSearchSteps: 0 }), 'invalid_value');
  assert.match(e.message, /options\.maxSearchSteps/);
  e = throwsCode(assert, () => matchReceipts([], [], [], { tolerance: { percent: '100' } }), 'invalid_value');
  assert.match(e.message, /options\.tolerance\.percent/);
  e = throwsCode(assert, () => matchReceipts([], [], [], { tolerance: { fixed: '-1.00' } }), 'invalid_amount');
  assert.match(e.message, /options\.tolerance\.fixed/);
  e = throwsCode(assert, () => matchReceipts([], [], [], { tolerance: { fixed: 25 } }), 'invalid_type');
  assert.match(e.message, /options\.tolerance\.fixed/);
  // The Matcher names what it was given.
  const matcher = new Matcher(ok);
  e = throwsCode(assert, () => matcher.propose(receipt('R1', 'X', '2026-04-01', 10)), 'invalid_type');
  assert.match(e.message, /^invalid_type: receipt\.amount: /);
  e = throwsCode(assert, () => matcher.propose({ ...receipt('R1', 'X', '2026-04-01', '1.00'), id: ' ' }), 'invalid_value');
  assert.match(e.message, /receipt\.id/);
  throwsCode(assert, () => new Matcher(ok, [], { maxProposals: -1 }), 'invalid_value');
});

// ---------------------------------------------------------------------------
// Through a ledger: ar-core/tests/cash_application.rs.
//
// ACME (2/10 net 30): INV-1001 1,000.00 on 03-01 (20.00 off until 03-11),
// INV-1002 250.00 and INV-1003 50.00 on 03-05. GLOBEX (net 30): INV-2001
// 400.00 on 03-02.
// - R1, ACME, 03-10, 980.00 "INV-1001": the discount in its window.
// - R2, no payer, 03-20, 300.00 "ACME CORP INV 1002 1003": the references name
//   ACME; 250.00 + 50.00 = 300.00 (their discounts closed on 03-15).
// - R3, GLOBEX, 03-25, 385.00, no remittance: 15.00 short of INV-2001, within
//   a 25.00 tolerance: written off.
// ---------------------------------------------------------------------------

function books() {
  const l = new Ledger();
  const t = at('2026-03-01T08:00:00Z');
  l.registerCustomer({ id: 'ACME', name: 'Acme Corp', currency: 'USD', terms: '2/10 net 30' }, t);
  l.registerCustomer({ id: 'GLOBEX', name: 'Globex Corporation', currency: 'USD' }, t);
  for (const [id, customer, date, amount] of [
    ['INV-1001', 'ACME', '2026-03-01', '1000.00'],
    ['INV-2001', 'GLOBEX', '2026-03-02', '400.00'],
    ['INV-1002', 'ACME', '2026-03-05', '250.00'],
    ['INV-1003', 'ACME', '2026-03-05', '50.00'],
  ]) {
    l.issueInvoice({ id, customer, date, lines: [{ description: 'Goods', quantity: '1', unitPrice: amount }] }, t);
  }
  for (const [id, customer, date, amount, remittance] of [
    ['R1', 'ACME', '2026-03-10', '980.00', 'INV-1001'],
    ['R2', undefined, '2026-03-20', '300.00', 'ACME CORP INV 1002 1003'],
    ['R3', 'GLOBEX', '2026-03-25', '385.00', ''],
  ]) {
    l.recordReceipt({ id, customer, date, amount, currency: 'USD', method: 'ach', remittance }, at('2026-03-26T08:00:00Z'));
  }
  return l;
}

const options = { tolerance: { fixed: '25.00' } };

test('ledger: proposals from the books settle everything exactly', () => {
  const l = books();
  const i1001 = l.matchItems().find((i) => i.id === 'INV-1001');
  assert.deepEqual(i1001, {
    kind: 'invoice', id: 'INV-1001', customer: 'ACME', currency: 'USD', date: '2026-03-01', dueDate: '2026-03-31',
    open: '1000.00', discount: { until: '2026-03-11', amount: '20.00' }, disputed: false,
  });
  assert.deepEqual(l.matchReceiptInputs().map((r) => [r.id, r.customer, r.amount]), [
    ['R1', 'ACME', '980.00'], ['R2', undefined, '300.00'], ['R3', 'GLOBEX', '385.00'],
  ]);
  assert.deepEqual(l.matchCustomers().map((c) => [c.id, c.name]), [['ACME', 'Acme Corp'], ['GLOBEX', 'Globex Corporation']]);

  const batch = l.matchReceipts(undefined, options);
  assert.deepEqual(batch.matches.map((m) => [m.receipt, m.status]), [['R1', 'auto'], ['R2', 'auto'], ['R3', 'review']]);
  // R3's write-off rests on the amount alone: proposed, for review.
  assert.equal(batch.matches[2].proposals[0].applications[0].writeOff, '15.00');
  assert.equal(batch.matches[1].proposals[0].payerBasis, 'reference');
  assert.equal(batch.summary[0].amount, '1280.00');
  // The same batch from the ledger's inputs, without the ledger.
  assert.deepEqual(matchReceipts(l.matchReceiptInputs(), l.matchItems(), l.matchCustomers(), options), batch);
  // Without the tolerance, nothing fits R3's 385.00 and it names nothing.
  const strict = l.matchReceipt('R3');
  assert.deepEqual([strict.status, strict.proposals], ['unmatched', []]);
  assert.ok(strict.notes.some((n) => n.code === 'no_fit'));

  const outcomes = batch.matches.map((m, k) => l.applyMatch(m, 0, at(`2026-03-27T08:00:0${k}Z`)));
  assert.deepEqual(outcomes.map((o) => o.map((x) => x.events[0].type)), [
    ['applied'],
    ['payer_assigned', 'applied', 'applied'],
    ['applied', 'written_off'],
  ]);
  const i1 = l.invoice('INV-1001');
  assert.deepEqual([i1.open, i1.paid, i1.discounted], ['0.00', '980.00', '20.00']);
  const i2 = l.invoice('INV-2001');
  assert.deepEqual([i2.paid, i2.writtenOff, i2.status], ['385.00', '15.00', 'written_off']);
  assert.deepEqual(l.openItems(), []);
  assert.equal(l.receipt('R2').customer, 'ACME');
  assert.equal(Ledger.fromJson(l.toJson()).toJson(), l.toJson());
  // Nothing left to match.
  assert.deepEqual(l.matchReceipts().matches, []);
});

test('ledger: a stale proposal is refused whole, the ledger unchanged', () => {
  const l = books();
  const m = l.matchReceipt('R2', undefined, options);
  assert.equal(m.status, 'auto');
  // Someone settles INV-1003 by hand with R1's cash meanwhile.
  l.apply({ receipt: 'R1', invoice: 'INV-1003', amount: '50.00', date: '2026-03-20' }, at('2026-03-27T08:00:00Z'));
  const before = l.toJson();
  // Assigning the payer and INV-1002 would pass; INV-1003 no longer can.
  throwsCode(assert, () => l.applyMatch(m, 0, at('2026-03-27T09:00:00Z')), 'over_application');
  assert.equal(l.toJson(), before);
  // With an idempotency key, the keys of the undone commands are gone too.
  throwsCode(assert, () => l.applyMatch(m, 0, { ...at('2026-03-27T09:00:00Z'), idempotencyKey: 'match-R2' }), 'over_application');
  assert.equal(l.toJson(), before);
  // A fresh proposal from the books as they now stand: R2 settles INV-1002,
  // 50.00 left over. (Proposal defaults to the first.)
  const fresh = l.matchReceipt('R2', undefined, options);
  assert.deepEqual(lines(fresh), [['INV-1002', '250.00', '0.00', '0.00', '0.00']]);
  assert.equal(fresh.proposals[0].unapplied, '50.00');
  const out = l.applyMatch(fresh, undefined, { ...at('2026-03-27T09:00:00Z'), idempotencyKey: 'match-R2' });
  assert.equal(out.length, 2);
  // Retried with the same key: replayed, nothing appended.
  const length = l.length;
  const again = l.applyMatch(fresh, 0, { ...at('2026-03-27T09:00:00Z'), idempotencyKey: 'match-R2' });
  assert.deepEqual(again.map((o) => o.replayed), [true, true]);
  assert.equal(l.length, length);
});

test('ledger: unknown receipt, missing proposal, a match that is not one', () => {
  const l = books();
  const before = l.toJson();
  let e = throwsCode(assert, () => l.matchReceipt('R9'), 'not_found');
  assert.match(e.message, /^not_found: receipt: /);
  const m = l.matchReceipt('R1', undefined, options);
  e = throwsCode(assert, () => l.applyMatch(m, 5, at('2026-03-27T09:00:00Z')), 'not_found');
  assert.match(e.message, /proposal/);
  throwsCode(assert, () => l.applyMatch(m, -1, at('2026-03-27T09:00:00Z')), 'invalid_value');
  throwsCode(assert, () => l.applyMatch(m, 0.5, at('2026-03-27T09:00:00Z')), 'invalid_value');
  throwsCode(assert, () => l.applyMatch(null, 0, at('2026-03-27T09:00:00Z')), 'invalid_type');
  throwsCode(assert, () => l.applyMatch('R1', 0, at('2026-03-27T09:00:00Z')), 'invalid_type');
  e = throwsCode(assert, () => l.applyMatch({ ...m, proposals: undefined }, 0, at('2026-03-27T09:00:00Z')), 'invalid_type');
  assert.match(e.message, /^invalid_type: match\.proposals: /);
  const edited = structuredClone(m);
  edited.proposals[0].applications[0].amount = 980;
  e = throwsCode(assert, () => l.applyMatch(edited, 0, at('2026-03-27T09:00:00Z')), 'invalid_type');
  assert.match(e.message, /^invalid_type: match\.proposals\[0\]\.applications\[0\]\.amount: /);
  edited.proposals[0].applications[0].amount = '980.001';
  throwsCode(assert, () => l.applyMatch(edited, 0, at('2026-03-27T09:00:00Z')), 'too_many_decimals');
  edited.proposals[0].applications[0].amount = '980.00';
  edited.proposals[0].applications[0].sourceKind = 'cheque';
  e = throwsCode(assert, () => l.applyMatch(edited, 0, at('2026-03-27T09:00:00Z')), 'invalid_value');
  assert.match(e.message, /match\.proposals\[0\]\.applications\[0\]\.sourceKind/);
  throwsCode(assert, () => l.matchReceipts(undefined, { autoThreshold: 101 }), 'invalid_value');
  throwsCode(assert, () => l.matchReceipts({ asOf: 'soon' }), 'invalid_date');
  assert.equal(l.toJson(), before);
  // A reviewer's edit is applied as edited: 500.00 of R1 instead of 980.00.
  edited.proposals[0].applications[0].sourceKind = 'receipt';
  edited.proposals[0].applications[0].amount = '500.00';
  edited.proposals[0].applications[0].discount = '0.00';
  l.applyMatch(edited, 0, at('2026-03-27T09:00:00Z'));
  assert.deepEqual([l.invoice('INV-1001').open, l.receipt('R1').open], ['500.00', '480.00']);
});

test('ledger: a view sees the books as they stood', () => {
  const l = books();
  // As of 03-15 only R1 had been received; R2 and R3 come later.
  const early = l.matchReceipts({ asOf: '2026-03-15' }, options);
  assert.deepEqual(early.matches.map((m) => m.receipt), ['R1']);
  // Known at 03-01 no receipt was recorded yet.
  assert.deepEqual(l.matchReceipts({ knownAt: '2026-03-02T00:00:00Z' }).matches, []);
  throwsCode(assert, () => l.matchReceipt('R2', { asOf: '2026-03-15' }), 'not_found');
});

test('executeAllJson: all of the commands, or none', () => {
  const l = books();
  const before = l.toJson();
  const apply = (receipt, invoice, amount, date) => JSON.stringify({ type: 'apply', source: { receipt }, invoice, amount, discount: '0', date });
  // The second one over-applies R3: nothing of the first stays.
  const bad = [apply('R3', 'INV-2001', '300.00', '2026-03-25'), apply('R3', 'INV-2001', '100.00', '2026-03-25')];
  throwsCode(assert, () => l.executeAllJson(bad, at('2026-03-27T09:00:00Z')), 'over_application');
  assert.equal(l.toJson(), before);
  let e = throwsCode(assert, () => l.executeAllJson([bad[0], '{"type":"nope"}'], at('2026-03-27T09:00:00Z')), 'invalid_value');
  assert.match(e.message, /^invalid_value: commandsJson\[1\]: /);
  throwsCode(assert, () => l.executeAllJson(bad[0], at('2026-03-27T09:00:00Z')), 'invalid_type');
  assert.equal(l.toJson(), before);
  const out = l.executeAllJson([bad[0], apply('R3', 'INV-2001', '85.00', '2026-03-25')], at('2026-03-27T09:00:00Z'));
  assert.deepEqual(out.map((o) => o.events[0].type), ['applied', 'applied']);
  assert.equal(l.invoice('INV-2001').open, '15.00');
  assert.deepEqual(l.executeAllJson([]), []);
});

test('ledger: customers are offered as the view knows them', () => {
  // ACME and GLOBEX are registered at 03-01 08:00; INITECH at 04-01.
  const l = books();
  l.registerCustomer({ id: 'INITECH', name: 'Initech', currency: 'USD' }, at('2026-04-01T08:00:00Z'));
  assert.deepEqual(l.matchCustomers().map((c) => c.id), ['ACME', 'GLOBEX', 'INITECH']);
  assert.deepEqual(l.matchCustomers({ knownAt: '2026-03-31T00:00:00Z' }).map((c) => c.id), ['ACME', 'GLOBEX']);
  // An effective date alone hides none: customers are registered when recorded.
  assert.equal(l.matchCustomers({ asOf: '2026-03-02' }).length, 3);
});

test('a matcher for daily use is told of changes made outside it', () => {
  // Monday: ACME owes INV-1 (100.00) and INV-2 (250.00); BETA owes INV-9 (250.00).
  const matcher = new Matcher([
    inv('INV-1', 'ACME', '2026-03-31', '100.00'),
    inv('INV-2', 'ACME', '2026-04-15', '250.00'),
    inv('INV-9', 'BETA', '2026-04-15', '250.00'),
  ]);
  // Overnight: INV-3 issued; INV-1 paid at the counter; INV-2 half credited; INV-9 disputed.
  matcher.addItems([inv('INV-3', 'ACME', '2026-04-30', '75.00')]);
  matcher.removeItems([{ id: 'INV-1' }]);
  matcher.updateItems([inv('INV-2', 'ACME', '2026-04-15', '125.00'), { ...inv('INV-9', 'BETA', '2026-04-15', '250.00'), disputed: true }]);
  const receipts = [
    receipt('R1', 'ACME', '2026-04-16', '75.00', 'INV-3'),
    receipt('R2', 'ACME', '2026-04-16', '125.00'),
    receipt('R3', 'ACME', '2026-04-16', '100.00', 'INV-1'),
  ];
  const batch = matcher.matchBatch(receipts);
  const status = Object.fromEntries(batch.matches.map((m) => [m.receipt, m.status]));
  assert.equal(status.R1, 'auto');
  const r2 = batch.matches.find((m) => m.receipt === 'R2');
  assert.equal(r2.proposals[0].applications[0].invoice, 'INV-2');
  assert.equal(r2.proposals[0].applications[0].openAfter, '0.00');
  assert.notEqual(status.R3, 'auto', 'INV-1 is no longer open');
  // The same statuses as a matcher built from the items as they stand.
  const fresh = new Matcher([
    inv('INV-2', 'ACME', '2026-04-15', '125.00'),
    { ...inv('INV-9', 'BETA', '2026-04-15', '250.00'), disputed: true },
    inv('INV-3', 'ACME', '2026-04-30', '75.00'),
  ]).matchBatch(receipts);
  assert.deepEqual(batch.matches.map((m) => m.status), fresh.matches.map((m) => m.status));
  // Errors change nothing.
  const dup = throwsCode(assert, () => matcher.addItems([inv('INV-3', 'ACME', '2026-04-30', '75.00')]), 'duplicate_id');
  assert.equal(dup.field, 'items[0].id');
  const missing = throwsCode(assert, () => matcher.removeItems([{ id: 'CM-1', kind: 'credit_memo' }]), 'not_found');
  assert.equal(missing.field, 'keys[0].id');
  throwsCode(assert, () => matcher.updateItems([inv('INV-404', 'ACME', '2026-04-30', '1.00')]), 'not_found');
  const other = throwsCode(assert, () => matcher.updateItems([inv('INV-9', 'ACME', '2026-04-15', '250.00')]), 'invalid_value');
  assert.equal(other.field, 'items[0].customer');
});

test('an installment named in the remittance is the one paid', () => {
  assert.deepEqual(parseRemittance('Inv 7 installment 3 of 3').installments, [3]);
  const items = ['2026-04-01', '2026-05-01', '2026-06-01'].map((due, k) => ({ ...inv('INV-7', 'ACME', due, '100.00'), installment: k + 1 }));
  const m = matchReceipts([receipt('R1', 'ACME', '2026-04-02', '100.00', 'INV-7 installment 3 of 3')], items).matches[0];
  assert.equal(m.status, 'auto');
  assert.equal(m.proposals[0].applications[0].installment, 3);
});

test('ledger: a kept matcher follows the ledger\'s events', () => {
  const l = books();
  const kept = new Matcher(l.matchItems(), l.matchCustomers(), options);
  const since = l.length;
  const batch = l.matchReceipts(undefined, options);
  l.applyMatch(batch.matches[0], 0, at('2026-03-27T08:00:00Z'));
  const t = at('2026-03-28T08:00:00Z');
  l.issueInvoice({ id: 'INV-1005', customer: 'ACME', date: '2026-03-21', lines: [{ description: 'Goods', quantity: '1', unitPrice: '75.00' }] }, t);
  l.voidInvoice({ invoice: 'INV-1002', date: '2026-03-24', reason: 'Issued in error' }, t);
  const changes = l.matchChanges(since);
  assert.equal(changes.through, l.length);
  assert.deepEqual(changes.items.map((i) => i.id), ['INV-1005']);
  assert.deepEqual(changes.closed.map((k) => k.id).sort(), ['INV-1001', 'INV-1002']);
  kept.sync(changes.items, changes.closed);
  const fresh = new Matcher(l.matchItems(), l.matchCustomers(), options);
  const receipts = [receipt('N1', 'ACME', '2026-03-30', '75.00', 'INV-1005'), receipt('N2', 'ACME', '2026-03-30', '250.00', 'INV-1002')];
  const a = kept.matchBatch(receipts);
  const b = fresh.matchBatch(receipts);
  assert.deepEqual(a.matches.map((m) => m.status), b.matches.map((m) => m.status));
  assert.equal(a.matches[0].status, 'auto');
  assert.notEqual(a.matches[1].status, 'auto');
  assert.deepEqual(l.matchChanges(l.length), { items: [], closed: [], through: l.length });
  const e = throwsCode(assert, () => l.matchChanges(l.length + 1), 'invalid_value');
  assert.equal(e.field, 'since');
});
