//! Behaviour every scheduler shares: soft affinity as a preference, yield, pinning.

use super::*;
use crate::affinity::{Affinity, CpuMask};

#[test]
fn soft_affinity_is_preferred_when_free() {
    for id in [SchedId::Credit, SchedId::Credit2, SchedId::Rtds, SchedId::Null] {
        let mut sim = new_sim(id, 4);
        let d = DomId(1);
        sim.add_domain(d, 0).unwrap();
        let aff = Affinity { hard: CpuMask::all(), soft: CpuMask::single(3) };
        let u = sim.add_vcpu(d, Workload::CpuBound, Some(aff)).unwrap();
        assert_eq!(sim.running()[3], Some(u), "{id:?}");
        sim.run_until(millis(100));
        assert_clean(&sim);
        assert_eq!(sim.running()[3], Some(u), "{id:?}");
    }
}

#[test]
fn yield_lets_the_other_unit_run() {
    for id in [SchedId::Credit, SchedId::Credit2] {
        let mut sim = new_sim(id, 1);
        let a = vcpu(&mut sim, 1, Workload::CpuBound);
        let b = vcpu(&mut sim, 2, Workload::CpuBound);
        sim.run_until(millis(50));
        let before = sim.running()[0];
        let Some(cur) = before else { panic!("{id:?}: idle") };
        sim.run_until(sim.now + millis(2));
        let cur_now = sim.running()[0];
        if cur_now == Some(cur) {
            sim.yield_unit(cur);
            let other = if cur == a { b } else { a };
            assert_eq!(sim.running()[0], Some(other), "{id:?}");
        }
        sim.run_until(sim.now + millis(100));
        assert_clean(&sim);
    }
}

#[test]
fn hard_pinning_is_respected_by_every_scheduler() {
    for id in [SchedId::Credit, SchedId::Credit2, SchedId::Rtds, SchedId::Null] {
        let mut sim = new_sim(id, 3);
        let units: Vec<UnitId> = (1..=4).map(|d| vcpu(&mut sim, d, Workload::Mixed)).collect();
        for (i, u) in units.iter().enumerate() {
            sim.set_affinity(*u, Affinity::pinned(i as u32 % 2)).unwrap();
        }
        sim.enable_trace();
        sim.run_until(millis(500));
        assert_clean(&sim);
        let trace = sim.trace.take().unwrap_or_default();
        assert!(trace.iter().all(|s| s.cpu == s.unit.0 % 2), "{id:?}");
        assert!(trace.iter().all(|s| s.cpu != 2));
    }
}
