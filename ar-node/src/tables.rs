//! Reading tables given as arrays of plain records or as objects of column
//! arrays, for `Book` (`book.rs`) and `Ledger.fromTables` (`import.rs`).
//!
//! The tables are read column by column straight into the core's columns
//! (text into `StrColumn`s, dates and amounts parsed as they come), through
//! `js.rs`: each column is encoded to UTF-8 by one call of a small JS
//! function and read in place, with no Node-API call per cell; a column the
//! encoder gives up on (a cell that is not a string) is read again cell by
//! cell, in chunks of rows each in its own handle scope, for the exact error.
//! Records and columns are read the same way, so bad tables give the same
//! error either way: the first column (in the order read) with a bad cell,
//! at its first bad row.
//!
//! Errors raised while reading name the cell as JS spells it
//! (`creditMemos.amount[0]`, `invoices.dueDate[1]`); the engine's own
//! checks, run afterwards, name it as the core does (`credit_memos.against[0]`).

use ar_core::bulk::{self, SettlementKind as CoreKind, StrColumn};
use ar_core::chrono::NaiveDate;
use ar_core::rust_decimal::Decimal;
use ar_core::{limits, Currency, Error, PaymentTerms, Result};
use napi::bindgen_prelude::Unknown;
use napi::Env;

use crate::conv;
use crate::js::{Encoder, Found, Scope, Threw, Value, NOT_PLAIN};
use crate::terms;

/// Rows read per handle scope.
const CHUNK: u32 = 4096;

/// What a hole of a sparse column array is, in messages.
const HOLE: &str = "a hole of a sparse array";

/// Rows a column makes room for before reading them; more grow as read.
const MAX_RESERVE: usize = 1 << 20;

const EXPECT_TEXT: &str = "a string";
const EXPECT_DATE: &str = "a date string (YYYY-MM-DD)";
const EXPECT_AMOUNT: &str = "a decimal string such as \"12.50\"";
const EXPECT_CURRENCY: &str = "an ISO 4217 code";
const EXPECT_KIND: &str = "\"payment\", \"credit\", \"discount\" or \"write_off\"";
const EXPECT_TERMS: &str = "payment terms such as \"net 30\" or \"2/10 net 30\"";

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

    fn wrong(&self, expected: &str, found: Found<'_>) -> Error {
        found.error(self.field(), expected)
    }
}

