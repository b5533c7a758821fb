//! `cargo xtask build`: the kernel image for one architecture.

use std::path::PathBuf;
use std::process::Command;

use crate::args::Opts;
use crate::deps::{self, Need};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Arch {
    X86_64,
    Aarch64,
}

impl Arch {
    pub fn parse(s: &str) -> Result<Arch, String> {
        match s {
            "x86_64" | "x86" => Ok(Arch::X86_64),
            "aarch64" | "arm64" => Ok(Arch::Aarch64),
            other => Err(format!("unknown arch '{other}' (x86_64 or aarch64)")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Aarch64 => "aarch64",
        }
    }

    pub fn target(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64-unknown-none",
            Arch::Aarch64 => "aarch64-unknown-none",
        }
    }
}

/// What to build.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BuildOpts {
    pub arch: Arch,
    pub release: bool,
    /// Build the test-only hooks in (`cargo xtask test` images).
    pub test_hooks: bool,
}

impl Default for BuildOpts {
    fn default() -> Self {
        BuildOpts {
            arch: Arch::X86_64,
            release: false,
            test_hooks: false,
        }
    }
}

pub fn cmd(args: &[String]) -> Result<(), String> {
    let mut opts = BuildOpts::default();
    let mut o = Opts::new(args);
    while let Some(a) = o.next_arg() {
        match a {
            "--arch" => opts.arch = Arch::parse(o.value(a)?)?,
            "--release" => opts.release = true,
            "--test-hooks" => opts.test_hooks = true,
            other => return Err(format!("build: unknown option '{other}'")),
        }
    }
    let path = build(&opts)?;
    println!("{}", path.display());
    Ok(())
}

/// Builds the kernel and returns the path of a copy of the image that later builds with other
/// options will not overwrite.
pub fn build(opts: &BuildOpts) -> Result<PathBuf, String> {
    deps::ensure(&[Need::RustSrc])?;
    let root = deps::root();
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(&root).args([
        "build",
        "--package",
        "ferrite",
        "--bin",
        "ferrite",
        "-Zbuild-std=core,alloc,compiler_builtins",
        "-Zbuild-std-features=compiler-builtins-mem",
        "--target",
        opts.arch.target(),
    ]);
    if opts.release {
        cmd.arg("--release");
    }
    if opts.test_hooks {
        cmd.args(["--features", "test-hooks"]);
    }
    let st = cmd.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if !st.success() {
        return Err(format!("kernel build failed ({st})"));
    }
    let profile = if opts.release { "release" } else { "debug" };
    let built = root
        .join("target")
        .join(opts.arch.target())
        .join(profile)
        .join("ferrite");
    let out_dir = root.join("target/xtask/images");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let name = format!(
        "ferrite-{}-{}{}.elf",
        opts.arch.name(),
        profile,
        if opts.test_hooks { "-test" } else { "" }
    );
    let out = out_dir.join(name);
    std::fs::copy(&built, &out).map_err(|e| format!("copying {}: {e}", built.display()))?;
    Ok(out)
}
