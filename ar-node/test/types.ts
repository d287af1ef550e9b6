// Type-level test of the generated index.d.ts: compiled with `tsc --noEmit` in
// strict mode (see tsconfig.json), never run. Every `@ts-expect-error` below
// must really be an error, so the declarations cannot silently loosen.
import {
  ERROR_CODES,
  Ledger,
  allocate,
  computeTotals,
  minorUnits,
  roundAmount,
  schedule,
  version,
} from '../index.js';
import type {
  Application,
  Balance,
  CommandMeta,
  InvoiceStatus,
  InvoiceTotals,
  InvoiceView,
  IssueInvoiceOptions,
  LedgerEvent,
  Line,
  OpenItem,
  OpenItemKind,
  Outcome,
  PaymentMethod,
  RoundingPolicy,
  ScheduledInstallment,
  SourceView,
  Terms,
  View,
} from '../index.js';

const v: string = version();
// @ts-expect-error version() takes no arguments
version(1);

// Free functions: amounts are strings in and out.
const parts: string[] = allocate('100.00', ['1', '1', '1'], 'USD');
// @ts-expect-error a number is not an amount
allocate(100, ['1'], 'USD');
// @ts-expect-error weights are decimal strings too
allocate('100.00', [1, 1], 'USD');
const rounded: string = roundAmount('0.125', 'USD', 'half_even');
const policy: RoundingPolicy = 'half_away_from_zero';
roundAmount('0.125', 'USD', policy);
// @ts-expect-error unknown rounding policy
roundAmount('0.125', 'USD', 'half_up');
const minor: number = minorUnits('JPY');

const line: Line = { description: 'Widget', quantity: '2', unitPrice: '59.50', taxes: [{ code: 'VAT19', rate: '19' }] };
// @ts-expect-error unitPrice is a decimal string, not a number
const badLine: Line = { quantity: '1', unitPrice: 59.5 };
const totals: InvoiceTotals = computeTotals({ lines: [line], currency: 'USD', taxMode: 'inclusive', taxRounding: 'per_document' });
const total: string = totals.total;
// @ts-expect-error taxMode is 'exclusive' | 'inclusive'
computeTotals({ lines: [line], currency: 'USD', taxMode: 'gross' });

const terms: Terms = { installments: [{ due: 'net 30', percent: '50' }, { due: 'net 60', remainder: true }] };
const plan: ScheduledInstallment[] = schedule({ terms, invoiceDate: '2026-01-01', total: '100.00', currency: 'USD' });
const firstDue: string | undefined = plan[0]?.dueDate;
const offer: string | undefined = schedule({ terms: '2/10 net 30', invoiceDate: '2026-03-01', total: '154.70', currency: 'USD' })[0]?.discount?.amount;

// The ledger.
const ledger = new Ledger();
const meta: CommandMeta = { recorded: '2026-03-01T08:00:00Z', idempotencyKey: 'acme-1' };
const out: Outcome = ledger.registerCustomer({ id: 'ACME', name: 'Acme Corp', currency: 'USD', terms: '2/10 net 30' }, meta);
const replayed: boolean = out.replayed;
const event: LedgerEvent | undefined = out.events[0];
const seq: number | undefined = event?.seq;
const invoice: IssueInvoiceOptions = { id: 'INV-1', customer: 'ACME', date: '2026-03-01', lines: [line], taxMode: 'inclusive' };
ledger.issueInvoice(invoice);
const method: PaymentMethod = 'check';
ledger.recordReceipt({ id: 'R1', customer: 'ACME', date: '2026-03-08', amount: '100.00', currency: 'USD', method });
// @ts-expect-error a number passed as an amount
ledger.recordReceipt({ id: 'R2', date: '2026-03-08', amount: 100, currency: 'USD' });
// @ts-expect-error unknown payment method
ledger.recordReceipt({ id: 'R2', date: '2026-03-08', amount: '100.00', currency: 'USD', method: 'bitcoin' });
ledger.apply({ receipt: 'R1', invoice: 'INV-1', amount: '100.00', date: '2026-03-08' });
// @ts-expect-error the options object is required
ledger.apply();
ledger.applyFifo({ date: '2026-03-09', receipt: 'R1' });
ledger.issueCreditMemo({ id: 'CM-1', customer: 'ACME', date: '2026-03-09', against: 'INV-1', lines: [{ line: 1 }] });
ledger.writeOff({ invoice: 'INV-1', date: '2026-06-30', reason: 'bankrupt', amount: '1.00' });
ledger.refund({ creditMemo: 'CM-1', amount: '1.00', date: '2026-03-10', method: 'ach' });
ledger.executeJson('{"type":"void_invoice","invoice":"INV-1","date":"2026-03-07"}', { recorded: '2026-03-07T09:00:00Z' });

const view: View = { asOf: '2026-03-11', knownAt: '2026-03-11T12:00:00Z' };
const items: OpenItem[] = ledger.openItems(view);
const kind: OpenItemKind | undefined = items[0]?.kind;
const balances: Balance[] = ledger.balances();
const net: string | undefined = ledger.customerBalance('ACME', { asOf: '2026-03-08' })[0]?.net;
const inv: InvoiceView = ledger.invoice('INV-1');
const status: InvoiceStatus = inv.status;
const isPaid: boolean = status === 'paid';
// @ts-expect-error statuses are a closed set
const isBogus: boolean = status === 'settled';
const discount: string | undefined = inv.installments[0]?.discount?.amount;
const receipt: SourceView = ledger.receipt('R1');
const open: string = receipt.open;
const apps: Application[] = ledger.applications();
const unappliedOn: string | undefined = apps[0]?.unappliedOn;
const events: LedgerEvent[] = ledger.events();
const count: number = ledger.length;
const copy: Ledger = Ledger.fromJson(ledger.toJson());
const codes: string[] = ERROR_CODES;

// Errors carry `code` and `family` properties (plain JS Error objects).
try {
  ledger.apply({ receipt: 'R1', invoice: 'NOPE', amount: '1.00', date: '2026-03-08' });
} catch (e) {
  const err = e as Error & { code: string; family: string };
  const code: string = err.code;
  const family: string = err.family;
  void code;
  void family;
}

export {
  v, parts, rounded, minor, badLine, total, firstDue, offer, replayed, seq, items, kind, balances, net,
  isPaid, isBogus, discount, open, unappliedOn, events, count, copy, codes,
};
