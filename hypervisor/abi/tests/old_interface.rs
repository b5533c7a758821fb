//! Items Xen still defines but hides from current guests behind `__XEN_INTERFACE_VERSION__ <
//! 0x...` (their `since` tag starts with "interface") or defines only for the hypervisor itself
//! (tag "__XEN__ only"), so `tests/c_layout.rs`, which compiles as the tools at the latest
//! interface, lists them as not checked. They are checked here against values
//! transcribed by hand from the header text (Xen 4.17 and 4.20 agree on all of them). Every such
//! item in the layout table must appear below.

use ferrite_abi::layout::{Arch, layout_table};

/// (C name, value) from the header text.
const CONSTS: &[(&str, u64)] = &[
    // hvm/hvm_op.h, < 0x00040900
    ("HVMOP_set_pci_intx_level", 2),
    ("HVMOP_set_isa_irq_level", 3),
    ("HVMOP_set_pci_link_route", 4),
    // physdev.h, < 0x00040600 (aliases of the lower-case names and XENIRQSTAT_*)
    ("PHYSDEVOP_IRQ_STATUS_QUERY", 5),
    ("PHYSDEVOP_SET_IOPL", 6),
    ("PHYSDEVOP_SET_IOBITMAP", 7),
    ("PHYSDEVOP_APIC_READ", 8),
    ("PHYSDEVOP_APIC_WRITE", 9),
    ("PHYSDEVOP_ASSIGN_VECTOR", 10),
    ("PHYSDEVOP_FREE_VECTOR", 11),
    ("PHYSDEVOP_IRQ_NEEDS_UNMASK_NOTIFY", 1),
    ("PHYSDEVOP_IRQ_SHARED", 2),
    // memory.h, < 0x00040400 (= XENMEM_add_to_physmap_batch)
    ("XENMEM_add_to_physmap_range", 23),
    // xen.h, < 0x00040600 and < 0x00040400
    ("MAX_VMASST_TYPE", 3),
    ("NR_EVENT_CHANNELS", 4096),
    // nmi.h, < 0x00040300
    ("_XEN_NMIREASON_parity_error", 1),
    ("XEN_NMIREASON_parity_error", 2),
    // event_channel.h, argo.h: __XEN__ only
    ("EVTCHNOP_reset_cont", 14),
    ("XEN_ARGO_REGISTER_FLAG_MASK", 1),
];

/// A struct as the header text lays it out: C type, size, align, (member, offset)s.
type StructText = (&'static str, usize, usize, &'static [(&'static str, usize)]);

const STRUCTS: &[StructText] = &[
    // hvm/hvm_op.h
    (
        "struct xen_hvm_set_pci_intx_level",
        8,
        2,
        &[
            ("domid", 0),
            ("domain", 2),
            ("bus", 3),
            ("device", 4),
            ("intx", 5),
            ("level", 6),
        ],
    ),
    (
        "struct xen_hvm_set_isa_irq_level",
        4,
        2,
        &[("domid", 0), ("isa_irq", 2), ("level", 3)],
    ),
    (
        "struct xen_hvm_set_pci_link_route",
        4,
        2,
        &[("domid", 0), ("link", 2), ("isa_irq", 3)],
    ),
    (
        "struct xen_hvm_altp2m_set_mem_access",
        16,
        8,
        &[("view", 0), ("access", 2), ("pad", 4), ("gfn", 8)],
    ),
    // xsm/flask_op.h, < 0x00040800
    (
        "struct xen_flask_userlist",
        16,
        8,
        &[("start_sid", 0), ("size", 4), ("u.user", 8)],
    ),
];

fn is_old_interface(since: Option<&str>) -> bool {
    since.is_some_and(|v| v.starts_with("interface") || v == "__XEN__ only")
}

#[test]
fn old_interface_items_match_the_header_text() {
    let mut checked = 0;
    for arch in [Arch::X86_64, Arch::Aarch64] {
        for m in layout_table(arch) {
            for c in m
                .consts
                .iter()
                .flat_map(|g| g.iter())
                .filter(|c| is_old_interface(c.since))
            {
                let want = CONSTS.iter().find(|(n, _)| *n == c.c_name).map(|w| w.1);
                assert_eq!(want, Some(c.value), "{} vs the header text", c.c_name);
                checked += 1;
            }
            for s in m.structs.iter().filter(|s| is_old_interface(s.since)) {
                let Some((_, size, align, fields)) = STRUCTS.iter().find(|w| w.0 == s.c_type)
                else {
                    panic!(
                        "{} is hidden by the interface version but has no hand check",
                        s.c_type
                    );
                };
                assert_eq!((s.size, s.align), (*size, *align), "{}", s.c_type);
                for f in s.fields.iter().filter(|f| !f.c_name.starts_with('_')) {
                    let off = fields.iter().find(|w| w.0 == f.c_name).map(|w| w.1);
                    assert_eq!(off, Some(f.offset), "{}.{}", s.c_type, f.c_name);
                }
                checked += 1;
            }
        }
    }
    println!("old_interface: {checked} items checked against the header text");
    assert!(checked > 0);
}
