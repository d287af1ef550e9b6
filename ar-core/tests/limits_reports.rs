//! Limits, overflow and linear work in the reports, the bulk book,
//! provisions and the matcher: each limit at its value and one past it,
//! amounts at the edge of what a decimal holds, and inputs that used to
//! cost quadratic time.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::bulk::{Book, CustomerColumns, InvoiceColumns, StrColumn};
use ar_core::limits::{MAX_BUCKETS, MAX_DIMENSIONS, MAX_KEY_LEN, MAX_PERIODS, MAX_TEXT_LEN};
use ar_core::matching::{
    match_receipts, ItemKind, MatchCustomer, MatchItem, MatchOptions, MatchReceipt, MatchStatus,
    Matcher, PayerBasis, ReasonCode,
};
use ar_core::metrics::dso_countback;
use ar_core::provision::{loss_rates, provision, roll_rates};
use ar_core::*;
use chrono::{DateTime, NaiveDate, Utc};
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
fn usd() -> Currency {
    Currency::new("USD").unwrap()
}

/// The largest amount a `Decimal` holds at cents: 2^96 - 1 cents.
const MAX_CENTS: &str = "792281625142643375935439503.35";

/// `Err` with code `limit_exceeded`, naming `field`, for `count` over `limit`.
fn assert_limit<T: std::fmt::Debug>(r: Result<T>, field: &str, count: usize, limit: usize) {
    let e = r.unwrap_err();
    assert_eq!(e.code(), "limit_exceeded", "{e}");
    assert_eq!(
        e,
        Error::LimitExceeded {
            field: field.to_owned(),
            count: u64::try_from(count).unwrap(),
            limit: u64::try_from(limit).unwrap(),
        }
    );
}

fn assert_code<T: std::fmt::Debug>(r: Result<T>, code: &str, field: &str) {
    let e = r.unwrap_err();
    assert_eq!(e.code(), code, "{e}");
    assert!(e.to_string().starts_with(field), "{e}");
}

fn ledger_with(invoices: &[(&str, &str, &str)]) -> Ledger {
    let mut l = Ledger::new();
    let c = Customer::new(CustomerId::new("D").unwrap(), "D", usd()).with_dimension("region", "N");
    l.execute(
        Command::RegisterCustomer { customer: c },
        &at("2026-01-01T00:00:00Z"),
    )
    .unwrap();
    for (id, date, amount) in invoices {
        issue(&mut l, id, date, amount).unwrap();
    }
    l
}

fn issue(l: &mut Ledger, id: &str, date: &str, amount: &str) -> Result<Outcome> {
    let mut inv = NewInvoice::new(
        InvoiceId::new(id).unwrap(),
        CustomerId::new("D").unwrap(),
        day(date),
        vec![InvoiceLine::new("x", Decimal::ONE, d(amount))],
    );
    inv.terms = Some(PaymentTerms::net(30));
    l.execute(
        Command::IssueInvoice { invoice: inv },
        &at("2026-01-01T00:00:00Z"),
    )
}

fn column(values: impl IntoIterator<Item = String>) -> StrColumn {
    let values: Vec<String> = values.into_iter().collect();
    values.iter().map(String::as_str).collect()
}

/// A book of one invoice per `(id, date, amount)`, all customer D's, due
/// 30 days after their date.
fn bulk_book(invoices: &[(&str, &str, &str)]) -> Book {
    let n = invoices.len();
    Book {
        invoices: InvoiceColumns {
            id: invoices.iter().map(|i| i.0).collect(),
            customer: std::iter::repeat_n("D", n).collect(),
            currency: vec![usd(); n],
            date: invoices.iter().map(|i| day(i.1)).collect(),
            due_date: invoices
                .iter()
                .map(|i| day(i.1) + chrono::Duration::days(30))
                .collect(),
            amount: invoices.iter().map(|i| d(i.2)).collect(),
            dimensions: vec![],
        },
        ..Book::default()
    }
}

// ---- countback DSO ---------------------------------------------------------

