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

/// (rows_read, rows_ok, rows_rejected) of a summary.
fn rows(s: &ImportSummary) -> (u64, u64, u64) {
    (s.rows_read, s.rows_ok, s.rows_rejected)
}

/// The 1-based lines of the rejected rows.
fn rejected_lines(s: &ImportSummary) -> Vec<u64> {
    s.rejected_preview.iter().map(|r| r.line).collect()
}

/// The order dates of a file, as ISO text, in file order.
fn dates_of(f: &ImportedFile) -> Vec<String> {
    f.orders()
        .unwrap()
        .day
        .iter()
        .map(|d| kpi_core::ingest::values::iso_date(*d))
        .collect()
}

#[test]
fn t01_tab_separated() {
    // 10.50 + 20.25 + 5.00; customers A, B
    let s = assert_totals("01_tab_separated.tsv", 35.75, 3.0, 2.0);
    assert_eq!(rows(&s), (3, 3, 0));
    assert_eq!(s.delimiter.delimiter, '\t');
}

#[test]
fn t02_pipe_separated() {
    let s = assert_totals("02_pipe_separated.csv", 300.0, 2.0, 2.0);
    assert_eq!(rows(&s), (2, 2, 0));
    assert_eq!(s.delimiter.delimiter, '|');
}

#[test]
fn t03_utf8_bom_does_not_hide_the_first_header() {
    // 10 + 15, one customer "Café Rossi"
    let s = assert_totals("03_utf8_bom.csv", 25.0, 2.0, 1.0);
    assert_eq!(rows(&s), (2, 2, 0));
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
        assert_eq!(rows(&f.summary), (2, 2, 0), "{name}");
        assert_eq!(f.orders().unwrap().customers.name(0), "Müller GmbH");
        // 42 + 8
        assert_eq!(totals(f), (50.0, 2.0, 2.0), "{name}");
    }
}

#[test]
fn t06_latin1_french_headers_spaces_in_thousands() {
    // 1 000,50 + 99,50
    let s = assert_totals("06_latin1_french.csv", 1100.0, 2.0, 2.0);
    assert_eq!(rows(&s), (2, 2, 0));
    assert_eq!(s.encoding.name, "windows-1252"); // the WHATWG name for Latin-1 text
    assert!(s.headers.contains(&"Numéro de commande".to_string()));
    assert_eq!(s.decimal.as_ref().unwrap().value, DecimalSeparator::Comma);
}

#[test]
fn t07_us_dates_settled_by_a_day_over_12() {
    let f = import("07_mdy_us.csv");
    let d = f.summary.date_order.clone().unwrap();
    assert_eq!((d.value, d.ambiguous), (DateOrder::Mdy, false));
    assert_eq!(rows(&f.summary), (3, 3, 0));
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
    assert_eq!(rows(&f.summary), (3, 3, 0));
    // Read as day/month until the user says otherwise: 10 + 20 + 30, customers A, B, C.
    assert_totals("08_ambiguous_dates.csv", 60.0, 3.0, 3.0);
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
    // 10,00 + 20,00 + 30,00; customers A, B, C
    assert_totals("09_two_digit_years.csv", 60.0, 3.0, 3.0);
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
    // 10 + 20 + 30; customers A, B
    assert_totals("10_iso_datetime_tz.csv", 60.0, 3.0, 2.0);
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
    // 10 + 20 + 30; customers A, B
    assert_totals("11_excel_serial_dates.csv", 60.0, 3.0, 2.0);
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
    let f = import("13_space_thousands.csv");
    assert_eq!(rows(&f.summary), (3, 3, 0));
}

#[test]
fn t14_currency_symbols_and_codes() {
    // CHF 1'234.50 + $99.00 + 10.25 USD + € 5.00
    assert_totals("14_currency_codes.csv", 1348.75, 4.0, 4.0);
    assert_eq!(rows(&import("14_currency_codes.csv").summary), (4, 4, 0));
}

#[test]
fn t15_negative_amounts_in_parentheses_and_trailing_minus() {
    // 100.00 - 12.50 - 7.50 - 5.00 (credit notes are negative orders)
    assert_totals("15_negatives.csv", 75.0, 4.0, 2.0);
    assert_eq!(rows(&import("15_negatives.csv").summary), (4, 4, 0));
}

