//! The collector's worklist: customers ranked by what a call is worth,
//! with the figures that made each rank, and the customers left off with
//! why.
//!
//! A customer is called about its **chaseable** overdue items: open
//! installments past due that are not disputed, not covered by an open
//! promise to pay, and not on a current payment plan, of a customer not on
//! a collections hold. Its score is
//!
//! ```text
//! weighted overdue x (1 + share paid late) x (1 + broken promises / 2)
//! ```
//!
//! where the weighted overdue is each chaseable item's open amount times
//! `1 + days past due / 30` (a month-old item counts twice), the share
//! paid late is the share of the customer's past payments (by amount) made
//! after their due dates, and broken promises are capped at four. Scores
//! are rounded to cents and compared within a currency; rows are ordered
//! by score, highest first, then by customer. A customer with nothing
//! chaseable is never ranked: it is listed as excluded with its reasons.
//!
//! Built by [`crate::Ledger::worklist`].

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::id::CustomerId;

/// Which customers a worklist covers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorklistOptions {
    /// As of this business date.
    pub as_of: NaiveDate,
    /// As the books were known at this time (all, when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_at: Option<DateTime<Utc>>,
    /// Only items in this currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Only customers whose dimension (a collector, a region) has this
    /// value: `(key, value)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<(String, String)>,
}

impl WorklistOptions {
    /// Every customer and currency, as of `as_of`, as known now.
    pub fn new(as_of: NaiveDate) -> Self {
        WorklistOptions {
            as_of,
            ..WorklistOptions::default()
        }
    }
}

/// A customer worth a call, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WorklistRow {
    /// Its place, from 1.
    pub rank: u64,
    /// The customer.
    pub customer: CustomerId,
    /// Its name.
    pub name: String,
    /// The currency of the items.
    pub currency: Currency,
    /// The score the rank follows.
    #[serde(with = "crate::serde_decimal")]
    pub score: Decimal,
    /// Open amount of the chaseable overdue items.
    #[serde(with = "crate::serde_decimal")]
    pub overdue: Decimal,
    /// The same, each item weighted by its age.
    #[serde(with = "crate::serde_decimal")]
    pub weighted_overdue: Decimal,
    /// How many chaseable overdue items.
    pub items: u64,
    /// Days past due of the oldest.
    pub oldest_days: i64,
    /// Share of the customer's past payments made late (0 to 1, to four
    /// places).
    #[serde(with = "crate::serde_decimal")]
    pub late_share: Decimal,
    /// Amount-weighted days its past payments came after their due dates
    /// (negative: early), to one place.
    #[serde(with = "crate::serde_decimal")]
    pub days_beyond_terms: Decimal,
    /// Promises to pay it broke.
    pub broken_promises: u64,
    /// Payment plans it broke by a missed instalment.
    pub broken_plans: u64,
    /// What it owes in the currency (open invoices less cash and credits).
    #[serde(with = "crate::serde_decimal")]
    pub exposure: Decimal,
    /// The figures above in a sentence a collector reads.
    pub explanation: String,
    /// The customer is on credit hold (no new credit; collection goes on).
    #[serde(default)]
    pub credit_hold: bool,
}

/// Why a customer with something open is not on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Nothing past due.
    NothingOverdue,
    /// What is overdue is disputed.
    Disputed,
    /// What is overdue is under an open promise to pay.
    Promised,
    /// What is overdue is on a current payment plan.
    OnPlan,
    /// The customer is on a collections hold.
    OnHold,
}

/// A customer left off the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WorklistExcluded {
    /// The customer.
    pub customer: CustomerId,
    /// The currency.
    pub currency: Currency,
    /// Why (every reason that applies to its overdue items).
    pub reasons: Vec<Exclusion>,
}

/// The worklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Worklist {
    /// Its date.
    pub as_of: NaiveDate,
    /// Customers to call, best first.
    pub rows: Vec<WorklistRow>,
    /// Customers with something open left off, and why.
    pub excluded: Vec<WorklistExcluded>,
}
