// Ledgers from tables (`Ledger.fromTables`): the hand-worked history of
// ar-core/tests/import.rs as records and as columns gives the figures worked
// by hand, and exactly the ledger the same history builds through the
// Ledger's own commands; every bad row is named by table, column and row.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Ledger } from '../index.js';
import { at, columns, throwsCode } from './scenario.mjs';

const RECORDED = '2026-07-01T09:00:00Z';

/**
 * ACME (net 30, region N) and BETA (default terms, region S), USD.
 * - I1 ACME 05-01 due 05-31 100.00 (channel web); I2 BETA 05-10 due 06-09 250.00.
 * - CM1 BETA 05-15 50.00 against I2.
 * - R1 ACME 05-20 40.00; R2 BETA 06-01 300.00; R3 (payer unknown) 06-02 10.00.
 * - R1 -> I1 40.00 on 05-20; CM1 -> I2 50.00 on 05-20; R2 -> I2 150.00 on 06-01.
 */
function history() {
  return {
    customers: [
      { id: 'ACME', name: 'Acme Corp', terms: 'net 30', region: 'N' },
      { id: 'BETA', name: null, region: 'S' },
    ],
    invoices: [
      { id: 'I1', customer: 'ACME', date: '2026-05-01', dueDate: '2026-05-31', amount: '100.00', channel: 'web' },
      { id: 'I2', customer: 'BETA', date: '2026-05-10', dueDate: '2026-06-09', amount: '250.00' },
    ],
    creditMemos: [{ id: 'CM1', customer: 'BETA', date: '2026-05-15', amount: '50.00', against: 'I2' }],
    receipts: [
      { id: 'R1', customer: 'ACME', date: '2026-05-20', amount: '40.00' },
      { id: 'R2', customer: 'BETA', date: '2026-06-01', amount: '300.00' },
      { id: 'R3', customer: null, date: '2026-06-02', amount: '10.00' },
    ],
    applications: [
      { receipt: 'R1', invoice: 'I1', date: '2026-05-20', amount: '40.00' },
      { creditMemo: 'CM1', invoice: 'I2', date: '2026-05-20', amount: '50.00' },
      { receipt: 'R2', invoice: 'I2', date: '2026-06-01', amount: '150.00' },
    ],
    currency: 'USD',
    dimensions: ['channel'],
    customerDimensions: ['region'],
    recorded: RECORDED,
  };
}

const TABLES = ['customers', 'invoices', 'creditMemos', 'receipts', 'applications'];

/** The history's tables as records or as columns, with `edit` applied to the records first. */
function tables(form = 'records', edit = () => {}) {
  const t = history();
  edit(t);
  if (form === 'columns') for (const name of TABLES) if (Array.isArray(t[name])) t[name] = columns(t[name]);
  return t;
}

/** The same history through the Ledger's commands, each recorded at RECORDED. */
function commanded() {
  const l = new Ledger();
  const meta = at(RECORDED);
  l.registerCustomer({ id: 'ACME', name: 'Acme Corp', currency: 'USD', terms: 'net 30', dimensions: { region: 'N' } }, meta);
  l.registerCustomer({ id: 'BETA', name: 'BETA', currency: 'USD', dimensions: { region: 'S' } }, meta);
  for (const { id, customer, date, dueDate, amount, channel } of history().invoices) {
    const dimensions = channel ? { channel } : {};
    l.importInvoice({ id, customer, date, dueDate, total: amount, open: amount, asOf: date, currency: 'USD', dimensions }, meta);
  }
  l.issueCreditMemo({ id: 'CM1', customer: 'BETA', date: '2026-05-15', amount: '50.00', against: 'I2', currency: 'USD' }, meta);
  for (const { id, customer, date, amount } of history().receipts) {
    l.recordReceipt({ id, date, amount, currency: 'USD', ...(customer ? { customer } : {}) }, meta);
  }
  for (const { receipt, creditMemo, invoice, date, amount } of history().applications) {
    l.apply({ ...(receipt ? { receipt } : { creditMemo }), invoice, date, amount }, meta);
  }
  return l;
}

