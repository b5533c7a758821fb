//! Items newer than the Xen 4.17 headers CI compiles against (`tests/c_layout.rs` lists them as
//! "not checked"), checked here against values transcribed by hand from the Xen 4.20 public
//! headers (tag RELEASE-4.20.0, `xen/include/public/`). Every versioned item in the layout table
//! must appear below, so a new one cannot slip past both checks.

use ferrite_abi::layout::{Arch, layout_table};

/// (C name, value) from the 4.20 header text.
const CONSTS_4_20: &[(&str, u64)] = &[
    // arch-x86/cpuid.h
    ("XEN_CPUID_TSC_EMULATED", 1 << 0),
    ("XEN_CPUID_HOST_TSC_RELIABLE", 1 << 1),
    ("XEN_CPUID_RDTSCP_INSTR_AVAIL", 1 << 2),
    ("XEN_CPUID_TSC_MODE_DEFAULT", 0),
    ("XEN_CPUID_TSC_MODE_ALWAYS_EMULATE", 1),
    ("XEN_CPUID_TSC_MODE_NEVER_EMULATE", 2),
    ("XEN_CPUID_TSC_MODE_PVRDTSCP", 3),
    // arch-arm.h
    ("XEN_DOMCTL_CONFIG_TEE_FFA", 2),
    ("GUEST_VPCI_ADDR_TYPE_PREFETCH_MEM", 0x4300_0000),
    ("GUEST_FFA_NOTIF_PEND_INTR_ID", 8),
    ("GUEST_FFA_SCHEDULE_RECV_INTR_ID", 9),
    // version.h
    ("XENVER_extraversion2", 11),
    ("XENVER_capabilities2", 12),
    ("XENVER_changeset2", 13),
    ("XENVER_commandline2", 14),
    // features.h
    ("XENFEAT_runstate_phys_area", 18),
    ("XENFEAT_vcpu_time_phys_area", 19),
    ("XENFEAT_dm_msix_all_writes", 20),
    // vcpu.h
    ("VCPUOP_register_runstate_phys_area", 14),
    ("VCPUOP_register_vcpu_time_phys_area", 15),
    // physdev.h
    ("PHYSDEVOP_pci_device_reset", 32),
    ("PCI_DEVICE_RESET_COLD", 0),
    ("PCI_DEVICE_RESET_WARM", 1),
    ("PCI_DEVICE_RESET_HOT", 2),
    ("PCI_DEVICE_RESET_FLR", 3),
    ("PCI_DEVICE_RESET_MASK", 3),
    // domctl.h, sysctl.h
    ("XEN_DOMCTL_INTERFACE_VERSION", 0x17),
    ("XEN_DOMCTL_dt_overlay", 87),
    ("XEN_DOMCTL_gsi_permission", 88),
    ("XEN_DOMCTL_set_llc_colors", 89),
    ("XEN_SYSCTL_dt_overlay", 30),
    // domctl.h, sysctl.h, platform.h argument constants
    ("XEN_DOMCTL_DT_OVERLAY_ATTACH", 1),
    ("XEN_SYSCTL_DT_OVERLAY_ADD", 1),
    ("XEN_SYSCTL_DT_OVERLAY_REMOVE", 2),
    ("XEN_SYSCTL_PHYSCAP_ARM_SVE_MASK", 0x1f),
    ("XEN_SYSCTL_CPPC_SET_PARAM_MASK", 0xf000_001f),
    ("XEN_DOMCTL_ALTP2M_mixed", 1),
    ("XEN_DOMCTL_ALTP2M_external", 2),
    ("XEN_DOMCTL_ALTP2M_limited", 3),
    ("XEN_DOMCTL_ALTP2M_mode_mask", 3),
    ("XEN_DOMCTL_GSI_REVOKE", 0),
    ("XEN_DOMCTL_GSI_GRANT", 1),
    ("XEN_DOMCTL_GSI_ACTION_MASK", 1),
    ("XEN_DOMCTL_MONITOR_EVENT_IO", 0xd),
    ("XEN_SYSCTL_CPPC_FEAT_ACT_WINDOW", 1),
    ("XEN_CPPC_ACT_WINDOW_MANTISSA_MASK", 0x7f),
    ("XEN_CPPC_ACT_WINDOW_EXPONENT_MASK", 0x380),
    ("XEN_SYSCTL_CPPC_SET_MINIMUM", 1),
    ("XEN_SYSCTL_CPPC_SET_MAXIMUM", 2),
    ("XEN_SYSCTL_CPPC_SET_DESIRED", 4),
    ("XEN_SYSCTL_CPPC_SET_ENERGY_PERF", 8),
    ("XEN_SYSCTL_CPPC_SET_ACT_WINDOW", 0x10),
    ("XEN_SYSCTL_CPPC_SET_PRESET_MASK", 0xf0000000),
    ("XEN_SYSCTL_CPPC_SET_PRESET_NONE", 0),
    ("XEN_SYSCTL_CPPC_SET_PRESET_BALANCE", 0x10000000),
    ("XEN_SYSCTL_CPPC_SET_PRESET_POWERSAVE", 0x20000000),
    ("XEN_SYSCTL_CPPC_SET_PRESET_PERFORMANCE", 0x30000000),
    ("XEN_SYSCTL_CPPC_ACT_WINDOW_MASK", 0x3ff),
    ("SET_CPUFREQ_CPPC", 0x15),
    ("LIVEPATCH_FLAG_FORCE", 1),
    ("LIVEPATCH_FLAGS_MASK", 1),
    ("XENPF_UCODE_FORCE", 1),
    // platform.h
    ("XENPF_get_dom0_console", 64),
    ("XENPF_get_ucode_revision", 65),
    ("XENPF_microcode_update2", 66),
    // elfnote.h
    ("XEN_ELFNOTE_PHYS32_RELOC", 19),
    ("XEN_ELFNOTE_MAX", 19),
];

