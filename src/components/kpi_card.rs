//! One KPI: its value, its change, its trend, and what it means one click away.

use crate::format::{kpi_value, raw_value};
use crate::i18n::{current, translate};
use kpi_core::report::Kpi;
use leptos::prelude::*;

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

/// A KPI card. Carries `data-kpi` (the id) and `data-value` (the unrounded value, empty when
/// it cannot be computed) for scripts and tests.
///
/// - `kpi`: the KPI from the report.
#[component]
pub fn KpiCard(kpi: Kpi) -> impl IntoView {
    // The parent subscribes to the language; the card is drawn anew when it changes.
    let lang = current();
    let t = |text: &'static str| translate(lang, text);
    // Labels are the catalogue's own texts: looked up by their English wording.
    let label = crate::i18n::translate_owned(lang, &kpi.label);
    let shown = kpi_value(kpi.value, kpi.unit);
    let raw = raw_value(kpi.value);
    let missing =
        (!kpi.missing.is_empty()).then(|| format!("{}{}", t("Needs: "), kpi.missing.join("; ")));
    let inputs = if kpi.inputs.is_empty() {
        t("none yet").to_string()
    } else {
        kpi.inputs.join(", ")
    };
    let changes: Vec<_> = [
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
    .collect();
    // Before/after the online launch, where the KPI has that split (contacts per order).
    let launch = kpi.breakdowns.get("online_launch").map(|slices| {
        slices
            .iter()
            .map(|s| format!("{}: {}", s.key, kpi_value(s.value, kpi.unit)))
            .collect::<Vec<_>>()
            .join(" · ")
    });
    let trend: Vec<Option<f64>> = kpi.series.iter().map(|p| p.value).collect();
    // Drawn a frame after the number (crate::app::ChartsReady).
    let sparkline = move || {
        crate::app::ChartsReady::at(crate::app::ChartsReady::SPARKLINES)
            .then(|| kpi_charts::sparkline(&trend, 180, 34).ok())
            .flatten()
    };
    let trend_label = format!("{} trend over {} periods", label, kpi.series.len());
    view! {
        <article class="kpi-card" data-kpi=kpi.id.clone() data-value=raw aria-label=label.clone()>
            <h3 class="kpi-label">{label.clone()}</h3>
            <p class="kpi-value">{shown}</p>
            {changes
                .into_iter()
                .map(|(text, class)| view! { <p class=format!("kpi-change {class}")>{text}</p> })
                .collect_view()}
            {launch.map(|text| view! { <p class="kpi-launch">{format!("Online launch: {text}")}</p> })}
            {move || sparkline().map(|svg| view! { <div class="sparkline" role="img" aria-label=trend_label.clone() inner_html=svg></div> })}
            {missing.map(|m| view! { <p class="kpi-missing">{m}</p> })}
            <details class="kpi-help">
                <summary aria-label=format!("{}: ?", label)>"?"</summary>
                <p>{kpi.definition.clone()}</p>
                <p>
                    <strong>{t("Formula: ")}</strong>
                    <code>{kpi.formula.clone()}</code>
                </p>
                <p>
                    <strong>{t("Inputs: ")}</strong>
                    {inputs}
                </p>
            </details>
        </article>
    }
}
