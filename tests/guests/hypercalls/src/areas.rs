//! Areas registered by guest-physical address and the time area (`public/vcpu.h`
//! `VCPUOP_register_{runstate,vcpu_time}_phys_area`, `VCPUOP_register_vcpu_time_memory_area`,
//! Xen's `map_guest_area` rules and errno), `HYPERVISOR_vm_assist` (`public/xen.h`),
//! `VCPUOP_send_nmi` to this vCPU, and RDTSCP reading the TSC_AUX this vCPU wrote.

use core::ptr::read_volatile;
use core::sync::atomic::Ordering;

use ferrite_abi::Errno;
use ferrite_abi::vcpu::{VcpuOp, VcpuRunstateInfo, XEN_RUNSTATE_UPDATE};
use ferrite_abi::xen::{Hypercall, VcpuTimeInfo};
use ferrite_guest_rt::hypercall::{self, Ret, errno};
use ferrite_guest_rt::{Outcome, check, cpu, idt, skip, time};

/// One page for the areas (identity-mapped: its virtual address is its physical one).
#[repr(C, align(4096))]
struct Page([u8; 4096]);
static mut AREAS: Page = Page([0; 4096]);

fn at(offset: u64) -> u64 {
    (&raw const AREAS) as u64 + offset
}

fn vcpu_op(op: VcpuOp, vcpu: u32, arg: u64) -> i64 {
    // SAFETY: `arg` is null, points at a live argument, or is a bad address the hypervisor
    // must refuse.
    unsafe { hypercall::vcpu_op(op.raw(), vcpu, arg) }
}

/// Registers an area at `addr` (the argument is a bare 64-bit address).
fn register(op: VcpuOp, vcpu: u32, addr: u64) -> i64 {
    let mut a = addr;
    vcpu_op(op, vcpu, (&raw mut a) as u64)
}

fn time_at(addr: u64) -> VcpuTimeInfo {
    // SAFETY: `addr` is inside AREAS, 8-aligned; the hypervisor writes it only while this
    // vCPU is out of the guest.
    unsafe { read_volatile(addr as *const VcpuTimeInfo) }
}

fn runstate_at(addr: u64) -> VcpuRunstateInfo {
    // SAFETY: as for `time_at`.
    unsafe { read_volatile(addr as *const VcpuRunstateInfo) }
}

/// Placement errors shared by both physical-area sub-ops.
fn phys_area_errors(op: VcpuOp) -> Outcome {
    for (addr, want, what) in [
        (at(4096 - 16), Errno::ENXIO, "crossing a page"),
        (at(4), Errno::ENXIO, "unaligned"),
        (0xc000_0000, Errno::EINVAL, "outside RAM"),
    ] {
        let r = register(op, 0, addr);
        check!(errno(r) == Some(want), "{op:?} {what}: {}", Ret(r));
    }
    let r = vcpu_op(op, 0, 0x1_0000_0000);
    check!(
        errno(r) == Some(Errno::EFAULT),
        "{op:?} from a bad pointer: {}",
        Ret(r)
    );
    let r = register(op, 2, at(0));
    check!(errno(r) == Some(Errno::ENOENT), "{op:?} vCPU 2: {}", Ret(r));
    Ok(())
}

pub fn time_areas() -> Outcome {
    phys_area_errors(VcpuOp::RegisterVcpuTimePhysArea)?;
    let r = register(VcpuOp::RegisterVcpuTimePhysArea, 0, at(0));
    check!(r == 0, "time phys area: {}", Ret(r));
    let now = time::now_ns().unwrap_or(0);
    let t = time_at(at(0));
    check!(
        t.version.is_multiple_of(2),
        "time phys area version {}",
        t.version
    );
    check!(
        // The guest's clock extrapolates an older record: allow it a millisecond of rounding.
        t.system_time > 0 && t.system_time <= now + 1_000_000 && t.tsc_to_system_mul != 0,
        "time phys area: system_time {} (now {now}), mul {}",
        t.system_time,
        t.tsc_to_system_mul
    );
    // By virtual address: filled at once for the calling vCPU.
    let r = register(VcpuOp::RegisterVcpuTimeMemoryArea, 0, at(64));
    check!(r == 0, "time memory area: {}", Ret(r));
    let v = time_at(at(64));
    check!(
        v.version.is_multiple_of(2) && v.system_time >= t.system_time,
        "time memory area: version {} system_time {}",
        v.version,
        v.system_time
    );
    let r = vcpu_op(VcpuOp::RegisterVcpuTimeMemoryArea, 0, 0x1_0000_0000);
    check!(
        errno(r) == Some(Errno::EFAULT),
        "time memory area from a bad pointer: {}",
        Ret(r)
    );
    Ok(())
}

