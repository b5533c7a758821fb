//! The IDT (Intel SDM vol. 3, 6.14): any exception is unexpected in a test guest, so each one
//! is reported with the registers and ends the guest with `Test result: ERROR (exception N at
//! RIP ...)`; the event-channel upcall vector runs [`crate::events`]' handler, the device
//! vector [`IRQ_VECTOR`] the handler a guest set with [`set_irq_handler`], and an NMI
//! (`VCPUOP_send_nmi`) is counted per vCPU ([`nmis`]) and returned from.

use core::arch::asm;
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

use crate::harness::{Status, finish};
use crate::once::Once;
use crate::println;

/// The stack frame `exc_common` (entry.S) hands to [`guest_exception`].
#[repr(C)]
pub struct ExceptionFrame {
    r15: u64,
    r14: u64,
    r13: u64,
    r12: u64,
    r11: u64,
    r10: u64,
    r9: u64,
    r8: u64,
    rbp: u64,
    rdi: u64,
    rsi: u64,
    rdx: u64,
    rcx: u64,
    rbx: u64,
    rax: u64,
    vector: u64,
    error_code: u64,
    rip: u64,
    cs: u64,
    rflags: u64,
    rsp: u64,
    ss: u64,
}

const NAMES: [&str; 32] = [
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "coproc", "#TS", "#NP", "#SS",
    "#GP", "#PF", "reserved", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "reserved", "reserved",
    "reserved", "reserved", "reserved", "reserved", "#HV", "#VC", "#SX", "reserved",
];

unsafe extern "C" {
    /// Addresses of the 32 stubs (entry.S).
    static guest_exception_stubs: [u64; 32];
}

/// The IDT: 256 16-byte interrupt gates (exceptions, then the upcall vector; every other
/// vector reports a spurious interrupt).
#[repr(C, align(16))]
struct Idt([u128; 256]);

/// The vector Ferrite's test guests take event-channel upcalls on
/// (`HVM_PARAM_CALLBACK_IRQ` type vector, or `HVMOP_set_evtchn_upcall_vector`).
pub const UPCALL_VECTOR: u8 = 0xf3;

/// The vector a test guest programs for a device interrupt (an I/O APIC pin); it runs the
/// handler given to [`set_irq_handler`], which ends the interrupt at the local APIC itself.
pub const IRQ_VECTOR: u8 = 0x68;

unsafe extern "C" {
    fn guest_upcall_stub();
    fn guest_irq_stub();
    fn guest_spurious_stub();
}

static IDT: Once<Idt> = Once::new();
static IRQ_HANDLER: Once<fn()> = Once::new();

/// Sets what [`IRQ_VECTOR`] runs (once; false if a handler was already set).
pub fn set_irq_handler(handler: fn()) -> bool {
    IRQ_HANDLER.set(handler)
}

/// Called by `guest_irq_stub` (entry.S) for [`IRQ_VECTOR`]; without a handler the interrupt
/// is unexpected and ends the guest.
#[unsafe(no_mangle)]
extern "C" fn guest_irq() {
    match IRQ_HANDLER.get() {
        Some(h) => h(),
        None => finish(
            Status::Error,
            Some(format_args!(
                "device interrupt {IRQ_VECTOR:#x} without a handler"
            )),
        ),
    }
}

fn gate(handler: u64) -> u128 {
    let h = u128::from(handler);
    let low = h & 0xffff;
    let selector = 0x08u128 << 16; // the 64-bit code segment of entry.S's GDT
    let attrs = 0x8e00u128 << 32; // present, DPL 0, 64-bit interrupt gate, IST 0
    let mid = ((h >> 16) & 0xffff) << 48;
    let high = (h >> 32) << 64;
    low | selector | attrs | mid | high
}

/// Boot step: builds and loads the IDT.
pub(crate) fn init() {
    // SAFETY: the stub table is immutable data defined in entry.S.
    let stubs = unsafe { guest_exception_stubs };
    let mut gates = [gate(guest_spurious_stub as *const () as u64); 256];
    for (g, &s) in gates.iter_mut().zip(stubs.iter()) {
        *g = gate(s);
    }
    if let Some(g) = gates.get_mut(usize::from(UPCALL_VECTOR)) {
        *g = gate(guest_upcall_stub as *const () as u64);
    }
    if let Some(g) = gates.get_mut(usize::from(IRQ_VECTOR)) {
        *g = gate(guest_irq_stub as *const () as u64);
    }
    IDT.set(Idt(gates));
    load();
}

