//! Each supported option through the whole parser: syntax, defaults and edge cases.

use super::{clean, messages, run};
use crate::console::{ConsoleList, LogLevel, LogThresholds, SerialMsb, TimestampMode};
use crate::diagnostic::Diagnostic;
use crate::dom0::{MemSize, VcpuRange};
use crate::iommu::Quarantine;
use crate::sched::{RunqueueArrangement, Scheduler};
use crate::serial::{Baud, IoBase, Irq};
use crate::shutdown::{RebootMethod, RebootMode};

#[test]
fn console() {
    let c = clean(b"console=com2L,vga").config.console;
    assert_eq!(
        c,
        ConsoleList {
            vga: true,
            com1: None,
            com2: Some(SerialMsb::Low),
            dtuart: false
        }
    );
    assert_eq!(
        clean(b"console=none").config.console,
        ConsoleList::default()
    );
    let c = clean(b"console=vga console=dtuart").config.console;
    assert_eq!(
        c,
        ConsoleList {
            dtuart: true,
            ..ConsoleList::default()
        },
        "last wins wholesale"
    );
    let (parsed, seen) = run(b"console=com1,xhci");
    assert_eq!(parsed.config.console.com1, Some(SerialMsb::Unchanged));
    assert_eq!(
        seen,
        [Diagnostic::UnsupportedValue {
            option: "console",
            value: b"xhci"
        }]
    );
    for bad in ["console", "console=", "no-console"] {
        let (parsed, seen) = run(bad.as_bytes());
        assert_eq!(parsed.config.console, ConsoleList::xen_default(), "{bad}");
        assert_eq!(seen.len(), 1, "{bad}");
    }
}

#[test]
fn com_ports() {
    let config = clean(b"com1=115200,8n1,0x3f8,4 com2=auto,,0x2f8,0").config;
    let com1 = config.com1.unwrap();
    assert_eq!(
        (com1.baud, com1.io_base, com1.irq),
        (
            Some(Baud::Rate(115_200)),
            Some(IoBase::Address(0x3f8)),
            Some(Irq::Line(4))
        )
    );
    let com2 = config.com2.unwrap();
    assert_eq!(
        (com2.baud, com2.io_base, com2.irq),
        (
            Some(Baud::Auto),
            Some(IoBase::Address(0x2f8)),
            Some(Irq::Poll)
        )
    );
    let (parsed, seen) = run(b"com1=9600 com1=115200,8z1");
    assert_eq!(
        parsed.config.com1.unwrap().baud,
        Some(Baud::Rate(9600)),
        "bad repeat keeps the old"
    );
    assert_eq!(seen.len(), 1, "one diagnostic, naming the part: {seen:?}");
    assert!(matches!(
        seen[0],
        Diagnostic::Malformed {
            option: "com1",
            value: b"8z1",
            ..
        }
    ));
    assert_eq!(messages(b"com2").len(), 1);
    assert_eq!(messages(b"com2=2400/").len(), 1);
}

#[test]
fn dtuart() {
    assert_eq!(clean(b"dtuart=serial0").dtuart, "serial0");
    assert_eq!(
        clean(b"dtuart=/soc/uart@9000000:115200n8").dtuart,
        "/soc/uart@9000000:115200n8"
    );
    assert_eq!(clean(b"dtuart=serial0 dtuart=").dtuart, "");
    assert_eq!(messages(b"no-dtuart").len(), 1);
}

#[test]
fn log_levels() {
    let config = clean(b"loglvl=all guest_loglvl=error/info").config;
    assert_eq!(
        config.loglvl,
        LogThresholds {
            always: LogLevel::Debug,
            rate_limited: LogLevel::Debug
        }
    );
    assert_eq!(
        config.guest_loglvl,
        LogThresholds {
            always: LogLevel::Error,
            rate_limited: LogLevel::Info
        }
    );
    let config = clean(b"").config;
    assert_eq!(
        config.loglvl,
        LogThresholds {
            always: LogLevel::Info,
            rate_limited: LogLevel::Info
        }
    );
    assert_eq!(
        config.guest_loglvl,
        LogThresholds {
            always: LogLevel::None,
            rate_limited: LogLevel::Warning
        }
    );
    assert_eq!(
        messages(b"loglvl=bogus"),
        [
            "option 'loglvl': malformed value 'bogus' (expected one of none, error, warning, \
             info, debug, all[/<level>])"
        ]
    );
    for bad in ["loglvl", "no-loglvl", "guest_loglvl=", "guest_loglvl=info/"] {
        assert_eq!(messages(bad.as_bytes()).len(), 1, "{bad}");
    }
}

