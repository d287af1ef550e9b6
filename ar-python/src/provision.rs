//! Bad-debt provisions: `ar.provision`, `ar.allowance_adjustment`,
//! `ar.roll_rates`, `ar.loss_rates` and `Ledger.roll_rates` (through
//! [`from_ledger`]), with their `Provision`, `ProvisionLine`,
//! `AllowanceAdjustment` and `RollRates` results.

use ar_core::chrono::{DateTime, NaiveDate, Utc};
use ar_core::rust_decimal::Decimal;
use ar_core::{Buckets, Currency, Error, RoundingPolicy};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::aging::AgingRow;
use crate::conv::{self, Dec};
use crate::errors::{fail, guard};
use crate::record;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// One bucket's share of a provision: the ``exposure`` (open amount) in the
/// ``bucket``, its loss ``rate`` in percent and ``provision``, ``exposure x
/// rate / 100`` unrounded.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct ProvisionLine {
    /// Bucket label.
    bucket: String,
    /// Open amount in the bucket.
    exposure: Dec,
    /// Loss rate in percent.
    rate: Dec,
    /// `exposure x rate / 100`, unrounded.
    provision: Dec,
}

const PROVISION_LINE_FIELDS: &[&str] = &["bucket", "exposure", "rate", "provision"];

#[pymethods]
impl ProvisionLine {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "ProvisionLine", PROVISION_LINE_FIELDS)
    }

    /// The fields as a dict.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), PROVISION_LINE_FIELDS)
    }
}

/// A provision over bucket exposures (the aging-method allowance or the
/// IFRS 9 provision matrix): ``lines`` per bucket, the total ``exposure``,
/// and ``total``, the sum of the unrounded line provisions rounded once.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct Provision {
    /// Currency code.
    currency: &'static str,
    /// Per bucket.
    lines: Vec<ProvisionLine>,
    /// Total exposure.
    exposure: Dec,
    /// The provision, rounded once.
    total: Dec,
}

const PROVISION_FIELDS: &[&str] = &["currency", "lines", "exposure", "total"];

impl From<ar_core::provision::Provision> for Provision {
    fn from(p: ar_core::provision::Provision) -> Self {
        Provision {
            currency: p.currency.code(),
            lines: p
                .lines
                .into_iter()
                .map(|l| ProvisionLine {
                    bucket: l.bucket,
                    exposure: Dec(l.exposure),
                    rate: Dec(l.rate),
                    provision: Dec(l.provision),
                })
                .collect(),
            exposure: Dec(p.exposure),
            total: Dec(p.total),
        }
    }
}

#[pymethods]
impl Provision {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "Provision", PROVISION_FIELDS)
    }

    /// The fields as a dict (lines as dicts too).
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), PROVISION_FIELDS)
    }
}

/// The journal entry that brings the allowance for doubtful accounts to what
/// is ``required``: ``adjustment = required - existing``, where ``existing``
/// is positive for the usual credit balance and negative for a debit
/// balance. A positive adjustment debits bad-debt expense; a negative one
/// releases allowance.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct AllowanceAdjustment {
    /// Allowance required.
    required: Dec,
    /// Balance before the entry (negative: a debit balance).
    existing: Dec,
    /// `required - existing`.
    adjustment: Dec,
}

const ALLOWANCE_FIELDS: &[&str] = &["required", "existing", "adjustment"];

#[pymethods]
impl AllowanceAdjustment {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "AllowanceAdjustment", ALLOWANCE_FIELDS)
    }

    /// The fields as a dict.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), ALLOWANCE_FIELDS)
    }
}

