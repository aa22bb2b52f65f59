//! A table people can sort (click a column header) and download as CSV. Cells that a
//! spreadsheet would run as formulas are neutralised in the download (OWASP).

use crate::i18n::tr;
use crate::worker_client::download_text;
use leptos::prelude::*;

/// One cell: text, or a number with how it is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(Option<f64>, String),
}

impl Cell {
    fn shown(&self) -> &str {
        match self {
            Cell::Text(t) | Cell::Number(_, t) => t,
        }
    }
    /// The exported text: raw numbers (no separators), so spreadsheets read them as numbers.
    fn exported(&self) -> String {
        match self {
            Cell::Text(t) => kpi_core::ingest::neutralize_formula(t).into_owned(),
            Cell::Number(v, _) => v.map(|v| v.to_string()).unwrap_or_default(),
        }
    }
    fn cmp(&self, other: &Cell) -> std::cmp::Ordering {
        match (self, other) {
            (Cell::Number(a, _), Cell::Number(b, _)) => {
                // Missing numbers sort last.
                a.unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&b.unwrap_or(f64::NEG_INFINITY))
            }
            _ => self
                .shown()
                .to_lowercase()
                .cmp(&other.shown().to_lowercase()),
        }
    }
}

/// The rows as CSV text, headers first.
pub fn table_csv(headers: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(headers);
    for row in rows {
        let _ = w.write_record(row.iter().map(Cell::exported));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A sortable, downloadable table.
///
/// - `id`: names the table for scripts (`data-table`) and the download (`{id}.csv`).
/// - `caption`: the title shown above it.
/// - `headers`: column titles (English; shown translated, exported as given).
/// - `rows`: the rows, in their default order.
#[component]
pub fn DataTable(
    id: &'static str,
    caption: &'static str,
    headers: Vec<&'static str>,
    #[prop(into)] rows: Signal<Vec<Vec<Cell>>>,
) -> impl IntoView {
    // (column, descending); None keeps the given order.
    let (sort, set_sort) = signal(None::<(usize, bool)>);
    let sorted = Memo::new(move |_| {
        let mut rows = rows.get();
        if let Some((col, desc)) = sort.get() {
            rows.sort_by(|a, b| {
                let o = match (a.get(col), b.get(col)) {
                    (Some(x), Some(y)) => x.cmp(y),
                    _ => std::cmp::Ordering::Equal,
                };
                if desc {
                    o.reverse()
                } else {
                    o
                }
            });
        }
        rows
    });
    let headers_for_csv = headers.clone();
    let download = move |_| {
        let csv = table_csv(&headers_for_csv, &sorted.get_untracked());
        let _ = download_text(&format!("{id}.csv"), "text/csv", &csv);
    };
    let header_cells = headers
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let aria_sort = move || match sort.get() {
                Some((c, true)) if c == i => "descending",
                Some((c, false)) if c == i => "ascending",
                _ => "none",
            };
            view! {
                <th scope="col" aria-sort=aria_sort>
                    <button
                        type="button"
                        class="sort"
                        on:click=move |_| {
                            set_sort.update(|s| {
                                *s = match *s {
                                    // Numbers are most useful biggest first.
                                    Some((c, true)) if c == i => Some((i, false)),
                                    _ => Some((i, true)),
                                }
                            })
                        }
                    >
                        {move || tr(h)}
                    </button>
                </th>
            }
        })
        .collect_view();
    view! {
        <section class="table-block" data-table=id>
            <div class="table-head">
                <h3>{move || tr(caption)}</h3>
                <button type="button" class="button subtle" on:click=download>
                    {move || tr("Download CSV")}
                </button>
            </div>
            <div class="table-scroll">
                <table>
                    <thead>
                        <tr>{header_cells}</tr>
                    </thead>
                    <tbody>
                        {move || {
                            sorted
                                .get()
                                .into_iter()
                                .map(|row| {
                                    view! {
                                        <tr>
                                            {row
                                                .into_iter()
                                                .map(|c| {
                                                    let numeric = matches!(c, Cell::Number(..));
                                                    view! { <td class:num=numeric>{c.shown().to_string()}</td> }
                                                })
                                                .collect_view()}
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_export_neutralises_formulas_and_keeps_raw_numbers() {
        let rows = vec![
            vec![
                Cell::Text("=HYPERLINK(\"http://x\")".into()),
                Cell::Number(Some(1234.5), "1,234.50".into()),
            ],
            vec![
                Cell::Text("ACME, Inc.".into()),
                Cell::Number(None, "—".into()),
            ],
        ];
        let csv = table_csv(&["Customer", "Revenue"], &rows);
        assert_eq!(
            csv,
            "Customer,Revenue\n\"'=HYPERLINK(\"\"http://x\"\")\",1234.5\n\"ACME, Inc.\",\n"
        );
    }

    #[test]
    fn numbers_sort_as_numbers_and_missing_last() {
        let a = Cell::Number(Some(9.0), "9".into());
        let b = Cell::Number(Some(10.0), "10".into());
        let none = Cell::Number(None, "—".into());
        assert_eq!(a.cmp(&b), std::cmp::Ordering::Less);
        assert_eq!(none.cmp(&a), std::cmp::Ordering::Less);
        assert_eq!(
            Cell::Text("b".into()).cmp(&Cell::Text("A".into())),
            std::cmp::Ordering::Greater
        );
    }
}
