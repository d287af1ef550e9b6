//! Bad-debt provisions: `ar.provision`, `ar.allowance_adjustment`,
//! `ar.roll_rates`, `ar.loss_rates` and `Ledger.roll_rates` (through
//! [`from_ledger`]). The results are the core's `Serialize` types, built by
//! [`records`] into the `Provision`, `ProvisionLine`, `AllowanceAdjustment`
//! and `RollRates` records of `python/ar/_provision.py`; the arguments of
//! `Ledger.roll_rates` are read by [`de`].

use ar_core::chrono::{DateTime, NaiveDate, Utc};
use ar_core::limits::{MAX_BUCKETS, MAX_PERIODS};
use ar_core::rust_decimal::Decimal;
use ar_core::{Buckets, Currency, Error, RoundingPolicy};
use pyo3::prelude::*;
use serde::{Deserialize, Serialize};

use crate::aging::AgingRow;
use crate::conv::{self, Dec};
use crate::de::{self, Amount, Date, Limited, Timestamp};
use crate::errors::{fail, guard};
use crate::records;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

fn policy(rounding: Arg<'_, '_>) -> PyResult<RoundingPolicy> {
    conv::given(rounding).map_or(Ok(RoundingPolicy::default()), |r| {
        conv::rounding("rounding", r)
    })
}

/// The core's provision of `exposures` (labelled by `labels`) at `rates`,
/// as an `ar.Provision`.
pub fn compute<'py>(
    labels: &[String],
    exposures: &[Decimal],
    rates: &Bound<'py, PyAny>,
    currency: Currency,
    rounding: Arg<'_, '_>,
) -> PyResult<Bound<'py, PyAny>> {
    let rates_given = conv::decimals("rates", rates)?;
    let policy = policy(rounding)?;
    let p =
        guard(|| ar_core::provision::provision(labels, exposures, &rates_given, currency, policy))?;
    records::to_py(rates.py(), "Provision", &p)
}

fn required<T>(field: &str) -> PyResult<T> {
    fail(Error::InvalidValue {
        field: field.to_owned(),
        value: "None".into(),
        reason: "is required with a list of bucket amounts".into(),
    })
}

/// Apply a loss rate per bucket (percent) to bucket exposures: the
/// aging-method allowance and the IFRS 9 provision matrix. The exposures are
/// an ``AgingRow`` (its buckets, labels and currency) or a list of amounts
/// with ``labels`` and ``currency``. The line provisions keep full
/// precision; the total is rounded once by ``rounding``.
#[pyfunction]
#[pyo3(
    signature = (report_row_or_buckets, rates, *, labels = None, currency = None, rounding = None),
    text_signature = "(report_row_or_buckets, rates, *, labels=None, currency=None, rounding='half_away_from_zero')"
)]
pub fn provision<'py>(
    report_row_or_buckets: &Bound<'py, PyAny>,
    rates: &Bound<'py, PyAny>,
    labels: Arg<'_, 'py>,
    currency: Arg<'_, 'py>,
    rounding: Arg<'_, 'py>,
) -> PyResult<Bound<'py, PyAny>> {
    const FIELD: &str = "report_row_or_buckets";
    let given_labels = conv::given(labels)
        .map(|l| {
            conv::items("labels", "list of str", l)?
                .iter()
                .enumerate()
                .map(|(i, o)| conv::text(&format!("labels[{i}]"), o))
                .collect::<PyResult<Vec<String>>>()
        })
        .transpose()?;
    let given_currency = conv::opt_currency("currency", currency)?;
    if let Ok(row) = report_row_or_buckets.cast::<AgingRow>() {
        let (row_labels, buckets, row_currency) = row.get().exposures();
        if let Some(c) = given_currency.filter(|c| *c != row_currency) {
            return fail(Error::CurrencyMismatch {
                field: "currency".into(),
                expected: row_currency.code().to_owned(),
                found: c.code().to_owned(),
            });
        }
        let labels = given_labels.unwrap_or_else(|| row_labels.to_vec());
        return compute(&labels, &buckets, rates, row_currency, rounding);
    }
    let amounts = conv::items(
        FIELD,
        "ar.AgingRow or list of decimal.Decimal, int or decimal str",
        report_row_or_buckets,
    )?;
    let Some(labels) = given_labels else {
        return required("labels");
    };
    let Some(currency) = given_currency else {
        return required("currency");
    };
    let exposures = amounts
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let field = format!("{FIELD}[{i}]");
            let value = conv::decimal(&field, o)?;
            guard(|| ar_core::check_minor_units(&field, value, currency))
        })
        .collect::<PyResult<Vec<Decimal>>>()?;
    compute(&labels, &exposures, rates, currency, rounding)
}

