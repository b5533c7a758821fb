//! A deterministic fake-time simulator: N pCPUs, vCPUs with workloads, driven through
//! [`CpuPools`] and so through the same [`crate::core::Scheduler`] trait a hypervisor run loop
//! uses (schedule points on slice expiry, on block, and on tickles). It checks, at every
//! decision, that no unit runs on two pCPUs, that hard affinity and pool membership hold, and
//! that only runnable units run; it records run time, waits and wake latencies.
//!
//! Not a Xen file: it plays the role of Xen's `schedule.c` plus the guests.

mod workload;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::affinity::{Affinity, CpuMask};
use crate::core::{Cpu, DomId, Time, UnitId};
use crate::cpupool::{CpuPools, SchedConfig};
pub use workload::{Rng, Workload};

/// One run interval, for tests that need the exact timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    /// The unit.
    pub unit: UnitId,
    /// The pCPU.
    pub cpu: Cpu,
    /// Start time.
    pub start: Time,
    /// End time.
    pub end: Time,
}

/// Per-vCPU measurements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// CPU time received.
    pub runtime: Time,
    /// Longest time runnable but not running.
    pub longest_wait: Time,
    /// Longest delay from a wake to running.
    pub max_wake_latency: Time,
    /// Number of wakes.
    pub wakes: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Runnable { since: Time, woke: bool },
    Running { cpu: Cpu },
    Blocked { until: Time },
}

struct Vcpu {
    unit: UnitId,
    dom: DomId,
    workload: Workload,
    state: State,
    work_left: Time,
    stats: Stats,
}

#[derive(Clone, Copy)]
struct SimCpu {
    running: Option<UnitId>,
    since: Time,
    until: Option<Time>,
}

/// The simulator.
pub struct Sim {
    /// The pools and their schedulers.
    pub pools: CpuPools,
    /// Current fake time.
    pub now: Time,
    cpus: Vec<SimCpu>,
    vcpus: Vec<Vcpu>,
    rng: Rng,
    /// Invariant violations seen (empty in a correct run).
    pub violations: Vec<String>,
    /// The run timeline, if enabled.
    pub trace: Option<Vec<Slice>>,
    /// Number of `do_schedule` calls made.
    pub decisions: u64,
}

impl Sim {
    /// A machine with `nr_cpus` pCPUs, all in pool 0.
    pub fn new(cfg: SchedConfig, nr_cpus: u32, seed: u64) -> Self {
        Self::with_pools(CpuPools::new(cfg, nr_cpus, 0), nr_cpus, seed)
    }

    /// A machine around existing pools (which must cover `nr_cpus` CPUs).
    pub fn with_pools(pools: CpuPools, nr_cpus: u32, seed: u64) -> Self {
        let idle = SimCpu {
            running: None,
            since: 0,
            until: None,
        };
        let mut sim = Sim {
            pools,
            now: 0,
            cpus: alloc::vec![idle; nr_cpus as usize],
            vcpus: Vec::new(),
            rng: Rng::new(seed),
            violations: Vec::new(),
            trace: None,
            decisions: 0,
        };
        sim.flush();
        sim
    }

    /// Records every run interval from now on.
    pub fn enable_trace(&mut self) {
        self.trace = Some(Vec::new());
    }

    /// Creates a domain in `pool`.
    pub fn add_domain(&mut self, dom: DomId, pool: u32) -> Result<(), ferrite_abi::Errno> {
        self.pools.create_domain(dom, pool)
    }

    /// Adds a vCPU to a domain and starts its workload; returns its unit id.
    pub fn add_vcpu(
        &mut self,
        dom: DomId,
        workload: Workload,
        affinity: Option<Affinity>,
    ) -> Result<UnitId, ferrite_abi::Errno> {
        let unit = UnitId(self.vcpus.len() as u32);
        let vcpu = self.vcpus.iter().filter(|v| v.dom == dom).count() as u32;
        self.pools.add_vcpu(dom, vcpu, unit, affinity, self.now)?;
        let work_left = workload.next_burst(&mut self.rng);
        let state = State::Runnable {
            since: self.now,
            woke: false,
        };
        self.vcpus.push(Vcpu {
            unit,
            dom,
            workload,
            state,
            work_left,
            stats: Stats::default(),
        });
        self.pools.wake(unit, self.now);
        self.flush();
        Ok(unit)
    }

    /// A vCPU's statistics.
    pub fn stats(&self, unit: UnitId) -> Stats {
        let mut s = self
            .vcpus
            .get(unit.0 as usize)
            .map(|v| v.stats)
            .unwrap_or_default();
        if let Some(Vcpu {
            state: State::Runnable { since, .. },
            ..
        }) = self.vcpus.get(unit.0 as usize)
        {
            s.longest_wait = s.longest_wait.max(self.now - since);
        }
        s
    }

