//! What every KPI function needs: the report range, its periods, and the data arranged once
//! (orders flattened across files with customers merged by name; other files by kind).

use super::{period_of, Dataset, ReportOptions};
use crate::ingest::generic::GenericTable;
use crate::ingest::schema::FileKind;
use crate::table::{Channel, Ids, Interner, OrderStatus};

/// One period of the report: label and inclusive day span.
#[derive(Debug, Clone)]
pub struct Period {
    pub label: String,
    pub start: i32,
    pub end: i32,
}

/// One order, flattened from any orders file: what the reports read on every view. Its
/// other fields (salesperson, segment, region, user, margin) stay in its file's columns,
/// read by `order` (`OrderColumns`): 24 bytes instead of 48, for the arranged orders (229
/// MiB at 5M orders before) and for every pass and copy of them. The salesperson left last
/// (32 -> 24 bytes): only filters and groups read it, and arranging pays for fresh memory
/// by the byte (a first touch costs ~1 ms per MB in a Chromium worker).
#[derive(Debug, Clone, Copy)]
pub struct OrderRow {
    pub customer: u32,
    pub day: i32,
    pub amount: i64,
    /// Global order number: the row's place in its file, after the earlier files' rows.
    pub order: u32,
    pub channel: Channel,
    pub status: OrderStatus,
}

const _: () = assert!(std::mem::size_of::<OrderRow>() == 24);

impl OrderRow {
    /// An order of number `order` without margin or user, for the metrics' own tests.
    #[cfg(test)]
    pub(super) fn for_test(
        (customer, day, amount): (u32, i32, i64),
        status: OrderStatus,
        channel: Channel,
        order: u32,
    ) -> OrderRow {
        OrderRow {
            customer,
            day,
            amount,
            channel,
            status,
            order,
        }
    }
}

/// The fields of orders that `OrderRow` does not carry, read from each orders file's
/// columns by global order number.
pub struct OrderColumns<'a> {
    files: Vec<FileColumns<'a>>,
}

struct FileColumns<'a> {
    /// The file's first global order number.
    first: u32,
    salesperson: &'a [u32],
    segment: &'a Ids,
    region: &'a Ids,
    user: &'a Ids,
    margin: Option<&'a [i64]>,
    /// The file's own ids of segments, regions, users and salespeople -> global ones
    /// (empty: the same).
    to_global: [&'a [u32]; 4],
}

impl<'a> OrderColumns<'a> {
    /// Columns of one file numbered from 0, for the metrics' own tests.
    #[cfg(test)]
    pub(super) fn for_test(
        salesperson: &'a [u32],
        segment: &'a Ids,
        region: &'a Ids,
        user: &'a Ids,
    ) -> Self {
        OrderColumns {
            files: vec![FileColumns {
                first: 0,
                salesperson,
                segment,
                region,
                user,
                margin: None,
                to_global: [&[], &[], &[], &[]],
            }],
        }
    }

    #[inline]
    fn at(&self, order: u32) -> (&FileColumns<'a>, usize) {
        let file = match self.files.as_slice() {
            [one] => one,
            files => &files[files.partition_point(|f| f.first <= order) - 1],
        };
        (file, (order - file.first) as usize)
    }

    #[inline]
    fn global(map: &[u32], local: u32) -> u32 {
        if map.is_empty() {
            local
        } else {
            map[local as usize]
        }
    }

