//! A book's history as CSV tables, in the layout of
//! [`ar_core::Ledger::from_tables`]: `customers.csv`, `invoices.csv` and,
//! when there are any, `credit_memos.csv`, `receipts.csv` and
//! `applications.csv`. The accounting-system imports
//! ([`crate::systems`]) give the same [`BookTables`].
//!
//! | file | columns |
//! |---|---|
//! | `customers.csv` | `id`, `name`, `currency`, `terms` (`net 30`, `2/10 net 30`; empty for the default), then any other column as a dimension (`region`, `sales_rep`) |
//! | `invoices.csv` | `id`, `customer`, `currency` (default: the customer's), `date`, `due_date`, `amount` (the total), then any other column as an invoice dimension |
//! | `credit_memos.csv` | `id`, `customer`, `currency`, `date`, `amount`, `against` (the invoice credited, or empty) |
//! | `receipts.csv` | `id`, `customer` (empty for a payer not yet known), `currency`, `date`, `amount`, `method` (`check`, `ach`, `wire`, `card`, `cash`, `direct_debit`, `other`), `reference`, `remittance` |
//! | `applications.csv` | `receipt` or `credit_memo` (one per row), `invoice`, `date`, `amount`, `discount` |
//!
//! Dates are `YYYY-MM-DD`, amounts plain decimals (`1720.63`). A column the
//! layout does not know in the last three files is an error (a misspelled
//! header would otherwise be dropped in silence).
//!
//! # Example
//! ```
//! use ar_formats::book::{BookFile, BookFiles, BookTables};
//! let customers = b"id,name,currency,terms\nACME,Acme Corp,USD,net 30\n";
//! let invoices = b"id,customer,date,due_date,amount\nI-1,ACME,2026-03-01,2026-03-31,100.00\n";
//! let receipts = b"id,customer,currency,date,amount,reference\nR-1,ACME,USD,2026-03-20,40.00,WT-9\n";
//! let applications = b"receipt,invoice,date,amount\nR-1,I-1,2026-03-20,40.00\n";
//! let files = BookFiles {
//!     customers: BookFile::new("customers.csv", customers),
//!     invoices: BookFile::new("invoices.csv", invoices),
//!     credit_memos: None,
//!     receipts: Some(BookFile::new("receipts.csv", receipts)),
//!     applications: Some(BookFile::new("applications.csv", applications)),
//! };
//! let book = BookTables::read(&files).unwrap();
//! let ledger = book.ledger("2026-04-01T00:00:00Z".parse().unwrap()).unwrap();
//! let open = ledger.open_items(&ar_core::View::all());
//! assert_eq!(open[0].open.to_string(), "60.00");
//!
//! // A bad row names its file, row and column.
//! let bad = b"receipt,invoice,date,amount\nR-1,I-1,2026-03-20,400.00\n";
//! let files = BookFiles { applications: Some(BookFile::new("applications.csv", bad)), ..files };
//! let err = BookTables::read(&files).unwrap().ledger("2026-04-01T00:00:00Z".parse().unwrap()).unwrap_err();
//! assert_eq!((err.file.as_str(), err.row, err.column.as_str(), err.code.as_str()),
//!            ("applications.csv", 2, "amount", "over_application"));
//! ```

use std::collections::{BTreeMap, HashMap};

use ar_core::bulk::{Book, InvoiceColumns, OpenColumns, SettlementColumns, SettlementKind};
use ar_core::chrono::{DateTime, NaiveDate, Utc};
use ar_core::import::{ApplicationColumns, CreditMemoColumns, LedgerTables};
use ar_core::rust_decimal::Decimal;
use ar_core::{
    Command, CommandMeta, CreditMemoId, Currency, CustomerId, InvoiceId, Ledger, PaymentMethod,
    PaymentTerms, Receipt, ReceiptId, Source,
};
use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::rows::{error_field, CsvFile, NumberStyle, Row, RowError};

/// Where a row came from: its file and line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// File name.
    pub file: String,
    /// 1-based line (the header is line 1).
    pub row: usize,
}

/// A customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    /// Id.
    pub id: String,
    /// Name (the id when none is known).
    pub name: String,
    /// Currency of the customer's documents.
    pub currency: Currency,
    /// Payment terms as text (`net 30`); `None` for the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<String>,
    /// Dimensions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dimensions: BTreeMap<String, String>,
    /// Where it came from.
    pub origin: Origin,
}

