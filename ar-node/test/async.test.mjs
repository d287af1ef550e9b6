// The Promise-returning variants: each resolves to what its sync variant
// returns on the same input, rejects (never throws) with the ArError the sync
// call throws, and runs off the JS thread, so timers fire while a large book
// is built. A report of a ledger sees it as it was when called.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ArError, Book, Ledger, Matcher, matchReceipts, matchReceiptsAsync } from '../index.js';

const pad = (n) => String(n).padStart(2, '0');
/** A day of 2026 for row `i`: months and days spread over the year. */
const day = (i) => `2026-${pad(1 + (i % 12))}-${pad(1 + (i % 28))}`;

/**
 * `n` invoices over `customers` customers as columns, due on the 28th of
 * their month; with `receipts`, every third invoice is paid by a receipt
 * naming it in its remittance (left unapplied, for the matcher), and every
 * seventh half paid by an application.
 */
function history(n, customers = 50, { receipts = false } = {}) {
  const t = {
    customers: { id: [], name: [], region: [] },
    invoices: { id: [], customer: [], date: [], dueDate: [], amount: [] },
    receipts: { id: [], customer: [], date: [], amount: [], remittance: [] },
    applications: { receipt: [], invoice: [], date: [], amount: [] },
    currency: 'USD',
    customerDimensions: ['region'],
    recorded: '2027-01-01T00:00:00Z',
  };
  for (let c = 0; c < customers; c++) {
    t.customers.id.push(`C${c}`);
    t.customers.name.push(`Customer ${c}`);
    t.customers.region.push(c % 2 ? 'N' : 'S');
  }
  for (let i = 0; i < n; i++) {
    const cents = 10000 + ((i * 7919) % 90000);
    t.invoices.id.push(`I${i}`);
    t.invoices.customer.push(`C${i % customers}`);
    t.invoices.date.push(day(i));
    t.invoices.dueDate.push(day(i).replace(/-\d\d$/, '-28'));
    t.invoices.amount.push(`${Math.floor(cents / 100)}.${pad(cents % 100)}`);
    if (!receipts) continue;
    if (i % 3 === 0) {
      t.receipts.id.push(`R${i}`);
      t.receipts.customer.push(`C${i % customers}`);
      t.receipts.date.push(day(i).replace(/-\d\d$/, '-28'));
      t.receipts.amount.push(`${Math.floor(cents / 100)}.${pad(cents % 100)}`);
      t.receipts.remittance.push(`Invoice I${i}`);
    } else if (i % 7 === 0) {
      const half = Math.floor(cents / 2);
      t.receipts.id.push(`P${i}`);
      t.receipts.customer.push(`C${i % customers}`);
      t.receipts.date.push(day(i));
      t.receipts.amount.push(`${Math.floor(half / 100)}.${pad(half % 100)}`);
      t.receipts.remittance.push('');
      t.applications.receipt.push(`P${i}`);
      t.applications.invoice.push(`I${i}`);
      t.applications.date.push(day(i));
      t.applications.amount.push(`${Math.floor(half / 100)}.${pad(half % 100)}`);
    }
  }
  return t;
}

/** The promise's rejection (failing if it resolves), and that the call did not throw. */
async function rejection(call) {
  let promise;
  assert.doesNotThrow(() => {
    promise = call();
  }, 'an async variant rejects, never throws');
  assert.ok(promise instanceof Promise);
  try {
    await promise;
  } catch (e) {
    return e;
  }
  return assert.fail('the promise resolved');
}

/** What the sync call throws. */
function thrown(call) {
  try {
    call();
  } catch (e) {
    return e;
  }
  return assert.fail('nothing was thrown');
}

/** The async variant rejects with the error the sync variant throws. */
async function sameError(sync, async, code) {
  const expected = thrown(sync);
  const actual = await rejection(async);
  assert.ok(actual instanceof ArError, String(actual));
  assert.equal(actual.code, code, actual.message);
  assert.deepEqual(
    { code: actual.code, family: actual.family, field: actual.field, value: actual.value, message: actual.message },
    { code: expected.code, family: expected.family, field: expected.field, value: expected.value, message: expected.message },
  );
}

const TABLES = history(3000, 50, { receipts: true });
const ledger = Ledger.fromTables(TABLES);

test('fromTablesAsync and fromJsonAsync build the ledger the sync factories build', async () => {
  const built = await Ledger.fromTablesAsync(TABLES);
  assert.ok(built instanceof Ledger);
  assert.equal(built.toJson(), ledger.toJson());
  const read = await Ledger.fromJsonAsync(ledger.toJson());
  assert.equal(read.length, ledger.length);
  assert.equal(read.chainHead, ledger.chainHead);
});

