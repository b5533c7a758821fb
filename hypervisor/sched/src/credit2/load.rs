//! credit2's decaying load averages (`xen/common/sched/credit2.c`: `update_runq_load`,
//! `update_svc_load`; options `credit2_load_precision_shift` and `credit2_load_window_shift`
//! in `docs/misc/xen-command-line.pandoc`).
//!
//! Each runqueue and each unit keeps an average of its instantaneous load (runnable units for a
//! runqueue, 0 or 1 for a unit) over a window of 2^`window_shift` ns. An update `delta` after the
//! previous one weighs the load that held during `delta` by `delta / W` and the old average by
//! `(W - delta) / W`; after more than a whole window the old average is dropped. Averages are
//! fixed point with `precision_shift` fraction bits, and time is counted in units of 2^10 ns
//! (Xen's `LOADAVG_GRANULARITY_SHIFT`), so the window in those units is `window_shift - 10`.
//! A runqueue also keeps `b_avg`, the same average adjusted by the averages of units the
//! balancer moves in or out, which is what balancing compares.

use crate::core::Time;

/// `LOADAVG_GRANULARITY_SHIFT`: load time is counted in units of 1024 ns.
pub const GRANULARITY_SHIFT: u32 = 10;
/// `credit2_load_precision_shift` default (`LOADAVG_PRECISION_SHIFT`).
pub const PRECISION_SHIFT_DEFAULT: u32 = 18;
/// `LOADAVG_PRECISION_SHIFT_MIN`: smaller values are raised to it, as Xen does.
pub const PRECISION_SHIFT_MIN: u32 = 4;
/// `credit2_load_window_shift` default (`LOADAVG_WINDOW_SHIFT`, 2^30 ns ≈ 1 s).
pub const WINDOW_SHIFT_DEFAULT: u32 = 30;
/// Ferrite's upper bounds (Xen has none): they keep `1 << shift` and the products in range.
pub const PRECISION_SHIFT_MAX: u32 = 32;
/// See [`PRECISION_SHIFT_MAX`].
pub const WINDOW_SHIFT_MAX: u32 = 50;

/// The two shifts in effect, after Xen's `csched2_global_init` corrections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadShifts {
    /// Fraction bits of every average (P).
    pub precision: u32,
    /// Window length in granularity units, as a shift (W = option − 10).
    pub window: u32,
}

impl LoadShifts {
    /// From the two options: a precision below the minimum is raised to it; a window not
    /// longer than the granularity falls back to the default (both warnings in Xen).
    pub fn from_options(precision_shift: u32, window_shift: u32) -> Self {
        let precision = precision_shift.clamp(PRECISION_SHIFT_MIN, PRECISION_SHIFT_MAX);
        let window = if window_shift <= GRANULARITY_SHIFT {
            WINDOW_SHIFT_DEFAULT
        } else {
            window_shift.min(WINDOW_SHIFT_MAX)
        };
        LoadShifts {
            precision,
            window: window - GRANULARITY_SHIFT,
        }
    }

    /// One unit of load in fixed point.
    pub fn one(&self) -> i64 {
        1i64 << self.precision
    }

    /// `avg` moved towards `load` (not yet shifted) for the `delta` since `last`.
    fn decay(&self, avg: i64, load: i64, now: i64, last: i64) -> i64 {
        let fixed = load << self.precision;
        if last + (1i64 << self.window) < now {
            return fixed;
        }
        let delta = i128::from((now - last).max(0));
        let w = self.window;
        let next =
            i128::from(avg) + ((delta * i128::from(fixed)) >> w) - ((delta * i128::from(avg)) >> w);
        i64::try_from(next.max(0)).unwrap_or(i64::MAX)
    }
}

fn granules(now: Time) -> i64 {
    now >> GRANULARITY_SHIFT
}

