// Bank files, bank reconciliation, accounting-system layouts and reports
// as CSV and .xlsx through the binding: the hand-made samples of
// ar-formats/tests/data, checked against the figures written in them (as
// ar-formats/tests/samples.rs and systems.rs do, and as
// ar-python/tests/test_bank.py and test_formats.py do).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

import * as ar from '../index.js';
import { throwsCode } from './scenario.mjs';

const { Ledger } = ar;
const DATA = new URL('../../ar-formats/tests/data/', import.meta.url);
const data = (path) => readFileSync(new URL(path, DATA));
const BAI = data('bai2/handmade.bai');

/** The error `fn` throws, checked to be a file error with this code. */
function fileError(fn, code) {
  const e = throwsCode(assert, fn, code);
  assert.equal(e.family, 'format');
  assert.ok(ar.FORMAT_ERROR_CODES.includes(e.code), e.code);
  return e;
}

// --- bank files --------------------------------------------------------------

test('a BAI2 file as records', () => {
  // From a Buffer and from text: the same statement.
  const s = ar.parseBankFile(BAI);
  assert.deepEqual(ar.parseBai2(BAI.toString('utf8')), s);
  assert.deepEqual([s.format, s.messageId], ['bai2', 'FILE7']);
  const usd = s.accounts[0];
  // 03 record: opening ledger 1,500.00, closing ledger -25.00 (cents).
  assert.deepEqual(usd.balances.map((b) => [b.code, b.amount]), [['OPBD', '1500.00'], ['CLBD', '-25.00']]);
  const [wire, ach] = usd.receipts;
  assert.deepEqual([wire.amount, wire.method, wire.bankReference, wire.payerName], ['2000.00', 'wire', 'WIRE0001', 'GLOBEX CORP']);
  assert.equal(wire.remittance, 'ORIG CO NAME:GLOBEX CORP ORIG ID:123 INV-2001 INV-2002 RF18 5390 0754 7034');
  assert.deepEqual(wire.references.map((r) => [r.kind, r.value]), [['creditor_reference', 'RF18539007547034']]);
  assert.deepEqual([ach.amount, ach.method], ['1250.00', 'ach']);
  assert.deepEqual(ach.references.map((r) => [r.kind, r.value]), [['belgian', '090933755493']]);
  // The return and the check paid are listed, not receipts.
  assert.deepEqual(usd.otherEntries.map((e) => [e.kind, e.amount]), [['return', '40.00'], ['debit', '25.00']]);
  assert.equal(usd.otherEntries[1].valueDate, '2026-03-01');
  assert.deepEqual(s.accounts[1].receipts.map((r) => [r.amount, r.currency]), [['10.00', 'CAD']]);
  // A format named reads the file as that format.
  assert.deepEqual(ar.parseBankFile(BAI, 'bai2'), s);
});

test('files that cannot be read name the line', () => {
  let e = fileError(() => ar.parseBankFile(data('mt940/postfinance.sta')), 'control_total');
  assert.deepEqual([e.format, e.line, e.location], ['mt940', 27, ':62F:']);
  assert.match(e.message, /^control_total: mt940 line 27 \(:62F:\): closing balance 159\.60/);
  e = fileError(() => ar.parseBankFile(Buffer.from('hello')), 'unknown_format');
  assert.equal(e.format, null);
  // Read as what it was asked for: a BAI2 file is no XML.
  e = fileError(() => ar.parseCamt(BAI), 'syntax');
  assert.equal(e.line, 1);
  assert.match(e.message, /no XML element/);
  e = fileError(() => ar.parseBankFile(BAI, 'mt940'), 'missing');
  assert.equal(e.format, 'mt940');
  // A BAI2 file whose account total (49 record, line 9) is one cent off.
  const off = Buffer.from(BAI.toString('utf8').replace('49,804000,7/', '49,804001,7/'));
  e = fileError(() => ar.parseBai2(off), 'control_total');
  assert.deepEqual([e.format, e.line], ['bai2', 9]);
  throwsCode(assert, () => ar.parseBankFile(1.5), 'invalid_type');
  throwsCode(assert, () => ar.parseBankFile(BAI, 'csv'), 'invalid_value');
});

