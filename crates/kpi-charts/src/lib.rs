//! Charts as pure functions: data in, SVG text out, drawn with plotters' SVG backend.
//! No DOM is needed natively (tests); in the browser plotters measures text with the DOM,
//! so the app calls these on the main thread.

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
    /// The drawing backend failed.
    Backend(String),
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::Empty => write!(f, "no data to chart"),
            ChartError::NotFinite { label } => write!(f, "value for {label} is not a number"),
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

/// A vertical bar chart of one series (e.g. revenue per month).
pub fn bar_chart(series: &Series, width: u32, height: u32) -> Result<String, ChartError> {
    if series.points.is_empty() {
        return Err(ChartError::Empty);
    }
    if let Some((label, _)) = series.points.iter().find(|(_, v)| !v.is_finite()) {
        return Err(ChartError::NotFinite {
            label: label.clone(),
        });
    }
    let max = series.points.iter().map(|p| p.1).fold(0.0f64, f64::max);
    let min = series.points.iter().map(|p| p.1).fold(0.0f64, f64::min);
    let span = (max - min).max(1.0);
    let (y_lo, y_hi) = (
        if min < 0.0 { min - span * 0.05 } else { 0.0 },
        if max > 0.0 { max + span * 0.05 } else { 1.0 },
    );
    let n = series.points.len();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        // Transparent: the page's light or dark panel shows through (see style/main.css).
        root.fill(&TRANSPARENT).map_err(backend_err)?;
        let y_desc = if series.unit.is_empty() {
            series.name.clone()
        } else {
            format!("{} ({})", series.name, series.unit)
        };
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(72)
            .build_cartesian_2d((0..n - 1).into_segmented(), y_lo..y_hi)
            .map_err(backend_err)?;
        let labels: Vec<&str> = series.points.iter().map(|p| p.0.as_str()).collect();
        // Show at most ~12 category labels so they stay readable.
        let step = n.div_ceil(12).max(1);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_labels(n.min(12))
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) if i % step == 0 => {
                    labels.get(*i).map(|s| s.to_string()).unwrap_or_default()
                }
                _ => String::new(),
            })
            .y_desc(y_desc)
            .y_label_formatter(&|v| format_thousands(*v))
            .axis_desc_style(("sans-serif", 13))
            .label_style(("sans-serif", 12))
            .draw()
            .map_err(backend_err)?;
        let bar = RGBColor(37, 99, 235);
        chart
            .draw_series(series.points.iter().enumerate().map(|(i, (_, v))| {
                let (lo, hi) = if *v >= 0.0 { (0.0, *v) } else { (*v, 0.0) };
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), lo),
                        (SegmentValue::Exact(i + 1), hi),
                    ],
                    bar.filled(),
                );
                r.set_margin(0, 0, 3, 3);
                r
            }))
            .map_err(backend_err)?;
        root.present().map_err(backend_err)?;
    }
    Ok(svg)
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
        // 3 bars (mesh lines are <line>/<polyline>, not filled rects).
        let bars = svg.matches("fill=\"#2563EB\"").count();
        assert_eq!(bars, 3, "{svg}");
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
        assert_eq!(svg.matches("fill=\"#2563EB\"").count(), 2);
    }

    #[test]
    fn labels_are_escaped_in_svg() {
        let svg = bar_chart(
            &series(&[("</svg><script>alert(1)</script>", 5.0)]),
            400,
            200,
        )
        .unwrap();
        assert!(!svg.contains("<script>"), "{svg}");
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
