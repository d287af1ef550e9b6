//! The rest of `ar-formats`: bank reconciliation (`Ledger.reconcile_bank`,
//! `ar_formats::reconcile`), accounting-system layouts in and out
//! (`ar.accounting_profile`, `ar.import_accounting`, `Ledger.from_book_rows`,
//! `Ledger.export_invoices`, `Ledger.export_payments`; `ar_formats::systems`)
//! and reports written as CSV and .xlsx (`ar_formats::reports`,
//! `ar_formats::table`). Results are built by [`records`] into the records
//! of `python/ar/_formats.py`; arguments read by [`de`]. Every rule and
//! layout comes from `ar-formats`; the binding reads and writes files only
//! where the caller names a path.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ar_core::{Currency, Error, OpenItem, View};
use ar_formats::book::{BookFile, BookTables};
use ar_formats::reconcile::{self, BankEntry, ReconcileOptions, Reconciliation};
use ar_formats::systems::{self, ExportOptions, Field, Layout, Profile};
use ar_formats::table::{self, Table, WriteError};
use ar_formats::{reports, RowError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyString};
use serde::Deserialize;

use crate::bank;
use crate::conv;
use crate::de::{self, Date};
use crate::errors::{fail, guard, row_error, to_py};
use crate::records;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

static PLAIN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static PATH_LIKE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `value` as plain data: records and the native classes (`OpenItem`,
/// `AgingReport`) as dicts, lists element by element
/// (`ar._formats._plain`).
fn plain<'py>(value: &Bound<'py, PyAny>, field: &str) -> PyResult<Bound<'py, PyAny>> {
    let py = value.py();
    conv::reading(field, || {
        PLAIN.import(py, "ar._formats", "_plain")?.call1((value,))
    })
}

// ----- bank reconciliation ------------------------------------------------------

/// The arguments of `Ledger.reconcile_bank` besides the statement and view.
#[derive(Deserialize)]
struct ReconcileArgs {
    days_before: Option<u32>,
    days_after: Option<u32>,
    start: Option<Date>,
    end: Option<Date>,
}

/// The statement's credits and the options of `Ledger.reconcile_bank`.
pub fn reconcile_args(
    statement: &Bound<'_, PyAny>,
    [days_before, days_after, start, end]: [Arg<'_, '_>; 4],
) -> PyResult<(Vec<BankEntry>, ReconcileOptions)> {
    let py = statement.py();
    let bank: Vec<BankEntry> = bank::receipts(statement)?
        .iter()
        .enumerate()
        .map(|(i, r)| BankEntry::from_receipt(i, r))
        .collect();
    let a: ReconcileArgs = de::from_args(
        py,
        &[
            ("days_before", days_before),
            ("days_after", days_after),
            ("start", start),
            ("end", end),
        ],
    )?;
    let defaults = ReconcileOptions::default();
    Ok((
        bank,
        ReconcileOptions {
            days_before: a.days_before.unwrap_or(defaults.days_before),
            days_after: a.days_after.unwrap_or(defaults.days_after),
            from: a.start.map(|d| d.0),
            to: a.end.map(|d| d.0),
        },
    ))
}

/// `Ledger.reconcile_bank` on the ledger read: the `BankReconciliation`.
pub fn reconcile_bank<'py>(
    py: Python<'py>,
    ledger: &ar_core::Ledger,
    bank: &[BankEntry],
    options: &ReconcileOptions,
    view: &View,
) -> PyResult<Bound<'py, PyAny>> {
    let r = guard(|| {
        let books = reconcile::ledger_receipts(ledger, view);
        Ok(reconcile::reconcile(bank, &books, options))
    })?;
    records::to_py(py, "BankReconciliation", &r)
}

// ----- accounting systems -------------------------------------------------------

/// The built-in profile `name`.
fn builtin(name: &str, field: &str) -> PyResult<Profile> {
    match Profile::builtin(name) {
        Some(p) => Ok(p),
        None => fail(Error::InvalidValue {
            field: field.to_owned(),
            value: ar_core::shown_value(name),
            reason: format!("not a profile: one of {}", systems::BUILTIN.join(", ")),
        }),
    }
}

