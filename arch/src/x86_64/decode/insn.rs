//! What the decoder returns: the instruction's length, its prefixes, and for the instructions
//! that Ferrite emulates or completes, their operands (AMD APM vol. 3, chapter 1 "Instruction
//! Encoding" and chapter 3 "General-Purpose Instruction Reference").

/// The processor mode the guest fetched the instruction in, which sets the default operand and
/// address sizes. Built by the caller from CR0.PE, EFER.LMA, CS.L and CS.D
/// (see [`Mode::from_state`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Real mode (CR0.PE=0) or virtual-8086 mode: 16-bit operands and addresses.
    Real16,
    /// Protected mode, or compatibility mode, with a 16-bit code segment (CS.D=0).
    Prot16,
    /// Protected mode, or compatibility mode, with a 32-bit code segment (CS.D=1).
    Prot32,
    /// 64-bit mode (EFER.LMA=1 and CS.L=1).
    Long64,
}

impl Mode {
    /// The mode from the control state: `pe` is CR0.PE, `lma` EFER.LMA, `cs_l` and `cs_d` the
    /// code segment's L and D attribute bits. (Virtual-8086 mode decodes like [`Mode::Real16`];
    /// the caller maps RFLAGS.VM=1 to `pe = false`.)
    pub fn from_state(pe: bool, lma: bool, cs_l: bool, cs_d: bool) -> Mode {
        match (pe, lma && cs_l, cs_d) {
            (false, _, _) => Mode::Real16,
            (true, true, _) => Mode::Long64,
            (true, false, true) => Mode::Prot32,
            (true, false, false) => Mode::Prot16,
        }
    }

    /// The default operand and address size in bytes (64-bit mode: 4-byte operands,
    /// 8-byte addresses).
    pub(super) fn default_sizes(self) -> (u8, u8) {
        match self {
            Mode::Real16 | Mode::Prot16 => (2, 2),
            Mode::Prot32 => (4, 4),
            Mode::Long64 => (4, 8),
        }
    }
}

/// Why an instruction could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes end inside the instruction; it needs at least `needed` bytes (the exact
    /// length once the decoder got past the ModRM/SIB bytes).
    Truncated { needed: u8 },
    /// The instruction would be longer than 15 bytes (#GP on hardware).
    TooLong,
    /// The bytes are no valid instruction in this mode (#UD on hardware).
    Invalid,
}

/// A general-purpose register, numbered as in ModRM/REX (RAX=0 ... R15=15).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Gpr {
    Rax = 0,
    Rcx,
    Rdx,
    Rbx,
    Rsp,
    Rbp,
    Rsi,
    Rdi,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
}

impl Gpr {
    const ALL: [Gpr; 16] = [
        Gpr::Rax,
        Gpr::Rcx,
        Gpr::Rdx,
        Gpr::Rbx,
        Gpr::Rsp,
        Gpr::Rbp,
        Gpr::Rsi,
        Gpr::Rdi,
        Gpr::R8,
        Gpr::R9,
        Gpr::R10,
        Gpr::R11,
        Gpr::R12,
        Gpr::R13,
        Gpr::R14,
        Gpr::R15,
    ];

    /// The register with number `n & 15`.
    pub fn from_index(n: u8) -> Gpr {
        Gpr::ALL[usize::from(n & 15)]
    }
}

/// A register operand: a GPR, or for byte operands without REX also AH/CH/DH/BH, which are
/// bits 15:8 of RAX/RCX/RDX/RBX (`high_byte`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reg {
    pub gpr: Gpr,
    pub high_byte: bool,
}

/// A segment register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    Es,
    Cs,
    Ss,
    Ds,
    Fs,
    Gs,
}

/// Which REP prefix is present (REPNE/F2 or REP/REPE/F3; the last one wins).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rep {
    Rep,
    Repne,
}

/// The legacy and REX prefixes of an instruction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prefixes {
    pub rep: Option<Rep>,
    pub lock: bool,
    /// The segment override that applies (64-bit mode: FS/GS win over ES/CS/SS/DS, which
    /// are kept but have a zero base).
    pub seg: Option<Seg>,
    /// 0x66 is present.
    pub opsize: bool,
    /// 0x67 is present.
    pub addrsize: bool,
    /// The REX byte (0x40-0x4f) if it is in effect (64-bit mode, right before the opcode).
    pub rex: Option<u8>,
}

/// A memory operand. Its effective address is `base + index * scale + disp` (or
/// `next RIP + disp` when `rip_relative`), truncated to `addr_size` bytes; the linear address
/// adds the base of `seg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemOperand {
    /// The segment used: an override prefix, else DS, or SS for a rBP/rSP base.
    pub seg: Seg,
    pub base: Option<Gpr>,
    /// Index register and scale (1, 2, 4 or 8).
    pub index: Option<(Gpr, u8)>,
    /// Sign-extended displacement (a moffs address is zero-extended).
    pub disp: i64,
    pub rip_relative: bool,
    /// Address size in bytes: 2, 4 or 8.
    pub addr_size: u8,
}

/// Reads guest general-purpose registers, for [`effective_address`].
pub trait RegFile {
    fn gpr(&self, reg: Gpr) -> u64;
}

