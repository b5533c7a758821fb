//! Exceptions and interrupts: the IDT, the trap frame, and dispatch.
//!
//! Every exception Ferrite does not expect is fatal: it prints the crash report (through the
//! handler the kernel registered with [`crate::crash::set_handler`]) and stops per the
//! reboot policy. #DF, NMI and #MC run on their own IST stacks so that a stack overflow
//! (which hits a guard page) still reports.

use core::sync::atomic::{AtomicPtr, Ordering};

use crate::crash::{self, CrashReport};

core::arch::global_asm!(include_str!("entry.S"), options(att_syntax));

/// Registers saved by the entry path, lowest address first.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct TrapFrame {
    pub r15: u64,
    pub r14: u64,
    pub r13: u64,
    pub r12: u64,
    pub r11: u64,
    pub r10: u64,
    pub r9: u64,
    pub r8: u64,
    pub rbp: u64,
    pub rdi: u64,
    pub rsi: u64,
    pub rdx: u64,
    pub rcx: u64,
    pub rbx: u64,
    pub rax: u64,
    pub vector: u64,
    pub error_code: u64,
    pub rip: u64,
    pub cs: u64,
    pub rflags: u64,
    pub rsp: u64,
    pub ss: u64,
}

const _: () = assert!(core::mem::size_of::<TrapFrame>() == 22 * 8);
const _: () = assert!(core::mem::offset_of!(TrapFrame, rip) == 0x88);

/// Interrupt vectors Ferrite uses.
pub mod vector {
    /// The LAPIC timer.
    pub const TIMER: u8 = 0xf0;
    /// A cross-CPU call / wakeup.
    pub const IPI_CALL: u8 = 0xf1;
    /// Stop this CPU (crash or shutdown on another CPU).
    pub const IPI_STOP: u8 = 0xf2;
    /// LAPIC error.
    pub const APIC_ERROR: u8 = 0xfe;
    /// The LAPIC spurious vector.
    pub const SPURIOUS: u8 = 0xff;
}

pub const IST_DOUBLE_FAULT: u8 = 1;
pub const IST_NMI: u8 = 2;
pub const IST_MACHINE_CHECK: u8 = 3;

/// Xen's names for the exception vectors (`xen/arch/x86/traps.c` `trapstr`).
pub fn exception_name(v: u64) -> &'static str {
    const NAMES: [&str; 32] = [
        "divide error",
        "debug",
        "nmi",
        "int3",
        "overflow",
        "bounds",
        "invalid opcode",
        "device not available",
        "double fault",
        "coprocessor segment",
        "invalid tss",
        "segment not found",
        "stack error",
        "general protection fault",
        "page fault",
        "spurious interrupt",
        "coprocessor error",
        "alignment check",
        "machine check",
        "simd error",
        "virtualisation exception",
        "control protection",
        "reserved",
        "reserved",
        "reserved",
        "reserved",
        "reserved",
        "reserved",
        "hypervisor injection",
        "vmm communication",
        "security exception",
        "reserved",
    ];
    NAMES.get(v as usize).copied().unwrap_or("interrupt")
}

#[repr(C, packed)]
struct IdtPointer {
    limit: u16,
    base: u64,
}

#[derive(Clone, Copy)]
#[repr(C)]
struct Gate {
    offset_lo: u16,
    selector: u16,
    ist: u8,
    type_attr: u8,
    offset_mid: u16,
    offset_hi: u32,
    reserved: u32,
}

#[repr(C, align(16))]
struct Idt([Gate; 256]);

static IDT: spin::Once<Idt> = spin::Once::new();

unsafe extern "C" {
    /// 256 entry stubs of 16 bytes each (entry.S).
    static trap_stubs: u8;
}

/// Code segment selector of Ferrite's GDT (see `gdt.rs`).
pub const KERNEL_CS: u16 = 0x08;

fn build_idt() -> Idt {
    let empty = Gate {
        offset_lo: 0,
        selector: 0,
        ist: 0,
        type_attr: 0,
        offset_mid: 0,
        offset_hi: 0,
        reserved: 0,
    };
    let mut idt = Idt([empty; 256]);
    let stubs = core::ptr::addr_of!(trap_stubs) as u64;
    for (v, gate) in idt.0.iter_mut().enumerate() {
        let addr = stubs + 16 * v as u64;
        let ist = match v {
            8 => IST_DOUBLE_FAULT,
            2 => IST_NMI,
            18 => IST_MACHINE_CHECK,
            _ => 0,
        };
        *gate = Gate {
            offset_lo: addr as u16,
            selector: KERNEL_CS,
            ist,
            type_attr: 0x8e, // present, DPL0, 64-bit interrupt gate
            offset_mid: (addr >> 16) as u16,
            offset_hi: (addr >> 32) as u32,
            reserved: 0,
        };
    }
    idt
}

