//! Accounting-system layouts (`ar_formats::systems`: QuickBooks Online,
//! Xero, SAP, NetSuite) in and out: `accountingProfile`,
//! `importAccounting` (an export read into book rows),
//! `Ledger.fromBookRows` and `Ledger.exportInvoices` /
//! `Ledger.exportPayments` (the ledger written back in the QuickBooks and
//! Xero layouts). Every layout and rule comes from `ar-formats`.
//!
//! Through the conversion layer: results written by `out.rs`, profiles and
//! rows read by `de.rs`; the `#[napi(object)]` structs declare the
//! TypeScript interfaces only.

use std::collections::BTreeMap;

use ar_core::{Currency, Error, View};
use ar_formats::book::{BookFile, BookTables as CoreRows};
use ar_formats::systems::{self, ExportOptions, Field, Layout, Profile};
use napi::bindgen_prelude::{This, Unknown};
use napi::{Env, JsValue};
use napi_derive::napi;
use serde::Deserialize;

use crate::bank::{bytes_of, Source};
use crate::conv;
use crate::de::{self, Timestamp};
use crate::formats::{guard, text};
use crate::ledger::Ledger;
use crate::out;

/// How numbers are written in a file.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::NumberStyle`
pub struct NumberStyle {
    /// Decimal mark: `'.'` or `','`.
    pub decimal: String,
    /// Digit grouping mark, if any is used.
    pub grouping: Option<String>,
}

/// An accounting system's column layout: for each field, the headers that
/// may hold it (the first the file has wins).
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::systems::Profile`
pub struct AccountingProfile {
    /// `'xero-invoices'`, ...
    pub name: String,
    /// What the rows are when no type or debit/credit column says.
    #[napi(ts_type = "'invoices' | 'payments'")]
    pub records: String,
    /// Headers per field (`customer`, `document`, `date`, `due_date`,
    /// `amount`, `open`, `currency`, ...).
    #[napi(ts_type = "Record<string, Array<string>>")]
    pub columns: BTreeMap<String, Vec<String>>,
    /// chrono's `strftime` notation: `'%d/%m/%Y'`.
    pub date_format: String,
    pub numbers: NumberStyle,
    /// One ASCII character.
    pub delimiter: String,
    /// Currency of rows without one.
    pub currency: Option<String>,
    /// Take the open amount, and leave settled documents out.
    pub open_items: bool,
}

/// The options of `importAccounting`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct ImportAccountingOptions {
    /// The file's name, for errors. Default `'input'`.
    pub name: Option<String>,
    /// Headers to read fields from instead of the profile's:
    /// `{ document: ['Invoice #'] }`.
    #[napi(ts_type = "Record<string, Array<string>>")]
    pub columns: Option<BTreeMap<Field, Vec<String>>>,
    /// Currency of rows without one (ISO 4217).
    #[napi(ts_type = "string")]
    pub currency: Option<Currency>,
    /// Take the open amount, and leave settled documents out.
    pub open_items: Option<bool>,
}

/// Where a row came from.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::book::Origin`
pub struct RowOrigin {
    pub file: String,
    /// 1-based line: the header is line 1.
    pub row: i64,
}

/// A customer of book rows.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::book::CustomerRow`
pub struct BookCustomerRow {
    pub id: String,
    pub name: String,
    pub currency: String,
    /// `'net 30'`; absent for the default.
    pub terms: Option<String>,
    #[napi(ts_type = "Record<string, string>")]
    pub dimensions: Option<BTreeMap<String, String>>,
    pub origin: RowOrigin,
}

/// An invoice of book rows, with its total.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::book::InvoiceRow`
pub struct BookInvoiceRow {
    pub id: String,
    pub customer: String,
    pub currency: String,
    pub date: String,
    pub due_date: String,
    pub amount: String,
    #[napi(ts_type = "Record<string, string>")]
    pub dimensions: Option<BTreeMap<String, String>>,
    pub origin: RowOrigin,
}

/// A credit memo of book rows.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::book::CreditMemoRow`
pub struct BookCreditMemoRow {
    pub id: String,
    pub customer: String,
    pub currency: String,
    pub date: String,
    pub amount: String,
    /// The invoice credited, if any.
    pub against: Option<String>,
    pub origin: RowOrigin,
}

/// A receipt of book rows.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::book::ReceiptRow`
pub struct BookReceiptRow {
    pub id: String,
    pub customer: Option<String>,
    pub currency: String,
    pub date: String,
    pub amount: String,
    #[napi(ts_type = "PaymentMethod")]
    pub method: String,
    pub reference: Option<String>,
    pub remittance: Option<String>,
    pub origin: RowOrigin,
}

