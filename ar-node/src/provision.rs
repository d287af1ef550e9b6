//! Bad-debt provisions: the aging-method allowance and IFRS 9 provision
//! matrix (`provision`, `agingProvision`), the adjusting entry
//! (`allowanceAdjustment`), and loss rates from historical roll rates
//! (`Ledger.rollRates`, `rollRatesFromHistory`, `lossRates`). Every figure
//! comes from `ar_core::provision`. Rates are in percent.
//!
//! Through the conversion layer: arguments are read by `de.rs` into the
//! `Deserialize` structs below, results written by `out.rs` from the core's
//! `Serialize` types; the `#[napi(object)]` structs of the results declare
//! their TypeScript interfaces only.

use ar_core::limits::{MAX_BUCKETS, MAX_PERIODS};
use ar_core::rust_decimal::Decimal;
use ar_core::{Buckets, Currency, RoundingPolicy};
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;
use serde::{Deserialize, Serialize};

use crate::conv;
use crate::de::{self, Amount, Date, Limited, Timestamp};
use crate::errors::guard;
use crate::ledger::Ledger;
use crate::out::{self, Form, Hint, Shape};
use crate::task;

/// The argument of `provision`: one exposure and one rate per bucket.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct ProvisionOptions {
    /// Bucket labels (e.g. an aging's `labels`).
    pub labels: Vec<String>,
    /// Open amount per bucket.
    #[napi(ts_type = "Array<string>")]
    pub exposures: Vec<Amount>,
    /// Loss rate per bucket in percent, from `"0"` to `"100"`, any number of
    /// decimals (derived rates are best kept unrounded).
    #[napi(ts_type = "Array<string>")]
    pub rates: Vec<Amount>,
    /// ISO 4217 code: the total is rounded to its minor unit.
    #[napi(ts_type = "string")]
    pub currency: Currency,
    /// Rounding of the total; default `half_away_from_zero`.
    #[napi(ts_type = "RoundingPolicy")]
    pub rounding: Option<RoundingPolicy>,
}

/// The second argument of `agingProvision`: the exposures are the report's
/// totals in `currency`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct AgingProvisionOptions {
    /// Loss rate per bucket label of the report, in percent.
    #[napi(ts_type = "Array<string>")]
    pub rates: Vec<Amount>,
    /// ISO 4217 code: which of the report's currency totals to provide for.
    #[napi(ts_type = "string")]
    pub currency: Currency,
    /// Rounding of the total; default `half_away_from_zero`.
    #[napi(ts_type = "RoundingPolicy")]
    pub rounding: Option<RoundingPolicy>,
}

/// One bucket's share of a provision.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::provision::ProvisionLine`
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
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::provision::Provision`
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

/// `Provision` as this binding has always written it: line exposures at the
/// minor unit, line provisions without trailing zeros.
static PROVISION: Shape = Shape(&[("lines", Hint::Nested(&LINE))]);
static LINE: Shape = Shape(&[
    ("exposure", Hint::Form(Form::Money)),
    ("provision", Hint::Form(Form::Figure)),
]);

/// The journal entry that brings the allowance for doubtful accounts to what
/// is required.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::provision::AllowanceAdjustment`
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
#[derive(Deserialize)]
pub struct RollRatesOptions {
    /// Consecutive period ends, oldest first, `YYYY-MM-DD` (at least two);
    /// meaningful when a period is as long as a bucket (monthly ends, 30-day
    /// buckets).
    #[napi(ts_type = "Array<string>")]
    pub period_ends: Limited<Date, MAX_PERIODS>,
    /// ISO 4217 code of the balances.
    #[napi(ts_type = "string")]
    pub currency: Currency,
    /// Bucket bounds in days, as for `aging`; default `[0, 30, 60, 90, 120]`.
    #[napi(ts_type = "Array<number>")]
    pub buckets: Option<Limited<i64, MAX_BUCKETS>>,
    /// Percent of the last bucket that is never collected; default `"100"`.
    #[napi(ts_type = "string")]
    pub final_loss: Option<Amount>,
    /// Only events recorded by this time, RFC 3339. Default: everything.
    #[napi(ts_type = "string")]
    pub known_at: Option<Timestamp>,
}

