//! `ar._ar._layer_echo`: a value read by the conversion layer (`de.rs`)
//! into [`Sample`] and written back as JSON, for the binding's own tests of
//! the layer (`tests/test_layer.py`). Not part of the documented API.

use std::collections::BTreeMap;

use ar_core::rust_decimal::Decimal;
use ar_core::{CeiVariant, Currency, Error, RoundingPolicy};
use pyo3::prelude::*;
use serde::{Deserialize, Serialize};

use crate::de::{self, Amount, Date, Limited, Timestamp};
use crate::errors::fail;

/// Every kind of value the layer converts, for the binding's own tests.
#[derive(Serialize, Deserialize)]
pub struct Sample {
    amount: Amount,
    amounts: Vec<Option<Amount>>,
    /// An amount as a core type reads it (`serde_decimal`, from text).
    #[serde(with = "ar_core::serde_decimal")]
    core_amount: Decimal,
    date: Date,
    recorded: Option<Timestamp>,
    text: String,
    count: u32,
    days: i64,
    flag: bool,
    rounding: RoundingPolicy,
    currency: Currency,
    cei: Option<CeiVariant>,
    tolerance: Option<Tolerance>,
    nested: Vec<Nested>,
    limited: Option<Limited<u32, 3>>,
    #[serde(default)]
    dimensions: BTreeMap<String, String>,
}

/// A record inside [`Sample`].
#[derive(Serialize, Deserialize)]
pub struct Nested {
    due_date: Date,
    lines: Vec<Vec<Amount>>,
}

/// An enum with data, given as `{variant: data}`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tolerance {
    /// A fixed amount.
    FixedAmount(Amount),
    /// A percentage.
    Percent {
        /// In percent.
        rate: Amount,
    },
}

/// For the binding's own tests: ``value`` read as a sample of every kind of
/// value the conversion layer reads, and written back as JSON.
#[pyfunction]
#[pyo3(signature = (value))]
pub fn _layer_echo(value: &Bound<'_, PyAny>) -> PyResult<String> {
    let sample: Sample = de::from_py(value, "value")?;
    serde_json::to_string(&sample).or_else(|e| {
        fail(Error::Internal {
            message: e.to_string(),
        })
    })
}
