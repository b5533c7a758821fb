//! DEFLATE (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks. Canonical Huffman
//! codes are decoded a bit at a time from per-length counts (the method of zlib's
//! `contrib/puff`), which is small and needs no tables beyond the code itself.

use super::Error;
use super::out::Out;

const MAX_BITS: usize = 15;
const MAX_LIT_CODES: usize = 286;
const MAX_DIST_CODES: usize = 30;
const FIXED_LIT_CODES: usize = 288;

const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// The order code-length code lengths are sent in.
const CLEN_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Input bits, least significant first.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u32,
    count: u32,
}

impl Bits<'_> {
    fn bits(&mut self, n: u32) -> Result<u32, Error> {
        while self.count < n {
            let b = *self.data.get(self.pos).ok_or(Error::Truncated)?;
            self.pos += 1;
            self.buf |= u32::from(b) << self.count;
            self.count += 8;
        }
        let v = self.buf & ((1u32 << n) - 1);
        self.buf >>= n;
        self.count -= n;
        Ok(v)
    }

    /// Drops the bits left in the current byte (stored blocks start on a byte).
    fn align(&mut self) {
        self.buf = 0;
        self.count = 0;
    }
}

/// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct Huffman {
    count: [u16; MAX_BITS + 1],
    symbol: [u16; FIXED_LIT_CODES],
}

/// How complete a code built from a set of lengths is.
#[derive(PartialEq, Eq)]
enum Fit {
    Complete,
    Incomplete,
}

impl Huffman {
    /// Builds the code for `lengths` (0 = unused symbol); an over-subscribed set is corrupt.
    fn new(lengths: &[u8]) -> Result<(Huffman, Fit), Error> {
        let mut h = Huffman {
            count: [0; MAX_BITS + 1],
            symbol: [0; FIXED_LIT_CODES],
        };
        for &l in lengths {
            let c = h
                .count
                .get_mut(usize::from(l))
                .ok_or(Error::Corrupt("code length"))?;
            *c += 1;
        }
        if usize::from(h.count[0]) == lengths.len() {
            return Ok((h, Fit::Incomplete));
        }
        let mut left: i32 = 1;
        for len in 1..=MAX_BITS {
            left = (left << 1) - i32::from(h.count[len]);
            if left < 0 {
                return Err(Error::Corrupt("over-subscribed Huffman code"));
            }
        }
        let mut offs = [0u16; MAX_BITS + 1];
        for len in 1..MAX_BITS {
            offs[len + 1] = offs[len] + h.count[len];
        }
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                let o = &mut offs[usize::from(l)];
                if let Some(s) = h.symbol.get_mut(usize::from(*o)) {
                    *s = sym as u16;
                }
                *o += 1;
            }
        }
        Ok((
            h,
            if left > 0 {
                Fit::Incomplete
            } else {
                Fit::Complete
            },
        ))
    }

    fn decode(&self, bits: &mut Bits<'_>) -> Result<usize, Error> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..=MAX_BITS {
            code |= bits.bits(1)? as i32;
            let count = i32::from(self.count[len]);
            if code - count < first {
                let at = (index + (code - first)) as usize;
                return self
                    .symbol
                    .get(at)
                    .map(|&s| usize::from(s))
                    .ok_or(Error::Corrupt("Huffman symbol"));
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(Error::Corrupt("bit pattern matches no Huffman code"))
    }
}

/// Inflates one DEFLATE stream from the start of `input`; returns the input bytes it used
/// (through the byte holding its last bit).
pub fn inflate(input: &[u8], out: &mut Out<'_>) -> Result<usize, Error> {
    let mut bits = Bits {
        data: input,
        pos: 0,
        buf: 0,
        count: 0,
    };
    let floor = out.len();
    loop {
        let last = bits.bits(1)? == 1;
        match bits.bits(2)? {
            0 => stored(&mut bits, out)?,
            1 => {
                let (lit, dist) = fixed_codes()?;
                codes(&mut bits, out, &lit, &dist, floor)?;
            }
            2 => {
                let (lit, dist) = dynamic_codes(&mut bits)?;
                codes(&mut bits, out, &lit, &dist, floor)?;
            }
            _ => return Err(Error::Corrupt("DEFLATE block type 3")),
        }
        if last {
            return Ok(bits.pos);
        }
    }
}

