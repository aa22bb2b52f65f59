//! KPIs computed from typed columns. Plain functions over plain data; no parsing here.

mod catalogue;
mod clv;
pub mod cohorts;
mod context;
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
    /// When the web shop went live: contacts per order are split before/after it.
    pub online_launch: Option<i32>,
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
    let ctx = context::Ctx::new(data, opts);
    let orders = data.orders();
    // The core order KPIs over the report range, on the same period axis as the rest.
    let ranged = ReportOptions {
        from: Some(ctx.from),
        to: Some(ctx.to),
        ..opts.clone()
    };
    let (mut kpis, _, _) = orders::order_kpis(&orders, &ranged);
    // Previous range and a year earlier, when the user chose a range (with the default
    // "all data" range there is nothing before it).
    if opts.from.is_some() || opts.to.is_some() {
        let len = ctx.to - ctx.from + 1;
        let shifted = |a: i32, b: i32| ReportOptions {
            from: Some(a),
            to: Some(b),
            ..opts.clone()
        };
        let (prev, _, _) = orders::order_kpis(&orders, &shifted(ctx.from - len, ctx.from - 1));
        let (last_year, _, _) = orders::order_kpis(&orders, &shifted(ctx.from - 365, ctx.to - 365));
        for ((k, p), y) in kpis.iter_mut().zip(&prev).zip(&last_year) {
            k.previous_value = p.value;
            k.last_year_value = y.value;
        }
    }
    kpis.extend(catalogue::catalogue(&ctx));
    let years = (ctx.to - ctx.from + 1) as f64 / 365.25;
    let margins: Vec<i64> = ctx
        .orders_in(ctx.from, ctx.to)
        .iter()
        .filter(|o| o.status == crate::table::OrderStatus::Completed)
        .filter_map(|o| o.margin)
        .collect();
    let margin_per_order = (ctx.has_margin && !margins.is_empty()).then(|| {
        margins.iter().sum::<i64>() as f64
            / crate::ingest::values::SCALE as f64
            / margins.len() as f64
    });
    let clv = clv::clv_kpis(&kpis, years, ctx.periods_per_year, margin_per_order);
    kpis.extend(clv);
    let has_data = !data.files.is_empty() && ctx.from <= ctx.to;
    let (rfm_customers, rfm_segments) = cohorts::rfm(&ctx);
    // The report keeps the segment sizes and the customers worth a look (at risk, lost
    // high spenders), not every customer: it crosses to the page on every change.
    let mut watch: Vec<cohorts::RfmCustomer> = rfm_customers
        .into_iter()
        .filter(|c| c.segment == "At risk" || (c.segment == "Hibernating" && c.m >= 4))
        .collect();
    watch.sort_by(|a, b| {
        b.monetary
            .total_cmp(&a.monetary)
            .then_with(|| a.customer.cmp(&b.customer))
    });
    watch.truncate(50);
    Report {
        generator: format!("kpi-lens {}", env!("CARGO_PKG_VERSION")),
        granularity: opts.granularity,
        from: has_data.then(|| crate::ingest::values::iso_date(ctx.from)),
        to: has_data.then(|| crate::ingest::values::iso_date(ctx.to)),
        kpis,
        cohorts: cohorts::cohorts(&ctx),
        rfm_segments,
        at_risk_customers: watch,
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
