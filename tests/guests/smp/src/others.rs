//! The smp guest's other cases: areas registered by guest-physical address for every vCPU
//! (`VCPUOP_register_{vcpu_time,runstate}_phys_area`, `public/vcpu.h`) kept current as the
//! vCPUs are scheduled, `VCPUOP_send_nmi` to every vCPU (counted by the runtime's NMI
//! handler), and RDTSCP returning each vCPU's own TSC_AUX.

use core::ptr::read_volatile;
use core::sync::atomic::{AtomicU32, Ordering};

use ferrite_abi::vcpu::{VcpuOp, VcpuRunstateInfo, XEN_RUNSTATE_UPDATE};
use ferrite_abi::xen::VcpuTimeInfo;
use ferrite_guest_rt::hypercall::{self, Ret};
use ferrite_guest_rt::{Outcome, check, cpu, events, idt, skip};

use crate::{MAX, SECOND, ping, vcpus};

pub(crate) const MSR_TSC_AUX: u32 = 0xc000_0103;

/// The TSC_AUX vCPU `id` writes.
pub(crate) fn tsc_aux_of(id: u32) -> u64 {
    0x100 + u64::from(id)
}

/// What RDTSCP returned on each vCPU when it last answered a ping (+1; 0: never).
static AUX_SEEN: [AtomicU32; MAX] = [const { AtomicU32::new(0) }; MAX];

/// Called by each secondary vCPU as it answers a ping.
pub(crate) fn note_tsc_aux(me: u32) {
    if cpu::has_rdtscp()
        && let Some(slot) = AUX_SEEN.get(me as usize)
    {
        slot.store(cpu::rdtscp().1.wrapping_add(1), Ordering::SeqCst);
    }
}

/// One page: vCPU i's time record at i * 64, its runstate at 2048 + i * 64.
#[repr(C, align(4096))]
struct Page([u8; 4096]);
static mut AREAS: Page = Page([0; 4096]);

fn time_area(id: u32) -> u64 {
    (&raw const AREAS) as u64 + u64::from(id) * 64
}

fn runstate_area(id: u32) -> u64 {
    time_area(id) + 2048
}

fn time_at(id: u32) -> VcpuTimeInfo {
    // SAFETY: inside AREAS and aligned; a torn read is caught by the version check.
    unsafe { read_volatile(time_area(id) as *const VcpuTimeInfo) }
}

fn runstate_at(id: u32) -> VcpuRunstateInfo {
    // SAFETY: as for `time_at`.
    unsafe { read_volatile(runstate_area(id) as *const VcpuRunstateInfo) }
}

fn register(op: VcpuOp, id: u32, addr: u64) -> i64 {
    let mut a = addr;
    // SAFETY: the hypervisor reads the 8-byte address, borrowed across the call.
    unsafe { hypercall::vcpu_op(op.raw(), id, (&raw mut a) as u64) }
}

/// System time each vCPU's time area showed at registration.
static FIRST: [core::sync::atomic::AtomicU64; MAX] =
    [const { core::sync::atomic::AtomicU64::new(0) }; MAX];

pub fn register_areas() -> Outcome {
    for id in 0..vcpus() {
        let r = register(VcpuOp::RegisterVcpuTimePhysArea, id, time_area(id));
        check!(r == 0, "vCPU {id}'s time phys area: {}", Ret(r));
        let r = register(VcpuOp::RegisterRunstatePhysArea, id, runstate_area(id));
        check!(r == 0, "vCPU {id}'s runstate phys area: {}", Ret(r));
        let t = time_at(id);
        check!(
            t.version.is_multiple_of(2) && t.system_time > 0,
            "vCPU {id}'s time area: version {} system_time {}",
            t.version,
            t.system_time
        );
        FIRST[id as usize].store(t.system_time, Ordering::SeqCst);
    }
    Ok(())
}

/// After the IPIs every vCPU has run and blocked: its records moved on.
pub fn areas_move_on() -> Outcome {
    for id in 0..vcpus() {
        let t = time_at(id);
        let first = FIRST[id as usize].load(Ordering::SeqCst);
        check!(
            t.version.is_multiple_of(2) && t.system_time > first,
            "vCPU {id}'s time area: version {}, system_time {} (was {first})",
            t.version,
            t.system_time
        );
        let r = runstate_at(id);
        // The secondaries have blocked and woken since; vCPU 0 may have run without a break
        // (on a pCPU of its own), its runstate unchanged since before the registration.
        check!(
            r.state_entry_time & XEN_RUNSTATE_UPDATE == 0
                && (r.state_entry_time > first || (id == 0 && r.state == 0)),
            "vCPU {id}'s runstate: state {}, entered {:#x} (registered at {first})",
            r.state,
            r.state_entry_time
        );
        check!((0..=3).contains(&r.state), "vCPU {id}: state {}", r.state);
        check!(r.time[0] > 0, "vCPU {id} never ran: {:?}", r.time);
        if id != 0 {
            check!(r.time[2] > 0, "vCPU {id} never blocked: {:?}", r.time);
        }
    }
    Ok(())
}

pub fn nmis_to_every_vcpu() -> Outcome {
    for id in 0..vcpus() {
        let before = idt::nmis(id);
        // SAFETY: VCPUOP_send_nmi takes no argument.
        let r = unsafe { hypercall::vcpu_op(VcpuOp::SendNmi.raw(), id, 0) };
        check!(r == 0, "send_nmi to vCPU {id}: {}", Ret(r));
        // A blocked vCPU is woken for it.
        let taken = events::wait_until(&|| idt::nmis(id) > before, 5 * SECOND);
        check!(taken, "vCPU {id} took no NMI");
        check!(
            idt::nmis(id) == before + 1,
            "vCPU {id} took {} NMIs for one",
            idt::nmis(id) - before
        );
    }
    Ok(())
}

pub fn tsc_aux_per_vcpu() -> Outcome {
    if !cpu::has_rdtscp() {
        skip!("no RDTSCP");
    }
    for id in 1..vcpus() {
        check!(ping(id), "vCPU {id} did not answer");
        let seen = AUX_SEEN[id as usize].load(Ordering::SeqCst);
        check!(
            u64::from(seen.wrapping_sub(1)) == tsc_aux_of(id),
            "vCPU {id}: RDTSCP's TSC_AUX {:#x}, it wrote {:#x}",
            seen.wrapping_sub(1),
            tsc_aux_of(id)
        );
    }
    let (_, mine) = cpu::rdtscp();
    check!(
        u64::from(mine) == tsc_aux_of(0),
        "vCPU 0: RDTSCP's TSC_AUX {mine:#x}"
    );
    Ok(())
}
