//! Physical memory: the merged memory map and the frame allocator.
