//! The 2-level event ABI's guest-visible state (Xen's `xen/common/event_2l.c`; layouts from
//! `public/xen.h`: `shared_info.evtchn_pending[]`/`evtchn_mask[]` and each vCPU's
//! `vcpu_info.evtchn_upcall_pending`/`evtchn_upcall_mask`/`evtchn_pending_sel`).
//!
//! The bits live in guest memory and guest vCPUs change them concurrently, so every access is
//! an atomic read-modify-write through [`AtomicBytes`]. The byte layout is computed here once,
//! from `ferrite-abi`'s `SharedInfo`/`VcpuInfo`; an implementation only supplies the memory.

use core::cell::Cell;
use core::mem::{offset_of, size_of};

use alloc::vec;
use alloc::vec::Vec;
use ferrite_abi::xen::{SharedInfo, VcpuInfo, XenUlong};

/// Bits in one `xen_ulong_t` word of the pending and mask arrays.
pub const BITS_PER_WORD: u32 = XenUlong::BITS;
/// Ports of the 2-level ABI: one selector bit per word, one word per selector bit (4096).
pub const NR_PORTS: u32 = BITS_PER_WORD * BITS_PER_WORD;
/// vCPUs whose `vcpu_info` sits in `shared_info` until the guest moves it
/// (`XEN_LEGACY_MAX_VCPUS`: 32 on x86, 1 on Arm).
pub const LEGACY_VCPUS: u32 = ((offset_of!(SharedInfo, evtchn_pending)
    - offset_of!(SharedInfo, vcpu_info))
    / size_of::<VcpuInfo>()) as u32;

const PENDING: usize = offset_of!(SharedInfo, evtchn_pending);
const MASK: usize = offset_of!(SharedInfo, evtchn_mask);
const UPCALL_PENDING: usize = offset_of!(VcpuInfo, evtchn_upcall_pending);
const UPCALL_MASK: usize = offset_of!(VcpuInfo, evtchn_upcall_mask);
const PENDING_SEL: usize = offset_of!(VcpuInfo, evtchn_pending_sel);

/// Atomic access to a piece of guest memory, by byte offset. `u64` offsets are 8-aligned.
/// An offset outside the memory reads as 0 and writes nothing (the layout code never asks).
pub trait AtomicBytes {
    /// Reads the little-endian `u64` at `off`.
    fn load_u64(&self, off: usize) -> u64;
    /// ORs `bits` into the `u64` at `off`; returns the old value.
    fn fetch_or_u64(&self, off: usize, bits: u64) -> u64;
    /// ANDs `bits` into the `u64` at `off`; returns the old value.
    fn fetch_and_u64(&self, off: usize, bits: u64) -> u64;
    /// Reads the byte at `off`.
    fn load_u8(&self, off: usize) -> u8;
    /// ORs `bits` into the byte at `off`; returns the old value.
    fn fetch_or_u8(&self, off: usize, bits: u8) -> u8;
    /// ANDs `bits` into the byte at `off`; returns the old value.
    fn fetch_and_u8(&self, off: usize, bits: u8) -> u8;
}

/// Where a domain's event memory is: the `shared_info` frame and each vCPU's `vcpu_info`.
pub trait EventMemory {
    /// The memory type of both.
    type Bytes: AtomicBytes + ?Sized;
    /// The `shared_info` frame.
    fn shared_info(&self) -> &Self::Bytes;
    /// `vcpu`'s `vcpu_info`: the memory holding it and the struct's offset there. `None` when
    /// the vCPU has none (beyond [`LEGACY_VCPUS`] and not registered): its events stay pending
    /// in `shared_info` but its upcall is never raised.
    fn vcpu_info(&self, vcpu: u32) -> Option<(&Self::Bytes, usize)>;
}

/// The default place of `vcpu`'s `vcpu_info`: in `shared_info`, for the first
/// [`LEGACY_VCPUS`] vCPUs.
pub fn legacy_vcpu_info_offset(vcpu: u32) -> Option<usize> {
    (vcpu < LEGACY_VCPUS)
        .then(|| offset_of!(SharedInfo, vcpu_info) + vcpu as usize * size_of::<VcpuInfo>())
}

