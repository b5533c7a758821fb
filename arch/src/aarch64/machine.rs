//! PSCI (Arm DEN 0022): version and feature probes, CPU_ON, SYSTEM_OFF and SYSTEM_RESET,
//! through the conduit the DT names (Xen's `xen/arch/arm/psci.c`).

use core::sync::atomic::{AtomicU8, Ordering};

use crate::boot::fdt::PsciMethod;

pub const PSCI_VERSION: u32 = 0x8400_0000;
pub const CPU_ON_64: u32 = 0xc400_0003;
pub const SYSTEM_OFF: u32 = 0x8400_0008;
pub const SYSTEM_RESET: u32 = 0x8400_0009;
pub const PSCI_FEATURES: u32 = 0x8400_000a;

/// 0 = none known, 1 = SMC, 2 = HVC.
static CONDUIT: AtomicU8 = AtomicU8::new(0);

pub fn set_conduit(m: Option<PsciMethod>) {
    let v = match m {
        None => 0,
        Some(PsciMethod::Smc) => 1,
        Some(PsciMethod::Hvc) => 2,
    };
    CONDUIT.store(v, Ordering::Relaxed);
}

pub fn conduit() -> Option<PsciMethod> {
    match CONDUIT.load(Ordering::Relaxed) {
        1 => Some(PsciMethod::Smc),
        2 => Some(PsciMethod::Hvc),
        _ => None,
    }
}

/// A PSCI call; `None` when no conduit is known.
pub fn call(fid: u32, a1: u64, a2: u64, a3: u64) -> Option<i64> {
    let mut x0 = u64::from(fid);
    match conduit()? {
        // SAFETY: an SMC/HVC with a PSCI function ID goes to firmware (or, for HVC at EL1, to
        // the hypervisor below); PSCI calls preserve x4-x17 and x19-x30 (SMCCC), x0-x3 are
        // declared clobbered.
        PsciMethod::Smc => unsafe {
            core::arch::asm!("smc #0", inout("x0") x0, inout("x1") a1 => _, inout("x2") a2 => _,
                inout("x3") a3 => _, options(nostack))
        },
        // SAFETY: as above.
        PsciMethod::Hvc => unsafe {
            core::arch::asm!("hvc #0", inout("x0") x0, inout("x1") a1 => _, inout("x2") a2 => _,
                inout("x3") a3 => _, options(nostack))
        },
    }
    Some(x0 as i64)
}

/// (major, minor).
pub fn version() -> Option<(u16, u16)> {
    let v = call(PSCI_VERSION, 0, 0, 0)? as u32;
    Some(((v >> 16) as u16, v as u16))
}

/// Whether PSCI_FEATURES says `fid` is implemented (PSCI 1.0+).
pub fn has_feature(fid: u32) -> Option<bool> {
    call(PSCI_FEATURES, u64::from(fid), 0, 0).map(|r| r >= 0)
}

/// PSCI SYSTEM_OFF; returns only if firmware refused.
pub fn system_off() {
    let _ = call(SYSTEM_OFF, 0, 0, 0);
}

/// PSCI SYSTEM_RESET; returns only if firmware refused.
pub fn system_reset() {
    let _ = call(SYSTEM_RESET, 0, 0, 0);
}

/// PSCI's error names.
pub fn error_name(e: i64) -> &'static str {
    match e {
        -1 => "NOT_SUPPORTED",
        -2 => "INVALID_PARAMETERS",
        -3 => "DENIED",
        -4 => "ALREADY_ON",
        -5 => "ON_PENDING",
        -6 => "INTERNAL_FAILURE",
        -7 => "NOT_PRESENT",
        -8 => "DISABLED",
        -9 => "INVALID_ADDRESS",
        _ => "unknown error",
    }
}