function checkHandWorked(ledger) {
  // 2 customers + 2 invoices + 1 memo + 3 receipts + 3 applications.
  assert.equal(ledger.length, 11);
  const report = ledger.aging({ asOf: '2026-06-30', groupBy: ['customer.region'] });
  // N: I1 100.00 - 40.00 (R1) = 60.00, due 05-31, 30 days past due (1-30).
  // S: I2 250.00 - 50.00 (CM1) - 150.00 (R2) = 50.00, due 06-09, 21 days
  //    past due (1-30); R2 300.00 - 150.00 = 150.00 unapplied.
  // "": R3's 10.00 has no payer, so no region.
  assert.deepEqual(
    report.rows.map((r) => [r.group, r.buckets, r.total, r.unappliedCash, r.openCredits]),
    [
      [['N'], ['0.00', '60.00', '0.00', '0.00', '0.00', '0.00'], '60.00', '0.00', '0.00'],
      [['S'], ['0.00', '50.00', '0.00', '0.00', '0.00', '0.00'], '50.00', '150.00', '0.00'],
      [[''], ['0.00', '0.00', '0.00', '0.00', '0.00', '0.00'], '0.00', '10.00', '0.00'],
    ],
  );
  // 60.00 + 50.00 = 110.00 open; 150.00 + 10.00 = 160.00 unapplied; CM1 fully applied.
  const [total] = report.totals;
  assert.deepEqual([total.total, total.unappliedCash, total.openCredits, total.net], ['110.00', '160.00', '0.00', '-50.00']);
  // As of 05-31: I1 60.00 and I2 250.00 - 50.00 = 200.00 (R2 not received yet): 260.00.
  assert.equal(ledger.aging({ asOf: '2026-05-31' }).totals[0].total, '260.00');
  // The invoice dimension is kept where the row has one.
  const byChannel = ledger.aging({ asOf: '2026-06-30', groupBy: ['invoice.channel'] });
  assert.deepEqual(
    byChannel.rows.filter((r) => r.total !== '0.00').map((r) => [r.group, r.total]),
    [
      [['web'], '60.00'],
      [[''], '50.00'],
    ],
  );
  // R3 awaits its payer.
  const r3 = ledger.receipt('R3');
  assert.deepEqual([r3.customer, r3.open], [undefined, '10.00']);
  // Names: given, or the id; terms: given, or the default (net 30 as well).
  const registered = ledger
    .events()
    .filter((e) => e.type === 'customer_registered')
    .map((e) => JSON.parse(e.json).event.customer);
  assert.deepEqual(
    registered.map((c) => [c.id, c.name, c.currency, c.terms.due.days, c.dimensions]),
    [
      ['ACME', 'Acme Corp', 'USD', 30, { region: 'N' }],
      ['BETA', 'BETA', 'USD', 30, { region: 'S' }],
    ],
  );
  assert.deepEqual(ledger.events().map((e) => e.recorded), Array(11).fill(RECORDED));
}

test('the hand-worked history as records gives the figures worked by hand', () => {
  checkHandWorked(Ledger.fromTables(tables('records')));
});

test('the hand-worked history as columns gives the same ledger as records', () => {
  const fromColumns = Ledger.fromTables(tables('columns'));
  checkHandWorked(fromColumns);
  assert.equal(fromColumns.toJson(), Ledger.fromTables(tables('records')).toJson());
});

test('a ledger from tables is the ledger the same commands build', () => {
  const imported = Ledger.fromTables(tables());
  const reference = commanded();
  assert.equal(imported.length, reference.length);
  for (const options of [
    { asOf: '2026-06-30' },
    { asOf: '2026-06-30', groupBy: ['customer.region'], detail: true },
    { asOf: '2026-05-31', groupBy: ['customer', 'invoice.channel'], basis: 'invoice_date', buckets: [15, 30] },
  ]) {
    assert.deepEqual(imported.aging(options), reference.aging(options), JSON.stringify(options));
  }
  for (const options of [
    { start: '2026-05-01', end: '2026-06-30' },
    { start: '2026-05-01', end: '2026-06-30', groupBy: ['customer.region'] },
  ]) {
    assert.deepEqual(imported.metrics(options), reference.metrics(options), JSON.stringify(options));
  }
  assert.deepEqual(imported.balances(), reference.balances());
  assert.deepEqual(imported.applications(), reference.applications());
  // Event for event: the same log.
  assert.deepEqual(imported.events(), reference.events());
});

