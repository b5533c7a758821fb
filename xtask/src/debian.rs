//! Real guests from Debian's archive: the current `linux-image-amd64` kernel and
//! `busybox-static`, fetched with `apt-get download`, unpacked with `dpkg-deb -x` and cached
//! under `target/xtask/debian/`; scenarios name them as modules `@debian:kernel` and
//! `@debian:initramfs` (the initramfs is built by `initramfs.rs` around the busybox).
//!
//! Overrides for machines without apt or for trying another kernel: `FERRITE_DEBIAN_KERNEL`
//! (a vmlinuz/bzImage or an ELF vmlinux) and `FERRITE_DEBIAN_BUSYBOX` (a static busybox).
//! The bzImage layout is Linux's Documentation/arch/x86/boot.rst (the setup header).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::deps;
use crate::image::Module;

/// The module-path prefix that names a Debian-built artefact.
pub const PREFIX: &str = "@debian:";

/// The metapackage that depends on the current kernel image package.
const KERNEL_META: &str = "linux-image-amd64";
const BUSYBOX_PKG: &str = "busybox-static";

/// The artefact a module path names, if it is `@debian:<name>`.
pub fn artefact_name(path: &Path) -> Option<&str> {
    path.to_str()?.strip_prefix(PREFIX)
}

/// Replaces every `@debian:kernel` / `@debian:initramfs` module path with the file.
pub fn resolve<'a>(modules: impl IntoIterator<Item = &'a mut Module>) -> Result<(), String> {
    Resolver::default().resolve(modules)
}

/// Resolves `@debian:` modules, fetching and building each artefact at most once (a failure
/// too is remembered, so every scenario that needs it fails with the same message).
#[derive(Default)]
pub struct Resolver {
    done: Vec<(String, Result<PathBuf, String>)>,
}

impl Resolver {
    pub fn resolve<'a>(
        &mut self,
        modules: impl IntoIterator<Item = &'a mut Module>,
    ) -> Result<(), String> {
        for m in modules {
            let Some(name) = artefact_name(&m.path).map(str::to_string) else {
                continue;
            };
            let path = match self.done.iter().find(|(n, _)| *n == name) {
                Some((_, p)) => p.clone(),
                None => {
                    let p = make(&name);
                    self.done.push((name, p.clone()));
                    p
                }
            }?;
            m.path = path;
        }
        Ok(())
    }
}

fn make(name: &str) -> Result<PathBuf, String> {
    match name {
        "kernel" => kernel(),
        "initramfs" => crate::initramfs::build(&busybox()?, &cache_dir()?),
        other => Err(format!(
            "'{PREFIX}{other}': unknown (use {PREFIX}kernel or {PREFIX}initramfs)"
        )),
    }
}

fn cache_dir() -> Result<PathBuf, String> {
    let d = deps::root().join("target/xtask/debian");
    std::fs::create_dir_all(&d).map_err(|e| format!("{}: {e}", d.display()))?;
    Ok(d)
}

/// Debian's current kernel: its bzImage as shipped (Ferrite unpacks it, as Xen does).
fn kernel() -> Result<PathBuf, String> {
    if let Some(local) = std::env::var_os("FERRITE_DEBIAN_KERNEL") {
        // An ELF or a bzImage: Ferrite's loader takes either.
        return Ok(PathBuf::from(local));
    }
    let meta = show(KERNEL_META)?;
    let image_pkg = meta
        .depends
        .split(',')
        .filter_map(|d| d.split_whitespace().next())
        .find(|d| d.starts_with("linux-image-"))
        .ok_or_else(|| format!("{KERNEL_META} depends on no linux-image-* package"))?
        .to_string();
    let unpacked = fetch(&show(&image_pkg)?, &["boot"])?;
    // The bzImage as Debian ships it: Ferrite unpacks it, as Xen does.
    let boot = unpacked.join("boot");
    std::fs::read_dir(&boot)
        .map_err(|e| format!("{}: {e}", boot.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("vmlinuz-"))
        })
        .ok_or_else(|| format!("{}: no vmlinuz-* in the package", boot.display()))
}

/// A statically linked busybox for the initramfs.
fn busybox() -> Result<PathBuf, String> {
    if let Some(local) = std::env::var_os("FERRITE_DEBIAN_BUSYBOX") {
        return Ok(PathBuf::from(local));
    }
    let unpacked = fetch(&show(BUSYBOX_PKG)?, &["bin"])?;
    let bin = unpacked.join("bin/busybox");
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!("{}: not in {BUSYBOX_PKG}", bin.display()))
    }
}

