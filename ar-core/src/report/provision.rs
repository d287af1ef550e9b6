//! Bad-debt provisions: the aging-method allowance, the IFRS 9
//! simplified-approach provision matrix, and loss rates derived from
//! historical roll rates. Rates are in percent; everything keeps full
//! precision until the final amount, which is rounded once.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::limits::{check_count, MAX_BUCKETS, MAX_PERIODS};
use crate::money::RoundingPolicy;

/// Buckets of an aging: one more than its bounds.
const MAX_BUCKET_COUNT: usize = MAX_BUCKETS.saturating_add(1);

/// One bucket's share of a provision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProvisionLine {
    /// Bucket label.
    pub bucket: String,
    /// Open amount in the bucket.
    #[serde(with = "crate::serde_decimal")]
    pub exposure: Decimal,
    /// Loss rate in percent.
    #[serde(with = "crate::serde_decimal")]
    pub rate: Decimal,
    /// `exposure x rate / 100`, unrounded.
    #[serde(with = "crate::serde_decimal")]
    pub provision: Decimal,
}

/// A provision over an aging: per bucket, and the total rounded once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Provision {
    /// Currency.
    pub currency: Currency,
    /// Per bucket.
    pub lines: Vec<ProvisionLine>,
    /// Total exposure.
    #[serde(with = "crate::serde_decimal")]
    pub exposure: Decimal,
    /// Sum of the unrounded line provisions, rounded once by the policy.
    #[serde(with = "crate::serde_decimal")]
    pub total: Decimal,
}

/// Applies a loss rate per bucket to bucket exposures: the aging-method
/// allowance and the IFRS 9 provision matrix are both this computation;
/// they differ in where the rates come from.
///
/// # Example
/// ```
/// use ar_core::{provision::provision, Currency, RoundingPolicy};
/// use rust_decimal::Decimal;
/// let d = |s: &str| Decimal::from_str_exact(s).unwrap();
/// let p = provision(&["current".into(), "1-30".into()], &[d("1000.00"), d("500.00")], &[d("1"), d("5")],
///                   Currency::new("USD").unwrap(), RoundingPolicy::default()).unwrap();
/// assert_eq!(p.total, d("35.00")); // 10.00 + 25.00
/// ```
///
/// # Errors
/// [`Error::InvalidValue`] when the lists differ in length or a rate is
/// outside 0 to 100; [`Error::Overflow`] beyond the decimal range;
/// [`Error::LimitExceeded`] for more than [`MAX_BUCKETS`]` + 1` buckets.
pub fn provision(
    labels: &[String],
    exposures: &[Decimal],
    rates: &[Decimal],
    currency: Currency,
    policy: RoundingPolicy,
) -> Result<Provision> {
    check_count("rates", rates.len(), MAX_BUCKET_COUNT)?;
    if exposures.len() != rates.len() || labels.len() != rates.len() {
        return Err(Error::invalid_value(
            "rates",
            rates.len(),
            &format!(
                "one rate per bucket is required ({} buckets)",
                exposures.len()
            ),
        ));
    }
    if let Some(r) = rates
        .iter()
        .find(|r| r.is_sign_negative() || **r > Decimal::ONE_HUNDRED)
    {
        return Err(Error::invalid_value("rates", r, "must be from 0 to 100"));
    }
    let overflow = || Error::overflow("exposures");
    let minor = currency.minor_units();
    let lines: Vec<ProvisionLine> = labels
        .iter()
        .zip(exposures)
        .zip(rates)
        .map(|((bucket, exposure), rate)| {
            let product = exposure.checked_mul(*rate).ok_or_else(overflow)?;
            // A product too large for its decimals keeps fewer of them; one
            // that kept none of the minor unit would round to a wrong total.
            // (Zero has no decimals to keep.)
            let full = exposure.scale().saturating_add(rate.scale());
            if !product.is_zero() && product.scale() < full.min(minor) {
                return Err(overflow());
            }
            Ok(ProvisionLine {
                bucket: bucket.clone(),
                exposure: *exposure,
                rate: *rate,
                provision: product
                    .checked_div(Decimal::ONE_HUNDRED)
                    .ok_or_else(overflow)?,
            })
        })
        .collect::<Result<_>>()?;
    let exact = lines
        .iter()
        .try_fold(Decimal::ZERO, |acc, l| acc.checked_add(l.provision))
        .ok_or_else(overflow)?;
    let mut exposure = exposures
        .iter()
        .try_fold(Decimal::ZERO, |acc, e| acc.checked_add(*e))
        .ok_or_else(overflow)?;
    exposure.rescale(currency.minor_units());
    Ok(Provision {
        currency,
        lines,
        exposure,
        total: policy.round_to(exact, currency),
    })
}

/// The journal entry that brings the allowance for doubtful accounts to
/// what is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AllowanceAdjustment {
    /// Allowance required (from [`provision`]).
    #[serde(with = "crate::serde_decimal")]
    pub required: Decimal,
    /// Balance on the books before the entry: positive for the usual credit
    /// balance, negative for a debit balance (write-offs exceeded it).
    #[serde(with = "crate::serde_decimal")]
    pub existing: Decimal,
    /// `required - existing`. Positive: debit bad-debt expense, credit the
    /// allowance. Negative: debit the allowance, credit bad-debt expense
    /// (a release).
    #[serde(with = "crate::serde_decimal")]
    pub adjustment: Decimal,
}

