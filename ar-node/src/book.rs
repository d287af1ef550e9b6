//! `Book`: a book given as tables, invoices with their totals, the
//! settlements applied to them, open credits, unapplied cash and the
//! customers with their dimensions, each as an array of plain records or as
//! an object of column arrays. Aged and measured by `ar_core::bulk`, the
//! column engine the ledger's reports use, without a ledger and without an
//! object per row.
//!
//! The tables are read column by column straight into the core's columns
//! (text into `StrColumn`s, dates and amounts parsed as they come), through
//! `js.rs`: each column is encoded to UTF-8 by one call of a small JS
//! function and read in place, with no Node-API call per cell; a column the
//! encoder gives up on (a cell that is not a string) is read again cell by
//! cell, in chunks of rows each in its own handle scope, for the exact error.
//! Records and columns are read the same way, so a bad book gives the same
//! error either way: the first column (in the order below) with a bad cell,
//! at its first bad row.

use ar_core::bulk::{self, SettlementKind as CoreKind, StrColumn};
use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::{Currency, Error, Result};
use napi::bindgen_prelude::{Either, Unknown};
use napi::Env;
use napi_derive::napi;

use crate::aging::{self, AgingOptions, AgingReport};
use crate::conv::{self, DecimalInput};
use crate::errors::guard;
use crate::js::{Encoder, Found, Scope, Threw, Value};
use crate::metrics::{self, MetricsOptions, MetricsRow};

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

/// One invoice of a `Book` given as records. The properties named in
/// `BookTables.dimensions` are kept as invoice dimensions; any other
/// property is ignored.
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
    /// ISO 4217 code; default: `BookTables.currency`.
    pub currency: Option<String>,
}

/// The invoices of a `Book` given as columns, all of the same length. The
/// columns named in `BookTables.dimensions` are kept as invoice dimensions.
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
    /// ISO 4217 codes; default: `BookTables.currency` for every row.
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

/// An open credit memo or an unapplied receipt as it stands, as a record.
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
    /// Open amount, a decimal string greater than zero.
    #[napi(ts_type = "string")]
    pub amount: DecimalInput,
    /// ISO 4217 code; default: `BookTables.currency`.
    pub currency: Option<String>,
}

/// Open credits or unapplied cash as columns.
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
    /// Open amounts, decimal strings.
    #[napi(ts_type = "Array<string>")]
    pub amount: Vec<DecimalInput>,
    /// ISO 4217 codes; default: `BookTables.currency` for every row.
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
    /// `groupBy: ['customer.<name>']`.
    pub customer_dimensions: Option<Vec<String>>,
}

// ---------------------------------------------------------------------------
// The class.
// ---------------------------------------------------------------------------

/// A book given as tables, validated and laid out once, in the constructor,
/// for any number of reports: `aging` and `metrics` as on a `Ledger`, with
/// the same options (but `knownAt`: a book given as tables has no recorded
/// times) and results of the same shape.
#[napi]
pub struct Book {
    inner: bulk::PreparedBook,
}

