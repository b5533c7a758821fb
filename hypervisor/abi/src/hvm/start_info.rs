//! `xen/include/public/arch-x86/hvm/start_info.h` (Xen 4.20): the PVH boot ABI. At the
//! `XEN_ELFNOTE_PHYS32_ENTRY` entry point `ebx` holds the address of an [`HvmStartInfo`].
//!
//! Version 0 is the first 40 bytes (through `rsdp_paddr`); version 1 adds the memory map.

xen_abi! {
    header "arch-x86/hvm/start_info.h";
    structs {
        /// `struct hvm_start_info`.
        "struct hvm_start_info" size 56 align 8;
        pub struct HvmStartInfo {
            /// `XEN_HVM_START_MAGIC_VALUE`.
            0 magic: u32,
            /// 0 or 1.
            4 version: u32,
            /// `SIF_*`.
            8 flags: u32,
            /// Number of modules.
            12 nr_modules: u32,
            /// Physical address of the `hvm_modlist_entry` array.
            16 modlist_paddr: u64,
            /// Physical address of the NUL-terminated command line.
            24 cmdline_paddr: u64,
            /// Physical address of the ACPI RSDP (0: search for it).
            32 rsdp_paddr: u64,
            /// Version 1: physical address of the `hvm_memmap_table_entry` array.
            40 memmap_paddr: u64,
            /// Version 1: number of memory-map entries.
            48 memmap_entries: u32,
            /// Must be zero.
            52 reserved: u32,
        }

        /// `struct hvm_modlist_entry`.
        "struct hvm_modlist_entry" size 32 align 8;
        pub struct HvmModlistEntry {
            /// Physical address of the module.
            0 paddr: u64,
            /// Its size.
            8 size: u64,
            /// Physical address of its command line.
            16 cmdline_paddr: u64,
            /// Must be zero.
            24 reserved: u64,
        }

        /// `struct hvm_memmap_table_entry`.
        "struct hvm_memmap_table_entry" size 24 align 8;
        pub struct HvmMemmapTableEntry {
            /// Base address.
            0 addr: u64,
            /// Length.
            8 size: u64,
            /// `XEN_HVM_MEMMAP_TYPE_*` (the E820 numbers).
            16 kind as "type": u32,
            /// Must be zero.
            20 reserved: u32,
        }
    }
    enums {
        /// A memory-map entry type (`XEN_HVM_MEMMAP_TYPE_*`).
        pub enum HvmMemmapType: u32 {
            /// Usable RAM.
            Ram = XEN_HVM_MEMMAP_TYPE_RAM = 1,
            /// Reserved.
            Reserved = XEN_HVM_MEMMAP_TYPE_RESERVED = 2,
            /// ACPI reclaimable.
            Acpi = XEN_HVM_MEMMAP_TYPE_ACPI = 3,
            /// ACPI NVS.
            Nvs = XEN_HVM_MEMMAP_TYPE_NVS = 4,
            /// Unusable.
            Unusable = XEN_HVM_MEMMAP_TYPE_UNUSABLE = 5,
            /// Disabled.
            Disabled = XEN_HVM_MEMMAP_TYPE_DISABLED = 6,
            /// Persistent memory.
            Pmem = XEN_HVM_MEMMAP_TYPE_PMEM = 7,
        }
    }
    consts {
        /// `hvm_start_info.magic` ("xEn3" with the top bit of 'E' cleared).
        pub const XEN_HVM_START_MAGIC_VALUE: u32 = 0x336e_c578;
    }
}
