//! The open items, validated and indexed once for many receipts.
//!
//! Items are looked up by number, by full reference text, by purchase-order
//! number and by amount through hash chains: one map entry per key and one
//! `next` link per item, so indexing a million items allocates a handful of
//! arrays rather than a million small lists.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::id::CustomerId;
use crate::money::check_minor_units;

use super::keys::{fnv, KeyHasher};
use super::types::{ItemKind, MatchCustomer, MatchItem, MatchOptions};

const NONE: u32 = u32::MAX;

type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Items by a hashed key, through chains.
#[derive(Debug, Clone, Default)]
pub(crate) struct Chains {
    heads: KeyMap<u32>,
    next: Vec<u32>,
}

impl Chains {
    /// Room for `n` items, `keys` of them with keys of their own.
    pub(super) fn new(n: usize, keys: usize) -> Self {
        Chains {
            heads: KeyMap::with_capacity_and_hasher(keys, Default::default()),
            next: vec![NONE; n],
        }
    }

    /// Room for items up to `n` in all.
    pub(super) fn grow(&mut self, n: usize) {
        if self.next.len() < n {
            self.next.resize(n, NONE);
        }
    }

    pub(super) fn insert(&mut self, key: u64, item: u32) {
        let prev = self.heads.insert(key, item).unwrap_or(NONE);
        if let Some(slot) = self.next.get_mut(item as usize) {
            *slot = prev;
        }
    }

    /// Items filed under `key` (a hash: callers check the real key).
    pub fn get(&self, key: u64) -> impl Iterator<Item = u32> + '_ {
        let mut cur = self.heads.get(&key).copied().unwrap_or(NONE);
        std::iter::from_fn(move || {
            if cur == NONE {
                return None;
            }
            let out = cur;
            cur = self.next.get(cur as usize).copied().unwrap_or(NONE);
            Some(out)
        })
    }
}

/// Upper-case letters and digits of `text`.
pub(crate) fn alnum(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
}

/// The digits of `text` with leading zeros dropped (`INV-000123` gives
/// `123`, `000` gives `0`); empty when it has none. No allocation: the
/// index runs this over every item.
pub(crate) fn number_of(text: &str) -> impl Iterator<Item = u8> + Clone + '_ {
    let all = text.bytes().filter(u8::is_ascii_digit);
    let significant = all.clone().skip_while(|b| *b == b'0');
    let zero =
        (all.clone().next().is_some() && significant.clone().next().is_none()).then_some(b'0');
    significant.chain(zero)
}

/// [`number_of`] collected.
pub(crate) fn digits(text: &str) -> Vec<u8> {
    number_of(text).collect()
}

/// Whether the number of `text` is `number`.
pub(crate) fn number_is(text: &str, number: &[u8]) -> bool {
    number_of(text).eq(number.iter().copied())
}

/// An amount in minor units of its currency.
pub(crate) fn to_minor(field: &str, value: Decimal, currency: Currency) -> Result<i64> {
    to_minor_at(|| field.to_owned(), value, currency)
}

/// The same, naming the field only when there is an error: building
/// names like `items[123456].open` for a million good items costs more
/// than indexing them.
pub(crate) fn to_minor_at(
    field: impl Fn() -> String,
    value: Decimal,
    currency: Currency,
) -> Result<i64> {
    let v = match check_minor_units("", value, currency) {
        Ok(v) => v,
        Err(_) => check_minor_units(&field(), value, currency)?,
    };
    i64::try_from(v.mantissa()).map_err(|_| Error::overflow(&field()))
}

/// Minor units back to a decimal at the currency's scale.
pub(crate) fn from_minor(value: i64, currency: Currency) -> Decimal {
    Decimal::new(value, currency.minor_units())
}

/// The upper-case words of a name, without company-form and filler words.
pub(crate) fn name_tokens(text: &str) -> Vec<String> {
    const SKIP: &[&str] = &[
        "INC",
        "LLC",
        "LTD",
        "LIMITED",
        "CO",
        "CORP",
        "CORPORATION",
        "COMPANY",
        "GMBH",
        "AG",
        "SA",
        "SAS",
        "BV",
        "NV",
        "PLC",
        "THE",
        "AND",
        "OF",
        "LLP",
        "LP",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .filter(|w| !SKIP.contains(&w.as_str()))
        .collect()
}

/// Per-item data the matcher works with, in minor units.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    /// The invoice of an installment: the items of the same kind, id and
    /// customer ([`Book::group`]); `NONE` for an item in no such group.
    pub group: u32,
    pub kind: ItemKind,
    pub cust: u32,
    pub currency: Currency,
    pub due: NaiveDate,
    /// Early-payment discount on offer (0 when none).
    pub disc: i64,
    pub until: Option<NaiveDate>,
    pub disputed: bool,
    /// Position in the customer's items, oldest first.
    pub rank: u32,
}

