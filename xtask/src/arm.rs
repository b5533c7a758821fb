//! aarch64 boots under QEMU `virt`, the way Xen on Arm is booted
//! (`docs/misc/arm/device-tree/booting.txt`): the kernel ELF becomes a flat arm64 `Image`, and
//! the DTB is QEMU's own (`-machine dumpdtb=`) with `/chosen` given `xen,xen-bootargs` and one
//! `multiboot,module` node per module, which QEMU loads with `-device loader`.
//!
//! For the malformed-DTB scenarios QEMU cannot be given the bad blob (it refuses to boot a
//! `-dtb` it cannot parse), so the blob is loaded as data and the test image's DTB-override
//! slot (`FERRITE-DTB-OVERRIDE`, honoured only by `test-hooks` builds) is patched to point at it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::deps;
use crate::qemu::Machine;

/// Where QEMU's `virt` RAM starts, and where boot modules and a bad DTB are placed in it
/// (below QEMU's own DTB at RAM + 128 MiB, above Ferrite's image).
const RAM_BASE: u64 = 0x4000_0000;
const MODULE_BASE: u64 = RAM_BASE + (64 << 20);
const BAD_DTB_ADDR: u64 = RAM_BASE + (48 << 20);

/// The malformed device trees a scenario can ask for (`dtb = "..."`).
pub const DTB_VARIANTS: &[&str] = &["bad-magic", "truncated", "no-memory", "no-gic", "bad-cells"];
/// Well-formed edits of QEMU's device tree a scenario can ask for (`dtb = "..."`), booted
/// through `-dtb` as usual: `ghost-cpu` lists, before the real CPUs, a CPU whose MPIDR
/// (0xf00) no CPU has, so that PSCI CPU_ON fails for it.
pub const DTB_EDITS: &[&str] = &["ghost-cpu"];
/// The ghost CPU's node (under QEMU's `/cpus`, one address cell).
const GHOST_CPU: &str = "\t\tcpu@f00 {\n\t\t\treg = <0xf00>;\n\t\t\tenable-method = \"psci\";\n\t\t\tcompatible = \"arm,cortex-a57\";\n\t\t\tdevice_type = \"cpu\";\n\t\t};\n\n";

fn work_dir() -> Result<PathBuf, String> {
    let d = deps::root().join("target/xtask/arm");
    std::fs::create_dir_all(&d).map_err(|e| format!("{}: {e}", d.display()))?;
    Ok(d)
}

fn hash_of(v: &impl std::hash::Hash) -> String {
    let mut h = std::hash::DefaultHasher::new();
    v.hash(&mut h);
    format!("{:016x}", std::hash::Hasher::finish(&h))
}

/// The flat `Image` for `elf`: its PT_LOAD segments laid out from the lowest address.
pub fn image(elf: &Path) -> Result<PathBuf, String> {
    let data = std::fs::read(elf).map_err(|e| format!("{}: {e}", elf.display()))?;
    only_relative_relocations(&data).map_err(|e| format!("{}: {e}", elf.display()))?;
    let flat = flatten(&data).map_err(|e| format!("{}: {e}", elf.display()))?;
    let out = elf.with_extension("Image");
    std::fs::write(&out, flat).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(out)
}

fn flatten(data: &[u8]) -> Result<Vec<u8>, String> {
    let rd = |o: usize, n: usize| -> Result<u64, String> {
        let b = data.get(o..o + n).ok_or("ELF cut short")?;
        Ok(b.iter().rev().fold(0u64, |a, &x| (a << 8) | u64::from(x)))
    };
    if data.get(..4) != Some(b"\x7fELF".as_slice()) || data.get(4) != Some(&2) {
        return Err("not an ELF64 file".into());
    }
    let (phoff, phentsize, phnum) = (rd(0x20, 8)? as usize, rd(0x36, 2)? as usize, rd(0x38, 2)?);
    let mut segs = Vec::new();
    for i in 0..phnum as usize {
        let ph = phoff + i * phentsize;
        if rd(ph, 4)? == 1 && rd(ph + 0x20, 8)? > 0 {
            // (paddr, file offset, file size)
            segs.push((
                rd(ph + 0x18, 8)?,
                rd(ph + 8, 8)? as usize,
                rd(ph + 0x20, 8)? as usize,
            ));
        }
    }
    let base = segs
        .iter()
        .map(|s| s.0)
        .min()
        .ok_or("no loadable segment")?;
    let end = segs.iter().map(|s| s.0 + s.2 as u64).max().unwrap_or(base);
    let mut out = vec![0u8; (end - base) as usize];
    for (pa, off, len) in segs {
        let src = data.get(off..off + len).ok_or("segment outside the file")?;
        let at = (pa - base) as usize;
        out[at..at + len].copy_from_slice(src);
    }
    Ok(out)
}

