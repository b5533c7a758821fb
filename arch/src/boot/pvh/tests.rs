use super::*;
use crate::boot::info::{BootDiag, PhysStr};
use crate::boot::testmem::{Bytes, FakeMem};
use crate::mm::memmap::{MapRepair, Region, RegionKind};
use proptest::prelude::*;
use std::vec::Vec;

const SI: u64 = 0x6000;
const MODLIST: u64 = 0x7000;
const MEMMAP: u64 = 0x8000;

fn start_info(
    version: u32,
    nr_modules: u32,
    cmdline: u64,
    rsdp: u64,
    memmap_entries: u32,
) -> Vec<u8> {
    let mut b = Bytes::default();
    b.u32(START_INFO_MAGIC).u32(version).u32(0).u32(nr_modules);
    b.u64(MODLIST).u64(cmdline).u64(rsdp);
    if version >= 1 {
        b.u64(MEMMAP).u32(memmap_entries).u32(0);
    }
    b.0
}

fn memmap(entries: &[(u64, u64, u32)]) -> Vec<u8> {
    let mut b = Bytes::default();
    for &(addr, size, ty) in entries {
        b.u64(addr).u64(size).u32(ty).u32(0);
    }
    b.0
}

fn run(mem: &FakeMem) -> (Result<(), BootError>, BootInfo, Vec<BootDiag>) {
    let mut info = BootInfo::new(Loader::Multiboot1);
    let mut diags = Vec::new();
    let r = parse(mem, SI, &mut info, &mut |d| diags.push(d));
    (r, info, diags)
}

/// What QEMU 10 passes for `-kernel ferrite -append ... -initrd dom0`.
fn qemu_like() -> FakeMem {
    let mut mods = Bytes::default();
    mods.u64(0x1000000).u64(0x123456).u64(0x9100).u64(0);
    let mut mem = FakeMem::new();
    mem.put(SI, &start_info(1, 1, 0x9000, 0xf5b60, 3));
    mem.put(MODLIST, &mods.0);
    mem.put(
        MEMMAP,
        &memmap(&[
            (0, 0x9fc00, 1),
            (0xf0000, 0x10000, 2),
            (0x100000, 0x7ee0000, 1),
        ]),
    );
    mem.put_str(0x9000, "console=com1 dom0_mem=512M")
        .put_str(0x9100, "dom0 console=hvc0");
    mem
}

#[test]
fn parses_qemu_like_start_info() {
    let (r, info, diags) = run(&qemu_like());
    r.unwrap();
    assert_eq!(diags, []);
    assert_eq!(info.loader, Loader::Pvh);
    assert_eq!(
        info.cmdline,
        Some(PhysStr {
            paddr: 0x9000,
            len: 26
        })
    );
    assert_eq!(info.rsdp, Some(Rsdp::Address(0xf5b60)));
    assert_eq!(info.modules().len(), 1);
    let m = info.modules()[0];
    assert_eq!(
        (m.start, m.end, m.cmdline),
        (
            0x1000000,
            0x1123456,
            Some(PhysStr {
                paddr: 0x9100,
                len: 17
            })
        )
    );
    assert_eq!(
        info.memory_map.regions(),
        [
            Region {
                start: 0,
                end: 0x9fc00,
                kind: RegionKind::Ram
            },
            Region {
                start: 0xf0000,
                end: 0x100000,
                kind: RegionKind::Reserved
            },
            Region {
                start: 0x100000,
                end: 0x7fe0000,
                kind: RegionKind::Ram
            },
        ]
    );
    let ranges: Vec<_> = info.boot_ranges().iter().map(|r| r.as_range()).collect();
    assert_eq!(
        ranges,
        [
            SI..SI + 56,
            0x9000..0x9000 + 27,
            MODLIST..MODLIST + 32,
            0x9100..0x9100 + 18,
            MEMMAP..MEMMAP + 72
        ]
    );
    // PVH never prepends an image name, whatever it looks like.
    assert_eq!(
        crate::boot::info::cook_cmdline(b"  a b", Loader::Pvh, b""),
        b"a b"
    );

    let mut info = info;
    let mut diags = Vec::new();
    info.validate(0x100000..0x400000, &mut |d| diags.push(d));
    assert_eq!(diags, []);
    let reserved = info.reserved_ranges(0x100000..0x400000);
    assert!(reserved.as_slice().contains(&(0x1000000..0x1123456)));
    assert!(reserved.as_slice().contains(&(0..4096)));
}

