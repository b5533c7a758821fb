//! Random bytes and random mutations of a valid table set never panic.

use super::builder::{RSDP_ADDR, Spec, build, table};
use crate::acpi::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_table_bodies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut w = Vec::new();
        for sig in [b"APIC", b"FACP", b"HPET", b"MCFG", b"DMAR", b"IVRS", b"DSDT"] {
            let t = table(sig, 2, &body);
            let _ = parse_madt(&t, 0x1000, &mut w);
            let _ = parse_fadt(&t, 0x1000, &mut w);
            let _ = parse_hpet(&t, 0x1000, &mut w);
            let _ = parse_mcfg(&t, 0x1000, &mut w);
            let _ = parse_dmar(&t, 0x1000, &mut w);
            let _ = parse_ivrs(&t, 0x1000, &mut w);
            let _ = find_s5(&t);
        }
        let _ = parse_rsdp(&body, None);
    }

    #[test]
    fn aml_around_s5_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut aml = vec![0x08, b'_', b'S', b'5', b'_', 0x12];
        aml.extend_from_slice(&tail);
        let _ = find_s5(&table(b"DSDT", 2, &aml));
    }

    /// Flips random bytes anywhere in the RSDP, root tables and tables (checksums are fixed up
    /// half of the time so the parsers, not only the checksum check, see the damage).
    #[test]
    fn mutated_table_sets_never_panic(
        edits in proptest::collection::vec((any::<u16>(), any::<u8>()), 1..24),
        fix in any::<bool>(),
    ) {
        let mut fx = build(Spec::standard());
        let mut touched = Vec::new();
        let spans: Vec<(u64, usize)> = fx
            .addrs
            .values()
            .map(|&a| (a, 0x200))
            .chain([(RSDP_ADDR, 36)])
            .collect();
        for (i, (pos, val)) in edits.into_iter().enumerate() {
            let (base, len) = spans[i % spans.len()];
            let at = (base as usize) + usize::from(pos) % len;
            fx.mem.bytes_mut()[at] = val;
            touched.push(base as usize);
        }
        if fix {
            for base in touched {
                let bytes = fx.mem.bytes_mut();
                let len = u32::from_le_bytes(bytes[base + 4..base + 8].try_into().unwrap()) as usize;
                if (36..0x1000).contains(&len) && base + len <= bytes.len() {
                    super::builder::fix_checksum(&mut bytes[base..base + len]);
                }
            }
        }
        if let Ok(info) = read_acpi(&fx.mem, RsdpSource::Address(RSDP_ADDR)) {
            let _ = info.table_lines();
        }
        let _ = scan_bios_for_rsdp(&fx.mem);
    }
}