test('the reports of a ledger resolve to what the sync reports return', async () => {
  const aging = { asOf: '2026-12-31', groupBy: ['customer.region'], detail: true };
  assert.deepEqual(await ledger.agingAsync(aging), ledger.aging(aging));
  const metrics = { start: '2026-01-01', end: '2026-12-31', groupBy: ['customer'] };
  assert.deepEqual(await ledger.metricsAsync(metrics), ledger.metrics(metrics));
  const view = { asOf: '2026-09-30' };
  assert.deepEqual(await ledger.journalAsync(null, view), ledger.journal(null, view));
  assert.deepEqual(await ledger.journalAsync(), ledger.journal());
  const roll = { periodEnds: ['2026-09-30', '2026-10-31', '2026-11-30', '2026-12-31'], currency: 'USD', finalLoss: '80' };
  assert.deepEqual(await ledger.rollRatesAsync(roll), ledger.rollRates(roll));
  const matched = await ledger.matchReceiptsAsync(view);
  assert.deepEqual(matched, ledger.matchReceipts(view));
  assert.ok(matched.matches.filter((m) => m.status === 'auto').length > 100, 'receipts matched automatically');
});

test('matchReceiptsAsync matches a batch as matchReceipts does', async () => {
  const items = ledger.matchItems();
  const receipts = ledger.matchReceiptInputs();
  const customers = ledger.matchCustomers();
  const options = { autoThreshold: 80 };
  const batch = await matchReceiptsAsync(receipts, items, customers, options);
  assert.deepEqual(batch, matchReceipts(receipts, items, customers, options));
  assert.ok(batch.matches.some((m) => m.status === 'auto'));
});

test('the collector\'s reports resolve to what the sync reports return', async () => {
  const asOf = { asOf: '2026-12-31' };
  assert.deepEqual(await ledger.worklistAsync(asOf), ledger.worklist(asOf));
  assert.ok(ledger.worklist(asOf).rows.length > 0, 'someone to call');
  assert.deepEqual(await ledger.forecastAsync(asOf), ledger.forecast(asOf));
  const period = { from: '2026-11-01', to: '2026-11-30' };
  const statements = await ledger.statementsAsync(period);
  assert.deepEqual(statements, ledger.statements(period));
  assert.equal(statements.length, 50);
  const text = { ...period, format: 'text', customers: ['C1', 'C2'], company: { name: 'Seller Ltd' } };
  assert.equal(await ledger.renderStatementsAsync(text), ledger.renderStatements(text));
  assert.match(ledger.renderStatements(text), /C2/);
  await sameError(
    () => ledger.worklist({ asOf: '2026-02-30' }),
    () => ledger.worklistAsync({ asOf: '2026-02-30' }),
    'invalid_date',
  );
  await sameError(
    () => ledger.renderStatements({ ...text, customers: ['NOPE'] }),
    () => ledger.renderStatementsAsync({ ...text, customers: ['NOPE'] }),
    'not_found',
  );
});

test('Matcher.matchBatchAsync consumes the items matchBatch consumes; the matcher waits for it', async () => {
  const items = ledger.matchItems();
  const receipts = ledger.matchReceiptInputs();
  const customers = ledger.matchCustomers();
  const sync = new Matcher(items, customers);
  const async = new Matcher(items, customers);
  const half = Math.floor(receipts.length / 2);
  const pending = async.matchBatchAsync(receipts.slice(0, half));
  // Until it settles, the matcher refuses other calls (and is not harmed).
  const busy = thrown(() => async.propose(receipts[half]));
  assert.ok(busy instanceof ArError);
  assert.equal(busy.code, 'invalid_state');
  assert.match(busy.message, /await it first/);
  await sameError(
    () => { throw busy; },
    () => async.matchBatchAsync(receipts.slice(half)),
    'invalid_state',
  );
  assert.deepEqual(await pending, sync.matchBatch(receipts.slice(0, half)));
  // The second half sees what the first consumed, as the sync matcher does.
  const second = await async.matchBatchAsync(receipts.slice(half));
  assert.deepEqual(second, sync.matchBatch(receipts.slice(half)));
  assert.ok(second.matches.some((m) => m.status === 'auto'));
  // A bad batch rejects and leaves the matcher as it was.
  const bad = [{ ...receipts[0], amount: 1.5 }];
  await sameError(() => sync.matchBatch(bad), () => async.matchBatchAsync(bad), 'invalid_type');
  assert.deepEqual(async.propose(receipts[0]), sync.propose(receipts[0]));
});

test('a Book from fromTablesAsync reports as one made by new Book, sync or async', async () => {
  const tables = { ...history(2000), dimensions: [] };
  const made = new Book(tables);
  const built = await Book.fromTablesAsync(tables);
  assert.ok(built instanceof Book);
  assert.equal(built.invoiceCount, 2000);
  const aging = { asOf: '2026-12-31', groupBy: ['customer.region'] };
  assert.deepEqual(await built.agingAsync(aging), made.aging(aging));
  assert.deepEqual(await made.agingAsync(aging), made.aging(aging));
  const metrics = { start: '2026-01-01', end: '2026-12-31' };
  assert.deepEqual(await built.metricsAsync(metrics), made.metrics(metrics));
});

