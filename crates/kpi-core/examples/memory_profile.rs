//! Heap in use, and its peak, at each step the browser's worker takes for one orders file:
//! streaming import, arranging, the report, then each dimension's breakdowns. A WebAssembly
//! memory never shrinks, so the peak here (plus the allocator's slack) is what the worker's
//! memory grows to (`data-worker-memory` on the page).
//!
//!     cargo run --release -p kpi-core --example memory_profile FILE.csv
use kpi_core::{
    compute_reusing, import_reader, Dataset, ImportOptions, Prepared, ReportOptions, Reuse,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;
static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(now, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A move keeps both blocks for a moment, as a WebAssembly allocator must.
        let now = IN_USE.fetch_add(new_size, Relaxed) + new_size;
        PEAK.fetch_max(now, Relaxed);
        IN_USE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: memory_profile FILE.csv");
    let size = std::fs::metadata(&path).expect("file").len();
    let mib = |b: usize| b as f64 / 1048576.0;
    let rows = std::cell::Cell::new(1u64);
    let step = |name: &str| {
        let (now, peak) = (IN_USE.load(Relaxed), PEAK.load(Relaxed));
        println!(
            "{name:<26} in use {:6.1} MiB ({:5.1} B/row, {:.2}x the file), peak {:6.1} MiB ({:.2}x)",
            mib(now),
            now as f64 / rows.get() as f64,
            now as f64 / size as f64,
            mib(peak),
            peak as f64 / size as f64
        );
    };
    let file = std::io::BufReader::with_capacity(8 << 20, std::fs::File::open(&path).unwrap());
    let imported = import_reader(&path, file, size, &ImportOptions::default(), &mut |_, _| {
        true
    })
    .expect("import");
    rows.set(imported.summary.rows_ok.max(1));
    println!("{path}: {size} bytes, {} rows", rows.get());
    step("imported");
    let mut data = Dataset::default();
    data.add(imported);
    let prepared = Prepared::new(&data);
    step("arranged (Prepared)");
    let opts = ReportOptions {
        breakdowns: false,
        ..Default::default()
    };
    let mut reuse = Reuse::default();
    let report = compute_reusing(&data, &prepared, &opts, &mut reuse);
    std::hint::black_box(&report);
    step("report");
    for dim in kpi_core::metrics::DIMENSIONS {
        let split = kpi_core::metrics::dimension_breakdowns_reusing(
            &data, &prepared, &opts, dim, &mut reuse,
        );
        std::hint::black_box(&split);
        step(&format!("breakdowns by {dim}"));
    }
}
