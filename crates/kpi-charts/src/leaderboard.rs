//! Named values as horizontal bars, in the given order: the salesperson leaderboard.

use crate::axis::{nice_range, tick_label_width, value_axis, zero_line, Margins};
use crate::format::ValueUnit;
use crate::svg::{self, series_colour, text_width, truncate};
use crate::{ChartError, ChartFrame};

/// One bar: a name and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct BarItem {
    pub label: String,
    pub value: f64,
}

/// Input of [`horizontal_bar_chart`]: salespeople by revenue, customers, usage or online
/// share (one measure per chart).
#[derive(Debug, Clone, PartialEq)]
pub struct Leaderboard {
    pub frame: ChartFrame,
    /// Drawn top to bottom in this order (sort before calling).
    pub items: Vec<BarItem>,
    pub unit: ValueUnit,
    /// Value axis title, e.g. "Revenue"; the unit is appended.
    pub value_label: String,
}

/// One horizontal bar per item, top to bottom as given, with names on the left (cut with `…`
/// beyond 30% of the width, full name in the tooltip) and the value at the end of each bar.
/// Negative values run left of zero. Give it about 26 px of height per item plus 60.
pub fn horizontal_bar_chart(input: &Leaderboard) -> Result<String, ChartError> {
    let items = &input.items;
    if items.is_empty() {
        return Err(ChartError::Empty);
    }
    if let Some(item) = items.iter().find(|i| !i.value.is_finite()) {
        return Err(ChartError::NotFinite {
            label: item.label.clone(),
        });
    }
    let (w, h) = (input.frame.width, input.frame.height);
    if w < 200 || h < 80 {
        return Err(ChartError::TooSmall);
    }
    let fmt = &input.frame.format;
    const SIZE: f64 = 12.0;
    let min = items.iter().map(|i| i.value).fold(0.0, f64::min);
    let max = items.iter().map(|i| i.value).fold(0.0, f64::max);
    // About one tick per 90 px of a plot that takes ~60% of the width.
    let ticks = ((w as f64 * 0.6) / 90.0).clamp(2.0, 8.0) as usize;
    let range = nice_range(min, max, ticks)?;
    let label_w = items
        .iter()
        .map(|i| text_width(&i.label, SIZE))
        .fold(0.0, f64::max)
        .min(w as f64 * 0.3);
    let value_w = items
        .iter()
        .map(|i| text_width(&fmt.value(i.value, input.unit), SIZE))
        .fold(0.0, f64::max);
    // The last tick label is centred on the right edge and needs half its width.
    let right = (value_w + 12.0).max(tick_label_width(&range, input.unit, fmt) / 2.0 + 8.0);
    let margins = Margins {
        top: 8,
        right: right.min(w as f64 / 3.0).round() as u32,
        bottom: 46,
        left: (label_w + 20.0).round() as u32,
    };
    let desc = format!("{}{}", input.value_label, fmt.unit_suffix(input.unit));
    let (axis, plot) = value_axis((w, h), margins, range, input.unit, fmt, &desc, true)?;
    let mut body = axis;
    body.push_str(&zero_line(&plot));
    let count = items.len();
    let (_, band) = plot.band(0, count);
    let size = SIZE.min(band * 0.8);
    let thickness = (band * 0.65).min(28.0);
    let mut labels = String::from("<g class=\"category-labels\">\n");
    let mut values = String::from("<g class=\"value-labels\">\n");
    svg::open_series(&mut body, 0, &input.value_label);
    let zero = plot.value(0.0);
    for (i, item) in items.iter().enumerate() {
        let (start, band) = plot.band(i, count);
        let mid = start + band / 2.0;
        let end = plot.value(item.value);
        let shown = fmt.value(item.value, input.unit);
        let tip = format!("{}: {shown}", item.label);
        svg::rect_mark(
            &mut body,
            (
                zero.min(end),
                mid - thickness / 2.0,
                (end - zero).abs(),
                thickness,
            ),
            series_colour(0),
            &item.label,
            item.value,
            &tip,
        );
        let cut = truncate(&item.label, size, label_w);
        svg::text(
            &mut labels,
            "category-label",
            plot.left - 8.0,
            mid,
            size,
            "end",
            cut.as_deref().unwrap_or(&item.label),
            Some(&item.label),
        );
        if size >= 7.0 {
            let (x, anchor) = if item.value < 0.0 {
                (end - 5.0, "end")
            } else {
                (end + 5.0, "start")
            };
            svg::text(
                &mut values,
                "value-label",
                x,
                mid,
                size,
                anchor,
                &shown,
                None,
            );
        }
    }
    body.push_str("</g>\n");
    labels.push_str("</g>\n");
    values.push_str("</g>\n");
    body.push_str(&labels);
    body.push_str(&values);
    let top: Vec<String> = items
        .iter()
        .take(3)
        .map(|i| format!("{} {}", i.label, fmt.value(i.value, input.unit)))
        .collect();
    let title = format!(
        "{}: {} entries{}{}",
        input.frame.title,
        count,
        if count > 3 { ", first: " } else { ": " },
        top.join(", ")
    );
    Ok(svg::document("leaderboard", (w, h), &title, 1, &body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;

    fn chart(items: &[(&str, f64)]) -> Leaderboard {
        Leaderboard {
            frame: frame(640, 260),
            items: items
                .iter()
                .map(|(label, value)| BarItem {
                    label: label.to_string(),
                    value: *value,
                })
                .collect(),
            unit: ValueUnit::Currency,
            value_label: "Revenue".into(),
        }
    }

    fn widths(doc: &roxmltree::Document) -> Vec<f64> {
        elements_with_class(doc, "mark")
            .iter()
            .map(|n| n.attribute("width").unwrap().parse().unwrap())
            .collect()
    }

    #[test]
    fn bars_in_given_order_proportional_to_values() {
        let svg = horizontal_bar_chart(&chart(&[
            ("Anna Müller", 120000.0),
            ("Luca Bianchi", 90000.0),
            ("Zoe", 30000.0),
        ]))
        .unwrap();
        let doc = parse(&svg);
        assert_eq!(series_count(&doc), 1);
        assert_eq!(marks_in_series(&doc, 0), 3);
        assert_eq!(
            texts_with_class(&doc, "category-label"),
            ["Anna Müller", "Luca Bianchi", "Zoe"]
        );
        assert_eq!(
            texts_with_class(&doc, "value-label"),
            ["€120,000.00", "€90,000.00", "€30,000.00"]
        );
        let w = widths(&doc);
        assert!((w[1] / w[0] - 0.75).abs() < 0.005, "{w:?}");
        assert!((w[2] / w[0] - 0.25).abs() < 0.005, "{w:?}");
        assert!(titles(&doc).contains(&"Luca Bianchi: €90,000.00".into()));
        assert!(svg.contains("Revenue (€)"));
    }

    #[test]
    fn long_names_are_cut_on_screen_and_whole_in_the_tooltip() {
        let long = "Maria Concetta Bartolomea Giuseppina Rossi-Featherstonehaugh";
        let doc = parse_ok(horizontal_bar_chart(&chart(&[(long, 1.0), ("Bo", 2.0)])));
        let shown = texts_with_class(&doc, "category-label");
        assert!(
            shown[0].ends_with('…') && shown[0].len() < long.len(),
            "{shown:?}"
        );
        assert!(long.starts_with(shown[0].trim_end_matches('…')));
        assert!(titles(&doc).contains(&format!("{long}: €1.00")));
        assert!(titles(&doc).contains(&long.to_string()));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        assert_eq!(horizontal_bar_chart(&chart(&[])), Err(ChartError::Empty));
        assert!(matches!(
            horizontal_bar_chart(&chart(&[("a", f64::NAN)])),
            Err(ChartError::NotFinite { .. })
        ));
        let one = parse_ok(horizontal_bar_chart(&chart(&[("a", 5.0)])));
        assert_eq!(marks_in_series(&one, 0), 1);
        let zeros = parse_ok(horizontal_bar_chart(&chart(&[("a", 0.0), ("b", 0.0)])));
        assert_eq!(widths(&zeros), [0.0, 0.0]);
        // A negative bar ends left of zero, where the positive one starts.
        let doc = parse_ok(horizontal_bar_chart(&chart(&[("a", -50.0), ("b", 100.0)])));
        let marks = elements_with_class(&doc, "mark");
        let x = |i: usize| -> f64 { marks[i].attribute("x").unwrap().parse().unwrap() };
        let w = widths(&doc);
        assert!((x(0) + w[0] - x(1)).abs() <= 0.2);
        assert!((w[1] / w[0] - 2.0).abs() < 0.01);
        // 200 salespeople in 260 px: rows too thin for value labels, every bar still there.
        let many: Vec<(String, f64)> = (0..200).map(|i| (format!("P{i}"), i as f64)).collect();
        let refs: Vec<(&str, f64)> = many.iter().map(|(l, v)| (l.as_str(), *v)).collect();
        assert_eq!(
            marks_in_series(&parse_ok(horizontal_bar_chart(&chart(&refs))), 0),
            200
        );
    }

    #[test]
    fn hostile_names_are_escaped_text() {
        let svg = horizontal_bar_chart(&chart(&[
            ("<img src=x onerror=alert(1)>", 1.0),
            ("</svg><script>alert(1)</script>", 2.0),
        ]))
        .unwrap();
        assert_no_markup_injection(&svg);
    }
}
