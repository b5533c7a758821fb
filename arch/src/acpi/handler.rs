//! How the ACPI reader reaches physical memory.
//!
//! The `acpi` crate's own `Handler::map_physical_region` cannot fail and hands out references
//! into firmware memory, so a table whose length runs past mapped memory would be read anyway.
//! Ferrite instead copies every structure it reads through [`PhysMem`], which can refuse a range,
//! and parses the copy (the same copy-then-validate rule as `guest_mem`). On the hypervisor,
//! physical memory is identity-mapped (Xen's `xen/arch/x86/acpi/lib.c` maps ACPI tables the same
//! way, through the direct map), so [`IdentityHandler`] is all the kernel needs; host tests and
//! fuzzing use [`FakeMemory`].

use alloc::vec::Vec;
use core::fmt;

/// A physical range the accessor cannot read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemError {
    /// First byte of the refused range.
    pub paddr: u64,
    /// Length of the refused range.
    pub len: usize,
}

impl fmt::Display for MemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "physical range {:#x}+{:#x} is not mapped",
            self.paddr, self.len
        )
    }
}

/// Read access to physical memory: copy `buf.len()` bytes starting at `paddr` into `buf`, or
/// refuse the whole range.
///
/// Any `Fn(u64, &mut [u8]) -> Result<(), MemError>` closure is a `PhysMem`, so a caller with its
/// own accessor (for example boot code before the direct map exists) needs no new type.
pub trait PhysMem {
    /// Copies the bytes at `paddr..paddr + buf.len()` into `buf`.
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), MemError>;
}

impl<F: Fn(u64, &mut [u8]) -> Result<(), MemError>> PhysMem for F {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), MemError> {
        self(paddr, buf)
    }
}

/// Physical memory seen through an identity map: physical address `p` is virtual address `p`.
///
/// # Invariants
/// Every byte in `start..end` is mapped at the same virtual address and readable, for as long
/// as the handler exists, and `start > 0` (a null pointer is never dereferenced).
#[derive(Clone, Copy, Debug)]
pub struct IdentityHandler {
    start: u64,
    end: u64,
}

impl IdentityHandler {
    /// A handler that reads physical addresses below `limit` through the identity map (address 0
    /// excepted). This is what the hypervisor uses once its direct map covers `0..limit`.
    ///
    /// # Safety
    /// Every physical byte in `1..limit` must be mapped at the identical virtual address and be
    /// readable without side effects (RAM, ROM or firmware-reserved memory, not MMIO) for the
    /// lifetime of the handler and its copies.
    pub const unsafe fn new(limit: u64) -> Self {
        // INVARIANT: the caller guarantees `1..limit`; `start` is 1.
        Self {
            start: 1,
            end: limit,
        }
    }

    /// A handler restricted to the window `start..end` (for example one firmware region).
    ///
    /// # Safety
    /// Every byte in `start..end` must be mapped at the identical virtual address and be readable
    /// without side effects for the lifetime of the handler and its copies.
    pub const unsafe fn with_window(start: u64, end: u64) -> Self {
        // INVARIANT: the caller guarantees `start..end`; a zero start is raised to 1.
        Self {
            start: if start == 0 { 1 } else { start },
            end,
        }
    }
}

impl PhysMem for IdentityHandler {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), MemError> {
        let refuse = MemError {
            paddr,
            len: buf.len(),
        };
        let end = u64::try_from(buf.len())
            .ok()
            .and_then(|len| paddr.checked_add(len))
            .ok_or(refuse)?;
        if paddr < self.start || end > self.end {
            return Err(refuse);
        }
        let addr = usize::try_from(paddr).map_err(|_| refuse)?;
        // SAFETY: by the type invariant, `paddr..end` lies within `start..end` with `start > 0`,
        // which is identity-mapped and readable, so `addr` is a valid, non-null pointer to
        // `buf.len()` readable bytes. `buf` is a distinct Rust allocation, so the two do not
        // overlap, and `u8` has no alignment or validity requirements.
        unsafe {
            core::ptr::copy_nonoverlapping(addr as *const u8, buf.as_mut_ptr(), buf.len());
        }
        Ok(())
    }
}

/// Fake physical memory for tests and fuzzing: a byte buffer that holds the physical range
/// `base..base + bytes.len()`. Reads outside it are refused.
#[derive(Clone, Debug, Default)]
pub struct FakeMemory {
    base: u64,
    bytes: Vec<u8>,
}

impl FakeMemory {
    /// `size` zeroed bytes at physical address `base`.
    pub fn new(base: u64, size: usize) -> Self {
        Self {
            base,
            bytes: alloc::vec![0; size],
        }
    }

    /// Wraps existing bytes as the physical range starting at `base`.
    pub fn from_bytes(base: u64, bytes: Vec<u8>) -> Self {
        Self { base, bytes }
    }

    /// The first physical address held.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// The held bytes, for tests that corrupt memory after building it.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.bytes
    }

    /// Copies `data` to physical address `paddr`; returns an error if it does not fit.
    pub fn write(&mut self, paddr: u64, data: &[u8]) -> Result<(), MemError> {
        let range = self.range(paddr, data.len())?;
        let dst = self.bytes.get_mut(range).ok_or(MemError {
            paddr,
            len: data.len(),
        })?;
        dst.copy_from_slice(data);
        Ok(())
    }

    fn range(&self, paddr: u64, len: usize) -> Result<core::ops::Range<usize>, MemError> {
        let refuse = MemError { paddr, len };
        let start = paddr
            .checked_sub(self.base)
            .and_then(|off| usize::try_from(off).ok())
            .ok_or(refuse)?;
        let end = start.checked_add(len).ok_or(refuse)?;
        if end > self.bytes.len() {
            return Err(refuse);
        }
        Ok(start..end)
    }
}

impl PhysMem for FakeMemory {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), MemError> {
        let range = self.range(paddr, buf.len())?;
        let src = self.bytes.get(range).ok_or(MemError {
            paddr,
            len: buf.len(),
        })?;
        buf.copy_from_slice(src);
        Ok(())
    }
}
