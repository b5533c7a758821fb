//! EL2 stage-1 translation tables (Arm ARM D8, VMSAv8-64, 4 KiB granule, 48-bit VA, four
//! levels): a builder over any physical memory, host-tested on a fake memory.
//!
//! Ferrite maps memory 1:1 (it relocates itself to wherever it is loaded: boot/entry.S). RAM is Normal write-back, device ranges are Device-nGnRE, every
//! writable or device mapping is execute-never, and the image's text is the only executable
//! (and then read-only) memory. Guard pages under stacks are left unmapped.

/// Descriptor bits (Arm ARM D8.3).
pub mod desc {
    pub const VALID: u64 = 1 << 0;
    /// At levels 0-2: a table (not a block); at level 3: a page.
    pub const TABLE: u64 = 1 << 1;
    pub const fn attr_index(i: u64) -> u64 {
        (i & 7) << 2
    }
    /// AP[1]: RES1 in the EL2 regime (there is no EL0 there).
    pub const AP_EL2_RES1: u64 = 1 << 6;
    /// AP[2]: read-only.
    pub const READ_ONLY: u64 = 1 << 7;
    pub const INNER_SHAREABLE: u64 = 3 << 8;
    pub const ACCESS_FLAG: u64 = 1 << 10;
    /// Execute-never for the EL2 regime.
    pub const XN: u64 = 1 << 54;
    pub const ADDR_MASK: u64 = 0x0000_ffff_ffff_f000;
}

/// MAIR_EL2 slots (as entry.S programs them).
pub const ATTR_DEVICE: u64 = 0;
pub const ATTR_NORMAL: u64 = 1;

pub const PAGE_4K: u64 = 1 << 12;
pub const BLOCK_2M: u64 = 1 << 21;
pub const BLOCK_1G: u64 = 1 << 30;
/// The top of the 48-bit address space the tables cover.
pub const VA_LIMIT: u64 = 1 << 48;

pub use crate::mm::table::TableMemory;

/// What a mapping allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Read-only, executable (text).
    Text,
    /// Read-only data.
    ReadOnly,
    /// Read-write data, never executable.
    ReadWrite,
    /// Device registers: read-write, never executable, Device-nGnRE.
    Device,
}

