//! Well-formed tables: every parsed field.

use super::builder::{RSDP_ADDR, Spec, build, rsdp, table};
use crate::acpi::*;

fn standard() -> (AcpiInfo, super::builder::Fixture) {
    let fx = build(Spec::standard());
    let info = read_acpi(&fx.mem, RsdpSource::Address(RSDP_ADDR)).unwrap();
    (info, fx)
}

#[test]
fn a_clean_table_set_gives_no_warnings() {
    let (info, _) = standard();
    assert_eq!(info.warnings, Vec::<String>::new());
}

#[test]
fn rsdp_v2_from_address() {
    let (info, fx) = standard();
    assert_eq!(info.rsdp.paddr, Some(RSDP_ADDR));
    assert_eq!(info.rsdp.revision, 2);
    assert_eq!(&info.rsdp.oem_id, b"BOCHS ");
    assert_eq!(info.rsdp.length, 36);
    assert_eq!(info.rsdp.xsdt_address, Some(fx.addrs[b"XSDT"]));
    assert_eq!(info.rsdp.root_table(), Some((fx.addrs[b"XSDT"], true)));
}

#[test]
fn rsdp_from_a_multiboot_copy() {
    let fx = build(Spec::standard());
    let info = read_acpi(&fx.mem, RsdpSource::Copy(&fx.rsdp)).unwrap();
    assert_eq!(info.rsdp.paddr, None);
    assert!(info.madt.is_some());
    assert!(info.table_lines()[0].starts_with("ACPI: RSDP (copy), 0024 (r2 BOCHS )"));
}

#[test]
fn rsdp_v1_uses_the_rsdt() {
    let fx = build(Spec {
        revision: 0,
        ..Spec::standard()
    });
    let info = read_acpi(&fx.mem, RsdpSource::Address(RSDP_ADDR)).unwrap();
    assert_eq!(info.rsdp.root_table(), Some((fx.addrs[b"RSDT"], false)));
    assert_eq!(info.rsdp.length, 20);
    assert_eq!(&info.tables[0].signature, b"RSDT");
    assert_eq!(info.warnings, Vec::<String>::new());
    assert!(info.fadt.is_some() && info.madt.is_some() && info.s5.is_some());
}

#[test]
fn bios_scan_finds_the_rsdp_and_skips_bad_candidates() {
    let mut fx = build(Spec::standard());
    // A candidate with the signature but a bad checksum, earlier in the area.
    let mut bad = rsdp(0, 0x1234, 0);
    bad[8] ^= 1;
    fx.mem.write(0xe_0000, &bad).unwrap();
    assert_eq!(scan_bios_for_rsdp(&fx.mem), Ok(RSDP_ADDR));
    // In the EBDA (segment at 0x40e), which is searched first.
    fx.mem.write(0x40e, &0x9fc0u16.to_le_bytes()).unwrap();
    fx.mem.write(0x9_fc20, &fx.rsdp.clone()).unwrap();
    assert_eq!(scan_bios_for_rsdp(&fx.mem), Ok(0x9_fc20));
    // Over a closure accessor, with nothing there.
    let empty = |_: u64, buf: &mut [u8]| -> Result<(), MemError> {
        buf.fill(0);
        Ok(())
    };
    assert_eq!(scan_bios_for_rsdp(&empty), Err(RsdpError::NotFound));
}

