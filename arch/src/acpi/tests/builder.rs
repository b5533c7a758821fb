//! Builds synthetic ACPI tables in [`FakeMemory`], laid out as QEMU/SeaBIOS would.

use crate::acpi::FakeMemory;
use std::collections::BTreeMap;
use std::vec::Vec;

pub(crate) const MEM_SIZE: usize = 0x20_0000;
/// The RSDP goes in the BIOS area so the scan can find it.
pub(crate) const RSDP_ADDR: u64 = 0xf_5a40;
const TABLES_START: u64 = 0x10_0000;

pub(crate) fn checksum(bytes: &[u8]) -> u8 {
    0u8.wrapping_sub(bytes.iter().fold(0u8, |s, &b| s.wrapping_add(b)))
}

/// Recomputes a table's header checksum (byte 9) over its whole length.
pub(crate) fn fix_checksum(t: &mut [u8]) {
    t[9] = 0;
    t[9] = checksum(t);
}

/// A table: standard header (OEM "FERRIT") followed by `body`, checksummed.
pub(crate) fn table(sig: &[u8; 4], revision: u8, body: &[u8]) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(sig);
    t.extend_from_slice(&((36 + body.len()) as u32).to_le_bytes());
    t.push(revision);
    t.push(0);
    t.extend_from_slice(b"FERRIT");
    t.extend_from_slice(b"TESTTBL ");
    t.extend_from_slice(&1u32.to_le_bytes());
    t.extend_from_slice(b"FRRT");
    t.extend_from_slice(&0x2026u32.to_le_bytes());
    t.extend_from_slice(body);
    fix_checksum(&mut t);
    t
}

pub(crate) fn rsdp(revision: u8, rsdt: u32, xsdt: u64) -> Vec<u8> {
    let mut r = Vec::new();
    r.extend_from_slice(b"RSD PTR ");
    r.push(0);
    r.extend_from_slice(b"BOCHS ");
    r.push(revision);
    r.extend_from_slice(&rsdt.to_le_bytes());
    r[8] = checksum(&r);
    if revision >= 2 {
        r.extend_from_slice(&36u32.to_le_bytes());
        r.extend_from_slice(&xsdt.to_le_bytes());
        r.extend_from_slice(&[0, 0, 0, 0]);
        r[32] = checksum(&r);
    }
    r
}

fn gas(space: u8, width: u8, access: u8, address: u64) -> Vec<u8> {
    let mut g = vec![space, width, 0, access];
    g.extend_from_slice(&address.to_le_bytes());
    g
}

pub(crate) fn madt() -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&0xfee0_0000u32.to_le_bytes());
    b.extend_from_slice(&1u32.to_le_bytes()); // PCAT_COMPAT
    b.extend_from_slice(&[0, 8, 0, 0, 1, 0, 0, 0]); // LAPIC uid 0 apic 0 enabled
    b.extend_from_slice(&[0, 8, 1, 1, 2, 0, 0, 0]); // LAPIC uid 1 apic 1 online-capable
    b.extend_from_slice(&[9, 16, 0, 0]); // x2APIC
    b.extend_from_slice(&0x100u32.to_le_bytes());
    b.extend_from_slice(&1u32.to_le_bytes());
    b.extend_from_slice(&2u32.to_le_bytes());
    b.extend_from_slice(&[1, 12, 2, 0]); // IOAPIC id 2
    b.extend_from_slice(&0xfec0_0000u32.to_le_bytes());
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&[2, 10, 0, 0, 2, 0, 0, 0, 0, 0]); // ISO irq0 -> gsi2
    b.extend_from_slice(&[2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0]); // ISO irq9 -> gsi9 high/level
    b.extend_from_slice(&[3, 8, 0x0f, 0, 5, 0, 0, 0]); // NMI source gsi5 low/level
    b.extend_from_slice(&[4, 6, 0xff, 0x05, 0, 1]); // LAPIC NMI all, LINT1
    b.extend_from_slice(&[0xa, 12, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0]); // x2APIC NMI uid 2
    b.extend_from_slice(&[5, 12, 0, 0]); // LAPIC address override
    b.extend_from_slice(&0x1_fee0_0000u64.to_le_bytes());
    b.extend_from_slice(&[0x11, 4, 0, 0]); // reserved type: counted
    table(b"APIC", 5, &b)
}

