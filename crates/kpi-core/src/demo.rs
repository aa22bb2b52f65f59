//! A realistic, deterministic B2B demo dataset: a distributor with several hundred business
//! customers, a field sales team, and orders on web, EDI, email and phone over two years, with
//! customers slowly moving online, some churning, some orders cancelled or returned.

use crate::ingest::values::{days_from_ymd, iso_date};
use std::fmt::Write;

/// Transcendental functions come from `libm` (pure Rust) so the demo is bit-identical in
/// the browser and natively.
///
/// SplitMix64: tiny, fast and identical on every platform and crate version, which is what a
/// demo whose numbers are asserted in tests needs (rand's StdRng may change between versions).
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
    }
}

/// The seed behind the app's "Try the demo data" button and `kpi-lens demo`.
pub const DEMO_SEED: u64 = 20_240_101;

pub const SALESPEOPLE: [&str; 8] = [
    "Giulia Rossi",
    "Marco Bianchi",
    "Anna Müller",
    "Luca Ferrari",
    "Sofia Romano",
    "Jonas Weber",
    "Chiara Conti",
    "Paolo Greco",
];
const REGIONS: [&str; 4] = ["North", "Centre", "South", "Export"];
const SEGMENTS: [(&str, f64); 3] = [
    ("Distributor", 2400.0),
    ("Manufacturer", 1500.0),
    ("Retailer", 650.0),
];

/// Size of the generated dataset.
#[derive(Debug, Clone, Copy)]
pub struct DemoSize {
    pub customers: usize,
    /// Approximate; the generator stops at this many orders if reached.
    pub max_orders: usize,
}

impl Default for DemoSize {
    fn default() -> Self {
        DemoSize {
            customers: 420,
            max_orders: usize::MAX,
        }
    }
}

/// The demo orders file as CSV text, header
/// `order_id,order_date,customer_id,salesperson,channel,status,segment,region,amount,margin`.
pub fn demo_orders_csv(seed: u64, size: DemoSize) -> String {
    let mut rng = SplitMix64::new(seed);
    let start = days_from_ymd(2024, 1, 1).expect("valid date");
    let end = days_from_ymd(2025, 12, 31).expect("valid date");
    let span = (end - start + 1) as f64;
    let mut out = String::with_capacity(size.customers * 60 * 80);
    out.push_str(
        "order_id,order_date,customer_id,salesperson,channel,status,segment,region,amount,margin\n",
    );
    let mut order_no = 100_000u64;
    let mut orders = Vec::new();
    for c in 0..size.customers {
        let region = rng.below(REGIONS.len() as u64) as usize;
        // Each region has two salespeople.
        let sp = SALESPEOPLE[region * 2 + rng.below(2) as usize];
        let (segment, base) = SEGMENTS[rng.below(3) as usize];
        // Customers join over the first 18 months; some leave before the end.
        let joined = start + (rng.unit() * span * 0.75) as i32;
        let leaves = if rng.unit() < 0.3 {
            joined + 60 + (rng.unit() * (end - joined) as f64) as i32
        } else {
            end + 1
        };
        // Orders per month: from occasional to weekly buyers.
        let per_month = (0.25 + rng.unit() * rng.unit() * 5.0).min(4.5);
        let online_affinity = rng.unit();
        let mut day = joined;
        loop {
            let gap = (-libm::log(rng.unit().max(1e-9)) * 30.0 / per_month).max(1.0) as i32;
            day += gap;
            if day > end || day >= leaves {
                break;
            }
            // Web share grows over time: B2B buyers move online slowly.
            let progress = (day - start) as f64 / span;
            let r = rng.unit();
            let web_p = 0.15 + 0.35 * progress * (0.5 + online_affinity);
            let channel = if r < web_p {
                "web"
            } else if r < web_p + 0.2 {
                "EDI"
            } else if r < web_p + 0.2 + (1.0 - web_p - 0.2) * 0.55 {
                "email"
            } else {
                "phone"
            };
            let status = match rng.unit() {
                x if x < 0.04 => "cancelled",
                x if x < 0.07 => "returned",
                _ => "completed",
            };
            let amount =
                (base * libm::exp(0.45 * rng.normal()) * if channel == "web" { 1.08 } else { 1.0 })
                    .max(25.0);
            let amount = (amount * 100.0).round() / 100.0;
            let margin = (amount * (0.18 + 0.1 * rng.unit()) * 100.0).round() / 100.0;
            orders.push((
                day,
                c,
                sp,
                channel,
                status,
                segment,
                REGIONS[region],
                amount,
                margin,
            ));
        }
    }
    orders.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    orders.truncate(size.max_orders);
    for (day, c, sp, channel, status, segment, region, amount, margin) in orders {
        order_no += 1;
        let _ = writeln!(
            out,
            "SO-{order_no},{},C{:05},{sp},{channel},{status},{segment},{region},{amount:.2},{margin:.2}",
            iso_date(day),
            c + 1
        );
    }
    out
}

/// A large orders file for benchmarks: `rows` orders over 2024-2025, about one customer per 20
/// orders, 25 salespeople, four channels, some cancelled or returned, and amounts of 1,000 or
/// more written US-style in quotes (`"1,234.50"`) on every tenth row, as exports do.
/// Header: `order_id,order_date,customer_id,salesperson,channel,status,amount,margin`.
pub fn write_bench_orders<W: std::io::Write>(
    mut out: W,
    rows: usize,
    seed: u64,
) -> std::io::Result<()> {
    let mut rng = SplitMix64::new(seed);
    let start = days_from_ymd(2024, 1, 1).expect("valid date");
    let customers = (rows / 20).max(1) as u64;
    const CHANNELS: [&str; 4] = ["web", "EDI", "email", "phone"];
    let dates: Vec<String> = (0..731).map(|d| iso_date(start + d)).collect();
    let mut line = String::with_capacity(128);
    out.write_all(b"order_id,order_date,customer_id,salesperson,channel,status,amount,margin\n")?;
    for i in 0..rows {
        line.clear();
        let day = (i as u64 * 731 / rows.max(1) as u64) as usize;
        let customer = rng.below(customers) + 1;
        let sp = rng.below(25) + 1;
        let channel = CHANNELS[rng.below(4) as usize];
        let status = match rng.below(100) {
            0..=2 => "cancelled",
            3..=4 => "returned",
            _ => "completed",
        };
        let cents = 2_000 + rng.below(400_000);
        let margin = cents * (15 + rng.below(15)) / 100;
        let _ = write!(
            line,
            "ORD{:08},{},CUST{:07},Rep {:02},{},{},",
            i + 1,
            dates[day.min(730)],
            customer,
            sp,
            channel,
            status
        );
        if i % 10 == 0 && cents >= 100_000 {
            let _ = write!(
                line,
                "\"{},{:03}.{:02}\"",
                cents / 100_000,
                (cents / 100) % 1000,
                cents % 100
            );
        } else {
            let _ = write!(line, "{}.{:02}", cents / 100, cents % 100);
        }
        let _ = writeln!(line, ",{}.{:02}", margin / 100, margin % 100);
        out.write_all(line.as_bytes())?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_deterministic_and_b2b_shaped() {
        let a = demo_orders_csv(7, DemoSize::default());
        let b = demo_orders_csv(7, DemoSize::default());
        assert_eq!(a, b);
        let lines = a.lines().count() - 1;
        assert!(lines > 3_000, "{lines} orders");
        for ch in [",web,", ",EDI,", ",email,", ",phone,"] {
            assert!(a.contains(ch), "{ch} missing");
        }
        assert!(a.contains("2024-0") && a.contains("2025-1"));
    }
}
