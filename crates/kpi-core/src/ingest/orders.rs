//! Builds an [`OrdersTable`] row by row, keeping undecidable cells until the whole column
//! has been seen (date order, decimal separator), and every rejected row with its reason.

use super::columns::{decide_date_order, decide_decimal, NumberEvidence};
use super::normalize;
use super::values::{self, DateCell, DateOrder, DecimalSeparator, NumberCell};
use super::{Decision, RejectedRow};
use crate::intern::same_bytes;
use crate::table::{Channel, OrderStatus, OrdersTable};
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Column indexes of the mapped fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct OrderColumns {
    pub order_id: usize,
    pub customer_id: usize,
    pub order_date: usize,
    pub amount: Option<usize>,
    pub channel: Option<usize>,
    pub salesperson: Option<usize>,
    pub status: Option<usize>,
    pub cost: Option<usize>,
    pub margin: Option<usize>,
    pub region: Option<usize>,
    pub segment: Option<usize>,
    pub user_id: Option<usize>,
    pub sku: Option<usize>,
    pub quantity: Option<usize>,
    pub unit_price: Option<usize>,
}

impl OrderColumns {
    /// Order lines (several rows per order) when product columns are present.
    pub fn is_line_level(&self) -> bool {
        self.sku.is_some() || (self.quantity.is_some() && self.unit_price.is_some())
    }
}

/// quantity x unit price, both in 1/SCALE, saturating instead of overflowing.
fn line_total(quantity: i64, price: i64) -> i64 {
    (quantity as i128 * price as i128 / values::SCALE as i128)
        .clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// Pending amount cells: (row, value if dot decimal, value if comma decimal).
type PendingNumber = (u32, i64, i64);

pub struct OrdersBuilder {
    cols: OrderColumns,
    pub table: OrdersTable,
    pub rejected: Vec<RejectedRow>,
    pub rows_read: u64,
    pub duplicates: u64,
    pub lines_merged: u64,
    unknown_status: HashMap<String, u64>,
    other_channels: HashMap<String, u64>,
    date_dmy_votes: u64,
    date_mdy_votes: u64,
    date_ambiguous: u64,
    /// Rows whose date is `a/b/year`: (row, a, b, year).
    pending_dates: Vec<(u32, u8, u8, i32)>,
    /// Numbers of the last rows' customers (`Interner::number_of`), their ids not looked up
    /// yet: those rows' `customer` slots are the column's last ones, 0 until
    /// `resolve_customers` (batched: see `Interner::intern_numbers`).
    pending_customers: Vec<u32>,
    /// Raw text of rows whose date is valid in one order only, to reject them if the
    /// column decides the other order.
    one_order_rows: HashMap<u32, String>,
    amount_evidence: NumberEvidence,
    pending_amounts: Vec<PendingNumber>,
    margin_evidence: NumberEvidence,
    pending_margins: Vec<PendingNumber>,
    delimiter: u8,
    status_words: WordCache<Option<OrderStatus>>,
    channel_words: WordCache<Channel>,
    /// Quantity column evidence (order lines).
    quantity_evidence: NumberEvidence,
    /// Order lines with an ambiguous quantity or unit price: (row, (quantity if decimal
    /// point, if decimal comma, price if decimal point, if decimal comma)).
    pending_lines: Vec<(u32, (i64, i64, i64, i64))>,
    /// Order number -> row, for order-line files only.
    line_orders: crate::table::Interner,
    key_hasher: foldhash::fast::FixedState,
    /// Hash of each row's order number (one row per order files), once the numbers stop
    /// rising (`rising`): until then no number can repeat, and none is kept (40 MB at 5M
    /// orders, for good in a WebAssembly memory). `stop_rising` hashes the earlier ones.
    key_hashes: Vec<u64>,
    /// A bitset of the order-number hashes seen so far, filled only once the order numbers
    /// stop rising (`rising`): its lookups miss the cache on every row of a big file.
    seen_bits: Vec<u64>,
    /// Every order number so far greater than the one before (exports sorted by order
    /// number, the usual case): none can repeat, nothing to look up.
    rising: bool,
    /// The bitset's size in words, when it is made.
    bits_words: usize,
    /// Rows whose order number's hash bit was already set: possible repeats, with their text
    /// (`None`: a row of a later part of the file, whose text is read again if it repeats).
    maybe_repeats: HashMap<u32, Option<String>>,
    /// Lines of repeats whose text must be read again from the file (see `absorb`).
    raw_missing: Vec<u64>,
    /// The last date cell and its reading: exports list many orders per day, in order.
    last_date: (String, DateCell),
}

/// A cell as text ("" when the row is short).
fn field<'a>(record: &super::Fields<'a>, idx: usize) -> &'a str {
    record.get(idx).unwrap_or("")
}

/// Remembers how a few distinct words map (statuses, channels): files repeat a handful of
/// words a million times, so a short linear scan beats normalising each cell.
struct WordCache<T: Copy> {
    entries: Vec<(Box<str>, T)>,
}

impl<T: Copy> WordCache<T> {
    fn new() -> Self {
        WordCache {
            entries: Vec::new(),
        }
    }
    fn get(&mut self, word: &str, compute: impl FnOnce(&str) -> T) -> T {
        if let Some((_, v)) = self
            .entries
            .iter()
            .find(|(w, _)| same_bytes(w.as_bytes(), word.as_bytes()))
        {
            return *v;
        }
        let v = compute(word);
        if self.entries.len() < 64 {
            self.entries.push((word.into(), v));
        }
        v
    }
}

