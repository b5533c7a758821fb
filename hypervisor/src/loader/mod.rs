//! Building a domain's initial memory image: the kernel (ELF, or a bzImage or compressed ELF
//! unwrapped to one), the PVH start info.

pub mod acpi_dom0;
pub mod bzimage;
pub mod decompress;
pub mod elf;
pub mod pvh;
