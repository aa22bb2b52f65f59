//! Import: bytes of a CSV export in, a typed table plus an account of every guess and every
//! rejected row out. Reads from any `io::Read` (a file natively, `File` slices in the
//! browser worker) so memory is bounded by the parsed columns, not the raw text.

pub mod columns;
pub mod dialect;
pub mod encoding;
pub mod generic;
pub mod lines;
pub mod normalize;
pub mod orders;
pub mod parallel;
pub mod records;
pub mod schema;
pub mod values;
pub mod wire;

use crate::error::{Error, ErrorKind, Result};
use crate::table::OrdersTable;
use dialect::DelimiterGuess;
use encoding::EncodingGuess;
use records::{Fields, Records};
use schema::{ColumnMapping, FileKind};
use serde::{Deserialize, Serialize};
use std::io::{self, Read};
use values::{DateOrder, DecimalSeparator};

/// How much of the file is read up front to decide encoding, delimiter and header.
pub const SAMPLE_BYTES: usize = 256 * 1024;
/// How many lines above the header (titles, blank lines) we look through.
const MAX_HEADER_SEARCH: usize = 30;
/// Rejected rows shown in the summary; all of them stay downloadable.
const REJECTED_PREVIEW: usize = 20;

/// Choices the user made, overriding a guess.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub encoding: Option<String>,
    pub delimiter: Option<u8>,
    /// 1-based line of the header row.
    pub header_line: Option<usize>,
    pub kind: Option<FileKind>,
    pub date_order: Option<DateOrder>,
    pub decimal: Option<DecimalSeparator>,
    /// (canonical field, header as written)
    pub mapping: Vec<(String, String)>,
}

/// A guess about the whole file or a column, why it was made, and whether it needs a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision<T> {
    pub value: T,
    pub evidence: String,
    /// The data fits several choices equally: ask the user.
    pub ambiguous: bool,
    /// Chosen by the user rather than guessed.
    pub user: bool,
}

/// A row that did not make it into the table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RejectedRow {
    /// 1-based line in the file where the row starts.
    pub line: u64,
    pub reason: String,
    /// The row's fields joined again with the file's delimiter.
    pub raw: String,
}

/// What the import did, for people (the file card) and scripts (the JSON report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub file_name: String,
    pub kind: FileKind,
    /// Share of the kind's required fields found in the header (1.0 = all).
    pub kind_confidence: f64,
    pub bytes: u64,
    pub encoding: EncodingGuess,
    pub delimiter: DelimiterGuess,
    /// 1-based line of the header row.
    pub header_line: u64,
    pub headers: Vec<String>,
    pub mapping: Vec<ColumnMapping>,
    pub date_order: Option<Decision<DateOrder>>,
    pub decimal: Option<Decision<DecimalSeparator>>,
    pub rows_read: u64,
    pub rows_ok: u64,
    pub rows_rejected: u64,
    pub duplicates: u64,
    pub order_lines_merged: u64,
    pub warnings: Vec<String>,
    pub rejected_preview: Vec<RejectedRow>,
    /// The first data rows as read, for a preview table.
    pub preview: Vec<Vec<String>>,
}

/// One imported file.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    pub summary: ImportSummary,
    pub table: Table,
    pub rejected: Vec<RejectedRow>,
}

/// The typed data of one file.
#[derive(Debug, Clone)]
pub enum Table {
    Orders(Box<OrdersTable>),
    Other(generic::GenericTable),
}

impl ImportedFile {
    /// The orders, if this is an orders file.
    pub fn orders(&self) -> Option<&OrdersTable> {
        match &self.table {
            Table::Orders(t) => Some(t),
            Table::Other(_) => None,
        }
    }
    /// The table, if this file is of `kind` (not orders).
    pub fn other(&self, kind: FileKind) -> Option<&generic::GenericTable> {
        match &self.table {
            Table::Other(t) if t.kind == kind => Some(t),
            _ => None,
        }
    }
}

/// Join fields back into one CSV line, quoting where needed.
pub fn join_record(fields: &[&str], delimiter: u8) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record(fields);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string()
}

