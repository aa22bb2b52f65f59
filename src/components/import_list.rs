//! One card per imported file: what was guessed, what was read, what was rejected and why.

use super::file_settings::FileSettings;
use crate::app::SharedReport;
use crate::format::group_thousands;
use crate::protocol::Overrides;
use kpi_core::ingest::ImportSummary;
use leptos::prelude::*;

fn count(n: u64) -> String {
    group_thousands(n as f64, 0)
}

/// The list of imported files.
///
/// - `report`: the current report (its `imports`).
/// - `overrides`: the choices in force per file (same order as the imports).
/// - `halves`: per file, whether it was read as two halves at once.
/// - `on_download_rejected`: called with a file's index to download its rejected rows.
/// - `on_override`: called with `(index, overrides)` when a file's settings change.
/// - `on_remove`: called with a file's index to drop it.
#[component]
pub fn ImportList(
    #[prop(into)] report: Signal<Option<SharedReport>>,
    #[prop(into)] overrides: Signal<Vec<Overrides>>,
    #[prop(into)] halves: Signal<Vec<bool>>,
    #[prop(into)] on_download_rejected: Callback<usize>,
    #[prop(into)] on_override: Callback<(usize, Overrides)>,
    #[prop(into)] on_remove: Callback<usize>,
) -> impl IntoView {
    // A view change gives a new report with the same files: nothing here is built again.
    let imports = Memo::new(move |_| {
        report.with(|r| r.as_ref().map(|r| r.imports.clone()).unwrap_or_default())
    });
    move || {
        let imports = imports.get();
        let overrides = overrides.get();
        let halves = halves.get();
        (!imports.is_empty()).then(|| {
            view! {
                <section class="imports" aria-label="Imported files">
                    <h2>{crate::i18n::tr("Imported files")}</h2>
                    <super::remember_switch::RememberSwitch />
                    {imports
                        .into_iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let o = overrides.get(i).cloned().unwrap_or_default();
                            let halves = halves.get(i).copied().unwrap_or(false);
                            view! {
                                <ImportCard index=i summary=s overrides=o halves on_download_rejected on_override on_remove />
                            }
                        })
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
/// - `overrides`: the choices in force for this file.
/// - `halves`: read as two halves at once (said on the card, `data-read="two-halves"`).
/// - `on_download_rejected`: called with `index` when "Download rejected rows" is clicked.
/// - `on_override`: called with new overrides for this file.
/// - `on_remove`: called with `index` when "Remove" is clicked.
#[component]
fn ImportCard(
    index: usize,
    summary: ImportSummary,
    overrides: Overrides,
    halves: bool,
    on_download_rejected: Callback<usize>,
    on_override: Callback<(usize, Overrides)>,
    on_remove: Callback<usize>,
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
    let needs_date_choice = s.date_order.as_ref().is_some_and(|d| d.ambiguous);
    let needs_decimal_choice = s.decimal.as_ref().is_some_and(|d| d.ambiguous);
    let settings_summary = s.clone();
    let rejected = s.rows_rejected;
    view! {
        <article
            class="import-card"
            data-file=s.file_name.clone()
            data-rows-ok=s.rows_ok
            data-rows-rejected=s.rows_rejected
            data-read=if halves { "two-halves" } else { "one-pass" }
        >
            <div class="card-head">
                <h3>{s.file_name.clone()}</h3>
                <button class="button subtle remove-file" on:click=move |_| on_remove.run(index)>
                    "Remove"
                </button>
            </div>
            <p class="counts">
                {format!(
                    "{} rows read · {} ok · {} rejected · {} duplicates · {} order lines merged",
                    count(s.rows_read),
                    count(s.rows_ok),
                    count(s.rows_rejected),
                    count(s.duplicates),
                    count(s.order_lines_merged),
                )}
                {halves.then_some(" · read as two halves at once, on two cores")}
            </p>
            <dl class="guesses">
                {guesses
                    .into_iter()
                    .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> })
                    .collect_view()}
            </dl>
            {needs_date_choice.then(|| view! {
                <p class="ask" role="alert">
                    "Every date in this file fits both day/month and month/day. Please check the date order below."
                </p>
            })}
            {needs_decimal_choice.then(|| view! {
                <p class="ask" role="alert">
                    "Numbers like 1.234 could be read either way. Please check the decimal separator below."
                </p>
            })}
            <FileSettings index=index summary=settings_summary overrides=overrides on_change=on_override />
            {s.warnings.into_iter().map(|w| view! { <p class="warning">{w}</p> }).collect_view()}
            {(!s.preview.is_empty()).then(|| {
                let headers = s.headers.clone();
                let rows = s.preview.clone();
                // Built when first opened, like the column mapping (not with every report).
                let (open, set_open) = signal(false);
                let table = move || open.get().then(|| view! {
                    <table>
                        <thead>
                            <tr>{headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr>
                        </thead>
                        <tbody>
                            {rows
                                .iter()
                                .map(|r| view! { <tr>{r.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                });
                view! {
                    <details class="preview" on:toggle=move |_| set_open.set(true)>
                        <summary>{crate::i18n::tr("Preview")}</summary>
                        {table}
                    </details>
                }
            })}
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
