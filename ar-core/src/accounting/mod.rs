//! Accounting: journal entries derived from the log, the trial balance, the
//! receivables control against the open items, and reconciliation with the
//! general ledger a company keeps elsewhere.
//!
//! Nothing here is stored: the journal is a function of the log, the
//! chart-of-accounts mapping ([`PostingRules`]) and, for a book with a
//! functional currency, the exchange rates ([`RateTable`]).

mod balance;
mod close;
mod functional;
mod journal;
mod rates;
mod rules;

pub use balance::MAX_GL_LINES;
pub use balance::{GlLine, ReconcileCause, ReconcileItem, ReconcileRow, TrialBalanceRow};
pub use functional::aging_in_functional;
pub(crate) use functional::metrics_in_functional;
pub use journal::{Journal, JournalEntry, JournalLine, JournalOptions};
pub use rates::{Rate, RateTable, MAX_RATES};
pub use rules::{AccountOverride, PostingRules, Role, MAX_OVERRIDES};

pub(crate) use close::through_close;
pub use close::MAX_CLOSING_RATES;
pub(crate) use journal::derive;
