//! Partial reports (`ar_core::partial`): `Book.agingPartial` and
//! `Book.metricsPartial` give a part's figures as lines, `agingFinish` and
//! `metricsFinish` read merged lines back and finish them in the core, so a
//! book split across workers (or across processes) gives the one-process
//! figures. Sums are integer strings: they are minor units of up to 38
//! digits, beyond a JS number.

use ar_core::partial::{Partial, PartialEntry as CoreEntry, MAX_PARTIAL_LINES};
use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;
use serde::{Deserialize, Serialize};

use crate::aging::{self, AgingOptions, AgingReport};
use crate::book::Book;
use crate::conv;
use crate::de::{self, Limited};
use crate::errors::guard;
use crate::metrics::{self, MetricsOptions, MetricsRow};

/// One line of a partial: an additive figure of a group in a currency (or,
/// with an empty `currency`, a line describing the partial). Partials merge
/// by adding `sum` and taking the least `min` of the lines with the same
/// `currency`, `group` and `field`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::partial::PartialEntry`
pub struct PartialEntry {
    /// Currency code; `""` for the lines describing the partial.
    pub currency: String,
    /// The group's values as a JSON array of strings (`'["C1"]'`).
    pub group: String,
    /// The figure: `bucket.0`, `items`, `ar_end`, ...
    pub field: String,
    /// The figure's value, an integer string (minor units, or a count).
    pub sum: String,
    /// The first invoice day on its line (days since 1970-01-01), 0
    /// elsewhere.
    pub min: i64,
}

/// A line as it crosses: the sum as text.
#[derive(Serialize, Deserialize)]
struct Line {
    currency: String,
    group: String,
    field: String,
    sum: String,
    min: i64,
}

fn lines(partial: &Partial) -> Vec<Line> {
    partial
        .entries()
        .into_iter()
        .map(|e| Line {
            currency: e.currency,
            group: e.group,
            field: e.field,
            sum: e.sum.to_string(),
            min: e.min,
        })
        .collect()
}

fn entries(env: &Env, value: Unknown<'_>) -> ar_core::Result<Partial> {
    let given: Limited<Line, MAX_PARTIAL_LINES> =
        de::from_js(env, value, "partial", "Array<PartialEntry>")?;
    let mut out = Vec::with_capacity(given.0.len());
    for (i, l) in given.0.into_iter().enumerate() {
        let sum = l
            .sum
            .parse::<i128>()
            .map_err(|_| ar_core::Error::InvalidValue {
                field: format!("partial[{i}].sum"),
                value: ar_core::shown_value(&l.sum).to_string(),
                reason: "an integer string".into(),
            })?;
        out.push(CoreEntry {
            currency: l.currency,
            group: l.group,
            field: l.field,
            sum,
            min: l.min,
        });
    }
    Partial::from_entries(out)
}

#[napi]
impl Book {
    /// This book's part of an aging (see `agingFinish`): its figures per
    /// currency and group as lines to merge with other parts'. A book's
    /// settlements must sit with their invoices (one part per invoice or
    /// per customer); one whose invoice is elsewhere is `not_found`.
    #[napi(
        ts_args_type = "options: Omit<AgingOptions, 'knownAt' | 'detail'>",
        ts_return_type = "Array<PartialEntry>"
    )]
    pub fn aging_partial<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let o: AgingOptions = conv::options(env, options, "options", "AgingOptions")?;
            let core = aging::core_options(&o)?;
            crate::out::to_js(env, &lines(&self.inner.aging_partial(&core)?), None)
        })
    }

    /// This book's part of the metrics (see `metricsFinish`).
    #[napi(
        ts_args_type = "options: Omit<MetricsOptions, 'knownAt'>",
        ts_return_type = "Array<PartialEntry>"
    )]
    pub fn metrics_partial<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let o: MetricsOptions = conv::options(env, options, "options", "MetricsOptions")?;
            let core = metrics::core_options(&o)?;
            crate::out::to_js(env, &lines(&self.inner.metrics_partial(&core)?), None)
        })
    }
}

/// The aging of the parts whose lines are `partial` (every part's lines,
/// concatenated or merged): the figures of `Book.aging` over the whole book,
/// rows sorted by currency then group. `options` must be the parts'.
///
/// Errors: `invalid_value` (lines of other options, or none), `overflow`,
/// `limit_exceeded`, and those of the options.
#[napi(
    ts_args_type = "partial: Array<PartialEntry>, options: Omit<AgingOptions, 'knownAt' | 'detail'>"
)]
pub fn aging_finish(
    env: Env,
    partial: Unknown<'_>,
    options: Unknown<'_>,
) -> napi::Result<AgingReport> {
    guard(&env, || {
        let p = entries(&env, partial)?;
        let o: AgingOptions = conv::options(&env, options, "options", "AgingOptions")?;
        Ok(aging::report(&p.finish_aging(&aging::core_options(&o)?)?))
    })
}

/// The metrics of the parts whose lines are `partial`: the rows of
/// `Book.metrics` over the whole book.
///
/// Errors: as `agingFinish`.
#[napi(ts_args_type = "partial: Array<PartialEntry>, options: Omit<MetricsOptions, 'knownAt'>")]
pub fn metrics_finish(
    env: Env,
    partial: Unknown<'_>,
    options: Unknown<'_>,
) -> napi::Result<Vec<MetricsRow>> {
    guard(&env, || {
        let p = entries(&env, partial)?;
        let o: MetricsOptions = conv::options(&env, options, "options", "MetricsOptions")?;
        let rows = p.finish_metrics(&metrics::core_options(&o)?)?;
        Ok(rows.iter().map(metrics::row).collect())
    })
}
