// Credit checks and the collector's worklist from Node: the hand-worked
// cases of ar-core/tests/credit_control.rs (a 10,000.00 limit with 6,000.00
// owed) and ar-core/tests/worklist.rs (five customers ranked, three left
// off). Amounts are decimal strings throughout.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as ar from '../index.js';
import { acme, worklistBook } from './credit_books.mjs';
import { throwsCode } from './scenario.mjs';

const throws = (fn, code) => throwsCode(assert, fn, code);

const check = (l, amount, asOf, rest = {}) => l.creditCheck({ customer: 'ACME', amount, asOf, ...rest });
const kinds = (c) => c.reasons.map((f) => [f.outcome, f.reason.kind]);

test('allowed, warned near the limit and blocked over it', () => {
  const l = acme();
  let c = check(l, '2000.00', '2026-03-10');
  assert.deepEqual([c.outcome, c.owed, c.exposure, c.limit, c.currency], ['allow', '6000.00', '8000.00', '10000.00', 'USD']);
  assert.deepEqual(c.reasons, []);
  // Exactly 90 % of the limit: a warning.
  c = check(l, '3000.00', '2026-03-10');
  assert.deepEqual(kinds(c), [['warn', 'near_limit']]);
  assert.deepEqual(c.reasons[0].reason, { kind: 'near_limit', limit: '10000.00', exposure: '9000.00' });
  c = check(l, '4500.00', '2026-03-10');
  assert.equal(c.outcome, 'block');
  assert.deepEqual(c.reasons[0].reason, { kind: 'over_limit', limit: '10000.00', exposure: '10500.00', overBy: '500.00' });
  // Orders accepted but not invoiced count.
  c = check(l, '2000.00', '2026-03-10', { orders: '2500.00' });
  assert.deepEqual([c.exposure, c.outcome], ['10500.00', 'block']);
  throws(() => check(l, '-1', '2026-03-10'), 'invalid_amount');
  throws(() => check(l, '1.001', '2026-03-10'), 'too_many_decimals');
  throws(() => check(l, 1, '2026-03-10'), 'invalid_type');
  throws(() => l.creditCheck({ customer: 'NOBODY', amount: '1', asOf: '2026-03-10' }), 'not_found');
});

test('items past due block by policy', () => {
  const l = acme();
  const c = check(l, '100.00', '2026-05-01');
  assert.equal(c.outcome, 'block');
  assert.deepEqual(c.reasons[0].reason, { kind: 'past_due', days: 30, items: 1, amount: '6000.00', oldestDays: 31 });
  assert.equal(check(l, '100.00', '2026-04-30').outcome, 'allow');
  assert.deepEqual(kinds(check(l, '100.00', '2026-05-01', { policy: { pastDue: 'warn' } })), [['warn', 'past_due']]);
  assert.deepEqual(kinds(check(l, '1000.00', '2026-03-10', { policy: { warnAtPercent: '70' } })), [['warn', 'near_limit']]);
  throws(() => check(l, '1', '2026-03-10', { policy: { pastDue: 'shout' } }), 'invalid_value');
});

test('a broken promise warns and a credit hold blocks', () => {
  const l = acme();
  l.recordPromise({ id: 'P-1', customer: 'ACME', items: [{ invoice: 'INV-1' }], amount: '6000.00', due: '2026-04-05' }, '2026-04-01');
  let c = check(l, '100.00', '2026-04-06');
  assert.deepEqual(kinds(c), [['warn', 'broken_promises']]);
  assert.deepEqual(c.reasons[0].reason, { kind: 'broken_promises', count: 1 });
  const out = l.setCreditHold({ customer: 'ACME', hold: true, date: '2026-04-07', reason: 'promise broken', by: 'j.smith' });
  assert.deepEqual(out.events.map((e) => e.type), ['credit_hold_set']);
  c = check(l, '100.00', '2026-04-08');
  assert.deepEqual(kinds(c), [['block', 'on_hold'], ['warn', 'broken_promises']]);
  assert.deepEqual(c.reasons[0].reason, { kind: 'on_hold', since: '2026-04-07', reason: 'promise broken', by: 'j.smith' });
  assert.deepEqual(kinds(check(l, '100.00', '2026-04-06')), [['warn', 'broken_promises']]);
  // A hold needs a reason, to be lifted too.
  throws(() => l.setCreditHold({ customer: 'ACME', hold: false, date: '2026-04-09', reason: ' ', by: 'j.smith' }), 'invalid_value');
  l.setCreditHold({ customer: 'ACME', hold: false, date: '2026-04-09', reason: 'paid in full', by: 'j.smith' });
  assert.deepEqual(kinds(check(l, '100.00', '2026-04-10')), [['warn', 'broken_promises']]);
  assert.equal(ar.Ledger.fromJson(l.toJson()).toJson(), l.toJson());
});

