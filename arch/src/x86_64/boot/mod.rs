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

/// Linker-script symbols bounding the image and its sections (shared names, see
/// [`crate::layout`]).
pub use crate::layout;
