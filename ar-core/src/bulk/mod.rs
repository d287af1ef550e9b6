//! Books given directly as columns, as a notebook holds them in DataFrames:
//! invoices with their totals, the settlements applied to them, and open
//! credits and unapplied cash as they stand. Aging and metrics are computed
//! by the same column engine as the ledger's, without building a ledger and
//! without an object per row.
//!
//! # Example
//! ```
//! use ar_core::bulk::{Book, InvoiceColumns, SettlementColumns};
//! use ar_core::{AgingOptions, Currency};
//! use rust_decimal::Decimal;
//! let day = |s: &str| s.parse().unwrap();
//! let usd = Currency::new("USD").unwrap();
//! let book = Book {
//!     invoices: InvoiceColumns {
//!         id: ["I1", "I2"].into_iter().collect(),
//!         customer: ["A", "B"].into_iter().collect(),
//!         currency: vec![usd, usd],
//!         date: vec![day("2026-05-01"), day("2026-06-01")],
//!         due_date: vec![day("2026-05-31"), day("2026-07-01")],
//!         amount: vec![Decimal::new(10000, 2), Decimal::new(5000, 2)],
//!         dimensions: vec![],
//!     },
//!     settlements: SettlementColumns {
//!         invoice: ["I1"].into_iter().collect(),
//!         date: vec![day("2026-06-10")],
//!         amount: vec![Decimal::new(4000, 2)],
//!         kind: vec![],
//!     },
//!     ..Book::default()
//! };
//! let book = book.prepare().unwrap();
//! let aging = book.aging(&AgingOptions::new(day("2026-06-30"))).unwrap();
//! // I1: 60.00 open, 30 days past due; I2: 50.00, not yet due.
//! assert_eq!(aging.totals[0].buckets[1].to_string(), "60.00");
//! assert_eq!(aging.totals[0].buckets[0].to_string(), "50.00");
//! ```

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::heap::{self, Heap};
use crate::report::columns::Columns;
pub use crate::text::StrColumn;

mod prepare;
mod report;

/// What a settlement is. Only payments count for days-to-pay metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettlementKind {
    /// Cash applied.
    #[default]
    Payment,
    /// A credit memo applied.
    Credit,
    /// An early-payment discount granted.
    Discount,
    /// An amount written off.
    WriteOff,
}

/// Invoices, one row each: id, customer, currency, dates and total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceColumns {
    /// Unique ids.
    pub id: StrColumn,
    /// Customer ids.
    pub customer: StrColumn,
    /// Currencies.
    pub currency: Vec<Currency>,
    /// Invoice dates.
    pub date: Vec<NaiveDate>,
    /// Due dates.
    pub due_date: Vec<NaiveDate>,
    /// Totals, greater than zero, at most the currency's decimals.
    pub amount: Vec<Decimal>,
    /// Invoice dimensions: a name and one value per invoice.
    pub dimensions: Vec<(String, StrColumn)>,
}

/// Amounts settled on invoices, one row each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettlementColumns {
    /// Invoice ids.
    pub invoice: StrColumn,
    /// Dates, on or after the invoice date.
    pub date: Vec<NaiveDate>,
    /// Amounts, greater than zero, in the invoice's currency.
    pub amount: Vec<Decimal>,
    /// Kinds; empty means every row is a payment.
    pub kind: Vec<SettlementKind>,
}

/// Open credits or unapplied cash as they stand, one row each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenColumns {
    /// Ids (credit memo or receipt).
    pub id: StrColumn,
    /// Customer ids; empty for an unidentified payer.
    pub customer: StrColumn,
    /// Currencies.
    pub currency: Vec<Currency>,
    /// Dates.
    pub date: Vec<NaiveDate>,
    /// Open amounts, greater than zero.
    pub amount: Vec<Decimal>,
}

/// Customers, one row each: an id and its dimensions (region, sales rep,
/// ...), for grouping by `customer.<name>`. Optional: a customer missing
/// from it has no dimensions (`""` in a group).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerColumns {
    /// Unique customer ids, as the other tables name them.
    pub id: StrColumn,
    /// Customer dimensions: a name and one value per customer (`""` for none).
    pub dimensions: Vec<(String, StrColumn)>,
}

/// A book given as columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Book {
    /// Invoices.
    pub invoices: InvoiceColumns,
    /// Settlements on them.
    pub settlements: SettlementColumns,
    /// Open credit memos.
    pub open_credits: OpenColumns,
    /// Unapplied cash.
    pub unapplied_cash: OpenColumns,
    /// Customers with their dimensions.
    pub customers: CustomerColumns,
}

/// A validated book, ready for any number of reports.
#[derive(Debug, Clone)]
pub struct PreparedBook {
    book: Book,
    cols: Columns,
    /// Customer ids by index: rows of the invoice or open tables.
    customers: Vec<(u8, u32)>,
    /// Row of each customer (by index) in the customers table, `u32::MAX`
    /// for one not listed there.
    customer_rows: Vec<u32>,
}

impl Heap for (String, StrColumn) {
    fn heap(&self) -> usize {
        heap::sum([self.0.capacity(), self.1.heap()])
    }
}

impl Heap for InvoiceColumns {
    fn heap(&self) -> usize {
        let InvoiceColumns {
            id,
            customer,
            currency,
            date,
            due_date,
            amount,
            dimensions,
        } = self;
        heap::sum([
            id.heap(),
            customer.heap(),
            heap::vec(currency),
            heap::vec(date),
            heap::vec(due_date),
            heap::vec(amount),
            heap::deep(dimensions),
        ])
    }
}

impl Heap for SettlementColumns {
    fn heap(&self) -> usize {
        let SettlementColumns {
            invoice,
            date,
            amount,
            kind,
        } = self;
        heap::sum([
            invoice.heap(),
            heap::vec(date),
            heap::vec(amount),
            heap::vec(kind),
        ])
    }
}

impl Heap for OpenColumns {
    fn heap(&self) -> usize {
        let OpenColumns {
            id,
            customer,
            currency,
            date,
            amount,
        } = self;
        heap::sum([
            id.heap(),
            customer.heap(),
            heap::vec(currency),
            heap::vec(date),
            heap::vec(amount),
        ])
    }
}

impl Heap for Book {
    fn heap(&self) -> usize {
        let Book {
            invoices,
            settlements,
            open_credits,
            unapplied_cash,
            customers,
        } = self;
        heap::sum([
            invoices.heap(),
            settlements.heap(),
            open_credits.heap(),
            unapplied_cash.heap(),
            customers.id.heap(),
            heap::deep(&customers.dimensions),
        ])
    }
}

#[cfg(test)]
mod tests;
