//! Funnels as counts per stage over the report range, for the funnel chart: the web funnel
//! (sessions -> add to cart -> checkout -> order) and the quote funnel (requested ->
//! accepted -> won as an order). Only stages the files have are listed.

use super::catalogue::per_word;
use super::context::Ctx;
use crate::ingest::columns::{NO_DATE, NO_NUMBER};
use crate::ingest::normalize as words;
use crate::ingest::schema::FileKind;
use crate::ingest::values::SCALE;
use crate::table::{Channel, OrderStatus};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FunnelStage {
    pub stage: String,
    pub count: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Funnel {
    /// `web` or `quotes`.
    pub id: String,
    pub label: String,
    /// Where the counts come from, e.g. `traffic.sessions`.
    pub inputs: Vec<String>,
    pub stages: Vec<FunnelStage>,
}

fn in_range(ctx: &Ctx, d: i32) -> bool {
    d != NO_DATE && (ctx.from..=ctx.to).contains(&d)
}

/// The funnels the imported files allow, over the report range.
pub fn funnels(ctx: &Ctx) -> Vec<Funnel> {
    let mut out = Vec::new();
    let web_orders = || {
        ctx.orders_in(ctx.from, ctx.to)
            .iter()
            .filter(|o| o.status == OrderStatus::Completed && o.channel == Channel::Web)
            .count() as f64
    };
    if let Some(t) = ctx.table(FileKind::Traffic) {
        let dates = t.dates("date").unwrap_or(&[]);
        let sum = |field: &str| -> Option<f64> {
            let values = t.numbers(field)?;
            let total: i128 = dates
                .iter()
                .zip(values)
                .filter(|(d, v)| in_range(ctx, **d) && **v != NO_NUMBER)
                .map(|(_, v)| *v as i128)
                .sum();
            Some(total as f64 / SCALE as f64)
        };
        let mut stages = Vec::new();
        let mut inputs = Vec::new();
        for (field, stage) in [
            ("sessions", "Sessions"),
            ("add_to_cart", "Added to cart"),
            ("checkouts", "Checkouts"),
            ("orders", "Orders"),
        ] {
            if let Some(count) = sum(field) {
                stages.push(FunnelStage {
                    stage: stage.into(),
                    count,
                });
                inputs.push(format!("traffic.{field}"));
            }
        }
        if stages.is_empty() {
            if let Some(count) = sum("visitors") {
                stages.push(FunnelStage {
                    stage: "Visitors".into(),
                    count,
                });
                inputs.push("traffic.visitors".into());
            }
        }
        if !t.has("orders") && ctx.has_orders {
            stages.push(FunnelStage {
                stage: "Web orders".into(),
                count: web_orders(),
            });
            inputs.push("orders.channel = web".into());
        }
        if stages.len() >= 2 {
            out.push(Funnel {
                id: "web".into(),
                label: "Web shop funnel".into(),
                inputs,
                stages,
            });
        }
    } else if let Some(t) = ctx.table(FileKind::Carts) {
        let dates = t.dates("created").unwrap_or(&[]);
        let status = t
            .text("status")
            .map(|(n, ids)| (per_word(n, words::cart_converted), ids));
        // Text id 0 is the empty cell.
        let order = t.text("order_id").map(|(_, ids)| ids);
        let (mut created, mut converted) = (0.0, 0.0);
        for (i, d) in dates.iter().enumerate() {
            if !in_range(ctx, *d) {
                continue;
            }
            created += 1.0;
            let by_status = status
                .as_ref()
                .is_some_and(|(yes, ids)| yes[ids[i] as usize]);
            let by_order = order.is_some_and(|ids| ids[i] != 0);
            if by_status || by_order {
                converted += 1.0;
            }
        }
        out.push(Funnel {
            id: "web".into(),
            label: "Cart funnel".into(),
            inputs: vec!["carts.created".into(), "carts.status".into()],
            stages: vec![
                FunnelStage {
                    stage: "Carts created".into(),
                    count: created,
                },
                FunnelStage {
                    stage: "Carts ordered".into(),
                    count: converted,
                },
            ],
        });
    }
    if let Some(t) = ctx.table(FileKind::Quotes) {
        let dates = t.dates("requested").unwrap_or(&[]);
        let status = t
            .text("status")
            .map(|(n, ids)| (per_word(n, words::quote_accepted), ids));
        let accepted = t.dates("accepted");
        let (mut requested, mut yes) = (0.0, 0.0);
        for (i, d) in dates.iter().enumerate() {
            if !in_range(ctx, *d) {
                continue;
            }
            requested += 1.0;
            let by_status = status
                .as_ref()
                .is_some_and(|(accepted, ids)| accepted[ids[i] as usize]);
            let by_date = accepted.is_some_and(|a| a[i] != NO_DATE);
            if by_status || by_date {
                yes += 1.0;
            }
        }
        out.push(Funnel {
            id: "quotes".into(),
            label: "Quote funnel".into(),
            inputs: vec![
                "quotes.requested".into(),
                "quotes.status".into(),
                "quotes.accepted".into(),
            ],
            stages: vec![
                FunnelStage {
                    stage: "Quotes requested".into(),
                    count: requested,
                },
                FunnelStage {
                    stage: "Quotes accepted".into(),
                    count: yes,
                },
            ],
        });
    }
    out
}
