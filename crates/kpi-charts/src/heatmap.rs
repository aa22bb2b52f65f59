//! A matrix of values as coloured cells: cohort retention by months since first order.

use crate::format::ValueUnit;
use crate::svg::{self, esc, n, text_width, truncate};
use crate::{ChartError, ChartFrame};
use std::fmt::Write as _;

/// One row of the matrix: a cohort and its values by column.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapRow {
    /// `2024-01`, or `2024-01 (120)` with the cohort's size.
    pub label: String,
    /// One value per column from the first; shorter rows are missing at the end (the
    /// triangle of a cohort table), `None` is missing.
    pub values: Vec<Option<f64>>,
}

/// Input of [`heatmap`].
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub frame: ChartFrame,
    /// Column labels: `0`, `1`, `2`... months since first order.
    pub columns: Vec<String>,
    pub rows: Vec<HeatmapRow>,
    /// Title over the row labels, e.g. "Cohort".
    pub row_title: String,
    /// Title over the column labels, e.g. "Months since first order".
    pub column_title: String,
    /// [`ValueUnit::Percent`] maps 0..1 onto the colour scale (retention); other units use
    /// the data's own range.
    pub unit: ValueUnit,
}

/// Colour scale stops, light to dark blue: light cells read on the dark theme and dark ones
/// on the light theme; the text in a cell is black or white after the cell's luminance.
const STOPS: [(f64, f64, f64); 3] = [
    (219.0, 234.0, 254.0),
    (59.0, 130.0, 246.0),
    (30.0, 58.0, 138.0),
];

/// The colour of `t` in 0..1 (clamped).
fn scale(t: f64) -> String {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (a, b, u) = if t < 0.5 {
        (STOPS[0], STOPS[1], t * 2.0)
    } else {
        (STOPS[1], STOPS[2], (t - 0.5) * 2.0)
    };
    let mix = |x: f64, y: f64| (x + (y - x) * u).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

/// Cell text colour with the better contrast against `fill`.
fn ink(fill: &str) -> &'static str {
    if svg::contrast(fill, "#111827") >= svg::contrast(fill, "#ffffff") {
        "#111827"
    } else {
        "#ffffff"
    }
}

