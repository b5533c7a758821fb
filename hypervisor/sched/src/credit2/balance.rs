//! credit2 load balancing (`balance_load` and `consider` in `xen/common/sched/credit2.c`).
//!
//! A pCPU balancing its runqueue finds the other runqueue whose balancer load average
//! (`b_avg`, see [`super::load`]) differs most from its own. It acts only when the difference is
//! at least one whole unit of load while both are under 100 % (one load per pCPU), or one eighth
//! of a unit when either is over (Xen's `credit2_balance_under` = 0 and `credit2_balance_over` =
//! -3 tolerances). It then moves the one unit — pushed from its runqueue or pulled from the
//! other — whose own load average makes the two closest. A runqueue left without pCPUs is
//! always drained. Differences from Xen: running units are not moved (Xen flags them to move
//! when they next stop), and push-and-pull swaps are not tried (Xen's O(n²) search); so a
//! balance costs O(units of the two runqueues), and only when the loads are uneven.

use super::*;

/// `credit2_balance_under`: shift of the tolerated difference below full load.
const UNDERLOAD_TOLERANCE: i32 = 0;
/// `credit2_balance_over`: shift of the tolerated difference at or above full load.
const OVERLOAD_TOLERANCE: i32 = -3;

impl Credit2 {
    /// Balances runqueue `rq`, on behalf of `cpu`, against the most different other one.
    pub(super) fn balance(&mut self, rq: usize, cpu: Cpu, now: Time) {
        self.tick(now);
        if let Some(r) = self.rqs.get_mut(rq) {
            r.next_balance = now + BALANCE_PERIOD;
        }
        if self.drain_orphans(rq, cpu) {
            return;
        }
        self.set_load(rq, 0);
        let Some(mine) = self.rqs.get(rq).map(|r| r.load.b_avg) else {
            return;
        };
        let mut other: Option<(i64, usize)> = None;
        for i in 0..self.rqs.len() {
            if i == rq || self.rqs.get(i).is_none_or(|r| r.cpus.is_empty()) {
                continue;
            }
            self.set_load(i, 0);
            let delta = self.rqs.get(i).map_or(0, |r| (r.load.b_avg - mine).abs());
            if delta > other.map_or(0, |o| o.0) {
                other = Some((delta, i));
            }
        }
        let Some((delta, o)) = other else { return };
        if delta < self.threshold(rq, o) {
            return;
        }
        if let Some((id, to)) = self.best_move(rq, o, delta) {
            self.move_unit(id, to);
        }
    }

    /// The smallest difference worth a move between runqueues `a` and `b`.
    fn threshold(&self, a: usize, b: usize) -> i64 {
        let p = self.shifts.precision as i32;
        let (la, ca) = self
            .rqs
            .get(a)
            .map_or((0, 0), |r| (r.load.b_avg, r.cpus.len()));
        let (lb, cb) = self
            .rqs
            .get(b)
            .map_or((0, 0), |r| (r.load.b_avg, r.cpus.len()));
        let full = (ca.max(cb) as i64) << p;
        let tolerance = if la.max(lb) < full {
            UNDERLOAD_TOLERANCE
        } else {
            OVERLOAD_TOLERANCE
        };
        1i64 << (p + tolerance).max(0)
    }

    /// The unit (and its destination) whose move leaves `l` and `o` closest, if any beats
    /// `delta` (`consider`, without swaps).
    fn best_move(&mut self, l: usize, o: usize, delta: i64) -> Option<(UnitId, usize)> {
        let (lb, ob) = (
            self.rqs.get(l).map_or(0, |r| r.load.b_avg),
            self.rqs.get(o).map_or(0, |r| r.load.b_avg),
        );
        let mut best: Option<(i64, UnitId, usize)> = None;
        for (from, to, sign) in [(l, o, -1i64), (o, l, 1)] {
            let members: Vec<UnitId> = self
                .rqs
                .get(from)
                .map_or(Vec::new(), |r| r.members.iter().copied().collect());
            for id in members {
                self.unit_load(id, 0);
                let Some(u) = self.units.unit(id) else {
                    continue;
                };
                let allowed = self
                    .rqs
                    .get(to)
                    .is_some_and(|r| r.cpus.iter().any(|c| u.affinity.allows(*c)));
                // Only queued or blocked units move: a runnable unit on no queue is running, or
                // is the one the calling `do_schedule` is deciding about.
                let idle = u.queued.is_some() || !u.runnable;
                if u.running || !idle || !allowed {
                    continue;
                }
                // Pushing lowers ours and raises theirs; pulling the reverse.
                let after = ((lb + sign * u.load.avg) - (ob - sign * u.load.avg)).abs();
                if after < best.map_or(delta, |b| b.0) {
                    best = Some((after, id, to));
                }
            }
        }
        best.map(|(_, id, to)| (id, to))
    }

    /// Moves a unit that is not running to runqueue `to` (`migrate`); a queued one is
    /// requeued there and a pCPU tickled for it.
    fn move_unit(&mut self, id: UnitId, to: usize) {
        let queued = self.units.unit(id).is_some_and(|u| u.queued.is_some());
        self.dequeue(id);
        self.migrate_rq(id, to);
        if queued {
            self.enqueue(id);
            self.tickle(id);
        }
    }

    /// Pulls a unit from a runqueue that has no pCPUs left into `rq`; true if one moved.
    fn drain_orphans(&mut self, rq: usize, cpu: Cpu) -> bool {
        let orphan = (0..self.rqs.len()).find(|&i| {
            i != rq
                && self
                    .rqs
                    .get(i)
                    .is_some_and(|r| r.cpus.is_empty() && !r.queue.is_empty())
        });
        let Some(o) = orphan else { return false };
        match self.candidate(o, cpu, None) {
            Some(id) => {
                self.dequeue(id);
                self.migrate_rq(id, rq);
                self.enqueue(id);
                true
            }
            None => false,
        }
    }
}
