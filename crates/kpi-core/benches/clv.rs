//! BG/NBD fit on 100,000 simulated customers (the predictive-CLV issue's target: under 1 s
//! natively), and Gamma-Gamma on the CDNOW-sized case.
//!
//!     cargo bench -p kpi-core --bench clv
use criterion::{criterion_group, criterion_main, Criterion};
use kpi_core::clv::{bgnbd, simulate::simulate_bgnbd};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let data = simulate_bgnbd([0.243, 4.414, 0.793, 2.426], 100_000, 1.0, 78.0, 42);
    let mut group = c.benchmark_group("clv");
    group.sample_size(10);
    group.bench_function("bgnbd_fit_100k_customers", |b| {
        b.iter(|| black_box(bgnbd::fit(&data).expect("fit")))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
