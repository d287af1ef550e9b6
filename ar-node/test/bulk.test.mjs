// Books given as tables (`Book`): the D book of ar-core/src/bulk.rs as
// records and as columns gives the hand-worked figures, and exactly what the
// same book built as a Ledger gives, also grouped by the dimensions of a
// customers table; every bad book names the table, column and row; the fast
// read (the column encoder) and the cell-by-cell read give the same book.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Book, Ledger } from '../index.js';
import { at, columns, throwsCode } from './scenario.mjs';

const Q2 = { start: '2026-04-01', end: '2026-06-30' };
const AS_OF = '2026-06-30';

/**
 * Customer D, Q2 2026 (91 days): J1 03-15 1,000.00 due 04-14, paid 04-20;
 * J2 04-10 2,000.00 due 05-10, 1,500.00 paid 05-05; J3 05-20 3,000.00 due
 * 06-19; J4 06-25 600.00 due 07-25. Regions N, N, S, S.
 */
const D_INVOICES = [
  { id: 'J1', customer: 'D', date: '2026-03-15', dueDate: '2026-04-14', amount: '1000.00', region: 'N' },
  { id: 'J2', customer: 'D', date: '2026-04-10', dueDate: '2026-05-10', amount: '2000.00', region: 'N' },
  { id: 'J3', customer: 'D', date: '2026-05-20', dueDate: '2026-06-19', amount: '3000.00', region: 'S' },
  { id: 'J4', customer: 'D', date: '2026-06-25', dueDate: '2026-07-25', amount: '600.00', region: 'S' },
];
const D_SETTLEMENTS = [
  { invoice: 'J1', date: '2026-04-20', amount: '1000.00' },
  { invoice: 'J2', date: '2026-05-05', amount: '1500.00' },
];

/** The D book's tables, as records or as columns, with `edit` applied to the records. */
function dTables(form = 'records', edit = (t) => t) {
  const t = edit({
    invoices: D_INVOICES.map((r) => ({ ...r })),
    settlements: D_SETTLEMENTS.map((r) => ({ ...r })),
  });
  const table = (rows) => (form === 'columns' ? columns(rows) : rows);
  return { invoices: table(t.invoices), settlements: table(t.settlements), currency: 'USD', dimensions: ['region'] };
}

/**
 * The D book built with the Ledger API: same invoices (net 30), same
 * payments; `setup(ledger, opening)` runs after the invoices are issued,
 * before the payments are recorded.
 */
function dLedger(setup = () => {}) {
  const l = new Ledger();
  const opening = at('2026-01-01T00:00:00Z');
  l.registerCustomer({ id: 'D', name: 'Delta', currency: 'USD', terms: 'net 30' }, opening);
  for (const { id, date, amount, region } of D_INVOICES) {
    l.issueInvoice({ id, customer: 'D', date, lines: [{ quantity: '1', unitPrice: amount }], dimensions: { region } }, opening);
  }
  setup(l, opening);
  for (const [i, { invoice, date, amount }] of D_SETTLEMENTS.entries()) {
    const when = at(`${date}T00:00:00Z`);
    l.recordReceipt({ id: `P${i + 1}`, customer: 'D', date, amount, currency: 'USD' }, when);
    l.apply({ receipt: `P${i + 1}`, invoice, amount, date }, when);
  }
  return l;
}

