//! The x86_64 entry: loader headers, the 32-bit path into long mode, and the first Rust code.
//!
//! Protocols: multiboot1 (`docs` of the Multiboot 0.6.96 spec), multiboot2 (Multiboot2 1.0 spec)
//! and Xen's PVH direct boot (`docs/misc/pvh.pandoc`, `XEN_ELFNOTE_PHYS32_ENTRY`).

pub mod mem;

core::arch::global_asm!(include_str!("entry.S"), options(att_syntax));

/// The value in `eax` at entry, naming the loader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryProtocol {
    Multiboot1,
    Multiboot2,
    Pvh,
    Unknown(u32),
}

impl EntryProtocol {
    /// Decodes the entry `eax` value (PVH's is set by our own `pvh_start` stub).
    pub fn from_magic(magic: u32) -> EntryProtocol {
        match magic {
            0x2bad_b002 => EntryProtocol::Multiboot1,
            0x36d7_6289 => EntryProtocol::Multiboot2,
            0x336e_c578 => EntryProtocol::Pvh,
            other => EntryProtocol::Unknown(other),
        }
    }
}

/// Linker-script symbols bounding the image and its sections.
pub mod layout {
    unsafe extern "C" {
        static __image_start: u8;
        static __text_end: u8;
        static __rodata_start: u8;
        static __rodata_end: u8;
        static __data_start: u8;
        static __image_end: u8;
        static boot_stack_bottom: u8;
        static boot_stack_top: u8;
    }

    macro_rules! sym_addr {
        ($name:ident, $sym:ident) => {
            /// The address of the linker symbol of the same name.
            pub fn $name() -> u64 {
                // Taking the address of an extern static is safe; it is never read through.
                core::ptr::addr_of!($sym) as u64
            }
        };
    }
    sym_addr!(image_start, __image_start);
    sym_addr!(text_end, __text_end);
    sym_addr!(rodata_start, __rodata_start);
    sym_addr!(rodata_end, __rodata_end);
    sym_addr!(data_start, __data_start);
    sym_addr!(image_end, __image_end);
    sym_addr!(boot_stack_bottom_addr, boot_stack_bottom);
    sym_addr!(boot_stack_top_addr, boot_stack_top);
}
