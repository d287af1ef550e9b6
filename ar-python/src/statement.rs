//! Statements of account: `Ledger.statement` and `Ledger.statements` read
//! their arguments here and hand back the core's `Statement` as the records
//! of `python/ar/_statement.py`. Every figure comes from
//! `ar_core::statement`.

use ar_core::chrono::NaiveDate;
use ar_core::limits::MAX_BUCKETS;
use ar_core::statement::{Company, MAX_STATEMENT_CUSTOMERS, STATEMENTS_HTML, STATEMENTS_TEXT};
use ar_core::{Buckets, CustomerId, Statement, StatementOptions, StatementSection};
use pyo3::prelude::*;
use serde::{Deserialize, Serialize};

use crate::conv;
use crate::de::{self, Date, Limited, Timestamp};
use crate::errors::guard;
use crate::records;

type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// The arguments of `Ledger.statement` and `Ledger.statements`.
#[derive(Deserialize)]
struct Args {
    start: Date,
    end: Date,
    known_at: Option<Timestamp>,
    buckets: Option<Limited<i64, MAX_BUCKETS>>,
}

/// The core's options from the period `start` to `end` (both included).
pub fn options(
    start: &Bound<'_, PyAny>,
    end: &Bound<'_, PyAny>,
    known_at: Arg<'_, '_>,
    buckets: Arg<'_, '_>,
) -> PyResult<StatementOptions> {
    let args: Args = de::from_args(
        start.py(),
        &[
            ("start", Some(start)),
            ("end", Some(end)),
            ("known_at", known_at),
            ("buckets", buckets),
        ],
    )?;
    let buckets = args
        .buckets
        .map(|b| guard(|| Buckets::new(b.0)))
        .transpose()?;
    Ok(StatementOptions {
        from: args.start.0,
        to: args.end.0,
        known_at: args.known_at.map(|t| t.0),
        buckets,
    })
}

/// The customer a statement is for.
pub fn customer(obj: &Bound<'_, PyAny>) -> PyResult<CustomerId> {
    conv::id("customer", obj, CustomerId::parse_field)
}

/// A statement with its period as `start` and `end`, as `Ledger.metrics`
/// names a period: `from` is no name a Python field can have.
#[derive(Serialize)]
struct Out<'a> {
    customer: &'a CustomerId,
    name: &'a str,
    start: NaiveDate,
    end: NaiveDate,
    labels: &'a [String],
    sections: &'a [StatementSection],
    credit_hold: bool,
}

impl<'a> From<&'a Statement> for Out<'a> {
    fn from(s: &'a Statement) -> Self {
        Out {
            customer: &s.customer,
            name: &s.name,
            start: s.from,
            end: s.to,
            labels: &s.labels,
            sections: &s.sections,
            credit_hold: s.credit_hold,
        }
    }
}

/// One statement as an `ar.Statement`.
pub fn out<'py>(py: Python<'py>, s: &Statement) -> PyResult<Bound<'py, PyAny>> {
    records::to_py(py, "Statement", &Out::from(s))
}

/// Statements as a list of `ar.Statement`.
pub fn out_all<'py>(py: Python<'py>, all: &[Statement]) -> PyResult<Bound<'py, PyAny>> {
    let all: Vec<Out<'_>> = all.iter().map(Out::from).collect();
    records::to_py(py, "Statement", &all)
}

/// What `Ledger.render_statements` renders with: the company, the
/// template's name (its ending picks HTML escaping) and text, and the
/// customers asked for (`None`: everyone with something to show).
pub struct Render {
    /// The company in the header.
    pub company: Company,
    /// `statements.html` or `statements.txt`.
    pub name: &'static str,
    /// The caller's template, or the bundled one of the format.
    pub template: String,
    /// The customers, in the order given.
    pub customers: Option<Vec<CustomerId>>,
}

/// The rendering arguments of `Ledger.render_statements`.
pub fn render_args(
    py: Python<'_>,
    company: &Bound<'_, PyAny>,
    format: Arg<'_, '_>,
    template: Arg<'_, '_>,
    customers: Arg<'_, '_>,
) -> PyResult<Render> {
    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Format {
        Html,
        Text,
    }
    #[derive(Deserialize)]
    struct Args {
        company: Company,
        format: Option<Format>,
        template: Option<String>,
        customers: Option<Limited<CustomerId, MAX_STATEMENT_CUSTOMERS>>,
    }
    let a: Args = de::from_args(
        py,
        &[
            ("company", Some(company)),
            ("format", format),
            ("template", template),
            ("customers", customers),
        ],
    )?;
    let (name, bundled) = match a.format.unwrap_or(Format::Html) {
        Format::Html => ("statements.html", STATEMENTS_HTML),
        Format::Text => ("statements.txt", STATEMENTS_TEXT),
    };
    Ok(Render {
        company: a.company,
        name,
        template: a.template.unwrap_or_else(|| bundled.to_owned()),
        customers: a.customers.map(|c| c.0),
    })
}
