//! Writes every chart, with demo-like data, to `target/charts/*.svg`, plus `gallery-THEME-N.html` pages
//! showing them on the app's light and dark panels, to look at them in a browser:
//! `cargo run -p kpi-charts --example gallery` then
//! `chromium --headless --screenshot=x.png --window-size=820,1200 target/charts/gallery-light-0.html`.

use kpi_charts::*;
use std::path::PathBuf;

fn frame(width: u32, height: u32, title: &str, italian: bool) -> ChartFrame {
    ChartFrame {
        width,
        height,
        title: title.into(),
        format: if italian {
            NumberFormat::italian("€")
        } else {
            NumberFormat::english("€")
        },
    }
}

fn months(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{}-{:02}", 2023 + i / 12, i % 12 + 1))
        .collect()
}

fn named(name: &str, values: Vec<f64>) -> NamedSeries {
    NamedSeries {
        name: name.into(),
        values: values.into_iter().map(Some).collect(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/charts");
    std::fs::create_dir_all(&dir)?;
    let periods = months(18);
    let wave = |base: f64, amp: f64, k: f64| -> Vec<f64> {
        (0..18)
            .map(|i| base + amp * ((i as f64) * k).sin() + i as f64 * base * 0.01)
            .collect()
    };
    let cohorts = months(12);
    let people = [
        ("Anna Müller", 412_345.5),
        ("Luca Bianchi", 388_120.0),
        (
            "Maria Concetta Bartolomea Giuseppina Rossi-Featherstonehaugh",
            301_000.0,
        ),
        ("<img src=x onerror=alert(1)>", 120_500.0),
        ("</svg><script>alert(1)</script>", 98_000.0),
        ("Zoe", 12_000.0),
        ("Returns desk", -8_500.0),
    ];
    let charts: Vec<(&str, String)> = vec![
        (
            "bar",
            bar_chart(
                &Series {
                    name: "Revenue".into(),
                    unit: "€".into(),
                    points: periods
                        .iter()
                        .cloned()
                        .zip(wave(84000.0, 21000.0, 0.7))
                        .collect(),
                },
                760,
                320,
            )?,
        ),
        (
            "line_aov",
            line_chart(&LineChart {
                frame: frame(760, 320, "Average order value per month", false),
                periods: periods.clone(),
                series: vec![
                    named("Online", wave(412.0, 40.0, 0.5)),
                    NamedSeries {
                        name: "Offline".into(),
                        values: wave(655.0, 55.0, 0.4)
                            .into_iter()
                            .enumerate()
                            .map(|(i, v)| (i != 6).then_some(v))
                            .collect(),
                    },
                ],
                unit: ValueUnit::Currency,
                y_label: "Average order value".into(),
            })?,
        ),
        (
            "line_churn_it",
            line_chart(&LineChart {
                frame: frame(760, 320, "Abbandono e fidelizzazione", true),
                periods: periods.clone(),
                series: vec![
                    named("Tasso di abbandono", wave(0.08, 0.02, 0.6)),
                    named("Fidelizzazione", wave(0.82, 0.04, 0.3)),
                    named("Fidelizzazione online", wave(0.61, 0.05, 0.45)),
                ],
                unit: ValueUnit::Percent,
                y_label: "Quota clienti".into(),
            })?,
        ),
        (
            "stacked",
            stacked_bar_chart(&StackedBarChart {
                frame: frame(760, 320, "Channel mix per month", false),
                periods: periods.clone(),
                series: vec![
                    named("Web shop", wave(30000.0, 8000.0, 0.5)),
                    named("EDI", wave(22000.0, 3000.0, 0.9)),
                    named("Sales rep (offline)", wave(45000.0, 9000.0, 0.3)),
                ],
                unit: ValueUnit::Currency,
                y_label: "Revenue".into(),
            })?,
        ),
        (
            "funnel",
            funnel_chart(&FunnelChart {
                frame: frame(760, 240, "Web funnel", false),
                stages: [
                    ("Sessions", 48210.0),
                    ("Add to cart", 7311.0),
                    ("Checkout", 2904.0),
                    ("Order", 2187.0),
                ]
                .iter()
                .map(|(n, c)| FunnelStage {
                    name: n.to_string(),
                    count: *c,
                })
                .collect(),
                count_heading: "Count".into(),
                conversion_heading: "Step conversion".into(),
            })?,
        ),
        (
            "heatmap",
            heatmap(&Heatmap {
                frame: frame(760, 420, "Cohort retention", false),
                columns: (0..12).map(|m| m.to_string()).collect(),
                rows: cohorts
                    .iter()
                    .enumerate()
                    .map(|(i, c)| HeatmapRow {
                        label: format!("{c} ({})", 40 + i * 7),
                        values: (0..12 - i)
                            .map(|m| {
                                (m != 3 || i != 2).then(|| {
                                    if m == 0 {
                                        1.0
                                    } else {
                                        0.55 * (-(m as f64) / 6.0).exp() + 0.05 * (i as f64 / 12.0)
                                    }
                                })
                            })
                            .collect(),
                    })
                    .collect(),
                row_title: "Cohort (customers)".into(),
                column_title: "Months since first order".into(),
                unit: ValueUnit::Percent,
            })?,
        ),
        (
            "leaderboard",
            horizontal_bar_chart(&Leaderboard {
                frame: frame(760, 7 * 26 + 60, "Revenue by salesperson", false),
                items: people
                    .iter()
                    .map(|(l, v)| BarItem {
                        label: l.to_string(),
                        value: *v,
                    })
                    .collect(),
                unit: ValueUnit::Currency,
                value_label: "Revenue".into(),
            })?,
        ),
        (
            "nps",
            nps_histogram(&NpsHistogram {
                frame: frame(760, 300, "NPS answers", false),
                counts: [3, 1, 2, 4, 5, 9, 14, 31, 44, 52, 38],
                group_names: ["Detractors".into(), "Passives".into(), "Promoters".into()],
                y_label: "Answers".into(),
            })?,
        ),
        (
            "empty",
            no_data_svg(&frame(760, 200, "Revenue per period", false), "No data"),
        ),
    ];
    let mut html = String::from(
        r#"<!doctype html><meta charset="utf-8"><style>
body{margin:0;display:grid;grid-template-columns:1fr 1fr;font-family:system-ui,sans-serif}
.theme{padding:12px}
.light{--panel:#fff;--text:#1b1f24;--muted:#5b6470;--border:#dde1e6;background:#f6f7f9;color:var(--text)}
.dark{--panel:#1b2027;--text:#e7eaee;--muted:#a1a9b3;--border:#2e3640;background:#111418;color:var(--text)}
.chart{background:var(--panel);border:1px solid var(--border);border-radius:10px;margin:0 0 12px;padding:12px}
.chart-svg svg{width:100%;height:auto;display:block}
/* The app's current rules (style/main.css), to see how charts look under them. */
.chart-svg svg text{fill:var(--text)} .chart-svg svg line{stroke:var(--border)} .chart-svg svg polyline{stroke:var(--muted)}
</style>"#,
    );
    // One page per theme and group of three charts, small enough to look at.
    html = html.replace("grid-template-columns:1fr 1fr", "grid-template-columns:1fr");
    for theme in ["light", "dark"] {
        for (page, group) in charts.chunks(3).enumerate() {
            let mut doc = html.clone();
            doc.push_str(&format!("<div class=\"theme {theme}\">"));
            for (name, svg) in group {
                doc.push_str(&format!(
                    "<figure class=\"chart\"><figcaption>{name}</figcaption><div class=\"chart-svg\">{svg}</div></figure>"
                ));
            }
            doc.push_str("</div>");
            std::fs::write(dir.join(format!("gallery-{theme}-{page}.html")), doc)?;
        }
    }
    for (name, svg) in &charts {
        std::fs::write(dir.join(format!("{name}.svg")), svg)?;
    }
    println!("wrote {} charts to {}", charts.len(), dir.display());
    Ok(())
}
