//! Shared by the profiling examples: the generated orders file they time.

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
