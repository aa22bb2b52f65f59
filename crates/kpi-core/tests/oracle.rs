//! Property tests: random order tables, written out as CSV in random dialects, must import
//! back to the same values, and the KPIs must equal a second, deliberately naive
//! implementation written here (hash maps over the generated rows, not the parsed columns).

use kpi_core::ingest::values::days_from_ymd;
use kpi_core::{compute, import_bytes, Dataset, ImportOptions, ReportOptions};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone)]
struct Order {
    customer: u8,
    /// Days after 2023-01-01.
    day: u16,
    cents: i64,
    /// 0-5 completed, 6 cancelled, 7 returned
    status: u8,
    channel: u8,
    salesperson: u8,
}

fn order() -> impl Strategy<Value = Order> {
    (
        0u8..40,
        0u16..900,
        -5_000i64..5_000_000,
        0u8..8,
        0u8..4,
        0u8..5,
    )
        .prop_map(
            |(customer, day, cents, status, channel, salesperson)| Order {
                customer,
                day,
                cents,
                status,
                channel,
                salesperson,
            },
        )
}

#[derive(Debug, Clone)]
struct Dialect {
    delimiter: u8,
    decimal_comma: bool,
    /// 0 ISO, 1 dd/mm/yyyy, 2 mm/dd/yyyy
    date_style: u8,
    crlf: bool,
    /// 0 UTF-8, 1 UTF-8 with BOM, 2 UTF-16LE with BOM, 3 windows-1252
    encoding: u8,
    quote_all: bool,
}

fn dialect() -> impl Strategy<Value = Dialect> {
    (
        prop::sample::select(vec![b',', b';', b'\t', b'|']),
        any::<bool>(),
        0u8..3,
        any::<bool>(),
        0u8..4,
        any::<bool>(),
    )
        .prop_map(
            |(delimiter, decimal_comma, date_style, crlf, encoding, quote_all)| Dialect {
                delimiter,
                decimal_comma,
                date_style,
                crlf,
                encoding,
                quote_all,
            },
        )
}

const STATUS: [&str; 8] = [
    "completed",
    "shipped",
    "Evaso",
    "delivered",
    "",
    "geliefert",
    "cancelled",
    "returned",
];
const CHANNELS: [&str; 4] = ["web", "EDI", "e-mail", "Telefono"];
const CHANNEL_IDS: [&str; 4] = ["web", "edi", "email", "phone"];
// Names with accents, quotes, delimiters and a formula-looking one: text must survive.
const SALESPEOPLE: [&str; 5] = [
    "Anna Müller",
    "José \"Pepe\" Ruiz",
    "Rossi; Marco",
    "=SUM(A1)",
    "Zoë | Li",
];

fn base_day() -> i32 {
    days_from_ymd(2023, 1, 1).unwrap()
}

fn amount_text(cents: i64, comma: bool) -> String {
    let neg = cents < 0;
    let abs = cents.abs();
    let (int, frac) = (abs / 100, abs % 100);
    // Thousands separators on big amounts, as spreadsheets write them.
    let mut digits = int.to_string();
    if int >= 1000 {
        let sep = if comma { '.' } else { ',' };
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(sep);
            }
            grouped.push(c);
        }
        digits = grouped;
    }
    let dec = if comma { ',' } else { '.' };
    format!("{}{digits}{dec}{frac:02}", if neg { "-" } else { "" })
}

fn date_text(day: u16, style: u8) -> String {
    let iso = kpi_core::ingest::values::iso_date(base_day() + day as i32);
    let (y, m, d) = (&iso[0..4], &iso[5..7], &iso[8..10]);
    match style {
        0 => iso.clone(),
        1 => format!("{d}/{m}/{y}"),
        _ => format!("{m}/{d}/{y}"),
    }
}

fn write_csv(orders: &[Order], d: &Dialect) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(d.delimiter)
        .quote_style(if d.quote_all {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        })
        .terminator(if d.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    w.write_record([
        "order_id",
        "customer_id",
        "order_date",
        "amount",
        "status",
        "channel",
        "salesperson",
    ])
    .unwrap();
    for (i, o) in orders.iter().enumerate() {
        w.write_record([
            format!("SO-{i}"),
            format!("Kunde {}", o.customer),
            date_text(o.day, d.date_style),
            amount_text(o.cents, d.decimal_comma),
            STATUS[o.status as usize].to_string(),
            CHANNELS[o.channel as usize].to_string(),
            SALESPEOPLE[o.salesperson as usize].to_string(),
        ])
        .unwrap();
    }
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    match d.encoding {
        0 => text.into_bytes(),
        1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        2 => {
            let mut out = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                out.extend_from_slice(&u.to_le_bytes());
            }
            out
        }
        _ => encoding_rs::WINDOWS_1252.encode(&text).0.into_owned(),
    }
}

