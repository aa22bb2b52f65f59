//! A chart on the page: its title, the SVG drawn by `kpi-charts`, and downloads of it as SVG
//! and PNG (drawn on a canvas here: nothing is uploaded anywhere).

use crate::i18n::tr;
use crate::worker_client::download_text;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What one chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    /// The SVG, or why there is none.
    pub svg: Result<String, String>,
    /// Series drawn (bars of one colour, lines, stacks...), for `data-series`.
    pub series: usize,
    /// Points per series (periods, stages, people...), for `data-points`.
    pub points: usize,
}

/// Save the SVG as a PNG: the browser draws it on a canvas at twice its size.
fn download_png(svg: &str, name: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(svg));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let img = web_sys::HtmlImageElement::new()?;
    let (img2, url2, name) = (img.clone(), url.clone(), name.to_string());
    let onload = Closure::once_into_js(move || {
        let draw = || -> Result<(), JsValue> {
            let canvas: web_sys::HtmlCanvasElement =
                document.create_element("canvas")?.unchecked_into();
            let (w, h) = (
                img2.natural_width().max(1) * 2,
                img2.natural_height().max(1) * 2,
            );
            canvas.set_width(w);
            canvas.set_height(h);
            let ctx: web_sys::CanvasRenderingContext2d = canvas
                .get_context("2d")?
                .ok_or("no 2d context")?
                .unchecked_into();
            // A white page behind the transparent chart, as people expect of a picture.
            ctx.set_fill_style_str("#ffffff");
            ctx.fill_rect(0.0, 0.0, w as f64, h as f64);
            ctx.draw_image_with_html_image_element_and_dw_and_dh(
                &img2, 0.0, 0.0, w as f64, h as f64,
            )?;
            let data_url = canvas.to_data_url_with_type("image/png")?;
            let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
            a.set_href(&data_url);
            a.set_download(&name);
            a.click();
            web_sys::Url::revoke_object_url(&url2)
        };
        let _ = draw();
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&url);
    Ok(())
}

/// A chart with its downloads. Carries `data-chart`, `data-series` and `data-points`.
///
/// Built once and updated in place when `drawn` changes (a new report, a new view): its
/// attributes and SVG change, its buttons and their handlers stay.
///
/// - `id`: the chart's name for scripts and downloads (`revenue`, `funnel-web`...).
/// - `title`: its caption (English; shown translated).
/// - `drawn`: the chart, or None to show nothing.
#[component]
pub fn ChartFigure(
    id: &'static str,
    title: &'static str,
    #[prop(into)] drawn: Signal<Option<Drawn>>,
) -> impl IntoView {
    let field = move |f: fn(&Drawn) -> usize| move || drawn.with(|d| d.as_ref().map_or(0, f));
    // The SVG as shown when the button is pressed.
    let svg_now = move || drawn.with_untracked(|d| d.as_ref().and_then(|d| d.svg.clone().ok()));
    view! {
        <Show when=move || drawn.with(Option::is_some)>
            <figure
                class="chart"
                data-chart=id
                data-series=field(|d| d.series)
                data-points=field(|d| d.points)
            >
                <figcaption>
                    <span>{move || tr(title)}</span>
                    <span class="chart-downloads">
                        <button
                            type="button"
                            class="link"
                            aria-label=format!("{title}: SVG")
                            on:click=move |_| {
                                if let Some(svg) = svg_now() {
                                    let _ = download_text(&format!("{id}.svg"), "image/svg+xml", &svg);
                                }
                            }
                        >
                            "SVG"
                        </button>
                        <button
                            type="button"
                            class="link"
                            aria-label=format!("{title}: PNG")
                            on:click=move |_| {
                                if let Some(svg) = svg_now() {
                                    let _ = download_png(&svg, &format!("{id}.png"));
                                }
                            }
                        >
                            "PNG"
                        </button>
                    </span>
                </figcaption>
                {move || {
                    drawn.with(|d| match d.as_ref().map(|d| &d.svg) {
                        // The SVG carries role="img" and its own aria-label.
                        Some(Ok(svg)) => view! { <div class="chart-svg" inner_html=svg.clone()></div> }.into_any(),
                        Some(Err(e)) => view! { <p class="chart-empty">{e.clone()}</p> }.into_any(),
                        None => ().into_any(),
                    })
                }}
            </figure>
        </Show>
    }
}
