//! Every kind of file other than orders (customers, traffic, quotes, pipeline, spend,
//! support, surveys, inventory, returns...): typed columns by canonical field name.

use super::columns::{CellResult, DateColumn, NumberColumn};
use super::schema::{ColumnMapping, FieldType, FileKind};
use super::values::{DateOrder, DecimalSeparator};
use super::{Decision, RejectedRow};
use crate::table::Interner;

/// One typed column. Empty optional cells are `NO_DATE` / `NO_NUMBER` / text id 0 (`""`).
#[derive(Debug, Clone)]
pub enum Column {
    /// The names are shared: a breakdown slice's rows (`retain_rows`) keep them all.
    Text {
        names: std::sync::Arc<Interner>,
        ids: Vec<u32>,
    },
    Date(Vec<i32>),
    Number(Vec<i64>),
}

/// A table of any non-order kind.
#[derive(Debug, Clone)]
pub struct GenericTable {
    pub kind: FileKind,
    pub columns: Vec<(String, Column)>,
    pub line: Vec<u32>,
    /// Each date column's days in order, made on first use (`sorted_dates`).
    sorted: std::sync::OnceLock<Vec<(String, Vec<i32>)>>,
}

impl GenericTable {
    pub fn len(&self) -> usize {
        self.line.len()
    }
    pub fn is_empty(&self) -> bool {
        self.line.is_empty()
    }
    fn column(&self, field: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, c)| c)
    }
    pub fn has(&self, field: &str) -> bool {
        self.column(field).is_some()
    }
    /// Text column: the names and one id per row (0 = empty).
    pub fn text(&self, field: &str) -> Option<(&Interner, &[u32])> {
        match self.column(field)? {
            Column::Text { names, ids } => Some((names, ids)),
            _ => None,
        }
    }
    /// The days of date column `field` in ascending order (empty days first), made once per
    /// table: how many rows fall on or before a day is then a binary search, for every
    /// report and view of the same files.
    pub fn sorted_dates(&self, field: &str) -> Option<&[i32]> {
        let sorted = self.sorted.get_or_init(|| {
            self.columns
                .iter()
                .filter_map(|(name, c)| match c {
                    Column::Date(days) => {
                        let mut days = days.clone();
                        days.sort_unstable();
                        Some((name.clone(), days))
                    }
                    _ => None,
                })
                .collect()
        });
        sorted
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, days)| days.as_slice())
    }
    pub fn dates(&self, field: &str) -> Option<&[i32]> {
        match self.column(field)? {
            Column::Date(d) => Some(d),
            _ => None,
        }
    }
    pub fn numbers(&self, field: &str) -> Option<&[i64]> {
        match self.column(field)? {
            Column::Number(v) => Some(v),
            _ => None,
        }
    }
}

enum Builder {
    Text(Interner, Vec<u32>),
    Date(DateColumn),
    Number(NumberColumn),
}

struct Field {
    name: &'static str,
    index: usize,
    required: bool,
    builder: Builder,
    /// Optional cells that could not be read and were left empty.
    unreadable: u64,
}

/// Words a column may hold and still be looked up by comparing them all (see `text_id`).
const FEW_WORDS: usize = 16;

/// The id of `cell` in its column's `names`, interned if new. Status, type, category and
/// reason columns hold a few words, and empty cells are id 0: those are found by comparing
/// words, not by hashing every cell (a 500k-row carts file spent a third of its import
/// hashing its status words and empty order numbers).
fn text_id(names: &mut Interner, cell: &str) -> u32 {
    if cell.is_empty() {
        return 0;
    }
    if names.len() <= FEW_WORDS {
        if let Some(id) = (1..names.len() as u32)
            .find(|id| crate::intern::same_bytes(names.name(*id).as_bytes(), cell.as_bytes()))
        {
            return id;
        }
    }
    names.intern(cell)
}

/// Builds a [`GenericTable`] row by row.
pub struct GenericBuilder {
    kind: FileKind,
    fields: Vec<Field>,
    line: Vec<u32>,
    pub rejected: Vec<RejectedRow>,
    pub rows_read: u64,
    pub duplicates: u64,
    /// For kinds with one row per thing (customers, carts...): the key field's position.
    key: Option<usize>,
    first_line_of_key: Vec<u32>,
    delimiter: u8,
    /// The row's required numbers as read by its checks, by field (`push`).
    numbers: Vec<Option<super::values::NumberCell>>,
}

