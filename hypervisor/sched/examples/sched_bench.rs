//! Measures each scheduler's `do_schedule` cost (host ns per decision) at 4, 64, 1024 and 4096
//! CPU-bound vCPUs, prints a table and optionally writes JSON.
//!
//! `cargo run --release -p ferrite-sched --example sched_bench -- [--json <path>] [--decisions N]`
//!
//! Each configuration boots pool 0 with the scheduler on min(vCPUs, 16) pCPUs, wakes every
//! vCPU, then drives schedule points round-robin over the pCPUs with fake time advancing 250 µs
//! per decision. `do_schedule` is timed in batches of 16 calls (clock overhead calibrated and
//! subtracted); scheduler-wide timers (accounting, replenishment) fire between batches and are
//! reported separately, amortised per decision.

use std::hint::black_box;
use std::time::Instant;

use ferrite_sched::CpuMask;
use ferrite_sched::core::{DomId, SchedId, UnitId, micros};
use ferrite_sched::cpupool::{CpuPools, SchedConfig};

const SIZES: [u32; 4] = [4, 64, 1024, 4096];
const MAX_PCPUS: u32 = 16;
/// Decisions timed together, so the slow host clock (a syscall here) adds little per decision.
const BATCH: u64 = 16;

struct Row {
    sched: SchedId,
    vcpus: u32,
    pcpus: u32,
    ns_per_decision: f64,
    timer_ns_per_decision: f64,
}

fn note(s: SchedId) -> &'static str {
    match s {
        SchedId::Credit => {
            "O(log n) + O(pCPUs) steal; accounting O(n) per 30 ms (linear by design in Xen's csched_acct)"
        }
        SchedId::Credit2 => {
            "O(log n) BTree runqueue; credit reset O(n log n) once per credit round (Xen: O(n) list)"
        }
        SchedId::Rtds => {
            "O(log n) EDF set; one O(log n) replenishment per vCPU per period (timer column)"
        }
        SchedId::Arinc653 => "O(windows), at most 64",
        SchedId::Null => "O(1); placement O(pCPUs)",
    }
}

fn clock_overhead() -> f64 {
    let n = 200_000;
    let t0 = Instant::now();
    let mut acc = 0u128;
    for _ in 0..n {
        let a = Instant::now();
        acc += a.elapsed().as_nanos();
    }
    black_box(acc);
    t0.elapsed().as_nanos() as f64 / n as f64
}

fn bench(sched: SchedId, vcpus: u32, decisions: u64, overhead: f64) -> Row {
    let pcpus = vcpus.min(MAX_PCPUS);
    let cfg = SchedConfig {
        sched,
        ..SchedConfig::default()
    };
    let mut pools = CpuPools::new(cfg, pcpus, 0);
    // ARINC653 gives dom0's first 64 vCPUs default windows; others use 8-vCPU domains.
    let per_dom = if sched == SchedId::Arinc653 { vcpus } else { 8 };
    for u in 0..vcpus {
        let dom = DomId((u / per_dom) as u16);
        if pools.pool_of_domain(dom).is_none() {
            pools.create_domain(dom, 0).expect("create domain");
        }
        pools
            .add_vcpu(dom, u % per_dom, UnitId(u), None, 0)
            .expect("add vcpu");
        pools.wake(UnitId(u), 0);
    }
    let mut tickles = CpuMask::empty();
    let step = micros(250);
    let mut now = 0;
    let mut sched_ns = 0f64;
    let mut timer_ns = 0f64;
    // Warm up one simulated second so queues, credits and deadlines reach steady state.
    let warm = 1_000_000_000 / step as u64 / BATCH;
    let mut cpu = 0u32;
    for b in 0..warm + decisions / BATCH {
        // Scheduler-wide timers run between batches (delayed by at most one batch of fake time).
        if pools.next_timer().is_some_and(|t| t <= now) {
            let t0 = Instant::now();
            pools.timer(now);
            if b >= warm {
                timer_ns += t0.elapsed().as_nanos() as f64 - overhead;
            }
        }
        let t0 = Instant::now();
        for _ in 0..BATCH {
            now += step;
            black_box(pools.do_schedule(cpu, now));
            cpu = (cpu + 1) % pcpus;
        }
        let dt = t0.elapsed().as_nanos() as f64 - overhead;
        if b >= warm {
            sched_ns += dt;
        }
        pools.take_tickles(&mut tickles);
        tickles = CpuMask::empty();
    }
    let decisions = decisions / BATCH * BATCH;
    let per = (sched_ns / decisions as f64).max(0.0);
    let timer = (timer_ns / decisions as f64).max(0.0);
    Row {
        sched,
        vcpus,
        pcpus,
        ns_per_decision: per,
        timer_ns_per_decision: timer,
    }
}
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut json = None;
    let mut decisions = 200_000u64;
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--json" => {
                json = args.get(i + 1).cloned();
                i += 1;
            }
            "--decisions" => {
                decisions = args
                    .get(i + 1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(decisions);
                i += 1;
            }
            "--bench" => {}
            other => {
                eprintln!("usage: sched_bench [--json <path>] [--decisions N] (unknown {other})");
                std::process::exit(2);
            }
        }
        i += 1;
    }
    let overhead = clock_overhead();
    println!(
        "do_schedule cost, host ns per decision ({decisions} decisions; clock overhead {overhead:.1} ns subtracted)"
    );
    println!(
        "{:<9} {:>6} {:>6} {:>12} {:>12}  growth",
        "sched", "vcpus", "pcpus", "ns/decision", "timer ns/dec"
    );
    let mut rows = Vec::new();
    for s in SchedId::ALL {
        for n in SIZES {
            let r = bench(s, n, decisions, overhead);
            let growth = if n == SIZES[SIZES.len() - 1] {
                note(s)
            } else {
                ""
            };
            println!(
                "{:<9} {:>6} {:>6} {:>12.1} {:>12.1}  {}",
                s.opt_name(),
                r.vcpus,
                r.pcpus,
                r.ns_per_decision,
                r.timer_ns_per_decision,
                growth
            );
            rows.push(r);
        }
    }
    let worst = rows
        .iter()
        .filter(|r| r.vcpus == 4096)
        .map(|r| r.ns_per_decision)
        .fold(0.0, f64::max);
    println!(
        "target: < 1000 ns at 4096 vCPUs: {}",
        if worst < 1000.0 { "met" } else { "NOT met" }
    );
    if let Some(path) = json {
        let mut out = String::from("{\n  \"unit\": \"ns_per_decision\",\n  \"results\": [\n");
        for (i, r) in rows.iter().enumerate() {
            out.push_str(&format!(
                "    {{\"scheduler\": \"{}\", \"vcpus\": {}, \"pcpus\": {}, \"do_schedule_ns\": {:.1}, \"timer_ns_per_decision\": {:.1}, \"complexity\": \"{}\"}}{}\n",
                r.sched.opt_name(),
                r.vcpus,
                r.pcpus,
                r.ns_per_decision,
                r.timer_ns_per_decision,
                note(r.sched),
                if i + 1 < rows.len() { "," } else { "" }
            ));
        }
        out.push_str("  ]\n}\n");
        if let Err(e) = std::fs::write(&path, out) {
            eprintln!("sched_bench: cannot write {path}: {e}");
            std::process::exit(1);
        }
        println!("wrote {path}");
    }
}
