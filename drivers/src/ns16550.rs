//! The ns16550 UART on x86 I/O ports, through the `uart_16550` crate.
//!
//! Xen's `com1=`/`com2=` settings (baud, clock, data bits, parity, stop bits, I/O base) map onto
//! [`Ns16550Config`]; Xen's driver is `xen/drivers/char/ns16550.c`.

use uart_16550::backend::PioBackend;
use uart_16550::spec::registers::{Parity as UartParity, WordLength};
use uart_16550::{BaudRate, Config, Uart16550};

use crate::SerialPort;

/// The legacy I/O bases of COM1 and COM2.
pub const COM1_BASE: u16 = 0x3f8;
/// See [`COM1_BASE`].
pub const COM2_BASE: u16 = 0x2f8;

/// Parity, as Xen's `DPS` field spells it (`n`, `o`, `e`, `m`, `s`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parity {
    None,
    Odd,
    Even,
    Mark,
    Space,
}

/// Line settings for one port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ns16550Config {
    pub io_base: u16,
    /// `None` keeps what firmware programmed (Xen's `auto`).
    pub baud: Option<u32>,
    /// The UART input clock in Hz (Xen's `<clock-hz>`; 1.8432 MHz by default).
    pub clock_hz: u32,
    pub data_bits: u8,
    pub parity: Parity,
    pub stop_bits: u8,
}

impl Ns16550Config {
    /// 115200 8n1 on COM1, Ferrite's default before the command line is read.
    pub const DEFAULT_COM1: Ns16550Config = Ns16550Config {
        io_base: COM1_BASE,
        baud: Some(115_200),
        clock_hz: 1_843_200,
        data_bits: 8,
        parity: Parity::None,
        stop_bits: 1,
    };
}

/// Why a port could not be brought up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ns16550Error {
    /// Nothing answers at the I/O base.
    NotPresent,
    /// The settings cannot be programmed (e.g. a baud the clock cannot divide to).
    BadSettings,
    /// The port is already in use.
    Busy,
}

/// One ns16550 on I/O ports.
pub struct Ns16550 {
    uart: Uart16550<PioBackend>,
    io_base: u16,
}

/// I/O bases handed out by [`Ns16550::claim`], so that no port is driven twice.
static CLAIMED: spin::Mutex<[u16; 4]> = spin::Mutex::new([0; 4]);

/// The I/O bases of the UARTs Ferrite drives (0: a free slot); each uses 8 ports.
pub fn claimed_io_bases() -> [u16; 4] {
    *CLAIMED.lock()
}

impl Ns16550 {
    /// Claims the UART at `cfg.io_base` and programs it. Fails if the port is already claimed,
    /// absent, or cannot take the settings.
    pub fn claim(cfg: &Ns16550Config) -> Result<Ns16550, Ns16550Error> {
        let mut claimed = CLAIMED.lock();
        if cfg.io_base == 0 || claimed.contains(&cfg.io_base) {
            return Err(Ns16550Error::Busy);
        }
        let slot = claimed
            .iter()
            .position(|b| *b == 0)
            .ok_or(Ns16550Error::Busy)?;
        // SAFETY: the registry above proves no other `Ns16550` drives this port range, and
        // Ferrite's own code reaches UARTs only through this driver.
        let port = unsafe { Ns16550::new(cfg) }?;
        claimed[slot] = cfg.io_base;
        Ok(port)
    }

    /// Gives up the port (a later `claim` may program it again).
    pub fn release(self) {
        let mut claimed = CLAIMED.lock();
        if let Some(slot) = claimed.iter_mut().find(|b| **b == self.io_base) {
            *slot = 0;
        }
    }

    /// Programs the port with `cfg`.
    ///
    /// # Safety
    /// The caller must own the port range `cfg.io_base..cfg.io_base+8` exclusively: nothing
    /// else may drive this UART while the returned value lives.
    unsafe fn new(cfg: &Ns16550Config) -> Result<Ns16550, Ns16550Error> {
        // SAFETY: the caller owns the port range (this function's contract).
        let mut uart =
            unsafe { Uart16550::new_port(cfg.io_base) }.map_err(|_| Ns16550Error::BadSettings)?;
        let mut config = Config {
            frequency: cfg.clock_hz,
            data_bits: match cfg.data_bits {
                5 => WordLength::FiveBits,
                6 => WordLength::SixBits,
                7 => WordLength::SevenBits,
                _ => WordLength::EightBits,
            },
            extra_stop_bits: cfg.stop_bits > 1,
            parity: match cfg.parity {
                Parity::None => UartParity::Disabled,
                Parity::Odd => UartParity::Odd,
                Parity::Even => UartParity::Even,
                Parity::Mark => UartParity::Forced1,
                Parity::Space => UartParity::Forced0,
            },
            ..Config::default()
        };
        match cfg.baud {
            Some(b) => config.baud_rate = BaudRate::from_integer(b),
            None => {
                // Keep the firmware's divisor: read back what is programmed. An unprogrammed
                // port (divisor 0) gets 115200, like Xen's fallback.
                let (dll, dlm) = uart.dll_dlm();
                let divisor = u32::from(dll) | (u32::from(dlm) << 8);
                config.baud_rate = match divisor {
                    0 => BaudRate::Baud115200,
                    d => BaudRate::from_integer(cfg.clock_hz / 16 / d),
                };
            }
        }
        uart.init(config).map_err(|e| match e {
            uart_16550::InitError::DeviceNotPresent => Ns16550Error::NotPresent,
            _ => Ns16550Error::BadSettings,
        })?;
        Ok(Ns16550 {
            uart,
            io_base: cfg.io_base,
        })
    }
}

impl SerialPort for Ns16550 {
    fn write_bytes(&mut self, bytes: &[u8]) {
        self.uart.send_bytes_exact(bytes);
    }

    fn try_read_byte(&mut self) -> Option<u8> {
        self.uart.try_receive_byte().ok()
    }
}
