//! Receivables metrics: `Ledger.metrics` (through [`report`]; `Book.metrics`
//! shares [`options`]) and its
//! `MetricsRow` / `PaymentTiming` results, and the plain-number functions of
//! the `ar.metrics` submodule (built by [`submodule`]). Every formula is
//! `ar_core::metrics`'; a zero or negative denominator gives `None`.

use ar_core::chrono::NaiveDate;
use ar_core::metrics::{self, Payment};
use ar_core::{MetricsOptions, Period};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::conv::{self, Dec};
use crate::errors::guard;
use crate::record;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// Days to pay (``paid - invoice date``) and days beyond terms (``paid -
/// due date``, negative when early), plain means over ``payments`` and
/// amount-weighted; ``None`` when there are no payments.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct PaymentTiming {
    /// Number of payments.
    payments: u64,
    /// Mean days from invoice date to payment.
    average_days_to_pay: Option<Dec>,
    /// Amount-weighted days from invoice date to payment.
    weighted_days_to_pay: Option<Dec>,
    /// Mean days from due date to payment.
    average_days_beyond_terms: Option<Dec>,
    /// Amount-weighted days from due date to payment.
    weighted_days_beyond_terms: Option<Dec>,
}

const PAYMENT_TIMING_FIELDS: &[&str] = &[
    "payments",
    "average_days_to_pay",
    "weighted_days_to_pay",
    "average_days_beyond_terms",
    "weighted_days_beyond_terms",
];

impl From<ar_core::PaymentTiming> for PaymentTiming {
    fn from(t: ar_core::PaymentTiming) -> Self {
        PaymentTiming {
            payments: t.payments,
            average_days_to_pay: t.average_days_to_pay.map(Dec),
            weighted_days_to_pay: t.weighted_days_to_pay.map(Dec),
            average_days_beyond_terms: t.average_days_beyond_terms.map(Dec),
            weighted_days_beyond_terms: t.weighted_days_beyond_terms.map(Dec),
        }
    }
}

#[pymethods]
impl PaymentTiming {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "PaymentTiming", PAYMENT_TIMING_FIELDS)
    }

    /// The fields as a dict.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), PAYMENT_TIMING_FIELDS)
    }
}

/// Metrics of one group in one currency over the period ``start`` to ``end``
/// (``days`` days, both ends included). AR is open invoices (gross: credits
/// and cash not netted); ``credit_sales`` are invoices dated in the period.
/// Every metric keeps full precision and is ``None`` where its denominator
/// is zero or negative.
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct MetricsRow {
    /// Values of the group-by keys (empty for the whole book).
    group: Vec<String>,
    /// Currency code.
    currency: &'static str,
    /// First day of the period.
    start: NaiveDate,
    /// Last day of the period.
    end: NaiveDate,
    /// Days in the period.
    days: u32,
    /// Open invoices at the end of the day before the period.
    ar_begin: Dec,
    /// Open invoices at the end of the period.
    ar_end: Dec,
    /// Part of ``ar_end`` not yet past due.
    current_end: Dec,
    /// Invoices dated in the period.
    credit_sales: Dec,
    /// ``ar_end / credit_sales x days``.
    dso_period_end: Option<Dec>,
    /// ``(ar_begin + ar_end) / 2 / credit_sales x days``.
    dso_average: Option<Dec>,
    /// Countback over calendar months back from the period end.
    dso_countback: Option<Dec>,
    /// ``current_end / credit_sales x days``.
    best_possible_dso: Option<Dec>,
    /// ``dso_period_end - best_possible_dso``.
    average_days_delinquent: Option<Dec>,
    /// Collection effectiveness index, percent.
    cei: Option<Dec>,
    /// ``credit_sales / ((ar_begin + ar_end) / 2)``.
    ar_turnover: Option<Dec>,
    /// ``current_end / ar_end x 100``.
    percent_current: Option<Dec>,
    /// ``(ar_end - current_end) / ar_end x 100``.
    percent_past_due: Option<Dec>,
    /// Payment timing over receipts applied in the period.
    timing: PaymentTiming,
}

