//! A big orders file is read as two halves on two threads; the report must be the one-pass
//! report exactly: CRLF line ends, a repeated order number across the halves, bad rows in
//! the second half, quoted amounts, ambiguous dates settled by the second half.

use std::process::Command;

fn report(path: &std::path::Path, extra: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kpi-lens"))
        .args([
            "report",
            path.to_str().unwrap(),
            "--format",
            "json",
            "--verbose",
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn two_halves_give_the_one_pass_report() {
    let rows = 150_000;
    let mut csv = String::from(
        "order_id,order_date,customer_id,salesperson,channel,status,amount,margin\r\n",
    );
    for i in 0..rows {
        // Dates a/b/2024 with a, b <= 12 are ambiguous until the second half shows a 13+ day.
        let (a, b) = if i > rows * 3 / 4 {
            (13 + i % 15, 1 + i % 12)
        } else {
            (1 + i % 12, 1 + i % 12)
        };
        let id = if i == rows - 10 { 17 } else { i }; // repeats order 17 of the first half
        let amount = if i % 10 == 0 {
            format!("\"{},{:03}.50\"", 1 + i % 9, i % 1000)
        } else {
            format!("{}.25", i % 977)
        };
        let channel = ["web", "EDI", "email", "phone", "fax"][i % 5];
        let status = if i == rows - 5 {
            "teleported"
        } else {
            "completed"
        };
        if i == rows - 20 {
            csv.push_str("X1,not a date,C1,Rep 1,web,completed,1.00,0.10\r\n");
        }
        csv.push_str(&format!(
            "ORD{id:07},{a:02}/{b:02}/2024,C{:05},Rep {:02},{channel},{status},{amount},{}.10\r\n",
            i % 9_000,
            i % 23,
            i % 50
        ));
    }
    assert!(csv.len() as u64 > kpi_core::ingest::parallel::MIN_SPLIT_BYTES);
    let dir = std::env::temp_dir().join(format!("kpi-lens-halves-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("orders_crlf.csv");
    std::fs::write(&path, &csv).unwrap();
    let (two, log) = report(&path, &[]);
    assert!(log.contains("read in two parts"), "{log}");
    let (one, log_one) = report(&path, &["--one-pass"]);
    assert!(!log_one.contains("read in two parts"), "{log_one}");
    assert_eq!(two, one);
    let json: serde_json::Value = serde_json::from_str(&two).unwrap();
    let file = &json["imports"][0];
    assert_eq!(file["duplicates"], 1);
    assert_eq!(file["rows_rejected"], 2);
    assert_eq!(file["date_order"]["value"], "dmy");
    // The repeat's own text, read again from the second half.
    let raw = file["rejected_preview"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reason"].as_str().unwrap().starts_with("duplicate"))
        .unwrap()["raw"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(raw.starts_with("ORD0000017,"), "{raw}");
    std::fs::remove_dir_all(&dir).unwrap();
}
