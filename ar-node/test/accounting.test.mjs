// Accounting through the binding: the hand-worked postings, exchange
// differences, reconciliation and period close of ar-core/tests/journal.rs,
// with the figures written out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Ledger } from '../index.js';
import { throwsCode } from './scenario.mjs';

function book() {
  const l = new Ledger();
  l.registerCustomer({ id: 'ACME', name: 'Acme', currency: 'USD' });
  l.registerCustomer({ id: 'EURO', name: 'Euro GmbH', currency: 'EUR' });
  return l;
}

const line = (unitPrice, taxes) => ({ quantity: '1', unitPrice, taxes });

/** The lines of the entry of `event` on `subject`: [account, amount, functional]. */
function lines(journal, subject, event) {
  const found = journal.entries.filter((e) => e.subject === subject && e.event === event);
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0].lines.map((l) => [l.account, l.amount, l.functional]);
}
const same = (...rows) => rows.map(([a, x]) => [a, x, x]);

// EUR into USD from 1 March: 1.10, then 1.12 from 20 March.
const RATES = {
  functional: 'USD',
  rates: [
    { currency: 'EUR', date: '2026-03-01', rate: '1.10' },
    { currency: 'EUR', date: '2026-03-20', rate: '1.12' },
  ],
};

test('postings for each kind of event', () => {
  const l = book();
  // INV-1: 100.00 at 20 % VAT and 50.00 untaxed = 170.00.
  l.issueInvoice({ id: 'INV-1', customer: 'ACME', date: '2026-03-01', terms: 'net 30',
    lines: [line('100.00', [{ code: 'VAT20', rate: '20' }]), line('50.00')] });
  // CM-1: 34.00 against INV-1: 34 x 20 / 170 = 4.00 tax, 30.00 net.
  l.issueCreditMemo({ id: 'CM-1', customer: 'ACME', date: '2026-03-06', amount: '34.00', against: 'INV-1', reason: 'damaged' });
  l.apply({ creditMemo: 'CM-1', invoice: 'INV-1', amount: '34.00', date: '2026-03-06' });
  // INV-2 on 2/10 net 30: 1,200.00 paid 1,176.00 with 24.00 off (2 % of
  // the total): 20.00 net and 4.00 of VAT.
  l.issueInvoice({ id: 'INV-2', customer: 'ACME', date: '2026-04-01', terms: '2/10 net 30',
    lines: [line('1000.00', [{ code: 'VAT20', rate: '20' }])] });
  l.recordReceipt({ id: 'R-2', customer: 'ACME', date: '2026-04-05', amount: '1176.00', currency: 'USD', method: 'wire' });
  const paid = l.apply({ receipt: 'R-2', invoice: 'INV-2', amount: '1176.00', discount: '24.00', date: '2026-04-05' });
  // 50.00, 20.00 refunded, 30.00 written off to income.
  l.recordReceipt({ id: 'R-3', customer: 'ACME', date: '2026-04-06', amount: '50.00', currency: 'USD', method: 'card' });
  l.refund({ receipt: 'R-3', amount: '20.00', date: '2026-04-07', method: 'check' });
  const income = l.writeOffSource({ receipt: 'R-3', date: '2026-04-08', reason: 'unclaimed' });

  const j = l.journal();
  assert.equal(j.functional, undefined);
  assert.deepEqual(lines(j, 'INV-1', 'invoice_issued'), same(
    ['receivable', '170.00'], ['revenue', '-100.00'], ['revenue', '-50.00'], ['tax_payable', '-20.00']));
  assert.deepEqual(lines(j, 'CM-1', 'credit_memo_issued'), same(
    ['sales_returns', '30.00'], ['tax_payable', '4.00'], ['customer_credits', '-34.00']));
  assert.deepEqual(lines(j, paid.events[0].subject, 'applied'), same(
    ['unapplied_cash', '1176.00'], ['receivable', '-1200.00'], ['discounts', '20.00'], ['tax_payable', '4.00']));
  assert.deepEqual(lines(j, income.events[0].subject, 'source_written_off'), same(
    ['unapplied_cash', '30.00'], ['other_income', '-30.00']));
  // The receivables control is the open invoices: 170 - 34 = 136.00.
  const tb = Object.fromEntries(l.trialBalance().map((r) => [`${r.account}/${r.currency}`, r]));
  assert.equal(tb['receivable/USD'].balance, '136.00');
  const cash = tb['cash/USD'];
  assert.deepEqual([cash.debit, cash.credit, cash.balance], ['1226.00', '20.00', '1206.00']);
  // As of 31 March only INV-1 and its memo.
  assert.deepEqual([...new Set(l.journal(null, { asOf: '2026-03-31' }).entries.map((e) => e.subject))].sort(),
    ['INV-1', 'CM-1', ...j.entries.filter((e) => e.event === 'applied' && e.effective <= '2026-03-31').map((e) => e.subject)].sort());
});

