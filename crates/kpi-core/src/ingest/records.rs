//! The records of a CSV stream, exactly as the `csv` crate reads them (no headers, flexible
//! rows, `\n` ends a record, `"` quotes, `""` escapes a quote), but faster for the usual
//! record.
//!
//! Most records of an export are simple: every field either unquoted or quoted without
//! escaped quotes and closed right before a delimiter or the line break. Those are split
//! here straight out of the read buffer, with no copy, over text checked as UTF-8 a buffer at
//! a time. Any other record (an escaped quote, text after a closing quote, a quoted field
//! running past the buffer, bytes that are not UTF-8) is read by `csv_core`, the state
//! machine behind the `csv` crate, so the result never depends on which way a record went.
//! The property test below checks both ways together against the `csv` crate on arbitrary
//! bytes.
//!
//! In WebAssembly the CSV state machine was the largest single cost of an import (a quarter
//! of reading 1M rows); this path spends a few comparisons per byte instead.
//!
//! Line numbers: the stream is expected with its line endings already made `\n`
//! (`lines::LfReader`), so a record's line is one plus the line breaks before it.

use std::io::{self, Read};

/// One record's fields, borrowed from the reader (`csv::StringRecord`'s reading methods).
///
/// Invariant (kept by the only two places that build one, both in this file): every
/// `(a, b)` of `bounds` has `a <= b` and both on char boundaries of `text`. The fast path
/// splits at delimiters, quotes and line breaks (ASCII bytes) of text checked as UTF-8; the
/// full path appends each field to `text` as a whole string. `slice` relies on it.
#[derive(Clone, Copy)]
pub struct Fields<'a> {
    text: &'a str,
    bounds: &'a [(usize, usize)],
}

impl<'a> Fields<'a> {
    /// The fields `bounds` of `text`, the invariant checked in debug builds (the property
    /// test below runs them on arbitrary bytes).
    fn new(text: &'a str, bounds: &'a [(usize, usize)]) -> Self {
        debug_assert!(bounds
            .iter()
            .all(|&(a, b)| a <= b && text.is_char_boundary(a) && text.is_char_boundary(b)));
        Fields { text, bounds }
    }

    /// Field `(a, b)` of `text`, without the two char-boundary checks of `&text[a..b]`:
    /// in WebAssembly those checks were 12% of an import's instructions (V8, 200k rows:
    /// 632M -> 555M an import).
    fn slice(text: &'a str, (a, b): (usize, usize)) -> &'a str {
        // SAFETY: `(a, b)` comes from the `bounds` of a `Fields`, which are in order and on
        // char boundaries of `text` (the invariant above).
        unsafe { text.get_unchecked(a..b) }
    }

    /// Fields in the record.
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    /// True for a record without fields (never read from a file: a record has at least one).
    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// The `i`th field.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        self.bounds.get(i).map(|&ab| Self::slice(self.text, ab))
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let text = self.text;
        self.bounds.iter().map(move |&ab| Self::slice(text, ab))
    }
}

/// Where a read buffer starts and how much it grows by.
const BUFFER_BYTES: usize = 1 << 18;

/// Reads records from a UTF-8 stream with `\n` line endings.
pub struct Records<R> {
    inner: R,
    buf: Vec<u8>,
    /// `buf[start..end]` is read and not yet consumed.
    start: usize,
    end: usize,
    /// Of `buf[start..end]`, how much was already searched for a line break.
    searched: usize,
    eof: bool,
    first_fill: bool,
    delimiter: u8,
    /// Simple records can be split here (not when the delimiter is a quote or a line break).
    fast: bool,
    /// The line of the byte at `start`.
    line: u64,
    bounds: Vec<(usize, usize)>,
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    owned: String,
}

