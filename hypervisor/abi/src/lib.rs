//! Xen's public interface (`xen/include/public/`), mirrored as Rust types.
//!
//! Everything a guest can see of Ferrite goes through the layouts and numbers here. Each module
//! names the header it mirrors and the interface version. Structs are `#[repr(C)]` with zerocopy
//! derives, so they are copied from and to guest memory without `unsafe`; every size, alignment
//! and field offset is asserted at compile time and listed in [`layout`] for the host test that
//! checks them against Xen's C headers (`tests/c_layout.rs`). Closed sets of numbers are enums
//! with a fallible `TryFrom` the raw number; an unknown one is an [`Unknown`], never a panic.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

#[macro_use]
mod macros;

pub mod arch_arm;
pub mod arch_x86;
pub mod argo;
pub mod callback;
pub mod domctl;
pub mod elfnote;
pub mod elfnote_decode;
pub mod errno;
pub mod event_channel;
pub mod features;
pub mod grant_table;
pub mod guest_handle;
pub mod hvm;
pub mod hypfs;
pub mod io;
pub mod kexec;
pub mod kexec_v1;
pub mod layout;
pub mod memory;
pub mod nmi;
pub mod physdev;
pub mod platform;
pub mod raw;
pub mod sched;
pub mod sysctl;
pub mod vcpu;
pub mod version;
pub mod xen;
pub mod xsm;

pub use errno::{Errno, XenResult};
pub use guest_handle::GuestHandle;
pub use raw::Unknown;
