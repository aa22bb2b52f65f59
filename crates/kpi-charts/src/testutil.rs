//! Test helpers: parse a chart as XML (so it must be well-formed) and look into it.

use crate::{ChartError, ChartFrame, NumberFormat};
use roxmltree::{Document, Node};

/// A 600x300-ish frame in English with euros.
pub fn frame(width: u32, height: u32) -> ChartFrame {
    ChartFrame {
        width,
        height,
        title: "Chart".into(),
        format: NumberFormat::english("€"),
    }
}

/// Parses `svg` as XML, failing the test when it is not well-formed. The text is leaked so
/// the document can outlive the caller's temporary (test processes are short).
pub fn parse(svg: &str) -> Document<'static> {
    let text: &'static str = Box::leak(svg.to_owned().into_boxed_str());
    let doc = Document::parse(text).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert_eq!(doc.root_element().attribute("role"), Some("img"));
    let first = doc
        .root_element()
        .children()
        .find(|n| n.is_element())
        .expect("root has children");
    assert_eq!(
        first.tag_name().name(),
        "title",
        "the first child is the title"
    );
    doc
}

/// Parses a chart that must have been drawn.
pub fn parse_ok(result: Result<String, ChartError>) -> Document<'static> {
    parse(&result.expect("chart draws"))
}

fn has_class(n: &Node, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|t| t == class))
}

pub fn elements_with_class<'a, 'i>(doc: &'a Document<'i>, class: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants().filter(|n| has_class(n, class)).collect()
}

/// Number of `<g class="series …">` groups.
pub fn series_count(doc: &Document) -> usize {
    doc.descendants()
        .filter(|n| n.tag_name().name() == "g" && has_class(n, "series"))
        .count()
}

/// Marks inside the group of series `i`.
pub fn marks_in_series(doc: &Document, i: usize) -> usize {
    let group = doc
        .descendants()
        .find(|n| {
            has_class(n, "series") && n.attribute("data-series") == Some(i.to_string().as_str())
        })
        .unwrap_or_else(|| panic!("no series {i}"));
    group.descendants().filter(|n| has_class(n, "mark")).count()
}

pub fn root_attr(doc: &Document, name: &str) -> String {
    doc.root_element()
        .attribute(name)
        .unwrap_or_default()
        .to_string()
}

/// The shown text (not the title) of each element with `class`.
pub fn texts_with_class(doc: &Document, class: &str) -> Vec<String> {
    doc.descendants()
        .filter(|n| has_class(n, class))
        .map(|n| {
            n.children()
                .filter(|c| c.is_text())
                .map(|c| c.text().unwrap_or_default())
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect()
}

/// Every `<title>` text (tooltips, full labels, the chart title).
pub fn titles(doc: &Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.tag_name().name() == "title")
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

/// The shown text of every `<text>` element, plotters' tick labels included.
pub fn all_text(doc: &Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.tag_name().name() == "text")
        .map(|n| {
            n.children()
                .filter(|c| c.is_text())
                .map(|c| c.text().unwrap_or_default())
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect()
}

/// Hostile names stay text: no element other than the SVG vocabulary this crate writes,
/// and no raw markup a browser's HTML parser would pick up from `innerHTML`.
pub fn assert_no_markup_injection(svg: &str) {
    let doc = parse(svg);
    for n in doc.descendants().filter(|n| n.is_element()) {
        let allowed = [
            "svg", "g", "title", "text", "rect", "circle", "path", "line", "polyline",
        ];
        assert!(
            allowed.contains(&n.tag_name().name()),
            "unexpected element {:?}",
            n.tag_name()
        );
    }
    for needle in ["<script", "<img", "</svg><"] {
        assert!(!svg.contains(needle), "{needle} in {svg}");
    }
}
