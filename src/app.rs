//! The root component: owns the page state and the worker, lays out the page.

use crate::components::customer_value::{ClvResult, CustomerValueView};
use crate::components::{
    dashboard::Dashboard, drop_zone::DropZone, import_list::ImportList, paste_box::PasteBox,
    privacy_badge::PrivacyBadge, progress_bar::ProgressBar,
};
use crate::i18n::{browser_lang, set_lang, tr, Lang, LangSignal};
use crate::protocol::{FileError, ImportProgress, Overrides, Request, Response, View};
use crate::worker_client::{download_text, WorkerClient};
use kpi_core::report::{Report, Slice};
use leptos::prelude::*;
use std::sync::Arc;
use web_sys::File;

/// The current report, shared: the page's parts read it without copying it (a report is
/// ~60 KPIs with their series; a dozen copies of it per report were a visible part of the
/// page's work when a view changed).
pub type SharedReport = Arc<Report>;

/// What the page is doing; mirrored in the root's `data-state` for people and scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageState {
    Empty,
    Loading,
    Ready,
    Error,
}

impl PageState {
    pub fn as_str(self) -> &'static str {
        match self {
            PageState::Empty => "empty",
            PageState::Loading => "loading",
            PageState::Ready => "ready",
            PageState::Error => "error",
        }
    }
}

/// Which charts may be drawn yet (see `App`): after a report the numbers show first, then
/// the charts come in stages, one task each, so no single long task delays the first paint
/// or a click. Read through `use_context`.
#[derive(Clone, Copy)]
pub struct ChartsReady(pub ReadSignal<u8>);

impl ChartsReady {
    /// The sparklines of the cards.
    pub const SPARKLINES: u8 = 1;
    /// The revenue chart.
    pub const REVENUE: u8 = 2;
    /// The trend charts (orders, AOV, channel mix, churn).
    pub const TRENDS: u8 = 3;
    /// The rest (funnels, leaderboard, NPS, cohorts).
    pub const REST: u8 = 4;

    /// May stage `stage` be drawn? True when there is no such context (a component used
    /// alone).
    pub fn at(stage: u8) -> bool {
        use_context::<ChartsReady>().is_none_or(|c| c.0.get() >= stage)
    }

    /// True from the first time `stage` opens on: what mounts then stays mounted across
    /// later reports, and is redrawn in place from a [`ChartsReady::staged`] value.
    pub fn opened(stage: u8) -> Memo<bool> {
        Memo::new(move |before: Option<&bool>| before.copied().unwrap_or(false) || Self::at(stage))
    }

    /// `value()` as of the last time `stage` was open: `None` before it first opens, then
    /// each new value once the stage opens for it. While a newer report waits for the
    /// stage, the parts that read this keep showing what they drew for the one before,
    /// instead of being removed with the report's task and built again later (a view change
    /// spent 4-7 ms of that task removing the charts, 1M rows in Chromium).
    pub fn staged<T: PartialEq + Send + Sync + 'static>(
        stage: u8,
        value: impl Fn() -> Option<T> + Send + Sync + 'static,
    ) -> Memo<Option<T>> {
        Memo::new_owning(move |last: Option<Option<T>>| {
            if Self::at(stage) {
                let new = value();
                let changed = last.as_ref() != Some(&new);
                (new, changed)
            } else {
                (last.flatten(), false)
            }
        })
    }
}

/// The report as the parts drawn at `stage` see it (see [`ChartsReady::staged`]); a new
/// report is a new `Arc`, so comparing pointers says whether it changed.
pub fn staged_report(
    report: Signal<Option<SharedReport>>,
    stage: u8,
) -> Signal<Option<SharedReport>> {
    Memo::new_owning(move |last: Option<Option<SharedReport>>| {
        if ChartsReady::at(stage) {
            let new = report.get();
            let changed = match (last.as_ref(), new.as_ref()) {
                (Some(Some(a)), Some(b)) => !Arc::ptr_eq(a, b),
                (Some(None), None) => false,
                _ => true,
            };
            (new, changed)
        } else {
            (last.flatten(), false)
        }
    })
    .into()
}

