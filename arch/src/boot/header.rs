//! Constants for the headers the Ferrite image itself carries so that loaders can start it:
//! the Multiboot 1 header (Multiboot Specification 0.6.96, section 3.1), the Multiboot2 header
//! (Multiboot2 Specification 2.0, section 3.1) and the PVH ELF note (see [`super::pvh`]). Xen's
//! own are in `xen/arch/x86/boot/head.S`.

/// Multiboot 1 header magic.
pub const MB1_HEADER_MAGIC: u32 = 0x1BAD_B002;
/// Multiboot 1 header flag: align modules on 4 KiB boundaries.
pub const MB1_PAGE_ALIGN: u32 = 1 << 0;
/// Multiboot 1 header flag: pass memory information (`mem_*`, `mmap_*`).
pub const MB1_MEMORY_INFO: u32 = 1 << 1;
/// Multiboot 1 header flag: pass video mode information.
pub const MB1_VIDEO_MODE: u32 = 1 << 2;
/// Multiboot 1 header flag: the address fields of the header are valid (a.out kludge).
pub const MB1_AOUT_KLUDGE: u32 = 1 << 16;

/// The Multiboot 1 header checksum: magic + flags + checksum wraps to zero.
pub const fn mb1_checksum(flags: u32) -> u32 {
    0u32.wrapping_sub(MB1_HEADER_MAGIC.wrapping_add(flags))
}

/// Multiboot2 header magic.
pub const MB2_HEADER_MAGIC: u32 = 0xE852_50D6;
/// Multiboot2 header architecture: 32-bit protected-mode i386.
pub const MB2_ARCH_I386: u32 = 0;
/// Multiboot2 header architecture: 32-bit MIPS.
pub const MB2_ARCH_MIPS32: u32 = 4;
/// Multiboot2 header tag flag: the loader may ignore the tag.
pub const MB2_TAG_OPTIONAL: u16 = 1;

/// The Multiboot2 header checksum: magic + architecture + header_length + checksum wraps to
/// zero.
pub const fn mb2_checksum(arch: u32, header_length: u32) -> u32 {
    0u32.wrapping_sub(
        MB2_HEADER_MAGIC
            .wrapping_add(arch)
            .wrapping_add(header_length),
    )
}

/// Multiboot2 header tag types.
pub mod mb2_tag {
    /// End of the header tags.
    pub const END: u16 = 0;
    /// Information request (list of boot-information tag types wanted).
    pub const INFORMATION_REQUEST: u16 = 1;
    /// Load addresses (a.out kludge).
    pub const ADDRESS: u16 = 2;
    /// 32-bit entry address.
    pub const ENTRY_ADDRESS: u16 = 3;
    /// Console flags.
    pub const CONSOLE_FLAGS: u16 = 4;
    /// Preferred framebuffer mode.
    pub const FRAMEBUFFER: u16 = 5;
    /// Align modules on page boundaries.
    pub const MODULE_ALIGN: u16 = 6;
    /// Keep EFI boot services running.
    pub const EFI_BS: u16 = 7;
    /// EFI i386 entry address.
    pub const ENTRY_ADDRESS_EFI32: u16 = 8;
    /// EFI amd64 entry address.
    pub const ENTRY_ADDRESS_EFI64: u16 = 9;
    /// The image is relocatable.
    pub const RELOCATABLE: u16 = 10;
}

/// Relocatable header tag preference: no preference.
pub const MB2_RELOC_PREFERENCE_NONE: u32 = 0;
/// Relocatable header tag preference: load as low as possible.
pub const MB2_RELOC_PREFERENCE_LOW: u32 = 1;
/// Relocatable header tag preference: load as high as possible.
pub const MB2_RELOC_PREFERENCE_HIGH: u32 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_wrap_to_zero() {
        let flags = MB1_PAGE_ALIGN | MB1_MEMORY_INFO;
        assert_eq!(
            MB1_HEADER_MAGIC
                .wrapping_add(flags)
                .wrapping_add(mb1_checksum(flags)),
            0
        );
        let sum = MB2_HEADER_MAGIC
            .wrapping_add(MB2_ARCH_I386)
            .wrapping_add(24);
        assert_eq!(sum.wrapping_add(mb2_checksum(MB2_ARCH_I386, 24)), 0);
    }
}
