//! The acceptance scenario, with every figure worked out by hand. The same
//! scenario runs in the Python and Node test suites and must give the same
//! balances.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::*;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}
fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
fn at(s: &str) -> CommandMeta {
    CommandMeta::at(s.parse::<DateTime<Utc>>().unwrap())
}
fn inv(s: &str) -> InvoiceId {
    InvoiceId::new(s).unwrap()
}
fn rc(s: &str) -> Source {
    Source::Receipt(ReceiptId::new(s).unwrap())
}

/// The scenario (customer ACME, USD, 2/10 net 30):
///
/// - INV-1, 2026-03-01, tax-inclusive at 19 %: 2 x 59.50 = 119.00 gross
///   (tax 119 x 19/119 = 19.00, net 100.00) and 1 x 35.70 gross (tax 5.70,
///   net 30.00). Total 154.70; due 2026-03-31; 2 % discount 3.09 until 03-11.
/// - INV-2, 2026-03-05: 200.00, no tax.
/// - INV-3, 2026-03-06: 50.00; voided 03-07.
/// - INV-4, 2026-03-02: 500.00; paid 03-10 by R3 490.00 + 10.00 discount.
/// - R1 100.00 on 03-08, applied to INV-1 (partial payment): INV-1 54.70 open.
/// - CM-1 on 03-09 credits INV-1 line 1 (35.70) and is applied: INV-1 19.00.
/// - R2 250.00 on 03-10: 200.00 to INV-2 (paid), 19.00 to INV-1 (paid),
///   31.00 left over. The 19.00 is unapplied on 03-12 (recorded 03-12).
///
/// Final: INV-1 19.00 open, R2 50.00 unapplied, net -31.00.
fn build() -> Ledger {
    let mut l = Ledger::new();
    let usd = Currency::new("USD").unwrap();
    let acme = CustomerId::new("ACME").unwrap();
    let terms = PaymentTerms::net(30).with_discount(d("2"), 10);
    l.execute(
        Command::RegisterCustomer {
            customer: Customer::new(acme.clone(), "Acme Corp", usd).with_terms(terms),
        },
        &at("2026-03-01T08:00:00Z"),
    )
    .unwrap();
    let mut i1 = NewInvoice::new(
        inv("INV-1"),
        acme.clone(),
        day("2026-03-01"),
        vec![
            InvoiceLine::new("Widget", d("2"), d("59.50")).with_tax("VAT19", d("19")),
            InvoiceLine::new("Service", d("1"), d("35.70")).with_tax("VAT19", d("19")),
        ],
    );
    i1.tax_mode = TaxMode::Inclusive;
    l.execute(
        Command::IssueInvoice { invoice: i1 },
        &at("2026-03-01T09:00:00Z"),
    )
    .unwrap();
    let simple = |id: &str, date: &str, amount: &str| {
        NewInvoice::new(
            inv(id),
            acme.clone(),
            day(date),
            vec![InvoiceLine::new("Goods", d("1"), d(amount))],
        )
    };
    l.execute(
        Command::IssueInvoice {
            invoice: simple("INV-4", "2026-03-02", "500.00"),
        },
        &at("2026-03-02T09:00:00Z"),
    )
    .unwrap();
    l.execute(
        Command::IssueInvoice {
            invoice: simple("INV-2", "2026-03-05", "200.00"),
        },
        &at("2026-03-05T09:00:00Z"),
    )
    .unwrap();
    l.execute(
        Command::IssueInvoice {
            invoice: simple("INV-3", "2026-03-06", "50.00"),
        },
        &at("2026-03-06T09:00:00Z"),
    )
    .unwrap();
    l.execute(
        Command::VoidInvoice {
            invoice: inv("INV-3"),
            date: day("2026-03-07"),
            reason: "issued in error".into(),
        },
        &at("2026-03-07T09:00:00Z"),
    )
    .unwrap();
    let receipt = |id: &str, date: &str, amount: &str| Command::RecordReceipt {
        receipt: Receipt {
            id: ReceiptId::new(id).unwrap(),
            customer: Some(acme.clone()),
            date: day(date),
            amount: d(amount),
            currency: usd,
            method: PaymentMethod::Check,
            reference: None,
            remittance: String::new(),
            payer_name: None,
            payer_account: None,
        },
    };
    l.execute(
        receipt("R1", "2026-03-08", "100.00"),
        &at("2026-03-08T09:00:00Z"),
    )
    .unwrap();
    let apply =
        |id: &str, source: Source, invoice: &str, amount: &str, discount: &str, date: &str| {
            Command::Apply {
                id: Some(ApplicationId::new(id).unwrap()),
                source,
                invoice: inv(invoice),
                installment: None,
                amount: d(amount),
                discount: d(discount),
                date: day(date),
            }
        };
    l.execute(
        apply("A1", rc("R1"), "INV-1", "100.00", "0", "2026-03-08"),
        &at("2026-03-08T09:01:00Z"),
    )
    .unwrap();
    l.execute(
        Command::IssueCreditMemo {
            id: CreditMemoId::new("CM-1").unwrap(),
            customer: acme.clone(),
            date: day("2026-03-09"),
            currency: None,
            against: Some(inv("INV-1")),
            kind: CreditKind::Lines {
                lines: vec![CreditLine {
                    line: 1,
                    quantity: None,
                }],
            },
            reason: "service not rendered".into(),
        },
        &at("2026-03-09T09:00:00Z"),
    )
    .unwrap();
    let cm = Source::CreditMemo(CreditMemoId::new("CM-1").unwrap());
    l.execute(
        apply("A2", cm, "INV-1", "35.70", "0", "2026-03-09"),
        &at("2026-03-09T09:01:00Z"),
    )
    .unwrap();
    l.execute(
        receipt("R3", "2026-03-10", "490.00"),
        &at("2026-03-10T09:00:00Z"),
    )
    .unwrap();
    l.execute(
        apply("A3", rc("R3"), "INV-4", "490.00", "10.00", "2026-03-10"),
        &at("2026-03-10T09:01:00Z"),
    )
    .unwrap();
    l.execute(
        receipt("R2", "2026-03-10", "250.00"),
        &at("2026-03-10T10:00:00Z"),
    )
    .unwrap();
    l.execute(
        apply("A4", rc("R2"), "INV-2", "200.00", "0", "2026-03-10"),
        &at("2026-03-10T10:01:00Z"),
    )
    .unwrap();
    l.execute(
        apply("A5", rc("R2"), "INV-1", "19.00", "0", "2026-03-10"),
        &at("2026-03-10T10:02:00Z"),
    )
    .unwrap();
    l.execute(
        Command::Unapply {
            application: ApplicationId::new("A5").unwrap(),
            date: day("2026-03-12"),
            reason: "wrong invoice".into(),
        },
        &at("2026-03-12T09:00:00Z"),
    )
    .unwrap();
    l
}

