//! Aging and metrics from a ledger, checked against figures worked by hand.
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
fn cust(s: &str) -> CustomerId {
    CustomerId::new(s).unwrap()
}

struct Book {
    l: Ledger,
}

impl Book {
    fn new() -> Self {
        Book { l: Ledger::new() }
    }
    fn customer(&mut self, id: &str, currency: &str, region: Option<&str>) {
        let mut c = Customer::new(cust(id), id, Currency::new(currency).unwrap());
        if let Some(r) = region {
            c = c.with_dimension("region", r);
        }
        self.l
            .execute(
                Command::RegisterCustomer { customer: c },
                &at("2026-01-01T00:00:00Z"),
            )
            .unwrap();
    }
    fn invoice(&mut self, id: &str, customer: &str, date: &str, amount: &str, terms: PaymentTerms) {
        let mut inv = NewInvoice::new(
            InvoiceId::new(id).unwrap(),
            cust(customer),
            day(date),
            vec![InvoiceLine::new("x", Decimal::ONE, d(amount))],
        );
        inv.terms = Some(terms);
        self.l
            .execute(
                Command::IssueInvoice { invoice: inv },
                &at("2026-01-01T00:00:00Z"),
            )
            .unwrap();
    }
    fn pay(
        &mut self,
        receipt: &str,
        customer: &str,
        date: &str,
        amount: &str,
        applied: &[(&str, &str)],
        recorded: &str,
    ) {
        let currency = self.l.customer(&cust(customer)).unwrap().currency;
        let r = Receipt {
            id: ReceiptId::new(receipt).unwrap(),
            customer: Some(cust(customer)),
            date: day(date),
            amount: d(amount),
            currency,
            method: PaymentMethod::Wire,
            reference: None,
            remittance: String::new(),
            payer_name: None,
            payer_account: None,
        };
        self.l
            .execute(Command::RecordReceipt { receipt: r }, &at(recorded))
            .unwrap();
        for (inv, amt) in applied {
            let cmd = Command::Apply {
                id: None,
                source: Source::Receipt(ReceiptId::new(receipt).unwrap()),
                invoice: InvoiceId::new(*inv).unwrap(),
                installment: None,
                amount: d(amt),
                discount: Decimal::ZERO,
                date: day(date),
            };
            self.l.execute(cmd, &at(recorded)).unwrap();
        }
    }
}

/// As of 2026-06-30, due-date basis, default buckets:
///
/// | item | due | days | bucket | open |
/// |---|---|---|---|---|
/// | A I1 100.00 | 07-10 | -10 | current | 100.00 |
/// | A I2 200.00 | 05-31 | 30 | 1-30 | 200.00 |
/// | A I3 300.00, 50.00 paid 06-20 | 03-31 | 91 | 91-120 | 250.00 |
/// | A I7 90.00 in 3 x 30.00 | 06-14 / 07-14 / 08-13 | 16 / -14 / -44 | 1-30, current, current | 90.00 |
/// | B I4 400.00 | 02-14 | 136 | over 120 | 400.00 |
/// | B I5 500.00, 100.00 paid 06-25 (recorded 07-10) | 05-15 | 46 | 31-60 | 400.00 |
/// | C I6 EUR 600.00 | 05-01 | 60 | 31-60 | 600.00 |
///
/// A has a 25.00 standalone credit; B's 170.00 receipt leaves 70.00 unapplied.
/// A I2 gets 100.00 on 07-05, after the as-of date.
fn book() -> Ledger {
    let mut b = Book::new();
    b.customer("A", "USD", Some("EMEA"));
    b.customer("B", "USD", Some("AMER"));
    b.customer("C", "EUR", None);
    b.invoice("I1", "A", "2026-06-10", "100.00", PaymentTerms::net(30));
    b.invoice("I2", "A", "2026-05-01", "200.00", PaymentTerms::net(30));
    b.invoice("I3", "A", "2026-03-01", "300.00", PaymentTerms::net(30));
    b.invoice("I4", "B", "2026-01-15", "400.00", PaymentTerms::net(30));
    b.invoice("I5", "B", "2026-04-15", "500.00", PaymentTerms::net(30));
    b.invoice("I6", "C", "2026-04-01", "600.00", PaymentTerms::net(30));
    let equal = |days| InstallmentTerm {
        portion: Portion::Equal,
        due: DueRule::Net { days },
        discount: None,
    };
    b.invoice(
        "I7",
        "A",
        "2026-05-15",
        "90.00",
        PaymentTerms::Installments {
            installments: vec![equal(30), equal(60), equal(90)],
        },
    );
    b.l.execute(
        Command::IssueCreditMemo {
            id: CreditMemoId::new("CM1").unwrap(),
            customer: cust("A"),
            date: day("2026-06-01"),
            currency: None,
            against: None,
            kind: CreditKind::Amount { amount: d("25.00") },
            reason: String::new(),
        },
        &at("2026-06-01T00:00:00Z"),
    )
    .unwrap();
    b.pay(
        "RA",
        "A",
        "2026-06-20",
        "50.00",
        &[("I3", "50.00")],
        "2026-06-20T12:00:00Z",
    );
    b.pay(
        "RA2",
        "A",
        "2026-07-05",
        "100.00",
        &[("I2", "100.00")],
        "2026-07-05T12:00:00Z",
    );
    b.pay(
        "RB",
        "B",
        "2026-06-25",
        "170.00",
        &[("I5", "100.00")],
        "2026-07-10T12:00:00Z",
    );
    b.l
}

