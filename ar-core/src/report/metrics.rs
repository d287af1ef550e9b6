//! Receivables metrics from plain numbers. Each function states its formula;
//! a zero or negative denominator gives `None`, never NaN, infinity or a
//! panic, and so does a result beyond the 96-bit decimal range (inputs of
//! around 10^28). Results keep full decimal precision: round them for
//! display.
//!
//! Day counts are actual calendar days. "AR" means open invoice amounts
//! (gross receivables); open credits and unapplied cash are not netted in.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::limits::{check_count, MAX_PERIODS};

fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_mul(b)
}

fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
}

fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_sub(b)
}

/// `num / den`, normalized (no trailing zeros, so `68.5` not `68.50`);
/// `None` for a zero or negative denominator or a quotient out of range.
fn ratio(num: Decimal, den: Decimal) -> Option<Decimal> {
    if den <= Decimal::ZERO {
        return None;
    }
    num.checked_div(den).map(|q| q.normalize())
}

/// A period of whole days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
}

impl Period {
    /// A period from `start` to `end`, both included.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `end` is before `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self> {
        if end < start {
            return Err(Error::invalid_value(
                "period.end",
                end,
                "must not be before period.start",
            ));
        }
        Ok(Period { start, end })
    }

    /// The calendar month containing `date`.
    pub fn month_of(date: NaiveDate) -> Self {
        let start = date.with_day(1).unwrap_or(date);
        let end = crate::terms::end_of_month(date).unwrap_or(date);
        Period { start, end }
    }

    /// Number of days, both ends included.
    pub fn days(&self) -> u32 {
        // Dates span fewer than 2^28 days: the count is exact in i64.
        let span = self.end.signed_duration_since(self.start).num_days();
        u32::try_from(span.saturating_add(1)).unwrap_or(0)
    }

    /// Whether `date` falls in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// Period-end DSO: `ar_end / credit_sales x days`.
///
/// # Example
/// ```
/// use ar_core::metrics::dso_period_end;
/// use rust_decimal::Decimal;
/// // 300,000 open at quarter end, 900,000 credit sales over 90 days: 30 days.
/// let dso = dso_period_end(Decimal::from(300_000), Decimal::from(900_000), 90);
/// assert_eq!(dso, Some(Decimal::from(30)));
/// assert_eq!(dso_period_end(Decimal::ONE, Decimal::ZERO, 90), None);
/// ```
pub fn dso_period_end(ar_end: Decimal, credit_sales: Decimal, days: u32) -> Option<Decimal> {
    ratio(mul(ar_end, Decimal::from(days))?, credit_sales)
}

/// Average-AR DSO: `(ar_begin + ar_end) / 2 / credit_sales x days`.
pub fn dso_average(
    ar_begin: Decimal,
    ar_end: Decimal,
    credit_sales: Decimal,
    days: u32,
) -> Option<Decimal> {
    ratio(
        mul(add(ar_begin, ar_end)?, Decimal::from(days))?,
        mul(credit_sales, Decimal::TWO)?,
    )
}

/// Countback DSO: walk back from the period end through periods (most
/// recent first, each `(credit_sales, days)`), consuming `ar_end` with each
/// period's sales; a period whose sales cover what is left adds the
/// matching fraction of its days.
///
/// `None` when `ar_end` is more than all the sales given (the look-back is
/// too short to explain the balance), when a needed period has no sales
/// (zero or negative: receivables that no sales of the period explain),
/// or beyond the decimal range. A period after the one that covers the
/// balance is never read.
///
/// # Example
/// ```
/// use ar_core::metrics::dso_countback;
/// use rust_decimal::Decimal;
/// // AR 150; March (31 days) sold 100, February (28 days) sold 100:
/// // March explains 100 in 31 days, then 50 / 100 of February's 28 days.
/// let d = dso_countback(Decimal::from(150), &[(Decimal::from(100), 31), (Decimal::from(100), 28)])?;
/// assert_eq!(d, Some(Decimal::from(45)));
/// # Ok::<(), ar_core::Error>(())
/// ```
///
/// # Errors
/// [`Error::LimitExceeded`] for more than [`MAX_PERIODS`] periods.
pub fn dso_countback(ar_end: Decimal, periods: &[(Decimal, u32)]) -> Result<Option<Decimal>> {
    check_count("periods", periods.len(), MAX_PERIODS)?;
    Ok(countback(ar_end, periods))
}

