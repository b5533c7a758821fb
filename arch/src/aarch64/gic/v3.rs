//! GICv3 (Arm IHI 0069): distributor, this CPU's redistributor, and the ICC system-register
//! CPU interface.

use core::sync::atomic::{AtomicU64, Ordering};

use super::{GicError, mmio_read, mmio_write};
use crate::boot::info::PhysRange;
use crate::percpu::MAX_CPUS;

const GICD_CTLR: u64 = 0x0000;
const GICD_TYPER: u64 = 0x0004;
const GICD_ICENABLER: u64 = 0x0180;
const CTLR_RWP: u32 = 1 << 31;
const CTLR_ARE: u32 = 1 << 4;
const CTLR_ENABLE_G1: u32 = 1 << 1;
const GICR_TYPER: u64 = 0x0008;
const GICR_WAKER: u64 = 0x0014;
const SGI_BASE: u64 = 0x1_0000;
const GICR_IGROUPR0: u64 = SGI_BASE + 0x080;
const GICR_ISENABLER0: u64 = SGI_BASE + 0x100;
const GICR_IPRIORITYR: u64 = SGI_BASE + 0x400;

/// Each CPU's redistributor (RD_base), by Ferrite CPU index.
static REDIST: [AtomicU64; MAX_CPUS] = [const { AtomicU64::new(0) }; MAX_CPUS];

fn wait_rwp(reg: u64) {
    for _ in 0..1_000_000 {
        if mmio_read(reg) & CTLR_RWP == 0 {
            return;
        }
        core::hint::spin_loop();
    }
}

/// Disables every SPI, then enables affinity routing and group 1; returns the SPI count.
pub fn init_distributor(dist: u64) -> u32 {
    mmio_write(dist + GICD_CTLR, 0);
    wait_rwp(dist + GICD_CTLR);
    let lines = ((mmio_read(dist + GICD_TYPER) & 0x1f) + 1) * 32;
    for i in 1..lines.min(1020) / 32 {
        mmio_write(dist + GICD_ICENABLER + u64::from(i) * 4, u32::MAX);
    }
    wait_rwp(dist + GICD_CTLR);
    mmio_write(dist + GICD_CTLR, CTLR_ARE | CTLR_ENABLE_G1);
    wait_rwp(dist + GICD_CTLR);
    lines.saturating_sub(32)
}

fn find_redistributor(regions: &[PhysRange], aff: u32) -> Option<u64> {
    for r in regions {
        let mut rd = r.start;
        while rd + 0x2_0000 <= r.end {
            let lo = u64::from(mmio_read(rd + GICR_TYPER));
            let hi = u64::from(mmio_read(rd + GICR_TYPER + 4));
            if hi as u32 == aff {
                return Some(rd);
            }
            if lo & (1 << 4) != 0 {
                break; // Last
            }
            // Two 64 KiB frames, four with virtual LPIs (VLPIS).
            rd += if lo & (1 << 1) != 0 {
                0x4_0000
            } else {
                0x2_0000
            };
        }
    }
    None
}

/// Wakes this CPU's redistributor, puts SGIs/PPIs in group 1, and enables the ICC interface.
pub fn init_cpu(regions: &[PhysRange]) -> Result<(), GicError> {
    let aff = crate::aarch64::cpu::mpidr_affinity();
    let rd = find_redistributor(regions, aff).ok_or(GicError::NoRedistributor { mpidr: aff })?;
    let me = crate::aarch64::percpu::cpu_index() as usize;
    if let Some(slot) = REDIST.get(me) {
        slot.store(rd, Ordering::Release);
    }
    let waker = mmio_read(rd + GICR_WAKER);
    mmio_write(rd + GICR_WAKER, waker & !(1 << 1)); // ProcessorSleep
    for _ in 0..1_000_000 {
        if mmio_read(rd + GICR_WAKER) & (1 << 2) == 0 {
            break; // ChildrenAsleep clear
        }
        core::hint::spin_loop();
    }
    mmio_write(rd + GICR_IGROUPR0, u32::MAX);
    // SAFETY: the GIC system registers exist (checked by `super::init`); SRE|DFB|DIB|Enable
    // at EL2 selects the system-register interface; PMR, BPR1 and IGRPEN1 then open group 1.
    unsafe {
        core::arch::asm!(
            "mrs {t}, icc_sre_el2",
            "orr {t}, {t}, #0xf",
            "msr icc_sre_el2, {t}",
            "isb",
            "mov {t}, #0xff",
            "msr icc_pmr_el1, {t}",
            "msr icc_bpr1_el1, xzr",
            "msr icc_ctlr_el1, xzr",
            "mov {t}, #1",
            "msr icc_igrpen1_el1, {t}",
            "isb",
            t = out(reg) _,
            options(nostack)
        )
    };
    Ok(())
}

pub fn enable_private(intid: u32, priority: u8) {
    let me = crate::aarch64::percpu::cpu_index() as usize;
    let rd = REDIST.get(me).map_or(0, |r| r.load(Ordering::Acquire));
    if rd == 0 || intid >= 32 {
        return;
    }
    let reg = rd + GICR_IPRIORITYR + u64::from(intid & !3);
    let shift = (intid & 3) * 8;
    let v = mmio_read(reg) & !(0xff << shift);
    mmio_write(reg, v | (u32::from(priority) << shift));
    mmio_write(rd + GICR_ISENABLER0, 1 << intid);
}

/// ICC_SGI1R_EL1 with IRM = 1: every PE but this one.
pub fn send_sgi_others(sgi: u32) {
    let v = (1u64 << 40) | (u64::from(sgi & 0xf) << 24);
    // SAFETY: generates a group-1 SGI; the GIC system-register interface is enabled.
    unsafe {
        core::arch::asm!("dsb ishst", "msr icc_sgi1r_el1, {}", "isb", in(reg) v, options(nostack))
    };
}

pub fn ack() -> u32 {
    let v: u64;
    // SAFETY: acknowledges the highest-priority pending group-1 interrupt.
    unsafe { core::arch::asm!("mrs {}, icc_iar1_el1", out(reg) v, options(nostack)) };
    (v & 0xff_ffff) as u32
}

pub fn eoi(intid: u32) {
    // SAFETY: ends the interrupt `ack` returned (EOImode 0: also deactivates it).
    unsafe {
        core::arch::asm!("msr icc_eoir1_el1, {}", "isb", in(reg) u64::from(intid), options(nostack))
    };
}
