//! Building a domain's initial memory image: the kernel (ELF), the PVH start info.

pub mod elf;
pub mod pvh;
