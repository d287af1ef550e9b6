//! The column report engine and the reports it runs: aging, metrics and
//! provisions, over a ledger's columns or a book given as columns.

pub mod aging;
pub(crate) mod columns;
pub(crate) mod engine;
pub mod metrics;
pub mod partial;
pub mod provision;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::aging::GroupBy;
use crate::currency::Currency;
use crate::metrics::{CeiVariant, PaymentTiming, Period};

/// Metrics of one group in one currency for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricsRow {
    /// Values of the group-by keys (empty for the whole book).
    pub group: Vec<String>,
    /// Currency.
    pub currency: Currency,
    /// The period.
    pub period: Period,
    /// Days in the period.
    pub days: u32,
    /// Open invoices at the end of the day before the period.
    #[serde(with = "crate::serde_decimal")]
    pub ar_begin: Decimal,
    /// Open invoices at the end of the period.
    #[serde(with = "crate::serde_decimal")]
    pub ar_end: Decimal,
    /// Part of `ar_end` not yet past due (due on or after the period end).
    #[serde(with = "crate::serde_decimal")]
    pub current_end: Decimal,
    /// Invoices dated in the period (finalized, not void at the period end).
    #[serde(with = "crate::serde_decimal")]
    pub credit_sales: Decimal,
    /// [`metrics::dso_period_end`](crate::metrics::dso_period_end).
    #[serde(with = "crate::serde_decimal::option")]
    pub dso_period_end: Option<Decimal>,
    /// [`metrics::dso_average`](crate::metrics::dso_average).
    #[serde(with = "crate::serde_decimal::option")]
    pub dso_average: Option<Decimal>,
    /// [`metrics::dso_countback`](crate::metrics::dso_countback) over calendar months back from the period end.
    #[serde(with = "crate::serde_decimal::option")]
    pub dso_countback: Option<Decimal>,
    /// [`metrics::best_possible_dso`](crate::metrics::best_possible_dso).
    #[serde(with = "crate::serde_decimal::option")]
    pub best_possible_dso: Option<Decimal>,
    /// Period-end DSO less best possible DSO.
    #[serde(with = "crate::serde_decimal::option")]
    pub average_days_delinquent: Option<Decimal>,
    /// [`metrics::cei`](crate::metrics::cei) with the options' variant.
    #[serde(with = "crate::serde_decimal::option")]
    pub cei: Option<Decimal>,
    /// [`metrics::ar_turnover`](crate::metrics::ar_turnover).
    #[serde(with = "crate::serde_decimal::option")]
    pub ar_turnover: Option<Decimal>,
    /// [`metrics::percent_current`](crate::metrics::percent_current) at the period end.
    #[serde(with = "crate::serde_decimal::option")]
    pub percent_current: Option<Decimal>,
    /// [`metrics::percent_past_due`](crate::metrics::percent_past_due) at the period end.
    #[serde(with = "crate::serde_decimal::option")]
    pub percent_past_due: Option<Decimal>,
    /// Days to pay and beyond terms over receipts applied in the period.
    pub timing: PaymentTiming,
}

/// What metrics to compute and over what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsOptions {
    /// The period.
    pub period: Period,
    /// Only events recorded by this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_at: Option<DateTime<Utc>>,
    /// Group-by keys; empty for the whole book. At most
    /// [`crate::limits::MAX_DIMENSIONS`].
    #[serde(default)]
    pub group_by: Vec<GroupBy>,
    /// Which credit sales CEI uses.
    #[serde(default)]
    pub cei: CeiVariant,
    /// Calendar months the countback DSO may look back (default 12), at
    /// most [`crate::limits::MAX_PERIODS`].
    #[serde(default = "default_countback")]
    pub countback_months: u32,
}

fn default_countback() -> u32 {
    12
}

impl MetricsOptions {
    /// Whole-book metrics for `period`.
    pub fn new(period: Period) -> Self {
        MetricsOptions {
            period,
            known_at: None,
            group_by: Vec::new(),
            cei: CeiVariant::default(),
            countback_months: 12,
        }
    }
}