/// A 276-byte FADT (revision 6); the DSDT/FACS pointers are patched by [`build`].
pub(crate) fn fadt() -> Vec<u8> {
    let mut b = vec![0u8; 276 - 36];
    let mut put =
        |off: usize, bytes: &[u8]| b[off - 36..off - 36 + bytes.len()].copy_from_slice(bytes);
    put(45, &[4]); // enterprise server
    put(46, &9u16.to_le_bytes());
    put(48, &0xb2u32.to_le_bytes());
    put(52, &[0xf1, 0xf0]);
    put(56, &0x600u32.to_le_bytes());
    put(64, &0x604u32.to_le_bytes());
    put(76, &0x608u32.to_le_bytes());
    put(88, &[4, 2, 0, 4]);
    put(108, &[0x32]);
    put(109, &0x0003u16.to_le_bytes());
    put(112, &((1u32 << 10) | (1 << 8)).to_le_bytes());
    put(116, &gas(1, 8, 1, 0xcf9));
    put(128, &[6]);
    put(131, &[1]);
    table(b"FACP", 6, &b)
}

/// AML with a decoy `_S5_` reference, then `Name (\_S5_, Package (4) { 5, 5, Zero, Zero })`.
pub(crate) fn s5_aml(a: u8, b: u8) -> Vec<u8> {
    let mut aml = vec![0x10, 0x05, b'\\', b'_', b'S', b'B', b'_']; // Scope (\_SB_) (junk-ish)
    aml.extend_from_slice(&[0x70, b'_', b'S', b'5', b'_', 0x60]); // Store (_S5_, Local0): decoy
    aml.extend_from_slice(&[0x08, b'\\', b'_', b'S', b'5', b'_', 0x12, 0x08, 0x04]);
    aml.extend_from_slice(&[0x0a, a, 0x0a, b, 0x00, 0x00]);
    aml
}

pub(crate) fn dsdt() -> Vec<u8> {
    table(b"DSDT", 2, &s5_aml(5, 5))
}

pub(crate) fn facs() -> Vec<u8> {
    let mut f = vec![0u8; 64];
    f[..4].copy_from_slice(b"FACS");
    f[4] = 64;
    f[32] = 2;
    f
}

pub(crate) fn hpet() -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&0x8086_a201u32.to_le_bytes());
    b.extend_from_slice(&gas(0, 64, 0, 0xfed0_0000));
    b.push(0);
    b.extend_from_slice(&0x80u16.to_le_bytes());
    b.push(0);
    table(b"HPET", 1, &b)
}

pub(crate) fn mcfg() -> Vec<u8> {
    let mut b = vec![0u8; 8];
    for (base, seg, start, end) in [
        (0xb000_0000u64, 0u16, 0u8, 0xffu8),
        (0xc000_0000, 1, 0, 0x3f),
    ] {
        b.extend_from_slice(&base.to_le_bytes());
        b.extend_from_slice(&seg.to_le_bytes());
        b.extend_from_slice(&[start, end, 0, 0, 0, 0]);
    }
    table(b"MCFG", 1, &b)
}

pub(crate) fn dmar() -> Vec<u8> {
    let mut b = vec![38, 0x01];
    b.extend_from_slice(&[0; 10]);
    // DRHD with one 8-byte device scope.
    b.extend_from_slice(&0u16.to_le_bytes());
    b.extend_from_slice(&24u16.to_le_bytes());
    b.extend_from_slice(&[1, 0]);
    b.extend_from_slice(&0u16.to_le_bytes());
    b.extend_from_slice(&0xfed9_0000u64.to_le_bytes());
    b.extend_from_slice(&[1, 8, 0, 0, 0, 0, 0, 2]);
    // RMRR (24), ATSR (8), RHSA (20)
    for (kind, len) in [(1u16, 24u16), (2, 8), (3, 20)] {
        b.extend_from_slice(&kind.to_le_bytes());
        b.extend_from_slice(&len.to_le_bytes());
        b.extend_from_slice(&vec![0u8; usize::from(len) - 4]);
    }
    table(b"DMAR", 1, &b)
}

