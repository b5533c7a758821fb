use super::*;
use proptest::prelude::*;
use std::vec::Vec;

fn add_all(map: &mut MemoryMap, entries: &[(u64, u64, RegionKind)]) -> Vec<MapRepair> {
    let mut repairs = Vec::new();
    for &(s, e, k) in entries {
        map.add(s, e, k, &mut |r| repairs.push(r));
    }
    repairs
}

fn none(_: MapRepair) {}

#[test]
fn e820_and_efi_type_mapping() {
    use RegionKind::*;
    let e820: Vec<_> = (0..=8).map(RegionKind::from_e820).collect();
    assert_eq!(
        e820,
        [
            Reserved,
            Ram,
            Reserved,
            AcpiReclaim,
            AcpiNvs,
            Unusable,
            Unusable,
            Persistent,
            Reserved
        ]
    );
    let efi: Vec<_> = (0..=16).map(RegionKind::from_efi).collect();
    assert_eq!(
        efi,
        [
            Reserved,
            Ram,
            Ram,
            Ram,
            Ram,
            Reserved,
            Reserved,
            Ram,
            Unusable,
            AcpiReclaim,
            AcpiNvs,
            Reserved,
            Reserved,
            Reserved,
            Persistent,
            Reserved,
            Reserved
        ]
    );
}

#[test]
fn sorts_and_coalesces() {
    let mut map = MemoryMap::new();
    let repairs = add_all(
        &mut map,
        &[
            (0x100000, 0x200000, RegionKind::Ram),
            (0, 0x9fc00, RegionKind::Ram),
            (0x200000, 0x300000, RegionKind::Ram),
            (0xf0000, 0x100000, RegionKind::Reserved),
        ],
    );
    assert!(repairs.is_empty());
    assert_eq!(
        map.regions(),
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
                end: 0x300000,
                kind: RegionKind::Ram
            },
        ]
    );
    assert_eq!(
        map.totals(),
        MemTotals {
            ram: 0x9fc00 + 0x200000,
            reserved: 0x10000
        }
    );
}

#[test]
fn restrictive_kind_wins_in_either_order() {
    let entries = [
        (0x1000, 0x9000, RegionKind::Ram),
        (0x3000, 0x5000, RegionKind::Reserved),
        (0x4000, 0x6000, RegionKind::AcpiNvs),
    ];
    let mut a = MemoryMap::new();
    add_all(&mut a, &entries);
    let mut reversed = entries;
    reversed.reverse();
    let mut b = MemoryMap::new();
    add_all(&mut b, &reversed);
    assert_eq!(a.regions(), b.regions());
    assert_eq!(
        a.regions(),
        [
            Region {
                start: 0x1000,
                end: 0x3000,
                kind: RegionKind::Ram
            },
            Region {
                start: 0x3000,
                end: 0x4000,
                kind: RegionKind::Reserved
            },
            Region {
                start: 0x4000,
                end: 0x6000,
                kind: RegionKind::AcpiNvs
            },
            Region {
                start: 0x6000,
                end: 0x9000,
                kind: RegionKind::Ram
            },
        ]
    );
}

#[test]
fn repairs_are_reported() {
    let mut map = MemoryMap::new();
    let mut repairs = Vec::new();
    map.add(5, 5, RegionKind::Ram, &mut |r| repairs.push(r));
    map.add(9, 5, RegionKind::Ram, &mut |r| repairs.push(r));
    map.add_base_len(u64::MAX - 1, 4, RegionKind::Ram, &mut |r| repairs.push(r));
    map.add(
        PHYS_ADDR_LIMIT - 0x1000,
        PHYS_ADDR_LIMIT + 1,
        RegionKind::Ram,
        &mut |r| repairs.push(r),
    );
    assert_eq!(
        repairs,
        [
            MapRepair::Empty { start: 5, end: 5 },
            MapRepair::Empty { start: 9, end: 5 },
            MapRepair::Overflow {
                start: u64::MAX - 1,
                len: 4
            },
            MapRepair::AboveLimit {
                start: u64::MAX - 1,
                end: u64::MAX
            },
            MapRepair::Clipped {
                start: PHYS_ADDR_LIMIT - 0x1000,
                end: PHYS_ADDR_LIMIT + 1
            },
        ]
    );
    assert_eq!(
        map.regions(),
        [Region {
            start: PHYS_ADDR_LIMIT - 0x1000,
            end: PHYS_ADDR_LIMIT,
            kind: RegionKind::Ram
        }]
    );
}

#[test]
fn full_map_drops_entry_unchanged() {
    let mut map = MemoryMap::new();
    for i in 0..MAX_REGIONS as u64 {
        map.add(i * 0x2000, i * 0x2000 + 0x1000, RegionKind::Ram, &mut none);
    }
    assert_eq!(map.len(), MAX_REGIONS);
    let before = map.clone();
    let mut repairs = Vec::new();
    map.add(0x1000_0000, 0x1000_1000, RegionKind::Ram, &mut |r| {
        repairs.push(r)
    });
    assert_eq!(repairs.len(), 1);
    assert_eq!(map.regions(), before.regions());
    // Filling a gap still works: it merges two regions into one.
    map.add(0x1000, 0x2000, RegionKind::Ram, &mut none);
    assert_eq!(map.len(), MAX_REGIONS - 1);
}

