//! Accounting (`ar_core::accounting`): the arguments of `Ledger.journal`,
//! `trial_balance`, `reconcile_gl` and of the commands `book_allowance`,
//! `revalue`, `close_period` and `reopen_period`, read by [`de`]; the
//! results built by [`records`] into the records of
//! `python/ar/_accounting.py`; and the journal as CSV (`Journal.to_csv`).

use ar_core::accounting::{
    GlLine, Journal, JournalOptions, PostingRules, Rate, RateTable, MAX_CLOSING_RATES,
    MAX_GL_LINES, MAX_RATES,
};
use ar_core::{ClosePolicy, ClosingRate, Command, Currency};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};
use serde::Deserialize;

use crate::conv;
use crate::de::{self, Amount, Date, Limited};
use crate::errors::guard;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `JournalOptions` as Python gives it: the posting rules and the rates as
/// `RateTable::new` takes them (the core's own serialized table is an
/// index, not an input).
#[derive(Deserialize)]
struct Options {
    rules: Option<PostingRules>,
    rates: Option<Rates>,
}

#[derive(Deserialize)]
struct Rates {
    functional: Currency,
    rates: Limited<Rate, MAX_RATES>,
}

/// The journal options of `options`: `None` (the defaults), a dict, or the
/// same as JSON text (numbers read as `Decimal`, never as `float`).
pub fn options(options: Arg<'_, '_>) -> PyResult<JournalOptions> {
    let Some(obj) = conv::given(options) else {
        return Ok(JournalOptions::default());
    };
    let o: Options = if obj.is_instance_of::<PyString>() {
        let py = obj.py();
        let text = conv::text("options", obj)?;
        let parsed = conv::reading("options", || {
            let decimal = DECIMAL.import(py, "decimal", "Decimal")?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("parse_float", decimal)?;
            LOADS
                .import(py, "json", "loads")?
                .call((text,), Some(&kwargs))
        })?;
        de::from_py(&parsed, "options")?
    } else {
        de::from_py(obj, "options")?
    };
    let rates = match o.rates {
        Some(r) => Some(guard(|| RateTable::new(r.functional, r.rates.0))?),
        None => None,
    };
    Ok(JournalOptions {
        rules: o.rules.unwrap_or_default(),
        rates,
    })
}

/// The rates and day of a report in the functional currency: `None` when
/// `rates` is not given; the day is `rates_date`, else `default`.
pub fn functional(
    rates: Arg<'_, '_>,
    rates_date: Arg<'_, '_>,
    default: ar_core::chrono::NaiveDate,
) -> PyResult<Option<(RateTable, ar_core::chrono::NaiveDate)>> {
    let Some(obj) = conv::given(rates) else {
        if let Some(d) = conv::given(rates_date) {
            let day = conv::date("rates_date", d)?;
            return Err(crate::errors::to_py(&ar_core::Error::InvalidValue {
                field: "rates_date".into(),
                value: day.to_string(),
                reason: "a day for rates, but no rates given".into(),
            }));
        }
        return Ok(None);
    };
    let r: Rates = de::from_py(obj, "rates")?;
    let table = guard(|| RateTable::new(r.functional, r.rates.0))?;
    let date = match conv::given(rates_date) {
        Some(d) => conv::date("rates_date", d)?,
        None => default,
    };
    Ok(Some((table, date)))
}

/// `report` in the functional currency of `functional`'s rates at its day
/// (see [`functional`]), or as it is.
pub fn aging_in(
    report: ar_core::AgingReport,
    functional: Option<&(RateTable, ar_core::chrono::NaiveDate)>,
) -> ar_core::Result<ar_core::AgingReport> {
    match functional {
        Some((rates, day)) => ar_core::accounting::aging_in_functional(&report, rates, *day),
        None => Ok(report),
    }
}

/// The general-ledger lines of `reconcile_gl`.
pub fn gl_lines(py: Python<'_>, lines: &Bound<'_, PyAny>) -> PyResult<Vec<GlLine>> {
    #[derive(Deserialize)]
    struct Args {
        gl_lines: Limited<GlLine, MAX_GL_LINES>,
    }
    let a: Args = de::from_args(py, &[("gl_lines", Some(lines))])?;
    Ok(a.gl_lines.0)
}

/// `Journal.to_csv`: the journal record (its `to_dict()`) read back into
/// the core's journal, written by `Journal::to_csv`.
#[pyfunction]
#[pyo3(signature = (journal))]
pub fn journal_to_csv(journal: &Bound<'_, PyAny>) -> PyResult<String> {
    let journal: Journal = de::from_py(journal, "journal")?;
    Ok(journal.to_csv())
}

/// The command of `Ledger.book_allowance`.
pub fn book_allowance(
    py: Python<'_>,
    [date, currency, amount, reason]: [Arg<'_, '_>; 4],
) -> PyResult<Command> {
    #[derive(Deserialize)]
    struct Args {
        date: Date,
        currency: Currency,
        amount: Amount,
        reason: Option<String>,
    }
    let a: Args = de::from_args(
        py,
        &[
            ("date", date),
            ("currency", currency),
            ("amount", amount),
            ("reason", reason),
        ],
    )?;
    Ok(Command::BookAllowance {
        date: a.date.0,
        currency: a.currency,
        amount: a.amount.0,
        reason: a.reason.unwrap_or_default(),
    })
}

/// The command of `Ledger.revalue`.
pub fn revalue(py: Python<'_>, date: Arg<'_, '_>, rates: Arg<'_, '_>) -> PyResult<Command> {
    #[derive(Deserialize)]
    struct Args {
        date: Date,
        rates: Limited<ClosingRate, MAX_CLOSING_RATES>,
    }
    let a: Args = de::from_args(py, &[("date", date), ("rates", rates)])?;
    Ok(Command::Revalue {
        date: a.date.0,
        rates: a.rates.0,
    })
}

/// The day and policy of `Ledger.close_period`.
pub fn close(
    py: Python<'_>,
    up_to: Arg<'_, '_>,
    policy: Arg<'_, '_>,
) -> PyResult<(ar_core::chrono::NaiveDate, ClosePolicy)> {
    #[derive(Deserialize)]
    struct Args {
        up_to: Date,
        policy: Option<ClosePolicy>,
    }
    let a: Args = de::from_args(py, &[("up_to", up_to), ("policy", policy)])?;
    Ok((a.up_to.0, a.policy.unwrap_or_default()))
}

/// The command of `Ledger.reopen_period` (`from_`: Python's `from` is a
/// keyword).
pub fn reopen(py: Python<'_>, reason: Arg<'_, '_>, from: Arg<'_, '_>) -> PyResult<Command> {
    #[derive(Deserialize)]
    struct Args {
        reason: String,
        from_: Option<Date>,
    }
    let a: Args = de::from_args(py, &[("reason", reason), ("from_", from)])?;
    Ok(Command::ReopenPeriod {
        from: a.from_.map(|d| d.0),
        reason: a.reason,
    })
}

/// The day and time of `Ledger.period_digest`.
pub fn digest_args(
    py: Python<'_>,
    up_to: Arg<'_, '_>,
    known_at: Arg<'_, '_>,
) -> PyResult<(
    ar_core::chrono::NaiveDate,
    Option<ar_core::chrono::DateTime<ar_core::chrono::Utc>>,
)> {
    #[derive(Deserialize)]
    struct Args {
        up_to: Date,
        known_at: Option<de::Timestamp>,
    }
    let a: Args = de::from_args(py, &[("up_to", up_to), ("known_at", known_at)])?;
    Ok((a.up_to.0, a.known_at.map(|t| t.0)))
}