test('accounts come from the rules; bad options name the field', () => {
  const l = book();
  l.issueInvoice({ id: 'INV-1', customer: 'ACME', date: '2026-03-01', terms: 'net 30',
    lines: [line('100.00', [{ code: 'VAT20', rate: '20' }])] });
  const rules = {
    accounts: { receivable: '1200', revenue: '4000' },
    overrides: [{ role: 'tax_payable', account: '2210 VAT 20', taxCode: 'VAT20' }],
  };
  assert.deepEqual(lines(l.journal({ rules }), 'INV-1', 'invoice_issued'),
    same(['1200', '120.00'], ['4000', '-100.00'], ['2210 VAT 20', '-20.00']));
  for (const [options, code, field] of [
    [{ rules: { accounts: { nowhere: '1' } } }, 'invalid_value', 'nowhere'],
    [{ rates: { functional: 'USD', rates: [{ currency: 'EUR', date: '2026-03-01', rate: 1.1 }] } }, 'invalid_type', 'rates[0].rate'],
    [{ rates: { functional: 'USD', rates: [{ currency: 'EUR', date: '2026-03-01', rate: '0' }] } }, 'invalid_amount', 'rates[0].rate'],
    [{ rates: { functional: 'XYZ1', rates: [] } }, 'invalid_currency', 'functional'],
  ]) {
    const e = throwsCode(assert, () => l.journal(options), code);
    assert.ok(e.message.includes(field), e.message);
  }
});

test('an invoice in euros paid at a better rate books the gain', () => {
  // EUR 1,000 at 1.10 (1,100.00 USD) paid at 1.12 (1,120.00): 20.00 gained.
  const l = book();
  l.issueInvoice({ id: 'E-1', customer: 'EURO', date: '2026-03-01', terms: 'net 30', lines: [line('1000.00')] });
  l.recordReceipt({ id: 'ER-1', customer: 'EURO', date: '2026-03-20', amount: '1000.00', currency: 'EUR', method: 'wire' });
  const paid = l.apply({ receipt: 'ER-1', invoice: 'E-1', amount: '1000.00', date: '2026-03-20' });
  const j = l.journal({ rates: RATES });
  assert.equal(j.functional, 'USD');
  assert.deepEqual(lines(j, paid.events[0].subject, 'applied'), [
    ['unapplied_cash', '1000.00', '1120.00'],
    ['receivable', '-1000.00', '-1100.00'],
    ['fx_gain', '0', '-20.00'],
  ]);
  // A document dated before the first rate: missing_rate, pair and date.
  l.issueInvoice({ id: 'E-9', customer: 'EURO', date: '2026-02-01', terms: 'net 30', lines: [line('1.00')] });
  const e = throwsCode(assert, () => l.journal({ rates: RATES }), 'missing_rate');
  assert.equal(e.family, 'not_found');
  assert.match(e.message, /EUR to USD on 2026-02-01/);
});

test('revaluation and its reversal; the allowance posts its change', () => {
  // EUR 1,000.00 at 1.10; closing rate 1.13 on 31 March: 1,130.00, an
  // unrealized gain of 30.00, reversed on 1 April.
  const l = book();
  l.issueInvoice({ id: 'E-1', customer: 'EURO', date: '2026-03-01', terms: 'net 30', lines: [line('1000.00')] });
  assert.equal(l.revalue({ date: '2026-03-31', rates: [{ currency: 'EUR', rate: '1.13' }] }).events[0].type, 'revalued');
  const j = l.journal({ rates: RATES });
  const of = (event) => j.entries.filter((e) => e.event === event).map((e) => [e.effective, e.lines.map((x) => [x.account, x.functional])]);
  assert.deepEqual(of('revalued'), [['2026-03-31', [['receivable', '30.00'], ['unrealized_fx_gain', '-30.00']]]]);
  assert.deepEqual(of('revaluation_reversed'), [['2026-04-01', [['receivable', '-30.00'], ['unrealized_fx_gain', '30.00']]]]);
  throwsCode(assert, () => l.revalue({ date: '2026-04-30', rates: [] }), 'invalid_value');
  // Allowance 100.00, then 60.00: a release of 40.00.
  l.bookAllowance({ date: '2026-03-31', currency: 'USD', amount: '100.00', reason: 'aging method' });
  l.bookAllowance({ date: '2026-04-30', currency: 'USD', amount: '60.00' });
  assert.deepEqual(l.journal().entries.filter((e) => e.event === 'allowance_booked').map((e) => e.lines.map((x) => [x.account, x.amount])), [
    [['bad_debt_expense', '100.00'], ['allowance', '-100.00']],
    [['bad_debt_expense', '-40.00'], ['allowance', '40.00']],
  ]);
  throwsCode(assert, () => l.bookAllowance({ date: '2026-05-31', currency: 'USD', amount: '-1.00' }), 'invalid_amount');
});

