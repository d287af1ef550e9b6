// Statements of account, the cash forecast and the log row by row, from
// Node: the hand-worked cases of ar-core/tests/statement.rs and
// ar-core/tests/forecast.rs, amounts as decimal strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import * as ar from '../index.js';
import { throwsCode } from './scenario.mjs';

function statementBook() {
  const l = new ar.Ledger();
  l.registerCustomer({ id: 'ACME', name: 'Acme Corp', currency: 'USD' });
  const invoice = (id, date, amount, currency) =>
    l.issueInvoice({ id, customer: 'ACME', date, lines: [{ quantity: '1', unitPrice: amount }], currency, terms: '2/10 net 30' });
  // Before the period: INV-0 of 300.00, 100.00 paid: 200.00 brought forward.
  invoice('INV-0', '2026-02-10', '300.00');
  l.recordReceipt({ id: 'R-0', date: '2026-02-20', amount: '100.00', currency: 'USD', customer: 'ACME' });
  l.apply({ invoice: 'INV-0', amount: '100.00', date: '2026-02-20', receipt: 'R-0' });
  invoice('INV-1', '2026-03-02', '1000.00'); // +1000.00 -> 1200.00
  l.recordReceipt({ id: 'R-1', date: '2026-03-05', amount: '980.00', currency: 'USD', customer: 'ACME' }); // -980.00 -> 220.00
  l.apply({ invoice: 'INV-1', amount: '980.00', date: '2026-03-05', receipt: 'R-1', discount: '20.00' }); // -20.00 -> 200.00
  l.issueCreditMemo({ id: 'CM-1', customer: 'ACME', date: '2026-03-08', amount: '50.00', against: 'INV-0', reason: 'damaged' }); // -50.00 -> 150.00
  invoice('INV-2', '2026-03-10', '40.00'); // +40.00 -> 190.00
  l.voidInvoice({ invoice: 'INV-2', date: '2026-03-11', reason: 'duplicate' }); // -40.00 -> 150.00
  invoice('INV-3', '2026-03-12', '25.00'); // +25.00 -> 175.00
  l.writeOff({ invoice: 'INV-3', date: '2026-03-15', reason: 'small balance', id: 'WO-1' }); // -25.00 -> 150.00
  l.reverseWriteOff({ writeOff: 'WO-1', date: '2026-03-16', reason: 'customer will pay' }); // +25.00 -> 175.00
  // 60.00 from a payer named on the 18th: -60.00 -> 115.00; 10.00 refunded: +10.00 -> 125.00.
  l.recordReceipt({ id: 'R-2', date: '2026-03-17', amount: '60.00', currency: 'USD' });
  l.assignPayer({ receipt: 'R-2', customer: 'ACME', date: '2026-03-18' });
  l.refund({ amount: '10.00', date: '2026-03-20', receipt: 'R-2', method: 'check', reason: 'overpaid' });
  invoice('E-1', '2026-03-25', '70.00', 'EUR');
  // After the period: not on it.
  l.recordReceipt({ id: 'R-9', date: '2026-04-02', amount: '5.00', currency: 'USD', customer: 'ACME' });
  return l;
}

const MARCH = { from: '2026-03-01', to: '2026-03-31' };

