//! `hypercalls`: argument handling of `multicall` (`public/xen.h`), `vcpu_op`
//! (`public/vcpu.h`), `hvm_op` (`public/hvm/hvm_op.h`, `params.h`) and the copy rules every
//! hypercall shares: unaligned buffers work, a bad address or a buffer that runs into an
//! unmapped page gives `-EFAULT`, unknown numbers and sub-ops `-ENOSYS`; and (`areas.rs`) the
//! runstate and time areas, `vm_assist`, NMIs and TSC_AUX. Run with `dom0_max_vcpus=2`.
#![no_std]
#![no_main]

use ferrite_abi::Errno;
use ferrite_abi::hvm::hvm_op::{HvmOp, XenHvmParam};
use ferrite_abi::vcpu::{VcpuOp, VcpuRegisterVcpuInfo};
use ferrite_abi::version::XenverCmd;
use ferrite_abi::xen::{DOMID_SELF, Hypercall, MulticallEntry};
use ferrite_guest_rt::hypercall::{self, Ret, errno};
use ferrite_guest_rt::{Outcome, check, fail, paging};

mod areas;
use areas::{rdtscp_tsc_aux, runstate_phys_area, send_nmi_to_self, time_areas, vm_assist_types};

ferrite_guest_rt::guest!(
    "hypercalls",
    [
        multicall_batch,
        multicall_bad_list,
        vcpu_op_bring_up_queries,
        hvm_params,
        hvm_op_errors,
        unaligned_buffers,
        page_crossing_buffers,
        register_vcpu_info,
        prefixed_vmmcall,
        other_vendors_hypercall,
        scheduler_domctl_sysctl,
        balloon,
        msrs,
        ports_ferrite_keeps,
        wallclock,
        time_areas,
        runstate_phys_area,
        vm_assist_types,
        send_nmi_to_self,
        rdtscp_tsc_aux,
    ]
);

/// A 2 MiB guest-virtual hole, made by `page_crossing_buffers` (inside RAM-backed space of
/// the 64 MiB guest but unused by the runtime).
const HOLE: u64 = 0x0200_0000;

fn entry(op: Hypercall, args: [u64; 6]) -> MulticallEntry {
    MulticallEntry {
        op: u64::from(op.raw()),
        result: 0xdead,
        args,
    }
}

fn multicall(list: u64, n: u64) -> i64 {
    // SAFETY: `list` points at `n` entries the hypervisor reads and writes back (or is a
    // deliberately bad address).
    unsafe { hypercall::hypercall6(Hypercall::Multicall.raw(), list, n, 0, 0, 0, 0) }
}

fn multicall_batch() -> Outcome {
    let mut calls = [
        entry(Hypercall::XenVersion, [0; 6]),
        entry(Hypercall::SetTimerOp, [0; 6]),
        MulticallEntry {
            op: 999,
            result: 0xdead,
            args: [0; 6],
        },
        entry(Hypercall::Multicall, [0, 0, 0, 0, 0, 0]),
        entry(Hypercall::XenVersion, [1 << 20, 0, 0, 0, 0, 0]),
    ];
    let r = multicall(calls.as_mut_ptr() as u64, calls.len() as u64);
    check!(r == 0, "multicall returned {}", Ret(r));
    let res = calls.map(|c| c.result as i64);
    check!(
        res[0] == hypercall::xen_version_number(),
        "xen_version in a batch: {}",
        Ret(res[0])
    );
    check!(res[1] == 0, "set_timer_op(0) in a batch: {}", Ret(res[1]));
    check!(
        errno(res[2]) == Some(Errno::ENOSYS),
        "hypercall 999: {}",
        Ret(res[2])
    );
    check!(
        errno(res[3]) == Some(Errno::EINVAL),
        "nested multicall: {}",
        Ret(res[3])
    );
    check!(
        errno(res[4]) == Some(Errno::ENOSYS),
        "unknown xen_version sub-op: {}",
        Ret(res[4])
    );
    let r = multicall(calls.as_mut_ptr() as u64, 0);
    check!(r == 0, "an empty batch: {}", Ret(r));
    Ok(())
}

fn multicall_bad_list() -> Outcome {
    for bad in [0x1_0000_0000u64, 0x8000_0000_0000_0000] {
        let r = multicall(bad, 1);
        check!(
            errno(r) == Some(Errno::EFAULT),
            "list at {bad:#x}: {}",
            Ret(r)
        );
    }
    Ok(())
}

