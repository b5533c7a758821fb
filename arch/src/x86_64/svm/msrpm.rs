//! The SVM MSR permission map (AMD APM vol. 2, 15.11): two bits per MSR (read, write) in three
//! 2 KiB ranges, for MSRs 0-0x1fff, 0xc0000000-0xc0001fff and 0xc0010000-0xc0011fff. A set bit
//! makes the access exit; MSRs outside the ranges always exit.
//!
//! A guest gets the MSRs whose state the VMCB switches (so they never touch the host's) and
//! nothing else: every other access exits and is emulated or refused with #GP, as Xen does.

/// Bytes of the map.
pub const SIZE: usize = 8192;

/// MSRs the VMCB saves and loads for the guest (EFER, the syscall and segment-base MSRs,
/// SYSENTER): safe to leave to the guest.
pub const GUEST_OWNED: [u32; 10] = [
    0x174,       // SYSENTER_CS
    0x175,       // SYSENTER_ESP
    0x176,       // SYSENTER_EIP
    0xc000_0080, // EFER (the VMCB holds the guest's; VMRUN checks it)
    0xc000_0081, // STAR
    0xc000_0082, // LSTAR
    0xc000_0083, // CSTAR
    0xc000_0084, // SFMASK
    0xc000_0100, // FS_BASE
    0xc000_0101, // GS_BASE
];

/// Also guest-owned: KERNEL_GS_BASE (kept apart so the array above stays readable).
const KERNEL_GS_BASE: u32 = 0xc000_0102;

/// The bit index of `msr`'s read-intercept bit, if the map covers it.
fn bit(msr: u32) -> Option<usize> {
    let (base, offset) = match msr {
        0..=0x1fff => (0, 0),
        0xc000_0000..=0xc000_1fff => (0xc000_0000, 0x800),
        0xc001_0000..=0xc001_1fff => (0xc001_0000, 0x1000),
        _ => return None,
    };
    Some(offset * 8 + (msr - base) as usize * 2)
}

/// Fills `map`: every access exits except to [`GUEST_OWNED`] MSRs.
pub fn fill(map: &mut [u8; SIZE]) {
    map.fill(0xff);
    for msr in GUEST_OWNED.iter().copied().chain([KERNEL_GS_BASE]) {
        if let Some(b) = bit(msr) {
            // Both bits sit in the same byte (the index is even).
            if let Some(byte) = map.get_mut(b / 8) {
                *byte &= !(0b11 << (b % 8));
            }
        }
    }
}

/// Whether an access to `msr` exits under `map` (`write` selects the write bit).
pub fn intercepted(map: &[u8; SIZE], msr: u32, write: bool) -> bool {
    match bit(msr) {
        Some(b) => {
            let b = b + usize::from(write);
            map.get(b / 8).is_none_or(|byte| byte & (1 << (b % 8)) != 0)
        }
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_guest_owned_msrs_pass() {
        let mut m = [0u8; SIZE];
        fill(&mut m);
        for msr in GUEST_OWNED.iter().copied().chain([KERNEL_GS_BASE]) {
            assert!(!intercepted(&m, msr, false), "{msr:#x} read");
            assert!(!intercepted(&m, msr, true), "{msr:#x} write");
        }
        for msr in [
            0x10,
            0x1b,
            0x277,
            0x2ff,
            0x8b,
            0xc000_0103,
            0xc001_0015,
            0x4000_0000,
        ] {
            assert!(intercepted(&m, msr, false), "{msr:#x} read");
            assert!(intercepted(&m, msr, true), "{msr:#x} write");
        }
        // The APM's layout: EFER's read bit is bit 0x100 of the second range.
        assert_eq!(bit(0xc000_0080), Some(0x800 * 8 + 0x100));
        assert_eq!(bit(0x1fff), Some(0x3ffe));
        assert_eq!(bit(0x2000), None);
    }
}
