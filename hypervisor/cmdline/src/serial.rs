//! `com1=` and `com2=`: 16550 UART settings.
//!
//! Mirrors the `com1`/`com2` section of `docs/misc/xen-command-line.pandoc` and
//! `ns16550_parse_port_config()` with `parse_positional()` and
//! `parse_namevalue_pairs()` in `xen/drivers/char/ns16550.c`, including its sanity
//! checks (baud 1200..=115200 or `auto`, 5..=8 data bits, 1 or 2 stop bits, register
//! width 1 or 4). Where Xen would skip junk or wrap a number, Ferrite rejects the
//! whole option and names the bad part. Fields left `None` keep the driver's defaults.

use crate::values::{PciBdf, parse_pci_bdf, parse_u32, parse_u64};

/// The line speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Baud {
    /// `auto`: keep what firmware or the boot loader programmed.
    Auto,
    /// A rate in bits per second, 1200 to 115200.
    Rate(u32),
}

/// The parity setting (`n`, `o`, `e`, `m`, `s`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parity {
    /// `n`.
    None,
    /// `o`.
    Odd,
    /// `e`.
    Even,
    /// `m`: parity bit always 1.
    Mark,
    /// `s`: parity bit always 0.
    Space,
}

/// Where the UART's registers are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoBase {
    /// An I/O port (x86) or MMIO address.
    Address(u64),
    /// `pci`: scan PCI for a UART, skipping Intel AMT devices.
    Pci,
    /// `amt`: scan PCI for a UART, Intel AMT devices included.
    Amt,
}

/// How the UART interrupts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Irq {
    /// `0`: no interrupt, poll.
    Poll,
    /// A legacy IRQ line.
    Line(u32),
    /// `msi`: a Message Signalled Interrupt.
    Msi,
}

/// Everything `com1=`/`com2=` can set; `None` means "not given, use the default".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ComConfig {
    /// `<baud>` or `baud=`.
    pub baud: Option<Baud>,
    /// The UART input clock in Hz: 16 times `<base-baud>` or `clock-hz=`.
    pub clock_hz: Option<u64>,
    /// The `D` of `DPS`, or `data-bits=`: 5 to 8.
    pub data_bits: Option<u8>,
    /// The `P` of `DPS`, or `parity=`.
    pub parity: Option<Parity>,
    /// The `S` of `DPS`, or `stop-bits=`: 1 or 2.
    pub stop_bits: Option<u8>,
    /// `<io-base>|pci|amt`, `io-base=` or `dev=`.
    pub io_base: Option<IoBase>,
    /// `<irq>|msi` or `irq=`.
    pub irq: Option<Irq>,
    /// `<port-bdf>` or `port=`: the UART's PCI location.
    pub port_bdf: Option<PciBdf>,
    /// `<bridge-bdf>` or `bridge=`: the PCI bridge in front of the UART.
    pub bridge_bdf: Option<PciBdf>,
    /// `reg-shift=`: log2 of the register stride.
    pub reg_shift: Option<u8>,
    /// `reg-width=`: register access width in bytes, 1 or 4.
    pub reg_width: Option<u8>,
}

/// The `expected` text for `com1=`/`com2=` as a whole.
pub const COM_EXPECTED: &str = "<baud>[/<base-baud>][,DPS[,<io-base>|pci|amt[,<irq>|msi\
     [,<port-bdf>[,<bridge-bdf>]]]]] then name=value pairs";

/// The bad part of a `com` value and what it should have been.
pub type ComError<'a> = (&'a [u8], &'static str);

/// Parses a `com1=`/`com2=` value: positional fields up to the last comma before the
/// first `=`, then `name=value` pairs. Any bad part rejects the whole value.
pub fn parse_com(value: &[u8]) -> Result<ComConfig, ComError<'_>> {
    let (positional, pairs) = split_positional(value);
    let mut com = ComConfig::default();
    parse_positional(&mut com, positional)?;
    if !pairs.is_empty() {
        for pair in pairs.split(|&b| b == b',') {
            parse_pair(&mut com, pair)?;
        }
    }
    check(&com, value)?;
    Ok(com)
}

