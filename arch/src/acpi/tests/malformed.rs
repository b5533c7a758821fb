//! Malformed input: each broken table is reported and skipped, and the rest is still parsed.

use super::builder::{Fixture, RSDP_ADDR, Spec, build, fix_checksum, madt, rsdp, table};
use crate::acpi::*;

fn read(fx: &Fixture) -> AcpiInfo {
    read_acpi(&fx.mem, RsdpSource::Address(RSDP_ADDR)).unwrap()
}

/// Edits the bytes of the table placed for `sig`, in memory (the checksum is left as is).
fn poke(fx: &mut Fixture, sig: &[u8; 4], f: impl FnOnce(&mut [u8])) {
    let at = fx.addrs[sig] as usize;
    let bytes = fx.mem.bytes_mut();
    let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
    let len = len.clamp(36, bytes.len() - at);
    f(&mut bytes[at..at + len]);
}

fn has(info: &AcpiInfo, needle: &str) -> bool {
    info.warnings.iter().any(|w| w.contains(needle))
}

/// Everything except the table under test is still parsed.
fn others_parsed(info: &AcpiInfo, except: &[u8; 4]) {
    if except != b"APIC" {
        assert!(info.madt.is_some(), "{:#?}", info.warnings);
    }
    if except != b"FACP" {
        assert!(info.fadt.is_some(), "{:#?}", info.warnings);
    }
    if except != b"FACP" && except != b"DSDT" {
        assert!(info.s5.is_some(), "{:#?}", info.warnings);
    }
    if except != b"HPET" {
        assert!(info.hpet.is_some());
    }
    if except != b"MCFG" {
        assert!(!info.mcfg.is_empty());
    }
    if except != b"DMAR" {
        assert!(info.dmar.is_some());
    }
    if except != b"IVRS" {
        assert!(info.ivrs.is_some());
    }
}

#[test]
fn bad_rsdp_is_an_error() {
    let good = rsdp(2, 0x1000, 0x2000);
    assert!(parse_rsdp(&good, None).is_ok());
    let mut bad = good.clone();
    bad[8] ^= 1;
    assert_eq!(parse_rsdp(&bad, None), Err(RsdpError::BadChecksum));
    let mut bad = good.clone();
    bad[32] ^= 1;
    assert_eq!(parse_rsdp(&bad, None), Err(RsdpError::BadExtendedChecksum));
    let mut bad = good.clone();
    bad[0] = b'X';
    assert_eq!(parse_rsdp(&bad, None), Err(RsdpError::BadSignature));
    assert_eq!(
        parse_rsdp(&good[..30], None),
        Err(RsdpError::TooShort { have: 30, need: 36 })
    );
    assert_eq!(
        parse_rsdp(&good[..10], None),
        Err(RsdpError::TooShort { have: 10, need: 20 })
    );
    assert_eq!(
        parse_rsdp(&rsdp(0, 0, 0), None),
        Err(RsdpError::NoRootTable)
    );
    let mut short_len = good.clone();
    short_len[20] = 20;
    short_len[32] = 0;
    short_len[32] = super::builder::checksum(&short_len);
    assert_eq!(parse_rsdp(&short_len, None), Err(RsdpError::BadLength(20)));
    let fx = build(Spec::standard());
    assert!(matches!(
        read_acpi(&fx.mem, RsdpSource::Address(0x4000_0000)),
        Err(RsdpError::Unreadable(_))
    ));
    assert_eq!(
        read_acpi(&fx.mem, RsdpSource::Address(0x1000)).unwrap_err(),
        RsdpError::BadSignature
    );
    assert_eq!(
        RsdpError::BadChecksum.to_string(),
        "RSDP checksum is invalid"
    );
}

