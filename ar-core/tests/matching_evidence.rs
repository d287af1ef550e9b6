//! Cash application: what the matcher applies automatically only with
//! evidence. Hand-worked cases, one per kind of failure: a write-off found
//! by the amount alone, purchase-order and check numbers that are also
//! invoice numbers, a remittance that says no invoice is paid, partial
//! payments against a list of references.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use ar_core::chrono::NaiveDate;
use ar_core::matching::{
    match_receipts, ItemKind, MatchItem, MatchOptions, MatchReceipt, MatchStatus, PartialPayments,
    PayerBasis, ReasonCode, ReceiptMatch, ReferenceKind, Tolerance, ToleranceEvidence,
};
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, CustomerId};

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}
fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
fn usd() -> Currency {
    Currency::new("USD").unwrap()
}
fn cust(s: &str) -> CustomerId {
    CustomerId::new(s).unwrap()
}

fn inv(id: &str, customer: &str, due: &str, open: &str) -> MatchItem {
    MatchItem {
        kind: ItemKind::Invoice,
        id: id.into(),
        installment: None,
        customer: cust(customer),
        currency: usd(),
        date: day(due) - ar_core::chrono::Duration::days(30),
        due_date: day(due),
        open: d(open),
        discount: None,
        po_number: None,
        disputed: false,
    }
}

fn receipt(payer: Option<&str>, amount: &str, text: &str) -> MatchReceipt {
    MatchReceipt {
        id: "R1".into(),
        customer: payer.map(cust),
        date: day("2026-04-02"),
        amount: d(amount),
        currency: usd(),
        remittance: text.into(),
        payer_name: None,
        account: None,
    }
}

fn one(r: MatchReceipt, items: Vec<MatchItem>, options: &MatchOptions) -> ReceiptMatch {
    match_receipts(&[r], items, &[], options)
        .unwrap()
        .matches
        .remove(0)
}

/// (invoice, amount, write_off, open_after) of a proposal's applications.
fn lines(m: &ReceiptMatch, p: usize) -> Vec<(String, String, String, String)> {
    m.proposals[p]
        .applications
        .iter()
        .map(|a| {
            (
                a.invoice.clone(),
                a.amount.to_string(),
                a.write_off.to_string(),
                a.open_after.to_string(),
            )
        })
        .collect()
}

fn l(inv: &str, amount: &str, wo: &str, after: &str) -> (String, String, String, String) {
    (inv.into(), amount.into(), wo.into(), after.into())
}

fn has(m: &ReceiptMatch, p: usize, code: ReasonCode) -> bool {
    m.proposals[p].reasons.iter().any(|r| r.code == code)
}

fn tolerance(evidence: ToleranceEvidence) -> MatchOptions {
    MatchOptions {
        tolerance: Tolerance {
            fixed: Some(d("25.00")),
            percent: None,
        },
        tolerance_evidence: evidence,
        ..MatchOptions::default()
    }
}

/// ACME owes INV-7001 236.67 and INV-7002 980.00. It pays 225.45 quoting
/// its own purchase order 90595, which is on none of the invoices:
/// 236.67 - 225.45 = 11.22 is within a 25.00 tolerance, but nothing says
/// INV-7001 is what was paid.
fn near_one_item() -> Vec<MatchItem> {
    vec![
        inv("INV-7001", "ACME", "2026-03-31", "236.67"),
        inv("INV-7002", "ACME", "2026-03-31", "980.00"),
    ]
}

