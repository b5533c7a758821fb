//! The one registry of options Ferrite implements. It drives parsing and the README
//! table, so the two cannot drift.
//!
//! Plays the role of Xen's `__setup_start`..`__setup_end` table of `struct
//! kernel_param` (`xen/include/xen/param.h`), with the doc text of
//! `docs/misc/xen-command-line.pandoc` kept next to each entry.

use crate::console::{
    CONSOLE_EXPECTED, LOGLVL_EXPECTED, TIMESTAMPS_EXPECTED, parse_console, parse_loglvl,
    parse_timestamps,
};
use crate::dom0::{
    DOM0_EXPECTED, DOM0_MAX_VCPUS_EXPECTED, DOM0_MEM_EXPECTED, parse_dom0, parse_dom0_max_vcpus,
    parse_dom0_mem,
};
use crate::iommu::{IOMMU_EXPECTED, parse_iommu};
use crate::parse::Parsed;
use crate::report::{Arg, Rejected, Report};
use crate::sched::{RUNQUEUE_EXPECTED, SCHED_EXPECTED, Scheduler, parse_runqueue, parse_scheduler};
use crate::serial::{COM_EXPECTED, ComConfig, parse_com};
use crate::shutdown::{REBOOT_EXPECTED, parse_reboot};
use crate::unsupported::known_unsupported;
use crate::values::{parse_bool, parse_size, parse_u32};
use crate::xen_options::INDEXED;

/// The doc's parameter types ("Types of parameter").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// `<boolean>`: `opt`, `no-opt`, `opt=<bool>`.
    Boolean,
    /// `<integer>`.
    Integer,
    /// `<size>`.
    Size,
    /// A string with its own grammar.
    String,
    /// A comma-separated list.
    List,
    /// A mix, most often a boolean or a string.
    Combination,
}

impl OptionKind {
    /// The doc's name for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Boolean => "boolean",
            Self::Integer => "integer",
            Self::Size => "size",
            Self::String => "string",
            Self::List => "list",
            Self::Combination => "combination",
        }
    }
}

/// Where an option applies, as tagged in the doc's headings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    /// Every architecture.
    Any,
    /// x86 only.
    X86,
    /// Arm only.
    Arm,
}

impl Arch {
    /// A short label for tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Any => "all",
            Self::X86 => "x86",
            Self::Arm => "Arm",
        }
    }
}

/// Applies one option's argument to the parse result.
pub(crate) type Apply =
    for<'a, 'r, 'd> fn(&mut Parsed<'a>, Arg<'a>, &'r mut Report<'a, 'd>) -> Result<(), Rejected>;

/// One option Ferrite implements.
#[derive(Debug)]
pub struct OptionSpec {
    /// The name, exactly as Xen spells it.
    pub name: &'static str,
    /// Its doc type.
    pub kind: OptionKind,
    /// Where it applies.
    pub arch: Arch,
    /// The default, as the doc writes it.
    pub default: &'static str,
    /// The accepted syntax, used in `Malformed` diagnostics.
    pub expected: &'static str,
    /// One line saying what it does.
    pub description: &'static str,
    /// The parser.
    pub(crate) apply: Apply,
}

/// The `expected` text of every boolean option.
pub const BOOL_EXPECTED: &str = "a boolean: yes/no, on/off, true/false, enable/disable, 1/0";
const INTEGER_EXPECTED: &str = "an unsigned 32-bit integer (decimal, 0x hex or 0 octal)";

fn flag(arg: Arg<'_>) -> Result<bool, Rejected> {
    match arg {
        Arg::Bare => Ok(true),
        Arg::Negated => Ok(false),
        Arg::Value(value) => parse_bool(value).ok_or(Rejected),
    }
}

fn value(arg: Arg<'_>) -> Result<&[u8], Rejected> {
    match arg {
        Arg::Value(value) => Ok(value),
        Arg::Bare | Arg::Negated => Err(Rejected),
    }
}

fn integer(arg: Arg<'_>) -> Result<u32, Rejected> {
    parse_u32(value(arg)?).ok_or(Rejected)
}

/// Registers a boolean option that sets `config.$field`.
macro_rules! boolean {
    ($name:literal, $field:ident, $arch:ident, $default:literal, $description:literal) => {
        OptionSpec {
            name: $name,
            kind: OptionKind::Boolean,
            arch: Arch::$arch,
            default: $default,
            expected: BOOL_EXPECTED,
            description: $description,
            apply: |parsed, arg, _| {
                parsed.config.$field = flag(arg)?;
                Ok(())
            },
        }
    };
}

