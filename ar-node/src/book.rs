//! `Book`: a book given as tables, invoices with their totals, the
//! settlements applied to them, open credits, unapplied cash and the
//! customers with their dimensions, each as an array of plain records or as
//! an object of column arrays. Aged and measured by `ar_core::bulk`, the
//! column engine the ledger's reports use, without a ledger and without an
//! object per row.
//!
//! The tables are read column by column straight into the core's columns,
//! without a Node-API call per cell, by `tables.rs`. Records and columns are
//! read the same way, so a bad book gives the same error either way: the
//! first column (in the order of `read_book`) with a bad cell, at its first
//! bad row.

use ar_core::bulk;
use ar_core::{Error, Result};
use std::sync::Arc;

use napi::bindgen_prelude::{Either, ObjectFinalize, PromiseRaw, This, Unknown};
use napi::Env;
use napi_derive::napi;

use crate::accounting;
use crate::aging::{self, AgingOptions, AgingReport};
use crate::conv::{self, DecimalInput};
use crate::errors::guard;
use crate::js::Scope;
use crate::memory::Reported;
use crate::metrics::{self, MetricsOptions, MetricsRow};
use crate::tables::{dimension_columns, invoice_columns, open_columns, Column, Reader, Sink};
use crate::task;

// ---------------------------------------------------------------------------
// The tables, as TypeScript sees them. These structs declare the types of
// `index.d.ts`; the constructor never converts through them (napi's own
// conversion would cost an object and a string allocation per cell): it
// reads the tables itself, see `read_book`.
// ---------------------------------------------------------------------------

/// What a settlement is; only payments count for days to pay. Default
/// `payment`.
#[napi(string_enum = "snake_case")]
pub enum SettlementKind {
    /// Cash applied.
    Payment,
    /// A credit memo applied.
    Credit,
    /// An early-payment discount granted.
    Discount,
    /// An amount written off.
    WriteOff,
}

/// One invoice with its total, as a record (a `Book`'s invoices, and
/// those of `Ledger.fromTables`). The properties named in the tables'
/// `dimensions` are kept as invoice dimensions; any other property is
/// ignored.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct InvoiceRecord {
    /// Unique id.
    pub id: String,
    /// Customer id.
    pub customer: String,
    /// Invoice date, `YYYY-MM-DD`.
    pub date: String,
    /// Due date, `YYYY-MM-DD`.
    pub due_date: String,
    /// The invoice total, a decimal string greater than zero.
    #[napi(ts_type = "string")]
    pub amount: DecimalInput,
    /// ISO 4217 code; default: the tables' `currency`.
    pub currency: Option<String>,
}

/// Invoices with their totals as columns, all of the same length (for a
/// `Book` and `Ledger.fromTables`). The columns named in the tables'
/// `dimensions` are kept as invoice dimensions.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct InvoiceColumns {
    /// Unique ids.
    pub id: Vec<String>,
    /// Customer ids.
    pub customer: Vec<String>,
    /// Invoice dates, `YYYY-MM-DD`.
    pub date: Vec<String>,
    /// Due dates, `YYYY-MM-DD`.
    pub due_date: Vec<String>,
    /// Invoice totals, decimal strings.
    #[napi(ts_type = "Array<string>")]
    pub amount: Vec<DecimalInput>,
    /// ISO 4217 codes; default: the tables' `currency` for every row.
    pub currency: Option<Vec<String>>,
}

/// One amount settled on an invoice, as a record.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct SettlementRecord {
    /// The invoice's id.
    pub invoice: String,
    /// Date, `YYYY-MM-DD`, on or after the invoice date.
    pub date: String,
    /// Amount, a decimal string greater than zero, in the invoice's currency.
    #[napi(ts_type = "string")]
    pub amount: DecimalInput,
    /// Default `payment`.
    #[napi(ts_type = "SettlementKind")]
    pub kind: Option<String>,
}

/// Settlements as columns.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct SettlementColumns {
    /// Invoice ids.
    pub invoice: Vec<String>,
    /// Dates, `YYYY-MM-DD`.
    pub date: Vec<String>,
    /// Amounts, decimal strings.
    #[napi(ts_type = "Array<string>")]
    pub amount: Vec<DecimalInput>,
    /// Kinds; absent: every settlement is a payment.
    #[napi(ts_type = "Array<SettlementKind | null>")]
    pub kind: Option<Vec<Option<String>>>,
}