/// An invoice with its total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRow {
    /// Id (the invoice number).
    pub id: String,
    /// Customer billed.
    pub customer: String,
    /// Currency.
    pub currency: Currency,
    /// Invoice date.
    pub date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// Total.
    #[serde(with = "ar_core::serde_decimal")]
    pub amount: Decimal,
    /// Dimensions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dimensions: BTreeMap<String, String>,
    /// Where it came from.
    pub origin: Origin,
}

/// A credit memo for an amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditMemoRow {
    /// Id.
    pub id: String,
    /// Customer credited.
    pub customer: String,
    /// Currency.
    pub currency: Currency,
    /// Date.
    pub date: NaiveDate,
    /// Amount.
    #[serde(with = "ar_core::serde_decimal")]
    pub amount: Decimal,
    /// Invoice credited, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<String>,
    /// Where it came from.
    pub origin: Origin,
}

/// A receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptRow {
    /// Id.
    pub id: String,
    /// Payer, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Currency.
    pub currency: Currency,
    /// Date received.
    pub date: NaiveDate,
    /// Amount.
    #[serde(with = "ar_core::serde_decimal")]
    pub amount: Decimal,
    /// How it was paid.
    #[serde(default)]
    pub method: PaymentMethod,
    /// Bank or check reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Remittance text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remittance: String,
    /// Where it came from.
    pub origin: Origin,
}

/// A receipt or credit memo applied to an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRow {
    /// Receipt applied (or `None` for a credit memo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// Credit memo applied (or `None` for a receipt).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_memo: Option<String>,
    /// Invoice.
    pub invoice: String,
    /// Date.
    pub date: NaiveDate,
    /// Amount taken from the receipt or memo.
    #[serde(with = "ar_core::serde_decimal")]
    pub amount: Decimal,
    /// Early-payment discount granted on top.
    #[serde(
        default,
        with = "ar_core::serde_decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub discount: Option<Decimal>,
    /// Where it came from.
    pub origin: Origin,
}

/// A book's history as rows, each with where it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookTables {
    /// Customers.
    pub customers: Vec<CustomerRow>,
    /// Invoices.
    pub invoices: Vec<InvoiceRow>,
    /// Credit memos.
    pub credit_memos: Vec<CreditMemoRow>,
    /// Receipts.
    pub receipts: Vec<ReceiptRow>,
    /// Applications.
    pub applications: Vec<ApplicationRow>,
    /// What an import could not carry over exactly (tax not given for
    /// tax-exclusive lines, rows skipped by type), for the user to read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A file's name and bytes (the crate does no I/O).
#[derive(Debug, Clone, Copy)]
pub struct BookFile<'a> {
    /// Name, for errors.
    pub name: &'a str,
    /// Contents.
    pub bytes: &'a [u8],
}

impl<'a> BookFile<'a> {
    /// A file.
    ///
    /// # Example
    /// ```
    /// let f = ar_formats::book::BookFile::new("customers.csv", b"id,name,currency\n");
    /// assert_eq!(f.name, "customers.csv");
    /// ```
    pub fn new(name: &'a str, bytes: &'a [u8]) -> Self {
        BookFile { name, bytes }
    }
}

/// The files of a book.
#[derive(Debug, Clone, Copy)]
pub struct BookFiles<'a> {
    /// `customers.csv`.
    pub customers: BookFile<'a>,
    /// `invoices.csv`.
    pub invoices: BookFile<'a>,
    /// `credit_memos.csv`, when there is one.
    pub credit_memos: Option<BookFile<'a>>,
    /// `receipts.csv`, when there is one.
    pub receipts: Option<BookFile<'a>>,
    /// `applications.csv`, when there is one.
    pub applications: Option<BookFile<'a>>,
}

const ISO: &str = "%Y-%m-%d";
const PLAIN: NumberStyle = NumberStyle {
    decimal: '.',
    grouping: None,
};

fn origin(row: &Row<'_>) -> Origin {
    Origin {
        file: row.file.name.clone(),
        row: row.line,
    }
}

