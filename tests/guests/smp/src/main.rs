//! `smp`: brings up every other vCPU (`VCPUOP_initialise` in 64-bit mode, `VCPUOP_up`;
//! `public/vcpu.h`), routes each one's upcalls to the runtime's vector
//! (`HVMOP_set_evtchn_upcall_vector`), then pings each over an IPI event channel
//! (`EVTCHNOP_bind_ipi`, `public/event_channel.h`) and waits for its answer on vCPU 0's.
//! Then (`others.rs`) each vCPU's time and runstate areas registered by guest-physical
//! address move on as the vCPUs run, `VCPUOP_send_nmi` reaches every vCPU, and RDTSCP gives
//! each vCPU the TSC_AUX it wrote.
//! `parallel` then keeps every vCPU busy for a while and reads their runstates
//! (`VCPUOP_get_runstate_info`): the time they spent running, over the wall time, is how many
//! ran at once. It prints "vCPUs ran in parallel" when that is above 1.5, which only a host
//! with several pCPUs gives. `fpu_state` has every vCPU hold its own value in XMM0 (and the
//! upper half of YMM0 where AVX exists, after XSETBV) across hundreds of PAUSE exits, which
//! hand the pCPU to the others: the hypervisor must switch that state between vCPUs.
//! Run with `dom0_max_vcpus=4`.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

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
        parallel,
        fpu_state,
    ]
);

pub(crate) const MAX: usize = 8;
const STACK: usize = 16 * 1024;
pub(crate) const SECOND: u64 = 1_000_000_000;

#[repr(C, align(16))]
struct Stacks([[u8; STACK]; MAX]);
static mut STACKS: Stacks = Stacks([[0; STACK]; MAX]);

static ONLINE: AtomicU32 = AtomicU32::new(0);
/// How long (ns) a woken vCPU keeps busy before it answers (0: it answers at once). Each
/// counts from its own wake-up, so a late one still overlaps the others.
static BUSY_FOR: AtomicU64 = AtomicU64::new(0);
/// Busy spells the secondaries finished.
static BUSY_DONE: AtomicU32 = AtomicU32::new(0);
/// Set while `fpu_state` runs: a woken secondary checks its registers instead.
static FPU_CHECK: AtomicU32 = AtomicU32::new(0);
/// Secondaries whose registers kept their values, and those whose did not.
static FPU_GOOD: AtomicU32 = AtomicU32::new(0);
static FPU_BAD: AtomicU32 = AtomicU32::new(0);
/// `RUNSTATE_running`.
const RUNNING: usize = 0;
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
        if FPU_CHECK.load(Ordering::SeqCst) != 0 {
            let counter = match registers_hold(me) {
                Ok(()) => &FPU_GOOD,
                Err(e) => {
                    println!("vCPU {me}: {e}");
                    &FPU_BAD
                }
            };
            counter.fetch_add(1, Ordering::SeqCst);
        }
        let busy = BUSY_FOR.load(Ordering::SeqCst);
        if busy != 0 && FPU_CHECK.load(Ordering::SeqCst) == 0 {
            busy_until(time::now_ns().unwrap_or(0).saturating_add(busy));
            BUSY_DONE.fetch_add(1, Ordering::SeqCst);
        }
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

/// Spins on the clock (no exits but the host's own) until system time `end`.
fn busy_until(end: u64) {
    while time::now_ns().is_some_and(|t| t < end) {
        core::hint::spin_loop();
    }
}

/// Time vCPU `id` has spent running, in ns.
fn running_ns(id: u32) -> Result<u64, i64> {
    let info = hypercall::runstate_info(id)?;
    Ok(info.time.get(RUNNING).copied().unwrap_or(0))
}

fn parallel() -> Outcome {
    const WINDOW: u64 = SECOND / 5;
    let n = vcpus();
    let boot_port = PORTS[0].load(Ordering::SeqCst);
    check!(boot_port != 0, "the ipis test did not bind the ports");
    let mut before = [0u64; MAX];
    for id in 0..n {
        match running_ns(id) {
            Ok(t) => before[id as usize] = t,
            Err(r) => fail!("VCPUOP_get_runstate_info({id}): {}", Ret(r)),
        }
    }
    let Some(start) = time::now_ns() else {
        fail!("no system time");
    };
    BUSY_FOR.store(WINDOW, Ordering::SeqCst);
    let done = BUSY_DONE.load(Ordering::SeqCst);
    for id in 1..n {
        let port = PORTS[id as usize].load(Ordering::SeqCst);
        if let Err(e) = events::send(port) {
            fail!("send to vCPU {id}: {e}");
        }
    }
    busy_until(start + WINDOW);
    // Their answers on vCPU 0's port may merge into one event: count the spells instead.
    let all = events::wait_until(
        &|| BUSY_DONE.load(Ordering::SeqCst) >= done + n - 1,
        5 * SECOND,
    );
    check!(all, "not every vCPU finished its busy spell");
    let Some(end) = time::now_ns() else {
        fail!("no system time");
    };
    let mut ran = 0u64;
    for id in 0..n {
        match running_ns(id) {
            Ok(t) => ran += t.saturating_sub(before[id as usize]),
            Err(r) => fail!("VCPUOP_get_runstate_info({id}): {}", Ret(r)),
        }
    }
    let wall = end.saturating_sub(start).max(1);
    let tenths = ran * 10 / wall;
    println!(
        "{n} vCPUs ran {} ms in {} ms: {}.{} at once",
        ran / 1_000_000,
        wall / 1_000_000,
        tenths / 10,
        tenths % 10
    );
    // vCPU 0 alone was busy for the whole window (a fixed schedule may idle the rest).
    check!(
        ran >= WINDOW / 2,
        "the vCPUs ran {} ms in a {} ms busy window",
        ran / 1_000_000,
        WINDOW / 1_000_000
    );
    if tenths >= 15 {
        println!("vCPUs ran in parallel");
    }
    Ok(())
}