/// A receipt or credit memo applied to an invoice, in book rows.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::book::ApplicationRow`
pub struct BookApplicationRow {
    pub receipt: Option<String>,
    pub credit_memo: Option<String>,
    pub invoice: String,
    pub date: String,
    pub amount: String,
    pub discount: Option<String>,
    pub origin: RowOrigin,
}

/// A book's history as rows, each with where it came from: what an
/// accounting-system import gives, and `Ledger.fromBookRows` reads.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_formats::book::BookTables`
pub struct BookRows {
    pub customers: Vec<BookCustomerRow>,
    pub invoices: Vec<BookInvoiceRow>,
    pub credit_memos: Vec<BookCreditMemoRow>,
    pub receipts: Vec<BookReceiptRow>,
    pub applications: Vec<BookApplicationRow>,
    /// What the import could not carry over exactly (rows skipped by type,
    /// settled documents left out); absent when nothing.
    pub warnings: Option<Vec<String>>,
}

/// The built-in profile `name`.
fn builtin(name: &str, field: &str) -> ar_core::Result<Profile> {
    Profile::builtin(name).ok_or_else(|| Error::InvalidValue {
        field: field.to_owned(),
        value: ar_core::shown_value(name),
        reason: format!("not a profile: one of {}", systems::BUILTIN.join(", ")),
    })
}

/// The built-in layout `name` of an accounting system (`'qbo-invoices'`,
/// `'qbo-payments'`, `'xero-invoices'`, `'xero-invoices-us'`,
/// `'xero-payments'`, `'sap-open-items'`, `'sap-fbl5n'`, `'netsuite'`), to
/// adjust and give to `importAccounting`.
///
/// Errors: `invalid_value` for another name, `invalid_type`.
#[napi(ts_args_type = "name: string", ts_return_type = "AccountingProfile")]
pub fn accounting_profile<'e>(env: &'e Env, name: Unknown<'_>) -> napi::Result<Unknown<'e>> {
    guard(env, || {
        let name = crate::ledger::string(env, name, "name")?;
        Ok(out::to_js(env, &builtin(&name, "name")?, None)?)
    })
}

/// Reads an export of an accounting system (`source`, the file's content)
/// in the layout `profile` (a built-in name or an `AccountingProfile`) into
/// book rows, every row with its file and line; `Ledger.fromBookRows`
/// builds a ledger from them.
///
/// Errors: a row that cannot be read throws with `family` `'format'`, a
/// `code` of `FORMAT_ERROR_CODES`, `file`, `row` and `column` (the header
/// as the file spells it); `invalid_value`, `invalid_type` for the
/// arguments.
#[napi(
    ts_args_type = "source: Buffer | string, profile: string | AccountingProfile, options?: ImportAccountingOptions | null",
    ts_return_type = "BookRows"
)]
pub fn import_accounting<'e>(
    env: &'e Env,
    source: Source<'_>,
    profile: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    guard(env, || {
        let bytes = bytes_of(env, source)?;
        let mut profile = if profile.get_type().ok() == Some(napi::ValueType::String) {
            builtin(&crate::ledger::string(env, profile, "profile")?, "profile")?
        } else {
            de::from_js::<Profile>(
                env,
                profile,
                "profile",
                "a profile name or an AccountingProfile",
            )?
        };
        let o: Option<ImportAccountingOptions> = match options {
            Some(v) => de::options(env, v, "options", "ImportAccountingOptions")?,
            None => None,
        };
        let mut name = "input".to_owned();
        if let Some(o) = o {
            for (field, headers) in o.columns.unwrap_or_default() {
                profile.columns.insert(field, headers);
            }
            if o.currency.is_some() {
                profile.currency = o.currency;
            }
            if let Some(open) = o.open_items {
                profile.open_items = open;
            }
            if let Some(n) = o.name {
                name = n;
            }
        }
        let book = systems::import(&profile, BookFile::new(&name, &bytes))?;
        Ok(out::to_js(env, &book, None)?)
    })
}

/// Book rows given to `Ledger.fromBookRows`: one import's, or several
/// (invoices and payments of one system), merged in order.
fn rows(env: &Env, value: Unknown<'_>) -> ar_core::Result<CoreRows> {
    if value.is_array().unwrap_or(false) {
        let parts: Vec<CoreRows> = de::from_js(env, value, "rows", "BookRows[]")?;
        let mut all = CoreRows::default();
        for p in parts {
            all.merge(p);
        }
        return Ok(all);
    }
    de::from_js(env, value, "rows", "BookRows")
}

