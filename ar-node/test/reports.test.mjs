// Reports through the binding: aging, metrics, provisions and roll rates,
// checked against the figures worked by hand in ar-core/tests/reports.rs and
// the unit tests of ar-core/src/metrics.rs and provision.rs. Every figure is
// a decimal string compared exactly (or rounded exactly by roundDecimal),
// never through a JS number.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  agingProvision,
  allowanceAdjustment,
  arTurnover,
  averageDaysDelinquent,
  bestPossibleDso,
  cei,
  dsoAverage,
  dsoCountback,
  dsoPeriodEnd,
  lossRates,
  paymentTiming,
  percentCurrent,
  percentPastDue,
  provision,
  rollRatesFromHistory,
} from '../index.js';
import { agingBook, metricsBook, roundDecimal, sumDecimals } from './reports.mjs';
import { throwsCode } from './scenario.mjs';

const row = (report, group, currency) => {
  const found = report.rows.find((r) => r.group.join('|') === group.join('|') && r.currency === currency);
  assert.ok(found, `no row ${group} ${currency}`);
  return found;
};

test('aging by customer as of 2026-06-30, worked by hand', () => {
  const r = agingBook().aging({ asOf: '2026-06-30' });
  assert.equal(r.asOf, '2026-06-30');
  assert.equal(r.basis, 'due_date');
  assert.deepEqual(r.labels, ['current', '1-30', '31-60', '61-90', '91-120', 'over 120']);
  assert.deepEqual(r.groupBy, ['customer']);
  assert.deepEqual(r.detail, []);
  // A: current 100 + 30 + 30; 1-30 200 + 30; 91-120 250.
  assert.deepEqual(row(r, ['A'], 'USD'), {
    group: ['A'],
    currency: 'USD',
    buckets: ['160.00', '230.00', '0.00', '0.00', '250.00', '0.00'],
    total: '640.00',
    openCredits: '25.00',
    unappliedCash: '0.00',
    net: '615.00',
    items: 6,
  });
  const b = row(r, ['B'], 'USD');
  assert.deepEqual(b.buckets, ['0.00', '0.00', '400.00', '0.00', '0.00', '400.00']);
  assert.deepEqual([b.total, b.unappliedCash, b.net], ['800.00', '70.00', '730.00']);
  // Totals per currency, in currency-code order.
  assert.deepEqual(r.totals.map((t) => t.currency), ['EUR', 'USD']);
  const [eur, usd] = r.totals;
  assert.deepEqual(usd?.buckets, ['160.00', '230.00', '400.00', '0.00', '250.00', '400.00']);
  assert.deepEqual([usd?.total, usd?.openCredits, usd?.unappliedCash, usd?.net], ['1440.00', '25.00', '70.00', '1345.00']);
  assert.deepEqual(usd?.group, []);
  assert.deepEqual(eur?.buckets, ['0.00', '0.00', '600.00', '0.00', '0.00', '0.00']);
  // Sum of the buckets = total = the open invoices of openItems.
  for (const x of [...r.rows, ...r.totals]) assert.equal(sumDecimals(x.buckets), x.total);
});

test('aging as known at 07-01 leaves out the back-dated payment', () => {
  const l = agingBook();
  // The 06-25 payment was recorded on 07-10: as the books stood on 07-01, I5 was 500.00 and there was no cash.
  const r = l.aging({ asOf: '2026-06-30', knownAt: '2026-07-01T00:00:00Z' });
  const b = row(r, ['B'], 'USD');
  assert.equal(b.buckets[2], '500.00');
  assert.equal(b.unappliedCash, '0.00');
  // As of 07-05 A's I2 has 100.00 paid.
  assert.equal(row(l.aging({ asOf: '2026-07-05' }), ['A'], 'USD').total, '540.00');
});

