//! KPIs computed from typed columns. Plain functions over plain data; no parsing here.

mod catalogue;
mod clv;
pub mod cohorts;
mod context;
pub mod funnels;
mod orders;
mod prefetch;

use crate::ingest::ImportedFile;
use crate::report::{Granularity, Report};
use crate::table::OrdersTable;
use std::collections::BTreeMap;

/// What the report should cover.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub granularity: Granularity,
    /// Inclusive day range (days since 1970-01-01).
    pub from: Option<i32>,
    pub to: Option<i32>,
    /// When the web shop went live: contacts per order are split before/after it.
    pub online_launch: Option<i32>,
    /// Only data matching all of these: (dimension, value), dimension one of
    /// `salesperson`, `channel`, `segment`, `region`.
    pub filters: Vec<(String, String)>,
    /// Split the catalogue KPIs by each dimension (costs one computation per value).
    pub breakdowns: bool,
    /// Which churn definition `churn_rate` and `retention_rate` use.
    pub churn: ChurnDefinition,
    /// Top of the CSAT answer scale (1 to this); satisfied = the top two points.
    pub csat_scale: u8,
}

/// The two churn definitions in use in the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChurnDefinition {
    /// Default: customers active in P-1 with no order in P / customers active in P-1.
    #[default]
    PreviousPeriod,
    /// ChartMogul-style: start-of-period customers (acquired before P, with an order in the
    /// year before P) with no order in P / start-of-period customers.
    StartOfPeriod,
}

impl std::str::FromStr for ChurnDefinition {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "previous-period" | "previous_period" => Ok(ChurnDefinition::PreviousPeriod),
            "start-of-period" | "start_of_period" | "chartmogul" => {
                Ok(ChurnDefinition::StartOfPeriod)
            }
            _ => Err(format!(
                "churn must be previous-period or start-of-period, not {s:?}"
            )),
        }
    }
}

impl Default for ReportOptions {
    /// Monthly, all data, no filter, with breakdowns.
    fn default() -> Self {
        ReportOptions {
            granularity: Granularity::Month,
            from: None,
            to: None,
            online_launch: None,
            filters: Vec::new(),
            breakdowns: true,
            churn: ChurnDefinition::PreviousPeriod,
            csat_scale: 5,
        }
    }
}

/// The dimensions KPIs are split by.
pub const DIMENSIONS: [&str; 4] = ["salesperson", "channel", "segment", "region"];

/// Everything imported, ready to compute from.
#[derive(Debug, Default)]
pub struct Dataset {
    pub files: Vec<ImportedFile>,
}

impl Dataset {
    pub fn add(&mut self, file: ImportedFile) {
        self.files.push(file);
    }
    /// All orders files; several are read as one table in `compute`.
    pub fn orders(&self) -> Vec<&OrdersTable> {
        self.files.iter().filter_map(|f| f.orders()).collect()
    }
}

/// Money refunded per order, from a returns file: one vector per orders table, indexed by
/// the table's order id (empty when there is no returns file). A return without an amount
/// refunds the whole order. Subtracted from completed orders' revenue ("net revenue").
pub fn refunds(data: &Dataset) -> Vec<Vec<i64>> {
    use crate::ingest::columns::NO_NUMBER;
    use crate::ingest::schema::FileKind;
    let returns: Vec<_> = data
        .files
        .iter()
        .filter_map(|f| f.other(FileKind::Returns))
        .collect();
    data.orders()
        .iter()
        .map(|t| {
            if returns.is_empty() {
                return Vec::new();
            }
            let mut refund = vec![0i64; t.len()];
            for r in &returns {
                let Some((names, ids)) = r.text("order_id") else {
                    continue;
                };
                let amounts = r.numbers("amount");
                for (i, id) in ids.iter().enumerate() {
                    let Some(row) = t.find_order(names.name(*id)) else {
                        continue;
                    };
                    let amount = match amounts.map(|a| a[i]) {
                        Some(a) if a != NO_NUMBER => a,
                        _ => t.amount[row as usize],
                    };
                    // Never refund more than the order was worth.
                    let total = &mut refund[row as usize];
                    *total = total
                        .saturating_add(amount.saturating_abs())
                        .min(t.amount[row as usize].max(0));
                }
            }
            refund
        })
        .collect()
}

pub use context::Prepared;