/// The built-in column layout ``name`` of an accounting system
/// (``"qbo-invoices"``, ``"qbo-payments"``, ``"xero-invoices"``,
/// ``"xero-invoices-us"``, ``"xero-payments"``, ``"sap-open-items"``,
/// ``"sap-fbl5n"``, ``"netsuite"``) as an ``AccountingProfile``, to adjust
/// (``dataclasses.replace``, or its ``to_dict()``) and give to
/// ``import_accounting``.
#[pyfunction]
#[pyo3(signature = (name))]
pub fn accounting_profile<'py>(name: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let text = conv::text("name", name)?;
    records::to_py(name.py(), "AccountingProfile", &builtin(&text, "name")?)
}

/// The keyword arguments of `import_accounting`.
#[derive(Deserialize)]
struct ImportArgs {
    name: Option<String>,
    columns: Option<BTreeMap<Field, Headers>>,
    currency: Option<Currency>,
    open_items: Option<bool>,
}

/// The headers of a field: one, or several in order of preference.
#[derive(Deserialize)]
#[serde(untagged)]
enum Headers {
    One(String),
    Several(Vec<String>),
}

/// The file name of `source` when it is a path.
fn path_name(source: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    let py = source.py();
    let path_like = PATH_LIKE.import(py, "os", "PathLike")?;
    if !conv::reading("source", || source.is_instance(path_like))? {
        return Ok(None);
    }
    let path: PathBuf = conv::reading("source", || {
        py.import("os")?
            .call_method1("fspath", (source,))?
            .extract()
    })?;
    Ok(Some(path.to_string_lossy().into_owned()))
}

/// Read an export of an accounting system (``source``: its content as
/// ``bytes`` or ``str``, or a path) in the column layout ``profile`` (a
/// built-in name or an ``AccountingProfile``, or its dict) into
/// ``BookRows``, every row with its file and line; ``Ledger.from_book_rows``
/// builds a ledger from them. ``columns`` replaces the headers of some
/// fields (``{"document": "Invoice #"}``, or a list of headers in order of
/// preference); ``currency`` is that of rows without one; ``open_items``
/// takes the open amount and leaves settled documents out; ``name`` names
/// the file in errors (default: the path, or ``"input"``). A value that
/// cannot be read raises ``ar.FormatError`` with ``file``, ``row`` and
/// ``column`` (the header as the file spells it).
#[pyfunction]
#[pyo3(signature = (source, profile, *, name = None, columns = None, currency = None, open_items = None))]
pub fn import_accounting<'py>(
    source: &Bound<'py, PyAny>,
    profile: &Bound<'py, PyAny>,
    name: Arg<'_, 'py>,
    columns: Arg<'_, 'py>,
    currency: Arg<'_, 'py>,
    open_items: Arg<'_, 'py>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = source.py();
    let bytes = bank::bytes_of(source)?;
    let mut profile = if profile.is_instance_of::<PyString>() {
        builtin(&conv::text("profile", profile)?, "profile")?
    } else {
        de::from_py::<Profile>(&plain(profile, "profile")?, "profile")?
    };
    let a: ImportArgs = de::from_args(
        py,
        &[
            ("name", name),
            ("columns", columns),
            ("currency", currency),
            ("open_items", open_items),
        ],
    )?;
    for (field, headers) in a.columns.unwrap_or_default() {
        let headers = match headers {
            Headers::One(h) => vec![h],
            Headers::Several(hs) => hs,
        };
        profile.columns.insert(field, headers);
    }
    if a.currency.is_some() {
        profile.currency = a.currency;
    }
    if let Some(open) = a.open_items {
        profile.open_items = open;
    }
    let name = match a.name {
        Some(n) => n,
        None => path_name(source)?.unwrap_or_else(|| "input".to_owned()),
    };
    let book = py
        .detach(|| {
            crate::errors::catch(|| Ok(systems::import(&profile, BookFile::new(&name, &bytes))))
        })
        .map_err(|e| to_py(&e))?
        .map_err(|e| row_error(&e))?;
    records::to_py(py, "BookRows", &book)
}

