//! Profiles `bulk::Book::prepare` alone: `perf record target/release/prepare 1000000`.
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let frames = ar_benches::Frames::from_book(&ar_benches::generate(n, 42));
    // A second argument repeats it more, for a profile dominated by it.
    let times: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    for _ in 0..times {
        let book = frames.book();
        let t = Instant::now();
        let ok = book.prepare().is_ok();
        println!("prepare {n}: {:?} ({ok})", t.elapsed());
    }
}