#[test]
fn invoice_totals_are_hand_worked() {
    let l = build();
    let v = l.invoice(&inv("INV-1"), &View::all()).unwrap();
    let t = &v.invoice.totals;
    assert_eq!(
        (t.net, t.tax, t.total),
        (d("130.00"), d("24.70"), d("154.70"))
    );
    assert_eq!(
        t.lines[1],
        LineTotals {
            net: d("30.00"),
            tax: d("5.70"),
            gross: d("35.70")
        }
    );
    let offer = v.invoice.installments[0].discount.unwrap();
    assert_eq!((offer.until, offer.amount), (day("2026-03-11"), d("3.09")));
    assert_eq!(v.invoice.installments[0].due_date, day("2026-03-31"));
}

#[test]
fn final_balances() {
    let l = build();
    let acme = CustomerId::new("ACME").unwrap();
    let b = &l.customer_balance(&acme, &View::all()).unwrap()[0];
    assert_eq!(
        (b.invoices, b.unapplied_cash, b.open_credits, b.net),
        (d("19.00"), d("50.00"), d("0.00"), d("-31.00"))
    );
    let status = |id: &str| l.invoice(&inv(id), &View::all()).unwrap().status;
    assert_eq!(status("INV-1"), InvoiceStatus::PartiallyPaid);
    assert_eq!(status("INV-2"), InvoiceStatus::Paid);
    assert_eq!(status("INV-3"), InvoiceStatus::Void);
    assert_eq!(status("INV-4"), InvoiceStatus::Paid);
    let v1 = l.invoice(&inv("INV-1"), &View::all()).unwrap();
    assert_eq!(
        (v1.paid, v1.credited, v1.open),
        (d("100.00"), d("35.70"), d("19.00"))
    );
    let v4 = l.invoice(&inv("INV-4"), &View::all()).unwrap();
    assert_eq!((v4.paid, v4.discounted), (d("490.00"), d("10.00")));
    let items = l.open_items(&View::all());
    let summary: Vec<(OpenItemKind, &str, Decimal)> = items
        .iter()
        .map(|i| (i.kind, i.id.as_str(), i.open))
        .collect();
    assert_eq!(
        summary,
        vec![
            (OpenItemKind::Invoice, "INV-1", d("19.00")),
            (OpenItemKind::UnappliedCash, "R2", d("50.00"))
        ]
    );
    let cm = l
        .source(
            &Source::CreditMemo(CreditMemoId::new("CM-1").unwrap()),
            &View::all(),
        )
        .unwrap();
    assert_eq!(
        (cm.amount, cm.applied, cm.open),
        (d("35.70"), d("35.70"), d("0.00"))
    );
}

