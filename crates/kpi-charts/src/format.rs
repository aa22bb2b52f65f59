//! Numbers as the reader's locale writes them: `€1,234.50` or `1.234,50 €`.

/// What the values of a chart measure; decides how they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValueUnit {
    /// A plain number, up to two decimals.
    #[default]
    Number,
    /// Whole things (orders, customers, answers); decimals only if the value has them.
    Count,
    /// Money, with the currency symbol of [`NumberFormat`] and two decimals.
    Currency,
    /// A share between 0 and 1, written as a percentage (`0.125` -> `12.5%`), as kpi-core's
    /// `Unit::Ratio`.
    Percent,
}

/// How numbers are written, so the app can follow the browser locale.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberFormat {
    /// `.` in English, `,` in Italian.
    pub decimal_separator: char,
    /// `,` in English, `.` in Italian; `'\u{a0}'` (no-break space) in French.
    pub thousands_separator: char,
    /// `€`, `$`, `EUR`; empty writes money as a plain number with two decimals.
    pub currency: String,
    /// `true` writes `1.234,50 €` (symbol after, no-break space), `false` writes `€1,234.50`.
    pub currency_after: bool,
}

impl Default for NumberFormat {
    /// English separators, no currency symbol (the file's currency is not known).
    fn default() -> Self {
        Self::english("")
    }
}

impl NumberFormat {
    /// `€1,234.50`, `12.5%`.
    pub fn english(currency: &str) -> Self {
        Self {
            decimal_separator: '.',
            thousands_separator: ',',
            currency: currency.into(),
            currency_after: false,
        }
    }

    /// `1.234,50 €`, `12,5%` (what `Intl.NumberFormat("it-IT")` writes).
    pub fn italian(currency: &str) -> Self {
        Self {
            decimal_separator: ',',
            thousands_separator: '.',
            currency: currency.into(),
            currency_after: true,
        }
    }

    /// `v` with exactly `decimals` decimals and grouped thousands: `-1234.5, 2` -> `-1,234.50`.
    /// Never writes `-0`.
    pub fn fixed(&self, v: f64, decimals: usize) -> String {
        if !v.is_finite() {
            return "—".into();
        }
        let digits = format!("{:.*}", decimals.min(12), v.abs());
        let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
        let mut out = String::with_capacity(digits.len() + 8);
        // A rounded-to-zero negative prints as 0, like Intl.NumberFormat.
        if v < 0.0 && digits.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
            out.push('-');
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(self.thousands_separator);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(self.decimal_separator);
            out.push_str(frac);
        }
        out
    }

    /// The symbol placed around an already written number (`-` stays in front).
    fn with_currency(&self, number: String) -> String {
        if self.currency.is_empty() {
            number
        } else if self.currency_after {
            format!("{number}\u{a0}{}", self.currency)
        } else if let Some(abs) = number.strip_prefix('-') {
            format!("-{}{abs}", self.currency)
        } else {
            format!("{}{number}", self.currency)
        }
    }

    /// The exact value, as a tooltip shows it: money with cents, shares with one decimal
    /// of a percent... enough digits to tell close values apart.
    pub fn value(&self, v: f64, unit: ValueUnit) -> String {
        match unit {
            ValueUnit::Number => self.fixed(v, if v.fract() == 0.0 { 0 } else { 2 }),
            ValueUnit::Count => self.fixed(v, if v.fract() == 0.0 { 0 } else { 2 }),
            ValueUnit::Currency => self.with_currency(self.fixed(v, 2)),
            ValueUnit::Percent => format!("{}%", self.fixed(v * 100.0, 1)),
        }
    }

    /// A tick label: as few decimals as the tick needs (`€1,500`, `12.5%`, `0.25`).
    pub fn tick(&self, v: f64, unit: ValueUnit) -> String {
        let scaled = if unit == ValueUnit::Percent {
            v * 100.0
        } else {
            v
        };
        // Ticks are round numbers, so the shortest of up to 4 decimals that represents one
        // exactly is enough; float noise (0.30000000000000004) is rounded away.
        let decimals = (0..=4)
            .find(|d| {
                let m = 10f64.powi(*d as i32);
                ((scaled * m).round() - scaled * m).abs() < 1e-6 * m.max(1.0)
            })
            .unwrap_or(4);
        let number = self.fixed(scaled, decimals);
        match unit {
            ValueUnit::Currency => self.with_currency(number),
            ValueUnit::Percent => format!("{number}%"),
            ValueUnit::Number | ValueUnit::Count => number,
        }
    }

    /// The unit as an axis title suffix: `(€)`, `(%)`, or nothing.
    pub fn unit_suffix(&self, unit: ValueUnit) -> String {
        match unit {
            ValueUnit::Currency if !self.currency.is_empty() => format!(" ({})", self.currency),
            ValueUnit::Percent => " (%)".into(),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_italian_money_match_intl_number_format() {
        // Expected strings are what Chromium's Intl.NumberFormat writes for en-US/it-IT EUR.
        let en = NumberFormat::english("€");
        let it = NumberFormat::italian("€");
        assert_eq!(en.value(1234.5, ValueUnit::Currency), "€1,234.50");
        assert_eq!(it.value(1234.5, ValueUnit::Currency), "1.234,50\u{a0}€");
        assert_eq!(
            en.value(-1234567.891, ValueUnit::Currency),
            "-€1,234,567.89"
        );
        assert_eq!(it.value(-0.001, ValueUnit::Currency), "0,00\u{a0}€");
        assert_eq!(it.value(0.125, ValueUnit::Percent), "12,5%");
        assert_eq!(en.value(42.0, ValueUnit::Count), "42");
        assert_eq!(en.value(999.0, ValueUnit::Number), "999");
        assert_eq!(en.value(f64::NAN, ValueUnit::Number), "—");
    }

    #[test]
    fn ticks_use_only_the_decimals_they_need() {
        let en = NumberFormat::english("$");
        assert_eq!(en.tick(1500.0, ValueUnit::Currency), "$1,500");
        assert_eq!(en.tick(0.1 + 0.2, ValueUnit::Number), "0.3");
        assert_eq!(en.tick(0.125, ValueUnit::Percent), "12.5%");
        assert_eq!(en.tick(-2_000_000.0, ValueUnit::Count), "-2,000,000");
        assert_eq!(
            NumberFormat::italian("€").tick(2.5, ValueUnit::Number),
            "2,5"
        );
    }
}
