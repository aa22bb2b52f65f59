//! Offline use: register the service worker (`sw.js`, written at build time by
//! tools/service_worker.py) that caches this build's own files. Only over http(s): the
//! single-file build opened from disk needs none, and an embedding host may forbid it.

pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let protocol = window.location().protocol().unwrap_or_default();
    if protocol != "https:" && protocol != "http:" {
        return;
    }
    // Not every browser context has one (private modes, some embedded views).
    let has_sw =
        js_sys::Reflect::has(&window.navigator(), &"serviceWorker".into()).unwrap_or(false);
    if !has_sw {
        return;
    }
    let container = window.navigator().service_worker();
    // Relative: the scope is the app's own directory, whatever sub-path it is served from.
    let promise = container.register("./sw.js");
    // A refusal (e.g. a host's policy) only means no offline use: nothing to report.
    let ignore = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(|_| {});
    let _ = promise.catch(&ignore);
    ignore.forget();
}
