//! Rows of a text column by id, for joining tables of a million rows.
//!
//! A join that size waits on memory: each probe of a hash table is a read
//! that misses the cache, and checking the id it finds is two more (where
//! the text is, then the text). So the table is open addressing with
//! linear probing, one `u64` a slot holding a row and 32 bits of its id's
//! hash (the text is read only when those agree, which for another id is
//! one chance in four billion), and rows are joined in batches: the batch's
//! slots are read first, together, then the texts they name, together, so
//! that the reads of a batch overlap instead of following one another.

use std::hash::BuildHasher;

use crate::text::StrColumn;

/// Rows joined together.
pub(crate) const BATCH: usize = 16;

/// An empty slot (slots hold a row plus one).
const EMPTY: u64 = 0;

/// The rows of a [`StrColumn`] by their text.
#[derive(Debug, Clone)]
pub(crate) struct RowIndex<'a> {
    ids: &'a StrColumn,
    /// `(hash >> 32) << 32 | (row + 1)`, or [`EMPTY`].
    slots: Vec<u64>,
    mask: usize,
    hasher: foldhash::fast::RandomState,
}

/// Reads `values` so that the reads are made (together), whatever is done
/// with them.
pub(crate) fn touch(values: impl Iterator<Item = u64>) {
    std::hint::black_box(values.fold(0, |a, v| a ^ v));
}

impl<'a> RowIndex<'a> {
    /// Every row of `ids` by its text; `Err(row)` for the first row whose
    /// text an earlier row has. Rows must number fewer than `u32::MAX`.
    pub fn new(ids: &'a StrColumn) -> Result<Self, usize> {
        let n = ids.len();
        // At most half full: a probe rarely reads past its first slot's line.
        let size = n.saturating_mul(2).max(16).next_power_of_two();
        let mut index = RowIndex {
            ids,
            slots: vec![EMPTY; size],
            // A power of two, at least 16.
            mask: size.saturating_sub(1),
            hasher: foldhash::fast::RandomState::default(),
        };
        let mut hashes = [0u64; BATCH];
        for start in (0..n).step_by(BATCH) {
            let rows = start..start.saturating_add(BATCH).min(n);
            for (h, row) in hashes.iter_mut().zip(rows.clone()) {
                *h = index.hash(ids.get(row).unwrap_or_default());
            }
            touch(
                hashes
                    .iter()
                    .take(rows.len())
                    .map(|h| index.slot(*h as usize)),
            );
            for (h, row) in hashes.iter().zip(rows) {
                index.insert(*h, row)?;
            }
        }
        Ok(index)
    }

    fn hash(&self, text: &str) -> u64 {
        self.hasher.hash_one(text)
    }

    fn slot(&self, at: usize) -> u64 {
        self.slots.get(at & self.mask).copied().unwrap_or(EMPTY)
    }

    fn insert(&mut self, hash: u64, row: usize) -> Result<(), usize> {
        let tag = hash >> 32 << 32;
        let text = self.ids.get(row);
        let mut at = hash as usize & self.mask;
        loop {
            let slot = self.slot(at);
            if slot == EMPTY {
                if let Some(s) = self.slots.get_mut(at) {
                    // Rows number fewer than `u32::MAX`: `row + 1` fits.
                    *s = tag | (row as u64).saturating_add(1);
                }
                return Ok(());
            }
            if slot >> 32 << 32 == tag && self.text_of(slot) == text {
                return Err(row);
            }
            at = at.wrapping_add(1) & self.mask;
        }
    }