#[test]
fn xen_style_display() {
    let mut map = MemoryMap::new();
    map.add(0, 0x9fc00, RegionKind::Ram, &mut none);
    map.add(0xe0000, 0x100000, RegionKind::Reserved, &mut none);
    map.add(0x7ffe0000, 0x80000000, RegionKind::AcpiReclaim, &mut none);
    let text = std::format!("{map}");
    assert_eq!(
        text,
        " [0000000000000000, 000000000009fbff] (usable)\n\
         \x20[00000000000e0000, 00000000000fffff] (reserved)\n\
         \x20[000000007ffe0000, 000000007fffffff] (ACPI data)\n"
    );
}

#[test]
fn ram_ranges_excluding_subtracts() {
    let mut map = MemoryMap::new();
    map.add(0, 0xa0000, RegionKind::Ram, &mut none);
    map.add(0x100000, 0x1000000, RegionKind::Ram, &mut none);
    let excluded = [
        0x0..0x1000,
        0x200000..0x400000,
        0x300000..0x500000,
        0xf00000..0x2000000,
    ];
    let got: Vec<_> = map.ram_ranges_excluding(&excluded).collect();
    assert_eq!(
        got,
        [0x1000..0xa0000, 0x100000..0x200000, 0x500000..0xf00000]
    );
    assert!(map.is_ram(0x100000..0x200000));
    assert!(!map.is_ram(0x9f000..0x101000));
}

fn kind_strategy() -> impl Strategy<Value = RegionKind> {
    (0u32..8).prop_map(RegionKind::from_e820)
}

// The map against a reference model: the highest-ranked kind over all entries covering a
// point, checked at every entry boundary (the only places the answer can change).
proptest! {
    #[test]
    fn merge_matches_reference(entries in prop::collection::vec((0u64..64, 0u64..64, kind_strategy()), 0..24)) {
        let mut map = MemoryMap::new();
        let scaled: Vec<_> = entries.iter().map(|&(a, b, k)| (a * 0x1000, b * 0x1000, k)).collect();
        add_all(&mut map, &scaled);
        let regions = map.regions();
        for w in regions.windows(2) {
            prop_assert!(w[0].end <= w[1].start);
            prop_assert!(!(w[0].end == w[1].start && w[0].kind == w[1].kind));
        }
        for r in regions {
            prop_assert!(r.start < r.end);
        }
        for p in 0..64u64 {
            let addr = p * 0x1000;
            let expect = scaled
                .iter()
                .filter(|&&(s, e, _)| s <= addr && addr < e)
                .map(|&(_, _, k)| k)
                .max_by_key(|k| k.rank());
            prop_assert_eq!(map.kind_at(addr), expect);
        }
    }

    #[test]
    fn arbitrary_entries_keep_invariants(entries in prop::collection::vec((any::<u64>(), any::<u64>(), any::<u32>()), 0..200)) {
        let mut map = MemoryMap::new();
        let mut repairs = 0usize;
        for &(base, len, ty) in &entries {
            map.add_e820(base, len, ty, &mut |_| repairs += 1);
        }
        for w in map.regions().windows(2) {
            prop_assert!(w[0].end < w[1].start || (w[0].end == w[1].start && w[0].kind != w[1].kind));
        }
        prop_assert!(map.iter().all(|r| r.start < r.end && r.end <= PHYS_ADDR_LIMIT));
        let t = map.totals();
        prop_assert!(t.ram.checked_add(t.reserved).is_some_and(|sum| sum <= PHYS_ADDR_LIMIT));
    }

    #[test]
    fn excluding_matches_reference(
        entries in prop::collection::vec((0u64..64, 0u64..64, kind_strategy()), 0..16),
        excluded in prop::collection::vec((0u64..64, 0u64..64), 0..8),
    ) {
        let mut map = MemoryMap::new();
        for &(a, b, k) in &entries {
            map.add(a * 0x1000, b * 0x1000, k, &mut none);
        }
        let excluded: Vec<_> = excluded.iter().map(|&(a, b)| a * 0x1000..b * 0x1000).collect();
        let ranges: Vec<_> = map.ram_ranges_excluding(&excluded).collect();
        for w in ranges.windows(2) {
            prop_assert!(w[0].end <= w[1].start);
        }
        for p in 0..64u64 {
            let addr = p * 0x1000;
            let expect = map.kind_at(addr) == Some(RegionKind::Ram)
                && !excluded.iter().any(|ex| ex.contains(&addr));
            let got = ranges.iter().any(|r| r.contains(&addr));
            prop_assert_eq!(got, expect);
        }
    }
}
