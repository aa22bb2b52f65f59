//! Everything the "Customer value" view and `kpi-lens clv` show, in one serialisable
//! result: the fits, their warnings, per-customer predictions and value, the totals, and
//! the tracking of predicted against actual repeat purchases after the calibration end.
//!
//! CLV of a customer over a horizon H (in the chosen unit), counted month by month:
//!   CLV = Σ_k [E(Y(t_k)) − E(Y(t_{k−1}))] × E(M) × margin / (1 + d)^(years to t_k)
//! with E(Y(t)) the BG/NBD expected purchases in the next t given the customer's history,
//! E(M) the Gamma-Gamma expected spend per purchase, d the annual discount rate.

use super::bgnbd::{self, FitDiagnostics};
use super::Deterministic;
use super::{fit_gamma_gamma, BgNbd, GammaGamma, Summary};
use crate::ingest::values::iso_date;
use serde::{Deserialize, Serialize};

/// Choices of the analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvOptions {
    /// Last day of the calibration period (days since 1970); None: the last purchase day.
    pub calibration_end: Option<i32>,
    /// Days per time unit (7 for weeks).
    pub unit_days: f64,
    /// How far ahead CLV and expected purchases look, in units.
    pub horizon: f64,
    /// Annual discount rate (0.1 = 10 %).
    pub discount_rate: f64,
    /// Share of revenue kept as contribution margin (1.0 = revenue).
    pub margin: f64,
    /// How many customers the top and at-risk lists keep.
    pub top: usize,
}

impl Default for ClvOptions {
    fn default() -> Self {
        ClvOptions {
            calibration_end: None,
            unit_days: 7.0,
            horizon: 52.0,
            discount_rate: 0.1,
            margin: 1.0,
            top: 20,
        }
    }
}

/// One customer's history and predictions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerValue {
    pub customer: String,
    /// Repeat purchase days, time of the last one, and age, in units (calibration period).
    pub frequency: f64,
    pub recency: f64,
    pub t: f64,
    /// Revenue in the calibration period.
    pub revenue: f64,
    pub p_alive: f64,
    /// Expected purchases over the horizon.
    pub expected_purchases: f64,
    /// Expected spend per purchase (Gamma-Gamma).
    pub expected_spend: f64,
    /// Discounted value over the horizon (times the margin).
    pub clv: f64,
}

/// Cumulative repeat purchases of the calibration cohort up to the end of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackingPoint {
    /// Last day of the period (ISO).
    pub end: String,
    pub actual: f64,
    pub predicted: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvTotals {
    pub expected_purchases: f64,
    pub clv: f64,
    /// Expected number of customers still active at the calibration end.
    pub expected_active_customers: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvAnalysis {
    pub options: ClvOptions,
    pub calibration_end: Option<String>,
    pub last_purchase: Option<String>,
    pub customers: usize,
    pub repeat_buyers: usize,
    pub bgnbd: Option<BgNbd>,
    pub bgnbd_diagnostics: Option<FitDiagnostics>,
    /// Why there is no BG/NBD fit (then nothing below is predicted).
    pub bgnbd_error: Option<String>,
    pub gamma_gamma: Option<GammaGamma>,
    pub gamma_gamma_error: Option<String>,
    /// Pearson correlation of repeat frequency and mean repeat spend among repeat buyers.
    pub spend_frequency_correlation: Option<f64>,
    pub warnings: Vec<String>,
    pub totals: Option<ClvTotals>,
    pub top_customers: Vec<CustomerValue>,
    /// Big spenders of the calibration period the model thinks have probably left.
    pub at_risk_customers: Vec<CustomerValue>,
    /// Calibration cohort, period by period through the holdout (empty without a fit).
    pub tracking: Vec<TrackingPoint>,
}

/// Per customer: (customer id, summary, first purchase day, calibration revenue), for the
/// customers whose first purchase is on or before `end`.
fn histories(purchases: &[(u32, i32, f64)], end: i32, unit: f64) -> Vec<(u32, Summary, i32, f64)> {
    let mut rows: Vec<(u32, i32, f64)> = purchases.iter().copied().filter(|p| p.1 <= end).collect();
    rows.sort_by_key(|p| (p.0, p.1));
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let customer = rows[i].0;
        let mut days: Vec<(i32, f64)> = Vec::new();
        while i < rows.len() && rows[i].0 == customer {
            match days.last_mut() {
                Some(d) if d.0 == rows[i].1 => d.1 += rows[i].2,
                _ => days.push((rows[i].1, rows[i].2)),
            }
            i += 1;
        }
        let (first, last) = (days[0].0, days[days.len() - 1].0);
        let repeats = &days[1..];
        let summary = Summary {
            frequency: repeats.len() as f64,
            recency: (last - first) as f64 / unit,
            t: (end - first) as f64 / unit,
            monetary: if repeats.is_empty() {
                0.0
            } else {
                repeats.iter().map(|d| d.1).sum::<f64>() / repeats.len() as f64
            },
        };
        out.push((customer, summary, first, days.iter().map(|d| d.1).sum()));
    }
    out
}