#[test]
fn bad_checksum_skips_only_that_table() {
    for sig in [b"APIC", b"FACP", b"HPET", b"MCFG", b"DMAR", b"IVRS"] {
        let mut fx = build(Spec::standard());
        poke(&mut fx, sig, |t| t[20] ^= 0x55);
        let info = read(&fx);
        let name = String::from_utf8_lossy(sig);
        let expected = format!(
            "ACPI: {name} at {:#x}: bad checksum; ignoring the table",
            fx.addrs[sig]
        );
        assert!(info.warnings.contains(&expected), "{:#?}", info.warnings);
        let entry = info.tables.iter().find(|t| &t.signature == sig).unwrap();
        assert!(!entry.valid);
        assert!(
            info.table_lines()
                .iter()
                .any(|l| l.contains(&*name) && l.ends_with("[invalid, ignored]"))
        );
        others_parsed(&info, sig);
    }
}

#[test]
fn madt_zero_length_entry_stops_the_walk() {
    let mut fx = build(Spec::standard());
    poke(&mut fx, b"APIC", |t| {
        t[0x2c + 8 + 1] = 0; // the second entry (at 0x34) gets length 0
        fix_checksum(t);
    });
    let info = read(&fx);
    let expected = format!(
        "ACPI: MADT at {:#x}: entry at offset 0x34 has length 0; ignoring the rest of the MADT",
        fx.addrs[b"APIC"]
    );
    assert!(info.warnings.contains(&expected), "{:#?}", info.warnings);
    let m = info.madt.as_ref().unwrap();
    assert_eq!(m.processors.len(), 1);
    assert_eq!(m.local_apic_address, 0xfee0_0000);
    others_parsed(&info, b"APIC");
}

#[test]
fn madt_entry_past_the_end_and_short_entries() {
    let mut t = madt();
    let last = t.len() - 4;
    t[last + 1] = 40; // the final entry claims 40 bytes
    t[0x2c + 1] = 4; // the first LAPIC entry is too short for its type...
    t.splice(0x2c + 4..0x2c + 8, []); // ...and really is 4 bytes long
    let len = t.len() as u32;
    t[4..8].copy_from_slice(&len.to_le_bytes());
    fix_checksum(&mut t);
    let mut w = Vec::new();
    let m = parse_madt(&t, 0x5000, &mut w).unwrap();
    assert!(w.iter().any(|w| w.contains("entry at offset 0x2c (type 0) has length 4, below 8; skipping it")), "{w:#?}");
    assert!(
        w.iter()
            .any(|w| w.contains("runs past the end of the table")),
        "{w:#?}"
    );
    assert_eq!(m.processors.len(), 2);
    assert_eq!(m.io_apics.len(), 1);
    assert_eq!(m.other_entries, 0);
}

#[test]
fn madt_shorter_than_fixed_fields_and_reserved_flags() {
    let mut w = Vec::new();
    assert_eq!(
        parse_madt(&table(b"APIC", 1, &[0; 4]), 0x6000, &mut w),
        None
    );
    assert!(w[0].contains("shorter than its fixed fields"), "{w:?}");
    let mut body = vec![0u8; 8];
    body.extend_from_slice(&[2, 10, 0, 4, 4, 0, 0, 0, 0x02, 0]); // polarity 0b10 is reserved
    let m = parse_madt(&table(b"APIC", 1, &body), 0x6000, &mut w).unwrap();
    assert_eq!(m.overrides[0].polarity, Polarity::SameAsBus);
    assert_eq!(m.overrides[0].flags, 2);
    assert!(w.iter().any(|w| w.contains("reserved flags 0x2")), "{w:?}");
}

#[test]
fn madt_absurd_entry_count_is_capped() {
    let mut body = vec![0u8; 8];
    for _ in 0..madt::MAX_MADT_ENTRIES + 10 {
        body.extend_from_slice(&[0x7f, 2]);
    }
    let mut w = Vec::new();
    let m = parse_madt(&table(b"APIC", 1, &body), 0x6000, &mut w).unwrap();
    assert_eq!(m.other_entries, madt::MAX_MADT_ENTRIES);
    assert!(
        w.iter().any(|w| w.contains("more than 65536 entries")),
        "{w:?}"
    );
}

