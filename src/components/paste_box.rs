//! Paste CSV text (copied from a spreadsheet or an e-mail) instead of choosing a file.

use crate::i18n::tr;
use leptos::prelude::*;

/// A folded text area with an import button.
///
/// - `on_paste`: called with (a file name for it, the text).
#[component]
pub fn PasteBox(#[prop(into)] on_paste: Callback<(String, String)>) -> impl IntoView {
    let (text, set_text) = signal(String::new());
    let (count, set_count) = signal(0u32);
    let import = move |_| {
        let t = text.get_untracked();
        if t.trim().is_empty() {
            return;
        }
        set_count.update(|c| *c += 1);
        on_paste.run((format!("pasted-{}.csv", count.get_untracked()), t));
        set_text.set(String::new());
    };
    view! {
        <details class="paste-box">
            <summary>{move || tr("Paste CSV text")}</summary>
            <textarea
                id="paste-text"
                rows="6"
                aria-label=move || tr("Paste CSV text")
                placeholder="order_id,order_date,customer_id,amount"
                prop:value=move || text.get()
                on:input:target=move |ev| set_text.set(ev.target().value())
            ></textarea>
            <button id="paste-import" type="button" class="button" on:click=import>
                {move || tr("Import pasted text")}
            </button>
        </details>
    }
}
