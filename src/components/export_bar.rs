//! Export the report (CSV, JSON, Markdown: the same formats as `kpi-lens report`) and print.

use crate::i18n::tr;
use crate::worker_client::download_text;
use kpi_core::report::Report;
use leptos::prelude::*;

/// Export buttons.
///
/// - `report`: the report with every breakdown in (the one the CLI would print).
#[component]
pub fn ExportBar(#[prop(into)] report: Signal<Option<Report>>) -> impl IntoView {
    let save = move |kind: &'static str| {
        let Some(r) = report.get_untracked() else {
            return;
        };
        let (name, mime, text) = match kind {
            "csv" => ("kpi-report.csv", "text/csv", r.to_csv()),
            "md" => ("kpi-report.md", "text/markdown", r.to_markdown()),
            _ => (
                "kpi-report.json",
                "application/json",
                serde_json::to_string_pretty(&r).unwrap_or_default(),
            ),
        };
        let _ = download_text(name, mime, &text);
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="export-bar" role="group" aria-label="Export">
            <span class="export-title">{move || tr("Export")}</span>
            <button type="button" class="button subtle" data-export="csv" on:click=move |_| save("csv")>
                {move || tr("Report as CSV")}
            </button>
            <button type="button" class="button subtle" data-export="json" on:click=move |_| save("json")>
                {move || tr("Report as JSON")}
            </button>
            <button type="button" class="button subtle" data-export="md" on:click=move |_| save("md")>
                {move || tr("Report as Markdown")}
            </button>
            <button type="button" class="button subtle" on:click=print>
                {move || tr("Print / Save as PDF")}
            </button>
        </div>
    }
}
