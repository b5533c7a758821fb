//! `struct xenctl_bitmap` to and from a [`CpuMask`], with Xen's length rules
//! (`xen/common/bitmap.c`: `xenctl_bitmap_to_bitmap`, `bitmap_to_xenctl_bitmap`).
//!
//! The guest states a length in bits (`nr_bits`); Xen's own maps are `nr_cpu_ids` bits long.
//! Reading copies the shorter of the two (rounded up to bytes) and ignores bits past the guest's
//! `nr_bits` and past the last pCPU. Writing copies the shorter of the two and then zeroes the
//! rest of the guest's buffer, with the bits past the last pCPU cleared.

use alloc::vec::Vec;

use crate::affinity::CpuMask;
use crate::core::Cpu;

/// Bytes in a bitmap of `nr_bits` bits.
pub fn bytes_for(nr_bits: u32) -> usize {
    nr_bits.div_ceil(8) as usize
}

/// How many bytes the caller copies in from a guest bitmap of `nr_bits` bits on a host with
/// `nr_cpus` pCPUs (fewer, or an empty slice, when the guest's copy fails: that is `EFAULT`).
pub fn input_len(nr_bits: u32, nr_cpus: u32) -> usize {
    bytes_for(nr_bits).min(bytes_for(nr_cpus))
}

/// Decodes the bytes the caller copied from a guest bitmap of `nr_bits` bits. Bytes beyond
/// [`input_len`] are ignored, so a longer slice is harmless.
pub fn cpumask_from_guest(bytes: &[u8], nr_bits: u32, nr_cpus: u32) -> CpuMask {
    let copy = input_len(nr_bits, nr_cpus);
    let guest_bytes = bytes_for(nr_bits);
    let mut mask = CpuMask::empty();
    for (i, &b) in bytes.iter().take(copy).enumerate() {
        let mut b = b;
        // The guest's last byte holds bits past `nr_bits`: they are not part of its map.
        if i + 1 == guest_bytes && !nr_bits.is_multiple_of(8) {
            b &= !(0xffu8 << (nr_bits % 8));
        }
        for bit in 0..8u32 {
            let cpu = i as Cpu * 8 + bit;
            if b & (1 << bit) != 0 && cpu < nr_cpus {
                mask.set(cpu);
            }
        }
    }
    mask
}

/// What the caller writes to a guest bitmap: `bytes` at its start, then `zero_fill` zero bytes
/// right after them (together exactly the guest's `nr_bits` rounded up to bytes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GuestBitmap {
    /// The map's first bytes.
    pub bytes: Vec<u8>,
    /// Zero bytes that follow them in the guest's buffer.
    pub zero_fill: usize,
}

/// Encodes `mask` (limited to the first `nr_cpus` pCPUs) for a guest bitmap of `nr_bits` bits.
/// A host without pCPUs writes nothing, as Xen does for a zero-length map.
pub fn cpumask_to_guest(mask: &CpuMask, nr_bits: u32, nr_cpus: u32) -> GuestBitmap {
    if nr_cpus == 0 {
        return GuestBitmap::default();
    }
    let guest_bytes = bytes_for(nr_bits);
    let copy = guest_bytes.min(bytes_for(nr_cpus));
    let mut bytes = alloc::vec![0u8; copy];
    // `test`, not `iter`: a mask of "all CPUs" stores no words.
    for cpu in (0..nr_cpus).filter(|c| mask.test(*c)) {
        if let Some(b) = bytes.get_mut((cpu / 8) as usize) {
            *b |= 1 << (cpu % 8);
        }
    }
    GuestBitmap {
        bytes,
        zero_fill: guest_bytes - copy,
    }
}
