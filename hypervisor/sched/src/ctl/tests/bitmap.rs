//! xenctl_bitmap conversions.

use crate::affinity::CpuMask;
use crate::ctl::bitmap::*;

#[test]
fn input_copies_the_shorter_map_and_masks_past_nr_bits() {
    assert_eq!(input_len(12, 4), 1);
    assert_eq!(input_len(4, 64), 1);
    assert_eq!(input_len(0, 8), 0);
    assert_eq!(input_len(64, 20), 3);
    // Guest map of 3 bits: bit 3 and up of its only byte are not part of it.
    assert_eq!(
        cpumask_from_guest(&[0xff], 3, 8),
        CpuMask::from_cpus(&[0, 1, 2])
    );
    // Bits past the last pCPU are dropped; bytes past input_len are ignored.
    assert_eq!(
        cpumask_from_guest(&[0xff, 0xff], 16, 4),
        CpuMask::from_cpus(&[0, 1, 2, 3])
    );
    assert_eq!(
        cpumask_from_guest(&[0x02, 0x01], 16, 16),
        CpuMask::from_cpus(&[1, 8])
    );
    assert_eq!(cpumask_from_guest(&[], 16, 16), CpuMask::empty());
}

#[test]
fn output_truncates_or_zero_fills_to_the_guest_length() {
    let all = CpuMask::all();
    // 4 pCPUs into a 64-bit guest map: one byte with bits 0..3, then seven zero bytes.
    assert_eq!(
        cpumask_to_guest(&all, 64, 4),
        GuestBitmap {
            bytes: vec![0x0f],
            zero_fill: 7
        }
    );
    // 16 pCPUs into an 8-bit guest map: truncated to one byte.
    let m = CpuMask::from_cpus(&[1, 9]);
    assert_eq!(
        cpumask_to_guest(&m, 8, 16),
        GuestBitmap {
            bytes: vec![0x02],
            zero_fill: 0
        }
    );
    assert_eq!(cpumask_to_guest(&m, 0, 16), GuestBitmap::default());
    assert_eq!(cpumask_to_guest(&m, 64, 0), GuestBitmap::default());
}
