// Bad input: every failure is an Error with a stable `code`, its `family`, and
// a message "<code>: <field and value>"; a rejected command changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ArError, ArErrorCode, ArErrorFamily, ERROR_CODES, Ledger, allocate, computeTotals, isArError, minorUnits, roundAmount, schedule } from '../index.js';
import { at, build, throwsCode } from './scenario.mjs';

const later = at('2026-04-01T09:00:00Z');
const line = [{ description: 'x', quantity: '1', unitPrice: '1.00' }];

test('the brief list: one code per kind of mistake', () => {
  const l = build();
  const before = l.toJson();
  const cases = [
    ['not_found', () => l.issueInvoice({ id: 'INV-9', customer: 'NOPE', date: '2026-04-01', lines: line }, later)],
    ['not_found', () => l.invoice('INV-404')],
    ['not_found', () => l.customerBalance('NOPE')],
    ['duplicate_id', () => l.registerCustomer({ id: 'ACME', name: 'Again', currency: 'USD' }, later)],
    ['too_many_decimals', () => l.recordReceipt({ id: 'R9', customer: 'ACME', date: '2026-04-01', amount: '1.005', currency: 'USD' }, later)],
    ['invalid_type', () => l.recordReceipt({ id: 'R9', customer: 'ACME', date: '2026-04-01', amount: 10, currency: 'USD' }, later)],
    ['invalid_decimal', () => l.recordReceipt({ id: 'R9', customer: 'ACME', date: '2026-04-01', amount: '1e3', currency: 'USD' }, later)],
    ['invalid_decimal', () => l.recordReceipt({ id: 'R9', customer: 'ACME', date: '2026-04-01', amount: 'abc', currency: 'USD' }, later)],
    ['invalid_date', () => l.recordReceipt({ id: 'R9', customer: 'ACME', date: '2026-13-01', amount: '1.00', currency: 'USD' }, later)],
    ['over_application', () => l.apply({ receipt: 'R2', invoice: 'INV-1', amount: '20.00', date: '2026-04-01' }, later)],
    ['invalid_currency', () => l.recordReceipt({ id: 'R9', date: '2026-04-01', amount: '1.00', currency: 'usd' }, later)],
    ['idempotency_conflict', () => {
      l.apply({ receipt: 'R2', invoice: 'INV-1', amount: '1.00', date: '2026-04-01' }, { ...later, idempotencyKey: 'k' });
      l.apply({ receipt: 'R2', invoice: 'INV-1', amount: '2.00', date: '2026-04-01' }, { ...later, idempotencyKey: 'k' });
    }],
  ];
  for (const [code, fn] of cases) {
    const snapshot = l.toJson();
    throwsCode(assert, fn, code);
    if (code !== 'idempotency_conflict') assert.equal(l.toJson(), snapshot, `${code} changed the ledger`);
  }
  // Only the first (accepted) apply of the idempotency case was appended.
  assert.equal(l.events().length, JSON.parse(before).events.length + 1);
});

test('a currency mismatch between a credit memo and its invoice', () => {
  const l = build();
  const before = l.toJson();
  const e = throwsCode(
    assert,
    () => l.issueCreditMemo({ id: 'CM-E', customer: 'ACME', date: '2026-04-01', currency: 'EUR', against: 'INV-1', amount: '1.00' }, later),
    'currency_mismatch',
  );
  assert.equal(e.message, 'currency_mismatch: currency: currency EUR does not match USD');
  assert.equal(e.family, 'currency');
  assert.equal(l.toJson(), before);
});

test('messages name the field and the value', () => {
  const l = build();
  const number = throwsCode(
    assert,
    () => l.apply({ receipt: 'R2', invoice: 'INV-1', amount: 19, date: '2026-04-01' }, later),
    'invalid_type',
  );
  assert.equal(number.message, 'invalid_type: amount: expected a decimal string such as "12.50", got the number 19');
  assert.equal(number.family, 'validation');
  const exp = throwsCode(assert, () => l.apply({ receipt: 'R2', invoice: 'INV-1', amount: '1e3', date: '2026-04-01' }, later), 'invalid_decimal');
  assert.equal(exp.message, 'invalid_decimal: amount: "1e3" is not a decimal number');
  const date = throwsCode(assert, () => l.apply({ receipt: 'R2', invoice: 'INV-1', amount: '1.00', date: '2026-13-01' }, later), 'invalid_date');
  assert.equal(date.message, 'invalid_date: date: "2026-13-01" is not a valid date (YYYY-MM-DD)');
  const missing = throwsCode(assert, () => l.customerBalance('NOPE'), 'not_found');
  assert.equal(missing.message, 'not_found: customer: unknown customer "NOPE"');
  assert.equal(missing.family, 'not_found');
  const over = throwsCode(assert, () => l.apply({ receipt: 'R2', invoice: 'INV-1', amount: '20.00', date: '2026-04-01' }, later), 'over_application');
  assert.match(over.message, /20\.00/);
  const line0 = throwsCode(
    assert,
    () => computeTotals({ lines: [{ quantity: '1', unitPrice: 5 }], currency: 'USD' }),
    'invalid_type',
  );
  assert.match(line0.message, /^invalid_type: lines\[0\]\.unitPrice: /);
});

