//! Late-payment interest, fixed compensation and the cost of a forgone
//! early-payment discount.
//!
//! Interest is simple interest on the remaining principal of a late item,
//! for each day after its due date plus grace days up to and including
//! the day it is computed through. The principal drops on the day of each
//! payment, credit or write-off from the day after (the day a payment
//! arrives still bears interest: 15 February to 15 April 2024 is 60 days).
//!
//! Order of rounding: every segment's `principal x rate x days` is summed
//! exactly, divided once by `100 x the year's days`, and the result
//! rounded once to the currency's minor unit by the rule's rounding
//! policy. Calculators that round each day's interest first differ by
//! cents over long periods.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, MathematicalOps};
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::limits::{check_count, MAX_COMPENSATION_TIERS, MAX_CURRENCY_AMOUNTS, MAX_RATES};
use crate::money::{check_minor_units, Money, OrOverflow, RoundingPolicy};
use crate::terms::{DueRule, PaymentTerms};

/// How the days of a period count towards a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    /// Actual days over a 365-day year (UK, Germany).
    #[default]
    Actual365,
    /// Actual days over a 360-day year.
    Actual360,
    /// 30E/360: every month counts 30 days (a 31st counts as the 30th),
    /// over a 360-day year.
    Thirty360,
}

impl DayCount {
    /// Days from `from` to `to` (after `from`, up to and including `to`).
    pub fn days(self, from: NaiveDate, to: NaiveDate) -> i64 {
        match self {
            DayCount::Actual365 | DayCount::Actual360 => to.signed_duration_since(from).num_days(),
            DayCount::Thirty360 => thirty(to).saturating_sub(thirty(from)),
        }
    }

    /// Days in the year.
    pub fn year(self) -> i64 {
        match self {
            DayCount::Actual365 => 365,
            DayCount::Actual360 | DayCount::Thirty360 => 360,
        }
    }
}

/// 30E/360 day number: 360 a year, 30 a month, the 31st as the 30th.
fn thirty(d: NaiveDate) -> i64 {
    let day = i64::from(d.day().min(30));
    i64::from(d.year())
        .saturating_mul(360)
        .saturating_add(i64::from(d.month()).saturating_mul(30))
        .saturating_add(day)
}

/// Whether a rate is per year or per month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateBasis {
    /// Percent a year.
    #[default]
    PerAnnum,
    /// Percent a month (12 months a year).
    PerMonth,
}

/// Which rate of the table applies to a late item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateMode {
    /// The rate in force on the item's due date, for the whole period (the
    /// UK Late Payment Act; give the table the reference rates by
    /// half-year, as the Act defines them).
    #[default]
    Fixed,
    /// Per half-year: the rate in force on 1 January or 1 July applies to
    /// that half-year (Germany's Basiszinssatz, the EU reference rate).
    Floating,
}

/// A reference rate from a date on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RateEntry {
    /// First day it is in force.
    pub from: NaiveDate,
    /// Percent (`5.25` for 5.25 %); may be negative.
    #[serde(with = "crate::serde_decimal")]
    pub rate: Decimal,
}

/// One tier of a fixed compensation: `amount` for a debt below `below`
/// (the last tier has no bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CompensationTier {
    /// The tier holds for debts below this; none for the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::serde_decimal::option")]
    pub below: Option<Decimal>,
    /// Compensation.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
}

/// A fixed sum per late invoice in one currency, by the size of the debt
/// (the invoice's total).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Compensation {
    /// Currency of the debts and sums.
    pub currency: Currency,
    /// Tiers by ascending bound, the last unbounded.
    pub tiers: Vec<CompensationTier>,
}