#[test]
fn countback_has_no_answer_through_a_period_without_sales() {
    // AR 150. March (31 days) sold 100: 50 left after 31 days. February
    // (28 days) sold nothing: the 50 are receivables no sales of February
    // explain, so there is no countback (it used to count February's 28
    // days and go on to January: 31 + 28 + 50 / 100 x 31 = 74.5).
    let zero = [(d("100"), 31), (d("0"), 28), (d("100"), 31)];
    assert_eq!(dso_countback(d("150"), &zero).unwrap(), None);
    // February with negative sales (returns over sales): no answer either
    // (it used to add the 50 back: 100 left after 59 days, then 100 / 200
    // of January's 31 days, 74.5).
    let negative = [(d("100"), 31), (d("-50"), 28), (d("200"), 31)];
    assert_eq!(dso_countback(d("150"), &negative).unwrap(), None);
    // A period without sales that the countback does not reach is not
    // read: AR 50 is half of March's sales, 50 / 100 x 31 = 15.5 days.
    assert_eq!(dso_countback(d("50"), &zero).unwrap(), Some(d("15.5")));
    assert_eq!(dso_countback(d("50"), &negative).unwrap(), Some(d("15.5")));
    // AR 100 is all of March's: 31 days exactly, February unread.
    assert_eq!(dso_countback(d("100"), &zero).unwrap(), Some(d("31")));
    // The most recent period itself without sales: no answer.
    assert_eq!(dso_countback(d("1"), &[(d("0"), 30)]).unwrap(), None);
}

#[test]
fn countback_in_the_ledger_and_the_book_stops_at_a_month_without_sales() {
    // D: 1,000.00 on 04-10 and 600.00 on 06-25, nothing in May. Q2 ends
    // 06-30 with 1,600.00 open. June (30 days) explains 600.00; May sold
    // nothing, so the 1,000.00 left have no countback (it used to be
    // 30 + 31 + 1,000 / 1,000 x 30 = 91 days).
    let invoices = [
        ("A1", "2026-04-10", "1000.00"),
        ("A2", "2026-06-25", "600.00"),
    ];
    let q2 = Period::new(day("2026-04-01"), day("2026-06-30")).unwrap();
    let options = MetricsOptions::new(q2);
    let l = ledger_with(&invoices);
    let m = &l.metrics(&options).unwrap()[0];
    assert_eq!((m.ar_end, m.credit_sales), (d("1600.00"), d("1600.00")));
    assert_eq!(m.dso_countback, None);
    // 1,600 / 1,600 x 91: the other DSOs are unaffected.
    assert_eq!(m.dso_period_end, Some(d("91")));
    let b = bulk_book(&invoices).prepare().unwrap();
    assert_eq!(b.metrics(&options).unwrap()[0].dso_countback, None);
    // With May's sales (3,000.00 on 05-20, 4,600.00 open) the countback goes
    // through: June 600 (30 days), May 3,000 (31), then 1,000 / 1,000 of
    // April's 30 days: 91.
    let with_may = [
        ("A1", "2026-04-10", "1000.00"),
        ("A3", "2026-05-20", "3000.00"),
        ("A2", "2026-06-25", "600.00"),
    ];
    let m = &ledger_with(&with_may).metrics(&options).unwrap()[0];
    assert_eq!(m.dso_countback, Some(d("91")));
    let b = bulk_book(&with_may).prepare().unwrap();
    assert_eq!(b.metrics(&options).unwrap()[0].dso_countback, Some(d("91")));
}

// ---- limits of the reports -------------------------------------------------

fn bounds(n: usize) -> Vec<i64> {
    (0..n).map(|i| i64::try_from(i).unwrap() * 30).collect()
}

#[test]
fn bucket_bounds_up_to_the_limit() {
    let b = Buckets::new(bounds(MAX_BUCKETS)).unwrap();
    assert_eq!(b.len(), MAX_BUCKETS + 1);
    assert_limit(
        Buckets::new(bounds(MAX_BUCKETS + 1)),
        "buckets",
        MAX_BUCKETS + 1,
        MAX_BUCKETS,
    );
    // Ten million bounds are refused at once, not sorted through.
    assert_limit(
        Buckets::new(bounds(10_000_000)),
        "buckets",
        10_000_000,
        MAX_BUCKETS,
    );
    // The same through serde.
    let json = serde_json::to_string(&bounds(MAX_BUCKETS + 1)).unwrap();
    let e = serde_json::from_str::<Buckets>(&json).unwrap_err();
    assert!(e.to_string().contains("limit of 64"), "{e}");
    // An aging at the limit: 64 bounds, 65 buckets. A1 (due 05-10) is 51
    // days past due on 06-30: the bucket 31-60.
    let l = ledger_with(&[("A1", "2026-04-10", "1000.00")]);
    let options = AgingOptions {
        buckets: b,
        ..AgingOptions::new(day("2026-06-30"))
    };
    let a = l.aging(&options).unwrap();
    assert_eq!(a.labels.len(), MAX_BUCKETS + 1);
    assert_eq!(a.labels[2], "31-60");
    assert_eq!(a.totals[0].buckets[2], d("1000.00"));
}