#[test]
fn version_zero_has_no_memmap() {
    let mut mem = FakeMem::new();
    mem.put(SI, &start_info(0, 0, 0, 0, 0));
    let (r, info, diags) = run(&mem);
    r.unwrap();
    assert_eq!(diags, [BootDiag::NoMemoryMap]);
    assert_eq!(info.boot_ranges()[0].as_range(), SI..SI + 40);
    assert!(info.cmdline.is_none() && info.rsdp.is_none());
}

#[test]
fn newer_version_is_read_as_known() {
    let mut mem = FakeMem::new();
    mem.put(SI, &start_info(7, 0, 0, 0, 1))
        .put(MEMMAP, &memmap(&[(0, 0x1000, 1)]));
    let (r, info, diags) = run(&mem);
    r.unwrap();
    assert_eq!(
        diags,
        [BootDiag::NewerVersion {
            what: "hvm_start_info",
            version: 7
        }]
    );
    assert_eq!(info.memory_map.totals().ram, 0x1000);
}

#[test]
fn bad_magic_and_truncation_are_errors() {
    let mut bytes = start_info(1, 0, 0, 0, 0);
    bytes[0] ^= 1;
    let mut mem = FakeMem::new();
    mem.put(SI, &bytes);
    assert_eq!(
        run(&mem).0,
        Err(BootError::BadMagic {
            expected: START_INFO_MAGIC,
            found: START_INFO_MAGIC ^ 1
        })
    );
    let mut mem = FakeMem::new();
    mem.put(SI, &start_info(1, 0, 0, 0, 0)[..44]);
    assert!(matches!(run(&mem).0, Err(BootError::Unreadable { .. })));
    assert!(matches!(
        run(&FakeMem::new()).0,
        Err(BootError::Unreadable { .. })
    ));
}

#[test]
fn huge_counts_and_wild_pointers_are_diagnosed() {
    let mut mem = FakeMem::new();
    mem.put(SI, &start_info(1, u32::MAX, 0xdead_0000, 0, u32::MAX));
    mem.put(MEMMAP, &memmap(&[(0, 0x1000, 1), (u64::MAX, 2, 1)]));
    let (r, info, diags) = run(&mem);
    r.unwrap();
    assert_eq!(
        diags,
        [
            BootDiag::Unreadable {
                what: "PVH cmdline",
                paddr: 0xdead_0000
            },
            BootDiag::TooManyModules {
                count: u32::MAX as u64
            },
            BootDiag::Unreadable {
                what: "PVH module list",
                paddr: MODLIST
            },
            BootDiag::TooManyMmapEntries {
                what: "PVH memory map"
            },
            BootDiag::Memmap(MapRepair::Overflow {
                start: u64::MAX,
                len: 2
            }),
            BootDiag::Memmap(MapRepair::AboveLimit {
                start: u64::MAX,
                end: u64::MAX
            }),
            BootDiag::Unreadable {
                what: "PVH memory map",
                paddr: MEMMAP + 48
            },
        ]
    );
    assert_eq!(info.memory_map.totals().ram, 0x1000);
    // A module list at the top of the address space cannot wrap.
    let mut b = start_info(1, 2, 0, 0, 0);
    b[16..24].copy_from_slice(&(u64::MAX - 8).to_le_bytes());
    let mut mem = FakeMem::new();
    mem.put(SI, &b);
    let (r, _, diags) = run(&mem);
    r.unwrap();
    assert_eq!(
        diags[0],
        BootDiag::Unreadable {
            what: "PVH module list",
            paddr: u64::MAX - 8
        }
    );
}

#[test]
fn null_tables_are_diagnosed() {
    let mut b = start_info(1, 2, 0, 0, 3);
    b[16..24].fill(0);
    b[40..48].fill(0);
    let mut mem = FakeMem::new();
    mem.put(SI, &b);
    let (r, _, diags) = run(&mem);
    r.unwrap();
    assert_eq!(
        diags,
        [
            BootDiag::NullPointer {
                what: "PVH module list"
            },
            BootDiag::NullPointer {
                what: "PVH memory map"
            },
            BootDiag::NoMemoryMap,
        ]
    );
}