test('numbers are refused wherever an amount is expected', () => {
  const l = build();
  const before = l.toJson();
  const bad = [
    () => allocate(100, ['1'], 'USD'),
    () => allocate('100.00', [1, 1], 'USD'),
    () => roundAmount(0.125, 'USD'),
    () => computeTotals({ lines: [{ quantity: 1, unitPrice: '1.00' }], currency: 'USD' }),
    () => computeTotals({ lines: [{ quantity: '1', unitPrice: '1.00', taxes: [{ code: 'T', rate: 15 }] }], currency: 'USD' }),
    () => computeTotals({ lines: [{ quantity: '1', unitPrice: '1.00', discountPercent: 10 }], currency: 'USD' }),
    () => schedule({ terms: 'net 30', invoiceDate: '2026-01-01', total: 100, currency: 'USD' }),
    () => schedule({ terms: { installments: [{ due: 'net 30', amount: 50 }, { due: 'net 60', remainder: true }] }, invoiceDate: '2026-01-01', total: '100.00', currency: 'USD' }),
    () => l.registerCustomer({ id: 'X', name: 'X', currency: 'USD', creditLimit: 1000 }, later),
    () => l.importInvoice({ id: 'O', customer: 'ACME', date: '2026-01-01', dueDate: '2026-02-01', total: 10, open: '5.00', asOf: '2026-03-01' }, later),
    () => l.apply({ receipt: 'R2', invoice: 'INV-1', amount: '1.00', discount: 0, date: '2026-04-01' }, later),
    () => l.writeOff({ invoice: 'INV-1', date: '2026-04-01', reason: 'x', amount: 1 }, later),
    () => l.refund({ receipt: 'R2', amount: 1, date: '2026-04-01' }, later),
    () => l.issueCreditMemo({ id: 'CM-9', customer: 'ACME', date: '2026-04-01', amount: 5 }, later),
  ];
  for (const fn of bad) throwsCode(assert, fn, 'invalid_type');
  assert.equal(l.toJson(), before);
});

test('wrong shapes are invalid_type, unknown names invalid_value', () => {
  const l = new Ledger();
  throwsCode(assert, () => l.registerCustomer(), 'invalid_type');
  throwsCode(assert, () => l.registerCustomer('ACME'), 'invalid_type');
  throwsCode(assert, () => l.registerCustomer({ id: 'A', currency: 'USD' }), 'invalid_type'); // no name
  throwsCode(assert, () => l.registerCustomer({ id: 7, name: 'A', currency: 'USD' }), 'invalid_type');
  throwsCode(assert, () => minorUnits(840), 'invalid_type');
  throwsCode(assert, () => l.openItems({ asOf: 20260301 }), 'invalid_type');
  throwsCode(assert, () => computeTotals({ lines: line, currency: 'USD', taxMode: 'gross' }), 'invalid_value');
  throwsCode(assert, () => roundAmount('1', 'USD', 'up'), 'invalid_value');
  throwsCode(assert, () => l.registerCustomer({ id: ' A', name: 'A', currency: 'USD' }), 'invalid_value');
  throwsCode(assert, () => l.registerCustomer({ id: 'A', name: 'A', currency: 'USD', terms: 'net thirty' }), 'invalid_terms');
  throwsCode(assert, () => l.registerCustomer({ id: 'A', name: 'A', currency: 'USD', terms: { due: 'net 30', discountPercent: '2' } }), 'invalid_terms');
  throwsCode(assert, () => l.registerCustomer({ id: 'A', name: 'A', currency: 'USD' }, { recorded: 'yesterday' }), 'invalid_date');
  throwsCode(assert, () => l.openItems({ knownAt: '2026-03-01' }), 'invalid_date');
  throwsCode(assert, () => allocate('1.00', [], 'USD'), 'invalid_value');
  throwsCode(assert, () => Ledger.fromJson('not json'), 'corrupt_log');
  throwsCode(assert, () => Ledger.fromJson('{"version":99,"events":[]}'), 'unsupported_log_version');
  assert.equal(l.length, 0);
});

test('null where a record is expected is invalid_type, not a bare TypeError', () => {
  // napi's conversion of `null` as an object makes V8 throw; ours must win.
  const l = new Ledger();
  throwsCode(assert, () => l.registerCustomer(null), 'invalid_type');
  throwsCode(assert, () => l.issueInvoice({ id: 'I', customer: 'C', date: '2026-01-01', lines: [null] }), 'invalid_type');
  throwsCode(assert, () => computeTotals({ lines: [null], currency: 'USD' }), 'invalid_type');
  assert.equal(l.length, 0);
});

