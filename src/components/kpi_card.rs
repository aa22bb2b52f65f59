//! One KPI: its value, and what it means one click away.

use crate::format::{kpi_value, raw_value};
use kpi_core::report::Kpi;
use leptos::prelude::*;

/// A KPI card. Carries `data-kpi` (the id) and `data-value` (the unrounded value, empty when
/// it cannot be computed) for scripts and tests.
///
/// - `kpi`: the KPI from the report.
#[component]
pub fn KpiCard(kpi: Kpi) -> impl IntoView {
    let shown = kpi_value(kpi.value, kpi.unit);
    let raw = raw_value(kpi.value);
    let missing = (!kpi.missing.is_empty()).then(|| format!("Needs: {}", kpi.missing.join("; ")));
    let inputs = if kpi.inputs.is_empty() {
        "none yet".to_string()
    } else {
        kpi.inputs.join(", ")
    };
    view! {
        <article class="kpi-card" data-kpi=kpi.id.clone() data-value=raw aria-label=kpi.label.clone()>
            <h3 class="kpi-label">{kpi.label.clone()}</h3>
            <p class="kpi-value">{shown}</p>
            {missing.map(|m| view! { <p class="kpi-missing">{m}</p> })}
            <details class="kpi-help">
                <summary aria-label=format!("What is {}?", kpi.label)>"?"</summary>
                <p>{kpi.definition.clone()}</p>
                <p>
                    <strong>"Formula: "</strong>
                    <code>{kpi.formula.clone()}</code>
                </p>
                <p>
                    <strong>"Inputs: "</strong>
                    {inputs}
                </p>
            </details>
        </article>
    }
}