impl<R: Read> Records<R> {
    /// Records of `inner`, fields split at `delimiter`.
    pub fn new(inner: R, delimiter: u8) -> Self {
        let mut core = csv_core::ReaderBuilder::new()
            .delimiter(delimiter)
            .terminator(csv_core::Terminator::Any(b'\n'))
            .build();
        // `csv_core` drops a byte-order mark from its first input only; `fill` does that
        // here, so the parser is told it has started (an empty line, skipped, changes nothing
        // else).
        let _ = core.read_record(b"\n", &mut [0u8; 1], &mut [0usize; 1]);
        Records {
            inner,
            buf: vec![0; BUFFER_BYTES],
            start: 0,
            end: 0,
            searched: 0,
            eof: false,
            first_fill: true,
            delimiter,
            fast: delimiter != b'"' && delimiter != b'\n',
            line: 1,
            bounds: Vec::new(),
            core,
            out: vec![0; 1024],
            ends: vec![0; 64],
            owned: String::new(),
        }
    }

    /// The line the next record would start on (or the line after the last).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Read up to `max` records, handing each to `each` with its first line; `each` returns
    /// false to stop. False when the stream is done (or `each` stopped).
    #[inline(never)]
    pub fn read(
        &mut self,
        max: usize,
        mut each: impl FnMut(Fields<'_>, u64) -> bool,
    ) -> io::Result<bool> {
        let mut n = 0;
        while n < max {
            if !self.fill_line()? {
                return Ok(false);
            }
            let (done, stopped, blocked) = self.read_simple(max - n, &mut each);
            n += done;
            if stopped {
                return Ok(false);
            }
            if blocked && n < max {
                // The record at `start` is not simple (or the text is not UTF-8).
                match self.read_full()? {
                    Some(line) => {
                        n += 1;
                        let fields = Fields::new(&self.owned, &self.bounds);
                        if !each(fields, line) {
                            return Ok(false);
                        }
                    }
                    None => return Ok(false),
                }
            }
        }
        Ok(true)
    }

    /// Simple records from `start` up to the last complete line read: how many, whether
    /// `each` stopped, and whether the record at `start` must be read the full way (not
    /// simple, not UTF-8, or the stream's last bytes without a line break).
    fn read_simple(
        &mut self,
        max: usize,
        each: &mut impl FnMut(Fields<'_>, u64) -> bool,
    ) -> (usize, bool, bool) {
        if !self.fast {
            return (0, false, true);
        }
        let Records {
            buf,
            start,
            end,
            searched,
            line,
            bounds,
            delimiter,
            ..
        } = self;
        let Some(last) = memchr::memrchr(b'\n', &buf[*start..*end]) else {
            return (0, false, true);
        };
        let region = &buf[*start..*start + last + 1];
        let text = match utf8(region) {
            Ok(t) => t,
            Err(valid_up_to) => {
                // Up to the last whole line before the bad bytes; that line goes the slow way.
                let valid = &region[..valid_up_to];
                match memchr::memrchr(b'\n', valid) {
                    Some(i) => std::str::from_utf8(&valid[..i + 1]).unwrap_or(""),
                    None => "",
                }
            }
        };
        let bytes = text.as_bytes();
        let mut separators = Separators::default();
        let (mut p, mut n, mut stopped) = (0, 0, false);
        while n < max && p < bytes.len() {
            if bytes[p] == b'\n' {
                // csv_core skips empty lines.
                *line += 1;
                p += 1;
                continue;
            }
            let Some((next, inner_breaks)) =
                split_simple(bytes, p, *delimiter, bounds, &mut separators)
            else {
                break;
            };
            let first_line = *line;
            *line += 1 + inner_breaks;
            p = next;
            n += 1;
            if !each(Fields::new(text, bounds), first_line) {
                stopped = true;
                break;
            }
        }
        *start += p;
        *searched = searched.saturating_sub(p);
        let blocked = n < max && !stopped && p < region.len();
        (n, stopped, blocked)
    }

    /// One record the `csv_core` way, into `owned` and `bounds`: its first line, or `None`
    /// at the end of the stream.
    fn read_full(&mut self) -> io::Result<Option<u64>> {
        use csv_core::ReadRecordResult as R;
        // Empty lines first, counted (csv_core skips them too).
        loop {
            while self.start == self.end {
                if !self.refill()? {
                    return Ok(None);
                }
            }
            if self.buf[self.start] != b'\n' {
                break;
            }
            self.start += 1;
            self.line += 1;
            self.searched = self.searched.saturating_sub(1);
        }
        let first_line = self.line;
        let (mut nout, mut nend) = (0, 0);
        loop {
            let input = &self.buf[self.start..self.end];
            let (res, nin, o, e) =
                self.core
                    .read_record(input, &mut self.out[nout..], &mut self.ends[nend..]);
            self.line += memchr::memchr_iter(b'\n', &input[..nin]).count() as u64;
            let at_end = input.is_empty();
            self.start += nin;
            self.searched = self.searched.saturating_sub(nin);
            nout += o;
            nend += e;
            match res {
                R::InputEmpty if at_end => return Ok(None),
                R::InputEmpty => {
                    if self.start == self.end {
                        // Nothing left to parse: more bytes, or the end (an empty input next).
                        self.refill()?;
                    }
                }
                R::OutputFull => {
                    let grown = self.out.len() * 2;
                    self.out.resize(grown, 0);
                }
                R::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                R::Record => break,
                R::End => return Ok(None),
            }
        }
        self.owned.clear();
        self.bounds.clear();
        let record = &self.out[..nout];
        let mut from = 0;
        // As the import read `csv::StringRecord`s: each field on its own (a multi-byte
        // character split by a delimiter is two bad fields), and bytes that are not UTF-8 (a
        // file lying about its encoding) become U+FFFD rather than losing the row.
        for &to in &self.ends[..nend] {
            let a = self.owned.len();
            self.owned
                .push_str(&String::from_utf8_lossy(&record[from..to]));
            self.bounds.push((a, self.owned.len()));
            from = to;
        }
        Ok(Some(first_line))
    }

    /// Make sure `buf[start..end]` holds a whole line (or the rest of the stream); false when
    /// nothing is left.
    fn fill_line(&mut self) -> io::Result<bool> {
        loop {
            let unread = &self.buf[self.start + self.searched..self.end];
            if memchr::memchr(b'\n', unread).is_some() {
                return Ok(true);
            }
            self.searched = self.end - self.start;
            if !self.refill()? {
                return Ok(self.start < self.end);
            }
        }
    }

    /// Read more bytes after `end`, keeping `buf[start..end]`; false at the end.
    fn refill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let grown = (self.buf.len() * 2).max(16);
            self.buf.resize(grown, 0);
        }
        let before = self.end;
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(k) => {
                    self.end += k;
                    // The first read looks at three bytes at least, for a byte-order mark.
                    if !(self.first_fill && self.end < 3) {
                        break;
                    }
                    if self.end == self.buf.len() {
                        self.buf.resize(self.buf.len() + 16, 0);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        if self.first_fill {
            // As `csv_core`: a byte-order mark at the very start is dropped.
            self.first_fill = false;
            if self.buf[..self.end].starts_with(b"\xef\xbb\xbf") {
                self.start = 3;
            }
        }
        Ok(self.end > before)
    }
}

/// Split the simple record starting at `p` (not a line break) of `bytes` (which ends with a
/// line break) into `bounds`: where the next record starts and the line breaks inside its
/// quoted fields, or `None` when the record is not simple (see the module's notes).
#[inline(always)]
fn split_simple(
    bytes: &[u8],
    mut p: usize,
    delimiter: u8,
    bounds: &mut Vec<(usize, usize)>,
    separators: &mut Separators,
) -> Option<(usize, u64)> {
    bounds.clear();
    let mut inner_breaks = 0;
    loop {
        if bytes[p] == b'"' {
            let open = p + 1;
            let close = open + memchr::memchr(b'"', &bytes[open..])?;
            // A closing quote always has a byte after it: `bytes` ends with a line break.
            let after = bytes[close + 1];
            if after != delimiter && after != b'\n' {
                // An escaped quote (`""`) or text after the closing quote.
                return None;
            }
            inner_breaks += memchr::memchr_iter(b'\n', &bytes[open..close]).count() as u64;
            bounds.push((open, close));
            p = close + 2;
            if after == b'\n' {
                return Some((p, inner_breaks));
            }
        } else {
            // Quotes after a field's first byte are plain text (as in csv_core).
            let q = separators.next(bytes, p, delimiter);
            bounds.push((p, q));
            p = q + 1;
            if bytes[q] == b'\n' {
                return Some((p, inner_breaks));
            }
        }
    }
}

/// The separators (delimiters and line breaks) of a 64-byte window of the text, a bit a
/// byte, found with 16-byte vector compares: a record's fields are then the set bits, one
/// `trailing_zeros` each (a word-at-a-time search per field was ~60 instructions a row
/// more, natively).
#[derive(Default)]
struct Separators {
    /// The window is `[base, end)`; `mask` has bit `i` for a separator at `base + i`.
    base: usize,
    end: usize,
    mask: u64,
}

impl Separators {
    /// The first delimiter or line break at or after `from` in `bytes` (which ends with a
    /// line break). `from` never goes back between calls on the same text.
    #[inline(always)]
    fn next(&mut self, bytes: &[u8], from: usize, delimiter: u8) -> usize {
        if from >= self.end {
            self.load(bytes, from, delimiter);
        }
        loop {
            let skip = from.saturating_sub(self.base);
            let ahead = self.mask & (u64::MAX << skip);
            if ahead != 0 {
                return self.base + ahead.trailing_zeros() as usize;
            }
            self.load(bytes, self.end, delimiter);
        }
    }

    fn load(&mut self, bytes: &[u8], at: usize, delimiter: u8) {
        self.base = at;
        self.end = at + 64;
        self.mask = match bytes.get(at..at + 64) {
            Some(block) => separators_64(block.try_into().expect("64 bytes"), delimiter),
            // The text's last bytes (it ends with a line break, so the search ends here).
            None => separators_scalar(&bytes[at..], delimiter),
        };
    }
}

/// `bytes` as text, or how many of its first bytes are UTF-8 (`Utf8Error::valid_up_to`):
/// `std::str::from_utf8` after skipping the ASCII bytes in front 32 at a time. The standard
/// check reads a `usize` at a time, 4 bytes on wasm32: it was 2.9% of an import's time in
/// V8 (perf, 200k rows), on text that is nearly always all ASCII.
fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    const HIGH_BITS: u64 = u64::from_ne_bytes([0x80; 8]);
    let word = |chunk: &[u8]| u64::from_ne_bytes(chunk.try_into().expect("8 bytes"));
    let ascii = bytes
        .chunks_exact(32)
        .take_while(|c| {
            (word(&c[..8]) | word(&c[8..16]) | word(&c[16..24]) | word(&c[24..])) & HIGH_BITS == 0
        })
        .count()
        * 32;
    match std::str::from_utf8(&bytes[ascii..]) {
        // SAFETY: `bytes[..ascii]` is ASCII and `bytes[ascii..]` is UTF-8; ASCII bytes are
        // whole characters, so together they are UTF-8.
        Ok(_) => Ok(unsafe { std::str::from_utf8_unchecked(bytes) }),
        Err(e) => Err(ascii + e.valid_up_to()),
    }
}

/// Bit `i` set where `block[i]` is `delimiter` or a line break.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn separators_64(block: &[u8; 64], delimiter: u8) -> u64 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of every x86_64 target; the 16 bytes from `16 * k` are inside
    // the 64-byte block, and `loadu` needs no alignment.
    unsafe {
        let (d, nl) = (_mm_set1_epi8(delimiter as i8), _mm_set1_epi8(b'\n' as i8));
        let mut mask = 0u64;
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
            let hits = _mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, nl));
            mask |= u64::from(_mm_movemask_epi8(hits) as u16) << (16 * k);
        }
        mask
    }
}

