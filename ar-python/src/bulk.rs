//! `ar.Book`: a book given as tables (pandas DataFrames or pyarrow Tables)
//! rather than as a ledger. `ar._bulk` turns each table into Arrow arrays
//! and hands over their buffers, each copied once into Rust; [`crate::arrow`]
//! reads them into `ar_core::bulk::Book` (no Python object per row, the GIL
//! released), which is prepared once. `aging` and `metrics` return the same
//! classes as `Ledger.aging` and `Ledger.metrics`.

use std::collections::HashMap;

use ar_core::bulk::{
    self, CustomerColumns, InvoiceColumns, OpenColumns, PreparedBook, SettlementColumns,
};
use ar_core::{Currency, Error};
use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::accounting;
use crate::aging::{self, AgingReport};
use crate::arrow::{self, Array, Column, Floats, Kind, Nulls};
use crate::conv;
use crate::errors::{catch, fail, to_py};
use crate::metrics::{self, MetricsRow};

pub(crate) type Arg<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

// ----- the tables as ar._bulk hands them over ------------------------------------

/// One chunk of a column: its layout and its buffers, copied once each
/// from pyarrow's (through the buffer protocol) into memory of our own, so
/// that they are read without the GIL and nothing can change them meanwhile.
struct ChunkData {
    kind: Kind,
    len: usize,
    offset: usize,
    validity: Option<Vec<u8>>,
    values: Option<Vec<u8>>,
    data: Option<Vec<u8>>,
    dictionary: Option<Box<ChunkData>>,
}

/// The tuple `ar._bulk` describes a chunk with.
type ChunkTuple<'py> = (
    String,
    usize,
    bool,
    i64,
    i64,
    usize,
    usize,
    Vec<Option<Bound<'py, PyAny>>>,
    Option<Bound<'py, PyAny>>,
);

/// The bytes of a buffer (a `memoryview` of unsigned bytes, `bytes`, ...), copied.
fn copied(py: Python<'_>, buffer: Option<Bound<'_, PyAny>>) -> PyResult<Option<Vec<u8>>> {
    buffer
        .map(|b| PyBuffer::<u8>::get(&b)?.to_vec(py))
        .transpose()
}

impl ChunkData {
    fn extract(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        let described: ChunkTuple<'_> = obj.extract()?;
        let (kind, width, signed, scale, per_day, len, offset, buffers, dictionary) = described;
        let py = obj.py();
        let mut buffers = buffers.into_iter();
        Ok(ChunkData {
            kind: Kind::from_parts(&kind, width, signed, scale, per_day),
            len,
            offset,
            validity: copied(py, buffers.next().flatten())?,
            values: copied(py, buffers.next().flatten())?,
            data: copied(py, buffers.next().flatten())?,
            dictionary: dictionary
                .filter(|d| !d.is_none())
                .map(|d| ChunkData::extract(&d).map(Box::new))
                .transpose()?,
        })
    }

    fn view(&self) -> Array<'_> {
        Array {
            kind: self.kind,
            len: self.len,
            offset: self.offset,
            validity: self.validity.as_deref(),
            values: self.values.as_deref().unwrap_or_default(),
            data: self.data.as_deref().unwrap_or_default(),
            dictionary: self.dictionary.as_ref().map(|d| Box::new(d.view())),
        }
    }
}

/// A column: the Arrow type's name and its chunks.
struct ColumnData {
    type_name: String,
    chunks: Vec<ChunkData>,
}

/// The columns `ar.Book` (and `Ledger.from_tables`) reads from one table.
pub(crate) struct Table {
    name: &'static str,
    columns: HashMap<String, ColumnData>,
    available: Vec<String>,
}

