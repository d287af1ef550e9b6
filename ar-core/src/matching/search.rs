//! The bounded combination search: which items sum to the amount paid.
//!
//! Subset-sum is exponential in general, so the search is bounded three
//! ways: by how many items it looks at, how many it puts in one
//! combination, and how many steps it takes. Values are visited largest
//! first, which lets two bounds prune early: a branch stops when even its
//! largest remaining values cannot reach the target, and a value is skipped
//! when it alone overshoots. When a bound stops it, the search says so, and
//! the matcher never treats what it found as the only answer.

/// What a search found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Found {
    /// Combinations, each as indexes into the values, ascending.
    pub combos: Vec<Vec<usize>>,
    /// Every combination within the bounds was visited.
    pub complete: bool,
}

/// Bounds of one search.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    /// Fewest items in a combination.
    pub min_size: usize,
    /// Most items in a combination.
    pub max_size: usize,
    /// Most steps.
    pub max_steps: u32,
    /// Stop after this many combinations (the search is then incomplete).
    pub max_found: usize,
}

struct Dfs<'a> {
    values: &'a [i64],
    order: Vec<usize>,
    /// `prefix[i]` is the sum of the `i` largest values.
    prefix: Vec<i64>,
    lo: i64,
    hi: i64,
    bounds: Bounds,
    steps: u32,
    stack: Vec<usize>,
    found: Found,
    stopped: bool,
}

impl Dfs<'_> {
    fn sorted(&self, i: usize) -> i64 {
        self.order
            .get(i)
            .and_then(|&k| self.values.get(k))
            .copied()
            .unwrap_or(0)
    }

    fn run(&mut self, start: usize, sum: i64) {
        let n = self.order.len();
        let size = self.stack.len();
        let left = self.bounds.max_size.saturating_sub(size);
        for i in start..n {
            if self.steps >= self.bounds.max_steps {
                self.stopped = true;
                return;
            }
            // The hot loop of the search, so plain wrapping operations
            // where the bounds make them exact: steps stay below
            // `max_steps`, positions below `n`, sizes at most `max_size`.
            self.steps = self.steps.wrapping_add(1);
            // The largest sum still reachable from here only shrinks as `i`
            // moves on, so once it falls short nothing later can reach.
            // Prefix sums of positive values rise (saturating at the top):
            // the difference of two is at least zero, and exact.
            let top = self
                .prefix
                .get(i.wrapping_add(left).min(n))
                .copied()
                .unwrap_or(0)
                .wrapping_sub(self.prefix.get(i).copied().unwrap_or(0));
            if sum.saturating_add(top) < self.lo {
                return;
            }
            let v = self.sorted(i);
            let s = sum.saturating_add(v);
            if s > self.hi {
                continue;
            }
            if let Some(&k) = self.order.get(i) {
                self.stack.push(k);
            }
            let bigger = size.wrapping_add(1);
            if s >= self.lo && bigger >= self.bounds.min_size {
                if self.found.combos.len() >= self.bounds.max_found {
                    self.stopped = true;
                    return;
                }
                let mut combo = self.stack.clone();
                combo.sort_unstable();
                self.found.combos.push(combo);
            }
            if bigger < self.bounds.max_size {
                self.run(i.wrapping_add(1), s);
                if self.stopped {
                    return;
                }
            }
            self.stack.pop();
        }
    }
}

/// Combinations of `values` (all greater than zero) whose sum lies in
/// `lo..=hi`, found in at most `bounds.max_steps` steps.
pub(crate) fn combinations(values: &[i64], lo: i64, hi: i64, bounds: Bounds) -> Found {
    let mut order: Vec<usize> = (0..values.len())
        .filter(|&i| values.get(i).is_some_and(|v| *v > 0))
        .collect();
    // Largest first; equal values keep their given (age) order.
    order.sort_by_key(|&i| std::cmp::Reverse(values.get(i).copied().unwrap_or(0)));
    let mut prefix = Vec::with_capacity(order.len().saturating_add(1));
    prefix.push(0i64);
    let mut acc = 0i64;
    for &i in &order {
        acc = acc.saturating_add(values.get(i).copied().unwrap_or(0));
        prefix.push(acc);
    }
    let mut dfs = Dfs {
        values,
        order,
        prefix,
        lo,
        hi,
        bounds,
        steps: 0,
        stack: Vec::new(),
        found: Found::default(),
        stopped: false,
    };
    if bounds.max_size > 0 && lo <= hi {
        dfs.run(0, 0);
    }
    dfs.found.complete = !dfs.stopped;
    dfs.found
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    const B: Bounds = Bounds {
        min_size: 1,
        max_size: 6,
        max_steps: 100_000,
        max_found: 100,
    };

    #[test]
    fn finds_every_combination() {
        // 100.00, 250.00, 50.00 against 300.00: only 250 + 50.
        let f = combinations(&[10000, 25000, 5000], 30000, 30000, B);
        assert_eq!(f.combos, vec![vec![1, 2]]);
        assert!(f.complete);
        // 10, 20, 30, 40 against 50: 10+40 and 20+30 (and no more).
        let mut f = combinations(&[10, 20, 30, 40], 50, 50, B);
        f.combos.sort();
        assert_eq!(f.combos, vec![vec![0, 3], vec![1, 2]]);
        // A range: 95..=100 against 60, 38, 40.
        let mut f = combinations(&[60, 38, 40], 95, 100, B);
        f.combos.sort();
        assert_eq!(f.combos, vec![vec![0, 1], vec![0, 2]]);
    }

    #[test]
    fn bounds_hold_on_hostile_input() {
        // 5,000 equal values: C(5000, 3) combinations fit; the search stops.
        let values = vec![100; 5000];
        let f = combinations(&values, 300, 300, Bounds { max_found: 11, ..B });
        assert_eq!(f.combos.len(), 11);
        assert!(!f.complete);
        // Nothing fits, and there are far too many subsets to try them all.
        let values: Vec<i64> = (1..=40).map(|i| i * 2).collect();
        let f = combinations(
            &values,
            1001,
            1001,
            Bounds {
                max_size: 40,
                max_steps: 5_000,
                ..B
            },
        );
        assert!(f.combos.is_empty());
        assert!(!f.complete);
    }

    #[test]
    fn size_limits() {
        let f = combinations(&[1, 1, 1, 1], 4, 4, Bounds { max_size: 3, ..B });
        assert!(f.combos.is_empty());
        assert!(f.complete);
        let f = combinations(&[4, 2, 2], 4, 4, Bounds { min_size: 2, ..B });
        assert_eq!(f.combos, vec![vec![1, 2]]);
    }
}
