// The books of the credit and worklist tests, worked by hand in
// ar-core/tests/credit_control.rs and ar-core/tests/worklist.rs; shared with
// the layer test.
import * as ar from '../index.js';

/** ACME, limit 10,000.00; INV-1 of 6,000.00 due March 31 (net 30). */
export function acme() {
  const l = new ar.Ledger();
  l.registerCustomer({ id: 'ACME', name: 'Acme', currency: 'USD', creditLimit: '10000.00' });
  l.issueInvoice({ id: 'INV-1', customer: 'ACME', date: '2026-03-01', lines: [{ quantity: '1', unitPrice: '6000.00' }], terms: 'net 30' });
  return l;
}

/** Eight customers: A to D Ann's, E to H Bob's. */
export function worklistBook() {
  const l = new ar.Ledger();
  for (const c of 'ABCDEFGH') {
    l.registerCustomer({ id: c, name: `Customer ${c}`, currency: 'USD', dimensions: { collector: c < 'E' ? 'ann' : 'bob' } });
  }
  const invoice = (customer, id, date, amount) =>
    l.issueInvoice({ id, customer, date, lines: [{ quantity: '1', unitPrice: amount }], terms: date === '2026-02-01' ? 'net 28' : 'net 30' });
  const pay = (customer, id, date, amount) => {
    l.recordReceipt({ id: `R-${id}`, date, amount, currency: 'USD', customer });
    l.apply({ invoice: id, amount, date, receipt: `R-${id}` });
  };
  const promise = (id, customer, invoice, amount, due, on) =>
    l.recordPromise({ id, customer, items: [{ invoice }], amount, due }, on);
  // History: B paid 400.00 ten days late; G 200.00 on time and 200.00 five
  // days late (all due March 1).
  invoice('B', 'B0', '2026-02-01', '400.00');
  invoice('G', 'G0', '2026-02-01', '200.00');
  invoice('G', 'G00', '2026-02-01', '200.00');
  pay('B', 'B0', '2026-03-11', '400.00');
  pay('G', 'G0', '2026-03-01', '200.00');
  pay('G', 'G00', '2026-03-06', '200.00');
  invoice('A', 'A1', '2026-03-01', '1000.00');
  invoice('B', 'B1', '2026-03-16', '600.00');
  invoice('C', 'C1', '2026-03-21', '500.00');
  invoice('D', 'D1', '2026-03-26', '2000.00');
  invoice('E', 'E1', '2026-04-15', '300.00');
  invoice('F', 'F1', '2026-03-02', '800.00');
  invoice('G', 'G1', '2026-01-30', '100.00');
  invoice('H', 'H1', '2026-03-30', '1200.00');
  l.setDispute({ invoice: 'D1', disputed: true, date: '2026-04-26', reason: 'not delivered' });
  promise('P-C', 'C', 'C1', '500.00', '2026-04-22', '2026-04-10'); // broken
  promise('P-F', 'F', 'F1', '800.00', '2026-05-05', '2026-04-20'); // open
  return l;
}
