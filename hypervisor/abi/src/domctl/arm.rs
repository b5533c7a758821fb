//! `xen/include/public/domctl.h` (Xen 4.20, `XEN_DOMCTL_INTERFACE_VERSION` 0x17), arm64
//! layouts: the structs that embed the Arm `struct xen_arch_domainconfig` (`createdomain`,
//! `getdomaininfo`), the Arm `ext_vcpucontext` and the Arm-only device-tree overlay. Compiled
//! everywhere; the layout table lists them for arm64 only.

use crate::GuestHandle;
use crate::arch_arm::XenArchDomainconfig;
use crate::xen::DomId;

xen_abi! {
    header "domctl.h";
    structs {
        /// `struct xen_domctl_createdomain`.
        "struct xen_domctl_createdomain" size 72 align 4 since "4.19";
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
        "struct xen_domctl_getdomaininfo" size 120 align 8;
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
            /// Padding.
            116 _gap0: [u8; 4],
        }

        /// `struct xen_domctl_ext_vcpucontext` (Arm: no x86 callback or vMCE state).
        "struct xen_domctl_ext_vcpucontext" size 8 align 4;
        pub struct XenDomctlExtVcpucontext {
            /// `vcpu`.
            0 vcpu: u32,
            /// `size`.
            4 size: u32,
        }

        /// `struct xen_domctl_dt_overlay` (Arm only, 4.19+): attach a device-tree overlay.
        "struct xen_domctl_dt_overlay" size 16 align 8 since "4.19";
        pub struct XenDomctlDtOverlay {
            /// The overlay FDT.
            0 overlay_fdt: GuestHandle<u8>,
            /// Its size in bytes.
            8 overlay_fdt_size: u32,
            /// `XEN_DOMCTL_DT_OVERLAY_*`.
            12 overlay_op: u8,
            /// Must be zero.
            13 pad: [u8; 3],
        }
    }
    consts {
        /// `overlay_op`: attach the overlay (Arm, 4.19+).
        pub const XEN_DOMCTL_DT_OVERLAY_ATTACH: u32 = 1 => since "4.19";
    }
}
