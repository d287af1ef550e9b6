//! Late interest, compensation and the cost of a forgone discount, against
//! hand-worked figures: every day count and rate mode, a rate change
//! mid-period, the statutory presets, and interest claimed on a ledger
//! (charged, then still claimable after the principal is paid).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common_collections;

use ar_core::collections::{
    discount_cost, discount_cost_of_terms, late_interest, DayCount, InterestRule, PrincipalChange,
    RateBasis, RateMode,
};
use ar_core::*;
use common_collections::*;

fn eur() -> Currency {
    Currency::new("EUR").unwrap()
}

fn gbp() -> Currency {
    Currency::new("GBP").unwrap()
}

fn rule(reference: &str, margin: &str, day_count: DayCount) -> InterestRule {
    InterestRule {
        rates: rates(&[("2000-01-01", reference)]),
        margin: m(margin),
        basis: RateBasis::PerAnnum,
        day_count,
        mode: RateMode::Fixed,
        grace_days: 0,
        compensation: vec![],
        rounding: RoundingPolicy::HalfAwayFromZero,
    }
}

#[test]
fn the_uk_worked_example() {
    // GBP 10,000 due 15 Feb 2024, paid 15 Apr 2024: 60 days (2024 is a
    // leap year: 14 + 31 + 15) at 5.25 % + 8 = 13.25 %.
    // 10,000 x 13.25 x 60 / 36,500 = 217.808... -> 217.81; debt >= 10,000: GBP 100.
    let rule = InterestRule::uk_late_payment(rates(&[("2023-08-03", "5.25")]));
    let i = late_interest(
        &rule,
        m("10000.00"),
        &[],
        d("2024-02-15"),
        d("2024-04-15"),
        gbp(),
    )
    .unwrap();
    assert_eq!(i.days, 60);
    assert_eq!(i.amount, m("217.81"));
    assert_eq!(i.segments.len(), 1);
    assert_eq!(i.segments[0].rate, m("13.25"));
    let fixed = rule.compensation_for(gbp(), m("10000.00")).unwrap();
    assert_eq!(fixed, m("100.00"));
    assert_eq!((i.amount + fixed).to_string(), "317.81");
}

#[test]
fn day_counts() {
    // 1,000 at 4 + 8 = 12 % a year, due 31 January 2026, to 31 March 2026.
    let (due, to) = (d("2026-01-31"), d("2026-03-31"));
    let at = |dc| late_interest(&rule("4", "8", dc), m("1000.00"), &[], due, to, eur()).unwrap();
    // actual/365: 59 days (28 + 31); 1,000 x 12 x 59 / 36,500 = 19.397 -> 19.40
    let a365 = at(DayCount::Actual365);
    assert_eq!((a365.days, a365.amount), (59, m("19.40")));
    // actual/360: 1,000 x 12 x 59 / 36,000 = 19.666 -> 19.67
    let a360 = at(DayCount::Actual360);
    assert_eq!((a360.days, a360.amount), (59, m("19.67")));
    // 30E/360: the 31sts count as 30ths: two months of 30 days; 1,000 x 12 x 60 / 36,000 = 20.00
    let t360 = at(DayCount::Thirty360);
    assert_eq!((t360.days, t360.amount), (60, m("20.00")));
}

#[test]
fn a_rate_per_month() {
    // 1 % a month on 1,000 due 1 January 2026, to 1 April 2026.
    let mut r = rule("1", "0", DayCount::Thirty360);
    r.basis = RateBasis::PerMonth;
    // 30E/360: three months of 30 days: 1,000 x 1 x 12 x 90 / 36,000 = 30.00
    let i = late_interest(
        &r,
        m("1000.00"),
        &[],
        d("2026-01-01"),
        d("2026-04-01"),
        eur(),
    )
    .unwrap();
    assert_eq!((i.days, i.amount), (90, m("30.00")));
    // actual/365: 90 actual days (31 + 28 + 31): 1,000 x 12 x 90 / 36,500 = 29.589 -> 29.59
    r.day_count = DayCount::Actual365;
    let i = late_interest(
        &r,
        m("1000.00"),
        &[],
        d("2026-01-01"),
        d("2026-04-01"),
        eur(),
    )
    .unwrap();
    assert_eq!((i.days, i.amount), (90, m("29.59")));
}

