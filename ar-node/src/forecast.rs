//! The cash forecast: `Ledger.forecast` and `Ledger.forecastBacktest`.
//! Every figure comes from `ar_core::forecast`.
//!
//! Through the conversion layer: the options are read by `de.rs`, the
//! core's `Forecast` and `Backtest` written by `out.rs`; the
//! `#[napi(object)]` structs of the results declare their TypeScript
//! interfaces only.

use ar_core::forecast::ForecastOptions as CoreOptions;
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;
use serde::Deserialize;

use crate::de::{self, Amount, Date, Timestamp};
use crate::errors::guard;
use crate::ledger::Ledger;
use crate::out;
use crate::task;

/// The options of `Ledger.forecast`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct ForecastOptions {
    /// The forecast's date, `YYYY-MM-DD`: what is open then, expected after
    /// it.
    #[napi(ts_type = "string")]
    pub as_of: Date,
    /// Only events recorded by this time, RFC 3339. Default: everything.
    #[napi(ts_type = "string")]
    pub known_at: Option<Timestamp>,
    /// Weight of the book's behaviour against a customer's own, in paid
    /// installments; default 5.
    pub shrinkage: Option<u32>,
    /// Share of a disputed item expected, `"0"` to `"1"`; disputed items
    /// are left out when absent.
    #[napi(ts_type = "string")]
    pub disputed_probability: Option<Amount>,
}

/// The options of `Ledger.forecastBacktest`: a forecast's, and the weeks to
/// compare.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct BacktestOptions {
    /// The (past) forecast's date, `YYYY-MM-DD`.
    #[napi(ts_type = "string")]
    pub as_of: Date,
    /// Weeks after it to compare, 1 to 520.
    pub weeks: u32,
    /// Only events recorded by this time, RFC 3339. Default: everything.
    #[napi(ts_type = "string")]
    pub known_at: Option<Timestamp>,
    /// As for `forecast`; default 5.
    pub shrinkage: Option<u32>,
    /// As for `forecast`.
    #[napi(ts_type = "string")]
    pub disputed_probability: Option<Amount>,
}

fn core_options(
    as_of: Date,
    known_at: Option<Timestamp>,
    shrinkage: Option<u32>,
    disputed: Option<Amount>,
) -> CoreOptions {
    let mut o = CoreOptions::new(as_of.0);
    o.known_at = known_at.map(|t| t.0);
    if let Some(s) = shrinkage {
        o.shrinkage = s;
    }
    o.disputed_probability = disputed.map(|p| p.0);
    o
}

/// One open installment and when its cash is expected.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::forecast::ForecastItem`
pub struct ForecastItem {
    /// Customer id.
    pub customer: String,
    /// Invoice id.
    pub invoice: String,
    /// Installment number (1 for a single due date).
    pub installment: u32,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Due date, `YYYY-MM-DD`.
    pub due_date: String,
    /// Amount open.
    pub open: String,
    /// Expected date, `YYYY-MM-DD`: the due date plus `delayDays`, never
    /// before the day after the forecast.
    pub expected_date: String,
    /// Amount expected: all of `open`, or a disputed item's share.
    pub expected_amount: String,
    /// Expected days late (negative: early).
    pub delay_days: i64,
    /// The customer's paid installments the delay was learnt from.
    pub history: i64,
    /// Whether the item is disputed.
    pub disputed: bool,
}

/// Cash expected in one day, week (from Monday) or month.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::forecast::ForecastBucket`
pub struct ForecastBucket {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Amount expected.
    pub amount: String,
}

/// The cash expected after a date.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::forecast::Forecast`
pub struct Forecast {
    /// The forecast's date, `YYYY-MM-DD`.
    pub as_of: String,
    /// The whole book's average days late, which a customer with little
    /// history is shrunk toward.
    pub book_delay_days: i64,
    /// Per open installment.
    pub items: Vec<ForecastItem>,
    /// Per day.
    pub daily: Vec<ForecastBucket>,
    /// Per week, from Monday.
    pub weekly: Vec<ForecastBucket>,
    /// Per month.
    pub monthly: Vec<ForecastBucket>,
}

