//! Bad-debt provisions: the aging-method allowance and IFRS 9 provision
//! matrix (`provision`, `agingProvision`), the adjusting entry
//! (`allowanceAdjustment`), and loss rates from historical roll rates
//! (`Ledger.rollRates`, `rollRatesFromHistory`, `lossRates`). Every figure
//! comes from `ar_core::provision`. Rates are in percent.

use ar_core::rust_decimal::Decimal;
use ar_core::Currency;
use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;

use ar_core::limits;

use crate::read::{from_js_object, Path};

use crate::conv::{self, DecimalInput};
use crate::errors::guard;
use crate::ledger::Ledger;

/// The argument of `provision`: one exposure and one rate per bucket.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ProvisionOptions {
    /// Bucket labels (e.g. an aging's `labels`).
    pub labels: Vec<String>,
    /// Open amount per bucket.
    #[napi(ts_type = "Array<string>")]
    pub exposures: Vec<DecimalInput>,
    /// Loss rate per bucket in percent, from `"0"` to `"100"`, any number of
    /// decimals (derived rates are best kept unrounded).
    #[napi(ts_type = "Array<string>")]
    pub rates: Vec<DecimalInput>,
    /// ISO 4217 code: the total is rounded to its minor unit.
    pub currency: String,
    /// Rounding of the total; default `half_away_from_zero`.
    #[napi(ts_type = "RoundingPolicy")]
    pub rounding: Option<String>,
}

from_js_object!(
    ProvisionOptions,
    labels: "labels",
    exposures: "exposures",
    rates: "rates",
    currency: "currency",
    rounding: "rounding",
);

/// The second argument of `agingProvision`: the exposures are the report's
/// totals in `currency`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct AgingProvisionOptions {
    /// Loss rate per bucket label of the report, in percent.
    #[napi(ts_type = "Array<string>")]
    pub rates: Vec<DecimalInput>,
    /// ISO 4217 code: which of the report's currency totals to provide for.
    pub currency: String,
    /// Rounding of the total; default `half_away_from_zero`.
    #[napi(ts_type = "RoundingPolicy")]
    pub rounding: Option<String>,
}

from_js_object!(
    AgingProvisionOptions,
    rates: "rates",
    currency: "currency",
    rounding: "rounding",
);

/// One bucket's share of a provision.
#[napi(object, object_from_js = false)]
pub struct ProvisionLine {
    /// Bucket label.
    pub bucket: String,
    /// Open amount in the bucket.
    pub exposure: String,
    /// Loss rate in percent.
    pub rate: String,
    /// `exposure x rate / 100`, unrounded (full precision, no trailing zeros).
    pub provision: String,
}

/// A provision over bucket exposures: per bucket, and the total rounded once.
#[napi(object, object_from_js = false)]
pub struct Provision {
    /// ISO 4217 currency code.
    pub currency: String,
    /// Per bucket.
    pub lines: Vec<ProvisionLine>,
    /// Total exposure, at the currency's minor unit.
    pub exposure: String,
    /// Sum of the unrounded line provisions, rounded once to the currency's
    /// minor unit by the rounding policy.
    pub total: String,
}

/// The journal entry that brings the allowance for doubtful accounts to what
/// is required.
#[napi(object, object_from_js = false)]
pub struct AllowanceAdjustment {
    /// Allowance required (a provision's total).
    pub required: String,
    /// Balance before the entry: positive for the usual credit balance,
    /// negative for a debit balance.
    pub existing: String,
    /// `required - existing`. Positive: debit bad-debt expense, credit the
    /// allowance. Negative: a release.
    pub adjustment: String,
}

