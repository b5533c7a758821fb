//! The credit scheduler (`xen/common/sched/credit.c`, `docs/features/sched_credit.pandoc`,
//! options `sched_credit_tslice_ms` and `sched_ratelimit_us`).
//!
//! Every accounting period (one timeslice, 30 ms by default) the pool's CPU time is handed out
//! as credit to the active domains in proportion to their weights, limited by caps. Running
//! burns credit. Units with credit are UNDER, without are OVER; a unit waking while UNDER is
//! BOOSTed and preempts. Each pCPU has its own runqueue ordered BOOST > UNDER > OVER (FIFO
//! within a priority); a pCPU with nothing better than OVER steals from its peers. A capped
//! domain whose credit falls below minus its cap is parked until its credit is positive again.
//! Credit is kept in ns of CPU time (Xen's 10 credits per ms, scaled exactly).
//!
//! Cost: a decision is O(log n) plus O(pCPUs) when stealing; accounting is O(n) once per
//! period (linear by design in Xen, `csched_acct`).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use core::fmt;

use ferrite_abi::Errno;

use crate::affinity::{Affinity, CpuMask};
use crate::core::{
    Cpu, CreditGlobal, CreditParams, Decision, DomId, DomOp, DomParams, GlobalParams, SchedId,
    Scheduler, Time, UnitId, UnitSpec, check_ratelimit, check_weight, micros, millis,
};
use crate::unit::{ById, Slab};

/// Default weight.
pub const DEFAULT_WEIGHT: u32 = 256;
/// `XEN_SYSCTL_CSCHED_TSLICE_MIN`/`MAX` (ms).
pub const TSLICE_RANGE_MS: core::ops::RangeInclusive<u32> = 1..=1000;
const TICKS_PER_TSLICE: i64 = 3;
/// Priorities (`CSCHED_PRI_TS_*`).
const PRI_BOOST: i8 = 0;
const PRI_UNDER: i8 = -1;
const PRI_OVER: i8 = -2;

/// Boot-time credit options.
#[derive(Clone, Copy, Debug)]
pub struct CreditConfig {
    /// `sched_credit_tslice_ms=` (1..=1000, default 30).
    pub tslice_ms: u32,
    /// `sched_ratelimit_us=` (default 1000).
    pub ratelimit_us: u32,
    /// `vcpu_migration_delay=` in µs (0..=100000, default 0).
    pub vcpu_migr_delay_us: u32,
}

/// `XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US`: the largest `vcpu_migration_delay`.
pub const MIGR_DELAY_MAX_US: u32 = 100_000;

impl Default for CreditConfig {
    fn default() -> Self {
        CreditConfig {
            tslice_ms: 30,
            ratelimit_us: crate::core::RATELIMIT_DEFAULT_US,
            vcpu_migr_delay_us: 0,
        }
    }
}

struct Unit {
    dom: DomId,
    affinity: Affinity,
    pri: i8,
    credit: Time,
    cpu: Cpu,
    runnable: bool,
    running: bool,
    parked: bool,
    yielding: bool,
    /// Ran since the last accounting (Xen activates units its tick finds running).
    ran: bool,
    queued: Option<u64>,
    start: Time,
    switched_in: Time,
    /// When it last left a pCPU (`last_sched_time`, for the cache-hot test).
    last_sched: Time,
}

struct Dom {
    weight: u32,
    cap: u32,
    units: Vec<UnitId>,
}

struct Pcpu {
    curr: Option<UnitId>,
    queue: BTreeSet<(i8, u64, UnitId)>,
}

/// The credit scheduler's state for one pool.
pub struct Credit {
    cfg: CreditConfig,
    units: Slab<Unit>,
    doms: BTreeMap<DomId, Dom>,
    pcpus: Slab<Pcpu>,
    cpus: Vec<Cpu>,
    seq: u64,
    tickled: CpuMask,
    next_tick: Time,
    next_acct: Time,
}