    /// The salesperson column when there is one orders file (its ids are the global ones,
    /// its rows numbered from 0).
    pub(super) fn one_file_salespeople(&self) -> Option<&'a [u32]> {
        match self.files.as_slice() {
            [one] if one.first == 0 && one.to_global[3].is_empty() => Some(one.salesperson),
            _ => None,
        }
    }

    /// Global id in `Ctx::salespeople` (0 = none).
    #[inline]
    pub fn salesperson(&self, o: &OrderRow) -> u32 {
        let (f, i) = self.at(o.order);
        Self::global(f.to_global[3], f.salesperson[i])
    }

    /// Global id in `Ctx::segments` (0 = none).
    #[inline]
    pub fn segment(&self, o: &OrderRow) -> u32 {
        let (f, i) = self.at(o.order);
        Self::global(f.to_global[0], f.segment.get(i))
    }

    /// Global id in `Ctx::regions` (0 = none).
    #[inline]
    pub fn region(&self, o: &OrderRow) -> u32 {
        let (f, i) = self.at(o.order);
        Self::global(f.to_global[1], f.region.get(i))
    }

    /// Might an order name a buyer account? False when no orders file has a user column
    /// (its ids all 0), which spares reading every order for one.
    pub fn any_user(&self) -> bool {
        self.files.iter().any(|f| !f.user.all_zero())
    }

    /// Global id in `Ctx::users` (0 = none).
    #[inline]
    pub fn user(&self, o: &OrderRow) -> u32 {
        let (f, i) = self.at(o.order);
        Self::global(f.to_global[2], f.user.get(i))
    }

    /// The margin, when its file has a margin column.
    #[inline]
    pub fn margin(&self, o: &OrderRow) -> Option<i64> {
        self.margin_slot(o).copied()
    }

    /// Where `margin(o)` is read from, when its file has a margin column.
    #[inline]
    fn margin_slot(&self, o: &OrderRow) -> Option<&'a i64> {
        let (f, i) = self.at(o.order);
        f.margin.and_then(|m| m.get(i))
    }
}

/// The orders of every orders file flattened into one day-sorted list, with customers and
/// the other names merged by text. Built once per dataset and shared by every view of it
/// (filters, periods, ranges, each breakdown slice): a view only filters this list, so
/// changing a filter never re-reads, re-interns or re-sorts the orders.
pub struct Prepared {
    orders: Vec<OrderRow>,
    customers: Interner,
    salespeople: Interner,
    segments: Interner,
    regions: Interner,
    users: Interner,
    /// Where each orders file's rows start in the global order numbering.
    order_offsets: Vec<u32>,
    /// Per orders file, its ids of segments, regions, users and salespeople -> global ones
    /// (empty with one file: its ids are the global ones).
    id_maps: Vec<[Vec<u32>; 4]>,
    has_orders: bool,
    has_margin: bool,
}

impl Prepared {
    pub fn new(data: &Dataset) -> Prepared {
        let mut customers = Interner::default();
        let (mut salespeople, mut segments, mut regions) = (
            Interner::default(),
            Interner::default(),
            Interner::default(),
        );
        let mut users = Interner::default();
        users.intern("(none)");
        let mut orders = Vec::new();
        let mut has_margin = false;
        // Rows of file k are numbered from the sum of the earlier files' lengths.
        let mut order_offsets: Vec<u32> = Vec::new();
        let mut id_maps = Vec::new();
        let mut rows_before = 0u32;
        let tables_of_orders = data.orders();
        if let [t] = tables_of_orders.as_slice() {
            // One orders file (the usual case): its own ids are global; cloning the interners
            // is a copy of their arenas, far cheaper than interning a million ids again.
            customers = t.customers.clone();
            salespeople = t.salespeople.clone();
            segments = t.segments.clone();
            regions = t.regions.clone();
            users = t.users.clone();
        }
        let single = tables_of_orders.len() == 1;
        let refunds = super::refunds(data);
        for (ti, t) in tables_of_orders.iter().enumerate() {
            let refund = |i: usize| refunds.get(ti).and_then(|r| r.get(i)).copied().unwrap_or(0);
            let map = |local: &Interner, g: &mut Interner| -> Vec<u32> {
                if single {
                    Vec::new()
                } else {
                    local.names().map(|n| g.intern(n)).collect()
                }
            };
            let cust = map(&t.customers, &mut customers);
            let offset = rows_before;
            order_offsets.push(offset);
            rows_before += t.len() as u32;
            let (sp, seg, reg) = (
                map(&t.salespeople, &mut salespeople),
                map(&t.segments, &mut segments),
                map(&t.regions, &mut regions),
            );
            let usr = map(&t.users, &mut users);
            let id = |v: &Vec<u32>, local: u32| if single { local } else { v[local as usize] };
            has_margin |= t.margin.is_some();
            let cust_of = |i: usize| id(&cust, t.customer[i]);
            orders.reserve(t.len());
            for i in 0..t.len() {
                orders.push(OrderRow {
                    customer: cust_of(i),
                    day: t.day[i],
                    // Net of refunds, like revenue (only completed orders are ever refunded).
                    amount: t.amount[i].saturating_sub(refund(i)),
                    channel: t.channel[i],
                    status: t.status[i],
                    order: offset + i as u32,
                });
            }
            id_maps.push([seg, reg, usr, sp]);
        }
        // Orders of one day keep their file order: `order` rises in that order, so sorting
        // by (day, order) is the stable sort by day. In place: a stable sort takes a scratch
        // half as big as the orders (114 MB at 5M orders, for good in a WebAssembly
        // memory). Exports are usually by date already: nothing to sort then.
        if !orders.is_sorted_by_key(|o| o.day) {
            orders.sort_unstable_by_key(|o| (o.day, o.order));
        }
        Prepared {
            orders,
            customers,
            salespeople,
            segments,
            regions,
            users,
            order_offsets,
            id_maps,
            has_orders: !tables_of_orders.is_empty(),
            has_margin,
        }
    }