#[test]
fn t16_trailing_empty_columns() {
    // 10 + 20; customers A, B. The three unnamed columns are ignored.
    let s = assert_totals("16_trailing_empty_columns.csv", 30.0, 2.0, 2.0);
    assert_eq!(rows(&s), (2, 2, 0));
}

#[test]
fn t17_embedded_newlines_keep_line_numbers_right() {
    // L3 (lines 5-7, its note spans three lines) has no date: rejected on line 5.
    // 10 + 20 + 40
    let s = assert_totals("17_embedded_newlines.csv", 70.0, 3.0, 3.0);
    assert_eq!(s.rows_rejected, 1);
    assert_eq!(s.rejected_preview[0].line, 5);
    assert_eq!(rows(&s), (4, 3, 1));
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
    assert_eq!(rows(&s), (3, 2, 1));
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
    assert_eq!(rows(&s), (3, 3, 0));
    assert_eq!(s.delimiter.delimiter, ';');
    assert_eq!(s.date_order.as_ref().unwrap().value, DateOrder::Dmy);
}

#[test]
fn t20_spanish_export() {
    // 500 (Entregado) + 120 (Pagado); P-2 is Devuelto.
    let s = assert_totals("20_spanish_headers.csv", 620.0, 2.0, 2.0);
    assert_eq!(rows(&s), (3, 3, 0));
    assert!(s.headers.contains(&"Número de pedido".to_string()));
}

#[test]
fn t21_status_words_and_an_unknown_one() {
    // Evaso 10 and "weird" 60 count; Storniert, Annulé (cancelled), Devuelto (returned),
    // pending (open) do not. Customers A and C.
    let s = assert_totals("21_status_words.csv", 70.0, 2.0, 2.0);
    assert_eq!(rows(&s), (6, 6, 0));
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
    assert_eq!(rows(&s), (3, 3, 0));
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
    let s = assert_totals("29_quoted_european_amounts.csv", 1235.0, 2.0, 2.0);
    assert_eq!(rows(&s), (2, 2, 0));
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
    assert_eq!(rows(&f.summary), (5, 5, 0));
    // 10 + 20 + 30 + 40 + 50; customers A, B, C
    assert_eq!(totals(f), (150.0, 5.0, 3.0));
}

#[test]
fn t31_semicolon_and_decimal_comma() {
    // 12,50 + 0,99 + 1.250,00 + 7,5 + 100
    //   = 13.49 + 1250.00 + 7.5 + 100 = 1370.99; customers C1, C2, C3
    let s = assert_totals("31_semicolon_decimal_comma.csv", 1370.99, 5.0, 3.0);
    assert_eq!(s.delimiter.delimiter, ';');
    let d = s.decimal.clone().unwrap();
    assert_eq!((d.value, d.ambiguous), (DecimalSeparator::Comma, false));
    assert_eq!(rows(&s), (5, 5, 0));
}

#[test]
fn t32_windows_1252_euro_sign_and_accented_headers() {
    // € is the single byte 0x80, à 0xE0, è 0xE8, ° 0xB0 (not valid UTF-8).
    let f = import("32_cp1252_euro_accented_headers.csv");
    let s = f.summary.clone();
    assert_eq!(s.encoding.name, "windows-1252");
    assert!(!s.encoding.had_bom);
    assert_eq!(s.delimiter.delimiter, ';');
    assert_eq!(
        s.headers,
        [
            "N° Ordine",
            "Ragione sociale",
            "Data ordine",
            "Importo €",
            "Città"
        ]
    );
    let names: Vec<&str> = f.orders().unwrap().customers.names().collect();
    assert_eq!(
        names,
        [
            "Caffè Nannini",
            "Società Agricola Forlì",
            "Pâtisserie Lenôtre"
        ]
    );
    // 22/01 can only be day/month.
    let d = s.date_order.clone().unwrap();
    assert_eq!((d.value, d.ambiguous), (DateOrder::Dmy, false));
    assert_eq!(s.decimal.clone().unwrap().value, DecimalSeparator::Comma);
    assert_eq!(rows(&s), (4, 4, 0));
    // € 1.234,50 + € 89,90 + 2.000,00 € + € 0,50 = 3324.90; three customers
    assert_totals("32_cp1252_euro_accented_headers.csv", 3324.9, 4.0, 3.0);
}