fn amounts(v: &[Decimal]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

#[test]
fn aging_by_customer_hand_worked() {
    let l = book();
    let r = l.aging(&AgingOptions::new(day("2026-06-30"))).unwrap();
    assert_eq!(
        r.labels,
        ["current", "1-30", "31-60", "61-90", "91-120", "over 120"]
    );
    let row = |c: &str, cur: &str| {
        r.rows
            .iter()
            .find(|x| x.group == [c] && x.currency.code() == cur)
            .unwrap()
    };
    let a = row("A", "USD");
    // current 100 + 30 + 30; 1-30 200 + 30; 91-120 250.
    assert_eq!(
        amounts(&a.buckets),
        ["160.00", "230.00", "0.00", "0.00", "250.00", "0.00"]
    );
    assert_eq!(
        (a.total, a.open_credits, a.unapplied_cash, a.net),
        (d("640.00"), d("25.00"), d("0.00"), d("615.00"))
    );
    assert_eq!(a.items, 6);
    let b = row("B", "USD");
    assert_eq!(
        amounts(&b.buckets),
        ["0.00", "0.00", "400.00", "0.00", "0.00", "400.00"]
    );
    assert_eq!(
        (b.total, b.unapplied_cash, b.net),
        (d("800.00"), d("70.00"), d("730.00"))
    );
    let usd = r
        .totals
        .iter()
        .find(|t| t.currency.code() == "USD")
        .unwrap();
    assert_eq!(
        amounts(&usd.buckets),
        ["160.00", "230.00", "400.00", "0.00", "250.00", "400.00"]
    );
    assert_eq!((usd.total, usd.net), (d("1440.00"), d("1345.00")));
    let eur = r
        .totals
        .iter()
        .find(|t| t.currency.code() == "EUR")
        .unwrap();
    assert_eq!(
        amounts(&eur.buckets),
        ["0.00", "0.00", "600.00", "0.00", "0.00", "0.00"]
    );
    // Totals per currency, in currency-code order.
    assert_eq!(
        r.totals
            .iter()
            .map(|t| t.currency.code())
            .collect::<Vec<_>>(),
        ["EUR", "USD"]
    );
}

#[test]
fn aging_as_known_at_excludes_later_recordings() {
    let l = book();
    // The 06-25 payment was recorded on 07-10: as the books stood on 07-01, I5 was 500.00 and there was no cash.
    let mut o = AgingOptions::new(day("2026-06-30"));
    o.known_at = Some(Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap());
    let r = l.aging(&o).unwrap();
    let b = r.rows.iter().find(|x| x.group == ["B"]).unwrap();
    assert_eq!((b.buckets[2], b.unapplied_cash), (d("500.00"), d("0.00")));
    // As of 07-05 A's I2 has 100.00 paid.
    let r = l.aging(&AgingOptions::new(day("2026-07-05"))).unwrap();
    let a = r.rows.iter().find(|x| x.group == ["A"]).unwrap();
    assert_eq!(a.total, d("540.00"));
}

#[test]
fn aging_by_dimension_invoice_date_and_detail() {
    let l = book();
    let mut o = AgingOptions::new(day("2026-06-30"));
    o.group_by = vec![GroupBy::CustomerDimension("region".into())];
    o.basis = AgeBasis::InvoiceDate;
    o.buckets = Buckets::new(vec![30, 60, 90]).unwrap();
    o.detail = true;
    let r = l.aging(&o).unwrap();
    assert_eq!(r.labels, ["up to 30", "31-60", "61-90", "over 90"]);
    // EMEA (A) by invoice date: I1 20 days, I2 60, I3 121, I7 46 (all three installments).
    let emea = r.rows.iter().find(|x| x.group == ["EMEA"]).unwrap();
    assert_eq!(
        amounts(&emea.buckets),
        ["100.00", "290.00", "0.00", "250.00"]
    );
    // C has no region: grouped under "".
    assert!(r
        .rows
        .iter()
        .any(|x| x.group == [""] && x.currency.code() == "EUR"));
    // Detail lines: I1-I6, I7's three installments, one credit and one cash line.
    assert_eq!(r.detail.len(), 11);
    let i7: Vec<&AgingLine> = r.detail.iter().filter(|x| x.id == "I7").collect();
    assert_eq!(
        i7.iter()
            .map(|x| x.installment.unwrap())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let sum: Decimal = r
        .detail
        .iter()
        .filter(|x| x.kind == OpenItemKind::Invoice && x.currency.code() == "USD")
        .map(|x| x.open)
        .sum();
    assert_eq!(sum, d("1440.00"));
}

/// Customer D, period 2026-04-01 to 06-30 (91 days):
/// J1 03-15 1,000.00 due 04-14, paid 04-20; J2 04-10 2,000.00 due 05-10,
/// 1,500.00 paid 05-05; J3 05-20 3,000.00 due 06-19; J4 06-25 600.00 due 07-25.
fn metrics_book() -> Ledger {
    let mut b = Book::new();
    b.customer("D", "USD", None);
    b.invoice("J1", "D", "2026-03-15", "1000.00", PaymentTerms::net(30));
    b.invoice("J2", "D", "2026-04-10", "2000.00", PaymentTerms::net(30));
    b.invoice("J3", "D", "2026-05-20", "3000.00", PaymentTerms::net(30));
    b.invoice("J4", "D", "2026-06-25", "600.00", PaymentTerms::net(30));
    b.pay(
        "P1",
        "D",
        "2026-04-20",
        "1000.00",
        &[("J1", "1000.00")],
        "2026-04-20T00:00:00Z",
    );
    b.pay(
        "P2",
        "D",
        "2026-05-05",
        "1500.00",
        &[("J2", "1500.00")],
        "2026-05-05T00:00:00Z",
    );
    b.l
}

#[test]
fn metrics_hand_worked() {
    let l = metrics_book();
    let q2 = Period::new(day("2026-04-01"), day("2026-06-30")).unwrap();
    let rows = l.metrics(&MetricsOptions::new(q2)).unwrap();
    assert_eq!(rows.len(), 1);
    let m = &rows[0];
    // AR at 03-31: J1 1,000. At 06-30: 500 + 3,000 + 600 = 4,100, of which J4's 600 not yet due.
    assert_eq!(
        (m.ar_begin, m.ar_end, m.current_end, m.credit_sales, m.days),
        (d("1000.00"), d("4100.00"), d("600.00"), d("5600.00"), 91)
    );
    // 4,100 / 5,600 x 91 = 66.625
    assert_eq!(m.dso_period_end, Some(d("66.625")));
    // (1,000 + 4,100) / 2 / 5,600 x 91 = 41.4375
    assert_eq!(m.dso_average, Some(d("41.4375")));
    // June (30 days) explains 600, May (31) 3,000, then 500 / 2,000 of April's 30 days: 30 + 31 + 7.5.
    assert_eq!(m.dso_countback, Some(d("68.5")));
    // 600 / 5,600 x 91 = 9.75; ADD = 66.625 - 9.75.
    assert_eq!(m.best_possible_dso, Some(d("9.75")));
    assert_eq!(m.average_days_delinquent, Some(d("56.875")));
    // (1,000 + 5,600 - 4,100) / (1,000 + 5,600 - 600) = 2,500 / 6,000
    assert_eq!(m.cei.unwrap().round_dp(4), d("41.6667"));
    // 5,600 / 2,550
    assert_eq!(m.ar_turnover.unwrap().round_dp(4), d("2.1961"));
    assert_eq!(m.percent_current.unwrap().round_dp(4), d("14.6341"));
    assert_eq!(m.percent_past_due.unwrap().round_dp(4), d("85.3659"));
    // Payments: 1,000 after 36 days (6 late), 1,500 after 25 days (5 early).
    let t = m.timing;
    assert_eq!(t.payments, 2);
    assert_eq!(t.average_days_to_pay, Some(d("30.5")));
    assert_eq!(t.weighted_days_to_pay, Some(d("29.4"))); // (36,000 + 37,500) / 2,500
    assert_eq!(t.average_days_beyond_terms, Some(d("0.5")));
    assert_eq!(t.weighted_days_beyond_terms, Some(d("-0.6"))); // (6,000 - 7,500) / 2,500
                                                               // Monthly-average CEI: sales 5,600 / 3 = 1,866.67: (1,000 + 1,866.67 - 4,100) / (1,000 + 1,866.67 - 600) = -54.41 %.
    let mut o = MetricsOptions::new(q2);
    o.cei = CeiVariant::MonthlyAverage { months: 3 };
    assert_eq!(
        l.metrics(&o).unwrap()[0].cei.unwrap().round_dp(2),
        d("-54.41")
    );
}

#[test]
fn metrics_with_no_sales_are_none_not_nan() {
    let l = metrics_book();
    let quiet = Period::new(day("2026-08-01"), day("2026-08-31")).unwrap();
    let m = &l.metrics(&MetricsOptions::new(quiet)).unwrap()[0];
    assert_eq!(m.credit_sales, d("0.00"));
    assert_eq!(
        (
            m.dso_period_end,
            m.best_possible_dso,
            m.average_days_delinquent
        ),
        (None, None, None)
    );
}

#[test]
fn roll_rates_from_the_ledger() {
    let l = book();
    let buckets = Buckets::new(vec![0, 30, 60, 90, 120]).unwrap();
    let ends = [
        day("2026-03-31"),
        day("2026-04-30"),
        day("2026-05-31"),
        day("2026-06-30"),
    ];
    let h = l
        .bucket_history(&ends, &buckets, Currency::new("USD").unwrap(), None)
        .unwrap();
    let backwards = [day("2026-04-30"), day("2026-03-31")];
    assert_eq!(
        l.bucket_history(&backwards, &buckets, Currency::new("USD").unwrap(), None)
            .unwrap_err()
            .code(),
        "invalid_value"
    );
    assert_eq!(h.len(), 4);
    // At 03-31: I3 300 current (due that day), I4 400 in 31-60 (45 days).
    assert_eq!(
        amounts(&h[0]),
        ["300.00", "0.00", "400.00", "0.00", "0.00", "0.00"]
    );
    let r = provision::roll_rates(&h).unwrap();
    assert_eq!(r.len(), 5);
}
