//! credit2 on the simulator.

use super::*;
use crate::core::{Credit2Global, Credit2Params, GlobalParams};
use crate::credit2::{Credit2Config, RunqueueArrangement, Topology};
use ferrite_abi::Errno;

#[test]
fn credit2_weights_one_cpu() {
    check_weights(SchedId::Credit2, 1, &[256, 512, 1024]);
}

#[test]
fn credit2_weights_two_cpus_shared_runqueue() {
    check_weights(SchedId::Credit2, 2, &[256, 256, 512, 512]);
}

#[test]
fn credit2_cap_held() {
    check_cap(SchedId::Credit2, 30);
    check_cap(SchedId::Credit2, 75);
}

#[test]
fn credit2_io_woken_within_ratelimit() {
    check_io_latency(SchedId::Credit2);
}

#[test]
fn credit2_per_cpu_runqueues_balance_load() {
    let topology = Topology {
        threads_per_core: 1,
        cores_per_socket: 2,
        sockets_per_node: 1,
    };
    let credit2 = Credit2Config {
        runqueue: RunqueueArrangement::Cpu,
        topology,
        ..Credit2Config::default()
    };
    let cfg = SchedConfig {
        sched: SchedId::Credit2,
        credit2,
        ..SchedConfig::default()
    };
    let mut sim = Sim::new(cfg, 4, 7);
    let units: Vec<UnitId> = (1..=8)
        .map(|d| vcpu(&mut sim, d, Workload::CpuBound))
        .collect();
    let total = millis(4_000);
    sim.run_until(total);
    assert_clean(&sim);
    for u in units {
        let s = share(&sim, u, total);
        assert!((s - 0.5).abs() < 0.05, "unit {u:?} share {s}");
    }
}

#[test]
fn credit2_parameters_are_checked() {
    let mut sim = new_sim(SchedId::Credit2, 2);
    vcpu(&mut sim, 1, Workload::CpuBound);
    let d = DomId(1);
    let mut adj = |p: Credit2Params| {
        sim.pools.adjust_domain(
            d,
            SchedId::Credit2,
            DomOp::PutInfo(DomParams::Credit2(p)),
            0,
        )
    };
    assert_eq!(
        adj(Credit2Params {
            weight: 65536,
            cap: 0
        }),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        adj(Credit2Params {
            weight: 1,
            cap: 101
        }),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        adj(Credit2Params {
            weight: 0,
            cap: 100
        }),
        Ok(DomParams::Credit2(Credit2Params {
            weight: 256,
            cap: 100
        }))
    );
    let wrong = DomOp::PutInfo(DomParams::Credit2(Credit2Params { weight: 1, cap: 0 }));
    assert_eq!(
        sim.pools.adjust_domain(d, SchedId::Credit, wrong, 0),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        sim.pools
            .adjust_domain(DomId(7), SchedId::Credit2, DomOp::GetInfo, 0),
        Err(Errno::ESRCH)
    );
    let g = |us| Some(GlobalParams::Credit2(Credit2Global { ratelimit_us: us }));
    assert_eq!(
        sim.pools.adjust_global(0, SchedId::Credit2, g(99), 0),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        sim.pools.adjust_global(0, SchedId::Credit2, g(500_001), 0),
        Err(Errno::EINVAL)
    );
    assert!(
        sim.pools
            .adjust_global(0, SchedId::Credit2, g(0), 0)
            .is_ok()
    );
}