/// Bit `i` set where `block[i]` is `delimiter` or a line break.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn separators_64(block: &[u8; 64], delimiter: u8) -> u64 {
    use core::arch::wasm32::*;
    let (d, nl) = (u8x16_splat(delimiter), u8x16_splat(b'\n'));
    let mut mask = 0u64;
    for k in 0..4 {
        // SAFETY: 16 bytes from `16 * k` are inside the 64-byte block; `v128_load` needs no
        // alignment.
        let v = unsafe { v128_load(block.as_ptr().add(16 * k).cast::<v128>()) };
        mask |= u64::from(u8x16_bitmask(v128_or(u8x16_eq(v, d), u8x16_eq(v, nl)))) << (16 * k);
    }
    mask
}

/// Bit `i` set where `block[i]` is `delimiter` or a line break.
#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
#[inline(always)]
fn separators_64(block: &[u8; 64], delimiter: u8) -> u64 {
    separators_scalar(block, delimiter)
}

/// Bit `i` set where `bytes[i]` (at most 64 bytes) is `delimiter` or a line break, a byte
/// at a time: a window's tail, and targets without 16-byte vectors.
fn separators_scalar(bytes: &[u8], delimiter: u8) -> u64 {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, &c)| c == delimiter || c == b'\n')
        .fold(0, |m, (i, _)| m | 1 << i)
}

