//! `shutdown-codes`: `HYPERVISOR_sched_op` argument checks (`xen/include/public/sched.h`), then
//! the guest ends with `SCHEDOP_shutdown(<reason>)`, the reason taken from its command line:
//! `shutdown=poweroff|reboot|suspend|crash|watchdog|soft_reset` (default poweroff). Scenarios
//! use it to check what the host does when dom0 shuts down for each reason.
#![no_std]
#![no_main]

use ferrite_abi::Errno;
use ferrite_abi::sched::{SchedOp, SchedShutdown, ShutdownReason};
use ferrite_guest_rt::hypercall::{self, Ret};
use ferrite_guest_rt::{Outcome, boot, check, exit, fail, println};

ferrite_guest_rt::guest!(
    "shutdown-codes",
    [
        final_reason,
        unknown_subop,
        shutdown_bad_address,
        shutdown_code_bad_address,
        shutdown_code_valid,
    ]
);

/// Guest-virtual addresses the runtime's page tables leave unmapped (above 4 GiB) or that are
/// not canonical: copying an argument from either must give `-EFAULT`.
const BAD_ADDRESSES: [u64; 2] = [0x1_0000_0000, 0x8000_0000_0000_0000];

/// Reads `shutdown=` and sets the reason the guest ends with.
fn final_reason() -> Outcome {
    let mut buf = [0u8; 16];
    let name = boot::cmdline_value("shutdown", &mut buf).unwrap_or("poweroff");
    let Some(reason) = ShutdownReason::ALL
        .iter()
        .find(|r| r.c_name().strip_prefix("SHUTDOWN_") == Some(name))
    else {
        fail!("shutdown={name}: not a SHUTDOWN_* reason");
    };
    println!("will shut down with {}", reason.c_name());
    exit::set_final_reason(*reason);
    Ok(())
}

fn unknown_subop() -> Outcome {
    let known = SchedOp::ALL.iter().map(|op| op.raw()).max().unwrap_or(0);
    for cmd in [known + 1, 0x100, u32::MAX] {
        // SAFETY: the argument is a null pointer that an unknown subop never reaches.
        let ret = unsafe { hypercall::sched_op(cmd, 0) };
        check!(
            ret == Errno::ENOSYS.to_ret(),
            "sched_op({cmd:#x}) returned {}, expected -ENOSYS",
            Ret(ret)
        );
    }
    Ok(())
}

fn shutdown_bad_address() -> Outcome {
    for addr in BAD_ADDRESSES {
        // SAFETY: the address is invalid on purpose; the hypervisor must refuse to read it.
        let ret = unsafe { hypercall::sched_op(SchedOp::Shutdown.raw(), addr) };
        check!(
            ret == Errno::EFAULT.to_ret(),
            "SCHEDOP_shutdown({addr:#x}) returned {}, expected -EFAULT",
            Ret(ret)
        );
    }
    Ok(())
}

fn shutdown_code_bad_address() -> Outcome {
    for addr in BAD_ADDRESSES {
        // SAFETY: as above.
        let ret = unsafe { hypercall::sched_op(SchedOp::ShutdownCode.raw(), addr) };
        check!(
            ret == Errno::EFAULT.to_ret(),
            "SCHEDOP_shutdown_code({addr:#x}) returned {}, expected -EFAULT",
            Ret(ret)
        );
    }
    Ok(())
}

fn shutdown_code_valid() -> Outcome {
    // Records a code for a later shutdown without shutting down; the final SCHEDOP_shutdown
    // then names its own reason.
    let arg = SchedShutdown {
        reason: ShutdownReason::Poweroff.raw(),
    };
    // SAFETY: SCHEDOP_shutdown_code only reads the struct, which outlives the call.
    let ret = unsafe { hypercall::sched_op(SchedOp::ShutdownCode.raw(), (&raw const arg) as u64) };
    check!(ret == 0, "SCHEDOP_shutdown_code returned {}", Ret(ret));
    Ok(())
}