impl Table {
    /// Reads the `wanted` columns of `obj` through `ar._bulk.read`.
    pub(crate) fn read(
        py: Python<'_>,
        name: &'static str,
        obj: &Bound<'_, PyAny>,
        wanted: &[&str],
    ) -> PyResult<Self> {
        let out = py
            .import("ar._bulk")?
            .getattr("read")?
            .call1((obj, wanted.to_vec()))?;
        if let Ok(found) = out.cast::<PyString>() {
            return fail(Error::InvalidType {
                field: name.to_owned(),
                expected: "pandas.DataFrame or pyarrow.Table".into(),
                found: found.to_cow()?.into_owned(),
            });
        }
        let (available, found): (Vec<String>, Bound<'_, PyDict>) = out.extract()?;
        let mut columns = HashMap::new();
        for (key, value) in found.iter() {
            let column: String = key.extract()?;
            let value = value.cast_into::<PyTuple>()?;
            let tag: String = value.get_item(0)?.extract()?;
            let field = format!("{name}.{column}");
            match tag.as_str() {
                "ok" => {
                    let type_name: String = value.get_item(1)?.extract()?;
                    let chunks = value
                        .get_item(2)?
                        .try_iter()?
                        .map(|c| ChunkData::extract(&c?))
                        .collect::<PyResult<Vec<_>>>()?;
                    columns.insert(column, ColumnData { type_name, chunks });
                }
                "duplicate" => {
                    return fail(Error::InvalidValue {
                        field,
                        value: column,
                        reason: "the table has more than one column of that name".into(),
                    })
                }
                _ => {
                    let message: String = value.get_item(1)?.extract()?;
                    return fail(Error::InvalidType {
                        field,
                        expected: "a column pyarrow can convert".into(),
                        found: message,
                    });
                }
            }
        }
        Ok(Table {
            name,
            columns,
            available,
        })
    }

    /// [`Self::read`] for a table that may be `None`.
    pub(crate) fn read_given(
        py: Python<'_>,
        name: &'static str,
        obj: Arg<'_, '_>,
        wanted: &[&str],
    ) -> PyResult<Option<Self>> {
        conv::given(obj)
            .map(|t| Self::read(py, name, t, wanted))
            .transpose()
    }

    /// A column the table must have.
    fn required(&self, column: &str) -> PyResult<&ColumnData> {
        match self.columns.get(column) {
            Some(c) => Ok(c),
            None => fail(Error::InvalidValue {
                field: format!("{}.{column}", self.name),
                value: "(no such column)".into(),
                reason: format!(
                    "the column is required; the table has {}",
                    if self.available.is_empty() {
                        "no columns".to_owned()
                    } else {
                        self.available.join(", ")
                    }
                ),
            }),
        }
    }

    fn view<'a>(&self, column: &str, data: &'a ColumnData) -> Column<'a> {
        Column {
            field: format!("{}.{column}", self.name),
            type_name: data.type_name.clone(),
            chunks: data.chunks.iter().map(ChunkData::view).collect(),
        }
    }

    /// A column the table must have, over its buffers.
    pub(crate) fn column<'a>(&'a self, column: &str) -> PyResult<Column<'a>> {
        Ok(self.view(column, self.required(column)?))
    }

    /// A column the table may have, over its buffers.
    pub(crate) fn optional<'a>(&'a self, column: &str) -> Option<Column<'a>> {
        self.columns.get(column).map(|d| self.view(column, d))
    }
}

// ----- from columns to the core's book ------------------------------------------------

/// An invoices table's columns.
pub(crate) struct InvoiceInput<'a> {
    id: Column<'a>,
    customer: Column<'a>,
    date: Column<'a>,
    due_date: Column<'a>,
    amount: Column<'a>,
    currency: Option<Column<'a>>,
    dimensions: Vec<(String, Column<'a>)>,
}

struct SettlementInput<'a> {
    invoice: Column<'a>,
    date: Column<'a>,
    amount: Column<'a>,
    kind: Option<Column<'a>>,
}

/// The columns of a table of open items or receipts.
pub(crate) struct OpenInput<'a> {
    table: &'static str,
    id: Column<'a>,
    customer: Column<'a>,
    date: Column<'a>,
    amount: Column<'a>,
    currency: Option<Column<'a>>,
}