/// Where the cells of one column go, and how they are read.
pub(crate) enum Sink<'a> {
    /// Required text: ids, customers.
    Text(&'a mut StrColumn),
    /// Text that may be absent (`null`, `undefined`): pushed as `""`. The
    /// customer of open credits and unapplied cash, invoice and customer
    /// dimensions, a customer's name, the invoice a credit memo credits,
    /// the source of an application.
    OptText(&'a mut StrColumn),
    /// `YYYY-MM-DD`.
    Date(&'a mut Vec<NaiveDate>),
    /// A decimal string.
    Amount(&'a mut Vec<Decimal>),
    /// A decimal string that may be absent: pushed as zero (a discount).
    OptAmount(&'a mut Vec<Decimal>),
    /// An ISO 4217 code; absent: the tables' `currency`.
    Currency(&'a mut Vec<Currency>),
    /// An ISO 4217 code that may be absent: `None`, for the caller to fill
    /// (an invoice in its customer's currency).
    OptCurrency(&'a mut Vec<Option<Currency>>),
    /// A settlement kind; absent: payment.
    Kind(&'a mut Vec<CoreKind>),
    /// Payment terms as text (`"net 30"`); absent: the default terms.
    Terms(&'a mut Vec<PaymentTerms>),
}

/// A column to read: its name in JS, where its cells go, and whether a
/// table of columns may leave it out.
pub(crate) struct Column<'a> {
    name: String,
    sink: Sink<'a>,
    optional: bool,
}

impl<'a> Column<'a> {
    /// A column a table of columns must have, unless its cells may be
    /// absent and have a default (a currency, a kind, terms, a discount).
    pub(crate) fn new(name: &str, sink: Sink<'a>) -> Self {
        let optional = matches!(
            sink,
            Sink::Currency(_)
                | Sink::OptCurrency(_)
                | Sink::Kind(_)
                | Sink::Terms(_)
                | Sink::OptAmount(_)
        );
        Column {
            name: name.to_owned(),
            sink,
            optional,
        }
    }

    /// A column of optional text (`Sink::OptText`) that a table of columns
    /// may leave out: the core reads an empty column as `""` in every row.
    pub(crate) fn optional(name: &str, values: &'a mut StrColumn) -> Self {
        Column {
            optional: true,
            ..Column::new(name, Sink::OptText(values))
        }
    }
}

/// What reading the cells needs besides the cell: the tables' currency and
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

    fn default_currency(
        &self,
        field: impl FnOnce() -> String,
        found: Found<'_>,
    ) -> Result<Currency> {
        self.currency.ok_or_else(|| Error::InvalidType {
            field: field(),
            expected: "an ISO 4217 code (or give the `currency` option)".to_owned(),
            found: found.describe(),
        })
    }
}

impl Sink<'_> {
    /// Makes room for `rows` more rows (at most [`MAX_RESERVE`]: a sparse
    /// array's length costs JS nothing, and its first hole is an error).
    fn reserve(&mut self, rows: usize) {
        match self {
            Sink::Text(c) | Sink::OptText(c) => {
                if c.is_empty() {
                    let rows = rows.min(MAX_RESERVE);
                    **c = StrColumn::with_capacity(rows, rows * 12);
                }
            }
            Sink::Date(v) => v.reserve(rows.min(MAX_RESERVE)),
            Sink::Amount(v) | Sink::OptAmount(v) => v.reserve(rows.min(MAX_RESERVE)),
            Sink::Currency(v) => v.reserve(rows.min(MAX_RESERVE)),
            Sink::OptCurrency(v) => v.reserve(rows.min(MAX_RESERVE)),
            Sink::Kind(v) => v.reserve(rows.min(MAX_RESERVE)),
            Sink::Terms(v) => v.reserve(rows.min(MAX_RESERVE)),
        }
    }

    /// Whether a cell may be `null` or `undefined`.
    fn optional_cell(&self) -> bool {
        !matches!(self, Sink::Text(_) | Sink::Date(_) | Sink::Amount(_))
    }

    /// Drops what was read of the column (to read it again).
    fn clear(&mut self) {
        match self {
            Sink::Text(c) | Sink::OptText(c) => **c = StrColumn::default(),
            Sink::Date(v) => v.clear(),
            Sink::Amount(v) | Sink::OptAmount(v) => v.clear(),
            Sink::Currency(v) => v.clear(),
            Sink::OptCurrency(v) => v.clear(),
            Sink::Kind(v) => v.clear(),
            Sink::Terms(v) => v.clear(),
        }
    }

    /// Reads one cell: its text, or what was found instead of a string.
    fn push(
        &mut self,
        cell: std::result::Result<&str, Found<'_>>,
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
            Sink::Amount(v) => v.push(amount(cell, at)?),
            Sink::OptAmount(v) => v.push(match cell {
                Err(f) if f.is_absent() => Decimal::ZERO,
                cell => amount(cell, at)?,
            }),
            Sink::Currency(v) => v.push(match cell {
                Ok(code) => cx.currency(code, at)?,
                Err(f) if f.is_absent() => cx.default_currency(|| at.field(), f)?,
                Err(f) => return Err(at.wrong(EXPECT_CURRENCY, f)),
            }),
            Sink::OptCurrency(v) => v.push(match cell {
                Ok(code) => Some(cx.currency(code, at)?),
                Err(f) if f.is_absent() => cx.currency,
                Err(f) => return Err(at.wrong(EXPECT_CURRENCY, f)),
            }),
            Sink::Kind(v) => v.push(match cell {
                Ok(name) => settlement_kind(name, at)?,
                Err(f) if f.is_absent() => CoreKind::Payment,
                Err(f) => return Err(at.wrong(EXPECT_KIND, f)),
            }),
            Sink::Terms(v) => v.push(match cell {
                Ok(text) => terms::text_terms(&at.field(), text)?,
                Err(f) if f.is_absent() => PaymentTerms::default(),
                Err(f) => return Err(at.wrong(EXPECT_TERMS, f)),
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
        if let Sink::OptCurrency(v) = self {
            v.resize(rows as usize, cx.currency);
        }
        // Any other: an empty column, which the core reads as its default in
        // every row (a payment, the default terms, no discount, `""`).
        Ok(())
    }
}

/// An amount cell: a decimal string.
fn amount(cell: std::result::Result<&str, Found<'_>>, at: &At<'_>) -> Result<Decimal> {
    let text = cell.map_err(|f| at.wrong(EXPECT_AMOUNT, f))?;
    conv::parse_amount(text).ok_or_else(|| Error::InvalidDecimal {
        field: at.field(),
        value: text.to_owned(),
    })
}

/// What `value` is, for a message: an object that is not a plain object
/// (a table given as a `Date`, `Map` or class instance) said so.
fn describe(value: Value<'_>) -> String {
    if value.is_object() {
        NOT_PLAIN.to_owned()
    } else {
        value.found().describe()
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
/// without the encoder, so tests can check both paths give the same tables.
const READ_ENV: &str = "AR_NODE_BOOK_READ";

/// The columns of a table's dimensions (named by a dimensions option, see
/// `Reader::dimensions`): each read as text, `null` or absent as `""`.
pub(crate) fn dimension_columns(
    dimensions: &mut [(String, StrColumn)],
) -> impl Iterator<Item = Column<'_>> {
    dimensions
        .iter_mut()
        .map(|(name, values)| Column::new(name, Sink::OptText(values)))
}

/// The columns of a table of invoices with their totals (`Book`'s and
/// `Ledger.fromTables`' `invoices`): `id`, `customer`, `date`, `dueDate`,
/// `amount`, `currency?`, then the dimensions.
pub(crate) fn invoice_columns(invoices: &mut bulk::InvoiceColumns) -> Vec<Column<'_>> {
    let bulk::InvoiceColumns {
        id,
        customer,
        currency,
        date,
        due_date,
        amount,
        dimensions,
    } = invoices;
    let mut columns = vec![
        Column::new("id", Sink::Text(id)),
        Column::new("customer", Sink::Text(customer)),
        Column::new("date", Sink::Date(date)),
        Column::new("dueDate", Sink::Date(due_date)),
        Column::new("amount", Sink::Amount(amount)),
        Column::new("currency", Sink::Currency(currency)),
    ];
    columns.extend(dimension_columns(dimensions));
    columns
}

/// The columns of a table of documents with a customer that may be unknown
/// (`Book`'s `openCredits` and `unappliedCash`, `Ledger.fromTables`'
/// `receipts`): `id`, `customer` (`null` or `""`: an unidentified payer),
/// `date`, `amount`, `currency?`.
pub(crate) fn open_columns(open: &mut bulk::OpenColumns) -> [Column<'_>; 5] {
    [
        Column::new("id", Sink::Text(&mut open.id)),
        Column::new("customer", Sink::OptText(&mut open.customer)),
        Column::new("date", Sink::Date(&mut open.date)),
        Column::new("amount", Sink::Amount(&mut open.amount)),
        Column::new("currency", Sink::Currency(&mut open.currency)),
    ]
}

/// Reads tables column by column: through the encoder (see `js.rs`), or
/// cell by cell where it gives up, with one string buffer for every cell.
pub(crate) struct Reader<'s> {
    encoder: Option<Encoder<'s>>,
    buf: Vec<u8>,
    cx: Context,
}

impl<'s> Reader<'s> {
    /// A reader of `tables`, the argument of the current call, which must be
    /// an object (`expected` names its type for the error), with its
    /// `currency` option read (the currency of every row without one): the
    /// reader, and `tables` as a value of `scope`.
    pub(crate) fn new(
        env: &Env,
        scope: &mut Scope<'s>,
        tables: &Unknown<'_>,
        expected: &str,
    ) -> Result<(Self, Value<'s>)> {
        let tables = scope.arg(tables);
        if !scope.is_plain(tables).map_err(|_| unreadable("tables"))? {
            return Err(Error::InvalidType {
                field: "tables".to_owned(),
                expected: expected.to_owned(),
                found: describe(tables),
            });
        }
        let cells_only = std::env::var_os(READ_ENV).is_some_and(|v| v == "cells");
        let encoder = if cells_only {
            None
        } else {
            Encoder::new(env, scope).ok()
        };
        let mut reader = Reader {
            encoder,
            buf: Vec::new(),
            cx: Context {
                currency: None,
                last_currency: None,
            },
        };
        let currency = match reader.text(scope, tables, "currency", EXPECT_CURRENCY)? {
            Some(code) => Some(conv::currency("currency", code)?),
            None => None,
        };
        reader.cx.currency = currency;
        Ok((reader, tables))
    }

    /// Property `name` of `object`, made in `scope`.
    fn property(
        &mut self,
        scope: &mut Scope<'s>,
        object: Value<'_>,
        name: &str,
    ) -> Result<Value<'s>> {
        let key = scope.key(name).map_err(|_: Threw| unreadable(name))?;
        scope
            .property(object, key)
            .map_err(|_: Threw| unreadable(name))
    }

    /// The text of option `name` of `tables` (`expected` says what it
    /// should be, for the error), or `None` when absent (`null`, `undefined`).
    pub(crate) fn text(
        &mut self,
        scope: &mut Scope<'s>,
        tables: Value<'_>,
        name: &str,
        expected: &str,
    ) -> Result<Option<&str>> {
        let value = self.property(scope, tables, name)?;
        match value.text(&mut self.buf) {
            Ok(text) => Ok(Some(text)),
            Err(f) if f.is_absent() => Ok(None),
            Err(f) => Err(f.error(name.to_owned(), expected)),
        }
    }

    /// A dimensions option, `option` (`dimensions`, `customerDimensions`):
    /// a list of names, each with an empty column to read its values into.
    pub(crate) fn dimensions(
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
        // Each name becomes a column, and names a field in messages.
        let len = list.array_len();
        if len as usize > limits::MAX_DIMENSIONS {
            return Err(Error::LimitExceeded {
                field: option.to_owned(),
                count: u64::from(len),
                limit: limits::MAX_DIMENSIONS as u64,
            });
        }
        let mut names = Vec::new();
        for i in 0..len {
            let field = || format!("{option}[{i}]");
            let name = scope
                .element(list, i)
                .map_err(|_: Threw| unreadable(&field()))?;
            match name.text(&mut self.buf) {
                Ok(text) if text.len() > limits::MAX_KEY_LEN => {
                    return Err(Error::LimitExceeded {
                        field: field(),
                        count: text.len() as u64,
                        limit: limits::MAX_KEY_LEN as u64,
                    })
                }
                Ok(text) if !text.is_empty() => names.push((text.to_owned(), StrColumn::default())),
                Ok(_) => return Err(conv::bad_name(&field(), "", "a property name")),
                Err(f) => return Err(f.error(field(), EXPECT_TEXT)),
            }
        }
        Ok(names)
    }

    /// Table `name` of `tables`: records, columns, or (when not `required`)
    /// absent. Whether it was given.
    pub(crate) fn table(
        &mut self,
        scope: &mut Scope<'s>,
        tables: Value<'_>,
        name: &str,
        required: bool,
        columns: &mut [Column<'_>],
    ) -> Result<bool> {
        let table = self.property(scope, tables, name)?;
        let records = table.is_array();
        if !records && !scope.is_plain(table).map_err(|_| unreadable(name))? {
            return match table.found() {
                f if f.is_absent() && !required => Ok(false),
                _ => Err(Error::InvalidType {
                    field: name.to_owned(),
                    expected: "an array of records or an object of columns".to_owned(),
                    found: describe(table),
                }),
            };
        }
        let mut rows = None;
        for column in columns.iter_mut() {
            let key = scope
                .key(&column.name)
                .map_err(|_: Threw| unreadable(name))?;
            if records {
                let n = table.array_len();
                self.column(scope, table, Some(key), n, name, column)?;
                continue;
            }
            // A table of columns: each column an array. Lengths are checked
            // by the engine.
            let values = scope
                .property(table, key)
                .map_err(|_: Threw| unreadable(name))?;
            if !values.is_array() {
                let field = format!("{name}.{}", column.name);
                let found = values.found();
                if found.is_absent() && column.optional {
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
        Ok(true)
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
                        .map_err(|_: Threw| unreadable(&format!("{name}[{row}]")))?;
                    let Some(key) = key else {
                        let mut cell = element.text(buf);
                        // A hole is not an absent cell (see the encoder).
                        if cell == Err(Found::Undefined)
                            && !s.has_element(table, row).unwrap_or(false)
                        {
                            cell = Err(Found::Other(HOLE));
                        }
                        column.sink.push(cell, &at, cx)?;
                        continue;
                    };
                    let cell = match s.property(element, key) {
                        Ok(value) => value.text(buf),
                        Err(_) => Err(Found::Other("a value that could not be read")),
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