/// A struct as the 4.20 header text lays it out: C type, size, align, (member, offset)s.
type StructText = (&'static str, usize, usize, &'static [(&'static str, usize)]);

/// The structs newer than 4.17.
const STRUCTS_4_20: &[StructText] = &[
    ("struct xen_varbuf", 4, 4, &[("len", 0), ("buf", 4)]),
    ("struct pci_device_reset", 8, 4, &[("dev", 0), ("flags", 4)]),
    (
        "struct xen_domctl_set_llc_colors",
        16,
        8,
        &[("num_llc_colors", 0), ("pad", 4), ("llc_colors", 8)],
    ),
    (
        "struct xen_domctl_dt_overlay",
        16,
        8,
        &[
            ("overlay_fdt", 0),
            ("overlay_fdt_size", 8),
            ("overlay_op", 12),
            ("pad", 13),
        ],
    ),
    (
        "struct xen_sysctl_dt_overlay",
        16,
        8,
        &[
            ("overlay_fdt", 0),
            ("overlay_fdt_size", 8),
            ("overlay_op", 12),
            ("pad", 13),
        ],
    ),
    (
        "struct xen_cppc_para",
        40,
        4,
        &[
            ("features", 0),
            ("lowest", 4),
            ("lowest_nonlinear", 8),
            ("nominal", 12),
            ("highest", 16),
            ("minimum", 20),
            ("maximum", 24),
            ("desired", 28),
            ("energy_perf", 32),
            ("activity_window", 36),
        ],
    ),
    (
        "struct xen_set_cppc_para",
        24,
        4,
        &[
            ("set_params", 0),
            ("minimum", 4),
            ("maximum", 8),
            ("desired", 12),
            ("energy_perf", 16),
            ("activity_window", 20),
        ],
    ),
    (
        "struct xen_get_cpufreq_para",
        120,
        8,
        &[
            ("cpu_num", 0),
            ("freq_num", 4),
            ("gov_num", 8),
            ("affected_cpus", 16),
            ("scaling_available_frequencies", 24),
            ("scaling_available_governors", 32),
            ("scaling_driver", 40),
            ("cpuinfo_cur_freq", 56),
            ("cpuinfo_max_freq", 60),
            ("cpuinfo_min_freq", 64),
            ("u", 68),
            ("turbo_enabled", 112),
        ],
    ),
    (
        "struct xen_sysctl_pm_op",
        128,
        8,
        &[("cmd", 0), ("cpuid", 4), ("u", 8)],
    ),
    (
        "struct xenpf_ucode_revision",
        16,
        4,
        &[("cpu", 0), ("signature", 4), ("pf", 8), ("revision", 12)],
    ),
    (
        "struct xenpf_microcode_update2",
        16,
        8,
        &[("flags", 0), ("length", 4), ("data", 8)],
    ),
    (
        "__typeof__(((struct xen_get_cpufreq_para *)0)->u.s)",
        44,
        4,
        &[
            ("scaling_cur_freq", 0),
            ("scaling_governor", 4),
            ("scaling_max_freq", 20),
            ("scaling_min_freq", 24),
            ("u", 28),
        ],
    ),
    (
        "struct xen_domctl_gsi_permission",
        8,
        4,
        &[("gsi", 0), ("flags", 4)],
    ),
];

/// `xen_domctl_createdomain` members (4.19 inserted `altp2m_opts` before `vmtrace_size`).
const CREATEDOMAIN_4_20: &[(&str, usize)] = &[
    ("ssidref", 0),
    ("handle", 4),
    ("flags", 20),
    ("iommu_opts", 24),
    ("max_vcpus", 28),
    ("max_evtchn_port", 32),
    ("max_grant_frames", 36),
    ("max_maptrack_frames", 40),
    ("grant_opts", 44),
    ("altp2m_opts", 48),
    ("vmtrace_size", 52),
    ("cpupool_id", 56),
    ("arch", 60),
];

/// Structs whose 4.20 layout differs per arch: (arch, struct text).
const PER_ARCH_4_20: &[(Arch, StructText)] = &[
    (
        Arch::X86_64,
        ("struct xen_domctl_createdomain", 68, 4, CREATEDOMAIN_4_20),
    ),
    (
        Arch::Aarch64,
        ("struct xen_domctl_createdomain", 72, 4, CREATEDOMAIN_4_20),
    ),
];

/// (C type, member, offset) for members added to older structs.
const FIELDS_4_20: &[(&str, &str, usize)] = &[
    ("struct xen_arch_domainconfig", "sve_vl", 1),
    ("struct xen_sysctl_livepatch_op", "flags", 4),
];

fn is_release(since: Option<&str>) -> bool {
    since.is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
}

#[test]
fn newer_items_match_the_4_20_headers() {
    let mut checked = 0;
    for arch in [Arch::X86_64, Arch::Aarch64] {
        for m in layout_table(arch) {
            for c in m
                .consts
                .iter()
                .flat_map(|g| g.iter())
                .filter(|c| is_release(c.since))
            {
                let want = CONSTS_4_20.iter().find(|(n, _)| *n == c.c_name);
                assert_eq!(
                    want.map(|w| w.1),
                    Some(c.value),
                    "{} vs the 4.20 text",
                    c.c_name
                );
                checked += 1;
            }
            for s in m.structs {
                if is_release(s.since) {
                    let want = PER_ARCH_4_20
                        .iter()
                        .find(|w| w.0 == arch && w.1.0 == s.c_type)
                        .map(|w| &w.1)
                        .or_else(|| STRUCTS_4_20.iter().find(|w| w.0 == s.c_type));
                    let Some((_, size, align, fields)) = want else {
                        panic!("{} is newer than 4.17 but has no hand check", s.c_type);
                    };
                    assert_eq!((s.size, s.align), (*size, *align), "{}", s.c_type);
                    for f in s.fields.iter().filter(|f| !f.c_name.starts_with('_')) {
                        let off = fields.iter().find(|w| w.0 == f.c_name).map(|w| w.1);
                        assert_eq!(off, Some(f.offset), "{}.{}", s.c_type, f.c_name);
                    }
                    checked += 1;
                }
                for f in s.fields.iter().filter(|f| is_release(f.since)) {
                    let want = FIELDS_4_20
                        .iter()
                        .find(|w| w.0 == s.c_type && w.1 == f.c_name)
                        .map(|w| w.2);
                    assert_eq!(want, Some(f.offset), "{}.{}", s.c_type, f.c_name);
                    checked += 1;
                }
            }
        }
    }
    println!("newer_than_417: {checked} items checked against the 4.20 header text");
    assert!(checked > 0);
}
