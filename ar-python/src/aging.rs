//! Aging: `Ledger.aging` (through [`report`]; `Book.aging` shares [`options`]) and its `AgingReport`,
//! `AgingRow` and `AgingLine` results. The data-frame and plotting
//! conveniences of `AgingReport` only reshape the report, in Python
//! (`python/ar/_frames.py`); every figure comes from `ar-core`.

use ar_core::chrono::{DateTime, NaiveDate, Utc};
use ar_core::rust_decimal::Decimal;
use ar_core::{AgingOptions, Currency, GroupBy};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::conv::{self, Dec};
use crate::provision;
use crate::record;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// One group's aging in one currency: open invoices per bucket (aligned with
/// the report's ``labels``), their ``total``, and beside them (never netted
/// into the buckets) ``open_credits`` and ``unapplied_cash``; ``net`` is
/// ``total - open_credits - unapplied_cash``; ``items`` counts the open
/// invoice installments.
#[pyclass(module = "ar", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct AgingRow {
    /// Values of the group-by keys, in order (empty for a totals row).
    #[pyo3(get)]
    group: Vec<String>,
    /// Currency code.
    #[pyo3(get)]
    currency: &'static str,
    /// Open invoice amounts per bucket.
    #[pyo3(get)]
    buckets: Vec<Dec>,
    /// Sum of the buckets.
    #[pyo3(get)]
    total: Dec,
    /// Open credit memos.
    #[pyo3(get)]
    open_credits: Dec,
    /// Unapplied cash.
    #[pyo3(get)]
    unapplied_cash: Dec,
    /// `total - open_credits - unapplied_cash`.
    #[pyo3(get)]
    net: Dec,
    /// Open invoice items (installments) in the buckets.
    #[pyo3(get)]
    items: u64,
    /// The report's bucket labels (for `ar.provision(row, ...)`).
    labels: Vec<String>,
    /// The currency itself.
    money: Currency,
}

const AGING_ROW_FIELDS: &[&str] = &[
    "group",
    "currency",
    "buckets",
    "total",
    "open_credits",
    "unapplied_cash",
    "net",
    "items",
];

impl AgingRow {
    fn new(r: ar_core::AgingRow, labels: &[String]) -> Self {
        AgingRow {
            group: r.group,
            currency: r.currency.code(),
            buckets: conv::decs(&r.buckets),
            total: Dec(r.total),
            open_credits: Dec(r.open_credits),
            unapplied_cash: Dec(r.unapplied_cash),
            net: Dec(r.net),
            items: r.items,
            labels: labels.to_vec(),
            money: r.currency,
        }
    }

    /// Bucket labels and amounts, for a provision.
    pub fn exposures(&self) -> (&[String], Vec<Decimal>, Currency) {
        (
            &self.labels,
            self.buckets.iter().map(|b| b.0).collect(),
            self.money,
        )
    }
}

#[pymethods]
impl AgingRow {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "AgingRow", AGING_ROW_FIELDS)
    }

    /// The fields as a dict.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), AGING_ROW_FIELDS)
    }
}

/// One open item of an aging's detail: an invoice installment (with its
/// ``due_date`` and ``bucket`` index), an open credit memo or unapplied
/// cash (``kind``). ``days`` is the age on the report's basis (for credits
/// and cash, days since their date).
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct AgingLine {
    /// Values of the group-by keys.
    group: Vec<String>,
    /// ``"invoice"``, ``"credit_memo"`` or ``"unapplied_cash"``.
    kind: &'static str,
    /// Customer (``None`` for an unidentified payer).
    customer: Option<String>,
    /// Invoice, credit memo or receipt id.
    id: String,
    /// Installment number, for invoices with several.
    installment: Option<u32>,
    /// Currency code.
    currency: &'static str,
    /// Document date.
    date: NaiveDate,
    /// Due date (invoices).
    due_date: Option<NaiveDate>,
    /// Age in days.
    days: i64,
    /// Bucket index into the report's labels (invoices only).
    bucket: Option<usize>,
    /// Amount open.
    open: Dec,
}

const AGING_LINE_FIELDS: &[&str] = &[
    "group",
    "kind",
    "customer",
    "id",
    "installment",
    "currency",
    "date",
    "due_date",
    "days",
    "bucket",
    "open",
];

impl From<ar_core::AgingLine> for AgingLine {
    fn from(l: ar_core::AgingLine) -> Self {
        AgingLine {
            group: l.group,
            kind: l.kind.name(),
            customer: l.customer,
            id: l.id,
            installment: l.installment,
            currency: l.currency.code(),
            date: l.date,
            due_date: l.due_date,
            days: l.days,
            bucket: l.bucket,
            open: Dec(l.open),
        }
    }
}

