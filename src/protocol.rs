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

/// Page -> worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Request {
    /// Import the `File`s sent alongside, adding them to the dataset.
    Import { overrides: Overrides },
    /// Replace the dataset with the built-in demo data.
    Demo,
    /// Recompute the report from the columns already imported (no re-parsing).
    Recompute { granularity: String },
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

/// Worker -> page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    /// The worker's wasm is loaded; messages sent before this would be lost.
    Ready,
    Progress {
        file_name: String,
        bytes_done: u64,
        bytes_total: u64,
    },
    Report {
        report: Box<Report>,
        /// The overrides in force for each imported file (same order as `report.imports`).
        overrides: Vec<Overrides>,
        errors: Vec<FileError>,
        /// Time spent in the worker for this request.
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
