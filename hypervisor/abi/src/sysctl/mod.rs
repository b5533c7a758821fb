//! `xen/include/public/sysctl.h` (Xen 4.20, `XEN_SYSCTL_INTERFACE_VERSION` 0x15, as in 4.17): the
//! toolstack's `HYPERVISOR_sysctl`. The common layouts are re-exported here; the arch-only
//! structs live in [`x86`] and [`arm`].

pub mod arm;
pub mod consts;
pub mod info;
pub mod livepatch;
pub mod misc;
pub mod op;
pub mod pm;
pub mod sched;
pub mod x86;

pub use consts::*;
pub use info::*;
pub use livepatch::*;
pub use misc::*;
pub use op::*;
pub use pm::*;
pub use sched::*;
