//! How much heap memory a ledger or a book holds, estimated from what it
//! has reserved: for the bindings to tell their garbage collector, which
//! otherwise sees only a handle of a few bytes in front of gigabytes.
//!
//! Each container counts its capacity times its element's size, plus what
//! its elements own; a document shared between the log and the state is
//! counted once, in the log. What the allocator adds per allocation is not
//! counted.

use std::collections::BTreeMap;
use std::mem::size_of;

use smallvec::SmallVec;

use crate::credit_memo::{CreditKind, CreditMemo};
use crate::customer::Customer;
use crate::invoice::Invoice;
use crate::ledger::{Event, EventEnvelope};
use crate::receipt::Receipt;

/// Heap bytes owned beyond the value's own `size_of`.
pub(crate) trait Heap {
    /// The estimate.
    fn heap(&self) -> usize;
}

/// The sum of `parts`, saturating: an estimate has no use for a wrapped
/// count.
pub(crate) fn sum<const N: usize>(parts: [usize; N]) -> usize {
    parts.into_iter().fold(0, usize::saturating_add)
}

/// The buffer of `v`, shallow.
#[allow(clippy::ptr_arg)] // the capacity is the point
pub(crate) fn vec<T>(v: &Vec<T>) -> usize {
    v.capacity().saturating_mul(size_of::<T>())
}

/// The buffer of `v` and what each element owns.
#[allow(clippy::ptr_arg)]
pub(crate) fn deep<T: Heap>(v: &Vec<T>) -> usize {
    v.iter().map(Heap::heap).fold(vec(v), usize::saturating_add)
}

/// The buffer of `v` if it has left its inline room.
pub(crate) fn small<A: smallvec::Array>(v: &SmallVec<A>) -> usize {
    if v.spilled() {
        v.capacity().saturating_mul(size_of::<A::Item>())
    } else {
        0
    }
}

/// What an `Arc<T>` points to: two counts and the value.
pub(crate) fn arc<T: Heap>(value: &T) -> usize {
    sum([
        size_of::<usize>(),
        size_of::<usize>(),
        size_of::<T>(),
        value.heap(),
    ])
}

/// Keys and values per node of a `BTreeMap` (its `B` is 6: up to 11).
const MAP_NODE_ENTRIES: usize = 11;

/// A map of text: its nodes (leaf-sized, most maps having one) and texts.
fn map(m: &BTreeMap<String, String>) -> usize {
    // Keys and values, and a parent link and a length of sorts per node.
    const NODE: usize = (MAP_NODE_ENTRIES * 2 * size_of::<String>()) + (2 * size_of::<usize>());
    let nodes = m.len().div_ceil(MAP_NODE_ENTRIES);
    m.iter()
        .map(|(k, v)| k.capacity().saturating_add(v.capacity()))
        .fold(nodes.saturating_mul(NODE), usize::saturating_add)
}

impl Heap for String {
    fn heap(&self) -> usize {
        self.capacity()
    }
}

impl<T: Heap> Heap for Option<T> {
    fn heap(&self) -> usize {
        self.as_ref().map_or(0, Heap::heap)
    }
}

impl Heap for crate::terms::PaymentTerms {
    fn heap(&self) -> usize {
        match self {
            crate::terms::PaymentTerms::Installments { installments } => vec(installments),
            _ => 0,
        }
    }
}

impl Heap for Customer {
    fn heap(&self) -> usize {
        sum([
            self.id.heap(),
            self.name.capacity(),
            map(&self.dimensions),
            self.terms.heap(),
        ])
    }
}

impl Heap for crate::invoice::InvoiceLine {
    fn heap(&self) -> usize {
        sum([self.description.capacity(), deep(&self.taxes)])
    }
}

impl Heap for crate::invoice::Tax {
    fn heap(&self) -> usize {
        self.code.capacity()
    }
}

impl Heap for crate::invoice::TaxTotal {
    fn heap(&self) -> usize {
        self.code.capacity()
    }
}

