//! The decoder's driver: prefixes, opcode escapes (0F, 0F 38, 0F 3A, VEX, EVEX, XOP), ModRM
//! and immediate, in the order of AMD APM vol. 3 §1.1 "Instruction Encoding Overview"
//! (figure 1-1) and §1.2 "Instruction Prefixes".

use super::cursor::Cursor;
use super::insn::{DecodeError, Insn, Mode, Op, Prefixes, Rep, Seg};
use super::modrm::{self, AddrCtx, ModRm, Rm};
use super::ops::{self, Ctx};
use super::tables::{self, Attr, Imm, Valid};
use super::vex;

/// Which opcode map the opcode byte came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Map {
    OneByte,
    TwoByte,
    /// 0F 38, 0F 3A, and every VEX/EVEX/XOP map: decoded for length only.
    Other,
}

/// The legacy prefixes, the REX byte, and the mandatory-prefix candidate (the last F2/F3,
/// else 66), read up to the first opcode byte.
fn prefixes(cur: &mut Cursor<'_>, long: bool) -> Result<(Prefixes, Option<u8>, u8), DecodeError> {
    let mut p = Prefixes::default();
    let mut mandatory = None;
    // 64-bit mode: an FS/GS override wins over ES/CS/SS/DS wherever they stand.
    let mut fs_gs = false;
    loop {
        let b = cur.u8()?;
        match b {
            0x26 | 0x2e | 0x36 | 0x3e => {
                if !long || !fs_gs {
                    p.seg = Some(match b {
                        0x26 => Seg::Es,
                        0x2e => Seg::Cs,
                        0x36 => Seg::Ss,
                        _ => Seg::Ds,
                    });
                }
            }
            0x64 | 0x65 => {
                p.seg = Some(if b == 0x64 { Seg::Fs } else { Seg::Gs });
                fs_gs = long;
            }
            0x66 => {
                p.opsize = true;
                mandatory = mandatory.or(Some(0x66));
            }
            0x67 => p.addrsize = true,
            0xf0 => p.lock = true,
            0xf2 | 0xf3 => {
                p.rep = Some(if b == 0xf2 { Rep::Repne } else { Rep::Rep });
                mandatory = Some(b);
            }
            0x40..=0x4f if long => {
                // A REX prefix counts only right before the opcode; a later one replaces it.
                p.rex = Some(b);
                continue;
            }
            _ => return Ok((p, mandatory, b)),
        }
        p.rex = None;
    }
}