test('aging by customer.region on invoice dates, with detail', () => {
  const r = agingBook().aging({
    asOf: '2026-06-30',
    groupBy: ['customer.region'],
    basis: 'invoice_date',
    buckets: [30, 60, 90],
    detail: true,
  });
  assert.equal(r.basis, 'invoice_date');
  assert.deepEqual(r.labels, ['up to 30', '31-60', '61-90', 'over 90']);
  assert.deepEqual(r.groupBy, ['region']);
  // EMEA (A) by invoice date: I1 20 days, I2 60, I3 121, I7 46 (all three installments).
  assert.deepEqual(row(r, ['EMEA'], 'USD').buckets, ['100.00', '290.00', '0.00', '250.00']);
  // C has no region: grouped under "".
  assert.ok(r.rows.some((x) => x.group.length === 1 && x.group[0] === '' && x.currency === 'EUR'));
  // Detail: I1-I6, I7's three installments, one credit and one cash line.
  assert.equal(r.detail.length, 11);
  assert.deepEqual(r.detail.filter((x) => x.id === 'I7').map((x) => x.installment), [1, 2, 3]);
  const usdInvoices = r.detail.filter((x) => x.kind === 'invoice' && x.currency === 'USD');
  assert.equal(sumDecimals(usdInvoices.map((x) => x.open)), '1440.00');
  const i3 = r.detail.find((x) => x.id === 'I3');
  assert.deepEqual(i3, {
    group: ['EMEA'],
    kind: 'invoice',
    customer: 'A',
    id: 'I3',
    currency: 'USD',
    date: '2026-03-01',
    dueDate: '2026-03-31',
    days: 121,
    bucket: 3,
    open: '250.00',
  });
  const cash = r.detail.find((x) => x.kind === 'unapplied_cash');
  assert.deepEqual(cash, {
    group: ['AMER'],
    kind: 'unapplied_cash',
    customer: 'B',
    id: 'RB',
    currency: 'USD',
    date: '2026-06-25',
    days: 5,
    open: '70.00',
  });
  assert.deepEqual(
    r.detail.filter((x) => x.kind === 'credit_memo').map((x) => [x.id, x.open, x.bucket]),
    [['CM1', '25.00', undefined]],
  );
});

test('aging of the whole book and by two keys', () => {
  const l = agingBook();
  const whole = l.aging({ asOf: '2026-06-30', groupBy: [] });
  assert.deepEqual(whole.rows.map((x) => [x.group, x.currency, x.total]), [
    [[], 'USD', '1440.00'],
    [[], 'EUR', '600.00'],
  ]);
  const two = l.aging({ asOf: '2026-06-30', groupBy: ['customer.region', 'customer'] });
  assert.deepEqual(two.groupBy, ['region', 'customer']);
  assert.equal(row(two, ['AMER', 'B'], 'USD').net, '730.00');
  // An invoice dimension nobody set: every item under "".
  const inv = l.aging({ asOf: '2026-06-30', groupBy: ['invoice.project'] });
  assert.deepEqual(inv.rows.map((x) => [x.group, x.currency]), [
    [[''], 'USD'],
    [[''], 'EUR'],
  ]);
});

