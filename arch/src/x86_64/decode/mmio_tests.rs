//! Hand-written encodings of the loads and stores a guest aims at MMIO: MOV (ModRM, moffs,
//! immediate), MOVZX/MOVSX/MOVSXD, STOS, MOVS and the ALU operations, with 16-, 32- and
//! 64-bit addressing, SIB, RIP-relative operands and segment overrides.

use super::tests::{Regs, d, mem, op, reg};
use super::*;

use Mode::{Long64, Prot16, Prot32, Real16};

#[test]
fn mmio_moves() {
    let eax = mem(Some(Gpr::Rax), 0, 4);
    // mov [eax], ecx / mov ecx, [eax] / mov [eax], ah.
    assert_eq!(
        op(&[0x89, 0x08], Prot32),
        Op::Mov {
            dir: Dir::Store,
            size: 4,
            other: reg(Gpr::Rcx),
            mem: eax
        }
    );
    assert_eq!(
        op(&[0x8b, 0x08], Prot32),
        Op::Mov {
            dir: Dir::Load,
            size: 4,
            other: reg(Gpr::Rcx),
            mem: eax
        }
    );
    let ah = RegOrImm::Reg(Reg {
        gpr: Gpr::Rax,
        high_byte: true,
    });
    assert_eq!(
        op(&[0x88, 0x20], Prot32),
        Op::Mov {
            dir: Dir::Store,
            size: 1,
            other: ah,
            mem: eax
        }
    );
    // With any REX, byte register 4 is SPL.
    assert_eq!(
        op(&[0x40, 0x88, 0x20], Long64),
        Op::Mov {
            dir: Dir::Store,
            size: 1,
            other: reg(Gpr::Rsp),
            mem: mem(Some(Gpr::Rax), 0, 8)
        }
    );
    // mov dword [eax+0x300], 1 and mov qword [rax], -1 (imm32 sign-extended).
    assert_eq!(
        op(&[0xc7, 0x80, 0x00, 0x03, 0, 0, 1, 0, 0, 0], Prot32),
        Op::Mov {
            dir: Dir::Store,
            size: 4,
            other: RegOrImm::Imm(1),
            mem: mem(Some(Gpr::Rax), 0x300, 4)
        }
    );
    assert_eq!(
        op(&[0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff], Long64),
        Op::Mov {
            dir: Dir::Store,
            size: 8,
            other: RegOrImm::Imm(-1),
            mem: mem(Some(Gpr::Rax), 0, 8)
        }
    );
    // RIP-relative load, and its effective address.
    let Op::Mov { mem: rip, .. } = op(&[0x8b, 0x05, 0x00, 0x10, 0, 0], Long64) else {
        panic!("not a mov");
    };
    assert!(rip.rip_relative && rip.base.is_none() && rip.disp == 0x1000);
    assert_eq!(
        effective_address(&rip, &Regs([0; 16]), 0x40_0006),
        0x40_1006
    );
    // 0x67 in 64-bit mode: EIP-relative, 32-bit.
    let Op::Mov { mem: eip, .. } = op(&[0x67, 0x8b, 0x05, 0x00, 0x00, 0x00, 0x80], Long64) else {
        panic!("not a mov");
    };
    assert_eq!(eip.addr_size, 4);
    assert_eq!(
        effective_address(&eip, &Regs([0; 16]), 0x7fff_ff00),
        0xffff_ff00
    );
    // SIB with index and scale: mov [rbx+rsi*4+8], r9d.
    assert_eq!(
        op(&[0x44, 0x89, 0x4c, 0xb3, 0x08], Long64),
        Op::Mov {
            dir: Dir::Store,
            size: 4,
            other: reg(Gpr::R9),
            mem: MemOperand {
                index: Some((Gpr::Rsi, 4)),
                ..mem(Some(Gpr::Rbx), 8, 8)
            }
        }
    );
    // moffs: 4 bytes in 32-bit mode, 8 in 64-bit mode, 4 with 0x67.
    let moffs = |disp, addr_size| MemOperand {
        seg: Seg::Ds,
        ..mem(None, disp, addr_size)
    };
    assert_eq!(
        op(&[0xa1, 0x00, 0x00, 0xe0, 0xfe], Prot32),
        Op::Mov {
            dir: Dir::Load,
            size: 4,
            other: reg(Gpr::Rax),
            mem: moffs(0xfee0_0000, 4)
        }
    );
    assert_eq!(d(&[0xa1, 0, 0, 0xe0, 0xfe, 0, 0, 0, 0], Long64).len, 9);
    assert_eq!(d(&[0x67, 0xa2, 0, 0, 0xe0, 0xfe], Long64).len, 6);
    // 16-bit addressing: mov ax, [bp+4] uses SS; 0x67 switches to 32-bit addressing.
    assert_eq!(
        op(&[0x8b, 0x46, 0x04], Real16),
        Op::Mov {
            dir: Dir::Load,
            size: 2,
            other: reg(Gpr::Rax),
            mem: mem(Some(Gpr::Rbp), 4, 2)
        }
    );
    assert_eq!(
        op(&[0x67, 0x8b, 0x04, 0x24], Real16),
        Op::Mov {
            dir: Dir::Load,
            size: 2,
            other: reg(Gpr::Rax),
            mem: mem(Some(Gpr::Rsp), 0, 4)
        }
    );
    // Segment overrides: the last one wins, except that FS/GS win in 64-bit mode.
    let seg_of = |bytes: &[u8], mode| match op(bytes, mode) {
        Op::Mov { mem, .. } => mem.seg,
        other => panic!("{other:?}"),
    };
    assert_eq!(seg_of(&[0x64, 0x8b, 0x03], Long64), Seg::Fs);
    assert_eq!(seg_of(&[0x64, 0x26, 0x8b, 0x03], Long64), Seg::Fs);
    assert_eq!(seg_of(&[0x64, 0x26, 0x8b, 0x03], Prot32), Seg::Es);
    assert_eq!(seg_of(&[0x36, 0x8b, 0x03], Prot16), Seg::Ss);
}

