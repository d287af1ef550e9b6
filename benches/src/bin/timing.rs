//! Quick timing of the main paths: `cargo run --release -p ar-benches --bin timing -- 1000000`.
use std::time::Instant;

use ar_core::*;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let t = Instant::now();
    let book = ar_benches::generate(n, 42);
    println!(
        "generate {n}: {:?} ({} commands)",
        t.elapsed(),
        book.commands.len()
    );
    let frames = ar_benches::Frames::from_book(&book);
    let period = Period::new(
        chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap_or_default(),
        book.end,
    )
    .unwrap_or_else(|_| std::process::abort());
    let t = Instant::now();
    let columns = frames.book();
    println!("columns: copy the frames into a Book {:?}", t.elapsed());
    let t = Instant::now();
    let Ok(prepared) = columns.prepare() else {
        std::process::abort()
    };
    println!("columns: prepare {:?}", t.elapsed());
    let t = Instant::now();
    let a = prepared
        .aging(&AgingOptions::new(book.end))
        .map(|a| a.rows.len())
        .unwrap_or(0);
    let m = prepared
        .metrics(&MetricsOptions::new(period))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "columns: aging by customer + DSO + CEI {:?} ({a} rows, {m} metric rows)",
        t.elapsed()
    );
    if std::env::args().any(|a| a == "--columns-only") {
        return;
    }
    let commands = book.commands.clone();
    let t = Instant::now();
    let (ledger, refused) = ar_benches::build_from(commands);
    println!(
        "build: {:?} ({refused} refused, {} events)",
        t.elapsed(),
        ledger.events().len()
    );
    let t = Instant::now();
    let aging = ledger
        .aging(&AgingOptions::new(book.end))
        .unwrap_or_else(|_| std::process::abort());
    println!(
        "aging by customer: {:?} ({} rows)",
        t.elapsed(),
        aging.rows.len()
    );
    let t = Instant::now();
    let aging = ledger
        .aging(&AgingOptions {
            group_by: vec![],
            ..AgingOptions::new(book.end)
        })
        .unwrap_or_else(|_| std::process::abort());
    println!(
        "aging whole book: {:?} total {}",
        t.elapsed(),
        aging.totals.first().map(|r| r.total).unwrap_or_default()
    );
    let period = Period::new(
        chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap_or_default(),
        book.end,
    )
    .unwrap_or_else(|_| std::process::abort());
    let t = Instant::now();
    let m = ledger
        .metrics(&MetricsOptions::new(period))
        .unwrap_or_else(|_| std::process::abort());
    println!(
        "metrics: {:?} dso {:?} cei {:?}",
        t.elapsed(),
        m.first().and_then(|r| r.dso_period_end),
        m.first().and_then(|r| r.cei)
    );
}
