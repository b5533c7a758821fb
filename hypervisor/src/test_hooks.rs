//! Test-only hooks, compiled in only with the `test-hooks` feature (the images
//! `cargo xtask test` boots). `ferrite_test=<what>` on the command line forces a failure path
//! so that a QEMU scenario can check Ferrite's answer to it:
//! - `pagefault`: a write to an unmapped page (page 0), which must give the crash report;
//! - `panic`: a Rust panic;
//! - `overflow`: unbounded recursion into the stack's guard page;
//! - `svm-smoke`: run a tiny 32-bit guest under SVM with nested paging and check its exits
//!   (VMMCALL, CPUID, HLT, a nested page fault), the first step towards PVH guests;
//! - `poison-free`: fill every free frame with 0xa5 before dom0 is built, so a guest can
//!   check that the memory it is given was zeroed;
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
    SvmSmoke,
    PoisonFree,
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
            b"svm-smoke" => Some(Hook::SvmSmoke),
            b"poison-free" => Some(Hook::PoisonFree),
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
        Some(Hook::SvmSmoke) => svm_smoke(),
        Some(Hook::PoisonFree) => {
            let n = ferrite_arch::memory::poison_free(0xa5);
            log::warn!("test hook: filled {n} free frames with 0xa5");
        }
        Some(Hook::NoAcpiTag) | None => {}
    }
}

/// The smoke guest: 32-bit code at GPA 0x1000.
#[cfg(all(feature = "test-hooks", target_os = "none", target_arch = "x86_64"))]
const SMOKE_GUEST: &[u8] = &[
    0xb8, 0x11, 0x00, 0x00, 0x00, // mov eax, 0x11
    0x0f, 0x01, 0xd9, //             vmmcall
    0x31, 0xc0, //                   xor eax, eax
    0x0f, 0xa2, //                   cpuid
    0xb8, 0x22, 0x00, 0x00, 0x00, // mov eax, 0x22
    0xf4, //                         hlt
    0xa1, 0x00, 0x00, 0x00, 0x40, // mov eax, [0x40000000]  (not in the guest's p2m)
    0xf4, //                         hlt
];

#[cfg(all(feature = "test-hooks", target_os = "none", target_arch = "x86_64"))]
fn svm_smoke() {
    use ferrite_arch::memory::OwnedFrames;
    use ferrite_arch::vcpu::Exit;
    use ferrite_arch::x86_64::paging::Perms;
    use ferrite_arch::x86_64::{cpu, space, svm};

    let f = cpu::Features::read();
    match svm::enable_this_cpu(&f) {
        Ok(()) => {}
        Err(e) => {
            log::warn!("SVM smoke test: skipped ({e:?})");
            return;
        }
    };
    // 2 MiB of guest RAM at GPA 0, one large nested page.
    let Some(mut ram) = OwnedFrames::alloc(512, 512) else {
        log::error!("SVM smoke test: no memory for guest RAM");
        return;
    };
    let (Some(iopm), Some(msrpm)) = (OwnedFrames::alloc(3, 1), OwnedFrames::alloc(2, 1)) else {
        log::error!("SVM smoke test: no memory for permission maps");
        return;
    };
    ram.write(0x1000, SMOKE_GUEST);
    let npt = match space::nested_new(false)
        .and_then(|pt| space::nested_map(&pt, 0, ram.pa(), 2 << 20, Perms::RWX).map(|()| pt))
    {
        Ok(pt) => pt,
        Err(e) => {
            log::error!("SVM smoke test: nested tables: {e:?}");
            return;
        }
    };
    let start = svm::Start32 {
        rip: 0x1000,
        rbx: 0,
        asid: 1,
        nested_cr3: npt.root,
        iopm_pa: iopm.pa(),
        msrpm_pa: msrpm.pa(),
    };
    let mut vcpu = match svm::Vcpu::new_32bit(&start) {
        Ok(v) => v,
        Err(e) => {
            log::error!("SVM smoke test: vCPU: {e:?}");
            return;
        }
    };
    let mut seen = 0;
    for _ in 0..16 {
        let exit = match vcpu.run() {
            Ok(e) => e,
            Err(e) => {
                log::error!("SVM smoke test: cannot run: {e:?}");
                return;
            }
        };
        let (rip, rax) = (vcpu.rip(), vcpu.rax());
        log::warn!("SVM smoke test: exit {exit:?} at rip {rip:#x}, rax {rax:#x}");
        match exit {
            Exit::Hypercall { insn_len } | Exit::Cpuid { insn_len } | Exit::Halt { insn_len } => {
                seen += 1;
                vcpu.advance_rip(insn_len);
            }
            Exit::Interrupt | Exit::Nmi | Exit::NmiWindow => {}
            Exit::NestedPageFault { gpa, .. } => {
                let ok = seen == 3 && gpa == 0x4000_0000;
                log::warn!("SVM smoke test: {}", if ok { "PASSED" } else { "FAILED" });
                return;
            }
            Exit::Msr { .. }
            | Exit::Io { .. }
            | Exit::Pause { .. }
            | Exit::Shutdown
            | Exit::Xsetbv
            | Exit::InvalidOpcode
            | Exit::Init
            | Exit::Unhandled { .. } => {
                break;
            }
        }
    }
    log::warn!("SVM smoke test: FAILED");
}

/// SVM exists only on x86_64.
#[cfg(all(
    feature = "test-hooks",
    target_os = "none",
    not(target_arch = "x86_64")
))]
fn svm_smoke() {
    log::warn!("test hook: svm-smoke needs x86_64 SVM; ignored");
}

#[cfg(not(all(feature = "test-hooks", target_os = "none")))]
pub fn after_boot(_cmdline: &[u8]) {}

#[cfg(all(feature = "test-hooks", target_os = "none"))]
fn force_page_fault() {
    // A volatile write through a null pointer is UB in Rust; doing it through the arch's
    // probe keeps Rust's rules intact while still faulting in hardware.
    #[cfg(target_arch = "x86_64")]
    ferrite_arch::x86_64::probe_write(0);
    #[cfg(target_arch = "aarch64")]
    ferrite_arch::aarch64::probe_write(0);
}

/// aarch64 test images: the DTB to use instead of the loader's, when xtask patched one in
/// (QEMU refuses to boot a malformed `-dtb`, so the malformed-DTB scenarios pass it this way).
#[cfg(all(feature = "test-hooks", target_os = "none", target_arch = "aarch64"))]
pub fn dtb_override(loader_dtb: u64) -> u64 {
    ferrite_arch::aarch64::boot::dtb_override().unwrap_or(loader_dtb)
}

#[cfg(all(
    not(feature = "test-hooks"),
    target_os = "none",
    target_arch = "aarch64"
))]
pub fn dtb_override(loader_dtb: u64) -> u64 {
    loader_dtb
}

#[cfg(all(feature = "test-hooks", target_os = "none"))]
#[inline(never)]
#[expect(
    unconditional_recursion,
    reason = "the hook overflows the stack on purpose"
)]
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
