//! The value axis, drawn by plotters: nice ticks, tick labels in the reader's number format,
//! grid lines and the axis title. Data marks are drawn by this crate on top (see `svg.rs`),
//! at pixel positions from [`Plot`].

use crate::format::{NumberFormat, ValueUnit};
use crate::svg::{self, text_width, FONT};
use crate::ChartError;
use plotters::prelude::*;

/// Plotters only takes RGB colours; text and lines are drawn in this one and then rewritten
/// to `currentColor`, so they follow the page's light or dark text colour.
const INK: RGBColor = RGBColor(1, 2, 3);
const INK_HEX: &str = "#010203";

/// Plotters writes `font-size` = size / 1.24 into SVG; this gives 12 px tick labels.
const TICK_FONT: f64 = 12.0 * 1.24;
const DESC_FONT: f64 = 13.0 * 1.24;

/// The plotting rectangle in pixels and the value range it shows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plot {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub lo: f64,
    pub hi: f64,
    /// Values run left to right (leaderboard) instead of bottom to top.
    pub horizontal: bool,
}

impl Plot {
    /// Pixel coordinate of value `v` along the value axis.
    pub fn value(&self, v: f64) -> f64 {
        let t = (v - self.lo) / (self.hi - self.lo);
        if self.horizontal {
            self.left + t * (self.right - self.left)
        } else {
            self.bottom - t * (self.bottom - self.top)
        }
    }

    /// Start and size of category `i` of `n` along the category axis.
    pub fn band(&self, i: usize, n: usize) -> (f64, f64) {
        let (start, len) = if self.horizontal {
            (self.top, self.bottom - self.top)
        } else {
            (self.left, self.right - self.left)
        };
        let size = len / n.max(1) as f64;
        (start + i as f64 * size, size)
    }
}

/// Space around the plotting rectangle, label areas included.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Margins {
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
    pub left: u32,
}

/// A 1-2-2.5-5 step near `raw`, so ticks land on numbers people read easily.
fn nice_step(raw: f64) -> f64 {
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// A value range that starts and ends on a tick, and its tick step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
}

impl Scale {
    /// The tick values lo, lo + step, ..., hi (computed from the index, so no drift).
    pub fn ticks(&self) -> Vec<f64> {
        let count = ((self.hi - self.lo) / self.step).round() as usize;
        (0..=count.min(50))
            .map(|i| self.lo + self.step * i as f64)
            .collect()
    }
}

/// `lo..hi` widened to whole tick steps (about `ticks` of them), always with some height.
pub(crate) fn nice_range(lo: f64, hi: f64, ticks: usize) -> Result<Scale, ChartError> {
    let (lo, hi) = if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()).max(1.0) {
        // One value (or all equal): show it in the middle of a range around it; all zeros
        // sit on the axis of a 0..1 range.
        if lo == 0.0 {
            (0.0, 1.0)
        } else {
            let pad = lo.abs() * 0.5;
            (lo - pad, hi + pad)
        }
    } else {
        (lo, hi)
    };
    let span = hi - lo;
    if !span.is_finite() {
        return Err(ChartError::NotFinite {
            label: "value range".into(),
        });
    }
    let step = nice_step(span / ticks.max(1) as f64);
    let (nlo, nhi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    if !(nlo.is_finite() && nhi.is_finite() && nhi > nlo) {
        return Err(ChartError::NotFinite {
            label: "value range".into(),
        });
    }
    Ok(Scale {
        lo: nlo,
        hi: nhi,
        step,
    })
}