fn dims(n: usize) -> Vec<GroupBy> {
    (0..n)
        .map(|i| GroupBy::CustomerDimension(format!("k{i}")))
        .collect()
}

#[test]
fn group_by_keys_up_to_the_limit() {
    let l = ledger_with(&[("A1", "2026-04-10", "1000.00")]);
    let aging = |group_by: Vec<GroupBy>| {
        l.aging(&AgingOptions {
            group_by,
            ..AgingOptions::new(day("2026-06-30"))
        })
    };
    let q2 = Period::new(day("2026-04-01"), day("2026-06-30")).unwrap();
    let metrics = |group_by: Vec<GroupBy>| {
        l.metrics(&MetricsOptions {
            group_by,
            ..MetricsOptions::new(q2)
        })
    };
    // 64 keys the customer does not have: one group of 64 empty values.
    let a = aging(dims(MAX_DIMENSIONS)).unwrap();
    assert_eq!(a.rows.len(), 1);
    assert_eq!(a.rows[0].group, vec![String::new(); MAX_DIMENSIONS]);
    assert_eq!(a.rows[0].total, d("1000.00"));
    assert_eq!(
        metrics(dims(MAX_DIMENSIONS)).unwrap()[0].ar_end,
        d("1000.00")
    );
    let over = MAX_DIMENSIONS + 1;
    assert_limit(aging(dims(over)), "group_by", over, MAX_DIMENSIONS);
    assert_limit(metrics(dims(over)), "group_by", over, MAX_DIMENSIONS);
    // A key of 256 bytes, and of 257.
    let key = |n: usize| vec![GroupBy::CustomerDimension("k".repeat(n))];
    assert_eq!(aging(key(MAX_KEY_LEN)).unwrap().rows[0].group, [""]);
    assert_limit(aging(key(MAX_KEY_LEN + 1)), "group_by[0]", 257, 256);
    assert_limit(metrics(key(MAX_KEY_LEN + 1)), "group_by[0]", 257, 256);
    let text = format!("customer.{}", "k".repeat(MAX_KEY_LEN + 1));
    assert_limit(
        GroupBy::parse_field("group_by[3]", &text),
        "group_by[3]",
        257,
        256,
    );
    assert!(GroupBy::parse_field("g", &format!("invoice.{}", "k".repeat(256))).is_ok());
    // The bulk book: the limit before the check that the book has the keys.
    let b = bulk_book(&[("A1", "2026-04-10", "1000.00")])
        .prepare()
        .unwrap();
    let o = AgingOptions {
        group_by: dims(over),
        ..AgingOptions::new(day("2026-06-30"))
    };
    assert_limit(b.aging(&o), "group_by", over, MAX_DIMENSIONS);
}