test('a statement of every kind of movement', () => {
  const l = statementBook();
  const s = l.statement('ACME', MARCH);
  assert.deepEqual([s.customer, s.name, s.from, s.to], ['ACME', 'Acme Corp', '2026-03-01', '2026-03-31']);
  assert.deepEqual(s.sections.map((x) => x.currency), ['EUR', 'USD']);
  const usd = s.sections[1];
  assert.equal(usd.opening, '200.00');
  assert.deepEqual(usd.entries.map((e) => [e.date, e.kind, e.amount, e.balance]), [
    ['2026-03-02', 'invoice', '1000.00', '1200.00'],
    ['2026-03-05', 'payment', '-980.00', '220.00'],
    ['2026-03-05', 'discount', '-20.00', '200.00'],
    ['2026-03-08', 'credit_memo', '-50.00', '150.00'],
    ['2026-03-10', 'invoice', '40.00', '190.00'],
    ['2026-03-11', 'invoice_voided', '-40.00', '150.00'],
    ['2026-03-12', 'invoice', '25.00', '175.00'],
    ['2026-03-15', 'write_off', '-25.00', '150.00'],
    ['2026-03-16', 'write_off_reversed', '25.00', '175.00'],
    ['2026-03-18', 'payment', '-60.00', '115.00'],
    ['2026-03-20', 'refund', '10.00', '125.00'],
  ]);
  assert.equal(usd.closing, '125.00');
  assert.deepEqual([usd.entries[2].document, usd.entries[2].reference], ['R-1', 'INV-1']);
  assert.ok(!('reference' in usd.entries[0]));
  // Open at the end: INV-0 200.00, INV-3 25.00, CM-1 50.00 credit, R-2 50.00 cash.
  assert.deepEqual(usd.openItems.map((i) => [i.id, i.kind, i.open]), [
    ['INV-0', 'invoice', '200.00'],
    ['INV-3', 'invoice', '25.00'],
    ['CM-1', 'credit_memo', '50.00'],
    ['R-2', 'unapplied_cash', '50.00'],
  ]);
  // INV-0 was due 2026-03-12: 19 days late, in 1-30.
  assert.deepEqual([usd.openItems[0].days, usd.openItems[0].bucket, usd.openItems[0].dueDate], [19, 1, '2026-03-12']);
  // The aging summary is the aging report's row of ACME in USD.
  const row = l.aging({ asOf: '2026-03-31' }).rows.find((r) => r.currency === 'USD');
  assert.deepEqual(usd.aging, row);
  assert.deepEqual([usd.aging.total, usd.aging.openCredits, usd.aging.unappliedCash, usd.aging.net], ['225.00', '50.00', '50.00', '125.00']);
  assert.deepEqual([s.sections[0].opening, s.sections[0].closing], ['0.00', '70.00']);
  // A run gives the same statement; a customer with nothing gets none.
  l.registerCustomer({ id: 'IDLE', name: 'Idle', currency: 'USD' });
  assert.deepEqual(l.statements(MARCH), [s]);
  // Other bucket bounds.
  const b = l.statement('ACME', { ...MARCH, buckets: [0, 10] });
  assert.deepEqual(b.labels, ['current', '1-10', 'over 10']);
  assert.deepEqual(b.sections[1].aging.buckets, ['25.00', '0.00', '200.00']);
});

test('statement errors are typed', () => {
  const l = statementBook();
  throwsCode(assert, () => l.statement('ACME', { from: '2026-03-31', to: '2026-03-01' }), 'invalid_value');
  throwsCode(assert, () => l.statement('NOBODY', MARCH), 'not_found');
  throwsCode(assert, () => l.statement('ACME', { ...MARCH, knownAt: '2000-01-01T00:00:00Z' }), 'not_found');
  throwsCode(assert, () => l.statement('ACME', { from: '2026-02-30', to: '2026-03-31' }), 'invalid_date');
  throwsCode(assert, () => l.statement('ACME', { ...MARCH, buckets: [30, 0] }), 'invalid_value');
  throwsCode(assert, () => l.statements({ ...MARCH, buckets: new Array(65).fill(1) }), 'limit_exceeded');
  throwsCode(assert, () => l.statement(42, MARCH), 'invalid_type');
  throwsCode(assert, () => l.statements({ from: '2026-03-01' }), 'invalid_type'); // no `to`
});

function forecastBook() {
  const l = new ar.Ledger();
  for (const c of ['ACME', 'GLOBEX', 'INITECH']) l.registerCustomer({ id: c, name: c, currency: 'USD' });
  const invoice = (customer, id, date, net, amount) =>
    l.issueInvoice({ id, customer, date, lines: [{ quantity: '1', unitPrice: amount }], terms: `net ${net}` });
  const pay = (customer, id, date, amount) => {
    l.recordReceipt({ id: `R-${id}`, date, amount, currency: 'USD', customer });
    l.apply({ invoice: id, amount, date, receipt: `R-${id}` });
  };
  // History, all due March 1: ACME pays 100.00 ten days late and 300.00
  // twenty days late; GLOBEX 400.00 two days early.
  invoice('ACME', 'A1', '2026-02-01', 28, '100.00');
  invoice('ACME', 'A2', '2026-02-01', 28, '300.00');
  invoice('GLOBEX', 'G1', '2026-02-01', 28, '400.00');
  pay('ACME', 'A1', '2026-03-11', '100.00');
  pay('ACME', 'A2', '2026-03-21', '300.00');
  pay('GLOBEX', 'G1', '2026-02-27', '400.00');
  invoice('ACME', 'A3', '2026-03-11', 30, '200.00'); // due April 10
  invoice('GLOBEX', 'G2', '2026-03-06', 30, '150.00'); // due April 5
  invoice('INITECH', 'I1', '2026-02-18', 30, '80.00'); // due March 20
  invoice('ACME', 'A4', '2026-03-16', 30, '50.00'); // due April 15
  l.setDispute({ invoice: 'A4', disputed: true, date: '2026-03-20', reason: 'wrong price' });
  pay('GLOBEX', 'G2', '2026-04-07', '150.00');
  pay('ACME', 'A3', '2026-04-25', '200.00');
  return l;
}

