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
pub(crate) const REGIONS: [&str; 4] = ["North", "Centre", "South", "Export"];
/// Why customers contact the service desk (the demo's and the benchmark files' words).
pub(crate) const CONTACT_REASONS: [&str; 5] = [
    "order status",
    "how to order",
    "invoice copy",
    "delivery",
    "price",
];
/// Why orders come back.
pub(crate) const RETURN_REASONS: [&str; 5] = [
    "damaged",
    "wrong delivery",
    "not needed",
    "late delivery",
    "wrong quantity",
];
pub(crate) const SEGMENTS: [(&str, f64); 3] = [
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

struct DemoCustomer {
    joined: i32,
    salesperson: &'static str,
    segment: &'static str,
    region: &'static str,
}

struct DemoOrder {
    number: u64,
    day: i32,
    customer: usize,
    channel: &'static str,
    status: &'static str,
    amount: f64,
    margin: f64,
}

fn demo_span() -> (i32, i32) {
    (
        days_from_ymd(2024, 1, 1).expect("valid date"),
        days_from_ymd(2025, 12, 31).expect("valid date"),
    )
}

/// Customers and their orders; the orders file and every other demo file derive from it.
fn generate(seed: u64, size: DemoSize) -> (Vec<DemoCustomer>, Vec<DemoOrder>) {
    let mut rng = SplitMix64::new(seed);
    let (start, end) = demo_span();
    let span = (end - start + 1) as f64;
    let mut customers = Vec::with_capacity(size.customers);
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
        customers.push(DemoCustomer {
            joined,
            salesperson: sp,
            segment,
            region: REGIONS[region],
        });
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
            orders.push(DemoOrder {
                number: 0,
                day,
                customer: c,
                channel,
                status,
                amount,
                margin,
            });
        }
    }
    orders.sort_by(|a, b| a.day.cmp(&b.day).then(a.customer.cmp(&b.customer)));
    orders.truncate(size.max_orders);
    for (i, o) in orders.iter_mut().enumerate() {
        o.number = 100_001 + i as u64;
    }
    (customers, orders)
}

/// The demo orders file as CSV text, header
/// `order_id,order_date,customer_id,salesperson,channel,status,segment,region,amount,margin`.
pub fn demo_orders_csv(seed: u64, size: DemoSize) -> String {
    let (customers, orders) = generate(seed, size);
    orders_csv(&customers, &orders)
}

fn orders_csv(customers: &[DemoCustomer], orders: &[DemoOrder]) -> String {
    let mut out = String::with_capacity(orders.len() * 90);
    out.push_str(
        "order_id,order_date,customer_id,salesperson,channel,status,segment,region,amount,margin\n",
    );
    for o in orders {
        let c = &customers[o.customer];
        let _ = writeln!(
            out,
            "SO-{},{},C{:05},{},{},{},{},{},{:.2},{:.2}",
            o.number,
            iso_date(o.day),
            o.customer + 1,
            c.salesperson,
            o.channel,
            o.status,
            c.segment,
            c.region,
            o.amount,
            o.margin
        );
    }
    out
}

