//! An emulated I/O APIC (82093AA datasheet; Intel ICH I/O APIC register set; Xen's
//! `xen/arch/x86/hvm/vioapic.c` for what a PVH dom0 expects): the indirect register window
//! (IOREGSEL at +0x00, IOWIN at +0x10), the id, version and arbitration registers, and the
//! redirection table a guest programs. dom0 sees one at each host I/O APIC's address with the
//! same number of pins.
//!
//! Register state only: routing device interrupts through it (the host I/O APIC delivering
//! to Ferrite, Ferrite injecting the programmed vector) comes with device pass-through.

/// Version 0x11 (82093AA-compatible).
const VERSION: u32 = 0x11;
/// Delivery status (bit 12) and remote IRR (bit 14) are read-only.
const RO_BITS: u64 = (1 << 12) | (1 << 14);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vioapic {
    /// Guest-physical base (the host I/O APIC's).
    pub base: u64,
    pub gsi_base: u32,
    id: u8,
    select: u32,
    redir: alloc::vec::Vec<u64>,
}

impl Vioapic {
    /// An I/O APIC with `pins` pins, every entry masked (the reset state).
    pub fn new(id: u8, base: u64, gsi_base: u32, pins: u8) -> Vioapic {
        Vioapic {
            base,
            gsi_base,
            id: id & 0xf,
            select: 0,
            redir: alloc::vec![1 << 16; usize::from(pins.max(1))],
        }
    }

    pub fn pins(&self) -> usize {
        self.redir.len()
    }

    /// Whether guest-physical `gpa` is in this I/O APIC's page.
    pub fn covers(&self, gpa: u64) -> bool {
        gpa >> 12 == self.base >> 12
    }

    /// The redirection entry of pin `pin`.
    pub fn entry(&self, pin: usize) -> Option<u64> {
        self.redir.get(pin).copied()
    }

    fn read_reg(&self) -> u32 {
        match self.select {
            0 => u32::from(self.id) << 24,
            1 => VERSION | ((self.pins() as u32 - 1) << 16),
            2 => u32::from(self.id) << 24,
            r @ 0x10..=0xff => {
                let i = ((r - 0x10) / 2) as usize;
                let e = self.redir.get(i).copied().unwrap_or(0);
                if r % 2 == 0 {
                    e as u32
                } else {
                    (e >> 32) as u32
                }
            }
            _ => 0,
        }
    }

    fn write_reg(&mut self, value: u32) {
        match self.select {
            0 => self.id = ((value >> 24) & 0xf) as u8,
            r @ 0x10..=0xff => {
                let i = ((r - 0x10) / 2) as usize;
                if let Some(e) = self.redir.get_mut(i) {
                    *e = if r % 2 == 0 {
                        (*e & (0xffff_ffff_0000_0000 | RO_BITS)) | (u64::from(value) & !RO_BITS)
                    } else {
                        (*e & 0xffff_ffff) | (u64::from(value & 0xff00_0000) << 32)
                    };
                }
            }
            // Version and arbitration are read-only.
            _ => {}
        }
    }

    /// A 32-bit read at `offset` in the page.
    pub fn read(&self, offset: u32) -> u32 {
        match offset {
            0x00 => self.select,
            0x10 => self.read_reg(),
            _ => 0,
        }
    }

    /// A 32-bit write at `offset`.
    pub fn write(&mut self, offset: u32, value: u32) {
        match offset {
            0x00 => self.select = value & 0xff,
            0x10 => self.write_reg(value),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_through_the_window() {
        let mut io = Vioapic::new(2, 0xfec0_0000, 0, 24);
        io.write(0, 1);
        assert_eq!(io.read(0x10), 0x0017_0011, "24 pins, version 0x11");
        io.write(0, 0);
        assert_eq!(io.read(0x10), 2 << 24);
        io.write(0x10, 5 << 24);
        assert_eq!(io.read(0x10), 5 << 24);
        // Pin 3: low word at 0x16, high at 0x17.
        io.write(0, 0x16);
        assert_eq!(io.read(0x10), 1 << 16, "masked at reset");
        io.write(0x10, 0x0000_8030 | (1 << 12) | (1 << 14));
        assert_eq!(
            io.read(0x10),
            0x0000_8030,
            "delivery status and remote IRR are read-only"
        );
        io.write(0, 0x17);
        io.write(0x10, 0x0300_00ff);
        assert_eq!(io.read(0x10), 0x0300_0000, "only the destination byte");
        assert_eq!(io.entry(3), Some(0x0300_0000_0000_8030));
        io.write(0, 1);
        io.write(0x10, 0);
        assert_eq!(io.read(0x10) & 0xff, 0x11, "version is read-only");
        assert!(io.covers(0xfec0_0010) && !io.covers(0xfec0_1000));
    }

    #[test]
    fn out_of_range_is_harmless() {
        let mut io = Vioapic::new(0, 0xfec0_0000, 24, 1);
        for sel in 0..=0xff {
            io.write(0, sel);
            io.write(0x10, u32::MAX);
            let _ = io.read(0x10);
        }
        for off in (0..0x1000).step_by(4) {
            io.write(off, u32::MAX);
            let _ = io.read(off);
        }
        assert_eq!(io.pins(), 1);
    }
}
