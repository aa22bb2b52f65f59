//! The KPI catalogue beyond the core order KPIs: activity and retention, channels, funnel,
//! acquisition cost, pipeline, service, inventory, returns, users and CLV. Each KPI is a
//! function of a day range (or of a period and the one before it), evaluated for the
//! selected range and for every period of the series.

use super::context::{Ctx, OrderRow};
use crate::ingest::columns::{NO_DATE, NO_NUMBER};
use crate::ingest::normalize as words;
use crate::ingest::schema::FileKind;
use crate::ingest::values::SCALE;
use crate::report::{Kpi, Point, Unit};
use crate::table::{Channel, OrderStatus};
use std::collections::{BTreeMap, HashSet};

/// What a KPI is, for people.
pub struct Def {
    pub id: &'static str,
    pub label: &'static str,
    pub group: &'static str,
    pub unit: Unit,
    pub higher_is_better: bool,
    pub definition: &'static str,
    pub formula: &'static str,
}

pub(super) fn make_kpi(
    def: &Def,
    value: Option<f64>,
    series: Vec<Point>,
    inputs: Vec<String>,
    missing: Vec<String>,
) -> Kpi {
    Kpi {
        id: def.id.into(),
        label: def.label.into(),
        group: def.group.into(),
        value,
        previous_value: None,
        last_year_value: None,
        higher_is_better: def.higher_is_better,
        unit: def.unit,
        definition: def.definition.into(),
        formula: def.formula.into(),
        inputs,
        missing,
        series,
        breakdowns: BTreeMap::new(),
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A KPI that cannot be computed, saying what would unlock it.
fn unavailable(def: &Def, needs: &str) -> Kpi {
    make_kpi(def, None, vec![], vec![], vec![needs.to_string()])
}

/// A KPI over a day range: the headline over the report range, the series per period.
fn ranged(ctx: &Ctx, def: &Def, inputs: &[&str], f: impl Fn(i32, i32) -> Option<f64>) -> Kpi {
    let value = f(ctx.from, ctx.to);
    let series = ctx
        .periods
        .iter()
        .map(|p| Point {
            period: p.label.clone(),
            value: f(p.start, p.end),
        })
        .collect();
    let missing = if value.is_none() {
        vec!["data in the selected range".to_string()]
    } else {
        vec![]
    };
    let mut k = make_kpi(def, value, series, strings(inputs), missing);
    // Previous range of the same length, and the same range a year earlier.
    let len = ctx.to - ctx.from + 1;
    k.previous_value = f(ctx.from - len, ctx.from - 1);
    k.last_year_value = f(ctx.from - 365, ctx.to - 365);
    k
}

/// A KPI defined per period from that period and the one before (churn, retention): the
/// headline is the latest period's value.
fn per_period(ctx: &Ctx, def: &Def, inputs: &[&str], f: impl Fn(usize) -> Option<f64>) -> Kpi {
    let values: Vec<Option<f64>> = (0..ctx.periods.len()).map(&f).collect();
    let series = ctx
        .periods
        .iter()
        .zip(&values)
        .map(|(p, v)| Point {
            period: p.label.clone(),
            value: *v,
        })
        .collect();
    let latest = values.iter().rposition(|v| v.is_some());
    let value = latest.and_then(|i| values[i]);
    let missing = if value.is_none() {
        vec!["at least two periods with orders".to_string()]
    } else {
        vec![]
    };
    let mut k = make_kpi(def, value, series, strings(inputs), missing);
    if let Some(i) = latest {
        k.previous_value = i.checked_sub(1).and_then(|j| values[j]);
        k.last_year_value = i.checked_sub(ctx.periods_per_year).and_then(|j| values[j]);
    }
    k
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

fn completed(rows: &[OrderRow]) -> impl Iterator<Item = &OrderRow> {
    rows.iter().filter(|o| o.status == OrderStatus::Completed)
}

pub(super) fn is_online(c: Channel) -> bool {
    matches!(c, Channel::Web | Channel::Edi)
}

/// A set of customer ids as one mark per customer: clearing is a counter bump and testing
/// is an array read, several times faster than hashing on a million orders.
pub(super) struct CustomerMarks {
    mark: Vec<u32>,
    generation: u32,
}

impl CustomerMarks {
    pub(super) fn new(customers: usize) -> Self {
        CustomerMarks {
            mark: vec![0; customers],
            generation: 1,
        }
    }
    /// Empty the set.
    pub(super) fn clear(&mut self) {
        if self.generation == u32::MAX {
            self.mark.fill(0);
            self.generation = 0;
        }
        self.generation += 1;
    }
    /// Add `c`; true when it was not in the set.
    pub(super) fn insert(&mut self, c: u32) -> bool {
        let m = &mut self.mark[c as usize];
        let new = *m != self.generation;
        *m = self.generation;
        new
    }
    pub(super) fn contains(&self, c: u32) -> bool {
        self.mark[c as usize] == self.generation
    }
}

/// Distinct customers with a completed order in [a, b], optionally online only.
fn active_list(
    ctx: &Ctx,
    a: i32,
    b: i32,
    online_only: bool,
    marks: &mut CustomerMarks,
) -> Vec<u32> {
    marks.clear();
    completed(ctx.orders_in(a, b))
        .filter(|o| !online_only || is_online(o.channel))
        .filter(|o| marks.insert(o.customer))
        .map(|o| o.customer)
        .collect()
}

/// How many of `earlier` are also in `later`.
fn overlap(earlier: &[u32], later: &[u32], marks: &mut CustomerMarks) -> usize {
    marks.clear();
    for c in later {
        marks.insert(*c);
    }
    earlier.iter().filter(|c| marks.contains(**c)).count()
}

/// A period's customers with a completed order (`active`), and how many of them also had
/// one in the period before (`stayed`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Active {
    active: u32,
    stayed: u32,
}

/// `Active` for every period of the report, over all completed orders and over the online
/// ones, in one read of the orders and no per-period lists: per customer, the last period
/// (+1) it was seen in, so one first seen in period i with the stamp i was active in i-1.
fn activity_by_period(ctx: &Ctx) -> (Vec<Active>, Vec<Active>) {
    let periods = ctx.periods.len();
    let (mut all, mut online) = (
        vec![Active::default(); periods],
        vec![Active::default(); periods],
    );
    // [all orders, online orders]: 0 = never seen.
    let mut last_seen = vec![[0u32; 2]; ctx.customers.len()];
    for (i, p) in ctx.periods.iter().enumerate() {
        // Stamp 0 is "never seen", so in the first period nobody was active before.
        let (stamp, before) = (i as u32 + 1, if i > 0 { i as u32 } else { u32::MAX });
        let orders = ctx.orders_in(p.start, p.end);
        let (mut all_active, mut all_stayed, mut online_active, mut online_stayed) = (0, 0, 0, 0);
        // Without branches on what the order and its customer's slot say: half the orders
        // are online and a customer's first order in a period comes at random, so branches
        // on them are mispredicted about as often as not (the loop took twice as long).
        for (at, o) in orders.iter().enumerate() {
            super::prefetch::ahead(orders, at, &last_seen);
            let completed = o.status == OrderStatus::Completed;
            let online = completed & is_online(o.channel);
            let seen = &mut last_seen[o.customer as usize];
            let [all_seen, online_seen] = *seen;
            let first_all = completed & (all_seen != stamp);
            let first_online = online & (online_seen != stamp);
            all_active += u32::from(first_all);
            all_stayed += u32::from(first_all & (all_seen == before));
            online_active += u32::from(first_online);
            online_stayed += u32::from(first_online & (online_seen == before));
            *seen = [
                if completed { stamp } else { all_seen },
                if online { stamp } else { online_seen },
            ];
        }
        all[i] = Active {
            active: all_active,
            stayed: all_stayed,
        };
        online[i] = Active {
            active: online_active,
            stayed: online_stayed,
        };
    }
    (all, online)
}

const ORDERS_NEEDED: &str = "an orders file (order_id, customer_id, order_date, amount)";

/// Activity, retention and channel KPIs from orders.
fn order_activity(ctx: &Ctx, (active, online): &(Vec<Active>, Vec<Active>), out: &mut Vec<Kpi>) {
    const ACTIVE: Def = Def { id: "active_customers", label: "Active customers", group: "Acquisition", unit: Unit::Count, higher_is_better: true,
        definition: "Customers who placed at least one completed order in the period; the headline is the latest period.",
        formula: "count(distinct customer_id with a completed order in the period)" };
    const NEW: Def = Def {
        id: "new_customers",
        label: "New customers",
        group: "Acquisition",
        unit: Unit::Count,
        higher_is_better: true,
        definition:
            "Customers whose first completed order ever (in all imported data) falls in the range.",
        formula: "count(customers with first order date in range)",
    };
    const CHURN: Def = Def { id: "churn_rate", label: "Churn rate", group: "Retention & loyalty", unit: Unit::Ratio, higher_is_better: false,
        definition: "Of the customers active in the previous period, the share with no completed order in this period. Headline: the latest period.",
        formula: "customers active in P-1 and not in P / customers active in P-1" };
    const CHURN_START: Def = Def { id: "churn_rate", label: "Churn rate (start of period)", group: "Retention & loyalty", unit: Unit::Ratio, higher_is_better: false,
        definition: "ChartMogul-style option: of the customers at the start of the period (acquired before it, with an order in the 365 days before it), the share with no completed order in the period. Customers acquired in the period are left out.",
        formula: "start-of-period customers without an order in P / start-of-period customers" };
    const RETENTION_START: Def = Def { id: "retention_rate", label: "Retention rate (start of period)", group: "Retention & loyalty", unit: Unit::Ratio, higher_is_better: true,
        definition: "ChartMogul-style option: 1 - churn rate, over the customers at the start of the period.",
        formula: "start-of-period customers with an order in P / start-of-period customers" };
    const RETENTION: Def = Def { id: "retention_rate", label: "Retention rate", group: "Retention & loyalty", unit: Unit::Ratio, higher_is_better: true,
        definition: "Of the customers active in the previous period, the share who ordered again in this period (1 - churn rate).",
        formula: "customers active in P-1 and in P / customers active in P-1" };
    const ONLINE_RETENTION: Def = Def { id: "online_retention_rate", label: "Online retention rate", group: "Retention & loyalty", unit: Unit::Ratio, higher_is_better: true,
        definition: "Of the customers who ordered online (web or EDI portal) in the previous period, the share who ordered online again in this period rather than going back to their salesperson.",
        formula: "online customers in P-1 who ordered online in P / online customers in P-1" };
    const ONLINE_SHARE: Def = Def { id: "online_revenue_share", label: "Online revenue share", group: "Revenue", unit: Unit::Ratio, higher_is_better: true,
        definition: "Share of revenue from orders placed online (web shop or EDI portal). Orders researched online but placed by email or phone count as offline.",
        formula: "revenue(web + EDI) / revenue" };
    const MIX: Def = Def { id: "channel_mix", label: "Channel mix (largest channel)", group: "Revenue", unit: Unit::Ratio, higher_is_better: true,
        definition: "Share of revenue by channel (web, EDI, email, phone, other); the headline is the largest channel's share, the breakdown lists all.",
        formula: "revenue(channel) / revenue" };
    const RETURNS: Def = Def { id: "return_rate", label: "Return rate", group: "Operations & service", unit: Unit::Ratio, higher_is_better: false,
        definition: "Share of orders returned: orders with a returned status, plus orders listed in a returns file.",
        formula: "returned orders / (completed + returned orders)" };
    const WRONG: Def = Def {
        id: "wrong_delivery_rate",
        label: "Wrong-delivery rate",
        group: "Operations & service",
        unit: Unit::Ratio,
        higher_is_better: false,
        definition:
            "Returns whose reason says the wrong goods or quantity were delivered (wrong delivery, wrong item, merce errata, Falschlieferung...), per order in the range.",
        formula: "returns with a wrong-delivery reason / orders",
    };
    if !ctx.has_orders {
        for d in [
            &ACTIVE,
            &NEW,
            &CHURN,
            &RETENTION,
            &ONLINE_RETENTION,
            &ONLINE_SHARE,
            &MIX,
            &RETURNS,
            &WRONG,
        ] {
            out.push(unavailable(d, ORDERS_NEEDED));
        }
        return;
    }
    let first_days = &ctx.base.first_days;
    let mut k = per_period(
        ctx,
        &ACTIVE,
        &["orders.customer_id", "orders.order_date", "orders.status"],
        |i| Some(active[i].active as f64),
    );
    k.missing.clear();
    out.push(k);
    out.push(ranged(
        ctx,
        &NEW,
        &["orders.customer_id", "orders.order_date", "orders.status"],
        |a, b| {
            let from = first_days.partition_point(|d| *d < a);
            Some(first_days[from..].partition_point(|d| *d <= b) as f64)
        },
    ));
    // (customers who stayed, customers active in the period before), when there were some.
    let kept = |by_period: &[Active], i: usize| -> Option<(f64, f64)> {
        let before = by_period[i.checked_sub(1)?].active;
        (before > 0).then_some((by_period[i].stayed as f64, before as f64))
    };
    let inputs = ["orders.customer_id", "orders.order_date", "orders.status"];
    let chartmogul = ctx.churn == super::ChurnDefinition::StartOfPeriod;
    // The option: ChartMogul-style, the base is every customer at the start of P (acquired
    // before P and with an order in the year before P), not only those active in P-1.
    let mut marks = CustomerMarks::new(if chartmogul { ctx.customers.len() } else { 0 });
    let mut start_of_period = |i: usize| -> Option<(f64, f64)> {
        let p = &ctx.periods[i];
        let active = active_list(ctx, p.start, p.end, false, &mut marks);
        let year_before = active_list(ctx, p.start - 365, p.start - 1, false, &mut marks);
        let base: Vec<u32> = year_before
            .into_iter()
            .filter(|c| ctx.base.first_order[*c as usize] < p.start)
            .collect();
        let stayed = overlap(&base, &active, &mut marks) as f64;
        (!base.is_empty()).then_some((stayed, base.len() as f64))
    };
    let churn_def = if chartmogul { &CHURN_START } else { &CHURN };
    let retention_def = if chartmogul {
        &RETENTION_START
    } else {
        &RETENTION
    };
    // Once per period, for both churn and retention.
    let kept_or_start: Vec<Option<(f64, f64)>> = (0..ctx.periods.len())
        .map(|i| {
            if chartmogul {
                start_of_period(i)
            } else {
                kept(active, i)
            }
        })
        .collect();
    out.push(per_period(ctx, churn_def, &inputs, |i| {
        kept_or_start[i].map(|(s, n)| 1.0 - s / n)
    }));
    out.push(per_period(ctx, retention_def, &inputs, |i| {
        kept_or_start[i].map(|(s, n)| s / n)
    }));
    let mut k = per_period(
        ctx,
        &ONLINE_RETENTION,
        &["orders.customer_id", "orders.order_date", "orders.channel"],
        |i| kept(online, i).map(|(s, n)| s / n),
    );
    if ctx.orders.iter().all(|o| o.channel == Channel::Unknown) {
        k = unavailable(
            &ONLINE_RETENTION,
            "a channel column in the orders file (web, EDI, email, phone)",
        );
    }
    out.push(k);
    let has_channel = ctx.orders.iter().any(|o| o.channel != Channel::Unknown);
    if has_channel {
        out.push(ranged(
            ctx,
            &ONLINE_SHARE,
            &["orders.amount", "orders.channel"],
            |a, b| {
                let s = ctx.base.sums.sums(a, b);
                ratio(s.online as f64, s.revenue as f64)
            },
        ));
        let share_by_channel = |a: i32, b: i32| {
            let by = ctx.base.sums.sums(a, b).by_channel;
            let total: i128 = by.iter().sum();
            (by, total)
        };
        let mut k = ranged(ctx, &MIX, &["orders.amount", "orders.channel"], |a, b| {
            let (by, total) = share_by_channel(a, b);
            ratio(*by.iter().max().unwrap_or(&0) as f64, total as f64)
        });
        let (by, total) = share_by_channel(ctx.from, ctx.to);
        let mut slices: Vec<crate::report::Slice> = Channel::ALL
            .iter()
            .filter(|c| by[**c as usize] != 0)
            .map(|c| crate::report::Slice {
                key: c.name().into(),
                value: ratio(by[*c as usize] as f64, total as f64),
            })
            .collect();
        slices.sort_by(|a, b| b.value.unwrap_or(0.0).total_cmp(&a.value.unwrap_or(0.0)));
        k.breakdowns.insert("channel".into(), slices);
        out.push(k);
    } else {
        out.push(unavailable(
            &ONLINE_SHARE,
            "a channel column in the orders file (web, EDI, email, phone)",
        ));
        out.push(unavailable(
            &MIX,
            "a channel column in the orders file (web, EDI, email, phone)",
        ));
    }
    // Returns: returned status, plus orders named in a returns file.
    let returns = ctx.table(FileKind::Returns);
    let has_returned_status = ctx.orders.iter().any(|o| o.status == OrderStatus::Returned);
    if has_returned_status || returns.is_some() {
        let mut inputs = vec!["orders.status"];
        if returns.is_some() {
            inputs.push("returns.order_id");
        }
        out.push(ranged(ctx, &RETURNS, &inputs, |a, b| {
            let s = ctx.base.sums.sums(a, b);
            ratio(s.returned as f64, s.considered as f64)
        }));
    } else {
        out.push(unavailable(
            &RETURNS,
            "a returns file (order_id, date) or a returned status in the orders file",
        ));
    }
    match returns.and_then(|t| Some((Days::of(t.dates("date")?), t.text("reason")?))) {
        Some((dates, (names, reasons))) => {
            let wrong_reason = per_word(names, words::is_wrong_delivery);
            out.push(ranged(
                ctx,
                &WRONG,
                &["returns.date", "returns.reason", "orders.order_id"],
                |a, b| {
                    let wrong = rows_in(dates, a, b)
                        .filter(|i| wrong_reason[reasons[*i] as usize])
                        .count();
                    ratio(wrong as f64, ctx.base.sums.sums(a, b).considered as f64)
                },
            ))
        }
        None => out.push(unavailable(&WRONG, "a returns file with a reason column")),
    }
}

/// Rows of a table whose date field lies in [a, b].
///
/// A ranged KPI asks this for the range and for every period (27 ranges for two years by
/// month): over dates in order, as exports list their rows, the rows of a range are found by
/// two binary searches instead of a pass over the whole table each time (a 500k-row carts
/// file took 27 passes a KPI, and again for every breakdown slice).
fn rows_in(dates: Days<'_>, a: i32, b: i32) -> impl Iterator<Item = usize> + '_ {
    let std::ops::Range {
        start: from,
        end: to,
    } = if dates.ascending {
        span_in(dates.days, a, b)
    } else {
        0..dates.days.len()
    };
    let scan = !dates.ascending;
    dates.days[from..to]
        .iter()
        .enumerate()
        .filter(move |(_, d)| !scan || (**d != NO_DATE && (a..=b).contains(*d)))
        .map(move |(i, _)| from + i)
}

/// The positions of the days in [a, b] of `sorted` (ascending), by two binary searches.
/// `NO_DATE` sorts first and is below every range.
fn span_in(sorted: &[i32], a: i32, b: i32) -> std::ops::Range<usize> {
    let from = sorted.partition_point(|d| *d < a);
    from..sorted.partition_point(|d| *d <= b).max(from)
}

/// A date column, and whether its days never decrease (see `rows_in`).
#[derive(Clone, Copy, Default)]
struct Days<'a> {
    days: &'a [i32],
    ascending: bool,
}

impl<'a> Days<'a> {
    fn of(days: &'a [i32]) -> Days<'a> {
        Days {
            days,
            ascending: days.is_sorted(),
        }
    }
    /// The column `field` of `t`, empty when it has none.
    fn field(t: &'a crate::ingest::generic::GenericTable, field: &str) -> Days<'a> {
        Days::of(t.dates(field).unwrap_or(&[]))
    }
}

impl std::ops::Deref for Days<'_> {
    type Target = [i32];
    fn deref(&self) -> &[i32] {
        self.days
    }
}

/// `f` of every word of a text column, by id. Status, type, category and reason columns
/// repeat a few words on every row: each word is read once, not once per row (a word read
/// per row of a 200k-row contacts file, for each KPI, period and breakdown slice, was most
/// of a report's time with every kind of file).
pub(super) fn per_word<T>(names: &crate::table::Interner, f: impl Fn(&str) -> T) -> Vec<T> {
    (0..names.len() as u32)
        .map(|id| f(names.name(id)))
        .collect()
}

/// A table's rows in a day range, counted: all of them, and those `marked`. Over dates in
/// order, by running counts made once (two binary searches a range, for each of a ranged
/// KPI's ~27 ranges); otherwise by a pass over the range's rows.
struct Tally<'a, F: Fn(usize) -> bool> {
    dates: Days<'a>,
    marked: F,
    /// `running[i]`: marked rows before row `i`.
    running: Option<Vec<u32>>,
}

impl<'a, F: Fn(usize) -> bool> Tally<'a, F> {
    fn new(dates: Days<'a>, marked: F) -> Self {
        let running = dates.ascending.then(|| {
            let mut running = Vec::with_capacity(dates.len() + 1);
            let mut n = 0u32;
            running.push(0);
            for i in 0..dates.len() {
                n += u32::from(marked(i));
                running.push(n);
            }
            running
        });
        Tally {
            dates,
            marked,
            running,
        }
    }
    /// (rows, marked rows) with a day in [a, b].
    fn count(&self, a: i32, b: i32) -> (usize, usize) {
        match &self.running {
            Some(running) => {
                let span = span_in(self.dates.days, a, b);
                (
                    span.len(),
                    (running[span.end] - running[span.start]) as usize,
                )
            }
            None => rows_in(self.dates, a, b).fold((0, 0), |(n, m), i| {
                (n + 1, m + usize::from((self.marked)(i)))
            }),
        }
    }
}

/// A number column's sums over day ranges, empty cells left out: over dates in order by
/// running sums made once (two binary searches a range), otherwise by a pass over the
/// range's rows. Integer sums: the same in any order.
struct RangeSums<'a> {
    dates: Days<'a>,
    values: &'a [i64],
    /// `running[i]`: the sum of the rows before row `i`.
    running: Option<Vec<i128>>,
}

impl<'a> RangeSums<'a> {
    fn new(dates: Days<'a>, values: &'a [i64]) -> Self {
        let running = dates.ascending.then(|| {
            let mut running = Vec::with_capacity(dates.len() + 1);
            let mut sum = 0i128;
            running.push(0);
            for i in 0..dates.len() {
                let v = values.get(i).copied().unwrap_or(NO_NUMBER);
                if v != NO_NUMBER {
                    sum += i128::from(v);
                }
                running.push(sum);
            }
            running
        });
        RangeSums {
            dates,
            values,
            running,
        }
    }
    fn sum(&self, a: i32, b: i32) -> i128 {
        match &self.running {
            Some(running) => {
                let span = span_in(self.dates.days, a, b);
                running[span.end] - running[span.start]
            }
            None => rows_in(self.dates, a, b)
                .map(|i| self.values.get(i).copied().unwrap_or(NO_NUMBER))
                .filter(|v| *v != NO_NUMBER)
                .map(i128::from)
                .sum(),
        }
    }
}

/// Funnel KPIs: visit to order, cart abandonment, quotes.
fn funnel(ctx: &Ctx, out: &mut Vec<Kpi>) {
    const CONVERSION: Def = Def { id: "conversion_rate", label: "Conversion rate (visit to order)", group: "Conversion", unit: Unit::Ratio, higher_is_better: true,
        definition: "Orders per web session (or per visitor when the traffic file has no sessions). Orders are the traffic file's orders column, else the web orders of the orders file.",
        formula: "orders / sessions" };
    const ABANDON: Def = Def { id: "cart_abandonment_rate", label: "Cart abandonment rate", group: "Conversion", unit: Unit::Ratio, higher_is_better: false,
        definition: "Share of carts created that did not become an order (from a carts file; else 1 - orders / add-to-carts from the traffic file).",
        formula: "carts not converted / carts created" };
    const QUOTES: Def = Def { id: "quote_acceptance_rate", label: "Quote acceptance rate", group: "Conversion", unit: Unit::Ratio, higher_is_better: true,
        definition: "Share of quotes requested in the range that were accepted (by status or an accepted date).",
        formula: "accepted quotes / requested quotes" };
    match ctx.table(FileKind::Traffic) {
        Some(t) => {
            let dates = Days::field(t, "date");
            let (denominator, den_name) = match (t.numbers("sessions"), t.numbers("visitors")) {
                (Some(s), _) => (s, "traffic.sessions"),
                (None, Some(v)) => (v, "traffic.visitors"),
                _ => (&[][..], ""),
            };
            let traffic_orders = t.numbers("orders");
            let visits = RangeSums::new(dates, denominator);
            let traffic_orders_sums = traffic_orders.map(|o| RangeSums::new(dates, o));
            let num_name = if traffic_orders.is_some() {
                "traffic.orders"
            } else {
                "orders.channel = web"
            };
            out.push(ranged(
                ctx,
                &CONVERSION,
                &[num_name, den_name, "traffic.date"],
                |a, b| {
                    let visits = visits.sum(a, b) as f64 / SCALE as f64;
                    let orders = match &traffic_orders_sums {
                        Some(o) => o.sum(a, b) as f64 / SCALE as f64,
                        None => ctx.base.sums.sums(a, b).web as f64,
                    };
                    ratio(orders, visits)
                },
            ));
        }
        None => out.push(unavailable(
            &CONVERSION,
            "a web traffic file (date, sessions or visitors)",
        )),
    }
    if let Some(t) = ctx.table(FileKind::Carts) {
        let dates = Days::field(t, "created");
        let status = t
            .text("status")
            .map(|(n, ids)| (per_word(n, words::cart_converted), ids));
        // Text id 0 is the empty cell.
        let order = t.text("order_id").map(|(_, ids)| ids);
        let carts = Tally::new(dates, |i| {
            let by_status = status
                .as_ref()
                .is_some_and(|(yes, ids)| yes[ids[i] as usize]);
            let by_order = order.is_some_and(|ids| ids[i] != 0);
            by_status || by_order
        });
        out.push(ranged(
            ctx,
            &ABANDON,
            &["carts.created", "carts.status", "carts.order_id"],
            |a, b| {
                let (created, converted) = carts.count(a, b);
                ratio((created - converted) as f64, created as f64)
            },
        ));
    } else if let Some(t) = ctx
        .table(FileKind::Traffic)
        .filter(|t| t.has("add_to_cart") && t.has("orders"))
    {
        let dates = Days::field(t, "date");
        let (adds, orders) = (
            RangeSums::new(dates, t.numbers("add_to_cart").unwrap_or(&[])),
            RangeSums::new(dates, t.numbers("orders").unwrap_or(&[])),
        );
        out.push(ranged(
            ctx,
            &ABANDON,
            &["traffic.add_to_cart", "traffic.orders"],
            |a, b| {
                let adds_in = adds.sum(a, b) as f64;
                ratio(adds_in - orders.sum(a, b) as f64, adds_in)
            },
        ));
    } else {
        out.push(unavailable(&ABANDON, "a carts file (cart_id, created, status or order_id) or traffic with add-to-cart and orders"));
    }
    match ctx.table(FileKind::Quotes) {
        Some(t) => {
            let dates = Days::field(t, "requested");
            let status = t
                .text("status")
                .map(|(n, ids)| (per_word(n, words::quote_accepted), ids));
            let accepted = t.dates("accepted");
            let quotes = Tally::new(dates, |i| {
                let by_status = status
                    .as_ref()
                    .is_some_and(|(yes, ids)| yes[ids[i] as usize]);
                let by_date = accepted.is_some_and(|d| d[i] != NO_DATE);
                by_status || by_date
            });
            out.push(ranged(
                ctx,
                &QUOTES,
                &["quotes.requested", "quotes.status", "quotes.accepted"],
                |a, b| {
                    let (n, yes) = quotes.count(a, b);
                    ratio(yes as f64, n as f64)
                },
            ));
        }
        None => out.push(unavailable(
            &QUOTES,
            "a quotes file (quote_id, requested date, status or accepted date)",
        )),
    }
}

/// An opportunity's outcome, as its word reads.
#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Won,
    Lost,
    Open,
}

