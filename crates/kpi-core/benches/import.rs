//! Import and KPI throughput on a generated 1M-row orders file (~72 MB, in memory), with
//! the raw `csv` crate reading the same bytes as the reference line.
//!
//!     cargo bench -p kpi-core --bench import
//!     KPI_BENCH_ROWS=100000 cargo bench -p kpi-core --bench import   # smaller
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kpi_core::{compute, import_bytes, Dataset, ImportOptions, ReportOptions};
use std::hint::black_box;

fn rows() -> usize {
    std::env::var("KPI_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn orders_file() -> Vec<u8> {
    let mut bytes = Vec::new();
    kpi_core::demo::write_bench_orders(&mut bytes, rows(), 42).unwrap();
    bytes
}

fn bench(c: &mut Criterion) {
    let bytes = orders_file();
    let mut group = c.benchmark_group(format!("orders_{}_rows", rows()));
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("csv_crate_byte_records", |b| {
        b.iter(|| {
            let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[..]);
            let mut record = csv::ByteRecord::new();
            let mut fields = 0usize;
            while reader.read_byte_record(&mut record).unwrap() {
                fields += record.len();
            }
            black_box(fields)
        })
    });
    group.bench_function("kpi_lens_import_typed", |b| {
        b.iter(|| black_box(import_bytes("orders.csv", &bytes, &ImportOptions::default()).unwrap()))
    });
    let mut data = Dataset::default();
    data.add(import_bytes("orders.csv", &bytes, &ImportOptions::default()).unwrap());
    group.bench_function("kpis_without_breakdowns", |b| {
        let opts = ReportOptions {
            breakdowns: false,
            ..ReportOptions::default()
        };
        b.iter(|| black_box(compute(&data, &opts)))
    });
    group.bench_function("kpis_with_breakdowns", |b| {
        b.iter(|| black_box(compute(&data, &ReportOptions::default())))
    });
    // What the app does on a filter or period change: the orders stay arranged (`Prepared`)
    // and the report comes first, its breakdowns after (see the worker).
    let prepared = kpi_core::Prepared::new(&data);
    group.bench_function("prepare_once_per_set_of_files", |b| {
        b.iter(|| black_box(kpi_core::Prepared::new(&data)))
    });
    group.bench_function("refilter_one_salesperson", |b| {
        let opts = ReportOptions {
            filters: vec![("salesperson".into(), "Rep 07".into())],
            breakdowns: false,
            ..ReportOptions::default()
        };
        b.iter(|| black_box(kpi_core::compute_prepared(&data, &prepared, &opts)))
    });
    group.bench_function("refilter_quarterly_all_data", |b| {
        let opts = ReportOptions {
            granularity: kpi_core::report::Granularity::Quarter,
            breakdowns: false,
            ..ReportOptions::default()
        };
        b.iter(|| black_box(kpi_core::compute_prepared(&data, &prepared, &opts)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