test("recording a file's receipts, all or none", () => {
  const l = new Ledger();
  l.registerCustomer({ id: 'ACME', name: 'Acme', currency: 'USD' });
  l.registerCustomer({ id: 'GLOBEX', name: 'Globex', currency: 'USD' });
  const s = ar.parseBankFile(BAI);
  const usd = s.accounts[0].receipts;
  const out = l.recordBankReceipts(usd, { idPrefix: 'BAI-', customer: 'GLOBEX' });
  assert.deepEqual(out.map((o) => o.events[0].subject), ['BAI-1', 'BAI-2']);
  assert.deepEqual(l.unappliedCash().map((i) => [i.id, i.customer, i.open]), [
    ['BAI-1', 'GLOBEX', '2000.00'], ['BAI-2', 'GLOBEX', '1250.00']]);
  // The remittance is the file's text followed by the references not in it.
  assert.equal(l.matchReceiptInputs()[0].remittance,
    'ORIG CO NAME:GLOBEX CORP ORIG ID:123 INV-2001 INV-2002 RF18 5390 0754 7034 RF18539007547034');
  // The same file again with the same prefix: refused, nothing recorded.
  const before = l.toJson();
  throwsCode(assert, () => l.recordBankReceipts(usd, { idPrefix: 'BAI-' }), 'duplicate_id');
  assert.equal(l.toJson(), before);
  // A clash on the second receipt only: the first is not recorded either.
  l.recordReceipt({ id: 'X-2', date: '2026-03-01', amount: '1.00', currency: 'USD' });
  const json = l.toJson();
  throwsCode(assert, () => l.recordBankReceipts(s, { idPrefix: 'X-' }), 'duplicate_id');
  assert.equal(l.toJson(), json);
  // A whole statement mixes currencies: the CAD receipt has no payer.
  l.recordBankReceipts(s, { idPrefix: 'S-' });
  assert.deepEqual(l.unappliedCash().slice(3).map((i) => [i.id, i.currency, i.customer]), [
    ['S-1', 'USD', undefined], ['S-2', 'USD', undefined], ['S-3', 'CAD', undefined]]);
  throwsCode(assert, () => l.recordBankReceipts(s, {}), 'invalid_type');
});

// --- bank reconciliation -----------------------------------------------------

/**
 * The books against handmade.bai, whose credits are all booked 2026-03-01:
 * #0 wire 2,000.00 USD WIRE0001, #1 ACH 1,250.00 USD ACH0002, #2 10.00 CAD.
 * Recorded: the wire two days late with its reference written `wire-0001`,
 * the ACH two days early without one, a planted 500.00 the bank never
 * received, and a January receipt outside the statement's period. The
 * CAD credit was never recorded.
 */
function reconcileBooks() {
  const l = new Ledger();
  l.registerCustomer({ id: 'GLOBEX', name: 'Globex', currency: 'USD' });
  const r = (id, date, amount, extra = {}) => l.recordReceipt({ id, customer: 'GLOBEX', date, amount, currency: 'USD', ...extra });
  r('R-WIRE', '2026-03-03', '2000.00', { method: 'wire', reference: 'wire-0001' });
  r('R-ACH', '2026-02-27', '1250.00', { method: 'ach' });
  r('R-LOST', '2026-03-01', '500.00', { method: 'check', reference: 'CHK 77' });
  r('R-OLD', '2026-01-15', '75.00');
  return l;
}

