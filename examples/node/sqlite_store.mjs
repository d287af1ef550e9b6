#!/usr/bin/env node
// An app that keeps its ledger's events in SQLite, one row per event, and
// rebuilds the ledger from them (the Node twin of examples/src/sqlite.rs).
//
// - After each command the app stores the new events' log lines
//   (`ledger.logLines`) in one transaction; `seq` is the primary key, so of
//   two writers appending the same sequence number one is refused
//   (optimistic concurrency): it reloads and decides its command again.
// - On start it replays the rows one at a time (`ledger.appendLogLine`),
//   each checked against the hash chain and the rules that made it.
// - A crash between the command and the commit loses the command, never
//   half of it: the rebuilt ledger is the last committed one.
//
// Usage: node examples/node/sqlite_store.mjs [DB_FILE]
// Needs better-sqlite3, a devDependency of ar-node (npm ci in ar-node).
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Ledger } from '../../ar-node/index.js';

// better-sqlite3 is installed in ar-node, not beside this file.
const require = createRequire(new URL('../../ar-node/package.json', import.meta.url));
const Database = require('better-sqlite3');

/** Another writer appended first; reload and try again. */
class Conflict extends Error {}

/** A writer: a connection and its ledger as last loaded. */
class Store {
  constructor(path) {
    this.db = new Database(path);
    this.db.exec('CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, line TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT INTO events (seq, line) VALUES (?, ?)');
    this.reload();
  }

  /** Rebuilds the ledger from the stored rows, in order. */
  reload() {
    const ledger = new Ledger();
    for (const { line } of this.db.prepare('SELECT line FROM events ORDER BY seq').iterate()) {
      ledger.appendLogLine(line);
    }
    this.ledger = ledger;
  }

  /** Decides `command` against the ledger and stores its events; on a
   *  conflict the ledger is reloaded from the database. */
  execute(command) {
    const stored = this.ledger.length;
    command(this.ledger);
    const lines = this.ledger.logLines(stored);
    try {
      this.db.transaction(() => lines.forEach((line, i) => this.insert.run(stored + i + 1, line)))();
    } catch (e) {
      if (e?.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw e;
      // The ledger in memory is ahead of the database: drop it.
      this.reload();
      throw new Conflict('another writer appended first', { cause: e });
    }
  }
}

let clock = Date.parse('2026-03-01T09:00:00Z');
const tick = () => {
  clock += 1000;
  return { recorded: new Date(clock).toISOString().replace('.000Z', 'Z') };
};

const receipt = (id, amount) => (l) =>
  l.recordReceipt({ id, date: '2026-03-10', amount, currency: 'USD', customer: 'ACME', method: 'ach' }, tick());

/** The story of examples/src/sqlite.rs; returns what ACME owes. */
export function run(path) {
  const a = new Store(path);
  if (a.ledger.length > 0) throw new Error(`${path} is not empty; give a new file`);
  a.execute((l) => l.registerCustomer({ id: 'ACME', name: 'Acme Corp', currency: 'USD' }, tick()));
  a.execute((l) =>
    l.issueInvoice({ id: 'INV-1', customer: 'ACME', date: '2026-03-01', lines: [{ description: 'Widgets', quantity: '10', unitPrice: '125.00' }] }, tick()),
  );

  // A second writer loads the same events; the first appends one more.
  const b = new Store(path);
  a.execute(receipt('R-1', '400.00'));
  // The second, behind, decides its command on what it loaded: the
  // sequence number it appends is taken, so it is refused.
  try {
    b.execute(receipt('R-2', '100.00'));
    throw new Error('expected a conflict');
  } catch (e) {
    if (!(e instanceof Conflict)) throw e;
    console.log('second writer refused: another writer appended first');
  }
  // Reloaded, it decides again and succeeds.
  b.execute(receipt('R-2', '100.00'));

  // A crash between deciding and committing: the events are decided, one
  // row is written, and the transaction never commits.
  a.reload();
  const reloaded = a.ledger.length;
  receipt('R-3', '50.00')(a.ledger);
  a.db.exec('BEGIN');
  a.insert.run(reloaded + 1, a.ledger.logLines(reloaded)[0]);
  a.db.close(); // the process dies here: rolled back

  const restarted = new Store(path);
  const names = restarted.ledger.events().map((e) => `${e.type} ${e.subject}`);
  console.log(`events in ${path}:`);
  for (const n of names) console.log(`  ${n}`);
  if (names.some((n) => n.endsWith('R-3'))) throw new Error('a command that never committed came back');
  const net = restarted.ledger.customerBalance('ACME')[0]?.net;
  console.log(`ACME owes ${net} USD (1,250.00 invoiced, 400.00 + 100.00 received)`);
  // The rebuilt ledger is the second writer's, event for event.
  b.reload();
  if (restarted.ledger.toJson() !== b.ledger.toJson()) throw new Error('two rebuilds of the same rows differ');
  console.log(`chain head ${restarted.ledger.chainHead}`);
  b.db.close();
  restarted.db.close();
  return net;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2] ?? join(tmpdir(), `ar-events-${process.pid}.sqlite`);
  try {
    run(path);
  } catch (e) {
    console.error(`sqlite_store: ${e.message}${e.code ? ` (${e.code})` : ''}`);
    process.exitCode = 1;
  }
}