/// The argument of `Ledger.rollRates`.
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct RollRatesOptions {
    /// Consecutive period ends, oldest first, `YYYY-MM-DD` (at least two);
    /// meaningful when a period is as long as a bucket (monthly ends, 30-day
    /// buckets).
    pub period_ends: Vec<String>,
    /// ISO 4217 code of the balances.
    pub currency: String,
    /// Bucket bounds in days, as for `aging`; default `[0, 30, 60, 90, 120]`.
    pub buckets: Option<Vec<f64>>,
    /// Percent of the last bucket that is never collected; default `"100"`.
    #[napi(ts_type = "string")]
    pub final_loss: Option<DecimalInput>,
    /// Only events recorded by this time, RFC 3339. Default: everything.
    pub known_at: Option<String>,
}

from_js_object!(
    RollRatesOptions,
    period_ends: "periodEnds" max limits::MAX_PERIODS,
    currency: "currency",
    buckets: "buckets" max limits::MAX_BUCKETS,
    final_loss: "finalLoss",
    known_at: "knownAt",
);

/// Roll rates and loss rates from the whole book's aging (due-date basis) at
/// each period end.
#[napi(object, object_from_js = false)]
pub struct RollRates {
    /// ISO 4217 currency code of the balances.
    pub currency: String,
    /// The period ends, as given (`YYYY-MM-DD`).
    pub period_ends: Vec<String>,
    /// Bucket labels.
    pub labels: Vec<String>,
    /// Bucket totals in the currency at each period end (oldest first), one
    /// amount per label.
    pub history: Vec<Vec<String>>,
    /// Per bucket but the last, the percent of its balance found one bucket
    /// older one period later, pooled over the history and capped at 100;
    /// `null` for a bucket that never held a balance.
    #[napi(ts_type = "Array<string | null>")]
    pub roll: Vec<Option<String>>,
    /// Per bucket, the percent lost: the chance of rolling to the last
    /// bucket times `finalLoss`; `null` where a roll rate in the chain is.
    #[napi(ts_type = "Array<string | null>")]
    pub loss: Vec<Option<String>>,
}

fn decimals(field: &str, values: &[DecimalInput]) -> ar_core::Result<Vec<Decimal>> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| conv::decimal(&format!("{field}[{i}]"), v))
        .collect()
}

fn rates_out(values: &[Option<Decimal>]) -> Vec<Option<String>> {
    values.iter().map(|v| v.map(conv::figure_out)).collect()
}

fn provision_out(p: &ar_core::provision::Provision) -> Provision {
    let c = p.currency;
    Provision {
        currency: c.code().to_owned(),
        lines: p
            .lines
            .iter()
            .map(|l| ProvisionLine {
                bucket: l.bucket.clone(),
                exposure: conv::money(l.exposure, c),
                rate: conv::decimal_out(l.rate),
                provision: conv::figure_out(l.provision),
            })
            .collect(),
        exposure: conv::money(p.exposure, c),
        total: conv::money(p.total, c),
    }
}

/// Applies a loss rate per bucket to the bucket exposures: the aging-method
/// allowance and the IFRS 9 provision matrix are both this computation. Each
/// line keeps full precision; the total is rounded once.
///
/// Errors: `invalid_value` (lists of different lengths, a rate outside 0 to
/// 100, an unknown rounding), `invalid_type` (a number as an amount or
/// rate), `invalid_decimal`, `invalid_currency`.
#[napi(ts_args_type = "options: ProvisionOptions")]
pub fn provision(env: Env, options: Unknown<'_>) -> napi::Result<Provision> {
    guard(&env, || {
        let o: ProvisionOptions = conv::options(&env, options, "options", "ProvisionOptions")?;
        let currency = conv::currency("currency", &o.currency)?;
        let p = ar_core::provision::provision(
            &o.labels,
            &decimals("exposures", &o.exposures)?,
            &decimals("rates", &o.rates)?,
            currency,
            conv::rounding("rounding", o.rounding.as_deref())?,
        )?;
        Ok(provision_out(&p))
    })
}

