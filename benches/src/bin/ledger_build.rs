//! Times (and profiles) building the ledger alone:
//! `perf record target/release/ledger_build 1000000`.
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let book = ar_benches::generate(n, 42);
    // Copying the book's commands is not part of building a ledger.
    let t = Instant::now();
    let commands = book.commands.clone();
    let copy = t.elapsed();
    let t = Instant::now();
    let (ledger, refused) = ar_benches::build_from(commands);
    println!(
        "build {n}: {:?} ({refused} refused, {} events; copying the commands first took {copy:?})",
        t.elapsed(),
        ledger.events().len()
    );
}
