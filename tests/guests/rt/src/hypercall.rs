//! Hypercalls as a 64-bit PVH guest makes them (Xen's `docs/misc/hypercall-abi.pandoc`): the
//! number selects a 32-byte stub in the hypercall page, arguments go in RDI, RSI, RDX, R10, R8,
//! R9, the result comes back in RAX (`-errno` on failure). Argument registers may be clobbered.
//!
//! The raw calls are `unsafe` because an argument may be a pointer the hypervisor writes
//! through; the typed wrappers below pass only pointers to memory they own.

use core::arch::asm;
use core::fmt;

use ferrite_abi::Errno;
use ferrite_abi::memory::{MapSpace, MemoryOp, XenAddToPhysmap};
use ferrite_abi::sched::{SchedOp, SchedShutdown, ShutdownReason};
use ferrite_abi::version::XenverCmd;
use ferrite_abi::xen::{ConsoleIoCmd, DOMID_SELF, Hypercall, SharedInfo};

use crate::cpu;
use crate::xen;

/// Stubs in the hypercall page (4096 / 32).
pub const PAGE_ENTRIES: u32 = 128;

/// Calls hypercall `nr` with six arguments through the hypercall page; a number the page has
/// no stub for (>= 128), or a missing page, goes straight to the instruction
/// ([`hypercall6_insn`]).
///
/// # Safety
///
/// Any argument the hypercall treats as a pointer must be valid for what the hypervisor does
/// with it (read or write), or deliberately invalid in a way the hypervisor must reject.
pub unsafe fn hypercall6(nr: u32, a1: u64, a2: u64, a3: u64, a4: u64, a5: u64, a6: u64) -> i64 {
    if nr >= PAGE_ENTRIES || !xen::hypercalls_ready() {
        // SAFETY: same contract as ours.
        return unsafe { hypercall6_insn(nr, a1, a2, a3, a4, a5, a6) };
    }
    let entry = xen::hypercall_page_addr() + u64::from(nr) * 32;
    let ret: i64;
    // SAFETY: the hypervisor filled the page (checked by `xen::init`), each stub loads its
    // number into EAX, traps and returns; the pointer arguments are the caller's contract.
    // RCX and R11 are treated as clobbered as well, as Xen's own guests do.
    unsafe {
        asm!(
            "call {entry}",
            entry = in(reg) entry,
            lateout("rax") ret,
            inout("rdi") a1 => _,
            inout("rsi") a2 => _,
            inout("rdx") a3 => _,
            inout("r10") a4 => _,
            inout("r8") a5 => _,
            inout("r9") a6 => _,
            out("rcx") _,
            out("r11") _,
        );
    }
    ret
}

/// Calls hypercall `nr` with VMMCALL (AMD) or VMCALL (Intel) directly, without the page: how
/// out-of-range numbers are tested, and what is left when no page could be installed.
///
/// # Safety
///
/// As for [`hypercall6`].
pub unsafe fn hypercall6_insn(
    nr: u32,
    a1: u64,
    a2: u64,
    a3: u64,
    a4: u64,
    a5: u64,
    a6: u64,
) -> i64 {
    let ret: i64;
    if cpu::is_amd() {
        // SAFETY: as in `hypercall6`; VMMCALL traps to the hypervisor with EAX = nr.
        unsafe {
            asm!(
                "vmmcall",
                inlateout("rax") u64::from(nr) => ret,
                inout("rdi") a1 => _,
                inout("rsi") a2 => _,
                inout("rdx") a3 => _,
                inout("r10") a4 => _,
                inout("r8") a5 => _,
                inout("r9") a6 => _,
                out("rcx") _,
                out("r11") _,
                options(nostack),
            );
        }
    } else {
        // SAFETY: as above, with VMCALL on Intel.
        unsafe {
            asm!(
                "vmcall",
                inlateout("rax") u64::from(nr) => ret,
                inout("rdi") a1 => _,
                inout("rsi") a2 => _,
                inout("rdx") a3 => _,
                inout("r10") a4 => _,
                inout("r8") a5 => _,
                inout("r9") a6 => _,
                out("rcx") _,
                out("r11") _,
                options(nostack),
            );
        }
    }
    ret
}

