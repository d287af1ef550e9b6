//! Cash application, checked against hand-worked cases.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use ar_core::chrono::NaiveDate;
use ar_core::matching::{
    match_receipts, ItemKind, MatchCustomer, MatchDiscount, MatchItem, MatchOptions, MatchReceipt,
    MatchStatus, Matcher, PayerBasis, ReasonCode, ReceiptMatch, SourceKind, Tolerance,
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
        date: day(due) - chrono_days(30),
        due_date: day(due),
        open: d(open),
        discount: None,
        po_number: None,
        disputed: false,
    }
}

fn chrono_days(n: i64) -> ar_core::chrono::Duration {
    ar_core::chrono::Duration::days(n)
}

fn receipt(id: &str, payer: Option<&str>, date: &str, amount: &str, text: &str) -> MatchReceipt {
    MatchReceipt {
        id: id.into(),
        customer: payer.map(cust),
        date: day(date),
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

/// (invoice, amount, discount, write_off, open_after) of a proposal's cash lines.
fn lines(m: &ReceiptMatch, p: usize) -> Vec<(String, String, String, String, String)> {
    m.proposals[p]
        .applications
        .iter()
        .map(|a| {
            (
                a.invoice.clone(),
                a.amount.to_string(),
                a.discount.to_string(),
                a.write_off.to_string(),
                a.open_after.to_string(),
            )
        })
        .collect()
}

fn l(
    inv: &str,
    amount: &str,
    disc: &str,
    wo: &str,
    after: &str,
) -> (String, String, String, String, String) {
    (
        inv.into(),
        amount.into(),
        disc.into(),
        wo.into(),
        after.into(),
    )
}

fn has(m: &ReceiptMatch, p: usize, code: ReasonCode) -> bool {
    m.proposals[p].reasons.iter().any(|r| r.code == code)
}

#[test]
fn amount_settles_the_one_combination_that_fits() {
    // 300.00 against 100.00, 250.00 and 50.00: 100+250 = 350, 100+50 = 150,
    // all three = 400; only 250 + 50 = 300.
    let items = vec![
        inv("INV-1", "ACME", "2026-01-31", "100.00"),
        inv("INV-2", "ACME", "2026-02-28", "250.00"),
        inv("INV-3", "ACME", "2026-03-31", "50.00"),
    ];
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-02", "300.00", ""),
        items,
        &MatchOptions::default(),
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(
        lines(&m, 0),
        [
            l("INV-2", "250.00", "0.00", "0.00", "0.00"),
            l("INV-3", "50.00", "0.00", "0.00", "0.00")
        ]
    );
    assert!(has(&m, 0, ReasonCode::Combination));
    assert!(m.proposals[0].confidence >= 85);
}

#[test]
fn a_list_of_references_settles_both() {
    let items = vec![
        inv("INV-1001", "ACME", "2026-01-31", "120.00"),
        inv("INV-1002", "ACME", "2026-02-28", "80.50"),
        inv("INV-1003", "ACME", "2026-03-31", "200.50"),
    ];
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-02", "200.50", "INV-1001/1002"),
        items,
        &MatchOptions::default(),
    );
    // 120.00 + 80.50 = 200.50, which INV-1003 alone also is: the references decide.
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(
        lines(&m, 0),
        [
            l("INV-1001", "120.00", "0.00", "0.00", "0.00"),
            l("INV-1002", "80.50", "0.00", "0.00", "0.00")
        ]
    );
    assert_eq!(m.proposals[0].confidence, 99);
    assert!(has(&m, 0, ReasonCode::Reference));
    assert!(has(&m, 0, ReasonCode::ExactAmount));
}

fn discounted(id: &str) -> MatchItem {
    // 1,000.00 on 2/10 net 30, invoiced 1 March: 20.00 off until 11 March.
    MatchItem {
        date: day("2026-03-01"),
        due_date: day("2026-03-31"),
        discount: Some(MatchDiscount {
            until: day("2026-03-11"),
            amount: d("20.00"),
        }),
        ..inv(id, "ACME", "2026-03-31", "1000.00")
    }
}

#[test]
fn discount_in_window_closes_and_after_it_leaves_a_deduction() {
    let o = MatchOptions::default();
    let m = one(
        receipt("R1", Some("ACME"), "2026-03-10", "980.00", "INV 77"),
        vec![discounted("INV-77")],
        &o,
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(
        lines(&m, 0),
        [l("INV-77", "980.00", "20.00", "0.00", "0.00")]
    );
    assert!(has(&m, 0, ReasonCode::DiscountInWindow));

    // The same 980.00 on 20 March: the window closed on the 11th.
    let m = one(
        receipt("R1", Some("ACME"), "2026-03-20", "980.00", "INV 77"),
        vec![discounted("INV-77")],
        &o,
    );
    assert_eq!(
        lines(&m, 0),
        [l("INV-77", "980.00", "0.00", "0.00", "20.00")]
    );
    assert!(has(&m, 0, ReasonCode::DiscountLate));
    // Also by the amount alone, without a reference.
    let m = one(
        receipt("R1", Some("ACME"), "2026-03-05", "980.00", ""),
        vec![discounted("INV-77")],
        &o,
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(
        lines(&m, 0),
        [l("INV-77", "980.00", "20.00", "0.00", "0.00")]
    );
}

#[test]
fn short_pay_within_tolerance_is_written_off_beyond_it_is_not() {
    let o = MatchOptions {
        tolerance: Tolerance {
            fixed: Some(d("25.00")),
            percent: None,
        },
        ..MatchOptions::default()
    };
    let items = || vec![inv("INV-5", "ACME", "2026-03-31", "500.00")];
    // 500.00 - 485.00 = 15.00 <= 25.00.
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "485.00", "INV-5"),
        items(),
        &o,
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(
        lines(&m, 0),
        [l("INV-5", "485.00", "0.00", "15.00", "0.00")]
    );
    assert!(has(&m, 0, ReasonCode::ShortPayWrittenOff));
    // 500.00 - 470.00 = 30.00 > 25.00: applied, 30.00 left open.
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "470.00", "INV-5"),
        items(),
        &o,
    );
    assert_eq!(
        lines(&m, 0),
        [l("INV-5", "470.00", "0.00", "0.00", "30.00")]
    );
    assert!(has(&m, 0, ReasonCode::ShortPayDeduction));
    assert!(!has(&m, 0, ReasonCode::ShortPayWrittenOff));

    // A percentage: 2% of 500.00 is 10.00; 9.99 short passes, 10.01 does not.
    let o = MatchOptions {
        tolerance: Tolerance {
            fixed: None,
            percent: Some(d("2")),
        },
        ..MatchOptions::default()
    };
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "490.01", "INV-5"),
        items(),
        &o,
    );
    assert_eq!(lines(&m, 0), [l("INV-5", "490.01", "0.00", "9.99", "0.00")]);
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "489.99", "INV-5"),
        items(),
        &o,
    );
    assert_eq!(
        lines(&m, 0),
        [l("INV-5", "489.99", "0.00", "0.00", "10.01")]
    );
    // Without a reference the tolerance finds the item too.
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "491.00", ""),
        items(),
        &o,
    );
    assert_eq!(lines(&m, 0), [l("INV-5", "491.00", "0.00", "9.00", "0.00")]);
}

