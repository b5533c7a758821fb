//! Xen's command-line grammar (`docs/misc/xen-command-line.pandoc`).
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
