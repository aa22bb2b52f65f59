//! A big orders file read as two halves at once, by the worker and a helper worker it
//! starts (machines have at least two cores; the page's thread is idle while importing).
//!
//! The worker sends the helper the `File` (a handle, not its bytes); both plan the file and
//! find the same split point (the same bytes, the same code), the worker reads the first
//! half itself, then waits for the helper's second half: one transferred
//! buffer (`kpi_core::ingest::parallel::SecondPart::to_bytes`), never JSON. Whenever
//! anything is off (no helper, a small or other file, a split inside a quoted field, an
//! error in the helper) the file is read in one pass as before, so the result never depends
//! on this path: it is the one-pass result, row for row (`kpi-core/tests/split_import.rs`).

use crate::protocol::Overrides;
use kpi_core::ingest::parallel::{self, FirstOutcome, SecondPart, SplitPlan};
use kpi_core::ImportOptions;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, File, MessageEvent, Worker, WorkerOptions};

/// The helper's worker name (`self.name` inside it): a helper starts no helper of its own.
pub const HELPER_NAME: &str = "kpi-lens-helper";

thread_local! {
    /// The helper, once it said it is ready (a message sent before its handler is set
    /// would be lost, and the half waited for forever).
    static HELPER: RefCell<Option<Worker>> = const { RefCell::new(None) };
    static STARTING: RefCell<Option<Worker>> = const { RefCell::new(None) };
    /// Called when the starting helper is ready (or failed).
    static ON_READY: RefCell<Vec<js_sys::Function>> = const { RefCell::new(Vec::new()) };
    /// Second halves asked for and not yet back: request id -> the promise's resolve.
    static WAITING: RefCell<HashMap<u32, js_sys::Function>> = RefCell::new(HashMap::new());
    static NEXT_ID: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// The worker's name: `halves=on` or `halves=off` when the page's query says so.
pub fn worker_name(page_query: &str) -> String {
    let choice = page_query
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix("halves="))
        .filter(|v| matches!(*v, "on" | "off"));
    match choice {
        Some(v) => format!("kpi-lens-worker halves={v}"),
        None => "kpi-lens-worker".to_string(),
    }
}

/// Read big files in two halves here? Measured on a 2-core machine, the two halves gained
/// nothing: the two workers and the browser's own file reading (it serves every slice a
/// worker reads) share the two cores, and the second half's hand-over costs ~0.2 s. So only
/// with 4 or more cores, unless the page's address says `halves=on` (or `off`).
fn halves_wanted() -> bool {
    let name = scope().name();
    if name.ends_with("halves=on") {
        return true;
    }
    if name.ends_with("halves=off") {
        return false;
    }
    scope().navigator().hardware_concurrency() >= 4.0
}

/// Is this worker the helper?
pub fn is_helper() -> bool {
    scope().name() == HELPER_NAME
}

/// Start the helper from this worker's own script (a failure only means one pass), if
/// big files are to be read in halves here.
pub fn spawn_helper() {
    if !halves_wanted() {
        return;
    }
    let url = scope().location().href();
    let options = WorkerOptions::new();
    options.set_name(HELPER_NAME);
    let Ok(helper) = Worker::new_with_options(&url, &options) else {
        return;
    };
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        let data = ev.data();
        if js_sys::Reflect::get(&data, &"ready".into()).is_ok_and(|v| v.is_truthy()) {
            let ready = STARTING.with_borrow_mut(|s| s.take());
            HELPER.with_borrow_mut(|h| *h = ready);
            wake_ready();
            return;
        }
        let id = js_sys::Reflect::get(&data, &"part".into())
            .ok()
            .and_then(|v| v.as_f64());
        if let Some(id) = id {
            if let Some(resolve) = WAITING.with_borrow_mut(|w| w.remove(&(id as u32))) {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
            // A WebAssembly memory never shrinks: the helper would hold the second half's
            // peak for good. A fresh helper (started on the idle core) holds nothing.
            if WAITING.with_borrow(|w| w.is_empty()) {
                if let Some(old) = HELPER.with_borrow_mut(|h| h.take()) {
                    old.terminate();
                }
                spawn_helper();
            }
        }
    });
    helper.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // A helper that dies leaves every waiting half without an answer: answer "no".
    let onerror = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(|_| {
        HELPER.with_borrow_mut(|h| *h = None);
        STARTING.with_borrow_mut(|s| *s = None);
        wake_ready();
        let waiting: Vec<js_sys::Function> =
            WAITING.with_borrow_mut(|w| w.drain().map(|(_, f)| f).collect());
        for resolve in waiting {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
        }
    });
    helper.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onerror.forget();
    STARTING.with_borrow_mut(|s| *s = Some(helper));
}

