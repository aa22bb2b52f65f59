//! "Processed locally": an honest, checkable count of what the page loaded and from where.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What the browser's Resource Timing says this page has requested.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RequestCount {
    pub total: u32,
    /// Requests to any other origin than the page's own.
    pub foreign: u32,
    /// Requests that started after the first file was opened.
    pub after_import: u32,
}

fn count(since_ms: Option<f64>) -> RequestCount {
    let Some(window) = web_sys::window() else {
        return RequestCount::default();
    };
    let origin = window.location().origin().unwrap_or_default();
    let Some(perf) = window.performance() else {
        return RequestCount::default();
    };
    let mut c = RequestCount::default();
    for entry in perf.get_entries_by_type("resource").iter() {
        let Ok(entry) = entry.dyn_into::<web_sys::PerformanceEntry>() else {
            continue;
        };
        let name = entry.name();
        c.total += 1;
        if !(name.starts_with(&origin) || name.starts_with("blob:") || name.starts_with("data:")) {
            c.foreign += 1;
        }
        if since_ms.is_some_and(|t| entry.start_time() > t) {
            c.after_import += 1;
        }
    }
    c
}

/// The badge in the header. Recounts whenever `tick` changes (each new report).
///
/// - `tick`: any signal that changes when there is something new to count.
/// - `import_started_ms`: `performance.now()` when the first file was opened, if any.
#[component]
pub fn PrivacyBadge(
    #[prop(into)] tick: Signal<u32>,
    #[prop(into)] import_started_ms: Signal<Option<f64>>,
) -> impl IntoView {
    let counts = Memo::new(move |_| {
        tick.track();
        count(import_started_ms.get())
    });
    view! {
        <p
            class="privacy-badge"
            role="status"
            data-requests=move || counts.get().total
            data-foreign-requests=move || counts.get().foreign
            data-requests-after-import=move || counts.get().after_import
            title="Counted from your browser's own record of requests (Resource Timing)."
        >
            {move || {
                let c = counts.get();
                if c.foreign == 0 && c.after_import == 0 {
                    format!(
                        "0 bytes sent · {} files loaded, all from this site, none since you opened your data",
                        c.total
                    )
                } else {
                    format!(
                        "Warning: {} requests to other sites, {} since you opened your data.",
                        c.foreign, c.after_import
                    )
                }
            }}
        </p>
    }
}