pub fn runstate_phys_area() -> Outcome {
    phys_area_errors(VcpuOp::RegisterRunstatePhysArea)?;
    let r = register(VcpuOp::RegisterRunstatePhysArea, 0, at(4096 - 40));
    check!(
        errno(r) == Some(Errno::ENXIO),
        "48 bytes from 40 before the page end: {}",
        Ret(r)
    );
    let r = register(VcpuOp::RegisterRunstatePhysArea, 0, at(128));
    check!(r == 0, "runstate phys area: {}", Ret(r));
    let now = time::now_ns().unwrap_or(u64::MAX);
    let i = runstate_at(at(128));
    check!(i.state == 0, "state {} (running)", i.state);
    check!(
        i.state_entry_time & XEN_RUNSTATE_UPDATE == 0 && i.state_entry_time <= now + 1_000_000,
        "state_entry_time {:#x} (now {now})",
        i.state_entry_time
    );
    check!(i.time[0] > 0, "time running {}", i.time[0]);
    // vCPU 1 has never run: offline.
    let r = register(VcpuOp::RegisterRunstatePhysArea, 1, at(192));
    check!(r == 0, "vCPU 1's runstate phys area: {}", Ret(r));
    let i = runstate_at(at(192));
    check!(i.state == 3, "vCPU 1 state {} (offline)", i.state);
    let r = register(VcpuOp::RegisterRunstatePhysArea, 1, u64::MAX);
    check!(r == 0, "unregistering with ~0: {}", Ret(r));
    Ok(())
}

fn vm_assist(cmd: u64, ty: u64) -> i64 {
    // SAFETY: vm_assist takes two numbers, no pointers.
    unsafe { hypercall::hypercall6(Hypercall::VmAssist.raw(), cmd, ty, 0, 0, 0, 0) }
}

pub fn vm_assist_types() -> Outcome {
    let r = vm_assist(0, 5);
    check!(r == 0, "enable runstate_update_flag: {}", Ret(r));
    for ty in [0, 2, 3, 32, 64] {
        let r = vm_assist(0, ty);
        check!(
            errno(r) == Some(Errno::EINVAL),
            "VMASST type {ty} for HVM: {}",
            Ret(r)
        );
    }
    let r = vm_assist(2, 5);
    check!(errno(r) == Some(Errno::ENOSYS), "VMASST_CMD 2: {}", Ret(r));
    let r = vm_assist(1, 5);
    check!(r == 0, "disable runstate_update_flag: {}", Ret(r));
    Ok(())
}

pub fn send_nmi_to_self() -> Outcome {
    let before = idt::nmis(0);
    let r = vcpu_op(VcpuOp::SendNmi, 0, 0);
    check!(r == 0, "VCPUOP_send_nmi: {}", Ret(r));
    let n = idt::nmis(0);
    check!(n == before + 1, "{} NMIs taken after one sent", n - before);
    // The handler's IRET opened the window: a second one arrives too.
    let r = vcpu_op(VcpuOp::SendNmi, 0, 0);
    check!(r == 0, "second VCPUOP_send_nmi: {}", Ret(r));
    let n = idt::nmis(0);
    check!(n == before + 2, "{} NMIs taken after two sent", n - before);
    // An NMI sent from inside the handler waits for its IRET, then arrives.
    idt::NMI_RESEND.store(true, Ordering::SeqCst);
    let r = vcpu_op(VcpuOp::SendNmi, 0, 0);
    check!(r == 0, "third VCPUOP_send_nmi: {}", Ret(r));
    check!(
        !idt::NMI_NESTED.load(Ordering::SeqCst),
        "an NMI nested inside the NMI handler"
    );
    // It is delivered right after the IRET (Ferrite single-steps over it), before the
    // hypercall returns here.
    let n = idt::nmis(0);
    check!(n == before + 4, "{} NMIs taken after four sent", n - before);
    let r = vcpu_op(VcpuOp::SendNmi, 0, 8);
    check!(
        errno(r) == Some(Errno::EINVAL),
        "send_nmi with an argument: {}",
        Ret(r)
    );
    let r = vcpu_op(VcpuOp::SendNmi, 2, 0);
    check!(
        errno(r) == Some(Errno::ENOENT),
        "send_nmi to vCPU 2: {}",
        Ret(r)
    );
    Ok(())
}

const MSR_TSC_AUX: u32 = 0xc000_0103;

pub fn rdtscp_tsc_aux() -> Outcome {
    if !cpu::has_rdtscp() {
        skip!("no RDTSCP");
    }
    for v in [0x1234u32, 0xfeed_beef] {
        check!(cpu::wrmsr_safe(MSR_TSC_AUX, u64::from(v)), "TSC_AUX write");
        let read = cpu::rdmsr_safe(MSR_TSC_AUX);
        check!(read == Some(u64::from(v)), "TSC_AUX reads {read:x?}");
        // An exit in between: the value survives the hypervisor's own TSC_AUX.
        let _ = hypercall::xen_version_number();
        let (_, aux) = cpu::rdtscp();
        check!(aux == v, "RDTSCP's TSC_AUX {aux:#x}, wrote {v:#x}");
    }
    check!(
        !cpu::wrmsr_safe(MSR_TSC_AUX, 1 << 32),
        "TSC_AUX takes 32 bits: a wider write must #GP"
    );
    Ok(())
}
