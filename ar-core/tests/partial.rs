//! Partial reports: the D book of `tests/reports.rs` split in two parts
//! gives its hand-worked figures once merged, and partials that do not fit
//! together are typed errors.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::type_complexity,
    missing_docs
)]

use ar_core::bulk::{Book, InvoiceColumns, PreparedBook, SettlementColumns};
use ar_core::chrono::NaiveDate;
use ar_core::partial::{Partial, PartialEntry};
use ar_core::rust_decimal::Decimal;
use ar_core::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}
fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The D book's invoices (J1 03-15 1,000.00 due 04-14; J2 04-10 2,000.00
/// due 05-10; J3 05-20 3,000.00 due 06-19; J4 06-25 600.00 due 07-25;
/// regions N, N, S, S) and settlements (J1 1,000.00 on 04-20, J2 1,500.00
/// on 05-05), those of `rows` only, settlements given by invoice.
fn part(rows: &[usize], settlements: &[&str]) -> Book {
    let usd = Currency::new("USD").unwrap();
    let ids = ["J1", "J2", "J3", "J4"];
    let dates = ["2026-03-15", "2026-04-10", "2026-05-20", "2026-06-25"];
    let due = ["2026-04-14", "2026-05-10", "2026-06-19", "2026-07-25"];
    let totals = ["1000.00", "2000.00", "3000.00", "600.00"];
    let regions = ["N", "N", "S", "S"];
    let paid = [
        ("J1", "2026-04-20", "1000.00"),
        ("J2", "2026-05-05", "1500.00"),
    ];
    let paid: Vec<_> = paid.iter().filter(|p| settlements.contains(&p.0)).collect();
    Book {
        invoices: InvoiceColumns {
            id: rows.iter().map(|r| ids[*r]).collect(),
            customer: rows.iter().map(|_| "D").collect(),
            currency: vec![usd; rows.len()],
            date: rows.iter().map(|r| day(dates[*r])).collect(),
            due_date: rows.iter().map(|r| day(due[*r])).collect(),
            amount: rows.iter().map(|r| d(totals[*r])).collect(),
            dimensions: vec![("region".into(), rows.iter().map(|r| regions[*r]).collect())],
        },
        settlements: SettlementColumns {
            invoice: paid.iter().map(|p| p.0).collect(),
            date: paid.iter().map(|p| day(p.1)).collect(),
            amount: paid.iter().map(|p| d(p.2)).collect(),
            kind: vec![],
        },
        ..Book::default()
    }
}

fn q2() -> MetricsOptions {
    MetricsOptions::new(metrics::Period::new(day("2026-04-01"), day("2026-06-30")).unwrap())
}

fn by_region() -> AgingOptions {
    AgingOptions {
        group_by: vec![GroupBy::InvoiceDimension("region".into())],
        ..AgingOptions::new(day("2026-06-30"))
    }
}

/// Part A: J1 and J3 with J1's payment; part B: J2 and J4 with J2's.
fn parts() -> (PreparedBook, PreparedBook) {
    (
        part(&[0, 2], &["J1"]).prepare().unwrap(),
        part(&[1, 3], &["J2"]).prepare().unwrap(),
    )
}

fn entry<'a>(entries: &'a [PartialEntry], field: &str) -> &'a PartialEntry {
    entries.iter().find(|e| e.field == field).unwrap()
}

