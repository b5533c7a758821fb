//! ACPI tables for a PVH dom0 (Xen's `xen/arch/x86/hvm/dom0_build.c`, `pvh_setup_acpi`):
//! dom0 sees the host's tables, except that its MADT is Ferrite's own, with one local APIC per
//! vCPU (APIC id = vCPU id, as Ferrite's CPUID reports) and the host's I/O APICs, interrupt
//! overrides and NMI sources; tables for devices Ferrite keeps (HPET, IOMMUs, ...) are left
//! out. A new RSDP and XSDT point at the MADT and at the host tables, which stay where they
//! are and are mapped 1:1 (read-write, as Xen maps them: the FACS holds the global lock) into
//! dom0's memory.
//!
//! Table layouts: ACPI 6.5, 5.2.5 (RSDP), 5.2.8 (XSDT), 5.2.12 (MADT).

use alloc::vec::Vec;

/// Host tables dom0 may see through the XSDT (Xen's `pvh_acpi_table_allowed` list); the
/// DSDT and FACS are reached through the FADT.
pub const ALLOWED: [&[u8; 4]; 13] = [
    b"DSDT", b"FACP", b"FACS", b"PSDT", b"SSDT", b"SBST", b"MCFG", b"SLIC", b"MSDM", b"WDAT",
    b"FPDT", b"S3PT", b"VFCT",
];

/// A host table as the builder needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostTable {
    pub signature: [u8; 4],
    pub paddr: u64,
    pub length: u32,
}

/// The host's interrupt-controller facts that dom0's MADT repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostMadt {
    pub lapic_address: u32,
    /// `(id, address, gsi_base)` of each I/O APIC.
    pub io_apics: Vec<(u8, u32, u32)>,
    /// `(bus, irq, gsi, flags)` of each interrupt source override.
    pub overrides: Vec<(u8, u8, u32, u16)>,
    /// `(gsi, flags)` of each NMI source.
    pub nmi_sources: Vec<(u32, u16)>,
    /// `(lint, flags)` of the local APIC NMI line, given to every processor.
    pub lapic_nmi: Option<(u8, u16)>,
}

/// What dom0 gets: bytes to write at `base` in its memory, the RSDP's address, and the host
/// ranges to map 1:1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dom0Acpi {
    pub base: u64,
    pub bytes: Vec<u8>,
    pub rsdp: u64,
    /// Page-aligned `(start, end)` host-physical ranges holding the tables dom0 reaches.
    pub host_ranges: Vec<(u64, u64)>,
}

const OEM_ID: &[u8; 6] = b"FERRIT";
const OEM_TABLE: &[u8; 8] = b"FERRITE ";

fn checksum(bytes: &[u8]) -> u8 {
    0u8.wrapping_sub(bytes.iter().fold(0u8, |a, b| a.wrapping_add(*b)))
}

/// A 36-byte SDT header for `signature` with `length` and `revision`.
fn header(signature: &[u8; 4], length: u32, revision: u8) -> Vec<u8> {
    let mut h = Vec::with_capacity(length as usize);
    h.extend_from_slice(signature);
    h.extend_from_slice(&length.to_le_bytes());
    h.push(revision);
    h.push(0); // checksum, filled last
    h.extend_from_slice(OEM_ID);
    h.extend_from_slice(OEM_TABLE);
    h.extend_from_slice(&1u32.to_le_bytes()); // OEM revision
    h.extend_from_slice(b"FRRT");
    h.extend_from_slice(&1u32.to_le_bytes()); // creator revision
    h
}

fn seal(t: &mut [u8]) {
    if let Some(c) = t.get_mut(9) {
        *c = 0;
    }
    let sum = checksum(t);
    if let Some(c) = t.get_mut(9) {
        *c = sum;
    }
}

