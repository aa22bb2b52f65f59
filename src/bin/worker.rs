//! Worker entry point: parsing and computing run here so the page never freezes.
fn main() {
    console_error_panic_hook::set_once();
    kpi_lens_app::worker::start();
}
