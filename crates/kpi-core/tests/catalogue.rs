//! The KPI catalogue on the small multi-file fixture set (`tests/fixtures/orders_basic.csv`
//! plus `tests/fixtures/kinds/*.csv`), every expected value worked out by hand below.
//!
//! Orders: C1 on 01-05, 02-02, 03-15; C2 on 01-17, 02-28; C3 on 02-14, 03-30; C4 03-03;
//! C5 03-21; C6 04-02 (2024). The range snaps to whole months: 2024-01-01 to 2024-04-30
//! (121 days). Active per month: Jan {C1,C2}, Feb {C1,C2,C3}, Mar {C1,C3,C4,C5}, Apr {C6}.

use kpi_core::report::Report;
use kpi_core::{compute, import_bytes, Dataset, ImportOptions, ReportOptions};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn report(files: &[&str], opts: &ReportOptions) -> Report {
    let mut data = Dataset::default();
    for f in files {
        data.add(
            import_bytes(f, &fixture(f), &ImportOptions::default())
                .unwrap_or_else(|e| panic!("{f}: {e}")),
        );
    }
    compute(&data, opts)
}

const ALL: [&str; 12] = [
    "orders_basic.csv",
    "kinds/customers.csv",
    "kinds/users.csv",
    "kinds/traffic.csv",
    "kinds/carts.csv",
    "kinds/quotes.csv",
    "kinds/opportunities.csv",
    "kinds/spend.csv",
    "kinds/support.csv",
    "kinds/surveys.csv",
    "kinds/inventory.csv",
    "kinds/returns.csv",
];

fn check(r: &Report, id: &str, expected: f64) {
    let k = r.kpi(id).unwrap_or_else(|| panic!("no KPI {id}"));
    let v = k
        .value
        .unwrap_or_else(|| panic!("{id} not computed: needs {:?}", k.missing));
    assert!((v - expected).abs() < 1e-9, "{id}: {v} != {expected}");
}

