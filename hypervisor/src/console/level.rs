//! Xen's log levels and thresholds (`loglvl=`, `guest_loglvl=`; `xen/drivers/char/console.c`).
//!
//! A message has one of four levels. A threshold pair `lower/upper` prints messages below
//! `lower`, rate-limits those below `upper`, and drops the rest. Xen's plain `printk` (no
//! level) is at the default level, warning; Ferrite's unlevelled boot messages are too.

/// A message's level, most severe first (`XENLOG_ERR` .. `XENLOG_DEBUG`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MsgLevel {
    Error = 0,
    Warning = 1,
    Info = 2,
    Debug = 3,
}

impl MsgLevel {
    pub fn from_log(l: log::Level) -> MsgLevel {
        match l {
            log::Level::Error => MsgLevel::Error,
            log::Level::Warn => MsgLevel::Warning,
            log::Level::Info => MsgLevel::Info,
            log::Level::Debug | log::Level::Trace => MsgLevel::Debug,
        }
    }
}

/// What to do with a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Print,
    RateLimited,
    Drop,
}

/// A `lower/upper` threshold pair; each is a count of levels let through (none = 0,
/// error = 1, warning = 2, info = 3, debug and all = 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thresholds {
    pub lower: u8,
    pub upper: u8,
}

impl Thresholds {
    /// Xen's default for its own messages: `loglvl=warning`.
    pub const HOST_DEFAULT: Thresholds = Thresholds { lower: 2, upper: 2 };
    /// Xen's default for guest messages: `guest_loglvl=none/warning`.
    pub const GUEST_DEFAULT: Thresholds = Thresholds { lower: 0, upper: 2 };

    pub fn decide(self, level: MsgLevel) -> Decision {
        let l = level as u8;
        if l < self.lower {
            Decision::Print
        } else if l < self.upper {
            Decision::RateLimited
        } else {
            Decision::Drop
        }
    }

    /// The most verbose `log` filter that can print anything.
    pub fn max_log_level(self) -> log::LevelFilter {
        match self.lower.max(self.upper) {
            0 => log::LevelFilter::Off,
            1 => log::LevelFilter::Error,
            2 => log::LevelFilter::Warn,
            3 => log::LevelFilter::Info,
            _ => log::LevelFilter::Trace,
        }
    }
}

/// Xen's printk rate limit: a burst of 10 messages per 5 s window, then one line saying how
/// many were suppressed.
pub struct RateLimit {
    window_start_ns: u64,
    count: u32,
    suppressed: u32,
}

impl RateLimit {
    pub const BURST: u32 = 10;
    pub const WINDOW_NS: u64 = 5_000_000_000;

    pub const fn new() -> RateLimit {
        RateLimit {
            window_start_ns: 0,
            count: 0,
            suppressed: 0,
        }
    }

    /// Whether a rate-limited message at `now_ns` may print; on a new window, also how many
    /// were suppressed in the last one.
    pub fn admit(&mut self, now_ns: u64) -> (bool, u32) {
        let mut reported = 0;
        if now_ns.saturating_sub(self.window_start_ns) >= Self::WINDOW_NS {
            reported = self.suppressed;
            self.window_start_ns = now_ns;
            self.count = 0;
            self.suppressed = 0;
        }
        if self.count < Self::BURST {
            self.count += 1;
            (true, reported)
        } else {
            self.suppressed += 1;
            (false, reported)
        }
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xen_semantics() {
        let t = Thresholds::HOST_DEFAULT;
        assert_eq!(t.decide(MsgLevel::Error), Decision::Print);
        assert_eq!(t.decide(MsgLevel::Warning), Decision::Print);
        assert_eq!(t.decide(MsgLevel::Info), Decision::Drop);
        let g = Thresholds::GUEST_DEFAULT;
        assert_eq!(g.decide(MsgLevel::Error), Decision::RateLimited);
        assert_eq!(g.decide(MsgLevel::Warning), Decision::RateLimited);
        assert_eq!(g.decide(MsgLevel::Info), Decision::Drop);
        let all = Thresholds { lower: 4, upper: 4 };
        assert_eq!(all.decide(MsgLevel::Debug), Decision::Print);
        let none = Thresholds { lower: 0, upper: 0 };
        assert_eq!(none.decide(MsgLevel::Error), Decision::Drop);
        assert_eq!(none.max_log_level(), log::LevelFilter::Off);
    }

    #[test]
    fn rate_limit_bursts_then_reports() {
        let mut r = RateLimit::new();
        let t0 = RateLimit::WINDOW_NS;
        for _ in 0..RateLimit::BURST {
            assert!(r.admit(t0).0);
        }
        assert!(!r.admit(t0 + 1).0);
        assert!(!r.admit(t0 + 2).0);
        assert_eq!(r.admit(t0 + RateLimit::WINDOW_NS), (true, 2));
    }
}
