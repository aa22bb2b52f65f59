//! Messages between the page and the worker, as JSON text. Files travel beside the JSON as
//! `File` objects (structured clone, no copy of their bytes); rows never cross back: only the
//! report does.

use kpi_core::report::Report;
use serde::{Deserialize, Serialize};

/// User overrides for one import (all optional: absent means "guess").
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Overrides {
    /// File kind name (`orders`, `customers`...).
    #[serde(default)]
    pub kind: Option<String>,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub date_order: Option<String>,
    pub decimal: Option<String>,
    pub header_line: Option<usize>,
    pub mapping: Vec<(String, String)>,
}

/// How far the import of one file is.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ImportProgress {
    pub file_name: String,
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Data rows read so far.
    #[serde(default)]
    pub rows_done: u64,
    /// Since this file's import started.
    #[serde(default)]
    pub elapsed_ms: f64,
    /// Read as two halves at once: bytes and rows are the first half's, scaled to the file.
    #[serde(default)]
    pub halves: bool,
    /// Bytes of the worker's WebAssembly memory when sent (as in `Response::Report`).
    #[serde(default)]
    pub worker_memory: u64,
}

/// How long the worker took for the current report.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Timing {
    pub total_ms: f64,
    pub import_ms: f64,
    pub compute_ms: f64,
}

impl ImportProgress {
    /// Rows per second so far (None in the first instants).
    pub fn rows_per_second(&self) -> Option<f64> {
        (self.elapsed_ms >= 50.0).then(|| self.rows_done as f64 * 1000.0 / self.elapsed_ms)
    }
    /// Seconds left at the pace so far (None until there is a pace).
    pub fn seconds_left(&self) -> Option<f64> {
        if self.elapsed_ms < 50.0 || self.bytes_done == 0 || self.bytes_total < self.bytes_done {
            return None;
        }
        let per_byte = self.elapsed_ms / 1000.0 / self.bytes_done as f64;
        Some(per_byte * (self.bytes_total - self.bytes_done) as f64)
    }
}

/// Choices of the Customer value view.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClvSettings {
    /// `day`, `week` or `month`.
    pub unit: String,
    /// How far ahead, in units.
    pub horizon: f64,
    /// Annual discount rate (0.1 = 10 %).
    pub discount_rate: f64,
    /// Contribution margin as a share of revenue.
    pub margin: f64,
    /// First day of the holdout of the validation fit (ISO); empty: the last third of the
    /// data.
    pub holdout_start: String,
}

impl Default for ClvSettings {
    fn default() -> Self {
        ClvSettings {
            unit: "week".into(),
            horizon: 52.0,
            discount_rate: 0.1,
            margin: 1.0,
            holdout_start: String::new(),
        }
    }
}

impl ClvSettings {
    pub fn unit_days(&self) -> f64 {
        match self.unit.as_str() {
            "day" => 1.0,
            "month" => 365.25 / 12.0,
            _ => 7.0,
        }
    }
}

/// What the dashboard shows: period, range and filters. Kept in the URL hash (never data).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct View {
    /// `month`, `quarter` or `year`.
    pub granularity: String,
    /// ISO dates; empty means "all data".
    pub from: String,
    pub to: String,
    /// (dimension, value): salesperson, channel, segment, region.
    pub filters: Vec<(String, String)>,
    /// When the web shop went live (ISO date); empty when not set.
    #[serde(default)]
    pub launch: String,
}

impl View {
    /// `#period=quarter&from=2024-01-01&salesperson=Anna` (values percent-encoded).
    pub fn to_hash(&self) -> String {
        let mut parts = Vec::new();
        if !self.granularity.is_empty() && self.granularity != "month" {
            parts.push(format!("period={}", encode(&self.granularity)));
        }
        if !self.from.is_empty() {
            parts.push(format!("from={}", encode(&self.from)));
        }
        if !self.to.is_empty() {
            parts.push(format!("to={}", encode(&self.to)));
        }
        if !self.launch.is_empty() {
            parts.push(format!("launch={}", encode(&self.launch)));
        }
        for (d, v) in &self.filters {
            parts.push(format!("{}={}", encode(d), encode(v)));
        }
        parts.join("&")
    }

