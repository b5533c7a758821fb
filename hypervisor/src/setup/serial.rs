//! From `com1=`/`com2=`/`console_timestamps=` values to the console's devices and settings.

use ferrite_cmdline::console::TimestampMode;
#[cfg(target_arch = "x86_64")]
use ferrite_cmdline::serial::{Baud, ComConfig, IoBase, Parity};

use crate::console::Timestamps;

pub fn timestamps(t: TimestampMode) -> Timestamps {
    match t {
        TimestampMode::None => Timestamps::None,
        TimestampMode::Date => Timestamps::Date,
        TimestampMode::DateMs => Timestamps::DateMs,
        TimestampMode::Boot => Timestamps::Boot,
        TimestampMode::Raw => Timestamps::Raw,
    }
}

/// Line settings for a port: what `comN=` says, Xen's defaults for the rest (115200 8n1 at
/// the legacy I/O base, or the firmware's divisor for `auto`).
#[cfg(target_arch = "x86_64")]
pub fn ns16550_config(
    com: Option<&ComConfig>,
    default_base: u16,
) -> Result<ferrite_drivers::ns16550::Ns16550Config, &'static str> {
    use ferrite_drivers::ns16550::{Ns16550Config, Parity as P};
    let mut c = Ns16550Config {
        io_base: default_base,
        ..Ns16550Config::DEFAULT_COM1
    };
    let Some(com) = com else { return Ok(c) };
    match com.baud {
        Some(Baud::Auto) => c.baud = None,
        Some(Baud::Rate(b)) => c.baud = Some(b),
        None => {}
    }
    if let Some(hz) = com.clock_hz {
        // Xen's `<base-baud>` is the clock divided by 16.
        c.clock_hz = u32::try_from(hz).map_err(|_| "clock out of range")?;
    }
    if let Some(d) = com.data_bits {
        c.data_bits = d;
    }
    if let Some(p) = com.parity {
        c.parity = match p {
            Parity::None => P::None,
            Parity::Odd => P::Odd,
            Parity::Even => P::Even,
            Parity::Mark => P::Mark,
            Parity::Space => P::Space,
        };
    }
    if let Some(s) = com.stop_bits {
        c.stop_bits = s;
    }
    match com.io_base {
        Some(IoBase::Address(a)) => {
            c.io_base = u16::try_from(a)
                .map_err(|_| "I/O base above 0xffff (MMIO UARTs are not supported yet)")?;
        }
        Some(IoBase::Pci | IoBase::Amt) => {
            return Err("PCI/AMT serial ports are not supported yet");
        }
        None => {}
    }
    Ok(c)
}

/// Opens a console UART, or says why not (once, on the default port).
#[cfg(all(target_arch = "x86_64", target_os = "none"))]
pub fn open(com: Option<&ComConfig>, default_base: u16) -> Option<ferrite_drivers::Uart> {
    use ferrite_drivers::ns16550::Ns16550;
    let cfg = match ns16550_config(com, default_base) {
        Ok(c) => c,
        Err(why) => {
            // Fall back to the legacy port so the warning can be seen at all.
            let fallback = ferrite_drivers::ns16550::Ns16550Config {
                io_base: default_base,
                ..ferrite_drivers::ns16550::Ns16550Config::DEFAULT_COM1
            };
            let port = Ns16550::claim(&fallback)
                .ok()
                .map(ferrite_drivers::Uart::Ns16550);
            PENDING_WARNING.call_once(|| why);
            return port;
        }
    };
    Ns16550::claim(&cfg)
        .ok()
        .map(ferrite_drivers::Uart::Ns16550)
}

/// A console-setup problem to print once the console works.
#[cfg(all(target_arch = "x86_64", target_os = "none"))]
pub static PENDING_WARNING: spin::Once<&'static str> = spin::Once::new();

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;

    #[test]
    fn com_settings() {
        let parsed = ferrite_cmdline::parse(b"com1=9600,7e2,0x2e8", &mut |_| {});
        let c = ns16550_config(parsed.config.com1.as_ref(), 0x3f8).unwrap();
        assert_eq!(c.baud, Some(9600));
        assert_eq!(c.data_bits, 7);
        assert_eq!(c.stop_bits, 2);
        assert_eq!(c.io_base, 0x2e8);
        assert_eq!(c.parity, ferrite_drivers::ns16550::Parity::Even);
        let auto = ferrite_cmdline::parse(b"com1=auto", &mut |_| {});
        assert_eq!(
            ns16550_config(auto.config.com1.as_ref(), 0x3f8)
                .unwrap()
                .baud,
            None
        );
        let d = ns16550_config(None, 0x2f8).unwrap();
        assert_eq!((d.io_base, d.baud), (0x2f8, Some(115_200)));
    }
}