#[test]
fn countback_months_and_periods_up_to_the_limit() {
    // A1 1,000.00 on 2026-04-10 and nothing before: whatever the look-back,
    // June and May have no sales, so no countback; the rest is figured.
    let l = ledger_with(&[("A1", "2026-04-10", "1000.00")]);
    let q2 = Period::new(day("2026-04-01"), day("2026-06-30")).unwrap();
    let months = |n: u32| MetricsOptions {
        countback_months: n,
        ..MetricsOptions::new(q2)
    };
    let m = &l.metrics(&months(1200)).unwrap()[0];
    assert_eq!((m.ar_end, m.dso_countback), (d("1000.00"), None));
    assert_limit(l.metrics(&months(1201)), "countback_months", 1201, 1200);
    // A billion months used to allocate 16 GB; now refused at once.
    assert_limit(
        l.metrics(&months(1_000_000_000)),
        "countback_months",
        1_000_000_000,
        MAX_PERIODS,
    );
    let b = bulk_book(&[("A1", "2026-04-10", "1000.00")])
        .prepare()
        .unwrap();
    assert_eq!(b.metrics(&months(1200)).unwrap()[0].ar_end, d("1000.00"));
    assert_limit(b.metrics(&months(1201)), "countback_months", 1201, 1200);

    // The countback over 1,200 given periods of 1.00 a month, 30 days each:
    // AR 1,200.00 is explained by all of them, 36,000 days.
    let periods = vec![(d("1.00"), 30); MAX_PERIODS];
    assert_eq!(
        dso_countback(d("1200.00"), &periods).unwrap(),
        Some(d("36000"))
    );
    let more = vec![(d("1.00"), 30); MAX_PERIODS + 1];
    assert_limit(dso_countback(d("1.00"), &more), "periods", 1201, 1200);

    // Bucket history: one aging per date.
    let dates: Vec<NaiveDate> = (0..MAX_PERIODS)
        .map(|i| day("2026-01-01") + chrono::Duration::days(i64::try_from(i).unwrap()))
        .collect();
    let h = l
        .bucket_history(&dates, &Buckets::default(), usd(), None)
        .unwrap();
    assert_eq!(h.len(), MAX_PERIODS);
    // On 2026-06-30 (day 180) A1, due 05-10, is in 31-60.
    assert_eq!(h[180][2], d("1000.00"));
    let mut more = dates.clone();
    more.push(day("2030-01-01"));
    assert_limit(
        l.bucket_history(&more, &Buckets::default(), usd(), None),
        "period_ends",
        1201,
        1200,
    );
}

#[test]
fn provisions_up_to_the_limit() {
    let n = MAX_BUCKETS + 1;
    let labels: Vec<String> = (0..n).map(|i| format!("b{i}")).collect();
    // 65 buckets of 1.00 at 10 %: 6.50.
    let p = provision(
        &labels,
        &vec![d("1.00"); n],
        &vec![d("10"); n],
        usd(),
        RoundingPolicy::default(),
    )
    .unwrap();
    assert_eq!(p.total, d("6.50"));
    let mut labels = labels;
    labels.push("more".into());
    assert_limit(
        provision(
            &labels,
            &vec![d("1.00"); n + 1],
            &vec![d("10"); n + 1],
            usd(),
            RoundingPolicy::default(),
        ),
        "rates",
        n + 1,
        n,
    );
    // 1,200 periods of (100, 10): 10 % rolls on, every period.
    let history = vec![vec![d("100"), d("10")]; MAX_PERIODS];
    assert_eq!(roll_rates(&history).unwrap(), vec![Some(d("10"))]);
    let longer = vec![vec![d("100"), d("10")]; MAX_PERIODS + 1];
    assert_limit(roll_rates(&longer), "history", 1201, 1200);
    let wide = vec![vec![d("1"); n + 1]; 2];
    assert_limit(roll_rates(&wide), "history[0]", n + 1, n);
    // 64 roll rates of 100 % and a final loss of 50 %: 50 % everywhere.
    let rolls = vec![Some(d("100")); MAX_BUCKETS];
    let rates = loss_rates(&rolls, d("50")).unwrap();
    assert_eq!(rates, vec![Some(d("50")); MAX_BUCKETS + 1]);
    let more = vec![Some(d("100")); MAX_BUCKETS + 1];
    assert_limit(loss_rates(&more, d("50")), "roll", 65, 64);
}

fn dimension_columns(n: usize, rows: usize, value: &str) -> Vec<(String, StrColumn)> {
    (0..n)
        .map(|i| {
            (
                format!("k{i}"),
                column(std::iter::repeat_n(value.to_owned(), rows)),
            )
        })
        .collect()
}

