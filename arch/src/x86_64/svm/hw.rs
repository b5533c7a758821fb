//! The hardware side of SVM: enabling it per CPU, and running a vCPU.

use super::exit;
use super::vmcb::{Segment, Vmcb, misc1, misc2, off};
use crate::memory;
use crate::vcpu::Exit;
use crate::x86_64::cpu::{self, rdmsr, wrmsr};

core::arch::global_asm!(include_str!("run.S"), options(att_syntax));

unsafe extern "C" {
    fn svm_vmrun(vmcb_pa: u64, regs: *mut GuestRegs, host_save_pa: u64, host_if: u64);
}

const MSR_VM_HSAVE_PA: u32 = 0xc001_0117;
const EFER_SVME: u64 = 1 << 12;
const EFER_LME: u64 = 1 << 8;
const EFER_LMA: u64 = 1 << 10;
/// VINTR fields (AMD APM vol. 2, 15.21): V_IRQ, V_IGN_TPR, V_INTR_MASKING.
const V_IRQ: u64 = 1 << 8;
const V_IGN_TPR: u64 = 1 << 20;
/// The host's RFLAGS.IF governs physical interrupts; the guest's governs virtual ones.
const VINTR_MASKING: u64 = 1 << 24;

/// Why SVM cannot be used on this CPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SvmError {
    NotSupported,
    NoNestedPaging,
    DisabledByFirmware,
    NoMemory,
}

/// Per-CPU SVM state: the host save areas.
#[derive(Clone, Copy, Debug)]
pub struct SvmCpu {
    /// VM_HSAVE_PA: where VMRUN keeps the host's state.
    hsave_pa: u64,
    /// A VMCB-format page for the host's VMSAVE/VMLOAD state.
    host_vmcb_pa: u64,
}

/// Enables SVM on this CPU, after checking CPUID, NPT and VM_CR.
pub fn enable_this_cpu(f: &cpu::Features) -> Result<SvmCpu, SvmError> {
    let caps = crate::x86_64::virt::detect(f)
        .svm
        .ok_or(SvmError::NotSupported)?;
    if caps.disabled_by_firmware {
        return Err(SvmError::DisabledByFirmware);
    }
    if !caps.npt() {
        return Err(SvmError::NoNestedPaging);
    }
    let hsave_pa = memory::alloc_zeroed(1, 1).ok_or(SvmError::NoMemory)?;
    let host_vmcb_pa = memory::alloc_zeroed(1, 1).ok_or(SvmError::NoMemory)?;
    // SAFETY: CPUID reports SVM and VM_CR does not disable it, so EFER.SVME may be set and
    // VM_HSAVE_PA exists; the save area is a fresh, page-aligned frame owned by this CPU.
    unsafe {
        let efer = rdmsr(cpu::MSR_EFER);
        wrmsr(cpu::MSR_EFER, efer | EFER_SVME);
        wrmsr(MSR_VM_HSAVE_PA, hsave_pa);
    }
    Ok(SvmCpu {
        hsave_pa,
        host_vmcb_pa,
    })
}

/// The guest's general registers that the VMCB does not hold.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct GuestRegs {
    pub rbx: u64,
    pub rcx: u64,
    pub rdx: u64,
    pub rsi: u64,
    pub rdi: u64,
    pub rbp: u64,
    pub r8: u64,
    pub r9: u64,
    pub r10: u64,
    pub r11: u64,
    pub r12: u64,
    pub r13: u64,
    pub r14: u64,
    pub r15: u64,
}

/// One vCPU: its VMCB frame and registers.
pub struct Vcpu {
    vmcb_pa: u64,
    pub regs: GuestRegs,
    cpu: SvmCpu,
}

/// A vCPU's starting state in 32-bit flat protected mode, paging off (PVH's entry state).
#[derive(Clone, Copy, Debug)]
pub struct Start32 {
    pub rip: u64,
    pub rbx: u64,
    pub asid: u32,
    pub nested_cr3: u64,
    pub iopm_pa: u64,
    pub msrpm_pa: u64,
}

