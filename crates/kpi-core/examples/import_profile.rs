//! Wall-clock of importing a generated orders file from memory, for profiling the importer
//! (criterion's `benches/import.rs` gives the real figures).
//!
//!     cargo run --release -p kpi-core --example import_profile [rows]
use kpi_core::{import_bytes, ImportOptions};
use std::time::Instant;

fn main() {
    let rows = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut bytes = Vec::new();
    kpi_core::demo::write_bench_orders(&mut bytes, rows, 42).unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let f = import_bytes("orders.csv", &bytes, &ImportOptions::default()).unwrap();
        std::hint::black_box(&f);
        println!(
            "{:8.1} ms  {} rows, {:.0} MB/s",
            t.elapsed().as_secs_f64() * 1e3,
            f.summary.rows_ok,
            bytes.len() as f64 / 1e6 / t.elapsed().as_secs_f64()
        );
    }
}
