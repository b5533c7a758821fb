//! The boot-time physical frame allocator: 4 KiB frames, seeded from the RAM of a
//! [`MemoryMap`] minus the ranges the caller must keep (kernel image, boot modules, boot
//! information, the first page, ...).
//!
//! Xen's equivalent is the boot allocator in `xen/common/page_alloc.c` (`init_boot_pages`,
//! `alloc_boot_pages`), which also hands memory out from the top down so that scarce low memory
//! (below 1 MiB for the AP trampoline, below 4 GiB for 32-bit DMA) stays available to the callers
//! that need it ([`FrameAllocator::alloc_below`]).
//!
//! The allocator keeps two fixed-capacity extent lists: the frames it owns, and the frames of
//! those that are free. Freeing checks against both, so a double free or a free of memory it
//! never owned is an error value, never a corruption or a panic.

use core::fmt;
use core::ops::Range;

use super::extent::{ExtentList, ExtentsFull};
use super::memmap::MemoryMap;

/// Size of a frame in bytes.
pub const FRAME_SIZE: u64 = 4096;

/// Most extents each of the allocator's lists holds.
pub const MAX_FREE_EXTENTS: usize = 256;

/// A physical address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PhysAddr(pub u64);

impl PhysAddr {
    /// The address as a number.
    pub const fn as_u64(self) -> u64 {
        self.0
    }
}

/// Why a frame operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// The address is not 4 KiB aligned.
    Unaligned { addr: u64 },
    /// A count of zero frames, or a range that wraps around.
    BadCount { addr: u64, count: u64 },
    /// Part of the range is not memory this allocator owns (non-RAM, reserved, or never seeded).
    OutOfRange { addr: u64, count: u64 },
    /// Part of the range is already free.
    DoubleFree { addr: u64, count: u64 },
    /// The extent list is full; nothing was changed (for `init`: the RAM seeded so far stays).
    ExtentsFull,
}

impl From<ExtentsFull> for FrameError {
    fn from(_: ExtentsFull) -> Self {
        Self::ExtentsFull
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Unaligned { addr } => write!(f, "frame address {addr:#x} is not page aligned"),
            Self::BadCount { addr, count } => {
                write!(f, "bad frame count {count} at {addr:#x}")
            }
            Self::OutOfRange { addr, count } => {
                write!(f, "{count} frames at {addr:#x} are not allocator memory")
            }
            Self::DoubleFree { addr, count } => {
                write!(f, "double free of {count} frames at {addr:#x}")
            }
            Self::ExtentsFull => write!(f, "frame allocator extent list is full"),
        }
    }
}

/// The allocator. `new` is `const`, so it can live in a static before any heap exists.
///
/// # Invariants
/// `free` ⊆ `owned`; frame 0 is never in `owned`.
#[derive(Clone, Debug, Default)]
pub struct FrameAllocator {
    owned: ExtentList<MAX_FREE_EXTENTS>,
    free: ExtentList<MAX_FREE_EXTENTS>,
}

impl FrameAllocator {
    /// An allocator with no memory.
    pub const fn new() -> Self {
        Self {
            owned: ExtentList::new(),
            free: ExtentList::new(),
        }
    }

    /// Forgets everything, then takes every whole frame of the map's RAM that no range of
    /// `reserved` touches. Frame 0 is always kept out (a null physical address is a bug magnet).
    /// On `Err(ExtentsFull)` the RAM seeded so far stays usable.
    pub fn init(&mut self, map: &MemoryMap, reserved: &[Range<u64>]) -> Result<(), FrameError> {
        *self = Self::new();
        for range in map.ram_ranges_excluding(reserved) {
            let first = range.start.div_ceil(FRAME_SIZE).max(1);
            let end = range.end / FRAME_SIZE;
            if first >= end {
                continue;
            }
            self.owned.insert(first..end)?;
            if let Err(full) = self.free.insert(first..end) {
                // Keep `free` ⊆ `owned`: give the range back to nobody.
                let _ = self.owned.remove(first..end);
                return Err(full.into());
            }
        }
        Ok(())
    }