test('an async report sees the ledger as it was when called, whatever is recorded meanwhile', async () => {
  const l = Ledger.fromTables(history(500));
  const options = { asOf: '2026-12-31' };
  const before = l.aging(options);
  const pending = l.agingAsync(options);
  // Recorded while the report runs: the ledger changes, the report's copy does not.
  l.recordReceipt({ id: 'LATE', customer: 'C0', date: '2026-06-01', amount: '1.00', currency: 'USD' }, { recorded: '2027-01-02T00:00:00Z' });
  l.applyFifo({ receipt: 'LATE', date: '2026-06-01' }, { recorded: '2027-01-02T00:00:01Z' });
  assert.deepEqual(await pending, before);
  const after = l.aging(options);
  assert.notDeepEqual(after, before);
  assert.deepEqual(await l.agingAsync(options), after);
});

test('errors reject the promise with the ArError the sync call throws', async () => {
  const l = Ledger.fromTables(history(10));
  await sameError(() => l.aging({ asOf: '2026-13-01' }), () => l.agingAsync({ asOf: '2026-13-01' }), 'invalid_date');
  await sameError(() => l.aging({ asOf: '2026-12-31', buckets: [30, 0] }), () => l.agingAsync({ asOf: '2026-12-31', buckets: [30, 0] }), 'invalid_value');
  await sameError(() => l.aging(7), () => l.agingAsync(7), 'invalid_type');
  await sameError(() => l.metrics({ start: '2026-12-31', end: '2026-01-01' }), () => l.metricsAsync({ start: '2026-12-31', end: '2026-01-01' }), 'invalid_value');
  const rates = { rules: {}, rates: { functional: 'EUR', rates: [] } };
  await sameError(() => l.journal(rates), () => l.journalAsync(rates), 'missing_rate');
  await sameError(() => l.rollRates({ periodEnds: ['2026-12-31'], currency: 'USD' }), () => l.rollRatesAsync({ periodEnds: ['2026-12-31'], currency: 'USD' }), 'invalid_value');
  await sameError(() => l.matchReceipts(null, { autoThreshold: 101 }), () => l.matchReceiptsAsync(null, { autoThreshold: 101 }), 'invalid_value');
  const receipt = [{ id: 'R', date: '2026-01-01', amount: 5, currency: 'USD' }];
  await sameError(() => matchReceipts(receipt, []), () => matchReceiptsAsync(receipt, []), 'invalid_type');
  // Found by the core, on the thread pool.
  await sameError(() => Ledger.fromJson('{"version":2,"events":[1]}'), () => Ledger.fromJsonAsync('{"version":2,"events":[1]}'), 'corrupt_log');
  await sameError(() => Ledger.fromJson(42), () => Ledger.fromJsonAsync(42), 'invalid_type');
  const unknownCustomer = history(3);
  unknownCustomer.invoices.customer[2] = 'NOPE';
  await sameError(() => Ledger.fromTables(unknownCustomer), () => Ledger.fromTablesAsync(unknownCustomer), 'not_found');
  const badAmount = history(3);
  badAmount.invoices.amount[1] = 12.5;
  await sameError(() => Ledger.fromTables(badAmount), () => Ledger.fromTablesAsync(badAmount), 'invalid_type');
  const twice = { ...history(3), dimensions: [] };
  twice.invoices.id[2] = 'I0';
  await sameError(() => new Book(twice), () => Book.fromTablesAsync(twice), 'duplicate_id');
  const book = new Book({ ...history(3), dimensions: [] });
  await sameError(() => book.aging({ asOf: '2026-12-31', groupBy: ['invoice.channel'] }), () => book.agingAsync({ asOf: '2026-12-31', groupBy: ['invoice.channel'] }), 'invalid_value');
  await sameError(() => book.metrics({}), () => book.metricsAsync({}), 'invalid_type');
  // A detached factory is refused as the sync one is.
  const { fromJsonAsync } = Ledger;
  const detached = await rejection(() => fromJsonAsync(l.toJson()));
  assert.equal(detached.code, 'invalid_type');
  assert.equal(detached.field, 'this');
});

test('a getter that throws while the arguments are read rejects with invalid_value, its exception as cause', async () => {
  const boom = new Error('boom');
  const options = {
    get asOf() {
      throw boom;
    },
  };
  const e = await rejection(() => ledger.agingAsync(options));
  assert.ok(e instanceof ArError);
  assert.equal(e.code, 'invalid_value');
  assert.equal(e.cause, boom);
});

test('the event loop runs while a 100,000-invoice ledger is built off the main thread', async () => {
  const tables = history(100_000, 1000);
  const order = [];
  const building = Ledger.fromTablesAsync(tables).then((l) => {
    order.push('built');
    return l;
  });
  // Scheduled after the call returned: it can only fire first if the
  // build is not holding the main thread.
  const timer = new Promise((resolve) => {
    setTimeout(() => {
      order.push('timer');
      resolve();
    }, 0);
  });
  const built = await building;
  await timer;
  assert.deepEqual(order, ['timer', 'built']);
  assert.equal(built.length, 1000 + 100_000);
  assert.equal(built.aging({ asOf: '2026-12-31', groupBy: [] }).totals[0].items, 100_000);
});
