//! The serialisable report: the one thing that crosses from the worker to the page and that
//! the CLI prints. KPI ids are a stable interface.

use crate::ingest::ImportSummary;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Calendar period used for series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    #[default]
    Month,
    Quarter,
    Year,
}

impl std::str::FromStr for Granularity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "month" => Ok(Granularity::Month),
            "quarter" => Ok(Granularity::Quarter),
            "year" => Ok(Granularity::Year),
            _ => Err(format!("period must be month, quarter or year, not {s:?}")),
        }
    }
}

/// What a KPI's number means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// An amount of money in the file's currency.
    Currency,
    Count,
    /// A share between 0 and 1.
    Ratio,
    /// Points on a fixed scale (NPS: -100 to 100).
    Score,
    Days,
    /// A plain number (turnover, LTV:CAC).
    Number,
}

/// One point of a series.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Point {
    /// `2024-01`, `2024-Q1` or `2024`.
    pub period: String,
    pub value: Option<f64>,
}

/// One slice of a breakdown (a salesperson, a channel...).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Slice {
    pub key: String,
    pub value: Option<f64>,
}

/// One KPI, explained.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Kpi {
    pub id: String,
    pub label: String,
    /// Dashboard group, as the seed articles group KPIs.
    pub group: String,
    /// Over the whole selected range (or, for per-period KPIs such as churn, the latest
    /// period); None when it cannot be computed.
    pub value: Option<f64>,
    /// The same over the previous range of equal length (or the previous period).
    #[serde(default)]
    pub previous_value: Option<f64>,
    /// The same a year earlier.
    #[serde(default)]
    pub last_year_value: Option<f64>,
    /// Whether a higher value is good news (revenue) or bad (churn), for colouring changes.
    #[serde(default)]
    pub higher_is_better: bool,
    pub unit: Unit,
    pub definition: String,
    pub formula: String,
    /// Files and columns used.
    pub inputs: Vec<String>,
    /// What data would make it computable (empty when computed).
    pub missing: Vec<String>,
    pub series: Vec<Point>,
    /// By dimension name (`salesperson`, `channel`...), largest first.
    pub breakdowns: BTreeMap<String, Vec<Slice>>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub generator: String,
    pub granularity: Granularity,
    /// First and last day of the data the KPIs cover (ISO), if any.
    pub from: Option<String>,
    pub to: Option<String>,
    pub kpis: Vec<Kpi>,
    /// Retention matrix by first-order month.
    #[serde(default)]
    pub cohorts: Vec<crate::metrics::cohorts::Cohort>,
    /// RFM segments: size and revenue.
    #[serde(default)]
    pub rfm_segments: Vec<crate::metrics::cohorts::RfmSegment>,
    /// Up to 50 customers who used to buy and have gone quiet (RFM "At risk", and
    /// "Hibernating" big spenders), biggest spenders first.
    #[serde(default)]
    pub at_risk_customers: Vec<crate::metrics::cohorts::RfmCustomer>,
    /// Up to 50 customers with the most revenue in the range.
    #[serde(default)]
    pub top_customers: Vec<crate::metrics::cohorts::RfmCustomer>,
    /// Counts per stage of the web (or cart) funnel and the quote funnel, over the range.
    #[serde(default)]
    pub funnels: Vec<crate::metrics::funnels::Funnel>,
    pub imports: Vec<ImportSummary>,
}

impl Report {
    pub fn kpi(&self, id: &str) -> Option<&Kpi> {
        self.kpis.iter().find(|k| k.id == id)
    }

    /// Markdown table of the headline values.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("| KPI | id | value |\n|---|---|---|\n");
        for k in &self.kpis {
            let v = k
                .value
                .map(|v| format!("{v}"))
                .unwrap_or_else(|| format!("needs: {}", k.missing.join("; ")));
            out.push_str(&format!("| {} | `{}` | {} |\n", k.label, k.id, v));
        }
        out
    }

    /// CSV of the headline values: id, label, value, unit.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["id", "label", "value", "unit"]);
        for k in &self.kpis {
            let unit = match k.unit {
                Unit::Currency => "currency",
                Unit::Count => "count",
                Unit::Ratio => "ratio",
                Unit::Score => "score",
                Unit::Days => "days",
                Unit::Number => "number",
            };
            let v = k.value.map(|v| v.to_string()).unwrap_or_default();
            let _ = w.write_record([k.id.as_str(), &k.label, &v, unit]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}