/// The adjusting entry that brings the allowance from ``existing`` (positive:
/// credit balance; negative: debit balance) to ``required``.
#[pyfunction]
#[pyo3(signature = (required, existing))]
pub fn allowance_adjustment<'py>(
    required: &Bound<'py, PyAny>,
    existing: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let required_amount = conv::decimal("required", required)?;
    let existing = conv::decimal("existing", existing)?;
    let a = guard(|| ar_core::provision::allowance_adjustment(required_amount, existing))?;
    records::to_py(required.py(), "AllowanceAdjustment", &a)
}

/// Roll rates (percent) from a history of bucket balances at consecutive
/// period ends (oldest first, one amount per bucket each): for each bucket
/// but the last, ``sum B[i+1](t+1) / sum B[i](t)``, capped at 100; ``None``
/// for a bucket that never held a balance. At least two periods.
#[pyfunction]
#[pyo3(signature = (history))]
pub fn roll_rates(history: &Bound<'_, PyAny>) -> PyResult<Vec<Option<Dec>>> {
    let rows = conv::items("history", "list of lists of decimal.Decimal", history)?
        .iter()
        .enumerate()
        .map(|(i, row)| conv::decimals(&format!("history[{i}]"), row))
        .collect::<PyResult<Vec<Vec<Decimal>>>>()?;
    guard(|| ar_core::provision::roll_rates(&rows)).map(|v| conv::opt_decs(&v))
}

/// Loss rates (percent) per bucket from roll rates (percent):
/// ``loss[i] = roll[i] x ... x roll[-1] x final_loss / 100^k``, the last
/// bucket's being ``final_loss``; ``None`` where the chain has an unknown
/// roll rate.
#[pyfunction]
#[pyo3(
    signature = (roll, final_loss = None),
    text_signature = "(roll, final_loss=100)"
)]
pub fn loss_rates(roll: &Bound<'_, PyAny>, final_loss: Arg<'_, '_>) -> PyResult<Vec<Option<Dec>>> {
    let roll = conv::opt_decimals("roll", roll)?;
    let final_loss = conv::opt_decimal("final_loss", final_loss)?.unwrap_or(Decimal::ONE_HUNDRED);
    guard(|| ar_core::provision::loss_rates(&roll, final_loss)).map(|v| conv::opt_decs(&v))
}

/// The arguments of `Ledger.roll_rates`.
#[derive(Deserialize)]
struct RollRatesArgs {
    period_ends: Limited<Date, MAX_PERIODS>,
    currency: Currency,
    buckets: Option<Limited<i64, MAX_BUCKETS>>,
    final_loss: Option<Amount>,
    known_at: Option<Timestamp>,
}

/// `Ledger.roll_rates`: the core has no one type for it.
#[derive(Serialize)]
struct RollRates {
    currency: Currency,
    period_ends: Vec<NaiveDate>,
    labels: Vec<String>,
    history: Vec<Vec<Decimal>>,
    roll: Vec<Option<Decimal>>,
    loss: Vec<Option<Decimal>>,
}

/// `Ledger.roll_rates`: the bucket history from the ledger, then roll and
/// loss rates from the core.
pub fn from_ledger<'py>(
    history: impl FnOnce(
        &[NaiveDate],
        &Buckets,
        Currency,
        Option<DateTime<Utc>>,
    ) -> ar_core::Result<Vec<Vec<Decimal>>>,
    period_ends: &Bound<'py, PyAny>,
    currency: &Bound<'py, PyAny>,
    buckets: Arg<'_, 'py>,
    final_loss: Arg<'_, 'py>,
    known_at: Arg<'_, 'py>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = period_ends.py();
    let args: RollRatesArgs = de::from_args(
        py,
        &[
            ("period_ends", Some(period_ends)),
            ("currency", Some(currency)),
            ("buckets", buckets),
            ("final_loss", final_loss),
            ("known_at", known_at),
        ],
    )?;
    let period_ends: Vec<NaiveDate> = args.period_ends.0.iter().map(|d| d.0).collect();
    let buckets = match args.buckets {
        Some(bounds) => guard(|| Buckets::new(bounds.0))?,
        None => Buckets::default(),
    };
    let final_loss = args.final_loss.map_or(Decimal::ONE_HUNDRED, |f| f.0);
    // Every argument is read before the ledger is locked (in `history`).
    let history = guard(|| {
        history(
            &period_ends,
            &buckets,
            args.currency,
            args.known_at.map(|t| t.0),
        )
    })?;
    let roll = guard(|| ar_core::provision::roll_rates(&history))?;
    let loss = guard(|| ar_core::provision::loss_rates(&roll, final_loss))?;
    let rates = RollRates {
        currency: args.currency,
        period_ends,
        labels: buckets.labels(),
        history,
        roll,
        loss,
    };
    records::to_py(py, "RollRates", &rates)
}
