//! credit on the simulator.

use super::*;
use crate::core::{CreditGlobal, CreditParams, GlobalParams};
use ferrite_abi::Errno;

#[test]
fn credit_weights_one_cpu() {
    check_weights(SchedId::Credit, 1, &[256, 512, 1024]);
}

#[test]
fn credit_weights_two_cpus() {
    check_weights(SchedId::Credit, 2, &[256, 256, 512, 512]);
}

#[test]
fn credit_cap_held() {
    check_cap(SchedId::Credit, 30);
    check_cap(SchedId::Credit, 75);
}

#[test]
fn credit_io_boosted_within_ratelimit() {
    check_io_latency(SchedId::Credit);
}

#[test]
fn credit_hogs_get_30ms_slices() {
    let mut sim = new_sim(SchedId::Credit, 1);
    vcpu(&mut sim, 1, Workload::CpuBound);
    vcpu(&mut sim, 2, Workload::CpuBound);
    sim.enable_trace();
    sim.run_until(millis(1_000));
    assert_clean(&sim);
    let trace = sim.trace.take().unwrap_or_default();
    // Consecutive slices of the same unit merge; switches happen on 30 ms boundaries.
    let switches: Vec<_> = trace
        .windows(2)
        .filter(|w| w[0].unit != w[1].unit)
        .map(|w| w[1].start)
        .collect();
    assert!(switches.len() > 20);
    assert!(switches.iter().all(|t| t % millis(30) == 0), "{switches:?}");
}

#[test]
fn credit_steals_work_for_idle_cpus() {
    let mut sim = new_sim(SchedId::Credit, 2);
    let units: Vec<UnitId> = (1..=3)
        .map(|d| vcpu(&mut sim, d, Workload::CpuBound))
        .collect();
    let total = millis(6_000);
    sim.run_until(total);
    assert_clean(&sim);
    for u in units {
        let s = share(&sim, u, total);
        assert!((s - 2.0 / 3.0).abs() < 0.05, "{u:?}: {s}");
    }
}

#[test]
fn credit_parameters_are_checked() {
    let mut sim = new_sim(SchedId::Credit, 1);
    vcpu(&mut sim, 1, Workload::CpuBound);
    let op = |w, cap| DomOp::PutInfo(DomParams::Credit(CreditParams { weight: w, cap }));
    assert_eq!(
        sim.pools
            .adjust_domain(DomId(1), SchedId::Credit, op(70_000, None), 0),
        Err(Errno::EINVAL)
    );
    let got = sim
        .pools
        .adjust_domain(DomId(1), SchedId::Credit, op(0, Some(40)), 0);
    assert_eq!(
        got,
        Ok(DomParams::Credit(CreditParams {
            weight: 256,
            cap: Some(40)
        }))
    );
    let g = |t, r| {
        Some(GlobalParams::Credit(CreditGlobal {
            tslice_ms: t,
            ratelimit_us: r,
            vcpu_migr_delay_us: 0,
        }))
    };
    assert_eq!(
        sim.pools.adjust_global(0, SchedId::Credit, g(0, 0), 0),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        sim.pools.adjust_global(0, SchedId::Credit, g(1001, 0), 0),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        sim.pools.adjust_global(0, SchedId::Credit, g(1, 2000), 0),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        sim.pools.adjust_global(0, SchedId::Credit, g(10, 500), 0),
        g(10, 500).ok_or(Errno::EINVAL)
    );
}

/// `vcpu_migration_delay`: a unit that left a pCPU less than the delay ago is cache-hot and not
/// stolen, so units change pCPU less often than without the delay.
#[test]
fn credit_migration_delay_keeps_hot_units_in_place() {
    let migrations = |delay_us: u32| {
        let mut cfg = SchedConfig {
            sched: SchedId::Credit,
            ..SchedConfig::default()
        };
        cfg.credit.vcpu_migr_delay_us = delay_us;
        let mut sim = Sim::new(cfg, 2, 5);
        for d in 1..=3 {
            vcpu(&mut sim, d, Workload::Mixed);
        }
        sim.enable_trace();
        sim.run_until(millis(3_000));
        assert_clean(&sim);
        let trace = sim.trace.take().unwrap_or_default();
        let mut last = std::collections::BTreeMap::new();
        let mut n = 0;
        for s in &trace {
            if last.insert(s.unit, s.cpu).is_some_and(|c| c != s.cpu) {
                n += 1;
            }
        }
        n
    };
    let (free, hot) = (migrations(0), migrations(100_000));
    std::eprintln!("migrations: delay 0 → {free}, delay 100 ms → {hot}");
    assert!(
        hot < free,
        "delay 0: {free} migrations, delay 100 ms: {hot}"
    );
}
