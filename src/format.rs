//! Numbers as a person reads them on a card.

use kpi_core::report::Unit;

/// Group thousands with `,` and keep `decimals` digits: `1234567.891, 2` -> `1,234,567.89`.
pub fn group_thousands(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// The value as shown on a KPI card.
pub fn kpi_value(value: Option<f64>, unit: Unit) -> String {
    match value {
        None => "—".into(),
        Some(v) => match unit {
            Unit::Currency => group_thousands(v, 2),
            Unit::Count => group_thousands(v, 0),
            Unit::Ratio => format!("{:.1}%", v * 100.0),
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
