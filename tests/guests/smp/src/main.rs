//! `smp`: brings up every other vCPU (`VCPUOP_initialise` in 64-bit mode, `VCPUOP_up`;
//! `public/vcpu.h`), routes each one's upcalls to the runtime's vector
//! (`HVMOP_set_evtchn_upcall_vector`), then pings each over an IPI event channel
//! (`EVTCHNOP_bind_ipi`, `public/event_channel.h`) and waits for its answer on vCPU 0's.
//! Then (`others.rs`) each vCPU's time and runstate areas registered by guest-physical
//! address move on as the vCPUs run, `VCPUOP_send_nmi` reaches every vCPU, and RDTSCP gives
//! each vCPU the TSC_AUX it wrote. Run with `dom0_max_vcpus=4`.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};

use ferrite_abi::vcpu::VcpuOp;
use ferrite_guest_rt::hypercall::{self, Ret};
use ferrite_guest_rt::{Outcome, check, cpu, events, fail, println, smp, time};

mod others;
use others::{areas_move_on, nmis_to_every_vcpu, register_areas, tsc_aux_per_vcpu};

ferrite_guest_rt::guest!(
    "smp",
    [
        bring_up,
        register_areas,
        ipis,
        is_up,
        areas_move_on,
        nmis_to_every_vcpu,
        tsc_aux_per_vcpu,
    ]
);

pub(crate) const MAX: usize = 8;
const STACK: usize = 16 * 1024;
pub(crate) const SECOND: u64 = 1_000_000_000;

#[repr(C, align(16))]
struct Stacks([[u8; STACK]; MAX]);
static mut STACKS: Stacks = Stacks([[0; STACK]; MAX]);

static ONLINE: AtomicU32 = AtomicU32::new(0);
/// vCPU i's IPI port (0: none yet).
static PORTS: [AtomicU32; MAX] = [const { AtomicU32::new(0) }; MAX];

pub(crate) fn vcpus() -> u32 {
    // VCPUOP_is_up answers -ENOENT past the last vCPU.
    (1..MAX as u32)
        .find(|&v| {
            // SAFETY: VCPUOP_is_up takes no argument.
            unsafe { hypercall::vcpu_op(VcpuOp::IsUp.raw(), v, 0) < 0 }
        })
        .unwrap_or(MAX as u32)
}

extern "C" fn secondary(id: u64) -> ! {
    smp::ap_init();
    let me = id as u32;
    let seen = time::this_vcpu();
    println!("vCPU {me} online (CPUID says {seen})");
    if cpu::has_rdtscp() {
        // Each vCPU its own TSC_AUX, as Linux stores its CPU number there.
        let _ = cpu::wrmsr_safe(others::MSR_TSC_AUX, others::tsc_aux_of(me));
    }
    ONLINE.fetch_add(1, Ordering::SeqCst);
    // Answer every ping on our port with one on vCPU 0's.
    let mut answered = 0;
    let port = || {
        PORTS
            .get(me as usize)
            .map_or(0, |p| p.load(Ordering::SeqCst))
    };
    loop {
        // Sleep until vCPU 0 pings our port (its IPI is the wake-up).
        events::block_until(&|| port() != 0 && events::hits(port()) > answered);
        answered = events::hits(port());
        others::note_tsc_aux(me);
        if let Err(e) = events::send(PORTS[0].load(Ordering::SeqCst)) {
            println!("vCPU {me}: send to vCPU 0 failed: {e}");
        }
    }
}

fn bring_up() -> Outcome {
    if let Err(e) = events::enable_callback() {
        fail!("callback vector: {e}");
    }
    if cpu::has_rdtscp() {
        let _ = cpu::wrmsr_safe(others::MSR_TSC_AUX, others::tsc_aux_of(0));
    }
    let n = vcpus();
    println!("{n} vCPUs");
    check!(n >= 2, "run this guest with dom0_max_vcpus=2 or more");
    for id in 1..n {
        if let Err(e) = events::set_upcall_vector(id) {
            fail!("upcall vector for vCPU {id}: {e}");
        }
        // SAFETY: each vCPU gets its own stack; only vCPU `id` ever uses it.
        let top = unsafe { (&raw mut STACKS.0[id as usize]) as u64 } + STACK as u64;
        if let Err(e) = smp::start_vcpu(id, secondary, top) {
            fail!("starting vCPU {id}: {e}");
        }
    }
    let all = events::wait_until(&|| ONLINE.load(Ordering::SeqCst) == n - 1, 5 * SECOND);
    check!(
        all,
        "{} of {} secondary vCPUs came online",
        ONLINE.load(Ordering::SeqCst),
        n - 1
    );
    Ok(())
}

/// Pings vCPU `id` on its IPI port and waits for its answer on vCPU 0's.
pub(crate) fn ping(id: u32) -> bool {
    let boot_port = PORTS[0].load(Ordering::SeqCst);
    let before = events::hits(boot_port);
    let port = PORTS
        .get(id as usize)
        .map_or(0, |p| p.load(Ordering::SeqCst));
    events::send(port).is_ok()
        && events::wait_until(&|| events::hits(boot_port) > before, 5 * SECOND)
}

fn ipis() -> Outcome {
    let n = vcpus();
    for id in 0..n {
        match events::bind_ipi(id) {
            Ok(p) => PORTS[id as usize].store(p, Ordering::SeqCst),
            Err(e) => fail!("bind_ipi({id}): {e}"),
        }
    }
    let boot_port = PORTS[0].load(Ordering::SeqCst);
    for id in 1..n {
        let before = events::hits(boot_port);
        let port = PORTS[id as usize].load(Ordering::SeqCst);
        if let Err(e) = events::send(port) {
            fail!("send to vCPU {id}: {e}");
        }
        let answered = events::wait_until(&|| events::hits(boot_port) > before, 5 * SECOND);
        check!(answered, "vCPU {id} did not answer the IPI on port {port}");
        println!("vCPU {id} answered on port {boot_port}");
    }
    Ok(())
}

fn is_up() -> Outcome {
    for id in 0..vcpus() {
        // SAFETY: VCPUOP_is_up takes no argument.
        let r = unsafe { hypercall::vcpu_op(VcpuOp::IsUp.raw(), id, 0) };
        check!(r == 1, "VCPUOP_is_up({id}) = {}", Ret(r));
    }
    Ok(())
}