#[test]
fn every_kpi_on_the_fixture_set_by_hand() {
    let r = report(&ALL, &ReportOptions::default());
    assert_eq!(
        (r.from.as_deref(), r.to.as_deref()),
        (Some("2024-01-01"), Some("2024-04-30"))
    );
    check(&r, "active_customers", 1.0); // April: C6
    check(&r, "new_customers", 6.0); // every first order is in the range
                                     // Churn per month: Feb 0/2, Mar 1/3 (C2), Apr 4/4 (C1, C3, C4, C5); headline = April.
    check(&r, "churn_rate", 1.0);
    check(&r, "retention_rate", 0.0);
    let churn: Vec<Option<f64>> = r
        .kpi("churn_rate")
        .unwrap()
        .series
        .iter()
        .map(|p| p.value)
        .collect();
    let expected = [None, Some(0.0), Some(1.0 / 3.0), Some(1.0)];
    assert_eq!(churn.len(), 4);
    for (got, want) in churn.iter().zip(expected) {
        assert_eq!(got.is_some(), want.is_some());
        assert!(
            (got.unwrap_or(0.0) - want.unwrap_or(0.0)).abs() < 1e-12,
            "{churn:?}"
        );
    }
    let previous = r.kpi("churn_rate").unwrap().previous_value.unwrap();
    assert!((previous - 1.0 / 3.0).abs() < 1e-12);
    // Returns file: orders 1004 and 1007 of 10 orders; one says "wrong delivery".
    check(&r, "return_rate", 0.2);
    check(&r, "wrong_delivery_rate", 0.1);
    // Traffic: orders 30 + 45 + 50 + 20 = 145 over sessions 1000 + 1500 + 2000 + 500.
    check(&r, "conversion_rate", 145.0 / 5000.0);
    // Carts: 6 created; K1 and K3 converted by status, K6 by its order id.
    check(&r, "cart_abandonment_rate", 0.5);
    // Quotes: Q1, Q3, Q5 accepted of 5.
    check(&r, "quote_acceptance_rate", 0.6);
    // Spend: marketing 1000 + 1200 + 800 + 500 = 3500, sales 500 + 600 + 400 + 500 = 2000,
    // over 6 new customers.
    check(&r, "cac", 5500.0 / 6.0);
    check(&r, "marketing_cac_share", 3500.0 / 5500.0);
    // Sources: C1, C3, C5 marketing; C2, C6 sales; C4 referral.
    check(&r, "marketing_originated_share", 0.5);
    // Opportunities closed in range: O1 won, O2 lost, O3 won, O5 won.
    check(&r, "win_rate", 0.75);
    check(&r, "lead_conversion_rate", 0.75);
    check(&r, "avg_deal_size", 2000.0); // (1000 + 3000 + 2000) / 3
                                        // Cycles of the won: O1 30 days, O3 60 (Jan 10 to Mar 10, leap year), O5 10.
    check(&r, "sales_cycle_days", 30.0);
    check(&r, "sales_cycle_days_mean", 100.0 / 3.0);
    // Open at Apr 30: O4 and O6. 2 x 2000 x 0.75 / (100/3) = 90 per day.
    check(&r, "sales_velocity", 90.0);
    check(&r, "sales_velocity_monthly", 90.0 * 365.25 / 12.0);
    // NPS answers 10, 9, 7, 3, 10: 3 promoters, 1 detractor of 5.
    check(&r, "nps", 40.0);
    // CSAT answers 5, 4, 2, 4: 3 of 4 score 4-5.
    check(&r, "csat", 0.75);
    // Support: 6 contacts; call, call, phone = 3 calls; 2 emails; one chat.
    check(&r, "support_contacts", 6.0);
    check(&r, "calls", 3.0);
    check(&r, "emails", 2.0);
    check(&r, "contacts_per_order", 0.6);
    check(&r, "contacts_per_customer", 1.0);
    // Users: 8 created by Apr 30; last active in range: u1, u3, u5, u6, u7.
    check(&r, "users", 8.0);
    check(&r, "active_users", 5.0);
    check(&r, "usage_rate", 0.625);
    // Revenue is net of the returns file's refunds: 2,730.75 - 1,200.00 (1004) - 89.90 (1007).
    check(&r, "revenue", 1440.85);
    check(&r, "orders", 10.0); // the refunded orders were still completed orders
    check(&r, "aov", 144.085);
    // CLV = AOV 144.085 x (10 orders / 6 customers / (121 / 365.25) years)
    //       x 1 / (1 - (1 - mean churn)^12), mean churn = (0 + 1/3 + 1) / 3 = 4/9.
    let annual_churn = 1.0 - (1.0f64 - 4.0 / 9.0).powi(12); // same to ~1e-16
    let clv = 144.085 * (10.0 / 6.0 / (121.0 / 365.25)) / annual_churn;
    check(&r, "clv", clv);
    check(&r, "ltv_cac_ratio", clv / (5500.0 / 6.0));
    // No channel column in orders_basic: the channel KPIs say what they need.
    let k = r.kpi("online_revenue_share").unwrap();
    assert_eq!(k.value, None);
    assert!(k.missing[0].contains("channel column"), "{:?}", k.missing);
}

#[test]
fn inventory_turnover_and_margin_clv() {
    let r = report(
        &["kinds/orders_with_margin.csv", "kinds/inventory.csv"],
        &ReportOptions::default(),
    );
    // Range Jan 1 - Mar 31 (91 days). COGS = (1000 - 250) + (2000 - 500) + (3000 - 750) = 4500.
    // Inventory snapshots in range: 10000, 12000, 8000 -> average 10000.
    check(&r, "inventory_turnover", 0.45);
    check(&r, "days_of_inventory", 91.0 / 0.45);
    // Online = web + EDI: (1000 + 3000) / 6000.
    check(&r, "online_revenue_share", 4000.0 / 6000.0);
    check(&r, "channel_mix", 0.5); // EDI 3000 of 6000 is the largest channel
                                   // Online retention: Jan online {A}; Feb online {} -> 0/1; Mar: Feb had no online buyer.
    check(&r, "online_retention_rate", 0.0);
    // Margin CLV: margin per order 500 x (3 orders / 2 customers / (91/365.25)) x lifespan.
    // Churn: Feb {B} vs Jan {A} -> 1; Mar {A} vs Feb {B} -> 1; mean 1 -> lifespan 1 year.
    check(&r, "clv_margin", 500.0 * (3.0 / 2.0 / (91.0 / 365.25)));
}