test('five customers ranked and three left off', () => {
  const l = worklistBook();
  let w = l.worklist({ asOf: '2026-04-30' });
  assert.equal(w.asOf, '2026-04-30');
  assert.deepEqual(w.rows.map((r) => [r.rank, r.customer, r.score]), [
    [1, 'A', '2000.00'],
    [2, 'B', '1800.00'],
    [3, 'H', '1240.00'],
    [4, 'C', '1000.00'],
    [5, 'G', '450.00'],
  ]);
  const g = w.rows[4];
  assert.deepEqual([g.lateShare, g.daysBeyondTerms, g.oldestDays, g.weightedOverdue], ['0.5000', '2.5', 60, '300.00']);
  assert.match(g.explanation, /100\.00 USD overdue in 1 item\(s\), the oldest 60 days/);
  assert.match(g.explanation, /50% of past payments late/);
  assert.equal(w.rows[3].brokenPromises, 1);
  assert.deepEqual(w.excluded.map((e) => [e.customer, e.reasons]), [
    ['D', ['disputed']],
    ['E', ['nothing_overdue']],
    ['F', ['promised']],
  ]);
  const ann = l.worklist({ asOf: '2026-04-30', dimension: ['collector', 'ann'] });
  assert.deepEqual(ann.rows.map((r) => r.customer), ['A', 'B', 'C']);
  assert.deepEqual(l.worklist({ asOf: '2026-04-30', currency: 'EUR' }).rows, []);
  l.setCollectionsHold({ customer: 'A', hold: true, date: '2026-04-29', reason: 'in legal review' });
  w = l.worklist({ asOf: '2026-04-30' });
  assert.deepEqual(w.rows.map((r) => r.customer), ['B', 'H', 'C', 'G']);
  assert.ok(w.excluded.some((e) => e.customer === 'A' && e.reasons.includes('on_hold')));
  throws(() => l.worklist({ asOf: '2026-04-31' }), 'invalid_date');
});

test('a credit hold is flagged in every report', () => {
  // a_credit_hold_is_flagged_in_every_report of ar-core/tests/credit_control.rs.
  const l = acme();
  l.setCreditHold({ customer: 'ACME', hold: true, date: '2026-04-07', reason: 'late', by: 'j.smith' });
  l.setCreditHold({ customer: 'ACME', hold: false, date: '2026-04-20', reason: 'late', by: 'j.smith' });
  assert.deepEqual(l.aging({ asOf: '2026-04-06' }).creditHolds, []);
  assert.deepEqual(l.aging({ asOf: '2026-04-10' }).creditHolds, ['ACME']);
  assert.deepEqual(l.aging({ asOf: '2026-04-20' }).creditHolds, []);
  assert.deepEqual(l.worklist({ asOf: '2026-04-10' }).rows.map((r) => r.creditHold), [true]);
  assert.deepEqual(l.worklist({ asOf: '2026-04-21' }).rows.map((r) => r.creditHold), [false]);
  const setup = { id: 'std', levels: [{ days: 7, action: 'email', template: 'first' }], minDaysBetween: 7 };
  // A credit hold flags the notice; it does not stop it.
  assert.deepEqual(l.dunningRun(setup, { asOf: '2026-04-10' }).notices.map((n) => n.creditHold), [true]);
  assert.deepEqual(l.dunningRun(setup, { asOf: '2026-04-21' }).notices.map((n) => n.creditHold), [false]);
  assert.equal(l.statement('ACME', { from: '2026-04-01', to: '2026-04-10' }).creditHold, true);
  assert.equal(l.statement('ACME', { from: '2026-04-01', to: '2026-04-30' }).creditHold, false);
});
