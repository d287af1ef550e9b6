//! Property tests: invariants over random command sequences.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use ar_core::*;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// A step of a random scenario. Documents are created with fresh ids;
/// later steps pick among the documents that exist (`pick`), size amounts
/// as a percentage of what is open (`pct`, sometimes over 100 to provoke
/// rejections) and date themselves relative to the documents (`offset`,
/// sometimes before them).
#[derive(Debug, Clone)]
enum Op {
    Issue {
        cust: u8,
        day: u16,
        cents: i64,
        schedule: u8,
    },
    Receipt {
        cust: Option<u8>,
        day: u16,
        cents: i64,
    },
    Credit {
        pick: u16,
        against: bool,
        offset: i16,
        pct: u8,
    },
    Apply {
        pick: u16,
        pick2: u16,
        offset: i16,
        pct: u8,
        discount: bool,
        installment: Option<u8>,
    },
    Fifo {
        pick: u16,
        offset: i16,
    },
    Unapply {
        pick: u16,
        offset: i16,
    },
    VoidInvoice {
        pick: u16,
        offset: i16,
    },
    VoidSource {
        pick: u16,
        offset: i16,
    },
    WriteOff {
        pick: u16,
        offset: i16,
        pct: Option<u8>,
    },
    Refund {
        pick: u16,
        offset: i16,
        pct: u8,
    },
    Dispute {
        pick: u16,
        on: bool,
        offset: i16,
    },
    Assign {
        pick: u16,
        cust: u8,
        offset: i16,
    },
    ReverseWriteOff {
        pick: u16,
        offset: i16,
    },
    BackInTime,
}

fn op() -> impl Strategy<Value = Op> {
    let day = 0u16..60;
    let cents = 1i64..60_000;
    let off = -3i16..30;
    let pct = 1u8..=120;
    let pick = any::<u16>();
    prop_oneof![
        4 => (0u8..3, day.clone(), cents.clone(), 0u8..4).prop_map(|(cust, day, cents, schedule)| Op::Issue { cust, day, cents, schedule }),
        3 => (proptest::option::weighted(0.85, 0u8..3), day, cents).prop_map(|(cust, day, cents)| Op::Receipt { cust, day, cents }),
        2 => (pick, any::<bool>(), off.clone(), pct.clone()).prop_map(|(pick, against, offset, pct)| Op::Credit { pick, against, offset, pct }),
        8 => (pick, pick, off.clone(), pct.clone(), proptest::bool::weighted(0.2), proptest::option::weighted(0.2, 1u8..4))
            .prop_map(|(pick, pick2, offset, pct, discount, installment)| Op::Apply { pick, pick2, offset, pct, discount, installment }),
        2 => (pick, off.clone()).prop_map(|(pick, offset)| Op::Fifo { pick, offset }),
        2 => (pick, off.clone()).prop_map(|(pick, offset)| Op::Unapply { pick, offset }),
        1 => (pick, off.clone()).prop_map(|(pick, offset)| Op::VoidInvoice { pick, offset }),
        1 => (pick, off.clone()).prop_map(|(pick, offset)| Op::VoidSource { pick, offset }),
        1 => (pick, off.clone(), proptest::option::of(pct.clone())).prop_map(|(pick, offset, pct)| Op::WriteOff { pick, offset, pct }),
        1 => (pick, off.clone(), pct).prop_map(|(pick, offset, pct)| Op::Refund { pick, offset, pct }),
        1 => (pick, any::<bool>(), off.clone()).prop_map(|(pick, on, offset)| Op::Dispute { pick, on, offset }),
        1 => (pick, 0u8..3, off.clone()).prop_map(|(pick, cust, offset)| Op::Assign { pick, cust, offset }),
        1 => (pick, off).prop_map(|(pick, offset)| Op::ReverseWriteOff { pick, offset }),
        1 => Just(Op::BackInTime),
    ]
}

fn date(day: u16) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(i64::from(day))
}
fn shifted(d: NaiveDate, offset: i16) -> NaiveDate {
    d + Duration::days(i64::from(offset))
}
fn cust(n: u8) -> CustomerId {
    CustomerId::new(format!("C{n}")).unwrap()
}
fn currency_of(n: u8) -> Currency {
    Currency::new(if n == 2 { "EUR" } else { "USD" }).unwrap()
}
fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}
/// `pct` percent of `amount`, in cents, at least one cent.
fn part(amount: Decimal, pct: u8) -> Decimal {
    (amount * Decimal::from(pct) / Decimal::ONE_HUNDRED)
        .round_dp(2)
        .max(Decimal::new(1, 2))
}
fn nth<T: Clone>(v: &[T], pick: u16) -> Option<T> {
    (!v.is_empty()).then(|| v[usize::from(pick) % v.len()].clone())
}