/// The whole demo: one file of every kind, consistent with each other (the traffic file's
/// orders are the web orders, carts convert into real order numbers, returns name returned
/// orders...). Returns (file name, CSV text) pairs, orders first.
pub fn demo_dataset(seed: u64) -> Vec<(&'static str, String)> {
    let (customers, orders) = generate(seed, DemoSize::default());
    // A second stream, so adding files never changes the orders.
    let mut rng = SplitMix64::new(seed ^ 0x5EED_F11E);
    let (start, end) = demo_span();
    let mut files = vec![("demo_orders.csv", orders_csv(&customers, &orders))];

    let mut csv =
        String::from("customer_id,created,acquisition source,salesperson,segment,region\n");
    for (i, c) in customers.iter().enumerate() {
        let source = match rng.below(20) {
            0..=10 => "marketing",
            11..=17 => "sales",
            _ => "referral",
        };
        let _ = writeln!(
            csv,
            "C{:05},{},{source},{},{},{}",
            i + 1,
            iso_date(c.joined),
            c.salesperson,
            c.segment,
            c.region
        );
    }
    files.push(("demo_customers.csv", csv));

    // Users: 1-4 buyer accounts per customer; last active = their last web order, if any.
    let mut last_web = vec![None::<i32>; customers.len()];
    for o in orders
        .iter()
        .filter(|o| o.channel == "web" && o.status != "cancelled")
    {
        last_web[o.customer] = Some(o.day);
    }
    let mut csv = String::from("user_id,customer_id,created,last active\n");
    let mut user = 0;
    for (i, c) in customers.iter().enumerate() {
        for k in 0..1 + rng.below(4) {
            user += 1;
            let last = if k == 0 {
                last_web[i]
            } else {
                last_web[i].filter(|_| rng.unit() < 0.4)
            };
            let last = last.map(iso_date).unwrap_or_default();
            let _ = writeln!(
                csv,
                "U{user:05},C{:05},{},{last}",
                i + 1,
                iso_date(c.joined + rng.below(20) as i32)
            );
        }
    }
    files.push(("demo_users.csv", csv));

    // Daily traffic whose orders are the web orders of that day.
    let mut web_per_day = vec![0u32; (end - start + 1) as usize];
    for o in orders
        .iter()
        .filter(|o| o.channel == "web" && o.status != "cancelled")
    {
        web_per_day[(o.day - start) as usize] += 1;
    }
    let mut csv = String::from("date,sessions,visitors,add to cart,checkouts,orders\n");
    for (d, web) in web_per_day.iter().enumerate() {
        let growth = 1.0 + d as f64 / 730.0;
        let sessions = (260.0 * growth * (0.8 + 0.4 * rng.unit())) as u32 + web * 20;
        let visitors = sessions * 7 / 10;
        let adds = web * 3 + sessions / 40;
        let checkouts = web + (adds - web) / 3;
        let _ = writeln!(
            csv,
            "{},{sessions},{visitors},{adds},{checkouts},{web}",
            iso_date(start + d as i32)
        );
    }
    files.push(("demo_traffic.csv", csv));

    // Carts: one converted cart per web order, and abandoned ones besides.
    let mut csv = String::from("cart_id,created,status,order_id\n");
    let mut cart = 0;
    for o in orders.iter().filter(|o| o.channel == "web") {
        cart += 1;
        let _ = writeln!(
            csv,
            "K{cart:06},{},converted,SO-{}",
            iso_date(o.day),
            o.number
        );
        for _ in 0..rng.below(3) {
            cart += 1;
            let _ = writeln!(
                csv,
                "K{cart:06},{},abandoned,",
                iso_date(o.day - rng.below(5) as i32)
            );
        }
    }
    files.push(("demo_carts.csv", csv));

    // Quotes requested from the web shop, about half accepted.
    let mut csv = String::from("quote_id,requested date,status,accepted date,value\n");
    for q in 0..1_400u64 {
        let day = start + rng.below((end - start - 30) as u64) as i32;
        let value = (1500.0 * libm::exp(0.6 * rng.normal()) * 100.0).round() / 100.0;
        let (status, accepted) = match rng.below(100) {
            0..=47 => ("accepted", iso_date(day + 2 + rng.below(20) as i32)),
            48..=85 => ("rejected", String::new()),
            _ => ("open", String::new()),
        };
        let _ = writeln!(
            csv,
            "Q{:05},{},{status},{accepted},{value:.2}",
            q + 1,
            iso_date(day)
        );
    }
    files.push(("demo_quotes.csv", csv));

    // Opportunities of the field sales team.
    let mut csv = String::from("opportunity_id,created,closed,outcome,value,salesperson,source\n");
    for o in 0..420u64 {
        let day = start + rng.below((end - start) as u64) as i32;
        let value = (12_000.0 * libm::exp(0.7 * rng.normal()) / 10.0).round() * 10.0;
        let cycle = 15 + rng.below(110) as i32;
        let (closed, outcome) = if day + cycle <= end && rng.unit() < 0.8 {
            (
                iso_date(day + cycle),
                if rng.unit() < 0.42 { "won" } else { "lost" },
            )
        } else {
            (String::new(), "open")
        };
        let sp = SALESPEOPLE[rng.below(SALESPEOPLE.len() as u64) as usize];
        let source = if rng.unit() < 0.55 {
            "marketing"
        } else {
            "sales"
        };
        let _ = writeln!(
            csv,
            "OPP-{:04},{},{closed},{outcome},{value:.0},{sp},{source}",
            o + 1,
            iso_date(day)
        );
    }
    files.push(("demo_opportunities.csv", csv));

    // Monthly spend: marketing grows with the web shop, sales stays flat.
    let mut csv = String::from("month,category,amount\n");
    for m in 0..24 {
        let (y, mo) = (2024 + m / 12, m % 12 + 1);
        let month = iso_date(days_from_ymd(y, mo as u32, 1).expect("valid date"));
        let marketing = 9_000.0 + 250.0 * m as f64 + 2_000.0 * rng.unit();
        let sales = 14_000.0 + 1_000.0 * rng.unit();
        let _ = writeln!(csv, "{month},marketing,{marketing:.2}");
        let _ = writeln!(csv, "{month},sales,{sales:.2}");
    }
    files.push(("demo_spend.csv", csv));

    // Service contacts: fewer per order as customers move online.
    let mut csv = String::from("date,type,customer_id,reason\n");
    for o in &orders {
        let progress = (o.day - start) as f64 / 730.0;
        if rng.unit() < 0.32 - 0.14 * progress {
            let kind = match rng.below(10) {
                0..=4 => "call",
                5..=8 => "email",
                _ => "chat",
            };
            let reason = CONTACT_REASONS[rng.below(5) as usize];
            let _ = writeln!(
                csv,
                "{},{kind},C{:05},{reason}",
                iso_date(o.day + rng.below(3) as i32),
                o.customer + 1
            );
        }
    }
    files.push(("demo_support.csv", csv));

    // Surveys: NPS (0-10) twice a year, CSAT (1-5) after some contacts.
    let mut csv = String::from("date,score,type,customer_id\n");
    for i in 0..customers.len() {
        for wave in 0..4 {
            if rng.unit() < 0.35 {
                let day = start + 120 + wave * 182 + rng.below(20) as i32;
                let score = (7.9 + 2.0 * rng.normal()).round().clamp(0.0, 10.0);
                let _ = writeln!(csv, "{},{score},nps,C{:05}", iso_date(day.min(end)), i + 1);
            }
        }
        if rng.unit() < 0.5 {
            let day = start + rng.below(730) as i32;
            let score = (3.9 + 1.0 * rng.normal()).round().clamp(1.0, 5.0);
            let _ = writeln!(csv, "{},{score},csat,C{:05}", iso_date(day), i + 1);
        }
    }
    files.push(("demo_surveys.csv", csv));

    // Month-end inventory at about two and a half months of cost of goods.
    let mut cogs = [0.0f64; 24];
    for o in orders.iter().filter(|o| o.status == "completed") {
        let (y, m, _) = crate::ingest::values::ymd_from_days(o.day);
        cogs[((y - 2024) * 12 + m as i32 - 1) as usize] += o.amount - o.margin;
    }
    let mut csv = String::from("date,inventory value\n");
    for (m, c) in cogs.iter().enumerate() {
        let (y, mo) = (2024 + m as i32 / 12, m as u32 % 12 + 1);
        let day = days_from_ymd(y, mo, 1).expect("valid date");
        let _ = writeln!(
            csv,
            "{},{:.2}",
            iso_date(day),
            c * (2.2 + 0.6 * rng.unit()) + 40_000.0
        );
    }
    files.push(("demo_inventory.csv", csv));

    // Returns: every returned order, with a reason.
    let mut csv = String::from("order_id,date,reason,amount\n");
    for o in orders.iter().filter(|o| o.status == "returned") {
        let reason = RETURN_REASONS[rng.below(5) as usize];
        let _ = writeln!(
            csv,
            "SO-{},{},{reason},{:.2}",
            o.number,
            iso_date(o.day + 3 + rng.below(20) as i32),
            o.amount
        );
    }
    files.push(("demo_returns.csv", csv));
    files
}

