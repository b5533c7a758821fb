//! x86-specific public headers: `arch-x86/xen.h` with `arch-x86/xen-x86_64.h`, and
//! `arch-x86/cpuid.h`. Compiled on every target (the layouts are plain data); the layout table
//! lists them for x86_64 only.

pub mod cpuid;
pub mod xen;