#[test]
fn table_lengths_short_absurd_and_past_memory() {
    for sig in [b"APIC", b"FACP", b"HPET", b"MCFG", b"DMAR", b"IVRS"] {
        for (len, needle) in [
            (10u32, "length 0xa is shorter than the 36-byte header"),
            (0x7fff_ffff, "exceeds the 0x400000-byte limit"),
            (0x10_0000, "runs past mapped memory"),
        ] {
            let mut fx = build(Spec::standard());
            poke(&mut fx, sig, |t| {
                t[4..8].copy_from_slice(&len.to_le_bytes())
            });
            let info = read(&fx);
            let name = String::from_utf8_lossy(sig);
            let prefix = format!("ACPI: {name} at {:#x}: ", fx.addrs[sig]);
            assert!(
                info.warnings
                    .iter()
                    .any(|w| w.starts_with(&prefix) && w.contains(needle)),
                "{:#?}",
                info.warnings
            );
            others_parsed(&info, sig);
        }
    }
}

#[test]
fn out_of_range_and_null_root_entries() {
    let mut fx = build(Spec::standard());
    poke(&mut fx, b"XSDT", |t| {
        t[36..44].copy_from_slice(&0xdead_0000u64.to_le_bytes()); // was the FADT
        t[44..52].copy_from_slice(&0u64.to_le_bytes()); // was the MADT
        fix_checksum(t);
    });
    let info = read(&fx);
    assert!(
        has(&info, "ACPI: table at 0xdead0000: header unreadable"),
        "{:#?}",
        info.warnings
    );
    assert!(
        has(&info, "entry 1 is a null pointer"),
        "{:#?}",
        info.warnings
    );
    assert!(info.fadt.is_none() && info.madt.is_none());
    assert!(info.hpet.is_some() && info.dmar.is_some() && info.ivrs.is_some());
}

#[test]
fn broken_xsdt_falls_back_to_the_rsdt() {
    let mut fx = build(Spec::standard());
    poke(&mut fx, b"XSDT", |t| t[40] ^= 1);
    let info = read(&fx);
    assert!(has(&info, "XSDT at"), "{:#?}", info.warnings);
    others_parsed(&info, b"none");
    assert_eq!(&info.tables[1].signature, b"RSDT");
    // Both root tables broken: no tables, but still an `AcpiInfo` with the reason.
    poke(&mut fx, b"RSDT", |t| t[0] = b'X');
    let info = read(&fx);
    assert!(info.madt.is_none() && info.fadt.is_none());
    assert!(
        has(&info, "signature is \"XSDT\", expected RSDT"),
        "{:#?}",
        info.warnings
    );
    assert!(
        has(&info, "ACPI: no usable RSDT or XSDT"),
        "{:#?}",
        info.warnings
    );
}

#[test]
fn short_fadt_is_ignored_and_s5_is_reported_missing() {
    let short = table(b"FACP", 1, &super::builder::fadt()[36..100]);
    let fx = build(Spec::standard().replace(b"FACP", short));
    let info = read(&fx);
    assert!(info.fadt.is_none());
    assert!(has(&info, "FACP at"));
    assert!(
        has(&info, "shorter than its fixed fields (0x74)"),
        "{:#?}",
        info.warnings
    );
    others_parsed(&info, b"FACP");
}

#[test]
fn malformed_s5_gives_no_s5_and_a_message() {
    let cases: [&[u8]; 4] = [
        &[0x08, b'_', b'S', b'5', b'_', 0x12, 0x3f, 0x02, 0x00, 0x00], // package past the end
        &[0x08, b'_', b'S', b'5', b'_', 0x12, 0x04, 0x02, 0x70, 0x00], // not an integer
        &[0x08, b'_', b'S', b'5', b'_', 0x0a, 0x05],                   // not a package
        &[0x08, b'_', b'S', b'5', b'_', 0x12],                         // truncated
    ];
    for aml in cases {
        let mut spec = Spec::standard();
        spec.dsdt = table(b"DSDT", 2, aml);
        let fx = build(spec);
        let info = read(&fx);
        assert_eq!(info.s5, None);
        assert!(
            has(
                &info,
                &format!(
                    "ACPI: DSDT at {:#x}: _S5_ at offset 0x25: ",
                    fx.addrs[b"DSDT"]
                )
            ),
            "{:#?}",
            info.warnings
        );
        assert!(
            has(&info, "ACPI power-off unavailable"),
            "{:#?}",
            info.warnings
        );
        others_parsed(&info, b"DSDT");
    }
    // A large value is not a byte.
    let t = table(
        b"DSDT",
        2,
        &[
            0x08, b'_', b'S', b'5', b'_', 0x12, 0x05, 0x02, 0x0b, 0, 1, 0,
        ],
    );
    assert!(matches!(find_s5(&t), Err(S5Error::Malformed { .. })));
}