/// A runqueue's load: the instantaneous count and its two averages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunqLoad {
    /// Runnable (not parked) units assigned to the runqueue.
    pub load: u32,
    /// Decaying average of `load`, fixed point.
    pub avg: i64,
    /// `avg` adjusted for units the balancer moved (`b_avgload`).
    pub b_avg: i64,
    last: i64,
}

impl RunqLoad {
    /// Folds the load that held since the last update into the averages, then applies
    /// `change` to the count (`update_runq_load`).
    pub fn update(&mut self, change: i32, now: Time, s: LoadShifts) {
        let now = granules(now);
        let load = i64::from(self.load);
        self.avg = s.decay(self.avg, load, now, self.last);
        self.b_avg = s.decay(self.b_avg, load, now, self.last);
        self.load = self.load.saturating_add_signed(change);
        self.last = now;
    }
}

/// A unit's load: how much of the recent window it was runnable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnitLoad {
    /// Decaying average of "runnable", fixed point.
    pub avg: i64,
    last: i64,
}

impl UnitLoad {
    /// A new unit counts as half loaded (`csched2_alloc_udata`).
    pub fn new(now: Time, s: LoadShifts) -> Self {
        UnitLoad {
            avg: 1i64 << (s.precision - 1),
            last: granules(now),
        }
    }

    /// Folds in the time since the last update (`update_svc_load`): `change` +1 means it was
    /// not runnable until now, -1 that it was, 0 that `runnable` held throughout.
    pub fn update(&mut self, change: i32, runnable: bool, now: Time, s: LoadShifts) {
        let load = match change {
            -1 => 1,
            1 => 0,
            _ => i64::from(runnable),
        };
        let now = granules(now);
        self.avg = s.decay(self.avg, load, now, self.last);
        self.last = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::millis;

    const S: LoadShifts = LoadShifts {
        precision: 18,
        window: 20,
    };

    #[test]
    fn options_are_corrected_like_xen() {
        assert_eq!(LoadShifts::from_options(18, 30), S);
        assert_eq!(LoadShifts::from_options(2, 30).precision, 4);
        assert_eq!(LoadShifts::from_options(18, 10).window, 20);
        assert_eq!(LoadShifts::from_options(18, 12).window, 2);
        assert_eq!(
            LoadShifts::from_options(99, 99),
            LoadShifts::from_options(32, 50)
        );
    }

    #[test]
    fn runqueue_average_follows_the_load_over_the_window() {
        let mut r = RunqLoad::default();
        // First sample after more than a window: the average is the load itself (0).
        r.update(2, millis(2_000), S);
        assert_eq!((r.load, r.avg), (2, 0));
        // Half a window (2^29 ns) at load 2: halfway from 0 to 2.
        r.update(0, millis(2_000) + (1 << 29), S);
        assert_eq!(r.avg, S.one());
        // Another half window: 2 − (2 − 1)/2 = 1.5.
        r.update(0, millis(2_000) + (1 << 30), S);
        assert_eq!(r.avg, 3 * S.one() / 2);
        // An update at the same instant changes nothing but the count.
        r.update(-2, millis(2_000) + (1 << 30), S);
        assert_eq!((r.load, r.avg), (0, 3 * S.one() / 2));
        // More than a window later the history is gone.
        r.update(0, millis(5_000), S);
        assert_eq!(r.avg, 0);
        assert_eq!(r.b_avg, 0);
    }

    #[test]
    fn unit_average_tracks_runnable_time() {
        let mut u = UnitLoad::new(0, S);
        assert_eq!(u.avg, S.one() / 2);
        // Runnable for a whole window: fully loaded.
        u.update(-1, false, 1 << 30, S);
        assert_eq!(u.avg, S.one());
        // Blocked for a quarter window, then woken: 3/4.
        u.update(1, true, (1 << 30) + (1 << 28), S);
        assert_eq!(u.avg, 3 * S.one() / 4);
        u.update(0, true, (1 << 30) + (1 << 28), S);
        assert_eq!(u.avg, 3 * S.one() / 4);
    }
}
