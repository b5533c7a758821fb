//! The x86_64 per-CPU register: GS base holds the address of this CPU's
//! [`crate::percpu::PerCpu`] slot.

use super::cpu::{MSR_GS_BASE, wrmsr};

/// Points GS at slot `index` (the boot CPU calls this first thing; APs on arrival).
pub fn init_this_cpu(index: u32, apic_id: u32) {
    if let Some(addr) = crate::percpu::prepare(index, apic_id) {
        // SAFETY: GS_BASE exists on every x86_64 CPU; Ferrite uses GS only for per-CPU data.
        unsafe { wrmsr(MSR_GS_BASE, addr) };
    }
}

/// This CPU's index, read through GS. Every CPU runs `init_this_cpu` before any other Rust
/// code (`x86_64_start`, `ap_start`), so GS always points at a slot.
pub fn cpu_index() -> u32 {
    let idx: u32;
    // SAFETY: GS points at a live, 'static PerCpu slot, whose `index` is at offset 8.
    unsafe {
        core::arch::asm!("mov {:e}, gs:[8]", out(reg) idx, options(readonly, nostack, preserves_flags))
    };
    idx
}

const _: () = assert!(core::mem::offset_of!(crate::percpu::PerCpu, index) == 8);
