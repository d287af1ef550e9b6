//! `Ledger.from_tables`: a book's history given as tables (pandas DataFrames
//! or pyarrow Tables) becomes a ledger. The tables are read through their
//! Arrow buffers as `ar.Book` reads its own ([`crate::bulk`],
//! [`crate::arrow`]: no Python object per row); with the GIL released, their
//! columns become the core's `LedgerTables` and `ar_core::Ledger::from_tables`
//! executes each row as the command it stands for.

use ar_core::bulk::{OpenColumns, StrColumn};
use ar_core::chrono::{DateTime, Utc};
use ar_core::import::{
    ApplicationColumns, CreditMemoColumns, CustomerTable, LedgerTables, ReceiptDetailColumns,
};
use ar_core::{Currency, Result};
use pyo3::prelude::*;

use crate::arrow::{self, Column, Floats, Nulls};
use crate::bulk::{self, Arg, CustomerInput, InvoiceInput, OpenInput, Table, OPEN_COLUMNS};
use crate::conv;
use crate::errors::{catch, with_label};
use crate::progress::Reporter;

/// The arguments of `Ledger.from_tables`, as given.
pub struct Given<'a, 'py> {
    pub customers: &'a Bound<'py, PyAny>,
    pub invoices: &'a Bound<'py, PyAny>,
    pub receipts: Arg<'a, 'py>,
    pub applications: Arg<'a, 'py>,
    pub credit_memos: Arg<'a, 'py>,
    pub currency: Arg<'a, 'py>,
    pub dimensions: Arg<'a, 'py>,
    pub customer_dimensions: Arg<'a, 'py>,
    pub progress: Arg<'a, 'py>,
}

/// The customers table: ids and dimensions as `ar.Book` reads them, and
/// the optional columns of a registration.
struct CustomerRows<'a> {
    ids: CustomerInput<'a>,
    name: Option<Column<'a>>,
    currency: Option<Column<'a>>,
    terms: Option<Column<'a>>,
}

const CUSTOMER_COLUMNS: [&str; 3] = ["name", "currency", "terms"];

/// The receipts table's optional columns besides those of an open item.
struct ReceiptDetails<'a> {
    remittance: Option<Column<'a>>,
    reference: Option<Column<'a>>,
    method: Option<Column<'a>>,
    payer_name: Option<Column<'a>>,
    payer_account: Option<Column<'a>>,
}

/// The columns read from a receipts table.
const RECEIPT_COLUMNS: [&str; 10] = [
    OPEN_COLUMNS[0],
    OPEN_COLUMNS[1],
    OPEN_COLUMNS[2],
    OPEN_COLUMNS[3],
    OPEN_COLUMNS[4],
    "remittance",
    "reference",
    "method",
    "payer_name",
    "payer_account",
];

/// A credit memos table's columns.
struct CreditMemoInput<'a> {
    id: Column<'a>,
    customer: Column<'a>,
    date: Column<'a>,
    amount: Column<'a>,
    currency: Option<Column<'a>>,
    against: Option<Column<'a>>,
}

const CREDIT_MEMO_COLUMNS: [&str; 6] = ["id", "customer", "date", "amount", "currency", "against"];

impl<'a> CreditMemoInput<'a> {
    fn new(table: &'a Table) -> PyResult<Self> {
        Ok(CreditMemoInput {
            id: table.column("id")?,
            customer: table.column("customer")?,
            date: table.column("date")?,
            amount: table.column("amount")?,
            currency: table.optional("currency"),
            against: table.optional("against"),
        })
    }

    fn columns(&self, default: Option<Currency>) -> Result<CreditMemoColumns> {
        Ok(CreditMemoColumns {
            id: arrow::strings(&self.id, Nulls::Refuse)?,
            customer: arrow::strings(&self.customer, Nulls::Refuse)?,
            currency: arrow::currencies(
                "credit_memos",
                self.currency.as_ref(),
                default,
                self.id.len(),
            )?,
            date: arrow::dates(&self.date)?,
            amount: amounts(&self.amount)?,
            against: texts(self.against.as_ref())?,
        })
    }
}

