//! The page's side of the worker: spawn it, queue requests until it says it is ready, and
//! hand every answer to a callback.

use crate::protocol::{Request, Response};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker};

/// Trunk's loader shim for the `worker` bin; relative, so the app works under any sub-path.
const WORKER_URL: &str = "./worker_loader.js";

/// The page's handle on the worker. Cancelling terminates the worker at once (a worker busy
/// in a synchronous import cannot read a "stop" message) and starts a new one that gets the
/// requests that built the current data again, minus the ones cancelled: the `File`s are
/// handles, so replaying them re-reads the files from disk, nothing was kept in memory.
pub struct WorkerClient {
    inner: Rc<Inner>,
}

struct Inner {
    worker: RefCell<Option<Worker>>,
    ready: Cell<bool>,
    queue: RefCell<Vec<JsValue>>,
    on_response: Box<dyn Fn(Response)>,
    /// Requests that changed the data since the last demo or clear, with their files.
    history: RefCell<Vec<(Request, Vec<File>)>>,
    /// The last view asked for, replayed after the data.
    view: RefCell<Option<Request>>,
    /// For each request not yet answered: does it change the data?
    pending: RefCell<std::collections::VecDeque<bool>>,
}

impl WorkerClient {
    /// Start the worker; `on_response` gets each answer (and a synthetic error if it dies).
    pub fn spawn(on_response: impl Fn(Response) + 'static) -> Result<Self, String> {
        let inner = Rc::new(Inner {
            worker: RefCell::new(None),
            ready: Cell::new(false),
            queue: RefCell::default(),
            on_response: Box::new(on_response),
            history: RefCell::default(),
            view: RefCell::default(),
            pending: RefCell::default(),
        });
        start_worker(&inner)?;
        Ok(WorkerClient { inner })
    }

    /// Send a request with files attached (structured clone: no copy of their bytes).
    pub fn send(&self, request: &Request, files: &[File]) {
        let changes_data = match request {
            Request::Demo | Request::Clear => {
                self.inner.history.borrow_mut().clear();
                true
            }
            Request::Import { .. }
            | Request::Paste { .. }
            | Request::Reimport { .. }
            | Request::Remove { .. } => true,
            Request::Recompute { .. } => {
                *self.inner.view.borrow_mut() = Some(request.clone());
                false
            }
            Request::Rejected { .. } | Request::Clv { .. } => false,
        };
        if changes_data && !matches!(request, Request::Clear) {
            self.inner
                .history
                .borrow_mut()
                .push((request.clone(), files.to_vec()));
        }
        self.inner.pending.borrow_mut().push_back(changes_data);
        post(&self.inner, request, files);
    }

    /// Is any request still being worked on?
    pub fn busy(&self) -> bool {
        !self.inner.pending.borrow().is_empty()
    }

    /// Stop everything the worker is doing now. The data returns to what it was before the
    /// unanswered requests: true when there is such data to rebuild (its report follows).
    pub fn cancel(&self) -> Result<bool, String> {
        let inner = &self.inner;
        if let Some(w) = inner.worker.borrow_mut().take() {
            w.terminate();
        }
        let cancelled = inner.pending.borrow().iter().filter(|c| **c).count();
        inner.pending.borrow_mut().clear();
        inner.queue.borrow_mut().clear();
        let replay: Vec<(Request, Vec<File>)> = {
            let mut history = inner.history.borrow_mut();
            let keep = history.len().saturating_sub(cancelled);
            history.truncate(keep);
            history.clone()
        };
        start_worker(inner)?;
        for (request, files) in &replay {
            inner.pending.borrow_mut().push_back(true);
            post(inner, request, files);
        }
        if !replay.is_empty() {
            if let Some(view) = inner.view.borrow().clone() {
                inner.pending.borrow_mut().push_back(false);
                post(inner, &view, &[]);
            }
        }
        Ok(!replay.is_empty())
    }
}

fn post(inner: &Inner, request: &Request, files: &[File]) {
    let msg = js_sys::Object::new();
    let json = serde_json::to_string(request).unwrap_or_default();
    let _ = js_sys::Reflect::set(&msg, &"msg".into(), &JsValue::from_str(&json));
    let list = js_sys::Array::new();
    for f in files {
        list.push(f);
    }
    let _ = js_sys::Reflect::set(&msg, &"files".into(), &list);
    match inner.worker.borrow().as_ref() {
        Some(w) if inner.ready.get() => {
            let _ = w.post_message(&msg);
        }
        _ => inner.queue.borrow_mut().push(msg.into()),
    }
}

/// The page address's query (`?embed=1&halves=on`), or "".
fn page_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Where the worker's script is: Trunk's loader shim, or the blob: URL the single-file build
/// (tools/single_file.py) puts in `window.KPI_LENS_WORKER_URL`, as file:// pages may not
/// start workers from files.
fn worker_url() -> String {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"KPI_LENS_WORKER_URL".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| WORKER_URL.to_string())
}

fn start_worker(inner: &Rc<Inner>) -> Result<(), String> {
    // The worker's name carries the page's `halves=on|off` (its address can not: the
    // single-file build starts it from a blob: URL).
    let options = web_sys::WorkerOptions::new();
    options.set_name(&crate::worker_halves::worker_name(&page_query()));
    let worker = Worker::new_with_options(&worker_url(), &options)
        .map_err(|e| format!("cannot start the worker: {e:?}"))?;
    inner.ready.set(false);
    // The closures hold a weak handle: a terminated worker's late events find nothing.
    let weak = Rc::downgrade(inner);
    let this = worker.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(inner) = weak.upgrade() else { return };
        if !inner.worker.borrow().as_ref().is_some_and(|w| *w == this) {
            return; // an old worker's last words
        }
        let text = ev.data().as_string().unwrap_or_default();
        match serde_json::from_str::<Response>(&text) {
            Ok(Response::Ready) => {
                inner.ready.set(true);
                let queued: Vec<JsValue> = inner.queue.borrow_mut().drain(..).collect();
                if let Some(w) = inner.worker.borrow().as_ref() {
                    for msg in queued {
                        let _ = w.post_message(&msg);
                    }
                }
                (inner.on_response)(Response::Ready)
            }
            Ok(resp) => {
                if resp.answers_a_request() {
                    inner.pending.borrow_mut().pop_front();
                }
                (inner.on_response)(resp)
            }
            Err(e) => (inner.on_response)(Response::Error {
                message: format!("unreadable answer from the worker: {e}"),
            }),
        }
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let weak = Rc::downgrade(inner);
    let onerror = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
        if let Some(inner) = weak.upgrade() {
            inner.pending.borrow_mut().clear();
            (inner.on_response)(Response::Error {
                message: format!("the import worker stopped: {}", ev.message()),
            });
        }
    });
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onerror.forget();
    *inner.worker.borrow_mut() = Some(worker);
    Ok(())
}

/// Offer text as a file download (rejected rows, exports). Stays on this computer.
pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}
