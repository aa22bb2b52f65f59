//! One card per imported file: what was guessed, what was read, what was rejected and why.

use crate::format::group_thousands;
use kpi_core::ingest::ImportSummary;
use kpi_core::report::Report;
use leptos::prelude::*;

fn count(n: u64) -> String {
    group_thousands(n as f64, 0)
}

/// The list of imported files.
///
/// - `report`: the current report (its `imports`).
/// - `on_download_rejected`: called with a file's index to download its rejected rows.
#[component]
pub fn ImportList(
    #[prop(into)] report: Signal<Option<Report>>,
    #[prop(into)] on_download_rejected: Callback<usize>,
) -> impl IntoView {
    move || {
        let imports = report.get().map(|r| r.imports).unwrap_or_default();
        (!imports.is_empty()).then(|| {
            view! {
                <section class="imports" aria-label="Imported files">
                    <h2>"Imported files"</h2>
                    {imports
                        .into_iter()
                        .enumerate()
                        .map(|(i, s)| view! { <ImportCard index=i summary=s on_download_rejected /> })
                        .collect_view()}
                </section>
            }
        })
    }
}

/// One file's card.
///
/// - `index`: position of the file in the dataset.
/// - `summary`: the import summary.
/// - `on_download_rejected`: called with `index` when "Download rejected rows" is clicked.
#[component]
fn ImportCard(
    index: usize,
    summary: ImportSummary,
    on_download_rejected: Callback<usize>,
) -> impl IntoView {
    let s = summary;
    let guesses = vec![
        (
            "Kind",
            format!(
                "{} ({:.0}% of required columns found)",
                s.kind.name(),
                s.kind_confidence * 100.0
            ),
        ),
        (
            "Encoding",
            format!("{} — {}", s.encoding.name, s.encoding.evidence),
        ),
        (
            "Delimiter",
            format!("{:?} — {}", s.delimiter.delimiter, s.delimiter.evidence),
        ),
        ("Header", format!("line {}", s.header_line)),
        (
            "Date order",
            s.date_order
                .as_ref()
                .map(|d| format!("{:?} — {}", d.value, d.evidence))
                .unwrap_or_else(|| "ISO or unambiguous dates".into()),
        ),
        (
            "Decimal separator",
            s.decimal
                .as_ref()
                .map(|d| format!("{:?} — {}", d.value, d.evidence))
                .unwrap_or_else(|| "no decimals seen".into()),
        ),
    ];
    let mapping: Vec<_> = s
        .mapping
        .iter()
        .filter(|m| m.column.is_some())
        .cloned()
        .collect();
    let rejected = s.rows_rejected;
    view! {
        <article class="import-card" data-file=s.file_name.clone() data-rows-ok=s.rows_ok data-rows-rejected=s.rows_rejected>
            <h3>{s.file_name.clone()}</h3>
            <p class="counts">
                {format!(
                    "{} rows read · {} ok · {} rejected · {} duplicates · {} order lines merged",
                    count(s.rows_read),
                    count(s.rows_ok),
                    count(s.rows_rejected),
                    count(s.duplicates),
                    count(s.order_lines_merged),
                )}
            </p>
            <dl class="guesses">
                {guesses
                    .into_iter()
                    .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> })
                    .collect_view()}
            </dl>
            <details>
                <summary>"Column mapping"</summary>
                <table class="mapping">
                    <thead><tr><th>"Field"</th><th>"Column in file"</th><th>"How"</th></tr></thead>
                    <tbody>
                        {mapping
                            .into_iter()
                            .map(|m| view! {
                                <tr><td>{m.field}</td><td>{m.column.unwrap_or_default()}</td><td>{m.how}</td></tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </details>
            {s.warnings.into_iter().map(|w| view! { <p class="warning">{w}</p> }).collect_view()}
            {(rejected > 0).then(|| view! {
                <div class="rejected">
                    <table>
                        <thead><tr><th>"Line"</th><th>"Reason"</th><th>"Row"</th></tr></thead>
                        <tbody>
                            {s.rejected_preview
                                .into_iter()
                                .map(|r| view! { <tr><td>{r.line}</td><td>{r.reason}</td><td><code>{r.raw}</code></td></tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                    <button class="button download-rejected" on:click=move |_| on_download_rejected.run(index)>
                        {format!("Download all {} rejected rows (CSV)", count(rejected))}
                    </button>
                </div>
            })}
        </article>
    }
}
