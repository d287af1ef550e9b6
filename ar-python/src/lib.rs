//! Python bindings for `ar-core`, compiled into the native module `ar._ar`.
//!
//! The pure-Python package `ar` (see `python/ar/__init__.py`) re-exports
//! everything public from here; type stubs live in `python/ar/_ar.pyi`.
//!
//! The binding is thin: one wrapper module per core module, conversions
//! ([`conv`]) and error mapping ([`errors`]) only. Every rule, figure and
//! error comes from `ar-core`.

use pyo3::prelude::*;

/// The module's own allocations (not Python's) come from mimalloc, as
/// polars' do. A book at a million invoices allocates a few hundred MB; the
/// system allocator hands most of it back to the OS when the book is
/// dropped, so the next book pays a page fault for every 4 KiB again (a
/// third of its time). mimalloc keeps freed memory for reuse a while.
/// Built without transparent huge pages (`no_thp`): asking for them made
/// the first book in a process twice as slow, while the kernel compacted
/// memory to find them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod accounting;
mod aging;
mod arrow;
mod bank;
mod bulk;
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
mod ledger;
mod limits;
mod matching;
mod metrics;
mod money;
mod partial;
mod progress;
mod provision;
mod record;
mod records;
mod statement;
mod terms;
mod views;
mod worklist;

/// Return the version of the `ar` native extension (the crate version).
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Native core of the `ar` package (accounts receivable), implemented in Rust.
#[pymodule]
mod _ar {
    #[pymodule_export]
    use super::version;

    #[pymodule_export]
    use crate::money::{allocate, minor_units, round_amount};

    #[pymodule_export]
    use crate::terms::{schedule, DiscountOffer, Installment, ScheduledInstallment, Terms};

    #[pymodule_export]
    use crate::invoice::{compute_totals, InvoiceTotals, Line, LineTotals, TaxTotal};

    #[pymodule_export]
    use crate::views::{
        Allocation, Application, Balance, InstallmentView, InvoiceView, OpenItem, SourceView,
    };

    #[pymodule_export]
    use crate::ledger::{Event, Ledger, Outcome, SnapshotInfo};

    #[pymodule_export]
    use crate::aging::{AgingLine, AgingReport, AgingRow};

    #[pymodule_export]
    use crate::metrics::{MetricsRow, PaymentTiming};

    #[pymodule_export]
    use crate::bulk::Book;

    #[pymodule_export]
    use crate::partial::{aging_finish, metrics_finish};

    #[pymodule_export]
    use crate::matching::{
        creditor_reference, match_receipts, parse_remittance, MatchBatch, Matcher, Proposal,
        ProposedApplication, Reason, ReceiptMatch, Reference, Remittance, SummaryRow,
    };

    #[pymodule_export]
    use crate::collections::{
        discount_cost, discount_cost_of_terms, format_amount, interest_rule, late_interest,
        render_notice,
    };

    #[pymodule_export]
    use crate::provision::{allowance_adjustment, loss_rates, provision, roll_rates};

    #[pymodule_export]
    use crate::bank::{
        parse_bai2, parse_bank_file, parse_camt, parse_mt940, parse_nacha, parse_x12_820,
    };

    #[pymodule_export]
    use crate::formats::{
        accounting_profile, import_accounting, open_items_to_csv, open_items_to_xlsx,
    };

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        crate::errors::register(m)?;
        m.add("metrics", crate::metrics::submodule(m.py())?)?;
        m.add("limits", crate::limits::submodule(m.py())?)?;
        // For the binding's own tests; kept out of `__all__`.
        m.setattr(
            "_layer_echo",
            wrap_pyfunction!(crate::echo::_layer_echo, m)?,
        )?;
        // `Journal.to_csv()` calls it; the record is its public face.
        m.setattr(
            "_journal_to_csv",
            wrap_pyfunction!(crate::accounting::journal_to_csv, m)?,
        )?;
        // The records' `to_xlsx` and `to_csv` call these; kept out of `__all__`.
        m.setattr(
            "_journal_to_xlsx",
            wrap_pyfunction!(crate::formats::journal_to_xlsx, m)?,
        )?;
        m.setattr(
            "_reconciliation_to_csv",
            wrap_pyfunction!(crate::formats::reconciliation_to_csv, m)?,
        )?;
        m.setattr(
            "_reconciliation_to_xlsx",
            wrap_pyfunction!(crate::formats::reconciliation_to_xlsx, m)?,
        )?;
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}

#[cfg(test)]
mod tests {
    use super::version;

    #[test]
    fn version_is_crate_version() {
        assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    }
}
