//! Per-CPU data: one slot per logical CPU, reached through the architecture's per-CPU
//! register (GS base on x86_64, TPIDR_EL2 on aarch64) by [`this_cpu`].

use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

/// The most CPUs Ferrite brings up (Xen's default NR_CPUS for x86 is 256 as well).
pub const MAX_CPUS: usize = 256;

/// Data each CPU owns. Other CPUs may read it (atomics only).
#[repr(C, align(64))]
pub struct PerCpu {
    /// The slot's own address: the per-CPU register points here, and arch code loads it.
    pub self_addr: AtomicU64,
    /// Ferrite's CPU number (0 = the boot CPU).
    pub index: AtomicU32,
    /// The hardware id: APIC ID on x86, MPIDR affinity on Arm.
    pub hw_id: AtomicU32,
    /// The firmware's processor id (the ACPI UID of its MADT entry; 0 when unknown).
    pub acpi_id: AtomicU32,
    pub online: AtomicBool,
    /// Timer interrupts taken (a liveness counter for tests and debug keys).
    pub ticks: AtomicU64,
    /// Top of this CPU's stack (for the backtrace's bounds).
    pub stack_top: AtomicU64,
}

impl PerCpu {
    const fn new() -> PerCpu {
        PerCpu {
            self_addr: AtomicU64::new(0),
            index: AtomicU32::new(0),
            hw_id: AtomicU32::new(0),
            acpi_id: AtomicU32::new(0),
            online: AtomicBool::new(false),
            ticks: AtomicU64::new(0),
            stack_top: AtomicU64::new(0),
        }
    }
}

#[allow(clippy::declare_interior_mutable_const)] // used only as an array initialiser
const EMPTY: PerCpu = PerCpu::new();
static SLOTS: [PerCpu; MAX_CPUS] = [EMPTY; MAX_CPUS];

/// The slot of CPU `index`.
pub fn cpu(index: u32) -> Option<&'static PerCpu> {
    SLOTS.get(index as usize)
}

/// Prepares slot `index` and returns the address the per-CPU register must hold.
pub fn prepare(index: u32, hw_id: u32) -> Option<u64> {
    let slot = SLOTS.get(index as usize)?;
    let addr = slot as *const PerCpu as u64;
    slot.self_addr.store(addr, Ordering::Relaxed);
    slot.index.store(index, Ordering::Relaxed);
    slot.hw_id.store(hw_id, Ordering::Relaxed);
    Some(addr)
}

/// CPUs marked online.
pub fn online_count() -> u32 {
    SLOTS
        .iter()
        .filter(|s| s.online.load(Ordering::Acquire))
        .count() as u32
}

/// This CPU's slot.
pub fn this_cpu() -> &'static PerCpu {
    let idx = current_index();
    // `current_index` only returns indices that `prepare` set up (or 0 before that).
    SLOTS.get(idx as usize).unwrap_or(&SLOTS[0])
}

#[cfg(all(target_arch = "x86_64", target_os = "none"))]
fn current_index() -> u32 {
    crate::x86_64::percpu::cpu_index()
}

#[cfg(all(target_arch = "aarch64", target_os = "none"))]
fn current_index() -> u32 {
    crate::aarch64::percpu::cpu_index()
}

#[cfg(not(target_os = "none"))]
fn current_index() -> u32 {
    0
}
