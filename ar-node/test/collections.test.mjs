// Collections from Node: dunning runs with reasons, recording notices, late
// interest and the statutory presets, the cost of a forgone discount,
// disputes, promises and plans, and letters rendered byte for byte as the
// core renders them. Every figure is worked by hand in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import * as ar from '../index.js';
import { throwsCode } from './scenario.mjs';

const DATA = new URL('../../ar-core/tests/data/', import.meta.url);

const level = (days, template, fee, action = 'email') => ({
  days,
  template,
  action,
  minOverdue: [{ amount: '50.00', currency: 'EUR' }],
  fee: [{ amount: fee, currency: 'EUR' }],
});

// Levels from 1, 15, 30 and 45 days past due; at least EUR 50 overdue;
// fees 0 / 5 / 10 / 20; a week between notices.
const POLICY = {
  id: 'standard',
  levels: [level(1, 'first', '0.00'), level(15, 'second', '5.00'), level(30, 'third', '10.00', 'letter'), level(45, 'final', '20.00', 'agency')],
  minDaysBetween: 7,
};

function book() {
  const l = new ar.Ledger();
  l.registerCustomer({ id: 'A', name: 'A Ltd', currency: 'EUR' });
  l.registerCustomer({ id: 'B', name: 'B GmbH', currency: 'EUR' });
  // Net 30: INV-A1 due 31 January, INV-A2 due 28 February, INV-B1 due 31 January.
  const inv = (id, customer, date, amount) =>
    l.issueInvoice({ id, customer, date, lines: [{ quantity: '1', unitPrice: amount }], terms: 'net 30' });
  inv('INV-A1', 'A', '2026-01-01', '1500.00');
  inv('INV-A2', 'A', '2026-01-29', '200.00');
  inv('INV-B1', 'B', '2026-01-01', '80.00');
  return l;
}

test('a run, its reasons and the letter byte for byte', () => {
  const l = book();
  // 20 February: INV-A1 is 20 days past due (level 2, fee 5.00); B disputes
  // 40.00 of INV-B1's 80.00, leaving 40.00, below the 50.00.
  l.openDispute({ id: 'D-1', invoice: 'INV-B1', amount: '40.00', reason: 'pricing', owner: 'ann' }, '2026-02-10');
  const run = l.dunningRun(POLICY, { asOf: '2026-02-20' });
  assert.deepEqual(
    run.notices.map((n) => [n.customer, n.level, n.fee, n.total]),
    [['A', 2, '5.00', '1505.00']],
  );
  const [notice] = run.notices;
  assert.deepEqual(
    notice.items.map((i) => [i.invoice, i.daysPastDue, i.open, i.level, i.previousLevel]),
    [['INV-A1', 20, '1500.00', 2, 0]],
  );
  assert.equal(notice.text, undefined);
  const [skip] = run.skipped;
  assert.deepEqual([skip.customer, skip.currency], ['B', 'EUR']);
  const below = skip.reasons.find((r) => r.kind === 'below_threshold');
  assert.deepEqual([below?.overdue, below?.threshold], ['40.00', '50.00']);
  assert.equal(skip.reasons.find((r) => r.kind === 'disputed')?.amount, '40.00');

  // Recorded as sent, a rerun that day proposes nothing new.
  const out = l.recordDunningNotice({ notice, id: 'N-1' });
  assert.deepEqual(out.events.map((e) => e.type), ['dunning_notice_recorded']);
  const again = l.dunningRun(POLICY, { asOf: '2026-02-20' });
  assert.deepEqual(again.notices, []);
  assert.ok(again.skipped.find((s) => s.customer === 'A')?.reasons.some((r) => r.kind === 'notice_sent_recently'));

  // 12 March: INV-A1 40 days (level 3), INV-A2 12 days (level 1): a level 3
  // letter, fee 10.00, total 1,500 + 200 + 10 = 1,710.00, written with the
  // core's test template into the core's expected bytes.
  const template = readFileSync(new URL('dunning_letter.txt.j2', DATA), 'utf8');
  const expected = readFileSync(new URL('dunning_letter_expected.txt', DATA));
  const setup = { policies: [POLICY], defaultPolicy: 'standard', templates: { first: 'x', second: 'x', third: template, final: 'x' } };
  const run3 = l.dunningRun(setup, { asOf: '2026-03-12' });
  assert.equal(run3.notices.length, 1);
  const letter = run3.notices[0];
  assert.deepEqual([letter.level, letter.action, letter.total], [3, 'letter', '1710.00']);
  assert.ok(Buffer.from(letter.text ?? '', 'utf8').equals(expected));
  // The same bytes from the notice alone.
  assert.ok(Buffer.from(ar.renderNotice(template, letter), 'utf8').equals(expected));
});

