//! A report computed reusing the cohorts and customer scores of the view before is the
//! report computed afresh, byte for byte, whatever the sequence of views.

use kpi_core::ingest::values::{parse_date, DateCell};
use kpi_core::report::Granularity;
use kpi_core::{
    compute_prepared, compute_reusing, import_bytes, Dataset, ImportOptions, Prepared,
    ReportOptions, Reuse,
};

fn day(s: &str) -> Option<i32> {
    match parse_date(s) {
        DateCell::Day(d) => Some(d),
        _ => panic!("{s} is not a date"),
    }
}

fn demo() -> Dataset {
    let mut data = Dataset::default();
    for (name, csv) in kpi_core::demo::demo_dataset(7) {
        data.add(import_bytes(name, csv.as_bytes(), &ImportOptions::default()).unwrap());
    }
    data
}

#[test]
fn reused_parts_give_the_fresh_report_for_every_view_in_turn() {
    let data = demo();
    let prepared = Prepared::new(&data);
    let view = |granularity, from: Option<&str>, to: Option<&str>, filters: &[(&str, &str)]| {
        ReportOptions {
            granularity,
            from: from.and_then(day),
            to: to.and_then(day),
            filters: filters
                .iter()
                .map(|(d, v)| (d.to_string(), v.to_string()))
                .collect(),
            breakdowns: true,
            ..ReportOptions::default()
        }
    };
    let salesperson = prepared_salesperson(&data);
    let views = [
        view(Granularity::Month, None, None, &[]),
        view(Granularity::Quarter, None, None, &[]),
        view(Granularity::Year, None, None, &[]),
        // A range that does not start on a period's first day: it snaps differently.
        view(Granularity::Month, None, None, &[]),
        view(
            Granularity::Quarter,
            Some("2024-02-10"),
            Some("2024-11-20"),
            &[],
        ),
        view(
            Granularity::Month,
            Some("2024-02-10"),
            Some("2024-11-20"),
            &[],
        ),
        view(
            Granularity::Month,
            None,
            None,
            &[("salesperson", &salesperson)],
        ),
        view(
            Granularity::Quarter,
            None,
            None,
            &[("salesperson", &salesperson)],
        ),
        view(Granularity::Quarter, None, None, &[("channel", "web")]),
        view(Granularity::Month, None, None, &[]),
    ];
    let mut reuse = Reuse::default();
    let mut reused_some = false;
    for (i, opts) in views.iter().enumerate() {
        let fresh = serde_json::to_string(&compute_prepared(&data, &prepared, opts)).unwrap();
        let before = format!("{reuse:?}");
        let reusing =
            serde_json::to_string(&compute_reusing(&data, &prepared, opts, &mut reuse)).unwrap();
        reused_some |= before == format!("{reuse:?}");
        assert_eq!(reusing, fresh, "view {i}: {opts:?}");
    }
    // The sequence does exercise a reuse (month -> quarter over the same range).
    assert!(reused_some);
}

/// A salesperson who has orders in the demo data.
fn prepared_salesperson(data: &Dataset) -> String {
    let report = kpi_core::compute(data, &ReportOptions::default());
    let revenue = report.kpis.iter().find(|k| k.id == "revenue").unwrap();
    revenue.breakdowns["salesperson"][0].key.clone()
}