test('metrics of the D book for Q2 2026, worked by hand', () => {
  const rows = metricsBook().metrics({ start: '2026-04-01', end: '2026-06-30' });
  assert.equal(rows.length, 1);
  const [m] = rows;
  assert.ok(m);
  assert.deepEqual([m.group, m.currency, m.start, m.end, m.days], [[], 'USD', '2026-04-01', '2026-06-30', 91]);
  // AR at 03-31: J1 1,000. At 06-30: 500 + 3,000 + 600 = 4,100, of which J4's 600 not yet due.
  assert.deepEqual([m.arBegin, m.arEnd, m.currentEnd, m.creditSales], ['1000.00', '4100.00', '600.00', '5600.00']);
  assert.equal(m.dsoPeriodEnd, '66.625'); // 4,100 / 5,600 x 91
  assert.equal(m.dsoAverage, '41.4375'); // (1,000 + 4,100) / 2 / 5,600 x 91
  assert.equal(m.dsoCountback, '68.5'); // June 30 days, May 31, then 500 / 2,000 of April's 30
  assert.equal(m.bestPossibleDso, '9.75'); // 600 / 5,600 x 91
  assert.equal(m.averageDaysDelinquent, '56.875'); // 66.625 - 9.75
  // (1,000 + 5,600 - 4,100) / (1,000 + 5,600 - 600) = 2,500 / 6,000, at full precision.
  assert.match(m.cei ?? '', /^41\.6666666666666666666666666\d*$/);
  assert.equal(roundDecimal(m.cei ?? '', 4), '41.6667');
  assert.equal(roundDecimal(m.arTurnover ?? '', 4), '2.1961'); // 5,600 / 2,550
  assert.equal(roundDecimal(m.percentCurrent ?? '', 4), '14.6341');
  assert.equal(roundDecimal(m.percentPastDue ?? '', 4), '85.3659');
  // Payments: 1,000 after 36 days (6 late), 1,500 after 25 days (5 early).
  assert.deepEqual(m.timing, {
    payments: 2,
    averageDaysToPay: '30.5',
    weightedDaysToPay: '29.4', // (36,000 + 37,500) / 2,500
    averageDaysBeyondTerms: '0.5',
    weightedDaysBeyondTerms: '-0.6', // (6,000 - 7,500) / 2,500
  });
});

test('monthly-average CEI and the countback look-back', () => {
  const l = metricsBook();
  // Sales 5,600 / 3 = 1,866.67: (1,000 + 1,866.67 - 4,100) / (1,000 + 1,866.67 - 600) = -54.41 %.
  const [m] = l.metrics({ start: '2026-04-01', end: '2026-06-30', cei: { monthlyAverage: 3 } });
  assert.equal(roundDecimal(m?.cei ?? '', 2), '-54.41');
  const [p] = l.metrics({ start: '2026-04-01', end: '2026-06-30', cei: 'period_sales' });
  assert.equal(roundDecimal(p?.cei ?? '', 4), '41.6667');
  // Two months of look-back explain 3,600 of the 4,100: no countback.
  const [short] = l.metrics({ start: '2026-04-01', end: '2026-06-30', countbackMonths: 2 });
  assert.equal(short?.dsoCountback, null);
  assert.equal(short?.dsoPeriodEnd, '66.625');
});

test('a quiet period has no DSO: null, never NaN', () => {
  const [m] = metricsBook().metrics({ start: '2026-08-01', end: '2026-08-31' });
  assert.ok(m);
  assert.equal(m.creditSales, '0.00');
  assert.deepEqual([m.dsoPeriodEnd, m.dsoAverage, m.bestPossibleDso, m.averageDaysDelinquent], [null, null, null, null]);
  assert.deepEqual(m.timing, {
    payments: 0,
    averageDaysToPay: null,
    weightedDaysToPay: null,
    averageDaysBeyondTerms: null,
    weightedDaysBeyondTerms: null,
  });
});

test('metrics by customer: one row per group and currency, sorted', () => {
  const rows = agingBook().metrics({ start: '2026-04-01', end: '2026-06-30', groupBy: ['customer'] });
  assert.deepEqual(rows.map((m) => [m.currency, m.group]), [
    ['EUR', ['C']],
    ['USD', ['A']],
    ['USD', ['B']],
  ]);
  // As known at 07-01, B's receipt of 06-25 (recorded 07-10) is not there yet.
  const known = agingBook().metrics({ start: '2026-04-01', end: '2026-06-30', groupBy: ['customer'], knownAt: '2026-07-01T00:00:00Z' });
  assert.equal(known.find((m) => m.group[0] === 'B')?.arEnd, '900.00');
  assert.equal(rows.find((m) => m.group[0] === 'B')?.arEnd, '800.00');
});

