//! How a set of items fits the amount paid: exactly, with a discount, within
//! the tolerance, over or short; and the bounded search for sets that fit.

use rust_decimal::Decimal;

use super::evaluate::{reason, Evaluator};
use super::search::{combinations, Bounds};
use super::types::{ItemKind, Reason, ReasonCode};

/// How a set of items fits the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fit {
    /// The amount is what the items have open.
    Exact,
    /// The amount is what they have open less discounts still in window.
    Discount,
    /// Less discounts whose window has passed: a deduction stays open.
    LateDiscount,
    /// Short by this much, within the tolerance: written off.
    Tolerated(i64),
    /// Over by this much: left unapplied.
    Over(i64),
    /// Short by this much, beyond the tolerance: left open.
    Short(i64),
}

impl Fit {
    /// Index into the score tables: exact, discount, late, tolerated.
    pub(super) fn tier(self) -> Option<usize> {
        match self {
            Fit::Exact => Some(0),
            Fit::Discount => Some(1),
            Fit::LateDiscount => Some(2),
            Fit::Tolerated(_) => Some(3),
            Fit::Over(_) | Fit::Short(_) => None,
        }
    }
}

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
            let denom = Decimal::ONE_HUNDRED - p;
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

    pub(super) fn fit(&self, set: &[u32], partial: bool) -> Option<Fit> {
        let (mut inv, mut cred, mut din, mut dlate) = (0i64, 0i64, 0i64, 0i64);
        let mut invoices = 0;
        for &i in set {
            let rem = self.book.remaining(i);
            match self.book.slot(i)?.kind {
                ItemKind::Invoice => {
                    inv = inv.checked_add(rem)?;
                    let (a, b) = self.discounts(i);
                    din += a;
                    dlate += b;
                    invoices += 1;
                }
                ItemKind::CreditMemo => cred = cred.checked_add(rem)?,
            }
        }
        let net = inv - cred;
        if net <= 0 || invoices == 0 {
            return None;
        }
        let a = self.amount;
        if a == net {
            Some(Fit::Exact)
        } else if din > 0 && a == net - din {
            Some(Fit::Discount)
        } else if dlate > 0 && a == net - dlate {
            Some(Fit::LateDiscount)
        } else if a < net && self.tolerated(net - a, net) {
            Some(Fit::Tolerated(net - a))
        } else if !partial {
            None
        } else if a > net {
            Some(Fit::Over(a - net))
        } else {
            Some(Fit::Short(net - a))
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
        set.sort_by_key(|&i| self.book.slot(i).map_or(u32::MAX, |s| s.rank));
        set.dedup();
    }

    // ---- combination search -----------------------------------------------

    /// Sets drawn from `pool` (invoices), with `fixed` items always in, that
    /// fit without partial payment: exact first; then with discounts; then
    /// late discounts; then within the tolerance, each only when the one
    /// before found nothing. Returns the sets and whether the search was
    /// complete.
    pub(super) fn combos(
        &self,
        pool: &[u32],
        fixed: &[u32],
        min_size: usize,
    ) -> (Vec<(Vec<u32>, Fit)>, bool) {
        let fixed_net: i64 = fixed
            .iter()
            .map(|&i| match self.book.slot(i).map(|s| s.kind) {
                Some(ItemKind::CreditMemo) => -self.book.remaining(i),
                _ => self.book.remaining(i),
            })
            .sum();
        let target = self.amount - fixed_net;
        let bounds = Bounds {
            min_size,
            max_size: self.options.max_combination,
            max_steps: self.options.max_search_steps,
            max_found: self.options.max_proposals + 1,
        };
        let rem: Vec<i64> = pool.iter().map(|&i| self.book.remaining(i)).collect();
        let mut complete = true;
        let mut passes: Vec<(Vec<i64>, i64, i64)> = vec![(rem.clone(), target, target)];
        let din: Vec<i64> = pool.iter().map(|&i| self.discounts(i).0).collect();
        if din.iter().any(|d| *d > 0) {
            let v = rem.iter().zip(&din).map(|(r, d)| r - d).collect();
            passes.push((v, target, target));
        }
        let dlate: Vec<i64> = pool.iter().map(|&i| self.discounts(i).1).collect();
        if dlate.iter().any(|d| *d > 0) {
            let v = rem.iter().zip(&dlate).map(|(r, d)| r - d).collect();
            passes.push((v, target, target));
        }
        let tol = self.tolerance_max();
        if tol > 0 {
            passes.push((rem, target + 1, target + tol));
        }
        for (values, lo, hi) in passes {
            if lo <= 0 {
                continue;
            }
            let found = combinations(&values, lo, hi, bounds);
            complete &= found.complete;
            let mut out = Vec::new();
            for combo in found.combos {
                let mut set: Vec<u32> =
                    combo.iter().filter_map(|&k| pool.get(k).copied()).collect();
                set.extend_from_slice(fixed);
                self.sorted_by_age(&mut set);
                if let Some(fit) = self.fit(&set, false) {
                    out.push((set, fit));
                }
            }
            if !out.is_empty() {
                return (out, complete);
            }
        }
        (Vec::new(), complete)
    }
}