fn vcpu_op(cmd: u32, vcpu: u32, arg: u64) -> i64 {
    // SAFETY: `arg` is null, points at a live struct of the right type, or is a bad address
    // the hypervisor must refuse.
    unsafe { hypercall::vcpu_op(cmd, vcpu, arg) }
}

fn vcpu_op_bring_up_queries() -> Outcome {
    let up = VcpuOp::IsUp.raw();
    check!(vcpu_op(up, 0, 0) == 1, "vCPU 0 is up");
    check!(vcpu_op(up, 1, 0) == 0, "vCPU 1 starts down");
    let r = vcpu_op(up, 2, 0);
    check!(errno(r) == Some(Errno::ENOENT), "vCPU 2 of 2: {}", Ret(r));
    let r = vcpu_op(up, u32::MAX, 0);
    check!(
        errno(r) == Some(Errno::ENOENT),
        "vCPU 0xffffffff: {}",
        Ret(r)
    );
    let r = vcpu_op(VcpuOp::Up.raw(), 1, 0);
    check!(
        errno(r) == Some(Errno::EINVAL),
        "VCPUOP_up before VCPUOP_initialise: {}",
        Ret(r)
    );
    let r = vcpu_op(77, 0, 0);
    check!(errno(r) == Some(Errno::ENOSYS), "VCPUOP 77: {}", Ret(r));
    let r = vcpu_op(VcpuOp::Initialise.raw(), 1, 0x1_0000_0000);
    check!(
        errno(r) == Some(Errno::EFAULT),
        "initialise from a bad address: {}",
        Ret(r)
    );
    Ok(())
}

fn hvm_op(op: HvmOp, arg: u64) -> i64 {
    // SAFETY: `arg` points at a live struct of the right type, or is a bad address the
    // hypervisor must refuse.
    unsafe { hypercall::hvm_op(op.raw(), arg) }
}

fn param(index: u32, value: u64) -> XenHvmParam {
    XenHvmParam {
        domid: DOMID_SELF as u16,
        pad: 0,
        index,
        value,
    }
}

fn hvm_params() -> Outcome {
    let want = (2u64 << 56) | 0xf3;
    let mut p = param(0, want);
    let r = hvm_op(HvmOp::SetParam, (&raw mut p) as u64);
    check!(r == 0, "set HVM_PARAM_CALLBACK_IRQ: {}", Ret(r));
    let mut p = param(0, 0);
    let r = hvm_op(HvmOp::GetParam, (&raw mut p) as u64);
    check!(
        r == 0 && p.value == want,
        "get HVM_PARAM_CALLBACK_IRQ: {} {:#x}",
        Ret(r),
        p.value
    );
    let mut p = param(1, 0x1234);
    let r = hvm_op(HvmOp::SetParam, (&raw mut p) as u64);
    check!(
        errno(r) == Some(Errno::EPERM),
        "a guest setting STORE_PFN: {}",
        Ret(r)
    );
    let mut p = param(39, 0);
    let r = hvm_op(HvmOp::GetParam, (&raw mut p) as u64);
    check!(
        errno(r) == Some(Errno::EINVAL),
        "index HVM_NR_PARAMS: {}",
        Ret(r)
    );
    let mut p = param(4, 1);
    let r = hvm_op(HvmOp::SetParam, (&raw mut p) as u64);
    check!(
        errno(r) == Some(Errno::EINVAL),
        "deprecated PAE_ENABLED: {}",
        Ret(r)
    );
    let mut p = param(0, 0);
    p.domid = 7;
    let r = hvm_op(HvmOp::GetParam, (&raw mut p) as u64);
    check!(errno(r) == Some(Errno::ESRCH), "domain 7: {}", Ret(r));
    Ok(())
}

fn hvm_op_errors() -> Outcome {
    let r = hvm_op(HvmOp::GetParam, 0x1_0000_0000);
    check!(errno(r) == Some(Errno::EFAULT), "bad address: {}", Ret(r));
    // SAFETY: an unknown sub-op reads nothing.
    let r = unsafe { hypercall::hvm_op(200, 0) };
    check!(errno(r) == Some(Errno::ENOSYS), "HVMOP 200: {}", Ret(r));
    let r = hvm_op(HvmOp::FlushTlbs, 0);
    check!(r == 0, "HVMOP_flush_tlbs: {}", Ret(r));
    let r = hvm_op(HvmOp::FlushTlbs, 8);
    check!(
        errno(r) == Some(Errno::EINVAL),
        "HVMOP_flush_tlbs with an argument: {}",
        Ret(r)
    );
    Ok(())
}