impl GenericBuilder {
    pub fn new(kind: FileKind, mapping: &[ColumnMapping], delimiter: u8) -> Self {
        let fields: Vec<Field> = kind
            .fields()
            .iter()
            .zip(mapping)
            .filter_map(|(spec, m)| {
                m.column_index.map(|index| Field {
                    name: spec.name,
                    index,
                    required: spec.required,
                    builder: match spec.ty {
                        FieldType::Text => {
                            let mut names = Interner::default();
                            names.intern("");
                            Builder::Text(names, Vec::new())
                        }
                        FieldType::Date => Builder::Date(DateColumn::default()),
                        FieldType::Number => Builder::Number(NumberColumn::default()),
                    },
                    unreadable: 0,
                })
            })
            .collect();
        // One row per customer, user, cart, quote or opportunity: repeats are duplicates.
        let key_field = match kind {
            FileKind::Customers => Some("customer_id"),
            FileKind::Users => Some("user_id"),
            FileKind::Carts => Some("cart_id"),
            FileKind::Quotes => Some("quote_id"),
            FileKind::Opportunities => Some("opportunity_id"),
            _ => None,
        };
        let key = key_field.and_then(|k| fields.iter().position(|f| f.name == k));
        GenericBuilder {
            kind,
            fields,
            line: Vec::new(),
            rejected: Vec::new(),
            rows_read: 0,
            duplicates: 0,
            key,
            first_line_of_key: Vec::new(),
            delimiter,
            numbers: Vec::new(),
        }
    }

    fn reject(&mut self, line: u64, reason: String, record: &super::Fields<'_>) {
        self.rejected.push(RejectedRow {
            line,
            reason,
            raw: super::join_fields(record, self.delimiter),
        });
    }

    /// Take one data record from file line `line`.
    pub fn push(&mut self, record: &super::Fields<'_>, line: u64) {
        self.rows_read += 1;
        if record.iter().all(|f| f.trim().is_empty()) {
            return self.reject(line, "empty row".into(), record);
        }
        // Check required cells and the key before touching any column. Only required
        // cells are read here; a required number's reading is kept for its push (a date's
        // is kept by its column).
        self.numbers.clear();
        for f in &mut self.fields {
            let cell = record.get(f.index).unwrap_or("");
            if !f.required {
                self.numbers.push(None);
                continue;
            }
            if super::columns::is_blank(cell) {
                let reason = format!("{} is empty", f.name);
                return self.reject(line, reason, record);
            }
            let (invalid, number) = match &mut f.builder {
                Builder::Date(col) => (
                    matches!(col.parse(cell), super::values::DateCell::Invalid),
                    None,
                ),
                Builder::Number(_) => {
                    let n = super::values::parse_number(cell);
                    (matches!(n, super::values::NumberCell::Invalid), Some(n))
                }
                Builder::Text(..) => (false, None),
            };
            self.numbers.push(number);
            if invalid {
                let what = if matches!(f.builder, Builder::Date(_)) {
                    "a date"
                } else {
                    "a number"
                };
                let reason = format!("{} {:?} is not {what}", f.name, cell.trim());
                return self.reject(line, reason, record);
            }
        }
        // The key's id, interned here at once (one look-up, not two): nothing rejects the
        // row after this check.
        let mut key_id = None;
        if let Some(k) = self.key {
            let f = &mut self.fields[k];
            let cell = record.get(f.index).unwrap_or("").trim();
            if let Builder::Text(names, _) = &mut f.builder {
                let known = names.len();
                let id = names.intern(cell);
                if names.len() == known {
                    self.duplicates += 1;
                    let first = self.first_line_of_key[id as usize - 1];
                    let reason = format!("duplicate {} {cell:?} (first on line {first})", f.name);
                    return self.reject(line, reason, record);
                }
                key_id = Some((k, id));
            }
            self.first_line_of_key
                .push(line.min(u32::MAX as u64) as u32);
        }
        let row = self.line.len() as u32;
        let delimiter = self.delimiter;
        for (k, (f, number)) in self.fields.iter_mut().zip(&self.numbers).enumerate() {
            let cell = record.get(f.index).unwrap_or("");
            let result = match &mut f.builder {
                Builder::Text(names, ids) => {
                    ids.push(match key_id {
                        Some((key, id)) if key == k => id,
                        _ => text_id(names, cell.trim()),
                    });
                    CellResult::Ok
                }
                Builder::Date(col) => col.push(cell, row, || super::join_fields(record, delimiter)),
                Builder::Number(col) => match number {
                    Some(n) => col.push_parsed(cell, *n, row),
                    None => col.push(cell, row),
                },
            };
            if matches!(result, CellResult::Invalid) {
                f.unreadable += 1;
            }
        }
        self.line.push(line.min(u32::MAX as u64) as u32);
    }

