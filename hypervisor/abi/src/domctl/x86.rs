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
            /// `ssidref`.
            0 ssidref: u32,
            /// `handle`.
            4 handle: [u8; 16],
            /// `flags`.
            20 flags: u32,
            /// `iommu_opts`.
            24 iommu_opts: u32,
            /// `max_vcpus`.
            28 max_vcpus: u32,
            /// `max_evtchn_port`.
            32 max_evtchn_port: u32,
            /// `max_grant_frames`.
            36 max_grant_frames: i32,
            /// `max_maptrack_frames`.
            40 max_maptrack_frames: i32,
            /// `grant_opts`.
            44 grant_opts: u32,
            /// `altp2m_opts`.
            48 altp2m_opts: u32,
            /// `vmtrace_size`.
            52 vmtrace_size: u32,
            /// `cpupool_id`.
            56 cpupool_id: u32,
            /// `arch`.
            60 arch: XenArchDomainconfig,
        }

        /// `struct xen_domctl_getdomaininfo`.
        "struct xen_domctl_getdomaininfo" size 112 align 8;
        pub struct XenDomctlGetdomaininfo {
            /// `domain`.
            0 domain: DomId,
            /// `pad1`.
            2 pad1: u16,
            /// `flags`.
            4 flags: u32,
            /// `tot_pages`.
            8 tot_pages: u64,
            /// `max_pages`.
            16 max_pages: u64,
            /// `outstanding_pages`.
            24 outstanding_pages: u64,
            /// `shr_pages`.
            32 shr_pages: u64,
            /// `paged_pages`.
            40 paged_pages: u64,
            /// `shared_info_frame`.
            48 shared_info_frame: u64,
            /// `cpu_time`.
            56 cpu_time: u64,
            /// `nr_online_vcpus`.
            64 nr_online_vcpus: u32,
            /// `max_vcpu_id`.
            68 max_vcpu_id: u32,
            /// `ssidref`.
            72 ssidref: u32,
            /// `handle`.
            76 handle: [u8; 16],
            /// `cpupool`.
            92 cpupool: u32,
            /// `gpaddr_bits`.
            96 gpaddr_bits: u8,
            /// `pad2`.
            97 pad2: [u8; 7],
            /// `arch_config`.
            104 arch_config: XenArchDomainconfig,
        }

        /// `struct xen_domctl_cpu_policy`.
        "struct xen_domctl_cpu_policy" size 40 align 8;
        pub struct XenDomctlCpuPolicy {
            /// `nr_leaves`.
            0 nr_leaves: u32,
            /// `nr_msrs`.
            4 nr_msrs: u32,
            /// `leaves`.
            8 leaves: GuestHandle<u8>,
            /// `msrs`.
            16 msrs: GuestHandle<u8>,
            /// `err_leaf`.
            24 err_leaf: u32,
            /// `err_subleaf`.
            28 err_subleaf: u32,
            /// `err_msr`.
            32 err_msr: u32,
            /// Padding.
            36 _gap0: [u8; 4],
        }

        /// `struct xen_domctl_vcpuextstate`.
        "struct xen_domctl_vcpuextstate" size 32 align 8;
        pub struct XenDomctlVcpuextstate {
            /// `vcpu`.
            0 vcpu: u32,
            /// Padding.
            4 _gap0: [u8; 4],
            /// `xfeature_mask`.
            8 xfeature_mask: u64,
            /// `size`.
            16 size: u64,
            /// `buffer`.
            24 buffer: GuestHandle<u64>,
        }

        /// `struct xen_domctl_vcpu_msr`.
        "struct xen_domctl_vcpu_msr" size 16 align 8;
        pub struct XenDomctlVcpuMsr {
            /// `index`.
            0 index: u32,
            /// `reserved`.
            4 reserved: u32,
            /// `value`.
            8 value: u64,
        }

        /// `struct xen_domctl_vcpu_msrs`.
        "struct xen_domctl_vcpu_msrs" size 16 align 8;
        pub struct XenDomctlVcpuMsrs {
            /// `vcpu`.
            0 vcpu: u32,
            /// `msr_count`.
            4 msr_count: u32,
            /// `msrs`.
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
            /// `vcpu`.
            0 vcpu: u32,
            /// `size`.
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