#[test]
fn t33_title_lines_and_blank_lines_above_the_header() {
    // Lines: 1 title, 2 period (holds a comma), 3 blank, 4 "Printed by", 5 blank,
    // 6 header, 7 TL1, 8 TL2, 9 blank, 10 TL3 with amount "abc".
    // 40.00 + 60.00; customers C1, C2
    let s = assert_totals("33_title_and_blank_lines.csv", 100.0, 2.0, 2.0);
    assert_eq!(s.header_line, 6);
    assert_eq!(s.delimiter.delimiter, ',');
    assert_eq!(rows(&s), (3, 2, 1));
    assert_eq!(rejected_lines(&s), [10]);
    assert_eq!(
        s.rejected_preview[0].reason,
        "amount \"abc\" is not a number"
    );
    assert_eq!(s.rejected_preview[0].raw, "TL3,C1,2024-03-31,abc");
}

#[test]
fn t34_day_month_settled_by_a_day_over_12() {
    let f = import("34_dmy_settled_by_day_over_12.csv");
    let d = f.summary.date_order.clone().unwrap();
    // Only 25/04 decides (no 25th month); the other three fit both orders.
    assert_eq!((d.value, d.ambiguous), (DateOrder::Dmy, false));
    assert_eq!(
        dates_of(&f),
        ["2024-02-01", "2024-04-03", "2024-04-25", "2024-06-05"]
    );
    assert_eq!(rows(&f.summary), (4, 4, 0));
    // 10 + 20 + 30 + 40; customers C1, C2, C3
    assert_eq!(totals(f), (100.0, 4.0, 3.0));
}

#[test]
fn t35_month_name_dates_with_a_time() {
    let f = import("35_month_names_with_time.csv");
    assert_eq!(
        rows(&f.summary),
        (4, 4, 0),
        "{:?}",
        f.summary.rejected_preview
    );
    assert_eq!(
        dates_of(&f),
        ["2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08"]
    );
    // 10 + 20 + 30 + 40; customers C1, C2, C3
    assert_eq!(totals(f), (100.0, 4.0, 3.0));
}

#[test]
fn t36_us_thousands_in_quotes() {
    // "1,234.50" + "12,000.00" + "999.99" + "1,000,000.01" + "0.50"
    //   = 13234.50 + 999.99 + 1000000.01 + 0.50 = 1014235.00; customers C1, C2, C3
    let s = assert_totals("36_us_thousands_quoted.csv", 1_014_235.0, 5.0, 3.0);
    assert_eq!(s.delimiter.delimiter, ',');
    let d = s.decimal.clone().unwrap();
    assert_eq!((d.value, d.ambiguous), (DecimalSeparator::Dot, false));
    // 03/15 .. 03/19: month first.
    assert_eq!(s.date_order.clone().unwrap().value, DateOrder::Mdy);
    assert_eq!(rows(&s), (5, 5, 0));
}

#[test]
fn t37_european_thousands_unquoted() {
    // 1.234,50 + 1.234.567,89 - 1.000,00 + 0,01 + 12.345,6
    //   = 1235802.39 - 1000.00 + 0.01 + 12345.60 = 1247148.00; K-100, K-200, K-300
    let s = assert_totals("37_european_thousands.csv", 1_247_148.0, 5.0, 3.0);
    let d = s.decimal.clone().unwrap();
    assert_eq!((d.value, d.ambiguous), (DecimalSeparator::Comma, false));
    // 13.03.2024 settles day.month.
    assert_eq!(s.date_order.clone().unwrap().value, DateOrder::Dmy);
    assert_eq!(rows(&s), (5, 5, 0));
}

#[test]
fn t38_accounting_format_negatives() {
    // Excel's Accounting format saved as CSV: " $ 1,500.00 ", "($250.00)", " $ (100.00)".
    // 1500 - 250 - 100 - 50 + 75 = 1175; customers C1, C2, C3
    let s = assert_totals("38_accounting_negatives.csv", 1175.0, 5.0, 3.0);
    assert_eq!(rows(&s), (5, 5, 0));
}

