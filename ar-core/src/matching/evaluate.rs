//! Proposals for one receipt: the evidence, the candidates, the decision.
//!
//! The evidence is tried strongest first. References that lead to the
//! payer's open items come first; typing errors in references next, but
//! only when the amount corroborates them; the amount alone last (one item,
//! then combinations). Each candidate is scored by the kind of evidence and
//! of fit (exact, discount, tolerated short pay, ...). The scores are fixed
//! tiers, not learned weights, so every figure can be explained and tested.

use std::cmp::Reverse;
use std::collections::HashSet;
use std::hash::Hash;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::evidence::{reason, Fit, Hit, How};
use super::index::{from_minor, Book};
use super::remittance::{self, Remittance};
use super::score;
use super::types::{
    ItemKind, MatchOptions, MatchReceipt, MatchStatus, PartialPayments, PayerBasis, Proposal,
    Reason, ReasonCode, ReceiptMatch, ToleranceEvidence,
};

/// A set to test membership in: a list while small (the usual case, and
/// cheaper than hashing), a hash set past a few dozen, so that a large
/// input costs linear time, not quadratic.
pub(super) enum Members<T> {
    Few(Vec<T>),
    Many(HashSet<T>),
}

impl<T: Hash + Eq> Members<T> {
    /// Past this many, a hash set.
    const FEW: usize = 32;

    pub fn new() -> Self {
        Members::Few(Vec::new())
    }

    /// Adds `v`; false when it was there already.
    pub fn insert(&mut self, v: T) -> bool {
        match self {
            Members::Few(list) if list.contains(&v) => false,
            Members::Few(list) if list.len() < Self::FEW => {
                list.push(v);
                true
            }
            Members::Few(list) => {
                let mut set: HashSet<T> = std::mem::take(list).into_iter().collect();
                let added = set.insert(v);
                *self = Members::Many(set);
                added
            }
            Members::Many(set) => set.insert(v),
        }
    }

    pub fn contains(&self, v: &T) -> bool {
        match self {
            Members::Few(list) => list.contains(v),
            Members::Many(set) => set.contains(v),
        }
    }
}

impl<T: Hash + Eq> FromIterator<T> for Members<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut m = Members::new();
        for v in iter {
            m.insert(v);
        }
        m
    }
}

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
    /// Found by the amount alone: no text points at the items.
    pub amount_only: bool,
    /// Never applied automatically, whatever its score: the evidence or
    /// the options call for a person.
    pub no_auto: bool,
}

/// The score of `fit` in a table of tiers (exact, discount, late, tolerated).
fn tier(table: &[u8; 4], fit: Fit) -> u8 {
    fit.tier().and_then(|t| table.get(t)).copied().unwrap_or(0)
}

/// A receipt's proposals, with what applying the first would consume.
pub(crate) struct Evaluated {
    pub result: ReceiptMatch,
    /// (item, amount) to consume when the first proposal is applied.
    pub consumes: Vec<(u32, i64)>,
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