/// Roll rates and loss rates from the whole book's aging (due-date basis) at
/// each period end.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Serialize)]
pub struct RollRates {
    /// ISO 4217 currency code of the balances.
    #[napi(ts_type = "string")]
    pub currency: Currency,
    /// The period ends, as given (`YYYY-MM-DD`).
    #[napi(ts_type = "Array<string>")]
    pub period_ends: Vec<ar_core::chrono::NaiveDate>,
    /// Bucket labels.
    pub labels: Vec<String>,
    /// Bucket totals in the currency at each period end (oldest first), one
    /// amount per label.
    #[napi(ts_type = "Array<Array<string>>")]
    pub history: Vec<Vec<Decimal>>,
    /// Per bucket but the last, the percent of its balance found one bucket
    /// older one period later, pooled over the history and capped at 100;
    /// `null` for a bucket that never held a balance.
    #[napi(ts_type = "Array<string | null>")]
    pub roll: Vec<Option<Decimal>>,
    /// Per bucket, the percent lost: the chance of rolling to the last
    /// bucket times `finalLoss`; `null` where a roll rate in the chain is.
    #[napi(ts_type = "Array<string | null>")]
    pub loss: Vec<Option<Decimal>>,
}

static ROLL_RATES: Shape = Shape(&[
    ("history", Hint::Form(Form::Money)),
    ("roll", Hint::Form(Form::Figure)),
    ("loss", Hint::Form(Form::Figure)),
]);

/// The report fields `agingProvision` reads: the labels and, per currency,
/// the totals' buckets.
#[derive(Deserialize)]
struct Report {
    labels: Vec<String>,
    totals: Vec<Totals>,
}

#[derive(Deserialize)]
struct Totals {
    currency: String,
    buckets: Vec<Amount>,
}

fn decimals(values: &[Amount]) -> Vec<Decimal> {
    values.iter().map(|a| a.0).collect()
}

fn rates_out(values: &[Option<Decimal>]) -> Vec<Option<String>> {
    values.iter().map(|v| v.map(conv::figure_out)).collect()
}

/// Applies a loss rate per bucket to the bucket exposures: the aging-method
/// allowance and the IFRS 9 provision matrix are both this computation. Each
/// line keeps full precision; the total is rounded once.
///
/// Errors: `invalid_value` (lists of different lengths, a rate outside 0 to
/// 100, an unknown rounding), `invalid_type` (a number as an amount or
/// rate), `invalid_decimal`, `invalid_currency`.
#[napi(
    ts_args_type = "options: ProvisionOptions",
    ts_return_type = "Provision"
)]
pub fn provision<'e>(env: &'e Env, options: Unknown<'_>) -> napi::Result<Unknown<'e>> {
    guard(env, || {
        let o: ProvisionOptions = de::options(env, options, "options", "ProvisionOptions")?;
        let p = ar_core::provision::provision(
            &o.labels,
            &decimals(&o.exposures),
            &decimals(&o.rates),
            o.currency,
            o.rounding.unwrap_or_default(),
        )?;
        out::to_js(env, &p, Some(&PROVISION))
    })
}

/// `provision` over an aging report's totals in `currency`: its labels, its
/// bucket amounts as exposures (zero when the report has nothing in that
/// currency), one rate per label.
///
/// Errors: as `provision`; `invalid_type` when `report` is not an aging
/// report.
#[napi(
    ts_args_type = "report: AgingReport, options: AgingProvisionOptions",
    ts_return_type = "Provision"
)]
pub fn aging_provision<'e>(
    env: &'e Env,
    report: Unknown<'_>,
    options: Unknown<'_>,
) -> napi::Result<Unknown<'e>> {
    guard(env, || {
        let o: AgingProvisionOptions =
            de::options(env, options, "options", "AgingProvisionOptions")?;
        let r: Report = de::from_js(env, report, "report", "AgingReport")?;
        let exposures = r
            .totals
            .iter()
            .find(|t| t.currency == o.currency.code())
            .map_or_else(
                || vec![Decimal::ZERO; r.labels.len()],
                |t| decimals(&t.buckets),
            );
        let p = ar_core::provision::provision(
            &r.labels,
            &exposures,
            &decimals(&o.rates),
            o.currency,
            o.rounding.unwrap_or_default(),
        )?;
        out::to_js(env, &p, Some(&PROVISION))
    })
}

