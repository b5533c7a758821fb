//! RTDS on the simulator.

use super::*;
use crate::core::RtdsParams;
use crate::sim::Slice;
use ferrite_abi::Errno;

/// Adds CPU-bound RTDS vCPUs with (budget ms, period ms) and the extratime flag.
fn rt_set(cpus: u32, set: &[(i64, i64)], extratime: bool) -> (Sim, Vec<UnitId>) {
    let mut sim = new_sim(SchedId::Rtds, cpus);
    let mut units = Vec::new();
    for (i, &(b, p)) in set.iter().enumerate() {
        let u = vcpu(&mut sim, i as u16 + 1, Workload::CpuBound);
        let params = RtdsParams {
            period_us: p as u64 * 1000,
            budget_us: b as u64 * 1000,
            extratime,
        };
        sim.pools
            .adjust_domain(
                DomId(i as u16 + 1),
                SchedId::Rtds,
                DomOp::PutVcpuInfo(0, params),
                0,
            )
            .unwrap();
        units.push(u);
    }
    sim.enable_trace();
    (sim, units)
}

/// The units start under the default parameters (first deadline at 10 ms); as in Xen, new
/// parameters apply from the next replenishment, so periods are `[10 ms + k·p, 10 ms + (k+1)·p)`.
const FIRST: Time = crate::rt::DEFAULT_PERIOD;

/// CPU time `unit` got in each full period after [`FIRST`] and before `end`.
fn per_period(trace: &[Slice], unit: UnitId, period: Time, end: Time) -> Vec<Time> {
    let n = ((end - FIRST) / period) as usize;
    let mut got = vec![0; n];
    for s in trace.iter().filter(|s| s.unit == unit) {
        let mut t = s.start.max(FIRST);
        while t < s.end {
            let k = ((t - FIRST) / period) as usize;
            let stop = s.end.min(FIRST + (k as i64 + 1) * period);
            if let Some(g) = got.get_mut(k) {
                *g += stop - t;
            }
            t = stop;
        }
    }
    got
}

fn misses(sim: &mut Sim, units: &[UnitId], set: &[(i64, i64)], end: Time) -> usize {
    sim.run_until(end);
    assert_clean(sim);
    let trace = sim.trace.take().unwrap_or_default();
    let mut missed = 0;
    for (u, &(b, p)) in units.iter().zip(set) {
        missed += per_period(&trace, *u, millis(p), end)
            .iter()
            .filter(|g| **g < millis(b))
            .count();
    }
    missed
}

#[test]
fn rtds_no_miss_uniprocessor_full_utilisation() {
    // U = 0.4 + 0.3 + 0.3 = 1.0: EDF is optimal on one CPU.
    let set = [(4, 10), (6, 20), (12, 40)];
    for extratime in [false, true] {
        let (mut sim, units) = rt_set(1, &set, extratime);
        assert_eq!(
            misses(&mut sim, &units, &set, millis(2_000)),
            0,
            "extratime {extratime}"
        );
    }
}

#[test]
fn rtds_no_miss_global_edf_two_cpus() {
    // U = 1.6 ≤ m − (m−1)·u_max = 2 − 0.4: schedulable by global EDF (GFB test).
    let set = [(4, 10), (4, 10), (8, 20), (4, 10)];
    let (mut sim, units) = rt_set(2, &set, false);
    assert_eq!(misses(&mut sim, &units, &set, millis(2_000)), 0);
}

#[test]
fn rtds_overload_misses_but_budgets_are_enforced() {
    // Xen's documented behaviour: under overload (U = 1.2 on one CPU) deadlines are missed, but
    // budget enforcement still holds each vCPU to at most its budget per period.
    let set = [(4, 10), (4, 10), (4, 10)];
    let (mut sim, units) = rt_set(1, &set, false);
    let end = millis(1_000);
    assert!(misses(&mut sim, &units, &set, end) > 0);
    let busy: Time = units.iter().map(|u| sim.stats(*u).runtime).sum();
    assert!(busy >= end - millis(1));
    for u in &units {
        assert!(sim.stats(*u).runtime <= millis(4) * 100);
    }
}

#[test]
fn rtds_extratime_uses_spare_time() {
    let (mut sim, units) = rt_set(1, &[(2, 10)], true);
    sim.run_until(millis(1_000));
    assert!(sim.stats(units[0]).runtime > millis(990));
    let (mut sim, units) = rt_set(1, &[(2, 10)], false);
    sim.run_until(millis(1_000));
    // 4 ms in the first period (default budget), then 2 ms in each of the 99 others.
    assert_eq!(sim.stats(units[0]).runtime, millis(4 + 2 * 99));
}

#[test]
fn rtds_parameters_are_checked() {
    let mut sim = new_sim(SchedId::Rtds, 1);
    vcpu(&mut sim, 1, Workload::CpuBound);
    let d = DomId(1);
    let p = |period_us, budget_us| RtdsParams {
        period_us,
        budget_us,
        extratime: false,
    };
    let put = |sim: &mut Sim, x| {
        sim.pools
            .adjust_domain(d, SchedId::Rtds, DomOp::PutInfo(DomParams::Rtds(x)), 0)
    };
    assert_eq!(put(&mut sim, p(10_000, 10_001)), Err(Errno::EINVAL));
    assert_eq!(put(&mut sim, p(9, 9)), Err(Errno::EINVAL));
    assert_eq!(put(&mut sim, p(100, 9)), Err(Errno::EINVAL));
    assert_eq!(put(&mut sim, p(u64::MAX, 10)), Err(Errno::EINVAL));
    assert!(put(&mut sim, p(100, 10)).is_ok());
    let get = sim.pools.adjust_domain(d, SchedId::Rtds, DomOp::GetInfo, 0);
    assert_eq!(
        get,
        Ok(DomParams::Rtds(RtdsParams {
            period_us: 10_000,
            budget_us: 4_000,
            extratime: true
        }))
    );
    assert_eq!(
        sim.pools
            .adjust_domain(d, SchedId::Rtds, DomOp::GetVcpuInfo(1), 0),
        Err(Errno::EINVAL)
    );
    let v0 = sim
        .pools
        .adjust_domain(d, SchedId::Rtds, DomOp::GetVcpuInfo(0), 0);
    assert_eq!(
        v0,
        Ok(DomParams::Rtds(RtdsParams {
            period_us: 100,
            budget_us: 10,
            extratime: true
        }))
    );
}
