//! Page components, one per file.
pub mod chart_figure;
pub mod charts;
pub mod customer_value;
pub mod dashboard;
pub mod data_table;
pub mod drop_zone;
pub mod export_bar;
pub mod file_settings;
pub mod import_list;
pub mod kpi_card;
pub mod paste_box;
pub mod privacy_badge;
pub mod progress_bar;
pub mod remember_switch;
pub mod revenue_chart;
pub mod tables;
pub mod view_toolbar;