/// The Image relocates itself with R_AARCH64_RELATIVE entries only (boot/entry.S): any other
/// dynamic relocation would be left unapplied, so refuse such an ELF here.
fn only_relative_relocations(data: &[u8]) -> Result<(), String> {
    const SHT_RELA: u64 = 4;
    const SHF_ALLOC: u64 = 2;
    const R_AARCH64_RELATIVE: u64 = 1027;
    let rd = |o: usize, n: usize| -> Result<u64, String> {
        let b = data.get(o..o + n).ok_or("ELF cut short")?;
        Ok(b.iter().rev().fold(0u64, |a, &x| (a << 8) | u64::from(x)))
    };
    let (shoff, shentsize, shnum) = (rd(0x28, 8)? as usize, rd(0x3a, 2)? as usize, rd(0x3c, 2)?);
    for i in 0..shnum as usize {
        let sh = shoff + i * shentsize;
        if rd(sh + 4, 4)? != SHT_RELA || rd(sh + 8, 8)? & SHF_ALLOC == 0 {
            continue;
        }
        let (off, size) = (rd(sh + 0x18, 8)? as usize, rd(sh + 0x20, 8)? as usize);
        for at in (off..off + size).step_by(24) {
            let kind = rd(at + 8, 8)?;
            if kind != R_AARCH64_RELATIVE {
                return Err(format!(
                    "dynamic relocation of type {} (r_info {kind:#x}) at {:#x}: the Image \
                     applies only R_AARCH64_RELATIVE",
                    kind & 0xffff_ffff,
                    rd(at, 8)?
                ));
            }
        }
    }
    Ok(())
}

/// A copy of `image` whose arm64 header asks to be loaded at `text_offset` above a 2 MiB
/// boundary (QEMU's loader puts it at RAM base + `text_offset`; booting.rst).
fn with_text_offset(image: &Path, text_offset: u64) -> Result<PathBuf, String> {
    if !text_offset.is_multiple_of(4096) {
        return Err(format!(
            "text_offset {text_offset:#x}: the Image must stay 4 KiB aligned"
        ));
    }
    let mut data = std::fs::read(image).map_err(|e| format!("{}: {e}", image.display()))?;
    if data.get(56..60) != Some(b"ARM\x64".as_slice()) {
        return Err(format!("{}: no arm64 Image header", image.display()));
    }
    data[8..16].copy_from_slice(&text_offset.to_le_bytes());
    let out = image.with_extension(format!("at-{text_offset:x}.Image"));
    std::fs::write(&out, data).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(out)
}

fn run(cmd: &mut Command, what: &str) -> Result<Vec<u8>, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(out.stdout)
}

/// QEMU's DTB for this machine (memory, CPUs and GIC depend on the options), as source.
fn qemu_dts(m: &Machine) -> Result<String, String> {
    let dir = work_dir()?;
    let key = hash_of(&(&m.machine, &m.cpu, &m.mem, m.smp));
    let dtb = dir.join(format!("qemu-{key}.dtb"));
    if !dtb.exists() {
        let tmp = dir.join(format!("qemu-{key}.{}.tmp", std::process::id()));
        run(
            Command::new("qemu-system-aarch64")
                .arg("-M")
                .arg(format!("{},dumpdtb={}", m.machine, tmp.display()))
                .args(["-cpu", &m.cpu, "-m", &m.mem, "-smp", &m.smp.to_string()])
                .args(["-display", "none"]),
            "qemu-system-aarch64 -machine dumpdtb=",
        )?;
        std::fs::rename(&tmp, &dtb).map_err(|e| format!("{}: {e}", dtb.display()))?;
    }
    let dts = run(
        Command::new("dtc")
            .args(["-q", "-I", "dtb", "-O", "dts"])
            .arg(&dtb),
        "dtc (apt package device-tree-compiler)",
    )?;
    String::from_utf8(dts).map_err(|_| "dtc printed non-UTF-8".into())
}