fn wake_ready() {
    let waiting: Vec<js_sys::Function> = ON_READY.with_borrow_mut(std::mem::take);
    for f in waiting {
        let _ = f.call0(&JsValue::NULL);
    }
}

/// The ready helper; one still starting is waited for (a few seconds at most: a big file
/// takes longer than that to read anyway).
async fn ready_helper() -> Option<Worker> {
    if HELPER.with_borrow(|h| h.is_none()) && STARTING.with_borrow(|s| s.is_some()) {
        let ready = js_sys::Promise::new(&mut |resolve, _| {
            let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 3000);
            ON_READY.with_borrow_mut(|w| w.push(resolve));
        });
        let _ = wasm_bindgen_futures::JsFuture::from(ready).await;
    }
    HELPER.with_borrow(|h| h.clone())
}

/// The helper's first words: its handler is set, it may be sent work.
pub fn say_ready() {
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"ready".into(), &JsValue::TRUE);
    let _ = scope().post_message(&msg);
}

/// The plan and split point of `file`, if it is worth reading in two halves.
fn plan_halves(file: &Blob, opts: &ImportOptions) -> Option<(SplitPlan, u64)> {
    let total = file.size() as u64;
    if total < parallel::MIN_SPLIT_BYTES {
        return None;
    }
    let head = crate::prefetch::read_now(file, 0.0, kpi_core::ingest::SAMPLE_BYTES as f64).ok()?;
    let plan = parallel::plan_split(&head, total, opts)?;
    let middle = parallel::split_near(total);
    let around = crate::prefetch::read_now(
        file,
        middle as f64,
        (middle + parallel::MIDDLE_BYTES as u64) as f64,
    )
    .ok()?;
    let split = parallel::split_point(&around, middle)?;
    Some((plan, split))
}

