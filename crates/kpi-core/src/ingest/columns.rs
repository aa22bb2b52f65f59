//! Typed columns that decide their format from all their cells: a date column settles
//! day/month order, a number column its decimal separator, once every cell has been seen.

use super::values::{self, DateCell, DateOrder, DecimalSeparator, NumberCell};
use super::Decision;
use std::collections::HashMap;

/// Marks an empty optional date.
pub const NO_DATE: i32 = i32::MIN;
/// Marks an empty optional number.
pub const NO_NUMBER: i64 = i64::MIN;

/// Cells people write for "nothing here".
pub fn is_blank(cell: &str) -> bool {
    let t = super::values::trim(cell);
    // Compared in place: a lowercase copy of every cell was an allocation per cell.
    t.is_empty()
        || (t.len() <= 4
            && ["-", "--", "n/a", "na", "null", "none", "nan", "#n/a"]
                .iter()
                .any(|w| t.eq_ignore_ascii_case(w)))
}

/// Decide the date order from the votes of cells valid in one order only.
pub fn decide_date_order(
    dmy_votes: u64,
    mdy_votes: u64,
    ambiguous_cells: u64,
    numeric_cells: usize,
    user: Option<DateOrder>,
) -> Option<Decision<DateOrder>> {
    if numeric_cells == 0 {
        return None;
    }
    if let Some(value) = user {
        return Some(Decision {
            value,
            evidence: "chosen by the user".into(),
            ambiguous: false,
            user: true,
        });
    }
    if dmy_votes > 0 || mdy_votes > 0 {
        let value = if dmy_votes >= mdy_votes {
            DateOrder::Dmy
        } else {
            DateOrder::Mdy
        };
        let mut evidence =
            format!("{dmy_votes} dates only valid as day/month, {mdy_votes} only as month/day");
        if dmy_votes > 0 && mdy_votes > 0 {
            evidence.push_str("; the minority were rejected");
        }
        return Some(Decision {
            value,
            evidence,
            ambiguous: false,
            user: false,
        });
    }
    Some(Decision {
        value: DateOrder::Dmy,
        evidence: format!(
            "all {numeric_cells} numeric dates fit both day/month and month/day; assumed day/month: please confirm"
        ),
        ambiguous: ambiguous_cells > 0,
        user: false,
    })
}

/// Counts of cells that prove a decimal separator.
#[derive(Debug, Default, Clone, Copy)]
pub struct NumberEvidence {
    pub dot: u64,
    pub comma: u64,
    pub ambiguous: u64,
}

impl NumberEvidence {
    /// Add the evidence of another part of the same column.
    pub fn add(&mut self, other: &NumberEvidence) {
        self.dot += other.dot;
        self.comma += other.comma;
        self.ambiguous += other.ambiguous;
    }

    pub fn note(&mut self, cell: &NumberCell) {
        match cell {
            NumberCell::Value {
                style: Some(DecimalSeparator::Dot),
                ..
            } => self.dot += 1,
            NumberCell::Value {
                style: Some(DecimalSeparator::Comma),
                ..
            } => self.comma += 1,
            NumberCell::Ambiguous { .. } => self.ambiguous += 1,
            _ => {}
        }
    }
}

/// Decide the decimal separator of a column from its evidence.
pub fn decide_decimal(
    ev: NumberEvidence,
    user: Option<DecimalSeparator>,
    delimiter: u8,
) -> Option<Decision<DecimalSeparator>> {
    if ev.dot + ev.comma + ev.ambiguous == 0 {
        return None;
    }
    if let Some(value) = user {
        return Some(Decision {
            value,
            evidence: "chosen by the user".into(),
            ambiguous: false,
            user: true,
        });
    }
    if ev.dot > 0 || ev.comma > 0 {
        return Some(Decision {
            value: if ev.comma > ev.dot {
                DecimalSeparator::Comma
            } else {
                DecimalSeparator::Dot
            },
            evidence: format!(
                "{} values written with a decimal point, {} with a decimal comma",
                ev.dot, ev.comma
            ),
            ambiguous: false,
            user: false,
        });
    }
    // Only `1.234`-like values: the delimiter hints at the locale.
    let value = if delimiter == b';' {
        DecimalSeparator::Comma
    } else {
        DecimalSeparator::Dot
    };
    Some(Decision {
        value,
        evidence: format!(
            "all {} values like 1.234 or 1,234 fit both; assumed from the delimiter: please confirm",
            ev.ambiguous
        ),
        ambiguous: true,
        user: false,
    })
}

/// A row a column could not keep: (row, reason, raw text).
pub type BadRow = (u32, String, String);

/// A date column being filled.
#[derive(Debug, Default)]
pub struct DateColumn {
    pub days: Vec<i32>,
    dmy: u64,
    mdy: u64,
    ambiguous: u64,
    pending: Vec<(u32, u8, u8, i32)>,
    /// Rows whose date is valid in one order only: rejected if the column decides the other.
    one_order: HashMap<u32, String>,
    last: (String, Option<DateCell>),
}

/// What a cell did to its column.
pub enum CellResult {
    Ok,
    Empty,
    Invalid,
}

