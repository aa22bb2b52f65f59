//! The index behind [`crate::table::Interner`]: string -> id, the strings themselves kept
//! by the interner (one arena, `ends` offsets).
//!
//! Two implementations with one behaviour. Natively, a hashbrown table of bare ids: SSE2
//! probes the control bytes, foldhash uses the CPU's 128-bit multiply, and the table is
//! small enough to stay in cache. In WebAssembly hashbrown probes its control bytes
//! without SIMD and foldhash emulates the 128-bit multiply; linear probing over
//! (tag, id) pairs with a 64-bit multiply hash was 1.3-1.6x faster there (50k and 250k
//! customer numbers, 2M lookups, in V8) and slower natively, so each target gets its own.
//!
//! In front of either, on both targets: [`Numbered`], for ids that are a prefix and a number.

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

/// `a == b`, a word at a time, with no call to `memcmp`: in WebAssembly slice equality calls
/// a `memcmp` that compares byte by byte, and even 8-byte slices compared as slices went
/// through it. This runs several times per imported row (statuses, channels, dates, the
/// prefixes of numbered ids and order numbers).
#[inline]
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 <= n {
            if word_at(a, i) != word_at(b, i) {
                return false;
            }
            i += 8;
        }
        // The last 8 bytes cover the tail (overlapping words already compared).
        return n.is_multiple_of(8) || word_at(a, n - 8) == word_at(b, n - 8);
    }
    // Shorter: two overlapping halves (a byte loop here was ~50 instructions a row).
    match n {
        4.. => {
            let half = |s: &[u8], i: usize| u32::from_le_bytes(s[i..i + 4].try_into().expect("4"));
            half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4)
        }
        2.. => {
            let half = |s: &[u8], i: usize| u16::from_le_bytes(s[i..i + 2].try_into().expect("2"));
            half(a, 0) == half(b, 0) && half(a, n - 2) == half(b, n - 2)
        }
        1 => a[0] == b[0],
        _ => true,
    }
}

/// The 8 bytes of `s` from `i`, as one number.
#[inline(always)]
fn word_at(s: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(s[i..i + 8].try_into().expect("8 bytes"))
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
    /// Ids placed (an interner's numbered strings are not: see [`Numbered`]).
    len: usize,
}

pub(crate) const EMPTY: u32 = u32::MAX;

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
    fn insert(&mut self, place: (usize, u64), id: u32, text: &str, ends: &[u32]) {
        self.len += 1;
        if self.len * 8 > self.slots.len() * 7 || place.0 == usize::MAX {
            self.grow(self.len, text, ends);
            self.place((place.1 >> 32) as u32, place.1, id);
            return;
        }
        self.slots[place.0] = ((place.1 >> 32) as u32, id);
    }
    fn reserve(&mut self, additional: usize, text: &str, ends: &[u32]) {
        self.grow(self.len + additional, text, ends);
    }
}

impl Probed {
    /// Room for `total` strings: the ids placed so far placed again.
    #[cold]
    fn grow(&mut self, total: usize, text: &str, ends: &[u32]) {
        let cap = (total * 8 / 7 + 1).next_power_of_two().max(16);
        if cap <= self.slots.len() {
            return;
        }
        let old = std::mem::replace(&mut self.slots, vec![(0, EMPTY); cap]);
        for (tag, id) in old {
            if id != EMPTY {
                // The tag is the hash's top half; the slot needs the bottom half again.
                self.place(tag, probe_hash(text_of(text, ends, id)), id);
            }
        }
    }

    /// Put `id` in the first free slot from its hash's.
    fn place(&mut self, tag: u32, hash: u64, id: u32) {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots[i].1 != EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = (tag, id);
    }
}

/// Digits of a trailing number at most (`trailing_number`).
pub const MAX_NUMBER_DIGITS: usize = 9;

