//! DT reader tests on blobs written with `vm-fdt`: QEMU-virt-like trees (GICv2 and GICv3),
//! Xen's /chosen module nodes, and malformed blobs; a property test that nothing panics.

use super::*;
use proptest::prelude::*;
use std::string::{String, ToString};
use std::vec;
use std::vec::Vec;
use vm_fdt::FdtWriter;

const PA: u64 = 0x4800_0000;

#[derive(Clone, Copy)]
struct Shape {
    gic: u8,
    memory: bool,
    cpus: u32,
    modules: bool,
    addr_cells: u32,
}

const VIRT3: Shape = Shape {
    gic: 3,
    memory: true,
    cpus: 4,
    modules: true,
    addr_cells: 2,
};

fn build(s: Shape) -> Vec<u8> {
    let mut w =
        FdtWriter::new_with_mem_reserv(&[
            vm_fdt::FdtReserveEntry::new(0x4700_0000, 0x1000).unwrap()
        ])
        .unwrap();
    let root = w.begin_node("").unwrap();
    w.property_u32("#address-cells", s.addr_cells).unwrap();
    w.property_u32("#size-cells", 2).unwrap();
    w.property_string("compatible", "linux,dummy-virt").unwrap();
    w.property_u32("interrupt-parent", 0x8002).unwrap();
    if s.memory {
        let m = w.begin_node("memory@40000000").unwrap();
        w.property_string("device_type", "memory").unwrap();
        w.property_array_u64(
            "reg",
            &[0x4000_0000, 0x2000_0000, 0x1_0000_0000, 0x1000_0000],
        )
        .unwrap();
        w.end_node(m).unwrap();
    }
    let rm = w.begin_node("reserved-memory").unwrap();
    w.property_u32("#address-cells", 2).unwrap();
    w.property_u32("#size-cells", 2).unwrap();
    w.property_null("ranges").unwrap();
    let fw = w.begin_node("fw@5f000000").unwrap();
    w.property_array_u64("reg", &[0x5f00_0000, 0x10_0000])
        .unwrap();
    w.end_node(fw).unwrap();
    w.end_node(rm).unwrap();
    let cpus = w.begin_node("cpus").unwrap();
    w.property_u32("#address-cells", 1).unwrap();
    w.property_u32("#size-cells", 0).unwrap();
    for i in 0..s.cpus {
        let c = w.begin_node(&format!("cpu@{i}")).unwrap();
        w.property_string("device_type", "cpu").unwrap();
        w.property_string("compatible", "arm,cortex-a57").unwrap();
        w.property_u32("reg", i).unwrap();
        w.property_string("enable-method", "psci").unwrap();
        w.end_node(c).unwrap();
    }
    w.end_node(cpus).unwrap();
    let psci = w.begin_node("psci").unwrap();
    w.property_string_list(
        "compatible",
        vec![
            "arm,psci-1.0".into(),
            "arm,psci-0.2".into(),
            "arm,psci".into(),
        ],
    )
    .unwrap();
    w.property_string("method", "smc").unwrap();
    w.end_node(psci).unwrap();
    match s.gic {
        3 => {
            let g = w.begin_node("intc@8000000").unwrap();
            w.property_string("compatible", "arm,gic-v3").unwrap();
            w.property_u32("#interrupt-cells", 3).unwrap();
            w.property_u32("#redistributor-regions", 1).unwrap();
            w.property_array_u64("reg", &[0x800_0000, 0x1_0000, 0x80a_0000, 0xf6_0000])
                .unwrap();
            w.property_array_u32("interrupts", &[1, 9, 4]).unwrap();
            w.property_phandle(0x8002).unwrap();
            w.end_node(g).unwrap();
        }
        2 => {
            let g = w.begin_node("intc@8000000").unwrap();
            w.property_string("compatible", "arm,cortex-a15-gic")
                .unwrap();
            w.property_u32("#interrupt-cells", 3).unwrap();
            w.property_array_u64(
                "reg",
                &[
                    0x800_0000, 0x1_0000, 0x801_0000, 0x1_0000, 0x803_0000, 0x1_0000, 0x804_0000,
                    0x1_0000,
                ],
            )
            .unwrap();
            w.property_array_u32("interrupts", &[1, 9, 0xf04]).unwrap();
            w.property_phandle(0x8002).unwrap();
            w.end_node(g).unwrap();
        }
        _ => {}
    }
    let t = w.begin_node("timer").unwrap();
    w.property_string("compatible", "arm,armv8-timer").unwrap();
    w.property_array_u32(
        "interrupts",
        &[1, 13, 0xf04, 1, 14, 0xf04, 1, 11, 0xf04, 1, 10, 0xf04],
    )
    .unwrap();
    w.end_node(t).unwrap();
    let u = w.begin_node("pl011@9000000").unwrap();
    w.property_string_list(
        "compatible",
        vec!["arm,pl011".into(), "arm,primecell".into()],
    )
    .unwrap();
    w.property_array_u64("reg", &[0x900_0000, 0x1000]).unwrap();
    w.end_node(u).unwrap();
    let a = w.begin_node("aliases").unwrap();
    w.property_string("serial0", "/pl011@9000000").unwrap();
    w.end_node(a).unwrap();
    let ch = w.begin_node("chosen").unwrap();
    w.property_u32("#address-cells", 2).unwrap();
    w.property_u32("#size-cells", 2).unwrap();
    w.property_string("stdout-path", "/pl011@9000000").unwrap();
    w.property_string("xen,xen-bootargs", "console=dtuart loglvl=all")
        .unwrap();
    w.property_string("xen,dom0-bootargs", "console=hvc0")
        .unwrap();
    if s.modules {
        // The ramdisk first in the tree: the reader still puts the kernel first.
        let r = w.begin_node("module@52000000").unwrap();
        w.property_string_list(
            "compatible",
            vec!["multiboot,ramdisk".into(), "multiboot,module".into()],
        )
        .unwrap();
        w.property_array_u64("reg", &[0x5200_0000, 0x8000]).unwrap();
        w.end_node(r).unwrap();
        let k = w.begin_node("module@50000000").unwrap();
        w.property_string_list(
            "compatible",
            vec!["multiboot,kernel".into(), "multiboot,module".into()],
        )
        .unwrap();
        w.property_array_u64("reg", &[0x5000_0000, 0x20_0000])
            .unwrap();
        w.end_node(k).unwrap();
    }
    w.end_node(ch).unwrap();
    w.end_node(root).unwrap();
    w.finish().unwrap()
}

