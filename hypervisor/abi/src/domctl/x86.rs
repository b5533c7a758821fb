//! `xen/include/public/domctl.h` (Xen 4.20, `XEN_DOMCTL_INTERFACE_VERSION` 0x17): x86_64
//! layouts: the structs that embed `struct xen_arch_domainconfig` (`createdomain`,
//! `getdomaininfo`) or exist only on x86 (CPU policy, extended state, MSRs, extended vCPU
//! context). Compiled everywhere; the layout table lists them for x86_64 only.
//! `createdomain` gained `altp2m_opts` in 4.19 (0x17), so it is checked against the 4.20 text.

use crate::GuestHandle;
use crate::arch_x86::xen::XenArchDomainconfig;
use crate::xen::DomId;

xen_abi! {
    header "domctl.h";
    structs {
        /// `struct xen_domctl_createdomain`.
        "struct xen_domctl_createdomain" size 68 align 4 since "4.19";
        pub struct XenDomctlCreatedomain {
            /// XSM security id.
            0 ssidref: u32,
            /// Domain handle (UUID).
            4 handle: [u8; 16],
            /// Flag bits.
            20 flags: u32,
            /// `XEN_DOMCTL_IOMMU_*`.
            24 iommu_opts: u32,
            /// vCPU limit.
            28 max_vcpus: u32,
            /// Highest event channel port.
            32 max_evtchn_port: u32,
            /// Grant-table frame limit (< 0: default).
            36 max_grant_frames: i32,
            /// Maptrack frame limit (< 0: default).
            40 max_maptrack_frames: i32,
            /// Grant version and options (`XEN_DOMCTL_GRANT_*`).
            44 grant_opts: u32,
            /// altp2m mode (`XEN_DOMCTL_ALTP2M_*`, 4.19+).
            48 altp2m_opts: u32,
            /// Per-vCPU trace buffer bytes (0: off).
            52 vmtrace_size: u32,
            /// CPU pool id.
            56 cpupool_id: u32,
            /// Arch-specific configuration.
            60 arch: XenArchDomainconfig,
        }

        /// `struct xen_domctl_getdomaininfo`.
        "struct xen_domctl_getdomaininfo" size 112 align 8;
        pub struct XenDomctlGetdomaininfo {
            /// Domain id.
            0 domain: DomId,
            /// Unused; zero.
            2 pad1: u16,
            /// Flag bits.
            4 flags: u32,
            /// Pages allocated.
            8 tot_pages: u64,
            /// Page limit.
            16 max_pages: u64,
            /// Pages claimed but not yet allocated.
            24 outstanding_pages: u64,
            /// Shared pages.
            32 shr_pages: u64,
            /// Paged-out pages.
            40 paged_pages: u64,
            /// Frame of `shared_info`.
            48 shared_info_frame: u64,
            /// CPU time used (ns).
            56 cpu_time: u64,
            /// Online vCPUs.
            64 nr_online_vcpus: u32,
            /// Highest vCPU id.
            68 max_vcpu_id: u32,
            /// XSM security id.
            72 ssidref: u32,
            /// Domain handle (UUID).
            76 handle: [u8; 16],
            /// CPU pool id.
            92 cpupool: u32,
            /// Guest physical address width.
            96 gpaddr_bits: u8,
            /// Unused; zero.
            97 pad2: [u8; 7],
            /// Arch-specific configuration.
            104 arch_config: XenArchDomainconfig,
        }

        /// `struct xen_domctl_cpu_policy`.
        "struct xen_domctl_cpu_policy" size 40 align 8;
        pub struct XenDomctlCpuPolicy {
            /// CPUID leaves in/out.
            0 nr_leaves: u32,
            /// MSRs in/out.
            4 nr_msrs: u32,
            /// CPUID leaf array.
            8 leaves: GuestHandle<u8>,
            /// MSR array.
            16 msrs: GuestHandle<u8>,
            /// Out: CPUID leaf that was rejected.
            24 err_leaf: u32,
            /// Out: its subleaf.
            28 err_subleaf: u32,
            /// Out: MSR that was rejected.
            32 err_msr: u32,
            /// Padding.
            36 _gap0: [u8; 4],
        }

        /// `struct xen_domctl_vcpuextstate`.
        "struct xen_domctl_vcpuextstate" size 32 align 8;
        pub struct XenDomctlVcpuextstate {
            /// vCPU id.
            0 vcpu: u32,
            /// Padding.
            4 _gap0: [u8; 4],
            /// XSAVE feature mask.
            8 xfeature_mask: u64,
            /// Size in bytes.
            16 size: u64,
            /// Guest buffer.
            24 buffer: GuestHandle<u64>,
        }

        /// `struct xen_domctl_vcpu_msr`.
        "struct xen_domctl_vcpu_msr" size 16 align 8;
        pub struct XenDomctlVcpuMsr {
            /// Index.
            0 index: u32,
            /// Reserved; zero.
            4 reserved: u32,
            /// Value.
            8 value: u64,
        }

        /// `struct xen_domctl_vcpu_msrs`.
        "struct xen_domctl_vcpu_msrs" size 16 align 8;
        pub struct XenDomctlVcpuMsrs {
            /// vCPU id.
            0 vcpu: u32,
            /// MSRs.
            4 msr_count: u32,
            /// MSR array.
            8 msrs: GuestHandle<XenDomctlVcpuMsr>,
        }

        /// `struct hvm_vmce_vcpu`.
        "struct hvm_vmce_vcpu" size 32 align 8;
        pub struct HvmVmceVcpu {
            /// `caps`.
            0 caps: u64,
            /// `mci_ctl2_bank0`.
            8 mci_ctl2_bank0: u64,
            /// `mci_ctl2_bank1`.
            16 mci_ctl2_bank1: u64,
            /// `mcg_ext_ctl`.
            24 mcg_ext_ctl: u64,
        }

        /// `struct xen_domctl_ext_vcpucontext`.
        "struct xen_domctl_ext_vcpucontext" size 64 align 8;
        pub struct XenDomctlExtVcpucontext {
            /// vCPU id.
            0 vcpu: u32,
            /// Size in bytes.
            4 size: u32,
            /// `syscall32_callback_eip`.
            8 syscall32_callback_eip: u64,
            /// `sysenter_callback_eip`.
            16 sysenter_callback_eip: u64,
            /// `syscall32_callback_cs`.
            24 syscall32_callback_cs: u16,
            /// `sysenter_callback_cs`.
            26 sysenter_callback_cs: u16,
            /// `syscall32_disables_events`.
            28 syscall32_disables_events: u8,
            /// `sysenter_disables_events`.
            29 sysenter_disables_events: u8,
            /// Padding.
            30 _gap0: [u8; 2],
            /// The anonymous union: `mcg_cap` or `vmce`.
            32 vmce: HvmVmceVcpu,
        }
    }
}
