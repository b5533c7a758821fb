//! Stopping the machine: power-off through ACPI S5, and Xen's `reboot=` methods
//! (`xen/arch/x86/shutdown.c`): acpi (the FADT reset register), kbd (the 8042), pci (port
//! 0xCF9), triple (a triple fault).

use super::port::{inb, outb, outw};

/// A reset method, as `reboot=` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetMethod {
    Acpi,
    Kbd,
    Pci,
    Triple,
}

/// The FADT reset register, when firmware has one.
#[derive(Clone, Copy, Debug)]
pub struct ResetReg {
    /// 0 = system memory, 1 = system I/O.
    pub space: u8,
    pub address: u64,
    pub value: u8,
}

/// What ACPI says about power-off.
#[derive(Clone, Copy, Debug)]
pub struct PowerOff {
    pub pm1a_cnt: u16,
    pub pm1b_cnt: Option<u16>,
    pub slp_typ_a: u8,
    pub slp_typ_b: u8,
}

/// Gives a reset or power-off request time to take effect (200 ms) before the next method.
fn settle() {
    super::smp::spin_wait_us(200_000);
}

/// Tries one reset method; returns if it did not take.
pub fn reset(method: ResetMethod, acpi: Option<ResetReg>) {
    match method {
        ResetMethod::Acpi => {
            let Some(r) = acpi else { return };
            match r.space {
                // SAFETY: the FADT names this port as the reset register.
                1 => unsafe { outb(r.address as u16, r.value) },
                // SAFETY: the FADT names this MMIO byte as the reset register; Ferrite maps
                // low physical memory 1:1.
                0 => unsafe { core::ptr::write_volatile(r.address as *mut u8, r.value) },
                _ => return,
            }
        }
        ResetMethod::Kbd => {
            for _ in 0..0x10000 {
                // SAFETY: 0x64 is the 8042 status/command port on PC platforms.
                if unsafe { inb(0x64) } & 0x02 == 0 {
                    break;
                }
            }
            // SAFETY: 0xFE pulses the 8042's CPU-reset line.
            unsafe { outb(0x64, 0xfe) };
        }
        ResetMethod::Pci => {
            // SAFETY: 0xCF9 is the PCI reset control register on PC chipsets (PIIX, ICH).
            unsafe {
                outb(0xcf9, 0x02);
                outb(0xcf9, 0x06);
            }
        }
        ResetMethod::Triple => triple_fault(),
    }
    settle();
}

/// Loads an empty IDT and raises an exception: the CPU shuts down and the platform resets.
pub fn triple_fault() -> ! {
    let null: [u8; 10] = [0; 10];
    // SAFETY: deliberately loads a zero-limit IDT so that the INT3 escalates to a triple
    // fault, which resets the machine; nothing runs after it.
    unsafe {
        core::arch::asm!("lidt [{}]", "int3", in(reg) &null, options(nostack));
    }
    super::cpu::halt_forever()
}

/// ACPI S5: writes SLP_TYP | SLP_EN to the PM1 control blocks.
pub fn power_off(p: &PowerOff) {
    const SLP_EN: u16 = 1 << 13;
    // SAFETY: the FADT names these ports as the PM1 control blocks; S5 powers off.
    unsafe {
        outw(p.pm1a_cnt, (u16::from(p.slp_typ_a) << 10) | SLP_EN);
        if let Some(b) = p.pm1b_cnt {
            outw(b, (u16::from(p.slp_typ_b) << 10) | SLP_EN);
        }
    }
    settle();
}
