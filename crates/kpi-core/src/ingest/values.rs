//! Cell parsers for numbers and dates that keep ambiguity instead of guessing per cell.
//!
//! A cell like `1.234` is 1.234 in Boston and 1234 in Milan; `03/04/2024` is March or April.
//! Each parser returns every reading the cell allows plus the evidence it gives; the column
//! decides once it has seen all its cells (see `columns.rs`).

use serde::{Deserialize, Serialize};

/// Money and quantities are kept as integers of 1/10,000 so that sums are exact and do not
/// depend on the order they are added in (the browser and the CLI must agree to the cent).
pub const SCALE: i64 = 10_000;

/// Which character separates decimals in a number column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecimalSeparator {
    /// `1,234.50`
    Dot,
    /// `1.234,50`
    Comma,
}

/// What one number cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberCell {
    Empty,
    Invalid,
    /// One reading only; `style` is the separator convention the cell proves, if any.
    Value {
        scaled: i64,
        style: Option<DecimalSeparator>,
    },
    /// A single `.` or `,` followed by exactly three digits: both readings are possible.
    Ambiguous {
        if_dot_decimal: i64,
        if_comma_decimal: i64,
    },
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}'
}

/// Parse digits with at most one decimal separator already identified, into 1/SCALE units.
/// `int_part` may contain thousands separators that are ignored (`skip`).
fn scaled_from_parts(int_digits: &str, frac_digits: &str) -> Option<i64> {
    if int_digits.is_empty() && frac_digits.is_empty() {
        return None;
    }
    let mut int: i64 = 0;
    for b in int_digits.bytes() {
        int = int.checked_mul(10)?.checked_add((b - b'0') as i64)?;
    }
    let mut frac: i64 = 0;
    let mut round_up = false;
    for (i, b) in frac_digits.bytes().enumerate() {
        match i {
            0..=3 => frac = frac * 10 + (b - b'0') as i64,
            4 => round_up = b >= b'5',
            _ => {}
        }
    }
    for _ in frac_digits.len()..4 {
        frac *= 10;
    }
    let v = int.checked_mul(SCALE)?.checked_add(frac)?;
    Some(if round_up { v + 1 } else { v })
}

/// Parse a number written in any common style: `1234.5`, `1,234.50`, `1.234,50`, `1 234,50`,
/// `1'234.50`, `€ 1.234,50`, `-12`, `(12.50)`, `12.50-`, `12%`, `CHF 10`, `1.5e3` is not money
/// and is rejected.
pub fn parse_number(cell: &str) -> NumberCell {
    match parse_plain_number(cell.as_bytes()) {
        Some(v) => v,
        None => parse_any_number(cell),
    }
}

