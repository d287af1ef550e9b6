// examples/node/sqlite_store.mjs runs: optimistic concurrency refuses the
// second writer, a crash before commit loses the whole command, and the
// ledger rebuilt from the rows is the committed one (ACME owes 750.00:
// 1,250.00 invoiced, 400.00 + 100.00 received).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Ledger } from '../index.js';
import { throwsCode } from './scenario.mjs';

const Database = createRequire(import.meta.url)('better-sqlite3');
const example = fileURLToPath(new URL('../../examples/node/sqlite_store.mjs', import.meta.url));
const run = (db) => spawnSync(process.execPath, [example, db], { encoding: 'utf8', timeout: 120_000 });

test('the sqlite example keeps the committed ledger', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-sqlite-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'events.sqlite');
  const out = run(db);
  assert.equal(out.status, 0, out.stdout + out.stderr);
  assert.match(out.stdout, /second writer refused/);
  assert.match(out.stdout, /ACME owes 750\.00 USD/);
  assert.doesNotMatch(out.stdout, /R-3/);
  // The rows rebuild the ledger here too.
  const conn = new Database(db);
  const rows = conn.prepare('SELECT line FROM events ORDER BY seq').all().map((r) => r.line);
  const ledger = new Ledger();
  for (const row of rows) ledger.appendLogLine(row);
  assert.deepEqual(ledger.events().map((e) => e.subject), ['ACME', 'INV-1', 'R-1', 'R-2']);
  assert.equal(ledger.customerBalance('ACME')[0]?.net, '750.00');
  assert.match(out.stdout, new RegExp(`chain head ${ledger.chainHead}`));
  // Run again on the same file: it is not empty, and the example says so.
  const again = run(db);
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /is not empty/);
  // An edited row is refused when the ledger is rebuilt.
  conn.prepare(`UPDATE events SET line = replace(line, '"400.00"', '"4000.00"') WHERE seq = 3`).run();
  const edited = conn.prepare('SELECT line FROM events ORDER BY seq').all().map((r) => r.line);
  conn.close();
  assert.notEqual(edited[2], rows[2]);
  const copy = new Ledger();
  for (const row of edited.slice(0, 2)) copy.appendLogLine(row);
  throwsCode(assert, () => copy.appendLogLine(edited[2]), 'corrupt_log');
  assert.equal(copy.length, 2);
});
