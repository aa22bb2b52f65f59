//! KPIs computed from typed columns. Plain functions over plain data; no parsing here.

mod orders;

use crate::ingest::ImportedFile;
use crate::report::{Granularity, Report};
use crate::table::OrdersTable;

/// What the report should cover.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    pub granularity: Granularity,
    /// Inclusive day range (days since 1970-01-01).
    pub from: Option<i32>,
    pub to: Option<i32>,
}

/// Everything imported, ready to compute from.
#[derive(Debug, Default)]
pub struct Dataset {
    pub files: Vec<ImportedFile>,
}

impl Dataset {
    pub fn add(&mut self, file: ImportedFile) {
        self.files.push(file);
    }
    /// All orders files; several are read as one table in `compute`.
    pub fn orders(&self) -> Vec<&OrdersTable> {
        self.files.iter().filter_map(|f| f.orders()).collect()
    }
}

/// Compute the report.
pub fn compute(data: &Dataset, opts: &ReportOptions) -> Report {
    let orders = data.orders();
    let (kpis, from, to) = orders::order_kpis(&orders, opts);
    Report {
        generator: format!("kpi-lens {}", env!("CARGO_PKG_VERSION")),
        granularity: opts.granularity,
        from: from.map(crate::ingest::values::iso_date),
        to: to.map(crate::ingest::values::iso_date),
        kpis,
        imports: data.files.iter().map(|f| f.summary.clone()).collect(),
    }
}

/// Period key and label for a day.
pub fn period_of(day: i32, g: Granularity) -> (i32, String) {
    let (y, m, _) = crate::ingest::values::ymd_from_days(day);
    match g {
        Granularity::Month => (y * 12 + m as i32 - 1, format!("{y:04}-{m:02}")),
        Granularity::Quarter => (
            y * 4 + (m as i32 - 1) / 3,
            format!("{y:04}-Q{}", (m - 1) / 3 + 1),
        ),
        Granularity::Year => (y, format!("{y:04}")),
    }
}
