//! LZMA2: a sequence of chunks, each stored or LZMA-compressed, with control bytes that reset
//! the dictionary, the LZMA state or its properties (the `.xz` format's filter 0x21; chunk
//! layout as in Linux's `lib/xz/xz_dec_lzma2.c` and the xz-file-format specification).

use super::Error;
use super::lzma::{Lzma, Props, RangeDecoder};
use super::out::Out;

/// Decodes one LZMA2 stream from the start of `input` into `out`; returns the input bytes it
/// used (through its end-of-stream byte).
pub fn decode(input: &[u8], out: &mut Out<'_>) -> Result<usize, Error> {
    let mut at = 0usize;
    let mut lzma: Option<Lzma> = None;
    let mut need_dict_reset = true;
    let mut need_props = true;
    let mut floor = out.len();
    loop {
        let control = *input.get(at).ok_or(Error::Truncated)?;
        at += 1;
        if control == 0x00 {
            return Ok(at);
        }
        if control >= 0xe0 || control == 0x01 {
            need_props = true;
            need_dict_reset = false;
            floor = out.len();
        } else if need_dict_reset {
            return Err(Error::Corrupt(
                "LZMA2 stream does not start with a dictionary reset",
            ));
        }
        if control < 0x80 {
            if control > 0x02 {
                return Err(Error::Corrupt("unknown LZMA2 control byte"));
            }
            let size = be16(input, at)? + 1;
            at += 2;
            let data = input.get(at..at + size).ok_or(Error::Truncated)?;
            out.extend(data)?;
            at += size;
            continue;
        }
        let unpacked = ((usize::from(control & 0x1f)) << 16) + be16(input, at)? + 1;
        let packed = be16(input, at + 2)? + 1;
        at += 4;
        if control >= 0xc0 {
            let props = Props::from_byte(*input.get(at).ok_or(Error::Truncated)?)?;
            at += 1;
            need_props = false;
            match lzma.as_mut() {
                Some(l) => l.reset(props),
                None => lzma = Some(Lzma::new(props)?),
            }
        } else if need_props {
            return Err(Error::Corrupt(
                "LZMA2 chunk without properties after a reset",
            ));
        } else if control >= 0xa0
            && let Some(l) = lzma.as_mut()
        {
            let props = l.props();
            l.reset(props);
        }
        let Some(l) = lzma.as_mut() else {
            return Err(Error::Corrupt("LZMA2 chunk without properties"));
        };
        let data = input.get(at..at + packed).ok_or(Error::Truncated)?;
        let mut rc = RangeDecoder::new(data)?;
        l.decode(&mut rc, out, unpacked, floor)?;
        if !rc.finished() {
            return Err(Error::Corrupt(
                "LZMA2 chunk's compressed size does not match its data",
            ));
        }
        at += packed;
    }
}

fn be16(input: &[u8], at: usize) -> Result<usize, Error> {
    let b = input
        .get(at..)
        .and_then(<[u8]>::first_chunk::<2>)
        .ok_or(Error::Truncated)?;
    Ok(usize::from(u16::from_be_bytes(*b)))
}
