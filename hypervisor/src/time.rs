//! Guest time (`public/xen.h` `vcpu_time_info`; Xen's `xen/arch/x86/time.c`): the scale that
//! turns TSC ticks into nanoseconds, and the version protocol a reader relies on.
//!
//! A guest computes `system_time + (((tsc - tsc_timestamp) << shift) * mul) >> 32`, with a
//! negative shift meaning a right shift.

use ferrite_abi::xen::VcpuTimeInfo;

/// `tsc_to_system_mul` and `tsc_shift` for a TSC of `hz` (Xen's `set_time_scale`).
pub fn scale(hz: u64) -> (u32, i8) {
    let hz = hz.max(1);
    let mut tps = hz;
    let mut shift: i8 = 0;
    while tps > 2_000_000_000 {
        tps >>= 1;
        shift -= 1;
    }
    while tps <= 1_000_000_000 {
        tps <<= 1;
        shift += 1;
    }
    // mul = 1e9 * 2^32 / tps, which is below 2^32 because tps > 1e9.
    let mul = ((1_000_000_000u128 << 32) / u128::from(tps)) as u32;
    (mul, shift)
}

/// What a guest computes from `t` at TSC `tsc`.
pub fn guest_ns(t: &VcpuTimeInfo, tsc: u64) -> u64 {
    let mut delta = tsc.wrapping_sub(t.tsc_timestamp);
    if t.tsc_shift < 0 {
        delta >>= -i32::from(t.tsc_shift);
    } else {
        delta <<= i32::from(t.tsc_shift);
    }
    t.system_time
        .wrapping_add(((u128::from(delta) * u128::from(t.tsc_to_system_mul)) >> 32) as u64)
}

/// A fresh time record: `now_ns` (Ferrite's system time) at `tsc`, with an even version
/// after `prev_version` (the writer makes it odd while it updates; see `write_protocol`).
pub fn record(hz: u64, tsc: u64, now_ns: u64, prev_version: u32) -> VcpuTimeInfo {
    let (mul, shift) = scale(hz);
    VcpuTimeInfo {
        version: prev_version.wrapping_add(2) & !1,
        pad0: 0,
        tsc_timestamp: tsc,
        system_time: now_ns,
        tsc_to_system_mul: mul,
        tsc_shift: shift,
        // XEN_PVCLOCK_TSC_STABLE_BIT stays clear until the TSC is known synchronised.
        flags: 0,
        pad1: [0; 2],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_reproduces_nanoseconds() {
        for hz in [
            1_000_000_000u64,
            2_467_031_000,
            62_500_000,
            3_000_000_000,
            123_456_789,
        ] {
            let t = record(hz, 1000, 5_000, 0);
            let one_second = guest_ns(&t, 1000 + hz) - 5_000;
            let err = one_second.abs_diff(1_000_000_000);
            assert!(err < 2, "hz {hz}: {one_second} ns per second");
            assert_eq!(t.version % 2, 0);
        }
        assert_eq!(record(1_000_000_000, 0, 0, 4).version, 6);
        assert_eq!(record(1_000_000_000, 0, 0, 5).version, 6);
    }
}