    /// Completed orders as (customer, day, amount) purchases, amounts net of refunds: what
    /// the customer-value models read (`clv::analysis::analyze`).
    pub fn purchases(&self) -> Vec<(u32, i32, f64)> {
        self.orders
            .iter()
            .filter(|o| o.status == OrderStatus::Completed)
            .map(|o| {
                (
                    o.customer,
                    o.day,
                    o.amount as f64 / crate::ingest::values::SCALE as f64,
                )
            })
            .collect()
    }

    /// The orders' fields kept in their files' columns (`data` is the dataset these orders
    /// were arranged from).
    pub fn columns<'a>(&'a self, data: &'a Dataset) -> OrderColumns<'a> {
        let files = data
            .orders()
            .into_iter()
            .zip(&self.order_offsets)
            .zip(&self.id_maps)
            .map(|((t, first), [seg, reg, usr, sp])| FileColumns {
                first: *first,
                salesperson: &t.salesperson,
                segment: &t.segment,
                region: &t.region,
                user: &t.user,
                margin: t.margin.as_deref(),
                to_global: [seg, reg, usr, sp],
            })
            .collect();
        OrderColumns { files }
    }

    /// A customer's name (as in the orders files) from its id in `purchases`.
    pub fn customer_name(&self, id: u32) -> &str {
        self.customers.name(id)
    }

    /// The ids of a filter value in each dimension (None: the value never occurs, so no
    /// order passes).
    fn order_filter(&self, filters: &[(String, String)]) -> Option<Vec<OrderFilter>> {
        filters
            .iter()
            .filter_map(|(dim, value)| {
                Some(match dim.as_str() {
                    "salesperson" => self.salespeople.get(value).map(OrderFilter::Salesperson),
                    "channel" => Channel::ALL
                        .iter()
                        .find(|c| c.name() == value)
                        .map(|c| OrderFilter::Channel(*c)),
                    "segment" => self.segments.get(value).map(OrderFilter::Segment),
                    "region" => self.regions.get(value).map(OrderFilter::Region),
                    _ => return None,
                })
            })
            .collect()
    }
}

/// One filter, resolved to ids so that testing an order is an integer comparison.
#[derive(Clone, Copy)]
enum OrderFilter {
    Salesperson(u32),
    Channel(Channel),
    Segment(u32),
    Region(u32),
}

impl OrderFilter {
    /// Whether `o` passes; `one_file` is `OrderColumns::one_file_salespeople`.
    #[inline]
    fn passes(self, o: &OrderRow, columns: &OrderColumns, one_file: Option<&[u32]>) -> bool {
        match self {
            OrderFilter::Salesperson(id) => match one_file {
                Some(sp) => sp.get(o.order as usize) == Some(&id),
                None => columns.salesperson(o) == id,
            },
            OrderFilter::Channel(c) => o.channel == c,
            OrderFilter::Segment(id) => columns.segment(o) == id,
            OrderFilter::Region(id) => columns.region(o) == id,
        }
    }
}

