//! The distribution of NPS answers 0..10, coloured by what each answer counts as.

use crate::axis::vertical_chart;
use crate::format::ValueUnit;
use crate::svg;
use crate::{ChartError, ChartFrame};

/// Input of [`nps_histogram`].
#[derive(Debug, Clone, PartialEq)]
pub struct NpsHistogram {
    pub frame: ChartFrame,
    /// `counts[s]` = number of answers with score `s`, 0..=10.
    pub counts: [u64; 11],
    /// Names of the three groups in the reader's language: detractors (0-6), passives
    /// (7-8), promoters (9-10).
    pub group_names: [String; 3],
    /// Value axis title, e.g. "Answers".
    pub y_label: String,
}

/// Group colours: red, grey, green, each at least 3:1 on both themes (tested).
const GROUP_COLOURS: [&str; 3] = ["#dc2626", "#6b7280", "#059669"];

/// Which group score `s` belongs to: 0 detractor, 1 passive, 2 promoter.
fn group(score: usize) -> usize {
    match score {
        0..=6 => 0,
        7..=8 => 1,
        _ => 2,
    }
}

/// The net promoter score of `counts`: % promoters - % detractors, -100..100.
pub(crate) fn nps(counts: &[u64; 11]) -> Option<f64> {
    // Sums in f64: eleven u64 counts can overflow a u64 sum.
    let total: f64 = counts.iter().map(|c| *c as f64).sum();
    if total == 0.0 {
        return None;
    }
    let share = |g: usize| {
        counts
            .iter()
            .enumerate()
            .filter(|(s, _)| group(*s) == g)
            .map(|(_, c)| *c as f64)
            .sum::<f64>()
            / total
    };
    Some((share(2) - share(0)) * 100.0)
}

/// Eleven bars (scores 0 to 10) in three series by group, a legend with each group's share,
/// and the NPS in the title. No answers at all is [`ChartError::Empty`].
pub fn nps_histogram(input: &NpsHistogram) -> Result<String, ChartError> {
    let total: f64 = input.counts.iter().map(|c| *c as f64).sum();
    let Some(score) = nps(&input.counts) else {
        return Err(ChartError::Empty);
    };
    let fmt = &input.frame.format;
    let group_total = |g: usize| -> f64 {
        (0..=10)
            .filter(|s| group(*s) == g)
            .map(|s| input.counts[s] as f64)
            .sum()
    };
    let entries: Vec<(String, &str)> = (0..3)
        .map(|g| {
            let n = group_total(g);
            (
                format!(
                    "{} {} ({})",
                    input.group_names[g],
                    fmt.value(n, ValueUnit::Count),
                    fmt.value(n / total, ValueUnit::Percent)
                ),
                GROUP_COLOURS[g],
            )
        })
        .collect();
    let scores: Vec<String> = (0..=10).map(|s| s.to_string()).collect();
    let max = input.counts.iter().copied().max().unwrap_or(0) as f64;
    let (mut body, plot) = vertical_chart(
        &input.frame,
        &entries,
        (0.0, max),
        ValueUnit::Count,
        &input.y_label,
        &scores,
    )?;
    for (g, (name, colour)) in input.group_names.iter().zip(GROUP_COLOURS).enumerate() {
        svg::open_series(&mut body, g, name);
        for s in (0..=10).filter(|s| group(*s) == g) {
            let c = input.counts[s] as f64;
            let (start, band) = plot.band(s, 11);
            let bar_w = band * 0.75;
            let (y0, y1) = (plot.value(0.0), plot.value(c));
            let tip = format!(
                "{s} · {}: {} ({})",
                input.y_label,
                fmt.value(c, ValueUnit::Count),
                fmt.value(c / total, ValueUnit::Percent)
            );
            svg::rect_mark(
                &mut body,
                (start + (band - bar_w) / 2.0, y1, bar_w, y0 - y1),
                colour,
                &s.to_string(),
                c,
                &tip,
            );
        }
        body.push_str("</g>\n");
    }
    let title = format!(
        "{}: NPS {} from {} answers",
        input.frame.title,
        fmt.fixed(score, 0),
        fmt.value(total, ValueUnit::Count)
    );
    Ok(svg::document(
        "histogram",
        (input.frame.width, input.frame.height),
        &title,
        3,
        &body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;

    fn chart(counts: [u64; 11]) -> NpsHistogram {
        NpsHistogram {
            frame: frame(640, 300),
            counts,
            group_names: ["Detractors".into(), "Passives".into(), "Promoters".into()],
            y_label: "Answers".into(),
        }
    }

    #[test]
    fn three_groups_eleven_bars_and_the_score() {
        // 10 answers: 2 detractors (3, 6), 3 passives (7, 8, 8), 5 promoters (9, 9, 10, 10, 10).
        // NPS = 50% - 20% = 30.
        let counts = [0, 0, 0, 1, 0, 0, 1, 1, 2, 2, 3];
        let svg = nps_histogram(&chart(counts)).unwrap();
        let doc = parse(&svg);
        assert_eq!(series_count(&doc), 3);
        assert_eq!(marks_in_series(&doc, 0), 7);
        assert_eq!(marks_in_series(&doc, 1), 2);
        assert_eq!(marks_in_series(&doc, 2), 2);
        assert!(root_attr(&doc, "aria-label").contains("NPS 30 from 10 answers"));
        assert_eq!(
            texts_with_class(&doc, "legend-label"),
            [
                "Detractors 2 (20.0%)",
                "Passives 3 (30.0%)",
                "Promoters 5 (50.0%)"
            ]
        );
        assert!(titles(&doc).contains(&"10 · Answers: 3 (30.0%)".into()));
        assert_eq!(texts_with_class(&doc, "category-label").len(), 11);
    }

    #[test]
    fn nps_matches_hand_computation() {
        assert_eq!(nps(&[0; 11]), None);
        assert_eq!(nps(&[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), Some(-100.0));
        assert_eq!(nps(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]), Some(100.0));
        assert_eq!(nps(&[0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0]), Some(0.0));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        // Counts are unsigned integers, so NaN and negatives cannot reach this chart.
        assert_eq!(nps_histogram(&chart([0; 11])), Err(ChartError::Empty));
        let mut one = [0; 11];
        one[9] = 1;
        let doc = parse_ok(nps_histogram(&chart(one)));
        assert_eq!(marks_in_series(&doc, 2), 2);
        let huge = parse_ok(nps_histogram(&chart([u64::MAX / 16; 11])));
        assert_eq!(series_count(&huge), 3);
        // A very long group name is cut in the legend and whole in its title.
        let mut long = chart(one);
        long.group_names[2] = "Promoters who would recommend us to a colleague ".repeat(3);
        let doc = parse_ok(nps_histogram(&long));
        assert!(texts_with_class(&doc, "legend-label")[2].ends_with('…'));
        assert!(titles(&doc)
            .iter()
            .any(|t| t.starts_with(&long.group_names[2])));
        let mut c = chart(one);
        c.group_names[0] = "<img src=x onerror=alert(1)>".into();
        c.y_label = "</svg><script>alert(1)</script>".into();
        assert_no_markup_injection(&nps_histogram(&c).unwrap());
    }

    #[test]
    fn group_colours_read_on_both_themes() {
        for c in GROUP_COLOURS {
            assert!(svg::contrast(c, "#ffffff") >= 3.0, "{c}");
            assert!(svg::contrast(c, "#1b2027") >= 3.0, "{c}");
        }
    }
}
