//! Typed, columnar tables: what an import produces and what every KPI is computed from.
//! Re-filtering or changing the period reads these columns again, never the CSV text.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Strings stored once, referred to by a dense `u32` id (customers, salespeople...).
#[derive(Debug, Default, Clone)]
pub struct Interner {
    ids: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }
    pub fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
    pub fn len(&self) -> usize {
        self.names.len()
    }
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|s| &**s)
    }
}

/// What happened to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Completed,
    Cancelled,
    Returned,
    /// Open, pending, in progress: not revenue yet.
    Open,
}

/// How an order reached the seller. B2B orders often arrive offline after research online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Web,
    Edi,
    Email,
    Phone,
    /// Field sales, fax, in person, marketplace, or a word we do not know.
    Other,
    /// No channel column, or an empty cell.
    Unknown,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Web,
        Channel::Edi,
        Channel::Email,
        Channel::Phone,
        Channel::Other,
        Channel::Unknown,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Edi => "edi",
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Other => "other",
            Channel::Unknown => "unknown",
        }
    }
}

/// Orders, one row per order (order lines are merged on import).
#[derive(Debug, Default, Clone)]
pub struct OrdersTable {
    pub order_ids: Interner,
    pub customers: Interner,
    /// Salespeople; id 0 is "(unassigned)".
    pub salespeople: Interner,
    pub regions: Interner,
    pub segments: Interner,

    pub order_id: Vec<u32>,
    pub customer: Vec<u32>,
    /// Days since 1970-01-01.
    pub day: Vec<i32>,
    /// Order amount in 1/10,000 of the currency unit.
    pub amount: Vec<i64>,
    pub channel: Vec<Channel>,
    pub salesperson: Vec<u32>,
    pub status: Vec<OrderStatus>,
    pub region: Vec<u32>,
    pub segment: Vec<u32>,
    /// Contribution margin per order in 1/10,000, where the file has margin or cost.
    pub margin: Option<Vec<i64>>,
    /// The file line each order came from (its first line for merged order lines).
    pub line: Vec<u32>,
}

impl OrdersTable {
    pub fn len(&self) -> usize {
        self.order_id.len()
    }
    pub fn is_empty(&self) -> bool {
        self.order_id.is_empty()
    }
}
