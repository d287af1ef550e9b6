//! A columnar shadow of the state, kept by the fold, for reports over
//! millions of items: amounts as integers in minor units, dates as day
//! numbers, references as indices, amounts changes in one append-only
//! array. A report is then a few sequential passes instead of a walk through
//! millions of heap objects.
//!
//! One file of about 900 lines, on purpose: each column is written by the
//! fold's `push_*`/`change` functions and read by the fast paths below, and
//! keeping a column's writers and readers side by side is what keeps them
//! in step.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::currency::Currency;
use crate::heap::{self, Heap};
use crate::view::{Cut, Stamp};

/// Never: a stamp no cut sees.
pub(crate) const NEVER: (i32, u64) = (i32::MAX, u64::MAX);

pub(crate) fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

pub(crate) fn minor(amount: Decimal, currency: Currency) -> i128 {
    let mut a = amount;
    a.rescale(currency.minor_units());
    a.mantissa()
}

/// The largest mantissa a `Decimal` holds (2^96 - 1): the bound on
/// [`Columns::magnitude_bound`].
pub(crate) const MAX_MAGNITUDE: u128 = 79_228_162_514_264_337_593_543_950_335;

/// `units` minor units as a `Decimal`; within [`MAX_MAGNITUDE`], which the
/// ledger and the bulk book keep every report sum within, it is exact.
pub(crate) fn from_minor(units: i128, currency: Currency) -> Decimal {
    Decimal::try_from_i128_with_scale(units, currency.minor_units()).unwrap_or(Decimal::MAX)
}

/// A cut in column terms.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColCut {
    pub day: i32,
    pub seq: u64,
}

impl ColCut {
    pub fn from(cut: Cut) -> Self {
        ColCut {
            day: if cut.date == NaiveDate::MAX {
                i32::MAX - 1
            } else {
                day(cut.date)
            },
            seq: cut.seq,
        }
    }

    #[inline]
    pub fn sees(&self, (eff, seq): (i32, u64)) -> bool {
        eff <= self.day && seq <= self.seq
    }
}

pub(crate) fn stamp(s: Stamp) -> (i32, u64) {
    (day(s.eff), s.seq)
}

/// No index: the end of a chain.
const NONE: u32 = u32::MAX;

/// A cut for the fast path. When it sees every recorded event (`all`), only
/// days are compared and the sequence columns are never read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FastCut {
    pub day: i32,
    pub seq: u64,
    pub all: bool,
}

impl FastCut {
    /// Whether a stamp on `day` is seen; its sequence is only read when
    /// the cut does not see every event.
    #[inline]
    pub fn sees_at(&self, day: i32, seq: impl FnOnce() -> u64) -> bool {
        day <= self.day && (self.all || seq() <= self.seq)
    }

    /// Whether the stamp at `k` (day given, sequence in `seqs`) is seen.
    #[inline]
    pub fn sees(&self, day: i32, seqs: &[u64], k: usize) -> bool {
        self.sees_at(day, || seqs.get(k).copied().unwrap_or(u64::MAX))
    }
}

