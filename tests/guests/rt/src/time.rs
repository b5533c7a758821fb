//! Xen system time as a guest reads it (`public/xen.h` `vcpu_time_info`): the record in this
//! vCPU's `vcpu_info`, read with the version protocol and extended with the TSC.

use core::ptr::read_volatile;

use crate::hypercall;

/// The calling vCPU's id (Ferrite and Xen put it in CPUID leaf 1's initial APIC id).
pub fn this_vcpu() -> u32 {
    crate::cpu::cpuid(1, 0).ebx >> 24
}

/// One consistent copy of the time record: (version, tsc_timestamp, system_time, mul, shift).
pub fn record(vcpu: u32) -> Option<(u32, u64, u64, u32, i8)> {
    let si = hypercall::map_shared_info().ok()?;
    // SAFETY: `si` is the mapped shared_info page; the loop re-reads until the version is
    // even and unchanged, as the protocol requires.
    unsafe {
        let t = &raw const (*si).vcpu_info.get(vcpu as usize)?.time;
        loop {
            let v1 = read_volatile(&raw const (*t).version);
            core::sync::atomic::fence(core::sync::atomic::Ordering::Acquire);
            let tsc = read_volatile(&raw const (*t).tsc_timestamp);
            let sys = read_volatile(&raw const (*t).system_time);
            let mul = read_volatile(&raw const (*t).tsc_to_system_mul);
            let shift = read_volatile(&raw const (*t).tsc_shift);
            core::sync::atomic::fence(core::sync::atomic::Ordering::Acquire);
            let v2 = read_volatile(&raw const (*t).version);
            if v1 == v2 && v1 & 1 == 0 {
                return Some((v1, tsc, sys, mul, shift));
            }
        }
    }
}

/// Xen system time now (ns since the hypervisor booted), or `None` before shared_info.
pub fn now_ns() -> Option<u64> {
    let (_, tsc0, sys, mul, shift) = record(this_vcpu())?;
    let mut delta = crate::cpu::rdtsc().wrapping_sub(tsc0);
    if shift < 0 {
        delta >>= -i32::from(shift);
    } else {
        delta <<= i32::from(shift);
    }
    Some(sys.wrapping_add(((u128::from(delta) * u128::from(mul)) >> 32) as u64))
}