#[test]
fn as_of_and_known_at() {
    let l = build();
    let acme = CustomerId::new("ACME").unwrap();
    // On 03-11 the 19.00 was still applied: INV-1 paid, 31.00 unapplied.
    let b = &l
        .customer_balance(&acme, &View::as_of(day("2026-03-11")))
        .unwrap()[0];
    assert_eq!(
        (b.invoices, b.unapplied_cash, b.net),
        (d("0.00"), d("31.00"), d("-31.00"))
    );
    // On 03-08: INV-1 154.70 - 100.00, INV-4 500.00, INV-2 200.00 (INV-3 void).
    let b = &l
        .customer_balance(&acme, &View::as_of(day("2026-03-08")))
        .unwrap()[0];
    assert_eq!(b.invoices, d("54.70") + d("500.00") + d("200.00"));
    // On 03-06 INV-3 was open; voided on 03-07.
    let b = &l
        .customer_balance(&acme, &View::as_of(day("2026-03-06")))
        .unwrap()[0];
    assert_eq!(
        b.invoices,
        d("154.70") + d("500.00") + d("200.00") + d("50.00")
    );
    // As known on 03-11 at noon, even looking at all dates, no unapply yet.
    let known = View::all().known_at(Utc.with_ymd_and_hms(2026, 3, 11, 12, 0, 0).unwrap());
    assert_eq!(
        l.invoice(&inv("INV-1"), &known).unwrap().status,
        InvoiceStatus::Paid
    );
    let history = l.applications(&View::all());
    let a5 = history.iter().find(|a| a.id.as_str() == "A5").unwrap();
    assert_eq!(a5.unapplied_on, Some(day("2026-03-12")));
}

#[test]
fn discount_outside_the_window_is_refused() {
    let mut l = build();
    let before = l.to_json().unwrap();
    // INV-1's window closed on 03-11; R2 still has 50.00.
    let e = l
        .execute(
            Command::Apply {
                id: None,
                source: rc("R2"),
                invoice: inv("INV-1"),
                installment: None,
                amount: d("15.91"),
                discount: d("3.09"),
                date: day("2026-03-20"),
            },
            &at("2026-03-20T09:00:00Z"),
        )
        .unwrap_err();
    assert_eq!(e.code(), "discount_not_allowed");
    assert_eq!(l.to_json().unwrap(), before);
}

