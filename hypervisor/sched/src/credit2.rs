//! The credit2 scheduler, Xen's default (`xen/common/sched/credit2.c`,
//! `docs/features/sched_credit2.pandoc`, options `credit2_runqueue`, `sched_ratelimit_us`,
//! `sched_credit2_migrate_resist`, `credit2_cap_period_ms` in `docs/misc/xen-command-line.pandoc`).
//!
//! Units hold credit that burns while they run, faster for lower weights (`t2c`). Each runqueue
//! (per cpu/core/socket/node/all) keeps its runnable units ordered by credit; a pCPU runs the
//! richest one allowed there. When the richest has no credit left, every unit of that runqueue
//! gets [`CREDIT_INIT`] back (the "reset"). Caps draw from a per-domain budget replenished every
//! cap period; units without budget are parked. Load balancing compares the runqueues' decaying
//! load averages ([`load`]) and pushes or pulls the unit that evens them best ([`balance`]); a
//! unit that last ran elsewhere must beat the current candidate by the migrate resistance.
//!
//! Cost: a decision is O(log n) (`BTreeSet` runqueue); the credit reset is O(n log n) but happens
//! once per round of credit, so amortised O(log n). Xen's runqueue is a sorted list (O(n) insert).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use core::fmt;

use ferrite_abi::Errno;

use crate::affinity::{Affinity, CpuMask};
use crate::core::{
    Cpu, Credit2Global, Credit2Params, Decision, DomId, DomOp, DomParams, GlobalParams, SchedId,
    Scheduler, Time, UnitId, UnitSpec, check_ratelimit, check_weight, micros, millis,
};
use crate::unit::{ById, Slab};

/// Credit a unit gets at each reset (`CSCHED2_CREDIT_INIT`, 10 ms).
pub const CREDIT_INIT: i64 = millis(10);
/// Shortest slice (`CSCHED2_MIN_TIMER`, 500 µs).
pub const MIN_TIMER: Time = micros(500);
/// Longest slice (`CSCHED2_MAX_TIMER`).
pub const MAX_TIMER: Time = CREDIT_INIT;
/// Default weight.
pub const DEFAULT_WEIGHT: u32 = 256;
/// Xen's `MAX_CPUS_RUNQ` default for `sched_credit2_max_cpus_runqueue`.
pub const MAX_CPUS_RUNQ: u32 = 16;
const BALANCE_PERIOD: Time = millis(1);

pub mod balance;
pub mod load;

use load::{LoadShifts, RunqLoad, UnitLoad};

/// `credit2_runqueue=`: which CPUs share a runqueue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunqueueArrangement {
    /// One per pCPU.
    Cpu,
    /// One per core.
    Core,
    /// One per socket (Xen's default).
    Socket,
    /// One per NUMA node.
    Node,
    /// One for the whole pool.
    All,
}

impl RunqueueArrangement {
    /// Parses the option value; unknown → `None` (Xen keeps the default and returns EINVAL).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "cpu" => Self::Cpu,
            "core" => Self::Core,
            "socket" => Self::Socket,
            "node" => Self::Node,
            "all" => Self::All,
            _ => return None,
        })
    }
}

/// CPU topology used to group runqueues: CPU `c` is thread `c % threads_per_core` of core
/// `c / threads_per_core`, and so on upwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Topology {
    /// Threads per core.
    pub threads_per_core: u32,
    /// Cores per socket.
    pub cores_per_socket: u32,
    /// Sockets per NUMA node.
    pub sockets_per_node: u32,
}

impl Default for Topology {
    fn default() -> Self {
        Topology {
            threads_per_core: 1,
            cores_per_socket: u32::MAX,
            sockets_per_node: 1,
        }
    }
}

/// Boot-time credit2 options.
#[derive(Clone, Copy, Debug)]
pub struct Credit2Config {
    /// `credit2_runqueue=`
    pub runqueue: RunqueueArrangement,
    /// `sched_ratelimit_us=`
    pub ratelimit_us: u32,
    /// `sched_credit2_migrate_resist=` (µs)
    pub migrate_resist_us: u32,
    /// `credit2_cap_period_ms=`
    pub cap_period_ms: u32,
    /// `sched_credit2_max_cpus_runqueue=`
    pub max_cpus_runqueue: u32,
    /// `credit2_load_precision_shift=` (default 18, at least 4).
    pub load_precision_shift: u32,
    /// `credit2_load_window_shift=` (default 30: a window of 2^30 ns).
    pub load_window_shift: u32,
    /// The machine's topology.
    pub topology: Topology,
}