test('metrics from plain numbers', () => {
  // 90-day quarter, sales 900,000; AR 240,000 at the start and 300,000 at the end, 180,000 current.
  assert.equal(dsoPeriodEnd('300000', '900000', 90), '30');
  assert.equal(dsoAverage('240000', '300000', '900000', 90), '27');
  assert.equal(bestPossibleDso('180000', '900000', 90), '18');
  assert.equal(averageDaysDelinquent('30', '18'), '12');
  assert.equal(roundDecimal(arTurnover('900000', '240000', '300000') ?? '', 4), '3.3333');
  assert.equal(percentCurrent('180000', '300000'), '60');
  assert.equal(percentPastDue('180000', '300000'), '40');
  // CEI, quarter: (100 + 300 - 120) / (100 + 300 - 70) = 84.848..%; monthly average (300 / 3): 61.538..%.
  assert.equal(roundDecimal(cei('100000', '300000', '120000', '70000') ?? '', 3), '84.848');
  assert.equal(roundDecimal(cei('100000', '300000', '120000', '70000', 'period_sales') ?? '', 3), '84.848');
  assert.equal(roundDecimal(cei('100000', '300000', '120000', '70000', { monthlyAverage: 3 }) ?? '', 3), '61.538');
  // Countback: 100,000 in March (31), 120,000 in February (28), then 30,000 / 60,000 of January's 31.
  const months = [
    { creditSales: '100000', days: 31 },
    { creditSales: '120000', days: 28 },
    { creditSales: '60000', days: 31 },
  ];
  assert.equal(dsoCountback('250000', months), '74.5');
  assert.equal(dsoCountback('250000', months.map((p, i) => (i === 1 ? { ...p, days: 29 } : p))), '75.5');
  assert.equal(dsoCountback('500000', months), null);
  assert.equal(dsoCountback('0', months), '0');
  // Due 01-31: 200 paid 5 days early, 100 paid 15 days late.
  const t = paymentTiming([
    { invoiceDate: '2026-01-01', dueDate: '2026-01-31', paidDate: '2026-01-26', amount: '200' },
    { invoiceDate: '2026-01-01', dueDate: '2026-01-31', paidDate: '2026-02-15', amount: '100' },
  ]);
  assert.equal(t.payments, 2);
  assert.equal(t.averageDaysBeyondTerms, '5');
  assert.equal(roundDecimal(t.weightedDaysBeyondTerms ?? '', 4), '1.6667');
  assert.equal(t.averageDaysToPay, '35');
});

test('zero and negative denominators give null', () => {
  assert.equal(dsoPeriodEnd('100', '0', 30), null);
  assert.equal(dsoPeriodEnd('100', '-5', 30), null);
  assert.equal(dsoAverage('1', '1', '0', 30), null);
  assert.equal(bestPossibleDso('1', '0', 30), null);
  assert.equal(arTurnover('100', '0', '0'), null);
  assert.equal(percentCurrent('0', '0'), null);
  assert.equal(percentPastDue('0', '0'), null);
  assert.equal(cei('0', '0', '0', '0'), null);
  assert.equal(cei('1', '1', '0', '0', { monthlyAverage: 0 }), null);
  assert.deepEqual(paymentTiming([]), {
    payments: 0,
    averageDaysToPay: null,
    weightedDaysToPay: null,
    averageDaysBeyondTerms: null,
    weightedDaysBeyondTerms: null,
  });
});

test('the provision matrix rounds once, not per rate or per line', () => {
  const labels = ['current', '1-30', 'over 30'];
  const exposures = ['123456.78', '23456.78', '3456.78'];
  const p = provision({ labels, exposures, rates: ['0.4567', '2.3456', '12.3456'], currency: 'USD' });
  // 563.827114... + 550.202231... + 426.760231... = 1540.789577... -> 1540.79.
  assert.deepEqual(p.lines[0], { bucket: 'current', exposure: '123456.78', rate: '0.4567', provision: '563.82711426' });
  assert.deepEqual([p.currency, p.exposure, p.total], ['USD', '150370.34', '1540.79']);
  // Rates rounded to two decimals first would give 1546.05: off by 5.26.
  assert.equal(provision({ labels, exposures, rates: ['0.46', '2.35', '12.35'], currency: 'USD' }).total, '1546.05');
  // Exact 0.005 x 3 = 0.015 -> 0.02 (per line it would be 0.01 x 3 = 0.03).
  const small = provision({ labels, exposures: ['0.05', '0.05', '0.05'], rates: ['10', '10', '10'], currency: 'USD' });
  assert.equal(small.total, '0.02');
  assert.deepEqual(small.lines.map((l) => l.provision), ['0.005', '0.005', '0.005']);
  assert.equal(provision({ labels, exposures: ['0.05', '0.05', '0.05'], rates: ['10', '10', '10'], currency: 'USD', rounding: 'half_even' }).total, '0.02');
});

