//! QEMU: the command line for each machine and boot path, `cargo xtask run`, and the checked
//! runner the test scenarios use (serial log, success and failure patterns, QMP shutdown
//! reason, timeout).

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::args::{Opts, split_dashdash};
use crate::build::{self, Arch, BuildOpts};
use crate::deps::{self, Need};
use crate::image::{self, Boot, Module};

/// One QEMU machine to boot Ferrite on.
#[derive(Clone, Debug)]
pub struct Machine {
    pub arch: Arch,
    pub machine: String,
    pub cpu: String,
    pub smp: u32,
    pub mem: String,
    pub boot: Boot,
    pub cmdline: String,
    /// Raw bytes appended to the command line (bad-input tests: need not be UTF-8).
    pub cmdline_raw: Vec<u8>,
    pub modules: Vec<Module>,
    pub extra: Vec<String>,
    /// Count instructions: `-icount shift=0,sleep=off` (benchmarks).
    pub icount: bool,
    /// aarch64: boot with this malformed or edited DTB instead (`arm::DTB_VARIANTS`,
    /// `arm::DTB_EDITS`).
    pub dtb_variant: Option<String>,
    /// aarch64: boot a copy of the Image whose header asks for this text_offset.
    pub text_offset: Option<u64>,
}

impl Machine {
    pub fn default_for(arch: Arch) -> Machine {
        let (machine, cpu, boot) = match arch {
            Arch::X86_64 => ("q35", "max", Boot::Kernel),
            Arch::Aarch64 => (
                "virt,virtualization=on,gic-version=3",
                "max",
                Boot::ArmImage,
            ),
        };
        Machine {
            arch,
            machine: machine.into(),
            cpu: cpu.into(),
            smp: 2,
            mem: "512M".into(),
            boot,
            cmdline: String::new(),
            cmdline_raw: Vec::new(),
            modules: Vec::new(),
            extra: Vec::new(),
            icount: false,
            dtb_variant: None,
            text_offset: None,
        }
    }

    pub fn needs_pub(&self) -> Vec<Need> {
        self.needs()
    }

    fn needs(&self) -> Vec<Need> {
        let mut v = vec![match self.arch {
            Arch::X86_64 => Need::QemuX86,
            Arch::Aarch64 => Need::QemuArm,
        }];
        if matches!(self.boot, Boot::GrubBios | Boot::GrubEfi) {
            v.push(Need::Grub);
        }
        if self.boot == Boot::GrubEfi {
            v.push(Need::Ovmf);
        }
        v
    }

    /// The QEMU command for booting `image` (made by [`image::make`] for `self.boot`).
    pub fn command(&self, image: &Path) -> Result<Command, String> {
        let bin = match self.arch {
            Arch::X86_64 => "qemu-system-x86_64",
            Arch::Aarch64 => "qemu-system-aarch64",
        };
        let mut c = Command::new(bin);
        c.args(["-M", &self.machine, "-cpu", &self.cpu, "-m", &self.mem]);
        c.args(["-smp", &self.smp.to_string()]);
        c.args(["-display", "none", "-serial", "stdio", "-monitor", "none"]);
        c.args(["-no-reboot", "-nic", "none"]);
        if self.icount {
            c.args([
                "-icount",
                "shift=0,sleep=off",
                "-rtc",
                "clock=vm,base=2025-01-01T00:00:00",
            ]);
        }
        match self.boot {
            Boot::Kernel | Boot::Pvh => {
                c.arg("-kernel").arg(image);
                let mut line = self.cmdline.clone().into_bytes();
                line.extend_from_slice(&self.cmdline_raw);
                c.arg("-append")
                    .arg(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(&line));
                if !self.modules.is_empty() {
                    if self.boot == Boot::Pvh && self.modules.len() > 1 {
                        return Err("QEMU's PVH loader takes one module (the initrd)".into());
                    }
                    // QEMU's multiboot loader: "file args,file args" with ',' escaped as ",,".
                    let list: Vec<String> = self
                        .modules
                        .iter()
                        .map(|m| {
                            let s = if m.args.is_empty() || self.boot == Boot::Pvh {
                                m.path.display().to_string()
                            } else {
                                format!("{} {}", m.path.display(), m.args)
                            };
                            s.replace(',', ",,")
                        })
                        .collect();
                    c.arg("-initrd").arg(list.join(","));
                }
            }
            Boot::GrubBios => {
                c.arg("-cdrom").arg(image);
            }
            Boot::GrubEfi => {
                let ovmf = deps::ovmf_path().ok_or("OVMF is missing (apt package ovmf)")?;
                c.arg("-bios").arg(ovmf).arg("-cdrom").arg(image);
            }
            Boot::ArmImage => crate::arm::boot_args(self, image, &mut c)?,
        }
        c.args(&self.extra);
        Ok(c)
    }
}

