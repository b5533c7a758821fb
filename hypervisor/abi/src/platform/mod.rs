//! `xen/include/public/platform.h` (Xen 4.20, `XENPF_INTERFACE_VERSION` 0x03000001):
//! `HYPERVISOR_platform_op`. All layouts are the same on x86_64 and arm64 and are re-exported here.

pub mod consts;
pub mod cpu;
pub mod firmware;
pub mod op;
pub mod system;

pub use consts::*;
pub use cpu::*;
pub use firmware::*;
pub use op::*;
pub use system::*;

/// `xenpf_dom0_console_t` (4.18+): what `XENPF_get_dom0_console` fills in.
pub type XenpfDom0Console = crate::xen::Dom0VgaConsoleInfo;