/// A customers table's ids and dimensions.
pub(crate) struct CustomerInput<'a> {
    id: Column<'a>,
    dimensions: Vec<(String, Column<'a>)>,
}

/// Each of `names`, a column `table` must have.
fn named<'a>(table: &'a Table, names: &[String]) -> PyResult<Vec<(String, Column<'a>)>> {
    names
        .iter()
        .map(|d| Ok((d.clone(), table.column(d)?)))
        .collect()
}

impl<'a> InvoiceInput<'a> {
    /// The columns to read from an invoices table with these dimensions.
    pub(crate) fn wanted(dimensions: &[String]) -> Vec<&str> {
        let mut wanted = vec!["id", "customer", "date", "due_date", "amount", "currency"];
        wanted.extend(dimensions.iter().map(String::as_str));
        wanted
    }

    /// The columns of `table` (read with [`Self::wanted`]).
    pub(crate) fn new(table: &'a Table, dimensions: &[String]) -> PyResult<Self> {
        Ok(InvoiceInput {
            id: table.column("id")?,
            customer: table.column("customer")?,
            date: table.column("date")?,
            due_date: table.column("due_date")?,
            amount: table.column("amount")?,
            currency: table.optional("currency"),
            dimensions: named(table, dimensions)?,
        })
    }

    /// The invoices' currencies: the column's, `default` for a null or
    /// without the column.
    pub(crate) fn currencies(&self, default: Option<Currency>) -> ar_core::Result<Vec<Currency>> {
        arrow::currencies("invoices", self.currency.as_ref(), default, self.id.len())
    }

    /// Whether the table has a currency column.
    pub(crate) fn has_currency(&self) -> bool {
        self.currency.is_some()
    }

    /// The invoices' customer ids.
    pub(crate) fn customers(&self) -> ar_core::Result<bulk::StrColumn> {
        arrow::strings(&self.customer, Nulls::Refuse)
    }

    /// The core's columns, the invoices being in `currency` (see
    /// [`Self::currencies`]).
    pub(crate) fn columns(
        &self,
        currency: Vec<Currency>,
        floats: Floats,
    ) -> ar_core::Result<InvoiceColumns> {
        Ok(InvoiceColumns {
            id: arrow::strings(&self.id, Nulls::Refuse)?,
            customer: arrow::strings(&self.customer, Nulls::Refuse)?,
            date: arrow::dates(&self.date)?,
            due_date: arrow::dates(&self.due_date)?,
            amount: arrow::amounts(&self.amount, floats, Nulls::Refuse, |row| {
                currency.get(row).copied()
            })?,
            dimensions: dimension_columns(&self.dimensions)?,
            currency,
        })
    }
}

impl<'a> OpenInput<'a> {
    /// The columns of `table` (read with [`OPEN_COLUMNS`]).
    pub(crate) fn new(table: &'a Table) -> PyResult<Self> {
        Ok(OpenInput {
            table: table.name,
            id: table.column("id")?,
            customer: table.column("customer")?,
            date: table.column("date")?,
            amount: table.column("amount")?,
            currency: table.optional("currency"),
        })
    }

    /// The core's columns; a null or empty customer is a payer not yet
    /// identified, a null or missing currency is `default`.
    pub(crate) fn columns(
        &self,
        default: Option<Currency>,
        floats: Floats,
    ) -> ar_core::Result<OpenColumns> {
        let currency =
            arrow::currencies(self.table, self.currency.as_ref(), default, self.id.len())?;
        Ok(OpenColumns {
            id: arrow::strings(&self.id, Nulls::Refuse)?,
            customer: arrow::strings(&self.customer, Nulls::Empty)?,
            date: arrow::dates(&self.date)?,
            amount: arrow::amounts(&self.amount, floats, Nulls::Refuse, |row| {
                currency.get(row).copied()
            })?,
            currency,
        })
    }
}

