//! The dashboard's charts, drawn from the report with `kpi-charts` on the main thread.

use super::chart_figure::{ChartFigure, Drawn};
use super::tables::split_of;
use crate::app::{ChartsReady, LateBreakdowns, SharedReport};
use crate::i18n::{translate, use_lang, Lang};
use kpi_charts::{
    funnel_chart, heatmap, horizontal_bar_chart, line_chart, nps_histogram, stacked_bar_chart,
    BarItem, ChartFrame, FunnelChart, FunnelStage, Heatmap, HeatmapRow, Leaderboard, NamedSeries,
    NpsHistogram, NumberFormat, StackedBarChart, ValueUnit,
};
use kpi_core::report::Report;
use leptos::prelude::*;

const WIDTH: u32 = 560;
const HEIGHT: u32 = 300;

fn frame(lang: Lang, title: &'static str, height: u32) -> ChartFrame {
    ChartFrame {
        width: WIDTH,
        height,
        title: translate(lang, title).to_string(),
        format: match lang {
            Lang::En => NumberFormat::english(""),
            Lang::It => NumberFormat::italian(""),
        },
    }
}

fn drawn(svg: Result<String, kpi_charts::ChartError>, series: usize, points: usize) -> Drawn {
    Drawn {
        svg: svg.map_err(|e| e.to_string()),
        series,
        points,
    }
}

/// A KPI's series as (periods, values).
fn series_of(r: &Report, id: &str) -> Option<(Vec<String>, Vec<Option<f64>>)> {
    let k = r
        .kpi(id)
        .filter(|k| k.value.is_some() || k.series.iter().any(|p| p.value.is_some()))?;
    Some((
        k.series.iter().map(|p| p.period.clone()).collect(),
        k.series.iter().map(|p| p.value).collect(),
    ))
}

/// A line chart of some KPIs' series (same periods), named by their labels.
fn lines(
    r: &Report,
    lang: Lang,
    title: &'static str,
    ids: &[&str],
    unit: ValueUnit,
) -> Option<Drawn> {
    let mut periods = Vec::new();
    let mut series = Vec::new();
    for id in ids {
        if let Some((p, values)) = series_of(r, id) {
            periods = p;
            let name = r
                .kpi(id)
                .map(|k| crate::i18n::translate_owned(lang, &k.label))
                .unwrap_or_default();
            series.push(NamedSeries { name, values });
        }
    }
    if series.is_empty() {
        return None;
    }
    let (n, points) = (series.len(), periods.len());
    let input = kpi_charts::LineChart {
        frame: frame(lang, title, HEIGHT),
        periods,
        series,
        unit,
        y_label: String::new(),
    };
    Some(drawn(line_chart(&input), n, points))
}

/// Online vs offline revenue per period: revenue x online share, and the rest.
fn channel_mix(r: &Report, lang: Lang) -> Option<Drawn> {
    let (periods, revenue) = series_of(r, "revenue")?;
    let (_, share) = series_of(r, "online_revenue_share")?;
    let online: Vec<Option<f64>> = revenue
        .iter()
        .zip(&share)
        .map(|(v, s)| Some(v.unwrap_or(0.0) * s.unwrap_or(0.0)))
        .collect();
    let offline: Vec<Option<f64>> = revenue
        .iter()
        .zip(&online)
        .map(|(v, o)| Some(v.unwrap_or(0.0) - o.unwrap_or(0.0)))
        .collect();
    let points = periods.len();
    let input = StackedBarChart {
        frame: frame(lang, "Channel mix over time", HEIGHT),
        periods,
        series: vec![
            NamedSeries {
                name: "Online (web + EDI)".into(),
                values: online,
            },
            NamedSeries {
                name: "Offline (email, phone, other)".into(),
                values: offline,
            },
        ],
        unit: ValueUnit::Currency,
        y_label: String::new(),
    };
    Some(drawn(stacked_bar_chart(&input), 2, points))
}

fn funnel(r: &Report, lang: Lang, id: &str) -> Option<Drawn> {
    let f = r.funnels.iter().find(|f| f.id == id)?;
    let title: &'static str = match f.label.as_str() {
        "Web shop funnel" => "Web shop funnel",
        "Cart funnel" => "Cart funnel",
        _ => "Quote funnel",
    };
    let input = FunnelChart {
        frame: frame(lang, title, 60 + 44 * f.stages.len() as u32),
        stages: f
            .stages
            .iter()
            .map(|s| FunnelStage {
                name: s.stage.clone(),
                count: s.count,
            })
            .collect(),
        count_heading: translate(lang, "Count").into(),
        conversion_heading: translate(lang, "Step conversion").into(),
    };
    Some(drawn(funnel_chart(&input), 1, f.stages.len()))
}

/// The last 18 cohorts over their first 12 months: what fits and what people read.
fn cohorts(r: &Report, lang: Lang) -> Option<Drawn> {
    let recent: Vec<_> = r.cohorts.iter().rev().take(18).rev().collect();
    if recent.is_empty() {
        return None;
    }
    let months = recent
        .iter()
        .map(|c| c.retention.len())
        .max()
        .unwrap_or(0)
        .min(12);
    let rows: Vec<HeatmapRow> = recent
        .iter()
        .map(|c| HeatmapRow {
            label: format!("{} ({})", c.cohort, c.customers),
            values: c.retention.iter().take(months).copied().collect(),
        })
        .collect();
    let n = rows.len();
    let input = Heatmap {
        frame: frame(lang, "Cohort retention", 70 + 22 * n as u32),
        columns: (0..months).map(|m| format!("+{m}")).collect(),
        rows,
        row_title: translate(lang, "First order month (customers)").into(),
        column_title: translate(lang, "Months since first order").into(),
        unit: ValueUnit::Percent,
    };
    Some(drawn(heatmap(&input), n, months))
}

