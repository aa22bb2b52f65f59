//! Ordered stages with counts and the conversion from each stage to the next.

use crate::format::ValueUnit;
use crate::svg::{self, series_colour, text_width, truncate};
use crate::{ChartError, ChartFrame};

/// One stage of a funnel: "Sessions", 12 000.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelStage {
    pub name: String,
    pub count: f64,
}

/// Input of [`funnel_chart`]: sessions -> add to cart -> checkout -> order, or quote requested
/// -> accepted. Stages are drawn in the given order.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelChart {
    pub frame: ChartFrame,
    pub stages: Vec<FunnelStage>,
    /// Heading over the counts, e.g. "Count" / "Numero"; empty for none.
    pub count_heading: String,
    /// Heading over the step conversions, e.g. "Step conversion" / "Conversione"; empty for
    /// none.
    pub conversion_heading: String,
}

/// One bar per stage, its length relative to the largest stage, with the count at its end
/// and, from the second stage on, the step conversion (this stage / the previous one) in a
/// column on the right. Tooltips also give the share of the first stage. A previous stage of
/// zero gives "—" rather than a division by zero.
pub fn funnel_chart(input: &FunnelChart) -> Result<String, ChartError> {
    let stages = &input.stages;
    if stages.is_empty() {
        return Err(ChartError::Empty);
    }
    for s in stages {
        if !s.count.is_finite() {
            return Err(ChartError::NotFinite {
                label: s.name.clone(),
            });
        }
        if s.count < 0.0 {
            return Err(ChartError::Negative {
                label: s.name.clone(),
            });
        }
    }
    let (w, h) = (input.frame.width as f64, input.frame.height as f64);
    if w < 200.0 || h < 40.0 * stages.len().min(2) as f64 {
        return Err(ChartError::TooSmall);
    }
    let fmt = &input.frame.format;
    const SIZE: f64 = 13.0;
    const PAD: f64 = 12.0;
    // Left: stage names, as wide as the widest (up to a third of the chart).
    let label_w = stages
        .iter()
        .map(|s| text_width(&s.name, SIZE))
        .fold(0.0, f64::max)
        .min(w / 3.0);
    // Right: "→ 100.0%" conversion column.
    let conv_w = text_width("→ 100.0%", SIZE) + PAD;
    let count_w = stages
        .iter()
        .map(|s| text_width(&fmt.value(s.count, ValueUnit::Count), SIZE))
        .fold(0.0, f64::max)
        + 8.0;
    let bar_left = PAD + label_w + PAD;
    let bar_max = (w - bar_left - count_w - conv_w - PAD).max(10.0);
    let top = 24.0; // room for the column headings
    let row = ((h - top - PAD) / stages.len() as f64).max(1.0);
    let bar_h = (row * 0.62).min(40.0);
    let size = SIZE.min(row * 0.8);
    let max = stages.iter().map(|s| s.count).fold(0.0, f64::max);
    let first = stages[0].count;
    let colour = series_colour(0);

    let mut body = String::new();
    for (heading, x, anchor) in [
        (&input.count_heading, bar_left, "start"),
        (&input.conversion_heading, w - PAD, "end"),
    ] {
        if !heading.is_empty() {
            let cut = truncate(heading, 12.0, w / 3.0);
            let shown = cut.as_deref().unwrap_or(heading);
            svg::text(
                &mut body,
                "heading",
                x,
                10.0,
                12.0,
                anchor,
                shown,
                cut.as_ref().map(|_| heading.as_str()),
            );
        }
    }
    svg::open_series(&mut body, 0, "stages");
    let mut conversions = String::from("<g class=\"conversions\">\n");
    let mut labels = String::from("<g class=\"category-labels\">\n");
    for (i, s) in stages.iter().enumerate() {
        let mid = top + row * (i as f64 + 0.5);
        let len = if max > 0.0 {
            s.count / max * bar_max
        } else {
            0.0
        };
        let shown = fmt.value(s.count, ValueUnit::Count);
        let step = (i > 0).then(|| ratio(s.count, stages[i - 1].count));
        let mut tip = format!("{}: {shown}", s.name);
        if let Some(step) = step {
            tip.push_str(&format!(
                ", {} of {}",
                step.map_or("—".into(), |r| fmt.value(r, ValueUnit::Percent)),
                stages[i - 1].name
            ));
            if i > 1 {
                tip.push_str(&format!(
                    ", {} of {}",
                    ratio(s.count, first)
                        .map_or("—".into(), |r| fmt.value(r, ValueUnit::Percent)),
                    stages[0].name
                ));
            }
        }
        svg::rect_mark(
            &mut body,
            (bar_left, mid - bar_h / 2.0, len, bar_h),
            colour,
            &s.name,
            s.count,
            &tip,
        );
        svg::text(
            &mut body,
            "value-label",
            bar_left + len + 6.0,
            mid,
            size,
            "start",
            &shown,
            None,
        );
        let cut = truncate(&s.name, size, label_w);
        svg::text(
            &mut labels,
            "category-label",
            bar_left - PAD,
            mid,
            size,
            "end",
            cut.as_deref().unwrap_or(&s.name),
            cut.as_ref().map(|_| s.name.as_str()),
        );
        if let Some(step) = step {
            let text = format!(
                "→ {}",
                step.map_or("—".into(), |r| fmt.value(r, ValueUnit::Percent))
            );
            svg::text(
                &mut conversions,
                "conversion",
                w - PAD,
                mid,
                size,
                "end",
                &text,
                None,
            );
        }
    }
    body.push_str("</g>\n");
    body.push_str(&labels);
    body.push_str("</g>\n");
    body.push_str(&conversions);
    body.push_str("</g>\n");
    let names: Vec<String> = stages
        .iter()
        .map(|s| format!("{} {}", s.name, fmt.value(s.count, ValueUnit::Count)))
        .collect();
    let title = format!("{}: {}", input.frame.title, names.join(" → "));
    Ok(svg::document(
        "funnel",
        (input.frame.width, input.frame.height),
        &title,
        1,
        &body,
    ))
}