/// The indexed book of open items.
#[derive(Debug, Clone)]
pub(crate) struct Book {
    pub items: Vec<MatchItem>,
    pub slots: Vec<Slot>,
    /// What is still open, in minor units; reduced as a batch applies.
    pub remaining: Vec<i64>,
    pub customers: Vec<CustomerId>,
    pub cust_index: HashMap<CustomerId, u32, BuildHasherDefault<KeyHasher>>,
    /// Each customer's items, oldest due date first.
    pub cust_items: Vec<Vec<u32>>,
    /// By number ([`number_key`]), or by letters for ids with no digits
    /// ([`text_key`]): one chain per item.
    pub by_ident: Chains,
    pub by_po_number: Chains,
    pub by_po_text: Chains,
    /// (amount key, item), sorted: open amounts, and open less discount.
    /// Looked up only for receipts with no payer and no other lead, so a
    /// sort beats a million hash inserts.
    pub by_amount: Vec<(u64, u32)>,
    /// Items whose remaining amount changed in a batch (the amount index
    /// holds their original amounts).
    pub changed: Vec<u32>,
    /// (amount key, item), sorted: amounts the items came to after they
    /// were indexed (added, updated, or reduced by an earlier batch).
    /// Stale entries are harmless: lookups check what is open.
    pub(super) later_amounts: Vec<(u64, u32)>,
    /// The first item of each installment group, by `group_key`.
    pub(super) group_heads: Option<Chains>,
    /// Normalized account -> customer (`NONE` when several share it).
    pub accounts: HashMap<String, u32>,
    /// Customer names and aliases by the words they are made of.
    pub names: Names,
    /// Items of the same kind, id and customer where one of them has an
    /// installment number, each group in the customer's age order.
    pub(super) groups: Vec<Group>,
}

/// The items of one invoice paid in installments.
#[derive(Debug, Clone, Default)]
pub(super) struct Group {
    /// In the customer's age order.
    pub(super) items: Vec<u32>,
    /// Items before this position are no longer open: a batch only
    /// reduces what is open, so it only moves forward (an update may
    /// reopen one, and sets it again).
    pub(super) first_open: usize,
}

/// Items on an identity chain read before switching to a map by exact
/// identity (see `Book::new`).
const SHORT_CHAIN: usize = 64;

/// `items` by [`exact_key`], with room for `n` in all.
fn exact_index(items: &[MatchItem], n: usize) -> Chains {
    let mut index = Chains::new(n, n);
    for (k, item) in items.iter().enumerate() {
        index.insert(exact_key(item), u32::try_from(k).unwrap_or(NONE));
    }
    index
}

/// The key of an item's kind, id and installment: its identity.
pub(super) fn exact_key(item: &MatchItem) -> u64 {
    let installment = item.installment.map_or([0xff; 5], |k| {
        let [a, b, c, d] = k.to_le_bytes();
        [1, a, b, c, d]
    });
    fnv(std::iter::once(item.kind as u8)
        .chain(item.id.bytes())
        .chain(installment))
}

/// The key of an item's kind, id and customer: the invoice an installment
/// belongs to.
fn group_key(item: &MatchItem) -> u64 {
    fnv(std::iter::once(item.kind as u8)
        .chain(item.id.bytes())
        .chain([0xff])
        .chain(item.customer.as_str().bytes()))
}

fn same_group(a: &MatchItem, b: &MatchItem) -> bool {
    a.kind == b.kind && a.id == b.id && a.customer == b.customer
}

pub(crate) fn amount_key(currency: Currency, value: i64) -> u64 {
    fnv(currency.code().bytes().chain(value.to_le_bytes()))
}

/// The amount keys an item is filed under: what is open, and that less
/// the discount when one is on offer (`0 < disc < open`).
pub(super) fn amount_keys(currency: Currency, open: i64, disc: i64) -> impl Iterator<Item = u64> {
    let less = (disc > 0 && disc < open).then(|| amount_key(currency, open.saturating_sub(disc)));
    std::iter::once(amount_key(currency, open)).chain(less)
}

