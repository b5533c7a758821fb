//! The grammar shared by every option: tokens, booleans, `no-`, `=`, repeats, `--`.

use super::{clean, messages, run};
use crate::Config;
use crate::console::{LogLevel, LogThresholds};
use crate::diagnostic::Diagnostic;
use crate::registry::BOOL_EXPECTED;

#[test]
fn empty_and_blank_lines_give_the_defaults() {
    for line in [&b""[..], b" ", b" \t\r\n  "] {
        let parsed = clean(line);
        assert_eq!(parsed.config, Config::default());
        assert_eq!(parsed.dom0_cmdline, None);
        assert_eq!(parsed.dtuart, "");
    }
}

#[test]
fn boolean_forms() {
    assert!(clean(b"sync_console").config.sync_console);
    assert!(!clean(b"sync_console no-sync_console").config.sync_console);
    for yes in ["yes", "on", "true", "enable", "1"] {
        let line = format!("sync_console={yes}");
        assert!(clean(line.as_bytes()).config.sync_console, "{line}");
        let line = format!("x2apic=off x2apic={yes}");
        assert!(clean(line.as_bytes()).config.x2apic, "{line}");
    }
    for no in ["no", "off", "false", "disable", "0"] {
        let line = format!("sync_console sync_console={no}");
        assert!(!clean(line.as_bytes()).config.sync_console, "{line}");
    }
}

#[test]
fn boolean_errors_keep_the_previous_value() {
    let (parsed, seen) = run(b"sync_console sync_console=bogus");
    assert!(parsed.config.sync_console);
    assert_eq!(
        seen,
        [Diagnostic::Malformed {
            option: "sync_console",
            value: b"bogus",
            expected: BOOL_EXPECTED
        }]
    );
    assert_eq!(
        messages(b"sync_console="),
        [
            "option 'sync_console': missing value (expected a boolean: yes/no, on/off, \
          true/false, enable/disable, 1/0)"
        ]
    );
    assert_eq!(
        messages(b"no-sync_console=1"),
        [
            "option 'sync_console': malformed value 'no-sync_console=1' (expected no value \
          after the 'no-' prefix)"
        ]
    );
    assert_eq!(
        messages(b"sync_console=YES").len(),
        1,
        "values are case-sensitive"
    );
}

#[test]
fn repeated_options_last_one_wins() {
    let parsed = clean(b"loglvl=debug loglvl=error maxcpus=4 maxcpus=2 sched=null sched=rtds");
    assert_eq!(parsed.config.loglvl.always, LogLevel::Error);
    assert_eq!(parsed.config.maxcpus, Some(2));
    assert_eq!(parsed.config.sched, crate::sched::Scheduler::Rtds);
    let (parsed, seen) = run(b"loglvl=debug loglvl=bogus");
    assert_eq!(
        parsed.config.loglvl.always,
        LogLevel::Debug,
        "a bad repeat changes nothing"
    );
    assert_eq!(seen.len(), 1);
}

#[test]
fn unknown_names() {
    assert_eq!(
        run(b"foo").1,
        [Diagnostic::Unknown {
            name: b"foo",
            suggestion: None
        }]
    );
    assert_eq!(
        messages(b"sync-console dom0-mem=1G no-sync-console"),
        [
            "unknown option 'sync-console' (did you mean 'sync_console'?)",
            "unknown option 'dom0-mem' (did you mean 'dom0_mem'?)",
            "unknown option 'no-sync-console' (did you mean 'sync_console'?)",
        ]
    );
    assert_eq!(
        messages(b"async_show_all"),
        ["unknown option 'async_show_all' (did you mean 'async-show-all'?)"]
    );
    assert_eq!(messages(b"no-foo=1"), ["unknown option 'no-foo'"]);
    assert_eq!(messages(b"no-"), ["unknown option 'no-'"]);
    assert_eq!(
        messages(b"Loglvl=info"),
        ["unknown option 'Loglvl'"],
        "names are case-sensitive"
    );
    assert_eq!(messages(b"--x"), ["unknown option '--x'"]);
}

#[test]
fn tokens_without_a_name() {
    assert_eq!(run(b"=x").1, [Diagnostic::MissingName { token: b"=x" }]);
    assert_eq!(
        messages(b"= =="),
        [
            "option without a name in '='",
            "option without a name in '=='"
        ]
    );
}

#[test]
fn non_utf8_tokens_are_reported_and_skipped() {
    let (parsed, seen) = run(b"sync_console loglvl=\xff\xfe dtuart=/\xc3 noreboot");
    assert!(parsed.config.sync_console && parsed.config.noreboot);
    assert_eq!(parsed.config.loglvl, LogThresholds::XEN_DEFAULT);
    assert_eq!(parsed.dtuart, "");
    assert_eq!(
        seen,
        [
            Diagnostic::NotUtf8 {
                token: b"loglvl=\xff\xfe"
            },
            Diagnostic::NotUtf8 {
                token: b"dtuart=/\xc3"
            },
        ]
    );
    assert_eq!(
        seen[0].to_string(),
        "option 'loglvl=\\xff\\xfe' is not valid UTF-8"
    );
    assert!(
        clean("dtuart=/soc/séria".as_bytes())
            .dtuart
            .ends_with("séria")
    );
}

