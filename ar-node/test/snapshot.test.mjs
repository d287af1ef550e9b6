// Snapshots: `snapshot` and `Ledger.restore` give back the ledger the whole
// log gives, with the log lines written after the snapshot; a damaged or
// edited snapshot is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Ledger, snapshotInfo } from '../index.js';
import { at, build, throwsCode } from './scenario.mjs';

test('restore gives the ledger with its tail', async () => {
  const l = build();
  const snap = l.snapshot();
  assert.ok(Buffer.isBuffer(snap));
  assert.equal(snap.subarray(0, 8).toString('latin1'), 'ar-snap\n');
  const info = snapshotInfo(snap);
  assert.deepEqual(info, { version: 1, logVersion: 2, events: l.length, chainHead: l.chainHead });
  assert.equal(Ledger.restore(snap).toJson(), l.toJson());
  // Commands after the snapshot, stored as log lines.
  l.recordReceipt({ id: 'R9', customer: 'ACME', date: '2026-03-20', amount: '5.00', currency: 'USD' }, at('2026-03-20T09:00:00Z'));
  l.apply({ receipt: 'R9', invoice: 'INV-1', amount: '5.00', date: '2026-03-20' }, at('2026-03-20T09:01:00Z'));
  const tail = l.logLines(info.events);
  assert.equal(tail.length, 2);
  const restored = Ledger.restore(snap, tail);
  assert.equal(restored.toJson(), l.toJson());
  assert.equal(restored.chainHead, l.chainHead);
  assert.deepEqual(restored.customerBalance('ACME'), l.customerBalance('ACME'));
  const later = await Ledger.restoreAsync(snap, tail);
  assert.equal(later.toJson(), l.toJson());
});

test('a damaged or edited snapshot is refused', async () => {
  const snap = build().snapshot();
  const text = snap.toString('latin1');
  const edited = Buffer.from(text.replace('"500.00"', '"900.00"'), 'latin1');
  assert.notDeepEqual(edited, snap);
  const wrongCount = Buffer.from(snap);
  wrongCount.writeBigUInt64LE(99n, 16);
  for (const bad of [edited, snap.subarray(0, snap.length - 10), wrongCount, Buffer.from('not a snapshot'), Buffer.alloc(0)]) {
    throwsCode(assert, () => Ledger.restore(bad), 'corrupt_log');
  }
  await assert.rejects(Ledger.restoreAsync(edited), (e) => e.code === 'corrupt_log');
  const newer = Buffer.from(snap);
  newer.writeUInt32LE(2, 8);
  throwsCode(assert, () => snapshotInfo(newer), 'unsupported_log_version');
});

test('a tail line that does not follow is refused; wrong types are named', () => {
  const l = build();
  const snap = l.snapshot();
  const from = l.length;
  l.recordReceipt({ id: 'R9', customer: 'ACME', date: '2026-03-20', amount: '5.00', currency: 'USD' }, at('2026-03-20T09:00:00Z'));
  l.recordReceipt({ id: 'R10', customer: 'ACME', date: '2026-03-21', amount: '6.00', currency: 'USD' }, at('2026-03-21T09:00:00Z'));
  const [first, second] = l.logLines(from);
  throwsCode(assert, () => Ledger.restore(snap, [second]), 'corrupt_log');
  throwsCode(assert, () => Ledger.restore(snap, [first, first]), 'corrupt_log');
  assert.equal(throwsCode(assert, () => Ledger.restore(snap.toString('latin1')), 'invalid_type').field, 'snapshot');
  assert.equal(throwsCode(assert, () => Ledger.restore(snap, 'line'), 'invalid_type').field, 'tail');
  assert.equal(throwsCode(assert, () => Ledger.restore(snap, [1]), 'invalid_type').field, 'tail[0]');
  throwsCode(assert, () => snapshotInfo(42), 'invalid_type');
});
