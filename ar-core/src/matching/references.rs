//! References in the remittance, resolved to open items and payers, with
//! the typing errors the matcher is willing to forgive.

use super::evaluate::{Evaluator, Members};
use super::evidence::{reason, Fit, Hit, How};
use super::index::{alnum, amount_key, number_is, number_key, number_of, text_key, Book};
use super::keys::fnv;
use super::remittance::{self, Reference, ReferenceKind, Remittance};
use super::score;
use super::types::{ItemKind, PayerBasis, Reason, ReasonCode};

impl Evaluator<'_> {
    // ---- references -------------------------------------------------------

    pub(super) fn lookup(&self, r: &Reference) -> Vec<(u32, How)> {
        let b = self.book;
        let number = r.number.as_bytes();
        let text = r.text.as_bytes();
        let by_id = |kind: ItemKind| -> Vec<u32> {
            let of_kind = |i: &u32| b.slot(*i).is_some_and(|s| s.kind == kind);
            let mut v: Vec<u32> = if number.is_empty() {
                b.by_ident
                    .get(text_key(text.iter().copied()))
                    .filter(|i| of_kind(i) && alnum(b.id(*i)).eq(text.iter().copied()))
                    .collect()
            } else {
                b.by_ident
                    .get(number_key(number.iter().copied()))
                    .filter(|i| of_kind(i) && number_is(b.id(*i), number))
                    .collect()
            };
            // `A-12` read as "A12" means A-12, not B-12.
            if v.len() > 1 && v.iter().any(|&i| alnum(b.id(i)).eq(text.iter().copied())) {
                v.retain(|&i| alnum(b.id(i)).eq(text.iter().copied()));
            }
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
                        .filter(|&i| number_is(po_of(i), number)),
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
                tag(by_id(ItemKind::Invoice), How::Weak)
            }
            ReferenceKind::Check => tag(by_id(ItemKind::Invoice), How::Weak),
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
    pub(super) fn resolve(&mut self) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut closed: Vec<u32> = Vec::new();
        for (k, r) in self.parsed.references.iter().enumerate() {
            let found = self.lookup(r);
            for (item, how) in found {
                let same_currency = self
                    .book
                    .slot(item)
                    .is_some_and(|s| s.currency == self.receipt.currency);
                if !same_currency {
                    continue;
                }
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
        hits
    }

    /// Of the invoices referred to in installments, keeps the installments
    /// the text names (`INV-7 installment 3 of 3`): the payer says which
    /// one it pays, whatever is older. An invoice none of whose open
    /// installments is named keeps them all.
    pub(super) fn keep_named_installments(&self, hits: &mut Vec<Hit>) {
        let named = &self.parsed.installments;
        if named.is_empty() {
            return;
        }
        let b = self.book;
        let installment = |i: u32| b.items.get(i as usize).and_then(|m| m.installment);
        let group = |i: u32| b.slot(i).map_or(u32::MAX, |s| s.group);
        let with_named: Vec<u32> = hits
            .iter()
            .filter(|h| installment(h.item).is_some_and(|k| named.contains(&k)))
            .map(|h| group(h.item))
            .collect();
        hits.retain(|h| match installment(h.item) {
            Some(k) => named.contains(&k) || !with_named.contains(&group(h.item)),
            None => true,
        });
    }

    // ---- payer ------------------------------------------------------------

    pub(super) fn payers(&mut self, hits: &[Hit]) -> Vec<(u32, PayerBasis)> {
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
                        // Only the first five are kept.
                        if out.len() >= 5 {
                            break;
                        }
                    }
                }
            }
        }
        if !out.is_empty() {
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
        // The first three payers named, in the bank's payer name, then in
        // the remittance as far as it is read.
        const NAMED: usize = 3;
        let max = self.options.max_remittance_bytes;
        let mut names = Vec::new();
        if let Some(n) = &self.receipt.payer_name {
            names = b.names_in(remittance::read_prefix(n, max), NAMED);
        }
        let more = b.names_in(
            remittance::read_prefix(&self.receipt.remittance, max),
            NAMED.saturating_add(names.len()),
        );
        for c in more {
            if names.len() >= NAMED {
                break;
            }
            if !names.contains(&c) {
                names.push(c);
            }
        }
        if !names.is_empty() {
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
            .with_amount(key)
            .filter(|&i| {
                let rem = b.remaining(i);
                rem == self.amount
                    || b.slot(i)
                        .is_some_and(|s| s.disc > 0 && rem.checked_sub(s.disc) == Some(self.amount))
            })
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

    pub(super) fn ref_reasons(&self, hits: &[Hit], set: &[u32]) -> Vec<Reason> {
        let mut out = Vec::new();
        // The first hit of each item (by a map when there are many, so the
        // work stays linear), and the messages so far.
        let many = hits.len() > 32;
        let mut first: std::collections::HashMap<u32, &Hit> = Default::default();
        if many {
            for h in hits {
                first.entry(h.item).or_insert(h);
            }
        }
        // Past a few dozen reasons, the messages said so far in a set.
        let mut said: Option<std::collections::HashSet<String>> = None;
        for &i in set {
            let found = if many {
                first.get(&i).copied()
            } else {
                hits.iter().find(|h| h.item == i)
            };
            let Some(h) = found else {
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
                How::Weak => (
                    ReasonCode::NotInvoiceNumber,
                    format!(
                        "{} has the number of {written:?}, a purchase-order or check number: read as an invoice number only because nothing else is referred to",
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
            let repeated = match &mut said {
                Some(set) => !set.insert(msg.clone()),
                None => out.iter().any(|r: &Reason| r.message == msg),
            };
            if repeated {
                continue;
            }
            out.push(reason(code, msg));
            if said.is_none() && out.len() > 32 {
                said = Some(out.iter().map(|r| r.message.clone()).collect());
            }
        }
        out
    }

    pub(super) fn ref_score(&self, fit: Fit, hits: &[Hit], set: &[u32]) -> u8 {
        let by_creditor: Members<u32> = hits
            .iter()
            .filter(|h| h.how == How::Creditor)
            .map(|h| h.item)
            .collect();
        let creditor = set.iter().all(|i| by_creditor.contains(i));
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
            Fit::LateDiscount | Fit::MixedDiscount => score::REF_LATE_DISCOUNT,
            Fit::Over(_) => score::REF_OVER,
            Fit::Short(_) if invoices == 1 => score::REF_SHORT_ONE,
            Fit::Short(_) => score::REF_SHORT_MANY,
        }
    }

    /// Variants of a number one typing error away: adjacent digits
    /// swapped, a doubled digit typed once more, a digit dropped.
    pub(super) fn variants(number: &str) -> Vec<Vec<u8>> {
        let n = number.as_bytes();
        let mut out: Vec<Vec<u8>> = Vec::new();
        if n.len() < 3 || n.len() > 18 {
            return out;
        }
        // Each digit with the next (3 to 18 digits: no overflow).
        for (i, j) in (0..n.len()).zip(1..n.len()) {
            let mut v = n.to_vec();
            v.swap(i, j);
            out.push(v);
            if n.get(i) == n.get(j) {
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
    pub(super) fn fuzzy_hits(&self, cust: u32, unresolved: &[usize]) -> Vec<Vec<Hit>> {
        let mut per_ref: Vec<Vec<Hit>> = Vec::new();
        for &k in unresolved {
            let Some(r) = self.parsed.references.get(k) else {
                continue;
            };
            if matches!(r.kind, ReferenceKind::PurchaseOrder | ReferenceKind::Check)
                || r.number.len() < 3
            {
                continue;
            }
            // The first few found are kept: the search stops there.
            const KEPT: usize = 8;
            let mut found: Vec<Hit> = Vec::new();
            'variants: for v in Self::variants(&r.number) {
                for i in self.book.by_ident.get(number_key(v.iter().copied())) {
                    let ok = self.book.slot(i).is_some_and(|s| s.cust == cust)
                        && self.open_here(i)
                        && number_is(self.book.id(i), &v);
                    if ok && !found.iter().any(|h| h.item == i) {
                        found.push(Hit {
                            item: i,
                            how: How::Fuzzy,
                            reference: k,
                        });
                        if found.len() >= KEPT {
                            break 'variants;
                        }
                    }
                }
            }
            if r.at_end && found.len() < KEPT {
                'kinds: for kind in [ItemKind::Invoice, ItemKind::CreditMemo] {
                    for i in self.open_items_of(cust, kind) {
                        let mut d = number_of(self.book.id(i));
                        let prefix = r.number.bytes().all(|c| d.next() == Some(c));
                        if prefix && d.next().is_some() && !found.iter().any(|h| h.item == i) {
                            found.push(Hit {
                                item: i,
                                how: How::Truncated,
                                reference: k,
                            });
                            if found.len() >= KEPT {
                                break 'kinds;
                            }
                        }
                    }
                }
            }
            if !found.is_empty() {
                per_ref.push(found);
            }
        }
        per_ref
    }
}

/// Whether the receipt has a reference that leads straight to an open item
/// (such receipts go first in a batch, so amount-only guesses cannot take
/// items that a reference claims).
pub(crate) fn has_direct_reference(book: &Book, parsed: &Remittance) -> bool {
    parsed.references.iter().any(|r| {
        let number = r.number.as_bytes();
        // A purchase-order or check number that is also an invoice's
        // number is no claim on that invoice.
        let claims = !matches!(r.kind, ReferenceKind::PurchaseOrder | ReferenceKind::Check);
        claims
            && !number.is_empty()
            && book
                .by_ident
                .get(number_key(number.iter().copied()))
                .any(|i| book.remaining(i) > 0)
    })
}
