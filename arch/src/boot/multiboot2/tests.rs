use super::*;
use crate::boot::info::{BootDiag, PhysStr};
use crate::boot::testmem::{Bytes, FakeMem};
use crate::mm::memmap::{MapRepair, Region, RegionKind};
use proptest::prelude::*;
use std::vec::Vec;

const MBI: u64 = 0x10000;

/// A tag: type and payload (the header is added, and padding to 8).
fn tag(ty: u32, payload: &[u8]) -> Vec<u8> {
    let mut b = Bytes::default();
    b.u32(ty)
        .u32(8 + payload.len() as u32)
        .raw(payload)
        .pad_to(8);
    b.0
}

fn mbi(tags: &[Vec<u8>]) -> Vec<u8> {
    let mut body: Vec<u8> = tags.concat();
    body.extend(tag(tag::END, &[]));
    let mut b = Bytes::default();
    b.u32(8 + body.len() as u32).u32(0).raw(&body);
    b.0
}

fn cstr(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    v
}

fn run(bytes: &[u8]) -> (Result<(), BootError>, BootInfo, Vec<BootDiag>) {
    let mut mem = FakeMem::new();
    mem.put(MBI, bytes);
    let mut info = BootInfo::new(Loader::Pvh);
    let mut diags = Vec::new();
    let r = parse(&mem, MBI, &mut info, &mut |d| diags.push(d));
    (r, info, diags)
}

fn e820_tag(entries: &[(u64, u64, u32)]) -> Vec<u8> {
    let mut b = Bytes::default();
    b.u32(24).u32(0);
    for &(base, len, ty) in entries {
        b.u64(base).u64(len).u32(ty).u32(0);
    }
    tag(tag::MMAP, &b.0)
}

fn efi_mmap_tag(desc_size: u32, descs: &[(u32, u64, u64)]) -> Vec<u8> {
    let mut b = Bytes::default();
    b.u32(desc_size).u32(1);
    for &(ty, start, pages) in descs {
        let mut d = Bytes::default();
        d.u32(ty).u32(0).u64(start).u64(0).u64(pages).u64(0xf);
        d.0.resize(desc_size as usize, 0);
        b.raw(&d.0);
    }
    tag(tag::EFI_MMAP, &b.0)
}

#[test]
fn parses_grub_efi_like_info() {
    let mut module = Bytes::default();
    module
        .u32(0x400000)
        .u32(0x500000)
        .raw(&cstr("vmlinuz root=/dev/xvda"));
    let mut rsdp_bytes = [0u8; 36];
    rsdp_bytes[..8].copy_from_slice(b"RSD PTR ");
    rsdp_bytes[15] = 2;
    let rsdp = rsdp_bytes;
    let bytes = mbi(&[
        tag(tag::CMDLINE, &cstr("console=com1 loglvl=all")),
        tag(tag::LOADER_NAME, &cstr("GRUB 2.12")),
        tag(tag::MODULE, &module.0),
        tag(tag::BASIC_MEMINFO, &[0x7f, 2, 0, 0, 0, 0, 1, 0]),
        e820_tag(&[
            (0, 0xa0000, 1),
            (0x100000, 0x7f00000, 1),
            (0x7fe0000, 0x20000, 3),
        ]),
        efi_mmap_tag(
            48,
            &[(7, 0x100000, 0x7e00), (5, 0x7f00000, 0x10), (3, 0, 0xa0)],
        ),
        tag(tag::EFI64, &0x7fd0000u64.to_le_bytes()),
        tag(tag::ACPI_OLD, &rsdp[..20]),
        tag(tag::ACPI_NEW, &rsdp),
        tag(tag::EFI_BS, &[]),
        tag(tag::EFI64_IH, &0x7fc0000u64.to_le_bytes()),
        tag(tag::LOAD_BASE_ADDR, &0x200000u32.to_le_bytes()),
        tag(tag::SMBIOS, &[0; 8]),
    ]);
    let (r, info, diags) = run(&bytes);
    r.unwrap();
    assert_eq!(diags, []);
    assert_eq!(info.loader, Loader::Multiboot2 { efi: true });
    assert_eq!(
        info.cmdline,
        Some(PhysStr {
            paddr: MBI + 16,
            len: 23
        })
    );
    assert_eq!(info.loader_name.map(|s| s.len), Some(9));
    assert_eq!(info.modules().len(), 1);
    assert_eq!(
        (info.modules()[0].start, info.modules()[0].end),
        (0x400000, 0x500000)
    );
    assert_eq!(info.modules()[0].cmdline.map(|s| s.len), Some(22));
    assert_eq!(info.basic_mem_kib, Some((639, 65536)));
    assert_eq!(
        info.memory_map.regions(),
        [
            Region {
                start: 0,
                end: 0xa0000,
                kind: RegionKind::Ram
            },
            Region {
                start: 0x100000,
                end: 0x7f00000,
                kind: RegionKind::Ram
            },
            Region {
                start: 0x7f00000,
                end: 0x7f10000,
                kind: RegionKind::Reserved
            },
            Region {
                start: 0x7f10000,
                end: 0x7fe0000,
                kind: RegionKind::Ram
            },
            Region {
                start: 0x7fe0000,
                end: 0x8000000,
                kind: RegionKind::AcpiReclaim
            },
        ]
    );
    assert_eq!(
        info.efi_system_table,
        Some(EfiSystemTable {
            paddr: 0x7fd0000,
            is_64bit: true
        })
    );
    let rsdp = info.rsdp.unwrap();
    assert_eq!(rsdp.copy_bytes(), Some(&rsdp_bytes[..]));
    assert_eq!(rsdp.paddr() % 8, 0);
    assert!(info.efi_boot_services_active);
    assert_eq!(info.efi_image_handle, Some(0x7fc0000));
    assert_eq!(info.load_base, Some(0x200000));
    assert_eq!(
        info.boot_ranges()[0].as_range(),
        MBI..MBI + bytes.len() as u64
    );
    // GRUB 2 does not prepend the image name.
    let line = b"console=com1";
    assert_eq!(
        crate::boot::info::cook_cmdline(line, info.loader, b"GRUB 2.12"),
        line
    );
}

