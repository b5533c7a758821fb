//! Ferrite's test guests (`tests/guests/`, a workspace of its own): builds one by name, and
//! resolves the `@guest:<name>` module paths that scenarios use
//! (`modules = ["@guest:hello=console=hvc0"]`) to the built ELF.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::deps::{self, Need};
use crate::image::Module;

/// The module-path prefix that names a test guest.
pub const PREFIX: &str = "@guest:";

/// The guest a module path names, if it is `@guest:<name>`.
pub fn guest_name(path: &Path) -> Option<&str> {
    path.to_str()?.strip_prefix(PREFIX)
}

/// Builds guest `name` (a package of tests/guests) in release mode and returns its ELF.
pub fn build(name: &str) -> Result<PathBuf, String> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!("'{PREFIX}{name}': not a guest package name"));
    }
    deps::ensure(&[Need::RustSrc])?;
    let root = deps::root();
    // Our own target directory: the guests' lock file and profiles are not the kernel's.
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), PathBuf::from)
        .join("guests");
    // Run from the repository root so that .cargo/config.toml applies: its x86_64-unknown-none
    // rustflags (`-C relocation-model=static`) make the guest run at its link address.
    let st = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&root)
        .args([
            "build",
            "--manifest-path",
            "tests/guests/Cargo.toml",
            "--package",
            name,
            "--bin",
            name,
            "-Zbuild-std=core,alloc,compiler_builtins",
            "-Zbuild-std-features=compiler-builtins-mem",
            "--target",
            "x86_64-unknown-none",
            "--release",
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !st.success() {
        return Err(format!("test guest '{name}' failed to build ({st})"));
    }
    let elf = target_dir.join("x86_64-unknown-none/release").join(name);
    if !elf.is_file() {
        return Err(format!("test guest '{name}': {} is missing", elf.display()));
    }
    Ok(elf)
}

/// Replaces every `@guest:<name>` module path with the built guest, building each guest once.
pub fn resolve<'a>(modules: impl IntoIterator<Item = &'a mut Module>) -> Result<(), String> {
    let mut built: Vec<(String, PathBuf)> = Vec::new();
    for m in modules {
        let Some(name) = guest_name(&m.path).map(str::to_string) else {
            continue;
        };
        let elf = match built.iter().find(|(n, _)| *n == name) {
            Some((_, p)) => p.clone(),
            None => {
                let p = build(&name)?;
                built.push((name, p.clone()));
                p
            }
        };
        m.path = elf;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_guest_modules_only() {
        assert_eq!(guest_name(Path::new("@guest:hello")), Some("hello"));
        assert_eq!(guest_name(Path::new("tests/data/vmlinuz")), None);
        assert_eq!(guest_name(Path::new("/abs/@guest:hello")), None);
    }

    #[test]
    fn refuses_odd_names_without_building() {
        assert!(build("").is_err());
        assert!(build("../hello").is_err());
        assert!(build("hello world").is_err());
    }

    #[test]
    fn leaves_other_modules_alone() {
        let mut mods = [Module::parse("a/b.elf=console=hvc0")];
        assert!(resolve(mods.iter_mut()).is_ok());
        assert_eq!(mods[0].path, PathBuf::from("a/b.elf"));
        assert_eq!(mods[0].args, "console=hvc0");
    }

    /// Builds the `hello` guest for real (build-std, about a minute the first time):
    /// `cargo test -p xtask -- --ignored builds_hello`.
    #[test]
    #[ignore = "builds the guests workspace"]
    fn builds_hello() {
        let mut mods = [Module::parse("@guest:hello=console=hvc0")];
        resolve(mods.iter_mut()).unwrap();
        assert!(mods[0].path.is_file(), "{}", mods[0].path.display());
        assert_eq!(mods[0].args, "console=hvc0");
        let elf = std::fs::read(&mods[0].path).unwrap();
        assert_eq!(&elf[..4], b"\x7fELF");
    }
}