/// An f64 axis whose grid lines and labels are exactly the given ticks.
struct TickRange {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ranged for TickRange {
    // Labels come from our formatter; the default (Debug) is never shown.
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let t = (value - self.lo) / (self.hi - self.lo);
        (limit.0 as f64 + t * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.max_num_points() == 0 {
            return Vec::new();
        }
        self.ticks.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// Width the widest tick label of `scale` needs, in pixels.
pub(crate) fn tick_label_width(scale: &Scale, unit: ValueUnit, fmt: &NumberFormat) -> f64 {
    scale
        .ticks()
        .iter()
        .map(|v| text_width(&fmt.tick(*v, unit), 12.0))
        .fold(0.0, f64::max)
}

fn backend_err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Backend(format!("{e:?}"))
}

/// The value axis with grid lines and tick labels, and the axis title `desc`; returns the
/// SVG elements (without the root) and where the plot is.
#[allow(clippy::too_many_arguments)]
pub(crate) fn value_axis(
    size: (u32, u32),
    margins: Margins,
    scale: Scale,
    unit: ValueUnit,
    fmt: &NumberFormat,
    desc: &str,
    horizontal: bool,
) -> Result<(String, Plot), ChartError> {
    let (lo, hi) = (scale.lo, scale.hi);
    let ticks = scale.ticks();
    // Plotters would pick its own (fewer) ticks; ours end on the range's ends.
    let value_range = || TickRange {
        lo,
        hi,
        ticks: ticks.clone(),
    };
    let (w, h) = size;
    if margins.left + margins.right + 40 > w || margins.top + margins.bottom + 40 > h {
        return Err(ChartError::TooSmall);
    }
    let mut out = String::new();
    let plot;
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        let mut builder = ChartBuilder::on(&root);
        builder
            .margin_top(margins.top)
            .margin_right(margins.right)
            .x_label_area_size(margins.bottom)
            .y_label_area_size(margins.left);
        let tick_fmt = |v: &f64| fmt.tick(*v, unit);
        let blank = |_: &f64| String::new();
        let text_style = (FONT, TICK_FONT).into_font().color(&INK);
        let desc_style = (FONT, DESC_FONT).into_font().color(&INK);
        let grid = INK.mix(0.14);
        let axis_line = INK.mix(0.5);
        let desc = svg::plain(desc);
        if horizontal {
            let mut chart = builder
                .build_cartesian_2d(value_range(), 0f64..1f64)
                .map_err(backend_err)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .max_light_lines(0)
                .bold_line_style(grid)
                .axis_style(axis_line)
                .x_labels(ticks.len())
                .y_labels(0)
                .x_label_formatter(&tick_fmt)
                .y_label_formatter(&blank)
                .set_tick_mark_size(LabelAreaPosition::Left, 0)
                .label_style(text_style)
                .axis_desc_style(desc_style)
                .x_desc(desc)
                .draw()
                .map_err(backend_err)?;
            let (xr, yr) = chart.plotting_area().get_pixel_range();
            plot = Plot {
                left: xr.start as f64,
                right: xr.end as f64,
                top: yr.start as f64,
                bottom: yr.end as f64,
                lo,
                hi,
                horizontal,
            };
        } else {
            let mut chart = builder
                .build_cartesian_2d(0f64..1f64, value_range())
                .map_err(backend_err)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .max_light_lines(0)
                .bold_line_style(grid)
                .axis_style(axis_line)
                .y_labels(ticks.len())
                .x_labels(0)
                .y_label_formatter(&tick_fmt)
                .x_label_formatter(&blank)
                .set_tick_mark_size(LabelAreaPosition::Bottom, 0)
                .label_style(text_style)
                .axis_desc_style(desc_style)
                .y_desc(desc)
                .draw()
                .map_err(backend_err)?;
            let (xr, yr) = chart.plotting_area().get_pixel_range();
            plot = Plot {
                left: xr.start as f64,
                right: xr.end as f64,
                top: yr.start as f64,
                bottom: yr.end as f64,
                lo,
                hi,
                horizontal,
            };
        }
        root.present().map_err(backend_err)?;
    }
    Ok((format!("<g class=\"axis\">\n{}</g>\n", inner(&out)), plot))
}

/// Plotters' document without its `<svg>` root, colours rewritten to `currentColor`.
fn inner(doc: &str) -> String {
    let start = doc
        .find("<svg")
        .and_then(|i| doc[i..].find('>').map(|j| i + j + 1))
        .unwrap_or(0);
    let end = doc.rfind("</svg>").unwrap_or(doc.len());
    doc[start..end]
        .trim_start()
        .replace(INK_HEX, "currentColor")
}

/// The line at value zero, when zero is inside the range and not already the axis.
pub(crate) fn zero_line(plot: &Plot) -> String {
    if !(plot.lo < 0.0 && plot.hi > 0.0) {
        return String::new();
    }
    let p = svg::n(plot.value(0.0));
    let (x1, y1, x2, y2) = if plot.horizontal {
        (p.clone(), svg::n(plot.top), p, svg::n(plot.bottom))
    } else {
        (svg::n(plot.left), p.clone(), svg::n(plot.right), p)
    };
    format!(
        "<path class=\"zero-line\" d=\"M{x1} {y1}L{x2} {y2}\" stroke=\"currentColor\" stroke-opacity=\"0.6\" stroke-width=\"1\"/>\n"
    )
}

/// Category labels under a vertical plot, one per band; every k-th when they would collide.
/// Cut labels keep their full text in a `<title>`.
pub(crate) fn category_labels(plot: &Plot, labels: &[String]) -> String {
    const SIZE: f64 = 12.0;
    let n = labels.len();
    let mut out = String::from("<g class=\"category-labels\">\n");
    if n == 0 {
        out.push_str("</g>\n");
        return out;
    }
    let (_, band) = plot.band(0, n);
    let widest = labels
        .iter()
        .map(|l| text_width(l, SIZE))
        .fold(0.0, f64::max);
    // Show every k-th label, k chosen so a shown label has (up to) k bands of room; labels
    // still too long for that room are cut.
    let mut step = 1;
    while step < n && widest + 8.0 > band * step as f64 && band * (step as f64) < 90.0 {
        step += 1;
    }
    let room = (band * step as f64 - 8.0).max(SIZE);
    for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % step == 0) {
        let (start, size) = plot.band(i, n);
        let cut = svg::truncate(label, SIZE, room);
        svg::text(
            &mut out,
            "category-label",
            start + size / 2.0,
            plot.bottom + 14.0,
            SIZE,
            "middle",
            cut.as_deref().unwrap_or(label),
            cut.as_ref().map(|_| label.as_str()),
        );
    }
    out.push_str("</g>\n");
    out
}

