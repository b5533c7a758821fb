use super::*;
use crate::boot::info::{BootDiag, PhysStr};
use crate::boot::testmem::{Bytes, FakeMem};
use crate::mm::memmap::{Region, RegionKind};
use proptest::prelude::*;
use std::vec::Vec;

const MBI: u64 = 0x9000;
const MODS: u64 = 0xa000;
const MMAP: u64 = 0xb000;

fn mbi(flags: u32, fill: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let mut b = std::vec![0u8; INFO_LEN_FB as usize];
    b[..4].copy_from_slice(&flags.to_le_bytes());
    fill(&mut b);
    b
}

fn set32(b: &mut [u8], off: u64, v: u32) {
    b[off as usize..off as usize + 4].copy_from_slice(&v.to_le_bytes());
}

fn mmap_entry(b: &mut Bytes, base: u64, len: u64, ty: u32) {
    b.u32(20).u64(base).u64(len).u32(ty);
}

fn good_mem() -> FakeMem {
    let flags = INFO_MEMORY | INFO_CMDLINE | INFO_MODS | INFO_MMAP | INFO_LOADER_NAME;
    let info = mbi(flags, |b| {
        set32(b, MEM_LOWER, 639);
        set32(b, MEM_UPPER, 129920);
        set32(b, CMDLINE, 0xc000);
        set32(b, MODS_COUNT, 2);
        set32(b, MODS_ADDR, MODS as u32);
        set32(b, MMAP_LENGTH, 3 * 24);
        set32(b, MMAP_ADDR, MMAP as u32);
        set32(b, LOADER_NAME, 0xc100);
    });
    let mut mods = Bytes::default();
    mods.u32(0x200000).u32(0x300000).u32(0xc200).u32(0);
    mods.u32(0x300000).u32(0x380000).u32(0).u32(0);
    let mut mmap = Bytes::default();
    mmap_entry(&mut mmap, 0, 0x9fc00, 1);
    mmap_entry(&mut mmap, 0xf0000, 0x10000, 2);
    mmap_entry(&mut mmap, 0x100000, 0x7f00000, 1);
    let mut mem = FakeMem::new();
    mem.put(MBI, &info).put(MODS, &mods.0).put(MMAP, &mmap.0);
    mem.put_str(0xc000, "/boot/ferrite console=com1")
        .put_str(0xc100, "qemu");
    mem.put_str(0xc200, "dom0 root=/dev/sda");
    mem
}

#[test]
fn parses_qemu_like_info() {
    let mem = good_mem();
    let mut info = BootInfo::new(Loader::Pvh);
    let mut diags = Vec::new();
    parse(&mem, MBI, &mut info, &mut |d| diags.push(d)).unwrap();
    assert_eq!(diags, []);
    assert_eq!(info.loader, Loader::Multiboot1);
    assert_eq!(info.basic_mem_kib, Some((639, 129920)));
    assert_eq!(
        info.cmdline,
        Some(PhysStr {
            paddr: 0xc000,
            len: 26
        })
    );
    assert_eq!(
        info.loader_name,
        Some(PhysStr {
            paddr: 0xc100,
            len: 4
        })
    );
    let mods = info.modules();
    assert_eq!(mods.len(), 2);
    assert_eq!((mods[0].start, mods[0].end), (0x200000, 0x300000));
    assert_eq!(
        mods[0].cmdline,
        Some(PhysStr {
            paddr: 0xc200,
            len: 18
        })
    );
    assert_eq!(mods[1].cmdline, None);
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
                end: 0x8000000,
                kind: RegionKind::Ram
            },
        ]
    );
    let ranges: Vec<_> = info.boot_ranges().iter().map(|r| r.as_range()).collect();
    assert!(ranges.contains(&(MBI..MBI + INFO_LEN)));
    assert!(ranges.contains(&(MODS..MODS + 32)));
    assert!(ranges.contains(&(MMAP..MMAP + 72)));
    assert!(ranges.contains(&(0xc000..0xc000 + 27)));
    // QEMU prepends the image name; Xen's cook strips it.
    let line = mem.bytes(0xc000, 26);
    assert_eq!(
        crate::boot::info::cook_cmdline(&line, info.loader, b"qemu"),
        b"console=com1"
    );
}

#[test]
fn synthesizes_map_without_mmap() {
    let info_bytes = mbi(INFO_MEMORY, |b| {
        set32(b, MEM_LOWER, 639);
        set32(b, MEM_UPPER, 1024);
    });
    let mut mem = FakeMem::new();
    mem.put(MBI, &info_bytes);
    let mut info = BootInfo::new(Loader::Multiboot1);
    let mut diags = Vec::new();
    parse(&mem, MBI, &mut info, &mut |d| diags.push(d)).unwrap();
    assert_eq!(
        diags,
        [BootDiag::SynthesizedMemoryMap {
            lower_kib: 639,
            upper_kib: 1024
        }]
    );
    assert_eq!(info.memory_map.totals().ram, 639 * 1024 + 1024 * 1024);
}