#[test]
fn table_list_and_log_lines() {
    let (info, fx) = standard();
    let sigs: Vec<&[u8; 4]> = info.tables.iter().map(|t| &t.signature).collect();
    assert_eq!(
        sigs,
        [
            b"XSDT", b"FACP", b"APIC", b"HPET", b"MCFG", b"DMAR", b"IVRS", b"DSDT", b"FACS"
        ]
    );
    let madt = info
        .tables
        .iter()
        .find(|t| &t.signature == b"APIC")
        .unwrap();
    assert_eq!(madt.paddr, fx.addrs[b"APIC"]);
    assert_eq!(madt.revision, 5);
    assert_eq!(&madt.oem_id, b"FERRIT");
    assert!(info.tables.iter().all(|t| t.valid));
    let lines = info.table_lines();
    assert_eq!(lines[0], "ACPI: RSDP 000F5A40, 0024 (r2 BOCHS )");
    let apic_line = format!(
        "ACPI: APIC {:08X}, {:04X} (r5 FERRIT TESTTBL         1 FRRT     2026)",
        madt.paddr, madt.length
    );
    assert!(lines.contains(&apic_line), "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("ACPI: FACS") && l.contains("(r2 "))
    );
}

#[test]
fn madt_fields() {
    let (info, _) = standard();
    let m = info.madt.unwrap();
    assert_eq!(m.local_apic_address, 0x1_fee0_0000);
    assert!(m.local_apic_address_overridden);
    assert!(m.pcat_compat);
    assert_eq!(
        m.processors,
        [
            Processor {
                uid: 0,
                apic_id: 0,
                enabled: true,
                online_capable: false,
                x2apic: false
            },
            Processor {
                uid: 1,
                apic_id: 1,
                enabled: false,
                online_capable: true,
                x2apic: false
            },
            Processor {
                uid: 2,
                apic_id: 0x100,
                enabled: true,
                online_capable: false,
                x2apic: true
            },
        ]
    );
    assert_eq!(
        m.io_apics,
        [IoApic {
            id: 2,
            address: 0xfec0_0000,
            gsi_base: 0
        }]
    );
    assert_eq!(m.overrides.len(), 2);
    assert_eq!(
        m.overrides[0],
        InterruptOverride {
            bus: 0,
            irq: 0,
            gsi: 2,
            polarity: Polarity::SameAsBus,
            trigger: TriggerMode::SameAsBus,
            flags: 0
        }
    );
    assert_eq!((m.overrides[1].irq, m.overrides[1].gsi), (9, 9));
    assert_eq!(m.overrides[1].polarity, Polarity::ActiveHigh);
    assert_eq!(m.overrides[1].trigger, TriggerMode::Level);
    assert_eq!(
        m.nmi_sources,
        [NmiSource {
            gsi: 5,
            polarity: Polarity::ActiveLow,
            trigger: TriggerMode::Level,
            flags: 0xf
        }]
    );
    assert_eq!(m.local_apic_nmis.len(), 2);
    assert_eq!(m.local_apic_nmis[0].uid, None);
    assert_eq!(m.local_apic_nmis[0].lint, 1);
    assert_eq!(m.local_apic_nmis[0].polarity, Polarity::ActiveHigh);
    assert_eq!(m.local_apic_nmis[0].trigger, TriggerMode::Edge);
    assert_eq!(m.local_apic_nmis[1].uid, Some(2));
    assert_eq!(m.other_entries, 1);
}

#[test]
fn fadt_fields() {
    let (info, fx) = standard();
    let f = info.fadt.unwrap();
    assert_eq!(f.revision, 6);
    assert_eq!(f.dsdt_address, Some(fx.addrs[b"DSDT"]));
    assert_eq!(f.facs_address, Some(fx.addrs[b"FACS"]));
    assert_eq!(f.power_profile, PowerProfile::EnterpriseServer);
    assert_eq!(f.sci_interrupt, 9);
    assert_eq!(
        (f.smi_command_port, f.acpi_enable, f.acpi_disable),
        (0xb2, 0xf1, 0xf0)
    );
    let port = |address, bit_width| GenericAddress {
        space_id: 1,
        bit_width,
        bit_offset: 0,
        access_size: 0,
        address,
    };
    assert_eq!(f.pm1a_event, Some(port(0x600, 32)));
    assert_eq!(f.pm1b_event, None);
    assert_eq!(f.pm1a_control, Some(port(0x604, 16)));
    assert_eq!(f.pm1b_control, None);
    assert_eq!(f.pm_timer, Some(port(0x608, 32)));
    assert!(f.reset_supported);
    let reset = f.reset_register.unwrap();
    assert_eq!(
        reset,
        GenericAddress {
            space_id: 1,
            bit_width: 8,
            bit_offset: 0,
            access_size: 1,
            address: 0xcf9
        }
    );
    assert_eq!(reset.address_space(), Some(AddressSpace::SystemIo));
    assert_eq!(f.reset_value, 6);
    assert!(!f.hardware_reduced);
    assert_eq!(
        f.iapc_boot_arch,
        IapcBootArch::LEGACY_DEVICES | IapcBootArch::I8042
    );
    assert_eq!(f.century, 0x32);
    assert_eq!((f.sleep_control, f.sleep_status), (None, None));
}

#[test]
fn fadt_prefers_x_blocks_and_reads_a_v1_table() {
    let mut t = super::builder::fadt();
    t[172..184].copy_from_slice(&[1, 16, 0, 2, 0x04, 0x0b, 0, 0, 0, 0, 0, 0]);
    t[109] = 0x0c; // VGA not present, MSI not supported
    t[114] |= 1 << 4; // HW_REDUCED_ACPI (bit 20)
    let mut warnings = Vec::new();
    let f = parse_fadt(&t, 0x1000, &mut warnings).unwrap();
    assert_eq!(f.pm1a_control.unwrap().address, 0xb04);
    assert_eq!(f.pm1a_control.unwrap().access_size, 2);
    assert!(f.hardware_reduced);
    assert_eq!(
        f.iapc_boot_arch,
        IapcBootArch::VGA_NOT_PRESENT | IapcBootArch::MSI_NOT_SUPPORTED
    );
    // An ACPI 1.0 FADT: 116 bytes, no reset register even though the flag is set.
    let v1 = table(b"FACP", 1, &super::builder::fadt()[36..116]);
    let f = parse_fadt(&v1, 0x2000, &mut warnings).unwrap();
    assert_eq!(f.reset_register, None);
    assert!(!f.reset_supported);
    assert_eq!(f.pm1a_control.unwrap().address, 0x604);
    assert!(
        warnings.iter().any(|w| w.contains("RESET_REG_SUP")),
        "{warnings:?}"
    );
}

#[test]
fn s5_from_the_dsdt() {
    let (info, _) = standard();
    assert_eq!(
        info.s5,
        Some(SleepType {
            slp_typ_a: 5,
            slp_typ_b: 5
        })
    );
}

#[test]
fn s5_encodings() {
    let wrap = |aml: &[u8]| table(b"DSDT", 2, aml);
    // Name (_S5_, Package (2) { Zero, One }) without the root prefix.
    let t = wrap(&[0x08, b'_', b'S', b'5', b'_', 0x12, 0x04, 0x02, 0x00, 0x01]);
    assert_eq!(
        find_s5(&t),
        Ok(SleepType {
            slp_typ_a: 0,
            slp_typ_b: 1
        })
    );
    // Word and dword prefixes, two-byte PkgLength.
    let t = wrap(&[
        0x08, b'_', b'S', b'5', b'_', 0x12, 0x4b, 0x00, 0x02, 0x0b, 0x07, 0x00, 0x0c, 0x06, 0, 0, 0,
    ]);
    assert_eq!(
        find_s5(&t),
        Ok(SleepType {
            slp_typ_a: 7,
            slp_typ_b: 6
        })
    );
    // One packed element: low byte SLP_TYPa, next byte SLP_TYPb.
    let t = wrap(&[
        0x08, b'_', b'S', b'5', b'_', 0x12, 0x05, 0x01, 0x0b, 0x05, 0x07,
    ]);
    assert_eq!(
        find_s5(&t),
        Ok(SleepType {
            slp_typ_a: 5,
            slp_typ_b: 7
        })
    );
    // No _S5_ at all.
    assert_eq!(find_s5(&wrap(&[0x10, 0x02, 0x00])), Err(S5Error::NotFound));
}

#[test]
fn s5_from_an_ssdt_when_the_dsdt_has_none() {
    let mut spec = Spec::standard();
    spec.dsdt = table(b"DSDT", 2, &[0x10, 0x02, 0x00]);
    spec.tables
        .push(table(b"SSDT", 2, &super::builder::s5_aml(3, 4)));
    let fx = build(spec);
    let info = read_acpi(&fx.mem, RsdpSource::Address(RSDP_ADDR)).unwrap();
    assert_eq!(
        info.s5,
        Some(SleepType {
            slp_typ_a: 3,
            slp_typ_b: 4
        })
    );
    assert_eq!(info.warnings, Vec::<String>::new());
}

#[test]
fn hpet_fields() {
    let (info, _) = standard();
    let h = info.hpet.unwrap();
    assert_eq!(h.base_address, 0xfed0_0000);
    assert_eq!(h.hardware_rev, 1);
    assert_eq!(h.comparators, 3);
    assert!(h.counter_64bit);
    assert!(h.legacy_replacement);
    assert_eq!(h.pci_vendor_id, 0x8086);
    assert_eq!((h.hpet_number, h.min_tick, h.page_protection), (0, 0x80, 0));
}

#[test]
fn mcfg_fields() {
    let (info, _) = standard();
    assert_eq!(
        info.mcfg,
        [
            McfgEntry {
                base_address: 0xb000_0000,
                segment: 0,
                bus_start: 0,
                bus_end: 0xff
            },
            McfgEntry {
                base_address: 0xc000_0000,
                segment: 1,
                bus_start: 0,
                bus_end: 0x3f
            },
        ]
    );
}

#[test]
fn dmar_fields() {
    let (info, _) = standard();
    let d = info.dmar.unwrap();
    assert_eq!(d.host_address_width, 39);
    assert!(d.intr_remap);
    assert!(!d.x2apic_opt_out);
    assert_eq!(
        d.drhds,
        [Drhd {
            flags: 1,
            include_pci_all: true,
            segment: 0,
            register_base: 0xfed9_0000,
            device_scopes: 1
        }]
    );
    assert_eq!(
        (d.rmrr_count, d.atsr_count, d.rhsa_count, d.other_count),
        (1, 1, 1, 0)
    );
}

#[test]
fn ivrs_fields() {
    let (info, _) = standard();
    let i = info.ivrs.unwrap();
    assert_eq!(i.iv_info, 0x0020_3041);
    assert!(i.efr_supported);
    assert_eq!(
        (i.gva_size, i.phys_addr_size, i.virt_addr_size),
        (2, 0x30, 0x40)
    );
    assert_eq!(i.ivhds.len(), 2);
    assert_eq!(
        i.ivhds[0],
        Ivhd {
            kind: 0x10,
            flags: 0xb0,
            device_id: 2,
            capability_offset: 0x40,
            base_address: 0xfeb8_0000,
            segment: 0,
            iommu_info: 0x1300,
            efr_image: None
        }
    );
    assert_eq!((i.ivhds[1].kind, i.ivhds[1].segment), (0x11, 1));
    assert_eq!(i.ivhds[1].efr_image, Some(0x1234));
    assert_eq!((i.ivmd_count, i.other_count), (1, 0));
}

#[test]
fn summary_lines_cover_every_table() {
    let (info, _) = standard();
    let lines = summary_lines(&info);
    for needle in [
        "ACPI: local APIC at 0x1fee00000 (override), PCAT_COMPAT set",
        "ACPI: LAPIC (uid 1 apic_id 0x1 online-capable)",
        "ACPI: X2APIC (uid 2 apic_id 0x100 enabled)",
        "ACPI: IOAPIC (id 2 address 0xfec00000 gsi_base 0)",
        "ACPI: INT_SRC_OVR (bus 0 irq 9 gsi 9 ActiveHigh Level)",
        "ACPI: LAPIC_NMI (uid all lint 1 ActiveHigh Edge)",
        "ACPI: SCI 9, SMI_CMD 0xb2 (enable 0xf1), PM1a_CNT io:0x604/16, PM1b_CNT none, PM_TMR io:0x608/32",
        "ACPI: S5 SLP_TYPa 0x5 SLP_TYPb 0x5",
        "ACPI: HPET 0 at 0xfed00000: 3 comparators, 64-bit counter, vendor 0x8086, min tick 128",
        "ACPI: MCFG segment 1 buses 00-3f at 0xc0000000",
        "ACPI: DRHD at 0xfed90000 segment 0 flags 0x1 (INCLUDE_PCI_ALL), 1 device scopes",
        "ACPI: IVHD type 0x11 at 0xfeb80000 segment 1 device 00:00.2",
    ] {
        assert!(lines.iter().any(|l| l == needle), "{needle}\n{lines:#?}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("ACPI: reset register io:0xcf9/8 value 0x6 (usable)"))
    );
    info.log();
}

#[test]
fn identity_handler_reads_only_its_window() {
    let data: Vec<u8> = (0..64).collect();
    let start = data.as_ptr() as u64;
    // SAFETY: `data` is a live, readable allocation of 64 bytes at `start`, identity-"mapped" in
    // this process's address space, and it outlives `mem`.
    let mem = unsafe { IdentityHandler::with_window(start, start + 64) };
    let mut buf = [0u8; 8];
    mem.read(start + 8, &mut buf).unwrap();
    assert_eq!(buf, [8, 9, 10, 11, 12, 13, 14, 15]);
    assert!(mem.read(start + 60, &mut buf).is_err());
    assert!(mem.read(start - 1, &mut buf).is_err());
    assert!(mem.read(u64::MAX - 2, &mut buf).is_err());
    // SAFETY: the window is empty, so nothing is ever read.
    let none = unsafe { IdentityHandler::new(0) };
    assert!(none.read(0, &mut buf).is_err());
}
