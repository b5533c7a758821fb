//! Reading every table Ferrite needs at boot into one plain-data [`AcpiInfo`].
//!
//! The walk mirrors Xen's boot order (`xen/arch/x86/acpi/boot.c`, `acpi_boot_init`: RSDP, root
//! table, then FADT, MADT, HPET, MCFG, and the IOMMU tables from `xen/drivers/passthrough`).
//! Every table is copied, validated and parsed on its own: a broken one is reported in
//! [`AcpiInfo::warnings`] and skipped, and the boot goes on with the others.

use super::fadt::{FadtInfo, parse_fadt};
use super::handler::PhysMem;
use super::hpet::{HpetInfo, parse_hpet};
use super::iommu_tables::{DmarInfo, IvrsInfo, parse_dmar, parse_ivrs};
use super::madt::{MadtInfo, parse_madt};
use super::mcfg::{McfgEntry, parse_mcfg};
use super::rsdp::{Rsdp, RsdpError, parse_rsdp, read_rsdp};
use super::s5::{S5Error, SleepType, find_s5};
use super::sdt::{
    Diag, TableEntry, fetch_table, format_rsdp_line, format_table_line, root_entries,
};
use super::summary::summary_lines;
use alloc::string::String;
use alloc::vec::Vec;

/// Where the RSDP comes from.
#[derive(Clone, Copy, Debug)]
pub enum RsdpSource<'a> {
    /// Its physical address (BIOS scan, EFI configuration table, PVH `rsdp_paddr`).
    Address(u64),
    /// A copy of its bytes (multiboot2 tags 14 and 15).
    Copy(&'a [u8]),
}

/// Everything Ferrite learned from ACPI at boot, with no references into firmware memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcpiInfo {
    pub rsdp: Rsdp,
    /// Every table seen, in discovery order: the RSDT/XSDT, its entries, then the DSDT and FACS.
    pub tables: Vec<TableEntry>,
    pub madt: Option<MadtInfo>,
    pub fadt: Option<FadtInfo>,
    /// The DSDT's (or else an SSDT's) `\_S5_` values; `None` means no ACPI power-off.
    pub s5: Option<SleepType>,
    pub hpet: Option<HpetInfo>,
    pub mcfg: Vec<McfgEntry>,
    pub dmar: Option<DmarInfo>,
    pub ivrs: Option<IvrsInfo>,
    /// Diagnostics, one line each (`ACPI: MADT at 0x...: ...`), also logged with `log::warn!`.
    pub warnings: Vec<String>,
}

impl AcpiInfo {
    /// The boot log's table list: the RSDP line, then one line per table.
    pub fn table_lines(&self) -> Vec<String> {
        let mut lines = Vec::with_capacity(self.tables.len() + 1);
        lines.push(format_rsdp_line(&self.rsdp));
        lines.extend(self.tables.iter().map(format_table_line));
        lines
    }

    /// Logs the table list and the summary at `info` (warnings were logged as they were found).
    pub fn log(&self) {
        for line in self.table_lines().iter().chain(summary_lines(self).iter()) {
            log::info!("{line}");
        }
    }
}

/// Reads the RSDP and every table it leads to. Only a bad RSDP is an error; a bad table is a
/// warning in the result.
pub fn read_acpi(mem: &impl PhysMem, source: RsdpSource<'_>) -> Result<AcpiInfo, RsdpError> {
    let rsdp = match source {
        RsdpSource::Address(paddr) => read_rsdp(mem, paddr)?,
        RsdpSource::Copy(bytes) => parse_rsdp(bytes, None)?,
    };
    let mut info = AcpiInfo {
        rsdp,
        tables: Vec::new(),
        madt: None,
        fadt: None,
        s5: None,
        hpet: None,
        mcfg: Vec::new(),
        dmar: None,
        ivrs: None,
        warnings: Vec::new(),
    };
    let entries = read_root(mem, &rsdp, &mut info);
    // SSDTs are scanned as they come, so only their `\_S5_` result is kept, not their bytes.
    let mut ssdt_s5 = None;
    for paddr in entries {
        let Some(fetched) = fetch_table(mem, paddr, &mut info.warnings) else {
            continue;
        };
        info.tables.push(fetched.entry);
        let Some(bytes) = fetched.bytes else { continue };
        let w = &mut info.warnings;
        match &fetched.entry.signature {
            b"APIC" if info.madt.is_none() => info.madt = parse_madt(&bytes, paddr, w),
            b"FACP" if info.fadt.is_none() => info.fadt = parse_fadt(&bytes, paddr, w),
            b"HPET" if info.hpet.is_none() => info.hpet = parse_hpet(&bytes, paddr, w),
            b"MCFG" if info.mcfg.is_empty() => info.mcfg = parse_mcfg(&bytes, paddr, w),
            b"DMAR" if info.dmar.is_none() => info.dmar = parse_dmar(&bytes, paddr, w),
            b"IVRS" if info.ivrs.is_none() => info.ivrs = parse_ivrs(&bytes, paddr, w),
            b"SSDT" if ssdt_s5.is_none() => ssdt_s5 = scan_s5("SSDT", paddr, &bytes, w),
            b"APIC" | b"FACP" | b"HPET" | b"MCFG" | b"DMAR" | b"IVRS" => {
                Diag::new(w, &fetched.entry.name(), paddr)
                    .warn(format_args!("a second table of this type; ignoring it"));
            }
            _ => {}
        }
    }
    read_fadt_pointers(mem, &mut info, ssdt_s5);
    Ok(info)
}

