#!/usr/bin/env node
// The main job on bundled sample data, through the Node binding: load
// customers, invoices, credit memos and receipts from examples/data/, apply
// the receipts and credit memos, and print open items and customer balances.
// The Node port of examples/src/main.rs; it prints the same bytes
// (examples/expected/demo.txt).
//
// Usage: node examples/node/demo.mjs [DATA_DIR] [AS_OF]
//
// The CSV files are plain: a header row, comma-separated fields, no quoting.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Ledger } from '../../ar-node/index.js';

/** Rows of a plain CSV file as objects keyed by the header. */
function readCsv(dir, name) {
  const lines = readFileSync(join(dir, name), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(header.slice(0, cells.length).map((h, i) => [h, cells[i]]));
  });
}

const field = (row, name) => row[name] ?? '';
const opt = (row, name) => (field(row, name) === '' ? undefined : field(row, name));
/** An object of the `[key, value]` entries whose value is not undefined. */
const present = (entries) => Object.fromEntries(entries.filter(([, v]) => v !== undefined));

/** Loads the sample book into a ledger. */
function load(dir) {
  const meta = { recorded: '2026-11-23T00:00:00Z' };
  const ledger = new Ledger();

  for (const r of readCsv(dir, 'customers.csv')) {
    ledger.registerCustomer(
      {
        id: field(r, 'id'),
        name: field(r, 'name'),
        currency: field(r, 'currency'),
        terms: field(r, 'terms'),
        ...present([['creditLimit', opt(r, 'credit_limit')]]),
        dimensions: present([
          ['region', opt(r, 'region')],
          ['sales_rep', opt(r, 'sales_rep')],
        ]),
      },
      meta,
    );
  }

  // Invoice lines arrive one per row; rows of one invoice are consecutive.
  const invoices = [];
  for (const r of readCsv(dir, 'invoices.csv')) {
    const line = { description: field(r, 'description'), quantity: field(r, 'quantity'), unitPrice: field(r, 'unit_price') };
    const code = opt(r, 'tax_code');
    if (code !== undefined) line.taxes = [{ code, rate: field(r, 'tax_rate') }];
    const last = invoices.at(-1);
    if (last !== undefined && last.id === field(r, 'invoice')) {
      last.lines.push(line);
    } else {
      invoices.push({
        id: field(r, 'invoice'),
        customer: field(r, 'customer'),
        date: field(r, 'date'),
        lines: [line],
        taxMode: field(r, 'tax_mode') === 'inclusive' ? 'inclusive' : 'exclusive',
        ...present([['poNumber', opt(r, 'po_number')]]),
      });
    }
  }
  for (const invoice of invoices) ledger.issueInvoice(invoice, meta);

  for (const r of readCsv(dir, 'credit_memos.csv')) {
    const memo = {
      id: field(r, 'id'),
      customer: field(r, 'customer'),
      date: field(r, 'date'),
      reason: field(r, 'reason'),
      ...present([['against', opt(r, 'against')]]),
    };
    const line = opt(r, 'line');
    const amount = opt(r, 'amount');
    if (line !== undefined) {
      if (!/^\d+$/.test(line)) throw new Error(`line: ${JSON.stringify(line)} is not a line number`);
      memo.lines = [{ line: Number(line), ...present([['quantity', opt(r, 'quantity')]]) }];
    } else if (amount !== undefined) {
      memo.amount = amount;
    } else {
      memo.whole = true;
    }
    ledger.issueCreditMemo(memo, meta);
  }

  for (const r of readCsv(dir, 'receipts.csv')) {
    ledger.recordReceipt(
      {
        id: field(r, 'id'),
        date: field(r, 'date'),
        amount: field(r, 'amount'),
        currency: field(r, 'currency'),
        method: field(r, 'method'),
        remittance: field(r, 'remittance'),
        ...present([
          ['customer', opt(r, 'customer')],
          ['reference', opt(r, 'reference')],
        ]),
      },
      meta,
    );
  }

  for (const r of readCsv(dir, 'applications.csv')) {
    const source = field(r, 'source_kind') === 'credit_memo' ? { creditMemo: field(r, 'source') } : { receipt: field(r, 'source') };
    if (field(r, 'invoice') === 'FIFO') {
      ledger.applyFifo({ ...source, date: field(r, 'date') }, meta);
    } else {
      ledger.apply(
        {
          ...source,
          invoice: field(r, 'invoice'),
          amount: field(r, 'amount'),
          date: field(r, 'date'),
          ...present([['discount', opt(r, 'discount')]]),
        },
        meta,
      );
    }
  }
  return ledger;
}

/** The report, as text: the same bytes as the Rust and Python demos. */
function report(ledger, asOf) {
  const view = { asOf };
  const row = (cells) => `${cells.join(' ')}\n`;
  let out = `Open items as of ${asOf}\n`;
  out += row(['kind'.padEnd(15), 'id'.padEnd(10), 'customer'.padEnd(10), 'cur'.padEnd(3), 'due'.padEnd(10), 'open'.padStart(12)]);
  for (const i of ledger.openItems(view)) {
    out += row([
      i.kind.padEnd(15),
      i.id.padEnd(10),
      (i.customer ?? '(unknown)').padEnd(10),
      i.currency.padEnd(3),
      (i.dueDate ?? '-').padEnd(10),
      i.open.padStart(12),
    ]);
  }
  out += '\n';
  out += `Customer balances as of ${asOf}\n`;
  out += row(['customer'.padEnd(10), 'cur'.padEnd(3), 'invoices'.padStart(12), 'cash'.padStart(12), 'credits'.padStart(12), 'net'.padStart(12)]);
  for (const b of ledger.balances(view)) {
    out += row([
      (b.customer ?? '(unknown)').padEnd(10),
      b.currency.padEnd(3),
      b.invoices.padStart(12),
      b.unappliedCash.padStart(12),
      b.openCredits.padStart(12),
      b.net.padStart(12),
    ]);
  }
  return out;
}

function main(args) {
  const dir = args[0] ?? fileURLToPath(new URL('../data/', import.meta.url));
  const asOf = args[1] ?? '2026-11-23';
  try {
    // The binding checks the date: an empty ledger answers only for a valid one.
    new Ledger().openItems({ asOf });
  } catch {
    process.stderr.write('AS_OF must be a date, YYYY-MM-DD\n');
    return 1;
  }
  let ledger;
  try {
    ledger = load(dir);
  } catch (e) {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  process.stdout.write(report(ledger, asOf));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
