//! `xen/include/public/hypfs.h` (Xen 4.20): `HYPERVISOR_hypfs_op`, the hypervisor filesystem.

xen_abi! {
    header "hypfs.h";
    structs {
        /// `struct xen_hypfs_direntry`.
        "struct xen_hypfs_direntry" size 12 align 4;
        pub struct XenHypfsDirentry {
            /// `XEN_HYPFS_TYPE_*`.
            0 kind as "type": u8,
            /// `XEN_HYPFS_ENC_*`.
            1 encoding: u8,
            /// Unused.
            2 pad: u16,
            /// Size of the content.
            4 content_len: u32,
            /// Most bytes a write may give (0: read-only).
            8 max_write_len: u32,
        }

        /// `struct xen_hypfs_dirlistentry` header; the NUL-terminated name follows.
        "struct xen_hypfs_dirlistentry" size 16 align 4;
        pub struct XenHypfsDirlistentry {
            /// The entry.
            0 e: XenHypfsDirentry,
            /// Offset of the next entry (0: last).
            12 off_next: u16,
            /// The name.
            14 name: [u8; 0],
            /// Padding.
            14 _gap0: [u8; 2],
        }
    }
    enums {
        /// A `HYPERVISOR_hypfs_op` command (`XEN_HYPFS_OP_*`).
        pub enum HypfsOp: u32 {
            /// The interface version.
            GetVersion = XEN_HYPFS_OP_get_version = 0,
            /// Read an entry.
            Read = XEN_HYPFS_OP_read = 1,
            /// Write an entry.
            WriteContents = XEN_HYPFS_OP_write_contents = 2,
        }
    }
    consts {
        /// Interface version.
        pub const XEN_HYPFS_VERSION: u32 = 1;
        /// Longest path.
        pub const XEN_HYPFS_MAX_PATHLEN: u32 = 0x400;
        /// Directory.
        pub const XEN_HYPFS_TYPE_DIR: u32 = 0;
        /// Binary data.
        pub const XEN_HYPFS_TYPE_BLOB: u32 = 1;
        /// String.
        pub const XEN_HYPFS_TYPE_STRING: u32 = 2;
        /// Unsigned integer.
        pub const XEN_HYPFS_TYPE_UINT: u32 = 3;
        /// Signed integer.
        pub const XEN_HYPFS_TYPE_INT: u32 = 4;
        /// Boolean.
        pub const XEN_HYPFS_TYPE_BOOL: u32 = 5;
        /// Plain.
        pub const XEN_HYPFS_ENC_PLAIN: u32 = 0;
        /// gzip.
        pub const XEN_HYPFS_ENC_GZIP: u32 = 1;
    }
}
