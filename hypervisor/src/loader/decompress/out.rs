//! The decoders' output: a `Vec<u8>` that is also the LZ77 history (a single-call decoder needs
//! no separate window), capped so that a bomb stops with an error.

use alloc::vec::Vec;

use super::Error;

/// Output with a size cap.
///
/// # Invariants
/// `buf.len() <= cap`.
pub struct Out<'a> {
    buf: &'a mut Vec<u8>,
    cap: usize,
}

impl<'a> Out<'a> {
    pub fn new(buf: &'a mut Vec<u8>, cap: usize) -> Out<'a> {
        let cap = cap.max(buf.len());
        Out { buf, cap }
    }

    #[inline(always)]
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn bytes(&self) -> &[u8] {
        self.buf
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        self.buf
    }

    /// Makes room for `n` more bytes, or says why there is none.
    #[inline(always)]
    pub fn reserve(&mut self, n: usize) -> Result<(), Error> {
        let want = self.buf.len().checked_add(n);
        if want.is_none_or(|w| w > self.cap) {
            return Err(Error::TooLarge { cap: self.cap });
        }
        if self.buf.capacity() - self.buf.len() >= n {
            return Ok(());
        }
        // Grow by doubling, but never past the cap.
        let target = self
            .buf
            .capacity()
            .saturating_mul(2)
            .clamp(want.unwrap_or(self.cap), self.cap);
        self.buf
            .try_reserve_exact(target - self.buf.len())
            .map_err(|_| Error::NoMemory(target))
    }

    /// Appends one byte.
    #[inline(always)]
    pub fn push(&mut self, b: u8) -> Result<(), Error> {
        self.reserve(1)?;
        self.buf.push(b);
        Ok(())
    }

    /// Appends a slice.
    pub fn extend(&mut self, s: &[u8]) -> Result<(), Error> {
        self.reserve(s.len())?;
        self.buf.extend_from_slice(s);
        Ok(())
    }

    /// The byte `dist` bytes before the end (`dist = 1` is the last), if it is at or after
    /// `floor` (the history starts there).
    #[inline(always)]
    pub fn back(&self, dist: usize, floor: usize) -> Option<u8> {
        let at = self.buf.len().checked_sub(dist)?;
        if at < floor {
            return None;
        }
        self.buf.get(at).copied()
    }

    /// Appends `len` bytes copied from `dist` bytes back (an LZ77 match, which may overlap its
    /// own output), refusing a distance that reaches before `floor`.
    pub fn copy_match(&mut self, dist: usize, len: usize, floor: usize) -> Result<(), Error> {
        let start = match self.buf.len().checked_sub(dist) {
            Some(s) if dist > 0 && s >= floor => s,
            _ => {
                return Err(Error::Corrupt(
                    "match distance before the start of the data",
                ));
            }
        };
        self.reserve(len)?;
        if len <= 16 {
            // Short matches (most of them): a call to memmove costs more than the bytes.
            for i in start..start + len {
                let b = self.buf.get(i).copied().unwrap_or(0);
                self.buf.push(b);
            }
        } else if dist >= len {
            self.buf.extend_from_within(start..start + len);
        } else {
            // Overlapping: the match repeats the last `dist` bytes; each copy can take all
            // that is already there, so the steps double.
            let mut done = 0;
            while done < len {
                let n = (self.buf.len() - start - done).min(len - done);
                self.buf.extend_from_within(start + done..start + done + n);
                done += n;
            }
        }
        Ok(())
    }
}
