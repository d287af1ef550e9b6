//! The tables of `Ledger.fromTables`: a book's history (customers,
//! invoices with their totals, credit memos, receipts and the applications
//! of receipts and credit memos to invoices), each as an array of plain
//! records or as an object of columns, read as a `Book`'s tables are (see
//! `tables.rs`) into the core's `import::LedgerTables`.

use ar_core::chrono::{DateTime, Utc};
use ar_core::import::LedgerTables as CoreTables;
use ar_core::Result;
use napi::bindgen_prelude::{Either, Unknown};
use napi::Env;
use napi_derive::napi;

use crate::book::{InvoiceColumns, InvoiceRecord, OpenColumns, OpenRecord};
use crate::conv::DecimalInput;
use crate::js::Scope;
use crate::ledger;
use crate::tables::{dimension_columns, open_columns, Column, Reader, Sink};

// ---------------------------------------------------------------------------
// The tables, as TypeScript sees them. As for `Book`, these structs declare
// the types of `index.d.ts` only: the tables are read by `read`.
// ---------------------------------------------------------------------------

/// One customer of `Ledger.fromTables`, as a record. The properties named
/// in `LedgerTables.customerDimensions` are kept as customer dimensions;
/// any other property is ignored.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct LedgerCustomerRecord {
    /// Unique id, as the other tables name the customer.
    pub id: String,
    /// Display name; absent, `null` or `""`: the id.
    #[napi(ts_type = "string | null")]
    pub name: Option<String>,
    /// ISO 4217 code of the customer's documents; default: the tables'
    /// `currency`.
    pub currency: Option<String>,
    /// Payment terms as text (`"net 30"`, `"2/10 net 30"`, `"EOM + 15"`,
    /// `"due on receipt"`); absent or `null`: the default terms (net 30).
    #[napi(ts_type = "string | null")]
    pub terms: Option<String>,
}

/// The customers of `Ledger.fromTables` as columns, all of the same
/// length. The columns named in `LedgerTables.customerDimensions` are kept
/// as customer dimensions.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct LedgerCustomerColumns {
    /// Unique ids.
    pub id: Vec<String>,
    /// Display names; absent, or `null` or `""` in a row: the id.
    #[napi(ts_type = "Array<string | null>")]
    pub name: Option<Vec<Option<String>>>,
    /// ISO 4217 codes; default: the tables' `currency` for every row.
    pub currency: Option<Vec<String>>,
    /// Payment terms as text; absent, or `null` in a row: the default terms.
    #[napi(ts_type = "Array<string | null>")]
    pub terms: Option<Vec<Option<String>>>,
}

/// A credit memo for an amount, as a record.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct CreditMemoRecord {
    /// Unique id.
    pub id: String,
    /// Customer credited.
    pub customer: String,
    /// Issue date, `YYYY-MM-DD`.
    pub date: String,
    /// Amount, a decimal string greater than zero.
    #[napi(ts_type = "string")]
    pub amount: DecimalInput,
    /// ISO 4217 code; default: the tables' `currency`.
    pub currency: Option<String>,
    /// The invoice credited; absent or `null` for none.
    #[napi(ts_type = "string | null")]
    pub against: Option<String>,
}

/// Credit memos as columns.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct CreditMemoColumns {
    /// Unique ids.
    pub id: Vec<String>,
    /// Customers credited.
    pub customer: Vec<String>,
    /// Issue dates, `YYYY-MM-DD`.
    pub date: Vec<String>,
    /// Amounts, decimal strings.
    #[napi(ts_type = "Array<string>")]
    pub amount: Vec<DecimalInput>,
    /// ISO 4217 codes; default: the tables' `currency` for every row.
    pub currency: Option<Vec<String>>,
    /// Invoices credited; absent, or `null` or `""` in a row, for none.
    #[napi(ts_type = "Array<string | null>")]
    pub against: Option<Vec<Option<String>>>,
}

/// An application of a receipt or a credit memo (exactly one of them) to
/// an invoice, as a record.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct ApplicationRecord {
    /// The receipt applied.
    #[napi(ts_type = "string | null")]
    pub receipt: Option<String>,
    /// The credit memo applied.
    #[napi(ts_type = "string | null")]
    pub credit_memo: Option<String>,
    /// The invoice.
    pub invoice: String,
    /// Date, `YYYY-MM-DD`, on or after both documents'.
    pub date: String,
    /// Amount taken from the source, a decimal string greater than zero.
    #[napi(ts_type = "string")]
    pub amount: DecimalInput,
    /// Early-payment discount taken on top; absent or `null` for none.
    #[napi(ts_type = "string | null")]
    pub discount: Option<DecimalInput>,
}