impl Outcome {
    fn of(word: &str) -> Outcome {
        if words::is_won(word) {
            Outcome::Won
        } else if words::is_lost(word) {
            Outcome::Lost
        } else {
            Outcome::Open
        }
    }
}

/// The opportunities' close dates and outcomes, each outcome word read once.
struct Closings<'a> {
    /// The closed rows by close date: (day, row), in order. Opportunities are listed by
    /// creation, so their close dates are not in order; each period finds its own here.
    closed: Option<Vec<(i32, u32)>>,
    /// The outcome of each word of the outcome column, and each row's word.
    outcomes: Option<(Vec<Outcome>, &'a [u32])>,
    /// Every row's outcome without an outcome column (that of an empty word).
    without: Outcome,
}

impl<'a> Closings<'a> {
    fn of(t: &'a crate::ingest::generic::GenericTable) -> Closings<'a> {
        Closings {
            closed: t.dates("closed").map(|days| {
                let mut by_day: Vec<(i32, u32)> = days
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| **d != NO_DATE)
                    .map(|(i, d)| (*d, i as u32))
                    .collect();
                by_day.sort_unstable();
                by_day
            }),
            outcomes: t
                .text("outcome")
                .map(|(n, ids)| (per_word(n, Outcome::of), ids)),
            without: Outcome::of(""),
        }
    }
    fn outcome(&self, i: usize) -> Outcome {
        match &self.outcomes {
            Some((by_word, ids)) => by_word[ids[i] as usize],
            None => self.without,
        }
    }
    /// Opportunities closed in [a, b]: (won, lost) row indexes.
    fn closed_in(&self, a: i32, b: i32) -> (Vec<usize>, Vec<usize>) {
        let (mut won, mut lost) = (Vec::new(), Vec::new());
        let Some(closed) = &self.closed else {
            return (won, lost);
        };
        let from = closed.partition_point(|(d, _)| *d < a);
        let to = closed.partition_point(|(d, _)| *d <= b).max(from);
        // By close date, not row order: what is made of these does not depend on the order
        // (counts, integer sums, a median, and a mean of whole days, exact in any order).
        for &(_, i) in &closed[from..to] {
            let i = i as usize;
            match self.outcome(i) {
                Outcome::Won => won.push(i),
                Outcome::Lost => lost.push(i),
                Outcome::Open => {}
            }
        }
        (won, lost)
    }
}

