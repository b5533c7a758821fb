//! Test-only hooks, compiled in only with the `test-hooks` feature (the images
//! `cargo xtask test` boots). `ferrite_test=<what>` on the command line forces a failure path
//! so that a QEMU scenario can check Ferrite's answer to it:
//! - `pagefault`: a write to an unmapped page (page 0), which must give the crash report;
//! - `panic`: a Rust panic;
//! - `overflow`: unbounded recursion into the stack's guard page;
//! - `no-acpi-tag`: ignore the loader's copy of the RSDP, so the EFI configuration table (or
//!   BIOS scan) fallback is what finds ACPI.
//!
//! Production images ignore the option (it is then an unknown option, warned about).

/// What a `ferrite_test=` value asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hook {
    PageFault,
    Panic,
    Overflow,
    NoAcpiTag,
}

/// Whether `hook` was requested and this image has the test hooks.
pub fn active(cmdline: &[u8], hook: Hook) -> bool {
    cfg!(feature = "test-hooks") && requested(cmdline) == Some(hook)
}

/// Finds `ferrite_test=<what>` in the command line.
pub fn requested(cmdline: &[u8]) -> Option<Hook> {
    cmdline
        .split(|b| *b == b' ')
        .find_map(|t| t.strip_prefix(b"ferrite_test="))
        .and_then(|v| match v {
            b"pagefault" => Some(Hook::PageFault),
            b"panic" => Some(Hook::Panic),
            b"overflow" => Some(Hook::Overflow),
            b"no-acpi-tag" => Some(Hook::NoAcpiTag),
            _ => None,
        })
}

/// Runs the requested hook once boot is complete.
#[cfg(all(feature = "test-hooks", target_os = "none"))]
pub fn after_boot(cmdline: &[u8]) {
    match requested(cmdline) {
        Some(Hook::PageFault) => {
            log::warn!("test hook: writing to unmapped page 0");
            force_page_fault();
        }
        Some(Hook::Panic) => {
            log::warn!("test hook: panicking");
            panic!("test hook: forced panic");
        }
        Some(Hook::Overflow) => {
            log::warn!("test hook: overflowing the stack");
            recurse(1);
        }
        Some(Hook::NoAcpiTag) | None => {}
    }
}

#[cfg(not(all(feature = "test-hooks", target_os = "none")))]
pub fn after_boot(_cmdline: &[u8]) {}

#[cfg(all(feature = "test-hooks", target_os = "none"))]
fn force_page_fault() {
    // A volatile write through a null pointer is UB in Rust; doing it through the arch's
    // probe keeps Rust's rules intact while still faulting in hardware.
    ferrite_arch::x86_64::probe_write(0);
}

#[cfg(all(feature = "test-hooks", target_os = "none"))]
#[inline(never)]
fn recurse(depth: u64) -> u64 {
    let buf = [depth; 64];
    core::hint::black_box(&buf);
    recurse(depth + 1) + core::hint::black_box(buf[7])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_hook() {
        assert_eq!(
            requested(b"loglvl=all ferrite_test=panic x"),
            Some(Hook::Panic)
        );
        assert_eq!(requested(b"ferrite_test=pagefault"), Some(Hook::PageFault));
        assert_eq!(requested(b"ferrite_test=bogus"), None);
        assert_eq!(requested(b""), None);
    }
}
