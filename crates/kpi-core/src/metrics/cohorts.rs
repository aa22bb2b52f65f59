//! Cohorts by first-order month (retention matrix, revenue per cohort customer) and RFM
//! scores with named segments.

use super::context::{Ctx, OrderRow};
use crate::ingest::values::{ymd_from_days, SCALE};
use crate::table::OrderStatus;
use serde::{Deserialize, Serialize};

/// One cohort: customers whose first completed order fell in `cohort` (a month).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Cohort {
    /// `2024-01`
    pub cohort: String,
    pub customers: u64,
    /// Share of the cohort with a completed order k months after its first month (k = 0..);
    /// None where month k lies after the data.
    pub retention: Vec<Option<f64>>,
    /// Cumulative revenue per cohort customer up to month k.
    pub revenue_per_customer: Vec<Option<f64>>,
}

/// A named RFM segment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RfmSegment {
    pub segment: String,
    pub customers: u64,
    pub revenue: f64,
}

/// RFM of one customer: recency in days before the range end, orders, revenue, 1-5 scores.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RfmCustomer {
    pub customer: String,
    pub recency_days: i32,
    pub frequency: u64,
    pub monetary: f64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: String,
}

/// Cohort months kept at most (25 years).
const MAX_COHORT_MONTHS: i32 = 300;

fn month_index(day: i32) -> i32 {
    let (y, m, _) = ymd_from_days(day);
    y * 12 + m as i32 - 1
}

fn month_label(index: i32) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

/// The retention matrix over all completed orders up to the range end.
pub fn cohorts(ctx: &Ctx) -> Vec<Cohort> {
    cohorts_and_purchases(ctx).0
}

/// Per customer, the completed orders in the report range: last day, count and amount.
/// What RFM scores. One struct per customer: an order touches one place, not three.
pub(super) struct Purchases(Vec<Purchase>);

#[derive(Clone, Copy)]
struct Purchase {
    money: i128,
    freq: u64,
    last: i32,
}

impl Purchases {
    fn new(customers: usize) -> Purchases {
        let none = Purchase {
            money: 0,
            freq: 0,
            last: i32::MIN,
        };
        Purchases(vec![none; customers])
    }
    fn add(&mut self, o: &OrderRow) {
        let p = &mut self.0[o.customer as usize];
        p.last = p.last.max(o.day);
        p.freq += 1;
        p.money += o.amount as i128;
    }
    /// From a read of the orders of the range.
    fn of(ctx: &Ctx) -> Purchases {
        let mut p = Purchases::new(ctx.customers.len());
        let orders = ctx.orders_in(ctx.from, ctx.to);
        for (i, o) in orders.iter().enumerate() {
            super::prefetch::ahead(orders, i, &p.0);
            if o.status == OrderStatus::Completed {
                p.add(o);
            }
        }
        p
    }
}