#[test]
fn mmio_extends_strings_and_alu() {
    let rbx = mem(Some(Gpr::Rbx), 0, 8);
    assert_eq!(
        op(&[0x0f, 0xb6, 0x03], Long64),
        Op::Movzx {
            dst: Reg {
                gpr: Gpr::Rax,
                high_byte: false
            },
            dst_size: 4,
            size: 1,
            mem: rbx
        }
    );
    assert_eq!(
        op(&[0x48, 0x0f, 0xbf, 0x03], Long64),
        Op::Movsx {
            dst: Reg {
                gpr: Gpr::Rax,
                high_byte: false
            },
            dst_size: 8,
            size: 2,
            mem: rbx
        }
    );
    assert_eq!(
        op(&[0x48, 0x63, 0x03], Long64),
        Op::Movsx {
            dst: Reg {
                gpr: Gpr::Rax,
                high_byte: false
            },
            dst_size: 8,
            size: 4,
            mem: rbx
        }
    );
    assert_eq!(op(&[0xf3, 0xab], Prot32), Op::Stos { size: 4, rep: true });
    assert_eq!(
        op(&[0x48, 0xab], Long64),
        Op::Stos {
            size: 8,
            rep: false
        }
    );
    assert_eq!(
        op(&[0xf3, 0xa4], Real16),
        Op::Movs {
            size: 1,
            rep: true,
            seg: Seg::Ds
        }
    );
    assert_eq!(
        op(&[0x64, 0xa5], Long64),
        Op::Movs {
            size: 4,
            rep: false,
            seg: Seg::Fs
        }
    );
    let eax = mem(Some(Gpr::Rax), 0, 4);
    let alu = |op, dir, size, other| Op::Alu {
        op,
        dir,
        size,
        other,
        mem: eax,
    };
    let cases: [(&[u8], Op); 9] = [
        (&[0x01, 0x08], alu(AluOp::Add, Dir::Store, 4, reg(Gpr::Rcx))),
        (&[0x0b, 0x08], alu(AluOp::Or, Dir::Load, 4, reg(Gpr::Rcx))),
        (
            &[0x81, 0x08, 0, 0, 0, 0x80],
            alu(AluOp::Or, Dir::Store, 4, RegOrImm::Imm(-0x8000_0000)),
        ),
        (
            &[0x83, 0x20, 0xf0],
            alu(AluOp::And, Dir::Store, 4, RegOrImm::Imm(-16)),
        ),
        (
            &[0x80, 0x38, 0x05],
            alu(AluOp::Cmp, Dir::Store, 1, RegOrImm::Imm(5)),
        ),
        (
            &[0x85, 0x08],
            alu(AluOp::Test, Dir::Store, 4, reg(Gpr::Rcx)),
        ),
        (
            &[0xf6, 0x00, 0x01],
            alu(AluOp::Test, Dir::Store, 1, RegOrImm::Imm(1)),
        ),
        (&[0x31, 0x08], alu(AluOp::Xor, Dir::Store, 4, reg(Gpr::Rcx))),
        (&[0x29, 0x08], alu(AluOp::Sub, Dir::Store, 4, reg(Gpr::Rcx))),
    ];
    for (bytes, expected) in cases {
        assert_eq!(op(bytes, Prot32), expected, "{bytes:02x?}");
    }
    // ADC, and register forms, are length-only.
    assert_eq!(op(&[0x11, 0x08], Prot32), Op::Other);
    assert_eq!(op(&[0x01, 0xc8], Prot32), Op::Other);
    assert_eq!(op(&[0x89, 0xc8], Prot32), Op::Other);
}
