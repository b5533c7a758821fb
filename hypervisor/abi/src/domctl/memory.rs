//! `xen/include/public/domctl.h` (Xen 4.20, `XEN_DOMCTL_INTERFACE_VERSION` 0x17): the
//! domctl arguments about a domain's memory — shadow/log-dirty control, page-frame info, NUMA
//! affinity and layout, p2m audit, broken pages, memory sharing and LLC colouring (4.20).

use crate::GuestHandle;
use crate::xen::XenctlBitmap;

xen_abi! {
    header "domctl.h";
    structs {
        /// `struct xen_domctl_getpageframeinfo3`.
        "struct xen_domctl_getpageframeinfo3" size 16 align 8;
        pub struct XenDomctlGetpageframeinfo3 {
            /// Count of entries.
            0 num: u64,
            /// `array`.
            8 array: GuestHandle<u64>,
        }

        /// `struct xen_domctl_shadow_op_stats`.
        "struct xen_domctl_shadow_op_stats" size 8 align 4;
        pub struct XenDomctlShadowOpStats {
            /// Faults since last clean.
            0 fault_count: u32,
            /// Dirty pages since last clean.
            4 dirty_count: u32,
        }

        /// `struct xen_domctl_shadow_op`.
        "struct xen_domctl_shadow_op" size 40 align 8;
        pub struct XenDomctlShadowOp {
            /// The sub-operation.
            0 op: u32,
            /// Mode.
            4 mode: u32,
            /// Allocation in MiB.
            8 mb: u32,
            /// Padding.
            12 _gap0: [u8; 4],
            /// Log-dirty bitmap buffer.
            16 dirty_bitmap: GuestHandle<u8>,
            /// Pages (in: buffer size; out: pages covered).
            24 pages: u64,
            /// Fault and dirty counts.
            32 stats: XenDomctlShadowOpStats,
        }

        /// `struct xen_domctl_nodeaffinity`.
        "struct xen_domctl_nodeaffinity" size 16 align 8;
        pub struct XenDomctlNodeaffinity {
            /// NUMA node bitmap.
            0 nodemap: XenctlBitmap,
        }

        /// `struct xen_domctl_audit_p2m`.
        "struct xen_domctl_audit_p2m" size 24 align 8;
        pub struct XenDomctlAuditP2m {
            /// `orphans`.
            0 orphans: u64,
            /// `m2p_bad`.
            8 m2p_bad: u64,
            /// `p2m_bad`.
            16 p2m_bad: u64,
        }

        /// `struct xen_domctl_set_broken_page_p2m`.
        "struct xen_domctl_set_broken_page_p2m" size 8 align 8;
        pub struct XenDomctlSetBrokenPageP2m {
            /// Frame number.
            0 pfn: u64,
        }

        /// `struct xen_domctl_vnuma`.
        "struct xen_domctl_vnuma" size 48 align 8;
        pub struct XenDomctlVnuma {
            /// Number of vnodes.
            0 nr_vnodes: u32,
            /// Number of vmemranges.
            4 nr_vmemranges: u32,
            /// Number of vcpus.
            8 nr_vcpus: u32,
            /// Unused; zero.
            12 pad: u32,
            /// `vdistance`.
            16 vdistance: GuestHandle<u32>,
            /// `vcpu_to_vnode`.
            24 vcpu_to_vnode: GuestHandle<u32>,
            /// `vnode_to_pnode`.
            32 vnode_to_pnode: GuestHandle<u32>,
            /// `vmemrange`.
            40 vmemrange: GuestHandle<u8>,
        }

        /// `struct xen_domctl_mem_sharing_op`.
        "struct xen_domctl_mem_sharing_op" size 2 align 1;
        pub struct XenDomctlMemSharingOp {
            /// The sub-operation.
            0 op: u8,
            /// Union of the sub-op argument structs.
            1 u: [u8; 1],
        }

        /// `struct xen_domctl_set_llc_colors`.
        "struct xen_domctl_set_llc_colors" size 16 align 8 since "4.20";
        pub struct XenDomctlSetLlcColors {
            /// `num_llc_colors`.
            0 num_llc_colors: u32,
            /// Unused; zero.
            4 pad: u32,
            /// `llc_colors`.
            8 llc_colors: GuestHandle<u32>,
        }
    }
}
