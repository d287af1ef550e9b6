//! A columnar shadow of the state, kept by the fold, for reports over
//! millions of items: amounts as integers in minor units, dates as day
//! numbers, references as indices, amounts changes in one append-only
//! array. A report is then a few sequential passes instead of a walk through
//! millions of heap objects.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::currency::Currency;
use crate::ledger::state::{Cut, Stamp};

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
}

impl Columns {
    /// Room for `invoices` single-installment invoices, `changes` settlements
    /// (all payments, at most) and `sources` credits and cash rows, so that
    /// bulk loading does not regrow (and copy) every column as it goes.
    pub fn reserve(&mut self, invoices: usize, changes: usize, sources: usize) {
        self.inv_customer.reserve(invoices);
        self.inv_currency.reserve(invoices);
        self.inv_date.reserve(invoices);
        self.inv_total.reserve(invoices);
        self.inv_finalized.reserve(invoices);
        self.inv_voided.reserve(invoices);
        self.inv_first.reserve(invoices);
        self.inst_invoice.reserve(invoices);
        self.inst_due.reserve(invoices);
        self.inst_base.reserve(invoices);
        self.d_inst.reserve(changes);
        self.d_at.reserve(changes);
        self.d_amount.reserve(changes);
        self.pay_inst.reserve(changes);
        self.pay_at.reserve(changes);
        self.pay_amount.reserve(changes);
        self.pay_app.reserve(changes);
        self.app_reversed.reserve(changes);
        self.src_is_cash.reserve(sources);
        self.src_customer.reserve(sources);
        self.src_payer_at.reserve(sources);
        self.src_currency.reserve(sources);
        self.src_created.reserve(sources);
        self.src_voided.reserve(sources);
        self.src_base.reserve(sources);
        self.src_invoice.reserve(sources);
        self.src_row.reserve(sources);
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
                    *o += *amount;
                }
            }
            if b.is_some_and(|b| b.sees(*at)) {
                if let Some(o) = open_b.get_mut(k) {
                    *o += *amount;
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
                    *o += *amount;
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