/// `vertical_chart` for named series over periods (line and stacked charts): a legend only
/// when there are several series (one would repeat the axis title).
pub(crate) fn series_chart(
    frame: &crate::ChartFrame,
    series: &[crate::NamedSeries],
    range: (f64, f64),
    unit: ValueUnit,
    y_label: &str,
    periods: &[String],
) -> Result<(String, Plot), ChartError> {
    let entries: Vec<(String, &str)> = series
        .iter()
        .enumerate()
        .filter(|_| series.len() > 1)
        .map(|(i, s)| (s.name.clone(), svg::series_colour(i)))
        .collect();
    let desc = format!("{}{}", y_label, frame.format.unit_suffix(unit));
    vertical_chart(frame, &entries, range, unit, &desc, periods)
}

/// The common layout of a chart with categories along x: legend on top, value axis on the
/// left, category labels below. `data_lo..data_hi` is the data's range (zero included by the
/// caller when bars start at zero). Returns the SVG so far and the plot to draw marks in.
pub(crate) fn vertical_chart(
    frame: &crate::ChartFrame,
    legend_entries: &[(String, &str)],
    (data_lo, data_hi): (f64, f64),
    unit: ValueUnit,
    desc: &str,
    categories: &[String],
) -> Result<(String, Plot), ChartError> {
    let (w, h) = (frame.width, frame.height);
    if w < 160 || h < 120 {
        return Err(ChartError::TooSmall);
    }
    let (legend, legend_h) = svg::legend(legend_entries, 12.0, 6.0, w as f64 - 24.0);
    let top = (legend_h + 14.0).round() as u32;
    let bottom = 30;
    let ticks = (h.saturating_sub(top + bottom) / 45).clamp(2, 10) as usize;
    let range = nice_range(data_lo, data_hi, ticks)?;
    let left = (tick_label_width(&range, unit, &frame.format) + 38.0)
        .min(w as f64 / 2.0)
        .round() as u32;
    let margins = Margins {
        top,
        right: 16,
        bottom,
        left,
    };
    let (axis, plot) = value_axis((w, h), margins, range, unit, &frame.format, desc, false)?;
    let mut body = axis;
    body.push_str(&legend);
    body.push_str(&zero_line(&plot));
    body.push_str(&category_labels(&plot, categories));
    Ok((body, plot))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_widen_to_round_steps() {
        // 0..930 in ~5 ticks: raw step 186 -> 200, so 0..1000.
        let r = nice_range(0.0, 930.0, 5).unwrap();
        assert_eq!((r.lo, r.hi, r.step), (0.0, 1000.0, 200.0));
        assert_eq!(r.ticks(), [0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]);
        // -35..120 in ~4 ticks: raw step 38.75 -> 50, so -50..150.
        let r = nice_range(-35.0, 120.0, 4).unwrap();
        assert_eq!((r.lo, r.hi, r.step), (-50.0, 150.0, 50.0));
        // A single value gets room around it: 10 -> 5..15 by 2.5; all zeros get 0..1.
        let r = nice_range(10.0, 10.0, 4).unwrap();
        assert_eq!((r.lo, r.hi, r.step), (5.0, 15.0, 2.5));
        let r = nice_range(0.0, 0.0, 4).unwrap();
        assert_eq!((r.lo, r.hi), (0.0, 1.0));
        assert!(nice_range(-f64::MAX, f64::MAX, 4).is_err());
    }
}