fn countback(ar_end: Decimal, periods: &[(Decimal, u32)]) -> Option<Decimal> {
    if ar_end <= Decimal::ZERO {
        return Some(Decimal::ZERO);
    }
    let mut left = ar_end;
    let mut days = Decimal::ZERO;
    for (sales, period_days) in periods {
        if *sales <= Decimal::ZERO {
            return None;
        }
        let pd = Decimal::from(*period_days);
        if left > *sales {
            left = sub(left, *sales)?;
            days = add(days, pd)?;
        } else {
            return Some(add(days, ratio(mul(left, pd)?, *sales)?)?.normalize());
        }
    }
    None
}

/// Best possible DSO: `current_ar / credit_sales x days`, where current AR
/// is what is not yet past due.
pub fn best_possible_dso(current_ar: Decimal, credit_sales: Decimal, days: u32) -> Option<Decimal> {
    ratio(mul(current_ar, Decimal::from(days))?, credit_sales)
}

/// Average days delinquent: `dso - best_possible_dso`.
pub fn average_days_delinquent(dso: Decimal, best_possible: Decimal) -> Decimal {
    // Both are day counts well inside the decimal range; saturate rather than panic.
    dso.saturating_sub(best_possible).normalize()
}

/// Which credit sales CEI uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(tag = "variant", rename_all = "snake_case")]
pub enum CeiVariant {
    /// The period's credit sales in full.
    #[default]
    PeriodSales,
    /// The period's credit sales divided by its number of months, as some
    /// sources define it for multi-month periods.
    MonthlyAverage {
        /// Months in the period; 0 makes the index undefined (`None`).
        months: u32,
    },
}

/// Collection effectiveness index, in percent:
/// `(begin + sales - end_total) / (begin + sales - end_current) x 100`,
/// with `sales` as the variant says.
///
/// # Example
/// ```
/// use ar_core::metrics::{cei, CeiVariant};
/// use rust_decimal::Decimal;
/// let d = |n: i64| Decimal::from(n);
/// // begin 100, sales 300, end 120 of which 80 current:
/// // (100 + 300 - 120) / (100 + 300 - 80) = 280 / 320 = 87.5 %.
/// assert_eq!(cei(d(100), d(300), d(120), d(80), CeiVariant::PeriodSales), Some(Decimal::new(875, 1)));
/// ```
pub fn cei(
    begin_ar: Decimal,
    credit_sales: Decimal,
    end_total_ar: Decimal,
    end_current_ar: Decimal,
    variant: CeiVariant,
) -> Option<Decimal> {
    let sales = match variant {
        CeiVariant::PeriodSales => credit_sales,
        CeiVariant::MonthlyAverage { months } => ratio(credit_sales, Decimal::from(months))?,
    };
    let base = add(begin_ar, sales)?;
    ratio(
        mul(sub(base, end_total_ar)?, Decimal::ONE_HUNDRED)?,
        sub(base, end_current_ar)?,
    )
}

/// AR turnover: `credit_sales / ((ar_begin + ar_end) / 2)`.
pub fn ar_turnover(credit_sales: Decimal, ar_begin: Decimal, ar_end: Decimal) -> Option<Decimal> {
    ratio(mul(credit_sales, Decimal::TWO)?, add(ar_begin, ar_end)?)
}

/// Percent of AR not yet past due: `current / total x 100`.
pub fn percent_current(current_ar: Decimal, total_ar: Decimal) -> Option<Decimal> {
    ratio(mul(current_ar, Decimal::ONE_HUNDRED)?, total_ar)
}

/// Percent of AR past due: `(total - current) / total x 100`.
pub fn percent_past_due(current_ar: Decimal, total_ar: Decimal) -> Option<Decimal> {
    ratio(
        mul(sub(total_ar, current_ar)?, Decimal::ONE_HUNDRED)?,
        total_ar,
    )
}

/// One payment of one invoice (or installment), for payment-timing metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// Invoice date.
    pub invoice_date: NaiveDate,
    /// Due date of what was paid.
    pub due_date: NaiveDate,
    /// Date paid.
    pub paid_date: NaiveDate,
    /// Amount paid.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
}