/// Open amounts of items (installments, or credits and cash) laid out so that
/// the amounts through a cut are one sequential pass: each item's base and
/// first change inline, further changes chained per item. Changes are
/// appended in event order, so a flat list of them would mean one random
/// write per change into arrays larger than the cache.
///
/// i64 minor units; `wide` once the amounts together could leave the i64
/// range, and reports then use the i128 columns instead.
/// `from` appended to `into`, taken whole when `into` is empty.
fn take_or_extend<T: Copy>(into: &mut Vec<T>, from: Vec<T>) {
    if into.is_empty() {
        *into = from;
    } else {
        into.extend_from_slice(&from);
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OpenCol {
    pub base: Vec<i64>,
    /// Day of the first change, `i32::MAX` for none.
    pub first_day: Vec<i32>,
    pub first_seq: Vec<u64>,
    pub first_amount: Vec<i64>,
    /// Head and tail of the chain of further changes.
    pub more: Vec<u32>,
    tail: Vec<u32>,
    pub next_day: Vec<i32>,
    pub next_seq: Vec<u64>,
    pub next_amount: Vec<i64>,
    pub next: Vec<u32>,
    /// Sum of the magnitudes of every amount: any partial sum is within it.
    magnitude: u128,
    pub wide: bool,
    /// No sequence columns (see [`Columns::lean`]).
    lean: bool,
}

impl OpenCol {
    fn reserve(&mut self, items: usize) {
        self.base.reserve(items);
        self.first_day.reserve(items);
        if !self.lean {
            self.first_seq.reserve(items);
        }
        self.first_amount.reserve(items);
        self.more.reserve(items);
        self.tail.reserve(items);
    }

    /// Items with these bases and no changes yet, as [`OpenCol::push`]
    /// adds them one by one.
    fn extend(&mut self, bases: &[i128]) {
        for b in bases {
            let b = self.narrow(*b);
            self.base.push(b);
        }
        let len = self.base.len();
        self.first_day.resize(len, i32::MAX);
        if !self.lean {
            self.first_seq.resize(len, u64::MAX);
        }
        self.first_amount.resize(len, 0);
        self.more.resize(len, NONE);
        self.tail.resize(len, NONE);
    }

    /// Checked into i64, tracking the magnitude of everything so far.
    fn narrow(&mut self, amount: i128) -> i64 {
        self.magnitude = self.magnitude.saturating_add(amount.unsigned_abs());
        if self.magnitude > i64::MAX.unsigned_abs().into() {
            self.wide = true;
        }
        i64::try_from(amount).unwrap_or(0)
    }

    pub fn push(&mut self, base: i128) {
        let b = self.narrow(base);
        self.base.push(b);
        self.first_day.push(i32::MAX);
        if !self.lean {
            self.first_seq.push(u64::MAX);
        }
        self.first_amount.push(0);
        self.more.push(NONE);
        self.tail.push(NONE);
    }

    /// The last of item `k`'s further changes (for warming its line).
    pub fn tail_of(&self, k: usize) -> u32 {
        self.tail.get(k).copied().unwrap_or(NONE)
    }

    pub fn change(&mut self, item: u32, (day, seq): (i32, u64), amount: i128) {
        let a = self.narrow(amount);
        let k = item as usize;
        if self.first_day.get(k) == Some(&i32::MAX) {
            if let (Some(d), Some(m)) = (self.first_day.get_mut(k), self.first_amount.get_mut(k)) {
                (*d, *m) = (day, a);
            }
            if let Some(s) = self.first_seq.get_mut(k) {
                *s = seq;
            }
            return;
        }
        let j = u32::try_from(self.next.len()).unwrap_or(NONE);
        self.next_day.push(day);
        if !self.lean {
            self.next_seq.push(seq);
        }
        self.next_amount.push(a);
        self.next.push(NONE);
        let prev = self.tail.get(k).copied().unwrap_or(NONE);
        let link = if prev == NONE {
            self.more.get_mut(k)
        } else {
            self.next.get_mut(prev as usize)
        };
        if let Some(l) = link {
            *l = j;
        }
        if let Some(t) = self.tail.get_mut(k) {
            *t = j;
        }
    }

    /// Open amount of item `k` through `cut` (the item itself visible).
    ///
    /// Sums wrap: the columns are only read through this i64 path while the
    /// magnitude of every amount together fits an i64 (`Columns::wide`), so
    /// no sum of them can wrap.
    #[inline]
    pub fn open(&self, k: usize, cut: &FastCut) -> i64 {
        let mut o = self.base.get(k).copied().unwrap_or(0);
        if let Some(&d) = self.first_day.get(k) {
            if cut.sees(d, &self.first_seq, k) {
                o = o.wrapping_add(self.first_amount.get(k).copied().unwrap_or(0));
            }
        }
        let mut j = self.more.get(k).copied().unwrap_or(NONE);
        while j != NONE {
            let i = j as usize;
            if let Some(&d) = self.next_day.get(i) {
                if cut.sees(d, &self.next_seq, i) {
                    o = o.wrapping_add(self.next_amount.get(i).copied().unwrap_or(0));
                }
            }
            j = self.next.get(i).copied().unwrap_or(NONE);
        }
        o
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Columns {
    // Invoices, by invoice index.
    pub inv_customer: Vec<u32>,
    pub inv_currency: Vec<Currency>,
    pub inv_date: Vec<i32>,
    pub inv_total: Vec<i128>,
    pub inv_finalized: Vec<(i32, u64)>,
    pub inv_voided: Vec<(i32, u64)>,
    /// Index of the invoice's first installment; installments are contiguous.
    pub inv_first: Vec<u32>,
    // Installments, by installment index.
    pub inst_invoice: Vec<u32>,
    pub inst_due: Vec<i32>,
    pub inst_base: Vec<i128>,
    // Changes to installments' open amounts.
    pub d_inst: Vec<u32>,
    pub d_at: Vec<(i32, u64)>,
    pub d_amount: Vec<i128>,
    // Receipt allocations (for payment timing): installment, date, amount, application.
    pub pay_inst: Vec<u32>,
    pub pay_at: Vec<(i32, u64)>,
    pub pay_amount: Vec<i128>,
    pub pay_app: Vec<u32>,
    /// Unapplied stamp per application index.
    pub app_reversed: Vec<(i32, u64)>,
    // Sources (credit memos and receipts), by source index.
    pub src_is_cash: Vec<bool>,
    /// Customer index, or u32::MAX for an unidentified payer.
    pub src_customer: Vec<u32>,
    pub src_payer_at: Vec<(i32, u64)>,
    pub src_currency: Vec<Currency>,
    pub src_created: Vec<(i32, u64)>,
    pub src_voided: Vec<(i32, u64)>,
    pub src_base: Vec<i128>,
    /// Invoice index a credit memo was issued against, or u32::MAX.
    pub src_invoice: Vec<u32>,
    /// Row of the source in its own table (receipts or credit memos).
    pub src_row: Vec<u32>,
    pub sd_src: Vec<u32>,
    pub sd_at: Vec<(i32, u64)>,
    pub sd_amount: Vec<i128>,
    // The fast path of reports (see `OpenCol`), kept beside the columns above.
    pub inst: OpenCol,
    pub src: OpenCol,
    /// Days of `inv_finalized` and `inv_voided`: liveness without the sequences.
    pub inv_fin_day: Vec<i32>,
    pub inv_void_day: Vec<i32>,
    pub inv_total64: Vec<i64>,
    /// Per payment: day, amount, invoice, days from the invoice date and
    /// from the due date, fixed when it is recorded.
    pub pay_day: Vec<i32>,
    pub pay_amount64: Vec<i64>,
    pub pay_inv: Vec<u32>,
    pub pay_to_pay: Vec<i32>,
    pub pay_late: Vec<i32>,
    /// Applications unapplied so far: none means no payment needs the check.
    pub unapplied: u64,
    /// Highest sequence number stamped: a cut at or beyond it compares days only.
    pub max_seq: u64,
    magnitude: u128,
    wide: bool,
    /// Only the fast-path columns of invoices, installments and payments:
    /// for a book whose amounts are known to fit i64 (so reports never take
    /// the i128 path) and whose stamps all have sequence 0 (so cuts compare
    /// days only), as a bulk book's do. Half the memory at a million rows.
    lean: bool,
}

impl Heap for OpenCol {
    fn heap(&self) -> usize {
        // Every field named, so that a new column is not left uncounted.
        let OpenCol {
            base,
            first_day,
            first_seq,
            first_amount,
            more,
            tail,
            next_day,
            next_seq,
            next_amount,
            next,
            magnitude: _,
            wide: _,
            lean: _,
        } = self;
        [
            heap::vec(base),
            heap::vec(first_day),
            heap::vec(first_seq),
            heap::vec(first_amount),
            heap::vec(more),
            heap::vec(tail),
            heap::vec(next_day),
            heap::vec(next_seq),
            heap::vec(next_amount),
            heap::vec(next),
        ]
        .into_iter()
        .fold(0, usize::saturating_add)
    }
}

impl Heap for Columns {
    fn heap(&self) -> usize {
        // Every field named, so that a new column is not left uncounted.
        let Columns {
            inv_customer,
            inv_currency,
            inv_date,
            inv_total,
            inv_finalized,
            inv_voided,
            inv_first,
            inst_invoice,
            inst_due,
            inst_base,
            d_inst,
            d_at,
            d_amount,
            pay_inst,
            pay_at,
            pay_amount,
            pay_app,
            app_reversed,
            src_is_cash,
            src_customer,
            src_payer_at,
            src_currency,
            src_created,
            src_voided,
            src_base,
            src_invoice,
            src_row,
            sd_src,
            sd_at,
            sd_amount,
            inst,
            src,
            inv_fin_day,
            inv_void_day,
            inv_total64,
            pay_day,
            pay_amount64,
            pay_inv,
            pay_to_pay,
            pay_late,
            unapplied: _,
            max_seq: _,
            magnitude: _,
            wide: _,
            lean: _,
        } = self;
        [
            heap::vec(inv_customer),
            heap::vec(inv_currency),
            heap::vec(inv_date),
            heap::vec(inv_total),
            heap::vec(inv_finalized),
            heap::vec(inv_voided),
            heap::vec(inv_first),
            heap::vec(inst_invoice),
            heap::vec(inst_due),
            heap::vec(inst_base),
            heap::vec(d_inst),
            heap::vec(d_at),
            heap::vec(d_amount),
            heap::vec(pay_inst),
            heap::vec(pay_at),
            heap::vec(pay_amount),
            heap::vec(pay_app),
            heap::vec(app_reversed),
            heap::vec(src_is_cash),
            heap::vec(src_customer),
            heap::vec(src_payer_at),
            heap::vec(src_currency),
            heap::vec(src_created),
            heap::vec(src_voided),
            heap::vec(src_base),
            heap::vec(src_invoice),
            heap::vec(src_row),
            heap::vec(sd_src),
            heap::vec(sd_at),
            heap::vec(sd_amount),
            inst.heap(),
            src.heap(),
            heap::vec(inv_fin_day),
            heap::vec(inv_void_day),
            heap::vec(inv_total64),
            heap::vec(pay_day),
            heap::vec(pay_amount64),
            heap::vec(pay_inv),
            heap::vec(pay_to_pay),
            heap::vec(pay_late),
        ]
        .into_iter()
        .fold(0, usize::saturating_add)
    }
}

impl Columns {
    /// Columns without the i128 and sequence columns of invoices,
    /// installments and payments, for a book whose amounts together are at
    /// most `i64::MAX` minor units and whose events all have sequence 0.
    pub fn lean() -> Self {
        Columns {
            lean: true,
            inst: OpenCol {
                lean: true,
                ..OpenCol::default()
            },
            ..Columns::default()
        }
    }

    /// Number of invoices.
    pub fn invoices(&self) -> usize {
        self.inv_date.len()
    }

    /// Number of installments.
    pub fn installments(&self) -> usize {
        self.inst_due.len()
    }

    /// Room for `invoices` single-installment invoices, `changes` settlements
    /// (all payments, at most) and `sources` credits and cash rows, so that
    /// bulk loading does not regrow (and copy) every column as it goes.
    pub fn reserve(&mut self, invoices: usize, changes: usize, sources: usize) {
        self.inv_customer.reserve(invoices);
        self.inv_currency.reserve(invoices);
        self.inv_date.reserve(invoices);
        self.inv_first.reserve(invoices);
        self.inst_invoice.reserve(invoices);
        self.inst_due.reserve(invoices);
        if !self.lean {
            self.inv_total.reserve(invoices);
            self.inv_finalized.reserve(invoices);
            self.inv_voided.reserve(invoices);
            self.inst_base.reserve(invoices);
            self.d_inst.reserve(changes);
            self.d_at.reserve(changes);
            self.d_amount.reserve(changes);
            self.pay_inst.reserve(changes);
            self.pay_at.reserve(changes);
            self.pay_amount.reserve(changes);
            self.pay_app.reserve(changes);
            self.app_reversed.reserve(changes);
        }
        self.src_is_cash.reserve(sources);
        self.src_customer.reserve(sources);
        self.src_payer_at.reserve(sources);
        self.src_currency.reserve(sources);
        self.src_created.reserve(sources);
        self.src_voided.reserve(sources);
        self.src_base.reserve(sources);
        self.src_invoice.reserve(sources);
        self.src_row.reserve(sources);
        self.inst.reserve(invoices);
        self.src.reserve(sources);
        self.inv_fin_day.reserve(invoices);
        self.inv_void_day.reserve(invoices);
        self.inv_total64.reserve(invoices);
        self.pay_day.reserve(changes);
        self.pay_amount64.reserve(changes);
        self.pay_inv.reserve(changes);
        self.pay_to_pay.reserve(changes);
        self.pay_late.reserve(changes);
    }

    /// Reports take the i128 path, as for amounts beyond i64.
    #[cfg(test)]
    pub fn force_wide(&mut self) {
        self.wide = true;
    }

    /// A bound on every amount a report forms from these columns: sums of
    /// open amounts, credits and cash (a row's net combines them), and sums
    /// of totals and payments. Kept within a `Decimal`'s range by the
    /// ledger and the bulk book, so that no report saturates.
    pub fn magnitude_bound(&self) -> u128 {
        self.magnitude
            .max(self.inst.magnitude.saturating_add(self.src.magnitude))
    }

    /// Whether amounts may leave the i64 range: reports then take the i128 path.
    pub fn wide(&self) -> bool {
        self.wide || self.inst.wide || self.src.wide
    }

    fn narrow(&mut self, amount: i128) -> i64 {
        self.magnitude = self.magnitude.saturating_add(amount.unsigned_abs());
        if self.magnitude > i64::MAX.unsigned_abs().into() {
            self.wide = true;
        }
        i64::try_from(amount).unwrap_or(0)
    }

    fn stamped(&mut self, (_, seq): (i32, u64)) {
        if seq != u64::MAX {
            self.max_seq = self.max_seq.max(seq);
        }
    }

    /// The fast-path form of `cut`.
    pub fn fast(&self, cut: ColCut) -> FastCut {
        FastCut {
            day: cut.day,
            seq: cut.seq,
            all: cut.seq >= self.max_seq,
        }
    }

    /// Adds an invoice (its installments follow); returns its index.
    pub fn push_invoice(
        &mut self,
        customer: u32,
        currency: Currency,
        date: i32,
        total: i128,
        finalized: (i32, u64),
    ) -> u32 {
        let index = u32::try_from(self.inv_customer.len()).unwrap_or(u32::MAX);
        self.stamped(finalized);
        self.inv_customer.push(customer);
        self.inv_currency.push(currency);
        self.inv_date.push(date);
        let t = self.narrow(total);
        self.inv_total64.push(t);
        self.inv_fin_day.push(finalized.0);
        self.inv_void_day.push(NEVER.0);
        if !self.lean {
            self.inv_total.push(total);
            self.inv_finalized.push(finalized);
            self.inv_voided.push(NEVER);
        }
        self.inv_first
            .push(u32::try_from(self.installments()).unwrap_or(u32::MAX));
        index
    }

    /// Adds invoices of one installment each, finalized on their dates (at
    /// sequence 0), as [`Columns::push_invoice`] and
    /// [`Columns::push_installment`] would one by one: a column per field,
    /// one value per invoice. A bulk book lays out a million of them at
    /// once, a column at a time.
    pub fn extend_invoices(
        &mut self,
        customer: Vec<u32>,
        currency: &[Currency],
        date: Vec<i32>,
        due: Vec<i32>,
        total: &[i128],
    ) {
        let n = date.len();
        let (invoices, installments) = (self.invoices(), self.installments());
        let index = |first: usize| {
            move |k: usize| u32::try_from(first.saturating_add(k)).unwrap_or(u32::MAX)
        };
        self.stamped((0, 0));
        for t in total {
            let t = self.narrow(*t);
            self.inv_total64.push(t);
        }
        self.inv_fin_day.extend_from_slice(&date);
        self.inv_void_day
            .resize(invoices.saturating_add(n), NEVER.0);
        self.inv_first.extend((0..n).map(index(installments)));
        self.inst_invoice.extend((0..n).map(index(invoices)));
        if !self.lean {
            self.inv_total.extend_from_slice(total);
            self.inv_finalized.extend(date.iter().map(|d| (*d, 0)));
            self.inv_voided.resize(invoices.saturating_add(n), NEVER);
            self.inst_base.extend_from_slice(total);
        }
        self.inst.extend(total);
        self.inv_currency.extend_from_slice(currency);
        take_or_extend(&mut self.inv_customer, customer);
        take_or_extend(&mut self.inv_date, date);
        take_or_extend(&mut self.inst_due, due);
    }

    /// Adds an installment of invoice `invoice` (the last one added).
    pub fn push_installment(&mut self, invoice: u32, due: i32, base: i128) {
        self.inst_invoice.push(invoice);
        self.inst_due.push(due);
        if !self.lean {
            self.inst_base.push(base);
        }
        self.inst.push(base);
    }

    pub fn finalize(&mut self, invoice: u32, at: (i32, u64)) {
        self.stamped(at);
        let i = invoice as usize;
        if let Some(d) = self.inv_fin_day.get_mut(i) {
            *d = at.0;
        }
        if let Some(f) = self.inv_finalized.get_mut(i) {
            *f = at;
        }
    }

    pub fn void_invoice(&mut self, invoice: u32, at: (i32, u64)) {
        self.stamped(at);
        let i = invoice as usize;
        if let Some(d) = self.inv_void_day.get_mut(i) {
            *d = at.0;
        }
        if let Some(v) = self.inv_voided.get_mut(i) {
            *v = at;
        }
    }

    /// A change of `amount` to installment `inst`'s open amount.
    pub fn change(&mut self, inst: u32, at: (i32, u64), amount: i128) {
        self.stamped(at);
        if !self.lean {
            self.d_inst.push(inst);
            self.d_at.push(at);
            self.d_amount.push(amount);
        }
        self.inst.change(inst, at, amount);
    }

    /// A payment of `amount` on installment `inst` by application `app`.
    pub fn payment(&mut self, inst: u32, at: (i32, u64), amount: i128, app: u32) {
        let k = inst as usize;
        let inv = self.inst_invoice.get(k).copied().unwrap_or(u32::MAX);
        let due = self.inst_due.get(k).copied().unwrap_or(at.0);
        let date = self.inv_date.get(inv as usize).copied().unwrap_or(at.0);
        if !self.lean {
            self.pay_inst.push(inst);
            self.pay_at.push(at);
            self.pay_amount.push(amount);
            self.pay_app.push(app);
        }
        self.pay_day.push(at.0);
        let a = self.narrow(amount);
        self.pay_amount64.push(a);
        self.pay_inv.push(inv);
        self.pay_to_pay.push(at.0.saturating_sub(date));
        self.pay_late.push(at.0.saturating_sub(due));
    }

    /// A new application (its payments follow).
    pub fn push_application(&mut self) {
        if self.lean {
            return;
        }
        self.app_reversed.push(NEVER);
    }

    pub fn unapply(&mut self, app: usize, at: (i32, u64)) {
        self.stamped(at);
        if let Some(r) = self.app_reversed.get_mut(app) {
            *r = at;
            self.unapplied = self.unapplied.saturating_add(1);
        }
    }

    /// Adds a source (credit memo or receipt); returns its index.
    #[allow(clippy::too_many_arguments)]
    pub fn push_source(
        &mut self,
        cash: bool,
        customer: Option<u32>,
        currency: Currency,
        created: (i32, u64),
        base: i128,
        against: u32,
        row: u32,
    ) -> u32 {
        let col = u32::try_from(self.src_base.len()).unwrap_or(u32::MAX);
        self.stamped(created);
        self.src_invoice.push(against);
        self.src_row.push(row);
        self.src_is_cash.push(cash);
        self.src_customer.push(customer.unwrap_or(u32::MAX));
        self.src_payer_at.push(if customer.is_some() {
            (i32::MIN, 0)
        } else {
            NEVER
        });
        self.src_currency.push(currency);
        self.src_created.push(created);
        self.src_voided.push(NEVER);
        self.src_base.push(base);
        self.src.push(base);
        col
    }

    /// A change of `amount` to source `src`'s open amount.
    pub fn source_change(&mut self, src: u32, at: (i32, u64), amount: i128) {
        self.stamped(at);
        self.sd_src.push(src);
        self.sd_at.push(at);
        self.sd_amount.push(amount);
        self.src.change(src, at, amount);
    }

    pub fn void_source(&mut self, src: u32, at: (i32, u64)) {
        self.stamped(at);
        if let Some(v) = self.src_voided.get_mut(src as usize) {
            *v = at;
        }
    }

    pub fn assign_payer(&mut self, src: u32, customer: u32, at: (i32, u64)) {
        self.stamped(at);
        let s = src as usize;
        if let (Some(sc), Some(sp)) = (self.src_customer.get_mut(s), self.src_payer_at.get_mut(s)) {
            *sc = customer;
            *sp = at;
        }
    }

    /// Whether invoice `i` is live (final and not void) through `cut`.
    #[inline]
    pub fn live_fast(&self, i: usize, cut: &FastCut) -> bool {
        let seq = |v: &[(i32, u64)]| v.get(i).map_or(u64::MAX, |s| s.1);
        self.inv_fin_day
            .get(i)
            .is_some_and(|d| cut.sees_at(*d, || seq(&self.inv_finalized)))
            && !self
                .inv_void_day
                .get(i)
                .is_some_and(|d| cut.sees_at(*d, || seq(&self.inv_voided)))
    }

    /// The installments open through `cut` on the fast path, in order, with
    /// their open amounts. Walking the changes of a million installments
    /// waits on memory, so a large book's halves are walked on two cores;
    /// the list holds only the open ones, a small part of a book.
    pub fn open_installments_fast(&self, cut: &FastCut) -> Vec<(u32, i64)> {
        // A plain loop: as a `filter_map` closure the compiler stopped
        // inlining the body once the checks grew (a call per installment).
        let scan = |range: std::ops::Range<usize>| -> Vec<(u32, i64)> {
            let mut out = Vec::new();
            for k in range {
                let inv = self.inst_invoice.get(k).copied().unwrap_or(u32::MAX);
                if !self.live_fast(inv as usize, cut) {
                    continue;
                }
                let open = self.inst.open(k, cut);
                if open != 0 {
                    out.push((u32::try_from(k).unwrap_or(u32::MAX), open));
                }
            }
            out
        };
        let n = self.installments();
        let half = n / 2;
        match crate::par::both(
            n < crate::par::PARALLEL_ROWS,
            || scan(0..half),
            || scan(half..n),
        ) {
            Some((mut front, back)) => {
                front.extend(back);
                front
            }
            None => scan(0..n),
        }
    }

    /// Open amount of source `s` through `cut` on the fast path.
    #[inline]
    pub fn source_open_fast(&self, s: usize, cut: &FastCut) -> i128 {
        let seen = |v: &[(i32, u64)]| v.get(s).is_some_and(|(d, q)| cut.sees_at(*d, || *q));
        if seen(&self.src_created) && !seen(&self.src_voided) {
            i128::from(self.src.open(s, cut))
        } else {
            0
        }
    }

    /// Whether each invoice is live (final and not void) through `cut`.
    fn live(&self, cut: ColCut) -> Vec<bool> {
        self.inv_finalized
            .iter()
            .zip(&self.inv_voided)
            .map(|(f, v)| cut.sees(*f) && !cut.sees(*v))
            .collect()
    }

    /// Open amount per installment as seen through `cut` (zero for invoices
    /// not live in the cut).
    pub fn installment_open(&self, cut: ColCut) -> Vec<i128> {
        let (open, _) = self.installment_open_pair(cut, None);
        open
    }

    /// Open amounts per installment through `a` and, in the same pass over
    /// the changes, through `b` (empty when `b` is `None`).
    pub fn installment_open_pair(&self, a: ColCut, b: Option<ColCut>) -> (Vec<i128>, Vec<i128>) {
        let live_a = self.live(a);
        let live_b = b.map(|b| self.live(b)).unwrap_or_default();
        let is_live = |live: &[bool], inv: u32| live.get(inv as usize).copied().unwrap_or(false);
        let base = |live: &[bool]| -> Vec<i128> {
            self.inst_invoice
                .iter()
                .zip(&self.inst_base)
                .map(|(inv, base)| if is_live(live, *inv) { *base } else { 0 })
                .collect()
        };
        let mut open_a = base(&live_a);
        let mut open_b = if b.is_some() {
            base(&live_b)
        } else {
            Vec::new()
        };
        for ((inst, at), amount) in self.d_inst.iter().zip(&self.d_at).zip(&self.d_amount) {
            let k = *inst as usize;
            if a.sees(*at) {
                if let Some(o) = open_a.get_mut(k) {
                    // Within MAX_MAGNITUDE (< 2^96) by the ledger's check
                    // on every command: an i128 sum cannot wrap.
                    *o = o.wrapping_add(*amount);
                }
            }
            if b.is_some_and(|b| b.sees(*at)) {
                if let Some(o) = open_b.get_mut(k) {
                    // Within MAX_MAGNITUDE (< 2^96) by the ledger's check
                    // on every command: an i128 sum cannot wrap.
                    *o = o.wrapping_add(*amount);
                }
            }
        }
        // A change seen before its invoice is live in the cut stays out.
        let clear = |open: &mut Vec<i128>, live: &[bool]| {
            for (o, inv) in open.iter_mut().zip(&self.inst_invoice) {
                if !is_live(live, *inv) {
                    *o = 0;
                }
            }
        };
        clear(&mut open_a, &live_a);
        if b.is_some() {
            clear(&mut open_b, &live_b);
        }
        (open_a, open_b)
    }

    /// Open amount per source (credit memo or receipt) through `cut`.
    pub fn source_open(&self, cut: ColCut) -> Vec<i128> {
        let mut open: Vec<i128> = self
            .src_base
            .iter()
            .zip(&self.src_created)
            .zip(&self.src_voided)
            .map(|((b, c), v)| if cut.sees(*c) && !cut.sees(*v) { *b } else { 0 })
            .collect();
        for ((s, at), amount) in self.sd_src.iter().zip(&self.sd_at).zip(&self.sd_amount) {
            if cut.sees(*at) {
                if let Some(o) = open.get_mut(*s as usize) {
                    // Within MAX_MAGNITUDE (< 2^96) by the ledger's check
                    // on every command: an i128 sum cannot wrap.
                    *o = o.wrapping_add(*amount);
                }
            }
        }
        for ((o, c), v) in open.iter_mut().zip(&self.src_created).zip(&self.src_voided) {
            if !cut.sees(*c) || cut.sees(*v) {
                *o = 0;
            }
        }
        open
    }
}
