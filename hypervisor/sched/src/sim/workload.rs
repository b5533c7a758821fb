//! Workload models for the simulator: how long a vCPU computes before it blocks, and how long
//! it stays blocked.

use crate::core::{Time, micros, millis};

/// A small deterministic PRNG (xorshift64*), so runs are reproducible from a seed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is remapped).
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in `lo..=hi`.
    pub fn range(&mut self, lo: Time, hi: Time) -> Time {
        let span = (hi - lo).max(0) as u64 + 1;
        lo + (self.next_u64() % span) as Time
    }
}

/// What a vCPU does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// Always runnable.
    CpuBound,
    /// Computes `run`, then blocks for `sleep` (an I/O-bound guest).
    IoBound {
        /// CPU time per burst.
        run: Time,
        /// Blocked time between bursts.
        sleep: Time,
    },
    /// Long bursts separated by long idle periods.
    Bursty {
        /// CPU time per burst.
        burst: Time,
        /// Idle time between bursts.
        idle: Time,
    },
    /// Random bursts of 0.1–20 ms and sleeps of 0.1–20 ms.
    Mixed,
}

impl Workload {
    /// CPU time until the next block.
    pub fn next_burst(&self, rng: &mut Rng) -> Time {
        match *self {
            Workload::CpuBound => Time::MAX,
            Workload::IoBound { run, .. } => run.max(1),
            Workload::Bursty { burst, .. } => burst.max(1),
            Workload::Mixed => rng.range(micros(100), millis(20)),
        }
    }

    /// Blocked time after a burst.
    pub fn next_sleep(&self, rng: &mut Rng) -> Time {
        match *self {
            Workload::CpuBound => millis(1),
            Workload::IoBound { sleep, .. } => sleep.max(1),
            Workload::Bursty { idle, .. } => idle.max(1),
            Workload::Mixed => rng.range(micros(100), millis(20)),
        }
    }
}
