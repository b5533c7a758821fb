//! The MADT (signature `APIC`): local APICs, I/O APICs and interrupt routing.
//!
//! ACPI 6.5 section 5.2.12. Xen reads the same entries in `xen/arch/x86/acpi/boot.c`
//! (`acpi_parse_lapic`, `acpi_parse_x2apic`, `acpi_parse_ioapic`, `acpi_parse_int_src_ovr`, ...).
//! The `acpi` crate's `Madt::entries()` loops forever on a zero-length entry and reads past short
//! entries, so the table is walked here on the bounds-checked copy; the crate supplies the
//! polarity/trigger decoding (`parse_mps_inti_flags`).

use super::bytes::{u8_at, u16_at, u32_at, u64_at};
use super::sdt::{Diag, HEADER_LEN};
use acpi::sdt::madt::{Polarity, TriggerMode, parse_mps_inti_flags};
use alloc::string::String;
use alloc::vec::Vec;

/// Offset of the first interrupt controller structure.
const ENTRIES_OFFSET: usize = HEADER_LEN + 8;
/// Most entries walked; more means a corrupt table (each CPU takes one or two).
pub const MAX_MADT_ENTRIES: usize = 65536;
/// `Flags` bit 0: the system also has dual 8259 PICs.
const PCAT_COMPAT: u32 = 1 << 0;
/// Local (x2)APIC flags.
const LAPIC_ENABLED: u32 = 1 << 0;
const LAPIC_ONLINE_CAPABLE: u32 = 1 << 1;

/// One processor, from a Local APIC (type 0) or Local x2APIC (type 9) entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Processor {
    /// ACPI processor UID (8 bits in a type-0 entry).
    pub uid: u32,
    pub apic_id: u32,
    /// Usable now.
    pub enabled: bool,
    /// Not enabled, but may be brought online later (hot-add).
    pub online_capable: bool,
    /// Described by an x2APIC entry.
    pub x2apic: bool,
}

/// An I/O APIC (type 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IoApic {
    pub id: u8,
    pub address: u32,
    pub gsi_base: u32,
}

/// An interrupt source override (type 2): ISA IRQ `irq` is wired to `gsi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InterruptOverride {
    pub bus: u8,
    pub irq: u8,
    pub gsi: u32,
    pub polarity: Polarity,
    pub trigger: TriggerMode,
    /// The raw MPS INTI flags (reserved encodings decode as `SameAsBus`, with a warning).
    pub flags: u16,
}

/// A GSI wired to NMI (type 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NmiSource {
    pub gsi: u32,
    pub polarity: Polarity,
    pub trigger: TriggerMode,
    pub flags: u16,
}

/// A local APIC LINT pin wired to NMI (type 4, or type 0xA for x2APIC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalApicNmi {
    /// ACPI processor UID; `None` means all processors (0xff / 0xffffffff).
    pub uid: Option<u32>,
    /// LINT0 or LINT1.
    pub lint: u8,
    pub polarity: Polarity,
    pub trigger: TriggerMode,
    pub flags: u16,
}

/// What the MADT says.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct MadtInfo {
    /// The local APIC base: the 64-bit override (type 5) when present, else the 32-bit field.
    pub local_apic_address: u64,
    /// Whether a type-5 override supplied `local_apic_address`.
    pub local_apic_address_overridden: bool,
    /// Dual 8259s are present (`PCAT_COMPAT`).
    pub pcat_compat: bool,
    pub processors: Vec<Processor>,
    pub io_apics: Vec<IoApic>,
    pub overrides: Vec<InterruptOverride>,
    pub nmi_sources: Vec<NmiSource>,
    pub local_apic_nmis: Vec<LocalApicNmi>,
    /// Entries of other types (GIC, SAPIC, wakeup, OEM), counted but not decoded.
    pub other_entries: usize,
}

/// Smallest valid length for each entry type Ferrite decodes.
fn min_len(kind: u8) -> Option<usize> {
    Some(match kind {
        0 => 8,
        1 => 12,
        2 => 10,
        3 => 8,
        4 => 6,
        5 => 12,
        9 => 16,
        0xa => 12,
        _ => return None,
    })
}

fn inti(flags: u16, what: &str, diag: &mut Diag<'_>, offset: usize) -> (Polarity, TriggerMode) {
    parse_mps_inti_flags(flags).unwrap_or_else(|_| {
        diag.warn(format_args!(
            "{what} at offset {offset:#x} has reserved flags {flags:#x}; using bus defaults"
        ));
        (Polarity::SameAsBus, TriggerMode::SameAsBus)
    })
}

