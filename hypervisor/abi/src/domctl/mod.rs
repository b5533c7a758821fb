//! `xen/include/public/domctl.h` (Xen 4.20, `XEN_DOMCTL_INTERFACE_VERSION` 0x17; Xen 4.17 used
//! 0x15): the toolstack's `HYPERVISOR_domctl`. The common layouts are re-exported here; the
//! structs whose layout depends on the architecture live in [`x86`] and [`arm`].

pub mod arm;
pub mod consts;
pub mod device;
pub mod memory;
pub mod monitor;
pub mod op;
pub mod sched;
pub mod x86;

pub use consts::*;
pub use device::*;
pub use memory::*;
pub use monitor::*;
pub use op::*;
pub use sched::*;
