//! Shared by the profiling examples: the generated orders file they time, and the browser
//! benchmark's views. Each example uses a part of it.
#![allow(dead_code)]

use kpi_core::ReportOptions;

/// The benchmark orders file (`kpi_core::demo::write_bench_orders`, seed 42) with as many
/// rows as the first argument says (default 1,000,000), in memory.
pub fn bench_orders_from_args() -> Vec<u8> {
    let rows = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut bytes = Vec::new();
    kpi_core::demo::write_bench_orders(&mut bytes, rows, 42).unwrap();
    bytes
}

/// The browser benchmark's views, named: the first report (monthly, breakdowns after it),
/// then monthly -> quarterly, one salesperson, back to all (`demo::bench_view_changes`).
pub fn bench_views() -> [(&'static str, ReportOptions); 4] {
    let monthly = ReportOptions {
        breakdowns: false,
        ..Default::default()
    };
    let [quarterly, one, back] = kpi_core::demo::bench_view_changes(&monthly, "Rep 07");
    [
        ("first report", monthly),
        ("re-period", quarterly),
        ("one salesperson", one),
        ("back to all", back),
    ]
}
