//! A Rust panic in Ferrite is a hypervisor crash: the same report as a fatal trap.

use ferrite_arch::crash::{self, CrashReport};

pub fn report(info: &core::panic::PanicInfo<'_>) -> ! {
    let mut bt = [0u64; crash::MAX_FRAMES];
    #[cfg(target_arch = "aarch64")]
    let (fp, n) = {
        let fp = ferrite_arch::aarch64::cpu::frame_pointer();
        (
            fp,
            crash::walk_frames(fp, ferrite_arch::stacks::read_stack_word, &mut bt),
        )
    };
    #[cfg(target_arch = "x86_64")]
    let (fp, n) = {
        let fp = ferrite_arch::x86_64::cpu::frame_pointer();
        (
            fp,
            crash::walk_frames(fp, ferrite_arch::x86_64::stacks::read_stack_word, &mut bt),
        )
    };
    let (file, line) = info.location().map_or(("?", 0), |l| (l.file(), l.line()));
    let r = CrashReport {
        what: format_args!("Ferrite panic: {} at {file}:{line}", info.message()),
        cpu: ferrite_arch::percpu::this_cpu()
            .index
            .load(core::sync::atomic::Ordering::Relaxed),
        arch: if cfg!(target_arch = "x86_64") {
            "x86_64"
        } else {
            "aarch64"
        },
        ip: bt.first().copied().unwrap_or(0),
        sp: fp,
        regs: &[],
        system: &[],
        backtrace: bt.get(1..n).unwrap_or(&[]),
    };
    super::shutdown::crash(&r)
}
