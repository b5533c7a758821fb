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
//! everything exactly, but it is large. Linked into the release x86_64 kernel (one call to
//! `Decoder::decode` from the boot path, `cargo kbuild-x86 -p ferrite --bin ferrite --release`,
//! `size -A`), it grew `.text` from 206,202 to 287,290 bytes (+81,088) and `.rodata` from
//! 45,805 to 78,125 (+32,320), 113 KB in all, and it also builds its handler tables on the
//! heap at first use (lazy_static). This decoder, measured the same way, adds 8,928 bytes of
//! `.text` and 8,560 of `.rodata` (17 KB, mostly match jump tables), allocates nothing and
//! has no `unsafe`. Ferrite needs lengths plus the operands of a handful of instructions,
//! which per-opcode ModRM/immediate attributes give in about 1,400 lines with comments.
//!
//! iced-x86 stays a host-only dev-dependency, the oracle (`oracle.rs`) of the differential
//! tests (`differential.rs`: proptest and a seeded run over random bytes in every mode) and of
//! the `decode` fuzz target, which decode each input with both and require:
//! - when iced says valid: the same length, and the same operands for every [`Op`] decoded
//!   here (iced decodes with `DecoderOptions::AMD`: 16-bit near branches in 64-bit mode,
//!   UD0 without ModRM, LOCK MOV CR0 = CR8, as Ferrite's SVM guests see them; a VMX
//!   backend would need Intel's reading of 66-prefixed near branches, a `Mode` option);
//! - when this decoder says [`DecodeError::Invalid`] or [`DecodeError::TooLong`]: iced says
//!   invalid too.
//!
//! Known, accepted difference: this decoder checks validity where it changes how the bytes
//! are read (opcodes removed in 64-bit mode, undefined opcodes, VEX/EVEX/XOP prefix rules),
//! for LOCK, for the one-byte groups' ModRM.reg values, and for CR/DR numbers. For the other
//! #UD encodings (undefined x87 forms, undefined 0F 38/0F 3A/VEX/EVEX/XOP opcodes or vector
//! lengths, register forms of memory-only 0F instructions, a mandatory prefix that an opcode
//! does not take) it returns the length and the operation its opcode would name. About 1 %
//! of random 15-byte inputs fall in this class. That is harmless: the CPU raises #UD for
//! those before any memory access or intercept, so such bytes reach the decoder only if the
//! guest changed its code between the exit and the fetch, a race that every emulator (Xen's
//! included) leaves to the guest.

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
mod mmio_tests;
#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;

pub use decoder::decode;
pub use insn::{
    AluOp, DecodeError, Dir, Gpr, Insn, MemOperand, Mode, Op, Port, Prefixes, Reg, RegFile,
    RegOrImm, RegOrMem, Rep, Seg, effective_address, truncate,
};
