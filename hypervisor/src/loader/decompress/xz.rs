//! The `.xz` container (the xz-file-format specification, as Linux's `lib/xz/xz_dec_stream.c`
//! reads it): stream header, blocks (header, filtered data, padding, check), index, footer.
//!
//! Filters: LZMA2 (0x21), optionally after the x86 BCJ filter (0x04), which is what Linux
//! builds its x86 kernels with. Checks: none, CRC-32 and CRC-64 are verified; SHA-256 is
//! skipped unverified (as Linux's `XZ_DEC_ANY_CHECK` does). Only the first stream is read:
//! what follows it (Linux appends the 4-byte uncompressed size) is ignored.

use alloc::vec::Vec;

use super::crc::{crc32, crc64};
use super::out::Out;
use super::{Error, bcj, lzma2};

const MAGIC: [u8; 6] = [0xfd, b'7', b'z', b'X', b'Z', 0x00];
const FOOTER_MAGIC: [u8; 2] = *b"YZ";
const FILTER_X86: u64 = 0x04;
const FILTER_LZMA2: u64 = 0x21;
/// Each check id's length in bytes.
const CHECK_LEN: [usize; 16] = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64];
/// Ferrite records at most this many blocks for the index cross-check (a kernel has one).
const MAX_BLOCKS: usize = 1 << 16;

/// The integrity check a stream declares, from its flags' low nibble.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    None,
    Crc32,
    Crc64,
    /// SHA-256 or a reserved id: `len` bytes, not verified.
    Skipped(usize),
}

impl Check {
    fn from_flags(flags: [u8; 2]) -> Result<Check, Error> {
        if flags[0] != 0 || flags[1] & 0xf0 != 0 {
            return Err(Error::Corrupt("xz stream flags have reserved bits set"));
        }
        Ok(match flags[1] {
            0x00 => Check::None,
            0x01 => Check::Crc32,
            0x04 => Check::Crc64,
            id => Check::Skipped(CHECK_LEN[usize::from(id & 0x0f)]),
        })
    }

    fn len(self) -> usize {
        match self {
            Check::None => 0,
            Check::Crc32 => 4,
            Check::Crc64 => 8,
            Check::Skipped(n) => n,
        }
    }
}

/// A cursor over the input.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let s = self
            .data
            .get(self.at..)
            .and_then(|r| r.get(..n))
            .ok_or(Error::Truncated)?;
        self.at += n;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let s = self.take(N)?;
        s.first_chunk::<N>().copied().ok_or(Error::Truncated)
    }

    fn byte(&mut self) -> Result<u8, Error> {
        Ok(self.array::<1>()?[0])
    }

    /// The format's variable-length integer: 7 bits a byte, low first, at most 9 bytes.
    fn varint(&mut self) -> Result<u64, Error> {
        let mut v = 0u64;
        for i in 0..9 {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                if b == 0 && i > 0 {
                    return Err(Error::Corrupt("xz integer has a redundant zero byte"));
                }
                return Ok(v);
            }
        }
        Err(Error::Corrupt("xz integer longer than nine bytes"))
    }

    /// Skips zeros up to a multiple of four bytes from `base`.
    fn pad4(&mut self, base: usize) -> Result<(), Error> {
        while !(self.at - base).is_multiple_of(4) {
            if self.byte()? != 0 {
                return Err(Error::Corrupt("xz padding is not zero"));
            }
        }
        Ok(())
    }
}

/// One block's filter chain.
struct Filters {
    /// The x86 BCJ filter's start offset, if the chain has it.
    x86: Option<u32>,
}

