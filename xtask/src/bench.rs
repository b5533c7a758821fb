//! `cargo xtask bench`: boot figures under QEMU `-icount shift=0,sleep=off`, where the guest
//! TSC counts instructions (so runs repeat exactly; see ../shared/TARGETS.md for the flags and
//! Xen's own figures), plus the image size and the heap in use after boot. Results go to a
//! table on stdout and `target/xtask/bench/boot.json`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::args::Opts;
use crate::build::{self, Arch, BuildOpts};
use crate::deps::{self, Need};
use crate::image::{self, Boot};
use crate::qemu::Machine;

struct Sample {
    instructions: u64,
    heap_used_kib: u64,
}

pub fn cmd(args: &[String]) -> Result<(), String> {
    let mut runs = 3usize;
    let mut o = Opts::new(args);
    while let Some(a) = o.next_arg() {
        match a {
            "--runs" => {
                runs = o
                    .value(a)?
                    .parse()
                    .map_err(|_| "--runs takes a number".to_string())?;
            }
            other => return Err(format!("bench: unknown option '{other}'")),
        }
    }
    deps::ensure(&[Need::QemuX86])?;
    let opts = BuildOpts {
        arch: Arch::X86_64,
        release: true,
        test_hooks: false,
    };
    let elf = build::build(&opts)?;
    let (file_size, loaded) = image_sizes(&elf)?;
    let mut m = Machine::default_for(Arch::X86_64);
    m.machine = "pc".into();
    m.cpu = "max,-x2apic".into();
    m.smp = 1;
    m.mem = "256M".into();
    m.boot = Boot::Kernel;
    m.icount = true;
    m.cmdline = "loglvl=warning".into();
    let image = image::make(m.boot, &elf, &m.cmdline, &[])?;
    let mut samples = Vec::new();
    for i in 0..runs.max(1) {
        let s = boot_once(&m, &image).map_err(|e| format!("run {}: {e}", i + 1))?;
        samples.push(s);
    }
    let ins: Vec<u64> = samples.iter().map(|s| s.instructions).collect();
    let heap = samples.last().map_or(0, |s| s.heap_used_kib);
    let (min, med, max) = spread(&ins);
    println!(
        "x86_64 boot (QEMU -icount shift=0, -cpu max,-x2apic, pc, 1 CPU, 256M; {} runs)",
        ins.len()
    );
    println!(
        "  {:<44} {:>14} {:>14} {:>14}",
        "figure", "min", "median", "max"
    );
    println!(
        "  {:<44} {:>14} {:>14} {:>14}",
        "instructions, QEMU start -> ready", min, med, max
    );
    println!("  {:<44} {:>14}", "image file size (bytes)", file_size);
    println!(
        "  {:<44} {:>14}",
        "image loaded size (bytes, text+data+bss)", loaded
    );
    println!("  {:<44} {:>14}", "heap in use after boot (KiB)", heap);
    println!("  target: QEMU reset -> dom0's first instruction <= 20 M (Xen 4.17: ~1006 M)");
    let mut json = String::from("{\n  \"x86_64\": {\n");
    let _ = writeln!(
        json,
        "    \"boot_instructions\": {{\"min\": {min}, \"median\": {med}, \"max\": {max}, \"runs\": {:?}}},",
        ins
    );
    let _ = writeln!(json, "    \"image_file_bytes\": {file_size},");
    let _ = writeln!(json, "    \"image_loaded_bytes\": {loaded},");
    let _ = writeln!(json, "    \"heap_used_kib\": {heap}");
    json.push_str("  },\n");
    json.push_str(&guest_bench(&elf, runs)?);
    json.push_str(&crate::arm::bench(runs)?);
    json.push_str("\n}\n");
    let dir = deps::root().join("target/xtask/bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let out = dir.join("boot.json");
    std::fs::write(&out, json).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("{}", out.display());
    crate::bench_sched::run()
}

/// The figures the `bench` test guest prints (`BENCH <name> <instructions>`).
const GUEST_FIGURES: [(&str, &str); 4] = [
    (
        "first_instruction",
        "instructions, QEMU start -> dom0's first Rust code",
    ),
    (
        "null_hypercall",
        "instructions per null hypercall (xen_version)",
    ),
    ("cpuid_exit", "instructions per CPUID exit"),
    (
        "evtchn_send_delivered",
        "instructions per event send to self, delivered",
    ),
];

/// Boots the `bench` guest as dom0 under `-icount` `runs` times; prints its figures and
/// returns them as a JSON member.
fn guest_bench(elf: &Path, runs: usize) -> Result<String, String> {
    let mut m = Machine::default_for(Arch::X86_64);
    m.machine = "pc".into();
    m.cpu = "max,-x2apic".into();
    m.smp = 1;
    m.mem = "256M".into();
    m.boot = Boot::Kernel;
    m.icount = true;
    m.cmdline = "loglvl=warning dom0_mem=64M".into();
    m.modules = vec![crate::image::Module::parse("@guest:bench")];
    crate::guests::resolve(m.modules.iter_mut())?;
    let image = image::make(m.boot, elf, &m.cmdline, &m.modules)?;
    let mut values: Vec<Vec<u64>> = vec![Vec::new(); GUEST_FIGURES.len()];
    for i in 0..runs.max(1) {
        let mut c = m.command(&image)?;
        c.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let child = c.spawn().map_err(|e| format!("cannot start QEMU: {e}"))?;
        let out = wait_output(child, Duration::from_secs(300))?;
        let text = String::from_utf8_lossy(&out);
        if !text.contains("Test result: SUCCESS") {
            return Err(format!("bench guest run {} failed:\n{text}", i + 1));
        }
        for (slot, (name, _)) in values.iter_mut().zip(GUEST_FIGURES) {
            let key = format!("BENCH {name} ");
            let v = text
                .lines()
                .find_map(|l| l.strip_prefix(key.as_str()))
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| format!("run {}: no '{key}' line", i + 1))?;
            slot.push(v);
        }
    }
    println!(
        "x86_64 PVH dom0 (the bench guest; -icount shift=0, -cpu max,-x2apic, 1 CPU; {} runs)",
        runs.max(1)
    );
    println!(
        "  {:<52} {:>12} {:>12} {:>12}",
        "figure", "min", "median", "max"
    );
    let mut json = String::from("  \"x86_64_pvh_guest\": {\n");
    for (i, ((name, label), v)) in GUEST_FIGURES.iter().zip(&values).enumerate() {
        let (min, med, max) = spread(v);
        println!("  {label:<52} {min:>12} {med:>12} {max:>12}");
        let comma = if i + 1 < GUEST_FIGURES.len() { "," } else { "" };
        let _ = writeln!(
            json,
            "    \"{name}\": {{\"min\": {min}, \"median\": {med}, \"max\": {max}, \"runs\": {v:?}}}{comma}"
        );
    }
    json.push_str("  },\n");
    Ok(json)
}