test('bank reconciliation: matched, only in the bank, only in the books', () => {
  const l = reconcileBooks();
  const s = ar.parseBankFile(BAI);
  const r = l.reconcileBank(s);
  assert.deepEqual(r.matched.map((p) => [p.bank.index, p.receipt.id, p.basis, p.daysApart, p.ambiguous]), [
    [0, 'R-WIRE', 'reference', 2, false],
    [1, 'R-ACH', 'amount_and_date', -2, false],
  ]);
  assert.deepEqual(r.bankOnly.map((e) => [e.index, e.amount, e.currency, e.remittance]), [[2, '10.00', 'CAD', 'MISC CREDIT']]);
  // R-OLD is outside the statement's period (its first to last credit).
  assert.deepEqual(r.ledgerOnly.map((x) => [x.id, x.amount, x.reference]), [['R-LOST', '500.00', 'CHK 77']]);
  assert.deepEqual(r.period, ['2026-03-01', '2026-03-01']);

  // A window of one day before: the ACH receipt is two days early, so the
  // bank's ACH credit is unmatched, and R-ACH (dated before the period) is
  // not listed until the period starts earlier.
  const narrow = l.reconcileBank(s, { daysBefore: 1 });
  assert.deepEqual(narrow.matched.map((p) => p.receipt.id), ['R-WIRE']);
  assert.deepEqual(narrow.bankOnly.map((e) => e.index), [1, 2]);
  assert.deepEqual(narrow.ledgerOnly.map((x) => x.id), ['R-LOST']);
  const wide = l.reconcileBank(s.accounts[0].receipts, { daysBefore: 1, from: '2026-02-01', to: '2026-03-31' });
  assert.deepEqual(wide.ledgerOnly.map((x) => x.id), ['R-ACH', 'R-LOST']);
  assert.deepEqual(wide.period, ['2026-02-01', '2026-03-31']);
  // The books as they stood before R-LOST was dated: as of 2026-02-28.
  assert.deepEqual(l.reconcileBank(s, null, { asOf: '2026-02-28' }).matched.map((p) => p.receipt.id), ['R-ACH']);

  // As CSV: a row per pair, bank-only entry and book-only receipt.
  assert.equal(ar.reconciliationToCsv(r), [
    'status,cur,bank_date,bank_amount,bank_ref,payer,receipt,book_date,book_amount,book_ref,basis',
    'matched,USD,2026-03-01,2000.00,WIRE0001,GLOBEX CORP,R-WIRE,2026-03-03,2000.00,wire-0001,reference',
    'matched,USD,2026-03-01,1250.00,ACH0002,,R-ACH,2026-02-27,1250.00,,amount_and_date',
    'bank_only,CAD,2026-03-01,10.00,,,,,,,',
    'books_only,USD,,,,,R-LOST,2026-03-01,500.00,CHK 77,',
    '',
  ].join('\n'));
  throwsCode(assert, () => l.reconcileBank(s, { daysBefore: -1 }), 'invalid_value');
  throwsCode(assert, () => l.reconcileBank(s, { from: '2026-02-30' }), 'invalid_date');
});

// --- accounting systems ------------------------------------------------------

test('QuickBooks invoices and payments build a ledger', () => {
  const inv = ar.importAccounting(data('systems/qbo_invoice_list.csv'), 'qbo-invoices', { name: 'inv.csv', currency: 'USD' });
  assert.deepEqual(inv.invoices.map((i) => [i.id, i.customer, i.currency, i.date, i.dueDate, i.amount]), [
    ['1001', 'Acme Corp', 'USD', '2026-03-01', '2026-03-31', '1250.00'],
    ['1002', 'Globex Inc', 'USD', '2026-03-05', '2026-04-04', '480.00'],
    ['1004', 'Acme Corp', 'USD', '2026-03-09', '2026-04-08', '99.99'],
  ]);
  assert.deepEqual(inv.warnings, [
    'inv.csv: 1 rows of type "Sales Receipt" skipped', 'inv.csv: 1 rows without a type skipped (totals)']);
  assert.deepEqual(inv.invoices[2].origin, { file: 'inv.csv', row: 5 });
  const pay = ar.importAccounting(data('systems/qbo_payments.csv'), 'qbo-payments', { name: 'pay.csv', currency: 'USD' });
  assert.deepEqual(pay.receipts.map((r) => [r.id, r.amount, r.method]), [
    ['5521', '1000.00', 'check'], ['5530', '99.99', 'check'], ['WT-88', '350.00', 'wire']]);
  // 1001: 1,250.00 - 1,000.00; 1002: 480.00 - 300.00; 1004 paid; WT-88
  // has 50.00 on account.
  const l = Ledger.fromBookRows([inv, pay], '2026-04-01T00:00:00Z');
  assert.deepEqual(l.openItems().map((i) => [i.kind, i.id, i.open]).sort(), [
    ['invoice', '1001', '250.00'], ['invoice', '1002', '180.00'], ['unapplied_cash', 'WT-88', '50.00']]);
  assert.equal(l.events()[0].recorded, '2026-04-01T00:00:00Z');
  // As open items only: the open balance, settled invoices left out.
  const open = ar.importAccounting(data('systems/qbo_invoice_list.csv'), 'qbo-invoices', { currency: 'USD', openItems: true });
  assert.deepEqual(open.invoices.map((i) => [i.id, i.amount]), [['1001', '250.00'], ['1002', '480.00']]);
});