/// The summaries `super::summarize` gives, for the same purchases.
pub(super) fn summaries(purchases: &[(u32, i32, f64)], end: i32, unit: f64) -> Vec<Summary> {
    histories(purchases, end, unit)
        .into_iter()
        .map(|h| h.1)
        .collect()
}

fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.len() < 3 {
        return None;
    }
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Gamma-Gamma expected spend per purchase given x repeat purchases of mean m.
pub fn expected_spend(gg: &GammaGamma, x: f64, m: f64) -> f64 {
    gg.p * (gg.gamma + x * m) / (gg.p * x + gg.q - 1.0)
}

/// Discounted value of one customer over the horizon, counted month by month.
fn clv_of(m: &BgNbd, s: &Summary, spend: f64, opts: &ClvOptions) -> (f64, f64) {
    let month = 365.25 / 12.0 / opts.unit_days;
    let steps = (opts.horizon / month).ceil().max(1.0) as usize;
    let (mut value, mut before) = (0.0, 0.0);
    for k in 1..=steps {
        let t = (k as f64 * month).min(opts.horizon);
        let expected = bgnbd::expected_purchases(m, s, t);
        let years = t * opts.unit_days / 365.25;
        value +=
            (expected - before) * spend * opts.margin / (1.0 + opts.discount_rate).dpowf(years);
        before = expected;
    }
    (value, before)
}