#[test]
fn kpis_without_their_file_say_which_file_would_unlock_them() {
    let r = report(&["orders_basic.csv"], &ReportOptions::default());
    for (id, needs) in [
        ("cac", "spend file"),
        ("nps", "surveys file"),
        ("win_rate", "opportunities file"),
        ("conversion_rate", "traffic file"),
        ("quote_acceptance_rate", "quotes file"),
        ("inventory_turnover", "inventory file"),
        ("usage_rate", "users file"),
        ("marketing_originated_share", "customers file"),
    ] {
        let k = r.kpi(id).unwrap();
        assert_eq!(k.value, None, "{id}");
        assert!(
            k.missing.iter().any(|m| m.contains(needs)),
            "{id}: {:?}",
            k.missing
        );
    }
}

#[test]
fn a_chosen_range_is_compared_with_the_previous_one_and_last_year() {
    let day = |s: &str| match kpi_core::ingest::values::parse_date(s) {
        kpi_core::ingest::values::DateCell::Day(d) => d,
        _ => unreachable!(),
    };
    let opts = ReportOptions {
        from: Some(day("2024-03-01")),
        to: Some(day("2024-03-31")),
        ..ReportOptions::default()
    };
    let r = report(&["orders_basic.csv"], &opts);
    // March: 310 + 89.90 + 15 + 640.10; the 31 days before (Jan 30 - Feb 29): 75.25 + 1200 + 49.99.
    check(&r, "revenue", 1055.0);
    let k = r.kpi("revenue").unwrap();
    assert!(
        (k.previous_value.unwrap() - 1325.24).abs() < 1e-9,
        "{:?}",
        k.previous_value
    );
    // March 2023 has no orders.
    assert_eq!(k.last_year_value, Some(0.0));
}

#[test]
fn cohort_retention_matrix_by_hand() {
    let r = report(&["orders_basic.csv"], &ReportOptions::default());
    let c = &r.cohorts;
    // First orders: C1, C2 in January; C3 February; C4, C5 March; C6 April.
    let names: Vec<(&str, u64)> = c.iter().map(|c| (c.cohort.as_str(), c.customers)).collect();
    assert_eq!(
        names,
        [
            ("2024-01", 2),
            ("2024-02", 1),
            ("2024-03", 2),
            ("2024-04", 1)
        ]
    );
    // January cohort: both in Feb, only C1 in March, nobody in April.
    let jan: Vec<f64> = c[0].retention.iter().map(|v| v.unwrap()).collect();
    assert_eq!(jan, [1.0, 1.0, 0.5, 0.0]);
    // February cohort (C3): ordered again in March; April empty; no column past the data.
    let feb: Vec<f64> = c[1].retention.iter().map(|v| v.unwrap()).collect();
    assert_eq!(feb, [1.0, 1.0, 0.0]);
    // Cumulative revenue per January customer: (100 + 250.50) / 2, + (75.25 + 49.99) / 2,
    // + 89.90 / 2, + 0.
    let rev: Vec<f64> = c[0]
        .revenue_per_customer
        .iter()
        .map(|v| v.unwrap())
        .collect();
    for (got, want) in rev.iter().zip([175.25, 237.87, 282.82, 282.82]) {
        assert!((got - want).abs() < 1e-9, "{rev:?}");
    }
}

