//! `timers`: Xen system time in `vcpu_info` (`public/xen.h`), `set_timer_op`, the
//! `VCPUOP_*_timer` sub-ops (`public/vcpu.h`) and `VIRQ_TIMER` delivered through the
//! callback vector (`HVM_PARAM_CALLBACK_IRQ`, `public/hvm/params.h`), plus
//! `HVMOP_get_time` and the runstate.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};

use ferrite_abi::Errno;
use ferrite_abi::GuestHandle;
use ferrite_abi::hvm::hvm_op::{HvmOp, XenHvmGetTime};
use ferrite_abi::sched::{SchedOp, SchedPoll};
use ferrite_abi::vcpu::{VcpuOp, VcpuRunstateInfo, VcpuSetPeriodicTimer, VcpuSetSingleshotTimer};
use ferrite_abi::xen::VIRQ_TIMER;
use ferrite_guest_rt::hypercall::{self, Ret, errno};
use ferrite_guest_rt::{Outcome, check, cpu, events, fail, println, time};

ferrite_guest_rt::guest!(
    "timers",
    [
        bind_timer_virq,
        time_moves_forward,
        set_timer_op_fires,
        set_timer_op_past_fires_at_once,
        set_timer_op_zero_cancels,
        timer_preempts_a_busy_loop,
        timer_due_at_entry_preempts,
        singleshot_timer,
        periodic_timer,
        blocked_vcpu_wakes,
        poll_masked_port,
        poll_timeout,
        hvm_get_time,
        runstate,
        local_apic,
    ]
);

const MS: u64 = 1_000_000;
static PORT: AtomicU32 = AtomicU32::new(0);

fn port() -> u32 {
    PORT.load(Ordering::SeqCst)
}

fn now() -> u64 {
    time::now_ns().unwrap_or(0)
}

fn bind_timer_virq() -> Outcome {
    if let Err(e) = events::enable_callback() {
        fail!("HVM_PARAM_CALLBACK_IRQ: {e}");
    }
    match events::bind_virq(VIRQ_TIMER, 0) {
        Ok(p) => PORT.store(p, Ordering::SeqCst),
        Err(e) => fail!("bind_virq(VIRQ_TIMER, 0): {e}"),
    }
    println!("VIRQ_TIMER on port {}", port());
    check!(port() != 0, "port 0 is never handed out");
    check!(
        events::bind_virq(VIRQ_TIMER, 0) == Err(Errno::EEXIST),
        "binding VIRQ_TIMER twice must give EEXIST"
    );
    Ok(())
}

fn time_moves_forward() -> Outcome {
    let mut last = now();
    check!(last > 0, "system time is 0: no time record in vcpu_info");
    for _ in 0..2000 {
        let t = now();
        check!(t >= last, "system time went back: {last} then {t}");
        last = t;
    }
    Ok(())
}

/// Waits for the next delivery on the timer port; returns the time it was seen.
fn wait_tick(before: u32, timeout: u64) -> Option<u64> {
    let p = port();
    events::wait_until(&|| events::hits(p) > before, timeout).then(now)
}

fn set_timer_op_fires() -> Outcome {
    let before = events::hits(port());
    let deadline = now() + 2 * MS;
    let r = hypercall::set_timer_op(deadline);
    check!(r == 0, "set_timer_op returned {}", Ret(r));
    let Some(seen) = wait_tick(before, 2000 * MS) else {
        fail!("no VIRQ_TIMER within 2 s of a 2 ms timer");
    };
    check!(
        seen >= deadline,
        "VIRQ_TIMER at {seen}, before its deadline {deadline}"
    );
    Ok(())
}

fn set_timer_op_past_fires_at_once() -> Outcome {
    let before = events::hits(port());
    let r = hypercall::set_timer_op(1);
    check!(r == 0, "set_timer_op(past) returned {}", Ret(r));
    check!(
        wait_tick(before, 500 * MS).is_some(),
        "a timeout in the past must raise VIRQ_TIMER at once"
    );
    Ok(())
}

fn set_timer_op_zero_cancels() -> Outcome {
    let before = events::hits(port());
    check!(hypercall::set_timer_op(now() + 5 * MS) == 0, "arming");
    check!(hypercall::set_timer_op(0) == 0, "cancelling");
    check!(
        wait_tick(before, 30 * MS).is_none(),
        "a cancelled timer fired"
    );
    Ok(())
}