/// Two-argument form (`cmd`, `arg`), the shape of most `*_op` hypercalls.
///
/// # Safety
///
/// As for [`hypercall6`].
pub unsafe fn hypercall2(nr: Hypercall, cmd: u64, arg: u64) -> i64 {
    // SAFETY: the caller's contract.
    unsafe { hypercall6(nr.raw(), cmd, arg, 0, 0, 0, 0) }
}

/// `HYPERVISOR_console_io(CONSOLEIO_write, len, buf)`. Returns the raw result.
pub fn console_write(bytes: &[u8]) -> i64 {
    // SAFETY: the hypervisor only reads `bytes.len()` bytes from a buffer we borrow.
    unsafe {
        hypercall6(
            Hypercall::ConsoleIo.raw(),
            u64::from(ConsoleIoCmd::Write.raw()),
            bytes.len() as u64,
            bytes.as_ptr() as u64,
            0,
            0,
            0,
        )
    }
}

/// `HYPERVISOR_xen_version(cmd, arg)`.
///
/// # Safety
///
/// `arg` must point to a buffer of the size `cmd` writes (or be a deliberate bad address).
pub unsafe fn xen_version(cmd: u32, arg: u64) -> i64 {
    // SAFETY: the caller's contract.
    unsafe { hypercall2(Hypercall::XenVersion, u64::from(cmd), arg) }
}

/// `xen_version(XENVER_version, NULL)`: `major << 16 | minor`, or `-errno`.
pub fn xen_version_number() -> i64 {
    // SAFETY: XENVER_version writes nothing.
    unsafe { xen_version(XenverCmd::Version.raw(), 0) }
}

/// `HYPERVISOR_sched_op(cmd, arg)`.
///
/// # Safety
///
/// `arg` must point to the struct `cmd` reads or writes (or be a deliberate bad address).
pub unsafe fn sched_op(cmd: u32, arg: u64) -> i64 {
    // SAFETY: the caller's contract.
    unsafe { hypercall2(Hypercall::SchedOp, u64::from(cmd), arg) }
}

/// `sched_op(SCHEDOP_shutdown, {reason})`. Returns only if the hypervisor refuses.
pub fn shutdown(reason: ShutdownReason) -> i64 {
    let arg = SchedShutdown {
        reason: reason.raw(),
    };
    // SAFETY: SCHEDOP_shutdown only reads the struct, which lives across the call.
    unsafe { sched_op(SchedOp::Shutdown.raw(), (&raw const arg) as u64) }
}

/// `HYPERVISOR_memory_op(cmd, arg)`.
///
/// # Safety
///
/// `arg` must point to the struct `cmd` reads or writes (or be a deliberate bad address).
pub unsafe fn memory_op(cmd: u32, arg: u64) -> i64 {
    // SAFETY: the caller's contract.
    unsafe { hypercall2(Hypercall::MemoryOp, u64::from(cmd), arg) }
}

/// `memory_op(XENMEM_add_to_physmap, xatp)`.
///
/// # Safety
///
/// Mapping something over `xatp.gpfn` replaces what the guest had there: the frame must not
/// hold anything Rust still uses.
pub unsafe fn add_to_physmap(xatp: &XenAddToPhysmap) -> i64 {
    // SAFETY: the struct is only read; the frame is the caller's contract.
    unsafe {
        memory_op(
            MemoryOp::AddToPhysmap.raw(),
            (xatp as *const XenAddToPhysmap) as u64,
        )
    }
}

/// `HYPERVISOR_hvm_op(cmd, arg)`.
///
/// # Safety
///
/// `arg` must point to the struct `cmd` reads or writes (or be a deliberate bad address).
pub unsafe fn hvm_op(cmd: u32, arg: u64) -> i64 {
    // SAFETY: the caller's contract.
    unsafe { hypercall2(Hypercall::HvmOp, u64::from(cmd), arg) }
}

