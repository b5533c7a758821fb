//! The Root System Description Pointer: finding it and reading the root table's address out of it.
//!
//! ACPI 6.5 section 5.2.5 (RSDP layout and the BIOS search areas); Xen finds it in
//! `xen/drivers/acpi/osl.c` (`acpi_os_get_root_pointer`, EFI or the BIOS scan) and validates it in
//! `xen/drivers/acpi/tables/tbxfroot.c`. Multiboot2 tags 14/15 (`include/multiboot2.h`) carry a
//! *copy* of the RSDP, so [`parse_rsdp`] works on bytes; [`read_rsdp`] fetches them from an address
//! (EFI configuration table, PVH `start_info.rsdp_paddr`, or [`scan_bios_for_rsdp`]).

use super::bytes::{array_at, checksum_ok, u8_at, u32_at, u64_at};
use super::handler::{MemError, PhysMem};
use alloc::vec;
use core::fmt;

/// `"RSD PTR "`, the RSDP signature.
pub const RSDP_SIGNATURE: [u8; 8] = *b"RSD PTR ";
/// Size of the ACPI 1.0 RSDP, covered by the first checksum.
pub const RSDP_V1_LEN: usize = 20;
/// Size of the ACPI 2.0+ RSDP, covered by the extended checksum.
pub const RSDP_V2_LEN: usize = 36;

/// Where the BIOS data area keeps the EBDA's real-mode segment.
const EBDA_SEGMENT_PTR: u64 = 0x40e;
/// Bounds of a plausible EBDA (it sits just below the 640 KiB hole).
const EBDA_LOWEST: u64 = 0x8_0000;
const EBDA_END: u64 = 0xa_0000;
/// Only the EBDA's first KiB is searched.
const EBDA_SEARCH_LEN: usize = 1024;
/// The BIOS read-only area searched on 16-byte boundaries.
const BIOS_AREA_START: u64 = 0xe_0000;
const BIOS_AREA_LEN: usize = 0x2_0000;

/// A validated RSDP, copied out of firmware memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rsdp {
    /// Where it was found, if it was read from memory (a multiboot2 copy has no address).
    pub paddr: Option<u64>,
    /// 0 for ACPI 1.0; 2 for ACPI 2.0 and later.
    pub revision: u8,
    pub oem_id: [u8; 6],
    /// The 32-bit RSDT address (always present).
    pub rsdt_address: u32,
    /// The 64-bit XSDT address, for revision 2 and later when non-zero.
    pub xsdt_address: Option<u64>,
    /// The structure's length: 20 for revision 0, the length field otherwise.
    pub length: u32,
}

impl Rsdp {
    /// The root table to use and whether it is an XSDT (8-byte entries) rather than an RSDT.
    /// ACPICA's rule: the XSDT when the revision is above 1 and its address is non-zero.
    pub fn root_table(&self) -> Option<(u64, bool)> {
        match self.xsdt_address {
            Some(xsdt) if self.revision > 1 => Some((xsdt, true)),
            _ if self.rsdt_address != 0 => Some((u64::from(self.rsdt_address), false)),
            _ => None,
        }
    }
}

/// Why an RSDP was rejected. A bad RSDP means no ACPI at all, so this is the one fatal error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RsdpError {
    /// Its memory could not be read.
    Unreadable(MemError),
    /// Fewer bytes than the revision requires.
    TooShort { have: usize, need: usize },
    /// The first eight bytes are not `"RSD PTR "`.
    BadSignature,
    /// The ACPI 1.0 checksum (first 20 bytes) does not sum to zero.
    BadChecksum,
    /// The ACPI 2.0 extended checksum (36 bytes) does not sum to zero.
    BadExtendedChecksum,
    /// A revision-2 RSDP whose length field is below 36.
    BadLength(u32),
    /// Neither an XSDT nor an RSDT address.
    NoRootTable,
    /// The BIOS-area scan found no valid RSDP.
    NotFound,
}

impl fmt::Display for RsdpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreadable(e) => write!(f, "RSDP unreadable: {e}"),
            Self::TooShort { have, need } => write!(f, "RSDP copy has {have} bytes, needs {need}"),
            Self::BadSignature => f.write_str("RSDP signature is not \"RSD PTR \""),
            Self::BadChecksum => f.write_str("RSDP checksum is invalid"),
            Self::BadExtendedChecksum => f.write_str("RSDP extended checksum is invalid"),
            Self::BadLength(len) => write!(f, "RSDP length {len} is below 36"),
            Self::NoRootTable => f.write_str("RSDP names neither an XSDT nor an RSDT"),
            Self::NotFound => f.write_str("no RSDP in the EBDA or the BIOS area"),
        }
    }
}

