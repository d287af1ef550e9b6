//! Proposals for one receipt: the evidence, the candidates, the decision.
//!
//! The evidence is tried strongest first. References that lead to the
//! payer's open items come first; typing errors in references next, but
//! only when the amount corroborates them; the amount alone last (one item,
//! then combinations). Each candidate is scored by the kind of evidence and
//! of fit (exact, discount, tolerated short pay, ...). The scores are fixed
//! tiers, not learned weights, so every figure can be explained and tested.

use std::cmp::Reverse;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::index::{alnum, amount_key, digits, fnv, from_minor, Book};
use super::remittance::{self, Reference, ReferenceKind, Remittance};
use super::search::{combinations, Bounds};
use super::types::{
    ItemKind, MatchOptions, MatchReceipt, MatchStatus, PayerBasis, Proposal, ProposedApplication,
    Reason, ReasonCode, ReceiptMatch, SourceKind,
};

/// Confidence tiers.
mod score {
    pub const CREDITOR_EXACT: u8 = 100;
    pub const REF_EXACT: u8 = 99;
    pub const REF_DISCOUNT: u8 = 97;
    pub const REF_TOLERATED: u8 = 94;
    pub const REF_LATE_DISCOUNT: u8 = 90;
    pub const REF_OVER: u8 = 88;
    pub const REF_SHORT_ONE: u8 = 88;
    pub const REF_SHORT_MANY: u8 = 60;
    pub const REF_SUBSET: [u8; 4] = [92, 90, 84, 87];
    pub const REF_UNLISTED: u8 = 86;
    pub const FUZZY: [u8; 4] = [90, 89, 80, 86];
    /// The amount alone: one item, or a combination.
    pub const SINGLE: [u8; 4] = [88, 86, 78, 85];
    pub const COMBINATION: [u8; 4] = [88, 86, 78, 80];
    /// Caps when the evidence is weaker than the fit.
    pub const CONFLICT: u8 = 80;
    pub const LIMITED: u8 = 80;
    pub const PAYER_BY_AMOUNT: u8 = 70;
    pub const DISPUTED: u8 = 70;
    /// Ref-based evidence this strong makes the amount-only search moot.
    pub const STRONG: u8 = 90;
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
    /// Short by this much, within the tolerance: written off.
    Tolerated(i64),
    /// Over by this much: left unapplied.
    Over(i64),
    /// Short by this much, beyond the tolerance: left open.
    Short(i64),
}

impl Fit {
    /// Index into the score tables: exact, discount, late, tolerated.
    fn tier(self) -> Option<usize> {
        match self {
            Fit::Exact => Some(0),
            Fit::Discount => Some(1),
            Fit::LateDiscount => Some(2),
            Fit::Tolerated(_) => Some(3),
            Fit::Over(_) | Fit::Short(_) => None,
        }
    }
}

/// How a reference led to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Number,
    Creditor,
    Po,
    Fuzzy,
    Truncated,
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    item: u32,
    how: How,
    reference: usize,
}

/// A candidate before it becomes a proposal.
#[derive(Debug, Clone)]
struct Cand {
    score: u8,
    cust: u32,
    basis: PayerBasis,
    /// Items, in the customer's age order.
    set: Vec<u32>,
    fit: Fit,
    reasons: Vec<Reason>,
}

/// A receipt's proposals, with what applying the first would consume.
pub(crate) struct Evaluated {
    pub result: ReceiptMatch,
    /// (item, amount) to consume when the first proposal is applied.
    pub consumes: Vec<(u32, i64)>,
}

fn reason(code: ReasonCode, message: impl Into<String>) -> Reason {
    Reason {
        code,
        message: message.into(),
    }
}

pub(crate) struct Evaluator<'a> {
    pub book: &'a Book,
    pub options: &'a MatchOptions,
    pub receipt: &'a MatchReceipt,
    /// The receipt amount in minor units.
    pub amount: i64,
    pub parsed: Remittance,
    notes: Vec<Reason>,
    /// Items referred to that are no longer open.
    closed: Vec<u32>,
}

/// Reads the remittance of `receipt` within the options' limits.
pub(crate) fn parse(receipt: &MatchReceipt, options: &MatchOptions) -> Remittance {
    remittance::parse(
        &receipt.remittance,
        remittance::Limits {
            max_bytes: options.max_remittance_bytes,
            ..remittance::Limits::default()
        },
    )
}

impl<'a> Evaluator<'a> {
    pub fn new(
        book: &'a Book,
        options: &'a MatchOptions,
        receipt: &'a MatchReceipt,
        amount: i64,
        parsed: Remittance,
    ) -> Self {
        Evaluator {
            book,
            options,
            receipt,
            amount,
            parsed,
            notes: Vec::new(),
            closed: Vec::new(),
        }
    }

    fn money(&self, v: i64) -> Decimal {
        from_minor(v, self.receipt.currency)
    }

    fn open_here(&self, i: u32) -> bool {
        self.book
            .slot(i)
            .is_some_and(|s| s.currency == self.receipt.currency)
            && self.book.remaining(i) > 0
    }

    fn label(&self, i: u32) -> String {
        match self.book.items.get(i as usize) {
            Some(m) => match m.installment {
                Some(k) => format!("{} #{k}", m.id),
                None => m.id.clone(),
            },
            None => String::new(),
        }
    }

    fn labels(&self, set: &[u32]) -> String {
        let v: Vec<String> = set.iter().map(|&i| self.label(i)).collect();
        v.join(", ")
    }

    // ---- references -------------------------------------------------------

