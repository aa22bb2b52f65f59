//! One big orders file read as two parts at once: two threads in the CLI, two workers in
//! the browser. The result is the one a single pass gives, row for row (tested at every
//! possible split of the import fixtures).
//!
//! The second part starts just after the first line break past the middle of the file. That
//! guess is wrong when the line break sits inside a quoted field, so the first part checks it:
//! its reader gets [`PART_END`] as one more line after its last byte. Read as a record of
//! its own, the marker proves the first part ended between records; swallowed into a quoted
//! field, it proves the split was inside one, and the caller reads the file in one pass.
//!
//! Both parts plan from the same first [`SAMPLE_BYTES`] of the file (encoding, dialect,
//! header, columns), so they agree without talking. The second part's rows are then appended
//! to the first part's builder (`OrdersBuilder::absorb`) before the column-wide decisions
//! (date order, decimal separator, repeated order numbers) are taken once for the whole file.

use super::orders::OrdersBuilder;
use super::{
    finish_import, read_rows, Builder, Counting, ImportOptions, ImportedFile, Plan, RowLoop,
    StripUtf8Bom, SAMPLE_BYTES,
};
use crate::error::{Error, ErrorKind, Result};
use std::io::{self, Read};

/// The line given to the first part's reader after its last byte (control characters: no
/// export writes this line).
pub const PART_END: &[u8] = b"\x01kpi-lens: end of part\x01";

/// Files smaller than this are read in one pass: a second thread or worker costs more than
/// it saves.
pub const MIN_SPLIT_BYTES: u64 = 8 << 20;

/// How many bytes from the middle of the file to look through for a line break.
pub const MIDDLE_BYTES: usize = 1 << 20;

/// What both parts are read with, decided from the file's head.
#[derive(Clone)]
pub struct SplitPlan(Plan);

impl SplitPlan {
    /// Plan from `head`, the file's first [`SAMPLE_BYTES`] (`whole`: all of the file). `None`
    /// when the file can not be read in parts: not orders with one row per order in UTF-8.
    pub fn new(
        head: &[u8],
        whole: bool,
        total_bytes: u64,
        opts: &ImportOptions,
    ) -> Result<Option<SplitPlan>> {
        let plan = Plan::new(head, whole, total_bytes, opts)?;
        Ok(plan.splittable().then_some(SplitPlan(plan)))
    }
}

/// The plan of a file worth reading in two parts (`head`: its first [`SAMPLE_BYTES`]), or
/// `None` for a file to read in one pass (small, not splittable, or not readable at all:
/// the one-pass import then says why).
pub fn plan_split(head: &[u8], total_bytes: u64, opts: &ImportOptions) -> Option<SplitPlan> {
    if total_bytes < MIN_SPLIT_BYTES || head.len() < SAMPLE_BYTES {
        return None;
    }
    SplitPlan::new(head, false, total_bytes, opts)
        .ok()
        .flatten()
}

/// Where to look for the split of a `total_bytes` file: a little past the middle, as the
/// second part's reader also turns its rows into bytes for the first (in the browser), so
/// both finish together.
pub fn split_near(total_bytes: u64) -> u64 {
    total_bytes / 100 * 53
}

/// Where the second part starts, from up to [`MIDDLE_BYTES`] read at `middle_offset`
/// (`split_near`): just after the first `\n` there, if any.
pub fn split_point(middle: &[u8], middle_offset: u64) -> Option<u64> {
    memchr::memchr(b'\n', middle).map(|i| middle_offset + i as u64 + 1)
}

/// The first part, read: its rows wait for the second part's.
pub struct FirstPart {
    plan: Plan,
    rows: RowLoop,
    /// Lines before the second part (the first part's lines).
    line_offset: u64,
}

/// What reading the first part found.
pub enum FirstOutcome {
    Read(Box<FirstPart>),
    /// The split point was inside a quoted field (or before the header): read the file in
    /// one pass instead.
    Misaligned,
}

/// Read the first part: `reader` gives the file's bytes from the start to the split point.
pub fn read_first_part<R: Read>(
    plan: SplitPlan,
    reader: R,
    progress: super::Progress<'_>,
) -> Result<FirstOutcome> {
    let plan = plan.0;
    let done = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let mut end = PART_END.to_vec();
    end.push(b'\n');
    let counting = Counting {
        inner: reader,
        done: done.clone(),
    };
    let stream = StripUtf8Bom::new(counting.chain(io::Cursor::new(end)));
    let mut records = plan.records(stream);
    // Sized for the whole file: the second part's order numbers join this part's bitset.
    let mut rows = RowLoop::new(plan.builder(plan.expected_rows), plan.header_idx, true);
    read_rows(&mut records, &mut rows, &done, progress)?;
    match rows.part_end {
        Some(line) if rows.index > rows.header_idx => Ok(FirstOutcome::Read(Box::new(FirstPart {
            plan,
            rows,
            line_offset: line - 1,
        }))),
        _ => Ok(FirstOutcome::Misaligned),
    }
}

/// The second part, read by another thread or worker.
pub struct SecondPart {
    pub(crate) builder: Box<OrdersBuilder>,
    pub(crate) preview: Vec<Vec<String>>,
}

