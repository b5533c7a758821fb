//! Host prerequisites: each command checks what it needs and either installs it or names it.
//!
//! On a user's machine the normal route is taken: `rustup component add rust-src` and Debian
//! packages by name. In this project's sandbox, `../shared` carries an installer and a
//! rust-src rebuilt from the toolchain's docs; it is used where the normal route fails here.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or(manifest.clone(), Path::to_path_buf)
}

fn shared() -> Option<PathBuf> {
    let s = root().join("..").join("shared");
    s.is_dir().then_some(s)
}

/// A host tool and the Debian package that provides it.
#[derive(Clone, Copy)]
pub enum Need {
    QemuX86,
    QemuArm,
    Grub,
    Ovmf,
    RustSrc,
}

fn have_cmd(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd} >/dev/null 2>&1")])
        .status()
        .is_ok_and(|s| s.success())
}

impl Need {
    fn missing_packages(self) -> Vec<&'static str> {
        let mut v = Vec::new();
        match self {
            Need::QemuX86 => {
                if !have_cmd("qemu-system-x86_64") {
                    v.push("qemu-system-x86");
                }
            }
            Need::QemuArm => {
                if !have_cmd("qemu-system-aarch64") {
                    v.push("qemu-system-arm");
                }
            }
            Need::Grub => {
                if !have_cmd("grub-mkrescue") {
                    v.push("grub-common");
                }
                if !Path::new("/usr/lib/grub/i386-pc").is_dir() {
                    v.push("grub-pc-bin");
                }
                if !Path::new("/usr/lib/grub/x86_64-efi").is_dir() {
                    v.push("grub-efi-amd64-bin");
                }
                if !have_cmd("xorriso") {
                    v.push("xorriso");
                }
                if !have_cmd("mformat") {
                    v.push("mtools");
                }
            }
            Need::Ovmf => {
                if ovmf_path().is_none() {
                    v.push("ovmf");
                }
            }
            Need::RustSrc => {}
        }
        v
    }
}

/// The OVMF firmware image, if installed.
pub fn ovmf_path() -> Option<PathBuf> {
    ["/usr/share/ovmf/OVMF.fd", "/usr/share/qemu/OVMF.fd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

fn rust_src_present() -> bool {
    let out = Command::new("rustc").args(["--print", "sysroot"]).output();
    let Ok(out) = out else { return false };
    let sysroot = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Path::new(&sysroot)
        .join("lib/rustlib/src/rust/library/core/src/lib.rs")
        .is_file()
}

static CHECKED: OnceLock<Result<(), String>> = OnceLock::new();

/// Makes sure everything in `needs` is there, installing it where this machine allows.
pub fn ensure(needs: &[Need]) -> Result<(), String> {
    // The sandbox installer is idempotent and fast once done; run it once per xtask process.
    if let Some(shared) = shared() {
        let script = shared.join("setup/install-host-deps");
        if script.is_file() {
            CHECKED
                .get_or_init(|| {
                    let st = Command::new("bash")
                        .arg(&script)
                        .status()
                        .map_err(|e| format!("running {}: {e}", script.display()))?;
                    if st.success() {
                        Ok(())
                    } else {
                        Err(format!("{} failed ({st})", script.display()))
                    }
                })
                .clone()?;
        }
    }
    let mut missing: Vec<&str> = needs.iter().flat_map(|n| n.missing_packages()).collect();
    missing.sort_unstable();
    missing.dedup();
    if !missing.is_empty() {
        return Err(format!(
            "missing host packages: {}\n  install them with: sudo apt-get install {}",
            missing.join(" "),
            missing.join(" ")
        ));
    }
    if needs.iter().any(|n| matches!(n, Need::RustSrc)) && !rust_src_present() {
        ensure_rust_src()?;
    }
    Ok(())
}

fn ensure_rust_src() -> Result<(), String> {
    eprintln!("xtask: rust-src is missing; trying `rustup component add rust-src`");
    let ok = Command::new("rustup")
        .args(["component", "add", "rust-src"])
        .status()
        .is_ok_and(|s| s.success());
    if ok && rust_src_present() {
        return Ok(());
    }
    if let Some(shared) = shared() {
        let script = shared.join("toolchain/rust-src-from-docs");
        if script.is_file() {
            let st = Command::new(&script)
                .status()
                .map_err(|e| format!("running {}: {e}", script.display()))?;
            if st.success() && rust_src_present() {
                return Ok(());
            }
        }
    }
    Err(
        "the nightly toolchain has no rust-src, which -Zbuild-std needs: \
         run `rustup component add rust-src`"
            .into(),
    )
}