/// Decodes the first xz stream of `input` into `out`.
pub fn decode(input: &[u8], out: &mut Out<'_>) -> Result<(), Error> {
    let mut r = Reader { data: input, at: 0 };
    if r.array::<6>()? != MAGIC {
        return Err(Error::Corrupt("not an xz stream"));
    }
    let flags = r.array::<2>()?;
    if u32::from_le_bytes(r.array::<4>()?) != crc32(0, &flags) {
        return Err(Error::Checksum("xz stream header CRC32"));
    }
    let check = Check::from_flags(flags)?;
    // (unpadded size, uncompressed size) of each block, for the index cross-check.
    let mut blocks: Vec<(u64, u64)> = Vec::new();
    loop {
        let block_start = r.at;
        let size_byte = r.byte()?;
        if size_byte == 0 {
            break;
        }
        let start = out.len();
        let header_len = (usize::from(size_byte) + 1) * 4;
        let filters = block_header(&mut r, block_start, header_len)?;
        let data_start = r.at;
        let used = lzma2::decode(input.get(data_start..).unwrap_or(&[]), out)?;
        r.at += used;
        let unpadded = (r.at - block_start) + check.len();
        r.pad4(block_start)?;
        if let Some(offset) = filters.x86
            && let Some(block) = out.bytes_mut().get_mut(start..)
        {
            bcj::x86_decode(block, offset);
        }
        // The check covers the data as it was before any filter.
        let produced = out.bytes().get(start..).unwrap_or(&[]);
        verify(check, produced, r.take(check.len())?)?;
        if blocks.len() >= MAX_BLOCKS {
            return Err(Error::Unsupported("an xz stream of more than 65536 blocks"));
        }
        blocks
            .try_reserve(1)
            .map_err(|_| Error::NoMemory(blocks.len() * 16))?;
        blocks.push((unpadded as u64, (out.len() - start) as u64));
    }
    let index_start = index(&mut r, &blocks)?;
    footer(&mut r, flags, index_start)
}

/// Reads a block header (its size byte already read at `start`): the filter chain.
fn block_header(r: &mut Reader<'_>, start: usize, len: usize) -> Result<Filters, Error> {
    let header = r
        .data
        .get(start..)
        .and_then(|s| s.get(..len))
        .ok_or(Error::Truncated)?;
    let (body, crc) = header.split_at(len - 4);
    let crc = crc.first_chunk::<4>().copied().ok_or(Error::Truncated)?;
    if u32::from_le_bytes(crc) != crc32(0, body) {
        return Err(Error::Checksum("xz block header CRC32"));
    }
    let flags = r.byte()?;
    if flags & 0x3c != 0 {
        return Err(Error::Corrupt("xz block flags have reserved bits set"));
    }
    if flags & 0x40 != 0 {
        r.varint()?; // compressed size: the data says where it ends
    }
    if flags & 0x80 != 0 {
        r.varint()?; // uncompressed size: the index is checked instead
    }
    let count = usize::from(flags & 0x03) + 1;
    let mut x86 = None;
    for i in 0..count {
        let id = r.varint()?;
        let props_len = usize::try_from(r.varint()?).unwrap_or(usize::MAX);
        let props = r.take(props_len.min(len))?;
        let last = i + 1 == count;
        match (id, last) {
            (FILTER_LZMA2, true) => {
                if props.len() != 1 {
                    return Err(Error::Corrupt("LZMA2 filter properties are not one byte"));
                }
                if props.first().is_some_and(|&d| d > 40) {
                    return Err(Error::Corrupt("LZMA2 dictionary size out of range"));
                }
            }
            (FILTER_X86, false) if x86.is_none() => {
                x86 = Some(match *props {
                    [] => 0,
                    [a, b, c, d] => u32::from_le_bytes([a, b, c, d]),
                    _ => return Err(Error::Corrupt("x86 BCJ filter properties")),
                });
            }
            (FILTER_LZMA2, false) | (_, true) => {
                return Err(Error::Corrupt("xz filter chain does not end in LZMA2"));
            }
            (0x03, _) => return Err(Error::Unsupported("xz delta filter")),
            (0x05..=0x0b, _) => return Err(Error::Unsupported("xz BCJ filter for another CPU")),
            _ => return Err(Error::Unsupported("xz filter")),
        }
    }
    if r.at > start + len - 4 {
        return Err(Error::Corrupt("xz block header overruns its size"));
    }
    while r.at < start + len - 4 {
        if r.byte()? != 0 {
            return Err(Error::Corrupt("xz block header padding is not zero"));
        }
    }
    r.take(4)?;
    Ok(Filters { x86 })
}

