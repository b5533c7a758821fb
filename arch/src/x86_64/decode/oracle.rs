//! The differential oracle: decodes the same bytes with this decoder and with iced-x86
//! (host-only) and reports any disagreement that the module doc does not allow. Used by the
//! unit tests' proptest and by the `decode` fuzz target (which includes this file with
//! `#[path]`, so it names the decoder only through `super::`).

use iced_x86::{Decoder, DecoderOptions, Instruction, Mnemonic, OpKind, Register};

use super::{
    AluOp, DecodeError, Dir, Gpr, Insn, MemOperand, Mode, Op, Port, Reg, RegOrImm, RegOrMem, Seg,
    decode, truncate,
};

/// Every mode, for loops.
pub const MODES: [Mode; 4] = [Mode::Real16, Mode::Prot16, Mode::Prot32, Mode::Long64];

/// How one comparison came out (all three are agreement).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    BothValid,
    BothInvalid,
    /// iced says #UD, this decoder returns a length (see the module doc).
    OnlyIcedInvalid,
}

fn bitness(mode: Mode) -> u32 {
    match mode {
        Mode::Real16 | Mode::Prot16 => 16,
        Mode::Prot32 => 32,
        Mode::Long64 => 64,
    }
}

/// iced's decoding of the instruction at the start of `bytes`, if valid.
pub fn iced(bytes: &[u8], mode: Mode) -> Option<Instruction> {
    let mut decoder = Decoder::with_ip(bitness(mode), bytes, 0, DecoderOptions::AMD);
    let ins = decoder.decode();
    (!ins.is_invalid()).then_some(ins)
}

/// Compares both decoders on the first 15 bytes of `input` (zero-padded), and this decoder
/// on every truncation of a valid instruction.
pub fn check(input: &[u8], mode: Mode) -> Result<Outcome, String> {
    let mut buf = [0u8; 15];
    for (dst, src) in buf.iter_mut().zip(input) {
        *dst = *src;
    }
    let ours = decode(&buf, mode);
    let fail = |what: &str| Err(format!("{mode:?} {buf:02x?}: {what}; ours {ours:?}"));
    match (iced(&buf, mode), &ours) {
        (Some(ins), Ok(insn)) => {
            if usize::from(insn.len) != ins.len() {
                return fail(&format!("iced len {} ({ins})", ins.len()));
            }
            let expected = normalize(iced_op(&ins));
            if normalize(insn.op) != expected {
                return fail(&format!("iced {ins}: expected {expected:?}"));
            }
            truncations(&buf, insn, mode)?;
            Ok(Outcome::BothValid)
        }
        (Some(ins), Err(_)) => fail(&format!("iced decodes {ins}")),
        (None, Ok(_)) => Ok(Outcome::OnlyIcedInvalid),
        (None, Err(DecodeError::Invalid | DecodeError::TooLong)) => Ok(Outcome::BothInvalid),
        (None, Err(DecodeError::Truncated { .. })) => fail("truncated with 15 bytes"),
    }
}

/// Every proper prefix of a valid instruction is `Truncated`, asking for more than it has
/// and no more than the whole.
fn truncations(buf: &[u8; 15], insn: &Insn, mode: Mode) -> Result<(), String> {
    for k in 0..usize::from(insn.len) {
        match decode(&buf[..k], mode) {
            Err(DecodeError::Truncated { needed })
                if usize::from(needed) > k && needed <= insn.len => {}
            other => return Err(format!("{mode:?} {buf:02x?} cut to {k}: {other:?}")),
        }
    }
    Ok(())
}

/// Immediates and displacements compared at their operand/address size.
fn normalize(op: Op) -> Op {
    let mem = |m: MemOperand| MemOperand {
        disp: truncate(m.disp as u64, m.addr_size) as i64,
        ..m
    };
    let other = |o: RegOrImm, size: u8| match o {
        RegOrImm::Imm(v) => RegOrImm::Imm(truncate(v as u64, size) as i64),
        reg => reg,
    };
    let rm = |r: RegOrMem| match r {
        RegOrMem::Mem(m) => RegOrMem::Mem(mem(m)),
        reg => reg,
    };
    match op {
        Op::Mov {
            dir,
            size,
            other: o,
            mem: m,
        } => Op::Mov {
            dir,
            size,
            other: other(o, size),
            mem: mem(m),
        },
        Op::Alu {
            op,
            dir,
            size,
            other: o,
            mem: m,
        } => Op::Alu {
            op,
            dir,
            size,
            other: other(o, size),
            mem: mem(m),
        },
        Op::Movzx {
            dst,
            dst_size,
            size,
            mem: m,
        } => Op::Movzx {
            dst,
            dst_size,
            size,
            mem: mem(m),
        },
        Op::Movsx {
            dst,
            dst_size,
            size,
            mem: m,
        } => Op::Movsx {
            dst,
            dst_size,
            size,
            mem: mem(m),
        },
        Op::Invlpg { mem: m } => Op::Invlpg { mem: mem(m) },
        Op::Lmsw { src } => Op::Lmsw { src: rm(src) },
        Op::Smsw { dst, size } => Op::Smsw { dst: rm(dst), size },
        op => op,
    }
}