impl Heap for Invoice {
    fn heap(&self) -> usize {
        sum([
            self.id.heap(),
            self.customer.heap(),
            deep(&self.lines),
            self.terms.heap(),
            vec(&self.totals.lines),
            deep(&self.totals.taxes),
            vec(&self.installments),
            self.po_number.heap(),
            map(&self.dimensions),
        ])
    }
}

impl Heap for Receipt {
    fn heap(&self) -> usize {
        sum([
            self.id.heap(),
            self.customer.heap(),
            self.reference.heap(),
            self.remittance.capacity(),
        ])
    }
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

impl Heap for Event {
    fn heap(&self) -> usize {
        match self {
            Event::CustomerRegistered { customer } | Event::CustomerUpdated { customer } => {
                arc(customer.as_ref())
            }
            Event::InvoiceIssued { invoice } => arc(invoice.as_ref()),
            Event::ReceiptRecorded { receipt } => arc(receipt.as_ref()),
            Event::CreditMemoIssued { credit_memo } => arc(credit_memo.as_ref()),
            Event::InvoiceFinalized { invoice } => invoice.heap(),
            Event::InvoiceVoided { invoice, reason }
            | Event::DisputeSet {
                invoice, reason, ..
            } => sum([invoice.heap(), reason.capacity()]),
            Event::PayerAssigned { receipt, customer } => sum([receipt.heap(), customer.heap()]),
            Event::ReceiptVoided { receipt, reason } => sum([receipt.heap(), reason.capacity()]),
            Event::CreditMemoVoided {
                credit_memo,
                reason,
            } => sum([credit_memo.heap(), reason.capacity()]),
            Event::Applied {
                application,
                source,
                invoice,
                allocations,
            } => sum([
                application.heap(),
                source.heap(),
                invoice.heap(),
                vec(allocations),
            ]),
            Event::Unapplied {
                application,
                reason,
            } => sum([application.heap(), reason.capacity()]),
            Event::WrittenOff {
                write_off,
                invoice,
                allocations,
                reason,
            } => sum([
                write_off.heap(),
                invoice.heap(),
                vec(allocations),
                reason.capacity(),
            ]),
            Event::WriteOffReversed { write_off, reason } => {
                sum([write_off.heap(), reason.capacity()])
            }
            Event::Refunded {
                refund,
                source,
                reason,
                ..
            } => sum([refund.heap(), source.heap(), reason.capacity()]),
        }
    }
}

impl Heap for crate::ledger::Source {
    fn heap(&self) -> usize {
        match self {
            crate::ledger::Source::Receipt(id) => id.heap(),
            crate::ledger::Source::CreditMemo(id) => id.heap(),
        }
    }
}

impl Heap for EventEnvelope {
    fn heap(&self) -> usize {
        sum([
            self.idempotency_key.heap(),
            self.command_fingerprint.heap(),
            self.event.heap(),
        ])
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn map_counts_a_node_per_eleven_entries_and_the_texts() {
        let mut m = BTreeMap::new();
        assert_eq!(map(&m), 0);
        m.insert("region".to_owned(), "West".to_owned());
        let node = 11 * 2 * size_of::<String>() + 2 * size_of::<usize>();
        // "region" (6) + "West" (4) = 10 bytes of text.
        assert_eq!(map(&m), node + 10);
        for i in 0..11 {
            // Capacity counts, not length: `format!` may reserve more.
            let mut key = format!("k{i:02}");
            key.shrink_to_fit();
            m.insert(key, String::new());
        }
        // 12 entries: two nodes; 10 + 11 keys of 3 bytes.
        assert_eq!(map(&m), 2 * node + 10 + 33);
    }

    #[test]
    fn small_counts_only_a_spilled_buffer() {
        let mut v: SmallVec<[u64; 1]> = SmallVec::new();
        v.push(1);
        assert_eq!(small(&v), 0);
        v.push(2);
        assert_eq!(small(&v), v.capacity() * 8);
    }
}