/// Days to pay and days beyond terms, plain and amount-weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaymentTiming {
    /// Number of payments.
    pub payments: u64,
    /// Mean of `paid_date - invoice_date` over payments.
    #[serde(with = "crate::serde_decimal::option")]
    pub average_days_to_pay: Option<Decimal>,
    /// `sum(amount x days_to_pay) / sum(amount)`.
    #[serde(with = "crate::serde_decimal::option")]
    pub weighted_days_to_pay: Option<Decimal>,
    /// Mean of `paid_date - due_date` (negative when paid early).
    #[serde(with = "crate::serde_decimal::option")]
    pub average_days_beyond_terms: Option<Decimal>,
    /// `sum(amount x days_beyond_terms) / sum(amount)`.
    #[serde(with = "crate::serde_decimal::option")]
    pub weighted_days_beyond_terms: Option<Decimal>,
}

/// Accumulates payment timing in integers: days and minor units.
///
/// Amounts come from the column engine, whose amounts have magnitudes that
/// sum to at most `MAX_MAGNITUDE` (under 2^96), and days are differences of
/// dates (under 2^28 in magnitude): every sum, weighted ones included, is
/// under 2^124, inside i128, so the sums wrap (exact) rather than check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TimingAcc {
    pub n: u64,
    pub sum_pay: i64,
    pub sum_late: i64,
    pub w_pay: i128,
    pub w_late: i128,
    pub amount: i128,
}

impl TimingAcc {
    /// Adds one payment of `amount` minor units, `to_pay` days after the
    /// invoice date and `late` days after the due date.
    #[inline]
    pub fn add(&mut self, to_pay: i64, late: i64, amount: i128) {
        self.n = self.n.saturating_add(1);
        // Fewer than 2^32 payments of under 2^28 days each: exact in i64.
        self.sum_pay = self.sum_pay.wrapping_add(to_pay);
        self.sum_late = self.sum_late.wrapping_add(late);
        // Within the bound of the type's doc: exact.
        self.w_pay = self
            .w_pay
            .wrapping_add(amount.wrapping_mul(i128::from(to_pay)));
        self.w_late = self
            .w_late
            .wrapping_add(amount.wrapping_mul(i128::from(late)));
        self.amount = self.amount.wrapping_add(amount);
    }

    /// The averages (minor units cancel out in the weighted ones).
    pub fn finish(&self, currency: crate::Currency) -> PaymentTiming {
        let count = Decimal::from(self.n);
        let scale = currency.minor_units();
        PaymentTiming {
            payments: self.n,
            average_days_to_pay: ratio(Decimal::from(self.sum_pay), count),
            weighted_days_to_pay: weighted(self.w_pay, self.amount, scale),
            average_days_beyond_terms: ratio(Decimal::from(self.sum_late), count),
            weighted_days_beyond_terms: weighted(self.w_late, self.amount, scale),
        }
    }
}

/// Payment timing summed over several currencies, each payment's amount
/// converted at its currency's rate: the weighted sums are linear in the
/// amounts, so a currency's sums convert as wholes, exactly (no rounding:
/// they only ever become a ratio). A sum beyond a `Decimal` leaves the
/// weighted averages `None`, as elsewhere in these formulas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ConvertedTiming {
    n: u64,
    sum_pay: i128,
    sum_late: i128,
    w_pay: Option<Decimal>,
    w_late: Option<Decimal>,
    amount: Option<Decimal>,
}

impl Default for ConvertedTiming {
    fn default() -> Self {
        ConvertedTiming {
            n: 0,
            sum_pay: 0,
            sum_late: 0,
            w_pay: Some(Decimal::ZERO),
            w_late: Some(Decimal::ZERO),
            amount: Some(Decimal::ZERO),
        }
    }
}