/// Import `file` as two halves with the helper. `None`: read it in one pass instead.
pub async fn import_in_two(
    name: &str,
    file: &File,
    opts: &ImportOptions,
    overrides: &Overrides,
    progress: kpi_core::ingest::Progress<'_>,
) -> Option<Result<kpi_core::ImportedFile, String>> {
    if (file.size() as u64) < parallel::MIN_SPLIT_BYTES {
        return None;
    }
    let helper = ready_helper().await?;
    let total = file.size() as u64;
    // Ask for the second half first, so both halves are read at once: the helper plans the
    // file itself (the same plan, from the same head) while this worker does.
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    let answer = js_sys::Promise::new(&mut |resolve, _| {
        WAITING.with_borrow_mut(|w| w.insert(id, resolve));
    });
    let msg = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&msg, &k.into(), v).is_ok();
    let sent = set("part", &id.into())
        && set("file", file)
        && set(
            "overrides",
            &serde_json::to_string(overrides).unwrap_or_default().into(),
        )
        && helper.post_message(&msg).is_ok();
    if !sent {
        WAITING.with_borrow_mut(|w| w.remove(&id));
        return None;
    }
    // Not worth two halves after all: the helper, planning the same, answers at once.
    let (plan, split) = plan_halves(file, opts)?;
    let first_half = crate::prefetch::reader(file.slice_with_f64_and_f64(0.0, split as f64).ok()?);
    // Progress: the first half's, scaled to the whole file (the halves go at one pace).
    let scale = total as f64 / split as f64;
    let first = parallel::read_first_part(plan.clone(), first_half, &mut |done, rows| {
        progress(
            ((done as f64 * scale) as u64).min(total),
            (rows as f64 * scale) as u64,
        )
    });
    // Wait for the helper even when the first half failed, so its answer is not left over.
    let second = wasm_bindgen_futures::JsFuture::from(answer).await.ok()?;
    let first = match first {
        Ok(FirstOutcome::Read(first)) => first,
        // Cancelled: stop; any other error: the one-pass import says it with its line.
        Err(e) if matches!(e.kind(), kpi_core::ErrorKind::Cancelled) => {
            return Some(Err(e.to_string()))
        }
        Ok(FirstOutcome::Misaligned) | Err(_) => return None,
    };
    let helper_split = js_sys::Reflect::get(&second, &"split".into()).ok()?;
    if helper_split.as_f64() != Some(split as f64) {
        return None;
    }
    let bytes = js_sys::Reflect::get(&second, &"bytes".into()).ok()?;
    let bytes = bytes.dyn_into::<js_sys::Uint8Array>().ok()?.to_vec();
    let second = SecondPart::from_bytes(&plan, &bytes).ok()?;
    let rest = file
        .slice_with_f64_and_f64(split as f64, total as f64)
        .ok()?;
    Some(
        first
            .join(second, name, total, opts, || {
                Ok(crate::prefetch::reader(rest))
            })
            .map_err(|e| e.to_string()),
    )
}

/// The helper's side: read the second half asked for and send it back as bytes (or
/// `bytes: null` when it can not, and the worker reads the file in one pass).
pub fn answer_part(ev: MessageEvent) {
    let data = ev.data();
    let get = |k: &str| js_sys::Reflect::get(&data, &k.into()).ok();
    let id = get("part").unwrap_or(JsValue::NULL);
    let bytes = (|| {
        let file: File = get("file")?.dyn_into().ok()?;
        let overrides: Overrides = serde_json::from_str(&get("overrides")?.as_string()?).ok()?;
        let opts = crate::worker::import_options(&overrides);
        let (plan, split) = plan_halves(&file, &opts)?;
        let rest = file
            .slice_with_f64_and_f64(split as f64, file.size())
            .ok()?;
        let reader = crate::prefetch::reader(rest);
        let part = parallel::read_second_part(&plan, reader, &mut |_, _| true).ok()?;
        Some((split, js_sys::Uint8Array::from(part.to_bytes().as_slice())))
    })();
    let answer = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&answer, &"part".into(), &id);
    let (split, bytes) = match bytes {
        Some((split, b)) => (JsValue::from(split as f64), Some(b)),
        None => (JsValue::NULL, None),
    };
    let _ = js_sys::Reflect::set(&answer, &"split".into(), &split);
    let transfer = js_sys::Array::new();
    match bytes {
        Some(b) => {
            transfer.push(&b.buffer());
            let _ = js_sys::Reflect::set(&answer, &"bytes".into(), &b);
        }
        None => {
            let _ = js_sys::Reflect::set(&answer, &"bytes".into(), &JsValue::NULL);
        }
    }
    let _ = scope().post_message_with_transfer(&answer, &transfer);
}

#[cfg(test)]
mod tests {
    use super::worker_name;

    #[test]
    fn the_page_query_names_the_worker() {
        assert_eq!(worker_name(""), "kpi-lens-worker");
        assert_eq!(
            worker_name("?embed=1&halves=on"),
            "kpi-lens-worker halves=on"
        );
        assert_eq!(worker_name("?halves=off"), "kpi-lens-worker halves=off");
        assert_eq!(worker_name("?halves=maybe"), "kpi-lens-worker");
    }
}
