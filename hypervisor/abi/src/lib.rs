//! Xen's public interface (`xen/include/public/`), mirrored as Rust types.
//!
//! Everything a guest can see of Ferrite goes through the layouts and numbers here. Each module
//! names the header it mirrors and the interface version.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

pub mod errno;

pub use errno::Errno;
