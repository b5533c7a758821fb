//! The control interfaces of the scheduling subsystem, written against `ferrite-abi`'s structs:
//! `XEN_DOMCTL_scheduler_op`, `XEN_SYSCTL_scheduler_op`, `XEN_SYSCTL_cpupool_op` and
//! `XEN_DOMCTL_{set,get}vcpuaffinity` (`xen/include/public/domctl.h`, `sysctl.h`; Xen's handlers
//! are in `xen/common/sched/{core,cpupool,credit,credit2,rt,arinc653}.c` and `common/domctl.c`).
//!
//! # How the hypercall layer uses these
//! These functions never touch guest memory. The domctl/sysctl dispatcher copies the op struct
//! in, copies in whatever the op points to (a cpumap's bytes, the RTDS vCPU array, the ARINC653
//! schedule) as the helpers here say, calls the handler, and copies the results back: the op
//! struct itself (always, as Xen's `copyback`), the returned [`bitmap::GuestBitmap`]s, the vCPU
//! array or the ARINC653 schedule. Each handler returns Xen's errno for bad input; the privilege
//! check (XSM) and looking the domain up (`ESRCH`) stay with the caller. Each file's doc says
//! what to copy for its interface.

pub mod bitmap;
pub mod cpupool_op;
pub mod domctl_scheduler_op;
pub mod sysctl_scheduler_op;
pub mod vcpuaffinity;

#[cfg(test)]
mod tests;

pub use bitmap::GuestBitmap;
