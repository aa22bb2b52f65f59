//! Several named series over the same periods, as lines with a point per value.

use crate::axis::series_chart;
use crate::format::ValueUnit;
use crate::svg::{self, esc, n, series_colour};
use crate::{check_series, ChartError, ChartFrame, NamedSeries};
use std::fmt::Write as _;

/// Named series over periods: the input of [`line_chart`] (AOV trend, churn vs
/// retention...) and of [`crate::stacked_bar_chart`] (online vs offline revenue per month;
/// stacked bottom to top in series order).
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesChart {
    pub frame: ChartFrame,
    /// Category labels along x (`2024-01`, `2024-Q1`); every series has one value per period.
    pub periods: Vec<String>,
    pub series: Vec<NamedSeries>,
    /// How values are written on the axis and in tooltips.
    pub unit: ValueUnit,
    /// Value axis title, e.g. "Average order value"; the unit is appended (`(€)`, `(%)`).
    pub y_label: String,
}

/// The input of [`line_chart`].
pub type LineChart = SeriesChart;

/// Lines over periods, one per series, with a legend. Missing values break a line; a value
/// with no neighbour shows as a lone point. The value axis starts at zero when the data are
/// all positive and zero is not far below them (so a small change does not look huge), and
/// spans 0..100% for shares that fit in it.
pub fn line_chart(input: &LineChart) -> Result<String, ChartError> {
    check_series(&input.series, &input.periods)?;
    let known = || input.series.iter().flat_map(|s| s.values.iter().flatten());
    if known().next().is_none() {
        return Err(ChartError::Empty);
    }
    let (min, max) = known().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    let (lo, hi) = if input.unit == ValueUnit::Percent && min >= 0.0 && max <= 1.0 {
        (0.0, 1.0)
    } else if min >= 0.0 && min <= max * 0.5 {
        (0.0, max)
    } else {
        (min, max)
    };
    let fmt = &input.frame.format;
    let (mut body, plot) = series_chart(
        &input.frame,
        &input.series,
        (lo, hi),
        input.unit,
        &input.y_label,
        &input.periods,
    )?;
    let count = input.periods.len();
    for (i, s) in input.series.iter().enumerate() {
        let colour = series_colour(i);
        svg::open_series(&mut body, i, &s.name);
        let xy = |j: usize, v: f64| {
            let (start, size) = plot.band(j, count);
            (start + size / 2.0, plot.value(v))
        };
        // One path per run of known values.
        let mut d = String::new();
        let mut run_len = 0;
        for (j, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => {
                    let (x, y) = xy(j, *v);
                    let _ = write!(
                        d,
                        "{}{} {}",
                        if run_len == 0 { 'M' } else { 'L' },
                        n(x),
                        n(y)
                    );
                    run_len += 1;
                }
                None => run_len = 0,
            }
        }
        let _ = writeln!(
            body,
            r#"<path class="line" d="{d}" fill="none" stroke="{colour}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>"#
        );
        for (j, v) in s.values.iter().enumerate() {
            let Some(v) = v else { continue };
            let (x, y) = xy(j, *v);
            let period = &input.periods[j];
            let tip = format!("{period} · {}: {}", s.name, fmt.value(*v, input.unit));
            // The wide transparent stroke is a bigger hover target than the dot itself.
            let _ = writeln!(
                body,
                r#"<circle class="mark" cx="{}" cy="{}" r="3.5" fill="{colour}" stroke="transparent" stroke-width="10" data-label="{}" data-value="{v}"><title>{}</title></circle>"#,
                n(x),
                n(y),
                esc(period),
                esc(&tip)
            );
        }
        body.push_str("</g>\n");
    }
    let names: Vec<&str> = input.series.iter().map(|s| s.name.as_str()).collect();
    let title = format!(
        "{}: {} over {} periods{}",
        input.frame.title,
        names.join(", "),
        count,
        span_text(&input.periods)
    );
    Ok(svg::document(
        "line",
        (input.frame.width, input.frame.height),
        &title,
        input.series.len(),
        &body,
    ))
}