/// Splits before the comma that precedes the first `=` (all positional if none).
fn split_positional(value: &[u8]) -> (&[u8], &[u8]) {
    let Some(eq) = value.iter().position(|&b| b == b'=') else {
        return (value, &[]);
    };
    let before = value.get(..eq).unwrap_or(&[]);
    match before.iter().rposition(|&b| b == b',') {
        Some(comma) => (
            value.get(..comma).unwrap_or(&[]),
            value.get(comma + 1..).unwrap_or(&[]),
        ),
        None => (&[], value),
    }
}

const BAUD_EXPECTED: &str = "a baud rate from 1200 to 115200 or auto, then /<base-baud>";
const DPS_EXPECTED: &str = "DPS: data bits 5-8, parity n|o|e|m|s, stop bits 1|2 (e.g. 8n1)";
const IO_BASE_EXPECTED: &str = "an I/O base integer, pci or amt";
const IRQ_EXPECTED: &str = "an IRQ number (0 polls) or msi";
const BDF_EXPECTED: &str = "PCI coordinates <bus>:<device>.<function>";
const EXTRA_EXPECTED: &str = "at most 6 positional fields";

fn parse_positional<'a>(com: &mut ComConfig, fields: &'a [u8]) -> Result<(), ComError<'a>> {
    if fields.is_empty() {
        return Ok(());
    }
    for (index, field) in fields.split(|&b| b == b',').enumerate() {
        if field.is_empty() {
            continue;
        }
        let bad = |expected| (field, expected);
        match index {
            0 => parse_baud_field(com, field).ok_or(bad(BAUD_EXPECTED))?,
            1 => parse_dps(com, field).ok_or(bad(DPS_EXPECTED))?,
            2 => com.io_base = Some(parse_io_base(field).ok_or(bad(IO_BASE_EXPECTED))?),
            3 => com.irq = Some(parse_irq(field).ok_or(bad(IRQ_EXPECTED))?),
            4 => com.port_bdf = Some(parse_pci_bdf(field).ok_or(bad(BDF_EXPECTED))?),
            5 => com.bridge_bdf = Some(parse_pci_bdf(field).ok_or(bad(BDF_EXPECTED))?),
            _ => return Err(bad(EXTRA_EXPECTED)),
        }
    }
    Ok(())
}

/// `<baud>[/<base-baud>]`; a baud of 0 or nothing before `/` keeps the default.
fn parse_baud_field(com: &mut ComConfig, field: &[u8]) -> Option<()> {
    let (baud, base) = match field.iter().position(|&b| b == b'/') {
        Some(slash) => (field.get(..slash)?, Some(field.get(slash + 1..)?)),
        None => (field, None),
    };
    match baud {
        b"" | b"0" => {}
        _ => com.baud = Some(parse_baud(baud)?),
    }
    if let Some(base) = base {
        com.clock_hz = Some(parse_u64(base)?.checked_mul(16)?);
    }
    Some(())
}

fn parse_baud(text: &[u8]) -> Option<Baud> {
    if text == b"auto" {
        return Some(Baud::Auto);
    }
    parse_decimal(text).map(Baud::Rate)
}

/// Decimal only, as Xen reads the positional baud and IRQ (`simple_strtoul(.., 10)`).
fn parse_decimal(text: &[u8]) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0u32, |value, &byte| {
        let digit = char::from(byte).to_digit(10)?;
        value.checked_mul(10)?.checked_add(digit)
    })
}

fn parse_dps(com: &mut ComConfig, field: &[u8]) -> Option<()> {
    let [data, parity, stop] = field else {
        return None;
    };
    com.data_bits = Some(data.checked_sub(b'0')?);
    com.parity = Some(parse_parity(*parity)?);
    com.stop_bits = Some(stop.checked_sub(b'0')?);
    Some(())
}

fn parse_parity(byte: u8) -> Option<Parity> {
    Some(match byte {
        b'n' => Parity::None,
        b'o' => Parity::Odd,
        b'e' => Parity::Even,
        b'm' => Parity::Mark,
        b's' => Parity::Space,
        _ => return None,
    })
}

fn parse_io_base(text: &[u8]) -> Option<IoBase> {
    Some(match text {
        b"pci" => IoBase::Pci,
        b"amt" => IoBase::Amt,
        _ => IoBase::Address(parse_u64(text)?),
    })
}

fn parse_irq(text: &[u8]) -> Option<Irq> {
    Some(match text {
        b"msi" => Irq::Msi,
        _ => match parse_decimal(text)? {
            0 => Irq::Poll,
            line => Irq::Line(line),
        },
    })
}

