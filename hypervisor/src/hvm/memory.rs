//! A domain's guest-physical memory: its RAM (one contiguous block at guest-physical 0) and
//! the Ferrite-owned shared-info frame, which `XENMAPSPACE_shared_info` places over a guest
//! frame. Copies go where the nested page tables send the guest; atomic words serve the
//! event-channel bitmaps (Xen's `event_2l.c` layout, [`crate::event`]) that guest vCPUs change
//! concurrently.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use core::sync::atomic::Ordering;

use ferrite_abi::Errno;
use ferrite_arch::memory::OwnedFrames;

use crate::event::{AtomicBytes, Bitmaps, EventMemory, TwoLevel, legacy_vcpu_info_offset};
use crate::guest_mem::GuestPhys;

pub struct GuestMemory {
    pub ram: OwnedFrames,
    pub ram_bytes: u64,
    pub shared_info: OwnedFrames,
    /// The guest frame the shared-info page is mapped at.
    pub shared_info_gfn: Option<u64>,
    /// Each vCPU's `vcpu_info` moved into RAM (`VCPUOP_register_vcpu_info`), by
    /// guest-physical address.
    pub vcpu_info: alloc::vec::Vec<Option<u64>>,
    /// Frames of the RAM block the guest gave back (`XENMEM_decrease_reservation`).
    pub absent: BTreeSet<u64>,
    /// Frames populated outside the RAM block (`XENMEM_populate_physmap`), by frame number.
    pub extra: BTreeMap<u64, OwnedFrames>,
    /// Frames the guest gave back, released after every vCPU's TLB is flushed.
    pub retired: Vec<OwnedFrames>,
    /// The most frames the domain may hold.
    pub max_pages: u64,
}

/// Where a guest frame's memory is.
enum Backing {
    SharedInfo,
    Ram,
    Extra,
}

impl GuestMemory {
    /// What backs guest frame `gfn`, if anything.
    fn kind(&self, gfn: u64) -> Option<Backing> {
        if self.shared_info_gfn == Some(gfn) {
            Some(Backing::SharedInfo)
        } else if gfn < self.ram_bytes / 4096 {
            (!self.absent.contains(&gfn)).then_some(Backing::Ram)
        } else {
            self.extra.contains_key(&gfn).then_some(Backing::Extra)
        }
    }

    /// The frames behind `gpa` and the offset in them.
    fn backing(&self, gpa: u64) -> Option<(&OwnedFrames, u64)> {
        match self.kind(gpa >> 12)? {
            Backing::SharedInfo => Some((&self.shared_info, gpa & 0xfff)),
            Backing::Ram => Some((&self.ram, gpa)),
            Backing::Extra => Some((self.extra.get(&(gpa >> 12))?, gpa & 0xfff)),
        }
    }

    /// Frames the domain holds now.
    pub fn pages(&self) -> u64 {
        (self.ram_bytes / 4096).saturating_sub(self.absent.len() as u64) + self.extra.len() as u64
    }

    /// The highest frame number with memory behind it.
    pub fn max_gpfn(&self) -> u64 {
        let ram = (self.ram_bytes / 4096).saturating_sub(1);
        self.extra.keys().next_back().map_or(ram, |&g| g.max(ram))
    }
}

/// Calls `f` for each page-bounded piece of `[gpa, gpa + len)`: its guest-physical address
/// and its range in the caller's buffer. A piece `f` refuses, or an address overflow, is
/// `-EFAULT`.
fn for_each_piece(
    gpa: u64,
    len: usize,
    mut f: impl FnMut(u64, core::ops::Range<usize>) -> bool,
) -> Result<(), Errno> {
    let mut done = 0usize;
    while done < len {
        let at = gpa.checked_add(done as u64).ok_or(Errno::EFAULT)?;
        let n = ((4096 - (at & 0xfff)) as usize).min(len - done);
        if !f(at, done..done + n) {
            return Err(Errno::EFAULT);
        }
        done += n;
    }
    Ok(())
}

impl GuestPhys for GuestMemory {
    fn read_phys(&self, gpa: u64, buf: &mut [u8]) -> Result<(), Errno> {
        for_each_piece(gpa, buf.len(), |at, r| {
            self.backing(at)
                .is_some_and(|(frames, off)| buf.get_mut(r).is_some_and(|b| frames.read(off, b)))
        })
    }