function checkHandWorked(book) {
  assert.equal(book.invoiceCount, 4);
  const rows = book.metrics(Q2);
  assert.equal(rows.length, 1);
  const [m] = rows;
  assert.deepEqual([m.group, m.currency, m.start, m.end, m.days], [[], 'USD', '2026-04-01', '2026-06-30', 91]);
  assert.deepEqual([m.arBegin, m.arEnd, m.currentEnd, m.creditSales], ['1000.00', '4100.00', '600.00', '5600.00']);
  assert.equal(m.dsoPeriodEnd, '66.625'); // 4,100 / 5,600 x 91
  assert.equal(m.dsoCountback, '68.5'); // June 600 (30 days), May 3,000 (31), then 500 / 2,000 of April's 30
  assert.equal(m.bestPossibleDso, '9.75'); // 600 / 5,600 x 91
  assert.equal(m.timing.payments, 2);
  assert.equal(m.timing.weightedDaysToPay, '29.4'); // (1,000 x 36 + 1,500 x 25) / 2,500
  const byRegion = book.aging({ asOf: AS_OF, groupBy: ['invoice.region'] });
  assert.deepEqual(byRegion.groupBy, ['region']);
  assert.deepEqual(byRegion.labels, ['current', '1-30', '31-60', '61-90', '91-120', 'over 120']);
  // N: J2's 500.00 is 51 days past due; S: J3 3,000.00 11 days, J4 600.00 not yet due.
  assert.deepEqual(
    byRegion.rows.map((r) => [r.group, r.currency, r.buckets, r.total, r.items]),
    [
      [['N'], 'USD', ['0.00', '0.00', '500.00', '0.00', '0.00', '0.00'], '500.00', 1],
      [['S'], 'USD', ['600.00', '3000.00', '0.00', '0.00', '0.00', '0.00'], '3600.00', 2],
    ],
  );
  assert.deepEqual(byRegion.totals.map((r) => [r.group, r.total, r.net]), [[[], '4100.00', '4100.00']]);
}

test('the D book as records gives the hand-worked figures', () => {
  checkHandWorked(new Book(dTables('records')));
});

test('the D book as columns gives the hand-worked figures, and the same reports as records', () => {
  const fromColumns = new Book(dTables('columns'));
  checkHandWorked(fromColumns);
  const fromRecords = new Book(dTables('records'));
  for (const options of [{ asOf: AS_OF }, { asOf: AS_OF, groupBy: ['invoice.region'], detail: true }]) {
    assert.deepEqual(fromColumns.aging(options), fromRecords.aging(options));
  }
  assert.deepEqual(fromColumns.metrics(Q2), fromRecords.metrics(Q2));
});

test('a Book and a Ledger of the same book give exactly the same reports', () => {
  const ledger = dLedger();
  const book = new Book(dTables());
  for (const options of [
    { asOf: AS_OF },
    { asOf: AS_OF, detail: true },
    { asOf: AS_OF, groupBy: ['invoice.region'], detail: true },
    { asOf: AS_OF, groupBy: [] },
    { asOf: '2026-05-31', groupBy: ['customer', 'invoice.region'], basis: 'invoice_date', buckets: [30, 60, 90] },
  ]) {
    assert.deepEqual(book.aging(options), ledger.aging(options), JSON.stringify(options));
  }
  for (const options of [
    Q2,
    { ...Q2, groupBy: ['invoice.region'] },
    { ...Q2, groupBy: ['customer'], cei: { monthlyAverage: 3 }, countbackMonths: 2 },
    { start: '2026-08-01', end: '2026-08-31' },
  ]) {
    assert.deepEqual(book.metrics(options), ledger.metrics(options), JSON.stringify(options));
  }
});

test('open credits and unapplied cash: the same as the Ledger', () => {
  const ledger = dLedger();
  ledger.issueCreditMemo({ id: 'CM1', customer: 'D', date: '2026-06-01', amount: '50.00' }, at('2026-06-01T00:00:00Z'));
  // Cash from a payer not known yet.
  ledger.recordReceipt({ id: 'R9', date: '2026-06-15', amount: '70.00', currency: 'USD' }, at('2026-06-15T00:00:00Z'));
  const tables = {
    ...dTables(),
    openCredits: [{ id: 'CM1', customer: 'D', date: '2026-06-01', amount: '50.00' }],
    unappliedCash: [{ id: 'R9', customer: null, date: '2026-06-15', amount: '70.00' }],
  };
  const book = new Book(tables);
  const report = book.aging({ asOf: AS_OF, detail: true });
  assert.deepEqual(
    report.rows.map((r) => [r.group, r.total, r.openCredits, r.unappliedCash, r.net]),
    [
      [['D'], '4100.00', '50.00', '0.00', '4050.00'],
      [['(unknown)'], '0.00', '0.00', '70.00', '-70.00'],
    ],
  );
  assert.deepEqual(report, ledger.aging({ asOf: AS_OF, detail: true }));
  assert.deepEqual(book.metrics(Q2), ledger.metrics(Q2));
  // As columns, an empty customer is an unidentified payer too.
  const asColumns = new Book({
    ...tables,
    openCredits: columns(tables.openCredits),
    unappliedCash: { id: ['R9'], customer: [''], date: ['2026-06-15'], amount: ['70.00'] },
  });
  assert.deepEqual(asColumns.aging({ asOf: AS_OF, detail: true }), report);
});

