//! The opt-in switch for remembering column choices on this computer, and its Forget button.

use crate::i18n::tr;
use crate::remember;
use leptos::prelude::*;

/// Off by default; see `crate::remember` for what is (and is never) stored.
#[component]
pub fn RememberSwitch() -> impl IntoView {
    let (on, set_on) = signal(remember::enabled());
    let (forgotten, set_forgotten) = signal(false);
    view! {
        <div class="remember">
            <label>
                <input
                    id="remember-mappings"
                    type="checkbox"
                    prop:checked=move || on.get()
                    on:change:target=move |ev| {
                        let checked = ev.target().checked();
                        remember::set_enabled(checked);
                        set_on.set(checked);
                        set_forgotten.set(false);
                    }
                />
                " "
                {move || tr("Remember my column choices on this computer (headers and choices only, never data)")}
            </label>
            <button
                id="forget-mappings"
                type="button"
                class="button subtle"
                on:click=move |_| {
                    remember::forget();
                    set_forgotten.set(true);
                }
            >
                {move || tr("Forget")}
            </button>
            {move || forgotten.get().then(|| view! { <span class="notice">{tr("Forgotten.")}</span> })}
        </div>
    }
}
