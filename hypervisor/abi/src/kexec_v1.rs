//! `xen/include/public/kexec.h` (Xen 4.20): the obsolete v1 load interface
//! (`KEXEC_CMD_kexec_load_v1`/`unload_v1`, replaced in interface 0x00040400). Its image struct
//! carries a page list only on x86, so each arch has its own layout; the layout table lists
//! [`x86`] for x86_64 and [`arm`] for arm64.

/// x86_64 layouts: the image starts with `KEXEC_XEN_NO_PAGES` (17) page-list entries.
pub mod x86 {
    xen_abi! {
        header "kexec.h";
        structs {
            /// `xen_kexec_image_t` (x86_64).
            "xen_kexec_image_t" size 152 align 8;
            pub struct XenKexecImage {
                /// Frames of the image's pages (`KEXEC_XEN_NO_PAGES` entries).
                0 page_list: [u64; 17],
                /// Frame of the first indirection page.
                136 indirection_page: u64,
                /// Entry point.
                144 start_address: u64,
            }

            /// `xen_kexec_load_v1_t` (x86_64).
            "xen_kexec_load_v1_t" size 160 align 8;
            pub struct XenKexecLoadV1 {
                /// `KEXEC_TYPE_*`.
                0 type_ as "type": i32,
                /// Padding.
                4 _gap0: [u8; 4],
                /// The image.
                8 image: XenKexecImage,
            }
        }
        consts {
            /// Page-list entries in an x86 v1 image.
            pub const KEXEC_XEN_NO_PAGES: u32 = 17;
        }
    }
}

/// arm64 layouts: no page list.
pub mod arm {
    xen_abi! {
        header "kexec.h";
        structs {
            /// `xen_kexec_image_t` (arm64).
            "xen_kexec_image_t" size 16 align 8;
            pub struct XenKexecImage {
                /// Frame of the first indirection page.
                0 indirection_page: u64,
                /// Entry point.
                8 start_address: u64,
            }

            /// `xen_kexec_load_v1_t` (arm64).
            "xen_kexec_load_v1_t" size 24 align 8;
            pub struct XenKexecLoadV1 {
                /// `KEXEC_TYPE_*`.
                0 type_ as "type": i32,
                /// Padding.
                4 _gap0: [u8; 4],
                /// The image.
                8 image: XenKexecImage,
            }
        }
    }
}