/// The 2-level state as [`crate::event::Channels`] uses it: each method is one atomic step of
/// Xen's `evtchn_2l_*` sequences. Ports are below [`NR_PORTS`]; others read as
/// not-pending/masked and are left alone.
pub trait Bitmaps {
    /// Sets `port`'s pending bit; true if it was already set.
    fn test_and_set_pending(&self, port: u32) -> bool;
    /// Clears `port`'s pending bit.
    fn clear_pending(&self, port: u32);
    /// Whether `port` is pending.
    fn is_pending(&self, port: u32) -> bool;
    /// Whether `port` is masked.
    fn is_masked(&self, port: u32) -> bool;
    /// Clears `port`'s mask bit; true if it was set.
    fn test_and_clear_mask(&self, port: u32) -> bool;
    /// Sets bit `word` of `vcpu`'s `evtchn_pending_sel`; true if it was already set (or the vCPU
    /// has no `vcpu_info`).
    fn test_and_set_sel(&self, vcpu: u32, word: u32) -> bool;
    /// Sets `vcpu`'s `evtchn_upcall_pending`; true if it was already set (or no `vcpu_info`).
    fn test_and_set_upcall_pending(&self, vcpu: u32) -> bool;
    /// Whether `vcpu` masks upcalls (`evtchn_upcall_mask`, PV only; HVM/PVH ignore it).
    fn upcall_masked(&self, vcpu: u32) -> bool;
}

/// [`Bitmaps`] over any [`EventMemory`], with the real `shared_info`/`vcpu_info` layout.
pub struct TwoLevel<M>(pub M);

/// The byte offset and the bit of `port` in a pending or mask array at `array`.
fn port_bit(array: usize, port: u32) -> Option<(usize, u64)> {
    (port < NR_PORTS).then(|| {
        let word = (port / BITS_PER_WORD) as usize;
        (
            array + word * size_of::<XenUlong>(),
            1 << (port % BITS_PER_WORD),
        )
    })
}

impl<M: EventMemory> TwoLevel<M> {
    fn vcpu_field(&self, vcpu: u32, field: usize) -> Option<(&M::Bytes, usize)> {
        self.0.vcpu_info(vcpu).map(|(mem, at)| (mem, at + field))
    }
}

impl<M: EventMemory> Bitmaps for TwoLevel<M> {
    fn test_and_set_pending(&self, port: u32) -> bool {
        port_bit(PENDING, port)
            .is_none_or(|(off, bit)| self.0.shared_info().fetch_or_u64(off, bit) & bit != 0)
    }
    fn clear_pending(&self, port: u32) {
        if let Some((off, bit)) = port_bit(PENDING, port) {
            self.0.shared_info().fetch_and_u64(off, !bit);
        }
    }
    fn is_pending(&self, port: u32) -> bool {
        port_bit(PENDING, port)
            .is_some_and(|(off, bit)| self.0.shared_info().load_u64(off) & bit != 0)
    }
    fn is_masked(&self, port: u32) -> bool {
        port_bit(MASK, port).is_none_or(|(off, bit)| self.0.shared_info().load_u64(off) & bit != 0)
    }
    fn test_and_clear_mask(&self, port: u32) -> bool {
        port_bit(MASK, port)
            .is_some_and(|(off, bit)| self.0.shared_info().fetch_and_u64(off, !bit) & bit != 0)
    }
    fn test_and_set_sel(&self, vcpu: u32, word: u32) -> bool {
        if word >= BITS_PER_WORD {
            return true;
        }
        let bit = 1u64 << word;
        self.vcpu_field(vcpu, PENDING_SEL)
            .is_none_or(|(mem, off)| mem.fetch_or_u64(off, bit) & bit != 0)
    }
    fn test_and_set_upcall_pending(&self, vcpu: u32) -> bool {
        self.vcpu_field(vcpu, UPCALL_PENDING)
            .is_none_or(|(mem, off)| mem.fetch_or_u8(off, 1) & 1 != 0)
    }
    fn upcall_masked(&self, vcpu: u32) -> bool {
        self.vcpu_field(vcpu, UPCALL_MASK)
            .is_some_and(|(mem, off)| mem.load_u8(off) != 0)
    }
}

