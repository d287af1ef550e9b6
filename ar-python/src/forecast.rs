//! The cash forecast: `Ledger.forecast` and `Ledger.forecast_backtest` read
//! their arguments here and hand back the core's `Forecast` and `Backtest`
//! as the records of `python/ar/_forecast.py`. Every figure comes from
//! `ar_core::forecast`.

use ar_core::forecast::ForecastOptions;
use pyo3::prelude::*;
use serde::Deserialize;

use crate::de::{self, Amount, Date, Timestamp};

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// The arguments of `Ledger.forecast` (and of the back-test, with `weeks`).
#[derive(Deserialize)]
struct Args {
    as_of: Date,
    known_at: Option<Timestamp>,
    shrinkage: Option<u32>,
    disputed_probability: Option<Amount>,
}

/// The core's options.
pub fn options(
    as_of: &Bound<'_, PyAny>,
    known_at: Arg<'_, '_>,
    shrinkage: Arg<'_, '_>,
    disputed_probability: Arg<'_, '_>,
) -> PyResult<ForecastOptions> {
    let args: Args = de::from_args(
        as_of.py(),
        &[
            ("as_of", Some(as_of)),
            ("known_at", known_at),
            ("shrinkage", shrinkage),
            ("disputed_probability", disputed_probability),
        ],
    )?;
    let mut options = ForecastOptions::new(args.as_of.0);
    options.known_at = args.known_at.map(|t| t.0);
    if let Some(s) = args.shrinkage {
        options.shrinkage = s;
    }
    options.disputed_probability = args.disputed_probability.map(|p| p.0);
    Ok(options)
}

/// The weeks of a back-test.
#[derive(Deserialize)]
struct Weeks {
    weeks: u32,
}

/// `weeks`, a count.
pub fn weeks(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    let w: Weeks = de::from_args(obj.py(), &[("weeks", Some(obj))])?;
    Ok(w.weeks)
}
