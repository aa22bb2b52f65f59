//! A file read as two parts (two threads in the CLI, two workers in the browser) must give
//! exactly what one pass gives: every fixture, split after every line break.

use kpi_core::ingest::parallel::{import_bytes_split, SplitPlan};
use kpi_core::{import_bytes, ImportOptions, ImportedFile};

fn fixture_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// Everything a person or script can see of an import, rows included, as text.
fn dump(f: &ImportedFile) -> String {
    let mut out = serde_json::to_string_pretty(&f.summary).unwrap();
    out.push_str(&format!("\n{:?}\n", f.rejected));
    if let Some(t) = f.orders() {
        for i in 0..t.len() {
            out.push_str(&format!(
                "{} {} {} {} {:?} {} {:?} {} {} {} {:?} {}\n",
                t.order_keys.get(i),
                t.customers.name(t.customer[i]),
                t.day[i],
                t.amount[i],
                t.channel[i],
                t.salespeople.name(t.salesperson[i]),
                t.status[i],
                t.regions.name(t.region.get(i)),
                t.segments.name(t.segment.get(i)),
                t.users.name(t.user.get(i)),
                t.margin.as_ref().map(|m| m[i]),
                t.line[i],
            ));
        }
        // Ids in order of first appearance, as one pass assigns them.
        out.push_str(&format!("{:?}\n", t.customer));
    }
    out
}

/// Split `bytes` after every `\n`; each split that lands between records must reproduce the
/// one-pass import. Returns (splits compared, splits refused).
fn check_every_split(name: &str, bytes: &[u8]) -> (usize, usize) {
    let opts = ImportOptions::default();
    let Ok(one_pass) = import_bytes(name, bytes, &opts) else {
        return (0, 0);
    };
    let want = dump(&one_pass);
    let (mut compared, mut refused) = (0, 0);
    for (i, _) in bytes.iter().enumerate().filter(|(_, &b)| b == b'\n') {
        let split = i + 1;
        if split >= bytes.len() {
            continue;
        }
        match import_bytes_split(name, bytes, split, &opts).unwrap() {
            Some(two_parts) => {
                assert_eq!(dump(&two_parts), want, "{name} split at byte {split}");
                compared += 1;
            }
            None => refused += 1,
        }
    }
    (compared, refused)
}

#[test]
fn every_orders_fixture_split_anywhere_gives_the_one_pass_result() {
    let mut files = 0;
    for dir in ["", "import"] {
        for entry in std::fs::read_dir(fixture_dir().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let splittable = matches!(
                SplitPlan::new(&bytes, true, bytes.len() as u64, &ImportOptions::default()),
                Ok(Some(_))
            );
            if !splittable {
                continue;
            }
            let (compared, _) = check_every_split(&name, &bytes);
            let rows = import_bytes(&name, &bytes, &ImportOptions::default())
                .map(|f| f.summary.rows_read)
                .unwrap_or(0);
            if rows >= 2 {
                assert!(compared > 0, "{name}: no split was compared");
                files += 1;
            }
        }
    }
    // The trap fixtures hold many one-row-per-order UTF-8 orders files.
    assert!(files >= 20, "only {files} fixtures were split");
}

#[test]
fn a_split_inside_a_quoted_field_is_refused_not_misread() {
    let csv = "order_id,order_date,customer_id,amount,note\n\
               A1,2024-01-02,C1,10.00,\"first line\nsecond line\"\n\
               A2,2024-01-03,C2,20.00,plain\n";
    let inside = csv.find("first line\n").unwrap() + "first line\n".len();
    assert!(
        import_bytes_split("q.csv", csv.as_bytes(), inside, &ImportOptions::default())
            .unwrap()
            .is_none()
    );
    let between = csv.find("A2").unwrap();
    let two = import_bytes_split("q.csv", csv.as_bytes(), between, &ImportOptions::default())
        .unwrap()
        .expect("a split between records is used");
    assert_eq!(two.summary.rows_ok, 2);
    assert_eq!(two.orders().unwrap().line, vec![2, 4]);
}

#[test]
fn a_repeat_across_the_split_is_rejected_with_its_own_text_and_line() {
    let csv = "order_id,order_date,customer_id,amount\n\
               A1,2024-01-02,C1,10.00\n\
               A2,2024-01-03,C2,20.00\n\
               A1,2024-01-04,C3,\"1,030.00\"\n";
    let split = csv.find("A2").unwrap();
    let two = import_bytes_split("d.csv", csv.as_bytes(), split, &ImportOptions::default())
        .unwrap()
        .unwrap();
    assert_eq!(two.summary.duplicates, 1);
    assert_eq!(two.rejected.len(), 1);
    assert_eq!(two.rejected[0].line, 4);
    assert_eq!(
        two.rejected[0].reason,
        "duplicate order_id \"A1\" (first on line 2)"
    );
    // Read again from the file: the row as written.
    assert_eq!(two.rejected[0].raw, "A1,2024-01-04,C3,\"1,030.00\"");
    assert_eq!(two.summary.rejected_preview[0].raw, two.rejected[0].raw);
}