impl OrdersBuilder {
    /// `expected_rows` sizes the columns up front (an estimate from the file size).
    pub fn new(cols: OrderColumns, delimiter: u8, expected_rows: usize) -> Self {
        let mut table = OrdersTable::default();
        table.order_keys.reserve(expected_rows, 12);
        table.customer.reserve(expected_rows);
        table.day.reserve(expected_rows);
        table.amount.reserve(expected_rows);
        table.channel.reserve(expected_rows);
        table.salesperson.reserve(expected_rows);
        table.status.reserve(expected_rows);
        table.region.reserve(expected_rows);
        table.segment.reserve(expected_rows);
        table.user.reserve(expected_rows);
        table.line.reserve(expected_rows);
        table.salespeople.intern("(unassigned)");
        table.regions.intern("(none)");
        table.segments.intern("(none)");
        table.users.intern("(none)");
        if cols.margin.is_some() || cols.cost.is_some() {
            table.margin = Some(Vec::with_capacity(expected_rows));
        }
        OrdersBuilder {
            cols,
            table,
            rejected: Vec::new(),
            rows_read: 0,
            duplicates: 0,
            lines_merged: 0,
            unknown_status: HashMap::new(),
            other_channels: HashMap::new(),
            date_dmy_votes: 0,
            date_mdy_votes: 0,
            date_ambiguous: 0,
            pending_dates: Vec::new(),
            pending_customers: Vec::with_capacity(CUSTOMER_BATCH),
            one_order_rows: HashMap::new(),
            line_orders: crate::table::Interner::default(),
            quantity_evidence: NumberEvidence::default(),
            pending_lines: Vec::new(),
            key_hasher: foldhash::fast::FixedState::with_seed(0x6b70_692d),
            key_hashes: Vec::new(),
            seen_bits: Vec::new(),
            rising: true,
            // ~16 bits per expected order: about 6% of new orders look like maybe-repeats.
            bits_words: (expected_rows * 16 / 64)
                .next_power_of_two()
                .clamp(1024, 1 << 21),
            maybe_repeats: HashMap::new(),
            raw_missing: Vec::new(),
            amount_evidence: NumberEvidence::default(),
            pending_amounts: Vec::new(),
            margin_evidence: NumberEvidence::default(),
            pending_margins: Vec::new(),
            delimiter,
            status_words: WordCache::new(),
            channel_words: WordCache::new(),
            last_date: (String::new(), DateCell::Empty),
        }
    }

    fn reject(&mut self, line: u64, reason: String, record: &super::Fields<'_>) {
        self.rejected.push(RejectedRow {
            line,
            reason,
            raw: super::join_fields(record, self.delimiter),
        });
    }

    /// Read a numeric cell; `Err` carries the reason to reject the row.
    fn number(
        cell: &str,
        name: &str,
        evidence: &mut NumberEvidence,
    ) -> Result<(i64, Option<(i64, i64)>), String> {
        Self::noted(cell, values::parse_number(cell), name, evidence)
    }

    /// `number` for a cell already parsed.
    fn noted(
        cell: &str,
        parsed: NumberCell,
        name: &str,
        evidence: &mut NumberEvidence,
    ) -> Result<(i64, Option<(i64, i64)>), String> {
        evidence.note(&parsed);
        match parsed {
            NumberCell::Empty => Err(format!("{name} is empty")),
            NumberCell::Invalid => Err(format!("{name} {cell:?} is not a number")),
            NumberCell::Value { scaled, .. } => Ok((scaled, None)),
            NumberCell::Ambiguous {
                if_dot_decimal,
                if_comma_decimal,
            } => Ok((if_dot_decimal, Some((if_dot_decimal, if_comma_decimal)))),
        }
    }