/// A GPR operand of any width.
fn gpr(r: Register) -> Option<Reg> {
    let n = r as u32;
    let (index, high_byte) = match n {
        1..=4 => (n - 1, false),
        5..=8 => (n - 5, true),
        9..=20 => (n - 5, false),
        21..=36 => (n - 21, false),
        37..=52 => (n - 37, false),
        53..=68 => (n - 53, false),
        _ => return None,
    };
    Some(Reg {
        gpr: Gpr::from_index(index as u8),
        high_byte,
    })
}

fn seg(r: Register) -> Seg {
    match r {
        Register::ES => Seg::Es,
        Register::CS => Seg::Cs,
        Register::SS => Seg::Ss,
        Register::FS => Seg::Fs,
        Register::GS => Seg::Gs,
        _ => Seg::Ds,
    }
}

/// iced's memory operand in this decoder's terms.
fn mem(ins: &Instruction) -> MemOperand {
    let base = ins.memory_base();
    let index = ins.memory_index();
    let rip_relative = ins.is_ip_rel_memory_operand();
    let addr_size = if rip_relative {
        if base == Register::RIP { 8 } else { 4 }
    } else if base != Register::None {
        base.size() as u8
    } else if index != Register::None {
        index.size() as u8
    } else {
        ins.memory_displ_size() as u8
    };
    let mut disp = ins.memory_displacement64();
    if rip_relative {
        disp = disp.wrapping_sub(ins.len() as u64);
    }
    MemOperand {
        seg: seg(ins.memory_segment()),
        base: if rip_relative {
            None
        } else {
            gpr(base).map(|r| r.gpr)
        },
        index: gpr(index).map(|r| (r.gpr, ins.memory_index_scale() as u8)),
        disp: disp as i64,
        rip_relative,
        addr_size,
    }
}

fn is_mem(kind: OpKind) -> bool {
    kind == OpKind::Memory
}

/// The register or immediate operand `i`, if it is one.
fn other(ins: &Instruction, i: u32) -> Option<RegOrImm> {
    match ins.op_kind(i) {
        OpKind::Register => gpr(ins.op_register(i)).map(RegOrImm::Reg),
        OpKind::Memory => None,
        _ => Some(RegOrImm::Imm(ins.immediate(i) as i64)),
    }
}