    /// What each pCPU runs now.
    pub fn running(&self) -> Vec<Option<UnitId>> {
        self.cpus.iter().map(|c| c.running).collect()
    }

    fn vcpu_mut(&mut self, unit: UnitId) -> Option<&mut Vcpu> {
        self.vcpus.get_mut(unit.0 as usize)
    }

    /// Ends the current interval on `cpu`.
    fn stop(&mut self, cpu: Cpu) {
        let now = self.now;
        let Some(c) = self.cpus.get_mut(cpu as usize) else {
            return;
        };
        let Some(u) = c.running.take() else { return };
        let since = c.since;
        if let Some(t) = self.trace.as_mut()
            && now > since
        {
            t.push(Slice {
                unit: u,
                cpu,
                start: since,
                end: now,
            });
        }
        if let Some(v) = self.vcpu_mut(u)
            && v.state == (State::Running { cpu })
        {
            v.state = State::Runnable {
                since: now,
                woke: false,
            };
        }
    }

    /// A schedule point on `cpu`.
    fn schedule(&mut self, cpu: Cpu) {
        let now = self.now;
        let d = self.pools.do_schedule(cpu, now);
        self.decisions += 1;
        let prev = self.cpus.get(cpu as usize).and_then(|c| c.running);
        if prev != d.unit || d.unit.is_none() {
            self.stop(cpu);
        }
        if let Some(c) = self.cpus.get_mut(cpu as usize) {
            c.until = d.run_for.map(|r| now + r.max(1));
        }
        let Some(u) = d.unit else { return };
        if prev == Some(u) {
            // Continuing is only right for a unit that is still runnable.
            let state = self.vcpus.get(u.0 as usize).map(|v| v.state);
            if state != Some(State::Running { cpu }) {
                self.violations.push(format!(
                    "t={now}: unit {} kept on cpu {cpu} in state {state:?}",
                    u.0
                ));
            }
            return;
        }
        if let Some(other) = self.cpus.iter().position(|c| c.running == Some(u)) {
            self.violations.push(format!(
                "t={now}: unit {} picked on cpu {cpu} while running on {other}",
                u.0
            ));
        }
        let allowed = self.pools.affinity(u).is_some_and(|a| a.allows(cpu));
        if !allowed {
            self.violations.push(format!(
                "t={now}: unit {} on cpu {cpu} outside hard affinity",
                u.0
            ));
        }
        let Some(v) = self.vcpus.get_mut(u.0 as usize) else {
            self.violations
                .push(format!("t={now}: unknown unit {} picked", u.0));
            return;
        };
        match v.state {
            State::Runnable { since, woke } => {
                let wait = now - since;
                v.stats.longest_wait = v.stats.longest_wait.max(wait);
                if woke {
                    v.stats.max_wake_latency = v.stats.max_wake_latency.max(wait);
                }
            }
            s => self.violations.push(format!(
                "t={now}: unit {} picked on cpu {cpu} in state {s:?}",
                u.0
            )),
        }
        v.state = State::Running { cpu };
        if let Some(c) = self.cpus.get_mut(cpu as usize) {
            c.running = Some(u);
            c.since = now;
        }
    }

    /// Runs schedule points on tickled CPUs until none are left, then checks placement.
    fn flush(&mut self) {
        for _ in 0..64 {
            let mut t = CpuMask::empty();
            self.pools.take_tickles(&mut t);
            if t.is_empty() {
                break;
            }
            for cpu in t.iter() {
                self.schedule(cpu);
            }
        }
        for (cpu, c) in self.cpus.iter().enumerate() {
            let Some(u) = c.running else { continue };
            let cpu = cpu as Cpu;
            let dom = self.vcpus.get(u.0 as usize).map(|v| v.dom);
            let same_pool =
                dom.and_then(|d| self.pools.pool_of_domain(d)) == self.pools.pool_of_cpu(cpu);
            let allowed = self.pools.affinity(u).is_some_and(|a| a.allows(cpu));
            if !same_pool || !allowed {
                self.violations.push(format!(
                    "t={}: unit {} left on cpu {cpu} (pool ok {same_pool}, affinity ok {allowed})",
                    self.now, u.0
                ));
            }
        }
    }

