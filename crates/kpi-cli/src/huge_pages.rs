//! The CLI's allocator: the system one, asking Linux for transparent huge pages on big
//! blocks (a big file's columns: hundreds of MB). With 4 KiB pages, filling the columns of
//! a 5M-row file took ~140k page faults; this machine kind gives huge pages only to memory
//! that asks for them (`transparent_hugepage/enabled` is `madvise`). A hint: if the kernel
//! says no, nothing changes.

use std::alloc::{GlobalAlloc, Layout, System};

/// [`System`], with `madvise(MADV_HUGEPAGE)` on blocks of 4 MiB or more.
pub struct HugePages;

/// Blocks from this size get the hint (smaller ones hold at most one whole huge page).
const BIG: usize = 4 << 20;
/// The size of a transparent huge page on x86-64 and arm64 (4 KiB base pages).
const HUGE_PAGE: usize = 2 << 20;

/// Hint the whole huge pages inside `[ptr, ptr + len)`.
fn advise(ptr: *mut u8, len: usize) {
    let start = (ptr as usize).next_multiple_of(HUGE_PAGE);
    let end = (ptr as usize + len) / HUGE_PAGE * HUGE_PAGE;
    if end > start {
        // SAFETY: the range lies inside a block the system allocator just gave us, and
        // MADV_HUGEPAGE changes no contents or permissions (it is advice; errors ignored).
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

/// `ptr`, a block of `size` bytes just allocated, hinted when it is big.
fn hinted(ptr: *mut u8, size: usize) -> *mut u8 {
    if size >= BIG && !ptr.is_null() {
        advise(ptr, size);
    }
    ptr
}

// SAFETY: every call goes to `System` with the caller's arguments; `advise` only hints
// memory of the block returned.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        hinted(unsafe { System.alloc(layout) }, layout.size())
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        hinted(unsafe { System.alloc_zeroed(layout) }, layout.size())
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        hinted(unsafe { System.realloc(ptr, layout, new_size) }, new_size)
    }
}
