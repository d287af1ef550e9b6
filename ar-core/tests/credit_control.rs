//! Credit checks worked by hand: allowed, warned near the limit, and
//! blocked for each reason (over the limit, items past due, a broken
//! promise, a credit hold), with the hold's history as known at a time.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::credit_control::{
    CreditAction, CreditCheckOptions, CreditOutcome, CreditPolicy, CreditReason,
};
use ar_core::*;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}
fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}
fn usd() -> Currency {
    Currency::new("USD").unwrap()
}
fn acme() -> CustomerId {
    CustomerId::new("ACME").unwrap()
}

struct Book {
    l: Ledger,
    t: DateTime<Utc>,
}

impl Book {
    fn run(&mut self, c: Command) -> Result<Outcome> {
        self.t += chrono::Duration::minutes(1);
        self.l.execute(c, &CommandMeta::at(self.t))
    }
    fn check(&self, amount: &str, as_of: &str) -> ar_core::credit_control::CreditCheck {
        self.l
            .credit_check(&acme(), d(amount), &CreditCheckOptions::new(day(as_of)))
            .unwrap()
    }
}

/// ACME, limit 10,000.00; INV-1 of 6,000.00 due March 31 (net 30).
fn book() -> Book {
    let mut b = Book {
        l: Ledger::new(),
        t: "2026-03-01T00:00:00Z".parse().unwrap(),
    };
    let c = Customer::new(acme(), "Acme", usd()).with_credit_limit(d("10000.00"));
    b.run(Command::RegisterCustomer { customer: c }).unwrap();
    let mut inv = NewInvoice::new(
        InvoiceId::new("INV-1").unwrap(),
        acme(),
        day("2026-03-01"),
        vec![InvoiceLine::new("x", Decimal::ONE, d("6000.00"))],
    );
    inv.terms = Some(PaymentTerms::net(30));
    b.run(Command::IssueInvoice { invoice: inv }).unwrap();
    b
}

fn kinds(c: &ar_core::credit_control::CreditCheck) -> Vec<(CreditOutcome, &'static str)> {
    c.reasons
        .iter()
        .map(|f| {
            let k = match f.reason {
                CreditReason::OverLimit { .. } => "over_limit",
                CreditReason::NearLimit { .. } => "near_limit",
                CreditReason::PastDue { .. } => "past_due",
                CreditReason::BrokenPromises { .. } => "broken_promises",
                CreditReason::OnHold { .. } => "on_hold",
            };
            (f.outcome, k)
        })
        .collect()
}