#[test]
fn t39_duplicate_order_ids_name_the_first_line() {
    // Lines 2 DU1, 3 DU2, 4 DU1 again, 5 DU3, 6 DU2 again, 7 DU1 a third time (other date
    // and amount), 8 "DU3 " (padded). Kept: DU1 100 + DU2 200 + DU3 300 = 600.
    let s = assert_totals("39_duplicate_order_ids.csv", 600.0, 3.0, 3.0);
    assert_eq!(rows(&s), (7, 3, 4));
    assert_eq!(s.duplicates, 4);
    assert_eq!(rejected_lines(&s), [4, 6, 7, 8]);
    let reasons: Vec<&str> = s
        .rejected_preview
        .iter()
        .map(|r| r.reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "duplicate order_id \"DU1\" (first on line 2)",
            "duplicate order_id \"DU2\" (first on line 3)",
            "duplicate order_id \"DU1\" (first on line 2)",
            "duplicate order_id \"DU3\" (first on line 5)",
        ]
    );
    assert_eq!(s.rejected_preview[2].raw, "DU1,C1,2024-05-04,150");
}

#[test]
fn t40_bad_rows_are_rejected_with_line_and_reason() {
    // Kept: BR1 10.00 (line 2), BR7 70.00 (line 8), BR11 5.00 (line 12) = 85.00;
    // customers C1 (BR1, BR11) and C2 (BR7).
    let s = assert_totals("40_bad_rows.csv", 85.0, 3.0, 2.0);
    assert_eq!(rows(&s), (11, 3, 8));
    assert_eq!(s.duplicates, 0);
    let got: Vec<(u64, &str)> = s
        .rejected_preview
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (3, "order_date \"31/31/2024\" is not a date"),
            (4, "amount is empty"),
            (5, "customer_id is empty"),
            (6, "order_date is empty"),
            (7, "order_id is empty"),
            (9, "order_date \"2024-13-01\" is not a date"),
            (10, "amount \"n/a\" is not a number"),
            // Excel writes a too-narrow date column as hashes when saving as CSV.
            (11, "order_date \"########\" is not a date"),
        ]
    );
    assert_eq!(s.rejected_preview[3].raw, "BR5,C1,,50.00");
}

#[test]
fn t41_a_png_image_renamed_to_csv() {
    let e = error_of("41_png_renamed.csv");
    assert!(e.contains("PNG image"), "{e}");
    assert!(e.contains("not a CSV text file"), "{e}");
}

#[test]
fn t42_impossible_calendar_dates_are_rejected() {
    // 15/02 and 29/02/2024 (a leap year) exist only as day/month; 30/02 and 31/04 exist in
    // neither order; 01/03 fits both. Kept: 10 + 30 + 50 = 90; customers C1 (ID1, ID3), C2.
    let s = assert_totals("42_impossible_calendar_dates.csv", 90.0, 3.0, 2.0);
    assert_eq!(s.date_order.clone().unwrap().value, DateOrder::Dmy);
    assert_eq!(rows(&s), (5, 3, 2));
    let got: Vec<(u64, &str)> = s
        .rejected_preview
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (3, "order_date \"30/02/2024\" is not a date"),
            (5, "order_date \"31/04/2024\" is not a date"),
        ]
    );
}

#[test]
fn t42_impossible_calendar_dates_keep_their_raw_text() {
    let s = import("42_impossible_calendar_dates.csv").summary;
    let raw: Vec<&str> = s.rejected_preview.iter().map(|r| r.raw.as_str()).collect();
    assert_eq!(raw, ["ID2,C2,30/02/2024,20", "ID4,C3,31/04/2024,40"]);
}

#[test]
fn t43_duplicate_whose_date_is_in_the_minority_order() {
    // 13/05, 14/05, 15/05 settle day/month; line 5 repeats DD2 with 05/14/2024. That one row
    // is rejected once. Kept: 100 + 200 + 300 = 600; customers C1, C2, C3.
    let s = assert_totals(
        "43_duplicate_repeat_in_minority_date_order.csv",
        600.0,
        3.0,
        3.0,
    );
    assert_eq!(rows(&s), (4, 3, 1));
    assert_eq!(rejected_lines(&s), [5]);
}

#[test]
fn t44_a_rejected_row_does_not_make_the_next_one_a_duplicate() {
    // Line 3 (DF2, 05/14/2024) does not exist as day/month and is rejected, just as a row
    // with "yesterday" as its date would be; the re-sent DF2 on line 5 is the only DF2 kept.
    // 100 + 300 + 200 = 600; customers C1, C2, C3.
    let s = assert_totals(
        "44_duplicate_first_in_minority_date_order.csv",
        600.0,
        3.0,
        3.0,
    );
    assert_eq!(rows(&s), (4, 3, 1));
    assert_eq!(s.duplicates, 0);
    assert_eq!(rejected_lines(&s), [3]);
    assert_eq!(
        s.rejected_preview[0].reason,
        "order_date 05/14/2024 does not exist as day/month/year"
    );
}