/// The identity key of a number (digits, leading zeros dropped).
pub(crate) fn number_key(number: impl IntoIterator<Item = u8>) -> u64 {
    fnv(std::iter::once(b'#').chain(number))
}

/// The identity key of an id with no digits (its letters, upper case).
pub(crate) fn text_key(text: impl IntoIterator<Item = u8>) -> u64 {
    fnv(std::iter::once(b'@').chain(text))
}

/// Where an id is filed: by its number, or by its letters when it has no
/// digits. Equal ids have equal keys.
pub(crate) fn ident_key(id: &str) -> u64 {
    if number_of(id).next().is_some() {
        number_key(number_of(id))
    } else {
        text_key(alnum(id))
    }
}

/// Checks `customers`' accounts before anything is filed.
pub(super) fn check_accounts(customers: &[MatchCustomer]) -> Result<()> {
    for (k, c) in customers.iter().enumerate() {
        for account in &c.accounts {
            if alnum(account).next().is_none() {
                return Err(Error::invalid_value(
                    &format!("customers[{k}].accounts"),
                    account,
                    "must have letters or digits",
                ));
            }
        }
    }
    Ok(())
}

/// The items of a sorted (amount key, item) index filed under `key`.
fn filed(index: &[(u64, u32)], key: u64) -> impl Iterator<Item = u32> + '_ {
    let start = index.partition_point(|(k, _)| *k < key);
    index
        .get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(move |(k, _)| *k == key)
        .map(|(_, i)| *i)
}

/// An item's open amount and discount in minor units, and the discount's
/// last day, checked: open above zero, the discount at least zero and below
/// it, both at the currency's minor unit. `f` names a field of the item.
pub(super) fn amounts_of(
    item: &MatchItem,
    f: impl Fn(&str) -> String,
) -> Result<(i64, i64, Option<NaiveDate>)> {
    if item.id.trim().is_empty() {
        return Err(Error::invalid_value(
            &f("id"),
            &item.id,
            "must not be empty",
        ));
    }
    let open = to_minor_at(|| f("open"), item.open, item.currency)?;
    if open <= 0 {
        return Err(Error::invalid_amount(
            &f("open"),
            item.open,
            "must be greater than zero",
        ));
    }
    let (disc, until) = match &item.discount {
        Some(d) => {
            let v = to_minor_at(|| f("discount.amount"), d.amount, item.currency)?;
            if v < 0 || v >= open {
                return Err(Error::invalid_amount(
                    &f("discount.amount"),
                    d.amount,
                    "must be at least zero and less than the open amount",
                ));
            }
            (v, Some(d.until))
        }
        None => (0, None),
    };
    Ok((open, disc, until))
}