#[test]
fn mmap_size_quirk_and_bad_sizes() {
    // A 24-byte entry (size 24 = 20 + 4 padding) followed by one with an impossible size.
    let mut mmap = Bytes::default();
    mmap.u32(24).u64(0x100000).u64(0x100000).u32(1).u32(0xdead);
    mmap.u32(8).u64(0).u64(0x1000).u32(1);
    let len = mmap.len() as u32;
    let info_bytes = mbi(INFO_MMAP, |b| {
        set32(b, MMAP_LENGTH, len);
        set32(b, MMAP_ADDR, MMAP as u32);
    });
    let mut mem = FakeMem::new();
    mem.put(MBI, &info_bytes).put(MMAP, &mmap.0);
    let mut info = BootInfo::new(Loader::Multiboot1);
    let mut diags = Vec::new();
    parse(&mem, MBI, &mut info, &mut |d| diags.push(d)).unwrap();
    assert_eq!(
        diags,
        [BootDiag::BadMmapEntry {
            what: "multiboot1 mmap",
            paddr: MMAP + 28,
            size: 8
        }]
    );
    assert_eq!(info.memory_map.totals().ram, 0x100000);
}

#[test]
fn malformed_pointers_are_diagnosed() {
    let info_bytes = mbi(INFO_CMDLINE | INFO_MODS | INFO_MMAP, |b| {
        set32(b, CMDLINE, 0xdead0000);
        set32(b, MODS_COUNT, u32::MAX);
        set32(b, MODS_ADDR, 0xbeef0000);
        set32(b, MMAP_LENGTH, u32::MAX);
        set32(b, MMAP_ADDR, 0xfeed0000);
    });
    let mut mem = FakeMem::new();
    mem.put(MBI, &info_bytes);
    let mut info = BootInfo::new(Loader::Multiboot1);
    let mut diags = Vec::new();
    parse(&mem, MBI, &mut info, &mut |d| diags.push(d)).unwrap();
    assert_eq!(
        diags,
        [
            BootDiag::Unreadable {
                what: "multiboot1 cmdline",
                paddr: 0xdead0000
            },
            BootDiag::TooManyModules {
                count: u32::MAX as u64
            },
            BootDiag::Unreadable {
                what: "multiboot1 module list",
                paddr: 0xbeef0000
            },
            BootDiag::Unreadable {
                what: "multiboot1 mmap",
                paddr: 0xfeed0000
            },
            BootDiag::NoMemoryMap,
        ]
    );
    assert!(info.cmdline.is_none());
    assert!(info.modules().is_empty());
}

#[test]
fn null_tables_are_diagnosed() {
    let info_bytes = mbi(INFO_MODS | INFO_MMAP, |b| {
        set32(b, MODS_COUNT, 1);
        set32(b, MMAP_LENGTH, 24);
    });
    let mut mem = FakeMem::new();
    mem.put(0, &info_bytes);
    let mut info = BootInfo::new(Loader::Multiboot1);
    let mut diags = Vec::new();
    parse(&mem, 0, &mut info, &mut |d| diags.push(d)).unwrap();
    assert_eq!(
        diags,
        [
            BootDiag::NullPointer {
                what: "multiboot1 module list"
            },
            BootDiag::NullPointer {
                what: "multiboot1 mmap"
            },
            BootDiag::NoMemoryMap,
        ]
    );
}

#[test]
fn unterminated_cmdline_is_cut_at_the_bound() {
    let info_bytes = mbi(INFO_CMDLINE, |b| set32(b, CMDLINE, 0x10000));
    let mut mem = FakeMem::new();
    mem.put(MBI, &info_bytes).put(0x10000, &[b'x'; 5000]);
    let mut info = BootInfo::new(Loader::Multiboot1);
    let mut diags = Vec::new();
    parse(&mem, MBI, &mut info, &mut |d| diags.push(d)).unwrap();
    assert_eq!(
        info.cmdline,
        Some(PhysStr {
            paddr: 0x10000,
            len: 4096
        })
    );
    assert_eq!(
        diags[0],
        BootDiag::StringUnterminated {
            what: "multiboot1 cmdline",
            paddr: 0x10000
        }
    );
}

#[test]
fn unreadable_info_is_an_error() {
    let mem = FakeMem::new();
    let mut info = BootInfo::new(Loader::Multiboot1);
    assert!(parse(&mem, MBI, &mut info, &mut |_| {}).is_err());
    // Flags promise a framebuffer but the structure is cut short.
    let mut mem = FakeMem::new();
    mem.put(MBI, &mbi(INFO_FRAMEBUFFER, |_| {})[..100]);
    assert!(parse(&mem, MBI, &mut info, &mut |_| {}).is_err());
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), at in 0u64..64) {
        let mem = crate::boot::phys::SliceMem { base: 0x1000, bytes: &bytes };
        let mut info = BootInfo::new(Loader::Multiboot1);
        let _ = parse(&mem, 0x1000 + at, &mut info, &mut |_| {});
        let _ = parse(&mem, 0x1000 + at, &mut info, &mut |_| {});
    }

    #[test]
    fn arbitrary_pointers_into_small_memory_never_panic(
        flags in any::<u32>(),
        words in prop::collection::vec(0u32..0x3000, 30),
        tail in prop::collection::vec(any::<u8>(), 0..0x2000),
    ) {
        let mut b = Bytes::default();
        b.u32(flags);
        for w in &words { b.u32(*w); }
        b.raw(&tail);
        let mem = crate::boot::phys::SliceMem { base: 0, bytes: &b.0 };
        let mut info = BootInfo::new(Loader::Multiboot1);
        let _ = parse(&mem, 0, &mut info, &mut |_| {});
    }
}
