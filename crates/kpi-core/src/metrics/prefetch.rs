//! Asking for customers' state some orders ahead of its use.
//!
//! The per-customer passes read one slot of a customer-sized array per order, in day order,
//! so at random: with 250k customers those arrays are megabytes, past the L2 cache, and a
//! pass waits on one miss after another (the loop's branches depend on the slot, so the
//! processor does not run far ahead). Asking for later orders' slots early lets the misses
//! overlap. A hint only: no result depends on it.

use super::context::OrderRow;

/// How many orders ahead a slot is asked for.
const AHEAD: usize = 16;

/// Called at each order `i` of a pass over `orders` that will use `slots[customer]`.
#[inline(always)]
pub(super) fn ahead<T: Copy>(orders: &[OrderRow], i: usize, slots: &[T]) {
    #[cfg(target_arch = "x86_64")]
    if let Some(slot) = orders
        .get(i + AHEAD)
        .and_then(|o| slots.get(o.customer as usize))
    {
        prefetch(slot);
    }
    // Without a prefetch instruction (wasm), the next block's slots are copied out in a
    // loop that does nothing else, so their misses overlap. Only with many customers: at
    // 50k (1M rows) the copies cost what they save (measured in Chromium; at 250k they
    // take a third off the report).
    #[cfg(not(target_arch = "x86_64"))]
    if i.is_multiple_of(AHEAD) && slots.len() >= WARM_FROM_CUSTOMERS {
        warm(orders.get(i + AHEAD..).unwrap_or(&[]), slots);
    }
}

/// Called at each order `i` of a pass over `orders` that reads `slot(order)` of each order
/// from its file's columns (the margin): asks for the slot of the order `AHEAD` later. A
/// breakdown slice holds one order in a dozen or more, so its file positions rise by
/// irregular strides, which the processor's own prefetcher does not follow. Native only:
/// the browser computes the slices after the report is shown, and a copy there would cost
/// a load per order.
#[inline(always)]
pub(super) fn ahead_by<'a, T: 'a>(
    orders: &[OrderRow],
    i: usize,
    slot: impl FnOnce(&OrderRow) -> Option<&'a T>,
) {
    #[cfg(target_arch = "x86_64")]
    if let Some(slot) = orders.get(i + AHEAD).and_then(slot) {
        prefetch(slot);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (orders, i, slot);
}

/// Ask for the cache line holding `slot`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn prefetch<T>(slot: &T) {
    // SAFETY: a prefetch never faults and reads nothing; the pointer is a valid reference
    // anyway.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
            slot as *const T as *const i8,
        )
    };
}

#[cfg(not(target_arch = "x86_64"))]
const WARM_FROM_CUSTOMERS: usize = 100_000;

#[cfg(not(target_arch = "x86_64"))]
#[inline(never)]
fn warm<T: Copy>(next: &[OrderRow], slots: &[T]) {
    let mut copies = [None; AHEAD];
    for (copy, o) in copies.iter_mut().zip(next) {
        *copy = slots.get(o.customer as usize).copied();
    }
    std::hint::black_box(&copies);
}
