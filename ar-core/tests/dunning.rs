//! A four-level dunning policy over a small book on three dates, with a
//! partial payment, a credit, a dispute, a promise and a hold in between:
//! what each run proposes and why each customer not chased is not. Every
//! figure is worked by hand in the comments.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common_collections;

use ar_core::collections::{DunningRun, DunningSetup, SkipReason};
use ar_core::*;
use common_collections::*;

fn standard() -> DunningSetup {
    // Level 1 from 1 day past due, 2 from 15, 3 from 30, 4 (to the agency)
    // from 45; at least EUR 50 overdue; fees 0 / 5 / 10 / 20; a week
    // between notices.
    let lv = |days, template: &str, fee: &str, action| {
        let mut l = level(days, template);
        l.min_overdue = vec![money("50.00", "EUR")];
        l.fee = vec![money(fee, "EUR")];
        l.action = action;
        l
    };
    let mut s = setup(policy(
        "standard",
        vec![
            lv(1, "first", "0.00", DunningAction::Email),
            lv(15, "second", "5.00", DunningAction::Email),
            lv(30, "third", "10.00", DunningAction::Letter),
            lv(45, "final", "20.00", DunningAction::Agency),
        ],
        7,
    ));
    s.templates.insert(
        "third".into(),
        include_str!("data/dunning_letter.txt.j2").to_owned(),
    );
    for t in ["first", "second", "final"] {
        s.templates.insert(
            t.into(),
            "{{ customer_name }}: {{ total|money(currency) }}\n".into(),
        );
    }
    s
}

fn id(s: &str) -> InvoiceId {
    InvoiceId::new(s).unwrap()
}

fn cust(s: &str) -> CustomerId {
    CustomerId::new(s).unwrap()
}

/// Each notice as (customer, level, [(invoice, open, level, previous)], fee, total).
type Summary = Vec<(String, u32, Vec<(String, String, u32, u32)>, String, String)>;

fn summary(run: &DunningRun) -> Summary {
    run.notices
        .iter()
        .map(|n| {
            (
                n.customer.to_string(),
                n.level,
                n.items
                    .iter()
                    .map(|i| {
                        (
                            i.invoice.to_string(),
                            i.open.to_string(),
                            i.level,
                            i.previous_level,
                        )
                    })
                    .collect(),
                n.fee.to_string(),
                n.total.to_string(),
            )
        })
        .collect()
}

fn s(x: &str) -> String {
    x.to_owned()
}

fn why(run: &DunningRun, customer: &str) -> Vec<SkipReason> {
    let found: Vec<_> = run
        .skipped
        .iter()
        .filter(|s| s.customer.as_str() == customer)
        .collect();
    assert_eq!(found.len(), 1, "{customer}: {found:?}");
    found[0].reasons.clone()
}

fn record(b: &mut Book, run: &DunningRun) {
    for n in &run.notices {
        let notice = n.record(NoticeId::new(format!("N-{}-{}", n.customer, run.as_of)).unwrap());
        b.ok(
            run.as_of,
            Command::RecordDunningNotice {
                notice,
                date: run.as_of,
            },
        );
    }
}

fn book() -> Book {
    let mut b = Book::new();
    for c in ["A", "B", "C", "D", "E", "F"] {
        b.customer(c, "EUR");
    }
    b.invoice("INV-A1", "A", "2026-01-01", "2500.00", 30); // due 31 Jan
    b.invoice("INV-A2", "A", "2026-01-29", "200.00", 30); // due 28 Feb
    b.invoice("INV-B1", "B", "2026-01-01", "40.00", 30); // due 31 Jan
    b.invoice("INV-C1", "C", "2025-12-21", "600.00", 30); // due 20 Jan
    b.invoice("INV-D1", "D", "2025-12-26", "800.00", 30); // due 25 Jan
    b.invoice("INV-F1", "F", "2025-12-11", "100.00", 30); // due 10 Jan
    b.ok(
        d("2026-02-01"),
        Command::SetCollectionsHold {
            customer: cust("F"),
            hold: true,
            date: d("2026-02-01"),
            reason: "insolvency talks".into(),
        },
    );
    b
}