/// Salespeople by the chosen KPI, in the order of the split (largest revenue first).
fn leaderboard(r: &Report, late: &LateBreakdowns, lang: Lang, metric: &str) -> Option<Drawn> {
    let unit = match metric {
        "online_revenue_share" => ValueUnit::Percent,
        "revenue" => ValueUnit::Currency,
        _ => ValueUnit::Count,
    };
    let mut items: Vec<BarItem> = split_of(r, late, metric, "salesperson")?
        .into_iter()
        .filter_map(|s| {
            Some(BarItem {
                label: s.key,
                value: s.value?,
            })
        })
        .collect();
    items.sort_by(|a, b| b.value.total_cmp(&a.value));
    let n = items.len();
    let label = r
        .kpi(metric)
        .map(|k| crate::i18n::translate_owned(lang, &k.label))
        .unwrap_or_default();
    let input = Leaderboard {
        frame: frame(lang, "Salesperson leaderboard", 60 + 26 * n as u32),
        items,
        unit,
        value_label: label,
    };
    Some(drawn(horizontal_bar_chart(&input), 1, n))
}

fn nps(r: &Report, lang: Lang) -> Option<Drawn> {
    let slices = r.kpi("nps")?.breakdowns.get("score")?;
    let mut counts = [0u64; 11];
    for s in slices {
        if let (Ok(score), Some(n)) = (s.key.parse::<usize>(), s.value) {
            if score <= 10 {
                counts[score] = n as u64;
            }
        }
    }
    let input = NpsHistogram {
        frame: frame(lang, "NPS answers", HEIGHT),
        counts,
        group_names: ["Detractors", "Passives", "Promoters"]
            .map(|g| translate(lang, g).to_string()),
        y_label: translate(lang, "Answers").into(),
    };
    Some(drawn(nps_histogram(&input), 3, 11))
}

/// Every chart the report can feed; each appears only when its data is there.
///
/// - `report`: the current report. The trend charts are drawn when `ChartsReady::TRENDS`
///   opens for it, the rest at `ChartsReady::REST`; until then each shows what it drew for
///   the report before (mounted once, redrawn in place).
/// - `late`: breakdowns that came after it (the leaderboard's online share, active users).
#[component]
pub fn Charts(
    #[prop(into)] report: Signal<Option<SharedReport>>,
    #[prop(into)] late: Signal<LateBreakdowns>,
) -> impl IntoView {
    let (metric, set_metric) = signal("revenue".to_string());
    let chart = move |stage: u8, f: fn(&Report, Lang) -> Option<Drawn>| {
        ChartsReady::staged(stage, move || {
            let lang = use_lang();
            report.with(|r| r.as_deref().and_then(|r| f(r, lang)))
        })
    };
    let trend = |f| chart(ChartsReady::TRENDS, f);
    let rest = |f| chart(ChartsReady::REST, f);
    let aov = trend(|r, l| {
        lines(
            r,
            l,
            "Average order value trend",
            &["aov"],
            ValueUnit::Currency,
        )
    });
    let orders = trend(|r, l| lines(r, l, "Orders per period", &["orders"], ValueUnit::Count));
    let churn = trend(|r, l| {
        lines(
            r,
            l,
            "Churn and retention",
            &["churn_rate", "retention_rate", "online_retention_rate"],
            ValueUnit::Percent,
        )
    });
    let mix = trend(channel_mix);
    let web = rest(|r, l| funnel(r, l, "web"));
    let quotes = rest(|r, l| funnel(r, l, "quotes"));
    let heat = rest(cohorts);
    let nps_chart = rest(nps);
    let board = ChartsReady::staged(ChartsReady::REST, move || {
        let lang = use_lang();
        let m = metric.get();
        late.with(|late| report.with(|r| r.as_deref().and_then(|r| leaderboard(r, late, lang, &m))))
    });
    view! {
        <section class="charts" aria-label="Charts">
            <ChartFigure id="orders" title="Orders per period" drawn=orders />
            <ChartFigure id="aov" title="Average order value trend" drawn=aov />
            <ChartFigure id="channel-mix" title="Channel mix over time" drawn=mix />
            <ChartFigure id="churn" title="Churn and retention" drawn=churn />
            <ChartFigure id="funnel-web" title="Web shop funnel" drawn=web />
            <ChartFigure id="funnel-quotes" title="Quote funnel" drawn=quotes />
            <div class="chart-with-control">
                <label class="setting leaderboard-metric">
                    <span>{move || crate::i18n::tr("Salesperson leaderboard")}</span>
                    <select id="leaderboard-metric" on:change:target=move |ev| set_metric.set(ev.target().value())>
                        {[("revenue", "Revenue"), ("customers", "Customers"), ("active_users", "Active users"), ("online_revenue_share", "Online share")]
                            .into_iter()
                            .map(|(id, label)| view! { <option value=id>{move || crate::i18n::tr(label)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <ChartFigure id="leaderboard" title="Salesperson leaderboard" drawn=board />
            </div>
            <ChartFigure id="nps" title="NPS answers" drawn=nps_chart />
            <div class="wide"><ChartFigure id="cohorts" title="Cohort retention" drawn=heat /></div>
        </section>
    }
}