#[test]
fn bad_input_gets_typed_errors_and_changes_nothing() {
    let mut l = build();
    let before = l.to_json().unwrap();
    let later = at("2026-04-01T09:00:00Z");
    let cases: Vec<(Command, &str)> = vec![
        (
            Command::IssueInvoice {
                invoice: NewInvoice::new(
                    inv("INV-9"),
                    CustomerId::new("NOPE").unwrap(),
                    day("2026-04-01"),
                    vec![InvoiceLine::new("x", d("1"), d("1"))],
                ),
            },
            "not_found",
        ),
        (
            Command::IssueInvoice {
                invoice: NewInvoice::new(
                    inv("INV-1"),
                    CustomerId::new("ACME").unwrap(),
                    day("2026-04-01"),
                    vec![InvoiceLine::new("x", d("1"), d("1"))],
                ),
            },
            "duplicate_id",
        ),
        (
            Command::Apply {
                id: None,
                source: rc("R2"),
                invoice: inv("INV-1"),
                installment: None,
                amount: d("20.00"),
                discount: d("0"),
                date: day("2026-04-01"),
            },
            "over_application",
        ),
        (
            Command::Apply {
                id: None,
                source: rc("R2"),
                invoice: inv("INV-1"),
                installment: None,
                amount: d("1.001"),
                discount: d("0"),
                date: day("2026-04-01"),
            },
            "too_many_decimals",
        ),
        (
            Command::Apply {
                id: None,
                source: rc("R2"),
                invoice: inv("INV-1"),
                installment: None,
                amount: d("5"),
                discount: d("0"),
                date: day("2026-02-01"),
            },
            "date_before_document",
        ),
        (
            Command::RecordReceipt {
                receipt: Receipt {
                    id: ReceiptId::new("R9").unwrap(),
                    customer: Some(CustomerId::new("ACME").unwrap()),
                    date: day("2026-04-01"),
                    amount: d("-5"),
                    currency: Currency::new("USD").unwrap(),
                    method: PaymentMethod::Wire,
                    reference: None,
                    remittance: String::new(),
                    payer_name: None,
                    payer_account: None,
                },
            },
            "invalid_amount",
        ),
        (
            Command::VoidInvoice {
                invoice: inv("INV-1"),
                date: day("2026-04-01"),
                reason: String::new(),
            },
            "invalid_state",
        ),
    ];
    for (cmd, code) in cases {
        let e = l.execute(cmd, &later).unwrap_err();
        assert_eq!(e.code(), code, "{e}");
        assert_eq!(l.to_json().unwrap(), before, "{code} changed the ledger");
    }
}

#[test]
fn currency_mismatch_is_refused() {
    let mut l = build();
    l.execute(
        Command::RecordReceipt {
            receipt: Receipt {
                id: ReceiptId::new("R-EUR").unwrap(),
                customer: Some(CustomerId::new("ACME").unwrap()),
                date: day("2026-03-20"),
                amount: d("10.00"),
                currency: Currency::new("EUR").unwrap(),
                method: PaymentMethod::Wire,
                reference: None,
                remittance: String::new(),
                payer_name: None,
                payer_account: None,
            },
        },
        &at("2026-03-20T09:00:00Z"),
    )
    .unwrap();
    let e = l
        .execute(
            Command::Apply {
                id: None,
                source: rc("R-EUR"),
                invoice: inv("INV-1"),
                installment: None,
                amount: d("10.00"),
                discount: d("0"),
                date: day("2026-03-20"),
            },
            &at("2026-03-20T09:00:00Z"),
        )
        .unwrap_err();
    assert_eq!(e.code(), "currency_mismatch");
    // The EUR cash shows in its own balance row.
    let rows = l
        .customer_balance(&CustomerId::new("ACME").unwrap(), &View::all())
        .unwrap();
    // One row per currency, in currency-code order: EUR before USD.
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0].currency.code(), rows[0].unapplied_cash),
        ("EUR", d("10.00"))
    );
    assert_eq!((rows[1].currency.code(), rows[1].net), ("USD", d("-31.00")));
}

#[test]
fn replay_rebuilds_the_same_ledger() {
    let l = build();
    let json = l.to_json().unwrap();
    let back = Ledger::from_json(&json).unwrap();
    assert_eq!(back, l);
    assert_eq!(back.to_json().unwrap(), json);
    assert!(json.starts_with("{\"version\":2,"));
}