fn only_known(file: &CsvFile, known: &[&str]) -> Result<(), RowError> {
    let known_norm: Vec<String> = known.iter().map(|k| crate::rows::normalize(k)).collect();
    match file
        .header
        .iter()
        .find(|h| !h.is_empty() && !known_norm.contains(&crate::rows::normalize(h)))
    {
        Some(h) => Err(RowError::format(
            ErrorCode::InvalidValue,
            &file.name,
            1,
            h,
            format!("not a column of this file (expected {})", known.join(", ")),
        )),
        None => Ok(()),
    }
}

fn opt(s: Option<&str>) -> Option<String> {
    s.map(str::to_owned)
}

impl BookTables {
    /// Reads the files of a book.
    ///
    /// # Errors
    /// A [`RowError`] naming the file, row and column of the first value
    /// that cannot be read (the ledger's own checks come when it is built:
    /// [`BookTables::ledger`]).
    ///
    /// # Example
    /// ```
    /// use ar_formats::book::{BookFile, BookFiles, BookTables};
    /// let files = BookFiles {
    ///     customers: BookFile::new("c.csv", b"id,name,currency\nACME,Acme,USD\n"),
    ///     invoices: BookFile::new("i.csv", b"id,customer,date,due_date,amount\nI-1,ACME,2026-03-01,2026-03-31,1O.00\n"),
    ///     credit_memos: None, receipts: None, applications: None,
    /// };
    /// let e = BookTables::read(&files).unwrap_err();
    /// assert_eq!((e.file.as_str(), e.row, e.column.as_str()), ("i.csv", 2, "amount"));
    /// ```
    pub fn read(files: &BookFiles<'_>) -> Result<Self, RowError> {
        let mut book = BookTables::default();
        let comma = b',';
        let customers = CsvFile::read(files.customers.name, files.customers.bytes, comma)?;
        let fixed = ["id", "name", "currency", "terms"];
        for row in customers.rows() {
            let currency = row.currency_opt("currency")?.ok_or_else(|| {
                row.error(ErrorCode::Missing, "currency", "a currency is required")
            })?;
            let id = row.req("id")?.to_owned();
            let dimensions = customers
                .header
                .iter()
                .filter(|h| !h.is_empty() && !fixed.contains(&crate::rows::normalize(h).as_str()))
                .filter_map(|h| Some((h.clone(), row.get(h)?.to_owned())))
                .collect();
            book.customers.push(CustomerRow {
                name: row.get("name").unwrap_or(&id).to_owned(),
                id,
                currency,
                terms: opt(row.get("terms")),
                dimensions,
                origin: origin(&row),
            });
        }
        let currency_of: HashMap<String, Currency> = book
            .customers
            .iter()
            .map(|c| (c.id.clone(), c.currency))
            .collect();
        let currency = |row: &Row<'_>, customer: Option<&str>| -> Result<Currency, RowError> {
            if let Some(c) = row.currency_opt("currency")? {
                return Ok(c);
            }
            customer
                .and_then(|c| currency_of.get(c).copied())
                .ok_or_else(|| {
                    row.error(
                        ErrorCode::Missing,
                        "currency",
                        "a currency is required when the customer is not known",
                    )
                })
        };

        let invoices = CsvFile::read(files.invoices.name, files.invoices.bytes, comma)?;
        let fixed = ["id", "customer", "currency", "date", "duedate", "amount"];
        for row in invoices.rows() {
            let customer = row.req("customer")?.to_owned();
            let dimensions = invoices
                .header
                .iter()
                .filter(|h| !h.is_empty() && !fixed.contains(&crate::rows::normalize(h).as_str()))
                .filter_map(|h| Some((h.clone(), row.get(h)?.to_owned())))
                .collect();
            book.invoices.push(InvoiceRow {
                id: row.req("id")?.to_owned(),
                currency: currency(&row, Some(&customer))?,
                customer,
                date: row.date("date", ISO)?,
                due_date: row.date("due_date", ISO)?,
                amount: row.decimal("amount", &PLAIN)?,
                dimensions,
                origin: origin(&row),
            });
        }

