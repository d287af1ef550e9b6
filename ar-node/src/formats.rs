//! Reports written as CSV and .xlsx (`ar_formats::reports`,
//! `ar_formats::table`): aging, open items, the journal and bank
//! reconciliation, each given back as the binding returned it and read by
//! `de.rs` into the core's type; and how the failures of `ar-formats` are
//! thrown: a file that cannot be read, or a row of one that cannot be read
//! or that the ledger refused, names where.

use ar_core::accounting::Journal;
use ar_core::{AgingReport, Error, OpenItem};
use ar_formats::table::{self, Table, WriteError};
use ar_formats::{reports, FormatError, RowError};
use napi::bindgen_prelude::{Buffer, Object, Unknown};
use napi::{Env, JsValue, Status};
use napi_derive::napi;

use crate::conv;
use crate::de::{self, Date};

/// How a call into `ar-formats` fails.
pub(crate) enum Failure {
    /// The core's error (an argument, a command refused).
    Core(Error),
    /// A bank file that cannot be read.
    File(FormatError),
    /// A row of an accounting-system file.
    Row(RowError),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

impl From<FormatError> for Failure {
    fn from(e: FormatError) -> Self {
        Failure::File(e)
    }
}

impl From<RowError> for Failure {
    fn from(e: RowError) -> Self {
        Failure::Row(e)
    }
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Self {
        Failure::Core(write_error(&e))
    }
}

/// A report that cannot be written: only a date format chrono cannot write,
/// a sum past the decimal range, or a sheet past Excel's row limit.
fn write_error(e: &WriteError) -> Error {
    Error::InvalidValue {
        field: e.table.clone(),
        value: ar_core::shown_value(&e.table),
        reason: conv::bounded(&e.message, conv::MAX_REASON),
    }
}

/// Every `code` a file that cannot be read is thrown with (`family`
/// `'format'`): `ar_formats::ErrorCode`'s names. A row of an
/// accounting-system file that the ledger refused has the ledger's code
/// (one of `ERROR_CODES`) and family.
#[napi]
pub const FORMAT_ERROR_CODES: [&str; 10] = [
    "unknown_format",
    "encoding",
    "syntax",
    "missing",
    "invalid_amount",
    "invalid_date",
    "invalid_value",
    "control_total",
    "record_count",
    "limit_exceeded",
];

/// Bytes of a message kept after its code, as for the core's errors.
const MAX_MESSAGE: usize = 768;
/// Bytes of a location kept: an XML element path is as long as the file's
/// names make it.
const MAX_LOCATION: usize = 256;

/// Runs `f` as `errors::guard` runs a call (a panic is `internal`), and
/// throws its failure: the core's as usual, a file's with `format`, `line`
/// and `location`, a row's with `file`, `row` and `column`.
pub(crate) fn guard<T>(env: &Env, f: impl FnOnce() -> Result<T, Failure>) -> napi::Result<T> {
    let mut failed = None;
    let result = crate::errors::guard(env, || match f() {
        Ok(v) => Ok(Some(v)),
        Err(Failure::Core(e)) => Err(e),
        Err(other) => {
            failed = Some(other);
            Ok(None)
        }
    })?;
    match (result, failed) {
        (Some(v), _) => Ok(v),
        (None, Some(Failure::File(e))) => Err(throw_file(env, &e)),
        (None, Some(Failure::Row(e))) => Err(throw_row(env, &e)),
        (None, _) => Err(crate::errors::to_js(
            env,
            &Error::Internal {
                message: "a failure went missing".to_owned(),
            },
        )),
    }
}

/// A property of a thrown error.
enum Prop<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Number(u32),
}

