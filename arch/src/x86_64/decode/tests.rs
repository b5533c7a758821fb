//! Hand-written encodings for every decoded operation in each mode (each also checked
//! against iced-x86 through `oracle.rs`).

use super::oracle::{self, MODES, Outcome};
use super::*;

use Mode::{Long64, Prot16, Prot32, Real16};

pub(super) fn d(bytes: &[u8], mode: Mode) -> Insn {
    match decode(bytes, mode) {
        Ok(insn) => insn,
        Err(e) => panic!("{mode:?} {bytes:02x?}: {e:?}"),
    }
}

/// Decodes, checks the length, and returns the operation.
pub(super) fn op(bytes: &[u8], mode: Mode) -> Op {
    let insn = d(bytes, mode);
    assert_eq!(usize::from(insn.len), bytes.len(), "{mode:?} {bytes:02x?}");
    // Every hand-written case must agree with the oracle as well.
    assert_eq!(oracle::check(bytes, mode), Ok(Outcome::BothValid));
    insn.op
}

pub(super) fn mem(base: Option<Gpr>, disp: i64, addr_size: u8) -> MemOperand {
    MemOperand {
        seg: match base {
            Some(Gpr::Rbp | Gpr::Rsp) => Seg::Ss,
            _ => Seg::Ds,
        },
        base,
        index: None,
        disp,
        rip_relative: false,
        addr_size,
    }
}

pub(super) fn reg(gpr: Gpr) -> RegOrImm {
    RegOrImm::Reg(Reg {
        gpr,
        high_byte: false,
    })
}

#[test]
fn intercepted_instructions_in_every_mode() {
    let cases: [(&[u8], Op); 16] = [
        (&[0x0f, 0x01, 0xd9], Op::Vmmcall),
        (&[0x0f, 0x01, 0xc1], Op::Vmcall),
        (&[0x0f, 0x01, 0xd8], Op::Vmrun),
        (&[0x0f, 0xa2], Op::Cpuid),
        (&[0xf4], Op::Hlt),
        (&[0x0f, 0x32], Op::Rdmsr),
        (&[0x0f, 0x30], Op::Wrmsr),
        (&[0x0f, 0x01, 0xd1], Op::Xsetbv),
        (&[0x0f, 0x01, 0xdf], Op::Invlpga),
        (&[0x0f, 0x31], Op::Rdtsc),
        (&[0x0f, 0x01, 0xf9], Op::Rdtscp),
        (&[0x0f, 0x09], Op::Wbinvd),
        (&[0x0f, 0x08], Op::Invd),
        (&[0xf3, 0x90], Op::Pause),
        (&[0x0f, 0x06], Op::Clts),
        (
            &[0x0f, 0x01, 0xf0],
            Op::Lmsw {
                src: RegOrMem::Reg(Gpr::Rax),
            },
        ),
    ];
    for mode in MODES {
        for (bytes, expected) in cases {
            assert_eq!(op(bytes, mode), expected, "{mode:?} {bytes:02x?}");
        }
    }
}

#[test]
fn prefixed_intercepts_have_their_full_length() {
    // Redundant prefixes in front of VMMCALL/CPUID: the old fixed lengths got these wrong.
    assert_eq!(op(&[0x66, 0x0f, 0x01, 0xd9], Long64), Op::Vmmcall);
    assert_eq!(op(&[0x2e, 0x3e, 0x0f, 0x01, 0xd9], Prot32), Op::Vmmcall);
    assert_eq!(op(&[0x48, 0x0f, 0x01, 0xd9], Long64), Op::Vmmcall);
    assert_eq!(op(&[0x66, 0x67, 0x0f, 0xa2], Real16), Op::Cpuid);
    // F3 0F 01 D9 is VMGEXIT, F3 0F 09 is WBNOINVD.
    assert_eq!(op(&[0xf3, 0x0f, 0x01, 0xd9], Long64), Op::Other);
    assert_eq!(op(&[0xf3, 0x0f, 0x09], Long64), Op::Other);
    // In 32-bit mode 0x48 is DEC EAX, a whole instruction of its own.
    assert_eq!(d(&[0x48, 0x0f, 0x01, 0xd9], Prot32).len, 1);
    // Invlpg decodes its address.
    assert_eq!(
        op(&[0x0f, 0x01, 0x38], Long64),
        Op::Invlpg {
            mem: mem(Some(Gpr::Rax), 0, 8)
        }
    );
    assert_eq!(
        op(&[0x0f, 0x01, 0x38], Real16),
        Op::Invlpg {
            mem: MemOperand {
                index: Some((Gpr::Rsi, 1)),
                ..mem(Some(Gpr::Rbx), 0, 2)
            }
        }
    );
}

