//! Module functions over amounts: `allocate`, `round_amount`, `minor_units`.

use ar_core::rust_decimal::Decimal;
use pyo3::prelude::*;

use crate::conv::{self, Dec};
use crate::errors::guard;

/// Split ``total`` into parts proportional to ``weights`` that sum exactly to
/// ``total``, at the minor unit of ``currency`` (largest remainder; ties go to
/// the earlier part).
///
/// >>> allocate(Decimal("100.00"), [1, 1, 1], "USD")
/// [Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
#[pyfunction]
#[pyo3(signature = (total, weights, currency))]
pub fn allocate(
    total: &Bound<'_, PyAny>,
    weights: &Bound<'_, PyAny>,
    currency: &Bound<'_, PyAny>,
) -> PyResult<Vec<Dec>> {
    let total = conv::decimal("total", total)?;
    let weights = conv::items(
        "weights",
        "list of decimal.Decimal, int or decimal str",
        weights,
    )?
    .iter()
    .enumerate()
    .map(|(i, w)| conv::decimal(&format!("weights[{i}]"), w))
    .collect::<PyResult<Vec<Decimal>>>()?;
    let currency = conv::currency("currency", currency)?;
    guard(|| ar_core::allocate(total, &weights, currency.minor_units())).map(|v| conv::decs(&v))
}

/// Round ``value`` once to the minor unit of ``currency`` by ``policy``
/// (``"half_away_from_zero"``, the default, or ``"half_even"``).
#[pyfunction]
#[pyo3(
    signature = (value, currency, policy = None),
    text_signature = "(value, currency, policy='half_away_from_zero')"
)]
pub fn round_amount(
    value: &Bound<'_, PyAny>,
    currency: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Dec> {
    let value = conv::decimal("value", value)?;
    let currency = conv::currency("currency", currency)?;
    let policy = match conv::given(policy) {
        Some(p) => conv::rounding("policy", p)?,
        None => ar_core::RoundingPolicy::default(),
    };
    guard(|| Ok(Dec(policy.round_to(value, currency))))
}

/// Decimal places of the minor unit of an ISO 4217 currency (USD 2, JPY 0,
/// KWD 3).
#[pyfunction]
#[pyo3(signature = (code))]
pub fn minor_units(code: &Bound<'_, PyAny>) -> PyResult<u32> {
    let currency = conv::currency("code", code)?;
    guard(|| Ok(currency.minor_units()))
}
