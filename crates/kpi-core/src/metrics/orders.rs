//! Order KPIs: revenue, orders, customers, average order value, repeat-customer rate; each
//! over the selected range, as a series by period, and broken down by salesperson, channel,
//! segment and region.
//!
//! Computed in two linear passes over the report's arranged orders, in place (no copy of
//! the rows: at 5M orders a copy of the columns was 140 MB): one for the totals and periods,
//! one for the groups of every dimension, a customer's groups being bit sets. Distinct
//! customers are counted per customer id, with no hashing per row, so re-filtering a million
//! orders stays in milliseconds. A dimension of more than 64 values is summed by sorting.

use super::context::{Ctx, OrderColumns, OrderRow};
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
    fn add(&mut self, other: &Agg) {
        self.revenue += other.revenue;
        self.orders += other.orders;
        self.customers += other.customers;
        self.repeat_customers += other.repeat_customers;
    }

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

/// A dimension the order KPIs are broken down by, read off an order.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Salesperson,
    Channel,
    Segment,
    Region,
}

impl Field {
    #[inline]
    fn of(self, o: &OrderRow, columns: &OrderColumns) -> u32 {
        match self {
            Field::Salesperson => columns.salesperson(o),
            Field::Channel => o.channel as u32,
            Field::Segment => columns.segment(o),
            Field::Region => columns.region(o),
        }
    }
}

/// Sums of completed orders: over all of them, by period, and by group of some dimensions
/// packed into one 64-bit set (`by_bit[offset + g]`). Integer sums, so equal to any other
/// order of summing.
struct Pass {
    total: Agg,
    by_period: Vec<Agg>,
    by_bit: Vec<Agg>,
}

/// The totals and the sums by period of the completed `orders` (day-sorted):
/// `period_of_day[day - first_day]` is nondecreasing in day, so a customer's count in a
/// period resets lazily when a later period comes. Per customer one u32 (1 MB for 250k
/// customers): the passes over the orders are bound by these random reads, and a small
/// state and a short loop keep many of them in flight.
fn totals_pass(
    orders: &[OrderRow],
    customers: usize,
    (first_day, period_of_day, periods): (i32, &[u32], usize),
) -> Pass {
    // (period index + 1) << 4 | orders in that period (up to 2) << 2 | orders in all (up
    // to 2).
    let mut seen = vec![0u32; customers];
    let mut by_period = vec![Agg::default(); periods];
    // The sums go to locals, the current period's handed over when the next one starts
    // (periods come in order): summed in place, every order added to the same few
    // addresses, each add waiting for the one before to be stored.
    let mut total = Agg::default();
    let (mut current, mut in_period) = (usize::MAX, Agg::default());
    for (i, o) in orders.iter().enumerate() {
        super::prefetch::ahead(orders, i, &seen);
        if o.status != OrderStatus::Completed {
            continue;
        }
        let state = &mut seen[o.customer as usize];
        let amount = o.amount as i128;
        let all = *state & 3;
        total.revenue += amount;
        total.orders += 1;
        total.customers += u64::from(all == 0);
        total.repeat_customers += u64::from(all == 1);
        let p = period_of_day[(o.day - first_day) as usize];
        if p as usize != current {
            if let Some(agg) = by_period.get_mut(current) {
                agg.add(&in_period);
            }
            (current, in_period) = (p as usize, Agg::default());
        }
        let stamp = (p + 1) << 4;
        let count = if *state & !15 == stamp {
            (*state >> 2) & 3
        } else {
            0
        };
        in_period.revenue += amount;
        in_period.orders += 1;
        in_period.customers += u64::from(count == 0);
        in_period.repeat_customers += u64::from(count == 1);
        *state = stamp | (count + 1).min(2) << 2 | (all + 1).min(2);
    }
    if let Some(agg) = by_period.get_mut(current) {
        agg.add(&in_period);
    }
    Pass {
        total,
        by_period,
        by_bit: Vec::new(),
    }
}

/// A dimension's place in a 64-bit set of groups.
#[derive(Debug, Clone, Copy)]
struct Packed {
    field: Field,
    offset: u32,
}

