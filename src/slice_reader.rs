//! A thread of its own that reads a `File`'s slices for the worker.
//!
//! `Blob.arrayBuffer()` called in the worker is served on the worker's own thread: the
//! browser streams the bytes through a pipe that only the calling thread empties, in
//! hundreds of small tasks that run only between the parser's tasks. A Chromium trace of a
//! 1M-row import showed the parser stopping ~15 ms for every 8 MB slice (~0.12 s of the
//! file) while the other core sat idle. This tiny worker (a few lines of JavaScript, made
//! from a `blob:` URL, so it needs no file of its own and works in the single-file build)
//! empties the pipe on the other core and hands each slice over as a transferred
//! `ArrayBuffer` (moved, not copied). It reads with `FileReaderSync`: it has nothing else
//! to do, and one blocking read per slice took less of the two cores from the parser than
//! a promise fed by many small tasks (A/B, 1M rows: reading ~11% faster).
//!
//! If the reader cannot start (a host's policy forbids `blob:` workers, say), or dies,
//! slices are read as before, in the worker (those it had not answered too): only slower,
//! never different.

use crate::protocol::Response;
use js_sys::{Function, Promise, Reflect};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker};

/// The reader: reads each slice it is sent and returns its bytes, transferred.
const READER_JS: &str = "const r = new FileReaderSync(); onmessage = (e) => { const { id, blob } = e.data; \
let buf; try { buf = r.readAsArrayBuffer(blob); } catch (err) { postMessage({ id, error: String(err) }); return; } \
postMessage({ id, buf }, [buf]); }; postMessage({ ready: true });";

thread_local! {
    /// The reader, once it said it is ready (a slice sent before would wait for nothing).
    static READER: RefCell<Option<Worker>> = const { RefCell::new(None) };
    /// Slices asked for and not yet back: id -> (the slice, resolve, reject).
    static WAITING: RefCell<HashMap<u32, Waiting>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

type Waiting = (Blob, Function, Function);

/// Start the reader (a failure only means slices are read in the worker, and the page is
/// told so).
pub fn spawn() {
    if try_spawn().is_err() {
        crate::worker::post(&Response::Reader { thread: false });
    }
}

fn try_spawn() -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(READER_JS));
    let bag = BlobPropertyBag::new();
    bag.set_type("text/javascript");
    let script = Blob::new_with_str_sequence_and_options(&parts, &bag)?;
    let url = Url::create_object_url_with_blob(&script)?;
    let worker = Worker::new(&url)?;
    let starting = worker.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        if Reflect::get(&data, &"ready".into()).is_ok_and(|v| v.is_truthy()) {
            let _ = Url::revoke_object_url(&url);
            READER.with_borrow_mut(|r| *r = Some(starting.clone()));
            crate::worker::post(&Response::Reader { thread: true });
            return;
        }
        let Some(id) = Reflect::get(&data, &"id".into())
            .ok()
            .and_then(|v| v.as_f64())
        else {
            return;
        };
        let Some((_, resolve, reject)) = WAITING.with_borrow_mut(|w| w.remove(&(id as u32))) else {
            return;
        };
        match Reflect::get(&data, &"buf".into()) {
            Ok(buf) if buf.is_truthy() => {
                let _ = resolve.call1(&JsValue::NULL, &buf);
            }
            _ => {
                let error = Reflect::get(&data, &"error".into()).unwrap_or(JsValue::NULL);
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        }
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // A reader that dies leaves its slices unanswered: read them here, and every slice
    // from then on.
    let onerror = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(|_| {
        READER.with_borrow_mut(|r| *r = None);
        crate::worker::post(&Response::Reader { thread: false });
        let waiting: Vec<Waiting> =
            WAITING.with_borrow_mut(|w| w.drain().map(|(_, f)| f).collect());
        for (slice, resolve, reject) in waiting {
            // promise.then(resolve, reject): the waiting promise settles as this read does.
            let read = slice.array_buffer();
            if let Ok(then) = Reflect::get(&read, &"then".into()) {
                if let Some(then) = then.dyn_ref::<Function>() {
                    let _ = then.call2(&read, &resolve, &reject);
                }
            }
        }
    });
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onerror.forget();
    Ok(())
}

/// The bytes of `slice` as a promise of an `ArrayBuffer`: read by the reader when it is
/// there, else by this thread.
pub fn array_buffer(slice: &Blob) -> Promise {
    READER
        .with_borrow(|r| r.clone())
        .and_then(|reader| {
            let id = NEXT_ID.replace(NEXT_ID.get().wrapping_add(1));
            let message = js_sys::Object::new();
            Reflect::set(&message, &"id".into(), &id.into()).ok()?;
            Reflect::set(&message, &"blob".into(), slice).ok()?;
            let mut sent = true;
            let promise = Promise::new(&mut |resolve, reject| {
                WAITING.with_borrow_mut(|w| w.insert(id, (slice.clone(), resolve, reject)));
                if reader.post_message(&message).is_err() {
                    WAITING.with_borrow_mut(|w| w.remove(&id));
                    sent = false;
                }
            });
            sent.then_some(promise)
        })
        .unwrap_or_else(|| slice.array_buffer())
}