#[test]
fn a_rate_change_mid_period_fixed_and_floating() {
    // Germany's Basiszinssatz: 3.12 % from 1 July 2023, 3.62 % from 1
    // January 2024. EUR 10,000 due 1 December 2023, to 31 January 2024.
    let table = rates(&[("2023-07-01", "3.12"), ("2024-01-01", "3.62")]);
    let de = InterestRule::germany(table.clone());
    // Floating: 30 days of December at 12.12 %, 31 of January at 12.62 %:
    // (10,000 x 12.12 x 30 + 10,000 x 12.62 x 31) / 36,500 = 7,548,200 / 36,500 = 206.80
    let i = late_interest(
        &de,
        m("10000.00"),
        &[],
        d("2023-12-01"),
        d("2024-01-31"),
        eur(),
    )
    .unwrap();
    assert_eq!(i.amount, m("206.80"));
    assert_eq!(i.segments.len(), 2);
    assert_eq!((i.segments[0].days, i.segments[0].rate), (30, m("12.12")));
    assert_eq!((i.segments[1].days, i.segments[1].rate), (31, m("12.62")));
    // Fixed at the due date: 61 days at 12.12 %: 10,000 x 12.12 x 61 / 36,500 = 202.553 -> 202.55
    let mut fixed = de.clone();
    fixed.mode = RateMode::Fixed;
    let i = late_interest(
        &fixed,
        m("10000.00"),
        &[],
        d("2023-12-01"),
        d("2024-01-31"),
        eur(),
    )
    .unwrap();
    assert_eq!(i.amount, m("202.55"));
    assert_eq!(i.segments.len(), 1);
    // Floating resets only on 1 January and 1 July: a change in August is
    // not seen until January. 1,000 due 15 July 2024 to 31 August 2024: 47
    // days at 5.25 + 8 = 13.25 %: 1,000 x 13.25 x 47 / 36,500 = 17.061 -> 17.06
    let eu = InterestRule::eu_directive(rates(&[("2024-01-01", "5.25"), ("2024-08-01", "5.00")]));
    let i = late_interest(
        &eu,
        m("1000.00"),
        &[],
        d("2024-07-15"),
        d("2024-08-31"),
        eur(),
    )
    .unwrap();
    assert_eq!((i.days, i.amount), (47, m("17.06")));
}

#[test]
fn partial_payments_and_grace() {
    // 1,000 due 31 January 2026 at 1 + 9 = 10 %, actual/360; 400 paid on 2
    // March, computed to 1 April: 1,000 x 10 x 30 / 36,000 + 600 x 10 x 30 /
    // 36,000 = 8.333 + 5.000 = 13.333 -> 13.33 (rounded once: 8.33 + 5.00
    // would agree here; the sum is what is rounded).
    let mut r = InterestRule::germany(rates(&[("2026-01-01", "1")]));
    r.day_count = DayCount::Actual360;
    let paid = [PrincipalChange {
        date: d("2026-03-02"),
        amount: m("-400"),
    }];
    let i = late_interest(
        &r,
        m("1000.00"),
        &paid,
        d("2026-01-31"),
        d("2026-04-01"),
        eur(),
    )
    .unwrap();
    assert_eq!((i.days, i.amount), (60, m("13.33")));
    // Rounded once, not per segment: 100 at 10 % actual/360 over three
    // one-day segments is 0.0277... each, 0.03 if each were rounded (0.09
    // in all); rounded once, 0.0833 -> 0.08.
    let split = [
        PrincipalChange {
            date: d("2026-02-01"),
            amount: m("0"),
        },
        PrincipalChange {
            date: d("2026-02-02"),
            amount: m("0"),
        },
    ];
    let i = late_interest(
        &r,
        m("100.00"),
        &split,
        d("2026-01-31"),
        d("2026-02-03"),
        eur(),
    )
    .unwrap();
    assert_eq!(i.segments.len(), 3);
    assert_eq!(i.amount, m("0.08"));
    // Ten grace days: interest from 10 February; 1,000 x 10 x 20 / 36,000 = 5.555 -> 5.56 to 2 March.
    r.grace_days = 10;
    let i = late_interest(
        &r,
        m("1000.00"),
        &[],
        d("2026-01-31"),
        d("2026-03-02"),
        eur(),
    )
    .unwrap();
    assert_eq!((i.days, i.amount), (20, m("5.56")));
    // Paid within grace: nothing.
    let paid = [PrincipalChange {
        date: d("2026-02-05"),
        amount: m("-1000"),
    }];
    let i = late_interest(
        &r,
        m("1000.00"),
        &paid,
        d("2026-01-31"),
        d("2026-04-01"),
        eur(),
    )
    .unwrap();
    assert_eq!((i.days, i.amount), (0, m("0.00")));
}