#[test]
fn rfm_scores_and_segments_by_hand() {
    let r = report(&["orders_basic.csv"], &ReportOptions::default());
    // Range end 2024-04-30. Recency days: C1 46, C2 62, C3 31, C4 58, C5 40, C6 28.
    // Quintiles of 6 (score = 1 + 5 x rank / 6, ties share the first rank):
    //   R: C2 1, C4 1, C1 2, C5 3, C3 4, C6 5;  F (1,1,1,2,2,3): C4 C5 C6 1, C2 C3 3, C1 5.
    // Segments: C1 (R2 F5) at risk, C2 (R1 F3) at risk, C3 (R4 F3) potential loyalist,
    // C4 (R1 F1) lost, C5 (R3 F1) need attention, C6 (R5 F1) new.
    let seg = |name: &str| {
        r.rfm_segments
            .iter()
            .find(|s| s.segment == name)
            .unwrap()
            .clone()
    };
    assert_eq!(seg("At risk").customers, 2);
    // C1: 100 + 75.25 + 89.90; C2: 250.50 + 49.99
    assert!((seg("At risk").revenue - 565.64).abs() < 1e-9);
    assert_eq!(seg("Potential loyalist").customers, 1);
    assert_eq!(seg("Lost").customers, 1);
    assert_eq!(seg("Need attention").customers, 1);
    assert_eq!(seg("New customers").customers, 1);
    assert_eq!(seg("Champions").customers, 0);
    // The at-risk list, biggest spender first: C2 (300.49) then C1 (265.15).
    let who: Vec<(&str, u8, u8, u8)> = r
        .at_risk_customers
        .iter()
        .map(|c| (c.customer.as_str(), c.r, c.f, c.m))
        .collect();
    // M (0.01, 15, 265.15, 300.49, 310, 1840.10): C1 2, C2 3.
    assert_eq!(who, [("C2", 1, 3, 3), ("C1", 2, 5, 2)]);
}

#[test]
fn kpis_are_split_by_salesperson_and_filters_cut_every_file() {
    let files = ["orders_messy.csv", "kinds/opportunities.csv"];
    let day = |s: &str| match kpi_core::ingest::values::parse_date(s) {
        kpi_core::ingest::values::DateCell::Day(d) => d,
        _ => unreachable!(),
    };
    // January to June 2024: the opportunities close in Q1, the orders are in May and June.
    let base = ReportOptions {
        from: Some(day("2024-01-01")),
        to: Some(day("2024-06-30")),
        ..ReportOptions::default()
    };
    let r = report(&files, &base);
    // Opportunities by salesperson: Giulia O1 won, O2 lost, O5 won -> 2/3; Marco O3 won -> 1.
    let slices = &r.kpi("win_rate").unwrap().breakdowns["salesperson"];
    let get = |k: &str| slices.iter().find(|s| s.key == k).and_then(|s| s.value);
    assert_eq!(get("Giulia Rossi"), Some(2.0 / 3.0));
    assert_eq!(get("Marco Bianchi"), Some(1.0));
    // Filtering on Marco keeps his orders (A-8 400 completed; A-5 cancelled, A-6 returned)
    // and his opportunities (O3 won, O4 open).
    let opts = ReportOptions {
        filters: vec![("salesperson".into(), "Marco Bianchi".into())],
        ..base
    };
    let r = report(&files, &opts);
    check(&r, "revenue", 400.0);
    check(&r, "win_rate", 1.0);
    // A-6 returned of A-8 completed + A-6 returned.
    check(&r, "return_rate", 0.5);
}

