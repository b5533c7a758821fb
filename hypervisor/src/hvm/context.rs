//! `VCPUOP_initialise`'s `vcpu_hvm_context` (`public/hvm/hvm_vcpu.h`) turned into an SVM
//! starting state (Xen's `arch_set_info_hvm_guest` in `xen/arch/x86/hvm/domain.c`).

use ferrite_abi::Errno;
use ferrite_abi::hvm::hvm_vcpu::{VCPU_HVM_MODE_32B, VCPU_HVM_MODE_64B, VcpuHvmContext};
use ferrite_arch::x86_64::svm::vmcb::Segment;
use ferrite_arch::x86_64::svm::{GuestRegs, Start};

const AR_PRESENT: u16 = 1 << 7;
const AR_SYSTEM_NOT: u16 = 1 << 4; // S: code/data
const AR_CODE: u16 = 1 << 3;

fn segment(base: u32, limit: u32, ar: u16) -> Segment {
    Segment {
        selector: 0,
        attrib: ar,
        limit,
        base: u64::from(base),
    }
}

/// The starting state, or `-EINVAL` for segments Xen would refuse.
pub fn start(
    ctx: &VcpuHvmContext,
    asid: u32,
    npt: u64,
    iopm: u64,
    msrpm: u64,
) -> Result<Start, Errno> {
    let mut s = match ctx.mode {
        VCPU_HVM_MODE_32B => {
            let r = ctx.cpu_regs;
            let cs = segment(r.cs_base, r.cs_limit, r.cs_ar);
            if cs.attrib & (AR_PRESENT | AR_SYSTEM_NOT | AR_CODE)
                != AR_PRESENT | AR_SYSTEM_NOT | AR_CODE
            {
                return Err(Errno::EINVAL);
            }
            for ar in [r.ds_ar, r.ss_ar, r.es_ar] {
                // A usable data segment must be present (0 is the "unusable" encoding).
                if ar != 0 && ar & AR_PRESENT == 0 {
                    return Err(Errno::EINVAL);
                }
            }
            Start {
                regs: GuestRegs {
                    rbx: u64::from(r.ebx),
                    rcx: u64::from(r.ecx),
                    rdx: u64::from(r.edx),
                    rsi: u64::from(r.esi),
                    rdi: u64::from(r.edi),
                    rbp: u64::from(r.ebp),
                    ..GuestRegs::default()
                },
                rax: u64::from(r.eax),
                rsp: u64::from(r.esp),
                rip: u64::from(r.eip),
                rflags: u64::from(r.eflags),
                cr0: u64::from(r.cr0),
                cr3: u64::from(r.cr3),
                cr4: u64::from(r.cr4),
                efer: r.efer,
                cs,
                ds: segment(r.ds_base, r.ds_limit, r.ds_ar),
                ss: segment(r.ss_base, r.ss_limit, r.ss_ar),
                es: segment(r.es_base, r.es_limit, r.es_ar),
                tr: if r.tr_ar == 0 {
                    Segment::TSS32
                } else {
                    segment(r.tr_base, r.tr_limit, r.tr_ar)
                },
                asid,
                nested_cr3: npt,
                iopm_pa: iopm,
                msrpm_pa: msrpm,
            }
        }
        VCPU_HVM_MODE_64B => {
            let r = ctx.x86_64();
            // Flat 64-bit segments are implied.
            let code = Segment {
                selector: 0x08,
                attrib: 0xa9b,
                limit: 0xffff_ffff,
                base: 0,
            };
            Start {
                regs: GuestRegs {
                    rbx: r.rbx,
                    rcx: r.rcx,
                    rdx: r.rdx,
                    rsi: r.rsi,
                    rdi: r.rdi,
                    rbp: r.rbp,
                    ..GuestRegs::default()
                },
                rax: r.rax,
                rsp: r.rsp,
                rip: r.rip,
                rflags: r.rflags,
                cr0: r.cr0,
                cr3: r.cr3,
                cr4: r.cr4,
                efer: r.efer,
                cs: code,
                ds: Segment::FLAT_DATA,
                ss: Segment::FLAT_DATA,
                es: Segment::FLAT_DATA,
                tr: Segment::TSS32,
                asid,
                nested_cr3: npt,
                iopm_pa: iopm,
                msrpm_pa: msrpm,
            }
        }
        _ => return Err(Errno::EINVAL),
    };
    // Reserved RFLAGS bits read as Xen enforces them: bit 1 set.
    s.rflags |= 0x2;
    Ok(s)
}
