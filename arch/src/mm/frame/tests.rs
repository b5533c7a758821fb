use super::*;
use crate::mm::memmap::{MapRepair, RegionKind};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::vec::Vec;

fn none(_: MapRepair) {}

fn qemu_like_map() -> MemoryMap {
    let mut map = MemoryMap::new();
    map.add(0, 0x9fc00, RegionKind::Ram, &mut none);
    map.add(0x9fc00, 0xa0000, RegionKind::Reserved, &mut none);
    map.add(0xf0000, 0x100000, RegionKind::Reserved, &mut none);
    map.add(0x100000, 0x8000000, RegionKind::Ram, &mut none);
    map
}

#[test]
fn seeds_ram_minus_reserved() {
    let mut fa = FrameAllocator::new();
    fa.init(
        &qemu_like_map(),
        std::slice::from_ref(&(0x100000..0x200800)),
    )
    .unwrap();
    // [0x1000, 0x9f000) and [0x201000, 0x8000000); frame 0 is never handed out.
    let expect = (0x9f000 - 0x1000) / FRAME_SIZE + (0x8000000 - 0x201000) / FRAME_SIZE;
    assert_eq!(fa.total_frames(), expect);
    assert_eq!(fa.free_frames(), expect);
    let got: Vec<_> = fa.free_ranges().collect();
    assert_eq!(got, [0x1000..0x9f000, 0x201000..0x8000000]);
}

#[test]
fn alloc_is_top_down_and_aligned() {
    let mut fa = FrameAllocator::new();
    fa.init(&qemu_like_map(), &[]).unwrap();
    assert_eq!(fa.alloc(1, 1), Some(PhysAddr(0x7fff000)));
    assert_eq!(fa.alloc(2, 512), Some(PhysAddr(0x7e00000)));
    assert_eq!(fa.alloc_below(0x100000, 1, 1), Some(PhysAddr(0x9e000)));
    assert_eq!(fa.alloc_below(0x1000, 1, 1), None);
    assert_eq!(fa.alloc(0, 1), None);
    assert_eq!(fa.alloc(1, 3), None);
    assert_eq!(fa.alloc(1 << 40, 1), None);
}

#[test]
fn free_errors() {
    let mut fa = FrameAllocator::new();
    fa.init(&qemu_like_map(), &[]).unwrap();
    let a = fa.alloc(4, 1).unwrap();
    assert_eq!(
        fa.free(PhysAddr(a.0 + 1), 1),
        Err(FrameError::Unaligned { addr: a.0 + 1 })
    );
    assert_eq!(
        fa.free(a, 0),
        Err(FrameError::BadCount {
            addr: a.0,
            count: 0
        })
    );
    assert!(matches!(
        fa.free(PhysAddr(0xa0000), 1),
        Err(FrameError::OutOfRange { .. })
    ));
    assert!(matches!(
        fa.free(PhysAddr(0), 1),
        Err(FrameError::OutOfRange { .. })
    ));
    assert!(matches!(
        fa.free(PhysAddr(!0xfff), 2),
        Err(FrameError::OutOfRange { .. })
    ));
    assert!(matches!(
        fa.free(PhysAddr(0x1000), u64::MAX),
        Err(FrameError::BadCount { .. })
    ));
    fa.free(a, 4).unwrap();
    assert!(matches!(fa.free(a, 1), Err(FrameError::DoubleFree { .. })));
    assert_eq!(fa.free_frames(), fa.total_frames());
}

#[test]
fn reserve_after_the_fact() {
    let mut fa = FrameAllocator::new();
    fa.init(&qemu_like_map(), &[]).unwrap();
    let total = fa.total_frames();
    assert_eq!(fa.reserve(0x2000..0x3001), Ok(2));
    assert_eq!(fa.total_frames(), total - 2);
    assert!(matches!(
        fa.free(PhysAddr(0x2000), 1),
        Err(FrameError::OutOfRange { .. })
    ));
    assert_eq!(fa.alloc_below(0x5000, 1, 1), Some(PhysAddr(0x4000)));
    assert_eq!(fa.alloc_below(0x5000, 1, 1), Some(PhysAddr(0x1000)));
    assert_eq!(fa.alloc_below(0x5000, 1, 1), None);
}

#[test]
fn extent_exhaustion_is_an_error() {
    let mut fa = FrameAllocator::new();
    let mut map = MemoryMap::new();
    map.add(
        0x1000,
        0x1000 + 4 * FRAME_SIZE * MAX_FREE_EXTENTS as u64,
        RegionKind::Ram,
        &mut none,
    );
    fa.init(&map, &[]).unwrap();
    // Punch holes until the list is full, then one more split must fail cleanly.
    let mut addr = 0x2000;
    while fa.reserve(addr..addr + FRAME_SIZE).is_ok() {
        addr += 2 * FRAME_SIZE;
    }
    let before = (fa.free_frames(), fa.total_frames());
    assert_eq!(
        fa.reserve(addr..addr + FRAME_SIZE),
        Err(FrameError::ExtentsFull)
    );
    assert_eq!((fa.free_frames(), fa.total_frames()), before);
}

