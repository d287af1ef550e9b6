#![allow(clippy::arithmetic_side_effects)]
use super::*;
use crate::metrics::Period;
use crate::par::PARALLEL_ROWS;
use crate::{AgingOptions, GroupBy, MetricsOptions};

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}
fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The metrics book of `tests/reports.rs` as columns: D's four invoices
/// and two payments, Q2 2026.
fn d_book() -> Book {
    let usd = Currency::new("USD").unwrap();
    Book {
        invoices: InvoiceColumns {
            id: ["J1", "J2", "J3", "J4"].into_iter().collect(),
            customer: ["D"; 4].into_iter().collect(),
            currency: vec![usd; 4],
            date: vec![
                day("2026-03-15"),
                day("2026-04-10"),
                day("2026-05-20"),
                day("2026-06-25"),
            ],
            due_date: vec![
                day("2026-04-14"),
                day("2026-05-10"),
                day("2026-06-19"),
                day("2026-07-25"),
            ],
            amount: vec![d("1000.00"), d("2000.00"), d("3000.00"), d("600.00")],
            dimensions: vec![("region".into(), ["N", "N", "S", "S"].into_iter().collect())],
        },
        settlements: SettlementColumns {
            invoice: ["J1", "J2"].into_iter().collect(),
            date: vec![day("2026-04-20"), day("2026-05-05")],
            amount: vec![d("1000.00"), d("1500.00")],
            kind: vec![],
        },
        ..Book::default()
    }
}

#[test]
fn metrics_from_columns_match_the_hand_worked_figures() {
    let b = d_book().prepare().unwrap();
    let q2 = Period::new(day("2026-04-01"), day("2026-06-30")).unwrap();
    let m = &b.metrics(&MetricsOptions::new(q2)).unwrap()[0];
    assert_eq!(
        (m.ar_begin, m.ar_end, m.current_end, m.credit_sales),
        (d("1000.00"), d("4100.00"), d("600.00"), d("5600.00"))
    );
    assert_eq!(
        (m.dso_period_end, m.dso_countback, m.best_possible_dso),
        (Some(d("66.625")), Some(d("68.5")), Some(d("9.75")))
    );
    assert_eq!(m.timing.weighted_days_to_pay, Some(d("29.4")));
    let by_region = b
        .aging(&AgingOptions {
            group_by: vec![crate::GroupBy::InvoiceDimension("region".into())],
            ..AgingOptions::new(day("2026-06-30"))
        })
        .unwrap();
    // N: J2's 500.00 is 51 days past due; S: J3 3,000.00 11 days, J4 600.00 current.
    let n = by_region.rows.iter().find(|r| r.group == ["N"]).unwrap();
    assert_eq!(n.buckets[2], d("500.00"));
    let s = by_region.rows.iter().find(|r| r.group == ["S"]).unwrap();
    assert_eq!((s.buckets[0], s.buckets[1]), (d("600.00"), d("3000.00")));
}

/// A book big enough to be laid out on two threads.
fn big_book(n: usize) -> Book {
    let usd = Currency::new("USD").unwrap();
    let ids: Vec<String> = (0..n).map(|i| format!("I{i}")).collect();
    Book {
        invoices: InvoiceColumns {
            id: ids.iter().map(String::as_str).collect(),
            customer: (0..n).map(|i| if i % 3 == 0 { "A" } else { "B" }).collect(),
            currency: vec![usd; n],
            date: vec![day("2026-05-01"); n],
            due_date: vec![day("2026-05-31"); n],
            amount: vec![d("100.00"); n],
            dimensions: vec![],
        },
        settlements: SettlementColumns {
            invoice: ids.iter().rev().map(String::as_str).collect(),
            date: vec![day("2026-06-01"); n],
            amount: vec![d("40.00"); n],
            kind: vec![],
        },
        ..Book::default()
    }
}