test('every bad book names the row at fault', () => {
  const cases = [
    ['duplicate_id', 'invoices.id[1]', (t) => { t.invoices[1].id = 'J1'; }],
    ['not_found', 'settlements.invoice[1]', (t) => { t.settlements[1].invoice = 'J9'; }],
    ['too_many_decimals', 'settlements.amount[0]', (t) => { t.settlements[0].amount = '1000.001'; }],
    ['invalid_amount', 'invoices.amount[2]', (t) => { t.invoices[2].amount = '0'; }],
    ['date_before_document', 'settlements.date[0]', (t) => { t.settlements[0].date = '2026-03-01'; }],
    ['over_application', 'invoice J1', (t) => { t.settlements[0].amount = '1000.01'; }],
  ];
  for (const form of ['records', 'columns']) {
    for (const [code, field, edit] of cases) {
      const e = throwsCode(assert, () => new Book(dTables(form, (t) => (edit(t), t))), code);
      assert.ok(e.message.includes(field), `${form}: ${e.message}`);
    }
  }
  // Columns of different lengths.
  const t = dTables('columns');
  t.invoices.date.pop();
  const e = throwsCode(assert, () => new Book(t), 'invalid_value');
  assert.equal(e.family, 'validation');
  assert.match(e.message, /^invalid_value: invoices: .*same length/);
  const s = dTables('columns');
  s.settlements.amount.push('1.00');
  assert.match(throwsCode(assert, () => new Book(s), 'invalid_value').message, /settlements/);
  const dim = dTables('columns');
  dim.invoices.region.pop();
  assert.match(throwsCode(assert, () => new Book(dim), 'invalid_value').message, /invoices\.region/);
});

test('numbers as amounts are refused with invalid_type, naming table.column[row]', () => {
  const cases = [
    ['invoices.amount[2]', 'the number 3000', (t) => { t.invoices[2].amount = 3000; }],
    ['settlements.amount[1]', 'the number 1500.5', (t) => { t.settlements[1].amount = 1500.5; }],
  ];
  for (const form of ['records', 'columns']) {
    for (const [field, found, edit] of cases) {
      const e = throwsCode(assert, () => new Book(dTables(form, (t) => (edit(t), t))), 'invalid_type');
      assert.equal(e.family, 'validation');
      assert.ok(e.message.startsWith(`invalid_type: ${field}: expected a decimal string`), e.message);
      assert.ok(e.message.endsWith(`got ${found}`), e.message);
    }
  }
  for (const openCredits of [
    [{ id: 'CM1', customer: 'D', date: '2026-06-01', amount: 50 }],
    { id: ['CM1'], customer: ['D'], date: ['2026-06-01'], amount: [50] },
  ]) {
    const e = throwsCode(assert, () => new Book({ ...dTables(), openCredits }), 'invalid_type');
    assert.match(e.message, /^invalid_type: openCredits\.amount\[0\]: .*got the number 50$/);
  }
});

