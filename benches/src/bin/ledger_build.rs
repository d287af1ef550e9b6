//! Times (and profiles) building the ledger alone:
//! `perf record target/release/ledger_build 1000000`.
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let book = ar_benches::generate(n, 42);
    let t = Instant::now();
    let (ledger, refused) = ar_benches::build(&book);
    println!(
        "build {n}: {:?} ({refused} refused, {} events)",
        t.elapsed(),
        ledger.events().len()
    );
}
