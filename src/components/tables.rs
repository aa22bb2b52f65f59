//! The dashboard's tables: top customers, at-risk customers and salespeople.

use super::data_table::{Cell, DataTable};
use crate::app::{ChartsReady, LateBreakdowns, SharedReport};
use crate::format::{group_thousands, kpi_value};
use kpi_core::metrics::cohorts::RfmCustomer;
use kpi_core::report::{Report, Slice, Unit};
use leptos::prelude::*;

fn number(v: Option<f64>, unit: Unit) -> Cell {
    Cell::Number(v, kpi_value(v, unit))
}

fn customer_rows(customers: &[RfmCustomer]) -> Vec<Vec<Cell>> {
    customers
        .iter()
        .map(|c| {
            vec![
                Cell::Text(c.customer.clone()),
                number(Some(c.monetary), Unit::Currency),
                number(Some(c.frequency as f64), Unit::Count),
                Cell::Number(
                    Some(c.recency_days as f64),
                    group_thousands(c.recency_days as f64, 0),
                ),
                Cell::Text(c.segment.clone()),
            ]
        })
        .collect()
}

/// A KPI's split by `dim`, from the report or from the breakdowns that came after it.
pub fn split_of(report: &Report, late: &LateBreakdowns, id: &str, dim: &str) -> Option<Vec<Slice>> {
    report
        .kpi(id)
        .and_then(|k| k.breakdowns.get(dim).cloned())
        .or_else(|| late.get(dim).and_then(|m| m.get(id).cloned()))
}

/// Columns of the salesperson table: (header, KPI id, unit).
const SALES_COLUMNS: [(&str, &str, Unit); 7] = [
    ("Revenue", "revenue", Unit::Currency),
    ("Orders", "orders", Unit::Count),
    ("Customers", "customers", Unit::Count),
    ("Average order value", "aov", Unit::Currency),
    ("Online share", "online_revenue_share", Unit::Ratio),
    ("Active users", "active_users", Unit::Count),
    ("Win rate", "win_rate", Unit::Ratio),
];

/// One row per salesperson (in revenue order), one column per KPI split by salesperson.
pub fn salesperson_rows(report: &Report, late: &LateBreakdowns) -> Vec<Vec<Cell>> {
    let Some(revenue) = split_of(report, late, "revenue", "salesperson") else {
        return vec![];
    };
    let columns: Vec<Option<Vec<Slice>>> = SALES_COLUMNS
        .iter()
        .map(|(_, id, _)| split_of(report, late, id, "salesperson"))
        .collect();
    revenue
        .iter()
        .map(|person| {
            let mut row = vec![Cell::Text(person.key.clone())];
            for ((_, _, unit), split) in SALES_COLUMNS.iter().zip(&columns) {
                let v = split
                    .as_ref()
                    .and_then(|s| s.iter().find(|s| s.key == person.key))
                    .and_then(|s| s.value);
                row.push(number(v, *unit));
            }
            row
        })
        .collect()
}

/// The three tables under the charts.
///
/// - `report`: the current report; the tables follow it when `ChartsReady::SPARKLINES`
///   opens for it (kept mounted, with their sort order, across reports).
/// - `late`: catalogue breakdowns that arrived after the report (online share, win rate...).
#[component]
pub fn Tables(
    #[prop(into)] report: Signal<Option<SharedReport>>,
    #[prop(into)] late: Signal<LateBreakdowns>,
) -> impl IntoView {
    let customer_headers = vec![
        "Customer",
        "Revenue",
        "Orders",
        "Days since last order",
        "RFM segment",
    ];
    let rows = move |f: fn(&Report, &LateBreakdowns) -> Vec<Vec<Cell>>| {
        let staged = ChartsReady::staged(ChartsReady::SPARKLINES, move || {
            late.with(|late| report.with(|r| r.as_deref().map(|r| f(r, late))))
        });
        Signal::derive(move || staged.get().unwrap_or_default())
    };
    let top = rows(|r, _| customer_rows(&r.top_customers));
    let at_risk = rows(|r, _| customer_rows(&r.at_risk_customers));
    let sales = rows(salesperson_rows);
    let mut sales_headers = vec!["Salesperson"];
    sales_headers.extend(SALES_COLUMNS.iter().map(|(h, _, _)| *h));
    view! {
        <section class="tables" aria-label="Tables">
            <DataTable id="top-customers" caption="Top customers" headers=customer_headers.clone() rows=top />
            <DataTable id="at-risk-customers" caption="At-risk customers" headers=customer_headers rows=at_risk />
            <Show when=move || sales.with(|s| !s.is_empty())>
                <DataTable id="salespeople" caption="Salespeople" headers=sales_headers.clone() rows=sales />
            </Show>
        </section>
    }
}