test('a provision over an aging report', () => {
  const report = agingBook().aging({ asOf: '2026-06-30' });
  const rates = ['1', '2', '5', '10', '20', '50'];
  // USD: 1.60 + 4.60 + 20.00 + 0 + 50.00 + 200.00.
  const usd = agingProvision(report, { rates, currency: 'USD' });
  assert.deepEqual([usd.exposure, usd.total], ['1440.00', '276.20']);
  assert.deepEqual(usd.lines.map((l) => l.bucket), report.labels);
  assert.equal(agingProvision(report, { rates, currency: 'EUR' }).total, '30.00'); // 600.00 x 5 %
  // Nothing open in GBP: zero exposures.
  const gbp = agingProvision(report, { rates, currency: 'GBP' });
  assert.deepEqual([gbp.exposure, gbp.total], ['0.00', '0.00']);
  throwsCode(assert, () => agingProvision(report, { rates: ['1'], currency: 'USD' }), 'invalid_value');
  throwsCode(assert, () => agingProvision({}, { rates, currency: 'USD' }), 'invalid_type');
});

test('the allowance adjusting entry, from a credit and a debit balance', () => {
  assert.deepEqual(allowanceAdjustment('4350.00', '3000.00'), { required: '4350.00', existing: '3000.00', adjustment: '1350.00' });
  assert.equal(allowanceAdjustment('4350.00', '-700.00').adjustment, '5050.00');
  assert.equal(allowanceAdjustment('4350.00', '5000.00').adjustment, '-650.00'); // a release
});

test('roll rates and loss rates from a history', () => {
  // Three month ends of (current, 1-30, 31-60, over 60).
  const h = [
    ['1000', '200', '50', '10'],
    ['1100', '150', '60', '20'],
    ['900', '220', '45', '30'],
  ];
  const r = rollRatesFromHistory(h);
  assert.equal(r.length, 3);
  assert.equal(roundDecimal(r[0] ?? '', 3), '17.619'); // (150 + 220) / (1000 + 1100)
  assert.equal(r[1], '30'); // (60 + 45) / (200 + 150)
  assert.equal(roundDecimal(r[2] ?? '', 3), '45.455'); // (20 + 30) / (50 + 60)
  const l = lossRates(r, '100');
  assert.equal(l.length, 4);
  assert.equal(roundDecimal(l[1] ?? '', 3), '13.636'); // 30 % x 45.45..%
  assert.equal(l[3], '100');
  assert.deepEqual(rollRatesFromHistory([['0', '1'], ['0', '1']]), [null]);
  assert.deepEqual(lossRates([null, '50'], '80'), [null, '40', '80']);
  throwsCode(assert, () => rollRatesFromHistory(h.slice(0, 1)), 'invalid_value');
  throwsCode(assert, () => rollRatesFromHistory([['1', '2'], ['1']]), 'invalid_value');
});

