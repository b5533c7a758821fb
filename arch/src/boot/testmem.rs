//! Test helpers: a sparse fake physical memory and a diagnostic collector.

use super::phys::{BootError, PhysRead};
use std::vec::Vec;

/// Physical memory made of separate byte blocks; everything else is unreadable.
#[derive(Default)]
pub struct FakeMem {
    blocks: Vec<(u64, Vec<u8>)>,
}

impl FakeMem {
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps `bytes` at `base` (blocks must not overlap).
    pub fn put(&mut self, base: u64, bytes: &[u8]) -> &mut Self {
        self.blocks.push((base, bytes.to_vec()));
        self
    }

    /// Maps a NUL-terminated copy of `s` at `base`.
    pub fn put_str(&mut self, base: u64, s: &str) -> &mut Self {
        let mut bytes = s.as_bytes().to_vec();
        bytes.push(0);
        self.put(base, &bytes)
    }

    /// The bytes at `[paddr, paddr + len)` (panics if unmapped: test-only).
    pub fn bytes(&self, paddr: u64, len: u64) -> Vec<u8> {
        let mut buf = std::vec![0; len as usize];
        self.read(paddr, &mut buf).unwrap();
        buf
    }
}

impl PhysRead for FakeMem {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), BootError> {
        let err = BootError::Unreadable {
            paddr,
            len: buf.len() as u64,
        };
        for (base, bytes) in &self.blocks {
            let Some(off) = paddr.checked_sub(*base) else {
                continue;
            };
            let Ok(off) = usize::try_from(off) else {
                continue;
            };
            if let Some(src) = off
                .checked_add(buf.len())
                .and_then(|end| bytes.get(off..end))
            {
                buf.copy_from_slice(src);
                return Ok(());
            }
        }
        Err(err)
    }
}

/// Little-endian byte builder.
#[derive(Default, Clone)]
pub struct Bytes(pub Vec<u8>);

impl Bytes {
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.0.push(v);
        self
    }
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn raw(&mut self, v: &[u8]) -> &mut Self {
        self.0.extend_from_slice(v);
        self
    }
    pub fn pad_to(&mut self, align: usize) -> &mut Self {
        while !self.0.len().is_multiple_of(align) {
            self.0.push(0);
        }
        self
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
}