/// The adjusting entry for an allowance: `adjustment = required - existing`
/// (`existing` negative for a debit balance). Amounts as given, not rounded.
///
/// Errors: `invalid_type`, `invalid_decimal`.
#[napi(
    ts_args_type = "required: string, existing: string",
    ts_return_type = "AllowanceAdjustment"
)]
pub fn allowance_adjustment<'e>(
    env: &'e Env,
    required: Unknown<'_>,
    existing: Unknown<'_>,
) -> napi::Result<Unknown<'e>> {
    guard(env, || {
        let required: Amount = de::from_js(env, required, "required", de::AMOUNT_TEXT)?;
        let existing: Amount = de::from_js(env, existing, "existing", de::AMOUNT_TEXT)?;
        let a = ar_core::provision::allowance_adjustment(required.0, existing.0)?;
        out::to_js(env, &a, None)
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
        let rows: Vec<Vec<Amount>> = de::from_js(
            &env,
            history,
            "history",
            "an array of arrays of decimal strings",
        )?;
        let history: Vec<Vec<Decimal>> = rows.iter().map(|r| decimals(r)).collect();
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
        let roll: Vec<Option<Amount>> =
            de::from_js(&env, roll, "roll", "an array of decimal strings or nulls")?;
        let roll: Vec<Option<Decimal>> = roll.iter().map(|r| r.map(|a| a.0)).collect();
        let final_loss: Amount = de::from_js(&env, final_loss, "finalLoss", de::AMOUNT_TEXT)?;
        Ok(rates_out(&ar_core::provision::loss_rates(
            &roll,
            final_loss.0,
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
    #[napi(
        ts_args_type = "options: RollRatesOptions",
        ts_return_type = "RollRates"
    )]
    pub fn roll_rates<'e>(&self, env: &'e Env, options: Unknown<'_>) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let query = RollRatesQuery::read(env, options)?;
            let rates = query.run(&*self.core()?)?;
            out::to_js(env, &rates, Some(&ROLL_RATES))
        })
    }

    /// `rollRates` off the JS thread: resolves to the same rates, of the
    /// ledger as it was when called. Rejects with the errors `rollRates`
    /// throws.
    #[napi(
        ts_args_type = "options: RollRatesOptions",
        ts_return_type = "Promise<RollRates>"
    )]
    pub fn roll_rates_async<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, Unknown<'e>>> {
        task::promise(env, || {
            let query = RollRatesQuery::read(env, options)?;
            let ledger = self.snapshot()?;
            Ok((
                move || query.run(&ledger),
                |env: &'e Env, rates: RollRates| out::to_js(env, &rates, Some(&ROLL_RATES)),
            ))
        })
    }
}

/// The arguments of `rollRates`, read.
struct RollRatesQuery {
    ends: Vec<ar_core::chrono::NaiveDate>,
    buckets: Buckets,
    currency: Currency,
    final_loss: Decimal,
    known_at: Option<ar_core::chrono::DateTime<ar_core::chrono::Utc>>,
}

impl RollRatesQuery {
    fn read(env: &Env, options: Unknown<'_>) -> ar_core::Result<Self> {
        let o: RollRatesOptions = de::options(env, options, "options", "RollRatesOptions")?;
        Ok(RollRatesQuery {
            ends: o.period_ends.0.iter().map(|d| d.0).collect(),
            buckets: match o.buckets {
                Some(bounds) => Buckets::new(bounds.0)?,
                None => Buckets::default(),
            },
            currency: o.currency,
            final_loss: o.final_loss.map_or(Decimal::ONE_HUNDRED, |f| f.0),
            known_at: o.known_at.map(|t| t.0),
        })
    }

    /// The rates from the ledger's bucket history.
    fn run(self, ledger: &ar_core::Ledger) -> ar_core::Result<RollRates> {
        let history =
            ledger.bucket_history(&self.ends, &self.buckets, self.currency, self.known_at)?;
        let roll = ar_core::provision::roll_rates(&history)?;
        let loss = ar_core::provision::loss_rates(&roll, self.final_loss)?;
        Ok(RollRates {
            currency: self.currency,
            period_ends: self.ends,
            labels: self.buckets.labels(),
            history,
            roll,
            loss,
        })
    }
}