fn dts_string(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                o.push('\\');
                o.push(c);
            }
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Removes the first node whose name starts with `prefix` (with its children).
fn remove_node(dts: &str, prefix: &str) -> Result<String, String> {
    let pat = format!("\t{prefix}");
    let start = dts
        .find(&pat)
        .ok_or_else(|| format!("QEMU's DTB has no node '{prefix}'"))?;
    let mut depth = 0i32;
    for (i, c) in dts[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    let end = start + i + dts[start + i..].find('\n').map_or(1, |n| n + 1);
                    return Ok(format!("{}{}", &dts[..start], &dts[end..]));
                }
            }
            _ => {}
        }
    }
    Err(format!("unbalanced node '{prefix}'"))
}

/// The DTB to boot with: QEMU's, plus `/chosen` as Xen's boot protocol has it.
fn chosen_dtb(
    m: &Machine,
    variant: Option<&str>,
) -> Result<(PathBuf, Vec<(PathBuf, u64)>), String> {
    let mut dts = qemu_dts(m)?;
    let mut props = String::from("\t\t#address-cells = <0x02>;\n\t\t#size-cells = <0x02>;\n");
    let _ = writeln!(props, "\t\txen,xen-bootargs = {};", dts_string(&m.cmdline));
    let mut chosen = String::new();
    let mut loads = Vec::new();
    let mut addr = MODULE_BASE;
    for (i, md) in m.modules.iter().enumerate() {
        let size = std::fs::metadata(&md.path)
            .map_err(|e| format!("module {}: {e}", md.path.display()))?
            .len();
        let compat = match i {
            0 => "\"multiboot,kernel\", \"multiboot,module\"",
            1 => "\"multiboot,ramdisk\", \"multiboot,module\"",
            _ => "\"multiboot,module\"",
        };
        let _ = write!(
            chosen,
            "\t\tmodule@{addr:x} {{\n\t\t\tcompatible = {compat};\n\t\t\treg = <0x{:x} 0x{:x} 0x{:x} 0x{:x}>;\n",
            addr >> 32,
            addr & 0xffff_ffff,
            size >> 32,
            size & 0xffff_ffff
        );
        if !md.args.is_empty() {
            let _ = writeln!(chosen, "\t\t\tbootargs = {};", dts_string(&md.args));
        }
        chosen.push_str("\t\t};\n");
        loads.push((md.path.clone(), addr));
        addr = (addr + size).div_ceil(2 << 20) * (2 << 20);
    }
    // Properties first, then the module nodes at the end of /chosen (dtc wants that order).
    let at = dts.find("\tchosen {").ok_or("QEMU's DTB has no /chosen")?;
    let close = at + dts[at..].find("\n\t};").ok_or("bad dts")? + 1;
    dts.insert_str(close, &chosen);
    let line_end = at + dts[at..].find('\n').ok_or("bad dts")? + 1;
    dts.insert_str(line_end, &props);
    match variant {
        Some("ghost-cpu") => {
            let cpus = dts.find("\tcpus {").ok_or("QEMU's DTB has no /cpus")?;
            let first = cpus
                + dts[cpus..]
                    .find("\t\tcpu@")
                    .ok_or("QEMU's DTB lists no CPU")?;
            dts.insert_str(first, GHOST_CPU);
        }
        Some("no-memory") => dts = remove_node(&dts, "memory@")?,
        Some("no-gic") => dts = remove_node(&dts, "intc@")?,
        // Three address cells at the root: no `reg` below it fits in 64 bits.
        Some("bad-cells") => {
            dts = dts.replacen(
                "\n\t#address-cells = <0x02>;",
                "\n\t#address-cells = <0x03>;",
                1,
            )
        }
        _ => {}
    }
    let dir = work_dir()?;
    let key = hash_of(&(&dts, variant));
    let src = dir.join(format!("boot-{key}.dts"));
    let dtb = dir.join(format!("boot-{key}.dtb"));
    std::fs::write(&src, &dts).map_err(|e| format!("{}: {e}", src.display()))?;
    run(
        Command::new("dtc")
            .args(["-q", "-I", "dts", "-O", "dtb", "-o"])
            .arg(&dtb)
            .arg(&src),
        "dtc",
    )?;
    let mut bytes = std::fs::read(&dtb).map_err(|e| format!("{}: {e}", dtb.display()))?;
    match variant {
        Some("bad-magic") => bytes[0] ^= 0xff,
        Some("truncated") => {
            let n = bytes.len() / 2;
            bytes.truncate(n);
            bytes[4..8].copy_from_slice(&(n as u32).to_be_bytes());
        }
        _ => {}
    }
    std::fs::write(&dtb, bytes).map_err(|e| format!("{}: {e}", dtb.display()))?;
    Ok((dtb, loads))
}

