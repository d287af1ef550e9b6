//! `Ledger::heap_bytes` and `PreparedBook::heap_bytes` against what the
//! allocator was actually asked for while each was built (net of what was
//! freed), counted by an instrumented global allocator. One test function,
//! so that no other test allocates while a count runs.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use std::alloc::System;

use ar_core::bulk::{Book, InvoiceColumns, OpenColumns, SettlementColumns, StrColumn};
use ar_core::chrono::{DateTime, Days, NaiveDate, Utc};
use ar_core::import::{CreditMemoColumns, LedgerTables};
use ar_core::rust_decimal::Decimal;
use ar_core::*;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const INVOICES: usize = 3_000;
const CUSTOMERS: usize = 40;

fn at() -> DateTime<Utc> {
    "2026-07-01T09:00:00Z".parse().unwrap()
}

fn day(n: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(n as u64)
}

fn usd() -> Currency {
    Currency::new("USD").unwrap()
}

/// Bytes the allocator holds for what `build` returns: allocated minus
/// freed while it ran.
fn measured<T>(build: impl FnOnce() -> T) -> (T, usize) {
    let region = Region::new(GLOBAL);
    let value = build();
    let stats = region.change();
    // Growth and shrinking by `realloc` are in these two already.
    let net = stats.bytes_allocated - stats.bytes_deallocated;
    (value, net)
}

/// The estimate is within `tolerance` (a fraction) of the measured bytes.
fn assert_close(what: &str, estimate: usize, net: usize, tolerance: f64) {
    #[allow(clippy::float_arithmetic)]
    let ratio = estimate as f64 / net as f64;
    eprintln!("{what}: estimate {estimate} B, allocated {net} B, ratio {ratio:.3}");
    #[allow(clippy::float_arithmetic)]
    let ok = (ratio - 1.0).abs() <= tolerance;
    assert!(ok, "{what}: estimate {estimate} vs {net} allocated");
}

/// Commands of a book with something of each kind that owns heap memory:
/// customers with dimensions, invoices with taxed lines, dimensions and
/// purchase orders, receipts with remittance text, partial payments (more
/// than one change on an installment), credit memos with reasons, voids,
/// disputes, and idempotency keys.
fn commands() -> Vec<(Command, CommandMeta)> {
    let meta = CommandMeta::at(at());
    let keyed = |i: usize| CommandMeta {
        idempotency_key: Some(format!("key-{i:06}")),
        ..CommandMeta::at(at())
    };
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let mut out = Vec::new();
    for c in 0..CUSTOMERS {
        let mut customer = Customer::new(
            CustomerId::new(format!("C{c}")).unwrap(),
            format!("Customer number {c}"),
            usd(),
        );
        customer
            .dimensions
            .insert("region".into(), ["West", "East"][c % 2].into());
        customer
            .dimensions
            .insert("sales_rep".into(), format!("rep {}", c % 7));
        out.push((Command::RegisterCustomer { customer }, meta.clone()));
    }
    for i in 0..INVOICES {
        let customer = CustomerId::new(format!("C{}", i % CUSTOMERS)).unwrap();
        let invoice_id = InvoiceId::new(format!("INV-{i:06}")).unwrap();
        let lines = vec![
            InvoiceLine::new("Widgets, blue", d("3"), d("19.99")).with_tax("VAT19", d("19")),
            InvoiceLine::new("Installation and setup", d("1"), d("120.00")),
        ];
        let mut invoice =
            NewInvoice::new(invoice_id.clone(), customer.clone(), day(i % 100), lines);
        invoice.po_number = Some(format!("PO-{i}"));
        invoice
            .dimensions
            .insert("project".into(), format!("P{}", i % 11));
        let issue_meta = if i % 5 == 0 { keyed(i) } else { meta.clone() };
        out.push((Command::IssueInvoice { invoice }, issue_meta));
        let receipt_id = ReceiptId::new(format!("R-{i:06}")).unwrap();
        out.push((
            Command::RecordReceipt {
                receipt: Receipt {
                    id: receipt_id.clone(),
                    customer: Some(customer.clone()),
                    date: day(i % 100 + 20),
                    amount: d("100.00"),
                    currency: usd(),
                    method: PaymentMethod::default(),
                    reference: Some(format!("REF{i}")),
                    remittance: format!("Payment for INV-{i:06}, thank you"),
                    payer_name: None,
                    payer_account: None,
                },
            },
            meta.clone(),
        ));
        // Two partial payments: the installment's changes spill inline room.
        for (k, amount) in ["40.00", "35.00"].iter().enumerate() {
            out.push((
                Command::Apply {
                    id: None,
                    source: Source::Receipt(receipt_id.clone()),
                    invoice: invoice_id.clone(),
                    installment: None,
                    amount: d(amount),
                    discount: Decimal::ZERO,
                    date: day(i % 100 + 20 + k),
                },
                meta.clone(),
            ));
        }
        if i % 10 == 3 {
            out.push((
                Command::IssueCreditMemo {
                    id: CreditMemoId::new(format!("CM-{i}")).unwrap(),
                    customer: customer.clone(),
                    date: day(i % 100 + 30),
                    currency: None,
                    against: Some(invoice_id.clone()),
                    kind: CreditKind::Amount { amount: d("5.00") },
                    reason: "Damaged in transit".into(),
                },
                meta.clone(),
            ));
        }
        if i % 10 == 7 {
            out.push((
                Command::SetDispute {
                    invoice: invoice_id.clone(),
                    disputed: true,
                    date: day(i % 100 + 40),
                    reason: "Quantity short".into(),
                },
                meta.clone(),
            ));
        }
    }
    out
}