/// Xen's `evtchn_2l_set_pending` for `port` notifying `vcpu`: set pending; if it was clear and
/// the port is unmasked and its selector bit was clear, raise the upcall. True when the upcall
/// was newly raised, i.e. the vCPU must be kicked.
pub fn set_pending(bits: &dyn Bitmaps, port: u32, vcpu: u32) -> bool {
    if bits.test_and_set_pending(port) {
        return false;
    }
    !bits.is_masked(port)
        && !bits.test_and_set_sel(vcpu, port / BITS_PER_WORD)
        && !bits.test_and_set_upcall_pending(vcpu)
}

/// Xen's `evtchn_2l_unmask`: clear the mask; if it was set and the port is pending, deliver as
/// [`set_pending`] would have. True when `vcpu` must be kicked.
pub fn unmask(bits: &dyn Bitmaps, port: u32, vcpu: u32) -> bool {
    bits.test_and_clear_mask(port)
        && bits.is_pending(port)
        && !bits.test_and_set_sel(vcpu, port / BITS_PER_WORD)
        && !bits.test_and_set_upcall_pending(vcpu)
}

/// After `VCPUOP_register_vcpu_info` moved `vcpu`'s `vcpu_info` (Xen's `map_guest_area`
/// path): set every selector bit and raise the upcall, so the guest rescans and no event
/// pending before the move is lost. True when the vCPU must be kicked.
pub fn resync_vcpu(bits: &dyn Bitmaps, vcpu: u32) -> bool {
    for word in 0..BITS_PER_WORD {
        bits.test_and_set_sel(vcpu, word);
    }
    !bits.test_and_set_upcall_pending(vcpu)
}

/// Plain memory for host tests and fuzzing (single-threaded: a `Cell` per byte).
pub struct MemBytes(Vec<Cell<u8>>);

impl MemBytes {
    /// `len` zero bytes.
    pub fn new(len: usize) -> MemBytes {
        MemBytes(vec![Cell::new(0); len])
    }
    /// A copy of the bytes.
    pub fn snapshot(&self) -> Vec<u8> {
        self.0.iter().map(Cell::get).collect()
    }
    fn u64_cells(&self, off: usize) -> Option<&[Cell<u8>]> {
        self.0.get(off..off.checked_add(8)?)
    }
    fn update_u64(&self, off: usize, f: impl FnOnce(u64) -> u64) -> u64 {
        let Some(cells) = self.u64_cells(off) else {
            return 0;
        };
        let old = self.load_u64(off);
        for (cell, b) in cells.iter().zip(f(old).to_le_bytes()) {
            cell.set(b);
        }
        old
    }
    fn update_u8(&self, off: usize, f: impl FnOnce(u8) -> u8) -> u8 {
        self.0.get(off).map_or(0, |c| c.replace(f(c.get())))
    }
}

impl AtomicBytes for MemBytes {
    fn load_u64(&self, off: usize) -> u64 {
        self.u64_cells(off).map_or(0, |cells| {
            let mut b = [0u8; 8];
            for (d, c) in b.iter_mut().zip(cells) {
                *d = c.get();
            }
            u64::from_le_bytes(b)
        })
    }
    fn fetch_or_u64(&self, off: usize, bits: u64) -> u64 {
        self.update_u64(off, |v| v | bits)
    }
    fn fetch_and_u64(&self, off: usize, bits: u64) -> u64 {
        self.update_u64(off, |v| v & bits)
    }
    fn load_u8(&self, off: usize) -> u8 {
        self.0.get(off).map_or(0, Cell::get)
    }
    fn fetch_or_u8(&self, off: usize, bits: u8) -> u8 {
        self.update_u8(off, |v| v | bits)
    }
    fn fetch_and_u8(&self, off: usize, bits: u8) -> u8 {
        self.update_u8(off, |v| v & bits)
    }
}

