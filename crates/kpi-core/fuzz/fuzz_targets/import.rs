//! Any bytes into the importer, then the whole report: nothing may panic, and every row
//! read must be accounted for (kept, rejected or merged into an order).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = kpi_core::import_bytes("fuzz.csv", data, &Default::default()) {
        let s = &file.summary;
        assert_eq!(s.rows_ok + s.rows_rejected + s.order_lines_merged, s.rows_read);
        let mut dataset = kpi_core::Dataset::default();
        dataset.add(file);
        let _ = kpi_core::compute(&dataset, &Default::default());
    }
});
