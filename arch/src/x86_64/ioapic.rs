//! The host's I/O APICs (82093AA datasheet; Xen's `xen/arch/x86/io_apic.c`): Ferrite masks
//! every redirection entry at boot, remembers where each I/O APIC's GSIs are, and programs,
//! masks and unmasks single pins for the GSIs it passes to dom0 ([`super::irq_bind`]).
//!
//! The registers are an index/data window, so a select and its data access must not be
//! split by another access: every access takes one lock with interrupts off, and the
//! interrupt handler (which masks level-triggered pins) takes the same lock.

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use super::cpu;

/// The most I/O APICs Ferrite drives (servers have up to a handful).
const MAX_IOAPICS: usize = 8;

struct Chip {
    base: AtomicU64,
    gsi_base: AtomicU32,
    pins: AtomicU32,
}

static CHIPS: [Chip; MAX_IOAPICS] = [const {
    Chip {
        base: AtomicU64::new(0),
        gsi_base: AtomicU32::new(0),
        pins: AtomicU32::new(0),
    }
}; MAX_IOAPICS];

/// Serialises the index/data window of every I/O APIC.
static WINDOW: spin::Mutex<()> = spin::Mutex::new(());

const MASKED: u32 = 1 << 16;

/// Runs `f` with the window lock held and interrupts off.
fn with_window<R>(f: impl FnOnce() -> R) -> R {
    let was_on = cpu::disable_interrupts();
    let r = {
        let _g = WINDOW.lock();
        f()
    };
    if was_on {
        cpu::enable_interrupts();
    }
    r
}

fn read(base: u64, reg: u32) -> u32 {
    // SAFETY: `base` is a registered I/O APIC's MMIO window (from the MADT, mapped uncached
    // 1:1); the caller holds the window lock, so select and data stay paired.
    unsafe {
        core::ptr::write_volatile(base as *mut u32, reg);
        core::ptr::read_volatile((base + 0x10) as *const u32)
    }
}

fn write(base: u64, reg: u32, v: u32) {
    // SAFETY: as in `read`.
    unsafe {
        core::ptr::write_volatile(base as *mut u32, reg);
        core::ptr::write_volatile((base + 0x10) as *mut u32, v);
    }
}

/// Masks all pins of the I/O APIC at `base` (mapped uncached 1:1), records that its pins
/// carry GSIs from `gsi_base` on, and returns the pin count.
pub fn register(base: u64, gsi_base: u32) -> u32 {
    let pins = with_window(|| {
        let pins = ((read(base, 1) >> 16) & 0xff) + 1;
        for pin in 0..pins {
            let lo = read(base, 0x10 + pin * 2);
            write(base, 0x10 + pin * 2, lo | MASKED);
        }
        pins
    });
    if let Some(c) = CHIPS.iter().find(|c| c.base.load(Ordering::Acquire) == 0) {
        c.gsi_base.store(gsi_base, Ordering::Relaxed);
        c.pins.store(pins, Ordering::Relaxed);
        c.base.store(base, Ordering::Release);
    } else {
        log::warn!("IOAPIC at {base:#x}: more than {MAX_IOAPICS} I/O APICs; its GSIs stay masked");
    }
    pins
}

/// The I/O APIC and pin of `gsi`.
fn locate(gsi: u32) -> Option<(u64, u32)> {
    CHIPS.iter().find_map(|c| {
        let base = c.base.load(Ordering::Acquire);
        let pin = gsi.checked_sub(c.gsi_base.load(Ordering::Relaxed))?;
        (base != 0 && pin < c.pins.load(Ordering::Relaxed)).then_some((base, pin))
    })
}

/// Whether some host I/O APIC has a pin for `gsi`.
pub fn has_gsi(gsi: u32) -> bool {
    locate(gsi).is_some()
}

/// Programs `gsi`'s redirection entry with `rte`; false if no I/O APIC has the GSI. The
/// entry is masked while its halves are rewritten.
pub fn set_entry(gsi: u32, rte: u64) -> bool {
    let Some((base, pin)) = locate(gsi) else {
        return false;
    };
    let reg = 0x10 + pin * 2;
    with_window(|| {
        let lo = read(base, reg);
        write(base, reg, lo | MASKED);
        write(base, reg + 1, (rte >> 32) as u32);
        write(base, reg, rte as u32);
    });
    true
}

/// Masks or unmasks `gsi`'s pin; false if no I/O APIC has the GSI.
pub fn set_masked(gsi: u32, masked: bool) -> bool {
    let Some((base, pin)) = locate(gsi) else {
        return false;
    };
    let reg = 0x10 + pin * 2;
    with_window(|| {
        let lo = read(base, reg);
        write(base, reg, if masked { lo | MASKED } else { lo & !MASKED });
    });
    true
}

/// Masks both legacy 8259 PICs (their vectors would collide with exceptions).
pub fn mask_pic() {
    // SAFETY: 0x21 and 0xA1 are the 8259 data ports on every PC platform; writing 0xFF
    // masks all their lines.
    unsafe {
        super::port::outb(0x21, 0xff);
        super::port::outb(0xa1, 0xff);
    }
}