/// `parse_number` for every style (allocates).
fn parse_any_number(cell: &str) -> NumberCell {
    let mut s = cell.trim_matches(is_space);
    if s.is_empty() {
        return NumberCell::Empty;
    }
    let mut negative = false;
    // Currency symbols, codes and percent signs around the number, then the accountants'
    // parentheses, which may sit inside or outside the symbol (` $ (100.00)`, `(€ 5)`).
    let is_decor = |c: char| c.is_alphabetic() || "€$£¥%₹₽¤".contains(c) || is_space(c);
    s = s.trim_matches(is_decor);
    if s.len() >= 2 && s.starts_with('(') && s.ends_with(')') {
        negative = true;
        s = s[1..s.len() - 1].trim_matches(is_space);
    }
    s = s.trim_matches(is_decor);
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest;
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest;
    } else if let Some(rest) = s.strip_suffix('-') {
        // SAP and some ERPs write the sign after the number.
        negative = !negative;
        s = rest;
    }
    s = s.trim_matches(is_decor);
    if s.is_empty() {
        return NumberCell::Invalid;
    }
    // Keep digits and separators; spaces and apostrophes are always thousands separators.
    let mut digits = String::with_capacity(s.len());
    let (mut dots, mut commas) = (0usize, 0usize);
    let (mut last_dot, mut last_comma) = (None, None);
    for c in s.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '.' => {
                dots += 1;
                last_dot = Some(digits.len());
                digits.push('.');
            }
            ',' => {
                commas += 1;
                last_comma = Some(digits.len());
                digits.push(',');
            }
            '\'' | '’' => {}
            c if is_space(c) => {}
            _ => return NumberCell::Invalid,
        }
    }
    let sign = |v: i64| if negative { -v } else { v };
    let strip = |part: &str| part.replace(['.', ','], "");
    let value = |int: &str, frac: &str| scaled_from_parts(&strip(int), frac).map(sign);
    let definite = |v: Option<i64>, style| match v {
        Some(scaled) => NumberCell::Value { scaled, style },
        None => NumberCell::Invalid,
    };
    match (dots, commas) {
        (0, 0) => definite(value(&digits, ""), None),
        (_, _) if dots > 0 && commas > 0 => {
            // The later one is the decimal separator; the other must not follow it.
            let (dec_pos, style, other_after) = if last_dot > last_comma {
                (
                    last_dot.unwrap(),
                    DecimalSeparator::Dot,
                    commas > 0 && dots > 1,
                )
            } else {
                (
                    last_comma.unwrap(),
                    DecimalSeparator::Comma,
                    dots > 0 && commas > 1,
                )
            };
            if other_after {
                return NumberCell::Invalid;
            }
            definite(
                value(&digits[..dec_pos], &digits[dec_pos + 1..]),
                Some(style),
            )
        }
        (n, 0) | (0, n) if n > 1 => {
            // `1.234.567` or `1,234,567`: the repeated one groups thousands.
            let style = if dots > 1 {
                DecimalSeparator::Comma
            } else {
                DecimalSeparator::Dot
            };
            definite(value(&digits, ""), Some(style))
        }
        _ => {
            let pos = last_dot.or(last_comma).unwrap();
            let style_if_decimal = if dots == 1 {
                DecimalSeparator::Dot
            } else {
                DecimalSeparator::Comma
            };
            let (int, frac) = (&digits[..pos], &digits[pos + 1..]);
            let as_decimal = value(int, frac);
            if frac.len() == 3 && !int.is_empty() && int != "0" {
                let as_thousands = value(&format!("{int}{frac}"), "");
                match (as_decimal, as_thousands) {
                    (Some(d), Some(t)) => {
                        let (if_dot_decimal, if_comma_decimal) =
                            if dots == 1 { (d, t) } else { (t, d) };
                        NumberCell::Ambiguous {
                            if_dot_decimal,
                            if_comma_decimal,
                        }
                    }
                    _ => NumberCell::Invalid,
                }
            } else {
                definite(as_decimal, Some(style_if_decimal))
            }
        }
    }
}

/// The common case without allocation: `[-]digits[.d]` with 0, 1, 2 or 4+ decimals (three
/// decimals are ambiguous and take the general path), and `[-]1,234.50`: thousands commas
/// before a decimal point (the general path reads those as a dot decimal, whatever the
/// grouping). None means "use the general parser".
fn parse_plain_number(b: &[u8]) -> Option<NumberCell> {
    let (negative, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        _ => (false, b),
    };
    // One pass over the integer part (two amounts a row: passes add up in WebAssembly).
    let (mut int, mut int_digits, mut commas, mut i) = (0i64, 0usize, 0usize, 0usize);
    // Digits first, as one comparison; 15 digits or more are refused after the loop.
    while i < digits.len() {
        let c = digits[i];
        let d = c.wrapping_sub(b'0');
        if d < 10 {
            // Wrapping: more than 14 digits is refused below, before the value is used.
            int = int.wrapping_mul(10).wrapping_add(i64::from(d));
            int_digits += 1;
        } else if c == b'.' {
            break;
        } else if c == b',' && int_digits > 0 {
            // Commas only after a digit, and only with a decimal point (checked below).
            commas += 1;
        } else {
            return None;
        }
        i += 1;
    }
    let dot = i < digits.len();
    let frac = if dot { &digits[i + 1..] } else { &[][..] };
    if int_digits == 0
        || int_digits > 14
        || (commas > 0 && !dot)
        || (frac.len() == 3 && commas == 0)
        || (dot && frac.is_empty())
    {
        return None;
    }
    let mut scaled = int * SCALE;
    if let [a, b] = frac {
        // Cents, nearly every amount: no loop.
        let (a, b) = (a.wrapping_sub(b'0'), b.wrapping_sub(b'0'));
        if a > 9 || b > 9 {
            return None;
        }
        scaled += i64::from(a) * (SCALE / 10) + i64::from(b) * (SCALE / 100);
    } else {
        let mut unit = SCALE / 10;
        for (k, &c) in frac.iter().enumerate() {
            if !c.is_ascii_digit() {
                return None;
            }
            if k < 4 {
                scaled += i64::from(c - b'0') * unit;
                unit /= 10;
            } else if k == 4 && c >= b'5' {
                scaled += 1;
            }
        }
    }
    Some(NumberCell::Value {
        scaled: if negative { -scaled } else { scaled },
        style: dot.then_some(DecimalSeparator::Dot),
    })
}

