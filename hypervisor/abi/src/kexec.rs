//! `xen/include/public/kexec.h` (Xen 4.20, interface >= 0x00040400): `HYPERVISOR_kexec_op`.
//! The obsolete v1 load structs, whose layout differs per arch, are in [`crate::kexec_v1`].

use crate::GuestHandle;

xen_abi! {
    header "kexec.h";
    structs {
        /// `xen_kexec_exec_t` (`KEXEC_CMD_kexec`).
        "xen_kexec_exec_t" size 4 align 4;
        pub struct XenKexecExec {
            /// `KEXEC_TYPE_*`.
            0 kind as "type": i32,
        }

        /// `xen_kexec_range_t` (`KEXEC_CMD_kexec_get_range`).
        "xen_kexec_range_t" size 24 align 8;
        pub struct XenKexecRange {
            /// `KEXEC_RANGE_MA_*`.
            0 range: i32,
            /// CPU number for `KEXEC_RANGE_MA_CPU`.
            4 nr: i32,
            /// Out: size.
            8 size: u64,
            /// Out: machine address.
            16 start: u64,
        }

        /// `xen_kexec_segment_t`: one segment of an image.
        "xen_kexec_segment_t" size 32 align 8;
        pub struct XenKexecSegment {
            /// Source buffer.
            0 buf as "buf.h": GuestHandle<u8>,
            /// Its size.
            8 buf_size: u64,
            /// Destination machine address.
            16 dest_maddr: u64,
            /// Destination size.
            24 dest_size: u64,
        }

        /// `xen_kexec_load_t` (`KEXEC_CMD_kexec_load`).
        "xen_kexec_load_t" size 24 align 8;
        pub struct XenKexecLoad {
            /// `KEXEC_TYPE_*`.
            0 kind as "type": u8,
            /// Unused.
            1 _pad: u8,
            /// ELF machine of the image.
            2 arch: u16,
            /// Number of segments.
            4 nr_segments: u32,
            /// The segments.
            8 segments as "segments.h": GuestHandle<XenKexecSegment>,
            /// Entry point.
            16 entry_maddr: u64,
        }

        /// `xen_kexec_unload_t` (`KEXEC_CMD_kexec_unload`).
        "xen_kexec_unload_t" size 1 align 1;
        pub struct XenKexecUnload {
            /// `KEXEC_TYPE_*`.
            0 kind as "type": u8,
        }

        /// `xen_kexec_status_t` (`KEXEC_CMD_kexec_status`).
        "xen_kexec_status_t" size 1 align 1;
        pub struct XenKexecStatus {
            /// `KEXEC_TYPE_*`.
            0 kind as "type": u8,
        }
    }
    enums {
        /// A `HYPERVISOR_kexec_op` command (`KEXEC_CMD_*`).
        pub enum KexecCmd: u32 {
            /// Execute an image.
            Kexec = KEXEC_CMD_kexec = 0,
            /// Load (old interface).
            LoadV1 = KEXEC_CMD_kexec_load_v1 = 1,
            /// Unload (old interface).
            UnloadV1 = KEXEC_CMD_kexec_unload_v1 = 2,
            /// Query a memory range.
            GetRange = KEXEC_CMD_kexec_get_range = 3,
            /// Load an image.
            Load = KEXEC_CMD_kexec_load = 4,
            /// Unload an image.
            Unload = KEXEC_CMD_kexec_unload = 5,
            /// Whether an image is loaded.
            Status = KEXEC_CMD_kexec_status = 6,
        }
    }
    consts {
        /// The normal kexec image.
        pub const KEXEC_TYPE_DEFAULT: u32 = 0;
        /// The crash image.
        pub const KEXEC_TYPE_CRASH: u32 = 1;
        /// Crash area.
        pub const KEXEC_RANGE_MA_CRASH: u32 = 0;
        /// Xen itself.
        pub const KEXEC_RANGE_MA_XEN: u32 = 1;
        /// A CPU's crash notes.
        pub const KEXEC_RANGE_MA_CPU: u32 = 2;
        /// The Xen heap.
        pub const KEXEC_RANGE_MA_XENHEAP: u32 = 3;
        /// Boot parameters.
        pub const KEXEC_RANGE_MA_BOOT_PARAM: u32 = 4;
        /// The EFI memory map.
        pub const KEXEC_RANGE_MA_EFI_MEMMAP: u32 = 5;
        /// vmcoreinfo.
        pub const KEXEC_RANGE_MA_VMCOREINFO: u32 = 6;
    }
}