/// Decodes the instruction at the start of `bytes` (up to 15 bytes fetched at CS:RIP).
pub fn decode(bytes: &[u8], mode: Mode) -> Result<Insn, DecodeError> {
    let mut cur = Cursor::new(bytes);
    let long = mode == Mode::Long64;
    let (mut p, mandatory, first) = prefixes(&mut cur, long)?;
    let rex = p.rex.unwrap_or(0);
    let (default_op, default_addr) = mode.default_sizes();
    let op_size = match (long && rex & 8 != 0, p.opsize, default_op) {
        (true, _, _) => 8,
        (false, true, 2) => 4,
        (false, true, _) => 2,
        (false, false, size) => size,
    };
    let addr_size = match (p.addrsize, default_addr) {
        (false, size) => size,
        (true, 4) => 2,
        (true, _) => 4,
    };
    let addr = AddrCtx {
        addr_size,
        long_mode: long,
        rex_r: (rex & 4) << 1,
        rex_x: (rex & 2) << 2,
        rex_b: (rex & 1) << 3,
        seg_override: p.seg,
    };

    // Pick the map, the opcode and its attributes.
    let (map, op, attr) = match first {
        0x0f => {
            let second = cur.u8()?;
            match second {
                0x38 => (Map::Other, cur.u8()?, tables::MAP_0F38),
                0x3a => (Map::Other, cur.u8()?, tables::MAP_0F3A),
                _ => (Map::TwoByte, second, tables::two_byte(second)),
            }
        }
        0xc4 | 0xc5 | 0x62 if long || cur.peek()? >= 0xc0 => {
            // No REX either, so `addr` has no REX bits; VEX's own R/X/B only matter for
            // operands, and VEX-encoded instructions are decoded for length only.
            check_no_legacy_prefix(&p, mandatory)?;
            let (op, attr) = vex::vex_or_evex(&mut cur, first, long)?;
            (Map::Other, op, attr)
        }
        0x8f if cur.peek()? & 0x1f >= 8 => {
            check_no_legacy_prefix(&p, mandatory)?;
            let (op, attr) = vex::xop(&mut cur)?;
            (Map::Other, op, attr)
        }
        _ => (Map::OneByte, first, tables::one_byte(first)),
    };
    match attr.valid {
        Valid::Never => return Err(DecodeError::Invalid),
        Valid::Not64 if long => return Err(DecodeError::Invalid),
        _ => {}
    }

    // MOV to/from CR/DR ignore ModRM.mod: the r/m field always names a register.
    let mod_ignored = map == Map::TwoByte && (0x20..=0x23).contains(&op);
    let mut operands = None;
    let mut reg_field = 0;
    if attr.modrm {
        let mut byte = cur.u8()?;
        if mod_ignored {
            byte |= 0xc0;
        }
        reg_field = (byte >> 3) & 7;
        if map == Map::OneByte && !tables::one_byte_modrm_valid(op, byte) {
            return Err(DecodeError::Invalid);
        }
        let imm_len = imm_len(&attr, op_size, addr_size, reg_field, mandatory);
        let sib = if byte < 0xc0 && byte & 7 == 4 && addr_size != 2 {
            Some(cur.peek()?)
        } else {
            None
        };
        cur.need(modrm::tail_len(byte, sib, addr_size) + imm_len)?;
        operands = Some((byte, modrm::decode(&mut cur, byte, &addr)?));
    }
    let imm_len = imm_len(&attr, op_size, addr_size, reg_field, mandatory);
    let imm = cur.le(imm_len)?;
    if p.lock {
        let is_mem = matches!(operands, Some((_, ModRm { rm: Rm::Mem(_), .. })));
        let lock_map = match map {
            Map::OneByte => 1,
            Map::TwoByte => 2,
            Map::Other => 0,
        };
        if !tables::lockable(lock_map, op, is_mem, reg_field) {
            return Err(DecodeError::Invalid);
        }
    }

    let ctx = Ctx {
        long,
        prefixes: p,
        op_size,
        addr_size,
        imm,
        imm_len,
        mandatory,
    };
    let op = match map {
        Map::OneByte => ops::one_byte(op, operands, &ctx)?,
        Map::TwoByte => ops::two_byte(op, operands, &ctx, &mut p)?,
        Map::Other => Op::Other,
    };
    Ok(Insn {
        // At most 15: the cursor refuses to go further.
        len: cur.pos() as u8,
        op,
        prefixes: p,
        op_size,
        addr_size,
    })
}

/// VEX, EVEX and XOP forbid 66, F2, F3, LOCK and REX in front of them (#UD).
fn check_no_legacy_prefix(p: &Prefixes, mandatory: Option<u8>) -> Result<(), DecodeError> {
    if mandatory.is_some() || p.lock || p.rex.is_some() {
        return Err(DecodeError::Invalid);
    }
    Ok(())
}

/// The size of the immediate that follows the ModRM operand (or the opcode).
fn imm_len(attr: &Attr, op_size: u8, addr_size: u8, reg: u8, mandatory: Option<u8>) -> usize {
    let z = if op_size == 2 { 2 } else { 4 };
    match attr.imm {
        Imm::None => 0,
        Imm::B => 1,
        Imm::W => 2,
        Imm::Z => z,
        Imm::V => usize::from(op_size),
        Imm::WB => 3,
        Imm::Ptr => z + 2,
        Imm::Moffs => usize::from(addr_size),
        Imm::Group3B if reg < 2 => 1,
        Imm::Group3Z if reg < 2 => z,
        Imm::Group3B | Imm::Group3Z => 0,
        Imm::Sse4a if matches!(mandatory, Some(0x66 | 0xf2)) => 2,
        Imm::Sse4a => 0,
        Imm::Id => 4,
    }
}
