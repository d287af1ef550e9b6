//! What the matcher finds and says: how a set of items fits the amount,
//! how a reference led to an item, and the reasons it gives.

use super::types::{Reason, ReasonCode};

/// A reason with its code and message.
pub(super) fn reason(code: ReasonCode, message: impl Into<String>) -> Reason {
    Reason {
        code,
        message: message.into(),
    }
}

/// How a set of items fits the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fit {
    /// The amount is what the items have open.
    Exact,
    /// The amount is what they have open less discounts still in window.
    Discount,
    /// Less discounts whose window has passed: a deduction stays open.
    LateDiscount,
    /// Less every discount, some still in their window (granted) and some
    /// past it (deductions that stay open): a pay run over invoices of
    /// different dates.
    MixedDiscount,
    /// Short by this much, within the tolerance: written off.
    Tolerated(i64),
    /// Over by this much: left unapplied.
    Over(i64),
    /// Short by this much, beyond the tolerance: left open.
    Short(i64),
}

impl Fit {
    /// Index into the score tables: exact, discount, late, tolerated.
    pub(super) fn tier(self) -> Option<usize> {
        match self {
            Fit::Exact => Some(0),
            Fit::Discount => Some(1),
            Fit::LateDiscount | Fit::MixedDiscount => Some(2),
            Fit::Tolerated(_) => Some(3),
            Fit::Over(_) | Fit::Short(_) => None,
        }
    }
}

/// How a reference led to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum How {
    Number,
    Creditor,
    Po,
    Fuzzy,
    Truncated,
    /// A purchase-order or check number that is also an invoice's number:
    /// used only when nothing else is referred to, and never automatically.
    Weak,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub item: u32,
    pub how: How,
    pub reference: usize,
}
