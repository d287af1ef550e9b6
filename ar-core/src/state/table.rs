//! Records in insertion order with an index by id: deterministic iteration,
//! constant-time lookup.
//!
//! The index is an open-addressing table of one `u64` per slot (the row
//! and a tag of the id's hash) over the ids kept in their own column, as in
//! `crate::join`. At a million records a `HashMap<Id, usize>` keeps 32 bytes
//! per bucket and twice as many buckets; this keeps 16 bytes of slots per
//! record, few enough to stay in the last-level cache, and a new id (the
//! common case when a ledger is built) is known to be new from its slot
//! alone, without reading any id.

use std::hash::{BuildHasher, Hash};

use crate::heap::{self, Heap};
use crate::join::touch;

/// An empty slot.
const EMPTY: u64 = 0;
/// Bits of a slot holding the row plus one; the rest hold the tag.
const ROW_BITS: u32 = 40;
const ROW_MASK: u64 = (1 << ROW_BITS) - 1;

#[derive(Debug, Clone)]
pub(crate) struct Table<K, V> {
    rows: Vec<V>,
    /// The id of each row.
    keys: Vec<K>,
    /// `tag << ROW_BITS | (row + 1)`, or [`EMPTY`]; a power of two long, at
    /// most half full.
    slots: Vec<u64>,
    /// foldhash, not SipHash: hashing ids was a tenth of building a ledger.
    hasher: foldhash::fast::RandomState,
}

impl<K: PartialEq, V: PartialEq> PartialEq for Table<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.rows == other.rows && self.keys == other.keys
    }
}

impl<K, V> Default for Table<K, V> {
    fn default() -> Self {
        Table {
            rows: Vec::new(),
            keys: Vec::new(),
            slots: Vec::new(),
            hasher: foldhash::fast::RandomState::default(),
        }
    }
}

fn tag(hash: u64) -> u64 {
    hash >> ROW_BITS << ROW_BITS
}

impl<K: Eq + Hash, V> Table<K, V> {
    fn mask(&self) -> usize {
        self.slots.len().saturating_sub(1)
    }

    /// The slot where `k` is, or the empty slot where it would go; `None`
    /// while the table has no slots.
    fn find(&self, k: &K, hash: u64) -> Option<(usize, Option<usize>)> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.mask();
        let mut at = hash as usize & mask;
        // At most half full, so an empty slot ends every probe.
        loop {
            let slot = *self.slots.get(at)?;
            if slot == EMPTY {
                return Some((at, None));
            }
            if tag(slot) == tag(hash) {
                // Not empty: the row part is at least 1.
                let row = (slot & ROW_MASK).saturating_sub(1) as usize;
                if self.keys.get(row) == Some(k) {
                    return Some((at, Some(row)));
                }
            }
            // Masked: wrapping is the probe going round the table.
            at = at.wrapping_add(1) & mask;
        }
    }

    pub fn index_of(&self, k: &K) -> Option<usize> {
        self.find(k, self.hasher.hash_one(k))?.1
    }

    pub fn get(&self, k: &K) -> Option<&V> {
        self.index_of(k).and_then(|i| self.rows.get(i))
    }

    pub fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.index_of(k).and_then(|i| self.rows.get_mut(i))
    }

    pub fn contains(&self, k: &K) -> bool {
        self.index_of(k).is_some()
    }

    pub fn at(&self, i: usize) -> Option<&V> {
        self.rows.get(i)
    }

    pub fn at_mut(&mut self, i: usize) -> Option<&mut V> {
        self.rows.get_mut(i)
    }

    /// Inserts a new row; false (and nothing changed) when the id exists.
    pub fn insert(&mut self, k: K, v: V) -> bool {
        self.reserve(1);
        let hash = self.hasher.hash_one(&k);
        let row = (self.rows.len() as u64).saturating_add(1);
        match self.find(&k, hash) {
            Some((at, None)) if row <= ROW_MASK => {
                if let Some(s) = self.slots.get_mut(at) {
                    *s = tag(hash) | row;
                }
                self.keys.push(k);
                self.rows.push(v);
                true
            }
            // Exists, or beyond 2^40 rows (a trillion records).
            _ => false,
        }
    }

    /// Room for `n` more rows.
    pub fn reserve(&mut self, n: usize) {
        self.rows.reserve(n);
        self.keys.reserve(n);
        let wanted = self
            .rows
            .len()
            .saturating_add(n)
            .saturating_mul(2)
            .max(16)
            .next_power_of_two();
        if wanted > self.slots.len() {
            self.slots = vec![EMPTY; wanted];
            let mask = self.mask();
            for (row, k) in self.keys.iter().enumerate() {
                let hash = self.hasher.hash_one(k);
                let mut at = hash as usize & mask;
                while self.slots.get(at).is_some_and(|s| *s != EMPTY) {
                    at = at.wrapping_add(1) & mask;
                }
                if let Some(s) = self.slots.get_mut(at) {
                    // At most `ROW_MASK` rows (see `insert`): `row + 1` fits.
                    *s = tag(hash) | (row as u64).saturating_add(1);
                }
            }
        }
    }

    /// Reads the slots of `keys` and the ids in them, one pass without
    /// branches on what is read, so that their cache misses overlap; a
    /// later lookup of each then finds them in the cache. Changes nothing.
    pub fn warm<'k>(&self, keys: impl Iterator<Item = &'k K>)
    where
        K: 'k + AsRef<str>,
    {
        let mask = self.mask();
        touch(keys.map(|k| {
            let hash = self.hasher.hash_one(k);
            let slot = self
                .slots
                .get(hash as usize & mask)
                .copied()
                .unwrap_or(EMPTY);
            let row = ((slot & ROW_MASK) as usize).wrapping_sub(1);
            slot ^ self.keys.get(row).map_or(0, |k| k.as_ref().len() as u64)
        }));
    }

    /// The key of row `i`.
    pub fn key_at(&self, i: usize) -> Option<&K> {
        self.keys.get(i)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, V> {
        self.rows.iter()
    }
}