/// Any starting state: registers, control registers and the segments that matter
/// (what `VCPUOP_initialise` with a `vcpu_hvm_context` describes).
#[derive(Clone, Copy, Debug)]
pub struct Start {
    pub regs: GuestRegs,
    pub rax: u64,
    pub rsp: u64,
    pub rip: u64,
    pub rflags: u64,
    pub cr0: u64,
    pub cr3: u64,
    pub cr4: u64,
    pub efer: u64,
    pub cs: Segment,
    pub ds: Segment,
    pub ss: Segment,
    pub es: Segment,
    pub tr: Segment,
    pub asid: u32,
    pub nested_cr3: u64,
    pub iopm_pa: u64,
    pub msrpm_pa: u64,
}

impl Start {
    /// PVH's entry state: 32-bit flat protected mode, paging off.
    pub fn pvh(s: &Start32) -> Start {
        Start {
            regs: GuestRegs {
                rbx: s.rbx,
                ..GuestRegs::default()
            },
            rax: 0,
            rsp: 0,
            rip: s.rip,
            rflags: 0x2,
            cr0: 0x11, // PE | ET
            cr3: 0,
            cr4: 0,
            efer: 0,
            cs: Segment::FLAT_CODE32,
            ds: Segment::FLAT_DATA,
            ss: Segment::FLAT_DATA,
            es: Segment::FLAT_DATA,
            tr: Segment::TSS32,
            asid: s.asid,
            nested_cr3: s.nested_cr3,
            iopm_pa: s.iopm_pa,
            msrpm_pa: s.msrpm_pa,
        }
    }
}

impl Vcpu {
    /// A vCPU whose first instruction is `s.rip`, in PVH's entry state.
    pub fn new_32bit(cpu: SvmCpu, s: &Start32) -> Result<Vcpu, SvmError> {
        Vcpu::new(cpu, &Start::pvh(s))
    }

    /// A vCPU in the state `s` describes.
    pub fn new(cpu: SvmCpu, s: &Start) -> Result<Vcpu, SvmError> {
        let vmcb_pa = memory::alloc_zeroed(1, 1).ok_or(SvmError::NoMemory)?;
        let mut v = Vcpu {
            vmcb_pa,
            regs: s.regs,
            cpu,
        };
        v.with_vmcb(|m| {
            m.write_u32(
                off::INTERCEPT_MISC1,
                // MSR_PROT with an all-zero permission map: only MSRs outside the map's
                // three ranges exit, such as Xen's hypercall-page MSR 0x40000000.
                misc1::INTR
                    | misc1::NMI
                    | misc1::CPUID
                    | misc1::HLT
                    | misc1::SHUTDOWN
                    | misc1::PAUSE
                    | misc1::IOIO_PROT
                    | misc1::MSR_PROT,
            );
            // A spinning vCPU exits after a burst of PAUSEs so another can run (Xen's
            // pause-loop exiting); CPUs without the filter exit on each PAUSE.
            m.write_u16(off::PAUSE_FILTER_COUNT, 3000);
            m.write_u32(
                off::INTERCEPT_MISC2,
                misc2::VMRUN
                    | misc2::VMMCALL
                    | misc2::VMLOAD
                    | misc2::VMSAVE
                    | misc2::STGI
                    | misc2::CLGI
                    | misc2::SKINIT,
            );
            m.write_u64(off::IOPM_BASE_PA, s.iopm_pa);
            m.write_u64(off::MSRPM_BASE_PA, s.msrpm_pa);
            m.write_u32(off::GUEST_ASID, s.asid.max(1));
            m.write_u8(off::TLB_CONTROL, 1); // flush this ASID on the first run
            m.write_u64(off::VINTR, VINTR_MASKING);
            m.write_u64(off::NP_ENABLE, 1);
            m.write_u64(off::N_CR3, s.nested_cr3);
            m.set_segment(off::CS, s.cs);
            m.set_segment(off::DS, s.ds);
            m.set_segment(off::SS, s.ss);
            m.set_segment(off::ES, s.es);
            m.set_segment(off::FS, Segment::FLAT_DATA);
            m.set_segment(off::GS, Segment::FLAT_DATA);
            m.set_segment(off::TR, s.tr);
            m.set_segment(off::LDTR, Segment::NO_LDT);
            let table = Segment {
                selector: 0,
                attrib: 0,
                limit: 0xffff,
                base: 0,
            };
            m.set_segment(off::GDTR, table);
            m.set_segment(off::IDTR, table);
            m.write_u64(off::CR0, s.cr0);
            m.write_u64(off::CR3, s.cr3);
            m.write_u64(off::CR4, s.cr4);
            // VMRUN requires guest EFER.SVME; LMA follows LME once paging is on.
            let lma = if s.efer & EFER_LME != 0 && s.cr0 & (1 << 31) != 0 {
                EFER_LMA
            } else {
                0
            };
            m.write_u64(off::EFER, s.efer | lma | EFER_SVME);
            m.write_u64(off::RFLAGS, s.rflags | 0x2);
            m.write_u64(off::RIP, s.rip);
            m.write_u64(off::RSP, s.rsp);
            m.write_u64(off::RAX, s.rax);
            m.write_u64(off::DR6, 0xffff_0ff0);
            m.write_u64(off::DR7, 0x400);
            m.write_u64(off::G_PAT, 0x0007_0406_0007_0406);
        });
        Ok(v)
    }