const METRICS_ROW_FIELDS: &[&str] = &[
    "group",
    "currency",
    "start",
    "end",
    "days",
    "ar_begin",
    "ar_end",
    "current_end",
    "credit_sales",
    "dso_period_end",
    "dso_average",
    "dso_countback",
    "best_possible_dso",
    "average_days_delinquent",
    "cei",
    "ar_turnover",
    "percent_current",
    "percent_past_due",
    "timing",
];

impl From<ar_core::MetricsRow> for MetricsRow {
    fn from(m: ar_core::MetricsRow) -> Self {
        MetricsRow {
            group: m.group,
            currency: m.currency.code(),
            start: m.period.start,
            end: m.period.end,
            days: m.days,
            ar_begin: Dec(m.ar_begin),
            ar_end: Dec(m.ar_end),
            current_end: Dec(m.current_end),
            credit_sales: Dec(m.credit_sales),
            dso_period_end: m.dso_period_end.map(Dec),
            dso_average: m.dso_average.map(Dec),
            dso_countback: m.dso_countback.map(Dec),
            best_possible_dso: m.best_possible_dso.map(Dec),
            average_days_delinquent: m.average_days_delinquent.map(Dec),
            cei: m.cei.map(Dec),
            ar_turnover: m.ar_turnover.map(Dec),
            percent_current: m.percent_current.map(Dec),
            percent_past_due: m.percent_past_due.map(Dec),
            timing: PaymentTiming::from(m.timing),
        }
    }
}

#[pymethods]
impl MetricsRow {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "MetricsRow", METRICS_ROW_FIELDS)
    }

    /// The fields as a dict (``timing`` as a dict too).
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), METRICS_ROW_FIELDS)
    }
}

/// The options of `Ledger.metrics` and `Book.metrics`, from Python values.
pub fn options(
    start: &Bound<'_, PyAny>,
    end: &Bound<'_, PyAny>,
    known_at: Arg<'_, '_>,
    group_by: Arg<'_, '_>,
    cei: Arg<'_, '_>,
    cei_months: Arg<'_, '_>,
    countback_months: Arg<'_, '_>,
) -> PyResult<MetricsOptions> {
    let start = conv::date("start", start)?;
    let end = conv::date("end", end)?;
    let period = guard(|| Period::new(start, end))?;
    Ok(MetricsOptions {
        period,
        known_at: conv::opt_timestamp("known_at", known_at)?,
        group_by: conv::group_by("group_by", group_by, &[])?,
        cei: conv::cei_variant("cei", cei, "cei_months", cei_months)?,
        countback_months: conv::opt_count("countback_months", countback_months)?.unwrap_or(12),
    })
}

// ----- ar.metrics: the formulas on plain numbers -------------------------------

/// Period-end DSO: ``ar_end / credit_sales x days``.
#[pyfunction]
#[pyo3(signature = (ar_end, credit_sales, days))]
fn dso_period_end(
    ar_end: &Bound<'_, PyAny>,
    credit_sales: &Bound<'_, PyAny>,
    days: &Bound<'_, PyAny>,
) -> PyResult<Option<Dec>> {
    let ar_end = conv::decimal("ar_end", ar_end)?;
    let sales = conv::decimal("credit_sales", credit_sales)?;
    let days = conv::count("days", days)?;
    guard(|| Ok(metrics::dso_period_end(ar_end, sales, days))).map(|v| v.map(Dec))
}

/// Average-AR DSO: ``(ar_begin + ar_end) / 2 / credit_sales x days``.
#[pyfunction]
#[pyo3(signature = (ar_begin, ar_end, credit_sales, days))]
fn dso_average(
    ar_begin: &Bound<'_, PyAny>,
    ar_end: &Bound<'_, PyAny>,
    credit_sales: &Bound<'_, PyAny>,
    days: &Bound<'_, PyAny>,
) -> PyResult<Option<Dec>> {
    let ar_begin = conv::decimal("ar_begin", ar_begin)?;
    let ar_end = conv::decimal("ar_end", ar_end)?;
    let sales = conv::decimal("credit_sales", credit_sales)?;
    let days = conv::count("days", days)?;
    guard(|| Ok(metrics::dso_average(ar_begin, ar_end, sales, days))).map(|v| v.map(Dec))
}