#[cfg(test)]
mod tests {
    use super::super::lines::Chunked;
    use super::*;
    use proptest::prelude::*;

    /// Records with their first lines.
    type Lines = Vec<(u64, Vec<String>)>;

    fn ours(data: &[u8], delimiter: u8, chunk: usize, buffer: usize) -> Lines {
        let stream = super::super::lines::LfReader::new(Chunked(data, chunk));
        let mut r = Records::new(stream, delimiter);
        r.buf = vec![0; buffer];
        let mut got = Vec::new();
        while r
            .read(3, |f, line| {
                got.push((line, f.iter().map(str::to_string).collect()));
                true
            })
            .unwrap()
        {}
        got
    }

    /// The `csv` crate's reading; a record's line counted from where it starts: the line
    /// `csv` gives for its start, plus the empty lines `csv` skipped before it.
    fn theirs(data: &[u8], delimiter: u8) -> Lines {
        let mut normalised = Vec::new();
        super::super::lines::LfReader::new(data)
            .read_to_end(&mut normalised)
            .unwrap();
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(&normalised[..]);
        let mut record = csv::ByteRecord::new();
        let mut got = Vec::new();
        while rdr.read_byte_record(&mut record).unwrap() {
            let pos = record.position().unwrap();
            let mut at = pos.byte() as usize;
            if at == 0 && normalised.starts_with(b"\xef\xbb\xbf") {
                at = 3;
            }
            let skipped = normalised[at..].iter().take_while(|&&b| b == b'\n').count();
            let fields = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            got.push((pos.line() + skipped as u64, fields));
        }
        got
    }