#[test]
fn three_runs_over_a_small_book() {
    let mut b = book();
    let st = standard();

    // Run 1, 10 February.
    let run1 = b.ledger.dunning_run(&st, d("2026-02-10"), None).unwrap();
    // A1 10 days past due: level 1, no fee. C1 21 days, D1 16: level 2,
    // fee 5. A2 is not due yet.
    assert_eq!(
        summary(&run1),
        vec![
            (
                s("A"),
                1,
                vec![(s("INV-A1"), s("2500.00"), 1, 0)],
                s("0.00"),
                s("2500.00")
            ),
            (
                s("C"),
                2,
                vec![(s("INV-C1"), s("600.00"), 2, 0)],
                s("5.00"),
                s("605.00")
            ),
            (
                s("D"),
                2,
                vec![(s("INV-D1"), s("800.00"), 2, 0)],
                s("5.00"),
                s("805.00")
            ),
        ]
    );
    assert_eq!(run1.notices[1].action, DunningAction::Email);
    // B: 40 overdue under the 50 threshold; E: nothing; F: on hold (its
    // 100, 31 days past due, would be level 3).
    assert_eq!(
        why(&run1, "B"),
        [SkipReason::BelowThreshold {
            overdue: m("40.00"),
            threshold: m("50.00")
        }]
    );
    assert_eq!(why(&run1, "E"), [SkipReason::NothingOverdue]);
    assert_eq!(
        why(&run1, "F"),
        [SkipReason::OnHold {
            reason: "insolvency talks".into()
        }]
    );
    assert_eq!(
        run1.notices[0].text.as_deref(),
        Some("A Ltd: 2,500.00 EUR\n")
    );
    record(&mut b, &run1);
    // The same day again: nothing new, and why.
    let again = b.ledger.dunning_run(&st, d("2026-02-10"), None).unwrap();
    assert!(again.notices.is_empty());
    assert_eq!(
        why(&again, "A"),
        [
            SkipReason::NoNewLevel { level: 1 },
            SkipReason::NoticeSentRecently {
                notice: NoticeId::new("N-A-2026-02-10").unwrap(),
                days_ago: 0,
                min_days: 7
            }
        ]
    );

    // Between: A pays 1,000 of A1; B is credited 30; C disputes C1; D
    // promises 800 by 5 March (2 days' grace).
    b.pay("R-A", "A", "INV-A1", "2026-02-15", "1000.00");
    b.credit("CM-B", "B", "INV-B1", "2026-02-12", "30.00");
    b.ok(
        d("2026-02-12"),
        Command::OpenDispute {
            dispute: Dispute {
                id: DisputeId::new("DSP-C").unwrap(),
                invoice: id("INV-C1"),
                installment: None,
                amount: None,
                reason: "pricing".into(),
                owner: "sam".into(),
                note: String::new(),
            },
            date: d("2026-02-12"),
        },
    );
    b.ok(
        d("2026-02-14"),
        Command::RecordPromise {
            promise: Promise {
                id: PromiseId::new("P-D").unwrap(),
                customer: cust("D"),
                items: vec![ItemRef::invoice(id("INV-D1"))],
                amount: m("800.00"),
                due: d("2026-03-05"),
                grace_days: 2,
                threshold_percent: m("100"),
                note: String::new(),
            },
            date: d("2026-02-14"),
        },
    );

    // Run 2, 20 February.
    let run2 = b.ledger.dunning_run(&st, d("2026-02-20"), None).unwrap();
    // A1: 1,500 open, 20 days: level 2, reminded at 1 before (its history
    // kept through the partial payment); fee 5.
    assert_eq!(
        summary(&run2),
        vec![(
            s("A"),
            2,
            vec![(s("INV-A1"), s("1500.00"), 2, 1)],
            s("5.00"),
            s("1505.00")
        )]
    );
    assert_eq!(
        why(&run2, "B"),
        [SkipReason::BelowThreshold {
            overdue: m("10.00"),
            threshold: m("50.00")
        }]
    );
    assert_eq!(
        why(&run2, "C"),
        [SkipReason::Disputed {
            amount: m("600.00")
        }]
    );
    assert_eq!(
        why(&run2, "D"),
        [SkipReason::PromiseOpen {
            promise: PromiseId::new("P-D").unwrap(),
            due: d("2026-03-05")
        }]
    );
    assert_eq!(why(&run2, "E"), [SkipReason::NothingOverdue]);
    assert_eq!(
        why(&run2, "F"),
        [SkipReason::OnHold {
            reason: "insolvency talks".into()
        }]
    );
    // As the books stood on 10 February (before the payment, credit,
    // dispute and promise were recorded): A1 all open; C1, not yet
    // disputed, 31 days past due: level 3 (fee 10); D already reminded at
    // the level 2 its 26 days reach.
    let then = b
        .ledger
        .dunning_run(&st, d("2026-02-20"), Some(noon(d("2026-02-10"))))
        .unwrap();
    assert_eq!(
        summary(&then),
        vec![
            (
                s("A"),
                2,
                vec![(s("INV-A1"), s("2500.00"), 2, 1)],
                s("5.00"),
                s("2505.00")
            ),
            (
                s("C"),
                3,
                vec![(s("INV-C1"), s("600.00"), 3, 2)],
                s("10.00"),
                s("610.00")
            ),
        ]
    );
    assert_eq!(why(&then, "D")[0], SkipReason::NoNewLevel { level: 2 });
    record(&mut b, &run2);

    // Between: D pays 300 only (the promise breaks after 7 March); C's
    // dispute ends with a credit of 100, the rest owed; F's hold is lifted.
    b.pay("R-D", "D", "INV-D1", "2026-03-01", "300.00");
    b.credit("CM-C", "C", "INV-C1", "2026-03-02", "100.00");
    b.ok(
        d("2026-03-02"),
        Command::ResolveDispute {
            dispute: DisputeId::new("DSP-C").unwrap(),
            resolution: Resolution::CreditMemo {
                credit_memo: CreditMemoId::new("CM-C").unwrap(),
            },
            date: d("2026-03-02"),
            by: "sam".into(),
            reason: "price list of 2025 applied".into(),
        },
    );
    b.ok(
        d("2026-03-01"),
        Command::SetCollectionsHold {
            customer: cust("F"),
            hold: false,
            date: d("2026-03-01"),
            reason: "agreement reached".into(),
        },
    );

    // Run 3, 12 March.
    let run3 = b.ledger.dunning_run(&st, d("2026-03-12"), None).unwrap();
    // A: A1 40 days (level 3, was 2), A2 12 days (level 1, new): 1,700
    // overdue, fee 10. C: 500 open, 51 days: level 4, was 2; fee 20. D: the
    // promise is broken (300 of 800 by 7 March): 500 open, 46 days: level
    // 4. F: 61 days, never reminded: level 4.
    assert_eq!(
        summary(&run3),
        vec![
            (
                s("A"),
                3,
                vec![
                    (s("INV-A1"), s("1500.00"), 3, 2),
                    (s("INV-A2"), s("200.00"), 1, 0)
                ],
                s("10.00"),
                s("1710.00")
            ),
            (
                s("C"),
                4,
                vec![(s("INV-C1"), s("500.00"), 4, 2)],
                s("20.00"),
                s("520.00")
            ),
            (
                s("D"),
                4,
                vec![(s("INV-D1"), s("500.00"), 4, 2)],
                s("20.00"),
                s("520.00")
            ),
            (
                s("F"),
                4,
                vec![(s("INV-F1"), s("100.00"), 4, 0)],
                s("20.00"),
                s("120.00")
            ),
        ]
    );
    assert_eq!(run3.notices[1].action, DunningAction::Agency);
    assert_eq!(
        why(&run3, "B"),
        [SkipReason::BelowThreshold {
            overdue: m("10.00"),
            threshold: m("50.00")
        }]
    );
    assert_eq!(why(&run3, "E"), [SkipReason::NothingOverdue]);
    let broken = b.ledger.broken_promises(d("2026-03-12"), None).unwrap();
    assert_eq!(broken.len(), 1);
    assert_eq!(
        (broken[0].paid, broken[0].required),
        (m("300.00"), m("800.00"))
    );
    // On 6 March, within the grace days, the promise was still open.
    let open = b.ledger.promises(d("2026-03-06"), None).unwrap();
    assert_eq!(open[0].status, collections::PromiseStatus::Open);

    // The letter for A, byte for byte.
    let expected = include_str!("data/dunning_letter_expected.txt");
    assert_eq!(run3.notices[0].text.as_deref(), Some(expected));

    record(&mut b, &run3);
    let again = b.ledger.dunning_run(&st, d("2026-03-12"), None).unwrap();
    assert!(again.notices.is_empty(), "{:?}", summary(&again));
    b.reads_back();
}