/// `s` without the whitespace around it (`str::trim`), at once when it starts and ends
/// with visible ASCII, as nearly every cell does (`trim` decodes a character at each end).
#[inline]
pub fn trim(s: &str) -> &str {
    match s.as_bytes() {
        // Bytes 0x21..0x7F are never whitespace; anything else takes `trim`.
        [first, .., last] if (0x21..0x7f).contains(first) && (0x21..0x7f).contains(last) => s,
        [only] if (0x21..0x7f).contains(only) => s,
        // Absent optional columns read as empty cells, several a row.
        [] => s,
        _ => s.trim(),
    }
}

/// The order of day and month in numeric dates like `03/04/2024`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// day/month/year (Europe, most of the world)
    Dmy,
    /// month/day/year (United States)
    Mdy,
}

impl std::str::FromStr for DateOrder {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "dmy" | "d/m/y" | "dd/mm/yyyy" => Ok(DateOrder::Dmy),
            "mdy" | "m/d/y" | "mm/dd/yyyy" => Ok(DateOrder::Mdy),
            _ => Err(format!("date order must be dmy or mdy, not {s:?}")),
        }
    }
}

/// What one date cell says. Days are counted from 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateCell {
    Empty,
    Invalid,
    Day(i32),
    /// `a/b/year` with both a and b <= 31: the column decides which is the day.
    Numeric {
        a: u8,
        b: u8,
        year: i32,
    },
}

/// Days from 1970-01-01 for a calendar date, or None if the date does not exist.
pub fn days_from_ymd(year: i32, month: u32, day: u32) -> Option<i32> {
    use chrono::Datelike;
    let d = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    Some(d.num_days_from_ce() - 719_163)
}

/// The calendar date of a day number (inverse of [`days_from_ymd`]).
pub fn ymd_from_days(days: i32) -> (i32, u32, u32) {
    use chrono::Datelike;
    let d = chrono::NaiveDate::from_num_days_from_ce_opt(days + 719_163).expect("day in range");
    (d.year(), d.month(), d.day())
}

