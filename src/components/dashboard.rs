//! The KPI cards, grouped as the seed articles group them, and the charts.

use super::charts::Charts;
use super::export_bar::ExportBar;
use super::kpi_card::{kpi_card_html, sparkline};
use super::revenue_chart::RevenueChart;
use super::tables::Tables;
use super::view_toolbar::ViewToolbar;
use crate::app::{ChartsReady, LateBreakdowns, SharedReport};
use crate::protocol::View;
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
/// - `report`: the current report. The cards follow it at once; the charts and tables a
///   task or more later (`ChartsReady`), kept mounted and redrawn in place.
/// - `full_report`: the report with the breakdowns that came after it (for exports).
/// - `late`: those breakdowns alone (for the salesperson table and leaderboard).
/// - `view`: period, range and filters in force.
/// - `on_view`: called with a new view when the user changes the toolbar.
/// - `elapsed_ms`: how long the last computation took in the worker (and its parts).
#[component]
pub fn Dashboard(
    #[prop(into)] report: Signal<Option<SharedReport>>,
    #[prop(into)] full_report: Signal<Option<Report>>,
    #[prop(into)] late: Signal<LateBreakdowns>,
    #[prop(into)] view: Signal<View>,
    #[prop(into)] on_view: Callback<View>,
    #[prop(into)] elapsed_ms: Signal<Option<crate::protocol::Timing>>,
) -> impl IntoView {
    let has_data =
        Memo::new(move |_| report.with(|r| r.as_ref().is_some_and(|r| !r.imports.is_empty())));
    let charts_opened = ChartsReady::opened(ChartsReady::REVENUE);
    let tables_opened = ChartsReady::opened(ChartsReady::SPARKLINES);
    view! {
        <Show when=move || has_data.get()>
            <section class="dashboard" aria-label="KPIs">
                <ViewToolbar report=report view=view on_view=on_view />
                <p class="range">
                    {move || {
                        report
                            .get()
                            .map(|r| {
                                let lang = crate::i18n::use_lang();
                                let t = |s| crate::i18n::translate(lang, s);
                                let d = |s: &Option<String>| crate::i18n::date_in(lang, s.as_deref().unwrap_or_default());
                                format!("{} {} {} {}", t("Data from"), d(&r.from), t("to"), d(&r.to))
                            })
                    }}
                    <span class="timing">
                        {move || elapsed_ms.get().map(timing_text)}
                    </span>
                </p>
                {move || {
                    let lang = crate::i18n::use_lang();
                    let r = report.get().unwrap_or_else(|| std::sync::Arc::new(unreachable_report()));
                    GROUPS
                        .iter()
                        .filter(|g| r.kpis.iter().any(|k| k.group == **g))
                        .map(|g| {
                            let r = r.clone();
                            // One string per group (see `kpi_card_html`); drawn again with the
                            // sparklines a frame later.
                            let grid = move || {
                                let lines = ChartsReady::at(ChartsReady::SPARKLINES);
                                r.kpis
                                    .iter()
                                    .filter(|k| k.group == *g)
                                    .map(|k| kpi_card_html(k, lang, lines.then(|| sparkline(k)).flatten().as_deref()))
                                    .collect::<String>()
                            };
                            view! {
                                <section class="kpi-group">
                                    <h2>{crate::i18n::translate(lang, g)}</h2>
                                    <div class="kpi-grid" inner_html=grid></div>
                                </section>
                            }
                        })
                        .collect_view()
                }}
                // Built the first time their stage opens, then kept: each part redraws in
                // place when its stage opens for a new report.
                <Show when=move || charts_opened.get()>
                    <RevenueChart report=report />
                    <Charts report=report late=late />
                </Show>
                // The tables and exports a task after the numbers, with the sparklines.
                <Show when=move || tables_opened.get()>
                    <Tables report=report late=late />
                    <ExportBar report=full_report />
                </Show>
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
        top_customers: vec![],
        funnels: vec![],
        imports: vec![],
    }
}

/// " · computed in 1,143 ms (reading 775 ms, KPIs 320 ms)": the worker's time, in parts
/// when files were read.
fn timing_text(t: crate::protocol::Timing) -> String {
    let tr = crate::i18n::tr;
    let mut text = format!(" · {} {:.0} ms", tr("computed in"), t.total_ms);
    if t.import_ms > 0.0 {
        text.push_str(&format!(
            " ({} {:.0} ms, {} {:.0} ms)",
            tr("reading"),
            t.import_ms,
            tr("KPIs"),
            t.compute_ms
        ));
    }
    text
}