#[test]
fn hpet_and_mcfg_problems() {
    let mut w = Vec::new();
    assert_eq!(
        parse_hpet(&table(b"HPET", 1, &[0; 10]), 0x7000, &mut w),
        None
    );
    let mut io = super::builder::hpet();
    io[40] = 1;
    assert_eq!(parse_hpet(&io, 0x7000, &mut w), None);
    assert!(w.iter().any(|w| w.contains("address space 1")), "{w:?}");
    let mut body = vec![0u8; 8];
    body.extend_from_slice(&0xb000_0000u64.to_le_bytes());
    body.extend_from_slice(&[0, 0, 0x10, 0x01, 0, 0, 0, 0]); // buses 0x10..0x01
    body.extend_from_slice(&0xc000_0000u64.to_le_bytes());
    body.extend_from_slice(&[0, 0, 0, 0xff, 0, 0, 0, 0]);
    body.extend_from_slice(&[1, 2, 3]);
    let e = parse_mcfg(&table(b"MCFG", 1, &body), 0x8000, &mut w);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].base_address, 0xc000_0000);
    assert!(w.iter().any(|w| w.contains("3 trailing bytes")));
    assert!(
        w.iter()
            .any(|w| w.contains("entry 0 (segment 0, buses 0x10-0x1"))
    );
    assert!(parse_mcfg(&table(b"MCFG", 1, &[]), 0x8000, &mut w).is_empty());
}

#[test]
fn dmar_and_ivrs_bad_entries() {
    let mut w = Vec::new();
    // DMAR: a zero-length structure after the DRHD.
    let mut d = super::builder::dmar();
    d[48 + 24 + 2] = 0;
    d[48 + 24 + 3] = 0;
    fix_checksum(&mut d);
    let info = parse_dmar(&d, 0x9000, &mut w).unwrap();
    assert_eq!(info.drhds.len(), 1);
    assert_eq!(info.rmrr_count, 0);
    assert!(w.iter().any(|w| w == "ACPI: DMAR at 0x9000: entry at offset 0x48 has length 0; ignoring the rest of the DMAR"), "{w:?}");
    // DMAR: a DRHD too short for its fields.
    let mut d = super::builder::dmar();
    d[48 + 2] = 8;
    fix_checksum(&mut d);
    let info = parse_dmar(&d, 0x9000, &mut w).unwrap();
    assert!(info.drhds.is_empty());
    assert!(
        w.iter()
            .any(|w| w.contains("DRHD at offset 0x30 has length 8, below 16")),
        "{w:?}"
    );
    assert_eq!(parse_dmar(&table(b"DMAR", 1, &[]), 0x9000, &mut w), None);
    // IVRS: an IVHD 0x11 too short, then one running past the end.
    let mut i = super::builder::ivrs();
    i[48 + 28 + 2] = 24;
    fix_checksum(&mut i);
    let info = parse_ivrs(&i, 0xa000, &mut w).unwrap();
    assert_eq!(info.ivhds.len(), 1);
    assert!(
        w.iter()
            .any(|w| w.contains("IVHD type 0x11 at offset 0x4c has length 24, below 40")),
        "{w:?}"
    );
    let mut i = super::builder::ivrs();
    i[48 + 2] = 0xff;
    i[48 + 3] = 0xff;
    fix_checksum(&mut i);
    let info = parse_ivrs(&i, 0xa000, &mut w).unwrap();
    assert!(info.ivhds.is_empty());
    assert!(
        w.iter()
            .any(|w| w.contains("runs past the end of the table; ignoring the rest of the IVRS"))
    );
    assert_eq!(
        parse_ivrs(&table(b"IVRS", 1, &[0; 4]), 0xa000, &mut w),
        None
    );
}
