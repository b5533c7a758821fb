//! Reader for Xen's PVH boot information, `struct hvm_start_info`
//! (`xen/include/public/arch-x86/hvm/start_info.h`, `docs/misc/pvh.pandoc`). This is how QEMU
//! starts Ferrite through the `XEN_ELFNOTE_PHYS32_ENTRY` note, with `ebx` holding the address.
//!
//! Layouts are read at explicit offsets (all little-endian):
//! - `hvm_start_info` (version 0: 40 bytes; version 1: 56): `magic` 0, `version` 4, `flags` 8,
//!   `nr_modules` 12, `modlist_paddr` 16, `cmdline_paddr` 24, `rsdp_paddr` 32, then version 1
//!   adds `memmap_paddr` 40, `memmap_entries` 48, `reserved` 52.
//! - `hvm_modlist_entry` (32 bytes): `paddr` 0, `size` 8, `cmdline_paddr` 16, `reserved` 24.
//! - `hvm_memmap_table_entry` (24 bytes): `addr` 0, `size` 8, `type` 16 (E820 numbering),
//!   `reserved` 20.

use super::info::{
    BootDiag, BootInfo, Loader, MAX_MODULES, MAX_RAW_MMAP_ENTRIES, Module, Rsdp, find_string,
};
use super::phys::{BootError, PhysRead, read_u32, read_u64};

/// `hvm_start_info.magic` (`XEN_HVM_START_MAGIC_VALUE`).
pub const START_INFO_MAGIC: u32 = 0x336e_c578;
/// ELF note type of the 32-bit PVH entry point (`public/elfnote.h`).
pub const XEN_ELFNOTE_PHYS32_ENTRY: u32 = 18;
/// Newest `hvm_start_info` version this reader knows.
pub const KNOWN_VERSION: u32 = 1;

const VERSION: u64 = 4;
const NR_MODULES: u64 = 12;
const MODLIST_PADDR: u64 = 16;
const CMDLINE_PADDR: u64 = 24;
const RSDP_PADDR: u64 = 32;
const MEMMAP_PADDR: u64 = 40;
const MEMMAP_ENTRIES: u64 = 48;
const START_INFO_V0_LEN: u64 = 40;
const START_INFO_V1_LEN: u64 = 56;
const MODLIST_ENTRY_LEN: u64 = 32;
const MEMMAP_ENTRY_LEN: u64 = 24;

/// Reads the `hvm_start_info` at `paddr` into `info` (reset first).
pub fn parse(
    mem: &dyn PhysRead,
    paddr: u64,
    info: &mut BootInfo,
    diag: &mut dyn FnMut(BootDiag),
) -> Result<(), BootError> {
    info.reset(Loader::Pvh);
    let magic = read_u32(mem, paddr)?;
    if magic != START_INFO_MAGIC {
        return Err(BootError::BadMagic {
            expected: START_INFO_MAGIC,
            found: magic,
        });
    }
    let field = |off: u64| {
        paddr.checked_add(off).ok_or(BootError::Unreadable {
            paddr,
            len: START_INFO_V1_LEN,
        })
    };
    let version = read_u32(mem, field(VERSION)?)?;
    if version > KNOWN_VERSION {
        diag(BootDiag::NewerVersion {
            what: "hvm_start_info",
            version,
        });
    }
    let len = if version == 0 {
        START_INFO_V0_LEN
    } else {
        START_INFO_V1_LEN
    };
    info.push_boot_range(paddr..field(len)?, diag);

    let nr_modules = read_u32(mem, field(NR_MODULES)?)?;
    let modlist = read_u64(mem, field(MODLIST_PADDR)?)?;
    let cmdline = read_u64(mem, field(CMDLINE_PADDR)?)?;
    let rsdp = read_u64(mem, field(RSDP_PADDR)?)?;

    info.cmdline = find_string(mem, cmdline, "PVH cmdline", info, diag);
    if rsdp != 0 {
        info.rsdp = Some(Rsdp::Address(rsdp));
    }
    if nr_modules > 0 {
        read_modules(mem, nr_modules.into(), modlist, info, diag);
    }
    if version >= 1 {
        let memmap = read_u64(mem, field(MEMMAP_PADDR)?)?;
        let entries = read_u32(mem, field(MEMMAP_ENTRIES)?)?;
        read_memmap(mem, memmap, entries.into(), info, diag);
    }
    if info.memory_map.is_empty() {
        diag(BootDiag::NoMemoryMap);
    }
    Ok(())
}

/// `[base, base + count * entry_len)`, or `None` when that wraps.
fn table(base: u64, count: u64, entry_len: u64) -> Option<core::ops::Range<u64>> {
    Some(base..base.checked_add(count.checked_mul(entry_len)?)?)
}

fn read_modules(
    mem: &dyn PhysRead,
    count: u64,
    modlist: u64,
    info: &mut BootInfo,
    diag: &mut dyn FnMut(BootDiag),
) {
    const WHAT: &str = "PVH module list";
    if count > MAX_MODULES as u64 {
        diag(BootDiag::TooManyModules { count });
    }
    let count = count.min(MAX_MODULES as u64);
    if modlist == 0 {
        diag(BootDiag::NullPointer { what: WHAT });
        return;
    }
    let Some(range) = table(modlist, count, MODLIST_ENTRY_LEN) else {
        diag(BootDiag::Unreadable {
            what: WHAT,
            paddr: modlist,
        });
        return;
    };
    info.push_boot_range(range.clone(), diag);
    for entry in range.step_by(MODLIST_ENTRY_LEN as usize) {
        let fields = (
            read_u64(mem, entry),
            read_u64(mem, entry + 8),
            read_u64(mem, entry + 16),
        );
        let (Ok(start), Ok(size), Ok(string)) = fields else {
            diag(BootDiag::Unreadable {
                what: WHAT,
                paddr: entry,
            });
            return;
        };
        let cmdline = find_string(mem, string, "PVH module cmdline", info, diag);
        // A size that wraps is kept saturated so that `validate` reports it (not in RAM).
        info.push_module(Module {
            start,
            end: start.saturating_add(size),
            cmdline,
        });
    }
}

fn read_memmap(
    mem: &dyn PhysRead,
    memmap: u64,
    count: u64,
    info: &mut BootInfo,
    diag: &mut dyn FnMut(BootDiag),
) {
    const WHAT: &str = "PVH memory map";
    if count > MAX_RAW_MMAP_ENTRIES {
        diag(BootDiag::TooManyMmapEntries { what: WHAT });
    }
    let count = count.min(MAX_RAW_MMAP_ENTRIES);
    if count > 0 && memmap == 0 {
        diag(BootDiag::NullPointer { what: WHAT });
        return;
    }
    let Some(range) = table(memmap, count, MEMMAP_ENTRY_LEN) else {
        diag(BootDiag::Unreadable {
            what: WHAT,
            paddr: memmap,
        });
        return;
    };
    info.push_boot_range(range.clone(), diag);
    for entry in range.step_by(MEMMAP_ENTRY_LEN as usize) {
        let fields = (
            read_u64(mem, entry),
            read_u64(mem, entry + 8),
            read_u32(mem, entry + 16),
        );
        let (Ok(addr), Ok(size), Ok(ty)) = fields else {
            diag(BootDiag::Unreadable {
                what: WHAT,
                paddr: entry,
            });
            return;
        };
        info.memory_map
            .add_e820(addr, size, ty, &mut |r| diag(BootDiag::Memmap(r)));
    }
}

#[cfg(test)]
mod tests;