/// Nanoseconds that `delta` TSC ticks make, by the scale in vCPU 0's time record (read
/// once: `now()` itself exits, through CPUID).
fn tsc_scale() -> Option<impl Fn(u64) -> u64> {
    let (_, _, _, mul, shift) = time::record(0)?;
    Some(move |delta: u64| {
        let d = if shift < 0 {
            delta >> -i32::from(shift)
        } else {
            delta << i32::from(shift)
        };
        ((u128::from(d) * u128::from(mul)) >> 32) as u64
    })
}

/// Spins with interrupts off, making no exit of its own (no PAUSE, no hypercall, no CPUID;
/// RDTSC is not intercepted), until `port` is pending or `limit` ns passed; true if pending.
fn spin_until_pending(port: u32, tsc_ns: &impl Fn(u64) -> u64, limit: u64) -> bool {
    let start = cpu::rdtsc();
    while tsc_ns(cpu::rdtsc().wrapping_sub(start)) < limit {
        if events::is_pending(port) {
            return true;
        }
    }
    false
}

/// Only the hypervisor's host timer can take the CPU back from a vCPU spinning without
/// exits, so its timer fires and marks the port pending. Linux's `do_boot_cpu` waits for an
/// AP in such a loop (`schedule()` with interrupts mostly off).
fn timer_preempts_a_busy_loop() -> Outcome {
    let p = port();
    let before = events::hits(p);
    let Some(tsc_ns) = tsc_scale() else {
        fail!("no time record");
    };
    check!(hypercall::set_timer_op(now() + 2 * MS) == 0, "arming");
    check!(
        spin_until_pending(p, &tsc_ns, 2000 * MS),
        "the port of a 2 ms timer not pending after 2 s of spinning without exits"
    );
    check!(
        events::wait_until(&|| events::hits(p) > before, 500 * MS),
        "the pending VIRQ_TIMER was not delivered once interrupts opened"
    );
    Ok(())
}

/// The same with timers due within microseconds of the hypercall that armed them: the
/// host timer that bounds the next run expires while the hypervisor is still on its way
/// back into the guest, and must still end that run.
fn timer_due_at_entry_preempts() -> Outcome {
    let p = port();
    let Some(tsc_ns) = tsc_scale() else {
        fail!("no time record");
    };
    for i in 0..200u64 {
        let before = events::hits(p);
        check!(
            hypercall::set_timer_op(now() + (i % 50) * 1000) == 0,
            "arming"
        );
        check!(
            spin_until_pending(p, &tsc_ns, 1000 * MS),
            "round {i}: a timer due in {} us not pending after 1 s of spinning",
            i % 50
        );
        check!(
            events::wait_until(&|| events::hits(p) > before, 500 * MS),
            "round {i}: the VIRQ_TIMER was not delivered"
        );
    }
    Ok(())
}

fn vcpu_op<T>(cmd: VcpuOp, vcpu: u32, arg: *mut T) -> i64 {
    // SAFETY: `arg` is null or points at the struct `cmd` reads or writes, alive across the
    // call (or is a deliberately bad address the hypervisor must refuse).
    unsafe { hypercall::vcpu_op(cmd.raw(), vcpu, arg as u64) }
}

fn singleshot_timer() -> Outcome {
    let before = events::hits(port());
    let deadline = now() + 3 * MS;
    let mut t = VcpuSetSingleshotTimer {
        timeout_abs_ns: deadline,
        flags: 0,
        _pad0: 0,
    };
    let r = vcpu_op(VcpuOp::SetSingleshotTimer, 0, &raw mut t);
    check!(r == 0, "VCPUOP_set_singleshot_timer returned {}", Ret(r));
    let Some(seen) = wait_tick(before, 2000 * MS) else {
        fail!("no VIRQ_TIMER from the single-shot timer");
    };
    check!(seen >= deadline, "fired at {seen}, before {deadline}");
    let r = vcpu_op(VcpuOp::SetSingleshotTimer, 1, &raw mut t);
    check!(
        errno(r) == Some(Errno::EINVAL) || errno(r) == Some(Errno::ENOENT),
        "another vCPU's single-shot timer: {}",
        Ret(r)
    );
    let r = vcpu_op(
        VcpuOp::SetSingleshotTimer,
        0,
        0xdead_0000_0000u64 as *mut u8,
    );
    check!(errno(r) == Some(Errno::EFAULT), "bad address: {}", Ret(r));
    let r = vcpu_op(VcpuOp::StopSingleshotTimer, 0, core::ptr::null_mut::<u8>());
    check!(r == 0, "VCPUOP_stop_singleshot_timer: {}", Ret(r));
    Ok(())
}

