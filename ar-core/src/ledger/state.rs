//! The state the event log folds into: one timeline of amounts per document.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use smallvec::SmallVec;

use crate::credit_memo::{CreditKind, CreditMemo};
use crate::customer::Customer;
use crate::error::{Error, Result};
use crate::event::{Allocation, Event, EventEnvelope};
use crate::heap::{self, Heap};
use crate::id::{
    ApplicationId, CreditMemoId, CustomerId, InvoiceId, ReceiptId, RefundId, WriteOffId,
};
use crate::invoice::Invoice;
use crate::kinds::Source;
use crate::ledger::table::Table;
use crate::money::{neg, OrOverflow};
use crate::receipt::Receipt;
use crate::report::columns::{self, Columns, NEVER};
use crate::view::{Cut, Stamp};

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InvoiceState {
    pub invoice: Arc<Invoice>,
    pub issued: Stamp,
    pub finalized: Option<Stamp>,
    pub voided: Option<Stamp>,
    pub disputes: Vec<(Stamp, bool)>,
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
    pub fn disputed(&self, cut: Cut) -> bool {
        self.disputes
            .iter()
            .filter(|(s, _)| cut.sees(*s))
            .max_by_key(|(s, _)| (s.eff, s.seq))
            .is_some_and(|(_, d)| *d)
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
    pub invoice: InvoiceId,
    /// Usually one: inline, not an allocation of its own.
    pub allocations: SmallVec<[Allocation; 1]>,
    pub reason: String,
    pub at: Stamp,
    pub reversed: Option<Stamp>,
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
}

/// `n` one up for a posting (`sign` positive), one down for its reversal.
fn count(n: u32, sign: Decimal) -> u32 {
    if sign.is_sign_positive() {
        n.saturating_add(1)
    } else {
        n.saturating_sub(1)
    }
}

fn idx(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn missing(kind: &str, id: &str) -> Error {
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
        sum([
            self.id.heap(),
            self.invoice.heap(),
            heap::small(&self.allocations),
            self.reason.capacity(),
        ])
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

    fn source_mut(&mut self, s: &Source) -> Result<&mut SourceState> {
        match s {
            Source::Receipt(id) => self.receipts.get_mut(id),
            Source::CreditMemo(id) => self.credit_memos.get_mut(id),
        }
        .ok_or_else(|| missing(s.kind(), s.id()))
    }

    fn push_source(
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

    fn invoice_mut(&mut self, id: &InvoiceId) -> Result<&mut InvoiceState> {
        self.invoices
            .get_mut(id)
            .ok_or_else(|| missing("invoice", id.as_str()))
    }

    /// Moves amounts on an invoice's installments (and optionally a source)
    /// by `sign` x the allocations. Every reference is checked before
    /// anything changes, so a corrupt event leaves the state as it was.
    fn post(
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

    /// Folds one event in. Fails only on a log that refers to records it
    /// never created (or creates one twice).
    pub fn apply(&mut self, env: &EventEnvelope) -> Result<()> {
        let at = Stamp {
            eff: env.effective,
            seq: env.seq,
        };
        let dup = |kind: &str, id: &str| Error::corrupt(format!("{kind} {id:?} is created twice"));
        match &env.event {
            Event::CustomerRegistered { customer } => {
                if !self.customers.insert(customer.id.clone(), customer.clone()) {
                    return Err(dup("customer", customer.id.as_str()));
                }
                self.customer_seq.push(at.seq);
                self.customer_since.push(at.seq);
            }
            Event::CustomerUpdated { customer } => {
                let row = self
                    .customers
                    .index_of(&customer.id)
                    .ok_or_else(|| missing("customer", customer.id.as_str()))?;
                let (Some(c), Some(since)) =
                    (self.customers.at_mut(row), self.customer_since.get_mut(row))
                else {
                    return Err(missing("customer", customer.id.as_str()));
                };
                let old = std::mem::replace(c, customer.clone());
                let from = std::mem::replace(since, at.seq);
                self.customer_past.entry(row).or_default().push((from, old));
            }
            Event::InvoiceIssued { invoice } => {
                if self.invoices.contains(&invoice.id) {
                    return Err(dup("invoice", invoice.id.as_str()));
                }
                let customer = self
                    .customers
                    .index_of(&invoice.customer)
                    .ok_or_else(|| missing("customer", invoice.customer.as_str()))?;
                // What an imported invoice no longer has open: a reduction.
                let opening = match invoice.opening_open {
                    Some(open) if open != invoice.totals.total => Some(
                        open.checked_sub(invoice.totals.total)
                            .or_overflow("invoice.open")?,
                    ),
                    _ => None,
                };
                let index = idx(self.invoices.len());
                let first_inst = idx(self.cols.installments());
                let c = &mut self.cols;
                c.push_invoice(
                    idx(customer),
                    invoice.currency,
                    columns::day(invoice.date),
                    columns::minor(invoice.totals.total, invoice.currency),
                    if invoice.draft {
                        NEVER
                    } else {
                        columns::stamp(at)
                    },
                );
                for s in &invoice.installments {
                    c.push_installment(
                        index,
                        columns::day(s.due_date),
                        columns::minor(s.amount, invoice.currency),
                    );
                }
                // An invoice imported with all of its total open changes
                // nothing: no zero change is kept.
                if let Some(reduction) = opening {
                    c.change(
                        first_inst,
                        columns::stamp(at),
                        columns::minor(reduction, invoice.currency),
                    );
                }
                let mut installments: SmallVec<[Timeline; 1]> = invoice
                    .installments
                    .iter()
                    .map(|i| Timeline::new(i.amount))
                    .collect();
                if let (Some(reduction), Some(first)) = (opening, installments.first_mut()) {
                    first.push(at, reduction, DeltaKind::Opening);
                }
                let state = InvoiceState {
                    invoice: invoice.clone(),
                    issued: at,
                    finalized: (!invoice.draft).then_some(at),
                    voided: None,
                    disputes: Vec::new(),
                    installments,
                    credited: Decimal::ZERO,
                    credited_qty: Vec::new(),
                    last_eff: at.eff,
                    index,
                    first_inst,
                    settled_by: 0,
                };
                if !self.invoices.insert(invoice.id.clone(), state) {
                    return Err(dup("invoice", invoice.id.as_str()));
                }
            }
            Event::InvoiceFinalized { invoice } => {
                let inv = self.invoice_mut(invoice)?;
                inv.finalized = Some(at);
                inv.last_eff = inv.last_eff.max(at.eff);
                let i = inv.index;
                self.cols.finalize(i, columns::stamp(at));
            }
            Event::InvoiceVoided { invoice, .. } => {
                let inv = self.invoice_mut(invoice)?;
                inv.voided = Some(at);
                inv.last_eff = inv.last_eff.max(at.eff);
                let i = inv.index;
                self.cols.void_invoice(i, columns::stamp(at));
            }
            Event::DisputeSet {
                invoice, disputed, ..
            } => {
                let inv = self.invoice_mut(invoice)?;
                inv.disputes.push((at, *disputed));
                inv.last_eff = inv.last_eff.max(at.eff);
            }
            Event::ReceiptRecorded { receipt } => {
                if self.receipts.contains(&receipt.id) {
                    return Err(dup("receipt", receipt.id.as_str()));
                }
                let customer = match &receipt.customer {
                    Some(c) => Some(
                        self.customers
                            .index_of(c)
                            .ok_or_else(|| missing("customer", c.as_str()))?,
                    ),
                    None => None,
                };
                let col =
                    self.push_source(true, customer, receipt.currency, receipt.amount, at, None);
                let state = SourceState {
                    doc: SourceDoc::Receipt(receipt.clone()),
                    created: at,
                    payer: None,
                    voided: None,
                    timeline: Timeline::new(receipt.amount),
                    last_eff: at.eff,
                    col,
                    used_by: 0,
                };
                if !self.receipts.insert(receipt.id.clone(), state) {
                    return Err(dup("receipt", receipt.id.as_str()));
                }
            }
            Event::PayerAssigned { receipt, customer } => {
                let r = self
                    .receipts
                    .get_mut(receipt)
                    .ok_or_else(|| missing("receipt", receipt.as_str()))?;
                r.payer = Some((at, customer.clone()));
                r.last_eff = r.last_eff.max(at.eff);
                let col = r.col;
                let c = self
                    .customers
                    .index_of(customer)
                    .ok_or_else(|| missing("customer", customer.as_str()))?;
                self.cols.assign_payer(col, idx(c), columns::stamp(at));
            }
            Event::ReceiptVoided { receipt, .. } => {
                let r = self
                    .receipts
                    .get_mut(receipt)
                    .ok_or_else(|| missing("receipt", receipt.as_str()))?;
                r.voided = Some(at);
                r.last_eff = r.last_eff.max(at.eff);
                self.cols.void_source(r.col, columns::stamp(at));
            }
            Event::CreditMemoIssued { credit_memo } => {
                if self.credit_memos.contains(&credit_memo.id) {
                    return Err(dup("credit memo", credit_memo.id.as_str()));
                }
                if let Some(inv_id) = &credit_memo.against {
                    let inv = self
                        .invoices
                        .get(inv_id)
                        .ok_or_else(|| missing("invoice", inv_id.as_str()))?;
                    if let CreditKind::Lines { lines } = &credit_memo.kind {
                        if let Some(l) = lines.iter().find(|l| {
                            usize::try_from(l.line).map_or(true, |i| i >= inv.invoice.lines.len())
                        }) {
                            return Err(Error::corrupt(format!(
                                "invoice {inv_id} has no line {}",
                                l.line
                            )));
                        }
                    }
                }
                if let Some(inv_id) = &credit_memo.against {
                    let inv = self.invoice_mut(inv_id)?;
                    // Decided events only reach the fold: credits stay
                    // within the invoice's total, quantities within its lines.
                    inv.credited = inv.credited.saturating_add(credit_memo.amount);
                    inv.last_eff = inv.last_eff.max(at.eff);
                    if let CreditKind::Lines { lines } = &credit_memo.kind {
                        if inv.credited_qty.is_empty() {
                            inv.credited_qty = vec![Decimal::ZERO; inv.invoice.lines.len()];
                        }
                        for l in lines {
                            let q = usize::try_from(l.line)
                                .ok()
                                .and_then(|i| inv.credited_qty.get_mut(i))
                                .ok_or_else(|| {
                                    Error::corrupt(format!(
                                        "invoice {inv_id} has no line {}",
                                        l.line
                                    ))
                                })?;
                            *q = q.saturating_add(l.quantity.unwrap_or_default());
                        }
                    }
                }
                let customer = self
                    .customers
                    .index_of(&credit_memo.customer)
                    .ok_or_else(|| missing("customer", credit_memo.customer.as_str()))?;
                let against = credit_memo
                    .against
                    .as_ref()
                    .and_then(|a| self.invoices.index_of(a));
                let col = self.push_source(
                    false,
                    Some(customer),
                    credit_memo.currency,
                    credit_memo.amount,
                    at,
                    against,
                );
                let state = SourceState {
                    doc: SourceDoc::CreditMemo(credit_memo.clone()),
                    created: at,
                    payer: None,
                    voided: None,
                    timeline: Timeline::new(credit_memo.amount),
                    last_eff: at.eff,
                    col,
                    used_by: 0,
                };
                if !self.credit_memos.insert(credit_memo.id.clone(), state) {
                    return Err(dup("credit memo", credit_memo.id.as_str()));
                }
            }
            Event::CreditMemoVoided { credit_memo, .. } => {
                let m = self
                    .credit_memos
                    .get_mut(credit_memo)
                    .ok_or_else(|| missing("credit memo", credit_memo.as_str()))?;
                m.voided = Some(at);
                m.last_eff = m.last_eff.max(at.eff);
                let col = m.col;
                self.cols.void_source(col, columns::stamp(at));
                // A void memo credits nothing: its invoice may be credited
                // again up to its total.
                let SourceDoc::CreditMemo(memo) = &m.doc else {
                    return Err(missing("credit memo", credit_memo.as_str()));
                };
                let memo = memo.clone();
                if let Some(inv_id) = &memo.against {
                    let inv = self.invoice_mut(inv_id)?;
                    inv.credited = inv.credited.saturating_sub(memo.amount);
                    if let CreditKind::Lines { lines } = &memo.kind {
                        for l in lines {
                            let q = usize::try_from(l.line)
                                .ok()
                                .and_then(|i| inv.credited_qty.get_mut(i));
                            if let Some(q) = q {
                                *q = q.saturating_sub(l.quantity.unwrap_or_default());
                            }
                        }
                    }
                }
            }
            Event::Applied {
                application,
                source,
                invoice,
                allocations,
            } => {
                let kind = match source {
                    Source::Receipt(_) => DeltaKind::Payment,
                    Source::CreditMemo(_) => DeltaKind::Credit,
                };
                if self.applications.contains(application) {
                    return Err(dup("application", application.as_str()));
                }
                self.post(invoice, Some(source), allocations, at, Decimal::ONE, kind)?;
                let state = ApplicationState {
                    id: application.clone(),
                    source: source.clone(),
                    invoice: invoice.clone(),
                    allocations: SmallVec::from_slice(allocations),
                    at,
                    reversed: None,
                };
                if !self.applications.insert(application.clone(), state) {
                    return Err(dup("application", application.as_str()));
                }
                self.cols.push_application();
            }
            Event::Unapplied { application, .. } => {
                let app = self
                    .applications
                    .get(application)
                    .ok_or_else(|| missing("application", application.as_str()))?
                    .clone();
                if app.reversed.is_some() {
                    return Err(Error::corrupt(format!(
                        "application {application} is unapplied twice"
                    )));
                }
                let kind = match app.source {
                    Source::Receipt(_) => DeltaKind::Payment,
                    Source::CreditMemo(_) => DeltaKind::Credit,
                };
                self.post(
                    &app.invoice,
                    Some(&app.source),
                    &app.allocations,
                    at,
                    -Decimal::ONE,
                    kind,
                )?;
                if let Some(a) = self.applications.get_mut(application) {
                    a.reversed = Some(at);
                }
                if let Some(i) = self.applications.index_of(application) {
                    self.cols.unapply(i, columns::stamp(at));
                }
            }
            Event::WrittenOff {
                write_off,
                invoice,
                allocations,
                reason,
            } => {
                self.post(
                    invoice,
                    None,
                    allocations,
                    at,
                    Decimal::ONE,
                    DeltaKind::WriteOff,
                )?;
                let state = WriteOffState {
                    id: write_off.clone(),
                    invoice: invoice.clone(),
                    allocations: SmallVec::from_slice(allocations),
                    reason: reason.clone(),
                    at,
                    reversed: None,
                };
                if !self.write_offs.insert(write_off.clone(), state) {
                    return Err(dup("write-off", write_off.as_str()));
                }
            }
            Event::WriteOffReversed { write_off, .. } => {
                let wo = self
                    .write_offs
                    .get(write_off)
                    .ok_or_else(|| missing("write-off", write_off.as_str()))?
                    .clone();
                if wo.reversed.is_some() {
                    return Err(Error::corrupt(format!(
                        "write-off {write_off} is reversed twice"
                    )));
                }
                self.post(
                    &wo.invoice,
                    None,
                    &wo.allocations,
                    at,
                    -Decimal::ONE,
                    DeltaKind::WriteOff,
                )?;
                if let Some(w) = self.write_offs.get_mut(write_off) {
                    w.reversed = Some(at);
                }
            }
            Event::Refunded {
                refund,
                source,
                amount,
                ..
            } => {
                if self.refunds.contains(refund) {
                    return Err(dup("refund", refund.as_str()));
                }
                let src = self.source_mut(source)?;
                src.used_by = src.used_by.saturating_add(1);
                src.timeline.push(at, neg(*amount), DeltaKind::Refund);
                src.last_eff = src.last_eff.max(at.eff);
                let (col, currency) = (src.col, src.currency());
                self.cols.source_change(
                    col,
                    columns::stamp(at),
                    columns::minor(neg(*amount), currency),
                );
                let state = RefundState {
                    source: source.clone(),
                    amount: *amount,
                    at,
                };
                if !self.refunds.insert(refund.clone(), state) {
                    return Err(dup("refund", refund.as_str()));
                }
            }
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