#[test]
fn big_books_report_on_two_cores_as_on_one() {
    // 60,000 invoices of 100.00, due May 31, aged June 30 (1-30). The
    // front half's customers are C0-C4 (by i % 5), the back half's
    // D0-D2 (by i % 3); every invoice 999 mod 1000 is Z's, in both
    // halves. Rows come in the order one pass meets them.
    let n = 60_000;
    let mut b = big_book(n);
    let names: Vec<String> = (0..n)
        .map(|i| match i {
            _ if i % 1000 == 999 => "Z".to_owned(),
            _ if i < n / 2 => format!("C{}", i % 5),
            _ => format!("D{}", i % 3),
        })
        .collect();
    b.invoices.customer = names.iter().map(String::as_str).collect();
    b.settlements = SettlementColumns::default();
    let mut options = AgingOptions::new(day("2026-06-30"));
    options.detail = true;
    let a = b.clone().prepare().unwrap().aging(&options).unwrap();
    let rows: Vec<(&str, Decimal)> = a
        .rows
        .iter()
        .map(|r| (r.group[0].as_str(), r.buckets[1]))
        .collect();
    // Z takes 30 invoices from C4 (999 is 4 mod 5) and 10 from each D
    // (1000j + 999 for j = 30..59 is j mod 3).
    assert_eq!(
        rows,
        [
            ("C0", d("600000.00")),
            ("C1", d("600000.00")),
            ("C2", d("600000.00")),
            ("C3", d("600000.00")),
            ("C4", d("597000.00")),
            ("Z", d("6000.00")),
            ("D0", d("999000.00")),
            ("D1", d("999000.00")),
            ("D2", d("999000.00")),
        ]
    );
    assert_eq!(a.rows[5].items, 60);
    // Detail lines in installment order, across the halves.
    assert_eq!(a.detail.len(), n);
    assert_eq!(
        (a.detail[0].id.as_str(), a.detail[n - 1].id.as_str()),
        ("I0", "I59999")
    );
    assert_eq!(a.detail[30_000].group, ["D0"]);
    assert_eq!(a.detail[59_999].group, ["Z"]);
    // Metrics the same way (rows sorted by group): all sold in the
    // period, none paid.
    let book = b.prepare().unwrap();
    let period = Period::new(day("2026-05-01"), day("2026-06-30")).unwrap();
    let mut by_customer = MetricsOptions::new(period);
    by_customer.group_by = vec![GroupBy::Customer];
    let m = book.metrics(&by_customer).unwrap();
    let sales: Vec<(&str, Decimal, Decimal)> = m
        .iter()
        .map(|r| (r.group[0].as_str(), r.credit_sales, r.ar_end))
        .collect();
    let hundred = |k: i64| d("100.00") * Decimal::from(k);
    let expected: Vec<(&str, Decimal, Decimal)> = [
        ("C0", 6000),
        ("C1", 6000),
        ("C2", 6000),
        ("C3", 6000),
        ("C4", 5970),
        ("D0", 9990),
        ("D1", 9990),
        ("D2", 9990),
        ("Z", 60),
    ]
    .into_iter()
    .map(|(g, k)| (g, hundred(k), hundred(k)))
    .collect();
    assert_eq!(sales, expected);
}

#[test]
fn big_books_name_the_first_bad_row() {
    let n = 3 * PARALLEL_ROWS;
    let b = big_book(n).prepare().unwrap();
    let a = b.aging(&AgingOptions::new(day("2026-06-30"))).unwrap();
    assert_eq!(a.totals[0].buckets[1], d("60.00") * Decimal::from(n));
    // Both halves of the book, on both cores: 100.00 each open on May
    // 31, 60.00 each after the June 1 settlements.
    let june = Period::new(day("2026-06-01"), day("2026-06-30")).unwrap();
    let m = b.metrics(&MetricsOptions::new(june)).unwrap();
    assert_eq!(m[0].ar_begin, d("100.00") * Decimal::from(n));
    assert_eq!(m[0].ar_end, d("60.00") * Decimal::from(n));
    let check = |edit: &dyn Fn(&mut Book), code: &str, field: &str| {
        let mut b = big_book(n);
        edit(&mut b);
        let e = b.prepare().unwrap_err();
        assert_eq!(e.code(), code, "{e}");
        assert!(e.to_string().contains(field), "{e}");
    };
    let dup = |b: &mut Book, row: usize| {
        let ids: Vec<String> = (0..n)
            .map(|i| format!("I{}", if i == row { 1 } else { i }))
            .collect();
        b.invoices.id = ids.iter().map(String::as_str).collect();
    };
    check(
        &|b| {
            dup(b, 50_000);
            b.invoices.amount[40_000] = d("0");
        },
        "invalid_amount",
        "invoices.amount[40000]",
    );
    check(
        &|b| {
            dup(b, 40_000);
            b.invoices.amount[50_000] = d("0");
        },
        "duplicate_id",
        "invoices.id[40000]",
    );
    check(
        &|b| {
            dup(b, 40_000);
            b.invoices.amount[40_000] = d("0");
        },
        "duplicate_id",
        "invoices.id[40000]",
    );
    check(
        &|b| {
            let mut ids: Vec<String> = (0..n).rev().map(|i| format!("I{i}")).collect();
            ids[50_000] = "nope".into();
            ids[55_000] = "nope either".into();
            b.settlements.invoice = ids.iter().map(String::as_str).collect();
        },
        "not_found",
        "settlements.invoice[50000]",
    );
}

