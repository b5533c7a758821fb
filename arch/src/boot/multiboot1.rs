//! Reader for the Multiboot 1 information structure (Multiboot Specification 0.6.96, section 3.3
//! "Boot information format"), as Xen reads it in `xen/arch/x86/setup.c` and
//! `xen/include/xen/multiboot.h`.
//!
//! Every field is gated by its `flags` bit. The memory map keeps the specification's quirk: each
//! entry starts with a `size` that does not count itself, so the next entry is `size + 4` bytes
//! on.

use super::info::{
    BootDiag, BootInfo, Framebuffer, Loader, MAX_MODULES, MAX_RAW_MMAP_ENTRIES, Module, find_string,
};
use super::phys::{BootError, PhysRead, offset, read_u8, read_u32, read_u64};
use crate::mm::memmap::RegionKind;

/// `eax` at entry from a Multiboot 1 loader.
pub const BOOTLOADER_MAGIC: u32 = 0x2BAD_B002;

/// `mem_lower`/`mem_upper` are valid.
pub const INFO_MEMORY: u32 = 1 << 0;
/// `boot_device` is valid.
pub const INFO_BOOTDEV: u32 = 1 << 1;
/// `cmdline` is valid.
pub const INFO_CMDLINE: u32 = 1 << 2;
/// `mods_count`/`mods_addr` are valid.
pub const INFO_MODS: u32 = 1 << 3;
/// `mmap_length`/`mmap_addr` are valid.
pub const INFO_MMAP: u32 = 1 << 6;
/// `boot_loader_name` is valid.
pub const INFO_LOADER_NAME: u32 = 1 << 9;
/// The framebuffer fields are valid.
pub const INFO_FRAMEBUFFER: u32 = 1 << 12;

// Field offsets in `struct multiboot_info`.
const MEM_LOWER: u64 = 4;
const MEM_UPPER: u64 = 8;
const CMDLINE: u64 = 16;
const MODS_COUNT: u64 = 20;
const MODS_ADDR: u64 = 24;
const MMAP_LENGTH: u64 = 44;
const MMAP_ADDR: u64 = 48;
const LOADER_NAME: u64 = 64;
const FB_ADDR: u64 = 88;
const FB_PITCH: u64 = 96;
const FB_WIDTH: u64 = 100;
const FB_HEIGHT: u64 = 104;
const FB_BPP: u64 = 108;
const FB_TYPE: u64 = 109;
/// Size of the structure up to the VBE fields, and with the framebuffer fields.
const INFO_LEN: u64 = 88;
const INFO_LEN_FB: u64 = 116;

/// Size of a `multiboot_module` entry.
const MODULE_LEN: u64 = 16;
/// Smallest `size` of an mmap entry: base (8), length (8), type (4).
const MMAP_ENTRY_MIN: u32 = 20;

/// Reads the information structure at `paddr` into `info` (reset first).
pub fn parse(
    mem: &dyn PhysRead,
    paddr: u64,
    info: &mut BootInfo,
    diag: &mut dyn FnMut(BootDiag),
) -> Result<(), BootError> {
    info.reset(Loader::Multiboot1);
    let flags = read_u32(mem, paddr)?;
    let field = |off| offset(paddr, off);
    let len = if flags & INFO_FRAMEBUFFER != 0 {
        INFO_LEN_FB
    } else {
        INFO_LEN
    };
    info.push_boot_range(paddr..field(len)?, diag);

    if flags & INFO_MEMORY != 0 {
        let lower = read_u32(mem, field(MEM_LOWER)?)?;
        let upper = read_u32(mem, field(MEM_UPPER)?)?;
        info.basic_mem_kib = Some((lower, upper));
    }
    if flags & INFO_CMDLINE != 0 {
        let ptr = read_u32(mem, field(CMDLINE)?)?;
        info.cmdline = find_string(mem, ptr.into(), "multiboot1 cmdline", info, diag);
    }
    if flags & INFO_LOADER_NAME != 0 {
        let ptr = read_u32(mem, field(LOADER_NAME)?)?;
        info.loader_name = find_string(mem, ptr.into(), "multiboot1 loader name", info, diag);
    }
    if flags & INFO_MODS != 0 {
        let count = read_u32(mem, field(MODS_COUNT)?)?;
        let addr = read_u32(mem, field(MODS_ADDR)?)?;
        read_modules(mem, count.into(), addr.into(), info, diag);
    }
    if flags & INFO_MMAP != 0 {
        let length = read_u32(mem, field(MMAP_LENGTH)?)?;
        let addr = read_u32(mem, field(MMAP_ADDR)?)?;
        read_mmap(mem, addr.into(), length.into(), info, diag);
    }
    if info.memory_map.is_empty() {
        synthesize_map(info, diag);
    }
    if flags & INFO_FRAMEBUFFER != 0 {
        info.framebuffer = Some(Framebuffer {
            paddr: read_u64(mem, field(FB_ADDR)?)?,
            pitch: read_u32(mem, field(FB_PITCH)?)?,
            width: read_u32(mem, field(FB_WIDTH)?)?,
            height: read_u32(mem, field(FB_HEIGHT)?)?,
            bpp: read_u8(mem, field(FB_BPP)?)?,
            kind: read_u8(mem, field(FB_TYPE)?)?,
        });
    }
    Ok(())
}