/// Countback DSO: walk back through ``periods`` (most recent first, each
/// ``(credit_sales, days)``), consuming ``ar_end`` with each period's sales;
/// the period whose sales cover what is left adds that fraction of its
/// days. ``None`` when all the sales given do not explain ``ar_end``.
#[pyfunction]
#[pyo3(signature = (ar_end, periods))]
fn dso_countback(ar_end: &Bound<'_, PyAny>, periods: &Bound<'_, PyAny>) -> PyResult<Option<Dec>> {
    let ar_end = conv::decimal("ar_end", ar_end)?;
    let mut list = Vec::new();
    for (i, item) in conv::items("periods", "list of (credit_sales, days)", periods)?
        .iter()
        .enumerate()
    {
        let field = format!("periods[{i}]");
        let parts = conv::items(&field, "(credit_sales, days)", item)?;
        let [sales, days] = parts.as_slice() else {
            return conv::wrong_type(&field, "(credit_sales, days)", item);
        };
        list.push((
            conv::decimal(&format!("{field}.credit_sales"), sales)?,
            conv::count(&format!("{field}.days"), days)?,
        ));
    }
    guard(|| metrics::dso_countback(ar_end, &list)).map(|v| v.map(Dec))
}

/// Best possible DSO: ``current_ar / credit_sales x days``.
#[pyfunction]
#[pyo3(signature = (current_ar, credit_sales, days))]
fn best_possible_dso(
    current_ar: &Bound<'_, PyAny>,
    credit_sales: &Bound<'_, PyAny>,
    days: &Bound<'_, PyAny>,
) -> PyResult<Option<Dec>> {
    let current = conv::decimal("current_ar", current_ar)?;
    let sales = conv::decimal("credit_sales", credit_sales)?;
    let days = conv::count("days", days)?;
    guard(|| Ok(metrics::best_possible_dso(current, sales, days))).map(|v| v.map(Dec))
}

/// Average days delinquent: ``dso - best_possible``.
#[pyfunction]
#[pyo3(signature = (dso, best_possible))]
fn average_days_delinquent(
    dso: &Bound<'_, PyAny>,
    best_possible: &Bound<'_, PyAny>,
) -> PyResult<Dec> {
    let dso = conv::decimal("dso", dso)?;
    let best = conv::decimal("best_possible", best_possible)?;
    guard(|| Ok(metrics::average_days_delinquent(dso, best))).map(Dec)
}

/// Collection effectiveness index, percent: ``(begin + sales - end_total) /
/// (begin + sales - end_current) x 100``; with
/// ``variant="monthly_average"``, ``sales`` is divided by ``months`` first.
#[pyfunction]
#[pyo3(
    signature = (begin, sales, end_total, end_current, *, variant = None, months = None),
    text_signature = "(begin, sales, end_total, end_current, *, variant='period_sales', months=None)"
)]
fn cei(
    begin: &Bound<'_, PyAny>,
    sales: &Bound<'_, PyAny>,
    end_total: &Bound<'_, PyAny>,
    end_current: &Bound<'_, PyAny>,
    variant: Arg<'_, '_>,
    months: Arg<'_, '_>,
) -> PyResult<Option<Dec>> {
    let begin = conv::decimal("begin", begin)?;
    let sales = conv::decimal("sales", sales)?;
    let end_total = conv::decimal("end_total", end_total)?;
    let end_current = conv::decimal("end_current", end_current)?;
    let variant = conv::cei_variant("variant", variant, "months", months)?;
    guard(|| Ok(metrics::cei(begin, sales, end_total, end_current, variant))).map(|v| v.map(Dec))
}

/// AR turnover: ``credit_sales / ((ar_begin + ar_end) / 2)``.
#[pyfunction]
#[pyo3(signature = (credit_sales, ar_begin, ar_end))]
fn ar_turnover(
    credit_sales: &Bound<'_, PyAny>,
    ar_begin: &Bound<'_, PyAny>,
    ar_end: &Bound<'_, PyAny>,
) -> PyResult<Option<Dec>> {
    let sales = conv::decimal("credit_sales", credit_sales)?;
    let ar_begin = conv::decimal("ar_begin", ar_begin)?;
    let ar_end = conv::decimal("ar_end", ar_end)?;
    guard(|| Ok(metrics::ar_turnover(sales, ar_begin, ar_end))).map(|v| v.map(Dec))
}