/// `cohorts`, and the `Purchases` of RFM from the same read of the orders (the cohorts read
/// every completed order up to the range end, RFM those from its start).
pub(super) fn cohorts_and_purchases(ctx: &Ctx) -> (Vec<Cohort>, Purchases) {
    let completed = |o: &&OrderRow| o.status == OrderStatus::Completed && o.day <= ctx.to;
    // Orders are sorted by day and months grow with days: the last month is the last order's.
    let Some(last) = ctx
        .orders
        .iter()
        .rev()
        .find(completed)
        .map(|o| month_index(o.day))
    else {
        return (vec![], Purchases::of(ctx));
    };
    let first_month: Vec<Option<i32>> = ctx
        .base
        .first_order
        .iter()
        .map(|d| (*d != i32::MAX && *d <= ctx.to).then(|| month_index(*d)))
        .collect();
    let Some(first) = first_month.iter().flatten().min().copied() else {
        return (vec![], Purchases::of(ctx));
    };
    // The matrix is months x months: a file with dates centuries apart (a typo, 0024 for
    // 2024) must not ask for gigabytes. Keep the last 25 years of cohorts.
    let first = first.max(last - MAX_COHORT_MONTHS + 1);
    let n = (last - first + 1) as usize;
    let mut size = vec![0u64; n];
    for m in first_month.iter().flatten().filter(|m| **m >= first) {
        size[(m - first) as usize] += 1;
    }
    // active[ci * n + k]: customers of cohort ci who ordered k months after its month;
    // revenue likewise. Flat n x n matrices.
    let mut active = vec![0u64; n * n];
    let mut revenue = vec![0i128; n * n];
    // Per customer, side by side (one place per order): its cohort month (i32::MIN: none,
    // or before the kept years) and the last month it was counted in.
    let mut customer: Vec<(i32, i32)> = first_month
        .iter()
        .map(|m| (m.filter(|m| *m >= first).unwrap_or(i32::MIN), i32::MIN))
        .collect();
    // Orders are sorted by day, so months only grow: a customer is counted once in a month
    // when its last counted month is an earlier one. The month is found again only when the
    // day leaves the current month.
    let (mut month, mut month_end) = (i32::MIN, i32::MIN);
    let mut purchases = Purchases::new(ctx.customers.len());
    for (i, o) in ctx.orders.iter().enumerate() {
        super::prefetch::ahead(&ctx.orders, i, &customer);
        super::prefetch::ahead(&ctx.orders, i, &purchases.0);
        if !completed(&o) {
            continue;
        }
        if o.day >= ctx.from {
            purchases.add(o);
        }
        if o.day > month_end {
            month = month_index(o.day);
            let (y, m) = ((month + 1).div_euclid(12), (month + 1).rem_euclid(12) + 1);
            month_end =
                crate::ingest::values::days_from_ymd(y, m as u32, 1).map_or(i32::MAX, |d| d - 1);
        }
        let (cm, counted) = &mut customer[o.customer as usize];
        if *cm == i32::MIN {
            continue;
        }
        let at = (*cm - first) as usize * n + (month - *cm) as usize;
        revenue[at] += o.amount as i128;
        if *counted != month {
            *counted = month;
            active[at] += 1;
        }
    }
    let table = (0..n)
        .filter(|ci| size[*ci] > 0)
        .map(|ci| {
            let months = n - ci;
            let mut cumulative = 0i128;
            Cohort {
                cohort: month_label(first + ci as i32),
                customers: size[ci],
                retention: (0..months)
                    .map(|k| Some(active[ci * n + k] as f64 / size[ci] as f64))
                    .collect(),
                revenue_per_customer: (0..months)
                    .map(|k| {
                        cumulative += revenue[ci * n + k];
                        Some(cumulative as f64 / SCALE as f64 / size[ci] as f64)
                    })
                    .collect(),
            }
        })
        .collect();
    (table, purchases)
}

/// Quintile scores 1-5 by ascending `key`; equal values share the score of the first of
/// them, so ties never split across scores. `values` are finite.
///
/// The score of `v` is `1 + 5 * r / n`, `r` the number of values below `v`, and
/// `5 * r / n >= k` exactly when `r >= ceil(k * n / 5)`, that is when the value of rank
/// `ceil(k * n / 5) - 1` is below `v`. So four order statistics decide every score: found
/// by selection, not a sort (the sort of (value, index) pairs it replaces was 6% of a first
/// report's instructions, natively, at 1M orders).
fn quintiles(values: &[f64]) -> Vec<u8> {
    let n = values.len();
    if n == 0 {
        return Vec::new();
    }
    let mut work = values.to_vec();
    // The values of rank ceil(k n / 5) - 1, for k = 4 down to 1: each selection leaves the
    // smaller values before its rank, where the next (lower) one is looked for.
    let mut cuts = [0f64; 4];
    let mut end = n;
    for k in (1..=4).rev() {
        let rank = (k * n).div_ceil(5) - 1;
        let (_, cut, _) = work[..end].select_nth_unstable_by(rank, f64::total_cmp);
        cuts[k - 1] = *cut;
        end = rank + 1;
    }
    values
        .iter()
        .map(|v| 1 + cuts.iter().map(|cut| u8::from(cut < v)).sum::<u8>())
        .collect()
}

/// The segment of an (R, F) pair; the usual RFM grid.
pub fn rfm_segment(r: u8, f: u8) -> &'static str {
    match (r, f) {
        (4..=5, 4..=5) => "Champions",
        (3, 4..=5) => "Loyal",
        (4..=5, 2..=3) => "Potential loyalist",
        (4..=5, 1) => "New customers",
        (1..=2, 3..=5) => "At risk",
        (1, 1) => "Lost",
        (1..=2, 1..=2) => "Hibernating",
        _ => "Need attention",
    }
}

/// RFM of one customer, before names are attached: what `compute` sorts and picks from.
pub(super) struct RfmScore {
    pub customer: u32,
    pub recency_days: i32,
    pub frequency: u64,
    pub money: i128,
    /// `money` in currency units, as `RfmCustomer::monetary`.
    pub monetary: f64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: &'static str,
}

