//! Building a domain's initial memory image: the kernel (ELF), the PVH start info.

pub mod acpi_dom0;
pub mod decompress;
pub mod elf;
pub mod pvh;
