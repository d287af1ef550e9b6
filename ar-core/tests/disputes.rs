//! Disputes as records: opened on an invoice, an installment or an amount,
//! resolved by a credit memo, a write-off or reinstatement; how they
//! relate to the `set_dispute` flag; counted, summed and aged.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common_collections;

use ar_core::collections::DisputeGroup;
use ar_core::*;
use common_collections::*;

fn id(s: &str) -> InvoiceId {
    InvoiceId::new(s).unwrap()
}

fn dispute(did: &str, invoice: &str, amount: Option<&str>, reason: &str, owner: &str) -> Dispute {
    Dispute {
        id: DisputeId::new(did).unwrap(),
        invoice: id(invoice),
        installment: None,
        amount: amount.map(m),
        reason: reason.into(),
        owner: owner.into(),
        note: String::new(),
    }
}

fn open(b: &mut Book, date: &str, d_: Dispute) {
    b.ok(
        d(date),
        Command::OpenDispute {
            dispute: d_,
            date: d(date),
        },
    );
}

fn resolve(b: &mut Book, did: &str, date: &str, resolution: Resolution) -> Result<Outcome> {
    b.run(
        d(date),
        Command::ResolveDispute {
            dispute: DisputeId::new(did).unwrap(),
            resolution,
            date: d(date),
            by: "lee".into(),
            reason: "checked the delivery notes".into(),
        },
    )
}

fn book() -> Book {
    let mut b = Book::new();
    b.customer("A", "EUR");
    b.customer("B", "EUR");
    b.invoice("INV-1", "A", "2026-01-01", "1000.00", 30);
    b.invoice("INV-2", "A", "2026-01-05", "400.00", 30);
    b.invoice("INV-3", "B", "2026-01-10", "250.00", 30);
    b
}