#[test]
fn statutory_presets() {
    let t = rates(&[("2024-01-01", "4.5")]);
    let eu = InterestRule::eu_directive(t.clone());
    assert_eq!((eu.margin, eu.mode), (m("8"), RateMode::Floating));
    assert_eq!(eu.compensation_for(eur(), m("5.00")), Some(m("40.00")));
    assert_eq!(eu.compensation_for(gbp(), m("5.00")), None);
    let de = InterestRule::germany(t.clone());
    assert_eq!((de.margin, de.mode), (m("9"), RateMode::Floating));
    assert_eq!(de.compensation_for(eur(), m("1000000")), Some(m("40.00")));
    let uk = InterestRule::uk_late_payment(t);
    assert_eq!((uk.margin, uk.mode), (m("8"), RateMode::Fixed));
    for (debt, sum) in [
        ("0.01", "40.00"),
        ("999.99", "40.00"),
        ("1000.00", "70.00"),
        ("9999.99", "70.00"),
        ("10000.00", "100.00"),
        ("250000.00", "100.00"),
    ] {
        assert_eq!(uk.compensation_for(gbp(), m(debt)), Some(m(sum)), "{debt}");
    }
    for r in [&eu, &de, &uk] {
        r.validate("rule").unwrap();
        // 1,000 due 1 March 2024 to 31 March 2024: 30 days at 4.5 + margin.
        let i = late_interest(
            r,
            m("1000.00"),
            &[],
            d("2024-03-01"),
            d("2024-03-31"),
            eur(),
        )
        .unwrap();
        let expected = if r.margin == m("9") { "11.10" } else { "10.27" };
        // 1,000 x 13.5 x 30 / 36,500 = 11.095 -> 11.10; x 12.5 = 10.273 -> 10.27
        assert_eq!(i.amount, m(expected));
    }
}

#[test]
fn rules_are_checked() {
    let mut r = rule("1", "8", DayCount::Actual365);
    r.rates = rates(&[("2024-01-01", "1"), ("2023-01-01", "2")]);
    assert_eq!(r.validate("rule").unwrap_err().code(), "invalid_value");
    r.rates = (0..1001)
        .map(|i| collections::RateEntry {
            from: d("2000-01-01") + chrono::Days::new(i),
            rate: m("1"),
        })
        .collect();
    let e = r.validate("rule").unwrap_err();
    assert_eq!(e.code(), "limit_exceeded");
    assert!(e.to_string().contains("rule.rates"), "{e}");
    // No rate in force when the item fell due.
    let r = InterestRule::uk_late_payment(rates(&[("2024-01-01", "5")]));
    let e =
        late_interest(&r, m("10.00"), &[], d("2023-12-01"), d("2024-02-01"), gbp()).unwrap_err();
    assert_eq!(e.code(), "invalid_value");
}

#[test]
fn never_negative() {
    // A reference rate of -9.5 with 8 points on top is floored at zero.
    let r = rule("-9.5", "8", DayCount::Actual365);
    let i = late_interest(
        &r,
        m("1000.00"),
        &[],
        d("2020-01-01"),
        d("2020-12-31"),
        eur(),
    )
    .unwrap();
    assert_eq!(i.amount, m("0.00"));
    assert!(!i.amount.is_sign_negative());
}

