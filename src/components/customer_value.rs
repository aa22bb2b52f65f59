//! The Customer value view: BG/NBD and Gamma-Gamma fitted in the worker, the predicted value
//! of every customer, the tracking of predicted against actual repeat purchases over a
//! holdout, and the RFM segments. A fit that did not converge shows why, never numbers.

use super::chart_figure::{ChartFigure, Drawn};
use super::data_table::{Cell, DataTable};
use crate::app::SharedReport;
use crate::format::{group_thousands, kpi_value};
use crate::i18n::tr;
use crate::protocol::ClvSettings;
use kpi_core::clv::analysis::{ClvAnalysis, CustomerValue};
use kpi_core::report::Unit;
use leptos::prelude::*;

/// Both fits, as the worker sends them.
#[derive(Debug, Clone, PartialEq)]
pub struct ClvResult {
    pub prediction: ClvAnalysis,
    pub validation: Option<ClvAnalysis>,
    pub elapsed_ms: f64,
}

fn value_rows(customers: &[CustomerValue]) -> Vec<Vec<Cell>> {
    let num = |v: f64, unit: Unit| Cell::Number(Some(v), kpi_value(Some(v), unit));
    customers
        .iter()
        .map(|c| {
            vec![
                Cell::Text(c.customer.clone()),
                num(c.clv, Unit::Currency),
                Cell::Number(
                    Some(c.expected_purchases),
                    group_thousands(c.expected_purchases, 2),
                ),
                num(c.p_alive, Unit::Ratio),
                num(c.expected_spend, Unit::Currency),
                num(c.revenue, Unit::Currency),
            ]
        })
        .collect()
}