/// The adjusting entry for an allowance (aging method).
///
/// # Errors
/// [`Error::Overflow`] beyond the decimal range.
///
/// # Example
/// ```
/// use ar_core::provision::allowance_adjustment;
/// use rust_decimal::Decimal;
/// // 5,000 required; the allowance has a 1,200 debit balance: expense 6,200.
/// let a = allowance_adjustment(Decimal::from(5000), Decimal::from(-1200)).unwrap();
/// assert_eq!(a.adjustment, Decimal::from(6200));
/// ```
pub fn allowance_adjustment(required: Decimal, existing: Decimal) -> Result<AllowanceAdjustment> {
    let adjustment = required
        .checked_sub(existing)
        .ok_or_else(|| Error::overflow("existing"))?;
    Ok(AllowanceAdjustment {
        required,
        existing,
        adjustment,
    })
}

/// Roll rates from a history of bucket balances at consecutive period ends
/// (oldest first; each entry one balance per bucket): for each bucket but
/// the last, the share of its balance that is found one bucket older one
/// period later, pooled over the history:
/// `sum_t B[i+1](t+1) / sum_t B[i](t)`, capped at 100 %.
///
/// Meaningful when a period is as long as a bucket (30-day buckets, monthly
/// history). `None` for a bucket that never held a balance.
///
/// # Errors
/// [`Error::InvalidValue`] for fewer than two periods or rows of unequal
/// length; [`Error::LimitExceeded`] for more than [`MAX_PERIODS`] periods or
/// [`MAX_BUCKETS`]` + 1` buckets; [`Error::Overflow`] beyond the decimal
/// range.
pub fn roll_rates(history: &[Vec<Decimal>]) -> Result<Vec<Option<Decimal>>> {
    check_count("history", history.len(), MAX_PERIODS)?;
    let Some(first) = history.first() else {
        return Err(Error::invalid_value(
            "history",
            "[]",
            "at least two period ends are required",
        ));
    };
    let n = first.len();
    check_count("history[0]", n, MAX_BUCKET_COUNT)?;
    if history.len() < 2 {
        return Err(Error::invalid_value(
            "history",
            history.len(),
            "at least two period ends are required",
        ));
    }
    if history.iter().any(|h| h.len() != n) {
        return Err(Error::invalid_value(
            "history",
            "rows",
            "every period needs one balance per bucket",
        ));
    }
    let overflow = || Error::overflow("history");
    let mut out = Vec::with_capacity(n.saturating_sub(1));
    // Each bucket with the next older one.
    for (i, older) in (0..n).zip(1..n) {
        let mut from = Decimal::ZERO;
        let mut to = Decimal::ZERO;
        for pair in history.windows(2) {
            if let [a, b] = pair {
                from = from
                    .checked_add(a.get(i).copied().unwrap_or_default())
                    .ok_or_else(overflow)?;
                to = to
                    .checked_add(b.get(older).copied().unwrap_or_default())
                    .ok_or_else(overflow)?;
            }
        }
        out.push(if from <= Decimal::ZERO {
            None
        } else if to >= from {
            // Capped at 100 %, whatever the quotient (which may not fit).
            Some(Decimal::ONE_HUNDRED)
        } else {
            // to / from x 100; below 1 x 100 unless `to` is negative.
            Some(
                to.checked_div(from)
                    .and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED))
                    .ok_or_else(overflow)?,
            )
        });
    }
    Ok(out)
}

