//! Money functions: exact splitting, rounding by policy, minor units.

use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;

use crate::conv::{self, DecimalInput};
use crate::errors::guard;

/// Rounding policy of an intermediate result, applied once at the end:
/// `half_away_from_zero` ("commercial", the default: 0.125 -> 0.13) or
/// `half_even` ("banker's": 0.125 -> 0.12).
#[napi(string_enum = "snake_case")]
pub enum RoundingPolicy {
    /// Half away from zero: 0.125 -> 0.13, -0.125 -> -0.13.
    HalfAwayFromZero,
    /// Half to even: 0.125 -> 0.12, 0.135 -> 0.14.
    HalfEven,
}

/// Splits `total` into parts proportional to `weights` that sum exactly to
/// `total`, at the minor unit of `currency` (largest remainder; ties go to
/// the earlier part).
///
/// `allocate("100.00", ["1", "1", "1"], "USD")` is
/// `["33.34", "33.33", "33.33"]`.
///
/// Errors: `invalid_type` (a number instead of a string), `invalid_decimal`,
/// `invalid_currency`, `invalid_value` (no weights, a negative weight, all
/// zero), `invalid_amount` (`total` finer than the currency's minor unit),
/// `overflow`.
#[napi(ts_args_type = "total: string, weights: Array<string>, currency: string")]
pub fn allocate(
    env: Env,
    total: Unknown<'_>,
    weights: Unknown<'_>,
    currency: Unknown<'_>,
) -> napi::Result<Vec<String>> {
    guard(&env, || {
        let total: DecimalInput = conv::from_js(&env, total, "total", "string")?;
        let weights: Vec<DecimalInput> = conv::from_js_limited(
            &env,
            weights,
            "weights",
            "an array of decimal strings",
            ar_core::limits::MAX_WEIGHTS,
        )?;
        let code: String = conv::from_js(&env, currency, "currency", "string")?;
        let currency = conv::currency("currency", &code)?;
        let total = conv::decimal("total", &total)?;
        let weights = weights
            .iter()
            .enumerate()
            .map(|(i, w)| conv::decimal(&format!("weights[{i}]"), w))
            .collect::<ar_core::Result<Vec<_>>>()?;
        let parts = ar_core::allocate(total, &weights, currency.minor_units())?;
        Ok(parts
            .into_iter()
            .map(|p| conv::money(p, currency))
            .collect())
    })
}

/// Rounds `value` to the minor unit of `currency` by `policy` (default
/// `half_away_from_zero`): `roundAmount("0.125", "USD", "half_even")` is
/// `"0.12"`.
///
/// Errors: `invalid_type`, `invalid_decimal`, `invalid_currency`,
/// `invalid_value` (unknown policy).
#[napi(ts_args_type = "value: string, currency: string, policy?: RoundingPolicy")]
pub fn round_amount(
    env: Env,
    value: Unknown<'_>,
    currency: Unknown<'_>,
    policy: Option<Unknown<'_>>,
) -> napi::Result<String> {
    guard(&env, || {
        let value: DecimalInput = conv::from_js(&env, value, "value", "string")?;
        let code: String = conv::from_js(&env, currency, "currency", "string")?;
        let policy: Option<String> = conv::from_js_opt(&env, policy, "policy", "string")?;
        let currency = conv::currency("currency", &code)?;
        let policy = conv::rounding("policy", policy.as_deref())?;
        let value = conv::decimal("value", &value)?;
        Ok(conv::money(policy.round_to(value, currency), currency))
    })
}

/// Decimal places of the minor unit of an ISO 4217 currency: `USD` 2,
/// `JPY` 0, `KWD` 3.
///
/// Errors: `invalid_currency`.
#[napi(ts_args_type = "code: string")]
pub fn minor_units(env: Env, code: Unknown<'_>) -> napi::Result<u32> {
    guard(&env, || {
        let code: String = conv::from_js(&env, code, "code", "string")?;
        Ok(conv::currency("code", &code)?.minor_units())
    })
}

impl From<ar_core::RoundingPolicy> for RoundingPolicy {
    fn from(policy: ar_core::RoundingPolicy) -> Self {
        match policy {
            ar_core::RoundingPolicy::HalfAwayFromZero => RoundingPolicy::HalfAwayFromZero,
            ar_core::RoundingPolicy::HalfEven => RoundingPolicy::HalfEven,
        }
    }
}
