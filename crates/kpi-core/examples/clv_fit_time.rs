//! How long the BG/NBD fit takes on simulated customers, with its diagnostics.
//!
//!     cargo run --release -p kpi-core --example clv_fit_time [customers]
use kpi_core::clv::{bgnbd, simulate::simulate_bgnbd};
use std::time::Instant;

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let t = Instant::now();
    let data = simulate_bgnbd([0.243, 4.414, 0.793, 2.426], n, 1.0, 78.0, 42);
    println!(
        "simulated {n} customers in {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let fit = bgnbd::fit(&data);
    println!("fit in {:.0} ms: {fit:?}", t.elapsed().as_secs_f64() * 1e3);
}