    fn lookup(&self, r: &Reference) -> Vec<(u32, How)> {
        let b = self.book;
        let number = r.number.as_bytes();
        let text = r.text.as_bytes();
        let by_id = |kind: ItemKind| -> Vec<u32> {
            let mut v: Vec<u32> = Vec::new();
            if !number.is_empty() {
                v.extend(b.by_number.get(fnv(number.iter().copied())).filter(|&i| {
                    b.slot(i).is_some_and(|s| s.kind == kind) && digits(b.id(i)) == number
                }));
            }
            v.extend(b.by_text.get(fnv(text.iter().copied())).filter(|&i| {
                b.slot(i).is_some_and(|s| s.kind == kind) && alnum(b.id(i)).eq(text.iter().copied())
            }));
            v.sort_unstable();
            v.dedup();
            v
        };
        let by_po = || -> Vec<u32> {
            let po_of = |i: u32| {
                b.items
                    .get(i as usize)
                    .and_then(|m| m.po_number.as_deref())
                    .unwrap_or("")
            };
            let mut v: Vec<u32> = Vec::new();
            if !number.is_empty() {
                v.extend(
                    b.by_po_number
                        .get(fnv(number.iter().copied()))
                        .filter(|&i| digits(po_of(i)) == number),
                );
            }
            v.extend(
                b.by_po_text
                    .get(fnv(text.iter().copied()))
                    .filter(|&i| alnum(po_of(i)).eq(text.iter().copied())),
            );
            v.sort_unstable();
            v.dedup();
            v
        };
        let tag = |v: Vec<u32>, how: How| v.into_iter().map(|i| (i, how)).collect::<Vec<_>>();
        match r.kind {
            ReferenceKind::Creditor => {
                let mut v = by_id(ItemKind::Invoice);
                v.extend(by_id(ItemKind::CreditMemo));
                tag(v, How::Creditor)
            }
            ReferenceKind::Invoice => {
                let v = by_id(ItemKind::Invoice);
                if !v.is_empty() {
                    return tag(v, How::Number);
                }
                let v = by_po();
                if !v.is_empty() {
                    return tag(v, How::Po);
                }
                tag(by_id(ItemKind::CreditMemo), How::Number)
            }
            ReferenceKind::PurchaseOrder => {
                let v = by_po();
                if !v.is_empty() {
                    return tag(v, How::Po);
                }
                tag(by_id(ItemKind::Invoice), How::Number)
            }
            ReferenceKind::CreditMemo => {
                let v = by_id(ItemKind::CreditMemo);
                if !v.is_empty() {
                    return tag(v, How::Number);
                }
                tag(by_id(ItemKind::Invoice), How::Number)
            }
        }
    }

    /// Exact hits of every reference, and the references with none.
    fn resolve(&mut self) -> (Vec<Hit>, Vec<usize>) {
        let mut hits = Vec::new();
        let mut unresolved = Vec::new();
        let mut closed: Vec<u32> = Vec::new();
        for (k, r) in self.parsed.references.iter().enumerate() {
            let found = self.lookup(r);
            let mut any = false;
            for (item, how) in found {
                let same_currency = self
                    .book
                    .slot(item)
                    .is_some_and(|s| s.currency == self.receipt.currency);
                if !same_currency {
                    continue;
                }
                any = true;
                if self.book.remaining(item) <= 0 {
                    closed.push(item);
                    continue;
                }
                hits.push(Hit {
                    item,
                    how,
                    reference: k,
                });
            }
            if !any {
                unresolved.push(k);
            }
        }
        closed.sort_unstable();
        closed.dedup();
        self.closed.clone_from(&closed);
        for i in closed {
            let msg = format!(
                "{} was referred to but is no longer open (settled earlier in this batch)",
                self.label(i)
            );
            self.notes.push(reason(ReasonCode::NotOpen, msg));
        }
        (hits, unresolved)
    }

    // ---- payer ------------------------------------------------------------

    fn payers(&mut self, hits: &[Hit]) -> Vec<(u32, PayerBasis)> {
        let b = self.book;
        if let Some(given) = &self.receipt.customer {
            return match b.cust_index.get(given) {
                Some(&c) => vec![(c, PayerBasis::Given)],
                None => Vec::new(),
            };
        }
        let mut out: Vec<(u32, PayerBasis)> = Vec::new();
        for h in hits {
            if matches!(h.how, How::Number | How::Creditor | How::Po) {
                if let Some(s) = b.slot(h.item) {
                    if !out.iter().any(|(c, _)| *c == s.cust) {
                        out.push((s.cust, PayerBasis::Reference));
                    }
                }
            }
        }
        if !out.is_empty() {
            out.truncate(5);
            return out;
        }
        if let Some(account) = &self.receipt.account {
            let key: String = alnum(account).map(char::from).collect();
            if let Some(&c) = b.accounts.get(&key) {
                if c != u32::MAX {
                    return vec![(c, PayerBasis::Account)];
                }
            }
        }
        let mut names = Vec::new();
        if let Some(n) = &self.receipt.payer_name {
            names = b.names_in(n);
        }
        for c in b.names_in(&self.receipt.remittance) {
            if !names.contains(&c) {
                names.push(c);
            }
        }
        if !names.is_empty() {
            names.truncate(3);
            return names.into_iter().map(|c| (c, PayerBasis::Name)).collect();
        }
        // The amount alone: customers with one item it fits.
        let key = amount_key(self.receipt.currency, self.amount);
        let changed = b
            .changed
            .iter()
            .copied()
            .filter(|&i| b.remaining(i) == self.amount);
        let direct = b
            .by_amount
            .get(key)
            .filter(|&i| b.remaining(i) == self.amount)
            .chain(b.by_net.get(key).filter(|&i| {
                b.slot(i)
                    .is_some_and(|s| b.remaining(i) - s.disc == self.amount)
            }))
            .chain(changed);
        for i in direct {
            let Some(s) = b.slot(i) else { continue };
            if s.kind == ItemKind::Invoice
                && s.currency == self.receipt.currency
                && !out.iter().any(|(c, _)| *c == s.cust)
            {
                out.push((s.cust, PayerBasis::Amount));
                if out.len() >= 5 {
                    break;
                }
            }
        }
        out
    }

