//! Small kinds the whole crate speaks of: where money comes from, what an
//! open item is, what state an invoice is in.

use serde::{Deserialize, Serialize};

use crate::heap::Heap;
use crate::id::{CreditMemoId, ReceiptId};

/// Where applied or refunded money comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A receipt's unapplied cash.
    Receipt(ReceiptId),
    /// A credit memo's open credit.
    CreditMemo(CreditMemoId),
}

impl Source {
    /// The id as text.
    pub fn id(&self) -> &str {
        match self {
            Source::Receipt(id) => id.as_str(),
            Source::CreditMemo(id) => id.as_str(),
        }
    }

    /// `"receipt"` or `"credit_memo"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Receipt(_) => "receipt",
            Source::CreditMemo(_) => "credit_memo",
        }
    }
}

/// Status of an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    /// Saved, not yet receivable.
    Draft,
    /// Nothing settled.
    Open,
    /// Settled in part.
    PartiallyPaid,
    /// Fully settled by payments, credits and discounts.
    Paid,
    /// Voided.
    Void,
    /// Fully settled with part or all of it written off.
    WrittenOff,
}

impl InvoiceStatus {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Open => "open",
            InvoiceStatus::PartiallyPaid => "partially_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Void => "void",
            InvoiceStatus::WrittenOff => "written_off",
        }
    }
}

/// Kind of an open item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenItemKind {
    /// An invoice (or one installment of it): owed to us.
    Invoice,
    /// An open credit memo: owed to the customer.
    CreditMemo,
    /// Unapplied cash: received, not yet matched to invoices.
    UnappliedCash,
}

impl OpenItemKind {
    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            OpenItemKind::Invoice => "invoice",
            OpenItemKind::CreditMemo => "credit_memo",
            OpenItemKind::UnappliedCash => "unapplied_cash",
        }
    }
}

impl Heap for Source {
    fn heap(&self) -> usize {
        match self {
            Source::Receipt(id) => id.heap(),
            Source::CreditMemo(id) => id.heap(),
        }
    }
}