/// The naive second implementation: per customer and per month, with hash maps.
struct Expected {
    revenue_cents: i64,
    orders: usize,
    customers: usize,
    repeat: usize,
    by_month: BTreeMap<String, (i64, HashSet<u8>)>,
    channel_customers: HashMap<&'static str, HashSet<u8>>,
}

fn expected(orders: &[Order]) -> Expected {
    let mut e = Expected {
        revenue_cents: 0,
        orders: 0,
        customers: 0,
        repeat: 0,
        by_month: BTreeMap::new(),
        channel_customers: HashMap::new(),
    };
    let mut per_customer: HashMap<u8, usize> = HashMap::new();
    for o in orders.iter().filter(|o| o.status < 6) {
        e.revenue_cents += o.cents;
        e.orders += 1;
        *per_customer.entry(o.customer).or_default() += 1;
        let iso = kpi_core::ingest::values::iso_date(base_day() + o.day as i32);
        let m = e.by_month.entry(iso[..7].to_string()).or_default();
        m.0 += o.cents;
        m.1.insert(o.customer);
        e.channel_customers
            .entry(CHANNEL_IDS[o.channel as usize])
            .or_default()
            .insert(o.customer);
    }
    e.customers = per_customer.len();
    e.repeat = per_customer.values().filter(|n| **n >= 2).count();
    e
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_dialect_imports_back_and_kpis_match_the_naive_count(
        orders in prop::collection::vec(order(), 1..120),
        d in dialect(),
    ) {
        let bytes = write_csv(&orders, &d);
        // A column of dates that are all ambiguous needs the user's word, as in the app.
        let opts = ImportOptions {
            date_order: match d.date_style {
                1 => Some(kpi_core::ingest::values::DateOrder::Dmy),
                2 => Some(kpi_core::ingest::values::DateOrder::Mdy),
                _ => None,
            },
            decimal: Some(if d.decimal_comma {
                kpi_core::ingest::values::DecimalSeparator::Comma
            } else {
                kpi_core::ingest::values::DecimalSeparator::Dot
            }),
            ..Default::default()
        };
        let imported = import_bytes("random.csv", &bytes, &opts).expect("imports");
        let s = &imported.summary;
        prop_assert_eq!(s.rows_read as usize, orders.len());
        prop_assert_eq!(s.rows_rejected, 0, "rejected: {:?}", s.rejected_preview);
        prop_assert_eq!(s.delimiter.delimiter as u8, d.delimiter);
        // Salesperson names come back exactly, whatever the quoting and encoding.
        let names: HashSet<&str> = imported.orders().unwrap().salespeople.names().collect();
        for o in &orders {
            prop_assert!(names.contains(SALESPEOPLE[o.salesperson as usize]));
        }
        let mut data = Dataset::default();
        data.add(imported);
        let r = compute(&data, &ReportOptions::default());
        let e = expected(&orders);
        let v = |id: &str| r.kpi(id).unwrap().value;
        if e.orders == 0 {
            prop_assert_eq!(v("aov"), None);
            prop_assert_eq!(v("revenue"), Some(0.0));
            return Ok(());
        }
        prop_assert_eq!(v("revenue"), Some(e.revenue_cents as f64 / 100.0));
        prop_assert_eq!(v("orders"), Some(e.orders as f64));
        prop_assert_eq!(v("customers"), Some(e.customers as f64));
        prop_assert_eq!(v("repeat_customer_rate"), Some(e.repeat as f64 / e.customers as f64));
        let aov = v("aov").unwrap();
        prop_assert!((aov - e.revenue_cents as f64 / 100.0 / e.orders as f64).abs() < 1e-9);
        // Months with orders carry exactly the naive sums; months between them are zero.
        let revenue = &r.kpi("revenue").unwrap().series;
        let customers = &r.kpi("customers").unwrap().series;
        for (p, c) in revenue.iter().zip(customers) {
            match e.by_month.get(&p.period) {
                Some((cents, set)) => {
                    prop_assert_eq!(p.value, Some(*cents as f64 / 100.0));
                    prop_assert_eq!(c.value, Some(set.len() as f64));
                }
                None => prop_assert_eq!(p.value, Some(0.0)),
            }
        }
        // The series spans the data: from the month of the first order of any status.
        let first_day = orders.iter().map(|o| o.day).min().unwrap();
        let first_month = kpi_core::ingest::values::iso_date(base_day() + first_day as i32)[..7].to_string();
        prop_assert_eq!(revenue.first().map(|p| p.period.clone()), Some(first_month));
        // Active customers, churn, retention and online retention by month, against sets of
        // customers per month (channels 0 and 1, web and EDI, are online).
        let month_set = |period: &str, online_only: bool| -> HashSet<u8> {
            orders
                .iter()
                .filter(|o| o.status < 6 && (!online_only || o.channel < 2))
                .filter(|o| kpi_core::ingest::values::iso_date(base_day() + o.day as i32)[..7] == *period)
                .map(|o| o.customer)
                .collect()
        };
        let series = |id: &str| r.kpi(id).unwrap().series.iter().map(|p| p.value).collect::<Vec<_>>();
        let (active, churn, retention, online_retention) = (
            series("active_customers"),
            series("churn_rate"),
            series("retention_rate"),
            series("online_retention_rate"),
        );
        for (i, p) in revenue.iter().enumerate() {
            let now = month_set(&p.period, false);
            prop_assert_eq!(active[i], Some(now.len() as f64), "active in {}", p.period);
            let kept = |before: &HashSet<u8>, now: &HashSet<u8>| {
                (i > 0 && !before.is_empty())
                    .then(|| (before.intersection(now).count() as f64, before.len() as f64))
            };
            let before = if i > 0 { month_set(&revenue[i - 1].period, false) } else { HashSet::new() };
            let k = kept(&before, &now);
            prop_assert_eq!(churn[i], k.map(|(s, n)| 1.0 - s / n), "churn in {}", p.period);
            prop_assert_eq!(retention[i], k.map(|(s, n)| s / n), "retention in {}", p.period);
            let online_before = if i > 0 { month_set(&revenue[i - 1].period, true) } else { HashSet::new() };
            let k = kept(&online_before, &month_set(&p.period, true));
            prop_assert_eq!(online_retention[i], k.map(|(s, n)| s / n), "online retention in {}", p.period);
        }
        let by_channel = &r.kpi("customers").unwrap().breakdowns["channel"];
        for slice in by_channel {
            let want = e.channel_customers.get(slice.key.as_str()).map(|s| s.len()).unwrap_or(0);
            prop_assert_eq!(slice.value, Some(want as f64), "channel {}", slice.key);
        }
    }
}