/// The rows of `Ledger.from_book_rows`: one `BookRows`, or several merged
/// in order.
pub fn book_rows(rows: &Bound<'_, PyAny>) -> PyResult<BookTables> {
    let value = plain(rows, "rows")?;
    if value.is_instance_of::<pyo3::types::PyList>() {
        let parts: Vec<BookTables> = de::from_py(&value, "rows")?;
        let mut all = BookTables::default();
        for p in parts {
            all.merge(p);
        }
        return Ok(all);
    }
    de::from_py(&value, "rows")
}

/// A ledger the rows build, or the first refused row's error.
pub fn book_ledger(
    py: Python<'_>,
    book: &BookTables,
    recorded: ar_core::chrono::DateTime<ar_core::chrono::Utc>,
) -> PyResult<ar_core::Ledger> {
    py.detach(|| crate::errors::catch(|| Ok(book.ledger(recorded))))
        .map_err(|e| to_py(&e))?
        .map_err(|e: RowError| row_error(&e))
}

/// The keyword arguments of `Ledger.export_invoices` and `export_payments`.
#[derive(Deserialize)]
struct ExportArgs {
    layout: LayoutName,
    date_format: Option<String>,
    account_code: Option<String>,
    no_tax: Option<String>,
}

/// A layout as the bindings and the command line name it.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum LayoutName {
    Quickbooks,
    Xero,
}

/// The layout and options of an export.
pub fn export_args(
    py: Python<'_>,
    [layout, date_format, account_code, no_tax]: [Arg<'_, '_>; 4],
) -> PyResult<(Layout, ExportOptions)> {
    let a: ExportArgs = de::from_args(
        py,
        &[
            ("layout", layout),
            ("date_format", date_format),
            ("account_code", account_code),
            ("no_tax", no_tax),
        ],
    )?;
    let layout = match a.layout {
        LayoutName::Quickbooks => Layout::QuickBooks,
        LayoutName::Xero => Layout::Xero,
    };
    let mut options = ExportOptions::for_layout(layout);
    if let Some(f) = a.date_format {
        options.date_format = f;
    }
    if let Some(c) = a.account_code {
        options.account_code = c;
    }
    if let Some(t) = a.no_tax {
        options.no_tax = t;
    }
    Ok((layout, options))
}

/// A report that cannot be written: a date format chrono cannot write, a
/// sum past the decimal range, a sheet past Excel's row limit.
fn write_error(e: &WriteError) -> PyErr {
    to_py(&Error::InvalidValue {
        field: e.table.clone(),
        value: ar_core::shown_value(&e.table),
        reason: conv::bounded(&e.message, 256),
    })
}

/// CSV bytes as text (the writers write UTF-8 only).
pub fn csv_text(written: Result<Vec<u8>, WriteError>) -> PyResult<String> {
    let bytes = written.map_err(|e| write_error(&e))?;
    String::from_utf8(bytes).or_else(|_| {
        fail(Error::Internal {
            message: "a CSV that is not UTF-8".to_owned(),
        })
    })
}

// ----- reports to CSV and .xlsx ---------------------------------------------------

/// The workbook of `tables`, also written to `path` when one is given.
fn workbook<'py>(
    py: Python<'py>,
    tables: &[Table],
    path: Arg<'_, 'py>,
) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py
        .detach(|| crate::errors::catch(|| Ok(table::to_xlsx(tables))))
        .map_err(|e| to_py(&e))?
        .map_err(|e| write_error(&e))?;
    if let Some(p) = conv::given(path) {
        let target: PathBuf = conv::reading("path", || {
            py.import("os")?.call_method1("fspath", (p,))?.extract()
        })?;
        py.detach(|| std::fs::write(&target, &bytes)).map_err(|e| {
            to_py(&Error::InvalidValue {
                field: "path".into(),
                value: ar_core::shown_value(&target.to_string_lossy()),
                reason: format!("cannot be written: {e}"),
            })
        })?;
    }
    Ok(PyBytes::new(py, &bytes))
}