    /// Decide each column's format and return the table.
    pub fn finish(
        mut self,
        date_order: Option<DateOrder>,
        decimal: Option<DecimalSeparator>,
    ) -> GenericFinished {
        let mut warnings = Vec::new();
        let mut date_decision = None;
        let mut decimal_decision = None;
        let mut drop: Vec<u32> = Vec::new();
        for f in &mut self.fields {
            match &mut f.builder {
                Builder::Date(col) => {
                    let (dec, bad) = col.finish(f.name, date_order);
                    for (row, reason, raw) in bad {
                        self.rejected.push(RejectedRow {
                            line: self.line[row as usize] as u64,
                            reason,
                            raw,
                        });
                        drop.push(row);
                    }
                    if date_decision.is_none() {
                        date_decision = dec;
                    }
                }
                Builder::Number(col) => {
                    let dec = col.finish(decimal, self.delimiter);
                    if decimal_decision.is_none() {
                        decimal_decision = dec;
                    }
                }
                Builder::Text(..) => {}
            }
            if f.unreadable > 0 {
                warnings.push(format!(
                    "{} cells of {} could not be read and were left empty",
                    f.unreadable, f.name
                ));
            }
        }
        drop.sort_unstable();
        drop.dedup();
        let mut keep = vec![true; self.line.len()];
        for r in &drop {
            keep[*r as usize] = false;
        }
        fn retain<T: Copy>(v: &mut Vec<T>, keep: &[bool]) {
            let mut i = 0;
            v.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
        let columns = self
            .fields
            .into_iter()
            .map(|f| {
                let mut col = match f.builder {
                    Builder::Text(names, ids) => Column::Text {
                        names: std::sync::Arc::new(names),
                        ids,
                    },
                    Builder::Date(c) => Column::Date(c.days),
                    Builder::Number(c) => Column::Number(c.values),
                };
                if !drop.is_empty() {
                    match &mut col {
                        Column::Text { ids, .. } => retain(ids, &keep),
                        Column::Date(v) => retain(v, &keep),
                        Column::Number(v) => retain(v, &keep),
                    }
                }
                (f.name.to_string(), col)
            })
            .collect();
        if !drop.is_empty() {
            retain(&mut self.line, &keep);
        }
        self.rejected.sort_by_key(|r| r.line);
        GenericFinished {
            table: GenericTable {
                kind: self.kind,
                columns,
                line: self.line,
                sorted: Default::default(),
            },
            rejected: self.rejected,
            rows_read: self.rows_read,
            duplicates: self.duplicates,
            date_order: date_decision,
            decimal: decimal_decision,
            warnings,
        }
    }
}

pub struct GenericFinished {
    pub table: GenericTable,
    pub rejected: Vec<RejectedRow>,
    pub rows_read: u64,
    pub duplicates: u64,
    pub date_order: Option<Decision<DateOrder>>,
    pub decimal: Option<Decision<DecimalSeparator>>,
    pub warnings: Vec<String>,
}

impl GenericTable {
    /// A copy with only the rows where `keep` is true.
    pub fn retain_rows(&self, keep: &[bool]) -> GenericTable {
        fn pick<T: Copy>(v: &[T], keep: &[bool]) -> Vec<T> {
            v.iter()
                .zip(keep)
                .filter(|(_, k)| **k)
                .map(|(x, _)| *x)
                .collect()
        }
        GenericTable {
            kind: self.kind,
            columns: self
                .columns
                .iter()
                .map(|(name, c)| {
                    let c = match c {
                        Column::Text { names, ids } => Column::Text {
                            names: names.clone(),
                            ids: pick(ids, keep),
                        },
                        Column::Date(d) => Column::Date(pick(d, keep)),
                        Column::Number(v) => Column::Number(pick(v, keep)),
                    };
                    (name.clone(), c)
                })
                .collect(),
            line: pick(&self.line, keep),
            sorted: Default::default(),
        }
    }
}