/// Loads the IDT on this vCPU (secondary vCPUs call it as they start).
pub fn load() {
    let Some(idt) = IDT.get() else { return };
    #[repr(C, packed)]
    struct Pointer {
        limit: u16,
        base: u64,
    }
    let ptr = Pointer {
        limit: (core::mem::size_of::<Idt>() - 1) as u16,
        base: (idt as *const Idt) as u64,
    };
    // SAFETY: the IDT is in a static that lives for the whole run, and every gate points at a
    // stub of entry.S that reports the exception.
    unsafe {
        asm!("lidt [{}]", in(reg) &raw const ptr, options(readonly, nostack, preserves_flags))
    };
}

fn read_cr2() -> u64 {
    let cr2: u64;
    // SAFETY: reading CR2 has no side effect.
    unsafe { asm!("mov {}, cr2", out(reg) cr2, options(nomem, nostack, preserves_flags)) };
    cr2
}

static DEPTH: AtomicU32 = AtomicU32::new(0);

/// Called by `exc_common` with the frame; reports and ends the guest.
/// The RIP of an instruction whose #GP is expected (`cpu::rdmsr_safe`), and whether it came.
pub(crate) static FIXUP_RIP: AtomicU64 = AtomicU64::new(0);
pub(crate) static FIXUP_LEN: AtomicU64 = AtomicU64::new(0);
pub(crate) static FAULTED: AtomicBool = AtomicBool::new(false);

/// NMIs taken, per vCPU (by CPUID's initial APIC id; see [`nmis`]).
static NMIS: [AtomicU32; 64] = [const { AtomicU32::new(0) }; 64];

/// Set by a test: the next NMI handler sends its vCPU another NMI, which must wait for the
/// handler's IRET (NMIs are blocked until then).
pub static NMI_RESEND: AtomicBool = AtomicBool::new(false);
/// Set if that second NMI arrived inside the handler (or could not be sent).
pub static NMI_NESTED: AtomicBool = AtomicBool::new(false);

/// How many NMIs vCPU `vcpu` has taken.
pub fn nmis(vcpu: u32) -> u32 {
    NMIS.get(vcpu as usize)
        .map_or(0, |n| n.load(Ordering::SeqCst))
}

#[unsafe(no_mangle)]
extern "C" fn guest_exception(frame: &mut ExceptionFrame) {
    let vector = frame.vector;
    if vector == 2 {
        // An NMI: count it and return with IRET, which opens the window for the next.
        let me = crate::time::this_vcpu();
        if let Some(n) = NMIS.get(me as usize) {
            n.fetch_add(1, Ordering::SeqCst);
        }
        if NMI_RESEND.swap(false, Ordering::SeqCst) {
            let before = nmis(me);
            // SAFETY: VCPUOP_send_nmi takes no argument.
            let r = unsafe {
                crate::hypercall::vcpu_op(ferrite_abi::vcpu::VcpuOp::SendNmi.raw(), me, 0)
            };
            if r != 0 || nmis(me) != before {
                NMI_NESTED.store(true, Ordering::SeqCst);
            }
        }
        return;
    }
    if vector == 13 && frame.rip != 0 && FIXUP_RIP.swap(0, Ordering::SeqCst) == frame.rip {
        // An expected #GP (an MSR probe): step over the instruction and carry on.
        frame.rip += FIXUP_LEN.load(Ordering::SeqCst);
        FAULTED.store(true, Ordering::SeqCst);
        return;
    }
    report(frame)
}

fn report(frame: &ExceptionFrame) -> ! {
    let vector = frame.vector;
    if DEPTH.fetch_add(1, Ordering::SeqCst) > 0 {
        // An exception while reporting one: say the least that can still work.
        finish(
            Status::Error,
            Some(format_args!(
                "nested exception {vector} at RIP {:#x}",
                frame.rip
            )),
        );
    }
    let name = NAMES
        .get(usize::try_from(vector).unwrap_or(usize::MAX))
        .copied()
        .unwrap_or("spurious interrupt");
    println!(
        "Exception {vector} ({name}), error code {:#x}, at RIP {:#x} CS {:#x} RFLAGS {:#x} RSP {:#x} SS {:#x}",
        frame.error_code, frame.rip, frame.cs, frame.rflags, frame.rsp, frame.ss
    );
    if vector == 14 {
        println!("  CR2 {:#x}", read_cr2());
    }
    println!(
        "  RAX {:#x} RBX {:#x} RCX {:#x} RDX {:#x} RSI {:#x} RDI {:#x} RBP {:#x}",
        frame.rax, frame.rbx, frame.rcx, frame.rdx, frame.rsi, frame.rdi, frame.rbp
    );
    println!(
        "  R8 {:#x} R9 {:#x} R10 {:#x} R11 {:#x} R12 {:#x} R13 {:#x} R14 {:#x} R15 {:#x}",
        frame.r8, frame.r9, frame.r10, frame.r11, frame.r12, frame.r13, frame.r14, frame.r15
    );
    finish(
        Status::Error,
        Some(format_args!(
            "exception {vector} ({name}) at RIP {:#x}",
            frame.rip
        )),
    )
}
