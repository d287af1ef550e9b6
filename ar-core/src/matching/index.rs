//! The open items, validated and indexed once for many receipts.
//!
//! Items are looked up by number, by full reference text, by purchase-order
//! number and by amount through hash chains: one map entry per key and one
//! `next` link per item, so indexing a million items allocates a handful of
//! arrays rather than a million small lists.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::currency::Currency;
use crate::error::{Error, Result};
use crate::id::CustomerId;
use crate::money::check_minor_units;

use super::types::{ItemKind, MatchCustomer, MatchItem, MatchOptions};

const NONE: u32 = u32::MAX;

/// FNV-1a over bytes: keys here are short and already well spread.
pub(crate) fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Passes a `u64` key through: it is a hash already.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv(bytes.iter().copied()) ^ self.0.rotate_left(5);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Items by a hashed key, through chains.
#[derive(Debug, Clone, Default)]
pub(crate) struct Chains {
    heads: KeyMap<u32>,
    next: Vec<u32>,
}

impl Chains {
    fn new(n: usize) -> Self {
        Chains {
            heads: KeyMap::default(),
            next: vec![NONE; n],
        }
    }

    fn insert(&mut self, key: u64, item: u32) {
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
    let v = check_minor_units(field, value, currency)?;
    i64::try_from(v.mantissa()).map_err(|_| Error::overflow(field))
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
    pub cust_index: HashMap<CustomerId, u32>,
    /// Each customer's items, oldest due date first.
    pub cust_items: Vec<Vec<u32>>,
    pub by_number: Chains,
    pub by_text: Chains,
    pub by_po_number: Chains,
    pub by_po_text: Chains,
    /// By (currency, open amount) and (currency, open less discount).
    pub by_amount: Chains,
    pub by_net: Chains,
    /// Items whose remaining amount changed in a batch (the amount chains
    /// hold their original amounts).
    pub changed: Vec<u32>,
    /// Normalized account -> customer (`NONE` when several share it).
    pub accounts: HashMap<String, u32>,
    /// First name word -> (customer, all name words).
    pub names: HashMap<String, Vec<(u32, Vec<String>)>>,
}

pub(crate) fn amount_key(currency: Currency, value: i64) -> u64 {
    fnv(currency.code().bytes().chain(value.to_le_bytes()))
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
            cust_index: HashMap::new(),
            cust_items: Vec::new(),
            by_number: Chains::new(n),
            by_text: Chains::new(n),
            by_po_number: Chains::new(n),
            by_po_text: Chains::new(n),
            by_amount: Chains::new(n),
            by_net: Chains::new(n),
            changed: Vec::new(),
            accounts: HashMap::new(),
            names: HashMap::new(),
            items: Vec::new(),
        };
        // Exact ids, to refuse duplicates without hashing a million strings
        // twice.
        let mut by_id = Chains::new(n);
        for (i, item) in items.iter().enumerate() {
            let f = |name: &str| format!("items[{i}].{name}");
            if item.id.trim().is_empty() {
                return Err(Error::invalid_value(
                    &f("id"),
                    &item.id,
                    "must not be empty",
                ));
            }
            let id_key = fnv([item.kind as u8]
                .into_iter()
                .chain(item.id.bytes())
                .chain(item.installment.unwrap_or(0).to_le_bytes()));
            let same = |m: &MatchItem| {
                m.kind == item.kind && m.id == item.id && m.installment == item.installment
            };
            if by_id
                .get(id_key)
                .any(|k| items.get(k as usize).is_some_and(same))
            {
                return Err(Error::DuplicateId {
                    field: f("id"),
                    kind: item.kind.name().to_owned(),
                    id: match item.installment {
                        Some(k) => format!("{} installment {k}", item.id),
                        None => item.id.clone(),
                    },
                });
            }
            let open = to_minor(&f("open"), item.open, item.currency)?;
            if open <= 0 {
                return Err(Error::invalid_amount(
                    &f("open"),
                    item.open,
                    "must be greater than zero",
                ));
            }
            let (disc, until) = match &item.discount {
                Some(d) => {
                    let v = to_minor(&f("discount.amount"), d.amount, item.currency)?;
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
            let cust = match book.cust_index.get(&item.customer) {
                Some(c) => *c,
                None => {
                    let c = u32::try_from(book.customers.len()).unwrap_or(NONE);
                    book.cust_index.insert(item.customer.clone(), c);
                    book.customers.push(item.customer.clone());
                    book.cust_items.push(Vec::new());
                    c
                }
            };
            let idx = u32::try_from(i).unwrap_or(NONE);
            by_id.insert(id_key, idx);
            if let Some(list) = book.cust_items.get_mut(cust as usize) {
                list.push(idx);
            }
            book.slots.push(Slot {
                kind: item.kind,
                cust,
                currency: item.currency,
                due: item.due_date,
                disc,
                until,
                disputed: item.disputed,
                rank: 0,
            });
            book.remaining.push(open);
            if number_of(&item.id).next().is_some() {
                book.by_number.insert(fnv(number_of(&item.id)), idx);
            }
            book.by_text.insert(fnv(alnum(&item.id)), idx);
            if let Some(po) = &item.po_number {
                if number_of(po).next().is_some() {
                    book.by_po_number.insert(fnv(number_of(po)), idx);
                }
                book.by_po_text.insert(fnv(alnum(po)), idx);
            }
            book.by_amount.insert(amount_key(item.currency, open), idx);
            if disc > 0 {
                book.by_net
                    .insert(amount_key(item.currency, open - disc), idx);
            }
        }
        for list in &mut book.cust_items {
            fn key(
                m: Option<&MatchItem>,
            ) -> Option<(NaiveDate, NaiveDate, ItemKind, &str, Option<u32>)> {
                m.map(|m| (m.due_date, m.date, m.kind, m.id.as_str(), m.installment))
            }
            list.sort_by(|&a, &b| key(items.get(a as usize)).cmp(&key(items.get(b as usize))));
            for (rank, &i) in list.iter().enumerate() {
                if let Some(s) = book.slots.get_mut(i as usize) {
                    s.rank = u32::try_from(rank).unwrap_or(NONE);
                }
            }
        }
        for (k, c) in customers.iter().enumerate() {
            let f = |name: &str| format!("customers[{k}].{name}");
            let cust = match book.cust_index.get(&c.id) {
                Some(x) => *x,
                None => {
                    let x = u32::try_from(book.customers.len()).unwrap_or(NONE);
                    book.cust_index.insert(c.id.clone(), x);
                    book.customers.push(c.id.clone());
                    book.cust_items.push(Vec::new());
                    x
                }
            };
            for account in &c.accounts {
                let key: String = alnum(account).map(char::from).collect();
                if key.is_empty() {
                    return Err(Error::invalid_value(
                        &f("accounts"),
                        account,
                        "must have letters or digits",
                    ));
                }
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
                if let (true, Some(first)) = (useful, tokens.first()) {
                    book.names
                        .entry(first.clone())
                        .or_default()
                        .push((cust, tokens.clone()));
                }
            }
        }
        book.items = items;
        Ok(book)
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

    /// Reduces what is open on an item, as a batch applies a proposal.
    pub fn consume(&mut self, i: u32, amount: i64) {
        if let Some(r) = self.remaining.get_mut(i as usize) {
            *r -= amount;
            self.changed.push(i);
        }
    }

    /// Customers whose name, or an alias, appears as whole words in `text`.
    pub fn names_in(&self, text: &str) -> Vec<u32> {
        let words = name_tokens(text);
        let mut out: Vec<u32> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let Some(cands) = self.names.get(w) else {
                continue;
            };
            for (cust, tokens) in cands {
                let rest = words.get(i..i + tokens.len());
                if rest.is_some_and(|r| r == tokens.as_slice()) && !out.contains(cust) {
                    out.push(*cust);
                }
            }
        }
        out
    }
}