    proptest! {
        /// `utf8` says what `std::str::from_utf8` says, at every length and wherever the
        /// first non-ASCII byte falls (mostly ASCII bytes, as in exports).
        #[test]
        fn utf8_agrees_with_std(
            ascii in proptest::collection::vec(0x20u8..0x7f, 0..150),
            rest in proptest::collection::vec(
                prop_oneof![4 => 0x20u8..0x7f, 1 => any::<u8>(), 1 => Just(0xc3u8), 1 => Just(0xa9u8)],
                0..60,
            ),
        ) {
            let bytes = [ascii, rest].concat();
            let ours = utf8(&bytes);
            match std::str::from_utf8(&bytes) {
                Ok(t) => prop_assert_eq!(ours, Ok(t)),
                Err(e) => prop_assert_eq!(ours, Err(e.valid_up_to())),
            }
        }
    }

    #[test]
    fn simple_and_full_records_read_as_the_csv_crate_reads_them() {
        let cases: &[&[u8]] = &[
            b"a,b,c\n1,2,3\n",
            b"a,b\n\n\n1,2",
            b"\xef\xbb\xbfa,b\n1,2\n",
            b"\"a,b\",c\n\"x\ny\",z\n",
            b"\"a\"\"b\",c\nd,e\n",
            b"\"a\"b,c\n\"unclosed,d\ne\n",
            b"x\"y,\"\",\"\"\n,\n",
            b"caf\xc3\xa9,\xff\xfe,ok\nnext,\"\xc3\",z\n\xc3,\xa9\n",
            b"a\r\nb\rc\r\n\r\n\"q\r\nr\",s",
            b"\"",
            b"",
            b"\n\n",
        ];
        for data in cases {
            for chunk in [1, 2, 3, 7, 64] {
                for buffer in [4, 16, 1024] {
                    assert_eq!(
                        ours(data, b',', chunk, buffer),
                        theirs(data, b','),
                        "{:?} chunk {chunk} buffer {buffer}",
                        String::from_utf8_lossy(data)
                    );
                }
            }
        }
    }

