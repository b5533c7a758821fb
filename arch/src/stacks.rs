//! Known stacks, so the crash report's backtrace reads only memory that is a stack (shared by
//! every architecture).

use core::sync::atomic::{AtomicU64, Ordering};

const MAX: usize = 1024;
static RANGES: [(AtomicU64, AtomicU64); MAX] =
    [const { (AtomicU64::new(0), AtomicU64::new(0)) }; MAX];

/// Records `[bottom, top)` as a stack.
pub fn register(bottom: u64, top: u64) {
    for (b, t) in &RANGES {
        if b.compare_exchange(0, bottom, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
        {
            t.store(top, Ordering::Release);
            return;
        }
    }
}

/// Page tables that can take one 4 KiB page out of the kernel's address space.
pub trait UnmapPage {
    fn unmap_page(&self, va: u64) -> bool;
}

/// Allocates a stack of `pages` 4 KiB pages with a guard page below it, unmapped from
/// `tables` (then `flush` drops its TLB entry); registers it and returns `(bottom, top)` of
/// the usable part. Both architectures' `alloc_stack` are this.
#[cfg(target_os = "none")]
pub fn alloc_guarded<T: UnmapPage>(
    pages: u64,
    tables: &spin::Mutex<Option<T>>,
    flush: fn(u64),
) -> Option<(u64, u64)> {
    const PAGE: u64 = 4096;
    let base = crate::memory::alloc_zeroed(pages + 1, 1)?;
    if !tables.lock().as_ref()?.unmap_page(base) {
        return None;
    }
    flush(base);
    let bottom = base + PAGE;
    let top = bottom + pages * PAGE;
    register(bottom, top);
    Some((bottom, top))
}

/// The word at `addr` if it lies inside a known stack.
pub fn read_stack_word(addr: u64) -> Option<u64> {
    let end = addr.checked_add(8)?;
    let inside = RANGES.iter().any(|(b, t)| {
        let (b, t) = (b.load(Ordering::Acquire), t.load(Ordering::Acquire));
        b != 0 && addr >= b && end <= t
    });
    if !inside {
        return None;
    }
    // SAFETY: the address lies inside a registered, mapped stack, and is 8-byte readable.
    Some(unsafe { core::ptr::read_volatile(addr as *const u64) })
}
