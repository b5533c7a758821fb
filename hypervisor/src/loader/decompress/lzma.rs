//! The LZMA decoder that LZMA2 chunks drive: a range decoder over adaptive bit probabilities,
//! literals, matches and the four repeated distances (the algorithm as Igor Pavlov's LZMA SDK
//! `DOC/lzma-specification.txt` describes it, also in Linux's `lib/xz/xz_dec_lzma2.c`).
//!
//! One call decodes exactly the bytes a chunk declares; the range decoder reads only that
//! chunk's compressed bytes and reports an overrun instead of reading further.

use alloc::vec::Vec;

use super::Error;
use super::out::Out;

const PROB_INIT: u16 = 1 << 10;
const STATES: usize = 12;
const POS_STATES_MAX: usize = 1 << 4;
const LEN_LOW: usize = 8;
const LEN_HIGH: usize = 256;
const DIST_STATES: usize = 4;
const DIST_SLOTS: usize = 64;
const END_POS_MODEL: u32 = 14;
const FULL_DISTANCES: usize = 128;
const ALIGN_BITS: u32 = 4;
const LITERAL_CODER_SIZE: usize = 0x300;
/// LZMA2 allows lc + lp <= 4, so at most 16 literal coders.
const LITERAL_CODERS_MAX: usize = 1 << 4;

/// The range decoder over one chunk's compressed bytes.
pub struct RangeDecoder<'a> {
    input: &'a [u8],
    pos: usize,
    range: u32,
    code: u32,
    /// Set when the decoder wanted more bytes than the chunk has.
    overrun: bool,
}

impl<'a> RangeDecoder<'a> {
    /// Starts on a chunk: the first byte must be zero, the next four seed `code`.
    pub fn new(input: &'a [u8]) -> Result<RangeDecoder<'a>, Error> {
        let Some((&0, rest)) = input.split_first() else {
            return Err(Error::Corrupt(
                "LZMA range coder must start with a zero byte",
            ));
        };
        let Some(seed) = rest.first_chunk::<4>() else {
            return Err(Error::Truncated);
        };
        Ok(RangeDecoder {
            input,
            pos: 5,
            range: u32::MAX,
            code: u32::from_be_bytes(*seed),
            overrun: false,
        })
    }

    /// The chunk ended exactly where its header said, with the coder in its final state.
    pub fn finished(&self) -> bool {
        !self.overrun && self.pos == self.input.len() && self.code == 0
    }

    #[inline(always)]
    fn normalize(&mut self) {
        if self.range < 1 << 24 {
            self.range <<= 8;
            let b = match self.input.get(self.pos) {
                Some(&b) => b,
                None => {
                    self.overrun = true;
                    0
                }
            };
            self.pos += 1;
            self.code = (self.code << 8) | u32::from(b);
        }
    }

    #[inline(always)]
    fn bit(&mut self, p: &mut u16) -> u32 {
        let bound = (self.range >> 11) * u32::from(*p);
        let bit = if self.code < bound {
            self.range = bound;
            *p += ((1 << 11) - *p) >> 5;
            0
        } else {
            self.range -= bound;
            self.code -= bound;
            *p -= *p >> 5;
            1
        };
        self.normalize();
        bit
    }

    /// `n` bits, most significant first, through a binary tree of probabilities.
    #[inline(always)]
    fn tree(&mut self, probs: &mut [u16], n: u32) -> u32 {
        let mut m = 1usize;
        for _ in 0..n {
            let b = match probs.get_mut(m) {
                Some(p) => self.bit(p),
                None => 0,
            };
            m = (m << 1) | b as usize;
        }
        (m as u32) - (1 << n)
    }

    /// `n` bits, least significant first (distance low bits).
    #[inline(always)]
    fn reverse_tree(&mut self, probs: &mut [u16], n: u32) -> u32 {
        let mut m = 1usize;
        let mut sym = 0;
        for i in 0..n {
            let b = match probs.get_mut(m) {
                Some(p) => self.bit(p),
                None => 0,
            };
            m = (m << 1) | b as usize;
            sym |= b << i;
        }
        sym
    }

    /// `n` bits with probability one half each.
    #[inline(always)]
    fn direct(&mut self, n: u32) -> u32 {
        let mut v = 0;
        for _ in 0..n {
            self.range >>= 1;
            let bit = u32::from(self.code >= self.range);
            if bit == 1 {
                self.code -= self.range;
            }
            v = (v << 1) | bit;
            self.normalize();
        }
        v
    }
}

/// A match or repeat length: 2..=273 through a choice bit, a second choice bit and three trees.
struct LenDecoder {
    choice: u16,
    choice2: u16,
    low: [[u16; LEN_LOW]; POS_STATES_MAX],
    mid: [[u16; LEN_LOW]; POS_STATES_MAX],
    high: [u16; LEN_HIGH],
}

impl LenDecoder {
    const fn new() -> LenDecoder {
        LenDecoder {
            choice: PROB_INIT,
            choice2: PROB_INIT,
            low: [[PROB_INIT; LEN_LOW]; POS_STATES_MAX],
            mid: [[PROB_INIT; LEN_LOW]; POS_STATES_MAX],
            high: [PROB_INIT; LEN_HIGH],
        }
    }

