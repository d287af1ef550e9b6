//! The cash forecast worked by hand: delays from each customer's history
//! shrunk towards the book's, overdue items expected the next day,
//! disputed items left out or at a share, and a back-test against two
//! naive forecasts.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::forecast::ForecastOptions;
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

struct Book {
    l: Ledger,
    t: DateTime<Utc>,
}

impl Book {
    fn run(&mut self, c: Command) {
        self.t += chrono::Duration::minutes(1);
        self.l.execute(c, &CommandMeta::at(self.t)).unwrap();
    }
    fn invoice(&mut self, customer: &str, id: &str, date: &str, net: u32, amount: &str) {
        let mut inv = NewInvoice::new(
            InvoiceId::new(id).unwrap(),
            CustomerId::new(customer).unwrap(),
            day(date),
            vec![InvoiceLine::new("x", Decimal::ONE, d(amount))],
        );
        inv.terms = Some(PaymentTerms::net(net));
        self.run(Command::IssueInvoice { invoice: inv });
    }
    fn pay(&mut self, customer: &str, id: &str, date: &str, amount: &str) {
        let r = format!("R-{id}");
        let receipt = Receipt::new(ReceiptId::new(&r).unwrap(), day(date), usd(), d(amount))
            .with_customer(CustomerId::new(customer).unwrap());
        self.run(Command::RecordReceipt { receipt });
        let a = NewApplication::new(
            Source::Receipt(ReceiptId::new(&r).unwrap()),
            InvoiceId::new(id).unwrap(),
            d(amount),
            day(date),
        );
        self.run(a.into());
    }
}

fn book() -> Book {
    let mut b = Book {
        l: Ledger::new(),
        t: "2026-01-01T00:00:00Z".parse().unwrap(),
    };
    for c in ["ACME", "GLOBEX", "INITECH"] {
        b.run(Command::RegisterCustomer {
            customer: Customer::new(CustomerId::new(c).unwrap(), c, usd()),
        });
    }
    // History, all due March 1 (February 1, net 28): ACME pays 100.00 ten
    // days late and 300.00 twenty days late; GLOBEX 400.00 two days early.
    b.invoice("ACME", "A1", "2026-02-01", 28, "100.00");
    b.invoice("ACME", "A2", "2026-02-01", 28, "300.00");
    b.invoice("GLOBEX", "G1", "2026-02-01", 28, "400.00");
    b.pay("ACME", "A1", "2026-03-11", "100.00");
    b.pay("ACME", "A2", "2026-03-21", "300.00");
    b.pay("GLOBEX", "G1", "2026-02-27", "400.00");
    // Open on April 1.
    b.invoice("ACME", "A3", "2026-03-11", 30, "200.00"); // due April 10
    b.invoice("GLOBEX", "G2", "2026-03-06", 30, "150.00"); // due April 5
    b.invoice("INITECH", "I1", "2026-02-18", 30, "80.00"); // due March 20
    b.invoice("ACME", "A4", "2026-03-16", 30, "50.00"); // due April 15
    b.run(Command::SetDispute {
        invoice: InvoiceId::new("A4").unwrap(),
        disputed: true,
        date: day("2026-03-20"),
        reason: "wrong price".into(),
    });
    // After April 1: G2 on April 7, A3 on April 25; I1 never.
    b.pay("GLOBEX", "G2", "2026-04-07", "150.00");
    b.pay("ACME", "A3", "2026-04-25", "200.00");
    b
}