/// Loads the (shared) IDT on this CPU.
pub fn load_idt() {
    let idt = IDT.call_once(build_idt);
    let ptr = IdtPointer {
        limit: (core::mem::size_of::<Idt>() - 1) as u16,
        base: idt as *const Idt as u64,
    };
    // SAFETY: the IDT is a 'static table of valid gates whose handlers are the stubs in
    // entry.S, all using Ferrite's kernel code selector.
    unsafe {
        core::arch::asm!("lidt [{}]", in(reg) &ptr, options(readonly, nostack, preserves_flags))
    };
}

/// An interrupt handler for a vector at or above 32.
pub type Handler = fn(&mut TrapFrame);

static HANDLERS: [AtomicPtr<()>; 256] = [const { AtomicPtr::new(core::ptr::null_mut()) }; 256];

/// Installs `h` for interrupt vector `v` (32..=255).
pub fn set_handler(v: u8, h: Handler) {
    if v >= 32 {
        HANDLERS[v as usize].store(h as *mut (), Ordering::Release);
    }
}

#[unsafe(no_mangle)]
extern "C" fn x86_64_trap(frame: &mut TrapFrame) {
    let v = frame.vector;
    if v >= 32 {
        let h = HANDLERS[(v & 0xff) as usize].load(Ordering::Acquire);
        if !h.is_null() {
            // SAFETY: only `set_handler` stores into HANDLERS, and it stores `Handler`s.
            let h: Handler = unsafe { core::mem::transmute::<*mut (), Handler>(h) };
            h(frame);
            return;
        }
        if v == u64::from(vector::SPURIOUS) {
            return;
        }
        log::warn!(
            "unexpected interrupt vector {v:#x} on CPU {}",
            super::percpu::cpu_index()
        );
        super::apic::eoi();
        return;
    }
    if v == 2 {
        nmi(frame);
        return;
    }
    fatal(frame);
}

fn nmi(frame: &mut TrapFrame) {
    if super::smp::stop_requested() {
        crate::x86_64::cpu::halt_forever();
    }
    log::warn!(
        "NMI on CPU {} at {:#x}",
        super::percpu::cpu_index(),
        frame.rip
    );
}

/// Prints the crash report for `frame` and stops.
pub fn fatal(frame: &TrapFrame) -> ! {
    let [cr0, cr2, cr3, cr4] = super::cpu::control_regs();
    let regs = [
        ("rax", frame.rax),
        ("rbx", frame.rbx),
        ("rcx", frame.rcx),
        ("rdx", frame.rdx),
        ("rsi", frame.rsi),
        ("rdi", frame.rdi),
        ("rbp", frame.rbp),
        ("rsp", frame.rsp),
        ("r8", frame.r8),
        ("r9", frame.r9),
        ("r10", frame.r10),
        ("r11", frame.r11),
        ("r12", frame.r12),
        ("r13", frame.r13),
        ("r14", frame.r14),
        ("r15", frame.r15),
        ("rflags", frame.rflags),
        ("cs", frame.cs),
        ("ss", frame.ss),
    ];
    let system = [("cr0", cr0), ("cr2", cr2), ("cr3", cr3), ("cr4", cr4)];
    let mut bt = [0u64; crash::MAX_FRAMES];
    let n = crash::walk_frames(frame.rbp, super::stacks::read_stack_word, &mut bt);
    let has_ec = matches!(frame.vector, 8 | 10..=14 | 17 | 21 | 29 | 30);
    let mut ec = [0u8; 24];
    let ec_str = if has_ec {
        fmt_ec(frame.error_code, &mut ec)
    } else {
        ""
    };
    let report = CrashReport {
        what: format_args!(
            "FATAL TRAP: vector = {} ({}){}{}",
            frame.vector,
            exception_name(frame.vector),
            ec_str,
            if frame.vector == 14 {
                " [cr2 above]"
            } else {
                ""
            }
        ),
        cpu: super::percpu::cpu_index(),
        arch: "x86_64",
        ip: frame.rip,
        sp: frame.rsp,
        regs: &regs,
        system: &system,
        backtrace: &bt[..n],
    };
    crash::report(&report)
}

fn fmt_ec(ec: u64, buf: &mut [u8; 24]) -> &str {
    use core::fmt::Write;
    struct W<'a>(&'a mut [u8; 24], usize);
    impl Write for W<'_> {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            let end = self.1 + s.len();
            self.0
                .get_mut(self.1..end)
                .ok_or(core::fmt::Error)?
                .copy_from_slice(s.as_bytes());
            self.1 = end;
            Ok(())
        }
    }
    let mut w = W(buf, 0);
    let _ = write!(w, " [error_code={ec:04x}]");
    let len = w.1;
    core::str::from_utf8(&buf[..len]).unwrap_or("")
}