#[test]
fn forgone_discount_cost() {
    // 2/10 net 30: 2 / 98 = 0.020408...; simple 360: x 360 / 20 = 36.7347 %;
    // 365: x 365 / 20 = 37.2449 %; compounded: 1.020408 ^ 18.25 - 1 = 44.5853 %.
    let c = discount_cost(m("2"), 10, 30).unwrap();
    assert_eq!(c.simple_360, m("36.7347"));
    assert_eq!(c.simple_365, m("37.2449"));
    assert_eq!(c.compounded_365, m("44.5853"));
    // 1/10 net 60: 1 / 99 x 360 / 50 = 7.2727 %; x 365 / 50 = 7.3737 %;
    // (100/99) ^ 7.3 - 1 = 7.6126 %.
    let c = discount_cost(m("1"), 10, 60).unwrap();
    assert_eq!(c.simple_360, m("7.2727"));
    assert_eq!(c.simple_365, m("7.3737"));
    assert_eq!(c.compounded_365, m("7.6126"));
    let terms = PaymentTerms::net(60).with_discount(m("1"), 10);
    assert_eq!(
        discount_cost_of_terms(&terms, d("2026-01-01")).unwrap(),
        Some(c)
    );
    assert_eq!(
        discount_cost_of_terms(&PaymentTerms::net(30), d("2026-01-01")).unwrap(),
        None
    );
    assert_eq!(
        discount_cost(m("2"), 30, 30).unwrap_err().code(),
        "invalid_value"
    );
    assert_eq!(
        discount_cost(m("100"), 10, 30).unwrap_err().code(),
        "invalid_value"
    );
}

fn interest_policy(rule: InterestRule) -> collections::DunningPolicy {
    let mut l = level(1, "first");
    l.interest = true;
    let mut p = policy("late", vec![l], 0);
    p.interest = Some(rule);
    p
}