fn periodic_timer() -> Outcome {
    let mut p = VcpuSetPeriodicTimer { period_ns: MS / 2 };
    let r = vcpu_op(VcpuOp::SetPeriodicTimer, 0, &raw mut p);
    check!(
        errno(r) == Some(Errno::EINVAL),
        "a 0.5 ms period: {}",
        Ret(r)
    );
    let before = events::hits(port());
    p.period_ns = 2 * MS;
    let r = vcpu_op(VcpuOp::SetPeriodicTimer, 0, &raw mut p);
    check!(r == 0, "VCPUOP_set_periodic_timer: {}", Ret(r));
    let start = now();
    let p = port();
    let ticked = events::wait_until(&|| events::hits(p) >= before + 5, 5000 * MS);
    let took = now() - start;
    check!(ticked, "fewer than 5 ticks of a 2 ms periodic timer in 5 s");
    check!(took >= 8 * MS, "5 ticks of 2 ms in {took} ns: too fast");
    let r = vcpu_op(VcpuOp::StopPeriodicTimer, 0, core::ptr::null_mut::<u8>());
    check!(r == 0, "VCPUOP_stop_periodic_timer: {}", Ret(r));
    // Let anything already raised arrive, then expect silence.
    events::wait_until(&|| false, 5 * MS);
    let settled = events::hits(p);
    events::wait_until(&|| false, 30 * MS);
    check!(
        events::hits(p) == settled,
        "the periodic timer ticked after it was stopped"
    );
    Ok(())
}

fn blocked_vcpu_wakes() -> Outcome {
    let before = events::hits(port());
    let mut info = runstate_info();
    let blocked_before = info.time[2];
    // Far enough ahead that the guest reaches HLT first even when the host stalls QEMU for
    // a while: the hypervisor now ends a run at a due timer, so a timer that is due before
    // HLT is delivered instead of being waited for.
    let deadline = now() + 50 * MS;
    check!(hypercall::set_timer_op(deadline) == 0, "arming");
    // HLT with the timer as the only wake-up: the hypervisor must deschedule the vCPU and
    // wake it for the event.
    let p = port();
    events::block_until(&|| events::hits(p) > before);
    check!(
        now() >= deadline,
        "woke at {} before the deadline {deadline}",
        now()
    );
    info = runstate_info();
    check!(
        info.time[2] > blocked_before,
        "no blocked time accounted while halted ({} ns before, {} after)",
        blocked_before,
        info.time[2]
    );
    Ok(())
}

fn sched_poll(ports: &[u32], timeout: u64) -> i64 {
    let mut p = SchedPoll {
        ports: GuestHandle::from_addr(ports.as_ptr() as u64),
        nr_ports: ports.len() as u32,
        _pad0: 0,
        timeout,
    };
    // SAFETY: the hypervisor reads the struct and `ports`, both borrowed across the call.
    unsafe { hypercall::sched_op(SchedOp::Poll.raw(), (&raw mut p) as u64) }
}

/// `SCHEDOP_poll` on the masked timer port: the vCPU sleeps until the timer makes the port
/// pending, although no upcall is raised for a masked port.
fn poll_masked_port() -> Outcome {
    let p = port();
    events::mask(p);
    let deadline = now() + 3 * MS;
    check!(hypercall::set_timer_op(deadline) == 0, "arming");
    let r = sched_poll(&[p], now() + 2000 * MS);
    let woke = now();
    check!(r == 0, "SCHEDOP_poll: {}", Ret(r));
    check!(events::is_pending(p), "woke without the port pending");
    check!(
        woke >= deadline,
        "woke at {woke}, before the timer's {deadline}"
    );
    check!(
        woke < deadline + 1000 * MS,
        "woke by the poll timeout, not the port"
    );
    // Pending already: returns at once.
    check!(sched_poll(&[p], 0) == 0, "poll of a pending port");
    let before = events::hits(p);
    if let Err(e) = events::unmask(p) {
        fail!("unmask: {e}");
    }
    // Unmasking a pending port delivers it.
    check!(
        events::wait_until(&|| events::hits(p) > before, 500 * MS),
        "EVTCHNOP_unmask did not deliver the pending port"
    );
    let too_many = [p; 129];
    let r = sched_poll(&too_many, 0);
    check!(errno(r) == Some(Errno::EINVAL), "129 ports: {}", Ret(r));
    let r = sched_poll(&[4095], 0);
    check!(
        errno(r) == Some(Errno::EINVAL),
        "a port beyond the table: {}",
        Ret(r)
    );
    Ok(())
}

/// `SCHEDOP_poll` with no ports returns at its timeout.
fn poll_timeout() -> Outcome {
    let start = now();
    let r = sched_poll(&[], start + 5 * MS);
    let end = now();
    check!(r == 0, "SCHEDOP_poll: {}", Ret(r));
    check!(
        end >= start + 5 * MS,
        "returned after {} ns of a 5 ms timeout",
        end - start
    );
    Ok(())
}

