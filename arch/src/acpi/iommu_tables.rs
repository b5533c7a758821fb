//! The IOMMU description tables, detected and summarised for the boot log: Intel's DMAR and AMD's
//! IVRS. The VT-d and AMD-Vi drivers (later) take their units from here.
//!
//! Intel VT-d specification 4.x, chapter 8 (DMAR, DRHD/RMRR/ATSR/RHSA); AMD IOMMU specification
//! 48882 rev 3.x, section 5.2 (IVRS, IVHD types 10h/11h/40h, IVMD). Xen parses them in
//! `xen/drivers/passthrough/vtd/dmar.c` and `xen/drivers/passthrough/amd/iommu_acpi.c`. The `acpi`
//! crate has neither table.

use super::bytes::{u8_at, u16_at, u32_at, u64_at};
use super::sdt::{Diag, HEADER_LEN};
use alloc::string::String;
use alloc::vec::Vec;

/// Most sub-structures walked in either table.
pub const MAX_IOMMU_ENTRIES: usize = 4096;
const DMAR_ENTRIES_OFFSET: usize = HEADER_LEN + 12;
const IVRS_ENTRIES_OFFSET: usize = HEADER_LEN + 12;
const DRHD_LEN: usize = 16;

/// A DMA remapping hardware unit (DRHD).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Drhd {
    pub flags: u8,
    /// `INCLUDE_PCI_ALL`: this unit covers every device of the segment not claimed by another.
    pub include_pci_all: bool,
    pub segment: u16,
    pub register_base: u64,
    /// Device scope entries that follow the unit's fixed fields.
    pub device_scopes: usize,
}

/// What the DMAR says.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DmarInfo {
    /// DMA physical address width in bits (the table holds it minus one).
    pub host_address_width: u16,
    pub flags: u8,
    /// `INTR_REMAP`: interrupt remapping is supported.
    pub intr_remap: bool,
    /// `X2APIC_OPT_OUT`: firmware asks the OS not to enable x2APIC mode.
    pub x2apic_opt_out: bool,
    pub drhds: Vec<Drhd>,
    pub rmrr_count: usize,
    pub atsr_count: usize,
    pub rhsa_count: usize,
    /// ANDD, SATC, SIDP and unknown structures.
    pub other_count: usize,
}

/// An I/O virtualization hardware definition (IVHD) block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ivhd {
    /// 0x10, 0x11 or 0x40.
    pub kind: u8,
    pub flags: u8,
    /// The IOMMU's own PCI requester id (bus/device/function).
    pub device_id: u16,
    pub capability_offset: u16,
    pub base_address: u64,
    pub segment: u16,
    pub iommu_info: u16,
    /// The extended feature register image (types 0x11 and 0x40 only).
    pub efr_image: Option<u64>,
}

/// What the IVRS says.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct IvrsInfo {
    /// Raw IVinfo.
    pub iv_info: u32,
    /// IVinfo bit 0: the IVHD EFR image fields are valid.
    pub efr_supported: bool,
    /// Maximum guest virtual address size (IVinfo bits 7:5, encoded).
    pub gva_size: u8,
    /// Physical and virtual address sizes in bits (IVinfo bits 14:8 and 21:15).
    pub phys_addr_size: u8,
    pub virt_addr_size: u8,
    pub ivhds: Vec<Ivhd>,
    /// IVMD blocks (types 0x20-0x22): memory the IOMMUs must map for devices.
    pub ivmd_count: usize,
    pub other_count: usize,
}

/// Reads a sub-structure's `(type, length)` at an offset.
type HeaderReader = fn(&[u8], usize) -> Option<(u16, usize)>;

