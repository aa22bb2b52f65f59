//! Order KPIs: revenue, orders, customers, average order value, repeat-customer rate; each
//! over the selected range, as a series by period, and broken down by salesperson, channel,
//! segment and region.
//!
//! Computed from the columns in a few linear passes: rows are bucketed by group with a
//! counting sort, and distinct customers per group are counted with a stamp array indexed by
//! customer id. No hashing per row, so re-filtering a million orders stays in milliseconds.

use super::context::Ctx;
use super::{period_of, ReportOptions};
use crate::ingest::values::SCALE;
use crate::report::{Kpi, Point, Slice, Unit};
use crate::table::{Channel, Interner, OrderStatus};
use std::collections::BTreeMap;

/// Sums for one group of orders (a period, a salesperson...).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Agg {
    /// Sums are i128: no file can overflow them.
    pub revenue: i128,
    pub orders: u64,
    pub customers: u64,
    /// Customers with two or more orders in the group.
    pub repeat_customers: u64,
}

impl Agg {
    fn value(&self, id: &str) -> Option<f64> {
        let customers = self.customers as f64;
        match id {
            "revenue" => Some(self.revenue as f64 / SCALE as f64),
            "orders" => Some(self.orders as f64),
            "customers" => Some(customers),
            "aov" if self.orders > 0 => {
                Some(self.revenue as f64 / SCALE as f64 / self.orders as f64)
            }
            "repeat_customer_rate" if customers > 0.0 => {
                Some(self.repeat_customers as f64 / customers)
            }
            _ => None,
        }
    }
}

/// The completed orders in range, across all files, with customer and group ids global.
struct Rows<'a> {
    customer: Vec<u32>,
    amount: Vec<i64>,
    day: Vec<i32>,
    salesperson: Vec<u32>,
    channel: Vec<u32>,
    segment: Vec<u32>,
    region: Vec<u32>,
    customers: usize,
    salespeople: &'a Interner,
    segments: &'a Interner,
    regions: &'a Interner,
    has_channel: bool,
}

impl<'a> Rows<'a> {
    fn new(ctx: &'a Ctx) -> Rows<'a> {
        Rows::empty(
            ctx.customers.len(),
            [ctx.salespeople, ctx.segments, ctx.regions],
        )
    }

    /// No rows yet, for `customers` customer ids and these salesperson, segment and region
    /// names.
    fn empty(customers: usize, [salespeople, segments, regions]: [&'a Interner; 3]) -> Self {
        Rows {
            customer: Vec::new(),
            amount: Vec::new(),
            day: Vec::new(),
            salesperson: Vec::new(),
            channel: Vec::new(),
            segment: Vec::new(),
            region: Vec::new(),
            customers,
            salespeople,
            segments,
            regions,
            has_channel: false,
        }
    }
}

/// The report's arranged orders (already filtered, sorted by day, ids global, amounts net
/// of refunds) between `from` and `to`: two binary searches, then only the range is read.
/// (Reading the files' tables again cost half of a report on a million orders.)
fn collect_rows<'a>(ctx: &'a Ctx, from: i32, to: i32) -> Rows<'a> {
    let mut rows = Rows::new(ctx);
    let orders = &ctx.orders[..];
    let lo = orders.partition_point(|o| o.day < from);
    let hi = orders.partition_point(|o| o.day <= to).max(lo);
    let in_range = &orders[lo..hi];
    // Only the dimensions with two or more values are broken down (see `order_kpis`).
    let (by_sp, by_seg, by_reg) = (
        rows.salespeople.len() > 1,
        rows.segments.len() > 1,
        rows.regions.len() > 1,
    );
    // Room for every row: no regrowing of columns of up to a million rows.
    let n = in_range.len();
    rows.customer.reserve(n);
    rows.amount.reserve(n);
    rows.day.reserve(n);
    rows.channel.reserve(n);
    for (wanted, column) in [
        (by_sp, &mut rows.salesperson),
        (by_seg, &mut rows.segment),
        (by_reg, &mut rows.region),
    ] {
        if wanted {
            column.reserve(n);
        }
    }
    for o in in_range {
        if o.status != OrderStatus::Completed {
            continue;
        }
        rows.customer.push(o.customer);
        rows.amount.push(o.amount);
        rows.day.push(o.day);
        rows.channel.push(o.channel as u32);
        rows.has_channel |= o.channel != Channel::Unknown;
        if by_sp {
            rows.salesperson.push(o.salesperson);
        }
        if by_seg {
            rows.segment.push(o.segment);
        }
        if by_reg {
            rows.region.push(o.region);
        }
    }
    rows
}

