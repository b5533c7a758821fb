//! Reader for the Multiboot2 boot information (Multiboot2 Specification 2.0, section 3.6 "Boot
//! information format"), as Xen reads it in `xen/arch/x86/boot/reloc.c` and
//! `xen/arch/x86/efi/efi-boot.h` (`efi_multiboot2`), with the layouts of
//! `xen/include/xen/multiboot2.h`.
//!
//! The information is one contiguous structure: `total_size` (u32), a reserved u32, then tags
//! (`type` u32, `size` u32, payload), each starting 8-byte aligned, ending with a tag of type 0.
//! Structural damage (a tag shorter than its header or running past `total_size`, an impossible
//! `total_size`) is an error; a tag whose payload is too short for its type is reported and
//! skipped; unknown tags are reported and skipped.

use super::info::{
    BootDiag, BootInfo, EfiSystemTable, Framebuffer, Loader, MAX_MODULES, MAX_RAW_MMAP_ENTRIES,
    Module, PhysStr, RSDP_V1_LEN, RSDP_V2_LEN, Rsdp,
};
use super::multiboot1::synthesize_map;
use super::phys::{BootError, PhysRead, read_u8, read_u32, read_u64, scan_c_string};

/// `eax` at entry from a Multiboot2 loader.
pub const BOOTLOADER_MAGIC: u32 = 0x36D7_6289;
/// Largest `total_size` accepted; real ones are a few KiB even with an EFI memory map.
pub const MAX_TOTAL_SIZE: u32 = 1 << 20;

/// Tag types of the boot information.
pub mod tag {
    /// End of the tags.
    pub const END: u32 = 0;
    /// Boot command line.
    pub const CMDLINE: u32 = 1;
    /// Boot loader name.
    pub const LOADER_NAME: u32 = 2;
    /// A boot module.
    pub const MODULE: u32 = 3;
    /// `mem_lower`/`mem_upper` in KiB.
    pub const BASIC_MEMINFO: u32 = 4;
    /// BIOS boot device.
    pub const BOOTDEV: u32 = 5;
    /// E820-style memory map.
    pub const MMAP: u32 = 6;
    /// VBE information.
    pub const VBE: u32 = 7;
    /// Framebuffer information.
    pub const FRAMEBUFFER: u32 = 8;
    /// ELF section headers.
    pub const ELF_SECTIONS: u32 = 9;
    /// APM table.
    pub const APM: u32 = 10;
    /// 32-bit EFI system table pointer.
    pub const EFI32: u32 = 11;
    /// 64-bit EFI system table pointer.
    pub const EFI64: u32 = 12;
    /// SMBIOS tables.
    pub const SMBIOS: u32 = 13;
    /// Copy of an ACPI 1.0 RSDP.
    pub const ACPI_OLD: u32 = 14;
    /// Copy of an ACPI 2.0+ RSDP.
    pub const ACPI_NEW: u32 = 15;
    /// Networking information (DHCP ACK).
    pub const NETWORK: u32 = 16;
    /// EFI memory map.
    pub const EFI_MMAP: u32 = 17;
    /// EFI boot services were not terminated.
    pub const EFI_BS: u32 = 18;
    /// 32-bit EFI image handle.
    pub const EFI32_IH: u32 = 19;
    /// 64-bit EFI image handle.
    pub const EFI64_IH: u32 = 20;
    /// Image load base physical address.
    pub const LOAD_BASE_ADDR: u32 = 21;
}

/// Size of the tag header (`type`, `size`).
const TAG_HEADER: u32 = 8;
/// Smallest E820 entry: base, length, type, reserved.
const MMAP_ENTRY_MIN: u32 = 24;
/// Smallest `EFI_MEMORY_DESCRIPTOR` (version 1).
const EFI_DESC_MIN: u32 = 40;