#[test]
fn idempotency_keys() {
    let mut l = build();
    let cmd = Command::Apply {
        id: None,
        source: rc("R2"),
        invoice: inv("INV-1"),
        installment: None,
        amount: d("19.00"),
        discount: d("0"),
        date: day("2026-03-13"),
    };
    let meta = at("2026-03-13T09:00:00Z").with_key("pay-1");
    let first = l.execute(cmd.clone(), &meta).unwrap();
    assert!(!first.replayed);
    let n = l.events().len();
    let again = l.execute(cmd, &meta).unwrap();
    assert!(again.replayed);
    assert_eq!(again.events, first.events);
    assert_eq!(l.events().len(), n);
    let other = Command::Apply {
        id: None,
        source: rc("R2"),
        invoice: inv("INV-1"),
        installment: None,
        amount: d("1.00"),
        discount: d("0"),
        date: day("2026-03-13"),
    };
    assert_eq!(
        l.execute(other, &meta).unwrap_err().code(),
        "idempotency_conflict"
    );
    // Keys survive a round trip through JSON.
    let mut back = Ledger::from_json(&l.to_json().unwrap()).unwrap();
    let cmd = Command::Apply {
        id: None,
        source: rc("R2"),
        invoice: inv("INV-1"),
        installment: None,
        amount: d("19.00"),
        discount: d("0"),
        date: day("2026-03-13"),
    };
    assert!(back.execute(cmd, &meta).unwrap().replayed);
}

#[test]
fn fifo_write_off_and_refund() {
    let mut l = build();
    // R2's 50.00: FIFO pays INV-1's 19.00 (only open invoice), 31.00 stays.
    let out = l
        .execute(
            Command::ApplyFifo {
                source: rc("R2"),
                date: day("2026-03-13"),
                include_disputed: false,
            },
            &at("2026-03-13T09:00:00Z"),
        )
        .unwrap();
    assert_eq!(out.events.len(), 1);
    assert_eq!(l.unapplied_cash(&View::all())[0].open, d("31.00"));
    // Refund 31.00; nothing is left.
    l.execute(
        Command::Refund {
            id: None,
            source: rc("R2"),
            amount: d("31.00"),
            date: day("2026-03-14"),
            method: PaymentMethod::Ach,
            reason: "overpayment".into(),
        },
        &at("2026-03-14T09:00:00Z"),
    )
    .unwrap();
    assert!(l.open_items(&View::all()).is_empty());
    // A new invoice, written off, and the write-off reversed.
    let acme = CustomerId::new("ACME").unwrap();
    l.execute(
        Command::IssueInvoice {
            invoice: NewInvoice::new(
                inv("INV-5"),
                acme,
                day("2026-03-15"),
                vec![InvoiceLine::new("x", d("1"), d("80.00"))],
            ),
        },
        &at("2026-03-15T09:00:00Z"),
    )
    .unwrap();
    let wo = l
        .execute(
            Command::WriteOff {
                id: None,
                invoice: inv("INV-5"),
                installment: None,
                amount: None,
                date: day("2026-06-30"),
                reason: "bankrupt".into(),
            },
            &at("2026-06-30T09:00:00Z"),
        )
        .unwrap();
    assert_eq!(
        l.invoice(&inv("INV-5"), &View::all()).unwrap().status,
        InvoiceStatus::WrittenOff
    );
    let Event::WrittenOff { write_off, .. } = &wo.events[0].event else {
        panic!("expected a write-off")
    };
    l.execute(
        Command::ReverseWriteOff {
            write_off: write_off.clone(),
            date: day("2026-07-10"),
            reason: "recovered".into(),
        },
        &at("2026-07-10T09:00:00Z"),
    )
    .unwrap();
    let v = l.invoice(&inv("INV-5"), &View::all()).unwrap();
    assert_eq!((v.status, v.open), (InvoiceStatus::Open, d("80.00")));
    let v = l
        .invoice(&inv("INV-5"), &View::as_of(day("2026-07-01")))
        .unwrap();
    assert_eq!(
        (v.status, v.written_off),
        (InvoiceStatus::WrittenOff, d("80.00"))
    );
}

