//! The index behind [`crate::table::Interner`]: string -> id, the strings themselves kept
//! by the interner (one arena, `ends` offsets).
//!
//! Two implementations with one behaviour. Natively, a hashbrown table of bare ids: SSE2
//! probes the control bytes, foldhash uses the CPU's 128-bit multiply, and the table is
//! small enough to stay in cache. In WebAssembly hashbrown probes its control bytes
//! without SIMD and foldhash emulates the 128-bit multiply; linear probing over
//! (tag, id) pairs with a 64-bit multiply hash was 1.3-1.6x faster there (50k and 250k
//! customer numbers, 2M lookups, in V8) and slower natively, so each target gets its own.

use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Where the text of `id` is in an interner's arena, from its end offsets.
#[inline]
pub fn span(ends: &[u32], id: u32) -> std::ops::Range<usize> {
    let start = match id {
        0 => 0,
        _ => ends[id as usize - 1] as usize,
    };
    start..ends[id as usize] as usize
}

/// The text of `id` in an interner's arena.
#[inline]
fn text_of<'a>(text: &'a str, ends: &[u32], id: u32) -> &'a [u8] {
    &text.as_bytes()[span(ends, id)]
}

/// An index of an interner's strings: `text` is the arena, `ends` its end offsets.
pub trait StringIndex: Clone + Default {
    /// The id of `s`, or where it would go.
    fn find(&self, s: &[u8], text: &str, ends: &[u32]) -> Found;
    /// Add `id` (its text already in the arena, `ends` holding it) where `find` said.
    fn insert(&mut self, place: (usize, u64), id: u32, text: &str, ends: &[u32]);
    /// Room for `additional` more strings.
    fn reserve(&mut self, additional: usize, text: &str, ends: &[u32]);
}

/// `a == b`, a word at a time: in WebAssembly slice equality calls a `memcmp` that compares
/// byte by byte (with these in the importer's hot spots, `memcmp` went from 4.5% to 2.9% of
/// a wasm import).
#[inline]
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut wa, mut wb) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in (&mut wa).zip(&mut wb) {
        if x != y {
            return false;
        }
    }
    wa.remainder() == wb.remainder()
}

/// `a.cmp(b)`, a word at a time (see [`same_bytes`]).
#[inline]
pub fn cmp_bytes(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let (mut wa, mut wb) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in (&mut wa).zip(&mut wb) {
        let x = u64::from_be_bytes(x.try_into().expect("8 bytes"));
        let y = u64::from_be_bytes(y.try_into().expect("8 bytes"));
        if x != y {
            return x.cmp(&y);
        }
    }
    // Past the common whole words: at most 7 bytes of the shorter, then the lengths.
    let n = a.len().min(b.len()) / 8 * 8;
    for (x, y) in a[n..].iter().zip(&b[n..]) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// Where a string is, or where it would go.
pub enum Found {
    Id(u32),
    /// Not there: the place to give `insert` (and its hash).
    Vacant(usize, u64),
}

/// hashbrown over ids, hashed with foldhash (the native index).
#[derive(Clone, Default)]
pub struct Hashed {
    table: HashTable<u32>,
    hasher: foldhash::fast::FixedState,
}

impl StringIndex for Hashed {
    fn find(&self, s: &[u8], text: &str, ends: &[u32]) -> Found {
        let hash = self.hasher.hash_one(s);
        match self.table.find(hash, |id| text_of(text, ends, *id) == s) {
            Some(&id) => Found::Id(id),
            None => Found::Vacant(0, hash),
        }
    }
    fn insert(&mut self, place: (usize, u64), id: u32, text: &str, ends: &[u32]) {
        let hasher = &self.hasher;
        self.table
            .insert_unique(place.1, id, |id| hasher.hash_one(text_of(text, ends, *id)));
    }
    fn reserve(&mut self, additional: usize, text: &str, ends: &[u32]) {
        let hasher = &self.hasher;
        self.table
            .reserve(additional, |id| hasher.hash_one(text_of(text, ends, *id)));
    }
}

/// Linear probing over (tag, id) pairs, a power of two long, at most 7/8 full (the
/// WebAssembly index).
#[derive(Clone, Default)]
pub struct Probed {
    slots: Vec<(u32, u32)>,
}

const EMPTY: u32 = u32::MAX;

/// Multiply-xorshift over 8-byte words: 64-bit multiplies only.
#[inline]
fn probe_hash(s: &[u8]) -> u64 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3 ^ s.len() as u64;
    let mut words = s.chunks_exact(8);
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        h = (h ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(31);
    }
    let mut last = 0u64;
    for (i, b) in words.remainder().iter().enumerate() {
        last |= (*b as u64) << (8 * i);
    }
    h = (h ^ last).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    h ^= h >> 32;
    h = h.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^ (h >> 29)
}

impl StringIndex for Probed {
    fn find(&self, s: &[u8], text: &str, ends: &[u32]) -> Found {
        let hash = probe_hash(s);
        if self.slots.is_empty() {
            return Found::Vacant(usize::MAX, hash);
        }
        let (tag, mask) = ((hash >> 32) as u32, self.slots.len() - 1);
        let mut i = hash as usize & mask;
        loop {
            let (t, id) = self.slots[i];
            if id == EMPTY {
                return Found::Vacant(i, hash);
            }
            if t == tag && same_bytes(text_of(text, ends, id), s) {
                return Found::Id(id);
            }
            i = (i + 1) & mask;
        }
    }
    /// Growing places every id, this one included.
    fn insert(&mut self, place: (usize, u64), id: u32, text: &str, ends: &[u32]) {
        if ends.len() * 8 > self.slots.len() * 7 || place.0 == usize::MAX {
            return self.grow(ends.len(), text, ends);
        }
        self.slots[place.0] = ((place.1 >> 32) as u32, id);
    }
    fn reserve(&mut self, additional: usize, text: &str, ends: &[u32]) {
        self.grow(ends.len() + additional, text, ends);
    }
}

impl Probed {
    /// Room for `total` strings: the ids in `ends` placed again.
    #[cold]
    fn grow(&mut self, total: usize, text: &str, ends: &[u32]) {
        let cap = (total * 8 / 7 + 1).next_power_of_two().max(16);
        if cap <= self.slots.len() {
            return;
        }
        let mut slots = vec![(0, EMPTY); cap];
        for id in 0..ends.len() as u32 {
            let hash = probe_hash(text_of(text, ends, id));
            let mut i = hash as usize & (cap - 1);
            while slots[i].1 != EMPTY {
                i = (i + 1) & (cap - 1);
            }
            slots[i] = ((hash >> 32) as u32, id);
        }
        self.slots = slots;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The word-at-a-time comparisons agree with the slices' own.
        #[test]
        fn byte_comparisons_match_std(a in proptest::collection::vec(0u8..4, 0..40),
                                      b in proptest::collection::vec(0u8..4, 0..40)) {
            prop_assert_eq!(same_bytes(&a, &b), a == b);
            prop_assert_eq!(cmp_bytes(&a, &b), a.cmp(&b));
            prop_assert!(same_bytes(&a, &a.clone()));
            prop_assert_eq!(cmp_bytes(&a, &a.clone()), std::cmp::Ordering::Equal);
        }
    }
}
