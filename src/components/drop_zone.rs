//! Where files come in: drag-and-drop, a file picker, and the demo button.

use crate::i18n::tr;
use leptos::prelude::*;
use web_sys::{DragEvent, File, FileList};

fn files_of(list: Option<FileList>) -> Vec<File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default()
}

/// Drop zone with a file picker and the demo data button.
///
/// - `on_files`: called with the files dropped or picked (several at once are fine).
/// - `on_demo`: called when the user asks for the built-in demo dataset.
/// - `on_clear`: called to forget every imported file.
#[component]
pub fn DropZone(
    #[prop(into)] on_files: Callback<Vec<File>>,
    #[prop(into)] on_demo: Callback<()>,
    #[prop(into)] on_clear: Callback<()>,
) -> impl IntoView {
    let (hover, set_hover) = signal(false);
    view! {
        <section
            class="drop-zone"
            class:hover=move || hover.get()
            aria-label="Drop CSV files here"
            on:dragover=move |ev: DragEvent| {
                ev.prevent_default();
                set_hover.set(true);
            }
            on:dragleave=move |_| set_hover.set(false)
            on:drop=move |ev: DragEvent| {
                ev.prevent_default();
                set_hover.set(false);
                on_files.run(files_of(ev.data_transfer().and_then(|dt| dt.files())));
            }
        >
            <p class="drop-title">{move || tr("Drop your CSV exports here")}</p>
            <p class="drop-hint">
                {move || tr("Orders from your ERP or web shop: any delimiter, encoding, date or number style.")}
            </p>
            <div class="drop-actions">
                <label class="button primary">
                    {move || tr("Choose files…")}
                    <input
                        id="file-input"
                        type="file"
                        accept=".csv,.txt,.tsv,text/csv,text/plain"
                        multiple
                        on:change:target=move |ev| {
                            let input = ev.target();
                            on_files.run(files_of(input.files()));
                            // Picking the same file again must fire `change` again.
                            input.set_value("");
                        }
                    />
                </label>
                <button id="demo-button" class="button" on:click=move |_| on_demo.run(())>
                    {move || tr("Try the demo data")}
                </button>
                <button id="clear-button" class="button subtle" on:click=move |_| on_clear.run(())>
                    {move || tr("Clear")}
                </button>
            </div>
        </section>
    }
}