impl Book {
    pub fn new(
        items: Vec<MatchItem>,
        customers: &[MatchCustomer],
        _options: &MatchOptions,
    ) -> Result<Self> {
        let n = items.len();
        if u32::try_from(n).map_or(true, |n| n == NONE) {
            return Err(Error::invalid_value(
                "items",
                n,
                "must number fewer than 4,294,967,295",
            ));
        }
        let mut book = Book {
            slots: Vec::with_capacity(n),
            remaining: Vec::with_capacity(n),
            customers: Vec::new(),
            cust_index: HashMap::default(),
            cust_items: Vec::new(),
            by_ident: Chains::new(n, n),
            by_po_number: Chains::new(n, 0),
            by_po_text: Chains::new(n, 0),
            by_amount: Vec::with_capacity(n),
            changed: Vec::new(),
            later_amounts: Vec::new(),
            group_heads: None,
            accounts: HashMap::new(),
            names: Names::default(),
            groups: Vec::new(),
            items: Vec::new(),
        };
        // An item given twice is on its identity chain (by number), which
        // is short in practice. Once one is long (many items sharing a
        // number), every item goes into a map by exact identity instead,
        // whose chains hold only colliding keys: the check stays linear.
        let mut by_exact: Option<Chains> = None;
        // The first item of each installment group, by `group_key`.
        let mut group_heads: Option<Chains> = None;
        let mut last_cust: Option<u32> = None;
        for (i, item) in items.iter().enumerate() {
            let f = |name: &str| format!("items[{i}].{name}");
            let (open, disc, until) = amounts_of(item, f)?;
            let id_key = ident_key(&item.id);
            let same = |m: &MatchItem| {
                m.kind == item.kind && m.id == item.id && m.installment == item.installment
            };
            let mut given_twice = false;
            if by_exact.is_none() {
                let mut walked = 0usize;
                for k in book.by_ident.get(id_key).take(SHORT_CHAIN) {
                    walked = walked.saturating_add(1);
                    if items.get(k as usize).is_some_and(same) {
                        given_twice = true;
                        break;
                    }
                }
                if !given_twice && walked >= SHORT_CHAIN {
                    by_exact = Some(exact_index(items.get(..i).unwrap_or_default(), n));
                }
            }
            if let Some(exact) = &by_exact {
                given_twice = exact
                    .get(exact_key(item))
                    .any(|k| items.get(k as usize).is_some_and(same));
            }
            if given_twice {
                return Err(Error::DuplicateId {
                    field: f("id"),
                    kind: item.kind.name().to_owned(),
                    id: match item.installment {
                        Some(k) => format!("{} installment {k}", item.id),
                        None => item.id.clone(),
                    },
                });
            }
            // Items usually come grouped by customer: skip the hash then.
            let same_as_last = last_cust
                .and_then(|c| book.customers.get(c as usize))
                .is_some_and(|c| *c == item.customer);
            let cust = match last_cust.filter(|_| same_as_last) {
                Some(c) => c,
                None => book.customer_index(&item.customer),
            };
            last_cust = Some(cust);
            let idx = u32::try_from(i).unwrap_or(NONE);
            if let Some(exact) = &mut by_exact {
                exact.insert(exact_key(item), idx);
            }
            let group = if item.installment.is_some() {
                let heads = group_heads.get_or_insert_with(|| Chains::new(n, 0));
                book.group_of(&items, heads, item, idx, true)
            } else {
                NONE
            };
            book.file(item, idx, id_key, cust, group, (open, disc, until));
            book.by_amount
                .extend(amount_keys(item.currency, open, disc).map(|key| (key, idx)));
        }
        // Items without an installment number belong to the group of
        // installments with their kind, id and customer, if there is one.
        // They are on the identity chain of its first item: each chain of
        // a group is read once, and books without installments read none.
        if let Some(heads) = &mut group_heads {
            let mut read: std::collections::HashSet<u64, BuildHasherDefault<KeyHasher>> =
                Default::default();
            let firsts: Vec<u32> = book
                .groups
                .iter()
                .filter_map(|g| g.items.first().copied())
                .collect();
            for first in firsts {
                let Some(key) = items.get(first as usize).map(|m| ident_key(&m.id)) else {
                    continue;
                };
                if !read.insert(key) {
                    continue;
                }
                let chain: Vec<u32> = book.by_ident.get(key).collect();
                for j in chain {
                    let Some(item) = items.get(j as usize).filter(|m| m.installment.is_none())
                    else {
                        continue;
                    };
                    let group = book.group_of(&items, heads, item, j, false);
                    if let Some(s) = book.slots.get_mut(j as usize) {
                        s.group = group;
                    }
                }
            }
        }
        book.by_amount.sort_unstable();
        for list in &mut book.cust_items {
            fn key(
                m: Option<&MatchItem>,
            ) -> Option<(NaiveDate, NaiveDate, ItemKind, &str, Option<u32>)> {
                m.map(|m| (m.due_date, m.date, m.kind, m.id.as_str(), m.installment))
            }
            list.sort_unstable_by(|&a, &b| {
                key(items.get(a as usize)).cmp(&key(items.get(b as usize)))
            });
            for (rank, &i) in list.iter().enumerate() {
                if let Some(s) = book.slots.get_mut(i as usize) {
                    s.rank = u32::try_from(rank).unwrap_or(NONE);
                }
            }
        }
        for g in &mut book.groups {
            let slots = &book.slots;
            g.items
                .sort_unstable_by_key(|&i| slots.get(i as usize).map_or(NONE, |s| s.rank));
        }
        check_accounts(customers)?;
        book.add_customers(customers);
        book.group_heads = group_heads;
        book.items = items;
        Ok(book)
    }

    /// Files the accounts and names of `customers` (customers with no
    /// items yet are given an index of their own), their accounts checked
    /// first by [`check_accounts`].
    pub(super) fn add_customers(&mut self, customers: &[MatchCustomer]) {
        let book = self;
        for c in customers {
            let cust = book.customer_index(&c.id);
            for account in &c.accounts {
                let key: String = alnum(account).map(char::from).collect();
                book.accounts
                    .entry(key)
                    .and_modify(|v| {
                        if *v != cust {
                            *v = NONE;
                        }
                    })
                    .or_insert(cust);
            }
            for name in std::iter::once(&c.name).chain(&c.aliases) {
                let tokens = name_tokens(name);
                // One short word is too common to identify anyone.
                let useful = tokens.len() > 1 || tokens.first().is_some_and(|t| t.len() > 2);
                if useful {
                    book.names.insert(cust, tokens);
                }
            }
        }
    }

