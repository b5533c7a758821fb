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
    assert_eq!(p.rm_cpu(one, Some(1), 0), Err(Errno::EADDRNOTAVAIL));
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

#[derive(Clone, Debug)]
enum PoolOp {
    Create(Option<u32>, u32),
    Destroy(u32),
    AddCpu(u32, Option<u32>),
    RmCpu(u32, Option<u32>),
    CreateDomain(u16, u32),
    DestroyDomain(u16),
    MoveDomain(u16, u32),
}

fn pool_op() -> impl proptest::strategy::Strategy<Value = PoolOp> {
    use proptest::prelude::*;
    let pool = 0u32..4;
    let cpu = prop::option::of(0u32..6);
    prop_oneof![
        (prop::option::of(0u32..4), 4u32..10).prop_map(|(p, s)| PoolOp::Create(p, s)),
        pool.clone().prop_map(PoolOp::Destroy),
        (pool.clone(), cpu.clone()).prop_map(|(p, c)| PoolOp::AddCpu(p, c)),
        (pool.clone(), cpu).prop_map(|(p, c)| PoolOp::RmCpu(p, c)),
        (0u16..4, pool.clone()).prop_map(|(d, p)| PoolOp::CreateDomain(d, p)),
        (0u16..4).prop_map(PoolOp::DestroyDomain),
        (0u16..4, pool).prop_map(|(d, p)| PoolOp::MoveDomain(d, p)),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: super::cases(), failure_persistence: None, ..Default::default() })]

    /// Random cpupool operations: never a panic; every CPU is in exactly one pool or free; the
    /// domain counts match; a pool with domains keeps a CPU.
    #[test]
    fn prop_pool_ops_keep_cpus_partitioned(ops in proptest::collection::vec(pool_op(), 1..40)) {
        let mut p = CpuPools::new(SchedConfig::default(), 4, 0);
        let mut doms = std::collections::BTreeMap::new();
        let mut next_unit = 0;
        for (t, op) in ops.into_iter().enumerate() {
            let now = t as Time * millis(1);
            match op {
                PoolOp::Create(id, s) => { let _ = p.create(id, s); }
                PoolOp::Destroy(id) => { let _ = p.destroy(id); }
                PoolOp::AddCpu(id, c) => { let _ = p.add_cpu(id, c, now); }
                PoolOp::RmCpu(id, c) => { let _ = p.rm_cpu(id, c, now); }
                PoolOp::CreateDomain(d, id) => {
                    if p.create_domain(DomId(d), id).is_ok() {
                        for v in 0..2 {
                            p.add_vcpu(DomId(d), v, UnitId(next_unit), None, now).unwrap();
                            p.wake(UnitId(next_unit), now);
                            next_unit += 1;
                        }
                        doms.insert(d, ());
                    }
                }
                PoolOp::DestroyDomain(d) => {
                    if p.destroy_domain(DomId(d), now).is_ok() {
                        doms.remove(&d);
                    }
                }
                PoolOp::MoveDomain(d, id) => { let _ = p.move_domain(DomId(d), id, now); }
            }
            for cpu in 0..4 {
                let d = p.do_schedule(cpu, now);
                let _ = d;
            }
            let mut seen = p.free_cpus().clone();
            let mut n_dom = 0;
            for id in 0..4 {
                let Ok(info) = p.info(id) else { continue };
                proptest::prop_assert!(!info.cpus.intersects(&seen), "cpu in two places");
                if info.n_dom > 0 {
                    proptest::prop_assert!(!info.cpus.is_empty(), "pool {} has domains and no cpu", id);
                }
                for c in info.cpus.iter() {
                    seen.set(c);
                }
                n_dom += info.n_dom;
            }
            proptest::prop_assert_eq!(seen, CpuMask::from_cpus(&[0, 1, 2, 3]));
            proptest::prop_assert_eq!(n_dom as usize, doms.len());
        }
    }
}