fn verify(check: Check, data: &[u8], stored: &[u8]) -> Result<(), Error> {
    let ok = match check {
        Check::None | Check::Skipped(_) => true,
        Check::Crc32 => stored == crc32(0, data).to_le_bytes(),
        Check::Crc64 => stored == crc64(0, data).to_le_bytes(),
    };
    if ok {
        Ok(())
    } else {
        Err(Error::Checksum(match check {
            Check::Crc64 => "xz block CRC64",
            _ => "xz block CRC32",
        }))
    }
}

/// The index: one record per block, which must match what was decoded. Returns where it
/// began.
fn index(r: &mut Reader<'_>, blocks: &[(u64, u64)]) -> Result<usize, Error> {
    let start = r.at - 1; // the indicator byte, already read
    let n = r.varint()?;
    if n != blocks.len() as u64 {
        return Err(Error::Corrupt("xz index has a different number of blocks"));
    }
    for &(unpadded, uncompressed) in blocks {
        if r.varint()? != unpadded || r.varint()? != uncompressed {
            return Err(Error::Corrupt("xz index does not match the blocks"));
        }
    }
    r.pad4(start)?;
    let body = r.data.get(start..r.at).ok_or(Error::Truncated)?;
    if u32::from_le_bytes(r.array::<4>()?) != crc32(0, body) {
        return Err(Error::Checksum("xz index CRC32"));
    }
    Ok(start)
}

fn footer(r: &mut Reader<'_>, flags: [u8; 2], index_start: usize) -> Result<(), Error> {
    let index_len = r.at - index_start;
    let crc = u32::from_le_bytes(r.array::<4>()?);
    let backward_flags = r.array::<6>()?;
    if crc != crc32(0, &backward_flags) {
        return Err(Error::Checksum("xz stream footer CRC32"));
    }
    let [b0, b1, b2, b3, f0, f1] = backward_flags;
    if r.array::<2>()? != FOOTER_MAGIC || [f0, f1] != flags {
        return Err(Error::Corrupt("xz stream footer does not match its header"));
    }
    let backward = (u64::from(u32::from_le_bytes([b0, b1, b2, b3])) + 1) * 4;
    if backward != index_len as u64 {
        return Err(Error::Corrupt("xz footer's index size is wrong"));
    }
    Ok(())
}

/// The uncompressed size an xz stream's index declares, read from the end of `input` (or
/// from 4 bytes before it: Linux appends the size to its kernel payloads).
pub fn declared_size(input: &[u8]) -> Option<u64> {
    [0usize, 4].iter().find_map(|&tail| {
        let end = input.len().checked_sub(tail)?;
        let footer = input.get(end.checked_sub(12)?..end)?;
        if footer.get(10..12)? != FOOTER_MAGIC {
            return None;
        }
        let backward = footer.get(4..8)?.first_chunk::<4>().copied()?;
        let index_len = (u32::from_le_bytes(backward) as usize + 1).checked_mul(4)?;
        let index_at = (end - 12).checked_sub(index_len)?;
        let mut r = Reader {
            data: input.get(..end - 12)?,
            at: index_at,
        };
        if r.byte().ok()? != 0 {
            return None;
        }
        let n = r.varint().ok()?;
        let mut total = 0u64;
        for _ in 0..n.min(MAX_BLOCKS as u64) {
            r.varint().ok()?;
            total = total.checked_add(r.varint().ok()?)?;
        }
        Some(total)
    })
}