/// Scratch space of `aggregate`, one slot per customer, reused across calls.
struct Scratch {
    stamp: Vec<u32>,
    count: Vec<u32>,
    /// Groups where the customer has one order, and two or more (bit g: group g).
    seen: Vec<(u64, u64)>,
}

/// Aggregate rows by a group id in `0..groups` (None: one group of every row).
fn aggregate(rows: &Rows, group: Option<&[u32]>, groups: usize, s: &mut Scratch) -> Vec<Agg> {
    if groups > 64 {
        let all_zero;
        let group = match group {
            Some(g) => g,
            None => {
                all_zero = vec![0; rows.customer.len()];
                &all_zero
            }
        };
        return aggregate_sorted(rows, group, groups, &mut s.stamp, &mut s.count);
    }
    if group.is_none() {
        // One group: a customer's order count (up to 2) is all its state, a byte.
        let mut count = vec![0u8; rows.customers];
        let mut agg = Agg::default();
        for (&c, &amount) in rows.customer.iter().zip(&rows.amount) {
            agg.revenue += amount as i128;
            agg.orders += 1;
            let n = &mut count[c as usize];
            agg.customers += u64::from(*n == 0);
            agg.repeat_customers += u64::from(*n == 1);
            *n = (*n + 1).min(2);
        }
        return vec![agg];
    }
    // Up to 64 groups, a customer's groups fit in two bit sets (seen once, seen twice), so
    // rows are read in their order: no sort, no scattered reads. Sums are integers. (The
    // sets of 50k customers stay in L2; wider sets, or all groupings at once, do not.)
    s.seen.clear();
    s.seen.resize(rows.customers, (0, 0));
    let mut out = vec![Agg::default(); groups];
    let ids = group.expect("one group is handled above");
    for ((&c, &amount), &g) in rows.customer.iter().zip(&rows.amount).zip(ids) {
        let bit = 1u64 << g;
        let agg = &mut out[g as usize];
        agg.revenue += amount as i128;
        agg.orders += 1;
        // Without branches: whether a customer was seen is unpredictable.
        let (once, twice) = &mut s.seen[c as usize];
        let first = *once & bit == 0;
        let second = !first && *twice & bit == 0;
        *once |= bit;
        *twice |= if first { 0 } else { bit };
        agg.customers += u64::from(first);
        agg.repeat_customers += u64::from(second);
    }
    out
}

