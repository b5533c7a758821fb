//! Getting another CPU's attention (Xen's `vcpu_kick` / `smp_send_event_check_cpu`): a flag
//! the CPU checks before it sleeps, then an IPI that ends its sleep or its guest's run.
//!
//! The flag closes the race with a CPU about to halt: it is set before the IPI is sent, and
//! the sleeper tests it with interrupts off right before `sti; hlt`.

use core::sync::atomic::{AtomicBool, Ordering};

use super::apic::{self, Delivery};
use super::trap::{self, TrapFrame, vector};
use crate::percpu::{self, MAX_CPUS};

static PENDING: [AtomicBool; MAX_CPUS] = [const { AtomicBool::new(false) }; MAX_CPUS];

/// Installs the IPI's handler (once, on the boot CPU; the IDT is shared).
pub fn init() {
    trap::set_handler(vector::IPI_CALL, on_ipi);
}

fn on_ipi(_frame: &mut TrapFrame) {
    // The IPI's only job is to interrupt a halt or a guest run; the flag says why.
    apic::eoi();
}

/// Asks CPU `cpu` to look at its work again. Kicking oneself only sets the flag.
pub fn kick(cpu: u32) {
    let Some(flag) = PENDING.get(cpu as usize) else {
        return;
    };
    flag.store(true, Ordering::SeqCst);
    if cpu == super::percpu::cpu_index() {
        return;
    }
    if let Some(c) = percpu::cpu(cpu)
        && c.online.load(Ordering::Acquire)
    {
        apic::send_ipi(
            c.hw_id.load(Ordering::Relaxed),
            Delivery::Fixed(vector::IPI_CALL),
        );
    }
}

/// Whether this CPU was kicked since it last called [`take`].
pub fn pending() -> bool {
    PENDING
        .get(super::percpu::cpu_index() as usize)
        .is_some_and(|f| f.load(Ordering::SeqCst))
}

/// Clears this CPU's kick, returning whether there was one.
pub fn take() -> bool {
    PENDING
        .get(super::percpu::cpu_index() as usize)
        .is_some_and(|f| f.swap(false, Ordering::SeqCst))
}