#[test]
fn a_generated_file_split_in_the_middle_matches_one_pass() {
    let mut bytes = Vec::new();
    kpi_core::demo::write_bench_orders(&mut bytes, 20_000, 7).unwrap();
    let middle = bytes.len() / 2;
    let split = kpi_core::ingest::parallel::split_point(&bytes[middle..], middle as u64).unwrap();
    let opts = ImportOptions::default();
    let two = import_bytes_split("g.csv", &bytes, split as usize, &opts)
        .unwrap()
        .unwrap();
    assert_eq!(
        dump(&two),
        dump(&import_bytes("g.csv", &bytes, &opts).unwrap())
    );
}

#[test]
fn a_damaged_second_part_is_an_error_not_a_panic() {
    use kpi_core::ingest::parallel::{read_second_part, SecondPart};
    let csv = "order_id,order_date,customer_id,amount,margin,salesperson\n\
               A1,2024-01-02,C1,10.00,1.00,Ann\n\
               A2,03/04/2024,C2,\"1.000\",2.00,Bob\n\
               A3,2024-01-04,C1,x,2.00,Bob\n";
    let opts = ImportOptions::default();
    let plan = SplitPlan::new(csv.as_bytes(), true, csv.len() as u64, &opts)
        .unwrap()
        .unwrap();
    let split = csv.find("A2").unwrap();
    let part = read_second_part(&plan, &csv.as_bytes()[split..], &mut |_, _| true).unwrap();
    let bytes = part.to_bytes();
    assert!(SecondPart::from_bytes(&plan, &bytes).is_ok());
    for cut in 0..bytes.len() {
        assert!(
            SecondPart::from_bytes(&plan, &bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    let mut flipped = bytes.clone();
    flipped.push(0);
    assert!(SecondPart::from_bytes(&plan, &flipped).is_err());
}

/// Order numbers that rise need no lookups until one does not: the repeats after that point
/// must still all be found, against rows from before it too, split or not.
#[test]
fn repeats_after_rising_order_numbers_are_all_found() {
    let csv = "order_id,order_date,customer_id,amount\n\
               A1,2024-01-02,C1,1\n\
               A2,2024-01-02,C1,2\n\
               A5,2024-01-02,C1,3\n\
               A3,2024-01-02,C1,4\n\
               A2,2024-01-03,C2,5\n\
               A6,2024-01-03,C2,6\n\
               A5,2024-01-03,C2,7\n\
               A7,2024-01-03,C2,8\n";
    let one = import_bytes("r.csv", csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(one.summary.duplicates, 2);
    let reasons: Vec<&str> = one.rejected.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "duplicate order_id \"A2\" (first on line 3)",
            "duplicate order_id \"A5\" (first on line 4)"
        ]
    );
    assert_eq!(one.rejected[0].line, 6);
    assert_eq!(one.rejected[0].raw, "A2,2024-01-03,C2,5");
    let (compared, _) = check_every_split("r.csv", csv.as_bytes());
    assert_eq!(compared, 8);
}

/// Region, segment and user columns (stored as nothing while all zeros) cross from the
/// second part intact: a few values (one byte each on the wire), empty cells, and more
/// than 255 regions in the second part (four bytes each).
#[test]
fn id_columns_of_the_second_part_come_back_intact() {
    for regions in [3, 600] {
        let mut csv =
            String::from("order_id,order_date,customer_id,amount,region,segment,user_id\n");
        for i in 0..600 {
            let region = if i % 7 == 0 {
                String::new()
            } else {
                format!("R{}", i % regions)
            };
            let segment = ["Retail", "", "Wholesale"][i % 3];
            let user = if i % 2 == 0 {
                format!("U{}", i % 5)
            } else {
                String::new()
            };
            csv.push_str(&format!(
                "O{i:04},2024-01-{:02},C{},{}.50,{region},{segment},{user}\n",
                i % 28 + 1,
                i % 40,
                i + 1
            ));
        }
        let want =
            dump(&import_bytes("ids.csv", csv.as_bytes(), &ImportOptions::default()).unwrap());
        // A few splits, each after a line break (every split is `check_every_split`'s job).
        for at in [csv.len() / 4, csv.len() / 2, csv.len() * 3 / 4] {
            let split = csv[at..].find('\n').unwrap() + at + 1;
            let two =
                import_bytes_split("ids.csv", csv.as_bytes(), split, &ImportOptions::default())
                    .unwrap()
                    .expect("splits there");
            assert_eq!(dump(&two), want, "{regions} regions, split at byte {split}");
        }
    }
}