#[test]
fn bulk_dimensions_up_to_the_limit() {
    let one = [("A1", "2026-04-10", "1000.00")];
    let with = |invoice: Vec<(String, StrColumn)>, customer: Vec<(String, StrColumn)>| {
        let mut b = bulk_book(&one);
        b.invoices.dimensions = invoice;
        b.customers = CustomerColumns {
            id: ["D"].into_iter().collect(),
            dimensions: customer,
        };
        b.prepare()
    };
    let ok = with(
        dimension_columns(MAX_DIMENSIONS, 1, "v"),
        dimension_columns(MAX_DIMENSIONS, 1, "w"),
    )
    .unwrap();
    let a = ok
        .aging(&AgingOptions {
            group_by: vec![
                "invoice.k63".parse().unwrap(),
                "customer.k0".parse().unwrap(),
            ],
            ..AgingOptions::new(day("2026-06-30"))
        })
        .unwrap();
    assert_eq!(a.rows[0].group, ["v", "w"]);
    assert_eq!(a.rows[0].total, d("1000.00"));
    let over = MAX_DIMENSIONS + 1;
    assert_limit(
        with(dimension_columns(over, 1, "v"), vec![]),
        "invoices.dimensions",
        over,
        MAX_DIMENSIONS,
    );
    assert_limit(
        with(vec![], dimension_columns(over, 1, "v")),
        "customers.dimensions",
        over,
        MAX_DIMENSIONS,
    );
    // A name and a value of 256 bytes, and of 257.
    let long = |n: usize| "x".repeat(n);
    let named = |name: String, value: String| vec![(name, column([value]))];
    let b = with(named(long(256), long(256)), named(long(256), long(256))).unwrap();
    assert_eq!(b.invoices(), 1);
    assert_limit(
        with(named(long(257), "v".into()), vec![]),
        "invoices.dimensions.key",
        257,
        256,
    );
    assert_limit(
        with(vec![], named("region".into(), long(257))),
        "customers.region[0]",
        257,
        256,
    );
    // The row is named: the third of three customers.
    let mut b = bulk_book(&[("A1", "2026-04-10", "1.00")]);
    b.customers = CustomerColumns {
        id: ["D", "E", "F"].into_iter().collect(),
        dimensions: vec![(
            "region".into(),
            column(["N".to_owned(), "S".to_owned(), long(300)]),
        )],
    };
    assert_limit(b.prepare(), "customers.region[2]", 300, 256);
    // An invoice's dimension values are a column of its table: any length
    // (the bindings' tables carry such text).
    let mut b = bulk_book(&[("A1", "2026-04-10", "1.00")]);
    b.invoices.dimensions = vec![("region".into(), column([long(300)]))];
    assert_eq!(b.prepare().unwrap().invoices(), 1);
}

// ---- overflow --------------------------------------------------------------

#[test]
fn aging_and_metrics_at_the_edge_of_a_decimal() {
    // One invoice of 2^96 - 1 cents: its figures are exact (not divided by
    // a hundred, not saturated).
    let mut l = ledger_with(&[("BIG", "2026-04-10", MAX_CENTS)]);
    let a = l.aging(&AgingOptions::new(day("2026-06-30"))).unwrap();
    assert_eq!(a.totals[0].total, d(MAX_CENTS));
    assert_eq!(a.totals[0].net, d(MAX_CENTS));
    assert_eq!(a.totals[0].buckets[2], d(MAX_CENTS));
    let q2 = Period::new(day("2026-04-01"), day("2026-06-30")).unwrap();
    let m = &l.metrics(&MetricsOptions::new(q2)).unwrap()[0];
    assert_eq!((m.ar_end, m.credit_sales), (d(MAX_CENTS), d(MAX_CENTS)));
    // All of it sold in the 91 days and open at the end: AR / sales x 91 =
    // 91, although AR x 91 alone is beyond a decimal's digits.
    assert_eq!(m.dso_period_end, Some(d("91")));
    // 100 % of it is past due: the percentage holds.
    assert_eq!(m.percent_past_due, Some(d("100")));
    // Over the whole year, with nothing sold in a quarter of it: no
    // countback (the months without sales), the rest exact.
    let y = Period::new(day("2026-01-01"), day("2026-12-31")).unwrap();
    let m = &l.metrics(&MetricsOptions::new(y)).unwrap()[0];
    assert_eq!(
        (m.ar_begin, m.ar_end, m.dso_countback),
        (d("0.00"), d(MAX_CENTS), None)
    );
    // One cent more is an overflow, and changes nothing.
    let events = l.events().len();
    assert_code(
        issue(&mut l, "ONE", "2026-04-10", "0.01"),
        "overflow",
        "amount",
    );
    assert_eq!(l.events().len(), events);
    let again = l.aging(&AgingOptions::new(day("2026-06-30"))).unwrap();
    assert_eq!(again, a);
}

