//! Promises to pay and payment plans: kept, broken and completed as of any
//! date, what they do to dunning, and what is refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common_collections;

use ar_core::collections::{PlanStatus, PromiseStatus, SkipReason};
use ar_core::*;
use common_collections::*;

fn id(s: &str) -> InvoiceId {
    InvoiceId::new(s).unwrap()
}

fn cust(s: &str) -> CustomerId {
    CustomerId::new(s).unwrap()
}

fn promise(
    pid: &str,
    items: &[&str],
    amount: &str,
    due: &str,
    grace: u32,
    threshold: &str,
) -> Promise {
    Promise {
        id: PromiseId::new(pid).unwrap(),
        customer: cust("A"),
        items: items.iter().map(|i| ItemRef::invoice(id(i))).collect(),
        amount: m(amount),
        due: d(due),
        grace_days: grace,
        threshold_percent: m(threshold),
        note: String::new(),
    }
}

fn book() -> Book {
    let mut b = Book::new();
    b.customer("A", "EUR");
    b.invoice("INV-1", "A", "2026-01-01", "1000.00", 30); // due 31 Jan
    b.invoice("INV-2", "A", "2026-01-02", "600.00", 30); // due 1 Feb
    b
}

#[test]
fn a_promise_kept_at_its_threshold_and_one_broken() {
    let mut b = book();
    // 1,000 promised by 20 February, 3 days' grace, kept at 80 %: 800.
    b.ok(
        d("2026-02-10"),
        Command::RecordPromise {
            promise: promise("P-1", &["INV-1"], "1000.00", "2026-02-20", 3, "80"),
            date: d("2026-02-10"),
        },
    );
    // 500 promised on INV-2 by 15 February, no grace.
    b.ok(
        d("2026-02-10"),
        Command::RecordPromise {
            promise: promise("P-2", &["INV-2"], "500.00", "2026-02-15", 0, "100"),
            date: d("2026-02-10"),
        },
    );
    b.pay("R-1", "A", "INV-1", "2026-02-22", "800.00"); // within grace: 800 of 800 needed
    b.pay("R-2", "A", "INV-2", "2026-02-16", "500.00"); // a day late
    let status = |b: &Book, day: &str| -> Vec<(String, PromiseStatus, String)> {
        b.ledger
            .promises(d(day), None)
            .unwrap()
            .into_iter()
            .map(|p| (p.promise.id.to_string(), p.status, p.paid.to_string()))
            .collect()
    };
    // 14 February: both open, nothing paid yet.
    assert_eq!(
        status(&b, "2026-02-14"),
        [
            (s("P-1"), PromiseStatus::Open, s("0.00")),
            (s("P-2"), PromiseStatus::Open, s("0.00"))
        ]
    );
    // 16 February: P-2 broken (its deadline was the 15th; the 500 of the
    // 16th came too late); P-1 still open.
    assert_eq!(
        status(&b, "2026-02-16"),
        [
            (s("P-1"), PromiseStatus::Open, s("0.00")),
            (s("P-2"), PromiseStatus::Broken, s("0.00"))
        ]
    );
    // 1 March: P-1 kept (800 by the 23rd); P-2 stays broken.
    assert_eq!(
        status(&b, "2026-03-01"),
        [
            (s("P-1"), PromiseStatus::Kept, s("800.00")),
            (s("P-2"), PromiseStatus::Broken, s("0.00"))
        ]
    );
    let broken = b.ledger.broken_promises(d("2026-03-01"), None).unwrap();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].promise.id.as_str(), "P-2");
    // As known before the payment of the 22nd was recorded, P-1 was
    // broken on 1 March.
    let then = b
        .ledger
        .promises(d("2026-03-01"), Some(noon(d("2026-02-21"))))
        .unwrap();
    assert_eq!(then[0].status, PromiseStatus::Broken);
    b.reads_back();
}

