//! The RTDS real-time scheduler (`xen/common/sched/rt.c`, `docs/features/sched_rtds.pandoc`).
//!
//! Each unit has a budget per period (defaults 4 ms / 10 ms). Units are scheduled by global EDF:
//! all pCPUs of the pool take the unit with the earliest current deadline. A unit that used its
//! budget is depleted until its next period, unless it has the extratime flag (the default): then
//! it keeps running at a lower priority level, behind every unit with budget left. At each
//! deadline a replenishment event gives back the budget and moves the deadline one period on.
//!
//! Overload: when the budgets exceed the pool's capacity, EDF misses deadlines; budget
//! enforcement still holds every unit to its budget per period (temporal isolation), as Xen's
//! documentation describes. Global EDF can also miss deadlines below full utilisation (Dhall's
//! effect) unless the task set meets a schedulability test such as U ≤ m − (m−1)·u_max.
//!
//! Cost: O(log n) per decision when the earliest unit may run on the CPU (Xen scans its sorted
//! list, also linear with restrictive affinity); replenishment events are a sorted set.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;
use core::fmt;

use ferrite_abi::Errno;

use crate::affinity::{Affinity, CpuMask};
use crate::core::{
    Cpu, Decision, DomId, DomOp, DomParams, GlobalParams, RtdsParams, SchedId, Scheduler, Time,
    UnitId, UnitSpec, micros,
};
use crate::unit::{ById, Slab};

/// Default period (`RTDS_DEFAULT_PERIOD`).
pub const DEFAULT_PERIOD: Time = micros(10_000);
/// Default budget (`RTDS_DEFAULT_BUDGET`).
pub const DEFAULT_BUDGET: Time = micros(4_000);
/// `RTDS_MIN_PERIOD` and `RTDS_MIN_BUDGET`.
pub const MIN_PERIOD: Time = micros(10);
/// `RTDS_MAX_PERIOD` (`STIME_DELTA_MAX`).
pub const MAX_PERIOD: Time = i64::MAX / 4;

/// Checks a period/budget pair as `rt_validate_params` does.
pub fn validate(p: &RtdsParams) -> Result<(Time, Time), Errno> {
    let period = (p.period_us as i64)
        .checked_mul(1000)
        .ok_or(Errno::EINVAL)?;
    let budget = (p.budget_us as i64)
        .checked_mul(1000)
        .ok_or(Errno::EINVAL)?;
    if !(MIN_PERIOD..=MAX_PERIOD).contains(&period) || budget < MIN_PERIOD || budget > period {
        return Err(Errno::EINVAL);
    }
    Ok((period, budget))
}

type Key = (u32, Time, u64, UnitId);

struct Unit {
    dom: DomId,
    vcpu: u32,
    affinity: Affinity,
    period: Time,
    budget: Time,
    extratime: bool,
    cur_budget: Time,
    deadline: Time,
    level: u32,
    depleted: bool,
    runnable: bool,
    running: Option<Cpu>,
    queued: Option<Key>,
    repl: Option<Time>,
    start: Time,
}

impl Unit {
    fn key(&self, seq: u64, id: UnitId) -> Key {
        (self.level, self.deadline, seq, id)
    }

    /// Moves the deadline past `now` and refills the budget (`rt_update_deadline`).
    fn update_deadline(&mut self, now: Time) {
        if now >= self.deadline {
            let count = (now - self.deadline) / self.period.max(1) + 1;
            self.deadline += count * self.period;
        }
        self.cur_budget = self.budget;
        self.level = 0;
        self.depleted = false;
    }
}

/// The RTDS scheduler's state for one pool.
#[derive(Default)]
pub struct Rtds {
    units: Slab<Unit>,
    curr: Slab<Option<UnitId>>,
    cpus: Vec<Cpu>,
    runq: BTreeSet<Key>,
    replq: BTreeSet<(Time, UnitId)>,
    seq: u64,
    tickled: CpuMask,
}

impl Rtds {
    /// An RTDS instance with no CPUs.
    pub fn new() -> Self {
        Self::default()
    }

    fn enqueue(&mut self, id: UnitId) {
        let seq = self.seq;
        self.seq += 1;
        let Some(u) = self.units.unit_mut(id) else {
            return;
        };
        if u.queued.is_some() || u.running.is_some() || !u.runnable || u.depleted {
            return;
        }
        let key = u.key(seq, id);
        u.queued = Some(key);
        self.runq.insert(key);
    }

    fn dequeue(&mut self, id: UnitId) {
        if let Some(k) = self.units.unit_mut(id).and_then(|u| u.queued.take()) {
            self.runq.remove(&k);
        }
    }

    fn set_repl(&mut self, id: UnitId, at: Option<Time>) {
        let Some(u) = self.units.unit_mut(id) else {
            return;
        };
        if let Some(old) = u.repl.take() {
            self.replq.remove(&(old, id));
        }
        u.repl = at;
        if let Some(t) = at {
            self.replq.insert((t, id));
        }
    }

    /// Charges a running unit for its time (`burn_budget`).
    fn burn(&mut self, id: UnitId, now: Time) {
        let Some(u) = self.units.unit_mut(id) else {
            return;
        };
        u.cur_budget -= (now - u.start).max(0);
        u.start = now;
        if u.cur_budget <= 0 {
            if u.extratime {
                u.level = u.level.saturating_add(1);
                u.cur_budget = u.budget;
            } else {
                u.cur_budget = 0;
                u.depleted = true;
            }
        }
    }

    /// Tickles an idle CPU, or the one running the latest deadline (`runq_tickle`).
    fn tickle(&mut self, id: UnitId) {
        let Some(u) = self.units.unit(id) else { return };
        let mine = (u.level, u.deadline);
        let mut victim: Option<((u32, Time), Cpu)> = None;
        let mut idle = Vec::new();
        for &c in &self.cpus {
            if !u.affinity.allows(c) || self.tickled.test(c) {
                continue;
            }
            match self
                .curr
                .cpu(c)
                .copied()
                .flatten()
                .and_then(|r| self.units.unit(r))
            {
                None => idle.push(c),
                Some(r) => {
                    let theirs = (r.level, r.deadline);
                    if theirs > mine && victim.is_none_or(|(v, _)| theirs > v) {
                        victim = Some((theirs, c));
                    }
                }
            }
        }
        if let Some(c) = u.affinity.pick(idle.into_iter()) {
            self.tickled.set(c);
        } else if let Some((_, c)) = victim {
            self.tickled.set(c);
        }
    }

    /// A unit's parameters in the domctl form.
    fn params(u: &Unit) -> RtdsParams {
        RtdsParams {
            period_us: (u.period / 1000) as u64,
            budget_us: (u.budget / 1000) as u64,
            extratime: u.extratime,
        }
    }

    fn set_params(
        &mut self,
        id: UnitId,
        period: Time,
        budget: Time,
        extratime: Option<bool>,
        now: Time,
    ) {
        let Some(u) = self.units.unit_mut(id) else {
            return;
        };
        u.period = period;
        u.budget = budget;
        if let Some(e) = extratime {
            u.extratime = e;
            if e && u.depleted {
                u.depleted = false;
                u.level = u.level.saturating_add(1);
                u.cur_budget = u.budget;
                self.enqueue(id);
                self.tickle(id);
            }
        }
        let _ = now;
    }
}

mod ops;
