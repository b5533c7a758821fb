//! QEMU scenarios as data (`tests/scenarios.toml`): machine, boot path, command line, modules,
//! success and failure patterns, how the run must end, and a timeout.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::build::Arch;
use crate::image::{Boot, Module};
use crate::qemu::{End, Machine};

/// Failure patterns every scenario has: a Ferrite crash report or panic. (An unexpected
/// reset is caught through QMP's SHUTDOWN reason.)
pub const ALWAYS_FAIL: &[&str] = &["FATAL TRAP", "Panic on CPU", "Triple fault"];

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct Fields {
    arch: Option<String>,
    machine: Option<String>,
    cpu: Option<String>,
    smp: Option<u32>,
    memory: Option<String>,
    boot: Option<String>,
    cmdline: Option<String>,
    modules: Option<Vec<String>>,
    expect: Option<Vec<String>>,
    fail: Option<Vec<String>>,
    end: Option<String>,
    timeout: Option<u64>,
    qemu_args: Option<Vec<String>>,
    /// The scenario provokes a crash on purpose: crash reports are expected, not failures.
    crash: Option<bool>,
    /// Append this many pseudo-random bytes (no NUL) to the command line.
    cmdline_random: Option<usize>,
    /// aarch64: a malformed or edited device tree to boot with (`arm::DTB_VARIANTS`,
    /// `arm::DTB_EDITS`).
    dtb: Option<String>,
    /// aarch64: the Image header's text_offset (where above RAM base QEMU loads it).
    text_offset: Option<u64>,
    /// Patterns that must be on the VGA text screen at the end (with `end = "halt"`).
    screen_expect: Option<Vec<String>>,
    /// Wrap the first module (dom0's kernel) as a bzImage or compressed file (`wrap::Wrap`).
    kernel_wrap: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(flatten)]
    fields: Fields,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    defaults: Fields,
    scenario: Vec<Entry>,
}

/// The patterns a `crash = true` scenario expects rather than fails on.
const CRASH_PATTERNS: &[&str] = &["FATAL TRAP", "Panic on CPU"];

/// Deterministic bytes (xorshift seeded from the name), never NUL: a C string ends there.
fn random_bytes(n: usize, seed: &str) -> Vec<u8> {
    let mut x: u64 = seed.bytes().fold(0x9e37_79b9_7f4a_7c15, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x as u8).max(1)
        })
        .collect()
}

/// One scenario, with the defaults applied.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    /// What the scenario shows (for people reading the file and `--list`).
    pub description: String,
    pub machine: Machine,
    pub expect: Vec<String>,
    pub fail: Vec<String>,
    pub end: End,
    pub timeout: Duration,
    pub screen_expect: Vec<String>,
    /// How to wrap dom0's kernel (the first module) before booting.
    pub kernel_wrap: Option<crate::wrap::Wrap>,
}

/// Reads and checks a scenario file.
pub fn load(path: &Path) -> Result<Vec<Scenario>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: File = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let root = path
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for e in file.scenario {
        let f = &e.fields;
        let d = &file.defaults;
        let pick = |a: &Option<String>, b: &Option<String>| a.clone().or_else(|| b.clone());
        let ctx = |m: String| format!("scenario '{}': {m}", e.name);
        let arch =
            Arch::parse(&pick(&f.arch, &d.arch).unwrap_or_else(|| "x86_64".into())).map_err(ctx)?;
        let mut m = Machine::default_for(arch);
        if let Some(v) = pick(&f.machine, &d.machine) {
            m.machine = v;
        }
        if let Some(v) = pick(&f.cpu, &d.cpu) {
            m.cpu = v;
        }
        m.smp = f.smp.or(d.smp).unwrap_or(1);
        if let Some(v) = pick(&f.memory, &d.memory) {
            m.mem = v;
        }
        if let Some(v) = pick(&f.boot, &d.boot) {
            m.boot = Boot::parse(&v).map_err(ctx)?;
        }
        m.cmdline = pick(&f.cmdline, &d.cmdline).unwrap_or_default();
        m.modules = f
            .modules
            .clone()
            .or_else(|| d.modules.clone())
            .unwrap_or_default()
            .iter()
            .map(|s| {
                let mut md = Module::parse(s);
                // `@guest:<name>` and `@debian:<name>` stay as they are: test.rs builds the
                // guest (guests.rs) or fetches Debian's packages (debian.rs).
                if md.path.is_relative()
                    && crate::guests::guest_name(&md.path).is_none()
                    && crate::debian::artefact_name(&md.path).is_none()
                {
                    md.path = root.join(&md.path);
                }
                md
            })
            .collect();
        m.extra = f
            .qemu_args
            .clone()
            .or_else(|| d.qemu_args.clone())
            .unwrap_or_default();
        let expect = f.expect.clone().unwrap_or_default();
        if expect.is_empty() && f.fail.as_ref().is_none_or(Vec::is_empty) {
            return Err(ctx(
                "has neither expect nor fail patterns: a test must be able to fail".into(),
            ));
        }
        m.dtb_variant = f.dtb.clone();
        m.text_offset = f.text_offset;
        if let Some(n) = f.cmdline_random {
            m.cmdline_raw = random_bytes(n, &e.name);
        }
        let crash = f.crash.or(d.crash).unwrap_or(false);
        let mut fail: Vec<String> = ALWAYS_FAIL
            .iter()
            .filter(|p| !crash || !CRASH_PATTERNS.contains(p))
            .map(|s| s.to_string())
            .collect();
        fail.extend(d.fail.clone().unwrap_or_default());
        fail.extend(f.fail.clone().unwrap_or_default());
        let kernel_wrap = pick(&f.kernel_wrap, &d.kernel_wrap)
            .map(|w| crate::wrap::Wrap::parse(&w))
            .transpose()
            .map_err(ctx)?;
        if kernel_wrap.is_some() && m.modules.is_empty() {
            return Err(ctx("kernel_wrap needs a module to wrap".into()));
        }
        let end = match pick(&f.end, &d.end).as_deref().unwrap_or("poweroff") {
            "poweroff" => End::Poweroff,
            "reset" => End::Reset,
            "halt" => End::Halt,
            other => return Err(ctx(format!("end = '{other}' (poweroff, reset or halt)"))),
        };
        out.push(Scenario {
            name: e.name,
            description: e.description,
            machine: m,
            expect,
            fail,
            end,
            timeout: Duration::from_secs(f.timeout.or(d.timeout).unwrap_or(120)),
            screen_expect: f.screen_expect.clone().unwrap_or_default(),
            kernel_wrap,
        });
    }
    let mut names: Vec<&str> = out.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!(
            "{}: scenario '{}' is defined twice",
            path.display(),
            w[0]
        ));
    }
    Ok(out)
}
