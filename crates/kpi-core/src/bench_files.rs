//! Large deterministic files of every kind, for benchmarks: the bench orders file
//! ([`crate::demo::write_bench_orders`]) and, consistent with it, the customers, buyer
//! accounts, web traffic, carts, quotes, opportunities, spend, service contacts, surveys,
//! inventory snapshots and returns a distributor of that size would export.
//!
//! Consistent means the same names: customers `CUST0000001`.. (one per 20 orders, as in the
//! orders file), salespeople `Rep 01`..`Rep 25`, order numbers `ORD00000001`.., dates over
//! 2024-2025. Rows come in date order, as exports list them (customers and accounts by id).

use crate::demo::{SplitMix64, CONTACT_REASONS, REGIONS, RETURN_REASONS, SEGMENTS};
use crate::ingest::schema::FileKind;
use crate::ingest::values::{days_from_ymd, iso_date};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Rows of each kind in a set whose orders file has `orders` rows: about what a distributor
/// with one customer per 20 orders exports over two years (the traffic is by day and
/// source, the inventory by month and SKU, the spend by line item).
pub fn rows_for(kind: FileKind, orders: usize) -> usize {
    let n = match kind {
        FileKind::Orders => orders,
        FileKind::Customers => orders / 20,
        FileKind::Users => orders / 8,
        FileKind::Traffic => orders / 4,
        FileKind::Carts => orders / 2,
        FileKind::Quotes => orders / 20,
        FileKind::Opportunities => orders / 100,
        FileKind::Spend => orders / 100,
        FileKind::Support => orders / 5,
        FileKind::Surveys => orders / 20,
        FileKind::Inventory => orders / 10,
        FileKind::Returns => orders / 50,
    };
    n.max(1)
}

/// The file name of `kind` in a set (`bench_orders.csv`, `bench_customers.csv`, ...).
pub fn file_name(kind: FileKind) -> String {
    format!("bench_{}.csv", kind.name())
}

/// Days over which the rows are spread: 2024-01-01 to 2025-12-31.
const DAYS: u64 = 731;
const SALESPEOPLE: u64 = 25;