#[test]
fn bulk_books_at_the_edge_of_a_decimal() {
    // 2^96 - 1 in dollars cannot be held in cents: overflow, not a figure
    // a hundred times too small.
    let max = Decimal::MAX.to_string();
    assert_code(
        bulk_book(&[("A1", "2026-04-10", &max)]).prepare(),
        "overflow",
        "invoices.amount[0]",
    );
    // 2^96 - 1 cents: exact.
    let b = bulk_book(&[("A1", "2026-04-10", MAX_CENTS)])
        .prepare()
        .unwrap();
    let a = b.aging(&AgingOptions::new(day("2026-06-30"))).unwrap();
    assert_eq!(a.totals[0].total, d(MAX_CENTS));
    let q2 = Period::new(day("2026-04-01"), day("2026-06-30")).unwrap();
    let m = &b.metrics(&MetricsOptions::new(q2)).unwrap()[0];
    assert_eq!((m.ar_end, m.dso_period_end), (d(MAX_CENTS), Some(d("91"))));
    // With one cent more, the sums would not fit: overflow.
    assert_code(
        bulk_book(&[
            ("A1", "2026-04-10", MAX_CENTS),
            ("A2", "2026-04-10", "0.01"),
        ])
        .prepare(),
        "overflow",
        "amount",
    );
}

#[test]
fn provisions_at_the_edge_of_a_decimal() {
    let labels = ["all".to_owned()];
    let one = |exposure: Decimal, rate: &str| {
        provision(
            &labels,
            &[exposure],
            &[d(rate)],
            usd(),
            RoundingPolicy::default(),
        )
    };
    // 1 % of 2^96 - 1 cents: 7,922,816,251,426,433,759,354,395.0335, exact,
    // rounded once to 7,922,816,251,426,433,759,354,395.03.
    let p = one(d(MAX_CENTS), "1").unwrap();
    assert_eq!(p.lines[0].provision, d("7922816251426433759354395.0335"));
    assert_eq!(p.total, d("7922816251426433759354395.03"));
    // 12.5 % of it: exposure x rate needs 31 digits, more than a decimal
    // has, and would lose the cents: overflow, not a rounded guess.
    assert_code(one(d(MAX_CENTS), "12.5"), "overflow", "exposures");
    // A bucket with nothing in it is no overflow: 0.00 x 10 % is 0, and
    // 10 % of 100.00 is 10.00.
    let p = provision(
        &["a".into(), "b".into()],
        &[d("0.00"), d("100.00")],
        &[d("10"), d("10")],
        usd(),
        RoundingPolicy::default(),
    )
    .unwrap();
    assert_eq!(p.total, d("10.00"));
    // 50 % of 2^96 - 1: x 50 leaves the range: overflow, never a panic.
    assert_code(one(Decimal::MAX, "50"), "overflow", "exposures");
    assert_code(
        provision(
            &["a".into(), "b".into()],
            &[Decimal::MAX, d("1")],
            &[d("0"), d("0")],
            usd(),
            RoundingPolicy::default(),
        ),
        "overflow",
        "exposures",
    );
    // A roll from the smallest balance to the largest used to overflow in
    // the division: it is capped at 100 %.
    let tiny = Decimal::new(1, 28);
    let h = vec![vec![tiny, d("0")], vec![d("0"), Decimal::MAX]];
    assert_eq!(roll_rates(&h).unwrap(), vec![Some(d("100"))]);
    // A huge negative balance rolled: overflow, not a panic.
    let h = vec![vec![tiny, d("0")], vec![d("0"), Decimal::MIN]];
    assert_code(roll_rates(&h), "overflow", "history");
}

fn item(id: &str, installment: Option<u32>, due: &str, open: &str) -> MatchItem {
    MatchItem {
        kind: ItemKind::Invoice,
        id: id.into(),
        installment,
        customer: CustomerId::new("ACME").unwrap(),
        currency: usd(),
        date: day("2026-01-01"),
        due_date: day(due),
        open: d(open),
        discount: None,
        po_number: None,
        disputed: false,
    }
}

fn receipt(id: &str, payer: Option<&str>, amount: &str, text: &str) -> MatchReceipt {
    MatchReceipt {
        id: id.into(),
        customer: payer.map(|p| CustomerId::new(p).unwrap()),
        date: day("2026-04-01"),
        amount: d(amount),
        currency: usd(),
        remittance: text.into(),
        payer_name: None,
        account: None,
    }
}