fn unaligned_buffers() -> Outcome {
    #[repr(C, align(16))]
    struct Buf([u8; 64]);
    let mut b = Buf([0; 64]);
    let odd = b.0.as_mut_ptr().wrapping_add(3);
    // SAFETY: XENVER_extraversion writes 16 bytes; 61 are available from `odd`.
    let r = unsafe { hypercall::xen_version(XenverCmd::Extraversion.raw(), odd as u64) };
    check!(r == 0, "extraversion into an odd address: {}", Ret(r));
    check!(b.0[3] != 0 || b.0[4] == 0, "nothing written");
    let msg = b"unaligned console write works\n";
    let mut src = Buf([0; 64]);
    src.0[1..=msg.len()].copy_from_slice(msg);
    let r = hypercall::console_write(&src.0[1..=msg.len()]);
    check!(r >= 0, "console write from an odd address: {}", Ret(r));
    Ok(())
}

fn page_crossing_buffers() -> Outcome {
    if !paging::unmap_2m(HOLE) {
        fail!("cannot unmap the test hole");
    }
    // 8 bytes before the hole are mapped RAM; the 16-byte extraversion runs into the hole.
    let edge = HOLE - 8;
    // SAFETY: the hypervisor must refuse before writing past the mapped part; nothing of
    // ours lives at `edge`.
    let r = unsafe { hypercall::xen_version(XenverCmd::Extraversion.raw(), edge) };
    check!(
        errno(r) == Some(Errno::EFAULT),
        "a buffer running into a hole: {}",
        Ret(r)
    );
    // SAFETY: as above, for a read.
    let r = unsafe { hypercall::hypercall6(Hypercall::ConsoleIo.raw(), 0, 16, edge, 0, 0, 0) };
    check!(
        errno(r) == Some(Errno::EFAULT),
        "console write across the hole: {}",
        Ret(r)
    );
    let r = multicall(HOLE - 32, 1);
    check!(
        errno(r) == Some(Errno::EFAULT),
        "a multicall entry across the hole: {}",
        Ret(r)
    );
    Ok(())
}

#[repr(C, align(4096))]
struct Page([u8; 4096]);
static mut VCPU1_INFO: Page = Page([0; 4096]);

fn register(offset: u32) -> i64 {
    let mut info = VcpuRegisterVcpuInfo {
        mfn: ((&raw mut VCPU1_INFO) as u64) >> 12,
        offset,
        rsvd: 0,
    };
    vcpu_op(VcpuOp::RegisterVcpuInfo.raw(), 1, (&raw mut info) as u64)
}

fn register_vcpu_info() -> Outcome {
    let r = register(4064);
    check!(
        errno(r) == Some(Errno::ENXIO),
        "vcpu_info across a page: {}",
        Ret(r)
    );
    let r = register(4);
    check!(
        errno(r) == Some(Errno::ENXIO),
        "misaligned vcpu_info: {}",
        Ret(r)
    );
    let r = register(128);
    check!(r == 0, "VCPUOP_register_vcpu_info: {}", Ret(r));
    let r = register(128);
    check!(
        errno(r) == Some(Errno::EBUSY),
        "registering twice: {}",
        Ret(r)
    );
    Ok(())
}

/// Intel's VMCALL on an AMD CPU (or AMD's VMMCALL on Intel) raises #UD, which the
/// hypervisor intercepts and serves as the hypercall, as Xen does for guests moved between
/// vendors.
fn other_vendors_hypercall() -> Outcome {
    let ret: i64;
    // SAFETY: xen_version(XENVER_version, NULL) reads and writes no memory.
    unsafe {
        if ferrite_guest_rt::cpu::is_amd() {
            core::arch::asm!(
                "vmcall",
                inlateout("rax") u64::from(Hypercall::XenVersion.raw()) => ret,
                in("rdi") 0u64,
                in("rsi") 0u64,
                options(nostack),
            );
        } else {
            core::arch::asm!(
                "vmmcall",
                inlateout("rax") u64::from(Hypercall::XenVersion.raw()) => ret,
                in("rdi") 0u64,
                in("rsi") 0u64,
                options(nostack),
            );
        }
    }
    check!(
        ret == hypercall::xen_version_number(),
        "the other vendor's hypercall instruction returned {}",
        Ret(ret)
    );
    Ok(())
}