#[test]
fn allowed_warned_and_over_the_limit() {
    let b = book();
    // 6,000.00 owed + 2,000.00 = 8,000.00: under 90 % of 10,000.00.
    let c = b.check("2000.00", "2026-03-10");
    assert_eq!(
        (c.outcome, c.owed, c.exposure),
        (CreditOutcome::Allow, d("6000.00"), d("8000.00"))
    );
    assert!(c.reasons.is_empty());
    // + 3,000.00 = 9,000.00: exactly 90 %, a warning.
    let c = b.check("3000.00", "2026-03-10");
    assert_eq!(kinds(&c), [(CreditOutcome::Warn, "near_limit")]);
    // + 4,500.00 = 10,500.00: over by 500.00.
    let c = b.check("4500.00", "2026-03-10");
    assert_eq!(c.outcome, CreditOutcome::Block);
    assert_eq!(
        c.reasons[0].reason,
        CreditReason::OverLimit {
            limit: d("10000.00"),
            exposure: d("10500.00"),
            over_by: d("500.00")
        }
    );
    // Orders not yet invoiced count: 2,000.00 + 2,500.00 of orders.
    let c =
        b.l.credit_check(
            &acme(),
            d("2000.00"),
            &CreditCheckOptions {
                orders: d("2500.00"),
                ..CreditCheckOptions::new(day("2026-03-10"))
            },
        )
        .unwrap();
    assert_eq!(
        (c.exposure, c.outcome),
        (d("10500.00"), CreditOutcome::Block)
    );
    // Bad input: a negative amount, cents finer than USD, an unknown
    // customer.
    let opts = CreditCheckOptions::new(day("2026-03-10"));
    assert_eq!(
        b.l.credit_check(&acme(), d("-1"), &opts)
            .unwrap_err()
            .code(),
        "invalid_amount"
    );
    assert_eq!(
        b.l.credit_check(&acme(), d("1.001"), &opts)
            .unwrap_err()
            .code(),
        "too_many_decimals"
    );
    let nobody = CustomerId::new("NOBODY").unwrap();
    assert_eq!(
        b.l.credit_check(&nobody, d("1"), &opts).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn past_due_items_block_by_policy() {
    let b = book();
    // May 1: INV-1 is 31 days past due, over the default 30.
    let c = b.check("100.00", "2026-05-01");
    assert_eq!(c.outcome, CreditOutcome::Block);
    assert_eq!(
        c.reasons[0].reason,
        CreditReason::PastDue {
            days: 30,
            items: 1,
            amount: d("6000.00"),
            oldest_days: 31
        }
    );
    // April 30 (30 days): not yet.
    assert_eq!(
        b.check("100.00", "2026-04-30").outcome,
        CreditOutcome::Allow
    );
    // A policy that only warns.
    let c =
        b.l.credit_check(
            &acme(),
            d("100.00"),
            &CreditCheckOptions {
                policy: CreditPolicy {
                    past_due: CreditAction::Warn,
                    ..CreditPolicy::default()
                },
                ..CreditCheckOptions::new(day("2026-05-01"))
            },
        )
        .unwrap();
    assert_eq!(kinds(&c), [(CreditOutcome::Warn, "past_due")]);
}

#[test]
fn a_broken_promise_warns_and_a_hold_blocks() {
    let mut b = book();
    b.run(Command::RecordPromise {
        promise: Promise {
            id: PromiseId::new("P-1").unwrap(),
            customer: acme(),
            items: vec![ItemRef::invoice(InvoiceId::new("INV-1").unwrap())],
            amount: d("6000.00"),
            due: day("2026-04-05"),
            grace_days: 0,
            threshold_percent: d("100"),
            note: String::new(),
        },
        date: day("2026-04-01"),
    })
    .unwrap();
    // April 6: the promise of April 5 is broken (nothing paid).
    let c = b.check("100.00", "2026-04-06");
    assert_eq!(kinds(&c), [(CreditOutcome::Warn, "broken_promises")]);
    assert_eq!(
        c.reasons[0].reason,
        CreditReason::BrokenPromises { count: 1 }
    );
    // A hold placed on April 7 by the credit manager.
    b.run(Command::SetCreditHold {
        customer: acme(),
        hold: true,
        date: day("2026-04-07"),
        reason: "promise broken".into(),
        by: "j.smith".into(),
    })
    .unwrap();
    let c = b.check("100.00", "2026-04-08");
    assert_eq!(
        kinds(&c),
        [
            (CreditOutcome::Block, "on_hold"),
            (CreditOutcome::Warn, "broken_promises")
        ]
    );
    assert_eq!(
        c.reasons[0].reason,
        CreditReason::OnHold {
            since: day("2026-04-07"),
            reason: "promise broken".into(),
            by: "j.smith".into()
        }
    );
    // Before the hold's date it did not apply.
    assert_eq!(
        kinds(&b.check("100.00", "2026-04-06")),
        [(CreditOutcome::Warn, "broken_promises")]
    );
    // Lifted on April 9; a hold needs a reason.
    let err = b
        .run(Command::SetCreditHold {
            customer: acme(),
            hold: false,
            date: day("2026-04-09"),
            reason: " ".into(),
            by: "j.smith".into(),
        })
        .unwrap_err();
    assert_eq!(err.code(), "invalid_value");
    b.run(Command::SetCreditHold {
        customer: acme(),
        hold: false,
        date: day("2026-04-09"),
        reason: "paid in full".into(),
        by: "j.smith".into(),
    })
    .unwrap();
    assert_eq!(
        kinds(&b.check("100.00", "2026-04-10")),
        [(CreditOutcome::Warn, "broken_promises")]
    );
    // The log reads back with its holds.
    let back = Ledger::from_json(&b.l.to_json().unwrap()).unwrap();
    assert_eq!(back, b.l);
}

#[test]
fn a_credit_hold_is_flagged_in_every_report() {
    use ar_core::collections::{DunningLevel, DunningPolicy, DunningSetup};
    use ar_core::worklist::WorklistOptions;
    let mut b = book();
    // INV-1 (due March 31) is 10 days late on April 10; held April 7 to 20.
    let hold = |hold: bool, date: &str| Command::SetCreditHold {
        customer: acme(),
        hold,
        date: day(date),
        reason: "late".into(),
        by: "j.smith".into(),
    };
    b.run(hold(true, "2026-04-07")).unwrap();
    b.run(hold(false, "2026-04-20")).unwrap();
    let aging = |as_of: &str| {
        b.l.aging(&AgingOptions::new(day(as_of)))
            .unwrap()
            .credit_holds
    };
    assert_eq!(aging("2026-04-06"), Vec::<String>::new());
    assert_eq!(aging("2026-04-10"), ["ACME"]);
    assert_eq!(aging("2026-04-20"), Vec::<String>::new());
    let worklist =
        b.l.worklist(&WorklistOptions::new(day("2026-04-10")))
            .unwrap();
    assert_eq!(worklist.rows.len(), 1);
    assert!(worklist.rows[0].credit_hold);
    let later =
        b.l.worklist(&WorklistOptions::new(day("2026-04-21")))
            .unwrap();
    assert!(!later.rows[0].credit_hold);
    let policy = DunningPolicy {
        id: "std".into(),
        levels: vec![DunningLevel {
            days: 7,
            min_overdue: vec![],
            action: DunningAction::Email,
            template: "first".into(),
            fee: vec![],
            interest: false,
        }],
        min_days_between: 7,
        interest: None,
        clearing: Default::default(),
    };
    let setup = DunningSetup::single(policy);
    // A credit hold does not stop the notice; it flags it.
    let run = b.l.dunning_run(&setup, day("2026-04-10"), None).unwrap();
    assert_eq!(run.notices.len(), 1);
    assert!(run.notices[0].credit_hold);
    let run = b.l.dunning_run(&setup, day("2026-04-21"), None).unwrap();
    assert!(!run.notices[0].credit_hold);
    let statement = |to: &str| {
        b.l.statement(&acme(), &StatementOptions::new(day("2026-04-01"), day(to)))
            .unwrap()
            .credit_hold
    };
    assert!(statement("2026-04-10"));
    assert!(!statement("2026-04-30"));
}