test('roll rates from the ledger', () => {
  const l = agingBook();
  const periodEnds = ['2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30'];
  const rr = l.rollRates({ periodEnds, currency: 'USD' });
  assert.equal(rr.currency, 'USD');
  assert.deepEqual(rr.periodEnds, periodEnds);
  assert.deepEqual(rr.labels, ['current', '1-30', '31-60', '61-90', '91-120', 'over 120']);
  assert.equal(rr.history.length, 4);
  // At 03-31: I3 300 current (due that day), I4 400 in 31-60 (45 days).
  assert.deepEqual(rr.history[0], ['300.00', '0.00', '400.00', '0.00', '0.00', '0.00']);
  // The last period end is the aging of 06-30.
  assert.deepEqual(rr.history[3], ['160.00', '230.00', '400.00', '0.00', '250.00', '400.00']);
  assert.equal(rr.roll.length, 5);
  assert.equal(rr.roll[1], '50'); // 1-30 -> 31-60: (0 + 0 + 400) / (0 + 300 + 500)
  assert.equal(rr.roll[2], '100'); // capped: (400 + 300 + 0) / (400 + 0 + 0)
  assert.deepEqual(rr.roll, rollRatesFromHistory(rr.history));
  assert.deepEqual(rr.loss, lossRates(rr.roll, '100'));
  const eighty = l.rollRates({ periodEnds, currency: 'USD', finalLoss: '80', buckets: [0, 30, 60, 90, 120] });
  assert.deepEqual(eighty.loss, lossRates(rr.roll, '80'));
  // As the books stood on 07-01, B's I5 was 500.00 at 06-30.
  const known = l.rollRates({ periodEnds, currency: 'USD', knownAt: '2026-07-01T00:00:00Z' });
  assert.equal(known.history[3]?.[2], '500.00');
  // The loss rates feed a provision of the same buckets.
  const rates = rr.loss.map((x) => x ?? '0');
  const p = agingProvision(l.aging({ asOf: '2026-06-30' }), { rates, currency: 'USD' });
  assert.equal(p.lines.length, 6);
  assert.equal(p.exposure, '1440.00');
});

test('bad input: unknown groupBy, bad buckets and names are invalid_value', () => {
  const l = agingBook();
  const before = l.toJson();
  for (const groupBy of [['region'], ['customer.'], ['invoice'], ['Customer'], ['supplier.x']]) {
    const e = throwsCode(assert, () => l.aging({ asOf: '2026-06-30', groupBy }), 'invalid_value');
    assert.match(e.message, /^invalid_value: groupBy\[0\]: /);
    throwsCode(assert, () => l.metrics({ start: '2026-04-01', end: '2026-06-30', groupBy }), 'invalid_value');
  }
  for (const buckets of [[30, 30], [60, 30], [], [1.5]]) {
    throwsCode(assert, () => l.aging({ asOf: '2026-06-30', buckets }), 'invalid_value');
  }
  throwsCode(assert, () => l.rollRates({ periodEnds: ['2026-05-31', '2026-06-30'], currency: 'USD', buckets: [30, 0] }), 'invalid_value');
  throwsCode(assert, () => l.aging({ asOf: '2026-06-30', basis: 'paid_date' }), 'invalid_value');
  throwsCode(assert, () => l.metrics({ start: '2026-06-30', end: '2026-04-01' }), 'invalid_value');
  throwsCode(assert, () => l.metrics({ start: '2026-04-01', end: '2026-06-30', cei: 'monthly_average' }), 'invalid_value');
  throwsCode(assert, () => l.metrics({ start: '2026-04-01', end: '2026-06-30', cei: { monthlyAverage: 2.5 } }), 'invalid_value');
  throwsCode(assert, () => l.metrics({ start: '2026-04-01', end: '2026-06-30', countbackMonths: -1 }), 'invalid_value');
  throwsCode(assert, () => l.rollRates({ periodEnds: ['2026-06-30'], currency: 'USD' }), 'invalid_value');
  throwsCode(assert, () => cei('1', '1', '0', '0', 'monthly'), 'invalid_value');
  throwsCode(assert, () => dsoPeriodEnd('1', '1', -1), 'invalid_value');
  throwsCode(assert, () => provision({ labels: ['a'], exposures: ['1.00'], rates: ['101'], currency: 'USD' }), 'invalid_value');
  throwsCode(assert, () => provision({ labels: ['a'], exposures: ['1.00'], rates: ['1', '2'], currency: 'USD' }), 'invalid_value');
  throwsCode(assert, () => provision({ labels: ['a'], exposures: ['1.00'], rates: ['1'], currency: 'USD', rounding: 'up' }), 'invalid_value');
  throwsCode(assert, () => l.aging({ asOf: '2026-06-31' }), 'invalid_date');
  throwsCode(assert, () => l.aging({ asOf: '2026-06-30', knownAt: '2026-07-01' }), 'invalid_date');
  throwsCode(assert, () => l.rollRates({ periodEnds: ['2026-05-31', '2026-06-30'], currency: 'usd' }), 'invalid_currency');
  throwsCode(assert, () => provision({ labels: ['a'], exposures: ['1e3'], rates: ['1'], currency: 'USD' }), 'invalid_decimal');
  assert.equal(l.toJson(), before);
});