/// How late interest and fixed compensation are computed.
///
/// # Example
/// ```
/// use ar_core::collections::{late_interest, InterestRule, RateEntry};
/// use ar_core::Currency;
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// // Bank of England rate for the first half of 2024: 5.25 %.
/// let rule = InterestRule::uk_late_payment(vec![RateEntry { from: d(2024, 1, 1), rate: Decimal::new(525, 2) }]);
/// let gbp = Currency::new("GBP").unwrap();
/// let due = d(2024, 2, 15);
/// let i = late_interest(&rule, Decimal::new(10_000, 0), &[], due, d(2024, 4, 15), gbp).unwrap();
/// assert_eq!((i.days, i.amount.to_string()), (60, "217.81".to_owned()));
/// assert_eq!(rule.compensation_for(gbp, Decimal::new(10_000, 0)).unwrap().to_string(), "100.00");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InterestRule {
    /// Reference rates by the day they take effect, ascending.
    pub rates: Vec<RateEntry>,
    /// Percentage points on top of the reference rate (8 in the EU and UK,
    /// 9 in Germany).
    #[serde(with = "crate::serde_decimal")]
    pub margin: Decimal,
    /// Per year or per month.
    #[serde(default)]
    pub basis: RateBasis,
    /// How days count.
    #[serde(default)]
    pub day_count: DayCount,
    /// Fixed at the due date or floating by half-year.
    #[serde(default)]
    pub mode: RateMode,
    /// Days after the due date before interest starts.
    #[serde(default)]
    pub grace_days: u32,
    /// Fixed sums per late invoice, by currency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compensation: Vec<Compensation>,
    /// How the interest is rounded, once.
    #[serde(default)]
    pub rounding: RoundingPolicy,
}

/// A change of an item's principal: negative for a payment, credit or
/// write-off, positive for one reversed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrincipalChange {
    /// Effective date; the principal changes from the next day on.
    pub date: NaiveDate,
    /// Amount.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
}

/// A stretch of days with one principal and one rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InterestSegment {
    /// Last day before the stretch.
    pub after: NaiveDate,
    /// Last day of it.
    pub through: NaiveDate,
    /// Days, by the rule's day count.
    pub days: i64,
    /// Principal.
    #[serde(with = "crate::serde_decimal")]
    pub principal: Decimal,
    /// Rate in percent a year or a month (reference plus margin, at least 0).
    #[serde(with = "crate::serde_decimal")]
    pub rate: Decimal,
}

/// Interest on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LateInterest {
    /// Last day without interest: the due date plus grace days.
    pub start: NaiveDate,
    /// Last day computed.
    pub through: NaiveDate,
    /// Days that bore interest (principal above zero), by the day count.
    pub days: i64,
    /// The stretches, in order.
    pub segments: Vec<InterestSegment>,
    /// Interest, rounded once.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
}

fn entry_rate(rates: &[RateEntry], on: NaiveDate) -> Option<Decimal> {
    let i = rates.partition_point(|r| r.from <= on);
    rates.get(i.checked_sub(1)?).map(|r| r.rate)
}

impl InterestRule {
    fn statutory(
        rates: Vec<RateEntry>,
        margin: i64,
        mode: RateMode,
        compensation: Vec<Compensation>,
    ) -> Self {
        InterestRule {
            rates,
            margin: Decimal::from(margin),
            basis: RateBasis::PerAnnum,
            day_count: DayCount::Actual365,
            mode,
            grace_days: 0,
            compensation,
            rounding: RoundingPolicy::HalfAwayFromZero,
        }
    }

    /// EU Directive 2011/7/EU: the reference rate in force on the first
    /// day of each half-year plus 8 points, actual/365; EUR 40 per late
    /// invoice.
    pub fn eu_directive(rates: Vec<RateEntry>) -> Self {
        Self::statutory(rates, 8, RateMode::Floating, tiers("EUR", &[(None, 40)]))
    }

    /// UK Late Payment of Commercial Debts (Interest) Act 1998: the
    /// reference rate in force when the debt fell due plus 8 %, fixed for
    /// the debt, actual/365; GBP 40 for a debt below 1,000, 70 below
    /// 10,000, 100 from 10,000.
    pub fn uk_late_payment(rates: Vec<RateEntry>) -> Self {
        let comp = tiers("GBP", &[(Some(1_000), 40), (Some(10_000), 70), (None, 100)]);
        Self::statutory(rates, 8, RateMode::Fixed, comp)
    }

    /// Germany, section 288 BGB between businesses: the Basiszinssatz
    /// (reset on 1 January and 1 July) plus 9 points, floating,
    /// actual/365; EUR 40 per late invoice.
    pub fn germany(rates: Vec<RateEntry>) -> Self {
        Self::statutory(rates, 9, RateMode::Floating, tiers("EUR", &[(None, 40)]))
    }

