// The hand-worked acceptance scenario of ar-core/tests/scenario.rs, through
// the Node binding: the same figures, to the cent.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Ledger } from '../index.js';
import { at, build, throwsCode } from './scenario.mjs';

test('INV-1 totals are the hand-worked ones', () => {
  const v = build().invoice('INV-1');
  assert.deepEqual([v.net, v.tax, v.total], ['130.00', '24.70', '154.70']);
  const line = v.lines[1];
  assert.deepEqual([line?.net, line?.tax, line?.gross], ['30.00', '5.70', '35.70']);
  assert.deepEqual(v.taxes, [{ code: 'VAT19', rate: '19', taxable: '130.00', tax: '24.70' }]);
  const first = v.installments[0];
  assert.equal(first?.dueDate, '2026-03-31');
  assert.deepEqual(first?.discount, { until: '2026-03-11', percent: '2', amount: '3.09', base: 'total' });
  assert.equal(v.dueDate, '2026-03-31');
  assert.equal(v.terms, '2/10 net 30');
  assert.equal(v.taxMode, 'inclusive');
});

test('final balances and statuses', () => {
  const l = build();
  assert.deepEqual(l.customerBalance('ACME'), [
    { customer: 'ACME', currency: 'USD', invoices: '19.00', unappliedCash: '50.00', openCredits: '0.00', net: '-31.00' },
  ]);
  const status = (id) => l.invoice(id).status;
  assert.equal(status('INV-1'), 'partially_paid');
  assert.equal(status('INV-2'), 'paid');
  assert.equal(status('INV-3'), 'void');
  assert.equal(status('INV-4'), 'paid');
  const v1 = l.invoice('INV-1');
  assert.deepEqual([v1.paid, v1.credited, v1.open], ['100.00', '35.70', '19.00']);
  const v4 = l.invoice('INV-4');
  assert.deepEqual([v4.paid, v4.discounted], ['490.00', '10.00']);
  const summary = l.openItems().map((i) => [i.kind, i.id, i.open]);
  assert.deepEqual(summary, [
    ['invoice', 'INV-1', '19.00'],
    ['unapplied_cash', 'R2', '50.00'],
  ]);
  const cm = l.creditMemo('CM-1');
  assert.deepEqual([cm.kind, cm.amount, cm.applied, cm.open], ['credit_memo', '35.70', '35.70', '0.00']);
  const r2 = l.receipt('R2');
  assert.deepEqual([r2.amount, r2.applied, r2.open, r2.void], ['250.00', '200.00', '50.00', false]);
});

test('as of a date and as known at a time', () => {
  const l = build();
  // On 03-11 the 19.00 was still applied: INV-1 paid, 31.00 unapplied.
  const [b11] = l.customerBalance('ACME', { asOf: '2026-03-11' });
  assert.deepEqual([b11?.invoices, b11?.unappliedCash, b11?.net], ['0.00', '31.00', '-31.00']);
  // On 03-08: INV-1 154.70 - 100.00, INV-4 500.00, INV-2 200.00 (INV-3 void).
  assert.equal(l.customerBalance('ACME', { asOf: '2026-03-08' })[0]?.invoices, '754.70');
  // On 03-06 INV-3 was open; voided on 03-07.
  assert.equal(l.customerBalance('ACME', { asOf: '2026-03-06' })[0]?.invoices, '904.70');
  // As known on 03-11 at noon, even looking at all dates, no unapply yet.
  assert.equal(l.invoice('INV-1', { knownAt: '2026-03-11T12:00:00Z' }).status, 'paid');
  const a5 = l.applications().find((a) => a.id === 'A5');
  assert.equal(a5?.unappliedOn, '2026-03-12');
  assert.deepEqual(a5?.allocations, [{ installment: 1, amount: '19.00', discount: '0.00' }]);
  assert.deepEqual([a5?.sourceKind, a5?.source, a5?.invoice, a5?.currency], ['receipt', 'R2', 'INV-1', 'USD']);
  // Within a view that stops before the unapply, A5 is still applied.
  const a5then = l.applications({ asOf: '2026-03-11' }).find((a) => a.id === 'A5');
  assert.equal(a5then?.unappliedOn, undefined);
  // A3 carried the discount.
  const a3 = l.applications().find((a) => a.id === 'A3');
  assert.deepEqual(a3?.allocations, [{ installment: 1, amount: '490.00', discount: '10.00' }]);
});