/// The labels and the bucket amounts of `currency` of an aging report (a
/// `Ledger.aging` result, the argument `report`): zero in every bucket
/// when the report has no total in that currency.
fn report_exposures(
    env: &Env,
    report: Unknown<'_>,
    currency: Currency,
) -> ar_core::Result<(Vec<String>, Vec<Decimal>)> {
    conv::with_object(env, report, "report", "AgingReport", |r, report, path| {
        let labels: Vec<String> = r.field(report, "labels", path, None)?;
        let totals = r.get(report, "totals", path)?;
        let totals_path = Path::Key(path, "totals");
        // Each row's currency and, for the one asked for, its buckets.
        let rows = r.array(
            totals,
            &totals_path,
            "an array of AgingRow",
            None,
            |r, row, at| {
                r.object(row, at, "AgingRow")?;
                let code: String = r.field(row, "currency", at, None)?;
                if code != currency.code() {
                    return Ok(None);
                }
                let buckets: Vec<DecimalInput> = r.field(row, "buckets", at, None)?;
                let field = Path::Key(at, "buckets").to_string();
                decimals(&field, &buckets).map(Some)
            },
        )?;
        match rows.into_iter().flatten().next() {
            Some(buckets) => Ok((labels, buckets)),
            None => {
                let zeros = vec![Decimal::ZERO; labels.len()];
                Ok((labels, zeros))
            }
        }
    })
}

/// `provision` over an aging report's totals in `currency`: its labels, its
/// bucket amounts as exposures (zero when the report has nothing in that
/// currency), one rate per label.
///
/// Errors: as `provision`; `invalid_type` when `report` is not an aging
/// report.
#[napi(ts_args_type = "report: AgingReport, options: AgingProvisionOptions")]
pub fn aging_provision(
    env: Env,
    report: Unknown<'_>,
    options: Unknown<'_>,
) -> napi::Result<Provision> {
    guard(&env, || {
        let o: AgingProvisionOptions =
            conv::options(&env, options, "options", "AgingProvisionOptions")?;
        let currency = conv::currency("currency", &o.currency)?;
        let (labels, exposures) = report_exposures(&env, report, currency)?;
        let p = ar_core::provision::provision(
            &labels,
            &exposures,
            &decimals("rates", &o.rates)?,
            currency,
            conv::rounding("rounding", o.rounding.as_deref())?,
        )?;
        Ok(provision_out(&p))
    })
}

/// The adjusting entry for an allowance: `adjustment = required - existing`
/// (`existing` negative for a debit balance). Amounts as given, not rounded.
///
/// Errors: `invalid_type`, `invalid_decimal`.
#[napi(ts_args_type = "required: string, existing: string")]
pub fn allowance_adjustment(
    env: Env,
    required: Unknown<'_>,
    existing: Unknown<'_>,
) -> napi::Result<AllowanceAdjustment> {
    guard(&env, || {
        let required: DecimalInput = conv::from_js(&env, required, "required", "string")?;
        let existing: DecimalInput = conv::from_js(&env, existing, "existing", "string")?;
        let a = ar_core::provision::allowance_adjustment(
            conv::decimal("required", &required)?,
            conv::decimal("existing", &existing)?,
        )?;
        Ok(AllowanceAdjustment {
            required: conv::decimal_out(a.required),
            existing: conv::decimal_out(a.existing),
            adjustment: conv::decimal_out(a.adjustment),
        })
    })
}

/// Roll rates (percent) from bucket balances at consecutive period ends
/// (oldest first, one balance per bucket each): for each bucket but the
/// last, `sum_t B[i+1](t+1) / sum_t B[i](t) x 100`, capped at 100; `null`
/// for a bucket that never held a balance. `Ledger.rollRates` computes the
/// history from the book.
///
/// Errors: `invalid_value` (fewer than two periods, rows of unequal
/// length), `invalid_type`, `invalid_decimal`.
#[napi(
    ts_args_type = "history: Array<Array<string>>",
    ts_return_type = "Array<string | null>"
)]
pub fn roll_rates_from_history(
    env: Env,
    history: Unknown<'_>,
) -> napi::Result<Vec<Option<String>>> {
    guard(&env, || {
        let rows: Vec<Vec<DecimalInput>> = conv::from_js(
            &env,
            history,
            "history",
            "an array of arrays of decimal strings",
        )?;
        let history = rows
            .iter()
            .enumerate()
            .map(|(i, r)| decimals(&format!("history[{i}]"), r))
            .collect::<ar_core::Result<Vec<_>>>()?;
        Ok(rates_out(&ar_core::provision::roll_rates(&history)?))
    })
}