    fn write_phys(&mut self, gpa: u64, bytes: &[u8]) -> Result<(), Errno> {
        // `OwnedFrames::write` needs `&mut`: route each piece by what backs its frame.
        for_each_piece(gpa, bytes.len(), |at, r| {
            let Some(piece) = bytes.get(r) else {
                return false;
            };
            let gfn = at >> 12;
            match self.kind(gfn) {
                Some(Backing::SharedInfo) => self.shared_info.write(at & 0xfff, piece),
                Some(Backing::Ram) => self.ram.write(at, piece),
                Some(Backing::Extra) => self
                    .extra
                    .get_mut(&gfn)
                    .is_some_and(|f| f.write(at & 0xfff, piece)),
                None => false,
            }
        })
    }
}

/// Guest frames as the event code's atomic byte window.
impl AtomicBytes for OwnedFrames {
    fn load_u64(&self, off: usize) -> u64 {
        self.atomic_u64(off as u64)
            .map_or(0, |w| w.load(Ordering::Acquire))
    }
    fn fetch_or_u64(&self, off: usize, bits: u64) -> u64 {
        self.atomic_u64(off as u64)
            .map_or(0, |w| w.fetch_or(bits, Ordering::AcqRel))
    }
    fn fetch_and_u64(&self, off: usize, bits: u64) -> u64 {
        self.atomic_u64(off as u64)
            .map_or(0, |w| w.fetch_and(bits, Ordering::AcqRel))
    }
    fn load_u8(&self, off: usize) -> u8 {
        self.atomic_u8(off as u64)
            .map_or(0, |b| b.load(Ordering::Acquire))
    }
    fn fetch_or_u8(&self, off: usize, bits: u8) -> u8 {
        self.atomic_u8(off as u64)
            .map_or(0, |b| b.fetch_or(bits, Ordering::AcqRel))
    }
    fn fetch_and_u8(&self, off: usize, bits: u8) -> u8 {
        self.atomic_u8(off as u64)
            .map_or(0, |b| b.fetch_and(bits, Ordering::AcqRel))
    }
}

/// Where the event bitmaps are: the shared-info frame, and each vCPU's `vcpu_info` there
/// or where `VCPUOP_register_vcpu_info` moved it in RAM.
struct EventView<'a>(&'a GuestMemory);

impl EventMemory for EventView<'_> {
    type Bytes = OwnedFrames;
    fn shared_info(&self) -> &OwnedFrames {
        &self.0.shared_info
    }
    fn vcpu_info(&self, vcpu: u32) -> Option<(&OwnedFrames, usize)> {
        match self.0.vcpu_info.get(vcpu as usize).copied().flatten() {
            Some(gpa) if matches!(self.0.kind(gpa >> 12), Some(Backing::Ram)) => {
                Some((&self.0.ram, gpa as usize))
            }
            Some(_) => None,
            None => legacy_vcpu_info_offset(vcpu).map(|off| (&self.0.shared_info, off)),
        }
    }
}

impl GuestMemory {
    /// Whether vCPU `vcpu` has an event upcall waiting (`evtchn_upcall_pending`).
    pub fn upcall_pending(&self, vcpu: u32) -> bool {
        EventView(self)
            .vcpu_info(vcpu)
            .is_some_and(|(mem, at)| mem.load_u8(at) != 0)
    }
}

/// The domain's 2-level bitmaps, in its own memory.
impl Bitmaps for GuestMemory {
    fn test_and_set_pending(&self, port: u32) -> bool {
        TwoLevel(EventView(self)).test_and_set_pending(port)
    }
    fn clear_pending(&self, port: u32) {
        TwoLevel(EventView(self)).clear_pending(port);
    }
    fn is_pending(&self, port: u32) -> bool {
        TwoLevel(EventView(self)).is_pending(port)
    }
    fn is_masked(&self, port: u32) -> bool {
        TwoLevel(EventView(self)).is_masked(port)
    }
    fn test_and_clear_mask(&self, port: u32) -> bool {
        TwoLevel(EventView(self)).test_and_clear_mask(port)
    }
    fn test_and_set_sel(&self, vcpu: u32, word: u32) -> bool {
        TwoLevel(EventView(self)).test_and_set_sel(vcpu, word)
    }
    fn test_and_set_upcall_pending(&self, vcpu: u32) -> bool {
        TwoLevel(EventView(self)).test_and_set_upcall_pending(vcpu)
    }
    fn upcall_masked(&self, vcpu: u32) -> bool {
        TwoLevel(EventView(self)).upcall_masked(vcpu)
    }
}
