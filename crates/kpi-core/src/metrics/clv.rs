//! Customer lifetime value, seed 003's formula, with the contribution-margin variant of
//! seed 004, and LTV:CAC.

use super::catalogue::{make_kpi, Def};
use crate::report::{Kpi, Unit};

fn make(def: &Def, value: Option<f64>, inputs: &[&str], missing: Vec<String>) -> Kpi {
    let inputs = inputs.iter().map(|s| s.to_string()).collect();
    make_kpi(def, value, vec![], inputs, missing)
}

/// Lifespans are capped here when churn is (close to) zero, and the cap is flagged.
pub const MAX_LIFESPAN_YEARS: f64 = 10.0;

fn value(kpis: &[Kpi], id: &str) -> Option<f64> {
    kpis.iter().find(|k| k.id == id).and_then(|k| k.value)
}

/// Historical CLV: realised revenue per customer in the first `months` months after the
/// first order, over the cohorts observed that long (weighted by cohort size).
pub fn historical_clv(cohorts: &[super::cohorts::Cohort], months: usize) -> Kpi {
    const H12: Def = Def { id: "clv_historical_12m", label: "Historical CLV (12 months)", group: "Retention & loyalty", unit: Unit::Currency, higher_is_better: true,
        definition: "Option: revenue a customer actually brought in the first 12 months from their first order, averaged over the cohorts observed for 12 months (weighted by cohort size).",
        formula: "sum(cohort revenue in months 0-11) / sum(cohort customers), complete cohorts only" };
    const H24: Def = Def { id: "clv_historical_24m", label: "Historical CLV (24 months)", group: "Retention & loyalty", unit: Unit::Currency, higher_is_better: true,
        definition: "Option: revenue a customer actually brought in the first 24 months from their first order, averaged over the cohorts observed for 24 months (weighted by cohort size).",
        formula: "sum(cohort revenue in months 0-23) / sum(cohort customers), complete cohorts only" };
    let def = if months == 12 { &H12 } else { &H24 };
    let (mut money, mut people) = (0.0, 0u64);
    for c in cohorts
        .iter()
        .filter(|c| c.revenue_per_customer.len() >= months)
    {
        money += c.revenue_per_customer[months - 1].unwrap_or(0.0) * c.customers as f64;
        people += c.customers;
    }
    let value = (people > 0).then(|| money / people as f64);
    let missing = if value.is_none() {
        vec![format!(
            "orders covering at least {months} months after a cohort's first month"
        )]
    } else {
        vec![]
    };
    make(
        def,
        value,
        &["orders.customer_id", "orders.order_date", "orders.amount"],
        missing,
    )
}

/// Compute `clv`, `clv_margin` and `ltv_cac_ratio` from KPIs already computed.
/// `years` is the length of the range in years; `margin_per_order` the average contribution
/// margin of a completed order, if known.
pub fn clv_kpis(
    kpis: &[Kpi],
    years: f64,
    periods_per_year: usize,
    margin_per_order: Option<f64>,
) -> Vec<Kpi> {
    const CLV: Def = Def { id: "clv", label: "Customer lifetime value", group: "Retention & loyalty", unit: Unit::Currency, higher_is_better: true,
        definition: "Average order value x orders per customer per year x average customer lifespan in years (seed 003). Lifespan is 1 / annual churn, capped at 10 years when churn is near zero.",
        formula: "aov x (orders / customers / years) x min(1 / annual churn, 10)" };
    const CLV_MARGIN: Def = Def { id: "clv_margin", label: "CLV (contribution margin)", group: "Retention & loyalty", unit: Unit::Currency, higher_is_better: true,
        definition: "Lifetime value in contribution margin rather than revenue (seed 004): average margin per order instead of average order value.",
        formula: "margin per order x (orders / customers / years) x min(1 / annual churn, 10)" };
    const RATIO: Def = Def {
        id: "ltv_cac_ratio",
        label: "LTV : CAC",
        group: "Acquisition",
        unit: Unit::Number,
        higher_is_better: true,
        definition: "Customer lifetime value per unit of acquisition cost.",
        formula: "clv / cac",
    };
    let churn: Vec<f64> = kpis
        .iter()
        .find(|k| k.id == "churn_rate")
        .map(|k| k.series.iter().filter_map(|p| p.value).collect())
        .unwrap_or_default();
    let mean_churn = (!churn.is_empty()).then(|| churn.iter().sum::<f64>() / churn.len() as f64);
    // Repeated multiplication, not `powi`: `powi` may round differently in wasm and natively,
    // and the browser and the CLI must agree to the last bit.
    let annual_churn = mean_churn.map(|c| {
        let survive = (0..periods_per_year).fold(1.0, |acc, _| acc * (1.0 - c));
        1.0 - survive
    });
    let lifespan = annual_churn.map(|c| {
        if c > 1.0 / MAX_LIFESPAN_YEARS {
            1.0 / c
        } else {
            MAX_LIFESPAN_YEARS
        }
    });
    let capped = lifespan == Some(MAX_LIFESPAN_YEARS);
    let frequency = match (value(kpis, "orders"), value(kpis, "customers")) {
        (Some(o), Some(c)) if c > 0.0 && years > 0.0 => Some(o / c / years),
        _ => None,
    };
    let needs = |what: &str| vec![what.to_string()];
    let inputs = ["aov", "orders", "customers", "churn_rate"];
    let clv = match (value(kpis, "aov"), frequency, lifespan) {
        (Some(aov), Some(f), Some(l)) => Some(aov * f * l),
        _ => None,
    };
    let mut out = Vec::new();
    let mut k = make(
        &CLV,
        clv,
        &inputs,
        if clv.is_none() {
            needs("orders over at least two periods (for churn)")
        } else {
            vec![]
        },
    );
    if capped {
        k.definition
            .push_str(" Churn here is near zero: the 10-year cap applies.");
    }
    out.push(k);
    let clv_margin = match (margin_per_order, frequency, lifespan) {
        (Some(m), Some(f), Some(l)) => Some(m * f * l),
        _ => None,
    };
    out.push(make(
        &CLV_MARGIN,
        clv_margin,
        &["orders.margin or cost", "orders", "customers", "churn_rate"],
        if clv_margin.is_none() {
            needs("a cost or margin column in the orders file, and orders over two periods")
        } else {
            vec![]
        },
    ));
    let ratio = match (clv, value(kpis, "cac")) {
        (Some(c), Some(cac)) if cac > 0.0 => Some(c / cac),
        _ => None,
    };
    out.push(make(
        &RATIO,
        ratio,
        &["clv", "cac"],
        if ratio.is_none() {
            needs("CLV and CAC (orders and a spend file)")
        } else {
            vec![]
        },
    ));
    out
}