test('what the binding reads is checked and named too', () => {
  const records = (edit) => dTables('records', (t) => (edit(t), t));
  const cases = [
    ['invalid_date', 'invoices.dueDate[3]', records((t) => { t.invoices[3].dueDate = '2026-7-25'; })],
    ['invalid_date', 'settlements.date[1]', records((t) => { t.settlements[1].date = '2026-02-30'; })],
    ['invalid_decimal', 'invoices.amount[0]', records((t) => { t.invoices[0].amount = '1,000.00'; })],
    ['invalid_currency', 'invoices.currency[1]', records((t) => { t.invoices[1].currency = 'usd'; })],
    ['invalid_currency', 'currency', { ...dTables(), currency: 'XXX1' }],
    ['invalid_type', 'invoices.customer[2]', records((t) => { delete t.invoices[2].customer; })],
    ['invalid_type', 'invoices[1]', records((t) => { t.invoices[1] = null; })],
    ['invalid_type', 'invoices[0]', records((t) => { t.invoices[0] = 'J1'; })],
    ['invalid_type', 'invoices.currency[0]', { ...dTables(), currency: undefined }],
    ['invalid_type', 'invoices.currency', { ...dTables('columns'), currency: undefined }],
    ['invalid_type', 'invoices.dueDate', { ...dTables('columns'), invoices: { ...columns(D_INVOICES), dueDate: undefined } }],
    ['invalid_type', 'invoices.region[3]', records((t) => { t.invoices[3].region = 7; })],
    ['invalid_type', 'invoices', { currency: 'USD' }],
    ['invalid_type', 'settlements', { ...dTables(), settlements: 'none' }],
    ['invalid_type', 'dimensions[0]', { ...dTables(), dimensions: [1] }],
    ['invalid_type', 'tables', 'not a book'],
    ['invalid_value', 'settlements.kind[0]', records((t) => { t.settlements[0].kind = 'refund'; })],
  ];
  for (const [code, field, tables] of cases) {
    const e = throwsCode(assert, () => new Book(tables), code);
    assert.ok(e.message.startsWith(`${code}: ${field}`), e.message);
  }
  // A book given as tables has no recorded times.
  const book = new Book(dTables());
  assert.match(throwsCode(assert, () => book.aging({ asOf: AS_OF, knownAt: '2026-07-01T00:00:00Z' }), 'invalid_value').message, /known_at/);
  assert.match(throwsCode(assert, () => book.metrics({ ...Q2, knownAt: '2026-07-01T00:00:00Z' }), 'invalid_value').message, /known_at/);
  // Options are checked as for a Ledger.
  throwsCode(assert, () => book.aging({ asOf: AS_OF, groupBy: ['region'] }), 'invalid_value');
  throwsCode(assert, () => book.metrics({ start: '2026-06-30', end: '2026-04-01' }), 'invalid_value');
});

test('settlement kinds: only payments count for days to pay', () => {
  const tables = dTables('records', (t) => {
    t.settlements[1].kind = 'credit';
    t.settlements.push({ invoice: 'J3', date: '2026-06-30', amount: '100.00', kind: 'write_off' });
    t.settlements.push({ invoice: 'J3', date: '2026-06-30', amount: '50.00', kind: 'discount' });
    t.settlements.push({ invoice: 'J4', date: '2026-06-30', amount: '10.00', kind: null });
    return t;
  });
  const [m] = new Book(tables).metrics(Q2);
  assert.equal(m.timing.payments, 2); // J1's payment and J4's (a null kind is a payment)
  assert.equal(m.arEnd, '3940.00'); // 4,100 - 150 on J3 - 10 on J4
  const asColumns = { ...tables, settlements: columns(tables.settlements) };
  assert.deepEqual(new Book(asColumns).metrics(Q2), [m]);
});

test('currencies per row, the book currency as the default, minor units per currency', () => {
  const book = new Book({
    invoices: [
      { id: 'E1', customer: 'A', date: '2026-06-01', dueDate: '2026-07-01', amount: '100.50', currency: 'EUR' },
      { id: 'Y1', customer: 'A', date: '2026-06-01', dueDate: '2026-07-01', amount: '10264', currency: 'JPY' },
      { id: 'U1', customer: 'B', date: '2026-06-01', dueDate: '2026-06-10', amount: '20.00' },
    ],
    currency: 'USD',
  });
  const r = book.aging({ asOf: AS_OF, groupBy: [] });
  assert.deepEqual(r.totals.map((t) => [t.currency, t.total]), [['EUR', '100.50'], ['JPY', '10264'], ['USD', '20.00']]);
  throwsCode(assert, () => new Book({ invoices: [{ id: 'Y1', customer: 'A', date: '2026-06-01', dueDate: '2026-07-01', amount: '1.5', currency: 'JPY' }] }), 'too_many_decimals');
  // No customers table, no customer dimensions: a group by one is refused, not grouped as "".
  const e = throwsCode(assert, () => book.aging({ asOf: AS_OF, groupBy: ['customer.region'] }), 'invalid_value');
  assert.match(e.message, /^invalid_value: group_by: "customer\.region"/);
});

