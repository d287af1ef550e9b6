// Type-level test of the generated index.d.ts: compiled with `tsc --noEmit` in
// strict mode (see tsconfig.json), never run. Every `@ts-expect-error` below
// must really be an error, so the declarations cannot silently loosen.
import {
  Book,
  discountCost,
  discountCostOfTerms,
  formatAmount,
  interestRule,
  lateInterest,
  renderNotice,
  ERROR_CODES,
  LIMITS,
  Ledger,
  snapshotInfo,
  Matcher,
  agingProvision,
  allocate,
  allowanceAdjustment,
  arTurnover,
  averageDaysDelinquent,
  bestPossibleDso,
  cei,
  computeTotals,
  creditorReference,
  dsoAverage,
  dsoCountback,
  dsoPeriodEnd,
  lossRates,
  matchReceipts,
  minorUnits,
  parseRemittance,
  paymentTiming,
  percentCurrent,
  percentPastDue,
  provision,
  rollRatesFromHistory,
  roundAmount,
  schedule,
  version,
} from '../index.js';
import type {
  ClosePolicy,
  DiscountBase,
  DiscountSplit,
  GlLine,
  Journal,
  JournalOptions,
  ReconcileCause,
  ReconcileRow,
  Role,
  TrialBalanceRow,
  Limits,
  AgeBasis,
  AgingLine,
  AgingOptions,
  AgingReport,
  AgingRow,
  AllowanceAdjustment,
  Application,
  ApplicationColumns,
  ApplicationRecord,
  Balance,
  BookTables,
  CommandMeta,
  CreditMemoColumns,
  CreditMemoRecord,
  CustomerColumns,
  CustomerRecord,
  InvoiceColumns,
  InvoiceRecord,
  InvoiceStatus,
  InvoiceTotals,
  InvoiceView,
  IssueInvoiceOptions,
  ItemKind,
  LedgerCustomerColumns,
  LedgerCustomerRecord,
  LedgerEvent,
  LedgerTables,
  Line,
  MatchBatch,
  MatchCustomer,
  MatchItem,
  MatchOptions,
  MatchReceipt,
  MatchStatus,
  MetricsOptions,
  MetricsRow,
  OpenColumns,
  OpenItem,
  OpenItemKind,
  OpenRecord,
  Outcome,
  PayerBasis,
  PaymentMethod,
  PaymentTiming,
  Proposal,
  ProposedApplication,
  Provision,
  ProvisionLine,
  Reason,
  ReasonCode,
  ReceiptMatch,
  Reference,
  ReferenceKind,
  Remittance,
  RollRates,
  RoundingPolicy,
  ScheduledInstallment,
  SettlementColumns,
  SettlementKind,
  SettlementRecord,
  SourceKind,
  SourceView,
  SummaryRow,
  Terms,
  Tolerance,
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
const snap: Buffer = ledger.snapshot();
const snapInfo: SnapshotInfo = snapshotInfo(snap);
const restored: Ledger = Ledger.restore(snap, ledger.logLines(snapInfo.events));
const restoredLater: Promise<Ledger> = Ledger.restoreAsync(snap);
const snapHead: string = snapInfo.chainHead;
// @ts-expect-error a snapshot is bytes, not text
Ledger.restore('snapshot');
const codes: string[] = ERROR_CODES;

// Reports: aging.
const agingOptions: AgingOptions = { asOf: '2026-06-30', basis: 'invoice_date', buckets: [30, 60, 90], groupBy: ['customer.region'], detail: true };
const report: AgingReport = ledger.aging(agingOptions);
const basis: AgeBasis = report.basis;
const agingRow: AgingRow | undefined = report.totals[0];
const bucketAmount: string | undefined = agingRow?.buckets[0];
const itemCount: number | undefined = agingRow?.items;
const agingLine: AgingLine | undefined = report.detail[0];
const lineBucket: number | undefined = agingLine?.bucket;
const lineKind: OpenItemKind | undefined = agingLine?.kind;
ledger.aging({ asOf: '2026-06-30', knownAt: '2026-07-01T00:00:00Z' });
// @ts-expect-error asOf is required
ledger.aging({ basis: 'due_date' });
// @ts-expect-error the basis is 'due_date' | 'invoice_date'
ledger.aging({ asOf: '2026-06-30', basis: 'paid_date' });
// @ts-expect-error bucket bounds are numbers of days
ledger.aging({ asOf: '2026-06-30', buckets: ['30'] });
// @ts-expect-error groupBy is a list of keys
ledger.aging({ asOf: '2026-06-30', groupBy: 'customer' });
// In a functional currency; the held customers are listed.
const usdReport: AgingReport = ledger.aging({ asOf: '2026-06-30', rates: { functional: 'USD', rates: [] }, ratesDate: '2026-06-30' });
const held: string[] = usdReport.creditHolds;
// @ts-expect-error rates are a table, not a number
ledger.aging({ asOf: '2026-06-30', rates: 1.1 });
const rendered: string = ledger.renderStatements({ from: '2026-06-01', to: '2026-06-30', company: { name: 'W' }, format: 'text' });
// @ts-expect-error the format is 'html' | 'text'
ledger.renderStatements({ from: '2026-06-01', to: '2026-06-30', company: { name: 'W' }, format: 'pdf' });

// Metrics: values are decimal strings or null, never numbers.
const metricsOptions: MetricsOptions = { start: '2026-04-01', end: '2026-06-30', cei: { monthlyAverage: 3 }, countbackMonths: 6 };
const metricsRows: MetricsRow[] = ledger.metrics(metricsOptions);
ledger.metrics({ start: '2026-04-01', end: '2026-06-30', cei: 'period_sales', groupBy: ['customer'] });
const dso: string | null | undefined = metricsRows[0]?.dsoPeriodEnd;
const creditSales: string | undefined = metricsRows[0]?.creditSales;
const timing: PaymentTiming | undefined = metricsRows[0]?.timing;
const weighted: string | null | undefined = timing?.weightedDaysToPay;
// @ts-expect-error a metric may be null
const notNull: string | undefined = metricsRows[0]?.cei;
// @ts-expect-error the CEI variant is 'period_sales' or {monthlyAverage}
ledger.metrics({ start: '2026-04-01', end: '2026-06-30', cei: 'monthly_average' });

// Roll rates, provisions.
const rr: RollRates = ledger.rollRates({ periodEnds: ['2026-05-31', '2026-06-30'], currency: 'USD', finalLoss: '80', buckets: [0, 30, 60] });
const roll: Array<string | null> = rr.roll;
const history: string[][] = rr.history;
// @ts-expect-error finalLoss is a decimal string
ledger.rollRates({ periodEnds: ['2026-05-31', '2026-06-30'], currency: 'USD', finalLoss: 80 });
const prov: Provision = provision({ labels: ['current'], exposures: ['100.00'], rates: ['1'], currency: 'USD', rounding: 'half_even' });
const provLine: ProvisionLine | undefined = prov.lines[0];
// @ts-expect-error exposures are decimal strings
provision({ labels: ['current'], exposures: [100], rates: ['1'], currency: 'USD' });
const fromReport: string = agingProvision(report, { rates: report.labels.map(() => '1'), currency: 'USD' }).total;
// @ts-expect-error the report comes first
agingProvision({ rates: ['1'], currency: 'USD' });
const adjustment: AllowanceAdjustment = allowanceAdjustment('4350.00', '-700.00');
// @ts-expect-error amounts are strings
allowanceAdjustment(4350, '0');
const rolled: Array<string | null> = rollRatesFromHistory([['1000', '200'], ['1100', '150']]);
const losses: Array<string | null> = lossRates(rolled, '100');
lossRates([null, '30'], '100');

// Terms and discounts.
const fixedTerms = { due: 'net 30, day 10 of next month', discountAmount: '50.00', discountDays: 10 };
const base: DiscountBase | undefined = schedule({ terms: fixedTerms, invoiceDate: '2026-03-01', total: '154.70', currency: 'USD' })[0]?.discount?.base;
// @ts-expect-error a discount's base is total, untaxed or mixed
schedule({ terms: { due: 'net 30', discountPercent: '2', discountDays: 10, discountBase: 'gross' }, invoiceDate: '2026-03-01', total: '1.00', currency: 'USD' });
const split: DiscountSplit = ledger.discountSplit('INV-1', 1, '1.00');
const splitTax: string | undefined = split.taxes[0]?.taxable;
// @ts-expect-error the discount is a decimal string
ledger.discountSplit('INV-1', 1, 1);
ledger.writeOffSource({ receipt: 'R1', date: '2026-04-01', reason: 'small overpayment' });
const source: SourceView = ledger.receipt('R1');
const writtenOff: string = source.writtenOff;
// @ts-expect-error the amount is a decimal string
ledger.writeOffSource({ receipt: 'R1', date: '2026-04-01', reason: 'x', amount: 0.05 });

// Accounting.
const journalOptions: JournalOptions = {
  rules: { accounts: { receivable: '1200' }, overrides: [{ role: 'cash', account: '1010', method: 'wire', dimension: ['region', 'EU'] }] },
  rates: { functional: 'USD', rates: [{ currency: 'EUR', date: '2026-01-01', rate: '1.10' }] },
};
const journal: Journal = ledger.journal(journalOptions, { asOf: '2026-03-31' });
const role: Role | undefined = journal.entries[0]?.lines[0]?.role;
const functionalCurrency: string | undefined = journal.functional;
const csv: string = ledger.journalCsv(null, { asOf: '2026-03-31' });
const tb: TrialBalanceRow[] = ledger.trialBalance();
const gl: GlLine[] = [{ account: '1200', currency: 'USD', date: '2026-03-31', amount: '100.00' }];
const rec: ReconcileRow[] = ledger.reconcileGl(gl, journalOptions, { asOf: '2026-03-31' });
const cause: ReconcileCause | undefined = rec[0]?.items[0]?.cause;
// @ts-expect-error a GL amount is a decimal string
ledger.reconcileGl([{ account: '1200', currency: 'USD', date: '2026-03-31', amount: 100 }]);
// @ts-expect-error an account belongs to a role
const badRules: JournalOptions = { rules: { accounts: { bank: '1010' } } };
const closePolicy: ClosePolicy = 'move_to_open_day';
ledger.closePeriod({ upTo: '2026-03-31', policy: closePolicy });
ledger.reopenPeriod({ from: '2026-03-01', reason: 'late bank file' });
const digest: string = ledger.periodDigest('2026-03-31', '2026-04-01T00:00:00Z');
ledger.bookAllowance({ date: '2026-03-31', currency: 'USD', amount: '100.00' });
ledger.revalue({ date: '2026-03-31', rates: [{ currency: 'EUR', rate: '1.13' }] });
// @ts-expect-error closing rates are decimal strings
ledger.revalue({ date: '2026-03-31', rates: [{ currency: 'EUR', rate: 1.13 }] });

// Metrics from plain numbers.
const pe: string | null = dsoPeriodEnd('300000', '900000', 90);
// @ts-expect-error the result may be null
const peStrict: string = dsoPeriodEnd('300000', '900000', 90);
// @ts-expect-error amounts are strings
dsoPeriodEnd(300000, '900000', 90);
const avg: string | null = dsoAverage('240000', '300000', '900000', 90);
const cb: string | null = dsoCountback('250000', [{ creditSales: '100000', days: 31 }]);
const bp: string | null = bestPossibleDso('180000', '900000', 90);
const add: string = averageDaysDelinquent('30', '18');
const c1: string | null = cei('100', '300', '120', '70');
const c2: string | null = cei('100', '300', '120', '70', { monthlyAverage: 3 });
// @ts-expect-error unknown CEI variant
cei('100', '300', '120', '70', 'monthly');
const turnover: string | null = arTurnover('900000', '240000', '300000');
const pc: string | null = percentCurrent('180000', '300000');
const ppd: string | null = percentPastDue('180000', '300000');
const pt: PaymentTiming = paymentTiming([{ invoiceDate: '2026-01-01', dueDate: '2026-01-31', paidDate: '2026-02-15', amount: '100.00' }]);
const ptCount: number = pt.payments;

// Books given as tables: arrays of records or objects of columns, amounts as strings.
const invoiceRecord: InvoiceRecord = { id: 'J1', customer: 'D', date: '2026-03-15', dueDate: '2026-04-14', amount: '1000.00' };
const settlementKind: SettlementKind = 'write_off';
const settlementRecord: SettlementRecord = { invoice: 'J1', date: '2026-04-20', amount: '1000.00', kind: settlementKind };
const openRecord: OpenRecord = { id: 'R9', customer: null, date: '2026-06-15', amount: '70.00' };
const tables: BookTables = {
  invoices: [{ ...invoiceRecord, region: 'N' }, { ...invoiceRecord, id: 'J2', currency: 'EUR', region: null }],
  settlements: [settlementRecord],
  openCredits: [{ id: 'CM1', customer: 'D', date: '2026-06-01', amount: '50.00', currency: 'USD' }],
  unappliedCash: [openRecord],
  customers: [{ id: 'D', region: 'N', salesRep: null }, { id: 'E' }],
  currency: 'USD',
  dimensions: ['region'],
  customerDimensions: ['region', 'salesRep'],
};
const book = new Book(tables);
const invoiceCount: number = book.invoiceCount;
const bookAging: AgingReport = book.aging({ asOf: '2026-06-30', groupBy: ['invoice.region'], basis: 'due_date', buckets: [0, 30], detail: true });
const bookMetrics: MetricsRow[] = book.metrics({ start: '2026-04-01', end: '2026-06-30', cei: { monthlyAverage: 3 } });
const invoiceColumns: InvoiceColumns = { id: ['J1'], customer: ['D'], date: ['2026-03-15'], dueDate: ['2026-04-14'], amount: ['1000.00'] };
const settlementColumns: SettlementColumns = { invoice: ['J1'], date: ['2026-04-20'], amount: ['1000.00'], kind: ['payment', null] };
const openColumns: OpenColumns = { id: ['R9'], customer: [null], date: ['2026-06-15'], amount: ['70.00'], currency: ['USD'] };
new Book({ invoices: { ...invoiceColumns, region: ['N'] }, settlements: settlementColumns, unappliedCash: openColumns, currency: 'USD', dimensions: ['region'] });
const customerRecord: CustomerRecord = { id: 'D' };
const customerColumns: CustomerColumns = { id: ['D', 'E'] };
new Book({ invoices: [{ ...invoiceRecord }], customers: [{ ...customerRecord }], currency: 'USD' });
new Book({ invoices: [{ ...invoiceRecord }], customers: { ...customerColumns, region: ['N', null] }, customerDimensions: ['region'], currency: 'USD' });
book.aging({ asOf: '2026-06-30', groupBy: ['customer.region', 'invoice.region'] });
// @ts-expect-error a customer record needs its id
new Book({ invoices: [{ ...invoiceRecord }], customers: [{ region: 'N' }], customerDimensions: ['region'], currency: 'USD' });
// @ts-expect-error a customer dimension is a string (or null)
new Book({ invoices: [{ ...invoiceRecord }], customers: [{ id: 'D', region: 7 }], customerDimensions: ['region'], currency: 'USD' });
// @ts-expect-error a column of customer dimension values holds strings (or null)
new Book({ invoices: [{ ...invoiceRecord }], customers: { id: ['D'], region: [7] }, customerDimensions: ['region'], currency: 'USD' });
// @ts-expect-error customerDimensions lists names
new Book({ invoices: [{ ...invoiceRecord }], customers: [{ ...customerRecord }], customerDimensions: 'region', currency: 'USD' });
// @ts-expect-error an amount is a decimal string, not a number
new Book({ invoices: [{ ...invoiceRecord, amount: 1000 }], currency: 'USD' });
// @ts-expect-error a column of amounts holds decimal strings
new Book({ invoices: { ...invoiceColumns, amount: [1000] }, currency: 'USD' });
// @ts-expect-error the invoices are required
new Book({ settlements: [settlementRecord], currency: 'USD' });
// @ts-expect-error settlement kinds are a closed set
new Book({ invoices: [{ ...invoiceRecord }], settlements: [{ ...settlementRecord, kind: 'refund' }], currency: 'USD' });
// @ts-expect-error a book given as tables has no recorded times
book.aging({ asOf: '2026-06-30', knownAt: '2026-07-01T00:00:00Z' });
// @ts-expect-error nor for metrics
book.metrics({ start: '2026-04-01', end: '2026-06-30', knownAt: '2026-07-01T00:00:00Z' });
// @ts-expect-error the count is read-only
book.invoiceCount = 3;

// Ledgers from tables: the same records or columns, a static factory.
const ledgerCustomer: LedgerCustomerRecord = { id: 'ACME', name: null, currency: 'USD', terms: 'net 30' };
const creditMemoRecord: CreditMemoRecord = { id: 'CM1', customer: 'ACME', date: '2026-05-15', amount: '50.00', against: null };
const applicationRecord: ApplicationRecord = { receipt: 'R1', invoice: 'J1', date: '2026-05-20', amount: '40.00', discount: null };
const ledgerTables: LedgerTables = {
  customers: [{ ...ledgerCustomer, region: 'N' }, { id: 'BETA', region: null }],
  invoices: [{ ...invoiceRecord, customer: 'ACME', channel: 'web' }],
  creditMemos: [creditMemoRecord],
  receipts: [{ ...openRecord, customer: 'ACME' }],
  applications: [applicationRecord, { creditMemo: 'CM1', invoice: 'J1', date: '2026-05-20', amount: '50.00' }],
  currency: 'USD',
  dimensions: ['channel'],
  customerDimensions: ['region'],
  recorded: '2026-07-01T09:00:00Z',
};
const imported: Ledger = Ledger.fromTables(ledgerTables);
const ledgerCustomerColumns: LedgerCustomerColumns = { id: ['ACME', 'BETA'], name: ['Acme Corp', null], terms: [null, '2/10 net 30'] };
const creditMemoColumns: CreditMemoColumns = { id: ['CM1'], customer: ['ACME'], date: ['2026-05-15'], amount: ['50.00'], against: ['J1'] };
const applicationColumns: ApplicationColumns = { receipt: ['R1', null], creditMemo: [null, 'CM1'], invoice: ['J1', 'J1'], date: ['2026-05-20', '2026-05-20'], amount: ['40.00', '50.00'] };
Ledger.fromTables({
  customers: { ...ledgerCustomerColumns, region: ['N', null] },
  invoices: { ...invoiceColumns },
  creditMemos: creditMemoColumns,
  receipts: openColumns,
  applications: applicationColumns,
  customerDimensions: ['region'],
});
Ledger.fromTables({ customers: [{ id: 'ACME' }], invoices: [] });
// @ts-expect-error the customers are required
Ledger.fromTables({ invoices: [invoiceRecord] });
// @ts-expect-error and so are the invoices
Ledger.fromTables({ customers: [ledgerCustomer] });
// @ts-expect-error an amount is a decimal string, not a number
Ledger.fromTables({ customers: [ledgerCustomer], invoices: [], receipts: [{ ...openRecord, amount: 40 }] });
// @ts-expect-error a column of application amounts holds decimal strings
Ledger.fromTables({ customers: [ledgerCustomer], invoices: [], applications: { ...applicationColumns, amount: [40, 50] } });
// @ts-expect-error terms are text here (not a Terms object)
Ledger.fromTables({ customers: [{ id: 'ACME', terms: { installments: [] } }], invoices: [] });
// @ts-expect-error recorded is an RFC 3339 string
Ledger.fromTables({ customers: [ledgerCustomer], invoices: [], recorded: new Date() });
// @ts-expect-error a static factory, not a method of a ledger
imported.fromTables(ledgerTables);

// Cash application: plain data in, typed plain objects out, amounts as strings.
const itemKind: ItemKind = 'credit_memo';
const matchItem: MatchItem = { kind: 'invoice', id: 'INV-1', customer: 'ACME', currency: 'USD', date: '2026-03-01', dueDate: '2026-03-31', open: '100.00' };
const discounted: MatchItem = { ...matchItem, id: 'INV-2', discount: { until: '2026-03-11', amount: '2.00' }, poNumber: 'PO-1', disputed: false, installment: 1 };
const matchReceipt: MatchReceipt = { id: 'R1', date: '2026-04-01', amount: '100.00', currency: 'USD', remittance: 'INV-1', payerName: 'ACME', account: '1234' };
const matchCustomer: MatchCustomer = { id: 'ACME', name: 'Acme Corp', aliases: ['ACME HOLDINGS'], accounts: ['1234'] };
const tolerance: Tolerance = { fixed: '25.00', percent: '2' };
const matchOptions: MatchOptions = {
  autoThreshold: 90, tolerance, fuzzy: false, maxCombination: 4, maxSearchItems: 30, maxSearchSteps: 10000, maxProposals: 5, maxRemittanceBytes: 1024,
};
const matchBatch: MatchBatch = matchReceipts([matchReceipt], [matchItem, discounted, { ...matchItem, id: 'CM-1', kind: itemKind }], [matchCustomer], matchOptions);
matchReceipts([matchReceipt], [matchItem]);
const firstMatch: ReceiptMatch | undefined = matchBatch.matches[0];
const matchStatus: MatchStatus | undefined = firstMatch?.status;
const isReview: boolean = matchStatus === 'review';
// @ts-expect-error statuses are a closed set
const isManual: boolean = matchStatus === 'manual';
const givenPayer: string | undefined = firstMatch?.givenPayer;
const bestProposal: Proposal | undefined = firstMatch?.proposals[0];
const confidence: number | undefined = bestProposal?.confidence;
const payerBasis: PayerBasis | undefined = bestProposal?.payerBasis;
const proposed: ProposedApplication | undefined = bestProposal?.applications[0];
const proposedFrom: SourceKind | undefined = proposed?.sourceKind;
const writeOff: string | undefined = proposed?.writeOff;
const openAfter: string | undefined = proposed?.openAfter;
const proposedInstallment: number | undefined = proposed?.installment;
const why: Reason | undefined = bestProposal?.reasons[0];
const reasonCode: ReasonCode | undefined = why?.code;
// @ts-expect-error reason codes are a closed set
const isGuess: boolean = reasonCode === 'guess';
const note: ReasonCode | undefined = firstMatch?.notes[0]?.code;
const summaryRow: SummaryRow | undefined = matchBatch.summary[0];
const summaryReceipts: number | undefined = summaryRow?.receipts;
// @ts-expect-error open amounts are decimal strings
matchReceipts([matchReceipt], [{ ...matchItem, open: 100 }]);
// @ts-expect-error receipt amounts are decimal strings
matchReceipts([{ ...matchReceipt, amount: 100 }], [matchItem]);
// @ts-expect-error item kinds are a closed set
matchReceipts([matchReceipt], [{ ...matchItem, kind: 'bill' }]);
// @ts-expect-error tolerances are decimal strings
matchReceipts([matchReceipt], [matchItem], [], { tolerance: { fixed: 25 } });
// @ts-expect-error the threshold is a number
matchReceipts([matchReceipt], [matchItem], [], { autoThreshold: '90' });
// @ts-expect-error items come second
matchReceipts([matchReceipt]);

const matcher = new Matcher([matchItem], [matchCustomer], matchOptions);
new Matcher([matchItem]);
const proposedMatch: ReceiptMatch = matcher.propose(matchReceipt);
const batchAgain: MatchBatch = matcher.matchBatch([matchReceipt]);
// @ts-expect-error propose takes one receipt, not a list
matcher.propose([matchReceipt]);

const remittance: Remittance = parseRemittance('INV-000123/124, PO 778 less credit 55');
const reference: Reference | undefined = remittance.references[0];
const referenceKind: ReferenceKind | undefined = reference?.kind;
const inRange: boolean | undefined = reference?.inRange;
const deductions: string[] = remittance.deductions;
const badRf: string[] = remittance.badCreditorReferences;
const rf: string = creditorReference('INV-000123');
// @ts-expect-error the reference is text
creditorReference(123);

// The ledger side: the matcher's inputs, proposals, applying one.
const ledgerItems: MatchItem[] = ledger.matchItems({ asOf: '2026-03-31' });
const ledgerReceipts: MatchReceipt[] = ledger.matchReceiptInputs();
const ledgerCustomers: MatchCustomer[] = ledger.matchCustomers();
new Matcher(ledger.matchItems(), ledger.matchCustomers()).matchBatch(ledger.matchReceiptInputs());
const ledgerBatch: MatchBatch = ledger.matchReceipts(undefined, { tolerance: { fixed: '25.00' } });
ledger.matchReceipts({ asOf: '2026-03-31' });
const oneMatch: ReceiptMatch = ledger.matchReceipt('R1', { knownAt: '2026-03-31T00:00:00Z' }, matchOptions);
const applied: Outcome[] = ledger.applyMatch(oneMatch, 0, { recorded: '2026-04-01T09:00:00Z', idempotencyKey: 'match-R1' });
ledger.applyMatch(oneMatch);
// @ts-expect-error the proposal is an index
ledger.applyMatch(oneMatch, '0');
// @ts-expect-error a match, not its receipt id
ledger.applyMatch('R1');
const executed: Outcome[] = ledger.executeAllJson(['{"type":"void_invoice","invoice":"INV-1","date":"2026-03-07"}'], { recorded: '2026-03-07T09:00:00Z' });
// @ts-expect-error a list of commands
ledger.executeAllJson('{"type":"void_invoice","invoice":"INV-1","date":"2026-03-07"}');

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

// The limits: numbers, named as JS spells them, and nothing else.
const limits: Limits = LIMITS;
const maxLines: number = LIMITS.maxLines;
const maxWeights: number = limits.maxWeights;
const everyLimit: number[] = [
  LIMITS.maxIdLen, LIMITS.maxTextLen, LIMITS.maxKeyLen, LIMITS.maxDimensions, LIMITS.maxLines,
  LIMITS.maxTaxesPerLine, LIMITS.maxInstallments, LIMITS.maxBuckets, LIMITS.maxPeriods, LIMITS.maxWeights,
];
// @ts-expect-error: a limit is a number, not a string
const limitText: string = LIMITS.maxLines;
// @ts-expect-error: there is no limit of that name (snake_case is Python's)
const snake = LIMITS.max_lines;

// ----- collections -----
const dl = new Ledger();
const rule = interestRule('uk_late_payment', [{ from: '2024-01-01', rate: '5.25' }]);
const late = lateInterest({ rule, principal: '10000.00', dueDate: '2024-02-15', through: '2024-04-15', currency: 'GBP' });
const lateDays: number = late.days;
const lateAmount: string = late.amount;
// @ts-expect-error: an amount is a decimal string, never a number
lateInterest({ rule, principal: 10000, dueDate: '2024-02-15', through: '2024-04-15', currency: 'GBP' });
// @ts-expect-error: no such preset
interestRule('france', []);
const dunning = dl.dunningRun({ id: 'p', levels: [{ days: 1, template: 't' }] }, { asOf: '2026-03-01' });
const firstNotice = dunning.notices[0];
const letterText: string | undefined = firstNotice?.text;
const skipKind = dunning.skipped[0]?.reasons[0]?.kind;
// @ts-expect-error: a reason is one of the listed kinds
const badKind: typeof skipKind = 'forgotten';
if (firstNotice) {
  dl.recordDunningNotice({ notice: firstNotice, id: 'N-1' });
  const text: string = renderNotice('{{ total }}', firstNotice);
  void text;
}
dl.openDispute({ id: 'D', invoice: 'I', reason: 'r', owner: 'o' }, '2026-03-01');
dl.resolveDispute({ dispute: 'D', date: '2026-03-02', by: 'me' });
dl.recordPromise({ id: 'P', customer: 'C', items: [{ invoice: 'I' }], amount: '1.00', due: '2026-04-01' }, '2026-03-01');
dl.agreePlan({ id: 'PL', customer: 'C', items: [{ invoice: 'I' }], instalments: [{ due: '2026-04-01', amount: '1.00' }] }, '2026-03-01');
dl.issueCharge({ id: 'F', customer: 'C', date: '2026-03-01', kind: 'fee', lines: [{ amount: '1.00' }] });
dl.applyInClearingOrder({ receipt: 'R', date: '2026-03-01' });
dl.setCollectionsHold({ customer: 'C', hold: true, date: '2026-03-01' });
const promiseStatus: 'open' | 'kept' | 'broken' | undefined = dl.promises({ asOf: '2026-03-01', broken: true })[0]?.status;
const planMissed: number | undefined = dl.plans({ asOf: '2026-03-01' })[0]?.missed;
const disputeAge: number | undefined = dl.disputes({ asOf: '2026-03-01' })[0]?.ageDays;
const summaryKey: string | undefined = dl.disputeSummary({ asOf: '2026-03-01', by: 'owner' })[0]?.key;
const cost: string = discountCost('2', 10, 30).simple360;
const termsCost: string | undefined = discountCostOfTerms('2/10 net 30', '2026-03-01')?.compounded365;
const formatted: string = formatAmount('1.5', 'EUR');

export {
  limits, maxLines, maxWeights, everyLimit, limitText, snake,
  v, parts, rounded, minor, badLine, total, firstDue, offer, replayed, seq, items, kind, balances, net,
  isPaid, isBogus, discount, open, unappliedOn, events, count, copy, codes,
  basis, bucketAmount, itemCount, lineBucket, lineKind, dso, creditSales, weighted, notNull, roll, history, provLine,
  fromReport, adjustment, losses, pe, peStrict, avg, cb, bp, add, c1, c2, turnover, pc, ppd, ptCount,
  invoiceCount, bookAging, bookMetrics,
  isReview, isManual, givenPayer, confidence, payerBasis, proposedFrom, writeOff, openAfter, proposedInstallment, isGuess, note,
  summaryReceipts, proposedMatch, batchAgain, referenceKind, inRange, deductions, badRf, rf, ledgerItems, ledgerReceipts,
  ledgerCustomers, ledgerBatch, applied, executed,
  base, split, splitTax, writtenOff, journal, role, functionalCurrency, csv, tb, rec, cause, badRules, digest,
  lateDays, lateAmount, letterText, badKind, promiseStatus, planMissed, disputeAge, summaryKey, cost, termsCost, formatted,
};

// Statements, the forecast, the log row by row.
import type { Backtest, Forecast, ForecastItem, Statement, StatementEntry } from '../index.js';
const sl = new Ledger();
const statement: Statement = sl.statement('ACME', { from: '2026-03-01', to: '2026-03-31', buckets: [0, 30] });
const entry: StatementEntry | undefined = statement.sections[0]?.entries[0];
const entryKind: StatementEntry['kind'] | undefined = entry?.kind;
// @ts-expect-error kind is one of the movement kinds
const noKind: StatementEntry['kind'] = 'transfer';
const entryRef: string | undefined = entry?.reference;
const sectionAging: string | undefined = statement.sections[0]?.aging?.net;
const everyStatement: Statement[] = sl.statements({ from: '2026-03-01', to: '2026-03-31', knownAt: '2026-04-01T00:00:00Z' });
// @ts-expect-error the period is two dates
sl.statement('ACME', { from: '2026-03-01' });
const forecast: Forecast = sl.forecast({ asOf: '2026-04-01', shrinkage: 5, disputedProbability: '0.5' });
const forecastItem: ForecastItem | undefined = forecast.items[0];
const delay: number | undefined = forecastItem?.delayDays;
const backtest: Backtest = sl.forecastBacktest({ asOf: '2026-04-01', weeks: 4 });
const mae: string | undefined = backtest.errors[0]?.mae;
// @ts-expect-error disputedProbability is a decimal string
sl.forecast({ asOf: '2026-04-01', disputedProbability: 0.5 });
// @ts-expect-error a back-test needs its weeks
sl.forecastBacktest({ asOf: '2026-04-01' });
const logRows: string[] = sl.logLines(0);
sl.appendLogLine(logRows[0] ?? '');
// @ts-expect-error a row is text
sl.appendLogLine(1);

export { statement, entryKind, noKind, entryRef, sectionAging, everyStatement, delay, mae };

// Credit control and the worklist.
import type { SnapshotInfo } from '../index.js';
import type { CreditCheck, CreditReason, Worklist, WorklistExcluded, WorklistRow } from '../index.js';
const cl = new Ledger();
cl.setCreditHold({ customer: 'ACME', hold: true, date: '2026-04-07', reason: 'r', by: 'me' });
cl.setCreditHold({ customer: 'ACME', hold: false, date: '2026-04-08', reason: 'paid' }, { recorded: '2026-04-08T09:00:00Z' });
// @ts-expect-error a hold needs its reason
cl.setCreditHold({ customer: 'ACME', hold: true, date: '2026-04-07' });
const credit: CreditCheck = cl.creditCheck({ customer: 'ACME', amount: '100.00', asOf: '2026-04-08', orders: '50.00', policy: { warnAtPercent: '80', pastDue: 'warn' } });
const creditOutcome: 'allow' | 'warn' | 'block' = credit.outcome;
const creditLimit: string | undefined = credit.limit;
const creditReason: CreditReason | undefined = credit.reasons[0]?.reason;
const overBy: string | undefined = creditReason?.overBy;
// @ts-expect-error an amount is a decimal string
cl.creditCheck({ customer: 'ACME', amount: 100, asOf: '2026-04-08' });
// @ts-expect-error a policy acts by warning or blocking
cl.creditCheck({ customer: 'ACME', amount: '1', asOf: '2026-04-08', policy: { pastDue: 'shout' } });
const worklist: Worklist = cl.worklist({ asOf: '2026-04-30', currency: 'USD', dimension: ['collector', 'ann'] });
const worklistRow: WorklistRow | undefined = worklist.rows[0];
const rank: number | undefined = worklistRow?.rank;
const leftOff: WorklistExcluded['reasons'] | undefined = worklist.excluded[0]?.reasons;
// @ts-expect-error a dimension is a key and a value
cl.worklist({ asOf: '2026-04-30', dimension: 'collector' });

export { creditOutcome, creditLimit, overBy, rank, leftOff };

// Bank files, reconciliation, accounting systems, reports as CSV and .xlsx.
import { accountingProfile, agingToXlsx, importAccounting, openItemsToCsv, parseBankFile, FORMAT_ERROR_CODES } from '../index.js';
import type { AccountingProfile, BankReconciliation, BankStatement, BookRows } from '../index.js';
const bank: BankStatement = parseBankFile(Buffer.from(''), 'bai2');
const bankAmount: string | undefined = bank.accounts[0]?.receipts[0]?.amount;
// @ts-expect-error a format is one of the names
parseBankFile('', 'csv');
const bl = new Ledger();
bl.recordBankReceipts(bank, { idPrefix: 'B-' });
// @ts-expect-error receipts need an id prefix
bl.recordBankReceipts(bank, {});
const reconciled: BankReconciliation = bl.reconcileBank(bank.accounts[0]?.receipts ?? [], { daysBefore: 3, from: '2026-03-01' });
const period: [string, string] | undefined = reconciled.period;
const qboProfile: AccountingProfile = accountingProfile('qbo-invoices');
const rows: BookRows = importAccounting('', qboProfile, { columns: { document: ['Invoice #'] }, currency: 'USD' });
const fromRows: Ledger = Ledger.fromBookRows([rows], '2026-04-01T00:00:00Z');
const qboCsv: string = fromRows.exportInvoices({ layout: 'quickbooks' });
// @ts-expect-error the layouts are QuickBooks and Xero
fromRows.exportPayments({ layout: 'sage' });
const workbook: Buffer = agingToXlsx(fromRows.aging({ asOf: '2026-04-30' }));
const openCsv: string = openItemsToCsv(fromRows.openItems(), '2026-04-30');
const formatCodes: string[] = FORMAT_ERROR_CODES;

export { bankAmount, period, qboCsv, workbook, openCsv, formatCodes };
// The async variants: promises of the sync variants' results.
import { matchReceiptsAsync } from '../index.js';
async function asyncVariants(): Promise<void> {
  const fromTables: Ledger = await Ledger.fromTablesAsync({ customers: [], invoices: [] });
  const fromJson: Ledger = await Ledger.fromJsonAsync(fromTables.toJson());
  const agingReport: AgingReport = await fromJson.agingAsync({ asOf: '2026-04-01' });
  const metricsRows: MetricsRow[] = await fromJson.metricsAsync({ start: '2026-01-01', end: '2026-03-31' });
  const journal: Journal = await fromJson.journalAsync();
  const rollRates: RollRates = await fromJson.rollRatesAsync({ periodEnds: ['2026-02-28', '2026-03-31'], currency: 'USD' });
  const ledgerMatches: MatchBatch = await fromJson.matchReceiptsAsync();
  const matches: MatchBatch = await matchReceiptsAsync([], []);
  const book: Book = await Book.fromTablesAsync({ invoices: [], currency: 'USD' });
  const bookAging: AgingReport = await book.agingAsync({ asOf: '2026-04-01' });
  const bookMetrics: MetricsRow[] = await book.metricsAsync({ start: '2026-01-01', end: '2026-03-31' });
  // @ts-expect-error a book's reports take no knownAt, async or not
  await book.agingAsync({ asOf: '2026-04-01', knownAt: '2026-04-01T00:00:00Z' });
  // @ts-expect-error a promise, not the report
  const notAwaited: AgingReport = fromJson.agingAsync({ asOf: '2026-04-01' });
  void [agingReport, metricsRows, journal, rollRates, ledgerMatches, matches, bookAging, bookMetrics, notAwaited];
}
void asyncVariants;

// Books in parts: lines with integer-string sums, finished into a report.
import { agingFinish, metricsFinish } from '../index.js';
import type { PartialEntry } from '../index.js';
const partBook = new Book({ invoices: [], currency: 'USD' });
const partLines: PartialEntry[] = partBook.agingPartial({ asOf: '2026-04-01' });
const partSum: string | undefined = partLines[0]?.sum;
const finished: AgingReport = agingFinish(partLines, { asOf: '2026-04-01' });
const finishedRows: MetricsRow[] = metricsFinish(partBook.metricsPartial({ start: '2026-01-01', end: '2026-03-31' }), { start: '2026-01-01', end: '2026-03-31' });
// @ts-expect-error a part's aging has no detail lines
partBook.agingPartial({ asOf: '2026-04-01', detail: true });
export { partSum, finished, finishedRows };
