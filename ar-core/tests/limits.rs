//! Every count and size a caller controls has a limit (`ar_core::limits`):
//! at the limit the input is accepted, one past it is `limit_exceeded`
//! naming the field, quickly and without changing anything.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use std::collections::BTreeMap;

use ar_core::limits::*;
use ar_core::*;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}
fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
fn meta() -> CommandMeta {
    CommandMeta::at("2026-03-01T09:00:00Z".parse::<DateTime<Utc>>().unwrap())
}
fn usd() -> Currency {
    Currency::new("USD").unwrap()
}
fn acme() -> CustomerId {
    CustomerId::new("ACME").unwrap()
}

fn ledger() -> Ledger {
    let mut l = Ledger::new();
    l.execute(
        Command::RegisterCustomer {
            customer: Customer::new(acme(), "Acme", usd()),
        },
        &meta(),
    )
    .unwrap();
    l
}

/// `command` is refused with `limit_exceeded` naming `field`, and the
/// ledger is unchanged.
fn over(l: &mut Ledger, command: Command, field: &str) {
    let before = l.events().len();
    let err = l.execute(command, &meta()).unwrap_err();
    assert_eq!(err.code(), "limit_exceeded", "{err}");
    assert!(err.to_string().starts_with(field), "{err}");
    // The message names the limit, not the value: it stays short.
    assert!(err.to_string().len() < 200, "{err}");
    assert_eq!(l.events().len(), before);
}

fn invoice(id: &str, lines: Vec<InvoiceLine>) -> NewInvoice {
    NewInvoice::new(
        InvoiceId::new(id).unwrap(),
        acme(),
        day("2026-03-01"),
        lines,
    )
}

fn dims(n: usize) -> BTreeMap<String, String> {
    (0..n).map(|i| (format!("k{i}"), "v".to_owned())).collect()
}

#[test]
fn lines_per_invoice() {
    let mut l = ledger();
    let line = InvoiceLine::new("x", Decimal::ONE, d("0.01"));
    let at = invoice("INV-1", vec![line.clone(); MAX_LINES]);
    let out = l.execute(Command::IssueInvoice { invoice: at }, &meta());
    assert!(out.is_ok(), "{out:?}");
    let past = invoice("INV-2", vec![line; MAX_LINES + 1]);
    over(&mut l, Command::IssueInvoice { invoice: past }, "lines");
}

#[test]
fn taxes_per_line_and_their_codes() {
    let taxes = |n: usize| {
        (0..n).fold(InvoiceLine::new("x", Decimal::ONE, d("100.00")), |l, i| {
            l.with_tax(format!("T{i}"), d("0.5"))
        })
    };
    let at = compute_totals(
        &[taxes(MAX_TAXES_PER_LINE)],
        usd(),
        TaxMode::Exclusive,
        TaxRounding::PerDocument,
        RoundingPolicy::default(),
    )
    .unwrap();
    // 16 taxes of 0.50 on 100.00.
    assert_eq!(at.tax, d("8.00"));
    let err = compute_totals(
        &[taxes(MAX_TAXES_PER_LINE + 1)],
        usd(),
        TaxMode::Exclusive,
        TaxRounding::PerLine,
        RoundingPolicy::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "limit_exceeded");
    assert!(err.to_string().starts_with("lines[0].taxes"), "{err}");
    let long = InvoiceLine::new("x", Decimal::ONE, d("1.00"))
        .with_tax("T".repeat(MAX_KEY_LEN + 1), d("1"));
    let err = compute_totals(
        &[long],
        usd(),
        TaxMode::Exclusive,
        TaxRounding::PerLine,
        RoundingPolicy::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "limit_exceeded");
}

#[test]
fn many_distinct_tax_codes_take_linear_time() {
    // 10,000 lines of 16 distinct codes each: 160,000 codes, per document.
    let lines: Vec<InvoiceLine> = (0..MAX_LINES)
        .map(|k| {
            (0..MAX_TAXES_PER_LINE).fold(InvoiceLine::new("x", Decimal::ONE, d("1.00")), |l, i| {
                l.with_tax(format!("L{k}-T{i}"), d("1"))
            })
        })
        .collect();
    let t = std::time::Instant::now();
    let totals = compute_totals(
        &lines,
        usd(),
        TaxMode::Exclusive,
        TaxRounding::PerDocument,
        RoundingPolicy::default(),
    )
    .unwrap();
    // Each code taxes 1.00 at 1 %: 0.01 each, 160,000 of them.
    assert_eq!(totals.taxes.len(), 160_000);
    assert_eq!(totals.tax, d("1600.00"));
    // Quadratic work would take minutes here; linear takes well under one
    // second even in a debug build.
    assert!(t.elapsed().as_secs() < 30, "{:?}", t.elapsed());
}

