//! KPI Lens core: import B2B CSV exports into typed columns and compute e-commerce KPIs.
//!
//! Pure Rust with no web dependencies: the same code runs natively in the `kpi-lens` CLI and
//! as WebAssembly in the browser worker, so both give identical numbers for identical files.

pub mod bench_files;
pub mod clv;
pub mod demo;
pub mod error;
pub mod ingest;
pub mod intern;
pub mod metrics;
pub mod report;
pub mod table;

pub use error::{Error, ErrorKind, Result};
pub use ingest::{import_bytes, import_reader, ImportOptions, ImportedFile};
pub use metrics::{
    compute, compute_prepared, compute_reusing, Dataset, Prepared, ReportOptions, Reuse,
};
pub use report::Report;