/**
 * The D book with a customers table: D (region N) as before, E (not in the
 * customers table) with K1 06-01 70.00 due 06-20, and Z (region W) listed
 * but without invoices. `form` is that of every table.
 */
function customerTables(form = 'records', edit = (t) => t) {
  const t = dTables(form, (r) => {
    r.invoices.push({ id: 'K1', customer: 'E', date: '2026-06-01', dueDate: '2026-06-20', amount: '70.00' });
    return edit(r);
  });
  const customers = [
    { id: 'D', region: 'N', name: 'Delta' },
    { id: 'Z', region: 'W', name: 'Zeta' },
  ];
  return { ...t, customers: form === 'columns' ? columns(customers) : customers, customerDimensions: ['region'] };
}

/** `customerTables` as a Ledger: D and Z with their regions, E with none. */
function customerLedger() {
  return dLedger((l, opening) => {
    l.updateCustomer({ id: 'D', name: 'Delta', currency: 'USD', terms: 'net 30', dimensions: { region: 'N' } }, opening);
    l.registerCustomer({ id: 'E', name: 'Echo', currency: 'USD', terms: 'net 19' }, opening);
    l.registerCustomer({ id: 'Z', name: 'Zeta', currency: 'USD', terms: 'net 30', dimensions: { region: 'W' } }, opening);
    l.issueInvoice({ id: 'K1', customer: 'E', date: '2026-06-01', lines: [{ quantity: '1', unitPrice: '70.00' }] }, opening);
  });
}

test('customer dimensions come from the customers table, records or columns', () => {
  const options = { asOf: AS_OF, groupBy: ['customer.region'], detail: true };
  for (const form of ['records', 'columns']) {
    const report = new Book(customerTables(form)).aging(options);
    assert.deepEqual(report.groupBy, ['region']);
    // N (D): J1 paid; J2 500.00 due 05-10, 51 days past due (31-60); J3
    // 3,000.00 due 06-19, 11 days (1-30); J4 600.00 due 07-25, current:
    // 500.00 + 3,000.00 + 600.00 = 4,100.00. "" (E, not in the table): K1
    // 70.00 due 06-20, 10 days (1-30). Z, listed but without invoices: no row.
    assert.deepEqual(
      report.rows.map((r) => [r.group, r.currency, r.buckets, r.total, r.items]),
      [
        [['N'], 'USD', ['600.00', '3000.00', '500.00', '0.00', '0.00', '0.00'], '4100.00', 3],
        [[''], 'USD', ['0.00', '70.00', '0.00', '0.00', '0.00', '0.00'], '70.00', 1],
      ],
      form,
    );
    // 4,100.00 + 70.00.
    assert.deepEqual(report.totals.map((r) => [r.group, r.total]), [[[], '4170.00']], form);
  }
});