#[test]
fn control_and_debug_register_moves() {
    for mode in [Prot16, Prot32, Long64] {
        // mov eax, cr3 (mod is ignored: 0f 20 18 is the same instruction).
        let cr3 = Op::MovFromCr {
            cr: 3,
            gpr: Gpr::Rax,
        };
        assert_eq!(op(&[0x0f, 0x20, 0xd8], mode), cr3);
        assert_eq!(op(&[0x0f, 0x20, 0x18], mode), cr3);
        assert_eq!(
            op(&[0x0f, 0x22, 0xe3], mode),
            Op::MovToCr {
                cr: 4,
                gpr: Gpr::Rbx
            }
        );
        assert_eq!(
            op(&[0x0f, 0x23, 0xf8], mode),
            Op::MovToDr {
                dr: 7,
                gpr: Gpr::Rax
            }
        );
        assert_eq!(
            op(&[0x0f, 0x21, 0xc9], mode),
            Op::MovFromDr {
                dr: 1,
                gpr: Gpr::Rcx
            }
        );
        // CR1 and CR5 do not exist.
        assert_eq!(decode(&[0x0f, 0x20, 0xc8], mode), Err(DecodeError::Invalid));
        assert_eq!(decode(&[0x0f, 0x22, 0xe8], mode), Err(DecodeError::Invalid));
    }
    // mov cr8, rax (REX.R) and mov r9, cr8 (REX.R+B).
    assert_eq!(
        op(&[0x44, 0x0f, 0x22, 0xc0], Long64),
        Op::MovToCr {
            cr: 8,
            gpr: Gpr::Rax
        }
    );
    assert_eq!(
        op(&[0x45, 0x0f, 0x20, 0xc1], Long64),
        Op::MovFromCr {
            cr: 8,
            gpr: Gpr::R9
        }
    );
    // AMD's LOCK MOV CR0 alias for CR8, from 32-bit code.
    let insn = d(&[0xf0, 0x0f, 0x22, 0xc0], Prot32);
    assert_eq!(
        (insn.len, insn.op, insn.prefixes.lock),
        (
            4,
            Op::MovToCr {
                cr: 8,
                gpr: Gpr::Rax
            },
            false
        )
    );
    // DR8 does not exist; LOCK with REX.R is invalid.
    assert_eq!(
        decode(&[0x44, 0x0f, 0x21, 0xc0], Long64),
        Err(DecodeError::Invalid)
    );
    assert_eq!(
        decode(&[0xf0, 0x44, 0x0f, 0x22, 0xc0], Long64),
        Err(DecodeError::Invalid)
    );
    // CLTS, LMSW and SMSW.
    assert_eq!(
        op(&[0x0f, 0x01, 0x20], Prot32),
        Op::Smsw {
            dst: RegOrMem::Mem(mem(Some(Gpr::Rax), 0, 4)),
            size: 2
        }
    );
    assert_eq!(
        op(&[0x48, 0x0f, 0x01, 0xe1], Long64),
        Op::Smsw {
            dst: RegOrMem::Reg(Gpr::Rcx),
            size: 8
        }
    );
    assert_eq!(
        op(&[0x0f, 0x01, 0x76, 0x02], Real16),
        Op::Lmsw {
            src: RegOrMem::Mem(mem(Some(Gpr::Rbp), 2, 2))
        }
    );
}