#[test]
fn a_return_without_an_amount_refunds_the_whole_order() {
    let mut data = Dataset::default();
    data.add(
        import_bytes(
            "o.csv",
            &fixture("orders_basic.csv"),
            &ImportOptions::default(),
        )
        .unwrap(),
    );
    let returns =
        b"order_id,return date,reason\n1004,2024-02-20,damaged\n9999,2024-02-21,unknown order\n";
    data.add(import_bytes("r.csv", returns, &ImportOptions::default()).unwrap());
    let r = compute(&data, &ReportOptions::default());
    // 2,730.75 - 1,200.00; the return of an order we do not have changes nothing.
    check(&r, "revenue", 1530.75);
    // February: 75.25 + (1200 - 1200) + 49.99.
    let feb = &r.kpi("revenue").unwrap().series[1];
    assert_eq!(feb.period, "2024-02");
    assert!((feb.value.unwrap() - 125.24).abs() < 1e-9);
}

#[test]
fn active_users_count_users_who_ordered_as_well_as_those_seen_active() {
    let mut data = Dataset::default();
    let orders = b"order_id,customer_id,user,order_date,amount\n1,C1,u3,2024-03-01,10\n2,C1,u2,2024-03-02,10\n";
    data.add(import_bytes("o.csv", orders, &ImportOptions::default()).unwrap());
    data.add(
        import_bytes(
            "u.csv",
            &fixture("kinds/users.csv"),
            &ImportOptions::default(),
        )
        .unwrap(),
    );
    let r = compute(&data, &ReportOptions::default());
    // Range: March 2024. Users created by Mar 31: u1-u6. Active: u1 (last active 03-20),
    // u5 (03-05), and u3, u2 who ordered (u2 was last seen in December 2023).
    check(&r, "users", 6.0);
    check(&r, "active_users", 4.0);
    check(&r, "usage_rate", 4.0 / 6.0);
}

#[test]
fn the_chartmogul_churn_option_counts_customers_at_the_start_of_the_period() {
    // A orders in January only; B in January and March.
    let orders = b"order_id,customer_id,order_date,amount\n1,A,2024-01-10,10\n2,B,2024-01-15,10\n3,B,2024-03-05,10\n";
    let run = |churn| {
        let mut data = Dataset::default();
        data.add(import_bytes("o.csv", orders, &ImportOptions::default()).unwrap());
        let r = compute(
            &data,
            &ReportOptions {
                churn,
                ..ReportOptions::default()
            },
        );
        r.kpi("churn_rate")
            .unwrap()
            .series
            .iter()
            .map(|p| p.value)
            .collect::<Vec<_>>()
    };
    // Default: Feb = nobody of {A, B} active in Jan ordered in Feb -> 1; Mar: nobody was
    // active in Feb -> undefined.
    assert_eq!(
        run(kpi_core::metrics::ChurnDefinition::PreviousPeriod),
        [None, Some(1.0), None]
    );
    // Start of period: the base is everyone acquired before P with an order in the year
    // before: Feb {A, B} -> both churned; Mar {A, B} -> B ordered, A churned -> 1/2.
    assert_eq!(
        run(kpi_core::metrics::ChurnDefinition::StartOfPeriod),
        [None, Some(1.0), Some(0.5)]
    );
}

#[test]
fn historical_clv_needs_cohorts_observed_long_enough() {
    let r = report(&["orders_basic.csv"], &ReportOptions::default());
    // Four months of data: no cohort has twelve months.
    let k = r.kpi("clv_historical_12m").unwrap();
    assert_eq!(k.value, None);
    assert!(k.missing[0].contains("12 months"));
}

#[test]
fn csat_on_another_scale_is_mapped_explicitly() {
    let answers = b"date,score\n2024-01-05,10\n2024-01-06,9\n2024-01-07,8\n2024-01-08,3\n";
    let run = |csat_scale| {
        let mut data = Dataset::default();
        data.add(import_bytes("s.csv", answers, &ImportOptions::default()).unwrap());
        compute(
            &data,
            &ReportOptions {
                csat_scale,
                ..ReportOptions::default()
            },
        )
    };
    // Without a scale, answers above 5 make this an NPS file: promoters 10, 9; detractor 3.
    let r = run(5);
    check(&r, "nps", 100.0 * (2.0 - 1.0) / 4.0);
    assert_eq!(r.kpi("csat").unwrap().value, None);
    // Told it is a 1-10 CSAT scale: the top two points are 9-10, so 2 of 4 are satisfied.
    let r = run(10);
    check(&r, "csat", 0.5);
    assert_eq!(r.kpi("nps").unwrap().value, None);
}