test('a customers table as records and as columns give the same reports, and those of the Ledger', () => {
  const ledger = customerLedger();
  const fromRecords = new Book(customerTables('records'));
  const fromColumns = new Book(customerTables('columns'));
  // Only the customers table as columns, the other tables as records.
  const mixed = new Book({ ...customerTables('records'), customers: customerTables('columns').customers });
  for (const options of [
    { asOf: AS_OF, groupBy: ['customer.region'], detail: true },
    { asOf: AS_OF, groupBy: ['customer.region', 'customer', 'invoice.region'] },
    { asOf: '2026-05-31', groupBy: ['customer.region'], basis: 'invoice_date', buckets: [30, 60, 90] },
  ]) {
    const reference = fromRecords.aging(options);
    assert.deepEqual(fromColumns.aging(options), reference, JSON.stringify(options));
    assert.deepEqual(mixed.aging(options), reference, JSON.stringify(options));
    assert.deepEqual(ledger.aging(options), reference, JSON.stringify(options));
  }
  for (const options of [{ ...Q2, groupBy: ['customer.region'] }, { ...Q2, groupBy: ['invoice.region', 'customer.region'] }]) {
    const reference = fromRecords.metrics(options);
    assert.deepEqual(fromColumns.metrics(options), reference, JSON.stringify(options));
    assert.deepEqual(ledger.metrics(options), reference, JSON.stringify(options));
  }
  // A null or absent value is no value, as for a customer not listed.
  const nulls = new Book({ ...customerTables('records'), customers: [{ id: 'D', region: null }, { id: 'E' }] });
  assert.deepEqual(nulls.aging({ asOf: AS_OF, groupBy: ['customer.region'] }).rows.map((r) => [r.group, r.total]), [[[''], '4170.00']]);
});

test('a group by a dimension the book was not given is refused with invalid_value', () => {
  const book = new Book(customerTables());
  for (const [groupBy, key] of [
    [['customer.sales_rep'], 'customer.sales_rep'],
    [['customer.region', 'customer.sales_rep'], 'customer.sales_rep'],
    // `name` is a property of the customer records, but not a customer dimension.
    [['customer.name'], 'customer.name'],
    [['invoice.channel'], 'invoice.channel'],
  ]) {
    for (const report of [() => book.aging({ asOf: AS_OF, groupBy }), () => book.metrics({ ...Q2, groupBy })]) {
      const e = throwsCode(assert, report, 'invalid_value');
      assert.equal(e.family, 'validation');
      assert.ok(e.message.startsWith(`invalid_value: group_by: "${key}"`), e.message);
    }
  }
});

test('a bad customers table names the table, column and row', () => {
  const cases = [
    ['duplicate_id', 'customers.id[1]', (t) => { t.customers[1].id = 'D'; }],
    ['invalid_type', 'customers.id[1]', (t) => { delete t.customers[1].id; }],
    ['invalid_type', 'customers.region[0]', (t) => { t.customers[0].region = 7; }],
  ];
  for (const form of ['records', 'columns']) {
    for (const [code, field, edit] of cases) {
      const records = customerTables('records');
      edit(records);
      const tables = form === 'columns' ? { ...records, customers: columns(records.customers) } : records;
      const e = throwsCode(assert, () => new Book(tables), code);
      assert.ok(e.message.startsWith(`${code}: ${field}`), `${form}: ${e.message}`);
    }
  }
  // A customer listed twice is named at its second row.
  const dup = throwsCode(assert, () => new Book({ ...customerTables(), customers: { id: ['D', 'D'], region: ['N', 'S'] } }), 'duplicate_id');
  assert.match(dup.message, /customers\.id\[1\].*"D"/);
  // A dimension column of another length than the ids.
  const short = customerTables('columns');
  short.customers.region.pop();
  assert.match(throwsCode(assert, () => new Book(short), 'invalid_value').message, /^invalid_value: customers\.region/);
  // The table and the option themselves.
  for (const [field, tables] of [
    ['customers', { ...customerTables(), customers: 'D' }],
    ['customers.id', { ...customerTables(), customers: { region: ['N'] } }],
    ['customerDimensions', { ...customerTables(), customerDimensions: 'region' }],
    ['customerDimensions[0]', { ...customerTables(), customerDimensions: [1] }],
  ]) {
    const e = throwsCode(assert, () => new Book(tables), 'invalid_type');
    assert.ok(e.message.startsWith(`invalid_type: ${field}:`), e.message);
  }
  assert.ok(
    throwsCode(assert, () => new Book({ ...customerTables(), customerDimensions: [''] }), 'invalid_value').message.startsWith(
      'invalid_value: customerDimensions[0]',
    ),
  );
});