/// Sales pipeline KPIs from opportunities.
fn pipeline(ctx: &Ctx, out: &mut Vec<Kpi>) {
    const WIN: Def = Def {
        id: "win_rate",
        label: "Win rate",
        group: "Sales pipeline",
        unit: Unit::Ratio,
        higher_is_better: true,
        definition: "Of the opportunities closed in the range, the share won.",
        formula: "won / (won + lost), by close date",
    };
    const LEAD: Def = Def { id: "lead_conversion_rate", label: "Lead-to-close conversion", group: "Sales pipeline", unit: Unit::Ratio, higher_is_better: true,
        definition: "Of the opportunities created in the range that have closed, the share won (lead to close, by creation date).", formula: "won / closed, by creation date" };
    const DEAL: Def = Def {
        id: "avg_deal_size",
        label: "Average deal size",
        group: "Sales pipeline",
        unit: Unit::Currency,
        higher_is_better: true,
        definition: "Mean value of the opportunities won in the range.",
        formula: "sum(value of won) / count(won)",
    };
    const CYCLE: Def = Def {
        id: "sales_cycle_days",
        label: "Sales cycle (median days)",
        group: "Sales pipeline",
        unit: Unit::Days,
        higher_is_better: false,
        definition: "Median days from creation to close of the opportunities won in the range.",
        formula: "median(closed - created) over won",
    };
    const CYCLE_MEAN: Def = Def {
        id: "sales_cycle_days_mean",
        label: "Sales cycle (mean days)",
        group: "Sales pipeline",
        unit: Unit::Days,
        higher_is_better: false,
        definition: "Mean days from creation to close of the opportunities won in the range.",
        formula: "mean(closed - created) over won",
    };
    const VELOCITY: Def = Def { id: "sales_velocity", label: "Sales velocity (per day)", group: "Sales pipeline", unit: Unit::Currency, higher_is_better: true,
        definition: "Revenue the pipeline generates per day: open opportunities at the end of the range x average deal size x win rate / mean sales cycle in days.",
        formula: "open opportunities x avg deal size x win rate / sales cycle days (mean)" };
    const VELOCITY_MONTH: Def = Def {
        id: "sales_velocity_monthly",
        label: "Sales velocity (per month)",
        group: "Sales pipeline",
        unit: Unit::Currency,
        higher_is_better: true,
        definition: "Sales velocity per day x 30.44 (average days in a month).",
        formula: "sales_velocity x 365.25 / 12",
    };
    let defs = [
        &WIN,
        &LEAD,
        &DEAL,
        &CYCLE,
        &CYCLE_MEAN,
        &VELOCITY,
        &VELOCITY_MONTH,
    ];
    let Some(t) = ctx.table(FileKind::Opportunities) else {
        for d in defs {
            out.push(unavailable(
                d,
                "an opportunities file (id, created, closed, outcome won/lost, value)",
            ));
        }
        return;
    };
    let created = Days::field(t, "created");
    let closed = t.dates("closed");
    let closings = Closings::of(t);
    let values = t.numbers("value");
    let win_rate = |a, b| {
        let (won, lost) = closings.closed_in(a, b);
        ratio(won.len() as f64, (won.len() + lost.len()) as f64)
    };
    let deal = |a, b| {
        let (won, _) = closings.closed_in(a, b);
        let v = values?;
        let vals: Vec<i64> = won
            .iter()
            .map(|i| v[*i])
            .filter(|x| *x != NO_NUMBER)
            .collect();
        ratio(
            vals.iter().map(|v| *v as i128).sum::<i128>() as f64 / SCALE as f64,
            vals.len() as f64,
        )
    };
    let cycles = |a, b| -> Vec<f64> {
        let (won, _) = closings.closed_in(a, b);
        let c = closed.unwrap_or(&[]);
        won.iter()
            .filter(|i| created[**i] != NO_DATE)
            .map(|i| (c[*i] - created[*i]) as f64)
            .collect()
    };
    let median = |mut v: Vec<f64>| -> Option<f64> {
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let m = v.len() / 2;
        Some(if v.len() % 2 == 1 {
            v[m]
        } else {
            (v[m - 1] + v[m]) / 2.0
        })
    };
    let mean = |v: Vec<f64>| ratio(v.iter().sum(), v.len() as f64);
    let open_at = |day: i32| {
        let c = closed.unwrap_or(&[]);
        (0..t.len())
            .filter(|i| {
                created[*i] != NO_DATE
                    && created[*i] <= day
                    && c.get(*i).is_none_or(|d| *d == NO_DATE || *d > day)
            })
            .count()
    };
    let velocity = |a: i32, b: i32| -> Option<f64> {
        let cycle = mean(cycles(a, b))?;
        (cycle > 0.0).then(|| {
            open_at(b) as f64 * deal(a, b).unwrap_or(0.0) * win_rate(a, b).unwrap_or(0.0) / cycle
        })
    };
    let outcome_inputs = ["opportunities.closed", "opportunities.outcome"];
    out.push(ranged(ctx, &WIN, &outcome_inputs, win_rate));
    out.push(ranged(
        ctx,
        &LEAD,
        &["opportunities.created", "opportunities.outcome"],
        |a, b| {
            closings.outcomes.as_ref()?;
            let (mut won, mut closed_n) = (0usize, 0usize);
            for i in rows_in(created, a, b) {
                match closings.outcome(i) {
                    Outcome::Won => {
                        won += 1;
                        closed_n += 1;
                    }
                    Outcome::Lost => closed_n += 1,
                    Outcome::Open => {}
                }
            }
            ratio(won as f64, closed_n as f64)
        },
    ));
    out.push(if values.is_some() {
        ranged(
            ctx,
            &DEAL,
            &[
                "opportunities.value",
                "opportunities.outcome",
                "opportunities.closed",
            ],
            deal,
        )
    } else {
        unavailable(&DEAL, "a value column in the opportunities file")
    });
    out.push(ranged(
        ctx,
        &CYCLE,
        &["opportunities.created", "opportunities.closed"],
        |a, b| median(cycles(a, b)),
    ));
    out.push(ranged(
        ctx,
        &CYCLE_MEAN,
        &["opportunities.created", "opportunities.closed"],
        |a, b| mean(cycles(a, b)),
    ));
    let inputs = [
        "opportunities.created",
        "opportunities.closed",
        "opportunities.outcome",
        "opportunities.value",
    ];
    out.push(ranged(ctx, &VELOCITY, &inputs, velocity));
    out.push(ranged(ctx, &VELOCITY_MONTH, &inputs, |a, b| {
        velocity(a, b).map(|v| v * 365.25 / 12.0)
    }));
}

