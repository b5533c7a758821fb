//! `girq`: a physical device interrupt reaches a PVH dom0 through its emulated I/O APIC and
//! local APIC, as Xen routes GSIs to its hardware domain (`xen/arch/x86/hvm/vioapic.c`).
//! The device is the CMOS RTC (MC146818 datasheet; ports 0x70/0x71 are dom0's): its periodic
//! interrupt on ISA IRQ 8, acknowledged by reading register C. The guest finds IRQ 8's GSI
//! and I/O APIC in its MADT, enables its local APIC, programs the pin's redirection entry to
//! [`IRQ_VECTOR`] on vCPU 0, and counts interrupts at 128 Hz: edge-triggered, then
//! level-triggered (remote IRR set until its EOI), while halted (the interrupt wakes the
//! vCPU: nothing else would), then masked (none arrive) and unmasked.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

use ferrite_guest_rt::acpi::{self, madt_entries};
use ferrite_guest_rt::cpu::{inb, outb};
use ferrite_guest_rt::idt::{IRQ_VECTOR, set_irq_handler};
use ferrite_guest_rt::{Outcome, check, events, fail, println, time};

ferrite_guest_rt::guest!("girq", [setup, edge, level, halted, masked]);

const MS: u64 = 1_000_000;
/// The local APIC's page (identity-mapped by the runtime; emulated by the hypervisor).
const LAPIC: u64 = 0xfee0_0000;
/// Redirection-entry bits (82093AA datasheet, 3.2.4).
const ACTIVE_LOW: u32 = 1 << 13;
const REMOTE_IRR: u32 = 1 << 14;
const LEVEL: u32 = 1 << 15;
const MASKED: u32 = 1 << 16;

/// The I/O APIC base and the pin IRQ 8 arrives on, and its MADT polarity (set by `setup`).
static IOAPIC: AtomicU64 = AtomicU64::new(0);
static PIN: AtomicU32 = AtomicU32::new(0);
static LOW: AtomicBool = AtomicBool::new(false);
/// Interrupts taken, and whether one found its entry's remote IRR clear while level.
static COUNT: AtomicU32 = AtomicU32::new(0);
static LEVEL_MODE: AtomicBool = AtomicBool::new(false);
static NO_REMOTE_IRR: AtomicBool = AtomicBool::new(false);

fn ioapic_rw(reg: u32, write: Option<u32>) -> u32 {
    let base = IOAPIC.load(Ordering::Relaxed);
    let (sel, win) = (base as *mut u32, (base + 0x10) as *mut u32);
    // SAFETY: `base` is the I/O APIC the MADT names, emulated by the hypervisor; selecting a
    // register and accessing the window touches only this guest's emulated device. Callers
    // run with interrupts off or in the interrupt handler, so the pair is not split.
    unsafe {
        core::ptr::write_volatile(sel, reg);
        match write {
            Some(v) => {
                core::ptr::write_volatile(win, v);
                v
            }
            None => core::ptr::read_volatile(win),
        }
    }
}

fn lapic_write(reg: u64, v: u32) {
    // SAFETY: the local APIC page is emulated by the hypervisor; a register write affects
    // only this vCPU's emulated APIC.
    unsafe { core::ptr::write_volatile((LAPIC + reg) as *mut u32, v) };
}

/// Programs the pin's redirection entry: vector, trigger, the MADT's polarity, vCPU 0.
fn program(level: bool, masked: bool) {
    let pin = PIN.load(Ordering::Relaxed);
    let mut lo = u32::from(IRQ_VECTOR);
    if LOW.load(Ordering::Relaxed) {
        lo |= ACTIVE_LOW;
    }
    if level {
        lo |= LEVEL;
    }
    if masked {
        lo |= MASKED;
    }
    LEVEL_MODE.store(level, Ordering::SeqCst);
    ioapic_rw(0x11 + 2 * pin, Some(0)); // destination: APIC id 0
    ioapic_rw(0x10 + 2 * pin, Some(lo));
}

fn entry_low() -> u32 {
    ioapic_rw(0x10 + 2 * PIN.load(Ordering::Relaxed), None)
}

/// Reads RTC register `reg` (NMI stays disabled: bit 7 of the index).
fn rtc_read(reg: u8) -> u8 {
    outb(0x70, 0x80 | reg);
    inb(0x71)
}

fn rtc_write(reg: u8, v: u8) {
    outb(0x70, 0x80 | reg);
    outb(0x71, v);
}

/// Periodic interrupts at 128 Hz (rate 9 of the 32.768 kHz base) on or off.
fn rtc_periodic(on: bool) {
    let a = rtc_read(0x0a);
    rtc_write(0x0a, (a & 0xf0) | 9);
    let b = rtc_read(0x0b);
    rtc_write(0x0b, if on { b | 0x40 } else { b & !0x40 });
    rtc_read(0x0c); // acknowledge anything already flagged
}

/// [`IRQ_VECTOR`]: count, check remote IRR while level-triggered, acknowledge the RTC (its
/// line drops), then EOI the local APIC.
fn rtc_interrupt() {
    if LEVEL_MODE.load(Ordering::SeqCst) && entry_low() & REMOTE_IRR == 0 {
        NO_REMOTE_IRR.store(true, Ordering::SeqCst);
    }
    rtc_read(0x0c);
    COUNT.fetch_add(1, Ordering::SeqCst);
    lapic_write(0xb0, 0);
}