/// Applications as columns; in each row exactly one of `receipt` and
/// `creditMemo` names the source (either column may be left out).
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct ApplicationColumns {
    /// Receipts applied; `null` or `""` where the row applies a credit memo.
    #[napi(ts_type = "Array<string | null>")]
    pub receipt: Option<Vec<Option<String>>>,
    /// Credit memos applied; `null` or `""` where the row applies a receipt.
    #[napi(ts_type = "Array<string | null>")]
    pub credit_memo: Option<Vec<Option<String>>>,
    /// Invoices.
    pub invoice: Vec<String>,
    /// Dates, `YYYY-MM-DD`.
    pub date: Vec<String>,
    /// Amounts, decimal strings.
    #[napi(ts_type = "Array<string>")]
    pub amount: Vec<DecimalInput>,
    /// Discounts; absent, or `null` in a row, for none.
    #[napi(ts_type = "Array<string | null>")]
    pub discount: Option<Vec<Option<DecimalInput>>>,
}

/// The argument of `Ledger.fromTables(...)`: a book's history, each table
/// an array of plain records or an object of columns (arrays of the same
/// length).
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct LedgerTables {
    /// Customers; every customer the other tables name must be listed.
    /// Dimension properties (or columns) are strings; `null` or absent is no
    /// value.
    #[napi(
        ts_type = "Array<LedgerCustomerRecord & { [dimension: string]: string | null | undefined }> | (LedgerCustomerColumns & { [dimension: string]: Array<string | null> | undefined })"
    )]
    pub customers: Either<Vec<LedgerCustomerRecord>, LedgerCustomerColumns>,
    /// Invoices with their totals, each imported with all of its total
    /// open. Dimension properties (or columns) are strings; `null` or absent
    /// is no value.
    #[napi(
        ts_type = "Array<InvoiceRecord & { [dimension: string]: string | null | undefined }> | (InvoiceColumns & { [dimension: string]: Array<string | null> | undefined })"
    )]
    pub invoices: Either<Vec<InvoiceRecord>, InvoiceColumns>,
    /// Receipts, for their whole amounts; a customer `null` or `""` is a
    /// payer not yet identified. Their remittance, reference, method and
    /// payer, when given, are kept for the matcher.
    #[napi(ts_type = "Array<OpenRecord & ReceiptDetails> | (OpenColumns & ReceiptDetailColumns)")]
    pub receipts: Option<Either<Vec<OpenRecord>, OpenColumns>>,
    /// Applications of receipts and credit memos to invoices.
    #[napi(ts_type = "Array<ApplicationRecord> | ApplicationColumns")]
    pub applications: Option<Either<Vec<ApplicationRecord>, ApplicationColumns>>,
    /// Credit memos for an amount.
    #[napi(ts_type = "Array<CreditMemoRecord> | CreditMemoColumns")]
    pub credit_memos: Option<Either<Vec<CreditMemoRecord>, CreditMemoColumns>>,
    /// ISO 4217 code of every row without a `currency` of its own.
    pub currency: Option<String>,
    /// Invoice properties (or columns) kept as invoice dimensions, for
    /// `groupBy: ['invoice.<name>']`.
    pub dimensions: Option<Vec<String>>,
    /// Customer properties (or columns) kept as customer dimensions, for
    /// `groupBy: ['customer.<name>']`.
    pub customer_dimensions: Option<Vec<String>>,
    /// When every event is recorded, RFC 3339 (`"2026-07-01T09:00:00Z"`);
    /// default: now.
    pub recorded: Option<String>,
}

/// What a bank says of a receipt besides its amount (`Ledger.fromTables`),
/// as properties of a receipt record; absent, `null` or `""` is none.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct ReceiptDetails {
    /// Remittance text, read by the matcher.
    pub remittance: Option<String>,
    /// Bank or check reference.
    pub reference: Option<String>,
    /// How it was paid (`PaymentMethod`); default `other`.
    #[napi(ts_type = "PaymentMethod | null")]
    pub method: Option<String>,
    /// The payer's name as the bank gives it.
    pub payer_name: Option<String>,
    /// The account the money came from.
    pub payer_account: Option<String>,
}

/// [`ReceiptDetails`] as columns, each optional, one value per receipt.
#[napi(object, object_to_js = false)]
#[allow(dead_code)] // declares the TypeScript type only (see above)
pub struct ReceiptDetailColumns {
    /// Remittance texts.
    #[napi(ts_type = "Array<string | null>")]
    pub remittance: Option<Vec<Option<String>>>,
    /// Bank or check references.
    #[napi(ts_type = "Array<string | null>")]
    pub reference: Option<Vec<Option<String>>>,
    /// How each was paid.
    #[napi(ts_type = "Array<PaymentMethod | null>")]
    pub method: Option<Vec<Option<String>>>,
    /// Payers' names.
    #[napi(ts_type = "Array<string | null>")]
    pub payer_name: Option<Vec<Option<String>>>,
    /// Accounts paid from.
    #[napi(ts_type = "Array<string | null>")]
    pub payer_account: Option<Vec<Option<String>>>,
}

