//! Aging, DSO and CEI over a generated book, once the ledger is built.
#![allow(missing_docs)]
use ar_core::*;
use criterion::{criterion_group, criterion_main, Criterion};

fn reports(c: &mut Criterion) {
    let n: usize = std::env::var("AR_BENCH_INVOICES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let book = ar_benches::generate(n, 42);
    let (ledger, _) = ar_benches::build(&book);
    let period = Period::new(
        chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap_or_default(),
        book.end,
    )
    .unwrap_or_else(|_| std::process::abort());
    let mut g = c.benchmark_group(format!("{n} invoices"));
    g.sample_size(10);
    g.bench_function("aging + DSO + CEI", |b| {
        b.iter(|| {
            let a = ledger
                .aging(&AgingOptions::new(book.end))
                .unwrap_or_else(|_| std::process::abort());
            let m = ledger
                .metrics(&MetricsOptions::new(period))
                .unwrap_or_else(|_| std::process::abort());
            (a.rows.len(), m.len())
        })
    });
    g.finish();
}

criterion_group!(benches, reports);
criterion_main!(benches);
