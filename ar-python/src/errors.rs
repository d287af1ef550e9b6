//! The one place where `ar_core::Error` becomes a Python exception, and the
//! guard that turns a panic inside the engine into `ar.InternalError`.
//!
//! The exception classes are created once, with `__module__ == "ar"`:
//!
//! ```text
//! Exception
//! └── ArError                  .code, .family, .message, .field, .value
//!     ├── ValidationError      family "validation"
//!     │   ├── ArTypeError      (also a TypeError) code "invalid_type"
//!     │   └── FormatError      family "format": a bank file (`ar-formats`)
//!     ├── NotFoundError        family "not_found"
//!     ├── ConflictError        family "conflict"
//!     ├── CurrencyMismatchError family "currency"
//!     ├── StateError           family "state"
//!     ├── LogError             family "log"
//!     └── InternalError        family "internal"
//! ```

use std::panic::{catch_unwind, AssertUnwindSafe};

use ar_core::{Error, ErrorFamily};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

/// The exception classes, created on first use.
struct Classes {
    base: Py<PyType>,
    validation: Py<PyType>,
    type_error: Py<PyType>,
    format: Py<PyType>,
    not_found: Py<PyType>,
    conflict: Py<PyType>,
    currency: Py<PyType>,
    state: Py<PyType>,
    log: Py<PyType>,
    internal: Py<PyType>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

/// The classes, in Python so that they get a real `__init__`. Run with
/// `__name__ == "ar"`, so their `__module__` is `"ar"`. Each class carries
/// its `family` and a default `code`; instances raised by ar carry the
/// precise `code` and the `message`.
const SOURCE: &std::ffi::CStr = cr#"
class ArError(Exception):
    """Base class of every error raised by ar.

    Attributes: ``code``, the stable snake_case code (``"currency_mismatch"``,
    ...); ``family``, the family of the class (``"validation"``,
    ``"not_found"``, ``"conflict"``, ``"currency"``, ``"state"``, ``"log"`` or
    ``"internal"``); ``message``, which names the field and the value at
    fault (also ``str(error)``); ``field``, the field at fault as the message
    names it (``"amount"``, ``"lines[0].quantity"``,
    ``"applications.amount[2]"``) and ``value``, the value refused as text
    (at most 64 bytes of it), each ``None`` when the error names none. An
    error about a row of a ``pandas.DataFrame`` whose index is not the
    default one also has ``label``, the row's index label (``field`` has its
    position).
    """

    code = "internal"
    family = "internal"
    field = None
    value = None
    label = None

    def __init__(self, message="", code=None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class ValidationError(ArError):
    """The input is malformed or out of range, whatever the ledger holds."""

    code = "invalid_value"
    family = "validation"


class ArTypeError(ValidationError, TypeError):
    """A value of the wrong type (code ``invalid_type``), such as a float where
    an exact amount is required. Also a ``TypeError``."""

    code = "invalid_type"


class FormatError(ValidationError):
    """A bank or remittance file that cannot be read (family ``format``):
    ``code`` says why (``unknown_format``, ``encoding``, ``syntax``,
    ``missing``, ``invalid_amount``, ``invalid_date``, ``invalid_value``,
    ``control_total``, ``record_count``, ``limit_exceeded``); ``format`` is
    the format being read (``"camt053"``, ``"bai2"``, ... or ``None``),
    ``line`` the 1-based line at fault (0 for an empty file) and
    ``location`` the record, tag, segment or element (``"Ntry/Amt"``).
    A row of an accounting-system export (``ar.import_accounting``) also
    has ``file``, ``row`` (its line) and ``column`` (the header)."""

    code = "syntax"
    family = "format"
    format = None
    line = 0
    location = ""
    file = ""
    row = 0
    column = ""


class NotFoundError(ArError):
    """The input names something the ledger does not know."""

    code = "not_found"
    family = "not_found"


class ConflictError(ArError):
    """The input clashes with something that already exists (``duplicate_id``,
    ``idempotency_conflict``)."""

    code = "duplicate_id"
    family = "conflict"


class CurrencyMismatchError(ArError):
    """Two amounts in different currencies met where one was required."""

    code = "currency_mismatch"
    family = "currency"


class StateError(ArError):
    """The input is well formed but the ledger's state does not allow it."""

    code = "invalid_state"
    family = "state"


class LogError(ArError):
    """A serialized log cannot be read back."""

    code = "corrupt_log"
    family = "log"


class InternalError(ArError):
    """A defect in ar itself (for example a caught panic); please report it."""

    code = "internal"
    family = "internal"
"#;

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || {
        let namespace = PyDict::new(py);
        namespace.set_item("__name__", "ar")?;
        namespace.set_item("__builtins__", py.import("builtins")?)?;
        py.run(SOURCE, Some(&namespace), None)?;
        let class = |name: &str| -> PyResult<Py<PyType>> {
            match namespace.get_item(name)? {
                Some(c) => Ok(c.cast_into::<PyType>()?.unbind()),
                None => Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
                    "ar: exception class {name} was not created"
                ))),
            }
        };
        Ok::<_, PyErr>(Classes {
            base: class("ArError")?,
            validation: class("ValidationError")?,
            type_error: class("ArTypeError")?,
            format: class("FormatError")?,
            not_found: class("NotFoundError")?,
            conflict: class("ConflictError")?,
            currency: class("CurrencyMismatchError")?,
            state: class("StateError")?,
            log: class("LogError")?,
            internal: class("InternalError")?,
        })
    })
}