#[test]
fn delays_come_from_each_customers_history_shrunk_to_the_book() {
    let b = book();
    let f =
        b.l.forecast(&ForecastOptions::new(day("2026-04-01")))
            .unwrap();
    // Book: (100 x 10 + 300 x 20 + 400 x -2) / 800 = 7.75 days -> 8.
    assert_eq!(f.book_delay_days, 8);
    let got: Vec<(&str, i64, String, String)> = f
        .items
        .iter()
        .map(|i| {
            (
                i.invoice.as_str(),
                i.delay_days,
                i.expected_date.to_string(),
                i.expected_amount.to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            // INITECH, no history: 7.75 -> 8 days after March 20 is
            // March 28, already past: the day after the forecast.
            ("I1", 8, "2026-04-02".to_string(), "80.00".to_string()),
            // GLOBEX: (1 x -2 + 5 x 7.75) / 6 = 6.125 -> 6 days.
            ("G2", 6, "2026-04-11".to_string(), "150.00".to_string()),
            // ACME: own 17.5 over 2 paid; (2 x 17.5 + 5 x 7.75) / 7 =
            // 10.54 -> 11 days after April 10. A4 is disputed: left out.
            ("A3", 11, "2026-04-21".to_string(), "200.00".to_string()),
        ]
    );
    let weekly: Vec<(String, String)> = f
        .weekly
        .iter()
        .map(|w| (w.start.to_string(), w.amount.to_string()))
        .collect();
    // April 2 is in the week of Monday March 30; April 11 of April 6;
    // April 21 of April 20.
    assert_eq!(
        weekly,
        [
            ("2026-03-30".to_string(), "80.00".to_string()),
            ("2026-04-06".to_string(), "150.00".to_string()),
            ("2026-04-20".to_string(), "200.00".to_string()),
        ]
    );
    assert_eq!(f.monthly.len(), 1);
    assert_eq!(f.monthly[0].amount, d("430.00"));
    // A disputed item at half its amount, on ACME's delay.
    let with =
        b.l.forecast(&ForecastOptions {
            disputed_probability: Some(d("0.5")),
            ..ForecastOptions::new(day("2026-04-01"))
        })
        .unwrap();
    let a4 = with
        .items
        .iter()
        .find(|i| i.invoice.as_str() == "A4")
        .unwrap();
    assert_eq!(
        (a4.expected_date, a4.expected_amount, a4.disputed),
        (day("2026-04-26"), d("25.00"), true)
    );
    let err =
        b.l.forecast(&ForecastOptions {
            disputed_probability: Some(d("1.5")),
            ..ForecastOptions::new(day("2026-04-01"))
        })
        .unwrap_err();
    assert_eq!(err.code(), "invalid_amount");
}

#[test]
fn the_backtest_compares_with_naive_forecasts() {
    let b = book();
    let t =
        b.l.forecast_backtest(&ForecastOptions::new(day("2026-04-01")), 4)
            .unwrap();
    let weeks: Vec<(String, String, String, String, String)> = t
        .weeks
        .iter()
        .map(|w| {
            (
                w.start.to_string(),
                w.forecast.to_string(),
                w.actual.to_string(),
                w.on_due_date.to_string(),
                w.book_average.to_string(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        weeks,
        [
            // April 2-8: I1 expected; G2 paid; due dates: I1 and G2.
            (
                s("2026-04-02"),
                s("80.00"),
                s("150.00"),
                s("230.00"),
                s("80.00")
            ),
            // April 9-15: G2 expected (11th); A3 due (10th); G2 + 8 = 13th.
            (
                s("2026-04-09"),
                s("150.00"),
                s("0.00"),
                s("200.00"),
                s("150.00")
            ),
            // April 16-22: A3 expected (21st) and A3 + 8 = 18th.
            (
                s("2026-04-16"),
                s("200.00"),
                s("0.00"),
                s("0.00"),
                s("200.00")
            ),
            // April 23-29: A3 paid on the 25th.
            (
                s("2026-04-23"),
                s("0.00"),
                s("200.00"),
                s("0.00"),
                s("0.00")
            ),
        ]
    );
    let e = &t.errors[0];
    // |80-150| + 150 + 200 + 200 = 620 over 4 weeks; bias 80 / 4.
    assert_eq!((e.mae, e.bias), (d("155.00"), d("20.00")));
    // Due dates: 80 + 200 + 0 + 200 = 480 / 4.
    assert_eq!(e.mae_on_due_date, d("120.00"));
    assert_eq!(e.mae_book_average, d("155.00"));
    assert_eq!(
        b.l.forecast_backtest(&ForecastOptions::new(day("2026-04-01")), 0)
            .unwrap_err()
            .code(),
        "invalid_value"
    );
}