#[test]
fn an_open_promise_pauses_dunning_of_its_items_only() {
    let mut b = book();
    b.ok(
        d("2026-02-05"),
        Command::RecordPromise {
            promise: promise("P-1", &["INV-1"], "1000.00", "2026-02-20", 0, "100"),
            date: d("2026-02-05"),
        },
    );
    let st = setup(policy("p", vec![level(1, "first")], 0));
    let run = b.ledger.dunning_run(&st, d("2026-02-10"), None).unwrap();
    // INV-2 (9 days past due) is chased; INV-1 waits for the promise.
    assert_eq!(run.notices[0].items.len(), 1);
    assert_eq!(run.notices[0].items[0].invoice.as_str(), "INV-2");
    assert_eq!(run.notices[0].excluded[0].invoice.as_str(), "INV-1");
    // After the deadline, broken: both are chased.
    let run = b.ledger.dunning_run(&st, d("2026-02-21"), None).unwrap();
    assert_eq!(run.notices[0].items.len(), 2);
}

#[test]
fn promises_are_checked() {
    let mut b = book();
    b.customer("B", "EUR");
    b.customer("U", "USD");
    b.invoice("INV-U", "U", "2026-01-01", "10.00", 30);
    let bad = |b: &mut Book, p: Promise| {
        b.run(
            d("2026-02-10"),
            Command::RecordPromise {
                promise: p,
                date: d("2026-02-10"),
            },
        )
        .unwrap_err()
        .code()
    };
    let mut p = promise("P-1", &["INV-1"], "100.00", "2026-02-20", 0, "100");
    p.customer = cust("B");
    assert_eq!(bad(&mut b, p), "customer_mismatch");
    assert_eq!(
        bad(
            &mut b,
            promise("P-1", &[], "100.00", "2026-02-20", 0, "100")
        ),
        "invalid_value"
    );
    assert_eq!(
        bad(
            &mut b,
            promise("P-1", &["INV-1", "INV-1"], "100.00", "2026-02-20", 0, "100")
        ),
        "invalid_value"
    );
    assert_eq!(
        bad(
            &mut b,
            promise("P-1", &["INV-1"], "0", "2026-02-20", 0, "100")
        ),
        "invalid_amount"
    );
    assert_eq!(
        bad(
            &mut b,
            promise("P-1", &["INV-1"], "1.001", "2026-02-20", 0, "100")
        ),
        "too_many_decimals"
    );
    assert_eq!(
        bad(
            &mut b,
            promise("P-1", &["INV-1"], "100.00", "2026-02-09", 0, "100")
        ),
        "date_before_document"
    );
    assert_eq!(
        bad(
            &mut b,
            promise("P-1", &["INV-1"], "100.00", "2026-02-20", 0, "101")
        ),
        "invalid_value"
    );
    let mut many = promise("P-1", &["INV-1"], "100.00", "2026-02-20", 0, "100");
    many.items = vec![ItemRef::invoice(id("INV-1")); limits::MAX_COLLECTION_ITEMS + 1];
    assert_eq!(bad(&mut b, many), "limit_exceeded");
}

