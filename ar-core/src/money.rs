//! Amounts tagged with a currency, rounding policies and exact splitting.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::serde_decimal::parse_decimal;

/// How an intermediate result is brought to a currency's minor unit. Applied
/// once, at the end of a computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingPolicy {
    /// Half away from zero ("commercial" rounding): 0.125 -> 0.13, -0.125 -> -0.13.
    #[default]
    HalfAwayFromZero,
    /// Half to even ("banker's" rounding): 0.125 -> 0.12, 0.135 -> 0.14.
    HalfEven,
}

impl RoundingPolicy {
    /// Rounds `value` to `dp` decimal places.
    ///
    /// A value too large to hold `dp` decimals keeps the scale it can
    /// hold; [`RoundingPolicy::round_checked`] refuses it instead.
    pub fn round(self, value: Decimal, dp: u32) -> Decimal {
        let strategy = match self {
            RoundingPolicy::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            RoundingPolicy::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        let mut r = value.round_dp_with_strategy(dp, strategy);
        r.rescale(dp);
        zero_unsigned(r)
    }

    /// Rounds `value` to `dp` decimal places, exactly at that scale.
    ///
    /// # Errors
    /// [`Error::Overflow`] naming `field` when the result cannot hold `dp`
    /// decimals within 96 bits.
    pub fn round_checked(self, field: &str, value: Decimal, dp: u32) -> Result<Decimal> {
        let r = self.round(value, dp);
        if r.scale() != dp {
            return Err(Error::overflow(field));
        }
        Ok(r)
    }

    /// Rounds `value` to the minor unit of `currency`.
    pub fn round_to(self, value: Decimal, currency: Currency) -> Decimal {
        self.round(value, currency.minor_units())
    }
}

/// Checks that `value` fits the minor unit of `currency` (after dropping
/// trailing zeros) and returns it at exactly that scale.
///
/// # Errors
/// [`Error::TooManyDecimals`] naming `field` when it does not fit.
pub fn check_minor_units(field: &str, value: Decimal, currency: Currency) -> Result<Decimal> {
    let minor = currency.minor_units();
    let normalized = value.normalize();
    if normalized.scale() > minor {
        return Err(Error::TooManyDecimals {
            field: field.to_owned(),
            value: value.to_string(),
            currency: currency.code().to_owned(),
            max: minor,
        });
    }
    at_scale(field, normalized, minor)
}

/// `value` at exactly `scale` decimal places.
///
/// `Decimal::rescale` keeps the nearest scale it can hold when the mantissa
/// would overflow, which would make 79228162514264337593543950335 USD a
/// figure a hundred times too small once read in cents; refused here.
///
/// # Errors
/// [`Error::Overflow`] naming `field` when `value` at `scale` leaves the
/// 96-bit range.
pub(crate) fn at_scale(field: &str, mut value: Decimal, scale: u32) -> Result<Decimal> {
    value.rescale(scale);
    if value.scale() != scale {
        return Err(Error::overflow(field));
    }
    Ok(zero_unsigned(value))
}

/// Zero without a sign: `-0.00` (left by negating or subtracting to zero)
/// prints and serializes as `0.00`.
pub(crate) fn zero_unsigned(mut value: Decimal) -> Decimal {
    if value.is_zero() {
        value.set_sign_positive(true);
    }
    value
}

/// `-value`. Exact: a decimal's range is symmetric, so negation cannot
/// overflow; and zero stays unsigned.
pub(crate) fn neg(mut value: Decimal) -> Decimal {
    value.set_sign_negative(!value.is_sign_negative());
    zero_unsigned(value)
}

/// Turns `None` from a checked operation into [`Error::Overflow`].
pub(crate) trait OrOverflow<T> {
    /// The value, or [`Error::Overflow`] naming `field`.
    fn or_overflow(self, field: &str) -> Result<T>;
}

impl<T> OrOverflow<T> for Option<T> {
    fn or_overflow(self, field: &str) -> Result<T> {
        self.ok_or_else(|| Error::overflow(field))
    }
}

/// Checks that `value` is strictly positive and fits `currency`.
///
/// # Errors
/// [`Error::InvalidAmount`] for zero or negative values,
/// [`Error::TooManyDecimals`] for too many decimals.
pub fn check_positive(field: &str, value: Decimal, currency: Currency) -> Result<Decimal> {
    if value <= Decimal::ZERO {
        return Err(Error::invalid_amount(
            field,
            value,
            "must be greater than zero",
        ));
    }
    check_minor_units(field, value, currency)
}

/// An amount in a currency, always at the currency's minor unit.
///
/// # Example
/// ```
/// use ar_core::{Currency, Money};
/// use rust_decimal::Decimal;
/// let usd = Currency::new("USD").unwrap();
/// let m = Money::new(Decimal::new(10050, 2), usd).unwrap();
/// assert_eq!(m.to_string(), "100.50 USD");
/// assert!(Money::new(Decimal::new(1005, 3), usd).is_err()); // 1.005 USD
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    #[serde(with = "crate::serde_decimal")]
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// An amount that must already fit the currency's minor unit.
    ///
    /// # Errors
    /// [`Error::TooManyDecimals`] when it has more decimals than the currency allows.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Self> {
        let amount = check_minor_units("amount", amount, currency)?;
        Ok(Money { amount, currency })
    }

    /// Parses `"100.50"` in `currency`.
    ///
    /// # Errors
    /// [`Error::InvalidDecimal`] or [`Error::TooManyDecimals`].
    pub fn parse(amount: &str, currency: Currency) -> Result<Self> {
        Money::new(parse_decimal("amount", amount)?, currency)
    }

    /// Rounds a full-precision amount once, by `policy`.
    pub fn rounded(amount: Decimal, currency: Currency, policy: RoundingPolicy) -> Self {
        Money {
            amount: policy.round_to(amount, currency),
            currency,
        }
    }

    /// Zero in `currency`.
    pub fn zero(currency: Currency) -> Self {
        Money::rounded(Decimal::ZERO, currency, RoundingPolicy::default())
    }

    /// The amount.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Sum of two amounts of the same currency.
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] for different currencies, [`Error::Overflow`].
    pub fn checked_add(self, other: Money) -> Result<Money> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or_else(|| Error::overflow("amount"))?;
        Ok(Money { amount, ..self })
    }

    /// Difference of two amounts of the same currency.
    ///
    /// # Errors
    /// [`Error::CurrencyMismatch`] for different currencies, [`Error::Overflow`].
    pub fn checked_sub(self, other: Money) -> Result<Money> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .ok_or_else(|| Error::overflow("amount"))?;
        Ok(Money { amount, ..self })
    }

    fn same_currency(self, other: Money) -> Result<()> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(Error::CurrencyMismatch {
                field: "amount".into(),
                expected: self.currency.code().into(),
                found: other.currency.code().into(),
            })
        }
    }

    /// Splits this amount in proportion to `weights`; see [`allocate`].
    ///
    /// # Errors
    /// As [`allocate`].
    pub fn allocate(&self, weights: &[Decimal]) -> Result<Vec<Money>> {
        Ok(allocate(self.amount, weights, self.currency.minor_units())?
            .into_iter()
            .map(|amount| Money {
                amount,
                currency: self.currency,
            })
            .collect())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl FromStr for Money {
    type Err = Error;
    /// Parses `"100.50 USD"`.
    fn from_str(s: &str) -> Result<Self> {
        let (amount, code) = s
            .trim()
            .rsplit_once(' ')
            .ok_or_else(|| Error::invalid_value("money", s, "expected \"<amount> <currency>\""))?;
        Money::parse(amount.trim(), Currency::parse_field("money", code)?)
    }
}

/// Splits `total` (at `minor` decimal places) into parts proportional to
/// `weights` so that the parts sum exactly to `total`.
///
/// Largest-remainder method: each part gets the floor of its exact share in
/// minor units; the cents left over go one each to the parts with the largest
/// remainders, ties broken by position (earlier first). A negative total is
/// split as its absolute value and negated, so signs never flip.
///
/// # Example
/// ```
/// use ar_core::allocate;
/// use rust_decimal::Decimal;
/// let parts = allocate(Decimal::new(10000, 2), &[Decimal::ONE; 3], 2).unwrap();
/// let text: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
/// assert_eq!(text, ["33.34", "33.33", "33.33"]);
/// ```
///
/// # Errors
/// [`Error::InvalidValue`] for no weights, a negative weight or weights that
/// sum to zero; [`Error::TooManyDecimals`]-like [`Error::InvalidAmount`] when
/// `total` has more than `minor` decimals; [`Error::Overflow`] when the
/// products leave 128-bit range.
pub fn allocate(total: Decimal, weights: &[Decimal], minor: u32) -> Result<Vec<Decimal>> {
    if weights.is_empty() {
        return Err(Error::invalid_value(
            "weights",
            "[]",
            "at least one weight is required",
        ));
    }
    crate::limits::check_count("weights", weights.len(), crate::limits::MAX_WEIGHTS)?;
    if let Some(w) = weights
        .iter()
        .find(|w| w.is_sign_negative() && !w.is_zero())
    {
        return Err(Error::invalid_value(
            "weights",
            w,
            "weights must not be negative",
        ));
    }
    if total.normalize().scale() > minor {
        return Err(Error::invalid_amount(
            "total",
            total,
            "has more decimals than the minor unit",
        ));
    }
    // Work in integers: total in minor units, weights at a common scale.
    let units = at_scale("total", total.abs(), minor)?.mantissa();
    let scale = weights
        .iter()
        .map(|w| w.normalize().scale())
        .max()
        .unwrap_or(0);
    let ints = weights
        .iter()
        .map(|w| Ok(at_scale("weights", w.normalize(), scale)?.mantissa()))
        .collect::<Result<Vec<i128>>>()?;
    let sum: i128 = ints
        .iter()
        .try_fold(0i128, |acc, w| acc.checked_add(*w))
        .or_overflow("weights")?;
    if sum == 0 {
        return Err(Error::invalid_value(
            "weights",
            "0",
            "weights must not all be zero",
        ));
    }
    let mut parts = Vec::with_capacity(ints.len());
    let mut rems = Vec::with_capacity(ints.len());
    let mut given: i128 = 0;
    for w in &ints {
        let share = units.checked_mul(*w).or_overflow("total")?;
        // `sum` is positive, so division and remainder cannot fail.
        let (part, rem) = (
            share.checked_div(sum).or_overflow("total")?,
            share.checked_rem(sum).or_overflow("total")?,
        );
        parts.push(part);
        rems.push(rem);
        given = given.checked_add(part).or_overflow("total")?;
    }
    // The floors sum to at most `units`, and fall short of it by less than
    // one unit per part.
    let leftover = units.checked_sub(given).or_overflow("total")?;
    let mut order: Vec<usize> = (0..ints.len()).collect();
    // Largest remainder first; equal remainders keep their position order.
    order.sort_unstable_by(|a, b| rems.get(*b).cmp(&rems.get(*a)).then(a.cmp(b)));
    for i in order
        .into_iter()
        .take(usize::try_from(leftover).unwrap_or(0))
    {
        if let Some(p) = parts.get_mut(i) {
            *p = p.checked_add(1).or_overflow("total")?;
        }
    }
    let negative = total.is_sign_negative() && !total.is_zero();
    parts
        .into_iter()
        .map(|p| {
            let p = if negative {
                p.checked_neg().or_overflow("total")?
            } else {
                p
            };
            Decimal::try_from_i128_with_scale(p, minor)
                .map(zero_unsigned)
                .map_err(|_| Error::overflow("total"))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn thirds_of_a_hundred() {
        let parts = allocate(d("100.00"), &[d("1"), d("1"), d("1")], 2).unwrap();
        assert_eq!(parts, vec![d("33.34"), d("33.33"), d("33.33")]);
    }

    #[test]
    fn negative_total_mirrors_positive() {
        let parts = allocate(d("-100.00"), &[d("1"), d("1"), d("1")], 2).unwrap();
        assert_eq!(parts, vec![d("-33.34"), d("-33.33"), d("-33.33")]);
    }

    #[test]
    fn largest_remainder_wins_the_cent() {
        // 10.00 by 1:2:3 -> 1.666.., 3.333.., 5.00 -> 1.66+1 cent (rem .666) , 3.33, 5.00
        let parts = allocate(d("10.00"), &[d("1"), d("2"), d("3")], 2).unwrap();
        assert_eq!(parts, vec![d("1.67"), d("3.33"), d("5.00")]);
    }

    #[test]
    fn jpy_and_kwd() {
        let yen = allocate(d("1000"), &[d("1"), d("1"), d("1")], 0).unwrap();
        assert_eq!(yen, vec![d("334"), d("333"), d("333")]);
        let kwd = allocate(d("1.000"), &[d("1"), d("1"), d("1")], 3).unwrap();
        assert_eq!(kwd, vec![d("0.334"), d("0.333"), d("0.333")]);
    }

    #[test]
    fn bad_weights() {
        assert_eq!(
            allocate(d("1"), &[], 2).unwrap_err().code(),
            "invalid_value"
        );
        assert_eq!(
            allocate(d("1"), &[d("0")], 2).unwrap_err().code(),
            "invalid_value"
        );
        assert_eq!(
            allocate(d("1"), &[d("-1"), d("2")], 2).unwrap_err().code(),
            "invalid_value"
        );
        assert_eq!(
            allocate(d("1.001"), &[d("1")], 2).unwrap_err().code(),
            "invalid_amount"
        );
    }

    #[test]
    fn rounding_policies() {
        let usd = Currency::new("USD").unwrap();
        assert_eq!(
            RoundingPolicy::HalfAwayFromZero.round_to(d("0.125"), usd),
            d("0.13")
        );
        assert_eq!(
            RoundingPolicy::HalfEven.round_to(d("0.125"), usd),
            d("0.12")
        );
        assert_eq!(
            RoundingPolicy::HalfAwayFromZero.round_to(d("-0.125"), usd),
            d("-0.13")
        );
        let jpy = Currency::new("JPY").unwrap();
        assert_eq!(
            RoundingPolicy::HalfAwayFromZero.round_to(d("2.5"), jpy),
            d("3")
        );
        assert_eq!(RoundingPolicy::HalfEven.round_to(d("2.5"), jpy), d("2"));
    }

    #[test]
    fn money_checks_minor_units() {
        let jpy = Currency::new("JPY").unwrap();
        assert_eq!(
            Money::parse("100.5", jpy).unwrap_err().code(),
            "too_many_decimals"
        );
        assert_eq!(Money::parse("100.00", jpy).unwrap().to_string(), "100 JPY");
        let kwd = Currency::new("KWD").unwrap();
        assert_eq!(Money::parse("1.5", kwd).unwrap().to_string(), "1.500 KWD");
        assert_eq!(
            Money::parse("1.5005", kwd).unwrap_err().code(),
            "too_many_decimals"
        );
    }

    #[test]
    fn parse_decimal_is_strict() {
        assert_eq!(parse_decimal("x", "12.50").unwrap(), d("12.50"));
        assert_eq!(parse_decimal("x", "-3").unwrap(), d("-3"));
        for bad in [
            "", "1e3", "NaN", "1,000", " 1", "1.", ".5", "--1", "0x10", "Infinity",
        ] {
            assert_eq!(
                parse_decimal("x", bad).unwrap_err().code(),
                "invalid_decimal",
                "{bad}"
            );
        }
    }

    #[test]
    fn mixing_currencies_is_an_error() {
        let a = Money::parse("1", Currency::new("USD").unwrap()).unwrap();
        let b = Money::parse("1", Currency::new("EUR").unwrap()).unwrap();
        assert_eq!(a.checked_add(b).unwrap_err().code(), "currency_mismatch");
    }
}