#[derive(Clone, Debug)]
enum Op {
    Alloc {
        count: u64,
        align_log: u32,
    },
    AllocBelow {
        limit_frame: u64,
        count: u64,
        align_log: u32,
    },
    Free {
        pick: usize,
    },
    FreeBogus {
        frame: u64,
        count: u64,
    },
    Reserve {
        frame: u64,
        count: u64,
    },
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u64..6, 0u32..4).prop_map(|(count, align_log)| Op::Alloc { count, align_log }),
        (0u64..80, 1u64..4, 0u32..3).prop_map(|(limit_frame, count, align_log)| Op::AllocBelow {
            limit_frame,
            count,
            align_log
        }),
        any::<usize>().prop_map(|pick| Op::Free { pick }),
        (0u64..80, 0u64..4).prop_map(|(frame, count)| Op::FreeBogus { frame, count }),
        (0u64..80, 1u64..3).prop_map(|(frame, count)| Op::Reserve { frame, count }),
    ]
}

const PAGE: u64 = FRAME_SIZE;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn never_hands_out_twice_or_outside_ram(
        entries in prop::collection::vec((0u64..80 * PAGE, 0u64..80 * PAGE, prop_oneof![3 => Just(1u32), 1 => 0u32..8]), 0..10),
        reserved in prop::collection::vec((0u64..80 * PAGE, 0u64..8 * PAGE), 0..6),
        ops in prop::collection::vec(op_strategy(), 0..60),
    ) {
        let mut map = MemoryMap::new();
        for &(a, b, ty) in &entries {
            map.add(a, b, RegionKind::from_e820(ty), &mut none);
        }
        let reserved: Vec<_> = reserved.iter().map(|&(s, l)| s..s + l).collect();
        let mut fa = FrameAllocator::new();
        fa.init(&map, &reserved).unwrap();

        let frame_range = |f: u64| f * PAGE..(f + 1) * PAGE;
        let mut owned: BTreeSet<u64> = (1..80)
            .filter(|&f| map.is_ram(frame_range(f)))
            .filter(|&f| !reserved.iter().any(|r| r.start < (f + 1) * PAGE && f * PAGE < r.end))
            .collect();
        let mut allocated: BTreeSet<u64> = BTreeSet::new();
        let mut blocks: Vec<(u64, u64)> = Vec::new();
        prop_assert_eq!(fa.total_frames(), owned.len() as u64);

        for op in ops {
            match op {
                Op::Alloc { count, align_log } | Op::AllocBelow { count, align_log, .. } => {
                    let limit = match op { Op::AllocBelow { limit_frame, .. } => limit_frame, _ => u64::MAX };
                    let align = 1u64 << align_log;
                    let got = if limit == u64::MAX {
                        fa.alloc(count, align)
                    } else {
                        fa.alloc_below(limit * PAGE, count, align)
                    };
                    if let Some(addr) = got {
                        let first = addr.0 / PAGE;
                        prop_assert_eq!(addr.0 % (align * PAGE), 0);
                        prop_assert!(first + count <= limit);
                        for f in first..first + count {
                            prop_assert!(owned.contains(&f), "frame {} not owned", f);
                            prop_assert!(allocated.insert(f), "frame {} handed out twice", f);
                        }
                        blocks.push((first, count));
                    }
                }
                Op::Free { pick } => {
                    if blocks.is_empty() { continue; }
                    let (first, count) = blocks.swap_remove(pick % blocks.len());
                    let all_owned = (first..first + count).all(|f| owned.contains(&f));
                    let r = fa.free(PhysAddr(first * PAGE), count);
                    if all_owned {
                        prop_assert_eq!(r, Ok(()));
                        for f in first..first + count { allocated.remove(&f); }
                    } else {
                        let out_of_range = matches!(r, Err(FrameError::OutOfRange { .. }));
                        prop_assert!(out_of_range);
                    }
                }
                Op::FreeBogus { frame, count } => {
                    let frames: Vec<u64> = (frame..frame + count).collect();
                    let valid = count > 0
                        && frames.iter().all(|f| owned.contains(f) && allocated.contains(f));
                    let r = fa.free(PhysAddr(frame * PAGE), count);
                    if valid {
                        // A legitimate free of allocated frames (part of some block).
                        prop_assert_eq!(r, Ok(()));
                        for f in &frames { allocated.remove(f); }
                        blocks.retain(|&(s, c)| !(s < frame + count && frame < s + c));
                    } else {
                        prop_assert!(r.is_err());
                    }
                }
                Op::Reserve { frame, count } => {
                    let r = fa.reserve(frame * PAGE..(frame + count) * PAGE);
                    if r.is_ok() {
                        for f in frame..frame + count { owned.remove(&f); }
                    }
                }
            }
            let free_model = owned.iter().filter(|f| !allocated.contains(f)).count() as u64;
            prop_assert_eq!(fa.total_frames(), owned.len() as u64);
            prop_assert_eq!(fa.free_frames(), free_model);
        }
    }
}