/// Tables of a book at one installment per invoice, as an import gets them.
fn tables() -> LedgerTables {
    let mut t = LedgerTables::default();
    let c = &mut t.customers;
    for i in 0..CUSTOMERS {
        c.id.push(&format!("C{i}"));
        c.name.push(&format!("Customer number {i}"));
        c.currency.push(usd());
    }
    let mut region = StrColumn::default();
    (0..CUSTOMERS).for_each(|i| region.push(["West", "East"][i % 2]));
    c.dimensions.push(("region".into(), region));
    let (inv, rec, app) = (&mut t.invoices, &mut t.receipts, &mut t.applications);
    for i in 0..INVOICES {
        let customer = format!("C{}", i % CUSTOMERS);
        inv.id.push(&format!("INV-{i:06}"));
        inv.customer.push(&customer);
        inv.currency.push(usd());
        inv.date.push(day(i % 100));
        inv.due_date.push(day(i % 100) + Days::new(30));
        inv.amount.push(Decimal::new(15_000, 2));
        rec.id.push(&format!("R-{i:06}"));
        rec.customer.push(&customer);
        rec.currency.push(usd());
        rec.date.push(day(i % 100 + 20));
        rec.amount.push(Decimal::new(10_000, 2));
        for k in 0..2 {
            app.receipt.push(&format!("R-{i:06}"));
            app.invoice.push(&format!("INV-{i:06}"));
            app.date.push(day(i % 100 + 20 + k));
            app.amount.push(Decimal::new(4_000, 2));
        }
    }
    let m: &mut CreditMemoColumns = &mut t.credit_memos;
    for i in (3..INVOICES).step_by(10) {
        m.id.push(&format!("CM-{i}"));
        m.customer.push(&format!("C{}", i % CUSTOMERS));
        m.currency.push(usd());
        m.date.push(day(i % 100 + 30));
        m.amount.push(Decimal::new(500, 2));
        m.against.push(&format!("INV-{i:06}"));
    }
    t
}

/// A book given as columns, with a dimension on customers.
fn book() -> Book {
    let mut invoices = InvoiceColumns::default();
    let mut settlements = SettlementColumns::default();
    for i in 0..INVOICES {
        invoices.id.push(&format!("INV-{i:06}"));
        invoices.customer.push(&format!("C{}", i % CUSTOMERS));
        invoices.currency.push(usd());
        invoices.date.push(day(i % 100));
        invoices.due_date.push(day(i % 100) + Days::new(30));
        invoices.amount.push(Decimal::new(15_000, 2));
        settlements.invoice.push(&format!("INV-{i:06}"));
        settlements.date.push(day(i % 100 + 20));
        settlements.amount.push(Decimal::new(4_000, 2));
        settlements.kind.push(Default::default());
    }
    let mut unapplied_cash = OpenColumns::default();
    for i in 0..INVOICES / 10 {
        unapplied_cash.id.push(&format!("R-{i:06}"));
        unapplied_cash.customer.push(&format!("C{}", i % CUSTOMERS));
        unapplied_cash.currency.push(usd());
        unapplied_cash.date.push(day(i % 100));
        unapplied_cash.amount.push(Decimal::new(2_000, 2));
    }
    Book {
        invoices,
        settlements,
        unapplied_cash,
        ..Book::default()
    }
}

#[test]
fn estimates_are_within_one_percent_of_what_was_allocated() {
    // Through commands: every kind of record, grown as it goes. The
    // commands are made inside the count, as the ledger keeps parts of them.
    let (ledger, net) = measured(|| {
        let mut ledger = Ledger::new();
        for (command, meta) in commands() {
            ledger.execute(command, &meta).unwrap();
        }
        ledger
    });
    assert!(ledger.events().len() > 3 * INVOICES);
    assert_close("ledger by commands", ledger.heap_bytes(), net, 0.01);

    // From tables: reserved up front.
    let tables = tables();
    let (ledger, net) = measured(|| Ledger::from_tables(&tables, at()).unwrap());
    assert_eq!(
        ledger.events().len(),
        CUSTOMERS + 4 * INVOICES + INVOICES / 10
    );
    assert_close("ledger from tables", ledger.heap_bytes(), net, 0.01);

    // Read back from its log as JSON: documents of its own, not shared
    // with the ledger it came from (which both would count).
    let json = ledger.to_json().unwrap();
    let (replayed, net) = measured(|| Ledger::from_json(&json).unwrap());
    assert_close("replayed ledger", replayed.heap_bytes(), net, 0.01);

    // A book given as columns, and prepared.
    // The columns given are counted too: made inside the count.
    let (prepared, net) = measured(|| book().prepare().unwrap());
    assert_eq!(prepared.invoices(), INVOICES);
    assert_close("prepared book", prepared.heap_bytes(), net, 0.01);
}
