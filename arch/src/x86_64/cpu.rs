//! CPUID, MSRs and control registers: the few privileged primitives everything else uses.

use core::arch::x86_64::{__cpuid_count, CpuidResult};

/// CPUID leaf `leaf`, subleaf `sub`.
pub fn cpuid(leaf: u32, sub: u32) -> CpuidResult {
    // CPUID is unprivileged, side-effect free and exists on every x86_64 CPU.
    __cpuid_count(leaf, sub)
}

/// The highest basic and extended leaves.
pub fn max_leaves() -> (u32, u32) {
    (cpuid(0, 0).eax, cpuid(0x8000_0000, 0).eax)
}

/// Reads an MSR.
///
/// # Safety
/// The MSR must exist on this CPU (or the read #GPs) and reading it must have no side effect
/// the caller has not accounted for.
pub unsafe fn rdmsr(msr: u32) -> u64 {
    let (lo, hi): (u32, u32);
    // SAFETY: the caller guarantees the MSR exists (this function's contract).
    unsafe {
        core::arch::asm!("rdmsr", in("ecx") msr, out("eax") lo, out("edx") hi, options(nomem, nostack, preserves_flags));
    }
    (u64::from(hi) << 32) | u64::from(lo)
}

/// Writes an MSR.
///
/// # Safety
/// The MSR must exist and `value` must be valid for it; the write's effect on the machine
/// (paging, interrupts, ...) is the caller's responsibility.
pub unsafe fn wrmsr(msr: u32, value: u64) {
    // SAFETY: the caller guarantees the MSR and value are valid (this function's contract).
    unsafe {
        core::arch::asm!("wrmsr", in("ecx") msr, in("eax") value as u32, in("edx") (value >> 32) as u32, options(nostack, preserves_flags));
    }
}

pub const MSR_EFER: u32 = 0xc000_0080;
pub const MSR_APIC_BASE: u32 = 0x1b;
pub const MSR_FS_BASE: u32 = 0xc000_0100;
pub const MSR_GS_BASE: u32 = 0xc000_0101;
pub const MSR_TSC_DEADLINE: u32 = 0x6e0;
pub const MSR_VM_CR: u32 = 0xc001_0114;
pub const MSR_IA32_FEATURE_CONTROL: u32 = 0x3a;
pub const MSR_IA32_VMX_BASIC: u32 = 0x480;
pub const MSR_IA32_VMX_PROCBASED_CTLS: u32 = 0x482;
pub const MSR_IA32_VMX_PROCBASED_CTLS2: u32 = 0x48b;
pub const MSR_IA32_VMX_EPT_VPID_CAP: u32 = 0x48c;

pub const EFER_NXE: u64 = 1 << 11;

/// Reads the time-stamp counter.
pub fn rdtsc() -> u64 {
    // SAFETY: RDTSC has no side effects; CR4.TSD is never set by Ferrite.
    unsafe { core::arch::x86_64::_rdtsc() }
}

/// The CPU features Ferrite's mechanisms depend on, read once per CPU.
#[derive(Clone, Copy, Debug, Default)]
pub struct Features {
    pub vendor: [u8; 12],
    pub family: u32,
    pub model: u32,
    pub stepping: u32,
    pub x2apic: bool,
    pub tsc_deadline: bool,
    pub invariant_tsc: bool,
    pub nx: bool,
    pub page1gb: bool,
    pub svm: bool,
    pub vmx: bool,
    pub hypervisor: bool,
    pub xsave: bool,
    pub apic_id: u32,
    pub max_leaf: u32,
    pub max_ext_leaf: u32,
}

impl Features {
    pub fn read() -> Features {
        let (max_leaf, max_ext_leaf) = max_leaves();
        let l0 = cpuid(0, 0);
        let mut vendor = [0u8; 12];
        vendor[..4].copy_from_slice(&l0.ebx.to_le_bytes());
        vendor[4..8].copy_from_slice(&l0.edx.to_le_bytes());
        vendor[8..].copy_from_slice(&l0.ecx.to_le_bytes());
        let l1 = cpuid(1, 0);
        let base_family = (l1.eax >> 8) & 0xf;
        let family = if base_family == 0xf {
            base_family + ((l1.eax >> 20) & 0xff)
        } else {
            base_family
        };
        let mut model = (l1.eax >> 4) & 0xf;
        if base_family == 0x6 || base_family == 0xf {
            model |= ((l1.eax >> 16) & 0xf) << 4;
        }
        let ext1 = if max_ext_leaf >= 0x8000_0001 {
            cpuid(0x8000_0001, 0)
        } else {
            CpuidResult {
                eax: 0,
                ebx: 0,
                ecx: 0,
                edx: 0,
            }
        };
        let inv = max_ext_leaf >= 0x8000_0007 && cpuid(0x8000_0007, 0).edx & (1 << 8) != 0;
        let mut apic_id = l1.ebx >> 24;
        if max_leaf >= 0xb {
            apic_id = cpuid(0xb, 0).edx;
        }
        Features {
            vendor,
            family,
            model,
            stepping: l1.eax & 0xf,
            x2apic: l1.ecx & (1 << 21) != 0,
            tsc_deadline: l1.ecx & (1 << 24) != 0,
            invariant_tsc: inv,
            nx: ext1.edx & (1 << 20) != 0,
            page1gb: ext1.edx & (1 << 26) != 0,
            svm: ext1.ecx & (1 << 2) != 0,
            vmx: l1.ecx & (1 << 5) != 0,
            hypervisor: l1.ecx & (1 << 31) != 0,
            xsave: l1.ecx & (1 << 26) != 0,
            apic_id,
            max_leaf,
            max_ext_leaf,
        }
    }

