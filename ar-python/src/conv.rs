//! Conversions between Python values and the core's: exact decimals, dates,
//! timestamps, currencies, enums as snake_case strings, ids, terms.
//!
//! Every refusal is an `ar_core::Error` (`invalid_type`, `invalid_decimal`,
//! `invalid_date`, `invalid_value`, ...) raised through [`crate::errors`].
//! Nothing here goes through a binary float.

use std::collections::BTreeMap;

use ar_core::chrono::{DateTime, NaiveDate, Utc};
use ar_core::matching::{PartialPayments, ToleranceEvidence};
use ar_core::rust_decimal::Decimal;
use ar_core::{
    AgeBasis, Buckets, CeiVariant, CommandMeta, Currency, Error, GroupBy, PaymentMethod,
    PaymentTerms, RoundingPolicy, TaxMode, TaxRounding, View,
};
use pyo3::exceptions::{PyException, PyMemoryError, PyOverflowError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PySequence, PyString, PyType};

use crate::errors::{fail, guard, is_ar_error};
use crate::terms::Terms;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static TIMEZONE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Name of the Python type of `obj` (`"float"`, `"str"`, ...).
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |n| n.to_string())
}

/// An `invalid_type` error for `obj` at `field`.
pub fn wrong_type<T>(field: &str, expected: &str, obj: &Bound<'_, PyAny>) -> PyResult<T> {
    wrong_type_named(field, expected, &type_name(obj))
}

fn wrong_type_named<T>(field: &str, expected: &str, found: &str) -> PyResult<T> {
    fail(Error::InvalidType {
        field: field.to_owned(),
        expected: expected.to_owned(),
        found: found.to_owned(),
    })
}

fn invalid_value<T>(field: &str, value: impl ToString, reason: &str) -> PyResult<T> {
    fail(Error::InvalidValue {
        field: field.to_owned(),
        value: value.to_string(),
        reason: reason.to_owned(),
    })
}

/// What a message shows of a Python value: at most a bounded prefix
/// (`ar_core::shown_value`), found without building a long text first
/// where that could be slow or raise: an `int` past a few dozen digits by
/// its size (`str()` of one past 4,300 digits raises `ValueError`), a
/// container or any other object by its type's name.
pub fn shown(obj: &Bound<'_, PyAny>) -> String {
    let py = obj.py();
    if let Ok(s) = obj.cast::<PyString>() {
        return ar_core::shown_value(&lossy(s));
    }
    if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
        let bits = obj
            .call_method0("bit_length")
            .and_then(|b| b.extract::<u64>());
        return match bits {
            Ok(b) if b <= 128 => obj.str().map_or_else(|_| type_name(obj), |s| s.to_string()),
            Ok(b) => format!("an int of {b} bits"),
            Err(_) => type_name(obj),
        };
    }
    let printable = [
        DECIMAL.import(py, "decimal", "Decimal"),
        DATE.import(py, "datetime", "date"),
    ]
    .into_iter()
    .any(|t| t.is_ok_and(|t| obj.is_instance(t).unwrap_or(false)));
    if printable {
        if let Ok(s) = obj.str() {
            return ar_core::shown_value(&s.to_string_lossy());
        }
    }
    type_name(obj)
}

/// An exception raised by Python code while `field` was read (a
/// sequence's `__iter__`, a `tzinfo`, a subclass's method, pyarrow) as an
/// `invalid_value` naming the field, the original kept as `__cause__`.
/// An `ar.ArError` passes unchanged, and so do what are not errors in the
/// value: a `BaseException` that is not an `Exception` (`KeyboardInterrupt`,
/// `SystemExit`) and `MemoryError`.
pub fn foreign(field: &str, err: PyErr) -> PyErr {
    Python::attach(|py| {
        if is_ar_error(py, &err)
            || !err.is_instance_of::<PyException>(py)
            || err.is_instance_of::<PyMemoryError>(py)
        {
            return err;
        }
        let what = format!(
            "{}: {}",
            err.get_type(py)
                .name()
                .map_or_else(|_| "Exception".to_owned(), |n| n.to_string()),
            err.value(py)
                .str()
                .map_or_else(|_| String::new(), |s| s.to_string_lossy().into_owned())
        );
        let typed = crate::errors::to_py(&Error::InvalidValue {
            field: field.to_owned(),
            value: ar_core::shown_value(&what),
            reason: "reading it raised an exception (its __cause__)".to_owned(),
        });
        typed.set_cause(py, Some(err));
        typed
    })
}