/// Loss rates (percent) per bucket from roll rates (percent): `loss[i] =
/// roll[i] x roll[i+1] x ... x finalLoss`, one more entry than `roll` (the
/// last is `finalLoss`); `null` where the chain has an unknown roll rate.
///
/// Errors: `invalid_type`, `invalid_decimal`.
#[napi(
    ts_args_type = "roll: Array<string | null>, finalLoss: string",
    ts_return_type = "Array<string | null>"
)]
pub fn loss_rates(
    env: Env,
    roll: Unknown<'_>,
    final_loss: Unknown<'_>,
) -> napi::Result<Vec<Option<String>>> {
    guard(&env, || {
        let list: Vec<Option<DecimalInput>> =
            conv::from_js(&env, roll, "roll", "an array of decimal strings or nulls")?;
        let roll = list
            .iter()
            .enumerate()
            .map(|(i, r)| conv::opt_decimal(&format!("roll[{i}]"), r.as_ref()))
            .collect::<ar_core::Result<Vec<_>>>()?;
        let final_loss: DecimalInput = conv::from_js(&env, final_loss, "finalLoss", "string")?;
        let final_loss = conv::decimal("finalLoss", &final_loss)?;
        Ok(rates_out(&ar_core::provision::loss_rates(
            &roll, final_loss,
        )?))
    })
}

#[napi]
impl Ledger {
    /// Roll rates and loss rates from the book: the whole book's aging in
    /// `currency` (due-date basis) at each of `periodEnds`, then
    /// `rollRatesFromHistory` and `lossRates` with `finalLoss`.
    ///
    /// Errors: `invalid_value` (fewer than two period ends, bad buckets),
    /// `invalid_currency`, `invalid_date`, `invalid_type`,
    /// `invalid_decimal`.
    #[napi(ts_args_type = "options: RollRatesOptions")]
    pub fn roll_rates(&self, env: Env, options: Unknown<'_>) -> napi::Result<RollRates> {
        guard(&env, || {
            let o: RollRatesOptions = conv::options(&env, options, "options", "RollRatesOptions")?;
            let ends = o
                .period_ends
                .iter()
                .enumerate()
                .map(|(i, d)| conv::date(&format!("periodEnds[{i}]"), d))
                .collect::<ar_core::Result<Vec<_>>>()?;
            let currency = conv::currency("currency", &o.currency)?;
            let buckets = crate::aging::buckets("buckets", o.buckets.as_deref())?;
            let final_loss = conv::opt_decimal("finalLoss", o.final_loss.as_ref())?
                .unwrap_or(Decimal::ONE_HUNDRED);
            let known_at = o
                .known_at
                .as_deref()
                .map(|t| conv::timestamp("knownAt", t))
                .transpose()?;
            let history = self
                .core()?
                .bucket_history(&ends, &buckets, currency, known_at)?;
            let roll = ar_core::provision::roll_rates(&history)?;
            let loss = ar_core::provision::loss_rates(&roll, final_loss)?;
            Ok(RollRates {
                currency: currency.code().to_owned(),
                period_ends: ends.iter().copied().map(conv::date_out).collect(),
                labels: buckets.labels(),
                history: history
                    .iter()
                    .map(|row| row.iter().map(|v| conv::money(*v, currency)).collect())
                    .collect(),
                roll: rates_out(&roll),
                loss: rates_out(&loss),
            })
        })
    }
}
