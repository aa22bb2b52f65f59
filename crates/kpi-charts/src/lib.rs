//! Charts as pure functions: data in, SVG text out. No DOM is needed natively (tests); in the
//! browser plotters measures tick labels with the DOM, so the app calls these on the main
//! thread.
//!
//! # How a chart is drawn
//! Plotters' SVG backend draws the value axis: nice ticks, tick labels in the reader's
//! [`NumberFormat`], grid lines and the axis title. Plotters cannot attach a tooltip or a
//! class to an element, so the data marks, category labels, legends and the root `<svg>` are
//! written by this crate (`svg.rs`) at pixel positions taken from plotters' plotting area.
//! Text and axes are `currentColor` (plotters draws them in a sentinel colour that is then
//! rewritten), so a chart follows the page's light or dark text colour; the background is
//! transparent; series colours are mid tones readable on both themes.
//!
//! # Markup convention (for the app, CSS and browser tests)
//! - Root: `<svg class="kpi-chart kpi-chart-KIND" role="img" aria-label="…"
//!   data-series="N">` whose first child is `<title>` (same text as `aria-label`: the chart's
//!   title plus a one-line summary of what it shows). KIND is `bar`, `line`, `stacked`,
//!   `funnel`, `heatmap`, `leaderboard`, `histogram`. `data-series` is the number of series.
//! - Series: each series is one `<g class="series series-I" data-series="I" data-name="…">`,
//!   I from 0, so `svg g.series` counts series. What a series is: line/stacked: each named
//!   series; bar, funnel, leaderboard: one series; heatmap: one per row (cohort);
//!   histogram: three (detractors, passives, promoters, in that order).
//! - Data marks: every bar, point, stage and cell is an element with `class="mark"`,
//!   `data-label` (its category) and `data-value` (the unrounded number, as Rust prints an
//!   f64), inside its series group. Missing values draw no mark (heatmap: a
//!   `class="mark missing"` cell without `data-value`).
//! - Hover: every mark has an SVG `<title>` child with the exact formatted value (browsers
//!   show it as a tooltip; screen readers read it). Marks are not focusable: `role="img"`
//!   makes children presentational, and focusable children inside it are an axe "serious"
//!   violation (nested-interactive); keyboard users get the values from the `aria-label`
//!   summary, and the app can offer the same numbers as a table.
//! - Legends: `<g class="legend">` with one `<g class="legend-item series-I">` per series.
//! - Labels cut with `…` to fit keep their full text in a `<title>` child.
//! - Hostile names are only text: everything from data is escaped (`<` `>` `&` `"` `'`), and
//!   characters XML forbids are replaced by U+FFFD, so an exported file still parses.
//!
//! # Errors
//! Nothing to draw is [`ChartError::Empty`] (the app shows a message or [`no_data_svg`]);
//! NaN or infinite input is [`ChartError::NotFinite`]; lengths that disagree are
//! [`ChartError::Mismatch`]. No input panics.

mod axis;
mod format;
mod funnel;
mod heatmap;
mod histogram;
mod leaderboard;
mod line;
mod stacked;
mod svg;
#[cfg(test)]
mod testutil;

pub use format::{NumberFormat, ValueUnit};
pub use funnel::{funnel_chart, FunnelChart, FunnelStage};
pub use heatmap::{heatmap, Heatmap, HeatmapRow};
pub use histogram::{nps_histogram, NpsHistogram};
pub use leaderboard::{horizontal_bar_chart, BarItem, Leaderboard};
pub use line::{line_chart, LineChart, SeriesChart};
pub use stacked::{stacked_bar_chart, StackedBarChart};

use plotters::prelude::*;
use std::fmt;