#[pymethods]
impl AgingLine {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        record::repr(slf.as_any(), "AgingLine", AGING_LINE_FIELDS)
    }

    /// The fields as a dict.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), AGING_LINE_FIELDS)
    }
}

/// An aging report: ``rows`` per group and currency (in order of first
/// appearance), ``totals`` per currency for the whole book (in currency-code
/// order) and, when asked for, every open item in ``detail``.
///
/// ``to_pandas()``, ``to_arrow()``, ``detail_to_pandas()`` and ``plot()``
/// need the optional extras (``pip install ar[pandas]``, ``ar[plot]``).
#[pyclass(module = "ar", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct AgingReport {
    /// Date the items are aged at.
    as_of: NaiveDate,
    /// ``"due_date"`` or ``"invoice_date"``.
    basis: &'static str,
    /// Bucket labels: ``"current"``, ``"1-30"``, ..., ``"over 120"``.
    labels: Vec<String>,
    /// Names of the group-by keys (``"customer"``, ``"region"``, ...).
    group_by: Vec<String>,
    /// One row per group and currency.
    rows: Vec<AgingRow>,
    /// One row per currency.
    totals: Vec<AgingRow>,
    /// Every open item, when asked for.
    detail: Vec<AgingLine>,
    /// Customers on credit hold as the report's view sees them.
    credit_holds: Vec<String>,
}

const AGING_REPORT_FIELDS: &[&str] = &[
    "as_of",
    "basis",
    "labels",
    "group_by",
    "rows",
    "totals",
    "detail",
    "credit_holds",
];

impl From<ar_core::AgingReport> for AgingReport {
    fn from(r: ar_core::AgingReport) -> Self {
        let labels = r.labels;
        AgingReport {
            as_of: r.as_of,
            basis: conv::age_basis_name(r.basis),
            rows: r
                .rows
                .into_iter()
                .map(|x| AgingRow::new(x, &labels))
                .collect(),
            totals: r
                .totals
                .into_iter()
                .map(|x| AgingRow::new(x, &labels))
                .collect(),
            detail: r.detail.into_iter().map(AgingLine::from).collect(),
            group_by: r.group_by,
            labels,
            credit_holds: r.credit_holds,
        }
    }
}

/// Calls `ar._frames.<name>(*args)`: the Python-side reshaping.
fn frames<'py>(
    py: Python<'py>,
    name: &str,
    args: impl pyo3::call::PyCallArgs<'py>,
) -> PyResult<Bound<'py, PyAny>> {
    py.import("ar._frames")?.getattr(name)?.call1(args)
}