impl Default for Credit2Config {
    fn default() -> Self {
        Credit2Config {
            runqueue: RunqueueArrangement::Socket,
            ratelimit_us: crate::core::RATELIMIT_DEFAULT_US,
            migrate_resist_us: 500,
            cap_period_ms: 10,
            max_cpus_runqueue: MAX_CPUS_RUNQ,
            load_precision_shift: load::PRECISION_SHIFT_DEFAULT,
            load_window_shift: load::WINDOW_SHIFT_DEFAULT,
            topology: Topology::default(),
        }
    }
}

impl Credit2Config {
    fn group_of(&self, cpu: Cpu) -> u32 {
        let t = self.topology;
        let core = cpu / t.threads_per_core.max(1);
        let socket = core / t.cores_per_socket.max(1);
        match self.runqueue {
            RunqueueArrangement::Cpu => cpu,
            RunqueueArrangement::Core => core,
            RunqueueArrangement::Socket => socket,
            RunqueueArrangement::Node => socket / t.sockets_per_node.max(1),
            RunqueueArrangement::All => 0,
        }
    }
}

struct Unit {
    dom: DomId,
    affinity: Affinity,
    weight: u32,
    credit: i64,
    rq: usize,
    cpu: Cpu,
    runnable: bool,
    running: bool,
    parked: bool,
    yielding: bool,
    queued: Option<(i64, u64)>,
    tickled_cpu: Option<Cpu>,
    start: Time,
    switched_in: Time,
    budget: Time,
    load: UnitLoad,
}

struct Dom {
    weight: u32,
    cap: u32,
    nr_units: u32,
    tot_budget: Time,
    budget: Time,
    parked: Vec<UnitId>,
}

#[derive(Default)]
struct RunQueue {
    group: u32,
    cpus: Vec<Cpu>,
    queue: BTreeSet<(i64, u64, UnitId)>,
    members: BTreeSet<UnitId>,
    weights: BTreeMap<u32, u32>,
    load: RunqLoad,
    next_balance: Time,
}

impl RunQueue {
    fn max_weight(&self) -> i64 {
        self.weights
            .last_key_value()
            .map_or(DEFAULT_WEIGHT, |(w, _)| *w) as i64
    }
}

struct Pcpu {
    rq: usize,
    curr: Option<UnitId>,
}

/// The credit2 scheduler's state for one pool.
pub struct Credit2 {
    cfg: Credit2Config,
    units: Slab<Unit>,
    nr_units: usize,
    doms: BTreeMap<DomId, Dom>,
    rqs: Vec<RunQueue>,
    pcpus: Slab<Pcpu>,
    seq: u64,
    tickled: CpuMask,
    /// Tickled CPUs that have not run `do_schedule` since (Xen's `rqd->tickled`).
    pending: CpuMask,
    next_repl: Option<Time>,
    shifts: LoadShifts,
    /// The latest time any operation was given (Xen's `NOW()` for the load updates).
    clock: Time,
}

impl Credit2 {
    /// A credit2 instance with the given boot options.
    pub fn new(cfg: Credit2Config) -> Self {
        Credit2 {
            cfg,
            units: Slab::default(),
            nr_units: 0,
            doms: BTreeMap::new(),
            rqs: Vec::new(),
            pcpus: Slab::default(),
            seq: 0,
            tickled: CpuMask::empty(),
            pending: CpuMask::empty(),
            next_repl: None,
            shifts: LoadShifts::from_options(cfg.load_precision_shift, cfg.load_window_shift),
            clock: 0,
        }
    }

    /// Advances the clock the load averages use.
    fn tick(&mut self, now: Time) {
        self.clock = self.clock.max(now);
    }

    /// A runqueue's load: runnable units now, and the average the balancer uses.
    pub fn runqueue_load(&self, rq: usize) -> Option<RunqLoad> {
        self.rqs.get(rq).map(|r| r.load)
    }

    fn cap_period(&self) -> Time {
        millis(self.cfg.cap_period_ms.max(1) as i64)
    }

    /// The CPUs of each runqueue (tests and dumps).
    pub fn runqueues(&self) -> Vec<Vec<Cpu>> {
        self.rqs
            .iter()
            .filter(|r| !r.cpus.is_empty())
            .map(|r| r.cpus.clone())
            .collect()
    }

    /// A unit's credit (tests and dumps).
    pub fn credit(&self, unit: UnitId) -> Option<i64> {
        self.units.unit(unit).map(|u| u.credit)
    }

    fn enqueue(&mut self, id: UnitId) {
        let seq = self.seq;
        self.seq += 1;
        let Some(u) = self.units.unit_mut(id) else {
            return;
        };
        if u.queued.is_some() || u.running || !u.runnable || u.parked {
            return;
        }
        u.queued = Some((-u.credit, seq));
        let key = (-u.credit, seq, id);
        if let Some(rq) = self.rqs.get_mut(u.rq) {
            rq.queue.insert(key);
        }
    }

