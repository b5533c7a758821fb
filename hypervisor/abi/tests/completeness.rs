//! Which names in Xen's C headers have no Rust twin yet: for each header in the crate's scope
//! (issue 5), every struct tag the header defines and every object-like upper-case `#define`,
//! looked up among the layout table's C types and constants (both arches). Prints a per-header count and
//! the missing names; fails only for headers listed in [`COMPLETE`], so a name added to such a
//! header (or an item dropped from the crate) is caught.
//!
//! Headers: Debian's Xen 4.17 in /usr/include/xen, or `FERRITE_XEN_INCLUDE=<dir with xen/>`.

use ferrite_abi::layout::{Arch, layout_table};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The headers issue 5 puts in scope, relative to `xen/`.
const SCOPE: &[&str] = &[
    "xen.h",
    "errno.h",
    "event_channel.h",
    "grant_table.h",
    "sched.h",
    "memory.h",
    "vcpu.h",
    "version.h",
    "features.h",
    "physdev.h",
    "callback.h",
    "platform.h",
    "nmi.h",
    "hypfs.h",
    "argo.h",
    "kexec.h",
    "hvm/hvm_op.h",
    "hvm/params.h",
    "arch-x86/hvm/start_info.h",
    "hvm/e820.h",
    "hvm/hvm_vcpu.h",
    "hvm/ioreq.h",
    "hvm/dm_op.h",
    "hvm/hvm_info_table.h",
    "io/ring.h",
    "io/console.h",
    "io/xs_wire.h",
    "io/blkif.h",
    "io/netif.h",
    "io/xenbus.h",
    "elfnote.h",
    "arch-x86/xen.h",
    "arch-x86/xen-x86_64.h",
    "arch-x86/cpuid.h",
    "arch-arm.h",
    "domctl.h",
    "sysctl.h",
    "xsm/flask_op.h",
];

/// Headers declared complete: every name found in them must have a Rust twin, except the
/// [`EXEMPT`] ones.
const COMPLETE: &[&str] = &[
    "errno.h",
    "sched.h",
    "vcpu.h",
    "version.h",
    "features.h",
    "callback.h",
    "platform.h",
    "hypfs.h",
    "kexec.h",
    "hvm/params.h",
    "hvm/hvm_vcpu.h",
    "hvm/hvm_info_table.h",
    "io/console.h",
    "elfnote.h",
    "arch-x86/cpuid.h",
    "domctl.h",
    "sysctl.h",
    "io/blkif.h",
    "io/netif.h",
    "hvm/hvm_op.h",
    "hvm/dm_op.h",
    "hvm/ioreq.h",
    "physdev.h",
    "arch-x86/xen.h",
    "arch-x86/xen-x86_64.h",
    "arch-arm.h",
    "memory.h",
    "xen.h",
    "event_channel.h",
    "grant_table.h",
    "nmi.h",
    "argo.h",
    "io/ring.h",
    "io/xs_wire.h",
    "xsm/flask_op.h",
    "arch-x86/hvm/start_info.h",
    "hvm/e820.h",
    "io/xenbus.h",
];

/// Names in complete headers that deliberately have no twin, with the reason.
const EXEMPT: &[(&str, &str)] = &[
    (
        "XEN_FLEX_ARRAY_DIM",
        "array-dimension syntax (empty in C99), not a value",
    ),
    (
        "GNTTABOP_error_msgs",
        "an initializer list of GNTST_* message strings, not ABI numbers",
    ),
    (
        "struct xsd_errors",
        "an (errno, host string pointer) pair; the table is io::xs_wire::XSD_ERRORS",
    ),
    ("XS_WRITE_NONE", "a C string; io::xs_wire::XS_WRITE_NONE"),
    (
        "XS_WRITE_CREATE",
        "a C string; io::xs_wire::XS_WRITE_CREATE",
    ),
    (
        "XS_WRITE_CREATE_EXCL",
        "a C string; io::xs_wire::XS_WRITE_CREATE_EXCL",
    ),
    (
        "GUEST_RAM_BANK_BASES",
        "a C initializer list; arch_arm::GUEST_RAM_BANK_BASES holds its checked elements",
    ),
    (
        "GUEST_RAM_BANK_SIZES",
        "a C initializer list; arch_arm::GUEST_RAM_BANK_SIZES holds its checked elements",
    ),
    ("PRI_xen_pfn", "a printf format string, not a number"),
    ("PRIu_xen_pfn", "a printf format string, not a number"),
    ("PRI_xen_ulong", "a printf format string, not a number"),
    (
        "XEN_EMULATE_PREFIX",
        "assembler text; its bytes are arch_x86::xen::XEN_EMULATE_PREFIX",
    ),
    (
        "XEN_CPUID",
        "assembler text (XEN_EMULATE_PREFIX then cpuid)",
    ),
    ("XEN_HWP_DRIVER_NAME", "a string (\"hwp\"), not a number"),
    (
        "XEN_DOMCTL_soft_reset_cont",
        "Xen-internal continuation number, defined only for __XEN__",
    ),
    (
        "XENPF_settime",
        "an alias of settime32 or settime64 chosen by __XEN_INTERFACE_VERSION__",
    ),
    (
        "struct livepatch_expectation",
        "livepatch payload section, defined only for __XEN__",
    ),
    (
        "struct livepatch_func",
        "livepatch payload section, defined only for __XEN__",
    ),
    (
        "LIVEPATCH_OPAQUE_SIZE",
        "livepatch payload internals, defined only for __XEN__",
    ),
];

