//! Properties of collections over random books: a run never proposes a
//! disputed amount, an item under an open promise or a current plan, or
//! an item not past due by its level's days; recording a run's notices and
//! running again the same day proposes nothing; interest is never negative
//! and is zero for items paid on time; every event reads back.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![allow(clippy::arithmetic_side_effects)]

mod common_collections;

use std::collections::HashMap;

use ar_core::collections::{
    late_interest, DayCount, DunningSetup, InterestRule, PlanStatus, PrincipalChange,
    PromiseStatus, RateMode,
};
use ar_core::rust_decimal::Decimal;
use ar_core::*;
use common_collections::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Pay {
        inv: usize,
        day: u32,
        cents: i64,
    },
    Credit {
        inv: usize,
        day: u32,
        cents: i64,
    },
    Flag {
        inv: usize,
        day: u32,
        on: bool,
    },
    Dispute {
        inv: usize,
        day: u32,
        cents: Option<i64>,
    },
    Resolve {
        which: usize,
        day: u32,
    },
    Promise {
        inv: usize,
        day: u32,
        due_in: u32,
        grace: u32,
    },
    Plan {
        inv: usize,
        day: u32,
        parts: usize,
    },
    Hold {
        customer: usize,
        day: u32,
        on: bool,
    },
    Run {
        day: u32,
        record: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..12usize, 0..120u32, 1..60_000i64).prop_map(|(inv, day, cents)| Op::Pay { inv, day, cents }),
        1 => (0..12usize, 0..120u32, 1..20_000i64).prop_map(|(inv, day, cents)| Op::Credit { inv, day, cents }),
        1 => (0..12usize, 0..120u32, any::<bool>()).prop_map(|(inv, day, on)| Op::Flag { inv, day, on }),
        2 => (0..12usize, 0..120u32, proptest::option::of(1..30_000i64)).prop_map(|(inv, day, cents)| Op::Dispute { inv, day, cents }),
        1 => (0..6usize, 0..120u32).prop_map(|(which, day)| Op::Resolve { which, day }),
        2 => (0..12usize, 0..120u32, 0..30u32, 0..5u32).prop_map(|(inv, day, due_in, grace)| Op::Promise { inv, day, due_in, grace }),
        1 => (0..12usize, 0..120u32, 1..4usize).prop_map(|(inv, day, parts)| Op::Plan { inv, day, parts }),
        1 => (0..3usize, 0..120u32, any::<bool>()).prop_map(|(customer, day, on)| Op::Hold { customer, day, on }),
        3 => (0..150u32, any::<bool>()).prop_map(|(day, record)| Op::Run { day, record }),
    ]
}

fn start() -> chrono::NaiveDate {
    d("2026-01-01")
}

fn day(n: u32) -> chrono::NaiveDate {
    start() + chrono::Days::new(u64::from(n))
}

fn the_setup() -> DunningSetup {
    let mut l3 = level(30, "third");
    l3.interest = true;
    l3.min_overdue = vec![money("20.00", "EUR")];
    let mut p = policy(
        "p",
        vec![level(-3, "pre"), level(5, "first"), level(15, "second"), l3],
        0,
    );
    p.interest = Some(InterestRule::eu_directive(rates(&[("2020-01-01", "3.5")])));
    setup(p)
}