#[test]
fn two_parts_give_the_hand_worked_metrics() {
    let (a, b) = parts();
    let pa = a.metrics_partial(&q2()).unwrap();
    // Part A by hand: J3's 3,000.00 open at the end, J1's 1,000.00 before
    // the period; sales J3 only (J1 is dated in March); one payment of
    // 1,000.00, 36 days after its invoice, 6 beyond terms.
    let e = pa.entries();
    assert_eq!(entry(&e, "options").sum, 1);
    assert_eq!(entry(&e, "first_invoice_day").min, 20527); // 2026-03-15
    assert_eq!(entry(&e, "ar_begin").sum, 100_000);
    assert_eq!(entry(&e, "ar_end").sum, 300_000);
    assert_eq!(entry(&e, "credit_sales").sum, 300_000);
    assert_eq!(entry(&e, "days_to_pay").sum, 36);
    assert_eq!(entry(&e, "amount_days_beyond_terms").sum, 600_000);
    // May's sales (countback month 1); March's (month 3) outside the period.
    assert_eq!(entry(&e, "credit_sales.month.1").sum, 300_000);
    assert_eq!(entry(&e, "credit_sales.month.3").sum, 100_000);
    let mut merged = a.metrics_partial(&q2()).unwrap();
    merged.merge(b.metrics_partial(&q2()).unwrap()).unwrap();
    assert_eq!(merged.parts(), 2);
    let m = &merged.finish_metrics(&q2()).unwrap()[0];
    assert_eq!(
        (m.ar_begin, m.ar_end, m.current_end, m.credit_sales),
        (d("1000.00"), d("4100.00"), d("600.00"), d("5600.00"))
    );
    assert_eq!(
        (m.dso_period_end, m.dso_countback, m.best_possible_dso),
        (Some(d("66.625")), Some(d("68.5")), Some(d("9.75")))
    );
    assert_eq!(m.timing.weighted_days_to_pay, Some(d("29.4")));
    assert_eq!(m.timing.payments, 2);
    let whole = part(&[0, 1, 2, 3], &["J1", "J2"]).prepare().unwrap();
    assert_eq!(
        merged.finish_metrics(&q2()).unwrap(),
        whole.metrics(&q2()).unwrap()
    );
}

#[test]
fn two_parts_give_the_hand_worked_aging() {
    let (a, b) = parts();
    let mut merged = b.aging_partial(&by_region()).unwrap();
    merged
        .merge(a.aging_partial(&by_region()).unwrap())
        .unwrap();
    let aging = merged.finish_aging(&by_region()).unwrap();
    // N: J2's 500.00 is 51 days past due; S: J3 3,000.00 11 days, J4 600.00 current.
    assert_eq!(aging.rows.len(), 2);
    assert_eq!(
        (aging.rows[0].group.clone(), aging.rows[0].buckets[2]),
        (vec!["N".to_owned()], d("500.00"))
    );
    let s = &aging.rows[1];
    assert_eq!(
        (s.buckets[0], s.buckets[1], s.items),
        (d("600.00"), d("3000.00"), 2)
    );
    assert_eq!(aging.totals[0].total, d("4100.00"));
    assert_eq!(aging.labels[0], "current");
}

#[test]
fn a_settlement_in_another_part_than_its_invoice_is_refused() {
    // J2's payment put with J1 and J3.
    let err = part(&[0, 2], &["J1", "J2"]).prepare().unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(err.to_string().contains("settlements.invoice[1]"), "{err}");
    assert!(err.to_string().contains("J2"), "{err}");
}

#[test]
fn partials_of_other_options_do_not_merge_or_finish() {
    let (a, b) = parts();
    let mut pa = a.aging_partial(&by_region()).unwrap();
    let other = AgingOptions {
        basis: AgeBasis::InvoiceDate,
        ..by_region()
    };
    let err = pa.merge(b.aging_partial(&other).unwrap()).unwrap_err();
    assert_eq!(err.code(), "invalid_value");
    assert!(err.to_string().contains("partial.options"), "{err}");
    assert_eq!(pa.parts(), 1, "a refused merge changes nothing");
    let err = pa.finish_aging(&other).unwrap_err();
    assert!(
        err.to_string()
            .contains("the partial was made with basis due_date"),
        "{err}"
    );
    // A metrics partial is not an aging partial.
    let err = a
        .metrics_partial(&q2())
        .unwrap()
        .finish_aging(&by_region())
        .unwrap_err();
    assert_eq!(err.code(), "invalid_value");
    // Detail lines cannot be merged.
    let detail = AgingOptions {
        detail: true,
        ..by_region()
    };
    assert!(a
        .aging_partial(&detail)
        .unwrap_err()
        .to_string()
        .contains("detail"));
}