#[test]
fn console_flags_and_timestamps() {
    let config = clean(b"sync_console console_to_ring console_timestamps").config;
    assert!(config.sync_console && config.console_to_ring);
    assert_eq!(config.console_timestamps, TimestampMode::Date);
    let t = |line: &[u8]| clean(line).config.console_timestamps;
    assert_eq!(t(b"console_timestamps=datems"), TimestampMode::DateMs);
    assert_eq!(t(b"console_timestamps=boot"), TimestampMode::Boot);
    assert_eq!(t(b"console_timestamps=raw"), TimestampMode::Raw);
    assert_eq!(t(b"console_timestamps=on"), TimestampMode::Date);
    assert_eq!(
        t(b"console_timestamps=raw console_timestamps=off"),
        TimestampMode::None
    );
    assert_eq!(
        t(b"console_timestamps=raw no-console_timestamps"),
        TimestampMode::None
    );
    assert_eq!(
        t(b"console_timestamps="),
        TimestampMode::Date,
        "Xen's handler sees \"\" either way"
    );
    assert_eq!(messages(b"console_timestamps=utc").len(), 1);
}

#[test]
fn reboot_and_noreboot() {
    let config = clean(b"reboot=a,w").config;
    assert_eq!(
        (config.reboot.method, config.reboot.mode),
        (Some(RebootMethod::Acpi), Some(RebootMode::Warm))
    );
    assert!(!config.noreboot);
    assert!(clean(b"reboot=no").config.noreboot);
    assert!(
        clean(b"no-reboot").config.noreboot,
        "Xen hands the handler \"no\""
    );
    assert!(clean(b"noreboot").config.noreboot);
    assert!(!clean(b"noreboot=0").config.noreboot);
    let (parsed, seen) = run(b"reboot=bios,Power,cold");
    assert_eq!(parsed.config.reboot.method, Some(RebootMethod::Power));
    assert_eq!(parsed.config.reboot.mode, Some(RebootMode::Cold));
    assert_eq!(seen.len(), 1);
    assert_eq!(messages(b"reboot").len(), 1);
    assert_eq!(messages(b"reboot=").len(), 1);
}

#[test]
fn cpus() {
    let config = clean(b"maxcpus=8 nosmp smt=0 x2apic=no").config;
    assert_eq!(config.maxcpus, Some(8));
    assert!(config.nosmp && !config.x2apic);
    assert_eq!(config.smt, Some(false));
    assert_eq!(clean(b"smt").config.smt, Some(true));
    assert_eq!(clean(b"").config.smt, None);
    assert!(clean(b"").config.x2apic);
}

#[test]
fn dom0_mem() {
    let mem = clean(b"dom0_mem=512M,max:1G").config.dom0_mem;
    let size = |bytes, percent, minus| {
        Some(MemSize {
            bytes,
            percent,
            minus,
        })
    };
    assert_eq!(mem.size, size(512 << 20, 0, false));
    assert_eq!(mem.max, size(1 << 30, 0, false));
    assert_eq!(mem.min, None);
    let mem = clean(b"dom0_mem=min:1G+25%,-512M dom0_mem=max:50%")
        .config
        .dom0_mem;
    assert_eq!(mem.min, size(1 << 30, 25, false));
    assert_eq!(mem.size, size(512 << 20, 0, true));
    assert_eq!(mem.max, size(0, 50, false));
    assert_eq!(
        clean(b"dom0_mem=262144").config.dom0_mem.size,
        size(256 << 20, 0, false),
        "KiB"
    );
    let (parsed, seen) = run(b"dom0_mem=1G,");
    assert_eq!(
        parsed.config.dom0_mem.size,
        size(1 << 30, 0, false),
        "good items still apply"
    );
    assert_eq!(seen.len(), 1);
    for bad in [
        "dom0_mem",
        "dom0_mem=",
        "dom0_mem=100%",
        "dom0_mem=,",
        "dom0_mem=mid:1G",
        "dom0_mem=99999999999999999999",
    ] {
        let (parsed, seen) = run(bad.as_bytes());
        assert_eq!(parsed.config.dom0_mem, Default::default(), "{bad}");
        assert_eq!(seen.len(), 1, "{bad}");
    }
}