/// Adds the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let c = classes(py)?;
    for (name, class) in [
        ("ArError", &c.base),
        ("ValidationError", &c.validation),
        ("ArTypeError", &c.type_error),
        ("FormatError", &c.format),
        ("NotFoundError", &c.not_found),
        ("ConflictError", &c.conflict),
        ("CurrencyMismatchError", &c.currency),
        ("StateError", &c.state),
        ("LogError", &c.log),
        ("InternalError", &c.internal),
    ] {
        m.add(name, class.bind(py))?;
    }
    Ok(())
}

/// The exception for an error of the core: one class per family, and
/// `ArTypeError` for `invalid_type`; `.code`, `.family` and `.message` set.
pub fn to_py(err: &Error) -> PyErr {
    Python::attach(|py| build(py, err).unwrap_or_else(|e| e))
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let c = classes(py)?;
    let family = err.family();
    let class = match family {
        ErrorFamily::Validation if matches!(err, Error::InvalidType { .. }) => &c.type_error,
        ErrorFamily::Validation => &c.validation,
        ErrorFamily::NotFound => &c.not_found,
        ErrorFamily::Conflict => &c.conflict,
        ErrorFamily::Currency => &c.currency,
        ErrorFamily::State => &c.state,
        ErrorFamily::Log => &c.log,
        ErrorFamily::Internal => &c.internal,
    };
    let exc = class.bind(py).call1((err.to_string(), err.code()))?;
    // The class carries its family's name too; the core's is the truth.
    exc.setattr("family", family.name())?;
    let (field, value) = err.field_and_value();
    exc.setattr("field", field)?;
    exc.setattr("value", value.map(ar_core::shown_value))?;
    Ok(PyErr::from_value(exc))
}

/// Bytes of a bank file error's location kept: an XML element path is as
/// long as the file's names make it.
const MAX_LOCATION: usize = 256;

/// The `ar.FormatError` for a file `ar-formats` cannot read, with its
/// `format`, `line` and `location`.
pub fn format_error(err: &ar_formats::FormatError) -> PyErr {
    Python::attach(|py| {
        let build = || -> PyResult<PyErr> {
            let class = classes(py)?.format.bind(py);
            let location = crate::conv::bounded(&err.location, MAX_LOCATION);
            let format = err.format.map_or("input", ar_formats::Format::name);
            let message = match location.as_str() {
                "" => format!("{format} line {}: {}", err.line, err.message),
                at => format!("{format} line {} ({at}): {}", err.line, err.message),
            };
            let exc = class.call1((crate::conv::bounded(&message, 768), err.code.as_str()))?;
            exc.setattr("format", err.format.map(ar_formats::Format::name))?;
            exc.setattr("line", err.line)?;
            exc.setattr("location", location)?;
            Ok(PyErr::from_value(exc))
        };
        build().unwrap_or_else(|e| e)
    })
}

/// The exception for a row of an accounting-system file (`ar-formats`):
/// `ar.FormatError` for a value that cannot be read, else the class of the
/// ledger's family for a row it refused; with `file`, `row` and `column`
/// (and, for `FormatError`, `line` and `location` the row and column).
pub fn row_error(err: &ar_formats::RowError) -> PyErr {
    Python::attach(|py| {
        let build = || -> PyResult<PyErr> {
            let c = classes(py)?;
            use ar_formats::Family as F;
            let class = match err.family {
                F::Format => &c.format,
                F::Validation if err.code == "invalid_type" => &c.type_error,
                F::Validation => &c.validation,
                F::NotFound => &c.not_found,
                F::Conflict => &c.conflict,
                F::Currency => &c.currency,
                F::State => &c.state,
                F::Log => &c.log,
                F::Internal => &c.internal,
            };
            let message = crate::conv::bounded(&err.to_string(), 768);
            let exc = class.bind(py).call1((message, err.code.as_str()))?;
            let file = crate::conv::bounded(&err.file, MAX_LOCATION);
            let column = crate::conv::bounded(&err.column, MAX_LOCATION);
            exc.setattr("family", err.family.name())?;
            exc.setattr("file", file)?;
            exc.setattr("row", err.row)?;
            exc.setattr("column", column.as_str())?;
            if err.family == F::Format {
                exc.setattr("line", err.row)?;
                exc.setattr("location", column)?;
            }
            Ok(PyErr::from_value(exc))
        };
        build().unwrap_or_else(|e| e)
    })
}