test('Xero, SAP and NetSuite layouts, and a mapping adjusted for a variant', () => {
  const xero = ar.importAccounting(data('systems/xero_sales_invoices.csv'), 'xero-invoices');
  // INV-0101: 2 x 150.00 + 60.00 tax, and 4 x 12.50 less 10 % = 405.00.
  // INV-0102: 1.5 x 800.00 + 240.00 tax = 1,440.000 (the import keeps the
  // scale of the product; the ledger holds 1,440.00). Dates day first.
  assert.deepEqual(xero.invoices.map((i) => [i.id, i.customer, i.date, i.dueDate, i.amount, i.currency]), [
    ['INV-0101', 'Bayside Club', '2026-03-05', '2026-04-04', '405.00', 'GBP'],
    ['INV-0102', 'Ridgeway Bank', '2026-03-15', '2026-04-14', '1440.000', 'GBP'],
  ]);
  const sap = ar.importAccounting(data('systems/sap_bsid.csv'), 'sap-open-items');
  // ZFBDT 2026-03-01 + ZBD2T 30 days; ZFBDT 2026-03-15 + ZBD3T 45 days.
  assert.deepEqual(sap.invoices.map((i) => [i.id, i.dueDate, i.amount]), [
    ['0090000123', '2026-03-31', '1190.00'], ['0090000124', '2026-04-29', '595.00']]);
  assert.deepEqual(sap.receipts.map((r) => [r.id, r.amount, r.remittance]), [['1400000050', '200.00', 'payment on account']]);
  assert.deepEqual(sap.creditMemos.map((c) => [c.id, c.customer, c.amount]), [['1700000007', '0000004712', '50.00']]);
  const fbl5n = ar.importAccounting(data('systems/sap_fbl5n.csv'), 'sap-fbl5n');
  assert.deepEqual([fbl5n.invoices[0].amount, fbl5n.receipts[0].amount], ['1190.00', '200.00']);
  const ns = ar.importAccounting(data('systems/netsuite_transactions.csv'), 'netsuite', { name: 'ns.csv' });
  assert.deepEqual(ns.invoices.map((i) => [i.id, i.amount]), [['INV10045', '2500.00'], ['INV10046', '750.00']]);
  assert.deepEqual(ns.receipts.map((r) => [r.id, r.amount, r.method]), [['PYMT2201', '2000.00', 'ach']]);
  assert.deepEqual(ns.warnings, ['ns.csv: 1 rows of type "Journal" skipped']);

  // A user's variant of the QuickBooks layout.
  const variant = 'Client,Invoice #,Invoice Date,Due Date,Total,Currency\nACME,77,03/02/2026,04/01/2026,12.50,USD\n';
  const columns = { customer: ['Client'], document: ['Invoice #'], date: ['Invoice Date'] };
  const v = ar.importAccounting(variant, 'qbo-invoices', { columns });
  assert.deepEqual(v.invoices.map((i) => [i.id, i.customer, i.date, i.dueDate, i.amount]), [['77', 'ACME', '2026-03-02', '2026-04-01', '12.50']]);
  // The same as a whole profile, adjusted.
  const p = ar.accountingProfile('qbo-invoices');
  assert.deepEqual([p.name, p.records, p.dateFormat, p.delimiter], ['qbo-invoices', 'invoices', '%m/%d/%Y', ',']);
  assert.deepEqual(p.columns.document, ['InvoiceNo', 'No.', 'Num', 'Invoice no.']);
  const adjusted = { ...p, columns: { ...p.columns, ...columns } };
  assert.deepEqual(ar.importAccounting(variant, adjusted).invoices, v.invoices);
  throwsCode(assert, () => ar.accountingProfile('lotus-123'), 'invalid_value');
});