    /// Checks the rule on its own.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] past [`MAX_RATES`] rates or
    /// [`MAX_CURRENCY_AMOUNTS`] compensations; [`Error::InvalidValue`] for
    /// rates out of date order, tiers out of order or without a last
    /// unbounded one; [`Error::TooManyDecimals`] for a sum finer than its
    /// currency.
    pub fn validate(&self, field: &str) -> Result<()> {
        check_count(&format!("{field}.rates"), self.rates.len(), MAX_RATES)?;
        if let Some(i) = self
            .rates
            .windows(2)
            .position(|w| w.first().map(|a| a.from) >= w.get(1).map(|b| b.from))
        {
            return Err(Error::invalid_value(
                &format!("{field}.rates[{}].from", i.saturating_add(1)),
                self.rates
                    .get(i.saturating_add(1))
                    .map(|r| r.from.to_string())
                    .unwrap_or_default(),
                "rates must be in ascending date order, one per date",
            ));
        }
        check_count(
            &format!("{field}.compensation"),
            self.compensation.len(),
            MAX_CURRENCY_AMOUNTS,
        )?;
        for (i, c) in self.compensation.iter().enumerate() {
            let f = format!("{field}.compensation[{i}].tiers");
            check_count(&f, c.tiers.len(), MAX_COMPENSATION_TIERS)?;
            let mut last: Option<Decimal> = None;
            for (j, t) in c.tiers.iter().enumerate() {
                check_minor_units(&format!("{f}[{j}].amount"), t.amount, c.currency)?;
                if t.amount.is_sign_negative() {
                    return Err(Error::invalid_amount(
                        &format!("{f}[{j}].amount"),
                        t.amount,
                        "must not be negative",
                    ));
                }
                let is_last = j.saturating_add(1) == c.tiers.len();
                match (t.below, is_last) {
                    (None, true) => {}
                    (None, false) => {
                        return Err(Error::invalid_value(
                            &format!("{f}[{j}].below"),
                            "none",
                            "only the last tier is unbounded",
                        ))
                    }
                    (Some(b), false) if last.is_none_or(|l| b > l) => last = Some(b),
                    (Some(b), _) => {
                        return Err(Error::invalid_value(
                            &format!("{f}[{j}].below"),
                            b,
                            "bounds ascend, and the last tier is unbounded",
                        ))
                    }
                }
            }
        }
        Ok(())
    }

    /// The reference rate in force on `date`.
    pub fn reference_rate(&self, date: NaiveDate) -> Option<Decimal> {
        entry_rate(&self.rates, date)
    }

    /// The fixed compensation for a late invoice of `debt` in `currency`;
    /// none when the rule has none for the currency.
    pub fn compensation_for(&self, currency: Currency, debt: Decimal) -> Option<Decimal> {
        let c = self.compensation.iter().find(|c| c.currency == currency)?;
        c.tiers
            .iter()
            .find(|t| t.below.is_none_or(|b| debt < b))
            .map(|t| t.amount)
    }

    /// Rate (reference plus margin, never below 0, a year's or a month's)
    /// for days from `day` on, and the last day it holds (`None`: to the
    /// end).
    fn rate_from(
        &self,
        due: NaiveDate,
        day: NaiveDate,
        field: &str,
    ) -> Result<(Decimal, Option<NaiveDate>)> {
        let on = match self.mode {
            RateMode::Fixed => due,
            RateMode::Floating => half_year_start(day),
        };
        let reference = entry_rate(&self.rates, on).ok_or_else(|| {
            Error::invalid_value(field, on, "no reference rate is in force on this date")
        })?;
        let rate = reference
            .checked_add(self.margin)
            .or_overflow(field)?
            .max(Decimal::ZERO);
        let until = match self.mode {
            RateMode::Fixed => None,
            RateMode::Floating => next_half_year(day).and_then(|d| d.pred_opt()),
        };
        Ok((rate, until))
    }
}

