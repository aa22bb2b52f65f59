//! Order KPIs: revenue, orders, customers, average order value, repeat-customer rate; each
//! over the selected range, as a series by period, and broken down by salesperson, channel,
//! segment and region.

use super::{period_of, ReportOptions};
use crate::ingest::values::SCALE;
use crate::report::{Kpi, Point, Slice, Unit};
use crate::table::{OrderStatus, OrdersTable};
use std::collections::{BTreeMap, HashMap};

/// Sums for one group of orders (a period, a salesperson...).
#[derive(Debug, Default)]
struct Agg {
    revenue: i64,
    orders: u64,
    /// Completed orders per customer (customer ids are per table, so keyed with its index).
    orders_per_customer: HashMap<(u32, u32), u32>,
}

impl Agg {
    fn add(&mut self, table: u32, customer: u32, amount: i64) {
        self.revenue += amount;
        self.orders += 1;
        *self
            .orders_per_customer
            .entry((table, customer))
            .or_default() += 1;
    }
    fn value(&self, id: &str) -> Option<f64> {
        let customers = self.orders_per_customer.len() as f64;
        match id {
            "revenue" => Some(self.revenue as f64 / SCALE as f64),
            "orders" => Some(self.orders as f64),
            "customers" => Some(customers),
            "aov" if self.orders > 0 => {
                Some(self.revenue as f64 / SCALE as f64 / self.orders as f64)
            }
            "repeat_customer_rate" if customers > 0.0 => Some(
                self.orders_per_customer
                    .values()
                    .filter(|n| **n >= 2)
                    .count() as f64
                    / customers,
            ),
            _ => None,
        }
    }
}

struct Spec {
    id: &'static str,
    label: &'static str,
    group: &'static str,
    unit: Unit,
    definition: &'static str,
    formula: &'static str,
    inputs: &'static [&'static str],
}

const SPECS: &[Spec] = &[
    Spec {
        id: "revenue",
        label: "Revenue",
        group: "Revenue",
        unit: Unit::Currency,
        definition:
            "Money from completed orders. Cancelled, returned and open orders are not counted.",
        formula: "sum(amount) over completed orders",
        inputs: &["orders.amount", "orders.status", "orders.order_date"],
    },
    Spec {
        id: "orders",
        label: "Orders",
        group: "Revenue",
        unit: Unit::Count,
        definition: "Number of completed orders, on any channel (web, EDI, email, phone...).",
        formula: "count(distinct order_id) over completed orders",
        inputs: &["orders.order_id", "orders.status", "orders.order_date"],
    },
    Spec {
        id: "customers",
        label: "Customers",
        group: "Acquisition",
        unit: Unit::Count,
        definition: "Distinct customers (accounts) with at least one completed order.",
        formula: "count(distinct customer_id) over completed orders",
        inputs: &["orders.customer_id", "orders.status", "orders.order_date"],
    },
    Spec {
        id: "aov",
        label: "Average order value",
        group: "Revenue",
        unit: Unit::Currency,
        definition: "What a completed order is worth on average.",
        formula: "revenue / orders",
        inputs: &["orders.amount", "orders.status"],
    },
    Spec {
        id: "repeat_customer_rate",
        label: "Repeat-customer rate",
        group: "Retention & loyalty",
        unit: Unit::Ratio,
        definition: "Share of ordering customers who placed two or more completed orders.",
        formula: "customers with >= 2 orders / customers",
        inputs: &["orders.customer_id", "orders.order_id", "orders.status"],
    },
];

/// Compute the order KPIs; also returns the first and last order day in range.
pub fn order_kpis(
    tables: &[&OrdersTable],
    opts: &ReportOptions,
) -> (Vec<Kpi>, Option<i32>, Option<i32>) {
    let mut total = Agg::default();
    let mut by_period: BTreeMap<i32, (String, Agg)> = BTreeMap::new();
    let mut by_dim: BTreeMap<&'static str, HashMap<String, Agg>> = BTreeMap::new();
    let (mut first, mut last) = (i32::MAX, i32::MIN);
    let from = opts.from.unwrap_or(i32::MIN);
    let to = opts.to.unwrap_or(i32::MAX);
    // Period labels are computed once per distinct day, not once per row.
    let mut period_cache: HashMap<i32, (i32, String)> = HashMap::new();
    for (ti, t) in tables.iter().enumerate() {
        let ti = ti as u32;
        let has_channel = t
            .channel
            .iter()
            .any(|c| *c != crate::table::Channel::Unknown);
        for i in 0..t.len() {
            let day = t.day[i];
            if t.status[i] != OrderStatus::Completed || day < from || day > to {
                continue;
            }
            first = first.min(day);
            last = last.max(day);
            let (cust, amount) = (t.customer[i], t.amount[i]);
            total.add(ti, cust, amount);
            let (pk, label) = period_cache
                .entry(day)
                .or_insert_with(|| period_of(day, opts.granularity))
                .clone();
            by_period
                .entry(pk)
                .or_insert_with(|| (label, Agg::default()))
                .1
                .add(ti, cust, amount);
            let mut dim = |name: &'static str, key: &str| {
                by_dim
                    .entry(name)
                    .or_default()
                    .entry(key.to_string())
                    .or_default()
                    .add(ti, cust, amount)
            };
            if t.salespeople.len() > 1 {
                dim("salesperson", t.salespeople.name(t.salesperson[i]));
            }
            if has_channel {
                dim("channel", t.channel[i].name());
            }
            if t.segments.len() > 1 {
                dim("segment", t.segments.name(t.segment[i]));
            }
            if t.regions.len() > 1 {
                dim("region", t.regions.name(t.region[i]));
            }
        }
    }
    let have_orders = !tables.is_empty();
    let kpis = SPECS
        .iter()
        .map(|s| {
            let value = if have_orders { total.value(s.id) } else { None };
            let series = by_period
                .values()
                .map(|(label, agg)| Point {
                    period: label.clone(),
                    value: agg.value(s.id),
                })
                .collect();
            let breakdowns = by_dim
                .iter()
                .map(|(dim, groups)| {
                    let mut slices: Vec<Slice> = groups
                        .iter()
                        .map(|(k, agg)| Slice {
                            key: k.clone(),
                            value: agg.value(s.id),
                        })
                        .collect();
                    slices.sort_by(|a, b| {
                        b.value
                            .unwrap_or(f64::MIN)
                            .total_cmp(&a.value.unwrap_or(f64::MIN))
                            .then_with(|| a.key.cmp(&b.key))
                    });
                    (dim.to_string(), slices)
                })
                .collect();
            let missing = if !have_orders {
                vec!["an orders file (order_id, customer_id, order_date, amount)".to_string()]
            } else if value.is_none() {
                vec!["completed orders in the selected range".to_string()]
            } else {
                vec![]
            };
            Kpi {
                id: s.id.into(),
                label: s.label.into(),
                group: s.group.into(),
                value,
                unit: s.unit,
                definition: s.definition.into(),
                formula: s.formula.into(),
                inputs: if have_orders {
                    s.inputs.iter().map(|x| x.to_string()).collect()
                } else {
                    vec![]
                },
                missing,
                series,
                breakdowns,
            }
        })
        .collect();
    let range = if first <= last {
        (Some(first), Some(last))
    } else {
        (None, None)
    };
    (kpis, range.0, range.1)
}