/// A spend file's dates, amounts and categories, each category word read once.
struct Spend<'a> {
    dates: Days<'a>,
    amounts: &'a [i64],
    categories: Option<(Vec<words::SpendCategory>, &'a [u32])>,
}

impl<'a> Spend<'a> {
    fn of(t: &'a crate::ingest::generic::GenericTable) -> Spend<'a> {
        Spend {
            dates: Days::field(t, "date"),
            amounts: t.numbers("amount").unwrap_or(&[]),
            categories: t
                .text("category")
                .map(|(n, ids)| (per_word(n, words::spend_category), ids)),
        }
    }
    /// Spend by category in [a, b]: (marketing, sales) in currency units.
    fn in_range(&self, a: i32, b: i32) -> (f64, f64) {
        let (mut m, mut s) = (0i128, 0i128);
        for i in rows_in(self.dates, a, b) {
            let amount = self.amounts[i];
            if amount == NO_NUMBER {
                continue;
            }
            match self.categories.as_ref().map(|(c, ids)| c[ids[i] as usize]) {
                Some(words::SpendCategory::Marketing) => m += amount as i128,
                Some(words::SpendCategory::Sales) => s += amount as i128,
                // Without a category column all spend is acquisition spend, counted as
                // marketing.
                None => m += amount as i128,
                Some(words::SpendCategory::Other) => {}
            }
        }
        (m as f64 / SCALE as f64, s as f64 / SCALE as f64)
    }
}

/// Who the new customers of a range are: customers whose first completed order falls in
/// it, else (no orders) the customers file's rows created in it.
enum NewCustomers<'a> {
    /// Each customer's first order day by customer id (`ctx.base.first_order`), and those
    /// days in order (`first_days`): a range's count is two binary searches.
    FirstOrders(&'a [i32], &'a [i32]),
    /// The customers file's created dates and names.
    Created(Days<'a>, &'a [u32]),
    /// Neither: new customers can not be told.
    Unknown,
}

