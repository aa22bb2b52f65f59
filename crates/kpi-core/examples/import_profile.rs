//! Wall-clock of importing a generated orders file from memory, for profiling the importer
//! (criterion's `benches/import.rs` gives the real figures).
//!
//!     cargo run --release -p kpi-core --example import_profile [rows]
mod common;
use kpi_core::{import_bytes, ImportOptions};
use std::time::Instant;

fn main() {
    let bytes = common::bench_orders_from_args();
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