/// Compute the report.
pub fn compute(data: &Dataset, opts: &ReportOptions) -> Report {
    compute_prepared(data, &Prepared::new(data), opts)
}

/// Compute the report from orders already arranged by `Prepared::new(data)`: what an app
/// keeps between views of the same files, so a new filter or period skips that step.
pub fn compute_prepared(data: &Dataset, prepared: &Prepared, opts: &ReportOptions) -> Report {
    compute_reusing(data, prepared, opts, &mut Reuse::default())
}

/// The parts of a report that do not depend on the period granularity: the cohort table
/// and the customer scores (RFM segments, top and at-risk customers) of a range and
/// filters, what is read off every order passing the filters (first orders, day sums), and
/// the order KPIs' groups of a range. Kept for the last few views of the same `Prepared`:
/// a new granularity over the same range, or going back to a filter seen just before,
/// skips them (natively, a quarterly report of 1M orders after the monthly one: 47 -> 17
/// ms). Keyed by what they are computed from, so a range that snaps to other whole periods
/// computes the cohorts again.
#[derive(Debug, Default)]
pub struct Reuse {
    /// The last few views' parts, the latest first (back to all salespeople after one of
    /// them finds the unfiltered parts still here).
    kept: Recent<ReuseKey, Reused, REUSE_VIEWS>,
    /// What the last few filters' orders gave every view (first orders, day sums): a new
    /// period or range reads the orders for its periods only.
    bases: Recent<Filters, std::sync::Arc<context::OrderBase>, REUSE_VIEWS>,
    /// The order KPIs' groups by dimension of the last few ranges.
    groups: orders::KeptGroups,
}

impl Reuse {
    /// `Ctx::new`, with the `OrderBase` of these filters when it is kept, else keeping it.
    fn ctx<'a>(
        &mut self,
        data: &'a Dataset,
        prepared: &'a Prepared,
        opts: &ReportOptions,
    ) -> context::Ctx<'a> {
        let base = self.bases.get(&opts.filters).cloned();
        let kept = base.is_some();
        let ctx = context::Ctx::reusing(data, prepared, opts, base);
        if !kept {
            self.bases.insert(opts.filters.clone(), ctx.base.clone());
        }
        ctx
    }
}

/// The values of the last `N` keys, the latest first: a hit moves to the front, a new key
/// pushes the oldest out.
#[derive(Debug)]
struct Recent<K, V, const N: usize> {
    items: Vec<(K, V)>,
}

impl<K, V, const N: usize> Default for Recent<K, V, N> {
    fn default() -> Self {
        Recent { items: Vec::new() }
    }
}

impl<K: PartialEq, V, const N: usize> Recent<K, V, N> {
    /// The value of `key`, if kept.
    fn get(&mut self, key: &K) -> Option<&V> {
        let i = self.items.iter().position(|(k, _)| k == key)?;
        let hit = self.items.remove(i);
        self.items.insert(0, hit);
        Some(&self.items[0].1)
    }
    fn insert(&mut self, key: K, value: V) {
        self.items.truncate(N - 1);
        self.items.insert(0, (key, value));
    }
    /// The value of `key`, made by `make` and kept when there is none.
    fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &V {
        if self.get(&key).is_none() {
            let value = make();
            self.insert(key, value);
        }
        &self.items[0].1
    }
}

/// Views whose parts are kept.
const REUSE_VIEWS: usize = 4;

#[derive(Debug)]
struct Reused {
    cohorts: Vec<cohorts::Cohort>,
    rfm_segments: Vec<cohorts::RfmSegment>,
    at_risk: Vec<cohorts::RfmCustomer>,
    top: Vec<cohorts::RfmCustomer>,
}

/// A view's filters: (dimension, value).
type Filters = Vec<(String, String)>;

/// (first day, last day, filters) of a report.
type ReuseKey = (i32, i32, Filters);

