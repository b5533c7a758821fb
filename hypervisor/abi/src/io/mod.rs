//! `xen/include/public/io/`: the split-driver protocols shared between domains.

pub mod blkif;
pub mod console;
pub mod netif;
pub mod ring;
pub mod shared_page;
pub mod xenbus;
pub mod xenstore;
pub mod xs_wire;
