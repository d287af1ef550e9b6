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
    /// Room for `n` items, `keys` of them with keys of their own.
    fn new(n: usize, keys: usize) -> Self {
        Chains {
            heads: KeyMap::with_capacity_and_hasher(keys, Default::default()),
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
    /// Normalized account -> customer (`NONE` when several share it).
    pub accounts: HashMap<String, u32>,
    /// First name word -> (customer, all name words).
    pub names: HashMap<String, Vec<(u32, Vec<String>)>>,
}

pub(crate) fn amount_key(currency: Currency, value: i64) -> u64 {
    fnv(currency.code().bytes().chain(value.to_le_bytes()))
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
            accounts: HashMap::new(),
            names: HashMap::new(),
            items: Vec::new(),
        };
        let mut last_cust: Option<u32> = None;
        for (i, item) in items.iter().enumerate() {
            let f = |name: &str| format!("items[{i}].{name}");
            if item.id.trim().is_empty() {
                return Err(Error::invalid_value(
                    &f("id"),
                    &item.id,
                    "must not be empty",
                ));
            }
            // A duplicate is on the same identity chain.
            let id_key = ident_key(&item.id);
            let same = |m: &MatchItem| {
                m.kind == item.kind && m.id == item.id && m.installment == item.installment
            };
            if book
                .by_ident
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
            // Items usually come grouped by customer: skip the hash then.
            let same_as_last = last_cust
                .and_then(|c| book.customers.get(c as usize))
                .is_some_and(|c| *c == item.customer);
            let cust = match last_cust
                .filter(|_| same_as_last)
                .or_else(|| book.cust_index.get(&item.customer).copied())
            {
                Some(c) => c,
                None => {
                    let c = u32::try_from(book.customers.len()).unwrap_or(NONE);
                    book.cust_index.insert(item.customer.clone(), c);
                    book.customers.push(item.customer.clone());
                    book.cust_items.push(Vec::new());
                    c
                }
            };
            last_cust = Some(cust);
            let idx = u32::try_from(i).unwrap_or(NONE);
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
            book.by_ident.insert(id_key, idx);
            if let Some(po) = &item.po_number {
                if number_of(po).next().is_some() {
                    book.by_po_number.insert(fnv(number_of(po)), idx);
                }
                book.by_po_text.insert(fnv(alnum(po)), idx);
            }
            book.by_amount.push((amount_key(item.currency, open), idx));
            if disc > 0 {
                book.by_amount
                    .push((amount_key(item.currency, open - disc), idx));
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

    /// Items filed under an amount key (a hash: callers check the amount).
    pub fn with_amount(&self, key: u64) -> impl Iterator<Item = u32> + '_ {
        let start = self.by_amount.partition_point(|(k, _)| *k < key);
        self.by_amount
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(move |(k, _)| *k == key)
            .map(|(_, i)| *i)
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