/// Of the new customers, those that came from marketing: their first order days in order
/// (by orders), or whether each name of the customers file did (no orders).
enum FromMarketing {
    FirstDays(Vec<i32>),
    ByName(Vec<bool>),
}

impl<'a> NewCustomers<'a> {
    fn of(ctx: &'a Ctx) -> NewCustomers<'a> {
        if ctx.has_orders {
            return NewCustomers::FirstOrders(&ctx.base.first_order, &ctx.base.first_days);
        }
        let created = ctx.table(FileKind::Customers).and_then(|t| {
            Some(NewCustomers::Created(
                Days::of(t.dates("created")?),
                t.text("customer_id")?.1,
            ))
        });
        created.unwrap_or(NewCustomers::Unknown)
    }
    /// `is_marketing` by customer id (first orders) or by customers-file name id (no
    /// orders), in the form `count` reads.
    fn marketing_of(&self, is_marketing: Vec<bool>) -> FromMarketing {
        match self {
            NewCustomers::FirstOrders(first, _) => {
                let mut days: Vec<i32> = first
                    .iter()
                    .zip(&is_marketing)
                    .filter(|(d, m)| **m && **d != i32::MAX)
                    .map(|(d, _)| *d)
                    .collect();
                days.sort_unstable();
                FromMarketing::FirstDays(days)
            }
            _ => FromMarketing::ByName(is_marketing),
        }
    }
    /// New customers in [a, b]: how many, and how many of them came from marketing.
    fn count(&self, a: i32, b: i32, marketing: Option<&FromMarketing>) -> Option<(usize, usize)> {
        match self {
            NewCustomers::FirstOrders(_, days) => {
                let from_marketing = match marketing {
                    Some(FromMarketing::FirstDays(m)) => span_in(m, a, b).len(),
                    _ => 0,
                };
                Some((span_in(days, a, b).len(), from_marketing))
            }
            NewCustomers::Created(created, names) => {
                let (mut n, mut m) = (0, 0);
                for i in rows_in(*created, a, b) {
                    n += 1;
                    if let Some(FromMarketing::ByName(by_name)) = marketing {
                        m += usize::from(by_name.get(names[i] as usize).copied().unwrap_or(false));
                    }
                }
                Some((n, m))
            }
            NewCustomers::Unknown => None,
        }
    }
}

/// CAC, marketing's share of it, marketing-originated customers.
fn acquisition(ctx: &Ctx, out: &mut Vec<Kpi>) {
    const CAC: Def = Def { id: "cac", label: "Customer acquisition cost", group: "Acquisition", unit: Unit::Currency, higher_is_better: false,
        definition: "Marketing and sales spend per new customer in the range. Spend in other categories is left out; spend without a category column counts as marketing.",
        formula: "(marketing + sales spend) / new customers" };
    const MKT_SHARE: Def = Def { id: "marketing_cac_share", label: "Marketing share of CAC", group: "Acquisition", unit: Unit::Ratio, higher_is_better: false,
        definition: "Marketing's part of the acquisition spend (seed 001: 'percentuale di marketing del CAC').", formula: "marketing spend / (marketing + sales spend)" };
    const ORIGINATED: Def = Def { id: "marketing_originated_share", label: "Marketing-originated customers", group: "Acquisition", unit: Unit::Ratio, higher_is_better: true,
        definition: "Share of new customers whose acquisition source is marketing (campaigns, web, inbound...), from the customers file.", formula: "new customers with a marketing source / new customers" };
    let new = NewCustomers::of(ctx);
    match ctx.table(FileKind::Spend) {
        Some(t) => {
            let spend = Spend::of(t);
            out.push(ranged(
                ctx,
                &CAC,
                &[
                    "spend.amount",
                    "spend.category",
                    "orders (first order per customer)",
                ],
                |a, b| {
                    let (m, s) = spend.in_range(a, b);
                    let (n, _) = new.count(a, b, None)?;
                    ratio(m + s, n as f64)
                },
            ));
            out.push(ranged(
                ctx,
                &MKT_SHARE,
                &["spend.amount", "spend.category"],
                |a, b| {
                    let (m, s) = spend.in_range(a, b);
                    ratio(m, m + s)
                },
            ));
        }
        None => {
            out.push(unavailable(
                &CAC,
                "a spend file with marketing/sales amounts (date, amount, category)",
            ));
            out.push(unavailable(
                &MKT_SHARE,
                "a spend file with marketing/sales amounts (date, amount, category)",
            ));
        }
    }
    // Whether each new customer came from marketing, by the id `NewCustomers` counts it
    // under: a customer's last row in the customers file says (a customer the file does not
    // list did not).
    let sources = ctx.table(FileKind::Customers).and_then(|t| {
        let (names, ids) = t.text("customer_id")?;
        let (snames, sids) = t.text("source")?;
        let marketing_word = per_word(snames, words::is_marketing_source);
        let mut marketing = vec![
            false;
            if ctx.has_orders {
                ctx.customers.len()
            } else {
                names.len()
            }
        ];
        for (c, s) in ids.iter().zip(sids) {
            let id = if ctx.has_orders {
                ctx.customers.get(names.name(*c))
            } else {
                Some(*c)
            };
            if let Some(id) = id {
                marketing[id as usize] = marketing_word[*s as usize];
            }
        }
        Some(new.marketing_of(marketing))
    });
    match sources {
        Some(marketing) => out.push(ranged(
            ctx,
            &ORIGINATED,
            &["customers.source", "orders (first order per customer)"],
            |a, b| {
                let (n, from_marketing) = new.count(a, b, Some(&marketing))?;
                ratio(from_marketing as f64, n as f64)
            },
        )),
        None => out.push(unavailable(
            &ORIGINATED,
            "a customers file with an acquisition source column",
        )),
    }
}

/// NPS, CSAT, service contacts. `active`: each period's active customers
/// (`activity_by_period`).
fn service(ctx: &Ctx, active: &[Active], out: &mut Vec<Kpi>) {
    const NPS: Def = Def { id: "nps", label: "Net Promoter Score", group: "Operations & service", unit: Unit::Score, higher_is_better: true,
        definition: "Percentage of promoters (9-10) minus percentage of detractors (0-6) among 0-10 answers. Rows typed CSAT are left out.", formula: "100 x (promoters - detractors) / responses" };
    const CSAT: Def = Def { id: "csat", label: "Customer satisfaction (CSAT)", group: "Operations & service", unit: Unit::Ratio, higher_is_better: true,
        definition: "Share of answers in the top two points of the scale: 4-5 on the default 1-5 scale; other scales are set explicitly (--csat-scale 7 counts 6-7, 10 counts 9-10). Rows typed NPS are left out; a file without a type column is CSAT when no score exceeds 5, or when a scale is set.", formula: "responses in the top two points / responses" };
    const CONTACTS: Def = Def {
        id: "support_contacts",
        label: "Service contacts",
        group: "Operations & service",
        unit: Unit::Count,
        higher_is_better: false,
        definition: "Customer service contacts (calls, emails, chats...) in the range.",
        formula: "count(contacts)",
    };
    const CALLS: Def = Def {
        id: "calls",
        label: "Service calls",
        group: "Operations & service",
        unit: Unit::Count,
        higher_is_better: false,
        definition: "Customer service phone calls in the range.",
        formula: "count(contacts of type call/phone)",
    };
    const EMAILS: Def = Def {
        id: "emails",
        label: "Service emails",
        group: "Operations & service",
        unit: Unit::Count,
        higher_is_better: false,
        definition: "Customer service emails in the range.",
        formula: "count(contacts of type email)",
    };
    const PER_ORDER: Def = Def {
        id: "contacts_per_order",
        label: "Contacts per order",
        group: "Operations & service",
        unit: Unit::Number,
        higher_is_better: false,
        definition:
            "Service contacts per completed order: falls as customers serve themselves online.",
        formula: "contacts / orders",
    };
    const PER_CUSTOMER: Def = Def {
        id: "contacts_per_customer",
        label: "Contacts per customer",
        group: "Operations & service",
        unit: Unit::Number,
        higher_is_better: false,
        definition: "Service contacts per active customer.",
        formula: "contacts / customers with an order",
    };
    match ctx.table(FileKind::Surveys) {
        Some(t) => {
            let dates = Days::field(t, "date");
            let scores = t.numbers("score").unwrap_or(&[]);
            // Each type word read once: Some(true) for NPS, Some(false) for CSAT, None when
            // it says neither.
            let types = t.text("type").map(|(n, ids)| {
                let kind = per_word(n, |word| {
                    let w = crate::ingest::schema::normalize_header(word);
                    if w.contains("nps") || w.contains("recommend") {
                        Some(true)
                    } else if w.contains("csat") || w.contains("satisf") {
                        Some(false)
                    } else {
                        None
                    }
                });
                (kind, ids)
            });
            // No usable type: a CSAT scale the user set says CSAT; else the scale decides
            // (any answer above 5 makes an NPS file).
            let untyped_nps =
                ctx.csat_scale == 5 && scores.iter().any(|s| *s != NO_NUMBER && *s > 5 * SCALE);
            let typed = |i: usize, nps: bool| -> bool {
                match types.as_ref().and_then(|(kind, ids)| kind[ids[i] as usize]) {
                    Some(is_nps) => is_nps == nps,
                    None => untyped_nps == nps,
                }
            };
            let mut k = ranged(
                ctx,
                &NPS,
                &["surveys.score", "surveys.type", "surveys.date"],
                |a, b| {
                    let (mut n, mut pro, mut det) = (0usize, 0usize, 0usize);
                    for i in rows_in(dates, a, b).filter(|i| typed(*i, true)) {
                        let s = scores[i];
                        if s == NO_NUMBER || !(0..=10 * SCALE).contains(&s) {
                            continue;
                        }
                        n += 1;
                        pro += usize::from(s >= 9 * SCALE);
                        det += usize::from(s <= 6 * SCALE);
                    }
                    ratio(100.0 * (pro as f64 - det as f64), n as f64)
                },
            );
            // The distribution of the answers (0 to 10) over the range, for the chart.
            let mut answers = [0u64; 11];
            for i in rows_in(dates, ctx.from, ctx.to).filter(|i| typed(*i, true)) {
                let s = scores[i];
                if s != NO_NUMBER && (0..=10 * SCALE).contains(&s) && s % SCALE == 0 {
                    answers[(s / SCALE) as usize] += 1;
                }
            }
            if k.value.is_some() {
                k.breakdowns.insert(
                    "score".into(),
                    answers
                        .iter()
                        .enumerate()
                        .map(|(score, n)| crate::report::Slice {
                            key: score.to_string(),
                            value: Some(*n as f64),
                        })
                        .collect(),
                );
            }
            out.push(k);
            out.push(ranged(
                ctx,
                &CSAT,
                &["surveys.score", "surveys.type", "surveys.date"],
                |a, b| {
                    let (mut n, mut good) = (0usize, 0usize);
                    for i in rows_in(dates, a, b).filter(|i| typed(*i, false)) {
                        let s = scores[i];
                        let top = ctx.csat_scale as i64 * SCALE;
                        if s == NO_NUMBER || !(SCALE..=top).contains(&s) {
                            continue;
                        }
                        n += 1;
                        // Top-two box: 4-5 on a 1-5 scale, 6-7 on 1-7, 9-10 on 1-10.
                        good += usize::from(s >= top - SCALE);
                    }
                    ratio(good as f64, n as f64)
                },
            ));
        }
        None => {
            out.push(unavailable(&NPS, "a surveys file (date, score 0-10)"));
            out.push(unavailable(&CSAT, "a surveys file (date, score 1-5)"));
        }
    }
    let Some(t) = ctx.table(FileKind::Support) else {
        for d in [&CONTACTS, &CALLS, &EMAILS, &PER_ORDER, &PER_CUSTOMER] {
            out.push(unavailable(
                d,
                "a support contacts file (date, type call/email)",
            ));
        }
        return;
    };
    let dates = Days::field(t, "date");
    let types = t
        .text("type")
        .map(|(n, ids)| (per_word(n, words::contact_type), ids));
    let type_of = |i: usize| types.as_ref().map(|(kind, ids)| kind[ids[i] as usize]);
    let calls = Tally::new(dates, |i| type_of(i) == Some(words::ContactType::Call));
    let emails = Tally::new(dates, |i| type_of(i) == Some(words::ContactType::Email));
    let count = |a: i32, b: i32, want: Option<words::ContactType>| {
        let n = match want {
            None => calls.count(a, b).0,
            Some(words::ContactType::Call) => calls.count(a, b).1,
            Some(words::ContactType::Email) => emails.count(a, b).1,
            Some(words::ContactType::Other) => {
                rows_in(dates, a, b).filter(|i| type_of(*i) == want).count()
            }
        };
        n as f64
    };
    out.push(ranged(ctx, &CONTACTS, &["support.date"], |a, b| {
        Some(count(a, b, None))
    }));
    out.push(ranged(
        ctx,
        &CALLS,
        &["support.date", "support.type"],
        |a, b| Some(count(a, b, Some(words::ContactType::Call))),
    ));
    out.push(ranged(
        ctx,
        &EMAILS,
        &["support.date", "support.type"],
        |a, b| Some(count(a, b, Some(words::ContactType::Email))),
    ));
    if ctx.has_orders {
        let mut k = ranged(
            ctx,
            &PER_ORDER,
            &["support.date", "orders.order_id"],
            |a, b| ratio(count(a, b, None), ctx.base.sums.sums(a, b).completed as f64),
        );
        // Before and after the online launch the user set (seed 002).
        if let Some(launch) = ctx.online_launch {
            let f = |a: i32, b: i32| {
                ratio(
                    count(a, b, None),
                    completed(ctx.orders_in(a, b)).count() as f64,
                )
            };
            k.breakdowns.insert(
                "online_launch".into(),
                vec![
                    crate::report::Slice {
                        key: "before".into(),
                        value: f(ctx.from, launch - 1),
                    },
                    crate::report::Slice {
                        key: "after".into(),
                        value: f(launch, ctx.to),
                    },
                ],
            );
        }
        out.push(k);
        let marks = std::cell::RefCell::new(CustomerMarks::new(ctx.customers.len()));
        // A period's active customers are known; other ranges (the whole range, the one
        // before, a year earlier) are counted.
        let active_in =
            |a: i32, b: i32| match ctx.periods.iter().position(|p| p.start == a && p.end == b) {
                Some(i) => active[i].active as usize,
                None => active_list(ctx, a, b, false, &mut marks.borrow_mut()).len(),
            };
        out.push(ranged(
            ctx,
            &PER_CUSTOMER,
            &["support.date", "orders.customer_id"],
            |a, b| ratio(count(a, b, None), active_in(a, b) as f64),
        ));
    } else {
        out.push(unavailable(&PER_ORDER, ORDERS_NEEDED));
        out.push(unavailable(&PER_CUSTOMER, ORDERS_NEEDED));
    }
}

/// Inventory turnover and days of inventory.
fn inventory(ctx: &Ctx, out: &mut Vec<Kpi>) {
    const TURNOVER: Def = Def { id: "inventory_turnover", label: "Inventory turnover", group: "Operations & service", unit: Unit::Number, higher_is_better: true,
        definition: "How many times inventory was sold and replaced: cost of goods sold over the average of the inventory snapshots in the range (per SKU snapshots are summed per date first).",
        formula: "COGS / average inventory value" };
    const DAYS: Def = Def {
        id: "days_of_inventory",
        label: "Days of inventory",
        group: "Operations & service",
        unit: Unit::Days,
        higher_is_better: false,
        definition: "Days the average inventory lasts at the range's rate of sales.",
        formula: "days in range / inventory turnover",
    };
    let Some(t) = ctx.table(FileKind::Inventory) else {
        out.push(unavailable(
            &TURNOVER,
            "an inventory file (date, inventory value)",
        ));
        out.push(unavailable(
            &DAYS,
            "an inventory file (date, inventory value)",
        ));
        return;
    };
    if !ctx.has_margin {
        out.push(unavailable(
            &TURNOVER,
            "a cost or margin column in the orders file (for COGS)",
        ));
        out.push(unavailable(
            &DAYS,
            "a cost or margin column in the orders file (for COGS)",
        ));
        return;
    }
    let dates = t.dates("date").unwrap_or(&[]);
    let values = t.numbers("value").unwrap_or(&[]);
    // Each snapshot date's total (SKUs summed), in date order, and their running sums: a
    // range's average is then two binary searches, not a map built per period.
    let mut by_date: BTreeMap<i32, i128> = BTreeMap::new();
    for (d, v) in dates.iter().zip(values) {
        if *d != NO_DATE && *v != NO_NUMBER {
            *by_date.entry(*d).or_default() += *v as i128;
        }
    }
    let snapshot_days: Vec<i32> = by_date.keys().copied().collect();
    let running: Vec<i128> = std::iter::once(0)
        .chain(by_date.values().scan(0i128, |sum, v| {
            *sum += v;
            Some(*sum)
        }))
        .collect();
    let turnover = |a: i32, b: i32| -> Option<f64> {
        let span = span_in(&snapshot_days, a, b);
        let avg = ratio(
            (running[span.end] - running[span.start]) as f64,
            span.len() as f64,
        )?;
        ratio(ctx.base.sums.sums(a, b).cogs as f64, avg)
    };
    out.push(ranged(
        ctx,
        &TURNOVER,
        &["orders.amount", "orders.margin or cost", "inventory.value"],
        turnover,
    ));
    out.push(ranged(
        ctx,
        &DAYS,
        &["orders.amount", "orders.margin or cost", "inventory.value"],
        |a, b| turnover(a, b).and_then(|t| ratio((b - a + 1) as f64, t)),
    ));
}

/// Users and usage (seed 000).
fn users(ctx: &Ctx, out: &mut Vec<Kpi>) {
    const USERS: Def = Def {
        id: "users",
        label: "Users",
        group: "Acquisition",
        unit: Unit::Count,
        higher_is_better: true,
        definition:
            "Buyer accounts across all customers, created on or before the end of the range.",
        formula: "count(users created <= end)",
    };
    const ACTIVE: Def = Def {
        id: "active_users",
        label: "Active users",
        group: "Acquisition",
        unit: Unit::Count,
        higher_is_better: true,
        definition: "Users active in the range per the users file's last-active date.",
        formula: "count(users with last active in range)",
    };
    const USAGE: Def = Def { id: "usage_rate", label: "Usage rate", group: "Acquisition", unit: Unit::Ratio, higher_is_better: true,
        definition: "Share of users actively using the web shop in the range (seed 000: customers, users, usage).", formula: "active users / users" };
    let Some(t) = ctx.table(FileKind::Users) else {
        for d in [&USERS, &ACTIVE, &USAGE] {
            out.push(unavailable(
                d,
                "a users file (user_id, customer_id, created, last active)",
            ));
        }
        return;
    };
    let last = t.dates("last_active");
    // Both columns' days in order (kept by the table): each period's count is a binary
    // search, not a pass over every user (`NO_DATE` sorts first, and counts as created
    // before any day).
    let (created_in_order, last_in_order) =
        (t.sorted_dates("created"), t.sorted_dates("last_active"));
    let users = |b: i32| match created_in_order {
        Some(c) => c.partition_point(|d| *d <= b) as f64,
        None => t.len() as f64,
    };
    let user_ids = t.text("user_id");
    // Buyer accounts named on orders: when no order names one (no user column), the
    // orders of each period are not read again for them.
    let orders_name_users =
        ctx.columns.any_user() && ctx.orders.iter().any(|o| ctx.columns.user(o) != 0);
    let active = |a: i32, b: i32| {
        let ordered: HashSet<&str> = if orders_name_users {
            completed(ctx.orders_in(a, b))
                .map(|o| ctx.columns.user(o))
                .filter(|u| *u != 0)
                .map(|u| ctx.users.name(u))
                .collect()
        } else {
            HashSet::new()
        };
        if last.is_none() && ordered.is_empty() {
            return None;
        }
        let (names, ids) = user_ids?;
        if ordered.is_empty() {
            // Active by the last-active date alone.
            let l = last_in_order.unwrap_or(&[]);
            return Some(span_in(l, a, b).len() as f64);
        }
        Some(
            (0..t.len())
                .filter(|i| {
                    last.is_some_and(|l| l[*i] != NO_DATE && (a..=b).contains(&l[*i]))
                        || ordered.contains(names.name(ids[*i]))
                })
                .count() as f64,
        )
    };
    out.push(ranged(
        ctx,
        &USERS,
        &["users.user_id", "users.created"],
        |_, b| Some(users(b)),
    ));
    if last.is_some() || orders_name_users {
        out.push(ranged(
            ctx,
            &ACTIVE,
            &["users.last_active", "orders.user_id"],
            active,
        ));
        out.push(ranged(
            ctx,
            &USAGE,
            &["users.last_active", "users.created"],
            |a, b| ratio(active(a, b)?, users(b)),
        ));
    } else {
        out.push(unavailable(
            &ACTIVE,
            "a last-active column in the users file",
        ));
        out.push(unavailable(
            &USAGE,
            "a last-active column in the users file",
        ));
    }
}

/// Every KPI of the catalogue beyond the core order KPIs.
pub fn catalogue(ctx: &Ctx) -> Vec<Kpi> {
    let mut out = Vec::new();
    let activity = activity_by_period(ctx);
    order_activity(ctx, &activity, &mut out);
    funnel(ctx, &mut out);
    acquisition(ctx, &mut out);
    pipeline(ctx, &mut out);
    service(ctx, &activity.0, &mut out);
    inventory(ctx, &mut out);
    users(ctx, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The rows of a range are those a pass over every row finds, in row order, whether
        /// the dates ascend (binary searches) or not, with empty dates anywhere.
        #[test]
        fn rows_in_finds_what_a_pass_finds(
            mut days in proptest::collection::vec(prop_oneof![9 => 0i32..60, 1 => Just(NO_DATE)], 0..80),
            sort in any::<bool>(), a in -5i32..65, len in -3i32..40,
        ) {
            if sort {
                days.sort_unstable();
            }
            let b = a + len;
            let by_pass: Vec<usize> = (0..days.len())
                .filter(|i| days[*i] != NO_DATE && (a..=b).contains(&days[*i]))
                .collect();
            let found: Vec<usize> = rows_in(Days::of(&days), a, b).collect();
            prop_assert_eq!(found, by_pass);
        }
    }
}
