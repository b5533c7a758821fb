//! The machine's physical memory map: one sorted, non-overlapping, coalesced list of regions,
//! merged from every source the loader offers (E820 from multiboot1/2 and PVH, EFI memory
//! descriptors from multiboot2 tag 17, and later the device tree's `/memory`).
//!
//! Mirrors Xen's `xen/arch/x86/e820.c` (`sanitize_e820_map`, `print_e820_memory_map`) and
//! `xen/arch/x86/include/asm/e820.h` for the E820 numbering; the EFI types follow the UEFI
//! specification (section 7.2, `EFI_MEMORY_TYPE`) as Xen's `xen/common/efi/boot.c` reads them.
//!
//! # Merging rules
//! - Where two entries overlap, the more restrictive kind wins. The order is Xen's (and Linux's)
//!   "larger E820 type wins": `Ram < Reserved < AcpiReclaim < AcpiNvs < Unusable < Persistent`
//!   (see [`RegionKind::rank`]). Anything non-RAM therefore beats RAM.
//! - Adjacent regions of the same kind coalesce; zero-length and inverted entries are dropped.
//! - Addresses are limited to [`PHYS_ADDR_LIMIT`] (2^52, the architectural maximum on x86_64 and
//!   Arm): an entry whose end overflows or lies above it is clipped, one that starts above it is
//!   dropped.
//!
//! Each repair is reported through a [`MapRepair`] callback so that the kernel can print a
//! warning. Nothing here allocates: the map is a fixed-capacity array ([`MAX_REGIONS`]).

use core::fmt;
use core::ops::Range;

/// Most regions the merged map holds (after coalescing).
pub const MAX_REGIONS: usize = 128;

/// Highest physical address (exclusive) a region may reach: 2^52.
pub const PHYS_ADDR_LIMIT: u64 = 1 << 52;

/// What a range of physical memory is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RegionKind {
    /// Usable RAM (E820 type 1).
    Ram,
    /// Reserved by firmware or devices (E820 type 2, and anything unknown).
    Reserved,
    /// ACPI tables, reclaimable once parsed (E820 type 3).
    AcpiReclaim,
    /// ACPI non-volatile storage, preserved across sleep (E820 type 4).
    AcpiNvs,
    /// RAM with errors (E820 type 5) or disabled (type 6).
    Unusable,
    /// Persistent memory (E820 type 7).
    Persistent,
}

impl RegionKind {
    /// How restrictive the kind is; on overlap the higher rank wins. The values are the E820
    /// type numbers, which gives Xen's `sanitize_e820_map` order.
    pub const fn rank(self) -> u8 {
        match self {
            Self::Ram => 1,
            Self::Reserved => 2,
            Self::AcpiReclaim => 3,
            Self::AcpiNvs => 4,
            Self::Unusable => 5,
            Self::Persistent => 7,
        }
    }

    /// The kind of an E820 type number (1..=7); unknown types are reserved.
    pub const fn from_e820(ty: u32) -> Self {
        match ty {
            1 => Self::Ram,
            3 => Self::AcpiReclaim,
            4 => Self::AcpiNvs,
            5 | 6 => Self::Unusable,
            7 => Self::Persistent,
            _ => Self::Reserved,
        }
    }

    /// The kind of an `EFI_MEMORY_TYPE` (0..=15). Loader and boot-services memory counts as RAM:
    /// it is free once boot services have exited. Unknown types (and type 15, unaccepted
    /// memory, which needs acceptance before use) are reserved.
    pub const fn from_efi(ty: u32) -> Self {
        match ty {
            // LoaderCode, LoaderData, BootServicesCode, BootServicesData, ConventionalMemory.
            1..=4 | 7 => Self::Ram,
            8 => Self::Unusable,
            9 => Self::AcpiReclaim,
            10 => Self::AcpiNvs,
            14 => Self::Persistent,
            // 0 Reserved, 5/6 RuntimeServices, 11 MMIO, 12 MMIOPortSpace, 13 PalCode, 15+.
            _ => Self::Reserved,
        }
    }

    /// Xen's name for the kind in its boot-time memory map dump.
    pub const fn xen_name(self) -> &'static str {
        match self {
            Self::Ram => "usable",
            Self::Reserved => "reserved",
            Self::AcpiReclaim => "ACPI data",
            Self::AcpiNvs => "ACPI NVS",
            Self::Unusable => "unusable",
            Self::Persistent => "persistent",
        }
    }
}

/// One range of the map: `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
    /// What the range is.
    pub kind: RegionKind,
}

impl Region {
    const EMPTY: Self = Self {
        start: 0,
        end: 0,
        kind: RegionKind::Reserved,
    };

    /// Length in bytes.
    pub const fn len(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }

