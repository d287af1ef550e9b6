//! Partial reports (`ar_core::partial`): `Book.aging_partial` and
//! `Book.metrics_partial` give a part's partial as a pyarrow Table (built
//! by `ar._partial.table`), and `ar.aging_finish` / `ar.metrics_finish`
//! read a merged one back (its columns listed by `ar._partial.columns`)
//! and finish it in the core.

use ar_core::bulk::PreparedBook;
use ar_core::partial::{Partial, PartialEntry};
use ar_core::Error;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

use crate::aging::{self, AgingReport};
use crate::bulk::Arg;
use crate::errors::{catch, fail, to_py};
use crate::metrics::{self, MetricsRow};

/// The partial's lines as a pyarrow Table.
fn to_table<'py>(py: Python<'py>, partial: &Partial) -> PyResult<Bound<'py, PyAny>> {
    let entries = partial.entries();
    let mut columns = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for e in entries {
        columns.0.push(e.currency);
        columns.1.push(e.group);
        columns.2.push(e.field);
        columns.3.push(e.sum);
        columns.4.push(e.min);
    }
    py.import("ar._partial")?.getattr("table")?.call1(columns)
}

/// `Book.aging_partial`: the core's partial of `book`.
pub(crate) fn aging_partial<'py>(
    py: Python<'py>,
    book: &PreparedBook,
    as_of: &Bound<'_, PyAny>,
    basis: Arg<'_, '_>,
    buckets: Arg<'_, '_>,
    group_by: Arg<'_, '_>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = aging::options(as_of, None, basis, buckets, group_by, None)?;
    let partial = py
        .detach(|| catch(|| book.aging_partial(&options)))
        .map_err(|e| to_py(&e))?;
    to_table(py, &partial)
}

/// `Book.metrics_partial`: the core's partial of `book`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn metrics_partial<'py>(
    py: Python<'py>,
    book: &PreparedBook,
    start: &Bound<'_, PyAny>,
    end: &Bound<'_, PyAny>,
    group_by: Arg<'_, '_>,
    cei: Arg<'_, '_>,
    cei_months: Arg<'_, '_>,
    countback_months: Arg<'_, '_>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = metrics::options(
        start,
        end,
        None,
        group_by,
        cei,
        cei_months,
        countback_months,
    )?;
    let partial = py
        .detach(|| catch(|| book.metrics_partial(&options)))
        .map_err(|e| to_py(&e))?;
    to_table(py, &partial)
}

/// The lines of a partial table, through `ar._partial.columns`: a tuple
/// of five lists, or a tuple naming what is wrong with the table.
fn entries(py: Python<'_>, table: &Bound<'_, PyAny>) -> PyResult<Vec<PartialEntry>> {
    let out = py
        .import("ar._partial")?
        .getattr("columns")?
        .call1((table,))?;
    let out = out.cast_into::<PyTuple>()?;
    let tag: String = out.get_item(0)?.extract()?;
    let text = |i: usize| -> PyResult<String> { out.get_item(i)?.extract() };
    match tag.as_str() {
        "ok" => {}
        "invalid_type" => {
            return fail(Error::InvalidType {
                field: text(1)?,
                expected: text(2)?,
                found: text(3)?,
            })
        }
        _ => {
            return fail(Error::InvalidValue {
                field: text(1)?,
                value: text(2)?,
                reason: text(3)?,
            })
        }
    }
    let list =
        |i: usize| -> PyResult<Bound<'_, PyList>> { Ok(out.get_item(i)?.cast_into::<PyList>()?) };
    let (currency, group, field, sum, min) = (list(1)?, list(2)?, list(3)?, list(4)?, list(5)?);
    let mut lines = Vec::with_capacity(currency.len());
    for (i, ((((c, g), f), s), m)) in currency
        .iter()
        .zip(group.iter())
        .zip(field.iter())
        .zip(sum.iter())
        .zip(min.iter())
        .enumerate()
    {
        let string = |v: &Bound<'_, PyAny>| -> PyResult<String> {
            Ok(v.cast::<PyString>()?.to_cow()?.into_owned())
        };
        // `columns` gives integers: only their size can fail.
        let number = |column: &str| Error::Overflow {
            field: format!("partial[{i}].{column}"),
        };
        lines.push(PartialEntry {
            currency: string(&c)?,
            group: string(&g)?,
            field: string(&f)?,
            sum: s.extract().map_err(|_| to_py(&number("sum")))?,
            min: m.extract().map_err(|_| to_py(&number("min")))?,
        });
    }
    Ok(lines)
}

/// The aging the merged partial table gives: the figures of
/// ``Book.aging`` over the whole book, rows sorted by currency then group.
#[pyfunction]
#[pyo3(
    signature = (partial, as_of, *, basis = None, buckets = None, group_by = None),
    text_signature = "(partial, as_of, *, basis='due_date', buckets=None, group_by=['customer'])"
)]
pub fn aging_finish(
    py: Python<'_>,
    partial: &Bound<'_, PyAny>,
    as_of: &Bound<'_, PyAny>,
    basis: Arg<'_, '_>,
    buckets: Arg<'_, '_>,
    group_by: Arg<'_, '_>,
) -> PyResult<AgingReport> {
    let options = aging::options(as_of, None, basis, buckets, group_by, None)?;
    let lines = entries(py, partial)?;
    let report = py
        .detach(|| catch(|| Partial::from_entries(lines)?.finish_aging(&options)))
        .map_err(|e| to_py(&e))?;
    Ok(AgingReport::from(report))
}

/// The metrics the merged partial table gives: the rows of
/// ``Book.metrics`` over the whole book.
#[pyfunction]
#[pyo3(
    signature = (partial, start, end, *, group_by = None, cei = None, cei_months = None, countback_months = None),
    text_signature = "(partial, start, end, *, group_by=(), cei='period_sales', cei_months=None, countback_months=12)"
)]
#[allow(clippy::too_many_arguments)]
pub fn metrics_finish(
    py: Python<'_>,
    partial: &Bound<'_, PyAny>,
    start: &Bound<'_, PyAny>,
    end: &Bound<'_, PyAny>,
    group_by: Arg<'_, '_>,
    cei: Arg<'_, '_>,
    cei_months: Arg<'_, '_>,
    countback_months: Arg<'_, '_>,
) -> PyResult<Vec<MetricsRow>> {
    let options = metrics::options(
        start,
        end,
        None,
        group_by,
        cei,
        cei_months,
        countback_months,
    )?;
    let lines = entries(py, partial)?;
    let rows = py
        .detach(|| catch(|| Partial::from_entries(lines)?.finish_metrics(&options)))
        .map_err(|e| to_py(&e))?;
    Ok(rows.into_iter().map(MetricsRow::from).collect())
}
