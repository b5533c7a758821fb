//! What a vCPU run gives back to common code: one decoded exit (ARCHITECTURE.md, "The
//! hypercall path"). Arch code decodes; the hypervisor decides.

/// Why the guest stopped running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The guest asked for a hypercall (`VMMCALL`/`VMCALL`, `HVC #0xEA1`). The instruction is
    /// `insn_len` bytes long: the caller steps over it only when the call completes.
    Hypercall { insn_len: u8 },
    /// CPUID.
    Cpuid { insn_len: u8 },
    /// RDMSR (`write == false`) or WRMSR; the MSR number is in ECX.
    Msr { write: bool, insn_len: u8 },
    /// PAUSE in a spin loop (pause-loop exiting) / WFE: let another vCPU run.
    Pause { insn_len: u8 },
    /// HLT / WFI: the vCPU waits for an event.
    Halt { insn_len: u8 },
    /// A host interrupt arrived while the guest ran; the host handles it when it re-enables
    /// interrupts.
    Interrupt,
    /// A host NMI arrived while the guest ran.
    Nmi,
    /// Bookkeeping for the NMI window (x86 without virtual NMIs): the guest reached the IRET
    /// of an NMI handler, or the instruction after it. Arch code has noted it; the next
    /// entry may inject another NMI. Nothing for common code to do.
    NmiWindow,
    /// Port I/O to a port the guest does not own (`IN`/`OUT`, or their string forms).
    Io {
        port: u16,
        /// 1, 2 or 4 bytes.
        size: u8,
        write: bool,
        string: bool,
        rep: bool,
    },
    /// The guest triple-faulted (shutdown).
    Shutdown,
    /// The guest raised #UD (x86; intercepted to serve the other vendor's hypercall
    /// instruction).
    InvalidOpcode,
    /// A physical INIT arrived while the guest ran (x86): nothing for the guest.
    Init,
    /// XSETBV (x86): the guest sets an extended control register (index in ECX, value in
    /// EDX:EAX).
    Xsetbv,
    /// A guest access missed the nested page tables.
    NestedPageFault { gpa: u64, error: u64 },
    /// Anything this build does not handle: the domain is crashed with a report.
    Unhandled { code: u64, info1: u64, info2: u64 },
}
