//! A matcher kept for daily use: items added, changed and settled outside
//! it are told to it, so that a day's run costs what the day's receipts
//! and changes cost, not a rebuild of every open item.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::limits::check_count;

use super::index::{amount_keys, amounts_of, check_accounts, ident_key, Book, Chains};
use super::types::{ItemKind, MatchCustomer, MatchItem};

const NONE: u32 = u32::MAX;

/// An item's open amount and discount in minor units, and the discount's
/// last day (see `amounts_of`).
type Amounts = (i64, i64, Option<chrono::NaiveDate>);

/// An open item's identity (kind, id and installment), for
/// [`super::Matcher::remove_items`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MatchItemKey {
    /// Invoice or credit memo.
    pub kind: ItemKind,
    /// Its id.
    pub id: String,
    /// Its installment, for an invoice paid in installments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installment: Option<u32>,
}

impl MatchItemKey {
    /// The key of invoice `id` (no installment).
    pub fn invoice(id: impl Into<String>) -> Self {
        MatchItemKey {
            kind: ItemKind::Invoice,
            id: id.into(),
            installment: None,
        }
    }

    /// The key of `item`.
    pub fn of(item: &MatchItem) -> Self {
        MatchItemKey {
            kind: item.kind,
            id: item.id.clone(),
            installment: item.installment,
        }
    }
}

/// What a matcher needs to be told to stand as the books now do (see
/// `Ledger::match_changes`): items as they now stand, the keys of items no
/// longer open, and the log's length they are current through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MatchChanges {
    /// Open items of the documents touched, as they now stand.
    pub items: Vec<MatchItem>,
    /// Installments and credit memos of those documents no longer open.
    pub closed: Vec<MatchItemKey>,
    /// The number of events the changes are current through: the `since`
    /// of the next call.
    pub through: usize,
}

impl MatchChanges {
    /// Changes of `items` and `closed` through `through` events.
    pub fn new(items: Vec<MatchItem>, closed: Vec<MatchItemKey>, through: usize) -> Self {
        MatchChanges {
            items,
            closed,
            through,
        }
    }
}

/// Items changed or added in one call, at most (a day's work is far less).
pub const MAX_CHANGES: usize = 1_000_000;

impl Book {
    /// The index of the item of `kind`, `id` and `installment`.
    pub(super) fn find(&self, kind: ItemKind, id: &str, installment: Option<u32>) -> Option<u32> {
        self.by_ident.get(ident_key(id)).find(|&i| {
            self.items
                .get(i as usize)
                .is_some_and(|m| m.kind == kind && m.id == id && m.installment == installment)
        })
    }

    /// Adds `items` and files `customers`, all or nothing.
    pub(super) fn add(&mut self, items: Vec<MatchItem>, customers: &[MatchCustomer]) -> Result<()> {
        check_count("items", items.len(), MAX_CHANGES)?;
        check_accounts(customers)?;
        let amounts = self.check_new(items.iter().enumerate())?;
        self.apply_new(items, amounts);
        self.add_customers(customers);
        Ok(())
    }

    /// Checks items to add (`(k, item)`, named `items[k]`): valid, none
    /// held already nor given twice, room for them all. Their amounts.
    fn check_new<'a>(
        &self,
        items: impl ExactSizeIterator<Item = (usize, &'a MatchItem)>,
    ) -> Result<Vec<Amounts>> {
        let total = self.items.len().saturating_add(items.len());
        if u32::try_from(total).map_or(true, |n| n == NONE) {
            return Err(Error::invalid_value(
                "items",
                total,
                "must number fewer than 4,294,967,295 in all",
            ));
        }
        let mut seen: HashSet<(ItemKind, &str, Option<u32>)> = HashSet::new();
        let mut amounts = Vec::with_capacity(items.len());
        for (k, item) in items {
            let f = |name: &str| format!("items[{k}].{name}");
            amounts.push(amounts_of(item, f)?);
            let fresh = seen.insert((item.kind, item.id.as_str(), item.installment));
            if !fresh || self.find(item.kind, &item.id, item.installment).is_some() {
                return Err(Error::DuplicateId {
                    field: f("id"),
                    kind: item.kind.name().to_owned(),
                    id: match item.installment {
                        Some(n) => format!("{} installment {n}", item.id),
                        None => item.id.clone(),
                    },
                });
            }
        }
        Ok(amounts)
    }