test('bad rows name the file, row and column', () => {
  let e = fileError(() => ar.importAccounting(data('systems/qbo_invoice_list.csv'), 'qbo-invoices', { name: 'qbo.csv' }), 'missing');
  assert.deepEqual([e.file, e.row, e.column], ['qbo.csv', 2, 'Currency']);
  e = fileError(() => ar.importAccounting(data('systems/xero_sales_invoices.csv'), 'xero-invoices-us', { name: 'x.csv' }), 'invalid_date');
  assert.deepEqual([e.file, e.row, e.column], ['x.csv', 4, '*InvoiceDate']);
  // A row the ledger refuses: its own code and family, at its row.
  const inv = ar.importAccounting(data('systems/qbo_invoice_list.csv'), 'qbo-invoices', { name: 'inv.csv', currency: 'USD' });
  const pay = ar.importAccounting('Date,Ref no.,Customer,Payment method,Invoice no.,Amount,Memo\n03/20/2026,5521,Acme Corp,Check,1001,"2,000.00",\n',
    'qbo-payments', { name: 'pay.csv', currency: 'USD' });
  e = throwsCode(assert, () => Ledger.fromBookRows([inv, pay]), 'over_application');
  assert.deepEqual([e.family, e.file, e.row, e.column], ['state', 'pay.csv', 2, 'amount']);
});

/**
 * Acme (USD, net 30): INV-1 of 2026-03-01, Widgets 10 x 125.00 taxed 8 %
 * (1,250.00 + 100.00) and Installation 4 x 95.00 untaxed (380.00): 1,730.00;
 * R-1 of 1,000.00 by wire, 800.00 of it applied to INV-1.
 */
function smallLedger() {
  const l = new Ledger();
  l.registerCustomer({ id: 'ACME', name: 'Acme Corp', currency: 'USD', terms: 'net 30' });
  l.issueInvoice({ id: 'INV-1', customer: 'ACME', date: '2026-03-01', poNumber: 'PO-9', lines: [
    { description: 'Widgets', quantity: '10', unitPrice: '125.00', taxes: [{ code: 'US', rate: '8' }] },
    { description: 'Installation', quantity: '4', unitPrice: '95.00' }] });
  l.recordReceipt({ id: 'R-1', customer: 'ACME', date: '2026-03-20', amount: '1000.00', currency: 'USD', method: 'wire', reference: 'WT-1' });
  l.apply({ receipt: 'R-1', invoice: 'INV-1', amount: '800.00', date: '2026-03-20' });
  return l;
}

test('the ledger written in the QuickBooks and Xero layouts, and read back', () => {
  const l = smallLedger();
  const qbo = l.exportInvoices({ layout: 'quickbooks' });
  assert.equal(qbo, [
    'InvoiceNo,Customer,InvoiceDate,DueDate,Memo,ItemDescription,ItemQuantity,ItemRate,ItemAmount,ItemTaxCode,ItemTaxAmount,Currency',
    'INV-1,Acme Corp,03/01/2026,03/31/2026,PO-9,Widgets,10,125.00,1250.00,US,100.00,USD',
    'INV-1,Acme Corp,03/01/2026,03/31/2026,PO-9,Installation,4,95.00,380.00,,,USD',
    '',
  ].join('\n'));
  assert.deepEqual(ar.importAccounting(qbo, 'qbo-invoices').invoices.map((i) => [i.id, i.amount, i.dueDate]), [['INV-1', '1730.00', '2026-03-31']]);
  assert.equal(l.exportInvoices({ layout: 'xero', noTax: 'No VAT', accountCode: '4000' }), [
    '*ContactName,*InvoiceNumber,Reference,*InvoiceDate,*DueDate,Description,*Quantity,*UnitAmount,Discount,*AccountCode,*TaxType,TaxAmount,Currency',
    'Acme Corp,INV-1,PO-9,01/03/2026,31/03/2026,Widgets,10,125.00,,4000,US,100.00,USD',
    'Acme Corp,INV-1,PO-9,01/03/2026,31/03/2026,Installation,4,95.00,,4000,No VAT,,USD',
    '',
  ].join('\n'));
  assert.equal(l.exportPayments({ layout: 'quickbooks', dateFormat: '%Y-%m-%d' }), [
    'Date,Ref no.,Customer,Payment method,Invoice no.,Amount,Memo,Currency',
    '2026-03-20,R-1,Acme Corp,wire,INV-1,800.00,,USD',
    '2026-03-20,R-1,Acme Corp,wire,,200.00,,USD',
    '',
  ].join('\n'));
  // Before the receipt: no payments.
  assert.equal(l.exportPayments({ layout: 'xero' }, { asOf: '2026-03-19' }),
    '*ContactName,*InvoiceNumber,*PaymentDate,*Amount,Reference,Currency,PaymentId\n');
  throwsCode(assert, () => l.exportInvoices({ layout: 'sage' }), 'invalid_value');
  throwsCode(assert, () => l.exportInvoices({ layout: 'xero', dateFormat: '%Q' }), 'invalid_value');
});