/// dom0's MADT for `vcpus` vCPUs.
pub fn madt(host: &HostMadt, vcpus: u32) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&host.lapic_address.to_le_bytes());
    // No PCAT_COMPAT: dom0 has no 8259s (Ferrite keeps them masked and their ports), so
    // a kernel probes for them, finds none, and leaves the legacy timer check alone.
    body.extend_from_slice(&0u32.to_le_bytes());
    for v in 0..vcpus.min(255) {
        // Type 0: processor local APIC (uid, APIC id, enabled).
        body.extend_from_slice(&[0, 8, v as u8, v as u8, 1, 0, 0, 0]);
    }
    for &(id, address, gsi_base) in &host.io_apics {
        body.extend_from_slice(&[1, 12, id, 0]);
        body.extend_from_slice(&address.to_le_bytes());
        body.extend_from_slice(&gsi_base.to_le_bytes());
    }
    for &(bus, irq, gsi, flags) in &host.overrides {
        body.extend_from_slice(&[2, 10, bus, irq]);
        body.extend_from_slice(&gsi.to_le_bytes());
        body.extend_from_slice(&flags.to_le_bytes());
    }
    for &(gsi, flags) in &host.nmi_sources {
        body.extend_from_slice(&[3, 8]);
        body.extend_from_slice(&flags.to_le_bytes());
        body.extend_from_slice(&gsi.to_le_bytes());
    }
    if let Some((lint, flags)) = host.lapic_nmi {
        // Type 4 with uid 0xff: every processor.
        body.extend_from_slice(&[4, 6, 0xff]);
        body.extend_from_slice(&flags.to_le_bytes());
        body.push(lint);
    }
    let mut t = header(b"APIC", (36 + body.len()) as u32, 5);
    t.extend_from_slice(&body);
    seal(&mut t);
    t
}

