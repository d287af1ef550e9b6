//! # ar-core
//!
//! An accounts-receivable engine: exact money, payment terms, invoices,
//! receipts, credit memos and an append-only ledger that applies cash and
//! credit to invoices and answers "what is open" as of any business date and
//! as known at any recorded time.
//!
//! The crate is pure: no I/O, no clock, no global state. Amounts are
//! [`rust_decimal::Decimal`], never floats; each is tagged with an ISO 4217
//! [`Currency`] and kept at its minor unit; rounding happens once, by a named
//! [`RoundingPolicy`].
//!
//! Start with [`Ledger`] and [`Command`]; see `DESIGN.md` for why things are
//! the way they are.
//!
//! # Example
//!
//! An invoice of 1,340.63 on 2/10 net 30, paid 1,000.00 five days later:
//!
//! ```
//! use ar_core::*;
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use rust_decimal::Decimal;
//!
//! let usd = Currency::new("USD")?;
//! let acme = CustomerId::new("ACME")?;
//! let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
//! // The core reads no clock: each command says when it is recorded.
//! let at = CommandMeta::at(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
//!
//! let mut ledger = Ledger::new();
//! let terms: PaymentTerms = "2/10 net 30".parse()?;
//! let customer = Customer::new(acme.clone(), "Acme Corp", usd).with_terms(terms);
//! ledger.execute(Command::RegisterCustomer { customer }, &at)?;
//! // 10 x 125.00 with 7.25 % tax: 1,250.00 + 90.63.
//! let line = InvoiceLine::new("Widgets", Decimal::TEN, Decimal::new(12500, 2))
//!     .with_tax("US-CA", Decimal::new(725, 2));
//! let invoice = NewInvoice::new(InvoiceId::new("INV-1")?, acme.clone(), day(1), vec![line]);
//! ledger.execute(Command::IssueInvoice { invoice }, &at)?;
//!
//! let r1 = ReceiptId::new("R-1")?;
//! let receipt = Receipt::new(r1.clone(), day(5), usd, Decimal::new(100000, 2))
//!     .with_customer(acme.clone());
//! ledger.execute(Command::RecordReceipt { receipt }, &at)?;
//! let apply = NewApplication::new(Source::Receipt(r1), InvoiceId::new("INV-1")?, Decimal::new(100000, 2), day(5));
//! ledger.execute(apply.into(), &at)?;
//!
//! assert_eq!(ledger.customer_balance(&acme, &View::all())?[0].invoices.to_string(), "340.63");
//! // As of the 4th nothing had been paid.
//! assert_eq!(ledger.customer_balance(&acme, &View::as_of(day(4)))?[0].invoices.to_string(), "1340.63");
//! # Ok::<(), ar_core::Error>(())
//! ```
#![forbid(unsafe_code)]
// Every operation on amounts and counts is checked: an input near a
// limit is an `overflow` error, never a panic (see DESIGN.md).
#![deny(clippy::arithmetic_side_effects)]

pub mod accounting;
pub mod bulk;
mod cash;
mod collection_records;
pub mod collections;
mod command;
mod credit;
pub mod credit_control;
mod credit_memo;
mod currency;
mod customer;
mod customers;
mod decide;
mod error;
mod event;
pub mod forecast;
mod heap;
mod id;
mod invoice;
mod invoicing;
mod join;
mod kinds;
mod ledger;
pub mod limits;
mod log;
pub mod matching;
pub mod statement;
pub mod worklist;
/// A ledger built from tables: see [`Ledger::from_tables`].
pub mod import {
    pub use crate::ledger::import::*;
}
mod money;
mod par;
mod progress;
mod receipt;
mod report;
pub use report::{aging, metrics, partial, provision};
pub mod serde_decimal;
mod settlement;
mod state;
mod terms;
mod text;
mod view;

pub use aging::{AgeBasis, AgingLine, AgingOptions, AgingReport, AgingRow, Buckets, GroupBy};
pub use collection_records::{
    Charge, ChargeKind, ChargeLine, Dispute, DunningAction, ItemRef, NewCharge, NoticeItem,
    NoticeRecord, PaymentPlan, PlanInstalment, Promise, Resolution,
};
pub use command::{
    ClosePolicy, ClosingRate, Command, CommandMeta, NewApplication, NewInvoice, OpeningInvoice,
};
pub use credit_memo::{CreditKind, CreditLine, CreditMemo};
pub use currency::Currency;
pub use customer::Customer;
pub use error::{shown as shown_value, Error, ErrorFamily, Result, MAX_SHOWN};
pub use event::{Allocation, Event, EventEnvelope};
pub use id::{
    ApplicationId, CreditMemoId, CustomerId, DisputeId, DocumentId, InvoiceId, NoticeId, PlanId,
    PromiseId, ReceiptId, RefundId, WriteOffId, MAX_ID_LEN,
};
pub use invoice::{
    compute_totals, DiscountSplit, Invoice, InvoiceLine, InvoiceTotals, LineDiscount, LineTotals,
    Tax, TaxMode, TaxRounding, TaxTotal,
};
pub use kinds::{InvoiceStatus, OpenItemKind, Source};
pub use ledger::{
    ApplicationView, Balance, InstallmentView, InvoiceView, Ledger, OpenItem, Outcome,
    SnapshotInfo, SourceView, SNAPSHOT_VERSION,
};
pub use log::{ChainHash, LedgerLog, LOG_VERSION};
pub use metrics::{CeiVariant, PaymentTiming, Period};
pub use money::{allocate, check_minor_units, Money, RoundingPolicy};
pub use progress::{Observer, Progress};
pub use receipt::{PaymentMethod, Receipt};
pub use report::{MetricsOptions, MetricsRow};
pub use serde_decimal::parse_decimal;
pub use statement::{
    Statement, StatementEntry, StatementEntryKind, StatementOptions, StatementSection,
};
pub use terms::{
    DiscountBase, DiscountOffer, DueRule, EarlyDiscount, InstallmentTerm, PaymentTerms, Portion,
    ScheduledInstallment,
};
pub use view::View;

// The README's Rust examples compile and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// Re-exported so callers use the same `Decimal` and dates as the crate.
pub use chrono;
/// Re-exported so callers use the same `Decimal` as the crate.
pub use rust_decimal;