    /// The index of `customer`, a new one when it has none.
    pub(super) fn customer_index(&mut self, customer: &CustomerId) -> u32 {
        if let Some(&c) = self.cust_index.get(customer) {
            return c;
        }
        let c = u32::try_from(self.customers.len()).unwrap_or(NONE);
        self.cust_index.insert(customer.clone(), c);
        self.customers.push(customer.clone());
        self.cust_items.push(Vec::new());
        c
    }

    /// Files `item`, index `idx` (the next), of customer `cust` in
    /// installment group `group`, with its open amount, discount and the
    /// discount's last day: its slot, what is open, its customer's list,
    /// its identity and purchase-order chains (the amount index is the
    /// caller's).
    pub(super) fn file(
        &mut self,
        item: &MatchItem,
        idx: u32,
        id_key: u64,
        cust: u32,
        group: u32,
        (open, disc, until): (i64, i64, Option<NaiveDate>),
    ) {
        if let Some(list) = self.cust_items.get_mut(cust as usize) {
            list.push(idx);
        }
        self.slots.push(Slot {
            group,
            kind: item.kind,
            cust,
            currency: item.currency,
            due: item.due_date,
            disc,
            until,
            disputed: item.disputed,
            rank: 0,
        });
        self.remaining.push(open);
        self.by_ident.insert(id_key, idx);
        if let Some(po) = &item.po_number {
            if number_of(po).next().is_some() {
                self.by_po_number.insert(fnv(number_of(po)), idx);
            }
            self.by_po_text.insert(fnv(alnum(po)), idx);
        }
    }

    pub fn remaining(&self, i: u32) -> i64 {
        self.remaining.get(i as usize).copied().unwrap_or(0)
    }

    pub fn slot(&self, i: u32) -> Option<&Slot> {
        self.slots.get(i as usize)
    }

    pub fn id(&self, i: u32) -> &str {
        self.items.get(i as usize).map_or("", |m| m.id.as_str())
    }

    pub fn customer(&self, c: u32) -> Option<&CustomerId> {
        self.customers.get(c as usize)
    }

    /// Items filed under an amount key (a hash: callers check the amount).
    pub fn with_amount(&self, key: u64) -> impl Iterator<Item = u32> + '_ {
        filed(&self.by_amount, key).chain(filed(&self.later_amounts, key))
    }

    /// Reduces what is open on an item, as a batch applies a proposal.
    pub fn consume(&mut self, i: u32, amount: i64) {
        if let Some(r) = self.remaining.get_mut(i as usize) {
            // A proposal takes at most what is open (`Evaluator::build`).
            *r = r.saturating_sub(amount);
            self.changed.push(i);
        }
        let group = self.slot(i).map_or(NONE, |s| s.group);
        let remaining = &self.remaining;
        if let Some(g) = self.groups.get_mut(group as usize) {
            while g
                .items
                .get(g.first_open)
                .is_some_and(|&j| remaining.get(j as usize).is_none_or(|r| *r <= 0))
            {
                g.first_open = g.first_open.saturating_add(1);
            }
        }
    }

    /// The group (by [`group_key`]) of `item` (index `idx`), joined as a
    /// new member; a new group when there is none and `create`.
    pub(super) fn group_of(
        &mut self,
        items: &[MatchItem],
        heads: &mut Chains,
        item: &MatchItem,
        idx: u32,
        create: bool,
    ) -> u32 {
        let key = group_key(item);
        let found = heads
            .get(key)
            .find(|&h| items.get(h as usize).is_some_and(|m| same_group(m, item)))
            .and_then(|h| self.slots.get(h as usize).map(|s| s.group));
        let group = match found {
            Some(g) => g,
            None if create => {
                heads.insert(key, idx);
                let g = u32::try_from(self.groups.len()).unwrap_or(NONE);
                self.groups.push(Group::default());
                g
            }
            None => return NONE,
        };
        if let Some(g) = self.groups.get_mut(group as usize) {
            g.items.push(idx);
        }
        group
    }

    /// The items of group `group` from its first open one on, in the
    /// customer's age order.
    pub fn group(&self, group: u32) -> &[u32] {
        self.groups
            .get(group as usize)
            .and_then(|g| g.items.get(g.first_open..))
            .unwrap_or_default()
    }

    /// Customers whose name, or an alias, appears as whole words in `text`,
    /// the first `limit` found, in the order of the text.
    pub fn names_in(&self, text: &str, limit: usize) -> Vec<u32> {
        self.names.find(&name_tokens(text), limit)
    }
}

