//! Ferrite's mechanisms: what touches the machine.
//!
//! `arch` is to Ferrite what OSTD is to Asterinas: the one layer (with `drivers`) that holds
//! `unsafe`. Its common modules (`boot`, `mm`) are pure logic shared by every architecture and
//! tested on the host; the per-architecture trees (`x86_64`, `aarch64`) use the same module
//! names and are built only for the bare-metal targets. Policy (what to run, what a guest may do)
//! lives in the `ferrite` crate above; `arch` never calls up into it, except for the single
//! `ferrite_main` entry symbol that boot code jumps to.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

pub mod acpi;
pub mod boot;
pub mod heap;
#[cfg(target_os = "none")]
pub mod layout;
#[cfg(target_os = "none")]
pub mod memory;
pub mod mm;
pub mod percpu;
#[cfg(target_os = "none")]
pub mod stacks;
pub mod timer;
pub mod vcpu;

pub mod crash;

// The x86_64 tree builds on x86_64 hosts too: its pure parts (page-table builder, decoders)
// are host-tested; the parts that run privileged instructions are `target_os = "none"` only.
#[cfg(target_arch = "x86_64")]
pub mod x86_64;

// The aarch64 tree's pure parts (stage-1 table builder, ESR decoder) are host-tested too.
#[cfg(any(target_arch = "aarch64", test))]
pub mod aarch64;