test('columns may be left out: names, terms, credited invoices, sources, discounts', () => {
  const t = tables('columns');
  delete t.customers.name;
  delete t.customers.terms;
  delete t.creditMemos.against;
  delete t.applications.discount;
  const l = Ledger.fromTables(t);
  assert.equal(l.length, 11);
  // Every customer named by its id, on the default terms; CM1 credits no
  // invoice but is still applied to I2.
  const registered = l.events().filter((e) => e.type === 'customer_registered').map((e) => JSON.parse(e.json).event.customer);
  assert.deepEqual(registered.map((c) => c.name), ['ACME', 'BETA']);
  const memo = JSON.parse(l.events().find((e) => e.type === 'credit_memo_issued').json).event;
  assert.equal(memo.against ?? null, null, JSON.stringify(memo));
  assert.equal(l.creditMemo('CM1').applied, '50.00');
  // The same figures: 60.00 + 50.00.
  assert.equal(l.aging({ asOf: '2026-06-30' }).totals[0].total, '110.00');
  // Every application from a receipt: no creditMemo column at all.
  const receiptsOnly = Ledger.fromTables({
    ...tables('columns'),
    creditMemos: undefined,
    applications: { receipt: ['R1'], invoice: ['I1'], date: ['2026-05-20'], amount: ['40.00'] },
  });
  // I1 100.00 - 40.00 = 60.00; I2 250.00, nothing applied: 310.00.
  assert.equal(receiptsOnly.aging({ asOf: '2026-06-30' }).totals[0].total, '310.00');
  // Only the tables that are required: customers and invoices, imported whole.
  const bare = Ledger.fromTables({ customers: { id: ['ACME'] }, invoices: [tables().invoices[0]], currency: 'USD' });
  assert.equal(bare.length, 2);
  assert.equal(bare.invoice('I1').open, '100.00');
});

test('currencies per row, and the tables currency as the default', () => {
  const eur = Ledger.fromTables(
    tables('records', (t) => {
      t.customers.push({ id: 'GAMMA', currency: 'EUR' });
      t.invoices.push({ id: 'I3', customer: 'GAMMA', date: '2026-06-01', dueDate: '2026-07-01', amount: '70.00', currency: 'EUR' });
    }),
  );
  // One total per currency: USD 110.00 as before, EUR 70.00 not yet due.
  assert.deepEqual(
    eur.aging({ asOf: '2026-06-30' }).totals.map((r) => [r.currency, r.buckets[0], r.total]),
    [
      ['EUR', '70.00', '70.00'],
      ['USD', '0.00', '110.00'],
    ],
  );
});

test('the discount column: null or zero is none; an imported invoice offers its terms', () => {
  // Rows without a discount, with null and with "0.00": the same ledger.
  const discounts = Ledger.fromTables(
    tables('columns', (t) => {
      t.applications[0].discount = null;
      t.applications[1].discount = '0.00';
    }),
  );
  assert.equal(discounts.toJson(), Ledger.fromTables(tables()).toJson());
  // An invoice brought in whole keeps its customer's early-payment offer:
  // on 2/30 net 30, 2 % of I1's 100.00 is 2.00, and no more.
  const withTerms = (discount) =>
    tables('records', (t) => {
      t.customers[0].terms = '2/30 net 30';
      t.applications[0].discount = discount;
    });
  const l = Ledger.fromTables(withTerms('2.00'));
  assert.equal(l.invoice('I1').discounted, '2.00');
  const e = throwsCode(assert, () => Ledger.fromTables(withTerms('3.00')), 'discount_not_allowed');
  assert.ok(e.message.startsWith('discount_not_allowed: applications.discount[0]'), e.message);
});

