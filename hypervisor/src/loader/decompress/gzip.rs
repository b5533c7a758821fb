//! The gzip member format (RFC 1952) around a DEFLATE stream: header with optional extra
//! field, name, comment and header CRC, then the CRC-32 and size (mod 2^32) of the data.
//! Only the first member is read (Linux's `lib/decompress_inflate.c` does the same).

use super::Error;
use super::crc::crc32;
use super::inflate::inflate;
use super::out::Out;

const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;

/// Decodes the first gzip member of `input` into `out`.
pub fn decode(input: &[u8], out: &mut Out<'_>) -> Result<(), Error> {
    let hdr = input.first_chunk::<10>().ok_or(Error::Truncated)?;
    if hdr[..2] != [0x1f, 0x8b] {
        return Err(Error::Unsupported("old (pack) gzip format"));
    }
    if hdr[2] != 8 {
        return Err(Error::Unsupported(
            "gzip compression method other than deflate",
        ));
    }
    let flags = hdr[3];
    if flags & 0xe0 != 0 {
        return Err(Error::Corrupt("gzip header has reserved flags set"));
    }
    let mut at = 10usize;
    if flags & FEXTRA != 0 {
        let n = input
            .get(at..)
            .and_then(<[u8]>::first_chunk::<2>)
            .ok_or(Error::Truncated)?;
        at += 2 + usize::from(u16::from_le_bytes(*n));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let rest = input.get(at..).ok_or(Error::Truncated)?;
            let nul = rest.iter().position(|&b| b == 0).ok_or(Error::Truncated)?;
            at += nul + 1;
        }
    }
    if flags & FHCRC != 0 {
        let stored = input
            .get(at..)
            .and_then(<[u8]>::first_chunk::<2>)
            .ok_or(Error::Truncated)?;
        let crc = crc32(0, input.get(..at).ok_or(Error::Truncated)?);
        if u16::from_le_bytes(*stored) != crc as u16 {
            return Err(Error::Checksum("gzip header CRC16"));
        }
        at += 2;
    }
    let start = out.len();
    let body = input.get(at..).ok_or(Error::Truncated)?;
    let used = inflate(body, out)?;
    let trailer = body
        .get(used..)
        .and_then(<[u8]>::first_chunk::<8>)
        .ok_or(Error::Truncated)?;
    let data = out.bytes().get(start..).unwrap_or(&[]);
    let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    if crc != crc32(0, data) {
        return Err(Error::Checksum("gzip CRC32"));
    }
    let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    if size != data.len() as u32 {
        return Err(Error::Corrupt("gzip size does not match the data"));
    }
    Ok(())
}

/// The size (mod 2^32) a gzip member declares in its last four bytes.
pub fn declared_size(input: &[u8]) -> Option<u64> {
    input
        .last_chunk::<4>()
        .map(|b| u64::from(u32::from_le_bytes(*b)))
}