#[test]
fn matching_at_the_edge_of_i64() {
    let o = MatchOptions::default();
    // 10^17 dollars is 10^19 cents, beyond the matcher's i64.
    let big = "100000000000000000.00";
    assert_code(
        match_receipts(&[], vec![item("A", None, "2026-03-31", big)], &[], &o),
        "overflow",
        "items[0].open",
    );
    assert_code(
        match_receipts(
            &[receipt("R1", Some("ACME"), big, "")],
            vec![item("A", None, "2026-03-31", "1.00")],
            &[],
            &o,
        ),
        "overflow",
        "receipts[0].amount",
    );
    // Two items of 6 x 10^18 cents each: together beyond i64. A receipt of
    // one of them fits either (two equal fits: review); one of both fits
    // none, and nothing panics on the way.
    let six = "60000000000000000.00";
    let items = || {
        vec![
            item("A", None, "2026-03-30", six),
            item("B", None, "2026-03-31", six),
        ]
    };
    let b = match_receipts(&[receipt("R1", Some("ACME"), six, "")], items(), &[], &o).unwrap();
    let m = &b.matches[0];
    assert_eq!(m.status, MatchStatus::Review);
    assert_eq!(m.proposals.len(), 2);
    assert_eq!(m.proposals[0].applications[0].amount, d(six));
    let both = "92233720368547758.07"; // i64::MAX cents
    let b = match_receipts(
        &[receipt("R1", Some("ACME"), both, "A B")],
        items(),
        &[],
        &o,
    );
    let m = &b.unwrap().matches[0];
    assert!(m
        .proposals
        .iter()
        .all(|p| p.applications.iter().all(|a| a.amount <= d(six))));
    // The summary of a batch adds the receipts in a decimal: exact.
    let b = match_receipts(
        &[
            receipt("R1", Some("ACME"), both, ""),
            receipt("R2", Some("ACME"), both, ""),
        ],
        vec![],
        &[],
        &o,
    )
    .unwrap();
    let unmatched = b
        .summary
        .iter()
        .find(|s| s.status == MatchStatus::Unmatched)
        .unwrap();
    assert_eq!(unmatched.amount, d("184467440737095516.14"));
}

// ---- the matcher's limits and linear work ----------------------------------

#[test]
fn remittance_read_up_to_the_limit() {
    let items = vec![item("INV-1", None, "2026-03-31", "100.00")];
    let o = MatchOptions {
        max_remittance_bytes: MAX_TEXT_LEN,
        ..MatchOptions::default()
    };
    // INV-1 named at the very end of 64 KB of text: read.
    let text = format!("{}INV-1", "x ".repeat((MAX_TEXT_LEN - 5) / 2));
    let text = format!("{}{text}", " ".repeat(MAX_TEXT_LEN - text.len()));
    assert_eq!(text.len(), MAX_TEXT_LEN);
    let m = Matcher::new(items.clone(), &[], o.clone())
        .unwrap()
        .propose(&receipt("R1", Some("ACME"), "100.00", &text))
        .unwrap();
    assert_eq!(m.references.len(), 1);
    assert!(m.notes.iter().all(|n| n.code != ReasonCode::TextTruncated));
    // One byte more: the text is cut there, and says so.
    let m = Matcher::new(items.clone(), &[], o.clone())
        .unwrap()
        .propose(&receipt("R1", Some("ACME"), "100.00", &format!("{text} ")))
        .unwrap();
    assert!(m.notes.iter().any(|n| n.code == ReasonCode::TextTruncated));
    // Reading more than 64 KB is not an option.
    let more = MatchOptions {
        max_remittance_bytes: MAX_TEXT_LEN + 1,
        ..MatchOptions::default()
    };
    assert_limit(
        Matcher::new(items, &[], more),
        "options.max_remittance_bytes",
        MAX_TEXT_LEN + 1,
        MAX_TEXT_LEN,
    );
}