/// One named series of values over labelled categories (periods, salespeople...).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// Unit shown on the value axis (`€`, `orders`, `%`); may be empty.
    pub unit: String,
    pub points: Vec<(String, f64)>,
}

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartError {
    /// Nothing to draw; the caller shows a message instead.
    Empty,
    /// A value is NaN or infinite.
    NotFinite { label: String },
    /// A negative value where only counts make sense (funnel stages).
    Negative { label: String },
    /// Inputs that should line up do not (a series longer than its periods).
    Mismatch(String),
    /// The requested size leaves no room to plot.
    TooSmall,
    /// The drawing backend failed.
    Backend(String),
}

/// Size, accessible title and number format: what every chart takes besides its data.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartFrame {
    /// Pixels; the SVG also has a `viewBox`, so CSS may scale it.
    pub width: u32,
    pub height: u32,
    /// What the chart shows, e.g. "Average order value per month"; becomes `<title>` and
    /// `aria-label` (with a summary of the data appended).
    pub title: String,
    pub format: NumberFormat,
}

/// A named series of values over the chart's periods; `None` is a missing value.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSeries {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// A sized SVG with `message` in its middle, for when a chart has nothing to draw.
pub fn no_data_svg(frame: &ChartFrame, message: &str) -> String {
    let mut body = String::new();
    svg::text(
        &mut body,
        "no-data",
        frame.width as f64 / 2.0,
        frame.height as f64 / 2.0,
        14.0,
        "middle",
        message,
        None,
    );
    svg::document(
        "empty",
        (frame.width, frame.height),
        &format!("{}: {message}", frame.title),
        0,
        &body,
    )
}

/// Rejects values that are NaN or infinite, and series whose length is not `periods`.
pub(crate) fn check_series(series: &[NamedSeries], periods: &[String]) -> Result<(), ChartError> {
    for s in series {
        if s.values.len() != periods.len() {
            return Err(ChartError::Mismatch(format!(
                "series {} has {} values for {} periods",
                s.name,
                s.values.len(),
                periods.len()
            )));
        }
        for (v, p) in s.values.iter().zip(periods) {
            if v.is_some_and(|v| !v.is_finite()) {
                return Err(ChartError::NotFinite {
                    label: format!("{} {p}", s.name),
                });
            }
        }
    }
    Ok(())
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::Empty => write!(f, "no data to chart"),
            ChartError::NotFinite { label } => write!(f, "value for {label} is not a number"),
            ChartError::Negative { label } => write!(f, "value for {label} is negative"),
            ChartError::Mismatch(what) => write!(f, "chart data does not line up: {what}"),
            ChartError::TooSmall => write!(f, "chart area too small"),
            ChartError::Backend(e) => write!(f, "chart drawing failed: {e}"),
        }
    }
}

impl std::error::Error for ChartError {}

fn backend_err<E: fmt::Debug>(e: E) -> ChartError {
    ChartError::Backend(format!("{e:?}"))
}