#[test]
fn bad_books_name_the_row() {
    let check = |edit: &dyn Fn(&mut Book), code: &str, field: &str| {
        let mut b = d_book();
        edit(&mut b);
        let e = b.prepare().unwrap_err();
        assert_eq!(e.code(), code, "{e}");
        assert!(e.to_string().contains(field), "{e}");
    };
    check(
        &|b| b.invoices.id = ["J1", "J1", "J3", "J4"].into_iter().collect(),
        "duplicate_id",
        "invoices.id[1]",
    );
    check(
        &|b| b.settlements.invoice = ["J1", "J9"].into_iter().collect(),
        "not_found",
        "settlements.invoice[1]",
    );
    check(
        &|b| b.settlements.amount[0] = d("1000.001"),
        "too_many_decimals",
        "settlements.amount[0]",
    );
    check(
        &|b| b.invoices.amount[2] = d("0"),
        "invalid_amount",
        "invoices.amount[2]",
    );
    check(
        &|b| b.settlements.date[0] = day("2026-03-01"),
        "date_before_document",
        "settlements.date[0]",
    );
    check(
        &|b| b.settlements.amount[0] = d("1000.01"),
        "over_application",
        "invoice J1",
    );
    check(
        &|b| b.invoices.date.pop().map(|_| ()).unwrap_or(()),
        "invalid_value",
        "invoices",
    );
    let mut o = AgingOptions::new(day("2026-06-30"));
    o.known_at = Some("2026-07-01T00:00:00Z".parse().unwrap());
    assert_eq!(
        d_book().prepare().unwrap().aging(&o).unwrap_err().code(),
        "invalid_value"
    );
}

#[test]
fn books_beyond_i64_are_laid_out_in_full() {
    // Each total fits i64 in cents (6 * 10^18); the two together do not,
    // so the book is laid out again with the i128 columns.
    let big = d("60000000000000000.00");
    let book = |second: Decimal| {
        let mut b = d_book();
        b.invoices.amount = vec![big, big, d("3000.00"), d("600.00")];
        b.settlements = SettlementColumns {
            invoice: ["J2", "J1", "J1"].into_iter().collect(),
            date: vec![day("2026-05-05"), day("2026-04-20"), day("2026-04-21")],
            amount: vec![second, d("1.00"), d("2.00")],
            kind: vec![],
        };
        b
    };
    let b = book(d("0.01")).prepare().unwrap();
    assert!(b.cols.wide());
    let a = b.aging(&AgingOptions::new(day("2026-06-30"))).unwrap();
    // J1 is 77 days past due, J2 51: 59999999999999997.00 and
    // 59999999999999999.99 in 61-90 and 31-60; J3 3,000.00 in 1-30.
    assert_eq!(a.totals[0].buckets[3], d("59999999999999997.00"));
    assert_eq!(a.totals[0].buckets[2], d("59999999999999999.99"));
    assert_eq!(a.totals[0].buckets[1], d("3000.00"));
    let e = book(d("60000000000000000.01")).prepare().unwrap_err();
    assert_eq!(e.code(), "over_application", "{e}");
    assert!(e.to_string().contains("invoice J2"), "{e}");
}

#[test]
fn settlements_beyond_i64_are_taken_exactly() {
    // 10^19 cents is beyond i64 (about 9.2 * 10^18): J1 is settled in
    // full by one such row, and J2 is left with 0.01 of the same.
    let huge = d("100000000000000000.00");
    let mut b = d_book();
    b.invoices.amount = vec![huge, huge, d("3000.00"), d("600.00")];
    b.settlements = SettlementColumns {
        invoice: ["J1", "J2"].into_iter().collect(),
        date: vec![day("2026-04-20"), day("2026-05-05")],
        amount: vec![huge, d("99999999999999999.99")],
        kind: vec![],
    };
    let a = b
        .prepare()
        .unwrap()
        .aging(&AgingOptions::new(day("2026-06-30")));
    let t = &a.unwrap().totals[0];
    // J2 (51 days past due) 0.01 in 31-60; J3 3,000.00 in 1-30; J4 600.00 current.
    assert_eq!(t.buckets[2], d("0.01"));
    assert_eq!(t.total, d("3600.01"));
}

