// Ledger mechanics: outcomes and events, idempotency, replay, executeJson,
// drafts and disputes.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Ledger } from '../index.js';
import { at, build, throwsCode } from './scenario.mjs';

test('an outcome lists the events a command appended', () => {
  const l = new Ledger();
  const out = l.registerCustomer({ id: 'ACME', name: 'Acme', currency: 'USD' }, at('2026-03-01T08:00:00Z'));
  assert.equal(out.replayed, false);
  assert.equal(out.events.length, 1);
  const [e] = out.events;
  assert.deepEqual(
    { seq: e?.seq, type: e?.type, subject: e?.subject, effective: e?.effective, recorded: e?.recorded },
    { seq: 1, type: 'customer_registered', subject: 'ACME', effective: '2026-03-01', recorded: '2026-03-01T08:00:00Z' },
  );
  const json = JSON.parse(e?.json ?? '{}');
  assert.equal(json.seq, 1);
  assert.equal(json.event.type, 'customer_registered');
  assert.equal(json.event.customer.id, 'ACME');
  // A generated application id is the subject of the `applied` event.
  const scenario = build();
  scenario.recordReceipt({ id: 'R9', customer: 'ACME', date: '2026-03-20', amount: '5.00', currency: 'USD' }, at('2026-03-20T09:00:00Z'));
  const applied = scenario.apply({ receipt: 'R9', invoice: 'INV-1', amount: '5.00', date: '2026-03-20' }, at('2026-03-20T09:00:00Z'));
  assert.equal(applied.events[0]?.type, 'applied');
  assert.ok(applied.events[0]?.subject, 'generated application id');
  assert.ok(scenario.applications().some((a) => a.id === applied.events[0]?.subject));
});

test('recorded defaults to now', () => {
  const l = new Ledger();
  const before = Date.now();
  const out = l.registerCustomer({ id: 'ACME', name: 'Acme', currency: 'USD' });
  const recorded = Date.parse(out.events[0]?.recorded ?? '');
  assert.ok(recorded >= before - 1000 && recorded <= Date.now() + 1000, out.events[0]?.recorded);
});

test('idempotency: a retry replays, a different command conflicts', () => {
  const l = build();
  const cmd = { receipt: 'R2', invoice: 'INV-1', amount: '19.00', date: '2026-03-13' };
  const meta = { recorded: '2026-03-13T09:00:00Z', idempotencyKey: 'pay-1' };
  const first = l.apply(cmd, meta);
  assert.equal(first.replayed, false);
  const n = l.length;
  const again = l.apply({ ...cmd }, meta);
  assert.equal(again.replayed, true);
  assert.deepEqual(again.events, first.events);
  assert.equal(l.length, n);
  const before = l.toJson();
  throwsCode(assert, () => l.apply({ ...cmd, amount: '1.00' }, meta), 'idempotency_conflict');
  assert.equal(l.toJson(), before);
  // Keys survive a round trip through JSON.
  const back = Ledger.fromJson(l.toJson());
  assert.equal(back.apply(cmd, meta).replayed, true);
  assert.equal(back.length, n);
});

test('replay: fromJson(toJson()) gives the same log and the same figures', () => {
  const l = build();
  const json = l.toJson();
  assert.ok(json.startsWith('{"version":2,'));
  const back = Ledger.fromJson(json);
  assert.equal(back.toJson(), json);
  assert.equal(back.length, l.length);
  assert.deepEqual(back.balances(), l.balances());
  assert.deepEqual(back.openItems(), l.openItems());
  assert.deepEqual(back.events(), l.events());
  assert.deepEqual(back.invoice('INV-1'), l.invoice('INV-1'));
  assert.deepEqual(back.applications(), l.applications());
  assert.deepEqual(back.customerBalance('ACME', { asOf: '2026-03-11' }), l.customerBalance('ACME', { asOf: '2026-03-11' }));
  // Each event's json is the stored envelope: a list of them is the log.
  const events = l.events().map((e) => JSON.parse(e.json));
  assert.deepEqual(events, JSON.parse(json).events);
});