#[test]
fn several_fitting_combinations_are_listed_and_none_applied() {
    // 500.00 against 100, 200, 300, 400: 100+400 and 200+300 fit equally.
    let items = vec![
        inv("A", "ACME", "2026-01-31", "100.00"),
        inv("B", "ACME", "2026-02-28", "200.00"),
        inv("C", "ACME", "2026-03-31", "300.00"),
        inv("D", "ACME", "2026-04-30", "400.00"),
    ];
    let m = one(
        receipt("R1", Some("ACME"), "2026-05-02", "500.00", ""),
        items,
        &MatchOptions::default(),
    );
    assert_eq!(m.status, MatchStatus::Review);
    assert!(m.notes.iter().any(|n| n.code == ReasonCode::Ambiguous));
    let sets: Vec<Vec<String>> = m
        .proposals
        .iter()
        .map(|p| p.applications.iter().map(|a| a.invoice.clone()).collect())
        .collect();
    // Both, older first; 100+400 starts with the older invoice.
    assert_eq!(sets, [vec!["A", "D"], vec!["B", "C"]]);
    assert_eq!(m.proposals[0].confidence, m.proposals[1].confidence);
    assert!(m.auto().is_none());
}

#[test]
fn unknown_payer_is_found_from_the_reference() {
    let items = vec![
        inv("INV-000123", "ACME", "2026-03-31", "640.00"),
        inv("INV-000124", "GLOBEX", "2026-03-31", "640.00"),
    ];
    let m = one(
        receipt("R1", None, "2026-04-01", "640.00", "ACH CCD PAYMENT INV123"),
        items,
        &MatchOptions::default(),
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(m.proposals[0].customer, cust("ACME"));
    assert_eq!(m.proposals[0].payer_basis, PayerBasis::Reference);
    assert!(has(&m, 0, ReasonCode::PayerByReference));
    assert_eq!(
        lines(&m, 0),
        [l("INV-000123", "640.00", "0.00", "0.00", "0.00")]
    );
    // The commands name the payer first.
    let cmds = m.commands(0).unwrap();
    assert_eq!(cmds.len(), 2);
    assert_eq!(cmds[0].name(), "assign_payer");
    assert_eq!(cmds[1].name(), "apply");
}

#[test]
fn a_typo_counts_only_when_the_amount_agrees() {
    let items = || {
        vec![
            inv("INV-4512", "ACME", "2026-03-31", "310.00"),
            inv("INV-9000", "ACME", "2026-04-30", "75.00"),
        ]
    };
    let o = MatchOptions::default();
    // 4152 is 4512 with two digits swapped; the amount is 4512's.
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "310.00", "INV 4152"),
        items(),
        &o,
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(
        lines(&m, 0),
        [l("INV-4512", "310.00", "0.00", "0.00", "0.00")]
    );
    assert!(has(&m, 0, ReasonCode::FuzzyReference));
    // A doubled digit and a dropped one.
    for text in ["INV 45512", "INV 452"] {
        let m = one(
            receipt("R1", Some("ACME"), "2026-04-01", "310.00", text),
            items(),
            &o,
        );
        assert!(has(&m, 0, ReasonCode::FuzzyReference), "{text}");
    }
    // The same typo with an amount that does not agree: not taken.
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "200.00", "INV 4152"),
        items(),
        &o,
    );
    assert_eq!(m.status, MatchStatus::Unmatched);
    assert!(m.proposals.is_empty());
    // Typos are looked for among the payer's own items only.
    let mut other = items();
    other[0].customer = cust("GLOBEX");
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "310.00", "INV 4152"),
        other,
        &o,
    );
    assert_eq!(m.status, MatchStatus::Unmatched);
}

