//! Console options: `console`, `loglvl`, `guest_loglvl` and `console_timestamps`.
//!
//! Mirrors `docs/misc/xen-command-line.pandoc` and `xen/drivers/char/console.c`
//! (`console_init_preirq()`, `_parse_loglvl()`, `parse_console_timestamps()`) with
//! `serial_parse_handle()` from `xen/drivers/char/serial.c`. Xen matches these words by
//! prefix (`vgafoo` is `vga`); Ferrite wants the exact word.

use crate::report::{Rejected, Report, for_each_item};

/// How a serial console treats the top bit of each character (`com1H`, `com1L`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SerialMsb {
    /// Plain `comN`: characters pass unchanged.
    #[default]
    Unchanged,
    /// `comNH`: transmitted characters get the MSB set; received ones must have it.
    High,
    /// `comNL`: transmitted and received characters have the MSB cleared.
    Low,
}

/// The set of console devices chosen by `console=`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConsoleList {
    /// `vga`: the VGA text or graphics console.
    pub vga: bool,
    /// `com1[H|L]`: the first serial port.
    pub com1: Option<SerialMsb>,
    /// `com2[H|L]`: the second serial port.
    pub com2: Option<SerialMsb>,
    /// `dtuart`: the UART named by `dtuart=` (Arm).
    pub dtuart: bool,
}

impl ConsoleList {
    /// Xen's default: `console=com1,vga` on x86, `console=dtuart` elsewhere
    /// (`OPT_CONSOLE_STR` in each arch's `asm/config.h`).
    pub const fn xen_default() -> Self {
        if cfg!(target_arch = "x86_64") || cfg!(target_arch = "x86") {
            Self {
                vga: true,
                com1: Some(SerialMsb::Unchanged),
                com2: None,
                dtuart: false,
            }
        } else {
            Self {
                vga: false,
                com1: None,
                com2: None,
                dtuart: true,
            }
        }
    }
}

/// The `expected` text for `console=`.
pub const CONSOLE_EXPECTED: &str =
    "a list of vga, com1[H|L], com2[H|L], dtuart, pv, dbgp, ehci, xhci, none";

/// Parses `console=`, which replaces the whole list as Xen's `string_param` does. Each
/// bad item is reported and skipped; devices Xen knows but Ferrite lacks are reported
/// as unsupported; `none` adds nothing. Returns `None`, so the previous list stays,
/// when no item was usable: unlike Xen, a typo never leaves the host without a console.
pub fn parse_console<'a>(value: &'a [u8], report: &mut Report<'a, '_>) -> Option<ConsoleList> {
    let mut list = ConsoleList::default();
    let mut usable = false;
    for_each_item(value, report, CONSOLE_EXPECTED, |item, report| {
        match item {
            b"vga" => list.vga = true,
            b"dtuart" => list.dtuart = true,
            b"none" => {}
            b"pv" | b"dbgp" | b"ehci" | b"xhci" | b"xen" => return report.unsupported(item),
            _ => match parse_serial_handle(item) {
                Some((1, msb)) => list.com1 = Some(msb),
                Some((_, msb)) => list.com2 = Some(msb),
                None => return report.malformed(item, CONSOLE_EXPECTED),
            },
        }
        usable = true;
    });
    usable.then_some(list)
}

/// `com1`, `com2`, optionally followed by `H` or `L`.
fn parse_serial_handle(item: &[u8]) -> Option<(u8, SerialMsb)> {
    let (port, flag) = match item {
        [b'c', b'o', b'm', port @ (b'1' | b'2'), flag @ ..] => (port - b'0', flag),
        _ => return None,
    };
    let msb = match flag {
        [] => SerialMsb::Unchanged,
        b"H" => SerialMsb::High,
        b"L" => SerialMsb::Low,
        _ => return None,
    };
    Some((port, msb))
}

/// A log level, least to most verbose. `all` on the command line means `Debug`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// Nothing.
    None,
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warning,
    /// Informational messages and above.
    Info,
    /// Everything (`debug` or `all`).
    Debug,
}

/// What `loglvl=` or `guest_loglvl=` selects: messages at or above `always` are
/// printed, those between `always` and `rate_limited` are rate-limited, and the rest are
/// dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogThresholds {
    /// The least important level that is always printed.
    pub always: LogLevel,
    /// The least important level that is printed, rate-limited. Never below `always`.
    pub rate_limited: LogLevel,
}

impl LogThresholds {
    /// Xen's release-build `loglvl` default, `info` (the doc's `loglvl=info`).
    pub const XEN_DEFAULT: Self = Self {
        always: LogLevel::Info,
        rate_limited: LogLevel::Info,
    };
    /// Xen's release-build `guest_loglvl` default, `none/warning`.
    pub const XEN_GUEST_DEFAULT: Self = Self {
        always: LogLevel::None,
        rate_limited: LogLevel::Warning,
    };
}

/// The `expected` text for `loglvl=` and `guest_loglvl=`.
pub const LOGLVL_EXPECTED: &str = "one of none, error, warning, info, debug, all[/<level>]";

/// Parses `<level>[/<rate-limited level>]`; the second level is raised to the first
/// when it is lower, as in `_parse_loglvl()`.
pub fn parse_loglvl(value: &[u8]) -> Result<LogThresholds, Rejected> {
    let (always, rate_limited) = match value.iter().position(|&b| b == b'/') {
        Some(slash) => (
            value.get(..slash).ok_or(Rejected)?,
            Some(value.get(slash + 1..).ok_or(Rejected)?),
        ),
        None => (value, None),
    };
    let always = parse_level(always)?;
    let rate_limited = match rate_limited {
        Some(level) => parse_level(level)?.max(always),
        None => always,
    };
    Ok(LogThresholds {
        always,
        rate_limited,
    })
}