/// Percent of AR not yet past due: ``current_ar / total_ar x 100``.
#[pyfunction]
#[pyo3(signature = (current_ar, total_ar))]
fn percent_current(
    current_ar: &Bound<'_, PyAny>,
    total_ar: &Bound<'_, PyAny>,
) -> PyResult<Option<Dec>> {
    let current = conv::decimal("current_ar", current_ar)?;
    let total = conv::decimal("total_ar", total_ar)?;
    guard(|| Ok(metrics::percent_current(current, total))).map(|v| v.map(Dec))
}

/// Percent of AR past due: ``(total_ar - current_ar) / total_ar x 100``.
#[pyfunction]
#[pyo3(signature = (current_ar, total_ar))]
fn percent_past_due(
    current_ar: &Bound<'_, PyAny>,
    total_ar: &Bound<'_, PyAny>,
) -> PyResult<Option<Dec>> {
    let current = conv::decimal("current_ar", current_ar)?;
    let total = conv::decimal("total_ar", total_ar)?;
    guard(|| Ok(metrics::percent_past_due(current, total))).map(|v| v.map(Dec))
}

/// Days to pay and days beyond terms over ``payments``, each an
/// ``(invoice_date, due_date, paid_date, amount)`` tuple.
#[pyfunction]
#[pyo3(signature = (payments))]
fn payment_timing(payments: &Bound<'_, PyAny>) -> PyResult<PaymentTiming> {
    const SHAPE: &str = "(invoice_date, due_date, paid_date, amount)";
    let mut list = Vec::new();
    for (i, item) in conv::items("payments", &format!("list of {SHAPE}"), payments)?
        .iter()
        .enumerate()
    {
        let field = format!("payments[{i}]");
        let parts = conv::items(&field, SHAPE, item)?;
        let [invoice_date, due_date, paid_date, amount] = parts.as_slice() else {
            return conv::wrong_type(&field, SHAPE, item);
        };
        list.push(Payment {
            invoice_date: conv::date(&format!("{field}.invoice_date"), invoice_date)?,
            due_date: conv::date(&format!("{field}.due_date"), due_date)?,
            paid_date: conv::date(&format!("{field}.paid_date"), paid_date)?,
            amount: conv::decimal(&format!("{field}.amount"), amount)?,
        });
    }
    let t = guard(|| Ok(metrics::payment_timing(&list)))?;
    Ok(PaymentTiming::from(t))
}

const SUBMODULE_DOC: &str = "Receivables metrics from plain numbers: each function states its \
formula; a zero or negative denominator gives None, never NaN. Results keep full decimal \
precision: round them for display.";

/// The `ar.metrics` submodule, registered as `sys.modules["ar.metrics"]` so
/// that `import ar.metrics` and `from ar.metrics import cei` work.
pub fn submodule(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    let m = PyModule::new(py, "ar.metrics")?;
    m.setattr("__doc__", SUBMODULE_DOC)?;
    m.add_function(wrap_pyfunction!(dso_period_end, &m)?)?;
    m.add_function(wrap_pyfunction!(dso_average, &m)?)?;
    m.add_function(wrap_pyfunction!(dso_countback, &m)?)?;
    m.add_function(wrap_pyfunction!(best_possible_dso, &m)?)?;
    m.add_function(wrap_pyfunction!(average_days_delinquent, &m)?)?;
    m.add_function(wrap_pyfunction!(cei, &m)?)?;
    m.add_function(wrap_pyfunction!(ar_turnover, &m)?)?;
    m.add_function(wrap_pyfunction!(percent_current, &m)?)?;
    m.add_function(wrap_pyfunction!(percent_past_due, &m)?)?;
    m.add_function(wrap_pyfunction!(payment_timing, &m)?)?;
    py.import("sys")?
        .getattr("modules")?
        .set_item("ar.metrics", &m)?;
    Ok(m)
}
