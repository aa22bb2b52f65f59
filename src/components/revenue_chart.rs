//! Revenue per period as a bar chart (SVG drawn by plotters on the main thread).

use super::chart_figure::{ChartFigure, Drawn};
use crate::app::{ChartsReady, SharedReport};
use kpi_charts::{bar_chart, Series};
use leptos::prelude::*;

/// The revenue chart, first of the dashboard's charts.
///
/// - `report`: the current report; its `revenue` series is drawn when the chart's stage
///   opens for it (`ChartsReady::REVENUE`), the one drawn before shown until then.
#[component]
pub fn RevenueChart(#[prop(into)] report: Signal<Option<SharedReport>>) -> impl IntoView {
    let drawn = ChartsReady::staged(ChartsReady::REVENUE, move || {
        let _ = crate::i18n::use_lang();
        report.with(|r| {
            let k = r.as_ref()?.kpi("revenue")?;
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