impl Kind {
    fn bits(self) -> u64 {
        use desc::*;
        let normal = attr_index(ATTR_NORMAL) | INNER_SHAREABLE;
        let base = VALID | ACCESS_FLAG | AP_EL2_RES1;
        base | match self {
            Kind::Text => normal | READ_ONLY,
            Kind::ReadOnly => normal | READ_ONLY | XN,
            Kind::ReadWrite => normal | XN,
            Kind::Device => attr_index(ATTR_DEVICE) | XN,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapError {
    OutOfMemory,
    Unaligned,
    BadRange,
}

/// A four-level table rooted at `root`, mapping addresses to themselves.
pub struct Tables {
    pub root: u64,
}

fn index(addr: u64, level: usize) -> usize {
    ((addr >> (39 - 9 * level as u64)) & 0x1ff) as usize
}

fn level_size(level: usize) -> u64 {
    1 << (39 - 9 * level as u64)
}

/// What mapping a range gives.
pub type Mapped = Result<(), MapError>;

/// Walks `[start, start + len)` (page-aligned, inside the tables' reach) with `step(at, end)`,
/// which maps something at `at` and returns where the next step starts.
fn steps(start: u64, len: u64, mut step: impl FnMut(u64, u64) -> Result<u64, MapError>) -> Mapped {
    if !start.is_multiple_of(PAGE_4K) || !len.is_multiple_of(PAGE_4K) {
        return Err(MapError::Unaligned);
    }
    let end = start
        .checked_add(len)
        .filter(|&end| end <= VA_LIMIT)
        .ok_or(MapError::BadRange)?;
    let mut at = start;
    while at < end {
        at = step(at, end)?;
    }
    Ok(())
}

impl Tables {
    pub fn new(mem: &mut impl TableMemory) -> Result<Tables, MapError> {
        Ok(Tables {
            root: mem.alloc_table().ok_or(MapError::OutOfMemory)?,
        })
    }

    /// Maps `[start, start + len)` 1:1 as `kind`, with 1 GiB and 2 MiB blocks where they fit;
    /// replaces what was there.
    pub fn map(&self, mem: &mut impl TableMemory, start: u64, len: u64, kind: Kind) -> Mapped {
        steps(start, len, |at, end| {
            let left = end - at;
            let level = if at.is_multiple_of(BLOCK_1G) && left >= BLOCK_1G {
                1
            } else if at.is_multiple_of(BLOCK_2M) && left >= BLOCK_2M {
                2
            } else {
                3
            };
            let table = self.walk(mem, at, level)?;
            let kind_bits = if level == 3 { desc::TABLE } else { 0 };
            mem.write_entry(table, index(at, level), at | kind.bits() | kind_bits);
            Ok(at + level_size(level))
        })
    }

    /// Maps the parts of `[start, start + len)` that nothing maps yet 1:1 as `kind`, with the
    /// largest blocks that fit; a valid entry is never changed, so this is safe on the live
    /// tables (no break-before-make) and keeps what is mapped already (the running image).
    pub fn fill(&self, mem: &mut impl TableMemory, start: u64, len: u64, kind: Kind) -> Mapped {
        steps(start, len, |at, end| self.fill_one(mem, at, end, kind))
    }

    /// One step of [`Tables::fill`] at `at`: returns where the next step starts.
    fn fill_one(
        &self,
        mem: &mut impl TableMemory,
        at: u64,
        end: u64,
        kind: Kind,
    ) -> Result<u64, MapError> {
        let mut table = self.root;
        for level in 0..4 {
            let size = level_size(level);
            let i = index(at, level);
            let e = mem.read_entry(table, i);
            if e & desc::VALID != 0 {
                if level == 3 || e & desc::TABLE == 0 {
                    // Mapped already (a page or a block): skip what it covers.
                    return Ok((at & !(size - 1)) + size);
                }
                table = e & desc::ADDR_MASK;
                continue;
            }
            // Level 0 has no blocks with a 4 KiB granule; at level 3 a page always fits.
            if level >= 1 && at.is_multiple_of(size) && end - at >= size {
                let page = if level == 3 { desc::TABLE } else { 0 };
                mem.write_entry(table, i, at | kind.bits() | page);
                return Ok(at + size);
            }
            let t = mem.alloc_table().ok_or(MapError::OutOfMemory)?;
            mem.write_entry(table, i, t | desc::VALID | desc::TABLE);
            table = t;
        }
        Err(MapError::BadRange)
    }

    /// Unmaps the 4 KiB page at `addr` (splitting a block around it).
    pub fn unmap_4k(&self, mem: &mut impl TableMemory, addr: u64) -> Result<(), MapError> {
        let table = self.walk(mem, addr, 3)?;
        mem.write_entry(table, index(addr, 3), 0);
        Ok(())
    }

    /// The descriptor that maps `addr`, if any.
    pub fn lookup(&self, mem: &impl TableMemory, addr: u64) -> Option<u64> {
        let mut table = self.root;
        for level in 0..4 {
            let e = mem.read_entry(table, index(addr, level));
            if e & desc::VALID == 0 {
                return None;
            }
            if level == 3 || e & desc::TABLE == 0 {
                return Some(e);
            }
            table = e & desc::ADDR_MASK;
        }
        None
    }

    /// The table at `level` holding `addr`'s entry, creating tables and splitting blocks.
    fn walk(&self, mem: &mut impl TableMemory, addr: u64, level: usize) -> Result<u64, MapError> {
        let mut table = self.root;
        for l in 0..level {
            let i = index(addr, l);
            let e = mem.read_entry(table, i);
            table = if e & desc::VALID == 0 {
                let t = mem.alloc_table().ok_or(MapError::OutOfMemory)?;
                mem.write_entry(table, i, t | desc::VALID | desc::TABLE);
                t
            } else if e & desc::TABLE == 0 {
                // A block: the same attributes in 512 smaller pieces.
                let t = mem.alloc_table().ok_or(MapError::OutOfMemory)?;
                let child = level_size(l + 1);
                let base = e & desc::ADDR_MASK & !(level_size(l) - 1);
                let attrs = e & !desc::ADDR_MASK;
                let piece = if l + 1 == 3 { desc::TABLE } else { 0 };
                for k in 0..512u64 {
                    mem.write_entry(t, k as usize, (base + k * child) | attrs | piece);
                }
                mem.write_entry(table, i, t | desc::VALID | desc::TABLE);
                t
            } else {
                e & desc::ADDR_MASK
            };
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::mm::table::FakeTables;

    fn fake(limit: usize) -> FakeTables {
        FakeTables::new(limit)
    }

    #[test]
    fn blocks_wx_and_guards() {
        let mut m = fake(64);
        let t = Tables::new(&mut m).unwrap();
        t.map(&mut m, 0x4000_0000, 0x4000_0000, Kind::ReadWrite)
            .unwrap();
        // One 1 GiB block: root + L1 only.
        assert_eq!(m.tables.len(), 2);
        t.map(&mut m, 0x4008_0000, 0x3000, Kind::Text).unwrap();
        t.map(&mut m, 0x900_0000, 0x1000, Kind::Device).unwrap();
        t.unmap_4k(&mut m, 0x4100_0000).unwrap();
        let text = t.lookup(&m, 0x4008_1000).unwrap();
        assert_eq!(text & desc::XN, 0);
        assert_ne!(text & desc::READ_ONLY, 0);
        assert_eq!(text & desc::ADDR_MASK, 0x4008_1000);
        assert!(t.lookup(&m, 0x4100_0000).is_none());
        assert_eq!(
            t.lookup(&m, 0x4100_1000).unwrap() & desc::ADDR_MASK,
            0x4100_1000
        );
        let dev = t.lookup(&m, 0x900_0000).unwrap();
        assert_eq!(dev & (7 << 2), desc::attr_index(ATTR_DEVICE));
        assert!(t.lookup(&m, 0).is_none());
        // Nothing both writable and executable.
        for a in (0x4000_0000u64..0x4200_0000).step_by(PAGE_4K as usize) {
            if let Some(e) = t.lookup(&m, a) {
                assert!(
                    e & desc::XN != 0 || e & desc::READ_ONLY != 0,
                    "W+X at {a:#x}"
                );
            }
        }
    }

    #[test]
    fn fill_keeps_what_is_mapped() {
        let mut m = fake(64);
        let t = Tables::new(&mut m).unwrap();
        // The running image, in pages, inside the RAM that is added around it.
        t.map(&mut m, 0x4208_0000, 0x3000, Kind::Text).unwrap();
        t.fill(&mut m, 0x4000_0000, 0x1_0000_0000, Kind::ReadWrite)
            .unwrap();
        let text = t.lookup(&m, 0x4208_1000).unwrap();
        assert_eq!(text & desc::XN, 0, "the image keeps its mapping");
        // Around it: pages in its 2 MiB, 2 MiB blocks in its 1 GiB, 1 GiB blocks elsewhere.
        for (a, level) in [
            (0x4208_3000u64, 3),
            (0x4200_0000, 3),
            (0x4240_0000, 2),
            (0x4000_0000, 2),
            (0x8000_0000, 1),
            (0x1_3fff_f000, 1),
        ] {
            let e = t.lookup(&m, a).unwrap();
            assert_eq!(
                e & desc::ADDR_MASK & !(level_size(level) - 1),
                a & !(level_size(level) - 1)
            );
            assert_ne!(e & desc::XN, 0, "{a:#x}");
            assert_eq!(e & desc::TABLE != 0, level == 3, "{a:#x}");
        }
        assert!(t.lookup(&m, 0x1_4000_0000).is_none());
        assert!(t.lookup(&m, 0x3fff_f000).is_none());
        // Filling again changes nothing and needs no table.
        let before = m.tables.clone();
        t.fill(&mut m, 0x4000_0000, 0x1_0000_0000, Kind::Device)
            .unwrap();
        assert_eq!(m.tables, before);
        // A device page next to RAM.
        t.fill(&mut m, 0x900_0000, 0x1000, Kind::Device).unwrap();
        let dev = t.lookup(&m, 0x900_0000).unwrap();
        assert_eq!(dev & (7 << 2), desc::attr_index(ATTR_DEVICE));
        assert!(t.lookup(&m, 0x900_1000).is_none());
    }

    #[test]
    fn errors_are_values() {
        type MapFn = fn(&Tables, &mut FakeTables, u64, u64, Kind) -> Mapped;
        let both: [MapFn; 2] = [
            |t, m, s, l, k| t.map(m, s, l, k),
            |t, m, s, l, k| t.fill(m, s, l, k),
        ];
        for f in both {
            let mut m = fake(2);
            let t = Tables::new(&mut m).unwrap();
            let rw = Kind::ReadWrite;
            assert_eq!(f(&t, &mut m, 1, 0x1000, rw), Err(MapError::Unaligned));
            assert_eq!(f(&t, &mut m, 0x1000, 0x800, rw), Err(MapError::Unaligned));
            let top = VA_LIMIT - 0x1000;
            assert_eq!(f(&t, &mut m, top, 0x2000, rw), Err(MapError::BadRange));
            assert_eq!(f(&t, &mut m, 0, 0x1000, rw), Err(MapError::OutOfMemory));
        }
    }
}