    /// The text of the row in `slot`.
    fn text_of(&self, slot: u64) -> Option<&'a str> {
        let row = (slot as u32).checked_sub(1)?;
        self.ids.get(row as usize)
    }

    /// The row of each of `keys`' rows from `start` on, one per place in
    /// `out` (at most [`BATCH`]); `None` for a text no row has.
    pub fn find_batch(&self, keys: &StrColumn, start: usize, out: &mut [Option<u32>]) {
        let mut hashes = [0u64; BATCH];
        // Each row's first slot whose tag agrees (or where the probe ends).
        let mut found = [(0usize, EMPTY); BATCH];
        let rows = start..start.saturating_add(out.len().min(BATCH));
        for (h, row) in hashes.iter_mut().zip(rows.clone()) {
            *h = self.hash(keys.get(row).unwrap_or_default());
        }
        touch(
            hashes
                .iter()
                .take(rows.len())
                .map(|h| self.slot(*h as usize)),
        );
        for (f, h) in found.iter_mut().zip(&hashes).take(rows.len()) {
            *f = self.probe(*h, *h as usize & self.mask);
        }
        // Where each candidate's text is, then the text itself.
        touch(found.iter().take(rows.len()).map(|(_, slot)| {
            let row = (*slot as u32).saturating_sub(1) as usize;
            self.ids.end(row).unwrap_or(0) as u64
        }));
        touch(found.iter().take(rows.len()).map(|(_, slot)| {
            self.text_of(*slot)
                .and_then(|t| t.bytes().next())
                .map_or(0, u64::from)
        }));
        for (((o, found), h), row) in out.iter_mut().zip(found).zip(&hashes).zip(rows) {
            *o = self.resolve(*h, found, keys.get(row));
        }
    }

    /// The row whose text is `key`, from a probe for its `hash` that
    /// stopped at `(at, slot)`: another text under the same tag is probed
    /// on past.
    fn resolve(
        &self,
        hash: u64,
        (mut at, mut slot): (usize, u64),
        key: Option<&str>,
    ) -> Option<u32> {
        while slot != EMPTY && self.text_of(slot) != key {
            (at, slot) = self.probe(hash, at.wrapping_add(1));
        }
        (slot != EMPTY).then(|| (slot as u32).saturating_sub(1))
    }

    /// From slot `at` on, the first slot whose tag is `hash`'s, or the
    /// empty slot that ends the probe.
    fn probe(&self, hash: u64, mut at: usize) -> (usize, u64) {
        let tag = hash >> 32 << 32;
        loop {
            let slot = self.slot(at);
            if slot == EMPTY || slot >> 32 << 32 == tag {
                return (at & self.mask, slot);
            }
            // Masked: wrapping is the probe going round the table.
            at = at.wrapping_add(1) & self.mask;
        }
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

    #[test]
    fn rows_are_found_by_text_and_duplicates_named() {
        let ids: StrColumn = (0..1000)
            .map(|i| format!("I{i}"))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect();
        let index = RowIndex::new(&ids).unwrap();
        // Keys in another order, with texts no row has, over several batches.
        let texts: Vec<String> = (0..40).map(|k| format!("I{}", 997 - 25 * k)).collect();
        let mut keys: StrColumn = texts.iter().map(String::as_str).collect();
        keys.push("J1");
        keys.push("");
        let mut out = vec![None; keys.len()];
        for (b, chunk) in out.chunks_mut(BATCH).enumerate() {
            index.find_batch(&keys, b * BATCH, chunk);
        }
        for (k, found) in out.iter().take(40).enumerate() {
            // Row i has text I<i>.
            assert_eq!(*found, u32::try_from(997 - 25 * k as i64).ok(), "{k}");
        }
        assert_eq!(out[40..], [None, None]);
        let dup: StrColumn = ["A", "B", "C", "B", "A"].into_iter().collect();
        assert_eq!(RowIndex::new(&dup).unwrap_err(), 3);
    }

    proptest::proptest! {
        #[test]
        fn joins_agree_with_a_map(
            ids in proptest::collection::vec("[a-e]{0,3}", 0..80),
            keys in proptest::collection::vec("[a-e]{0,3}", 0..80),
        ) {
            let column: StrColumn = ids.iter().map(String::as_str).collect();
            // Each text's first row, and the first row repeating a text.
            let mut first = std::collections::HashMap::new();
            let mut repeated = None;
            for (row, id) in ids.iter().enumerate() {
                if first.contains_key(id) {
                    repeated = repeated.or(Some(row));
                } else {
                    first.insert(id.clone(), row as u32);
                }
            }
            match RowIndex::new(&column) {
                Err(row) => proptest::prop_assert_eq!(Some(row), repeated),
                Ok(index) => {
                    proptest::prop_assert_eq!(repeated, None);
                    let key_column: StrColumn = keys.iter().map(String::as_str).collect();
                    let mut out = vec![None; keys.len()];
                    for (b, batch) in out.chunks_mut(BATCH).enumerate() {
                        index.find_batch(&key_column, b * BATCH, batch);
                    }
                    for (key, found) in keys.iter().zip(&out) {
                        proptest::prop_assert_eq!(*found, first.get(key).copied());
                    }
                }
            }
        }
    }

    #[test]
    fn texts_under_one_tag_are_told_apart() {
        // Three rows in slots 5, 6 and 7 under one tag: only their texts
        // tell them apart, and a probe runs on past the ones that differ.
        let ids: StrColumn = ["a", "b", "c"].into_iter().collect();
        let mut index = RowIndex::new(&ids).unwrap();
        index.slots.fill(EMPTY);
        for row in 0..3u64 {
            index.slots[5 + row as usize] = (7 << 32) | (row + 1);
        }
        let hash = (7 << 32) | 5;
        let find = |key| index.resolve(hash, index.probe(hash, 5), Some(key));
        assert_eq!(
            (find("a"), find("b"), find("c")),
            (Some(0), Some(1), Some(2))
        );
        assert_eq!(find("d"), None);
    }
}