/// Strips `/* */` and `//` comments so commented-out definitions are not counted.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        match rest[i + 2..].find("*/") {
            Some(j) => {
                // Keep line structure so `#define` stays at a line start.
                out.extend(rest[i..i + 2 + j + 2].chars().filter(|c| *c == '\n'));
                rest = &rest[i + 2 + j + 2..];
            }
            None => rest = "",
        }
    }
    out.push_str(rest);
    out.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// (struct tags the header defines, object-like macros with an upper-case name) in one header.
fn names_in(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let text = strip_comments(text);
    let mut macros = BTreeSet::new();
    for line in text.lines() {
        let Some(d) = line.trim_start().strip_prefix('#') else {
            continue;
        };
        let Some(rest) = d.trim_start().strip_prefix("define") else {
            continue;
        };
        let rest = rest.trim_start();
        let name = ident(rest);
        let object_like = !rest[name.len()..].starts_with('(');
        let has_value = !rest[name.len()..].trim().is_empty();
        if name.starts_with(|c: char| c.is_ascii_uppercase())
            && object_like
            && has_value
            && !name.ends_with("_H__")
        {
            macros.insert(name.to_string());
        }
    }
    // `struct NAME {`, the body possibly on the next line.
    let mut structs = BTreeSet::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("struct ") {
        let word_start =
            i == 0 || !rest[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        let after = &rest[i + 7..];
        let name = ident(after);
        if word_start && !name.is_empty() && after[name.len()..].trim_start().starts_with('{') {
            structs.insert(name.to_string());
        }
        rest = &after[name.len()..];
    }
    (structs, macros)
}

#[test]
fn names_without_a_rust_twin() {
    let root = std::env::var_os("FERRITE_XEN_INCLUDE")
        .map_or_else(|| PathBuf::from("/usr/include"), PathBuf::from);
    if !root.join("xen/xen.h").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "completeness: no Xen headers; apt-get install -y libxen-dev"
        );
        eprintln!(
            "SKIPPED completeness: no Xen headers under {}",
            root.display()
        );
        return;
    }
    let mut have_structs = BTreeSet::new();
    let mut have_consts = BTreeSet::new();
    for arch in [Arch::X86_64, Arch::Aarch64] {
        for m in layout_table(arch) {
            for s in m.structs {
                let t = s.c_type.trim_start_matches("struct ");
                have_structs.insert(t.trim_end_matches("_t").to_string());
                have_structs.insert(t.to_string());
            }
            for c in m.consts.iter().flat_map(|g| g.iter()) {
                have_consts.insert(c.c_name.to_string());
            }
        }
    }
    let (mut total, mut missing_total, mut failures) = (0, 0, Vec::new());
    for h in SCOPE {
        let Ok(text) = std::fs::read_to_string(root.join("xen").join(h)) else {
            println!("completeness: {h}: not in these headers");
            continue;
        };
        let (structs, macros) = names_in(&text);
        let missing: Vec<String> = structs
            .iter()
            .filter(|s| !have_structs.contains(s.as_str()))
            .map(|s| format!("struct {s}"))
            .chain(
                macros
                    .iter()
                    .filter(|m| !have_consts.contains(m.as_str()))
                    .cloned(),
            )
            .filter(|n| !EXEMPT.iter().any(|(e, _)| e == n))
            .collect();
        total += structs.len() + macros.len();
        missing_total += missing.len();
        println!(
            "completeness: {h}: {} of {} names have no Rust twin{}",
            missing.len(),
            structs.len() + macros.len(),
            if missing.is_empty() {
                String::new()
            } else {
                format!(": {}", missing.join(", "))
            }
        );
        if COMPLETE.contains(h) && !missing.is_empty() {
            failures.push(format!("{h}: {}", missing.join(", ")));
        }
    }
    println!("completeness: {missing_total} of {total} names in scope have no Rust twin");
    assert!(
        failures.is_empty(),
        "headers declared complete miss names:\n{}",
        failures.join("\n")
    );
}