test('bad input: a number where an amount belongs is invalid_type', () => {
  const l = agingBook();
  const cases = [
    () => dsoPeriodEnd(4100, '5600.00', 91),
    () => dsoAverage('1000.00', '4100.00', 5600, 91),
    () => dsoCountback(250000, [{ creditSales: '1', days: 31 }]),
    () => dsoCountback('250000', [{ creditSales: 1, days: 31 }]),
    () => bestPossibleDso('600.00', 5600, 91),
    () => averageDaysDelinquent(66.625, '9.75'),
    () => cei(1000, '5600', '4100', '600'),
    () => arTurnover('5600', 1000, '4100'),
    () => percentCurrent(600, '4100'),
    () => percentPastDue('600', 4100),
    () => paymentTiming([{ invoiceDate: '2026-01-01', dueDate: '2026-01-31', paidDate: '2026-02-01', amount: 100 }]),
    () => provision({ labels: ['a'], exposures: [100], rates: ['1'], currency: 'USD' }),
    () => provision({ labels: ['a'], exposures: ['100.00'], rates: [1], currency: 'USD' }),
    () => agingProvision(l.aging({ asOf: '2026-06-30' }), { rates: [1, 2, 5, 10, 20, 50], currency: 'USD' }),
    () => allowanceAdjustment(4350, '3000.00'),
    () => allowanceAdjustment('4350.00', -700),
    () => rollRatesFromHistory([[1000, 200], ['1100', '150']]),
    () => lossRates(['30', 45], '100'),
    () => lossRates(['30'], 100),
    () => l.rollRates({ periodEnds: ['2026-05-31', '2026-06-30'], currency: 'USD', finalLoss: 80 }),
  ];
  for (const fn of cases) {
    const e = throwsCode(assert, fn, 'invalid_type');
    assert.match(e.message, /expected a decimal string such as "12\.50", got the number /);
  }
  // Wrong shapes elsewhere are invalid_type too.
  throwsCode(assert, () => l.aging(), 'invalid_type');
  throwsCode(assert, () => l.aging({}), 'invalid_type');
  throwsCode(assert, () => l.aging({ asOf: '2026-06-30', buckets: ['30'] }), 'invalid_type');
  throwsCode(assert, () => l.metrics({ start: '2026-04-01' }), 'invalid_type');
  throwsCode(assert, () => l.metrics({ start: '2026-04-01', end: '2026-06-30', cei: { monthlyAverage: '3' } }), 'invalid_type');
  throwsCode(assert, () => dsoPeriodEnd('1', '1', '30'), 'invalid_type');
});

test('loss rates and roll-rate history are checked', () => {
  // A final loss or roll rate outside 0-100 %, and period ends out of order, are refused.
  throwsCode(assert, () => lossRates(['10'], '101'), 'invalid_value');
  throwsCode(assert, () => lossRates(['-1'], '100'), 'invalid_value');
  const ledger = agingBook();
  throwsCode(assert, () => ledger.rollRates({ periodEnds: ['2026-04-30', '2026-03-31'], currency: 'USD' }), 'invalid_value');
});