    /// Whether the region covers no byte.
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// One line of Xen's memory map dump: ` [0000000000000000, 000000000009fbff] (usable)`, with an
/// inclusive end.
impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = self.end.saturating_sub(1);
        write!(
            f,
            " [{:016x}, {:016x}] ({})",
            self.start,
            last,
            self.kind.xen_name()
        )
    }
}

/// A repair made while adding an entry to the map; the kernel prints these as warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapRepair {
    /// The entry covered no byte (zero length or end before start) and was dropped.
    Empty { start: u64, end: u64 },
    /// `start + length` overflowed 64 bits; the entry was clipped (a `Clipped` or `AboveLimit`
    /// repair follows).
    Overflow { start: u64, len: u64 },
    /// The entry reached above [`PHYS_ADDR_LIMIT`] and was clipped to it.
    Clipped { start: u64, end: u64 },
    /// The entry started at or above [`PHYS_ADDR_LIMIT`] and was dropped.
    AboveLimit { start: u64, end: u64 },
    /// The map was full ([`MAX_REGIONS`]); the entry was dropped and the map left unchanged.
    Full {
        start: u64,
        end: u64,
        kind: RegionKind,
    },
}

impl fmt::Display for MapRepair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Empty { start, end } => {
                write!(f, "memory map: dropped empty entry [{start:#x}, {end:#x})")
            }
            Self::Overflow { start, len } => write!(
                f,
                "memory map: entry at {start:#x} with length {len:#x} overflows; clipped to 2^52"
            ),
            Self::Clipped { start, end } => {
                write!(
                    f,
                    "memory map: entry [{start:#x}, {end:#x}) clipped to 2^52"
                )
            }
            Self::AboveLimit { start, end } => {
                write!(
                    f,
                    "memory map: dropped entry [{start:#x}, {end:#x}) above 2^52"
                )
            }
            Self::Full { start, end, kind } => write!(
                f,
                "memory map: full, dropped [{start:#x}, {end:#x}) ({})",
                kind.xen_name()
            ),
        }
    }
}

/// Byte totals of a map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemTotals {
    /// Bytes of [`RegionKind::Ram`].
    pub ram: u64,
    /// Bytes of every other kind.
    pub reserved: u64,
}

/// The merged memory map.
///
/// # Invariants
/// `regions[..len]` is sorted by `start`, non-empty, non-overlapping, below
/// [`PHYS_ADDR_LIMIT`], and no two adjacent regions touch with the same kind.
#[derive(Clone, Debug)]
pub struct MemoryMap {
    regions: [Region; MAX_REGIONS],
    len: usize,
}

impl Default for MemoryMap {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryMap {
    /// An empty map.
    pub const fn new() -> Self {
        Self {
            regions: [Region::EMPTY; MAX_REGIONS],
            len: 0,
        }
    }

    /// Forgets every region.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// The regions, sorted by address.
    pub fn regions(&self) -> &[Region] {
        self.regions.get(..self.len).unwrap_or(&[])
    }

    /// Iterates over the regions in address order.
    pub fn iter(&self) -> core::slice::Iter<'_, Region> {
        self.regions().iter()
    }

    /// Number of regions.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the map has no region.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds an entry given as base and length (the E820, PVH and EFI form), repairing overflow.
    pub fn add_base_len(
        &mut self,
        base: u64,
        len: u64,
        kind: RegionKind,
        diag: &mut dyn FnMut(MapRepair),
    ) {
        let end = match base.checked_add(len) {
            Some(end) => end,
            None => {
                diag(MapRepair::Overflow { start: base, len });
                u64::MAX
            }
        };
        self.add(base, end, kind, diag);
    }

    /// Adds an entry as E820 does: type numbers as in [`RegionKind::from_e820`].
    pub fn add_e820(&mut self, base: u64, len: u64, ty: u32, diag: &mut dyn FnMut(MapRepair)) {
        self.add_base_len(base, len, RegionKind::from_e820(ty), diag);
    }

    /// Adds an `EFI_MEMORY_DESCRIPTOR` (type, physical start, number of 4 KiB pages), as
    /// multiboot2 tag 17 or `GetMemoryMap` give it; an impossible page count is reported as an
    /// overflow and clipped.
    pub fn add_efi(&mut self, ty: u32, start: u64, pages: u64, diag: &mut dyn FnMut(MapRepair)) {
        const EFI_PAGE: u64 = 4096;
        let kind = RegionKind::from_efi(ty);
        self.add_base_len(start, pages.saturating_mul(EFI_PAGE), kind, diag);
    }