    fn dequeue(&mut self, id: UnitId) {
        let Some(u) = self.units.unit_mut(id) else {
            return;
        };
        if let Some((c, s)) = u.queued.take()
            && let Some(rq) = self.rqs.get_mut(u.rq)
        {
            rq.queue.remove(&(c, s, id));
        }
    }

    fn set_load(&mut self, rq: usize, delta: i32) {
        let (now, s) = (self.clock, self.shifts);
        if let Some(r) = self.rqs.get_mut(rq) {
            r.load.update(delta, now, s);
        }
    }

    /// Folds a unit's runnable time into its average (`update_svc_load`).
    fn unit_load(&mut self, id: UnitId, change: i32) {
        let (now, s) = (self.clock, self.shifts);
        if let Some(u) = self.units.unit_mut(id) {
            u.load.update(change, u.runnable, now, s);
        }
    }

    /// Moves a unit (not running, not queued) to runqueue `to`.
    fn migrate_rq(&mut self, id: UnitId, to: usize) {
        let Some(u) = self.units.unit_mut(id) else {
            return;
        };
        let (from, w, counted, avg) = (u.rq, u.weight, u.runnable && !u.parked, u.load.avg);
        if from == to {
            return;
        }
        u.rq = to;
        // The balancer's view follows the unit's own average (`_runq_assign`/`_deassign`).
        if let Some(r) = self.rqs.get_mut(from) {
            r.members.remove(&id);
            dec_weight(&mut r.weights, w);
            r.load.b_avg = (r.load.b_avg - avg).max(0);
        }
        if let Some(r) = self.rqs.get_mut(to) {
            r.members.insert(id);
            *r.weights.entry(w).or_default() += 1;
            r.load.b_avg += avg;
        }
        if counted {
            self.set_load(from, -1);
            self.set_load(to, 1);
        }
    }

    /// Burns the credit (and cap budget) a running unit used since it last accounted.
    fn burn(&mut self, id: UnitId, now: Time) {
        let Some(u) = self.units.unit(id) else { return };
        let max_w = self
            .rqs
            .get(u.rq)
            .map_or(DEFAULT_WEIGHT as i64, RunQueue::max_weight);
        let Some(u) = self.units.unit_mut(id) else {
            return;
        };
        let delta = (now - u.start).max(0);
        u.credit = u
            .credit
            .saturating_sub(delta.saturating_mul(max_w) / u.weight.max(1) as i64);
        u.budget -= delta;
        u.start = now;
    }

    fn is_capped(&self, dom: DomId) -> bool {
        self.doms.get(&dom).is_some_and(|d| d.cap != 0)
    }

    /// Takes budget for a capped unit about to run; false if none is left (the unit is parked).
    fn grab_budget(&mut self, id: UnitId) -> bool {
        let Some(u) = self.units.unit(id) else {
            return false;
        };
        let dom_id = u.dom;
        if u.budget > 0 {
            return true;
        }
        let Some(d) = self.doms.get_mut(&dom_id) else {
            return true;
        };
        if d.cap == 0 {
            return true;
        }
        let quota = (d.tot_budget / d.nr_units.max(1) as i64).max(MIN_TIMER);
        let grab = quota.min(d.budget).max(0);
        d.budget -= grab;
        if grab == 0 {
            d.parked.push(id);
        }
        if let Some(u) = self.units.unit_mut(id) {
            u.budget = grab;
            if grab == 0 {
                u.parked = true;
            }
        }
        if grab == 0 {
            let rq = self.units.unit(id).map_or(0, |u| u.rq);
            self.set_load(rq, -1);
        }
        grab > 0
    }

    fn return_budget(&mut self, id: UnitId) {
        let Some(u) = self.units.unit_mut(id) else {
            return;
        };
        let left = core::mem::take(&mut u.budget);
        if let Some(d) = self.doms.get_mut(&u.dom)
            && d.cap != 0
            && left > 0
        {
            d.budget += left;
        }
    }

    /// Gives every unit of runqueue `rq` a new round of credit.
    fn reset_credit(&mut self, rq: usize, lowest: i64, now: Time) {
        let mut m = 1;
        if lowest < -CREDIT_INIT {
            m += (-lowest) / CREDIT_INIT;
        }
        let members: Vec<UnitId> = self
            .rqs
            .get(rq)
            .map_or(Vec::new(), |r| r.members.iter().copied().collect());
        let queued: Vec<UnitId> = members
            .iter()
            .copied()
            .filter(|id| self.units.unit(*id).is_some_and(|u| u.queued.is_some()))
            .collect();
        for id in &queued {
            self.dequeue(*id);
        }
        for id in &members {
            if self.units.unit(*id).is_some_and(|u| u.running) {
                self.burn(*id, now);
            }
            if let Some(u) = self.units.unit_mut(*id) {
                u.credit = (u.credit + m * CREDIT_INIT).min(CREDIT_INIT);
            }
        }
        for id in queued {
            self.enqueue(id);
        }
    }