fn invoices(l: &Ledger) -> Vec<InvoiceView> {
    l.events()
        .iter()
        .filter_map(|e| match &e.event {
            Event::InvoiceIssued { invoice } => Some(l.invoice(&invoice.id, &View::all()).unwrap()),
            _ => None,
        })
        .collect()
}
fn sources(l: &Ledger) -> Vec<SourceView> {
    l.events()
        .iter()
        .filter_map(|e| match &e.event {
            Event::ReceiptRecorded { receipt } => Some(Source::Receipt(receipt.id.clone())),
            Event::CreditMemoIssued { credit_memo } => {
                Some(Source::CreditMemo(credit_memo.id.clone()))
            }
            _ => None,
        })
        .map(|s| l.source(&s, &View::all()).unwrap())
        .collect()
}

fn to_command(op: &Op, l: &Ledger) -> Option<Command> {
    let n = l.events().len();
    Some(match op.clone() {
        Op::Issue {
            cust: c,
            day,
            cents,
            schedule,
        } => {
            let mut new = NewInvoice::new(
                InvoiceId::new(format!("I{n}")).unwrap(),
                cust(c),
                date(day),
                vec![InvoiceLine::new("x", Decimal::ONE, money(cents))
                    .with_tax("T", Decimal::new(75, 1))],
            );
            let equal = |days| InstallmentTerm {
                portion: Portion::Equal,
                due: DueRule::Net { days },
                discount: Some(EarlyDiscount::percent(Decimal::ONE, 5)),
            };
            new.terms = Some(match schedule {
                0 => PaymentTerms::net(30),
                1 => PaymentTerms::net(30).with_discount(Decimal::TWO, 10),
                2 => PaymentTerms::end_of_month(15),
                _ => PaymentTerms::Installments {
                    installments: vec![equal(10), equal(40), equal(70)],
                },
            });
            Command::IssueInvoice { invoice: new }
        }
        Op::Receipt {
            cust: c,
            day,
            cents,
        } => Command::RecordReceipt {
            receipt: Receipt {
                id: ReceiptId::new(format!("R{n}")).unwrap(),
                customer: c.map(cust),
                date: date(day),
                amount: money(cents),
                currency: currency_of(c.unwrap_or(0)),
                method: PaymentMethod::Wire,
                reference: None,
                remittance: String::new(),
                payer_name: None,
                payer_account: None,
            },
        },
        Op::Credit {
            pick,
            against,
            offset,
            pct,
        } => {
            let inv = nth(&invoices(l), pick)?;
            let kind = match pct % 4 {
                0 => CreditKind::WholeInvoice,
                1 if against => CreditKind::Lines {
                    lines: vec![CreditLine {
                        line: 0,
                        quantity: None,
                    }],
                },
                _ => CreditKind::Amount {
                    amount: part(inv.invoice.totals.total, pct / 2),
                },
            };
            Command::IssueCreditMemo {
                id: CreditMemoId::new(format!("CM{n}")).unwrap(),
                customer: inv.invoice.customer.clone(),
                date: shifted(inv.invoice.date, offset),
                currency: None,
                against: against.then(|| inv.invoice.id.clone()),
                kind,
                reason: String::new(),
            }
        }
        Op::Apply {
            pick,
            pick2,
            offset,
            pct,
            discount,
            installment,
        } => {
            let src = nth(&sources(l), pick)?;
            let all = invoices(l);
            let mine: Vec<InvoiceView> = all
                .iter()
                .filter(|i| Some(&i.invoice.customer) == src.customer.as_ref())
                .cloned()
                .collect();
            let inv = nth(if mine.is_empty() { &all } else { &mine }, pick2)?;
            let room = src.open.min(inv.open).max(Decimal::ONE);
            let amount = part(room, pct);
            let offer = inv.invoice.installments[0]
                .discount
                .map(|o| o.amount)
                .unwrap_or_default();
            Command::Apply {
                id: None,
                source: src.source.clone(),
                invoice: inv.invoice.id.clone(),
                installment: installment.map(u32::from),
                amount,
                discount: if discount { offer } else { Decimal::ZERO },
                date: shifted(src.date.max(inv.invoice.date), offset),
            }
        }
        Op::Fifo { pick, offset } => {
            let src = nth(&sources(l), pick)?;
            Command::ApplyFifo {
                source: src.source.clone(),
                date: shifted(src.date, offset),
                include_disputed: offset % 2 == 0,
            }
        }
        Op::Unapply { pick, offset } => {
            let app = nth(&l.applications(&View::all()), pick)?;
            Command::Unapply {
                application: app.id.clone(),
                date: shifted(app.date, offset),
                reason: String::new(),
            }
        }
        Op::VoidInvoice { pick, offset } => {
            let inv = nth(&invoices(l), pick)?;
            Command::VoidInvoice {
                invoice: inv.invoice.id.clone(),
                date: shifted(inv.invoice.date, offset),
                reason: String::new(),
            }
        }
        Op::VoidSource { pick, offset } => {
            let src = nth(&sources(l), pick)?;
            match &src.source {
                Source::Receipt(id) => Command::VoidReceipt {
                    receipt: id.clone(),
                    date: shifted(src.date, offset),
                    reason: String::new(),
                },
                Source::CreditMemo(id) => Command::VoidCreditMemo {
                    credit_memo: id.clone(),
                    date: shifted(src.date, offset),
                    reason: String::new(),
                },
            }
        }
        Op::WriteOff { pick, offset, pct } => {
            let inv = nth(&invoices(l), pick)?;
            Command::WriteOff {
                id: None,
                invoice: inv.invoice.id.clone(),
                installment: None,
                amount: pct.map(|p| part(inv.open.max(Decimal::ONE), p)),
                date: shifted(inv.invoice.date, offset),
                reason: "bad debt".into(),
            }
        }
        Op::Refund { pick, offset, pct } => {
            let src = nth(&sources(l), pick)?;
            Command::Refund {
                id: None,
                source: src.source.clone(),
                amount: part(src.open.max(Decimal::ONE), pct),
                date: shifted(src.date, offset),
                method: PaymentMethod::Ach,
                reason: String::new(),
            }
        }
        Op::Dispute { pick, on, offset } => {
            let inv = nth(&invoices(l), pick)?;
            Command::SetDispute {
                invoice: inv.invoice.id.clone(),
                disputed: on,
                date: shifted(inv.invoice.date, offset),
                reason: String::new(),
            }
        }
        Op::Assign {
            pick,
            cust: c,
            offset,
        } => {
            let src = nth(&sources(l), pick)?;
            let Source::Receipt(id) = &src.source else {
                return None;
            };
            Command::AssignPayer {
                receipt: id.clone(),
                customer: cust(c),
                date: shifted(src.date, offset),
            }
        }
        Op::ReverseWriteOff { pick, offset } => {
            let wos: Vec<(WriteOffId, NaiveDate)> = l
                .events()
                .iter()
                .filter_map(|e| match &e.event {
                    Event::WrittenOff { write_off, .. } => Some((write_off.clone(), e.effective)),
                    _ => None,
                })
                .collect();
            let (wo, d) = nth(&wos, pick)?;
            Command::ReverseWriteOff {
                write_off: wo,
                date: shifted(d, offset),
                reason: String::new(),
            }
        }
        Op::BackInTime => return None,
    })
}