#[test]
fn port_io() {
    for mode in MODES {
        let wide = if matches!(mode, Real16 | Prot16) {
            2
        } else {
            4
        };
        let narrow = 6 - wide;
        let imm = Port::Imm(0x60);
        assert_eq!(op(&[0xe4, 0x60], mode), Op::In { port: imm, size: 1 });
        assert_eq!(
            op(&[0xe5, 0x60], mode),
            Op::In {
                port: imm,
                size: wide
            }
        );
        assert_eq!(
            op(&[0x66, 0xe5, 0x60], mode),
            Op::In {
                port: imm,
                size: narrow
            }
        );
        assert_eq!(
            op(&[0xed], mode),
            Op::In {
                port: Port::Dx,
                size: wide
            }
        );
        assert_eq!(
            op(&[0xee], mode),
            Op::Out {
                port: Port::Dx,
                size: 1
            }
        );
        assert_eq!(
            op(&[0xe7, 0x70], mode),
            Op::Out {
                port: Port::Imm(0x70),
                size: wide
            }
        );
        assert_eq!(op(&[0xf3, 0x6c], mode), Op::Ins { size: 1, rep: true });
        assert_eq!(op(&[0xf2, 0x6c], mode), Op::Ins { size: 1, rep: true });
        assert_eq!(
            op(&[0x6d], mode),
            Op::Ins {
                size: wide,
                rep: false
            }
        );
        assert_eq!(
            op(&[0x66, 0xf3, 0x6f], mode),
            Op::Outs {
                size: narrow,
                rep: true,
                seg: Seg::Ds
            }
        );
        assert_eq!(
            op(&[0x2e, 0x6e], mode),
            Op::Outs {
                size: 1,
                rep: false,
                seg: Seg::Cs
            }
        );
    }
    // REX.W does not widen I/O; 0x67 picks ECX/ESI/EDI for the string forms.
    assert_eq!(
        op(&[0x48, 0xed], Long64),
        Op::In {
            port: Port::Dx,
            size: 4
        }
    );
    let insn = d(&[0x67, 0xf3, 0x6d], Long64);
    assert_eq!((insn.len, insn.addr_size), (3, 4));
    assert_eq!(d(&[0x67, 0xf3, 0x6d], Real16).addr_size, 4);
}

#[test]
fn lengths_of_other_encodings() {
    let cases: [(&[u8], Mode); 18] = [
        // AMD: 0x66 makes a near call rel16 in 64-bit mode; REX.W overrides it.
        (&[0x66, 0xe8, 0, 0], Long64),
        (&[0x66, 0x48, 0xe8, 0, 0, 0, 0], Long64),
        (&[0xe8, 0, 0], Prot16),
        // XBEGIN's displacement follows the operand size like a near branch.
        (&[0x66, 0xc7, 0xf8, 0, 0], Long64),
        (&[0x66, 0x0f, 0x84, 0, 0], Long64),
        // VEX, EVEX (disp8*N), XOP, 3DNow!, SSE4a, 0F 3A, UD0 (no ModRM on AMD).
        (&[0xc5, 0xf8, 0x77], Long64),
        (&[0xc4, 0xe2, 0x79, 0x18, 0x00], Prot32),
        (&[0x62, 0xf1, 0x7c, 0x48, 0x10, 0x40, 0x01], Long64),
        (&[0x8f, 0xe8, 0x78, 0xc0, 0xc8, 0x01], Long64),
        (&[0x8f, 0xea, 0x78, 0x10, 0xc0, 1, 2, 3, 4], Long64),
        (&[0x0f, 0x0f, 0xc1, 0xb4], Prot32),
        (&[0x66, 0x0f, 0x78, 0xc0, 0x01, 0x02], Long64),
        (&[0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x08], Long64),
        (&[0x0f, 0xff], Long64),
        // LES (not VEX) outside 64-bit mode when ModRM.mod != 11b.
        (&[0xc4, 0x06], Prot32),
        // An SSE load that may hit MMIO: length only.
        (&[0x66, 0x0f, 0x6f, 0x80, 0, 0, 0, 0], Prot32),
        // 15 bytes: 14 prefixes and a NOP; ENTER with its two immediates.
        (&[0x66; 15], Prot32),
        (&[0xc8, 0x10, 0x00, 0x01], Real16),
    ];
    for (bytes, mode) in cases {
        let bytes = if bytes == [0x66; 15] {
            &[
                0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                0x90,
            ][..]
        } else {
            bytes
        };
        assert_eq!(op(bytes, mode), Op::Other, "{mode:?} {bytes:02x?}");
    }
}

