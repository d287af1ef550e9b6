//! Bank statement and remittance files (`ar-formats`): `ar.parse_bank_file`
//! (format detected) and one function per format, each giving the
//! `BankStatement` record of `python/ar/_bank.py`; and the receipts of a
//! statement as ledger commands (`Ledger.record_bank_receipts`, through
//! [`record_commands`]). Files are read here, never by the core.

use std::borrow::Cow;

use ar_core::{Command, CustomerId, Error, ReceiptId};
use ar_formats::{BankReceipt, Limits, Statement};
use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};
use serde::Deserialize;

use crate::conv;
use crate::de;
use crate::errors::{catch, fail, format_error, to_py};
use crate::records;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;
type Parser = fn(&[u8]) -> ar_formats::Result<Statement>;

static PATH_LIKE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static RECEIPTS_OF: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

const EXPECTED: &str = "bytes, bytearray, memoryview, str or os.PathLike";

/// The file's bytes: a bytes-like object as is, a `str` as its UTF-8 text,
/// an `os.PathLike` read from disk (at most the default input limit).
pub fn bytes_of<'a>(source: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    const FIELD: &str = "source";
    let py = source.py();
    if let Ok(b) = source.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    if source.is_instance_of::<PyByteArray>() || source.is_instance_of::<PyMemoryView>() {
        return conv::reading(FIELD, || {
            Ok(Cow::Owned(PyBuffer::<u8>::get(source)?.to_vec(py)?))
        });
    }
    if let Ok(s) = source.cast::<PyString>() {
        return match s.to_cow() {
            Ok(Cow::Borrowed(text)) => Ok(Cow::Borrowed(text.as_bytes())),
            _ => conv::text(FIELD, source).map(|t| Cow::Owned(t.into_bytes())),
        };
    }
    let path_like = PATH_LIKE.import(py, "os", "PathLike")?;
    if !conv::reading(FIELD, || source.is_instance(path_like))? {
        return conv::wrong_type(FIELD, EXPECTED, source);
    }
    let path: std::path::PathBuf = conv::reading(FIELD, || {
        py.import("os")?
            .call_method1("fspath", (source,))?
            .extract()
    })?;
    let unreadable = |e: std::io::Error| {
        to_py(&Error::InvalidValue {
            field: FIELD.into(),
            value: ar_core::shown_value(&path.to_string_lossy()),
            reason: format!("cannot be read: {e}"),
        })
    };
    let size = std::fs::metadata(&path).map_err(unreadable)?.len();
    let limit = Limits::default().max_input_bytes;
    if usize::try_from(size).map_or(true, |s| s > limit) {
        return fail(Error::LimitExceeded {
            field: FIELD.into(),
            count: size,
            limit: u64::try_from(limit).unwrap_or(u64::MAX),
        });
    }
    Ok(Cow::Owned(
        py.detach(|| std::fs::read(&path)).map_err(unreadable)?,
    ))
}

/// Reads `source` with `parse`, without holding the GIL, into a
/// `BankStatement`.
fn read<'py>(source: &Bound<'py, PyAny>, parse: Parser) -> PyResult<Bound<'py, PyAny>> {
    let py = source.py();
    let bytes = bytes_of(source)?;
    let parsed = py
        .detach(|| catch(|| Ok(parse(&bytes))))
        .map_err(|e| to_py(&e))?;
    records::to_py(py, "BankStatement", &parsed.map_err(|e| format_error(&e))?)
}

/// Read a bank statement or remittance file of any supported format (found
/// from how it begins): ISO 20022 camt.052/053/054, BAI2, SWIFT MT940,
/// NACHA or ANSI X12 820. ``source`` is the file's content (``bytes``,
/// ``bytearray``, ``memoryview``, or a ``str`` of its text) or a path
/// (``os.PathLike``, such as ``pathlib.Path``: a ``str`` is content, never a
/// path). ``format`` (``"camt053"``, ``"bai2"``, ...) reads it as that
/// format instead of finding it. Raises ``ar.FormatError`` for a file that
/// cannot be read.
#[pyfunction]
#[pyo3(signature = (source, format = None))]
pub fn parse_bank_file<'py>(
    source: &Bound<'py, PyAny>,
    format: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let Some(format) = conv::given(format) else {
        return read(source, ar_formats::parse);
    };
    #[derive(Deserialize)]
    struct Args {
        format: ar_formats::Format,
    }
    let a: Args = de::from_args(source.py(), &[("format", Some(format))])?;
    let py = source.py();
    let bytes = bytes_of(source)?;
    let parsed = py
        .detach(|| {
            catch(|| {
                Ok(ar_formats::parse_with(
                    &bytes,
                    Some(a.format),
                    &ar_formats::Limits::default(),
                ))
            })
        })
        .map_err(|e| to_py(&e))?;
    records::to_py(py, "BankStatement", &parsed.map_err(|e| format_error(&e))?)
}