// --- reports as CSV and .xlsx ------------------------------------------------

/** The files of a zip archive, by name (stored or deflated entries). */
function unzip(buffer) {
  const files = new Map();
  let end = buffer.length - 22;
  while (buffer.readUInt32LE(end) !== 0x06054b50) end -= 1;
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  for (let i = 0; i < count; i += 1) {
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLen = buffer.readUInt16LE(at + 28);
    const extraLen = buffer.readUInt16LE(at + 30);
    const commentLen = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLen);
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const raw = buffer.subarray(start, start + size);
    files.set(name, (method === 8 ? inflateRawSync(raw) : raw).toString('utf8'));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** The cells of sheet `n` of an .xlsx: `{A1: 'text' | number}`, and its XML. */
function sheet(xlsx, n) {
  const files = unzip(xlsx);
  const shared = [...(files.get('xl/sharedStrings.xml') ?? '').matchAll(/<si>(.*?)<\/si>/gs)]
    .map(([, si]) => unescape([...si.matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map(([, t]) => t).join('')));
  const xml = files.get(`xl/worksheets/sheet${n}.xml`);
  const cells = {};
  for (const [, attrs, body] of xml.matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
    const ref = /r="([A-Z]+\d+)"/.exec(attrs)[1];
    const value = /<v>(.*?)<\/v>/.exec(body ?? '')?.[1];
    const inline = /<is><t[^>]*>(.*?)<\/t><\/is>/.exec(body ?? '')?.[1];
    if (/t="s"/.test(attrs)) cells[ref] = shared[Number(value)];
    else if (/t="str"/.test(attrs)) cells[ref] = unescape(value);
    else if (inline !== undefined) cells[ref] = unescape(inline);
    else if (value !== undefined) cells[ref] = Number(value);
  }
  return { cells, xml, names: [...files.get('xl/workbook.xml').matchAll(/<sheet name="([^"]*)"/g)].map(([, n]) => n) };
}

/**
 * Xero's two invoices as a ledger, aged at 2026-04-30: INV-0101 (405.00,
 * due 2026-04-04, 26 days late) and INV-0102 (1,440.00, due 2026-04-14, 16
 * days), both in 1-30; GBP total 1,845.00.
 */
function xeroLedger() {
  const xero = ar.importAccounting(data('systems/xero_sales_invoices.csv'), 'xero-invoices');
  return Ledger.fromBookRows(xero, '2026-04-01T00:00:00Z');
}

test('an aging as CSV and .xlsx', () => {
  const l = xeroLedger();
  const report = l.aging({ asOf: '2026-04-30', detail: true });
  assert.equal(ar.agingToCsv(report), [
    'customer,cur,current,1-30,31-60,61-90,91-120,over 120,total,credits,cash,net,items',
    'Bayside Club,GBP,0.00,405.00,0.00,0.00,0.00,0.00,405.00,0.00,0.00,405.00,1',
    'Ridgeway Bank,GBP,0.00,1440.00,0.00,0.00,0.00,0.00,1440.00,0.00,0.00,1440.00,1',
    '',
  ].join('\n'));
  const book = ar.agingToXlsx(report);
  assert.ok(Buffer.isBuffer(book));
  const { cells, xml, names } = sheet(book, 1);
  assert.deepEqual(names, ['aging', 'aging_detail']);
  // Title, header, a row per customer, the GBP total in row 5.
  assert.equal(cells.A1, 'Aging as of 2026-04-30 (days past due)');
  assert.deepEqual([cells.A2, cells.B2, cells.D2, cells.I2], ['customer', 'cur', '1-30', 'total']);
  assert.deepEqual([cells.A3, cells.B3, cells.C3, cells.D3, cells.I3, cells.M3], ['Bayside Club', 'GBP', 0, 405, 405, 1]);
  assert.deepEqual([cells.A4, cells.D4, cells.L4], ['Ridgeway Bank', 1440, 1440]);
  assert.deepEqual([cells.B5, cells.D5, cells.I5, cells.L5, cells.M5], ['GBP', 1845, 1845, 1845, 2]);
  // The header is frozen under the title.
  assert.match(xml, /<pane [^>]*ySplit="2"[^>]*state="frozen"/);
  // The detail: due dates as dates (days since 1899-12-30), days late.
  const detail = sheet(book, 2).cells;
  const row = Object.values(detail);
  assert.ok(row.includes('INV-0101') && row.includes(46116) && row.includes(26), JSON.stringify(detail));
  assert.ok(row.includes('INV-0102') && row.includes(46126) && row.includes(16), JSON.stringify(detail));
  throwsCode(assert, () => ar.agingToCsv({ asOf: '2026-04-30' }), 'invalid_type');
});

test('open items, the journal and a reconciliation as .xlsx', () => {
  const l = xeroLedger();
  l.recordReceipt({ id: 'R-9', customer: 'Bayside Club', date: '2026-04-20', amount: '5.00', currency: 'GBP' });
  const items = l.openItems({ asOf: '2026-04-30' });
  // Net: 405.00 + 1,440.00 - 5.00 of unapplied cash = 1,840.00.
  assert.equal(ar.openItemsToCsv(items, '2026-04-30'), [
    'kind,id,customer,cur,due,open',
    'invoice,INV-0101,Bayside Club,GBP,2026-04-04,405.00',
    'invoice,INV-0102,Ridgeway Bank,GBP,2026-04-14,1440.00',
    'unapplied_cash,R-9,Bayside Club,GBP,,5.00',
    '',
  ].join('\n'));
  const open = sheet(ar.openItemsToXlsx(items, '2026-04-30'), 1).cells;
  assert.equal(open.A1, 'Open items as of 2026-04-30');
  assert.deepEqual([open.A3, open.B3, open.E3, open.F3], ['invoice', 'INV-0101', 46116, 405]);
  assert.deepEqual([open.A5, open.E5, open.F5], ['unapplied_cash', undefined, 5]);
  assert.deepEqual([open.A6, open.D6, open.F6], ['Net', 'GBP', 1840]);

  // The journal: each invoice's receivable debit and revenue credit, the
  // receipt's cash and unapplied cash; totals 1,850.00 each side.
  const j = sheet(ar.journalToXlsx(l.journal()), 1).cells;
  assert.equal(j.A1, 'Journal');
  assert.deepEqual([j.A2, j.E2, j.I2, j.J2], ['seq', 'account', 'debit', 'credit']);
  const last = Math.max(...Object.keys(j).map((k) => Number(k.replace(/[A-Z]+/, ''))));
  assert.deepEqual([j[`A${last}`], j[`H${last}`], j[`I${last}`], j[`J${last}`]], ['Total', 'GBP', 1850, 1850]);

  const r = reconcileBooks().reconcileBank(ar.parseBankFile(BAI));
  const rec = sheet(ar.reconciliationToXlsx(r), 1).cells;
  assert.deepEqual([rec.A3, rec.D3, rec.G3, rec.K3], ['matched', 2000, 'R-WIRE', 'reference']);
  assert.deepEqual([rec.A5, rec.B5, rec.D5], ['bank_only', 'CAD', 10]);
  assert.deepEqual([rec.A6, rec.G6, rec.I6], ['books_only', 'R-LOST', 500]);
});
