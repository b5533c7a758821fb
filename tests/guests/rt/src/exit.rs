//! How a guest ends. On Xen: `SCHEDOP_shutdown` (`xen/include/public/sched.h`) with
//! `SHUTDOWN_poweroff` (or the reason set with [`set_final_reason`]), `SHUTDOWN_crash` after
//! ERROR. Without Xen (QEMU booting the guest
//! directly) a write to QEMU's isa-debug-exit device at port 0xf4, if the machine has one
//! (`-device isa-debug-exit,iobase=0xf4,iosize=4`): QEMU exits with status `(code << 1) | 1`,
//! code 0 SUCCESS (status 1), 1 FAILURE (3), 2 SKIP (5), 3 ERROR (7). Without that device,
//! or if the hypervisor refuses the shutdown, the CPU halts with interrupts off.

use core::sync::atomic::{AtomicU32, Ordering};

use ferrite_abi::sched::ShutdownReason;

use crate::cpu;
use crate::harness::Status;
use crate::hypercall;
use crate::xen;

/// QEMU's isa-debug-exit port in the test setup.
pub const ISA_DEBUG_EXIT_PORT: u16 = 0xf4;

static FINAL_REASON: AtomicU32 = AtomicU32::new(ShutdownReason::Poweroff as u32);

/// The reason given to `SCHEDOP_shutdown` after SUCCESS, FAILURE or SKIP (default
/// `SHUTDOWN_poweroff`); for guests that test how the host reacts to dom0's shutdown.
pub fn set_final_reason(reason: ShutdownReason) {
    FINAL_REASON.store(reason.raw(), Ordering::Relaxed);
}

/// Ends the guest with `status`.
pub fn shut_down(status: Status) -> ! {
    if xen::info().is_some() {
        let reason = match status {
            Status::Error => ShutdownReason::Crash,
            _ => ShutdownReason::try_from(FINAL_REASON.load(Ordering::Relaxed))
                .unwrap_or(ShutdownReason::Poweroff),
        };
        let ret = hypercall::shutdown(reason);
        crate::println!(
            "SCHEDOP_shutdown({}) returned {}; halting",
            reason.c_name(),
            hypercall::Ret(ret)
        );
    } else {
        let code = match status {
            Status::Success => 0,
            Status::Failure => 1,
            Status::Skip => 2,
            Status::Error => 3,
        };
        cpu::outl(ISA_DEBUG_EXIT_PORT, code);
    }
    cpu::halt_forever()
}