        if let Some(f) = files.credit_memos {
            let memos = CsvFile::read(f.name, f.bytes, comma)?;
            only_known(
                &memos,
                &["id", "customer", "currency", "date", "amount", "against"],
            )?;
            for row in memos.rows() {
                let customer = row.req("customer")?.to_owned();
                book.credit_memos.push(CreditMemoRow {
                    id: row.req("id")?.to_owned(),
                    currency: currency(&row, Some(&customer))?,
                    customer,
                    date: row.date("date", ISO)?,
                    amount: row.decimal("amount", &PLAIN)?,
                    against: opt(row.get("against")),
                    origin: origin(&row),
                });
            }
        }

        if let Some(f) = files.receipts {
            let receipts = CsvFile::read(f.name, f.bytes, comma)?;
            only_known(
                &receipts,
                &[
                    "id",
                    "customer",
                    "currency",
                    "date",
                    "amount",
                    "method",
                    "reference",
                    "remittance",
                ],
            )?;
            for row in receipts.rows() {
                let customer = opt(row.get("customer"));
                let method = match row.get("method") {
                    None => PaymentMethod::Other,
                    Some(m) => PaymentMethod::parse_field("method", m)
                        .map_err(|e| row.error(ErrorCode::InvalidValue, "method", e.to_string()))?,
                };
                book.receipts.push(ReceiptRow {
                    id: row.req("id")?.to_owned(),
                    currency: currency(&row, customer.as_deref())?,
                    customer,
                    date: row.date("date", ISO)?,
                    amount: row.decimal("amount", &PLAIN)?,
                    method,
                    reference: opt(row.get("reference")),
                    remittance: row.get("remittance").unwrap_or_default().to_owned(),
                    origin: origin(&row),
                });
            }
        }

