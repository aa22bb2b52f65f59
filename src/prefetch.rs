//! Reading a `File` ahead of the parser: while the worker parses one slice, the next is
//! read on another thread (`slice_reader`). The synchronous `FileReaderSync` used before
//! made the worker wait for every slice: ~0.2 s of a million-row import.
//!
//! The parser pulls bytes through `io::Read` and can not wait for a promise, so the worker
//! awaits the next slice between batches of rows (`fill`). If the parser ever runs out
//! anyway (a record longer than what is read ahead), `read` reads the next bytes at once,
//! synchronously: the bytes always arrive whole and in order.

use js_sys::Uint8Array;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, FileReaderSync};

/// Bytes read per slice, at most.
const SLICE_BYTES: f64 = 8.0 * 1024.0 * 1024.0;
/// The first slice: small, so parsing starts after ~1 MB is read, not 8 (a Chromium trace
/// of a 1M-row import had the worker idle ~60 ms for its first 8 MB). Each next slice is
/// as long as all before it, up to `SLICE_BYTES`.
const FIRST_SLICE_BYTES: f64 = 1024.0 * 1024.0;
/// Wait for the slice under way when fewer bytes than this are left to parse (a batch of
/// 8,192 rows is well under 1 MB in any export seen).
const LOW_WATER: usize = 2 * 1024 * 1024;

/// The length of the slice that starts at `start`.
fn slice_len(start: f64) -> f64 {
    start.clamp(FIRST_SLICE_BYTES, SLICE_BYTES)
}

struct State {
    blob: Blob,
    size: f64,
    /// The first byte not yet asked for.
    next: f64,
    /// Slices read and not yet handed out, in file order; `front` bytes of the first are out.
    /// Kept as the JavaScript arrays they arrived in: the parser copies from them straight
    /// into its own buffer (copying each slice into WebAssembly memory first cost ~4 ms and
    /// 8 MB of memory, which never shrinks, per slice).
    ready: VecDeque<Uint8Array>,
    front: usize,
    /// The slice being read in the background, and whether `read` had to read it itself
    /// meanwhile (its background copy is then dropped).
    in_flight: Option<(f64, f64)>,
    taken: bool,
}

/// The parser's side: an `io::Read` over the file.
pub struct PrefetchReader(Rc<RefCell<State>>);

/// The worker's side: starts and lands the background reads.
pub struct Prefetcher {
    state: Rc<RefCell<State>>,
    pending: Option<JsFuture>,
}

/// A reader and its prefetcher over `blob`.
pub fn prefetch(blob: Blob) -> (PrefetchReader, Prefetcher) {
    let state = Rc::new(RefCell::new(State {
        size: blob.size(),
        blob,
        next: 0.0,
        ready: VecDeque::new(),
        front: 0,
        in_flight: None,
        taken: false,
    }));
    (
        PrefetchReader(state.clone()),
        Prefetcher {
            state,
            pending: None,
        },
    )
}

/// A reader over `blob` that reads each slice when the parser needs it (no reading ahead:
/// for a part of a file, or reading a file again).
pub fn reader(blob: Blob) -> PrefetchReader {
    prefetch(blob).0
}

/// Bytes `[start, end)` of `blob`, read now.
pub fn read_now(blob: &Blob, start: f64, end: f64) -> io::Result<Vec<u8>> {
    read_array_now(blob, start, end).map(|a| a.to_vec())
}

/// [`read_now`], as the JavaScript array read.
fn read_array_now(blob: &Blob, start: f64, end: f64) -> io::Result<Uint8Array> {
    let slice = blob
        .slice_with_f64_and_f64(start, end.min(blob.size()))
        .map_err(|e| io::Error::other(format!("{e:?}")))?;
    let array = FileReaderSync::new()
        .and_then(|r| r.read_as_array_buffer(&slice))
        .map_err(|e| io::Error::other(format!("{e:?}")))?;
    Ok(Uint8Array::new(&array))
}

impl Read for PrefetchReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut s = self.0.borrow_mut();
        if s.ready.is_empty() {
            // Nothing read ahead: the next bytes in file order, now.
            let (start, end) = match s.in_flight {
                Some(range) if !s.taken => {
                    s.taken = true;
                    range
                }
                _ => {
                    if s.next >= s.size {
                        return Ok(0);
                    }
                    let range = (s.next, (s.next + slice_len(s.next)).min(s.size));
                    s.next = range.1;
                    range
                }
            };
            let bytes = read_array_now(&s.blob, start, end)?;
            s.ready.push_back(bytes);
            s.front = 0;
        }
        let front = s.front;
        let chunk = &s.ready[0];
        let len = chunk.length() as usize;
        let n = out.len().min(len - front);
        chunk
            .subarray(front as u32, (front + n) as u32)
            .copy_to(&mut out[..n]);
        if front + n == len {
            s.ready.pop_front();
            s.front = 0;
        } else {
            s.front += n;
        }
        Ok(n)
    }
}

impl Prefetcher {
    /// Keep one slice being read in the background, and wait for it when the parser is
    /// about to need it (by then it is usually read: waiting costs nothing). The next slice
    /// is asked for as soon as one lands, so the browser reads while the parser works.
    /// Two slices under way were tried: a 1M-row import still waited 19-51 ms for slices,
    /// against 22-41 ms with one, and held one more slice in JS memory. The waits come from
    /// the reader losing the two cores to the parser and the browser's own file reading,
    /// not from the queue.
    pub async fn fill(&mut self) -> Result<(), String> {
        self.ask_next()?;
        let low = {
            let s = self.state.borrow();
            s.ready.iter().map(|a| a.length() as usize).sum::<usize>() - s.front < LOW_WATER
        };
        if low {
            if let Some(pending) = self.pending.take() {
                let array = pending.await.map_err(|e| format!("{e:?}"))?;
                {
                    let mut s = self.state.borrow_mut();
                    if !s.taken {
                        s.ready.push_back(Uint8Array::new(&array));
                    }
                    s.in_flight = None;
                    s.taken = false;
                }
                self.ask_next()?;
            }
        }
        Ok(())
    }

    /// Ask for the next slice, unless one is under way or the file is all asked for.
    fn ask_next(&mut self) -> Result<(), String> {
        if self.pending.is_some() {
            return Ok(());
        }
        let mut s = self.state.borrow_mut();
        if s.in_flight.is_none() && s.next < s.size {
            let range = (s.next, (s.next + slice_len(s.next)).min(s.size));
            s.next = range.1;
            s.in_flight = Some(range);
            s.taken = false;
            let slice = s
                .blob
                .slice_with_f64_and_f64(range.0, range.1)
                .map_err(|e| format!("{e:?}"))?;
            self.pending = Some(JsFuture::from(crate::slice_reader::array_buffer(&slice)));
        }
        Ok(())
    }
}
