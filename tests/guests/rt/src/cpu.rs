//! The few x86 instructions the runtime needs: CPUID, port I/O, WRMSR, HLT (Intel SDM vol. 2).

use core::arch::asm;

/// The four registers CPUID returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpuidResult {
    /// EAX.
    pub eax: u32,
    /// EBX.
    pub ebx: u32,
    /// ECX.
    pub ecx: u32,
    /// EDX.
    pub edx: u32,
}

/// CPUID `leaf`, sub-leaf `subleaf`.
pub fn cpuid(leaf: u32, subleaf: u32) -> CpuidResult {
    let (eax, ebx, ecx, edx);
    // SAFETY: CPUID has no side effect on memory; RBX is reserved by LLVM, so it is saved in a
    // scratch register around the instruction.
    unsafe {
        asm!(
            "mov {tmp:r}, rbx",
            "cpuid",
            "xchg {tmp:r}, rbx",
            tmp = out(reg) ebx,
            inout("eax") leaf => eax,
            inout("ecx") subleaf => ecx,
            out("edx") edx,
            options(nostack, preserves_flags),
        );
    }
    CpuidResult { eax, ebx, ecx, edx }
}

/// True on AMD and Hygon CPUs (hypercalls use VMMCALL there, VMCALL elsewhere).
pub fn is_amd() -> bool {
    let r = cpuid(0, 0);
    // "AuthenticAMD" and "HygonGenuine", EBX/EDX/ECX order.
    matches!(
        (r.ebx, r.edx, r.ecx),
        (0x6874_7541, 0x6974_6e65, 0x444d_4163) | (0x6f67_7948, 0x6e65_476e, 0x656e_6975)
    )
}

/// Writes a byte to an I/O port.
pub fn outb(port: u16, value: u8) {
    // SAFETY: the runtime only writes ports it owns in a test guest (the debug console 0xe9,
    // COM1, isa-debug-exit); a port write does not touch memory.
    unsafe {
        asm!("out dx, al", in("dx") port, in("al") value, options(nomem, nostack, preserves_flags))
    }
}

/// Reads a byte from an I/O port.
pub fn inb(port: u16) -> u8 {
    let value: u8;
    // SAFETY: as for `outb`: reads of the UART's status register only.
    unsafe {
        asm!("in al, dx", in("dx") port, out("al") value, options(nomem, nostack, preserves_flags))
    }
    value
}

/// Writes a 32-bit value to an I/O port.
pub fn outl(port: u16, value: u32) {
    // SAFETY: as for `outb` (isa-debug-exit takes a 32-bit write).
    unsafe {
        asm!("out dx, eax", in("dx") port, in("eax") value, options(nomem, nostack, preserves_flags))
    }
}

/// Writes a model-specific register.
///
/// # Safety
///
/// The write must not break the runtime's own state (paging, EFER, the IDT...). Writing Xen's
/// hypercall-page MSR makes the hypervisor fill the page it names, which must be ours to give.
pub unsafe fn wrmsr(msr: u32, value: u64) {
    // SAFETY: the caller upholds the contract above.
    unsafe {
        asm!(
            "wrmsr",
            in("ecx") msr,
            in("eax") value as u32,
            in("edx") (value >> 32) as u32,
            options(nostack, preserves_flags),
        );
    }
}

/// Stops this CPU for good: interrupts off, then HLT forever.
pub fn halt_forever() -> ! {
    loop {
        // SAFETY: CLI and HLT touch no memory; with interrupts off nothing runs after this.
        unsafe { asm!("cli", "hlt", options(nomem, nostack)) }
    }
}

/// The time-stamp counter, read after every earlier instruction completed (LFENCE), so a
/// difference of two reads measures the code between them.
pub fn rdtsc() -> u64 {
    let lo: u32;
    let hi: u32;
    // SAFETY: LFENCE and RDTSC only order execution and read the time-stamp counter.
    unsafe { asm!("lfence", "rdtsc", out("eax") lo, out("edx") hi, options(nomem, nostack)) };
    (u64::from(hi) << 32) | u64::from(lo)
}

/// Whether RDTSCP exists (CPUID 0x80000001 EDX bit 27).
pub fn has_rdtscp() -> bool {
    cpuid(0x8000_0000, 0).eax >= 0x8000_0001 && cpuid(0x8000_0001, 0).edx & (1 << 27) != 0
}

/// RDTSCP: the time-stamp counter and TSC_AUX (what the OS stored there, e.g. its CPU
/// number). Only where [`has_rdtscp`] says so.
pub fn rdtscp() -> (u64, u32) {
    let (lo, hi, aux): (u32, u32, u32);
    // SAFETY: RDTSCP only reads the time-stamp counter and TSC_AUX.
    unsafe {
        asm!("rdtscp", out("eax") lo, out("edx") hi, out("ecx") aux, options(nomem, nostack))
    };
    ((u64::from(hi) << 32) | u64::from(lo), aux)
}

/// Runs `insn`, an instruction of `len` bytes whose asm records its own address in
/// `idt::FIXUP_RIP` first, so that a #GP it raises skips it; true if it raised one.
fn raises_gp(len: u64, insn: impl FnOnce()) -> bool {
    use core::sync::atomic::Ordering;
    crate::idt::FAULTED.store(false, Ordering::SeqCst);
    crate::idt::FIXUP_LEN.store(len, Ordering::SeqCst);
    insn();
    crate::idt::FIXUP_RIP.store(0, Ordering::SeqCst);
    crate::idt::FAULTED.swap(false, Ordering::SeqCst)
}

/// RDMSR that survives a #GP: `None` when the MSR does not exist for this guest.
pub fn rdmsr_safe(msr: u32) -> Option<u64> {
    let mut value = 0u64;
    let gp = raises_gp(2, || {
        let (lo, hi): (u32, u32);
        // SAFETY: RDMSR either reads the MSR or raises #GP, which the exception handler
        // turns into a skip of this 2-byte instruction (its address is recorded first).
        unsafe {
            asm!(
                "lea {tmp}, [rip + 2f]",
                "mov [{slot}], {tmp}",
                "2: rdmsr",
                tmp = out(reg) _,
                slot = in(reg) crate::idt::FIXUP_RIP.as_ptr(),
                in("ecx") msr,
                inlateout("eax") 0u32 => lo,
                inlateout("edx") 0u32 => hi,
                options(nostack),
            );
        }
        value = (u64::from(hi) << 32) | u64::from(lo);
    });
    (!gp).then_some(value)
}

/// WRMSR that survives a #GP: false when the write was refused.
pub fn wrmsr_safe(msr: u32, value: u64) -> bool {
    !raises_gp(2, || {
        // SAFETY: as for `rdmsr_safe`; the caller picks MSRs whose write is harmless to it.
        unsafe {
            asm!(
                "lea {tmp}, [rip + 2f]",
                "mov [{slot}], {tmp}",
                "2: wrmsr",
                tmp = out(reg) _,
                slot = in(reg) crate::idt::FIXUP_RIP.as_ptr(),
                in("ecx") msr,
                in("eax") value as u32,
                in("edx") (value >> 32) as u32,
                options(nostack),
            );
        }
    })
}