    fn decode(&mut self, rc: &mut RangeDecoder<'_>, pos_state: usize) -> usize {
        let ps = pos_state & (POS_STATES_MAX - 1);
        if rc.bit(&mut self.choice) == 0 {
            2 + rc.tree(&mut self.low[ps], 3) as usize
        } else if rc.bit(&mut self.choice2) == 0 {
            10 + rc.tree(&mut self.mid[ps], 3) as usize
        } else {
            18 + rc.tree(&mut self.high, 8) as usize
        }
    }
}

/// lc, lp and pb, from an LZMA properties byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Props {
    pub lc: u32,
    pub lp: u32,
    pub pb: u32,
}

impl Props {
    /// Decodes `(pb * 5 + lp) * 9 + lc`, with LZMA2's limit lc + lp <= 4.
    pub fn from_byte(b: u8) -> Result<Props, Error> {
        let b = u32::from(b);
        if b >= 9 * 5 * 5 {
            return Err(Error::Corrupt("LZMA properties byte out of range"));
        }
        let p = Props {
            lc: b % 9,
            lp: (b / 9) % 5,
            pb: b / 45,
        };
        if p.lc + p.lp > 4 {
            return Err(Error::Corrupt("LZMA2 needs lc + lp <= 4"));
        }
        Ok(p)
    }
}

/// The decoder's adaptive state, kept from chunk to chunk until a state reset.
pub struct Lzma {
    props: Props,
    state: usize,
    reps: [u32; 4],
    is_match: [[u16; POS_STATES_MAX]; STATES],
    is_rep: [u16; STATES],
    is_rep0: [u16; STATES],
    is_rep1: [u16; STATES],
    is_rep2: [u16; STATES],
    is_rep0_long: [[u16; POS_STATES_MAX]; STATES],
    dist_slot: [[u16; DIST_SLOTS]; DIST_STATES],
    dist_special: [u16; 1 + FULL_DISTANCES - END_POS_MODEL as usize],
    dist_align: [u16; 1 << ALIGN_BITS],
    match_len: LenDecoder,
    rep_len: LenDecoder,
    /// `LITERAL_CODERS_MAX` coders of `LITERAL_CODER_SIZE` probabilities (on the heap: 24 KiB).
    literal: Vec<u16>,
}

impl Lzma {
    pub fn new(props: Props) -> Result<Lzma, Error> {
        let n = LITERAL_CODER_SIZE * LITERAL_CODERS_MAX;
        let mut literal = Vec::new();
        literal
            .try_reserve_exact(n)
            .map_err(|_| Error::NoMemory(2 * n))?;
        literal.resize(n, PROB_INIT);
        Ok(Lzma {
            props,
            state: 0,
            reps: [0; 4],
            is_match: [[PROB_INIT; POS_STATES_MAX]; STATES],
            is_rep: [PROB_INIT; STATES],
            is_rep0: [PROB_INIT; STATES],
            is_rep1: [PROB_INIT; STATES],
            is_rep2: [PROB_INIT; STATES],
            is_rep0_long: [[PROB_INIT; POS_STATES_MAX]; STATES],
            dist_slot: [[PROB_INIT; DIST_SLOTS]; DIST_STATES],
            dist_special: [PROB_INIT; 1 + FULL_DISTANCES - END_POS_MODEL as usize],
            dist_align: [PROB_INIT; 1 << ALIGN_BITS],
            match_len: LenDecoder::new(),
            rep_len: LenDecoder::new(),
            literal,
        })
    }

    pub fn props(&self) -> Props {
        self.props
    }

    /// A state reset: every probability back to one half, distances to zero, maybe new props.
    pub fn reset(&mut self, props: Props) {
        self.props = props;
        self.state = 0;
        self.reps = [0; 4];
        self.is_match = [[PROB_INIT; POS_STATES_MAX]; STATES];
        self.is_rep = [PROB_INIT; STATES];
        self.is_rep0 = [PROB_INIT; STATES];
        self.is_rep1 = [PROB_INIT; STATES];
        self.is_rep2 = [PROB_INIT; STATES];
        self.is_rep0_long = [[PROB_INIT; POS_STATES_MAX]; STATES];
        self.dist_slot = [[PROB_INIT; DIST_SLOTS]; DIST_STATES];
        self.dist_special = [PROB_INIT; 1 + FULL_DISTANCES - END_POS_MODEL as usize];
        self.dist_align = [PROB_INIT; 1 << ALIGN_BITS];
        self.match_len = LenDecoder::new();
        self.rep_len = LenDecoder::new();
        self.literal.fill(PROB_INIT);
    }

