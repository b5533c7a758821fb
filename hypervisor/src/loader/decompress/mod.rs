//! Single-call decompressors for boot images (Xen's `xen/common/decompress.c`, which picks
//! Linux's `lib/decompress_*.c` by magic): the whole input is in memory and the output grows a
//! `Vec<u8>` up to a caller-given cap, so a decompression bomb is refused rather than
//! exhausting memory. Malformed input gives an [`Error`], never a panic.
//!
//! Formats: xz (`.xz` container, LZMA2, optional x86 BCJ filter; `xz.rs`) and gzip (DEFLATE,
//! RFC 1951/1952; `gzip.rs`, `inflate.rs`). zstd, bzip2, LZMA-alone, LZO and LZ4 are
//! recognised by magic and refused by name.

mod bcj;
mod crc;
mod gzip;
mod inflate;
mod lzma;
mod lzma2;
mod out;
mod xz;

use core::fmt;

use alloc::vec::Vec;

pub use crc::{crc32, crc64};

/// A compression format, as recognised by its magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xz,
    Gzip,
    Zstd,
    Bzip2,
    Lzma,
    Lzo,
    Lz4,
}

impl Format {
    /// The format `data` starts with, if its magic is one the Linux kernel uses.
    pub fn detect(data: &[u8]) -> Option<Format> {
        const MAGICS: &[(&[u8], Format)] = &[
            (&[0xfd, b'7', b'z', b'X', b'Z', 0x00], Format::Xz),
            (&[0x1f, 0x8b], Format::Gzip),
            (&[0x1f, 0x9e], Format::Gzip),
            (&[0x28, 0xb5, 0x2f, 0xfd], Format::Zstd),
            (b"BZh", Format::Bzip2),
            (&[0x5d, 0x00, 0x00], Format::Lzma),
            (&[0x89, b'L', b'Z', b'O'], Format::Lzo),
            (&[0x02, 0x21, 0x4c, 0x18], Format::Lz4),
        ];
        MAGICS
            .iter()
            .find(|(m, _)| data.starts_with(m))
            .map(|&(_, f)| f)
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Xz => "xz",
            Format::Gzip => "gzip",
            Format::Zstd => "zstd",
            Format::Bzip2 => "bzip2",
            Format::Lzma => "lzma",
            Format::Lzo => "lzo",
            Format::Lz4 => "lz4",
        }
    }
}

/// Why decompression failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The input ended before the format said it would.
    Truncated,
    /// The input breaks the format; the text names the rule.
    Corrupt(&'static str),
    /// A stored checksum does not match the data.
    Checksum(&'static str),
    /// The output would exceed the cap the caller set.
    TooLarge { cap: usize },
    /// The output buffer could not be allocated.
    NoMemory(usize),
    /// A format or a feature of one that Ferrite does not decode.
    Unsupported(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::Truncated => write!(f, "compressed data is truncated"),
            Error::Corrupt(why) => write!(f, "compressed data is corrupt: {why}"),
            Error::Checksum(which) => write!(f, "{which} check does not match"),
            Error::TooLarge { cap } => {
                write!(f, "decompressed size exceeds the {} MiB limit", cap >> 20)
            }
            Error::NoMemory(n) => write!(f, "cannot allocate {n} bytes to decompress into"),
            Error::Unsupported(what) => write!(f, "{what} not supported"),
        }
    }
}

/// Decompresses `input` (one stream of `format`; bytes after its end are ignored) by appending
/// to `out`, which never grows past `cap` bytes.
///
/// Callers that know the size (see [`size_hint`]) reserve it in `out` first: the decoders
/// only reserve more when the data turns out larger.
pub fn decompress(
    format: Format,
    input: &[u8],
    out: &mut Vec<u8>,
    cap: usize,
) -> Result<(), Error> {
    let mut sink = out::Out::new(out, cap);
    match format {
        Format::Xz => xz::decode(input, &mut sink),
        Format::Gzip => gzip::decode(input, &mut sink),
        Format::Zstd => Err(Error::Unsupported("zstd-compressed kernel")),
        Format::Bzip2 => Err(Error::Unsupported("bzip2-compressed kernel")),
        Format::Lzma => Err(Error::Unsupported("lzma-alone-compressed kernel")),
        Format::Lzo => Err(Error::Unsupported("lzo-compressed kernel")),
        Format::Lz4 => Err(Error::Unsupported("lz4-compressed kernel")),
    }
}

/// The decompressed size a stream declares, when it declares one: an xz stream's index, a
/// gzip member's ISIZE (modulo 2^32). Untrusted: only a hint for reserving the output.
pub fn size_hint(format: Format, input: &[u8]) -> Option<u64> {
    match format {
        Format::Xz => xz::declared_size(input),
        Format::Gzip => gzip::declared_size(input),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