/// The fitted parameters, each with `data-param` and its exact `data-value`.
fn params(a: &ClvAnalysis) -> impl IntoView {
    let mut rows: Vec<(&'static str, f64)> = vec![];
    if let Some(m) = a.bgnbd {
        rows.extend([
            ("r", m.r),
            ("alpha", m.alpha),
            ("a", m.a),
            ("b", m.b),
            ("bgnbd_ll", m.log_likelihood),
        ]);
    }
    if let Some(g) = a.gamma_gamma {
        rows.extend([("p", g.p), ("q", g.q), ("gamma", g.gamma)]);
    }
    if let Some(t) = &a.totals {
        rows.extend([
            ("expected_purchases", t.expected_purchases),
            ("clv_total", t.clv),
            ("expected_active_customers", t.expected_active_customers),
        ]);
    }
    view! {
        <dl class="clv-params">
            {rows
                .into_iter()
                .map(|(name, v)| view! { <dt>{name}</dt><dd data-param=name data-value=v.to_string()>{group_thousands(v, if v.abs() < 100.0 { 3 } else { 0 })}</dd> })
                .collect_view()}
        </dl>
        {a.bgnbd_error.clone().map(|e| view! { <p class="clv-error" role="alert">{format!("BG/NBD: {e}")}</p> })}
        {a.gamma_gamma_error.clone().map(|e| view! { <p class="clv-error">{format!("Gamma-Gamma: {e}")}</p> })}
        {a.warnings.iter().map(|w| view! { <p class="warning">{w.clone()}</p> }).collect_view()}
    }
}

/// The view.
///
/// - `report`: the current report (its RFM segments).
/// - `result`: the last customer-value answer, if any.
/// - `busy`: a computation is running.
/// - `on_compute`: asks the worker for the fits with these settings.
#[component]
pub fn CustomerValueView(
    #[prop(into)] report: Signal<Option<SharedReport>>,
    #[prop(into)] result: Signal<Option<ClvResult>>,
    #[prop(into)] busy: Signal<bool>,
    on_compute: Callback<ClvSettings>,
) -> impl IntoView {
    let settings = RwSignal::new(ClvSettings::default());
    let number = move |id: &'static str,
                       label: &'static str,
                       get: fn(&ClvSettings) -> f64,
                       put: fn(&mut ClvSettings, f64)| {
        view! {
            <label class="setting">
                <span>{move || tr(label)}</span>
                <input id=id type="number" step="any" prop:value=move || get(&settings.get()).to_string()
                    on:change:target=move |ev| {
                        if let Ok(v) = ev.target().value().parse::<f64>() {
                            settings.update(|s| put(s, v))
                        }
                    }
                />
            </label>
        }
    };
    let tracking = Signal::derive(move || {
        let v = result.get()?.validation?;
        let title = format!(
            "Repeat purchases, predicted and actual (calibration to {})",
            v.calibration_end.clone().unwrap_or_default()
        );
        let drawn = kpi_charts::line_chart(&kpi_charts::LineChart {
            frame: kpi_charts::ChartFrame {
                width: 760,
                height: 300,
                title,
                format: kpi_charts::NumberFormat::default(),
            },
            periods: v.tracking.iter().map(|p| p.end.clone()).collect(),
            series: vec![
                kpi_charts::NamedSeries {
                    name: "Actual".into(),
                    values: v.tracking.iter().map(|p| Some(p.actual)).collect(),
                },
                kpi_charts::NamedSeries {
                    name: "Predicted (BG/NBD)".into(),
                    values: v.tracking.iter().map(|p| Some(p.predicted)).collect(),
                },
            ],
            unit: kpi_charts::ValueUnit::Count,
            y_label: String::new(),
        });
        Some(Drawn {
            svg: drawn.map_err(|e| e.to_string()),
            series: 2,
            points: v.tracking.len(),
        })
    });
    let top = Signal::derive(move || {
        result
            .get()
            .map(|r| value_rows(&r.prediction.top_customers))
            .unwrap_or_default()
    });
    let at_risk = Signal::derive(move || {
        result
            .get()
            .map(|r| value_rows(&r.prediction.at_risk_customers))
            .unwrap_or_default()
    });
    let rfm = Signal::derive(move || {
        report
            .get()
            .map(|r| {
                r.rfm_segments
                    .iter()
                    .map(|s| {
                        vec![
                            Cell::Text(s.segment.clone()),
                            Cell::Number(
                                Some(s.customers as f64),
                                group_thousands(s.customers as f64, 0),
                            ),
                            Cell::Number(
                                Some(s.revenue),
                                kpi_value(Some(s.revenue), Unit::Currency),
                            ),
                        ]
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    let headers = vec![
        "Customer",
        "Predicted value (CLV)",
        "Expected purchases",
        "P(alive)",
        "Expected spend",
        "Revenue",
    ];
    let state = move || {
        if busy.get() {
            "loading"
        } else if result.get().is_some() {
            "ready"
        } else {
            "idle"
        }
    };
    view! {
        <section class="customer-value" aria-label="Customer value" data-clv-state=state>
            <h2>{move || tr("Customer value (predictive)")}</h2>
            <p class="hint">{move || tr("BG/NBD repeat purchases and Gamma-Gamma spend, fitted on every customer of the orders files, here on this computer.")}</p>
            <div class="toolbar">
                <label class="setting">
                    <span>{move || tr("Time unit")}</span>
                    <select id="clv-unit" on:change:target=move |ev| { let u = ev.target().value(); settings.update(|s| s.unit = u) }>
                        {["week", "month", "day"].into_iter().map(|u| view! { <option value=u selected=move || settings.get().unit == u>{move || tr(u)}</option> }).collect_view()}
                    </select>
                </label>
                {number("clv-horizon", "Horizon (units)", |s| s.horizon, |s, v| s.horizon = v.max(1.0))}
                {number("clv-discount", "Annual discount rate", |s| s.discount_rate, |s, v| s.discount_rate = v.max(0.0))}
                {number("clv-margin", "Margin (share of revenue)", |s| s.margin, |s, v| s.margin = v.clamp(0.0, 1.0))}
                <label class="setting">
                    <span>{move || tr("Holdout from")}</span>
                    <input id="clv-holdout" type="date" prop:value=move || settings.get().holdout_start
                        on:change:target=move |ev| { let d = ev.target().value(); settings.update(|s| s.holdout_start = d) } />
                </label>
                <button id="clv-compute" type="button" class="button primary" on:click=move |_| on_compute.run(settings.get_untracked())>
                    {move || tr("Compute customer value")}
                </button>
            </div>
            {move || result.get().map(|r| view! {
                <p class="range">{format!("{} customers, {} repeat buyers · {} {:.0} ms", r.prediction.customers, r.prediction.repeat_buyers, tr("computed in"), r.elapsed_ms)}</p>
                <div class="clv-fits">
                    <div><h3>{tr("Prediction (all data)")}</h3>{params(&r.prediction)}</div>
                    {r.validation.as_ref().map(|v| view! { <div class="clv-validation"><h3>{tr("Validation fit")}</h3>{params(v)}</div> })}
                </div>
            })}
            <ChartFigure id="clv-tracking" title="Predicted vs actual repeat purchases" drawn=tracking />
            <Show when=move || result.get().is_some()>
                <div class="tables">
                    <DataTable id="clv-top" caption="Top customers by predicted value" headers=headers.clone() rows=top />
                    <DataTable id="clv-at-risk" caption="High-value customers at risk" headers=headers.clone() rows=at_risk />
                </div>
            </Show>
            <div class="tables">
                <DataTable id="rfm-segments" caption="RFM segments" headers=vec!["RFM segment", "Customers", "Revenue"] rows=rfm />
            </div>
        </section>
    }
}
