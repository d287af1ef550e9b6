//! Statements of account: `Ledger.statement` and `Ledger.statements`. Every
//! figure comes from `ar_core::statement`.
//!
//! Through the conversion layer: the options are read by `de.rs`, the
//! core's `Statement` written by `out.rs`; the `#[napi(object)]` structs of
//! the results declare their TypeScript interfaces only (the open items and
//! aging are the `AgingLine` and `AgingRow` of `Ledger.aging`).

use ar_core::limits::MAX_BUCKETS;
use ar_core::statement::{MAX_STATEMENT_CUSTOMERS, STATEMENTS_HTML, STATEMENTS_TEXT};
use ar_core::{Buckets, CustomerId, StatementOptions as CoreOptions};
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;
use serde::Deserialize;

use crate::aging::{AgingLine, AgingRow};
use crate::de::{self, Date, Limited, Timestamp};
use crate::errors::guard;
use crate::ledger::{self, Ledger};
use crate::out;
use crate::task;

/// The options of `Ledger.statement` and `Ledger.statements`.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct StatementOptions {
    /// First day of the period, `YYYY-MM-DD`.
    #[napi(ts_type = "string")]
    pub from: Date,
    /// Last day of the period (included), `YYYY-MM-DD`.
    #[napi(ts_type = "string")]
    pub to: Date,
    /// Only events recorded by this time, RFC 3339. Default: everything.
    #[napi(ts_type = "string")]
    pub known_at: Option<Timestamp>,
    /// Bucket bounds in days of the aging summary, as for `aging`; default
    /// `[0, 30, 60, 90, 120]`.
    #[napi(ts_type = "Array<number>")]
    pub buckets: Option<Limited<i64, MAX_BUCKETS>>,
}

impl StatementOptions {
    fn read(env: &Env, value: Unknown<'_>) -> ar_core::Result<CoreOptions> {
        let o: StatementOptions = de::options(env, value, "options", "StatementOptions")?;
        Ok(CoreOptions {
            from: o.from.0,
            to: o.to.0,
            known_at: o.known_at.map(|t| t.0),
            buckets: o.buckets.map(|b| Buckets::new(b.0)).transpose()?,
        })
    }
}

/// One movement on a statement.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::StatementEntry`
pub struct StatementEntry {
    /// Business date, `YYYY-MM-DD`.
    pub date: String,
    /// The event's place in the log.
    pub seq: i64,
    /// What moved.
    #[napi(
        ts_type = "'invoice' | 'interest_note' | 'fee_note' | 'invoice_voided' | 'payment' | 'payment_voided' | 'credit_memo' | 'credit_memo_voided' | 'discount' | 'discount_reversed' | 'write_off' | 'credit_written_off' | 'write_off_reversed' | 'refund'"
    )]
    pub kind: String,
    /// The invoice, receipt or credit memo moved.
    pub document: String,
    /// The invoice a discount was taken on.
    pub reference: Option<String>,
    /// Positive for what the customer owes more (an invoice, a refund),
    /// negative for what they owe less (a payment, a credit, a discount).
    pub amount: String,
    /// The running balance after it.
    pub balance: String,
}

/// A statement's part in one currency.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::StatementSection`
pub struct StatementSection {
    /// ISO 4217 currency code.
    pub currency: String,
    /// The balance brought forward from before the period.
    pub opening: String,
    /// The movements of the period, in date order.
    pub entries: Vec<StatementEntry>,
    /// `opening` plus every entry.
    pub closing: String,
    /// The items open at the period's end.
    pub open_items: Vec<AgingLine>,
    /// Their aging (absent when nothing is open).
    pub aging: Option<AgingRow>,
}

/// A customer's statement of account for a period.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::Statement`
pub struct Statement {
    /// Customer id.
    pub customer: String,
    /// Customer name.
    pub name: String,
    /// First day of the period, `YYYY-MM-DD`.
    pub from: String,
    /// Last day of the period, `YYYY-MM-DD`.
    pub to: String,
    /// Labels of the aging's buckets.
    pub labels: Vec<String>,
    /// One section per currency.
    pub sections: Vec<StatementSection>,
    /// The customer was on credit hold at the end of the period (for the
    /// sender; the bundled templates do not print it).
    pub credit_hold: bool,
}

/// The company a statement is from, as its header shows it.
#[napi(object, object_to_js = false, object_from_js = false)]
#[allow(dead_code)] // declares the interface of `ar_core::statement::Company`
pub struct Company {
    /// Its name.
    pub name: String,
    /// Address lines.
    pub address: Option<Vec<String>>,
}

/// The options of `Ledger.renderStatements`: the period's and these.
#[napi(object, object_to_js = false, object_from_js = false)]
#[derive(Deserialize)]
pub struct RenderOptions {
    /// The company in the header.
    #[napi(ts_type = "Company")]
    pub company: ar_core::statement::Company,
    /// `"html"` (the default: a print stylesheet for A4 and Letter, a page
    /// per customer) or `"text"` (in columns).
    #[napi(ts_type = "'html' | 'text'")]
    pub format: Option<Format>,
    /// A template of the caller's instead of the bundled one (Jinja
    /// syntax; context `company` and `statements`), at most 65,536 bytes.
    pub template: Option<String>,
    /// Whose statements, in this order; default: every customer with
    /// anything to show.
    #[napi(ts_type = "Array<string>")]
    pub customers: Option<Limited<CustomerId, MAX_STATEMENT_CUSTOMERS>>,
}