/// Read an ISO 20022 camt.053 statement, camt.054 notification or camt.052
/// report (any ``.001.xx`` version); ``source`` as for ``parse_bank_file``.
#[pyfunction]
#[pyo3(signature = (source))]
pub fn parse_camt<'py>(source: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    read(source, ar_formats::parse_camt)
}

/// Read a BAI2 file, its control totals and record counts checked;
/// ``source`` as for ``parse_bank_file``.
#[pyfunction]
#[pyo3(signature = (source))]
pub fn parse_bai2<'py>(source: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    read(source, ar_formats::parse_bai2)
}

/// Read a SWIFT MT940 file of one or more messages, each closing balance
/// checked; ``source`` as for ``parse_bank_file``.
#[pyfunction]
#[pyo3(signature = (source))]
pub fn parse_mt940<'py>(source: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    read(source, ar_formats::parse_mt940)
}

/// Read a NACHA ACH file (one statement per batch), its hashes, totals and
/// counts checked; ``source`` as for ``parse_bank_file``.
#[pyfunction]
#[pyo3(signature = (source))]
pub fn parse_nacha<'py>(source: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    read(source, ar_formats::parse_nacha)
}

/// Read an ANSI X12 820 payment order / remittance advice (one statement per
/// transaction set); ``source`` as for ``parse_bank_file``.
#[pyfunction]
#[pyo3(signature = (source))]
pub fn parse_x12_820<'py>(source: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    read(source, ar_formats::parse_x12_820)
}

/// Receipts recorded by one call: as many as one file may hold by the
/// parsers' default limit (`Limits::max_entries`).
const MAX_RECEIPTS: usize = 2_000_000;

/// The receipts of `statement`: a `BankStatement`'s, or a list of
/// `BankReceipt`s (records or dicts).
pub fn receipts(statement: &Bound<'_, PyAny>) -> PyResult<Vec<BankReceipt>> {
    let py = statement.py();
    let plain = conv::reading("statement", || {
        RECEIPTS_OF
            .import(py, "ar._bank", "_receipts_of")?
            .call1((statement,))
    })?;
    let receipts: de::Limited<BankReceipt, MAX_RECEIPTS> = de::from_py(&plain, "statement")?;
    Ok(receipts.0)
}

/// The arguments of `Ledger.record_bank_receipts` besides the receipts.
#[derive(Deserialize)]
struct RecordArgs {
    id_prefix: String,
    customer: Option<String>,
}

/// `Ledger.record_bank_receipts`: one `record_receipt` command per receipt
/// of `statement` (a `BankStatement`, or a list of `BankReceipt`s), the
/// `n`-th (from 1) with id `"{id_prefix}{n}"`.
pub fn record_commands(
    statement: &Bound<'_, PyAny>,
    id_prefix: &Bound<'_, PyAny>,
    customer: Arg<'_, '_>,
) -> PyResult<Vec<Command>> {
    let py = statement.py();
    let a: RecordArgs = de::from_args(
        py,
        &[("id_prefix", Some(id_prefix)), ("customer", customer)],
    )?;
    let receipts = receipts(statement)?;
    let customer = match a.customer {
        Some(c) => Some(catch(|| CustomerId::parse_field("customer", c)).map_err(|e| to_py(&e))?),
        None => None,
    };
    receipts
        .iter()
        .enumerate()
        .map(|(i, r)| {
            catch(|| {
                let id = format!("{}{}", a.id_prefix, i.saturating_add(1));
                let id = ReceiptId::parse_field("id_prefix", id)?;
                let receipt = r.to_receipt(id, customer.clone())?;
                Ok(Command::RecordReceipt { receipt })
            })
            .map_err(|e| to_py(&e))
        })
        .collect()
}
