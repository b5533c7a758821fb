//! A dom0 kernel given as a Linux bzImage or as a compressed ELF, unwrapped to the ELF that
//! `elf::plan` reads, as Xen's `xen/arch/x86/bzimage.c` (`bzimage_parse`) does before its PVH
//! dom0 builder loads the kernel.
//!
//! A bzImage carries a real-mode setup header (Linux `Documentation/arch/x86/boot.rst`):
//! "HdrS" at 0x202, the protocol version at 0x206 (2.08 or later has the payload fields),
//! `setup_sects` at 0x1f1, and `payload_offset`/`payload_length` at 0x248/0x24c, relative to
//! the protected-mode code that starts after the setup sectors. The payload is the
//! compressed `vmlinux` ELF (or, with `CONFIG_KERNEL_UNCOMPRESSED`, the ELF itself). Like
//! Xen's `perform_gunzip` path, a bare compressed ELF is accepted too; anything else passes
//! through unchanged for the ELF loader to judge.

use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::fmt;

use super::decompress::{self, Format};

/// The largest kernel Ferrite decompresses: a decompression bomb stops here.
pub const MAX_KERNEL_BYTES: usize = 256 << 20;

const ELF_MAGIC: &[u8; 4] = b"\x7fELF";
const SETUP_SECTS: usize = 0x1f1;
const HEADER_MAGIC_AT: usize = 0x202;
const HEADER_MAGIC: &[u8; 4] = b"HdrS";
const VERSION: usize = 0x206;
const PAYLOAD_OFFSET: usize = 0x248;
const PAYLOAD_LENGTH: usize = 0x24c;
/// The first protocol version with `payload_offset` and `payload_length`.
const MIN_VERSION: u16 = 0x0208;

/// How the kernel was wrapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapping {
    /// Not wrapped (or not recognised): the bytes go to the ELF loader as they are.
    None,
    /// A bzImage whose payload is in `format` (None: an uncompressed ELF).
    BzImage { format: Option<Format> },
    /// A compressed file, as a whole.
    Compressed(Format),
}

/// Where a kernel's ELF is, before any decompression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payload<'a> {
    pub wrapping: Wrapping,
    /// The payload: compressed data, or the ELF itself.
    pub bytes: &'a [u8],
}

/// Why a wrapped kernel was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BzImageError {
    /// The image has the "HdrS" magic but ends inside the setup header.
    TruncatedHeader { len: usize },
    /// Boot protocol older than 2.08: no payload fields.
    OldProtocol(u16),
    /// The payload lies (partly) outside the image, or is empty.
    PayloadOutOfBounds {
        start: usize,
        len: usize,
        image: usize,
    },
    /// The payload starts with no magic Ferrite knows.
    UnknownCompression([u8; 4]),
    /// The payload did not decompress.
    Decompress(Format, decompress::Error),
    /// It decompressed, but not to an ELF.
    NotElf(Format),
}

impl fmt::Display for BzImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            BzImageError::TruncatedHeader { len } => write!(
                f,
                "bzImage of {len} bytes ends inside its setup header (needs {:#x})",
                PAYLOAD_LENGTH + 4
            ),
            BzImageError::OldProtocol(v) => write!(
                f,
                "bzImage boot protocol {}.{:02} is too old: 2.08 or later is needed",
                v >> 8,
                v & 0xff
            ),
            BzImageError::PayloadOutOfBounds { start, len, image } => write!(
                f,
                "bzImage payload [{start:#x}, +{len:#x}) is outside the {image}-byte image"
            ),
            BzImageError::UnknownCompression(m) => write!(
                f,
                "bzImage payload has unknown compression (magic {:02x} {:02x} {:02x} {:02x})",
                m[0], m[1], m[2], m[3]
            ),
            BzImageError::Decompress(fmt, e) => write!(f, "{} payload: {e}", fmt.name()),
            BzImageError::NotElf(fmt) => {
                write!(f, "{} payload did not decompress to an ELF", fmt.name())
            }
        }
    }
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..)?
        .first_chunk::<2>()
        .map(|v| u16::from_le_bytes(*v))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..)?
        .first_chunk::<4>()
        .map(|v| u32::from_le_bytes(*v))
}

