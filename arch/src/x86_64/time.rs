//! Time on x86_64: the TSC as the clock (frequency from CPUID 0x15/0x16 or calibrated against
//! the PIT), and the LAPIC timer (TSC-deadline mode when the CPU has it, one-shot otherwise)
//! driving each CPU's timer queue.

use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use spin::Mutex;

use super::apic;
use super::cpu::{cpuid, rdtsc};
use super::port::{inb, outb};
use crate::percpu::{self, MAX_CPUS};
use crate::timer::{Callback, Entry, QueueFull, TimerQueue};

static TSC_HZ: AtomicU64 = AtomicU64::new(0);
static APIC_HZ: AtomicU64 = AtomicU64::new(0);
static BOOT_TSC: AtomicU64 = AtomicU64::new(0);
static DEADLINE_MODE: AtomicBool = AtomicBool::new(false);

static QUEUES: [Mutex<TimerQueue>; MAX_CPUS] = [const { Mutex::new(TimerQueue::new()) }; MAX_CPUS];
/// Each CPU's [`set_wakeup`] deadline (`u64::MAX`: none).
static WAKEUPS: [AtomicU64; MAX_CPUS] = [const { AtomicU64::new(u64::MAX) }; MAX_CPUS];

/// Where the TSC frequency came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TscSource {
    Cpuid15,
    Cpuid16,
    Pit,
}

/// The TSC frequency from CPUID, if the CPU states it.
fn tsc_hz_from_cpuid(max_leaf: u32) -> Option<(u64, TscSource)> {
    if max_leaf >= 0x15 {
        let r = cpuid(0x15, 0);
        if r.eax != 0 && r.ebx != 0 && r.ecx != 0 {
            return Some((
                u64::from(r.ecx) * u64::from(r.ebx) / u64::from(r.eax),
                TscSource::Cpuid15,
            ));
        }
    }
    if max_leaf >= 0x16 {
        let mhz = cpuid(0x16, 0).eax & 0xffff;
        if mhz != 0 {
            return Some((u64::from(mhz) * 1_000_000, TscSource::Cpuid16));
        }
    }
    None
}

const PIT_HZ: u64 = 1_193_182;

/// Counts TSC and LAPIC-timer ticks over `ms` milliseconds gated by PIT channel 2.
fn pit_window(ms: u64) -> (u64, u64) {
    let count = (PIT_HZ * ms / 1000) as u16;
    // SAFETY: ports 0x61 and 0x42/0x43 are the PC speaker gate and PIT channel 2, present on
    // every PC platform; channel 2 is not used for anything else by Ferrite.
    unsafe {
        let gate = inb(0x61);
        outb(0x61, (gate & !0x02) | 0x01); // speaker off, gate on
        outb(0x43, 0b1011_0000); // channel 2, lobyte/hibyte, mode 0
        outb(0x42, count as u8);
        outb(0x42, (count >> 8) as u8);
    }
    apic::timer_start_calibration();
    let a0 = apic::timer_current();
    let t0 = rdtsc();
    // Wait for OUT2 (port 0x61 bit 5) with a bound, so a missing PIT cannot hang boot.
    let mut spins = 0u64;
    // SAFETY: reads the gate port, as above.
    while unsafe { inb(0x61) } & 0x20 == 0 && spins < 100_000_000 {
        spins += 1;
        core::hint::spin_loop();
    }
    let t1 = rdtsc();
    let a1 = apic::timer_current();
    (t1 - t0, u64::from(a0.wrapping_sub(a1)))
}

/// Sets up the clock and the boot CPU's timer; returns the TSC frequency and its source.
pub fn init(max_leaf: u32, tsc_deadline: bool) -> (u64, TscSource, u64) {
    BOOT_TSC.store(rdtsc(), Ordering::Relaxed);
    const WINDOW_MS: u64 = 5;
    let (tsc_win, apic_win) = pit_window(WINDOW_MS);
    let (hz, src) = match tsc_hz_from_cpuid(max_leaf) {
        Some(v) => v,
        None => (tsc_win * 1000 / WINDOW_MS, TscSource::Pit),
    };
    TSC_HZ.store(hz.max(1), Ordering::Relaxed);
    NS_PER_TICK_32.store(
        ((1_000_000_000u128 << 32) / u128::from(hz.max(1))) as u64,
        Ordering::Relaxed,
    );
    let apic_hz = apic_win * 1000 / WINDOW_MS;
    APIC_HZ.store(apic_hz.max(1), Ordering::Relaxed);
    DEADLINE_MODE.store(tsc_deadline, Ordering::Relaxed);
    super::trap::set_handler(super::trap::vector::TIMER, timer_interrupt);
    (hz, src, apic_hz)
}

pub fn tsc_hz() -> u64 {
    TSC_HZ.load(Ordering::Relaxed)
}