    pub fn vendor_str(&self) -> &str {
        core::str::from_utf8(&self.vendor).unwrap_or("?")
    }

    pub fn is_amd(&self) -> bool {
        &self.vendor == b"AuthenticAMD" || &self.vendor == b"HygonGenuine"
    }
}

/// The processor's brand string (CPUID 0x80000002..4), trimmed.
pub fn brand(buf: &mut [u8; 48]) -> &str {
    if max_leaves().1 < 0x8000_0004 {
        return "";
    }
    for (i, leaf) in (0x8000_0002u32..=0x8000_0004).enumerate() {
        let r = cpuid(leaf, 0);
        for (j, w) in [r.eax, r.ebx, r.ecx, r.edx].iter().enumerate() {
            let o = i * 16 + j * 4;
            buf[o..o + 4].copy_from_slice(&w.to_le_bytes());
        }
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(48);
    core::str::from_utf8(&buf[..end]).unwrap_or("").trim()
}

/// Stops this CPU until the next interrupt.
pub fn halt() {
    // SAFETY: HLT only waits for an interrupt.
    unsafe { core::arch::asm!("hlt", options(nomem, nostack, preserves_flags)) };
}

/// Sleeps until the next interrupt unless `done()` already holds, without the race where
/// the awaited interrupt arrives between the check and HLT: the check runs with interrupts
/// off, and STI;HLT opens the window only as HLT starts.
pub fn wait_unless(done: &dyn Fn() -> bool) {
    let was_on = disable_interrupts();
    if done() {
        if was_on {
            enable_interrupts();
        }
        return;
    }
    // SAFETY: STI's one-instruction shadow makes STI;HLT atomic with respect to interrupts;
    // the IDT is loaded before anything waits.
    unsafe { core::arch::asm!("sti; hlt", options(nomem, nostack)) };
    if !was_on {
        disable_interrupts();
    }
}

/// Stops this CPU for good (interrupts off).
pub fn halt_forever() -> ! {
    loop {
        // SAFETY: with interrupts masked, CLI; HLT parks the CPU (an NMI returns here).
        unsafe { core::arch::asm!("cli; hlt", options(nomem, nostack)) };
    }
}

/// Enables interrupts on this CPU.
pub fn enable_interrupts() {
    // SAFETY: the IDT is loaded before anything calls this.
    unsafe { core::arch::asm!("sti", options(nomem, nostack)) };
}

/// Disables interrupts; returns whether they were on.
pub fn disable_interrupts() -> bool {
    let flags: u64;
    // SAFETY: reads RFLAGS and clears IF; no memory is touched.
    unsafe { core::arch::asm!("pushfq; pop {}; cli", out(reg) flags, options(nomem)) };
    flags & (1 << 9) != 0
}

/// Reads CR0, CR2, CR3, CR4.
pub fn control_regs() -> [u64; 4] {
    let (cr0, cr2, cr3, cr4): (u64, u64, u64, u64);
    // SAFETY: reading control registers has no side effect.
    unsafe {
        core::arch::asm!("mov {}, cr0", out(reg) cr0, options(nomem, nostack, preserves_flags));
        core::arch::asm!("mov {}, cr2", out(reg) cr2, options(nomem, nostack, preserves_flags));
        core::arch::asm!("mov {}, cr3", out(reg) cr3, options(nomem, nostack, preserves_flags));
        core::arch::asm!("mov {}, cr4", out(reg) cr4, options(nomem, nostack, preserves_flags));
    }
    [cr0, cr2, cr3, cr4]
}

/// The current frame pointer.
#[inline(always)]
pub fn frame_pointer() -> u64 {
    let fp: u64;
    // SAFETY: reads RBP.
    unsafe {
        core::arch::asm!("mov {}, rbp", out(reg) fp, options(nomem, nostack, preserves_flags))
    };
    fp
}

/// How many low APIC ID bits number the threads of one core (CPUID 0xB level 0, or AMD's
/// 0x8000001E threads-per-core), 0 when the CPU reports no SMT.
pub fn smt_shift(f: &Features) -> u32 {
    if f.max_leaf >= 0xb {
        let r = cpuid(0xb, 0);
        // Level type 1 = SMT; EBX = logical processors at this level.
        if (r.ecx >> 8) & 0xff == 1 && r.ebx != 0 {
            return r.eax & 0x1f;
        }
    }
    if f.is_amd() && f.max_ext_leaf >= 0x8000_001e {
        let threads = ((cpuid(0x8000_001e, 0).ebx >> 8) & 0xff) + 1;
        return u32::BITS - (threads - 1).leading_zeros();
    }
    0
}
