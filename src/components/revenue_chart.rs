//! Revenue per period as a bar chart (SVG drawn by plotters on the main thread).

use super::chart_figure::{ChartFigure, Drawn};
use kpi_charts::{bar_chart, Series};
use kpi_core::report::Report;
use leptos::prelude::*;

/// The revenue chart, first of the dashboard's charts.
///
/// - `report`: the current report; its `revenue` series is drawn.
#[component]
pub fn RevenueChart(#[prop(into)] report: Signal<Option<Report>>) -> impl IntoView {
    let drawn = Signal::derive(move || {
        let _ = crate::i18n::use_lang();
        report.get().and_then(|r| {
            let k = r.kpi("revenue")?;
            let series = Series {
                name: crate::i18n::tr("Revenue").into(),
                unit: String::new(),
                points: k
                    .series
                    .iter()
                    .map(|p| (p.period.clone(), p.value.unwrap_or(0.0)))
                    .collect(),
            };
            Some(Drawn {
                svg: bar_chart(&series, 760, 320).map_err(|e| e.to_string()),
                series: 1,
                points: series.points.len(),
            })
        })
    });
    view! { <ChartFigure id="revenue" title="Revenue per period" drawn=drawn /> }
}