/// Order KPIs by salesperson against hash sets, for a few salespeople (their groups share a
/// bit set with the channels) and for more than 64 (summed by sorting instead).
#[test]
fn salesperson_breakdowns_match_hash_sets_for_few_and_many_salespeople() {
    for salespeople in [3u64, 30, 70] {
        let mut state = salespeople;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let mut csv =
            String::from("order_id,customer_id,order_date,amount,status,channel,salesperson\n");
        // name -> (cents, customers, orders per customer)
        let mut want: HashMap<String, (i64, HashMap<u64, u32>)> = HashMap::new();
        for i in 0..4000 {
            let (customer, cents, sp) = (next(300), next(100_000) as i64, next(salespeople));
            let status = if next(10) == 0 {
                "cancelled"
            } else {
                "completed"
            };
            let day = 1 + i * 28 / 4000;
            let name = format!("Rep {sp}");
            csv.push_str(&format!(
                "SO-{i},C{customer},2024-02-{day:02},{}.{:02},{status},web,{name}\n",
                cents / 100,
                cents % 100
            ));
            if status == "completed" {
                let (sum, seen) = want.entry(name).or_default();
                *sum += cents;
                *seen.entry(customer).or_default() += 1;
            }
        }
        let mut data = Dataset::default();
        data.add(import_bytes("orders.csv", csv.as_bytes(), &ImportOptions::default()).unwrap());
        let r = compute(&data, &ReportOptions::default());
        let slices = |id: &str| r.kpi(id).unwrap().breakdowns["salesperson"].clone();
        let revenue = slices("revenue");
        let customers = slices("customers");
        let repeat = slices("repeat_customer_rate");
        assert_eq!(revenue.len(), want.len(), "{salespeople} salespeople");
        for (name, (cents, seen)) in &want {
            let find = |s: &[kpi_core::report::Slice]| {
                s.iter().find(|s| &s.key == name).and_then(|s| s.value)
            };
            assert_eq!(find(&revenue), Some(*cents as f64 / 100.0), "{name}");
            assert_eq!(find(&customers), Some(seen.len() as f64), "{name}");
            let repeaters = seen.values().filter(|n| **n >= 2).count();
            assert_eq!(
                find(&repeat),
                Some(repeaters as f64 / seen.len() as f64),
                "{name}"
            );
        }
    }
}