    /// Take one data record (already split into fields) from file line `line`.
    pub fn push(&mut self, record: &super::Fields<'_>, line: u64) {
        self.rows_read += 1;
        let c = self.cols;
        let order_cell = field(record, c.order_id);
        let order_key = values::trim(order_cell);
        if order_key.is_empty() {
            // Only a row without an order number can be all blanks: look at the rest then.
            if record.iter().all(|f| f.trim().is_empty()) {
                return self.reject(line, "empty row".into(), record);
            }
            return self.reject(line, "order_id is empty".into(), record);
        }
        let customer_cell = field(record, c.customer_id);
        let customer_key = values::trim(customer_cell);
        if customer_key.is_empty() {
            return self.reject(line, "customer_id is empty".into(), record);
        }
        let date_cell = field(record, c.order_date);
        let date = if same_bytes(self.last_date.0.as_bytes(), date_cell.as_bytes()) {
            self.last_date.1
        } else {
            let d = values::parse_date(date_cell);
            self.last_date.0.clear();
            self.last_date.0.push_str(date_cell);
            self.last_date.1 = d;
            d
        };
        match date {
            DateCell::Empty => return self.reject(line, "order_date is empty".into(), record),
            DateCell::Invalid => {
                return self.reject(
                    line,
                    format!("order_date {:?} is not a date", date_cell.trim()),
                    record,
                )
            }
            // 30/02/2024 exists in neither order: no need to wait for the column's decision.
            DateCell::Numeric { a, b, year }
                if values::resolve_numeric(a, b, year, DateOrder::Dmy).is_none()
                    && values::resolve_numeric(a, b, year, DateOrder::Mdy).is_none() =>
            {
                return self.reject(
                    line,
                    format!("order_date {:?} is not a date", date_cell.trim()),
                    record,
                )
            }
            _ => {}
        }
        // Amount: the amount column, or quantity x unit price for order lines.
        // Order lines with an ambiguous quantity or price (`1.000`): both readings are kept
        // until the columns are decided.
        let mut line_readings = None;
        let amount = if let Some(ai) = c.amount {
            Self::number(field(record, ai), "amount", &mut self.amount_evidence)
        } else if let (Some(qi), Some(pi)) = (c.quantity, c.unit_price) {
            match (
                Self::number(field(record, qi), "quantity", &mut self.quantity_evidence),
                Self::number(field(record, pi), "unit_price", &mut self.amount_evidence),
            ) {
                (Ok((q, q_alt)), Ok((p, p_alt))) => {
                    if q_alt.is_some() || p_alt.is_some() {
                        let (qd, qc) = q_alt.unwrap_or((q, q));
                        let (pd, pc) = p_alt.unwrap_or((p, p));
                        line_readings = Some((qd, qc, pd, pc));
                    }
                    Ok((line_total(q, p), None))
                }
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        } else {
            Err("no amount column".into())
        };
        let (amount, amount_alt) = match amount {
            Ok(v) => v,
            Err(reason) => return self.reject(line, reason, record),
        };
        // An empty margin or cost is allowed (read as 0), so its cell is parsed here once.
        let margin_cell = |i: usize| {
            let cell = field(record, i);
            (cell, values::parse_number(cell))
        };
        let margin = match (c.margin, c.cost) {
            (Some(mi), _) => match margin_cell(mi) {
                (_, NumberCell::Empty) => None,
                (cell, parsed) => {
                    match Self::noted(cell, parsed, "margin", &mut self.margin_evidence) {
                        Ok(v) => Some(v),
                        Err(reason) => return self.reject(line, reason, record),
                    }
                }
            },
            (None, Some(ci)) => match margin_cell(ci) {
                (_, NumberCell::Empty) => None,
                (cell, parsed) => {
                    match Self::noted(cell, parsed, "cost", &mut self.margin_evidence) {
                        // Margin = amount - cost; cost is resolved with the same evidence rules.
                        Ok((cost, alt)) => Some((
                            amount.saturating_sub(cost),
                            alt.map(|(d, cm)| {
                                (amount.saturating_sub(d), amount.saturating_sub(cm))
                            }),
                        )),
                        Err(reason) => return self.reject(line, reason, record),
                    }
                }
            },
            _ => None,
        };
        let status_cell = c.status.map(|i| field(record, i)).unwrap_or("");
        let status = match self.status_words.get(status_cell, normalize::order_status) {
            Some(s) => s,
            None => {
                *self
                    .unknown_status
                    .entry(status_cell.trim().to_string())
                    .or_default() += 1;
                OrderStatus::Completed
            }
        };
        let channel_cell = c.channel.map(|i| field(record, i)).unwrap_or("");
        let channel = self.channel_words.get(channel_cell, normalize::channel);
        if channel == Channel::Other {
            *self
                .other_channels
                .entry(channel_cell.trim().to_string())
                .or_default() += 1;
        }

        // Order lines need the order at once (to add to it): an index of order numbers.
        // One row per order only needs repeats found, which `finish` does from hashes.
        // The order number read once, for the rising check and the push.
        let key_number = self.table.order_keys.number_of(order_key);
        let existing = if self.cols.is_line_level() {
            let id = self.line_orders.intern(order_key);
            ((id as usize) < self.table.len()).then_some(id)
        } else {
            let keys = &self.table.order_keys;
            if self.rising
                && match key_number {
                    Some(n) => keys.last_number().is_some_and(|last| last >= n),
                    None => keys.cmp_last(order_key).is_some_and(|o| o.is_ge()),
                }
            {
                self.stop_rising();
            }
            if !self.rising {
                let hash = self.key_hasher.hash_one(order_key);
                let bit = (hash as usize) & (self.seen_bits.len() * 64 - 1);
                let word = &mut self.seen_bits[bit / 64];
                if *word & (1 << (bit % 64)) != 0 {
                    // Maybe a repeat (or a rare collision): keep the row's text in case.
                    let row = self.table.len() as u32;
                    self.maybe_repeats
                        .insert(row, Some(super::join_fields(record, self.delimiter)));
                }
                *word |= 1 << (bit % 64);
                self.key_hashes.push(hash);
            }
            None
        };
        if let Some(row) = existing {
            {
                // Another line of an order we have: add its amount.
                self.lines_merged += 1;
                let total = &mut self.table.amount[row as usize];
                *total = total.saturating_add(amount);
                if let Some((d, cm)) = amount_alt {
                    self.pending_amounts.push((row, d, cm));
                }
                if let Some(r) = line_readings {
                    self.pending_lines.push((row, r));
                }
                if let (Some(m), Some((mv, alt))) = (self.table.margin.as_mut(), margin) {
                    m[row as usize] = m[row as usize].saturating_add(mv);
                    if let Some((d, cm)) = alt {
                        self.pending_margins.push((row, d, cm));
                    }
                }
                return;
            }
        }
        let row = self.table.len() as u32;
        if let Some(r) = line_readings {
            self.pending_lines.push((row, r));
        }
        let t = &mut self.table;
        match key_number {
            Some(n) => t.order_keys.push_number(n),
            None => t.order_keys.push(order_key),
        }
        match t.customers.number_of(customer_key) {
            Some(number) => {
                t.customer.push(0);
                self.pending_customers.push(number);
                if self.pending_customers.len() == CUSTOMER_BATCH {
                    self.resolve_customers();
                }
            }
            None => {
                // In row order: the numbered ones before it get their ids first.
                self.resolve_customers();
                let t = &mut self.table;
                t.customer.push(t.customers.intern(customer_key));
            }
        }
        let t = &mut self.table;
        t.day.push(match date {
            DateCell::Day(d) => d,
            _ => 0,
        });
        if let DateCell::Numeric { a, b, year } = date {
            let dmy = values::resolve_numeric(a, b, year, DateOrder::Dmy).is_some();
            let mdy = values::resolve_numeric(a, b, year, DateOrder::Mdy).is_some();
            match (dmy, mdy) {
                (true, false) => self.date_dmy_votes += 1,
                (false, true) => self.date_mdy_votes += 1,
                _ => self.date_ambiguous += u64::from(a != b),
            }
            if dmy != mdy {
                self.one_order_rows
                    .insert(row, super::join_fields(record, self.delimiter));
            }
            self.pending_dates.push((row, a, b, year));
        }
        t.amount.push(amount);
        if let Some((d, cm)) = amount_alt {
            self.pending_amounts.push((row, d, cm));
        }
        if let Some(m) = t.margin.as_mut() {
            match margin {
                Some((v, alt)) => {
                    m.push(v);
                    if let Some((d, cm)) = alt {
                        self.pending_margins.push((row, d, cm));
                    }
                }
                None => m.push(0),
            }
        }
        t.channel.push(channel);
        let optional_id = |col: Option<usize>, interner: &mut crate::table::Interner| {
            let cell = col.map(|i| field(record, i)).unwrap_or("");
            let key = values::trim(cell);
            if key.is_empty() {
                0
            } else {
                interner.intern(key)
            }
        };
        let sp = optional_id(c.salesperson, &mut t.salespeople);
        t.salesperson.push(sp);
        let region = optional_id(c.region, &mut t.regions);
        t.region.push(region);
        let segment = optional_id(c.segment, &mut t.segments);
        t.segment.push(segment);
        let user = optional_id(c.user_id, &mut t.users);
        t.user.push(user);
        t.status.push(status);
        t.line.push(line.min(u32::MAX as u64) as u32);
    }

    /// Give the rows waiting for their customers' ids (`pending_customers`) their ids. Run
    /// before anything reads the customers (at the end of a part's rows, `finish`,
    /// `absorb`).
    pub fn resolve_customers(&mut self) {
        let pending = self.pending_customers.len();
        if pending == 0 {
            return;
        }
        let t = &mut self.table;
        let rows = t.customer.len();
        t.customers
            .intern_numbers(&self.pending_customers, &mut t.customer[rows - pending..]);
        self.pending_customers.clear();
    }

    /// The order numbers stopped rising: make the bitset of those seen so far.
    fn stop_rising(&mut self) {
        self.rising = false;
        self.key_hashes = self.hashes_of_keys();
        // Room for the rows still expected, as the other columns have.
        let expected = self.table.day.capacity();
        self.key_hashes
            .reserve(expected.saturating_sub(self.key_hashes.len()));
        self.seen_bits = vec![0u64; self.bits_words];
        let mask = self.seen_bits.len() * 64 - 1;
        for &hash in &self.key_hashes {
            let bit = (hash as usize) & mask;
            self.seen_bits[bit / 64] |= 1 << (bit % 64);
        }
    }

    /// The hash of every order number so far (`key_hashes` of a part still rising).
    fn hashes_of_keys(&self) -> Vec<u64> {
        let keys = &self.table.order_keys;
        let mut key = String::new();
        (0..keys.len())
            .map(|i| {
                key.clear();
                keys.write_to(i, &mut key);
                self.key_hasher.hash_one(key.as_str())
            })
            .collect()
    }

    /// One row per order: find repeated order numbers among the rows flagged by the bitset,
    /// reject every repeat after the first, naming the first line.
    fn find_repeats(&mut self, drop_rows: &mut Vec<u32>) {
        if self.maybe_repeats.is_empty() {
            return;
        }
        // Rows already rejected (a date that does not exist in the column's order) neither
        // repeat nor are repeated.
        // Fast hashing: every row's hash is looked up below (a million lookups).
        type FastSet<T> = hashbrown::HashSet<T, foldhash::fast::FixedState>;
        let dropped: FastSet<u32> = drop_rows.iter().copied().collect();
        let suspects: FastSet<u64> = self
            .maybe_repeats
            .keys()
            .filter(|row| !dropped.contains(*row))
            .map(|row| self.key_hashes[*row as usize])
            .collect();
        // Rows sharing a suspect hash, in file order.
        let mut groups: hashbrown::HashMap<u64, Vec<u32>, foldhash::fast::FixedState> =
            Default::default();
        for (row, hash) in self.key_hashes.iter().enumerate() {
            if suspects.contains(hash) && (dropped.is_empty() || !dropped.contains(&(row as u32))) {
                groups.entry(*hash).or_default().push(row as u32);
            }
        }
        let mut groups: Vec<Vec<u32>> = groups.into_values().collect();
        groups.sort_unstable();
        for rows in groups {
            for (k, &row) in rows.iter().enumerate() {
                let key = self.table.order_keys.get(row as usize);
                let first = rows[..k]
                    .iter()
                    .find(|r| self.table.order_keys.get(**r as usize) == key);
                if let Some(&first) = first {
                    self.duplicates += 1;
                    let line = self.table.line[row as usize] as u64;
                    let raw = self.maybe_repeats.remove(&row).flatten();
                    if raw.is_none() {
                        self.raw_missing.push(line);
                    }
                    self.rejected.push(RejectedRow {
                        line,
                        reason: format!(
                            "duplicate order_id {key:?} (first on line {})",
                            self.table.line[first as usize]
                        ),
                        raw: raw.unwrap_or_default(),
                    });
                    drop_rows.push(row);
                }
            }
        }
    }

    /// Decide the date order and decimal separator from all the evidence, apply them, and
    /// drop the rows that become invalid (recording why).
    pub fn finish(
        mut self,
        date_order: Option<DateOrder>,
        decimal: Option<DecimalSeparator>,
    ) -> Finished {
        self.resolve_customers();
        let mut warnings = Vec::new();
        let date_decision = decide_date_order(
            self.date_dmy_votes,
            self.date_mdy_votes,
            self.date_ambiguous,
            self.pending_dates.len(),
            date_order,
        );
        let mut drop_rows: Vec<u32> = Vec::new();
        if let Some(dec) = &date_decision {
            for &(row, a, b, year) in &self.pending_dates {
                match values::resolve_numeric(a, b, year, dec.value) {
                    Some(d) => self.table.day[row as usize] = d,
                    None => {
                        let raw = self.one_order_rows.remove(&row).unwrap_or_default();
                        let order = match dec.value {
                            DateOrder::Dmy => "day/month/year",
                            DateOrder::Mdy => "month/day/year",
                        };
                        self.rejected.push(RejectedRow {
                            line: self.table.line[row as usize] as u64,
                            reason: format!(
                                "order_date {a:02}/{b:02}/{year} does not exist as {order}"
                            ),
                            raw,
                        });
                        drop_rows.push(row);
                    }
                }
            }
        }
        let amount_decision = decide_decimal(self.amount_evidence, decimal, self.delimiter);
        if let Some(dec) = &amount_decision {
            if dec.value == DecimalSeparator::Comma {
                for &(row, dot, comma) in &self.pending_amounts {
                    let cur = &mut self.table.amount[row as usize];
                    // Merged order lines added the dot reading; swap in the comma one.
                    *cur = cur.saturating_add(comma.saturating_sub(dot));
                }
            }
            let minority = match dec.value {
                DecimalSeparator::Dot => self.amount_evidence.comma,
                DecimalSeparator::Comma => self.amount_evidence.dot,
            };
            if minority > 0 && !dec.user {
                warnings.push(format!("{minority} amounts use the other decimal separator than the rest of the column; read as written"));
            }
        }
        // Order lines: quantity follows its own evidence, else the price column's decision.
        if !self.pending_lines.is_empty() {
            let price = amount_decision.as_ref().map(|d| d.value);
            let quantity = match decide_decimal(self.quantity_evidence, decimal, self.delimiter) {
                Some(d) if d.ambiguous && price.is_some() => price,
                d => d.map(|d| d.value),
            };
            let comma = |s: Option<DecimalSeparator>| s == Some(DecimalSeparator::Comma);
            for &(row, (qd, qc, pd, pc)) in &self.pending_lines {
                let q = if comma(quantity) { qc } else { qd };
                let p = if comma(price) { pc } else { pd };
                let total = &mut self.table.amount[row as usize];
                *total = total.saturating_add(line_total(q, p).saturating_sub(line_total(qd, pd)));
            }
        }
        let margin_decision = decide_decimal(
            self.margin_evidence,
            decimal.or(amount_decision.as_ref().map(|d| d.value)),
            self.delimiter,
        );
        if let (Some(dec), Some(m)) = (&margin_decision, self.table.margin.as_mut()) {
            if dec.value == DecimalSeparator::Comma {
                for &(row, dot, comma) in &self.pending_margins {
                    m[row as usize] = m[row as usize].saturating_add(comma.saturating_sub(dot));
                }
            }
        }
        self.find_repeats(&mut drop_rows);
        drop_rows.sort_unstable();
        drop_rows.dedup();
        if !drop_rows.is_empty() {
            drop_table_rows(&mut self.table, &drop_rows);
        }
        let mut unknown: Vec<_> = self.unknown_status.into_iter().collect();
        unknown.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (word, n) in unknown.iter().take(5) {
            warnings.push(format!(
                "status {word:?} not recognised on {n} rows: counted as completed"
            ));
        }
        let mut other: Vec<_> = self.other_channels.into_iter().collect();
        other.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if !other.is_empty() {
            let list: Vec<String> = other
                .iter()
                .take(5)
                .map(|(w, n)| format!("{w:?} ({n})"))
                .collect();
            warnings.push(format!(
                "channels counted as offline \"other\": {}",
                list.join(", ")
            ));
        }
        self.rejected.sort_by_key(|r| r.line);
        Finished {
            table: self.table,
            rejected: self.rejected,
            rows_read: self.rows_read,
            duplicates: self.duplicates,
            lines_merged: self.lines_merged,
            date_order: date_decision,
            decimal: amount_decision,
            warnings,
            raw_missing: self.raw_missing,
        }
    }

    /// Take in the rows of the file's next part, read by another builder from the line after
    /// this one's last (`line_offset`: lines before that part), as if this builder had read
    /// them: ids interned again in order of first appearance, pending cells and evidence
    /// carried over, and order numbers checked against this part's for repeats.
    pub fn absorb(&mut self, mut next: OrdersBuilder, line_offset: u64) {
        self.resolve_customers();
        next.resolve_customers();
        let rows = self.table.len() as u32;
        let n = self.table.order_keys.len();
        let still_rising = self.rising
            && next.rising
            && (n == 0
                || next.table.order_keys.is_empty()
                || next.table.order_keys.get(0) > self.table.order_keys.get(n - 1));
        // The next part's hashes: none while both rise, made if it rose and this did not.
        let next_hashes = if still_rising {
            Vec::new()
        } else if next.rising {
            next.hashes_of_keys()
        } else {
            std::mem::take(&mut next.key_hashes)
        };
        let line_of = |l: u32| (l as u64 + line_offset).min(u32::MAX as u64) as u32;
        self.rows_read += next.rows_read;
        self.lines_merged += next.lines_merged;
        self.rejected.extend(next.rejected.into_iter().map(|mut r| {
            r.line += line_offset;
            r
        }));
        for (word, n) in next.unknown_status {
            *self.unknown_status.entry(word).or_default() += n;
        }
        for (word, n) in next.other_channels {
            *self.other_channels.entry(word).or_default() += n;
        }
        self.date_dmy_votes += next.date_dmy_votes;
        self.date_mdy_votes += next.date_mdy_votes;
        self.date_ambiguous += next.date_ambiguous;
        self.pending_dates.extend(
            next.pending_dates
                .iter()
                .map(|&(r, a, b, y)| (r + rows, a, b, y)),
        );
        self.one_order_rows
            .extend(next.one_order_rows.into_iter().map(|(r, t)| (r + rows, t)));
        self.amount_evidence.add(&next.amount_evidence);
        self.margin_evidence.add(&next.margin_evidence);
        self.quantity_evidence.add(&next.quantity_evidence);
        let shift = |&(r, d, c): &PendingNumber| (r + rows, d, c);
        self.pending_amounts
            .extend(next.pending_amounts.iter().map(shift));
        self.pending_margins
            .extend(next.pending_margins.iter().map(shift));
        self.pending_lines
            .extend(next.pending_lines.iter().map(|&(r, q)| (r + rows, q)));
        // Repeats: the next part flagged its own; a row whose order number may have been seen
        // in this part is flagged too (its text, if it does repeat, is read again later).
        for (r, text) in next.maybe_repeats {
            self.maybe_repeats.insert(r + rows, text);
        }
        if !still_rising {
            if self.rising {
                self.stop_rising();
            }
            let mask = self.seen_bits.len() * 64 - 1;
            for (r, &hash) in next_hashes.iter().enumerate() {
                let bit = (hash as usize) & mask;
                if self.seen_bits[bit / 64] & (1 << (bit % 64)) != 0 {
                    self.maybe_repeats.entry(r as u32 + rows).or_insert(None);
                }
            }
            for &hash in &next_hashes {
                let bit = (hash as usize) & mask;
                self.seen_bits[bit / 64] |= 1 << (bit % 64);
            }
        }
        self.key_hashes.extend_from_slice(&next_hashes);
        // The columns, ids mapped to this table's.
        let n = next.table;
        let remap = |from: &crate::table::Interner, to: &mut crate::table::Interner| -> Vec<u32> {
            from.names().map(|name| to.intern(name)).collect()
        };
        let t = &mut self.table;
        let customers = remap(&n.customers, &mut t.customers);
        let salespeople = remap(&n.salespeople, &mut t.salespeople);
        let regions = remap(&n.regions, &mut t.regions);
        let segments = remap(&n.segments, &mut t.segments);
        let users = remap(&n.users, &mut t.users);
        t.order_keys.extend(&n.order_keys);
        t.customer
            .extend(n.customer.iter().map(|&c| customers[c as usize]));
        t.day.extend_from_slice(&n.day);
        t.amount.extend_from_slice(&n.amount);
        t.channel.extend_from_slice(&n.channel);
        t.salesperson
            .extend(n.salesperson.iter().map(|&c| salespeople[c as usize]));
        t.status.extend_from_slice(&n.status);
        t.region.extend_mapped(&n.region, &regions);
        t.segment.extend_mapped(&n.segment, &segments);
        t.user.extend_mapped(&n.user, &users);
        if let (Some(m), Some(nm)) = (t.margin.as_mut(), n.margin.as_ref()) {
            m.extend_from_slice(nm);
        }
        t.line.extend(n.line.iter().map(|&l| line_of(l)));
    }
}

/// Customers looked up at a time (`resolve_customers`): 16 KiB of numbers.
const CUSTOMER_BATCH: usize = 4096;

const STATUSES: [OrderStatus; 4] = [
    OrderStatus::Completed,
    OrderStatus::Cancelled,
    OrderStatus::Returned,
    OrderStatus::Open,
];

fn small_enum<T: Copy + PartialEq>(all: &[T], v: T) -> u8 {
    all.iter().position(|x| *x == v).unwrap_or(0) as u8
}

impl OrdersBuilder {
    /// The unfinished rows as bytes (`super::wire`), to be taken in by another worker's
    /// builder of the same file (`from_bytes`, then `absorb`).
    pub fn to_bytes(&self) -> Vec<u8> {
        assert!(
            self.pending_customers.is_empty(),
            "customers resolved before the part is sent"
        );
        let mut w = super::wire::Writer::default();
        w.u64(self.rows_read);
        w.u64(self.lines_merged);
        w.len(self.rejected.len());
        for r in &self.rejected {
            w.u64(r.line);
            w.str(&r.reason);
            w.str(&r.raw);
        }
        for map in [&self.unknown_status, &self.other_channels] {
            w.len(map.len());
            for (word, n) in map {
                w.str(word);
                w.u64(*n);
            }
        }
        w.u64(self.date_dmy_votes);
        w.u64(self.date_mdy_votes);
        w.u64(self.date_ambiguous);
        w.len(self.pending_dates.len());
        for &(r, a, b, y) in &self.pending_dates {
            w.u64(r as u64);
            w.u8(a);
            w.u8(b);
            w.u64(y as i64 as u64);
        }
        w.len(self.one_order_rows.len());
        for (r, t) in &self.one_order_rows {
            w.u64(*r as u64);
            w.str(t);
        }
        for e in [
            &self.amount_evidence,
            &self.margin_evidence,
            &self.quantity_evidence,
        ] {
            w.u64(e.dot);
            w.u64(e.comma);
            w.u64(e.ambiguous);
        }
        for pending in [&self.pending_amounts, &self.pending_margins] {
            w.len(pending.len());
            for &(r, d, c) in pending {
                w.u64(r as u64);
                w.u64(d as u64);
                w.u64(c as u64);
            }
        }
        w.len(self.maybe_repeats.len());
        for (r, t) in &self.maybe_repeats {
            w.u64(*r as u64);
            match t {
                Some(t) => {
                    w.u8(1);
                    w.str(t);
                }
                None => w.u8(0),
            }
        }
        w.u64s(&self.key_hashes);
        w.u8(u8::from(self.rising));
        let t = &self.table;
        match t.order_keys.parts() {
            crate::table::TextParts::Numbered(prefix, digits, numbers) => {
                w.u8(1);
                w.str(prefix);
                w.u64(digits as u64);
                w.u32s(numbers);
            }
            crate::table::TextParts::Text(text, ends) => {
                w.u8(0);
                w.str(text);
                w.ends(ends);
            }
        }
        for names in [
            &t.customers,
            &t.salespeople,
            &t.regions,
            &t.segments,
            &t.users,
        ] {
            w.len(names.len());
            for name in names.names() {
                w.str(name);
            }
        }
        w.ids(&t.customer);
        w.i32s(&t.day);
        w.i64s(&t.amount);
        let channels: Vec<u8> = t
            .channel
            .iter()
            .map(|c| small_enum(&Channel::ALL, *c))
            .collect();
        w.raw(&channels);
        w.ids(&t.salesperson);
        let statuses: Vec<u8> = t.status.iter().map(|s| small_enum(&STATUSES, *s)).collect();
        w.raw(&statuses);
        w.id_column(&t.region);
        w.id_column(&t.segment);
        w.id_column(&t.user);
        match &t.margin {
            Some(m) => {
                w.u8(1);
                w.i64s(m);
            }
            None => w.u8(0),
        }
        w.u32s(&t.line);
        w.bytes
    }

