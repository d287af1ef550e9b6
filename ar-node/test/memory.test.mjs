// Native memory told to V8: a Ledger or Book reports what it holds as
// external memory when made, again as its log grows, and takes it back
// when it is collected. Node's `process.memoryUsage().external` does not
// show such reports, so the test watches what they are for: V8 running a
// full collection because of them. The estimate itself is checked against
// the allocator in ar-core/tests/heap.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { Ledger } from '../index.js';
import { at } from './scenario.mjs';

const INDEX = fileURLToPath(new URL('../index.js', import.meta.url));

/**
 * Runs `body` in a fresh Node with `--trace-gc` and returns the number of
 * full (mark-compact) collections V8 ran. `body` sees `Ledger`, `Book` and
 * `tables(n)`: `n` invoices of 150.00 over 10 customers, each paid 40.00.
 */
function fullCollections(body) {
  const script = `
    const { Ledger, Book } = require(${JSON.stringify(INDEX)});
    function tables(n) {
      const id = (i) => 'INV-' + String(i).padStart(6, '0');
      const rows = Array.from({ length: n }, (_, i) => i);
      return {
        customers: Array.from({ length: 10 }, (_, i) => ({ id: 'C' + i })),
        invoices: rows.map((i) => ({ id: id(i), customer: 'C' + (i % 10), date: '2026-05-01', dueDate: '2026-05-31', amount: '150.00' })),
        settlements: rows.map((i) => ({ invoice: id(i), date: '2026-05-01', amount: '40.00' })),
        currency: 'USD',
        recorded: '2026-07-01T09:00:00Z',
      };
    }
    ${body}
  `;
  const out = execFileSync(process.execPath, ['--trace-gc', '-e', script], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('Mark-Compact')).length;
}

test('ledgers no longer reachable are collected for the memory they hold', () => {
  // Eight ledgers of about 19 MB each, made and dropped: the JS heap stays
  // under 15 MB, which alone never calls for a full collection (none ran
  // when the ledgers told V8 nothing); what they hold does.
  const runs = fullCollections(`
    const t = tables(20000);
    for (let i = 0; i < 8; i += 1) {
      const ledger = Ledger.fromTables({ customers: t.customers, invoices: t.invoices, currency: 'USD', recorded: t.recorded });
      if (ledger.heapBytes < 10000000) throw new Error('small: ' + ledger.heapBytes);
    }
  `);
  assert.ok(runs >= 1, `${runs} full collections`);
});

test('books no longer reachable are collected for the memory they hold', () => {
  const runs = fullCollections(`
    const t = tables(50000);
    for (let i = 0; i < 20; i += 1) {
      const book = new Book({ invoices: t.invoices, settlements: t.settlements, currency: 'USD' });
      if (book.heapBytes < 50000 * (10 + 4 + 4 + 8)) throw new Error('small: ' + book.heapBytes);
    }
  `);
  assert.ok(runs >= 1, `${runs} full collections`);
});

test('heapBytes grows with the log, from nothing', () => {
  const ledger = new Ledger();
  assert.equal(ledger.heapBytes, 0);
  const meta = at('2026-01-05T09:00:00Z');
  ledger.registerCustomer({ id: 'ACME', name: 'Acme', currency: 'USD' }, meta);
  const one = ledger.heapBytes;
  assert.ok(one > 0);
  const issue = (i) =>
    ledger.issueInvoice({ id: `INV-${i}`, customer: 'ACME', date: '2026-01-05', lines: [{ description: 'Widgets', quantity: '1', unitPrice: '10.00' }] }, meta);
  for (let i = 0; i < 1_000; i += 1) issue(i);
  const thousand = ledger.heapBytes;
  for (let i = 1_000; i < 2_000; i += 1) issue(i);
  // Each invoice keeps its event, document, lines and records: at least
  // a few hundred bytes; the second thousand about as much as the first.
  assert.ok(thousand - one > 1_000 * 300, `${thousand - one}`);
  const ratio = (ledger.heapBytes - one) / (thousand - one);
  assert.ok(ratio > 1.6 && ratio < 2.4, `${ratio}`);
});
