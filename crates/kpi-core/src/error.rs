//! The crate's error type: a kind plus, where it applies, the line it happened on.

use std::fmt;

/// Why an import or a computation could not go on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file has no bytes at all.
    EmptyFile,
    /// The bytes are not text (an image, a PDF, a spreadsheet workbook...).
    NotText { looks_like: String },
    /// No line break in the first megabyte: not a table.
    NoLineBreaks { bytes_scanned: u64 },
    /// No row looks like a header with columns we know.
    NoHeader,
    /// The header was found but required fields could not be mapped.
    MissingFields { kind: String, missing: Vec<String> },
    /// An I/O error while reading the input.
    Io(String),
    /// The CSV reader itself failed (malformed beyond recovery).
    Csv(String),
    /// The user asked to stop.
    Cancelled,
    /// An option given by the user does not make sense.
    BadOption(String),
}

/// An error with the line number (1-based, as an editor shows it) where it happened, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    line: Option<u64>,
}

impl Error {
    pub fn new(kind: ErrorKind) -> Self {
        Error { kind, line: None }
    }
    pub fn at_line(kind: ErrorKind, line: u64) -> Self {
        Error {
            kind,
            line: Some(line),
        }
    }
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
    pub fn line(&self) -> Option<u64> {
        self.line
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::EmptyFile => write!(f, "the file is empty")?,
            ErrorKind::NotText { looks_like } => write!(
                f,
                "this is not a CSV text file (it looks like {looks_like}); export or save it as CSV"
            )?,
            ErrorKind::NoLineBreaks { bytes_scanned } => write!(
                f,
                "no line break in the first {bytes_scanned} bytes: this is not a table of rows"
            )?,
            ErrorKind::NoHeader => write!(f, "no header row with recognisable column names")?,
            ErrorKind::MissingFields { kind, missing } => write!(
                f,
                "looks like a {kind} file but these required columns were not found: {}",
                missing.join(", ")
            )?,
            ErrorKind::Io(m) => write!(f, "could not read the file: {m}")?,
            ErrorKind::Csv(m) => write!(f, "malformed CSV: {m}")?,
            ErrorKind::Cancelled => write!(f, "cancelled")?,
            ErrorKind::BadOption(m) => write!(f, "bad option: {m}")?,
        }
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io(e.to_string()))
    }
}

pub type Result<T> = std::result::Result<T, Error>;