#[test]
fn errors_are_values() {
    assert_eq!(
        decode(&[], Long64),
        Err(DecodeError::Truncated { needed: 1 })
    );
    assert_eq!(
        decode(&[0x66, 0x0f], Long64),
        Err(DecodeError::Truncated { needed: 3 })
    );
    // Once the ModRM byte is read the exact length is known.
    assert_eq!(
        decode(&[0x8b, 0x05, 0x00], Long64),
        Err(DecodeError::Truncated { needed: 6 })
    );
    assert_eq!(
        decode(&[0xc7, 0x80], Prot32),
        Err(DecodeError::Truncated { needed: 10 })
    );
    assert_eq!(decode(&[0x66; 16], Long64), Err(DecodeError::TooLong));
    let mut long = [0x66u8; 16];
    long[14] = 0xb8;
    assert_eq!(decode(&long, Prot32), Err(DecodeError::TooLong));
    assert_eq!(decode(&[0x06], Long64), Err(DecodeError::Invalid));
    assert_eq!(d(&[0x06], Prot32).len, 1);
    assert_eq!(decode(&[0x0f, 0x04], Prot32), Err(DecodeError::Invalid));
    assert_eq!(
        decode(&[0xc4, 0xe0, 0x78, 0x10, 0xc0], Long64),
        Err(DecodeError::Invalid)
    );
    assert_eq!(
        decode(&[0x66, 0xc5, 0xf8, 0x77], Long64),
        Err(DecodeError::Invalid)
    );
    // LOCK only on read-modify-write instructions with a memory destination.
    assert_eq!(
        decode(&[0xf0, 0x89, 0x08], Prot32),
        Err(DecodeError::Invalid)
    );
    assert_eq!(
        decode(&[0xf0, 0x01, 0xc8], Prot32),
        Err(DecodeError::Invalid)
    );
    let locked = d(&[0xf0, 0x01, 0x08], Prot32);
    assert!(locked.prefixes.lock && matches!(locked.op, Op::Alu { op: AluOp::Add, .. }));
    // Undefined group members and register forms of memory-only instructions.
    assert_eq!(decode(&[0xfe, 0x10], Prot32), Err(DecodeError::Invalid));
    assert_eq!(decode(&[0x8d, 0xc0], Prot32), Err(DecodeError::Invalid));
    assert_eq!(
        decode(&[0xc7, 0xc8, 0, 0, 0, 0], Prot32),
        Err(DecodeError::Invalid)
    );
    assert_eq!(decode(&[0xff, 0xd8], Long64), Err(DecodeError::Invalid));
}

pub(super) struct Regs(pub(super) [u64; 16]);

impl RegFile for Regs {
    fn gpr(&self, reg: Gpr) -> u64 {
        self.0[reg as usize]
    }
}

#[test]
fn effective_addresses_wrap_at_the_address_size() {
    let mut regs = Regs([0; 16]);
    regs.0[Gpr::Rbx as usize] = 0xffff;
    regs.0[Gpr::Rsi as usize] = 2;
    let Op::Mov { mem: bx_si, .. } = op(&[0x8b, 0x00], Real16) else {
        panic!("not a mov");
    };
    assert_eq!(effective_address(&bx_si, &regs, 0), 1);
    regs.0[Gpr::Rax as usize] = 0xffff_fff0;
    let Op::Mov { mem: eax, .. } = op(&[0x8b, 0x40, 0x20], Prot32) else {
        panic!("not a mov");
    };
    assert_eq!(effective_address(&eax, &regs, 0), 0x10);
    let Op::Mov { mem: rax, .. } = op(&[0x8b, 0x40, 0xf0], Long64) else {
        panic!("not a mov");
    };
    assert_eq!(effective_address(&rax, &regs, 0), 0xffff_ffe0);
}

#[test]
fn mode_from_control_state() {
    assert_eq!(Mode::from_state(false, false, false, false), Real16);
    assert_eq!(Mode::from_state(true, false, false, false), Prot16);
    assert_eq!(Mode::from_state(true, false, false, true), Prot32);
    assert_eq!(Mode::from_state(true, true, true, false), Long64);
    // Compatibility mode decodes like protected mode.
    assert_eq!(Mode::from_state(true, true, false, true), Prot32);
}