/// The options of `Ledger.exportInvoices` and `Ledger.exportPayments`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct ExportAccountingOptions {
    /// The system's layout.
    #[napi(ts_type = "'quickbooks' | 'xero'")]
    pub layout: LayoutName,
    /// chrono's `strftime` notation; default `'%m/%d/%Y'` for QuickBooks,
    /// `'%d/%m/%Y'` for Xero.
    pub date_format: Option<String>,
    /// Xero's `*AccountCode` of revenue. Default `'200'`.
    pub account_code: Option<String>,
    /// Xero's `*TaxType` of a line without tax. Default `'Tax Exempt'`.
    pub no_tax: Option<String>,
}

/// A layout as the bindings and the command line name it.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum LayoutName {
    Quickbooks,
    Xero,
}

fn export_options(o: ExportAccountingOptions) -> (Layout, ExportOptions) {
    let layout = match o.layout {
        LayoutName::Quickbooks => Layout::QuickBooks,
        LayoutName::Xero => Layout::Xero,
    };
    let mut options = ExportOptions::for_layout(layout);
    if let Some(f) = o.date_format {
        options.date_format = f;
    }
    if let Some(a) = o.account_code {
        options.account_code = a;
    }
    if let Some(t) = o.no_tax {
        options.no_tax = t;
    }
    (layout, options)
}

#[napi]
impl Ledger {
    /// A ledger built from book rows (`importAccounting`'s, or several
    /// merged in order): customers, invoices and credit memos, then each
    /// receipt and application as its command, every event recorded at
    /// `recorded` (default now).
    ///
    /// Errors: the first refused row's error (its code and family), with
    /// `file`, `row` and `column`; `invalid_type`, `invalid_value` for
    /// rows that cannot be read.
    #[napi(
        factory,
        ts_args_type = "rows: BookRows | Array<BookRows>, recorded?: string"
    )]
    pub fn from_book_rows(
        env: Env,
        this: This<'_>,
        rows: Unknown<'_>,
        recorded: Option<Unknown<'_>>,
    ) -> napi::Result<Self> {
        guard(&env, || {
            conv::factory(&env, &this, "Ledger", "fromBookRows")?;
            let book = self::rows(&env, rows)?;
            let recorded: Option<Timestamp> = match recorded {
                Some(r) => de::from_js(&env, r, "recorded", "an RFC 3339 string")?,
                None => None,
            };
            let at = recorded.map_or_else(conv::now, |t| t.0);
            let ledger = book.ledger(at)?;
            Ok(Ledger::wrap(&env, ledger))
        })
    }

    /// The ledger's invoices as seen through `view` (not voided, not
    /// drafts), a row per line, as CSV in the layout of QuickBooks Online's
    /// invoice import or Xero's sales invoice template.
    ///
    /// Errors: `invalid_value` (a layout or date format that is not one),
    /// `invalid_type`.
    #[napi(ts_args_type = "options: ExportAccountingOptions, view?: View")]
    pub fn export_invoices(
        &self,
        env: Env,
        options: Unknown<'_>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<String> {
        guard(&env, || {
            let o: ExportAccountingOptions =
                de::options(&env, options, "options", "ExportAccountingOptions")?;
            let view: View = Ledger::view(&env, view)?;
            let (layout, options) = export_options(o);
            let csv = systems::export_invoices(&*self.core()?, &view, layout, &options)?;
            Ok(text(csv)?)
        })
    }

    /// The ledger's receipts as seen through `view`, as CSV in the
    /// QuickBooks or Xero payments layout: a row per invoice each was
    /// applied to, and one for what is left unapplied.
    ///
    /// Errors: as `exportInvoices`.
    #[napi(ts_args_type = "options: ExportAccountingOptions, view?: View")]
    pub fn export_payments(
        &self,
        env: Env,
        options: Unknown<'_>,
        view: Option<Unknown<'_>>,
    ) -> napi::Result<String> {
        guard(&env, || {
            let o: ExportAccountingOptions =
                de::options(&env, options, "options", "ExportAccountingOptions")?;
            let view: View = Ledger::view(&env, view)?;
            let (layout, options) = export_options(o);
            let csv = systems::export_payments(&*self.core()?, &view, layout, &options)?;
            Ok(text(csv)?)
        })
    }
}
