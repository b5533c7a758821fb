//! Ferrite's heap: a buddy allocator (`buddy_system_allocator`) over frames handed to it at boot.
//!
//! The lock is a plain spin lock: interrupt and NMI handlers never allocate, so the heap
//! cannot be re-entered on one CPU.

use core::alloc::{GlobalAlloc, Layout};
use core::ptr::NonNull;

use buddy_system_allocator::Heap;
use spin::Mutex;

/// Buddy orders up to 2^32 bytes per block.
const ORDER: usize = 33;

/// The global allocator.
pub struct KernelHeap(Mutex<Heap<ORDER>>);

impl KernelHeap {
    /// An empty heap: every allocation fails until [`KernelHeap::add_region`].
    pub const fn empty() -> KernelHeap {
        KernelHeap(Mutex::new(Heap::empty()))
    }

    /// Gives `[start, end)` to the heap.
    ///
    /// # Safety
    /// The range must be mapped, writable, unused by anything else, and never handed out again
    /// by the frame allocator.
    pub unsafe fn add_region(&self, start: usize, end: usize) {
        // SAFETY: the caller hands over exclusive, mapped memory (this function's contract).
        unsafe { self.0.lock().add_to_heap(start, end) }
    }

    /// Bytes handed out now, and bytes the heap owns in total.
    pub fn usage(&self) -> (usize, usize) {
        let heap = self.0.lock();
        (heap.stats_alloc_actual(), heap.stats_total_bytes())
    }
}

impl Default for KernelHeap {
    fn default() -> Self {
        Self::empty()
    }
}

// SAFETY: the buddy allocator returns blocks of at least the requested size and alignment,
// never hands one out twice, and the mutex serialises all access to it.
unsafe impl GlobalAlloc for KernelHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.0
            .lock()
            .alloc(layout)
            .map_or(core::ptr::null_mut(), NonNull::as_ptr)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(p) = NonNull::new(ptr) {
            // SAFETY: `GlobalAlloc::dealloc`'s contract: `ptr` came from `alloc` with `layout`.
            unsafe { self.0.lock().dealloc(p, layout) };
        }
    }
}

/// The kernel's global allocator (bare-metal builds only; host tests use std's).
#[cfg(target_os = "none")]
#[global_allocator]
pub static HEAP: KernelHeap = KernelHeap::empty();