/// A copy of `image` whose DTB-override slot holds `addr`.
fn with_override(image: &Path, addr: u64) -> Result<PathBuf, String> {
    let mut data = std::fs::read(image).map_err(|e| format!("{}: {e}", image.display()))?;
    let marker = b"FERRITE-DTB-OVERRIDE:...";
    let at = data
        .windows(marker.len())
        .position(|w| w == marker)
        .ok_or("the image has no DTB-override slot")?
        + marker.len();
    data[at..at + 8].copy_from_slice(&addr.to_le_bytes());
    let out = image.with_extension(format!("dtb-{addr:x}.Image"));
    std::fs::write(&out, data).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(out)
}

/// Adds `-kernel`, `-dtb` and the `-device loader` options for booting `image` on `m`.
pub fn boot_args(m: &Machine, image: &Path, c: &mut Command) -> Result<(), String> {
    let variant = m.dtb_variant.as_deref();
    if let Some(v) = variant
        && !DTB_VARIANTS.contains(&v)
        && !DTB_EDITS.contains(&v)
    {
        return Err(format!(
            "unknown dtb variant '{v}' ({DTB_VARIANTS:?}, {DTB_EDITS:?})"
        ));
    }
    let (dtb, loads) = chosen_dtb(m, variant)?;
    let moved;
    let image = match m.text_offset {
        Some(off) => {
            moved = with_text_offset(image, off)?;
            moved.as_path()
        }
        None => image,
    };
    if variant.is_some_and(|v| DTB_VARIANTS.contains(&v)) {
        let img = with_override(image, BAD_DTB_ADDR)?;
        c.arg("-kernel").arg(img);
        c.arg("-device").arg(format!(
            "loader,file={},addr={BAD_DTB_ADDR:#x},force-raw=on",
            dtb.display()
        ));
    } else {
        c.arg("-kernel").arg(image).arg("-dtb").arg(&dtb);
    }
    for (path, addr) in loads {
        c.arg("-device").arg(format!(
            "loader,file={},addr={addr:#x},force-raw=on",
            path.display()
        ));
    }
    Ok(())
}