#[test]
fn entries_read_back_checked() {
    let (a, _) = parts();
    let entries = a.aging_partial(&by_region()).unwrap().entries();
    let read = |mut f: Box<dyn FnMut(&mut Vec<PartialEntry>)>| {
        let mut e = entries.clone();
        f(&mut e);
        Partial::from_entries(e)
    };
    // Duplicated lines add up, as an engine's merge would.
    let twice = read(Box::new(|e| {
        let copy = e.clone();
        e.extend(copy)
    }))
    .unwrap();
    assert_eq!(twice.parts(), 2);
    let aging = twice.finish_aging(&by_region()).unwrap();
    assert_eq!(aging.totals[0].total, d("6000.00"));
    assert_eq!(aging.totals[0].items, 2);
    let code = |r: Result<Partial>| r.unwrap_err().code();
    assert_eq!(
        code(read(Box::new(|e| e.retain(|x| x.field != "options")))),
        "invalid_value"
    );
    assert_eq!(
        code(read(Box::new(|e| e[1].currency = "usd".into()))),
        "invalid_currency"
    );
    assert_eq!(
        code(read(Box::new(|e| e[1].group = "N".into()))),
        "invalid_value"
    );
    assert_eq!(
        code(read(Box::new(|e| e[1].field = "x".repeat(300)))),
        "limit_exceeded"
    );
    assert_eq!(
        code(read(Box::new(|e| e[0].field = "bogus".into()))),
        "invalid_value"
    );
    // Sums beyond i128 are an overflow, never a wrapped figure.
    let err = read(Box::new(|e| {
        let mut big = e[1].clone();
        big.sum = i128::MAX;
        e.push(big.clone());
        e.push(big);
    }))
    .unwrap_err();
    assert_eq!(err.code(), "overflow");
    // A field aging does not have, or a bucket past the options' buckets.
    for field in ["bucket.6", "bucket.01", "ar_end"] {
        let p = read(Box::new(move |e| e[1].field = field.into())).unwrap();
        let err = p.finish_aging(&by_region()).unwrap_err();
        assert!(err.to_string().contains(field), "{err}");
    }
    // Sums a report cannot hold.
    let p = read(Box::new(|e| {
        let i = e.iter().position(|x| x.field == "bucket.1").unwrap();
        e[i].sum = i128::MAX / 2;
    }))
    .unwrap();
    assert_eq!(p.finish_aging(&by_region()).unwrap_err().code(), "overflow");
}

#[test]
fn an_empty_part_merges_as_nothing() {
    let (a, _) = parts();
    let empty = part(&[], &[]).prepare().unwrap();
    let mut p = empty.metrics_partial(&q2()).unwrap();
    assert_eq!(p.entries().len(), 1, "only its options");
    p.merge(a.metrics_partial(&q2()).unwrap()).unwrap();
    assert_eq!(p.finish_metrics(&q2()).unwrap(), a.metrics(&q2()).unwrap());
    let p = empty.aging_partial(&by_region()).unwrap();
    let aging = p.finish_aging(&by_region()).unwrap();
    assert!(aging.rows.is_empty() && aging.totals.is_empty());
}

#[test]
fn timing_sums_beyond_one_process_are_typed_or_left_without_a_ratio() {
    let (a, _) = parts();
    let entries = a.metrics_partial(&q2()).unwrap().entries();
    let with = |field: &str, sum: i128| {
        let mut e = entries.clone();
        e.iter_mut().find(|x| x.field == field).unwrap().sum = sum;
        Partial::from_entries(e).unwrap().finish_metrics(&q2())
    };
    // Day sums are i64 in one process: beyond it, an overflow.
    assert_eq!(
        with("days_to_pay", i128::MAX).unwrap_err().code(),
        "overflow"
    );
    assert_eq!(with("payments", -1).unwrap_err().code(), "invalid_value");
    // Amount-weighted days beyond a decimal: no weighted average, no panic.
    for sum in [i128::MIN, i128::MAX] {
        let rows = with("amount_days_to_pay", sum).unwrap();
        assert_eq!(rows[0].timing.weighted_days_to_pay, None);
        assert_eq!(rows[0].timing.payments, 1);
    }
}