/// The RSDT/XSDT entries. A broken XSDT falls back to the RSDT, as Linux and Xen do.
fn read_root(mem: &impl PhysMem, rsdp: &Rsdp, info: &mut AcpiInfo) -> Vec<u64> {
    let mut candidates = Vec::new();
    if let Some((paddr, wide)) = rsdp.root_table() {
        candidates.push((paddr, wide));
    }
    if wide_root(rsdp) && rsdp.rsdt_address != 0 {
        candidates.push((u64::from(rsdp.rsdt_address), false));
    }
    for (paddr, wide) in candidates {
        let expected: &[u8; 4] = if wide { b"XSDT" } else { b"RSDT" };
        let Some(fetched) = fetch_table(mem, paddr, &mut info.warnings) else {
            continue;
        };
        info.tables.push(fetched.entry);
        let mut diag = Diag::new(&mut info.warnings, "root table", paddr);
        if &fetched.entry.signature != expected {
            diag.warn(format_args!(
                "signature is {:?}, expected {}; not using it",
                fetched.entry.name(),
                String::from_utf8_lossy(expected)
            ));
            continue;
        }
        if let Some(bytes) = fetched.bytes {
            return root_entries(&bytes, paddr, wide, &mut info.warnings);
        }
    }
    let msg = String::from("ACPI: no usable RSDT or XSDT; continuing without ACPI tables");
    log::warn!("{msg}");
    info.warnings.push(msg);
    Vec::new()
}

fn wide_root(rsdp: &Rsdp) -> bool {
    matches!(rsdp.root_table(), Some((_, true)))
}

/// Scans one DSDT/SSDT for `\_S5_`, reporting a malformed package.
fn scan_s5(name: &str, paddr: u64, aml: &[u8], warnings: &mut Vec<String>) -> Option<SleepType> {
    let mut diag = Diag::new(warnings, name, paddr);
    match find_s5(aml) {
        Ok(s5) => {
            if s5.slp_typ_a > 7 || s5.slp_typ_b > 7 {
                diag.warn(format_args!(
                    "SLP_TYP values {:#x}/{:#x} exceed 3 bits; only the low bits are used",
                    s5.slp_typ_a, s5.slp_typ_b
                ));
            }
            Some(s5)
        }
        Err(S5Error::NotFound) => None,
        Err(S5Error::Malformed { offset, reason }) => {
            diag.warn(format_args!(
                "_S5_ at offset {offset:#x}: {reason}; no S5 from this table"
            ));
            None
        }
    }
}

/// Follows the FADT to the DSDT (for `\_S5_`, preferred over `ssdt_s5`) and lists the FACS.
fn read_fadt_pointers(mem: &impl PhysMem, info: &mut AcpiInfo, ssdt_s5: Option<SleepType>) {
    let Some(fadt) = info.fadt else { return };
    let dsdt = fadt
        .dsdt_address
        .and_then(|paddr| fetch_table(mem, paddr, &mut info.warnings));
    if let Some(dsdt) = &dsdt {
        info.tables.push(dsdt.entry);
        if &dsdt.entry.signature != b"DSDT" {
            Diag::new(&mut info.warnings, "DSDT", dsdt.entry.paddr).warn(format_args!(
                "signature is {:?}; ignoring it",
                dsdt.entry.name()
            ));
        } else if let Some(bytes) = &dsdt.bytes {
            info.s5 = scan_s5("DSDT", dsdt.entry.paddr, bytes, &mut info.warnings);
        }
    }
    info.s5 = info.s5.or(ssdt_s5);
    if info.s5.is_none() && !fadt.hardware_reduced {
        let msg = String::from(
            "ACPI: no usable \\_S5_ package in the DSDT or SSDTs; ACPI power-off unavailable",
        );
        log::warn!("{msg}");
        info.warnings.push(msg);
    }
    if let Some(facs) = fadt.facs_address {
        list_facs(mem, facs, info);
    }
}

/// The FACS has only a signature and length (no checksummed header); it is listed for the log.
fn list_facs(mem: &impl PhysMem, paddr: u64, info: &mut AcpiInfo) {
    let mut head = [0u8; 36];
    if mem.read(paddr, &mut head).is_err() {
        Diag::new(&mut info.warnings, "FACS", paddr).warn(format_args!("unreadable"));
        return;
    }
    let Some(mut entry) = TableEntry::from_header(&head, paddr) else {
        return;
    };
    // FACS layout: version at offset 32; no OEM fields.
    entry.revision = head[32];
    entry.oem_id = [b' '; 6];
    entry.oem_table_id = [b' '; 8];
    entry.oem_revision = 0;
    entry.creator_id = [b' '; 4];
    entry.creator_revision = 0;
    entry.valid = &entry.signature == b"FACS" && entry.length >= 64;
    if !entry.valid {
        Diag::new(&mut info.warnings, "FACS", paddr)
            .warn(format_args!("bad signature or length {:#x}", entry.length));
    }
    info.tables.push(entry);
}