/// Join a record back into one CSV line.
pub fn join_fields(record: &Fields<'_>, delimiter: u8) -> String {
    let refs: Vec<&str> = record.iter().collect();
    join_record(&refs, delimiter)
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
/// leading `'`, as OWASP recommends against CSV injection: exported data opens as text.
pub fn neutralize_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{cell}")),
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

/// Rejected rows as a CSV download: line, reason, raw.
pub fn rejected_csv(rows: &[RejectedRow]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["line", "reason", "raw"]);
    for r in rows {
        let (reason, raw) = (neutralize_formula(&r.reason), neutralize_formula(&r.raw));
        let _ = w.write_record([r.line.to_string().as_str(), &reason, &raw]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Counts the bytes read and lets the caller see progress or cancel.
struct Counting<R> {
    inner: R,
    done: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done.set(self.done.get() + n as u64);
        Ok(n)
    }
}

/// Drops a UTF-8 byte-order mark at the start of a stream.
struct StripUtf8Bom<R> {
    inner: R,
    checked: bool,
    /// Bytes read while checking that were not a BOM, still to hand out.
    head: [u8; 3],
    head_pos: usize,
    head_len: usize,
}

impl<R: Read> StripUtf8Bom<R> {
    fn new(inner: R) -> Self {
        StripUtf8Bom {
            inner,
            checked: false,
            head: [0; 3],
            head_pos: 0,
            head_len: 0,
        }
    }
}

impl<R: Read> Read for StripUtf8Bom<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.checked {
            self.checked = true;
            while self.head_len < 3 {
                match self.inner.read(&mut self.head[self.head_len..])? {
                    0 => break,
                    k => self.head_len += k,
                }
            }
            if self.head_len == 3 && self.head == [0xEF, 0xBB, 0xBF] {
                self.head_pos = 3;
            }
        }
        if self.head_pos < self.head_len {
            let k = (self.head_len - self.head_pos).min(buf.len());
            buf[..k].copy_from_slice(&self.head[self.head_pos..self.head_pos + k]);
            self.head_pos += k;
            return Ok(k);
        }
        self.inner.read(buf)
    }
}

/// Progress callback: gets bytes and data rows read so far; returns false to cancel.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64) -> bool;

fn read_sample<R: Read>(reader: &mut R) -> io::Result<Vec<u8>> {
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    reader.take(SAMPLE_BYTES as u64).read_to_end(&mut sample)?;
    Ok(sample)
}

/// Find the header row: among the first records, the one whose cells map best to a kind.
fn find_header(
    records: &[Vec<String>],
    opts: &ImportOptions,
) -> Option<(usize, FileKind, Vec<ColumnMapping>, f64)> {
    let kinds = match opts.kind {
        Some(k) => vec![k],
        None => FileKind::ALL.to_vec(),
    };
    let candidates: Vec<usize> = match opts.header_line {
        Some(line) => vec![line.saturating_sub(1)],
        None => (0..records.len().min(MAX_HEADER_SEARCH)).collect(),
    };
    let mut best: Option<(usize, FileKind, Vec<ColumnMapping>, f64, i64, usize)> = None;
    for i in candidates {
        let Some(rec) = records.get(i) else { continue };
        // A row explains at most one column per cell, plus the user's own choices (which may
        // reuse a column): with no more than the best score so far it cannot win, so the
        // data rows under a fully recognised header are not mapped 12 kinds over (in a wasm
        // profile of a 1M-row import, ~11 -> ~2 ms before the first row is parsed).
        if let Some((.., best_score, _)) = &best {
            if (rec.len() + opts.mapping.len()) as i64 <= *best_score {
                continue;
            }
        }
        let headers: Vec<String> = rec.iter().map(|h| clean_header(h)).collect();
        for &kind in &kinds {
            let mapping = schema::map_columns(kind, &headers, &opts.mapping);
            let (share, found) = schema::kind_score(kind, &mapping);
            if found == 0 {
                continue;
            }
            // The kind that explains the most columns wins, less two for each missing
            // requirement: `order_id, customer_id, amount` is an orders file missing its
            // date, not a customers file with two stray columns.
            let score = found as i64 - 2 * kind.missing(&mapping).len() as i64;
            let better = match &best {
                None => true,
                Some((_, _, _, _, best_score, best_found)) => {
                    score > *best_score || (score == *best_score && found > *best_found)
                }
            };
            if better {
                best = Some((i, kind, mapping, share, score, found));
            }
        }
    }
    best.map(|(i, k, m, s, _, _)| (i, k, m, s))
}