    fn for_customer(&self, cust: u32, basis: PayerBasis, hits: &[Hit], out: &mut Vec<Cand>) {
        let mut mine: Vec<Hit> = hits
            .iter()
            .copied()
            .filter(|h| self.book.slot(h.item).is_some_and(|s| s.cust == cust))
            .collect();
        // Purchase-order and check numbers read as invoice numbers count
        // only when nothing else leads to this customer's items.
        let weak_only = !mine.is_empty() && mine.iter().all(|h| h.how == How::Weak);
        if !weak_only {
            mine.retain(|h| h.how != How::Weak);
        }
        // References that lead to none of this customer's open items: the
        // ones a typing error may explain.
        let resolved: Members<usize> = mine.iter().map(|h| h.reference).collect();
        let unresolved: Vec<usize> = (0..self.parsed.references.len())
            .filter(|k| !resolved.contains(k))
            .collect();
        let mut refs: Vec<u32> = mine.iter().map(|h| h.item).collect();
        self.sorted_by_age(&mut refs);
        let mk = |score: u8, set: Vec<u32>, fit: Fit, mut reasons: Vec<Reason>| {
            reasons.extend(self.fit_reasons(&set, fit));
            Cand {
                score,
                cust,
                basis,
                set,
                fit,
                reasons,
                amount_only: false,
                no_auto: false,
            }
        };
        let mut cands: Vec<Cand> = Vec::new();

        // 1. The items referred to: all, some, or with unlisted ones.
        if !refs.is_empty() {
            let all_fit = self.fit(&refs, true);
            let settled = matches!(
                all_fit,
                Some(
                    Fit::Exact
                        | Fit::Discount
                        | Fit::Tolerated(_)
                        | Fit::LateDiscount
                        | Fit::MixedDiscount
                )
            );
            if let Some(fit) = all_fit {
                let s = self.ref_score(fit, &mine, &refs);
                let mut c = mk(s, refs.clone(), fit, self.ref_reasons(&mine, &refs));
                if let Fit::Short(short) = fit {
                    self.partial_policy(&mut c, short);
                }
                cands.push(c);
            }
            let (ref_invoices, ref_credits) = self.by_kind(&refs);
            if !settled && ref_invoices.len() >= 2 {
                let (found, _) = self.combos(&ref_invoices, &ref_credits, 1);
                for (set, fit, _) in found {
                    if set.len() == refs.len() {
                        continue;
                    }
                    let s = tier(&score::REF_SUBSET, fit);
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
            let net = self.net(&refs).unwrap_or(0);
            if !settled && self.amount > net && net > 0 {
                let listed: Members<u32> = refs.iter().copied().collect();
                for (set, why) in self.unlisted(cust, &refs) {
                    let extra: Vec<u32> = set
                        .iter()
                        .copied()
                        .filter(|i| !listed.contains(i))
                        .collect();
                    let mut rs = self.ref_reasons(&mine, &refs);
                    rs.push(reason(
                        ReasonCode::UnlistedItems,
                        format!(
                            "{} not in the remittance complete the amount: {why}",
                            self.labels(&extra)
                        ),
                    ));
                    cands.push(mk(score::REF_UNLISTED, set, Fit::Exact, rs));
                }
                // An exact completion beats reading the rest as an
                // overpayment, and so does a text that may have been cut.
                let cut = self.looks_cut();
                let completed = cands.iter().any(|c| c.fit == Fit::Exact);
                for c in &mut cands {
                    let Fit::Over(extra) = c.fit else { continue };
                    // Twice or more what is open is more likely
                    // unlisted invoices, or a duplicate payment, than an
                    // overpayment to keep on account.
                    let large = extra >= net;
                    if (cut || completed || large) && c.score > score::CONFLICT {
                        c.score = score::CONFLICT;
                        let why = if cut {
                            "the remittance has the length of a bank field and may have been cut: the rest may pay invoices it does not list"
                        } else {
                            "the amount is well over what the items referred to have open: it may pay others too"
                        };
                        c.reasons.push(reason(ReasonCode::TextTruncated, why));
                    }
                }
            }
        }
        // Read as invoice numbers only if nothing else fits (below).
        let mut weak: Vec<Cand> = Vec::new();
        if weak_only {
            for mut c in cands.drain(..) {
                c.score = c.score.min(score::CONFLICT);
                c.no_auto = true;
                weak.push(c);
            }
        }
        let ref_best = cands.iter().map(|c| c.score).max().unwrap_or(0);

        // 2. References with a typing error, only when the amount agrees.
        if self.options.fuzzy && ref_best < score::STRONG && !unresolved.is_empty() {
            let per_ref = self.fuzzy_hits(cust, &unresolved);
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
            for choice in choices.into_iter().filter(|c| !c.is_empty()) {
                let mut set = refs.clone();
                set.extend(choice.iter().map(|h| h.item));
                self.sorted_by_age(&mut set);
                if let Some(fit) = self.fit(&set, false) {
                    let mut all = mine.clone();
                    all.extend(choice);
                    let rs = self.ref_reasons(&all, &set);
                    cands.push(mk(tier(&score::FUZZY, fit), set, fit, rs));
                }
            }
        }
        let ref_best = cands.iter().map(|c| c.score).max().unwrap_or(0);

        // 3. The amount alone: one item, a run of items due one after the
        // other, or a combination.
        if ref_best < score::STRONG {
            let amount_cands = self.by_amount(cust, &mk);
            // The remittance points one way and the amount another: to
            // other items, or to items already settled (paid twice?).
            let ref_sets: Vec<&Vec<u32>> = cands.iter().map(|c| &c.set).collect();
            let names_closed = self
                .closed
                .iter()
                .any(|&i| self.book.slot(i).is_some_and(|s| s.cust == cust));
            let disagree = (!ref_sets.is_empty() || names_closed)
                && amount_cands.iter().any(|c| !ref_sets.contains(&&c.set));
            let mut amount_cands = amount_cands;
            if disagree {
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
        if cands.is_empty() {
            cands = weak;
        }

        for c in &mut cands {
            match basis {
                PayerBasis::Given => {}
                // A payer found from a reference the amount does not bear out
                // may be the wrong payer.
                PayerBasis::Reference => {
                    if matches!(c.fit, Fit::Over(_) | Fit::Short(_)) {
                        c.score = c.score.min(score::CONFLICT);
                    }
                }
                // An account the customer paid from before (and no other
                // customer did) identifies it as well as the bank naming it.
                PayerBasis::Account => {}
                PayerBasis::Name => c.score = c.score.saturating_sub(2),
                PayerBasis::Amount => c.score = c.score.min(score::PAYER_BY_AMOUNT),
            }
            self.tolerance_policy(c);
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
    }

    /// A write-off by tolerance needs evidence that the items are the ones
    /// paid ([`ToleranceEvidence`]): under the default, a fit found by the
    /// amount alone is capped below the threshold and never applied.
    fn tolerance_policy(&self, c: &mut Cand) {
        let Fit::Tolerated(short) = c.fit else {
            return;
        };
        let why = match self.options.tolerance_evidence {
            ToleranceEvidence::Any => return,
            ToleranceEvidence::Reference if !c.amount_only => return,
            ToleranceEvidence::Reference => "only the amount points at the items",
            ToleranceEvidence::ReviewOnly => "the options review every write-off",
        };
        c.score = c.score.min(score::CONFLICT);
        c.no_auto = true;
        c.reasons.push(reason(
            ReasonCode::ToleranceUnsupported,
            format!(
                "a write-off of {} within the tolerance, but {why}: for review",
                self.money(short)
            ),
        ));
    }

    /// The items referred to, paid short beyond the tolerance: a partial
    /// payment, for review unless the options let it be applied, or a
    /// deduction the remittance names (`short 45.00 damaged`).
    fn partial_policy(&self, c: &mut Cand, short: i64) {
        let named = self.parsed.deductions.contains(&self.money(short));
        if named || self.options.partial_payments == PartialPayments::Auto {
            return;
        }
        c.no_auto = true;
        c.reasons.push(reason(
            ReasonCode::PartialPayment,
            format!(
                "a partial payment, {} left open: partial payments are reviewed",
                self.money(short)
            ),
        ));
    }

    /// Whether the remittance may have been cut by a bank's field limit:
    /// it fills, or nearly fills, a multiple of 35 characters (SWIFT
    /// lines, 140 in all) or the 80 of an ACH addenda record (a cut text
    /// may also lose a trailing separator or a partial word).
    fn looks_cut(&self) -> bool {
        let n = self.receipt.remittance.chars().count();
        n >= 70 && (n.is_multiple_of(35) || n % 35 >= 30 || (75..=80).contains(&n))
    }

    /// The invoices and the credit memos of `set`, each in the set's order.
    pub(super) fn by_kind(&self, set: &[u32]) -> (Vec<u32>, Vec<u32>) {
        set.iter().partition(|&&i| {
            self.book
                .slot(i)
                .is_some_and(|s| s.kind == ItemKind::Invoice)
        })
    }

    /// What an item counts towards a set's net: invoices up, credits down.
    pub(super) fn signed(&self, i: u32) -> i64 {
        match self.book.slot(i).map(|s| s.kind) {
            // What is open is at least zero: its negation is exact.
            Some(ItemKind::CreditMemo) => self.book.remaining(i).saturating_neg(),
            _ => self.book.remaining(i),
        }
    }

    /// The net of `set` (invoices less credits); `None` beyond i64, which
    /// no receipt settles.
    pub(super) fn net(&self, set: &[u32]) -> Option<i64> {
        set.iter()
            .try_fold(0i64, |net, &i| net.checked_add(self.signed(i)))
    }

    /// Candidates from the amount alone.
    fn by_amount(
        &self,
        cust: u32,
        mk: &dyn Fn(u8, Vec<u32>, Fit, Vec<Reason>) -> Cand,
    ) -> Vec<Cand> {
        let invoices = self.open_items_of(cust, ItemKind::Invoice);
        let credits = self.open_items_of(cust, ItemKind::CreditMemo);
        let mut found: Vec<Cand> = Vec::new();
        // At most 1,000 proposals (`check_options`): exact.
        let cap = self
            .options
            .max_proposals
            .saturating_mul(2)
            .saturating_add(2);
        // One item: a complete scan.
        for &i in &invoices {
            if found.len() >= cap {
                break;
            }
            if !self.installments_in_order(&[i]) {
                continue;
            }
            if let Some(fit) = self.fit(&[i], false) {
                let rs = vec![reason(
                    ReasonCode::SingleItem,
                    format!("the amount fits one open item, {}", self.label(i)),
                )];
                found.push(mk(tier(&score::SINGLE, fit), vec![i], fit, rs));
            }
        }
        // A run: invoices due one after the other (disputed ones left out,
        // as payers hold them back), paid exactly.
        let run: Vec<u32> = invoices
            .iter()
            .copied()
            .filter(|&i| self.book.slot(i).is_some_and(|s| !s.disputed))
            .collect();
        // A window `lo..=hi` whose sum never exceeds the amount: an item
        // is added only where it fits (`r <= amount - sum`), after the
        // oldest ones are dropped to make room. The sum and the room are
        // then in 0..=amount, so the operations below are exact; `lo`
        // stays within `run`.
        let (mut lo, mut sum) = (0usize, 0i64);
        let room = |sum: i64| self.amount.wrapping_sub(sum);
        for (hi, &i) in run.iter().enumerate() {
            let r = self.book.remaining(i);
            while lo < hi && r > room(sum) {
                let first = run.get(lo).map_or(0, |&j| self.book.remaining(j));
                sum = sum.wrapping_sub(first);
                lo = lo.wrapping_add(1);
            }
            if r > room(sum) {
                // Over the amount on its own: the window starts after it.
                (sum, lo) = (0, hi.wrapping_add(1));
                continue;
            }
            sum = sum.wrapping_add(r);
            if sum == self.amount && hi > lo && found.len() < cap {
                let set: Vec<u32> = run.get(lo..=hi).unwrap_or_default().to_vec();
                let rs = vec![reason(
                    ReasonCode::Combination,
                    format!(
                        "the amount equals the {} open invoices due from {} to {}",
                        set.len(),
                        self.due(set.first()),
                        self.due(set.last())
                    ),
                )];
                found.push(mk(score::RUN, set, Fit::Exact, rs));
            }
        }
        // Combinations of the oldest items, with the oldest few open
        // credits the payer may have netted.
        let pool: Vec<u32> = invoices
            .iter()
            .copied()
            .take(self.options.max_search_items)
            .collect();
        let credit_pool: Vec<u32> = credits.iter().copied().take(4).collect();
        let mut complete = true;
        let mut combos: Vec<Cand> = Vec::new();
        for mask in 0u32..(1 << credit_pool.len()) {
            let fixed: Vec<u32> = credit_pool
                .iter()
                .enumerate()
                .filter(|(k, _)| mask & (1 << k) != 0)
                .map(|(_, &c)| c)
                .collect();
            let min_size = if fixed.is_empty() { 2 } else { 1 };
            let (sets, done) = self.combos(&pool, &fixed, min_size);
            complete &= done;
            for (set, fit, odds) in sets {
                let s = tier(&score::COMBINATION, fit).min(odds);
                let rs = vec![reason(
                    ReasonCode::Combination,
                    format!("the amount equals a combination of {}", self.labels(&set)),
                )];
                combos.push(mk(s, set, fit, rs));
            }
        }
        if !complete || invoices.len() > pool.len() {
            for c in &mut combos {
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
        found.extend(combos);
        // A tolerated short pay is a fallback: not when something fits
        // without one.
        if found.iter().any(|c| !matches!(c.fit, Fit::Tolerated(_))) {
            found.retain(|c| !matches!(c.fit, Fit::Tolerated(_)));
        }
        for c in &mut found {
            c.amount_only = true;
        }
        found
    }

    fn due(&self, i: Option<&u32>) -> String {
        i.and_then(|&i| self.book.slot(i))
            .map_or(String::new(), |s| s.due.to_string())
    }

    /// Items the remittance did not list that complete the amount, with
    /// the reading that finds them: the invoices numbered after the last
    /// one listed (a list cut off), the ones due after it, or a small
    /// combination of the oldest.
    fn unlisted(&self, cust: u32, refs: &[u32]) -> Vec<(Vec<u32>, &'static str)> {
        let mut out: Vec<(Vec<u32>, &'static str)> = Vec::new();
        let Some(need) = self.net(refs).and_then(|net| self.amount.checked_sub(net)) else {
            return out;
        };
        let listed: Members<u32> = refs.iter().copied().collect();
        let others: Vec<u32> = self
            .open_items_of(cust, ItemKind::Invoice)
            .into_iter()
            .filter(|i| !listed.contains(i))
            .collect();
        let number = |i: u32| -> (usize, Vec<u8>) {
            let d = super::index::digits(self.book.id(i));
            (d.len(), d)
        };
        let last_number = refs.iter().map(|&i| number(i)).max();
        let last_due = refs
            .iter()
            .filter_map(|&i| self.book.slot(i))
            .map(|s| s.due)
            .max();
        let mut by_number: Vec<u32> = others
            .iter()
            .copied()
            .filter(|&i| last_number.as_ref().is_some_and(|l| number(i) > *l))
            .collect();
        by_number.sort_by_cached_key(|&i| number(i));
        let by_due: Vec<u32> = others
            .iter()
            .copied()
            .filter(|&i| last_due.is_some_and(|d| self.book.slot(i).is_some_and(|s| s.due >= d)))
            .collect();
        for (list, why) in [
            (
                by_number,
                "the invoices numbered next after the last one listed",
            ),
            (by_due, "the invoices due next after the last one listed"),
        ] {
            let mut sum = 0i64;
            for (k, &i) in list.iter().enumerate() {
                // Past i64 is past what is needed.
                let Some(more) = sum.checked_add(self.book.remaining(i)) else {
                    break;
                };
                sum = more;
                if sum >= need {
                    if sum == need {
                        let mut set = refs.to_vec();
                        set.extend(list.iter().take(k.saturating_add(1)));
                        self.sorted_by_age(&mut set);
                        if !out.iter().any(|(s, _)| *s == set) {
                            out.push((set, why));
                        }
                    }
                    break;
                }
            }
        }
        if out.is_empty() {
            let pool: Vec<u32> = others
                .into_iter()
                .take(self.options.max_search_items)
                .collect();
            let (found, complete) = self.combos(&pool, refs, 1);
            if complete && found.len() == 1 {
                for (set, fit, odds) in found {
                    if fit == Fit::Exact && odds >= score::REF_UNLISTED {
                        out.push((set, "a combination of open invoices"));
                    }
                }
            }
        }
        out
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
        let mut hits = self.resolve();
        self.keep_named_installments(&mut hits);
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
            self.for_customer(cust, basis, &hits, &mut cands);
        }
        if self.parsed.no_invoice {
            self.notes.push(reason(
                ReasonCode::NoInvoice,
                "the remittance says the cash pays no invoice (a prepayment, deposit or advance): nothing is applied automatically",
            ));
            for c in &mut cands {
                c.no_auto = true;
            }
        }
        // One candidate per (customer, items), the best scored.
        cands.sort_by(|a, b| {
            (a.cust, &a.set)
                .cmp(&(b.cust, &b.set))
                .then(b.score.cmp(&a.score))
        });
        cands.dedup_by(|a, b| a.cust == b.cust && a.set == b.set);
        let book = self.book;
        // Best first; among equals, older items and fewer of them.
        cands.sort_by_cached_key(|c| {
            let mut dues: Vec<NaiveDate> = c
                .set
                .iter()
                .filter_map(|&i| book.slot(i).map(|s| s.due))
                .collect();
            dues.sort_unstable();
            (Reverse(c.score), dues, c.set.len(), c.cust, c.set.clone())
        });
        // With what applying it consumes, and whether it may be applied
        // automatically.
        type Built = (Proposal, Vec<(u32, i64)>, bool);
        let mut proposals: Vec<Built> = Vec::new();
        for c in &cands {
            if proposals.len() >= self.options.max_proposals {
                let more = cands.len().saturating_sub(proposals.len());
                self.notes.push(reason(
                    ReasonCode::MoreAlternatives,
                    format!("{more} more proposals fit less well or as well and are not listed"),
                ));
                break;
            }
            if let Some((p, consumes)) = self.build(c) {
                proposals.push((p, consumes, !c.no_auto));
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
        } else if top >= self.options.auto_threshold && proposals.first().is_some_and(|p| p.2) {
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
