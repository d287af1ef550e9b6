//! Node.js bindings for `ar-core`, built with napi-rs.
//!
//! A thin layer: one wrapper module per core module, conversions and error
//! mapping only. Every rule, figure and error comes from `ar-core`.
//!
//! - `read`: every argument read from JS, once and strictly (plain
//!   objects, arrays, text), into Rust values;
//! - `conv`: decimal strings, dates, timestamps, currencies and enum names;
//! - `errors`: the one place where errors and panics become JS errors
//!   (`ArError`, its codes and families);
//! - `money`, `terms`, `invoice`: the free functions;
//! - `ledger`: the `Ledger` class and its command options;
//! - `views`: what queries return;
//! - `statement`, `forecast`: statements of account and the cash forecast
//!   (`Ledger.statement`, `Ledger.forecast`, ...), each in its own
//!   `#[napi] impl Ledger` block;
//! - `aging`, `metrics`, `provision`: the reports (`Ledger.aging`,
//!   `Ledger.metrics`, `Ledger.rollRates`, each in its own `#[napi] impl
//!   Ledger` block) and the metric and provision functions;
//! - `matching`: cash application, `matchReceipts`, the `Matcher` class,
//!   `parseRemittance`, `creditorReference`, and the ledger's side
//!   (`Ledger.matchReceipts`, `Ledger.applyMatch`, ...) in its own
//!   `#[napi] impl Ledger` block;
//! - `book`: the `Book` class, a book given as tables (records or columns),
//!   aged and measured by `ar_core::bulk`;
//! - `import`: the tables of `Ledger.fromTables`, a book's history;
//! - `tables`: reading tables given as records or columns, for `book` and
//!   `import`;
//! - `task`: the Promise-returning variants' work on libuv's thread pool
//!   (`agingAsync`, `Ledger.fromTablesAsync`, ...);
//! - `memory`: the native memory each `Ledger` and `Book` tells V8 it
//!   holds, and takes back when collected;
//! - `js`: the raw Node-API reads `tables` and `read` are built on, the
//!   clearing of an exception a failed conversion left pending (`errors`),
//!   and the guard on the receiver of every class method (a method called
//!   on a copy of an object is a typed error); the one module with
//!   `unsafe` code.
//!
//! `napi build` generates `index.js` (the platform loader) and `index.d.ts`
//! (TypeScript declarations, from the doc comments here) from the `#[napi]`
//! items in this crate.

// napi registers the exported items only outside `cfg(test)`; in the unit
// test build they are unreferenced.
#![cfg_attr(test, allow(dead_code))]

mod accounting;
mod aging;
mod bank;
mod book;
mod collections;
mod conv;
mod credit_control;
mod de;
mod discounts;
mod echo;
mod errors;
mod forecast;
mod formats;
mod import;
mod invoice;
mod js;
mod ledger;
mod matching;
mod memory;
mod metrics;
mod money;
mod out;
mod partial;
mod provision;
mod read;
mod statement;
mod systems;
mod tables;
mod task;
mod terms;
mod views;
mod worklist;

use ar_core::limits;
use napi::bindgen_prelude::Object;
use napi::Env;
use napi_derive::napi;

/// Runs once the module's exports are defined (per environment: the main
/// thread and each worker): defines the `ArError` class every error is an
/// instance of (`js::define_error_class`), makes every method of every
/// exported class give a typed error when called on something that is not
/// a live instance (see `js::guard_receivers`), and keeps the panics a
/// call catches off stderr (`errors::quiet_caught_panics`).
#[napi(module_exports)]
pub fn init(exports: Object<'_>, env: Env) -> napi::Result<()> {
    errors::quiet_caught_panics();
    js::define_error_class(&env, &exports)?;
    js::guard_receivers(&env, &exports)
}

/// The limits on every count and size a caller controls, as the core
/// defines them (`ar_core::limits`); one past a limit is `limit_exceeded`
/// naming the field. Values to read: changing them changes nothing.
#[napi(object, object_from_js = false)]
pub struct Limits {
    /// Bytes of an id (customer, invoice, receipt, credit memo, ...).
    pub max_id_len: u32,
    /// Bytes of free text: names, descriptions, reasons, remittance,
    /// references, purchase-order numbers.
    pub max_text_len: u32,
    /// Bytes of a tax code, or of a dimension's key or value.
    pub max_key_len: u32,
    /// Dimensions of a customer or an invoice; keys of a `groupBy`.
    pub max_dimensions: u32,
    /// Lines of an invoice or of a credit memo.
    pub max_lines: u32,
    /// Taxes on one invoice line.
    pub max_taxes_per_line: u32,
    /// Installments of one set of payment terms.
    pub max_installments: u32,
    /// Bucket bounds of an aging.
    pub max_buckets: u32,
    /// Periods of a metrics report (period ends of `rollRates`), and months
    /// a countback DSO may look back (`countbackMonths`).
    pub max_periods: u32,
    /// Weights of one `allocate`.
    pub max_weights: u32,
}

/// A limit as a JS number: every limit is far below `u32::MAX`.
const fn limit(value: usize) -> u32 {
    if value > u32::MAX as usize {
        u32::MAX
    } else {
        value as u32
    }
}

/// The core's limits (see `Limits`).
#[napi]
pub const LIMITS: Limits = Limits {
    max_id_len: limit(ar_core::MAX_ID_LEN),
    max_text_len: limit(limits::MAX_TEXT_LEN),
    max_key_len: limit(limits::MAX_KEY_LEN),
    max_dimensions: limit(limits::MAX_DIMENSIONS),
    max_lines: limit(limits::MAX_LINES),
    max_taxes_per_line: limit(limits::MAX_TAXES_PER_LINE),
    max_installments: limit(limits::MAX_INSTALLMENTS),
    max_buckets: limit(limits::MAX_BUCKETS),
    max_periods: limit(limits::MAX_PERIODS),
    max_weights: limit(limits::MAX_WEIGHTS),
};

/// The version of the `ar` native addon (the crate version).
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[cfg(test)]
mod tests {
    use super::version;

    #[test]
    fn limits_are_the_cores() {
        let l = super::LIMITS;
        assert_eq!(l.max_id_len, 128);
        assert_eq!(l.max_text_len, 65_536);
        assert_eq!(l.max_key_len, 256);
        assert_eq!(l.max_dimensions, 64);
        assert_eq!(l.max_lines, 10_000);
        assert_eq!(l.max_taxes_per_line, 16);
        assert_eq!(l.max_installments, 366);
        assert_eq!(l.max_buckets, 64);
        assert_eq!(l.max_periods, 1_200);
        assert_eq!(l.max_weights, 1_000_000);
    }

    #[test]
    fn version_is_crate_version() {
        assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    }
}
