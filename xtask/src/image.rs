//! `cargo xtask image`: boot images made from the kernel ELF.
//!
//! - `kernel`: the ELF itself (QEMU `-kernel` boots it through its multiboot1 header).
//! - `pvh`: a copy whose multiboot1 magic is cleared, so QEMU falls through to the
//!   `XEN_ELFNOTE_PHYS32_ENTRY` note and starts it as a PVH kernel; the code is the same.
//! - `grub-bios` / `grub-efi`: a GRUB2 ISO from `grub-mkrescue` (one hybrid image boots both
//!   ways), whose grub.cfg uses `multiboot2` and `module2` exactly as a server's would.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::args::Opts;
use crate::build::{self, Arch, BuildOpts};
use crate::deps::{self, Need};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boot {
    Kernel,
    Pvh,
    GrubBios,
    GrubEfi,
    /// aarch64: a Linux-style `Image` loaded by QEMU with a DTB in x0.
    ArmImage,
}

impl Boot {
    pub fn parse(s: &str) -> Result<Boot, String> {
        match s {
            "kernel" | "multiboot1" => Ok(Boot::Kernel),
            "pvh" => Ok(Boot::Pvh),
            "grub-bios" => Ok(Boot::GrubBios),
            "grub-efi" => Ok(Boot::GrubEfi),
            "image" => Ok(Boot::ArmImage),
            "efi" => Err(
                "direct EFI application boot (xen.efi style) is not implemented yet; \
                          use --boot grub-efi to boot under OVMF through GRUB2"
                    .into(),
            ),
            other => Err(format!(
                "unknown boot path '{other}' (kernel, pvh, grub-bios, grub-efi)"
            )),
        }
    }
}

/// A boot module: a file and its command line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Module {
    pub path: PathBuf,
    pub args: String,
}

impl Module {
    /// Parses `FILE[=ARGS]`.
    pub fn parse(s: &str) -> Module {
        match s.split_once('=') {
            Some((p, a)) => Module {
                path: PathBuf::from(p),
                args: a.to_string(),
            },
            None => Module {
                path: PathBuf::from(s),
                args: String::new(),
            },
        }
    }
}

pub fn cmd(args: &[String]) -> Result<(), String> {
    let mut bopts = BuildOpts::default();
    let mut boot = None;
    let mut cmdline = String::new();
    let mut modules = Vec::new();
    let mut o = Opts::new(args);
    while let Some(a) = o.next_arg() {
        match a {
            "--boot" => boot = Some(Boot::parse(o.value(a)?)?),
            "--arch" => bopts.arch = Arch::parse(o.value(a)?)?,
            "--release" => bopts.release = true,
            "--cmdline" => cmdline = o.value(a)?.to_string(),
            "--module" => modules.push(Module::parse(o.value(a)?)),
            other => return Err(format!("image: unknown option '{other}'")),
        }
    }
    let boot = boot.ok_or("image: --boot is required")?;
    let elf = build::build(&bopts)?;
    let out = make(boot, &elf, &cmdline, &modules)?;
    println!("{}", out.display());
    Ok(())
}

/// Makes the image for `boot` from `elf`.
pub fn make(boot: Boot, elf: &Path, cmdline: &str, modules: &[Module]) -> Result<PathBuf, String> {
    match boot {
        Boot::Kernel => Ok(elf.to_path_buf()),
        Boot::ArmImage => crate::arm::image(elf),
        Boot::Pvh => pvh_image(elf),
        Boot::GrubBios | Boot::GrubEfi => grub_iso(elf, cmdline, modules),
    }
}

fn pvh_image(elf: &Path) -> Result<PathBuf, String> {
    let mut data = std::fs::read(elf).map_err(|e| format!("{}: {e}", elf.display()))?;
    let magic = 0x1bad_b002u32.to_le_bytes();
    let limit = data.len().min(8192);
    let pos = (0..limit.saturating_sub(12))
        .step_by(4)
        .find(|&i| {
            data[i..i + 4] == magic && {
                let word =
                    |o: usize| u32::from_le_bytes([data[o], data[o + 1], data[o + 2], data[o + 3]]);
                word(i).wrapping_add(word(i + 4)).wrapping_add(word(i + 8)) == 0
            }
        })
        .ok_or_else(|| format!("{}: no multiboot1 header in the first 8 KiB", elf.display()))?;
    data[pos..pos + 4].fill(0);
    let out = elf.with_extension("pvh.elf");
    std::fs::write(&out, data).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(out)
}

/// The grub.cfg a server would use to boot Ferrite (and so Xen) with a dom0 and its initrd.
pub fn grub_cfg(cmdline: &str, modules: &[(String, String)]) -> String {
    let mut cfg = String::from(
        "set timeout=0\nset default=0\nserial --unit=0 --speed=115200\n\
         terminal_input serial console\nterminal_output serial console\n\n\
         menuentry 'Ferrite' {\n",
    );
    cfg.push_str(&format!("    multiboot2 /boot/ferrite {cmdline}\n"));
    for (name, args) in modules {
        cfg.push_str(&format!("    module2 /boot/{name} {args}\n"));
    }
    cfg.push_str("    boot\n}\n");
    cfg
}

fn grub_iso(elf: &Path, cmdline: &str, modules: &[Module]) -> Result<PathBuf, String> {
    deps::ensure(&[Need::Grub])?;
    let mut h = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&(elf, cmdline, modules), &mut h);
    let tag = format!("{:016x}", std::hash::Hasher::finish(&h));
    let base = deps::root().join("target/xtask/iso").join(&tag);
    let dir = base.join("root");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("boot/grub")).map_err(|e| format!("{e}"))?;
    std::fs::copy(elf, dir.join("boot/ferrite")).map_err(|e| format!("{e}"))?;
    let mut names = Vec::new();
    for (i, m) in modules.iter().enumerate() {
        let name = format!("mod{i}");
        std::fs::copy(&m.path, dir.join("boot").join(&name))
            .map_err(|e| format!("module {}: {e}", m.path.display()))?;
        names.push((name, m.args.clone()));
    }
    std::fs::write(dir.join("boot/grub/grub.cfg"), grub_cfg(cmdline, &names))
        .map_err(|e| format!("{e}"))?;
    let iso = base.join("ferrite.iso");
    let out = Command::new("grub-mkrescue")
        .arg("-o")
        .arg(&iso)
        .arg(&dir)
        .output()
        .map_err(|e| format!("cannot run grub-mkrescue: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "grub-mkrescue failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(iso)
}
