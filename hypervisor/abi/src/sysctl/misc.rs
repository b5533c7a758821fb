//! `xen/include/public/sysctl.h` (Xen 4.20, `XEN_SYSCTL_INTERFACE_VERSION` 0x15, as in 4.17):
//! page offlining, lock profiling, coverage and PSR (cache monitoring and allocation).

use crate::GuestHandle;

xen_abi! {
    header "sysctl.h";
    structs {
        /// `struct xen_sysctl_page_offline_op`.
        "struct xen_sysctl_page_offline_op" size 24 align 8;
        pub struct XenSysctlPageOfflineOp {
            /// The sub-command.
            0 cmd: u32,
            /// Start.
            4 start: u32,
            /// End.
            8 end: u32,
            /// Padding.
            12 _gap0: [u8; 4],
            /// Status.
            16 status: GuestHandle<u32>,
        }

        /// `struct xen_sysctl_lockprof_data`.
        "struct xen_sysctl_lockprof_data" size 80 align 8;
        pub struct XenSysctlLockprofData {
            /// Name.
            0 name: [u8; 40],
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            40 type_ as "type": i32,
            /// `idx`.
            44 idx: i32,
            /// `lock_cnt`.
            48 lock_cnt: u64,
            /// `block_cnt`.
            56 block_cnt: u64,
            /// `lock_time`.
            64 lock_time: u64,
            /// `block_time`.
            72 block_time: u64,
        }

        /// `struct xen_sysctl_lockprof_op`.
        "struct xen_sysctl_lockprof_op" size 32 align 8;
        pub struct XenSysctlLockprofOp {
            /// The sub-command.
            0 cmd: u32,
            /// Maximum elem.
            4 max_elem: u32,
            /// Number of elem.
            8 nr_elem: u32,
            /// Padding.
            12 _gap0: [u8; 4],
            /// `time`.
            16 time: u64,
            /// Guest buffer with the data.
            24 data: GuestHandle<XenSysctlLockprofData>,
        }

        /// `struct xen_sysctl_coverage_op`.
        "struct xen_sysctl_coverage_op" size 16 align 8;
        pub struct XenSysctlCoverageOp {
            /// The sub-command.
            0 cmd: u32,
            /// Size in bytes.
            4 size: u32,
            /// Guest buffer.
            8 buffer: GuestHandle<u8>,
        }

        /// `__typeof__(((struct xen_sysctl_psr_cmt_op *)0)->u.l3_cache)`.
        "__typeof__(((struct xen_sysctl_psr_cmt_op *)0)->u.l3_cache)" size 8 align 4;
        pub struct XenSysctlPsrCmtOpL3Cache {
            /// Physical CPU number.
            0 cpu: u32,
            /// Reserved; zero.
            4 rsvd: u32,
        }

        /// `struct xen_sysctl_psr_cmt_op`.
        "struct xen_sysctl_psr_cmt_op" size 16 align 8;
        pub struct XenSysctlPsrCmtOp {
            /// The sub-command.
            0 cmd: u32,
            /// Flag bits.
            4 flags: u32,
            /// Union of the sub-op argument structs.
            8 u: [u64; 1],
        }

        /// `__typeof__(((struct xen_sysctl_psr_alloc *)0)->u.cat_info)`.
        "__typeof__(((struct xen_sysctl_psr_alloc *)0)->u.cat_info)" size 12 align 4;
        pub struct XenSysctlPsrAllocCatInfo {
            /// `cbm_len`.
            0 cbm_len: u32,
            /// `cos_max`.
            4 cos_max: u32,
            /// Flag bits.
            8 flags: u32,
        }

        /// `__typeof__(((struct xen_sysctl_psr_alloc *)0)->u.mba_info)`.
        "__typeof__(((struct xen_sysctl_psr_alloc *)0)->u.mba_info)" size 12 align 4;
        pub struct XenSysctlPsrAllocMbaInfo {
            /// `thrtl_max`.
            0 thrtl_max: u32,
            /// `cos_max`.
            4 cos_max: u32,
            /// Flag bits.
            8 flags: u32,
        }

        /// `struct xen_sysctl_psr_alloc`.
        "struct xen_sysctl_psr_alloc" size 20 align 4;
        pub struct XenSysctlPsrAlloc {
            /// The sub-command.
            0 cmd: u32,
            /// `target`.
            4 target: u32,
            /// Union of the sub-op argument structs.
            8 u: [u32; 3],
        }
    }
}