    /// Advances fake time to `end`, processing every event on the way.
    pub fn run_until(&mut self, end: Time) {
        self.flush();
        let mut stuck = 0u32;
        while self.now < end {
            let mut next = end;
            for c in &self.cpus {
                if let Some(t) = c.until {
                    next = next.min(t);
                }
            }
            for v in &self.vcpus {
                match v.state {
                    State::Running { .. } => next = next.min(self.now.saturating_add(v.work_left)),
                    State::Blocked { until } => next = next.min(until),
                    State::Runnable { .. } => {}
                }
            }
            if let Some(t) = self.pools.next_timer() {
                next = next.min(t);
            }
            let next = next.max(self.now);
            let dt = next - self.now;
            // A scheduler that keeps asking for events at the same instant is a livelock.
            stuck = if dt == 0 { stuck + 1 } else { 0 };
            if stuck > 10_000 {
                self.violations
                    .push(format!("t={}: no progress (livelock)", self.now));
                return;
            }
            for v in &mut self.vcpus {
                if let State::Running { .. } = v.state {
                    v.stats.runtime += dt;
                    v.work_left = v.work_left.saturating_sub(dt);
                }
            }
            self.now = next;
            self.events();
            self.flush();
        }
        for cpu in 0..self.cpus.len() as Cpu {
            if let Some(u) = self.cpus.get(cpu as usize).and_then(|c| c.running) {
                self.stop(cpu);
                if let Some(c) = self.cpus.get_mut(cpu as usize) {
                    c.running = Some(u);
                    c.since = self.now;
                }
                if let Some(v) = self.vcpu_mut(u) {
                    v.state = State::Running { cpu };
                }
            }
        }
    }

    fn events(&mut self) {
        let now = self.now;
        if self.pools.next_timer().is_some_and(|t| t <= now) {
            self.pools.timer(now);
        }
        for i in 0..self.vcpus.len() {
            let Some(v) = self.vcpus.get_mut(i) else {
                continue;
            };
            match v.state {
                State::Running { cpu } if v.work_left <= 0 => {
                    let sleep = v.workload.next_sleep(&mut self.rng);
                    v.state = State::Blocked { until: now + sleep };
                    let unit = v.unit;
                    self.pools.sleep(unit, now);
                    self.schedule(cpu);
                }
                State::Blocked { until } if until <= now => {
                    v.work_left = v.workload.next_burst(&mut self.rng);
                    v.state = State::Runnable {
                        since: now,
                        woke: true,
                    };
                    v.stats.wakes += 1;
                    let unit = v.unit;
                    self.pools.wake(unit, now);
                }
                _ => {}
            }
        }
        for cpu in 0..self.cpus.len() as Cpu {
            if self
                .cpus
                .get(cpu as usize)
                .and_then(|c| c.until)
                .is_some_and(|t| t <= now)
            {
                self.schedule(cpu);
            }
        }
    }

    /// Pauses a domain's units (Xen's `domain_pause`): they stop running before this returns.
    fn pause(&mut self, dom: DomId) {
        let units: Vec<UnitId> = self
            .vcpus
            .iter()
            .filter(|v| v.dom == dom)
            .map(|v| v.unit)
            .collect();
        for u in units {
            self.pools.sleep(u, self.now);
        }
        self.flush();
    }

    fn unpause(&mut self, dom: DomId) {
        let units: Vec<UnitId> = self
            .vcpus
            .iter()
            .filter(|v| v.dom == dom && !matches!(v.state, State::Blocked { .. }))
            .map(|v| v.unit)
            .collect();
        for u in units {
            self.pools.wake(u, self.now);
        }
        self.flush();
    }

    /// `vcpu-pin`. Errors are returned, not recorded.
    pub fn set_affinity(&mut self, unit: UnitId, aff: Affinity) -> Result<(), ferrite_abi::Errno> {
        let r = self.pools.set_affinity(unit, aff, self.now);
        self.flush();
        r
    }

    /// The unit yields (`SCHEDOP_yield`); tickled CPUs reschedule at once.
    pub fn yield_unit(&mut self, unit: UnitId) {
        self.pools.yield_unit(unit, self.now);
        self.flush();
    }

    /// `cpupool-migrate`, with the domain paused around the move.
    pub fn move_domain(&mut self, dom: DomId, pool: u32) -> Result<(), ferrite_abi::Errno> {
        self.pause(dom);
        let r = self.pools.move_domain(dom, pool, self.now);
        self.unpause(dom);
        r
    }

    /// Moves a pCPU from its pool to `to` (rmcpu then addcpu).
    pub fn move_cpu(&mut self, cpu: Cpu, to: u32) -> Result<(), ferrite_abi::Errno> {
        let from = self
            .pools
            .pool_of_cpu(cpu)
            .ok_or(ferrite_abi::Errno::ENODEV)?;
        self.pools.rm_cpu(from, Some(cpu), self.now)?;
        self.stop(cpu);
        if let Some(c) = self.cpus.get_mut(cpu as usize) {
            c.until = None;
        }
        let r = self.pools.add_cpu(to, Some(cpu), self.now).map(|_| ());
        self.flush();
        r
    }

    /// Destroys a domain; its vCPUs stop at once.
    pub fn destroy_domain(&mut self, dom: DomId) -> Result<(), ferrite_abi::Errno> {
        self.pause(dom);
        for v in self.vcpus.iter_mut().filter(|v| v.dom == dom) {
            v.state = State::Blocked { until: Time::MAX };
        }
        let r = self.pools.destroy_domain(dom, self.now);
        self.flush();
        r
    }
}