test('the GL reconciliation names the documents', () => {
  const l = book();
  for (const [id, amount] of [['INV-1', '100.00'], ['INV-2', '200.00'], ['INV-3', '300.00']]) {
    l.issueInvoice({ id, customer: 'ACME', date: '2026-03-01', terms: 'net 30', lines: [line(amount)] });
  }
  l.issueInvoice({ id: 'INV-4', customer: 'ACME', date: '2026-04-05', terms: 'net 30', lines: [line('50.00')] });
  // INV-1 right, INV-2 at 210.00, INV-3 missing, INV-4 early, 7.00 manual.
  const gl = (document, date, amount) => ({ account: 'receivable', currency: 'USD', date, amount, document });
  const rows = l.reconcileGl([
    gl('INV-1', '2026-03-01', '100.00'),
    gl('INV-2', '2026-03-01', '210.00'),
    gl('INV-4', '2026-03-31', '50.00'),
    gl(undefined, '2026-03-15', '7.00'),
  ], null, { asOf: '2026-03-31' });
  const rec = rows.find((r) => r.account === 'receivable');
  assert.deepEqual([rec.ar, rec.gl, rec.difference], ['600.00', '367.00', '233.00']);
  assert.deepEqual(rec.items.map((i) => [i.document, i.cause, i.ar, i.gl]), [
    ['', 'unidentified', '0.00', '7.00'],
    ['INV-2', 'amount_differs', '200.00', '210.00'],
    ['INV-3', 'missing_in_gl', '300.00', '0.00'],
    ['INV-4', 'after_cut_off', '0.00', '50.00'],
  ]);
  const e = throwsCode(assert, () => l.reconcileGl([gl('INV-1', '2026-03-01', 100)]), 'invalid_type');
  assert.match(e.message, /glLines\[0\]\.amount/);
});

test('a closed period refuses or moves commands and keeps its figures', () => {
  const l = book();
  l.issueInvoice({ id: 'INV-1', customer: 'ACME', date: '2026-03-10', terms: 'net 30', lines: [line('100.00')] });
  l.recordReceipt({ id: 'R-1', customer: 'ACME', date: '2026-03-20', amount: '40.00', currency: 'USD' });
  const digest = l.periodDigest('2026-03-31');
  assert.match(digest, /^[0-9a-f]{64}$/);
  assert.notEqual(digest, l.periodDigest('2026-03-01'));
  const out = l.closePeriod({ upTo: '2026-03-31' });
  const closedAt = out.events[0].recorded;
  assert.deepEqual([out.events[0].type, out.events[0].effective], ['period_closed', '2026-03-31']);
  assert.ok(out.events[0].json.includes(digest));
  const e = throwsCode(assert, () => l.apply({ receipt: 'R-1', invoice: 'INV-1', amount: '40.00', date: '2026-03-30' }), 'period_closed');
  assert.equal(e.message, 'period_closed: date: 2026-03-30 is in a period closed up to 2026-03-31');
  assert.equal(e.family, 'state');
  // Reopened from 1 March it goes through; closed again moving commands, a
  // write-off dated 25 March is dated 1 April.
  assert.equal(l.reopenPeriod({ from: '2026-03-01', reason: 'late bank file' }).events[0].type, 'period_reopened');
  l.apply({ receipt: 'R-1', invoice: 'INV-1', amount: '40.00', date: '2026-03-30' });
  l.closePeriod({ upTo: '2026-03-31', policy: 'move_to_open_day' });
  const moved = l.writeOff({ invoice: 'INV-1', date: '2026-03-25', reason: 'goodwill', amount: '10.00' });
  assert.equal(moved.events[0].effective, '2026-04-01');
  assert.equal(l.periodDigest('2026-03-31', closedAt), digest);
  throwsCode(assert, () => l.reopenPeriod({ reason: ' ' }), 'invalid_value');
  throwsCode(assert, () => l.closePeriod({ upTo: '2026-03-31', policy: 'sometimes' }), 'invalid_value');
});

