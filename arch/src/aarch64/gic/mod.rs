//! The Arm Generic Interrupt Controller, v2 (Arm IHI 0048) or v3 (Arm IHI 0069), chosen from
//! the DT (Xen's `xen/arch/arm/gic.c`, `gic-v2.c`, `gic-v3.c`): the distributor, this CPU's
//! interface, PPI/SGI enables, and interrupt dispatch.
//!
//! Ferrite uses SGIs and PPIs only for now (its own timer, the stop IPI, and the maintenance
//! interrupt for the later vGIC); SPIs are left disabled at the distributor.

pub mod v2;
pub mod v3;

use core::sync::atomic::{AtomicPtr, AtomicU8, Ordering};

use crate::boot::fdt::GicInfo;

/// The SGI other CPUs get when one of them crashes or the machine stops.
pub const SGI_STOP: u32 = 0;
/// The default priority of Ferrite's own interrupts.
pub const PRIORITY: u8 = 0xa0;

static VERSION: AtomicU8 = AtomicU8::new(0);
static INFO: spin::Once<GicInfo> = spin::Once::new();

fn mmio_read(addr: u64) -> u32 {
    // SAFETY: callers pass a register of the GIC the DT described, mapped as device memory.
    unsafe { core::ptr::read_volatile(addr as *const u32) }
}

fn mmio_write(addr: u64, v: u32) {
    // SAFETY: as in `mmio_read`.
    unsafe { core::ptr::write_volatile(addr as *mut u32, v) }
}

/// Why the GIC cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GicError {
    /// GICv3 in the DT, but this CPU has no GIC system registers.
    NoSysregs,
    /// No redistributor in the DT's regions matches this CPU's MPIDR.
    NoRedistributor { mpidr: u32 },
}

/// Sets up the distributor and the boot CPU's interface; returns the number of SPIs.
pub fn init(info: &GicInfo, sysregs: bool) -> Result<u32, GicError> {
    INFO.call_once(|| *info);
    let spis = match info {
        GicInfo::V2 { dist, .. } => v2::init_distributor(dist.start),
        GicInfo::V3 { dist, .. } => {
            if !sysregs {
                return Err(GicError::NoSysregs);
            }
            v3::init_distributor(dist.start)
        }
    };
    VERSION.store(info.version(), Ordering::Release);
    init_this_cpu()?;
    Ok(spis)
}

/// Sets up this CPU's interface (and, on v3, its redistributor).
pub fn init_this_cpu() -> Result<(), GicError> {
    match INFO.get() {
        Some(GicInfo::V2 { cpu, .. }) => v2::init_cpu(cpu.start),
        Some(GicInfo::V3 {
            redists,
            redist_count,
            ..
        }) => v3::init_cpu(redists.get(..*redist_count).unwrap_or(&[]))?,
        None => {}
    }
    enable_private(SGI_STOP, PRIORITY);
    Ok(())
}

/// Enables SGI or PPI `intid` (< 32) on this CPU.
pub fn enable_private(intid: u32, priority: u8) {
    match INFO.get() {
        Some(GicInfo::V2 { dist, .. }) => v2::enable_private(dist.start, intid, priority),
        Some(GicInfo::V3 { .. }) => v3::enable_private(intid, priority),
        None => {}
    }
}

/// Sends SGI `sgi` to every CPU but this one.
pub fn send_sgi_others(sgi: u32) {
    match INFO.get() {
        Some(GicInfo::V2 { dist, .. }) => v2::send_sgi_others(dist.start, sgi),
        Some(GicInfo::V3 { .. }) => v3::send_sgi_others(sgi),
        None => {}
    }
}

/// An interrupt handler, given the INTID.
pub type Handler = fn(u32);

static HANDLERS: [AtomicPtr<()>; 32] = [const { AtomicPtr::new(core::ptr::null_mut()) }; 32];

/// Installs `h` for SGI/PPI `intid`.
pub fn set_handler(intid: u32, h: Handler) {
    if let Some(slot) = HANDLERS.get(intid as usize) {
        slot.store(h as *mut (), Ordering::Release);
    }
}

/// Takes and handles pending interrupts (called from the IRQ vector).
pub fn handle_irq() {
    let v3 = VERSION.load(Ordering::Acquire) == 3;
    let cpu = match INFO.get() {
        Some(GicInfo::V2 { cpu, .. }) => cpu.start,
        _ => 0,
    };
    loop {
        let (intid, raw) = if v3 {
            let i = v3::ack();
            (i, i)
        } else {
            v2::ack(cpu)
        };
        if (1020..1024).contains(&intid) {
            return;
        }
        let h = HANDLERS
            .get(intid as usize)
            .map_or(core::ptr::null_mut(), |h| h.load(Ordering::Acquire));
        if h.is_null() {
            log::warn!("GIC: unexpected interrupt {intid}");
        } else {
            // SAFETY: only `set_handler` stores into HANDLERS, and it stores `Handler`s.
            let h: Handler = unsafe { core::mem::transmute::<*mut (), Handler>(h) };
            h(intid);
        }
        if v3 {
            v3::eoi(raw);
        } else {
            v2::eoi(cpu, raw);
        }
    }
}