#[test]
fn structural_errors() {
    let good = mbi(&[tag(tag::CMDLINE, &cstr("a"))]);
    // Misaligned address.
    let mut mem = FakeMem::new();
    mem.put(MBI + 4, &good);
    let mut info = BootInfo::new(Loader::Pvh);
    assert!(matches!(
        parse(&mem, MBI + 4, &mut info, &mut |_| {}),
        Err(BootError::Misaligned { .. })
    ));
    // total_size too small, absurd, or past readable memory.
    for total in [0u32, 8, 15, MAX_TOTAL_SIZE + 1, u32::MAX] {
        let mut b = good.clone();
        b[..4].copy_from_slice(&total.to_le_bytes());
        assert!(
            matches!(run(&b).0, Err(BootError::BadSize { .. })),
            "{total}"
        );
    }
    let mut b = good.clone();
    b[..4].copy_from_slice(&4096u32.to_le_bytes());
    assert!(matches!(run(&b).0, Err(BootError::Unreadable { .. })));
    // A tag smaller than its header, or running past total_size.
    for size in [0u32, 7, 0x1000] {
        let mut b = good.clone();
        b[12..16].copy_from_slice(&size.to_le_bytes());
        assert!(
            matches!(
                run(&b).0,
                Err(BootError::BadTag {
                    offset: 8,
                    ty: 1,
                    ..
                })
            ),
            "{size}"
        );
    }
}

#[test]
fn content_problems_are_diagnosed() {
    let mut missing_end = mbi(&[tag(tag::CMDLINE, b"no-nul")]);
    let total = missing_end.len() as u32 - 8;
    missing_end.truncate(total as usize);
    missing_end[..4].copy_from_slice(&total.to_le_bytes());
    let (r, info, diags) = run(&missing_end);
    r.unwrap();
    assert_eq!(
        info.cmdline,
        Some(PhysStr {
            paddr: MBI + 16,
            len: 6
        })
    );
    assert_eq!(
        diags,
        [
            BootDiag::StringUnterminated {
                what: "cmdline",
                paddr: MBI + 16
            },
            BootDiag::MissingEndTag,
            BootDiag::NoMemoryMap,
        ]
    );

    let bytes = mbi(&[
        tag(99, &[1, 2, 3]),
        tag(tag::MODULE, &[0; 4]),
        tag(tag::MMAP, &[8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]),
        efi_mmap_tag(44, &[(7, 0, 1)]),
        efi_mmap_tag(40, &[(7, 0x1000, u64::MAX)]),
    ]);
    let (r, info, diags) = run(&bytes);
    r.unwrap();
    assert_eq!(
        diags,
        [
            BootDiag::UnknownTag { ty: 99, offset: 8 },
            BootDiag::BadTag {
                ty: tag::MODULE,
                offset: 24,
                size: 12
            },
            BootDiag::BadTag {
                ty: tag::MMAP,
                offset: 40,
                size: 19
            },
            BootDiag::BadTag {
                ty: tag::EFI_MMAP,
                offset: 64,
                size: 60
            },
            BootDiag::Memmap(MapRepair::Overflow {
                start: 0x1000,
                len: u64::MAX
            }),
            BootDiag::Memmap(MapRepair::Clipped {
                start: 0x1000,
                end: u64::MAX
            }),
        ]
    );
    assert_eq!(info.memory_map.totals().ram, (1 << 52) - 0x1000);
}

#[test]
fn too_many_modules_are_reported() {
    let mut tags = Vec::new();
    for i in 0..20u32 {
        let mut m = Bytes::default();
        m.u32(0x100000 * (i + 1))
            .u32(0x100000 * (i + 1) + 0x1000)
            .u8(0);
        tags.push(tag(tag::MODULE, &m.0));
    }
    let (r, info, diags) = run(&mbi(&tags));
    r.unwrap();
    assert_eq!(info.modules().len(), MAX_MODULES);
    assert!(diags.contains(&BootDiag::TooManyModules { count: 20 }));
}

#[test]
fn old_rsdp_alone_is_kept() {
    let mut rsdp = [0u8; 20];
    rsdp[..8].copy_from_slice(b"RSD PTR ");
    let (r, info, _) = run(&mbi(&[tag(tag::ACPI_OLD, &rsdp)]));
    r.unwrap();
    assert!(matches!(info.rsdp, Some(Rsdp::Copy { len: 20, paddr, .. }) if paddr == MBI + 16));
    assert_eq!(info.loader, Loader::Multiboot2 { efi: false });
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(mut bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        // Half the time give it a plausible total_size so the tag walk gets exercised.
        if bytes.len() >= 8 && bytes[4] & 1 == 0 {
            let len = bytes.len() as u32;
            bytes[..4].copy_from_slice(&len.to_le_bytes());
        }
        let _ = run(&bytes);
    }

    #[test]
    fn arbitrary_tags_never_panic(
        tags in prop::collection::vec((0u32..24, prop::collection::vec(any::<u8>(), 0..80)), 0..12),
    ) {
        let tags: Vec<_> = tags.iter().map(|(ty, payload)| tag(*ty, payload)).collect();
        let _ = run(&mbi(&tags));
    }
}