/// The app keeps one `Prepared` per set of files and computes every view from it: each view
/// must equal a report computed from scratch (a stale or mutated cache would show here).
#[test]
fn views_from_one_prepared_equal_fresh_reports() {
    use kpi_core::report::Granularity;
    use kpi_core::{compute_prepared, Prepared};
    let mut data = Dataset::default();
    for (name, csv) in kpi_core::demo::demo_dataset(7) {
        data.add(import_bytes(name, csv.as_bytes(), &ImportOptions::default()).unwrap());
    }
    let prepared = Prepared::new(&data);
    let views = [
        ReportOptions::default(),
        ReportOptions {
            filters: vec![("channel".into(), "web".into())],
            ..Default::default()
        },
        ReportOptions {
            granularity: Granularity::Quarter,
            filters: vec![("region".into(), "North".into())],
            ..Default::default()
        },
        ReportOptions {
            filters: vec![("salesperson".into(), "nobody at all".into())],
            ..Default::default()
        },
        ReportOptions::default(),
    ];
    for opts in &views {
        let json = |r: &Report| serde_json::to_string(r).unwrap();
        assert_eq!(
            json(&compute_prepared(&data, &prepared, opts)),
            json(&compute(&data, opts)),
            "{opts:?}"
        );
    }
    // A filter that matches nothing leaves the orders KPIs without data, not at zero orders.
    let none = compute_prepared(&data, &prepared, &views[3]);
    let revenue = none.kpis.iter().find(|k| k.id == "revenue").unwrap();
    assert!(revenue.value.is_none_or(|v| v == 0.0), "{revenue:?}");
}

/// Breakdowns asked for one dimension at a time (how the app fills them in after showing
/// the report) equal the ones `compute` puts in the report, and no split names a value
/// twice (channel mix once listed each channel twice: its own shares, then per slice).
#[test]
fn breakdowns_by_dimension_equal_the_report_and_never_repeat_a_value() {
    use kpi_core::metrics::{dimension_breakdowns, dimension_breakdowns_reusing, DIMENSIONS};
    use kpi_core::{compute_reusing, Prepared, Reuse};
    let mut data = Dataset::default();
    for (name, csv) in kpi_core::demo::demo_dataset(7) {
        data.add(import_bytes(name, csv.as_bytes(), &ImportOptions::default()).unwrap());
    }
    let prepared = Prepared::new(&data);
    let opts = ReportOptions::default();
    let full = compute(&data, &opts);
    // As the worker does: the report, then each dimension reusing what the report kept.
    let mut reuse = Reuse::default();
    compute_reusing(&data, &prepared, &opts, &mut reuse);
    let mut checked = 0;
    for dim in DIMENSIONS {
        let split = dimension_breakdowns(&data, &prepared, &opts, dim);
        let reusing = dimension_breakdowns_reusing(&data, &prepared, &opts, dim, &mut reuse);
        assert_eq!(reusing, split, "{dim} reusing the report's parts");
        for k in &full.kpis {
            let mut keys: Vec<&str> = k
                .breakdowns
                .get(dim)
                .map(|s| s.iter().map(|s| s.key.as_str()).collect())
                .unwrap_or_default();
            let n = keys.len();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), n, "{} by {dim} repeats a value", k.id);
            if let Some(slices) = split.get(&k.id) {
                assert_eq!(Some(slices), k.breakdowns.get(dim), "{} by {dim}", k.id);
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} splits compared");
}