/// Sums in `code` by tier; none for a code the table lacked (never: the
/// codes written here are active).
fn tiers(code: &str, tiers: &[(Option<i64>, i64)]) -> Vec<Compensation> {
    let Ok(currency) = Currency::new(code) else {
        return Vec::new();
    };
    vec![Compensation {
        currency,
        tiers: tiers
            .iter()
            .map(|(below, units)| CompensationTier {
                below: below.map(Decimal::from),
                amount: Money::rounded(Decimal::from(*units), currency, RoundingPolicy::default())
                    .amount(),
            })
            .collect(),
    }]
}

fn half_year_start(d: NaiveDate) -> NaiveDate {
    let month = if d.month() >= 7 { 7 } else { 1 };
    NaiveDate::from_ymd_opt(d.year(), month, 1).unwrap_or(d)
}

fn next_half_year(d: NaiveDate) -> Option<NaiveDate> {
    if d.month() >= 7 {
        NaiveDate::from_ymd_opt(d.year().checked_add(1)?, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), 7, 1)
    }
}

/// Interest on an item of `principal` due on `due`, with the changes to it
/// after (payments negative), through `through`.
///
/// `principal` is what was open on the day interest starts (the due date
/// plus grace days); changes dated on or before that day are taken into
/// it, later ones from the day after their date. A principal that drops
/// to zero or below bears nothing. Computed exactly and rounded once (see
/// the module's notes).
///
/// # Errors
/// [`Error::InvalidValue`] when no reference rate is in force on a date
/// the interest needs one; [`Error::Overflow`] for sums beyond a decimal.
///
/// # Example
/// ```
/// use ar_core::collections::{late_interest, DayCount, InterestRule, PrincipalChange, RateEntry};
/// use ar_core::Currency;
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let mut rule = InterestRule::germany(vec![RateEntry { from: d(1, 1), rate: Decimal::ONE }]);
/// rule.day_count = DayCount::Actual360;
/// // 1,000 due 31 January; 400 paid on 2 March; computed to 1 April.
/// let paid = [PrincipalChange { date: d(3, 2), amount: Decimal::new(-400, 0) }];
/// let eur = Currency::new("EUR").unwrap();
/// let i = late_interest(&rule, Decimal::new(1000, 0), &paid, d(1, 31), d(4, 1), eur).unwrap();
/// // 1,000 x 10 % x 30/360 + 600 x 10 % x 30/360 = 8.33 + 5.00
/// assert_eq!(i.amount.to_string(), "13.33");
/// ```
pub fn late_interest(
    rule: &InterestRule,
    principal: Decimal,
    changes: &[PrincipalChange],
    due: NaiveDate,
    through: NaiveDate,
    currency: Currency,
) -> Result<LateInterest> {
    let start = super::promise::plus_days("grace_days", due, rule.grace_days)?;
    let mut sorted: Vec<PrincipalChange> = changes.to_vec();
    sorted.sort_by_key(|c| c.date);
    let mut p = principal;
    let mut later = Vec::with_capacity(sorted.len());
    for c in sorted {
        if c.date <= start {
            p = p.checked_add(c.amount).or_overflow("principal")?;
        } else if c.date < through {
            later.push(c);
        }
    }
    let mut segments = Vec::new();
    let mut numerator = Decimal::ZERO;
    let mut bearing: i64 = 0;
    let mut at = start;
    let mut next = later.iter().peekable();
    while at < through {
        let day = at.succ_opt().unwrap_or(at);
        let (rate, rate_until) = rule.rate_from(due, day, "rates")?;
        // The stretch ends at the next change of principal or rate.
        let mut end = through;
        if let Some(c) = next.peek() {
            end = end.min(c.date);
        }
        if let Some(u) = rate_until {
            end = end.min(u);
        }
        let days = rule.day_count.days(at, end);
        if p > Decimal::ZERO && days > 0 {
            let rate_year = match rule.basis {
                RateBasis::PerAnnum => rate,
                RateBasis::PerMonth => rate.checked_mul(Decimal::from(12)).or_overflow("rate")?,
            };
            let term = p
                .checked_mul(rate_year)
                .and_then(|x| x.checked_mul(Decimal::from(days)))
                .or_overflow("interest")?;
            numerator = numerator.checked_add(term).or_overflow("interest")?;
            bearing = bearing.saturating_add(days);
            segments.push(InterestSegment {
                after: at,
                through: end,
                days,
                principal: p,
                rate,
            });
        }
        while let Some(c) = next.peek() {
            if c.date > end {
                break;
            }
            p = p.checked_add(c.amount).or_overflow("principal")?;
            next.next();
        }
        at = end;
    }
    let denominator = Decimal::from(rule.day_count.year().saturating_mul(100));
    let exact = numerator.checked_div(denominator).or_overflow("interest")?;
    let amount = rule
        .rounding
        .round_checked("interest", exact, currency.minor_units())?;
    Ok(LateInterest {
        start,
        through: through.max(start),
        days: bearing,
        segments,
        amount,
    })
}