/// Read the second part: `reader` gives the bytes from the split point to the end.
pub fn read_second_part<R: Read>(
    plan: &SplitPlan,
    reader: R,
    progress: super::Progress<'_>,
) -> Result<SecondPart> {
    let plan = &plan.0;
    let done = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let counting = Counting {
        inner: reader,
        done: done.clone(),
    };
    let mut records = plan.records(counting);
    let mut rows = RowLoop::data_only(plan.builder(plan.expected_rows / 2 + 1024));
    read_rows(&mut records, &mut rows, &done, progress)?;
    match rows.builder {
        Builder::Orders(mut builder) => Ok(SecondPart {
            builder: {
                builder.resolve_customers();
                builder
            },
            preview: rows.preview,
        }),
        Builder::Other(_) => unreachable!("a splittable plan builds orders"),
    }
}

impl SecondPart {
    /// As bytes, to send to the worker reading the first part (`from_bytes` there).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = super::wire::Writer::default();
        w.len(self.preview.len());
        for row in &self.preview {
            w.len(row.len());
            for cell in row {
                w.str(cell);
            }
        }
        w.raw(&self.builder.to_bytes());
        w.bytes
    }

    /// The part `to_bytes` wrote, for the file `plan` describes.
    pub fn from_bytes(plan: &SplitPlan, bytes: &[u8]) -> Result<SecondPart> {
        let mut r = super::wire::Reader::new(bytes);
        let mut preview = Vec::new();
        for _ in 0..r.len()? {
            let mut row = Vec::new();
            for _ in 0..r.len()? {
                row.push(r.str()?);
            }
            preview.push(row);
        }
        let builder = OrdersBuilder::from_bytes(&r.raw()?, plan.0.cols, plan.0.delimiter)?;
        if !r.is_empty() {
            return Err(super::wire::damaged());
        }
        Ok(SecondPart {
            builder: Box::new(builder),
            preview,
        })
    }
}

impl FirstPart {
    /// Put the parts together and finish the import. `reread` opens the file again at the
    /// split point; it is called only when a row of the second part repeats an order number
    /// of the first (its text is read again for the rejected-rows list).
    pub fn join<R: Read>(
        mut self,
        second: SecondPart,
        file_name: &str,
        total_bytes: u64,
        opts: &ImportOptions,
        reread: impl FnOnce() -> io::Result<R>,
    ) -> Result<ImportedFile> {
        let Builder::Orders(first) = &mut self.rows.builder else {
            unreachable!("a splittable plan builds orders")
        };
        first.absorb(*second.builder, self.line_offset);
        let room = 5usize.saturating_sub(self.rows.preview.len());
        self.rows
            .preview
            .extend(second.preview.into_iter().take(room));
        let (line_offset, delimiter) = (self.line_offset, self.plan.delimiter);
        let (mut imported, missing) =
            finish_import(file_name, total_bytes, self.plan, self.rows, opts);
        if missing.is_empty() {
            return Ok(imported);
        }
        let texts = reread_lines(reread()?, delimiter, line_offset, &missing)?;
        for r in imported
            .rejected
            .iter_mut()
            .chain(imported.summary.rejected_preview.iter_mut())
        {
            if r.raw.is_empty() {
                if let Some(t) = texts.get(&r.line) {
                    r.raw = t.clone();
                }
            }
        }
        Ok(imported)
    }
}

/// The rows at `lines` (lines of the whole file) of the second part, as written (fields
/// joined again), read again from the split point.
fn reread_lines<R: Read>(
    reader: R,
    delimiter: u8,
    line_offset: u64,
    lines: &[u64],
) -> Result<std::collections::HashMap<u64, String>> {
    let wanted: std::collections::HashSet<u64> = lines.iter().copied().collect();
    let mut found = std::collections::HashMap::new();
    let mut records = super::records_of(delimiter, reader);
    let mut more = true;
    while found.len() < wanted.len() && more {
        // As in `RowLoop::batch`: the record's first line.
        more = records
            .read(8_192, |record, line| {
                let line = line + line_offset;
                if wanted.contains(&line) {
                    found.insert(line, super::join_fields(&record, delimiter));
                }
                found.len() < wanted.len()
            })
            .map_err(|e| Error::new(ErrorKind::Io(e.to_string())))?;
    }
    Ok(found)
}

/// Import `bytes` read as two parts split at `split` (one after the other, on this thread,
/// the second part sent through its byte form as between workers): the single-pass result,
/// or `None` when the split is not between two records.
pub fn import_bytes_split(
    file_name: &str,
    bytes: &[u8],
    split: usize,
    opts: &ImportOptions,
) -> Result<Option<ImportedFile>> {
    let head = &bytes[..bytes.len().min(SAMPLE_BYTES)];
    let whole = bytes.len() < SAMPLE_BYTES;
    let total = bytes.len() as u64;
    let Some(plan) = SplitPlan::new(head, whole, total, opts)? else {
        return Ok(None);
    };
    let second = read_second_part(&plan, &bytes[split..], &mut |_, _| true)?;
    let second = SecondPart::from_bytes(&plan, &second.to_bytes())?;
    match read_first_part(plan, &bytes[..split], &mut |_, _| true)? {
        FirstOutcome::Read(first) => first
            .join(second, file_name, total, opts, || Ok(&bytes[split..]))
            .map(Some),
        FirstOutcome::Misaligned => Ok(None),
    }
}
