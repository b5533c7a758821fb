//! x86_64 mechanisms: boot, paging, traps, APIC, timers, SMP and the VM backends.
//!
//! Modules that execute privileged instructions build only for the bare-metal target; the
//! rest also build and are tested on the host.

pub mod decode;
pub mod irq;
pub mod paging;
pub mod svm;
pub mod vioapic;
pub mod vlapic;
pub mod xstate;

#[cfg(target_os = "none")]
pub mod apic;
#[cfg(target_os = "none")]
pub mod boot;
#[cfg(target_os = "none")]
pub mod cpu;
#[cfg(target_os = "none")]
pub mod gdt;
#[cfg(target_os = "none")]
pub mod ioapic;
#[cfg(target_os = "none")]
pub mod irq_bind;
#[cfg(target_os = "none")]
pub mod kick;
#[cfg(target_os = "none")]
pub mod machine;
#[cfg(target_os = "none")]
pub mod percpu;
#[cfg(target_os = "none")]
pub mod port;
#[cfg(target_os = "none")]
pub mod smp;
#[cfg(target_os = "none")]
pub mod space;
#[cfg(target_os = "none")]
pub mod stacks;
#[cfg(target_os = "none")]
pub mod time;
#[cfg(target_os = "none")]
pub mod trap;
#[cfg(target_os = "none")]
pub mod virt;

#[cfg(target_os = "none")]
unsafe extern "Rust" {
    /// The architecture-neutral start of Ferrite, defined by the kernel image.
    safe fn ferrite_main(magic: u32, info: u64) -> !;
}

/// Writes bytes straight to COM1 (0x3f8), for crashes before the console exists.
#[cfg(target_os = "none")]
pub fn early_write(bytes: &[u8]) {
    for &b in bytes {
        for _ in 0..100_000 {
            // SAFETY: COM1's line status register; reading it has no side effect.
            if unsafe { port::inb(0x3fd) } & 0x20 != 0 {
                break;
            }
        }
        // SAFETY: COM1's transmit register.
        unsafe { port::outb(0x3f8, b) };
    }
}

/// First Rust code, called from `boot64` on the boot stack with identity paging for 4 GiB.
#[cfg(target_os = "none")]
#[unsafe(no_mangle)]
extern "C" fn x86_64_start(magic: u32, info: u32) -> ! {
    percpu::init_this_cpu(0, 0);
    trap::load_idt();
    crate::crash::set_early(early_write, cpu::halt_forever);
    stacks::register(
        boot::layout::boot_stack_bottom_addr(),
        boot::layout::boot_stack_top_addr(),
    );
    ferrite_main(magic, u64::from(info))
}

/// Writes a zero byte at `addr` with a plain store instruction. Used by test hooks to
/// trigger a page fault on purpose: the fault is taken by the trap handler, which reports
/// and stops, so execution never continues past a bad store.
#[cfg(target_os = "none")]
pub fn probe_write(addr: u64) {
    // SAFETY: the store either hits mapped memory the caller chose (and may clobber it, which
    // is the caller's intent in a test) or faults into the fatal trap handler, which never
    // returns here.
    unsafe { core::arch::asm!("mov byte ptr [{}], 0", in(reg) addr, options(nostack)) };
}