test('executeJson runs any command in the engine serde form', () => {
  const l = build();
  const out = l.executeJson(
    JSON.stringify({ type: 'apply', source: { receipt: 'R2' }, invoice: 'INV-1', amount: '19.00', date: '2026-03-13' }),
    at('2026-03-13T09:00:00Z'),
  );
  assert.equal(out.events[0]?.type, 'applied');
  assert.equal(l.invoice('INV-1').status, 'paid');
  const dispute = l.executeJson(
    '{"type":"set_dispute","invoice":"INV-2","disputed":true,"date":"2026-03-14","reason":"damaged"}',
    { recorded: '2026-03-14T09:00:00Z', idempotencyKey: 'd-1' },
  );
  assert.equal(dispute.events[0]?.type, 'dispute_set');
  assert.equal(l.invoice('INV-2').disputed, true);
  const before = l.toJson();
  throwsCode(assert, () => l.executeJson('{"type":"teleport"}'), 'invalid_value');
  throwsCode(assert, () => l.executeJson('not json'), 'invalid_value');
  throwsCode(assert, () => l.executeJson(42), 'invalid_type');
  throwsCode(
    assert,
    () => l.executeJson('{"type":"void_invoice","invoice":"NOPE","date":"2026-03-20"}', at('2026-03-20T09:00:00Z')),
    'not_found',
  );
  assert.equal(l.toJson(), before);
});

test('drafts, disputes, voids, credit memos and refunds', () => {
  const l = new Ledger();
  const m = at('2026-05-01T09:00:00Z');
  l.registerCustomer({ id: 'C', name: 'C', currency: 'EUR', terms: 'net 14', dimensions: { region: 'EMEA' } }, m);
  l.issueInvoice(
    {
      id: 'D1',
      customer: 'C',
      date: '2026-05-01',
      draft: true,
      poNumber: 'PO-1',
      dimensions: { rep: 'alice' },
      lines: [{ description: 'Thing', quantity: '2', unitPrice: '10.00', discountAmount: '1.00', taxes: [{ code: 'V', rate: '20' }] }],
    },
    m,
  );
  let v = l.invoice('D1');
  assert.deepEqual([v.status, v.open, v.total, v.dueDate, v.poNumber], ['draft', '0.00', '22.80', '2026-05-15', 'PO-1']);
  assert.deepEqual(v.dimensions, { rep: 'alice' });
  assert.deepEqual(v.lines, [
    {
      description: 'Thing',
      quantity: '2',
      unitPrice: '10.00',
      discountAmount: '1.00',
      taxes: [{ code: 'V', rate: '20' }],
      net: '19.00',
      tax: '3.80',
      gross: '22.80',
    },
  ]);
  assert.deepEqual(l.openItems(), []);
  l.finalizeInvoice({ invoice: 'D1', date: '2026-05-02' }, m);
  v = l.invoice('D1');
  assert.deepEqual([v.status, v.open], ['open', '22.80']);
  l.setDispute({ invoice: 'D1', disputed: true, date: '2026-05-03', reason: 'wrong size' }, m);
  assert.equal(l.openItems()[0]?.disputed, true);
  l.setDispute({ invoice: 'D1', disputed: false, date: '2026-05-04' }, m);
  assert.equal(l.openItems()[0]?.disputed, false);
  // A whole-invoice credit memo, applied: the invoice is settled by credit.
  l.issueCreditMemo({ id: 'CM', customer: 'C', date: '2026-05-05', against: 'D1', whole: true }, m);
  assert.deepEqual(
    l.openCredits().map((i) => [i.kind, i.id, i.open]),
    [['credit_memo', 'CM', '22.80']],
  );
  l.apply({ creditMemo: 'CM', invoice: 'D1', amount: '22.80', date: '2026-05-05' }, m);
  v = l.invoice('D1');
  assert.deepEqual([v.status, v.credited], ['paid', '22.80']);
  // A standalone credit, refunded; a receipt, voided.
  l.issueCreditMemo({ id: 'CM2', customer: 'C', date: '2026-05-06', amount: '5.00', reason: 'goodwill' }, m);
  l.refund({ creditMemo: 'CM2', amount: '5.00', date: '2026-05-07', method: 'wire' }, m);
  assert.deepEqual([l.creditMemo('CM2').refunded, l.creditMemo('CM2').open], ['5.00', '0.00']);
  l.recordReceipt({ id: 'R', customer: 'C', date: '2026-05-08', amount: '9.00', currency: 'EUR', method: 'check' }, m);
  l.voidReceipt({ receipt: 'R', date: '2026-05-09', reason: 'bounced' }, m);
  const r = l.receipt('R');
  assert.deepEqual([r.void, r.open], [true, '0.00']);
  throwsCode(assert, () => l.voidCreditMemo({ creditMemo: 'CM2', date: '2026-05-10' }, m), 'invalid_state');
  l.issueCreditMemo({ id: 'CM3', customer: 'C', date: '2026-05-10', amount: '1.00' }, m);
  assert.equal(l.voidCreditMemo({ creditMemo: 'CM3', date: '2026-05-10' }, m).events[0]?.type, 'credit_memo_voided');
  assert.equal(l.creditMemo('CM3').void, true);
  l.updateCustomer({ id: 'C', name: 'C & Co', currency: 'EUR' }, m);
  // An invoice on installment terms with a fixed first payment.
  l.issueInvoice(
    {
      id: 'I2',
      customer: 'C',
      date: '2026-05-10',
      lines: [{ quantity: '1', unitPrice: '100.00' }],
      terms: {
        installments: [
          { due: 'net 10', amount: '30.00', discountPercent: '2', discountDays: 5 },
          { due: 'net 40', remainder: true },
        ],
      },
    },
    m,
  );
  v = l.invoice('I2');
  assert.equal(v.terms, '2 installments');
  assert.deepEqual(v.installments, [
    { number: 1, dueDate: '2026-05-20', amount: '30.00', open: '30.00', discount: { until: '2026-05-15', percent: '2', amount: '0.60', base: 'total' } },
    { number: 2, dueDate: '2026-06-19', amount: '70.00', open: '70.00' },
  ]);
  l.voidInvoice({ invoice: 'I2', date: '2026-05-11' }, m);
  assert.equal(l.invoice('I2').status, 'void');
  assert.equal(l.invoice('I2', { asOf: '2026-05-10' }).status, 'open');
});

