//! Operands of the instructions Ferrite emulates or completes after an exit: the intercepted
//! ones (AMD APM vol. 2 §15.9-15.13), I/O (vol. 3 IN/OUT/INS/OUTS) and the loads and stores a
//! guest aims at MMIO (MOV, MOVZX/MOVSX, STOS, MOVS, ALU ops with a memory operand).

use super::insn::{
    AluOp, DecodeError, Dir, Gpr, MemOperand, Op, Port, Prefixes, Reg, RegOrImm, RegOrMem, Rep, Seg,
};
use super::modrm::{ModRm, Rm};

/// What the operand builders need from the rest of the instruction.
pub(super) struct Ctx {
    pub long: bool,
    pub prefixes: Prefixes,
    pub op_size: u8,
    pub addr_size: u8,
    /// The raw immediate and its length in bytes.
    pub imm: u64,
    pub imm_len: usize,
    /// The mandatory-prefix candidate: the last F2/F3, else 66.
    pub mandatory: Option<u8>,
}

impl Ctx {
    /// The immediate, sign-extended from its length.
    fn simm(&self) -> i64 {
        match self.imm_len {
            1 => i64::from(self.imm as u8 as i8),
            2 => i64::from(self.imm as u16 as i16),
            4 => i64::from(self.imm as u32 as i32),
            _ => self.imm as i64,
        }
    }

    /// Register `n` at operand size `size`: without REX, byte registers 4-7 are AH-BH.
    fn reg(&self, n: u8, size: u8) -> Reg {
        if size == 1 && self.prefixes.rex.is_none() && (4..8).contains(&n) {
            Reg {
                gpr: Gpr::from_index(n - 4),
                high_byte: true,
            }
        } else {
            Reg {
                gpr: Gpr::from_index(n),
                high_byte: false,
            }
        }
    }

    /// The size of an I/O access: byte, else word or dword (REX.W does not widen it).
    fn io_size(&self, op: u8) -> u8 {
        match (op & 1, self.op_size) {
            (0, _) => 1,
            (_, 2) => 2,
            _ => 4,
        }
    }

    fn rep(&self) -> bool {
        self.prefixes.rep.is_some()
    }

    fn src_seg(&self) -> Seg {
        self.prefixes.seg.unwrap_or(Seg::Ds)
    }
}

fn alu(kind: u8) -> Option<AluOp> {
    match kind {
        0 => Some(AluOp::Add),
        1 => Some(AluOp::Or),
        4 => Some(AluOp::And),
        5 => Some(AluOp::Sub),
        6 => Some(AluOp::Xor),
        7 => Some(AluOp::Cmp),
        // ADC and SBB: not used on MMIO.
        _ => None,
    }
}

/// The memory operand, or `None` for a register form.
fn mem_of(m: Option<(u8, ModRm)>) -> Option<(u8, MemOperand)> {
    match m {
        Some((
            _,
            ModRm {
                reg,
                rm: Rm::Mem(mem),
            },
        )) => Some((reg, mem)),
        _ => None,
    }
}

/// Operands of a one-byte-map instruction.
pub(super) fn one_byte(op: u8, m: Option<(u8, ModRm)>, c: &Ctx) -> Result<Op, DecodeError> {
    let byte_size = |op: u8| if op & 1 == 0 { 1 } else { c.op_size };
    let mem = mem_of(m);
    Ok(match (op, mem) {
        (0x00..=0x3b, Some((reg, mem))) if op & 7 < 4 => match alu(op >> 3) {
            Some(kind) => {
                let size = byte_size(op);
                Op::Alu {
                    op: kind,
                    dir: if op & 2 == 0 { Dir::Store } else { Dir::Load },
                    size,
                    other: RegOrImm::Reg(c.reg(reg, size)),
                    mem,
                }
            }
            None => Op::Other,
        },
        (0x80..=0x83, Some((reg, mem))) => match alu(reg & 7) {
            Some(kind) => Op::Alu {
                op: kind,
                dir: Dir::Store,
                size: if op == 0x81 || op == 0x83 {
                    c.op_size
                } else {
                    1
                },
                other: RegOrImm::Imm(c.simm()),
                mem,
            },
            None => Op::Other,
        },
        (0x84 | 0x85, Some((reg, mem))) => {
            let size = byte_size(op);
            Op::Alu {
                op: AluOp::Test,
                dir: Dir::Store,
                size,
                other: RegOrImm::Reg(c.reg(reg, size)),
                mem,
            }
        }
        (0xf6 | 0xf7, Some((reg, mem))) if reg & 7 < 2 => Op::Alu {
            op: AluOp::Test,
            dir: Dir::Store,
            size: byte_size(op),
            other: RegOrImm::Imm(c.simm()),
            mem,
        },
        (0x88..=0x8b, Some((reg, mem))) => {
            let size = byte_size(op);
            Op::Mov {
                dir: if op & 2 == 0 { Dir::Store } else { Dir::Load },
                size,
                other: RegOrImm::Reg(c.reg(reg, size)),
                mem,
            }
        }
        (0xc6 | 0xc7, Some((reg, mem))) if reg & 7 == 0 => Op::Mov {
            dir: Dir::Store,
            size: byte_size(op),
            other: RegOrImm::Imm(c.simm()),
            mem,
        },
        (0xa0..=0xa3, _) => Op::Mov {
            dir: if op & 2 == 0 { Dir::Load } else { Dir::Store },
            size: byte_size(op),
            other: RegOrImm::Reg(Reg {
                gpr: Gpr::Rax,
                high_byte: false,
            }),
            mem: MemOperand {
                seg: c.src_seg(),
                base: None,
                index: None,
                disp: c.imm as i64,
                rip_relative: false,
                addr_size: c.addr_size,
            },
        },
        // MOVSXD (64-bit mode; ARPL elsewhere).
        (0x63, Some((reg, mem))) if c.long => Op::Movsx {
            dst: c.reg(reg, c.op_size),
            dst_size: c.op_size,
            size: c.op_size.min(4),
            mem,
        },
        (0xa4 | 0xa5, _) => Op::Movs {
            size: byte_size(op),
            rep: c.rep(),
            seg: c.src_seg(),
        },
        (0xaa | 0xab, _) => Op::Stos {
            size: byte_size(op),
            rep: c.rep(),
        },
        (0x6c | 0x6d, _) => Op::Ins {
            size: c.io_size(op),
            rep: c.rep(),
        },
        (0x6e | 0x6f, _) => Op::Outs {
            size: c.io_size(op),
            rep: c.rep(),
            seg: c.src_seg(),
        },
        (0xe4 | 0xe5, _) => Op::In {
            port: Port::Imm(c.imm as u8),
            size: c.io_size(op),
        },
        (0xe6 | 0xe7, _) => Op::Out {
            port: Port::Imm(c.imm as u8),
            size: c.io_size(op),
        },
        (0xec | 0xed, _) => Op::In {
            port: Port::Dx,
            size: c.io_size(op),
        },
        (0xee | 0xef, _) => Op::Out {
            port: Port::Dx,
            size: c.io_size(op),
        },
        (0xf4, _) => Op::Hlt,
        // F3 90 is PAUSE (with or without REX.B, as iced decodes it).
        (0x90, _) if c.prefixes.rep == Some(Rep::Rep) => Op::Pause,
        _ => Op::Other,
    })
}

