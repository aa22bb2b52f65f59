//! Page components, one per file.
pub mod dashboard;
pub mod drop_zone;
pub mod file_settings;
pub mod import_list;
pub mod kpi_card;
pub mod privacy_badge;
pub mod progress_bar;
pub mod revenue_chart;
pub mod view_toolbar;
