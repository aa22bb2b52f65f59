//! One file per import trap (tests/fixtures/import/, written with exact bytes by
//! make_fixtures.py). Every expected value is worked out by hand in the comments.

use kpi_core::ingest::schema::FileKind;
use kpi_core::ingest::values::{DateOrder, DecimalSeparator};
use kpi_core::ingest::{ImportSummary, ImportedFile};
use kpi_core::{compute, import_bytes, Dataset, ImportOptions, ReportOptions};

fn bytes(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn import(name: &str) -> ImportedFile {
    let f = import_bytes(name, &bytes(name), &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let s = &f.summary;
    // Nothing is lost: every row read is kept, rejected or merged into an order.
    assert_eq!(
        s.rows_ok + s.rows_rejected + s.order_lines_merged,
        s.rows_read,
        "{name}"
    );
    f
}

/// (revenue, orders, customers) of a file, from the report.
fn totals(f: ImportedFile) -> (f64, f64, f64) {
    let mut data = Dataset::default();
    data.add(f);
    let r = compute(&data, &ReportOptions::default());
    let v = |id: &str| r.kpi(id).and_then(|k| k.value).unwrap_or(f64::NAN);
    (v("revenue"), v("orders"), v("customers"))
}

fn assert_totals(name: &str, revenue: f64, orders: f64, customers: f64) -> ImportSummary {
    let f = import(name);
    let s = f.summary.clone();
    let (r, o, c) = totals(f);
    assert!(
        (r - revenue).abs() < 1e-9,
        "{name}: revenue {r} != {revenue}"
    );
    assert_eq!((o, c), (orders, customers), "{name}: orders, customers");
    s
}

fn error_of(name: &str) -> String {
    import_bytes(name, &bytes(name), &ImportOptions::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn t01_tab_separated() {
    // 10.50 + 20.25 + 5.00; customers A, B
    let s = assert_totals("01_tab_separated.tsv", 35.75, 3.0, 2.0);
    assert_eq!(s.delimiter.delimiter, '\t');
}

#[test]
fn t02_pipe_separated() {
    let s = assert_totals("02_pipe_separated.csv", 300.0, 2.0, 2.0);
    assert_eq!(s.delimiter.delimiter, '|');
}

#[test]
fn t03_utf8_bom_does_not_hide_the_first_header() {
    // 10 + 15, one customer "Café Rossi"
    let s = assert_totals("03_utf8_bom.csv", 25.0, 2.0, 1.0);
    assert!(s.encoding.had_bom);
    assert_eq!(s.headers[0], "order_id");
}

#[test]
fn t04_t05_utf16_both_byte_orders() {
    for (name, enc) in [
        ("04_utf16le_bom.csv", "UTF-16LE"),
        ("05_utf16be_bom.csv", "UTF-16BE"),
    ] {
        let f = import(name);
        assert_eq!(f.summary.encoding.name, enc);
        assert_eq!(f.orders().unwrap().customers.name(0), "Müller GmbH");
        // 42 + 8
        assert_eq!(totals(f), (50.0, 2.0, 2.0), "{name}");
    }
}

#[test]
fn t06_latin1_french_headers_spaces_in_thousands() {
    // 1 000,50 + 99,50
    let s = assert_totals("06_latin1_french.csv", 1100.0, 2.0, 2.0);
    assert_eq!(s.encoding.name, "windows-1252"); // the WHATWG name for Latin-1 text
    assert!(s.headers.contains(&"Numéro de commande".to_string()));
    assert_eq!(s.decimal.as_ref().unwrap().value, DecimalSeparator::Comma);
}

#[test]
fn t07_us_dates_settled_by_a_day_over_12() {
    let f = import("07_mdy_us.csv");
    let d = f.summary.date_order.clone().unwrap();
    assert_eq!((d.value, d.ambiguous), (DateOrder::Mdy, false));
    // 01/13 is January 13th; 02/03 is February 3rd.
    assert_eq!(
        kpi_core::ingest::values::iso_date(f.orders().unwrap().day[1]),
        "2024-02-03"
    );
}

#[test]
fn t08_wholly_ambiguous_dates_are_flagged_for_the_user() {
    let f = import("08_ambiguous_dates.csv");
    let d = f.summary.date_order.clone().unwrap();
    assert!(d.ambiguous, "{}", d.evidence);
    assert!(d.evidence.contains("please confirm"));
    // The user's answer decides: as month/day, 03/04 is March 4th.
    let opts = ImportOptions {
        date_order: Some(DateOrder::Mdy),
        ..Default::default()
    };
    let f = import_bytes("d.csv", &bytes("08_ambiguous_dates.csv"), &opts).unwrap();
    assert_eq!(
        kpi_core::ingest::values::iso_date(f.orders().unwrap().day[1]),
        "2024-03-04"
    );
}

#[test]
fn t09_two_digit_years_pivot_at_70() {
    let f = import("09_two_digit_years.csv");
    let days: Vec<String> = f
        .orders()
        .unwrap()
        .day
        .iter()
        .map(|d| kpi_core::ingest::values::iso_date(*d))
        .collect();
    assert_eq!(days, ["1999-12-31", "2000-01-01", "2024-06-15"]);
}

#[test]
fn t10_datetimes_keep_the_date_as_written() {
    let f = import("10_iso_datetime_tz.csv");
    let days: Vec<String> = f
        .orders()
        .unwrap()
        .day
        .iter()
        .map(|d| kpi_core::ingest::values::iso_date(*d))
        .collect();
    // 23:30 at -05:00 is still March 5th in the file; no time zone conversion.
    assert_eq!(days, ["2024-03-05", "2024-03-31", "2024-04-01"]);
}

#[test]
fn t11_excel_serial_dates() {
    let f = import("11_excel_serial_dates.csv");
    let days: Vec<String> = f
        .orders()
        .unwrap()
        .day
        .iter()
        .map(|d| kpi_core::ingest::values::iso_date(*d))
        .collect();
    // 45292 = 2024-01-01, 45323 = 2024-02-01, 45352.5 = 2024-03-01 noon
    assert_eq!(days, ["2024-01-01", "2024-02-01", "2024-03-01"]);
}

#[test]
fn t12_month_names_in_several_languages() {
    let f = import("12_month_names.csv");
    let days: Vec<String> = f
        .orders()
        .unwrap()
        .day
        .iter()
        .map(|d| kpi_core::ingest::values::iso_date(*d))
        .collect();
    assert_eq!(
        days,
        ["2024-03-05", "2024-03-05", "2024-04-01", "2024-05-01"]
    );
    assert_eq!(totals(f), (100.0, 4.0, 4.0));
}

#[test]
fn t13_space_and_nbsp_thousands() {
    // 1 234,50 + 2 000,00 (no-break space) + 12 345 678,90
    assert_totals("13_space_thousands.csv", 12_348_913.4, 3.0, 3.0);
}

#[test]
fn t14_currency_symbols_and_codes() {
    // CHF 1'234.50 + $99.00 + 10.25 USD + € 5.00
    assert_totals("14_currency_codes.csv", 1348.75, 4.0, 4.0);
}

#[test]
fn t15_negative_amounts_in_parentheses_and_trailing_minus() {
    // 100.00 - 12.50 - 7.50 - 5.00 (credit notes are negative orders)
    assert_totals("15_negatives.csv", 75.0, 4.0, 2.0);
}

#[test]
fn t16_trailing_empty_columns() {
    assert_totals("16_trailing_empty_columns.csv", 30.0, 2.0, 2.0);
}

#[test]
fn t17_embedded_newlines_keep_line_numbers_right() {
    // L3 (lines 5-7, its note spans three lines) has no date: rejected on line 5.
    // 10 + 20 + 40
    let s = assert_totals("17_embedded_newlines.csv", 70.0, 3.0, 3.0);
    assert_eq!(s.rows_rejected, 1);
    assert_eq!(s.rejected_preview[0].line, 5);
    assert!(s.rejected_preview[0].raw.starts_with("L3,C,not a date,30,"));
    let f = import("17_embedded_newlines.csv");
    // L4 starts on line 8.
    assert_eq!(f.orders().unwrap().line[2], 8);
}

#[test]
fn t18_crlf_with_title_lines_above_the_header() {
    // K2's amount "oops" is rejected on line 6; 10 + 30.
    let s = assert_totals("18_crlf_title_lines.csv", 40.0, 2.0, 2.0);
    assert_eq!(s.header_line, 4);
    assert_eq!(
        (
            s.rejected_preview[0].line,
            s.rejected_preview[0].reason.as_str()
        ),
        (6, "amount \"oops\" is not a number")
    );
}

#[test]
fn t19_german_export() {
    // 1.000,00 (Geliefert) + 99,99 (Bezahlt); 101 is Storniert.
    let s = assert_totals("19_german_headers.csv", 1099.99, 2.0, 1.0);
    assert_eq!(s.delimiter.delimiter, ';');
    assert_eq!(s.date_order.as_ref().unwrap().value, DateOrder::Dmy);
}

#[test]
fn t20_spanish_export() {
    // 500 (Entregado) + 120 (Pagado); P-2 is Devuelto.
    let s = assert_totals("20_spanish_headers.csv", 620.0, 2.0, 2.0);
    assert!(s.headers.contains(&"Número de pedido".to_string()));
}

#[test]
fn t21_status_words_and_an_unknown_one() {
    // Evaso 10 and "weird" 60 count; Storniert, Annulé (cancelled), Devuelto (returned),
    // pending (open) do not. Customers A and C.
    let s = assert_totals("21_status_words.csv", 70.0, 2.0, 2.0);
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("\"weird\"") && w.contains("counted as completed")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn t22_order_lines_are_merged_into_orders() {
    // O1: 2 x 10.00 + 1 x 5.50 + 10 x 0.25 = 28.00; O2: 3 x 10.00 = 30.00
    let s = assert_totals("22_order_lines.csv", 58.0, 2.0, 2.0);
    assert_eq!((s.rows_read, s.rows_ok, s.order_lines_merged), (4, 2, 2));
}

#[test]
fn t23_header_only_file() {
    let s = assert_totals("23_header_only.csv", 0.0, 0.0, 0.0);
    assert_eq!(s.rows_read, 0);
}

#[test]
fn t24_to_t27_files_that_are_not_tables_get_clear_messages() {
    assert!(error_of("24_no_known_columns.csv").contains("no header row"));
    assert!(error_of("25_empty.csv").contains("empty"));
    assert!(error_of("26_workbook.xlsx").contains("Excel"));
    assert!(error_of("27_long_single_line.csv").contains("no line break"));
}

#[test]
fn t28_integer_amounts_with_dot_thousands_are_ambiguous() {
    // Only 1.234 / 2.000 / 10.500 and a ';' delimiter: read as thousands (1,234 + 2,000 +
    // 10,500), and flagged for the user.
    let s = assert_totals("28_thousands_dot_integers.csv", 13_734.0, 3.0, 3.0);
    let d = s.decimal.unwrap();
    assert_eq!((d.value, d.ambiguous), (DecimalSeparator::Comma, true));
    // The user says it is a decimal point: 1.234 + 2.000 + 10.500.
    let opts = ImportOptions {
        decimal: Some(DecimalSeparator::Dot),
        ..Default::default()
    };
    let f = import_bytes("i.csv", &bytes("28_thousands_dot_integers.csv"), &opts).unwrap();
    let (r, _, _) = totals(f);
    assert!((r - 13.734).abs() < 1e-9, "{r}");
}

#[test]
fn t29_quoted_european_amounts() {
    // "1.234,50" + "0,50"
    assert_totals("29_quoted_european_amounts.csv", 1235.0, 2.0, 2.0);
}

#[test]
fn t30_channel_words() {
    let f = import("30_channels.csv");
    let channels: Vec<&str> = f
        .orders()
        .unwrap()
        .channel
        .iter()
        .map(|c| c.name())
        .collect();
    assert_eq!(channels, ["edi", "email", "web", "phone", "other"]);
    assert!(
        f.summary.warnings.iter().any(|w| w.contains("\"Fax\"")),
        "{:?}",
        f.summary.warnings
    );
    assert_eq!(f.summary.kind, FileKind::Orders);
}