/// An applications table's columns.
struct ApplicationInput<'a> {
    receipt: Option<Column<'a>>,
    credit_memo: Option<Column<'a>>,
    invoice: Column<'a>,
    date: Column<'a>,
    amount: Column<'a>,
    discount: Option<Column<'a>>,
}

const APPLICATION_COLUMNS: [&str; 6] = [
    "receipt",
    "credit_memo",
    "invoice",
    "date",
    "amount",
    "discount",
];

impl<'a> ApplicationInput<'a> {
    fn new(table: &'a Table) -> PyResult<Self> {
        Ok(ApplicationInput {
            receipt: table.optional("receipt"),
            credit_memo: table.optional("credit_memo"),
            invoice: table.column("invoice")?,
            date: table.column("date")?,
            amount: table.column("amount")?,
            discount: table.optional("discount"),
        })
    }

    fn columns(&self) -> Result<ApplicationColumns> {
        Ok(ApplicationColumns {
            receipt: texts(self.receipt.as_ref())?,
            credit_memo: texts(self.credit_memo.as_ref())?,
            invoice: arrow::strings(&self.invoice, Nulls::Refuse)?,
            date: arrow::dates(&self.date)?,
            amount: amounts(&self.amount)?,
            // A null discount is none, as zero is.
            discount: self
                .discount
                .as_ref()
                .map(|col| arrow::amounts(col, Floats::Refuse, Nulls::Empty, |_| None))
                .transpose()?
                .unwrap_or_default(),
        })
    }
}

/// Everything `Ledger.from_tables` was given, as columns over the buffers:
/// plain Rust, read into the core's tables with the GIL released.
struct Input<'a> {
    customers: CustomerRows<'a>,
    invoices: InvoiceInput<'a>,
    credit_memos: Option<CreditMemoInput<'a>>,
    receipts: Option<OpenInput<'a>>,
    receipt_details: Option<ReceiptDetails<'a>>,
    applications: Option<ApplicationInput<'a>>,
    currency: Option<Currency>,
}

/// An optional text column, a null being `""`; no column is an empty one
/// (which the core reads as `""` in every row).
fn texts(col: Option<&Column<'_>>) -> Result<StrColumn> {
    col.map_or_else(
        || Ok(StrColumn::default()),
        |c| arrow::strings(c, Nulls::Empty),
    )
}

/// Exact amounts (a float column is refused, as `ar.Book` refuses it).
fn amounts(col: &Column<'_>) -> Result<Vec<ar_core::rust_decimal::Decimal>> {
    arrow::amounts(col, Floats::Refuse, Nulls::Refuse, |_| None)
}

impl Input<'_> {
    fn tables(&self) -> Result<LedgerTables> {
        let c = &self.customers;
        let ids = c.ids.columns()?;
        let customers = CustomerTable {
            currency: arrow::currencies(
                "customers",
                c.currency.as_ref(),
                self.currency,
                ids.id.len(),
            )?,
            id: ids.id,
            name: texts(c.name.as_ref())?,
            terms: c
                .terms
                .as_ref()
                .map(arrow::terms)
                .transpose()?
                .unwrap_or_default(),
            dimensions: ids.dimensions,
        };
        // Without a currency column (nor a default), an invoice is in its
        // customer's currency, as in the tables layout of `ar-formats`.
        let currency = if !self.invoices.has_currency() && self.currency.is_none() {
            customers.currencies_of("invoices.customer", &self.invoices.customers()?)?
        } else {
            self.invoices.currencies(self.currency)?
        };
        let invoices = self.invoices.columns(currency, Floats::Refuse)?;
        let credit_memos = match &self.credit_memos {
            None => CreditMemoColumns::default(),
            Some(m) => m.columns(self.currency)?,
        };
        let receipts = match &self.receipts {
            None => OpenColumns::default(),
            Some(r) => r.columns(self.currency, Floats::Refuse)?,
        };
        let applications = match &self.applications {
            None => ApplicationColumns::default(),
            Some(a) => a.columns()?,
        };
        let receipt_details = match &self.receipt_details {
            None => ReceiptDetailColumns::default(),
            Some(d) => ReceiptDetailColumns {
                remittance: texts(d.remittance.as_ref())?,
                reference: texts(d.reference.as_ref())?,
                method: texts(d.method.as_ref())?,
                payer_name: texts(d.payer_name.as_ref())?,
                payer_account: texts(d.payer_account.as_ref())?,
            },
        };
        Ok(LedgerTables {
            customers,
            invoices,
            credit_memos,
            receipts,
            receipt_details,
            applications,
        })
    }
}