impl OrderBase {
    fn of(
        data: &Dataset,
        order_offsets: &[u32],
        customers: &Interner,
        tables: &[std::borrow::Cow<GenericTable>],
        orders: &[OrderRow],
        columns: &OrderColumns,
    ) -> OrderBase {
        // The orders named in a returns file (global order numbers), for the return rate.
        let mut returned_ids = OrderBits::default();
        if let Some((names, ids)) = tables
            .iter()
            .find(|t| t.kind == FileKind::Returns)
            .and_then(|t| t.text("order_id"))
        {
            for id in ids {
                if let Some(order) = find_order(data, order_offsets, names.name(*id)) {
                    returned_ids.insert(order);
                }
            }
        }
        // One read of the orders for first orders and day sums.
        let mut first_order = vec![i32::MAX; customers.len()];
        let mut sums = DaySums::new();
        for (i, o) in orders.iter().enumerate() {
            super::prefetch::ahead(orders, i, &first_order);
            super::prefetch::ahead_by(orders, i, |o| columns.margin_slot(o));
            if o.status == OrderStatus::Completed {
                let f = &mut first_order[o.customer as usize];
                *f = (*f).min(o.day);
            }
            sums.push(o, &returned_ids, columns);
        }
        let mut first_days: Vec<i32> = first_order
            .iter()
            .copied()
            .filter(|d| *d != i32::MAX)
            .collect();
        first_days.sort_unstable();
        OrderBase {
            first_order,
            first_days,
            sums,
        }
    }
}

/// A set of orders by global order number, a bit each: the orders a returns file names
/// (read for every order of every report and breakdown slice: a hash set's lookups were a
/// tenth of a report with a returns file), the orders of a breakdown slice.
#[derive(Default)]
struct OrderBits(Vec<u64>);

impl OrderBits {
    fn insert(&mut self, order: u32) {
        let (word, bit) = (order as usize / 64, order % 64);
        if word >= self.0.len() {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << bit;
    }
    fn contains(&self, order: u32) -> bool {
        self.0
            .get(order as usize / 64)
            .is_some_and(|w| w & (1 << (order % 64)) != 0)
    }
}

/// Integer sums over some orders: what the ranged order KPIs divide.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Sums {
    /// Completed orders, and those of them placed on the web shop.
    pub completed: u64,
    pub web: u64,
    /// Amounts of completed orders: all, online (web + EDI), by channel, and net of margin.
    pub revenue: i128,
    pub online: i128,
    pub by_channel: [i128; 6],
    pub cogs: i128,
    /// Margins of completed orders that have one, and how many.
    pub margin: i128,
    pub margins: u64,
    /// Completed or returned orders, and those of them returned (by status or returns file).
    pub considered: u64,
    pub returned: u64,
}

impl Sums {
    fn add(&mut self, o: &OrderRow, returned_ids: &OrderBits, columns: &OrderColumns) {
        if matches!(o.status, OrderStatus::Completed | OrderStatus::Returned) {
            self.considered += 1;
            let listed = || returned_ids.contains(o.order);
            if o.status == OrderStatus::Returned || listed() {
                self.returned += 1;
            }
        }
        if o.status != OrderStatus::Completed {
            return;
        }
        self.completed += 1;
        self.web += u64::from(o.channel == Channel::Web);
        self.revenue += o.amount as i128;
        if super::catalogue::is_online(o.channel) {
            self.online += o.amount as i128;
        }
        self.by_channel[o.channel as usize] += o.amount as i128;
        let margin = columns.margin(o);
        self.cogs += o.amount as i128 - margin.unwrap_or(0) as i128;
        if let Some(m) = margin {
            self.margin += m as i128;
            self.margins += 1;
        }
    }
    fn minus(mut self, b: &Sums) -> Sums {
        self.completed -= b.completed;
        self.web -= b.web;
        self.revenue -= b.revenue;
        self.online -= b.online;
        for (x, y) in self.by_channel.iter_mut().zip(&b.by_channel) {
            *x -= y;
        }
        self.cogs -= b.cogs;
        self.margin -= b.margin;
        self.margins -= b.margins;
        self.considered -= b.considered;
        self.returned -= b.returned;
        self
    }
}

