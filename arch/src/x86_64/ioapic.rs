//! IOAPICs: Ferrite masks every redirection entry at boot (dom0 and the IRQ routing come
//! later), so no device interrupt arrives unexpectedly.

/// Masks all pins of the IOAPIC at `base` (mapped uncached 1:1); returns the pin count.
pub fn mask_all(base: u64) -> u32 {
    let sel = base as *mut u32;
    let win = (base + 0x10) as *mut u32;
    // SAFETY: `base` is an IOAPIC's MMIO window from the MADT, mapped uncached; IOREGSEL and
    // IOWIN are the only registers touched.
    unsafe {
        core::ptr::write_volatile(sel, 1);
        let ver = core::ptr::read_volatile(win);
        let pins = ((ver >> 16) & 0xff) + 1;
        for pin in 0..pins {
            core::ptr::write_volatile(sel, 0x10 + pin * 2);
            let lo = core::ptr::read_volatile(win);
            core::ptr::write_volatile(sel, 0x10 + pin * 2);
            core::ptr::write_volatile(win, lo | (1 << 16));
        }
        pins
    }
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
