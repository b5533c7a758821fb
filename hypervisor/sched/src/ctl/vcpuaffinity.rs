//! `XEN_DOMCTL_setvcpuaffinity` / `XEN_DOMCTL_getvcpuaffinity` (`public/domctl.h`; Xen:
//! `vcpu_affinity_domctl` and `vcpu_set_hard_affinity` in `common/sched/core.c`).
//!
//! # Caller
//! Copy `struct xen_domctl_vcpuaffinity` in. For a set, copy in
//! [`input_len`](super::bitmap::input_len)`(map.nr_bits, pools.nr_cpus())` bytes of
//! `cpumap_hard` when `flags` has `XEN_VCPUAFFINITY_HARD` and of `cpumap_soft` when it has
//! `XEN_VCPUAFFINITY_SOFT` (empty slices otherwise). Write each returned [`GuestBitmap`] to its
//! map's `bitmap` handle. The op struct is not changed.
//!
//! # Semantics kept from Xen
//! `EINVAL` for a vCPU number at or above `max_vcpus`, `ESRCH` for a vCPU that does not exist,
//! `EINVAL` for `flags == 0` or a null handle for a map the flags name, `EINVAL` for a hard
//! affinity without a pCPU of the domain's pool (nothing changes then). A set answers with the
//! affinity in effect: hard ∩ the pool's pCPUs, and soft ∩ the pool's pCPUs ∩ hard. A get
//! answers with the maps as set. `XEN_VCPUAFFINITY_FORCE` undoes a `SCHEDOP_pin_override`,
//! which Ferrite's scheduler does not keep, so it has no effect here.

use ferrite_abi::Errno;
use ferrite_abi::domctl::{XEN_VCPUAFFINITY_HARD, XEN_VCPUAFFINITY_SOFT, XenDomctlVcpuaffinity};

use super::bitmap::{GuestBitmap, cpumask_from_guest, cpumask_to_guest};
use crate::affinity::CpuMask;
use crate::core::{DomId, Time, UnitId};
use crate::cpupool::CpuPools;

/// The maps to write back; `None` for a map the flags did not name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AffinityMaps {
    /// For `cpumap_hard`.
    pub hard: Option<GuestBitmap>,
    /// For `cpumap_soft`.
    pub soft: Option<GuestBitmap>,
}

/// The checks shared by set and get; returns the unit and its pool's pCPUs.
fn lookup(
    pools: &CpuPools,
    domid: u16,
    max_vcpus: u32,
    op: &XenDomctlVcpuaffinity,
) -> Result<(UnitId, CpuMask), Errno> {
    if op.vcpu >= max_vcpus {
        return Err(Errno::EINVAL);
    }
    let dom = DomId(domid);
    let unit = pools.unit_of(dom, op.vcpu).ok_or(Errno::ESRCH)?;
    let hard = op.flags & XEN_VCPUAFFINITY_HARD != 0;
    let soft = op.flags & XEN_VCPUAFFINITY_SOFT != 0;
    if op.flags == 0
        || (hard && op.cpumap_hard.bitmap.is_null())
        || (soft && op.cpumap_soft.bitmap.is_null())
    {
        return Err(Errno::EINVAL);
    }
    let pool = pools.pool_of_domain(dom).ok_or(Errno::ESRCH)?;
    let cpus = pools.info(pool).map_err(|_| Errno::ESRCH)?.cpus;
    Ok((unit, cpus))
}

/// `XEN_DOMCTL_setvcpuaffinity` for vCPU `op.vcpu` of `domid` (a domain with `max_vcpus`
/// vCPUs). `hard_map` and `soft_map` are the bytes the caller copied from the guest.
pub fn set_vcpu_affinity(
    pools: &mut CpuPools,
    domid: u16,
    max_vcpus: u32,
    op: &XenDomctlVcpuaffinity,
    hard_map: &[u8],
    soft_map: &[u8],
    now: Time,
) -> Result<AffinityMaps, Errno> {
    let (unit, pool_cpus) = lookup(pools, domid, max_vcpus, op)?;
    let nr_cpus = pools.nr_cpus();
    let mut aff = pools.affinity(unit).cloned().unwrap_or_default();
    let set_hard = op.flags & XEN_VCPUAFFINITY_HARD != 0;
    let set_soft = op.flags & XEN_VCPUAFFINITY_SOFT != 0;
    if set_hard {
        aff.hard = cpumask_from_guest(hard_map, op.cpumap_hard.nr_bits, nr_cpus);
        if !aff.hard.intersects(&pool_cpus) {
            return Err(Errno::EINVAL);
        }
    }
    if set_soft {
        aff.soft = cpumask_from_guest(soft_map, op.cpumap_soft.nr_bits, nr_cpus);
    }
    pools.set_affinity(unit, aff.clone(), now)?;
    let hard_eff = aff.hard.and(&pool_cpus);
    Ok(AffinityMaps {
        hard: set_hard.then(|| cpumask_to_guest(&hard_eff, op.cpumap_hard.nr_bits, nr_cpus)),
        soft: set_soft.then(|| {
            let soft_eff = aff.soft.and(&hard_eff);
            cpumask_to_guest(&soft_eff, op.cpumap_soft.nr_bits, nr_cpus)
        }),
    })
}

/// `XEN_DOMCTL_getvcpuaffinity`: the maps as last set.
pub fn get_vcpu_affinity(
    pools: &CpuPools,
    domid: u16,
    max_vcpus: u32,
    op: &XenDomctlVcpuaffinity,
) -> Result<AffinityMaps, Errno> {
    let (unit, _) = lookup(pools, domid, max_vcpus, op)?;
    let nr_cpus = pools.nr_cpus();
    let aff = pools.affinity(unit).cloned().unwrap_or_default();
    Ok(AffinityMaps {
        hard: (op.flags & XEN_VCPUAFFINITY_HARD != 0)
            .then(|| cpumask_to_guest(&aff.hard, op.cpumap_hard.nr_bits, nr_cpus)),
        soft: (op.flags & XEN_VCPUAFFINITY_SOFT != 0)
            .then(|| cpumask_to_guest(&aff.soft, op.cpumap_soft.nr_bits, nr_cpus)),
    })
}