/// Analyse (customer, day, amount) purchases; `name` gives a customer's name.
pub fn analyze(
    purchases: &[(u32, i32, f64)],
    name: &dyn Fn(u32) -> String,
    opts: &ClvOptions,
) -> ClvAnalysis {
    let last = purchases.iter().map(|p| p.1).max();
    let end = opts.calibration_end.or(last).unwrap_or(0);
    let unit = opts.unit_days.max(1e-9);
    let hist = histories(purchases, end, unit);
    let data: Vec<Summary> = hist.iter().map(|h| h.1).collect();
    let mut a = ClvAnalysis {
        options: opts.clone(),
        calibration_end: last.map(|_| iso_date(end)),
        last_purchase: last.map(iso_date),
        customers: data.len(),
        repeat_buyers: data.iter().filter(|s| s.frequency > 0.0).count(),
        bgnbd: None,
        bgnbd_diagnostics: None,
        bgnbd_error: None,
        gamma_gamma: None,
        gamma_gamma_error: None,
        spend_frequency_correlation: None,
        warnings: vec![],
        totals: None,
        top_customers: vec![],
        at_risk_customers: vec![],
        tracking: vec![],
    };
    let pairs: Vec<(f64, f64)> = data
        .iter()
        .filter(|s| s.frequency > 0.0 && s.monetary > 0.0)
        .map(|s| (s.frequency, s.monetary))
        .collect();
    a.spend_frequency_correlation = pearson(&pairs);
    if let Some(c) = a.spend_frequency_correlation.filter(|c| c.abs() > 0.3) {
        a.warnings.push(format!(
            "Spend per purchase and purchase frequency are correlated (r = {c:.2}); the Gamma-Gamma model assumes they are independent, so expected spend and CLV may be biased."
        ));
    }
    let (m, diagnostics) = match bgnbd::fit(&data) {
        Ok(fit) => fit,
        Err(e) => {
            a.bgnbd_error = Some(e.to_string());
            return a;
        }
    };
    a.bgnbd = Some(m);
    a.bgnbd_diagnostics = Some(diagnostics);
    if (m.a - 1.0).abs() < 1e-6 {
        a.warnings
            .push("a is 1: expected purchases are at a singular point of the formula".into());
    }
    if m.r > 1e4 || m.a < 1e-3 {
        a.warnings.push(format!(
            "The fit sits at the edge of the model (r = {:.3e}, a = {:.3e}): customers look alike in how often they buy, or hardly anyone seems to stop buying. Predictions are those of a plain Poisson model; check that the calibration period is long enough.",
            m.r, m.a
        ));
    }
    let gg = fit_gamma_gamma(&data);
    match &gg {
        Ok(g) if g.q > 1.0 => a.gamma_gamma = Some(*g),
        Ok(g) => {
            a.gamma_gamma_error = Some(format!(
                "q = {:.3} <= 1: the mean spend is not finite under this fit",
                g.q
            ))
        }
        Err(e) => a.gamma_gamma_error = Some(e.to_string()),
    }
    // Without a spend model, each customer's own mean spend (all calibration purchases).
    if a.gamma_gamma.is_none() {
        a.warnings.push(
            "No Gamma-Gamma fit: CLV uses each customer's own average spend per purchase.".into(),
        );
    }
    let values: Vec<CustomerValue> = hist
        .iter()
        .map(|(c, s, _, revenue)| {
            let spend = match &a.gamma_gamma {
                Some(g) => expected_spend(g, s.frequency, s.monetary),
                None => revenue / (s.frequency + 1.0),
            };
            let (clv, expected) = clv_of(&m, s, spend, opts);
            CustomerValue {
                customer: name(*c),
                frequency: s.frequency,
                recency: s.recency,
                t: s.t,
                revenue: *revenue,
                p_alive: bgnbd::p_alive(&m, s),
                expected_purchases: expected,
                expected_spend: spend,
                clv,
            }
        })
        .collect();
    a.totals = Some(ClvTotals {
        expected_purchases: values.iter().map(|v| v.expected_purchases).sum(),
        clv: values.iter().map(|v| v.clv).sum(),
        expected_active_customers: values.iter().map(|v| v.p_alive).sum(),
    });
    let mut by_clv: Vec<&CustomerValue> = values.iter().collect();
    by_clv.sort_by(|x, y| {
        y.clv
            .total_cmp(&x.clv)
            .then_with(|| x.customer.cmp(&y.customer))
    });
    a.top_customers = by_clv.iter().take(opts.top).map(|v| (*v).clone()).collect();
    // At risk: the top fifth by calibration revenue, probably gone (P(alive) < 0.5).
    let mut revenues: Vec<f64> = values.iter().map(|v| v.revenue).collect();
    revenues.sort_by(|x, y| y.total_cmp(x));
    let threshold = revenues
        .get(revenues.len() / 5)
        .copied()
        .unwrap_or(f64::INFINITY);
    let mut at_risk: Vec<&CustomerValue> = values
        .iter()
        .filter(|v| v.revenue >= threshold && v.p_alive < 0.5)
        .collect();
    at_risk.sort_by(|x, y| {
        y.revenue
            .total_cmp(&x.revenue)
            .then_with(|| x.customer.cmp(&y.customer))
    });
    a.at_risk_customers = at_risk
        .iter()
        .take(opts.top)
        .map(|v| (*v).clone())
        .collect();
    a.tracking = tracking(purchases, &hist, &m, end, last.unwrap_or(end), unit);
    a
}