impl<'a> CustomerInput<'a> {
    /// The columns to read from a customers table with these dimensions,
    /// besides `also`.
    pub(crate) fn wanted<'n>(also: &[&'n str], dimensions: &'n [String]) -> Vec<&'n str> {
        let mut wanted = vec!["id"];
        wanted.extend(also);
        wanted.extend(dimensions.iter().map(String::as_str));
        wanted
    }

    /// The ids and dimension columns of `table` (read with [`Self::wanted`]).
    pub(crate) fn new(table: &'a Table, dimensions: &[String]) -> PyResult<Self> {
        Ok(CustomerInput {
            id: table.column("id")?,
            dimensions: named(table, dimensions)?,
        })
    }

    /// The core's columns: ids, and dimensions (a null is no value).
    pub(crate) fn columns(&self) -> ar_core::Result<CustomerColumns> {
        Ok(CustomerColumns {
            id: arrow::strings(&self.id, Nulls::Refuse)?,
            dimensions: dimension_columns(&self.dimensions)?,
        })
    }
}

/// Everything `ar.Book` was given, as columns over the buffers: plain Rust,
/// built into the core's book with the GIL released.
struct Input<'a> {
    invoices: InvoiceInput<'a>,
    settlements: Option<SettlementInput<'a>>,
    open_credits: Option<OpenInput<'a>>,
    unapplied_cash: Option<OpenInput<'a>>,
    customers: Option<CustomerInput<'a>>,
    currency: Option<Currency>,
    floats: Floats,
}

/// From this many rows on, the settlements and open items are read on a
/// second thread while this one reads the invoices.
const PARALLEL_ROWS: usize = 50_000;

impl Input<'_> {
    fn rows(&self) -> usize {
        self.invoices.id.len()
            + self.settlements.as_ref().map_or(0, |s| s.invoice.len())
            + [&self.open_credits, &self.unapplied_cash]
                .iter()
                .filter_map(|o| o.as_ref())
                .map(|o| o.id.len())
                .sum::<usize>()
    }

    fn book(&self) -> ar_core::Result<bulk::Book> {
        let currency = self.invoices.currencies(self.currency)?;
        // A settlement is in its invoice's currency, needed only to round
        // floats: when the invoices have more than one currency, it is
        // looked up by invoice id, so the invoices are read first.
        let only = currency
            .first()
            .copied()
            .filter(|c| currency.iter().all(|x| x == c));
        let by_id = only.is_none() && self.floats == Floats::Round;
        let parallel = !by_id
            && self.rows() >= PARALLEL_ROWS
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        if !parallel {
            let invoices = self.invoices.columns(currency, self.floats)?;
            let lookup: HashMap<&str, Currency> = if by_id {
                invoices
                    .id
                    .iter()
                    .zip(invoices.currency.iter().copied())
                    .collect()
            } else {
                HashMap::new()
            };
            let others = self.other_columns(|id| only.or_else(|| lookup.get(id).copied()))?;
            return Ok(Self::assemble(invoices, others, self.customer_columns()?));
        }
        std::thread::scope(|scope| {
            let others = scope.spawn(|| catch(|| self.other_columns(|_| only)));
            let invoices = self.invoices.columns(currency, self.floats);
            let customers = self.customer_columns();
            let others = others.join().unwrap_or_else(|_| {
                Err(Error::Internal {
                    message: "the thread reading the settlements stopped".into(),
                })
            });
            // The invoices' error first, whichever thread finished first.
            Ok(Self::assemble(invoices?, others?, customers?))
        })
    }

    fn assemble(
        invoices: InvoiceColumns,
        (settlements, open_credits, unapplied_cash): (SettlementColumns, OpenColumns, OpenColumns),
        customers: CustomerColumns,
    ) -> bulk::Book {
        bulk::Book {
            invoices,
            settlements,
            open_credits,
            unapplied_cash,
            customers,
        }
    }

    fn customer_columns(&self) -> ar_core::Result<CustomerColumns> {
        self.customers
            .as_ref()
            .map_or_else(|| Ok(CustomerColumns::default()), CustomerInput::columns)
    }

    /// Settlements, open credits and unapplied cash; `currency_of` gives a
    /// settlement's currency from its invoice id (for rounding floats).
    fn other_columns(
        &self,
        currency_of: impl Fn(&str) -> Option<Currency>,
    ) -> ar_core::Result<(SettlementColumns, OpenColumns, OpenColumns)> {
        let settlements = match &self.settlements {
            None => SettlementColumns::default(),
            Some(s) => {
                let invoice = arrow::strings(&s.invoice, Nulls::Refuse)?;
                let amount = arrow::amounts(&s.amount, self.floats, Nulls::Refuse, |row| {
                    currency_of(invoice.get(row)?)
                })?;
                SettlementColumns {
                    date: arrow::dates(&s.date)?,
                    kind: s
                        .kind
                        .as_ref()
                        .map(arrow::kinds)
                        .transpose()?
                        .unwrap_or_default(),
                    invoice,
                    amount,
                }
            }
        };
        Ok((
            settlements,
            self.open(self.open_credits.as_ref())?,
            self.open(self.unapplied_cash.as_ref())?,
        ))
    }

    fn open(&self, input: Option<&OpenInput<'_>>) -> ar_core::Result<OpenColumns> {
        input.map_or_else(
            || Ok(OpenColumns::default()),
            |o| o.columns(self.currency, self.floats),
        )
    }
}