/// A hypercall instruction with redundant prefixes (`2e 2e 66 0f 01 d9`): the hypervisor must
/// step over all six bytes, not the three of a bare VMMCALL (no next-RIP under TCG), or the
/// guest would run the VMMCALL again with the result as its number.
fn prefixed_vmmcall() -> Outcome {
    if !ferrite_guest_rt::cpu::is_amd() {
        ferrite_guest_rt::skip!("VMMCALL is AMD's");
    }
    let ret: i64;
    let after: u64;
    // SAFETY: xen_version(XENVER_version, NULL) reads and writes no memory; the marker moved
    // into RCX right after proves where execution resumed.
    unsafe {
        core::arch::asm!(
            ".byte 0x2e, 0x2e, 0x66, 0x0f, 0x01, 0xd9",
            "mov {after}, 0x5a5a",
            after = out(reg) after,
            inlateout("rax") u64::from(Hypercall::XenVersion.raw()) => ret,
            in("rdi") 0u64,
            in("rsi") 0u64,
            out("rcx") _,
            out("r11") _,
            options(nostack),
        );
    }
    check!(
        ret == hypercall::xen_version_number(),
        "prefixed VMMCALL returned {}",
        Ret(ret)
    );
    check!(
        after == 0x5a5a,
        "execution did not resume right after the instruction"
    );
    Ok(())
}

/// `XEN_DOMCTL_scheduler_op` on itself (credit2: getinfo, putinfo, getinfo) and
/// `XEN_SYSCTL_cpupool_op` INFO of pool 0, as the toolstack's `xl sched-credit2` and
/// `xl cpupool-list` issue them; a wrong interface version is `-EACCES`.
fn scheduler_domctl_sysctl() -> Outcome {
    fn domctl(b: &mut [u8; 144]) -> i64 {
        // SAFETY: the hypervisor reads and writes the 144-byte struct, borrowed across the
        // call.
        unsafe {
            hypercall::hypercall6(
                Hypercall::Domctl.raw(),
                b.as_mut_ptr() as u64,
                0,
                0,
                0,
                0,
                0,
            )
        }
    }
    let sched_op = |cmd: u32, weight: u16| {
        let mut b = [0u8; 144];
        b[..4].copy_from_slice(&0x10u32.to_le_bytes()); // XEN_DOMCTL_scheduler_op
        b[4..8].copy_from_slice(&0x17u32.to_le_bytes());
        b[16..20].copy_from_slice(&6u32.to_le_bytes()); // XEN_SCHEDULER_CREDIT2
        b[20..24].copy_from_slice(&cmd.to_le_bytes());
        b[24..26].copy_from_slice(&weight.to_le_bytes());
        b
    };
    let mut b = sched_op(1, 0);
    let r = domctl(&mut b);
    check!(r == 0, "credit2 getinfo: {}", Ret(r));
    let weight = u16::from_le_bytes([b[24], b[25]]);
    check!(weight == 256, "default weight {weight}, expected 256");
    let mut b = sched_op(0, 1000);
    let r = domctl(&mut b);
    check!(r == 0, "credit2 putinfo: {}", Ret(r));
    let mut b = sched_op(1, 0);
    domctl(&mut b);
    let weight = u16::from_le_bytes([b[24], b[25]]);
    check!(weight == 1000, "weight {weight} after putinfo 1000");
    let mut b = sched_op(1, 0);
    b[4..8].copy_from_slice(&0x16u32.to_le_bytes());
    let r = domctl(&mut b);
    check!(
        errno(r) == Some(Errno::EACCES),
        "old domctl interface: {}",
        Ret(r)
    );
    // sysctl cpupool_op INFO of pool 0 with an 8-bit map.
    let mut map = [0u8; 1];
    let mut s = [0u8; 136];
    s[..4].copy_from_slice(&0x12u32.to_le_bytes());
    s[4..8].copy_from_slice(&0x15u32.to_le_bytes());
    s[8..12].copy_from_slice(&3u32.to_le_bytes());
    s[32..40].copy_from_slice(&(map.as_mut_ptr() as u64).to_le_bytes());
    s[40..44].copy_from_slice(&8u32.to_le_bytes());
    // SAFETY: the hypervisor reads and writes the struct and the one-byte map.
    let r = unsafe {
        hypercall::hypercall6(
            Hypercall::Sysctl.raw(),
            s.as_mut_ptr() as u64,
            0,
            0,
            0,
            0,
            0,
        )
    };
    check!(r == 0, "cpupool info: {}", Ret(r));
    let sched_id = u32::from_le_bytes([s[16], s[17], s[18], s[19]]);
    check!(
        sched_id == 6,
        "pool 0 runs scheduler {sched_id}, expected credit2 (6)"
    );
    check!(map[0] & 1 == 1, "pool 0's map {:#x} lacks pCPU 0", map[0]);
    Ok(())
}