/// ISO text for a day number, `2024-03-05`.
pub fn iso_date(days: i32) -> String {
    let (y, m, d) = ymd_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Resolve a numeric date cell once the column's order is known.
pub fn resolve_numeric(a: u8, b: u8, year: i32, order: DateOrder) -> Option<i32> {
    let (day, month) = match order {
        DateOrder::Dmy => (a, b),
        DateOrder::Mdy => (b, a),
    };
    days_from_ymd(year, month as u32, day as u32)
}

fn expand_year(digits: &str) -> Option<i32> {
    let y: i32 = digits.parse().ok()?;
    match digits.len() {
        // Two-digit years pivot at 70: 69 -> 2069, 70 -> 1970 (as POSIX strptime does).
        2 => Some(if y < 70 { 2000 + y } else { 1900 + y }),
        4 => Some(y),
        _ => None,
    }
}

/// Month names and abbreviations in English, Italian, German, French and Spanish.
fn month_from_name(word: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &[
            "jan", "gen", "ene", "janv", "janvier", "january", "gennaio", "januar", "enero",
        ],
        &[
            "feb", "fev", "fév", "févr", "february", "febbraio", "februar", "février", "febrero",
        ],
        &["mar", "mär", "mrz", "march", "marzo", "märz", "mars"],
        &["apr", "avr", "abr", "april", "aprile", "avril", "abril"],
        &["may", "mag", "mai", "maggio", "mayo"],
        &["jun", "giu", "juin", "june", "giugno", "juni", "junio"],
        &[
            "jul", "lug", "juil", "july", "luglio", "juli", "juillet", "julio",
        ],
        &["aug", "ago", "aoû", "aou", "august", "agosto", "août"],
        &[
            "sep",
            "set",
            "sept",
            "september",
            "settembre",
            "septembre",
            "septiembre",
        ],
        &[
            "oct", "ott", "okt", "october", "ottobre", "oktober", "octobre", "octubre",
        ],
        &["nov", "november", "novembre", "noviembre"],
        &[
            "dec",
            "dic",
            "dez",
            "déc",
            "december",
            "dicembre",
            "dezember",
            "décembre",
            "diciembre",
        ],
    ];
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|names| names.contains(&w.as_str()))
        .map(|i| i as u32 + 1)
}

