//! ARINC653 on the simulator.

use super::*;
use crate::core::{Arinc653Schedule, Arinc653Window, GlobalParams};
use crate::sim::Slice;
use ferrite_abi::Errno;

fn table(windows: &[(u16, i64)], major: i64) -> Arinc653Schedule {
    Arinc653Schedule {
        major_frame: millis(major),
        windows: windows
            .iter()
            .map(|&(d, ms)| Arinc653Window {
                handle: [0; 16],
                dom: DomId(d),
                vcpu: 0,
                runtime: millis(ms),
            })
            .collect(),
    }
}

#[test]
fn arinc653_windows_start_and_end_on_exact_ticks() {
    let mut sim = new_sim(SchedId::Arinc653, 1);
    let a = vcpu(&mut sim, 1, Workload::CpuBound);
    let b = vcpu(&mut sim, 2, Workload::CpuBound);
    let s = Some(GlobalParams::Arinc653(table(&[(1, 5), (2, 10)], 20)));
    sim.pools.adjust_global(0, SchedId::Arinc653, s, 0).unwrap();
    sim.enable_trace();
    sim.run_until(millis(100));
    assert_clean(&sim);
    let trace = sim.trace.take().unwrap_or_default();
    let mut expect = Vec::new();
    for f in 0..5 {
        let base = millis(20 * f);
        expect.push(Slice {
            unit: a,
            cpu: 0,
            start: base,
            end: base + millis(5),
        });
        expect.push(Slice {
            unit: b,
            cpu: 0,
            start: base + millis(5),
            end: base + millis(15),
        });
    }
    assert_eq!(trace, expect);
}

#[test]
fn arinc653_window_of_blocked_vcpu_idles() {
    let mut sim = new_sim(SchedId::Arinc653, 2);
    let a = vcpu(&mut sim, 1, Workload::CpuBound);
    let b = vcpu(
        &mut sim,
        2,
        Workload::Bursty {
            burst: millis(1),
            idle: millis(1_000_000),
        },
    );
    let s = Some(GlobalParams::Arinc653(table(&[(1, 5), (2, 5)], 10)));
    sim.pools.adjust_global(0, SchedId::Arinc653, s, 0).unwrap();
    sim.run_until(millis(1_000));
    assert_clean(&sim);
    assert_eq!(sim.stats(a).runtime, millis(500));
    assert_eq!(sim.stats(b).runtime, millis(1));
}

#[test]
fn arinc653_dom0_gets_default_windows() {
    let mut sim = new_sim(SchedId::Arinc653, 1);
    let v0 = vcpu(&mut sim, 0, Workload::CpuBound);
    let v1 = vcpu(&mut sim, 0, Workload::CpuBound);
    sim.run_until(millis(1_000));
    // With no schedule yet, the CPU idled [0, 10 ms) (Xen's DEFAULT_TIMESLICE); then 20 ms
    // frames of one 10 ms window per vCPU, the last frame cut at 1 s.
    assert_eq!(sim.stats(v0).runtime, millis(50 * 10));
    assert_eq!(sim.stats(v1).runtime, millis(49 * 10));
}

#[test]
fn arinc653_schedule_is_checked() {
    let mut sim = new_sim(SchedId::Arinc653, 1);
    let mut set = |s| {
        sim.pools
            .adjust_global(0, SchedId::Arinc653, Some(GlobalParams::Arinc653(s)), 0)
            .map(|_| ())
    };
    assert_eq!(set(table(&[(1, 5), (2, 10)], 14)), Err(Errno::EINVAL));
    assert_eq!(set(table(&[(1, 0)], 14)), Err(Errno::EINVAL));
    assert_eq!(set(table(&[], 14)), Err(Errno::EINVAL));
    assert_eq!(set(table(&[(1, 1); 65], 100)), Err(Errno::EINVAL));
    assert_eq!(set(table(&[(1, 1); 64], 64)), Ok(()));
}