/// `aggregate` for many groups: rows bucketed by group with a counting sort. `stamp` and
/// `count` are scratch arrays of one slot per customer.
fn aggregate_sorted(
    rows: &Rows,
    group: &[u32],
    groups: usize,
    stamp: &mut [u32],
    count: &mut [u32],
) -> Vec<Agg> {
    // Counting sort of row indices by group.
    let mut start = vec![0u32; groups + 1];
    for &g in group {
        start[g as usize + 1] += 1;
    }
    for g in 0..groups {
        start[g + 1] += start[g];
    }
    let mut next = start.clone();
    let mut order = vec![0u32; group.len()];
    for (i, &g) in group.iter().enumerate() {
        order[next[g as usize] as usize] = i as u32;
        next[g as usize] += 1;
    }
    let mut out = vec![Agg::default(); groups];
    for (g, agg) in out.iter_mut().enumerate() {
        // Stamps are unique per (call, group): a customer's count resets lazily.
        let mark = g as u32 + 1;
        for &i in &order[start[g] as usize..start[g + 1] as usize] {
            let i = i as usize;
            let c = rows.customer[i] as usize;
            agg.revenue += rows.amount[i] as i128;
            agg.orders += 1;
            if stamp[c] != mark {
                stamp[c] = mark;
                count[c] = 0;
                agg.customers += 1;
            }
            count[c] += 1;
            if count[c] == 2 {
                agg.repeat_customers += 1;
            }
        }
    }
    // Leave the stamps clean for the next dimension.
    stamp.iter_mut().for_each(|s| *s = 0);
    out
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

/// One dimension's groups: labels and sums.
struct Dimension {
    name: &'static str,
    labels: Vec<String>,
    aggs: Vec<Agg>,
}

/// Compute the order KPIs of `ctx`'s orders (its filters applied) between `opts.from` and
/// `opts.to`, on `opts.granularity`; also returns the first and last order day in range.
pub fn order_kpis(ctx: &Ctx, opts: &ReportOptions) -> (Vec<Kpi>, Option<i32>, Option<i32>) {
    let rows = collect_rows(
        ctx,
        opts.from.unwrap_or(i32::MIN),
        opts.to.unwrap_or(i32::MAX),
    );
    let mut scratch = Scratch {
        stamp: vec![0u32; rows.customers],
        count: vec![0u32; rows.customers],
        seen: Vec::new(),
    };
    // The arranged orders are sorted by day.
    let first = rows.day.first().copied();
    let last = rows.day.last().copied();

    let total = aggregate(&rows, None, 1, &mut scratch)[0];

    // Periods: a lookup table from day to period index over the data's day span.
    let (mut period_labels, mut period_ids) = (Vec::new(), Vec::new());
    // The period axis is the report's range (set by `compute`), so every KPI's series
    // lines up, with zero-revenue periods where there were no orders.
    let axis = match (opts.from, opts.to) {
        (Some(a), Some(b)) if a <= b && b - a < 200 * 366 => Some((a, b)),
        _ => first.zip(last),
    };
    if let Some((first, last)) = axis {
        let mut keys: BTreeMap<i32, String> = BTreeMap::new();
        let by_day: Vec<i32> = (first..=last)
            .map(|d| {
                let (k, label) = period_of(d, opts.granularity);
                keys.entry(k).or_insert(label);
                k
            })
            .collect();
        let index: BTreeMap<i32, u32> = keys
            .keys()
            .enumerate()
            .map(|(i, k)| (*k, i as u32))
            .collect();
        let day_to_period: Vec<u32> = by_day.iter().map(|k| index[k]).collect();
        period_ids = rows
            .day
            .iter()
            .map(|d| day_to_period[(d - first) as usize])
            .collect();
        period_labels = keys.into_values().collect();
    }
    let by_period = aggregate(&rows, Some(&period_ids), period_labels.len(), &mut scratch);

    let mut dims = Vec::new();
    let mut dimension = |name, labels: Vec<String>, group: &[u32]| {
        let aggs = aggregate(&rows, Some(group), labels.len(), &mut scratch);
        dims.push(Dimension { name, labels, aggs });
    };
    let names = |i: &Interner| i.names().map(str::to_string).collect::<Vec<_>>();
    if rows.salespeople.len() > 1 {
        dimension("salesperson", names(rows.salespeople), &rows.salesperson);
    }
    if rows.has_channel {
        let labels = Channel::ALL.iter().map(|c| c.name().to_string()).collect();
        dimension("channel", labels, &rows.channel);
    }
    if rows.segments.len() > 1 {
        dimension("segment", names(rows.segments), &rows.segment);
    }
    if rows.regions.len() > 1 {
        dimension("region", names(rows.regions), &rows.region);
    }

    let have_orders = ctx.has_orders;
    let kpis = SPECS
        .iter()
        .map(|s| {
            let value = if have_orders { total.value(s.id) } else { None };
            let series = period_labels
                .iter()
                .zip(&by_period)
                .map(|(label, agg)| Point {
                    period: label.clone(),
                    value: agg.value(s.id),
                })
                .collect();
            let breakdowns = dims
                .iter()
                .map(|d| {
                    let mut slices: Vec<Slice> = d
                        .labels
                        .iter()
                        .zip(&d.aggs)
                        .filter(|(_, a)| a.orders > 0)
                        .map(|(k, a)| Slice {
                            key: k.clone(),
                            value: a.value(s.id),
                        })
                        .collect();
                    slices.sort_by(|a, b| {
                        b.value
                            .unwrap_or(f64::MIN)
                            .total_cmp(&a.value.unwrap_or(f64::MIN))
                            .then_with(|| a.key.cmp(&b.key))
                    });
                    (d.name.to_string(), slices)
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
                previous_value: None,
                last_year_value: None,
                higher_is_better: true,
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
    (kpis, first, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bit-set aggregation (up to 64 groups) agrees with the sorting one.
    #[test]
    fn bit_sets_agree_with_sorting() {
        let mut state = 12345u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        for groups in [1usize, 2, 7, 63, 64, 65, 128] {
            let none = Interner::default();
            let mut rows = Rows::empty(40, [&none; 3]);
            let mut group = Vec::new();
            for _ in 0..3000 {
                rows.customer.push(next(40) as u32);
                rows.amount.push(next(10_000) as i64 - 100);
                group.push(next(groups as u64) as u32);
            }
            let mut s = Scratch {
                stamp: vec![0; 40],
                count: vec![0; 40],
                seen: Vec::new(),
            };
            let sorted = aggregate_sorted(&rows, &group, groups, &mut s.stamp, &mut s.count);
            assert_eq!(aggregate(&rows, Some(&group), groups, &mut s), sorted);
            let zeros = vec![0; group.len()];
            let one = aggregate_sorted(&rows, &zeros, 1, &mut s.stamp, &mut s.count);
            assert_eq!(aggregate(&rows, None, 1, &mut s), one);
        }
    }
}