#[test]
fn an_invoice_of_many_installments_is_indexed_and_matched_in_order() {
    // 20,000 installments of one invoice, 1.00 each, due one day after
    // another: finding a duplicate, and whether an installment is the
    // first open one, used to read every installment for each.
    let n = 20_000u32;
    let items: Vec<MatchItem> = (1..=n)
        .map(|k| {
            let due = day("2026-01-01") + chrono::Duration::days(i64::from(k));
            item("INV-7", Some(k), &due.to_string(), "1.00")
        })
        .collect();
    let mut m = Matcher::new(items.clone(), &[], MatchOptions::default()).unwrap();
    // 1.00 paid with INV-7 named: every installment fits alone, but only
    // the first is paid in due order.
    let b = m
        .match_batch(&[
            receipt("R1", Some("ACME"), "1.00", "INV-7"),
            receipt("R2", Some("ACME"), "1.00", ""),
        ])
        .unwrap();
    let first = &b.matches[0].proposals[0].applications;
    assert_eq!((first.len(), first[0].installment), (1, Some(1)));
    // R1 has consumed installment 1: R2 pays installment 2.
    let second = &b.matches[1].proposals[0].applications;
    assert_eq!(second[0].installment, Some(2));
    // The last installment given twice is still found, by its row.
    let mut twice = items;
    twice.push(item("INV-7", Some(n), "2026-12-31", "1.00"));
    assert_code(
        Matcher::new(twice, &[], MatchOptions::default()),
        "duplicate_id",
        "items[20000].id",
    );
}

#[test]
fn payers_found_by_name_among_many_alike() {
    // 10,000 customers named "First <letters> Trading", and one alias: a
    // name in the remittance is looked up by its words, not against every
    // name starting with "First". No digits anywhere, so that no reference
    // finds the payer first.
    let letters = |mut i: usize| {
        let mut s = String::from("Q");
        while i > 0 {
            s.push(char::from(b'A' + u8::try_from(i % 26).unwrap()));
            i /= 26;
        }
        s
    };
    let customers: Vec<MatchCustomer> = (0..10_000)
        .map(|i| MatchCustomer {
            id: CustomerId::new(format!("C{i}")).unwrap(),
            name: format!("First {} Trading", letters(i)),
            aliases: if i == 42 {
                vec!["First Choice".into()]
            } else {
                vec![]
            },
            accounts: vec![],
        })
        .collect();
    let open = |c: &str, id: &str| MatchItem {
        customer: CustomerId::new(c).unwrap(),
        ..item(id, None, "2026-03-31", "70.00")
    };
    let items = vec![open("C42", "INV-AX"), open("C9999", "INV-BY")];
    let propose = |text: &str, payer_name: Option<&str>| {
        let r = MatchReceipt {
            payer_name: payer_name.map(str::to_owned),
            ..receipt("R1", None, "70.00", text)
        };
        Matcher::new(items.clone(), &customers, MatchOptions::default())
            .unwrap()
            .propose(&r)
            .unwrap()
    };
    let text = format!(
        "FIRST FIRST first payment from first {} trading ltd",
        letters(9999)
    );
    let text = text.as_str();
    let m = propose(text, None);
    assert_eq!(m.proposals.len(), 1);
    assert_eq!(m.proposals[0].customer.as_str(), "C9999");
    assert_eq!(m.proposals[0].payer_basis, PayerBasis::Name);
    // The bank's payer name comes first, then the remittance: both named.
    let m = propose(text, Some("FIRST CHOICE"));
    let payers: Vec<&str> = m.proposals.iter().map(|p| p.customer.as_str()).collect();
    assert_eq!(payers.len(), 2);
    assert!(payers.contains(&"C42") && payers.contains(&"C9999"));
    assert_eq!(m.status, MatchStatus::Review);
}

// ---- views -----------------------------------------------------------------

#[test]
fn untouched_documents_show_zero_not_negative_zero() {
    let mut l = ledger_with(&[("A1", "2026-04-10", "1000.00")]);
    let v = l
        .invoice(&InvoiceId::new("A1").unwrap(), &View::default())
        .unwrap();
    for amount in [v.paid, v.credited, v.discounted, v.written_off] {
        assert_eq!(amount.to_string(), "0.00");
    }
    let r = Receipt {
        id: ReceiptId::new("R1").unwrap(),
        customer: Some(CustomerId::new("D").unwrap()),
        date: day("2026-04-20"),
        amount: d("5.00"),
        currency: usd(),
        method: PaymentMethod::Wire,
        reference: None,
        remittance: String::new(),
        payer_name: None,
        payer_account: None,
    };
    l.execute(
        Command::RecordReceipt { receipt: r },
        &at("2026-04-20T00:00:00Z"),
    )
    .unwrap();
    let s = l
        .source(
            &Source::Receipt(ReceiptId::new("R1").unwrap()),
            &View::default(),
        )
        .unwrap();
    assert_eq!(
        (s.applied.to_string(), s.refunded.to_string()),
        ("0.00".into(), "0.00".into())
    );
}