/// Registers an unsigned integer option that sets `config.$field`.
macro_rules! integer {
    ($name:literal, $field:ident, $arch:ident, $default:literal, $description:literal) => {
        OptionSpec {
            name: $name,
            kind: OptionKind::Integer,
            arch: Arch::$arch,
            default: $default,
            expected: INTEGER_EXPECTED,
            description: $description,
            apply: |parsed, arg, _| {
                parsed.config.$field = integer(arg)?;
                Ok(())
            },
        }
    };
}

/// Every option Ferrite implements, in the doc's order.
pub static OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        name: "com1",
        kind: OptionKind::Combination,
        arch: Arch::X86,
        default: "(firmware/driver defaults)",
        expected: COM_EXPECTED,
        description: "First 16550 UART: baud, clock, DPS, I/O base, IRQ, PCI location.",
        apply: |parsed, arg, report| com(&mut parsed.config.com1, arg, report),
    },
    OptionSpec {
        name: "com2",
        kind: OptionKind::Combination,
        arch: Arch::X86,
        default: "(firmware/driver defaults)",
        expected: COM_EXPECTED,
        description: "Second 16550 UART, same syntax as com1.",
        apply: |parsed, arg, report| com(&mut parsed.config.com2, arg, report),
    },
    OptionSpec {
        name: "conring_size",
        kind: OptionKind::Size,
        arch: Arch::Any,
        default: "16k",
        expected: "a size that fits in 32 bits, e.g. 64k or 1M (no suffix: KiB)",
        description: "Size of the console ring buffer.",
        apply: |parsed, arg, _| {
            let bytes = parse_size(value(arg)?).ok_or(Rejected)?;
            parsed.config.conring_size = u32::try_from(bytes).map_err(|_| Rejected)?;
            Ok(())
        },
    },
    OptionSpec {
        name: "console",
        kind: OptionKind::List,
        arch: Arch::Any,
        default: "com1,vga (x86); dtuart (Arm)",
        expected: CONSOLE_EXPECTED,
        description: "Devices Xen's console writes to; pv, dbgp, ehci, xhci not supported yet.",
        apply: |parsed, arg, report| {
            if let Some(list) = parse_console(value(arg)?, report) {
                parsed.config.console = list;
            }
            Ok(())
        },
    },
    OptionSpec {
        name: "console_timestamps",
        kind: OptionKind::Combination,
        arch: Arch::Any,
        default: "none",
        expected: TIMESTAMPS_EXPECTED,
        description: "Timestamp on each console line; bare option means date.",
        apply: |parsed, arg, _| {
            parsed.config.console_timestamps = parse_timestamps(arg.as_custom_text())?;
            Ok(())
        },
    },
    boolean!(
        "console_to_ring",
        console_to_ring,
        Any,
        "false",
        "Copy guest console output into the console ring."
    ),
    integer!(
        "credit2_load_precision_shift",
        credit2_load_precision_shift,
        Any,
        "18",
        "Fixed-point bits of credit2's load averages."
    ),
    integer!(
        "credit2_load_window_shift",
        credit2_load_window_shift,
        Any,
        "30",
        "Log2 of credit2's load-average window, in nanoseconds."
    ),
    OptionSpec {
        name: "credit2_runqueue",
        kind: OptionKind::String,
        arch: Arch::Any,
        default: "socket",
        expected: RUNQUEUE_EXPECTED,
        description: "Which CPUs share a credit2 runqueue.",
        apply: |parsed, arg, _| {
            parsed.config.credit2_runqueue = parse_runqueue(value(arg)?).ok_or(Rejected)?;
            Ok(())
        },
    },
    OptionSpec {
        name: "dom0",
        kind: OptionKind::List,
        arch: Arch::Any,
        default: "pv, cpuid-faulting",
        expected: DOM0_EXPECTED,
        description: "How dom0 is built: pv|pvh, shadow, verbose, cpuid-faulting, msr-relaxed, \
                      pf-fixup; sve= on Arm64.",
        apply: |parsed, arg, report| {
            parse_dom0(&mut parsed.config.dom0, value(arg)?, report);
            Ok(())
        },
    },
    OptionSpec {
        name: "dom0_max_vcpus",
        kind: OptionKind::String,
        arch: Arch::Any,
        default: "number of host CPUs",
        expected: DOM0_MAX_VCPUS_EXPECTED,
        description: "dom0's vCPU count, or bounds on it.",
        apply: |parsed, arg, _| {
            let range = parsed.config.dom0_max_vcpus;
            parsed.config.dom0_max_vcpus = parse_dom0_max_vcpus(range, value(arg)?)?;
            Ok(())
        },
    },
    OptionSpec {
        name: "dom0_mem",
        kind: OptionKind::List,
        arch: Arch::Any,
        default: "all but min(1/16, 128M)",
        expected: DOM0_MEM_EXPECTED,
        description: "dom0's memory: [min:|max:]<size>; negative means all but that, \
                      <frac>% a share of host RAM.",
        apply: |parsed, arg, report| {
            parse_dom0_mem(&mut parsed.config.dom0_mem, value(arg)?, report);
            Ok(())
        },
    },
    boolean!(
        "dom0_vcpus_pin",
        dom0_vcpus_pin,
        Any,
        "false",
        "Pin each dom0 vCPU to the host CPU of the same number."
    ),
    OptionSpec {
        name: "dtuart",
        kind: OptionKind::String,
        arch: Arch::Arm,
        default: "\"\"",
        expected: "a device-tree path or alias, optionally :<options>",
        description: "Device-tree path (or alias) of the console UART.",
        apply: |parsed, arg, _| {
            let path = match arg {
                Arg::Bare => b"",
                Arg::Value(path) => path,
                Arg::Negated => return Err(Rejected),
            };
            parsed.dtuart = core::str::from_utf8(path).map_err(|_| Rejected)?;
            Ok(())
        },
    },
    OptionSpec {
        name: "guest_loglvl",
        kind: OptionKind::String,
        arch: Arch::Any,
        default: "none/warning",
        expected: LOGLVL_EXPECTED,
        description: "Log levels printed (and rate-limited) for guest-triggered messages.",
        apply: |parsed, arg, _| {
            parsed.config.guest_loglvl = parse_loglvl(value(arg)?)?;
            Ok(())
        },
    },
    OptionSpec {
        name: "iommu",
        kind: OptionKind::List,
        arch: Arch::Any,
        default: "true",
        expected: IOMMU_EXPECTED,
        description: "Use IOMMUs, and their sub-features (all boolean).",
        apply: |parsed, arg, report| {
            parse_iommu(&mut parsed.config.iommu, arg.as_custom_text(), report);
            Ok(())
        },
    },
    OptionSpec {
        name: "loglvl",
        kind: OptionKind::String,
        arch: Arch::Any,
        default: "info",
        expected: LOGLVL_EXPECTED,
        description: "Log levels printed (and rate-limited) for Xen's own messages.",
        apply: |parsed, arg, _| {
            parsed.config.loglvl = parse_loglvl(value(arg)?)?;
            Ok(())
        },
    },
    OptionSpec {
        name: "maxcpus",
        kind: OptionKind::Integer,
        arch: Arch::Any,
        default: "all CPUs",
        expected: INTEGER_EXPECTED,
        description: "Most CPUs to bring up.",
        apply: |parsed, arg, _| {
            parsed.config.maxcpus = Some(integer(arg)?);
            Ok(())
        },
    },
    boolean!(
        "noreboot",
        noreboot,
        Any,
        "false",
        "Don't reboot automatically after a crash."
    ),
    boolean!("nosmp", nosmp, X86, "false", "Boot only the boot CPU."),
    OptionSpec {
        name: "reboot",
        kind: OptionKind::List,
        arch: Arch::X86,
        default: "system dependent",
        expected: REBOOT_EXPECTED,
        description: "Reboot method (triple, kbd, acpi, pci, Power, efi, xen), warm/cold, or no.",
        apply: |parsed, arg, report| {
            let config = &mut parsed.config;
            let text = arg.as_custom_text();
            parse_reboot(&mut config.reboot, &mut config.noreboot, text, report);
            Ok(())
        },
    },
    OptionSpec {
        name: "sched",
        kind: OptionKind::String,
        arch: Arch::Any,
        default: "credit2",
        expected: SCHED_EXPECTED,
        description: "Scheduler; an unknown name falls back to credit2.",
        apply: |parsed, arg, _| {
            let chosen = value(arg).ok().and_then(parse_scheduler);
            parsed.config.sched = chosen.unwrap_or(Scheduler::Credit2);
            chosen.map(|_| ()).ok_or(Rejected)
        },
    },
    integer!(
        "sched_credit_tslice_ms",
        sched_credit_tslice_ms,
        Any,
        "30",
        "Credit1 time slice, in milliseconds."
    ),
    integer!(
        "sched_ratelimit_us",
        sched_ratelimit_us,
        Any,
        "1000",
        "Least time a vCPU runs before it can be preempted, in microseconds (0: off)."
    ),
    OptionSpec {
        name: "smt",
        kind: OptionKind::Boolean,
        arch: Arch::X86,
        default: "true",
        expected: BOOL_EXPECTED,
        description: "Bring up more than one hyper-thread per core.",
        apply: |parsed, arg, _| {
            parsed.config.smt = Some(flag(arg)?);
            Ok(())
        },
    },
    boolean!(
        "sync_console",
        sync_console,
        Any,
        "false",
        "Synchronous console output (debugging only)."
    ),
    integer!(
        "vcpu_migration_delay",
        vcpu_migration_delay,
        Any,
        "0",
        "Microseconds a credit1 vCPU counts as cache-hot after it ran (not stolen meanwhile)."
    ),
    OptionSpec {
        name: "watchdog",
        kind: OptionKind::Combination,
        arch: Arch::X86,
        default: "false",
        expected: "force or a boolean",
        description: "Run the NMI watchdog; force also handles unknown NMIs.",
        apply: |parsed, arg, _| {
            let config = &mut parsed.config;
            match arg.as_custom_text() {
                b"" => config.watchdog = true,
                b"force" => (config.watchdog, config.watchdog_force) = (true, true),
                text => config.watchdog = parse_bool(text).ok_or(Rejected)?,
            }
            Ok(())
        },
    },
    OptionSpec {
        name: "watchdog_timeout",
        kind: OptionKind::Integer,
        arch: Arch::X86,
        default: "5",
        expected: INTEGER_EXPECTED,
        description: "Seconds before the NMI watchdog panics; 0 turns the watchdog off.",
        apply: |parsed, arg, _| {
            let seconds = integer(arg)?;
            parsed.config.watchdog_timeout = seconds;
            parsed.config.watchdog = seconds != 0;
            Ok(())
        },
    },
    boolean!(
        "x2apic",
        x2apic,
        X86,
        "true",
        "Allow the x2APIC mode of the local APIC."
    ),
];

