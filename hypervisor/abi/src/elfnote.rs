//! `xen/include/public/elfnote.h` (Xen 4.20): the `XEN_ELFNOTE_*` note types found in notes named
//! "Xen" in a guest kernel's `PT_NOTE` segments or `SHT_NOTE` sections. The decoder is in
//! [`crate::elfnote_decode`].

xen_abi! {
    header "elfnote.h";
    enums {
        /// A Xen ELF note type (`XEN_ELFNOTE_*`).
        pub enum XenElfnote: u32 {
            /// Padding; ignored.
            Info = XEN_ELFNOTE_INFO = 0,
            /// PV entry point (virtual address).
            Entry = XEN_ELFNOTE_ENTRY = 1,
            /// Where to put the hypercall page (virtual address).
            HypercallPage = XEN_ELFNOTE_HYPERCALL_PAGE = 2,
            /// Virtual base of the image.
            VirtBase = XEN_ELFNOTE_VIRT_BASE = 3,
            /// Virtual-to-physical offset.
            PaddrOffset = XEN_ELFNOTE_PADDR_OFFSET = 4,
            /// Xen version the kernel expects (string).
            XenVersion = XEN_ELFNOTE_XEN_VERSION = 5,
            /// Guest OS name (string).
            GuestOs = XEN_ELFNOTE_GUEST_OS = 6,
            /// Guest OS version (string).
            GuestVersion = XEN_ELFNOTE_GUEST_VERSION = 7,
            /// Loader name, e.g. "generic" (string).
            Loader = XEN_ELFNOTE_LOADER = 8,
            /// PAE mode: "yes", "no", "bimodal" (string).
            PaeMode = XEN_ELFNOTE_PAE_MODE = 9,
            /// Required/optional features, '|' separated (string).
            Features = XEN_ELFNOTE_FEATURES = 10,
            /// Load the symbol table (string "yes").
            BsdSymtab = XEN_ELFNOTE_BSD_SYMTAB = 11,
            /// Lowest hypervisor virtual address the guest allows.
            HvStartLow = XEN_ELFNOTE_HV_START_LOW = 12,
            /// Mask and value for valid L1 entries.
            L1MfnValid = XEN_ELFNOTE_L1_MFN_VALID = 13,
            /// Suspend can be cancelled.
            SuspendCancel = XEN_ELFNOTE_SUSPEND_CANCEL = 14,
            /// Virtual address of the initial P2M.
            InitP2m = XEN_ELFNOTE_INIT_P2M = 15,
            /// Modules start at a PFN.
            ModStartPfn = XEN_ELFNOTE_MOD_START_PFN = 16,
            /// Supported features bitmap (32-bit words).
            SupportedFeatures = XEN_ELFNOTE_SUPPORTED_FEATURES = 17,
            /// PVH 32-bit entry point (physical address).
            Phys32Entry = XEN_ELFNOTE_PHYS32_ENTRY = 18,
            /// PVH relocation: alignment, minimum and maximum addresses.
            Phys32Reloc = XEN_ELFNOTE_PHYS32_RELOC = 19 => since "4.19",
            /// Crash info (core files).
            CrashInfo = XEN_ELFNOTE_CRASH_INFO = 0x100_0001,
            /// Crash registers (core files).
            CrashRegs = XEN_ELFNOTE_CRASH_REGS = 0x100_0002,
            /// Dump-core: no note.
            DumpcoreNone = XEN_ELFNOTE_DUMPCORE_NONE = 0x200_0000,
            /// Dump-core: header.
            DumpcoreHeader = XEN_ELFNOTE_DUMPCORE_HEADER = 0x200_0001,
            /// Dump-core: Xen version.
            DumpcoreXenVersion = XEN_ELFNOTE_DUMPCORE_XEN_VERSION = 0x200_0002,
            /// Dump-core: format version.
            DumpcoreFormatVersion = XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION = 0x200_0003,
        }
    }
    consts {
        /// The highest guest-image note type (4.17: `PHYS32_ENTRY`; 4.19: `PHYS32_RELOC`).
        pub const XEN_ELFNOTE_MAX: u32 = 19 => since "4.19";
    }
}
