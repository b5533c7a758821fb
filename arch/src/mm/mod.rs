//! Physical memory: the merged memory map and the frame allocator.
//!
//! Pure logic, tested on the host; nothing here allocates (it runs before any heap exists).
#![forbid(unsafe_code)]

pub mod extent;
pub mod frame;
pub mod memmap;
pub mod table;