/// Roll rates and loss rates from a ledger's history: ``history`` holds the
/// whole-book bucket totals in ``currency`` at each of ``period_ends``
/// (oldest first); ``roll[i]`` is the percent of bucket ``i`` found one
/// bucket older one period later (``None`` for a bucket that never held a
/// balance); ``loss[i]`` the percent of bucket ``i`` expected to be lost.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct RollRates {
    /// Currency code.
    currency: &'static str,
    /// The period ends, as given.
    period_ends: Vec<NaiveDate>,
    /// Bucket labels.
    labels: Vec<String>,
    /// Bucket totals per period end.
    history: Vec<Vec<Dec>>,
    /// Roll rates in percent, one per bucket but the last.
    roll: Vec<Option<Dec>>,
    /// Loss rates in percent, one per bucket.
    loss: Vec<Option<Dec>>,
}

const ROLL_RATES_FIELDS: &[&str] = &[
    "currency",
    "period_ends",
    "labels",
    "history",
    "roll",
    "loss",
];

#[pymethods]
impl RollRates {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "RollRates", ROLL_RATES_FIELDS)
    }

    /// The fields as a dict.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), ROLL_RATES_FIELDS)
    }
}

fn policy(rounding: Arg<'_, '_>) -> PyResult<RoundingPolicy> {
    conv::given(rounding).map_or(Ok(RoundingPolicy::default()), |r| {
        conv::rounding("rounding", r)
    })
}

/// The core's provision of `exposures` (labelled by `labels`) at `rates`.
pub fn compute(
    labels: &[String],
    exposures: &[Decimal],
    rates: &Bound<'_, PyAny>,
    currency: Currency,
    rounding: Arg<'_, '_>,
) -> PyResult<Provision> {
    let rates = conv::decimals("rates", rates)?;
    let policy = policy(rounding)?;
    let p = guard(|| ar_core::provision::provision(labels, exposures, &rates, currency, policy))?;
    Ok(Provision::from(p))
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
pub fn provision(
    report_row_or_buckets: &Bound<'_, PyAny>,
    rates: &Bound<'_, PyAny>,
    labels: Arg<'_, '_>,
    currency: Arg<'_, '_>,
    rounding: Arg<'_, '_>,
) -> PyResult<Provision> {
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
        "ar.AgingRow or list of decimal.Decimal or int",
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
pub fn allowance_adjustment(
    required: &Bound<'_, PyAny>,
    existing: &Bound<'_, PyAny>,
) -> PyResult<AllowanceAdjustment> {
    let required = conv::decimal("required", required)?;
    let existing = conv::decimal("existing", existing)?;
    let a = guard(|| ar_core::provision::allowance_adjustment(required, existing))?;
    Ok(AllowanceAdjustment {
        required: Dec(a.required),
        existing: Dec(a.existing),
        adjustment: Dec(a.adjustment),
    })
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

/// `Ledger.roll_rates`: the bucket history from the ledger, then roll and
/// loss rates from the core.
pub fn from_ledger(
    history: impl FnOnce(
        &[NaiveDate],
        &Buckets,
        Currency,
        Option<DateTime<Utc>>,
    ) -> ar_core::Result<Vec<Vec<Decimal>>>,
    period_ends: &Bound<'_, PyAny>,
    currency: &Bound<'_, PyAny>,
    buckets: Arg<'_, '_>,
    final_loss: Arg<'_, '_>,
    known_at: Arg<'_, '_>,
) -> PyResult<RollRates> {
    let period_ends = conv::dates("period_ends", period_ends)?;
    let currency = conv::currency("currency", currency)?;
    let buckets = conv::buckets("buckets", buckets)?;
    let final_loss = conv::opt_decimal("final_loss", final_loss)?.unwrap_or(Decimal::ONE_HUNDRED);
    let known_at = conv::opt_timestamp("known_at", known_at)?;
    // Every argument is read before the ledger is locked (in `history`).
    let history = guard(|| history(&period_ends, &buckets, currency, known_at))?;
    let roll = guard(|| ar_core::provision::roll_rates(&history))?;
    let loss = guard(|| ar_core::provision::loss_rates(&roll, final_loss))?;
    Ok(RollRates {
        currency: currency.code(),
        period_ends,
        labels: buckets.labels(),
        history: history.iter().map(conv::decs).collect(),
        roll: conv::opt_decs(&roll),
        loss: conv::opt_decs(&loss),
    })
}