/// Write `rows` rows of `kind`, referring to the customers and orders of a bench orders file
/// of `orders` rows (written with `seed` for the orders kind).
pub fn write_kind<W: Write>(
    kind: FileKind,
    out: W,
    rows: usize,
    orders: usize,
    seed: u64,
) -> io::Result<()> {
    if kind == FileKind::Orders {
        return crate::demo::write_bench_orders(out, rows, seed);
    }
    let mut w = Rows {
        out,
        line: String::with_capacity(128),
        rng: SplitMix64::new(seed ^ (kind as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        start: days_from_ymd(2024, 1, 1).expect("valid date"),
        dates: (0..DAYS as i32)
            .map(|d| iso_date(days_from_ymd(2024, 1, 1).expect("valid date") + d))
            .collect(),
        rows,
        customers: (orders / 20).max(1) as u64,
        orders: orders.max(1) as u64,
    };
    w.header(header(kind))?;
    for i in 0..rows {
        w.line.clear();
        w.row(kind, i);
        w.line.push('\n');
        w.out.write_all(w.line.as_bytes())?;
    }
    w.out.flush()
}

/// The header of each kind: the demo dataset's words, so each file is recognised as that
/// kind by the same rules as a real export.
fn header(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Customers => "customer_id,created,acquisition source,salesperson,segment,region",
        FileKind::Users => "user_id,customer_id,created,last active",
        FileKind::Traffic => "date,source,sessions,visitors,add to cart,checkouts,orders",
        FileKind::Carts => "cart_id,created,status,order_id",
        FileKind::Quotes => "quote_id,requested date,status,accepted date,value",
        FileKind::Opportunities => "opportunity_id,created,closed,outcome,value,salesperson,source",
        FileKind::Spend => "month,category,amount",
        FileKind::Support => "date,type,customer_id,reason",
        FileKind::Surveys => "date,score,type,customer_id",
        FileKind::Inventory => "date,sku,inventory value",
        FileKind::Returns => "order_id,date,reason,amount",
        _ => "order_id,order_date,customer_id,salesperson,channel,status,amount,margin",
    }
}

struct Rows<W> {
    out: W,
    line: String,
    rng: SplitMix64,
    start: i32,
    dates: Vec<String>,
    rows: usize,
    customers: u64,
    orders: u64,
}

impl<W: Write> Rows<W> {
    fn header(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())?;
        self.out.write_all(b"\n")
    }

    /// The date of row `i` when rows are spread evenly over the two years, in order.
    fn day_of(&self, i: usize) -> u64 {
        (i as u64 * DAYS / self.rows.max(1) as u64).min(DAYS - 1)
    }

    /// An amount in cents from `low` to `low + spread` (exclusive), as `1234.56`.
    fn money(&mut self, low: u64, spread: u64) -> String {
        let cents = low + self.rng.below(spread);
        format!("{}.{:02}", cents / 100, cents % 100)
    }

    fn row(&mut self, kind: FileKind, i: usize) {
        let day = self.day_of(i);
        let r = &mut self.rng;
        let customer = r.below(self.customers) + 1;
        let line = &mut self.line;
        match kind {
            FileKind::Customers => {
                // Created before or during the two years; ids in order.
                let created = self.start - 730 + r.below(730 + DAYS) as i32;
                let source = ["marketing", "sales", "referral", "marketing"][r.below(4) as usize];
                let _ = write!(
                    line,
                    "CUST{:07},{},{source},Rep {:02},{},{}",
                    i + 1,
                    iso_date(created),
                    r.below(SALESPEOPLE) + 1,
                    SEGMENTS[r.below(3) as usize].0,
                    REGIONS[r.below(4) as usize],
                );
            }
            FileKind::Users => {
                let created = r.below(DAYS);
                let last = (r.below(10) < 6).then(|| created + r.below(DAYS - created));
                let _ = write!(
                    line,
                    "U{:08},CUST{customer:07},{},{}",
                    i + 1,
                    self.dates[created as usize],
                    last.map(|d| self.dates[d as usize].as_str()).unwrap_or(""),
                );
            }
            FileKind::Traffic => {
                let sessions = 20 + r.below(400);
                let visitors = sessions * (60 + r.below(30)) / 100;
                let adds = sessions * (2 + r.below(6)) / 100;
                let checkouts = adds * (30 + r.below(40)) / 100;
                let orders = checkouts * (40 + r.below(50)) / 100;
                let source = [
                    "google / organic",
                    "google / cpc",
                    "newsletter",
                    "direct",
                    "linkedin",
                ][r.below(5) as usize];
                let _ = write!(
                    line,
                    "{},{source},{sessions},{visitors},{adds},{checkouts},{orders}",
                    self.dates[day as usize]
                );
            }
            FileKind::Carts => {
                // About a third become an order: a web order's number.
                let converted = r.below(3) == 0;
                let order = r.below(self.orders) + 1;
                let date = &self.dates[day as usize];
                if converted {
                    let _ = write!(line, "K{:08},{date},converted,ORD{order:08}", i + 1);
                } else {
                    let _ = write!(line, "K{:08},{date},abandoned,", i + 1);
                }
            }
            FileKind::Quotes => {
                let value = format!("{}.{:02}", 200 + r.below(20_000), r.below(100));
                let (status, accepted) = match r.below(100) {
                    0..=47 => ("accepted", Some(day + 2 + r.below(20))),
                    48..=85 => ("rejected", None),
                    _ => ("open", None),
                };
                let accepted = accepted
                    .map(|d| self.dates[d.min(DAYS - 1) as usize].as_str())
                    .unwrap_or("");
                let _ = write!(
                    line,
                    "Q{:07},{},{status},{accepted},{value}",
                    i + 1,
                    self.dates[day as usize]
                );
            }
            FileKind::Opportunities => {
                let cycle = 15 + r.below(110);
                let (closed, outcome) = if day + cycle < DAYS && r.below(10) < 8 {
                    let outcome = if r.below(100) < 42 { "won" } else { "lost" };
                    (self.dates[(day + cycle) as usize].as_str(), outcome)
                } else {
                    ("", "open")
                };
                let source = if r.below(100) < 55 {
                    "marketing"
                } else {
                    "sales"
                };
                let _ = write!(
                    line,
                    "OPP-{:07},{},{closed},{outcome},{},Rep {:02},{source}",
                    i + 1,
                    self.dates[day as usize],
                    (1_000 + r.below(50_000)) * 10,
                    r.below(SALESPEOPLE) + 1,
                );
            }
            FileKind::Spend => {
                let category = if r.below(2) == 0 {
                    "marketing"
                } else {
                    "sales"
                };
                let date = self.dates[day as usize].clone();
                let amount = self.money(5_000, 500_000);
                let _ = write!(self.line, "{date},{category},{amount}");
            }
            FileKind::Support => {
                let kind = ["call", "call", "email", "email", "chat"][r.below(5) as usize];
                let reason = CONTACT_REASONS[r.below(5) as usize];
                let _ = write!(
                    line,
                    "{},{kind},CUST{customer:07},{reason}",
                    self.dates[day as usize]
                );
            }
            FileKind::Surveys => {
                let (score, kind) = if r.below(3) == 0 {
                    (1 + r.below(5), "csat")
                } else {
                    ((4 + r.below(7)).min(10), "nps")
                };
                let _ = write!(
                    line,
                    "{},{score},{kind},CUST{customer:07}",
                    self.dates[day as usize]
                );
            }
            FileKind::Inventory => {
                // Month-end snapshots, one row per SKU: 24 months of `rows / 24` SKUs.
                let skus = (self.rows / 24).max(1);
                let month = (i / skus).min(23) as i32;
                let (y, m) = (2024 + month / 12, (month % 12) as u32 + 1);
                let date = iso_date(days_from_ymd(y, m, 1).expect("valid date"));
                let value = self.money(10_000, 2_000_000);
                let _ = write!(self.line, "{date},SKU{:06},{value}", i % skus + 1);
            }
            FileKind::Returns => {
                let order = r.below(self.orders) + 1;
                let reason = RETURN_REASONS[r.below(5) as usize];
                let date = self.dates[day as usize].clone();
                let amount = self.money(2_000, 400_000);
                let _ = write!(self.line, "ORD{order:08},{date},{reason},{amount}");
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind's file is recognised as that kind, every row is read, and the set's
    /// customers and orders are those of the orders file.
    #[test]
    fn each_kind_reads_back_as_its_kind_with_every_row() {
        let orders = 4_000;
        for kind in FileKind::ALL {
            let rows = rows_for(kind, orders);
            let mut bytes = Vec::new();
            write_kind(kind, &mut bytes, rows, orders, 9).unwrap();
            let file = crate::import_bytes(&file_name(kind), &bytes, &Default::default())
                .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            assert_eq!(file.summary.kind, kind, "{kind:?}");
            assert_eq!(file.summary.rows_read, rows as u64, "{kind:?}");
            assert_eq!(
                file.summary.rows_rejected,
                0,
                "{kind:?}: {:?}",
                file.rejected.first()
            );
            // Deterministic: the same bytes again.
            let mut again = Vec::new();
            write_kind(kind, &mut again, rows, orders, 9).unwrap();
            assert_eq!(bytes, again, "{kind:?}");
        }
    }

    /// The whole set feeds every KPI the demo dataset (one file of every kind) feeds.
    #[test]
    fn a_set_feeds_every_kpi_the_demo_feeds() {
        let orders = 4_000;
        let mut bench = crate::Dataset::default();
        for kind in FileKind::ALL {
            let mut bytes = Vec::new();
            write_kind(kind, &mut bytes, rows_for(kind, orders), orders, 9).unwrap();
            bench.add(crate::import_bytes(&file_name(kind), &bytes, &Default::default()).unwrap());
        }
        let mut demo = crate::Dataset::default();
        for (name, csv) in crate::demo::demo_dataset(crate::demo::DEMO_SEED) {
            demo.add(crate::import_bytes(name, csv.as_bytes(), &Default::default()).unwrap());
        }
        let opts = crate::ReportOptions {
            breakdowns: false,
            ..Default::default()
        };
        let (bench, demo) = (crate::compute(&bench, &opts), crate::compute(&demo, &opts));
        let fed: Vec<&str> = demo
            .kpis
            .iter()
            .filter(|k| k.value.is_some())
            .map(|k| k.id.as_str())
            .collect();
        assert!(fed.len() > 40, "{fed:?}");
        for id in fed {
            let k = bench.kpi(id).unwrap_or_else(|| panic!("{id} missing"));
            assert!(k.value.is_some(), "{id}: needs {:?}", k.missing);
        }
    }
}
