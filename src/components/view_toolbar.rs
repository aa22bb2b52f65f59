//! Period, date range and filters: every card and chart follows them.

use crate::app::SharedReport;
use crate::protocol::View;
use leptos::prelude::*;

/// Values a dimension can be filtered on: the revenue breakdown's keys, plus the current
/// choice (a filtered dimension has no breakdown of its own).
fn values_of(report: &Option<SharedReport>, dim: &str, current: &str) -> Vec<String> {
    let mut values: Vec<String> = report
        .as_ref()
        .and_then(|r| r.kpi("revenue"))
        .and_then(|k| k.breakdowns.get(dim))
        .map(|slices| slices.iter().map(|s| s.key.clone()).collect())
        .unwrap_or_default();
    if !current.is_empty() && !values.iter().any(|v| v == current) {
        values.push(current.to_string());
    }
    values.sort();
    values
}

/// The toolbar above the dashboard.
///
/// - `report`: the current report (for the filter values and the data's range).
/// - `view`: the view in force.
/// - `on_view`: called with the new view when the user changes anything.
#[component]
pub fn ViewToolbar(
    #[prop(into)] report: Signal<Option<SharedReport>>,
    #[prop(into)] view: Signal<View>,
    #[prop(into)] on_view: Callback<View>,
) -> impl IntoView {
    let set = move |edit: Box<dyn Fn(&mut View)>| {
        let mut v = view.get_untracked();
        edit(&mut v);
        on_view.run(v);
    };
    // One date input bound to one field of the view.
    let date_field = move |id: &'static str,
                           label: &'static str,
                           title: &'static str,
                           get: fn(&View) -> String,
                           put: fn(&mut View, String)| {
        view! {
            <label class="setting" title=title>
                <span>{move || crate::i18n::tr(label)}</span>
                <input
                    id=id
                    type="date"
                    prop:value=move || get(&view.get())
                    on:change:target=move |ev| {
                        let d = ev.target().value();
                        set(Box::new(move |v: &mut View| put(v, d.clone())))
                    }
                />
            </label>
        }
    };
    let filters = move || {
        let r = report.get();
        let v = view.get();
        kpi_core::metrics::DIMENSIONS
            .iter()
            .map(|dim| {
                let current = v.filters.iter().find(|(d, _)| d == dim).map(|(_, x)| x.clone()).unwrap_or_default();
                let values = values_of(&r, dim, &current);
                (values.len() > 1 || !current.is_empty()).then(|| {
                    let dim = *dim;
                    view! {
                        <label class="setting">
                            <span>{move || crate::i18n::tr(dim)}</span>
                            <select
                                id=format!("filter-{dim}")
                                on:change:target=move |ev| {
                                    let value = ev.target().value();
                                    set(Box::new(move |v: &mut View| {
                                        v.filters.retain(|(d, _)| d != dim);
                                        if !value.is_empty() {
                                            v.filters.push((dim.to_string(), value.clone()));
                                        }
                                    }))
                                }
                            >
                                <option value="" selected=current.is_empty()>{move || crate::i18n::tr("all")}</option>
                                {values
                                    .into_iter()
                                    .map(|x| {
                                        let selected = x == current;
                                        view! { <option value=x.clone() selected=selected>{x.clone()}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                    }
                })
            })
            .collect_view()
    };
    view! {
        <div class="toolbar" role="toolbar" aria-label="Period and filters">
            <label class="setting">
                <span>{move || crate::i18n::tr("Period")}</span>
                <select
                    id="granularity"
                    on:change:target=move |ev| {
                        let g = ev.target().value();
                        set(Box::new(move |v: &mut View| v.granularity = g.clone()))
                    }
                >
                    {["month", "quarter", "year"]
                        .into_iter()
                        .map(|g| view! { <option value=g selected=move || view.get().granularity == g>{move || crate::i18n::tr(g)}</option> })
                        .collect_view()}
                </select>
            </label>
            {date_field("range-from", "From", "First day of the range (empty: all data)", |v| v.from.clone(), |v, d| v.from = d)}
            {date_field("range-to", "To", "Last day of the range (empty: all data)", |v| v.to.clone(), |v, d| v.to = d)}
            {filters}
            {date_field(
                "online-launch",
                "Online launch",
                "When your web shop went live: service contacts per order before and after",
                |v| v.launch.clone(),
                |v, d| v.launch = d,
            )}
            // ISO dates compare as text. The report of such a range is empty: say why.
            {move || {
                let v = view.get();
                (!v.from.is_empty() && !v.to.is_empty() && v.from > v.to).then(|| {
                    view! {
                        <p class="range-warning" role="alert">
                            {move || crate::i18n::tr("From is after To: no day is in this range.")}
                        </p>
                    }
                })
            }}
        </div>
    }
}
