//! Profiles `bulk::Book::prepare` alone: `perf record target/release/prepare 1000000`.
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let frames = ar_benches::Frames::from_book(&ar_benches::generate(n, 42));
    for _ in 0..3 {
        let book = frames.book();
        let t = Instant::now();
        let ok = book.prepare().is_ok();
        println!("prepare {n}: {:?} ({ok})", t.elapsed());
    }
}