test('template errors name the template and the line', () => {
  const l = book();
  for (const second of ['Dear {{ customer_name }}\n{{ nope }}\n', 'ok\n{{ customer_name }\n']) {
    const templates = { first: 'x', second, third: 'x', final: 'x' };
    const e = throwsCode(assert, () => l.dunningRun(POLICY, { asOf: '2026-02-20', templates }), 'template_error');
    assert.match(e.message, /^template_error: template second, line 2: /);
  }
});

test('a bad policy is refused naming the field, and a number is no amount', () => {
  const l = book();
  const e = throwsCode(assert, () => l.dunningRun({ ...POLICY, minDaysBetween: 1.5 }, { asOf: '2026-02-20' }), 'invalid_value');
  assert.match(e.message, /^invalid_value: setup\.minDaysBetween: "1\.5"/);
  throwsCode(assert, () => ar.lateInterest({ rule: { rates: [], margin: '8' }, principal: 100, dueDate: '2024-01-01', through: '2024-02-01', currency: 'EUR' }), 'invalid_type');
});

test('the worked UK example', () => {
  // GBP 10,000 due 15 Feb 2024, paid 15 Apr 2024: 60 days at 5.25 + 8 =
  // 13.25 %: 10,000 x 13.25 x 60 / 36,500 = 217.808... -> 217.81; the debt is
  // 10,000 or more: GBP 100 fixed. 217.81 + 100 = 317.81.
  const rule = ar.interestRule('uk_late_payment', [{ from: '2024-01-01', rate: '5.25' }]);
  assert.deepEqual([rule.margin, rule.mode, rule.dayCount], ['8', 'fixed', 'actual365']);
  const i = ar.lateInterest({ rule, principal: '10000.00', dueDate: '2024-02-15', through: '2024-04-15', currency: 'GBP' });
  assert.deepEqual([i.days, i.amount], [60, '217.81']);
  assert.deepEqual(i.segments.map((s) => [s.days, s.principal, s.rate]), [[60, '10000.00', '13.25']]);
  const fixed = (rule.compensation ?? []).filter((c) => c.currency === 'GBP').flatMap((c) => c.tiers.map((t) => t.amount));
  assert.deepEqual(fixed, ['40.00', '70.00', '100.00']);
  // 217.81 + 100.00 in cents: 21781 + 10000 = 31781.
  assert.equal(21781 + 10000, 31781);
});

test('interest in each day count and mode, with a payment', () => {
  const rates = [{ from: '2024-01-01', rate: '4.00' }, { from: '2024-03-01', rate: '2.00' }];
  const fixed = { rates, margin: '8', mode: 'fixed' };
  // Fixed at the due date (31 Jan: 4 + 8 = 12 %), 1,000 for 60 days:
  // actual/365 1,000 x 12 x 60 / 36,500 = 19.726 -> 19.73; actual/360 20.00;
  // 30/360 (30 Jan..30 Mar = 60 days) 20.00.
  const at = (rule, changes) => ar.lateInterest({ rule, principal: '1000.00', dueDate: '2024-01-31', through: '2024-03-31', currency: 'EUR', changes }).amount;
  assert.equal(at(fixed), '19.73');
  assert.equal(at({ ...fixed, dayCount: 'actual360' }), '20.00');
  assert.equal(at({ ...fixed, dayCount: 'thirty360' }), '20.00');
  // Floating resets only on 1 January and 1 July: still 12 % in March.
  assert.equal(at({ ...fixed, mode: 'floating' }), '19.73');
  // Half paid on 1 March: 1,000 x 12 x 30 + 500 x 12 x 30 = 540,000 / 36,500
  // = 14.794 -> 14.79.
  assert.equal(at(fixed, [{ date: '2024-03-01', amount: '-500.00' }]), '14.79');
});

test('the presets and the cost of a forgone discount', () => {
  const rates = [{ from: '2024-01-01', rate: '4.50' }];
  const eu = ar.interestRule('eu_directive', rates);
  const de = ar.interestRule('germany', rates);
  assert.deepEqual([eu.margin, eu.mode, de.margin, de.mode], ['8', 'floating', '9', 'floating']);
  assert.deepEqual((eu.compensation ?? []).flatMap((c) => c.tiers.map((t) => t.amount)), ['40.00']);
  throwsCode(assert, () => ar.interestRule(/** @type {any} */ ('france'), rates), 'invalid_value');
  // 2/10 net 30: 2 / 98 x 360 / 20 = 36.7347 %, x 365 / 20 = 37.2449 %;
  // compounded (1 + 2/98) ^ (365/20) - 1 = 44.5853 %.
  const c = ar.discountCost('2', 10, 30);
  assert.deepEqual([c.simple360, c.simple365, c.compounded365], ['36.7347', '37.2449', '44.5853']);
  assert.deepEqual(ar.discountCostOfTerms('2/10 net 30', '2026-03-01'), c);
  assert.equal(ar.discountCostOfTerms('net 30', '2026-03-01'), null);
  throwsCode(assert, () => ar.discountCost(/** @type {any} */ (2), 10, 30), 'invalid_type');
  assert.equal(ar.formatAmount('1234567.5', 'EUR'), '1,234,567.50');
});