/// The ledger the tables `given` stand for, every event recorded at
/// `recorded`. The tables are read here; the columns are converted and the
/// rows executed with the GIL released.
pub fn ledger(
    py: Python<'_>,
    given: &Given<'_, '_>,
    recorded: DateTime<Utc>,
) -> PyResult<ar_core::Ledger> {
    let tables = [
        ("customers", Some(given.customers)),
        ("invoices", Some(given.invoices)),
        ("credit_memos", conv::given(given.credit_memos)),
        ("receipts", conv::given(given.receipts)),
        ("applications", conv::given(given.applications)),
    ];
    read_and_build(py, given, recorded).map_err(|e| with_label(py, e, &tables))
}

/// [`ledger`], its errors not yet labelled.
fn read_and_build(
    py: Python<'_>,
    given: &Given<'_, '_>,
    recorded: DateTime<Utc>,
) -> PyResult<ar_core::Ledger> {
    let mut reporter = Reporter::new(given.progress)?;
    let currency = conv::opt_currency("currency", given.currency)?;
    let dimensions = bulk::names("dimensions", given.dimensions)?;
    let customer_dimensions = bulk::names("customer_dimensions", given.customer_dimensions)?;
    let wanted = CustomerInput::wanted(&CUSTOMER_COLUMNS, &customer_dimensions);
    let cust = Table::read(py, "customers", given.customers, &wanted)?;
    let wanted = InvoiceInput::wanted(&dimensions);
    let inv = Table::read(py, "invoices", given.invoices, &wanted)?;
    let memos = Table::read_given(py, "credit_memos", given.credit_memos, &CREDIT_MEMO_COLUMNS)?;
    let rcpt = Table::read_given(py, "receipts", given.receipts, &RECEIPT_COLUMNS)?;
    let apps = Table::read_given(py, "applications", given.applications, &APPLICATION_COLUMNS)?;
    let input = Input {
        customers: CustomerRows {
            ids: CustomerInput::new(&cust, &customer_dimensions)?,
            name: cust.optional("name"),
            currency: cust.optional("currency"),
            terms: cust.optional("terms"),
        },
        invoices: InvoiceInput::new(&inv, &dimensions)?,
        credit_memos: memos.as_ref().map(CreditMemoInput::new).transpose()?,
        receipts: rcpt.as_ref().map(OpenInput::new).transpose()?,
        receipt_details: rcpt.as_ref().map(|t| ReceiptDetails {
            remittance: t.optional("remittance"),
            reference: t.optional("reference"),
            method: t.optional("method"),
            payer_name: t.optional("payer_name"),
            payer_account: t.optional("payer_account"),
        }),
        applications: apps.as_ref().map(ApplicationInput::new).transpose()?,
        currency,
    };
    let built = py.detach(|| {
        catch(|| {
            ar_core::Ledger::from_tables_with_progress(&input.tables()?, recorded, &mut |p| {
                reporter.observe(p)
            })
        })
    });
    reporter.finish(built)
}
