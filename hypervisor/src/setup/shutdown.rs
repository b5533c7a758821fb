//! What happens when Ferrite stops: after a crash or panic, and on power-off or reboot
//! (Xen's `machine_restart`/`machine_halt`, `noreboot`, `reboot=`).

use core::sync::atomic::{AtomicBool, Ordering};

use ferrite_arch::crash::CrashReport;
use spin::Mutex;

use crate::console;

/// How to stop, from the command line and ACPI.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// `noreboot`: halt instead of rebooting after a crash.
    pub noreboot: bool,
    #[cfg(target_arch = "x86_64")]
    pub reset_methods: [Option<ferrite_arch::x86_64::machine::ResetMethod>; 4],
    #[cfg(target_arch = "x86_64")]
    pub acpi_reset: Option<ferrite_arch::x86_64::machine::ResetReg>,
    #[cfg(target_arch = "x86_64")]
    pub power_off: Option<ferrite_arch::x86_64::machine::PowerOff>,
}

/// Set from the command line first, then again once ACPI has been read.
static POLICY: Mutex<Option<Policy>> = Mutex::new(None);
static CRASHING: AtomicBool = AtomicBool::new(false);

pub fn set_policy(p: Policy) {
    *POLICY.lock() = Some(p);
}

/// The policy; on the crash path the lock is only tried (a crash may interrupt its holder).
fn policy() -> Option<Policy> {
    for _ in 0..1_000_000 {
        if let Some(p) = POLICY.try_lock() {
            return *p;
        }
        core::hint::spin_loop();
    }
    None
}

fn raw_write(b: &[u8]) {
    #[cfg(target_arch = "aarch64")]
    ferrite_arch::aarch64::early_write(b);
    #[cfg(target_arch = "x86_64")]
    ferrite_arch::x86_64::early_write(b);
}

/// The crash handler `arch` calls: print the report, stop the other CPUs, then halt
/// (`noreboot`) or reboot.
pub fn crash(report: &CrashReport<'_>) -> ! {
    if CRASHING.swap(true, Ordering::AcqRel) {
        // A second crash while reporting the first: just stop this CPU.
        halt_this_cpu();
    }
    report.emit(&mut |a| console::crash_write(a, raw_write));
    stop_other_cpus();
    let noreboot = policy().is_none_or(|p| p.noreboot);
    if noreboot {
        console::crash_write(
            format_args!("Manual reset required ('noreboot' specified)"),
            raw_write,
        );
        halt_this_cpu();
    }
    console::crash_write(format_args!("Reboot in five seconds..."), raw_write);
    delay_ms(5000);
    reboot()
}

fn delay_ms(ms: u64) {
    #[cfg(target_arch = "aarch64")]
    ferrite_arch::aarch64::time::spin_wait_us(ms * 1000);
    #[cfg(target_arch = "x86_64")]
    ferrite_arch::x86_64::smp::spin_wait_us(ms * 1000);
}

fn stop_other_cpus() {
    #[cfg(target_arch = "aarch64")]
    if ferrite_arch::aarch64::boot::at_el2() {
        ferrite_arch::aarch64::smp::stop_others();
    }
    #[cfg(target_arch = "x86_64")]
    {
        let me = ferrite_arch::percpu::this_cpu()
            .index
            .load(Ordering::Relaxed);
        ferrite_arch::x86_64::smp::stop_others(me);
    }
}

fn halt_this_cpu() -> ! {
    #[cfg(target_arch = "x86_64")]
    ferrite_arch::x86_64::cpu::halt_forever();
    #[cfg(target_arch = "aarch64")]
    ferrite_arch::aarch64::cpu::halt_forever();
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    loop {
        core::hint::spin_loop();
    }
}

/// Xen's default order: the ACPI reset register, then the keyboard controller.
#[cfg(target_arch = "x86_64")]
pub const DEFAULT_RESET: [Option<ferrite_arch::x86_64::machine::ResetMethod>; 4] = [
    Some(ferrite_arch::x86_64::machine::ResetMethod::Acpi),
    Some(ferrite_arch::x86_64::machine::ResetMethod::Kbd),
    None,
    None,
];

/// Reboots with the `reboot=` methods in turn, ending with a triple fault.
pub fn reboot() -> ! {
    #[cfg(target_arch = "x86_64")]
    {
        use ferrite_arch::x86_64::machine;
        let p = policy();
        let methods = p.map_or(DEFAULT_RESET, |p| p.reset_methods);
        for m in methods.iter().flatten() {
            console::crash_write(format_args!("Restarting the machine: {m:?}"), raw_write);
            machine::reset(*m, p.and_then(|p| p.acpi_reset));
        }
        console::crash_write(format_args!("Restarting the machine: Triple"), raw_write);
        machine::triple_fault()
    }
    #[cfg(target_arch = "aarch64")]
    {
        // PSCI SYSTEM_RESET through the DT's conduit.
        ferrite_arch::aarch64::machine::system_reset();
        console::crash_write(format_args!("PSCI SYSTEM_RESET failed; halting"), raw_write);
    }
    #[cfg(not(target_arch = "x86_64"))]
    halt_this_cpu()
}

/// Powers the machine off (ACPI S5); halts if that is impossible.
pub fn power_off() -> ! {
    stop_other_cpus();
    #[cfg(target_arch = "aarch64")]
    {
        ferrite_arch::aarch64::machine::system_off();
        log::error!("PSCI SYSTEM_OFF did not take (no PSCI conduit?); halting");
    }
    #[cfg(target_arch = "x86_64")]
    if let Some(po) = policy().and_then(|p| p.power_off) {
        ferrite_arch::x86_64::machine::power_off(&po);
        log::error!("ACPI power-off did not take; halting");
    } else {
        log::error!("no ACPI S5 information: cannot power off; halting");
    }
    halt_this_cpu()
}

/// Xen's "halt" for a clean stop that must not power off (`noreboot` after a fatal boot
/// error): stop every CPU and wait.
pub fn halt() -> ! {
    stop_other_cpus();
    halt_this_cpu()
}

/// Stops after a fatal boot problem: halt with `noreboot`, otherwise power off (there is
/// nothing to reboot into that would go differently).
pub fn fatal_boot_stop() -> ! {
    if policy().is_some_and(|p| p.noreboot) {
        console::print(format_args!("Halting ('noreboot' specified)"));
        halt()
    }
    console::print(format_args!("Powering off"));
    power_off()
}

/// dom0 crashed: Xen reboots the host after five seconds, or halts with `noreboot`.
pub fn dom0_crashed() -> ! {
    if policy().is_some_and(|p| p.noreboot) {
        console::print(format_args!(
            "Hardware Dom0 crashed: 'noreboot' set - not rebooting."
        ));
        halt()
    }
    console::print(format_args!(
        "Hardware Dom0 crashed: rebooting machine in 5 seconds."
    ));
    delay_ms(5000);
    reboot()
}
