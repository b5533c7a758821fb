//! Event channels as a PVH guest uses them (`public/event_channel.h`, the 2-level ABI of
//! `public/xen.h`): the operations, the upcall handler that scans `evtchn_pending_sel`,
//! `evtchn_pending` and `evtchn_mask`, and a wait that sleeps with HLT until a condition holds.
//!
//! Delivered ports are counted per port ([`hits`]); tests compare counts before and after.

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use ferrite_abi::Errno;
use ferrite_abi::event_channel::{
    EvtchnAllocUnbound, EvtchnBindInterdomain, EvtchnBindIpi, EvtchnBindVirq, EvtchnClose,
    EvtchnOp, EvtchnSend, EvtchnStatus, EvtchnUnmask,
};
use ferrite_abi::hvm::hvm_op::{HvmOp, XenHvmEvtchnUpcallVector, XenHvmParam};
use ferrite_abi::xen::{DOMID_SELF, SharedInfo};

use crate::hypercall::{self, errno};
use crate::idt::UPCALL_VECTOR;
use crate::time;

/// Ports whose deliveries are counted.
pub const COUNTED_PORTS: usize = 1024;

static HITS: [AtomicU32; COUNTED_PORTS] = [const { AtomicU32::new(0) }; COUNTED_PORTS];
static UPCALLS: [AtomicU64; 8] = [const { AtomicU64::new(0) }; 8];

/// How many times `port` was found pending by the upcall handler.
pub fn hits(port: u32) -> u32 {
    HITS.get(port as usize)
        .map_or(0, |h| h.load(Ordering::SeqCst))
}

/// How many upcalls vCPU `vcpu` has taken.
pub fn upcalls(vcpu: u32) -> u64 {
    UPCALLS
        .get(vcpu as usize)
        .map_or(0, |u| u.load(Ordering::SeqCst))
}

fn shared() -> Option<*mut SharedInfo> {
    hypercall::map_shared_info()
        .ok()
        .map(|p| p as *mut SharedInfo)
}

fn word(p: *mut u64) -> &'static AtomicU64 {
    // SAFETY: `p` points into the mapped shared_info page, 8-aligned, shared with the
    // hypervisor, which also changes it atomically.
    unsafe { AtomicU64::from_ptr(p) }
}