impl ConvertedTiming {
    /// Adds `acc`, whose amounts are minor units at `scale`, at `rate`.
    pub fn add(&mut self, acc: &TimingAcc, scale: u32, rate: Decimal) {
        let conv = |v: i128| {
            Decimal::try_from_i128_with_scale(v, scale)
                .ok()
                .and_then(|d| d.checked_mul(rate))
        };
        let sum = |total: Option<Decimal>, v: i128| total?.checked_add(conv(v)?);
        self.n = self.n.saturating_add(acc.n);
        // Under 2^32 payments of under 2^28 days: exact in i128.
        self.sum_pay = self.sum_pay.saturating_add(i128::from(acc.sum_pay));
        self.sum_late = self.sum_late.saturating_add(i128::from(acc.sum_late));
        self.w_pay = sum(self.w_pay, acc.w_pay);
        self.w_late = sum(self.w_late, acc.w_late);
        self.amount = sum(self.amount, acc.amount);
    }

    /// The averages, as [`TimingAcc::finish`] gives them.
    pub fn finish(&self) -> PaymentTiming {
        let count = Decimal::from(self.n);
        let days = |v: i128| Decimal::try_from_i128_with_scale(v, 0).ok();
        let weighted = |w: Option<Decimal>| w.zip(self.amount).and_then(|(w, a)| ratio(w, a));
        PaymentTiming {
            payments: self.n,
            average_days_to_pay: days(self.sum_pay).and_then(|s| ratio(s, count)),
            weighted_days_to_pay: weighted(self.w_pay),
            average_days_beyond_terms: days(self.sum_late).and_then(|s| ratio(s, count)),
            weighted_days_beyond_terms: weighted(self.w_late),
        }
    }
}

/// `sum / amount` (both in minor units at `scale`), `None` for a zero or
/// negative amount. An amount-weighted sum of days can outgrow a `Decimal`
/// while the amounts do not: it is then divided in integers first, the
/// whole days exact and the remainder divided as decimals.
fn weighted(sum: i128, amount: i128, scale: u32) -> Option<Decimal> {
    let dec = |v: i128| Decimal::try_from_i128_with_scale(v, scale).ok();
    match (dec(sum), dec(amount)) {
        (Some(s), Some(a)) => ratio(s, a),
        _ if amount <= 0 => None,
        _ => {
            let whole = Decimal::try_from_i128_with_scale(sum.checked_div(amount)?, 0).ok()?;
            let rest = ratio(
                Decimal::try_from_i128_with_scale(sum.checked_rem(amount)?, 0).ok()?,
                Decimal::try_from_i128_with_scale(amount, 0).ok()?,
            )?;
            whole.checked_add(rest).map(|w| w.normalize())
        }
    }
}

