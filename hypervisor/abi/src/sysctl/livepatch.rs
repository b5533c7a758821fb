//! `xen/include/public/sysctl.h` (Xen 4.20, `XEN_SYSCTL_INTERFACE_VERSION` 0x15, as in 4.17):
//! the `XEN_SYSCTL_livepatch_op` argument structs (upload, get, list, action). The payload's own
//! ELF sections (`livepatch_func` etc.) are Xen-internal and not mirrored.

use crate::GuestHandle;

xen_abi! {
    header "sysctl.h";
    structs {
        /// `struct xen_livepatch_name`.
        "struct xen_livepatch_name" size 16 align 8;
        pub struct XenLivepatchName {
            /// Name.
            0 name: GuestHandle<u8>,
            /// Size in bytes.
            8 size: u16,
            /// Unused; zero.
            10 pad: [u16; 3],
        }

        /// `struct xen_sysctl_livepatch_upload`.
        "struct xen_sysctl_livepatch_upload" size 32 align 8;
        pub struct XenSysctlLivepatchUpload {
            /// Name.
            0 name: XenLivepatchName,
            /// Size in bytes.
            16 size: u64,
            /// `payload`.
            24 payload: GuestHandle<u8>,
        }

        /// `struct xen_livepatch_status`.
        "struct xen_livepatch_status" size 8 align 4;
        pub struct XenLivepatchStatus {
            /// `state`.
            0 state: u32,
            /// `rc`.
            4 rc: i32,
        }

        /// `struct xen_sysctl_livepatch_get`.
        "struct xen_sysctl_livepatch_get" size 24 align 8;
        pub struct XenSysctlLivepatchGet {
            /// Name.
            0 name: XenLivepatchName,
            /// Status.
            16 status: XenLivepatchStatus,
        }

        /// `struct xen_sysctl_livepatch_list`.
        "struct xen_sysctl_livepatch_list" size 64 align 8;
        pub struct XenSysctlLivepatchList {
            /// Version.
            0 version: u32,
            /// `idx`.
            4 idx: u32,
            /// `nr`.
            8 nr: u32,
            /// Unused; zero.
            12 pad: u32,
            /// `name_total_size`.
            16 name_total_size: u32,
            /// `metadata_total_size`.
            20 metadata_total_size: u32,
            /// Status.
            24 status: GuestHandle<XenLivepatchStatus>,
            /// Name.
            32 name: GuestHandle<u8>,
            /// Length in bytes.
            40 len: GuestHandle<u32>,
            /// `metadata`.
            48 metadata: GuestHandle<u8>,
            /// `metadata_len`.
            56 metadata_len: GuestHandle<u32>,
        }

        /// `struct xen_sysctl_livepatch_action`.
        "struct xen_sysctl_livepatch_action" size 32 align 8;
        pub struct XenSysctlLivepatchAction {
            /// Name.
            0 name: XenLivepatchName,
            /// The sub-command.
            16 cmd: u32,
            /// `timeout`.
            20 timeout: u32,
            /// Flag bits.
            24 flags: u32,
            /// Unused; zero.
            28 pad: u32,
        }

        /// `struct xen_sysctl_livepatch_op`.
        "struct xen_sysctl_livepatch_op" size 72 align 8;
        pub struct XenSysctlLivepatchOp {
            /// The sub-command.
            0 cmd: u32,
            /// Flag bits.
            4 flags since "4.19": u32,
            /// Union of the sub-op argument structs.
            8 u: [u64; 8],
        }
    }
}