impl Credit {
    /// A credit instance; an out-of-range timeslice falls back to 30 ms as Xen does.
    pub fn new(mut cfg: CreditConfig) -> Self {
        if !TSLICE_RANGE_MS.contains(&cfg.tslice_ms) {
            cfg.tslice_ms = 30;
        }
        if check_ratelimit(cfg.ratelimit_us).is_err() {
            cfg.ratelimit_us = crate::core::RATELIMIT_DEFAULT_US;
        }
        cfg.ratelimit_us = cfg.ratelimit_us.min(cfg.tslice_ms * 1000);
        Credit {
            cfg,
            units: Slab::default(),
            doms: BTreeMap::new(),
            pcpus: Slab::default(),
            cpus: Vec::new(),
            seq: 0,
            tickled: CpuMask::empty(),
            next_tick: 0,
            next_acct: 0,
        }
    }

    fn tslice(&self) -> Time {
        millis(self.cfg.tslice_ms as i64)
    }

    fn enqueue(&mut self, id: UnitId, cpu: Cpu) {
        let seq = self.seq;
        self.seq += 1;
        self.enqueue_at(id, cpu, seq);
    }

    /// Queues `id` on `cpu` with queue position `seq` (FIFO order within a priority).
    fn enqueue_at(&mut self, id: UnitId, cpu: Cpu, seq: u64) {
        let Some(u) = self.units.unit_mut(id) else {
            return;
        };
        if u.queued.is_some() || u.running || !u.runnable || u.parked {
            return;
        }
        u.queued = Some(seq);
        u.cpu = cpu;
        let key = (-u.pri, seq, id);
        if let Some(p) = self.pcpus.cpu_mut(cpu) {
            p.queue.insert(key);
        }
    }

    fn dequeue(&mut self, id: UnitId) {
        let Some(u) = self.units.unit_mut(id) else {
            return;
        };
        if let Some(seq) = u.queued.take() {
            let key = (-u.pri, seq, id);
            if let Some(p) = self.pcpus.cpu_mut(u.cpu) {
                p.queue.remove(&key);
            }
        }
    }

    fn burn(&mut self, id: UnitId, now: Time) {
        if let Some(u) = self.units.unit_mut(id) {
            u.credit -= (now - u.start).max(0);
            u.start = now;
            if u.credit < 0 {
                u.pri = PRI_OVER;
            }
        }
    }

    fn is_idle(&self, cpu: Cpu) -> bool {
        self.pcpus
            .cpu(cpu)
            .is_some_and(|p| p.curr.is_none() && p.queue.is_empty())
    }

    /// Places a runnable unit on a CPU's runqueue and tickles (`__runq_tickle`).
    fn place(&mut self, id: UnitId) {
        let Some(cpu) = self.pick_cpu(id) else { return };
        self.enqueue(id, cpu);
        let Some(u) = self.units.unit(id) else { return };
        let cur_pri = self
            .pcpus
            .cpu(cpu)
            .and_then(|p| p.curr)
            .and_then(|c| self.units.unit(c))
            .map(|c| c.pri);
        if cur_pri.is_none_or(|p| u.pri > p) {
            self.tickled.set(cpu);
            return;
        }
        let idlers: Vec<Cpu> = self
            .cpus
            .iter()
            .copied()
            .filter(|c| self.is_idle(*c) && !self.tickled.test(*c))
            .collect();
        if let Some(c) = u.affinity.pick(idlers.into_iter()) {
            self.tickled.set(c);
        }
    }