test('counts must be whole numbers, not wrapped or truncated', () => {
  const l = build();
  const before = l.toJson();
  for (const installment of [-1, 1.5, NaN]) {
    const e = throwsCode(
      assert,
      () => l.apply({ receipt: 'R2', invoice: 'INV-1', amount: '1.00', date: '2026-04-01', installment }, later),
      'invalid_value',
    );
    assert.match(e.message, /^invalid_value: installment: /);
  }
  throwsCode(
    assert,
    () => l.issueCreditMemo({ id: 'CM-9', customer: 'ACME', date: '2026-04-01', against: 'INV-1', lines: [{ line: -1 }] }, later),
    'invalid_value',
  );
  throwsCode(
    assert,
    () => schedule({ terms: { due: 'net 30', discountPercent: '2', discountDays: 2.5 }, invoiceDate: '2026-01-01', total: '1.00', currency: 'USD' }),
    'invalid_value',
  );
  assert.equal(l.toJson(), before);
});

test('source and credit kinds must be unambiguous', () => {
  const l = build();
  const before = l.toJson();
  throwsCode(assert, () => l.apply({ invoice: 'INV-1', amount: '1.00', date: '2026-04-01' }, later), 'invalid_value');
  throwsCode(
    assert,
    () => l.apply({ receipt: 'R2', creditMemo: 'CM-1', invoice: 'INV-1', amount: '1.00', date: '2026-04-01' }, later),
    'invalid_value',
  );
  throwsCode(assert, () => l.issueCreditMemo({ id: 'CM-9', customer: 'ACME', date: '2026-04-01' }, later), 'invalid_value');
  throwsCode(
    assert,
    () => l.issueCreditMemo({ id: 'CM-9', customer: 'ACME', date: '2026-04-01', amount: '1.00', whole: true, against: 'INV-1' }, later),
    'invalid_value',
  );
  throwsCode(
    assert,
    () => l.registerCustomer({ id: 'B', name: 'B', currency: 'USD' }, at('2026-01-01T00:00:00Z')),
    'recorded_out_of_order',
  );
  assert.equal(l.toJson(), before);
});

test('every code has a family and a place in ERROR_CODES', () => {
  assert.equal(ERROR_CODES.length, new Set(ERROR_CODES).size);
  for (const code of ['invalid_type', 'invalid_decimal', 'invalid_date', 'not_found', 'duplicate_id', 'currency_mismatch',
    'too_many_decimals', 'over_application', 'idempotency_conflict', 'internal']) {
    assert.ok(ERROR_CODES.includes(code), code);
  }
});

test('every error is an ArError: code, family, and the field and value it names', () => {
  const l = build();
  const e = throwsCode(assert, () => l.apply({ receipt: 'R2', invoice: 'INV-1', amount: '1e3', date: '2026-04-01' }, later), 'invalid_decimal');
  assert.ok(e instanceof ArError && e instanceof Error);
  assert.equal(e.name, 'ArError');
  assert.equal(e.family, 'validation');
  assert.equal(e.field, 'amount');
  assert.equal(e.value, '1e3');
  assert.ok(isArError(e));
  const missing = throwsCode(assert, () => l.invoice('INV-404'), 'not_found');
  assert.deepEqual([missing.field, missing.value], ['invoice', 'INV-404']);
  // An error that names no value has no `value` property.
  const log = throwsCode(assert, () => Ledger.fromJson('not json'), 'corrupt_log');
  assert.equal(log.family, 'log');
  assert.ok(!('field' in log) && !('value' in log));
  // A long value is cut as in the message: 64 bytes and its length.
  const long = throwsCode(assert, () => l.apply({ receipt: 'R2', invoice: 'INV-1', amount: `${'9'.repeat(1000)}x`, date: '2026-04-01' }, later), 'invalid_decimal');
  assert.ok(long.value.length < 100 && long.value.startsWith('9'.repeat(64)), long.value);
  // Free functions throw ArErrors too.
  throwsCode(assert, () => minorUnits('usd'), 'invalid_currency');
});

test('isArError tells an ArError from anything else', () => {
  for (const other of [new Error('invalid_value: x'), Object.assign(new Error('x'), { code: 'invalid_value', family: 'validation' }), { code: 'not_found' }, null, undefined, 'not_found', 7]) {
    assert.equal(isArError(other), false, String(other));
  }
  assert.equal(isArError(new ArError('internal: made by hand')), true);
});

test('ArErrorCode lists ERROR_CODES, in order; ArErrorFamily every family', () => {
  assert.deepEqual(Object.values(ArErrorCode), ERROR_CODES);
  assert.deepEqual(Object.values(ArErrorFamily), ['validation', 'not_found', 'conflict', 'currency', 'state', 'log', 'internal']);
});