#[test]
fn validate_drops_bad_modules() {
    let mut mods = Bytes::default();
    for (start, size) in [
        (0x1000000u64, 0x100000u64), // 0: fine
        (0x2000000, 0),              // 1: empty
        (0x180000, 0x100000),        // 2: overlaps the image
        (0x1080000, 0x100000),       // 3: overlaps module 0
        (0x9f000, 0x2000),           // 4: runs into the reserved hole
        (u64::MAX - 1, 4),           // 5: wraps (saturated), not in RAM
        (0x3000000, 0x1000),         // 6: fine
    ] {
        mods.u64(start).u64(size).u64(0).u64(0);
    }
    let mut bytes = start_info(1, 7, 0, 0, 3);
    bytes[16..24].copy_from_slice(&0x20000u64.to_le_bytes());
    let mut mem = FakeMem::new();
    mem.put(SI, &bytes).put(0x20000, &mods.0);
    mem.put(
        MEMMAP,
        &memmap(&[
            (0, 0x9fc00, 1),
            (0xf0000, 0x10000, 2),
            (0x100000, 0x7ee0000, 1),
        ]),
    );
    let (r, mut info, _) = run(&mem);
    r.unwrap();
    let mut diags = Vec::new();
    info.validate(0x100000..0x200000, &mut |d| diags.push(d));
    use crate::boot::info::ModuleProblem::*;
    let dropped: Vec<_> = diags
        .iter()
        .map(|d| match d {
            BootDiag::ModuleDropped { index, problem, .. } => (*index, *problem),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        dropped,
        [
            (1, Empty),
            (2, OverlapsImage),
            (3, OverlapsModule { index: 0 }),
            (4, OutsideRam),
            (5, OutsideRam)
        ]
    );
    let kept: Vec<_> = info.modules().iter().map(|m| m.start).collect();
    assert_eq!(kept, [0x1000000, 0x3000000]);
    // The message names the module and its range.
    let text = std::format!("{}", diags[2]);
    assert_eq!(
        text,
        "boot module 3 [0x1080000, 0x1180000) dropped: overlaps boot module 0"
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(mut bytes in prop::collection::vec(any::<u8>(), 0..300), magic in any::<bool>()) {
        if magic && bytes.len() >= 4 {
            bytes[..4].copy_from_slice(&START_INFO_MAGIC.to_le_bytes());
        }
        let mut mem = FakeMem::new();
        mem.put(SI, &bytes);
        let (_, mut info, _) = run(&mem);
        info.validate(0x100000..0x200000, &mut |_| {});
    }

    #[test]
    fn arbitrary_tables_never_panic(
        header in prop::collection::vec(any::<u64>(), 7),
        tables in prop::collection::vec(any::<u8>(), 0..0x400),
    ) {
        let mut b = Bytes::default();
        b.u32(START_INFO_MAGIC);
        // Small pointers and counts most of the time so the tables are reached.
        for (i, w) in header.iter().enumerate() {
            let w = if w & 1 == 0 { w % 0x500 } else { *w };
            if i == 0 { b.u32(w as u32); } else { b.u64(w); }
        }
        let mut mem = FakeMem::new();
        mem.put(SI, &b.0).put(0, &tables);
        let (_, info, _) = run(&mem);
        prop_assert!(info.modules().len() <= MAX_MODULES);
    }
}

/// The early-boot flow the kernel runs: parse, validate, reserve, seed the frame allocator; no
/// frame it hands out may touch the image, a module, a boot structure or the first page.
#[test]
fn boot_flow_keeps_boot_data_out_of_the_allocator() {
    use crate::mm::frame::{FRAME_SIZE, FrameAllocator};
    let image = 0x100000..0x180000;
    let (r, mut info, _) = run(&qemu_like());
    r.unwrap();
    info.validate(image.clone(), &mut |_| {});
    let reserved = info.reserved_ranges(image);
    let mut frames = FrameAllocator::new();
    frames.init(&info.memory_map, reserved.as_slice()).unwrap();
    let mut handed_out = 0;
    while let Some(addr) = frames.alloc(1, 1) {
        let frame = addr.0..addr.0 + FRAME_SIZE;
        for r in reserved.as_slice() {
            assert!(
                frame.end <= r.start || r.end <= frame.start,
                "{frame:x?} hits {r:x?}"
            );
        }
        assert!(info.memory_map.is_ram(frame));
        handed_out += 1;
    }
    assert_eq!(handed_out, frames.total_frames());
    assert!(handed_out > 30000);
}