pub(crate) fn spread(v: &[u64]) -> (u64, u64, u64) {
    let mut s = v.to_vec();
    s.sort_unstable();
    let min = s.first().copied().unwrap_or(0);
    let max = s.last().copied().unwrap_or(0);
    let med = s.get(s.len() / 2).copied().unwrap_or(0);
    (min, med, max)
}

/// File size, and the bytes the loader places (the PT_LOAD segments' memory sizes).
pub(crate) fn image_sizes(elf: &Path) -> Result<(u64, u64), String> {
    let data = std::fs::read(elf).map_err(|e| format!("{}: {e}", elf.display()))?;
    let rd = |o: usize, n: usize| -> u64 {
        data.get(o..o + n).map_or(0, |b| {
            b.iter().rev().fold(0u64, |a, &x| (a << 8) | u64::from(x))
        })
    };
    let phoff = rd(0x20, 8) as usize;
    let phentsize = rd(0x36, 2) as usize;
    let phnum = rd(0x38, 2) as usize;
    let mut loaded = 0;
    for i in 0..phnum {
        let ph = phoff + i * phentsize;
        if rd(ph, 4) == 1 {
            loaded += rd(ph + 0x28, 8);
        }
    }
    Ok((data.len() as u64, loaded))
}

fn boot_once(m: &Machine, image: &Path) -> Result<Sample, String> {
    let mut c = m.command(image)?;
    c.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let child = c.spawn().map_err(|e| format!("cannot start QEMU: {e}"))?;
    let out = wait_output(child, Duration::from_secs(120))?;
    let text = String::from_utf8_lossy(&out);
    let line = text
        .lines()
        .find(|l| l.contains("Ferrite ready"))
        .ok_or_else(|| format!("no ready line in the output:\n{text}"))?;
    let num_after = |key: &str| -> Option<u64> {
        let rest = &line[line.find(key)? + key.len()..];
        rest.split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    Ok(Sample {
        instructions: num_after("tsc=").ok_or("no tsc= on the ready line")?,
        heap_used_kib: num_after("heap ").unwrap_or(0),
    })
}

pub(crate) fn wait_output(
    mut child: std::process::Child,
    timeout: Duration,
) -> Result<Vec<u8>, String> {
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut v);
        v
    });
    let start = std::time::Instant::now();
    loop {
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("QEMU did not finish within {timeout:?}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader
        .join()
        .map_err(|_| "reader thread failed".to_string())
}