/// The format of rendered statements.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// HTML.
    Html,
    /// Plain text.
    Text,
}

#[napi]
impl Ledger {
    /// The statement of account of `customer` for the period `from` to `to`
    /// (both included): per currency, the balance brought forward, every
    /// movement with the running balance, the closing balance, the items
    /// open at the end and their aging.
    ///
    /// Errors: `not_found` (a customer unknown as of `to`), `invalid_value`
    /// (a period that ends before it starts, bad buckets), `invalid_date`,
    /// `invalid_type`.
    #[napi(
        ts_args_type = "customer: string, options: StatementOptions",
        ts_return_type = "Statement"
    )]
    pub fn statement<'e>(
        &self,
        env: &'e Env,
        customer: Unknown<'_>,
        options: Unknown<'_>,
    ) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let customer = ledger::string(env, customer, "customer")?;
            let customer = CustomerId::parse_field("customer", customer)?;
            let options = StatementOptions::read(env, options)?;
            let s = self.core()?.statement(&customer, &options)?;
            out::to_js(env, &s, None)
        })
    }

    /// The statements of every customer with anything to show for the
    /// period (a balance brought forward, a movement or an open item), in
    /// customer order.
    ///
    /// Errors: as `statement`, but for `not_found`.
    #[napi(
        ts_args_type = "options: StatementOptions",
        ts_return_type = "Array<Statement>"
    )]
    pub fn statements<'e>(&self, env: &'e Env, options: Unknown<'_>) -> napi::Result<Unknown<'e>> {
        guard(env, || {
            let options = StatementOptions::read(env, options)?;
            let all = self.core()?.statements(&options)?;
            out::to_js(env, &all, None)
        })
    }

    /// The statements of `customers` (default: everyone with anything to
    /// show) for the period, rendered as one document through the core's
    /// template engine: the same bytes as from Rust and Python.
    ///
    /// Errors: as `statement`; `template_error` naming the template and
    /// line; `limit_exceeded` for a template over 65,536 bytes.
    #[napi(ts_args_type = "options: StatementOptions & RenderOptions")]
    pub fn render_statements(&self, env: Env, options: Unknown<'_>) -> napi::Result<String> {
        guard(&env, || {
            let period = StatementOptions::read(&env, options)?;
            let r: RenderOptions = de::options(&env, options, "options", "RenderOptions")?;
            render(&*self.core()?, &period, &r)
        })
    }

    /// `statements` off the JS thread: resolves to the same statements, of
    /// the ledger as it was when called. Rejects with the errors
    /// `statements` throws.
    #[napi(
        ts_args_type = "options: StatementOptions",
        ts_return_type = "Promise<Array<Statement>>"
    )]
    pub fn statements_async<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, Unknown<'e>>> {
        task::promise(env, || {
            let options = StatementOptions::read(env, options)?;
            let ledger = self.snapshot()?;
            Ok((
                move || ledger.statements(&options),
                |env: &'e Env, all: Vec<ar_core::Statement>| out::to_js(env, &all, None),
            ))
        })
    }

    /// `renderStatements` off the JS thread: the statements are made and
    /// rendered on libuv's thread pool; resolves to the same text. Rejects
    /// with the errors `renderStatements` throws.
    #[napi(
        ts_args_type = "options: StatementOptions & RenderOptions",
        ts_return_type = "Promise<string>"
    )]
    pub fn render_statements_async<'e>(
        &self,
        env: &'e Env,
        options: Unknown<'_>,
    ) -> napi::Result<PromiseRaw<'e, String>> {
        task::promise(env, || {
            let period = StatementOptions::read(env, options)?;
            let r: RenderOptions = de::options(env, options, "options", "RenderOptions")?;
            let ledger = self.snapshot()?;
            Ok((
                move || render(&ledger, &period, &r),
                |_: &'e Env, text: String| Ok(text),
            ))
        })
    }
}

/// The statements `r` asks for, rendered through the core's template engine.
fn render(
    ledger: &ar_core::Ledger,
    period: &CoreOptions,
    r: &RenderOptions,
) -> ar_core::Result<String> {
    let all = match &r.customers {
        Some(ids) => ledger.statements_for(&ids.0, period)?,
        None => ledger.statements(period)?,
    };
    let (name, bundled) = match r.format.unwrap_or(Format::Html) {
        Format::Html => ("statements.html", STATEMENTS_HTML),
        Format::Text => ("statements.txt", STATEMENTS_TEXT),
    };
    let template = r.template.as_deref().unwrap_or(bundled);
    ar_core::statement::render_statements(name, template, &all, &r.company)
}