#[test]
fn credit2_runqueue_option_groups_cpus() {
    use crate::core::Scheduler;
    let topology = Topology {
        threads_per_core: 2,
        cores_per_socket: 2,
        sockets_per_node: 1,
    };
    let cases: [(RunqueueArrangement, &[&[u32]]); 4] = [
        (
            RunqueueArrangement::Cpu,
            &[&[0], &[1], &[2], &[3], &[4], &[5], &[6], &[7]],
        ),
        (
            RunqueueArrangement::Core,
            &[&[0, 1], &[2, 3], &[4, 5], &[6, 7]],
        ),
        (RunqueueArrangement::Socket, &[&[0, 1, 2, 3], &[4, 5, 6, 7]]),
        (RunqueueArrangement::All, &[&[0, 1, 2, 3, 4, 5, 6, 7]]),
    ];
    for (runqueue, want) in cases {
        let mut s = crate::credit2::Credit2::new(Credit2Config {
            runqueue,
            topology,
            ..Credit2Config::default()
        });
        for c in 0..8 {
            s.add_cpu(c, 0);
        }
        assert_eq!(
            s.runqueues(),
            want.iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
            "{runqueue:?}"
        );
    }
    // sched_credit2_max_cpus_runqueue splits an oversized runqueue.
    let mut s = crate::credit2::Credit2::new(Credit2Config {
        max_cpus_runqueue: 3,
        ..Credit2Config::default()
    });
    for c in 0..8 {
        s.add_cpu(c, 0);
    }
    assert_eq!(
        s.runqueues(),
        vec![vec![0, 1, 2], vec![3, 4, 5], vec![6, 7]]
    );
}

fn per_cpu_runqueues(cpus_per_socket: u32) -> Credit2Config {
    Credit2Config {
        runqueue: RunqueueArrangement::Cpu,
        topology: Topology {
            threads_per_core: 1,
            cores_per_socket: cpus_per_socket,
            sockets_per_node: 1,
        },
        ..Credit2Config::default()
    }
}

/// The runqueue load the balancer sees is Xen's decaying average over
/// `credit2_load_window_shift`, not the instantaneous count.
#[test]
fn credit2_runqueue_load_is_a_decaying_average() {
    use crate::core::{Scheduler, UnitSpec};
    use crate::credit2::Credit2;
    let one = 1i64 << 18;
    for (window_shift, expect) in [(30, one / 2), (20, one)] {
        let mut s = Credit2::new(Credit2Config {
            load_window_shift: window_shift,
            ..per_cpu_runqueues(1)
        });
        s.add_cpu(0, 0);
        s.add_domain(DomId(1)).unwrap();
        let spec = UnitSpec {
            id: UnitId(0),
            dom: DomId(1),
            vcpu: 0,
            affinity: crate::Affinity::default(),
        };
        s.insert_unit(&spec, 0).unwrap();
        s.wake(UnitId(0), 0);
        assert_eq!(s.runqueue_load(0).map(|l| (l.load, l.avg)), Some((1, 0)));
        // Half of a 2^30 ns window at load 1 averages 1/2; a 2^20 ns window is long past.
        s.do_schedule(0, 1 << 29);
        let l = s.runqueue_load(0).unwrap();
        assert_eq!((l.load, l.avg), (1, expect), "window shift {window_shift}");
    }
}

/// Two CPU hogs pinned to pCPU 0 (per-pCPU runqueues) are split over both pCPUs by the
/// balancer once unpinned: each then gets (nearly) a whole pCPU.
#[test]
fn credit2_balancer_spreads_hogs_by_average_load() {
    let cfg = SchedConfig {
        sched: SchedId::Credit2,
        credit2: per_cpu_runqueues(2),
        ..SchedConfig::default()
    };
    let mut sim = Sim::new(cfg, 2, 3);
    sim.add_domain(DomId(1), 0).unwrap();
    let pin = Some(crate::Affinity::pinned(0));
    let a = sim
        .add_vcpu(DomId(1), Workload::CpuBound, pin.clone())
        .unwrap();
    let b = sim.add_vcpu(DomId(1), Workload::CpuBound, pin).unwrap();
    sim.run_until(millis(1_000));
    for u in [a, b] {
        sim.set_affinity(u, crate::Affinity::default()).unwrap();
    }
    let before = [sim.stats(a).runtime, sim.stats(b).runtime];
    sim.run_until(millis(3_000));
    assert_clean(&sim);
    for (u, t0) in [a, b].into_iter().zip(before) {
        let got = (sim.stats(u).runtime - t0) as f64 / millis(2_000) as f64;
        assert!(
            got > 0.95,
            "unit {u:?} got {got:.3} of a pCPU after unpinning"
        );
    }
}