    /// Steals the best unit better than `than` from another CPU's queue (`csched_load_balance`).
    fn steal(&mut self, cpu: Cpu, than: Option<i8>, now: Time) -> Option<UnitId> {
        let n = self.cpus.len();
        // `__csched_vcpu_is_cache_hot`: what left a pCPU less than the delay ago stays there.
        let delay = micros(self.cfg.vcpu_migr_delay_us as i64);
        let hot = |u: &Unit| delay != 0 && now - u.last_sched < delay;
        let start = self.cpus.iter().position(|c| *c == cpu).unwrap_or(0);
        let mut best: Option<(i8, UnitId)> = None;
        for i in 1..n {
            let Some(&peer) = self.cpus.get((start + i) % n) else {
                continue;
            };
            // An idle peer has been tickled and runs its own queue: leave its work alone.
            let Some(p) = self.pcpus.cpu(peer).filter(|p| p.curr.is_some()) else {
                continue;
            };
            // The queue is sorted by priority: stop at the first entry not better than `than`.
            let found = p
                .queue
                .iter()
                .take_while(|k| than.is_none_or(|t| -k.0 > t))
                .find(|k| {
                    self.units
                        .unit(k.2)
                        .is_some_and(|u| u.affinity.allows(cpu) && !hot(u))
                });
            if let Some(k) = found
                && best.is_none_or(|(bp, _)| -k.0 > bp)
            {
                best = Some((-k.0, k.2));
            }
        }
        let (_, id) = best?;
        self.dequeue(id);
        Some(id)
    }

    /// Hands out credit (`csched_acct`).
    fn account(&mut self) {
        let tslice = self.tslice();
        let total = tslice * self.cpus.len() as Time;
        let active = |u: &Unit| u.runnable || u.running || u.ran;
        let mut weight_sum: i64 = 0;
        for d in self.doms.values() {
            let n = d
                .units
                .iter()
                .filter(|u| self.units.unit(**u).is_some_and(active))
                .count() as i64;
            weight_sum += d.weight as i64 * n;
        }
        if weight_sum == 0 {
            return;
        }
        // Priorities change below: take queued units out and put them back after.
        // They keep their place in the queue order: re-queueing them in unit order would put
        // low unit ids first after every accounting, and a higher one could wait forever.
        let queued: Vec<(UnitId, Cpu, u64)> = self
            .units
            .iter()
            .filter_map(|(i, u)| u.queued.map(|seq| (UnitId(i as u32), u.cpu, seq)))
            .collect();
        for (id, _, _) in &queued {
            self.dequeue(*id);
        }
        let mut unpark = Vec::new();
        for d in self.doms.values() {
            let act: Vec<UnitId> = d
                .units
                .iter()
                .copied()
                .filter(|u| self.units.unit(*u).is_some_and(active))
                .collect();
            if act.is_empty() {
                continue;
            }
            let n = act.len() as i64;
            // i128: CPUs × timeslice × weight × units overflows i64 on big hosts.
            let fair = total as i128 * d.weight as i128 * n as i128 / weight_sum as i128;
            let mut fair = fair.min(i64::MAX as i128) as i64;
            fair = fair.min(n * tslice);
            let cap = tslice * d.cap as i64 / 100;
            if d.cap != 0 {
                fair = fair.min(cap);
            }
            let per_unit = (fair + n - 1) / n;
            for id in act {
                let Some(u) = self.units.unit_mut(id) else {
                    continue;
                };
                u.credit += per_unit;
                if u.credit < 0 {
                    u.pri = PRI_OVER;
                    if d.cap != 0 && u.credit < -cap {
                        u.parked = true;
                    }
                    u.credit = u.credit.max(-tslice);
                } else {
                    if u.pri != PRI_BOOST {
                        u.pri = PRI_UNDER;
                    }
                    if u.parked {
                        unpark.push(id);
                    }
                    if u.credit > tslice {
                        u.credit /= 2;
                    }
                }
            }
        }
        for (id, cpu, seq) in queued {
            self.enqueue_at(id, cpu, seq);
        }
        for (_, u) in self.units.iter_mut() {
            u.ran = u.running;
        }
        for id in unpark {
            if let Some(u) = self.units.unit_mut(id) {
                u.parked = false;
                if u.runnable && !u.running {
                    self.place(id);
                }
            }
        }
        // Parked units that are running stop at once.
        let running_parked: Vec<Cpu> = self
            .units
            .iter()
            .filter(|(_, u)| u.parked && u.running)
            .map(|(_, u)| u.cpu)
            .collect();
        for c in running_parked {
            self.tickled.set(c);
        }
    }
}

mod ops;