/// The cost of not taking an early-payment discount, as annual rates in
/// percent: paying on the net day instead of the discount day borrows the
/// discounted price for the days between, at the discount's price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DiscountCost {
    /// Simple rate over a 360-day year.
    #[serde(with = "crate::serde_decimal")]
    pub simple_360: Decimal,
    /// Simple rate over a 365-day year.
    #[serde(with = "crate::serde_decimal")]
    pub simple_365: Decimal,
    /// Compounded over a 365-day year.
    #[serde(with = "crate::serde_decimal")]
    pub compounded_365: Decimal,
}

/// The annual cost of forgoing `percent` off for paying within
/// `discount_days` instead of on day `net_days`: simple
/// `d / (100 - d) x year / (net - discount days)` and compounded
/// `(1 + d / (100 - d)) ^ (365 / days) - 1`, in percent to 4 decimals.
///
/// # Errors
/// [`Error::InvalidValue`] for a percent not over 0 and under 100 or net
/// days not after the discount days.
///
/// # Example
/// ```
/// use ar_core::collections::discount_cost;
/// use rust_decimal::Decimal;
/// // 2/10 net 30.
/// let c = discount_cost(Decimal::TWO, 10, 30).unwrap();
/// assert_eq!(c.simple_360.to_string(), "36.7347");
/// assert_eq!(c.simple_365.to_string(), "37.2449");
/// assert_eq!(c.compounded_365.to_string(), "44.5853");
/// ```
pub fn discount_cost(percent: Decimal, discount_days: u32, net_days: u32) -> Result<DiscountCost> {
    if percent <= Decimal::ZERO || percent >= Decimal::ONE_HUNDRED {
        return Err(Error::invalid_value(
            "percent",
            percent,
            "must be greater than 0 and less than 100",
        ));
    }
    let Some(days) = net_days.checked_sub(discount_days).filter(|d| *d > 0) else {
        return Err(Error::invalid_value(
            "net_days",
            net_days,
            &format!("must be after the {discount_days} discount days"),
        ));
    };
    let days = Decimal::from(days);
    let per = percent
        .checked_div(
            Decimal::ONE_HUNDRED
                .checked_sub(percent)
                .or_overflow("percent")?,
        )
        .or_overflow("percent")?;
    let simple = |year: i64| -> Result<Decimal> {
        per.checked_mul(Decimal::from(year))
            .and_then(|x| x.checked_div(days))
            .and_then(|x| x.checked_mul(Decimal::ONE_HUNDRED))
            .map(|x| x.round_dp(4))
            .or_overflow("rate")
    };
    let periods = Decimal::from(365).checked_div(days).or_overflow("rate")?;
    let growth = Decimal::ONE
        .checked_add(per)
        .or_overflow("rate")?
        .checked_powd(periods)
        .or_overflow("rate")?;
    let compounded = growth
        .checked_sub(Decimal::ONE)
        .and_then(|x| x.checked_mul(Decimal::ONE_HUNDRED))
        .map(|x| x.round_dp(4))
        .or_overflow("rate")?;
    Ok(DiscountCost {
        simple_360: simple(360)?,
        simple_365: simple(365)?,
        compounded_365: compounded,
    })
}

