// The acceptance scenario of ar-core/tests/scenario.rs, built through the Node
// binding. Same commands, same dates, same recorded times, so the same figures.
//
// Customer ACME, USD, 2/10 net 30:
// - INV-1, 2026-03-01, tax-inclusive at 19 %: 2 x 59.50 = 119.00 gross (tax
//   19.00, net 100.00) and 1 x 35.70 gross (tax 5.70, net 30.00). Total 154.70;
//   due 2026-03-31; 2 % discount 3.09 until 03-11.
// - INV-2, 2026-03-05: 200.00, no tax.
// - INV-3, 2026-03-06: 50.00; voided 03-07.
// - INV-4, 2026-03-02: 500.00; paid 03-10 by R3 490.00 + 10.00 discount.
// - R1 100.00 on 03-08, applied to INV-1: INV-1 54.70 open.
// - CM-1 on 03-09 credits INV-1 line 1 (35.70) and is applied: INV-1 19.00.
// - R2 250.00 on 03-10: 200.00 to INV-2 (paid), 19.00 to INV-1 (paid), 31.00
//   left over. The 19.00 is unapplied on 03-12 (recorded 03-12).
//
// Final: INV-1 19.00 open, R2 50.00 unapplied, net -31.00.
import { ArError, Ledger } from '../index.js';

/** Command metadata recorded at `recorded`. */
export const at = (recorded) => ({ recorded });

export function build() {
  const l = new Ledger();
  l.registerCustomer(
    { id: 'ACME', name: 'Acme Corp', currency: 'USD', terms: '2/10 net 30' },
    at('2026-03-01T08:00:00Z'),
  );
  l.issueInvoice(
    {
      id: 'INV-1',
      customer: 'ACME',
      date: '2026-03-01',
      taxMode: 'inclusive',
      lines: [
        { description: 'Widget', quantity: '2', unitPrice: '59.50', taxes: [{ code: 'VAT19', rate: '19' }] },
        { description: 'Service', quantity: '1', unitPrice: '35.70', taxes: [{ code: 'VAT19', rate: '19' }] },
      ],
    },
    at('2026-03-01T09:00:00Z'),
  );
  const simple = (id, date, amount) => ({
    id,
    customer: 'ACME',
    date,
    lines: [{ description: 'Goods', quantity: '1', unitPrice: amount }],
  });
  l.issueInvoice(simple('INV-4', '2026-03-02', '500.00'), at('2026-03-02T09:00:00Z'));
  l.issueInvoice(simple('INV-2', '2026-03-05', '200.00'), at('2026-03-05T09:00:00Z'));
  l.issueInvoice(simple('INV-3', '2026-03-06', '50.00'), at('2026-03-06T09:00:00Z'));
  l.voidInvoice({ invoice: 'INV-3', date: '2026-03-07', reason: 'issued in error' }, at('2026-03-07T09:00:00Z'));
  const receipt = (id, date, amount) => ({ id, customer: 'ACME', date, amount, currency: 'USD', method: 'check' });
  l.recordReceipt(receipt('R1', '2026-03-08', '100.00'), at('2026-03-08T09:00:00Z'));
  l.apply({ id: 'A1', receipt: 'R1', invoice: 'INV-1', amount: '100.00', date: '2026-03-08' }, at('2026-03-08T09:01:00Z'));
  l.issueCreditMemo(
    {
      id: 'CM-1',
      customer: 'ACME',
      date: '2026-03-09',
      against: 'INV-1',
      lines: [{ line: 1 }],
      reason: 'service not rendered',
    },
    at('2026-03-09T09:00:00Z'),
  );
  l.apply({ id: 'A2', creditMemo: 'CM-1', invoice: 'INV-1', amount: '35.70', date: '2026-03-09' }, at('2026-03-09T09:01:00Z'));
  l.recordReceipt(receipt('R3', '2026-03-10', '490.00'), at('2026-03-10T09:00:00Z'));
  l.apply(
    { id: 'A3', receipt: 'R3', invoice: 'INV-4', amount: '490.00', discount: '10.00', date: '2026-03-10' },
    at('2026-03-10T09:01:00Z'),
  );
  l.recordReceipt(receipt('R2', '2026-03-10', '250.00'), at('2026-03-10T10:00:00Z'));
  l.apply({ id: 'A4', receipt: 'R2', invoice: 'INV-2', amount: '200.00', date: '2026-03-10' }, at('2026-03-10T10:01:00Z'));
  l.apply({ id: 'A5', receipt: 'R2', invoice: 'INV-1', amount: '19.00', date: '2026-03-10' }, at('2026-03-10T10:02:00Z'));
  l.unapply({ application: 'A5', date: '2026-03-12', reason: 'wrong invoice' }, at('2026-03-12T09:00:00Z'));
  return l;
}

/**
 * Runs `fn`, which must throw an ar error with `code`; returns the error.
 * Checks the shape every ar error has: an `Error` with `code`, `family` and a
 * message starting with the code.
 */
export function throwsCode(assert, fn, code) {
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof Error, `expected an Error with code ${code}, nothing was thrown`);
  assert.ok(caught instanceof ArError, `expected an ArError, got ${caught}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(typeof caught.family, 'string');
  assert.ok(caught.message.startsWith(`${code}: `), caught.message);
  return caught;
}

/** `rows` as columns: one array per property of any row (`undefined` where a row has none). */
export function columns(rows) {
  const out = {};
  for (const key of new Set(rows.flatMap((r) => Object.keys(r)))) out[key] = rows.map((r) => r[key]);
  return out;
}
