//! System description table headers, fetching a table safely, the RSDT/XSDT walk, and the boot
//! log line for each table.
//!
//! ACPI 6.5 sections 5.2.6 (header), 5.2.7 (RSDT), 5.2.8 (XSDT). Xen prints the same table list at
//! boot from `xen/drivers/acpi/tables/tbutils.c` (`acpi_tb_print_table_header`); the line format
//! here is Ferrite's own, with the same fields.

use super::bytes::{array_at, checksum_ok, printable, u8_at, u32_at, u64_at};
use super::handler::PhysMem;
use super::rsdp::Rsdp;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

/// Size of the common table header.
pub const HEADER_LEN: usize = 36;
/// Largest table Ferrite copies. Real DSDTs reach a few hundred KiB; anything above this is
/// treated as a corrupt length rather than an allocation request.
pub const MAX_TABLE_LEN: u32 = 4 << 20;
/// Most RSDT/XSDT entries followed (real firmware has a few dozen).
pub const MAX_ROOT_ENTRIES: usize = 1024;

/// One table as listed at boot: its header fields and where it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableEntry {
    pub signature: [u8; 4],
    pub paddr: u64,
    pub length: u32,
    pub revision: u8,
    pub oem_id: [u8; 6],
    pub oem_table_id: [u8; 8],
    pub oem_revision: u32,
    pub creator_id: [u8; 4],
    pub creator_revision: u32,
    /// The whole table was readable, its length sane and its checksum correct; only such tables
    /// are parsed.
    pub valid: bool,
}

impl TableEntry {
    /// Decodes a header from the first 36 bytes of `bytes` (`None` if shorter).
    pub fn from_header(bytes: &[u8], paddr: u64) -> Option<Self> {
        Some(Self {
            signature: array_at(bytes, 0)?,
            paddr,
            length: u32_at(bytes, 4)?,
            revision: u8_at(bytes, 8)?,
            oem_id: array_at(bytes, 10)?,
            oem_table_id: array_at(bytes, 16)?,
            oem_revision: u32_at(bytes, 24)?,
            creator_id: array_at(bytes, 28)?,
            creator_revision: u32_at(bytes, 32)?,
            valid: false,
        })
    }

    /// The signature as printable text (`?` for non-ASCII bytes).
    pub fn name(&self) -> String {
        printable(&self.signature)
    }
}

/// The boot log line for a table, in the spirit of Xen's:
/// `ACPI: APIC 7FFE1A2E, 0078 (r1 BOCHS  BXPCAPIC        1 BXPC        1)`.
pub fn format_table_line(t: &TableEntry) -> String {
    format!(
        "ACPI: {} {:08X}, {:04X} (r{} {:<6} {:<8} {:>8X} {:<4} {:>8X}){}",
        t.name(),
        t.paddr,
        t.length,
        t.revision,
        printable(&t.oem_id),
        printable(&t.oem_table_id),
        t.oem_revision,
        printable(&t.creator_id),
        t.creator_revision,
        if t.valid { "" } else { " [invalid, ignored]" },
    )
}

/// The boot log line for the RSDP: `ACPI: RSDP 000F5A40, 0014 (r0 BOCHS )`.
pub fn format_rsdp_line(r: &Rsdp) -> String {
    let place = match r.paddr {
        Some(paddr) => format!("{paddr:08X}"),
        None => String::from("(copy)"),
    };
    format!(
        "ACPI: RSDP {place}, {:04X} (r{} {:<6})",
        r.length,
        r.revision,
        printable(&r.oem_id)
    )
}

/// Collects diagnostics for one table, each prefixed like
/// `ACPI: MADT at 0x7fe1234: ...`, and logs them as they are made.
pub(crate) struct Diag<'a> {
    out: &'a mut Vec<String>,
    what: String,
    paddr: u64,
}