/// The effective (segment-relative) address of `m`; `rip_next` is the address of the next
/// instruction, used by RIP-relative operands.
pub fn effective_address(m: &MemOperand, regs: &impl RegFile, rip_next: u64) -> u64 {
    let mut ea = m.disp as u64;
    if m.rip_relative {
        ea = ea.wrapping_add(rip_next);
    }
    if let Some(base) = m.base {
        ea = ea.wrapping_add(regs.gpr(base));
    }
    if let Some((index, scale)) = m.index {
        ea = ea.wrapping_add(regs.gpr(index).wrapping_mul(u64::from(scale)));
    }
    truncate(ea, m.addr_size)
}

/// `value` cut to `size` bytes (1, 2, 4; anything else keeps all 64 bits).
pub fn truncate(value: u64, size: u8) -> u64 {
    match size {
        1 => value & 0xff,
        2 => value & 0xffff,
        4 => value & 0xffff_ffff,
        _ => value,
    }
}

/// An I/O port operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Port {
    Imm(u8),
    Dx,
}

/// A register or memory operand (LMSW, SMSW, INVLPG's sources).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegOrMem {
    Reg(Gpr),
    Mem(MemOperand),
}

/// The non-memory operand of a MOV or ALU instruction with a memory operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegOrImm {
    Reg(Reg),
    /// The immediate, sign-extended to 64 bits (callers truncate to the operand size).
    Imm(i64),
}

/// Which way data moves between memory and the other operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    /// Memory is the source (the register is written; CMP/TEST write only flags).
    Load,
    /// Memory is the destination.
    Store,
}

/// An arithmetic/logic operation with a memory operand (what Linux's MMIO accessors and
/// drivers emit besides MOV: `orl`, `andl`, `testb` on registers of a device).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AluOp {
    Add,
    Or,
    And,
    Sub,
    Xor,
    Cmp,
    Test,
}

/// The decoded operation. Register forms of MOV/ALU (no memory operand) and every
/// instruction not listed are [`Op::Other`]: only their length is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Vmmcall,
    Vmcall,
    Vmrun,
    Cpuid,
    Hlt,
    Rdmsr,
    Wrmsr,
    Xsetbv,
    Invlpg {
        mem: MemOperand,
    },
    Invlpga,
    Rdtsc,
    Rdtscp,
    Wbinvd,
    Invd,
    Pause,
    /// MOV CRn, reg (0F 22). `cr` includes REX.R and AMD's LOCK alias for CR8.
    MovToCr {
        cr: u8,
        gpr: Gpr,
    },
    /// MOV reg, CRn (0F 20).
    MovFromCr {
        cr: u8,
        gpr: Gpr,
    },
    /// MOV DRn, reg (0F 23).
    MovToDr {
        dr: u8,
        gpr: Gpr,
    },
    /// MOV reg, DRn (0F 21).
    MovFromDr {
        dr: u8,
        gpr: Gpr,
    },
    Clts,
    /// LMSW r/m16.
    Lmsw {
        src: RegOrMem,
    },
    /// SMSW r/m: `size` is the operand size (2 for a memory destination).
    Smsw {
        dst: RegOrMem,
        size: u8,
    },
    /// IN AL/AX/EAX, port.
    In {
        port: Port,
        size: u8,
    },
    /// OUT port, AL/AX/EAX.
    Out {
        port: Port,
        size: u8,
    },
    /// INS to ES:rDI from port DX; `rep` is an F2 or F3 prefix (both repeat).
    Ins {
        size: u8,
        rep: bool,
    },
    /// OUTS from seg:rSI (DS unless overridden) to port DX.
    Outs {
        size: u8,
        rep: bool,
        seg: Seg,
    },
    /// MOV between memory and a register or an immediate (88, 89, 8A, 8B, A0-A3, C6, C7).
    Mov {
        dir: Dir,
        size: u8,
        other: RegOrImm,
        mem: MemOperand,
    },
    /// MOVZX/MOVSX reg, mem (0F B6/B7/BE/BF, and MOVSXD 63): `size` is the memory
    /// operand's, `dst_size` the register's.
    Movzx {
        dst: Reg,
        dst_size: u8,
        size: u8,
        mem: MemOperand,
    },
    Movsx {
        dst: Reg,
        dst_size: u8,
        size: u8,
        mem: MemOperand,
    },
    /// STOS to ES:rDI.
    Stos {
        size: u8,
        rep: bool,
    },
    /// MOVS from seg:rSI (DS unless overridden) to ES:rDI.
    Movs {
        size: u8,
        rep: bool,
        seg: Seg,
    },
    /// ADD/OR/AND/SUB/XOR/CMP/TEST with a memory operand. `Dir::Store` writes memory
    /// (CMP and TEST never write).
    Alu {
        op: AluOp,
        dir: Dir,
        size: u8,
        other: RegOrImm,
        mem: MemOperand,
    },
    /// Any other valid instruction: only the length is known.
    Other,
}

/// A decoded instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insn {
    /// Length in bytes, 1 to 15.
    pub len: u8,
    pub op: Op,
    pub prefixes: Prefixes,
    /// Effective operand size in bytes (2, 4 or 8) from the mode, 0x66 and REX.W.
    pub op_size: u8,
    /// Effective address size in bytes (2, 4 or 8) from the mode and 0x67: the width of rSI,
    /// rDI and rCX for string instructions.
    pub addr_size: u8,
}