fn parse_level(word: &[u8]) -> Result<LogLevel, Rejected> {
    Ok(match word {
        b"none" => LogLevel::None,
        b"error" => LogLevel::Error,
        b"warning" => LogLevel::Warning,
        b"info" => LogLevel::Info,
        b"debug" | b"all" => LogLevel::Debug,
        _ => return Err(Rejected),
    })
}

/// The prefix Xen puts on each console line (`console_timestamps=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimestampMode {
    /// No timestamp.
    #[default]
    None,
    /// `[YYYY-MM-DD HH:MM:SS]`.
    Date,
    /// `[YYYY-MM-DD HH:MM:SS.mmm]`.
    DateMs,
    /// `[SSSSSS.uuuuuu]` since boot.
    Boot,
    /// Raw platform ticks.
    Raw,
}

/// The `expected` text for `console_timestamps=`.
pub const TIMESTAMPS_EXPECTED: &str = "one of none, date, datems, boot, raw or a boolean";

/// Parses the text Xen hands `parse_console_timestamps()`: a boolean (true means
/// `date`), a mode name, or empty (the old boolean form, meaning `date`).
pub fn parse_timestamps(text: &[u8]) -> Result<TimestampMode, Rejected> {
    if let Some(on) = crate::values::parse_bool(text) {
        return Ok(if on {
            TimestampMode::Date
        } else {
            TimestampMode::None
        });
    }
    Ok(match text {
        b"" | b"date" => TimestampMode::Date,
        b"datems" => TimestampMode::DateMs,
        b"boot" => TimestampMode::Boot,
        b"raw" => TimestampMode::Raw,
        b"none" => TimestampMode::None,
        _ => return Err(Rejected),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;

    fn console(value: &[u8]) -> (ConsoleList, Vec<String>) {
        let mut seen = Vec::new();
        let mut sink = |d: Diagnostic<'_>| seen.push(d.to_string());
        let list = parse_console(value, &mut Report::new("console", &mut sink));
        (list.unwrap_or(ConsoleList::xen_default()), seen)
    }

    #[test]
    fn console_lists() {
        let (list, seen) = console(b"com1H,vga,com2L");
        assert_eq!(
            list,
            ConsoleList {
                vga: true,
                com1: Some(SerialMsb::High),
                com2: Some(SerialMsb::Low),
                dtuart: false,
            }
        );
        assert!(seen.is_empty());
        let (list, seen) = console(b"none");
        assert_eq!(list, ConsoleList::default());
        assert!(seen.is_empty());
        let (list, seen) = console(b"dtuart");
        assert!(list.dtuart && seen.is_empty());
        let (list, seen) = console(b"com1,dbgp,com3,vgax");
        assert_eq!(list.com1, Some(SerialMsb::Unchanged));
        assert!(!list.vga);
        assert_eq!(seen.len(), 3);
        assert_eq!(
            seen[0],
            "option 'console': value 'dbgp' is known but not supported yet"
        );
        assert!(seen[1].starts_with("option 'console': malformed value 'com3'"));
        let (_, seen) = console(b"com1,,vga");
        assert_eq!(seen.len(), 1);
        assert!(seen[0].contains("'com1,,vga'"));
        let (_, seen) = console(b"com1X");
        assert_eq!(seen.len(), 1);
    }

    #[test]
    fn console_default_is_com1_and_vga_on_x86() {
        assert_eq!(
            ConsoleList::xen_default(),
            ConsoleList {
                vga: true,
                com1: Some(SerialMsb::Unchanged),
                com2: None,
                dtuart: false
            }
        );
    }

    #[test]
    fn loglvl_forms() {
        let t = |always, rate_limited| LogThresholds {
            always,
            rate_limited,
        };
        use LogLevel::*;
        assert_eq!(parse_loglvl(b"warning"), Ok(t(Warning, Warning)));
        assert_eq!(parse_loglvl(b"all"), Ok(t(Debug, Debug)));
        assert_eq!(parse_loglvl(b"none/warning"), Ok(t(None, Warning)));
        assert_eq!(parse_loglvl(b"info/error"), Ok(t(Info, Info)), "raised");
        for bad in [
            "",
            "bogus",
            "info/",
            "/info",
            "info/bogus",
            "info/debug/all",
            "INFO",
        ] {
            assert_eq!(parse_loglvl(bad.as_bytes()), Err(Rejected), "{bad}");
        }
    }

    #[test]
    fn timestamp_forms() {
        assert_eq!(parse_timestamps(b""), Ok(TimestampMode::Date));
        assert_eq!(parse_timestamps(b"yes"), Ok(TimestampMode::Date));
        assert_eq!(parse_timestamps(b"no"), Ok(TimestampMode::None));
        assert_eq!(parse_timestamps(b"datems"), Ok(TimestampMode::DateMs));
        assert_eq!(parse_timestamps(b"boot"), Ok(TimestampMode::Boot));
        assert_eq!(parse_timestamps(b"raw"), Ok(TimestampMode::Raw));
        assert_eq!(parse_timestamps(b"none"), Ok(TimestampMode::None));
        assert_eq!(parse_timestamps(b"dates"), Err(Rejected));
    }
}