/// Customer names and aliases, found in a text by their words: each name
/// is looked up where the text has its first word, by a hash of as many
/// words as it has, so that the work per word of the text does not grow
/// with the number of customers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    /// Hash of a name's words -> (order given, customer, the words).
    by_words: KeyMap<Vec<(usize, u32, Vec<String>)>>,
    /// A name's first word -> the numbers of words of names starting with it.
    lengths: HashMap<String, Vec<usize>>,
    count: usize,
}

/// A word's hash, for [`Names`].
fn word_hash(word: &str) -> u64 {
    fnv(word.bytes())
}

/// Multiplier of the hash of a run of words (odd, so it loses nothing).
const RUN: u64 = 0x9e37_79b9_7f4a_7c15;

/// Hashes of runs of words: `prefix[k]` is the hash of the first `k`;
/// the hash of words `i..j` is then `prefix[j] - prefix[i] * RUN^(j - i)`
/// (all wrapping, modulo 2^64).
fn run_prefix(words: &[String]) -> Vec<u64> {
    let mut prefix = Vec::with_capacity(words.len().saturating_add(1));
    let mut h = 0u64;
    prefix.push(h);
    for w in words {
        h = h.wrapping_mul(RUN).wrapping_add(word_hash(w));
        prefix.push(h);
    }
    prefix
}

impl Names {
    fn insert(&mut self, cust: u32, words: Vec<String>) {
        let Some(first) = words.first() else {
            return;
        };
        let lengths = self.lengths.entry(first.clone()).or_default();
        if let Err(at) = lengths.binary_search(&words.len()) {
            lengths.insert(at, words.len());
        }
        let hash = run_prefix(&words).last().copied().unwrap_or(0);
        self.by_words
            .entry(hash)
            .or_default()
            .push((self.count, cust, words));
        self.count = self.count.saturating_add(1);
    }

    /// The customers of the names found in `words`, in the order found
    /// (by position, then by the order the names were given), at most
    /// `limit` of them, each once.
    fn find(&self, words: &[String], limit: usize) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        if self.count == 0 || limit == 0 {
            return out;
        }
        // Computed when a word first starts a name.
        let mut prefix: Option<Vec<u64>> = None;
        // RUN^k for each length of name.
        let mut powers: HashMap<usize, u64> = HashMap::new();
        let mut found: std::collections::HashSet<u32> = std::collections::HashSet::new();
        // Names found once need not be compared again.
        let mut seen: std::collections::HashSet<u64> = std::collections::HashSet::new();
        for (i, w) in words.iter().enumerate() {
            let Some(lengths) = self.lengths.get(w) else {
                continue;
            };
            let mut here: Vec<(usize, u32)> = Vec::new();
            for &len in lengths {
                let Some(end) = i.checked_add(len).filter(|e| *e <= words.len()) else {
                    break;
                };
                let power = *powers
                    .entry(len)
                    .or_insert_with(|| (0..len).fold(1u64, |p, _| p.wrapping_mul(RUN)));
                let prefix = prefix.get_or_insert_with(|| run_prefix(words));
                let (Some(&at_end), Some(&at_start)) = (prefix.get(end), prefix.get(i)) else {
                    continue;
                };
                let hash = at_end.wrapping_sub(at_start.wrapping_mul(power));
                if seen.contains(&hash) {
                    continue;
                }
                let Some(entries) = self.by_words.get(&hash) else {
                    continue;
                };
                let run = words.get(i..end).unwrap_or_default();
                let mut matched = false;
                for (order, cust, name) in entries {
                    if name.as_slice() == run {
                        here.push((*order, *cust));
                        matched = true;
                    }
                }
                if matched {
                    seen.insert(hash);
                }
            }
            here.sort_unstable();
            for (_, cust) in here {
                if found.insert(cust) {
                    out.push(cust);
                    if out.len() >= limit {
                        return out;
                    }
                }
            }
        }
        out
    }
}
