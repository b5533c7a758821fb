//! XEN_DOMCTL_{set,get}vcpuaffinity.

use ferrite_abi::domctl::*;
use ferrite_abi::xen::XenctlBitmap;
use ferrite_abi::{Errno, GuestHandle};

use super::{map, pools_with};
use crate::affinity::CpuMask;
use crate::core::{SchedId, UnitId};
use crate::ctl::GuestBitmap;
use crate::ctl::vcpuaffinity::{AffinityMaps, get_vcpu_affinity, set_vcpu_affinity};

fn aff(vcpu: u32, flags: u32) -> XenDomctlVcpuaffinity {
    XenDomctlVcpuaffinity {
        vcpu,
        flags,
        cpumap_hard: map(8),
        cpumap_soft: map(8),
    }
}

fn one(b: u8) -> Option<GuestBitmap> {
    Some(GuestBitmap {
        bytes: vec![b],
        zero_fill: 0,
    })
}

const BOTH: u32 = XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT;

#[test]
fn argument_errors() {
    let mut p = pools_with(SchedId::Credit, 4, 2);
    let null = XenctlBitmap {
        bitmap: GuestHandle::NULL,
        nr_bits: 8,
        _pad0: 0,
    };
    let mut no_hard = aff(0, BOTH);
    no_hard.cpumap_hard = null;
    let mut no_soft = aff(0, XEN_VCPUAFFINITY_SOFT);
    no_soft.cpumap_soft = null;
    for (o, e) in [
        (aff(2, XEN_VCPUAFFINITY_HARD), Errno::EINVAL),
        (aff(0, 0), Errno::EINVAL),
        (no_hard, Errno::EINVAL),
        (no_soft, Errno::EINVAL),
    ] {
        assert_eq!(
            set_vcpu_affinity(&mut p, 1, 2, &o, &[1], &[1], 0),
            Err(e),
            "{o:?}"
        );
        assert_eq!(get_vcpu_affinity(&p, 1, 2, &o), Err(e), "{o:?}");
    }
    // vCPU below max_vcpus that was never created, or an unknown domain: ESRCH.
    assert_eq!(
        get_vcpu_affinity(&p, 1, 4, &aff(3, BOTH)),
        Err(Errno::ESRCH)
    );
    assert_eq!(
        get_vcpu_affinity(&p, 7, 4, &aff(0, BOTH)),
        Err(Errno::ESRCH)
    );
    // A hard affinity without a pCPU of the pool: EINVAL, nothing changes.
    let o = aff(0, BOTH);
    assert_eq!(
        set_vcpu_affinity(&mut p, 1, 2, &o, &[0xf0], &[1], 0),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        set_vcpu_affinity(&mut p, 1, 2, &o, &[], &[1], 0),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        get_vcpu_affinity(&p, 1, 2, &o),
        Ok(AffinityMaps {
            hard: one(0x0f),
            soft: one(0x0f)
        })
    );
}

#[test]
fn set_answers_the_effective_maps_and_get_the_stored_ones() {
    let mut p = pools_with(SchedId::Credit2, 4, 2);
    p.rm_cpu(0, Some(3), 0).unwrap();
    // Hard {1,3}: pCPU 3 left the pool, so the effective hard map is {1}; soft {0,1} ∩ that.
    let o = aff(1, BOTH);
    assert_eq!(
        set_vcpu_affinity(&mut p, 1, 2, &o, &[0x0a], &[0x03], 0),
        Ok(AffinityMaps {
            hard: one(0x02),
            soft: one(0x02)
        })
    );
    assert_eq!(
        p.affinity(UnitId(1)).unwrap().hard,
        CpuMask::from_cpus(&[1, 3])
    );
    assert_eq!(
        get_vcpu_affinity(&p, 1, 2, &o),
        Ok(AffinityMaps {
            hard: one(0x0a),
            soft: one(0x03)
        })
    );
    // Soft only: hard stays; the answer names only soft.
    let o = aff(1, XEN_VCPUAFFINITY_SOFT | XEN_VCPUAFFINITY_FORCE);
    assert_eq!(
        set_vcpu_affinity(&mut p, 1, 2, &o, &[], &[0x04], 0),
        Ok(AffinityMaps {
            hard: None,
            soft: one(0)
        })
    );
    assert_eq!(
        p.affinity(UnitId(1)).unwrap().hard,
        CpuMask::from_cpus(&[1, 3])
    );
    // Hard only, with a wide guest map: zero-filled answer.
    let mut o = aff(0, XEN_VCPUAFFINITY_HARD);
    o.cpumap_hard = map(64);
    assert_eq!(
        set_vcpu_affinity(&mut p, 1, 2, &o, &[0x01], &[], 0),
        Ok(AffinityMaps {
            hard: Some(GuestBitmap {
                bytes: vec![0x01],
                zero_fill: 7
            }),
            soft: None
        })
    );
}