/// Validates RSDP bytes (a copy, e.g. from a multiboot2 tag, or read from memory at `paddr`).
pub fn parse_rsdp(bytes: &[u8], paddr: Option<u64>) -> Result<Rsdp, RsdpError> {
    let v1 = bytes.get(..RSDP_V1_LEN).ok_or(RsdpError::TooShort {
        have: bytes.len(),
        need: RSDP_V1_LEN,
    })?;
    if v1.get(..8) != Some(&RSDP_SIGNATURE[..]) {
        return Err(RsdpError::BadSignature);
    }
    if !checksum_ok(v1) {
        return Err(RsdpError::BadChecksum);
    }
    let too_short = RsdpError::TooShort {
        have: bytes.len(),
        need: RSDP_V1_LEN,
    };
    let revision = u8_at(bytes, 15).ok_or(too_short)?;
    let oem_id = array_at(bytes, 9).ok_or(too_short)?;
    let rsdt_address = u32_at(bytes, 16).ok_or(too_short)?;
    let mut rsdp = Rsdp {
        paddr,
        revision,
        oem_id,
        rsdt_address,
        xsdt_address: None,
        length: 20,
    };
    if revision >= 2 {
        let v2_short = RsdpError::TooShort {
            have: bytes.len(),
            need: RSDP_V2_LEN,
        };
        let v2 = bytes.get(..RSDP_V2_LEN).ok_or(v2_short)?;
        if !checksum_ok(v2) {
            return Err(RsdpError::BadExtendedChecksum);
        }
        let length = u32_at(v2, 20).ok_or(v2_short)?;
        if length < RSDP_V2_LEN as u32 {
            return Err(RsdpError::BadLength(length));
        }
        rsdp.length = length;
        rsdp.xsdt_address = u64_at(v2, 24).filter(|&a| a != 0);
    }
    if rsdp.root_table().is_none() {
        return Err(RsdpError::NoRootTable);
    }
    Ok(rsdp)
}

/// Reads and validates the RSDP at physical address `paddr`.
pub fn read_rsdp(mem: &impl PhysMem, paddr: u64) -> Result<Rsdp, RsdpError> {
    let mut buf = [0u8; RSDP_V2_LEN];
    let (v1, _) = buf.split_at_mut(RSDP_V1_LEN);
    mem.read(paddr, v1).map_err(RsdpError::Unreadable)?;
    if buf[15] >= 2 {
        mem.read(paddr, &mut buf).map_err(RsdpError::Unreadable)?;
        parse_rsdp(&buf, Some(paddr))
    } else {
        parse_rsdp(&buf[..RSDP_V1_LEN], Some(paddr))
    }
}

/// The legacy BIOS search (ACPI 6.5 section 5.2.5.1): the first KiB of the EBDA (whose segment
/// is at 0x40e), then 0xe0000..0xfffff, on 16-byte boundaries. Returns the address of the first
/// valid RSDP. Candidates with the signature but a bad checksum are skipped, as ACPICA does.
pub fn scan_bios_for_rsdp(mem: &impl PhysMem) -> Result<u64, RsdpError> {
    let mut segment = [0u8; 2];
    let ebda = match mem.read(EBDA_SEGMENT_PTR, &mut segment) {
        Ok(()) => u64::from(u16::from_le_bytes(segment)) << 4,
        Err(_) => 0,
    };
    let mut areas = vec![];
    if (EBDA_LOWEST..EBDA_END).contains(&ebda) {
        areas.push((ebda, EBDA_SEARCH_LEN));
    }
    areas.push((BIOS_AREA_START, BIOS_AREA_LEN));
    for (start, len) in areas {
        let mut area = vec![0u8; len];
        if mem.read(start, &mut area).is_err() {
            continue;
        }
        for (offset, candidate) in area.chunks(16).enumerate() {
            if candidate.get(..8) != Some(&RSDP_SIGNATURE[..]) {
                continue;
            }
            let paddr = start + (offset as u64) * 16;
            if read_rsdp(mem, paddr).is_ok() {
                return Ok(paddr);
            }
        }
    }
    Err(RsdpError::NotFound)
}