/// Reads the boot information at `paddr` (8-byte aligned) into `info` (reset first).
pub fn parse(
    mem: &dyn PhysRead,
    paddr: u64,
    info: &mut BootInfo,
    diag: &mut dyn FnMut(BootDiag),
) -> Result<(), BootError> {
    info.reset(Loader::Multiboot2 { efi: false });
    if !paddr.is_multiple_of(8) {
        return Err(BootError::Misaligned {
            what: "multiboot2 information",
            paddr,
        });
    }
    let total = read_u32(mem, paddr)?;
    if !(16..=MAX_TOTAL_SIZE).contains(&total) {
        return Err(BootError::BadSize {
            what: "multiboot2 total_size",
            size: total.into(),
        });
    }
    let end = paddr
        .checked_add(total.into())
        .ok_or(BootError::Unreadable {
            paddr,
            len: total.into(),
        })?;
    // The whole structure must be readable, not just the tags before an early end tag.
    read_u8(mem, end - 1)?;
    info.push_boot_range(paddr..end, diag);

    let mut walk = Walk {
        efi: false,
        modules_seen: 0,
    };
    let mut off = TAG_HEADER;
    let mut saw_end = false;
    while off + TAG_HEADER <= total {
        let at = paddr + u64::from(off);
        let ty = read_u32(mem, at)?;
        let size = read_u32(mem, at + 4)?;
        if size < TAG_HEADER || size > total - off {
            return Err(BootError::BadTag {
                offset: off,
                ty,
                size,
            });
        }
        if ty == tag::END {
            saw_end = true;
            break;
        }
        let t = Tag {
            at,
            offset: off,
            ty,
            size,
        };
        read_tag(mem, t, info, &mut walk, diag)?;
        // `size <= total - off` and `total <= 1 MiB`: no overflow.
        off += size.next_multiple_of(8);
    }
    if !saw_end {
        diag(BootDiag::MissingEndTag);
    }
    if walk.modules_seen > MAX_MODULES as u64 {
        diag(BootDiag::TooManyModules {
            count: walk.modules_seen,
        });
    }
    if info.memory_map.is_empty() {
        synthesize_map(info, diag);
    }
    info.loader = Loader::Multiboot2 { efi: walk.efi };
    Ok(())
}

/// What the walk learns across tags.
struct Walk {
    efi: bool,
    modules_seen: u64,
}

/// One tag: where it is and its header.
#[derive(Clone, Copy)]
struct Tag {
    at: u64,
    offset: u32,
    ty: u32,
    size: u32,
}

impl Tag {
    fn field(self, off: u32) -> u64 {
        self.at + u64::from(off)
    }

    /// The smallest size the tag's type needs.
    fn min_size(self) -> u32 {
        match self.ty {
            tag::MODULE | tag::BASIC_MEMINFO | tag::MMAP | tag::EFI64 | tag::EFI_MMAP => 16,
            tag::EFI64_IH => 16,
            tag::EFI32 | tag::EFI32_IH | tag::LOAD_BASE_ADDR => 12,
            tag::FRAMEBUFFER => 30,
            tag::ACPI_OLD | tag::ACPI_NEW => TAG_HEADER + RSDP_V1_LEN as u32,
            _ => TAG_HEADER,
        }
    }
}

fn read_tag(
    mem: &dyn PhysRead,
    t: Tag,
    info: &mut BootInfo,
    walk: &mut Walk,
    diag: &mut dyn FnMut(BootDiag),
) -> Result<(), BootError> {
    if t.size < t.min_size() {
        diag(BootDiag::BadTag {
            ty: t.ty,
            offset: t.offset,
            size: t.size,
        });
        return Ok(());
    }
    match t.ty {
        tag::CMDLINE => info.cmdline = Some(tag_string(mem, t, TAG_HEADER, "cmdline", diag)?),
        tag::LOADER_NAME => {
            info.loader_name = Some(tag_string(mem, t, TAG_HEADER, "loader name", diag)?);
        }
        tag::MODULE => {
            walk.modules_seen += 1;
            let start = read_u32(mem, t.field(8))?.into();
            let end = read_u32(mem, t.field(12))?.into();
            let cmdline = Some(tag_string(mem, t, 16, "module string", diag)?);
            info.push_module(Module {
                start,
                end,
                cmdline,
            });
        }
        tag::BASIC_MEMINFO => {
            info.basic_mem_kib = Some((read_u32(mem, t.field(8))?, read_u32(mem, t.field(12))?));
        }
        tag::MMAP => read_mmap(mem, t, info, diag)?,
        tag::FRAMEBUFFER => {
            info.framebuffer = Some(Framebuffer {
                paddr: read_u64(mem, t.field(8))?,
                pitch: read_u32(mem, t.field(16))?,
                width: read_u32(mem, t.field(20))?,
                height: read_u32(mem, t.field(24))?,
                bpp: read_u8(mem, t.field(28))?,
                kind: read_u8(mem, t.field(29))?,
            });
        }
        tag::EFI32 | tag::EFI64 => {
            walk.efi = true;
            let is_64bit = t.ty == tag::EFI64;
            let paddr = if is_64bit {
                read_u64(mem, t.field(8))?
            } else {
                read_u32(mem, t.field(8))?.into()
            };
            info.efi_system_table = Some(EfiSystemTable { paddr, is_64bit });
        }
        tag::ACPI_OLD | tag::ACPI_NEW => {
            // A new-style copy wins over an old one, whatever their order.
            let is_new = t.ty == tag::ACPI_NEW;
            let have_new = matches!(
                info.rsdp,
                Some(Rsdp::Copy {
                    len: RSDP_V2_LEN,
                    ..
                })
            );
            if is_new || !have_new {
                let full = is_new && t.size >= TAG_HEADER + RSDP_V2_LEN as u32;
                let len = if full { RSDP_V2_LEN } else { RSDP_V1_LEN };
                let mut bytes = [0u8; RSDP_V2_LEN];
                mem.read(t.field(8), bytes.get_mut(..len).unwrap_or(&mut []))?;
                info.rsdp = Some(Rsdp::Copy {
                    paddr: t.field(8),
                    bytes,
                    len,
                });
            }
        }
        tag::EFI_MMAP => {
            walk.efi = true;
            read_efi_mmap(mem, t, info, diag)?;
        }
        tag::EFI_BS => info.efi_boot_services_active = true,
        tag::EFI32_IH => {
            walk.efi = true;
            info.efi_image_handle = Some(read_u32(mem, t.field(8))?.into());
        }
        tag::EFI64_IH => {
            walk.efi = true;
            info.efi_image_handle = Some(read_u64(mem, t.field(8))?);
        }
        tag::LOAD_BASE_ADDR => info.load_base = Some(read_u32(mem, t.field(8))?.into()),
        tag::BOOTDEV | tag::VBE | tag::ELF_SECTIONS | tag::APM | tag::SMBIOS | tag::NETWORK => {}
        _ => diag(BootDiag::UnknownTag {
            ty: t.ty,
            offset: t.offset,
        }),
    }
    Ok(())
}

