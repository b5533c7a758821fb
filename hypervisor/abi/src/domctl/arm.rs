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
        "struct xen_domctl_getdomaininfo" size 120 align 8;
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
            /// Padding.
            116 _gap0: [u8; 4],
        }

        /// `struct xen_domctl_ext_vcpucontext` (Arm: no x86 callback or vMCE state).
        "struct xen_domctl_ext_vcpucontext" size 8 align 4;
        pub struct XenDomctlExtVcpucontext {
            /// vCPU id.
            0 vcpu: u32,
            /// Size in bytes.
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
