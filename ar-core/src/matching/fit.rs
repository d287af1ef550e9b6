//! How a set of items fits the amount paid: exactly, with a discount, within
//! the tolerance, over or short; and the bounded search for sets that fit.

use rust_decimal::Decimal;

use super::evaluate::Evaluator;
use super::evidence::{reason, Fit};
use super::search::{combinations, Bounds};
use super::types::{ItemKind, Reason, ReasonCode};

impl Evaluator<'_> {
    // ---- fits -------------------------------------------------------------

    /// Discount an invoice item still offers at the receipt date (in window)
    /// and after it (late), as (in window, late).
    pub(super) fn discounts(&self, i: u32) -> (i64, i64) {
        let Some(s) = self.book.slot(i) else {
            return (0, 0);
        };
        let rem = self.book.remaining(i);
        if s.kind != ItemKind::Invoice || s.disc <= 0 || s.disc >= rem {
            return (0, 0);
        }
        match s.until {
            Some(until) if self.receipt.date <= until => (s.disc, 0),
            Some(_) => (0, s.disc),
            None => (0, 0),
        }
    }

    pub(super) fn tolerated(&self, short: i64, net: i64) -> bool {
        let t = &self.options.tolerance;
        if t.fixed.is_none() && t.percent.is_none() {
            return false;
        }
        let s = self.money(short);
        let fixed_ok = t.fixed.is_none_or(|f| s <= f);
        let pct_ok = t.percent.is_none_or(|p| {
            let limit = self.money(net).checked_mul(p);
            let s100 = s.checked_mul(Decimal::ONE_HUNDRED);
            matches!((s100, limit), (Some(a), Some(b)) if a <= b)
        });
        fixed_ok && pct_ok
    }

    /// The largest short pay the tolerance could allow on this amount.
    pub(super) fn tolerance_max(&self) -> i64 {
        let t = &self.options.tolerance;
        let scale = Decimal::from(10i64.pow(self.receipt.currency.minor_units()));
        let mut max: Option<Decimal> = None;
        if let Some(f) = t.fixed {
            max = f.checked_mul(scale).map(|v| v.floor());
        }
        if let Some(p) = t.percent {
            // short <= p% of (amount + short)  <=>  short <= amount p / (100 - p)
            let denom = Decimal::ONE_HUNDRED.checked_sub(p).unwrap_or_default();
            let v = (denom > Decimal::ZERO)
                .then(|| Decimal::from(self.amount).checked_mul(p))
                .flatten()
                .and_then(|x| x.checked_div(denom))
                .map(|v| v.floor());
            max = match (max, v) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        max.and_then(|v| i64::try_from(v.mantissa()).ok().filter(|_| v.scale() == 0))
            .unwrap_or(0)
            .max(0)
    }

    /// How `set` fits the amount; `None` when it does not (and, unless
    /// `partial`, when it is only over or short), and for a set whose
    /// amounts together leave the i64 range, which no receipt settles.
    pub(super) fn fit(&self, set: &[u32], partial: bool) -> Option<Fit> {
        let (mut inv, mut cred, mut din, mut dlate) = (0i64, 0i64, 0i64, 0i64);
        let mut invoices = 0usize;
        let mut smallest = i64::MAX;
        for &i in set {
            let rem = self.book.remaining(i);
            match self.book.slot(i)?.kind {
                ItemKind::Invoice => {
                    inv = inv.checked_add(rem)?;
                    smallest = smallest.min(rem);
                    let (a, b) = self.discounts(i);
                    // A discount is below its item's open amount, and the
                    // open amounts' sum `inv` fits: so do these (exact).
                    din = din.wrapping_add(a);
                    dlate = dlate.wrapping_add(b);
                    invoices = invoices.wrapping_add(1);
                }
                ItemKind::CreditMemo => cred = cred.checked_add(rem)?,
            }
        }
        // Open amounts are at least zero, and so are the sums: from here
        // on every difference is of two values in 0..=i64::MAX (or of a
        // positive net and a discount no larger), so it is exact.
        let net = inv.wrapping_sub(cred);
        if net <= 0 || invoices == 0 {
            return None;
        }
        let a = self.amount;
        if a == net {
            Some(Fit::Exact)
        } else if din > 0 && a == net.wrapping_sub(din) {
            Some(Fit::Discount)
        } else if dlate > 0 && a == net.wrapping_sub(dlate) {
            Some(Fit::LateDiscount)
        } else if din > 0 && dlate > 0 && Some(a) == net.checked_sub(din.checked_add(dlate)?) {
            // Each item's discount judged on its own window.
            Some(Fit::MixedDiscount)
        } else if a < net
            && (invoices == 1 || net.wrapping_sub(a) < smallest)
            && self.tolerated(net.wrapping_sub(a), net)
        {
            // With several invoices, each must get some cash: a "short pay"
            // that writes off a whole invoice is not a short pay.
            Some(Fit::Tolerated(net.wrapping_sub(a)))
        } else if !partial {
            None
        } else if a > net {
            Some(Fit::Over(a.wrapping_sub(net)))
        } else {
            Some(Fit::Short(net.wrapping_sub(a)))
        }
    }

    pub(super) fn fit_reasons(&self, set: &[u32], fit: Fit) -> Vec<Reason> {
        let mut out = Vec::new();
        match fit {
            Fit::Exact => out.push(reason(
                ReasonCode::ExactAmount,
                format!(
                    "{} equals what {} {} open",
                    self.money(self.amount),
                    self.labels(set),
                    if set.len() == 1 {
                        "has"
                    } else {
                        "together have"
                    }
                ),
            )),
            Fit::Discount => {
                let d: i64 = set.iter().map(|&i| self.discounts(i).0).sum();
                out.push(reason(
                    ReasonCode::DiscountInWindow,
                    format!(
                        "early-payment discount of {} taken by {}, within its window",
                        self.money(d),
                        self.receipt.date
                    ),
                ));
            }
            Fit::MixedDiscount => {
                let (din, dlate) = set
                    .iter()
                    .map(|&i| self.discounts(i))
                    .fold((0i64, 0i64), |(a, b), (x, y)| {
                        (a.saturating_add(x), b.saturating_add(y))
                    });
                out.push(reason(
                    ReasonCode::DiscountInWindow,
                    format!(
                        "early-payment discounts of {} taken by {}, within their windows",
                        self.money(din),
                        self.receipt.date
                    ),
                ));
                out.push(reason(
                    ReasonCode::DiscountLate,
                    format!(
                        "discounts of {} taken after their windows: left open as deductions",
                        self.money(dlate)
                    ),
                ));
            }
            Fit::LateDiscount => {
                let d: i64 = set.iter().map(|&i| self.discounts(i).1).sum();
                out.push(reason(
                    ReasonCode::DiscountLate,
                    format!(
                        "discount of {} taken after its window: left open as a deduction",
                        self.money(d)
                    ),
                ));
            }
            Fit::Tolerated(s) => out.push(reason(
                ReasonCode::ShortPayWrittenOff,
                format!(
                    "short by {}, within the tolerance: written off",
                    self.money(s)
                ),
            )),
            Fit::Short(s) => out.push(reason(
                ReasonCode::ShortPayDeduction,
                format!(
                    "short by {}, beyond the tolerance: left open as a deduction",
                    self.money(s)
                ),
            )),
            Fit::Over(x) => out.push(reason(
                ReasonCode::Overpayment,
                format!("{} more than is open: left unapplied", self.money(x)),
            )),
        }
        out
    }

    pub(super) fn sorted_by_age(&self, set: &mut Vec<u32>) {
        set.sort_unstable_by_key(|&i| self.book.slot(i).map_or(u32::MAX, |s| s.rank));
        set.dedup();
    }

    // ---- combination search -----------------------------------------------

    /// How likely a combination of `k` of `n` items summing into a range
    /// `width` wide is to fit by coincidence, as a score: the number of
    /// combinations over the spread of their sums (about `k` times the mean
    /// value `mean`). One in a thousand or less gives 88, in a hundred 86,
    /// in ten 82, more 75.
    pub(super) fn coincidence_score(n: usize, k: usize, width: i64, mean: i64) -> u8 {
        let c = choose(n, k).saturating_mul(u128::try_from(width.max(1)).unwrap_or(1));
        let spread = u128::try_from(mean.max(1))
            .unwrap_or(1)
            .saturating_mul(k.max(1) as u128);
        if c.saturating_mul(1000) <= spread {
            88
        } else if c.saturating_mul(100) <= spread {
            86
        } else if c.saturating_mul(10) <= spread {
            82
        } else {
            75
        }
    }

    /// The largest combination size worth searching: beyond it, some
    /// combination is expected to fit by coincidence.
    fn useful_size(&self, n: usize, width: i64, mean: i64) -> usize {
        // At most `max_combination` (12): the additions are exact.
        let mut k = 1usize;
        while k < self.options.max_combination.min(n) {
            let bigger = k.saturating_add(1);
            let c = choose(n, bigger).saturating_mul(u128::try_from(width.max(1)).unwrap_or(1));
            let spread = u128::try_from(mean.max(1))
                .unwrap_or(1)
                .saturating_mul(bigger as u128);
            if c > spread {
                break;
            }
            k = bigger;
        }
        k
    }

    /// Whether every installment in `set` comes with the earlier open
    /// installments of its invoice: installments are paid in due order.
    /// Only the invoice's items from its first open one up to the
    /// installment are read, so a scan of single items costs no more than
    /// the items themselves.
    pub(super) fn installments_in_order(&self, set: &[u32]) -> bool {
        let b = self.book;
        set.iter().all(|&i| {
            if b.items
                .get(i as usize)
                .is_none_or(|m| m.installment.is_none())
            {
                return true;
            }
            let Some(s) = b.slot(i) else {
                return true;
            };
            b.group(s.group)
                .iter()
                .take_while(|&&j| b.slot(j).is_some_and(|o| o.rank < s.rank))
                .all(|j| !self.open_here(*j) || set.contains(j))
        })
    }

    /// Sets drawn from `pool` (invoices), with `fixed` items always in, that
    /// fit without partial payment: exact first; then with discounts; then
    /// late discounts; then within the tolerance, each only when the one
    /// before found nothing. Each set comes with the score its size earns
    /// against coincidence ([`Self::coincidence_score`]); sizes where
    /// coincidences are expected are not searched. Returns the sets and
    /// whether the search was complete.
    pub(super) fn combos(
        &self,
        pool: &[u32],
        fixed: &[u32],
        min_size: usize,
    ) -> (Vec<(Vec<u32>, Fit, u8)>, bool) {
        // What the fixed items leave for the pool; none when it does not
        // fit i64, as no receipt can settle that.
        let target = self
            .net(fixed)
            .and_then(|fixed_net| self.amount.checked_sub(fixed_net));
        let Some(target) = target else {
            return (Vec::new(), true);
        };
        let rem: Vec<i64> = pool.iter().map(|&i| self.book.remaining(i)).collect();
        let n = rem.len();
        // Summed in i128: exact for fewer than 2^64 values of i64.
        let total = rem
            .iter()
            .fold(0i128, |t, r| t.saturating_add(i128::from(*r)));
        let mean = total
            .checked_div(i128::try_from(n.max(1)).unwrap_or(1))
            .and_then(|m| i64::try_from(m).ok())
            .unwrap_or(i64::MAX);
        let mut complete = true;
        let mut passes: Vec<(Vec<i64>, i64, i64)> = vec![(rem.clone(), target, target)];
        // A discount is below what is open (see `discounts`): the
        // differences are positive and exact.
        let less = |d: &[i64]| {
            rem.iter()
                .zip(d)
                .map(|(r, d)| r.saturating_sub(*d))
                .collect()
        };
        let din: Vec<i64> = pool.iter().map(|&i| self.discounts(i).0).collect();
        if din.iter().any(|d| *d > 0) {
            passes.push((less(&din), target, target));
        }
        let dlate: Vec<i64> = pool.iter().map(|&i| self.discounts(i).1).collect();
        if dlate.iter().any(|d| *d > 0) {
            passes.push((less(&dlate), target, target));
        }
        let tol = self.tolerance_max();
        if tol > 0 {
            if let Some(lo) = target.checked_add(1) {
                // No sum of i64 values goes past i64::MAX: a clamped top is exact.
                passes.push((rem, lo, target.saturating_add(tol)));
            }
        }
        for (values, lo, hi) in passes {
            if lo <= 0 {
                continue;
            }
            // 0 < lo <= hi: the width is at least 1 and fits.
            let width = hi.saturating_sub(lo).saturating_add(1);
            let bounds = Bounds {
                min_size,
                max_size: self.useful_size(n, width, mean).max(min_size),
                max_steps: self.options.max_search_steps,
                // At most 1,000 proposals (`check_options`).
                max_found: self.options.max_proposals.saturating_add(1),
            };
            let found = combinations(&values, lo, hi, bounds);
            complete &= found.complete;
            let mut out = Vec::new();
            for combo in found.combos {
                let k = combo.len();
                let mut set: Vec<u32> =
                    combo.iter().filter_map(|&j| pool.get(j).copied()).collect();
                set.extend_from_slice(fixed);
                self.sorted_by_age(&mut set);
                if !self.installments_in_order(&set) {
                    continue;
                }
                if let Some(fit) = self.fit(&set, false) {
                    out.push((set, fit, Self::coincidence_score(n, k, width, mean)));
                }
            }
            if !out.is_empty() {
                return (out, complete);
            }
        }
        (Vec::new(), complete)
    }
}

/// n choose k, saturating.
fn choose(n: usize, k: usize) -> u128 {
    if k > n {
        return 0;
    }
    let k = k.min(n.saturating_sub(k));
    let mut c: u128 = 1;
    for i in 0..k {
        // i < k <= n: `n - i` and `i + 1` are both at least 1.
        let (up, down) = (n.saturating_sub(i) as u128, i.saturating_add(1) as u128);
        c = c.saturating_mul(up).checked_div(down).unwrap_or(c);
    }
    c
}