test('customer dimensions without a customers table are refused with invalid_value', () => {
  // Rather than one group of "" for every customer.
  for (const form of ['records', 'columns']) {
    const { customers, ...tables } = customerTables(form);
    assert.ok(customers);
    const e = throwsCode(assert, () => new Book(tables), 'invalid_value');
    assert.equal(e.family, 'validation');
    assert.equal(
      e.message,
      'invalid_value: customerDimensions: "region" is not allowed: customer dimensions are read from the customers table; give one',
    );
    // Without the dimensions, the book is fine; a null table is no table.
    assert.equal(new Book({ ...tables, customerDimensions: [] }).invoiceCount, 5);
    throwsCode(assert, () => new Book({ ...tables, customers: null }), 'invalid_value');
  }
});

/** A generated book: `n` invoices, ids of all kinds of text, every third one half paid. */
function generated(n) {
  const texts = ['Zürich', '東京', 'emoji 😀', 'lone \ud800 surrogate', 'x'.repeat(300), 'tab\tand\0nul', ''];
  const invoices = [];
  const settlements = [];
  for (let i = 0; i < n; i += 1) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const id = `I${i}-${texts[i % texts.length]}`;
    invoices.push({ id, customer: texts[(i * 3) % texts.length] || 'C', date: `2026-05-${day}`, dueDate: `2026-06-${day}`, amount: `${100 + (i % 900)}.${String(i % 100).padStart(2, '0')}`, region: texts[i % 5] });
    if (i % 3 === 0) settlements.push({ invoice: id, date: '2026-06-28', amount: '50.00' });
  }
  // Every customer but the last listed, with a region of any kind of text (or none).
  const ids = [...new Set(invoices.map((r) => r.customer))].slice(0, -1);
  const customers = ids.map((id, i) => ({ id, region: i % 3 === 2 ? null : texts[(i * 3) % texts.length] }));
  return { invoices, settlements, customers, currency: 'USD', dimensions: ['region'], customerDimensions: ['region'] };
}

/** A Book from `tables` read cell by cell (the reference), not by the encoder. */
function cellByCell(tables) {
  process.env.AR_NODE_BOOK_READ = 'cells';
  try {
    return new Book(tables);
  } finally {
    delete process.env.AR_NODE_BOOK_READ;
  }
}

test('the encoder and the cell-by-cell read give the same book, records or columns', () => {
  // 6,000 rows: two chunks of rows cell by cell, a text buffer grown by the encoder.
  const tables = generated(6000);
  const asColumns = {
    ...tables,
    invoices: columns(tables.invoices),
    settlements: columns(tables.settlements),
    customers: columns(tables.customers),
  };
  const options = { asOf: AS_OF, groupBy: ['customer', 'customer.region', 'invoice.region'], detail: true };
  const reference = cellByCell(tables).aging(options);
  assert.equal(reference.detail.length, 6000);
  assert.deepEqual(new Book(tables).aging(options), reference);
  assert.deepEqual(new Book(asColumns).aging(options), reference);
  assert.deepEqual(cellByCell(asColumns).aging(options), reference);
  // Text comes back as given; a lone surrogate as U+FFFD, as Node writes it in UTF-8.
  const ids = new Set(reference.detail.map((l) => l.id));
  assert.ok(ids.has('I0-Zürich') && ids.has('I2-emoji 😀') && ids.has('I5-tab\tand\0nul') && ids.has('I6-'));
  assert.ok(ids.has('I3-lone \ufffd surrogate'));
  assert.ok(ids.has(`I4-${'x'.repeat(300)}`));
  assert.deepEqual(new Book(tables).metrics(Q2), cellByCell(tables).metrics(Q2));
});

test('a bad cell far down a big table is named the same way by both reads', () => {
  const tables = generated(9000);
  tables.invoices[8765].amount = 12.5;
  tables.settlements[2000].date = null;
  for (const make of [(t) => new Book(t), cellByCell]) {
    const e = throwsCode(assert, () => make(tables), 'invalid_type');
    assert.equal(e.message, 'invalid_type: invoices.amount[8765]: expected a decimal string such as "12.50", got the number 12.5');
  }
  tables.invoices[8765].amount = '12.50';
  for (const make of [(t) => new Book(t), cellByCell]) {
    const e = throwsCode(assert, () => make(tables), 'invalid_type');
    assert.equal(e.message, 'invalid_type: settlements.date[2000]: expected a date string (YYYY-MM-DD), got null');
  }
});