#[test]
fn reminders_before_due_and_a_policy_per_customer() {
    let mut b = Book::new();
    b.customer("A", "EUR");
    b.customer_with(
        Customer::new(cust("B"), "B Ltd", Currency::new("EUR").unwrap())
            .with_dimension("dunning_policy", "gentle"),
    );
    b.invoice("INV-A", "A", "2026-01-01", "100.00", 30); // due 31 Jan
    b.invoice("INV-B", "B", "2026-01-01", "100.00", 30);
    let mut st = setup(policy(
        "strict",
        vec![level(-5, "pre"), level(1, "first")],
        0,
    ));
    st.policies
        .push(policy("gentle", vec![level(10, "first")], 0));
    // 28 January: A's invoice is due in 3 days: the reminder before due
    // (level 1 from 5 days before). B's gentle policy starts 10 days after.
    let run = b.ledger.dunning_run(&st, d("2026-01-28"), None).unwrap();
    assert_eq!(run.notices.len(), 1);
    assert_eq!(
        (
            run.notices[0].customer.as_str(),
            run.notices[0].policy.as_str()
        ),
        ("A", "strict")
    );
    assert_eq!(run.notices[0].items[0].days_past_due, -3);
    assert_eq!(why(&run, "B"), [SkipReason::NothingOverdue]);
    // A policy that is not in the setup is an error naming the customer.
    b.customer_with(
        Customer::new(cust("X"), "X", Currency::new("EUR").unwrap())
            .with_dimension("dunning_policy", "nope"),
    );
    let e = b
        .ledger
        .dunning_run(&st, d("2026-01-28"), None)
        .unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert!(e.to_string().contains("customer X"), "{e}");
}

