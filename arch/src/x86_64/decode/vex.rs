//! The VEX (C4/C5), EVEX (62) and XOP (8F) escapes, decoded for length only: which map the
//! opcode is in, and so whether it takes an immediate. Sources: AMD APM vol. 3 §1.8 "VEX and
//! XOP Prefixes" and vol. 4 (XOP maps 8, 9, 0Ah); Intel SDM vol. 2 §2.7 "EVEX" and the
//! AVX512-FP16 maps 5 and 6. In 16- and 32-bit modes C4, C5 and 62 are VEX/EVEX only when the
//! next byte has ModRM.mod = 11b (else LES, LDS, BOUND); 8F is XOP when its map field is 8 or
//! more (else POP).

use super::cursor::Cursor;
use super::insn::DecodeError;
use super::tables::{Attr, Imm, Valid, a, map1_has_ib};

/// Reads a VEX or EVEX prefix (`first` is C4, C5 or 62) and the opcode after it.
pub(super) fn vex_or_evex(
    cur: &mut Cursor<'_>,
    first: u8,
    long: bool,
) -> Result<(u8, Attr), DecodeError> {
    let map = match first {
        0xc5 => {
            cur.u8()?;
            1
        }
        0xc4 => {
            let map = cur.u8()? & 0x1f;
            cur.u8()?;
            if !(1..=3).contains(&map) {
                return Err(DecodeError::Invalid);
            }
            map
        }
        _ => {
            let p0 = cur.u8()?;
            let p1 = cur.u8()?;
            let p2 = cur.u8()?;
            let map = p0 & 7;
            // P0 bit 3 is reserved (0), P1 bit 2 is fixed (1); map 0 and 7 are undefined.
            // Zeroing needs a mask (aaa != 0); outside 64-bit mode V' must be 1.
            if p0 & 8 != 0
                || p1 & 4 == 0
                || map == 0
                || map == 7
                || (p2 & 0x80 != 0 && p2 & 7 == 0)
                || (!long && p2 & 8 == 0)
            {
                return Err(DecodeError::Invalid);
            }
            // EVEX.L'L = 3 is reserved unless EVEX.b selects rounding.
            if p2 & 0x10 == 0 && (p2 >> 5) & 3 == 3 {
                return Err(DecodeError::Invalid);
            }
            map
        }
    };
    let op = cur.u8()?;
    let attr = match map {
        // VZEROUPPER/VZEROALL have no ModRM byte.
        1 if first != 0x62 && op == 0x77 => a(false, Imm::None, Valid::Always),
        1 if map1_has_ib(op) => a(true, Imm::B, Valid::Always),
        3 => a(true, Imm::B, Valid::Always),
        _ => a(true, Imm::None, Valid::Always),
    };
    Ok((op, attr))
}

/// Reads an XOP prefix (after 8F) and the opcode after it.
pub(super) fn xop(cur: &mut Cursor<'_>) -> Result<(u8, Attr), DecodeError> {
    let map = cur.u8()? & 0x1f;
    cur.u8()?;
    let op = cur.u8()?;
    let imm = match map {
        8 => Imm::B,
        9 => Imm::None,
        0xa => Imm::Id,
        _ => return Err(DecodeError::Invalid),
    };
    Ok((op, a(true, imm, Valid::Always)))
}
