//! Checks every struct size, alignment, field offset and constant in `ferrite_abi::layout`
//! against Xen's own C headers, for x86_64 (`gcc`) and arm64 (`aarch64-linux-gnu-gcc`).
//!
//! How: for each arch, generate one C file that includes the headers and defines a global
//! `unsigned long long` array whose initialisers are `sizeof`, `_Alignof`, `offsetof` and the
//! constants, one item per line. Compile it with `-S` and read the values back from the
//! assembly (`.quad` on x86_64, `.xword` on arm64), so the cross-compiled program never has to
//! run. An item the headers lack (a compile error on its line) is reported as a mismatch and the
//! file is compiled again without it, so one error cannot hide the others.
//!
//! Headers: Debian's `libxen-dev` (Xen 4.17) by default. Items the crate marks as newer than 4.17
//! are listed as "not checked" here and covered by `tests/newer_than_417.rs`. Set
//! `FERRITE_XEN_INCLUDE=<dir with xen/>` and `FERRITE_XEN_CHECK_NEWER=1` to check them against a
//! newer tree of public headers (e.g. Xen 4.20's `xen/include/public`, linked as `<dir>/xen`).

use ferrite_abi::layout::{Arch, layout_table};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const APT_HINT: &str = "apt-get install -y gcc gcc-aarch64-linux-gnu libxen-dev";

struct Item {
    what: String,
    c_expr: String,
    expected: u64,
}

struct Plan {
    items: Vec<Item>,
    headers: Vec<&'static str>,
    newer: Vec<String>,
}

/// Whether an item with this `since` tag is compiled for `arch`: a Xen release is checked only
/// when asked for newer headers; an arch tag only on that arch.
fn checkable(since: Option<&str>, arch: Arch, check_newer: bool) -> bool {
    match since {
        None => true,
        Some("x86_64 only") => arch == Arch::X86_64,
        Some("arm64 only") => arch == Arch::Aarch64,
        Some(v) if v.starts_with(|c: char| c.is_ascii_digit()) => check_newer,
        Some(_) => false,
    }
}

fn plan(arch: Arch, check_newer: bool) -> Plan {
    let mut items = Vec::new();
    let mut headers = vec!["xen.h"];
    let mut newer = Vec::new();
    for module in layout_table(arch) {
        if !headers.contains(&module.header) {
            headers.push(module.header);
        }
        for s in module.structs {
            if let Some(v) = s.since.filter(|_| !checkable(s.since, arch, check_newer)) {
                newer.push(format!("{} (struct{})", s.c_type, why(v)));
                continue;
            }
            let t = s.c_type;
            items.push(Item {
                what: format!("sizeof({t}) [{}]", s.rust_name),
                c_expr: format!("sizeof({t})"),
                expected: s.size as u64,
            });
            items.push(Item {
                what: format!("_Alignof({t})"),
                c_expr: format!("_Alignof({t})"),
                expected: s.align as u64,
            });
            for f in s
                .fields
                .iter()
                .filter(|f| !f.c_name.is_empty() && !f.c_name.starts_with('_'))
            {
                let name = f.c_name.trim_start_matches("r#");
                if let Some(v) = f.since.filter(|_| !checkable(f.since, arch, check_newer)) {
                    newer.push(format!("{t}.{name} (field{})", why(v)));
                    continue;
                }
                items.push(Item {
                    what: format!("offsetof({t}, {name})"),
                    c_expr: format!("offsetof({t}, {name})"),
                    expected: f.offset as u64,
                });
            }
        }
        for c in module.consts.iter().flat_map(|g| g.iter()) {
            if let Some(v) = c.since.filter(|_| !checkable(c.since, arch, check_newer)) {
                newer.push(format!("{} (constant{})", c.c_name, why(v)));
                continue;
            }
            items.push(Item {
                what: c.c_name.to_string(),
                c_expr: format!("(unsigned long long)({})", c.c_name),
                expected: c.value,
            });
        }
    }
    Plan {
        items,
        headers,
        newer,
    }
}

/// Why an item is left out: a Xen release newer than the headers, or another reason.
fn why(since: &str) -> String {
    if since.starts_with(|c: char| c.is_ascii_digit()) {
        format!(": newer than 4.17, Xen {since}")
    } else {
        format!(": {since}")
    }
}

const FIRST_ITEM_LINE: usize = 100;

fn c_source(headers: &[&str], items: &[&Item]) -> String {
    let mut src = String::from("#include <stdint.h>\n#include <stddef.h>\n");
    for h in headers {
        writeln!(src, "#include <xen/{h}>").unwrap();
    }
    // Pad so that item i sits on line FIRST_ITEM_LINE + i whatever the header count.
    let lines = src.lines().count();
    assert!(lines < FIRST_ITEM_LINE - 2, "too many headers");
    for _ in lines..FIRST_ITEM_LINE - 2 {
        src.push('\n');
    }
    src.push_str("const unsigned long long ferrite_layout_values[] = {\n");
    for item in items {
        writeln!(src, "    {},", item.c_expr).unwrap();
    }
    src.push_str("    0xfe11e7e\n};\n");
    src
}

