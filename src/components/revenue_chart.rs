//! Revenue per period as a bar chart (SVG drawn by plotters on the main thread).

use kpi_charts::{bar_chart, Series};
use kpi_core::report::Report;
use leptos::prelude::*;

/// The revenue chart. Shows a message instead when there is nothing to draw.
///
/// - `report`: the current report; its `revenue` series is drawn.
#[component]
pub fn RevenueChart(#[prop(into)] report: Signal<Option<Report>>) -> impl IntoView {
    let series = Memo::new(move |_| {
        report.get().and_then(|r| {
            r.kpi("revenue").map(|k| Series {
                name: "Revenue".into(),
                unit: "currency".into(),
                points: k
                    .series
                    .iter()
                    .map(|p| (p.period.clone(), p.value.unwrap_or(0.0)))
                    .collect(),
            })
        })
    });
    move || {
        series.get().map(|s| {
            let points = s.points.len();
            match bar_chart(&s, 760, 320) {
                Ok(svg) => view! {
                    <figure
                        class="chart"
                        data-chart="revenue"
                        data-series="1"
                        data-points=points
                        role="img"
                        aria-label=format!("Revenue per period, {points} periods")
                    >
                        <figcaption>"Revenue per period"</figcaption>
                        <div class="chart-svg" inner_html=svg></div>
                    </figure>
                }
                .into_any(),
                Err(e) => view! { <p class="chart-empty">{e.to_string()}</p> }.into_any(),
            }
        })
    }
}