#[test]
fn text_lengths() {
    let mut l = ledger();
    let long = "x".repeat(MAX_TEXT_LEN + 1);
    let mut name = Customer::new(CustomerId::new("B").unwrap(), long.clone(), usd());
    over(
        &mut l,
        Command::RegisterCustomer {
            customer: name.clone(),
        },
        "customer.name",
    );
    name.name = "x".repeat(MAX_TEXT_LEN);
    assert!(l
        .execute(Command::RegisterCustomer { customer: name }, &meta())
        .is_ok());
    let line = InvoiceLine::new(long.clone(), Decimal::ONE, d("1.00"));
    over(
        &mut l,
        Command::IssueInvoice {
            invoice: invoice("INV-1", vec![line]),
        },
        "lines[0].description",
    );
    let receipt = Receipt {
        id: ReceiptId::new("R-1").unwrap(),
        customer: Some(acme()),
        date: day("2026-03-02"),
        amount: d("1.00"),
        currency: usd(),
        method: PaymentMethod::Ach,
        reference: None,
        remittance: long.clone(),
        payer_name: None,
        payer_account: None,
    };
    over(
        &mut l,
        Command::RecordReceipt { receipt },
        "receipt.remittance",
    );
    let i = invoice(
        "INV-2",
        vec![InvoiceLine::new("x", Decimal::ONE, d("1.00"))],
    );
    l.execute(Command::IssueInvoice { invoice: i }, &meta())
        .unwrap();
    over(
        &mut l,
        Command::VoidInvoice {
            invoice: InvoiceId::new("INV-2").unwrap(),
            date: day("2026-03-02"),
            reason: long,
        },
        "reason",
    );
}

#[test]
fn dimensions() {
    let mut l = ledger();
    let mut c = Customer::new(CustomerId::new("B").unwrap(), "B", usd());
    c.dimensions = dims(MAX_DIMENSIONS + 1);
    over(
        &mut l,
        Command::RegisterCustomer {
            customer: c.clone(),
        },
        "customer.dimensions",
    );
    c.dimensions = dims(MAX_DIMENSIONS);
    assert!(l
        .execute(Command::RegisterCustomer { customer: c }, &meta())
        .is_ok());
    let mut i = invoice(
        "INV-1",
        vec![InvoiceLine::new("x", Decimal::ONE, d("1.00"))],
    );
    i.dimensions
        .insert("region".into(), "x".repeat(MAX_KEY_LEN + 1));
    over(
        &mut l,
        Command::IssueInvoice { invoice: i },
        "invoice.dimensions",
    );
}

#[test]
fn installments_of_terms() {
    let portion = InstallmentTerm {
        portion: Portion::Equal,
        due: DueRule::Net { days: 30 },
        discount: None,
    };
    let terms = |n| PaymentTerms::Installments {
        installments: vec![portion; n],
    };
    let at = terms(MAX_INSTALLMENTS)
        .schedule(
            day("2026-03-01"),
            d("366.00"),
            usd(),
            RoundingPolicy::default(),
        )
        .unwrap();
    assert_eq!(at.len(), MAX_INSTALLMENTS);
    assert!(at.iter().all(|i| i.amount == d("1.00")));
    let err = terms(MAX_INSTALLMENTS + 1).validate().unwrap_err();
    assert_eq!(err.code(), "limit_exceeded");
}

#[test]
fn weights_of_an_allocation() {
    let parts = allocate(d("10000.00"), &vec![Decimal::ONE; MAX_WEIGHTS], 2).unwrap();
    assert_eq!(parts.len(), MAX_WEIGHTS);
    assert_eq!(parts.iter().sum::<Decimal>(), d("10000.00"));
    let err = allocate(d("1.00"), &vec![Decimal::ONE; MAX_WEIGHTS + 1], 2).unwrap_err();
    assert_eq!(err.code(), "limit_exceeded");
}

#[test]
fn credit_memo_lines() {
    let mut l = ledger();
    let i = invoice(
        "INV-1",
        vec![InvoiceLine::new("x", Decimal::ONE, d("1.00"))],
    );
    l.execute(Command::IssueInvoice { invoice: i }, &meta())
        .unwrap();
    let lines = vec![
        CreditLine {
            line: 0,
            quantity: None
        };
        MAX_LINES + 1
    ];
    over(
        &mut l,
        Command::IssueCreditMemo {
            id: CreditMemoId::new("CM-1").unwrap(),
            customer: acme(),
            date: day("2026-03-02"),
            currency: None,
            against: Some(InvoiceId::new("INV-1").unwrap()),
            kind: CreditKind::Lines { lines },
            reason: String::new(),
        },
        "kind.lines",
    );
}

#[test]
fn a_huge_value_makes_a_short_message() {
    let huge = "9".repeat(10_000_000);
    let err = parse_decimal("amount", &huge).unwrap_err();
    assert_eq!(err.code(), "invalid_decimal");
    assert!(err.to_string().len() < 200, "{}", err.to_string().len());
    let err = Currency::new(&huge).unwrap_err();
    assert!(err.to_string().len() < 200);
    let err = InvoiceId::new(&huge).unwrap_err();
    assert!(err.to_string().len() < 200);
}
