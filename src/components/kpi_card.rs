//! One KPI: its value, its change, its trend, and what it means one click away.

use crate::format::{kpi_value, raw_value};
use crate::i18n::{translate, Lang};
use kpi_core::report::Kpi;

/// "+12.3% vs previous" with a class saying whether that is good news for this KPI.
fn change(
    value: Option<f64>,
    before: Option<f64>,
    higher_is_better: bool,
    label: &str,
) -> Option<(String, &'static str)> {
    let (v, b) = (value?, before?);
    if b == 0.0 {
        return None;
    }
    let pct = (v - b) / b.abs() * 100.0;
    let class = if pct.abs() < 0.05 {
        "flat"
    } else if (pct > 0.0) == higher_is_better {
        "good"
    } else {
        "bad"
    };
    let arrow = if pct > 0.0 {
        "▲"
    } else if pct < 0.0 {
        "▼"
    } else {
        "■"
    };
    Some((format!("{arrow} {:+.1}% {label}", pct), class))
}

/// `text` safe inside HTML text and double-quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Characters of a shown value beyond which it is drawn smaller (`.kpi-value.long`).
const LONG_VALUE: usize = 11;

/// A KPI card, as HTML. Carries `data-kpi` (the id) and `data-value` (the unrounded value,
/// empty when it cannot be computed) for scripts and tests.
///
/// HTML rather than a component: the cards have no handlers (their help is a native
/// `<details>`), and the ~60 cards of a report built node by node through wasm-bindgen
/// calls were most of the page's work when a report arrived (a Chromium profile of the
/// 1M-row file: `insertBefore`, `setAttribute` and `createElement` 31 ms of a 79 ms task,
/// before the cards showed); the browser parses the same cards from one string at once.
///
/// - `kpi`: the KPI from the report.
/// - `lang`: the page's language.
/// - `sparkline`: the trend's SVG, once the sparklines are drawn (a frame after the numbers).
pub fn kpi_card_html(kpi: &Kpi, lang: Lang, sparkline: Option<&str>) -> String {
    let t = |text: &'static str| translate(lang, text);
    // Labels are the catalogue's own texts: looked up by their English wording.
    let label = escape(&crate::i18n::translate_owned(lang, &kpi.label));
    let value = kpi_value(kpi.value, kpi.unit);
    // A long number (revenue in the tens of millions) in a smaller size: at the full size
    // "14,353,289.38" ran past the edge of a card five to a row.
    let value_class = if value.chars().count() > LONG_VALUE {
        "kpi-value long"
    } else {
        "kpi-value"
    };
    let mut html = format!(
        r#"<article class="kpi-card" data-kpi="{}" data-value="{}" aria-label="{label}"><h3 class="kpi-label">{label}</h3><p class="{value_class}">{}</p>"#,
        escape(&kpi.id),
        raw_value(kpi.value),
        escape(&value),
    );
    for (text, class) in [
        change(
            kpi.value,
            kpi.previous_value,
            kpi.higher_is_better,
            t("vs previous"),
        ),
        change(
            kpi.value,
            kpi.last_year_value,
            kpi.higher_is_better,
            t("vs last year"),
        ),
    ]
    .into_iter()
    .flatten()
    {
        html.push_str(&format!(
            r#"<p class="kpi-change {class}">{}</p>"#,
            escape(&text)
        ));
    }
    // Before/after the online launch, where the KPI has that split (contacts per order).
    if let Some(slices) = kpi.breakdowns.get("online_launch") {
        let text = slices
            .iter()
            .map(|s| format!("{}: {}", s.key, kpi_value(s.value, kpi.unit)))
            .collect::<Vec<_>>()
            .join(" · ");
        html.push_str(&format!(
            r#"<p class="kpi-launch">Online launch: {}</p>"#,
            escape(&text)
        ));
    }
    if let Some(svg) = sparkline {
        // Our own SVG (kpi_charts), not text from a file: labels in it are escaped there.
        html.push_str(&format!(
            r#"<div class="sparkline" role="img" aria-label="{} trend over {} periods">{svg}</div>"#,
            label,
            kpi.series.len()
        ));
    }
    if !kpi.missing.is_empty() {
        html.push_str(&format!(
            r#"<p class="kpi-missing">{}{}</p>"#,
            escape(t("Needs: ")),
            escape(&kpi.missing.join("; "))
        ));
    }
    let inputs = if kpi.inputs.is_empty() {
        t("none yet").to_string()
    } else {
        kpi.inputs.join(", ")
    };
    html.push_str(&format!(
        r#"<details class="kpi-help"><summary aria-label="{label}: ?">?</summary><p>{}</p><p><strong>{}</strong><code>{}</code></p><p><strong>{}</strong>{}</p></details></article>"#,
        escape(&kpi.definition),
        escape(t("Formula: ")),
        escape(&kpi.formula),
        escape(t("Inputs: ")),
        escape(&inputs),
    ));
    html
}

/// The sparkline of `kpi`'s trend (an SVG), if it can be drawn.
pub fn sparkline(kpi: &Kpi) -> Option<String> {
    let trend: Vec<Option<f64>> = kpi.series.iter().map(|p| p.value).collect();
    kpi_charts::sparkline(&trend, 180, 34).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_core::report::Unit;

    fn kpi(label: &str) -> Kpi {
        Kpi {
            id: "revenue".into(),
            label: label.into(),
            group: "Revenue".into(),
            value: Some(2730.75),
            previous_value: Some(2000.0),
            last_year_value: None,
            higher_is_better: true,
            unit: Unit::Currency,
            definition: "Sum of completed orders' amounts".into(),
            formula: "sum(amount) where status = completed & net < gross".into(),
            inputs: vec!["orders.csv: amount".into()],
            missing: vec![],
            series: vec![],
            breakdowns: Default::default(),
        }
    }

    #[test]
    fn a_card_carries_its_value_its_change_and_its_explanation() {
        let html = kpi_card_html(&kpi("Revenue"), Lang::En, None);
        assert!(html.starts_with(r#"<article class="kpi-card" data-kpi="revenue" data-value="2730.75" aria-label="Revenue">"#));
        assert!(html.contains(r#"<p class="kpi-value">2,730.75</p>"#));
        assert!(html.contains(r#"<p class="kpi-change good">▲ +36.5% vs previous</p>"#));
        assert!(
            html.contains("<code>sum(amount) where status = completed &amp; net &lt; gross</code>")
        );
        assert!(html.contains("<strong>Inputs: </strong>orders.csv: amount"));
        assert!(!html.contains("sparkline"));
        assert!(html.ends_with("</details></article>"));
    }

    #[test]
    fn a_long_value_is_drawn_smaller() {
        let mut big = kpi("Revenue");
        big.value = Some(14_353_289.38);
        let html = kpi_card_html(&big, Lang::En, None);
        assert!(html.contains(r#"<p class="kpi-value long">14,353,289.38</p>"#));
        // Twelve characters are too many for the full size; ten are not.
        big.value = Some(1_234_567.5);
        let html = kpi_card_html(&big, Lang::En, None);
        assert!(html.contains(r#"<p class="kpi-value long">1,234,567.50</p>"#));
        big.value = Some(234_567.5);
        let html = kpi_card_html(&big, Lang::En, None);
        assert!(html.contains(r#"<p class="kpi-value">234,567.50</p>"#));
    }

    #[test]
    fn text_from_files_cannot_become_markup() {
        let html = kpi_card_html(&kpi(r#"<img src=x onerror="alert(1)">"#), Lang::En, None);
        assert!(!html.contains("<img"));
        assert!(html.contains(r#"aria-label="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;""#));
    }
}