#[test]
fn interest_on_a_ledger_is_charged_once_and_stays_claimable_after_the_principal_is_paid() {
    let mut b = Book::new();
    b.customer("ACME", "GBP");
    // Dated 16 January, net 30: due 15 February 2024.
    b.invoice("INV-1", "ACME", "2024-01-16", "10000.00", 30);
    b.invoice("INV-2", "ACME", "2024-03-01", "500.00", 30);
    let s = setup(interest_policy(uk("5.25")));
    // 15 March: 29 days on INV-1: 10,000 x 13.25 x 29 / 36,500 = 105.273 -> 105.27; compensation 100.
    let run = b.ledger.dunning_run(&s, d("2024-03-15"), None).unwrap();
    let n = &run.notices[0];
    assert_eq!(n.interest.len(), 1);
    assert_eq!(
        (n.interest[0].days, n.interest[0].amount),
        (29, m("105.27"))
    );
    assert_eq!(n.compensation_total, m("100.00"));
    assert_eq!(n.total, m("10205.27"));
    // Charged on a note of its own, with the compensation on a fee note.
    b.ok(
        d("2024-03-15"),
        Command::IssueCharge {
            charge: NewCharge {
                id: InvoiceId::new("INT-1").unwrap(),
                customer: CustomerId::new("ACME").unwrap(),
                date: d("2024-03-15"),
                currency: None,
                kind: ChargeKind::Interest,
                lines: vec![ChargeLine {
                    item: Some(ItemRef::invoice(InvoiceId::new("INV-1").unwrap())),
                    amount: m("105.27"),
                    through: Some(d("2024-03-15")),
                }],
                terms: None,
                notice: None,
            },
        },
    );
    b.ok(
        d("2024-03-15"),
        Command::IssueCharge {
            charge: NewCharge {
                id: InvoiceId::new("FEE-1").unwrap(),
                customer: CustomerId::new("ACME").unwrap(),
                date: d("2024-03-15"),
                currency: None,
                kind: ChargeKind::Fee,
                lines: vec![ChargeLine {
                    item: Some(ItemRef::invoice(InvoiceId::new("INV-1").unwrap())),
                    amount: m("100.00"),
                    through: None,
                }],
                terms: None,
                notice: None,
            },
        },
    );
    // The notes are invoices: open, due on receipt.
    let note = b
        .ledger
        .invoice(&InvoiceId::new("INT-1").unwrap(), &View::all())
        .unwrap();
    assert_eq!(note.open, m("105.27"));
    assert_eq!(
        note.invoice.lines[0].description,
        "Interest on INV-1 through 2024-03-15"
    );
    // The principal is paid on 15 April: 60 days in all, 217.81, of which
    // 105.27 was charged: 112.54 still claimable, though nothing of INV-1
    // is open.
    b.pay("R-1", "ACME", "INV-1", "2024-04-15", "10000.00");
    let run = b.ledger.dunning_run(&s, d("2024-05-01"), None).unwrap();
    let n = &run.notices[0];
    let line = n
        .interest
        .iter()
        .find(|l| l.invoice.as_str() == "INV-1")
        .unwrap();
    assert_eq!(
        (line.accrued, line.charged, line.amount, line.paid),
        (m("217.81"), m("105.27"), m("112.54"), true)
    );
    // The compensation was claimed once; INV-2 (due 31 March, 500 < 1,000)
    // is late too: GBP 40.
    assert_eq!(n.compensation.len(), 1);
    assert_eq!(
        (n.compensation[0].invoice.as_str(), n.compensation[0].amount),
        ("INV-2", m("40.00"))
    );
    // The notes themselves are dunned (they are receivables) but bear no
    // interest of their own.
    assert!(n.items.iter().any(|i| i.invoice.as_str() == "INT-1"));
    assert!(n.interest.iter().all(|l| l.invoice.as_str() != "INT-1"));
    // Interest on interest is refused.
    let e = b
        .run(
            d("2024-05-01"),
            Command::IssueCharge {
                charge: NewCharge {
                    id: InvoiceId::new("INT-2").unwrap(),
                    customer: CustomerId::new("ACME").unwrap(),
                    date: d("2024-05-01"),
                    currency: None,
                    kind: ChargeKind::Interest,
                    lines: vec![ChargeLine {
                        item: Some(ItemRef::invoice(InvoiceId::new("INT-1").unwrap())),
                        amount: m("1.00"),
                        through: None,
                    }],
                    terms: None,
                    notice: None,
                },
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "invalid_value");
    b.reads_back();
}

#[test]
fn payments_clear_costs_then_interest_then_principal() {
    let mut b = Book::new();
    b.customer("KUNDE", "EUR");
    b.invoice("RE-1", "KUNDE", "2026-01-01", "1000.00", 14);
    b.invoice("RE-2", "KUNDE", "2026-01-10", "300.00", 14);
    let charge = |id: &str, kind, amount: &str| NewCharge {
        id: InvoiceId::new(id).unwrap(),
        customer: CustomerId::new("KUNDE").unwrap(),
        date: d("2026-03-01"),
        currency: None,
        kind,
        lines: vec![ChargeLine {
            item: Some(ItemRef::invoice(InvoiceId::new("RE-1").unwrap())),
            amount: m(amount),
            through: (kind == ChargeKind::Interest).then(|| d("2026-03-01")),
        }],
        terms: None,
        notice: None,
    };
    b.ok(
        d("2026-03-01"),
        Command::IssueCharge {
            charge: charge("ZINS-1", ChargeKind::Interest, "15.00"),
        },
    );
    b.ok(
        d("2026-03-01"),
        Command::IssueCharge {
            charge: charge("KOST-1", ChargeKind::Fee, "40.00"),
        },
    );
    let receipt = Receipt {
        id: ReceiptId::new("Z-1").unwrap(),
        customer: Some(CustomerId::new("KUNDE").unwrap()),
        date: d("2026-03-10"),
        amount: m("500.00"),
        currency: eur(),
        method: PaymentMethod::default(),
        reference: None,
        remittance: "RE-1".into(),
        payer_name: None,
        payer_account: None,
    };
    b.ok(d("2026-03-10"), Command::RecordReceipt { receipt });
    // 500 naming RE-1: costs 40, interest 15, then 445 of RE-1's principal;
    // RE-2 is left alone.
    let out = b.ok(
        d("2026-03-10"),
        Command::ApplyInClearingOrder {
            source: Source::Receipt(ReceiptId::new("Z-1").unwrap()),
            date: d("2026-03-10"),
            invoice: Some(InvoiceId::new("RE-1").unwrap()),
            include_disputed: false,
        },
    );
    let applied: Vec<(String, String)> = out
        .events
        .iter()
        .map(|e| match &e.event {
            Event::Applied {
                invoice,
                allocations,
                ..
            } => (invoice.to_string(), allocations[0].amount.to_string()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        applied,
        [
            ("KOST-1".to_owned(), "40.00".to_owned()),
            ("ZINS-1".to_owned(), "15.00".to_owned()),
            ("RE-1".to_owned(), "445.00".to_owned())
        ]
    );
    let open = |id: &str| {
        b.ledger
            .invoice(&InvoiceId::new(id).unwrap(), &View::all())
            .unwrap()
            .open
    };
    assert_eq!((open("RE-1"), open("RE-2")), (m("555.00"), m("300.00")));
    b.reads_back();
}
