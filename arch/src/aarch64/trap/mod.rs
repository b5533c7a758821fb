//! EL2 exceptions: the vector table, the trap frame and dispatch (Xen's
//! `xen/arch/arm/arm64/entry.S` and `traps.c`).
//!
//! Interrupts go to the GIC driver's handlers. Every synchronous exception, SError or FIQ
//! taken from EL2 itself is fatal: the crash report (with the ESR decoded by [`esr`]) goes to
//! the handler the kernel registered, which stops per the reboot policy. Exceptions from
//! lower ELs cannot happen yet (no guest runs) and are fatal too.

pub mod esr;

#[cfg(all(target_arch = "aarch64", target_os = "none"))]
mod hw {
    use super::esr::Esr;
    use crate::crash::{self, CrashReport};

    core::arch::global_asm!(include_str!("entry.S"));

    /// Registers saved by the vector entry, lowest address first.
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct TrapFrame {
        pub x: [u64; 31],
        pub sp: u64,
        pub elr: u64,
        pub spsr: u64,
        pub esr: u64,
        pub far: u64,
        record: [u64; 2],
        pad: [u64; 2],
    }

    const _: () = assert!(core::mem::size_of::<TrapFrame>() == 320);
    const _: () = assert!(core::mem::offset_of!(TrapFrame, elr) == 256);

    /// The vector table's entries, in order.
    fn kind_name(kind: u64) -> &'static str {
        const NAMES: [&str; 16] = [
            "synchronous",
            "IRQ",
            "FIQ",
            "SError",
            "synchronous (in an exception handler)",
            "IRQ (in an exception handler)",
            "FIQ (in an exception handler)",
            "SError (in an exception handler)",
            "synchronous from a lower EL (AArch64)",
            "IRQ from a lower EL (AArch64)",
            "FIQ from a lower EL (AArch64)",
            "SError from a lower EL (AArch64)",
            "synchronous from a lower EL (AArch32)",
            "IRQ from a lower EL (AArch32)",
            "FIQ from a lower EL (AArch32)",
            "SError from a lower EL (AArch32)",
        ];
        NAMES.get(kind as usize).copied().unwrap_or("unknown")
    }

    #[unsafe(no_mangle)]
    extern "C" fn aarch64_trap(kind: u64, frame: &mut TrapFrame) {
        // IRQs while Ferrite's code runs (on SP_EL0: entry 1) or on the exception stack (5).
        if kind == 1 || kind == 5 {
            crate::aarch64::gic::handle_irq();
            return;
        }
        fatal(kind, frame)
    }

    /// Prints the crash report for `frame` and stops.
    pub fn fatal(kind: u64, f: &TrapFrame) -> ! {
        const NAMES: [&str; 31] = [
            "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
            "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25",
            "x26", "x27", "x28", "fp", "lr",
        ];
        let mut regs = [("", 0u64); 31];
        for ((slot, name), v) in regs.iter_mut().zip(NAMES).zip(f.x) {
            *slot = (name, v);
        }
        let system = [
            ("esr", f.esr),
            ("far", f.far),
            ("elr", f.elr),
            ("spsr", f.spsr),
            ("sctlr", crate::aarch64::cpu::read_sysreg!("sctlr_el2")),
            ("ttbr0", crate::aarch64::cpu::read_sysreg!("ttbr0_el2")),
            ("hcr", crate::aarch64::cpu::read_sysreg!("hcr_el2")),
        ];
        let mut bt = [0u64; crash::MAX_FRAMES];
        let n = crash::walk_frames(f.x[29], crate::stacks::read_stack_word, &mut bt);
        let report = CrashReport {
            what: format_args!(
                "FATAL TRAP: {} exception at EL2; {}; FAR={:#x}",
                kind_name(kind),
                Esr(f.esr),
                f.far
            ),
            cpu: crate::aarch64::percpu::cpu_index(),
            arch: "aarch64",
            ip: f.elr,
            sp: f.sp,
            regs: &regs,
            system: &system,
            backtrace: bt.get(..n).unwrap_or(&[]),
        };
        crash::report(&report)
    }
}

#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub use hw::{TrapFrame, fatal};