/// A range given backwards, or an online launch before the range, once panicked (a slice
/// from a later to an earlier day): it must give a report with nothing in range instead.
#[test]
fn a_backwards_range_or_an_early_launch_gives_an_empty_range_not_a_crash() {
    let day = |s: &str| match kpi_core::ingest::values::parse_date(s) {
        kpi_core::ingest::values::DateCell::Day(d) => d,
        _ => unreachable!(),
    };
    let backwards = report(
        &ALL,
        &ReportOptions {
            from: Some(day("2024-03-01")),
            to: Some(day("2024-01-31")),
            ..Default::default()
        },
    );
    let revenue = backwards.kpis.iter().find(|k| k.id == "revenue").unwrap();
    assert_eq!(revenue.value, Some(0.0));
    let early_launch = report(
        &ALL,
        &ReportOptions {
            from: Some(day("2024-03-01")),
            online_launch: Some(day("2024-01-15")),
            ..Default::default()
        },
    );
    assert!(early_launch.kpis.iter().any(|k| k.id == "revenue"));
}

/// Two orders files that name their segments and regions in other orders (each file's own
/// ids differ from the merged ones): filters, breakdowns and margins read each order's
/// segment, region and margin from its own file. By hand: Retail = 100 + 40 + 7 = 147,
/// Wholesale = 20 + 300 = 320; North = 100 + 300 = 400; margins 10 + 2 + 30 + 4 + 1 = 47,
/// the Retail ones 10 + 4 + 1 = 15.
#[test]
fn segments_regions_and_margins_of_two_files_are_read_from_each_file() {
    let a = "order_id,order_date,customer_id,amount,margin,segment,region\n\
             A1,2024-01-05,C1,100,10,Retail,North\n\
             A2,2024-01-06,C2,20,2,Wholesale,South\n";
    let b = "order_id,order_date,customer_id,amount,margin,region,segment\n\
             B1,2024-02-07,C3,300,30,North,Wholesale\n\
             B2,2024-02-08,C1,40,4,South,Retail\n\
             B3,2024-02-09,C4,7,1,East,Retail\n";
    let mut data = Dataset::default();
    for (name, csv) in [("a.csv", a), ("b.csv", b)] {
        data.add(import_bytes(name, csv.as_bytes(), &ImportOptions::default()).unwrap());
    }
    let filtered = |dim: &str, value: &str| {
        let opts = ReportOptions {
            filters: vec![(dim.to_string(), value.to_string())],
            ..ReportOptions::default()
        };
        compute(&data, &opts)
    };
    check(&filtered("segment", "Retail"), "revenue", 147.0);
    check(&filtered("segment", "Wholesale"), "revenue", 320.0);
    check(&filtered("region", "North"), "revenue", 400.0);
    check(&filtered("region", "East"), "customers", 1.0);
    let all = compute(&data, &ReportOptions::default());
    let by = |dim: &str| -> Vec<(String, Option<f64>)> {
        let revenue = all.kpi("revenue").unwrap();
        revenue.breakdowns[dim]
            .iter()
            .map(|s| (s.key.clone(), s.value))
            .collect()
    };
    assert_eq!(
        by("segment"),
        vec![
            ("Wholesale".into(), Some(320.0)),
            ("Retail".into(), Some(147.0))
        ]
    );
    assert_eq!(
        by("region"),
        vec![
            ("North".into(), Some(400.0)),
            ("South".into(), Some(60.0)),
            ("East".into(), Some(7.0)),
        ]
    );
    // Contribution margin per order feeds the margin CLV: 47 / 5 orders in all, 15 / 3
    // for Retail. Its ratio to the plain CLV is margin per order / AOV in both (two
    // months of orders, so churn and a lifespan exist).
    let ratio = |r: &Report| {
        r.kpi("clv_margin").unwrap().value.unwrap() / r.kpi("clv").unwrap().value.unwrap()
    };
    assert!((ratio(&all) - (47.0 / 5.0) / (467.0 / 5.0)).abs() < 1e-12);
    let retail = filtered("segment", "Retail");
    assert!((ratio(&retail) - (15.0 / 3.0) / (147.0 / 3.0)).abs() < 1e-12);
}
