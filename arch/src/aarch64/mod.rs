//! aarch64 mechanisms: boot at EL2, stage-1 tables, exception vectors, the GIC, the generic
//! timer, PSCI and SMP (Xen's `xen/arch/arm/`).
//!
//! The pure parts (`paging`, the ESR decoder in `trap`) build and are tested on any host; the
//! parts that run privileged instructions build only for the bare-metal aarch64 target.

pub mod paging;
pub mod trap;

#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub mod boot;
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub mod cpu;
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub mod gic;
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub mod machine;
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub mod percpu;
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub mod smp;
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub mod space;
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub mod time;

#[cfg(all(target_arch = "aarch64", target_os = "none"))]
unsafe extern "Rust" {
    /// The architecture-neutral start of Ferrite, defined by the kernel image.
    safe fn ferrite_main(magic: u32, info: u64) -> !;
}

/// QEMU virt's PL011: the console of last resort when the DT names none.
pub const FALLBACK_UART: u64 = 0x0900_0000;

/// The early PL011's base; 0 until one is mapped (the boot tables map only the image).
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
static EARLY_UART: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(0);

/// Maps the PL011 at `base` (Device memory) and points the raw early/crash output at it;
/// `false` when it cannot be mapped (then nothing may write to it).
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub fn set_early_uart(base: u64) -> bool {
    let mapped = boot::map_early(base..base.saturating_add(0x1000), paging::Kind::Device).is_ok();
    if mapped {
        EARLY_UART.store(base, core::sync::atomic::Ordering::Relaxed);
    }
    mapped
}

/// Writes bytes straight to the early PL011, for crashes before (or around) the console;
/// dropped before one is mapped.
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub fn early_write(bytes: &[u8]) {
    let base = EARLY_UART.load(core::sync::atomic::Ordering::Relaxed);
    if base == 0 {
        return;
    }
    for &b in bytes {
        for _ in 0..100_000 {
            // SAFETY: the early UART is a PL011 (the DT's, or QEMU virt's), mapped as device
            // memory; FR (offset 0x18) only reports status.
            if unsafe { core::ptr::read_volatile((base + 0x18) as *const u32) } & (1 << 5) == 0 {
                break;
            }
        }
        // SAFETY: DR (offset 0) of the same PL011.
        unsafe { core::ptr::write_volatile(base as *mut u32, u32::from(b)) };
    }
}

/// Writes a zero byte at `addr` with a plain store instruction. Used by test hooks to
/// trigger a data abort on purpose: the fault is taken by the trap handler, which reports
/// and stops, so execution never continues past a bad store.
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub fn probe_write(addr: u64) {
    // SAFETY: the store either hits mapped memory the caller chose (and may clobber it, which
    // is the caller's intent in a test) or faults into the fatal trap handler, which never
    // returns here.
    unsafe { core::arch::asm!("strb wzr, [{}]", in(reg) addr, options(nostack)) };
}

/// The console UART at `base`: a PL011 the DT names (or QEMU virt's, as a last resort).
#[cfg(all(target_arch = "aarch64", target_os = "none"))]
pub fn open_pl011(base: u64) -> ferrite_drivers::Uart {
    // SAFETY: `base` is the DT's PL011 (or QEMU virt's), which `set_early_uart` mapped into
    // the boot tables (callers open it only when that succeeded) and the final tables map,
    // both as Device memory; the console is its only user.
    ferrite_drivers::Uart::Pl011(unsafe { ferrite_drivers::pl011::Pl011::new(base) })
}