    #[test]
    fn separators_are_found_anywhere_in_and_across_windows() {
        // Long enough for two whole 64-byte windows and a tail read byte by byte.
        let line: Vec<u8> = (0..150)
            .map(|i| b"abcdefghijklmnopqrstuvwxyz0123456789"[i % 36])
            .chain([b'\n'])
            .collect();
        for at in 0..line.len() - 1 {
            for from in [0, at / 2, at.saturating_sub(1), at] {
                let mut bytes = line.clone();
                bytes[at] = b';';
                assert_eq!(Separators::default().next(&bytes, from, b';'), at);
                // A byte next to the delimiter's value is not it.
                bytes[at] = b';' + 1;
                assert_eq!(
                    Separators::default().next(&bytes, from, b';'),
                    line.len() - 1
                );
            }
        }
        assert_eq!(Separators::default().next(b"\x80\x01;x\n", 0, b';'), 2);
        // One window over many calls, `from` moving on: every separator in turn.
        let bytes = b"a;bb;;ccc;dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd;e\nf\n";
        let mut seps = Separators::default();
        let (mut from, mut found) = (0, vec![]);
        while from < bytes.len() {
            let q = seps.next(bytes, from, b';');
            found.push(q);
            from = q + 1;
        }
        let want: Vec<usize> = (0..bytes.len())
            .filter(|&i| bytes[i] == b';' || bytes[i] == b'\n')
            .collect();
        assert_eq!(found, want);
    }

    #[test]
    fn an_unclosed_quote_at_the_end_starts_on_its_own_line() {
        // The old line formula (the line after the record, less the line breaks inside it)
        // put this record on line 1: its final line break is inside the field.
        let got = ours(b"a,b\n\"open,c\nd", b',', 64, 1024);
        assert_eq!(got[1], (2, vec!["open,c\nd\n".to_string()]));
    }

    #[test]
    fn a_quote_or_line_break_delimiter_reads_the_full_way() {
        for delimiter in [b'"', b'\n', b';', b'\t'] {
            let data = b"a;\"b\tc\";d\n\"e\"\"f\"\tg\n";
            assert_eq!(ours(data, delimiter, 5, 8), theirs(data, delimiter));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn any_bytes_read_as_the_csv_crate_reads_them(
            data in proptest::collection::vec(
                prop_oneof![
                    Just(b'a'), Just(b'1'), Just(b','), Just(b';'), Just(b'"'), Just(b'\n'),
                    Just(b'\r'), Just(b' '), Just(0xC3), Just(0xA9), Just(0xFF), Just(0xEF),
                    Just(0xBB), Just(0xBF),
                ],
                0..120,
            ),
            chunk in 1usize..40,
            buffer in 1usize..64,
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            prop_assert_eq!(ours(&data, delimiter, chunk, buffer), theirs(&data, delimiter));
        }
    }
}