#[test]
fn dom0_vcpus() {
    let config = clean(b"dom0_max_vcpus=2-4 dom0_vcpus_pin").config;
    assert_eq!(config.dom0_max_vcpus, VcpuRange { min: 2, max: 4 });
    assert!(config.dom0_vcpus_pin);
    assert_eq!(
        clean(b"dom0_max_vcpus=4").config.dom0_max_vcpus,
        VcpuRange { min: 4, max: 4 }
    );
    assert_eq!(
        clean(b"dom0_max_vcpus=-4").config.dom0_max_vcpus,
        VcpuRange { min: 1, max: 4 }
    );
    assert_eq!(
        clean(b"dom0_max_vcpus=2-").config.dom0_max_vcpus,
        VcpuRange {
            min: 2,
            max: u32::MAX
        }
    );
    assert_eq!(messages(b"dom0_max_vcpus=a-b").len(), 1);
    assert_eq!(messages(b"dom0_max_vcpus").len(), 1);
}

#[test]
fn dom0_construction() {
    let dom0 = clean(b"dom0=pvh,shadow,no-cpuid-faulting").config.dom0;
    assert!(dom0.pvh && dom0.shadow && !dom0.cpuid_faulting);
    let dom0 = clean(b"dom0=pvh dom0=verbose").config.dom0;
    assert!(
        dom0.pvh && dom0.verbose,
        "dom0= items accumulate, as in Xen"
    );
    assert_eq!(messages(b"dom0=hvm").len(), 1);
    assert_eq!(messages(b"no-dom0").len(), 1);
}

#[test]
fn schedulers() {
    let config =
        clean(b"sched=credit sched_credit_tslice_ms=10 sched_ratelimit_us=0 credit2_runqueue=all")
            .config;
    assert_eq!(config.sched, Scheduler::Credit);
    assert_eq!(
        (config.sched_credit_tslice_ms, config.sched_ratelimit_us),
        (10, 0)
    );
    assert_eq!(config.credit2_runqueue, RunqueueArrangement::All);
    let defaults = clean(b"").config;
    assert_eq!(
        (
            defaults.sched,
            defaults.sched_credit_tslice_ms,
            defaults.sched_ratelimit_us
        ),
        (Scheduler::Credit2, 30, 1000)
    );
    assert_eq!(defaults.credit2_runqueue, RunqueueArrangement::Socket);
    let (parsed, seen) = run(b"sched=rtds sched=bfs");
    assert_eq!(
        parsed.config.sched,
        Scheduler::Credit2,
        "an unknown scheduler falls back to credit2"
    );
    assert_eq!(
        seen.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "option 'sched': malformed value 'bfs' (expected one of credit, credit2, rtds, \
             arinc653, null)"
        ]
    );
    let (parsed, seen) = run(b"credit2_runqueue=core credit2_runqueue=die");
    assert_eq!(parsed.config.credit2_runqueue, RunqueueArrangement::Core);
    assert_eq!(seen.len(), 1);
    assert_eq!(messages(b"sched_ratelimit_us=-5").len(), 1);
}

#[test]
fn iommu() {
    assert!(!clean(b"iommu=0").config.iommu.enable);
    assert!(!clean(b"no-iommu").config.iommu.enable);
    let iommu = clean(b"iommu=force,verbose,quarantine=scratch-page")
        .config
        .iommu;
    assert!(iommu.enable && iommu.force && iommu.verbose);
    assert_eq!(iommu.quarantine, Quarantine::ScratchPage);
    let iommu = clean(b"iommu=no-intremap iommu=debug").config.iommu;
    assert!(
        !iommu.intremap && iommu.debug,
        "iommu= items accumulate, as in Xen"
    );
    assert_eq!(
        messages(b"iommu").len(),
        1,
        "as in Xen, a bare iommu is not a value"
    );
    assert_eq!(messages(b"iommu=on,frobnicate").len(), 1);
}

#[test]
fn watchdog() {
    let config = clean(b"watchdog").config;
    assert!(config.watchdog && !config.watchdog_force);
    let config = clean(b"watchdog=force").config;
    assert!(config.watchdog && config.watchdog_force);
    assert!(!clean(b"watchdog no-watchdog").config.watchdog);
    assert!(!clean(b"watchdog watchdog=off").config.watchdog);
    let config = clean(b"watchdog_timeout=10").config;
    assert!(
        config.watchdog,
        "a non-zero timeout turns the watchdog on, as in Xen"
    );
    assert_eq!(config.watchdog_timeout, 10);
    let config = clean(b"watchdog watchdog_timeout=0").config;
    assert!(!config.watchdog);
    assert_eq!(clean(b"").config.watchdog_timeout, 5);
    assert_eq!(messages(b"watchdog=forced").len(), 1);
    assert_eq!(messages(b"watchdog_timeout").len(), 1);
}
