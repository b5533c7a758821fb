//! Reading the ACPI tables a PVH guest is given (`hvm_start_info.rsdp_paddr`; ACPI 6.5
//! §5.2.5 RSDP, §5.2.8 XSDT, §5.2.12 MADT), through the runtime's identity map of the first
//! 4 GiB. Lengths are bounded; checksums are the caller's to check ([`sum`]).

use crate::boot;

/// `len` bytes of guest-physical memory at `paddr` (below 4 GiB).
pub fn bytes(paddr: u64, len: usize) -> &'static [u8] {
    // SAFETY: the runtime identity-maps the first 4 GiB read-only for this purpose; the
    // addresses come from tables whose ranges the memory map declares, and reading RAM or
    // a mapped table has no side effect.
    unsafe { core::slice::from_raw_parts(paddr as *const u8, len) }
}

/// The byte sum of `b` (zero over a whole table with a correct checksum).
pub fn sum(b: &[u8]) -> u8 {
    b.iter().fold(0u8, |a, x| a.wrapping_add(*x))
}

pub fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

pub fn u64_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// The table at `paddr` if it lies below 4 GiB and its length is sane (36 bytes to 1 MiB).
pub fn table(paddr: u64) -> Option<&'static [u8]> {
    if paddr == 0 || paddr >= 1 << 32 {
        return None;
    }
    let len = u32_at(bytes(paddr, 8), 4) as usize;
    (36..=1 << 20).contains(&len).then(|| bytes(paddr, len))
}

/// The XSDT that start_info's RSDP names.
pub fn xsdt() -> Option<&'static [u8]> {
    let rsdp = bytes(boot::boot()?.start_info.rsdp_paddr, 36);
    table(u64_at(rsdp, 24))
}

/// The physical addresses the XSDT lists.
pub fn xsdt_entries(xsdt: &'static [u8]) -> impl Iterator<Item = u64> {
    xsdt.get(36..)
        .unwrap_or_default()
        .chunks_exact(8)
        .map(|c| u64_at(c, 0))
}

/// The first table the XSDT lists with signature `sig`.
pub fn find(sig: &[u8; 4]) -> Option<&'static [u8]> {
    xsdt_entries(xsdt()?)
        .filter_map(table)
        .find(|t| t.get(..4) == Some(sig))
}

/// A MADT's interrupt controller structures as `(type, bytes)`.
pub fn madt_entries(m: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    let mut at = 44;
    core::iter::from_fn(move || {
        let kind = *m.get(at)?;
        let len = usize::from(*m.get(at + 1)?);
        let e = m.get(at..at + len).filter(|_| len >= 2)?;
        at += len;
        Some((kind, e))
    })
}