/// The fields of `apt-cache show` this module needs, for the candidate version.
struct Package {
    name: String,
    version: String,
    arch: String,
    depends: String,
}

fn apt_missing(tool: &str) -> String {
    format!(
        "the Debian guest scenarios need `{tool}` (Debian/Ubuntu's apt) to fetch \
         {KERNEL_META} and {BUSYBOX_PKG}, and it is not on this machine; on another system set \
         FERRITE_DEBIAN_KERNEL=/path/to/vmlinuz and FERRITE_DEBIAN_BUSYBOX=/path/to/static/busybox"
    )
}

fn show(pkg: &str) -> Result<Package, String> {
    let out = Command::new("apt-cache")
        .args(["show", "--no-all-versions", pkg])
        .stderr(Stdio::piped())
        .output()
        .map_err(|_| apt_missing("apt-cache"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .map(|v| v.trim().to_string())
    };
    match (field("Version"), field("Architecture")) {
        (Some(version), Some(arch)) if out.status.success() => Ok(Package {
            name: pkg.to_string(),
            version,
            arch,
            depends: field("Depends").unwrap_or_default(),
        }),
        _ => Err(format!(
            "apt-cache knows no package {pkg} ({}): the package lists are missing or stale; \
             run `sudo apt-get update`",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
}

/// Downloads `pkg`'s .deb (unless cached) and unpacks it, keeping only the top-level
/// directories in `keep` (the kernel package's 400 MB of modules are not needed); returns the
/// unpacked tree.
fn fetch(pkg: &Package, keep: &[&str]) -> Result<PathBuf, String> {
    let dir = cache_dir()?;
    // apt-get download writes `name_version_arch.deb` with the epoch's ':' as "%3a".
    let stem = format!(
        "{}_{}_{}",
        pkg.name,
        pkg.version.replace(':', "%3a"),
        pkg.arch
    );
    let deb = dir.join(format!("{stem}.deb"));
    let unpacked = dir.join(&stem);
    if unpacked.join(".unpacked").is_file() {
        return Ok(unpacked);
    }
    if !deb.is_file() {
        eprintln!("xtask: apt-get download {}={}", pkg.name, pkg.version);
        let out = Command::new("apt-get")
            .current_dir(&dir)
            .args(["download", "-q"])
            .arg(format!("{}={}", pkg.name, pkg.version))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|_| apt_missing("apt-get"))?;
        if !out.status.success() || !deb.is_file() {
            return Err(format!(
                "`apt-get download {}={}` failed ({}): {}\n  the Debian guest scenarios need \
                 network access to a Debian mirror and current package lists (`sudo apt-get update`)",
                pkg.name,
                pkg.version,
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    // Unpack next to the final place, then rename: an interrupted run leaves no half tree.
    let tmp = dir.join(format!("{stem}.tmp"));
    let _ = std::fs::remove_dir_all(&tmp);
    let st = Command::new("dpkg-deb")
        .arg("-x")
        .arg(&deb)
        .arg(&tmp)
        .status()
        .map_err(|_| apt_missing("dpkg-deb"))?;
    if !st.success() {
        return Err(format!("dpkg-deb -x {} failed ({st})", deb.display()));
    }
    for e in std::fs::read_dir(&tmp)
        .map_err(|e| format!("{}: {e}", tmp.display()))?
        .filter_map(Result::ok)
    {
        if !keep.iter().any(|k| e.file_name() == *k) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
    std::fs::write(tmp.join(".unpacked"), b"").map_err(|e| format!("{}: {e}", tmp.display()))?;
    let _ = std::fs::remove_dir_all(&unpacked);
    std::fs::rename(&tmp, &unpacked).map_err(|e| format!("{}: {e}", unpacked.display()))?;
    Ok(unpacked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_debian_modules_only() {
        assert_eq!(artefact_name(Path::new("@debian:kernel")), Some("kernel"));
        assert_eq!(artefact_name(Path::new("@guest:hello")), None);
        assert_eq!(artefact_name(Path::new("/x/@debian:kernel")), None);
    }

    #[test]
    fn unknown_artefact_is_refused() {
        let mut mods = [Module::parse("@debian:nothing")];
        assert!(resolve(mods.iter_mut()).is_err());
    }
}