fn clean_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}').trim().to_string()
}

/// The state of the row loop of `import_reader`.
struct RowLoop {
    builder: Builder,
    /// Records read so far, header and lines above it included.
    index: usize,
    header_idx: usize,
    header_line: u64,
    preview: Vec<Vec<String>>,
    /// The first part of a file read in two: stop at the end-of-part marker
    /// (`parallel::PART_END`), and remember its line.
    part_end: Option<u64>,
    watch_part_end: bool,
}

impl RowLoop {
    /// `header_idx`: records before the data (lines above the header, and the header).
    fn new(builder: Builder, header_idx: usize, watch_part_end: bool) -> Self {
        RowLoop {
            builder,
            index: 0,
            header_idx,
            header_line: 1,
            preview: Vec::new(),
            part_end: None,
            watch_part_end,
        }
    }

    /// A loop over a later part of a file: every record is data.
    fn data_only(builder: Builder) -> Self {
        let mut rows = RowLoop::new(builder, 0, false);
        rows.index = 1;
        rows
    }

    fn data_rows(&self) -> u64 {
        self.index.saturating_sub(self.header_idx + 1) as u64
    }

    /// Read up to `max` records into the builder; false when the file is done.
    #[inline(never)]
    fn batch<R: Read>(&mut self, records: &mut Records<R>, max: usize) -> Result<bool> {
        let RowLoop {
            builder,
            index,
            header_idx,
            header_line,
            preview,
            part_end,
            watch_part_end,
        } = self;
        records
            .read(max, |record, line| {
                if *watch_part_end
                    && record.len() == 1
                    && record.get(0).map(str::as_bytes) == Some(parallel::PART_END)
                {
                    *part_end = Some(line);
                    return false;
                }
                if *index < *header_idx {
                    *index += 1;
                    return true;
                }
                if *index == *header_idx {
                    *index += 1;
                    *header_line = line;
                    return true;
                }
                *index += 1;
                if preview.len() < 5 {
                    preview.push(record.iter().map(str::to_string).collect());
                }
                match builder {
                    Builder::Orders(b) => b.push(&record, line),
                    Builder::Other(b) => b.push(&record, line),
                }
                true
            })
            .map_err(|e| Error::at_line(ErrorKind::Io(e.to_string()), records.line()))
    }
}

/// What the head of a file decided: encoding, dialect, header, kind and columns. Every
/// part of a file read in parallel is planned from the same head, so all agree.
#[derive(Clone)]
pub(crate) struct Plan {
    enc: EncodingGuess,
    delim: DelimiterGuess,
    delimiter: u8,
    kind: FileKind,
    confidence: f64,
    mapping: Vec<ColumnMapping>,
    headers: Vec<String>,
    header_idx: usize,
    cols: orders::OrderColumns,
    expected_rows: usize,
}

