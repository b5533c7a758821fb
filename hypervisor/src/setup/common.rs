//! Bring-up steps every architecture shares (the common part of Xen's `__start_xen` in
//! `xen/arch/*/setup.c`): console settings from the command line, the memory map printout,
//! the per-CPU timer check and the ready line.

use core::sync::atomic::{AtomicBool, Ordering};

use ferrite_arch::boot::info::BootInfo;
use ferrite_arch::percpu;
use ferrite_arch::timer::{Callback, QueueFull};
use ferrite_cmdline::Config;

use crate::console::{self, level::Thresholds};
use crate::printk;

/// The console's settings from `loglvl=`, `guest_loglvl=`, `console_timestamps=` and
/// `console_to_ring`.
pub fn console_settings(cfg: &Config) -> console::Settings {
    let t = |l: ferrite_cmdline::console::LogThresholds| Thresholds {
        lower: l.always as u8,
        upper: l.rate_limited as u8,
    };
    console::Settings {
        host: t(cfg.loglvl),
        guest: t(cfg.guest_loglvl),
        timestamps: super::serial::timestamps(cfg.console_timestamps),
        to_ring: cfg.console_to_ring,
    }
}

/// The merged memory map under `title`, then the RAM total.
pub fn print_memory_map(boot: &BootInfo, title: &str) {
    printk!("{title}");
    for r in boot.memory_map.iter() {
        printk!(" {r}");
    }
    let t = boot.memory_map.totals();
    printk!("System RAM: {}MB ({}kB)", t.ram >> 20, t.ram >> 10);
}

/// The line tests and benchmarks wait for; `counter` is the architecture's cycle or tick
/// counter at this point (`tsc` on x86_64, `cntvct` on aarch64).
pub fn print_ready(cpus: u32, counter: (&str, u64)) {
    let (free, total) = ferrite_arch::memory::stats();
    let (used, heap_total) = ferrite_arch::heap::HEAP.usage();
    printk!(
        "Ferrite ready: {} CPU(s), {} MiB of {} MiB free, heap {} KiB used of {} KiB, {}={}",
        cpus,
        free * 4 / 1024,
        total * 4 / 1024,
        used / 1024,
        heap_total / 1024,
        counter.0,
        counter.1
    );
}

static TIMER_FIRED: [AtomicBool; percpu::MAX_CPUS] =
    [const { AtomicBool::new(false) }; percpu::MAX_CPUS];

fn timer_fired(cpu: u64) {
    if let Some(f) = TIMER_FIRED.get(cpu as usize) {
        f.store(true, Ordering::Release);
    }
}

/// The architecture's timer hooks for [`check_timer`].
pub struct TimerOps {
    /// What the log calls the timer ("LAPIC", "CNTHP").
    pub name: &'static str,
    pub now_ns: fn() -> u64,
    pub add_timer: fn(u64, Callback, u64) -> Result<(), QueueFull>,
    /// Sleeps until an interrupt unless the condition already holds (race-free).
    pub wait: fn(&dyn Fn() -> bool),
}

/// Arms a 1 ms timer on this CPU and waits for it: proves the timer, its interrupt and the
/// queue.
pub fn check_timer(cpu: u32, ops: &TimerOps) {
    let deadline = (ops.now_ns)() + 1_000_000;
    if (ops.add_timer)(deadline, timer_fired, u64::from(cpu)).is_err() {
        log::warn!("CPU{cpu}: timer queue full");
        return;
    }
    let give_up = (ops.now_ns)() + 2_000_000_000;
    let fired = || TIMER_FIRED[cpu as usize % percpu::MAX_CPUS].load(Ordering::Acquire);
    while !fired() {
        if (ops.now_ns)() > give_up {
            log::error!("CPU{cpu}: {} timer did not fire within 2 s", ops.name);
            return;
        }
        (ops.wait)(&fired);
    }
    log::info!("CPU{cpu}: {} timer OK", ops.name);
}

/// Heap size: 1/16 of RAM, between 8 and 256 MiB.
pub fn heap_bytes(ram: u64) -> u64 {
    (ram / 16).clamp(8 << 20, 256 << 20)
}

/// Says which boot module dom0's kernel is (both architectures print the same line).
pub fn announce_dom0_kernel(kernel: &ferrite_arch::boot::info::Module) {
    printk!(
        "dom0 kernel: module 0 at [{:#x}, {:#x}), {} bytes",
        kernel.start,
        kernel.end,
        kernel.end - kernel.start
    );
}