/// The columns of a table of open items or receipts.
pub(crate) const OPEN_COLUMNS: [&str; 5] = ["id", "customer", "date", "amount", "currency"];

/// Dimension columns as text, a null being no value (`""`).
pub(crate) fn dimension_columns(
    columns: &[(String, Column<'_>)],
) -> ar_core::Result<Vec<(String, bulk::StrColumn)>> {
    columns
        .iter()
        .map(|(name, col)| Ok((name.clone(), arrow::strings(col, Nulls::Empty)?)))
        .collect()
}

/// A list of column names (``dimensions``, ``customer_dimensions``).
pub(crate) fn names(field: &str, arg: Arg<'_, '_>) -> PyResult<Vec<String>> {
    match conv::given(arg) {
        Some(d) => conv::items(field, "list of str", d)?
            .iter()
            .enumerate()
            .map(|(i, o)| conv::text(&format!("{field}[{i}]"), o))
            .collect(),
        None => Ok(Vec::new()),
    }
}

/// A book given as tables: ``invoices`` (``id``, ``customer``, ``date``,
/// ``due_date``, ``amount``, optional ``currency`` and the ``dimensions``
/// columns), ``settlements`` on them (``invoice``, ``date``, ``amount``,
/// optional ``kind``), ``open_credits`` and ``unapplied_cash`` as they stand
/// (``id``, ``customer``, ``date``, ``amount``, optional ``currency``), and
/// ``customers`` (``id`` and the ``customer_dimensions`` columns). Each
/// table is a ``pandas.DataFrame`` or a ``pyarrow.Table``, read column by
/// column through its Arrow buffers; the book is validated and laid out once
/// here, for any number of ``aging`` and ``metrics`` reports.
#[pyclass(module = "ar", frozen)]
pub struct Book {
    inner: PreparedBook,
}

#[pymethods]
impl Book {
    /// Reads and prepares the book. ``currency`` applies to every row of a
    /// table without a ``currency`` column (and to its null cells);
    /// ``amounts="float"`` accepts float amount columns, each value rounded
    /// once, half away from zero, to its currency's minor unit.
    #[new]
    #[pyo3(
        signature = (invoices, settlements = None, *, open_credits = None, unapplied_cash = None, customers = None, currency = None, dimensions = None, customer_dimensions = None, amounts = None),
        text_signature = "(invoices, settlements=None, *, open_credits=None, unapplied_cash=None, customers=None, currency=None, dimensions=(), customer_dimensions=(), amounts='decimal')"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        invoices: &Bound<'_, PyAny>,
        settlements: Arg<'_, '_>,
        open_credits: Arg<'_, '_>,
        unapplied_cash: Arg<'_, '_>,
        customers: Arg<'_, '_>,
        currency: Arg<'_, '_>,
        dimensions: Arg<'_, '_>,
        customer_dimensions: Arg<'_, '_>,
        amounts: Arg<'_, '_>,
    ) -> PyResult<Self> {
        let currency = conv::opt_currency("currency", currency)?;
        let floats = match conv::given(amounts) {
            Some(a) => conv::book_amounts("amounts", a)?,
            None => Floats::Refuse,
        };
        let dimensions = names("dimensions", dimensions)?;
        let customer_dimensions = names("customer_dimensions", customer_dimensions)?;
        let customers = conv::given(customers);
        if customers.is_none() {
            if let Some(first) = customer_dimensions.first() {
                return fail(Error::InvalidValue {
                    field: "customer_dimensions".into(),
                    value: first.clone(),
                    reason: "customer dimensions are read from the customers table; give one"
                        .into(),
                });
            }
        }
        let wanted_customers = CustomerInput::wanted(&[], &customer_dimensions);
        let cust = Table::read_given(py, "customers", customers, &wanted_customers)?;
        let wanted = InvoiceInput::wanted(&dimensions);
        let inv = Table::read(py, "invoices", invoices, &wanted)?;
        let stl = Table::read_given(
            py,
            "settlements",
            settlements,
            &["invoice", "date", "amount", "kind"],
        )?;
        let credits = Table::read_given(py, "open_credits", open_credits, &OPEN_COLUMNS)?;
        let cash = Table::read_given(py, "unapplied_cash", unapplied_cash, &OPEN_COLUMNS)?;
        let input = Input {
            invoices: InvoiceInput::new(&inv, &dimensions)?,
            settlements: stl
                .as_ref()
                .map(|t| {
                    Ok::<_, PyErr>(SettlementInput {
                        invoice: t.column("invoice")?,
                        date: t.column("date")?,
                        amount: t.column("amount")?,
                        kind: t.optional("kind"),
                    })
                })
                .transpose()?,
            open_credits: credits.as_ref().map(OpenInput::new).transpose()?,
            unapplied_cash: cash.as_ref().map(OpenInput::new).transpose()?,
            customers: cust
                .as_ref()
                .map(|t| CustomerInput::new(t, &customer_dimensions))
                .transpose()?,
            currency,
            floats,
        };
        let prepared = py.detach(|| catch(|| input.book()?.prepare()));
        match prepared {
            Ok(inner) => Ok(Book { inner }),
            Err(e) => Err(crate::errors::with_label(
                py,
                to_py(&e),
                &[
                    ("invoices", Some(invoices)),
                    ("settlements", conv::given(settlements)),
                    ("open_credits", conv::given(open_credits)),
                    ("unapplied_cash", conv::given(unapplied_cash)),
                    ("customers", customers),
                ],
            )),
        }
    }

    /// Number of invoices.
    #[getter]
    fn invoice_count(&self) -> usize {
        self.inner.invoices()
    }

    /// Age the book as of ``as_of``, as ``Ledger.aging`` does (a book given
    /// as tables has no recorded times, so no ``known_at``). Customer
    /// dimensions come from the ``customers`` table; a group by a dimension
    /// the book was not given raises ``InvalidValueError``.
    #[pyo3(
        signature = (as_of, *, basis = None, buckets = None, group_by = None, detail = None, rates = None, rates_date = None),
        text_signature = "($self, as_of, *, basis='due_date', buckets=None, group_by=['customer'], detail=False, rates=None, rates_date=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn aging(
        &self,
        py: Python<'_>,
        as_of: &Bound<'_, PyAny>,
        basis: Arg<'_, '_>,
        buckets: Arg<'_, '_>,
        group_by: Arg<'_, '_>,
        detail: Arg<'_, '_>,
        rates: Arg<'_, '_>,
        rates_date: Arg<'_, '_>,
    ) -> PyResult<AgingReport> {
        let options = aging::options(as_of, None, basis, buckets, group_by, detail)?;
        let functional = accounting::functional(rates, rates_date, options.as_of)?;
        let report = py
            .detach(|| {
                catch(|| accounting::aging_in(self.inner.aging(&options)?, functional.as_ref()))
            })
            .map_err(|e| to_py(&e))?;
        Ok(AgingReport::from(report))
    }

    /// The metrics of ``Ledger.metrics`` over the book for ``start`` to
    /// ``end``, with settlements of kind ``payment`` as the payments.
    #[pyo3(
        signature = (start, end, *, group_by = None, cei = None, cei_months = None, countback_months = None, rates = None, rates_date = None),
        text_signature = "($self, start, end, *, group_by=(), cei='period_sales', cei_months=None, countback_months=12, rates=None, rates_date=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn metrics(
        &self,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
        group_by: Arg<'_, '_>,
        cei: Arg<'_, '_>,
        cei_months: Arg<'_, '_>,
        countback_months: Arg<'_, '_>,
        rates: Arg<'_, '_>,
        rates_date: Arg<'_, '_>,
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
        let functional = accounting::functional(rates, rates_date, options.period.end)?;
        let rows = py
            .detach(|| {
                catch(|| match &functional {
                    Some((table, date)) => self.inner.metrics_in_functional(&options, table, *date),
                    None => self.inner.metrics(&options),
                })
            })
            .map_err(|e| to_py(&e))?;
        Ok(rows.into_iter().map(MetricsRow::from).collect())
    }

    /// This part's partial aging, a pyarrow Table of lines (``currency``,
    /// ``group``, ``field``, ``sum``, ``min``) to merge with the other
    /// parts' (group by the first three, add up ``sum``, take the least
    /// ``min``) and finish with ``ar.aging_finish``.
    #[pyo3(
        signature = (as_of, *, basis = None, buckets = None, group_by = None),
        text_signature = "($self, as_of, *, basis='due_date', buckets=None, group_by=['customer'])"
    )]
    fn aging_partial<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'_, PyAny>,
        basis: Arg<'_, '_>,
        buckets: Arg<'_, '_>,
        group_by: Arg<'_, '_>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::partial::aging_partial(py, &self.inner, as_of, basis, buckets, group_by)
    }

    /// This part's partial metrics, as ``aging_partial``; finished with
    /// ``ar.metrics_finish``.
    #[pyo3(
        signature = (start, end, *, group_by = None, cei = None, cei_months = None, countback_months = None),
        text_signature = "($self, start, end, *, group_by=(), cei='period_sales', cei_months=None, countback_months=12)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn metrics_partial<'py>(
        &self,
        py: Python<'py>,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
        group_by: Arg<'_, '_>,
        cei: Arg<'_, '_>,
        cei_months: Arg<'_, '_>,
        countback_months: Arg<'_, '_>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::partial::metrics_partial(
            py,
            &self.inner,
            start,
            end,
            group_by,
            cei,
            cei_months,
            countback_months,
        )
    }

    /// An estimate of the memory the book holds outside this object, in
    /// bytes: the columns it was given and those it laid out.
    #[getter]
    fn heap_bytes(&self) -> usize {
        self.inner.heap_bytes()
    }

    /// This object and `heap_bytes`, for `sys.getsizeof`.
    fn __sizeof__(&self) -> usize {
        std::mem::size_of::<Self>() + self.inner.heap_bytes()
    }

    fn __repr__(&self) -> String {
        format!("<ar.Book with {} invoices>", self.inner.invoices())
    }
}
