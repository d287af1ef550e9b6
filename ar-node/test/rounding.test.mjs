// Rounding and exact splitting: the figures come from ar-core, as strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { allocate, computeTotals, minorUnits, roundAmount, schedule } from '../index.js';

const tenCents = { description: 'x', quantity: '1', unitPrice: '0.10', taxes: [{ code: 'T', rate: '15' }] };

test('per-line tax rounds each line, per-document rounds once', () => {
  // Each line: 0.10 net at 15 % -> 0.015 tax.
  const perLine = computeTotals({ lines: [tenCents, tenCents, tenCents], currency: 'USD' });
  assert.deepEqual([perLine.net, perLine.tax, perLine.total], ['0.30', '0.06', '0.36']);
  const perDoc = computeTotals({ lines: [tenCents, tenCents, tenCents], currency: 'USD', taxRounding: 'per_document' });
  assert.deepEqual([perDoc.net, perDoc.tax, perDoc.total], ['0.30', '0.05', '0.35']);
  // The document's 0.05 is spread back over the lines: 0.02 + 0.02 + 0.01.
  assert.deepEqual(
    perDoc.lines.map((l) => l.tax),
    ['0.02', '0.02', '0.01'],
  );
  assert.deepEqual(perDoc.taxes, [{ code: 'T', rate: '15', taxable: '0.30', tax: '0.05' }]);
});

test('tax-inclusive prices and line discounts', () => {
  const t = computeTotals({
    lines: [
      { quantity: '1', unitPrice: '119.00', taxes: [{ code: 'VAT', rate: '19' }] },
      { quantity: '2', unitPrice: '5.00', taxes: [{ code: 'VAT', rate: '19' }] },
    ],
    currency: 'USD',
    taxMode: 'inclusive',
  });
  assert.deepEqual(t.lines, [
    { net: '100.00', tax: '19.00', gross: '119.00' },
    { net: '8.40', tax: '1.60', gross: '10.00' },
  ]);
  assert.deepEqual([t.net, t.tax, t.total], ['108.40', '20.60', '129.00']);
  // 3 x 19.99 = 59.97, 10 % off = 53.973 -> 53.97; tax 20 % = 10.794 -> 10.79.
  const d = computeTotals({
    lines: [{ quantity: '3', unitPrice: '19.99', discountPercent: '10', taxes: [{ code: 'V', rate: '20' }] }],
    currency: 'USD',
  });
  assert.deepEqual([d.net, d.tax, d.total], ['53.97', '10.79', '64.76']);
  const a = computeTotals({ lines: [{ quantity: '3', unitPrice: '19.99', discountAmount: '9.97' }], currency: 'USD' });
  assert.equal(a.total, '50.00');
});

test('allocate splits exactly, earlier parts take the extra cent', () => {
  assert.deepEqual(allocate('100.00', ['1', '1', '1'], 'USD'), ['33.34', '33.33', '33.33']);
  assert.deepEqual(allocate('-100.00', ['1', '1', '1'], 'USD'), ['-33.34', '-33.33', '-33.33']);
  assert.deepEqual(allocate('10.00', ['1', '2', '3'], 'USD'), ['1.67', '3.33', '5.00']);
  assert.deepEqual(allocate('1000', ['1', '1', '1'], 'JPY'), ['334', '333', '333']);
  assert.deepEqual(allocate('1.000', ['1', '1', '1'], 'KWD'), ['0.334', '0.333', '0.333']);
  // Parts come back at the minor unit even when the total is written shorter.
  assert.deepEqual(allocate('1', ['1', '1'], 'USD'), ['0.50', '0.50']);
});

test('JPY has no minor unit: 3 x 333 at 10 % is 1099', () => {
  const t = computeTotals({ lines: [{ quantity: '3', unitPrice: '333', taxes: [{ code: 'CT', rate: '10' }] }], currency: 'JPY' });
  assert.deepEqual([t.net, t.tax, t.total], ['999', '100', '1099']);
});

test('KWD installments of 12.346: 4.116 / 4.115 / 4.115', () => {
  const parts = schedule({
    terms: { installments: [{ due: 'net 30' }, { due: 'net 60' }, { due: 'net 90' }] },
    invoiceDate: '2026-01-01',
    total: '12.346',
    currency: 'KWD',
  });
  assert.deepEqual(
    parts.map((p) => [p.number, p.dueDate, p.amount]),
    [
      [1, '2026-01-31', '4.116'],
      [2, '2026-03-02', '4.115'],
      [3, '2026-04-01', '4.115'],
    ],
  );
  // 1.2345 KWD rounds to 1.235 half away from zero, 1.234 half even.
  const line = [{ quantity: '1', unitPrice: '1.2345', taxes: [{ code: 'V', rate: '5' }] }];
  assert.equal(computeTotals({ lines: line, currency: 'KWD' }).net, '1.235');
  assert.equal(computeTotals({ lines: line, currency: 'KWD', rounding: 'half_even' }).net, '1.234');
});

test('half-even versus half away from zero', () => {
  assert.equal(roundAmount('0.125', 'USD'), '0.13');
  assert.equal(roundAmount('0.125', 'USD', 'half_away_from_zero'), '0.13');
  assert.equal(roundAmount('0.125', 'USD', 'half_even'), '0.12');
  assert.equal(roundAmount('0.135', 'USD', 'half_even'), '0.14');
  assert.equal(roundAmount('-0.125', 'USD'), '-0.13');
  assert.equal(roundAmount('2.5', 'JPY'), '3');
  assert.equal(roundAmount('2.5', 'JPY', 'half_even'), '2');
  assert.equal(roundAmount('7', 'USD'), '7.00');
  // 50 % of 100.01 = 50.005: the first installment takes 50.01 (half away) or
  // 50.00 (half even); the remainder takes the rest.
  const terms = { installments: [{ due: 'net 30', percent: '50' }, { due: 'net 60', remainder: true }] };
  const away = schedule({ terms, invoiceDate: '2026-01-01', total: '100.01', currency: 'USD' });
  const even = schedule({ terms, invoiceDate: '2026-01-01', total: '100.01', currency: 'USD', rounding: 'half_even' });
  assert.deepEqual(away.map((p) => p.amount), ['50.01', '50.00']);
  assert.deepEqual(even.map((p) => p.amount), ['50.00', '50.01']);
});

test('schedules from shorthand terms', () => {
  const [one] = schedule({ terms: '2/10 net 30', invoiceDate: '2026-03-01', total: '154.70', currency: 'USD' });
  assert.deepEqual(one, {
    number: 1,
    dueDate: '2026-03-31',
    amount: '154.70',
    discount: { until: '2026-03-11', percent: '2', amount: '3.09', base: 'total' },
  });
  const [eom] = schedule({ terms: 'EOM + 15', invoiceDate: '2026-01-05', total: '10.00', currency: 'USD' });
  assert.equal(eom?.dueDate, '2026-02-15');
  assert.equal(eom?.discount, undefined);
  const [due] = schedule({ terms: { due: 'net 10', discountPercent: '1', discountDays: 5 }, invoiceDate: '2026-01-01', total: '100.00', currency: 'USD' });
  assert.deepEqual(due?.discount, { until: '2026-01-06', percent: '1', amount: '1.00', base: 'total' });
});

test('minor units', () => {
  assert.equal(minorUnits('USD'), 2);
  assert.equal(minorUnits('JPY'), 0);
  assert.equal(minorUnits('KWD'), 3);
  assert.equal(minorUnits('CLF'), 4);
});