test('a discount outside the window is refused and changes nothing', () => {
  const l = build();
  const before = l.toJson();
  // INV-1's window closed on 03-11; R2 still has 50.00.
  throwsCode(
    assert,
    () =>
      l.apply(
        { receipt: 'R2', invoice: 'INV-1', amount: '15.91', discount: '3.09', date: '2026-03-20' },
        at('2026-03-20T09:00:00Z'),
      ),
    'discount_not_allowed',
  );
  assert.equal(l.toJson(), before);
});

test('bad commands get typed errors and change nothing', () => {
  const l = build();
  const before = l.toJson();
  const later = at('2026-04-01T09:00:00Z');
  const line = [{ description: 'x', quantity: '1', unitPrice: '1' }];
  const cases = [
    [() => l.issueInvoice({ id: 'INV-9', customer: 'NOPE', date: '2026-04-01', lines: line }, later), 'not_found', 'not_found'],
    [() => l.issueInvoice({ id: 'INV-1', customer: 'ACME', date: '2026-04-01', lines: line }, later), 'duplicate_id', 'conflict'],
    [() => l.apply({ receipt: 'R2', invoice: 'INV-1', amount: '20.00', date: '2026-04-01' }, later), 'over_application', 'state'],
    [() => l.apply({ receipt: 'R2', invoice: 'INV-1', amount: '1.001', date: '2026-04-01' }, later), 'too_many_decimals', 'validation'],
    [() => l.apply({ receipt: 'R2', invoice: 'INV-1', amount: '5', date: '2026-02-01' }, later), 'date_before_document', 'state'],
    [
      () => l.recordReceipt({ id: 'R9', customer: 'ACME', date: '2026-04-01', amount: '-5', currency: 'USD', method: 'wire' }, later),
      'invalid_amount',
      'validation',
    ],
    [() => l.voidInvoice({ invoice: 'INV-1', date: '2026-04-01' }, later), 'invalid_state', 'state'],
  ];
  for (const [fn, code, family] of cases) {
    const e = throwsCode(assert, fn, code);
    assert.equal(e.family, family, code);
    assert.equal(l.toJson(), before, `${code} changed the ledger`);
  }
});

test('a currency mismatch is refused; the cash shows in its own row', () => {
  const l = build();
  l.recordReceipt(
    { id: 'R-EUR', customer: 'ACME', date: '2026-03-20', amount: '10.00', currency: 'EUR', method: 'wire' },
    at('2026-03-20T09:00:00Z'),
  );
  const e = throwsCode(
    assert,
    () => l.apply({ receipt: 'R-EUR', invoice: 'INV-1', amount: '10.00', date: '2026-03-20' }, at('2026-03-20T09:00:00Z')),
    'currency_mismatch',
  );
  assert.equal(e.family, 'currency');
  // One row per currency, in currency-code order: EUR before USD.
  const rows = l.customerBalance('ACME');
  assert.equal(rows.length, 2);
  assert.deepEqual([rows[0]?.currency, rows[0]?.unappliedCash], ['EUR', '10.00']);
  assert.deepEqual([rows[1]?.currency, rows[1]?.net], ['USD', '-31.00']);
});

test('FIFO, refund, write-off and its reversal', () => {
  const l = build();
  // R2's 50.00: FIFO pays INV-1's 19.00 (the only open invoice), 31.00 stays.
  const out = l.applyFifo({ receipt: 'R2', date: '2026-03-13' }, at('2026-03-13T09:00:00Z'));
  assert.equal(out.events.length, 1);
  assert.equal(out.events[0]?.type, 'applied');
  assert.equal(l.unappliedCash()[0]?.open, '31.00');
  // Refund 31.00; nothing is left.
  l.refund(
    { receipt: 'R2', amount: '31.00', date: '2026-03-14', method: 'ach', reason: 'overpayment' },
    at('2026-03-14T09:00:00Z'),
  );
  assert.deepEqual(l.openItems(), []);
  assert.equal(l.receipt('R2').refunded, '31.00');
  // A new invoice, written off, and the write-off reversed.
  l.issueInvoice(
    { id: 'INV-5', customer: 'ACME', date: '2026-03-15', lines: [{ description: 'x', quantity: '1', unitPrice: '80.00' }] },
    at('2026-03-15T09:00:00Z'),
  );
  const wo = l.writeOff({ invoice: 'INV-5', date: '2026-06-30', reason: 'bankrupt' }, at('2026-06-30T09:00:00Z'));
  assert.equal(l.invoice('INV-5').status, 'written_off');
  const event = wo.events[0];
  assert.equal(event?.type, 'written_off');
  l.reverseWriteOff({ writeOff: event?.subject ?? '', date: '2026-07-10', reason: 'recovered' }, at('2026-07-10T09:00:00Z'));
  const v = l.invoice('INV-5');
  assert.deepEqual([v.status, v.open], ['open', '80.00']);
  const then = l.invoice('INV-5', { asOf: '2026-07-01' });
  assert.deepEqual([then.status, then.writtenOff], ['written_off', '80.00']);
});

