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

/// Fills every free frame with `pattern` and gives it back (a test hook's way to prove that
/// whoever allocates next zeroes what it gets). Returns how many frames were filled.
pub fn poison_free(pattern: u8) -> u64 {
    const CHUNK: u64 = 64;
    let mut taken = [0u64; 4096];
    let mut n = 0usize;
    let mut frames = 0;
    while n < taken.len() {
        let Some(pa) = FRAMES.lock().alloc(CHUNK, 1).map(|p| p.as_u64()) else {
            break;
        };
        // SAFETY: just taken from the allocator (ours alone) and mapped 1:1, writable.
        unsafe { core::ptr::write_bytes(pa as *mut u8, pattern, (CHUNK * FRAME_SIZE) as usize) };
        taken[n] = pa;
        n += 1;
        frames += CHUNK;
    }
    for &pa in &taken[..n] {
        // Freeing what was just allocated cannot fail; if it did, the frames stay out.
        let _ = free(pa, CHUNK);
    }
    frames
}

/// Page-table memory reached through the 1:1 map, its new tables taken from the frame
/// allocator below `below` (x86 APs load CR3 from 32-bit code, so their tables live below
/// 4 GiB).
pub struct DirectTables {
    pub below: u64,
}

impl crate::mm::table::TableMemory for DirectTables {
    fn read_entry(&self, table: u64, index: usize) -> u64 {
        // SAFETY: `table` is a page-table frame from the frame allocator (or the live root),
        // mapped 1:1; `index & 511` keeps the read inside it.
        unsafe { core::ptr::read_volatile((table as *const u64).add(index & 511)) }
    }

    fn write_entry(&mut self, table: u64, index: usize, value: u64) {
        // SAFETY: as in `read_entry`; callers edit live tables only under their own lock.
        unsafe { core::ptr::write_volatile((table as *mut u64).add(index & 511), value) }
    }

    fn alloc_table(&mut self) -> Option<u64> {
        alloc_zeroed_below(self.below, 1, 1)
    }
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

/// Frames owned by one user (e.g. a guest's RAM): bounds-checked copies in and out, zeroed
/// when given back so nothing leaks to the next owner.
///
/// # Invariants
/// `[pa, pa + count * FRAME_SIZE)` was taken from the allocator for this value alone and is
/// mapped 1:1 and writable.
pub struct OwnedFrames {
    pa: u64,
    count: u64,
}

impl OwnedFrames {
    /// `count` zeroed frames aligned to `align` frames.
    pub fn alloc(count: u64, align: u64) -> Option<OwnedFrames> {
        // INVARIANT: fresh frames from the allocator, owned by the new value only.
        alloc_zeroed(count, align).map(|pa| OwnedFrames { pa, count })
    }

    pub fn pa(&self) -> u64 {
        self.pa
    }

    pub fn len(&self) -> u64 {
        self.count * FRAME_SIZE
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Copies `bytes` in at `offset`; false (and nothing written) if it does not fit.
    pub fn write(&mut self, offset: u64, bytes: &[u8]) -> bool {
        let fits = offset
            .checked_add(bytes.len() as u64)
            .is_some_and(|end| end <= self.len());
        if fits {
            // SAFETY: the range lies inside frames this value owns (type invariant).
            unsafe {
                core::ptr::copy_nonoverlapping(
                    bytes.as_ptr(),
                    (self.pa + offset) as *mut u8,
                    bytes.len(),
                );
            }
        }
        fits
    }

    /// Copies out of the frames at `offset`; false if the range does not fit.
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> bool {
        let fits = offset
            .checked_add(buf.len() as u64)
            .is_some_and(|end| end <= self.len());
        if fits {
            // SAFETY: as in `write`; the frames are plain RAM, readable at any time.
            unsafe {
                core::ptr::copy_nonoverlapping(
                    (self.pa + offset) as *const u8,
                    buf.as_mut_ptr(),
                    buf.len(),
                );
            }
        }
        fits
    }

    /// The aligned 64-bit word at `offset`, for read-modify-writes that race with guest
    /// CPUs (event-channel bitmaps in shared_info and vcpu_info).
    pub fn atomic_u64(&self, offset: u64) -> Option<&core::sync::atomic::AtomicU64> {
        if !offset.is_multiple_of(8) || offset.checked_add(8)? > self.len() {
            return None;
        }
        // SAFETY: the word lies inside frames this value owns (type invariant), is 8-byte
        // aligned, and lives as long as `self`. Other CPUs (guest vCPUs) only ever touch it
        // as memory, so atomic accesses through this reference are sound.
        Some(unsafe { core::sync::atomic::AtomicU64::from_ptr((self.pa + offset) as *mut u64) })
    }

    /// The byte at `offset`, atomically (see [`OwnedFrames::atomic_u64`]).
    pub fn atomic_u8(&self, offset: u64) -> Option<&core::sync::atomic::AtomicU8> {
        if offset >= self.len() {
            return None;
        }
        // SAFETY: as in `atomic_u64`; a byte needs no alignment.
        Some(unsafe { core::sync::atomic::AtomicU8::from_ptr((self.pa + offset) as *mut u8) })
    }
}

impl Drop for OwnedFrames {
    fn drop(&mut self) {
        zero(self.pa, self.count);
        // A failure here would mean the allocator's books disagree with ours: keep the frames
        // out of circulation rather than risk handing them out twice.
        let _ = free(self.pa, self.count);
    }
}