#[test]
fn purchase_orders_credit_memos_and_creditor_references() {
    let o = MatchOptions::default();
    let mut with_po = inv("INV-31", "ACME", "2026-03-31", "410.00");
    with_po.po_number = Some("PO-4500012345".into());
    let m = one(
        receipt(
            "R1",
            Some("ACME"),
            "2026-04-01",
            "410.00",
            "P.O. 4500012345",
        ),
        vec![with_po, inv("INV-32", "ACME", "2026-03-31", "410.00")],
        &o,
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(m.proposals[0].applications[0].invoice, "INV-31");
    assert!(has(&m, 0, ReasonCode::PurchaseOrder));

    // 500.00 less credit memo CM-9 of 55.00: 445.00 paid.
    let credit = MatchItem {
        kind: ItemKind::CreditMemo,
        ..inv("CM-9", "ACME", "2026-03-15", "55.00")
    };
    let m = one(
        receipt(
            "R1",
            Some("ACME"),
            "2026-04-01",
            "445.00",
            "INV 40 less credit CM-9",
        ),
        vec![
            inv("INV-40", "ACME", "2026-03-31", "500.00"),
            credit.clone(),
        ],
        &o,
    );
    assert_eq!(m.status, MatchStatus::Auto);
    let a = &m.proposals[0].applications;
    assert_eq!(a.len(), 2);
    assert_eq!(
        (a[0].source_kind, a[0].source.as_str()),
        (SourceKind::CreditMemo, "CM-9")
    );
    assert_eq!(
        (a[0].amount.to_string(), a[0].open_after.to_string()),
        ("55.00".into(), "445.00".into())
    );
    assert_eq!(
        (a[1].source_kind, a[1].amount.to_string()),
        (SourceKind::Receipt, "445.00".into())
    );
    // Without naming the memo, the amount finds the netting as well.
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "445.00", ""),
        vec![inv("INV-40", "ACME", "2026-03-31", "500.00"), credit],
        &o,
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(m.proposals[0].applications.len(), 2);

    // RF18 5390 0754 7034 is the ISO 11649 example; its body is our invoice number.
    let m = one(
        receipt("R1", None, "2026-04-01", "99.00", "RF18 5390 0754 7034"),
        vec![inv("539007547034", "ACME", "2026-03-31", "99.00")],
        &o,
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(m.proposals[0].confidence, 100);
    assert!(has(&m, 0, ReasonCode::CreditorReference));
}

#[test]
fn overpayment_and_partial_payment_against_a_reference() {
    let o = MatchOptions::default();
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "260.00", "INV-8"),
        vec![inv("INV-8", "ACME", "2026-03-31", "250.00")],
        &o,
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert_eq!(m.proposals[0].unapplied.to_string(), "10.00");
    assert!(has(&m, 0, ReasonCode::Overpayment));
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "100.00", "INV-8"),
        vec![inv("INV-8", "ACME", "2026-03-31", "250.00")],
        &o,
    );
    assert_eq!(
        lines(&m, 0),
        [l("INV-8", "100.00", "0.00", "0.00", "150.00")]
    );
}

