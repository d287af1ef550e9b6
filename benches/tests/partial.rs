//! A generated book split into parts (settlements with their invoices, rows
//! in random order), each part's partial aging and metrics merged in random
//! order and finished, gives the figures of the whole book in one process:
//! every amount, count and digit of every ratio.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use std::collections::HashMap;

use ar_benches::{Frames, Rng};
use ar_core::bulk::{Book, InvoiceColumns, OpenColumns, SettlementColumns, SettlementKind};
use ar_core::partial::{Partial, PartialEntry};
use ar_core::*;

fn groupings() -> Vec<Vec<GroupBy>> {
    vec![
        vec![],
        vec![GroupBy::Customer],
        vec![GroupBy::InvoiceDimension("region".into())],
        vec![
            GroupBy::InvoiceDimension("region".into()),
            GroupBy::Customer,
        ],
    ]
}

/// The generated book, with every seventh invoice in EUR (so customers and
/// regions have groups in two currencies), settlements of every kind and
/// some unapplied cash.
fn book(invoices: usize) -> Book {
    let mut b = Frames::from_book(&ar_benches::generate(invoices, 42)).book();
    let eur = Currency::new("EUR").unwrap();
    for (i, c) in b.invoices.currency.iter_mut().enumerate() {
        if i % 7 == 3 {
            *c = eur;
        }
    }
    let kinds = [
        SettlementKind::Payment,
        SettlementKind::Payment,
        SettlementKind::Credit,
        SettlementKind::Discount,
        SettlementKind::WriteOff,
    ];
    b.settlements.kind = (0..b.settlements.invoice.len())
        .map(|i| kinds[i % kinds.len()])
        .collect();
    let n = 40;
    b.unapplied_cash = OpenColumns {
        id: (0..n)
            .map(|i| format!("R{i}"))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
        // Every fifth from a payer not yet identified.
        customer: (0..n)
            .map(|i| {
                if i % 5 == 0 {
                    String::new()
                } else {
                    format!("C{:06}", i % 13)
                }
            })
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
        currency: (0..n)
            .map(|i| {
                if i % 3 == 0 {
                    eur
                } else {
                    b.invoices.currency[0]
                }
            })
            .collect(),
        date: (0..n)
            .map(|i| {
                "2026-01-01".parse::<chrono::NaiveDate>().unwrap() + chrono::Duration::days(i * 7)
            })
            .collect(),
        amount: (0..n)
            .map(|i| rust_decimal::Decimal::new(1000 + i * 37, 2))
            .collect(),
    };
    b
}

fn take<T: Clone>(v: &[T], rows: &[usize]) -> Vec<T> {
    rows.iter().map(|r| v[*r].clone()).collect()
}

fn strs(c: &ar_core::bulk::StrColumn, rows: &[usize]) -> ar_core::bulk::StrColumn {
    rows.iter().map(|r| c.get(*r).unwrap()).collect()
}

fn shuffle(rows: &mut [usize], rng: &mut Rng) {
    for i in (1..rows.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        rows.swap(i, j);
    }
}

fn open_part(o: &OpenColumns, rows: &[usize]) -> OpenColumns {
    OpenColumns {
        id: strs(&o.id, rows),
        customer: strs(&o.customer, rows),
        currency: take(&o.currency, rows),
        date: take(&o.date, rows),
        amount: take(&o.amount, rows),
    }
}