fn parse_pair<'a>(com: &mut ComConfig, pair: &'a [u8]) -> Result<(), ComError<'a>> {
    let eq = pair.iter().position(|&b| b == b'=');
    let (name, value) = match eq {
        Some(eq) => (
            pair.get(..eq).unwrap_or(&[]),
            pair.get(eq + 1..).unwrap_or(&[]),
        ),
        None => return Err((pair, "name=value pairs after the positional fields")),
    };
    let bad = |expected| (pair, expected);
    let small = |value| parse_u32(value).and_then(|v| u8::try_from(v).ok());
    match name {
        b"baud" => com.baud = Some(parse_baud_pair(value).ok_or(bad("baud=<integer>|auto"))?),
        b"clock-hz" => {
            let hz = parse_u64(value).and_then(|v| v.checked_mul(16));
            com.clock_hz = Some(hz.ok_or(bad("clock-hz=<integer>"))?);
        }
        b"data-bits" => com.data_bits = Some(small(value).ok_or(bad("data-bits=5..8"))?),
        b"io-base" => {
            let base = parse_u64(value).ok_or(bad("io-base=<integer>"))?;
            com.io_base = Some(IoBase::Address(base));
        }
        b"irq" => {
            com.irq = Some(match parse_u32(value).ok_or(bad("irq=<integer>"))? {
                0 => Irq::Poll,
                line => Irq::Line(line),
            });
        }
        b"parity" => {
            let parity = match value {
                [one] => parse_parity(*one),
                _ => None,
            };
            com.parity = Some(parity.ok_or(bad("parity=n|o|e|m|s"))?);
        }
        b"stop-bits" => com.stop_bits = Some(small(value).ok_or(bad("stop-bits=1|2"))?),
        b"reg-shift" => com.reg_shift = Some(small(value).ok_or(bad("reg-shift=<integer>"))?),
        b"reg-width" => com.reg_width = Some(small(value).ok_or(bad("reg-width=1|4"))?),
        b"dev" => {
            com.io_base = Some(match value {
                b"pci" => IoBase::Pci,
                b"amt" => IoBase::Amt,
                _ => return Err(bad("dev=pci|amt")),
            });
        }
        b"port" => com.port_bdf = Some(parse_pci_bdf(value).ok_or(bad(BDF_EXPECTED))?),
        b"bridge" => com.bridge_bdf = Some(parse_pci_bdf(value).ok_or(bad(BDF_EXPECTED))?),
        _ => {
            return Err(bad(
                "one of baud, clock-hz, data-bits, io-base, irq, parity, stop-bits, \
                 reg-shift, reg-width, dev, port, bridge =<value>",
            ));
        }
    }
    Ok(())
}

fn parse_baud_pair(text: &[u8]) -> Option<Baud> {
    if text == b"auto" {
        return Some(Baud::Auto);
    }
    parse_u32(text).map(Baud::Rate)
}