/// vCPU 0's runstate (all zero, state -1, if the call failed).
fn runstate_info() -> VcpuRunstateInfo {
    hypercall::runstate_info(0).unwrap_or(VcpuRunstateInfo {
        state: -1,
        _pad0: 0,
        state_entry_time: 0,
        time: [0; 4],
    })
}

fn hvm_get_time() -> Outcome {
    let mut t = XenHvmGetTime { now: 0 };
    let before = now();
    // SAFETY: HVMOP_get_time writes the struct, borrowed across the call.
    let r = unsafe { hypercall::hvm_op(HvmOp::GetTime.raw(), (&raw mut t) as u64) };
    let after = now();
    check!(r == 0, "HVMOP_get_time: {}", Ret(r));
    // Both clocks come from the same source; allow the record's rounding.
    check!(
        t.now + MS >= before && t.now <= after + MS,
        "HVMOP_get_time {} outside [{before}, {after}]",
        t.now
    );
    Ok(())
}

fn runstate() -> Outcome {
    let mut info = VcpuRunstateInfo {
        state: -1,
        _pad0: 0,
        state_entry_time: 0,
        time: [0; 4],
    };
    let r = vcpu_op(VcpuOp::GetRunstateInfo, 0, &raw mut info);
    check!(r == 0, "VCPUOP_get_runstate_info: {}", Ret(r));
    check!(
        info.state == 0,
        "vCPU 0 state {}, expected running (0)",
        info.state
    );
    check!(info.time[0] > 0, "no running time accounted");
    check!(
        info.time[2] > 0,
        "no blocked time accounted after the waits"
    );
    let r = vcpu_op(VcpuOp::GetRunstateInfo, 999, &raw mut info);
    check!(errno(r) == Some(Errno::ENOENT), "vCPU 999: {}", Ret(r));
    Ok(())
}

fn apic_read(offset: u64) -> u32 {
    // SAFETY: the local APIC page (identity-mapped) is emulated by the hypervisor; a 32-bit
    // load from a register has no other effect.
    unsafe { core::ptr::read_volatile((0xfee0_0000 + offset) as *const u32) }
}

fn apic_write(offset: u64, value: u32) {
    // SAFETY: as for `apic_read`; the registers written here are the test's own.
    unsafe { core::ptr::write_volatile((0xfee0_0000 + offset) as *mut u32, value) }
}

/// The emulated local APIC: identity, a one-shot timer and a self-IPI, each delivered on the
/// runtime's vector and completed with EOI.
fn local_apic() -> Outcome {
    use ferrite_guest_rt::idt::UPCALL_VECTOR;
    let id = apic_read(0x20) >> 24;
    check!(id == 0, "vCPU 0's APIC id is {id}");
    let ver = apic_read(0x30);
    check!(ver & 0xff == 0x14, "APIC version {ver:#x}");
    apic_write(0xf0, 0x1ff); // software enable, spurious vector 0xff
    check!(apic_read(0xf0) == 0x1ff, "SVR did not stick");
    // One-shot timer, divide by 1, 10 M bus ticks (100 ms at 100 MHz: long enough that the
    // count is still running when read back, even on a loaded host).
    apic_write(0x3e0, 0xb);
    apic_write(0x320, u32::from(UPCALL_VECTOR));
    let before = events::upcalls(0);
    apic_write(0x380, 10_000_000);
    let count = apic_read(0x390);
    check!(count > 0 && count <= 10_000_000, "current count {count}");
    let fired = events::wait_until(&|| events::upcalls(0) > before, 2000 * MS);
    check!(fired, "the APIC timer did not interrupt");
    check!(apic_read(0x390) == 0, "a one-shot timer counts down to 0");
    let isr = apic_read(0x100 + 0x10 * u64::from(UPCALL_VECTOR >> 5));
    check!(
        isr & (1 << (UPCALL_VECTOR & 31)) != 0,
        "the vector is not in service"
    );
    apic_write(0xb0, 0); // EOI
    // Self-IPI through the ICR.
    let before = events::upcalls(0);
    apic_write(0x310, 0);
    apic_write(0x300, (1 << 18) | u32::from(UPCALL_VECTOR));
    let got = events::wait_until(&|| events::upcalls(0) > before, 500 * MS);
    check!(got, "the self-IPI was not delivered");
    apic_write(0xb0, 0);
    check!(
        apic_read(0x100 + 0x10 * u64::from(UPCALL_VECTOR >> 5)) == 0,
        "ISR not cleared by EOI"
    );
    Ok(())
}
