//! The SVG text this crate writes itself: the root element, data marks with `<title>`
//! tooltips, legends and labels. Every string that comes from data goes through [`esc`].

use std::fmt::Write as _;

/// Font of every label; plotters measures the same family for its tick labels.
pub(crate) const FONT: &str = "sans-serif";

/// Series colours. Mid tones, each at least 3:1 against both the light (#ffffff) and the
/// dark (#1b2027) panel of style/main.css (WCAG 1.4.11, checked by a test), so they need no
/// theme switch. Order: the first is the app's accent blue.
pub(crate) const PALETTE: [&str; 8] = [
    "#2563eb", "#d97706", "#059669", "#db2777", "#8b5cf6", "#0891b2", "#65a30d", "#dc2626",
];

/// The colour of series `i` (the palette repeats after 8 series).
pub(crate) fn series_colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Text or attribute value made safe for SVG and HTML: markup characters escaped, and the
/// characters XML 1.0 forbids even escaped (most C0 controls) replaced by U+FFFD so an
/// exported .svg file still parses.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Text for plotters, which escapes markup itself but not control characters.
pub(crate) fn plain(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Rough width in pixels of `text` at `size` px in a sans-serif font. Deterministic (no DOM),
/// so truncation is the same natively and in the browser; 0.6 em per character is an
/// overestimate for most Latin text, so truncated labels fit.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// `text` cut with `…` to fit `max_px`; `None` when it already fits.
pub(crate) fn truncate(text: &str, size: f64, max_px: f64) -> Option<String> {
    if text_width(text, size) <= max_px {
        return None;
    }
    let keep = ((max_px / (size * 0.6)).floor() as usize).saturating_sub(1);
    let mut out: String = text.chars().take(keep).collect();
    out = out.trim_end().to_string();
    out.push('…');
    Some(out)
}

/// A number for an SVG attribute: one decimal is plenty on screen and keeps the text short.
pub(crate) fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".into()
    } else {
        format!("{r}")
    }
}

/// A text label. `class` says what it is; `full` adds a `<title>` (the untruncated text).
#[allow(clippy::too_many_arguments)]
pub(crate) fn text(
    out: &mut String,
    class: &str,
    x: f64,
    y: f64,
    size: f64,
    anchor: &str,
    shown: &str,
    full: Option<&str>,
) {
    let _ = write!(
        out,
        r#"<text class="{class}" x="{}" y="{}" font-size="{}" font-family="{FONT}" text-anchor="{anchor}" dominant-baseline="central" fill="currentColor">{}"#,
        n(x),
        n(y),
        n(size),
        esc(shown)
    );
    if let Some(full) = full {
        let _ = write!(out, "<title>{}</title>", esc(full));
    }
    out.push_str("</text>\n");
}

/// A rectangle data mark with its tooltip. `label` and `value` are also kept as
/// `data-label`/`data-value` so scripts and tests can read them without parsing titles.
#[allow(clippy::too_many_arguments)]
pub(crate) fn rect_mark(
    out: &mut String,
    (x, y, w, h): (f64, f64, f64, f64),
    fill: &str,
    label: &str,
    value: f64,
    tooltip: &str,
) {
    // Negative sizes come from rounding on tiny values; SVG would reject them.
    let _ = write!(
        out,
        r#"<rect class="mark" x="{}" y="{}" width="{}" height="{}" fill="{fill}" data-label="{}" data-value="{value}"><title>{}</title></rect>"#,
        n(x),
        n(y),
        n(w.max(0.0)),
        n(h.max(0.0)),
        esc(label),
        esc(tooltip)
    );
    out.push('\n');
}

/// Opens the group of series `i`: `<g class="series series-i" data-series="i" data-name=…>`.
pub(crate) fn open_series(out: &mut String, i: usize, name: &str) {
    let _ = writeln!(
        out,
        r#"<g class="series series-{i}" data-series="{i}" data-name="{}">"#,
        esc(name)
    );
}

/// One legend entry per `(name, colour)`, laid out in rows from the top left; returns the
/// SVG and the height it takes. Names too long for the row are cut with `…` and keep their
/// full text in a `<title>`.
pub(crate) fn legend(entries: &[(String, &str)], left: f64, top: f64, width: f64) -> (String, f64) {
    const SIZE: f64 = 12.0;
    const ROW: f64 = 20.0;
    let mut out = String::from("<g class=\"legend\">\n");
    if entries.is_empty() {
        out.push_str("</g>\n");
        return (out, 0.0);
    }
    let (mut x, mut y) = (left, top + ROW / 2.0);
    for (i, (name, colour)) in entries.iter().enumerate() {
        let max_text = (width - 20.0).max(40.0);
        let cut = truncate(name, SIZE, max_text);
        let shown = cut.as_deref().unwrap_or(name);
        let item_w = 16.0 + text_width(shown, SIZE) + 18.0;
        if x > left && x + item_w > left + width {
            x = left;
            y += ROW;
        }
        let _ = writeln!(
            out,
            r#"<g class="legend-item series-{i}" data-series="{i}"><rect x="{}" y="{}" width="11" height="11" rx="2" fill="{colour}"/>"#,
            n(x),
            n(y - 5.5)
        );
        text(
            &mut out,
            "legend-label",
            x + 16.0,
            y,
            SIZE,
            "start",
            shown,
            cut.as_ref().map(|_| name.as_str()),
        );
        out.push_str("</g>\n");
        x += item_w;
    }
    out.push_str("</g>\n");
    (out, y - top + ROW / 2.0)
}

/// The root element around `body`: transparent, `role="img"` with the description as
/// `aria-label` and `<title>`, text in `currentColor` so it follows the page's theme.
/// `kind` becomes `class="kpi-chart kpi-chart-<kind>"`, `series` the `data-series` count.
pub(crate) fn document(
    kind: &str,
    (width, height): (u32, u32),
    title: &str,
    series: usize,
    body: &str,
) -> String {
    let title = esc(title);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="kpi-chart kpi-chart-{kind}" role="img" aria-label="{title}" data-series="{series}">
<title>{title}</title>
{body}</svg>
"#
    )
}

/// Relative luminance of `#rrggbb` (WCAG 2).
pub(crate) fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0) as f64 / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/// WCAG contrast ratio of two `#rrggbb` colours.
pub(crate) fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_is_visible_on_light_and_dark_panels() {
        for c in PALETTE {
            assert!(
                contrast(c, "#ffffff") >= 3.0,
                "{c} on white: {}",
                contrast(c, "#ffffff")
            );
            assert!(
                contrast(c, "#1b2027") >= 3.0,
                "{c} on dark: {}",
                contrast(c, "#1b2027")
            );
        }
        // WCAG's own examples: black on white is 21:1, a colour with itself 1:1.
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!((contrast("#777777", "#777777") - 1.0).abs() < 1e-9);
    }

    #[test]
    fn escapes_markup_and_xml_forbidden_characters() {
        assert_eq!(
            esc("</svg><script>\"x\"&'\u{7}"),
            "&lt;/svg&gt;&lt;script&gt;&quot;x&quot;&amp;&#39;\u{fffd}"
        );
    }

    #[test]
    fn truncates_only_what_does_not_fit() {
        assert_eq!(truncate("Anna", 10.0, 100.0), None);
        // 60 px at 6 px per character: 10 characters, 9 kept plus the ellipsis.
        assert_eq!(
            truncate("Bartholomew Featherstonehaugh", 10.0, 60.0).as_deref(),
            Some("Bartholom…")
        );
    }
}