/// `k` parts: each invoice in a random part, its settlements with it, open
/// items anywhere; rows of each part in random order.
fn split(b: &Book, k: usize, rng: &mut Rng) -> Vec<Book> {
    let part_of: Vec<usize> = (0..b.invoices.id.len())
        .map(|_| rng.below(k as u64) as usize)
        .collect();
    let index: HashMap<&str, usize> = b
        .invoices
        .id
        .iter()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    let mut inv = vec![Vec::new(); k];
    for (i, p) in part_of.iter().enumerate() {
        inv[*p].push(i);
    }
    let mut stl = vec![Vec::new(); k];
    for (s, id) in b.settlements.invoice.iter().enumerate() {
        stl[part_of[index[id]]].push(s);
    }
    let mut cred = vec![Vec::new(); k];
    for r in 0..b.open_credits.id.len() {
        cred[rng.below(k as u64) as usize].push(r);
    }
    let mut cash = vec![Vec::new(); k];
    for r in 0..b.unapplied_cash.id.len() {
        cash[rng.below(k as u64) as usize].push(r);
    }
    (0..k)
        .map(|p| {
            for rows in [&mut inv[p], &mut stl[p], &mut cred[p], &mut cash[p]] {
                shuffle(rows, rng);
            }
            let (i, s) = (&inv[p], &stl[p]);
            Book {
                invoices: InvoiceColumns {
                    id: strs(&b.invoices.id, i),
                    customer: strs(&b.invoices.customer, i),
                    currency: take(&b.invoices.currency, i),
                    date: take(&b.invoices.date, i),
                    due_date: take(&b.invoices.due_date, i),
                    amount: take(&b.invoices.amount, i),
                    dimensions: b
                        .invoices
                        .dimensions
                        .iter()
                        .map(|(n, c)| (n.clone(), strs(c, i)))
                        .collect(),
                },
                settlements: SettlementColumns {
                    invoice: strs(&b.settlements.invoice, s),
                    date: take(&b.settlements.date, s),
                    amount: take(&b.settlements.amount, s),
                    kind: take(&b.settlements.kind, s),
                },
                open_credits: open_part(&b.open_credits, &cred[p]),
                unapplied_cash: open_part(&b.unapplied_cash, &cash[p]),
                customers: b.customers.clone(),
            }
        })
        .collect()
}

/// Merges partials in a random order, half of the time through their
/// entries as an engine would hand them back (shuffled, some pre-merged).
fn merge(mut partials: Vec<Partial>, rng: &mut Rng) -> Partial {
    let mut order: Vec<usize> = (0..partials.len()).collect();
    shuffle(&mut order, rng);
    let mut parts: Vec<Option<Partial>> = partials.drain(..).map(Some).collect();
    let mut merged = parts[order[0]].take().unwrap();
    for i in &order[1..] {
        merged.merge(parts[*i].take().unwrap()).unwrap();
    }
    if rng.chance(50) {
        let mut entries: Vec<PartialEntry> = merged.entries();
        let mut idx: Vec<usize> = (0..entries.len()).collect();
        shuffle(&mut idx, rng);
        entries = idx.iter().map(|i| entries[*i].clone()).collect();
        merged = Partial::from_entries(entries).unwrap();
    }
    merged
}

fn sorted(mut aging: AgingReport) -> AgingReport {
    aging
        .rows
        .sort_by(|a, b| (a.currency, &a.group).cmp(&(b.currency, &b.group)));
    aging
}

#[test]
fn parts_merged_give_the_whole_books_figures() {
    let whole = book(6_000);
    let prepared = whole.clone().prepare().unwrap();
    let mut rng = Rng::new(7);
    let end = "2026-10-31".parse().unwrap();
    let period = Period::new("2026-08-01".parse().unwrap(), end).unwrap();
    for k in [1, 2, 8, 64] {
        let parts: Vec<_> = split(&whole, k, &mut rng)
            .into_iter()
            .map(|b| b.prepare().unwrap())
            .collect();
        for group_by in groupings() {
            for basis in [AgeBasis::DueDate, AgeBasis::InvoiceDate] {
                let options = AgingOptions {
                    group_by: group_by.clone(),
                    basis,
                    ..AgingOptions::new(end)
                };
                let expected = sorted(prepared.aging(&options).unwrap());
                let partials = parts
                    .iter()
                    .map(|p| p.aging_partial(&options).unwrap())
                    .collect();
                let merged = merge(partials, &mut rng);
                assert_eq!(merged.parts(), k as i128);
                assert_eq!(
                    merged.finish_aging(&options).unwrap(),
                    expected,
                    "{k} parts, {group_by:?}"
                );
            }
            // Countback over 12 and 30 months (the book starts 24 months back).
            for countback_months in [12, 30] {
                let options = MetricsOptions {
                    group_by: group_by.clone(),
                    countback_months,
                    ..MetricsOptions::new(period)
                };
                let expected = prepared.metrics(&options).unwrap();
                let partials = parts
                    .iter()
                    .map(|p| p.metrics_partial(&options).unwrap())
                    .collect();
                let merged = merge(partials, &mut rng);
                assert_eq!(
                    merged.finish_metrics(&options).unwrap(),
                    expected,
                    "{k} parts, {group_by:?}"
                );
            }
        }
    }
}
