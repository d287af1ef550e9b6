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

use super::fit::Fit;
use super::index::{from_minor, Book};
use super::references::Hit;
use super::remittance::{self, Remittance};
use super::score;
use super::types::{
    ItemKind, MatchOptions, MatchReceipt, MatchStatus, PayerBasis, Proposal, Reason, ReasonCode,
    ReceiptMatch,
};

/// A candidate before it becomes a proposal.
#[derive(Debug, Clone)]
pub(super) struct Cand {
    pub score: u8,
    pub cust: u32,
    pub basis: PayerBasis,
    /// Items, in the customer's age order.
    pub set: Vec<u32>,
    pub fit: Fit,
    pub reasons: Vec<Reason>,
}

/// A receipt's proposals, with what applying the first would consume.
pub(crate) struct Evaluated {
    pub result: ReceiptMatch,
    /// (item, amount) to consume when the first proposal is applied.
    pub consumes: Vec<(u32, i64)>,
}

pub(super) fn reason(code: ReasonCode, message: impl Into<String>) -> Reason {
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
    pub notes: Vec<Reason>,
    /// Items referred to that are no longer open.
    pub closed: Vec<u32>,
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

    pub(super) fn money(&self, v: i64) -> Decimal {
        from_minor(v, self.receipt.currency)
    }

    pub(super) fn open_here(&self, i: u32) -> bool {
        self.book
            .slot(i)
            .is_some_and(|s| s.currency == self.receipt.currency)
            && self.book.remaining(i) > 0
    }

    pub(super) fn label(&self, i: u32) -> String {
        match self.book.items.get(i as usize) {
            Some(m) => match m.installment {
                Some(k) => format!("{} #{k}", m.id),
                None => m.id.clone(),
            },
            None => String::new(),
        }
    }

    pub(super) fn labels(&self, set: &[u32]) -> String {
        let v: Vec<String> = set.iter().map(|&i| self.label(i)).collect();
        v.join(", ")
    }

    // ---- per customer -------------------------------------------------------

    pub(super) fn open_items_of(&self, cust: u32, kind: ItemKind) -> Vec<u32> {
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
