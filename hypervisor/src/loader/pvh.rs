//! The PVH boot information a guest finds at entry (`docs/misc/pvh.pandoc`,
//! `public/arch-x86/hvm/start_info.h`): `hvm_start_info` version 1, its memory map, module
//! list and command lines, laid out in guest memory after the kernel. `ebx` points at it.
//!
//! Placement follows what Linux needs (see shared/research/linux-pvh.md): everything Linux
//! reaches through early `__va()` lies below 1 GiB, and modules below 4 GiB.

use alloc::vec::Vec;

use ferrite_abi::hvm::start_info::{
    HvmMemmapTableEntry, HvmModlistEntry, HvmStartInfo, XEN_HVM_START_MAGIC_VALUE,
};
use zerocopy::IntoBytes;

/// A guest memory-map entry (E820 type numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MapEntry {
    pub addr: u64,
    pub size: u64,
    pub kind: u32,
}

/// One boot module for the guest (its initrd).
pub struct Module<'a> {
    pub bytes: &'a [u8],
    pub cmdline: &'a [u8],
}

/// What the guest gets.
pub struct BootParams<'a> {
    pub ram_bytes: u64,
    /// End of the kernel image in guest-physical memory.
    pub kernel_end: u64,
    pub cmdline: &'a [u8],
    pub modules: &'a [Module<'a>],
    pub rsdp_paddr: u64,
    /// Host ranges mapped 1:1 and reserved in the memory map (ACPI tables).
    pub reserved: &'a [(u64, u64)],
    /// `SIF_*` flags (dom0: SIF_PRIVILEGED | SIF_INITDOMAIN).
    pub flags: u32,
}

/// Bytes to copy into the guest, and where `ebx` must point.
pub struct Layout {
    pub writes: Vec<(u64, Vec<u8>)>,
    pub start_info: u64,
    /// The first free guest-physical byte after everything placed.
    pub end: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayoutError {
    /// The boot information or a module does not fit in the guest's RAM (or below its
    /// placement limit).
    NoRoom { what: &'static str, needed: u64 },
}

impl core::fmt::Display for LayoutError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            LayoutError::NoRoom { what, needed } => {
                write!(f, "no room in the guest for the {what} ({needed} bytes)")
            }
        }
    }
}

const PAGE: u64 = 4096;

fn align_up(v: u64) -> u64 {
    v.div_ceil(PAGE) * PAGE
}

/// The guest's E820-style map: low RAM, the legacy hole, RAM above 1 MiB.
/// The memory map: [`ram_map`] plus `reserved` ranges (host ACPI tables mapped 1:1), in
/// address order.
pub fn memory_map(ram_bytes: u64, reserved: &[(u64, u64)]) -> Vec<MapEntry> {
    let mut m = ram_map(ram_bytes);
    m.extend(reserved.iter().map(|&(s, e)| MapEntry {
        addr: s,
        size: e.saturating_sub(s),
        kind: 2,
    }));
    m.sort_by_key(|e| e.addr);
    m
}

/// RAM below 640 KiB, the legacy hole up to 1 MiB, RAM above it.
fn ram_map(ram_bytes: u64) -> Vec<MapEntry> {
    let mut m = Vec::new();
    m.push(MapEntry {
        addr: 0,
        size: 0xa_0000.min(ram_bytes),
        kind: 1,
    });
    if ram_bytes > 0x10_0000 {
        m.push(MapEntry {
            addr: 0xa_0000,
            size: 0x6_0000,
            kind: 2,
        });
        m.push(MapEntry {
            addr: 0x10_0000,
            size: ram_bytes - 0x10_0000,
            kind: 1,
        });
    }
    m
}

