//! `xen/include/public/platform.h` (Xen 4.20, `XENPF_INTERFACE_VERSION` 0x03000001):
//! wall-clock setting, MTRR memory types, microcode loading and revisions, platform quirks.

use crate::GuestHandle;

xen_abi! {
    header "platform.h";
    structs {
        /// `struct xenpf_settime32`.
        "struct xenpf_settime32" size 16 align 8;
        pub struct XenpfSettime32 {
            /// `secs`.
            0 secs: u32,
            /// `nsecs`.
            4 nsecs: u32,
            /// `system_time`.
            8 system_time: u64,
        }

        /// `struct xenpf_settime64`.
        "struct xenpf_settime64" size 24 align 8;
        pub struct XenpfSettime64 {
            /// `secs`.
            0 secs: u64,
            /// `nsecs`.
            8 nsecs: u32,
            /// `mbz`.
            12 mbz: u32,
            /// `system_time`.
            16 system_time: u64,
        }

        /// `struct xenpf_add_memtype`.
        "struct xenpf_add_memtype" size 32 align 8;
        pub struct XenpfAddMemtype {
            /// Machine frame.
            0 mfn: u64,
            /// Frames.
            8 nr_mfns: u64,
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            16 type_ as "type": u32,
            /// Domain handle (UUID).
            20 handle: u32,
            /// `reg`.
            24 reg: u32,
            /// Padding.
            28 _gap0: [u8; 4],
        }

        /// `struct xenpf_del_memtype`.
        "struct xenpf_del_memtype" size 8 align 4;
        pub struct XenpfDelMemtype {
            /// Domain handle (UUID).
            0 handle: u32,
            /// `reg`.
            4 reg: u32,
        }

        /// `struct xenpf_read_memtype`.
        "struct xenpf_read_memtype" size 32 align 8;
        pub struct XenpfReadMemtype {
            /// `reg`.
            0 reg: u32,
            /// Padding.
            4 _gap0: [u8; 4],
            /// Machine frame.
            8 mfn: u64,
            /// Frames.
            16 nr_mfns: u64,
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            24 type_ as "type": u32,
            /// Padding.
            28 _gap1: [u8; 4],
        }

        /// `struct xenpf_microcode_update`.
        "struct xenpf_microcode_update" size 16 align 8;
        pub struct XenpfMicrocodeUpdate {
            /// Guest buffer with the data.
            0 data: GuestHandle<u8>,
            /// Length in bytes.
            8 length: u32,
            /// Padding.
            12 _gap0: [u8; 4],
        }

        /// `struct xenpf_platform_quirk`.
        "struct xenpf_platform_quirk" size 4 align 4;
        pub struct XenpfPlatformQuirk {
            /// `quirk_id`.
            0 quirk_id: u32,
        }

        /// `struct xenpf_ucode_revision`.
        "struct xenpf_ucode_revision" size 16 align 4 since "4.18";
        pub struct XenpfUcodeRevision {
            /// Physical CPU number.
            0 cpu: u32,
            /// `signature`.
            4 signature: u32,
            /// `pf`.
            8 pf: u32,
            /// `revision`.
            12 revision: u32,
        }

        /// `struct xenpf_microcode_update2`.
        "struct xenpf_microcode_update2" size 16 align 8 since "4.20";
        pub struct XenpfMicrocodeUpdate2 {
            /// Flag bits.
            0 flags: u32,
            /// Length in bytes.
            4 length: u32,
            /// Guest buffer with the data.
            8 data: GuestHandle<u8>,
        }
    }
}
