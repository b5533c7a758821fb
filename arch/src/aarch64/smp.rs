//! Secondary CPUs: PSCI CPU_ON with the DT's MPIDRs (Xen's `xen/arch/arm/smpboot.c` and
//! `psci.c`), each entering `secondary_entry` (boot/entry.S) with its [`ApBoot`] record, and
//! stopping the others on a crash (an SGI).

use core::sync::atomic::{AtomicBool, Ordering};

use super::machine;
use crate::percpu::MAX_CPUS;

/// What `secondary_entry` reads (with the MMU off) before it can run Rust.
#[repr(C, align(64))]
pub struct ApBoot {
    stack_top: u64,
    ttbr0: u64,
    tcr: u64,
    mair: u64,
    sctlr: u64,
    index: u32,
    exc_stack_top: u64,
}

static mut AP_BOOT: [ApBoot; MAX_CPUS] = [const {
    ApBoot {
        stack_top: 0,
        ttbr0: 0,
        tcr: 0,
        mair: 0,
        sctlr: 0,
        index: 0,
        exc_stack_top: 0,
    }
}; MAX_CPUS];

static AP_MAIN: spin::Once<fn(u32) -> !> = spin::Once::new();
static STOP: AtomicBool = AtomicBool::new(false);

/// Stack pages per secondary CPU (plus a guard page).
const STACK_PAGES: u64 = 16;
/// Exception-stack pages per secondary CPU (plus a guard page).
const EXC_STACK_PAGES: u64 = 4;

const _: () = assert!(core::mem::offset_of!(ApBoot, exc_stack_top) == 48);

/// Why a CPU did not start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartError {
    NoStack,
    NoConduit,
    Psci(i64),
}

/// Starts the CPU with MPIDR `mpidr` as Ferrite CPU `index`; it runs `main(index)`.
pub fn start_cpu(index: u32, mpidr: u64, main: fn(u32) -> !) -> Result<(), StartError> {
    AP_MAIN.call_once(|| main);
    let (_, top) = super::space::alloc_stack(STACK_PAGES).ok_or(StartError::NoStack)?;
    let (_, exc_top) = super::space::alloc_stack(EXC_STACK_PAGES).ok_or(StartError::NoStack)?;
    let rec = ApBoot {
        stack_top: top,
        ttbr0: super::space::kernel_root(),
        tcr: super::cpu::read_sysreg!("tcr_el2"),
        mair: super::cpu::read_sysreg!("mair_el2"),
        sctlr: super::cpu::read_sysreg!("sctlr_el2"),
        index,
        exc_stack_top: exc_top,
    };
    let slot = index as usize % MAX_CPUS;
    // SAFETY: each slot is written only here, by the boot CPU, before the CPU it describes
    // starts; that CPU only reads it. The record is then cleaned to the point of coherency,
    // since the new CPU reads it with its MMU and caches off.
    let addr = unsafe {
        let p = core::ptr::addr_of_mut!(AP_BOOT[slot]);
        p.write(rec);
        core::arch::asm!("dc civac, {}", "dsb sy", in(reg) p as u64, options(nostack));
        p as u64
    };
    unsafe extern "C" {
        fn secondary_entry();
    }
    let entry = secondary_entry as *const () as u64;
    match machine::call(machine::CPU_ON_64, mpidr, entry, addr) {
        None => Err(StartError::NoConduit),
        Some(0) => Ok(()),
        Some(e) => Err(StartError::Psci(e)),
    }
}

/// First Rust code on a secondary CPU (MMU on, own stack).
#[unsafe(no_mangle)]
extern "C" fn aarch64_secondary_start(index: u32) -> ! {
    super::percpu::init_this_cpu(index, super::cpu::mpidr_affinity());
    match AP_MAIN.get() {
        Some(main) => main(index),
        None => super::cpu::halt_forever(),
    }
}

fn stop_interrupt(_intid: u32) {
    if STOP.load(Ordering::Acquire) {
        super::cpu::halt_forever();
    }
}

/// Installs the stop SGI's handler (once, on the boot CPU).
pub fn init_stop_ipi() {
    super::gic::set_handler(super::gic::SGI_STOP, stop_interrupt);
}

/// Asks every other CPU to stop (a crash, or the machine going down).
pub fn stop_others() {
    STOP.store(true, Ordering::Release);
    super::gic::send_sgi_others(super::gic::SGI_STOP);
}
