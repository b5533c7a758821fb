//! The registry against the Xen 4.20 doc list, and the README table.

use super::run;
use crate::diagnostic::Diagnostic;
use crate::registry::{Known, OPTIONS, lookup};
use crate::unsupported::known_unsupported;
use crate::write_supported_options_markdown;
use crate::xen_options::{DOCUMENTED, INDEXED};

#[test]
fn the_doc_list_has_213_distinct_names() {
    assert_eq!(DOCUMENTED.len(), 213);
    for (index, name) in DOCUMENTED.iter().enumerate() {
        assert!(!DOCUMENTED[..index].contains(name), "{name} twice");
        assert!(!name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b'='));
    }
    for name in INDEXED {
        assert!(DOCUMENTED.contains(name), "{name}");
    }
}

#[test]
fn every_supported_option_is_documented_and_described() {
    assert_eq!(OPTIONS.len(), 30);
    let mut last_position = None;
    for spec in OPTIONS {
        assert!(
            !spec.description.trim().is_empty(),
            "{}: description",
            spec.name
        );
        assert!(!spec.default.trim().is_empty(), "{}: default", spec.name);
        assert!(!spec.expected.trim().is_empty(), "{}: expected", spec.name);
        assert!(!spec.description.contains('\n') && !spec.default.contains('\n'));
        let position = DOCUMENTED.iter().position(|name| *name == spec.name);
        assert!(
            position.is_some(),
            "{} is not in the Xen 4.20 doc",
            spec.name
        );
        assert!(
            position > last_position,
            "{} is out of the doc's order",
            spec.name
        );
        last_position = position;
    }
}

#[test]
fn every_known_unsupported_name_is_documented_once() {
    let unsupported: Vec<&str> = known_unsupported().collect();
    assert_eq!(unsupported.len(), 183);
    for (index, name) in unsupported.iter().enumerate() {
        assert!(
            DOCUMENTED.contains(name),
            "{name} is not in the Xen 4.20 doc"
        );
        assert!(!unsupported[..index].contains(name), "{name} twice");
        assert!(
            OPTIONS.iter().all(|spec| spec.name != *name),
            "{name} is also supported"
        );
    }
}

#[test]
fn every_documented_name_is_either_supported_or_known_unsupported() {
    for name in DOCUMENTED {
        let known = lookup(name.as_bytes());
        assert!(known.is_some(), "{name} is not recognised");
    }
    assert_eq!(
        OPTIONS.len() + known_unsupported().count(),
        DOCUMENTED.len()
    );
}

#[test]
fn each_known_unsupported_option_yields_one_diagnostic_in_any_form() {
    for name in known_unsupported() {
        for line in [name.to_string(), format!("{name}=1"), format!("{name}=")] {
            let (_, seen) = run(line.as_bytes());
            assert_eq!(seen, [Diagnostic::KnownUnsupported { name }], "{line}");
        }
        if !name.starts_with("no-") {
            let line = format!("no-{name}");
            let (_, seen) = run(line.as_bytes());
            assert_eq!(seen, [Diagnostic::KnownUnsupported { name }], "{line}");
        }
    }
}

#[test]
fn every_supported_option_survives_every_argument_shape() {
    for spec in OPTIONS {
        assert!(
            matches!(lookup(spec.name.as_bytes()), Some(Known::Supported(s)) if s.name == spec.name)
        );
        for line in [
            spec.name.to_string(),
            format!("no-{}", spec.name),
            format!("{}=", spec.name),
            format!("{}=,", spec.name),
            format!("{}==", spec.name),
            format!("{}=\u{7f}", spec.name),
            format!("no-{}=x", spec.name),
            format!("{}=18446744073709551616", spec.name),
        ] {
            let (_, seen) = run(line.as_bytes());
            for d in &seen {
                let name_matches = match *d {
                    Diagnostic::Malformed { option, .. }
                    | Diagnostic::UnsupportedValue { option, .. } => option == spec.name,
                    _ => false,
                };
                assert!(name_matches, "{line}: {d:?}");
            }
        }
    }
}

#[test]
fn markdown_table_lists_every_supported_option() {
    let mut table = String::new();
    write_supported_options_markdown(&mut table).unwrap();
    let lines: Vec<_> = table.lines().collect();
    assert_eq!(lines.len(), OPTIONS.len() + 2);
    assert_eq!(lines[0], "| Option | Type | Arch | Default | Description |");
    for (line, spec) in lines[2..].iter().zip(OPTIONS) {
        assert!(line.starts_with(&format!("| `{}` |", spec.name)), "{line}");
        let unescaped_pipes = line.replace("\\|", "").matches('|').count();
        assert_eq!(unescaped_pipes, 6, "{line}");
    }
    assert!(table.contains("| `dom0_mem` | list | all | all but min(1/16, 128M) |"));
}

#[test]
fn registry_defaults_agree_with_config_default() {
    // Giving an option its documented default must change nothing. Three are special:
    // smt's default is "let Xen decide" (None), a watchdog_timeout also switches the
    // watchdog on, and dtuart's default is written `""`.
    let special = ["smt", "watchdog_timeout", "dtuart"];
    let mut checked = 0;
    for spec in OPTIONS {
        let line = format!("{}={}", spec.name, spec.default);
        let (parsed, seen) = run(line.as_bytes());
        if !seen.is_empty() || special.contains(&spec.name) {
            continue; // the default is prose, such as "all CPUs"
        }
        assert_eq!(parsed.config, crate::Config::default(), "{line}");
        assert_eq!(parsed.dtuart, "");
        checked += 1;
    }
    assert_eq!(checked, 19, "defaults that are values");
}