/// Operands of a two-byte-map (0F xx) instruction. May consume LOCK (AMD's MOV CR8 alias).
pub(super) fn two_byte(
    op: u8,
    m: Option<(u8, ModRm)>,
    c: &Ctx,
    p: &mut Prefixes,
) -> Result<Op, DecodeError> {
    Ok(match (op, m) {
        (0x01, Some((byte, modrm))) => group7(byte, modrm, c),
        (0x06, _) => Op::Clts,
        (0x08, _) => Op::Invd,
        // F3 0F 09 is WBNOINVD.
        (0x09, _) if c.mandatory != Some(0xf3) => Op::Wbinvd,
        (0x30, _) => Op::Wrmsr,
        (0x31, _) => Op::Rdtsc,
        (0x32, _) => Op::Rdmsr,
        (0xa2, _) => Op::Cpuid,
        (
            0x20..=0x23,
            Some((
                _,
                ModRm {
                    reg,
                    rm: Rm::Reg(rm),
                },
            )),
        ) => {
            let gpr = Gpr::from_index(rm);
            let mut n = reg;
            if op & 1 == 0 {
                // AMD: LOCK MOV CR0 means CR8 (for 32-bit code without REX).
                if p.lock {
                    if reg & 8 != 0 {
                        return Err(DecodeError::Invalid);
                    }
                    n = reg | 8;
                    p.lock = false;
                }
                if !matches!(n, 0 | 2 | 3 | 4 | 8) {
                    return Err(DecodeError::Invalid);
                }
            } else if n > 7 {
                return Err(DecodeError::Invalid);
            }
            match op {
                0x20 => Op::MovFromCr { cr: n, gpr },
                0x21 => Op::MovFromDr { dr: n, gpr },
                0x22 => Op::MovToCr { cr: n, gpr },
                _ => Op::MovToDr { dr: n, gpr },
            }
        }
        (
            0xb6 | 0xb7 | 0xbe | 0xbf,
            Some((
                _,
                ModRm {
                    reg,
                    rm: Rm::Mem(mem),
                },
            )),
        ) => {
            let dst = c.reg(reg, c.op_size);
            let size = if op & 1 == 0 { 1 } else { 2 };
            if op < 0xb8 {
                Op::Movzx {
                    dst,
                    dst_size: c.op_size,
                    size,
                    mem,
                }
            } else {
                Op::Movsx {
                    dst,
                    dst_size: c.op_size,
                    size,
                    mem,
                }
            }
        }
        _ => Op::Other,
    })
}

/// Group 7 (0F 01): the SVM/VMX instructions and others in its ModRM.mod = 11b forms.
fn group7(byte: u8, m: ModRm, c: &Ctx) -> Op {
    match (m.rm, m.reg & 7) {
        (Rm::Reg(_), _) => match byte {
            0xc1 => Op::Vmcall,
            0xd1 => Op::Xsetbv,
            0xd8 => Op::Vmrun,
            // F2/F3 0F 01 D9 is VMGEXIT (SEV-ES).
            0xd9 if !matches!(c.mandatory, Some(0xf2 | 0xf3)) => Op::Vmmcall,
            0xdf => Op::Invlpga,
            0xf9 => Op::Rdtscp,
            0xe0..=0xe7 => Op::Smsw {
                dst: RegOrMem::Reg(gpr_of(m.rm)),
                size: c.op_size,
            },
            0xf0..=0xf7 => Op::Lmsw {
                src: RegOrMem::Reg(gpr_of(m.rm)),
            },
            _ => Op::Other,
        },
        (Rm::Mem(mem), 4) => Op::Smsw {
            dst: RegOrMem::Mem(mem),
            size: 2,
        },
        (Rm::Mem(mem), 6) => Op::Lmsw {
            src: RegOrMem::Mem(mem),
        },
        (Rm::Mem(mem), 7) => Op::Invlpg { mem },
        _ => Op::Other,
    }
}

fn gpr_of(rm: Rm) -> Gpr {
    match rm {
        Rm::Reg(n) => Gpr::from_index(n),
        Rm::Mem(_) => Gpr::Rax,
    }
}
