//! The binary's allocator: the system's until a catalogue source is loaded the long way, mimalloc after.
//!
//! mimalloc made a first load of many small files a quarter faster (both threads allocate and free, and
//! glibc's `malloc`/`free` took a fifth of it), but its first allocation costs a small run about a
//! millisecond (a 2 MB huge page zeroed for its arena, another for its first page, a purge at exit): an
//! embedded lookup went from 4.9 to 5.7 ms. So a command starts on the system allocator, and `bulk` switches
//! what is allocated from then on to mimalloc; each block is freed or grown by the allocator it came from,
//! told by mimalloc's map of its own pages (`mi_is_in_heap_region`, a few loads).
//!
//! Only `main.rs` installs `Hybrid`; the library and its tests run on whatever allocator their binary has,
//! and `bulk` then changes nothing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

static BULK: AtomicBool = AtomicBool::new(false);

/// From now on, allocate with mimalloc: many allocations are coming (parsing catalogue files).
pub fn bulk() {
    BULK.store(true, Ordering::Relaxed);
}

/// Gives the memory mimalloc holds free back to the system, now: what a large job freed (writing an index)
/// would otherwise still count as the process's while the next one runs.
pub fn give_back() {
    if is_bulk() {
        // SAFETY: a plain call into mimalloc, which is set up before `main`.
        unsafe { libmimalloc_sys::mi_collect(true) };
    }
}

/// Whether `bulk` was called.
pub fn is_bulk() -> bool {
    BULK.load(Ordering::Relaxed)
}

/// Whether mimalloc allocated `ptr` (it is inside one of its pages); false for the system allocator's blocks.
pub fn from_mimalloc(ptr: *const u8) -> bool {
    // Before `bulk`, mimalloc has allocated nothing: a small run never asks it. A block from after `bulk`
    // reached this thread through something that synchronized with the allocating thread, after its store
    // to `BULK`, so this load sees it.
    // SAFETY: only reads mimalloc's page map, which it sets up before `main` and which is valid for any
    // address (an address outside its pages gives false).
    is_bulk() && unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
}

/// The system allocator until `bulk`, mimalloc after; a block always goes back to the one it came from.
pub struct Hybrid;

// SAFETY: every block is allocated by one of two sound allocators and freed or reallocated by that same one
// (`from_mimalloc` tells them apart: mimalloc's pages never overlap memory the system allocator hands out).
unsafe impl GlobalAlloc for Hybrid {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        unsafe {
            match is_bulk() {
                true => mimalloc::MiMalloc.alloc(layout),
                false => System.alloc(layout),
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        unsafe {
            match is_bulk() {
                true => mimalloc::MiMalloc.alloc_zeroed(layout),
                false => System.alloc_zeroed(layout),
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from the allocator `from_mimalloc` names, with this layout.
        unsafe {
            match from_mimalloc(ptr) {
                true => mimalloc::MiMalloc.dealloc(ptr, layout),
                false => System.dealloc(ptr, layout),
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `dealloc`; the block stays with the allocator it came from.
        unsafe {
            match from_mimalloc(ptr) {
                true => mimalloc::MiMalloc.realloc(ptr, layout, new_size),
                false => System.realloc(ptr, layout, new_size),
            }
        }
    }
}