/// The [`Op`] this decoder should produce for iced's decoding.
fn iced_op(ins: &Instruction) -> Op {
    use Mnemonic as M;
    let size = ins.memory_size().size() as u8;
    let rep = ins.has_rep_prefix() || ins.has_repne_prefix();
    let string = |s: u8| (s, rep, seg(ins.memory_segment()));
    match ins.mnemonic() {
        M::Vmmcall => Op::Vmmcall,
        M::Vmcall => Op::Vmcall,
        M::Vmrun => Op::Vmrun,
        M::Cpuid => Op::Cpuid,
        M::Hlt => Op::Hlt,
        M::Rdmsr => Op::Rdmsr,
        M::Wrmsr => Op::Wrmsr,
        M::Xsetbv => Op::Xsetbv,
        M::Invlpga => Op::Invlpga,
        M::Rdtsc => Op::Rdtsc,
        M::Rdtscp => Op::Rdtscp,
        M::Wbinvd => Op::Wbinvd,
        M::Invd => Op::Invd,
        M::Pause => Op::Pause,
        M::Clts => Op::Clts,
        M::Invlpg => Op::Invlpg { mem: mem(ins) },
        M::Lmsw => Op::Lmsw {
            src: reg_or_mem(ins),
        },
        M::Smsw => match ins.op0_kind() {
            OpKind::Register => Op::Smsw {
                dst: reg_or_mem(ins),
                size: ins.op0_register().size() as u8,
            },
            _ => Op::Smsw {
                dst: reg_or_mem(ins),
                size: 2,
            },
        },
        M::In | M::Out => {
            let (data, port) = if ins.mnemonic() == M::In {
                (0, 1)
            } else {
                (1, 0)
            };
            let port = match ins.op_kind(port) {
                OpKind::Register => Port::Dx,
                _ => Port::Imm(ins.immediate8()),
            };
            let size = ins.op_register(data).size() as u8;
            if ins.mnemonic() == M::In {
                Op::In { port, size }
            } else {
                Op::Out { port, size }
            }
        }
        M::Insb | M::Insw | M::Insd => Op::Ins {
            size: string_size(ins.mnemonic()),
            rep,
        },
        M::Outsb | M::Outsw | M::Outsd => {
            let (size, rep, seg) = string(string_size(ins.mnemonic()));
            Op::Outs { size, rep, seg }
        }
        M::Stosb | M::Stosw | M::Stosd | M::Stosq => Op::Stos {
            size: string_size(ins.mnemonic()),
            rep,
        },
        M::Movsb | M::Movsw | M::Movsd | M::Movsq
            if matches!(
                ins.op0_kind(),
                OpKind::MemoryESDI | OpKind::MemoryESEDI | OpKind::MemoryESRDI
            ) =>
        {
            let (size, rep, seg) = string(string_size(ins.mnemonic()));
            Op::Movs { size, rep, seg }
        }
        M::Mov => mov(ins, size),
        M::Movzx | M::Movsx | M::Movsxd if is_mem(ins.op1_kind()) => {
            let Some(dst) = gpr(ins.op0_register()) else {
                return Op::Other;
            };
            let dst_size = ins.op0_register().size() as u8;
            if ins.mnemonic() == M::Movzx {
                Op::Movzx {
                    dst,
                    dst_size,
                    size,
                    mem: mem(ins),
                }
            } else {
                Op::Movsx {
                    dst,
                    dst_size,
                    size,
                    mem: mem(ins),
                }
            }
        }
        m @ (M::Add | M::Or | M::And | M::Sub | M::Xor | M::Cmp | M::Test) => {
            let op = match m {
                M::Add => AluOp::Add,
                M::Or => AluOp::Or,
                M::And => AluOp::And,
                M::Sub => AluOp::Sub,
                M::Xor => AluOp::Xor,
                M::Cmp => AluOp::Cmp,
                _ => AluOp::Test,
            };
            let (dir, other) = if is_mem(ins.op0_kind()) {
                (Dir::Store, other(ins, 1))
            } else if is_mem(ins.op1_kind()) {
                (Dir::Load, other(ins, 0))
            } else {
                return Op::Other;
            };
            match other {
                Some(other) => Op::Alu {
                    op,
                    dir,
                    size,
                    other,
                    mem: mem(ins),
                },
                None => Op::Other,
            }
        }
        _ => Op::Other,
    }
}

fn reg_or_mem(ins: &Instruction) -> RegOrMem {
    match ins.op0_kind() {
        OpKind::Register => RegOrMem::Reg(gpr(ins.op0_register()).map_or(Gpr::Rax, |r| r.gpr)),
        _ => RegOrMem::Mem(mem(ins)),
    }
}

fn string_size(m: Mnemonic) -> u8 {
    use Mnemonic as M;
    match m {
        M::Insb | M::Outsb | M::Stosb | M::Movsb => 1,
        M::Insw | M::Outsw | M::Stosw | M::Movsw => 2,
        M::Insd | M::Outsd | M::Stosd | M::Movsd => 4,
        _ => 8,
    }
}

fn mov(ins: &Instruction, size: u8) -> Op {
    let (r0, r1) = (ins.op0_register(), ins.op1_register());
    let number = |r: Register, first: Register| (r as u32 - first as u32) as u8;
    let is_cr = |r: Register| (Register::CR0..=Register::CR15).contains(&r);
    let is_dr = |r: Register| (Register::DR0..=Register::DR15).contains(&r);
    let gpr_of = |r: Register| gpr(r).map_or(Gpr::Rax, |r| r.gpr);
    if ins.op0_kind() == OpKind::Register && ins.op1_kind() == OpKind::Register {
        return if is_cr(r0) {
            Op::MovToCr {
                cr: number(r0, Register::CR0),
                gpr: gpr_of(r1),
            }
        } else if is_cr(r1) {
            Op::MovFromCr {
                cr: number(r1, Register::CR0),
                gpr: gpr_of(r0),
            }
        } else if is_dr(r0) {
            Op::MovToDr {
                dr: number(r0, Register::DR0),
                gpr: gpr_of(r1),
            }
        } else if is_dr(r1) {
            Op::MovFromDr {
                dr: number(r1, Register::DR0),
                gpr: gpr_of(r0),
            }
        } else {
            Op::Other
        };
    }
    let (dir, other) = if is_mem(ins.op0_kind()) {
        (Dir::Store, other(ins, 1))
    } else if is_mem(ins.op1_kind()) {
        (Dir::Load, other(ins, 0))
    } else {
        return Op::Other;
    };
    match other {
        Some(other) => Op::Mov {
            dir,
            size,
            other,
            mem: mem(ins),
        },
        None => Op::Other,
    }
}
