//! The state the event log folds into: one timeline of amounts per document.

mod collections;
mod table;

pub(crate) use collections::{
    Charged, CollectionsState, DisputeState, Hold, NoticeState, PlanState, PromiseState, Resolved,
};

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use smallvec::SmallVec;

use crate::credit_memo::CreditMemo;
use crate::customer::Customer;
use crate::error::{Error, Result};
use crate::event::Allocation;
use crate::heap::{self, Heap};
use crate::id::{
    ApplicationId, CreditMemoId, CustomerId, InvoiceId, ReceiptId, RefundId, WriteOffId,
};
use crate::invoice::Invoice;
use crate::kinds::Source;
use crate::money::{neg, OrOverflow};
use crate::receipt::Receipt;
use crate::report::columns::{self, Columns};
use crate::view::{Cut, Stamp};
use table::Table;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeltaKind {
    Payment,
    Credit,
    Discount,
    WriteOff,
    Refund,
    Opening,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Delta {
    pub at: Stamp,
    pub amount: Decimal,
    pub kind: DeltaKind,
}

/// An amount that changes over business time: an installment's open
/// amount, a receipt's unapplied cash, a memo's open credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Timeline {
    pub base: Decimal,
    /// Most installments change once (one payment): that change is kept
    /// inline, not in an allocation of its own a lookup must follow.
    pub deltas: SmallVec<[Delta; 1]>,
}

impl Timeline {
    pub fn new(base: Decimal) -> Self {
        Timeline {
            base,
            deltas: SmallVec::new(),
        }
    }

    /// Balance as seen through `cut` (the document itself being visible).
    ///
    /// Sums saturate rather than fail: the ledger refuses any command that
    /// would take the magnitude of its amounts together past what a decimal
    /// holds, so no sum of them can reach the bound.
    pub fn at(&self, cut: Cut) -> Decimal {
        self.deltas
            .iter()
            .filter(|d| cut.sees(d.at))
            .fold(self.base, |s, d| s.saturating_add(d.amount))
    }

    /// Net of the deltas of one kind seen through `cut` (negative: reduced).
    pub fn sum_kind(&self, cut: Cut, kind: DeltaKind) -> Decimal {
        self.deltas
            .iter()
            .filter(|d| d.kind == kind && cut.sees(d.at))
            .fold(Decimal::ZERO, |s, d| s.saturating_add(d.amount))
    }

    /// What can still be taken at `date` without the balance going negative
    /// on `date` or any later date, as the log stands now.
    pub fn available_from(&self, date: NaiveDate) -> Decimal {
        // Bounded as in `at`.
        let mut balance = self
            .deltas
            .iter()
            .filter(|d| d.at.eff <= date)
            .fold(self.base, |s, d| s.saturating_add(d.amount));
        let mut later: Vec<&Delta> = self.deltas.iter().filter(|d| d.at.eff > date).collect();
        later.sort_by_key(|d| d.at.eff);
        let mut min = balance;
        let mut i = 0;
        while let Some(first) = later.get(i) {
            let day = first.at.eff;
            while let Some(d) = later.get(i).filter(|d| d.at.eff == day) {
                balance = balance.saturating_add(d.amount);
                i = i.saturating_add(1);
            }
            min = min.min(balance);
        }
        min
    }

    pub fn push(&mut self, at: Stamp, amount: Decimal, kind: DeltaKind) {
        self.deltas.push(Delta { at, amount, kind });
    }
}

/// A change to whether an invoice is disputed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DisputeMark {
    /// `set_dispute`: the flag on or off.
    Flag(bool),
    /// A dispute record on the invoice was opened.
    Opened,
    /// One was resolved.
    Resolved,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InvoiceState {
    pub invoice: Arc<Invoice>,
    pub issued: Stamp,
    pub finalized: Option<Stamp>,
    pub voided: Option<Stamp>,
    /// The dispute flag's changes and the openings and resolutions of
    /// dispute records, in log order.
    pub disputes: Vec<(Stamp, DisputeMark)>,
    /// One timeline per installment; one (the usual case) inline.
    pub installments: SmallVec<[Timeline; 1]>,
    /// Total of credit memos issued against the invoice.
    pub credited: Decimal,
    /// Quantity credited per line; empty until a line is credited, as most
    /// invoices never are and one allocation per invoice adds up.
    pub credited_qty: Vec<Decimal>,
    /// Latest effective date of any event touching the invoice.
    pub last_eff: NaiveDate,
    /// Position in the invoice table and columns.
    pub index: u32,
    /// Column index of the first installment.
    pub first_inst: u32,
    /// Applications and write-offs on the invoice not reversed: voiding
    /// needs none, and counting them keeps that check from reading every
    /// application of the book.
    pub settled_by: u32,
}