impl Plan {
    /// Decide from `sample` (the file's first bytes; `whole` when that is all of it).
    fn new(sample: &[u8], whole: bool, total_bytes: u64, opts: &ImportOptions) -> Result<Plan> {
        let enc = match &opts.encoding {
            Some(label) => encoding::encoding_override(label)?,
            None => encoding::detect_encoding(sample, whole)?,
        };
        if !whole && !sample.iter().any(|&b| b == b'\n' || b == b'\r') {
            return Err(Error::new(ErrorKind::NoLineBreaks {
                bytes_scanned: sample.len() as u64,
            }));
        }
        let text = encoding::decode_sample(sample, &enc);
        if text.trim().is_empty() {
            return Err(Error::new(ErrorKind::EmptyFile));
        }
        let (delim, sampled) = match opts.delimiter {
            Some(d) => (
                DelimiterGuess {
                    delimiter: d as char,
                    evidence: "chosen by the user".into(),
                },
                None,
            ),
            None => dialect::detect_delimiter(&text, whole),
        };
        let delimiter = delim.delimiter as u8;
        // The header is looked for in the first lines only (or on the line the user chose).
        let keep = MAX_HEADER_SEARCH.max(opts.header_line.unwrap_or(0));
        let (records, sampled_records) =
            dialect::sample_head(&text, delimiter, whole, keep, sampled);
        let Some((header_idx, kind, mapping, confidence)) = find_header(&records, opts) else {
            return Err(Error::new(ErrorKind::NoHeader));
        };
        let missing = kind.missing(&mapping);
        if !missing.is_empty() {
            return Err(Error::new(ErrorKind::MissingFields {
                kind: kind.name().into(),
                missing,
            }));
        }
        let col = |name: &str| {
            mapping
                .iter()
                .find(|m| m.field == name)
                .and_then(|m| m.column_index)
        };
        let headers: Vec<String> = records[header_idx]
            .iter()
            .map(|h| clean_header(h))
            .collect();
        let cols = orders::OrderColumns {
            order_id: col("order_id").unwrap_or(0),
            customer_id: col("customer_id").unwrap_or(0),
            order_date: col("order_date").unwrap_or(0),
            amount: col("amount"),
            channel: col("channel"),
            salesperson: col("salesperson"),
            status: col("status"),
            cost: col("cost"),
            margin: col("margin"),
            region: col("region"),
            segment: col("segment"),
            user_id: col("user_id"),
            sku: col("sku"),
            quantity: col("quantity"),
            unit_price: col("unit_price"),
        };
        // Rows expected from the file size and the sample's average line length (capped so a
        // wrong size can not reserve absurd memory).
        let avg_line = (text.len() / sampled_records.max(1)).max(16);
        let expected_rows = ((total_bytes as usize) / avg_line).min(20_000_000);
        Ok(Plan {
            enc,
            delim,
            delimiter,
            kind,
            confidence,
            mapping,
            headers,
            header_idx,
            cols,
            expected_rows,
        })
    }

    /// One row per order, UTF-8: a file whose halves can be read apart and put together.
    pub(crate) fn splittable(&self) -> bool {
        self.kind == FileKind::Orders
            && !self.cols.is_line_level()
            && self.enc.encoding() == encoding_rs::UTF_8
    }

    fn builder(&self, expected_rows: usize) -> Builder {
        if self.kind == FileKind::Orders {
            Builder::Orders(Box::new(orders::OrdersBuilder::new(
                self.cols,
                self.delimiter,
                expected_rows,
            )))
        } else {
            Builder::Other(generic::GenericBuilder::new(
                self.kind,
                &self.mapping,
                self.delimiter,
            ))
        }
    }

    fn records<R: Read>(&self, utf8: R) -> Records<lines::LfReader<R>> {
        records_of(self.delimiter, utf8)
    }
}

/// The records of UTF-8 bytes, line endings normalised.
fn records_of<R: Read>(delimiter: u8, utf8: R) -> Records<lines::LfReader<R>> {
    Records::new(lines::LfReader::new(utf8), delimiter)
}

/// Read all rows of `records` into `rows`'s builder, in batches, reporting progress.
fn read_rows<R: Read>(
    records: &mut Records<R>,
    rows: &mut RowLoop,
    done: &std::cell::Cell<u64>,
    progress: Progress<'_>,
) -> Result<()> {
    // Batches of rows, each a fresh call: WebAssembly engines swap in optimised code only
    // when a function is entered again, so one call looping over a million rows would run
    // its baseline code throughout (measured in Chromium: the whole import ~2x slower).
    while rows.batch(records, 8_192)? {
        if !progress(done.get(), rows.data_rows()) {
            return Err(Error::new(ErrorKind::Cancelled));
        }
    }
    Ok(())
}

