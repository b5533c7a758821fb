//! The HPET description table (signature `HPET`).
//!
//! IA-PC HPET specification 1.0a, section 3.2.4 (table layout) and 2.3.4 (the capabilities word
//! the `Event Timer Block ID` mirrors). Xen reads it in `xen/arch/x86/acpi/boot.c`
//! (`acpi_parse_hpet`). The `acpi` crate's `HpetTable` is read through a mapping without a length
//! check, so the fields are read here from the bounds-checked copy.

use super::bytes::{u8_at, u16_at, u32_at};
use super::fadt::{GenericAddress, SPACE_SYSTEM_MEMORY};
use super::sdt::Diag;
use alloc::string::String;
use alloc::vec::Vec;

/// Length of an HPET table with all its fields.
pub const HPET_LEN: usize = 56;

/// What the HPET table says about the first timer block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HpetInfo {
    /// MMIO base of the register block.
    pub base_address: u64,
    pub hardware_rev: u8,
    /// Number of comparators (the table holds the last comparator's index, so this is that + 1).
    pub comparators: u8,
    /// The main counter is 64 bits wide.
    pub counter_64bit: bool,
    /// Legacy replacement routing (IRQ0/IRQ8) is supported.
    pub legacy_replacement: bool,
    pub pci_vendor_id: u16,
    /// Sequence number of this HPET block.
    pub hpet_number: u8,
    /// Minimum clock ticks for periodic mode without lost interrupts.
    pub min_tick: u16,
    /// Page protection and OEM attributes (low nibble: 0 none, 1 4 KiB, 2 64 KiB).
    pub page_protection: u8,
}

/// Parses a checksum-valid HPET table copy at `paddr`.
pub fn parse_hpet(t: &[u8], paddr: u64, warnings: &mut Vec<String>) -> Option<HpetInfo> {
    let mut diag = Diag::new(warnings, "HPET", paddr);
    let (Some(id), Some(base), Some(number), Some(min_tick), Some(prot)) = (
        u32_at(t, 36),
        GenericAddress::read(t, 40),
        u8_at(t, 52),
        u16_at(t, 53),
        u8_at(t, 55),
    ) else {
        diag.warn(format_args!(
            "length {:#x} is shorter than its fixed fields ({HPET_LEN:#x}); ignoring the HPET",
            t.len()
        ));
        return None;
    };
    if base.space_id != SPACE_SYSTEM_MEMORY {
        diag.warn(format_args!(
            "base address is in address space {}, not memory; ignoring the HPET",
            base.space_id
        ));
        return None;
    }
    if base.address == 0 {
        diag.warn(format_args!("base address is 0; ignoring the HPET"));
        return None;
    }
    Some(HpetInfo {
        base_address: base.address,
        hardware_rev: (id & 0xff) as u8,
        comparators: ((id >> 8) & 0x1f) as u8 + 1,
        counter_64bit: id & (1 << 13) != 0,
        legacy_replacement: id & (1 << 15) != 0,
        pci_vendor_id: (id >> 16) as u16,
        hpet_number: number,
        min_tick,
        page_protection: prot,
    })
}