/// Checks one run's notices against the ledger it was run on.
fn check_run(
    ledger: &Ledger,
    s: &DunningSetup,
    as_of: chrono::NaiveDate,
) -> Result<collections::DunningRun, TestCaseError> {
    let run = ledger.dunning_run(s, as_of, None).unwrap();
    let view = View::as_of(as_of);
    let promised: Vec<(String, Vec<ItemRef>)> = ledger
        .promises(as_of, None)
        .unwrap()
        .into_iter()
        .filter(|p| p.status == PromiseStatus::Open)
        .map(|p| (p.promise.id.to_string(), p.promise.items))
        .collect();
    let planned: Vec<Vec<ItemRef>> = ledger
        .plans(as_of, None)
        .unwrap()
        .into_iter()
        .filter(|p| p.status == PlanStatus::Current)
        .map(|p| p.plan.items)
        .collect();
    let disputes = ledger.disputes(as_of, None);
    let policy = &s.policies[0];
    for n in &run.notices {
        prop_assert!(n.total >= n.overdue);
        for item in &n.items {
            let inv = ledger.invoice(&item.invoice, &view).unwrap();
            prop_assert!(
                !inv.disputed || disputes.iter().any(|d| d.open && d.invoice == item.invoice),
                "flagged {} chased",
                item.invoice
            );
            let open = inv.installments[(item.installment - 1) as usize].open;
            let disputed: Decimal = disputes
                .iter()
                .filter(|d| d.open && d.invoice == item.invoice)
                .map(|d| d.amount)
                .sum();
            prop_assert!(item.open > Decimal::ZERO);
            prop_assert!(
                item.open + disputed.min(open) <= open || disputed.is_zero() && item.open <= open,
                "{}: {} chased of {} open, {} disputed",
                item.invoice,
                item.open,
                open,
                disputed
            );
            for (id, items) in &promised {
                prop_assert!(
                    !items.iter().any(|i| i.invoice == item.invoice),
                    "promise {id} open on {}",
                    item.invoice
                );
            }
            for items in &planned {
                prop_assert!(
                    !items.iter().any(|i| i.invoice == item.invoice),
                    "plan current on {}",
                    item.invoice
                );
            }
            let lv = &policy.levels[(item.level - 1) as usize];
            prop_assert!(
                item.days_past_due >= i64::from(lv.days),
                "{} at level {} only {} days past due",
                item.invoice,
                item.level,
                item.days_past_due
            );
        }
        for i in &n.interest {
            prop_assert!(i.amount > Decimal::ZERO && i.accrued >= i.amount);
        }
    }
    Ok(run)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn runs_keep_their_promises(
        invoices in proptest::collection::vec((0..3usize, 0..40u32, 1..50_000i64, 0..45u32), 1..12),
        ops in proptest::collection::vec(op(), 0..40),
    ) {
        let mut b = Book::new();
        for c in ["C0", "C1", "C2"] {
            b.customer(c, "EUR");
        }
        let mut ids = Vec::new();
        let mut sorted = invoices.clone();
        sorted.sort_by_key(|x| x.1);
        for (i, (c, date, cents, net)) in sorted.iter().enumerate() {
            let id = format!("INV-{i}");
            let amount = Decimal::new(*cents, 2).to_string();
            b.invoice(&id, &format!("C{c}"), &day(*date).to_string(), &amount, *net);
            ids.push((id, format!("C{c}")));
        }
        let s = the_setup();
        let mut ops = ops;
        // Business dates in order, so that recorded times follow them.
        ops.sort_by_key(|o| match o {
            Op::Pay { day, .. } | Op::Credit { day, .. } | Op::Flag { day, .. } | Op::Dispute { day, .. }
            | Op::Resolve { day, .. } | Op::Promise { day, .. } | Op::Plan { day, .. } | Op::Hold { day, .. }
            | Op::Run { day, .. } => *day,
        });
        let mut n = 0;
        let mut disputes = Vec::new();
        for o in ops {
            n += 1;
            let pick = |i: usize| &ids[i % ids.len()];
            match o {
                Op::Pay { inv, day: dd, cents } => {
                    let (id, c) = pick(inv).clone();
                    let amount = Decimal::new(cents, 2).to_string();
                    let r = format!("R-{n}");
                    let receipt = Receipt { id: ReceiptId::new(&r).unwrap(), customer: Some(CustomerId::new(&c).unwrap()),
                        date: day(40 + dd), amount: m(&amount), currency: Currency::new("EUR").unwrap(),
                        method: PaymentMethod::default(), reference: None, remittance: String::new(),
                        payer_name: None, payer_account: None };
                    b.ok(day(40 + dd), Command::RecordReceipt { receipt });
                    let _ = b.run(day(40 + dd), Command::Apply { id: None, source: Source::Receipt(ReceiptId::new(&r).unwrap()),
                        invoice: InvoiceId::new(&id).unwrap(), installment: None, amount: m(&amount), discount: Decimal::ZERO, date: day(40 + dd) });
                }
                Op::Credit { inv, day: dd, cents } => {
                    let (id, c) = pick(inv).clone();
                    let memo = format!("CM-{n}");
                    let amount = Decimal::new(cents, 2);
                    if b.run(day(40 + dd), Command::IssueCreditMemo { id: CreditMemoId::new(&memo).unwrap(), customer: CustomerId::new(&c).unwrap(),
                        date: day(40 + dd), currency: None, against: Some(InvoiceId::new(&id).unwrap()), kind: CreditKind::Amount { amount }, reason: String::new() }).is_ok() {
                        let _ = b.run(day(40 + dd), Command::Apply { id: None, source: Source::CreditMemo(CreditMemoId::new(&memo).unwrap()),
                            invoice: InvoiceId::new(&id).unwrap(), installment: None, amount, discount: Decimal::ZERO, date: day(40 + dd) });
                    }
                }
                Op::Flag { inv, day: dd, on } => {
                    let _ = b.run(day(40 + dd), Command::SetDispute { invoice: InvoiceId::new(&pick(inv).0).unwrap(), disputed: on, date: day(40 + dd), reason: String::new() });
                }
                Op::Dispute { inv, day: dd, cents } => {
                    let did = format!("D-{n}");
                    let ok = b.run(day(40 + dd), Command::OpenDispute { dispute: Dispute { id: DisputeId::new(&did).unwrap(),
                        invoice: InvoiceId::new(&pick(inv).0).unwrap(), installment: None, amount: cents.map(|c| Decimal::new(c, 2)),
                        reason: "r".into(), owner: "o".into(), note: String::new() }, date: day(40 + dd) }).is_ok();
                    if ok { disputes.push(did); }
                }
                Op::Resolve { which, day: dd } => {
                    if let Some(did) = disputes.get(which) {
                        let _ = b.run(day(40 + dd), Command::ResolveDispute { dispute: DisputeId::new(did).unwrap(), resolution: Resolution::Reinstated,
                            date: day(40 + dd), by: "x".into(), reason: String::new() });
                    }
                }
                Op::Promise { inv, day: dd, due_in, grace } => {
                    let (id, c) = pick(inv).clone();
                    let _ = b.run(day(40 + dd), Command::RecordPromise { promise: Promise { id: PromiseId::new(format!("P-{n}")).unwrap(),
                        customer: CustomerId::new(&c).unwrap(), items: vec![ItemRef::invoice(InvoiceId::new(&id).unwrap())], amount: m("10.00"),
                        due: day(40 + dd + due_in), grace_days: grace, threshold_percent: m("100"), note: String::new() }, date: day(40 + dd) });
                }
                Op::Plan { inv, day: dd, parts } => {
                    let (id, c) = pick(inv).clone();
                    let open = b.ledger.invoice(&InvoiceId::new(&id).unwrap(), &View::as_of(day(40 + dd))).map(|v| v.open).unwrap_or_default();
                    let dates: Vec<_> = (0..parts).map(|k| day(40 + dd + 10 * (k as u32 + 1))).collect();
                    if let Ok(instalments) = PaymentPlan::split(open, Currency::new("EUR").unwrap(), &dates) {
                        let _ = b.run(day(40 + dd), Command::AgreePlan { plan: PaymentPlan { id: PlanId::new(format!("PL-{n}")).unwrap(),
                            customer: CustomerId::new(&c).unwrap(), items: vec![ItemRef::invoice(InvoiceId::new(&id).unwrap())], instalments, grace_days: 2 },
                            date: day(40 + dd) });
                    }
                }
                Op::Hold { customer, day: dd, on } => {
                    let _ = b.run(day(40 + dd), Command::SetCollectionsHold { customer: CustomerId::new(format!("C{customer}")).unwrap(), hold: on, date: day(40 + dd), reason: "h".into() });
                }
                Op::Run { day: dd, record } => {
                    let as_of = day(40 + dd);
                    let run = check_run(&b.ledger, &s, as_of)?;
                    if record && as_of >= b.clock.date_naive() {
                        for (k, notice) in run.notices.iter().enumerate() {
                            let rec = notice.record(NoticeId::new(format!("N-{n}-{k}")).unwrap());
                            b.ok(as_of, Command::RecordDunningNotice { notice: rec, date: as_of });
                        }
                        let again = b.ledger.dunning_run(&s, as_of, None).unwrap();
                        prop_assert!(again.notices.is_empty(), "proposed again: {:?}", again.notices);
                    }
                }
            }
        }
        // Every customer is either chased or told why not.
        let run = check_run(&b.ledger, &s, day(200))?;
        let mut seen: HashMap<String, usize> = HashMap::new();
        for c in run.notices.iter().map(|n| n.customer.to_string()).chain(run.skipped.iter().map(|s| s.customer.to_string())) {
            *seen.entry(c).or_default() += 1;
        }
        prop_assert_eq!(seen.len(), 3);
        let json = b.ledger.to_json().unwrap();
        prop_assert_eq!(&Ledger::from_json(&json).unwrap(), &b.ledger);
        // Notices, disputes, promises and plans come back from a snapshot.
        prop_assert_eq!(Ledger::restore(&b.ledger.snapshot().unwrap(), []).unwrap(), b.ledger);
    }

    #[test]
    fn interest_is_never_negative_and_nothing_on_time(
        principal in 1..10_000_000i64,
        payments in proptest::collection::vec((-40..200i64, 1..10_000_000i64, any::<bool>()), 0..6),
        reference in -1000..2000i64,
        margin in 0..1000i64,
        grace in 0..30u32,
        through in 0..400i64,
        dc in 0..3usize,
        floating in any::<bool>(),
    ) {
        let due = d("2025-05-20");
        let mut rule = InterestRule::germany(rates(&[("2020-01-01", "1"), ("2025-07-01", "2.5"), ("2026-01-01", "0.5")]));
        rule.rates[1].rate = Decimal::new(reference, 2);
        rule.margin = Decimal::new(margin, 2);
        rule.grace_days = grace;
        rule.day_count = [DayCount::Actual365, DayCount::Actual360, DayCount::Thirty360][dc];
        rule.mode = if floating { RateMode::Floating } else { RateMode::Fixed };
        let changes: Vec<PrincipalChange> = payments
            .iter()
            .map(|(offset, cents, reversal)| PrincipalChange {
                date: due + chrono::Duration::days(*offset),
                amount: if *reversal { Decimal::new(*cents, 2) } else { -Decimal::new(*cents, 2) },
            })
            .collect();
        let eur = Currency::new("EUR").unwrap();
        let to = due + chrono::Duration::days(through);
        let i = late_interest(&rule, Decimal::new(principal, 2), &changes, due, to, eur).unwrap();
        prop_assert!(!i.amount.is_sign_negative() || i.amount.is_zero());
        prop_assert!(i.segments.iter().all(|s| s.rate >= Decimal::ZERO && s.principal > Decimal::ZERO));
        // Paid in full on or before the due date: nothing, whatever follows
        // (a payment cannot be taken back after it settled on time here).
        let on_time = [PrincipalChange { date: due - chrono::Duration::days(through % 30), amount: -Decimal::new(principal, 2) }];
        let i = late_interest(&rule, Decimal::new(principal, 2), &on_time, due, to, eur).unwrap();
        prop_assert_eq!(i.amount, Decimal::new(0, 2));
        prop_assert_eq!(i.days, 0);
    }
}