/// Lays out start info, memory map, module list, command lines and modules after the kernel.
pub fn layout(p: &BootParams<'_>) -> Result<Layout, LayoutError> {
    let map = memory_map(p.ram_bytes, p.reserved);
    let info_at = align_up(p.kernel_end);
    let map_at = info_at + core::mem::size_of::<HvmStartInfo>() as u64;
    let mods_at = map_at + (map.len() * core::mem::size_of::<HvmMemmapTableEntry>()) as u64;
    let cmdline_at = mods_at + (p.modules.len() * core::mem::size_of::<HvmModlistEntry>()) as u64;
    let mut strings = Vec::new();
    let mut string_at = |s: &[u8]| -> u64 {
        let at = cmdline_at + strings.len() as u64;
        strings.extend_from_slice(s);
        strings.push(0);
        at
    };
    let cmdline_paddr = string_at(p.cmdline);
    let mod_cmdlines: Vec<u64> = p
        .modules
        .iter()
        .map(|m| {
            if m.cmdline.is_empty() {
                0
            } else {
                string_at(m.cmdline)
            }
        })
        .collect();
    let info_end = cmdline_at + strings.len() as u64;
    if info_end > (1 << 30).min(p.ram_bytes) {
        return Err(LayoutError::NoRoom {
            what: "boot information",
            needed: info_end - info_at,
        });
    }
    let mut writes = Vec::new();
    let mut next = align_up(info_end);
    let mut modlist = Vec::new();
    for (m, cmd) in p.modules.iter().zip(&mod_cmdlines) {
        let at = next;
        let end = at + m.bytes.len() as u64;
        if end > (1 << 32).min(p.ram_bytes) {
            return Err(LayoutError::NoRoom {
                what: "module",
                needed: m.bytes.len() as u64,
            });
        }
        writes.push((at, m.bytes.to_vec()));
        modlist.push(HvmModlistEntry {
            paddr: at,
            size: m.bytes.len() as u64,
            cmdline_paddr: *cmd,
            reserved: 0,
        });
        next = align_up(end);
    }
    let info = HvmStartInfo {
        magic: XEN_HVM_START_MAGIC_VALUE,
        version: 1,
        flags: p.flags,
        nr_modules: p.modules.len() as u32,
        modlist_paddr: if p.modules.is_empty() { 0 } else { mods_at },
        cmdline_paddr,
        rsdp_paddr: p.rsdp_paddr,
        memmap_paddr: map_at,
        memmap_entries: map.len() as u32,
        reserved: 0,
    };
    let mut block = Vec::new();
    block.extend_from_slice(info.as_bytes());
    for e in &map {
        let entry = HvmMemmapTableEntry {
            addr: e.addr,
            size: e.size,
            kind: e.kind,
            reserved: 0,
        };
        block.extend_from_slice(entry.as_bytes());
    }
    for m in &modlist {
        block.extend_from_slice(m.as_bytes());
    }
    block.extend_from_slice(&strings);
    writes.insert(0, (info_at, block));
    Ok(Layout {
        writes,
        start_info: info_at,
        end: next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerocopy::FromBytes;

    #[test]
    fn start_info_v1_with_map_modules_and_cmdlines() {
        let initrd = [7u8; 5000];
        let mods = [Module {
            bytes: &initrd,
            cmdline: b"initrd args",
        }];
        let l = layout(&BootParams {
            ram_bytes: 64 << 20,
            kernel_end: 0x12_3456,
            cmdline: b"console=hvc0",
            modules: &mods,
            rsdp_paddr: 0xe_0000,
            reserved: &[(0x0ffe_0000, 0x1000_0000)],
            flags: 3,
        })
        .unwrap();
        assert_eq!(l.start_info, 0x12_4000);
        let (at, block) = &l.writes[0];
        assert_eq!(*at, l.start_info);
        let info = HvmStartInfo::read_from_prefix(block).unwrap().0;
        assert_eq!(info.magic, 0x336e_c578);
        assert_eq!(info.version, 1);
        assert_eq!(info.flags, 3);
        assert_eq!(info.nr_modules, 1);
        assert_eq!(
            info.memmap_entries, 4,
            "RAM, hole, RAM, the reserved ACPI range"
        );
        assert_eq!(info.rsdp_paddr, 0xe_0000);
        let last = HvmMemmapTableEntry::read_from_prefix(
            &block[(info.memmap_paddr - l.start_info) as usize + 3 * 24..],
        )
        .unwrap()
        .0;
        assert_eq!(
            (last.addr, last.size, last.kind),
            (0x0ffe_0000, 0x2_0000, 2)
        );
        let off = |pa: u64| (pa - l.start_info) as usize;
        let cmd = &block[off(info.cmdline_paddr)..];
        assert!(cmd.starts_with(b"console=hvc0\0"));
        let m = HvmModlistEntry::read_from_prefix(&block[off(info.modlist_paddr)..])
            .unwrap()
            .0;
        assert_eq!(m.size, 5000);
        assert_eq!(m.paddr % 4096, 0);
        assert!(block[off(m.cmdline_paddr)..].starts_with(b"initrd args\0"));
        assert_eq!(l.writes[1].0, m.paddr);
        let e = HvmMemmapTableEntry::read_from_prefix(&block[off(info.memmap_paddr) + 48..])
            .unwrap()
            .0;
        assert_eq!(
            (e.addr, e.size, e.kind),
            (0x10_0000, (64 << 20) - 0x10_0000, 1)
        );
        assert!(l.end >= m.paddr + 5000);
    }

    #[test]
    fn too_small_guest_is_an_error() {
        let big = vec![0u8; 1 << 20];
        let mods = [Module {
            bytes: &big,
            cmdline: b"",
        }];
        let r = layout(&BootParams {
            ram_bytes: 2 << 20,
            kernel_end: 0x18_0000,
            cmdline: b"",
            modules: &mods,
            rsdp_paddr: 0,
            reserved: &[],
            flags: 0,
        });
        assert!(matches!(r, Err(LayoutError::NoRoom { what: "module", .. })));
    }
}
