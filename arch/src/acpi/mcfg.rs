//! The MCFG table: PCI Express enhanced configuration (ECAM) windows.
//!
//! PCI Firmware Specification 3.2, section 4.1.2. Xen reads it in
//! `xen/arch/x86/x86_64/mmconfig-shared.c` / `xen/arch/x86/x86_64/acpi_mmcfg.c`
//! (`acpi_parse_mcfg`). The `acpi` crate's `Mcfg::entries` underflows on a table shorter than 44
//! bytes, so entries are read here from the bounds-checked copy.

use super::bytes::{u8_at, u16_at, u64_at};
use super::sdt::{Diag, HEADER_LEN};
use alloc::string::String;
use alloc::vec::Vec;

/// Entries start after the header and 8 reserved bytes.
const ENTRIES_OFFSET: usize = HEADER_LEN + 8;
const ENTRY_LEN: usize = 16;
/// PCI segment groups are 16-bit, so more entries than this cannot all be distinct.
pub const MAX_MCFG_ENTRIES: usize = 65536;

/// One ECAM window: buses `bus_start..=bus_end` of `segment` at `base_address`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct McfgEntry {
    pub base_address: u64,
    pub segment: u16,
    pub bus_start: u8,
    pub bus_end: u8,
}

/// Parses a checksum-valid MCFG copy at `paddr`. Bad entries are skipped with a warning.
pub fn parse_mcfg(t: &[u8], paddr: u64, warnings: &mut Vec<String>) -> Vec<McfgEntry> {
    let mut diag = Diag::new(warnings, "MCFG", paddr);
    let Some(body) = t.get(ENTRIES_OFFSET..) else {
        diag.warn(format_args!(
            "length {:#x} is shorter than its fixed fields ({ENTRIES_OFFSET:#x}); ignoring the MCFG",
            t.len()
        ));
        return Vec::new();
    };
    if body.len() % ENTRY_LEN != 0 {
        // Seen on real firmware (rust-osdev/acpi#58); the whole entries are still good.
        diag.warn(format_args!(
            "{} trailing bytes after the last entry; ignoring them",
            body.len() % ENTRY_LEN
        ));
    }
    let mut out = Vec::new();
    for (i, e) in body.chunks_exact(ENTRY_LEN).enumerate() {
        if i == MAX_MCFG_ENTRIES {
            diag.warn(format_args!(
                "more than {MAX_MCFG_ENTRIES} entries; ignoring the rest"
            ));
            break;
        }
        let (Some(base_address), Some(segment), Some(bus_start), Some(bus_end)) =
            (u64_at(e, 0), u16_at(e, 8), u8_at(e, 10), u8_at(e, 11))
        else {
            continue;
        };
        if bus_start > bus_end || base_address == 0 {
            diag.warn(format_args!(
                "entry {i} (segment {segment}, buses {bus_start:#x}-{bus_end:#x}, base {base_address:#x}) is invalid; skipping it"
            ));
            continue;
        }
        out.push(McfgEntry {
            base_address,
            segment,
            bus_start,
            bus_end,
        });
    }
    out
}