/// Open the chart stages one task after another (a later report stops an older chain).
fn open_chart_stages(set: WriteSignal<u8>, tick: ReadSignal<u32>, mine: u32, stage: u8) {
    if tick.get_untracked() != mine || stage > ChartsReady::REST {
        return;
    }
    set.set(stage);
    set_timeout(
        move || open_chart_stages(set, tick, mine, stage + 1),
        std::time::Duration::ZERO,
    );
}

/// Draw the worker's warm-up report once into an element outside the document, then drop
/// it. A WebAssembly engine compiles a function on its first call, and runs that baseline
/// code until it has been called often enough: the first report a page received took 72-109
/// ms from its message to the cards (its JSON alone 12-35 ms), a report after the demo data
/// 15-24 ms (1M rows, Chromium). Built and dropped within one task, in an element no
/// document holds: nothing of it is ever seen, found by a selector, or sent anywhere.
fn warm_up_render(report: Report, lang: LangSignal) {
    use wasm_bindgen::JsCast;
    let Some(parent) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("div").ok())
    else {
        return;
    };
    let handle = leptos::mount::mount_to(parent.unchecked_into(), move || {
        provide_context(lang);
        // Every stage at once: the charts' code is warmed too.
        let (stage, _) = signal(ChartsReady::REST);
        provide_context(ChartsReady(stage));
        let (full_report, _) = signal(Some(report.clone()));
        let (report, _) = signal(Some(Arc::new(report)));
        let (late, _) = signal(LateBreakdowns::new());
        let (view, _) = signal(View::from_hash(""));
        view! {
            <Dashboard
                report=report
                full_report=full_report
                late=late
                view=view
                on_view=Callback::new(|_| {})
                elapsed_ms=Signal::derive(|| None)
            />
        }
    });
    drop(handle);
}

/// Catalogue breakdowns that arrive after their report: dimension -> KPI id -> slices.
pub type LateBreakdowns =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<Slice>>>;