/// The sums by group of the `packed` dimensions (at most the four of `Field`, each
/// `offset + groups` at most 64) of the completed `orders`: a customer's groups are two bit
/// sets (seen once, seen twice), so orders are read in their order, no sort. An order's bit
/// in each dimension is found once.
fn groups_pass(
    orders: &[OrderRow],
    customers: usize,
    packed: &[Packed],
    columns: &OrderColumns,
) -> Pass {
    // The usual file: one orders file's salespeople and the channel. Their bits read
    // straight off the salesperson column and the order, not through a per-dimension match
    // and the file lookup of `OrderColumns` (which was a tenth of a first report's
    // instructions, natively). The fixed two bits are the point: the one-file column
    // handed to `Field::of` in the general loop kept a sixth of the gain (measured).
    if let ([sp, ch], Some(salespeople)) = (packed, columns.one_file_salespeople()) {
        if sp.field == Field::Salesperson && ch.field == Field::Channel {
            let (sp, ch) = (sp.offset, ch.offset);
            return groups_pass_with(orders, customers, 2, |o| {
                [
                    sp + salespeople[o.order as usize],
                    ch + o.channel as u32,
                    0,
                    0,
                ]
            });
        }
    }
    groups_pass_with(orders, customers, packed.len(), |o| {
        let mut bits = [0u32; 4];
        for (bit, d) in bits.iter_mut().zip(packed) {
            *bit = d.offset + d.field.of(o, columns);
        }
        bits
    })
}

/// `groups_pass`, an order's bits (the first `n` of four) given by `bits_of`.
#[inline(always)]
fn groups_pass_with(
    orders: &[OrderRow],
    customers: usize,
    n: usize,
    bits_of: impl Fn(&OrderRow) -> [u32; 4],
) -> Pass {
    let mut seen = vec![(0u64, 0u64); customers];
    let mut pass = Pass {
        total: Agg::default(),
        by_period: Vec::new(),
        by_bit: vec![Agg::default(); 64],
    };
    for (i, o) in orders.iter().enumerate() {
        super::prefetch::ahead(orders, i, &seen);
        if o.status != OrderStatus::Completed {
            continue;
        }
        let (once, twice) = &mut seen[o.customer as usize];
        let amount = o.amount as i128;
        // Without branches: whether a customer was seen in a group is unpredictable.
        let bits = bits_of(o);
        let mask = bits[..n].iter().fold(0u64, |m, &bit| m | 1u64 << bit);
        let first = mask & !*once;
        let second = mask & *once & !*twice;
        *twice |= mask & *once;
        *once |= mask;
        for &bit in &bits[..n] {
            let agg = &mut pass.by_bit[bit as usize];
            agg.revenue += amount;
            agg.orders += 1;
            agg.customers += (first >> bit) & 1;
            agg.repeat_customers += (second >> bit) & 1;
        }
    }
    pass
}

