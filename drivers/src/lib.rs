//! Device drivers: the UARTs behind Ferrite's console.
//!
//! Drivers only move bytes; which device is the console, and at what settings, is decided by
//! the console layer from Xen's `console=`/`com1=`/`dtuart=` options.
#![cfg_attr(not(test), no_std)]

#[cfg(target_arch = "x86_64")]
pub mod ns16550;
#[cfg(target_arch = "aarch64")]
pub mod pl011;
pub mod vga;

/// A byte sink the console can write to.
pub trait SerialPort: Send {
    /// Writes all of `bytes`, translating nothing.
    fn write_bytes(&mut self, bytes: &[u8]);
    /// A received byte, if one is waiting.
    fn try_read_byte(&mut self) -> Option<u8>;
}

/// Every UART Ferrite can put its console on, as one sized type (no heap needed at boot).
pub enum Uart {
    #[cfg(target_arch = "x86_64")]
    Ns16550(ns16550::Ns16550),
    #[cfg(target_arch = "aarch64")]
    Pl011(pl011::Pl011),
}

impl SerialPort for Uart {
    fn write_bytes(&mut self, bytes: &[u8]) {
        match self {
            #[cfg(target_arch = "x86_64")]
            Uart::Ns16550(u) => u.write_bytes(bytes),
            #[cfg(target_arch = "aarch64")]
            Uart::Pl011(u) => u.write_bytes(bytes),
        }
    }

    fn try_read_byte(&mut self) -> Option<u8> {
        match self {
            #[cfg(target_arch = "x86_64")]
            Uart::Ns16550(u) => u.try_read_byte(),
            #[cfg(target_arch = "aarch64")]
            Uart::Pl011(u) => u.try_read_byte(),
        }
    }
}
