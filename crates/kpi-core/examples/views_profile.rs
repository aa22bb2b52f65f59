//! The browser benchmark's view changes, natively, with one `Reuse` as the worker keeps it:
//! the first report (monthly), monthly -> quarterly, one salesperson, back to all.
//!
//!     cargo run --release -p kpi-core --example views_profile [rows] [rounds] [view]
//!
//! With a view number (0-3), only that view is timed, `rounds` times over the same `Reuse`
//! (for `perf record`).
mod common;
use kpi_core::{compute_reusing, import_bytes, Dataset, ImportOptions, Prepared, Reuse};
use std::time::Instant;

fn main() {
    let bytes = common::bench_orders_from_args();
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let mut data = Dataset::default();
    data.add(import_bytes("orders.csv", &bytes, &ImportOptions::default()).unwrap());
    let prepared = Prepared::new(&data);
    let views = common::bench_views();
    if let Some(only) = std::env::args()
        .nth(3)
        .and_then(|s| s.parse::<usize>().ok())
    {
        let mut reuse = Reuse::default();
        for (_, opts) in &views[..only] {
            compute_reusing(&data, &prepared, opts, &mut reuse);
        }
        let t = Instant::now();
        for _ in 0..rounds {
            if only == 0 {
                // The first report has nothing to reuse.
                reuse = Reuse::default();
            }
            std::hint::black_box(compute_reusing(
                &data,
                &prepared,
                &views[only].1,
                &mut reuse,
            ));
        }
        let ms = t.elapsed().as_secs_f64() * 1e3 / rounds as f64;
        println!("{ms:8.2} ms  {} (mean of {rounds})", views[only].0);
        return;
    }
    let mut best = [f64::MAX; 4];
    for _ in 0..rounds {
        let mut reuse = Reuse::default();
        for (i, (_, opts)) in views.iter().enumerate() {
            let t = Instant::now();
            let r = compute_reusing(&data, &prepared, opts, &mut reuse);
            std::hint::black_box(&r);
            best[i] = best[i].min(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    for (i, (name, _)) in views.iter().enumerate() {
        println!("{:8.1} ms  {name}", best[i]);
    }
}