impl InvoiceState {
    /// Whether the invoice is disputed as seen through `cut`: the flag set
    /// last in business time (then in the log), so that an entry dated
    /// earlier but recorded later takes its place among the others.
    ///
    /// A dispute record open through `cut` makes it disputed too, whatever
    /// the flag: a resolution is dated on or after its opening and recorded
    /// after it, so a cut that sees a resolution sees its opening.
    pub fn disputed(&self, cut: Cut) -> bool {
        let flag = self
            .disputes
            .iter()
            .filter(|(s, m)| matches!(m, DisputeMark::Flag(_)) && cut.sees(*s))
            .max_by_key(|(s, _)| (s.eff, s.seq))
            .is_some_and(|(_, m)| *m == DisputeMark::Flag(true));
        flag || {
            let (opened, resolved) = self.disputes.iter().filter(|(s, _)| cut.sees(*s)).fold(
                (0usize, 0usize),
                |(o, r), (_, m)| match m {
                    DisputeMark::Opened => (o.saturating_add(1), r),
                    DisputeMark::Resolved => (o, r.saturating_add(1)),
                    DisputeMark::Flag(_) => (o, r),
                },
            );
            opened > resolved
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SourceDoc {
    Receipt(Arc<Receipt>),
    CreditMemo(Arc<CreditMemo>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceState {
    pub doc: SourceDoc,
    pub created: Stamp,
    pub payer: Option<(Stamp, CustomerId)>,
    pub voided: Option<Stamp>,
    pub timeline: Timeline,
    pub last_eff: NaiveDate,
    /// Index in the source columns.
    pub col: u32,
    /// Applications from the source not reversed, and refunds of it:
    /// voiding needs none (counted, as `InvoiceState::settled_by`).
    pub used_by: u32,
}

impl SourceState {
    pub fn customer(&self, cut: Cut) -> Option<&CustomerId> {
        match &self.doc {
            SourceDoc::CreditMemo(m) => Some(&m.customer),
            SourceDoc::Receipt(r) => r.customer.as_ref().or_else(|| {
                self.payer
                    .as_ref()
                    .filter(|(s, _)| cut.sees(*s))
                    .map(|(_, c)| c)
            }),
        }
    }

    pub fn currency(&self) -> crate::Currency {
        match &self.doc {
            SourceDoc::Receipt(r) => r.currency,
            SourceDoc::CreditMemo(m) => m.currency,
        }
    }

    pub fn amount(&self) -> Decimal {
        self.timeline.base
    }

    pub fn date(&self) -> NaiveDate {
        match &self.doc {
            SourceDoc::Receipt(r) => r.date,
            SourceDoc::CreditMemo(m) => m.date,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApplicationState {
    pub id: ApplicationId,
    pub source: Source,
    pub invoice: InvoiceId,
    /// Usually one: inline, not an allocation of its own.
    pub allocations: SmallVec<[Allocation; 1]>,
    pub at: Stamp,
    pub reversed: Option<Stamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WriteOffState {
    pub id: WriteOffId,
    pub target: WrittenOff,
    pub reason: String,
    pub at: Stamp,
    pub reversed: Option<Stamp>,
}

/// What a write-off took off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WrittenOff {
    /// An invoice's installments (usually one: inline, not an allocation
    /// of its own).
    Invoice(InvoiceId, SmallVec<[Allocation; 1]>),
    /// A receipt's unapplied cash or a credit memo's open credit.
    Source(Source, Decimal),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RefundState {
    pub source: Source,
    pub amount: Decimal,
    pub at: Stamp,
}

/// Everything the fold maintains.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct State {
    pub customers: Table<CustomerId, Arc<Customer>>,
    pub invoices: Table<InvoiceId, InvoiceState>,
    pub receipts: Table<ReceiptId, SourceState>,
    pub credit_memos: Table<CreditMemoId, SourceState>,
    pub applications: Table<ApplicationId, ApplicationState>,
    pub write_offs: Table<WriteOffId, WriteOffState>,
    pub refunds: Table<RefundId, RefundState>,
    pub cols: Columns,
    /// Where each customer (by row) was registered in the log: a view as
    /// known at an earlier time does not know it yet.
    pub customer_seq: Vec<u64>,
    /// Earlier versions of updated customers, by row: each with the place
    /// in the log from which it held, oldest first. The current version
    /// (in `customers`) holds from `customer_since`.
    pub customer_past: std::collections::HashMap<usize, Vec<(u64, Arc<Customer>)>>,
    /// Where the current version of each customer (by row) was recorded.
    pub customer_since: Vec<u64>,
    /// Notices, disputes, promises, plans, holds and charges.
    pub collections: CollectionsState,
    /// The last day of the closed periods, and what a command dated in
    /// them gets.
    pub closed: Option<(NaiveDate, crate::command::ClosePolicy)>,
}

/// `n` one up for a posting (`sign` positive), one down for its reversal.
pub(crate) fn count(n: u32, sign: Decimal) -> u32 {
    if sign.is_sign_positive() {
        n.saturating_add(1)
    } else {
        n.saturating_sub(1)
    }
}

pub(crate) fn idx(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A record created twice in a log.
pub(crate) fn dup(kind: &str, id: &str) -> Error {
    Error::corrupt(format!("{kind} {id:?} is created twice"))
}

pub(crate) fn missing(kind: &str, id: &str) -> Error {
    Error::corrupt(format!("event refers to unknown {kind} {id:?}"))
}

impl Heap for Timeline {
    fn heap(&self) -> usize {
        heap::small(&self.deltas)
    }
}

/// Bytes added up; a count of bytes held cannot pass `usize`, but the
/// estimate never wraps if it somehow did.
fn sum(parts: impl IntoIterator<Item = usize>) -> usize {
    parts.into_iter().fold(0, usize::saturating_add)
}

impl Heap for InvoiceState {
    /// The invoice itself is counted in the log, which holds it too.
    fn heap(&self) -> usize {
        let timelines = self.installments.iter().map(Heap::heap);
        sum([
            self.invoice.id.heap(),
            heap::small(&self.installments),
            heap::vec(&self.disputes),
            heap::vec(&self.credited_qty),
        ]
        .into_iter()
        .chain(timelines))
    }
}

impl Heap for SourceState {
    /// The document itself is counted in the log, which holds it too.
    fn heap(&self) -> usize {
        sum([
            self.payer.as_ref().map_or(0, |(_, c)| c.heap()),
            self.timeline.heap(),
        ])
    }
}

impl Heap for ApplicationState {
    fn heap(&self) -> usize {
        sum([
            self.id.heap(),
            self.source.heap(),
            self.invoice.heap(),
            heap::small(&self.allocations),
        ])
    }
}

impl Heap for WriteOffState {
    fn heap(&self) -> usize {
        let target = match &self.target {
            WrittenOff::Invoice(invoice, allocations) => {
                sum([invoice.heap(), heap::small(allocations)])
            }
            WrittenOff::Source(source, _) => source.heap(),
        };
        sum([self.id.heap(), target, self.reason.capacity()])
    }
}

impl Heap for RefundState {
    fn heap(&self) -> usize {
        self.source.heap()
    }
}

impl Heap for Arc<Customer> {
    /// Counted in the log, which holds the customer too.
    fn heap(&self) -> usize {
        0
    }
}

impl Heap for State {
    fn heap(&self) -> usize {
        let State {
            customers,
            invoices,
            receipts,
            credit_memos,
            applications,
            write_offs,
            refunds,
            cols,
            customer_seq,
            customer_past,
            customer_since,
            collections,
            closed: _,
        } = self;
        let past = customer_past
            .values()
            .map(heap::vec)
            .fold(0, usize::saturating_add);
        [
            customers.heap(),
            invoices.heap(),
            receipts.heap(),
            credit_memos.heap(),
            applications.heap(),
            write_offs.heap(),
            refunds.heap(),
            cols.heap(),
            heap::vec(customer_seq),
            heap::vec(customer_since),
            collections.heap(),
            past,
            customer_past
                .capacity()
                .saturating_mul(size_of::<(usize, Vec<(u64, Arc<Customer>)>)>().saturating_add(1)),
        ]
        .into_iter()
        .fold(0, usize::saturating_add)
    }
}

impl State {
    /// Room for a bulk load of this many records (one installment per
    /// invoice, one allocation per application), so that the tables and
    /// columns are not regrown, and copied, as it goes.
    pub fn reserve(
        &mut self,
        customers: usize,
        invoices: usize,
        sources: [usize; 2],
        applications: usize,
    ) {
        let [receipts, credit_memos] = sources;
        self.customers.reserve(customers);
        self.customer_seq.reserve(customers);
        self.customer_since.reserve(customers);
        self.invoices.reserve(invoices);
        self.receipts.reserve(receipts);
        self.credit_memos.reserve(credit_memos);
        self.applications.reserve(applications);
        self.cols.reserve(
            invoices,
            applications,
            receipts.saturating_add(credit_memos),
        );
    }

    /// The row of `customer`, as the customer columns hold it; `None` for
    /// an unknown customer, which then matches no row of them.
    fn customer_row(&self, customer: &CustomerId) -> Option<u32> {
        (self.customers.index_of(customer)).and_then(|r| u32::try_from(r).ok())
    }

    /// The customer at `row` as the log stood at event `seq`: the version
    /// recorded last by then, or `None` before it was registered.
    pub fn customer_at(&self, row: usize, seq: u64) -> Option<&Arc<Customer>> {
        let current = self.customers.at(row)?;
        if self.customer_since.get(row).is_some_and(|s| *s <= seq) {
            return Some(current);
        }
        self.customer_past
            .get(&row)?
            .iter()
            .rev()
            .find(|(since, _)| *since <= seq)
            .map(|(_, c)| c)
    }

    /// The customers known at event `seq`, each as it then stood, in
    /// registration order.
    pub fn customers_at(&self, seq: u64) -> impl Iterator<Item = &Arc<Customer>> {
        (0..self.customers.len()).filter_map(move |row| self.customer_at(row, seq))
    }

    /// The invoices of `customer`, in the order issued, found in the column
    /// of invoice customers (4 bytes an invoice) rather than by reading
    /// every invoice's record; none for an unknown customer.
    pub fn invoices_of(&self, customer: &CustomerId) -> impl Iterator<Item = &InvoiceState> {
        let row = self.customer_row(customer);
        (self.cols.inv_customer.iter().enumerate())
            .filter(move |(_, c)| Some(**c) == row)
            .filter_map(|(i, _)| self.invoices.at(i))
    }

    /// The credit memos, then the receipts, of `customer` (or whose payer
    /// it was assigned as, at any time: a view still checks when), each in
    /// the order recorded, with `true` for a receipt; found in the column
    /// of source customers (4 bytes a source) rather than by reading every
    /// source's record. None for an unknown customer.
    pub fn sources_of(&self, customer: &CustomerId) -> impl Iterator<Item = (&SourceState, bool)> {
        let row = self.customer_row(customer);
        let cols = &self.cols;
        let of = move |cash: bool| {
            (cols
                .src_customer
                .iter()
                .zip(&cols.src_is_cash)
                .zip(&cols.src_row))
            .filter(move |((c, is_cash), _)| Some(**c) == row && **is_cash == cash)
            .filter_map(move |(_, r)| {
                let source = if cash {
                    self.receipts.at(*r as usize)
                } else {
                    self.credit_memos.at(*r as usize)
                };
                source.map(|s| (s, cash))
            })
        };
        of(false).chain(of(true))
    }

    pub fn source(&self, s: &Source) -> Option<&SourceState> {
        match s {
            Source::Receipt(id) => self.receipts.get(id),
            Source::CreditMemo(id) => self.credit_memos.get(id),
        }
    }

    pub(crate) fn source_mut(&mut self, s: &Source) -> Result<&mut SourceState> {
        match s {
            Source::Receipt(id) => self.receipts.get_mut(id),
            Source::CreditMemo(id) => self.credit_memos.get_mut(id),
        }
        .ok_or_else(|| missing(s.kind(), s.id()))
    }

    pub(crate) fn push_source(
        &mut self,
        cash: bool,
        customer: Option<usize>,
        currency: crate::Currency,
        amount: Decimal,
        at: Stamp,
        against: Option<usize>,
    ) -> u32 {
        let row = if cash {
            self.receipts.len()
        } else {
            self.credit_memos.len()
        };
        self.cols.push_source(
            cash,
            customer.map(idx),
            currency,
            columns::stamp(at),
            columns::minor(amount, currency),
            against.map_or(u32::MAX, idx),
            idx(row),
        )
    }

    pub(crate) fn invoice_mut(&mut self, id: &InvoiceId) -> Result<&mut InvoiceState> {
        self.invoices
            .get_mut(id)
            .ok_or_else(|| missing("invoice", id.as_str()))
    }

    /// Moves amounts on an invoice's installments (and optionally a source)
    /// by `sign` x the allocations. Every reference is checked before
    /// anything changes, so a corrupt event leaves the state as it was.
    pub(crate) fn post(
        &mut self,
        invoice: &InvoiceId,
        source: Option<&Source>,
        allocations: &[Allocation],
        at: Stamp,
        sign: Decimal,
        kind: DeltaKind,
    ) -> Result<()> {
        let inv_row = self
            .invoices
            .index_of(invoice)
            .ok_or_else(|| missing("invoice", invoice.as_str()))?;
        let inv = self
            .invoices
            .at(inv_row)
            .ok_or_else(|| missing("invoice", invoice.as_str()))?;
        let slot = |n: u32| usize::try_from(n).ok().and_then(|n| n.checked_sub(1));
        if let Some(a) = allocations
            .iter()
            .find(|a| slot(a.installment).is_none_or(|i| i >= inv.installments.len()))
        {
            return Err(Error::corrupt(format!(
                "invoice {invoice} has no installment {}",
                a.installment
            )));
        }
        if let Some(s) = source {
            if self.source(s).is_none() {
                return Err(missing(s.kind(), s.id()));
            }
        }
        // Every sum is made before anything changes, so an amount that
        // cannot be held leaves the state as it was.
        let signed = |x: Decimal| if sign.is_sign_positive() { neg(x) } else { x };
        let mut total = Decimal::ZERO;
        let mut moves: SmallVec<[(usize, Decimal, Decimal, Decimal); 1]> = SmallVec::new();
        for a in allocations {
            let both = a
                .amount
                .checked_add(a.discount)
                .or_overflow("allocations")?;
            total = total.checked_add(a.amount).or_overflow("allocations")?;
            if let Some(i) = slot(a.installment) {
                moves.push((i, a.amount, a.discount, both));
            }
        }
        let app_index = idx(self.applications.len());
        let inv = self
            .invoices
            .at_mut(inv_row)
            .ok_or_else(|| missing("invoice", invoice.as_str()))?;
        inv.last_eff = inv.last_eff.max(at.eff);
        inv.settled_by = count(inv.settled_by, sign);
        let currency = inv.invoice.currency;
        let first = inv.first_inst;
        let cols = &mut self.cols;
        let col_at = columns::stamp(at);
        for (i, amount, discount, both) in moves {
            if let Some(t) = inv.installments.get_mut(i) {
                t.push(at, signed(amount), kind);
                if !discount.is_zero() {
                    t.push(at, signed(discount), DeltaKind::Discount);
                }
                let inst = first.saturating_add(idx(i));
                cols.change(inst, col_at, columns::minor(signed(both), currency));
                if kind == DeltaKind::Payment && sign.is_sign_positive() {
                    cols.payment(inst, col_at, columns::minor(amount, currency), app_index);
                }
            }
        }
        if let Some(s) = source {
            let src = self.source_mut(s)?;
            src.last_eff = src.last_eff.max(at.eff);
            src.used_by = count(src.used_by, sign);
            src.timeline.push(at, signed(total), kind);
            let col = src.col;
            self.cols
                .source_change(col, col_at, columns::minor(signed(total), currency));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn stamp(d: &str, seq: u64) -> Stamp {
        Stamp {
            eff: d.parse().unwrap(),
            seq,
        }
    }

    #[test]
    fn available_from_looks_ahead() {
        // 100 open; 60 taken on the 10th; 50 back on the 20th; 80 taken on the 25th.
        let mut t = Timeline::new(Decimal::new(100, 0));
        t.push(
            stamp("2026-01-10", 2),
            Decimal::new(-60, 0),
            DeltaKind::Payment,
        );
        t.push(
            stamp("2026-01-20", 3),
            Decimal::new(50, 0),
            DeltaKind::Payment,
        );
        t.push(
            stamp("2026-01-25", 4),
            Decimal::new(-80, 0),
            DeltaKind::Payment,
        );
        // Balances: 100 until the 9th, 40 from the 10th, 90 from the 20th, 10 from the 25th.
        assert_eq!(
            t.available_from("2026-01-01".parse().unwrap()),
            Decimal::new(10, 0)
        );
        assert_eq!(
            t.available_from("2026-01-26".parse().unwrap()),
            Decimal::new(10, 0)
        );
        let cut = Cut {
            date: "2026-01-15".parse().unwrap(),
            seq: u64::MAX,
        };
        assert_eq!(t.at(cut), Decimal::new(40, 0));
        let known = Cut {
            date: NaiveDate::MAX,
            seq: 2,
        };
        assert_eq!(t.at(known), Decimal::new(40, 0));
    }
}
