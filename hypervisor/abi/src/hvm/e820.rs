//! `xen/include/public/hvm/e820.h` (Xen 4.20): where hvmloader finds its E820 map and the
//! layout of the MMIO hole below 4 GiB. The E820 entry types are
//! [`super::start_info::HvmMemmapType`].

xen_abi! {
    header "hvm/e820.h";
    consts {
        /// Page holding hvmloader's E820 map.
        pub const HVM_E820_PAGE: u32 = 0x90000;
        /// Offset of the entry count.
        pub const HVM_E820_NR_OFFSET: u32 = 0x1e8;
        /// Offset of the entries.
        pub const HVM_E820_OFFSET: u32 = 0x2d0;
        /// End of RAM below 4 GiB.
        pub const HVM_BELOW_4G_RAM_END: u32 = 0xf0000000;
        /// Start of the MMIO hole.
        pub const HVM_BELOW_4G_MMIO_START: u32 = 0xf0000000;
        /// Length of the MMIO hole.
        pub const HVM_BELOW_4G_MMIO_LENGTH: u64 = 0x10000000;
    }
}