/// `HYPERVISOR_vcpu_op(cmd, vcpuid, arg)`.
///
/// # Safety
///
/// `arg` must point to the struct `cmd` reads or writes (or be a deliberate bad address).
pub unsafe fn vcpu_op(cmd: u32, vcpu: u32, arg: u64) -> i64 {
    // SAFETY: the caller's contract.
    unsafe {
        hypercall6(
            Hypercall::VcpuOp.raw(),
            u64::from(cmd),
            u64::from(vcpu),
            arg,
            0,
            0,
            0,
        )
    }
}

/// `VCPUOP_get_runstate_info` for vCPU `vcpu`: its runstate, or the `-errno` answer.
pub fn runstate_info(vcpu: u32) -> Result<ferrite_abi::vcpu::VcpuRunstateInfo, i64> {
    let mut info = ferrite_abi::vcpu::VcpuRunstateInfo {
        state: -1,
        _pad0: 0,
        state_entry_time: 0,
        time: [0; 4],
    };
    // SAFETY: VCPUOP_get_runstate_info writes the struct, borrowed across the call.
    let r = unsafe {
        vcpu_op(
            ferrite_abi::vcpu::VcpuOp::GetRunstateInfo.raw(),
            vcpu,
            (&raw mut info) as u64,
        )
    };
    if r < 0 { Err(r) } else { Ok(info) }
}

/// `HYPERVISOR_event_channel_op(cmd, arg)`.
///
/// # Safety
///
/// `arg` must point to the struct `cmd` reads or writes (or be a deliberate bad address).
pub unsafe fn event_channel_op(cmd: u32, arg: u64) -> i64 {
    // SAFETY: the caller's contract.
    unsafe { hypercall2(Hypercall::EventChannelOp, u64::from(cmd), arg) }
}

unsafe extern "C" {
    /// The page of .bss (entry.S) that `map_shared_info` puts shared_info over.
    static guest_shared_info_page: [u8; 4096];
}

static SHARED_INFO_MAPPED: core::sync::atomic::AtomicBool =
    core::sync::atomic::AtomicBool::new(false);

/// Maps shared_info with `XENMEM_add_to_physmap(XENMAPSPACE_shared_info, idx 0)` over a page
/// the runtime reserves for it (the first call only), and returns its address. Read it with
/// volatile reads: the hypervisor updates it at any time.
pub fn map_shared_info() -> Result<*const SharedInfo, Errno> {
    let page = (&raw const guest_shared_info_page) as u64;
    if !SHARED_INFO_MAPPED.load(core::sync::atomic::Ordering::Acquire) {
        let xatp = XenAddToPhysmap {
            domid: DOMID_SELF as u16,
            size: 0,
            space: MapSpace::SharedInfo.raw(),
            idx: 0,
            gpfn: page >> 12,
        };
        // SAFETY: the page is reserved for shared_info in entry.S and nothing else uses it.
        let ret = unsafe { add_to_physmap(&xatp) };
        if ret < 0 {
            return Err(errno(ret).unwrap_or(Errno::EINVAL));
        }
        SHARED_INFO_MAPPED.store(true, core::sync::atomic::Ordering::Release);
    }
    Ok(page as *const SharedInfo)
}

/// The errno of a negative hypercall result, if Xen defines it.
pub fn errno(ret: i64) -> Option<Errno> {
    if ret >= 0 {
        return None;
    }
    u16::try_from(ret.unsigned_abs())
        .ok()
        .and_then(Errno::from_value)
}

/// Displays a hypercall result as `0x..` or `-ENAME (-N)`.
pub struct Ret(pub i64);

impl fmt::Display for Ret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match errno(self.0) {
            Some(e) => write!(f, "-{} ({})", e.name(), self.0),
            None if self.0 < 0 => write!(f, "{}", self.0),
            None => write!(f, "{:#x}", self.0),
        }
    }
}

/// `HYPERVISOR_set_timer_op(timeout)`: this vCPU's single-shot timer in absolute system time
/// (0 stops it).
pub fn set_timer_op(timeout_ns: u64) -> i64 {
    // SAFETY: set_timer_op takes no pointer.
    unsafe { hypercall6(Hypercall::SetTimerOp.raw(), timeout_ns, 0, 0, 0, 0, 0) }
}