test('charges and the clearing order', () => {
  const l = book();
  l.issueCharge({ id: 'INT-1', customer: 'A', date: '2026-03-12', kind: 'interest', lines: [{ item: { invoice: 'INV-A1' }, amount: '12.00', through: '2026-03-12' }] });
  l.issueCharge({ id: 'FEE-1', customer: 'A', date: '2026-03-12', kind: 'fee', lines: [{ item: { invoice: 'INV-A1' }, amount: '5.00' }] });
  // 20.00 clears the fee (5.00), then the interest (12.00), then 3.00 of
  // INV-A1's principal.
  l.recordReceipt({ id: 'R-1', customer: 'A', date: '2026-03-15', amount: '20.00', currency: 'EUR' });
  const out = l.applyInClearingOrder({ receipt: 'R-1', date: '2026-03-15', invoice: 'INV-A1' });
  assert.deepEqual(out.events.map((e) => e.type), ['applied', 'applied', 'applied']);
  assert.deepEqual(['FEE-1', 'INT-1', 'INV-A1'].map((id) => l.invoice(id)?.open), ['0.00', '0.00', '1497.00']);
});

test('disputes, promises, plans and holds', () => {
  const l = book();
  l.openDispute({ id: 'D-1', invoice: 'INV-A1', amount: '300.00', reason: 'damaged', owner: 'ann' }, '2026-02-05');
  l.openDispute({ id: 'D-2', invoice: 'INV-B1', reason: 'pricing', owner: 'bob' }, '2026-02-10');
  l.resolveDispute({ dispute: 'D-2', date: '2026-02-20', by: 'bob', reason: 'price confirmed' });
  const views = l.disputes({ asOf: '2026-03-01' });
  assert.deepEqual(views.map((v) => [v.id, v.open, v.amount, v.ageDays]), [['D-1', true, '300.00', 24], ['D-2', false, '0.00', 10]]);
  assert.deepEqual([views[1].resolution?.by, views[1].resolvedBy], ['reinstated', 'bob']);
  const rows = l.disputeSummary({ asOf: '2026-03-01', by: 'customer' });
  assert.deepEqual(rows.map((r) => [r.key, r.count, r.amount, r.oldestAgeDays]), [['A', 1, '300.00', 24]]);

  // 200.00 promised by 5 March with 2 days' grace; 150.00 paid: open on 6
  // March, broken on 8 March.
  l.recordPromise({ id: 'P-1', customer: 'A', items: [{ invoice: 'INV-A2' }], amount: '200.00', due: '2026-03-05', graceDays: 2 }, '2026-03-01');
  l.recordReceipt({ id: 'R-1', customer: 'A', date: '2026-03-04', amount: '150.00', currency: 'EUR' });
  l.apply({ receipt: 'R-1', invoice: 'INV-A2', amount: '150.00', date: '2026-03-04' });
  const [p] = l.promises({ asOf: '2026-03-06' });
  assert.deepEqual([p.status, p.paid, p.required, p.deadline], ['open', '150.00', '200.00', '2026-03-07']);
  const broken = l.promises({ asOf: '2026-03-08', broken: true });
  assert.deepEqual(broken.map((b) => [b.promise.id, b.status]), [['P-1', 'broken']]);

  // 40.00 on 1 March and 1 April over INV-B1; nothing paid by 1 March:
  // broken on 2 March, instalment 0 missed.
  l.agreePlan({ id: 'PL-1', customer: 'B', items: [{ invoice: 'INV-B1' }], instalments: [{ due: '2026-03-01', amount: '40.00' }, { due: '2026-04-01', amount: '40.00' }] }, '2026-02-25');
  const [current] = l.plans({ asOf: '2026-02-28' });
  assert.deepEqual([current.status, current.nextDue], ['current', '2026-03-01']);
  const [plan] = l.plans({ asOf: '2026-03-02' });
  assert.deepEqual([plan.status, plan.missed], ['broken', 0]);
  // Instalments that do not add up are refused, and nothing changes.
  const n = l.events().length;
  throwsCode(assert, () => l.agreePlan({ id: 'PL-2', customer: 'B', items: [{ invoice: 'INV-B1' }], instalments: [{ due: '2026-04-01', amount: '10.00' }] }, '2026-03-02'), 'invalid_amount');
  assert.equal(l.events().length, n);

  l.setCollectionsHold({ customer: 'A', hold: true, date: '2026-03-10', reason: 'in talks' });
  const run = l.dunningRun(POLICY, { asOf: '2026-03-12' });
  const a = run.skipped.find((s) => s.customer === 'A');
  assert.ok(a?.reasons.some((r) => r.kind === 'on_hold' && r.reason === 'in talks'));
});