/// A domain's event memory in plain host memory: a 4 KiB `shared_info` page and a second page
/// where [`MemEvents::relocate`] moves a vCPU's `vcpu_info` (as `VCPUOP_register_vcpu_info`).
pub struct MemEvents {
    /// The `shared_info` page.
    pub shared: MemBytes,
    /// Registered `vcpu_info`s: vCPU `n`'s at `64 * n`.
    pub registered: MemBytes,
    relocated: Vec<bool>,
}

/// [`Bitmaps`] over [`MemEvents`].
pub type MemBitmaps = TwoLevel<MemEvents>;

impl MemEvents {
    /// Fresh zeroed pages for `vcpus` vCPUs.
    pub fn new(vcpus: u32) -> MemEvents {
        MemEvents {
            shared: MemBytes::new(4096),
            registered: MemBytes::new(vcpus as usize * size_of::<VcpuInfo>()),
            relocated: vec![false; vcpus as usize],
        }
    }
    /// Moves `vcpu`'s `vcpu_info` to the registered page (no-op for an unknown vCPU).
    pub fn relocate(&mut self, vcpu: u32) {
        if let Some(r) = self.relocated.get_mut(vcpu as usize) {
            *r = true;
        }
    }
}

impl EventMemory for MemEvents {
    type Bytes = MemBytes;
    fn shared_info(&self) -> &MemBytes {
        &self.shared
    }
    fn vcpu_info(&self, vcpu: u32) -> Option<(&MemBytes, usize)> {
        match self.relocated.get(vcpu as usize) {
            Some(true) => Some((&self.registered, vcpu as usize * size_of::<VcpuInfo>())),
            Some(false) => legacy_vcpu_info_offset(vcpu).map(|off| (&self.shared, off)),
            None => None,
        }
    }
}

impl MemBitmaps {
    /// Plain-memory bitmaps for `vcpus` vCPUs.
    pub fn mem(vcpus: u32) -> MemBitmaps {
        TwoLevel(MemEvents::new(vcpus))
    }
    /// The guest masks `port`.
    pub fn guest_mask(&self, port: u32) {
        if let Some((off, bit)) = port_bit(MASK, port) {
            self.0.shared.fetch_or_u64(off, bit);
        }
    }
    /// The guest clears `port`'s pending bit (as its upcall handler does).
    pub fn guest_clear_pending(&self, port: u32) {
        self.clear_pending(port);
    }
    /// The guest's upcall handler: reads and clears `vcpu`'s upcall-pending byte and selector.
    /// Returns (upcall_pending, selector).
    pub fn guest_take_upcall(&self, vcpu: u32) -> (u8, u64) {
        match self.0.vcpu_info(vcpu) {
            Some((mem, at)) => (
                mem.fetch_and_u8(at + UPCALL_PENDING, 0),
                mem.fetch_and_u64(at + PENDING_SEL, 0),
            ),
            None => (0, 0),
        }
    }
    /// `vcpu`'s (upcall_pending, upcall_mask, pending_sel) as the guest reads them.
    pub fn vcpu_state(&self, vcpu: u32) -> Option<(u8, u8, u64)> {
        self.0.vcpu_info(vcpu).map(|(mem, at)| {
            (
                mem.load_u8(at + UPCALL_PENDING),
                mem.load_u8(at + UPCALL_MASK),
                mem.load_u64(at + PENDING_SEL),
            )
        })
    }
    /// The guest sets `vcpu`'s `evtchn_upcall_mask`.
    pub fn guest_mask_upcall(&self, vcpu: u32, masked: bool) {
        if let Some((mem, at)) = self.0.vcpu_info(vcpu) {
            if masked {
                mem.fetch_or_u8(at + UPCALL_MASK, 1);
            } else {
                mem.fetch_and_u8(at + UPCALL_MASK, 0);
            }
        }
    }
    /// Every pending port, ascending.
    pub fn pending_ports(&self) -> Vec<u32> {
        (0..NR_PORTS).filter(|&p| self.is_pending(p)).collect()
    }
}
