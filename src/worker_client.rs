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

pub struct WorkerClient {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    queue: Rc<RefCell<Vec<JsValue>>>,
}

impl WorkerClient {
    /// Start the worker; `on_response` gets each answer (and a synthetic error if it dies).
    pub fn spawn(on_response: impl Fn(Response) + 'static) -> Result<Self, String> {
        let worker =
            Worker::new(WORKER_URL).map_err(|e| format!("cannot start the worker: {e:?}"))?;
        let ready = Rc::new(Cell::new(false));
        let queue: Rc<RefCell<Vec<JsValue>>> = Rc::default();
        let on_response = Rc::new(on_response);
        {
            let (ready, queue, worker2, on_response) = (
                ready.clone(),
                queue.clone(),
                worker.clone(),
                on_response.clone(),
            );
            let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                let text = ev.data().as_string().unwrap_or_default();
                match serde_json::from_str::<Response>(&text) {
                    Ok(Response::Ready) => {
                        ready.set(true);
                        for msg in queue.borrow_mut().drain(..) {
                            let _ = worker2.post_message(&msg);
                        }
                    }
                    Ok(resp) => on_response(resp),
                    Err(e) => on_response(Response::Error {
                        message: format!("unreadable answer from the worker: {e}"),
                    }),
                }
            });
            worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
            onmessage.forget();
        }
        {
            let onerror =
                Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
                    on_response(Response::Error {
                        message: format!("the import worker stopped: {}", ev.message()),
                    });
                });
            worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
            onerror.forget();
        }
        Ok(WorkerClient {
            worker,
            ready,
            queue,
        })
    }

    /// Send a request with files attached (structured clone: no copy of their bytes).
    pub fn send(&self, request: &Request, files: &[File]) {
        let msg = js_sys::Object::new();
        let json = serde_json::to_string(request).unwrap_or_default();
        let _ = js_sys::Reflect::set(&msg, &"msg".into(), &JsValue::from_str(&json));
        let list = js_sys::Array::new();
        for f in files {
            list.push(f);
        }
        let _ = js_sys::Reflect::set(&msg, &"files".into(), &list);
        if self.ready.get() {
            let _ = self.worker.post_message(&msg);
        } else {
            self.queue.borrow_mut().push(msg.into());
        }
    }
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