/// Xen's sanity checks after parsing (`ns16550_parse_port_config()`).
fn check<'a>(com: &ComConfig, value: &'a [u8]) -> Result<(), ComError<'a>> {
    if let Some(Baud::Rate(rate)) = com.baud
        && !(1200..=115_200).contains(&rate)
    {
        return Err((value, "a baud rate from 1200 to 115200 or auto"));
    }
    if com.data_bits.is_some_and(|bits| !(5..=8).contains(&bits)) {
        return Err((value, "5 to 8 data bits"));
    }
    if com.stop_bits.is_some_and(|bits| !(1..=2).contains(&bits)) {
        return Err((value, "1 or 2 stop bits"));
    }
    if com.reg_width.is_some_and(|width| width != 1 && width != 4) {
        return Err((value, "a register width of 1 or 4"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::PciBdf;

    #[test]
    fn typical_positional_setup() {
        let com = parse_com(b"115200,8n1,0x3f8,4").unwrap();
        assert_eq!(
            com,
            ComConfig {
                baud: Some(Baud::Rate(115_200)),
                data_bits: Some(8),
                parity: Some(Parity::None),
                stop_bits: Some(1),
                io_base: Some(IoBase::Address(0x3f8)),
                irq: Some(Irq::Line(4)),
                ..ComConfig::default()
            }
        );
    }

    #[test]
    fn every_positional_field() {
        let com = parse_com(b"auto/115200,7e2,pci,msi,0:1f.3,0:1c.0").unwrap();
        assert_eq!(com.baud, Some(Baud::Auto));
        assert_eq!(com.clock_hz, Some(115_200 * 16));
        assert_eq!(
            (com.data_bits, com.parity, com.stop_bits),
            (Some(7), Some(Parity::Even), Some(2))
        );
        assert_eq!(com.io_base, Some(IoBase::Pci));
        assert_eq!(com.irq, Some(Irq::Msi));
        let bdf = |bus, device, function| {
            Some(PciBdf {
                bus,
                device,
                function,
            })
        };
        assert_eq!(com.port_bdf, bdf(0, 0x1f, 3));
        assert_eq!(com.bridge_bdf, bdf(0, 0x1c, 0));
        assert_eq!(parse_com(b"9600,,amt,0").unwrap().irq, Some(Irq::Poll));
        assert_eq!(
            parse_com(b",,0x2f8").unwrap().io_base,
            Some(IoBase::Address(0x2f8))
        );
        assert_eq!(parse_com(b"0").unwrap(), ComConfig::default());
        assert_eq!(parse_com(b"").unwrap(), ComConfig::default());
        for parity in [
            (b'o', Parity::Odd),
            (b'm', Parity::Mark),
            (b's', Parity::Space),
        ] {
            let value = [b',', b'5', parity.0, b'1'];
            assert_eq!(parse_com(&value).unwrap().parity, Some(parity.1));
        }
    }

    #[test]
    fn name_value_pairs_follow_positional_fields() {
        let com = parse_com(b"115200,8n1,0x3f8,4,reg-width=4,reg-shift=2").unwrap();
        assert_eq!((com.reg_width, com.reg_shift), (Some(4), Some(2)));
        assert_eq!(com.irq, Some(Irq::Line(4)));
        let com = parse_com(b"baud=115200,parity=n,stop-bits=1,io-base=0x3f8,reg-width=4").unwrap();
        assert_eq!(com.baud, Some(Baud::Rate(115_200)));
        assert_eq!(com.parity, Some(Parity::None));
        assert_eq!(com.io_base, Some(IoBase::Address(0x3f8)));
        let com = parse_com(
            b"baud=auto,clock-hz=115200,data-bits=8,irq=0,dev=amt,port=1:0.0,bridge=0:1.0",
        )
        .unwrap();
        assert_eq!(com.baud, Some(Baud::Auto));
        assert_eq!(com.clock_hz, Some(115_200 * 16));
        assert_eq!(com.irq, Some(Irq::Poll));
        assert_eq!(com.io_base, Some(IoBase::Amt));
        assert_eq!(parse_com(b"dev=pci").unwrap().io_base, Some(IoBase::Pci));
    }

    #[test]
    fn bad_parts_are_named() {
        let cases: [(&[u8], &[u8]); 17] = [
            (b"fast", b"fast"),
            (b"115200/x", b"115200/x"),
            (b"115200,8x1", b"8x1"),
            (b"115200,8n", b"8n"),
            (b"115200,8n1,port", b"port"),
            (b"115200,8n1,0x3f8,four", b"four"),
            (b"115200,8n1,0x3f8,4,1:2", b"1:2"),
            (b"115200,8n1,0x3f8,4,0:1.0,0:2.0,7", b"7"),
            (b"115200,bogus=1", b"bogus=1"),
            (b"baud=1,parity=nn", b"parity=nn"),
            (b"io-base=0x3f8,irq", b"irq"),
            (b"dev=usb", b"dev=usb"),
            (b"reg-width=256", b"reg-width=256"),
            (b"300", b"300"),
            (b"115200,9n1", b"115200,9n1"),
            (b"115200,8n3", b"115200,8n3"),
            (b"reg-width=2", b"reg-width=2"),
        ];
        for (value, part) in cases {
            let err = parse_com(value).unwrap_err();
            assert_eq!(err.0, part, "{}", String::from_utf8_lossy(value));
        }
        assert!(parse_com(b"4294967296").is_err(), "overflow");
        assert!(
            parse_com(b"115200/1152921504606846976").is_err(),
            "clock overflow"
        );
    }
}