test('the log carries a hash chain: an edit is caught and the event named', () => {
  const l = build();
  const json = l.toJson();
  const head = l.chainHead;
  assert.equal(head.length, 64);
  assert.notEqual(head, '0'.repeat(64));
  assert.equal(new Ledger().chainHead, '0'.repeat(64));
  const log = JSON.parse(json);
  assert.equal(log.events.at(-1).hash, head);
  assert.equal(Ledger.fromJson(json).chainHead, head);
  // Another remittance text: allowed by the rules, caught by the chain.
  const receipt = log.events.find((e) => e.event.type === 'receipt_recorded');
  receipt.event.receipt.remittance = 'edited by hand';
  assert.throws(() => Ledger.fromJson(JSON.stringify(log)), (e) => {
    assert.equal(e.code, 'corrupt_log');
    assert.match(e.message, new RegExp(`event ${receipt.seq} \\(receipt_recorded`));
    assert.match(e.message, /hash/);
    return true;
  });
  // Without hashes (version 1) the events' own rules still apply.
  const v1 = JSON.parse(json);
  v1.version = 1;
  for (const e of v1.events) delete e.hash;
  assert.equal(Ledger.fromJson(JSON.stringify(v1)).length, l.length);
  v1.events.find((e) => e.event.type === 'receipt_recorded').event.receipt.amount = '-100.00';
  assert.throws(() => Ledger.fromJson(JSON.stringify(v1)), { code: 'corrupt_log' });
});
