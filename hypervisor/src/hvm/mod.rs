//! HVM-container domains on x86 (PVH today): guest memory, the domain as the run loop sees
//! it, and the vCPU run loop on SVM (Xen's `xen/arch/x86/hvm/`).
//!
//! The policy state (vCPU states, timers, parameters) lives in [`crate::domain`] and is
//! host-tested; this module joins it to the hardware: nested page tables, VMCBs, host
//! timers and interrupt injection.

pub mod build;
mod context;
mod ctx;
mod guest_areas;
mod irq;
pub mod memory;
mod mmio;
mod pcpu;
pub mod run;

pub use build::{BuildError, Dom0Spec, build};
pub use pcpu::{join, start};
pub use run::End;