pub fn deadline_mode() -> bool {
    DEADLINE_MODE.load(Ordering::Relaxed)
}

/// Nanoseconds per TSC tick as a 32.32 fixed-point factor, set with the frequency: the clock
/// is read on every guest exit, and a multiply and shift cost a fraction of a 128-bit
/// division (the truncation is under a nanosecond per second).
static NS_PER_TICK_32: AtomicU64 = AtomicU64::new(0);

/// Nanoseconds since `init`.
pub fn now_ns() -> u64 {
    let d = rdtsc().saturating_sub(BOOT_TSC.load(Ordering::Relaxed));
    ((u128::from(d) * u128::from(NS_PER_TICK_32.load(Ordering::Relaxed))) >> 32) as u64
}

fn ns_to_tsc(ns: u64) -> u64 {
    ((u128::from(ns) * u128::from(tsc_hz())) / 1_000_000_000) as u64
}

/// Programs this CPU's LAPIC timer for `deadline_ns` (or stops it for `None`).
fn program(deadline_ns: Option<u64>) {
    let Some(d) = deadline_ns else {
        apic::timer_oneshot(0);
        return;
    };
    if deadline_mode() {
        apic::timer_tsc_deadline(BOOT_TSC.load(Ordering::Relaxed) + ns_to_tsc(d).max(1));
    } else {
        let delta = d.saturating_sub(now_ns()).max(1000);
        let ticks = (u128::from(delta) * u128::from(APIC_HZ.load(Ordering::Relaxed))
            / 1_000_000_000)
            .clamp(1, u128::from(u32::MAX)) as u32;
        apic::timer_oneshot(ticks);
    }
}

/// Adds a timer on this CPU.
pub fn add_timer(deadline_ns: u64, callback: Callback, data: u64) -> Result<(), QueueFull> {
    let cpu = percpu::this_cpu().index.load(Ordering::Relaxed) as usize;
    // The timer interrupt takes this CPU's queue lock: hold it with interrupts off.
    let was_on = super::cpu::disable_interrupts();
    let added = {
        let mut q = QUEUES[cpu % MAX_CPUS].lock();
        q.add(Entry {
            deadline_ns,
            callback,
            data,
        })
        .map(|()| q.next_deadline())
    };
    if let Ok(next) = added {
        program(next);
    }
    if was_on {
        super::cpu::enable_interrupts();
    }
    added.map(|_| ())
}

/// Removes this CPU's timers with `callback` and `data`; reprograms the hardware timer.
pub fn remove_timer(callback: Callback, data: u64) {
    let cpu = percpu::this_cpu().index.load(Ordering::Relaxed) as usize;
    let was_on = super::cpu::disable_interrupts();
    let next = {
        let mut q = QUEUES[cpu % MAX_CPUS].lock();
        q.remove(callback, data);
        q.next_deadline()
    };
    program(next);
    if was_on {
        super::cpu::enable_interrupts();
    }
}

fn wake_only(_: u64) {}

/// Makes sure this CPU gets an interrupt at `deadline_ns` (or cancels the previous request
/// for `None`): the way a run loop bounds a guest run or an idle wait. One request per CPU;
/// a new one replaces the old.
pub fn set_wakeup(deadline_ns: Option<u64>) {
    let cpu = percpu::this_cpu().index.load(Ordering::Relaxed) as usize;
    WAKEUPS[cpu % MAX_CPUS].store(deadline_ns.unwrap_or(u64::MAX), Ordering::Relaxed);
    remove_timer(wake_only, 0);
    if let Some(d) = deadline_ns {
        // A full queue leaves the run loop to its other wakeups (the next guest exit or
        // host interrupt); it is sized far above what one CPU ever holds.
        let _ = add_timer(d, wake_only, 0);
    }
}

/// Whether this CPU's [`set_wakeup`] deadline has passed. Its interrupt may then already
/// have been taken on the way to entering a guest, and a guest entered now would run
/// unbounded (Xen checks for pending softirqs with interrupts off before VMRUN for the same
/// reason). Call with interrupts off, right before entering.
pub fn wakeup_passed() -> bool {
    let cpu = percpu::this_cpu().index.load(Ordering::Relaxed) as usize;
    now_ns() >= WAKEUPS[cpu % MAX_CPUS].load(Ordering::Relaxed)
}

fn timer_interrupt(_frame: &mut super::trap::TrapFrame) {
    let me = percpu::this_cpu();
    me.ticks.fetch_add(1, Ordering::Relaxed);
    let cpu = me.index.load(Ordering::Relaxed) as usize % MAX_CPUS;
    apic::eoi();
    loop {
        let due = QUEUES[cpu].lock().pop_expired(now_ns());
        match due {
            Some(e) => (e.callback)(e.data),
            None => break,
        }
    }
    let next = QUEUES[cpu].lock().next_deadline();
    program(next);
}
