//! `bench`: what Ferrite costs a guest, counted in instructions. Under QEMU
//! `-icount shift=0` the TSC advances by one per instruction executed (guest and hypervisor
//! alike), so TSC differences are instruction counts and runs repeat exactly. Prints one
//! `BENCH <name> <instructions>` line per figure for `cargo xtask bench`:
//! - `first_instruction`: the TSC when this guest's Rust code starts (QEMU start to dom0);
//! - `null_hypercall`: one `xen_version(XENVER_version)` round trip;
//! - `cpuid_exit`: one intercepted CPUID (Xen's leaf 0x40000000);
//! - `evtchn_send_delivered`: `EVTCHNOP_send` on an IPI port bound to this vCPU, until the
//!   upcall handler has seen it.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU64, Ordering};

use ferrite_guest_rt::cpu::{cpuid, rdtsc};
use ferrite_guest_rt::{Outcome, check, events, fail, hypercall, println};

ferrite_guest_rt::guest!(
    "bench",
    [first_instruction, null_hypercall, cpuid_exit, evtchn_send]
);

const N: u64 = 1000;
static START: AtomicU64 = AtomicU64::new(0);

fn first_instruction() -> Outcome {
    let t = rdtsc();
    START.store(t, Ordering::SeqCst);
    println!("BENCH first_instruction {t}");
    Ok(())
}

/// The loop's own cost per iteration, measured with an empty body.
fn overhead() -> u64 {
    let t0 = rdtsc();
    for i in 0..N {
        core::hint::black_box(i);
    }
    (rdtsc() - t0) / N
}

fn null_hypercall() -> Outcome {
    let base = overhead();
    let t0 = rdtsc();
    for _ in 0..N {
        core::hint::black_box(hypercall::xen_version_number());
    }
    let per = ((rdtsc() - t0) / N).saturating_sub(base);
    check!(hypercall::xen_version_number() > 0, "xen_version failed");
    println!("BENCH null_hypercall {per}");
    Ok(())
}

fn cpuid_exit() -> Outcome {
    let base = overhead();
    let t0 = rdtsc();
    for _ in 0..N {
        core::hint::black_box(cpuid(0x4000_0000, 0));
    }
    let per = ((rdtsc() - t0) / N).saturating_sub(base);
    println!("BENCH cpuid_exit {per}");
    Ok(())
}

fn evtchn_send() -> Outcome {
    if let Err(e) = events::enable_callback() {
        fail!("callback vector: {e}");
    }
    let port = match events::bind_ipi(0) {
        Ok(p) => p,
        Err(e) => fail!("bind_ipi: {e}"),
    };
    let t0 = rdtsc();
    for i in 0..N {
        let before = events::hits(port);
        if let Err(e) = events::send(port) {
            fail!("send {i}: {e}");
        }
        // The upcall is injected on the way back from the hypercall: it must be taken as
        // soon as interrupts open (after STI's one-instruction shadow).
        // SAFETY: the IDT handles the upcall vector; CLI restores interrupts-off.
        unsafe { core::arch::asm!("sti", "nop", "cli", options(nomem, nostack)) };
        if events::hits(port) <= before {
            fail!("send {i} was not delivered at once");
        }
    }
    let per = (rdtsc() - t0) / N;
    println!("BENCH evtchn_send_delivered {per}");
    Ok(())
}