    /// A builder holding the rows of `to_bytes`, for the same file's columns.
    pub fn from_bytes(bytes: &[u8], cols: OrderColumns, delimiter: u8) -> crate::Result<Self> {
        let damaged = super::wire::damaged;
        let mut r = super::wire::Reader::new(bytes);
        let mut b = OrdersBuilder::new(cols, delimiter, 0);
        b.rows_read = r.u64()?;
        b.lines_merged = r.u64()?;
        for _ in 0..r.len()? {
            b.rejected.push(RejectedRow {
                line: r.u64()?,
                reason: r.str()?,
                raw: r.str()?,
            });
        }
        for map in [&mut b.unknown_status, &mut b.other_channels] {
            for _ in 0..r.len()? {
                let word = r.str()?;
                map.insert(word, r.u64()?);
            }
        }
        b.date_dmy_votes = r.u64()?;
        b.date_mdy_votes = r.u64()?;
        b.date_ambiguous = r.u64()?;
        for _ in 0..r.len()? {
            let row = r.u64()? as u32;
            let (a, m) = (r.u8()?, r.u8()?);
            b.pending_dates.push((row, a, m, r.u64()? as i64 as i32));
        }
        for _ in 0..r.len()? {
            let row = r.u64()? as u32;
            b.one_order_rows.insert(row, r.str()?);
        }
        for e in [
            &mut b.amount_evidence,
            &mut b.margin_evidence,
            &mut b.quantity_evidence,
        ] {
            e.dot = r.u64()?;
            e.comma = r.u64()?;
            e.ambiguous = r.u64()?;
        }
        for pending in [&mut b.pending_amounts, &mut b.pending_margins] {
            for _ in 0..r.len()? {
                let row = r.u64()? as u32;
                let dot = r.u64()? as i64;
                pending.push((row, dot, r.u64()? as i64));
            }
        }
        for _ in 0..r.len()? {
            let row = r.u64()? as u32;
            let text = match r.u8()? {
                1 => Some(r.str()?),
                _ => None,
            };
            b.maybe_repeats.insert(row, text);
        }
        b.key_hashes = r.u64s()?;
        b.rising = r.u8()? == 1;
        let t = &mut b.table;
        t.order_keys = if r.u8()? == 1 {
            let (prefix, digits) = (r.str()?, r.u64()? as usize);
            crate::table::TextList::from_numbered(prefix, digits, r.u32s()?)
        } else {
            let text = r.str()?;
            crate::table::TextList::from_parts(text, r.ends()?)
        }
        .ok_or_else(damaged)?;
        for names in [
            &mut t.customers,
            &mut t.salespeople,
            &mut t.regions,
            &mut t.segments,
            &mut t.users,
        ] {
            *names = crate::table::Interner::default();
            for _ in 0..r.len()? {
                names.intern(&r.str()?);
            }
        }
        t.customer = r.ids()?;
        t.day = r.i32s()?;
        t.amount = r.i64s()?;
        let enum_at = |all: &[Channel], i: &u8| all.get(*i as usize).copied();
        t.channel = r
            .raw()?
            .iter()
            .map(|i| enum_at(&Channel::ALL, i))
            .collect::<Option<_>>()
            .ok_or_else(damaged)?;
        t.salesperson = r.ids()?;
        t.status = r
            .raw()?
            .iter()
            .map(|i| STATUSES.get(*i as usize).copied())
            .collect::<Option<_>>()
            .ok_or_else(damaged)?;
        t.region = r.id_column()?;
        t.segment = r.id_column()?;
        t.user = r.id_column()?;
        t.margin = match r.u8()? {
            1 => Some(r.i64s()?),
            _ => None,
        };
        t.line = r.u32s()?;
        // Every column as long as the order numbers, every id known: else damaged.
        let n = t.order_keys.len();
        let ids_ok = |ids: &[u32], names: &crate::table::Interner| {
            ids.len() == n && ids.iter().all(|&i| (i as usize) < names.len())
        };
        let column_ok = |ids: &crate::table::Ids, names: &crate::table::Interner| {
            ids.len() == n && ids.iter().all(|i| (i as usize) < names.len())
        };
        let lens_ok = t.day.len() == n
            && t.amount.len() == n
            && t.channel.len() == n
            && t.status.len() == n
            && t.line.len() == n
            && b.key_hashes.len() == if b.rising { 0 } else { n }
            && t.margin.as_ref().is_none_or(|m| m.len() == n)
            && ids_ok(&t.customer, &t.customers)
            && ids_ok(&t.salesperson, &t.salespeople)
            && column_ok(&t.region, &t.regions)
            && column_ok(&t.segment, &t.segments)
            && column_ok(&t.user, &t.users);
        let rows_ok = b.pending_dates.iter().all(|p| (p.0 as usize) < n)
            && b.pending_amounts.iter().all(|p| (p.0 as usize) < n)
            && b.pending_margins.iter().all(|p| (p.0 as usize) < n);
        if !lens_ok || !rows_ok || !r.is_empty() {
            return Err(damaged());
        }
        Ok(b)
    }
}

fn drop_table_rows(t: &mut OrdersTable, rows: &[u32]) {
    let mut keep = vec![true; t.len()];
    for &r in rows {
        keep[r as usize] = false;
    }
    fn retain<T: Copy>(v: &mut Vec<T>, keep: &[bool]) {
        let mut i = 0;
        v.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }
    t.order_keys.retain(&keep);
    retain(&mut t.customer, &keep);
    retain(&mut t.day, &keep);
    retain(&mut t.amount, &keep);
    retain(&mut t.channel, &keep);
    retain(&mut t.salesperson, &keep);
    retain(&mut t.status, &keep);
    t.region.retain(&keep);
    t.segment.retain(&keep);
    t.user.retain(&keep);
    retain(&mut t.line, &keep);
    if let Some(m) = t.margin.as_mut() {
        retain(m, &keep);
    }
}

/// The builder's result.
pub struct Finished {
    pub table: OrdersTable,
    pub rejected: Vec<RejectedRow>,
    pub rows_read: u64,
    pub duplicates: u64,
    pub lines_merged: u64,
    pub date_order: Option<Decision<DateOrder>>,
    pub decimal: Option<Decision<DecimalSeparator>>,
    pub warnings: Vec<String>,
    /// Lines of rejected repeats whose `raw` is still empty: read them again from the file.
    pub raw_missing: Vec<u64>,
}