/// An open credit memo or an unapplied receipt as it stands (a `Book`), or
/// a receipt (`Ledger.fromTables`), as a record.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct OpenRecord {
    /// Credit memo or receipt id.
    pub id: String,
    /// Customer id; absent, `null` or `""` for an unidentified payer.
    #[napi(ts_type = "string | null")]
    pub customer: Option<String>,
    /// Date, `YYYY-MM-DD`.
    pub date: String,
    /// Amount (for a `Book`, what is open), a decimal string greater than
    /// zero.
    #[napi(ts_type = "string")]
    pub amount: DecimalInput,
    /// ISO 4217 code; default: the tables' `currency`.
    pub currency: Option<String>,
}

/// Open credits or unapplied cash (a `Book`), or receipts
/// (`Ledger.fromTables`), as columns.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct OpenColumns {
    /// Ids.
    pub id: Vec<String>,
    /// Customer ids; `null` or `""` for an unidentified payer.
    #[napi(ts_type = "Array<string | null>")]
    pub customer: Vec<Option<String>>,
    /// Dates, `YYYY-MM-DD`.
    pub date: Vec<String>,
    /// Amounts (for a `Book`, what is open), decimal strings.
    #[napi(ts_type = "Array<string>")]
    pub amount: Vec<DecimalInput>,
    /// ISO 4217 codes; default: the tables' `currency` for every row.
    pub currency: Option<Vec<String>>,
}

/// One customer of a `Book` given as records. The properties named in
/// `BookTables.customerDimensions` are kept as customer dimensions; any
/// other property is ignored.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct CustomerRecord {
    /// Unique id, as the other tables name the customer.
    pub id: String,
}

/// The customers of a `Book` given as columns, all of the same length. The
/// columns named in `BookTables.customerDimensions` are kept as customer
/// dimensions.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct CustomerColumns {
    /// Unique ids.
    pub id: Vec<String>,
}

/// The argument of `new Book(...)`: each table an array of plain records or
/// an object of columns (arrays of the same length).
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct BookTables {
    /// Invoices with their totals. Dimension properties (or columns) are
    /// strings; `null` or absent is no value (`""` in a group).
    #[napi(
        ts_type = "Array<InvoiceRecord & { [dimension: string]: string | null | undefined }> | (InvoiceColumns & { [dimension: string]: Array<string | null> | undefined })"
    )]
    pub invoices: Either<Vec<InvoiceRecord>, InvoiceColumns>,
    /// Amounts settled on the invoices (payments, credits, discounts, write-offs).
    #[napi(ts_type = "Array<SettlementRecord> | SettlementColumns")]
    pub settlements: Option<Either<Vec<SettlementRecord>, SettlementColumns>>,
    /// Open credit memos as they stand.
    #[napi(ts_type = "Array<OpenRecord> | OpenColumns")]
    pub open_credits: Option<Either<Vec<OpenRecord>, OpenColumns>>,
    /// Unapplied cash as it stands.
    #[napi(ts_type = "Array<OpenRecord> | OpenColumns")]
    pub unapplied_cash: Option<Either<Vec<OpenRecord>, OpenColumns>>,
    /// Customers with their dimensions, for `groupBy:
    /// ['customer.<name>']`. Dimension properties (or columns) are strings;
    /// `null` or absent is no value (`""` in a group), as is a customer the
    /// table does not list.
    #[napi(
        ts_type = "Array<CustomerRecord & { [dimension: string]: string | null | undefined }> | (CustomerColumns & { [dimension: string]: Array<string | null> | undefined })"
    )]
    pub customers: Option<Either<Vec<CustomerRecord>, CustomerColumns>>,
    /// ISO 4217 code of every row without a `currency` of its own.
    pub currency: Option<String>,
    /// Invoice properties (or columns) kept as invoice dimensions, for
    /// `groupBy: ['invoice.<name>']`.
    pub dimensions: Option<Vec<String>>,
    /// Customer properties (or columns) kept as customer dimensions, for
    /// `groupBy: ['customer.<name>']`; read from `customers`, so given
    /// without it: `invalid_value`.
    pub customer_dimensions: Option<Vec<String>>,
}

// ---------------------------------------------------------------------------
// The class.
// ---------------------------------------------------------------------------

/// A book given as tables, validated and laid out once, in the constructor,
/// for any number of reports: `aging` and `metrics` as on a `Ledger`, with
/// the same options (but `knownAt`: a book given as tables has no recorded
/// times) and results of the same shape.
#[napi(custom_finalize)]
pub struct Book {
    /// Never changed once made; shared with the work of the async reports.
    pub(crate) inner: Arc<bulk::PreparedBook>,
    /// Its memory as told to V8.
    memory: Reported,
}