/// Reads the array's initialisers back from gcc's assembly output.
fn values_from_asm(asm: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in asm.lines() {
        let line = line.trim();
        if line == "ferrite_layout_values:" {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(dir), Some(arg)) = (words.next(), words.next()) else {
            break;
        };
        let num = |s: &str| -> i128 {
            if let Some(h) = s.strip_prefix("0x") {
                i128::from_str_radix(h, 16).unwrap()
            } else {
                s.parse().unwrap()
            }
        };
        match dir {
            ".quad" | ".xword" | ".8byte" | ".dword" => out.push(num(arg) as u64),
            ".zero" | ".space" => out.extend(std::iter::repeat_n(0, (num(arg) / 8) as usize)),
            _ => break,
        }
    }
    out
}

struct Outcome {
    checked: usize,
    mismatches: Vec<String>,
}

fn run_arch(arch: Arch, compiler: &str, inc: &Path, work: &Path, check_newer: bool) -> Outcome {
    let plan = plan(arch, check_newer);
    let mut live: Vec<&Item> = plan.items.iter().collect();
    let mut mismatches = Vec::new();
    let c_path = work.join(format!("layout-{arch:?}.c"));
    let s_path = work.join(format!("layout-{arch:?}.s"));
    for _round in 0..20 {
        std::fs::write(&c_path, c_source(&plan.headers, &live)).unwrap();
        let out = Command::new(compiler)
            .args([
                "-S",
                "-O0",
                "-std=gnu11",
                "-D__XEN_TOOLS__",
                "-fmax-errors=0",
                "-w",
            ])
            .arg("-I")
            .arg(inc)
            .arg("-o")
            .arg(&s_path)
            .arg(&c_path)
            .output()
            .unwrap_or_else(|e| panic!("running {compiler}: {e}"));
        if out.status.success() {
            let values = values_from_asm(&std::fs::read_to_string(&s_path).unwrap());
            assert_eq!(
                values.len(),
                live.len() + 1,
                "could not read the values back"
            );
            for (item, got) in live.iter().zip(values) {
                if item.expected != got {
                    mismatches.push(format!(
                        "{arch:?}: {}: Rust {} (0x{:x}), C {} (0x{:x})",
                        item.what, item.expected, item.expected, got, got
                    ));
                }
            }
            println!(
                "{arch:?}: {} items checked against C, {} mismatches",
                plan.items.len(),
                mismatches.len()
            );
            for n in &plan.newer {
                println!("{arch:?}: not checked: {n}");
            }
            return Outcome {
                checked: plan.items.len(),
                mismatches,
            };
        }
        // Map each error to the item on its line; drop those items and compile again.
        let stderr = String::from_utf8_lossy(&out.stderr);
        let file = c_path.to_string_lossy().to_string();
        let mut bad = BTreeSet::new();
        for line in stderr.lines() {
            let Some(rest) = line.strip_prefix(&format!("{file}:")) else {
                continue;
            };
            let mut parts = rest.splitn(3, ':');
            let (Some(l), Some(_col), Some(msg)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if !msg.contains("error") {
                continue;
            }
            let Ok(l) = l.parse::<usize>() else { continue };
            if let Some(idx) = l.checked_sub(FIRST_ITEM_LINE).filter(|i| *i < live.len())
                && bad.insert(idx)
            {
                mismatches.push(format!(
                    "{arch:?}: {}: not in the C headers ({})",
                    live[idx].what,
                    msg.trim()
                ));
            }
        }
        assert!(
            !bad.is_empty(),
            "{compiler} failed outside the generated items:\n{stderr}"
        );
        live = live
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !bad.contains(i))
            .map(|(_, it)| it)
            .collect();
    }
    panic!("{arch:?}: gave up after 20 compile rounds");
}

fn have(cmd: &str) -> bool {
    Command::new(cmd)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn layouts_match_xen_c_headers() {
    let include_root = std::env::var_os("FERRITE_XEN_INCLUDE")
        .map_or_else(|| PathBuf::from("/usr/include"), PathBuf::from);
    let check_newer = std::env::var_os("FERRITE_XEN_CHECK_NEWER").is_some();
    let mut missing = Vec::new();
    for cmd in ["gcc", "aarch64-linux-gnu-gcc"] {
        if !have(cmd) {
            missing.push(cmd.to_string());
        }
    }
    if !include_root.join("xen/xen.h").exists() {
        missing.push(format!("{}/xen/xen.h", include_root.display()));
    }
    if !missing.is_empty() {
        let msg = format!(
            "c_layout: missing {}; install with `{APT_HINT}`",
            missing.join(", ")
        );
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        eprintln!("SKIPPED {msg}");
        return;
    }
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("c_layout");
    std::fs::create_dir_all(&work).unwrap();
    // The cross compiler must not see the host's /usr/include, only the Xen headers.
    let inc = work.join("inc");
    std::fs::create_dir_all(&inc).unwrap();
    let link = inc.join("xen");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(include_root.join("xen"), &link).unwrap();

    let mut total = 0;
    let mut all_mismatches = Vec::new();
    for (arch, cc) in [
        (Arch::X86_64, "gcc"),
        (Arch::Aarch64, "aarch64-linux-gnu-gcc"),
    ] {
        let out = run_arch(arch, cc, &inc, &work, check_newer);
        total += out.checked;
        all_mismatches.extend(out.mismatches);
    }
    for m in &all_mismatches {
        println!("MISMATCH {m}");
    }
    println!(
        "c_layout: {total} items checked on 2 arches, {} mismatches",
        all_mismatches.len()
    );
    assert!(
        all_mismatches.is_empty(),
        "{} layout mismatches (see above)",
        all_mismatches.len()
    );
}
