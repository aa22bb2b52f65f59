//! Numbers as a person reads them on a card.

use kpi_core::report::Unit;

/// Group thousands and keep `decimals` digits, with the page language's separators:
/// `1234567.891, 2` -> `1,234,567.89` (English) or `1.234.567,89` (Italian).
pub fn group_thousands(v: f64, decimals: usize) -> String {
    crate::i18n::group_thousands_in(crate::i18n::current(), v, decimals)
}

/// The value as shown on a KPI card.
pub fn kpi_value(value: Option<f64>, unit: Unit) -> String {
    match value {
        None => "—".into(),
        Some(v) => match unit {
            Unit::Currency => group_thousands(v, 2),
            Unit::Count => group_thousands(v, 0),
            Unit::Ratio => format!("{}%", group_thousands(v * 100.0, 1)),
            Unit::Score => format!("{v:+.0}"),
            Unit::Days => format!("{} days", group_thousands(v, if v < 10.0 { 1 } else { 0 })),
            Unit::Number => group_thousands(v, 2),
        },
    }
}

/// The exact value for `data-value`: Rust's shortest round-trip text, as the CLI's JSON.
pub fn raw_value(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(group_thousands(1234567.891, 2), "1,234,567.89");
        assert_eq!(group_thousands(-1234.5, 0), "-1,234");
        assert_eq!(kpi_value(Some(0.4567), Unit::Ratio), "45.7%");
        assert_eq!(kpi_value(None, Unit::Count), "—");
        assert_eq!(raw_value(Some(0.1 + 0.2)), "0.30000000000000004");
    }
}
