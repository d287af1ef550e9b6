// The books of ar-core/tests/reports.rs, built through the Node binding. Same
// commands, same dates, same recorded times, so the same hand-worked figures.
import { Ledger } from '../index.js';
import { at } from './scenario.mjs';

const OPENING = at('2026-01-01T00:00:00Z');

/** A register / invoice / pay helper over a fresh ledger. */
function builder() {
  const l = new Ledger();
  const currencies = new Map();
  return {
    l,
    customer(id, currency, region) {
      currencies.set(id, currency);
      l.registerCustomer({ id, name: id, currency, ...(region ? { dimensions: { region } } : {}) }, OPENING);
    },
    invoice(id, customer, date, amount, terms = 'net 30') {
      l.issueInvoice({ id, customer, date, terms, lines: [{ description: 'x', quantity: '1', unitPrice: amount }] }, OPENING);
    },
    pay(receipt, customer, date, amount, applied, recorded) {
      const currency = currencies.get(customer);
      l.recordReceipt({ id: receipt, customer, date, amount, currency, method: 'wire' }, at(recorded));
      for (const [invoice, paid] of applied) {
        l.apply({ receipt, invoice, amount: paid, date }, at(recorded));
      }
    },
  };
}

/**
 * As of 2026-06-30, due-date basis, default buckets:
 *
 * | item | due | days | bucket | open |
 * |---|---|---|---|---|
 * | A I1 100.00 | 07-10 | -10 | current | 100.00 |
 * | A I2 200.00 | 05-31 | 30 | 1-30 | 200.00 |
 * | A I3 300.00, 50.00 paid 06-20 | 03-31 | 91 | 91-120 | 250.00 |
 * | A I7 90.00 in 3 x 30.00 | 06-14 / 07-14 / 08-13 | 16 / -14 / -44 | 1-30, current, current | 90.00 |
 * | B I4 400.00 | 02-14 | 136 | over 120 | 400.00 |
 * | B I5 500.00, 100.00 paid 06-25 (recorded 07-10) | 05-15 | 46 | 31-60 | 400.00 |
 * | C I6 EUR 600.00 | 05-01 | 60 | 31-60 | 600.00 |
 *
 * A (region EMEA) has a 25.00 standalone credit; B's (AMER) 170.00 receipt
 * leaves 70.00 unapplied; C has no region. A's I2 gets 100.00 on 07-05,
 * after the as-of date.
 */
export function agingBook() {
  const b = builder();
  b.customer('A', 'USD', 'EMEA');
  b.customer('B', 'USD', 'AMER');
  b.customer('C', 'EUR');
  b.invoice('I1', 'A', '2026-06-10', '100.00');
  b.invoice('I2', 'A', '2026-05-01', '200.00');
  b.invoice('I3', 'A', '2026-03-01', '300.00');
  b.invoice('I4', 'B', '2026-01-15', '400.00');
  b.invoice('I5', 'B', '2026-04-15', '500.00');
  b.invoice('I6', 'C', '2026-04-01', '600.00');
  b.invoice('I7', 'A', '2026-05-15', '90.00', {
    installments: [{ due: 'net 30' }, { due: 'net 60' }, { due: 'net 90' }],
  });
  b.l.issueCreditMemo({ id: 'CM1', customer: 'A', date: '2026-06-01', amount: '25.00' }, at('2026-06-01T00:00:00Z'));
  b.pay('RA', 'A', '2026-06-20', '50.00', [['I3', '50.00']], '2026-06-20T12:00:00Z');
  b.pay('RA2', 'A', '2026-07-05', '100.00', [['I2', '100.00']], '2026-07-05T12:00:00Z');
  b.pay('RB', 'B', '2026-06-25', '170.00', [['I5', '100.00']], '2026-07-10T12:00:00Z');
  return b.l;
}

/**
 * Customer D, period 2026-04-01 to 06-30 (91 days):
 * J1 03-15 1,000.00 due 04-14, paid 04-20; J2 04-10 2,000.00 due 05-10,
 * 1,500.00 paid 05-05; J3 05-20 3,000.00 due 06-19; J4 06-25 600.00 due 07-25.
 */
export function metricsBook() {
  const b = builder();
  b.customer('D', 'USD');
  b.invoice('J1', 'D', '2026-03-15', '1000.00');
  b.invoice('J2', 'D', '2026-04-10', '2000.00');
  b.invoice('J3', 'D', '2026-05-20', '3000.00');
  b.invoice('J4', 'D', '2026-06-25', '600.00');
  b.pay('P1', 'D', '2026-04-20', '1000.00', [['J1', '1000.00']], '2026-04-20T00:00:00Z');
  b.pay('P2', 'D', '2026-05-05', '1500.00', [['J2', '1500.00']], '2026-05-05T00:00:00Z');
  return b.l;
}

/**
 * `value` (a decimal string) rounded half away from zero to `dp` places, as
 * a string: exact, on the digits, never through a JS number.
 */
export function roundDecimal(value, dp) {
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(value);
  if (!m) throw new Error(`not a decimal: ${value}`);
  const [, sign, int, frac = ''] = m;
  const digits = BigInt(int + frac.padEnd(dp, '0').slice(0, dp));
  const roundUp = (frac[dp] ?? '0') >= '5';
  const units = (digits + (roundUp ? 1n : 0n)).toString().padStart(dp + 1, '0');
  const text = dp === 0 ? units : `${units.slice(0, -dp)}.${units.slice(-dp)}`;
  return sign && /[1-9]/.test(units) ? `-${text}` : text;
}

/** The exact sum of decimal strings, as a string with the largest scale given. */
export function sumDecimals(values) {
  const scale = Math.max(0, ...values.map((v) => (v.split('.')[1] ?? '').length));
  let units = 0n;
  for (const v of values) {
    const [int, frac = ''] = v.replace('-', '').split('.');
    const u = BigInt(int + frac.padEnd(scale, '0'));
    units += v.startsWith('-') ? -u : u;
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