    /// Allocates `count` contiguous frames aligned to `align_frames` frames (a power of two),
    /// from the highest free memory.
    pub fn alloc(&mut self, count: u64, align_frames: u64) -> Option<PhysAddr> {
        self.alloc_below_frame(u64::MAX, count, align_frames)
    }

    /// As [`Self::alloc`], but the whole block lies below the byte address `limit` (for example
    /// `0x10_0000` for the AP trampoline, `1 << 32` for 32-bit DMA).
    pub fn alloc_below(&mut self, limit: u64, count: u64, align_frames: u64) -> Option<PhysAddr> {
        self.alloc_below_frame(limit / FRAME_SIZE, count, align_frames)
    }

    fn alloc_below_frame(&mut self, limit: u64, count: u64, align: u64) -> Option<PhysAddr> {
        if count == 0 || !align.is_power_of_two() {
            return None;
        }
        let mut found = None;
        for &(s, e) in self.free.as_slice().iter().rev() {
            let Some(highest) = e.min(limit).checked_sub(count) else {
                continue;
            };
            let start = highest & !(align - 1);
            if start < s {
                continue;
            }
            let block = start..start + count;
            if self.free.would_split(&block) && self.free.is_full() {
                continue;
            }
            found = Some(block);
            break;
        }
        let block = found?;
        self.free.remove(block.clone()).ok()?;
        Some(PhysAddr(block.start * FRAME_SIZE))
    }

    /// Returns `count` frames at `addr` to the free pool.
    pub fn free(&mut self, addr: PhysAddr, count: u64) -> Result<(), FrameError> {
        let frames = Self::frames(addr, count)?;
        if !self.owned.contains(&frames) {
            return Err(FrameError::OutOfRange {
                addr: addr.0,
                count,
            });
        }
        if self.free.overlaps(&frames) {
            return Err(FrameError::DoubleFree {
                addr: addr.0,
                count,
            });
        }
        self.free.insert(frames)?;
        Ok(())
    }

    /// Takes every frame touching the byte range away from the allocator for good, whether free
    /// or allocated (a later `free` of it fails with `OutOfRange`). Returns how many free frames
    /// it removed. Changes nothing on error.
    pub fn reserve(&mut self, range: Range<u64>) -> Result<u64, FrameError> {
        if range.start >= range.end {
            return Ok(0);
        }
        let frames = range.start / FRAME_SIZE..range.end.div_ceil(FRAME_SIZE);
        let owned_full = self.owned.would_split(&frames) && self.owned.is_full();
        if owned_full || (self.free.would_split(&frames) && self.free.is_full()) {
            return Err(FrameError::ExtentsFull);
        }
        self.owned.remove(frames.clone())?;
        Ok(self.free.remove(frames)?)
    }

    /// Number of free frames.
    pub fn free_frames(&self) -> u64 {
        self.free.total()
    }

    /// Number of frames the allocator owns (free or allocated).
    pub fn total_frames(&self) -> u64 {
        self.owned.total()
    }

    /// The free memory as byte ranges, ascending (for the heap hand-over and for debugging).
    pub fn free_ranges(&self) -> impl Iterator<Item = Range<u64>> + '_ {
        self.free
            .as_slice()
            .iter()
            .map(|&(s, e)| s * FRAME_SIZE..e * FRAME_SIZE)
    }

    fn frames(addr: PhysAddr, count: u64) -> Result<Range<u64>, FrameError> {
        if !addr.0.is_multiple_of(FRAME_SIZE) {
            return Err(FrameError::Unaligned { addr: addr.0 });
        }
        let first = addr.0 / FRAME_SIZE;
        match first.checked_add(count) {
            Some(end) if count > 0 => Ok(first..end),
            _ => Err(FrameError::BadCount {
                addr: addr.0,
                count,
            }),
        }
    }
}

#[cfg(test)]
mod tests;
