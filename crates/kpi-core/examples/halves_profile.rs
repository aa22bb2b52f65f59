//! Wall-clock of reading a generated orders file as two halves, step by step (the steps
//! the browser's two workers take one after the other here, on one thread).
//!
//!     cargo run --release -p kpi-core --example halves_profile [rows]
mod common;
use kpi_core::ingest::parallel::{self, FirstOutcome, SecondPart, SplitPlan};
use kpi_core::ImportOptions;
use std::time::Instant;

fn main() {
    let bytes = common::bench_orders_from_args();
    let opts = ImportOptions::default();
    for _ in 0..3 {
        let mut t = Instant::now();
        let mut lap = |what: &str| {
            println!("{:8.1} ms  {what}", t.elapsed().as_secs_f64() * 1e3);
            t = Instant::now();
        };
        let head = &bytes[..kpi_core::ingest::SAMPLE_BYTES];
        let plan = SplitPlan::new(head, false, bytes.len() as u64, &opts)
            .unwrap()
            .unwrap();
        let middle = bytes.len() / 2;
        let split = parallel::split_point(&bytes[middle..], middle as u64).unwrap() as usize;
        lap("plan and split point");
        let second = parallel::read_second_part(&plan, &bytes[split..], &mut |_, _| true).unwrap();
        lap("second half read");
        let wire = second.to_bytes();
        lap(&format!(
            "second half to bytes ({} MB)",
            wire.len() / 1_000_000
        ));
        let second = SecondPart::from_bytes(&plan, &wire).unwrap();
        lap("second half from bytes");
        let FirstOutcome::Read(first) =
            parallel::read_first_part(plan, &bytes[..split], &mut |_, _| true).unwrap()
        else {
            panic!("misaligned")
        };
        lap("first half read");
        let f = first
            .join(second, "orders.csv", bytes.len() as u64, &opts, || {
                Ok(&bytes[split..])
            })
            .unwrap();
        lap("joined and finished");
        std::hint::black_box(f);
        println!();
    }
}
