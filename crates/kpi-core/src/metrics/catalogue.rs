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
fn order_activity(ctx: &Ctx, out: &mut Vec<Kpi>) {
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
    let (active, online) = activity_by_period(ctx);
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
                kept(&active, i)
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
        |i| kept(&online, i).map(|(s, n)| s / n),
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
    match returns.and_then(|t| Some((t.dates("date")?, t.text("reason")?))) {
        Some((dates, (names, reasons))) => out.push(ranged(
            ctx,
            &WRONG,
            &["returns.date", "returns.reason", "orders.order_id"],
            |a, b| {
                let wrong = dates
                    .iter()
                    .zip(reasons)
                    .filter(|(d, r)| {
                        (a..=b).contains(*d) && words::is_wrong_delivery(names.name(**r))
                    })
                    .count();
                ratio(wrong as f64, ctx.base.sums.sums(a, b).considered as f64)
            },
        )),
        None => out.push(unavailable(&WRONG, "a returns file with a reason column")),
    }
}

/// Rows of a table whose date field lies in [a, b].
fn rows_in(dates: &[i32], a: i32, b: i32) -> impl Iterator<Item = usize> + '_ {
    dates
        .iter()
        .enumerate()
        .filter(move |(_, d)| **d != NO_DATE && (a..=b).contains(*d))
        .map(|(i, _)| i)
}