    /// Adds `[start, end)` of `kind`, merging by the rules in the module documentation.
    pub fn add(&mut self, start: u64, end: u64, kind: RegionKind, diag: &mut dyn FnMut(MapRepair)) {
        if start >= PHYS_ADDR_LIMIT {
            diag(MapRepair::AboveLimit { start, end });
            return;
        }
        if end <= start {
            diag(MapRepair::Empty { start, end });
            return;
        }
        let end = if end > PHYS_ADDR_LIMIT {
            diag(MapRepair::Clipped { start, end });
            PHYS_ADDR_LIMIT
        } else {
            end
        };
        let mut out = Self::new();
        if self.merge_into(&mut out, start, end, kind).is_err() {
            diag(MapRepair::Full { start, end, kind });
            return;
        }
        *self = out;
    }

    /// Writes this map plus `[start, end)` into `out`, in order; fails when `out` fills up.
    fn merge_into(&self, out: &mut Self, start: u64, end: u64, kind: RegionKind) -> Result<(), ()> {
        // `cursor` is the first byte of the new entry not yet written.
        let mut cursor = start;
        for r in self.iter() {
            if r.end <= start || r.start >= end {
                if r.start >= end && cursor < end {
                    out.push(cursor, end, kind)?;
                    cursor = end;
                }
                out.push(r.start, r.end, r.kind)?;
                continue;
            }
            out.push(r.start, start, r.kind)?;
            out.push(cursor, r.start, kind)?;
            let winner = if r.kind.rank() >= kind.rank() {
                r.kind
            } else {
                kind
            };
            let overlap_end = r.end.min(end);
            out.push(r.start.max(start), overlap_end, winner)?;
            cursor = overlap_end;
            out.push(end, r.end, r.kind)?;
        }
        out.push(cursor, end, kind)
    }

    /// Appends `[start, end)` (at or after the last region), coalescing; skips empty ranges.
    fn push(&mut self, start: u64, end: u64, kind: RegionKind) -> Result<(), ()> {
        if end <= start {
            return Ok(());
        }
        if let Some(last) = self
            .len
            .checked_sub(1)
            .and_then(|i| self.regions.get_mut(i))
            && last.end == start
            && last.kind == kind
        {
            last.end = end;
            return Ok(());
        }
        let slot = self.regions.get_mut(self.len).ok_or(())?;
        *slot = Region { start, end, kind };
        self.len += 1;
        Ok(())
    }

    /// Bytes of RAM and of everything else.
    pub fn totals(&self) -> MemTotals {
        let mut totals = MemTotals::default();
        for r in self.iter() {
            if r.kind == RegionKind::Ram {
                totals.ram += r.len();
            } else {
                totals.reserved += r.len();
            }
        }
        totals
    }

    /// The kind of the region holding `addr`, if any.
    pub fn kind_at(&self, addr: u64) -> Option<RegionKind> {
        self.iter()
            .find(|r| r.start <= addr && addr < r.end)
            .map(|r| r.kind)
    }

    /// Whether every byte of `range` (non-empty) is RAM. Adjacent RAM regions coalesce, so the
    /// range must lie inside one region.
    pub fn is_ram(&self, range: Range<u64>) -> bool {
        range.start < range.end
            && self
                .iter()
                .any(|r| r.kind == RegionKind::Ram && r.start <= range.start && range.end <= r.end)
    }

    /// The RAM of the map minus every range in `excluded` (in any order, may overlap), as
    /// ascending byte ranges; this is what a frame allocator may hand out.
    pub fn ram_ranges_excluding<'a>(&'a self, excluded: &'a [Range<u64>]) -> RamRanges<'a> {
        RamRanges {
            regions: self.regions(),
            excluded,
            index: 0,
            cursor: 0,
        }
    }
}

/// Xen's boot-time dump of the map, one [`Region`] per line.
impl fmt::Display for MemoryMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in self.iter() {
            writeln!(f, "{r}")?;
        }
        Ok(())
    }
}

/// Iterator returned by [`MemoryMap::ram_ranges_excluding`].
#[derive(Clone, Debug)]
pub struct RamRanges<'a> {
    regions: &'a [Region],
    excluded: &'a [Range<u64>],
    index: usize,
    cursor: u64,
}

impl Iterator for RamRanges<'_> {
    type Item = Range<u64>;

    fn next(&mut self) -> Option<Range<u64>> {
        loop {
            let region = *self.regions.get(self.index)?;
            if region.kind != RegionKind::Ram {
                self.index += 1;
                continue;
            }
            let mut at = self.cursor.max(region.start);
            // Skip past every excluded range that covers `at` (they may chain).
            while let Some(ex) = self
                .excluded
                .iter()
                .find(|ex| ex.start <= at && at < ex.end)
            {
                at = ex.end;
            }
            if at >= region.end {
                self.index += 1;
                continue;
            }
            let stop = self
                .excluded
                .iter()
                .filter(|ex| ex.start > at && ex.start < ex.end)
                .map(|ex| ex.start)
                .fold(region.end, u64::min);
            self.cursor = stop;
            return Some(at..stop);
        }
    }
}

#[cfg(test)]
mod tests;