/// Is `err` an `ar.ArError`?
pub fn is_ar_error(py: Python<'_>, err: &PyErr) -> bool {
    classes(py).is_ok_and(|c| err.is_instance(py, c.base.bind(py)))
}

/// Shorthand: an `Err` holding the exception for `err`.
pub fn fail<T>(err: Error) -> PyResult<T> {
    Err(to_py(&err))
}

/// Runs a call into the core: its error becomes the matching exception, and
/// a panic becomes `ar.InternalError` (code `internal`) instead of crashing
/// the interpreter.
pub fn guard<T>(f: impl FnOnce() -> ar_core::Result<T>) -> PyResult<T> {
    catch(f).map_err(|e| to_py(&e))
}

/// [`guard`] without the Python side: the core's result, with a panic caught
/// as [`Error::Internal`].
pub fn catch<T>(f: impl FnOnce() -> ar_core::Result<T>) -> ar_core::Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            // A panic's message may quote a value: bounded like any other.
            Err(Error::Internal {
                message: format!("panic in ar-core: {}", ar_core::shown_value(&what)),
            })
        }
    }
}

/// `err`, when it names a row of a table given as a `pandas.DataFrame`
/// whose index is not the default `0..n` (`invoices.amount[2]`), with that
/// row's index `label` and the label in the message (the field has its
/// position):
/// the caller finds the row by the label they know. Any other error, or a
/// label that cannot be read, is returned as it is.
pub fn with_label(
    py: Python<'_>,
    err: PyErr,
    tables: &[(&str, Option<&Bound<'_, PyAny>>)],
) -> PyErr {
    let label = || -> PyResult<Option<()>> {
        let exc = err.value(py);
        let Ok(field) = exc.getattr("field")?.extract::<String>() else {
            return Ok(None);
        };
        let Some((table, rest)) = field.split_once('.') else {
            return Ok(None);
        };
        let Some(row) = rest
            .strip_suffix(']')
            .and_then(|r| r.rsplit_once('['))
            .and_then(|(_, n)| n.parse::<usize>().ok())
        else {
            return Ok(None);
        };
        let Some(frame) = tables
            .iter()
            .find(|(n, _)| *n == table)
            .and_then(|(_, f)| *f)
        else {
            return Ok(None);
        };
        // A DataFrame exists only when pandas was imported.
        let Some(pandas) = py
            .import("sys")?
            .getattr("modules")?
            .get_item("pandas")
            .ok()
        else {
            return Ok(None);
        };
        if !frame.is_instance(&pandas.getattr("DataFrame")?)? {
            return Ok(None);
        }
        let index = frame.getattr("index")?;
        let default = index.is_instance(&pandas.getattr("RangeIndex")?)?
            && index.getattr("start")?.extract::<i64>()? == 0
            && index.getattr("step")?.extract::<i64>()? == 1;
        if default || row >= index.len()? {
            return Ok(None);
        }
        let label = index.get_item(row)?;
        let shown = ar_core::shown_value(&label.repr()?.to_string());
        let message: String = exc.getattr("message")?.extract()?;
        let message = format!("{message} (index label {shown})");
        exc.setattr("label", label)?;
        exc.setattr("args", (message.as_str(),))?;
        exc.setattr("message", message)?;
        Ok(Some(()))
    };
    let _ = label();
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let e = catch::<()>(|| panic!("boom")).unwrap_err();
        assert_eq!(e.code(), "internal");
        assert!(e.to_string().contains("boom"), "{e}");
        let e = catch::<()>(|| panic!("{}", String::from("owned"))).unwrap_err();
        assert!(e.to_string().contains("owned"), "{e}");
    }

    #[test]
    fn errors_pass_through_and_values_too() {
        assert_eq!(catch(|| Ok(3)).unwrap(), 3);
        let e = catch::<()>(|| Err(Error::Overflow { field: "x".into() })).unwrap_err();
        assert_eq!(e.code(), "overflow");
    }
}