#[test]
fn t45_order_lines_with_european_quantities() {
    // Prices 0,05 / 0,02 / 12,90 / 1,25 prove the decimal comma, so 1.000 and 2.500 are
    // thousands. B-1: 1000 x 0.05 + 2500 x 0.02 = 50 + 50 = 100.00; B-2: 3 x 12.90 = 38.70;
    // B-3: 10 x 1.25 = 12.50. 100 + 38.70 + 12.50 = 151.20; customers K1, K2.
    let s = assert_totals("45_order_lines_european_quantities.csv", 151.2, 3.0, 2.0);
    assert_eq!(rows(&s), (4, 3, 0));
    assert_eq!(s.order_lines_merged, 1);
    assert_eq!(s.decimal.unwrap().value, DecimalSeparator::Comma);
}

#[test]
fn t46_order_lines_with_ambiguous_unit_prices() {
    // 12,50 proves the decimal comma, so 25.000 and 1.250 are thousands.
    // V-1: 1 x 25000 + 2 x 1250 = 27500; V-2: 4 x 12.50 = 50. 27550; Rossi, Bianchi.
    let s = assert_totals(
        "46_order_lines_ambiguous_unit_price.csv",
        27_550.0,
        2.0,
        2.0,
    );
    assert_eq!(rows(&s), (3, 2, 0));
    assert_eq!(s.order_lines_merged, 1);
    assert_eq!(s.decimal.unwrap().value, DecimalSeparator::Comma);
}

#[test]
fn t47_woocommerce_french_status_labels() {
    // Completed: 1001 Terminée 100 + 1006 Expédiée 600 = 700 (Dupont, Durand).
    // Not revenue: Remboursée (refunded) 200, Échouée (payment failed) 300,
    // En attente (on hold) 400, Annulée 500.
    let s = assert_totals("47_woocommerce_french_statuses.csv", 700.0, 2.0, 2.0);
    assert_eq!(rows(&s), (6, 6, 0));
}

#[test]
fn t48_excel_unicode_text_export() {
    // Excel "Unicode Text": UTF-16LE with a BOM, tabs, CRLF. X-3 ("kaputt") is line 4.
    // 1.234,50 + 99,90 + "10,00" = 1344.40; Müller GmbH, Schäfer AG, Özdemir KG.
    let f = import("48_excel_unicode_text_utf16le.txt");
    let s = f.summary.clone();
    assert_eq!(s.encoding.name, "UTF-16LE");
    assert!(s.encoding.had_bom);
    assert_eq!(s.delimiter.delimiter, '\t');
    assert_eq!(s.header_line, 1);
    assert_eq!(s.headers[0], "Bestellnummer");
    assert_eq!(rows(&s), (4, 3, 1));
    assert_eq!(rejected_lines(&s), [4]);
    assert_eq!(
        s.rejected_preview[0].reason,
        "amount \"kaputt\" is not a number"
    );
    assert_eq!(s.decimal.clone().unwrap().value, DecimalSeparator::Comma);
    assert_eq!(s.date_order.clone().unwrap().value, DateOrder::Dmy);
    assert_eq!(f.orders().unwrap().customers.name(2), "Özdemir KG");
    let (r, o, c) = totals(f);
    assert!((r - 1344.4).abs() < 1e-9, "{r}");
    assert_eq!((o, c), (3.0, 3.0));
}

#[test]
fn t49_a_footer_total_row_is_not_an_order() {
    // TOTAL,,,400.00 on line 5 has no customer: rejected, not counted twice.
    // 100 + 250 + 50 = 400; customers C1, C2.
    let s = assert_totals("49_footer_total_row.csv", 400.0, 3.0, 2.0);
    assert_eq!(rows(&s), (4, 3, 1));
    assert_eq!(rejected_lines(&s), [5]);
    assert_eq!(s.rejected_preview[0].reason, "customer_id is empty");
}

#[test]
fn t50_a_file_that_is_only_a_byte_order_mark() {
    let e = error_of("50_utf8_bom_only.csv");
    assert!(e.contains("empty"), "{e}");
}
