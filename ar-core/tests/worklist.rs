//! The collector's worklist worked by hand: five customers ranked by
//! age-weighted overdue amounts, their share of late payments and broken
//! promises; three left off with why.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::worklist::{Exclusion, WorklistOptions};
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
fn cid(s: &str) -> CustomerId {
    CustomerId::new(s).unwrap()
}

struct Book {
    l: Ledger,
    t: DateTime<Utc>,
}

impl Book {
    fn run(&mut self, c: Command) {
        self.t += chrono::Duration::minutes(1);
        self.l.execute(c, &CommandMeta::at(self.t)).unwrap();
    }
    fn invoice(&mut self, customer: &str, id: &str, date: &str, amount: &str) {
        let mut inv = NewInvoice::new(
            InvoiceId::new(id).unwrap(),
            cid(customer),
            day(date),
            vec![InvoiceLine::new("x", Decimal::ONE, d(amount))],
        );
        inv.terms = Some(PaymentTerms::net(if date == "2026-02-01" {
            28
        } else {
            30
        }));
        self.run(Command::IssueInvoice { invoice: inv });
    }
    fn pay(&mut self, customer: &str, id: &str, date: &str, amount: &str) {
        let r = format!("R-{id}");
        let receipt = Receipt::new(ReceiptId::new(&r).unwrap(), day(date), usd(), d(amount))
            .with_customer(cid(customer));
        self.run(Command::RecordReceipt { receipt });
        let a = NewApplication::new(
            Source::Receipt(ReceiptId::new(&r).unwrap()),
            InvoiceId::new(id).unwrap(),
            d(amount),
            day(date),
        );
        self.run(a.into());
    }
    fn promise(
        &mut self,
        id: &str,
        customer: &str,
        invoice: &str,
        amount: &str,
        due: &str,
        on: &str,
    ) {
        self.run(Command::RecordPromise {
            promise: Promise {
                id: PromiseId::new(id).unwrap(),
                customer: cid(customer),
                items: vec![ItemRef::invoice(InvoiceId::new(invoice).unwrap())],
                amount: d(amount),
                due: day(due),
                grace_days: 0,
                threshold_percent: d("100"),
                note: String::new(),
            },
            date: day(on),
        });
    }
}

#[test]
fn five_customers_ranked_and_three_left_off() {
    let mut b = Book {
        l: Ledger::new(),
        t: "2026-01-01T00:00:00Z".parse().unwrap(),
    };
    for c in ["A", "B", "C", "D", "E", "F", "G", "H"] {
        let mut customer = Customer::new(cid(c), format!("Customer {c}"), usd());
        customer.dimensions.insert(
            "collector".into(),
            if c < "E" { "ann" } else { "bob" }.into(),
        );
        b.run(Command::RegisterCustomer { customer });
    }
    // History: B paid 400.00 ten days late; G paid 200.00 on time and
    // 200.00 five days late (all due March 1).
    b.invoice("B", "B0", "2026-02-01", "400.00");
    b.invoice("G", "G0", "2026-02-01", "200.00");
    b.invoice("G", "G00", "2026-02-01", "200.00");
    b.pay("B", "B0", "2026-03-11", "400.00");
    b.pay("G", "G0", "2026-03-01", "200.00");
    b.pay("G", "G00", "2026-03-06", "200.00");
    // Open on April 30 (net 30 unless dated February 1).
    b.invoice("A", "A1", "2026-03-01", "1000.00"); // due 3-31: 30 days
    b.invoice("B", "B1", "2026-03-16", "600.00"); // due 4-15: 15 days
    b.invoice("C", "C1", "2026-03-21", "500.00"); // due 4-20: 10 days
    b.invoice("D", "D1", "2026-03-26", "2000.00"); // due 4-25, disputed
    b.invoice("E", "E1", "2026-04-15", "300.00"); // due 5-15
    b.invoice("F", "F1", "2026-03-02", "800.00"); // due 4-1, promised
    b.invoice("G", "G1", "2026-01-30", "100.00"); // due 3-1: 60 days
    b.invoice("H", "H1", "2026-03-30", "1200.00"); // due 4-29: 1 day
    b.run(Command::SetDispute {
        invoice: InvoiceId::new("D1").unwrap(),
        disputed: true,
        date: day("2026-04-26"),
        reason: "not delivered".into(),
    });
    b.promise("P-C", "C", "C1", "500.00", "2026-04-22", "2026-04-10"); // broken
    b.promise("P-F", "F", "F1", "800.00", "2026-05-05", "2026-04-20"); // open

    let w =
        b.l.worklist(&WorklistOptions::new(day("2026-04-30")))
            .unwrap();
    let got: Vec<(u64, &str, String)> = w
        .rows
        .iter()
        .map(|r| (r.rank, r.customer.as_str(), r.score.to_string()))
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        got,
        [
            // 1,000.00 x (1 + 30/30), no history.
            (1, "A", s("2000.00")),
            // 600.00 x 1.5 = 900.00, all past payments late: x 2.
            (2, "B", s("1800.00")),
            // 1,200.00 x (1 + 1/30) = 1,240.00.
            (3, "H", s("1240.00")),
            // 500.00 x (1 + 10/30) = 666.67, one broken promise: x 1.5.
            (4, "C", s("1000.00")),
            // 100.00 x 3 = 300.00, half of past payments late: x 1.5.
            (5, "G", s("450.00")),
        ]
    );
    let g = &w.rows[4];
    assert_eq!(
        (
            g.late_share,
            g.days_beyond_terms,
            g.oldest_days,
            g.weighted_overdue
        ),
        (d("0.5"), d("2.5"), 60, d("300.00"))
    );
    assert!(
        g.explanation
            .contains("100.00 USD overdue in 1 item(s), the oldest 60 days"),
        "{}",
        g.explanation
    );
    assert!(
        g.explanation.contains("50% of past payments late"),
        "{}",
        g.explanation
    );
    assert_eq!(w.rows[3].broken_promises, 1);
    let excluded: Vec<(&str, Vec<Exclusion>)> = w
        .excluded
        .iter()
        .map(|e| (e.customer.as_str(), e.reasons.clone()))
        .collect();
    assert_eq!(
        excluded,
        [
            ("D", vec![Exclusion::Disputed]),
            ("E", vec![Exclusion::NothingOverdue]),
            ("F", vec![Exclusion::Promised]),
        ]
    );
    // One collector's list: A to D are Ann's.
    let ann =
        b.l.worklist(&WorklistOptions {
            dimension: Some(("collector".into(), "ann".into())),
            ..WorklistOptions::new(day("2026-04-30"))
        })
        .unwrap();
    let who: Vec<&str> = ann.rows.iter().map(|r| r.customer.as_str()).collect();
    assert_eq!(who, ["A", "B", "C"]);
    // A collections hold takes a customer off the list.
    b.run(Command::SetCollectionsHold {
        customer: cid("A"),
        hold: true,
        date: day("2026-04-29"),
        reason: "in legal review".into(),
    });
    let w =
        b.l.worklist(&WorklistOptions::new(day("2026-04-30")))
            .unwrap();
    assert_eq!(w.rows[0].customer.as_str(), "B");
    assert!(w
        .excluded
        .iter()
        .any(|e| e.customer.as_str() == "A" && e.reasons == [Exclusion::OnHold]));
}