/// Payment timing over `payments`. With no payments (or a zero total) the
/// averages are `None`.
///
/// # Example
/// ```
/// use ar_core::metrics::{payment_timing, Payment};
/// use rust_decimal::Decimal;
/// let day = |s: &str| s.parse().unwrap();
/// let p = |inv, paid, amount| Payment { invoice_date: day(inv), due_date: day(inv), paid_date: day(paid), amount: Decimal::from(amount) };
/// // 100 paid after 10 days, 300 after 30 days: plain mean 20, weighted (1,000 + 9,000) / 400 = 25.
/// let t = payment_timing(&[p("2026-01-01", "2026-01-11", 100), p("2026-01-01", "2026-01-31", 300)]);
/// assert_eq!(t.average_days_to_pay, Some(Decimal::from(20)));
/// assert_eq!(t.weighted_days_to_pay, Some(Decimal::from(25)));
/// ```
pub fn payment_timing(payments: &[Payment]) -> PaymentTiming {
    let mut n = 0u64;
    let (mut sum_pay, mut sum_late) = (Some(Decimal::ZERO), Some(Decimal::ZERO));
    let (mut w_pay, mut w_late, mut amount) = (
        Some(Decimal::ZERO),
        Some(Decimal::ZERO),
        Some(Decimal::ZERO),
    );
    for p in payments {
        let days =
            |from: NaiveDate| Decimal::from(p.paid_date.signed_duration_since(from).num_days());
        let (to_pay, late) = (days(p.invoice_date), days(p.due_date));
        n = n.saturating_add(1);
        sum_pay = sum_pay.and_then(|s| add(s, to_pay));
        sum_late = sum_late.and_then(|s| add(s, late));
        w_pay = w_pay.and_then(|w| add(w, mul(p.amount, to_pay)?));
        w_late = w_late.and_then(|w| add(w, mul(p.amount, late)?));
        amount = amount.and_then(|a| add(a, p.amount));
    }
    let count = Decimal::from(n);
    let weighted = |w: Option<Decimal>| w.zip(amount).and_then(|(w, a)| ratio(w, a));
    PaymentTiming {
        payments: n,
        average_days_to_pay: sum_pay.and_then(|s| ratio(s, count)),
        weighted_days_to_pay: weighted(w_pay),
        average_days_beyond_terms: sum_late.and_then(|s| ratio(s, count)),
        weighted_days_beyond_terms: weighted(w_late),
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn weighted_days_beyond_a_decimal_are_still_exact() {
        // 4 x 10^28 cents paid 400 days after the invoice and 370 after the
        // due date, and 2 x 10^28 cents paid at 100 and 70: the weighted sums
        // (2.2 x 10^31 and 1.62 x 10^31) do not fit a Decimal, the averages
        // do: (4 x 400 + 2 x 100) / 6 = 300; (4 x 370 + 2 x 70) / 6 = 270.
        let mut acc = TimingAcc::default();
        acc.add(400, 370, 40_000_000_000_000_000_000_000_000_000);
        acc.add(100, 70, 20_000_000_000_000_000_000_000_000_000);
        let t = acc.finish(crate::Currency::new("USD").unwrap());
        assert_eq!(t.weighted_days_to_pay, Some(d("300")));
        assert_eq!(t.weighted_days_beyond_terms, Some(d("270")));
        // Fractions of a day: (2 x 5 + 4 x 0) / 6 = 1 2/3; (2 x -1 + 4 x -2) / 6
        // = -1 2/3, the remainder divided as decimals.
        let mut acc = TimingAcc::default();
        acc.add(5, -1, 20_000_000_000_000_000_000_000_000_000);
        acc.add(0, -2, 40_000_000_000_000_000_000_000_000_000);
        let t = acc.finish(crate::Currency::new("USD").unwrap());
        assert_eq!(t.weighted_days_to_pay.unwrap().round_dp(6), d("1.666667"));
        assert_eq!(
            t.weighted_days_beyond_terms.unwrap().round_dp(6),
            d("-1.666667")
        );
    }

    #[test]
    fn countback_over_calendar_months() {
        // Period ends 31 March; AR 250,000.
        // March (31 days) sales 100,000 -> 150,000 left, 31 days.
        // February (28 days) sales 120,000 -> 30,000 left, 59 days.
        // January (31 days) sales 60,000: 30,000 / 60,000 x 31 = 15.5 days -> 74.5.
        let months = [(d("100000"), 31), (d("120000"), 28), (d("60000"), 31)];
        assert_eq!(
            dso_countback(d("250000"), &months).unwrap(),
            Some(d("74.5"))
        );
        // A leap-year February has 29 days: 31 + 29 + 15.5 = 75.5.
        let leap = [(d("100000"), 31), (d("120000"), 29), (d("60000"), 31)];
        assert_eq!(dso_countback(d("250000"), &leap).unwrap(), Some(d("75.5")));
        // More AR than all the sales looked at: no answer.
        assert_eq!(dso_countback(d("500000"), &months).unwrap(), None);
        assert_eq!(dso_countback(d("0"), &months).unwrap(), Some(d("0")));
    }

    #[test]
    fn dso_variants_and_bpdso() {
        // 90-day quarter, sales 900,000; AR 240,000 at the start and 300,000 at the end, 180,000 current.
        assert_eq!(dso_period_end(d("300000"), d("900000"), 90), Some(d("30")));
        assert_eq!(
            dso_average(d("240000"), d("300000"), d("900000"), 90),
            Some(d("27"))
        );
        let bp = best_possible_dso(d("180000"), d("900000"), 90).unwrap();
        assert_eq!(bp, d("18"));
        assert_eq!(average_days_delinquent(d("30"), bp), d("12"));
        assert_eq!(
            ar_turnover(d("900000"), d("240000"), d("300000"))
                .unwrap()
                .round_dp(4),
            d("3.3333")
        );
        assert_eq!(percent_current(d("180000"), d("300000")), Some(d("60")));
        assert_eq!(percent_past_due(d("180000"), d("300000")), Some(d("40")));
    }

    #[test]
    fn cei_variants() {
        // Quarter: begin 100,000, sales 300,000 (3 months), end 120,000 of which 70,000 current.
        // Period sales: (100 + 300 - 120) / (100 + 300 - 70) = 280 / 330 = 84.848..%
        let p = cei(
            d("100000"),
            d("300000"),
            d("120000"),
            d("70000"),
            CeiVariant::PeriodSales,
        )
        .unwrap();
        assert_eq!(p.round_dp(3), d("84.848"));
        // Monthly average: sales / 3 = 100: (100 + 100 - 120) / (100 + 100 - 70) = 80 / 130 = 61.538..%
        let m = cei(
            d("100000"),
            d("300000"),
            d("120000"),
            d("70000"),
            CeiVariant::MonthlyAverage { months: 3 },
        )
        .unwrap();
        assert_eq!(m.round_dp(3), d("61.538"));
        assert_eq!(
            cei(d("0"), d("0"), d("0"), d("0"), CeiVariant::PeriodSales),
            None
        );
        assert_eq!(
            cei(
                d("1"),
                d("1"),
                d("0"),
                d("0"),
                CeiVariant::MonthlyAverage { months: 0 }
            ),
            None
        );
    }

    #[test]
    fn out_of_range_is_none_not_a_panic() {
        let max = Decimal::MAX;
        assert_eq!(dso_period_end(max, d("1"), 90), None);
        assert_eq!(dso_average(max, max, d("1"), 90), None);
        assert_eq!(cei(max, max, d("0"), d("0"), CeiVariant::PeriodSales), None);
        assert_eq!(ar_turnover(max, d("1"), d("1")), None);
        assert_eq!(percent_current(max, d("1")), None);
        assert_eq!(dso_countback(max, &[(d("1"), 31); 3]).unwrap(), None);
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let p = Payment {
            invoice_date: day("2026-01-01"),
            due_date: day("2026-01-01"),
            paid_date: day("2026-03-01"),
            amount: max,
        };
        let t = payment_timing(&[p, p]);
        assert_eq!(
            (t.payments, t.weighted_days_to_pay, t.average_days_to_pay),
            (2, None, Some(d("59")))
        );
    }

    #[test]
    fn zero_and_negative_denominators_are_none() {
        assert_eq!(dso_period_end(d("100"), d("0"), 30), None);
        assert_eq!(dso_period_end(d("100"), d("-5"), 30), None);
        assert_eq!(dso_average(d("1"), d("1"), d("0"), 30), None);
        assert_eq!(ar_turnover(d("100"), d("0"), d("0")), None);
        assert_eq!(percent_current(d("0"), d("0")), None);
        let t = payment_timing(&[]);
        assert_eq!(
            (
                t.payments,
                t.average_days_to_pay,
                t.weighted_days_beyond_terms
            ),
            (0, None, None)
        );
    }

    #[test]
    fn days_beyond_terms_negative_when_early() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Due 01-31: one paid 5 days early (200), one 15 days late (100).
        // Plain: (-5 + 15) / 2 = 5; weighted: (200 x -5 + 100 x 15) / 300 = 500 / 300 = 1.666..
        let ps = [
            Payment {
                invoice_date: day("2026-01-01"),
                due_date: day("2026-01-31"),
                paid_date: day("2026-01-26"),
                amount: d("200"),
            },
            Payment {
                invoice_date: day("2026-01-01"),
                due_date: day("2026-01-31"),
                paid_date: day("2026-02-15"),
                amount: d("100"),
            },
        ];
        let t = payment_timing(&ps);
        assert_eq!(t.average_days_beyond_terms, Some(d("5")));
        assert_eq!(
            t.weighted_days_beyond_terms.unwrap().round_dp(4),
            d("1.6667")
        );
        assert_eq!(t.average_days_to_pay, Some(d("35"))); // (25 + 45) / 2
        assert!(ps[0].paid_date < ps[0].due_date);
    }

    #[test]
    fn periods() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(Period::month_of(day("2028-02-10")).days(), 29);
        assert_eq!(
            Period::new(day("2026-01-01"), day("2026-03-31"))
                .unwrap()
                .days(),
            90
        );
        assert_eq!(
            Period::new(day("2026-02-01"), day("2026-01-01"))
                .unwrap_err()
                .code(),
            "invalid_value"
        );
    }
}