    /// Adds items [`Book::check_new`] passed, with their amounts.
    fn apply_new(&mut self, items: Vec<MatchItem>, amounts: Vec<Amounts>) {
        let total = self.items.len().saturating_add(items.len());
        for chains in [
            &mut self.by_ident,
            &mut self.by_po_number,
            &mut self.by_po_text,
        ] {
            chains.grow(total);
        }
        let mut all = std::mem::take(&mut self.items);
        let mut heads = self.group_heads.take();
        if let Some(h) = &mut heads {
            h.grow(total);
        }
        let mut touched: HashSet<u32> = HashSet::new();
        for (item, (open, disc, until)) in items.into_iter().zip(amounts) {
            let idx = u32::try_from(all.len()).unwrap_or(NONE);
            let cust = self.customer_index(&item.customer);
            touched.insert(cust);
            self.file(
                &item,
                idx,
                ident_key(&item.id),
                cust,
                NONE,
                (open, disc, until),
            );
            let installment = item.installment.is_some();
            all.push(item);
            let Some(item) = all.last() else { continue };
            let group = match (&mut heads, installment) {
                (h, true) => {
                    let h = h.get_or_insert_with(|| Chains::new(total, 0));
                    self.group_of(&all, h, item, idx, true)
                }
                (Some(h), false) => self.group_of(&all, h, item, idx, false),
                (None, false) => NONE,
            };
            if let Some(s) = self.slots.get_mut(idx as usize) {
                s.group = group;
            }
            self.file_amount(idx);
        }
        self.items = all;
        self.group_heads = heads;
        self.rerank(touched);
        self.sort_later_amounts();
    }

    /// Replaces items by the ones given (same kind, id, installment and
    /// customer): what is open, the discount on offer, the due date and
    /// the dispute, as they stand after changes made outside the matcher.
    pub(super) fn update(&mut self, items: Vec<MatchItem>) -> Result<()> {
        check_count("items", items.len(), MAX_CHANGES)?;
        let found = self.check_known(items.iter().enumerate())?;
        self.apply_known(items, found);
        Ok(())
    }

    /// Checks items to replace (`(k, item)`, named `items[k]`): valid,
    /// held, of the same customer and currency. Where each is, and its
    /// amounts.
    fn check_known<'a>(
        &self,
        items: impl ExactSizeIterator<Item = (usize, &'a MatchItem)>,
    ) -> Result<Vec<(u32, Amounts)>> {
        let mut found = Vec::with_capacity(items.len());
        for (k, item) in items {
            let f = |name: &str| format!("items[{k}].{name}");
            let amounts = amounts_of(item, f)?;
            let Some(i) = self.find(item.kind, &item.id, item.installment) else {
                return Err(Error::not_found(&f("id"), item.kind.name(), &item.id));
            };
            let same_customer = self
                .slot(i)
                .and_then(|s| self.customer(s.cust))
                .is_some_and(|c| *c == item.customer);
            let same_currency = self.slot(i).is_some_and(|s| s.currency == item.currency);
            if !same_customer || !same_currency {
                return Err(Error::invalid_value(
                    &f("customer"),
                    item.customer.as_str(),
                    "an item keeps its customer and currency: remove it and add it again",
                ));
            }
            found.push((i, amounts));
        }
        Ok(found)
    }

    /// Replaces items [`Book::check_known`] passed.
    fn apply_known(&mut self, items: Vec<MatchItem>, found: Vec<(u32, Amounts)>) {
        let mut touched: HashSet<u32> = HashSet::new();
        for (item, (i, (open, disc, until))) in items.into_iter().zip(found) {
            if let Some(s) = self.slots.get_mut(i as usize) {
                s.disc = disc;
                s.until = until;
                s.disputed = item.disputed;
                if s.due != item.due_date {
                    s.due = item.due_date;
                    touched.insert(s.cust);
                }
            }
            if let Some(r) = self.remaining.get_mut(i as usize) {
                *r = open;
            }
            if let Some(m) = self.items.get_mut(i as usize) {
                *m = item;
            }
            self.file_amount(i);
            self.reopen_group(i);
        }
        self.rerank(touched);
        self.sort_later_amounts();
    }

    /// Items as they now stand, each replacing the one held or added when
    /// none is, and `closed` keys no longer open (those not held ignored):
    /// all or nothing. Errors name `items[k]` of the list given.
    pub(super) fn sync(&mut self, items: Vec<MatchItem>, closed: &[MatchItemKey]) -> Result<()> {
        check_count("items", items.len(), MAX_CHANGES)?;
        check_count("closed", closed.len(), MAX_CHANGES)?;
        type Numbered = Vec<(usize, MatchItem)>;
        let (mut known, mut new): (Numbered, Numbered) = items
            .into_iter()
            .enumerate()
            .partition(|(_, m)| self.find(m.kind, &m.id, m.installment).is_some());
        let found = self.check_known(known.iter().map(|(k, m)| (*k, m)))?;
        let amounts = self.check_new(new.iter().map(|(k, m)| (*k, m)))?;
        let gone: Vec<u32> = closed
            .iter()
            .filter_map(|key| self.find(key.kind, &key.id, key.installment))
            .collect();
        self.apply_known(known.drain(..).map(|(_, m)| m).collect(), found);
        self.apply_new(new.drain(..).map(|(_, m)| m).collect(), amounts);
        for i in gone {
            self.close(i);
        }
        Ok(())
    }

