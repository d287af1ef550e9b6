//! Amounts at the edge of what a 96-bit decimal holds: every entry answers
//! `overflow` (never a panic, never a figure off by a power of ten), and a
//! refused command changes nothing.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::*;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

/// 2^96 - 1, the largest mantissa.
const MAX: &str = "79228162514264337593543950335";

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
fn totals(lines: &[InvoiceLine], mode: TaxMode) -> Result<InvoiceTotals> {
    compute_totals(
        lines,
        usd(),
        mode,
        TaxRounding::PerLine,
        RoundingPolicy::default(),
    )
}

#[test]
fn totals_overflow_is_an_error() {
    let max = InvoiceLine::new("x", Decimal::ONE, d(MAX));
    let ten_off = max
        .clone()
        .with_discount(LineDiscount::Percent { percent: d("10") });
    let vat = max.clone().with_tax("VAT", d("19"));
    let one = InvoiceLine::new("y", Decimal::ONE, d("1.00"));
    for (lines, mode) in [
        (vec![ten_off], TaxMode::Exclusive),
        (vec![max.clone(), one], TaxMode::Exclusive),
        (vec![vat.clone()], TaxMode::Inclusive),
        (vec![vat], TaxMode::Exclusive),
        (vec![max], TaxMode::Exclusive),
    ] {
        let err = totals(&lines, mode).unwrap_err();
        assert_eq!(err.code(), "overflow", "{lines:?}: {err}");
    }
    // The largest whole-dollar amount that still holds cents is fine, and
    // exact.
    let top = "792281625142643375935439503.35";
    let t = totals(
        &[InvoiceLine::new("x", Decimal::ONE, d(top))],
        TaxMode::Exclusive,
    )
    .unwrap();
    assert_eq!(t.total.to_string(), top);
}

#[test]
fn schedules_overflow_is_an_error() {
    let yen = Currency::new("JPY").unwrap();
    let terms: PaymentTerms = "2/10 net 30".parse().unwrap();
    let err = terms
        .schedule(day("2026-03-01"), d(MAX), yen, RoundingPolicy::default())
        .unwrap_err();
    assert_eq!(err.code(), "overflow");
    // In USD the total itself cannot hold cents.
    let err = PaymentTerms::net(30)
        .schedule(day("2026-03-01"), d(MAX), usd(), RoundingPolicy::default())
        .unwrap_err();
    assert_eq!(err.code(), "overflow");
}

fn ledger() -> Ledger {
    let mut l = Ledger::new();
    let acme = CustomerId::new("ACME").unwrap();
    l.execute(
        Command::RegisterCustomer {
            customer: Customer::new(acme.clone(), "Acme", usd())
                .with_terms("2/10 net 30".parse().unwrap()),
        },
        &meta(),
    )
    .unwrap();
    let invoice = NewInvoice::new(
        InvoiceId::new("INV-1").unwrap(),
        acme.clone(),
        day("2026-03-01"),
        vec![InvoiceLine::new("x", Decimal::ONE, d("100.00"))],
    );
    l.execute(Command::IssueInvoice { invoice }, &meta())
        .unwrap();
    let receipt = Receipt {
        id: ReceiptId::new("R-1").unwrap(),
        customer: Some(acme),
        date: day("2026-03-02"),
        amount: d("50.00"),
        currency: usd(),
        method: PaymentMethod::Ach,
        reference: None,
        remittance: String::new(),
        payer_name: None,
        payer_account: None,
    };
    l.execute(Command::RecordReceipt { receipt }, &meta())
        .unwrap();
    l
}

fn refused(l: &mut Ledger, command: Command, code: &str) {
    let before = l.to_json().unwrap();
    let err = l.execute(command, &meta()).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(l.to_json().unwrap(), before);
}

#[test]
fn commands_near_the_limit_are_refused_and_change_nothing() {
    let mut l = ledger();
    let acme = CustomerId::new("ACME").unwrap();
    // A discount of MAX on top of 10.00.
    refused(
        &mut l,
        Command::Apply {
            id: None,
            source: Source::Receipt(ReceiptId::new("R-1").unwrap()),
            invoice: InvoiceId::new("INV-1").unwrap(),
            installment: None,
            amount: d("10.00"),
            discount: d(MAX),
            date: day("2026-03-02"),
        },
        "overflow",
    );
    // An invoice of such lines.
    let invoice = NewInvoice::new(
        InvoiceId::new("INV-2").unwrap(),
        acme.clone(),
        day("2026-03-01"),
        vec![InvoiceLine::new("x", Decimal::ONE, d(MAX))
            .with_discount(LineDiscount::Percent { percent: d("10") })],
    );
    refused(&mut l, Command::IssueInvoice { invoice }, "overflow");
    // An imported USD invoice of MAX: it cannot be held in cents.
    let open = OpeningInvoice {
        id: InvoiceId::new("INV-3").unwrap(),
        customer: acme.clone(),
        date: day("2026-03-01"),
        due_date: day("2026-03-31"),
        currency: None,
        total: d(MAX),
        open: d(MAX),
        po_number: None,
        dimensions: Default::default(),
    };
    refused(
        &mut l,
        Command::ImportInvoice {
            invoice: open,
            as_of: day("2026-03-01"),
        },
        "overflow",
    );
    // A receipt of MAX likewise.
    let receipt = Receipt {
        id: ReceiptId::new("R-2").unwrap(),
        customer: Some(acme),
        date: day("2026-03-02"),
        amount: d(MAX),
        currency: usd(),
        method: PaymentMethod::Ach,
        reference: None,
        remittance: String::new(),
        payer_name: None,
        payer_account: None,
    };
    refused(&mut l, Command::RecordReceipt { receipt }, "overflow");
}

#[test]
fn money_checks_overflow_at_the_minor_unit() {
    assert_eq!(
        check_minor_units("amount", d(MAX), usd())
            .unwrap_err()
            .code(),
        "overflow"
    );
    assert_eq!(Money::parse(MAX, usd()).unwrap_err().code(), "overflow");
    let yen = Currency::new("JPY").unwrap();
    assert_eq!(Money::parse(MAX, yen).unwrap().amount(), d(MAX));
    assert_eq!(
        allocate(d(MAX), &[Decimal::ONE, Decimal::ONE], 2)
            .unwrap_err()
            .code(),
        "overflow"
    );
}

#[test]
fn zero_has_no_sign() {
    let parts = allocate(d("-0.01"), &[Decimal::ONE, Decimal::ONE], 2).unwrap();
    assert_eq!(parts[1].to_string(), "0.00");
    assert!(!parts[1].is_sign_negative());
    assert_eq!(
        RoundingPolicy::default()
            .round_to(d("-0.001"), usd())
            .to_string(),
        "0.00"
    );
    assert_eq!(
        check_minor_units("x", d("-0"), usd()).unwrap().to_string(),
        "0.00"
    );
}