#[test]
fn a_batch_never_settles_an_item_twice() {
    let items = vec![
        inv("INV-1", "ACME", "2026-03-31", "100.00"),
        inv("INV-2", "ACME", "2026-04-30", "100.00"),
    ];
    // Receipts that name an open item go first: R2 takes INV-1. R3 names
    // INV-1 as well, which is settled by then; its amount fits INV-2, but
    // against its reference, so it waits for review. R1 has only its
    // amount, and INV-2 is the one item left that it fits.
    let receipts = [
        receipt("R1", Some("ACME"), "2026-05-01", "100.00", ""),
        receipt("R2", Some("ACME"), "2026-05-01", "100.00", "INV-1"),
        receipt("R3", Some("ACME"), "2026-05-01", "100.00", "INV-1"),
    ];
    let batch = match_receipts(&receipts, items, &[], &MatchOptions::default()).unwrap();
    let [r1, r2, r3] = &batch.matches[..] else {
        panic!("three results");
    };
    assert_eq!(r2.status, MatchStatus::Auto);
    assert_eq!(r2.proposals[0].applications[0].invoice, "INV-1");
    assert!(r3.notes.iter().any(|n| n.code == ReasonCode::NotOpen));
    assert_ne!(r3.status, MatchStatus::Auto);
    assert_eq!(r1.status, MatchStatus::Auto);
    assert_eq!(r1.proposals[0].applications[0].invoice, "INV-2");
    let auto = &batch.summary[0];
    assert_eq!(
        (auto.status, auto.receipts, auto.amount.to_string()),
        (MatchStatus::Auto, 2, "200.00".into())
    );
    assert_eq!(batch.summary.len(), 3);
}

#[test]
fn payers_by_name_and_by_account() {
    let items = vec![
        inv("INV-1", "ACME", "2026-03-31", "700.00"),
        inv("INV-2", "GLOBEX", "2026-03-31", "700.00"),
    ];
    let customers = [
        MatchCustomer {
            id: cust("ACME"),
            name: "Acme Corp".into(),
            aliases: vec![],
            accounts: vec!["021000021-99887766".into()],
        },
        MatchCustomer {
            id: cust("GLOBEX"),
            name: "Globex Corporation".into(),
            aliases: vec!["Globex Intl".into()],
            accounts: vec![],
        },
    ];
    let mut m = Matcher::new(items, &customers, MatchOptions::default()).unwrap();
    let mut r = receipt(
        "R1",
        None,
        "2026-04-01",
        "700.00",
        "ACH GLOBEX INTL PAYMENT",
    );
    let p = m.propose(&r).unwrap();
    assert_eq!(p.proposals[0].customer, cust("GLOBEX"));
    assert_eq!(p.proposals[0].payer_basis, PayerBasis::Name);
    r.remittance = String::new();
    r.account = Some("021000021 99887766".into());
    let p = m.propose(&r).unwrap();
    assert_eq!(p.proposals[0].customer, cust("ACME"));
    assert_eq!(p.proposals[0].payer_basis, PayerBasis::Account);
    // Neither: the amount fits both customers' invoices; never applied.
    r.account = None;
    let batch = m.match_batch(&[r]).unwrap();
    let p = &batch.matches[0];
    assert_eq!(p.status, MatchStatus::Review);
    assert_eq!(p.proposals.len(), 2);
    assert!(p
        .proposals
        .iter()
        .all(|x| x.payer_basis == PayerBasis::Amount && x.confidence <= 70));
}