test('the forecast learns delays per customer, shrunk to the book', () => {
  const l = forecastBook();
  const f = l.forecast({ asOf: '2026-04-01' });
  // Book: (100 x 10 + 300 x 20 + 400 x -2) / 800 = 7.75 days -> 8.
  assert.equal(f.bookDelayDays, 8);
  assert.deepEqual(f.items.map((i) => [i.invoice, i.delayDays, i.expectedDate, i.expectedAmount]), [
    ['I1', 8, '2026-04-02', '80.00'], // no history; already past: the day after
    ['G2', 6, '2026-04-11', '150.00'], // (1 x -2 + 5 x 7.75) / 6 = 6.125
    ['A3', 11, '2026-04-21', '200.00'], // (2 x 17.5 + 5 x 7.75) / 7 = 10.54; A4 disputed
  ]);
  assert.deepEqual(f.weekly.map((w) => [w.start, w.amount]), [
    ['2026-03-30', '80.00'], ['2026-04-06', '150.00'], ['2026-04-20', '200.00'],
  ]);
  assert.deepEqual(f.monthly.map((m) => m.amount), ['430.00']);
  const half = l.forecast({ asOf: '2026-04-01', disputedProbability: '0.5' });
  const a4 = half.items.find((i) => i.invoice === 'A4');
  assert.deepEqual([a4.expectedDate, a4.expectedAmount, a4.disputed], ['2026-04-26', '25.00', true]);
  const own = l.forecast({ asOf: '2026-04-01', shrinkage: 0 }).items.find((i) => i.invoice === 'G2');
  assert.deepEqual([own.delayDays, own.expectedDate], [-2, '2026-04-03']);
  throwsCode(assert, () => l.forecast({ asOf: '2026-04-01', disputedProbability: '1.5' }), 'invalid_amount');
  throwsCode(assert, () => l.forecast({ asOf: '2026-04-01', disputedProbability: 0.5 }), 'invalid_type');
  throwsCode(assert, () => l.forecast({ asOf: '2026-04-31' }), 'invalid_date');
  throwsCode(assert, () => l.forecast({ asOf: '2026-04-01', shrinkage: -1 }), 'invalid_value');
});

test('the back-test against the naive forecasts', () => {
  const l = forecastBook();
  const t = l.forecastBacktest({ asOf: '2026-04-01', weeks: 4 });
  assert.deepEqual(t.forecast, l.forecast({ asOf: '2026-04-01' }));
  assert.deepEqual(t.weeks.map((w) => [w.start, w.forecast, w.actual, w.onDueDate, w.bookAverage]), [
    ['2026-04-02', '80.00', '150.00', '230.00', '80.00'],
    ['2026-04-09', '150.00', '0.00', '200.00', '150.00'],
    ['2026-04-16', '200.00', '0.00', '0.00', '200.00'],
    ['2026-04-23', '0.00', '200.00', '0.00', '0.00'],
  ]);
  // |80-150| + 150 + 200 + 200 = 620 / 4; bias 80 / 4; due dates 480 / 4.
  assert.deepEqual(t.errors, [{ currency: 'USD', mae: '155.00', bias: '20.00', maeOnDueDate: '120.00', maeBookAverage: '155.00' }]);
  throwsCode(assert, () => l.forecastBacktest({ asOf: '2026-04-01', weeks: 0 }), 'invalid_value');
  throwsCode(assert, () => l.forecastBacktest({ asOf: '2026-04-01', weeks: 521 }), 'limit_exceeded');
  throwsCode(assert, () => l.forecastBacktest({ asOf: '2026-04-01' }), 'invalid_type'); // no `weeks`
});

