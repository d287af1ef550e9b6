//! `_layerEcho`: a value read by the conversion layer (`de.rs`) into
//! [`Sample`] and written back by `out.rs`, for the binding's own tests of
//! the layer (`test/layer.test.mjs`). Not part of the documented API.

use std::collections::BTreeMap;

use ar_core::rust_decimal::Decimal;
use ar_core::{CeiVariant, Currency, RoundingPolicy};
use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;
use serde::{Deserialize, Serialize};

use crate::de::{self, Amount, Date, Limited, Timestamp};
use crate::errors::guard;

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

/// For the binding's own tests: `value` read as a sample of every kind of
/// value the conversion layer reads, and written back.
#[napi(
    js_name = "_layerEcho",
    ts_args_type = "value: unknown",
    ts_return_type = "unknown"
)]
pub fn layer_echo<'e>(env: &'e Env, value: Unknown<'_>) -> napi::Result<Unknown<'e>> {
    guard(env, || {
        let sample: Sample = de::from_js(env, value, "value", "Sample")?;
        crate::out::to_js(env, &sample, None)
    })
}