    /// Asks for a virtual interrupt with `vector` (V_IRQ): the guest takes it as soon as its
    /// RFLAGS.IF allows, through its own IDT. `None` withdraws one not yet taken.
    pub fn set_virtual_irq(&mut self, vector: Option<u8>) {
        self.with_vmcb(|m| {
            let v = match vector {
                Some(vec) => {
                    VINTR_MASKING | V_IRQ | V_IGN_TPR | (0xf << 16) | (u64::from(vec) << 32)
                }
                None => VINTR_MASKING,
            };
            m.write_u64(off::VINTR, v);
        });
    }

    /// Whether a virtual interrupt is still waiting to be taken.
    pub fn virtual_irq_pending(&mut self) -> bool {
        self.with_vmcb(|m| m.read_u64(off::VINTR) & V_IRQ != 0)
    }

    /// The guest's CS (its attributes select the decoding mode).
    pub fn cs(&mut self) -> Segment {
        self.with_vmcb(|m| m.segment(off::CS))
    }

    /// Raises exception `vector` in the guest on the next run (EVENTINJ), with `error` as
    /// its error code for the vectors that push one (#GP, #PF, ...).
    pub fn inject_exception(&mut self, vector: u8, error: Option<u32>) {
        const VALID: u64 = 1 << 31;
        const TYPE_EXCEPTION: u64 = 3 << 8;
        const ERROR_VALID: u64 = 1 << 11;
        let mut v = VALID | TYPE_EXCEPTION | u64::from(vector);
        if let Some(e) = error {
            v |= ERROR_VALID | (u64::from(e) << 32);
        }
        self.with_vmcb(|m| m.write_u64(off::EVENTINJ, v));
    }

    /// The guest's PAT (the VMCB's G_PAT, used with nested paging).
    pub fn g_pat(&mut self) -> u64 {
        self.with_vmcb(|m| m.read_u64(off::G_PAT))
    }

    pub fn set_g_pat(&mut self, v: u64) {
        self.with_vmcb(|m| m.write_u64(off::G_PAT, v));
    }

    /// Guest RFLAGS.
    pub fn rflags(&mut self) -> u64 {
        self.with_vmcb(|m| m.read_u64(off::RFLAGS))
    }

    pub fn set_rflags(&mut self, v: u64) {
        self.with_vmcb(|m| m.write_u64(off::RFLAGS, v | 0x2));
    }

