//! x86 instruction decoder for the exits that need one: the length of every instruction (QEMU
//! TCG's SVM gives no next-RIP and no decode assists), the operands of CR/DR moves, IN/OUT and
//! their string and REP forms, and of the loads and stores that hit MMIO.
//!
//! Sources: AMD APM vol. 3 chapter 1 ("Instruction Encoding") and appendix A (opcode maps),
//! vol. 2 §15.9-15.13 (the intercepted instructions), Intel SDM vol. 2 chapter 2 (EVEX). Xen
//! does the same job with its full emulator's decoder (`xen/arch/x86/x86_emulate/decode.c`,
//! `x86_insn_length()` and `x86_decode_insn()` used by `hvm/emulate.c`); this one only
//! decodes, it never executes.
//!
//! # Own decoder, with iced-x86 as the test oracle
//!
//! iced-x86 1.22 (`default-features = false, features = ["decoder", "no_std"]`) decodes
//! everything exactly, but linked into the release x86_64 kernel it grew `.text` from 206,202
//! to 287,290 bytes (+81 KiB, +39 %) and `.rodata` from 45,805 to 78,125 bytes (+32 KiB), and
//! it builds its handler tables on the heap at first use (lazy_static). This decoder adds
//! OWN_SIZE (measured the same way: `cargo kbuild-x86 -p ferrite --bin ferrite --release`,
//! `size -A`). Ferrite needs lengths plus the operands of a handful of instructions, which a
//! table of ModRM/immediate attributes per opcode gives in a few hundred lines of safe code.
//!
//! iced-x86 stays a host-only dev-dependency: `tests::oracle` (proptest over random bytes in
//! every mode) and the `decode` fuzz target decode each input with both and require:
//! - when iced says valid: the same length, and the same operands for every [`Op`] decoded
//!   here (iced decodes with `DecoderOptions::AMD`: 16-bit near branches in 64-bit mode,
//!   UD0 without ModRM, LOCK MOV CR0 = CR8, as Ferrite's SVM guests see them);
//! - when this decoder says [`DecodeError::Invalid`] or [`DecodeError::TooLong`]: iced says
//!   invalid too.
//!
//! Known, accepted difference: this decoder checks validity only where it changes how the
//! bytes are read (opcodes removed in 64-bit mode, undefined opcodes, VEX/EVEX/XOP prefix
//! rules, invalid CR/DR numbers). For other #UD encodings (LOCK on a non-lockable instruction,
//! a register operand where only memory is allowed, an undefined ModRM.reg in a group,
//! undefined 0F 38/0F 3A/VEX/EVEX/XOP opcodes or vector lengths) it returns a length and
//! [`Op::Other`]. That is harmless: the CPU raises #UD for those before any memory access or
//! intercept, so such bytes reach the decoder only if the guest rewrote its code after the
//! exit, and then they are re-executed and fault in the guest.

mod cursor;
mod decoder;
mod insn;
mod modrm;
mod ops;
mod tables;
mod vex;

#[cfg(test)]
mod differential;
#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;

pub use decoder::decode;
pub use insn::{
    AluOp, DecodeError, Dir, Gpr, Insn, MemOperand, Mode, Op, Port, Prefixes, Reg, RegFile,
    RegOrImm, RegOrMem, Rep, Seg, effective_address, truncate,
};