/// [`compute_prepared`], taking the cohorts and customer scores from `reuse` when they were
/// computed from the same orders and range, and keeping this report's there. `reuse` must
/// only ever see one `Prepared` (start a new one with new files).
pub fn compute_reusing(
    data: &Dataset,
    prepared: &Prepared,
    opts: &ReportOptions,
    reuse: &mut Reuse,
) -> Report {
    let ctx = reuse.ctx(data, prepared, opts);
    // The core order KPIs over the report range, on the same period axis as the rest.
    let ranged = ReportOptions {
        from: Some(ctx.from),
        to: Some(ctx.to),
        ..opts.clone()
    };
    let (mut kpis, _, _) = orders::order_kpis(&ctx, &ranged, &mut reuse.groups);
    // Previous range and a year earlier, when the user chose a range (with the default
    // "all data" range there is nothing before it).
    if opts.from.is_some() || opts.to.is_some() {
        let len = ctx.to - ctx.from + 1;
        let shifted = |a: i32, b: i32| ReportOptions {
            from: Some(a),
            to: Some(b),
            ..opts.clone()
        };
        let (prev, _, _) = orders::order_kpis(
            &ctx,
            &shifted(ctx.from - len, ctx.from - 1),
            &mut reuse.groups,
        );
        let (last_year, _, _) = orders::order_kpis(
            &ctx,
            &shifted(ctx.from - 365, ctx.to - 365),
            &mut reuse.groups,
        );
        for ((k, p), y) in kpis.iter_mut().zip(&prev).zip(&last_year) {
            k.previous_value = p.value;
            k.last_year_value = y.value;
        }
    }
    let first_catalogue = kpis.len();
    kpis.extend(catalogue::catalogue(&ctx));
    let years = (ctx.to - ctx.from + 1) as f64 / 365.25;
    let sums = ctx.base.sums.sums(ctx.from, ctx.to);
    let margin_per_order = (ctx.has_margin && sums.margins > 0)
        .then(|| sums.margin as f64 / crate::ingest::values::SCALE as f64 / sums.margins as f64);
    let clv = clv::clv_kpis(&kpis, years, ctx.periods_per_year, margin_per_order);
    kpis.extend(clv);
    let key = (ctx.from, ctx.to, opts.filters.clone());
    let parts = reuse.kept.get_or_insert_with(key, || {
        let (cohort_table, purchases) = cohorts::cohorts_and_purchases(&ctx);
        let (rfm_customers, rfm_segments) = cohorts::rfm_scores(&ctx, &purchases);
        // The report keeps the segment sizes and the customers worth a look (at risk, lost
        // high spenders), not every customer: it crosses to the page on every change. Only
        // the kept customers are named.
        let by_monetary = |a: &&cohorts::RfmScore, b: &&cohorts::RfmScore| {
            b.monetary.total_cmp(&a.monetary).then_with(|| {
                ctx.customers
                    .name(a.customer)
                    .cmp(ctx.customers.name(b.customer))
            })
        };
        // The first 50 by a total order (names are unique): pick them, then sort only those.
        let first_50 = |mut v: Vec<&cohorts::RfmScore>| -> Vec<cohorts::RfmCustomer> {
            if v.len() > 50 {
                v.select_nth_unstable_by(49, by_monetary);
                v.truncate(50);
            }
            v.sort_by(by_monetary);
            v.iter().map(|c| c.named(&ctx)).collect()
        };
        Reused {
            cohorts: cohort_table,
            rfm_segments,
            top: first_50(rfm_customers.iter().collect()),
            at_risk: first_50(
                rfm_customers
                    .iter()
                    .filter(|c| c.segment == "At risk" || (c.segment == "Hibernating" && c.m >= 4))
                    .collect(),
            ),
        }
    });
    kpis.push(clv::historical_clv(&parts.cohorts, 12));
    kpis.push(clv::historical_clv(&parts.cohorts, 24));
    if opts.breakdowns {
        breakdowns(data, prepared, opts, &ctx, &mut kpis[first_catalogue..]);
    }
    let has_data = !data.files.is_empty() && ctx.from <= ctx.to;
    Report {
        generator: format!("kpi-lens {}", env!("CARGO_PKG_VERSION")),
        granularity: opts.granularity,
        from: has_data.then(|| crate::ingest::values::iso_date(ctx.from)),
        to: has_data.then(|| crate::ingest::values::iso_date(ctx.to)),
        kpis,
        cohorts: parts.cohorts.clone(),
        rfm_segments: parts.rfm_segments.clone(),
        at_risk_customers: parts.at_risk.clone(),
        top_customers: parts.top.clone(),
        funnels: funnels::funnels(&ctx),
        imports: data.files.iter().map(|f| f.summary.clone()).collect(),
    }
}

