//! Behaviour every scheduler shares: soft affinity as a preference, yield, pinning.

use super::*;
use crate::affinity::{Affinity, CpuMask};

#[test]
fn soft_affinity_is_preferred_when_free() {
    for id in [
        SchedId::Credit,
        SchedId::Credit2,
        SchedId::Rtds,
        SchedId::Null,
    ] {
        let mut sim = new_sim(id, 4);
        let d = DomId(1);
        sim.add_domain(d, 0).unwrap();
        let aff = Affinity {
            hard: CpuMask::all(),
            soft: CpuMask::single(3),
        };
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
        sim.run_until(millis(50) + 123_456);
        let Some(cur) = sim.running()[0] else {
            panic!("{id:?}: idle")
        };
        sim.yield_unit(cur);
        let other = if cur == a { b } else { a };
        assert_eq!(sim.running()[0], Some(other), "{id:?}");
        sim.run_until(sim.now + millis(100));
        assert_clean(&sim);
    }
}

#[test]
fn hard_pinning_is_respected_by_every_scheduler() {
    for id in [
        SchedId::Credit,
        SchedId::Credit2,
        SchedId::Rtds,
        SchedId::Null,
    ] {
        let mut sim = new_sim(id, 3);
        let units: Vec<UnitId> = (1..=4)
            .map(|d| vcpu(&mut sim, d, Workload::Mixed))
            .collect();
        for (i, u) in units.iter().enumerate() {
            sim.set_affinity(*u, Affinity::pinned(i as u32 % 2))
                .unwrap();
        }
        sim.enable_trace();
        sim.run_until(millis(500));
        assert_clean(&sim);
        let trace = sim.trace.take().unwrap_or_default();
        assert!(trace.iter().all(|s| s.cpu == s.unit.0 % 2), "{id:?}");
        assert!(trace.iter().all(|s| s.cpu != 2));
    }
}

/// The simulator's checks can fail: a scheduler that ignores affinity and runs one unit
/// everywhere is caught.
#[test]
fn simulator_catches_a_broken_scheduler() {
    use crate::core::{Cpu, Decision, Scheduler};
    use crate::cpupool::CpuPools;
    use crate::null::Null;

    struct Broken(Null);
    impl Scheduler for Broken {
        fn id(&self) -> SchedId {
            SchedId::Null
        }
        fn add_cpu(&mut self, c: Cpu, n: Time) {
            self.0.add_cpu(c, n)
        }
        fn remove_cpu(&mut self, c: Cpu, n: Time) {
            self.0.remove_cpu(c, n)
        }
        fn add_domain(&mut self, d: DomId) -> Result<(), ferrite_abi::Errno> {
            self.0.add_domain(d)
        }
        fn remove_domain(&mut self, d: DomId) {
            self.0.remove_domain(d)
        }
        fn insert_unit(&mut self, s: &crate::UnitSpec, n: Time) -> Result<(), ferrite_abi::Errno> {
            self.0.insert_unit(s, n)
        }
        fn remove_unit(&mut self, u: UnitId, n: Time) {
            self.0.remove_unit(u, n)
        }
        fn sleep(&mut self, u: UnitId, n: Time) {
            self.0.sleep(u, n)
        }
        fn wake(&mut self, u: UnitId, n: Time) {
            self.0.wake(u, n)
        }
        fn yield_unit(&mut self, u: UnitId, n: Time) {
            self.0.yield_unit(u, n)
        }
        fn do_schedule(&mut self, _cpu: Cpu, _now: Time) -> Decision {
            Decision {
                unit: Some(UnitId(0)),
                run_for: Some(millis(1)),
            }
        }
        fn pick_cpu(&self, u: UnitId) -> Option<Cpu> {
            self.0.pick_cpu(u)
        }
        fn set_affinity(&mut self, u: UnitId, a: &Affinity, n: Time) {
            self.0.set_affinity(u, a, n)
        }
        fn adjust_domain(
            &mut self,
            d: DomId,
            op: DomOp,
            n: Time,
        ) -> Result<DomParams, ferrite_abi::Errno> {
            self.0.adjust_domain(d, op, n)
        }
        fn adjust_global(
            &mut self,
            p: Option<crate::core::GlobalParams>,
            n: Time,
        ) -> Result<crate::core::GlobalParams, ferrite_abi::Errno> {
            self.0.adjust_global(p, n)
        }
        fn take_tickles(&mut self, out: &mut CpuMask) {
            self.0.take_tickles(out)
        }
        fn dump(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
            self.0.dump(out)
        }
    }

    let cfg = SchedConfig::default();
    let pools = CpuPools::with_scheduler(cfg, Box::new(Broken(Null::new())), 2, 0);
    let mut sim = Sim::with_pools(pools, 2, 1);
    let u = vcpu(
        &mut sim,
        1,
        Workload::IoBound {
            run: millis(1),
            sleep: millis(3),
        },
    );
    sim.set_affinity(u, Affinity::pinned(1)).unwrap();
    sim.run_until(millis(20));
    let v = sim.violations.join("\n");
    assert!(v.contains("while running on"), "{v}");
    assert!(v.contains("outside hard affinity"), "{v}");
    assert!(v.contains("Blocked"), "{v}");
}

#[test]
fn dump_names_each_scheduler() {
    for id in SchedId::ALL {
        let mut sim = new_sim(id, 2);
        vcpu(&mut sim, 1, Workload::CpuBound);
        let mut out = String::new();
        let pool = sim.pools.pool_mut(0).unwrap();
        pool.sched.dump(&mut out).unwrap();
        assert!(out.contains(&format!("({})", id.opt_name())), "{out}");
    }
}
