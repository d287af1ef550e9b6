//! Node.js bindings for `ar-core`, built with napi-rs.
//!
//! A thin layer: one wrapper module per core module, conversions and error
//! mapping only. Every rule, figure and error comes from `ar-core`.
//!
//! - `read`: every argument read from JS, once and strictly (plain
//!   objects, arrays, text), into Rust values;
//! - `conv`: decimal strings, dates, timestamps, currencies and enum names;
//! - `errors`: the one place where errors and panics become JS errors;
//! - `money`, `terms`, `invoice`: the free functions;
//! - `ledger`: the `Ledger` class and its command options;
//! - `views`: what queries return;
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

mod aging;
mod book;
mod conv;
mod errors;
mod import;
mod invoice;
mod js;
mod ledger;
mod matching;
mod memory;
mod metrics;
mod money;
mod provision;
mod read;
mod tables;
mod terms;
mod views;

use napi::bindgen_prelude::Object;
use napi::Env;
use napi_derive::napi;

/// Runs once the module's exports are defined (per environment: the main
/// thread and each worker): makes every method of every exported class
/// give a typed error when called on something that is not a live
/// instance (see `js::guard_receivers`).
#[napi(module_exports)]
pub fn init(exports: Object<'_>, env: Env) -> napi::Result<()> {
    js::guard_receivers(&env, &exports)
}

/// The version of the `ar` native addon (the crate version).
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[cfg(test)]
mod tests {
    use super::version;

    #[test]
    fn version_is_crate_version() {
        assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    }
}