#[test]
fn settlements_finer_or_coarser_than_cents_are_taken_exactly() {
    // 1000.0 (one decimal) settles J1 in full, as 1000.00 does; 1500 (no
    // decimals) is J2's 1,500.00.
    let mut b = d_book();
    b.settlements.amount = vec![d("1000.0"), d("1500")];
    let m = &b.prepare().unwrap().metrics(&MetricsOptions::new(
        Period::new(day("2026-04-01"), day("2026-06-30")).unwrap(),
    ));
    assert_eq!(m.as_ref().unwrap()[0].ar_end, d("4100.00"));
}

#[test]
fn settlements_in_any_order_give_the_same_book() {
    // Rows by invoice, and the same rows shuffled: the same figures.
    let mut b = d_book();
    b.settlements = SettlementColumns {
        invoice: ["J2", "J1", "J2", "J3"].into_iter().collect(),
        date: vec![
            day("2026-05-05"),
            day("2026-04-20"),
            day("2026-06-01"),
            day("2026-06-02"),
        ],
        amount: vec![d("1500.00"), d("1000.00"), d("100.00"), d("1.00")],
        kind: vec![],
    };
    let shuffled = b.clone().prepare().unwrap();
    let q2 = Period::new(day("2026-04-01"), day("2026-06-30")).unwrap();
    let m = &shuffled.metrics(&MetricsOptions::new(q2)).unwrap()[0];
    // Open at 06-30: J2 400.00, J3 2,999.00, J4 600.00.
    assert_eq!(m.ar_end, d("3999.00"));
    let a = shuffled
        .aging(&AgingOptions::new(day("2026-05-31")))
        .unwrap();
    // At 05-31: J2 500.00 (21 days past due), J3 3,000.00 not yet due.
    assert_eq!(a.totals[0].buckets[1], d("500.00"));
    assert_eq!(a.totals[0].buckets[0], d("3000.00"));
}

#[test]
fn customer_dimensions_come_from_the_customers_table() {
    // Two customers: D (region N) with J1-J4, E (not in the table) with one invoice.
    let mut b = d_book();
    b.invoices.id.push("K1");
    b.invoices.customer.push("E");
    b.invoices.currency.push(b.invoices.currency[0]);
    b.invoices.date.push(day("2026-06-01"));
    b.invoices.due_date.push(day("2026-06-20"));
    b.invoices.amount.push(d("70.00"));
    b.invoices.dimensions[0].1.push("S");
    b.customers = CustomerColumns {
        id: ["D", "Z"].into_iter().collect(),
        dimensions: vec![("region".into(), ["N", "W"].into_iter().collect())],
    };
    let book = b.clone().prepare().unwrap();
    let by = |g: &str| AgingOptions {
        group_by: vec![g.parse().unwrap()],
        ..AgingOptions::new(day("2026-06-30"))
    };
    let a = book.aging(&by("customer.region")).unwrap();
    // N (D): 500.00 + 3,000.00 + 600.00; "" (E, not listed): 70.00. Z has nothing.
    let groups: Vec<(&str, Decimal)> = a
        .rows
        .iter()
        .map(|r| (r.group[0].as_str(), r.total))
        .collect();
    assert_eq!(groups, [("N", d("4100.00")), ("", d("70.00"))]);
    // A dimension the book was not given is refused, not grouped as "".
    let e = book.aging(&by("customer.sales_rep")).unwrap_err();
    assert_eq!(e.code(), "invalid_value");
    assert!(e.to_string().contains("customer.sales_rep"), "{e}");
    let q2 = Period::new(day("2026-04-01"), day("2026-06-30")).unwrap();
    let m = MetricsOptions {
        group_by: vec!["invoice.channel".parse().unwrap()],
        ..MetricsOptions::new(q2)
    };
    assert!(book
        .metrics(&m)
        .unwrap_err()
        .to_string()
        .contains("invoice.channel"));
    // The customers table is checked like the others.
    let mut dup = b.clone();
    dup.customers.id = ["D", "D"].into_iter().collect();
    let e = dup.prepare().unwrap_err();
    assert_eq!(e.code(), "duplicate_id");
    assert!(e.to_string().contains("customers.id[1]"), "{e}");
    let mut short = b;
    short.customers.dimensions[0].1 = ["N"].into_iter().collect();
    let e = short.prepare().unwrap_err();
    assert!(e.to_string().contains("customers.region"), "{e}");
}