/// Runs `f`, which reads `field` from Python values: any exception it
/// raises becomes an `ar.ArError` by [`foreign`].
pub fn reading<T>(field: &str, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    f().map_err(|e| foreign(field, e))
}

/// `None` for a missing argument or Python `None`.
pub fn given<'a, 'py>(obj: Option<&'a Bound<'py, PyAny>>) -> Option<&'a Bound<'py, PyAny>> {
    obj.filter(|o| !o.is_none())
}

// ----- decimals -------------------------------------------------------------

const DECIMAL_EXPECTED: &str = "decimal.Decimal, int or decimal str";

/// An exact decimal: a `decimal.Decimal` (finite), an `int`, or its plain
/// text (`"1234.50"`, as `Book` and `from_tables` take amounts). A `float`
/// or `bool` is an `invalid_type`; NaN, infinities and text that is not a
/// plain decimal (an exponent, a thousands separator) are
/// `invalid_decimal`; a value a 96-bit decimal cannot hold exactly is an
/// `invalid_value` (never rounded).
pub fn decimal(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Decimal> {
    reading(field, || read_decimal(field, obj))
}

fn read_decimal(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Decimal> {
    let py = obj.py();
    if obj.is_instance_of::<PyBool>() {
        return wrong_type(field, DECIMAL_EXPECTED, obj);
    }
    if obj.is_instance_of::<PyInt>() {
        return match obj.extract::<i128>() {
            Ok(v) => match Decimal::try_from_i128_with_scale(v, 0) {
                Ok(d) => Ok(d),
                Err(_) => out_of_range(field, obj),
            },
            Err(_) => out_of_range(field, obj),
        };
    }
    if obj.is_instance_of::<PyString>() {
        let t = text(field, obj)?;
        return ar_core::parse_decimal(field, &t).map_err(|e| crate::errors::to_py(&e));
    }
    let decimal_type = DECIMAL.import(py, "decimal", "Decimal")?;
    if !obj.is_instance(decimal_type)? {
        return wrong_type(field, DECIMAL_EXPECTED, obj);
    }
    if !obj.call_method0("is_finite")?.is_truthy()? {
        return fail(Error::InvalidDecimal {
            field: field.to_owned(),
            value: shown(obj),
        });
    }
    let parts = obj.call_method0("as_tuple")?;
    let negative = parts.getattr("sign")?.extract::<u8>()? == 1;
    let mut digits: Vec<u8> = parts.getattr("digits")?.extract()?;
    let mut exponent: i64 = parts.getattr("exponent")?.extract()?;
    // Drop trailing zeros only when the representation is too wide for a
    // 96-bit decimal; the value is unchanged.
    while (exponent < -28 || digits.len() > 28)
        && exponent < 0
        && digits.len() > 1
        && digits.last() == Some(&0)
    {
        digits.pop();
        exponent += 1;
    }
    let mut mantissa: i128 = 0;
    for d in &digits {
        match mantissa
            .checked_mul(10)
            .and_then(|m| m.checked_add(i128::from(*d)))
        {
            Some(m) => mantissa = m,
            None => return out_of_range(field, obj),
        }
    }
    let mut scale: u32 = 0;
    if exponent > 0 {
        // Zero times any power of ten is zero; any other mantissa overflows
        // within 39 steps, so the loop is short whatever the exponent
        // (`0E+999999999999999999` would otherwise loop that many times).
        if mantissa != 0 {
            for _ in 0..exponent {
                match mantissa.checked_mul(10) {
                    Some(m) => mantissa = m,
                    None => return out_of_range(field, obj),
                }
            }
        }
    } else {
        match exponent.checked_neg().and_then(|e| u32::try_from(e).ok()) {
            Some(s) if s <= 28 => scale = s,
            _ => return out_of_range(field, obj),
        }
    }
    if negative {
        mantissa = -mantissa;
    }
    match Decimal::try_from_i128_with_scale(mantissa, scale) {
        Ok(d) => Ok(d),
        Err(_) => out_of_range(field, obj),
    }
}

fn out_of_range<T>(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<T> {
    invalid_value(
        field,
        shown(obj),
        "cannot be held exactly (at most 28 significant digits and 28 decimal places)",
    )
}

/// [`decimal`], or `None` for a missing argument or `None`.
pub fn opt_decimal(field: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Decimal>> {
    given(obj).map(|o| decimal(field, o)).transpose()
}

// ----- dates and timestamps -------------------------------------------------

const DATE_EXPECTED: &str = "datetime.date or \"YYYY-MM-DD\"";

/// A business date: a `datetime.date` or an ISO `"YYYY-MM-DD"` string. A
/// `datetime.datetime` is an `invalid_type` (it carries a time a business
/// date has not); unparseable text is `invalid_date`.
pub fn date(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<NaiveDate> {
    reading(field, || {
        let py = obj.py();
        if obj.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
            return wrong_type(field, DATE_EXPECTED, obj);
        }
        if obj.is_instance(DATE.import(py, "datetime", "date")?)? {
            return obj.extract::<NaiveDate>();
        }
        if obj.is_instance_of::<PyString>() {
            return parse_date(field, &text(field, obj)?);
        }
        wrong_type(field, DATE_EXPECTED, obj)
    })
}

/// Is `obj` a `datetime.date` (a `datetime.datetime` included)?
pub fn is_date(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    obj.is_instance(DATE.import(obj.py(), "datetime", "date")?)
}

/// Parses exactly `YYYY-MM-DD`.
pub fn parse_date(field: &str, text: &str) -> PyResult<NaiveDate> {
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) if shape_ok => Ok(d),
        _ => fail(Error::InvalidDate {
            field: field.to_owned(),
            value: ar_core::shown_value(text),
            expected: "date (YYYY-MM-DD)".to_owned(),
        }),
    }
}

/// [`date`], or `None`.
pub fn opt_date(field: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<NaiveDate>> {
    given(obj).map(|o| date(field, o)).transpose()
}

const TIMESTAMP_EXPECTED: &str = "timezone-aware datetime.datetime";

/// A recorded time: a timezone-aware `datetime.datetime`, converted to UTC.
/// A naive datetime (or anything else) is an `invalid_type`.
/// A timezone-aware datetime whose time in UTC is before year 1 or after
/// year 9999 (`datetime(9999, 12, 31, 23, 59, tzinfo=UTC-23h)`) is an
/// `invalid_date`: Python cannot convert it to UTC.
pub fn timestamp(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    reading(field, || {
        let py = obj.py();
        if !obj.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
            return wrong_type(field, TIMESTAMP_EXPECTED, obj);
        }
        if obj.call_method0("utcoffset")?.is_none() {
            return wrong_type_named(field, TIMESTAMP_EXPECTED, "naive datetime");
        }
        let utc = TIMEZONE
            .import(py, "datetime", "timezone")?
            .getattr("utc")?;
        match obj.call_method1("astimezone", (utc,)) {
            Ok(t) => t.extract::<DateTime<Utc>>(),
            Err(e) if e.is_instance_of::<PyOverflowError>(py) => fail(Error::InvalidDate {
                field: field.to_owned(),
                value: shown(obj),
                expected: "timezone-aware datetime whose time in UTC is within years 1 to 9999"
                    .to_owned(),
            }),
            Err(e) => Err(e),
        }
    })
}

/// [`timestamp`], or `None`.
pub fn opt_timestamp(
    field: &str,
    obj: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<DateTime<Utc>>> {
    given(obj).map(|o| timestamp(field, o)).transpose()
}

/// The slice of history a query sees.
pub fn view(
    as_of: Option<&Bound<'_, PyAny>>,
    known_at: Option<&Bound<'_, PyAny>>,
) -> PyResult<View> {
    Ok(View {
        as_of: opt_date("as_of", as_of)?,
        known_at: opt_timestamp("known_at", known_at)?,
    })
}

/// The current time in UTC, to the microsecond (what a Python datetime
/// holds). The core reads no clock; the binding supplies the default.
fn now() -> ar_core::Result<DateTime<Utc>> {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = i64::try_from(since_epoch.as_secs()).unwrap_or(i64::MAX);
    DateTime::from_timestamp(secs, since_epoch.subsec_micros() * 1000).ok_or_else(|| {
        Error::Internal {
            message: "the system clock is out of range".into(),
        }
    })
}

/// A command's `recorded` time as given (or `None`: now) and its
/// idempotency key, read from Python before the ledger is locked.
pub struct Meta {
    recorded: Option<DateTime<Utc>>,
    idempotency_key: Option<String>,
}

impl Meta {
    /// The core's metadata. Called with the ledger locked, with `last`
    /// the log's last recorded time: the default, now, is read then and is
    /// never before `last`, so that threads sharing a ledger (or a clock
    /// set back) never get `recorded_out_of_order` for a time they did not
    /// give.
    pub fn resolve(self, last: Option<DateTime<Utc>>) -> ar_core::Result<CommandMeta> {
        let recorded = match self.recorded {
            Some(t) => t,
            None => now()?.max(last.unwrap_or(DateTime::<Utc>::MIN_UTC)),
        };
        Ok(CommandMeta {
            recorded,
            idempotency_key: self.idempotency_key,
        })
    }
}

/// When a command is recorded (default: now, to the microsecond a Python
/// datetime can hold; see [`Meta::resolve`]) and its idempotency key.
pub fn meta(
    recorded: Option<&Bound<'_, PyAny>>,
    idempotency_key: Option<&Bound<'_, PyAny>>,
) -> PyResult<Meta> {
    Ok(Meta {
        recorded: opt_timestamp("recorded", recorded)?,
        idempotency_key: opt_text("idempotency_key", idempotency_key)?,
    })
}

// ----- text, flags, counts --------------------------------------------------

/// A `str`. Every text argument comes through here, so this is where a
/// `str` that is not valid Unicode (a lone surrogate such as `"\\ud800"`,
/// which cannot be encoded as UTF-8) becomes an `invalid_value` naming the
/// field.
pub fn text(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(s) => match s.to_cow() {
            Ok(t) => Ok(t.into_owned()),
            Err(_) => invalid_value(
                field,
                ar_core::shown_value(&lossy(s)),
                "not valid Unicode: it holds a lone surrogate (U+D800 to U+DFFF), shown here as U+FFFD",
            ),
        },
        Err(_) => wrong_type(field, "str", obj),
    }
}

/// A `str` that may hold lone surrogates, for a message: each one becomes
/// one U+FFFD (through UTF-16, which can carry them).
fn lossy(s: &Bound<'_, PyString>) -> String {
    s.call_method1("encode", ("utf-16-le", "surrogatepass"))
        .and_then(|b| Ok(b.cast_into::<PyBytes>()?))
        .map(|b| {
            let units: Vec<u16> = b
                .as_bytes()
                .chunks_exact(2)
                .map(|c| <[u8; 2]>::try_from(c).map_or(0xFFFD, u16::from_le_bytes))
                .collect();
            String::from_utf16_lossy(&units)
        })
        .unwrap_or_else(|_| s.to_string_lossy().into_owned())
}

/// [`text`], or `None`.
pub fn opt_text(field: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    given(obj).map(|o| text(field, o)).transpose()
}

/// A `bool` (an `int` is not accepted).
pub fn flag(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    match obj.cast::<PyBool>() {
        Ok(b) => Ok(b.is_true()),
        Err(_) => wrong_type(field, "bool", obj),
    }
}

/// [`flag`], or `false` for a missing argument or `None`.
pub fn opt_flag(field: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
    given(obj).map_or(Ok(false), |o| flag(field, o))
}

/// A non-negative `int` that fits 32 bits (days, installment and line
/// numbers).
pub fn count(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return wrong_type(field, "int", obj);
    }
    match obj.extract::<u32>() {
        Ok(n) => Ok(n),
        Err(_) => invalid_value(field, shown(obj), "must be from 0 to 4294967295"),
    }
}

/// [`count`], or `None`.
pub fn opt_count(field: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<u32>> {
    given(obj).map(|o| count(field, o)).transpose()
}

/// A whole number of days that may be negative (an aging bucket bound).
pub fn days(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return wrong_type(field, "int", obj);
    }
    match obj.extract::<i64>() {
        Ok(n) => Ok(n),
        Err(_) => invalid_value(field, shown(obj), "must fit a 64-bit integer"),
    }
}

/// A `dict[str, str]` of free dimensions; `None` is empty.
pub fn dimensions(
    field: &str,
    obj: Option<&Bound<'_, PyAny>>,
) -> PyResult<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let Some(obj) = given(obj) else {
        return Ok(out);
    };
    let Ok(dict) = obj.cast::<PyDict>() else {
        return wrong_type(field, "dict[str, str]", obj);
    };
    for (k, v) in dict.iter() {
        let key = text(&format!("{field} key"), &k)?;
        let value = text(&format!("{field}[{:?}]", ar_core::shown_value(&key)), &v)?;
        out.insert(key, value);
    }
    Ok(out)
}

