//! Host tests of the control interfaces: every op and every error path (house rule
//! `tests-beside`: one file per interface).

mod affinity;
mod bitmap;
mod cpupool;
mod domctl;
mod sysctl;

use ferrite_abi::GuestHandle;
use ferrite_abi::xen::XenctlBitmap;

use crate::core::{DomId, SchedId, UnitId};
use crate::cpupool::{CpuPools, SchedConfig};

/// Pools with pool 0 running `sched` on `cpus` pCPUs and domain 1 with `vcpus` vCPUs (units
/// 0..vcpus).
fn pools_with(sched: SchedId, cpus: u32, vcpus: u32) -> CpuPools {
    let cfg = SchedConfig {
        sched,
        ..SchedConfig::default()
    };
    let mut p = CpuPools::new(cfg, cpus, 0);
    p.create_domain(DomId(1), 0).unwrap();
    for v in 0..vcpus {
        p.add_vcpu(DomId(1), v, UnitId(v), None, 0).unwrap();
    }
    p
}

/// A non-null bitmap descriptor of `nr_bits` bits.
fn map(nr_bits: u32) -> XenctlBitmap {
    XenctlBitmap {
        bitmap: GuestHandle::from_addr(0x1000),
        nr_bits,
        _pad0: 0,
    }
}