#[test]
fn opened_resolved_and_reported() {
    let mut b = book();
    open(
        &mut b,
        "2026-02-01",
        dispute("D-1", "INV-1", Some("300.00"), "pricing", "lee"),
    );
    open(
        &mut b,
        "2026-02-11",
        dispute("D-2", "INV-2", None, "damaged", "kim"),
    );
    open(
        &mut b,
        "2026-02-21",
        dispute("D-3", "INV-3", None, "pricing", "lee"),
    );

    // 1 March: by reason, pricing: D-1 (300, 28 days) and D-3 (250, 8
    // days): 2 disputes, 550, average 18.0 days, oldest 28; damaged: D-2
    // (400, 18 days).
    let rows = b
        .ledger
        .dispute_summary(d("2026-03-01"), None, DisputeGroup::Reason)
        .unwrap();
    let flat: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.key.as_str(),
                r.count,
                r.amount.to_string(),
                r.average_age_days.to_string(),
                r.oldest_age_days,
            )
        })
        .collect();
    assert_eq!(
        flat,
        [
            ("damaged", 1, s("400.00"), s("18.0"), 18),
            ("pricing", 2, s("550.00"), s("18.0"), 28)
        ]
    );
    let by_customer = b
        .ledger
        .dispute_summary(d("2026-03-01"), None, DisputeGroup::Customer)
        .unwrap();
    let flat: Vec<_> = by_customer
        .iter()
        .map(|r| {
            (
                r.key.as_str(),
                r.count,
                r.amount.to_string(),
                r.average_age_days.to_string(),
            )
        })
        .collect();
    // A: D-1 300 (28 days) + D-2 400 (18 days): 700, 23.0; B: D-3.
    assert_eq!(
        flat,
        [
            ("A", 2, s("700.00"), s("23.0")),
            ("B", 1, s("250.00"), s("8.0"))
        ]
    );

    // D-1 ends with a credit memo of 300 against INV-1.
    b.credit("CM-1", "A", "INV-1", "2026-03-02", "300.00");
    resolve(
        &mut b,
        "D-1",
        "2026-03-02",
        Resolution::CreditMemo {
            credit_memo: CreditMemoId::new("CM-1").unwrap(),
        },
    )
    .unwrap();
    // D-2 is written off.
    b.ok(
        d("2026-03-03"),
        Command::WriteOff {
            id: Some(WriteOffId::new("WO-2").unwrap()),
            invoice: id("INV-2"),
            installment: None,
            amount: None,
            date: d("2026-03-03"),
            reason: "goods destroyed in transit".into(),
        },
    );
    resolve(
        &mut b,
        "D-2",
        "2026-03-03",
        Resolution::WriteOff {
            write_off: WriteOffId::new("WO-2").unwrap(),
        },
    )
    .unwrap();
    // D-3 was wrong: the customer owes it.
    resolve(&mut b, "D-3", "2026-03-04", Resolution::Reinstated).unwrap();

    let all = b.ledger.disputes(d("2026-03-10"), None);
    let flat: Vec<_> = all
        .iter()
        .map(|v| {
            (
                v.id.as_str(),
                v.open,
                v.age_days,
                v.resolution.as_ref().map(Resolution::name),
                v.resolved_by.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        flat,
        [
            ("D-1", false, 29, Some("credit_memo"), Some("lee")),
            ("D-2", false, 20, Some("write_off"), Some("lee")),
            ("D-3", false, 11, Some("reinstated"), Some("lee"))
        ]
    );
    assert!(b
        .ledger
        .dispute_summary(d("2026-03-10"), None, DisputeGroup::Owner)
        .unwrap()
        .is_empty());
    // As of 1 March, nothing was resolved yet; as known on 1 February only D-1 was open.
    assert!(b
        .ledger
        .disputes(d("2026-03-01"), None)
        .iter()
        .all(|v| v.open));
    let early = b
        .ledger
        .disputes(d("2026-03-10"), Some(noon(d("2026-02-01"))));
    assert_eq!(early.len(), 1);
    assert!(early[0].open);
    assert_eq!(early[0].amount, m("300.00"));
    b.reads_back();
}

fn s(x: &str) -> String {
    x.to_owned()
}

#[test]
fn resolutions_are_checked() {
    let mut b = book();
    open(
        &mut b,
        "2026-02-01",
        dispute("D-1", "INV-1", None, "pricing", "lee"),
    );
    // A credit memo of another customer, a write-off of another invoice, a
    // date before the opening, an unknown dispute, no name.
    b.credit("CM-B", "B", "INV-3", "2026-02-05", "10.00");
    let e = resolve(
        &mut b,
        "D-1",
        "2026-02-05",
        Resolution::CreditMemo {
            credit_memo: CreditMemoId::new("CM-B").unwrap(),
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "customer_mismatch");
    b.ok(
        d("2026-02-05"),
        Command::WriteOff {
            id: Some(WriteOffId::new("WO-2").unwrap()),
            invoice: id("INV-2"),
            installment: None,
            amount: Some(m("1.00")),
            date: d("2026-02-05"),
            reason: "rounding".into(),
        },
    );
    let e = resolve(
        &mut b,
        "D-1",
        "2026-02-05",
        Resolution::WriteOff {
            write_off: WriteOffId::new("WO-2").unwrap(),
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_value");
    let e = resolve(&mut b, "D-1", "2026-01-31", Resolution::Reinstated).unwrap_err();
    assert_eq!(e.code(), "date_before_document");
    let e = resolve(&mut b, "D-9", "2026-02-05", Resolution::Reinstated).unwrap_err();
    assert_eq!(e.code(), "not_found");
    let before = b.ledger.to_json().unwrap();
    let e = b
        .run(
            d("2026-02-05"),
            Command::ResolveDispute {
                dispute: DisputeId::new("D-1").unwrap(),
                resolution: Resolution::Reinstated,
                date: d("2026-02-05"),
                by: " ".into(),
                reason: String::new(),
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "invalid_value");
    assert_eq!(
        b.ledger.to_json().unwrap(),
        before,
        "a refused command changes nothing"
    );
    resolve(&mut b, "D-1", "2026-02-05", Resolution::Reinstated).unwrap();
    let e = resolve(&mut b, "D-1", "2026-02-06", Resolution::Reinstated).unwrap_err();
    assert_eq!(e.code(), "invalid_state");
    // Opening: more than is open, an installment the invoice lacks, no
    // reason, a duplicate id, an unknown invoice.
    let bad = |b: &mut Book, x: Dispute| {
        b.run(
            d("2026-02-10"),
            Command::OpenDispute {
                dispute: x,
                date: d("2026-02-10"),
            },
        )
        .unwrap_err()
        .code()
    };
    assert_eq!(
        bad(&mut b, dispute("D-2", "INV-2", Some("400.00"), "x", "y")),
        "over_application"
    );
    let mut x = dispute("D-2", "INV-2", None, "x", "y");
    x.installment = Some(2);
    assert_eq!(bad(&mut b, x), "invalid_value");
    assert_eq!(
        bad(&mut b, dispute("D-2", "INV-2", None, "", "y")),
        "invalid_value"
    );
    assert_eq!(
        bad(&mut b, dispute("D-1", "INV-2", None, "x", "y")),
        "duplicate_id"
    );
    assert_eq!(
        bad(&mut b, dispute("D-2", "NOPE", None, "x", "y")),
        "not_found"
    );
    let mut long = dispute("D-2", "INV-2", None, "x", "y");
    long.reason = "r".repeat(limits::MAX_KEY_LEN + 1);
    assert_eq!(bad(&mut b, long), "limit_exceeded");
    b.reads_back();
}

#[test]
fn records_and_the_flag() {
    let mut b = book();
    let disputed = |b: &Book, inv: &str| b.ledger.invoice(&id(inv), &View::all()).unwrap().disputed;
    // The flag alone.
    b.ok(
        d("2026-02-01"),
        Command::SetDispute {
            invoice: id("INV-1"),
            disputed: true,
            date: d("2026-02-01"),
            reason: "call".into(),
        },
    );
    assert!(disputed(&b, "INV-1"));
    // A record as well; clearing the flag leaves the record's dispute.
    open(
        &mut b,
        "2026-02-02",
        dispute("D-1", "INV-1", Some("10.00"), "pricing", "lee"),
    );
    b.ok(
        d("2026-02-03"),
        Command::SetDispute {
            invoice: id("INV-1"),
            disputed: false,
            date: d("2026-02-03"),
            reason: String::new(),
        },
    );
    assert!(disputed(&b, "INV-1"));
    resolve(&mut b, "D-1", "2026-02-04", Resolution::Reinstated).unwrap();
    assert!(!disputed(&b, "INV-1"));
    // As of 2 February: flag on and record open.
    assert!(
        b.ledger
            .invoice(&id("INV-1"), &View::as_of(d("2026-02-03")))
            .unwrap()
            .disputed
    );
    // A record keeps its invoice out of FIFO: cash goes to INV-2.
    open(
        &mut b,
        "2026-02-05",
        dispute("D-2", "INV-1", None, "pricing", "lee"),
    );
    let r = Receipt {
        id: ReceiptId::new("R-1").unwrap(),
        customer: Some(CustomerId::new("A").unwrap()),
        date: d("2026-02-06"),
        amount: m("100.00"),
        currency: Currency::new("EUR").unwrap(),
        method: PaymentMethod::default(),
        reference: None,
        remittance: String::new(),
        payer_name: None,
        payer_account: None,
    };
    b.ok(d("2026-02-06"), Command::RecordReceipt { receipt: r });
    let out = b.ok(
        d("2026-02-06"),
        Command::ApplyFifo {
            source: Source::Receipt(ReceiptId::new("R-1").unwrap()),
            date: d("2026-02-06"),
            include_disputed: false,
        },
    );
    let Event::Applied { invoice, .. } = &out.events[0].event else {
        panic!()
    };
    assert_eq!(invoice.as_str(), "INV-2");
    // And out of automatic matching: the open item says so.
    let items = b.ledger.open_items(&View::all());
    assert!(items.iter().find(|i| i.id == "INV-1").unwrap().disputed);
    b.reads_back();
}