#[test]
fn rounding_in_jpy_and_kwd_through_the_ledger() {
    let mut l = Ledger::new();
    let m = at("2026-01-01T00:00:00Z");
    for (id, code) in [("JP", "JPY"), ("KW", "KWD")] {
        l.execute(
            Command::RegisterCustomer {
                customer: Customer::new(
                    CustomerId::new(id).unwrap(),
                    id,
                    Currency::new(code).unwrap(),
                ),
            },
            &m,
        )
        .unwrap();
    }
    // JPY: 3 x 333 = 999, 10 % tax 99.9 -> 100; total 1,099 yen.
    let jp = NewInvoice::new(
        inv("J1"),
        CustomerId::new("JP").unwrap(),
        day("2026-01-01"),
        vec![InvoiceLine::new("x", d("3"), d("333")).with_tax("CT", d("10"))],
    );
    l.execute(Command::IssueInvoice { invoice: jp }, &m)
        .unwrap();
    assert_eq!(l.invoice(&inv("J1"), &View::all()).unwrap().open, d("1099"));
    // KWD: 1 x 12.3456 = 12.3456 -> 12.346; three equal installments 4.116 / 4.115 / 4.115.
    let mut kw = NewInvoice::new(
        inv("K1"),
        CustomerId::new("KW").unwrap(),
        day("2026-01-01"),
        vec![InvoiceLine::new("x", d("1"), d("12.3456"))],
    );
    let equal = |days| InstallmentTerm {
        portion: Portion::Equal,
        due: DueRule::Net { days },
        discount: None,
    };
    kw.terms = Some(PaymentTerms::Installments {
        installments: vec![equal(30), equal(60), equal(90)],
    });
    l.execute(Command::IssueInvoice { invoice: kw }, &m)
        .unwrap();
    let v = l.invoice(&inv("K1"), &View::all()).unwrap();
    let parts: Vec<Decimal> = v.installments.iter().map(|i| i.amount).collect();
    assert_eq!(parts, vec![d("4.116"), d("4.115"), d("4.115")]);
    assert_eq!(
        l.open_items(&View::all())
            .iter()
            .filter(|i| i.id == "K1")
            .count(),
        3
    );
    // A yen receipt of 100.5 is refused.
    let e = l
        .execute(
            Command::RecordReceipt {
                receipt: Receipt {
                    id: ReceiptId::new("RJ").unwrap(),
                    customer: Some(CustomerId::new("JP").unwrap()),
                    date: day("2026-01-02"),
                    amount: d("100.5"),
                    currency: Currency::new("JPY").unwrap(),
                    method: PaymentMethod::Wire,
                    reference: None,
                    remittance: String::new(),
                    payer_name: None,
                    payer_account: None,
                },
            },
            &m,
        )
        .unwrap_err();
    assert_eq!(e.code(), "too_many_decimals");
}

#[test]
fn opening_balances_and_unknown_payers() {
    let mut l = Ledger::new();
    let m = at("2026-01-01T00:00:00Z");
    let usd = Currency::new("USD").unwrap();
    let c = CustomerId::new("C1").unwrap();
    l.execute(
        Command::RegisterCustomer {
            customer: Customer::new(c.clone(), "C1", usd),
        },
        &m,
    )
    .unwrap();
    let open = OpeningInvoice {
        id: inv("OLD-7"),
        customer: c.clone(),
        date: day("2025-11-15"),
        due_date: day("2025-12-15"),
        currency: None,
        total: d("1000.00"),
        open: d("400.00"),
        po_number: None,
        dimensions: Default::default(),
    };
    l.execute(
        Command::ImportInvoice {
            invoice: open,
            as_of: day("2025-12-31"),
        },
        &m,
    )
    .unwrap();
    let v = l.invoice(&inv("OLD-7"), &View::all()).unwrap();
    assert_eq!(
        (v.status, v.open, v.settled_before_import),
        (InvoiceStatus::PartiallyPaid, d("400.00"), d("600.00"))
    );
    // Cash from an unknown payer cannot be applied until the payer is named.
    l.execute(
        Command::RecordReceipt {
            receipt: Receipt {
                id: ReceiptId::new("R?").unwrap(),
                customer: None,
                date: day("2026-01-05"),
                amount: d("400.00"),
                currency: usd,
                method: PaymentMethod::Wire,
                reference: None,
                remittance: "OLD-7".into(),
                payer_name: None,
                payer_account: None,
            },
        },
        &m,
    )
    .unwrap();
    let apply = Command::Apply {
        id: None,
        source: rc("R?"),
        invoice: inv("OLD-7"),
        installment: None,
        amount: d("400.00"),
        discount: d("0"),
        date: day("2026-01-05"),
    };
    assert_eq!(
        l.execute(apply.clone(), &m).unwrap_err().code(),
        "invalid_state"
    );
    assert_eq!(l.balances(&View::all()).last().unwrap().customer, None);
    l.execute(
        Command::AssignPayer {
            receipt: ReceiptId::new("R?").unwrap(),
            customer: c,
            date: day("2026-01-06"),
        },
        &m,
    )
    .unwrap();
    // Applying before the payer was known is refused, by hand or by FIFO;
    // on the 6th it works.
    assert_eq!(
        l.execute(apply, &m).unwrap_err().code(),
        "date_before_document"
    );
    let fifo = Command::ApplyFifo {
        source: rc("R?"),
        date: day("2026-01-05"),
        include_disputed: false,
    };
    assert_eq!(
        l.execute(fifo, &m).unwrap_err().code(),
        "date_before_document"
    );
    let apply = Command::Apply {
        id: None,
        source: rc("R?"),
        invoice: inv("OLD-7"),
        installment: None,
        amount: d("400.00"),
        discount: d("0"),
        date: day("2026-01-06"),
    };
    l.execute(apply, &m).unwrap();
    assert_eq!(
        l.invoice(&inv("OLD-7"), &View::all()).unwrap().status,
        InvoiceStatus::Paid
    );
}