        if let Some(f) = files.applications {
            let apps = CsvFile::read(f.name, f.bytes, comma)?;
            only_known(
                &apps,
                &[
                    "receipt",
                    "credit_memo",
                    "invoice",
                    "date",
                    "amount",
                    "discount",
                ],
            )?;
            for row in apps.rows() {
                let receipt = opt(row.get("receipt"));
                let credit_memo = opt(row.get("credit_memo"));
                if receipt.is_some() == credit_memo.is_some() {
                    return Err(row.error(
                        ErrorCode::InvalidValue,
                        "receipt",
                        "name one source: a receipt or a credit memo",
                    ));
                }
                book.applications.push(ApplicationRow {
                    receipt,
                    credit_memo,
                    invoice: row.req("invoice")?.to_owned(),
                    date: row.date("date", ISO)?,
                    amount: row.decimal("amount", &PLAIN)?,
                    discount: row
                        .decimal_opt("discount", &PLAIN)?
                        .filter(|d| !d.is_zero()),
                    origin: origin(&row),
                });
            }
        }
        Ok(book)
    }

    /// Adds the rows of `other` (another file of the same book): customers
    /// already known by id are kept as they are.
    ///
    /// # Example
    /// ```
    /// use ar_formats::book::BookTables;
    /// let mut a = BookTables::default();
    /// a.warnings.push("first".into());
    /// let mut b = BookTables::default();
    /// b.warnings.push("second".into());
    /// a.merge(b);
    /// assert_eq!(a.warnings, ["first", "second"]);
    /// ```
    pub fn merge(&mut self, other: BookTables) {
        for c in other.customers {
            if !self.customers.iter().any(|k| k.id == c.id) {
                self.customers.push(c);
            }
        }
        self.invoices.extend(other.invoices);
        self.credit_memos.extend(other.credit_memos);
        self.receipts.extend(other.receipts);
        self.applications.extend(other.applications);
        self.warnings.extend(other.warnings);
    }

    /// The tables of [`Ledger::from_tables`]. Receipts there carry no
    /// method, reference or remittance: [`BookTables::ledger`] keeps them.
    ///
    /// # Errors
    /// A [`RowError`] for payment terms that do not parse.
    ///
    /// # Example
    /// ```
    /// use ar_formats::book::{BookFile, BookFiles, BookTables};
    /// let files = BookFiles {
    ///     customers: BookFile::new("c.csv", b"id,name,currency,terms\nACME,Acme,USD,net 30\n"),
    ///     invoices: BookFile::new("i.csv", b"id,customer,date,due_date,amount\nI-1,ACME,2026-03-01,2026-03-31,10.00\n"),
    ///     credit_memos: None, receipts: None, applications: None,
    /// };
    /// let tables = BookTables::read(&files).unwrap().to_ledger_tables().unwrap();
    /// assert_eq!(tables.invoices.amount[0].to_string(), "10.00");
    /// ```
    pub fn to_ledger_tables(&self) -> Result<LedgerTables, RowError> {
        let mut t = LedgerTables::default();
        let c = &mut t.customers;
        let dims: Vec<String> = {
            let mut d: Vec<String> = self
                .customers
                .iter()
                .flat_map(|c| c.dimensions.keys().cloned())
                .collect();
            d.sort();
            d.dedup();
            d
        };
        c.dimensions = dims
            .iter()
            .map(|k| (k.clone(), Default::default()))
            .collect();
        for row in &self.customers {
            c.id.push(&row.id);
            c.name.push(&row.name);
            c.currency.push(row.currency);
            let terms = match &row.terms {
                None => PaymentTerms::default(),
                Some(text) => text
                    .parse::<PaymentTerms>()
                    .map_err(|e| RowError::ledger(&e, &row.origin.file, row.origin.row, "terms"))?,
            };
            c.terms.push(terms);
            for (k, column) in &mut c.dimensions {
                column.push(row.dimensions.get(k).map_or("", String::as_str));
            }
        }
        let inv_dims: Vec<String> = {
            let mut d: Vec<String> = self
                .invoices
                .iter()
                .flat_map(|i| i.dimensions.keys().cloned())
                .collect();
            d.sort();
            d.dedup();
            d
        };
        let i = &mut t.invoices;
        i.dimensions = inv_dims
            .iter()
            .map(|k| (k.clone(), Default::default()))
            .collect();
        for row in &self.invoices {
            i.id.push(&row.id);
            i.customer.push(&row.customer);
            i.currency.push(row.currency);
            i.date.push(row.date);
            i.due_date.push(row.due_date);
            i.amount.push(row.amount);
            for (k, column) in &mut i.dimensions {
                column.push(row.dimensions.get(k).map_or("", String::as_str));
            }
        }
        let m: &mut CreditMemoColumns = &mut t.credit_memos;
        for row in &self.credit_memos {
            m.id.push(&row.id);
            m.customer.push(&row.customer);
            m.currency.push(row.currency);
            m.date.push(row.date);
            m.amount.push(row.amount);
            m.against.push(row.against.as_deref().unwrap_or(""));
        }
        let r: &mut OpenColumns = &mut t.receipts;
        for row in &self.receipts {
            r.id.push(&row.id);
            r.customer.push(row.customer.as_deref().unwrap_or(""));
            r.currency.push(row.currency);
            r.date.push(row.date);
            r.amount.push(row.amount);
        }
        let a: &mut ApplicationColumns = &mut t.applications;
        for row in &self.applications {
            a.receipt.push(row.receipt.as_deref().unwrap_or(""));
            a.credit_memo.push(row.credit_memo.as_deref().unwrap_or(""));
            a.invoice.push(&row.invoice);
            a.date.push(row.date);
            a.amount.push(row.amount);
            a.discount.push(row.discount.unwrap_or_default());
        }
        Ok(t)
    }

    /// Where the ledger's error from [`Ledger::from_tables`] points:
    /// `invoices.amount[3]` is the fourth invoice row's `amount`.
    fn locate(&self, e: &ar_core::Error) -> RowError {
        let field = error_field(e).unwrap_or("");
        let parsed = field.split_once('.').and_then(|(table, rest)| {
            let (column, index) = rest.split_once('[')?;
            let index: usize = index.strip_suffix(']')?.parse().ok()?;
            Some((table, column, index))
        });
        let Some((table, column, index)) = parsed else {
            return RowError::ledger(e, "", 0, field);
        };
        let origin = match table {
            "customers" => self.customers.get(index).map(|r| &r.origin),
            "invoices" => self.invoices.get(index).map(|r| &r.origin),
            "credit_memos" => self.credit_memos.get(index).map(|r| &r.origin),
            "receipts" => self.receipts.get(index).map(|r| &r.origin),
            "applications" => self.applications.get(index).map(|r| &r.origin),
            _ => None,
        };
        match origin {
            Some(o) => RowError::ledger(e, &o.file, o.row, column),
            None => RowError::ledger(e, "", 0, field),
        }
    }

    /// The ledger these rows build, every event recorded at `recorded`:
    /// customers, invoices and credit memos through
    /// [`Ledger::from_tables`], then each receipt (with its method,
    /// reference and remittance) and each application executed as its
    /// command, in row order, as `from_tables` would.
    ///
    /// # Errors
    /// The first refused row's error, naming its file, row and column.
    ///
    /// # Example
    /// ```
    /// use ar_formats::book::{BookFile, BookFiles, BookTables};
    /// let files = BookFiles {
    ///     customers: BookFile::new("c.csv", b"id,name,currency\nACME,Acme,USD\n"),
    ///     invoices: BookFile::new("i.csv", b"id,customer,date,due_date,amount\nI-1,BOGUS,2026-03-01,2026-03-31,10.00\n"),
    ///     credit_memos: None, receipts: None, applications: None,
    /// };
    /// // BOGUS has no currency of its own to lend the invoice:
    /// assert!(BookTables::read(&files).is_err());
    /// ```
    pub fn ledger(&self, recorded: DateTime<Utc>) -> Result<Ledger, RowError> {
        let mut tables = self.to_ledger_tables()?;
        tables.receipts = OpenColumns::default();
        tables.applications = ApplicationColumns::default();
        let mut ledger = Ledger::from_tables(&tables, recorded).map_err(|e| self.locate(&e))?;
        let meta = CommandMeta::at(recorded);
        for row in &self.receipts {
            let at = |e: ar_core::Error| {
                let column = match error_field(&e).and_then(|f| f.rsplit('.').next()) {
                    Some("id") => "id",
                    Some("customer") => "customer",
                    Some("date") => "date",
                    Some("currency") => "currency",
                    Some("reference") => "reference",
                    Some("remittance") => "remittance",
                    _ => "amount",
                };
                RowError::ledger(&e, &row.origin.file, row.origin.row, column)
            };
            let receipt = Receipt {
                id: ReceiptId::new(&row.id).map_err(at)?,
                customer: row
                    .customer
                    .as_deref()
                    .map(CustomerId::new)
                    .transpose()
                    .map_err(at)?,
                date: row.date,
                amount: row.amount,
                currency: row.currency,
                method: row.method,
                reference: row.reference.clone(),
                remittance: row.remittance.clone(),
                payer_name: None,
                payer_account: None,
            };
            ledger
                .execute(Command::RecordReceipt { receipt }, &meta)
                .map_err(at)?;
        }
        for row in &self.applications {
            let at = |e: ar_core::Error| {
                let column = match error_field(&e).and_then(|f| f.rsplit('.').next()) {
                    Some("source") | Some("receipt") | Some("credit_memo") => {
                        if row.receipt.is_some() {
                            "receipt"
                        } else {
                            "credit_memo"
                        }
                    }
                    Some("invoice") | Some("installment") => "invoice",
                    Some("date") => "date",
                    Some("discount") => "discount",
                    _ => "amount",
                };
                RowError::ledger(&e, &row.origin.file, row.origin.row, column)
            };
            let source = match (&row.receipt, &row.credit_memo) {
                (Some(r), _) => Source::Receipt(ReceiptId::new(r).map_err(at)?),
                (None, Some(m)) => Source::CreditMemo(CreditMemoId::new(m).map_err(at)?),
                (None, None) => {
                    return Err(RowError::format(
                        ErrorCode::Missing,
                        &row.origin.file,
                        row.origin.row,
                        "receipt",
                        "name one source: a receipt or a credit memo",
                    ))
                }
            };
            let command = Command::Apply {
                id: None,
                source,
                invoice: InvoiceId::new(&row.invoice).map_err(at)?,
                installment: None,
                amount: row.amount,
                discount: row.discount.unwrap_or_default(),
                date: row.date,
            };
            ledger.execute(command, &meta).map_err(at)?;
        }
        Ok(ledger)
    }

    /// The same book as columns for [`ar_core::bulk::Book`]: invoices with
    /// their totals, applications as settlements (cash as payments, credit
    /// memos as credits, discounts as discounts), and what is left of each
    /// receipt and credit memo as unapplied cash and open credits (on the
    /// document's date).
    ///
    /// # Errors
    /// A [`RowError`] for an application naming a receipt or memo not in
    /// the tables, or more applied than the document holds.
    ///
    /// # Example
    /// ```
    /// use ar_formats::book::{BookFile, BookFiles, BookTables};
    /// let files = BookFiles {
    ///     customers: BookFile::new("c.csv", b"id,name,currency\nACME,Acme,USD\n"),
    ///     invoices: BookFile::new("i.csv", b"id,customer,date,due_date,amount\nI-1,ACME,2026-03-01,2026-03-31,10.00\n"),
    ///     credit_memos: None,
    ///     receipts: Some(BookFile::new("r.csv", b"id,customer,date,amount\nR-1,ACME,2026-03-05,4.00\n")),
    ///     applications: None,
    /// };
    /// let book = BookTables::read(&files).unwrap().to_book().unwrap();
    /// assert_eq!(book.unapplied_cash.amount[0].to_string(), "4.00");
    /// ```
    pub fn to_book(&self) -> Result<Book, RowError> {
        let mut book = Book::default();
        let inv: &mut InvoiceColumns = &mut book.invoices;
        for row in &self.invoices {
            inv.id.push(&row.id);
            inv.customer.push(&row.customer);
            inv.currency.push(row.currency);
            inv.date.push(row.date);
            inv.due_date.push(row.due_date);
            inv.amount.push(row.amount);
        }
        let mut left: HashMap<(bool, &str), Decimal> = HashMap::new();
        for r in &self.receipts {
            left.insert((true, r.id.as_str()), r.amount);
        }
        for m in &self.credit_memos {
            left.insert((false, m.id.as_str()), m.amount);
        }
        let s: &mut SettlementColumns = &mut book.settlements;
        for a in &self.applications {
            let (key, kind, column) = match (&a.receipt, &a.credit_memo) {
                (Some(r), _) => ((true, r.as_str()), SettlementKind::Payment, "receipt"),
                (None, Some(m)) => ((false, m.as_str()), SettlementKind::Credit, "credit_memo"),
                (None, None) => continue,
            };
            let bad = |message: &str| {
                RowError::format(
                    ErrorCode::InvalidValue,
                    &a.origin.file,
                    a.origin.row,
                    column,
                    message,
                )
            };
            let rest = left
                .get_mut(&key)
                .ok_or_else(|| bad("not a receipt or credit memo of the book"))?;
            *rest = rest
                .checked_sub(a.amount)
                .filter(|r| !r.is_sign_negative())
                .ok_or_else(|| bad("applies more than the document holds"))?;
            s.invoice.push(&a.invoice);
            s.date.push(a.date);
            s.amount.push(a.amount);
            s.kind.push(kind);
            if let Some(d) = a.discount {
                s.invoice.push(&a.invoice);
                s.date.push(a.date);
                s.amount.push(d);
                s.kind.push(SettlementKind::Discount);
            }
        }
        for (rows, cash) in [(&self.receipts, true)] {
            for r in rows {
                let open = left
                    .get(&(cash, r.id.as_str()))
                    .copied()
                    .unwrap_or_default();
                if open > Decimal::ZERO {
                    let u = &mut book.unapplied_cash;
                    u.id.push(&r.id);
                    u.customer.push(r.customer.as_deref().unwrap_or(""));
                    u.currency.push(r.currency);
                    u.date.push(r.date);
                    u.amount.push(open);
                }
            }
        }
        for m in &self.credit_memos {
            let open = left
                .get(&(false, m.id.as_str()))
                .copied()
                .unwrap_or_default();
            if open > Decimal::ZERO {
                let o = &mut book.open_credits;
                o.id.push(&m.id);
                o.customer.push(&m.customer);
                o.currency.push(m.currency);
                o.date.push(m.date);
                o.amount.push(open);
            }
        }
        let dims: Vec<String> = {
            let mut d: Vec<String> = self
                .customers
                .iter()
                .flat_map(|c| c.dimensions.keys().cloned())
                .collect();
            d.sort();
            d.dedup();
            d
        };
        let c = &mut book.customers;
        c.dimensions = dims
            .iter()
            .map(|k| (k.clone(), Default::default()))
            .collect();
        for row in &self.customers {
            c.id.push(&row.id);
            for (k, column) in &mut c.dimensions {
                column.push(row.dimensions.get(k).map_or("", String::as_str));
            }
        }
        Ok(book)
    }
}