    fn with_vmcb<R>(&mut self, f: impl FnOnce(&mut Vmcb<'_>) -> R) -> R {
        // SAFETY: the VMCB frame belongs to this vCPU (allocated in `new_32bit`, freed
        // never), is mapped 1:1 and is not in use by hardware outside `run`, which takes
        // `&mut self` too.
        let page = unsafe { &mut *(self.vmcb_pa as *mut [u8; 4096]) };
        f(&mut Vmcb::new(page))
    }

    /// The guest's paging state: CR0, CR3, CR4, EFER.
    pub fn paging(&mut self) -> [u64; 4] {
        self.with_vmcb(|m| {
            [
                m.read_u64(off::CR0),
                m.read_u64(off::CR3),
                m.read_u64(off::CR4),
                m.read_u64(off::EFER),
            ]
        })
    }

    /// The current privilege level.
    pub fn cpl(&mut self) -> u8 {
        self.with_vmcb(|m| m.read_u8(off::CPL))
    }

    /// Whether the guest runs 64-bit code (EFER.LMA and CS.L).
    pub fn long_mode(&mut self) -> bool {
        self.with_vmcb(|m| {
            m.read_u64(off::EFER) & (1 << 10) != 0 && m.segment(off::CS).attrib & (1 << 9) != 0
        })
    }

    /// Guest RAX and RIP.
    pub fn rax(&mut self) -> u64 {
        self.with_vmcb(|m| m.read_u64(off::RAX))
    }

    pub fn rip(&mut self) -> u64 {
        self.with_vmcb(|m| m.read_u64(off::RIP))
    }

    pub fn rsp(&mut self) -> u64 {
        self.with_vmcb(|m| m.read_u64(off::RSP))
    }

    pub fn set_rsp(&mut self, v: u64) {
        self.with_vmcb(|m| m.write_u64(off::RSP, v));
    }

    pub fn set_rax(&mut self, v: u64) {
        self.with_vmcb(|m| m.write_u64(off::RAX, v));
    }

    /// The bytes at the guest's CS:RIP as the exit left them (for crash reports), read by
    /// the caller through the guest's page tables: here only RIP and CS base.
    pub fn cs_base(&mut self) -> u64 {
        self.with_vmcb(|m| m.segment(off::CS).base)
    }

    /// The exit's raw code and information (for crash reports).
    pub fn exit_info(&mut self) -> (u64, u64, u64) {
        self.with_vmcb(|m| {
            (
                m.read_u64(off::EXITCODE),
                m.read_u64(off::EXITINFO1),
                m.read_u64(off::EXITINFO2),
            )
        })
    }

    /// Flushes this vCPU's ASID on the next run (after a nested mapping changed).
    pub fn flush_tlb(&mut self) {
        self.with_vmcb(|m| m.write_u8(off::TLB_CONTROL, 1));
    }

    /// Steps over the instruction that exited. Completing an instruction ends any STI/MOV SS
    /// interrupt shadow it sat in (as Xen's `__update_guest_eip` does): otherwise `STI; HLT`
    /// would resume with interrupts still inhibited and miss the event that woke it.
    pub fn advance_rip(&mut self, len: u8) {
        self.with_vmcb(|m| {
            let rip = m.read_u64(off::RIP);
            m.write_u64(off::RIP, rip.wrapping_add(u64::from(len)));
            let shadow = m.read_u64(off::INTERRUPT_SHADOW);
            m.write_u64(off::INTERRUPT_SHADOW, shadow & !1);
        });
    }

    /// Runs the guest until its next exit. If interrupts were on, a host interrupt (the
    /// run loop's timer) ends the run as an `Exit::Interrupt` and is taken right after it.
    /// A run whose `time::set_wakeup` deadline already passed does not start: it returns
    /// `Exit::Interrupt` at once, as the wakeup's interrupt may have been taken already.
    pub fn run(&mut self) -> Exit {
        let was_on = cpu::disable_interrupts();
        if crate::x86_64::time::wakeup_passed() {
            if was_on {
                cpu::enable_interrupts();
            }
            return Exit::Interrupt;
        }
        // SAFETY: SVM is enabled on this CPU (`SvmCpu` exists only after
        // `enable_this_cpu`); the VMCB is a valid, page-aligned guest state this vCPU owns;
        // `regs` is a live GuestRegs; the host save page was set up for this CPU.
        unsafe {
            svm_vmrun(
                self.vmcb_pa,
                &mut self.regs,
                self.cpu.host_vmcb_pa,
                u64::from(was_on),
            );
            core::arch::asm!("stgi", options(nomem, nostack));
        }
        if was_on {
            cpu::enable_interrupts();
        }
        let _ = self.cpu.hsave_pa;
        self.with_vmcb(|m| {
            m.write_u8(off::TLB_CONTROL, 0);
            exit::decode(
                m.read_u64(off::EXITCODE),
                m.read_u64(off::EXITINFO1),
                m.read_u64(off::EXITINFO2),
            )
        })
    }
}
