//! Credit memos: amounts the seller owes back to a customer.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::heap::{sum, vec, Heap};
use crate::id::{CreditMemoId, CustomerId, InvoiceId};

/// One credited invoice line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CreditLine {
    /// 0-based index of the invoice line.
    pub line: u32,
    /// Quantity credited; the whole remaining quantity when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::serde_decimal::option")]
    pub quantity: Option<Decimal>,
}

/// What a credit memo credits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CreditKind {
    /// A stated amount (tax included), against an invoice or standalone.
    Amount {
        /// The amount, greater than zero.
        #[serde(with = "crate::serde_decimal")]
        amount: Decimal,
    },
    /// Whatever of the invoice's total has not been credited yet.
    WholeInvoice,
    /// Some lines of the invoice, at their gross (tax-included) amounts.
    Lines {
        /// The credited lines.
        lines: Vec<CreditLine>,
    },
}

/// An issued credit memo. Whatever it credits, it is an open credit item
/// until applied to invoices or refunded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditMemo {
    /// Unique id.
    pub id: CreditMemoId,
    /// Customer credited.
    pub customer: CustomerId,
    /// Date issued; the memo's effective date.
    pub date: NaiveDate,
    /// Currency.
    pub currency: Currency,
    /// Amount credited (tax included), computed when issued.
    #[serde(with = "crate::serde_decimal")]
    pub amount: Decimal,
    /// Invoice it was issued against, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<InvoiceId>,
    /// What it credits.
    pub kind: CreditKind,
    /// Why it was issued.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

impl Heap for CreditMemo {
    fn heap(&self) -> usize {
        let lines = match &self.kind {
            CreditKind::Lines { lines } => vec(lines),
            _ => 0,
        };
        sum([
            self.id.heap(),
            self.customer.heap(),
            self.against.heap(),
            self.reason.capacity(),
            lines,
        ])
    }
}