/// A string's trailing number: (what is before it, its count of digits, its value), when
/// it ends in 1 to 9 ASCII digits (any such number fits in a u32); None for no digits or
/// more. One pass from the end: it is read for every id and order number of a file. The
/// prefix never ends in a digit.
#[inline]
pub fn trailing_number(s: &[u8]) -> Option<(&[u8], usize, u32)> {
    let (mut number, mut scale, mut digits) = (0u32, 1u32, 0usize);
    for &c in s.iter().rev() {
        if !c.is_ascii_digit() {
            break;
        }
        if digits == MAX_NUMBER_DIGITS {
            return None;
        }
        // At most 9 digits: 999,999,999 fits, and `scale` is not used after the 9th.
        number += u32::from(c - b'0') * scale;
        scale = scale.wrapping_mul(10);
        digits += 1;
    }
    (digits > 0).then(|| (&s[..s.len() - digits], digits, number))
}

/// Append `prefix`, then `n` in exactly `digits` (1 to 9) digits, zeros in front: the
/// string whose number [`number_after`] reads as `n`. By hand, not `write!`: an order index
/// built from 5M numbers writes each one out.
pub fn write_numbered(prefix: &str, digits: usize, mut n: u32, out: &mut String) {
    out.push_str(prefix);
    let mut text = [b'0'; MAX_NUMBER_DIGITS];
    for d in text[..digits].iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.push_str(std::str::from_utf8(&text[..digits]).expect("ASCII digits"));
}

/// `s`'s number when it is `prefix` then exactly `digits` (1 to 9) ASCII digits: what
/// [`trailing_number`] finds for it, as a pattern's prefix never ends in a digit, but read
/// forward from a known length (a string of another length is out at once). Run for every
/// customer, salesperson and order number of a file.
#[inline]
pub fn number_after(s: &[u8], prefix: &[u8], digits: usize) -> Option<u32> {
    if s.len() != prefix.len() + digits || !same_bytes(&s[..prefix.len()], prefix) {
        return None;
    }
    if (2..=9).contains(&digits) && s.len() >= 8 {
        // The last 8 bytes as one word (two ids a row: a digit loop was ~5% of an import in
        // WebAssembly): the prefix's bytes among them become '0's.
        let tail = 8usize.min(digits);
        let word = word_at(s, s.len() - 8);
        let keep = u64::MAX << (8 * (8 - tail));
        let word = (word & keep) | (ZEROS & !keep);
        let low = eight_digits(word)?;
        return match digits {
            9 => {
                let d = s[prefix.len()].wrapping_sub(b'0');
                (d <= 9).then(|| u32::from(d) * 100_000_000 + low)
            }
            _ => Some(low),
        };
    }
    let mut n = 0u32;
    for &c in &s[prefix.len()..] {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + u32::from(d);
    }
    Some(n)
}

/// `'0'` in every byte.
const ZEROS: u64 = u64::from_ne_bytes([b'0'; 8]);

/// The number of eight ASCII digits read as a little-endian word (the first digit in the
/// lowest byte), or `None` when a byte is not a digit: the usual SWAR reduction, pairs of
/// digits, then fours, then the eight.
#[inline(always)]
fn eight_digits(word: u64) -> Option<u32> {
    const HIGH_NIBBLES: u64 = u64::from_ne_bytes([0xF0; 8]);
    const SIXES: u64 = u64::from_ne_bytes([0x06; 8]);
    // Every byte 0x30..=0x39: its high nibble is 3, and still 3 with 6 added.
    if word & HIGH_NIBBLES != ZEROS || (word.wrapping_add(SIXES) & HIGH_NIBBLES) != ZEROS {
        return None;
    }
    let mut v = word - ZEROS;
    v = (v * 10 + (v >> 8)) & 0x00FF_00FF_00FF_00FF;
    v = (v * 100 + (v >> 16)) & 0x0000_FFFF_0000_FFFF;
    v = (v * 10_000 + (v >> 32)) & 0xFFFF_FFFF;
    Some(v as u32)
}

/// Ids of the strings that are one fixed prefix and a fixed count of digits (`CUST0012345`,
/// `Rep 07`), by their number: no hashing and no text to compare, one read from an array
/// about as long as the highest number. Customer and salesperson numbers in exports are
/// like that; a V8 profile of a 1M-row import had a quarter of it in the hash index's
/// lookups of such numbers (each a cache miss into the table, then one into the text).
///
/// The pattern is the first string with trailing digits (never changed after), so whether
/// a string is numbered depends on the string alone: it is always looked up in the same
/// index. Numbers from [`NUMBERED_LIMIT`] up, and every other string, go to the hash index.
#[derive(Clone, Default)]
pub struct Numbered {
    prefix: Vec<u8>,
    /// Digits after the prefix; 0 until a pattern is set.
    digits: usize,
    /// By number: the id, or `EMPTY`.
    ids: Vec<u32>,
}

