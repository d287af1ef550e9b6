//! Cash application driven day by day, as a clerk works: each day's
//! receipts against what is open that morning. Two ways side by side, which
//! must give the same answers:
//!
//! - **rebuilt**: a new `Matcher` every morning from the items still open
//!   (what the previous days applied automatically taken off);
//! - **kept**: one `Matcher` for the whole period, built once, each day's
//!   batch consuming what it applies (`Matcher::match_batch`), as the
//!   items changed outside it would be told to it (`Matcher::add_items`,
//!   `update_items`, `remove_items`).
//!
//! ```text
//! cargo run --release -p ar-benches --bin cash_daily
//! ```
//!
//! The size is `AR_BENCH_INVOICES` open invoices (default 100,000), the
//! receipts those of `cash_accuracy` (same seed), over its 28 days.
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use ar_benches::cash;
use ar_core::chrono::NaiveDate;
use ar_core::matching::{MatchItem, MatchOptions, MatchReceipt, MatchStatus, Matcher, SourceKind};
use ar_core::rust_decimal::Decimal;

/// One application: the credit memo it takes from (if any), the invoice,
/// installment, amount, discount and write-off.
type Applied = (
    Option<String>,
    String,
    Option<u32>,
    Decimal,
    Decimal,
    Decimal,
);

/// What one receipt came to: its status and what is applied automatically.
type Answer = (MatchStatus, Vec<Applied>);

/// The answers of one day's batch, by receipt.
fn answers(batch: &ar_core::matching::MatchBatch) -> Vec<(String, Answer)> {
    batch
        .matches
        .iter()
        .map(|m| {
            let applied = m
                .auto()
                .map(|p| {
                    p.applications
                        .iter()
                        .map(|a| {
                            (
                                (a.source_kind == SourceKind::CreditMemo).then(|| a.source.clone()),
                                a.invoice.clone(),
                                a.installment,
                                a.amount,
                                a.discount,
                                a.write_off,
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            (m.receipt.clone(), (m.status, applied))
        })
        .collect()
}

fn main() {
    if let Err(e) = run() {
        eprintln!("the matcher refused the data: {e}");
        std::process::exit(1);
    }
}

fn run() -> ar_core::Result<()> {
    let invoices: usize = std::env::var("AR_BENCH_INVOICES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cash::DEFAULT_INVOICES);
    let book = cash::generate(invoices, cash::SEED);
    let options = MatchOptions {
        tolerance: book.tolerance,
        ..MatchOptions::default()
    };
    let mut days: BTreeMap<NaiveDate, Vec<MatchReceipt>> = BTreeMap::new();
    for r in &book.receipts {
        days.entry(r.date).or_default().push(r.clone());
    }
    println!(
        "{} open items, {} receipts over {} days",
        book.items.len(),
        book.receipts.len(),
        days.len()
    );

    // Rebuilt every morning from what is still open.
    let mut open: Vec<MatchItem> = book.items.clone();
    let mut rebuilt: Vec<(String, Answer)> = Vec::new();
    let (mut build, mut matching) = (Duration::ZERO, Duration::ZERO);
    for receipts in days.values() {
        let t = Instant::now();
        let mut m = Matcher::new(open.clone(), &book.customers, options.clone())?;
        build += t.elapsed();
        let t = Instant::now();
        let batch = m.match_batch(receipts)?;
        matching += t.elapsed();
        let day = answers(&batch);
        take_off(&mut open, &day);
        rebuilt.extend(day);
    }
    let rebuilt_time = build + matching;

    // Kept for the whole period.
    let t = Instant::now();
    let mut m = Matcher::new(book.items.clone(), &book.customers, options.clone())?;
    let first = t.elapsed();
    let mut kept: Vec<(String, Answer)> = Vec::new();
    let mut kept_matching = Duration::ZERO;
    for receipts in days.values() {
        let t = Instant::now();
        let batch = m.match_batch(receipts)?;
        kept_matching += t.elapsed();
        kept.extend(answers(&batch));
    }
    let kept_time = first + kept_matching;

    let differ = rebuilt.iter().zip(&kept).filter(|(a, b)| a != b).count();
    let auto = kept
        .iter()
        .filter(|(_, (s, _))| *s == MatchStatus::Auto)
        .count();
    println!(
        "rebuilt each morning: {:.2?} ({:.2?} building {} matchers, {:.2?} matching)",
        rebuilt_time,
        build,
        days.len(),
        matching
    );
    println!(
        "kept:                 {:.2?} ({:.2?} building once, {:.2?} matching)",
        kept_time, first, kept_matching
    );
    println!(
        "ratio rebuilt / kept: {}; receipts answered differently: {differ} of {} ({auto} applied automatically)",
        ar_benches::ratio(rebuilt_time, kept_time),
        kept.len()
    );
    if differ > 0 {
        for ((r, a), (_, b)) in rebuilt.iter().zip(&kept).filter(|(a, b)| a != b).take(5) {
            println!("  {r}: rebuilt {a:?}\n  {r}: kept    {b:?}");
        }
        std::process::exit(1);
    }
    Ok(())
}

/// Takes what a day applied automatically off the items still open; an
/// item paid in full is no longer open, one paid in part keeps what is
/// left (and its discount only while that is still below what is left).
fn take_off(open: &mut Vec<MatchItem>, day: &[(String, Answer)]) {
    let mut used: BTreeMap<(&str, Option<u32>), Decimal> = BTreeMap::new();
    for (_, (status, applied)) in day {
        if *status != MatchStatus::Auto {
            continue;
        }
        for (memo, invoice, installment, amount, discount, write_off) in applied {
            *used.entry((invoice.as_str(), *installment)).or_default() +=
                *amount + *discount + *write_off;
            if let Some(memo) = memo {
                *used.entry((memo.as_str(), None)).or_default() += *amount;
            }
        }
    }
    open.retain_mut(|m| {
        let Some(u) = used.get(&(m.id.as_str(), m.installment)) else {
            return true;
        };
        m.open -= *u;
        if m.discount.is_some_and(|d| d.amount >= m.open) {
            m.discount = None;
        }
        m.open > Decimal::ZERO
    });
}