/// The aging sheet of `report` (an `AgingReport`), and its detail's when
/// it has one.
pub fn aging_tables(report: &Bound<'_, PyAny>) -> PyResult<Vec<Table>> {
    let r: ar_core::AgingReport = de::from_py(&plain(report, "report")?, "report")?;
    let mut tables = vec![reports::aging(&r)];
    if !r.detail.is_empty() {
        tables.push(reports::aging_detail(&r));
    }
    Ok(tables)
}

/// `AgingReport.to_csv`.
pub fn aging_csv(report: &Bound<'_, PyAny>) -> PyResult<String> {
    let tables = aging_tables(report)?;
    match tables.first() {
        Some(t) => csv_text(t.to_csv()),
        None => Ok(String::new()),
    }
}

/// `AgingReport.to_xlsx`.
pub fn aging_xlsx<'py>(
    report: &Bound<'py, PyAny>,
    path: Arg<'_, 'py>,
) -> PyResult<Bound<'py, PyBytes>> {
    workbook(report.py(), &aging_tables(report)?, path)
}

fn open_items_table(items: &Bound<'_, PyAny>, as_of: Arg<'_, '_>) -> PyResult<Table> {
    let items: Vec<OpenItem> = de::from_py(&plain(items, "items")?, "items")?;
    let as_of = conv::opt_date("as_of", as_of)?;
    reports::open_items(&items, as_of, true).map_err(|e| write_error(&e))
}

/// Open items (``Ledger.open_items``, a list of ``OpenItem``) as CSV text:
/// kind, id, customer, currency, due date and what is open, then a ``Net``
/// row per currency (invoices less credits and unapplied cash); ``as_of``
/// goes in the title of the .xlsx.
#[pyfunction]
#[pyo3(signature = (items, *, as_of = None))]
pub fn open_items_to_csv(items: &Bound<'_, PyAny>, as_of: Arg<'_, '_>) -> PyResult<String> {
    csv_text(open_items_table(items, as_of)?.to_csv())
}

/// Open items as an .xlsx workbook of one sheet (title, frozen header,
/// amounts as numbers in their currency's format, due dates as dates, the
/// ``Net`` rows in bold): its bytes, also written to ``path`` when given.
#[pyfunction]
#[pyo3(signature = (items, path = None, *, as_of = None))]
pub fn open_items_to_xlsx<'py>(
    items: &Bound<'py, PyAny>,
    path: Arg<'_, 'py>,
    as_of: Arg<'_, 'py>,
) -> PyResult<Bound<'py, PyBytes>> {
    workbook(items.py(), &[open_items_table(items, as_of)?], path)
}

/// `Journal.to_xlsx`: the journal record read back into the core's.
#[pyfunction]
#[pyo3(signature = (journal, path = None))]
pub fn journal_to_xlsx<'py>(
    journal: &Bound<'py, PyAny>,
    path: Arg<'_, 'py>,
) -> PyResult<Bound<'py, PyBytes>> {
    let j: ar_core::accounting::Journal = de::from_py(&plain(journal, "journal")?, "journal")?;
    let t = reports::journal(&j).map_err(|e| write_error(&e))?;
    workbook(journal.py(), &[t], path)
}

fn reconciliation_table(r: &Bound<'_, PyAny>) -> PyResult<Table> {
    let r: Reconciliation = de::from_py(&plain(r, "reconciliation")?, "reconciliation")?;
    reports::reconciliation(&r).map_err(|e| write_error(&e))
}

/// `BankReconciliation.to_csv`.
#[pyfunction]
#[pyo3(signature = (reconciliation))]
pub fn reconciliation_to_csv(reconciliation: &Bound<'_, PyAny>) -> PyResult<String> {
    csv_text(reconciliation_table(reconciliation)?.to_csv())
}

/// `BankReconciliation.to_xlsx`.
#[pyfunction]
#[pyo3(signature = (reconciliation, path = None))]
pub fn reconciliation_to_xlsx<'py>(
    reconciliation: &Bound<'py, PyAny>,
    path: Arg<'_, 'py>,
) -> PyResult<Bound<'py, PyBytes>> {
    workbook(
        reconciliation.py(),
        &[reconciliation_table(reconciliation)?],
        path,
    )
}
