//! Boot-information readers shared by every entry path (multiboot1, multiboot2, PVH, EFI, FDT).
//!
//! Each reader fills one [`info::BootInfo`] from a physical address, reading memory only through
//! [`phys::PhysRead`]. Pure logic, tested on the host; nothing here allocates (it runs before any
//! heap exists) and nothing panics on what a loader passes.
#![forbid(unsafe_code)]

pub mod fdt;
pub mod header;
pub mod info;
pub mod multiboot1;
pub mod multiboot2;
pub mod phys;
pub mod pvh;

#[cfg(test)]
mod testmem;