#[test]
fn a_write_off_on_the_amount_alone_is_only_proposed() {
    // The default options, with a tolerance.
    assert_eq!(
        MatchOptions::default().tolerance_evidence,
        ToleranceEvidence::Reference
    );
    let m = one(
        receipt(Some("ACME"), "225.45", "PO 90595"),
        near_one_item(),
        &MatchOptions {
            tolerance: tolerance(ToleranceEvidence::Any).tolerance,
            ..MatchOptions::default()
        },
    );
    assert_eq!(m.status, MatchStatus::Review);
    assert_eq!(
        lines(&m, 0),
        [l("INV-7001", "225.45", "11.22", "0.00")],
        "proposed with its write-off"
    );
    assert!(m.proposals[0].confidence < 85);
    assert!(has(&m, 0, ReasonCode::ToleranceUnsupported));

    // The same cash with the invoice named: written off automatically.
    let m = one(
        receipt(Some("ACME"), "225.45", "INV-7001"),
        near_one_item(),
        &tolerance(ToleranceEvidence::Reference),
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(lines(&m, 0), [l("INV-7001", "225.45", "11.22", "0.00")]);
    assert_eq!(m.proposals[0].confidence, 94);
    assert!(!has(&m, 0, ReasonCode::ToleranceUnsupported));

    // `any`: the amount alone may do, as before.
    let m = one(
        receipt(Some("ACME"), "225.45", ""),
        near_one_item(),
        &tolerance(ToleranceEvidence::Any),
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(lines(&m, 0), [l("INV-7001", "225.45", "11.22", "0.00")]);
    assert_eq!(m.proposals[0].confidence, 85);

    // `review_only`: not even with the invoice named.
    let m = one(
        receipt(Some("ACME"), "225.45", "INV-7001"),
        near_one_item(),
        &tolerance(ToleranceEvidence::ReviewOnly),
    );
    assert_eq!(m.status, MatchStatus::Review);
    assert_eq!(lines(&m, 0), [l("INV-7001", "225.45", "11.22", "0.00")]);
    assert!(has(&m, 0, ReasonCode::ToleranceUnsupported));
    // An exact payment is not a write-off: unaffected.
    let m = one(
        receipt(Some("ACME"), "236.67", "INV-7001"),
        near_one_item(),
        &tolerance(ToleranceEvidence::ReviewOnly),
    );
    assert_eq!(m.status, MatchStatus::Auto);
}

#[test]
fn a_write_off_a_lower_threshold_would_pass_is_still_reviewed() {
    // Even at a threshold of 50 the amount alone is no evidence for a
    // write-off.
    let o = MatchOptions {
        auto_threshold: 50,
        ..tolerance(ToleranceEvidence::Reference)
    };
    let m = one(receipt(Some("ACME"), "225.45", ""), near_one_item(), &o);
    assert_eq!(m.status, MatchStatus::Review);
    assert_eq!(lines(&m, 0), [l("INV-7001", "225.45", "11.22", "0.00")]);
    // Nothing consumed: a later receipt naming INV-7001 still finds it open.
    let batch = match_receipts(
        &[
            receipt(Some("ACME"), "225.45", ""),
            MatchReceipt {
                id: "R2".into(),
                ..receipt(Some("ACME"), "236.67", "INV 7001")
            },
        ],
        near_one_item(),
        &[],
        &o,
    )
    .unwrap();
    assert_eq!(batch.matches[1].status, MatchStatus::Auto);
    assert_eq!(
        lines(&batch.matches[1], 0),
        [l("INV-7001", "236.67", "0.00", "0.00")]
    );
}

#[test]
fn purchase_order_and_check_numbers_are_not_invoice_numbers() {
    let o = MatchOptions::default();
    // GLOBEX's INV-012993 has the number of ACME's purchase order 12993.
    // An unknown payer quoting "PO 12993" is not thereby GLOBEX: only the
    // amount suggests it, so at most review.
    let items = || {
        vec![
            inv("INV-012993", "GLOBEX", "2026-03-31", "512.40"),
            inv("INV-5", "ACME", "2026-03-31", "100.00"),
        ]
    };
    let m = one(receipt(None, "512.40", "PO 12993"), items(), &o);
    assert_eq!(m.references[0].kind, ReferenceKind::PurchaseOrder);
    assert_eq!(m.status, MatchStatus::Review);
    assert_eq!(m.proposals[0].payer_basis, PayerBasis::Amount);
    assert!(m.proposals[0].confidence <= 70);
    // With "PO NO" as well; and a check number that fits no amount is
    // nothing at all.
    let m = one(receipt(None, "512.40", "PO NO 12993"), items(), &o);
    assert_eq!(m.references[0].kind, ReferenceKind::PurchaseOrder);
    assert_ne!(m.status, MatchStatus::Auto);
    let m = one(receipt(None, "250.00", "CHK 12993"), items(), &o);
    assert_eq!(m.references[0].kind, ReferenceKind::Check);
    assert_eq!(m.status, MatchStatus::Unmatched);

    // ACME pays 250.00 by check 4411; its INV-4411 is 300.00 and its
    // INV-9001 250.00. The check number is not a partial payment of
    // INV-4411: the amount settles INV-9001.
    let items = || {
        vec![
            inv("INV-4411", "ACME", "2026-03-15", "300.00"),
            inv("INV-9001", "ACME", "2026-03-31", "250.00"),
        ]
    };
    for text in ["CHK 4411", "CHECK NO 4411", "CHEQUE 4411"] {
        let m = one(receipt(Some("ACME"), "250.00", text), items(), &o);
        assert_eq!(m.references[0].kind, ReferenceKind::Check, "{text}");
        assert_eq!(m.status, MatchStatus::Auto, "{text}");
        assert_eq!(
            lines(&m, 0),
            [l("INV-9001", "250.00", "0.00", "0.00")],
            "{text}"
        );
    }
    // A check number beside an invoice number: the invoice number counts.
    let m = one(
        receipt(Some("ACME"), "300.00", "CHECK 9001 INV 4411"),
        items(),
        &o,
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(lines(&m, 0), [l("INV-4411", "300.00", "0.00", "0.00")]);
    // Nothing else fits: the check number's invoice is proposed, for
    // review only.
    let m = one(receipt(Some("ACME"), "310.00", "CHK 4411"), items(), &o);
    assert_eq!(m.status, MatchStatus::Review);
    assert_eq!(lines(&m, 0), [l("INV-4411", "300.00", "0.00", "0.00")]);
    assert_eq!(m.proposals[0].unapplied.to_string(), "10.00");
    assert!(has(&m, 0, ReasonCode::NotInvoiceNumber));
}

#[test]
fn prepayments_and_deposits_pay_no_invoice() {
    // ACME's 500.00 fits INV-10 exactly, but the text says it is a deposit.
    let items = || vec![inv("INV-10", "ACME", "2026-03-31", "500.00")];
    for text in [
        "PREPAYMENT ORDER 5521",
        "deposit",
        "Advance for May",
        "DEPOSIT INV-10",
    ] {
        let m = one(
            receipt(Some("ACME"), "500.00", text),
            items(),
            &MatchOptions::default(),
        );
        assert_ne!(m.status, MatchStatus::Auto, "{text}");
        assert!(
            m.notes.iter().any(|n| n.code == ReasonCode::NoInvoice),
            "{text}"
        );
    }
    // Without the word: applied.
    let m = one(
        receipt(Some("ACME"), "500.00", "ORDER 5521"),
        items(),
        &MatchOptions::default(),
    );
    assert_eq!(m.status, MatchStatus::Auto);
}

/// ACME owes INV-201 300.00, INV-202 200.00 and INV-203 150.00.
fn three() -> Vec<MatchItem> {
    vec![
        inv("INV-201", "ACME", "2026-02-28", "300.00"),
        inv("INV-202", "ACME", "2026-03-15", "200.00"),
        inv("INV-203", "ACME", "2026-03-31", "150.00"),
    ]
}

#[test]
fn a_complete_list_paid_short_is_a_partial_payment() {
    // 400.00 for INV-201 and INV-202 (500.00): no subset and no other
    // combination makes 400.00. The cash fills the older invoice first;
    // 100.00 stays open on INV-202, nothing is written off.
    let r = || receipt(Some("ACME"), "400.00", "INV-201, INV-202");
    let m = one(r(), three(), &MatchOptions::default());
    assert_eq!(m.status, MatchStatus::Review);
    assert_eq!(
        lines(&m, 0),
        [
            l("INV-201", "300.00", "0.00", "0.00"),
            l("INV-202", "100.00", "0.00", "100.00")
        ]
    );
    assert_eq!(m.proposals[0].confidence, 86);
    assert!(has(&m, 0, ReasonCode::PartialPayment));
    assert!(has(&m, 0, ReasonCode::ShortPayDeduction));
    // Below an exact fit of the same references.
    let exact = one(
        receipt(Some("ACME"), "500.00", "INV-201, INV-202"),
        three(),
        &MatchOptions::default(),
    );
    assert!(exact.proposals[0].confidence > m.proposals[0].confidence);

    // When the options allow it, applied.
    let o = MatchOptions {
        partial_payments: PartialPayments::Auto,
        ..MatchOptions::default()
    };
    let m = one(r(), three(), &o);
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(
        lines(&m, 0),
        [
            l("INV-201", "300.00", "0.00", "0.00"),
            l("INV-202", "100.00", "0.00", "100.00")
        ]
    );
}

#[test]
fn one_invoice_paid_in_part() {
    // 120.00 of INV-201's 300.00: reviewed by default, applied when
    // partial payments may be.
    let r = || receipt(Some("ACME"), "120.00", "INV-201");
    let m = one(r(), three(), &MatchOptions::default());
    assert_eq!(m.status, MatchStatus::Review);
    assert_eq!(lines(&m, 0), [l("INV-201", "120.00", "0.00", "180.00")]);
    assert!(has(&m, 0, ReasonCode::PartialPayment));
    let o = MatchOptions {
        partial_payments: PartialPayments::Auto,
        ..MatchOptions::default()
    };
    let m = one(r(), three(), &o);
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(lines(&m, 0), [l("INV-201", "120.00", "0.00", "180.00")]);

    // A shortfall the remittance names is a deduction, not a partial
    // payment: 300.00 - 45.00 = 255.00, the 45.00 left open.
    let m = one(
        receipt(Some("ACME"), "255.00", "INV-201 short 45.00 damaged"),
        three(),
        &MatchOptions::default(),
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(lines(&m, 0), [l("INV-201", "255.00", "0.00", "45.00")]);
    assert!(!has(&m, 0, ReasonCode::PartialPayment));
    // Named, but not the shortfall: a partial payment again.
    let m = one(
        receipt(Some("ACME"), "255.00", "INV-201 short 40.00 damaged"),
        three(),
        &MatchOptions::default(),
    );
    assert_eq!(m.status, MatchStatus::Review);
}

#[test]
fn policies_by_name() {
    for p in [
        ToleranceEvidence::Reference,
        ToleranceEvidence::Any,
        ToleranceEvidence::ReviewOnly,
    ] {
        assert_eq!(ToleranceEvidence::from_name(p.name()), Some(p));
    }
    assert_eq!(
        ToleranceEvidence::from_name("review_only").unwrap().name(),
        "review_only"
    );
    assert_eq!(ToleranceEvidence::from_name("Reference"), None);
    assert_eq!(
        PartialPayments::from_name("auto"),
        Some(PartialPayments::Auto)
    );
    assert_eq!(
        PartialPayments::from_name("review"),
        Some(PartialPayments::Review)
    );
    assert_eq!(PartialPayments::from_name("always"), None);
    // As the options are written in JSON.
    let o: MatchOptions =
        serde_json::from_str(r#"{"tolerance_evidence":"any","partial_payments":"auto"}"#).unwrap();
    assert_eq!(
        (o.tolerance_evidence, o.partial_payments),
        (ToleranceEvidence::Any, PartialPayments::Auto)
    );
}

/// A pay run on 04-02 over two invoices on 2/10 net 30 terms:
/// - INV-301, dated 03-20, 1,000.00: its 20.00 discount ran to 03-30;
/// - INV-302, dated 03-25, 500.00: its 10.00 discount runs to 04-04.
///
/// ACME takes both discounts: 1,500.00 - 30.00 = 1,470.00. INV-302's is
/// earned (granted); INV-301's is not (20.00 stays open as a deduction).
fn two_windows() -> Vec<MatchItem> {
    let mut a = inv("INV-301", "ACME", "2026-04-19", "1000.00");
    a.date = day("2026-03-20");
    a.discount = Some(ar_core::matching::MatchDiscount {
        until: day("2026-03-30"),
        amount: d("20.00"),
    });
    let mut b = inv("INV-302", "ACME", "2026-04-24", "500.00");
    b.date = day("2026-03-25");
    b.discount = Some(ar_core::matching::MatchDiscount {
        until: day("2026-04-04"),
        amount: d("10.00"),
    });
    vec![a, b]
}

#[test]
fn each_discount_of_a_pay_run_is_judged_on_its_own_window() {
    let options = MatchOptions::default();
    let m = one(
        receipt(Some("ACME"), "1470.00", "INV-301 INV-302"),
        two_windows(),
        &options,
    );
    let first = &m.proposals[0];
    let got: Vec<(String, String, String, String)> = first
        .applications
        .iter()
        .map(|a| {
            (
                a.invoice.clone(),
                a.amount.to_string(),
                a.discount.to_string(),
                a.open_after.to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            l("INV-301", "980.00", "0.00", "20.00"),
            l("INV-302", "490.00", "10.00", "0.00"),
        ]
    );
    assert_eq!(first.unapplied, d("0.00"));
    assert!(has(&m, 0, ReasonCode::DiscountInWindow));
    assert!(has(&m, 0, ReasonCode::DiscountLate));
    // Named in full and fitting, as a late discount alone does: applied.
    assert_eq!(m.status, MatchStatus::Auto, "{m:?}");
    // Only the earned discount taken: 1,490.00 settles both, nothing open.
    let m = one(
        receipt(Some("ACME"), "1490.00", "INV-301 INV-302"),
        two_windows(),
        &options,
    );
    assert_eq!(m.status, MatchStatus::Auto);
    let open: Vec<String> = m.proposals[0]
        .applications
        .iter()
        .map(|a| a.open_after.to_string())
        .collect();
    assert_eq!(open, ["0.00", "0.00"]);
}

/// INV-7 of ACME, dated 03-01, in three installments of 100.00 due 04-01,
/// 05-01 and 06-01, all open.
fn inv7() -> Vec<MatchItem> {
    (1..=3u32)
        .map(|k| {
            let due = ["2026-04-01", "2026-05-01", "2026-06-01"][k as usize - 1];
            let mut m = inv("INV-7", "ACME", due, "100.00");
            m.installment = Some(k);
            m.date = day("2026-03-01");
            m
        })
        .collect()
}

/// INV-7 in three installments of 100.00 (due 04-01, 05-01, 06-01), all
/// open. ACME pays 100.00 on 04-01 without text, and 100.00 on 04-20
/// naming INV-7. Taken day by day, the first pays installment 1 and the
/// second installment 2; taking every receipt with a reference first would
/// give the later receipt installment 1 and leave the earlier one to take
/// installment 2, against the order the payer paid in.
#[test]
fn receipts_are_taken_day_by_day() {
    let items = inv7();
    let mut first = receipt(Some("ACME"), "100.00", "");
    first.date = day("2026-04-01");
    let mut second = receipt(Some("ACME"), "100.00", "INV-7");
    second.id = "R2".into();
    second.date = day("2026-04-20");
    // Given latest first: the answer keeps that order.
    let batch = match_receipts(&[second, first], items, &[], &MatchOptions::default()).unwrap();
    let got: Vec<(&str, MatchStatus, Option<u32>)> = batch
        .matches
        .iter()
        .map(|m| {
            (
                m.receipt.as_str(),
                m.status,
                m.proposals[0].applications[0].installment,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("R2", MatchStatus::Auto, Some(2)),
            ("R1", MatchStatus::Auto, Some(1))
        ]
    );
}

/// INV-7 in three installments of 100.00, all open; ACME pays 100.00
/// "INV-7 installment 3 of 3": the payer says which installment, so the
/// third is paid, not the oldest. Without the words, the oldest.
#[test]
fn an_installment_named_is_the_one_paid() {
    let items = inv7();
    let options = MatchOptions::default();
    let named = one(
        receipt(Some("ACME"), "100.00", "INV-7 installment 3 of 3"),
        items.clone(),
        &options,
    );
    assert_eq!(named.status, MatchStatus::Auto);
    assert_eq!(named.proposals[0].applications[0].installment, Some(3));
    let plain = one(receipt(Some("ACME"), "100.00", "INV-7"), items, &options);
    assert_eq!(plain.status, MatchStatus::Auto);
    assert_eq!(plain.proposals[0].applications[0].installment, Some(1));
}