    /// Item `i` no longer open.
    fn close(&mut self, i: u32) {
        if let Some(r) = self.remaining.get_mut(i as usize) {
            *r = 0;
        }
        self.reopen_group(i);
    }

    /// Items no longer open (paid, credited, voided outside the matcher).
    pub(super) fn remove(&mut self, keys: &[MatchItemKey]) -> Result<()> {
        check_count("keys", keys.len(), MAX_CHANGES)?;
        let mut found = Vec::with_capacity(keys.len());
        for (k, key) in keys.iter().enumerate() {
            match self.find(key.kind, &key.id, key.installment) {
                Some(i) => found.push(i),
                None => {
                    return Err(Error::not_found(
                        &format!("keys[{k}].id"),
                        key.kind.name(),
                        &key.id,
                    ))
                }
            }
        }
        for i in found {
            self.close(i);
        }
        Ok(())
    }

    /// Files what a batch left open on the items it reduced, so that later
    /// batches find them by their new amounts without reading every item a
    /// batch ever changed.
    pub(super) fn settle(&mut self) {
        let changed = std::mem::take(&mut self.changed);
        for i in changed {
            self.file_amount(i);
        }
        self.sort_later_amounts();
    }

    /// Files item `i` under what is open on it now (and that less its
    /// discount).
    fn file_amount(&mut self, i: u32) {
        let rem = self.remaining(i);
        let Some(s) = self.slot(i) else { return };
        if rem <= 0 {
            return;
        }
        let keys = amount_keys(s.currency, rem, s.disc);
        self.later_amounts.extend(keys.map(|key| (key, i)));
    }

    /// Sorts the later amounts; merges them into the main index once they
    /// are an eighth of it, so lookups stay two binary searches.
    fn sort_later_amounts(&mut self) {
        self.later_amounts.sort_unstable();
        self.later_amounts.dedup();
        if self.later_amounts.len() > (self.by_amount.len() >> 3).saturating_add(4096) {
            self.by_amount.append(&mut self.later_amounts);
            self.by_amount.sort_unstable();
            self.by_amount.dedup();
        }
    }

    /// Sorts the items of `customers` by age again (oldest due first) and
    /// renumbers their ranks; their installment groups follow.
    fn rerank(&mut self, customers: HashSet<u32>) {
        let mut groups: HashSet<u32> = HashSet::new();
        for c in customers {
            let Some(mut list) = self.cust_items.get_mut(c as usize).map(std::mem::take) else {
                continue;
            };
            let items = &self.items;
            let key = |i: u32| {
                items
                    .get(i as usize)
                    .map(|m| (m.due_date, m.date, m.kind, m.id.as_str(), m.installment))
            };
            list.sort_unstable_by(|&a, &b| key(a).cmp(&key(b)));
            for (rank, &i) in list.iter().enumerate() {
                if let Some(s) = self.slots.get_mut(i as usize) {
                    s.rank = u32::try_from(rank).unwrap_or(NONE);
                    if s.group != NONE {
                        groups.insert(s.group);
                    }
                }
            }
            if let Some(slot) = self.cust_items.get_mut(c as usize) {
                *slot = list;
            }
        }
        for g in groups {
            let slots = &self.slots;
            let remaining = &self.remaining;
            if let Some(group) = self.groups.get_mut(g as usize) {
                group
                    .items
                    .sort_unstable_by_key(|&i| slots.get(i as usize).map_or(NONE, |s| s.rank));
                group.first_open = first_open(&group.items, remaining);
            }
        }
    }

    /// Sets the first open item of item `i`'s installment group again.
    fn reopen_group(&mut self, i: u32) {
        let g = self.slot(i).map_or(NONE, |s| s.group);
        let remaining = &self.remaining;
        if let Some(group) = self.groups.get_mut(g as usize) {
            group.first_open = first_open(&group.items, remaining);
        }
    }
}

/// The position of the first item of `items` with something open.
fn first_open(items: &[u32], remaining: &[i64]) -> usize {
    items
        .iter()
        .position(|&j| remaining.get(j as usize).is_some_and(|r| *r > 0))
        .unwrap_or(items.len())
}