impl DateColumn {
    /// The cell read as a date, through the last cell's reading (rows in date order repeat
    /// a date many times; a row's checks and its push read the same cell).
    pub fn parse(&mut self, cell: &str) -> DateCell {
        match &self.last {
            (text, Some(d)) if text == cell => *d,
            _ => {
                let d = values::parse_date(cell);
                self.last.0.clear();
                self.last.0.push_str(cell);
                self.last.1 = Some(d);
                d
            }
        }
    }

    /// Add the cell for `row`; `raw` gives the row's text if it must be kept.
    pub fn push(&mut self, cell: &str, row: u32, raw: impl FnOnce() -> String) -> CellResult {
        match self.parse(cell) {
            DateCell::Empty => {
                self.days.push(NO_DATE);
                CellResult::Empty
            }
            DateCell::Invalid if is_blank(cell) => {
                self.days.push(NO_DATE);
                CellResult::Empty
            }
            DateCell::Invalid => {
                self.days.push(NO_DATE);
                CellResult::Invalid
            }
            DateCell::Day(d) => {
                self.days.push(d);
                CellResult::Ok
            }
            DateCell::Numeric { a, b, year }
                if values::resolve_numeric(a, b, year, DateOrder::Dmy).is_none()
                    && values::resolve_numeric(a, b, year, DateOrder::Mdy).is_none() =>
            {
                self.days.push(NO_DATE);
                CellResult::Invalid
            }
            DateCell::Numeric { a, b, year } => {
                let dmy = values::resolve_numeric(a, b, year, DateOrder::Dmy).is_some();
                let mdy = values::resolve_numeric(a, b, year, DateOrder::Mdy).is_some();
                match (dmy, mdy) {
                    (true, false) => self.dmy += 1,
                    (false, true) => self.mdy += 1,
                    _ => self.ambiguous += u64::from(a != b),
                }
                if dmy != mdy {
                    self.one_order.insert(row, raw());
                }
                self.pending.push((row, a, b, year));
                self.days.push(NO_DATE);
                CellResult::Ok
            }
        }
    }

    /// Settle the order; returns the decision and the rows whose date does not exist in it
    /// (row, reason, raw text).
    pub fn finish(
        &mut self,
        name: &str,
        user: Option<DateOrder>,
    ) -> (Option<Decision<DateOrder>>, Vec<BadRow>) {
        let decision =
            decide_date_order(self.dmy, self.mdy, self.ambiguous, self.pending.len(), user);
        let mut bad = Vec::new();
        if let Some(dec) = &decision {
            for &(row, a, b, year) in &self.pending {
                match values::resolve_numeric(a, b, year, dec.value) {
                    Some(d) => self.days[row as usize] = d,
                    None => {
                        let order = match dec.value {
                            DateOrder::Dmy => "day/month/year",
                            DateOrder::Mdy => "month/day/year",
                        };
                        bad.push((
                            row,
                            format!("{name} {a:02}/{b:02}/{year} does not exist as {order}"),
                            self.one_order.remove(&row).unwrap_or_default(),
                        ));
                    }
                }
            }
        }
        (decision, bad)
    }
}

/// A number column being filled (values in 1/10,000).
#[derive(Debug, Default)]
pub struct NumberColumn {
    pub values: Vec<i64>,
    pub evidence: NumberEvidence,
    /// (row, value if decimal point, value if decimal comma)
    pending: Vec<(u32, i64, i64)>,
}

impl NumberColumn {
    pub fn push(&mut self, cell: &str, row: u32) -> CellResult {
        self.push_parsed(cell, values::parse_number(cell), row)
    }

    /// `push`, the cell already read as `parsed` (`values::parse_number(cell)`).
    pub fn push_parsed(&mut self, cell: &str, parsed: NumberCell, row: u32) -> CellResult {
        self.evidence.note(&parsed);
        match parsed {
            NumberCell::Empty => {
                self.values.push(NO_NUMBER);
                CellResult::Empty
            }
            NumberCell::Invalid if is_blank(cell) => {
                self.values.push(NO_NUMBER);
                CellResult::Empty
            }
            NumberCell::Invalid => {
                self.values.push(NO_NUMBER);
                CellResult::Invalid
            }
            NumberCell::Value { scaled, .. } => {
                self.values.push(scaled);
                CellResult::Ok
            }
            NumberCell::Ambiguous {
                if_dot_decimal,
                if_comma_decimal,
            } => {
                self.values.push(if_dot_decimal);
                self.pending.push((row, if_dot_decimal, if_comma_decimal));
                CellResult::Ok
            }
        }
    }

    pub fn finish(
        &mut self,
        user: Option<DecimalSeparator>,
        delimiter: u8,
    ) -> Option<Decision<DecimalSeparator>> {
        let decision = decide_decimal(self.evidence, user, delimiter);
        if let Some(dec) = &decision {
            if dec.value == DecimalSeparator::Comma {
                for &(row, _, comma) in &self.pending {
                    self.values[row as usize] = comma;
                }
            }
        }
        decision
    }
}
