//! The fixture files under `tests/fixtures/`, with every expected value worked out by hand.

use kpi_core::ingest::values::{DateOrder, DecimalSeparator};
use kpi_core::{compute, import_bytes, Dataset, ImportOptions, Report, ReportOptions};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn report_of(name: &str, opts: &ImportOptions) -> Report {
    let imported = import_bytes(name, &fixture(name), opts).expect("imports");
    let mut data = Dataset::default();
    data.add(imported);
    compute(&data, &ReportOptions::default())
}

fn value(r: &Report, id: &str) -> f64 {
    r.kpi(id)
        .and_then(|k| k.value)
        .unwrap_or_else(|| panic!("{id} has no value"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn basic_orders_by_hand() {
    let r = report_of("orders_basic.csv", &ImportOptions::default());
    // 100 + 250.50 + 75.25 + 1200 + 49.99 + 310 + 89.90 + 15 + 640.10 + 0.01
    assert!(close(value(&r, "revenue"), 2730.75));
    assert_eq!(value(&r, "orders"), 10.0);
    // C1..C6
    assert_eq!(value(&r, "customers"), 6.0);
    assert!(close(value(&r, "aov"), 273.075));
    // C1 (3 orders), C2 (2), C3 (2) of 6
    assert!(close(value(&r, "repeat_customer_rate"), 0.5));
    let series: Vec<(String, f64)> = r
        .kpi("revenue")
        .unwrap()
        .series
        .iter()
        .map(|p| (p.period.clone(), p.value.unwrap()))
        .collect();
    // Jan: 100 + 250.50; Feb: 75.25 + 1200 + 49.99; Mar: 310 + 89.90 + 15 + 640.10; Apr: 0.01
    let expected = [
        ("2024-01", 350.5),
        ("2024-02", 1325.24),
        ("2024-03", 1055.0),
        ("2024-04", 0.01),
    ];
    assert_eq!(series.len(), expected.len());
    for ((p, v), (ep, ev)) in series.iter().zip(expected) {
        assert_eq!(p, ep);
        assert!(close(*v, ev), "{p}: {v} vs {ev}");
    }
    // The range covers whole months: first order 2024-01-05, last 2024-04-02.
    assert_eq!(r.from.as_deref(), Some("2024-01-01"));
    assert_eq!(r.to.as_deref(), Some("2024-04-30"));
}

#[test]
fn messy_orders_keep_every_row_accounted_for() {
    let r = report_of("orders_messy.csv", &ImportOptions::default());
    let s = &r.imports[0];
    assert_eq!(s.rows_read, 10);
    assert_eq!(
        s.rows_ok + s.rows_rejected + s.order_lines_merged,
        s.rows_read
    );
    assert_eq!(s.rows_rejected, 4);
    assert_eq!(s.duplicates, 1);
    let lines: Vec<u64> = s.rejected_preview.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![4, 5, 7, 10]);
    assert!(s.rejected_preview[2]
        .reason
        .contains("duplicate order_id \"A-2\" (first on line 3)"));
    // Completed: A-1 1,200.00 + A-2 300.00 (shipped) + A-7 2,500.50 + A-8 400.00 (Evaso);
    // A-5 is cancelled and A-6 returned.
    assert!(close(value(&r, "revenue"), 4400.5));
    assert_eq!(value(&r, "orders"), 4.0);
    // ACME, DELTA, BETA; only ACME ordered twice.
    assert_eq!(value(&r, "customers"), 3.0);
    assert!(close(value(&r, "repeat_customer_rate"), 1.0 / 3.0));
    let by_channel = &r.kpi("revenue").unwrap().breakdowns["channel"];
    let web = by_channel.iter().find(|s| s.key == "web").unwrap();
    assert!(close(web.value.unwrap(), 1200.0));
    let email = by_channel.iter().find(|s| s.key == "email").unwrap();
    assert!(close(email.value.unwrap(), 2500.5));
}

#[test]
fn italian_windows_1252_export() {
    let r = report_of("orders_it_cp1252.csv", &ImportOptions::default());
    let s = &r.imports[0];
    assert_eq!(s.encoding.name, "windows-1252");
    assert_eq!(s.delimiter.delimiter, ';');
    // Title line, blank line, then the header on line 3.
    assert_eq!(s.header_line, 3);
    assert!(s.headers.contains(&"Città".to_string()));
    assert_eq!(s.date_order.as_ref().unwrap().value, DateOrder::Dmy);
    assert_eq!(s.decimal.as_ref().unwrap().value, DecimalSeparator::Comma);
    // 1.234,50 + 250,00 + 99,90 + € 2.000,00 + 15,60
    assert!(close(value(&r, "revenue"), 3600.0));
    assert_eq!(value(&r, "customers"), 3.0);
    // Rossi and Bianchi ordered twice, Verdi once.
    assert!(close(value(&r, "repeat_customer_rate"), 2.0 / 3.0));
    // 03/01, 15/01 in January; 02/02, 10/02, 11/02 in February.
    let months: Vec<String> = r
        .kpi("revenue")
        .unwrap()
        .series
        .iter()
        .map(|p| p.period.clone())
        .collect();
    assert_eq!(months, ["2024-01", "2024-02"]);
}

#[test]
fn overriding_the_date_order_moves_and_rejects_rows() {
    let opts = ImportOptions {
        date_order: Some(DateOrder::Mdy),
        ..Default::default()
    };
    let r = report_of("orders_it_cp1252.csv", &opts);
    let s = &r.imports[0];
    // As month/day, 15/01/2024 does not exist: rejected, and said why.
    assert_eq!(s.rows_rejected, 1);
    assert_eq!(s.rejected_preview[0].line, 5);
    assert!(s.rejected_preview[0].reason.contains("month/day/year"));
    // 1.234,50 + 99,90 + 2.000,00 + 15,60 (without IT-002's 250,00)
    assert!(close(value(&r, "revenue"), 3350.0));
    // 03/01 -> March 1st (1.234,50); 02/02 -> Feb 2nd (99,90); 10/02 -> Oct 2nd (2.000,00);
    // 11/02 -> Nov 2nd (15,60). Months in between are in the series with zero revenue.
    let series: Vec<(String, f64)> = r
        .kpi("revenue")
        .unwrap()
        .series
        .iter()
        .map(|p| (p.period.clone(), p.value.unwrap()))
        .collect();
    assert_eq!(series.len(), 10, "{series:?}");
    for (period, v) in &series {
        let expected = match period.as_str() {
            "2024-02" => 99.9,
            "2024-03" => 1234.5,
            "2024-10" => 2000.0,
            "2024-11" => 15.6,
            _ => 0.0,
        };
        assert!(close(*v, expected), "{period}: {v}");
    }
    // A month without orders has no average order value.
    let aov_april = &r.kpi("aov").unwrap().series[2];
    assert_eq!(
        (aov_april.period.as_str(), aov_april.value),
        ("2024-04", None)
    );
}

#[test]
fn wrong_files_get_clear_messages() {
    let png = import_bytes(
        "x.png",
        &fixture("not_a_csv.png"),
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(png.to_string().contains("PNG image"), "{png}");
    let empty = import_bytes("e.csv", b"", &ImportOptions::default()).unwrap_err();
    assert!(empty.to_string().contains("empty"));
    let unknown = import_bytes("u.csv", b"foo,bar\n1,2\n", &ImportOptions::default()).unwrap_err();
    assert!(unknown.to_string().contains("no header row"), "{unknown}");
    let long_line = vec![b'a'; 300_000];
    let err = import_bytes("l.csv", &long_line, &ImportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("no line break"), "{err}");
    let missing = import_bytes(
        "m.csv",
        b"order_id,customer_id,amount\n1,2,3\n",
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(missing.to_string().contains("order_date"), "{missing}");
}

#[test]
fn demo_dataset_is_rich_enough_for_every_view() {
    let csv = kpi_core::demo::demo_orders_csv(kpi_core::demo::DEMO_SEED, Default::default());
    let imported =
        import_bytes("demo_orders.csv", csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(imported.summary.rows_rejected, 0);
    let mut data = Dataset::default();
    data.add(imported);
    let r = compute(&data, &ReportOptions::default());
    let customers = value(&r, "customers");
    assert!((300.0..=500.0).contains(&customers), "{customers}");
    assert_eq!(r.kpi("revenue").unwrap().series.len(), 24);
    let b = &r.kpi("revenue").unwrap().breakdowns;
    assert_eq!(b["channel"].len(), 4);
    assert_eq!(b["salesperson"].len(), 8);
}

#[test]
fn every_kind_of_file_is_recognised_from_its_headers() {
    use kpi_core::ingest::schema::FileKind;
    let expect = [
        ("customers.csv", FileKind::Customers, 6),
        ("users.csv", FileKind::Users, 8),
        ("traffic.csv", FileKind::Traffic, 4),
        ("carts.csv", FileKind::Carts, 6),
        ("quotes.csv", FileKind::Quotes, 5),
        ("opportunities.csv", FileKind::Opportunities, 6),
        ("spend.csv", FileKind::Spend, 8),
        ("support.csv", FileKind::Support, 6),
        ("surveys.csv", FileKind::Surveys, 9),
        ("inventory.csv", FileKind::Inventory, 4),
        ("returns.csv", FileKind::Returns, 2),
    ];
    for (name, kind, rows) in expect {
        let f = import_bytes(
            name,
            &fixture(&format!("kinds/{name}")),
            &ImportOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(f.summary.kind, kind, "{name}");
        assert_eq!(f.summary.rows_ok, rows, "{name}");
        assert!(f.other(kind).is_some(), "{name}");
    }
    // Typed columns: opportunity O4 has no close date; its value is 2000.
    let f = import_bytes(
        "o.csv",
        &fixture("kinds/opportunities.csv"),
        &ImportOptions::default(),
    )
    .unwrap();
    let t = f.other(FileKind::Opportunities).unwrap();
    assert_eq!(
        t.dates("closed").unwrap()[3],
        kpi_core::ingest::columns::NO_DATE
    );
    assert_eq!(
        t.numbers("value").unwrap()[3],
        2000 * kpi_core::ingest::values::SCALE
    );
    let (names, ids) = t.text("outcome").unwrap();
    assert_eq!(names.name(ids[1]), "lost");
}

#[test]
fn an_orders_file_missing_its_date_says_so_rather_than_passing_as_another_kind() {
    let err = import_bytes(
        "m.csv",
        b"order_id,customer_id,amount\n1,2,3\n",
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("orders file") && err.to_string().contains("order_date"),
        "{err}"
    );
}

#[test]
fn duplicate_keys_in_one_row_per_thing_files_are_rejected_with_the_first_line() {
    let csv = b"customer_id,created\nC1,2024-01-01\nC2,2024-01-02\nC1,2024-01-03\n";
    let f = import_bytes("c.csv", csv, &ImportOptions::default()).unwrap();
    assert_eq!((f.summary.rows_ok, f.summary.duplicates), (2, 1));
    assert_eq!(f.rejected[0].line, 4);
    assert!(
        f.rejected[0].reason.contains("first on line 2"),
        "{}",
        f.rejected[0].reason
    );
}

/// Inputs the fuzzer (crates/kpi-core/fuzz) once crashed on, kept so they never do again.
#[test]
fn fuzzer_findings_import_and_report_without_panicking() {
    let dir = format!("{}/../../tests/fixtures/fuzz", env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        seen += 1;
        if let Ok(file) = import_bytes("fuzz.csv", &bytes, &ImportOptions::default()) {
            let s = &file.summary;
            assert_eq!(
                s.rows_ok + s.rows_rejected + s.order_lines_merged,
                s.rows_read,
                "{path:?}"
            );
            let mut data = Dataset::default();
            data.add(file);
            let r = compute(&data, &ReportOptions::default());
            assert!(!r.kpis.is_empty());
        }
    }
    assert!(seen > 0, "no fuzz findings in {dir}");
}

#[test]
fn repeated_order_numbers_are_found_among_many_and_only_they_are_rejected() {
    // 50,000 orders; three repeat an earlier order number (lines counted from the header = 1).
    let mut csv = String::from("order_id,customer_id,order_date,amount\n");
    for i in 0..50_000 {
        csv.push_str(&format!(
            "SO{i},C{},2024-01-{:02},{}.50\n",
            i % 700,
            i % 28 + 1,
            i % 900
        ));
    }
    // SO10 is on line 12, SO49999 on line 50001, SO0 on line 2.
    csv.push_str("SO10,X,2024-02-01,1\nSO49999,X,2024-02-01,1\nSO0,X,2024-02-01,1\n");
    let f = import_bytes("many.csv", csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(f.summary.rows_ok, 50_000);
    assert_eq!(f.summary.duplicates, 3);
    let got: Vec<(u64, String)> = f
        .rejected
        .iter()
        .map(|r| (r.line, r.reason.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                50_002,
                "duplicate order_id \"SO10\" (first on line 12)".to_string()
            ),
            (
                50_003,
                "duplicate order_id \"SO49999\" (first on line 50001)".to_string()
            ),
            (
                50_004,
                "duplicate order_id \"SO0\" (first on line 2)".to_string()
            ),
        ]
    );
    assert_eq!(f.rejected[0].raw, "SO10,X,2024-02-01,1");
    // And the orders can be found by number (the lazily built index).
    assert_eq!(f.orders().unwrap().find_order("SO49999"), Some(49_999));
}

#[test]
fn exported_rejected_rows_cannot_run_as_spreadsheet_formulas() {
    let csv = "order_id,customer_id,order_date,amount\n=HYPERLINK(\"http://x\"),A,bad date,1\n@SUM(A1),B,2024-01-01,\n";
    let f = import_bytes("h.csv", csv.as_bytes(), &ImportOptions::default()).unwrap();
    let out = kpi_core::ingest::rejected_csv(&f.rejected);
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let raws: Vec<String> = rows.records().map(|r| r.unwrap()[2].to_string()).collect();
    assert_eq!(raws.len(), 2);
    // No exported cell starts like a formula: the first row's text starts with the quote the
    // CSV quoting added, the second's `@` got a leading apostrophe.
    for raw in &raws {
        assert!(!raw.starts_with(['=', '+', '-', '@']), "{raw}");
    }
    assert!(raws[0].contains("=HYPERLINK"));
    assert_eq!(raws[1], "'@SUM(A1),B,2024-01-01,");
    assert_eq!(kpi_core::ingest::neutralize_formula("-12.50"), "'-12.50");
    assert_eq!(kpi_core::ingest::neutralize_formula("Rossi"), "Rossi");
}