impl Book {
    /// Wraps `inner`, telling V8 the memory it holds.
    fn wrap(env: &Env, inner: bulk::PreparedBook) -> Self {
        let memory = Reported::new(env, inner.heap_bytes(), 0);
        Book {
            inner: Arc::new(inner),
            memory,
        }
    }
}

impl ObjectFinalize for Book {
    fn finalize(mut self, env: Env) -> napi::Result<()> {
        self.memory.release(&env);
        Ok(())
    }
}

#[napi]
impl Book {
    /// Reads and checks the tables.
    ///
    /// Errors, naming the table, column and row (`settlements.invoice[1]`):
    /// `invalid_type` (a number as an amount, a missing column or value,
    /// a table that is neither records nor columns), `invalid_decimal`,
    /// `invalid_date`, `invalid_currency`, `invalid_value` on
    /// `customerDimensions` given without a `customers` table; and the
    /// engine's checks, which name the tables as the engine does
    /// (`open_credits`, `unapplied_cash`): `invalid_value` (columns of
    /// different lengths), `duplicate_id` (`invoices.id[1]`,
    /// `customers.id[1]`), `not_found` (a settlement of an unknown invoice),
    /// `invalid_amount` (an amount not greater than zero),
    /// `too_many_decimals`, `date_before_document`, `over_application`.
    #[napi(constructor, ts_args_type = "tables: BookTables")]
    pub fn new(env: Env, this: This<'_>, tables: Unknown<'_>) -> napi::Result<Self> {
        guard(&env, || {
            conv::constructed(&env, &this, "Book")?;
            let inner = read_book(&env, &tables)?.prepare()?;
            Ok(Book::wrap(&env, inner))
        })
    }

    /// `new Book(tables)` off the JS thread: the tables are read now (JS
    /// values can be read nowhere else), checked and laid out on libuv's
    /// thread pool. Resolves to a `Book`; rejects with the errors the
    /// constructor throws.
    #[napi(ts_args_type = "tables: BookTables", ts_return_type = "Promise<Book>")]
    pub fn from_tables_async<'e>(
        env: &'e Env,
        this: This<'_>,
        tables: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, Book>> {
        task::promise(env, || {
            conv::factory(env, &this, "Book", "fromTablesAsync")?;
            let book = read_book(env, &tables)?;
            Ok((
                move || book.prepare(),
                |env: &'e Env, inner| Ok(Book::wrap(env, inner)),
            ))
        })
    }

    /// Ages the open items as of `asOf`, as `Ledger.aging`: invoices into
    /// buckets, open credits and unapplied cash beside them, grouped by
    /// `customer`, by invoice dimensions (`invoice.<name>`, named in
    /// `dimensions`) or by customer dimensions (`customer.<name>`, from the
    /// `customers` table, named in `customerDimensions`; `""` for a
    /// customer the table does not list).
    ///
    /// Errors: as `Ledger.aging`; `invalid_value` for `knownAt`, and on
    /// `group_by` for a dimension the book was not given (an
    /// `invoice.<name>` not in `dimensions`, a `customer.<name>` not in
    /// `customerDimensions`) rather than one group of `""`.
    #[napi(ts_args_type = "options: Omit<AgingOptions, 'knownAt'> & InFunctional")]
    pub fn aging(&self, env: Env, options: Unknown<'_>) -> napi::Result<AgingReport> {
        guard(&env, || {
            let o: AgingOptions = conv::options(&env, options, "options", "AgingOptions")?;
            let core = aging::core_options(&o)?;
            let functional = accounting::functional(&env, options, "AgingOptions", core.as_of)?;
            let r = self.inner.aging(&core)?;
            Ok(aging::report(&aging::in_functional(
                r,
                functional.as_ref(),
            )?))
        })
    }

