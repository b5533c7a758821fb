//! Memory that two parties (two domains, or Xen and a guest) access at once, without `unsafe`.
//!
//! [`RingMemory`] is what [`super::ring`] needs from a shared page: ordered loads and stores of
//! the ring indices (the `xen_rmb`/`xen_wmb`/`xen_mb` of `io/ring.h`) and plain byte copies of
//! entries. Ferrite's guest-memory layer implements it over a mapped guest frame; [`AtomicPage`]
//! implements it over host atomics for tests and for rings Ferrite itself owns.

use core::sync::atomic::{AtomicU32, Ordering, fence};

/// Access to a shared buffer. Offsets are byte offsets; implementations must not panic on an
/// out-of-range offset (reads yield zeros, writes are dropped) so that a bug can never become a
/// hypervisor crash.
pub trait RingMemory {
    /// Size of the buffer in bytes.
    fn size(&self) -> usize;
    /// Loads a 4-byte index with acquire ordering (the consumer's read barrier).
    fn load_index(&self, offset: usize) -> u32;
    /// Stores a 4-byte index with release ordering (the producer's write barrier).
    fn store_index(&self, offset: usize, value: u32);
    /// A full barrier between a store and a following load (`xen_mb`).
    fn full_fence(&self) {
        fence(Ordering::SeqCst);
    }
    /// Copies bytes out of the buffer.
    fn read_bytes(&self, offset: usize, out: &mut [u8]);
    /// Copies bytes into the buffer.
    fn write_bytes(&self, offset: usize, data: &[u8]);
}

impl<M: RingMemory + ?Sized> RingMemory for &M {
    fn size(&self) -> usize {
        (**self).size()
    }
    fn load_index(&self, offset: usize) -> u32 {
        (**self).load_index(offset)
    }
    fn store_index(&self, offset: usize, value: u32) {
        (**self).store_index(offset, value);
    }
    fn full_fence(&self) {
        (**self).full_fence();
    }
    fn read_bytes(&self, offset: usize, out: &mut [u8]) {
        (**self).read_bytes(offset, out);
    }
    fn write_bytes(&self, offset: usize, data: &[u8]) {
        (**self).write_bytes(offset, data);
    }
}

/// A page (or any multiple of 4 bytes) of atomics that several threads may share.
pub struct AtomicPage<const WORDS: usize = 1024> {
    words: [AtomicU32; WORDS],
}

impl<const WORDS: usize> Default for AtomicPage<WORDS> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const WORDS: usize> AtomicPage<WORDS> {
    /// A zeroed buffer.
    pub const fn new() -> Self {
        Self {
            words: [const { AtomicU32::new(0) }; WORDS],
        }
    }

    fn byte(&self, at: usize) -> u8 {
        let word = self
            .words
            .get(at / 4)
            .map_or(0, |w| w.load(Ordering::Relaxed));
        word.to_le_bytes().get(at % 4).copied().unwrap_or(0)
    }

    fn set_byte(&self, at: usize, value: u8) {
        if let Some(w) = self.words.get(at / 4) {
            let shift = (at % 4) * 8;
            // Only this byte's bits change, so concurrent writers of the word's other bytes
            // are not disturbed.
            w.fetch_and(!(0xff << shift), Ordering::Relaxed);
            w.fetch_or(u32::from(value) << shift, Ordering::Relaxed);
        }
    }
}

impl<const WORDS: usize> RingMemory for AtomicPage<WORDS> {
    fn size(&self) -> usize {
        WORDS * 4
    }

    fn load_index(&self, offset: usize) -> u32 {
        match self.words.get(offset / 4) {
            Some(w) if offset.is_multiple_of(4) => w.load(Ordering::Acquire),
            _ => 0,
        }
    }

    fn store_index(&self, offset: usize, value: u32) {
        if let Some(w) = self
            .words
            .get(offset / 4)
            .filter(|_| offset.is_multiple_of(4))
        {
            w.store(value, Ordering::Release);
        }
    }

    fn read_bytes(&self, offset: usize, out: &mut [u8]) {
        for (i, b) in out.iter_mut().enumerate() {
            *b = offset.checked_add(i).map_or(0, |at| self.byte(at));
        }
    }

    fn write_bytes(&self, offset: usize, data: &[u8]) {
        for (i, b) in data.iter().enumerate() {
            if let Some(at) = offset.checked_add(i) {
                self.set_byte(at, *b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_and_out_of_range_is_harmless() {
        let page = AtomicPage::<4>::new();
        page.write_bytes(3, &[1, 2, 3, 4, 5]);
        let mut out = [0u8; 6];
        page.read_bytes(2, &mut out);
        assert_eq!(out, [0, 1, 2, 3, 4, 5]);
        page.write_bytes(14, &[9, 9, 9, 9]);
        page.read_bytes(usize::MAX, &mut out);
        assert_eq!(out, [0; 6]);
        page.store_index(8, 0xdead_beef);
        assert_eq!(page.load_index(8), 0xdead_beef);
        assert_eq!(page.load_index(6), 0);
        assert_eq!(page.load_index(4096), 0);
    }
}
