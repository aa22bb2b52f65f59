//! The Web Worker: reads dropped `File`s in slices, imports them into typed columns, keeps the
//! dataset, and answers with reports. Only the report crosses back to the page.

use crate::protocol::{FileError, Overrides, Request, Response};
use kpi_core::ingest::values::{DateOrder, DecimalSeparator};
use kpi_core::report::Granularity;
use kpi_core::{Dataset, ImportOptions, ReportOptions};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

/// The largest file imported in the browser. A 5M-row, 359 MB orders file takes ~0.9 GB
/// of columns and report; WebAssembly's 32-bit memory stops at 4 GB and tabs are often
/// killed well before, so bigger files are refused with a pointer to the CLI rather than
/// risking a dead tab.
const MAX_BROWSER_BYTES: u64 = 800_000_000;

/// Where an imported file's bytes come from, kept so it can be imported again with other
/// choices (a `File` is a handle: keeping it does not keep the bytes in memory).
#[derive(Clone)]
enum Source {
    File(File),
    Bytes(std::rc::Rc<Vec<u8>>),
}

#[derive(Default)]
struct State {
    data: Dataset,
    /// Parallel to `data.files`.
    sources: Vec<Source>,
    overrides: Vec<Overrides>,
    /// Parallel to `data.files`: read as two halves at once (`worker_halves`).
    halves: Vec<bool>,
    opts: ReportOptions,
    /// The orders arranged for computing, kept between views of the same files so a new
    /// filter or period only recomputes (see `kpi_core::Prepared`). None after any change
    /// to the files.
    prepared: Option<kpi_core::Prepared>,
    /// The last report's cohorts and customer scores, for a new granularity over the same
    /// range and filters (`kpi_core::Reuse`); started afresh with every new `prepared`.
    reuse: kpi_core::Reuse,
    /// Bumped by every request: breakdowns still queued for an older one are dropped.
    generation: u64,
    /// Time spent reading files for the request being handled.
    import_ms: f64,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

pub(crate) fn post(resp: &Response) {
    let _ = scope().post_message(&JsValue::from_str(&resp.to_message()));
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Turn the page's overrides into the core's import options.
pub fn import_options(o: &Overrides) -> ImportOptions {
    ImportOptions {
        encoding: o.encoding.clone().filter(|s| !s.is_empty()),
        delimiter: o.delimiter.as_deref().and_then(|d| match d {
            "tab" | "\\t" => Some(b'\t'),
            d if d.len() == 1 => Some(d.as_bytes()[0]),
            _ => None,
        }),
        header_line: o.header_line,
        kind: o
            .kind
            .as_deref()
            .and_then(kpi_core::ingest::schema::FileKind::parse),
        date_order: o
            .date_order
            .as_deref()
            .and_then(|d| d.parse::<DateOrder>().ok()),
        decimal: match o.decimal.as_deref() {
            Some("dot") => Some(DecimalSeparator::Dot),
            Some("comma") => Some(DecimalSeparator::Comma),
            _ => None,
        },
        mapping: o.mapping.clone(),
    }
}

/// Run `f` on the dataset, its arranged orders (made once per set of files) and the view.
fn with_prepared<T>(f: impl FnOnce(&Dataset, &kpi_core::Prepared, &ReportOptions) -> T) -> T {
    with_prepared_reuse(|data, prepared, opts, _| f(data, prepared, opts))
}

/// [`with_prepared`], with what the last report of these arranged orders left to reuse.
fn with_prepared_reuse<T>(
    f: impl FnOnce(&Dataset, &kpi_core::Prepared, &ReportOptions, &mut kpi_core::Reuse) -> T,
) -> T {
    STATE.with_borrow_mut(|s| {
        let State {
            data,
            prepared,
            opts,
            reuse,
            ..
        } = s;
        if prepared.is_none() {
            *reuse = kpi_core::Reuse::default();
        }
        let prepared = prepared.get_or_insert_with(|| kpi_core::Prepared::new(data));
        f(data, prepared, opts, reuse)
    })
}

fn report_response(errors: Vec<FileError>, started: f64) -> Response {
    let (overrides, halves, import_ms) =
        STATE.with_borrow(|s| (s.overrides.clone(), s.halves.clone(), s.import_ms));
    with_prepared_reuse(|data, prepared, opts, reuse| {
        // Breakdowns follow, one dimension per task (`breakdowns_after`).
        let first = ReportOptions {
            breakdowns: false,
            ..opts.clone()
        };
        let t0 = now_ms();
        let report = Box::new(kpi_core::compute_reusing(data, prepared, &first, reuse));
        let compute_ms = now_ms() - t0;
        Response::Report {
            report,
            overrides,
            halves,
            errors,
            elapsed_ms: now_ms() - started,
            import_ms,
            compute_ms,
            worker_memory: wasm_memory_bytes(),
        }
    })
}

/// The size of this worker's WebAssembly memory, in bytes.
fn wasm_memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size(0) as u64 * 65536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// Both customer-value fits: predictions from all data, and a validation whose holdout is
/// the chosen one or the last third of the data.
fn clv_response(settings: &crate::protocol::ClvSettings, started: f64) -> Response {
    use kpi_core::clv::analysis::{analyze, ClvOptions};
    with_prepared(|_, prepared, _| {
        let purchases = prepared.purchases();
        let name = |c: u32| prepared.customer_name(c).to_string();
        let base = ClvOptions {
            calibration_end: None,
            unit_days: settings.unit_days(),
            horizon: settings.horizon,
            discount_rate: settings.discount_rate,
            margin: settings.margin,
            top: 20,
        };
        let prediction = analyze(&purchases, &name, &base);
        let first = purchases.iter().map(|p| p.1).min();
        let last = purchases.iter().map(|p| p.1).max();
        let holdout = match kpi_core::ingest::values::parse_date(&settings.holdout_start) {
            kpi_core::ingest::values::DateCell::Day(d) => Some(d),
            _ => first.zip(last).map(|(a, b)| a + (b - a) * 2 / 3 + 1),
        };
        let validation = holdout
            .filter(|h| first.is_some_and(|f| *h > f + 1) && last.is_some_and(|l| *h <= l))
            .map(|h| {
                Box::new(analyze(
                    &purchases,
                    &name,
                    &ClvOptions {
                        calibration_end: Some(h - 1),
                        ..base.clone()
                    },
                ))
            });
        Response::Clv {
            prediction: Box::new(prediction),
            validation,
            elapsed_ms: now_ms() - started,
        }
    })
}

/// Post the report, then its breakdowns.
fn post_report(errors: Vec<FileError>, started: f64, generation: u64) {
    post(&report_response(errors, started));
    breakdowns_after(generation, 0);
}

/// Send the breakdowns of the last report, one dimension per task: between tasks the worker
/// reads its messages, so a new filter does not wait for the old view's breakdowns (they are
/// dropped when a newer request has arrived).
fn breakdowns_after(generation: u64, next: usize) {
    let task = Closure::once_into_js(move || {
        let Some(dim) = kpi_core::metrics::DIMENSIONS.get(next) else {
            return;
        };
        let current = STATE.with_borrow(|s| s.generation == generation && !s.data.files.is_empty());
        if !current {
            return;
        }
        let answer = with_prepared_reuse(|data, prepared, opts, reuse| {
            let split =
                kpi_core::metrics::dimension_breakdowns_reusing(data, prepared, opts, dim, reuse);
            Some(Response::Breakdowns {
                dimension: dim.to_string(),
                split,
                worker_memory: wasm_memory_bytes(),
            })
        });
        if let Some(answer) = answer {
            post(&answer);
            breakdowns_after(generation, next + 1);
        }
    });
    let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(task.unchecked_ref(), 0);
}

/// Import one source with the given overrides, posting progress as it goes. A big orders
/// file is read as two halves at once when a helper worker is there (`worker_halves`).
/// Also says whether it was read as two halves.
async fn import_source(
    name: &str,
    source: &Source,
    overrides: &Overrides,
) -> Result<(kpi_core::ImportedFile, bool), String> {
    import_source_with(name, source, overrides, true).await
}

/// [`import_source`], posting progress or not (the warm-up does not).
async fn import_source_with(
    name: &str,
    source: &Source,
    overrides: &Overrides,
    post_progress: bool,
) -> Result<(kpi_core::ImportedFile, bool), String> {
    let opts = import_options(overrides);
    match source {
        Source::Bytes(bytes) => kpi_core::import_bytes(name, bytes, &opts)
            .map(|f| (f, false))
            .map_err(|e| e.to_string()),
        Source::File(file) => {
            let total = file.size() as u64;
            if total > MAX_BROWSER_BYTES {
                return Err(format!(
                    "{} MB is more than this page can hold in a browser tab (about {} MB of CSV: its columns need roughly twice that in memory). The command line reads it on this computer, as privately: kpi-lens report \"{name}\" --format json",
                    total / 1_000_000,
                    MAX_BROWSER_BYTES / 1_000_000
                ));
            }
            let (started, mut last_post) = (now_ms(), 0.0);
            let mut progress = |done: u64, rows: u64, halves: bool| {
                let t = now_ms();
                if post_progress && t - last_post > 100.0 {
                    last_post = t;
                    post(&Response::Progress(crate::protocol::ImportProgress {
                        file_name: name.to_string(),
                        bytes_done: done,
                        bytes_total: total,
                        rows_done: rows,
                        elapsed_ms: t - started,
                        halves,
                        worker_memory: wasm_memory_bytes(),
                    }));
                }
                true
            };
            let two = crate::worker_halves::import_in_two(
                name,
                file,
                &opts,
                overrides,
                &mut |done, rows| progress(done, rows, true),
            )
            .await;
            if let Some(result) = two {
                return result.map(|f| (f, true));
            }
            // One pass, the browser reading the next slice while this one is parsed.
            let (reader, mut prefetcher) = crate::prefetch::prefetch(file.clone().into());
            // The first slice too comes from the reader thread (the sample is read from it).
            prefetcher.fill().await?;
            let mut session = kpi_core::ingest::ImportSession::start(name, reader, total, &opts)
                .map_err(|e| e.to_string())?;
            loop {
                prefetcher.fill().await?;
                // Batches of rows, each a fresh call (see `kpi_core::import_reader`).
                if !session.step(8_192).map_err(|e| e.to_string())? {
                    break;
                }
                progress(session.bytes_done(), session.rows_done(), false);
            }
            Ok((session.finish(), false))
        }
    }
}

/// Add sources to the dataset; those that fail are reported, not added.
async fn add_sources(sources: Vec<(String, Source)>, overrides: &Overrides) -> Vec<FileError> {
    let mut errors = Vec::new();
    for (name, source) in sources {
        let started = now_ms();
        let r = import_source(&name, &source, overrides).await;
        STATE.with_borrow_mut(|s| s.import_ms += now_ms() - started);
        match r {
            Ok((imported, halves)) => STATE.with_borrow_mut(|s| {
                s.data.add(imported);
                s.prepared = None;
                s.sources.push(source);
                s.overrides.push(overrides.clone());
                s.halves.push(halves);
            }),
            Err(message) => errors.push(FileError {
                file_name: name,
                message,
            }),
        }
    }
    errors
}

/// Import file `index` again with new overrides; on failure the old import stays.
async fn reimport(index: usize, overrides: Overrides) -> Vec<FileError> {
    let Some((name, source)) = STATE.with_borrow(|s| {
        s.data
            .files
            .get(index)
            .map(|f| (f.summary.file_name.clone(), s.sources[index].clone()))
    }) else {
        return vec![FileError {
            file_name: String::new(),
            message: format!("no file number {index}"),
        }];
    };
    let started = now_ms();
    let result = import_source(&name, &source, &overrides).await;
    STATE.with_borrow_mut(|s| s.import_ms += now_ms() - started);
    match result {
        Ok((imported, halves)) => {
            STATE.with_borrow_mut(|s| {
                s.data.files[index] = imported;
                s.prepared = None;
                s.overrides[index] = overrides;
                s.halves[index] = halves;
            });
            vec![]
        }
        Err(message) => vec![FileError {
            file_name: name,
            message: format!("{message} (the previous reading of the file is kept)"),
        }],
    }
}

async fn handle(ev: MessageEvent) {
    let generation = STATE.with_borrow_mut(|s| {
        s.generation += 1;
        s.import_ms = 0.0;
        s.generation
    });
    let started = now_ms();
    let data = ev.data();
    let msg = js_sys::Reflect::get(&data, &"msg".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default();
    let request: Request = match serde_json::from_str(&msg) {
        Ok(r) => r,
        Err(e) => {
            return post(&Response::Error {
                message: format!("bad request: {e}"),
            })
        }
    };
    match request {
        Request::Import { overrides } => {
            let files: Vec<File> = js_sys::Reflect::get(&data, &"files".into())
                .ok()
                .map(|f| js_sys::Array::from(&f))
                .map(|a| a.iter().filter_map(|f| f.dyn_into::<File>().ok()).collect())
                .unwrap_or_default();
            let sources = files
                .into_iter()
                .map(|f| (f.name(), Source::File(f)))
                .collect();
            let errors = add_sources(sources, &overrides).await;
            post_report(errors, started, generation);
        }
        Request::Clv { settings } => post(&clv_response(&settings, started)),
        Request::Paste { name, text } => {
            let source = Source::Bytes(std::rc::Rc::new(text.into_bytes()));
            let errors = add_sources(vec![(name, source)], &Overrides::default()).await;
            post_report(errors, started, generation);
        }
        Request::Demo => {
            STATE.with_borrow_mut(|s| {
                s.data = Dataset::default();
                s.prepared = None;
                s.sources.clear();
                s.overrides.clear();
                s.halves.clear();
            });
            let sources = kpi_core::demo::demo_dataset(kpi_core::demo::DEMO_SEED)
                .into_iter()
                .map(|(name, csv)| {
                    (
                        name.to_string(),
                        Source::Bytes(std::rc::Rc::new(csv.into_bytes())),
                    )
                })
                .collect();
            let errors = add_sources(sources, &Overrides::default()).await;
            post_report(errors, started, generation);
        }
        Request::Reimport { index, overrides } => {
            let errors = reimport(index, overrides).await;
            post_report(errors, started, generation);
        }
        Request::Remove { index } => {
            STATE.with_borrow_mut(|s| {
                if index < s.data.files.len() {
                    s.data.files.remove(index);
                    s.prepared = None;
                    s.sources.remove(index);
                    s.overrides.remove(index);
                    s.halves.remove(index);
                }
            });
            post_report(vec![], started, generation);
        }
        Request::Recompute { view } => {
            let day = |s: &str| match kpi_core::ingest::values::parse_date(s) {
                kpi_core::ingest::values::DateCell::Day(d) => Some(d),
                _ => None,
            };
            STATE.with_borrow_mut(|s| {
                s.opts.granularity = view.granularity.parse().unwrap_or(Granularity::Month);
                s.opts.from = day(&view.from);
                s.opts.to = day(&view.to);
                s.opts.filters = view.filters.clone();
                s.opts.online_launch = day(&view.launch);
            });
            post_report(vec![], started, generation);
        }
        Request::Rejected { index } => {
            let answer = STATE.with_borrow(|s| {
                s.data.files.get(index).map(|f| Response::RejectedCsv {
                    file_name: f.summary.file_name.clone(),
                    csv: kpi_core::ingest::rejected_csv(&f.rejected),
                })
            });
            post(&answer.unwrap_or(Response::Error {
                message: format!("no file number {index}"),
            }));
        }
        Request::Clear => {
            STATE.with_borrow_mut(|s| {
                s.data = Dataset::default();
                s.prepared = None;
                s.sources.clear();
                s.overrides.clear();
                s.halves.clear();
            });
            post_report(vec![], started, generation);
        }
    }
}

thread_local! {
    /// Requests not yet handled, in arrival order, and whether one is being handled: a
    /// request may wait (for the helper's half of a file), and the next must wait for it.
    static QUEUE: RefCell<std::collections::VecDeque<MessageEvent>> = RefCell::default();
    static HANDLING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn enqueue(ev: MessageEvent) {
    QUEUE.with_borrow_mut(|q| q.push_back(ev));
    if HANDLING.replace(true) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        while let Some(ev) = QUEUE.with_borrow_mut(|q| q.pop_front()) {
            handle(ev).await;
        }
        HANDLING.set(false);
    });
}

/// Rows of the generated orders file the worker imports once when it starts.
const WARM_UP_ROWS: usize = 40_000;

/// Import a small generated orders file and compute its report, and send that to the page
/// to draw once out of sight (`Response::WarmUp`; the page's code is as cold as ours): a
/// WebAssembly engine runs a function's baseline code until it has been called enough and
/// compiled again, so the first big file a person drops ran ~1.6x slower than the second
/// (Chromium, 1M rows: reading 1.12 s, then 0.72 s). The file goes the way a dropped file
/// goes (a `File`, its slices, the same generic code): warmed through `import_bytes`
/// instead, a trace still showed the first 8 MB of a real file in baseline code (the
/// row loop over a `File`'s reader is other machine code than over bytes). Done before the
/// worker says it is ready (a file given meanwhile waits, see `worker_client`).
async fn warm_up() {
    let mut bytes = Vec::new();
    if kpi_core::demo::write_bench_orders(&mut bytes, WARM_UP_ROWS, 1).is_err() {
        return;
    }
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let Ok(file) = File::new_with_u8_array_sequence(&parts, "warm-up.csv") else {
        return;
    };
    drop(bytes);
    let source = Source::File(file);
    let imported = import_source_with("warm-up.csv", &source, &Overrides::default(), false).await;
    if let Ok((file, _)) = imported {
        let mut data = Dataset::default();
        data.add(file);
        let prepared = kpi_core::Prepared::new(&data);
        let opts = ReportOptions {
            breakdowns: false,
            ..ReportOptions::default()
        };
        let mut reuse = kpi_core::Reuse::default();
        let report = kpi_core::compute_reusing(&data, &prepared, &opts, &mut reuse);
        // The view changes too, over the same `Reuse`: a new period, one salesperson, back
        // to all. A function called once per report runs its baseline code through the
        // whole call (no on-stack replacement in wasm), and without these the first change
        // of a real file ran partly in it: 1M rows, a quarterly view's first computation
        // took 24-26 ms against 13-14 ms for the same one again (Chromium).
        for view in kpi_core::demo::bench_view_changes(&opts, "Rep 01") {
            std::hint::black_box(kpi_core::compute_reusing(
                &data, &prepared, &view, &mut reuse,
            ));
        }
        // Through the same encoding as a real report, which warms that too.
        post(&Response::WarmUp {
            report: Box::new(report),
        });
    }
}

/// Install the message handler and tell the page (or, for the helper, the worker) we are
/// ready.
pub fn start() {
    if crate::worker_halves::is_helper() {
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(crate::worker_halves::answer_part);
        scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        crate::worker_halves::say_ready();
        return;
    }
    crate::worker_halves::spawn_helper();
    crate::slice_reader::spawn();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(enqueue);
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    onmessage.forget();
    wasm_bindgen_futures::spawn_local(async {
        warm_up().await;
        post(&Response::Ready);
    });
}
