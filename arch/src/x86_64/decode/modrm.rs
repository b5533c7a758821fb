//! ModRM, SIB and displacement decoding (AMD APM vol. 3 §1.4 "ModRM and SIB Bytes", tables
//! 1-10 to 1-17 for 16-, 32- and 64-bit addressing, and §1.7 "RIP-Relative Addressing").

use super::cursor::Cursor;
use super::insn::{DecodeError, Gpr, MemOperand, Seg};

/// A decoded ModRM byte.
#[derive(Clone, Copy, Debug)]
pub(super) struct ModRm {
    pub reg: u8,
    /// The r/m operand: a register number (with REX.B) or a memory operand.
    pub rm: Rm,
}

#[derive(Clone, Copy, Debug)]
pub(super) enum Rm {
    Reg(u8),
    Mem(MemOperand),
}

/// What the prefixes contribute to the ModRM operand.
#[derive(Clone, Copy, Debug)]
pub(super) struct AddrCtx {
    pub addr_size: u8,
    pub long_mode: bool,
    /// REX.R, REX.X, REX.B as 0 or 8 (or the inverted VEX/EVEX/XOP bits).
    pub rex_r: u8,
    pub rex_x: u8,
    pub rex_b: u8,
    pub seg_override: Option<Seg>,
}

/// Decodes a ModRM byte that was already read, with its SIB and displacement.
pub(super) fn decode(cur: &mut Cursor<'_>, modrm: u8, ctx: &AddrCtx) -> Result<ModRm, DecodeError> {
    let mod_ = modrm >> 6;
    let reg = ((modrm >> 3) & 7) | ctx.rex_r;
    let rm = modrm & 7;
    if mod_ == 3 {
        return Ok(ModRm {
            reg,
            rm: Rm::Reg(rm | ctx.rex_b),
        });
    }
    let mem = if ctx.addr_size == 2 {
        mem16(cur, mod_, rm, ctx)?
    } else {
        mem32_64(cur, mod_, rm, ctx)?
    };
    Ok(ModRm {
        reg,
        rm: Rm::Mem(mem),
    })
}

fn mem16(cur: &mut Cursor<'_>, mod_: u8, rm: u8, ctx: &AddrCtx) -> Result<MemOperand, DecodeError> {
    let (base, index) = match (mod_, rm) {
        (0, 6) => (None, None),
        (_, 0) => (Some(Gpr::Rbx), Some(Gpr::Rsi)),
        (_, 1) => (Some(Gpr::Rbx), Some(Gpr::Rdi)),
        (_, 2) => (Some(Gpr::Rbp), Some(Gpr::Rsi)),
        (_, 3) => (Some(Gpr::Rbp), Some(Gpr::Rdi)),
        (_, 4) => (Some(Gpr::Rsi), None),
        (_, 5) => (Some(Gpr::Rdi), None),
        (_, 6) => (Some(Gpr::Rbp), None),
        _ => (Some(Gpr::Rbx), None),
    };
    let disp = match (mod_, base) {
        (0, None) | (2, _) => cur.signed(2)?,
        (1, _) => cur.signed(1)?,
        _ => 0,
    };
    Ok(MemOperand {
        seg: segment(ctx, base),
        base,
        index: index.map(|i| (i, 1)),
        disp,
        rip_relative: false,
        addr_size: 2,
    })
}

fn mem32_64(
    cur: &mut Cursor<'_>,
    mod_: u8,
    rm: u8,
    ctx: &AddrCtx,
) -> Result<MemOperand, DecodeError> {
    let mut base = Some(Gpr::from_index(rm | ctx.rex_b));
    let mut index = None;
    let mut rip_relative = false;
    let mut disp32 = mod_ == 2;
    if rm == 4 {
        let sib = cur.u8()?;
        let idx = ((sib >> 3) & 7) | ctx.rex_x;
        if idx != 4 {
            index = Some((Gpr::from_index(idx), 1u8 << (sib >> 6)));
        }
        if sib & 7 == 5 && mod_ == 0 {
            base = None;
            disp32 = true;
        } else {
            base = Some(Gpr::from_index((sib & 7) | ctx.rex_b));
        }
    } else if rm == 5 && mod_ == 0 {
        base = None;
        disp32 = true;
        rip_relative = ctx.long_mode;
    }
    let disp = if disp32 {
        cur.signed(4)?
    } else if mod_ == 1 {
        cur.signed(1)?
    } else {
        0
    };
    Ok(MemOperand {
        seg: segment(ctx, base),
        base,
        index,
        disp,
        rip_relative,
        addr_size: ctx.addr_size,
    })
}

/// The override, else SS for a rBP/rSP base, else DS.
fn segment(ctx: &AddrCtx, base: Option<Gpr>) -> Seg {
    match (ctx.seg_override, base) {
        (Some(seg), _) => seg,
        (None, Some(Gpr::Rbp | Gpr::Rsp)) => Seg::Ss,
        _ => Seg::Ds,
    }
}

/// How many bytes the SIB and displacement after `modrm` take, without reading them.
pub(super) fn tail_len(modrm: u8, sib: Option<u8>, addr_size: u8) -> usize {
    let mod_ = modrm >> 6;
    let rm = modrm & 7;
    match (addr_size, mod_) {
        (_, 3) => 0,
        (2, 0) => usize::from(rm == 6) * 2,
        (2, 1) => 1,
        (2, _) => 2,
        (_, m) => {
            let has_sib = rm == 4;
            let disp = match m {
                0 if rm == 5 => 4,
                0 if has_sib && sib.is_some_and(|s| s & 7 == 5) => 4,
                0 => 0,
                1 => 1,
                _ => 4,
            };
            usize::from(has_sib) + disp
        }
    }
}