/// `, 2024-01 to 2024-12` (or `, 2024-01` for one period).
pub(crate) fn span_text(periods: &[String]) -> String {
    match periods {
        [] => String::new(),
        [one] => format!(", {one}"),
        [first, .., last] => format!(", {first} to {last}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;
    use crate::NumberFormat;

    fn chart(periods: &[&str], series: &[(&str, &[Option<f64>])]) -> LineChart {
        LineChart {
            frame: ChartFrame {
                title: "AOV".into(),
                ..frame(600, 300)
            },
            periods: periods.iter().map(|p| p.to_string()).collect(),
            series: series
                .iter()
                .map(|(name, v)| NamedSeries {
                    name: name.to_string(),
                    values: v.to_vec(),
                })
                .collect(),
            unit: ValueUnit::Currency,
            y_label: "Average order value".into(),
        }
    }

    #[test]
    fn one_group_and_one_point_per_value_for_each_series() {
        let svg = line_chart(&chart(
            &["2024-01", "2024-02", "2024-03"],
            &[
                ("Online", &[Some(120.0), Some(135.5), Some(128.0)]),
                ("Offline", &[Some(200.0), None, Some(190.0)]),
            ],
        ))
        .unwrap();
        let doc = parse(&svg);
        assert_eq!(series_count(&doc), 2);
        assert_eq!(root_attr(&doc, "data-series"), "2");
        assert_eq!(marks_in_series(&doc, 0), 3);
        // The missing February value draws no point...
        assert_eq!(marks_in_series(&doc, 1), 2);
        // ...and breaks the line: two moves in the Offline path.
        let paths = elements_with_class(&doc, "line");
        assert_eq!(paths[1].attribute("d").unwrap().matches('M').count(), 2);
        assert_eq!(
            texts_with_class(&doc, "legend-label"),
            ["Online", "Offline"]
        );
        assert_eq!(
            texts_with_class(&doc, "category-label"),
            ["2024-01", "2024-02", "2024-03"]
        );
        // The exact value is in the point's tooltip, with the currency.
        assert!(titles(&doc).contains(&"2024-02 · Online: €135.50".to_string()));
        assert!(svg.contains("Average order value (€)"), "{svg}");
        assert!(root_attr(&doc, "aria-label").starts_with("AOV: Online, Offline over 3 periods"));
    }

    #[test]
    fn italian_format_on_ticks_and_tooltips() {
        let mut c = chart(&["gen", "feb"], &[("AOV", &[Some(1234.5), Some(2500.0)])]);
        c.frame.format = NumberFormat::italian("€");
        let doc_text = line_chart(&c).unwrap();
        let doc = parse(&doc_text);
        assert!(titles(&doc).contains(&"gen · AOV: 1.234,50\u{a0}€".to_string()));
        // 0..2500 in 5 ticks of 500 (plot 300 px high): the 2,500 tick reads "2.500 €".
        assert!(
            all_text(&doc).contains(&"2.500\u{a0}€".to_string()),
            "{doc_text}"
        );
    }

    #[test]
    fn points_sit_higher_for_higher_values() {
        let svg = line_chart(&chart(&["a", "b"], &[("S", &[Some(10.0), Some(20.0)])])).unwrap();
        let doc = parse(&svg);
        let ys: Vec<f64> = elements_with_class(&doc, "mark")
            .iter()
            .map(|e| e.attribute("cy").unwrap().parse().unwrap())
            .collect();
        assert!(ys[1] < ys[0], "{ys:?}");
    }

    #[test]
    fn edge_cases_do_not_panic() {
        assert_eq!(line_chart(&chart(&[], &[])), Err(ChartError::Empty));
        assert_eq!(
            line_chart(&chart(&["a", "b"], &[("S", &[None, None])])),
            Err(ChartError::Empty)
        );
        assert!(matches!(
            line_chart(&chart(&["a"], &[("S", &[Some(f64::NAN)])])),
            Err(ChartError::NotFinite { .. })
        ));
        assert!(matches!(
            line_chart(&chart(&["a"], &[("S", &[Some(1.0), Some(2.0)])])),
            Err(ChartError::Mismatch(_))
        ));
        // One point: a lone dot.
        let one = parse_ok(line_chart(&chart(&["a"], &[("S", &[Some(5.0)])])));
        assert_eq!(marks_in_series(&one, 0), 1);
        // Negative and all-zero values draw, with a zero line when zero is inside.
        let neg = line_chart(&chart(&["a", "b"], &[("S", &[Some(-5.0), Some(3.0)])])).unwrap();
        assert_eq!(elements_with_class(&parse(&neg), "zero-line").len(), 1);
        let zero = parse_ok(line_chart(&chart(
            &["a", "b"],
            &[("S", &[Some(0.0), Some(0.0)])],
        )));
        assert_eq!(marks_in_series(&zero, 0), 2);
        // Huge values that overflow the range are an error, not a panic.
        assert!(line_chart(&chart(
            &["a", "b"],
            &[("S", &[Some(-f64::MAX), Some(f64::MAX)])]
        ))
        .is_err());
        // Very long labels are cut, and keep the full text in a title.
        let long = "Q".repeat(300);
        let doc = parse_ok(line_chart(&chart(
            &[&long, "b"],
            &[(&long, &[Some(1.0), Some(2.0)])],
        )));
        assert!(texts_with_class(&doc, "category-label")[0].ends_with('…'));
        assert!(titles(&doc).contains(&long));
        // Too small to draw.
        let mut small = chart(&["a"], &[("S", &[Some(1.0)])]);
        small.frame.width = 20;
        assert_eq!(line_chart(&small), Err(ChartError::TooSmall));
    }

    #[test]
    fn hostile_names_are_escaped_text() {
        let bad = "<img src=x onerror=alert(1)>";
        let end = "</svg><script>alert(1)</script>";
        let svg = line_chart(&chart(&[end], &[(bad, &[Some(1.0)]), ("b", &[Some(2.0)])])).unwrap();
        assert_no_markup_injection(&svg);
        let doc = parse(&svg);
        assert_eq!(texts_with_class(&doc, "legend-label"), [bad, "b"]);
        assert_eq!(texts_with_class(&doc, "category-label"), [end]);
        assert!(titles(&doc).contains(&format!("{end} · {bad}: €1.00")));
    }
}
