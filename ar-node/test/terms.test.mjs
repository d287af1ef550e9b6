// Payment terms as the ERPs know them, through the binding: the hand-worked
// cases of ar-core/tests/terms.rs (Odoo's and ERPNext's own tests), each
// citing the rule it follows.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Ledger, schedule } from '../index.js';
import { throwsCode } from './scenario.mjs';

const percents = (ps) => ({ installments: ps.map((percent, i) => ({ due: `net ${30 * (i + 1)}`, percent })) });
const amounts = (terms, total) =>
  schedule({ terms, invoiceDate: '2026-01-01', total, currency: 'USD' }).map((i) => i.amount);
const due = (terms, invoiceDate) =>
  schedule({ terms, invoiceDate, total: '100.00', currency: 'USD' })[0].dueDate;

test('percentages on odd cents add up to the total', () => {
  // Odoo test_payment_term_residual_amount_on_last_line: 50/50 of 0.03.
  assert.deepEqual(amounts(percents(['50', '50']), '0.03'), ['0.02', '0.01']);
  // 50.005 twice: 50.01 and 50.00 (was refused as 100.02 > 100.01).
  assert.deepEqual(amounts(percents(['50', '50']), '100.01'), ['50.01', '50.00']);
  // 3.333.. 3.333.. 3.334 by largest remainder: the last takes the cent.
  assert.deepEqual(amounts(percents(['33.33', '33.33', '33.34']), '0.10'), ['0.03', '0.03', '0.04']);
  assert.deepEqual(amounts(percents(['40', '30', '30']), '1000.00'), ['400.00', '300.00', '300.00']);
});

test('due on a day of a later month', () => {
  // Odoo test_payment_term_days_end_of_month_on_the: 30 days, the 10th.
  assert.equal(due('net 30, day 10 of next month', '2023-12-12'), '2024-02-10');
  assert.equal(due('net 30, day 31 of next month', '2023-12-12'), '2024-02-29');
  assert.equal(due({ due: 'day 31 of next month' }, '2024-05-23'), '2024-06-30');
  // Odoo's older "day of the month": the 15th at least 31 days out.
  assert.equal(due('net 31 on day 15', '2026-03-01'), '2026-04-15');
  assert.equal(due('net 31 on day 15', '2026-03-20'), '2026-05-15');
  // ERPNext "month(s) after the end of the invoice month"; ar takes the
  // month's last day where ERPNext gives 28 March from February.
  assert.equal(due('EOM + 1 month', '2026-07-30'), '2026-08-31');
  assert.equal(due('EOM + 1 month', '2026-02-10'), '2026-03-31');
  throwsCode(assert, () => due('day 32 of next month', '2026-01-01'), 'invalid_terms');
  throwsCode(assert, () => due({ due: 'net 30 on day 0' }, '2026-01-01'), 'invalid_terms');
});

function book(terms, lines, taxMode) {
  const l = new Ledger();
  l.registerCustomer({ id: 'ACME', name: 'Acme', currency: 'USD' });
  l.issueInvoice({ id: 'INV-1', customer: 'ACME', date: '2016-01-01', lines, terms, taxMode });
  return l;
}

// Odoo's tests: 1,000.00 untaxed + 150.00 tax, a 10 % discount.
const ODOO = [{ quantity: '1', unitPrice: '1000.00', taxes: [{ code: 'T15', rate: '15' }] }];

test('discount bases as Odoo computes them', () => {
  // "included": 1,150.00 less 10 % = 1,035.00.
  const included = book({ due: 'net 30', discountPercent: '10', discountDays: 2 }, ODOO);
  assert.deepEqual(included.invoice('INV-1').installments[0].discount,
    { until: '2016-01-03', percent: '10', amount: '115.00', base: 'total' });
  // "excluded": 10 % of 1,000.00 = 100.00.
  const excluded = book({ due: 'net 30', discountPercent: '10', discountDays: 2, discountBase: 'untaxed' }, ODOO);
  assert.deepEqual(excluded.invoice('INV-1').installments[0].discount,
    { until: '2016-01-03', percent: '10', amount: '100.00', base: 'untaxed' });
  assert.equal(excluded.invoice('INV-1').total, '1150.00');
  const bad = throwsCode(assert, () => book({ due: 'net 30', discountPercent: '10', discountDays: 2, discountBase: 'sideways' }, ODOO), 'invalid_value');
  assert.match(bad.message, /discountBase/);
});

test('a mixed discount reduces the tax base at invoicing', () => {
  // Belgium: 1,000.00 at 21 % with 2 % within 10 days: VAT on 980.00.
  const lines = [{ quantity: '1', unitPrice: '1000.00', taxes: [{ code: 'VAT21', rate: '21' }] }];
  const inv = book('2/10 mixed net 30', lines).invoice('INV-1');
  assert.deepEqual([inv.net, inv.tax, inv.total], ['1000.00', '205.80', '1205.80']);
  assert.equal(inv.taxes[0].taxable, '980.00');
  assert.equal(inv.installments[0].discount.amount, '20.00');
  throwsCode(assert, () => book('2/10 mixed net 30', lines, 'inclusive'), 'invalid_terms');
});

