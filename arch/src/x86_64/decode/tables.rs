//! Per-opcode encoding attributes of the legacy maps: whether a ModRM byte follows and how
//! large the immediate is. Sources: AMD APM vol. 3 appendix A ("Opcode and Operand
//! Encodings": tables A-1 one-byte, A-2/A-3 0F two-byte, A-7 group 3, A-13 3DNow!) and the
//! SSE4a EXTRQ/INSERTQ pages. Validity is decided only where it changes how the bytes are
//! read (64-bit-only removals, undefined opcodes); see the module doc of `decode` for what is
//! left to the CPU.

/// The immediate (or displacement-like trailing field) of an opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Imm {
    None,
    /// 1 byte (Ib, Jb).
    B,
    /// 2 bytes (Iw).
    W,
    /// 2 bytes with a 16-bit operand size, else 4 (Iz, Jz).
    Z,
    /// The operand size: 2, 4 or 8 (MOV reg, imm: B8-BF).
    V,
    /// ENTER: Iw then Ib.
    WB,
    /// A far pointer: offset (Iz) then selector (Iw).
    Ptr,
    /// A memory offset of the address size (A0-A3).
    Moffs,
    /// Group 3 (F6): Ib only for /0 and /1 (TEST).
    Group3B,
    /// Group 3 (F7): Iz only for /0 and /1 (TEST).
    Group3Z,
    /// 4 bytes (XOP map 0Ah: BEXTR, LWPINS, LWPVAL).
    Id,
    /// 0F 78: two Ib with a 66 or F2 mandatory prefix (EXTRQ/INSERTQ), else none (VMREAD).
    Sse4a,
}

/// Where an opcode exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Valid {
    Always,
    /// Removed in 64-bit mode.
    Not64,
    Never,
}

/// How one opcode is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Attr {
    pub modrm: bool,
    pub imm: Imm,
    pub valid: Valid,
}

pub(super) const fn a(modrm: bool, imm: Imm, valid: Valid) -> Attr {
    Attr { modrm, imm, valid }
}

const NONE: Attr = a(false, Imm::None, Valid::Always);
const M: Attr = a(true, Imm::None, Valid::Always);
const INVALID: Attr = a(false, Imm::None, Valid::Never);
const NOT64: Attr = a(false, Imm::None, Valid::Not64);

/// Every 0F 38 opcode has a ModRM byte and no immediate; every 0F 3A opcode adds an Ib.
pub(super) const MAP_0F38: Attr = M;
pub(super) const MAP_0F3A: Attr = a(true, Imm::B, Valid::Always);

/// The one-byte opcode map (prefixes, REX, VEX, EVEX and XOP are handled before it).
pub(super) const fn one_byte(op: u8) -> Attr {
    match op {
        // ALU ops: Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev, then AL,Ib / rAX,Iz.
        0x00..=0x3f if op & 7 < 4 => M,
        0x00..=0x3f if op & 7 == 4 => a(false, Imm::B, Valid::Always),
        0x00..=0x3f if op & 7 == 5 => a(false, Imm::Z, Valid::Always),
        // PUSH/POP ES/CS/SS/DS, DAA/DAS/AAA/AAS. (0F and the segment prefixes never reach here.)
        0x06 | 0x07 | 0x0e | 0x16 | 0x17 | 0x1e | 0x1f | 0x27 | 0x2f | 0x37 | 0x3f => NOT64,
        // INC/DEC (REX in 64-bit mode), PUSH/POP reg.
        0x40..=0x5f => NONE,
        0x60 | 0x61 => NOT64,
        0x62 => a(true, Imm::None, Valid::Not64),
        0x63 => M,
        0x68 => a(false, Imm::Z, Valid::Always),
        0x69 => a(true, Imm::Z, Valid::Always),
        0x6a => a(false, Imm::B, Valid::Always),
        0x6b => a(true, Imm::B, Valid::Always),
        0x6c..=0x6f => NONE,
        0x70..=0x7f => a(false, Imm::B, Valid::Always),
        0x80 | 0x83 => a(true, Imm::B, Valid::Always),
        0x81 => a(true, Imm::Z, Valid::Always),
        0x82 => a(true, Imm::B, Valid::Not64),
        0x84..=0x8f => M,
        0x9a => a(false, Imm::Ptr, Valid::Not64),
        0x90..=0x9f => NONE,
        0xa0..=0xa3 => a(false, Imm::Moffs, Valid::Always),
        0xa8 => a(false, Imm::B, Valid::Always),
        0xa9 => a(false, Imm::Z, Valid::Always),
        0xa4..=0xaf => NONE,
        0xb0..=0xb7 => a(false, Imm::B, Valid::Always),
        0xb8..=0xbf => a(false, Imm::V, Valid::Always),
        0xc0 | 0xc1 | 0xc6 => a(true, Imm::B, Valid::Always),
        0xc7 => a(true, Imm::Z, Valid::Always),
        0xc2 | 0xca => a(false, Imm::W, Valid::Always),
        0xc4 | 0xc5 => a(true, Imm::None, Valid::Not64),
        0xc8 => a(false, Imm::WB, Valid::Always),
        0xcd => a(false, Imm::B, Valid::Always),
        0xce => NOT64,
        0xc3 | 0xc9 | 0xcb | 0xcc | 0xcf => NONE,
        0xd0..=0xd3 => M,
        0xd4 | 0xd5 => a(false, Imm::B, Valid::Not64),
        // SALC (undocumented, decoded by CPUs and iced alike).
        0xd6 => NOT64,
        0xd7 => NONE,
        0xd8..=0xdf => M,
        0xe0..=0xe7 | 0xeb => a(false, Imm::B, Valid::Always),
        0xe8 | 0xe9 => a(false, Imm::Z, Valid::Always),
        0xea => a(false, Imm::Ptr, Valid::Not64),
        0xec..=0xef => NONE,
        0xf6 => a(true, Imm::Group3B, Valid::Always),
        0xf7 => a(true, Imm::Group3Z, Valid::Always),
        0xfe | 0xff => M,
        // F1 (INT1), F4, F5, F8-FD; the prefixes F0/F2/F3 never reach here.
        _ => NONE,
    }
}

