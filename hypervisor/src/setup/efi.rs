//! Finding the ACPI RSDP through the EFI system table's configuration table (UEFI 2.x §4.3,
//! §4.6), for UEFI boots where the loader passed no ACPI tag.

use ferrite_arch::boot::phys::{PhysRead, read_u64};

/// `EFI_ACPI_20_TABLE_GUID` 8868e871-e4f1-11d3-bc22-0080c73c8881, in memory order.
const ACPI_20: [u8; 16] = [
    0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11, 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81,
];
/// `ACPI_TABLE_GUID` (ACPI 1.0) eb9d2d30-2d88-11d3-9a16-0090273fc14d.
const ACPI_10: [u8; 16] = [
    0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11, 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d,
];

/// "IBI SYST", the system table's signature.
const SYSTAB_SIGNATURE: u64 = 0x5453_5953_2049_4249;
/// Entries read at most: firmware lists a few dozen.
const MAX_ENTRIES: u64 = 1024;

/// The RSDP address from a 64-bit EFI system table at `systab`: the ACPI 2.0 entry if there
/// is one, else the ACPI 1.0 entry. `None` on any inconsistency.
pub fn rsdp_from_systab(mem: &dyn PhysRead, systab: u64) -> Option<u64> {
    if read_u64(mem, systab).ok()? != SYSTAB_SIGNATURE {
        return None;
    }
    let count = read_u64(mem, systab.checked_add(104)?).ok()?;
    let table = read_u64(mem, systab.checked_add(112)?).ok()?;
    if count > MAX_ENTRIES || table == 0 {
        return None;
    }
    let mut v1 = None;
    for i in 0..count {
        let entry = table.checked_add(i * 24)?;
        let mut guid = [0u8; 16];
        mem.read(entry, &mut guid).ok()?;
        let addr = read_u64(mem, entry + 16).ok()?;
        if guid == ACPI_20 {
            return Some(addr);
        }
        if guid == ACPI_10 {
            v1 = Some(addr);
        }
    }
    v1
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrite_arch::boot::phys::SliceMem;

    fn systab(entries: &[([u8; 16], u64)]) -> Vec<u8> {
        let mut m = vec![0u8; 0x1000];
        m[..8].copy_from_slice(&SYSTAB_SIGNATURE.to_le_bytes());
        m[104..112].copy_from_slice(&(entries.len() as u64).to_le_bytes());
        m[112..120].copy_from_slice(&0x10200u64.to_le_bytes());
        for (i, (g, a)) in entries.iter().enumerate() {
            let o = 0x200 + i * 24;
            m[o..o + 16].copy_from_slice(g);
            m[o + 16..o + 24].copy_from_slice(&a.to_le_bytes());
        }
        m
    }

    #[test]
    fn prefers_acpi20() {
        let other = [7u8; 16];
        let m = systab(&[(other, 1), (ACPI_10, 0xe0000), (ACPI_20, 0x7fb7e014)]);
        let mem = SliceMem {
            base: 0x10000,
            bytes: &m,
        };
        assert_eq!(rsdp_from_systab(&mem, 0x10000), Some(0x7fb7e014));
        let m = systab(&[(ACPI_10, 0xe0000)]);
        let mem = SliceMem {
            base: 0x10000,
            bytes: &m,
        };
        assert_eq!(rsdp_from_systab(&mem, 0x10000), Some(0xe0000));
    }

    #[test]
    fn bad_tables_give_none() {
        let mut m = systab(&[(ACPI_20, 5)]);
        let mem = SliceMem {
            base: 0x10000,
            bytes: &m,
        };
        assert_eq!(rsdp_from_systab(&mem, 0x20000), None); // unreadable
        m[0] = 0;
        let mem = SliceMem {
            base: 0x10000,
            bytes: &m,
        };
        assert_eq!(rsdp_from_systab(&mem, 0x10000), None); // bad signature
        let mut m = systab(&[(ACPI_20, 5)]);
        m[104..112].copy_from_slice(&u64::MAX.to_le_bytes());
        let mem = SliceMem {
            base: 0x10000,
            bytes: &m,
        };
        assert_eq!(rsdp_from_systab(&mem, 0x10000), None); // absurd count
        let mut m = systab(&[(ACPI_20, 5)]);
        m[112..120].copy_from_slice(&0xffff_ffff_ffff_fff0u64.to_le_bytes());
        let mem = SliceMem {
            base: 0x10000,
            bytes: &m,
        };
        assert_eq!(rsdp_from_systab(&mem, 0x10000), None); // table pointer wraps
    }
}