/// `Sums` of the orders up to each order day: a ranged KPI is evaluated for the range, every
/// period, the previous range and a year earlier, and with these each is two binary searches
/// instead of a scan of its orders. Integer sums, so equal to a scan's in any order.
#[derive(Debug)]
pub(super) struct DaySums {
    /// The distinct order days, ascending.
    days: Vec<i32>,
    /// `prefix[i]`: sums of the orders on `days[..i]`.
    prefix: Vec<Sums>,
}

impl DaySums {
    /// Start empty; `push` the orders in day order.
    fn new() -> DaySums {
        DaySums {
            days: Vec::new(),
            prefix: vec![Sums::default()],
        }
    }
    fn push(&mut self, o: &OrderRow, returned_ids: &OrderBits, columns: &OrderColumns) {
        if self.days.last() != Some(&o.day) {
            self.days.push(o.day);
            self.prefix.push(*self.prefix.last().expect("prefix[0]"));
        }
        self.prefix
            .last_mut()
            .expect("prefix[0]")
            .add(o, returned_ids, columns);
    }

    /// Sums of the orders with a day in [a, b].
    pub(super) fn sums(&self, a: i32, b: i32) -> Sums {
        let lo = self.days.partition_point(|d| *d < a);
        let hi = self.days.partition_point(|d| *d <= b);
        if hi <= lo {
            return Sums::default();
        }
        self.prefix[hi].minus(&self.prefix[lo])
    }
}

/// What `Ctx` reads off every order passing the filters, whatever the range and the periods:
/// a new period or range over the same filters takes it from the view before.
#[derive(Debug)]
pub struct OrderBase {
    /// First completed order day per customer (over all data, not only the range).
    pub first_order: Vec<i32>,
    /// The same days ascending, customers without one left out: new customers in a range
    /// are two binary searches.
    pub first_days: Vec<i32>,
    /// Sums of the orders per day, for any day range.
    pub(super) sums: DaySums,
}

pub struct Ctx<'a> {
    pub from: i32,
    pub to: i32,
    pub periods: Vec<Period>,
    /// Periods in a year for the granularity (12, 4 or 1).
    pub periods_per_year: usize,
    /// Every order of every orders file passing the filters, sorted by day.
    pub orders: std::borrow::Cow<'a, [OrderRow]>,
    pub customers: &'a Interner,
    order_offsets: &'a [u32],
    pub has_orders: bool,
    pub has_margin: bool,
    /// What is read off every order whatever the range and periods (first orders, day
    /// sums): shared with later views of the same filters (`Reuse`).
    pub base: std::sync::Arc<OrderBase>,
    pub data: &'a Dataset,
    /// The orders' segments, regions, users and margins.
    pub columns: OrderColumns<'a>,
    pub online_launch: Option<i32>,
    pub churn: super::ChurnDefinition,
    /// Top of the CSAT scale (5 by default).
    pub csat_scale: u8,
    pub salespeople: &'a Interner,
    pub segments: &'a Interner,
    pub regions: &'a Interner,
    pub users: &'a Interner,
    /// The non-order tables, filtered like the orders when a filter is set.
    tables: Vec<std::borrow::Cow<'a, GenericTable>>,
}

