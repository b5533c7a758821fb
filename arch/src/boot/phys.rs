//! Reading boot structures out of physical memory, and the errors of every boot-info reader.
//!
//! The readers never touch memory themselves: they go through [`PhysRead`], which the kernel
//! implements over its early identity map and tests implement over a byte buffer
//! ([`SliceMem`]). Every read is bounds-checked by the implementation, so a loader pointer to
//! nowhere is an error value, not a fault. All multi-byte fields are little-endian, as on every
//! machine the boot protocols exist for (x86 multiboot/PVH; Arm FDT is big-endian and has its own
//! reader).

use core::fmt;

/// Copies physical memory into a buffer.
pub trait PhysRead {
    /// Fills `buf` with the bytes at `[paddr, paddr + buf.len())`, or fails without a partial
    /// guarantee when any of them is not readable.
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), BootError>;
}

/// Why a boot-info reader gave up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BootError {
    /// Physical memory `[paddr, paddr + len)` could not be read (or the range wraps around).
    Unreadable { paddr: u64, len: u64 },
    /// The structure does not start with the protocol's magic number.
    BadMagic { expected: u32, found: u32 },
    /// A structure version the reader does not know.
    UnsupportedVersion { what: &'static str, version: u32 },
    /// A structure is not aligned as its protocol requires.
    Misaligned { what: &'static str, paddr: u64 },
    /// A size field is impossible (too small, too large, or not a multiple it must be).
    BadSize { what: &'static str, size: u64 },
    /// A multiboot2 tag runs past `total_size`, or is shorter than its own header.
    BadTag { offset: u32, ty: u32, size: u32 },
}

impl fmt::Display for BootError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Unreadable { paddr, len } => {
                write!(
                    f,
                    "cannot read {len:#x} bytes of physical memory at {paddr:#x}"
                )
            }
            Self::BadMagic { expected, found } => {
                write!(f, "bad magic {found:#010x} (expected {expected:#010x})")
            }
            Self::UnsupportedVersion { what, version } => {
                write!(f, "unsupported {what} version {version}")
            }
            Self::Misaligned { what, paddr } => write!(f, "{what} at {paddr:#x} is misaligned"),
            Self::BadSize { what, size } => write!(f, "impossible {what} size {size:#x}"),
            Self::BadTag { offset, ty, size } => write!(
                f,
                "multiboot2 tag type {ty} at offset {offset:#x} has bad size {size:#x}"
            ),
        }
    }
}

/// Reads `N` bytes.
pub fn read_bytes<const N: usize>(mem: &dyn PhysRead, paddr: u64) -> Result<[u8; N], BootError> {
    let mut buf = [0u8; N];
    mem.read(paddr, &mut buf)?;
    Ok(buf)
}

/// Reads a little-endian `u8`.
pub fn read_u8(mem: &dyn PhysRead, paddr: u64) -> Result<u8, BootError> {
    read_bytes::<1>(mem, paddr).map(|[b]| b)
}

/// Reads a little-endian `u16`.
pub fn read_u16(mem: &dyn PhysRead, paddr: u64) -> Result<u16, BootError> {
    read_bytes(mem, paddr).map(u16::from_le_bytes)
}

/// Reads a little-endian `u32`.
pub fn read_u32(mem: &dyn PhysRead, paddr: u64) -> Result<u32, BootError> {
    read_bytes(mem, paddr).map(u32::from_le_bytes)
}

/// Reads a little-endian `u64`.
pub fn read_u64(mem: &dyn PhysRead, paddr: u64) -> Result<u64, BootError> {
    read_bytes(mem, paddr).map(u64::from_le_bytes)
}

/// `paddr + offset`, or an error naming the range when that wraps around.
pub fn offset(paddr: u64, offset: u64) -> Result<u64, BootError> {
    paddr
        .checked_add(offset)
        .ok_or(BootError::Unreadable { paddr, len: offset })
}

/// A NUL-terminated string's extent, as found by [`scan_c_string`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScannedStr {
    /// Bytes before the NUL (or before the bound).
    pub len: u64,
    /// Whether a NUL was found within the bound.
    pub terminated: bool,
}

/// Finds the NUL ending the string at `paddr`, looking at no more than `max` bytes. Bytes past
/// the NUL need not be readable.
pub fn scan_c_string(mem: &dyn PhysRead, paddr: u64, max: u64) -> Result<ScannedStr, BootError> {
    const CHUNK: u64 = 64;
    let mut done = 0;
    while done < max {
        let want = (max - done).min(CHUNK);
        let at = offset(paddr, done)?;
        let mut chunk = [0u8; CHUNK as usize];
        let buf = chunk.get_mut(..want as usize).unwrap_or(&mut []);
        if mem.read(at, buf).is_err() {
            // The string may end before the unreadable part: go byte by byte.
            for i in 0..want {
                if read_u8(mem, offset(at, i)?)? == 0 {
                    return Ok(ScannedStr {
                        len: done + i,
                        terminated: true,
                    });
                }
            }
            done += want;
            continue;
        }
        if let Some(i) = buf.iter().position(|&b| b == 0) {
            return Ok(ScannedStr {
                len: done + i as u64,
                terminated: true,
            });
        }
        done += want;
    }
    Ok(ScannedStr {
        len: max,
        terminated: false,
    })
}

/// Physical memory backed by a byte slice that starts at physical address `base`; for tests, fuzz
/// targets, and for reading a structure the kernel has already copied.
#[derive(Clone, Copy, Debug)]
pub struct SliceMem<'a> {
    /// Physical address of `bytes[0]`.
    pub base: u64,
    /// The memory.
    pub bytes: &'a [u8],
}

impl PhysRead for SliceMem<'_> {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), BootError> {
        let err = BootError::Unreadable {
            paddr,
            len: buf.len() as u64,
        };
        let start = paddr.checked_sub(self.base).ok_or(err)?;
        let start = usize::try_from(start).map_err(|_| err)?;
        let end = start.checked_add(buf.len()).ok_or(err)?;
        let src = self.bytes.get(start..end).ok_or(err)?;
        buf.copy_from_slice(src);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_mem_bounds() {
        let bytes = [1u8, 2, 3, 4, 0, 6];
        let mem = SliceMem {
            base: 0x1000,
            bytes: &bytes,
        };
        assert_eq!(read_u32(&mem, 0x1000), Ok(0x0403_0201));
        assert!(read_u32(&mem, 0x1003).is_err());
        assert!(read_u8(&mem, 0xfff).is_err());
        assert!(read_u64(&mem, u64::MAX - 3).is_err());
    }

    #[test]
    fn c_string_scan() {
        let bytes = [b'a', b'b', 0, b'c'];
        let mem = SliceMem {
            base: 0,
            bytes: &bytes,
        };
        assert_eq!(
            scan_c_string(&mem, 0, 100),
            Ok(ScannedStr {
                len: 2,
                terminated: true
            })
        );
        assert_eq!(
            scan_c_string(&mem, 0, 1),
            Ok(ScannedStr {
                len: 1,
                terminated: false
            })
        );
        assert!(scan_c_string(&mem, 3, 100).is_err());
        assert_eq!(
            scan_c_string(&mem, 3, 1),
            Ok(ScannedStr {
                len: 1,
                terminated: false
            })
        );
    }
}
