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

    /// The number `s` is filed under when it is numbered (taking its pattern first if there
    /// is none yet, as `intern` does): its id is then [`Self::intern_numbers`]'s to find.
    #[inline]
    pub fn number_of(&mut self, s: &str) -> Option<u32> {
        self.numbered.adopt(s.as_bytes());
        self.numbered.number(s.as_bytes()).map(|n| n as u32)
    }

    /// The ids of numbered strings, by the numbers `number_of` gave for them, into `ids`:
    /// what `intern` gives each in turn, new ones added in order. Many at a time because
    /// each is a read from an array as long as the highest number: at 250k customers that
    /// is beyond a core's cache, and one lookup per imported row waited for memory each
    /// time (12% of a 5M-row import); a loop of lookups alone has many reads in flight.
    pub fn intern_numbers(&mut self, numbers: &[u32], ids: &mut [u32]) {
        for (id, &n) in ids.iter_mut().zip(numbers) {
            *id = self
                .numbered
                .get(n as usize)
                .unwrap_or(crate::intern::EMPTY);
        }
        for (id, &n) in ids.iter_mut().zip(numbers) {
            if *id != crate::intern::EMPTY {
                continue;
            }
            // New, or first seen earlier in this batch.
            *id = match self.numbered.get(n as usize) {
                Some(known) => known,
                None => {
                    let new = self.ends.len() as u32;
                    self.numbered.write(n, &mut self.text);
                    self.ends.push(self.text.len() as u32);
                    self.numbered.set(n as usize, new);
                    new
                }
            };
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

/// A list of strings indexed by position (no hashing, no allocation each): in one text
/// arena with end offsets, or, while every string is one prefix and a fixed count of digits
/// (order numbers: `ORD00012345`), as their numbers only. That is 4 bytes an order instead
/// of the text and its offset (19 for `ORD00012345`): 72 MiB less at 5M orders.
#[derive(Clone, Default)]
pub struct TextList {
    /// Some while every string is numbered; `text` and `ends` are empty then.
    numbered: Option<NumberedText>,
    text: String,
    ends: Vec<u64>,
    /// Room asked for by `reserve` (strings, bytes each), taken when it is known which
    /// form the list has.
    room: (usize, usize),
}

#[derive(Clone, PartialEq)]
struct NumberedText {
    prefix: Box<str>,
    digits: usize,
    numbers: Vec<u32>,
}

/// (prefix, digits, number) of a numbered string (a prefix, then 1 to 9 ASCII digits).
#[inline]
fn numbered_parts(s: &str) -> Option<(&str, usize, u32)> {
    let (_, digits, number) = crate::intern::trailing_number(s.as_bytes())?;
    // The digits are ASCII, so the prefix ends on a character boundary.
    Some((&s[..s.len() - digits], digits, number))
}

impl NumberedText {
    fn number_of(&self, s: &str) -> Option<u32> {
        crate::intern::number_after(s.as_bytes(), self.prefix.as_bytes(), self.digits)
    }
    /// The string of number `n`.
    fn write(&self, n: u32, out: &mut String) {
        crate::intern::write_numbered(&self.prefix, self.digits, n, out);
    }
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
        if self.is_empty() && self.numbered.is_none() {
            if let Some((prefix, digits, _)) = numbered_parts(s) {
                self.numbered = Some(NumberedText {
                    prefix: prefix.into(),
                    digits,
                    numbers: Vec::with_capacity(self.room.0),
                });
            }
        }
        if let Some(numbered) = &mut self.numbered {
            match numbered.number_of(s) {
                Some(n) => return numbered.numbers.push(n),
                None => self.write_numbers_out(),
            }
        }
        self.text.push_str(s);
        self.ends.push(self.text.len() as u64);
    }
    /// `s`'s number when the list keeps numbers and `s` is numbered alike: what
    /// [`Self::push_number`] and [`Self::last_number`] take, so that an order number is
    /// read once for both the rising check and the push.
    #[inline]
    pub fn number_of(&self, s: &str) -> Option<u32> {
        self.numbered.as_ref()?.number_of(s)
    }
    /// Push the string whose number [`Self::number_of`] just gave (nothing pushed since).
    #[inline]
    pub fn push_number(&mut self, n: u32) {
        self.numbered
            .as_mut()
            .expect("a number from number_of")
            .numbers
            .push(n);
    }
    /// The last string's number, while the list keeps numbers.
    #[inline]
    pub fn last_number(&self) -> Option<u32> {
        self.numbered.as_ref()?.numbers.last().copied()
    }
    /// From numbers to the text arena, when a string that is not numbered alike comes.
    fn write_numbers_out(&mut self) {
        let Some(numbered) = self.numbered.take() else {
            return;
        };
        let (rows, bytes) = self.room;
        let rows = rows.max(numbered.numbers.len());
        self.text
            .reserve(rows * bytes.max(numbered.prefix.len() + numbered.digits));
        self.ends.reserve(rows);
        for &n in &numbered.numbers {
            numbered.write(n, &mut self.text);
            self.ends.push(self.text.len() as u64);
        }
    }
    /// String `i`: borrowed from the arena, or written out from its number.
    pub fn get(&self, i: usize) -> std::borrow::Cow<'_, str> {
        match &self.numbered {
            Some(numbered) => {
                let mut out = String::with_capacity(numbered.prefix.len() + numbered.digits);
                numbered.write(numbered.numbers[i], &mut out);
                out.into()
            }
            None => self.text_at(i).into(),
        }
    }
    fn text_at(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
    /// String `i` appended to `out` (no allocation of its own).
    pub fn write_to(&self, i: usize, out: &mut String) {
        match &self.numbered {
            Some(numbered) => numbered.write(numbered.numbers[i], out),
            None => out.push_str(self.text_at(i)),
        }
    }
    /// How the last string compares with `s`, byte by byte (None: the list is empty).
    /// Numbered alike, that is the numbers' order.
    pub fn cmp_last(&self, s: &str) -> Option<std::cmp::Ordering> {
        let last = self.len().checked_sub(1)?;
        if let (Some(n), Some(last)) = (self.number_of(s), self.last_number()) {
            return Some(last.cmp(&n));
        }
        // Word by word: slice comparison in WebAssembly is a byte-by-byte `memcmp`.
        Some(crate::intern::cmp_bytes(
            self.get(last).as_bytes(),
            s.as_bytes(),
        ))
    }
    pub fn len(&self) -> usize {
        match &self.numbered {
            Some(numbered) => numbered.numbers.len(),
            None => self.ends.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn reserve(&mut self, n: usize, avg_len: usize) {
        self.room = (n, avg_len);
        let empty = self.is_empty();
        match &mut self.numbered {
            Some(numbered) => numbered.numbers.reserve(n),
            None if !empty => {
                self.text.reserve(n * avg_len);
                self.ends.reserve(n);
            }
            None => {} // on the first string, in the form it takes
        }
    }
    /// Append every string of `other`.
    pub fn extend(&mut self, other: &TextList) {
        if let (Some(a), Some(b)) = (&mut self.numbered, &other.numbered) {
            if a.prefix == b.prefix && a.digits == b.digits {
                return a.numbers.extend_from_slice(&b.numbers);
            }
        }
        let mut buf = String::new();
        for i in 0..other.len() {
            buf.clear();
            other.write_to(i, &mut buf);
            self.push(&buf);
        }
    }
    /// The list as parts to send elsewhere: (prefix, digits, numbers) while numbered, else
    /// the arena and its end offsets.
    pub fn parts(&self) -> TextParts<'_> {
        match &self.numbered {
            Some(n) => TextParts::Numbered(&n.prefix, n.digits, &n.numbers),
            None => TextParts::Text(&self.text, &self.ends),
        }
    }
    /// A list from the arena and end offsets of `parts`; `None` if they do not fit.
    pub fn from_parts(text: String, ends: Vec<u64>) -> Option<TextList> {
        let mut last = 0u64;
        for &e in &ends {
            if e < last || e as usize > text.len() || !text.is_char_boundary(e as usize) {
                return None;
            }
            last = e;
        }
        Some(TextList {
            text,
            ends,
            ..Default::default()
        })
    }
    /// A list from the numbered `parts`; `None` if they could not have come from one.
    pub fn from_numbered(prefix: String, digits: usize, numbers: Vec<u32>) -> Option<TextList> {
        let fits = |n: &u32| (*n as u64) < 10u64.pow(digits as u32);
        let prefix_ok = !prefix.ends_with(|c: char| c.is_ascii_digit());
        if !(1..=crate::intern::MAX_NUMBER_DIGITS).contains(&digits)
            || !prefix_ok
            || !numbers.iter().all(fits)
        {
            return None;
        }
        Some(TextList {
            numbered: Some(NumberedText {
                prefix: prefix.into(),
                digits,
                numbers,
            }),
            ..Default::default()
        })
    }
    /// Keep the entries where `keep` is true.
    pub fn retain(&mut self, keep: &[bool]) {
        if let Some(numbered) = &mut self.numbered {
            let mut i = 0;
            numbered.numbers.retain(|_| {
                i += 1;
                keep[i - 1]
            });
            return;
        }
        let mut out = TextList::default();
        for (i, k) in keep.iter().enumerate() {
            if *k {
                out.push(self.text_at(i));
            }
        }
        *self = out;
    }
}

/// `TextList::parts`.
pub enum TextParts<'a> {
    Numbered(&'a str, usize, &'a [u32]),
    Text(&'a str, &'a [u64]),
}

/// A column of ids where 0 means "none" (region, segment, buyer account): nothing is
/// stored while every id is 0, as in any file without that column. Three such columns of
/// zeros were 57 MiB of a 5M-row file.
#[derive(Clone, Default, Debug, PartialEq)]
pub struct Ids {
    len: usize,
    /// Empty while every id is 0; else one per row.
    ids: Vec<u32>,
    /// Rows to make room for when the first nonzero id comes (`reserve`).
    room: usize,
}

impl Ids {
    /// A column of these ids.
    pub fn from_vec(ids: Vec<u32>) -> Ids {
        let len = ids.len();
        let ids = if ids.iter().all(|&i| i == 0) {
            Vec::new()
        } else {
            ids
        };
        Ids { len, ids, room: 0 }
    }
    /// Three of these per imported row: the common cases inline, the first nonzero id
    /// (once per column) out of line.
    #[inline(always)]
    pub fn push(&mut self, id: u32) {
        if !self.ids.is_empty() {
            self.ids.push(id);
        } else if id != 0 {
            self.start_storing(id);
        }
        self.len += 1;
    }
    /// The first nonzero id: the zeros before it written out, then `id`.
    #[cold]
    fn start_storing(&mut self, id: u32) {
        self.ids.reserve(self.room.max(self.len + 1));
        self.ids.resize(self.len, 0);
        self.ids.push(id);
    }
    /// The id of row `i` (panics past the end, like a slice).
    #[inline]
    pub fn get(&self, i: usize) -> u32 {
        assert!(i < self.len, "row {i} of {}", self.len);
        if self.ids.is_empty() {
            0
        } else {
            self.ids[i]
        }
    }
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Is every id 0 (as in any file without this column)?
    pub fn all_zero(&self) -> bool {
        self.ids.is_empty()
    }
    /// Make room for `n` more rows, taken only if a nonzero id comes.
    pub fn reserve(&mut self, n: usize) {
        self.room = self.len + n;
        if !self.ids.is_empty() {
            self.ids.reserve(n);
        }
    }
    /// Every id (0s written out when nothing is stored).
    pub fn to_vec(&self) -> Vec<u32> {
        if self.ids.is_empty() {
            vec![0; self.len]
        } else {
            self.ids.clone()
        }
    }
    /// Append these ids.
    pub fn extend(&mut self, ids: impl Iterator<Item = u32>) {
        for id in ids {
            self.push(id);
        }
    }
    /// Append `other`'s ids, each through `map` (its id -> ours). A column of zeros that
    /// stays zeros is a length added: joining the two halves of a 5M-row file went through
    /// three such columns an id at a time (~75 ms of the join).
    pub fn extend_mapped(&mut self, other: &Ids, map: &[u32]) {
        if other.ids.is_empty() {
            let zero = if other.len == 0 { 0 } else { map[0] };
            if zero == 0 && self.ids.is_empty() {
                self.len += other.len;
            } else {
                (0..other.len).for_each(|_| self.push(zero));
            }
            return;
        }
        for &id in &other.ids {
            self.push(map[id as usize]);
        }
    }
    /// The ids in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len).map(|i| self.get(i))
    }
    /// Keep the rows where `keep` is true.
    pub fn retain(&mut self, keep: &[bool]) {
        self.len = keep[..self.len].iter().filter(|k| **k).count();
        let mut i = 0;
        self.ids.retain(|_| {
            i += 1;
            keep[i - 1]
        });
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
    pub region: Ids,
    pub segment: Ids,
    pub user: Ids,
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
                let mut key = String::new();
                for i in 0..self.order_keys.len() {
                    key.clear();
                    self.order_keys.write_to(i, &mut key);
                    index.intern(&key);
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

    proptest! {
        /// A text list agrees with a Vec<String>, numbered or not: strings, length, order
        /// with the last one, kept entries, appended lists and its parts sent and rebuilt.
        /// Mostly one numbered pattern, with strings breaking it now and then.
        #[test]
        fn text_list_matches_a_vec(
            words in proptest::collection::vec(
                "ORD[0-9]{6}|ORD[0-9]{6}|ORD[0-9]{6}|ORD[0-9]{5}|ORD[0-9]{10}|OR[0-9]{6}|[0-9]{3}|[a-z]{0,4}|ORD[0-9]{6}x",
                0..60),
            more in proptest::collection::vec("ORD[0-9]{6}|ORD[0-9]{5}|[a-z]{1,3}", 0..20),
            keep in proptest::collection::vec(any::<bool>(), 80),
            reserve in 0usize..100,
        ) {
            let mut list = TextList::default();
            if reserve > 0 {
                list.reserve(reserve, 9);
            }
            let mut vec: Vec<String> = Vec::new();
            for (i, w) in words.iter().enumerate() {
                let want = vec.last().map(|l| l.as_bytes().cmp(w.as_bytes()));
                prop_assert_eq!(list.cmp_last(w), want);
                // By its number when numbered alike (every other word), as the importer does.
                match list.number_of(w) {
                    Some(n) if i % 2 == 0 => {
                        prop_assert_eq!(list.last_number().map(|l| l.cmp(&n)), want);
                        list.push_number(n);
                    }
                    _ => list.push(w),
                }
                vec.push(w.clone());
            }
            let same = |list: &TextList, vec: &[String]| {
                let mut buf = String::new();
                list.len() == vec.len()
                    && vec.iter().enumerate().all(|(i, w)| {
                        buf.clear();
                        list.write_to(i, &mut buf);
                        list.get(i) == w.as_str() && buf == *w
                    })
            };
            prop_assert!(same(&list, &vec));
            let mut other = TextList::default();
            for w in &more {
                other.push(w);
            }
            let mut joined = list.clone();
            joined.extend(&other);
            prop_assert!(same(&joined, &[vec.clone(), more.clone()].concat()));
            let rebuilt = match list.parts() {
                TextParts::Numbered(prefix, digits, numbers) => {
                    TextList::from_numbered(prefix.into(), digits, numbers.to_vec())
                }
                TextParts::Text(text, ends) => TextList::from_parts(text.into(), ends.to_vec()),
            };
            prop_assert!(same(&rebuilt.expect("its own parts"), &vec));
            let mut kept = list.clone();
            kept.retain(&keep[..vec.len()]);
            let kept_vec: Vec<String> =
                vec.iter().zip(&keep).filter(|(_, k)| **k).map(|(w, _)| w.clone()).collect();
            prop_assert!(same(&kept, &kept_vec));
        }
    }

    proptest! {
        /// An id column agrees with a Vec<u32>, stored or not (all zeros): ids, length,
        /// kept rows, appended ids, and rebuilt from its ids.
        #[test]
        fn ids_match_a_vec(
            ids in proptest::collection::vec(prop_oneof![9 => Just(0u32), 1 => 1u32..5], 0..60),
            more in proptest::collection::vec(0u32..3, 0..10),
            keep in proptest::collection::vec(any::<bool>(), 70),
            reserve in 0usize..100,
        ) {
            let mut column = Ids::default();
            column.reserve(reserve);
            for &id in &ids {
                column.push(id);
            }
            let same = |c: &Ids, v: &[u32]| {
                c.len() == v.len() && c.to_vec() == v && c.iter().eq(v.iter().copied())
            };
            prop_assert!(same(&column, &ids));
            prop_assert!(same(&Ids::from_vec(ids.clone()), &ids));
            prop_assert_eq!(column.ids.is_empty(), ids.iter().all(|&i| i == 0));
            let mut joined = column.clone();
            joined.extend(more.iter().copied());
            prop_assert!(same(&joined, &[ids.clone(), more.clone()].concat()));
            // Through a map: 0 -> 0 or not, onto a column of zeros or not.
            for map in [vec![0u32, 2, 1, 4, 3], vec![5, 1, 0, 2, 2]] {
                let other = Ids::from_vec(more.clone());
                let mut mapped = column.clone();
                mapped.extend_mapped(&other, &map);
                let want: Vec<u32> = more.iter().map(|&i| map[i as usize]).collect();
                prop_assert!(same(&mapped, &[ids.clone(), want].concat()));
            }
            let mut kept = column.clone();
            kept.retain(&keep[..ids.len()]);
            let kept_vec: Vec<u32> =
                ids.iter().zip(&keep).filter(|(_, k)| **k).map(|(i, _)| *i).collect();
            prop_assert!(same(&kept, &kept_vec));
        }
    }

    /// Order numbers of one pattern are kept as numbers; one that breaks it turns the list
    /// back into text, and nothing is lost.
    #[test]
    fn order_numbers_are_kept_as_numbers_until_one_breaks_the_pattern() {
        let mut list = TextList::default();
        list.push("SO-000123");
        list.push("SO-000124");
        assert!(matches!(
            list.parts(),
            TextParts::Numbered("SO-", 6, [123, 124])
        ));
        list.push("SO-125");
        assert!(matches!(
            list.parts(),
            TextParts::Text("SO-000123SO-000124SO-125", _)
        ));
        assert_eq!(list.get(2), "SO-125");
        // Damaged numbered parts are refused, not trusted.
        assert!(TextList::from_numbered("SO-".into(), 2, vec![100]).is_none());
        assert!(TextList::from_numbered("SO-1".into(), 2, vec![10]).is_none());
        assert!(TextList::from_numbered("SO-".into(), 10, vec![1]).is_none());
    }

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

                    /// Numbered strings looked up in batches (`number_of`, then
                    /// `intern_numbers`, the others one at a time in between) get the ids
                    /// and names one-at-a-time interning gives, repeats within a batch too.
                    #[test]
                    fn batched_numbers_match_one_at_a_time(
                        words in proptest::collection::vec(
                            "C[0-9]{3}|C[0-9]{3}|C0[0-9]{2}|C[0-9]{2}|[a-c]{1,2}|D[0-9]{3}", 0..300),
                        batch in 1usize..40,
                    ) {
                        let mut one = Strings::<$index>::default();
                        let want: Vec<u32> = words.iter().map(|w| one.intern(w)).collect();
                        let mut batched = Strings::<$index>::default();
                        let (mut got, mut numbers) = (Vec::new(), Vec::new());
                        let flush = |s: &mut Strings<$index>, got: &mut Vec<u32>, numbers: &mut Vec<u32>| {
                            let at = got.len() - numbers.len();
                            s.intern_numbers(numbers, &mut got[at..]);
                            numbers.clear();
                        };
                        for w in &words {
                            match batched.number_of(w) {
                                Some(n) => {
                                    got.push(0);
                                    numbers.push(n);
                                    if numbers.len() == batch {
                                        flush(&mut batched, &mut got, &mut numbers);
                                    }
                                }
                                None => {
                                    flush(&mut batched, &mut got, &mut numbers);
                                    got.push(batched.intern(w));
                                }
                            }
                        }
                        flush(&mut batched, &mut got, &mut numbers);
                        prop_assert_eq!(&got, &want);
                        prop_assert_eq!(batched.len(), one.len());
                        for id in 0..one.len() as u32 {
                            prop_assert_eq!(batched.name(id), one.name(id));
                        }
                        for w in &words {
                            prop_assert_eq!(batched.get(w), one.get(w));
                        }
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
