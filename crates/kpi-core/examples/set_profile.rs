//! A whole export set (`kpi-lens gen --kind all --rows N --out DIR`: orders and one file of
//! every other kind), natively: each file's import, then the report and the browser
//! benchmark's view changes over one `Reuse`, and the breakdowns the worker sends after
//! each report. Best of `rounds`.
//!
//!     cargo run --release -p kpi-core --example set_profile DIR [rounds] [reports]
//!
//! With `reports` as the third argument, the breakdowns are left out (for `perf record`).
mod common;
use kpi_core::{compute_reusing, import_bytes, metrics, Dataset, ImportOptions, Prepared, Reuse};
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).expect("a directory of CSV files");
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("a directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    paths.sort();
    let mut data = Dataset::default();
    for p in &paths {
        let bytes = std::fs::read(p).expect("readable");
        let t = Instant::now();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        data.add(import_bytes(&name, &bytes, &ImportOptions::default()).expect("imports"));
        println!("{:8.1} ms  import {name}", t.elapsed().as_secs_f64() * 1e3);
    }
    let t = Instant::now();
    let prepared = Prepared::new(&data);
    println!("{:8.1} ms  prepare", t.elapsed().as_secs_f64() * 1e3);
    let views = common::bench_views();
    let breakdowns = std::env::args().nth(3).as_deref() != Some("reports");
    let mut best = [[f64::MAX; 2]; 4];
    for _ in 0..rounds {
        let mut reuse = Reuse::default();
        for (i, (_, opts)) in views.iter().enumerate() {
            let t = Instant::now();
            std::hint::black_box(compute_reusing(&data, &prepared, opts, &mut reuse));
            best[i][0] = best[i][0].min(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            for dim in metrics::DIMENSIONS.iter().filter(|_| breakdowns) {
                std::hint::black_box(metrics::dimension_breakdowns_reusing(
                    &data, &prepared, opts, dim, &mut reuse,
                ));
            }
            best[i][1] = best[i][1].min(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    for (i, (name, _)) in views.iter().enumerate() {
        println!(
            "{:8.1} ms  {name} (then its breakdowns {:.1} ms)",
            best[i][0], best[i][1]
        );
    }
}