/// Lets interrupts in until `n` more have arrived or `timeout_ns` passed; the count seen.
/// Time is summed in steps of at most 10 ms, so one jump of the clock (seen under TCG on
/// busy hosts) cannot end the wait early.
fn wait_for(n: u32, timeout_ns: u64) -> u32 {
    let start = COUNT.load(Ordering::SeqCst);
    let now = || time::now_ns().unwrap_or(0);
    let (mut last, mut waited) = (now(), 0u64);
    while COUNT.load(Ordering::SeqCst) < start + n && waited <= timeout_ns {
        // SAFETY: the IDT handles IRQ_VECTOR; the window between STI and CLI lets a pending
        // interrupt in.
        unsafe { core::arch::asm!("sti", "pause", "pause", "cli", options(nomem, nostack)) };
        let t = now();
        waited += t.saturating_sub(last).min(10 * MS);
        last = t;
    }
    COUNT.load(Ordering::SeqCst) - start
}

fn setup() -> Outcome {
    let Some(m) = acpi::find(b"APIC") else {
        fail!("no MADT")
    };
    // IRQ 8's GSI and flags: an override's, else GSI 8, edge, active high (ISA defaults).
    let (gsi, flags) = madt_entries(m)
        .find(|&(k, e)| k == 2 && e.get(2) == Some(&0) && e.get(3) == Some(&8))
        .map_or((8, 0), |(_, e)| {
            (acpi::u32_at(e, 4), (acpi::u32_at(e, 6) >> 16) as u16)
        });
    let low = flags & 3 == 3;
    let Some((base, gsi_base)) = madt_entries(m)
        .filter(|&(k, _)| k == 1)
        .map(|(_, e)| (u64::from(acpi::u32_at(e, 4)), acpi::u32_at(e, 8)))
        .filter(|&(_, b)| b <= gsi)
        .max_by_key(|&(_, b)| b)
    else {
        fail!("no I/O APIC for GSI {gsi}")
    };
    IOAPIC.store(base, Ordering::Relaxed);
    PIN.store(gsi - gsi_base, Ordering::Relaxed);
    LOW.store(low, Ordering::Relaxed);
    let pins = ((ioapic_rw(1, None) >> 16) & 0xff) + 1;
    println!(
        "IRQ 8: GSI {gsi} (flags {flags:#x}), I/O APIC at {base:#x} pin {} of {pins}",
        gsi - gsi_base
    );
    check!(gsi - gsi_base < pins, "pin beyond the I/O APIC's {pins}");
    check!(set_irq_handler(rtc_interrupt), "IRQ handler already set");
    lapic_write(0x80, 0); // TPR: accept every class
    lapic_write(0xf0, 0x1ff); // SVR: software-enabled, spurious vector 0xff
    Ok(())
}

fn edge() -> Outcome {
    program(false, false);
    rtc_periodic(true);
    let got = wait_for(8, 3000 * MS);
    println!("edge-triggered: {got} interrupts");
    check!(got >= 8, "{got} RTC interrupts in 3 s at 128 Hz (edge)");
    Ok(())
}

fn level() -> Outcome {
    rtc_periodic(false);
    // An edge-triggered interrupt may still sit in the local APIC's IRR: take it first, so
    // that the remote IRR check sees only level-triggered ones.
    wait_for(1000, 30 * MS);
    program(true, false);
    rtc_periodic(true);
    let got = wait_for(8, 3000 * MS);
    println!("level-triggered: {got} interrupts");
    check!(
        got >= 8,
        "{got} RTC interrupts in 3 s at 128 Hz (level: is the host pin unmasked at the EOI?)"
    );
    check!(
        !NO_REMOTE_IRR.load(Ordering::SeqCst),
        "remote IRR was clear while a level-triggered interrupt was in service"
    );
    // Stopped, and the last delivery taken and EOI'd: remote IRR must be clear.
    rtc_periodic(false);
    wait_for(1000, 30 * MS);
    check!(
        entry_low() & REMOTE_IRR == 0,
        "remote IRR still set after the EOIs: {:#x}",
        entry_low()
    );
    Ok(())
}

/// Blocked in HLT with no timer armed: only the RTC's interrupts can wake the vCPU (a broken
/// wake-up hangs here until the scenario's timeout).
fn halted() -> Outcome {
    program(false, false);
    rtc_periodic(true);
    let start = COUNT.load(Ordering::SeqCst);
    events::block_until(&|| COUNT.load(Ordering::SeqCst) >= start + 4);
    println!(
        "halted: woken by {} interrupts",
        COUNT.load(Ordering::SeqCst) - start
    );
    Ok(())
}

fn masked() -> Outcome {
    program(false, false);
    rtc_read(0x0c);
    check!(wait_for(2, 3000 * MS) >= 2, "no interrupts before masking");
    program(false, true);
    let before = COUNT.load(Ordering::SeqCst);
    // One may already sit in the local APIC's IRR; none may come after it.
    let got = wait_for(3, 300 * MS);
    println!("masked: {got} interrupts in 300 ms");
    check!(got <= 1, "{got} interrupts through a masked entry");
    check!(COUNT.load(Ordering::SeqCst) <= before + 1, "masked entry");
    // Unmasked again (the RTC's line is dropped first: an edge needs a rising edge).
    rtc_read(0x0c);
    program(false, false);
    rtc_read(0x0c);
    let got = wait_for(4, 3000 * MS);
    println!("unmasked: {got} interrupts");
    check!(got >= 4, "{got} interrupts after unmasking");
    rtc_periodic(false);
    program(false, true);
    Ok(())
}