/// Import one file from a reader. `total_bytes` is for the summary and progress only.
pub fn import_reader<R: Read>(
    file_name: &str,
    reader: R,
    total_bytes: u64,
    opts: &ImportOptions,
    progress: Progress<'_>,
) -> Result<ImportedFile> {
    let mut session = ImportSession::start(file_name, reader, total_bytes, opts)?;
    // Batches of rows, each a fresh call: WebAssembly engines swap in optimised code only
    // when a function is entered again, so one call looping over a million rows would run
    // its baseline code throughout (measured in Chromium: the whole import ~2x slower).
    while session.step(8_192)? {
        if !progress(session.bytes_done(), session.rows_done()) {
            return Err(Error::new(ErrorKind::Cancelled));
        }
    }
    progress(total_bytes.max(session.bytes_done()), session.rows_done());
    Ok(session.finish())
}

/// An import in progress, driven a batch of rows at a time by its caller (`import_reader`,
/// or the browser worker, which reads the next slice of the file between batches).
pub struct ImportSession<'a> {
    file_name: String,
    total_bytes: u64,
    opts: ImportOptions,
    plan: Plan,
    records: Records<lines::LfReader<Box<dyn Read + 'a>>>,
    rows: RowLoop,
    done: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<'a> ImportSession<'a> {
    /// Read the head of the file and decide how to read it (the plan).
    pub fn start<R: Read + 'a>(
        file_name: &str,
        mut reader: R,
        total_bytes: u64,
        opts: &ImportOptions,
    ) -> Result<Self> {
        let sample = read_sample(&mut reader)?;
        let whole = sample.len() < SAMPLE_BYTES;
        let plan = Plan::new(&sample, whole, total_bytes, opts)?;
        // The full pass: the sample again, then the rest, transcoded to UTF-8 as it streams.
        let done = std::rc::Rc::new(std::cell::Cell::new(0u64));
        let counting = Counting {
            inner: io::Cursor::new(sample).chain(reader),
            done: done.clone(),
        };
        // UTF-8 goes straight to the CSV reader (minus a BOM); other encodings are transcoded
        // to UTF-8 as they stream.
        let decoded: Box<dyn Read + 'a> = if plan.enc.encoding() == encoding_rs::UTF_8 {
            Box::new(StripUtf8Bom::new(counting))
        } else {
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(plan.enc.encoding()))
                    .strip_bom(true)
                    .build(counting),
            )
        };
        let records = plan.records(decoded);
        let rows = RowLoop::new(plan.builder(plan.expected_rows), plan.header_idx, false);
        Ok(ImportSession {
            file_name: file_name.to_string(),
            total_bytes,
            opts: opts.clone(),
            plan,
            records,
            rows,
            done,
        })
    }

    /// Read up to `max` more rows; false when the file is done.
    pub fn step(&mut self, max: usize) -> Result<bool> {
        self.rows.batch(&mut self.records, max)
    }

    /// Bytes of the file read so far.
    pub fn bytes_done(&self) -> u64 {
        self.done.get()
    }

    /// Data rows read so far.
    pub fn rows_done(&self) -> u64 {
        self.rows.data_rows()
    }

    /// Decide the columns' open questions and describe the import.
    pub fn finish(self) -> ImportedFile {
        finish_import(
            &self.file_name,
            self.total_bytes,
            self.plan,
            self.rows,
            &self.opts,
        )
        .0
    }
}

