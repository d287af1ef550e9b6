//! The collector's worklist: `Ledger.worklist`. Every score comes from
//! `ar_core::worklist`.
//!
//! Through the conversion layer: the options are read by `de.rs`, the
//! core's `Worklist` written by `out.rs`; the `#[napi(object)]` structs of
//! the result declare their TypeScript interfaces only.

use ar_core::worklist::WorklistOptions as CoreOptions;
use ar_core::Currency;
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;
use serde::Deserialize;

use crate::de::{self, Date, Timestamp};
use crate::errors::guard;
use crate::ledger::Ledger;
use crate::out;
use crate::task;

/// The options of `Ledger.worklist`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct WorklistOptions {
    /// The worklist's date, `YYYY-MM-DD`.
    #[napi(ts_type = "string")]
    pub as_of: Date,
    /// Only events recorded by this time, RFC 3339. Default: everything.
    #[napi(ts_type = "string")]
    pub known_at: Option<Timestamp>,
    /// Only this currency (ISO 4217).
    #[napi(ts_type = "string")]
    pub currency: Option<Currency>,
    /// Only customers with this `[key, value]` dimension.
    #[napi(ts_type = "[string, string]")]
    pub dimension: Option<(String, String)>,
}

/// A customer worth a call, and why.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::worklist::WorklistRow`
pub struct WorklistRow {
    /// 1 first.
    pub rank: i64,
    pub customer: String,
    pub name: String,
    /// ISO 4217 code.
    pub currency: String,
    /// The score the rows are ranked by.
    pub score: String,
    /// Amount overdue.
    pub overdue: String,
    /// Overdue, each item weighted by its age.
    pub weighted_overdue: String,
    /// Items overdue.
    pub items: i64,
    /// Days past due of the oldest.
    pub oldest_days: i64,
    /// Share of past payments made late, `"0"` to `"1"`.
    pub late_share: String,
    /// Average days late of past payments.
    pub days_beyond_terms: String,
    /// Promises to pay broken.
    pub broken_promises: i64,
    /// Payment plans broken.
    pub broken_plans: i64,
    /// Everything the customer owes in the currency.
    pub exposure: String,
    /// The score in words.
    pub explanation: String,
    /// The customer is on credit hold (no new credit; collection goes on).
    pub credit_hold: bool,
}

/// A customer with something open left off the worklist, and why.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::worklist::WorklistExcluded`
pub struct WorklistExcluded {
    pub customer: String,
    /// ISO 4217 code.
    pub currency: String,
    #[napi(ts_type = "Array<'nothing_overdue' | 'disputed' | 'promised' | 'on_plan' | 'on_hold'>")]
    pub reasons: Vec<String>,
}

/// The collector's worklist.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::worklist::Worklist`
pub struct Worklist {
    /// Its date, `YYYY-MM-DD`.
    pub as_of: String,
    /// Customers to call, best first.
    pub rows: Vec<WorklistRow>,
    /// Customers with something open left off.
    pub excluded: Vec<WorklistExcluded>,
}

#[napi]
impl Ledger {
    /// The customers worth a call, best first, each with its score and
    /// why; those with something open left off, and why.
    ///
    /// Errors: `invalid_date`, `invalid_currency`, `invalid_type`.
    #[napi(ts_args_type = "options: WorklistOptions", ts_return_type = "Worklist")]
    pub fn worklist<'e>(&self, env: &'e Env, options: Unknown<'_>) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let o: WorklistOptions = de::options(env, options, "options", "WorklistOptions")?;
            let mut core = CoreOptions::new(o.as_of.0);
            core.known_at = o.known_at.map(|t| t.0);
            core.currency = o.currency;
            core.dimension = o.dimension;
            let w = self.core()?.worklist(&core)?;
            out::to_js(env, &w, None)
        })
    }

    /// `worklist` off the JS thread: resolves to the same worklist, of the
    /// ledger as it was when called. Rejects with the errors `worklist`
    /// throws.
    #[napi(
        ts_args_type = "options: WorklistOptions",
        ts_return_type = "Promise<Worklist>"
    )]
    pub fn worklist_async<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, Unknown<'e>>> {
        task::promise(env, || {
            let o: WorklistOptions = de::options(env, options, "options", "WorklistOptions")?;
            let mut core = CoreOptions::new(o.as_of.0);
            core.known_at = o.known_at.map(|t| t.0);
            core.currency = o.currency;
            core.dimension = o.dimension;
            let ledger = self.snapshot()?;
            Ok((
                move || ledger.worklist(&core),
                |env: &'e Env, w: ar_core::worklist::Worklist| out::to_js(env, &w, None),
            ))
        })
    }
}