test('a bad row stops the import and is named by table, column and row, records or columns', () => {
  const cases = [
    // I2 has 250.00 - 50.00 = 200.00 open when R2 comes: 250.00 exceeds it.
    ['over_application', 'applications.amount[2]', (t) => { t.applications[2].amount = '250.00'; }],
    ['not_found', 'invoices.customer[1]', (t) => { t.invoices[1].customer = 'GAMMA'; }],
    // The engine's checks name the columns as the core does (snake_case).
    ['not_found', 'applications.credit_memo[1]', (t) => { t.applications[1].creditMemo = 'CM9'; }],
    ['not_found', 'credit_memos.against[0]', (t) => { t.creditMemos[0].against = 'I9'; }],
    ['date_before_document', 'invoices.due_date[0]', (t) => { t.invoices[0].dueDate = '2026-04-01'; }],
    ['duplicate_id', 'receipts.id[1]', (t) => { t.receipts[1].id = 'R1'; }],
    ['invalid_amount', 'invoices.amount[1]', (t) => { t.invoices[1].amount = '-1.00'; }],
    // Both sources, or none.
    ['invalid_value', 'applications.receipt[1]', (t) => { t.applications[1].receipt = 'R2'; }],
    ['invalid_value', 'applications.receipt[0]', (t) => { delete t.applications[0].receipt; }],
    // ACME's net 30 offers no early-payment discount.
    ['discount_not_allowed', 'applications.discount[0]', (t) => { t.applications[0].discount = '2.00'; }],
    // While reading: named as JS spells them (camelCase).
    ['invalid_type', 'receipts.amount[0]', (t) => { t.receipts[0].amount = 40; }],
    ['invalid_type', 'creditMemos.amount[0]', (t) => { t.creditMemos[0].amount = 50; }],
    ['invalid_type', 'applications.discount[1]', (t) => { t.applications[1].discount = 1; }],
    ['invalid_decimal', 'applications.amount[0]', (t) => { t.applications[0].amount = '40,00'; }],
    ['invalid_date', 'invoices.dueDate[1]', (t) => { t.invoices[1].dueDate = '2026-6-9'; }],
    ['invalid_currency', 'creditMemos.currency[0]', (t) => { t.creditMemos[0].currency = 'usd'; }],
    ['invalid_terms', 'customers.terms[1]', (t) => { t.customers[1].terms = 'net thirty'; }],
    ['invalid_type', 'customers.region[0]', (t) => { t.customers[0].region = 7; }],
  ];
  for (const form of ['records', 'columns']) {
    for (const [code, field, edit] of cases) {
      const e = throwsCode(assert, () => Ledger.fromTables(tables(form, edit)), code);
      assert.ok(e.message.startsWith(`${code}: ${field}`), `${form}: ${e.message}`);
    }
  }
});

test('an amount given as a number is refused, as a Book refuses it', () => {
  const e = throwsCode(
    assert,
    () => Ledger.fromTables(tables('records', (t) => { t.receipts[0].amount = 40; })),
    'invalid_type',
  );
  assert.equal(e.family, 'validation');
  assert.equal(e.message, 'invalid_type: receipts.amount[0]: expected a decimal string such as "12.50", got the number 40');
  // Whether or not the rest of the column are strings.
  const all = throwsCode(
    assert,
    () => Ledger.fromTables({ ...tables('columns'), applications: { receipt: ['R1'], invoice: ['I1'], date: ['2026-05-20'], amount: [40] } }),
    'invalid_type',
  );
  assert.equal(all.message, 'invalid_type: applications.amount[0]: expected a decimal string such as "12.50", got the number 40');
});

test('the tables and the options themselves are checked', () => {
  for (const [code, field, make] of [
    ['invalid_type', 'tables', () => Ledger.fromTables(null)],
    ['invalid_type', 'customers', () => Ledger.fromTables({ ...tables(), customers: undefined })],
    ['invalid_type', 'invoices', () => Ledger.fromTables({ ...tables(), invoices: 'I1' })],
    ['invalid_type', 'applications.invoice', () => Ledger.fromTables({ ...tables('columns'), applications: { receipt: ['R1'] } })],
    ['invalid_type', 'customers.currency[0]', () => Ledger.fromTables({ ...tables(), currency: undefined })],
    ['invalid_currency', 'currency', () => Ledger.fromTables({ ...tables(), currency: 'dollars' })],
    ['invalid_date', 'recorded', () => Ledger.fromTables({ ...tables(), recorded: '2026-07-01' })],
    ['invalid_type', 'recorded', () => Ledger.fromTables({ ...tables(), recorded: 1 })],
    ['invalid_type', 'customerDimensions', () => Ledger.fromTables({ ...tables(), customerDimensions: 'region' })],
    // Columns of different lengths, checked by the engine.
    ['invalid_value', 'receipts.date', () => {
      const t = tables('columns');
      t.receipts.date.pop();
      return Ledger.fromTables(t);
    }],
  ]) {
    const e = throwsCode(assert, make, code);
    assert.ok(e.message.startsWith(`${code}: ${field}`), e.message);
  }
});