    /// The best queued unit of `rq` that may run on `cpu`, honouring migrate resistance
    /// against a current candidate with credit `against`.
    fn candidate(&self, rq: usize, cpu: Cpu, against: Option<i64>) -> Option<UnitId> {
        let resist = micros(self.cfg.migrate_resist_us as i64);
        let r = self.rqs.get(rq)?;
        r.queue.iter().map(|k| k.2).find(|id| {
            let Some(u) = self.units.unit(*id) else {
                return false;
            };
            if !u.affinity.allows(cpu) {
                return false;
            }
            // Left for the CPU that was tickled for it, while that one has not scheduled yet.
            if u.tickled_cpu
                .is_some_and(|t| t != cpu && self.pending.test(t))
            {
                return false;
            }
            match against {
                Some(c) if u.cpu != cpu => u.credit > c + resist,
                _ => true,
            }
        })
    }

    /// Tickles a CPU that should run `id` (`runq_tickle`): an idle one, else the one running the
    /// poorest unit if `id` is richer.
    fn tickle(&mut self, id: UnitId) {
        let Some(u) = self.units.unit(id) else { return };
        let Some(r) = self.rqs.get(u.rq) else { return };
        let idle: Vec<Cpu> = r
            .cpus
            .iter()
            .copied()
            .filter(|c| {
                self.pcpus.cpu(*c).is_some_and(|p| p.curr.is_none()) && !self.pending.test(*c)
            })
            .collect();
        if let Some(c) = u.affinity.pick(idle.into_iter()) {
            self.kick(c);
            if let Some(u) = self.units.unit_mut(id) {
                u.tickled_cpu = Some(c);
            }
            return;
        }
        let mut best: Option<(i64, Cpu)> = None;
        for &c in &r.cpus {
            if !u.affinity.allows(c) {
                continue;
            }
            let Some(cur) = self.pcpus.cpu(c).and_then(|p| p.curr) else {
                continue;
            };
            let Some(cu) = self.units.unit(cur) else {
                continue;
            };
            // Migrating costs cache warmth: a CPU other than the unit's own must be beaten by
            // the migrate resistance (`tickle_score`).
            let resist = if c == u.cpu {
                0
            } else {
                micros(self.cfg.migrate_resist_us as i64)
            };
            let bonus = if u.affinity.prefers(c) { 1 } else { 0 };
            let score = u.credit - cu.credit + bonus - resist;
            if score > 0 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, c));
            }
        }
        if let Some((_, c)) = best {
            self.kick(c);
            if let Some(u) = self.units.unit_mut(id) {
                u.tickled_cpu = Some(c);
            }
        }
    }

    fn kick(&mut self, cpu: Cpu) {
        self.tickled.set(cpu);
        self.pending.set(cpu);
    }

    fn rq_for_cpu(&self, cpu: Cpu) -> Option<usize> {
        self.pcpus.cpu(cpu).map(|p| p.rq)
    }

    fn runtime(&self, id: UnitId, rq: usize, now: Time) -> Time {
        let Some(u) = self.units.unit(id) else {
            return MIN_TIMER;
        };
        let Some(r) = self.rqs.get(rq) else {
            return MIN_TIMER;
        };
        let mut min_time = MIN_TIMER;
        if self.cfg.ratelimit_us != 0 {
            min_time = min_time.max(u.switched_in + micros(self.cfg.ratelimit_us as i64) - now);
        }
        let next = r
            .queue
            .first()
            .and_then(|k| self.units.unit(k.2))
            .map(|w| w.credit);
        let rt_credit = match next {
            Some(c) if c > 0 => u.credit - c,
            _ => u.credit,
        };
        let mut time =
            (rt_credit.saturating_mul(u.weight as i64) / r.max_weight()).clamp(min_time, MAX_TIMER);
        if self.is_capped(u.dom) {
            time = time.min(u.budget.max(1));
        }
        time
    }
}

fn dec_weight(weights: &mut BTreeMap<u32, u32>, w: u32) {
    if let Some(n) = weights.get_mut(&w) {
        *n -= 1;
        if *n == 0 {
            weights.remove(&w);
        }
    }
}

mod ops;