fn sum_in(dates: &[i32], values: &[i64], a: i32, b: i32) -> i128 {
    rows_in(dates, a, b)
        .map(|i| values[i])
        .filter(|v| *v != NO_NUMBER)
        .map(i128::from)
        .sum()
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
            let dates = t.dates("date").unwrap_or(&[]);
            let (denominator, den_name) = match (t.numbers("sessions"), t.numbers("visitors")) {
                (Some(s), _) => (s, "traffic.sessions"),
                (None, Some(v)) => (v, "traffic.visitors"),
                _ => (&[][..], ""),
            };
            let traffic_orders = t.numbers("orders");
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
                    let visits = sum_in(dates, denominator, a, b) as f64 / SCALE as f64;
                    let orders = match traffic_orders {
                        Some(o) => sum_in(dates, o, a, b) as f64 / SCALE as f64,
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
        let dates = t.dates("created").unwrap_or(&[]);
        let status = t.text("status");
        let order = t.text("order_id");
        out.push(ranged(
            ctx,
            &ABANDON,
            &["carts.created", "carts.status", "carts.order_id"],
            |a, b| {
                let (mut created, mut converted) = (0usize, 0usize);
                for i in rows_in(dates, a, b) {
                    created += 1;
                    let by_status =
                        status.is_some_and(|(n, ids)| words::cart_converted(n.name(ids[i])));
                    let by_order = order.is_some_and(|(n, ids)| !n.name(ids[i]).is_empty());
                    converted += usize::from(by_status || by_order);
                }
                ratio((created - converted) as f64, created as f64)
            },
        ));
    } else if let Some(t) = ctx
        .table(FileKind::Traffic)
        .filter(|t| t.has("add_to_cart") && t.has("orders"))
    {
        let dates = t.dates("date").unwrap_or(&[]);
        let (adds, orders) = (
            t.numbers("add_to_cart").unwrap_or(&[]),
            t.numbers("orders").unwrap_or(&[]),
        );
        out.push(ranged(
            ctx,
            &ABANDON,
            &["traffic.add_to_cart", "traffic.orders"],
            |a, b| {
                let adds = sum_in(dates, adds, a, b) as f64;
                ratio(adds - sum_in(dates, orders, a, b) as f64, adds)
            },
        ));
    } else {
        out.push(unavailable(&ABANDON, "a carts file (cart_id, created, status or order_id) or traffic with add-to-cart and orders"));
    }
    match ctx.table(FileKind::Quotes) {
        Some(t) => {
            let dates = t.dates("requested").unwrap_or(&[]);
            let status = t.text("status");
            let accepted = t.dates("accepted");
            out.push(ranged(
                ctx,
                &QUOTES,
                &["quotes.requested", "quotes.status", "quotes.accepted"],
                |a, b| {
                    let (mut n, mut yes) = (0usize, 0usize);
                    for i in rows_in(dates, a, b) {
                        n += 1;
                        let by_status = status
                            .is_some_and(|(names, ids)| words::quote_accepted(names.name(ids[i])));
                        let by_date = accepted.is_some_and(|d| d[i] != NO_DATE);
                        yes += usize::from(by_status || by_date);
                    }
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

/// Opportunities closed in [a, b]: (won, lost) row indexes.
fn closed_in(t: &crate::ingest::generic::GenericTable, a: i32, b: i32) -> (Vec<usize>, Vec<usize>) {
    let (mut won, mut lost) = (Vec::new(), Vec::new());
    let Some(closed) = t.dates("closed") else {
        return (won, lost);
    };
    let outcome = t.text("outcome");
    for i in rows_in(closed, a, b) {
        let word = outcome.map(|(n, ids)| n.name(ids[i])).unwrap_or("");
        if words::is_won(word) {
            won.push(i);
        } else if words::is_lost(word) {
            lost.push(i);
        }
    }
    (won, lost)
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
    let created = t.dates("created").unwrap_or(&[]);
    let closed = t.dates("closed");
    let values = t.numbers("value");
    let win_rate = |a, b| {
        let (won, lost) = closed_in(t, a, b);
        ratio(won.len() as f64, (won.len() + lost.len()) as f64)
    };
    let deal = |a, b| {
        let (won, _) = closed_in(t, a, b);
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
        let (won, _) = closed_in(t, a, b);
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
            let outcome = t.text("outcome")?;
            let (mut won, mut closed_n) = (0usize, 0usize);
            for i in rows_in(created, a, b) {
                let word = outcome.0.name(outcome.1[i]);
                if words::is_won(word) {
                    won += 1;
                    closed_n += 1;
                } else if words::is_lost(word) {
                    closed_n += 1;
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

/// Spend by category in [a, b]: (marketing, sales) in currency units.
fn spend_in(t: &crate::ingest::generic::GenericTable, a: i32, b: i32) -> (f64, f64) {
    let dates = t.dates("date").unwrap_or(&[]);
    let amounts = t.numbers("amount").unwrap_or(&[]);
    let cats = t.text("category");
    let (mut m, mut s) = (0i128, 0i128);
    for i in rows_in(dates, a, b) {
        if amounts[i] == NO_NUMBER {
            continue;
        }
        match cats.map(|(n, ids)| words::spend_category(n.name(ids[i]))) {
            Some(words::SpendCategory::Marketing) => m += amounts[i] as i128,
            Some(words::SpendCategory::Sales) => s += amounts[i] as i128,
            // Without a category column all spend is acquisition spend, counted as marketing.
            None => m += amounts[i] as i128,
            Some(words::SpendCategory::Other) => {}
        }
    }
    (m as f64 / SCALE as f64, s as f64 / SCALE as f64)
}

/// New customers in [a, b]: from orders (first order), else the customers file's created date.
fn new_customers(ctx: &Ctx, a: i32, b: i32) -> Option<Vec<String>> {
    if ctx.has_orders {
        return Some(
            ctx.base
                .first_order
                .iter()
                .enumerate()
                .filter(|(_, d)| (a..=b).contains(*d))
                .map(|(c, _)| ctx.customers.name(c as u32).to_string())
                .collect(),
        );
    }
    let t = ctx.table(FileKind::Customers)?;
    let (names, ids) = t.text("customer_id")?;
    Some(
        rows_in(t.dates("created")?, a, b)
            .map(|i| names.name(ids[i]).to_string())
            .collect(),
    )
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
    match ctx.table(FileKind::Spend) {
        Some(t) => {
            out.push(ranged(
                ctx,
                &CAC,
                &[
                    "spend.amount",
                    "spend.category",
                    "orders (first order per customer)",
                ],
                |a, b| {
                    let (m, s) = spend_in(t, a, b);
                    let n = new_customers(ctx, a, b)?.len();
                    ratio(m + s, n as f64)
                },
            ));
            out.push(ranged(
                ctx,
                &MKT_SHARE,
                &["spend.amount", "spend.category"],
                |a, b| {
                    let (m, s) = spend_in(t, a, b);
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
    let sources = ctx.table(FileKind::Customers).and_then(|t| {
        let (names, ids) = t.text("customer_id")?;
        let (snames, sids) = t.text("source")?;
        Some(
            ids.iter()
                .zip(sids)
                .map(|(c, s)| {
                    (
                        names.name(*c).to_string(),
                        words::is_marketing_source(snames.name(*s)),
                    )
                })
                .collect::<std::collections::HashMap<String, bool>>(),
        )
    });
    match sources {
        Some(src) => out.push(ranged(
            ctx,
            &ORIGINATED,
            &["customers.source", "orders (first order per customer)"],
            |a, b| {
                let new = new_customers(ctx, a, b)?;
                let marketing = new
                    .iter()
                    .filter(|c| src.get(*c).copied().unwrap_or(false))
                    .count();
                ratio(marketing as f64, new.len() as f64)
            },
        )),
        None => out.push(unavailable(
            &ORIGINATED,
            "a customers file with an acquisition source column",
        )),
    }
}

/// NPS, CSAT, service contacts.
fn service(ctx: &Ctx, out: &mut Vec<Kpi>) {
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
            let dates = t.dates("date").unwrap_or(&[]);
            let scores = t.numbers("score").unwrap_or(&[]);
            let types = t.text("type");
            let typed = |i: usize, nps: bool| -> bool {
                match types.map(|(n, ids)| crate::ingest::schema::normalize_header(n.name(ids[i])))
                {
                    Some(w) if w.contains("nps") || w.contains("recommend") => nps,
                    Some(w) if w.contains("csat") || w.contains("satisf") => !nps,
                    // No usable type: a CSAT scale the user set says CSAT; else the scale
                    // decides (any answer above 5 makes an NPS file).
                    _ if ctx.csat_scale != 5 => !nps,
                    _ => nps == scores.iter().any(|s| *s != NO_NUMBER && *s > 5 * SCALE),
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
    let dates = t.dates("date").unwrap_or(&[]);
    let types = t.text("type");
    let count = move |a: i32, b: i32, want: Option<words::ContactType>| {
        rows_in(dates, a, b)
            .filter(|i| {
                want.is_none_or(|w| {
                    types.is_some_and(|(n, ids)| words::contact_type(n.name(ids[*i])) == w)
                })
            })
            .count() as f64
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
        out.push(ranged(
            ctx,
            &PER_CUSTOMER,
            &["support.date", "orders.customer_id"],
            |a, b| {
                let active = active_list(ctx, a, b, false, &mut marks.borrow_mut()).len();
                ratio(count(a, b, None), active as f64)
            },
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
    let turnover = move |a: i32, b: i32| -> Option<f64> {
        let mut by_date: BTreeMap<i32, i128> = BTreeMap::new();
        for i in rows_in(dates, a, b).filter(|i| values[*i] != NO_NUMBER) {
            *by_date.entry(dates[i]).or_default() += values[i] as i128;
        }
        let avg = ratio(by_date.values().sum::<i128>() as f64, by_date.len() as f64)?;
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
    let created = t.dates("created");
    let last = t.dates("last_active");
    let users = move |b: i32| {
        (0..t.len())
            .filter(|i| created.is_none_or(|c| c[*i] == NO_DATE || c[*i] <= b))
            .count() as f64
    };
    let user_ids = t.text("user_id");
    let active = move |a: i32, b: i32| {
        let ordered: HashSet<&str> = completed(ctx.orders_in(a, b))
            .map(|o| ctx.columns.user(o))
            .filter(|u| *u != 0)
            .map(|u| ctx.users.name(u))
            .collect();
        if last.is_none() && ordered.is_empty() {
            return None;
        }
        let (names, ids) = user_ids?;
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
    if last.is_some() || ctx.orders.iter().any(|o| ctx.columns.user(o) != 0) {
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
            move |a, b| ratio(active(a, b)?, users(b)),
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
    order_activity(ctx, &mut out);
    funnel(ctx, &mut out);
    acquisition(ctx, &mut out);
    pipeline(ctx, &mut out);
    service(ctx, &mut out);
    inventory(ctx, &mut out);
    users(ctx, &mut out);
    out
}