/// [`discount_cost`] of single-due terms with an early-payment discount,
/// for an invoice dated `invoice_date` (which fixes the net day of
/// end-of-month terms); none for terms without a discount or with
/// installments.
///
/// # Errors
/// As [`discount_cost`]; [`Error::InvalidValue`] for a due date out of the
/// calendar's range.
///
/// # Example
/// ```
/// use ar_core::collections::discount_cost_of_terms;
/// use ar_core::PaymentTerms;
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// let terms = PaymentTerms::net(30).with_discount(Decimal::TWO, 10);
/// let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
/// let c = discount_cost_of_terms(&terms, day).unwrap().unwrap();
/// assert_eq!(c.simple_365.to_string(), "37.2449");
/// ```
pub fn discount_cost_of_terms(
    terms: &PaymentTerms,
    invoice_date: NaiveDate,
) -> Result<Option<DiscountCost>> {
    let PaymentTerms::Single {
        due,
        discount: Some(d),
    } = terms
    else {
        return Ok(None);
    };
    let net = match due {
        DueRule::Net { days } => *days,
        other => {
            let due_date = other.due_date(invoice_date)?;
            u32::try_from(due_date.signed_duration_since(invoice_date).num_days()).unwrap_or(0)
        }
    };
    discount_cost(d.percent, d.days, net).map(Some)
}

/// A fixed compensation claimed for a late invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompensationLine {
    /// The late invoice.
    pub invoice: crate::id::InvoiceId,
    /// The debt it is tiered by: the invoice's total.
    #[serde(with = "crate::serde_decimal")]
    pub debt: Decimal,
    /// The sum.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
}

/// A rule made ready for many items: every rate of the table plus the
/// margin, floored at zero, as integers at one scale, so that an item's
/// interest is integer arithmetic in minor units. It gives exactly what
/// [`late_interest`] gives (the numerator is exact either way, divided and
/// rounded once); a run computes interest on hundreds of thousands of
/// items, and a decimal division each is most of its time.
pub(crate) struct Prepared {
    /// `(first day, rate x 10^scale)`, ascending.
    rates: Vec<(NaiveDate, i128)>,
    /// `10^scale x 100 x the year's days` (x 1/12 per month: the rates are
    /// multiplied by 12 instead).
    denominator: i128,
    per_month: bool,
    mode: RateMode,
    day_count: DayCount,
    grace_days: u32,
    rounding: RoundingPolicy,
}

impl Prepared {
    /// `None` when the rates cannot all be held at one scale (then
    /// [`late_interest`] is used).
    pub(crate) fn new(rule: &InterestRule) -> Option<Self> {
        let scale = rule
            .rates
            .iter()
            .map(|r| r.rate.scale())
            .chain([rule.margin.scale()])
            .max()
            .unwrap_or(0);
        let mut rates = Vec::with_capacity(rule.rates.len());
        for r in &rule.rates {
            let mut total = r.rate.checked_add(rule.margin)?.max(Decimal::ZERO);
            total.rescale(scale);
            if total.scale() != scale {
                return None;
            }
            rates.push((r.from, total.mantissa()));
        }
        let denominator = 10i128
            .checked_pow(scale)?
            .checked_mul(100)?
            .checked_mul(i128::from(rule.day_count.year()))?;
        Some(Prepared {
            rates,
            denominator,
            per_month: rule.basis == RateBasis::PerMonth,
            mode: rule.mode,
            day_count: rule.day_count,
            grace_days: rule.grace_days,
            rounding: rule.rounding,
        })
    }

    fn rate_on(&self, on: NaiveDate) -> Option<i128> {
        let i = self.rates.partition_point(|(from, _)| *from <= on);
        self.rates.get(i.checked_sub(1)?).map(|(_, r)| *r)
    }