pub(crate) fn ivrs() -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&0x0020_3041u32.to_le_bytes()); // EFRSup, GVA 2, PA 0x30, VA 0x40
    b.extend_from_slice(&[0; 8]);
    // IVHD 0x10, 24 bytes + one 4-byte device entry.
    b.extend_from_slice(&[0x10, 0xb0]);
    b.extend_from_slice(&28u16.to_le_bytes());
    b.extend_from_slice(&0x0002u16.to_le_bytes());
    b.extend_from_slice(&0x40u16.to_le_bytes());
    b.extend_from_slice(&0xfeb8_0000u64.to_le_bytes());
    b.extend_from_slice(&0u16.to_le_bytes());
    b.extend_from_slice(&0x1300u16.to_le_bytes());
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&[3, 0, 0, 0]);
    // IVHD 0x11, 40 bytes.
    b.extend_from_slice(&[0x11, 0x30]);
    b.extend_from_slice(&40u16.to_le_bytes());
    b.extend_from_slice(&0x0002u16.to_le_bytes());
    b.extend_from_slice(&0x40u16.to_le_bytes());
    b.extend_from_slice(&0xfeb8_0000u64.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&0u16.to_le_bytes());
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&0x1234u64.to_le_bytes());
    b.extend_from_slice(&0u64.to_le_bytes());
    // IVMD 0x20, 32 bytes.
    b.extend_from_slice(&[0x20, 0]);
    b.extend_from_slice(&32u16.to_le_bytes());
    b.extend_from_slice(&[0; 28]);
    table(b"IVRS", 2, &b)
}

/// What to build: the root table's entries (in order), the DSDT and the RSDP revision.
pub(crate) struct Spec {
    pub(crate) tables: Vec<Vec<u8>>,
    pub(crate) dsdt: Vec<u8>,
    pub(crate) revision: u8,
}

impl Spec {
    pub(crate) fn standard() -> Self {
        Self {
            tables: vec![fadt(), madt(), hpet(), mcfg(), dmar(), ivrs()],
            dsdt: dsdt(),
            revision: 2,
        }
    }

    /// Replaces the first table with signature `sig`.
    pub(crate) fn replace(mut self, sig: &[u8; 4], t: Vec<u8>) -> Self {
        if let Some(slot) = self.tables.iter_mut().find(|t| &t[..4] == sig) {
            *slot = t;
        }
        self
    }
}

/// A built machine: memory, the RSDP bytes and address, and where each table landed.
pub(crate) struct Fixture {
    pub(crate) mem: FakeMemory,
    pub(crate) rsdp: Vec<u8>,
    pub(crate) addrs: BTreeMap<[u8; 4], u64>,
}

pub(crate) fn build(spec: Spec) -> Fixture {
    let mut mem = FakeMemory::new(0, MEM_SIZE);
    let mut next = TABLES_START;
    let mut addrs = BTreeMap::new();
    let mut place = |mem: &mut FakeMemory, bytes: &[u8]| {
        let at = next;
        mem.write(at, bytes).unwrap();
        next = (at + bytes.len() as u64 + 15) & !15;
        at
    };
    let dsdt_at = place(&mut mem, &spec.dsdt);
    addrs.insert(*b"DSDT", dsdt_at);
    let facs_at = place(&mut mem, &facs());
    addrs.insert(*b"FACS", facs_at);
    let mut entries = Vec::new();
    for mut t in spec.tables {
        if &t[..4] == b"FACP" && t.len() >= 148 {
            t[36..40].copy_from_slice(&(facs_at as u32).to_le_bytes());
            t[40..44].copy_from_slice(&(dsdt_at as u32).to_le_bytes());
            t[132..140].copy_from_slice(&facs_at.to_le_bytes());
            t[140..148].copy_from_slice(&dsdt_at.to_le_bytes());
            fix_checksum(&mut t);
        }
        let at = place(&mut mem, &t);
        let sig: [u8; 4] = t[..4].try_into().unwrap();
        addrs.entry(sig).or_insert(at);
        entries.push(at);
    }
    let rsdt_body: Vec<u8> = entries
        .iter()
        .flat_map(|&a| (a as u32).to_le_bytes())
        .collect();
    let rsdt_at = place(&mut mem, &table(b"RSDT", 1, &rsdt_body));
    addrs.insert(*b"RSDT", rsdt_at);
    let mut xsdt_at = 0;
    if spec.revision >= 2 {
        let xsdt_body: Vec<u8> = entries.iter().flat_map(|&a| a.to_le_bytes()).collect();
        xsdt_at = place(&mut mem, &table(b"XSDT", 1, &xsdt_body));
        addrs.insert(*b"XSDT", xsdt_at);
    }
    let rsdp = rsdp(spec.revision, rsdt_at as u32, xsdt_at);
    mem.write(RSDP_ADDR, &rsdp).unwrap();
    Fixture { mem, rsdp, addrs }
}