/// The upcall (IDT vector [`UPCALL_VECTOR`]): clears `evtchn_upcall_pending`, takes the
/// selector, and retires every pending unmasked port, as Linux's `xen_evtchn_do_upcall`.
#[unsafe(no_mangle)]
extern "C" fn guest_upcall() {
    let vcpu = time::this_vcpu();
    if let Some(u) = UPCALLS.get(vcpu as usize) {
        u.fetch_add(1, Ordering::SeqCst);
    }
    let Some(si) = shared() else { return };
    // SAFETY: shared_info is mapped; `vcpu_info[vcpu]` exists for vCPUs below 32 and the
    // fields are only touched with volatile or atomic accesses.
    unsafe {
        let Some(vi) = (*si).vcpu_info.get_mut(vcpu as usize) else {
            return;
        };
        core::ptr::write_volatile(&raw mut vi.evtchn_upcall_pending, 0);
        let sel = word(&raw mut vi.evtchn_pending_sel).swap(0, Ordering::SeqCst);
        for w in 0..64usize {
            if sel & (1 << w) == 0 {
                continue;
            }
            let pending = word((&raw mut (*si).evtchn_pending).cast::<u64>().add(w));
            let mask = word((&raw mut (*si).evtchn_mask).cast::<u64>().add(w));
            let ready = pending.load(Ordering::SeqCst) & !mask.load(Ordering::SeqCst);
            for b in 0..64usize {
                if ready & (1 << b) != 0 {
                    pending.fetch_and(!(1 << b), Ordering::SeqCst);
                    if let Some(h) = HITS.get(w * 64 + b) {
                        h.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
        }
    }
}

/// Whether `port` is pending in shared_info.
pub fn is_pending(port: u32) -> bool {
    bit(port, true).is_some_and(|(w, m)| w.load(Ordering::SeqCst) & m != 0)
}

/// Whether `port` is masked in shared_info.
pub fn is_masked(port: u32) -> bool {
    bit(port, false).is_some_and(|(w, m)| w.load(Ordering::SeqCst) & m != 0)
}

/// Masks `port` (guests set mask bits themselves).
pub fn mask(port: u32) {
    if let Some((w, m)) = bit(port, false) {
        w.fetch_or(m, Ordering::SeqCst);
    }
}

fn bit(port: u32, pending: bool) -> Option<(&'static AtomicU64, u64)> {
    let si = shared()?;
    let idx = (port / 64) as usize;
    if idx >= 64 {
        return None;
    }
    // SAFETY: shared_info is mapped and `idx` is in bounds of the 64-word arrays.
    let p = unsafe {
        if pending {
            (&raw mut (*si).evtchn_pending).cast::<u64>().add(idx)
        } else {
            (&raw mut (*si).evtchn_mask).cast::<u64>().add(idx)
        }
    };
    Some((word(p), 1 << (port % 64)))
}

fn op<T>(cmd: u32, arg: &mut T) -> Result<i64, Errno> {
    // SAFETY: `arg` is the struct `cmd` reads and writes, borrowed across the call.
    let r = unsafe { hypercall::event_channel_op(cmd, (arg as *mut T) as u64) };
    if r < 0 {
        Err(errno(r).unwrap_or(Errno::EINVAL))
    } else {
        Ok(r)
    }
}

pub fn bind_virq(virq: u32, vcpu: u32) -> Result<u32, Errno> {
    let mut a = EvtchnBindVirq {
        virq,
        vcpu,
        port: 0,
    };
    op(EvtchnOp::BindVirq.raw(), &mut a)?;
    Ok(a.port)
}

pub fn bind_ipi(vcpu: u32) -> Result<u32, Errno> {
    let mut a = EvtchnBindIpi { vcpu, port: 0 };
    op(EvtchnOp::BindIpi.raw(), &mut a)?;
    Ok(a.port)
}

pub fn alloc_unbound(remote_dom: u16) -> Result<u32, Errno> {
    let mut a = EvtchnAllocUnbound {
        dom: DOMID_SELF as u16,
        remote_dom,
        port: 0,
    };
    op(EvtchnOp::AllocUnbound.raw(), &mut a)?;
    Ok(a.port)
}

pub fn bind_interdomain(remote_dom: u16, remote_port: u32) -> Result<u32, Errno> {
    let mut a = EvtchnBindInterdomain {
        remote_dom,
        _pad0: 0,
        remote_port,
        local_port: 0,
    };
    op(EvtchnOp::BindInterdomain.raw(), &mut a)?;
    Ok(a.local_port)
}

pub fn send(port: u32) -> Result<(), Errno> {
    op(EvtchnOp::Send.raw(), &mut EvtchnSend { port }).map(|_| ())
}

pub fn close(port: u32) -> Result<(), Errno> {
    op(EvtchnOp::Close.raw(), &mut EvtchnClose { port }).map(|_| ())
}

pub fn unmask(port: u32) -> Result<(), Errno> {
    op(EvtchnOp::Unmask.raw(), &mut EvtchnUnmask { port }).map(|_| ())
}

pub fn status(port: u32) -> Result<EvtchnStatus, Errno> {
    let mut s = EvtchnStatus {
        dom: DOMID_SELF as u16,
        _pad0: 0,
        port,
        status: 0,
        vcpu: 0,
        u: [0; 2],
    };
    op(EvtchnOp::Status.raw(), &mut s)?;
    Ok(s)
}

/// Routes vCPU 0's upcalls to [`UPCALL_VECTOR`] (`HVM_PARAM_CALLBACK_IRQ`, type vector).
pub fn enable_callback() -> Result<(), Errno> {
    let mut p = XenHvmParam {
        domid: DOMID_SELF as u16,
        pad: 0,
        index: 0,
        value: (2 << 56) | u64::from(UPCALL_VECTOR),
    };
    // SAFETY: HVMOP_set_param reads the struct, borrowed across the call.
    let r = unsafe { hypercall::hvm_op(HvmOp::SetParam.raw(), (&raw mut p) as u64) };
    if r < 0 {
        return Err(errno(r).unwrap_or(Errno::EINVAL));
    }
    shared().map(|_| ()).ok_or(Errno::EFAULT)
}

/// Routes vCPU `vcpu`'s upcalls to [`UPCALL_VECTOR`] (`HVMOP_set_evtchn_upcall_vector`).
pub fn set_upcall_vector(vcpu: u32) -> Result<(), Errno> {
    let mut u = XenHvmEvtchnUpcallVector {
        vcpu,
        vector: UPCALL_VECTOR,
        _pad0: [0; 3],
    };
    // SAFETY: the hypervisor reads the struct, borrowed across the call.
    let r = unsafe { hypercall::hvm_op(HvmOp::SetEvtchnUpcallVector.raw(), (&raw mut u) as u64) };
    if r < 0 {
        Err(errno(r).unwrap_or(Errno::EINVAL))
    } else {
        Ok(())
    }
}

/// Waits with interrupts open until `done()` holds or `timeout_ns` of system time passed;
/// true if it held. The vCPU keeps running (upcalls arrive at its exits, which the
/// hypervisor's timers bound), so this needs no wake-up source. Interrupts are off again on
/// return.
pub fn wait_until(done: &dyn Fn() -> bool, timeout_ns: u64) -> bool {
    let start = time::now_ns().unwrap_or(0);
    loop {
        if done() {
            return true;
        }
        if time::now_ns().unwrap_or(u64::MAX).saturating_sub(start) > timeout_ns {
            return done();
        }
        // SAFETY: the IDT handles the upcall vector; the window between STI and CLI lets a
        // pending upcall in.
        unsafe { core::arch::asm!("sti", "pause", "pause", "cli", options(nomem, nostack)) };
    }
}

/// Blocks the vCPU (STI; HLT) until `done()` holds: the hypervisor deschedules it until an
/// event arrives. The caller must have something that will raise one (a timer, an IPI).
/// Interrupts are off again on return.
pub fn block_until(done: &dyn Fn() -> bool) {
    while !done() {
        // SAFETY: STI's shadow makes STI;HLT atomic, so an upcall arriving between the check
        // and HLT still wakes us; CLI restores the interrupts-off state.
        unsafe { core::arch::asm!("sti; hlt; cli", options(nomem, nostack)) };
    }
}