impl<'a> Diag<'a> {
    pub(crate) fn new(out: &'a mut Vec<String>, what: &str, paddr: u64) -> Self {
        Self {
            out,
            what: String::from(what),
            paddr,
        }
    }

    pub(crate) fn warn(&mut self, args: fmt::Arguments<'_>) {
        let msg = format!("ACPI: {} at {:#x}: {}", self.what, self.paddr, args);
        log::warn!("{msg}");
        self.out.push(msg);
    }
}

/// A table copied out of firmware memory, with its listing entry.
pub(crate) struct Fetched {
    pub(crate) entry: TableEntry,
    /// The whole table, present only when `entry.valid`.
    pub(crate) bytes: Option<Vec<u8>>,
}

/// Copies the table at `paddr` and checks its length and checksum. `None` (with a warning) when
/// not even the header can be read; otherwise the entry is listed, and `bytes` is present only
/// for a valid table.
pub(crate) fn fetch_table(
    mem: &impl PhysMem,
    paddr: u64,
    warnings: &mut Vec<String>,
) -> Option<Fetched> {
    let mut header = [0u8; HEADER_LEN];
    if let Err(e) = mem.read(paddr, &mut header) {
        Diag::new(warnings, "table", paddr).warn(format_args!("header unreadable ({e}); skipping"));
        return None;
    }
    let mut entry = TableEntry::from_header(&header, paddr)?;
    let name = entry.name();
    let mut diag = Diag::new(warnings, &name, paddr);
    if (entry.length as usize) < HEADER_LEN {
        diag.warn(format_args!(
            "length {:#x} is shorter than the {HEADER_LEN}-byte header; ignoring the table",
            entry.length
        ));
        return Some(Fetched { entry, bytes: None });
    }
    if entry.length > MAX_TABLE_LEN {
        diag.warn(format_args!(
            "length {:#x} exceeds the {MAX_TABLE_LEN:#x}-byte limit; ignoring the table",
            entry.length
        ));
        return Some(Fetched { entry, bytes: None });
    }
    let mut bytes = vec![0u8; entry.length as usize];
    if let Err(e) = mem.read(paddr, &mut bytes) {
        diag.warn(format_args!(
            "length {:#x} runs past mapped memory ({e}); ignoring the table",
            entry.length
        ));
        return Some(Fetched { entry, bytes: None });
    }
    if !checksum_ok(&bytes) {
        diag.warn(format_args!("bad checksum; ignoring the table"));
        return Some(Fetched { entry, bytes: None });
    }
    entry.valid = true;
    Some(Fetched {
        entry,
        bytes: Some(bytes),
    })
}

/// Reads the entries of a valid RSDT (`wide == false`, 4-byte entries) or XSDT (8-byte entries).
pub(crate) fn root_entries(
    table: &[u8],
    paddr: u64,
    wide: bool,
    warnings: &mut Vec<String>,
) -> Vec<u64> {
    let name = if wide { "XSDT" } else { "RSDT" };
    let mut diag = Diag::new(warnings, name, paddr);
    let size = if wide { 8 } else { 4 };
    let body = table.get(HEADER_LEN..).unwrap_or_default();
    if body.len() % size != 0 {
        diag.warn(format_args!(
            "{} trailing bytes after the last {size}-byte entry; ignoring them",
            body.len() % size
        ));
    }
    let mut out = Vec::new();
    for (i, chunk) in body.chunks_exact(size).enumerate() {
        if i == MAX_ROOT_ENTRIES {
            diag.warn(format_args!(
                "more than {MAX_ROOT_ENTRIES} entries; ignoring the rest"
            ));
            break;
        }
        let addr = if wide {
            u64_at(chunk, 0)
        } else {
            u32_at(chunk, 0).map(u64::from)
        };
        match addr {
            Some(0) | None => diag.warn(format_args!("entry {i} is a null pointer; skipping it")),
            Some(a) => out.push(a),
        }
    }
    out
}