test('a discount splits into net and tax by its base', () => {
  // Of the total: 115.00 = 100.00 net + 15.00 tax.
  assert.deepEqual(book('10/2 net 30', ODOO).discountSplit('INV-1', 1, '115.00'), {
    amount: '115.00', net: '100.00', tax: '15.00',
    taxes: [{ code: 'T15', rate: '15', taxable: '100.00', tax: '15.00' }],
  });
  // Of the untaxed amount: all net.
  const untaxed = book('10/2 untaxed net 30', ODOO).discountSplit('INV-1', 1, '100.00');
  assert.deepEqual([untaxed.net, untaxed.tax], ['100.00', '0.00']);
  // 100.00 at 20 % + 100.00 at 10 % = 230.00; 2 % = 4.60: tax 4.60 x
  // 30/230 = 0.60, spread 0.40 / 0.20; net 4.00, 2.00 under each code.
  const two = book('2/10 net 30', [
    { quantity: '1', unitPrice: '100.00', taxes: [{ code: 'V20', rate: '20' }] },
    { quantity: '1', unitPrice: '100.00', taxes: [{ code: 'V10', rate: '10' }] },
  ]);
  const split = two.discountSplit('INV-1', 1, '4.60');
  assert.deepEqual([split.net, split.tax], ['4.00', '0.60']);
  assert.deepEqual(split.taxes.map((t) => [t.code, t.taxable, t.tax]), [['V10', '2.00', '0.20'], ['V20', '2.00', '0.40']]);
  throwsCode(assert, () => two.discountSplit('INV-1', 2, '1.00'), 'invalid_value');
  const neg = throwsCode(assert, () => two.discountSplit('INV-1', 1, '-1.00'), 'invalid_amount');
  assert.match(neg.message, /amount/);
  throwsCode(assert, () => two.discountSplit('INV-1', 1, 4.6), 'invalid_type');
});

test('fixed-amount discounts per installment', () => {
  // ERPNext's discount type "Amount": 50.00 off each half within 10 days.
  const half = (n) => ({ due: `net ${n}`, percent: '50', discountAmount: '50.00', discountDays: 10 });
  const l = book({ installments: [half(30), half(60)] }, [{ quantity: '1', unitPrice: '2000.00' }]);
  const offers = l.invoice('INV-1').installments.map((i) => [i.amount, i.discount]);
  const offer = { until: '2016-01-11', percent: '0', amount: '50.00', base: 'total' };
  assert.deepEqual(offers, [['1000.00', offer], ['1000.00', offer]]);
  l.recordReceipt({ id: 'R-1', customer: 'ACME', date: '2016-01-05', amount: '950.00', currency: 'USD' });
  l.apply({ receipt: 'R-1', invoice: 'INV-1', installment: 1, amount: '950.00', discount: '50.00', date: '2016-01-05' });
  const inv = l.invoice('INV-1');
  assert.deepEqual([inv.installments[0].open, inv.open], ['0.00', '1000.00']);
  // A fixed discount must be less than its installment; not with a percent.
  throwsCode(assert, () => amounts({ due: 'net 30', discountAmount: '10.00', discountDays: 10 }, '10.00'), 'invalid_terms');
  const both = throwsCode(assert, () => amounts({ due: 'net 30', discountAmount: '1.00', discountPercent: '2', discountDays: 10 }, '10.00'), 'invalid_terms');
  assert.match(both.message, /discountAmount/);
});

test('writing off unapplied cash', () => {
  // A 0.05 overpayment left on R-1 after paying INV-1 in full.
  const l = book('net 30', [{ quantity: '1', unitPrice: '100.00' }]);
  l.recordReceipt({ id: 'R-1', customer: 'ACME', date: '2016-01-10', amount: '100.05', currency: 'USD' });
  l.apply({ receipt: 'R-1', invoice: 'INV-1', amount: '100.00', date: '2016-01-10' });
  throwsCode(assert, () => l.writeOffSource({ receipt: 'R-1', amount: '0.06', date: '2016-02-10', reason: 'small overpayment' }), 'over_application');
  throwsCode(assert, () => l.writeOffSource({ receipt: 'R-1', date: '2016-01-09', reason: 'small overpayment' }), 'date_before_document');
  throwsCode(assert, () => l.writeOffSource({ receipt: 'R-1', creditMemo: 'CM-1', date: '2016-02-10', reason: 'x' }), 'invalid_value');
  throwsCode(assert, () => l.writeOffSource({ receipt: 'R-1', amount: 0.05, date: '2016-02-10', reason: 'x' }), 'invalid_type');
  const out = l.writeOffSource({ receipt: 'R-1', date: '2016-02-10', reason: 'small overpayment' });
  assert.equal(out.events[0].type, 'source_written_off');
  const view = l.receipt('R-1');
  assert.deepEqual([view.open, view.writtenOff], ['0.00', '0.05']);
  assert.equal(l.receipt('R-1', { asOf: '2016-02-09' }).open, '0.05');
  assert.deepEqual(l.unappliedCash(), []);
  l.reverseWriteOff({ writeOff: out.events[0].subject, date: '2016-02-12', reason: 'refund asked' });
  const back = l.receipt('R-1');
  assert.deepEqual([back.open, back.writtenOff], ['0.05', '0.00']);
  assert.equal(Ledger.fromJson(l.toJson()).toJson(), l.toJson());
});