/// Parses a checksum-valid MADT copy at `paddr`. Returns `None` if even the fixed fields are
/// missing; a bad entry stops the walk with a warning but keeps what came before it.
pub fn parse_madt(table: &[u8], paddr: u64, warnings: &mut Vec<String>) -> Option<MadtInfo> {
    let mut diag = Diag::new(warnings, "MADT", paddr);
    let (Some(lapic32), Some(flags)) = (u32_at(table, HEADER_LEN), u32_at(table, HEADER_LEN + 4))
    else {
        diag.warn(format_args!(
            "length {:#x} is shorter than its fixed fields ({ENTRIES_OFFSET:#x}); ignoring the MADT",
            table.len()
        ));
        return None;
    };
    let mut info = MadtInfo {
        local_apic_address: u64::from(lapic32),
        pcat_compat: flags & PCAT_COMPAT != 0,
        ..MadtInfo::default()
    };
    let mut offset = ENTRIES_OFFSET;
    let mut count = 0;
    while offset < table.len() {
        if count == MAX_MADT_ENTRIES {
            diag.warn(format_args!(
                "more than {MAX_MADT_ENTRIES} entries; ignoring the rest of the MADT"
            ));
            break;
        }
        count += 1;
        let (Some(kind), Some(len)) = (u8_at(table, offset), u8_at(table, offset + 1)) else {
            diag.warn(format_args!(
                "entry at offset {offset:#x} has a truncated header; ignoring the rest of the MADT"
            ));
            break;
        };
        let len = usize::from(len);
        if len < 2 {
            diag.warn(format_args!(
                "entry at offset {offset:#x} has length {len}; ignoring the rest of the MADT"
            ));
            break;
        }
        let Some(entry) = table.get(offset..offset + len) else {
            diag.warn(format_args!(
                "entry at offset {offset:#x} (type {kind}, length {len}) runs past the end of the table; ignoring the rest of the MADT"
            ));
            break;
        };
        match min_len(kind) {
            Some(min) if len < min => diag.warn(format_args!(
                "entry at offset {offset:#x} (type {kind}) has length {len}, below {min}; skipping it"
            )),
            Some(_) => {
                let _ = decode_entry(kind, entry, offset, &mut info, &mut diag);
            }
            None => info.other_entries += 1,
        }
        offset += len;
    }
    Some(info)
}

/// Decodes one entry whose length has been checked against [`min_len`]; the `?`s cannot fail
/// then, but keep the code free of indexing.
fn decode_entry(
    kind: u8,
    e: &[u8],
    offset: usize,
    info: &mut MadtInfo,
    diag: &mut Diag<'_>,
) -> Option<()> {
    match kind {
        0 => {
            let flags = u32_at(e, 4)?;
            info.processors.push(Processor {
                uid: u32::from(u8_at(e, 2)?),
                apic_id: u32::from(u8_at(e, 3)?),
                enabled: flags & LAPIC_ENABLED != 0,
                online_capable: flags & LAPIC_ONLINE_CAPABLE != 0,
                x2apic: false,
            });
        }
        1 => info.io_apics.push(IoApic {
            id: u8_at(e, 2)?,
            address: u32_at(e, 4)?,
            gsi_base: u32_at(e, 8)?,
        }),
        2 => {
            let flags = u16_at(e, 8)?;
            let (polarity, trigger) = inti(flags, "interrupt override", diag, offset);
            info.overrides.push(InterruptOverride {
                bus: u8_at(e, 2)?,
                irq: u8_at(e, 3)?,
                gsi: u32_at(e, 4)?,
                polarity,
                trigger,
                flags,
            });
        }
        3 => {
            let flags = u16_at(e, 2)?;
            let (polarity, trigger) = inti(flags, "NMI source", diag, offset);
            info.nmi_sources.push(NmiSource {
                gsi: u32_at(e, 4)?,
                polarity,
                trigger,
                flags,
            });
        }
        4 => {
            let flags = u16_at(e, 3)?;
            let (polarity, trigger) = inti(flags, "local APIC NMI", diag, offset);
            let uid = u8_at(e, 2)?;
            info.local_apic_nmis.push(LocalApicNmi {
                uid: (uid != 0xff).then_some(u32::from(uid)),
                lint: u8_at(e, 5)?,
                polarity,
                trigger,
                flags,
            });
        }
        5 => {
            info.local_apic_address = u64_at(e, 4)?;
            info.local_apic_address_overridden = true;
        }
        9 => {
            let flags = u32_at(e, 8)?;
            info.processors.push(Processor {
                uid: u32_at(e, 12)?,
                apic_id: u32_at(e, 4)?,
                enabled: flags & LAPIC_ENABLED != 0,
                online_capable: flags & LAPIC_ONLINE_CAPABLE != 0,
                x2apic: true,
            });
        }
        0xa => {
            let flags = u16_at(e, 2)?;
            let (polarity, trigger) = inti(flags, "local x2APIC NMI", diag, offset);
            let uid = u32_at(e, 4)?;
            info.local_apic_nmis.push(LocalApicNmi {
                uid: (uid != u32::MAX).then_some(uid),
                lint: u8_at(e, 8)?,
                polarity,
                trigger,
                flags,
            });
        }
        _ => info.other_entries += 1,
    }
    Some(())
}