/// Finds the kernel's payload without decompressing it.
pub fn inspect(image: &[u8]) -> Result<Payload<'_>, BzImageError> {
    if image.starts_with(ELF_MAGIC) {
        return Ok(Payload {
            wrapping: Wrapping::None,
            bytes: image,
        });
    }
    if image.get(HEADER_MAGIC_AT..HEADER_MAGIC_AT + 4) != Some(HEADER_MAGIC) {
        let wrapping = Format::detect(image).map_or(Wrapping::None, Wrapping::Compressed);
        return Ok(Payload {
            wrapping,
            bytes: image,
        });
    }
    let truncated = BzImageError::TruncatedHeader { len: image.len() };
    let version = le16(image, VERSION).ok_or(truncated)?;
    if version < MIN_VERSION {
        return Err(BzImageError::OldProtocol(version));
    }
    let offset = le32(image, PAYLOAD_OFFSET).ok_or(truncated)? as usize;
    let len = le32(image, PAYLOAD_LENGTH).ok_or(truncated)? as usize;
    let sects = match image.get(SETUP_SECTS).copied().ok_or(truncated)? {
        0 => 4, // boot.rst: a zero means 4
        n => usize::from(n),
    };
    let start = (sects + 1) * 512 + offset;
    let bytes = image
        .get(start..)
        .and_then(|p| p.get(..len))
        .filter(|p| !p.is_empty())
        .ok_or(BzImageError::PayloadOutOfBounds {
            start,
            len,
            image: image.len(),
        })?;
    let format = if bytes.starts_with(ELF_MAGIC) {
        None
    } else {
        let magic = bytes.first_chunk::<4>().copied().unwrap_or_default();
        Some(Format::detect(bytes).ok_or(BzImageError::UnknownCompression(magic))?)
    };
    Ok(Payload {
        wrapping: Wrapping::BzImage { format },
        bytes,
    })
}

impl Payload<'_> {
    /// The compression format, if the payload is compressed.
    pub fn format(&self) -> Option<Format> {
        match self.wrapping {
            Wrapping::None | Wrapping::BzImage { format: None } => None,
            Wrapping::BzImage { format: Some(f) } | Wrapping::Compressed(f) => Some(f),
        }
    }

    /// The ELF's size as the payload declares it (untrusted; for reserving memory). A
    /// bzImage's payload ends with it (Linux appends it, gzip's ISIZE is there), as Xen's
    /// `output_length` reads it.
    pub fn size_hint(&self) -> Option<usize> {
        let format = self.format()?;
        let hint = match self.wrapping {
            Wrapping::BzImage { .. } => self
                .bytes
                .last_chunk::<4>()
                .map(|b| u64::from(u32::from_le_bytes(*b))),
            _ => decompress::size_hint(format, self.bytes),
        };
        hint.and_then(|h| usize::try_from(h).ok())
    }

    /// Decompresses the payload into `out` (which the caller may have reserved, see
    /// [`Payload::size_hint`]), at most `cap` bytes, and checks that an ELF came out. An
    /// uncompressed payload is copied.
    pub fn extract(&self, out: &mut Vec<u8>, cap: usize) -> Result<(), BzImageError> {
        let Some(format) = self.format() else {
            out.extend_from_slice(self.bytes);
            return Ok(());
        };
        decompress::decompress(format, self.bytes, out, cap)
            .map_err(|e| BzImageError::Decompress(format, e))?;
        if !out.starts_with(ELF_MAGIC) {
            return Err(BzImageError::NotElf(format));
        }
        Ok(())
    }
}

/// The kernel's ELF: borrowed when nothing needed decompressing, else a new buffer of at most
/// `cap` bytes (reserved up front from the declared size when that is within the cap).
pub fn unwrap(image: &[u8], cap: usize) -> Result<(Payload<'_>, Cow<'_, [u8]>), BzImageError> {
    let payload = inspect(image)?;
    if payload.format().is_none() {
        return Ok((payload, Cow::Borrowed(payload.bytes)));
    }
    let mut out = Vec::new();
    if let Some(n) = payload.size_hint().filter(|&n| n <= cap) {
        // Only a hint: if memory is short the decoder reports it as it grows.
        let _ = out.try_reserve_exact(n);
    }
    payload.extract(&mut out, cap)?;
    Ok((payload, Cow::Owned(out)))
}

#[cfg(test)]
mod tests;