/// Parse a date or date-time cell. Times and time zones are dropped: the date is the one
/// written in the file, as the exporting system saw it.
pub fn parse_date(cell: &str) -> DateCell {
    let s = cell.trim_matches(is_space);
    if s.is_empty() {
        return DateCell::Empty;
    }
    let bytes = s.as_bytes();
    // Fast path: ISO 8601 `yyyy-mm-dd` with anything (a time) after it.
    if bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && matches!(bytes[4], b'-' | b'/' | b'.')
        && bytes[7] == bytes[4]
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[8..10].iter().all(u8::is_ascii_digit)
        && (bytes.len() == 10 || matches!(bytes[10], b'T' | b' ' | b't'))
    {
        let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
        return match days_from_ymd(num(0..4) as i32, num(5..7), num(8..10)) {
            Some(d) => DateCell::Day(d),
            None => DateCell::Invalid,
        };
    }
    // Drop a time part: `05/03/2024 14:30`, `2024-03-05T10:00`, `05 Mar 2024 14:30`,
    // `Mar 6, 2024 2:30 PM`: the tokens holding a `:`, and an AM/PM after them.
    let without_time;
    let date_part = if s.contains(':') {
        without_time = s
            .split(' ')
            .filter_map(|t| {
                if !t.contains(':') {
                    return (!matches!(t.to_ascii_lowercase().as_str(), "am" | "pm")).then_some(t);
                }
                // `05/03/2024T14:30` keeps its date; a bare time goes.
                t.split_once('T').map(|(d, _)| d).filter(|d| {
                    !d.is_empty() && d.chars().all(|c| c.is_ascii_digit() || "-/.".contains(c))
                })
            })
            .collect::<Vec<_>>()
            .join(" ");
        without_time.trim()
    } else {
        s
    };
    if date_part.bytes().all(|b| b.is_ascii_digit()) {
        return match date_part.len() {
            // yyyymmdd
            8 => {
                let num = |r: std::ops::Range<usize>| date_part[r].parse::<u32>().unwrap_or(0);
                match days_from_ymd(num(0..4) as i32, num(4..6), num(6..8)) {
                    Some(d) if (1900..=2100).contains(&num(0..4)) => DateCell::Day(d),
                    _ => DateCell::Invalid,
                }
            }
            // Excel serial day numbers (1954..2119): 25569 is 1970-01-01.
            5 => {
                let serial: i32 = date_part.parse().unwrap_or(0);
                if (20_000..=80_000).contains(&serial) {
                    DateCell::Day(serial - 25_569)
                } else {
                    DateCell::Invalid
                }
            }
            _ => DateCell::Invalid,
        };
    }
    // Excel serial with a time fraction: `45123.5`.
    if let Some((int, frac)) = date_part.split_once('.') {
        if int.len() == 5
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
            && !frac.is_empty()
        {
            let serial: i32 = int.parse().unwrap_or(0);
            if (20_000..=80_000).contains(&serial) {
                return DateCell::Day(serial - 25_569);
            }
        }
    }
    let tokens: Vec<&str> = date_part
        .split(['/', '-', '.', ' ', ','])
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.len() != 3 {
        return DateCell::Invalid;
    }
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if tokens.iter().all(|t| all_digits(t)) {
        let (t0, t1, t2) = (tokens[0], tokens[1], tokens[2]);
        if t0.len() == 4 {
            // yyyy/mm/dd with one-digit parts
            let (m, d) = (t1.parse().unwrap_or(0), t2.parse().unwrap_or(0));
            return match days_from_ymd(t0.parse().unwrap_or(0), m, d) {
                Some(d) => DateCell::Day(d),
                None => DateCell::Invalid,
            };
        }
        if t0.len() > 2 || t1.len() > 2 {
            return DateCell::Invalid;
        }
        let (Ok(a), Ok(b), Some(year)) = (t0.parse::<u8>(), t1.parse::<u8>(), expand_year(t2))
        else {
            return DateCell::Invalid;
        };
        if a == 0 || b == 0 || a > 31 || b > 31 || (a > 12 && b > 12) {
            return DateCell::Invalid;
        }
        return DateCell::Numeric { a, b, year };
    }
    // One token a month name: `5 Mar 2024`, `Mar 5, 2024`, `05-MAR-24`, `5 marzo 2024`.
    let month_idx = tokens.iter().position(|t| !all_digits(t));
    let Some(mi) = month_idx else {
        return DateCell::Invalid;
    };
    let Some(month) = month_from_name(tokens[mi]) else {
        return DateCell::Invalid;
    };
    let others: Vec<&str> = tokens
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != mi)
        .map(|(_, t)| *t)
        .collect();
    if !others.iter().all(|t| all_digits(t)) {
        return DateCell::Invalid;
    }
    // The year is the 4-digit token, else the last one.
    let (day_tok, year_tok) = if others[0].len() == 4 {
        (others[1], others[0])
    } else {
        (others[0], others[1])
    };
    match (day_tok.parse::<u32>(), expand_year(year_tok)) {
        (Ok(day), Some(year)) => match days_from_ymd(year, month, day) {
            Some(d) => DateCell::Day(d),
            None => DateCell::Invalid,
        },
        _ => DateCell::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// The quick path reads what the general parser reads, whenever it reads at all.
        #[test]
        fn the_plain_path_agrees_with_the_general_one(cell in "[-+]?[0-9,.a]{0,18}") {
            if let Some(quick) = parse_plain_number(cell.as_bytes()) {
                prop_assert_eq!(quick, parse_any_number(&cell));
            }
        }

        /// `trim` is `str::trim`.
        #[test]
        fn trim_is_str_trim(cell in "[ a\t\u{a0}\u{2003}\u{1}é,]{0,6}") {
            prop_assert_eq!(trim(&cell), cell.trim());
        }
    }

    #[test]
    fn thousands_commas_before_a_decimal_point_take_the_plain_path() {
        for cell in ["1,234.50", "-12,345,678.9", "1,234.567", "3,652.50"] {
            assert!(parse_plain_number(cell.as_bytes()).is_some(), "{cell}");
            assert_eq!(parse_number(cell), parse_any_number(cell), "{cell}");
        }
        assert_eq!(
            parse_number("1,234.50"),
            NumberCell::Value {
                scaled: 12_345_000,
                style: Some(DecimalSeparator::Dot)
            }
        );
    }

    fn v(cell: &str) -> Option<f64> {
        match parse_number(cell) {
            NumberCell::Value { scaled, .. } => Some(scaled as f64 / SCALE as f64),
            _ => None,
        }
    }

    #[test]
    fn numbers_in_every_style() {
        assert_eq!(v("1234.5"), Some(1234.5));
        assert_eq!(v("1,234.50"), Some(1234.5));
        assert_eq!(v("1.234,50"), Some(1234.5));
        assert_eq!(v("1 234,50"), Some(1234.5));
        assert_eq!(v("1\u{a0}234,50"), Some(1234.5));
        assert_eq!(v("1'234.50"), Some(1234.5));
        assert_eq!(v("€ 1.234,50"), Some(1234.5));
        assert_eq!(v("1.234,50 €"), Some(1234.5));
        assert_eq!(v("$1,234.50"), Some(1234.5));
        assert_eq!(v("CHF 10"), Some(10.0));
        assert_eq!(v("(12.50)"), Some(-12.5));
        assert_eq!(v("-12.50"), Some(-12.5));
        assert_eq!(v("12.50-"), Some(-12.5));
        assert_eq!(v("12,5"), Some(12.5));
        assert_eq!(v("0,125"), Some(0.125));
        assert_eq!(v("1.234.567"), Some(1_234_567.0));
        assert_eq!(v("1,234,567.891"), Some(1_234_567.891));
        assert_eq!(v("15%"), Some(15.0));
        assert_eq!(v("0.00005"), Some(0.0001));
        assert_eq!(parse_number(""), NumberCell::Empty);
        assert_eq!(parse_number("abc"), NumberCell::Invalid);
        assert_eq!(parse_number("12x4"), NumberCell::Invalid);
        assert_eq!(parse_number("1.2.3,4.5"), NumberCell::Invalid);
    }

    #[test]
    fn three_digits_after_one_separator_is_ambiguous() {
        assert_eq!(
            parse_number("1.234"),
            NumberCell::Ambiguous {
                if_dot_decimal: 12_340,
                if_comma_decimal: 12_340_000
            }
        );
        assert_eq!(
            parse_number("1,234"),
            NumberCell::Ambiguous {
                if_dot_decimal: 12_340_000,
                if_comma_decimal: 12_340
            }
        );
    }

    #[test]
    fn dates_in_every_style() {
        let d = |y, m, dd| DateCell::Day(days_from_ymd(y, m, dd).unwrap());
        assert_eq!(parse_date("2024-03-05"), d(2024, 3, 5));
        assert_eq!(parse_date("2024-03-05T23:30:00-05:00"), d(2024, 3, 5));
        assert_eq!(parse_date("2024-03-05 10:00"), d(2024, 3, 5));
        assert_eq!(parse_date("20240305"), d(2024, 3, 5));
        assert_eq!(parse_date("45356"), d(2024, 3, 5));
        assert_eq!(parse_date("45356.75"), d(2024, 3, 5));
        assert_eq!(parse_date("5 Mar 2024"), d(2024, 3, 5));
        assert_eq!(parse_date("Mar 5, 2024"), d(2024, 3, 5));
        assert_eq!(parse_date("05-MAR-24"), d(2024, 3, 5));
        assert_eq!(parse_date("5 marzo 2024"), d(2024, 3, 5));
        assert_eq!(parse_date("5. März 2024"), d(2024, 3, 5));
        assert_eq!(
            parse_date("05/03/2024"),
            DateCell::Numeric {
                a: 5,
                b: 3,
                year: 2024
            }
        );
        assert_eq!(
            parse_date("5.3.24 14:00"),
            DateCell::Numeric {
                a: 5,
                b: 3,
                year: 2024
            }
        );
        assert_eq!(parse_date("2024-02-30"), DateCell::Invalid);
        assert_eq!(parse_date("13/13/2024"), DateCell::Invalid);
        assert_eq!(parse_date("yesterday"), DateCell::Invalid);
        assert_eq!(parse_date(" "), DateCell::Empty);
        assert_eq!(days_from_ymd(1970, 1, 1), Some(0));
        assert_eq!(iso_date(days_from_ymd(2024, 2, 29).unwrap()), "2024-02-29");
        assert_eq!(
            resolve_numeric(5, 3, 2024, DateOrder::Mdy),
            days_from_ymd(2024, 5, 3)
        );
    }
}
