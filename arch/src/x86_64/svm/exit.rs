//! #VMEXIT codes (AMD APM vol. 2 appendix C) decoded into [`crate::vcpu::Exit`].
//!
//! QEMU's TCG gives no NRIP and no decode assists. The lengths here are those of the bare
//! encodings; the run loop does not trust them: it decodes the bytes at CS:RIP with
//! [`crate::x86_64::decode`] (prefixes included) before stepping over an instruction.

use crate::vcpu::Exit;

pub const VMEXIT_INTR: u64 = 0x60;
pub const VMEXIT_NMI: u64 = 0x61;
pub const VMEXIT_CPUID: u64 = 0x72;
pub const VMEXIT_HLT: u64 = 0x78;
pub const VMEXIT_MSR: u64 = 0x7c;
pub const VMEXIT_SHUTDOWN: u64 = 0x7f;
pub const VMEXIT_VMRUN: u64 = 0x80;
pub const VMEXIT_VMMCALL: u64 = 0x81;
pub const VMEXIT_NPF: u64 = 0x400;
/// VMRUN refused the VMCB (invalid guest state).
pub const VMEXIT_INVALID: u64 = u64::MAX;

pub fn decode(code: u64, info1: u64, info2: u64) -> Exit {
    match code {
        VMEXIT_VMMCALL => Exit::Hypercall { insn_len: 3 },
        VMEXIT_CPUID => Exit::Cpuid { insn_len: 2 },
        VMEXIT_HLT => Exit::Halt { insn_len: 1 },
        VMEXIT_MSR => Exit::Msr {
            write: info1 & 1 != 0,
            insn_len: 2,
        },
        VMEXIT_INTR => Exit::Interrupt,
        VMEXIT_NMI => Exit::Nmi,
        VMEXIT_SHUTDOWN => Exit::Shutdown,
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