test('the log row by row rebuilds the ledger; a bad row changes nothing', () => {
  const l = forecastBook();
  const rows = l.logLines();
  assert.equal(rows.length, l.length);
  assert.deepEqual(rows.map((r) => JSON.parse(r).seq), rows.map((_, i) => i + 1));
  assert.deepEqual(l.logLines(3), rows.slice(3));
  assert.deepEqual(l.logLines(rows.length), []);
  const copy = new ar.Ledger();
  for (const row of rows.slice(0, 5)) copy.appendLogLine(row);
  const edited = rows[5].replace('"G1"', '"GX"');
  assert.notEqual(edited, rows[5]);
  for (const bad of [rows[6], edited, rows[0], 'not json']) {
    throwsCode(assert, () => copy.appendLogLine(bad), 'corrupt_log');
    assert.equal(copy.length, 5);
  }
  for (const row of rows.slice(5)) copy.appendLogLine(row);
  assert.equal(copy.chainHead, l.chainHead);
  assert.equal(copy.toJson(), l.toJson());
  throwsCode(assert, () => copy.appendLogLine(1), 'invalid_type');
  throwsCode(assert, () => copy.logLines('1'), 'invalid_type');
  throwsCode(assert, () => copy.logLines(-1), 'invalid_value');
});

const COMPANY = { name: 'Widgets <Ltd> & Co', address: ['1 Main St', 'Springfield'] };

test('statements rendered as text and HTML, the bytes of Rust and Python', () => {
  const l = statementBook();
  const text = l.renderStatements({ ...MARCH, company: COMPANY, format: 'text' });
  const lines = text.split('\n');
  assert.equal(lines[0], 'Widgets <Ltd> & Co');
  assert.equal(lines[1], 'STATEMENT OF ACCOUNT  Acme Corp (ACME)  2026-03-01 to 2026-03-31');
  const row = (date, doc, what, debit, credit, balance) =>
    `${date.padEnd(10)} ${doc.padEnd(10)} ${what.padEnd(24)} ${debit.padStart(12)} ${credit.padStart(12)} ${balance.padStart(12)}`;
  const usd = lines.indexOf('USD');
  assert.equal(lines[usd + 2], row('2026-03-01', '', 'Opening balance', '', '', '200.00'));
  assert.equal(lines[usd + 3], row('2026-03-02', 'INV-1', 'invoice', '1,000.00', '', '1,200.00'));
  assert.equal(lines[usd + 5], row('2026-03-05', 'R-1', 'discount on INV-1', '', '20.00', '200.00'));
  assert.ok(lines.includes(row('2026-03-31', '', 'Closing balance', '', '', '125.00')));
  assert.ok(text.includes('Aging: current 25.00; 1-30 200.00; 31-60 0.00;'));
  assert.equal(l.renderStatements({ ...MARCH, company: COMPANY, format: 'text', customers: ['ACME'] }), text);
  const html = l.renderStatements({ ...MARCH, company: COMPANY });
  assert.equal(html.split('<section class="statement">').length - 1, 1);
  assert.ok(html.includes('break-after: page') && html.includes('@page'));
  assert.ok(html.includes('<strong>Widgets &lt;Ltd&gt; &amp; Co</strong>'));
  assert.ok(html.includes('<td class="num">1,200.00</td>'));
  assert.ok(html.trimEnd().endsWith('</html>'));
  const mine = '{% for s in statements %}{{ s.customer }}{% endfor %}';
  assert.equal(l.renderStatements({ ...MARCH, company: COMPANY, template: mine }), 'ACME');
  const e = throwsCode(assert, () => l.renderStatements({ ...MARCH, company: COMPANY, format: 'text', template: '{{ company.name }}\n{{ nope }}' }), 'template_error');
  assert.match(e.message, /line 2/);
  throwsCode(assert, () => l.renderStatements({ ...MARCH, company: COMPANY, customers: ['NOBODY'] }), 'not_found');
  throwsCode(assert, () => l.renderStatements({ ...MARCH, company: COMPANY, format: 'pdf' }), 'invalid_value');
  throwsCode(assert, () => l.renderStatements({ ...MARCH }), 'invalid_type');
});
