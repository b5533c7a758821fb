//! Reads instruction bytes, enforcing the architectural 15-byte limit (AMD APM vol. 3 §1.1:
//! an instruction longer than 15 bytes raises #GP).

use super::insn::DecodeError;

/// The longest valid instruction.
pub(super) const MAX_LEN: usize = 15;

/// A read position in the fetched bytes.
pub(super) struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, pos: 0 }
    }

    /// Bytes consumed so far.
    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    /// Checks that `n` more bytes exist and keep the instruction within 15 bytes.
    pub(super) fn need(&self, n: usize) -> Result<(), DecodeError> {
        let end = self.pos.saturating_add(n);
        if end > MAX_LEN {
            return Err(DecodeError::TooLong);
        }
        if end > self.bytes.len() {
            // `end` is at most 15 here, so it fits in a u8.
            return Err(DecodeError::Truncated { needed: end as u8 });
        }
        Ok(())
    }

    /// The next byte, without consuming it.
    pub(super) fn peek(&self) -> Result<u8, DecodeError> {
        self.need(1)?;
        self.bytes
            .get(self.pos)
            .copied()
            .ok_or(DecodeError::Truncated { needed: 1 })
    }

    /// Consumes one byte.
    pub(super) fn u8(&mut self) -> Result<u8, DecodeError> {
        let b = self.peek()?;
        self.pos += 1;
        Ok(b)
    }

    /// Consumes `n` (at most 8) bytes as a little-endian unsigned value.
    pub(super) fn le(&mut self, n: usize) -> Result<u64, DecodeError> {
        self.need(n)?;
        let mut value = 0u64;
        for i in 0..n.min(8) {
            let b = self.bytes.get(self.pos + i).copied().unwrap_or(0);
            value |= u64::from(b) << (8 * i);
        }
        self.pos += n;
        Ok(value)
    }

    /// Consumes `n` (1, 2, 4 or 8) bytes as a sign-extended value.
    pub(super) fn signed(&mut self, n: usize) -> Result<i64, DecodeError> {
        let v = self.le(n)?;
        Ok(match n {
            1 => i64::from(v as u8 as i8),
            2 => i64::from(v as u16 as i16),
            4 => i64::from(v as u32 as i32),
            _ => v as i64,
        })
    }
}