    pub fn from_hash(hash: &str) -> View {
        let mut view = View {
            granularity: "month".into(),
            ..Default::default()
        };
        for part in hash
            .trim_start_matches('#')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let v = decode(v);
            match decode(k).as_str() {
                "period" if ["month", "quarter", "year"].contains(&v.as_str()) => {
                    view.granularity = v
                }
                "from" => view.from = v,
                "to" => view.to = v,
                "launch" => view.launch = v,
                d if kpi_core::metrics::DIMENSIONS.contains(&d) => {
                    view.filters.push((d.to_string(), v))
                }
                _ => {}
            }
        }
        view
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Percent-decoding (`%20`, `+` as a space) of URL parts.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Response {
    /// Is this the answer to a request (the page's oldest one waiting)? Progress,
    /// breakdowns and where slices are read come unasked, between answers.
    pub fn answers_a_request(&self) -> bool {
        !matches!(
            self,
            Response::Ready
                | Response::WarmUp { .. }
                | Response::Progress(_)
                | Response::Breakdowns { .. }
                | Response::Reader { .. }
        )
    }

    /// The message the worker posts: JSON text. An answer that cannot be encoded becomes an
    /// error the page can read, never silence.
    pub fn to_message(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            let error = Response::Error {
                message: format!("could not encode the answer: {e}"),
            };
            serde_json::to_string(&error).unwrap_or_default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_round_trips_through_the_hash() {
        let v = View {
            granularity: "quarter".into(),
            from: "2024-01-01".into(),
            to: String::new(),
            filters: vec![("salesperson".into(), "Anna Müller & Co".into())],
            launch: "2024-09-01".into(),
        };
        assert_eq!(View::from_hash(&format!("#{}", v.to_hash())), v);
        assert_eq!(View::from_hash("#bogus=1&period=week").granularity, "month");
    }

    #[test]
    fn answers_read_back_as_they_were_sent() {
        let answers = [
            Response::Ready,
            Response::Reader { thread: true },
            Response::WarmUp {
                report: Box::new(kpi_core::compute(
                    &kpi_core::Dataset::default(),
                    &Default::default(),
                )),
            },
            Response::Error {
                message: "bad \"file\"".into(),
            },
            Response::RejectedCsv {
                file_name: "a.csv".into(),
                csv: "line,reason\n2,empty".into(),
            },
        ];
        for a in answers {
            let text = a.to_message();
            let back: Response = serde_json::from_str(&text).expect(&text);
            assert_eq!(format!("{back:?}"), format!("{a:?}"));
        }
        // Externally tagged: the variant is the key.
        assert_eq!(Response::Ready.to_message(), r#""ready""#);
        assert!(Response::Reader { thread: false }
            .to_message()
            .starts_with(r#"{"reader":"#));
    }

    #[test]
    fn progress_pace_and_time_left() {
        let mut p = ImportProgress {
            file_name: "big.csv".into(),
            bytes_done: 25_000_000,
            bytes_total: 100_000_000,
            rows_done: 300_000,
            elapsed_ms: 500.0,
            halves: false,
            worker_memory: 0,
        };
        // 300k rows in 0.5 s; a quarter of the bytes in 0.5 s leaves three quarters: 1.5 s.
        assert_eq!(p.rows_per_second(), Some(600_000.0));
        assert_eq!(p.seconds_left(), Some(1.5));
        // Too early to tell.
        p.elapsed_ms = 10.0;
        assert_eq!(p.rows_per_second(), None);
        assert_eq!(p.seconds_left(), None);
    }
}

/// Page -> worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Request {
    /// Import the `File`s sent alongside, adding them to the dataset.
    Import { overrides: Overrides },
    /// Fit the customer-value models (all customers of all orders files).
    Clv { settings: ClvSettings },
    /// Import CSV text pasted on the page, as a file named `name`.
    Paste { name: String, text: String },
    /// Replace the dataset with the built-in demo data.
    Demo,
    /// Recompute the report from the columns already imported (no re-parsing).
    Recompute { view: View },
    /// Import file `index` again with new overrides (its source is kept in the worker).
    Reimport { index: usize, overrides: Overrides },
    /// Drop file `index` from the dataset.
    Remove { index: usize },
    /// The rejected rows of file `index` as CSV.
    Rejected { index: usize },
    /// Forget every file.
    Clear,
}

/// A file that could not be imported at all.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileError {
    pub file_name: String,
    pub message: String,
}

/// Worker -> page. Externally tagged (`{"report": {...}}`): serde reads an internally tagged
/// enum (`{"type": "report", ...}`) by buffering the whole message into a tree first, and a
/// Chromium profile of the 1M-row file had that at 21 ms of the page's 79 ms task when a
/// report arrived.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// The worker's wasm is loaded; messages sent before this would be lost.
    Ready,
    /// Where the worker reads a file's slices: `thread` when its reader thread started
    /// (`slice_reader`), false when that failed and slices are read in the worker itself.
    Reader {
        thread: bool,
    },
    Progress(ImportProgress),
    /// The report of the worker's warm-up file, sent once before `Ready`: the page draws it
    /// once where nobody sees it, so that the first real report runs warm code (see
    /// `app::warm_up_render`).
    WarmUp {
        report: Box<Report>,
    },
    Report {
        report: Box<Report>,
        /// The overrides in force for each imported file (same order as `report.imports`).
        overrides: Vec<Overrides>,
        /// Per imported file: read as two halves at once, on two cores.
        #[serde(default)]
        halves: Vec<bool>,
        errors: Vec<FileError>,
        /// Time spent in the worker for this request.
        elapsed_ms: f64,
        /// Of which reading files, and computing the report (breakdowns follow).
        #[serde(default)]
        import_ms: f64,
        #[serde(default)]
        compute_ms: f64,
        /// Bytes of the worker's WebAssembly memory when sent (it never shrinks: the most
        /// its work has needed so far).
        #[serde(default)]
        worker_memory: u64,
    },
    /// The catalogue KPIs split by one dimension (KPI id -> slices), sent after the report
    /// they belong to so that the report shows without waiting for them.
    Breakdowns {
        dimension: String,
        split: std::collections::BTreeMap<String, Vec<kpi_core::report::Slice>>,
        /// As in `Report`.
        #[serde(default)]
        worker_memory: u64,
    },
    /// The Customer value view: predictions from all data, and a validation fit whose
    /// calibration ends before a holdout (for the tracking plot).
    Clv {
        prediction: Box<kpi_core::clv::analysis::ClvAnalysis>,
        validation: Option<Box<kpi_core::clv::analysis::ClvAnalysis>>,
        elapsed_ms: f64,
    },
    RejectedCsv {
        file_name: String,
        csv: String,
    },
    Error {
        message: String,
    },
}
