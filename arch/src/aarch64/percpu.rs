//! The aarch64 per-CPU register: TPIDR_EL2 holds the address of this CPU's
//! [`crate::percpu::PerCpu`] slot (Xen keeps its per-CPU offset there too).

/// Points TPIDR_EL2 at slot `index` (the boot CPU first thing; secondaries on arrival).
pub fn init_this_cpu(index: u32, mpidr: u32) {
    if let Some(addr) = crate::percpu::prepare(index, mpidr) {
        // SAFETY: TPIDR_EL2 is a scratch register Ferrite uses only for per-CPU data; this
        // runs at EL2 (`aarch64_start` checks the entry EL first).
        unsafe { core::arch::asm!("msr tpidr_el2, {}", in(reg) addr, options(nostack)) };
    }
}

/// This CPU's index, read through TPIDR_EL2 (0 before it is set, or when not at EL2).
pub fn cpu_index() -> u32 {
    if !super::boot::at_el2() {
        return 0;
    }
    let slot: u64;
    // SAFETY: reading TPIDR_EL2 at EL2 has no side effect.
    unsafe { core::arch::asm!("mrs {}, tpidr_el2", out(reg) slot, options(nomem, nostack)) };
    if slot == 0 {
        return 0;
    }
    // SAFETY: a non-zero TPIDR_EL2 was set by `init_this_cpu` to a live, 'static PerCpu slot,
    // whose `index` is an AtomicU32 at offset 8.
    unsafe {
        (*((slot + 8) as *const core::sync::atomic::AtomicU32))
            .load(core::sync::atomic::Ordering::Relaxed)
    }
}

const _: () = assert!(core::mem::offset_of!(crate::percpu::PerCpu, index) == 8);