#[test]
fn corrupt_events_are_refused_and_change_nothing() {
    let l = build();
    let next = l.events().len() as u64 + 1;
    let recorded: DateTime<Utc> = "2026-04-01T00:00:00Z".parse().unwrap();
    let env = |event: Event| EventEnvelope {
        seq: next,
        effective: day("2026-04-01"),
        recorded,
        idempotency_key: None,
        command_fingerprint: None,
        requested: None,
        event,
    };
    let alloc = |installment: u32| Allocation {
        installment,
        amount: d("1.00"),
        discount: Decimal::ZERO,
    };
    let bad = vec![
        // An installment the invoice does not have, after a valid one.
        env(Event::Applied {
            application: ApplicationId::new("X1").unwrap(),
            source: rc("R2"),
            invoice: inv("INV-1"),
            allocations: vec![alloc(1), alloc(9)],
        }),
        // An application id that already exists.
        env(Event::Applied {
            application: ApplicationId::new("A1").unwrap(),
            source: rc("R2"),
            invoice: inv("INV-1"),
            allocations: vec![alloc(1)],
        }),
        // A source that does not exist.
        env(Event::Applied {
            application: ApplicationId::new("X2").unwrap(),
            source: rc("R-404"),
            invoice: inv("INV-1"),
            allocations: vec![alloc(1)],
        }),
        // Unapplying twice.
        env(Event::Unapplied {
            application: ApplicationId::new("A5").unwrap(),
            reason: String::new(),
        }),
        // A gap in the sequence.
        EventEnvelope {
            seq: next + 1,
            ..env(Event::InvoiceFinalized {
                invoice: inv("INV-1"),
            })
        },
    ];
    for e in bad {
        let mut copy = l.clone();
        let err = copy.append(e.clone()).unwrap_err();
        assert_eq!(err.code(), "corrupt_log", "{e:?}");
        assert_eq!(copy, l, "{e:?} changed the ledger");
    }
    // A log that is not JSON, or of another version.
    assert_eq!(Ledger::from_json("{").unwrap_err().code(), "corrupt_log");
    assert_eq!(
        Ledger::from_json(r#"{"version":3,"events":[]}"#)
            .unwrap_err()
            .code(),
        "unsupported_log_version"
    );
}

#[test]
fn json_amounts_are_exact_strings() {
    let ok = r#"{"type":"refund","source":{"receipt":"R2"},"amount":"1.00","date":"2026-03-20"}"#;
    assert!(serde_json::from_str::<Command>(ok).is_ok());
    for amount in ["1e3", "19.000000000000000000000000000001", "1.5e0"] {
        let bad = ok.replace("\"1.00\"", &format!("\"{amount}\""));
        assert!(serde_json::from_str::<Command>(&bad).is_err(), "{amount}");
    }
    let number = ok.replace("\"1.00\"", "1.0");
    assert!(serde_json::from_str::<Command>(&number).is_err());
}