pub fn cmd_run(args: &[String]) -> Result<(), String> {
    let (ours, qemu_extra) = split_dashdash(args);
    let mut bopts = BuildOpts::default();
    let mut m = Machine::default_for(Arch::X86_64);
    let mut arch_set = false;
    let mut timeout = 600u64;
    let mut o = Opts::new(ours);
    let mut overrides: Vec<(&str, String)> = Vec::new();
    let mut kernel_wrap = None;
    while let Some(a) = o.next_arg() {
        match a {
            "--arch" => {
                bopts.arch = Arch::parse(o.value(a)?)?;
                arch_set = true;
            }
            "--release" => bopts.release = true,
            "--kernel-wrap" => kernel_wrap = Some(crate::wrap::Wrap::parse(o.value(a)?)?),
            "--timeout" => {
                timeout = o
                    .value(a)?
                    .parse()
                    .map_err(|_| "--timeout takes seconds".to_string())?;
            }
            "--cmdline" | "--smp" | "--mem" | "--machine" | "--cpu" | "--boot" | "--module" => {
                overrides.push((a, o.value(a)?.to_string()));
            }
            other => return Err(format!("run: unknown option '{other}'")),
        }
    }
    if arch_set {
        m = Machine::default_for(bopts.arch);
    }
    m.cmdline = default_cmdline(bopts.arch).into();
    for (k, v) in overrides {
        match k {
            "--cmdline" => m.cmdline = v,
            "--smp" => {
                m.smp = v
                    .parse()
                    .map_err(|_| format!("--smp takes a number, not '{v}'"))?
            }
            "--mem" => m.mem = v,
            "--machine" => m.machine = v,
            "--cpu" => m.cpu = v,
            "--boot" => m.boot = Boot::parse(&v)?,
            _ => m.modules.push(Module::parse(&v)),
        }
    }
    m.extra = qemu_extra.to_vec();
    if let (Some(how), Some(md)) = (kernel_wrap, m.modules.first_mut()) {
        md.path = crate::wrap::wrap_file(&md.path, how)?;
    }
    deps::ensure(&m.needs())?;
    crate::guests::resolve(m.modules.iter_mut())?;
    crate::debian::resolve(m.modules.iter_mut())?;
    let elf = build::build(&bopts)?;
    let image = image::make(m.boot, &elf, &m.cmdline, &m.modules)?;
    let mut c = m.command(&image)?;
    eprintln!("xtask: {}", describe(&c));
    let mut child = c.spawn().map_err(|e| format!("cannot start QEMU: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(timeout);
    loop {
        if let Some(st) = child.try_wait().map_err(|e| e.to_string())? {
            return if st.success() {
                Ok(())
            } else {
                Err(format!("QEMU exited with {st}"))
            };
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err(format!(
                "stopped QEMU after the {timeout} s timeout (--timeout)"
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The command line `cargo xtask run` passes when none is given.
pub fn default_cmdline(arch: Arch) -> &'static str {
    match arch {
        Arch::X86_64 => "console=com1 com1=115200,8n1 loglvl=all",
        Arch::Aarch64 => "console=dtuart loglvl=all",
    }
}

pub fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        let a = a.to_string_lossy();
        if a.contains(' ') || a.is_empty() {
            s.push_str(&format!(" '{a}'"));
        } else {
            s.push(' ');
            s.push_str(&a);
        }
    }
    s
}

/// How a checked run must end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// The guest powers the machine off (ACPI S5 / PSCI SYSTEM_OFF).
    Poweroff,
    /// The guest resets the machine on purpose.
    Reset,
    /// The machine stays up (halted); the run ends once every pattern was seen.
    Halt,
}

/// A checked run.
pub struct Check {
    pub log: PathBuf,
    pub timeout: Duration,
    /// Patterns that must all appear, in order.
    pub expect: Vec<String>,
    /// Patterns that fail the run as soon as they appear.
    pub fail: Vec<String>,
    pub end: End,
    /// Patterns that must be on the VGA text screen once the run has passed (needs
    /// `end = halt`, so the machine is still there to be read).
    pub screen_expect: Vec<String>,
}

enum Event {
    Line(String),
    Shutdown(String),
    Eof,
}

/// Boots `image` on `m`, checks the serial output against `check`, and says why it failed.
pub fn run_checked(m: &Machine, image: &Path, check: &Check) -> Result<(), String> {
    let qmp_path = check.log.with_extension("qmp");
    let _ = std::fs::remove_file(&qmp_path);
    let mut c = m.command(image)?;
    // Start paused (-S): the QMP watcher resumes the machine once it is connected, so even a
    // boot that powers off at once cannot end before its SHUTDOWN event can be seen.
    c.arg("-S")
        .arg("-qmp")
        .arg(format!("unix:{},server=on,wait=off", qmp_path.display()));
    let screen_qmp = check.log.with_extension("qmp2");
    if !check.screen_expect.is_empty() {
        let _ = std::fs::remove_file(&screen_qmp);
        c.arg("-qmp")
            .arg(format!("unix:{},server=on,wait=off", screen_qmp.display()));
    }
    c.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut log =
        std::fs::File::create(&check.log).map_err(|e| format!("{}: {e}", check.log.display()))?;
    let _ = writeln!(log, "# {}", describe(&c));
    let mut child = c.spawn().map_err(|e| format!("cannot start QEMU: {e}"))?;
    let (tx, rx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        let tx = tx.clone();
        std::thread::spawn(move || read_lines(out, "", &tx));
    }
    if let Some(err) = child.stderr.take() {
        let tx = tx.clone();
        std::thread::spawn(move || read_lines(err, "[qemu] ", &tx));
    }
    {
        let tx = tx.clone();
        let path = qmp_path.clone();
        std::thread::spawn(move || qmp_watch(&path, &tx));
    }
    drop(tx);

    let mut result = watch(&rx, &mut log, check);
    if result.is_ok() && !check.screen_expect.is_empty() {
        result = check_screen(&screen_qmp, &check.screen_expect, &mut log);
    }
    let _ = child.kill();
    let _ = child.wait();
    // Drain what is left so the log is complete.
    while let Ok(ev) = rx.recv_timeout(Duration::from_millis(200)) {
        if let Event::Line(l) = ev {
            let _ = writeln!(log, "{l}");
        }
    }
    let _ = std::fs::remove_file(&qmp_path);
    let _ = std::fs::remove_file(&screen_qmp);
    result
}

/// Reads the VGA text screen (0xB8000, 80x25) through QMP and looks for each pattern.
fn check_screen(qmp: &Path, patterns: &[String], log: &mut std::fs::File) -> Result<(), String> {
    let s = UnixStream::connect(qmp).map_err(|e| format!("screen check: QMP: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    let mut w = s.try_clone().map_err(|e| e.to_string())?;
    let mut r = BufReader::new(s);
    let mut line = String::new();
    let mut read_reply = |r: &mut BufReader<UnixStream>| -> Result<String, String> {
        loop {
            line.clear();
            if r.read_line(&mut line)
                .map_err(|e| format!("screen check: {e}"))?
                == 0
            {
                return Err("screen check: QMP closed".into());
            }
            if line.contains("\"return\"") || line.contains("\"QMP\"") {
                return Ok(line.clone());
            }
        }
    };
    read_reply(&mut r)?;
    w.write_all(b"{\"execute\":\"qmp_capabilities\"}\n")
        .map_err(|e| e.to_string())?;
    read_reply(&mut r)?;
    w.write_all(b"{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"xp /4000xb 0xb8000\"}}\n")
        .map_err(|e| e.to_string())?;
    let reply = read_reply(&mut r)?;
    let text = vga_text(&reply);
    let _ = writeln!(log, "# VGA screen:");
    for row in text.as_bytes().chunks(80) {
        let _ = writeln!(log, "# | {}", String::from_utf8_lossy(row).trim_end());
    }
    match patterns.iter().find(|p| !text.contains(p.as_str())) {
        Some(p) => Err(format!("'{p}' is not on the VGA screen")),
        None => Ok(()),
    }
}

/// The characters of a VGA text dump (`xp /Nxb`: address, then `0xNN` byte tokens; every
/// other byte is an attribute).
fn vga_text(reply: &str) -> String {
    let bytes: Vec<u8> = reply
        .split("\\r\\n")
        .map(|l| l.split_once(": ").map_or("", |(_, rest)| rest))
        .flat_map(str::split_whitespace)
        .filter_map(|t| t.strip_prefix("0x"))
        .filter_map(|h| u8::from_str_radix(h.trim_end_matches(['"', '}', ',']), 16).ok())
        .collect();
    bytes
        .iter()
        .step_by(2)
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                ' '
            }
        })
        .collect()
}

fn watch(rx: &mpsc::Receiver<Event>, log: &mut std::fs::File, check: &Check) -> Result<(), String> {
    let deadline = Instant::now() + check.timeout;
    let mut next = 0usize;
    let mut eofs = 0;
    let mut halt_grace: Option<Instant> = None;
    loop {
        let now = Instant::now();
        if let Some(g) = halt_grace
            && now >= g
        {
            return Ok(());
        }
        if now >= deadline {
            return Err(match check.expect.get(next) {
                Some(p) => format!("timeout after {:?} waiting for '{p}'", check.timeout),
                None => format!(
                    "timeout after {:?} waiting for the machine to end",
                    check.timeout
                ),
            });
        }
        let wait = halt_grace.unwrap_or(deadline).min(deadline) - now;
        let ev = match rx.recv_timeout(wait) {
            Ok(ev) => ev,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => Event::Eof,
        };
        match ev {
            Event::Line(l) => {
                let _ = writeln!(log, "{l}");
                if let Some(p) = check.fail.iter().find(|p| l.contains(p.as_str())) {
                    return Err(format!("failure pattern '{p}': {}", l.trim()));
                }
                if check
                    .expect
                    .get(next)
                    .is_some_and(|p| l.contains(p.as_str()))
                {
                    next += 1;
                    if next == check.expect.len() && check.end == End::Halt {
                        halt_grace = Some(Instant::now() + Duration::from_secs(1));
                    }
                }
            }
            Event::Shutdown(reason) => {
                // QMP can report the shutdown before the last serial lines are read: take
                // what is still coming (briefly) before judging.
                let grace = Instant::now() + Duration::from_secs(1);
                while let Ok(ev) = rx.recv_timeout(grace.saturating_duration_since(Instant::now()))
                {
                    let Event::Line(l) = ev else { continue };
                    let _ = writeln!(log, "{l}");
                    if let Some(p) = check.fail.iter().find(|p| l.contains(p.as_str())) {
                        return Err(format!("failure pattern '{p}': {}", l.trim()));
                    }
                    if check
                        .expect
                        .get(next)
                        .is_some_and(|p| l.contains(p.as_str()))
                    {
                        next += 1;
                    }
                }
                let _ = writeln!(log, "# QMP SHUTDOWN reason={reason}");
                let done = next == check.expect.len();
                return match (reason.as_str(), check.end) {
                    ("guest-shutdown", End::Poweroff) if done => Ok(()),
                    ("guest-reset", End::Reset) if done => Ok(()),
                    ("guest-reset", _) => Err(unmet(
                        "unexpected reset (triple fault or reboot)",
                        check,
                        next,
                    )),
                    (r, _) => Err(unmet(&format!("the machine ended ({r})"), check, next)),
                };
            }
            Event::Eof => {
                eofs += 1;
                // stdout, stderr and QMP all closed without a SHUTDOWN event.
                if eofs >= 3 {
                    return Err(unmet("QEMU exited without a shutdown event", check, next));
                }
            }
        }
    }
}

fn unmet(what: &str, check: &Check, next: usize) -> String {
    match check.expect.get(next) {
        Some(p) => format!("{what} before '{p}' appeared"),
        None => format!("{what}; expected {:?}", check.end),
    }
}

fn read_lines(r: impl Read, prefix: &str, tx: &mpsc::Sender<Event>) {
    let mut r = BufReader::new(r);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match r.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let s = String::from_utf8_lossy(&buf);
                let s = s.trim_end_matches(['\n', '\r']);
                if tx.send(Event::Line(format!("{prefix}{s}"))).is_err() {
                    return;
                }
            }
        }
    }
    let _ = tx.send(Event::Eof);
}