    /// `aging` off the JS thread; resolves to the same report, rejects with
    /// the same errors.
    #[napi(
        ts_args_type = "options: Omit<AgingOptions, 'knownAt'>",
        ts_return_type = "Promise<AgingReport>"
    )]
    pub fn aging_async<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, AgingReport>> {
        task::promise(env, || {
            let o: AgingOptions = conv::options(env, options, "options", "AgingOptions")?;
            let options = aging::core_options(&o)?;
            let book = Arc::clone(&self.inner);
            Ok((
                move || book.aging(&options),
                |_: &Env, r: ar_core::AgingReport| Ok(aging::report(&r)),
            ))
        })
    }

    /// `metrics` off the JS thread; resolves to the same rows, rejects with
    /// the same errors.
    #[napi(
        ts_args_type = "options: Omit<MetricsOptions, 'knownAt'>",
        ts_return_type = "Promise<Array<MetricsRow>>"
    )]
    pub fn metrics_async<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, Vec<MetricsRow>>> {
        task::promise(env, || {
            let o: MetricsOptions = conv::options(env, options, "options", "MetricsOptions")?;
            let options = metrics::core_options(&o)?;
            let book = Arc::clone(&self.inner);
            Ok((
                move || book.metrics(&options),
                |_: &Env, rows: Vec<ar_core::MetricsRow>| {
                    Ok(rows.iter().map(metrics::row).collect())
                },
            ))
        })
    }

    /// The metrics of `Ledger.metrics` over the book, for the period
    /// `start`..`end`, with the settlements of kind `payment` as payments.
    ///
    /// Errors: as `Ledger.metrics`; `invalid_value` for `knownAt`, and on
    /// `group_by` for a dimension the book was not given (as `aging`).
    #[napi(ts_args_type = "options: Omit<MetricsOptions, 'knownAt'> & InFunctional")]
    pub fn metrics(&self, env: Env, options: Unknown<'_>) -> napi::Result<Vec<MetricsRow>> {
        guard(&env, || {
            let o: MetricsOptions = conv::options(&env, options, "options", "MetricsOptions")?;
            let core = metrics::core_options(&o)?;
            let functional =
                accounting::functional(&env, options, "MetricsOptions", core.period.end)?;
            let rows = match &functional {
                Some((rates, day)) => self.inner.metrics_in_functional(&core, rates, *day)?,
                None => self.inner.metrics(&core)?,
            };
            Ok(rows.iter().map(metrics::row).collect())
        })
    }

    /// An estimate of the native memory the book holds, in bytes: the
    /// columns it was given and those it laid out. V8 is told it (as
    /// external memory) so that it collects unreachable books in time.
    #[napi(getter)]
    pub fn heap_bytes(&self, env: Env) -> napi::Result<i64> {
        guard(&env, || {
            Ok(i64::try_from(self.inner.heap_bytes()).unwrap_or(i64::MAX))
        })
    }

    /// Number of invoices.
    #[napi(getter)]
    pub fn invoice_count(&self, env: Env) -> napi::Result<u32> {
        guard(&env, || {
            Ok(u32::try_from(self.inner.invoices()).unwrap_or(u32::MAX))
        })
    }
}

// ---------------------------------------------------------------------------
// Reading the tables (see `tables.rs`).
// ---------------------------------------------------------------------------

/// Reads the tables into a core book.
fn read_book(env: &Env, tables: &Unknown<'_>) -> Result<bulk::Book> {
    let mut scope = Scope::root(env);
    let (mut reader, tables) = Reader::new(
        env,
        &mut scope,
        tables,
        "BookTables ({invoices, settlements?, ...})",
    )?;
    let mut book = bulk::Book::default();
    book.invoices.dimensions = reader.dimensions(&mut scope, tables, "dimensions")?;
    book.customers.dimensions = reader.dimensions(&mut scope, tables, "customerDimensions")?;

    let mut columns = invoice_columns(&mut book.invoices);
    reader.table(&mut scope, tables, "invoices", true, &mut columns)?;

    let s = &mut book.settlements;
    reader.table(
        &mut scope,
        tables,
        "settlements",
        false,
        &mut [
            Column::new("invoice", Sink::Text(&mut s.invoice)),
            Column::new("date", Sink::Date(&mut s.date)),
            Column::new("amount", Sink::Amount(&mut s.amount)),
            Column::new("kind", Sink::Kind(&mut s.kind)),
        ],
    )?;
    for (table, open) in [
        ("openCredits", &mut book.open_credits),
        ("unappliedCash", &mut book.unapplied_cash),
    ] {
        reader.table(&mut scope, tables, table, false, &mut open_columns(open))?;
    }

    let customers = &mut book.customers;
    let mut columns = vec![Column::new("id", Sink::Text(&mut customers.id))];
    columns.extend(dimension_columns(&mut customers.dimensions));
    let given = reader.table(&mut scope, tables, "customers", false, &mut columns)?;
    if let (false, Some((name, _))) = (given, book.customers.dimensions.first()) {
        // Rather than one group of "" for every customer.
        return Err(Error::InvalidValue {
            field: "customerDimensions".to_owned(),
            value: name.clone(),
            reason: "customer dimensions are read from the customers table; give one".to_owned(),
        });
    }
    Ok(book)
}