    // ---- fits -------------------------------------------------------------

    /// Discount an invoice item still offers at the receipt date (in window)
    /// and after it (late), as (in window, late).
    fn discounts(&self, i: u32) -> (i64, i64) {
        let Some(s) = self.book.slot(i) else {
            return (0, 0);
        };
        let rem = self.book.remaining(i);
        if s.kind != ItemKind::Invoice || s.disc <= 0 || s.disc >= rem {
            return (0, 0);
        }
        match s.until {
            Some(until) if self.receipt.date <= until => (s.disc, 0),
            Some(_) => (0, s.disc),
            None => (0, 0),
        }
    }

    fn tolerated(&self, short: i64, net: i64) -> bool {
        let t = &self.options.tolerance;
        if t.fixed.is_none() && t.percent.is_none() {
            return false;
        }
        let s = self.money(short);
        let fixed_ok = t.fixed.is_none_or(|f| s <= f);
        let pct_ok = t.percent.is_none_or(|p| {
            let limit = self.money(net).checked_mul(p);
            let s100 = s.checked_mul(Decimal::ONE_HUNDRED);
            matches!((s100, limit), (Some(a), Some(b)) if a <= b)
        });
        fixed_ok && pct_ok
    }

    /// The largest short pay the tolerance could allow on this amount.
    fn tolerance_max(&self) -> i64 {
        let t = &self.options.tolerance;
        let scale = Decimal::from(10i64.pow(self.receipt.currency.minor_units()));
        let mut max: Option<Decimal> = None;
        if let Some(f) = t.fixed {
            max = f.checked_mul(scale).map(|v| v.floor());
        }
        if let Some(p) = t.percent {
            // short <= p% of (amount + short)  <=>  short <= amount p / (100 - p)
            let denom = Decimal::ONE_HUNDRED - p;
            let v = (denom > Decimal::ZERO)
                .then(|| Decimal::from(self.amount).checked_mul(p))
                .flatten()
                .and_then(|x| x.checked_div(denom))
                .map(|v| v.floor());
            max = match (max, v) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        max.and_then(|v| i64::try_from(v.mantissa()).ok().filter(|_| v.scale() == 0))
            .unwrap_or(0)
            .max(0)
    }

    fn fit(&self, set: &[u32], partial: bool) -> Option<Fit> {
        let (mut inv, mut cred, mut din, mut dlate) = (0i64, 0i64, 0i64, 0i64);
        let mut invoices = 0;
        for &i in set {
            let rem = self.book.remaining(i);
            match self.book.slot(i)?.kind {
                ItemKind::Invoice => {
                    inv = inv.checked_add(rem)?;
                    let (a, b) = self.discounts(i);
                    din += a;
                    dlate += b;
                    invoices += 1;
                }
                ItemKind::CreditMemo => cred = cred.checked_add(rem)?,
            }
        }
        let net = inv - cred;
        if net <= 0 || invoices == 0 {
            return None;
        }
        let a = self.amount;
        if a == net {
            Some(Fit::Exact)
        } else if din > 0 && a == net - din {
            Some(Fit::Discount)
        } else if dlate > 0 && a == net - dlate {
            Some(Fit::LateDiscount)
        } else if a < net && self.tolerated(net - a, net) {
            Some(Fit::Tolerated(net - a))
        } else if !partial {
            None
        } else if a > net {
            Some(Fit::Over(a - net))
        } else {
            Some(Fit::Short(net - a))
        }
    }

    fn fit_reasons(&self, set: &[u32], fit: Fit) -> Vec<Reason> {
        let mut out = Vec::new();
        match fit {
            Fit::Exact => out.push(reason(
                ReasonCode::ExactAmount,
                format!(
                    "{} equals what {} has open",
                    self.money(self.amount),
                    self.labels(set)
                ),
            )),
            Fit::Discount => {
                let d: i64 = set.iter().map(|&i| self.discounts(i).0).sum();
                out.push(reason(
                    ReasonCode::DiscountInWindow,
                    format!(
                        "early-payment discount of {} taken by {}, within its window",
                        self.money(d),
                        self.receipt.date
                    ),
                ));
            }
            Fit::LateDiscount => {
                let d: i64 = set.iter().map(|&i| self.discounts(i).1).sum();
                out.push(reason(
                    ReasonCode::DiscountLate,
                    format!(
                        "discount of {} taken after its window: left open as a deduction",
                        self.money(d)
                    ),
                ));
            }
            Fit::Tolerated(s) => out.push(reason(
                ReasonCode::ShortPayWrittenOff,
                format!(
                    "short by {}, within the tolerance: written off",
                    self.money(s)
                ),
            )),
            Fit::Short(s) => out.push(reason(
                ReasonCode::ShortPayDeduction,
                format!(
                    "short by {}, beyond the tolerance: left open as a deduction",
                    self.money(s)
                ),
            )),
            Fit::Over(x) => out.push(reason(
                ReasonCode::Overpayment,
                format!("{} more than is open: left unapplied", self.money(x)),
            )),
        }
        out
    }

    fn sorted_by_age(&self, set: &mut Vec<u32>) {
        set.sort_by_key(|&i| self.book.slot(i).map_or(u32::MAX, |s| s.rank));
        set.dedup();
    }

    // ---- combination search -----------------------------------------------

    /// Sets drawn from `pool` (invoices), with `fixed` items always in, that
    /// fit without partial payment: exact first; then with discounts; then
    /// late discounts; then within the tolerance, each only when the one
    /// before found nothing. Returns the sets and whether the search was
    /// complete.
    fn combos(&self, pool: &[u32], fixed: &[u32], min_size: usize) -> (Vec<(Vec<u32>, Fit)>, bool) {
        let fixed_net: i64 = fixed
            .iter()
            .map(|&i| match self.book.slot(i).map(|s| s.kind) {
                Some(ItemKind::CreditMemo) => -self.book.remaining(i),
                _ => self.book.remaining(i),
            })
            .sum();
        let target = self.amount - fixed_net;
        let bounds = Bounds {
            min_size,
            max_size: self.options.max_combination,
            max_steps: self.options.max_search_steps,
            max_found: self.options.max_proposals + 1,
        };
        let rem: Vec<i64> = pool.iter().map(|&i| self.book.remaining(i)).collect();
        let mut complete = true;
        let mut passes: Vec<(Vec<i64>, i64, i64)> = vec![(rem.clone(), target, target)];
        let din: Vec<i64> = pool.iter().map(|&i| self.discounts(i).0).collect();
        if din.iter().any(|d| *d > 0) {
            let v = rem.iter().zip(&din).map(|(r, d)| r - d).collect();
            passes.push((v, target, target));
        }
        let dlate: Vec<i64> = pool.iter().map(|&i| self.discounts(i).1).collect();
        if dlate.iter().any(|d| *d > 0) {
            let v = rem.iter().zip(&dlate).map(|(r, d)| r - d).collect();
            passes.push((v, target, target));
        }
        let tol = self.tolerance_max();
        if tol > 0 {
            passes.push((rem, target + 1, target + tol));
        }
        for (values, lo, hi) in passes {
            if lo <= 0 {
                continue;
            }
            let found = combinations(&values, lo, hi, bounds);
            complete &= found.complete;
            let mut out = Vec::new();
            for combo in found.combos {
                let mut set: Vec<u32> =
                    combo.iter().filter_map(|&k| pool.get(k).copied()).collect();
                set.extend_from_slice(fixed);
                self.sorted_by_age(&mut set);
                if let Some(fit) = self.fit(&set, false) {
                    out.push((set, fit));
                }
            }
            if !out.is_empty() {
                return (out, complete);
            }
        }
        (Vec::new(), complete)
    }

    // ---- per customer -------------------------------------------------------

    fn open_items_of(&self, cust: u32, kind: ItemKind) -> Vec<u32> {
        self.book
            .cust_items
            .get(cust as usize)
            .map(|list| {
                list.iter()
                    .copied()
                    .filter(|&i| {
                        self.open_here(i) && self.book.slot(i).is_some_and(|s| s.kind == kind)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn ref_reasons(&self, hits: &[Hit], set: &[u32]) -> Vec<Reason> {
        let mut out = Vec::new();
        for &i in set {
            let Some(h) = hits.iter().find(|h| h.item == i) else {
                continue;
            };
            let written = self
                .parsed
                .references
                .get(h.reference)
                .map_or("", |r| r.text.as_str());
            let (code, msg) = match h.how {
                How::Number => (
                    ReasonCode::Reference,
                    format!("{} referred to as {written:?}", self.label(i)),
                ),
                How::Creditor => (
                    ReasonCode::CreditorReference,
                    format!(
                        "{} referred to by a creditor reference with valid check digits",
                        self.label(i)
                    ),
                ),
                How::Po => (
                    ReasonCode::PurchaseOrder,
                    format!("{} found by its purchase order {written:?}", self.label(i)),
                ),
                How::Fuzzy => (
                    ReasonCode::FuzzyReference,
                    format!(
                        "{} read from {written:?}, a likely typing error the amount corroborates",
                        self.label(i)
                    ),
                ),
                How::Truncated => (
                    ReasonCode::TruncatedReference,
                    format!(
                        "{} read from {written:?}, cut off at the end of the text",
                        self.label(i)
                    ),
                ),
            };
            if !out.iter().any(|r: &Reason| r.message == msg) {
                out.push(reason(code, msg));
            }
        }
        out
    }

    fn ref_score(&self, fit: Fit, hits: &[Hit], set: &[u32]) -> u8 {
        let creditor = set
            .iter()
            .all(|i| hits.iter().any(|h| h.item == *i && h.how == How::Creditor));
        let invoices = set
            .iter()
            .filter(|&&i| {
                self.book
                    .slot(i)
                    .is_some_and(|s| s.kind == ItemKind::Invoice)
            })
            .count();
        match fit {
            Fit::Exact if creditor => score::CREDITOR_EXACT,
            Fit::Exact => score::REF_EXACT,
            Fit::Discount => score::REF_DISCOUNT,
            Fit::Tolerated(_) => score::REF_TOLERATED,
            Fit::LateDiscount => score::REF_LATE_DISCOUNT,
            Fit::Over(_) => score::REF_OVER,
            Fit::Short(_) if invoices == 1 => score::REF_SHORT_ONE,
            Fit::Short(_) => score::REF_SHORT_MANY,
        }
    }

    /// Variants of a number one typing error away: adjacent digits
    /// swapped, a doubled digit typed once more, a digit dropped.
    fn variants(number: &str) -> Vec<Vec<u8>> {
        let n = number.as_bytes();
        let mut out: Vec<Vec<u8>> = Vec::new();
        if n.len() < 3 || n.len() > 18 {
            return out;
        }
        for i in 0..n.len() - 1 {
            let mut v = n.to_vec();
            v.swap(i, i + 1);
            out.push(v);
            if n.get(i) == n.get(i + 1) {
                let mut v = n.to_vec();
                v.remove(i);
                out.push(v);
            }
        }
        for i in 0..=n.len() {
            for d in b'0'..=b'9' {
                let mut v = n.to_vec();
                v.insert(i, d);
                out.push(v);
            }
        }
        for v in &mut out {
            let zeros = v.iter().take_while(|b| **b == b'0').count();
            v.drain(..zeros.min(v.len().saturating_sub(1)));
        }
        out.sort();
        out.dedup();
        out.retain(|v| v.as_slice() != n);
        out
    }

    /// Items of `cust` that unresolved references name with a typing error
    /// or cut off at the end of the text.
    fn fuzzy_hits(&self, cust: u32, unresolved: &[usize]) -> Vec<Vec<Hit>> {
        let mut per_ref: Vec<Vec<Hit>> = Vec::new();
        for &k in unresolved {
            let Some(r) = self.parsed.references.get(k) else {
                continue;
            };
            if r.kind == ReferenceKind::PurchaseOrder || r.number.len() < 3 {
                continue;
            }
            let mut found: Vec<Hit> = Vec::new();
            for v in Self::variants(&r.number) {
                for i in self.book.by_number.get(fnv(v.iter().copied())) {
                    let ok = self.book.slot(i).is_some_and(|s| s.cust == cust)
                        && self.open_here(i)
                        && digits(self.book.id(i)) == v;
                    if ok && !found.iter().any(|h| h.item == i) {
                        found.push(Hit {
                            item: i,
                            how: How::Fuzzy,
                            reference: k,
                        });
                    }
                }
            }
            if r.at_end {
                for kind in [ItemKind::Invoice, ItemKind::CreditMemo] {
                    for i in self.open_items_of(cust, kind) {
                        let d = digits(self.book.id(i));
                        if d.len() > r.number.len()
                            && d.starts_with(r.number.as_bytes())
                            && !found.iter().any(|h| h.item == i)
                        {
                            found.push(Hit {
                                item: i,
                                how: How::Truncated,
                                reference: k,
                            });
                        }
                    }
                }
            }
            if !found.is_empty() {
                found.truncate(8);
                per_ref.push(found);
            }
        }
        per_ref
    }

    fn for_customer(
        &self,
        cust: u32,
        basis: PayerBasis,
        hits: &[Hit],
        unresolved: &[usize],
        out: &mut Vec<Cand>,
    ) -> bool {
        let mut complete = true;
        let mine: Vec<Hit> = hits
            .iter()
            .copied()
            .filter(|h| self.book.slot(h.item).is_some_and(|s| s.cust == cust))
            .collect();
        let mut refs: Vec<u32> = mine.iter().map(|h| h.item).collect();
        self.sorted_by_age(&mut refs);
        let mut cands: Vec<Cand> = Vec::new();
        let mk = |score: u8, set: Vec<u32>, fit: Fit, mut reasons: Vec<Reason>| {
            reasons.extend(self.fit_reasons(&set, fit));
            Cand {
                score,
                cust,
                basis,
                set,
                fit,
                reasons,
            }
        };

        // 1. The items referred to, all of them.
        let mut ref_best: u8 = 0;
        if !refs.is_empty() {
            if let Some(fit) = self.fit(&refs, true) {
                let s = self.ref_score(fit, &mine, &refs);
                ref_best = s;
                cands.push(mk(s, refs.clone(), fit, self.ref_reasons(&mine, &refs)));
            }
            let settled = matches!(
                cands.first().map(|c| c.fit),
                Some(Fit::Exact | Fit::Discount | Fit::Tolerated(_) | Fit::LateDiscount)
            );
            // 2. Some of them: the remittance listed more than was paid.
            let ref_invoices: Vec<u32> = refs
                .iter()
                .copied()
                .filter(|&i| {
                    self.book
                        .slot(i)
                        .is_some_and(|s| s.kind == ItemKind::Invoice)
                })
                .collect();
            let ref_credits: Vec<u32> = refs
                .iter()
                .copied()
                .filter(|&i| {
                    self.book
                        .slot(i)
                        .is_some_and(|s| s.kind == ItemKind::CreditMemo)
                })
                .collect();
            if !settled && ref_invoices.len() >= 2 {
                let (found, done) = self.combos(&ref_invoices, &ref_credits, 1);
                complete &= done;
                for (set, fit) in found {
                    if set.len() == refs.len() {
                        continue;
                    }
                    let s = fit
                        .tier()
                        .and_then(|t| score::REF_SUBSET.get(t))
                        .copied()
                        .unwrap_or(0);
                    ref_best = ref_best.max(s);
                    let mut rs = self.ref_reasons(&mine, &set);
                    rs.push(reason(
                        ReasonCode::Combination,
                        format!(
                            "{} of the {} items referred to fit the amount",
                            set.len(),
                            refs.len()
                        ),
                    ));
                    cands.push(mk(s, set, fit, rs));
                }
            }
            // 3. All of them and unlisted ones: the text was cut, or the
            // payer did not list everything.
            let net: i64 = refs
                .iter()
                .map(|&i| match self.book.slot(i).map(|s| s.kind) {
                    Some(ItemKind::CreditMemo) => -self.book.remaining(i),
                    _ => self.book.remaining(i),
                })
                .sum();
            if !settled && self.amount > net && net > 0 {
                let pool: Vec<u32> = self
                    .open_items_of(cust, ItemKind::Invoice)
                    .into_iter()
                    .filter(|i| !refs.contains(i))
                    .take(self.options.max_search_items)
                    .collect();
                let (found, done) = self.combos(&pool, &refs, 1);
                complete &= done;
                for (set, fit) in found {
                    if fit != Fit::Exact {
                        continue;
                    }
                    let extra: Vec<u32> =
                        set.iter().copied().filter(|i| !refs.contains(i)).collect();
                    let mut rs = self.ref_reasons(&mine, &refs);
                    rs.push(reason(
                        ReasonCode::UnlistedItems,
                        format!(
                            "{} not in the remittance complete the amount",
                            self.labels(&extra)
                        ),
                    ));
                    ref_best = ref_best.max(score::REF_UNLISTED);
                    cands.push(mk(score::REF_UNLISTED, set, fit, rs));
                }
            }
        }

        // 4. References with a typing error, only when the amount agrees.
        if self.options.fuzzy && ref_best < score::STRONG && !unresolved.is_empty() {
            let per_ref = self.fuzzy_hits(cust, unresolved);
            if !per_ref.is_empty() {
                // Every choice of one item per reference, bounded.
                let mut choices: Vec<Vec<Hit>> = vec![Vec::new()];
                for options in &per_ref {
                    let mut next = Vec::new();
                    for c in &choices {
                        for h in options {
                            let mut c2 = c.clone();
                            c2.push(*h);
                            next.push(c2);
                        }
                    }
                    choices = next;
                    choices.truncate(64);
                }
                for choice in choices {
                    let mut set = refs.clone();
                    set.extend(choice.iter().map(|h| h.item));
                    self.sorted_by_age(&mut set);
                    if let Some(fit) = self.fit(&set, false) {
                        let s = fit
                            .tier()
                            .and_then(|t| score::FUZZY.get(t))
                            .copied()
                            .unwrap_or(0);
                        let mut all = mine.clone();
                        all.extend(choice);
                        let rs = self.ref_reasons(&all, &set);
                        ref_best = ref_best.max(s);
                        cands.push(mk(s, set, fit, rs));
                    }
                }
            }
        }

        // 5. The amount alone: one item, a run of the oldest, combinations.
        if ref_best < score::STRONG {
            let invoices = self.open_items_of(cust, ItemKind::Invoice);
            let credits = self.open_items_of(cust, ItemKind::CreditMemo);
            let mut amount_cands: Vec<Cand> = Vec::new();
            let cap = self.options.max_proposals * 2 + 2;
            for &i in &invoices {
                if amount_cands.len() >= cap {
                    complete = false;
                    break;
                }
                if let Some(fit) = self.fit(&[i], false) {
                    let s = fit
                        .tier()
                        .and_then(|t| score::SINGLE.get(t))
                        .copied()
                        .unwrap_or(0);
                    let rs = vec![reason(
                        ReasonCode::SingleItem,
                        format!("the amount fits one open item, {}", self.label(i)),
                    )];
                    amount_cands.push(mk(s, vec![i], fit, rs));
                }
            }
            // The oldest items, beyond what the search combines.
            let mut run = 0i64;
            for (k, &i) in invoices.iter().enumerate() {
                run += self.book.remaining(i);
                if run > self.amount {
                    break;
                }
                if run == self.amount && k + 1 > self.options.max_combination {
                    let set: Vec<u32> = invoices.iter().take(k + 1).copied().collect();
                    let rs = vec![reason(
                        ReasonCode::Combination,
                        format!("the amount equals the {} oldest open invoices", k + 1),
                    )];
                    amount_cands.push(mk(score::COMBINATION[0], set, Fit::Exact, rs));
                }
            }
            let pool: Vec<u32> = invoices
                .iter()
                .copied()
                .take(self.options.max_search_items)
                .collect();
            let limited = invoices.len() > pool.len();
            // Open credits the payer may have netted: each choice of the
            // oldest few.
            let credit_pool: Vec<u32> = credits.iter().copied().take(4).collect();
            for mask in 0u32..(1 << credit_pool.len()) {
                let fixed: Vec<u32> = credit_pool
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| mask & (1 << k) != 0)
                    .map(|(_, &c)| c)
                    .collect();
                let min_size = if fixed.is_empty() { 2 } else { 1 };
                let (found, done) = self.combos(&pool, &fixed, min_size);
                complete &= done;
                for (set, fit) in found {
                    let s = fit
                        .tier()
                        .and_then(|t| score::COMBINATION.get(t))
                        .copied()
                        .unwrap_or(0);
                    let rs = vec![reason(
                        ReasonCode::Combination,
                        format!("the amount equals a combination of {}", self.labels(&set)),
                    )];
                    amount_cands.push(mk(s, set, fit, rs));
                }
            }
            if !complete || limited {
                for c in &mut amount_cands {
                    if c.score > score::LIMITED {
                        c.score = score::LIMITED;
                        c.reasons.push(reason(
                            ReasonCode::SearchLimited,
                            format!(
                                "the search for combinations stopped at its bounds ({} of {} open items, {} steps); others may fit as well",
                                pool.len(),
                                invoices.len(),
                                self.options.max_search_steps
                            ),
                        ));
                    }
                }
            }
            // The remittance points one way and the amount another: to other
            // items, or to items already settled (a duplicate payment?).
            let ref_sets: Vec<&Vec<u32>> = cands.iter().map(|c| &c.set).collect();
            let names_closed = self
                .closed
                .iter()
                .any(|&i| self.book.slot(i).is_some_and(|s| s.cust == cust));
            let disagree = (!ref_sets.is_empty() || names_closed)
                && amount_cands.iter().any(|c| !ref_sets.contains(&&c.set));
            if disagree && !amount_cands.is_empty() {
                for c in cands.iter_mut().chain(amount_cands.iter_mut()) {
                    if c.score > score::CONFLICT {
                        c.score = score::CONFLICT;
                        c.reasons.push(reason(
                            ReasonCode::Conflict,
                            "the remittance and the amount point to different items",
                        ));
                    }
                }
            }
            cands.extend(amount_cands);
        }

        for c in &mut cands {
            match basis {
                PayerBasis::Given | PayerBasis::Reference => {}
                PayerBasis::Account | PayerBasis::Name => c.score = c.score.saturating_sub(2),
                PayerBasis::Amount => c.score = c.score.min(score::PAYER_BY_AMOUNT),
            }
            let disputed: Vec<u32> = c
                .set
                .iter()
                .copied()
                .filter(|&i| self.book.slot(i).is_some_and(|s| s.disputed))
                .collect();
            if !disputed.is_empty() {
                c.score = c.score.min(score::DISPUTED);
                c.reasons.push(reason(
                    ReasonCode::Disputed,
                    format!("{} is disputed", self.labels(&disputed)),
                ));
            }
        }
        out.extend(cands);
        complete
    }

    // ---- proposals ------------------------------------------------------------

    /// Turns a candidate into applications. `None` when the fit cannot be
    /// carried out with positive amounts (a discount larger than what the
    /// credits leave, say).
    fn build(&self, c: &Cand) -> Option<(Proposal, Vec<(u32, i64)>)> {
        let b = self.book;
        let r = self.receipt;
        let invoices: Vec<u32> = c
            .set
            .iter()
            .copied()
            .filter(|&i| b.slot(i).is_some_and(|s| s.kind == ItemKind::Invoice))
            .collect();
        let credits: Vec<u32> = c
            .set
            .iter()
            .copied()
            .filter(|&i| b.slot(i).is_some_and(|s| s.kind == ItemKind::CreditMemo))
            .collect();
        let mut need: Vec<i64> = invoices.iter().map(|&i| b.remaining(i)).collect();
        let mut apps: Vec<ProposedApplication> = Vec::new();
        let mut consumes: Vec<(u32, i64)> = Vec::new();
        let item = |i: u32| b.items.get(i as usize);
        let date_of = |extra: NaiveDate, inv: u32| {
            let d = item(inv).map_or(r.date, |m| m.date);
            r.date.max(d).max(extra)
        };
        for &cm in &credits {
            let mut left = b.remaining(cm);
            let cm_date = item(cm).map_or(r.date, |m| m.date);
            for (k, &inv) in invoices.iter().enumerate() {
                let n = need.get_mut(k)?;
                let take = left.min(*n);
                if take <= 0 {
                    continue;
                }
                *n -= take;
                left -= take;
                let m = item(inv)?;
                apps.push(ProposedApplication {
                    source_kind: SourceKind::CreditMemo,
                    source: item(cm)?.id.clone(),
                    invoice: m.id.clone(),
                    installment: m.installment,
                    amount: self.money(take),
                    discount: Decimal::ZERO,
                    write_off: Decimal::ZERO,
                    open_after: self.money(*n),
                    date: date_of(cm_date, inv),
                });
                consumes.push((cm, take));
                consumes.push((inv, take));
            }
            if left != 0 {
                return None;
            }
        }
        let mut cash_left = self.amount;
        let mut unapplied = 0;
        for (k, &inv) in invoices.iter().enumerate() {
            let n = *need.get(k)?;
            if n <= 0 {
                continue;
            }
            let (din, dlate) = self.discounts(inv);
            let (cash, discount, write_off) = match c.fit {
                Fit::Exact | Fit::Over(_) => (n, 0, 0),
                Fit::Discount => (n - din, din, 0),
                Fit::LateDiscount => (n - dlate, 0, 0),
                Fit::Tolerated(_) => {
                    let cash = cash_left.min(n);
                    (cash, 0, n - cash)
                }
                Fit::Short(_) => (cash_left.min(n), 0, 0),
            };
            if cash < 0 || (cash == 0 && discount > 0) {
                return None;
            }
            if cash == 0 && write_off == 0 {
                continue;
            }
            cash_left -= cash;
            let m = item(inv)?;
            let open_after = n - cash - discount - write_off;
            apps.push(ProposedApplication {
                source_kind: SourceKind::Receipt,
                source: r.id.clone(),
                invoice: m.id.clone(),
                installment: m.installment,
                amount: self.money(cash),
                discount: self.money(discount),
                write_off: self.money(write_off),
                open_after: self.money(open_after),
                date: date_of(r.date, inv),
            });
            consumes.push((inv, cash + discount + write_off));
        }
        if let Fit::Over(x) = c.fit {
            unapplied = x;
        }
        if cash_left != unapplied {
            return None;
        }
        let customer = b.customer(c.cust)?.clone();
        let mut reasons = Vec::new();
        let payer_reason = match c.basis {
            PayerBasis::Given => None,
            PayerBasis::Reference => Some((
                ReasonCode::PayerByReference,
                format!("payer {customer} found from the items referred to"),
            )),
            PayerBasis::Account => Some((
                ReasonCode::PayerByAccount,
                format!("payer {customer} has paid from this account before"),
            )),
            PayerBasis::Name => Some((
                ReasonCode::PayerByName,
                format!("payer {customer} named in the remittance"),
            )),
            PayerBasis::Amount => Some((
                ReasonCode::PayerByAmount,
                format!("payer {customer} guessed from the amount alone"),
            )),
        };
        if let Some((code, msg)) = payer_reason {
            reasons.push(reason(code, msg));
        }
        reasons.extend(c.reasons.iter().cloned());
        Some((
            Proposal {
                confidence: c.score,
                customer,
                payer_basis: c.basis,
                applications: apps,
                unapplied: self.money(unapplied),
                reasons,
            },
            consumes,
        ))
    }

    /// Everything for this receipt.
    pub fn run(mut self) -> Evaluated {
        if self.parsed.truncated {
            let msg = format!(
                "only the first {} bytes of the remittance were read",
                self.options.max_remittance_bytes
            );
            self.notes.push(reason(ReasonCode::TextTruncated, msg));
        }
        for bad in self.parsed.bad_creditor_references.clone() {
            self.notes.push(reason(
                ReasonCode::BadCreditorReference,
                format!("{bad:?} looks like a creditor reference but its check digits fail"),
            ));
        }
        let (mut hits, unresolved) = self.resolve();
        let payers = self.payers(&hits);
        if let Some((given, PayerBasis::Given)) = payers.first() {
            let mut others: Vec<u32> = hits
                .iter()
                .filter(|h| self.book.slot(h.item).is_some_and(|s| s.cust != *given))
                .map(|h| h.item)
                .collect();
            others.sort_unstable();
            others.dedup();
            if !others.is_empty() {
                let msg = format!(
                    "{} belongs to another customer and was left out",
                    self.labels(&others)
                );
                self.notes.push(reason(ReasonCode::OtherCustomer, msg));
            }
            hits.retain(|h| self.book.slot(h.item).is_some_and(|s| s.cust == *given));
        }
        let mut cands: Vec<Cand> = Vec::new();
        for &(cust, basis) in &payers {
            self.for_customer(cust, basis, &hits, &unresolved, &mut cands);
        }
        // One candidate per (customer, items), the best scored.
        cands.sort_by(|a, b| {
            (a.cust, &a.set)
                .cmp(&(b.cust, &b.set))
                .then(b.score.cmp(&a.score))
        });
        cands.dedup_by(|a, b| a.cust == b.cust && a.set == b.set);
        let book = self.book;
        let age = |c: &Cand| {
            let mut dues: Vec<NaiveDate> = c
                .set
                .iter()
                .filter_map(|&i| book.slot(i).map(|s| s.due))
                .collect();
            dues.sort_unstable();
            dues
        };
        // Best first; among equals, older items and fewer of them.
        cands.sort_by(|a, b| {
            Reverse(a.score)
                .cmp(&Reverse(b.score))
                .then_with(|| age(a).cmp(&age(b)))
                .then(a.set.len().cmp(&b.set.len()))
                .then_with(|| (a.cust, &a.set).cmp(&(b.cust, &b.set)))
        });
        let mut proposals: Vec<(Proposal, Vec<(u32, i64)>)> = Vec::new();
        for c in &cands {
            if proposals.len() >= self.options.max_proposals {
                let more = cands.len() - proposals.len();
                self.notes.push(reason(
                    ReasonCode::MoreAlternatives,
                    format!("{more} more proposals fit less well or as well and are not listed"),
                ));
                break;
            }
            if let Some(p) = self.build(c) {
                proposals.push(p);
            }
        }
        let top = proposals.first().map_or(0, |p| p.0.confidence);
        let ties = proposals.iter().filter(|p| p.0.confidence == top).count();
        let status = if proposals.is_empty() {
            self.notes.push(reason(
                ReasonCode::NoFit,
                "no open items of the payer fit the amount or the remittance",
            ));
            MatchStatus::Unmatched
        } else if ties > 1 {
            self.notes.push(reason(
                ReasonCode::Ambiguous,
                format!("{ties} proposals fit equally well: none is applied"),
            ));
            MatchStatus::Review
        } else if top >= self.options.auto_threshold {
            MatchStatus::Auto
        } else {
            MatchStatus::Review
        };
        let consumes = if status == MatchStatus::Auto {
            proposals.first().map(|p| p.1.clone()).unwrap_or_default()
        } else {
            Vec::new()
        };
        Evaluated {
            result: ReceiptMatch {
                receipt: self.receipt.id.clone(),
                date: self.receipt.date,
                amount: self.receipt.amount,
                currency: self.receipt.currency,
                status,
                given_payer: self.receipt.customer.clone(),
                references: self.parsed.references.clone(),
                proposals: proposals.into_iter().map(|p| p.0).collect(),
                notes: self.notes,
            },
            consumes,
        }
    }
}

/// Whether the receipt has a reference that leads straight to an open item
/// (such receipts go first in a batch, so amount-only guesses cannot take
/// items that a reference claims).
pub(crate) fn has_direct_reference(book: &Book, parsed: &Remittance) -> bool {
    parsed.references.iter().any(|r| {
        let number = r.number.as_bytes();
        !number.is_empty()
            && book
                .by_number
                .get(fnv(number.iter().copied()))
                .any(|i| book.remaining(i) > 0)
    })
}