/// Turns on SSE (CR0.EM off, CR0.MP, CR4.OSFXSR/OSXMMEXCPT) and, where the CPU has XSAVE and
/// AVX, CR4.OSXSAVE with XCR0 = x87|SSE|AVX; returns whether AVX is usable.
fn enable_vector_state() -> bool {
    let l1 = ferrite_guest_rt::cpu::cpuid(1, 0);
    let avx = l1.ecx & (1 << 26) != 0 && l1.ecx & (1 << 28) != 0;
    // SAFETY: CPL 0; the CR0/CR4 bits set are architectural, OSXSAVE only with XSAVE, and
    // XCR0 = 7 is valid wherever AVX is reported. Nothing else in this guest uses SSE.
    unsafe {
        core::arch::asm!(
            "mov {t}, cr0",
            "and {t}, ~4",
            "or {t}, 2",
            "mov cr0, {t}",
            "mov {t}, cr4",
            "or {t}, 0x600",
            "mov cr4, {t}",
            t = out(reg) _,
            options(nostack)
        );
        if avx {
            core::arch::asm!(
                "mov {t}, cr4",
                "bts {t}, 18",
                "mov cr4, {t}",
                "xor ecx, ecx",
                "xor edx, edx",
                "mov eax, 7",
                "xsetbv",
                t = out(reg) _,
                out("eax") _,
                out("ecx") _,
                out("edx") _,
                options(nostack)
            );
        }
    }
    if avx {
        let l1 = ferrite_guest_rt::cpu::cpuid(1, 0);
        if l1.ecx & (1 << 27) == 0 {
            println!("CPUID.1:ECX.OSXSAVE is clear after setting CR4.OSXSAVE");
        }
    }
    avx
}

/// Puts vCPU `me`'s own values in XMM0 (and YMM0's upper half), gives the pCPU away with
/// PAUSE many times, and checks they are still there.
fn registers_hold(me: u32) -> Result<(), &'static str> {
    let avx = enable_vector_state();
    let low = 0x0101_0101_0101_0101u64 * u64::from(me + 1);
    let high = !low;
    // SAFETY: SSE (and AVX when `avx`) is enabled above; only XMM0-XMM2/YMM0 change, which
    // nothing else in this guest uses.
    unsafe {
        core::arch::asm!("movq xmm0, {}", in(reg) low, options(nomem, nostack));
        if avx {
            core::arch::asm!(
                "movq xmm1, {}",
                "vinsertf128 ymm0, ymm0, xmm1, 1",
                in(reg) high,
                options(nomem, nostack)
            );
        }
    }
    for _ in 0..300 {
        // Under TCG every PAUSE exits, and the scheduler may run another vCPU here.
        for _ in 0..4 {
            core::hint::spin_loop();
        }
        let (got_low, got_high): (u64, u64);
        // SAFETY: as above; reads XMM0 and YMM0's upper half through XMM2.
        unsafe {
            core::arch::asm!("movq {}, xmm0", out(reg) got_low, options(nomem, nostack));
            got_high = if avx {
                let h: u64;
                core::arch::asm!(
                    "vextractf128 xmm2, ymm0, 1",
                    "movq {}, xmm2",
                    out(reg) h,
                    options(nomem, nostack)
                );
                h
            } else {
                high
            };
        }
        if got_low != low {
            return Err("XMM0 changed under it");
        }
        if got_high != high {
            return Err("YMM0's upper half changed under it");
        }
    }
    Ok(())
}

fn fpu_state() -> Outcome {
    let n = vcpus();
    FPU_CHECK.store(1, Ordering::SeqCst);
    let (good, bad) = (
        FPU_GOOD.load(Ordering::SeqCst),
        FPU_BAD.load(Ordering::SeqCst),
    );
    for id in 1..n {
        let port = PORTS[id as usize].load(Ordering::SeqCst);
        if let Err(e) = events::send(port) {
            fail!("send to vCPU {id}: {e}");
        }
    }
    let mine = registers_hold(0);
    let all = events::wait_until(
        &|| FPU_GOOD.load(Ordering::SeqCst) + FPU_BAD.load(Ordering::SeqCst) >= good + bad + n - 1,
        10 * SECOND,
    );
    FPU_CHECK.store(0, Ordering::SeqCst);
    if let Err(e) = mine {
        fail!("vCPU 0: {e}");
    }
    check!(all, "not every vCPU finished its register check");
    let lost = FPU_BAD.load(Ordering::SeqCst) - bad;
    check!(
        lost == 0,
        "{lost} secondary vCPU(s) saw another's register values"
    );
    println!("{n} vCPUs kept their own XMM/YMM values");
    Ok(())
}
