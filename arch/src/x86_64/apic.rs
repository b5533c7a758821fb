//! The local APIC, in xAPIC (MMIO) or x2APIC (MSR) mode (Intel SDM vol. 3 ch. 11).

use core::sync::atomic::{AtomicU8, Ordering};

use super::cpu::{MSR_APIC_BASE, rdmsr, wrmsr};
use super::trap::vector;

const MODE_NONE: u8 = 0;
const MODE_XAPIC: u8 = 1;
const MODE_X2APIC: u8 = 2;
static MODE: AtomicU8 = AtomicU8::new(MODE_NONE);

/// The default xAPIC MMIO base (Ferrite maps it uncached).
pub const XAPIC_BASE: u64 = 0xfee0_0000;

// Register offsets (xAPIC MMIO offset; x2APIC MSR = 0x800 + offset / 16).
const ID: u32 = 0x20;
const VERSION: u32 = 0x30;
const TPR: u32 = 0x80;
const EOI: u32 = 0xb0;
const SVR: u32 = 0xf0;
const ESR: u32 = 0x280;
const ICR_LOW: u32 = 0x300;
const ICR_HIGH: u32 = 0x310;
const LVT_TIMER: u32 = 0x320;
const LVT_LINT0: u32 = 0x350;
const LVT_LINT1: u32 = 0x360;
const LVT_ERROR: u32 = 0x370;
const TIMER_INIT: u32 = 0x380;
const TIMER_CURRENT: u32 = 0x390;
const TIMER_DIVIDE: u32 = 0x3e0;

const APIC_BASE_ENABLE: u64 = 1 << 11;
const APIC_BASE_X2APIC: u64 = 1 << 10;

fn read(reg: u32) -> u32 {
    match MODE.load(Ordering::Relaxed) {
        // SAFETY: in x2APIC mode every LAPIC register read here exists as an MSR.
        MODE_X2APIC => unsafe { rdmsr(0x800 + reg / 16) as u32 },
        // SAFETY: the xAPIC page is mapped uncached at its 1:1 address.
        MODE_XAPIC => unsafe {
            core::ptr::read_volatile((XAPIC_BASE + u64::from(reg)) as *const u32)
        },
        _ => 0,
    }
}

fn write(reg: u32, v: u32) {
    match MODE.load(Ordering::Relaxed) {
        // SAFETY: as in `read`.
        MODE_X2APIC => unsafe { wrmsr(0x800 + reg / 16, u64::from(v)) },
        // SAFETY: as in `read`.
        MODE_XAPIC => unsafe {
            core::ptr::write_volatile((XAPIC_BASE + u64::from(reg)) as *mut u32, v)
        },
        _ => {}
    }
}

/// Enables this CPU's LAPIC; x2APIC mode when `x2apic` (the caller checked CPUID).
pub fn init_this_cpu(x2apic: bool) {
    // SAFETY: IA32_APIC_BASE exists on every CPU with a LAPIC (all x86_64 CPUs).
    let base = unsafe { rdmsr(MSR_APIC_BASE) };
    let mut nb = base | APIC_BASE_ENABLE;
    if x2apic {
        nb |= APIC_BASE_X2APIC;
    }
    // SAFETY: enabling the APIC (and x2APIC mode when CPUID reports it) at its current base.
    unsafe { wrmsr(MSR_APIC_BASE, nb) };
    MODE.store(
        if x2apic { MODE_X2APIC } else { MODE_XAPIC },
        Ordering::Relaxed,
    );
    write(TPR, 0);
    write(LVT_LINT0, 1 << 16); // masked
    write(LVT_LINT1, 1 << 16);
    write(LVT_ERROR, u32::from(vector::APIC_ERROR));
    write(ESR, 0);
    write(SVR, (1 << 8) | u32::from(vector::SPURIOUS));
    write(LVT_TIMER, (1 << 16) | u32::from(vector::TIMER));
    write(TIMER_DIVIDE, 0b0011); // divide by 16
    eoi();
}

pub fn is_x2apic() -> bool {
    MODE.load(Ordering::Relaxed) == MODE_X2APIC
}

/// This CPU's APIC ID.
pub fn id() -> u32 {
    let v = read(ID);
    if is_x2apic() { v } else { v >> 24 }
}

pub fn version() -> u32 {
    read(VERSION)
}

/// Signals end of interrupt.
pub fn eoi() {
    write(EOI, 0);
}

/// Delivery modes for [`send_ipi`].
#[derive(Clone, Copy, Debug)]
pub enum Delivery {
    Fixed(u8),
    Nmi,
    Init,
    Startup(u8),
}

/// Sends an IPI to `apic_id`.
pub fn send_ipi(apic_id: u32, d: Delivery) {
    let low: u32 = match d {
        Delivery::Fixed(v) => u32::from(v) | (1 << 14),
        Delivery::Nmi => (0b100 << 8) | (1 << 14),
        Delivery::Init => (0b101 << 8) | (1 << 14),
        Delivery::Startup(page) => (0b110 << 8) | (1 << 14) | u32::from(page),
    };
    if is_x2apic() {
        // SAFETY: the x2APIC ICR is a single 64-bit MSR (0x830).
        unsafe { wrmsr(0x830, (u64::from(apic_id) << 32) | u64::from(low)) };
    } else {
        write(ICR_HIGH, apic_id << 24);
        write(ICR_LOW, low);
        // Wait for the send to finish (delivery status, bit 12).
        for _ in 0..1_000_000 {
            if read(ICR_LOW) & (1 << 12) == 0 {
                break;
            }
            core::hint::spin_loop();
        }
    }
}

/// One-shot timer in APIC ticks (bus clock / 16); 0 stops it.
pub fn timer_oneshot(ticks: u32) {
    write(LVT_TIMER, u32::from(vector::TIMER));
    write(TIMER_INIT, ticks);
}

/// Arms the TSC-deadline timer at TSC value `deadline` (the caller checked CPUID).
pub fn timer_tsc_deadline(deadline: u64) {
    write(LVT_TIMER, (0b10 << 17) | u32::from(vector::TIMER));
    // SAFETY: IA32_TSC_DEADLINE exists when CPUID.1:ECX.TSC_Deadline is set (caller's check).
    unsafe { wrmsr(super::cpu::MSR_TSC_DEADLINE, deadline) };
}

/// Starts the timer counting down from the maximum, masked (for calibration).
pub fn timer_start_calibration() {
    write(LVT_TIMER, (1 << 16) | u32::from(vector::TIMER));
    write(TIMER_INIT, u32::MAX);
}

/// The timer's current count.
pub fn timer_current() -> u32 {
    read(TIMER_CURRENT)
}