fn memory_op_reservation(cmd: u32, frames: &[u64]) -> i64 {
    let mut r = ferrite_abi::memory::XenMemoryReservation {
        extent_start: ferrite_abi::GuestHandle::from_addr(frames.as_ptr() as u64),
        nr_extents: frames.len() as u64,
        extent_order: 0,
        mem_flags: 0,
        domid: DOMID_SELF as u16,
        _pad0: [0; 3],
    };
    // SAFETY: the hypervisor reads the struct and the frame list, borrowed across the call.
    unsafe { hypercall::memory_op(cmd, (&raw mut r) as u64) }
}

fn current_reservation() -> i64 {
    let mut domid = DOMID_SELF as u16;
    // SAFETY: XENMEM_current_reservation reads the domid.
    unsafe { hypercall::memory_op(3, (&raw mut domid) as u64) }
}

/// Ballooning as a PVH kernel does it: `XENMEM_decrease_reservation` gives frames back,
/// `XENMEM_populate_physmap` brings zeroed ones back (at the same frames or elsewhere), and
/// the reservation never exceeds the maximum.
fn balloon() -> Outcome {
    const DECREASE: u32 = 1;
    const POPULATE: u32 = 6;
    // 48 MiB into a 64 MiB guest: unused by this small kernel.
    let base = 0x0300_0000u64;
    let frames = [
        base >> 12,
        (base >> 12) + 1,
        (base >> 12) + 2,
        (base >> 12) + 3,
    ];
    // SAFETY: RAM this guest owns and does not otherwise use, identity-mapped.
    unsafe { core::ptr::write_bytes(base as *mut u8, 0xab, 4 * 4096) };
    let before = current_reservation();
    let r = memory_op_reservation(DECREASE, &frames);
    check!(r == 4, "decrease_reservation of 4 frames: {}", Ret(r));
    check!(
        current_reservation() == before - 4,
        "reservation did not drop by 4"
    );
    let r = memory_op_reservation(DECREASE, &frames[..1]);
    check!(r == 0, "giving back a frame twice: {}", Ret(r));
    let r = memory_op_reservation(POPULATE, &frames);
    check!(r == 4, "populate_physmap of 4 frames: {}", Ret(r));
    check!(current_reservation() == before, "reservation not restored");
    // SAFETY: the frames are populated again.
    let zero = unsafe { core::slice::from_raw_parts(base as *const u8, 4 * 4096) };
    check!(
        zero.iter().all(|&b| b == 0),
        "repopulated frames are not zeroed"
    );
    // At the maximum, a new frame elsewhere is refused; after giving one back, granted.
    let far = [0x5000_0000u64 >> 12];
    let r = memory_op_reservation(POPULATE, &far);
    check!(
        r == 0,
        "populate beyond the maximum reservation: {}",
        Ret(r)
    );
    check!(
        memory_op_reservation(DECREASE, &frames[..1]) == 1,
        "giving one back"
    );
    let r = memory_op_reservation(POPULATE, &far);
    check!(r == 1, "populate at 1.25 GiB: {}", Ret(r));
    // SAFETY: now populated, identity-mapped below 4 GiB.
    let v = unsafe { core::ptr::read_volatile(0x5000_0000 as *const u64) };
    check!(v == 0, "a new frame holds {v:#x}");
    check!(
        memory_op_reservation(DECREASE, &far) == 1,
        "giving the far frame back"
    );
    check!(
        memory_op_reservation(POPULATE, &frames[..1]) == 1,
        "and the first one again"
    );
    check!(
        current_reservation() == before,
        "reservation not restored at the end"
    );
    Ok(())
}

