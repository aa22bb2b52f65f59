//! Override every guess the importer made for one file; the numbers update.

use crate::protocol::Overrides;
use kpi_core::ingest::schema::FileKind;
use kpi_core::ingest::ImportSummary;
use leptos::prelude::*;

const AUTO: &str = "";

/// One labelled `<select>`; `current` is the selected value (`""` means automatic).
fn choice(
    id: String,
    label: &'static str,
    options: Vec<(String, String)>,
    current: String,
    on_pick: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label class="setting">
            <span>{label}</span>
            <select id=id on:change:target=move |ev| on_pick(ev.target().value())>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let selected = value == current;
                        view! { <option value=value selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

fn opts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(v, t)| (v.to_string(), t.to_string()))
        .collect()
}

/// The settings panel of a file card.
///
/// - `index`: the file's position in the dataset.
/// - `summary`: what the import found (headers, guesses).
/// - `overrides`: the choices in force for this file.
/// - `on_change`: called with `(index, new overrides)` when the user changes anything.
#[component]
pub fn FileSettings(
    index: usize,
    summary: ImportSummary,
    overrides: Overrides,
    #[prop(into)] on_change: Callback<(usize, Overrides)>,
) -> impl IntoView {
    let stored = StoredValue::new(overrides.clone());
    let base = overrides;
    let update = move |edit: Box<dyn Fn(&mut Overrides)>| {
        let mut o = stored.get_value();
        edit(&mut o);
        on_change.run((index, o));
    };
    let pick = move |f: fn(&mut Overrides, Option<String>)| {
        move |v: String| {
            update(Box::new(move |o: &mut Overrides| {
                f(o, (!v.is_empty()).then(|| v.clone()))
            }))
        }
    };
    let cur = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut header_choices = vec![
        (AUTO.to_string(), "automatic".to_string()),
        ("-".to_string(), "(not used)".to_string()),
    ];
    header_choices.extend(summary.headers.iter().map(|h| (h.clone(), h.clone())));
    let id = move |name: &str| format!("file-{index}-{name}");
    let fields: Vec<&'static str> = summary.kind.fields().iter().map(|f| f.name).collect();
    let mapping = summary.mapping.clone();
    let base_mapping = base.mapping.clone();
    // The mapping table (a select of every header for every field: most of a file card's
    // elements) is built when its <details> is first opened, not with every report.
    let (mapping_open, set_mapping_open) = signal(false);
    let mapping_rows = move || {
        mapping_open.get().then(|| {
            fields
                .iter()
                .map(|&field| {
                    let current = base_mapping
                        .iter()
                        .find(|(f, _)| f == field)
                        .map(|(_, h)| if h.is_empty() { "-".to_string() } else { h.clone() })
                        .unwrap_or_default();
                    let on_pick = move |v: String| {
                        update(Box::new(move |o: &mut Overrides| {
                            o.mapping.retain(|(f, _)| f != field);
                            match v.as_str() {
                                AUTO => {}
                                "-" => o.mapping.push((field.to_string(), String::new())),
                                h => o.mapping.push((field.to_string(), h.to_string())),
                            }
                        }))
                    };
                    let found = mapping
                        .iter()
                        .find(|m| m.field == field)
                        .and_then(|m| m.column.clone())
                        .unwrap_or_else(|| "—".into());
                    view! {
                        <tr>
                            <td>{field}</td>
                            <td>{found}</td>
                            <td>{choice(id(&format!("map-{field}")), "", header_choices.clone(), current, on_pick)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="file-settings">
            {choice(id("kind"), "File kind", std::iter::once((AUTO.to_string(), "automatic".to_string())).chain(FileKind::ALL.iter().map(|k| (k.name().to_string(), k.name().to_string()))).collect(), cur(&base.kind), pick(|o, v| o.kind = v))}
            {choice(id("delimiter"), "Delimiter", opts(&[(AUTO, "automatic"), (",", "comma ,"), (";", "semicolon ;"), ("tab", "tab"), ("|", "pipe |")]), cur(&base.delimiter), pick(|o, v| o.delimiter = v))}
            {choice(id("encoding"), "Encoding", opts(&[(AUTO, "automatic"), ("utf-8", "UTF-8"), ("windows-1252", "Windows-1252 (Western)"), ("iso-8859-15", "ISO-8859-15 (Latin-9)"), ("iso-8859-2", "ISO-8859-2 (Central Europe)"), ("utf-16le", "UTF-16 LE"), ("utf-16be", "UTF-16 BE"), ("macintosh", "Mac Roman")]), cur(&base.encoding), pick(|o, v| o.encoding = v))}
            {choice(id("date-order"), "Date order", opts(&[(AUTO, "automatic"), ("dmy", "day/month/year"), ("mdy", "month/day/year")]), cur(&base.date_order), pick(|o, v| o.date_order = v))}
            {choice(id("decimal"), "Decimal separator", opts(&[(AUTO, "automatic"), ("dot", "point 1,234.50"), ("comma", "comma 1.234,50")]), cur(&base.decimal), pick(|o, v| o.decimal = v))}
            <label class="setting">
                <span>"Header line"</span>
                <input
                    id=id("header-line")
                    type="number"
                    min="1"
                    placeholder=summary.header_line.to_string()
                    prop:value=base.header_line.map(|h| h.to_string()).unwrap_or_default()
                    on:change:target=move |ev| {
                        let line = ev.target().value().parse::<usize>().ok();
                        update(Box::new(move |o: &mut Overrides| o.header_line = line))
                    }
                />
            </label>
            <details class="mapping" on:toggle=move |_| set_mapping_open.set(true)>
                <summary>"Column mapping"</summary>
                <table>
                    <thead><tr><th>"Field"</th><th>"Column used"</th><th>"Change"</th></tr></thead>
                    <tbody>{mapping_rows}</tbody>
                </table>
            </details>
        </div>
    }
}
