//! The Arm PrimeCell PL011 UART (Arm DDI 0183), as Xen's `xen/drivers/char/pl011.c` drives
//! it for `dtuart=`: polled output, line settings left as firmware programmed them.

use crate::SerialPort;

const DR: usize = 0x00;
const FR: usize = 0x18;
const CR: usize = 0x30;
const IMSC: usize = 0x38;
const FR_TXFF: u32 = 1 << 5;
const FR_RXFE: u32 = 1 << 4;
const CR_UARTEN: u32 = 1 << 0;
const CR_TXE: u32 = 1 << 8;
const CR_RXE: u32 = 1 << 9;

/// One PL011 at an MMIO base mapped 1:1 (device memory).
pub struct Pl011 {
    base: usize,
}

impl Pl011 {
    /// Takes the UART at `base`: enables transmit and receive, masks its interrupts.
    ///
    /// # Safety
    /// `base` must be the mapped MMIO base of a PL011 that nothing else drives.
    pub unsafe fn new(base: u64) -> Pl011 {
        let u = Pl011 {
            base: base as usize,
        };
        // SAFETY: the caller guarantees a PL011 at `base`; CR and IMSC are its registers.
        unsafe {
            u.write(IMSC, 0);
            let cr = u.read(CR);
            u.write(CR, cr | CR_UARTEN | CR_TXE | CR_RXE);
        }
        u
    }

    /// The MMIO base.
    pub fn base(&self) -> u64 {
        self.base as u64
    }

    /// # Safety
    /// `off` must be a PL011 register offset.
    unsafe fn read(&self, off: usize) -> u32 {
        // SAFETY: `base + off` is a register of the PL011 this value owns (see `new`).
        unsafe { core::ptr::read_volatile((self.base + off) as *const u32) }
    }

    /// # Safety
    /// `off` must be a PL011 register offset.
    unsafe fn write(&self, off: usize, v: u32) {
        // SAFETY: as in `read`.
        unsafe { core::ptr::write_volatile((self.base + off) as *mut u32, v) }
    }

    fn put(&mut self, b: u8) {
        // Bounded: a wedged UART must not hang the console forever.
        for _ in 0..1_000_000 {
            // SAFETY: FR is this PL011's flag register.
            if unsafe { self.read(FR) } & FR_TXFF == 0 {
                break;
            }
            core::hint::spin_loop();
        }
        // SAFETY: DR is this PL011's data register.
        unsafe { self.write(DR, u32::from(b)) };
    }
}

impl SerialPort for Pl011 {
    fn write_bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.put(b);
        }
    }

    fn try_read_byte(&mut self) -> Option<u8> {
        // SAFETY: FR and DR are this PL011's registers.
        unsafe { (self.read(FR) & FR_RXFE == 0).then(|| self.read(DR) as u8) }
    }
}
