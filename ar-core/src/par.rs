//! Work split over two cores, for the passes over a million rows that the
//! bulk book makes (the target machine has two).

use std::sync::Mutex;

/// Below this many rows work stays on one thread: starting one costs more
/// than it saves.
pub(crate) const PARALLEL_ROWS: usize = 20_000;

/// Runs `a` and `b`: `a` on a second thread unless `small`, or when no
/// thread can be started (then on this one, after `b`). `None` only if
/// `a`'s thread failed.
pub(crate) fn both<A: Send, B>(
    small: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> Option<(A, B)> {
    if small {
        return Some((a(), b()));
    }
    // `a` stays here until its thread takes it, so that it can still run
    // here if the thread is never started.
    let cell = Mutex::new(Some(a));
    let take = |cell: &Mutex<Option<_>>| cell.lock().ok().and_then(|mut f| f.take());
    std::thread::scope(|scope| {
        let job = std::thread::Builder::new().spawn_scoped(scope, || take(&cell).map(|f| f()));
        let rb = b();
        let ra = match job {
            Ok(handle) => handle.join().ok().flatten(),
            Err(_) => take(&cell).map(|f| f()),
        };
        ra.map(|ra| (ra, rb))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
    use super::*;

    #[test]
    fn both_runs_both_in_either_mode() {
        for small in [true, false] {
            let v: Vec<u64> = (1..=1000).collect();
            let (front, back) = v.split_at(500);
            let (a, b) = both(
                small,
                || front.iter().sum::<u64>(),
                || back.iter().sum::<u64>(),
            )
            .unwrap();
            // 1 + ... + 500 = 125,250; 501 + ... + 1000 = 375,250.
            assert_eq!((a, b), (125_250, 375_250));
        }
    }
}