/// Follows QEMU's QMP socket for the SHUTDOWN event and its reason.
fn qmp_watch(path: &Path, tx: &mpsc::Sender<Event>) {
    let mut stream = None;
    // Up to a minute: on a loaded host QEMU can take many seconds to open the socket, and a
    // machine started with -S that is never resumed would only end at the scenario's timeout.
    for _ in 0..1200 {
        if let Ok(s) = UnixStream::connect(path) {
            stream = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let Some(mut s) = stream else {
        let _ = tx.send(Event::Eof);
        return;
    };
    let _ = s.write_all(b"{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"cont\"}\n");
    let mut r = BufReader::new(s);
    let mut line = String::new();
    loop {
        line.clear();
        match r.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                if line.contains("\"SHUTDOWN\"") {
                    let reason = json_str(&line, "reason").unwrap_or_else(|| "unknown".into());
                    let _ = tx.send(Event::Shutdown(reason));
                }
            }
        }
    }
    let _ = tx.send(Event::Eof);
}

/// The string value of `"key": "value"` in one line of JSON (QMP events are flat enough).
fn json_str(line: &str, key: &str) -> Option<String> {
    let k = format!("\"{key}\"");
    let rest = &line[line.find(&k)? + k.len()..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vga_dump() {
        let r = r#"{"return": "00000000000b8000: 0x28 0x07 0x58 0x07\r\n00000000000b8004: 0x45 0x07 0x4e 0x07\r\n"}"#;
        assert_eq!(vga_text(r), "(XEN");
    }

    #[test]
    fn qmp_reason() {
        let l = r#"{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"}}"#;
        assert_eq!(json_str(l, "reason").as_deref(), Some("guest-shutdown"));
        assert_eq!(json_str(l, "nothing"), None);
    }
}
