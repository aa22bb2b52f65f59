//! The KPI cards, grouped as the seed articles group them, and the charts.

use super::kpi_card::KpiCard;
use super::revenue_chart::RevenueChart;
use kpi_core::report::Report;
use leptos::prelude::*;

/// Dashboard groups, in display order.
const GROUPS: [&str; 6] = [
    "Acquisition",
    "Conversion",
    "Revenue",
    "Retention & loyalty",
    "Sales pipeline",
    "Operations & service",
];

/// The dashboard; empty until there is a report with imported files.
///
/// - `report`: the current report.
/// - `on_granularity`: called with `month`, `quarter` or `year` when the user changes it.
/// - `elapsed_ms`: how long the last computation took in the worker.
#[component]
pub fn Dashboard(
    #[prop(into)] report: Signal<Option<Report>>,
    #[prop(into)] on_granularity: Callback<String>,
    #[prop(into)] elapsed_ms: Signal<Option<f64>>,
) -> impl IntoView {
    let has_data = move || report.get().is_some_and(|r| !r.imports.is_empty());
    view! {
        <Show when=has_data>
            <section class="dashboard" aria-label="KPIs">
                <div class="toolbar">
                    <p class="range">
                        {move || {
                            report
                                .get()
                                .map(|r| {
                                    format!(
                                        "Data from {} to {}",
                                        r.from.unwrap_or_default(),
                                        r.to.unwrap_or_default(),
                                    )
                                })
                        }}
                    </p>
                    <label>
                        "Period "
                        <select
                            id="granularity"
                            on:change:target=move |ev| on_granularity.run(ev.target().value())
                        >
                            <option value="month">"Month"</option>
                            <option value="quarter">"Quarter"</option>
                            <option value="year">"Year"</option>
                        </select>
                    </label>
                    <p class="timing">
                        {move || elapsed_ms.get().map(|ms| format!("computed in {ms:.0} ms"))}
                    </p>
                </div>
                {move || {
                    let r = report.get().unwrap_or_else(unreachable_report);
                    GROUPS
                        .iter()
                        .filter_map(|g| {
                            let cards: Vec<_> = r
                                .kpis
                                .iter()
                                .filter(|k| k.group == *g)
                                .cloned()
                                .collect();
                            (!cards.is_empty())
                                .then(|| {
                                    view! {
                                        <section class="kpi-group">
                                            <h2>{*g}</h2>
                                            <div class="kpi-grid">
                                                {cards
                                                    .into_iter()
                                                    .map(|k| view! { <KpiCard kpi=k /> })
                                                    .collect_view()}
                                            </div>
                                        </section>
                                    }
                                })
                        })
                        .collect_view()
                }}
                <RevenueChart report=report />
            </section>
        </Show>
    }
}

/// An empty report, for the instant between `Show` deciding and the closure running.
fn unreachable_report() -> Report {
    Report {
        generator: String::new(),
        granularity: Default::default(),
        from: None,
        to: None,
        kpis: vec![],
        cohorts: vec![],
        rfm_segments: vec![],
        at_risk_customers: vec![],
        imports: vec![],
    }
}