/// Parses `com1=`/`com2=` into `port`; a bad part is reported by name and leaves
/// `port` as it was.
fn com<'a>(
    port: &mut Option<ComConfig>,
    arg: Arg<'a>,
    report: &mut Report<'a, '_>,
) -> Result<(), Rejected> {
    match parse_com(value(arg)?) {
        Ok(config) => *port = Some(config),
        Err((part, expected)) => report.malformed(part, expected),
    }
    Ok(())
}

/// What an option name refers to.
#[derive(Clone, Copy, Debug)]
pub enum Known {
    /// An option Ferrite implements.
    Supported(&'static OptionSpec),
    /// An option Xen 4.20 documents that Ferrite ignores.
    Unsupported(&'static str),
}

/// Finds the option called exactly `name`.
pub fn lookup(name: &[u8]) -> Option<Known> {
    if let Some(spec) = OPTIONS.iter().find(|spec| spec.name.as_bytes() == name) {
        return Some(Known::Supported(spec));
    }
    known_unsupported()
        .find(|known| known.as_bytes() == name)
        .map(Known::Unsupported)
}

/// Finds an indexed option (`ivrs_hpet[0]`): Xen matches the name up to the first of
/// `([{<`.
pub fn lookup_indexed(key: &[u8]) -> Option<&'static str> {
    let bracket = key.iter().position(|b| b"([{<".contains(b))?;
    let stem = key.get(..bracket)?;
    INDEXED.iter().copied().find(|name| name.as_bytes() == stem)
}

/// A known option spelled like `name` except for `-` versus `_`.
pub fn suggest(name: &[u8]) -> Option<&'static str> {
    let same = |known: &str| {
        known.len() == name.len()
            && known
                .bytes()
                .zip(name)
                .all(|(k, &n)| k == n || (matches!(k, b'-' | b'_') && matches!(n, b'-' | b'_')))
    };
    OPTIONS
        .iter()
        .map(|spec| spec.name)
        .chain(known_unsupported())
        .find(|known| same(known))
}