    /// Days bearing interest and the interest in minor units on an item of
    /// `base` minor units due on `due`, with `changes` (date, minor units;
    /// any order), through `through`; `None` when integers do not suffice
    /// or a rate is missing (then [`late_interest`] decides, or errs).
    pub(crate) fn accrue(
        &self,
        base: i128,
        changes: &mut [(NaiveDate, i128)],
        due: NaiveDate,
        through: NaiveDate,
    ) -> Option<(i64, i128)> {
        let start = due.checked_add_days(chrono::Days::new(u64::from(self.grace_days)))?;
        changes.sort_unstable_by_key(|c| c.0);
        let mut p = base;
        let mut k = 0;
        while let Some(c) = changes.get(k).filter(|c| c.0 <= start) {
            p = p.checked_add(c.1)?;
            k = k.checked_add(1)?;
        }
        let fixed = match self.mode {
            RateMode::Fixed => Some(self.rate_on(due)?),
            RateMode::Floating => None,
        };
        let mut numerator: i128 = 0;
        let mut bearing: i64 = 0;
        let mut at = start;
        while at < through {
            let day = at.succ_opt()?;
            let (rate, until) = match fixed {
                Some(r) => (r, None),
                None => (
                    self.rate_on(half_year_start(day))?,
                    next_half_year(day).and_then(|d| d.pred_opt()),
                ),
            };
            let mut end = through;
            if let Some(c) = changes.get(k) {
                end = end.min(c.0);
            }
            if let Some(u) = until {
                end = end.min(u);
            }
            let days = self.day_count.days(at, end);
            if p > 0 && days > 0 {
                let r = if self.per_month {
                    rate.checked_mul(12)?
                } else {
                    rate
                };
                let term = p.checked_mul(r)?.checked_mul(i128::from(days))?;
                numerator = numerator.checked_add(term)?;
                bearing = bearing.checked_add(days)?;
            }
            while let Some(c) = changes.get(k).filter(|c| c.0 <= end) {
                p = p.checked_add(c.1)?;
                k = k.checked_add(1)?;
            }
            at = end;
        }
        // numerator >= 0: only positive principals at rates of at least 0.
        let q = numerator.checked_div(self.denominator)?;
        let r = numerator.checked_rem(self.denominator)?;
        let twice = r.checked_mul(2)?;
        let up = match self.rounding {
            RoundingPolicy::HalfAwayFromZero => twice >= self.denominator,
            RoundingPolicy::HalfEven => {
                twice > self.denominator || (twice == self.denominator && q % 2 != 0)
            }
        };
        Some((bearing, if up { q.checked_add(1)? } else { q }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The integer path gives exactly what the decimal one gives.
        #[test]
        fn prepared_agrees_with_late_interest(
            principal in 1..1_000_000_000i64,
            changes in proptest::collection::vec((-60..400i64, -500_000_000..500_000_000i64), 0..5),
            rates in proptest::collection::vec((0..1500i64, -300..1500i64, 0..4u32), 1..5),
            margin in 0..1000i64,
            grace in 0..20u32,
            through in -10..500i64,
            dc in 0..3usize,
            floating: bool,
            per_month: bool,
            even: bool,
        ) {
            let base = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
            let mut table: Vec<RateEntry> = rates
                .iter()
                .map(|(day, r, scale)| RateEntry { from: base + chrono::Days::new(*day as u64), rate: Decimal::new(*r, *scale) })
                .collect();
            table.sort_by_key(|r| r.from);
            table.dedup_by_key(|r| r.from);
            table[0].from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
            let rule = InterestRule {
                rates: table,
                margin: Decimal::new(margin, 2),
                basis: if per_month { RateBasis::PerMonth } else { RateBasis::PerAnnum },
                day_count: [DayCount::Actual365, DayCount::Actual360, DayCount::Thirty360][dc],
                mode: if floating { RateMode::Floating } else { RateMode::Fixed },
                grace_days: grace,
                compensation: vec![],
                rounding: if even { RoundingPolicy::HalfEven } else { RoundingPolicy::HalfAwayFromZero },
            };
            let usd = Currency::new("USD").unwrap();
            let due = NaiveDate::from_ymd_opt(2024, 3, 31).unwrap();
            let to = due + chrono::Duration::days(through);
            let exact: Vec<PrincipalChange> = changes
                .iter()
                .map(|(off, c)| PrincipalChange { date: due + chrono::Duration::days(*off), amount: Decimal::new(*c, 2) })
                .collect();
            let slow = late_interest(&rule, Decimal::new(principal, 2), &exact, due, to, usd).unwrap();
            let mut minor: Vec<(NaiveDate, i128)> = exact.iter().map(|c| (c.date, c.amount.mantissa())).collect();
            let fast = Prepared::new(&rule).unwrap().accrue(i128::from(principal), &mut minor, due, to).unwrap();
            prop_assert_eq!(fast.0, slow.days);
            prop_assert_eq!(Decimal::from_i128_with_scale(fast.1, 2), slow.amount);
        }
    }
}
