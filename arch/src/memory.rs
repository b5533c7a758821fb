//! The kernel's physical memory at run time: the global frame allocator, over memory that
//! Ferrite maps 1:1 (so a frame's physical address is also where the kernel reaches it).
//!
//! Lock order: `FRAMES` is a leaf lock.

use core::ops::Range;

use spin::Mutex;

use crate::mm::frame::{FRAME_SIZE, FrameAllocator, FrameError};
use crate::mm::memmap::MemoryMap;

static FRAMES: Mutex<FrameAllocator> = Mutex::new(FrameAllocator::new());

/// Seeds the allocator from `map` minus `reserved`.
pub fn init(map: &MemoryMap, reserved: &[Range<u64>]) -> Result<(), FrameError> {
    FRAMES.lock().init(map, reserved)
}

/// `count` zeroed, contiguous frames aligned to `align` frames.
pub fn alloc_zeroed(count: u64, align: u64) -> Option<u64> {
    let pa = FRAMES.lock().alloc(count, align)?.as_u64();
    zero(pa, count);
    Some(pa)
}

/// As [`alloc_zeroed`], entirely below `limit`.
pub fn alloc_zeroed_below(limit: u64, count: u64, align: u64) -> Option<u64> {
    let pa = FRAMES.lock().alloc_below(limit, count, align)?.as_u64();
    zero(pa, count);
    Some(pa)
}

/// Gives frames back.
pub fn free(pa: u64, count: u64) -> Result<(), FrameError> {
    FRAMES.lock().free(crate::mm::frame::PhysAddr(pa), count)
}

/// Free and total frames.
pub fn stats() -> (u64, u64) {
    let f = FRAMES.lock();
    (f.free_frames(), f.total_frames())
}

fn zero(pa: u64, count: u64) {
    let len = (count * FRAME_SIZE) as usize;
    // SAFETY: the frames were just taken from the allocator, so nothing else uses them, and
    // Ferrite maps all RAM 1:1 and writable, so the range is valid for writes.
    unsafe { core::ptr::write_bytes(pa as *mut u8, 0, len) };
}

/// Moves `bytes` (rounded up to 2 MiB) of free frames into the kernel heap.
pub fn grow_heap(bytes: u64) -> bool {
    let frames = bytes.div_ceil(2 << 20) * 512;
    let Some(pa) = FRAMES.lock().alloc(frames, 512).map(|p| p.as_u64()) else {
        return false;
    };
    // SAFETY: the frames were just taken from the allocator (exclusively ours, never handed
    // out again) and all RAM is mapped 1:1 and writable.
    unsafe { crate::heap::HEAP.add_region(pa as usize, (pa + frames * FRAME_SIZE) as usize) };
    true
}
