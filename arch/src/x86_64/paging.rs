//! x86_64 4-level page tables: a builder over any physical memory (host-tested on a fake
//! memory), used for Ferrite's own address space.
//!
//! Ferrite maps physical memory 1:1. The image is mapped W^X with 4 KiB pages (text RX,
//! rodata R, data RW+NX), everything else RW+NX with the largest pages that fit, and guard
//! pages under stacks are left unmapped so an overflow faults instead of corrupting memory.

use bitflags::bitflags;

bitflags! {
    /// Page-table entry bits (Intel SDM vol. 3 §4.5).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Pte: u64 {
        const PRESENT = 1 << 0;
        const WRITABLE = 1 << 1;
        const USER = 1 << 2;
        const PWT = 1 << 3;
        const PCD = 1 << 4;
        const ACCESSED = 1 << 5;
        const DIRTY = 1 << 6;
        const HUGE = 1 << 7;
        const GLOBAL = 1 << 8;
        const NO_EXECUTE = 1 << 63;
    }
}

/// The physical-address bits of an entry.
pub const ADDR_MASK: u64 = 0x000f_ffff_ffff_f000;
pub const PAGE_4K: u64 = 1 << 12;
pub const PAGE_2M: u64 = 1 << 21;
pub const PAGE_1G: u64 = 1 << 30;

pub use crate::mm::table::TableMemory;

/// How a range is mapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Perms {
    pub write: bool,
    pub exec: bool,
    pub uncached: bool,
}

impl Perms {
    pub const RX: Perms = Perms {
        write: false,
        exec: true,
        uncached: false,
    };
    pub const R: Perms = Perms {
        write: false,
        exec: false,
        uncached: false,
    };
    pub const RW: Perms = Perms {
        write: true,
        exec: false,
        uncached: false,
    };
    /// Guest RAM in a nested table: the guest's own page tables decide what it may do.
    pub const RWX: Perms = Perms {
        write: true,
        exec: true,
        uncached: false,
    };
    pub const MMIO: Perms = Perms {
        write: true,
        exec: false,
        uncached: true,
    };