#[test]
fn partial_disputes_leave_only_their_amount_out() {
    let mut b = Book::new();
    b.customer("A", "EUR");
    b.invoice("INV-1", "A", "2026-01-01", "1000.00", 30);
    b.ok(
        d("2026-02-02"),
        Command::OpenDispute {
            dispute: Dispute {
                id: DisputeId::new("D-1").unwrap(),
                invoice: id("INV-1"),
                installment: None,
                amount: Some(m("250.00")),
                reason: "damaged".into(),
                owner: "kim".into(),
                note: "two crates broken".into(),
            },
            date: d("2026-02-02"),
        },
    );
    let st = setup(policy("p", vec![level(1, "first")], 0));
    let run = b.ledger.dunning_run(&st, d("2026-02-10"), None).unwrap();
    // 750 of 1,000 chased; 250 listed as left out.
    assert_eq!(run.notices[0].overdue, m("750.00"));
    assert_eq!(run.notices[0].items[0].open, m("750.00"));
    assert_eq!(
        run.notices[0].excluded[0].reason,
        collections::Exclusion::Disputed {
            amount: m("250.00")
        }
    );
    // The invoice reads as disputed (out of FIFO and automatic matching).
    let view = b.ledger.invoice(&id("INV-1"), &View::all()).unwrap();
    assert!(view.disputed);
}

#[test]
fn templates_fail_with_the_template_and_line() {
    let mut b = Book::new();
    b.customer("A", "EUR");
    b.invoice("INV-1", "A", "2026-01-01", "10.00", 30);
    let mut st = setup(policy("p", vec![level(1, "first")], 0));
    st.templates.insert(
        "first".into(),
        "Dear {{ customer_name }},\n\n{{ no_such_field }}\n".into(),
    );
    let e = b
        .ledger
        .dunning_run(&st, d("2026-02-10"), None)
        .unwrap_err();
    assert_eq!(e.code(), "template_error");
    assert_eq!(e.family(), ErrorFamily::Validation);
    assert!(e.to_string().starts_with("template first, line 3:"), "{e}");
    st.templates
        .insert("first".into(), "{% for x in items %}".into());
    let e = b
        .ledger
        .dunning_run(&st, d("2026-02-10"), None)
        .unwrap_err();
    assert_eq!(e.code(), "template_error");
    // A loop without end runs out of its budget.
    st.templates.insert(
        "first".into(),
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}".into(),
    );
    let e = b
        .ledger
        .dunning_run(&st, d("2026-02-10"), None)
        .unwrap_err();
    assert_eq!(e.code(), "template_error");
    // Too large a template.
    st.templates
        .insert("first".into(), "x".repeat(limits::MAX_TEMPLATE_LEN + 1));
    let e = b
        .ledger
        .dunning_run(&st, d("2026-02-10"), None)
        .unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
    // A missing template.
    st.templates.clear();
    st.templates.insert("other".into(), "x".into());
    let e = b
        .ledger
        .dunning_run(&st, d("2026-02-10"), None)
        .unwrap_err();
    assert_eq!(e.code(), "template_error");
}