/// Cumulative repeat purchases of the customers acquired by `end`, actual and predicted
/// (E[X(t)] of a new customer, summed over customers by their first purchase day), at the
/// end of each period from the first purchase to `last`.
fn tracking(
    purchases: &[(u32, i32, f64)],
    hist: &[(u32, Summary, i32, f64)],
    m: &BgNbd,
    end: i32,
    last: i32,
    unit: f64,
) -> Vec<TrackingPoint> {
    let Some(start) = hist.iter().map(|h| h.2).min() else {
        return vec![];
    };
    // At most 300 points: longer spans use longer steps.
    let span = (last - start).max(1) as f64;
    let step = unit.max(span / 300.0);
    let points = (span / step).ceil() as usize;
    // Repeat purchase days of the cohort (first days excluded, same-day merged).
    let first_of: std::collections::HashMap<u32, i32> = hist.iter().map(|h| (h.0, h.2)).collect();
    let mut days: Vec<(u32, i32)> = purchases
        .iter()
        .filter(|p| first_of.get(&p.0).is_some_and(|f| p.1 > *f))
        .map(|p| (p.0, p.1))
        .collect();
    days.sort_unstable();
    days.dedup();
    let mut repeat_days: Vec<i32> = days.into_iter().map(|d| d.1).collect();
    repeat_days.sort_unstable();
    // Customers per first purchase day.
    let mut cohorts: std::collections::BTreeMap<i32, f64> = std::collections::BTreeMap::new();
    for h in hist {
        *cohorts.entry(h.2).or_default() += 1.0;
    }
    let _ = end;
    (1..=points)
        .map(|j| {
            let day = (start as f64 + j as f64 * step).round().min(last as f64) as i32;
            let actual = repeat_days.partition_point(|d| *d <= day) as f64;
            let predicted = cohorts
                .range(..=day)
                .map(|(first, n)| {
                    n * bgnbd::expected_repeat_purchases_new(m, (day - first) as f64 / unit)
                })
                .sum();
            TrackingPoint {
                end: iso_date(day),
                actual,
                predicted,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlation_and_expected_spend_by_hand() {
        // Perfectly correlated pairs.
        assert!((pearson(&[(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(pearson(&[(1.0, 2.0), (1.0, 3.0), (1.0, 4.0)]), None);
        // p (gamma + x m) / (p x + q - 1) = 2 (10 + 3*20) / (2*3 + 4 - 1) = 140 / 9
        let gg = GammaGamma {
            p: 2.0,
            q: 4.0,
            gamma: 10.0,
            log_likelihood: 0.0,
        };
        assert!((expected_spend(&gg, 3.0, 20.0) - 140.0 / 9.0).abs() < 1e-12);
    }

    #[test]
    fn undiscounted_clv_is_expected_purchases_times_spend() {
        let (m, s) = bgnbd::papers_example();
        let opts = ClvOptions {
            horizon: 39.0,
            discount_rate: 0.0,
            margin: 0.5,
            ..Default::default()
        };
        let (clv, expected) = clv_of(&m, &s, 100.0, &opts);
        assert!((expected - bgnbd::expected_purchases(&m, &s, 39.0)).abs() < 1e-12);
        assert!((clv - expected * 100.0 * 0.5).abs() < 1e-9);
        // Discounting only lowers it.
        let (discounted, _) = clv_of(
            &m,
            &s,
            100.0,
            &ClvOptions {
                discount_rate: 0.2,
                ..opts
            },
        );
        assert!(discounted < clv && discounted > 0.8 * clv);
    }

    #[test]
    fn no_purchases_at_all_is_a_reason_not_a_panic() {
        let a = analyze(&[], &|c| format!("C{c}"), &ClvOptions::default());
        assert_eq!(a.customers, 0);
        assert!(a.bgnbd_error.is_some() && a.tracking.is_empty() && a.totals.is_none());
    }

    #[test]
    fn too_little_data_says_why_and_predicts_nothing() {
        let purchases = [(1, 0, 10.0), (2, 3, 5.0), (1, 10, 7.0)];
        let a = analyze(&purchases, &|c| format!("C{c}"), &ClvOptions::default());
        assert_eq!(a.customers, 2);
        assert!(a
            .bgnbd_error
            .as_deref()
            .unwrap_or("")
            .contains("bought more than once"));
        assert!(a.totals.is_none() && a.top_customers.is_empty());
    }
}