fn parse_blob(blob: &[u8]) -> (Result<(), DtError>, BootInfo, DtInfo, Vec<String>) {
    let mut info = BootInfo::new(Loader::Fdt);
    let mut dt = DtInfo::new();
    let mut diags = Vec::new();
    let r = parse(blob, PA, &mut info, &mut dt, &mut |d| {
        diags.push(d.to_string())
    });
    (r, info, dt, diags)
}

fn str_at(blob: &[u8], s: PhysStr) -> &str {
    let off = (s.paddr - PA) as usize;
    std::str::from_utf8(&blob[off..off + s.len as usize]).unwrap()
}

#[test]
fn reads_a_virt_like_tree_with_gicv3() {
    let blob = build(VIRT3);
    let (r, info, dt, diags) = parse_blob(&blob);
    r.unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(info.loader, Loader::Fdt);
    assert_eq!(info.memory_map.totals().ram, 0x2000_0000 + 0x1000_0000);
    assert_eq!(dt.mpidrs(), &[0, 1, 2, 3]);
    assert_eq!(dt.psci, Some(PsciMethod::Smc));
    assert_eq!(dt.psci_compatible, "arm,psci-1.0");
    let Some(GicInfo::V3 {
        dist,
        redists,
        redist_count,
        maintenance,
    }) = dt.gic
    else {
        panic!("no GICv3: {:?}", dt.gic)
    };
    assert_eq!((dist.start, dist.end), (0x800_0000, 0x801_0000));
    assert_eq!((redist_count, redists[0].start), (1, 0x80a_0000));
    assert_eq!(maintenance, Some(25));
    let t = dt.timer.unwrap();
    assert_eq!((t.hyp_phys, t.phys, t.virt), (Some(26), Some(30), Some(27)));
    assert_eq!(
        dt.reserved(),
        &[
            PhysRange {
                start: 0x4700_0000,
                end: 0x4700_1000
            },
            PhysRange {
                start: 0x5f00_0000,
                end: 0x5f10_0000
            }
        ]
    );
    assert_eq!(
        str_at(&blob, info.cmdline.unwrap()),
        "console=dtuart loglvl=all"
    );
    let m = info.modules();
    assert_eq!(m.len(), 2);
    assert_eq!((m[0].start, m[0].end), (0x5000_0000, 0x5020_0000));
    assert_eq!(dt.module_kinds[0], ModuleKind::Kernel);
    assert_eq!(dt.module_kinds[1], ModuleKind::Ramdisk);
    // The kernel takes xen,dom0-bootargs when it has no bootargs of its own.
    assert_eq!(str_at(&blob, m[0].cmdline.unwrap()), "console=hvc0");
    assert_eq!(m[1].cmdline, None);
    assert_eq!(info.boot_ranges()[0].start, PA);
    assert_eq!(info.boot_ranges()[0].end, PA + blob.len() as u64);
}

