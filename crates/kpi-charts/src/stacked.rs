//! One stacked bar per period: channel mix over time.

use crate::axis::series_chart;
use crate::format::ValueUnit;
use crate::line::span_text;
use crate::svg::{self, series_colour};
use crate::{check_series, ChartError};

/// The input of [`stacked_bar_chart`]: the same named series over periods as a line chart.
pub type StackedBarChart = crate::line::SeriesChart;

/// One bar per period made of one segment per series, with a legend. Positive values stack
/// up from zero and negative ones (refunds) down from it, so segments never overlap. Each
/// segment's tooltip gives its value and, when the period has no negative values, its share
/// of the period's total.
pub fn stacked_bar_chart(input: &StackedBarChart) -> Result<String, ChartError> {
    stacked(input, "stacked")
}

/// [`stacked_bar_chart`] with the root's `kpi-chart-<kind>` class (`bar` for one series).
pub(crate) fn stacked(input: &StackedBarChart, kind: &str) -> Result<String, ChartError> {
    check_series(&input.series, &input.periods)?;
    if input.periods.is_empty()
        || input
            .series
            .iter()
            .all(|s| s.values.iter().all(Option::is_none))
    {
        return Err(ChartError::Empty);
    }
    let count = input.periods.len();
    // Per period: sum of positive and of negative values, the extent of the stack.
    let mut up = vec![0.0f64; count];
    let mut down = vec![0.0f64; count];
    for s in &input.series {
        for (j, v) in s.values.iter().enumerate() {
            match v {
                Some(v) if *v >= 0.0 => up[j] += v,
                Some(v) => down[j] += v,
                None => {}
            }
        }
    }
    let hi = up.iter().copied().fold(0.0, f64::max);
    let lo = down.iter().copied().fold(0.0, f64::min);
    let fmt = &input.frame.format;
    let (mut body, plot) = series_chart(
        &input.frame,
        &input.series,
        (lo, hi),
        input.unit,
        &input.y_label,
        &input.periods,
    )?;
    let mut top = vec![0.0f64; count];
    let mut bottom = vec![0.0f64; count];
    for (i, s) in input.series.iter().enumerate() {
        svg::open_series(&mut body, i, &s.name);
        for (j, v) in s.values.iter().enumerate() {
            let Some(v) = *v else { continue };
            let (start, band) = plot.band(j, count);
            let bar_w = (band * 0.7).min(64.0);
            let x = start + (band - bar_w) / 2.0;
            let (from, to) = if v >= 0.0 {
                let from = top[j];
                top[j] += v;
                (from, top[j])
            } else {
                let from = bottom[j];
                bottom[j] += v;
                (from, bottom[j])
            };
            let (y1, y2) = (plot.value(from), plot.value(to));
            let period = &input.periods[j];
            let mut tip = format!("{period} · {}: {}", s.name, fmt.value(v, input.unit));
            if down[j] == 0.0 && up[j] > 0.0 && input.series.len() > 1 {
                tip.push_str(&format!(
                    " ({} of {})",
                    fmt.value(v / up[j], ValueUnit::Percent),
                    fmt.value(up[j], input.unit)
                ));
            }
            svg::rect_mark(
                &mut body,
                (x, y1.min(y2), bar_w, (y1 - y2).abs()),
                series_colour(i),
                period,
                v,
                &tip,
            );
        }
        body.push_str("</g>\n");
    }
    let names: Vec<&str> = input.series.iter().map(|s| s.name.as_str()).collect();
    let title = format!(
        "{}: {} stacked over {} periods{}",
        input.frame.title,
        names.join(", "),
        count,
        span_text(&input.periods)
    );
    Ok(svg::document(
        kind,
        (input.frame.width, input.frame.height),
        &title,
        input.series.len(),
        &body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;
    use crate::NamedSeries;

    fn chart(periods: &[&str], series: &[(&str, &[Option<f64>])]) -> StackedBarChart {
        StackedBarChart {
            frame: frame(640, 320),
            periods: periods.iter().map(|p| p.to_string()).collect(),
            series: series
                .iter()
                .map(|(name, v)| NamedSeries {
                    name: name.to_string(),
                    values: v.to_vec(),
                })
                .collect(),
            unit: ValueUnit::Currency,
            y_label: "Revenue".into(),
        }
    }

    fn rect(doc: &roxmltree::Document, label: &str, series: usize) -> (f64, f64) {
        let n = doc
            .descendants()
            .find(|n| {
                n.attribute("data-label") == Some(label)
                    && n.parent().and_then(|p| p.attribute("data-series"))
                        == Some(series.to_string().as_str())
            })
            .unwrap();
        let y: f64 = n.attribute("y").unwrap().parse().unwrap();
        let h: f64 = n.attribute("height").unwrap().parse().unwrap();
        (y, y + h)
    }

    #[test]
    fn segments_stack_without_gaps_and_carry_their_share() {
        let svg = stacked_bar_chart(&chart(
            &["2024-01", "2024-02"],
            &[
                ("Online", &[Some(300.0), Some(500.0)]),
                ("Offline", &[Some(700.0), Some(500.0)]),
            ],
        ))
        .unwrap();
        let doc = parse(&svg);
        assert_eq!(series_count(&doc), 2);
        assert_eq!(marks_in_series(&doc, 0), 2);
        assert_eq!(marks_in_series(&doc, 1), 2);
        // Offline sits on top of Online: its bottom is Online's top (within rounding).
        let (online_top, online_bottom) = rect(&doc, "2024-01", 0);
        let (offline_top, offline_bottom) = rect(&doc, "2024-01", 1);
        assert!((offline_bottom - online_top).abs() <= 0.2);
        // 700 is 7/3 of 300 in height.
        let ratio = (offline_bottom - offline_top) / (online_bottom - online_top);
        assert!((ratio - 7.0 / 3.0).abs() < 0.01, "{ratio}");
        assert!(titles(&doc).contains(&"2024-01 · Online: €300.00 (30.0% of €1,000.00)".into()));
        assert_eq!(
            texts_with_class(&doc, "legend-label"),
            ["Online", "Offline"]
        );
    }

    #[test]
    fn negative_values_stack_below_zero() {
        let svg = stacked_bar_chart(&chart(
            &["a"],
            &[("Sales", &[Some(100.0)]), ("Refunds", &[Some(-40.0)])],
        ))
        .unwrap();
        let doc = parse(&svg);
        let (sales_top, sales_bottom) = rect(&doc, "a", 0);
        let (refund_top, _) = rect(&doc, "a", 1);
        assert!(sales_top < sales_bottom);
        assert!(
            (refund_top - sales_bottom).abs() <= 0.2,
            "both start at zero"
        );
        assert_eq!(elements_with_class(&doc, "zero-line").len(), 1);
        // No share where a negative value makes "share of total" meaningless.
        assert!(titles(&doc).contains(&"a · Refunds: -€40.00".into()));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        assert_eq!(stacked_bar_chart(&chart(&[], &[])), Err(ChartError::Empty));
        assert_eq!(
            stacked_bar_chart(&chart(&["a"], &[("S", &[None])])),
            Err(ChartError::Empty)
        );
        assert!(matches!(
            stacked_bar_chart(&chart(&["a"], &[("S", &[Some(f64::INFINITY)])])),
            Err(ChartError::NotFinite { .. })
        ));
        let one = parse_ok(stacked_bar_chart(&chart(&["a"], &[("S", &[Some(1.0)])])));
        assert_eq!(marks_in_series(&one, 0), 1);
        let zeros = parse_ok(stacked_bar_chart(&chart(
            &["a", "b"],
            &[
                ("S", &[Some(0.0), Some(0.0)]),
                ("T", &[Some(0.0), Some(0.0)]),
            ],
        )));
        assert_eq!(marks_in_series(&zeros, 1), 2);
        // 60 periods with long labels: labels thinned and cut, never wider than their room.
        let periods: Vec<String> = (0..60).map(|i| format!("Period number {i:02}")).collect();
        let refs: Vec<&str> = periods.iter().map(String::as_str).collect();
        let values = vec![Some(1.0); 60];
        let doc = parse_ok(stacked_bar_chart(&chart(&refs, &[("S", &values)])));
        let shown = texts_with_class(&doc, "category-label");
        assert!(shown.len() < 60 && shown.len() >= 5, "{shown:?}");
        assert_eq!(marks_in_series(&doc, 0), 60);
    }

    #[test]
    fn hostile_names_are_escaped_text() {
        let bad = "<img src=x onerror=alert(1)>";
        let svg = stacked_bar_chart(&chart(
            &["</svg><script>alert(1)</script>"],
            &[(bad, &[Some(1.0)]), ("b", &[Some(2.0)])],
        ))
        .unwrap();
        assert_no_markup_injection(&svg);
        assert_eq!(texts_with_class(&parse(&svg), "legend-label"), [bad, "b"]);
    }
}
