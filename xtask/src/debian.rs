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

/// Debian's current kernel as an ELF vmlinux (what Ferrite's loader takes today).
fn kernel() -> Result<PathBuf, String> {
    let dir = cache_dir()?;
    if let Some(local) = std::env::var_os("FERRITE_DEBIAN_KERNEL") {
        let local = PathBuf::from(local);
        let bytes = std::fs::read(&local)
            .map_err(|e| format!("FERRITE_DEBIAN_KERNEL={}: {e}", local.display()))?;
        if bytes.starts_with(b"\x7fELF") {
            return Ok(local);
        }
        let out = dir.join("local.vmlinux");
        write_elf_from_bzimage(&bytes, &out)
            .map_err(|e| format!("FERRITE_DEBIAN_KERNEL={}: {e}", local.display()))?;
        return Ok(out);
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
    let mut out = unpacked.clone().into_os_string();
    out.push(".vmlinux");
    let out = PathBuf::from(out);
    if !out.is_file() {
        let boot = unpacked.join("boot");
        let vmlinuz = std::fs::read_dir(&boot)
            .map_err(|e| format!("{}: {e}", boot.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("vmlinuz-"))
            })
            .ok_or_else(|| format!("{}: no vmlinuz-* in the package", boot.display()))?;
        let bytes = std::fs::read(&vmlinuz).map_err(|e| format!("{}: {e}", vmlinuz.display()))?;
        write_elf_from_bzimage(&bytes, &out).map_err(|e| format!("{}: {e}", vmlinuz.display()))?;
    }
    Ok(out)
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

/// Where a bzImage's compressed kernel is: (offset, length) in the file, from the setup
/// header (`setup_sects` at 0x1f1, `payload_offset`/`payload_length` at 0x248/0x24c, the
/// payload counted from the protected-mode code after the setup sectors).
fn bzimage_payload(image: &[u8]) -> Result<(usize, usize), String> {
    if image.get(0x202..0x206) != Some(b"HdrS".as_slice()) {
        return Err("not a bzImage (no HdrS setup header) and not an ELF".into());
    }
    let u32_at = |o: usize| {
        image
            .get(o..o + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
            .ok_or("setup header cut short")
    };
    let setup_sects = match image.get(0x1f1).copied().unwrap_or(0) {
        0 => 4,
        n => usize::from(n),
    };
    let start = (setup_sects + 1) * 512 + u32_at(0x248)? as usize;
    let len = u32_at(0x24c)? as usize;
    match start.checked_add(len) {
        Some(end) if end <= image.len() => Ok((start, len)),
        _ => Err("the payload runs past the end of the file".into()),
    }
}

/// Writes the ELF vmlinux inside a bzImage to `out` (the payload is xz or gzip; the host's
/// `xz`/`gzip` decompresses it). Kept apart so that it goes once Ferrite loads bzImages.
fn write_elf_from_bzimage(image: &[u8], out: &Path) -> Result<(), String> {
    use std::io::Write;
    let (start, len) = bzimage_payload(image)?;
    let payload = &image[start..start + len];
    let tool = if payload.starts_with(b"\xfd7zXZ\0") {
        "xz"
    } else if payload.starts_with(b"\x1f\x8b") {
        "gzip"
    } else {
        return Err("the payload is neither xz nor gzip".into());
    };
    let mut child = Command::new(tool)
        .arg("-dc")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{tool}` (apt package xz-utils / gzip): {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let data = payload.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let res = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = writer.join();
    if !res.stdout.starts_with(b"\x7fELF") {
        return Err(format!(
            "`{tool} -dc` of the payload gave no ELF ({}): {}",
            res.status,
            String::from_utf8_lossy(&res.stderr).trim()
        ));
    }
    let tmp = out.with_extension("tmp");
    std::fs::write(&tmp, &res.stdout).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, out).map_err(|e| format!("{}: {e}", out.display()))
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

    fn header(setup_sects: u8, off: u32, len: u32, total: usize) -> Vec<u8> {
        let mut b = vec![0u8; total];
        b[0x1f1] = setup_sects;
        b[0x202..0x206].copy_from_slice(b"HdrS");
        b[0x248..0x24c].copy_from_slice(&off.to_le_bytes());
        b[0x24c..0x250].copy_from_slice(&len.to_le_bytes());
        b
    }

    #[test]
    fn payload_is_found_after_the_setup_sectors() {
        assert_eq!(
            bzimage_payload(&header(2, 0x10, 0x20, 4096)),
            Ok((0x610, 0x20))
        );
        // setup_sects 0 means 4.
        assert_eq!(bzimage_payload(&header(0, 0, 8, 4096)), Ok((0xa00, 8)));
    }

    #[test]
    fn bad_bzimages_are_refused() {
        assert!(bzimage_payload(&[0u8; 100]).is_err());
        assert!(bzimage_payload(&header(2, 0x10, 0x1000, 4096)).is_err());
        assert!(bzimage_payload(&header(2, u32::MAX, u32::MAX, 4096)).is_err());
    }
}
