//! The collections records the log folds into: notices sent, disputes,
//! promises, plans, holds and what charge notes charged, each indexed by
//! the installments and customers a dunning run asks about.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use smallvec::SmallVec;

use crate::collection_records::{
    ChargeKind, Dispute, NoticeRecord, PaymentPlan, Promise, Resolution,
};
use crate::currency::Currency;
use crate::heap::{self, Heap};
use crate::id::{DisputeId, NoticeId, PlanId, PromiseId};
use crate::view::Stamp;

use super::table::Table;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NoticeState {
    pub notice: Arc<NoticeRecord>,
    pub at: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub at: Stamp,
    pub resolution: Resolution,
    pub by: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DisputeState {
    pub dispute: Arc<Dispute>,
    /// Row of the invoice disputed.
    pub invoice: u32,
    pub opened: Stamp,
    pub resolved: Option<Resolved>,
}

impl DisputeState {
    /// Open as seen through `cut`.
    pub fn open_in(&self, cut: crate::view::Cut) -> bool {
        cut.sees(self.opened) && !self.resolved.as_ref().is_some_and(|r| cut.sees(r.at))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PromiseState {
    pub promise: Arc<Promise>,
    pub at: Stamp,
    pub currency: Currency,
    /// Installment columns of the items promised.
    pub installments: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlanState {
    pub plan: Arc<PaymentPlan>,
    pub at: Stamp,
    pub currency: Currency,
    /// Installment columns of the items covered.
    pub installments: Vec<u32>,
}

/// A line of a charge note that names an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Charged {
    /// Row of the charge note (an invoice).
    pub note: u32,
    pub kind: ChargeKind,
    pub amount: Decimal,
    pub through: Option<NaiveDate>,
}

/// A collections hold on a customer, or its lifting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hold {
    pub at: Stamp,
    pub hold: bool,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CollectionsState {
    pub notices: Table<NoticeId, NoticeState>,
    pub disputes: Table<DisputeId, DisputeState>,
    pub promises: Table<PromiseId, PromiseState>,
    pub plans: Table<PlanId, PlanState>,
    /// By installment column: the notices that reminded it, with the level.
    pub levels: HashMap<u32, SmallVec<[(u32, u32); 2]>>,
    /// By customer row: the notices sent, in the order recorded.
    pub notices_of: HashMap<u32, Vec<u32>>,
    /// By invoice row: its dispute records.
    pub disputes_of: HashMap<u32, SmallVec<[u32; 1]>>,
    /// By installment column: promises and plans covering it.
    pub promises_of: HashMap<u32, SmallVec<[u32; 1]>>,
    pub plans_of: HashMap<u32, SmallVec<[u32; 1]>>,
    /// By customer row: holds set and lifted.
    pub holds: HashMap<u32, Vec<Hold>>,
    /// By installment column: the lines of charge notes naming it.
    pub charged: HashMap<u32, SmallVec<[Charged; 1]>>,
    /// Rows of the interest and fee notes.
    pub notes: std::collections::HashSet<u32>,
}

impl CollectionsState {
    /// Whether the customer at `row` is on hold through `cut`, and why: the
    /// hold set last in business time (then in the log) wins.
    pub fn hold(&self, row: u32, cut: crate::view::Cut) -> Option<&str> {
        cut.latest(self.holds.get(&row)?, |h| h.at)
            .filter(|h| h.hold)
            .map(|h| h.reason.as_str())
    }
}

impl Heap for NoticeState {
    fn heap(&self) -> usize {
        // Counted in the log, which holds the record too.
        0
    }
}

impl Heap for DisputeState {
    fn heap(&self) -> usize {
        self.resolved
            .as_ref()
            .map_or(0, |r| heap::sum([r.by.capacity(), r.reason.capacity()]))
    }
}

impl Heap for PromiseState {
    fn heap(&self) -> usize {
        heap::vec(&self.installments)
    }
}

impl Heap for PlanState {
    fn heap(&self) -> usize {
        heap::vec(&self.installments)
    }
}

/// Bytes of a hash map's buckets (a control byte beside each) and of what
/// each value owns.
fn hash_map<V>(m: &HashMap<u32, V>, owned: impl Fn(&V) -> usize) -> usize {
    let buckets = m
        .capacity()
        .saturating_mul(size_of::<(u32, V)>().saturating_add(1));
    m.values().map(owned).fold(buckets, usize::saturating_add)
}

impl Heap for CollectionsState {
    fn heap(&self) -> usize {
        let CollectionsState {
            notices,
            disputes,
            promises,
            plans,
            levels,
            notices_of,
            disputes_of,
            promises_of,
            plans_of,
            holds,
            charged,
            notes,
        } = self;
        [
            notices.heap(),
            disputes.heap(),
            promises.heap(),
            plans.heap(),
            hash_map(levels, heap::small),
            hash_map(notices_of, heap::vec),
            hash_map(disputes_of, heap::small),
            hash_map(promises_of, heap::small),
            hash_map(plans_of, heap::small),
            hash_map(holds, |v| {
                v.iter()
                    .map(|h| h.reason.capacity())
                    .fold(heap::vec(v), usize::saturating_add)
            }),
            hash_map(charged, heap::small),
            notes
                .capacity()
                .saturating_mul(size_of::<u32>().saturating_add(1)),
        ]
        .into_iter()
        .fold(0, usize::saturating_add)
    }
}