/// Decide the columns' open questions and describe the import. Also gives the lines of
/// rejected rows whose text is still to be read again (repeats across parts of a file).
fn finish_import(
    file_name: &str,
    total_bytes: u64,
    plan: Plan,
    rows: RowLoop,
    opts: &ImportOptions,
) -> (ImportedFile, Vec<u64>) {
    let RowLoop {
        header_line,
        preview,
        builder,
        ..
    } = rows;
    let finished = match builder {
        Builder::Orders(b) => {
            let f = b.finish(opts.date_order, opts.decimal);
            Finished {
                rows_ok: f.table.len() as u64,
                table: Table::Orders(Box::new(f.table)),
                rejected: f.rejected,
                rows_read: f.rows_read,
                duplicates: f.duplicates,
                lines_merged: f.lines_merged,
                date_order: f.date_order,
                decimal: f.decimal,
                warnings: f.warnings,
                raw_missing: f.raw_missing,
            }
        }
        Builder::Other(b) => {
            let f = b.finish(opts.date_order, opts.decimal);
            Finished {
                rows_ok: f.table.len() as u64,
                table: Table::Other(f.table),
                rejected: f.rejected,
                rows_read: f.rows_read,
                duplicates: f.duplicates,
                lines_merged: 0,
                date_order: f.date_order,
                decimal: f.decimal,
                warnings: f.warnings,
                raw_missing: Vec::new(),
            }
        }
    };
    let summary = ImportSummary {
        file_name: file_name.to_string(),
        kind: plan.kind,
        kind_confidence: plan.confidence,
        bytes: total_bytes,
        encoding: plan.enc,
        delimiter: plan.delim,
        header_line,
        headers: plan.headers,
        mapping: plan.mapping,
        date_order: finished.date_order,
        decimal: finished.decimal,
        rows_read: finished.rows_read,
        rows_ok: finished.rows_ok,
        rows_rejected: finished.rejected.len() as u64,
        duplicates: finished.duplicates,
        order_lines_merged: finished.lines_merged,
        warnings: finished.warnings,
        rejected_preview: finished
            .rejected
            .iter()
            .take(REJECTED_PREVIEW)
            .cloned()
            .collect(),
        preview,
    };
    (
        ImportedFile {
            summary,
            table: finished.table,
            rejected: finished.rejected,
        },
        finished.raw_missing,
    )
}

enum Builder {
    Orders(Box<orders::OrdersBuilder>),
    Other(generic::GenericBuilder),
}

struct Finished {
    table: Table,
    rows_ok: u64,
    rejected: Vec<RejectedRow>,
    rows_read: u64,
    duplicates: u64,
    lines_merged: u64,
    date_order: Option<Decision<DateOrder>>,
    decimal: Option<Decision<DecimalSeparator>>,
    warnings: Vec<String>,
    raw_missing: Vec<u64>,
}

/// Import from bytes in memory (tests, the demo dataset, small files).
pub fn import_bytes(file_name: &str, bytes: &[u8], opts: &ImportOptions) -> Result<ImportedFile> {
    import_reader(file_name, bytes, bytes.len() as u64, opts, &mut |_, _| true)
}

#[cfg(test)]
mod header_search_tests {
    use super::*;

    fn rows(lines: &[&str]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn a_wider_header_below_a_narrow_match_still_wins() {
        // Row 0 maps two orders columns; the real header below has more cells, so the
        // search must not stop at the first match.
        let records = rows(&[
            "order_id,amount",
            "order_id,order_date,customer_id,channel,amount",
            "A1,2024-01-02,C1,web,10.00",
        ]);
        let (idx, kind, _, _) = find_header(&records, &ImportOptions::default()).unwrap();
        assert_eq!((idx, kind), (1, FileKind::Orders));
    }

    #[test]
    fn data_rows_under_a_full_header_are_skipped_without_changing_the_choice() {
        let records = rows(&[
            "order_id,order_date,customer_id,amount",
            "A1,2024-01-02,C1,10.00",
            "A2,2024-01-03,C2,12.00",
        ]);
        let (idx, kind, mapping, _) = find_header(&records, &ImportOptions::default()).unwrap();
        assert_eq!((idx, kind), (0, FileKind::Orders));
        assert_eq!(
            mapping.iter().filter(|m| m.column_index.is_some()).count(),
            4
        );
    }

    #[test]
    fn a_user_mapping_can_lift_a_row_past_the_cell_bound() {
        // With a user's choice reusing a column, a row can explain more fields than it has
        // cells; the bound counts the user's choices too.
        let opts = ImportOptions {
            mapping: vec![("customer_id".into(), "order_id".into())],
            ..ImportOptions::default()
        };
        let records = rows(&["order_id,order_date,amount", "A1,2024-01-02,10.00"]);
        let (idx, kind, mapping, _) = find_header(&records, &opts).unwrap();
        assert_eq!((idx, kind), (0, FileKind::Orders));
        let customer = mapping.iter().find(|m| m.field == "customer_id").unwrap();
        assert_eq!(customer.column_index, Some(0));
    }
}