#[test]
fn policies_are_bounded_and_checked() {
    let levels = (0..=limits::MAX_DUNNING_LEVELS)
        .map(|i| level(i32::try_from(i).unwrap(), "t"))
        .collect();
    let e = setup(policy("p", levels, 0)).validate().unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
    let e = setup(policy("p", vec![level(10, "a"), level(5, "b")], 0))
        .validate()
        .unwrap_err();
    assert_eq!(e.code(), "invalid_value");
    let mut bad = level(1, "a");
    bad.fee = vec![money("1.00", "EUR"), money("2.00", "EUR")];
    let e = setup(policy("p", vec![bad], 0)).validate().unwrap_err();
    assert_eq!(e.code(), "invalid_value");
    let mut s = setup(policy("p", vec![level(1, "a")], 0));
    s.default_policy = "q".into();
    assert_eq!(s.validate().unwrap_err().code(), "not_found");
}

#[test]
fn notices_are_checked_and_read_back() {
    let mut b = book();
    let bad = NoticeRecord {
        id: NoticeId::new("N-1").unwrap(),
        customer: cust("A"),
        currency: Currency::new("EUR").unwrap(),
        level: 2,
        action: DunningAction::Email,
        items: vec![NoticeItem {
            invoice: id("INV-B1"),
            installment: 1,
            level: 2,
        }],
    };
    let e = b
        .run(
            d("2026-02-10"),
            Command::RecordDunningNotice {
                notice: bad.clone(),
                date: d("2026-02-10"),
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "customer_mismatch");
    let e = b
        .run(
            d("2026-02-10"),
            Command::RecordDunningNotice {
                notice: NoticeRecord {
                    items: vec![NoticeItem {
                        invoice: id("INV-A1"),
                        installment: 2,
                        level: 2,
                    }],
                    ..bad.clone()
                },
                date: d("2026-02-10"),
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "invalid_value");
    let e = b
        .run(
            d("2026-02-10"),
            Command::RecordDunningNotice {
                notice: NoticeRecord {
                    items: vec![NoticeItem {
                        invoice: id("INV-A1"),
                        installment: 1,
                        level: 1,
                    }],
                    ..bad.clone()
                },
                date: d("2026-02-10"),
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "invalid_value", "{e}");
    let before = b.ledger.to_json().unwrap();
    let good = NoticeRecord {
        items: vec![NoticeItem {
            invoice: id("INV-A1"),
            installment: 1,
            level: 2,
        }],
        ..bad
    };
    b.ok(
        d("2026-02-10"),
        Command::RecordDunningNotice {
            notice: good.clone(),
            date: d("2026-02-10"),
        },
    );
    let e = b
        .run(
            d("2026-02-10"),
            Command::RecordDunningNotice {
                notice: good,
                date: d("2026-02-10"),
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "duplicate_id");
    assert_ne!(before, b.ledger.to_json().unwrap());
    b.reads_back();
    // A notice edited in the stored log is refused on reading back.
    let json = b.ledger.to_log();
    let mut events = json.events.clone();
    if let Some(Event::DunningNoticeRecorded { notice }) = events.last().map(|e| e.event.clone()) {
        let mut n = (*notice).clone();
        n.level = 3;
        let last = events.len() - 1;
        events[last].event = Event::DunningNoticeRecorded {
            notice: std::sync::Arc::new(n),
        };
    } else {
        panic!("no notice");
    }
    let e = Ledger::replay(events).unwrap_err();
    assert_eq!(e.code(), "corrupt_log");
}
