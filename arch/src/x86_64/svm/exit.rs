//! #VMEXIT codes (AMD APM vol. 2 appendix C) decoded into [`crate::vcpu::Exit`].
//!
//! QEMU's TCG gives no NRIP and no decode assists. The lengths here are those of the bare
//! encodings; the run loop does not trust them: it decodes the bytes at CS:RIP with
//! [`crate::x86_64::decode`] (prefixes included) before stepping over an instruction.

use crate::vcpu::Exit;

/// Exception intercepts: this plus the vector.
pub const VMEXIT_EXCP_BASE: u64 = 0x40;
pub const VMEXIT_INTR: u64 = 0x60;
pub const VMEXIT_NMI: u64 = 0x61;
pub const VMEXIT_CPUID: u64 = 0x72;
pub const VMEXIT_IRET: u64 = 0x74;
pub const VMEXIT_PAUSE: u64 = 0x77;
pub const VMEXIT_HLT: u64 = 0x78;
pub const VMEXIT_IOIO: u64 = 0x7b;
pub const VMEXIT_MSR: u64 = 0x7c;
pub const VMEXIT_SHUTDOWN: u64 = 0x7f;
pub const VMEXIT_VMRUN: u64 = 0x80;
pub const VMEXIT_VMMCALL: u64 = 0x81;
pub const VMEXIT_XSETBV: u64 = 0x8d;
pub const VMEXIT_UD: u64 = VMEXIT_EXCP_BASE + 6;
pub const VMEXIT_INIT: u64 = 0x63;
pub const VMEXIT_NPF: u64 = 0x400;
/// VMRUN refused the VMCB (invalid guest state).
pub const VMEXIT_INVALID: u64 = u64::MAX;

pub fn decode(code: u64, info1: u64, info2: u64) -> Exit {
    match code {
        VMEXIT_VMMCALL => Exit::Hypercall { insn_len: 3 },
        VMEXIT_CPUID => Exit::Cpuid { insn_len: 2 },
        VMEXIT_HLT => Exit::Halt { insn_len: 1 },
        VMEXIT_PAUSE => Exit::Pause { insn_len: 2 },
        VMEXIT_MSR => Exit::Msr {
            write: info1 & 1 != 0,
            insn_len: 2,
        },
        // EXITINFO1: bit 0 IN, bit 2 string, bit 3 REP, bits 4-6 the size, bits 16-31 port.
        VMEXIT_IOIO => Exit::Io {
            port: (info1 >> 16) as u16,
            size: match (info1 >> 4) & 7 {
                1 => 1,
                2 => 2,
                _ => 4,
            },
            write: info1 & 1 == 0,
            string: info1 & 4 != 0,
            rep: info1 & 8 != 0,
        },
        VMEXIT_INTR => Exit::Interrupt,
        VMEXIT_NMI => Exit::Nmi,
        VMEXIT_IRET => Exit::NmiWindow,
        VMEXIT_SHUTDOWN => Exit::Shutdown,
        VMEXIT_XSETBV => Exit::Xsetbv,
        VMEXIT_UD => Exit::InvalidOpcode,
        VMEXIT_INIT => Exit::Init,
        VMEXIT_NPF => Exit::NestedPageFault {
            gpa: info2,
            error: info1,
        },
        _ => Exit::Unhandled { code, info1, info2 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes() {
        assert_eq!(decode(0x81, 0, 0), Exit::Hypercall { insn_len: 3 });
        assert_eq!(decode(0x74, 0, 0), Exit::NmiWindow);
        // `in al, dx` from port 0x3fd; `rep outsw` to 0x80.
        assert_eq!(
            decode(0x7b, (0x3fd << 16) | 0x11, 0),
            Exit::Io {
                port: 0x3fd,
                size: 1,
                write: false,
                string: false,
                rep: false
            }
        );
        assert_eq!(
            decode(0x7b, (0x80 << 16) | 0x2c, 0),
            Exit::Io {
                port: 0x80,
                size: 2,
                write: true,
                string: true,
                rep: true
            }
        );
        assert_eq!(
            decode(0x400, 0x4, 0x8000_0000),
            Exit::NestedPageFault {
                gpa: 0x8000_0000,
                error: 4
            }
        );
        assert_eq!(
            decode(u64::MAX, 1, 2),
            Exit::Unhandled {
                code: u64::MAX,
                info1: 1,
                info2: 2
            }
        );
    }
}
