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
    if std::env::args().any(|a| a == "--digest") {
        // A digest of the serialized log, to check a change to the ledger
        // leaves its results as they were.
        let json = ledger.to_json().unwrap_or_default();
        let hash = json.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        println!("log digest {hash:016x} ({} bytes)", json.len());
    }
}