impl RfmScore {
    pub fn named(&self, ctx: &Ctx) -> RfmCustomer {
        RfmCustomer {
            customer: ctx.customers.name(self.customer).to_string(),
            recency_days: self.recency_days,
            frequency: self.frequency,
            monetary: self.monetary,
            r: self.r,
            f: self.f,
            m: self.m,
            segment: self.segment.to_string(),
        }
    }
}

/// RFM over the completed orders in the range, per customer and per segment.
pub fn rfm(ctx: &Ctx) -> (Vec<RfmCustomer>, Vec<RfmSegment>) {
    let (scores, segments) = rfm_scores(ctx, &Purchases::of(ctx));
    (scores.iter().map(|s| s.named(ctx)).collect(), segments)
}

/// `rfm` without the names: a report keeps only a hundred of the customers, so only
/// those get their strings.
pub(super) fn rfm_scores(ctx: &Ctx, purchases: &Purchases) -> (Vec<RfmScore>, Vec<RfmSegment>) {
    let p = &purchases.0;
    let ids: Vec<usize> = (0..p.len()).filter(|c| p[*c].freq > 0).collect();
    // Recency scores: more recent is better, so rank by minus the days since.
    let recency: Vec<f64> = ids
        .iter()
        .map(|c| -((ctx.to - p[*c].last) as f64))
        .collect();
    let frequency: Vec<f64> = ids.iter().map(|c| p[*c].freq as f64).collect();
    let monetary: Vec<f64> = ids.iter().map(|c| p[*c].money as f64).collect();
    let (r, f, m) = (
        quintiles(&recency),
        quintiles(&frequency),
        quintiles(&monetary),
    );
    let customers: Vec<RfmScore> = ids
        .iter()
        .enumerate()
        .map(|(i, c)| RfmScore {
            customer: *c as u32,
            recency_days: ctx.to - p[*c].last,
            frequency: p[*c].freq,
            money: p[*c].money,
            monetary: p[*c].money as f64 / SCALE as f64,
            r: r[i],
            f: f[i],
            m: m[i],
            segment: rfm_segment(r[i], f[i]),
        })
        .collect();
    let names = [
        "Champions",
        "Loyal",
        "Potential loyalist",
        "New customers",
        "Need attention",
        "At risk",
        "Hibernating",
        "Lost",
    ];
    let segments = names
        .iter()
        .map(|name| {
            let members = customers.iter().filter(|c| c.segment == *name);
            RfmSegment {
                segment: name.to_string(),
                customers: members.clone().count() as u64,
                revenue: members.map(|c| c.money).sum::<i128>() as f64 / SCALE as f64,
            }
        })
        .collect();
    (customers, segments)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Quintiles by sorting: rank each value, equal values taking their first rank.
    fn quintiles_by_sorting(values: &[f64]) -> Vec<u8> {
        let n = values.len();
        let mut order: Vec<(f64, usize)> = values.iter().copied().zip(0..).collect();
        order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut scores = vec![0u8; n];
        let mut rank_of_value = 0;
        for (rank, &(value, i)) in order.iter().enumerate() {
            if rank == 0 || value != order[rank - 1].0 {
                rank_of_value = rank;
            }
            scores[i] = 1 + (5 * rank_of_value / n) as u8;
        }
        scores
    }

    #[test]
    fn quintiles_by_hand() {
        // Ten values: two a score; the ties (3, 3, 3) share the score of the first of them.
        let values = [10.0, 1.0, 2.0, 3.0, 3.0, 3.0, 7.0, 8.0, 9.0, 4.0];
        assert_eq!(quintiles(&values), vec![5, 1, 1, 2, 2, 2, 4, 4, 5, 3]);
        assert_eq!(quintiles(&[5.0]), vec![1]);
        assert_eq!(quintiles(&[]), Vec::<u8>::new());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Selection gives the scores sorting gives, ties (and -0.0 beside 0.0) included.
        #[test]
        fn quintiles_agree_with_sorting(
            values in proptest::collection::vec(
                prop_oneof![(-4i32..6).prop_map(f64::from), Just(-0.0), any::<i32>().prop_map(f64::from)],
                0..60,
            )
        ) {
            prop_assert_eq!(quintiles(&values), quintiles_by_sorting(&values));
        }
    }
}
