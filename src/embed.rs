//! Embedding in an intranet page: `?embed=1` gives a compact layout for an `<iframe>`, and a
//! `postMessage` API lets the host send files and get the report back.
//!
//! The host lists the origins it accepts in the iframe's address:
//! `kpi-lens/?embed=1&allow=https://intranet.example.com` (comma-separated, exact). Only
//! messages from the parent window with one of those origins are read; anything else is
//! ignored and logged with `console.warn`. Messages:
//! - page -> host, on start: `{type: "kpi-lens:ready"}`
//! - host -> page: `{type: "kpi-lens:files", files: [{name: "orders.csv", data: ArrayBuffer}]}`
//! - page -> host: `{type: "kpi-lens:report", report: {...}}` (the JSON of `kpi-lens report
//!   --format json`) or `{type: "kpi-lens:error", message: "..."}`
//!
//! Replies go only to the origin the files came from, and the posted files replace what the
//! frame had open: a host gets the report of its own files only, never of files a person
//! dropped into the frame (which matters because whoever writes the iframe's address writes
//! the allow-list; `frame-ancestors` on the server decides who may embed the page at all).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent};

/// What the page's address asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmbedConfig {
    /// Compact layout, no page chrome.
    pub compact: bool,
    /// Origins allowed to send files (empty: the API is off).
    pub allowed_origins: Vec<String>,
}

/// Parse a query string (`?embed=1&allow=a,b`).
pub fn parse(query: &str) -> EmbedConfig {
    let mut c = EmbedConfig::default();
    for part in query.trim_start_matches('?').split('&') {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let v = crate::protocol::decode(v);
        match k {
            "embed" => c.compact = v == "1" || v == "true",
            "allow" => c.allowed_origins.extend(
                v.split(',')
                    .map(|o| o.trim().trim_end_matches('/').to_string())
                    .filter(|o| !o.is_empty() && o != "*" && o != "null"),
            ),
            _ => {}
        }
    }
    c
}

/// This page's configuration.
pub fn config() -> EmbedConfig {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|q| parse(&q))
        .unwrap_or_default()
}

/// Send `message` to the parent window, if it has `origin`.
pub fn post_to_host(origin: &str, message: &JsValue) {
    if let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) {
        let _ = parent.post_message(message, origin);
    }
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

/// `{type: kind, field: value}`.
pub fn message(kind: &str, field: &str, value: JsValue) -> JsValue {
    object(&[("type", kind.into()), (field, value)])
}

/// Listen for files from the allowed origins; `on_files` gets them and the origin to answer.
/// Says "ready" to each allowed origin (a wrong one never receives it: postMessage checks).
pub fn listen(config: &EmbedConfig, on_files: impl Fn(Vec<File>, String) + 'static) {
    let allowed = config.allowed_origins.clone();
    let Some(window) = web_sys::window() else {
        return;
    };
    let own = window.clone();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let origin = ev.origin();
        let from_parent = match (ev.source(), own.parent().ok().flatten()) {
            (Some(source), Some(parent)) => JsValue::from(source) == JsValue::from(parent),
            _ => false,
        };
        if !from_parent || !allowed.contains(&origin) {
            web_sys::console::warn_1(
                &format!("KPI Lens: ignored a message from {origin:?}: not an allowed embedding host (allowed: {allowed:?})").into(),
            );
            return;
        }
        let data = ev.data();
        let kind = js_sys::Reflect::get(&data, &"type".into())
            .ok()
            .and_then(|t| t.as_string());
        if kind.as_deref() != Some("kpi-lens:files") {
            return;
        }
        let list = js_sys::Reflect::get(&data, &"files".into()).unwrap_or(JsValue::UNDEFINED);
        let files: Vec<File> = js_sys::Array::from(&list)
            .iter()
            .filter_map(|f| {
                let name = js_sys::Reflect::get(&f, &"name".into()).ok()?.as_string()?;
                let bytes = js_sys::Reflect::get(&f, &"data".into()).ok()?;
                let parts = js_sys::Array::of1(&bytes);
                File::new_with_buffer_source_sequence(&parts, &name).ok()
            })
            .collect();
        if files.is_empty() {
            post_to_host(
                &origin,
                &message(
                    "kpi-lens:error",
                    "message",
                    "no readable files in the message".into(),
                ),
            );
            return;
        }
        on_files(files, origin);
    });
    let _ = window.add_event_listener_with_callback("message", handler.as_ref().unchecked_ref());
    handler.forget();
    for origin in &config.allowed_origins {
        post_to_host(origin, &object(&[("type", "kpi-lens:ready".into())]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_lists_the_allowed_hosts_exactly() {
        let c = parse("?embed=1&allow=https%3A%2F%2Fintranet.example.com%2F,http://localhost:4175");
        assert!(c.compact);
        assert_eq!(
            c.allowed_origins,
            vec!["https://intranet.example.com", "http://localhost:4175"]
        );
        // A wildcard or the opaque origin would let anyone in: never accepted.
        assert!(parse("?allow=*,null").allowed_origins.is_empty());
        assert_eq!(parse(""), EmbedConfig::default());
        assert!(!parse("?embed=0").compact);
    }
}