#[pymethods]
impl AgingReport {
    /// A ``pandas.DataFrame`` with one row per ``AgingRow`` (of ``totals``
    /// with ``totals=True``): the group keys by name, ``currency``, one
    /// column per bucket label, ``total``, ``open_credits``,
    /// ``unapplied_cash``, ``net`` and ``items``. Amounts are
    /// ``decimal.Decimal`` objects (``amounts="decimal"``), text
    /// (``"str"``) or, only when asked, binary floats (``"float"``).
    #[pyo3(
        signature = (amounts = None, *, totals = None),
        text_signature = "($self, amounts='decimal', *, totals=False)"
    )]
    fn to_pandas<'py>(
        slf: &Bound<'py, Self>,
        amounts: Arg<'_, 'py>,
        totals: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let amounts = conv::amounts_as("amounts", amounts)?;
        let totals = conv::opt_flag("totals", totals)?;
        frames(slf.py(), "aging_to_pandas", (slf, amounts, totals))
    }

    /// A ``pyarrow.Table`` with the columns of ``to_pandas()``. Amounts are
    /// ``decimal128(38, s)`` (``amounts="decimal"``), with ``s`` the largest
    /// minor unit of the currencies in the table (exact), ``string`` or
    /// ``float64``.
    #[pyo3(
        signature = (amounts = None, *, totals = None),
        text_signature = "($self, amounts='decimal', *, totals=False)"
    )]
    fn to_arrow<'py>(
        slf: &Bound<'py, Self>,
        amounts: Arg<'_, 'py>,
        totals: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let amounts = conv::amounts_as("amounts", amounts)?;
        let totals = conv::opt_flag("totals", totals)?;
        frames(slf.py(), "aging_to_arrow", (slf, amounts, totals))
    }

    /// A ``pandas.DataFrame`` of ``detail`` (empty unless the report was
    /// made with ``detail=True``): the group keys by name, then the fields
    /// of ``AgingLine``, with ``bucket`` as its label (an ordered
    /// categorical; empty for credits and cash).
    #[pyo3(
        signature = (amounts = None),
        text_signature = "($self, amounts='decimal')"
    )]
    fn detail_to_pandas<'py>(
        slf: &Bound<'py, Self>,
        amounts: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let amounts = conv::amounts_as("amounts", amounts)?;
        frames(slf.py(), "aging_detail_to_pandas", (slf, amounts))
    }

    /// Draw the aging with matplotlib: one panel per currency; in each, one
    /// stacked horizontal bar per group (the ``top`` largest by total, the
    /// rest as one "other" bar), a segment per bucket, amounts labelled in
    /// the currency with thousands separators. Draws on ``ax`` (an ``Axes``
    /// or a list, one per currency; a new figure when ``None``) and returns
    /// the list of ``Axes``.
    #[pyo3(signature = (ax = None, *, top = None), text_signature = "($self, ax=None, *, top=10)")]
    fn plot<'py>(
        slf: &Bound<'py, Self>,
        ax: Arg<'_, 'py>,
        top: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let or_none = |a: Arg<'_, 'py>| match a {
            Some(a) => a.clone(),
            None => py.None().into_bound(py),
        };
        let (ax, top) = (or_none(ax), or_none(top));
        py.import("ar._notebook")?
            .getattr("aging_plot")?
            .call1((slf, ax, top))
    }

    /// The report as an HTML table (what a notebook shows).
    fn _repr_html_<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py()
            .import("ar._notebook")?
            .getattr("aging_html")?
            .call1((slf,))
    }

    /// The report as CSV text: a row per group and currency (the group
    /// keys, ``cur``, one column per bucket label, ``total``, ``credits``,
    /// ``cash``, ``net``, ``items``), amounts at their currency's minor
    /// unit.
    fn to_csv(slf: &Bound<'_, Self>) -> PyResult<String> {
        crate::formats::aging_csv(slf.as_any())
    }

    /// The report as an .xlsx workbook: the aging sheet (title, frozen
    /// header, amounts as numbers in their currency's format, the totals
    /// per currency in bold) and, when the report has ``detail``, a sheet of
    /// its lines with dates as dates. Returns its bytes, and also writes
    /// them to ``path`` when given.
    #[pyo3(signature = (path = None))]
    fn to_xlsx<'py>(
        slf: &Bound<'py, Self>,
        path: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        crate::formats::aging_xlsx(slf.as_any(), path)
    }

    /// The provision (aging method or IFRS 9 matrix) of the totals row in
    /// ``currency``: ``rates`` (percent, one per bucket) applied to the
    /// bucket amounts, the total rounded once by ``rounding``. A currency
    /// with nothing open gives zero exposures.
    #[pyo3(
        signature = (rates, currency, *, rounding = None),
        text_signature = "($self, rates, currency, *, rounding='half_away_from_zero')"
    )]
    fn provision<'py>(
        &self,
        rates: &Bound<'py, PyAny>,
        currency: &Bound<'py, PyAny>,
        rounding: Arg<'_, 'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let currency = conv::currency("currency", currency)?;
        let code = currency.code();
        let exposures = self.totals.iter().find(|t| t.currency == code).map_or_else(
            || vec![Decimal::ZERO; self.labels.len()],
            |t| t.buckets.iter().map(|b| b.0).collect(),
        );
        provision::compute(&self.labels, &exposures, rates, currency, rounding)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let r = slf.get();
        Ok(format!(
            "<ar.AgingReport as of {} by {} ({}): {} rows, {} totals, {} detail lines>",
            r.as_of,
            slf.getattr("group_by")?.repr()?,
            r.basis,
            r.rows.len(),
            r.totals.len(),
            r.detail.len()
        ))
    }

    /// The fields as a dict (rows, totals and lines as dicts too).
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        record::to_dict(slf.as_any(), AGING_REPORT_FIELDS)
    }
}

/// The options of `Ledger.aging` and `Book.aging`, from Python values.
pub fn options(
    as_of: &Bound<'_, PyAny>,
    known_at: Arg<'_, '_>,
    basis: Arg<'_, '_>,
    buckets: Arg<'_, '_>,
    group_by: Arg<'_, '_>,
    detail: Arg<'_, '_>,
) -> PyResult<AgingOptions> {
    let as_of = conv::date("as_of", as_of)?;
    let known_at: Option<DateTime<Utc>> = conv::opt_timestamp("known_at", known_at)?;
    Ok(AgingOptions {
        as_of,
        known_at,
        basis: conv::given(basis)
            .map(|b| conv::age_basis("basis", b))
            .transpose()?
            .unwrap_or_default(),
        buckets: conv::buckets("buckets", buckets)?,
        group_by: conv::group_by("group_by", group_by, &[GroupBy::Customer])?,
        detail: conv::opt_flag("detail", detail)?,
    })
}
