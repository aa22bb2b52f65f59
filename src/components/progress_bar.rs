//! Import progress: bytes read of the file being imported.

use crate::app::ImportProgress;
use crate::format::group_thousands;
use leptos::prelude::*;

/// Shows the file being read and how far along it is; hidden when nothing is running.
///
/// - `progress`: (file name, bytes done, bytes total), or None when idle.
#[component]
pub fn ProgressBar(#[prop(into)] progress: Signal<ImportProgress>) -> impl IntoView {
    move || {
        progress.get().map(|(name, done, total)| {
            let pct = if total > 0 {
                done as f64 * 100.0 / total as f64
            } else {
                0.0
            };
            view! {
                <div class="progress" role="status">
                    <span>
                        {format!(
                            "Reading {name}: {} of {} MB",
                            group_thousands(done as f64 / 1e6, 1),
                            group_thousands(total as f64 / 1e6, 1),
                        )}
                    </span>
                    <progress max="100" value=pct></progress>
                </div>
            }
        })
    }
}