/// A large orders file for benchmarks: `rows` orders over 2024-2025, about one customer per 20
/// orders, 25 salespeople, four channels, some cancelled or returned, and amounts of 1,000 or
/// more written US-style in quotes (`"1,234.50"`) on every tenth row, as exports do.
/// Header: `order_id,order_date,customer_id,salesperson,channel,status,amount,margin`.
pub fn write_bench_orders<W: std::io::Write>(
    out: W,
    rows: usize,
    seed: u64,
) -> std::io::Result<()> {
    write_bench_orders_for(out, rows, rows / 20, seed)
}

/// The view changes the browser benchmark times after a monthly report of the bench orders
/// (`first`): quarterly, then one salesperson of them (`Rep 01`..`Rep 25`), then back to all
/// of them. The worker's warm-up runs the same ones on its small file.
pub fn bench_view_changes(
    first: &crate::ReportOptions,
    salesperson: &str,
) -> [crate::ReportOptions; 3] {
    let quarterly = crate::ReportOptions {
        granularity: crate::report::Granularity::Quarter,
        ..first.clone()
    };
    let one_salesperson = crate::ReportOptions {
        filters: vec![("salesperson".into(), salesperson.into())],
        ..quarterly.clone()
    };
    [quarterly.clone(), one_salesperson, quarterly]
}

/// `write_bench_orders` with a chosen number of customers (e.g. 100k customers for the
/// customer-value benchmark).
pub fn write_bench_orders_for<W: std::io::Write>(
    mut out: W,
    rows: usize,
    customers: usize,
    seed: u64,
) -> std::io::Result<()> {
    let mut rng = SplitMix64::new(seed);
    let start = days_from_ymd(2024, 1, 1).expect("valid date");
    let customers = customers.max(1) as u64;
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

    /// The benchmark's view changes on a small bench file: quarterly, one salesperson (a
    /// part of the revenue), and back to the same quarterly view.
    #[test]
    fn bench_view_changes_are_quarterly_one_salesperson_and_back() {
        let mut bytes = Vec::new();
        write_bench_orders(&mut bytes, 5_000, 3).unwrap();
        let mut data = crate::Dataset::default();
        data.add(crate::import_bytes("o.csv", &bytes, &Default::default()).unwrap());
        let first = crate::ReportOptions::default();
        let views = bench_view_changes(&first, "Rep 01");
        let revenue = |opts: &crate::ReportOptions| {
            let r = crate::compute(&data, opts);
            assert_eq!(r.granularity, crate::report::Granularity::Quarter);
            r.kpi("revenue").and_then(|k| k.value).unwrap()
        };
        let (all, one, back) = (revenue(&views[0]), revenue(&views[1]), revenue(&views[2]));
        assert!(
            one > 0.0 && one < all / 5.0,
            "one of 25 salespeople: {one} of {all}"
        );
        assert_eq!(all, back);
        assert!(views[0].filters.is_empty() && views[2].filters.is_empty());
    }

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