impl<'a> Ctx<'a> {
    pub fn new(data: &'a Dataset, prepared: &'a Prepared, opts: &ReportOptions) -> Ctx<'a> {
        Ctx::reusing(data, prepared, opts, None)
    }

    /// `new`, with the `OrderBase` of an earlier view of the same filters when there is one.
    pub fn reusing(
        data: &'a Dataset,
        prepared: &'a Prepared,
        opts: &ReportOptions,
        base: Option<std::sync::Arc<OrderBase>>,
    ) -> Ctx<'a> {
        use std::borrow::Cow;
        let columns = prepared.columns(data);
        let orders: Cow<'a, [OrderRow]> = if opts.filters.is_empty() {
            Cow::Borrowed(&prepared.orders)
        } else {
            // One file's own salesperson ids are the global ones: a filter reads its column
            // straight, not through a file lookup per order (callgrind, one salesperson of
            // 1M orders: 93.2M instructions per report, 105.1M through the lookup).
            let one_file = columns.one_file_salespeople();
            match prepared.order_filter(&opts.filters) {
                Some(filters) => Cow::Owned(
                    prepared
                        .orders
                        .iter()
                        .filter(|o| filters.iter().all(|f| f.passes(o, &columns, one_file)))
                        .copied()
                        .collect(),
                ),
                None => Cow::Owned(Vec::new()),
            }
        };
        Ctx::with_orders_and_base(data, prepared, opts, orders, columns, base)
    }

    /// `new` with the orders passing `opts.filters` already chosen (in their day order): a
    /// breakdown picks each slice's orders in one pass for all its slices, instead of a pass
    /// over every order per slice.
    pub fn with_orders(
        data: &'a Dataset,
        prepared: &'a Prepared,
        opts: &ReportOptions,
        orders: std::borrow::Cow<'a, [OrderRow]>,
    ) -> Ctx<'a> {
        let columns = prepared.columns(data);
        Ctx::with_orders_and_base(data, prepared, opts, orders, columns, None)
    }

    fn with_orders_and_base(
        data: &'a Dataset,
        prepared: &'a Prepared,
        opts: &ReportOptions,
        orders: std::borrow::Cow<'a, [OrderRow]>,
        columns: OrderColumns<'a>,
        base: Option<std::sync::Arc<OrderBase>>,
    ) -> Ctx<'a> {
        let customers = &prepared.customers;
        let order_offsets = &prepared.order_offsets;
        let tables = if opts.filters.is_empty() {
            filter_tables(data, &[], customers, &|_| None, &[])
        } else {
            filter_tables(
                data,
                &opts.filters,
                customers,
                &|key: &str| find_order(data, order_offsets, key),
                &orders,
            )
        };
        let base = base.unwrap_or_else(|| {
            std::sync::Arc::new(OrderBase::of(
                data,
                order_offsets,
                customers,
                &tables,
                &orders,
                &columns,
            ))
        });
        // The range: what the user chose, else the span of all dated rows (orders are sorted).
        let (mut lo, mut hi) = match (orders.first(), orders.last()) {
            (Some(a), Some(b)) => (a.day, b.day),
            _ => (i32::MAX, i32::MIN),
        };
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
        if lo > hi {
            // No dated row at all: an empty range (from > to), so every KPI says "no data".
            (lo, hi) = (0, -1);
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
            has_orders: prepared.has_orders,
            orders,
            customers,
            order_offsets,
            has_margin: prepared.has_margin,
            base,
            data,
            columns,
            online_launch: opts.online_launch,
            churn: opts.churn,
            csat_scale: opts.csat_scale.clamp(2, 10),
            salespeople: &prepared.salespeople,
            segments: &prepared.segments,
            regions: &prepared.regions,
            users: &prepared.users,
            tables,
        }
    }

    /// Orders with a day in `[a, b]`.
    pub fn orders_in(&self, a: i32, b: i32) -> &[OrderRow] {
        let lo = self.orders.partition_point(|o| o.day < a);
        // A range given backwards (from after to, a launch before the range) holds nothing.
        let hi = self.orders.partition_point(|o| o.day <= b).max(lo);
        &self.orders[lo..hi]
    }

    /// The global order number (as in `OrderRow::order`) of order `key`, in any orders file.
    pub fn find_order(&self, key: &str) -> Option<u32> {
        find_order(self.data, self.order_offsets, key)
    }

    /// The first imported table of `kind` (filtered like the orders).
    pub fn table(&self, kind: FileKind) -> Option<&GenericTable> {
        self.tables.iter().find(|t| t.kind == kind).map(|t| &**t)
    }
}