/// Builds dom0's RSDP, XSDT and MADT for placement at guest-physical `base`.
pub fn build(tables: &[HostTable], host_madt: &HostMadt, vcpus: u32, base: u64) -> Dom0Acpi {
    // The XSDT names the allowed host tables that the FADT does not (DSDT, FACS).
    let listed: Vec<&HostTable> = tables
        .iter()
        .filter(|t| ALLOWED.contains(&&t.signature) && !matches!(&t.signature, b"DSDT" | b"FACS"))
        .collect();
    let madt = madt(host_madt, vcpus);
    let rsdp_at = base;
    let xsdt_at = base + 64;
    let xsdt_len = 36 + 8 * (listed.len() + 1);
    let madt_at = (xsdt_at + xsdt_len as u64 + 15) & !15;
    let mut xsdt = header(b"XSDT", xsdt_len as u32, 1);
    xsdt.extend_from_slice(&madt_at.to_le_bytes());
    for t in &listed {
        xsdt.extend_from_slice(&t.paddr.to_le_bytes());
    }
    seal(&mut xsdt);
    // ACPI 2.0 RSDP: the first 20 bytes have their own checksum, the whole 36 another.
    let mut rsdp = Vec::with_capacity(36);
    rsdp.extend_from_slice(b"RSD PTR ");
    rsdp.push(0);
    rsdp.extend_from_slice(OEM_ID);
    rsdp.push(2);
    rsdp.extend_from_slice(&0u32.to_le_bytes()); // no RSDT
    rsdp.extend_from_slice(&36u32.to_le_bytes());
    rsdp.extend_from_slice(&xsdt_at.to_le_bytes());
    rsdp.extend_from_slice(&[0; 4]);
    rsdp[8] = checksum(&rsdp[..20]);
    rsdp[32] = checksum(&rsdp);
    let mut bytes = alloc::vec![0u8; (madt_at - base) as usize];
    bytes[..36].copy_from_slice(&rsdp);
    bytes[64..64 + xsdt.len()].copy_from_slice(&xsdt);
    bytes.extend_from_slice(&madt);
    // Every allowed host table is mapped, DSDT and FACS included.
    let mut ranges: Vec<(u64, u64)> = tables
        .iter()
        .filter(|t| ALLOWED.contains(&&t.signature) && t.length > 0)
        .map(|t| {
            let end = t.paddr.saturating_add(u64::from(t.length));
            (t.paddr & !0xfff, end.saturating_add(0xfff) & !0xfff)
        })
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    Dom0Acpi {
        base,
        bytes,
        rsdp: rsdp_at,
        host_ranges: merged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(sig: &[u8; 4], paddr: u64, length: u32) -> HostTable {
        HostTable {
            signature: *sig,
            paddr,
            length,
        }
    }

    fn host() -> (Vec<HostTable>, HostMadt) {
        let tables = vec![
            table(b"FACP", 0x0ffe_1000, 0xf4),
            table(b"APIC", 0x0ffe_1100, 0x78),
            table(b"HPET", 0x0ffe_1200, 0x38),
            table(b"MCFG", 0x0ffe_1300, 0x3c),
            table(b"DSDT", 0x0ffe_0040, 0x2000),
            table(b"FACS", 0x0ffe_0000, 0x40),
        ];
        let madt = HostMadt {
            lapic_address: 0xfee0_0000,
            io_apics: vec![(0, 0xfec0_0000, 0)],
            overrides: vec![(0, 0, 2, 0), (0, 9, 9, 0xd)],
            nmi_sources: vec![],
            lapic_nmi: Some((1, 0)),
        };
        (tables, madt)
    }

    #[test]
    fn rsdp_xsdt_madt_are_well_formed() {
        let (tables, m) = host();
        let a = build(&tables, &m, 4, 0xe_0000);
        let b = &a.bytes;
        assert_eq!(a.rsdp, 0xe_0000);
        assert_eq!(&b[..8], b"RSD PTR ");
        assert_eq!(checksum(&b[..20]), 0);
        assert_eq!(checksum(&b[..36]), 0);
        assert_eq!(b[15], 2, "revision 2: XSDT");
        let xsdt_at = u64::from_le_bytes(b[24..32].try_into().unwrap());
        let x = (xsdt_at - a.base) as usize;
        let xlen = u32::from_le_bytes(b[x + 4..x + 8].try_into().unwrap()) as usize;
        assert_eq!(&b[x..x + 4], b"XSDT");
        assert_eq!(checksum(&b[x..x + xlen]), 0);
        let entries: Vec<u64> = b[x + 36..x + xlen]
            .chunks(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        // Our MADT, the FADT and MCFG; not the host MADT, HPET, DSDT or FACS.
        assert_eq!(entries.len(), 3);
        assert!(entries.contains(&0x0ffe_1000) && entries.contains(&0x0ffe_1300));
        let madt_at = (entries[0] - a.base) as usize;
        let mlen = u32::from_le_bytes(b[madt_at + 4..madt_at + 8].try_into().unwrap()) as usize;
        assert_eq!(madt_at + mlen, b.len());
        let t = &b[madt_at..madt_at + mlen];
        assert_eq!(&t[..4], b"APIC");
        assert_eq!(checksum(t), 0);
        // 4 LAPICs (8 bytes), 1 I/O APIC (12), 2 overrides (10), 1 LAPIC NMI (6).
        assert_eq!(mlen, 44 + 4 * 8 + 12 + 2 * 10 + 6);
        let mut at = 44;
        let mut ids = Vec::new();
        while at < mlen {
            if t[at] == 0 {
                ids.push((t[at + 2], t[at + 3], t[at + 4]));
            }
            at += t[at + 1] as usize;
        }
        assert_eq!(ids, [(0, 0, 1), (1, 1, 1), (2, 2, 1), (3, 3, 1)]);
    }

    #[test]
    fn host_ranges_cover_the_reachable_tables_only() {
        let (tables, m) = host();
        let a = build(&tables, &m, 1, 0xe_0000);
        // FACS+DSDT [0x0ffe0000, 0x0ffe3000) and FACP/MCFG's page merge; HPET shares it.
        assert_eq!(a.host_ranges, [(0x0ffe_0000, 0x0ffe_3000)]);
        let a = build(&[table(b"HPET", 0x5000, 0x38)], &m, 1, 0xe_0000);
        assert!(a.host_ranges.is_empty());
    }

    #[test]
    fn hostile_host_values_do_not_panic() {
        let m = HostMadt::default();
        let a = build(&[table(b"FACP", u64::MAX - 4, u32::MAX)], &m, 300, 0);
        assert_eq!(a.host_ranges.len(), 1);
        let madt = madt(&m, 300);
        assert_eq!(
            madt.len(),
            44 + 255 * 8,
            "one LAPIC entry per vCPU, at most 255"
        );
    }
}
