//! Bringing Ferrite up (Xen's `__start_xen` in `xen/arch/*/setup.c`): boot information,
//! command line, console, memory, interrupts, CPUs, then dom0.
//!
//! The order is policy and lives here; each step is a mechanism in `arch`.

#[cfg(all(target_arch = "x86_64", target_os = "none"))]
pub mod x86_64;

#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub mod aarch64;
#[cfg(target_os = "none")]
pub mod common;

pub mod diag;
pub mod efi;
pub mod options;
#[cfg(target_os = "none")]
pub mod panic;
pub mod serial;
#[cfg(target_os = "none")]
pub mod shutdown;
