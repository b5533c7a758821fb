//! Time on aarch64: the generic timer (Arm ARM D11). CNTPCT_EL0 is the clock (frequency from
//! CNTFRQ_EL0, or the DT's `clock-frequency` when firmware left it unset, as Xen's
//! `xen/arch/arm/time.c` does); the EL2 physical timer (CNTHP_*_EL2) drives each CPU's timer
//! queue.

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use super::cpu::counter;
use crate::percpu;
use crate::timer::{Callback, CpuQueues, Entry, QueueFull};

static HZ: AtomicU64 = AtomicU64::new(0);
static BOOT_COUNT: AtomicU64 = AtomicU64::new(0);
static INTID: AtomicU32 = AtomicU32::new(26);
static QUEUES: CpuQueues = CpuQueues::new();

/// Where the frequency came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FreqSource {
    Cntfrq,
    DeviceTree,
}

/// Sets up the clock: `dt_hz` overrides CNTFRQ_EL0; `intid` is the hypervisor timer's PPI
/// (INTID 26 when the DT does not say).
pub fn init(dt_hz: Option<u32>, intid: Option<u32>) -> (u64, FreqSource) {
    let cntfrq = super::cpu::read_sysreg!("cntfrq_el0") & 0xffff_ffff;
    let (hz, src) = match dt_hz {
        Some(f) if f != 0 => (u64::from(f), FreqSource::DeviceTree),
        _ => (cntfrq, FreqSource::Cntfrq),
    };
    HZ.store(hz.max(1), Ordering::Relaxed);
    BOOT_COUNT.store(counter(), Ordering::Relaxed);
    INTID.store(intid.unwrap_or(26), Ordering::Relaxed);
    (hz, src)
}

pub fn hz() -> u64 {
    HZ.load(Ordering::Relaxed)
}

pub fn timer_intid() -> u32 {
    INTID.load(Ordering::Relaxed)
}

/// Enables this CPU's hypervisor timer interrupt (stopped until a deadline is set).
pub fn init_this_cpu() {
    program(None);
    super::gic::set_handler(timer_intid(), timer_interrupt);
    super::gic::enable_private(timer_intid(), super::gic::PRIORITY);
}

/// Nanoseconds since `init`.
pub fn now_ns() -> u64 {
    let hz = hz();
    let d = counter().saturating_sub(BOOT_COUNT.load(Ordering::Relaxed));
    ((u128::from(d) * 1_000_000_000) / u128::from(hz)) as u64
}

/// Busy-waits `us` microseconds on the counter (no interrupts needed).
pub fn spin_wait_us(us: u64) {
    let end = counter().saturating_add(us.saturating_mul(hz()) / 1_000_000);
    while counter() < end {
        core::hint::spin_loop();
    }
}

fn program(deadline_ns: Option<u64>) {
    let (cval, ctl) = match deadline_ns {
        Some(d) => {
            let ticks = (u128::from(d) * u128::from(hz()) / 1_000_000_000) as u64;
            (
                BOOT_COUNT
                    .load(Ordering::Relaxed)
                    .saturating_add(ticks.max(1)),
                1u64,
            )
        }
        None => (u64::MAX, 0),
    };
    // SAFETY: CNTHP_CVAL_EL2/CNTHP_CTL_EL2 belong to Ferrite at EL2; ENABLE with IMASK clear
    // raises the timer PPI once the counter reaches CVAL.
    unsafe {
        core::arch::asm!("msr cnthp_cval_el2, {}", "msr cnthp_ctl_el2, {}", "isb",
            in(reg) cval, in(reg) ctl, options(nostack))
    };
}

/// Adds a timer on this CPU.
pub fn add_timer(deadline_ns: u64, callback: Callback, data: u64) -> Result<(), QueueFull> {
    let cpu = percpu::this_cpu().index.load(Ordering::Relaxed);
    // The timer interrupt takes this CPU's queue lock: hold it with IRQs masked.
    let was_on = super::cpu::irq_save();
    let next = QUEUES.add(
        cpu,
        Entry {
            deadline_ns,
            callback,
            data,
        },
    );
    if let Ok(next) = next {
        program(next);
    }
    super::cpu::irq_restore(was_on);
    next.map(|_| ())
}

fn timer_interrupt(_intid: u32) {
    let me = percpu::this_cpu();
    me.ticks.fetch_add(1, Ordering::Relaxed);
    program(None);
    let next = QUEUES.run_due(me.index.load(Ordering::Relaxed), now_ns);
    program(next);
}