#[component]
pub fn App() -> impl IntoView {
    crate::offline::register_service_worker();
    // Open localStorage now, while the page waits for files: the first read of a page is a
    // synchronous trip to the browser process (up to ~12 ms in a trace of a 1M-row import,
    // between the report's arrival and the cards, where a new report's effect looks for
    // remembered choices); later reads come from the page's own copy.
    let _ = crate::remember::enabled();
    let lang = LangSignal(RwSignal::new(Lang::En));
    provide_context(lang);
    // Charts and sparklines are drawn a frame after the cards: the numbers show first.
    let (charts_ready, set_charts_ready) = signal(0u8);
    provide_context(ChartsReady(charts_ready));
    set_lang(lang, browser_lang());
    let (state, set_state) = signal(PageState::Empty);
    let (report, set_report) = signal(None::<SharedReport>);
    let (errors, set_errors) = signal(Vec::<FileError>::new());
    let (progress, set_progress) = signal(None::<ImportProgress>);
    let (notice, set_notice) = signal(None::<String>);
    // The breakdowns of the catalogue KPIs arrive after the report (see the worker).
    let (breakdowns_done, set_breakdowns_done) = signal(false);
    // Kept beside the report, not in it: the cards do not redraw when they arrive.
    let (late, set_late) = signal(LateBreakdowns::new());
    let (clv, set_clv) = signal(None::<ClvResult>);
    let (clv_busy, set_clv_busy) = signal(false);
    let (elapsed_ms, set_elapsed_ms) = signal(None::<crate::protocol::Timing>);
    let (file_overrides, set_file_overrides) = signal(Vec::<Overrides>::new());
    let (file_halves, set_file_halves) = signal(Vec::<bool>::new());
    // `data-worker`: "ready" once the worker has started (scripts and benchmarks may wait
    // for it; files dropped before are queued, not lost).
    let (worker_ready, set_worker_ready) = signal(false);
    // `data-reader`: where the worker reads files' slices ("thread": a reader thread of its
    // own; "worker": in the worker, slower; "starting" until the worker says).
    let (reader, set_reader) = signal("starting");
    // `data-worker-memory`: bytes of the worker's WebAssembly memory at its last answer or
    // progress message (what a host or a benchmark reads to see what a file costs; 0
    // before any).
    let (worker_memory, set_worker_memory) = signal(0u64);
    // For the privacy badge: when data was first opened, and a tick per report.
    let (import_started_ms, set_import_started_ms) = signal(None::<f64>);
    let (report_tick, set_report_tick) = signal(0u32);
    let mark_import = move || {
        if import_started_ms.get_untracked().is_none() {
            let now = web_sys::window()
                .and_then(|w| w.performance())
                .map(|p| p.now());
            set_import_started_ms.set(now);
        }
    };

    let client = WorkerClient::spawn(move |resp| match resp {
        Response::Ready => set_worker_ready.set(true),
        Response::WarmUp { report } => warm_up_render(*report, lang),
        Response::Reader { thread } => set_reader.set(if thread { "thread" } else { "worker" }),
        Response::Progress(p) => {
            set_worker_memory.set(p.worker_memory);
            set_progress.set(Some(p));
        }
        Response::Report {
            report,
            overrides,
            halves,
            errors,
            elapsed_ms,
            import_ms,
            compute_ms,
            worker_memory,
        } => {
            set_worker_memory.set(worker_memory);
            set_file_overrides.set(overrides);
            set_file_halves.set(halves);
            set_breakdowns_done.set(false);
            set_late.set(LateBreakdowns::new());
            set_report_tick.update(|t| *t += 1);
            let has_data = !report.imports.is_empty();
            let failed = !errors.is_empty() && !has_data;
            set_charts_ready.set(0);
            set_report.set(Some(Arc::new(*report)));
            let mine = report_tick.get_untracked();
            request_animation_frame(move || {
                set_timeout(
                    move || open_chart_stages(set_charts_ready, report_tick, mine, 1),
                    std::time::Duration::ZERO,
                )
            });
            set_errors.set(errors);
            set_progress.set(None);
            set_elapsed_ms.set(Some(crate::protocol::Timing {
                total_ms: elapsed_ms,
                import_ms,
                compute_ms,
            }));
            set_state.set(match (failed, has_data) {
                (true, _) => PageState::Error,
                (false, true) => PageState::Ready,
                (false, false) => PageState::Empty,
            });
        }
        Response::Breakdowns {
            dimension,
            split,
            worker_memory,
        } => {
            set_worker_memory.set(worker_memory);
            let last = kpi_core::metrics::DIMENSIONS.last() == Some(&dimension.as_str());
            set_late.update(|l| {
                l.insert(dimension, split);
            });
            if last {
                set_breakdowns_done.set(true);
            }
        }
        Response::Clv {
            prediction,
            validation,
            elapsed_ms,
        } => {
            set_clv_busy.set(false);
            set_clv.set(Some(ClvResult {
                prediction: *prediction,
                validation: validation.map(|v| *v),
                elapsed_ms,
            }));
        }
        Response::RejectedCsv { file_name, csv } => {
            let name = format!("{}.rejected.csv", file_name.trim_end_matches(".csv"));
            let _ = download_text(&name, "text/csv", &csv);
        }
        Response::Error { message } => {
            set_errors.set(vec![FileError {
                file_name: String::new(),
                message,
            }]);
            set_progress.set(None);
            set_state.set(PageState::Error);
        }
    });
    let client = StoredValue::new_local(client);
    let send = move |request: Request, files: Vec<File>| {
        // Customer value describes the data it was computed from: forget it when that changes.
        if !matches!(
            request,
            Request::Recompute { .. } | Request::Rejected { .. } | Request::Clv { .. }
        ) {
            set_clv.set(None);
        }
        client.with_value(|c| match c {
            Ok(c) => c.send(&request, &files),
            Err(message) => {
                set_errors.set(vec![FileError {
                    file_name: String::new(),
                    message: message.clone(),
                }]);
                set_state.set(PageState::Error);
            }
        })
    };

    let on_cancel = Callback::new(move |()| {
        let restored =
            client.with_value(|c| c.as_ref().map_err(|e| e.clone()).and_then(|c| c.cancel()));
        set_progress.set(None);
        match restored {
            Ok(true) => set_notice.set(Some(
                "Cancelled. The files read before are being restored.".into(),
            )),
            Ok(false) => {
                set_notice.set(Some("Cancelled.".into()));
                set_report.set(None);
                set_state.set(PageState::Empty);
            }
            Err(message) => {
                set_errors.set(vec![FileError {
                    file_name: String::new(),
                    message,
                }]);
                set_state.set(PageState::Error);
            }
        }
    });
    let on_files = Callback::new(move |files: Vec<File>| {
        if files.is_empty() {
            return;
        }
        set_notice.set(None);
        mark_import();
        set_state.set(PageState::Loading);
        send(
            Request::Import {
                overrides: Overrides::default(),
            },
            files,
        );
    });
    let on_paste = Callback::new(move |(name, text): (String, String)| {
        mark_import();
        set_notice.set(None);
        set_state.set(PageState::Loading);
        send(Request::Paste { name, text }, vec![]);
    });
    // The report with every breakdown in: what exports carry (equal to the CLI's report).
    let full_report = Signal::derive(move || {
        report.get().map(|r| {
            let mut r = Report::clone(&r);
            let late = late.get();
            for k in r.kpis.iter_mut() {
                for (dim, split) in &late {
                    if let Some(slices) = split.get(&k.id) {
                        k.breakdowns
                            .entry(dim.clone())
                            .or_insert_with(|| slices.clone());
                    }
                }
            }
            r
        })
    });
    let on_demo = Callback::new(move |()| {
        mark_import();
        set_state.set(PageState::Loading);
        send(Request::Demo, vec![]);
    });
    // The view (period, range, filters) lives in the URL hash: a bookmark or a link keeps it,
    // and no data ever goes there.
    let location = web_sys::window().map(|w| w.location());
    let initial = location
        .as_ref()
        .and_then(|l| l.hash().ok())
        .map(|h| View::from_hash(&h))
        .unwrap_or_else(|| View::from_hash(""));
    let (view, set_view) = signal(initial.clone());
    if initial != View::from_hash("") {
        send(Request::Recompute { view: initial }, vec![]);
    }
    let on_view = Callback::new(move |v: View| {
        // The request first: the worker computes while the page updates the hash and the
        // toolbar (4 ms of a view change's 50, 1M rows in Chromium, were the worker waiting).
        send(Request::Recompute { view: v.clone() }, vec![]);
        if let Some(l) = web_sys::window().map(|w| w.location()) {
            let _ = l.set_hash(&v.to_hash());
        }
        set_view.set(v);
    });
    let on_clv = Callback::new(move |settings: crate::protocol::ClvSettings| {
        set_clv_busy.set(true);
        send(Request::Clv { settings }, vec![]);
    });
    let on_download_rejected = Callback::new(move |index: usize| {
        send(Request::Rejected { index }, vec![]);
    });
    let on_override = Callback::new(move |(index, overrides): (usize, Overrides)| {
        // Kept for files with the same headers only if the person switched that on.
        if let Some(summary) = report
            .get_untracked()
            .and_then(|r| r.imports.get(index).cloned())
        {
            crate::remember::remember(&summary.headers, &overrides);
        }
        set_state.set(PageState::Loading);
        send(Request::Reimport { index, overrides }, vec![]);
    });
    // A new file whose headers have remembered choices is read again with them.
    Effect::new(move |_| {
        let (Some(r), overrides) = (report.get(), file_overrides.get()) else {
            return;
        };
        for (index, summary) in r.imports.iter().enumerate() {
            let untouched = overrides
                .get(index)
                .is_none_or(|o| *o == Overrides::default());
            if let Some(remembered) = untouched
                .then(|| crate::remember::recall(&summary.headers))
                .flatten()
            {
                set_state.set(PageState::Loading);
                send(
                    Request::Reimport {
                        index,
                        overrides: remembered,
                    },
                    vec![],
                );
            }
        }
    });
    let on_remove = Callback::new(move |index: usize| {
        send(Request::Remove { index }, vec![]);
    });
    let on_clear = Callback::new(move |()| {
        send(Request::Clear, vec![]);
    });

    // Embedding: files posted by an allowed host page, the report posted back to it once
    // its breakdowns are in (the same JSON as `kpi-lens report --format json`).
    let embed = crate::embed::config();
    let reply_to = StoredValue::new(None::<String>);
    if !embed.allowed_origins.is_empty() {
        crate::embed::listen(&embed, move |files, origin| {
            reply_to.set_value(Some(origin));
            // The host's files replace whatever is open: a host page only ever gets the
            // report of the files it sent itself, never of files a person dropped in the frame.
            send(Request::Clear, vec![]);
            on_files.run(files);
        });
    }
    Effect::new(move |_| {
        let ready = state.get() == PageState::Ready && breakdowns_done.get();
        let failed = state.get() == PageState::Error;
        if !(ready || failed) {
            return;
        }
        let Some(origin) = reply_to.get_value() else {
            return;
        };
        reply_to.set_value(None);
        let msg = if ready {
            let json = full_report
                .get_untracked()
                .and_then(|r| serde_json::to_string(&r).ok())
                .and_then(|t| js_sys::JSON::parse(&t).ok())
                .unwrap_or(wasm_bindgen::JsValue::NULL);
            crate::embed::message("kpi-lens:report", "report", json)
        } else {
            let text = errors
                .get_untracked()
                .iter()
                .map(|e| format!("{} {}", e.file_name, e.message))
                .collect::<Vec<_>>()
                .join("; ");
            crate::embed::message("kpi-lens:error", "message", text.into())
        };
        crate::embed::post_to_host(&origin, &msg);
    });
    let compact = embed.compact;
    let has_data =
        Memo::new(move |_| report.with(|r| r.as_ref().is_some_and(|r| !r.imports.is_empty())));
    let below_opened = ChartsReady::opened(ChartsReady::SPARKLINES);
    let below = staged_report(report.into(), ChartsReady::SPARKLINES);

    view! {
        <main
            class="app"
            class:embed=compact
            data-state=move || state.get().as_str()
            data-breakdowns=move || if breakdowns_done.get() { "done" } else { "pending" }
            data-worker=move || if worker_ready.get() { "ready" } else { "starting" }
            data-reader=move || reader.get()
            data-worker-memory=move || worker_memory.get().to_string()
        >
            <header class="top">
                <h1>"KPI Lens"</h1>
                <p class="tagline">
                    {move || tr("B2B e-commerce KPIs from your CSV exports. ")}
                    <strong>{move || tr("Processed locally: your files never leave this computer.")}</strong>
                </p>
                <label class="lang">
                    <span>{move || tr("Language")}</span>
                    <select
                        id="lang"
                        on:change:target=move |ev| {
                            set_lang(lang, Lang::from_tag(&ev.target().value()))
                        }
                    >
                        <option value="en" selected=move || lang.0.get() == Lang::En>"English"</option>
                        <option value="it" selected=move || lang.0.get() == Lang::It>"Italiano"</option>
                    </select>
                </label>
                <PrivacyBadge tick=report_tick import_started_ms=import_started_ms />
            </header>
            <DropZone on_files=on_files on_demo=on_demo on_clear=on_clear />
            <PasteBox on_paste=on_paste />
            <ProgressBar
                busy=Signal::derive(move || state.get() == PageState::Loading)
                progress=progress
                on_cancel=on_cancel
            />
            {move || notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <Show when=move || !errors.get().is_empty()>
                <section class="errors" role="alert">
                    {move || {
                        errors
                            .get()
                            .into_iter()
                            .map(|e| {
                                view! {
                                    <p class="error">
                                        <strong>{e.file_name}</strong>
                                        " "
                                        {e.message}
                                    </p>
                                }
                            })
                            .collect_view()
                    }}
                </section>
            </Show>
            <Dashboard
                report=report
                full_report=full_report
                late=late
                view=view
                on_view=on_view
                elapsed_ms=elapsed_ms
            />
            // Below the numbers: built a task after them the first time, then kept and
            // updated in place from the report as that stage sees it (see `ChartsReady`).
            <Show when=move || below_opened.get()>
                <Show when=move || has_data.get()>
                    <CustomerValueView report=below result=clv busy=clv_busy on_compute=on_clv />
                </Show>
                <ImportList
                    report=below
                    overrides=file_overrides
                    halves=file_halves
                    on_download_rejected=on_download_rejected
                    on_override=on_override
                    on_remove=on_remove
                />
            </Show>
        </main>
    }
}