/// MSRs: the guest-owned ones (EFER) are its own, a few are emulated (APIC base, PAT, TSC,
/// MTRR capabilities), and every other access is refused with #GP instead of reaching the
/// host (a write to AMD's HWCR, an MSR that does not exist).
fn msrs() -> Outcome {
    use ferrite_guest_rt::cpu::{rdmsr_safe, wrmsr_safe};
    let apic = rdmsr_safe(0x1b);
    check!(apic == Some(0xfee0_0900), "APIC_BASE reads {apic:x?}");
    check!(wrmsr_safe(0x1b, 0xfee0_0900), "rewriting APIC_BASE as read");
    check!(!wrmsr_safe(0x1b, 0xfee0_0d00), "turning on x2APIC must #GP");
    let efer = rdmsr_safe(0xc000_0080);
    check!(
        efer.is_some_and(|e| e & 0x500 == 0x500),
        "EFER {efer:x?} (LME|LMA)"
    );
    let pat = rdmsr_safe(0x277);
    check!(pat.is_some(), "PAT read");
    check!(wrmsr_safe(0x277, 0x0007_0406_0007_0406), "PAT write");
    check!(
        !wrmsr_safe(0x277, 0x0202_0202_0202_0202),
        "an invalid PAT type must #GP"
    );
    check!(rdmsr_safe(0xfe) == Some(0), "no MTRRs offered");
    check!(
        rdmsr_safe(0x1234_5678).is_none(),
        "an MSR outside every range must #GP"
    );
    check!(rdmsr_safe(0xc001_0015).is_none(), "HWCR read must #GP");
    check!(
        !wrmsr_safe(0xc001_0015, 0),
        "HWCR write must #GP, not reach the host"
    );
    let t0 = rdmsr_safe(0x10).unwrap_or(0);
    let t1 = rdmsr_safe(0x10).unwrap_or(0);
    check!(t1 > t0, "TSC MSR does not advance ({t0} then {t1})");
    Ok(())
}

/// Port I/O to Ferrite's own console UART (COM1 here): reads float high, writes vanish.
/// The scenario fails if the marker below ever reaches the serial line.
fn ports_ferrite_keeps() -> Outcome {
    use ferrite_guest_rt::cpu::{inb, outb};
    let lsr = inb(0x3fd);
    check!(
        lsr == 0xff,
        "COM1's line status reads {lsr:#x}: the real UART is exposed"
    );
    for b in b"LEAKED-TO-COM1\n" {
        outb(0x3f8, *b);
    }
    Ok(())
}

/// `XENPF_settime64` from dom0 sets the wallclock every shared_info reports (at system time
/// 0: wc_sec/wc_nsec with the version protocol).
fn wallclock() -> Outcome {
    let si = match hypercall::map_shared_info() {
        Ok(p) => p,
        Err(e) => fail!("shared_info: {e}"),
    };
    let now = ferrite_guest_rt::time::now_ns().unwrap_or(0);
    let secs = 1_700_000_000u64;
    let mut op = [0u8; 136];
    op[..4].copy_from_slice(&0x3eu32.to_le_bytes()); // XENPF_settime64
    op[4..8].copy_from_slice(&0x0300_0001u32.to_le_bytes());
    op[8..16].copy_from_slice(&secs.to_le_bytes());
    op[24..32].copy_from_slice(&now.to_le_bytes());
    // SAFETY: the hypervisor reads the 136-byte struct, borrowed across the call.
    let r = unsafe {
        hypercall::hypercall6(
            Hypercall::PlatformOp.raw(),
            op.as_mut_ptr() as u64,
            0,
            0,
            0,
            0,
            0,
        )
    };
    check!(r == 0, "XENPF_settime64: {}", Ret(r));
    // SAFETY: shared_info is mapped; its wallclock fields are read with volatile loads.
    let (ver, sec, nsec) = unsafe {
        (
            core::ptr::read_volatile(&raw const (*si).wc_version),
            core::ptr::read_volatile(&raw const (*si).wc_sec),
            core::ptr::read_volatile(&raw const (*si).wc_nsec),
        )
    };
    let expect = secs - now / 1_000_000_000;
    check!(ver % 2 == 0 && ver > 0, "wc_version {ver}");
    check!(
        u64::from(sec).abs_diff(expect) <= 1,
        "wc_sec {sec}, expected about {expect} (nsec {nsec})"
    );
    Ok(())
}