/// Walks `type/length` sub-structures from `start`, calling `f(type, bytes, offset)` for each
/// one that fits. Stops with a warning at a bad length.
fn walk(
    t: &[u8],
    start: usize,
    header: HeaderReader,
    table: &str,
    diag: &mut Diag<'_>,
    mut f: impl FnMut(u16, &[u8], usize, &mut Diag<'_>),
) {
    let mut offset = start;
    let mut count = 0;
    while offset < t.len() {
        if count == MAX_IOMMU_ENTRIES {
            diag.warn(format_args!(
                "more than {MAX_IOMMU_ENTRIES} entries; ignoring the rest of the {table}"
            ));
            return;
        }
        count += 1;
        let Some((kind, len)) = header(t, offset) else {
            diag.warn(format_args!(
                "entry at offset {offset:#x} has a truncated header; ignoring the rest of the {table}"
            ));
            return;
        };
        if len < 4 {
            diag.warn(format_args!(
                "entry at offset {offset:#x} has length {len}; ignoring the rest of the {table}"
            ));
            return;
        }
        let Some(entry) = offset.checked_add(len).and_then(|end| t.get(offset..end)) else {
            diag.warn(format_args!(
                "entry at offset {offset:#x} (type {kind:#x}, length {len}) runs past the end of the table; ignoring the rest of the {table}"
            ));
            return;
        };
        f(kind, entry, offset, diag);
        offset += len;
    }
}

fn dmar_header(t: &[u8], at: usize) -> Option<(u16, usize)> {
    Some((u16_at(t, at)?, usize::from(u16_at(t, at + 2)?)))
}

fn ivrs_header(t: &[u8], at: usize) -> Option<(u16, usize)> {
    Some((u16::from(u8_at(t, at)?), usize::from(u16_at(t, at + 2)?)))
}

/// Counts the device scope entries (`type, length, ...`) in `scopes`.
fn count_scopes(scopes: &[u8]) -> usize {
    let mut offset = 0;
    let mut n = 0;
    while let Some(len) = u8_at(scopes, offset + 1).map(usize::from) {
        if len < 2 || offset + len > scopes.len() {
            break;
        }
        n += 1;
        offset += len;
    }
    n
}

/// Parses a checksum-valid DMAR copy at `paddr`.
pub fn parse_dmar(t: &[u8], paddr: u64, warnings: &mut Vec<String>) -> Option<DmarInfo> {
    let mut diag = Diag::new(warnings, "DMAR", paddr);
    let (Some(haw), Some(flags)) = (u8_at(t, HEADER_LEN), u8_at(t, HEADER_LEN + 1)) else {
        diag.warn(format_args!(
            "length {:#x} is shorter than its fixed fields ({DMAR_ENTRIES_OFFSET:#x}); ignoring the DMAR",
            t.len()
        ));
        return None;
    };
    let mut info = DmarInfo {
        host_address_width: u16::from(haw) + 1,
        flags,
        intr_remap: flags & 1 != 0,
        x2apic_opt_out: flags & 2 != 0,
        ..DmarInfo::default()
    };
    walk(
        t,
        DMAR_ENTRIES_OFFSET,
        dmar_header,
        "DMAR",
        &mut diag,
        |kind, e, offset, diag| match kind {
            0 => match (u8_at(e, 4), u16_at(e, 6), u64_at(e, 8)) {
                (Some(flags), Some(segment), Some(register_base)) if e.len() >= DRHD_LEN => {
                    info.drhds.push(Drhd {
                        flags,
                        include_pci_all: flags & 1 != 0,
                        segment,
                        register_base,
                        device_scopes: count_scopes(e.get(DRHD_LEN..).unwrap_or_default()),
                    });
                }
                _ => diag.warn(format_args!(
                    "DRHD at offset {offset:#x} has length {}, below {DRHD_LEN}; skipping it",
                    e.len()
                )),
            },
            1 => info.rmrr_count += 1,
            2 => info.atsr_count += 1,
            3 => info.rhsa_count += 1,
            _ => info.other_count += 1,
        },
    );
    Some(info)
}

/// Parses a checksum-valid IVRS copy at `paddr`.
pub fn parse_ivrs(t: &[u8], paddr: u64, warnings: &mut Vec<String>) -> Option<IvrsInfo> {
    let mut diag = Diag::new(warnings, "IVRS", paddr);
    let Some(iv_info) = u32_at(t, HEADER_LEN).filter(|_| t.len() >= IVRS_ENTRIES_OFFSET) else {
        diag.warn(format_args!(
            "length {:#x} is shorter than its fixed fields ({IVRS_ENTRIES_OFFSET:#x}); ignoring the IVRS",
            t.len()
        ));
        return None;
    };
    let mut info = IvrsInfo {
        iv_info,
        efr_supported: iv_info & 1 != 0,
        gva_size: ((iv_info >> 5) & 0x7) as u8,
        phys_addr_size: ((iv_info >> 8) & 0x7f) as u8,
        virt_addr_size: ((iv_info >> 15) & 0x7f) as u8,
        ..IvrsInfo::default()
    };
    walk(
        t,
        IVRS_ENTRIES_OFFSET,
        ivrs_header,
        "IVRS",
        &mut diag,
        |kind, e, offset, diag| match kind {
            0x10 | 0x11 | 0x40 => {
                let min = if kind == 0x10 { 24 } else { 40 };
                if e.len() < min {
                    diag.warn(format_args!(
                        "IVHD type {kind:#x} at offset {offset:#x} has length {}, below {min}; skipping it",
                        e.len()
                    ));
                    return;
                }
                let ivhd = (|| {
                    Some(Ivhd {
                        kind: kind as u8,
                        flags: u8_at(e, 1)?,
                        device_id: u16_at(e, 4)?,
                        capability_offset: u16_at(e, 6)?,
                        base_address: u64_at(e, 8)?,
                        segment: u16_at(e, 16)?,
                        iommu_info: u16_at(e, 18)?,
                        efr_image: if kind == 0x10 { None } else { u64_at(e, 24) },
                    })
                })();
                info.ivhds.extend(ivhd);
            }
            0x20..=0x22 => info.ivmd_count += 1,
            _ => info.other_count += 1,
        },
    );
    Some(info)
}