test('the journal as CSV, quoted where CSV needs it', () => {
  const l = book();
  l.issueInvoice({ id: 'INV-1', customer: 'ACME', date: '2026-03-01', terms: 'net 30', lines: [line('100.00')] });
  l.recordReceipt({ id: 'R-1', customer: 'ACME', date: '2026-03-05', amount: '100.00', currency: 'USD', method: 'ach' });
  assert.equal(l.journalCsv({ rules: { accounts: { cash: '1010 bank, "main"' } } }),
    'seq,effective,event,subject,document,account,role,currency,amount,functional\r\n'
    + '3,2026-03-01,invoice_issued,INV-1,INV-1,receivable,receivable,USD,100.00,100.00\r\n'
    + '3,2026-03-01,invoice_issued,INV-1,INV-1,revenue,revenue,USD,-100.00,-100.00\r\n'
    + '4,2026-03-05,receipt_recorded,R-1,R-1,"1010 bank, ""main""",cash,USD,100.00,100.00\r\n'
    + '4,2026-03-05,receipt_recorded,R-1,R-1,unapplied_cash,unapplied_cash,USD,-100.00,-100.00\r\n');
  assert.equal(l.journalCsv(null, { asOf: '2026-03-01' }).split('\r\n').length, 4);
});

function functionalBook() {
  // The book of metrics_in_the_functional_currency_... in ar-core/tests/journal.rs.
  const l = book();
  const inv = (id, customer, date, amount, terms) =>
    l.issueInvoice({ id, customer, date, terms, lines: [line(amount)] });
  inv('U-0', 'ACME', '2026-02-01', '400.00', 'net 30');
  inv('E-0', 'EURO', '2026-02-10', '200.00', 'net 14');
  inv('U-1', 'ACME', '2026-03-01', '1000.00', 'net 30');
  inv('E-1', 'EURO', '2026-03-10', '500.00', 'net 30');
  l.recordReceipt({ id: 'R-1', customer: 'ACME', date: '2026-03-13', amount: '300.00', currency: 'USD', method: 'ach' });
  l.apply({ invoice: 'U-0', amount: '300.00', date: '2026-03-13', receipt: 'R-1' });
  l.recordReceipt({ id: 'R-2', customer: 'EURO', date: '2026-03-26', amount: '200.00', currency: 'EUR', method: 'wire' });
  l.apply({ invoice: 'E-0', amount: '200.00', date: '2026-03-26', receipt: 'R-2' });
  return l;
}

const MARCH_END = { functional: 'USD', rates: [{ currency: 'EUR', date: '2026-03-31', rate: '1.10' }] };

test('metrics and aging in the functional currency', () => {
  const l = functionalBook();
  const [r] = l.metrics({ start: '2026-03-01', end: '2026-03-31', rates: MARCH_END });
  assert.equal(r.currency, 'USD');
  // AR begin 400 + 200 x 1.10; end 1,100 + 550 (current 1,000 + 550).
  assert.deepEqual([r.arBegin, r.arEnd, r.currentEnd, r.creditSales], ['620.00', '1650.00', '1550.00', '1550.00']);
  // 1,650 / 1,550 x 31 = 33; (620 + 1,650) / 2 / 1,550 x 31 = 22.7.
  assert.deepEqual([r.dsoPeriodEnd, r.dsoAverage], ['33', '22.7']);
  assert.match(r.dsoCountback, /^35\.5161/);
  // Weighted by USD 300 and 220: (300 x 40 + 220 x 44) / 520 = 41.6923..
  assert.match(r.timing.weightedDaysToPay, /^41\.6923/);
  assert.deepEqual(l.metrics({ start: '2026-03-01', end: '2026-03-31' }).map((x) => x.currency), ['EUR', 'USD']);
  throwsCode(assert, () => l.metrics({ start: '2026-03-01', end: '2026-03-31', rates: MARCH_END, ratesDate: '2026-03-30' }), 'missing_rate');
  // Aging: U-0 100.00 28 days late, U-1 1,000.00 and E-1 550.00 current.
  const [total] = l.aging({ asOf: '2026-03-31', groupBy: [], rates: MARCH_END }).totals;
  assert.deepEqual([total.currency, total.total, total.buckets[0], total.buckets[1]], ['USD', '1650.00', '1550.00', '100.00']);
  throwsCode(assert, () => l.aging({ asOf: '2026-03-31', ratesDate: '2026-03-31' }), 'invalid_value');
});