fn read_modules(
    mem: &dyn PhysRead,
    count: u64,
    addr: u64,
    info: &mut BootInfo,
    diag: &mut dyn FnMut(BootDiag),
) {
    if count > MAX_MODULES as u64 {
        diag(BootDiag::TooManyModules { count });
    }
    let count = count.min(MAX_MODULES as u64);
    if count > 0 && addr == 0 {
        diag(BootDiag::NullPointer {
            what: "multiboot1 module list",
        });
        return;
    }
    // `addr` is a u32 and `count` at most 16: no overflow.
    info.push_boot_range(addr..addr + count * MODULE_LEN, diag);
    for i in 0..count {
        let entry = addr + i * MODULE_LEN;
        let fields = (
            read_u32(mem, entry),
            read_u32(mem, entry + 4),
            read_u32(mem, entry + 8),
        );
        let (Ok(start), Ok(end), Ok(string)) = fields else {
            diag(BootDiag::Unreadable {
                what: "multiboot1 module list",
                paddr: entry,
            });
            return;
        };
        let cmdline = find_string(mem, string.into(), "multiboot1 module string", info, diag);
        info.push_module(Module {
            start: start.into(),
            end: end.into(),
            cmdline,
        });
    }
}

fn read_mmap(
    mem: &dyn PhysRead,
    addr: u64,
    length: u64,
    info: &mut BootInfo,
    diag: &mut dyn FnMut(BootDiag),
) {
    const WHAT: &str = "multiboot1 mmap";
    if length > 0 && addr == 0 {
        diag(BootDiag::NullPointer { what: WHAT });
        return;
    }
    info.push_boot_range(addr..addr + length, diag);
    let mut off = 0u64;
    let mut entries = 0u64;
    // Each entry needs its 4-byte size plus at least 20 bytes.
    while off + 4 + u64::from(MMAP_ENTRY_MIN) <= length {
        if entries == MAX_RAW_MMAP_ENTRIES {
            diag(BootDiag::TooManyMmapEntries { what: WHAT });
            return;
        }
        entries += 1;
        let entry = addr + off;
        let Ok(size) = read_u32(mem, entry) else {
            diag(BootDiag::Unreadable {
                what: WHAT,
                paddr: entry,
            });
            return;
        };
        if size < MMAP_ENTRY_MIN || off + 4 + u64::from(size) > length {
            diag(BootDiag::BadMmapEntry {
                what: WHAT,
                paddr: entry,
                size,
            });
            return;
        }
        let fields = (
            read_u64(mem, entry + 4),
            read_u64(mem, entry + 12),
            read_u32(mem, entry + 20),
        );
        let (Ok(base), Ok(len), Ok(ty)) = fields else {
            diag(BootDiag::Unreadable {
                what: WHAT,
                paddr: entry,
            });
            return;
        };
        info.memory_map
            .add_e820(base, len, ty, &mut |r| diag(BootDiag::Memmap(r)));
        off += 4 + u64::from(size);
    }
}

/// Without a map, Xen (and Linux) trust `mem_lower` below 640 KiB and `mem_upper` from 1 MiB.
pub(crate) fn synthesize_map(info: &mut BootInfo, diag: &mut dyn FnMut(BootDiag)) {
    let Some((lower_kib, upper_kib)) = info.basic_mem_kib else {
        diag(BootDiag::NoMemoryMap);
        return;
    };
    diag(BootDiag::SynthesizedMemoryMap {
        lower_kib,
        upper_kib,
    });
    let mut repair = |r| diag(BootDiag::Memmap(r));
    let lower = u64::from(lower_kib).min(640) * 1024;
    if lower > 0 {
        info.memory_map.add(0, lower, RegionKind::Ram, &mut repair);
    }
    let upper = u64::from(upper_kib) * 1024;
    if upper > 0 {
        info.memory_map
            .add_base_len(0x10_0000, upper, RegionKind::Ram, &mut repair);
    }
}

#[cfg(test)]
mod tests;