// ---------------------------------------------------------------------------
// Reading the tables.
// ---------------------------------------------------------------------------

/// Reads the tables of `Ledger.fromTables` into the core's, with the time
/// every event is recorded at. Tables are read in the order the core
/// executes them: customers, invoices, credit memos, receipts, applications.
pub(crate) fn read(env: &Env, tables: &Unknown<'_>) -> Result<(CoreTables, DateTime<Utc>)> {
    let mut scope = Scope::root(env);
    let (mut reader, tables) = Reader::new(
        env,
        &mut scope,
        tables,
        "LedgerTables ({customers, invoices, receipts?, ...})",
    )?;
    let recorded = reader.text(
        &mut scope,
        tables,
        "recorded",
        "an RFC 3339 timestamp string",
    )?;
    let recorded = ledger::recorded(recorded)?;
    let mut t = CoreTables::default();
    t.invoices.dimensions = reader.dimensions(&mut scope, tables, "dimensions")?;
    t.customers.dimensions = reader.dimensions(&mut scope, tables, "customerDimensions")?;

    let c = &mut t.customers;
    let mut columns = vec![
        Column::new("id", Sink::Text(&mut c.id)),
        Column::optional("name", &mut c.name),
        Column::new("currency", Sink::Currency(&mut c.currency)),
        Column::new("terms", Sink::Terms(&mut c.terms)),
    ];
    columns.extend(dimension_columns(&mut c.dimensions));
    reader.table(&mut scope, tables, "customers", true, &mut columns)?;

    // An invoice without a currency (and no `currency` option) is in its
    // customer's, as in Python's `from_tables` and `ar_formats::book`.
    let mut currency: Vec<Option<ar_core::Currency>> = Vec::new();
    {
        let i = &mut t.invoices;
        let mut columns = vec![
            Column::new("id", Sink::Text(&mut i.id)),
            Column::new("customer", Sink::Text(&mut i.customer)),
            Column::new("date", Sink::Date(&mut i.date)),
            Column::new("dueDate", Sink::Date(&mut i.due_date)),
            Column::new("amount", Sink::Amount(&mut i.amount)),
            Column::new("currency", Sink::OptCurrency(&mut currency)),
        ];
        columns.extend(dimension_columns(&mut i.dimensions));
        reader.table(&mut scope, tables, "invoices", true, &mut columns)?;
    }
    t.invoices.currency = if currency.iter().all(Option::is_some) {
        currency.into_iter().flatten().collect()
    } else {
        let of_customer = t
            .customers
            .currencies_of("invoices.customer", &t.invoices.customer)?;
        currency
            .into_iter()
            .zip(of_customer)
            .map(|(own, customer)| own.unwrap_or(customer))
            .collect()
    };

    let m = &mut t.credit_memos;
    reader.table(
        &mut scope,
        tables,
        "creditMemos",
        false,
        &mut [
            Column::new("id", Sink::Text(&mut m.id)),
            Column::new("customer", Sink::Text(&mut m.customer)),
            Column::new("date", Sink::Date(&mut m.date)),
            Column::new("amount", Sink::Amount(&mut m.amount)),
            Column::new("currency", Sink::Currency(&mut m.currency)),
            Column::optional("against", &mut m.against),
        ],
    )?;

    let d = &mut t.receipt_details;
    let mut columns = Vec::from(open_columns(&mut t.receipts));
    columns.extend([
        Column::optional("remittance", &mut d.remittance),
        Column::optional("reference", &mut d.reference),
        Column::optional("method", &mut d.method),
        Column::optional("payerName", &mut d.payer_name),
        Column::optional("payerAccount", &mut d.payer_account),
    ]);
    reader.table(&mut scope, tables, "receipts", false, &mut columns)?;

    let a = &mut t.applications;
    reader.table(
        &mut scope,
        tables,
        "applications",
        false,
        &mut [
            Column::optional("receipt", &mut a.receipt),
            Column::optional("creditMemo", &mut a.credit_memo),
            Column::new("invoice", Sink::Text(&mut a.invoice)),
            Column::new("date", Sink::Date(&mut a.date)),
            Column::new("amount", Sink::Amount(&mut a.amount)),
            Column::new("discount", Sink::OptAmount(&mut a.discount)),
        ],
    )?;
    Ok((t, recorded))
}
