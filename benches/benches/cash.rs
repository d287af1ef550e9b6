//! Cash application over generated receipts: indexing the open items, and
//! matching a batch against them. `AR_BENCH_INVOICES` open invoices
//! (default 100,000); `cash_speed` runs the 1,000,000-item case and the
//! hostile inputs.
#![allow(missing_docs)]
use ar_benches::cash;
use ar_core::matching::{MatchOptions, Matcher};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

fn matching(c: &mut Criterion) {
    let n: usize = std::env::var("AR_BENCH_INVOICES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cash::DEFAULT_INVOICES);
    let book = cash::generate(n, cash::SEED);
    let options = MatchOptions {
        tolerance: book.tolerance,
        ..MatchOptions::default()
    };
    let Ok(indexed) = Matcher::new(book.items.clone(), &book.customers, options.clone()) else {
        std::process::abort()
    };
    let mut g = c.benchmark_group(format!(
        "cash: {} receipts, {} open items",
        book.receipts.len(),
        book.items.len()
    ));
    g.sample_size(10);
    g.bench_function("Matcher::new", |b| {
        b.iter_batched(
            || book.items.clone(),
            |items| Matcher::new(items, &book.customers, options.clone()).is_ok(),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("match_batch", |b| {
        b.iter_batched(
            || indexed.clone(),
            |mut m| m.match_batch(&book.receipts).map(|r| r.matches.len()),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("Matcher::new + match_batch", |b| {
        b.iter_batched(
            || book.items.clone(),
            |items| {
                Matcher::new(items, &book.customers, options.clone())
                    .and_then(|mut m| m.match_batch(&book.receipts))
                    .map(|r| r.matches.len())
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, matching);
criterion_main!(benches);