test('getters that throw are reported, not crashed on', () => {
  const invoices = dTables().invoices;
  Object.defineProperty(invoices[2], 'amount', { get() { throw new Error('boom'); } });
  const e = throwsCode(assert, () => new Book({ invoices, currency: 'USD' }), 'invalid_type');
  assert.match(e.message, /invoices\.amount\[2\]: .*could not be read/);
  // The binding still works afterwards.
  checkHandWorked(new Book(dTables()));
});

test('empty tables make an empty book', () => {
  const book = new Book({ invoices: [], settlements: { invoice: [], date: [], amount: [] } });
  assert.equal(book.invoiceCount, 0);
  assert.deepEqual(book.aging({ asOf: AS_OF }).rows, []);
  assert.deepEqual(book.metrics(Q2), []);
});

test('a book split in parts: the parts\' partials merge into the whole book\'s figures', async () => {
  const { agingFinish, metricsFinish } = await import('../index.js');
  // A second customer in EUR, so that rows of two currencies merge.
  const invoices = [...D_INVOICES, { id: 'K1', customer: 'E', date: '2026-05-02', dueDate: '2026-06-01', amount: '250.00', region: 'N', currency: 'EUR' }]
    .map((r) => ({ currency: 'USD', ...r }));
  const settlements = [...D_SETTLEMENTS, { invoice: 'K1', date: '2026-06-10', amount: '100.00' }];
  const book = (ids) => new Book({
    invoices: invoices.filter((i) => ids.includes(i.id)),
    settlements: settlements.filter((s) => ids.includes(s.invoice)),
    dimensions: ['region'],
  });
  const whole = book(['J1', 'J2', 'J3', 'J4', 'K1']);
  // Each settlement sits with its invoice.
  const parts = [book(['J1', 'K1']), book(['J2']), book(['J3', 'J4'])];
  const agingOptions = { asOf: AS_OF, groupBy: ['invoice.region'] };
  const lines = parts.flatMap((p) => p.agingPartial(agingOptions));
  assert.ok(lines.every((l) => typeof l.sum === 'string' && /^-?\d+$/.test(l.sum)));
  const merged = agingFinish(lines, agingOptions);
  const one = whole.aging(agingOptions);
  const key = (r) => `${r.currency}|${r.group.join('/')}`;
  const sorted = (rows) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));
  assert.deepEqual(merged.rows, sorted(one.rows));
  assert.deepEqual(merged.totals, one.totals);
  // By hand: USD open J2 500.00 (51 days), J3 3,000.00 (11 days), J4 600.00
  // current; EUR K1 150.00 (29 days).
  assert.deepEqual(merged.totals.map((t) => [t.currency, t.total]), [['EUR', '150.00'], ['USD', '4100.00']]);
  const metricsOptions = { ...Q2, groupBy: ['customer'] };
  const rows = metricsFinish(parts.flatMap((p) => p.metricsPartial(metricsOptions)), metricsOptions);
  assert.deepEqual(rows, whole.metrics(metricsOptions));
  // Partials of other options do not merge; a bad sum names its line.
  const other = parts[1].agingPartial({ asOf: '2026-05-31', groupBy: ['invoice.region'] });
  throwsCode(assert, () => agingFinish([...lines, ...other], agingOptions), 'invalid_value');
  const bad = lines.map((l, i) => (i === 1 ? { ...l, sum: '1.5' } : l));
  const e = throwsCode(assert, () => agingFinish(bad, agingOptions), 'invalid_value');
  assert.match(e.message, /partial\[1\]\.sum/);
  // A settlement whose invoice is in another part.
  throwsCode(assert, () => new Book({ invoices: invoices.filter((i) => i.id === 'J1'), settlements: D_SETTLEMENTS }), 'not_found');
});