fn base_ledger() -> Ledger {
    let mut l = Ledger::new();
    for n in 0..3u8 {
        let c = Customer::new(cust(n), format!("Customer {n}"), currency_of(n));
        l.execute(
            Command::RegisterCustomer { customer: c },
            &CommandMeta::at(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
        )
        .unwrap();
    }
    l
}

/// Every open item is positive and at most its original amount, seen at
/// every business date the log mentions and as known after every event.
fn check_bounds(l: &Ledger) -> Result<(), TestCaseError> {
    let mut views: Vec<View> = l
        .events()
        .iter()
        .map(|e| View::as_of(e.effective))
        .collect();
    views.push(View::all());
    for e in l.events().iter().step_by(3) {
        views.push(View::all().known_at(e.recorded));
    }
    for v in &views {
        for item in l.open_items(v) {
            prop_assert!(item.open > Decimal::ZERO, "{item:?} in {v:?}");
            prop_assert!(item.open <= item.original, "{item:?} in {v:?}");
            prop_assert_eq!(item.open.scale(), item.currency.minor_units());
        }
    }
    Ok(())
}

/// For every business date the log mentions: the buckets of each row sum to
/// its total, and per currency the totals equal the open invoices of
/// `open_items`; credits and cash likewise.
fn check_aging_sums(l: &Ledger) -> Result<(), TestCaseError> {
    let mut dates: Vec<NaiveDate> = l.events().iter().map(|e| e.effective).collect();
    dates.sort();
    dates.dedup();
    for d in dates {
        for group_by in [
            vec![],
            vec![GroupBy::Customer],
            vec![GroupBy::InvoiceDimension("none".into())],
        ] {
            let r = l
                .aging(&AgingOptions {
                    group_by,
                    ..AgingOptions::new(d)
                })
                .unwrap();
            let items = l.open_items(&View::as_of(d));
            for row in r.rows.iter().chain(&r.totals) {
                prop_assert_eq!(row.buckets.iter().sum::<Decimal>(), row.total);
                prop_assert_eq!(row.net, row.total - row.open_credits - row.unapplied_cash);
            }
            let mut currencies: Vec<Currency> = items.iter().map(|i| i.currency).collect();
            currencies.sort();
            currencies.dedup();
            prop_assert_eq!(r.totals.len(), currencies.len());
            for t in &r.totals {
                let sum = |k: OpenItemKind| {
                    items
                        .iter()
                        .filter(|i| i.kind == k && i.currency == t.currency)
                        .map(|i| i.open)
                        .sum::<Decimal>()
                };
                prop_assert_eq!(t.total, sum(OpenItemKind::Invoice));
                prop_assert_eq!(t.open_credits, sum(OpenItemKind::CreditMemo));
                prop_assert_eq!(t.unapplied_cash, sum(OpenItemKind::UnappliedCash));
            }
        }
    }
    Ok(())
}

/// Voiding is refused exactly while something settles the document: for
/// an invoice, applications and write-offs not reversed; for a receipt or
/// a credit memo, applications not reversed and refunds. Counted here from
/// the log, independently of the ledger's own bookkeeping.
fn check_voids(l: &Ledger) -> Result<(), TestCaseError> {
    use std::collections::HashMap;
    let mut settled: HashMap<String, i32> = HashMap::new();
    let mut used: HashMap<String, i32> = HashMap::new();
    let mut apps: HashMap<String, (String, String)> = HashMap::new();
    let mut write_offs: HashMap<String, String> = HashMap::new();
    let mut voided: Vec<String> = Vec::new();
    let mut invoices: Vec<InvoiceId> = Vec::new();
    let mut sources: Vec<Source> = Vec::new();
    for env in l.events() {
        match &env.event {
            Event::InvoiceIssued { invoice } => invoices.push(invoice.id.clone()),
            Event::ReceiptRecorded { receipt } => sources.push(Source::Receipt(receipt.id.clone())),
            Event::CreditMemoIssued { credit_memo } => {
                sources.push(Source::CreditMemo(credit_memo.id.clone()))
            }
            Event::InvoiceVoided { invoice, .. } => voided.push(invoice.to_string()),
            Event::ReceiptVoided { receipt, .. } => voided.push(receipt.to_string()),
            Event::CreditMemoVoided { credit_memo, .. } => voided.push(credit_memo.to_string()),
            Event::Applied {
                application,
                source,
                invoice,
                ..
            } => {
                *settled.entry(invoice.to_string()).or_default() += 1;
                *used.entry(source.id().to_owned()).or_default() += 1;
                apps.insert(
                    application.to_string(),
                    (invoice.to_string(), source.id().to_owned()),
                );
            }
            Event::Unapplied { application, .. } => {
                let (invoice, source) = &apps[application.as_str()];
                *settled.get_mut(invoice).unwrap() -= 1;
                *used.get_mut(source).unwrap() -= 1;
            }
            Event::WrittenOff {
                write_off, invoice, ..
            } => {
                *settled.entry(invoice.to_string()).or_default() += 1;
                write_offs.insert(write_off.to_string(), invoice.to_string());
            }
            Event::WriteOffReversed { write_off, .. } => {
                *settled.get_mut(&write_offs[write_off.as_str()]).unwrap() -= 1;
            }
            Event::Refunded { source, .. } => *used.entry(source.id().to_owned()).or_default() += 1,
            _ => {}
        }
    }
    let late = CommandMeta::at(Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap());
    let day = NaiveDate::from_ymd_opt(2030, 12, 31).unwrap();
    for id in invoices.iter().filter(|i| !voided.contains(&i.to_string())) {
        let busy = settled.get(id.as_str()).copied().unwrap_or(0) > 0;
        let res = l.clone().execute(
            Command::VoidInvoice {
                invoice: id.clone(),
                date: day,
                reason: String::new(),
            },
            &late,
        );
        prop_assert_eq!(
            res.is_err(),
            busy,
            "voiding invoice {}: {:?}",
            id,
            res.err()
        );
    }
    for source in sources
        .iter()
        .filter(|s| !voided.contains(&s.id().to_owned()))
    {
        let busy = used.get(source.id()).copied().unwrap_or(0) > 0;
        let cmd = match source {
            Source::Receipt(id) => Command::VoidReceipt {
                receipt: id.clone(),
                date: day,
                reason: String::new(),
            },
            Source::CreditMemo(id) => Command::VoidCreditMemo {
                credit_memo: id.clone(),
                date: day,
                reason: String::new(),
            },
        };
        let res = l.clone().execute(cmd, &late);
        prop_assert_eq!(
            res.is_err(),
            busy,
            "voiding {}: {:?}",
            source.id(),
            res.err()
        );
    }
    Ok(())
}

/// The journal balances entry by entry, in each currency and in the
/// functional one, and its control accounts are the open items, through
/// every view.
fn check_journal(l: &Ledger) -> Result<(), TestCaseError> {
    use ar_core::accounting::{JournalOptions, Rate, RateTable, Role};
    let eur = Currency::new("EUR").unwrap();
    let rates = RateTable::new(
        currency_of(0),
        vec![
            Rate {
                currency: eur,
                date: date(0) - Duration::days(400),
                rate: Decimal::new(1103, 3),
            },
            Rate {
                currency: eur,
                date: date(20),
                rate: Decimal::new(1117, 3),
            },
            Rate {
                currency: eur,
                date: date(50),
                rate: Decimal::new(1089, 3),
            },
        ],
    )
    .unwrap();
    let half = l.events()[l.events().len() / 2].recorded;
    let views = [
        View::all(),
        View::as_of(date(10)),
        View::as_of(date(45)),
        View::all().known_at(half),
    ];
    // Metrics in the functional currency: each currency's sums converted
    // once and added, whatever the book.
    let period = ar_core::metrics::Period::new(date(0), date(45)).unwrap();
    let options = MetricsOptions::new(period);
    let plain = l.metrics(&options).unwrap();
    let converted = l.metrics_in_functional(&options, &rates, date(45)).unwrap();
    prop_assert!(converted.len() <= 1);
    let sum = |f: &dyn Fn(&MetricsRow) -> Decimal| -> Decimal {
        plain
            .iter()
            .map(|r| {
                let rate = rates.rate(r.currency, date(45)).unwrap();
                RoundingPolicy::HalfAwayFromZero.round(f(r) * rate, 2)
            })
            .sum()
    };
    let (ar_end, sales) = (sum(&|r| r.ar_end), sum(&|r| r.credit_sales));
    let payments: u64 = plain.iter().map(|r| r.timing.payments).sum();
    if let Some(row) = converted.first() {
        prop_assert_eq!(row.currency, currency_of(0));
        prop_assert_eq!((row.ar_end, row.credit_sales), (ar_end, sales));
        prop_assert_eq!(row.timing.payments, payments);
    } else {
        prop_assert!(plain.is_empty());
    }
    for options in [
        JournalOptions::default(),
        JournalOptions {
            rates: Some(rates),
            ..JournalOptions::default()
        },
    ] {
        for view in &views {
            let journal = l.journal(&options, view).unwrap();
            for e in &journal.entries {
                prop_assert_eq!(
                    e.lines.iter().map(|x| x.amount).sum::<Decimal>(),
                    Decimal::ZERO,
                    "{:?}",
                    e
                );
                prop_assert_eq!(
                    e.lines.iter().map(|x| x.functional).sum::<Decimal>(),
                    Decimal::ZERO,
                    "{:?}",
                    e
                );
            }
            let items = l.open_items(view);
            for c in [currency_of(0), currency_of(2)] {
                let open = |k: OpenItemKind| {
                    items
                        .iter()
                        .filter(|i| i.kind == k && i.currency == c)
                        .map(|i| i.open)
                        .sum::<Decimal>()
                };
                prop_assert_eq!(
                    journal.role_balance(Role::Receivable, c).unwrap(),
                    open(OpenItemKind::Invoice),
                    "receivable {} {:?}",
                    c,
                    view
                );
                prop_assert_eq!(
                    -journal.role_balance(Role::UnappliedCash, c).unwrap(),
                    open(OpenItemKind::UnappliedCash),
                    "unapplied {} {:?}",
                    c,
                    view
                );
                prop_assert_eq!(
                    -journal.role_balance(Role::CustomerCredits, c).unwrap(),
                    open(OpenItemKind::CreditMemo),
                    "credits {} {:?}",
                    c,
                    view
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn ledger_invariants(ops in proptest::collection::vec(op(), 1..60)) {
        let mut l = base_ledger();
        let mut now: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap();
        let probe_dates: Vec<NaiveDate> = [0u16, 10, 30, 45, 60, 89].iter().map(|d| date(*d)).collect();
        for op in &ops {
            if matches!(op, Op::BackInTime) {
                // A command recorded before the last event is refused.
                let before = l.to_json().unwrap();
                let last = l.events().last().unwrap().recorded;
                let meta = CommandMeta::at(last - Duration::seconds(1));
                let cmd = Command::RegisterCustomer { customer: Customer::new(CustomerId::new("LATE").unwrap(), "Late", currency_of(0)) };
                let res = l.execute(cmd, &meta);
                prop_assert!(res.is_err());
                prop_assert_eq!(l.to_json().unwrap(), before);
                continue;
            }
            let Some(cmd) = to_command(op, &l) else { continue };
            now += Duration::hours(1);
            let before_json = l.to_json().unwrap();
            let before_as_of: Vec<Vec<OpenItem>> = probe_dates.iter().map(|d| l.open_items(&View::as_of(*d))).collect();
            let before_all = l.open_items(&View::all());
            let before_aging: Vec<AgingReport> = probe_dates.iter().map(|d| l.aging(&AgingOptions::new(*d)).unwrap()).collect();
            let known_probe = AgingOptions { known_at: l.events().last().map(|e| e.recorded), ..AgingOptions::new(date(89)) };
            let before_known_aging = l.aging(&known_probe).unwrap();
            let last_recorded = l.events().last().map(|e| e.recorded);
            match l.execute(cmd, &CommandMeta::at(now)) {
                Err(_) => prop_assert_eq!(l.to_json().unwrap(), before_json, "a rejected command changed the ledger"),
                Ok(out) => {
                    let earliest = out.events.iter().map(|e| e.effective).min().unwrap();
                    for (d, before) in probe_dates.iter().zip(&before_aging) {
                        if earliest > *d {
                            prop_assert_eq!(&l.aging(&AgingOptions::new(*d)).unwrap(), before, "events after {} changed the aging as of {}", earliest, d);
                        }
                    }
                    prop_assert_eq!(l.aging(&known_probe).unwrap(), before_known_aging, "the aging as known before the command changed");
                    for (d, before) in probe_dates.iter().zip(&before_as_of) {
                        if earliest > *d {
                            prop_assert_eq!(&l.open_items(&View::as_of(*d)), before, "events after {} changed the view as of {}", earliest, d);
                        }
                    }
                    if let Some(t) = last_recorded {
                        prop_assert_eq!(l.open_items(&View::all().known_at(t)), before_all, "the view as known before the command changed");
                    }
                }
            }
        }
        check_bounds(&l)?;
        check_aging_sums(&l)?;
        check_voids(&l)?;
        check_journal(&l)?;
        let json = l.to_json().unwrap();
        let back = Ledger::from_json(&json).unwrap();
        prop_assert_eq!(&back, &l);
        prop_assert_eq!(back.to_json().unwrap(), json);
        // Balances agree with open items.
        for b in l.balances(&View::all()) {
            let items: Vec<OpenItem> = l.open_items(&View::all()).into_iter().filter(|i| i.customer == b.customer && i.currency == b.currency).collect();
            let sum = |k: OpenItemKind| items.iter().filter(|i| i.kind == k).map(|i| i.open).sum::<Decimal>();
            prop_assert_eq!(b.invoices, sum(OpenItemKind::Invoice));
            prop_assert_eq!(b.net, sum(OpenItemKind::Invoice) - sum(OpenItemKind::UnappliedCash) - sum(OpenItemKind::CreditMemo));
        }
        // One customer's balance is that customer's rows of all balances,
        // through any view (a payer assigned later moves cash between them).
        for view in [View::all(), View::as_of(date(30)), View::all().known_at(l.events()[l.events().len() / 2].recorded)] {
            let all = l.balances(&view);
            for c in 0u8..3 {
                let mine: Vec<Balance> = all.iter().filter(|b| b.customer.as_ref() == Some(&cust(c))).cloned().collect();
                prop_assert_eq!(l.customer_balance(&cust(c), &view).unwrap(), mine);
            }
        }
    }

    /// A snapshot taken anywhere in a ledger's life, restored with the log
    /// lines written after it, is the ledger the whole log gives.
    #[test]
    fn a_restored_snapshot_is_the_replayed_ledger(
        ops in proptest::collection::vec(op(), 1..60),
        at_op in 0usize..60,
    ) {
        let mut l = base_ledger();
        let mut now: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap();
        let mut taken = (l.snapshot().unwrap(), l.events().len());
        for (i, op) in ops.iter().enumerate() {
            if i == at_op {
                taken = (l.snapshot().unwrap(), l.events().len());
            }
            let Some(cmd) = to_command(op, &l) else { continue };
            now += Duration::hours(1);
            let _ = l.execute(cmd, &CommandMeta::at(now));
        }
        let (snapshot, from) = taken;
        prop_assert_eq!(Ledger::snapshot_info(&snapshot).unwrap().events, from as u64);
        let tail = l.log_lines(from).unwrap();
        let restored = Ledger::restore(&snapshot, tail.iter().map(String::as_str)).unwrap();
        let replayed = Ledger::from_json(&l.to_json().unwrap()).unwrap();
        prop_assert_eq!(&restored, &replayed);
        prop_assert_eq!(&restored, &l);
        prop_assert_eq!(restored.chain_head().unwrap(), l.chain_head().unwrap());
        prop_assert_eq!(restored.aging(&AgingOptions::new(date(60))).unwrap(), l.aging(&AgingOptions::new(date(60))).unwrap());
        // And a snapshot of the restored ledger is the same bytes.
        prop_assert_eq!(restored.snapshot().unwrap(), l.snapshot().unwrap());
    }

    #[test]
    fn splits_never_lose_a_cent(
        units in -10_000_000_000i64..10_000_000_000,
        minor in 0u32..4,
        weights in proptest::collection::vec((0i64..1_000_000, 0u32..6), 1..12),
    ) {
        let total = Decimal::new(units, minor);
        let weights: Vec<Decimal> = weights.into_iter().map(|(m, s)| Decimal::new(m, s)).collect();
        let sum_w: Decimal = weights.iter().sum();
        match allocate(total, &weights, minor) {
            Err(e) => prop_assert!(sum_w.is_zero(), "unexpected {e}"),
            Ok(parts) => {
                prop_assert_eq!(parts.iter().sum::<Decimal>(), total);
                let unit = Decimal::new(1, minor);
                for (p, w) in parts.iter().zip(&weights) {
                    let exact = total * *w / sum_w;
                    prop_assert!((*p - exact).abs() < unit, "{p} vs exact {exact}");
                    prop_assert!(p.is_zero() || p.is_sign_negative() == total.is_sign_negative());
                    prop_assert!(p.scale() == minor);
                }
            }
        }
    }

    #[test]
    fn invoice_totals_reconcile(
        lines in proptest::collection::vec((1i64..1_000, 0i64..100_000, 0u32..4, 0u8..3), 1..8),
        inclusive in any::<bool>(),
        per_doc in any::<bool>(),
    ) {
        let rates = [Decimal::new(20, 0), Decimal::new(55, 1), Decimal::ZERO];
        let lines: Vec<InvoiceLine> = lines
            .into_iter()
            .map(|(q, p, s, r)| InvoiceLine::new("x", Decimal::new(q, 1), Decimal::new(p, s)).with_tax(format!("T{r}"), rates[usize::from(r)]))
            .collect();
        let t = compute_totals(
            &lines,
            Currency::new("EUR").unwrap(),
            if inclusive { TaxMode::Inclusive } else { TaxMode::Exclusive },
            if per_doc { TaxRounding::PerDocument } else { TaxRounding::PerLine },
            RoundingPolicy::HalfEven,
        ).unwrap();
        prop_assert_eq!(t.net + t.tax, t.total);
        prop_assert_eq!(t.lines.iter().map(|l| l.gross).sum::<Decimal>(), t.total);
        prop_assert_eq!(t.taxes.iter().map(|x| x.tax).sum::<Decimal>(), t.tax);
        for l in &t.lines {
            prop_assert_eq!(l.net + l.tax, l.gross);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A period closed (after a revaluation at its end) keeps its trial
    /// balance and its digest whatever is accepted later, and the
    /// revaluation's reversal cancels it to the cent.
    #[test]
    fn closed_periods_keep_their_figures(
        before in proptest::collection::vec(op(), 1..40),
        after in proptest::collection::vec(op(), 1..40),
        move_to_open_day in any::<bool>(),
        closing in 1000u32..1300,
    ) {
        use ar_core::accounting::{JournalOptions, Rate, RateTable};
        let eur = Currency::new("EUR").unwrap();
        let rates = RateTable::new(
            currency_of(0),
            vec![
                Rate { currency: eur, date: date(0) - Duration::days(400), rate: Decimal::new(1103, 3) },
                Rate { currency: eur, date: date(20), rate: Decimal::new(1117, 3) },
            ],
        )
        .unwrap();
        let options = JournalOptions { rates: Some(rates), ..JournalOptions::default() };
        let mut l = base_ledger();
        let mut now: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap();
        let run = |l: &mut Ledger, ops: &[Op], now: &mut DateTime<Utc>| {
            for op in ops {
                if matches!(op, Op::BackInTime) {
                    continue;
                }
                let Some(cmd) = to_command(op, l) else { continue };
                *now += Duration::hours(1);
                let _ = l.execute(cmd, &CommandMeta::at(*now));
            }
        };
        run(&mut l, &before, &mut now);
        let end = date(30);
        now += Duration::hours(1);
        l.execute(
            Command::Revalue {
                date: end,
                rates: vec![ClosingRate { currency: eur, rate: Decimal::new(i64::from(closing), 3) }],
            },
            &CommandMeta::at(now),
        )
        .unwrap();
        now += Duration::hours(1);
        let policy = if move_to_open_day { ClosePolicy::MoveToOpenDay } else { ClosePolicy::Refuse };
        let closed = l.close_period(end, policy, &CommandMeta::at(now)).unwrap();
        let Event::PeriodClosed { digest, .. } = &closed.events[0].event else { unreachable!() };
        let digest = digest.clone();
        let tb = l.trial_balance(&options, &View::as_of(end)).unwrap();
        let aging = l.aging(&AgingOptions::new(end)).unwrap();
        run(&mut l, &after, &mut now);
        prop_assert_eq!(l.trial_balance(&options, &View::as_of(end)).unwrap(), tb);
        prop_assert_eq!(l.aging(&AgingOptions::new(end)).unwrap(), aging);
        prop_assert_eq!(l.period_digest(end, None), digest);
        for e in l.events().iter().filter(|e| e.seq > closed.events[0].seq) {
            prop_assert!(e.effective > end, "{:?} accepted in the closed period", e.event);
            prop_assert!(move_to_open_day || e.requested.is_none());
        }
        // The revaluation and its reversal cancel, account by account.
        let journal = l.journal(&options, &View::all()).unwrap();
        let mut net: std::collections::BTreeMap<String, Decimal> = Default::default();
        for e in journal.entries.iter().filter(|e| e.event == "revalued" || e.event == "revaluation_reversed") {
            prop_assert_eq!(e.lines.iter().map(|x| x.functional).sum::<Decimal>(), Decimal::ZERO);
            for x in &e.lines {
                *net.entry(x.account.to_string()).or_default() += x.functional;
            }
        }
        prop_assert!(net.values().all(|v| v.is_zero()), "{:?}", net);
        let back = Ledger::from_json(&l.to_json().unwrap()).unwrap();
        prop_assert_eq!(&back, &l);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// A statement's closing balance is the customer's balance at its end,
    /// its opening the balance the day before it starts, for any period
    /// and as known at any time; its aging summary is the aging report's.
    #[test]
    fn statements_agree_with_balances(
        ops in proptest::collection::vec(op(), 1..60),
        from in 0u16..60,
        len in 0u16..40,
        half_known in any::<bool>(),
    ) {
        let mut l = base_ledger();
        let mut now: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap();
        for op in &ops {
            if matches!(op, Op::BackInTime) {
                continue;
            }
            let Some(cmd) = to_command(op, &l) else { continue };
            now += Duration::hours(1);
            let _ = l.execute(cmd, &CommandMeta::at(now));
        }
        let (from, to) = (date(from), date(from + len));
        let known_at = half_known.then(|| l.events()[l.events().len() / 2].recorded);
        let options = StatementOptions { known_at, ..StatementOptions::new(from, to) };
        let statements = l.statements(&options).unwrap();
        let end = View { as_of: Some(to), known_at };
        let start = View { as_of: from.pred_opt(), known_at };
        let net = |view: &View, c: &CustomerId, currency: Currency| {
            l.balances(view)
                .into_iter()
                .filter(|b| b.customer.as_ref() == Some(c) && b.currency == currency)
                .map(|b| b.net)
                .sum::<Decimal>()
        };
        let mut aging_options = AgingOptions::new(to);
        aging_options.known_at = known_at;
        let aging = l.aging(&aging_options).unwrap();
        for s in &statements {
            for sec in &s.sections {
                prop_assert_eq!(sec.closing, net(&end, &s.customer, sec.currency), "closing {} {}", s.customer, sec.currency);
                prop_assert_eq!(sec.opening, net(&start, &s.customer, sec.currency), "opening {} {}", s.customer, sec.currency);
                let moved: Decimal = sec.entries.iter().map(|e| e.amount).sum();
                prop_assert_eq!(sec.opening + moved, sec.closing);
                let row = aging.rows.iter().find(|r| r.group == [s.customer.to_string()] && r.currency == sec.currency);
                prop_assert_eq!(sec.aging.as_ref(), row);
                // The open items, credits and cash less, are the closing
                // balance and the aging row's net.
                let open: Decimal = sec.open_items.iter().map(|i| if i.kind == OpenItemKind::Invoice { i.open } else { -i.open }).sum();
                prop_assert_eq!(open, sec.closing);
                prop_assert_eq!(open, row.map(|r| r.net).unwrap_or_default());
            }
        }
        // Every customer whose balance is not zero has a statement.
        for b in l.balances(&end) {
            if let (Some(c), false) = (&b.customer, b.net.is_zero()) {
                prop_assert!(statements.iter().any(|s| &s.customer == c && s.sections.iter().any(|x| x.currency == b.currency)), "{} has no statement", c);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// A forecast covers every open installment not disputed, each at its
    /// open amount, on a day after its date; its days, weeks and months
    /// each add up to the same total per currency.
    #[test]
    fn forecasts_cover_the_open_items(ops in proptest::collection::vec(op(), 1..60), at in 0u16..90) {
        let mut l = base_ledger();
        let mut now: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap();
        for op in &ops {
            if matches!(op, Op::BackInTime) {
                continue;
            }
            let Some(cmd) = to_command(op, &l) else { continue };
            now += Duration::hours(1);
            let _ = l.execute(cmd, &CommandMeta::at(now));
        }
        let as_of = date(at);
        let f = l.forecast(&ar_core::forecast::ForecastOptions::new(as_of)).unwrap();
        let mut open: std::collections::BTreeMap<Currency, Decimal> = Default::default();
        for i in l.open_items(&View::as_of(as_of)) {
            if i.kind == OpenItemKind::Invoice && !i.disputed {
                *open.entry(i.currency).or_default() += i.open;
            }
        }
        let mut covered: std::collections::BTreeMap<Currency, Decimal> = Default::default();
        for i in &f.items {
            prop_assert!(i.expected_date > as_of);
            prop_assert_eq!(i.expected_amount, i.open);
            *covered.entry(i.currency).or_default() += i.expected_amount;
        }
        prop_assert_eq!(&covered, &open);
        for buckets in [&f.daily, &f.weekly, &f.monthly] {
            let mut sum: std::collections::BTreeMap<Currency, Decimal> = Default::default();
            for b in buckets {
                *sum.entry(b.currency).or_default() += b.amount;
            }
            prop_assert_eq!(&sum, &open);
        }
    }
}