#[test]
fn disputed_items_are_never_applied_automatically() {
    let mut item = inv("INV-1", "ACME", "2026-03-31", "100.00");
    item.disputed = true;
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "100.00", "INV-1"),
        vec![item],
        &MatchOptions::default(),
    );
    assert_eq!(m.status, MatchStatus::Review);
    assert!(has(&m, 0, ReasonCode::Disputed));
}

#[test]
fn hostile_input_is_bounded() {
    // 5,000 open invoices of the same amount: a payment of three of them
    // fits C(5000, 3) ways. The search stops at its bounds and says so.
    let items: Vec<MatchItem> = (0..5000)
        .map(|i| inv(&format!("INV-{i}"), "ACME", "2026-03-31", "100.00"))
        .collect();
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "300.00", ""),
        items.clone(),
        &MatchOptions::default(),
    );
    assert_eq!(m.status, MatchStatus::Review);
    assert_eq!(m.proposals.len(), 10);
    assert!(m
        .notes
        .iter()
        .any(|n| n.code == ReasonCode::MoreAlternatives));
    // One of them: 5,000 single fits, listed up to the bound.
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "100.00", ""),
        items,
        &MatchOptions::default(),
    );
    assert_eq!(m.status, MatchStatus::Review);
    assert_eq!(m.proposals.len(), 10);
    // A megabyte of remittance text: read up to the limit.
    let text = "INV-1 INV-2 0123456789 ".repeat(50_000);
    let m = one(
        receipt("R1", Some("ACME"), "2026-04-01", "100.00", &text),
        vec![inv("INV-1", "ACME", "2026-03-31", "100.00")],
        &MatchOptions::default(),
    );
    assert_eq!(m.status, MatchStatus::Auto);
    assert!(m.notes.iter().any(|n| n.code == ReasonCode::TextTruncated));
}

#[test]
fn bad_input_is_refused_with_the_field_named() {
    let o = MatchOptions::default();
    let err = match_receipts(
        &[receipt("R1", None, "2026-04-01", "0.00", "")],
        vec![],
        &[],
        &o,
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_amount");
    assert!(err.to_string().contains("receipts[0].amount"), "{err}");
    let err = match_receipts(&[], vec![inv("A", "X", "2026-01-01", "1.001")], &[], &o).unwrap_err();
    assert_eq!(err.code(), "too_many_decimals");
    assert!(err.to_string().contains("items[0].open"), "{err}");
    let a = inv("A", "X", "2026-01-01", "1.00");
    let err = match_receipts(&[], vec![a.clone(), a], &[], &o).unwrap_err();
    assert_eq!(err.code(), "duplicate_id");
    let bad = MatchOptions {
        auto_threshold: 101,
        ..MatchOptions::default()
    };
    assert_eq!(
        match_receipts(&[], vec![], &[], &bad).unwrap_err().code(),
        "invalid_value"
    );
    let bad = MatchOptions {
        tolerance: Tolerance {
            fixed: None,
            percent: Some(d("100")),
        },
        ..MatchOptions::default()
    };
    let err = match_receipts(&[], vec![], &[], &bad).unwrap_err();
    assert!(
        err.to_string().contains("options.tolerance.percent"),
        "{err}"
    );
}

#[test]
fn results_are_deterministic() {
    let items: Vec<MatchItem> = (0..50)
        .map(|i| {
            inv(
                &format!("INV-{i}"),
                "ACME",
                "2026-03-31",
                &format!("{}.00", 10 + i % 7),
            )
        })
        .collect();
    let receipts: Vec<MatchReceipt> = (0..20)
        .map(|i| {
            receipt(
                &format!("R{i}"),
                Some("ACME"),
                "2026-04-01",
                &format!("{}.00", 20 + i),
                "",
            )
        })
        .collect();
    let a = match_receipts(&receipts, items.clone(), &[], &MatchOptions::default()).unwrap();
    let b = match_receipts(&receipts, items, &[], &MatchOptions::default()).unwrap();
    assert_eq!(a, b);
    let json = serde_json::to_string(&a).unwrap();
    assert!(json.contains("\"status\":\"review\""));
}
