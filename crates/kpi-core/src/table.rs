//! Typed, columnar tables: what an import produces and what every KPI is computed from.
//! Re-filtering or changing the period reads these columns again, never the CSV text.

use serde::{Deserialize, Serialize};

/// Strings stored once, referred to by a dense `u32` id (customers, salespeople...).
///
/// All text lives in one arena (no allocation per string) and the index holds only ids:
/// a million order ids cost a few bytes each beyond their text.
pub type Interner = Strings<DefaultIndex>;

#[cfg(not(target_family = "wasm"))]
type DefaultIndex = crate::intern::Hashed;
#[cfg(target_family = "wasm")]
type DefaultIndex = crate::intern::Probed;

/// [`Interner`] over a chosen index (both are tested natively).
#[derive(Clone, Default)]
pub struct Strings<I> {
    text: String,
    /// End offset in `text` of each id's string.
    ends: Vec<u32>,
    /// Numbered strings (`CUST0012345`) by number; the others in `index`.
    numbered: crate::intern::Numbered,
    index: I,
}

impl<I> std::fmt::Debug for Strings<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interner")
            .field("len", &self.len())
            .finish()
    }
}

impl<I: crate::intern::StringIndex> Strings<I> {
    /// The id of `s`, adding it if new.
    pub fn intern(&mut self, s: &str) -> u32 {
        self.numbered.adopt(s.as_bytes());
        if let Some(n) = self.numbered.number(s.as_bytes()) {
            if let Some(id) = self.numbered.get(n) {
                return id;
            }
            let id = self.push(s);
            self.numbered.set(n, id);
            return id;
        }
        match self.index.find(s.as_bytes(), &self.text, &self.ends) {
            crate::intern::Found::Id(id) => id,
            crate::intern::Found::Vacant(place, hash) => {
                let id = self.push(s);
                self.index.insert((place, hash), id, &self.text, &self.ends);
                id
            }
        }
    }

    /// Add `s` to the arena: its id.
    fn push(&mut self, s: &str) -> u32 {
        let id = self.ends.len() as u32;
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        id
    }

    /// Make room for `additional` more strings of about `avg_len` bytes (avoids rehashing a
    /// million-entry table while importing).
    pub fn reserve(&mut self, additional: usize, avg_len: usize) {
        self.text.reserve(additional * avg_len);
        self.ends.reserve(additional);
        self.index.reserve(additional, &self.text, &self.ends);
    }

    /// The id of `s` if it was interned.
    pub fn get(&self, s: &str) -> Option<u32> {
        // Numbered strings are only in `numbered`.
        if let Some(n) = self.numbered.number(s.as_bytes()) {
            return self.numbered.get(n);
        }
        match self.index.find(s.as_bytes(), &self.text, &self.ends) {
            crate::intern::Found::Id(id) => Some(id),
            crate::intern::Found::Vacant(..) => None,
        }
    }
}

impl<I> Strings<I> {
    pub fn name(&self, id: u32) -> &str {
        &self.text[crate::intern::span(&self.ends, id)]
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn names(&self) -> impl Iterator<Item = &str> {
        (0..self.len() as u32).map(|id| self.name(id))
    }
}

/// A list of strings in one arena, indexed by position (no hashing, no allocation each).
#[derive(Clone, Default)]
pub struct TextList {
    text: String,
    ends: Vec<u64>,
}

impl std::fmt::Debug for TextList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextList")
            .field("len", &self.len())
            .finish()
    }
}

impl TextList {
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len() as u64);
    }
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn reserve(&mut self, n: usize, avg_len: usize) {
        self.text.reserve(n * avg_len);
        self.ends.reserve(n);
    }
    /// The arena and the end offsets (to send a list elsewhere as two buffers).
    pub fn parts(&self) -> (&str, &[u64]) {
        (&self.text, &self.ends)
    }
    /// A list from `parts`; `None` if the offsets do not fit the text.
    pub fn from_parts(text: String, ends: Vec<u64>) -> Option<TextList> {
        let mut last = 0u64;
        for &e in &ends {
            if e < last || e as usize > text.len() || !text.is_char_boundary(e as usize) {
                return None;
            }
            last = e;
        }
        Some(TextList { text, ends })
    }
    /// Keep the entries where `keep` is true.
    pub fn retain(&mut self, keep: &[bool]) {
        let mut out = TextList::default();
        for (i, k) in keep.iter().enumerate() {
            if *k {
                out.push(self.get(i));
            }
        }
        *self = out;
    }
}

/// What happened to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Completed,
    Cancelled,
    Returned,
    /// Open, pending, in progress: not revenue yet.
    Open,
}

/// How an order reached the seller. B2B orders often arrive offline after research online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Web,
    Edi,
    Email,
    Phone,
    /// Field sales, fax, in person, marketplace, or a word we do not know.
    Other,
    /// No channel column, or an empty cell.
    Unknown,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Web,
        Channel::Edi,
        Channel::Email,
        Channel::Phone,
        Channel::Other,
        Channel::Unknown,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Edi => "edi",
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Other => "other",
            Channel::Unknown => "unknown",
        }
    }
}