/// Numbers below this are numbered (the array then at most 8 MB).
pub const NUMBERED_LIMIT: u32 = 1 << 21;
/// Longer prefixes are not worth it (and a long string ending in digits is rarely an id).
const MAX_PREFIX: usize = 24;

impl Numbered {
    /// Take `s`'s pattern if there is none yet (when interning, before [`Self::number`]).
    #[inline]
    pub fn adopt(&mut self, s: &[u8]) {
        if self.digits != 0 {
            return;
        }
        if let Some((prefix, digits, _)) = trailing_number(s) {
            if prefix.len() <= MAX_PREFIX {
                self.prefix = prefix.to_vec();
                self.digits = digits;
            }
        }
    }

    /// The number of `s`, if it is numbered.
    #[inline]
    pub fn number(&self, s: &[u8]) -> Option<usize> {
        if self.digits == 0 {
            return None;
        }
        let n = number_after(s, &self.prefix, self.digits)?;
        (n < NUMBERED_LIMIT).then_some(n as usize)
    }

    /// The id of number `n`, if there is one.
    #[inline]
    pub fn get(&self, n: usize) -> Option<u32> {
        self.ids.get(n).copied().filter(|&id| id != EMPTY)
    }

    /// Append the string whose number is `n` (the only string [`Self::number`] gives `n`
    /// for).
    pub fn write(&self, n: u32, out: &mut String) {
        // The prefix is the text before a string's trailing ASCII digits: still UTF-8.
        let prefix = std::str::from_utf8(&self.prefix).expect("a prefix of a str");
        write_numbered(prefix, self.digits, n, out);
    }

    /// Number `n` is `id`.
    pub fn set(&mut self, n: usize, id: u32) {
        if n >= self.ids.len() {
            let len = (n + 1).max(self.ids.len() * 2).min(NUMBERED_LIMIT as usize);
            self.ids.resize(len, EMPTY);
        }
        self.ids[n] = id;
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

        /// A known pattern's number is the one `trailing_number` reads.
        #[test]
        fn number_after_agrees_with_trailing_number(
            s in "[A-Z ]{0,3}[0-9]{0,11}[A-Z]{0,1}",
            prefix in "[A-Z ]{0,3}", digits in 1usize..=9,
        ) {
            let by_pattern = trailing_number(s.as_bytes())
                .filter(|(p, d, _)| *d == digits && *p == prefix.as_bytes())
                .map(|(_, _, n)| n);
            prop_assert_eq!(number_after(s.as_bytes(), prefix.as_bytes(), digits), by_pattern);
        }

        /// An id made of a prefix and digits, or one byte of it changed to anything, reads
        /// as the plain digit loop reads it (the word-at-a-time path for 8+ bytes).
        #[test]
        fn number_after_reads_ids_as_a_digit_loop(
            prefix in "[A-Z ]{0,6}", number in "[0-9]{1,9}",
            at in any::<proptest::sample::Index>(), to in any::<u8>(), change in any::<bool>(),
        ) {
            let mut s = format!("{prefix}{number}").into_bytes();
            if change {
                let i = at.index(s.len());
                s[i] = to;
            }
            let rest = &s[prefix.len()..];
            let by_loop = (s[..prefix.len()] == *prefix.as_bytes() && rest.iter().all(u8::is_ascii_digit))
                .then(|| rest.iter().fold(0u32, |n, &c| n * 10 + u32::from(c - b'0')));
            prop_assert_eq!(number_after(&s, prefix.as_bytes(), number.len()), by_loop);
        }

        /// Equal lengths differing in one byte anywhere (head words, overlapping tail, short).
        #[test]
        fn one_changed_byte_is_seen(a in proptest::collection::vec(any::<u8>(), 1..40),
                                    at in any::<proptest::sample::Index>(), flip in 1u8..=255) {
            let mut b = a.clone();
            let i = at.index(a.len());
            b[i] ^= flip;
            prop_assert!(!same_bytes(&a, &b));
            prop_assert_eq!(cmp_bytes(&a, &b), a.cmp(&b));
        }
    }
}
