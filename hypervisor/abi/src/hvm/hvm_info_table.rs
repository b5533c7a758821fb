//! `xen/include/public/hvm/hvm_info_table.h` (Xen 4.20): the table the toolstack leaves for
//! hvmloader.

xen_abi! {
    header "hvm/hvm_info_table.h";
    structs {
        /// `struct hvm_info_table`, at `HVM_INFO_PADDR` for hvmloader.
        "struct hvm_info_table" size 48 align 4;
        pub struct HvmInfoTable {
            /// "HVM INFO".
            0 signature: [u8; 8],
            /// Bytes of the table.
            8 length: u32,
            /// Sum of all bytes is zero.
            12 checksum: u8,
            /// Whether the APIC is enabled.
            13 apic_mode: u8,
            /// Padding.
            14 _gap0: [u8; 2],
            /// vCPUs.
            16 nr_vcpus: u32,
            /// End of RAM below 4 GiB (pages).
            20 low_mem_pgend: u32,
            /// Start of reserved memory (pages).
            24 reserved_mem_pgstart: u32,
            /// End of RAM above 4 GiB (pages).
            28 high_mem_pgend: u32,
            /// Bitmap of online vCPUs.
            32 vcpu_online: [u8; 16],
        }
    }
    consts {
        /// Frame of the table.
        pub const HVM_INFO_PFN: u32 = 0x9f;
        /// Offset in that frame.
        pub const HVM_INFO_OFFSET: u32 = 0x800;
        /// Its physical address.
        pub const HVM_INFO_PADDR: u32 = 0x9f800;
        /// Most HVM vCPUs.
        pub const HVM_MAX_VCPUS: u32 = 0x80;
    }
}
