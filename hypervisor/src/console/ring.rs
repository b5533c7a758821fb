//! The console ring (Xen's `conring`, `xen/drivers/char/console.c`): the last bytes written
//! to the console, kept for `xl dmesg` (sysctl readconsole) and debug keys.
//!
//! It starts in a fixed buffer inside the console (the heap does not exist yet) and moves to a
//! heap buffer of `conring_size` once it does.

use alloc::vec::Vec;

/// Bytes in the boot-time ring.
pub const BOOT_RING_SIZE: usize = 16 * 1024;

pub struct Ring {
    boot: [u8; BOOT_RING_SIZE],
    heap: Option<Vec<u8>>,
    /// Bytes ever written; the ring holds the last `capacity()` of them.
    written: u64,
}

impl Ring {
    pub const fn new() -> Ring {
        Ring {
            boot: [0; BOOT_RING_SIZE],
            heap: None,
            written: 0,
        }
    }

    fn buf(&self) -> &[u8] {
        self.heap.as_deref().unwrap_or(&self.boot)
    }

    pub fn capacity(&self) -> usize {
        self.buf().len()
    }

    /// Bytes ever written.
    pub fn written(&self) -> u64 {
        self.written
    }

    pub fn write(&mut self, bytes: &[u8]) {
        let buf: &mut [u8] = match &mut self.heap {
            Some(v) => v,
            None => &mut self.boot,
        };
        let cap = buf.len();
        if cap == 0 {
            return;
        }
        // Only the tail can survive a write longer than the ring.
        let skip = bytes.len().saturating_sub(cap);
        let mut pos = (self.written % cap as u64) as usize;
        pos = (pos + skip) % cap;
        for &b in &bytes[skip..] {
            if let Some(slot) = buf.get_mut(pos) {
                *slot = b;
            }
            pos = (pos + 1) % cap;
        }
        self.written += bytes.len() as u64;
    }

    /// Copies the ring's contents, oldest first, into `out`, starting `from` bytes after the
    /// oldest byte held. Returns how many bytes were copied.
    pub fn read(&self, from: usize, out: &mut [u8]) -> usize {
        let buf = self.buf();
        let cap = buf.len() as u64;
        let held = self.written.min(cap);
        let start = self.written - held;
        let mut n = 0;
        let mut idx = start + from as u64;
        while idx < self.written && n < out.len() {
            if let (Some(o), Some(b)) = (out.get_mut(n), buf.get((idx % cap) as usize)) {
                *o = *b;
            }
            n += 1;
            idx += 1;
        }
        n
    }

    /// Moves the ring to a heap buffer of `size` bytes (Xen rounds `conring_size` to a power of
    /// two; so do we), keeping what it holds.
    pub fn grow(&mut self, size: usize) {
        let size = size.next_power_of_two();
        if size <= self.capacity() {
            return;
        }
        let mut v = Vec::new();
        if v.try_reserve_exact(size).is_err() {
            return;
        }
        v.resize(size, 0);
        // Each byte keeps its absolute index, so readers' cursors stay valid.
        let old = self.buf();
        let old_cap = old.len() as u64;
        let start = self.written - self.written.min(old_cap);
        for idx in start..self.written {
            if let (Some(d), Some(s)) = (
                v.get_mut((idx % size as u64) as usize),
                old.get((idx % old_cap) as usize),
            ) {
                *d = *s;
            }
        }
        self.heap = Some(v);
    }
}

impl Default for Ring {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(r: &Ring) -> Vec<u8> {
        let mut out = vec![0; r.capacity()];
        let n = r.read(0, &mut out);
        out.truncate(n);
        out
    }

    #[test]
    fn keeps_the_tail() {
        let mut r = Box::new(Ring::new());
        r.write(b"hello ");
        r.write(b"world");
        assert_eq!(contents(&r), b"hello world");
        let big: Vec<u8> = (0..BOOT_RING_SIZE * 2 + 7)
            .map(|i| (i % 251) as u8)
            .collect();
        r.write(&big);
        assert_eq!(contents(&r), &big[big.len() - BOOT_RING_SIZE..]);
        r.write(b"xyz");
        let c = contents(&r);
        assert_eq!(&c[c.len() - 3..], b"xyz");
        assert_eq!(c.len(), BOOT_RING_SIZE);
    }

    #[test]
    fn grows_keeping_contents() {
        let mut r = Box::new(Ring::new());
        r.write(b"boot messages");
        r.grow(100_000);
        assert_eq!(r.capacity(), 131_072);
        assert_eq!(contents(&r), b"boot messages");
        r.write(b"!");
        assert_eq!(contents(&r), b"boot messages!");
        r.grow(10);
        assert_eq!(r.capacity(), 131_072);
    }
}