/// At most this many values of a dimension get their own slice (largest revenue first).
const MAX_SLICES: usize = 12;

/// Split the catalogue KPIs by salesperson, channel, segment and region: the catalogue is
/// computed again on the data of each value (the core order KPIs split themselves). A KPI
/// that splits itself by a dimension (channel mix by channel) keeps its own split.
fn breakdowns(
    data: &Dataset,
    prepared: &Prepared,
    opts: &ReportOptions,
    ctx: &context::Ctx,
    kpis: &mut [crate::report::Kpi],
) {
    for dim in DIMENSIONS {
        let mut split = split_by(data, prepared, opts, ctx, dim);
        for k in kpis.iter_mut() {
            if k.breakdowns.contains_key(dim) {
                continue;
            }
            if let Some(slices) = split.remove(&k.id) {
                k.breakdowns.insert(dim.to_string(), slices);
            }
        }
    }
}

/// The catalogue KPIs split by one dimension, by KPI id: what `compute` puts in each KPI's
/// `breakdowns[dim]`. An app can show the report first and ask for these after, one
/// dimension at a time (they cost one catalogue computation per value).
pub fn dimension_breakdowns(
    data: &Dataset,
    prepared: &Prepared,
    opts: &ReportOptions,
    dim: &str,
) -> BTreeMap<String, Vec<crate::report::Slice>> {
    dimension_breakdowns_reusing(data, prepared, opts, dim, &mut Reuse::default())
}

/// [`dimension_breakdowns`], taking what every view reads off the filtered orders from
/// `reuse` (the report before it kept it there).
pub fn dimension_breakdowns_reusing(
    data: &Dataset,
    prepared: &Prepared,
    opts: &ReportOptions,
    dim: &str,
    reuse: &mut Reuse,
) -> BTreeMap<String, Vec<crate::report::Slice>> {
    let ctx = reuse.ctx(data, prepared, opts);
    split_by(data, prepared, opts, &ctx, dim)
}