/// The two-byte map (0F xx); 0F 38 and 0F 3A are escapes handled by the caller.
pub(super) const fn two_byte(op: u8) -> Attr {
    match op {
        0x00..=0x03 | 0x0d => M,
        0x04 | 0x0a | 0x0c => INVALID,
        0x05..=0x09 | 0x0b | 0x0e => NONE,
        // 3DNow!: ModRM, then the opcode suffix byte, read like an Ib.
        0x0f => a(true, Imm::B, Valid::Always),
        0x10..=0x23 => M,
        // MOV to/from test registers: 386/486 only.
        0x24..=0x27 => INVALID,
        0x28..=0x2f => M,
        0x30..=0x35 | 0x37 => NONE,
        0x36 | 0x39 | 0x3b..=0x3f => INVALID,
        0x70..=0x73 => a(true, Imm::B, Valid::Always),
        0x77 => NONE,
        0x78 => a(true, Imm::Sse4a, Valid::Always),
        0x7a | 0x7b => INVALID,
        0x40..=0x7f => M,
        0x80..=0x8f => a(false, Imm::Z, Valid::Always),
        0x90..=0x9f => M,
        0xa0..=0xa2 | 0xa8..=0xaa => NONE,
        0xa4 | 0xac | 0xba | 0xc2 | 0xc4..=0xc6 => a(true, Imm::B, Valid::Always),
        0xc8..=0xcf => NONE,
        // UD0 has no ModRM byte on AMD.
        0xff => NONE,
        _ => M,
    }
}

/// Whether a VEX/EVEX opcode in map 1 (0F) takes an Ib.
pub(super) const fn map1_has_ib(op: u8) -> bool {
    matches!(op, 0x70..=0x73 | 0xc2 | 0xc4..=0xc6)
}

/// Whether LOCK may prefix this instruction (APM vol. 3 §1.2.5 "Lock Prefix"): only the
/// read-modify-write instructions with a memory destination; anything else is #UD. `map` is 1
/// for the one-byte map, 2 for 0F; `reg` is ModRM.reg without REX.R. AMD's LOCK MOV CR0 alias
/// (0F 20/22) is checked by the operand decoder.
pub(super) const fn lockable(map: u8, op: u8, mem: bool, reg: u8) -> bool {
    match (map, op) {
        (2, 0x20 | 0x22) => true,
        _ if !mem => false,
        // ADD, OR, ADC, SBB, AND, SUB, XOR with r/m as the destination.
        (1, 0x00..=0x31) => op & 7 < 2,
        (1, 0x80..=0x83) => reg != 7,
        (1, 0x86 | 0x87) => true,
        (1, 0xf6 | 0xf7) => reg == 2 || reg == 3,
        (1, 0xfe | 0xff) => reg < 2,
        (2, 0xab | 0xb3 | 0xbb | 0xb0 | 0xb1 | 0xc0 | 0xc1) => true,
        (2, 0xba) => reg >= 5,
        (2, 0xc7) => reg == 1,
        _ => false,
    }
}

/// Whether the ModRM byte selects a defined form of a one-byte-map group opcode (APM vol. 3
/// table A-6): undefined ModRM.reg values, and register forms of memory-only operations, are
/// #UD.
pub(super) const fn one_byte_modrm_valid(op: u8, modrm: u8) -> bool {
    let reg = (modrm >> 3) & 7;
    let is_reg = modrm >= 0xc0;
    match op {
        // MOV from/to a segment register: ES-GS only, and never a load of CS.
        0x8c => reg < 6,
        0x8e => reg < 6 && reg != 1,
        // LEA needs a memory operand.
        0x8d => !is_reg,
        // POP r/m is /0 (other values are XOP when the map field is 8 or more).
        0x8f => reg == 0,
        // MOV r/m, imm is /0; C6 F8 is XABORT, C7 F8 XBEGIN.
        0xc6 | 0xc7 => reg == 0 || modrm == 0xf8,
        // INC/DEC r/m8.
        0xfe => reg < 2,
        // FF /3 and /5 (far CALL/JMP) need memory; /7 is undefined.
        0xff => reg != 7 && !(is_reg && (reg == 3 || reg == 5)),
        _ => true,
    }
}