/// A NUL-terminated string inside the tag, from `start` to at most the tag's end.
fn tag_string(
    mem: &dyn PhysRead,
    t: Tag,
    start: u32,
    what: &'static str,
    diag: &mut dyn FnMut(BootDiag),
) -> Result<PhysStr, BootError> {
    let paddr = t.field(start);
    let s = scan_c_string(mem, paddr, u64::from(t.size.saturating_sub(start)))?;
    if !s.terminated {
        diag(BootDiag::StringUnterminated { what, paddr });
    }
    Ok(PhysStr { paddr, len: s.len })
}

/// How many entries of `entry_size` bytes follow the 16-byte header of a map tag (capped at
/// [`MAX_RAW_MMAP_ENTRIES`]), or `None` after reporting an impossible entry size.
fn entries(t: Tag, entry_size: u32, min: u32, diag: &mut dyn FnMut(BootDiag)) -> Option<u64> {
    if entry_size < min || !entry_size.is_multiple_of(8) {
        diag(BootDiag::BadTag {
            ty: t.ty,
            offset: t.offset,
            size: t.size,
        });
        return None;
    }
    let count = u64::from((t.size - 16) / entry_size);
    if count > MAX_RAW_MMAP_ENTRIES {
        let what = if t.ty == tag::EFI_MMAP {
            "EFI memory map"
        } else {
            "multiboot2 mmap"
        };
        diag(BootDiag::TooManyMmapEntries { what });
    }
    Some(count.min(MAX_RAW_MMAP_ENTRIES))
}

fn read_mmap(
    mem: &dyn PhysRead,
    t: Tag,
    info: &mut BootInfo,
    diag: &mut dyn FnMut(BootDiag),
) -> Result<(), BootError> {
    let entry_size = read_u32(mem, t.field(8))?;
    let Some(count) = entries(t, entry_size, MMAP_ENTRY_MIN, diag) else {
        return Ok(());
    };
    for i in 0..count {
        let e = t.field(16) + i * u64::from(entry_size);
        let (base, len, ty) = (
            read_u64(mem, e)?,
            read_u64(mem, e + 8)?,
            read_u32(mem, e + 16)?,
        );
        info.memory_map
            .add_e820(base, len, ty, &mut |r| diag(BootDiag::Memmap(r)));
    }
    Ok(())
}

fn read_efi_mmap(
    mem: &dyn PhysRead,
    t: Tag,
    info: &mut BootInfo,
    diag: &mut dyn FnMut(BootDiag),
) -> Result<(), BootError> {
    let desc_size = read_u32(mem, t.field(8))?;
    let Some(count) = entries(t, desc_size, EFI_DESC_MIN, diag) else {
        return Ok(());
    };
    for i in 0..count {
        let d = t.field(16) + i * u64::from(desc_size);
        let (ty, start, pages) = (
            read_u32(mem, d)?,
            read_u64(mem, d + 8)?,
            read_u64(mem, d + 24)?,
        );
        info.memory_map
            .add_efi(ty, start, pages, &mut |r| diag(BootDiag::Memmap(r)));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
