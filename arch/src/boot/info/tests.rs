use super::*;
use crate::mm::memmap::RegionKind;
use std::vec::Vec;

#[test]
fn cook_cmdline_follows_xen() {
    let mb1 = Loader::Multiboot1;
    let mb2 = Loader::Multiboot2 { efi: false };
    assert_eq!(
        cook_cmdline(b"  /boot/xen.gz  console=com1", mb1, b"GNU GRUB 0.97"),
        b"console=com1"
    );
    assert_eq!(
        cook_cmdline(b"/xen console=com1", mb2, b"GRUB 2.12"),
        b"/xen console=com1"
    );
    assert_eq!(cook_cmdline(b"ferrite", mb1, b"qemu"), b"");
    assert_eq!(cook_cmdline(b"", mb1, b""), b"");
    assert_eq!(cook_cmdline(b"   ", mb2, b"GRUB "), b"");
    assert_eq!(cook_cmdline(b" a b", Loader::Pvh, b"GNU GRUB 0.97"), b"a b");
}

#[test]
fn reserved_ranges_cover_everything() {
    let mut info = BootInfo::new(Loader::Pvh);
    info.push_module(Module {
        start: 0x400000,
        end: 0x500000,
        cmdline: None,
    });
    info.push_boot_range(0x9000..0x9040, &mut |_| {});
    info.push_boot_range(0x9100..0x9100, &mut |_| {});
    let r = info.reserved_ranges(0x100000..0x300000);
    assert_eq!(
        r.as_slice(),
        [
            0..4096,
            0x100000..0x300000,
            0x400000..0x500000,
            0x9000..0x9040
        ]
    );
}

#[test]
fn capacities_are_reported_not_panics() {
    let mut info = BootInfo::new(Loader::Pvh);
    let mut diags = Vec::new();
    for i in 0..MAX_BOOT_RANGES as u64 + 2 {
        info.push_boot_range(i * 16..i * 16 + 8, &mut |d| diags.push(d));
    }
    assert_eq!(info.boot_ranges().len(), MAX_BOOT_RANGES);
    assert_eq!(diags.len(), 2);
    for _ in 0..MAX_MODULES {
        assert!(info.push_module(Module {
            start: 1,
            end: 2,
            cmdline: None
        }));
    }
    assert!(!info.push_module(Module {
        start: 1,
        end: 2,
        cmdline: None
    }));
    let mut r = info.reserved_ranges(0..1);
    while r.push(1..2) {}
    assert_eq!(r.as_slice().len(), MAX_RESERVED_RANGES);
}

#[test]
fn validate_without_a_map_skips_the_ram_check() {
    let mut info = BootInfo::new(Loader::Multiboot1);
    info.push_module(Module {
        start: 0x400000,
        end: 0x500000,
        cmdline: None,
    });
    info.push_module(Module {
        start: 0x4ff000,
        end: 0x600000,
        cmdline: None,
    });
    let mut diags = Vec::new();
    info.validate(0..0x100000, &mut |d| diags.push(d));
    assert_eq!(info.modules().len(), 1);
    assert_eq!(
        diags,
        [BootDiag::ModuleDropped {
            index: 1,
            start: 0x4ff000,
            end: 0x600000,
            problem: ModuleProblem::OverlapsModule { index: 0 }
        }]
    );
    info.memory_map
        .add(0, 0x400000, RegionKind::Ram, &mut |_| {});
    info.validate(0..0x100000, &mut |d| diags.push(d));
    assert!(info.modules().is_empty());
}

#[test]
fn reset_forgets_everything() {
    let mut info = BootInfo::new(Loader::Pvh);
    info.push_module(Module {
        start: 1,
        end: 2,
        cmdline: None,
    });
    info.rsdp = Some(Rsdp::Address(0xe0000));
    info.memory_map.add(0, 0x1000, RegionKind::Ram, &mut |_| {});
    info.reset(Loader::Multiboot1);
    assert!(info.modules().is_empty() && info.rsdp.is_none() && info.memory_map.is_empty());
    assert_eq!(info.loader, Loader::Multiboot1);
}

#[test]
fn diagnostics_print() {
    let d = BootDiag::StringUnterminated {
        what: "PVH cmdline",
        paddr: 0x9000,
    };
    assert_eq!(
        std::format!("{d}"),
        "PVH cmdline at 0x9000 has no NUL in 4096 bytes; truncated"
    );
    let e = crate::boot::phys::BootError::BadTag {
        offset: 8,
        ty: 1,
        size: 4,
    };
    assert_eq!(
        std::format!("{e}"),
        "multiboot2 tag type 1 at offset 0x8 has bad size 0x4"
    );
}
