//! The hardware side of SVM: enabling it per CPU, and running a vCPU (with its TSC_AUX
//! switched around VMRUN, as Xen's `svm_ctxt_switch_to` loads it, and NMIs injected with
//! the blocking `nmi.rs` tracks).

use super::exit;
use super::nmi::NmiState;
use super::vmcb::{Segment, Vmcb, misc1, misc2, off};
use crate::memory;
use crate::vcpu::Exit;
use crate::x86_64::cpu::{self, rdmsr, wrmsr};

core::arch::global_asm!(include_str!("run.S"), options(att_syntax));

unsafe extern "C" {
    fn svm_vmrun(vmcb_pa: u64, regs: *mut GuestRegs, host_save_pa: u64);
}

const MSR_VM_HSAVE_PA: u32 = 0xc001_0117;
/// What RDTSCP returns in ECX (AMD APM vol. 2, 13.2.4; CPUID 0x80000001 EDX bit 27).
const MSR_TSC_AUX: u32 = 0xc000_0103;
const CPUID_RDTSCP: u32 = 1 << 27;
/// The single step to the NMI window: RFLAGS.TF and the #DB vector.
const RFLAGS_TF: u64 = 1 << 8;
const DB_VECTOR: u32 = 1;
/// #UD.
const UD_VECTOR: u32 = 6;
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

/// Per-CPU SVM state: the host save areas, kept in [`HOST`] for `Vcpu::run`.
#[derive(Clone, Copy, Debug)]
struct SvmCpu {
    /// A VMCB-format page for the host's VMSAVE/VMLOAD state.
    host_vmcb_pa: u64,
    /// The host's TSC_AUX (read once), restored after each guest run; `None` without
    /// RDTSCP, where there is nothing to switch.
    host_tsc_aux: Option<u32>,
}

/// Each CPU's host save areas, once SVM is enabled there.
static HOST: [spin::Once<SvmCpu>; crate::percpu::MAX_CPUS] =
    [const { spin::Once::new() }; crate::percpu::MAX_CPUS];

/// Enables SVM on this CPU, after checking CPUID, NPT and VM_CR, and records its host save
/// areas for the vCPUs that run here. Calling it again on the same CPU changes nothing.
pub fn enable_this_cpu(f: &cpu::Features) -> Result<(), SvmError> {
    let me = crate::x86_64::percpu::cpu_index() as usize;
    let slot = HOST.get(me).ok_or(SvmError::NoMemory)?;
    if slot.get().is_none() {
        let c = enable(f)?;
        slot.call_once(|| c);
    }
    Ok(())
}

