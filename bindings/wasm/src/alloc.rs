//! The WebAssembly build's global allocator: dlmalloc, as the standard library uses on `wasm32-unknown-unknown`,
//! over a system layer that grows the linear memory in large steps.
//!
//! The standard one grows the memory by what each request needs, rounded to 64 KiB: planning 5,000 nodes makes
//! thousands of `memory.grow` calls, and each one costs the engine a resize and JavaScript a new `ArrayBuffer` (so
//! garbage collections). Profiled, those were about a third of the time of a large plan. Growing by at least
//! 16 MiB, or an eighth of the memory already there, makes them a handful.

use core::arch::wasm32;
use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ptr;

use dlmalloc::Dlmalloc;

const PAGE: usize = 64 * 1024;
const MIN_GROW: usize = 16 << 20;

/// Fresh pages from `memory.grow`, never given back (WebAssembly memory cannot shrink).
struct GrowInSteps;

unsafe impl dlmalloc::Allocator for GrowInSteps {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        let current = wasm32::memory_size(0) * PAGE;
        let step = size.max(MIN_GROW).max(current / 8);
        // When the big step is refused (near the 4 GiB limit), ask for just what is needed.
        for want in [step, size] {
            let pages = want.div_ceil(PAGE);
            let prev = wasm32::memory_grow(0, pages);
            if prev != usize::MAX {
                return ((prev * PAGE) as *mut u8, pages * PAGE, 0);
            }
        }
        (ptr::null_mut(), 0, 0)
    }

    fn remap(&self, _ptr: *mut u8, _oldsize: usize, _newsize: usize, _can_move: bool) -> *mut u8 {
        ptr::null_mut()
    }

    fn free_part(&self, _ptr: *mut u8, _oldsize: usize, _newsize: usize) -> bool {
        false
    }

    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }

    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }

    fn allocates_zeros(&self) -> bool {
        true
    }

    fn page_size(&self) -> usize {
        PAGE
    }
}

struct Allocator(UnsafeCell<Dlmalloc<GrowInSteps>>);

// `wasm32-unknown-unknown` without the atomics feature has one thread: nothing else can reach the allocator.
unsafe impl Sync for Allocator {}

unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).malloc(layout.size(), layout.align())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).calloc(layout.size(), layout.align())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        (*self.0.get()).free(ptr, layout.size(), layout.align())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Allocator = Allocator(UnsafeCell::new(Dlmalloc::new_with_allocator(GrowInSteps)));
