//! Opt-in memory of column choices: with the switch on, the settings a person gives a file
//! (file kind, delimiter, encoding, date order, decimal, header line, column mapping) are
//! kept in this browser's localStorage under the file's header row, and applied again to
//! the next file with the same headers. Never data: only header names and choices. With the
//! switch off (the default) nothing at all is stored; turning it off forgets everything.

use crate::protocol::Overrides;
use std::collections::BTreeMap;

const SWITCH_KEY: &str = "kpi-lens:remember-mappings";
const MAPPINGS_KEY: &str = "kpi-lens:mappings";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The key of a file's choices: its header row.
pub fn signature(headers: &[String]) -> String {
    headers.join("\u{1f}")
}

/// Is the switch on?
pub fn enabled() -> bool {
    storage()
        .and_then(|s| s.get_item(SWITCH_KEY).ok().flatten())
        .is_some_and(|v| v == "on")
}

/// Turn the switch on or off; off forgets every remembered choice.
pub fn set_enabled(on: bool) {
    if let Some(s) = storage() {
        if on {
            let _ = s.set_item(SWITCH_KEY, "on");
        } else {
            let _ = s.remove_item(SWITCH_KEY);
            let _ = s.remove_item(MAPPINGS_KEY);
        }
    }
}

/// Forget the remembered choices (the switch stays as it is).
pub fn forget() {
    if let Some(s) = storage() {
        let _ = s.remove_item(MAPPINGS_KEY);
    }
}

fn all() -> BTreeMap<String, Overrides> {
    storage()
        .and_then(|s| s.get_item(MAPPINGS_KEY).ok().flatten())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Remember `overrides` for files with these headers (only when the switch is on).
pub fn remember(headers: &[String], overrides: &Overrides) {
    if !enabled() {
        return;
    }
    let mut map = all();
    if *overrides == Overrides::default() {
        map.remove(&signature(headers));
    } else {
        map.insert(signature(headers), overrides.clone());
    }
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(&map)) {
        let _ = s.set_item(MAPPINGS_KEY, &text);
    }
}

/// The remembered choices for files with these headers.
pub fn recall(headers: &[String]) -> Option<Overrides> {
    if !enabled() {
        return None;
    }
    all().remove(&signature(headers))
}