fn enable(f: &cpu::Features) -> Result<SvmCpu, SvmError> {
    crate::x86_64::xstate::init_this_cpu();
    let caps = crate::x86_64::virt::detect(f)
        .svm
        .ok_or(SvmError::NotSupported)?;
    if caps.disabled_by_firmware {
        return Err(SvmError::DisabledByFirmware);
    }
    if !caps.npt() {
        return Err(SvmError::NoNestedPaging);
    }
    let rdtscp =
        f.max_ext_leaf >= 0x8000_0001 && cpu::cpuid(0x8000_0001, 0).edx & CPUID_RDTSCP != 0;
    // SAFETY: TSC_AUX exists on CPUs with RDTSCP; reading it has no side effect.
    let host_tsc_aux = rdtscp.then(|| unsafe { rdmsr(MSR_TSC_AUX) } as u32);
    let hsave_pa = memory::alloc_zeroed(1, 1).ok_or(SvmError::NoMemory)?;
    let host_vmcb_pa = memory::alloc_zeroed(1, 1).ok_or(SvmError::NoMemory)?;
    // SAFETY: CPUID reports SVM and VM_CR does not disable it, so EFER.SVME may be set and
    // VM_HSAVE_PA exists; the save area is a fresh, page-aligned frame owned by this CPU.
    unsafe {
        let efer = rdmsr(cpu::MSR_EFER);
        wrmsr(cpu::MSR_EFER, efer | EFER_SVME);
        wrmsr(MSR_VM_HSAVE_PA, hsave_pa);
    }
    // VM_HSAVE_PA now names the first frame (VMRUN keeps the host's state there).
    Ok(SvmCpu {
        host_vmcb_pa,
        host_tsc_aux,
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
    /// The CPU it last ran on (`u32::MAX`: none yet). Its ASID's TLB entries there may be
    /// stale once it has run elsewhere, so a change of CPU flushes them.
    last_cpu: u32,
    /// Its FPU/SSE/AVX state and XCR0, switched around every run.
    xstate: crate::x86_64::xstate::XState,
    /// The guest's TSC_AUX, loaded for its runs (RDTSCP reads it; RDMSR/WRMSR are emulated).
    tsc_aux: u32,
    nmi: NmiState,
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
    pub fn new_32bit(s: &Start32) -> Result<Vcpu, SvmError> {
        Vcpu::new(&Start::pvh(s))
    }

    /// A vCPU in the state `s` describes.
    pub fn new(s: &Start) -> Result<Vcpu, SvmError> {
        let vmcb_pa = memory::alloc_zeroed(1, 1).ok_or(SvmError::NoMemory)?;
        let xstate = crate::x86_64::xstate::XState::new().ok_or(SvmError::NoMemory)?;
        let mut v = Vcpu {
            vmcb_pa,
            regs: s.regs,
            last_cpu: u32::MAX,
            xstate,
            tsc_aux: 0,
            nmi: NmiState::default(),
        };
        v.with_vmcb(|m| {
            m.write_u32(
                off::INTERCEPT_MISC1,
                // MSR_PROT with an all-zero permission map: only MSRs outside the map's
                // three ranges exit, such as Xen's hypercall-page MSR 0x40000000.
                misc1::INTR
                    | misc1::NMI
                    | misc1::INIT
                    | misc1::INVLPGA
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
            // #UD: a hypercall made with the other vendor's instruction (VMCALL on AMD) is
            // served, as Xen does; any other #UD goes back to the guest.
            m.write_u32(off::INTERCEPT_EXCEPTIONS, 1 << UD_VECTOR);
            m.write_u32(
                off::INTERCEPT_MISC2,
                misc2::VMRUN
                    | misc2::VMMCALL
                    | misc2::VMLOAD
                    | misc2::VMSAVE
                    | misc2::STGI
                    | misc2::CLGI
                    | misc2::SKINIT
                    | misc2::XSETBV,
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

    /// Queues an NMI (EVENTINJ type NMI, vector 2) for the next run, unless NMIs are blocked
    /// (an earlier one's handler has not returned with IRET), an interrupt shadow holds it
    /// off, or another event is already queued; `false` then: try again after the next exit.
    pub fn inject_nmi(&mut self) -> bool {
        const VALID: u64 = 1 << 31;
        const TYPE_NMI: u64 = 2 << 8;
        let nmi = self.nmi;
        let ok = self.with_vmcb(|m| {
            let shadow = m.read_u64(off::INTERRUPT_SHADOW) & 1 != 0;
            let queued = m.read_u64(off::EVENTINJ) & VALID != 0;
            let ok = nmi.can_inject(shadow, queued);
            if ok {
                m.write_u64(off::EVENTINJ, VALID | TYPE_NMI | 2);
            }
            ok
        });
        if ok {
            self.nmi.injected();
        } else {
            self.nmi.refused();
        }
        ok
    }

    /// Whether an NMI given to the guest is still in service (no IRET yet).
    pub fn nmi_blocked(&self) -> bool {
        self.nmi.blocked()
    }

    /// The guest's TSC_AUX, as it last wrote it.
    pub fn tsc_aux(&self) -> u32 {
        self.tsc_aux
    }

    /// Sets the TSC_AUX the guest's RDTSCP returns from its next run on.
    pub fn set_tsc_aux(&mut self, v: u32) {
        self.tsc_aux = v;
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
        // SAFETY: the VMCB frame belongs to this vCPU (allocated in `new`, freed never), is
        // mapped 1:1 and is not in use by hardware outside `run`, which takes `&mut self`
        // too.
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

    /// The guest's XCR0.
    pub fn xcr0(&self) -> u64 {
        self.xstate.xcr0()
    }

    /// XSETBV: `false` if the guest may not set XCR0 to `value` (it gets #GP).
    pub fn set_xcr0(&mut self, value: u64) -> bool {
        self.xstate.set_xcr0(value)
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

    /// Runs the guest on this CPU until its next exit. Host interrupts end the run and are
    /// taken right after the exit. `Err` if SVM is not enabled on this CPU
    /// ([`enable_this_cpu`]).
    pub fn run(&mut self) -> Result<Exit, SvmError> {
        let me = crate::x86_64::percpu::cpu_index();
        let host = *HOST
            .get(me as usize)
            .and_then(|s| s.get())
            .ok_or(SvmError::NotSupported)?;
        if self.last_cpu != me {
            self.flush_tlb();
            self.last_cpu = me;
        }
        let iret = self.nmi.intercept_iret();
        let nmi = self.nmi;
        // `Some(DR6)` when this run single-steps to the NMI window (`nmi.rs`).
        let step = self.with_vmcb(|m| {
            let misc1 = m.read_u32(off::INTERCEPT_MISC1) & !misc1::IRET;
            m.write_u32(
                off::INTERCEPT_MISC1,
                misc1 | if iret { misc1::IRET } else { 0 },
            );
            let shadow = m.read_u64(off::INTERRUPT_SHADOW) & 1 != 0;
            let rflags = m.read_u64(off::RFLAGS);
            if !nmi.single_step(shadow, rflags & RFLAGS_TF != 0) {
                return None;
            }
            m.write_u64(off::RFLAGS, rflags | RFLAGS_TF);
            let exceptions = m.read_u32(off::INTERCEPT_EXCEPTIONS);
            m.write_u32(off::INTERCEPT_EXCEPTIONS, exceptions | 1 << DB_VECTOR);
            Some(m.read_u64(off::DR6))
        });
        // The guest's TSC_AUX only while it runs (nothing to do when it equals the host's).
        let host_aux = host.host_tsc_aux.filter(|&h| h != self.tsc_aux);
        let was_on = cpu::disable_interrupts();
        // The guest's FPU state and XCR0 are the CPU's from here to the exit.
        self.xstate.load();
        // SAFETY: SVM is enabled on this CPU (its registry entry exists only after
        // `enable_this_cpu` ran here); the VMCB is a valid, page-aligned guest state this
        // vCPU owns; `regs` is a live GuestRegs; the host save page belongs to this CPU.
        // TSC_AUX exists (`host_tsc_aux` is only read on CPUs with RDTSCP) and Ferrite does
        // not read it, so the guest's value is harmless until the host's is back.
        unsafe {
            if host_aux.is_some() {
                wrmsr(MSR_TSC_AUX, u64::from(self.tsc_aux));
            }
            svm_vmrun(self.vmcb_pa, &mut self.regs, host.host_vmcb_pa);
        }
        self.xstate.save();
        // SAFETY: STGI re-enables global interrupts after the exit (IF is still clear); the
        // host's TSC_AUX goes back as above.
        unsafe {
            core::arch::asm!("stgi", options(nomem, nostack));
            if let Some(h) = host_aux {
                wrmsr(MSR_TSC_AUX, u64::from(h));
            }
        }
        if was_on {
            cpu::enable_interrupts();
        }
        let (code, rip) = self.with_vmcb(|m| {
            if let Some(dr6) = step {
                // The step is over (or another exit came first): TF and the #DB intercept
                // go, and DR6 keeps no trace of a single step the guest did not ask for.
                let rflags = m.read_u64(off::RFLAGS);
                m.write_u64(off::RFLAGS, rflags & !RFLAGS_TF);
                let exceptions = m.read_u32(off::INTERCEPT_EXCEPTIONS);
                m.write_u32(off::INTERCEPT_EXCEPTIONS, exceptions & !(1 << DB_VECTOR));
                m.write_u64(off::DR6, dr6);
            }
            (m.read_u64(off::EXITCODE), m.read_u64(off::RIP))
        });
        let stepped = step.is_some() && code == exit::VMEXIT_EXCP_BASE + u64::from(DB_VECTOR);
        self.nmi.exited(rip, code == exit::VMEXIT_IRET);
        Ok(self.with_vmcb(|m| {
            m.write_u8(off::TLB_CONTROL, 0);
            // An NMI whose delivery the exit interrupted is delivered again (it stays
            // blocked meanwhile); other interrupted events are left as before.
            const VALID: u64 = 1 << 31;
            const TYPE: u64 = 7 << 8;
            let pending = m.read_u64(off::EXITINTINFO);
            if pending & VALID != 0 && pending & TYPE == 2 << 8 {
                m.write_u64(off::EVENTINJ, pending & 0xffff_ffff);
            }
            if stepped {
                return Exit::NmiWindow;
            }
            exit::decode(code, m.read_u64(off::EXITINFO1), m.read_u64(off::EXITINFO2))
        }))
    }
}