    /// Decodes symbols until `n` more bytes are in `out`. `floor` is where the dictionary
    /// (the last reset) starts: positions count from it and no match reaches before it.
    pub fn decode(
        &mut self,
        rc: &mut RangeDecoder<'_>,
        out: &mut Out<'_>,
        n: usize,
        floor: usize,
    ) -> Result<(), Error> {
        out.reserve(n)?;
        let end = out.len() + n;
        let pb_mask = (1usize << self.props.pb) - 1;
        let lp_mask = (1usize << self.props.lp) - 1;
        let lc = self.props.lc;
        while out.len() < end {
            if rc.overrun {
                return Err(Error::Truncated);
            }
            let pos = out.len() - floor;
            let ps = pos & pb_mask;
            let st = self.state;
            if rc.bit(&mut self.is_match[st][ps]) == 0 {
                let prev = out.back(1, floor).unwrap_or(0);
                let idx = ((pos & lp_mask) << lc) + (usize::from(prev) >> (8 - lc));
                let at = idx * LITERAL_CODER_SIZE;
                let Some(probs) = self.literal.get_mut(at..at + LITERAL_CODER_SIZE) else {
                    return Err(Error::Corrupt("LZMA literal coder out of range"));
                };
                let byte = if st < 7 {
                    rc.tree(probs, 8)
                } else {
                    let Some(mb) = out.back(self.reps[0] as usize + 1, floor) else {
                        return Err(Error::Corrupt("LZMA distance before the dictionary"));
                    };
                    matched_literal(rc, probs, mb)
                };
                out.push(byte as u8)?;
                self.state = match st {
                    0..4 => 0,
                    4..10 => st - 3,
                    _ => st - 6,
                };
                continue;
            }
            let len = if rc.bit(&mut self.is_rep[st]) == 1 {
                if rc.bit(&mut self.is_rep0[st]) == 0 {
                    if rc.bit(&mut self.is_rep0_long[st][ps]) == 0 {
                        // A "short rep": one byte from rep0.
                        self.state = if st < 7 { 9 } else { 11 };
                        let Some(b) = out.back(self.reps[0] as usize + 1, floor) else {
                            return Err(Error::Corrupt("LZMA distance before the dictionary"));
                        };
                        out.push(b)?;
                        continue;
                    }
                } else {
                    let dist = if rc.bit(&mut self.is_rep1[st]) == 0 {
                        self.reps[1]
                    } else if rc.bit(&mut self.is_rep2[st]) == 0 {
                        let d = self.reps[2];
                        self.reps[2] = self.reps[1];
                        d
                    } else {
                        let d = self.reps[3];
                        self.reps[3] = self.reps[2];
                        self.reps[2] = self.reps[1];
                        d
                    };
                    self.reps[1] = self.reps[0];
                    self.reps[0] = dist;
                }
                self.state = if st < 7 { 8 } else { 11 };
                self.rep_len.decode(rc, ps)
            } else {
                self.reps[3] = self.reps[2];
                self.reps[2] = self.reps[1];
                self.reps[1] = self.reps[0];
                let len = self.match_len.decode(rc, ps);
                self.state = if st < 7 { 7 } else { 10 };
                self.reps[0] = self.distance(rc, len);
                if self.reps[0] == u32::MAX {
                    return Err(Error::Corrupt("LZMA end marker inside an LZMA2 chunk"));
                }
                len
            };
            if len > end - out.len() {
                return Err(Error::Corrupt("LZMA match runs past the end of its chunk"));
            }
            out.copy_match(self.reps[0] as usize + 1, len, floor)?;
        }
        if rc.overrun {
            return Err(Error::Truncated);
        }
        Ok(())
    }

    /// A match distance (minus one), from its slot and the bits the slot leaves open.
    fn distance(&mut self, rc: &mut RangeDecoder<'_>, len: usize) -> u32 {
        let ds = (len - 2).min(DIST_STATES - 1);
        let slot = rc.tree(&mut self.dist_slot[ds], 6);
        if slot < 4 {
            return slot;
        }
        let direct = (slot >> 1) - 1;
        let mut dist = (2 | (slot & 1)) << direct;
        if slot < END_POS_MODEL {
            let base = (dist - slot) as usize;
            let probs = self.dist_special.get_mut(base..).unwrap_or(&mut []);
            dist += rc.reverse_tree(probs, direct);
        } else {
            dist += rc.direct(direct - ALIGN_BITS) << ALIGN_BITS;
            dist += rc.reverse_tree(&mut self.dist_align, ALIGN_BITS);
        }
        dist
    }
}

/// A literal after a match: the bits of the byte at rep0 steer the probabilities until the
/// first bit that differs from them.
fn matched_literal(rc: &mut RangeDecoder<'_>, probs: &mut [u16], match_byte: u8) -> u32 {
    let mut mb = u32::from(match_byte);
    let mut sym = 1u32;
    while sym < 0x100 {
        let match_bit = (mb >> 7) & 1;
        mb <<= 1;
        let idx = (((1 + match_bit) << 8) + sym) as usize;
        let bit = match probs.get_mut(idx) {
            Some(p) => rc.bit(p),
            None => 0,
        };
        sym = (sym << 1) | bit;
        if match_bit != bit {
            break;
        }
    }
    while sym < 0x100 {
        let bit = match probs.get_mut(sym as usize) {
            Some(p) => rc.bit(p),
            None => 0,
        };
        sym = (sym << 1) | bit;
    }
    sym - 0x100
}
