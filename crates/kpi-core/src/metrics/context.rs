//! What every KPI function needs: the report range, its periods, and the data arranged once
//! (orders flattened across files with customers merged by name; other files by kind).

use super::{period_of, Dataset, ReportOptions};
use crate::ingest::generic::GenericTable;
use crate::ingest::schema::FileKind;
use crate::table::{Channel, Interner, OrderStatus};

/// One period of the report: label and inclusive day span.
#[derive(Debug, Clone)]
pub struct Period {
    pub label: String,
    pub start: i32,
    pub end: i32,
}

/// One order, flattened from any orders file.
#[derive(Debug, Clone, Copy)]
pub struct OrderRow {
    pub customer: u32,
    pub day: i32,
    pub amount: i64,
    pub margin: Option<i64>,
    pub channel: Channel,
    pub status: OrderStatus,
    /// Global order id (by the order number's text).
    pub order: u32,
}

pub struct Ctx<'a> {
    pub from: i32,
    pub to: i32,
    pub periods: Vec<Period>,
    /// Periods in a year for the granularity (12, 4 or 1).
    pub periods_per_year: usize,
    /// Every order of every orders file, sorted by day.
    pub orders: Vec<OrderRow>,
    pub customers: Interner,
    pub order_ids: Interner,
    pub has_orders: bool,
    pub has_margin: bool,
    /// First completed order day per customer (over all data, not only the range).
    pub first_order: Vec<i32>,
    pub data: &'a Dataset,
    pub online_launch: Option<i32>,
}

impl<'a> Ctx<'a> {
    pub fn new(data: &'a Dataset, opts: &ReportOptions) -> Ctx<'a> {
        let mut customers = Interner::default();
        let mut order_ids = Interner::default();
        let mut orders = Vec::new();
        let mut has_margin = false;
        for t in data.orders() {
            let cust: Vec<u32> = t.customers.names().map(|n| customers.intern(n)).collect();
            let ids: Vec<u32> = t.order_ids.names().map(|n| order_ids.intern(n)).collect();
            has_margin |= t.margin.is_some();
            for i in 0..t.len() {
                orders.push(OrderRow {
                    customer: cust[t.customer[i] as usize],
                    day: t.day[i],
                    amount: t.amount[i],
                    margin: t.margin.as_ref().map(|m| m[i]),
                    channel: t.channel[i],
                    status: t.status[i],
                    order: ids[t.order_id[i] as usize],
                });
            }
        }
        orders.sort_by_key(|o| o.day);
        let mut first_order = vec![i32::MAX; customers.len()];
        for o in orders.iter().filter(|o| o.status == OrderStatus::Completed) {
            let f = &mut first_order[o.customer as usize];
            *f = (*f).min(o.day);
        }
        // The range: what the user chose, else the span of all dated rows.
        let (mut lo, mut hi) = (i32::MAX, i32::MIN);
        for o in &orders {
            lo = lo.min(o.day);
            hi = hi.max(o.day);
        }
        if orders.is_empty() {
            for f in &data.files {
                if let crate::ingest::Table::Other(t) = &f.table {
                    for (_, c) in &t.columns {
                        if let crate::ingest::generic::Column::Date(days) = c {
                            for &d in days
                                .iter()
                                .filter(|d| **d != crate::ingest::columns::NO_DATE)
                            {
                                lo = lo.min(d);
                                hi = hi.max(d);
                            }
                        }
                    }
                }
            }
        }
        // Unless the user chose them, the range's ends snap to whole periods: a spend file
        // dated on the 1st of each month belongs to a range whose first order is on the 5th.
        let key = |d: i32| period_of(d, opts.granularity).0;
        let from = opts.from.unwrap_or_else(|| {
            let mut d = lo;
            while lo != i32::MAX && d > lo - 370 && key(d - 1) == key(lo) {
                d -= 1;
            }
            d
        });
        let to = opts.to.unwrap_or_else(|| {
            let mut d = hi;
            while hi != i32::MIN && d < hi + 370 && key(d + 1) == key(hi) {
                d += 1;
            }
            d
        });
        let mut periods: Vec<Period> = Vec::new();
        if from <= to && to - from < 200 * 366 {
            for d in from..=to {
                let (_, label) = period_of(d, opts.granularity);
                match periods.last_mut() {
                    Some(p) if p.label == label => p.end = d,
                    _ => periods.push(Period {
                        label,
                        start: d,
                        end: d,
                    }),
                }
            }
        }
        let periods_per_year = match opts.granularity {
            crate::report::Granularity::Month => 12,
            crate::report::Granularity::Quarter => 4,
            crate::report::Granularity::Year => 1,
        };
        Ctx {
            from,
            to,
            periods,
            periods_per_year,
            has_orders: !data.orders().is_empty(),
            orders,
            customers,
            order_ids,
            has_margin,
            first_order,
            data,
            online_launch: opts.online_launch,
        }
    }

    /// Orders with a day in `[a, b]`.
    pub fn orders_in(&self, a: i32, b: i32) -> &[OrderRow] {
        let lo = self.orders.partition_point(|o| o.day < a);
        let hi = self.orders.partition_point(|o| o.day <= b);
        &self.orders[lo..hi]
    }

    /// The first imported table of `kind`.
    pub fn table(&self, kind: FileKind) -> Option<&'a GenericTable> {
        self.data.files.iter().find_map(|f| f.other(kind))
    }
}
