//! How much heap memory a ledger or a book holds, estimated from what it
//! has reserved: for the bindings to tell their garbage collector, which
//! otherwise sees only a handle of a few bytes in front of gigabytes.
//!
//! Each container counts its capacity times its element's size, plus what
//! its elements own; a document shared between the log and the state is
//! counted once, in the log. What the allocator adds per allocation is not
//! counted.

use std::collections::BTreeMap;
use std::mem::size_of;

use smallvec::SmallVec;

/// Heap bytes owned beyond the value's own `size_of`.
pub(crate) trait Heap {
    /// The estimate.
    fn heap(&self) -> usize;
}

/// The sum of `parts`, saturating: an estimate has no use for a wrapped
/// count.
pub(crate) fn sum<const N: usize>(parts: [usize; N]) -> usize {
    parts.into_iter().fold(0, usize::saturating_add)
}

/// The buffer of `v`, shallow.
#[allow(clippy::ptr_arg)] // the capacity is the point
pub(crate) fn vec<T>(v: &Vec<T>) -> usize {
    v.capacity().saturating_mul(size_of::<T>())
}

/// The buffer of `v` and what each element owns.
#[allow(clippy::ptr_arg)]
pub(crate) fn deep<T: Heap>(v: &Vec<T>) -> usize {
    v.iter().map(Heap::heap).fold(vec(v), usize::saturating_add)
}

/// The buffer of `v` if it has left its inline room.
pub(crate) fn small<A: smallvec::Array>(v: &SmallVec<A>) -> usize {
    if v.spilled() {
        v.capacity().saturating_mul(size_of::<A::Item>())
    } else {
        0
    }
}

/// What an `Arc<T>` points to: two counts and the value.
pub(crate) fn arc<T: Heap>(value: &T) -> usize {
    sum([
        size_of::<usize>(),
        size_of::<usize>(),
        size_of::<T>(),
        value.heap(),
    ])
}

/// Keys and values per node of a `BTreeMap` (its `B` is 6: up to 11).
const MAP_NODE_ENTRIES: usize = 11;

/// A map of text: its nodes (leaf-sized, most maps having one) and texts.
pub(crate) fn map(m: &BTreeMap<String, String>) -> usize {
    // Keys and values, and a parent link and a length of sorts per node.
    const NODE: usize = (MAP_NODE_ENTRIES * 2 * size_of::<String>()) + (2 * size_of::<usize>());
    let nodes = m.len().div_ceil(MAP_NODE_ENTRIES);
    m.iter()
        .map(|(k, v)| k.capacity().saturating_add(v.capacity()))
        .fold(nodes.saturating_mul(NODE), usize::saturating_add)
}

impl Heap for String {
    fn heap(&self) -> usize {
        self.capacity()
    }
}

impl<T: Heap> Heap for Option<T> {
    fn heap(&self) -> usize {
        self.as_ref().map_or(0, Heap::heap)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn map_counts_a_node_per_eleven_entries_and_the_texts() {
        let mut m = BTreeMap::new();
        assert_eq!(map(&m), 0);
        m.insert("region".to_owned(), "West".to_owned());
        let node = 11 * 2 * size_of::<String>() + 2 * size_of::<usize>();
        // "region" (6) + "West" (4) = 10 bytes of text.
        assert_eq!(map(&m), node + 10);
        for i in 0..11 {
            // Capacity counts, not length: `format!` may reserve more.
            let mut key = format!("k{i:02}");
            key.shrink_to_fit();
            m.insert(key, String::new());
        }
        // 12 entries: two nodes; 10 + 11 keys of 3 bytes.
        assert_eq!(map(&m), 2 * node + 10 + 33);
    }

    #[test]
    fn small_counts_only_a_spilled_buffer() {
        let mut v: SmallVec<[u64; 1]> = SmallVec::new();
        v.push(1);
        assert_eq!(small(&v), 0);
        v.push(2);
        assert_eq!(small(&v), v.capacity() * 8);
    }
}
