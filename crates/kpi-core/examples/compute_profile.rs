//! Wall-clock of `compute` for the views people switch between, on a generated orders file:
//! a quick look while optimising (criterion's `benches/import.rs` times the same views).
//!
//!     cargo run --release -p kpi-core --example compute_profile [rows]
mod common;
use kpi_core::report::Granularity;
use kpi_core::{compute_prepared, import_bytes, Dataset, ImportOptions, Prepared, ReportOptions};
use std::time::Instant;

fn main() {
    let bytes = common::bench_orders_from_args();
    let mut data = Dataset::default();
    data.add(import_bytes("orders.csv", &bytes, &ImportOptions::default()).unwrap());
    let t = Instant::now();
    let prepared = Prepared::new(&data);
    println!(
        "{:8.1} ms  prepare (once per set of files)",
        t.elapsed().as_secs_f64() * 1e3
    );
    let views = [
        (
            "all data, monthly, no breakdowns",
            ReportOptions {
                breakdowns: false,
                ..Default::default()
            },
        ),
        ("all data, monthly, breakdowns", ReportOptions::default()),
        (
            "quarterly, no breakdowns",
            ReportOptions {
                granularity: Granularity::Quarter,
                breakdowns: false,
                ..Default::default()
            },
        ),
        (
            "one salesperson, no breakdowns",
            ReportOptions {
                filters: vec![("salesperson".into(), "Rep 07".into())],
                breakdowns: false,
                ..Default::default()
            },
        ),
        (
            "one salesperson, breakdowns",
            ReportOptions {
                filters: vec![("salesperson".into(), "Rep 07".into())],
                ..Default::default()
            },
        ),
    ];
    for (name, opts) in &views {
        let mut best = f64::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            let r = compute_prepared(&data, &prepared, opts);
            std::hint::black_box(&r);
            best = best.min(t.elapsed().as_secs_f64() * 1e3);
        }
        println!("{best:8.1} ms  {name}");
    }
}