/// One week of a back-test.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::forecast::BacktestWeek`
pub struct BacktestWeek {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// ISO 4217 currency code.
    pub currency: String,
    /// What the forecast expected.
    pub forecast: String,
    /// What was received on its items.
    pub actual: String,
    /// The naive forecast: everything paid on its due date.
    pub on_due_date: String,
    /// The naive forecast: everything paid the book's average delay late.
    pub book_average: String,
}

/// The errors of a back-test in one currency.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::forecast::BacktestError`
pub struct BacktestError {
    /// ISO 4217 currency code.
    pub currency: String,
    /// Mean absolute weekly error of the forecast.
    pub mae: String,
    /// Mean of forecast minus actual.
    pub bias: String,
    /// Mean absolute error of paying on the due date.
    pub mae_on_due_date: String,
    /// Mean absolute error of paying the book's average delay late.
    pub mae_book_average: String,
}

/// A forecast as of a past date against the weeks after it.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::forecast::Backtest`
pub struct Backtest {
    /// The forecast compared.
    pub forecast: Forecast,
    /// Per week and currency.
    pub weeks: Vec<BacktestWeek>,
    /// Per currency.
    pub errors: Vec<BacktestError>,
}

#[napi]
impl Ledger {
    /// The cash expected from the items open at `asOf`: each expected its
    /// customer's average days late, shrunk toward the book's by
    /// `shrinkage` paid installments; disputed items left out unless
    /// `disputedProbability` says what share of them to expect. Totals per
    /// day, week and month.
    ///
    /// Errors: `invalid_amount` (a probability outside 0 to 1),
    /// `invalid_date`, `invalid_type`, `invalid_value`.
    #[napi(ts_args_type = "options: ForecastOptions", ts_return_type = "Forecast")]
    pub fn forecast<'e>(&self, env: &'e Env, options: Unknown<'_>) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let o: ForecastOptions = de::options(env, options, "options", "ForecastOptions")?;
            let o = core_options(o.as_of, o.known_at, o.shrinkage, o.disputed_probability);
            let f = self.core()?.forecast(&o)?;
            out::to_js(env, &f, None)
        })
    }

    /// `forecast` off the JS thread: resolves to the same forecast, of the
    /// ledger as it was when called. Rejects with the errors `forecast`
    /// throws.
    #[napi(
        ts_args_type = "options: ForecastOptions",
        ts_return_type = "Promise<Forecast>"
    )]
    pub fn forecast_async<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, Unknown<'e>>> {
        task::promise(env, || {
            let o: ForecastOptions = de::options(env, options, "options", "ForecastOptions")?;
            let o = core_options(o.as_of, o.known_at, o.shrinkage, o.disputed_probability);
            let ledger = self.snapshot()?;
            Ok((
                move || ledger.forecast(&o),
                |env: &'e Env, f: ar_core::forecast::Forecast| out::to_js(env, &f, None),
            ))
        })
    }

    /// The forecast as of a past `asOf` against what was received on its
    /// items in each of the `weeks` after it, beside two naive forecasts
    /// (paid on the due date; paid the book's average delay after it): per
    /// week and currency, and the mean absolute error and bias of each.
    ///
    /// Errors: as `forecast`; `invalid_value` for no weeks,
    /// `limit_exceeded` past 520.
    #[napi(ts_args_type = "options: BacktestOptions", ts_return_type = "Backtest")]
    pub fn forecast_backtest<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let o: BacktestOptions = de::options(env, options, "options", "BacktestOptions")?;
            let weeks = o.weeks;
            let o = core_options(o.as_of, o.known_at, o.shrinkage, o.disputed_probability);
            let t = self.core()?.forecast_backtest(&o, weeks)?;
            out::to_js(env, &t, None)
        })
    }
}