/// The non-order tables under the filters. A table is cut by the filtered field when it has
/// it (opportunities by salesperson, customers by region...); else by customer, using the
/// customers file's attribute or, failing that, the customers of the filtered orders; returns
/// by their order. Tables that can not be cut (daily traffic, inventory, spend by anything
/// but channel) are left out under a filter: their KPIs are not split.
fn filter_tables<'a>(
    data: &'a Dataset,
    filters: &[(String, String)],
    customers: &Interner,
    find_order: &dyn Fn(&str) -> Option<u32>,
    orders: &[OrderRow],
) -> Vec<std::borrow::Cow<'a, GenericTable>> {
    use std::borrow::Cow;
    let all = data.files.iter().filter_map(|f| match &f.table {
        crate::ingest::Table::Other(t) => Some(t),
        _ => None,
    });
    if filters.is_empty() {
        return all.map(Cow::Borrowed).collect();
    }
    let all: Vec<&GenericTable> = all.collect();
    if all.is_empty() {
        return Vec::new();
    }
    // Customers that pass: by the customers file where it has the field, else by orders.
    // Built when a table is cut by its customers, once per filter (every breakdown slice
    // is one): tens of thousands of names, hashed with foldhash.
    let customer_file = data.files.iter().find_map(|f| f.other(FileKind::Customers));
    let passing = std::cell::OnceCell::new();
    let passing = || -> &NameSet {
        passing.get_or_init(|| {
            let by_file = customer_file
                .filter(|cf| filters.iter().all(|(dim, _)| cf.text(dim).is_some()))
                .and_then(|cf| Some((cf, cf.text("customer_id")?)));
            if let Some((cf, (names, ids))) = by_file {
                let keep = text_filter_mask(cf, filters);
                return ids
                    .iter()
                    .zip(&keep)
                    .filter(|(_, k)| **k)
                    .map(|(c, _)| names.name(*c))
                    .collect();
            }
            // Each customer once: a customer has many orders.
            let mut seen = vec![false; customers.len()];
            orders
                .iter()
                .filter(|o| !std::mem::replace(&mut seen[o.customer as usize], true))
                .map(|o| customers.name(o.customer))
                .collect()
        })
    };
    // The orders that pass, by global order number (for a returns file).
    let order_set = std::cell::OnceCell::new();
    let order_set = || -> &OrderBits {
        order_set.get_or_init(|| {
            let mut set = OrderBits::default();
            for o in orders {
                set.insert(o.order);
            }
            set
        })
    };
    all.into_iter()
        .filter_map(|t| {
            if filters.iter().all(|(dim, _)| t.text(dim).is_some()) {
                return Some(Cow::Owned(t.retain_rows(&text_filter_mask(t, filters))));
            }
            if let Some((names, ids)) = t
                .text("customer_id")
                .filter(|_| t.kind != FileKind::Returns)
            {
                // Each customer looked up once, not once per row (a customer has many
                // contacts, accounts, answers).
                let passing = passing();
                let passes: Vec<bool> = (0..names.len() as u32)
                    .map(|c| passing.contains(names.name(c)))
                    .collect();
                let keep: Vec<bool> = ids.iter().map(|c| passes[*c as usize]).collect();
                return Some(Cow::Owned(t.retain_rows(&keep)));
            }
            if let Some((names, ids)) = t.text("order_id").filter(|_| t.kind == FileKind::Returns) {
                let order_set = order_set();
                let keep: Vec<bool> = ids
                    .iter()
                    .map(|o| find_order(names.name(*o)).is_some_and(|id| order_set.contains(id)))
                    .collect();
                return Some(Cow::Owned(t.retain_rows(&keep)));
            }
            None
        })
        .collect()
}

/// Names of customers, hashed with foldhash (the standard hasher is several times slower on
/// short strings).
type NameSet<'a> = hashbrown::HashSet<&'a str, foldhash::fast::FixedState>;

fn text_filter_mask(t: &GenericTable, filters: &[(String, String)]) -> Vec<bool> {
    let mut keep = vec![true; t.len()];
    for (dim, value) in filters {
        if let Some((names, ids)) = t.text(dim) {
            // Each word of the column compared once, not once per row.
            let matches: Vec<bool> = (0..names.len() as u32)
                .map(|id| {
                    let word = names.name(id);
                    word.eq_ignore_ascii_case(value)
                        || (dim == "channel"
                            && crate::ingest::normalize::channel(word).name() == value)
                })
                .collect();
            for (k, id) in keep.iter_mut().zip(ids) {
                *k &= matches[*id as usize];
            }
        }
    }
    keep
}

fn find_order(data: &Dataset, offsets: &[u32], key: &str) -> Option<u32> {
    data.orders()
        .iter()
        .zip(offsets)
        .find_map(|(t, offset)| t.find_order(key).map(|row| offset + row))
}