/// `part / whole`, or `None` when the whole is zero.
fn ratio(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part / whole)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;

    fn chart(stages: &[(&str, f64)]) -> FunnelChart {
        FunnelChart {
            frame: frame(640, 260),
            stages: stages
                .iter()
                .map(|(name, count)| FunnelStage {
                    name: name.to_string(),
                    count: *count,
                })
                .collect(),
            count_heading: "Count".into(),
            conversion_heading: "Step conversion".into(),
        }
    }

    #[test]
    fn counts_and_step_conversions() {
        let svg = funnel_chart(&chart(&[
            ("Sessions", 12000.0),
            ("Add to cart", 1800.0),
            ("Checkout", 900.0),
            ("Order", 720.0),
        ]))
        .unwrap();
        let doc = parse(&svg);
        assert_eq!(series_count(&doc), 1);
        assert_eq!(marks_in_series(&doc, 0), 4);
        assert_eq!(
            texts_with_class(&doc, "value-label"),
            ["12,000", "1,800", "900", "720"]
        );
        // 1800/12000 = 15%, 900/1800 = 50%, 720/900 = 80%.
        assert_eq!(
            texts_with_class(&doc, "conversion"),
            ["→ 15.0%", "→ 50.0%", "→ 80.0%"]
        );
        // 720/12000 = 6% of the first stage.
        assert!(titles(&doc).contains(&"Order: 720, 80.0% of Checkout, 6.0% of Sessions".into()));
        // Bar lengths are proportional to counts: 1800/12000 = 0.15.
        let widths: Vec<f64> = elements_with_class(&doc, "mark")
            .iter()
            .map(|n| n.attribute("width").unwrap().parse().unwrap())
            .collect();
        assert!((widths[1] / widths[0] - 0.15).abs() < 0.002, "{widths:?}");
    }

    #[test]
    fn edge_cases_do_not_panic() {
        assert_eq!(funnel_chart(&chart(&[])), Err(ChartError::Empty));
        assert!(matches!(
            funnel_chart(&chart(&[("a", f64::NAN)])),
            Err(ChartError::NotFinite { .. })
        ));
        assert!(matches!(
            funnel_chart(&chart(&[("a", -1.0)])),
            Err(ChartError::Negative { .. })
        ));
        let one = parse_ok(funnel_chart(&chart(&[("Quotes requested", 40.0)])));
        assert_eq!(texts_with_class(&one, "conversion").len(), 0);
        // All zero: bars of no length, conversions "—".
        let zeros = parse_ok(funnel_chart(&chart(&[("a", 0.0), ("b", 0.0)])));
        assert_eq!(texts_with_class(&zeros, "conversion"), ["→ —"]);
        // A later stage larger than an earlier one is shown as it is (data say so).
        let up = parse_ok(funnel_chart(&chart(&[("a", 10.0), ("b", 15.0)])));
        assert_eq!(texts_with_class(&up, "conversion"), ["→ 150.0%"]);
        let long = "Stage ".repeat(40);
        let doc = parse_ok(funnel_chart(&chart(&[(&long, 5.0), ("b", 1.0)])));
        assert!(texts_with_class(&doc, "category-label")[0].ends_with('…'));
        assert!(titles(&doc).contains(&long));
    }

    #[test]
    fn hostile_names_are_escaped_text() {
        let bad = "<img src=x onerror=alert(1)>";
        let svg = funnel_chart(&chart(&[(bad, 2.0), ("</svg><script>x</script>", 1.0)])).unwrap();
        assert_no_markup_injection(&svg);
        let doc = parse(&svg);
        // Wider than a third of the chart: cut on screen, whole in the title.
        assert!(texts_with_class(&doc, "category-label")[0].starts_with("<img src=x"));
        assert!(titles(&doc).contains(&bad.to_string()));
    }
}