/// Orders, one row per order (order lines are merged on import).
#[derive(Debug, Default, Clone)]
pub struct OrdersTable {
    /// The order number of each row (a row is an order; order lines are merged).
    pub order_keys: TextList,
    /// Order number -> row, built the first time something looks an order up (returns):
    /// building a hash index of a million order numbers while importing would cost more
    /// than the rest of the import.
    order_index: std::sync::OnceLock<Interner>,
    pub customers: Interner,
    /// Salespeople; id 0 is "(unassigned)".
    pub salespeople: Interner,
    pub regions: Interner,
    pub segments: Interner,
    /// Buyer accounts (the orders file's user column); id 0 is "(none)".
    pub users: Interner,

    pub customer: Vec<u32>,
    /// Days since 1970-01-01.
    pub day: Vec<i32>,
    /// Order amount in 1/10,000 of the currency unit.
    pub amount: Vec<i64>,
    pub channel: Vec<Channel>,
    pub salesperson: Vec<u32>,
    pub status: Vec<OrderStatus>,
    pub region: Vec<u32>,
    pub segment: Vec<u32>,
    pub user: Vec<u32>,
    /// Contribution margin per order in 1/10,000, where the file has margin or cost.
    pub margin: Option<Vec<i64>>,
    /// The file line each order came from (its first line for merged order lines).
    pub line: Vec<u32>,
}

impl OrdersTable {
    pub fn len(&self) -> usize {
        self.day.len()
    }
    pub fn is_empty(&self) -> bool {
        self.day.is_empty()
    }
    /// The row of order number `key`, if any.
    pub fn find_order(&self, key: &str) -> Option<u32> {
        self.order_index
            .get_or_init(|| {
                let mut index = Interner::default();
                index.reserve(self.order_keys.len(), 12);
                for i in 0..self.order_keys.len() {
                    index.intern(self.order_keys.get(i));
                }
                index
            })
            .get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intern::{Hashed, Probed};
    use proptest::prelude::*;

    macro_rules! interner_tests {
        ($name:ident, $index:ty) => {
            mod $name {
                use super::*;
                proptest! {
                    /// The interner agrees with a plain map: same id for the same string,
                    /// ids dense in order of first sight, names given back, absent strings
                    /// not found.
                    #[test]
                    fn matches_a_map(words in proptest::collection::vec(
                                         // Plain words, and numbers: under prefixes, with
                                         // other digit counts, above the numbered limit.
                                         "[a-c]{0,3}|[a-z]{10,30}|[ab]{15,19}|[CD]?[0-9]{1,4}|C[0-9]{7,12}|[ab][0-9]{2}x|[0-9]{1,3}",
                                         0..400),
                                     reserve in 0usize..300) {
                        let mut interner = Strings::<$index>::default();
                        if reserve > 0 {
                            interner.reserve(reserve, 8);
                        }
                        let mut map = std::collections::HashMap::new();
                        for w in &words {
                            let next = map.len() as u32;
                            let expected = *map.entry(w.clone()).or_insert(next);
                            prop_assert_eq!(interner.intern(w), expected);
                        }
                        prop_assert_eq!(interner.len(), map.len());
                        for (w, id) in &map {
                            prop_assert_eq!(interner.get(w), Some(*id));
                            prop_assert_eq!(interner.name(*id), w.as_str());
                        }
                        prop_assert_eq!(interner.get("not-a-generated-word!"), None);
                    }
                }

                #[test]
                fn empty_finds_nothing_and_grows_past_many_entries() {
                    let mut interner = Strings::<$index>::default();
                    assert_eq!(interner.get(""), None);
                    for i in 0..100_000u32 {
                        assert_eq!(interner.intern(&format!("CUST{i:07}")), i);
                    }
                    // As many again that are not numbered: the hash index grows past them.
                    assert_eq!(interner.intern(""), 100_000);
                    for i in 0..100_000u32 {
                        assert_eq!(interner.intern(&format!("{i:07}-B")), 100_001 + i);
                    }
                    assert_eq!(interner.get("0054321-B"), Some(154_322));
                    assert_eq!(interner.get("CUST54321"), None);
                    assert_eq!(interner.intern(""), 100_000);
                    assert_eq!(interner.get(""), Some(100_000));
                    assert_eq!(interner.get("CUST0012345"), Some(12_345));
                    assert_eq!(interner.name(99_999), "CUST0099999");
                    let mut clone = interner.clone();
                    assert_eq!(clone.get("CUST0054321"), Some(54_321));
                    assert_eq!(clone.intern("CUST0054321"), 54_321);
                    assert_eq!(clone.intern("new"), 200_001);
                    assert_eq!(interner.get("new"), None);
                }
            }
        };
    }
    interner_tests!(hashed, Hashed);
    interner_tests!(probed, Probed);
}