/// Throws an `ArError` with `code`, `family` and `props`, its message
/// `"<code>: <message>"` (bounded) as every error of the binding.
fn throw(
    env: &Env,
    code: &str,
    family: &str,
    message: &str,
    props: &[(&str, Prop<'_>)],
) -> napi::Error {
    crate::js::clear_pending_exception(env);
    let text = format!("{code}: {}", conv::bounded(message, MAX_MESSAGE));
    let Some(js) = crate::js::new_error(env, &text) else {
        return napi::Error::new(Status::GenericFailure, text);
    };
    let mut object = Object::from_raw(env.raw(), js.raw());
    let mut set = object.set("code", code).is_ok() && object.set("family", family).is_ok();
    for (name, value) in props {
        set &= match value {
            Prop::Text(t) => object.set(*name, *t).is_ok(),
            Prop::OptText(t) => object.set(*name, *t).is_ok(),
            Prop::Number(n) => object.set(*name, *n).is_ok(),
        };
    }
    if set && crate::js::throw(env, js.raw()) {
        return napi::Error::new(Status::PendingException, text);
    }
    napi::Error::new(Status::GenericFailure, text)
}

fn line(n: usize) -> Prop<'static> {
    Prop::Number(u32::try_from(n).unwrap_or(u32::MAX))
}

fn throw_file(env: &Env, e: &FormatError) -> napi::Error {
    let location = conv::bounded(&e.location, MAX_LOCATION);
    throw(
        env,
        e.code.as_str(),
        "format",
        &e.to_string(),
        &[
            (
                "format",
                Prop::OptText(e.format.map(ar_formats::Format::name)),
            ),
            ("line", line(e.line)),
            ("location", Prop::Text(&location)),
        ],
    )
}

fn throw_row(env: &Env, e: &RowError) -> napi::Error {
    let file = conv::bounded(&e.file, MAX_LOCATION);
    let column = conv::bounded(&e.column, MAX_LOCATION);
    throw(
        env,
        &e.code,
        e.family.name(),
        &e.to_string(),
        &[
            ("file", Prop::Text(&file)),
            ("row", line(e.row)),
            ("column", Prop::Text(&column)),
        ],
    )
}

/// CSV text of an export (the writers write UTF-8 only).
pub(crate) fn text(bytes: Vec<u8>) -> ar_core::Result<String> {
    String::from_utf8(bytes).map_err(|_| Error::Internal {
        message: "an export that is not UTF-8".to_owned(),
    })
}

// ----- reports to CSV and .xlsx -----------------------------------------------

/// CSV of a table.
fn csv(t: &Table) -> Result<String, Failure> {
    Ok(text(t.to_csv()?)?)
}

/// A workbook of tables, a sheet each.
fn xlsx(tables: &[Table]) -> Result<Buffer, Failure> {
    Ok(Buffer::from(table::to_xlsx(tables)?))
}

fn aging_tables(env: &Env, report: Unknown<'_>) -> ar_core::Result<Vec<Table>> {
    let r: AgingReport = de::from_js(env, report, "report", "AgingReport")?;
    let mut tables = vec![reports::aging(&r)];
    if !r.detail.is_empty() {
        tables.push(reports::aging_detail(&r));
    }
    Ok(tables)
}

/// An aging report (`Ledger.aging`, `Book.aging`) as CSV: a row per group
/// and currency (the group keys, the buckets, total, open credits,
/// unapplied cash, net, items), then the totals per currency.
///
/// Errors: `invalid_type`, `invalid_value` for a report that cannot be read.
#[napi(ts_args_type = "report: AgingReport")]
pub fn aging_to_csv(env: Env, report: Unknown<'_>) -> napi::Result<String> {
    guard(&env, || {
        let tables = aging_tables(&env, report)?;
        match tables.first() {
            Some(t) => csv(t),
            None => Ok(String::new()),
        }
    })
}

/// An aging report as an .xlsx workbook: the aging sheet (and the detail's
/// when the report has one), amounts as numbers in their currency's
/// format, dates as dates, totals in bold, the header frozen.
///
/// Errors: as `agingToCsv`.
#[napi(ts_args_type = "report: AgingReport")]
pub fn aging_to_xlsx(env: Env, report: Unknown<'_>) -> napi::Result<Buffer> {
    guard(&env, || xlsx(&aging_tables(&env, report)?))
}

fn open_items_table(
    env: &Env,
    items: Unknown<'_>,
    as_of: Option<Unknown<'_>>,
) -> Result<Table, Failure> {
    let items: Vec<OpenItem> = de::from_js(env, items, "items", "OpenItem[]")?;
    let as_of: Option<Date> = match as_of {
        Some(d) => de::from_js(env, d, "asOf", "a YYYY-MM-DD string")?,
        None => None,
    };
    Ok(reports::open_items(&items, as_of.map(|d| d.0), true)?)
}

/// Open items (`Ledger.openItems`) as CSV: kind, id, customer, currency,
/// due date and what is open, then a `Net` row per currency (invoices less
/// credits and unapplied cash).
///
/// Errors: `invalid_type`, `invalid_value`, `invalid_date`.
#[napi(ts_args_type = "items: Array<OpenItem>, asOf?: string")]
pub fn open_items_to_csv(
    env: Env,
    items: Unknown<'_>,
    as_of: Option<Unknown<'_>>,
) -> napi::Result<String> {
    guard(&env, || csv(&open_items_table(&env, items, as_of)?))
}

/// Open items as an .xlsx workbook of one sheet. Errors: as
/// `openItemsToCsv`.
#[napi(ts_args_type = "items: Array<OpenItem>, asOf?: string")]
pub fn open_items_to_xlsx(
    env: Env,
    items: Unknown<'_>,
    as_of: Option<Unknown<'_>>,
) -> napi::Result<Buffer> {
    guard(&env, || xlsx(&[open_items_table(&env, items, as_of)?]))
}

/// A journal (`Ledger.journal`) as an .xlsx workbook: a row per line (seq,
/// date, event, subject, account, role, document, currency, debit,
/// credit), then debit and credit totals per currency.
///
/// Errors: `invalid_type`, `invalid_value` for a journal that cannot be
/// read.
#[napi(ts_args_type = "journal: Journal")]
pub fn journal_to_xlsx(env: Env, journal: Unknown<'_>) -> napi::Result<Buffer> {
    guard(&env, || {
        let j: Journal = de::from_js(&env, journal, "journal", "Journal")?;
        xlsx(&[reports::journal(&j)?])
    })
}

fn reconciliation_table(env: &Env, value: Unknown<'_>) -> Result<Table, Failure> {
    let r: ar_formats::reconcile::Reconciliation =
        de::from_js(env, value, "reconciliation", "BankReconciliation")?;
    Ok(reports::reconciliation(&r)?)
}

/// A bank reconciliation (`Ledger.reconcileBank`) as CSV: a row per pair,
/// bank entry only in the bank and receipt only in the books.
///
/// Errors: `invalid_type`, `invalid_value`.
#[napi(ts_args_type = "reconciliation: BankReconciliation")]
pub fn reconciliation_to_csv(env: Env, reconciliation: Unknown<'_>) -> napi::Result<String> {
    guard(&env, || csv(&reconciliation_table(&env, reconciliation)?))
}

/// A bank reconciliation as an .xlsx workbook of one sheet. Errors: as
/// `reconciliationToCsv`.
#[napi(ts_args_type = "reconciliation: BankReconciliation")]
pub fn reconciliation_to_xlsx(env: Env, reconciliation: Unknown<'_>) -> napi::Result<Buffer> {
    guard(&env, || {
        xlsx(&[reconciliation_table(&env, reconciliation)?])
    })
}