#[test]
fn a_plan_split_exactly_kept_then_broken() {
    let mut b = book();
    // Both invoices, 1,600 open on 10 February, over three monthly
    // instalments: 533.34 / 533.33 / 533.33 (largest remainder, the first
    // takes the extra cent); 5 days' grace.
    let eur = Currency::new("EUR").unwrap();
    let instalments = PaymentPlan::split(
        m("1600.00"),
        eur,
        &[d("2026-03-01"), d("2026-04-01"), d("2026-05-01")],
    )
    .unwrap();
    let amounts: Vec<String> = instalments.iter().map(|i| i.amount.to_string()).collect();
    assert_eq!(amounts, ["533.34", "533.33", "533.33"]);
    let plan = PaymentPlan {
        id: PlanId::new("PL-1").unwrap(),
        customer: cust("A"),
        items: vec![ItemRef::invoice(id("INV-1")), ItemRef::invoice(id("INV-2"))],
        instalments: instalments.clone(),
        grace_days: 5,
    };
    // Instalments that do not add up to what is open are refused.
    let mut short = plan.clone();
    short.instalments[2].amount = m("533.32");
    let e = b
        .run(
            d("2026-02-10"),
            Command::AgreePlan {
                plan: short,
                date: d("2026-02-10"),
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "invalid_amount");
    b.ok(
        d("2026-02-10"),
        Command::AgreePlan {
            plan,
            date: d("2026-02-10"),
        },
    );
    // The first instalment paid on time, on INV-1.
    b.pay("R-1", "A", "INV-1", "2026-03-01", "533.34");
    let st = setup(policy("p", vec![level(1, "first")], 0));
    // 15 March: current (533.34 of 533.34 due); the items are not chased,
    // and aging still sees their own due dates.
    let plans = b.ledger.plans(d("2026-03-15"), None).unwrap();
    assert_eq!(
        (plans[0].status, plans[0].paid, plans[0].next_due),
        (PlanStatus::Current, m("533.34"), Some(d("2026-04-01")))
    );
    let run = b.ledger.dunning_run(&st, d("2026-03-15"), None).unwrap();
    assert!(run.notices.is_empty());
    assert_eq!(
        run.skipped[0].reasons,
        [SkipReason::PlanCurrent {
            plan: PlanId::new("PL-1").unwrap()
        }]
    );
    let aging = b.ledger.aging(&AgingOptions::new(d("2026-03-15"))).unwrap();
    assert_eq!(aging.rows[0].total, m("1066.66"));
    // The second instalment is not paid: on 6 April (1 April + 5 days'
    // grace) the plan still stands; on 7 April it is broken and both items
    // are chased again.
    let at = |day: &str| b.ledger.plans(d(day), None).unwrap()[0].clone();
    assert_eq!(at("2026-04-06").status, PlanStatus::Current);
    let broken = at("2026-04-07");
    assert_eq!(
        (broken.status, broken.missed),
        (PlanStatus::Broken, Some(1))
    );
    let run = b.ledger.dunning_run(&st, d("2026-04-07"), None).unwrap();
    let chased: Vec<(String, String)> = run.notices[0]
        .items
        .iter()
        .map(|i| (i.invoice.to_string(), i.open.to_string()))
        .collect();
    assert_eq!(
        chased,
        [(s("INV-1"), s("466.66")), (s("INV-2"), s("600.00"))]
    );
    // A payment after the miss does not mend the plan.
    b.pay("R-2", "A", "INV-2", "2026-04-10", "533.33");
    assert_eq!(
        b.ledger.plans(d("2026-04-12"), None).unwrap()[0].status,
        PlanStatus::Broken
    );
    // Once everything is paid, it is completed.
    b.pay("R-3", "A", "INV-1", "2026-04-20", "466.66");
    b.pay("R-4", "A", "INV-2", "2026-04-20", "66.67");
    assert_eq!(
        b.ledger.plans(d("2026-04-21"), None).unwrap()[0].status,
        PlanStatus::Completed
    );
    b.reads_back();
}

#[test]
fn plans_are_checked() {
    let mut b = book();
    let eur = Currency::new("EUR").unwrap();
    let ok = PaymentPlan {
        id: PlanId::new("PL-1").unwrap(),
        customer: cust("A"),
        items: vec![ItemRef::invoice(id("INV-1"))],
        instalments: PaymentPlan::split(m("1000.00"), eur, &[d("2026-03-01"), d("2026-04-01")])
            .unwrap(),
        grace_days: 0,
    };
    let bad = |b: &mut Book, p: PaymentPlan| {
        b.run(
            d("2026-02-10"),
            Command::AgreePlan {
                plan: p,
                date: d("2026-02-10"),
            },
        )
        .unwrap_err()
        .code()
    };
    let mut p = ok.clone();
    p.instalments.reverse();
    assert_eq!(bad(&mut b, p), "date_before_document");
    let mut p = ok.clone();
    p.instalments.clear();
    assert_eq!(bad(&mut b, p), "invalid_value");
    let mut p = ok.clone();
    p.instalments[0].due = d("2026-02-01");
    assert_eq!(bad(&mut b, p), "date_before_document");
    assert_eq!(
        PaymentPlan::split(m("1.00"), eur, &[]).unwrap_err().code(),
        "invalid_value"
    );
    let many: Vec<_> = (0..=limits::MAX_INSTALLMENTS)
        .map(|_| d("2026-03-01"))
        .collect();
    assert_eq!(
        PaymentPlan::split(m("1000.00"), eur, &many)
            .unwrap_err()
            .code(),
        "limit_exceeded"
    );
    b.ok(
        d("2026-02-10"),
        Command::AgreePlan {
            plan: ok.clone(),
            date: d("2026-02-10"),
        },
    );
    assert_eq!(bad(&mut b, ok), "duplicate_id");
}

fn s(x: &str) -> String {
    x.to_owned()
}