/// The items of a sequence (a `list`, a `tuple`, or any
/// `collections.abc.Sequence` other than `str` and `bytes`).
pub fn items<'py>(
    field: &str,
    expected: &str,
    obj: &Bound<'py, PyAny>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    reading(field, || {
        let text_like = obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>();
        if !text_like && obj.cast::<PySequence>().is_ok() {
            obj.try_iter()?.collect()
        } else {
            wrong_type(field, expected, obj)
        }
    })
}

/// A sequence of exact amounts (`field[i]` names the one at fault).
pub fn decimals(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<Decimal>> {
    items(field, "list of decimal.Decimal, int or decimal str", obj)?
        .iter()
        .enumerate()
        .map(|(i, o)| decimal(&format!("{field}[{i}]"), o))
        .collect()
}

/// A sequence of exact amounts or `None`s.
pub fn opt_decimals(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<Option<Decimal>>> {
    items(field, "list of decimal.Decimal, int or None", obj)?
        .iter()
        .enumerate()
        .map(|(i, o)| opt_decimal(&format!("{field}[{i}]"), Some(o)))
        .collect()
}

// ----- currencies, enums, terms ----------------------------------------------

/// An ISO 4217 code such as `"USD"`.
pub fn currency(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Currency> {
    let code = text(field, obj)?;
    guard(|| Currency::parse_field(field, &code))
}

/// [`currency`], or `None`.
pub fn opt_currency(field: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Currency>> {
    given(obj).map(|o| currency(field, o)).transpose()
}

fn choice<T: Copy>(field: &str, obj: &Bound<'_, PyAny>, options: &[(&str, T)]) -> PyResult<T> {
    let name = text(field, obj)?;
    match options.iter().find(|(n, _)| *n == name) {
        Some((_, v)) => Ok(*v),
        None => {
            let names: Vec<String> = options.iter().map(|(n, _)| format!("{n:?}")).collect();
            invalid_value(field, name, &format!("expected {}", names.join(" or ")))
        }
    }
}

const ROUNDING: [(&str, RoundingPolicy); 2] = [
    ("half_away_from_zero", RoundingPolicy::HalfAwayFromZero),
    ("half_even", RoundingPolicy::HalfEven),
];
const TAX_MODE: [(&str, TaxMode); 2] = [
    ("exclusive", TaxMode::Exclusive),
    ("inclusive", TaxMode::Inclusive),
];
const TAX_ROUNDING: [(&str, TaxRounding); 2] = [
    ("per_line", TaxRounding::PerLine),
    ("per_document", TaxRounding::PerDocument),
];

/// `"half_away_from_zero"` or `"half_even"`.
pub fn rounding(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<RoundingPolicy> {
    choice(field, obj, &ROUNDING)
}

/// `"exclusive"` or `"inclusive"`.
pub fn tax_mode(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<TaxMode> {
    choice(field, obj, &TAX_MODE)
}

/// `"per_line"` or `"per_document"`.
pub fn tax_rounding(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<TaxRounding> {
    choice(field, obj, &TAX_ROUNDING)
}

const TOLERANCE_EVIDENCE: [(&str, ToleranceEvidence); 3] = [
    ("reference", ToleranceEvidence::Reference),
    ("any", ToleranceEvidence::Any),
    ("review_only", ToleranceEvidence::ReviewOnly),
];
const PARTIAL_PAYMENTS: [(&str, PartialPayments); 2] = [
    ("review", PartialPayments::Review),
    ("auto", PartialPayments::Auto),
];

/// `"reference"`, `"any"` or `"review_only"`.
pub fn tolerance_evidence(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<ToleranceEvidence> {
    choice(field, obj, &TOLERANCE_EVIDENCE)
}

/// `"review"` or `"auto"`.
pub fn partial_payments(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<PartialPayments> {
    choice(field, obj, &PARTIAL_PAYMENTS)
}

const AGE_BASIS: [(&str, AgeBasis); 2] = [
    ("due_date", AgeBasis::DueDate),
    ("invoice_date", AgeBasis::InvoiceDate),
];

/// `"due_date"` or `"invoice_date"`.
pub fn age_basis(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<AgeBasis> {
    choice(field, obj, &AGE_BASIS)
}

/// The snake_case name of an aging basis.
pub fn age_basis_name(basis: AgeBasis) -> &'static str {
    AGE_BASIS
        .iter()
        .find(|(_, b)| *b == basis)
        .map_or("due_date", |(n, _)| n)
}

/// How a data frame holds amounts: `"decimal"`, `"str"` or `"float"`.
pub fn amounts_as(field: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<&'static str> {
    const AMOUNTS: [(&str, &str); 3] = [("decimal", "decimal"), ("str", "str"), ("float", "float")];
    given(obj).map_or(Ok("decimal"), |o| choice(field, o, &AMOUNTS))
}

/// How `ar.Book` takes amount columns: `"decimal"` (exact values only; a
/// float column is an `invalid_type`) or `"float"` (float columns too, each
/// value rounded once to its currency's minor unit).
pub fn book_amounts(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<crate::arrow::Floats> {
    use crate::arrow::Floats;
    const AMOUNTS: [(&str, Floats); 2] = [("decimal", Floats::Refuse), ("float", Floats::Round)];
    choice(field, obj, &AMOUNTS)
}

/// Bucket bounds: a sequence of `int` days, strictly increasing (checked by
/// the core); the core's default (`[0, 30, 60, 90, 120]`) when `None`.
pub fn buckets(field: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Buckets> {
    let Some(obj) = given(obj) else {
        return Ok(Buckets::default());
    };
    let bounds = items(field, "list of int", obj)?
        .iter()
        .enumerate()
        .map(|(i, o)| days(&format!("{field}[{i}]"), o))
        .collect::<PyResult<Vec<i64>>>()?;
    guard(|| Buckets::new(bounds))
}

/// One group-by key: `"customer"`, `"customer.<key>"` (a customer
/// dimension) or `"invoice.<key>"` (an invoice dimension), parsed by the
/// core (`invalid_value` naming anything else).
pub fn group_key(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<GroupBy> {
    let name = text(field, obj)?;
    guard(|| name.parse::<GroupBy>())
}

/// A sequence of group-by keys (see [`group_key`]); `default` when `None`.
pub fn group_by(
    field: &str,
    obj: Option<&Bound<'_, PyAny>>,
    default: &[GroupBy],
) -> PyResult<Vec<GroupBy>> {
    let Some(obj) = given(obj) else {
        return Ok(default.to_vec());
    };
    items(field, "list of str", obj)?
        .iter()
        .enumerate()
        .map(|(i, o)| group_key(&format!("{field}[{i}]"), o))
        .collect()
}

/// Which credit sales CEI uses: `"period_sales"` (the default), or
/// `"monthly_average"` with the number of `months` (required then, and only
/// then).
pub fn cei_variant(
    field: &str,
    variant: Option<&Bound<'_, PyAny>>,
    months_field: &str,
    months: Option<&Bound<'_, PyAny>>,
) -> PyResult<CeiVariant> {
    const NAMES: [(&str, bool); 2] = [("period_sales", false), ("monthly_average", true)];
    let monthly = match given(variant) {
        Some(v) => choice(field, v, &NAMES)?,
        None => false,
    };
    match (monthly, opt_count(months_field, months)?) {
        (false, None) => Ok(CeiVariant::PeriodSales),
        (true, Some(months)) => Ok(CeiVariant::MonthlyAverage { months }),
        (true, None) => invalid_value(months_field, "None", "is required with \"monthly_average\""),
        (false, Some(m)) => invalid_value(months_field, m, "is only used with \"monthly_average\""),
    }
}

/// A payment method by its snake_case name (`"check"`, `"ach"`, ...).
pub fn method(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<PaymentMethod> {
    let name = text(field, obj)?;
    guard(|| PaymentMethod::parse_field(field, &name))
}

/// Payment terms: an `ar.Terms` or the shorthand (`"2/10 net 30"`, ...).
pub fn terms(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<PaymentTerms> {
    if let Ok(t) = obj.cast::<Terms>() {
        return Ok(t.get().inner.clone());
    }
    if obj.is_instance_of::<PyString>() {
        let text = text(field, obj)?;
        return guard(|| text.parse::<PaymentTerms>());
    }
    wrong_type(field, "ar.Terms or str", obj)
}

/// [`terms`], or `None`.
pub fn opt_terms(field: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<PaymentTerms>> {
    given(obj).map(|o| terms(field, o)).transpose()
}

/// Parses an id with the core's own validation (non-empty, at most 128
/// bytes, no surrounding spaces or control characters).
pub fn id<T>(
    field: &str,
    obj: &Bound<'_, PyAny>,
    parse: impl FnOnce(&str, String) -> ar_core::Result<T>,
) -> PyResult<T> {
    let value = text(field, obj)?;
    guard(|| parse(field, value))
}

/// [`id`], or `None`.
pub fn opt_id<T>(
    field: &str,
    obj: Option<&Bound<'_, PyAny>>,
    parse: impl FnOnce(&str, String) -> ar_core::Result<T>,
) -> PyResult<Option<T>> {
    given(obj).map(|o| id(field, o, parse)).transpose()
}

/// A command given as the core's serde JSON (`Ledger.execute_json`,
/// `execute_all_json`); anything else is an `invalid_value` naming
/// `field`, its message bounded like the value it shows (serde's message
/// quotes an unknown name whole).
pub fn command(field: &str, text: &str) -> ar_core::Result<ar_core::Command> {
    serde_json::from_str(text).map_err(|e| Error::InvalidValue {
        field: field.to_owned(),
        value: ar_core::shown_value(text),
        reason: format!("not a command: {}", bounded(&e.to_string(), 400)),
    })
}

/// `text`, or its first `max` bytes (cut at a character boundary) and `…`.
pub fn bounded(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    format!("{}…", text.get(..end).unwrap_or(""))
}

// ----- amounts out ------------------------------------------------------------

/// An exact amount on its way to Python, as a `decimal.Decimal`. Every
/// amount the binding returns is one of these (pyo3's own `Decimal`
/// conversion is not enabled), so this is the one place where an amount
/// becomes a Python value: a zero is always `0.00`, never `-0.00`, whatever
/// sign the arithmetic that made it left on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Dec(pub Decimal);

impl From<Decimal> for Dec {
    fn from(d: Decimal) -> Self {
        Dec(d)
    }
}

impl From<&Decimal> for Dec {
    fn from(d: &Decimal) -> Self {
        Dec(*d)
    }
}

/// `Vec<Dec>` from the core's amounts.
pub fn decs<'a>(values: impl IntoIterator<Item = &'a Decimal>) -> Vec<Dec> {
    values.into_iter().map(Dec::from).collect()
}

/// `Vec<Option<Dec>>` from the core's optional amounts.
pub fn opt_decs<'a>(values: impl IntoIterator<Item = &'a Option<Decimal>>) -> Vec<Option<Dec>> {
    values.into_iter().map(|v| v.map(Dec)).collect()
}

impl<'py> IntoPyObject<'py> for Dec {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut value = self.0;
        if value.is_zero() {
            // The scale (0.00 against 0) is kept; only the sign goes.
            value.set_sign_positive(true);
        }
        DECIMAL
            .import(py, "decimal", "Decimal")?
            .call1((value.to_string(),))
    }
}

impl<'py> IntoPyObject<'py> for &Dec {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        (*self).into_pyobject(py)
    }
}
