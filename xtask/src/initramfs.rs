//! The initramfs the Debian dom0 scenario boots into: a static busybox and an `/init` that
//! prints what userspace sees (CPUs, hypervisor, kernel release) and powers off. Written as a
//! "newc" cpio archive (Linux's Documentation/driver-api/early-userspace/buffer-format.rst),
//! uncompressed, which Linux unpacks as it is.

use std::path::{Path, PathBuf};

/// The applets `/init` runs, linked to /bin/busybox.
const APPLETS: &[&str] = &[
    "sh", "mount", "cat", "grep", "nproc", "uname", "poweroff", "ls", "dmesg",
];

const INIT: &str = r#"#!/bin/sh
# Ferrite's dom0 userspace check: what Linux under Ferrite shows a program, then power off.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
hv=$(cat /sys/hypervisor/type 2>/dev/null || echo none)
echo "Ferrite dom0 userspace: $(nproc) CPUs online, $(grep -c ^processor /proc/cpuinfo) in /proc/cpuinfo, hypervisor $hv, Linux $(uname -r)"
if [ "$hv" = xen ] || [ -d /proc/xen ]; then
    echo "Ferrite dom0 userspace: Xen interfaces present"
else
    echo "Ferrite dom0 userspace: FAIL: no /sys/hypervisor/type = xen and no /proc/xen"
fi
echo "Ferrite dom0 userspace: powering off"
poweroff -f
# poweroff -f only returns if the kernel could not power off.
echo "Ferrite dom0 userspace: FAIL: poweroff returned"
while :; do sleep 1000; done
"#;

/// Builds the initramfs around `busybox` into `dir/initramfs.cpio` and returns its path.
pub fn build(busybox: &Path, dir: &Path) -> Result<PathBuf, String> {
    let bb = std::fs::read(busybox).map_err(|e| format!("{}: {e}", busybox.display()))?;
    if !bb.starts_with(b"\x7fELF") {
        return Err(format!("{}: not an ELF executable", busybox.display()));
    }
    let mut w = Cpio::default();
    for d in ["bin", "dev", "proc", "sys"] {
        w.entry(d, 0o040_755, b"", (0, 0));
    }
    // The kernel opens /dev/console for init's stdio before anything could mount devtmpfs.
    w.entry("dev/console", 0o020_600, b"", (5, 1));
    w.entry("bin/busybox", 0o100_755, &bb, (0, 0));
    for a in APPLETS {
        w.entry(&format!("bin/{a}"), 0o120_777, b"busybox", (0, 0));
    }
    w.entry("init", 0o100_755, INIT.as_bytes(), (0, 0));
    let out = dir.join("initramfs.cpio");
    let tmp = dir.join("initramfs.cpio.tmp");
    std::fs::write(&tmp, w.finish()).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &out).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(out)
}

/// A newc ("070701") cpio writer: a 110-byte ASCII header per entry, the name with its NUL
/// padded to 4 bytes, the data padded to 4 bytes, and a `TRAILER!!!` entry at the end.
#[derive(Default)]
struct Cpio {
    out: Vec<u8>,
    ino: u32,
}

impl Cpio {
    /// Adds one entry: `mode` has the file type bits; `rdev` is (major, minor) for devices.
    fn entry(&mut self, name: &str, mode: u32, data: &[u8], rdev: (u32, u32)) {
        self.ino += 1;
        let nlink = if mode & 0o170_000 == 0o040_000 { 2 } else { 1 };
        let fields = [
            self.ino,
            mode,
            0, // uid
            0, // gid
            nlink,
            0, // mtime: fixed, so the archive is reproducible
            data.len() as u32,
            0, // devmajor
            0, // devminor
            rdev.0,
            rdev.1,
            name.len() as u32 + 1,
            0, // check
        ];
        self.out.extend_from_slice(b"070701");
        for f in fields {
            self.out.extend_from_slice(format!("{f:08x}").as_bytes());
        }
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(0);
        self.pad();
        self.out.extend_from_slice(data);
        self.pad();
    }

    fn pad(&mut self) {
        while !self.out.len().is_multiple_of(4) {
            self.out.push(0);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        self.entry("TRAILER!!!", 0, b"", (0, 0));
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newc_layout() {
        let mut w = Cpio::default();
        w.entry("init", 0o100_755, b"hi", (0, 0));
        let b = w.finish();
        assert!(b.starts_with(b"070701"));
        // ino 1, mode 0o100755 = 0x81ed.
        assert_eq!(&b[6..22], b"00000001000081ed");
        // filesize at field 7, namesize at field 12.
        assert_eq!(&b[6 + 6 * 8..6 + 7 * 8], b"00000002");
        assert_eq!(&b[6 + 11 * 8..6 + 12 * 8], b"00000005");
        // Name "init\0" ends at 115, padded to 116; data "hi" padded to 120.
        assert_eq!(&b[110..116], b"init\0\0");
        assert_eq!(&b[116..120], b"hi\0\0");
        assert_eq!(&b[120..126], b"070701");
        assert!(b.len().is_multiple_of(4));
        // The trailer: its 110-byte header, then "TRAILER!!!\0" and 3 bytes of padding.
        assert_eq!(&b[b.len() - 14..b.len() - 3], b"TRAILER!!!\0");
    }

    #[test]
    fn device_numbers_go_in_rdev() {
        let mut w = Cpio::default();
        w.entry("dev/console", 0o020_600, b"", (5, 1));
        let b = w.finish();
        assert_eq!(&b[6 + 9 * 8..6 + 11 * 8], b"0000000500000001");
    }
}
