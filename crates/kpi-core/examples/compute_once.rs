mod common;
use kpi_core::{compute_prepared, import_bytes, Dataset, ImportOptions, Prepared, ReportOptions};
fn main() {
    let bytes = common::bench_orders_from_args();
    let mut data = Dataset::default();
    data.add(import_bytes("orders.csv", &bytes, &ImportOptions::default()).unwrap());
    drop(bytes);
    let opts = ReportOptions {
        breakdowns: false,
        ..Default::default()
    };
    let t = std::time::Instant::now();
    for _ in 0..20 {
        let prepared = Prepared::new(&data);
        std::hint::black_box(compute_prepared(&data, &prepared, &opts));
    }
    println!(
        "{:.1} ms per prepare+report",
        t.elapsed().as_secs_f64() * 1e3 / 20.0
    );
}