/// `aggregate` for many groups: rows bucketed by group with a counting sort. `stamp` and
/// `count` are scratch arrays of one slot per customer.
fn aggregate_sorted(
    (customer, amount): (&[u32], &[i64]),
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
            let c = customer[i] as usize;
            agg.revenue += amount[i] as i128;
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

/// The groups of the order KPIs of the last few ranges and filters, by the filters and the
/// range's first and one past its last index in the filtered orders. Twelve: a report with
/// a range sums three ranges (the range, the one before, a year earlier); four such views.
#[derive(Debug, Default)]
pub struct KeptGroups(super::Recent<(super::Filters, usize, usize), Vec<Dimension>, 12>);

/// One dimension's groups: labels and sums.
#[derive(Debug)]
struct Dimension {
    name: &'static str,
    labels: Vec<String>,
    aggs: Vec<Agg>,
}

/// The order KPIs' sums by group of every dimension with two or more values, over the
/// completed orders of `in_range`.
fn dimensions(ctx: &Ctx, in_range: &[OrderRow]) -> Vec<Dimension> {
    let completed = |o: &&OrderRow| o.status == OrderStatus::Completed;
    // The dimensions with two or more values (id 0 is "none"); the channel is dropped
    // below when no order has one.
    let names = |i: &Interner| i.names().map(str::to_string).collect::<Vec<_>>();
    let mut wanted: Vec<(&'static str, Field, Vec<String>)> = Vec::new();
    if ctx.salespeople.len() > 1 {
        wanted.push(("salesperson", Field::Salesperson, names(ctx.salespeople)));
    }
    let channels = Channel::ALL.iter().map(|c| c.name().to_string()).collect();
    wanted.push(("channel", Field::Channel, channels));
    if ctx.segments.len() > 1 {
        wanted.push(("segment", Field::Segment, names(ctx.segments)));
    }
    if ctx.regions.len() > 1 {
        wanted.push(("region", Field::Region, names(ctx.regions)));
    }
    // Dimensions packed into passes of 64 bits of groups (the salespeople and channels of a
    // usual file share one); one of more than 64 groups is summed by sorting.
    let mut lanes: Vec<(Vec<Packed>, u32)> = Vec::new();
    let mut placed: Vec<Option<(usize, u32)>> = Vec::new();
    for (_, field, labels) in &wanted {
        let groups = labels.len() as u32;
        if groups > 64 {
            placed.push(None);
            continue;
        }
        let lane = match lanes.iter().position(|(_, used)| used + groups <= 64) {
            Some(lane) => lane,
            None => {
                lanes.push((Vec::new(), 0));
                lanes.len() - 1
            }
        };
        let (packed, used) = &mut lanes[lane];
        packed.push(Packed {
            field: *field,
            offset: *used,
        });
        placed.push(Some((lane, *used)));
        *used += groups;
    }
    let customers = ctx.customers.len();
    let passes: Vec<Pass> = lanes
        .iter()
        .map(|(packed, _)| groups_pass(in_range, customers, packed, &ctx.columns))
        .collect();

    let mut dims = Vec::new();
    for ((name, field, labels), place) in wanted.into_iter().zip(placed) {
        let aggs = match place {
            Some((lane, offset)) => passes[lane].by_bit[offset as usize..][..labels.len()].to_vec(),
            None => {
                let (mut customer, mut amount, mut group) = (Vec::new(), Vec::new(), Vec::new());
                for o in in_range.iter().filter(completed) {
                    customer.push(o.customer);
                    amount.push(o.amount);
                    group.push(field.of(o, &ctx.columns));
                }
                let (mut stamp, mut count) = (vec![0; customers], vec![0; customers]);
                aggregate_sorted(
                    (&customer, &amount),
                    &group,
                    labels.len(),
                    &mut stamp,
                    &mut count,
                )
            }
        };
        let unknown = Channel::Unknown as usize;
        let has_channel = aggs
            .iter()
            .enumerate()
            .any(|(c, a)| c != unknown && a.orders > 0);
        if field == Field::Channel && !has_channel {
            continue;
        }
        dims.push(Dimension { name, labels, aggs });
    }

    dims
}

/// Compute the order KPIs of `ctx`'s orders (its filters applied) between `opts.from` and
/// `opts.to`, on `opts.granularity`; also returns the first and last order day in range.
pub fn order_kpis(
    ctx: &Ctx,
    opts: &ReportOptions,
    kept: &mut KeptGroups,
) -> (Vec<Kpi>, Option<i32>, Option<i32>) {
    let orders = &ctx.orders[..];
    let (from, to) = (opts.from.unwrap_or(i32::MIN), opts.to.unwrap_or(i32::MAX));
    let lo = orders.partition_point(|o| o.day < from);
    let hi = orders.partition_point(|o| o.day <= to).max(lo);
    let in_range = &orders[lo..hi];
    // The first and last completed order in range (the orders are sorted by day).
    let completed = |o: &&OrderRow| o.status == OrderStatus::Completed;
    let first = in_range.iter().find(completed).map(|o| o.day);
    let last = in_range.iter().rev().find(completed).map(|o| o.day);

    // Periods: a lookup table from day to period index over the axis.
    let (mut period_labels, mut period_of_day, mut axis_first) = (Vec::new(), Vec::new(), 0);
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
        period_of_day = by_day.iter().map(|k| index[k]).collect();
        period_labels = keys.into_values().collect();
        axis_first = first;
    }

    let axis = (axis_first, &period_of_day[..], period_labels.len());
    let Pass {
        total, by_period, ..
    } = totals_pass(in_range, ctx.customers.len(), axis);
    // The groups do not depend on the periods: a change of period over the same orders
    // takes them from the view before.
    let key = (opts.filters.clone(), lo, hi);
    let dims = kept.0.get_or_insert_with(key, || dimensions(ctx, in_range));

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
    use crate::table::Ids;

    /// The one-pass sums (periods with lazy counts, up to 64 groups of several dimensions
    /// in one bit set) agree with sorting each grouping's completed orders.
    #[test]
    fn passes_agree_with_sorting() {
        let mut state = 12345u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        for (salespeople, segments, periods) in [(1u64, 1u64, 1usize), (7, 3, 5), (40, 18, 13)] {
            let customers = 40;
            let mut day = 0;
            let (mut salesperson, mut segment) = (Vec::new(), Vec::new());
            let orders: Vec<OrderRow> = (0..3000)
                .map(|order| {
                    day += next(2) as i32; // sorted by day, several orders a day
                    let status = match next(10) {
                        0 => OrderStatus::Cancelled,
                        1 => OrderStatus::Returned,
                        _ => OrderStatus::Completed,
                    };
                    let channel = Channel::ALL[next(6) as usize];
                    salesperson.push(next(salespeople) as u32);
                    segment.push(next(segments) as u32);
                    let amount = next(10_000) as i64 - 100;
                    let row = (next(customers) as u32, day, amount);
                    OrderRow::for_test(row, status, channel, order)
                })
                .collect();
            // Periods: `periods` runs of days, in order.
            let last_day = orders.last().unwrap().day;
            let period_of_day: Vec<u32> = (0..=last_day)
                .map(|d| (d as usize * periods / (last_day as usize + 1)) as u32)
                .collect();
            let completed: Vec<&OrderRow> = orders
                .iter()
                .filter(|o| o.status == OrderStatus::Completed)
                .collect();
            let customer: Vec<u32> = completed.iter().map(|o| o.customer).collect();
            let amount: Vec<i64> = completed.iter().map(|o| o.amount).collect();
            let (mut stamp, mut count) = (vec![0; 40], vec![0; 40]);
            let mut sorted = |group: Vec<u32>, groups: usize| {
                aggregate_sorted((&customer, &amount), &group, groups, &mut stamp, &mut count)
            };
            let by_period = completed
                .iter()
                .map(|o| period_of_day[o.day as usize])
                .collect();
            let totals = totals_pass(&orders, 40, (0, &period_of_day, periods));
            assert_eq!(totals.total, sorted(vec![0; customer.len()], 1)[0]);
            assert_eq!(totals.by_period, sorted(by_period, periods));
            let fields = [
                (Field::Salesperson, salespeople as usize),
                (Field::Channel, 6),
                (Field::Segment, segments as usize),
            ];
            let mut packed = Vec::new();
            let mut offset = 0;
            for (field, groups) in fields {
                packed.push(Packed { field, offset });
                offset += groups as u32;
            }
            assert!(offset <= 64);
            let (segment, none) = (Ids::from_vec(segment), Ids::from_vec(vec![0; orders.len()]));
            let columns = OrderColumns::for_test(&salesperson, &segment, &none, &none);
            let pass = groups_pass(&orders, 40, &packed, &columns);
            for (d, (field, groups)) in packed.iter().zip(fields) {
                let ids = completed.iter().map(|o| field.of(o, &columns)).collect();
                let at = d.offset as usize;
                assert_eq!(pass.by_bit[at..at + groups], sorted(ids, groups)[..]);
            }
            // The usual lane (one file's salespeople and the channel), whose bits are read
            // straight off the columns.
            let usual = &packed[..2];
            let pass = groups_pass(&orders, 40, usual, &columns);
            for (d, (field, groups)) in usual.iter().zip(fields) {
                let ids = completed.iter().map(|o| field.of(o, &columns)).collect();
                let at = d.offset as usize;
                assert_eq!(pass.by_bit[at..at + groups], sorted(ids, groups)[..]);
            }
        }
    }
}
