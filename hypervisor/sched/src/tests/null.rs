//! null on the simulator.

use super::*;

#[test]
fn null_one_vcpu_per_cpu_and_waiters_get_freed_cpus() {
    let mut sim = new_sim(SchedId::Null, 2);
    let a = vcpu(&mut sim, 1, Workload::CpuBound);
    let b = vcpu(&mut sim, 2, Workload::Mixed);
    let c = vcpu(&mut sim, 3, Workload::CpuBound);
    sim.enable_trace();
    sim.run_until(millis(1_000));
    assert_clean(&sim);
    assert_eq!(sim.stats(c).runtime, 0, "the third vCPU waits");
    sim.destroy_domain(DomId(1)).unwrap();
    assert_eq!(
        sim.running()[0],
        Some(c),
        "queued vCPU takes the freed pCPU at once"
    );
    sim.run_until(millis(2_000));
    assert_clean(&sim);
    let trace = sim.trace.take().unwrap_or_default();
    // Never two vCPUs on one pCPU: before t=1 s cpu0 only ran a, after it only c; cpu1 only b.
    for s in &trace {
        let owner = match (s.cpu, s.start < millis(1_000)) {
            (0, true) => a,
            (0, false) => c,
            _ => b,
        };
        assert_eq!(s.unit, owner, "{s:?}");
    }
    assert!(sim.stats(b).runtime > 0 && sim.stats(b).runtime < millis(2_000));
    assert_eq!(sim.stats(c).runtime, millis(1_000));
}

#[test]
fn null_affinity_change_moves_vcpu() {
    let mut sim = new_sim(SchedId::Null, 2);
    let a = vcpu(&mut sim, 1, Workload::CpuBound);
    assert_eq!(sim.running()[0], Some(a));
    sim.set_affinity(a, crate::Affinity::pinned(1)).unwrap();
    assert_eq!(sim.running(), vec![None, Some(a)]);
    sim.run_until(millis(10));
    assert_clean(&sim);
}