test('the recorded time defaults to now', () => {
  const before = Date.now();
  const t = tables();
  delete t.recorded;
  const l = Ledger.fromTables(t);
  const times = l.events().map((e) => Date.parse(e.recorded));
  assert.equal(new Set(times).size, 1);
  assert.ok(times[0] >= before - 1000 && times[0] <= Date.now() + 1000, String(times[0]));
});

test('the encoder and the cell-by-cell read give the same ledger', () => {
  process.env.AR_NODE_BOOK_READ = 'cells';
  let cells;
  try {
    cells = [Ledger.fromTables(tables('records')), Ledger.fromTables(tables('columns'))];
  } finally {
    delete process.env.AR_NODE_BOOK_READ;
  }
  const reference = Ledger.fromTables(tables('records')).toJson();
  for (const l of cells) assert.equal(l.toJson(), reference);
});

test('invoices without a currency are in their customer\'s currency', () => {
  const customers = [{ id: 'ACME', name: 'Acme', currency: 'USD' }, { id: 'EURO', name: 'Euro', currency: 'EUR' }];
  const invoices = [
    { id: 'I1', customer: 'ACME', date: '2026-03-01', dueDate: '2026-03-31', amount: '100.00' },
    { id: 'I2', customer: 'EURO', date: '2026-03-01', dueDate: '2026-03-31', amount: '200.00' },
    { id: 'I3', customer: 'ACME', date: '2026-03-01', dueDate: '2026-03-31', amount: '300.00', currency: 'EUR' },
  ];
  const l = Ledger.fromTables({ customers, invoices });
  assert.deepEqual(l.openItems().map((i) => [i.id, i.currency]), [['I1', 'USD'], ['I2', 'EUR'], ['I3', 'EUR']]);
  // As columns, the column left out.
  const cols = { id: ['I1'], customer: ['EURO'], date: ['2026-03-01'], dueDate: ['2026-03-31'], amount: ['1.00'] };
  assert.equal(Ledger.fromTables({ customers, invoices: cols }).openItems()[0].currency, 'EUR');
  // The tables' `currency` option still wins where given.
  assert.equal(Ledger.fromTables({ customers, invoices: cols, currency: 'USD' }).openItems()[0].currency, 'USD');
  const e = throwsCode(assert, () => Ledger.fromTables({ customers, invoices: [{ ...invoices[0], customer: 'NOBODY' }] }), 'not_found');
  assert.match(e.message, /invoices\.customer\[0\]/);
});

test('receipts keep their remittance, reference, method and payer, as recordReceipt keeps them', () => {
  const details = {
    R1: { remittance: 'I1', method: 'ach' },
    R2: { reference: 'CHK 1001', method: 'check' },
    R3: { remittance: 'payment I2', payerName: 'BETA LLC', payerAccount: 'GB29 NWBK 6016 1331 9268 19' },
  };
  for (const form of ['records', 'columns']) {
    const t = tables(form, (h) => {
      h.receipts = h.receipts.map((r) => ({
        remittance: null, reference: null, method: null, payerName: null, payerAccount: null, ...r, ...details[r.id],
      }));
    });
    const ledger = Ledger.fromTables(t);
    const inputs = Object.fromEntries(ledger.matchReceiptInputs().map((r) => [r.id, r]));
    assert.equal(inputs.R3.remittance, 'payment I2', form);
    assert.equal(inputs.R3.payerName, 'BETA LLC');
    assert.equal(inputs.R3.account, 'GB29 NWBK 6016 1331 9268 19');
    assert.equal(inputs.R2.account, 'CHK 1001', 'a check reference is the account it came from');
    const r2 = ledger.events().find((e) => e.type === 'receipt_recorded' && e.subject === 'R2');
    assert.equal(JSON.parse(r2.json).event.receipt.method, 'check');
    // The same receipt by its command.
    const same = new Ledger();
    same.registerCustomer({ id: 'BETA', name: 'Beta', currency: 'USD' });
    same.recordReceipt({ id: 'R3', date: '2026-06-02', amount: '10.00', currency: 'USD', ...details.R3 });
    assert.deepEqual(same.matchReceiptInputs()[0], inputs.R3);
  }
  const bad = tables('records', (h) => {
    h.receipts[1].method = 'telegraph';
  });
  const e = throwsCode(assert, () => Ledger.fromTables(bad), 'invalid_value');
  assert.match(e.message, /receipts\.method\[1\]/);
});