/// `1234567.8` -> `1,234,568`; small values keep two decimals.
pub fn format_thousands(v: f64) -> String {
    if v.abs() < 10.0 && v.fract() != 0.0 {
        return format!("{v:.2}");
    }
    let neg = v < 0.0;
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

/// A vertical bar chart of one series (e.g. revenue per month): a [`stacked_bar_chart`] of
/// one series, titled after the series, values written with English separators. The axis
/// title is `name (unit)`.
pub fn bar_chart(series: &Series, width: u32, height: u32) -> Result<String, ChartError> {
    let y_label = if series.unit.is_empty() {
        series.name.clone()
    } else {
        format!("{} ({})", series.name, series.unit)
    };
    stacked::stacked(
        &StackedBarChart {
            frame: ChartFrame {
                width,
                height,
                title: series.name.clone(),
                format: NumberFormat::default(),
            },
            periods: series.points.iter().map(|p| p.0.clone()).collect(),
            series: vec![NamedSeries {
                name: series.name.clone(),
                values: series.points.iter().map(|p| Some(p.1)).collect(),
            }],
            unit: ValueUnit::Number,
            y_label,
        },
        "bar",
    )
}

/// A small trend line without axes for a KPI card. Missing values break the line.
pub fn sparkline(values: &[Option<f64>], width: u32, height: u32) -> Result<String, ChartError> {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    if known.len() < 2 {
        return Err(ChartError::Empty);
    }
    if known.iter().any(|v| !v.is_finite()) {
        return Err(ChartError::NotFinite {
            label: "sparkline".into(),
        });
    }
    let (lo, hi) = known
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    let pad = ((hi - lo) * 0.1).max(1e-9);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(2)
            .build_cartesian_2d(
                0f64..(values.len() - 1).max(1) as f64,
                (lo - pad)..(hi + pad),
            )
            .map_err(backend_err)?;
        let color = RGBColor(37, 99, 235);
        // One line per run of known values.
        let mut run: Vec<(f64, f64)> = Vec::new();
        let mut runs = Vec::new();
        for (i, v) in values.iter().enumerate() {
            match v {
                Some(v) => run.push((i as f64, *v)),
                None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
                None => {}
            }
        }
        runs.push(run);
        for r in runs.into_iter().filter(|r| !r.is_empty()) {
            chart
                .draw_series(LineSeries::new(r, color.stroke_width(2)))
                .map_err(backend_err)?;
        }
        root.present().map_err(backend_err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(points: &[(&str, f64)]) -> Series {
        Series {
            name: "Revenue".into(),
            unit: "€".into(),
            points: points.iter().map(|(l, v)| (l.to_string(), *v)).collect(),
        }
    }

    #[test]
    fn draws_one_bar_per_point_with_labels() {
        let svg = bar_chart(
            &series(&[("2024-01", 1200.0), ("2024-02", 3400.0), ("2024-03", 900.0)]),
            600,
            300,
        )
        .unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("2024-02"));
        assert!(svg.contains("Revenue (€)"));
        let doc = testutil::parse(&svg);
        assert_eq!(testutil::marks_in_series(&doc, 0), 3);
        assert!(testutil::titles(&doc).contains(&"2024-02 · Revenue: 3,400".to_string()));
        // No empty category after the last bar: the last x tick sits at the plot's right edge.
        assert!(!svg.contains(">3<"));
    }

    #[test]
    fn empty_and_non_finite_are_errors() {
        assert_eq!(bar_chart(&series(&[]), 600, 300), Err(ChartError::Empty));
        assert!(matches!(
            bar_chart(&series(&[("a", f64::NAN)]), 600, 300),
            Err(ChartError::NotFinite { .. })
        ));
    }

    #[test]
    fn one_point_and_negative_values_draw() {
        assert!(bar_chart(&series(&[("2024-01", 5.0)]), 400, 200).is_ok());
        let svg = bar_chart(&series(&[("a", -50.0), ("b", 100.0)]), 400, 200).unwrap();
        assert_eq!(testutil::marks_in_series(&testutil::parse(&svg), 0), 2);
    }

    #[test]
    fn labels_are_escaped_in_svg() {
        let svg = bar_chart(
            &series(&[("</svg><script>alert(1)</script>", 5.0)]),
            400,
            200,
        )
        .unwrap();
        testutil::assert_no_markup_injection(&svg);
    }

    #[test]
    fn sparkline_draws_one_line_per_run_of_values() {
        let svg = sparkline(&[Some(1.0), Some(3.0), None, Some(2.0), Some(5.0)], 120, 30).unwrap();
        assert_eq!(svg.matches("<polyline").count(), 2, "{svg}");
        assert_eq!(sparkline(&[Some(1.0)], 120, 30), Err(ChartError::Empty));
        assert_eq!(sparkline(&[None, None], 120, 30), Err(ChartError::Empty));
        // A flat line still draws.
        assert!(sparkline(&[Some(2.0), Some(2.0)], 120, 30).is_ok());
    }

    #[test]
    fn thousands() {
        assert_eq!(format_thousands(1234567.8), "1,234,568");
        assert_eq!(format_thousands(-1500.0), "-1,500");
        assert_eq!(format_thousands(0.5), "0.50");
        assert_eq!(format_thousands(999.0), "999");
    }
}