/// `cargo xtask bench`'s aarch64 figures: QEMU virt at EL2, `-cpu max` (CNTFRQ 1 GHz), one
/// CPU, `-icount shift=0` (one instruction per virtual nanosecond, so the counter on the ready
/// line, scaled by the timer frequency, counts instructions from QEMU's start). Prints a table
/// and returns the JSON object's body for `boot.json`.
pub fn bench(runs: usize) -> Result<String, String> {
    use crate::build::{self, Arch, BuildOpts};
    deps::ensure(&[deps::Need::QemuArm])?;
    let elf = build::build(&BuildOpts {
        arch: Arch::Aarch64,
        release: true,
        test_hooks: false,
    })?;
    let img = image(&elf)?;
    let file_size = std::fs::metadata(&img).map_err(|e| e.to_string())?.len();
    let (_, loaded) = crate::bench::image_sizes(&elf)?;
    let mut m = Machine::default_for(Arch::Aarch64);
    m.smp = 1;
    m.mem = "512M".into();
    m.icount = true;
    m.cmdline = "console=dtuart loglvl=warning".into();
    let mut ins = Vec::new();
    let mut heap = 0;
    for i in 0..runs.max(1) {
        let mut c = m.command(&img)?;
        c.stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        let child = c.spawn().map_err(|e| format!("cannot start QEMU: {e}"))?;
        let out = crate::bench::wait_output(child, std::time::Duration::from_secs(120))?;
        let text = String::from_utf8_lossy(&out);
        let num_after = |line: &str, key: &str| -> Option<f64> {
            let rest = &line[line.find(key)? + key.len()..];
            rest.split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .next()?
                .parse()
                .ok()
        };
        let ready = text
            .lines()
            .find(|l| l.contains("Ferrite ready"))
            .ok_or_else(|| format!("run {}: no ready line in the output:\n{text}", i + 1))?;
        let mhz = text
            .lines()
            .find_map(|l| num_after(l, "Generic timer: "))
            .unwrap_or(1000.0);
        let cnt = num_after(ready, "cntvct=").ok_or("no cntvct= on the ready line")?;
        ins.push((cnt * 1000.0 / mhz) as u64);
        heap = num_after(ready, "heap ").unwrap_or(0.0) as u64;
    }
    let (min, med, max) = crate::bench::spread(&ins);
    println!(
        "aarch64 boot (QEMU -icount shift=0, virt,virtualization=on,gic-version=3, -cpu max, 1 CPU, 512M; {} runs)",
        ins.len()
    );
    println!(
        "  {:<44} {:>14} {:>14} {:>14}",
        "instructions, QEMU start -> ready", min, med, max
    );
    println!("  {:<44} {:>14}", "Image file size (bytes)", file_size);
    println!(
        "  {:<44} {:>14}",
        "image loaded size (bytes, text+data+bss)", loaded
    );
    println!("  {:<44} {:>14}", "heap in use after boot (KiB)", heap);
    let mut json = String::from("  \"aarch64\": {\n");
    let _ = writeln!(
        json,
        "    \"boot_instructions\": {{\"min\": {min}, \"median\": {med}, \"max\": {max}, \"runs\": {ins:?}}},"
    );
    let _ = writeln!(json, "    \"image_file_bytes\": {file_size},");
    let _ = writeln!(json, "    \"image_loaded_bytes\": {loaded},");
    let _ = writeln!(json, "    \"heap_used_kib\": {heap}");
    json.push_str("  }");
    Ok(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_a_node_with_children() {
        let dts = "/ {\n\tintc@8000000 {\n\t\tits@1 {\n\t\t};\n\t};\n\tpl011@9000000 {\n\t};\n};\n";
        let out = remove_node(dts, "intc@").unwrap();
        assert_eq!(out, "/ {\n\tpl011@9000000 {\n\t};\n};\n");
        assert!(remove_node(dts, "memory@").is_err());
    }

    #[test]
    fn refuses_other_relocations() {
        // A minimal ELF64 header and one allocated SHT_RELA section with one entry.
        let mut elf = vec![0u8; 0x200];
        elf[..5].copy_from_slice(b"\x7fELF\x02");
        elf[0x28..0x30].copy_from_slice(&0x100u64.to_le_bytes());
        elf[0x3a..0x3c].copy_from_slice(&64u16.to_le_bytes());
        elf[0x3c..0x3e].copy_from_slice(&1u16.to_le_bytes());
        let sh = 0x100;
        elf[sh + 4..sh + 8].copy_from_slice(&4u32.to_le_bytes());
        elf[sh + 8..sh + 16].copy_from_slice(&2u64.to_le_bytes());
        elf[sh + 0x18..sh + 0x20].copy_from_slice(&0x180u64.to_le_bytes());
        elf[sh + 0x20..sh + 0x28].copy_from_slice(&24u64.to_le_bytes());
        elf[0x188..0x190].copy_from_slice(&1027u64.to_le_bytes());
        assert_eq!(only_relative_relocations(&elf), Ok(()));
        elf[0x188..0x190].copy_from_slice(&((5u64 << 32) | 257).to_le_bytes());
        assert!(only_relative_relocations(&elf).is_err());
    }

    #[test]
    fn quotes_strings() {
        assert_eq!(dts_string("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
    }
}