/// Coloured cells with their values written in them when they fit, row and column labels,
/// and a legend of the colour scale. Every cell has a tooltip "row · column: value".
pub fn heatmap(input: &Heatmap) -> Result<String, ChartError> {
    let cols = input.columns.len();
    if input.rows.is_empty() || cols == 0 {
        return Err(ChartError::Empty);
    }
    for r in &input.rows {
        if r.values.len() > cols {
            return Err(ChartError::Mismatch(format!(
                "row {} has {} values for {cols} columns",
                r.label,
                r.values.len()
            )));
        }
        if let Some(j) = r
            .values
            .iter()
            .position(|v| v.is_some_and(|v| !v.is_finite()))
        {
            return Err(ChartError::NotFinite {
                label: format!("{} {}", r.label, input.columns[j]),
            });
        }
    }
    let known = || {
        input
            .rows
            .iter()
            .flat_map(|r| r.values.iter().flatten().copied())
    };
    if known().next().is_none() {
        return Err(ChartError::Empty);
    }
    let (lo, hi) = if input.unit == ValueUnit::Percent {
        (0.0, 1.0)
    } else {
        known().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)))
    };
    let t_of = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };

    let (w, h) = (input.frame.width as f64, input.frame.height as f64);
    let rows = input.rows.len();
    const SIZE: f64 = 12.0;
    const PAD: f64 = 10.0;
    let label_w = input
        .rows
        .iter()
        .map(|r| text_width(&r.label, SIZE))
        .chain([text_width(&input.row_title, SIZE)])
        .fold(0.0, f64::max)
        .min(w / 4.0);
    let left = PAD + label_w + 8.0;
    let top = 48.0;
    let legend_h = 34.0;
    let grid_w = w - left - PAD;
    let grid_h = h - top - legend_h - PAD;
    if grid_w < 40.0 || grid_h < 20.0 {
        return Err(ChartError::TooSmall);
    }
    let (cw, ch) = (grid_w / cols as f64, grid_h / rows as f64);
    let fmt = &input.frame.format;
    let cell_text = |v: f64| match input.unit {
        ValueUnit::Percent => format!("{}%", fmt.fixed(v * 100.0, 0)),
        unit => fmt.tick(v, unit),
    };
    let size = SIZE.min(ch * 0.7).min(cw * 0.45);

    let mut body = String::new();
    // Titles: the column title centred over the grid, the row title over the row labels.
    let cut = truncate(&input.column_title, SIZE, grid_w);
    svg::text(
        &mut body,
        "axis-title",
        left + grid_w / 2.0,
        12.0,
        SIZE,
        "middle",
        cut.as_deref().unwrap_or(&input.column_title),
        cut.as_ref().map(|_| input.column_title.as_str()),
    );
    let cut = truncate(&input.row_title, SIZE, label_w);
    svg::text(
        &mut body,
        "axis-title",
        left - 8.0,
        top - 12.0,
        SIZE,
        "end",
        cut.as_deref().unwrap_or(&input.row_title),
        cut.as_ref().map(|_| input.row_title.as_str()),
    );
    // Column labels, thinned when they would collide.
    body.push_str("<g class=\"column-labels\">\n");
    let widest = input
        .columns
        .iter()
        .map(|c| text_width(c, SIZE))
        .fold(0.0, f64::max);
    let step = ((widest + 6.0) / cw).ceil().max(1.0) as usize;
    for (j, c) in input
        .columns
        .iter()
        .enumerate()
        .filter(|(j, _)| j % step == 0)
    {
        let cut = truncate(c, SIZE, cw * step as f64 - 4.0);
        svg::text(
            &mut body,
            "category-label",
            left + cw * (j as f64 + 0.5),
            top - 12.0,
            SIZE,
            "middle",
            cut.as_deref().unwrap_or(c),
            cut.as_ref().map(|_| c.as_str()),
        );
    }
    body.push_str("</g>\n");
    for (i, r) in input.rows.iter().enumerate() {
        let y = top + ch * i as f64;
        let cut = truncate(&r.label, size.max(9.0), label_w);
        svg::text(
            &mut body,
            "row-label",
            left - 8.0,
            y + ch / 2.0,
            size.max(9.0),
            "end",
            cut.as_deref().unwrap_or(&r.label),
            cut.as_ref().map(|_| r.label.as_str()),
        );
        svg::open_series(&mut body, i, &r.label);
        for (j, col) in input.columns.iter().enumerate() {
            let x = left + cw * j as f64;
            let value = r.values.get(j).copied().flatten();
            let cell = (x + 0.5, y + 0.5, (cw - 1.0).max(0.0), (ch - 1.0).max(0.0));
            match value {
                Some(v) => {
                    let fill = scale(t_of(v));
                    let tip = format!("{} · {col}: {}", r.label, fmt.value(v, input.unit));
                    svg::rect_mark(&mut body, cell, &fill, col, v, &tip);
                    let shown = cell_text(v);
                    if size >= 8.0 && text_width(&shown, size) * 0.9 <= cw - 4.0 {
                        // A fill attribute, not a style: the page's CSP forbids inline styles,
                        // and the page's CSS leaves cell text alone so this contrast wins.
                        let _ = writeln!(
                            body,
                            r#"<text class="cell-value" x="{}" y="{}" font-size="{}" font-family="{}" text-anchor="middle" dominant-baseline="central" fill="{}" pointer-events="none">{}</text>"#,
                            n(x + cw / 2.0),
                            n(y + ch / 2.0),
                            n(size),
                            svg::FONT,
                            ink(&fill),
                            esc(&shown)
                        );
                    }
                }
                None => {
                    let _ = writeln!(
                        body,
                        r#"<rect class="mark missing" x="{}" y="{}" width="{}" height="{}" fill="none" stroke="currentColor" stroke-opacity="0.15" data-label="{}"><title>{} · {}: —</title></rect>"#,
                        n(cell.0),
                        n(cell.1),
                        n(cell.2),
                        n(cell.3),
                        esc(col),
                        esc(&r.label),
                        esc(col)
                    );
                }
            }
        }
        body.push_str("</g>\n");
    }
    // Legend: five swatches across the scale with their values.
    body.push_str("<g class=\"legend color-scale\">\n");
    let ly = h - legend_h + 8.0;
    let sw = 44.0;
    for k in 0..5 {
        let t = k as f64 / 4.0;
        let v = lo + (hi - lo) * t;
        let x = left + k as f64 * (sw + 4.0);
        let _ = writeln!(
            body,
            r#"<rect class="swatch" x="{}" y="{}" width="{sw}" height="10" fill="{}"/>"#,
            n(x),
            n(ly),
            scale(t)
        );
        svg::text(
            &mut body,
            "legend-label",
            x + sw / 2.0,
            ly + 20.0,
            11.0,
            "middle",
            &fmt.tick(v, input.unit),
            None,
        );
    }
    body.push_str("</g>\n");
    let title = format!(
        "{}: {} rows ({}) by {} columns, values {} to {}",
        input.frame.title,
        rows,
        crate::line::span_text(
            &input
                .rows
                .iter()
                .map(|r| r.label.clone())
                .collect::<Vec<_>>()
        )
        .trim_start_matches(", "),
        cols,
        fmt.value(known().fold(f64::MAX, f64::min), input.unit),
        fmt.value(known().fold(f64::MIN, f64::max), input.unit),
    );
    Ok(svg::document(
        "heatmap",
        (input.frame.width, input.frame.height),
        &title,
        rows,
        &body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;

    fn chart(columns: usize, rows: &[(&str, &[Option<f64>])]) -> Heatmap {
        Heatmap {
            frame: frame(640, 360),
            columns: (0..columns).map(|c| c.to_string()).collect(),
            rows: rows
                .iter()
                .map(|(label, v)| HeatmapRow {
                    label: label.to_string(),
                    values: v.to_vec(),
                })
                .collect(),
            row_title: "Cohort".into(),
            column_title: "Months since first order".into(),
            unit: ValueUnit::Percent,
        }
    }

    #[test]
    fn one_cell_per_column_for_each_row_with_values_and_tooltips() {
        let svg = heatmap(&chart(
            3,
            &[
                ("2024-01", &[Some(1.0), Some(0.42), Some(0.304)]),
                ("2024-02", &[Some(1.0), Some(0.5)]),
                ("2024-03", &[Some(1.0)]),
            ],
        ))
        .unwrap();
        let doc = parse(&svg);
        assert_eq!(series_count(&doc), 3);
        // Missing cells are marks too (outlined), so every row has a cell per column.
        for i in 0..3 {
            assert_eq!(marks_in_series(&doc, i), 3);
        }
        assert_eq!(elements_with_class(&doc, "missing").len(), 3);
        assert_eq!(
            texts_with_class(&doc, "cell-value"),
            ["100%", "42%", "30%", "100%", "50%", "100%"]
        );
        assert!(titles(&doc).contains(&"2024-01 · 2: 30.4%".into()));
        assert!(titles(&doc).contains(&"2024-02 · 2: —".into()));
        assert_eq!(
            texts_with_class(&doc, "row-label"),
            ["2024-01", "2024-02", "2024-03"]
        );
        assert_eq!(
            texts_with_class(&doc, "legend-label"),
            ["0%", "25%", "50%", "75%", "100%"]
        );
    }

    #[test]
    fn colour_scale_runs_light_to_dark_with_readable_text() {
        assert_eq!(scale(0.0), "#dbeafe");
        assert_eq!(scale(0.5), "#3b82f6");
        assert_eq!(scale(1.0), "#1e3a8a");
        assert_eq!(scale(f64::NAN), "#dbeafe");
        for k in 0..=20 {
            let fill = scale(k as f64 / 20.0);
            let best = svg::contrast(&fill, ink(&fill));
            // WCAG AA for large-ish text (3:1) at every point of the scale.
            assert!(best >= 3.0, "{fill}: {best}");
        }
    }

    #[test]
    fn edge_cases_do_not_panic() {
        assert_eq!(heatmap(&chart(0, &[])), Err(ChartError::Empty));
        assert_eq!(
            heatmap(&chart(2, &[("a", &[None])])),
            Err(ChartError::Empty)
        );
        assert!(matches!(
            heatmap(&chart(1, &[("a", &[Some(f64::NAN)])])),
            Err(ChartError::NotFinite { .. })
        ));
        assert!(matches!(
            heatmap(&chart(1, &[("a", &[Some(1.0), Some(1.0)])])),
            Err(ChartError::Mismatch(_))
        ));
        let one = parse_ok(heatmap(&chart(1, &[("a", &[Some(0.3)])])));
        assert_eq!(marks_in_series(&one, 0), 1);
        // Negative and all-zero values draw (clamped to the ends of the scale).
        let mut neg = chart(2, &[("a", &[Some(-5.0), Some(10.0)])]);
        neg.unit = ValueUnit::Number;
        let doc = parse_ok(heatmap(&neg));
        assert_eq!(
            texts_with_class(&doc, "legend-label").first().unwrap(),
            "-5"
        );
        assert!(heatmap(&chart(2, &[("a", &[Some(0.0), Some(0.0)])])).is_ok());
        // 36 cohorts by 36 months: too small for values in cells, still every cell.
        let values = vec![Some(0.5); 36];
        let rows: Vec<(String, Vec<Option<f64>>)> =
            (0..36).map(|i| (format!("c{i}"), values.clone())).collect();
        let refs: Vec<(&str, &[Option<f64>])> = rows
            .iter()
            .map(|(l, v)| (l.as_str(), v.as_slice()))
            .collect();
        let doc = parse_ok(heatmap(&chart(36, &refs)));
        assert_eq!(elements_with_class(&doc, "mark").len(), 36 * 36);
        let long = "Cohort of customers acquired through the spring campaign".to_string();
        let doc = parse_ok(heatmap(&chart(1, &[(&long, &[Some(0.5)])])));
        assert!(texts_with_class(&doc, "row-label")[0].ends_with('…'));
        assert!(titles(&doc).contains(&long));
    }

    #[test]
    fn hostile_names_are_escaped_text() {
        let mut c = chart(1, &[("<img src=x onerror=alert(1)>", &[Some(0.5)])]);
        c.columns = vec!["</svg><script>alert(1)</script>".into()];
        assert_no_markup_injection(&heatmap(&c).unwrap());
    }
}
