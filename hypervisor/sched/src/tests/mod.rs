//! Simulator tests for every scheduler (house rule `tests-beside`: one file per scheduler), and
//! the property tests over random workloads, affinity and pool changes.

mod arinc653;
mod common;
mod cpupool;
mod credit;
mod credit2;
mod null;
mod props;
mod rt;

use crate::core::{DomId, DomOp, DomParams, SchedId, Time, UnitId, millis};
use crate::cpupool::SchedConfig;
use crate::sim::{Sim, Workload};

/// Property-test cases: 256, or `PROPTEST_CASES` for longer runs.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// A simulator whose pool 0 runs `id` on `cpus` pCPUs.
fn new_sim(id: SchedId, cpus: u32) -> Sim {
    let cfg = SchedConfig {
        sched: id,
        ..SchedConfig::default()
    };
    Sim::new(cfg, cpus, 42)
}

/// Adds domain `dom` (if needed) in pool 0 with one vCPU running `w`.
fn vcpu(sim: &mut Sim, dom: u16, w: Workload) -> UnitId {
    let d = DomId(dom);
    if sim.pools.pool_of_domain(d).is_none() {
        sim.add_domain(d, 0).unwrap();
    }
    sim.add_vcpu(d, w, None).unwrap()
}

fn put(sim: &mut Sim, dom: u16, id: SchedId, p: DomParams) {
    sim.pools
        .adjust_domain(DomId(dom), id, DomOp::PutInfo(p), sim.now)
        .unwrap();
}

/// The fraction of one pCPU `unit` received over `total`.
fn share(sim: &Sim, unit: UnitId, total: Time) -> f64 {
    sim.stats(unit).runtime as f64 / total as f64
}

fn assert_clean(sim: &Sim) {
    assert!(
        sim.violations.is_empty(),
        "violations: {:?}",
        &sim.violations[..sim.violations.len().min(5)]
    );
}

/// Weighted CPU-bound domains on `cpus` pCPUs get shares proportional to weight within 2 %
/// (relative) over 10 simulated seconds.
fn check_weights(id: SchedId, cpus: u32, weights: &[u32]) {
    let mut sim = new_sim(id, cpus);
    let units: Vec<UnitId> = weights
        .iter()
        .enumerate()
        .map(|(i, _)| vcpu(&mut sim, i as u16 + 1, Workload::CpuBound))
        .collect();
    for (i, &w) in weights.iter().enumerate() {
        let p = match id {
            SchedId::Credit => DomParams::Credit(crate::core::CreditParams {
                weight: w,
                cap: None,
            }),
            _ => DomParams::Credit2(crate::core::Credit2Params { weight: w, cap: 0 }),
        };
        put(&mut sim, i as u16 + 1, id, p);
    }
    let total = millis(10_000);
    sim.run_until(total);
    assert_clean(&sim);
    let wsum: u32 = weights.iter().sum();
    for (u, &w) in units.iter().zip(weights) {
        let expect = cpus as f64 * w as f64 / wsum as f64;
        let got = share(&sim, *u, total);
        std::eprintln!("{id:?} cpus={cpus} weight {w}: share {got:.4} expected {expect:.4}");
        assert!(
            (got / expect - 1.0).abs() <= 0.02,
            "{id:?} weight {w}: share {got:.4}, expected {expect:.4}"
        );
    }
}

/// A capped CPU-bound domain next to an uncapped hog gets its cap within 1 % of a pCPU.
fn check_cap(id: SchedId, cap: u32) {
    let mut sim = new_sim(id, 1);
    let capped = vcpu(&mut sim, 1, Workload::CpuBound);
    let hog = vcpu(&mut sim, 2, Workload::CpuBound);
    // A high weight makes the cap, not the fair share, the binding limit.
    let p = match id {
        SchedId::Credit => DomParams::Credit(crate::core::CreditParams {
            weight: 8192,
            cap: Some(cap),
        }),
        _ => DomParams::Credit2(crate::core::Credit2Params { weight: 8192, cap }),
    };
    put(&mut sim, 1, id, p);
    let total = millis(10_000);
    sim.run_until(total);
    assert_clean(&sim);
    let got = share(&sim, capped, total);
    std::eprintln!(
        "{id:?} cap {cap}: share {got:.4}, hog {:.4}",
        share(&sim, hog, total)
    );
    assert!(
        (got - cap as f64 / 100.0).abs() <= 0.01,
        "{id:?} cap {cap}: share {got:.4}"
    );
    assert!(share(&sim, hog, total) > 1.0 - cap as f64 / 100.0 - 0.02);
}

/// An I/O-bound vCPU among CPU hogs is running within one ratelimit period (1 ms) of each wake.
fn check_io_latency(id: SchedId) {
    let mut sim = new_sim(id, 2);
    for d in 1..=4 {
        vcpu(&mut sim, d, Workload::CpuBound);
    }
    let io = vcpu(
        &mut sim,
        9,
        Workload::IoBound {
            run: crate::core::micros(200),
            sleep: millis(5),
        },
    );
    sim.run_until(millis(5_000));
    assert_clean(&sim);
    let s = sim.stats(io);
    std::eprintln!(
        "{id:?}: io wakes {} max wake latency {} us",
        s.wakes,
        s.max_wake_latency / 1000
    );
    assert!(s.wakes > 500, "{id:?}: only {} wakes", s.wakes);
    assert!(
        s.max_wake_latency <= millis(1),
        "{id:?}: wake latency {} ns",
        s.max_wake_latency
    );
}
