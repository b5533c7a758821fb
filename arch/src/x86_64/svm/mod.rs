//! AMD SVM: one vCPU's VMCB, the run primitive, and exit decoding (AMD APM vol. 2 ch. 15).
//!
//! The VMCB layout (`vmcb.rs`), exit decoding (`exit.rs`) and NMI blocking (`nmi.rs`) are
//! pure and host-tested; the
//! rest executes SVM instructions and is bare-metal only. Enabling SVM checks CPUID first:
//! EFER.SVME is never set on a CPU without SVM.

pub mod exit;
pub mod iopm;
pub mod msrpm;
pub mod nmi;
pub mod vmcb;

#[cfg(target_os = "none")]
mod hw;
#[cfg(target_os = "none")]
pub use hw::*;