#[test]
fn reads_gicv2_and_finds_the_uart() {
    let blob = build(Shape { gic: 2, ..VIRT3 });
    let (r, _, dt, _) = parse_blob(&blob);
    r.unwrap();
    let Some(GicInfo::V2 {
        cpu,
        hyp,
        vcpu,
        maintenance,
        ..
    }) = dt.gic
    else {
        panic!("no GICv2")
    };
    assert_eq!(cpu.start, 0x801_0000);
    assert_eq!(hyp.map(|h| h.start), Some(0x803_0000));
    assert_eq!(vcpu.map(|h| h.start), Some(0x804_0000));
    assert_eq!(maintenance, Some(25));
    let want = Some(UartInfo {
        base: 0x900_0000,
        size: 0x1000,
        pl011: true,
    });
    assert_eq!(find_uart(&blob, None), want);
    assert_eq!(find_uart(&blob, Some(b"serial0")), want);
    assert_eq!(find_uart(&blob, Some(b"/pl011@9000000:115200n8")), want);
    assert_eq!(find_uart(&blob, Some(b"/nothing")), None);
    assert_eq!(find_uart(&blob, Some(b"serial7")), None);
}

#[test]
fn missing_memory_and_gic_are_errors() {
    let (r, ..) = parse_blob(&build(Shape {
        memory: false,
        ..VIRT3
    }));
    assert_eq!(r, Err(DtError::NoMemory));
    let (r, ..) = parse_blob(&build(Shape { gic: 0, ..VIRT3 }));
    assert_eq!(r, Err(DtError::NoGic));
}

#[test]
fn cells_out_of_range_are_errors() {
    let (r, ..) = parse_blob(&build(Shape {
        addr_cells: 3,
        ..VIRT3
    }));
    assert_eq!(r, Err(DtError::CellsOutOfRange { node: "/memory" }));
}

#[test]
fn bad_magic_truncation_and_garbage() {
    let good = build(VIRT3);
    let mut bad = good.clone();
    bad[0] ^= 0xff;
    assert!(matches!(parse_blob(&bad).0, Err(DtError::BadMagic { .. })));
    // Cut in half: totalsize says more than there is.
    let (r, ..) = parse_blob(&good[..good.len() / 2]);
    assert!(matches!(r, Err(DtError::Truncated { .. })), "{r:?}");
    // Cut in half with totalsize fixed up: the blocks now run past it.
    let mut cut = good[..good.len() / 2].to_vec();
    let n = cut.len() as u32;
    cut[4..8].copy_from_slice(&n.to_be_bytes());
    let (r, ..) = parse_blob(&cut);
    assert!(matches!(r, Err(DtError::Truncated { .. })), "{r:?}");
    assert!(matches!(parse_blob(&[]).0, Err(DtError::Truncated { .. })));
    let mut big = good.clone();
    big[4..8].copy_from_slice(&(64u32 << 20).to_be_bytes());
    assert!(matches!(parse_blob(&big).0, Err(DtError::TooLarge { .. })));
}

#[test]
fn nops_are_stripped() {
    let mut blob = build(VIRT3);
    // NOP out the root's "compatible" property as libfdt's fdt_nop_property does.
    let at = blob
        .windows(16)
        .position(|w| w == b"linux,dummy-virt")
        .unwrap()
        - 12;
    for w in blob[at..at + 12 + 20].chunks_mut(4) {
        w.copy_from_slice(&4u32.to_be_bytes());
    }
    assert!(matches!(
        check::validate(&blob),
        Err(DtError::Malformed { .. })
    ));
    check::strip_nops(&mut blob).unwrap();
    let (r, info, ..) = parse_blob(&blob);
    r.unwrap();
    assert_eq!(info.memory_map.totals().ram, 0x3000_0000);
}

#[test]
fn every_prefix_and_byte_flip_is_an_error_or_a_tree() {
    let good = build(Shape { gic: 2, ..VIRT3 });
    for len in 0..good.len() {
        let _ = parse_blob(&good[..len]);
    }
    for i in 0..good.len() {
        let mut b = good.clone();
        b[i] ^= 0x5a;
        let _ = parse_blob(&b);
        let _ = check::strip_nops(&mut b.clone());
        if let Some(w) = b.get_mut(i & !3..(i & !3) + 4) {
            w.copy_from_slice(&4u32.to_be_bytes());
        }
        if check::strip_nops(&mut b).is_ok() {
            let _ = parse_blob(&b);
        }
        let _ = find_uart(&b, None);
    }
}

proptest! {
    #[test]
    fn no_blob_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_blob(&bytes);
        let _ = find_uart(&bytes, Some(b"serial0"));
        let _ = check::strip_nops(&mut bytes.clone());
    }

    #[test]
    fn no_mutation_panics(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
                          cut in any::<usize>()) {
        let mut b = build(VIRT3);
        for (at, v) in edits {
            let i = at % b.len();
            b[i] = v;
        }
        let len = b.len();
        b.truncate(len - cut % 64);
        let _ = parse_blob(&b);
        let _ = find_uart(&b, None);
    }
}
