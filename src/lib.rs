//! KPI Lens web app: a Leptos page (main thread) and a Web Worker (parse and compute).
//! Both bins are thin entry points into this library.

pub mod app;
pub mod components;
pub mod embed;
pub mod format;
pub mod i18n;
pub mod offline;
pub mod prefetch;
pub mod protocol;
pub mod remember;
pub mod slice_reader;
pub mod worker;
pub mod worker_client;
pub mod worker_halves;

pub use app::App;
