//! Ferrite's policy layer: what runs, and what a guest may do.
//!
//! Principles, in the spirit of Hubris:
//! - Simple and clear algorithms over fast and clever ones; a clever design brings a benchmark.
//! - Guest and command-line input is untrusted: it gets an error value (a Xen errno or a
//!   warning), never a panic, and never reaches another domain's memory.
//! - `unsafe` lives in `arch`, `drivers` and a few audited modules here (guest memory, per-CPU
//!   data); everything else is host-tested safe code.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

#[cfg(target_arch = "x86_64")]
pub mod alu;
pub mod console;
pub mod cpuid;
pub mod dom0_mem;
pub mod domain;
pub mod event;
pub mod guest_mem;
#[cfg(all(target_arch = "x86_64", target_os = "none"))]
pub mod hvm;
pub mod hypercall;
pub mod loader;
pub mod sched_cfg;
pub mod setup;
pub mod test_hooks;
pub mod time;
