//! A vCPU's guest timers: the single-shot timer (`set_timer_op`,
//! `VCPUOP_set_singleshot_timer`) and the periodic timer (`VCPUOP_set_periodic_timer`), both
//! in Xen system time (ns since boot) and both delivered as `VIRQ_TIMER`
//! (`public/vcpu.h`; Xen's `xen/common/domain.c` and `xen/common/sched/core.c`).
//!
//! Pure bookkeeping: the run loop asks for the next deadline, arms a host timer for it, and
//! calls [`Timers::expire`] when it is due.

/// The shortest periodic timer Xen accepts (1 ms).
pub const PERIOD_MIN_NS: u64 = 1_000_000;
/// The longest (Xen's `STIME_DELTA_MAX`, the largest positive `s_time_t` difference).
pub const PERIOD_MAX_NS: u64 = (1 << 62) - 1;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timers {
    /// Absolute expiry of the single-shot timer.
    singleshot: Option<u64>,
    /// The periodic timer: its period and next expiry.
    periodic: Option<(u64, u64)>,
}

impl Timers {
    /// Arms the single-shot timer; a deadline already past fires at the next check.
    pub fn set_singleshot(&mut self, deadline_ns: u64) {
        self.singleshot = Some(deadline_ns);
    }

    pub fn stop_singleshot(&mut self) {
        self.singleshot = None;
    }

    /// Starts (or restarts) the periodic timer: the first tick is one period from `now`.
    /// The caller checked the period's bounds.
    pub fn set_periodic(&mut self, now_ns: u64, period_ns: u64) {
        self.periodic = Some((period_ns, now_ns.saturating_add(period_ns)));
    }

    pub fn stop_periodic(&mut self) {
        self.periodic = None;
    }

    pub fn periodic_period(&self) -> Option<u64> {
        self.periodic.map(|(p, _)| p)
    }

    /// The earliest pending expiry.
    pub fn next_deadline(&self) -> Option<u64> {
        match (self.singleshot, self.periodic.map(|(_, next)| next)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Retires every expiry at or before `now`; true if `VIRQ_TIMER` is due. A periodic
    /// timer that fell several periods behind ticks once and skips the missed periods, as
    /// Xen's does (one event per check, never a burst).
    pub fn expire(&mut self, now_ns: u64) -> bool {
        let mut fired = false;
        if self.singleshot.is_some_and(|d| d <= now_ns) {
            self.singleshot = None;
            fired = true;
        }
        if let Some((period, next)) = self.periodic
            && next <= now_ns
        {
            let behind = (now_ns - next) / period;
            let next = next.saturating_add(period.saturating_mul(behind.saturating_add(1)));
            self.periodic = Some((period, next));
            fired = true;
        }
        fired
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singleshot_fires_once() {
        let mut t = Timers::default();
        assert_eq!(t.next_deadline(), None);
        t.set_singleshot(100);
        assert!(!t.expire(99));
        assert!(t.expire(100));
        assert!(!t.expire(200));
        assert_eq!(t.next_deadline(), None);
    }

    #[test]
    fn periodic_repeats_and_skips_missed_ticks() {
        let mut t = Timers::default();
        t.set_periodic(0, 1_000_000);
        assert_eq!(t.next_deadline(), Some(1_000_000));
        assert!(t.expire(1_000_000));
        assert_eq!(t.next_deadline(), Some(2_000_000));
        // Far behind: one tick, and the next one is in the future.
        assert!(t.expire(10_500_000));
        assert_eq!(t.next_deadline(), Some(11_000_000));
        t.stop_periodic();
        assert!(!t.expire(u64::MAX));
    }

    #[test]
    fn earliest_of_both() {
        let mut t = Timers::default();
        t.set_periodic(0, 5_000_000);
        t.set_singleshot(3_000_000);
        assert_eq!(t.next_deadline(), Some(3_000_000));
        t.set_singleshot(9_000_000);
        assert_eq!(t.next_deadline(), Some(5_000_000));
        // Extreme values never overflow.
        t.stop_singleshot();
        t.set_periodic(u64::MAX - 1, PERIOD_MAX_NS);
        assert!(!t.expire(u64::MAX - 1));
        t.set_singleshot(u64::MAX);
        assert!(t.expire(u64::MAX));
    }
}
