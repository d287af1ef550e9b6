//! Credit management: a customer's credit limit (a field of the customer,
//! versioned as every customer update is), credit holds placed and lifted
//! by events, and the credit check an order desk asks before selling more.
//!
//! A check answers allow, warn or block with every reason that applies:
//! over the limit (by how much), near it, items past due beyond the
//! policy's days, broken promises to pay, a credit hold. Exposure is what
//! the customer owes in its own currency (open invoices less unapplied
//! cash and open credits) plus the orders not yet invoiced that the caller
//! passes in, plus the amount asked for.
//!
//! Built by [`crate::Ledger::credit_check`].

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smallvec::smallvec;

use crate::currency::Currency;
use crate::decide::{Decided, Decider};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::id::CustomerId;
use crate::state::{idx, missing, State};
use crate::view::{Cut, Stamp};

/// What a check concludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditOutcome {
    /// Nothing stands in the way.
    Allow,
    /// Sell, but look: a reason to watch.
    Warn,
    /// Do not sell without a decision.
    Block,
}

/// What a reason weighs, when the policy lets it choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditAction {
    /// A warning.
    Warn,
    /// A block.
    #[default]
    Block,
}

impl CreditAction {
    pub(crate) fn outcome(self) -> CreditOutcome {
        match self {
            CreditAction::Warn => CreditOutcome::Warn,
            CreditAction::Block => CreditOutcome::Block,
        }
    }
}

/// The rules of a credit check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditPolicy {
    /// Warn from this share of the limit, in percent (90 by default).
    #[serde(default = "default_warn", with = "crate::serde_decimal")]
    pub warn_at_percent: Decimal,
    /// Items past due by more than this many days count (30 by default).
    #[serde(default = "default_days")]
    pub past_due_days: u32,
    /// What such items weigh (a block by default).
    #[serde(default)]
    pub past_due: CreditAction,
    /// What a broken promise to pay weighs (a warning by default).
    #[serde(default = "warn")]
    pub broken_promise: CreditAction,
}

fn default_warn() -> Decimal {
    Decimal::from(90)
}
fn default_days() -> u32 {
    30
}
fn warn() -> CreditAction {
    CreditAction::Warn
}

impl Default for CreditPolicy {
    fn default() -> Self {
        CreditPolicy {
            warn_at_percent: default_warn(),
            past_due_days: default_days(),
            past_due: CreditAction::Block,
            broken_promise: CreditAction::Warn,
        }
    }
}

/// Why a check warns or blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CreditReason {
    /// The exposure would exceed the limit.
    OverLimit {
        /// The limit.
        #[serde(with = "crate::serde_decimal")]
        limit: Decimal,
        /// The exposure with the amount asked for.
        #[serde(with = "crate::serde_decimal")]
        exposure: Decimal,
        /// By how much.
        #[serde(with = "crate::serde_decimal")]
        over_by: Decimal,
    },
    /// The exposure would reach the policy's share of the limit.
    NearLimit {
        /// The limit.
        #[serde(with = "crate::serde_decimal")]
        limit: Decimal,
        /// The exposure with the amount asked for.
        #[serde(with = "crate::serde_decimal")]
        exposure: Decimal,
    },
    /// Items past due by more than the policy's days.
    PastDue {
        /// The policy's days.
        days: u32,
        /// How many items.
        items: u64,
        /// Their open amount.
        #[serde(with = "crate::serde_decimal")]
        amount: Decimal,
        /// Days past due of the oldest.
        oldest_days: i64,
    },
    /// Promises to pay broken by the date.
    BrokenPromises {
        /// How many.
        count: u64,
    },
    /// The customer is on credit hold.
    OnHold {
        /// Since when.
        since: NaiveDate,
        /// Why.
        reason: String,
        /// Who placed it.
        by: String,
    },
}

/// The answer of a credit check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreditCheck {
    /// The customer.
    pub customer: CustomerId,
    /// Its currency: the limit's and the exposure's.
    pub currency: Currency,
    /// The credit limit, when the customer has one.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::serde_decimal::option"
    )]
    pub limit: Option<Decimal>,
    /// What the customer owes in its currency, before the orders and the
    /// amount.
    #[serde(with = "crate::serde_decimal")]
    pub owed: Decimal,
    /// Owed, plus the orders not yet invoiced, plus the amount asked for.
    #[serde(with = "crate::serde_decimal")]
    pub exposure: Decimal,
    /// The conclusion: the weightiest of the reasons, or allow.
    pub outcome: CreditOutcome,
    /// Every reason that applies, weightiest first.
    pub reasons: Vec<CreditFinding>,
}

/// What a credit check is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditCheckOptions {
    /// As of this business date.
    pub as_of: NaiveDate,
    /// As the books were known at this time (all, when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Orders accepted and not yet invoiced, in the customer's currency.
    #[serde(default, with = "crate::serde_decimal")]
    pub orders: Decimal,
    /// The rules.
    #[serde(default)]
    pub policy: CreditPolicy,
}

impl CreditCheckOptions {
    /// A check as of `as_of`, as known now, no open orders, the default
    /// policy.
    pub fn new(as_of: NaiveDate) -> Self {
        CreditCheckOptions {
            as_of,
            known_at: None,
            orders: Decimal::ZERO,
            policy: CreditPolicy::default(),
        }
    }
}

/// A reason and what it weighs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreditFinding {
    /// Warn or block.
    pub outcome: CreditOutcome,
    /// Why.
    pub reason: CreditReason,
}

/// A credit hold placed or lifted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CreditHold {
    pub at: Stamp,
    pub hold: bool,
    pub reason: String,
    pub by: String,
}

impl Decider<'_> {
    pub(crate) fn set_credit_hold(
        &self,
        customer: CustomerId,
        hold: bool,
        date: NaiveDate,
        reason: String,
        by: String,
    ) -> Result<Decided> {
        self.customer("customer", &customer)?;
        if reason.trim().is_empty() {
            return Err(Error::invalid_value(
                "reason",
                &reason,
                "a credit hold placed or lifted needs a reason",
            ));
        }
        Ok(smallvec![(
            date,
            Event::CreditHoldSet {
                customer,
                hold,
                reason,
                by,
            },
        )])
    }
}

impl State {
    /// Folds `credit_hold_set`.
    pub(crate) fn fold_credit_hold_set(
        &mut self,
        at: Stamp,
        customer: &CustomerId,
        hold: bool,
        reason: &str,
        by: &str,
    ) -> Result<()> {
        let row = self
            .customers
            .index_of(customer)
            .ok_or_else(|| missing("customer", customer.as_str()))?;
        self.credit_holds
            .entry(idx(row))
            .or_default()
            .push(CreditHold {
                at,
                hold,
                reason: reason.to_owned(),
                by: by.to_owned(),
            });
        Ok(())
    }

    /// The customers on credit hold that `cut` sees, by id in order: what
    /// reports flag.
    pub(crate) fn credit_held(&self, cut: Cut) -> Vec<String> {
        let mut held: Vec<String> = self
            .credit_holds
            .keys()
            .filter(|row| self.credit_hold(**row as usize, cut).is_some())
            .filter_map(|row| self.customers.key_at(*row as usize))
            .map(|c| c.as_str().to_owned())
            .collect();
        held.sort_unstable();
        held
    }

    /// The credit hold of the customer at `row` that `cut` sees, if on.
    pub(crate) fn credit_hold(&self, row: usize, cut: Cut) -> Option<&CreditHold> {
        cut.latest(self.credit_holds.get(&idx(row))?, |h| h.at)
            .filter(|h| h.hold)
    }
}
