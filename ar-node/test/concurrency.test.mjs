// The concurrency model: JS runs one thread per isolate, and a ledger
// belongs to the thread that made it. It cannot be shared with a worker:
// posted to one it arrives as a plain object (a structured clone), whose
// methods throw `invalid_type`, never crash. Each worker loads the addon
// and makes its own ledgers. Within a thread, a getter of an argument may
// call the same object again: that call runs to the end first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';

import { Book, Ledger, Matcher } from '../index.js';
import { at, build, throwsCode } from './scenario.mjs';

const later = at('2026-04-01T09:00:00Z');
const INDEX = new URL('../index.js', import.meta.url).href;

/** Runs `source` (an ES module body with `ar` and `parentPort` in scope) in a worker; its messages. */
function inWorker(source, post = [], options = {}) {
  const code = `
    import { parentPort } from 'node:worker_threads';
    const ar = await import(${JSON.stringify(INDEX)});
    const send = (m) => parentPort.postMessage(m);
    const caught = (fn) => { try { fn(); return { ok: true }; } catch (e) { return { name: e.constructor.name, code: e.code, family: e.family, message: e.message }; } };
    const received = [];
    parentPort.on('message', (m) => { received.push(m); if (received.length === ${post.length}) run().then(() => parentPort.close()); });
    async function run() { ${source} }
    if (${post.length} === 0) run().then(() => parentPort.close());
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), options);
    const messages = [];
    worker.on('message', (m) => messages.push(m));
    worker.on('error', reject);
    worker.on('exit', (exit) => (exit === 0 ? resolve(messages) : reject(new Error(`worker exited with ${exit}`))));
    for (const m of post) worker.postMessage(m);
  });
}

test('a ledger posted to a worker arrives as a plain object whose methods throw invalid_type', async () => {
  const l = build();
  const before = l.toJson();
  const [result] = await inWorker(`
    const [copy] = received;
    const { Ledger } = ar;
    send({
      keys: Object.keys(copy),
      plain: Object.getPrototypeOf(copy) === Object.prototype,
      method: caught(() => Ledger.prototype.openItems.call(copy)),
      getter: caught(() => Object.getOwnPropertyDescriptor(Ledger.prototype, 'length').get.call(copy)),
      withPrototype: caught(() => Object.setPrototypeOf(copy, Ledger.prototype).balances()),
      command: caught(() => Ledger.prototype.registerCustomer.call(copy, { id: 'W', name: 'W', currency: 'USD' })),
    });
  `, [l]);
  assert.deepEqual(result.keys, []);
  assert.equal(result.plain, true);
  for (const what of ['method', 'getter', 'withPrototype', 'command']) {
    assert.equal(result[what].code, 'invalid_type', `${what}: ${JSON.stringify(result[what])}`);
    assert.equal(result[what].family, 'validation');
    assert.match(result[what].message, /^invalid_type: this: expected a live Ledger: /);
  }
  // The ledger itself was not touched.
  assert.equal(l.toJson(), before);
});

test('a worker makes and uses its own ledgers, books and matchers, alongside the main thread', async () => {
  const json = build().toJson();
  const work = inWorker(`
    const [json] = received;
    const l = ar.Ledger.fromJson(json);
    for (let i = 0; i < 200; i += 1) {
      l.recordReceipt({ id: 'W' + i, customer: 'ACME', date: '2026-04-01', amount: '1.00', currency: 'USD' }, { recorded: '2026-04-01T09:00:00Z' });
    }
    const book = new ar.Book({ currency: 'USD', invoices: [{ id: 'I', customer: 'C', date: '2026-01-01', dueDate: '2026-01-31', amount: '5.00' }] });
    send({
      length: l.length,
      net: l.customerBalance('ACME')[0].net,
      book: book.invoiceCount,
      guarded: caught(() => ar.Ledger.prototype.toJson.call({})).code,
      newless: caught(() => ar.Ledger()).code,
      // A worker's stack is smaller than the main thread's.
      recursion: (() => {
        const o = { get id() { return l.registerCustomer(o); }, name: 'x', currency: 'USD' };
        return caught(() => l.registerCustomer(o)).code;
      })(),
    });
  `, [json]);
  // Meanwhile, the main thread works on its own ledger.
  const l = Ledger.fromJson(json);
  for (let i = 0; i < 200; i += 1) {
    l.recordReceipt({ id: `M${i}`, customer: 'ACME', date: '2026-04-01', amount: '2.00', currency: 'USD' }, later);
  }
  const [result] = await work;
  const events = JSON.parse(json).events.length;
  assert.equal(result.length, events + 200);
  // -31.00 before (see scenario.mjs), less 200 x 1.00 in the worker, 200 x 2.00 here.
  assert.equal(result.net, '-231.00');
  assert.equal(l.customerBalance('ACME')[0].net, '-431.00');
  assert.equal(result.book, 1);
  assert.equal(result.guarded, 'invalid_type');
  assert.equal(result.newless, 'invalid_type');
  assert.equal(result.recursion, 'invalid_value');
});

test('several workers at once, each with its own ledger, then exiting: no crash', async () => {
  const runs = await Promise.all(
    [1, 2, 3, 4].map((n) => inWorker(`
      const l = new ar.Ledger();
      l.registerCustomer({ id: 'C', name: 'C', currency: 'USD' }, { recorded: '2026-01-01T00:00:00Z' });
      for (let i = 0; i < ${n * 50}; i += 1) {
        l.issueInvoice({ id: 'I' + i, customer: 'C', date: '2026-01-01', lines: [{ quantity: '1', unitPrice: '1.00' }] }, { recorded: '2026-01-01T00:00:00Z' });
      }
      send(l.customerBalance('C')[0].invoices);
    `)),
  );
  assert.deepEqual(runs, [['50.00'], ['100.00'], ['150.00'], ['200.00']]);
});

test('a getter of an argument may call the same ledger: its call completes first', () => {
  const l = new Ledger();
  let inner;
  // A query from a getter during a command.
  l.registerCustomer({
    get id() {
      inner = l.balances().length;
      return 'C1';
    },
    name: 'One',
    currency: 'USD',
  });
  assert.equal(inner, 0);
  // A command from a getter during a command: both are in the log, inner first.
  l.registerCustomer({
    get id() {
      l.registerCustomer({ id: 'C2', name: 'Two', currency: 'USD' });
      return 'C3';
    },
    name: 'Three',
    currency: 'USD',
  });
  assert.deepEqual(l.events().map((e) => e.subject), ['C1', 'C2', 'C3']);
  // A command from a getter during a query: the query sees it.
  const items = l.openItems({
    get asOf() {
      l.recordReceipt({ id: 'R1', customer: 'C1', date: '2026-01-02', amount: '7.00', currency: 'USD' });
      return '2026-12-31';
    },
  });
  assert.deepEqual(items.map((i) => [i.id, i.open]), [['R1', '7.00']]);
  // A getter that makes the outer command fail: the inner one stands alone.
  throwsCode(assert, () => l.registerCustomer({
    get id() {
      l.registerCustomer({ id: 'C4', name: 'Four', currency: 'USD' });
      return 'C4';
    },
    name: 'Again',
    currency: 'USD',
  }), 'duplicate_id');
  assert.deepEqual(l.events().map((e) => e.subject), ['C1', 'C2', 'C3', 'R1', 'C4']);
  assert.equal(Ledger.fromJson(l.toJson()).toJson(), l.toJson());
});

test('a getter that calls back forever ends in a typed error, with the stack overflow as the deepest cause', () => {
  const l = build();
  const before = l.toJson();
  const options = {
    get id() {
      return l.registerCustomer(options, later);
    },
    name: 'Loop',
    currency: 'USD',
  };
  const e = throwsCode(assert, () => l.registerCustomer(options, later), 'invalid_value');
  assert.match(e.message, /^invalid_value: id: /);
  let deepest = e;
  let depth = 0;
  while (deepest.cause !== undefined && depth < 1e6) {
    deepest = deepest.cause;
    depth += 1;
  }
  assert.ok(deepest instanceof RangeError, String(deepest));
  assert.ok(depth > 10, `${depth}`);
  assert.equal(l.toJson(), before);
});

test('endless calling back ends in a typed error whatever the size of the stack', async () => {
  // Where the stack runs out moves with its size; wherever it is, the
  // errors made on the way back must not overflow it again (napi-rs's own
  // conversion of an error object did, recursing into its causes).
  const script = (size) => `
    const ar = require(${JSON.stringify(new URL('../index.js', import.meta.url).pathname)});
    const l = new ar.Ledger();
    const o = { get id() { return l.registerCustomer(o); }, name: 'x', currency: 'USD' };
    try { l.registerCustomer(o); } catch (e) { process.stdout.write(e.code + ' ${size}'); }
  `;
  for (const size of [300, 984, 2000, 4000]) {
    const child = spawnSync(process.execPath, [`--stack-size=${size}`, '-e', script(size)], { encoding: 'utf8' });
    assert.equal(child.signal, null, `--stack-size=${size}: ${child.signal}`);
    assert.equal(child.stdout, `invalid_value ${size}`, child.stderr.slice(0, 500));
  }
  for (const stackSizeMb of [1, 2, 4]) {
    const [code] = await inWorker(`
      const l = new ar.Ledger();
      const o = { get id() { return l.registerCustomer(o); }, name: 'x', currency: 'USD' };
      send(caught(() => l.registerCustomer(o)).code);
    `, [], { resourceLimits: { stackSizeMb } });
    assert.equal(code, 'invalid_value', `stackSizeMb ${stackSizeMb}`);
  }
});

test('a book and a matcher may be called again from a getter too', () => {
  const book = new Book({ currency: 'USD', invoices: [{ id: 'I1', customer: 'C', date: '2026-01-01', dueDate: '2026-01-31', amount: '10.00' }] });
  const report = book.aging({
    get asOf() {
      assert.equal(book.aging({ asOf: '2026-02-01' }).totals[0].total, '10.00');
      return '2026-03-01';
    },
  });
  assert.equal(report.asOf, '2026-03-01');
  const item = { kind: 'invoice', id: 'I1', customer: 'C', currency: 'USD', date: '2026-01-01', dueDate: '2026-01-31', open: '10.00' };
  const m = new Matcher([item]);
  const receipt = { id: 'R1', customer: 'C', date: '2026-01-05', amount: '10.00', currency: 'USD' };
  let proposed;
  const batch = m.matchBatch([{
    ...receipt,
    get remittance() {
      proposed = m.propose(receipt).status;
      return 'I1';
    },
  }]);
  assert.equal(proposed, 'auto');
  assert.equal(batch.matches[0].status, 'auto');
});