#[test]
fn known_unsupported_options_give_one_diagnostic_each() {
    let line = b"hpetbroadcast hpet=broadcast no-hpet no-real-mode mtrr.show=1 \
                 ivrs_hpet[0]=0:14.0 ivrs_ioapic[4]=00:14.0 spec-ctrl=no async-show-all";
    let names: Vec<_> = run(line)
        .1
        .into_iter()
        .map(|d| match d {
            Diagnostic::KnownUnsupported { name } => name,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        [
            "hpetbroadcast",
            "hpet",
            "hpet",
            "no-real-mode",
            "mtrr.show",
            "ivrs_hpet",
            "ivrs_ioapic",
            "spec-ctrl",
            "async-show-all"
        ]
    );
    assert_eq!(
        messages(b"hpetbroadcast"),
        ["option 'hpetbroadcast' is known but not supported yet"]
    );
    assert_eq!(
        messages(b"console[0]=vga"),
        ["unknown option 'console[0]'"],
        "only indexed options take [..]"
    );
}

#[test]
fn dom0_command_line_after_the_separator() {
    let line = b"loglvl=all -- root=/dev/xvda1 console=hvc0 -- noreboot";
    let parsed = clean(line);
    assert_eq!(parsed.config.loglvl.always, LogLevel::Debug);
    assert!(!parsed.config.noreboot, "options after -- are dom0's");
    assert_eq!(
        parsed.dom0_cmdline,
        Some(&b"root=/dev/xvda1 console=hvc0 -- noreboot"[..])
    );
    assert_eq!(parsed.xen_cmdline, b"loglvl=all ");
    assert_eq!(clean(b"--").dom0_cmdline, Some(&b""[..]));
    assert_eq!(clean(b"--   \t").dom0_cmdline, Some(&b""[..]));
    assert_eq!(clean(b"-- quiet ").dom0_cmdline, Some(&b"quiet "[..]));
    assert_eq!(clean(b"noreboot").dom0_cmdline, None);
    let (parsed, seen) = run(b"a--b -- \xff");
    assert_eq!(
        parsed.dom0_cmdline,
        Some(&b"\xff"[..]),
        "dom0's bytes are passed through"
    );
    assert_eq!(seen.len(), 1, "only 'a--b' is reported");
}

#[test]
fn values_may_contain_equals_signs() {
    assert_eq!(
        messages(b"loglvl=info=x"),
        [
            "option 'loglvl': malformed value 'info=x' (expected one of none, error, warning, \
             info, debug, all[/<level>])"
        ]
    );
    assert!(
        clean(b"com1=115200,8n1,io-base=0x3f8")
            .config
            .com1
            .is_some()
    );
}

#[test]
fn integer_grammar_and_errors() {
    assert_eq!(clean(b"maxcpus=16").config.maxcpus, Some(16));
    assert_eq!(clean(b"maxcpus=0x10").config.maxcpus, Some(16));
    assert_eq!(clean(b"maxcpus=020").config.maxcpus, Some(16));
    assert_eq!(clean(b"maxcpus=4294967295").config.maxcpus, Some(u32::MAX));
    for bad in [
        "maxcpus=4294967296",
        "maxcpus=-1",
        "maxcpus=1k",
        "maxcpus=",
        "maxcpus",
        "maxcpus=08",
    ] {
        let (parsed, seen) = run(bad.as_bytes());
        assert_eq!(parsed.config.maxcpus, None, "{bad}");
        assert_eq!(seen.len(), 1, "{bad}");
    }
    assert_eq!(
        messages(b"no-maxcpus"),
        [
            "option 'maxcpus': malformed value 'no-maxcpus' (expected an unsigned 32-bit integer \
          (decimal, 0x hex or 0 octal))"
        ]
    );
    assert_eq!(
        messages(b"maxcpus").first().map(String::as_str),
        Some(
            "option 'maxcpus': missing value (expected an unsigned 32-bit integer (decimal, \
             0x hex or 0 octal))"
        )
    );
}

#[test]
fn size_grammar_and_errors() {
    assert_eq!(clean(b"conring_size=64k").config.conring_size, 64 << 10);
    assert_eq!(clean(b"conring_size=1M").config.conring_size, 1 << 20);
    assert_eq!(
        clean(b"conring_size=16").config.conring_size,
        16 << 10,
        "no suffix is KiB"
    );
    assert_eq!(clean(b"conring_size=4096b").config.conring_size, 4096);
    assert_eq!(clean(b"conring_size=3G").config.conring_size, 3 << 30);
    for bad in [
        "conring_size=4G",
        "conring_size=1T",
        "conring_size=1X",
        "conring_size=",
        "conring_size=-1k",
    ] {
        let (parsed, seen) = run(bad.as_bytes());
        assert_eq!(parsed.config.conring_size, 16 << 10, "{bad}");
        assert_eq!(seen.len(), 1, "{bad}");
    }
}