    fn leaf_bits(self, nx_supported: bool) -> Pte {
        let mut f = Pte::PRESENT | Pte::ACCESSED;
        if self.write {
            f |= Pte::WRITABLE | Pte::DIRTY;
        }
        if !self.exec && nx_supported {
            f |= Pte::NO_EXECUTE;
        }
        if self.uncached {
            f |= Pte::PCD | Pte::PWT;
        }
        f
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapError {
    OutOfMemory,
    Unaligned,
    /// The range wraps or lies above the 48-bit address space.
    BadRange,
}

/// A 4-level page table rooted at `root`.
pub struct PageTable {
    pub root: u64,
    pub nx: bool,
    pub huge_1g: bool,
    /// Set the U bit on every entry: AMD nested page tables treat guest accesses as user
    /// accesses (APM vol. 2 §15.25.5), so an NPT without U faults on everything.
    pub user: bool,
}

const LEVEL_SHIFT: [u32; 4] = [39, 30, 21, 12];

impl PageTable {
    /// Allocates an empty root.
    pub fn new(mem: &mut impl TableMemory, nx: bool, huge_1g: bool) -> Result<PageTable, MapError> {
        let root = mem.alloc_table().ok_or(MapError::OutOfMemory)?;
        Ok(PageTable {
            root,
            nx,
            huge_1g,
            user: false,
        })
    }

    /// An empty nested (NPT) table: every entry has the U bit.
    pub fn new_nested(mem: &mut impl TableMemory, huge_1g: bool) -> Result<PageTable, MapError> {
        let mut pt = PageTable::new(mem, true, huge_1g)?;
        pt.user = true;
        Ok(pt)
    }

    /// Maps `[virt, virt+len)` to `[phys, ...)` with `perms`, using 1 GiB and 2 MiB pages where
    /// both addresses are aligned and the range covers them. Existing mappings are replaced.
    pub fn map(
        &self,
        mem: &mut impl TableMemory,
        virt: u64,
        phys: u64,
        len: u64,
        perms: Perms,
    ) -> Result<(), MapError> {
        if !virt.is_multiple_of(PAGE_4K)
            || !phys.is_multiple_of(PAGE_4K)
            || !len.is_multiple_of(PAGE_4K)
        {
            return Err(MapError::Unaligned);
        }
        let end = virt.checked_add(len).ok_or(MapError::BadRange)?;
        if end > (1 << 47) || phys.checked_add(len).is_none_or(|e| e > (1 << 52)) {
            return Err(MapError::BadRange);
        }
        let mut leaf = perms.leaf_bits(self.nx);
        if self.user {
            leaf |= Pte::USER;
        }
        let mut off = 0;
        while off < len {
            let (v, p, left) = (virt + off, phys + off, len - off);
            let size = if self.huge_1g && (v | p).is_multiple_of(PAGE_1G) && left >= PAGE_1G {
                PAGE_1G
            } else if (v | p).is_multiple_of(PAGE_2M) && left >= PAGE_2M {
                PAGE_2M
            } else {
                PAGE_4K
            };
            self.set(mem, v, p, size, leaf)?;
            off += size;
        }
        Ok(())
    }

    /// Removes the 4 KiB page at `virt` (splitting a large page around it if needed).
    pub fn unmap_4k(&self, mem: &mut impl TableMemory, virt: u64) -> Result<(), MapError> {
        let table = self.walk_to(mem, virt, 3)?;
        mem.write_entry(table, index(virt, 3), 0);
        Ok(())
    }

    /// The physical address and leaf bits `virt` maps to, if any.
    pub fn translate(&self, mem: &impl TableMemory, virt: u64) -> Option<(u64, Pte)> {
        let mut table = self.root;
        for (level, shift) in LEVEL_SHIFT.iter().enumerate() {
            let e = mem.read_entry(table, index(virt, level));
            let flags = Pte::from_bits_retain(e);
            if !flags.contains(Pte::PRESENT) {
                return None;
            }
            if level == 3 || (level > 0 && flags.contains(Pte::HUGE)) {
                let size = 1u64 << shift;
                return Some(((e & ADDR_MASK & !(size - 1)) | (virt & (size - 1)), flags));
            }
            table = e & ADDR_MASK;
        }
        None
    }

    fn set(
        &self,
        mem: &mut impl TableMemory,
        v: u64,
        p: u64,
        size: u64,
        leaf: Pte,
    ) -> Result<(), MapError> {
        let level = match size {
            PAGE_1G => 1,
            PAGE_2M => 2,
            _ => 3,
        };
        let table = self.walk_to(mem, v, level)?;
        let bits = if level < 3 { leaf | Pte::HUGE } else { leaf };
        mem.write_entry(table, index(v, level), p | bits.bits());
        Ok(())
    }

    /// The table at `level` (0 = PML4) that holds `virt`'s entry, creating tables and
    /// splitting large pages on the way.
    fn walk_to(
        &self,
        mem: &mut impl TableMemory,
        virt: u64,
        level: usize,
    ) -> Result<u64, MapError> {
        let mut table = self.root;
        for l in 0..level {
            let i = index(virt, l);
            let e = mem.read_entry(table, i);
            let flags = Pte::from_bits_retain(e);
            let next = if !flags.contains(Pte::PRESENT) {
                let t = mem.alloc_table().ok_or(MapError::OutOfMemory)?;
                mem.write_entry(table, i, t | self.table_bits().bits());
                t
            } else if flags.contains(Pte::HUGE) {
                // Split: a table of the next level's pages with the same bits.
                let t = mem.alloc_table().ok_or(MapError::OutOfMemory)?;
                let child = 1u64 << LEVEL_SHIFT[l + 1];
                let base = e & ADDR_MASK & !((1u64 << LEVEL_SHIFT[l]) - 1);
                let keep = flags & !Pte::HUGE;
                for k in 0..512u64 {
                    let bits = if l + 1 < 3 { keep | Pte::HUGE } else { keep };
                    mem.write_entry(t, k as usize, (base + k * child) | bits.bits());
                }
                mem.write_entry(table, i, t | self.table_bits().bits());
                t
            } else {
                e & ADDR_MASK
            };
            table = next;
        }
        Ok(table)
    }
}

impl PageTable {
    /// Bits of an entry that points at a lower table: permissions are decided at the leaf.
    fn table_bits(&self) -> Pte {
        let b = Pte::PRESENT | Pte::WRITABLE | Pte::ACCESSED;
        if self.user { b | Pte::USER } else { b }
    }
}

fn index(virt: u64, level: usize) -> usize {
    ((virt >> LEVEL_SHIFT[level]) & 0x1ff) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    type FakeMem = crate::mm::table::FakeTables;

    #[test]
    fn identity_map_uses_large_pages_and_translates() {
        let mut m = FakeMem::new(64);
        let pt = PageTable::new(&mut m, true, true).unwrap();
        pt.map(&mut m, 0, 0, 4 * PAGE_1G, Perms::RW).unwrap();
        // 1 root + 1 PDPT: four 1 GiB pages.
        assert_eq!(m.tables.len(), 2);
        let (p, f) = pt.translate(&m, 0x1234_5678).unwrap();
        assert_eq!(p, 0x1234_5678);
        assert!(f.contains(Pte::WRITABLE | Pte::NO_EXECUTE | Pte::HUGE));
        assert!(pt.translate(&m, 5 * PAGE_1G).is_none());
    }

    #[test]
    fn wx_and_guard_pages() {
        let mut m = FakeMem::new(64);
        let pt = PageTable::new(&mut m, true, false).unwrap();
        pt.map(&mut m, 0, 0, 8 * PAGE_2M, Perms::RW).unwrap();
        // Remap the image's text RX inside a 2 MiB page: splits it.
        pt.map(&mut m, 0x20_0000, 0x20_0000, 0x3000, Perms::RX)
            .unwrap();
        let (_, f) = pt.translate(&m, 0x20_1000).unwrap();
        assert!(!f.contains(Pte::WRITABLE) && !f.contains(Pte::NO_EXECUTE));
        let (_, f) = pt.translate(&m, 0x20_3000).unwrap();
        assert!(f.contains(Pte::WRITABLE | Pte::NO_EXECUTE));
        // A guard page disappears; its neighbours stay.
        pt.unmap_4k(&mut m, 0x40_5000).unwrap();
        assert!(pt.translate(&m, 0x40_5000).is_none());
        assert_eq!(pt.translate(&m, 0x40_4fff).unwrap().0, 0x40_4fff);
        assert_eq!(pt.translate(&m, 0x40_6000).unwrap().0, 0x40_6000);
        // No page is both writable and executable anywhere.
        for a in (0..8 * PAGE_2M).step_by(PAGE_4K as usize) {
            if let Some((_, f)) = pt.translate(&m, a) {
                assert!(
                    !(f.contains(Pte::WRITABLE) && !f.contains(Pte::NO_EXECUTE)),
                    "W+X at {a:#x}"
                );
            }
        }
    }

    #[test]
    fn nested_tables_have_the_user_bit_everywhere() {
        let mut m = FakeMem::new(64);
        let pt = PageTable::new_nested(&mut m, false).unwrap();
        pt.map(&mut m, 0, 0x4000_0000, PAGE_2M + PAGE_4K, Perms::RW)
            .unwrap();
        for t in m.tables.values() {
            for e in t.iter().filter(|e| **e != 0) {
                assert!(
                    Pte::from_bits_retain(*e).contains(Pte::USER),
                    "entry {e:#x} lacks U"
                );
            }
        }
        assert_eq!(
            pt.translate(&m, PAGE_2M + 5).unwrap().0,
            0x4000_0000 + PAGE_2M + 5
        );
    }

    #[test]
    fn errors_are_values() {
        let mut m = FakeMem::new(2);
        let pt = PageTable::new(&mut m, true, false).unwrap();
        assert_eq!(
            pt.map(&mut m, 1, 0, PAGE_4K, Perms::RW),
            Err(MapError::Unaligned)
        );
        assert_eq!(
            pt.map(&mut m, !0xfff, 0, PAGE_4K * 2, Perms::RW),
            Err(MapError::BadRange)
        );
        // Two tables in all: the root and a PDPT; the page directory cannot be allocated.
        assert_eq!(
            pt.map(&mut m, 0, 0, PAGE_4K, Perms::RW),
            Err(MapError::OutOfMemory)
        );
    }
}
