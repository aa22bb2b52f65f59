//! Import progress: bytes and rows read of the file being imported, the pace, the time
//! left, and a Cancel button that stops the work at once.

use crate::format::group_thousands;
use crate::protocol::ImportProgress;
use leptos::prelude::*;

/// Shown while the worker is busy; hidden otherwise.
///
/// - `busy`: is any request being worked on (import, re-import, recompute)?
/// - `progress`: the file being read and how far, when an import reports it.
/// - `on_cancel`: called by the Cancel button.
#[component]
pub fn ProgressBar(
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] progress: Signal<Option<ImportProgress>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    move || {
        busy.get().then(|| {
            let p = progress.get();
            let text = match &p {
                Some(p) => {
                    // Two halves at once: the counts are the first half's, doubled (about).
                    let (how, about) = if p.halves {
                        (" (two halves at once)", "about ")
                    } else {
                        ("", "")
                    };
                    let mut text = format!(
                        "Reading {}{how}: {about}{} of {} MB, {about}{} rows",
                        p.file_name,
                        group_thousands(p.bytes_done as f64 / 1e6, 1),
                        group_thousands(p.bytes_total as f64 / 1e6, 1),
                        group_thousands(p.rows_done as f64, 0),
                    );
                    if let Some(rate) = p.rows_per_second() {
                        text.push_str(&format!(", {} rows/s", group_thousands(rate, 0)));
                    }
                    if let Some(left) = p.seconds_left() {
                        text.push_str(&format!(", about {} s left", group_thousands(left, 1)));
                    }
                    text
                }
                None => "Working…".to_string(),
            };
            let pct = p
                .filter(|p| p.bytes_total > 0)
                .map(|p| p.bytes_done as f64 * 100.0 / p.bytes_total as f64);
            view! {
                <div class="progress" role="status" aria-live="polite">
                    <span class="progress-text">{text}</span>
                    {match pct {
                        Some(pct) => view! { <progress max="100" value=pct></progress> }.into_any(),
                        // Indeterminate while nothing reports bytes.
                        None => view! { <progress></progress> }.into_any(),
                    }}
                    <button
                        type="button"
                        class="cancel"
                        data-action="cancel"
                        on:click=move |_| on_cancel.run(())
                    >
                        "Cancel"
                    </button>
                </div>
            }
        })
    }
}