test('JPY and KWD rounding through the ledger', () => {
  const l = new Ledger();
  const m = at('2026-01-01T00:00:00Z');
  l.registerCustomer({ id: 'JP', name: 'JP', currency: 'JPY' }, m);
  l.registerCustomer({ id: 'KW', name: 'KW', currency: 'KWD' }, m);
  // JPY: 3 x 333 = 999, 10 % tax 99.9 -> 100; total 1,099 yen.
  l.issueInvoice(
    { id: 'J1', customer: 'JP', date: '2026-01-01', lines: [{ quantity: '3', unitPrice: '333', taxes: [{ code: 'CT', rate: '10' }] }] },
    m,
  );
  assert.equal(l.invoice('J1').open, '1099');
  // KWD: 1 x 12.3456 -> 12.346; three equal installments 4.116 / 4.115 / 4.115.
  l.issueInvoice(
    {
      id: 'K1',
      customer: 'KW',
      date: '2026-01-01',
      lines: [{ quantity: '1', unitPrice: '12.3456' }],
      terms: { installments: [{ due: 'net 30' }, { due: 'net 60' }, { due: 'net 90' }] },
    },
    m,
  );
  const k1 = l.invoice('K1');
  assert.equal(k1.total, '12.346');
  assert.deepEqual(
    k1.installments.map((i) => i.amount),
    ['4.116', '4.115', '4.115'],
  );
  assert.deepEqual(
    l.openItems().filter((i) => i.id === 'K1').map((i) => i.installment),
    [1, 2, 3],
  );
  // A yen receipt of 100.5 is refused.
  throwsCode(
    assert,
    () => l.recordReceipt({ id: 'RJ', customer: 'JP', date: '2026-01-02', amount: '100.5', currency: 'JPY', method: 'wire' }, m),
    'too_many_decimals',
  );
});

test('opening balances and unknown payers', () => {
  const l = new Ledger();
  const m = at('2026-01-01T00:00:00Z');
  l.registerCustomer({ id: 'C1', name: 'C1', currency: 'USD' }, m);
  l.importInvoice(
    { id: 'OLD-7', customer: 'C1', date: '2025-11-15', dueDate: '2025-12-15', total: '1000.00', open: '400.00', asOf: '2025-12-31' },
    m,
  );
  const v = l.invoice('OLD-7');
  assert.deepEqual([v.status, v.open, v.settledBeforeImport], ['partially_paid', '400.00', '600.00']);
  // Cash from an unknown payer cannot be applied until the payer is named.
  l.recordReceipt({ id: 'R?', date: '2026-01-05', amount: '400.00', currency: 'USD', method: 'wire', remittance: 'OLD-7' }, m);
  const apply = (date) => l.apply({ receipt: 'R?', invoice: 'OLD-7', amount: '400.00', date }, m);
  throwsCode(assert, () => apply('2026-01-05'), 'invalid_state');
  assert.equal(l.balances().at(-1)?.customer, undefined);
  assert.equal(l.receipt('R?').customer, undefined);
  l.assignPayer({ receipt: 'R?', customer: 'C1', date: '2026-01-06' }, m);
  // Applying before the payer was known is refused; on the 6th it works.
  throwsCode(assert, () => apply('2026-01-05'), 'date_before_document');
  apply('2026-01-06');
  assert.equal(l.invoice('OLD-7').status, 'paid');
});
