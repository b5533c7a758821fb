//! cpupool operations and their errors.

use super::*;
use crate::affinity::{Affinity, CpuMask};
use crate::cpupool::{CpuPools, UnknownScheduler};
use ferrite_abi::Errno;

#[test]
fn sched_option_picks_pool0_scheduler() {
    let mut cfg = SchedConfig::default();
    assert_eq!(cfg.sched, SchedId::Credit2);
    assert_eq!(cfg.set_sched("rtds"), Ok(()));
    assert_eq!(
        CpuPools::new(cfg, 2, 0).info(0).unwrap().sched,
        SchedId::Rtds
    );
    assert_eq!(cfg.set_sched("sedf"), Err(UnknownScheduler));
    assert_eq!(
        CpuPools::new(cfg, 2, 0).info(0).unwrap().sched,
        SchedId::Credit2
    );
}

#[test]
fn pool_create_destroy_errors() {
    let mut p = CpuPools::new(SchedConfig::default(), 4, 0);
    assert_eq!(p.create(Some(0), 5), Err(Errno::EEXIST));
    assert_eq!(p.create(Some(3), 4), Err(Errno::ENOENT), "SEDF is gone");
    assert_eq!(p.create(None, SchedId::Null as u32), Ok(1));
    assert_eq!(p.create(Some(5), SchedId::Rtds as u32), Ok(5));
    assert_eq!(p.destroy(9), Err(Errno::ENOENT));
    assert_eq!(p.destroy(0), Err(Errno::EBUSY));
    assert_eq!(p.rm_cpu(0, Some(3), 0), Ok(3));
    assert_eq!(p.add_cpu(5, Some(3), 0), Ok(3));
    assert_eq!(p.destroy(5), Err(Errno::EBUSY), "still has a CPU");
    assert_eq!(p.rm_cpu(5, None, 0), Ok(3));
    assert_eq!(p.destroy(5), Ok(()));
    assert_eq!(p.info(5), Err(Errno::ENOENT));
}

#[test]
fn pool_cpu_errors() {
    let mut p = CpuPools::new(SchedConfig::default(), 4, 0);
    let one = p.create(None, SchedId::Credit as u32).unwrap();
    assert_eq!(
        p.rm_cpu(0, Some(0), 0),
        Err(Errno::EINVAL),
        "cpu0 stays in pool 0"
    );
    assert_eq!(p.rm_cpu(0, Some(9), 0), Err(Errno::EINVAL));
    assert_eq!(p.rm_cpu(one, Some(1), 0), Err(Errno::ENODEV));
    assert_eq!(
        p.add_cpu(one, Some(1), 0),
        Err(Errno::ENODEV),
        "cpu1 is not free"
    );
    assert_eq!(p.add_cpu(one, Some(4), 0), Err(Errno::EINVAL));
    assert_eq!(p.add_cpu(one, None, 0), Err(Errno::ENODEV), "no free cpu");
    assert_eq!(p.add_cpu(7, None, 0), Err(Errno::ENOENT));
    p.rm_cpu(0, Some(2), 0).unwrap();
    assert_eq!(p.free_cpus(), &CpuMask::single(2));
    assert_eq!(p.add_cpu(one, None, 0), Ok(2));
    assert_eq!(p.create_domain(DomId(4), 9), Err(Errno::ESRCH));
    p.create_domain(DomId(4), one).unwrap();
    assert_eq!(
        p.rm_cpu(one, Some(2), 0),
        Err(Errno::EBUSY),
        "last cpu of a pool with a domain"
    );
    let empty = p.create(None, SchedId::Null as u32).unwrap();
    assert_eq!(p.create_domain(DomId(5), empty), Err(Errno::ENODEV));
    assert_eq!(
        p.move_domain(DomId(4), empty, 0),
        Err(Errno::ENOENT),
        "pool without cpus"
    );
    assert_eq!(p.move_domain(DomId(9), 0, 0), Err(Errno::ESRCH));
    assert_eq!(p.move_domain(DomId(4), 0, 0), Ok(()));
    assert_eq!(p.info(one).unwrap().n_dom, 0);
    assert_eq!(p.info(0).unwrap().n_dom, 1);
}

#[test]
fn domain_moves_between_schedulers_and_runs_only_on_its_pool() {
    let mut sim = new_sim(SchedId::Credit2, 4);
    let rt = sim.pools.create(None, SchedId::Rtds as u32).unwrap();
    sim.move_cpu(3, rt).unwrap();
    sim.move_cpu(2, rt).unwrap();
    let units: Vec<UnitId> = (0..4).map(|_| vcpu(&mut sim, 1, Workload::Mixed)).collect();
    vcpu(&mut sim, 2, Workload::CpuBound);
    sim.enable_trace();
    sim.run_until(millis(200));
    sim.move_domain(DomId(1), rt).unwrap();
    sim.run_until(millis(400));
    assert_clean(&sim);
    let trace = sim.trace.take().unwrap_or_default();
    for s in trace.iter().filter(|s| units.contains(&s.unit)) {
        let in_rt = s.cpu >= 2;
        assert_eq!(in_rt, s.start >= millis(200), "{s:?}");
    }
}

#[test]
fn affinity_outside_pool_is_rejected_and_dom0_pin_honoured() {
    let cfg = SchedConfig {
        dom0_vcpus_pin: true,
        ..SchedConfig::default()
    };
    let mut sim = Sim::new(cfg, 3, 1);
    let other = sim.pools.create(None, SchedId::Credit as u32).unwrap();
    sim.move_cpu(2, other).unwrap();
    sim.add_domain(DomId(0), 0).unwrap();
    let v: Vec<UnitId> = (0..3)
        .map(|_| sim.add_vcpu(DomId(0), Workload::CpuBound, None).unwrap())
        .collect();
    let pinned: Vec<_> = v.iter().map(|u| sim.pools.affinity(*u).cloned()).collect();
    assert_eq!(
        pinned,
        vec![
            Some(Affinity::pinned(0)),
            Some(Affinity::pinned(1)),
            Some(Affinity::pinned(0))
        ]
    );
    assert_eq!(
        sim.set_affinity(v[0], Affinity::pinned(2)),
        Err(Errno::EINVAL)
    );
    sim.run_until(millis(300));
    assert_clean(&sim);
}
