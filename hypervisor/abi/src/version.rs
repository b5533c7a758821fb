//! `xen/include/public/version.h` (Xen 4.20): `HYPERVISOR_xen_version` sub-ops and buffers.

xen_abi! {
    header "version.h";
    structs {
        /// `struct xen_compile_info` (`XENVER_compile_info`).
        "struct xen_compile_info" size 144 align 1;
        pub struct XenCompileInfo {
            /// Compiler.
            0 compiler: [u8; 64],
            /// Built by.
            64 compile_by: [u8; 16],
            /// Build domain.
            80 compile_domain: [u8; 32],
            /// Build date.
            112 compile_date: [u8; 32],
        }

        /// `struct xen_platform_parameters` (`XENVER_platform_parameters`).
        "struct xen_platform_parameters" size 8 align 8;
        pub struct XenPlatformParameters {
            /// Start of Xen's virtual range (PV).
            0 virt_start: u64,
        }

        /// `struct xen_feature_info` (`XENVER_get_features`).
        "struct xen_feature_info" size 8 align 4;
        pub struct XenFeatureInfo {
            /// Which 32-bit submap (`XENFEAT_NR_SUBMAPS`).
            0 submap_idx: u32,
            /// Its bits, `1 << XENFEAT_*`.
            4 submap: u32,
        }

        /// `struct xen_build_id` header; `len` bytes of `buf` follow.
        "struct xen_build_id" size 4 align 4;
        pub struct XenBuildId {
            /// In: buffer size; out: bytes written.
            0 len: u32,
            /// The flexible array.
            4 buf: [u8; 0],
        }

        /// `struct xen_varbuf` header (the `*2` sub-ops); `len` bytes of `buf` follow.
        "struct xen_varbuf" size 4 align 4 since "4.20";
        pub struct XenVarbuf {
            /// In: buffer size; out: bytes written.
            0 len: u32,
            /// The flexible array.
            4 buf: [u8; 0],
        }
    }
    enums {
        /// A `HYPERVISOR_xen_version` command (`XENVER_*`).
        pub enum XenverCmd: u32 {
            /// Returns `major << 16 | minor`.
            Version = XENVER_version = 0,
            /// Fixed 16-byte extra version string.
            Extraversion = XENVER_extraversion = 1,
            /// `xen_compile_info`.
            CompileInfo = XENVER_compile_info = 2,
            /// Fixed 1024-byte capabilities string.
            Capabilities = XENVER_capabilities = 3,
            /// Fixed 64-byte changeset string.
            Changeset = XENVER_changeset = 4,
            /// `xen_platform_parameters`.
            PlatformParameters = XENVER_platform_parameters = 5,
            /// `xen_feature_info`.
            GetFeatures = XENVER_get_features = 6,
            /// Returns the page size.
            Pagesize = XENVER_pagesize = 7,
            /// Returns the guest handle (toolstack).
            GuestHandle = XENVER_guest_handle = 8,
            /// Fixed 1024-byte command line.
            Commandline = XENVER_commandline = 9,
            /// `xen_build_id`.
            BuildId = XENVER_build_id = 10,
            /// Variable-length extra version.
            Extraversion2 = XENVER_extraversion2 = 11 => since "4.20",
            /// Variable-length capabilities.
            Capabilities2 = XENVER_capabilities2 = 12 => since "4.20",
            /// Variable-length changeset.
            Changeset2 = XENVER_changeset2 = 13 => since "4.20",
            /// Variable-length command line.
            Commandline2 = XENVER_commandline2 = 14 => since "4.20",
        }
    }
    consts {
        /// Length of `xen_extraversion_t`.
        pub const XEN_EXTRAVERSION_LEN: u32 = 16;
        /// Length of `xen_capabilities_info_t`.
        pub const XEN_CAPABILITIES_INFO_LEN: u32 = 1024;
        /// Length of `xen_changeset_info_t`.
        pub const XEN_CHANGESET_INFO_LEN: u32 = 64;
    }
}