impl<K: Heap, V: Heap> Heap for Table<K, V> {
    fn heap(&self) -> usize {
        let Table {
            rows,
            keys,
            slots,
            hasher: _,
        } = self;
        heap::sum([heap::deep(rows), heap::deep(keys), heap::vec(slots)])
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )]
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// Inserts and lookups agree with a map, across the table's growth
        /// and with colliding tags forced by a small key space.
        #[test]
        fn agrees_with_a_map(ops in prop::collection::vec((0u32..300, any::<bool>()), 0..700)) {
            let mut table: Table<String, u32> = Table::default();
            let mut map: HashMap<String, usize> = HashMap::new();
            for (i, (key, insert)) in ops.iter().enumerate() {
                let k = format!("ID-{key}");
                if *insert {
                    let fresh = !map.contains_key(&k);
                    prop_assert_eq!(table.insert(k.clone(), i as u32), fresh);
                    if fresh {
                        map.insert(k.clone(), map.len());
                    }
                }
                prop_assert_eq!(table.index_of(&k), map.get(&k).copied());
            }
            prop_assert_eq!(table.len(), map.len());
            for (k, row) in &map {
                prop_assert_eq!(table.index_of(k), Some(*row));
                prop_assert!(table.get(k).is_some());
            }
            prop_assert!(!table.contains(&"absent".to_owned()));
        }
    }

    #[test]
    fn rows_keep_their_order_and_reserve_keeps_them_found() {
        let mut t: Table<String, usize> = Table::default();
        assert_eq!(t.index_of(&"a".to_owned()), None);
        for i in 0..100 {
            assert!(t.insert(format!("K{i}"), i));
        }
        assert!(!t.insert("K7".to_owned(), 0));
        t.reserve(10_000);
        assert_eq!(
            t.iter().copied().collect::<Vec<_>>(),
            (0..100).collect::<Vec<_>>()
        );
        assert_eq!(t.get(&"K42".to_owned()), Some(&42));
        *t.get_mut(&"K42".to_owned()).unwrap() = 7;
        assert_eq!(t.at(42), Some(&7));
    }
}