fn split_by(
    data: &Dataset,
    prepared: &Prepared,
    opts: &ReportOptions,
    ctx: &context::Ctx,
    dim: &str,
) -> BTreeMap<String, Vec<crate::report::Slice>> {
    use crate::table::Channel;
    let mut split: BTreeMap<String, Vec<crate::report::Slice>> = BTreeMap::new();
    if opts.filters.iter().any(|(d, _)| d == dim) {
        return split;
    }
    // Values by revenue, from the orders in range: summed by id, named once per value.
    let names = match dim {
        "salesperson" => ctx.salespeople,
        "segment" => ctx.segments,
        "region" => ctx.regions,
        _ => ctx.customers, // unused: channels are named by `Channel::name`
    };
    let mut by_id: Vec<Option<i64>> = vec![
        None;
        if dim == "channel" {
            Channel::ALL.len() + 1
        } else {
            names.len()
        }
    ];
    // Id 0 is "none" in the name dimensions: with one other name at most, there are fewer
    // than two values to split by, whatever the orders.
    let is_channel = dim == "channel";
    if !is_channel && names.len() <= 2 {
        return split;
    }
    // An order's id in the dimension (None: not counted), the dimension resolved once, not
    // per order (an enum, not a fn pointer, so that the match inlines into the loops).
    #[derive(Clone, Copy)]
    enum Field {
        Salesperson,
        Channel,
        Segment,
        Region,
        Other,
    }
    let field = match dim {
        "salesperson" => Field::Salesperson,
        "channel" => Field::Channel,
        "segment" => Field::Segment,
        "region" => Field::Region,
        _ => Field::Other,
    };
    let id_of = |o: &context::OrderRow| match field {
        Field::Salesperson => Some(ctx.columns.salesperson(o) as usize),
        Field::Channel => (o.channel != Channel::Unknown).then_some(o.channel as usize),
        Field::Segment => Some(ctx.columns.segment(o) as usize),
        Field::Region => Some(ctx.columns.region(o) as usize),
        Field::Other => None,
    };
    // Revenue by id over the range, and the orders by id over all orders (what a slice
    // holds, for its previous and year-earlier ranges too): one pass for both.
    let in_range = ctx.orders.partition_point(|o| o.day < ctx.from)
        ..ctx.orders.partition_point(|o| o.day <= ctx.to);
    let mut orders_of = vec![0usize; by_id.len()];
    for (i, o) in ctx.orders.iter().enumerate() {
        let Some(id) = id_of(o) else {
            continue;
        };
        orders_of[id] += 1;
        if in_range.contains(&i) && (id != 0 || is_channel) {
            *by_id[id].get_or_insert(0) += o.amount;
        }
    }
    let revenue: Vec<(String, i64, usize)> = by_id
        .iter()
        .enumerate()
        .filter_map(|(id, sum)| Some((id, (*sum)?)))
        .map(|(id, sum)| {
            let name = if is_channel {
                Channel::ALL
                    .iter()
                    .find(|c| **c as usize == id)
                    .map_or("", |c| c.name())
                    .to_string()
            } else {
                names.name(id as u32).to_string()
            };
            (name, sum, id)
        })
        .collect();
    if revenue.len() < 2 {
        return split;
    }
    let mut values = revenue;
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    values.truncate(MAX_SLICES);
    // Each slice's orders, in their day order, as `Ctx::new` would pick them under the
    // slice's filter: picked for several slices in one pass over the report's orders, in
    // batches of at most a quarter of them (a slice more, alone), so that the copies never
    // hold every order at once (230 MB at 5M orders, kept for good by a WebAssembly memory).
    // One buffer for every batch, the slices side by side in it: a copy per slice and batch
    // left holes that a WebAssembly memory grew past (50 MiB more at 5M orders).
    let mut slice_of = vec![usize::MAX; by_id.len()];
    let batch_orders = (ctx.orders.len() / 4).max(1);
    let mut own = std::collections::BTreeSet::new();
    let mut values = values.into_iter().peekable();
    let mut buffer: Vec<context::OrderRow> = Vec::new();
    while values.peek().is_some() {
        let mut batch = Vec::new();
        // Where each slice of the batch starts in `buffer`, and one past the last.
        let mut starts = vec![0usize];
        while let Some((_, _, id)) = values.peek() {
            let taken = starts[starts.len() - 1];
            if !batch.is_empty() && taken + orders_of[*id] > batch_orders {
                break;
            }
            starts.push(taken + orders_of[*id]);
            let value = values.next().expect("peeked");
            slice_of[value.2] = batch.len();
            batch.push(value);
        }
        // Every place is written below: `orders_of` counted exactly these orders.
        buffer.clear();
        buffer.resize(starts[starts.len() - 1], ctx.orders[0]);
        let mut next = starts.clone();
        for o in ctx.orders.iter() {
            let slice = id_of(o).and_then(|id| slice_of.get(id)).copied();
            if let Some(slice) = slice.filter(|s| *s != usize::MAX) {
                buffer[next[slice]] = *o;
                next[slice] += 1;
            }
        }
        for (i, (value, _, id)) in batch.into_iter().enumerate() {
            slice_of[id] = usize::MAX;
            let mut sliced = opts.clone();
            sliced.filters.push((dim.to_string(), value.clone()));
            // Same range and periods as the whole report.
            sliced.from = Some(ctx.from);
            sliced.to = Some(ctx.to);
            let orders = &buffer[starts[i]..starts[i + 1]];
            let sub = context::Ctx::with_orders(data, prepared, &sliced, orders.into());
            for c in catalogue::catalogue(&sub) {
                if c.breakdowns.contains_key(dim) {
                    own.insert(c.id);
                    continue;
                }
                split.entry(c.id).or_default().push(crate::report::Slice {
                    key: value.clone(),
                    value: c.value,
                });
            }
        }
    }
    // Nothing to show where no slice could be computed; a KPI that splits itself by this
    // dimension (channel mix by channel) keeps its own split.
    split.retain(|id, slices| !own.contains(id) && slices.iter().any(|s| s.value.is_some()));
    split
}

/// Period key and label for a day.
pub fn period_of(day: i32, g: Granularity) -> (i32, String) {
    let (y, m, _) = crate::ingest::values::ymd_from_days(day);
    match g {
        Granularity::Month => (y * 12 + m as i32 - 1, format!("{y:04}-{m:02}")),
        Granularity::Quarter => (
            y * 4 + (m as i32 - 1) / 3,
            format!("{y:04}-Q{}", (m - 1) / 3 + 1),
        ),
        Granularity::Year => (y, format!("{y:04}")),
    }
}