/// Loss rates (percent) per bucket from roll rates (percent): the chance a
/// balance in bucket `i` rolls all the way to the last bucket, times
/// `final_loss` (percent of the last bucket that is never collected):
/// `loss[i] = roll[i] x roll[i+1] x ... x final_loss`. A bucket whose chain
/// contains an unknown roll rate has no loss rate (`None`).
///
/// # Errors
/// [`Error::InvalidValue`] for a rate outside 0 to 100;
/// [`Error::LimitExceeded`] for more than [`MAX_BUCKETS`] roll rates.
///
/// # Example
/// ```
/// use ar_core::provision::loss_rates;
/// use rust_decimal::Decimal;
/// let d = |s: &str| Decimal::from_str_exact(s).unwrap();
/// // 10 % of current rolls to 1-30, 50 % of that to over 30, of which 80 % is lost.
/// let r = loss_rates(&[Some(d("10")), Some(d("50"))], d("80")).unwrap();
/// assert_eq!(r, vec![Some(d("4")), Some(d("40")), Some(d("80"))]);
/// ```
pub fn loss_rates(roll: &[Option<Decimal>], final_loss: Decimal) -> Result<Vec<Option<Decimal>>> {
    let pct = |field: &str, r: Decimal| -> Result<()> {
        if r.is_sign_negative() && !r.is_zero() || r > Decimal::ONE_HUNDRED {
            return Err(Error::invalid_value(field, r, "must be from 0 to 100"));
        }
        Ok(())
    };
    check_count("roll", roll.len(), MAX_BUCKETS)?;
    pct("final_loss", final_loss)?;
    for (i, r) in roll.iter().enumerate() {
        if let Some(r) = r {
            pct(&format!("roll[{i}]"), *r)?;
        }
    }
    let mut out = vec![Some(final_loss)];
    let mut acc = Some(final_loss);
    for r in roll.iter().rev() {
        acc = match (acc, r) {
            (Some(a), Some(r)) => a
                .checked_mul(*r)
                .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED)),
            _ => None,
        };
        out.push(acc);
    }
    out.reverse();
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }
    fn labels(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("b{i}")).collect()
    }

    #[test]
    fn matrix_rounds_once_not_per_rate() {
        // Loss rates derived from roll rates carry many decimals:
        // current 0.4567 %, 1-30 2.3456 %, over 30 12.3456 %.
        // Exposures 123,456.78 / 23,456.78 / 3,456.78.
        let exposures = [d("123456.78"), d("23456.78"), d("3456.78")];
        let rates = [d("0.4567"), d("2.3456"), d("12.3456")];
        let usd = Currency::new("USD").unwrap();
        let p = provision(
            &labels(3),
            &exposures,
            &rates,
            usd,
            RoundingPolicy::default(),
        )
        .unwrap();
        // 123456.78 x 0.004567 = 563.827114...; 23456.78 x 0.023456 = 550.202231...;
        // 3456.78 x 0.123456 = 426.760231...; sum 1540.789577 -> 1540.79.
        assert_eq!(p.lines[0].provision, d("563.82711426"));
        assert_eq!(p.total, d("1540.79"));
        // Rounding the rates to two decimals first (0.46 / 2.35 / 12.35) would give
        // 567.901188 + 551.234330 + 426.912330 = 1546.047848 -> 1546.05: off by 5.26.
        let rounded = [d("0.46"), d("2.35"), d("12.35")];
        let q = provision(
            &labels(3),
            &exposures,
            &rounded,
            usd,
            RoundingPolicy::default(),
        )
        .unwrap();
        assert_eq!(q.total, d("1546.05"));
        // Rounding each line first would give 563.83 + 550.20 + 426.76 = 1540.79 here,
        // but on these it differs by a cent:
        let e2 = [d("0.05"), d("0.05"), d("0.05")];
        let r2 = [d("10"), d("10"), d("10")];
        // exact 0.005 x 3 = 0.015 -> 0.02; per line 0.01 x 3 = 0.03.
        assert_eq!(
            provision(&labels(3), &e2, &r2, usd, RoundingPolicy::default())
                .unwrap()
                .total,
            d("0.02")
        );
    }

    #[test]
    fn adjusting_entry_with_credit_and_debit_balances() {
        // Required 4,350.00. A credit balance of 3,000.00 needs 1,350.00 more.
        assert_eq!(
            allowance_adjustment(d("4350.00"), d("3000.00"))
                .unwrap()
                .adjustment,
            d("1350.00")
        );
        // A debit balance of 700.00 (write-offs exceeded it) needs 5,050.00.
        assert_eq!(
            allowance_adjustment(d("4350.00"), d("-700.00"))
                .unwrap()
                .adjustment,
            d("5050.00")
        );
        // Over-provided: a 5,000.00 credit balance releases 650.00.
        assert_eq!(
            allowance_adjustment(d("4350.00"), d("5000.00"))
                .unwrap()
                .adjustment,
            d("-650.00")
        );
    }

    #[test]
    fn roll_rates_from_history() {
        // Three month ends of (current, 1-30, 31-60, over 60).
        let h = vec![
            vec![d("1000"), d("200"), d("50"), d("10")],
            vec![d("1100"), d("150"), d("60"), d("20")],
            vec![d("900"), d("220"), d("45"), d("30")],
        ];
        // current -> 1-30: (150 + 220) / (1000 + 1100) = 17.619..%
        // 1-30 -> 31-60: (60 + 45) / (200 + 150) = 30 %
        // 31-60 -> over 60: (20 + 30) / (50 + 60) = 45.45..%
        let r = roll_rates(&h).unwrap();
        assert_eq!(r[0].unwrap().round_dp(3), d("17.619"));
        assert_eq!(r[1], Some(d("30")));
        assert_eq!(r[2].unwrap().round_dp(3), d("45.455"));
        let l = loss_rates(&r, d("100")).unwrap();
        assert_eq!(
            loss_rates(&r, d("101")).unwrap_err().code(),
            "invalid_value"
        );
        assert_eq!(
            loss_rates(&[Some(d("-1"))], d("100")).unwrap_err().code(),
            "invalid_value"
        );
        // 1-30: 30 % x 45.45..% = 13.636..%
        assert_eq!(l[1].unwrap().round_dp(3), d("13.636"));
        assert_eq!(l[3], Some(d("100")));
        assert!(roll_rates(&h[..1]).is_err());
        assert_eq!(
            roll_rates(&[vec![d("0"), d("1")], vec![d("0"), d("1")]]).unwrap(),
            vec![None]
        );
    }
}