fn stored(bits: &mut Bits<'_>, out: &mut Out<'_>) -> Result<(), Error> {
    bits.align();
    let hdr = bits
        .data
        .get(bits.pos..)
        .and_then(<[u8]>::first_chunk::<4>)
        .ok_or(Error::Truncated)?;
    let len = u16::from_le_bytes([hdr[0], hdr[1]]);
    if len != !u16::from_le_bytes([hdr[2], hdr[3]]) {
        return Err(Error::Corrupt(
            "stored block length and its complement differ",
        ));
    }
    bits.pos += 4;
    let data = bits
        .data
        .get(bits.pos..bits.pos + usize::from(len))
        .ok_or(Error::Truncated)?;
    out.extend(data)?;
    bits.pos += usize::from(len);
    Ok(())
}

fn fixed_codes() -> Result<(Huffman, Huffman), Error> {
    let mut lengths = [0u8; FIXED_LIT_CODES];
    for (sym, l) in lengths.iter_mut().enumerate() {
        *l = match sym {
            0..144 => 8,
            144..256 => 9,
            256..280 => 7,
            _ => 8,
        };
    }
    let (lit, _) = Huffman::new(&lengths)?;
    let (dist, _) = Huffman::new(&[5; MAX_DIST_CODES])?;
    Ok((lit, dist))
}

fn dynamic_codes(bits: &mut Bits<'_>) -> Result<(Huffman, Huffman), Error> {
    let nlen = bits.bits(5)? as usize + 257;
    let ndist = bits.bits(5)? as usize + 1;
    let ncode = bits.bits(4)? as usize + 4;
    if nlen > MAX_LIT_CODES || ndist > MAX_DIST_CODES {
        return Err(Error::Corrupt("too many DEFLATE length or distance codes"));
    }
    let mut clens = [0u8; 19];
    for &i in CLEN_ORDER.iter().take(ncode) {
        clens[i] = bits.bits(3)? as u8;
    }
    let (clcode, fit) = Huffman::new(&clens)?;
    if fit != Fit::Complete {
        return Err(Error::Corrupt("incomplete code-length code"));
    }
    let mut lengths = [0u8; MAX_LIT_CODES + MAX_DIST_CODES];
    let total = nlen + ndist;
    let mut i = 0;
    while i < total {
        let sym = clcode.decode(bits)?;
        let (value, repeat) = match sym {
            0..16 => (sym as u8, 1),
            16 => {
                let prev = i
                    .checked_sub(1)
                    .and_then(|p| lengths.get(p).copied())
                    .ok_or(Error::Corrupt("repeat with no previous code length"))?;
                (prev, 3 + bits.bits(2)? as usize)
            }
            17 => (0, 3 + bits.bits(3)? as usize),
            _ => (0, 11 + bits.bits(7)? as usize),
        };
        if i + repeat > total {
            return Err(Error::Corrupt("code lengths overrun their count"));
        }
        lengths[i..i + repeat].fill(value);
        i += repeat;
    }
    if lengths[256] == 0 {
        return Err(Error::Corrupt("no end-of-block code"));
    }
    let (lens, dists) = lengths.split_at(nlen);
    let (lit, fit) = Huffman::new(lens)?;
    // An incomplete code is only allowed for a single code of length one.
    let single = |h: &Huffman, n: usize| usize::from(h.count[0] + h.count[1]) == n;
    if fit == Fit::Incomplete && !single(&lit, nlen) {
        return Err(Error::Corrupt("incomplete literal/length code"));
    }
    let dists = dists.get(..ndist).unwrap_or(&[]);
    let (dist, fit) = Huffman::new(dists)?;
    if fit == Fit::Incomplete && !single(&dist, ndist) {
        return Err(Error::Corrupt("incomplete distance code"));
    }
    Ok((lit, dist))
}

fn codes(
    bits: &mut Bits<'_>,
    out: &mut Out<'_>,
    lit: &Huffman,
    dist: &Huffman,
    floor: usize,
) -> Result<(), Error> {
    loop {
        let sym = lit.decode(bits)?;
        match sym {
            0..256 => out.push(sym as u8)?,
            256 => return Ok(()),
            _ => {
                let i = sym - 257;
                let (Some(&base), Some(&extra)) = (LEN_BASE.get(i), LEN_EXTRA.get(i)) else {
                    return Err(Error::Corrupt("DEFLATE length code out of range"));
                };
                let len = usize::from(base) + bits.bits(u32::from(extra))? as usize;
                let d = dist.decode(bits)?;
                let (Some(&base), Some(&extra)) = (DIST_BASE.get(d), DIST_EXTRA.get(d)) else {
                    return Err(Error::Corrupt("DEFLATE distance code out of range"));
                };
                let distance = usize::from(base) + bits.bits(u32::from(extra))? as usize;
                out.copy_match(distance, len, floor)?;
            }
        }
    }
}