#[napi]
impl Book {
    /// Reads and checks the tables.
    ///
    /// Errors, naming the table, column and row (`settlements.invoice[1]`):
    /// `invalid_type` (a number as an amount, a missing column or value,
    /// a table that is neither records nor columns), `invalid_decimal`,
    /// `invalid_date`, `invalid_currency`; and the engine's checks:
    /// `invalid_value` (columns of different lengths), `duplicate_id`
    /// (`invoices.id[1]`, `customers.id[1]`), `not_found` (a settlement of
    /// an unknown invoice), `invalid_amount` (an amount not greater than
    /// zero), `too_many_decimals`, `date_before_document`,
    /// `over_application`.
    #[napi(constructor, ts_args_type = "tables: BookTables")]
    pub fn new(env: Env, tables: Unknown<'_>) -> napi::Result<Self> {
        guard(&env, || {
            let book = read_book(&env, &tables)?;
            Ok(Book {
                inner: book.prepare()?,
            })
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
    #[napi(ts_args_type = "options: Omit<AgingOptions, 'knownAt'>")]
    pub fn aging(&self, env: Env, options: Unknown<'_>) -> napi::Result<AgingReport> {
        guard(&env, || {
            let o: AgingOptions = conv::from_js(&env, options, "options", "AgingOptions")?;
            let options = aging::core_options(&o)?;
            Ok(aging::report(&self.inner.aging(&options)?))
        })
    }

    /// The metrics of `Ledger.metrics` over the book, for the period
    /// `start`..`end`, with the settlements of kind `payment` as payments.
    ///
    /// Errors: as `Ledger.metrics`; `invalid_value` for `knownAt`, and on
    /// `group_by` for a dimension the book was not given (as `aging`).
    #[napi(ts_args_type = "options: Omit<MetricsOptions, 'knownAt'>")]
    pub fn metrics(&self, env: Env, options: Unknown<'_>) -> napi::Result<Vec<MetricsRow>> {
        guard(&env, || {
            let o: MetricsOptions = conv::from_js(&env, options, "options", "MetricsOptions")?;
            let options = metrics::core_options(&o)?;
            Ok(self
                .inner
                .metrics(&options)?
                .iter()
                .map(metrics::row)
                .collect())
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
// Reading the tables.
// ---------------------------------------------------------------------------

/// Rows read per handle scope.
const CHUNK: u32 = 4096;

const EXPECT_TEXT: &str = "a string";
const EXPECT_DATE: &str = "a date string (YYYY-MM-DD)";
const EXPECT_AMOUNT: &str = "a decimal string such as \"12.50\"";
const EXPECT_CURRENCY: &str = "an ISO 4217 code";
const EXPECT_KIND: &str = "\"payment\", \"credit\", \"discount\" or \"write_off\"";

/// Where a cell is in the tables: `table.column[row]` in messages.
struct At<'a> {
    table: &'a str,
    column: &'a str,
    row: u32,
}

impl At<'_> {
    fn field(&self) -> String {
        format!("{}.{}[{}]", self.table, self.column, self.row)
    }

    fn wrong(&self, expected: &str, found: Found) -> Error {
        Error::InvalidType {
            field: self.field(),
            expected: expected.to_owned(),
            found: found.describe(),
        }
    }
}

/// Where the cells of one column go, and how they are read.
enum Sink<'a> {
    /// Required text: ids, customers.
    Text(&'a mut StrColumn),
    /// Text that may be absent (`null`, `undefined`): pushed as `""`. The
    /// customer of open credits and unapplied cash, invoice and customer
    /// dimensions.
    OptText(&'a mut StrColumn),
    /// `YYYY-MM-DD`.
    Date(&'a mut Vec<NaiveDate>),
    /// A decimal string.
    Amount(&'a mut Vec<Decimal>),
    /// An ISO 4217 code; absent: the book's `currency`.
    Currency(&'a mut Vec<Currency>),
    /// A settlement kind; absent: payment.
    Kind(&'a mut Vec<CoreKind>),
}

/// A column to read: its name in JS and where its cells go.
struct Column<'a> {
    name: String,
    sink: Sink<'a>,
}

impl<'a> Column<'a> {
    fn new(name: &str, sink: Sink<'a>) -> Self {
        Column {
            name: name.to_owned(),
            sink,
        }
    }
}

/// What reading the cells needs besides the cell: the book's currency and
/// the last currency parsed (rows mostly repeat it).
struct Context {
    currency: Option<Currency>,
    last_currency: Option<Currency>,
}

impl Context {
    fn currency(&mut self, code: &str, at: &At<'_>) -> Result<Currency> {
        if let Some(c) = self.last_currency.filter(|c| c.code() == code) {
            return Ok(c);
        }
        let c = conv::currency(&at.field(), code)?;
        self.last_currency = Some(c);
        Ok(c)
    }

    fn default_currency(&self, field: impl FnOnce() -> String, found: Found) -> Result<Currency> {
        self.currency.ok_or_else(|| Error::InvalidType {
            field: field(),
            expected: "an ISO 4217 code (or give the book's `currency`)".to_owned(),
            found: found.describe(),
        })
    }
}

impl Sink<'_> {
    /// Makes room for `rows` more rows.
    fn reserve(&mut self, rows: usize) {
        match self {
            Sink::Text(c) | Sink::OptText(c) => {
                if c.is_empty() {
                    **c = StrColumn::with_capacity(rows, rows * 12);
                }
            }
            Sink::Date(v) => v.reserve(rows),
            Sink::Amount(v) => v.reserve(rows),
            Sink::Currency(v) => v.reserve(rows),
            Sink::Kind(v) => v.reserve(rows),
        }
    }

    /// Whether a cell may be `null` or `undefined`.
    fn optional_cell(&self) -> bool {
        matches!(self, Sink::OptText(_) | Sink::Currency(_) | Sink::Kind(_))
    }

    /// Drops what was read of the column (to read it again).
    fn clear(&mut self) {
        match self {
            Sink::Text(c) | Sink::OptText(c) => **c = StrColumn::default(),
            Sink::Date(v) => v.clear(),
            Sink::Amount(v) => v.clear(),
            Sink::Currency(v) => v.clear(),
            Sink::Kind(v) => v.clear(),
        }
    }

    /// Whether the whole column may be left out of a table of columns.
    fn optional_column(&self) -> bool {
        matches!(self, Sink::Currency(_) | Sink::Kind(_))
    }

    /// Reads one cell: its text, or what was found instead of a string.
    fn push(
        &mut self,
        cell: std::result::Result<&str, Found>,
        at: &At<'_>,
        cx: &mut Context,
    ) -> Result<()> {
        match self {
            Sink::Text(c) => c.push(cell.map_err(|f| at.wrong(EXPECT_TEXT, f))?),
            Sink::OptText(c) => match cell {
                Ok(text) => c.push(text),
                Err(f) if f.is_absent() => c.push(""),
                Err(f) => return Err(at.wrong(EXPECT_TEXT, f)),
            },
            Sink::Date(v) => {
                let text = cell.map_err(|f| at.wrong(EXPECT_DATE, f))?;
                v.push(match conv::parse_date(text) {
                    Some(d) => d,
                    None => conv::date(&at.field(), text)?,
                });
            }
            Sink::Amount(v) => {
                let text = cell.map_err(|f| at.wrong(EXPECT_AMOUNT, f))?;
                let amount = conv::parse_amount(text).ok_or_else(|| Error::InvalidDecimal {
                    field: at.field(),
                    value: text.to_owned(),
                })?;
                v.push(amount);
            }
            Sink::Currency(v) => v.push(match cell {
                Ok(code) => cx.currency(code, at)?,
                Err(f) if f.is_absent() => cx.default_currency(|| at.field(), f)?,
                Err(f) => return Err(at.wrong(EXPECT_CURRENCY, f)),
            }),
            Sink::Kind(v) => v.push(match cell {
                Ok(name) => settlement_kind(name, at)?,
                Err(f) if f.is_absent() => CoreKind::Payment,
                Err(f) => return Err(at.wrong(EXPECT_KIND, f)),
            }),
        }
        Ok(())
    }

    /// A whole optional column, `field`, left out of a table of `rows` rows.
    fn absent(&mut self, rows: u32, field: &str, cx: &Context) -> Result<()> {
        if let Sink::Currency(v) = self {
            if rows > 0 {
                let c = cx.default_currency(|| field.to_owned(), Found::Undefined)?;
                v.resize(rows as usize, c);
            }
        }
        // Kind: an empty column means every settlement is a payment.
        Ok(())
    }
}

fn settlement_kind(name: &str, at: &At<'_>) -> Result<CoreKind> {
    match name {
        "payment" => Ok(CoreKind::Payment),
        "credit" => Ok(CoreKind::Credit),
        "discount" => Ok(CoreKind::Discount),
        "write_off" => Ok(CoreKind::WriteOff),
        other => Err(conv::bad_name(&at.field(), other, EXPECT_KIND)),
    }
}

/// A JS exception thrown by a getter or proxy while reading `field`.
fn unreadable(field: &str) -> Error {
    Error::InvalidType {
        field: field.to_owned(),
        expected: "a plain value".to_owned(),
        found: "a value that could not be read (reading it threw)".to_owned(),
    }
}

/// Test hook: `AR_NODE_BOOK_READ=cells` reads every column cell by cell,
/// without the encoder, so tests can check both paths give the same book.
const READ_ENV: &str = "AR_NODE_BOOK_READ";

/// Reads the tables into a core book.
fn read_book(env: &Env, tables: &Unknown<'_>) -> Result<bulk::Book> {
    let mut scope = Scope::root(env);
    let tables = scope.arg(tables);
    if !tables.is_object() {
        return Err(Error::InvalidType {
            field: "tables".to_owned(),
            expected: "BookTables ({invoices, settlements?, ...})".to_owned(),
            found: tables.found().describe(),
        });
    }
    let cells_only = std::env::var_os(READ_ENV).is_some_and(|v| v == "cells");
    let encoder = if cells_only {
        None
    } else {
        Encoder::new(env, &mut scope).ok()
    };
    let mut reader = Reader {
        encoder,
        buf: Vec::new(),
        cx: Context {
            currency: None,
            last_currency: None,
        },
    };
    let currency = reader.property(&mut scope, tables, "currency")?;
    reader.cx.currency = match currency.text(&mut reader.buf) {
        Ok(code) => Some(conv::currency("currency", code)?),
        Err(f) if f.is_absent() => None,
        Err(f) => {
            return Err(Error::InvalidType {
                field: "currency".to_owned(),
                expected: EXPECT_CURRENCY.to_owned(),
                found: f.describe(),
            })
        }
    };
    let mut book = bulk::Book::default();
    book.invoices.dimensions = reader.dimensions(&mut scope, tables, "dimensions")?;
    book.customers.dimensions = reader.dimensions(&mut scope, tables, "customerDimensions")?;

    let inv = &mut book.invoices;
    let mut columns = vec![
        Column::new("id", Sink::Text(&mut inv.id)),
        Column::new("customer", Sink::Text(&mut inv.customer)),
        Column::new("date", Sink::Date(&mut inv.date)),
        Column::new("dueDate", Sink::Date(&mut inv.due_date)),
        Column::new("amount", Sink::Amount(&mut inv.amount)),
        Column::new("currency", Sink::Currency(&mut inv.currency)),
    ];
    columns.extend(dimension_columns(&mut inv.dimensions));
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
        reader.table(
            &mut scope,
            tables,
            table,
            false,
            &mut [
                Column::new("id", Sink::Text(&mut open.id)),
                Column::new("customer", Sink::OptText(&mut open.customer)),
                Column::new("date", Sink::Date(&mut open.date)),
                Column::new("amount", Sink::Amount(&mut open.amount)),
                Column::new("currency", Sink::Currency(&mut open.currency)),
            ],
        )?;
    }

    let customers = &mut book.customers;
    let mut columns = vec![Column::new("id", Sink::Text(&mut customers.id))];
    columns.extend(dimension_columns(&mut customers.dimensions));
    reader.table(&mut scope, tables, "customers", false, &mut columns)?;
    Ok(book)
}

/// The columns of a table's dimensions (named by a dimensions option, see
/// `Reader::dimensions`): each read as text, `null` or absent as `""`.
fn dimension_columns(dimensions: &mut [(String, StrColumn)]) -> impl Iterator<Item = Column<'_>> {
    dimensions
        .iter_mut()
        .map(|(name, values)| Column::new(name, Sink::OptText(values)))
}

/// Reads tables column by column: through the encoder (see `js.rs`), or
/// cell by cell where it gives up, with one string buffer for every cell.
struct Reader<'s> {
    encoder: Option<Encoder<'s>>,
    buf: Vec<u8>,
    cx: Context,
}

impl<'s> Reader<'s> {
    /// Property `name` of `object`, made in `scope`.
    fn property(
        &mut self,
        scope: &mut Scope<'s>,
        object: Value<'_>,
        name: &str,
    ) -> Result<Value<'s>> {
        let key = scope.key(name).map_err(|Threw| unreadable(name))?;
        scope
            .property(object, key)
            .map_err(|Threw| unreadable(name))
    }

    /// A dimensions option, `option` (`dimensions`, `customerDimensions`):
    /// a list of names, each with an empty column to read its values into.
    fn dimensions(
        &mut self,
        scope: &mut Scope<'s>,
        tables: Value<'_>,
        option: &str,
    ) -> Result<Vec<(String, StrColumn)>> {
        let list = self.property(scope, tables, option)?;
        if !list.is_array() {
            let found = list.found();
            if found.is_absent() {
                return Ok(Vec::new());
            }
            return Err(Error::InvalidType {
                field: option.to_owned(),
                expected: "an array of strings".to_owned(),
                found: found.describe(),
            });
        }
        let mut names = Vec::new();
        for i in 0..list.array_len() {
            let field = || format!("{option}[{i}]");
            let name = scope
                .element(list, i)
                .map_err(|Threw| unreadable(&field()))?;
            match name.text(&mut self.buf) {
                Ok(text) if !text.is_empty() => names.push((text.to_owned(), StrColumn::default())),
                Ok(_) => return Err(conv::bad_name(&field(), "", "a property name")),
                Err(f) => {
                    return Err(Error::InvalidType {
                        field: field(),
                        expected: EXPECT_TEXT.to_owned(),
                        found: f.describe(),
                    })
                }
            }
        }
        Ok(names)
    }

    /// Table `name` of `tables`: records, columns, or (when not `required`)
    /// absent.
    fn table(
        &mut self,
        scope: &mut Scope<'s>,
        tables: Value<'_>,
        name: &str,
        required: bool,
        columns: &mut [Column<'_>],
    ) -> Result<()> {
        let table = self.property(scope, tables, name)?;
        let records = table.is_array();
        if !records && !table.is_object() {
            return match table.found() {
                f if f.is_absent() && !required => Ok(()),
                f => Err(Error::InvalidType {
                    field: name.to_owned(),
                    expected: "an array of records or an object of columns".to_owned(),
                    found: f.describe(),
                }),
            };
        }
        let mut rows = None;
        for column in columns.iter_mut() {
            let key = scope.key(&column.name).map_err(|Threw| unreadable(name))?;
            if records {
                let n = table.array_len();
                self.column(scope, table, Some(key), n, name, column)?;
                continue;
            }
            // A table of columns: each column an array. Lengths are checked
            // by the engine.
            let values = scope
                .property(table, key)
                .map_err(|Threw| unreadable(name))?;
            if !values.is_array() {
                let field = format!("{name}.{}", column.name);
                let found = values.found();
                if found.is_absent() && column.sink.optional_column() {
                    column.sink.absent(rows.unwrap_or(0), &field, &self.cx)?;
                    continue;
                }
                return Err(Error::InvalidType {
                    field,
                    expected: "an array (a column)".to_owned(),
                    found: found.describe(),
                });
            }
            let n = values.array_len();
            rows.get_or_insert(n);
            self.column(scope, values, None, n, name, column)?;
        }
        Ok(())
    }

    /// One column of `n` rows: property `key` of the records of `table`, or
    /// the elements of the column array `table` when `key` is `None`.
    fn column(
        &mut self,
        scope: &mut Scope<'s>,
        table: Value<'_>,
        key: Option<Value<'_>>,
        n: u32,
        name: &str,
        column: &mut Column<'_>,
    ) -> Result<()> {
        column.sink.reserve(n as usize);
        if n == 0 {
            return Ok(());
        }
        if let Some(encoder) = &mut self.encoder {
            let optional = column.sink.optional_cell();
            let cx = &mut self.cx;
            let done = encoder
                .column(scope, table, key, optional, n, |cells| {
                    let mut at = At {
                        table: name,
                        column: &column.name,
                        row: 0,
                    };
                    for cell in cells {
                        column.sink.push(cell, &at, cx)?;
                        at.row += 1;
                    }
                    Ok::<_, Error>(())
                })
                .ok()
                .flatten();
            match done {
                Some(result) => return result,
                // Read it cell by cell, for the exact error: start afresh.
                None => column.sink.clear(),
            }
        }
        self.cells(scope, table, key, n, name, column)
    }

    /// One column read cell by cell, in chunks of rows, each chunk in its
    /// own handle scope.
    fn cells(
        &mut self,
        scope: &mut Scope<'s>,
        table: Value<'_>,
        key: Option<Value<'_>>,
        n: u32,
        name: &str,
        column: &mut Column<'_>,
    ) -> Result<()> {
        let Reader { buf, cx, .. } = self;
        let mut start = 0;
        while start < n {
            let end = start.saturating_add(CHUNK).min(n);
            scope.with(|s| {
                for row in start..end {
                    let at = At {
                        table: name,
                        column: &column.name,
                        row,
                    };
                    let element = s
                        .element(table, row)
                        .map_err(|Threw| unreadable(&format!("{name}[{row}]")))?;
                    let Some(key) = key else {
                        column.sink.push(element.text(buf), &at, cx)?;
                        continue;
                    };
                    let cell = match s.property(element, key) {
                        Ok(value) => value.text(buf),
                        Err(Threw) => Err(Found::Other("a value that could not be read")),
                    };
                    if let Err(e) = column.sink.push(cell, &at, cx) {
                        if element.is_object() {
                            return Err(e);
                        }
                        return Err(Error::InvalidType {
                            field: format!("{name}[{row}]"),
                            expected: "a record (an object)".to_owned(),
                            found: element.found().describe(),
                        });
                    }
                }
                Ok(())
            })?;
            start = end;
        }
        Ok(())
    }
}
