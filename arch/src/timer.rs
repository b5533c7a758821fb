//! The per-CPU timer queue (Xen's `xen/common/timer.c`, reduced to what Ferrite needs now):
//! deadlines in nanoseconds since boot, each with a callback. The architecture's one-shot
//! timer is always programmed for the earliest deadline.
//!
//! Lock order: a CPU's queue lock is a leaf; callbacks run with it released.

/// A timer callback: called with the entry's `data` on the CPU that owns the queue.
pub type Callback = fn(u64);

#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub deadline_ns: u64,
    pub callback: Callback,
    pub data: u64,
}

/// Capacity of one CPU's queue.
pub const CAPACITY: usize = 32;

/// A full queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueFull;

/// Deadlines kept sorted, earliest last (so the next one pops from the end).
pub struct TimerQueue {
    entries: [Option<Entry>; CAPACITY],
    len: usize,
}

impl TimerQueue {
    pub const fn new() -> TimerQueue {
        TimerQueue {
            entries: [None; CAPACITY],
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds an entry; O(n), n ≤ 32.
    pub fn add(&mut self, e: Entry) -> Result<(), QueueFull> {
        if self.len == CAPACITY {
            return Err(QueueFull);
        }
        // Find the slot that keeps deadlines descending; equal deadlines fire in add order.
        let mut i = self.len;
        while i > 0 {
            match self.entries[i - 1] {
                Some(prev) if prev.deadline_ns <= e.deadline_ns => {
                    self.entries[i] = self.entries[i - 1];
                    i -= 1;
                }
                _ => break,
            }
        }
        self.entries[i] = Some(e);
        self.len += 1;
        Ok(())
    }

    /// Removes every entry with this callback and data; returns how many.
    pub fn remove(&mut self, callback: Callback, data: u64) -> usize {
        let mut kept = 0;
        for i in 0..self.len {
            let e = self.entries[i];
            if e.is_some_and(|e| core::ptr::fn_addr_eq(e.callback, callback) && e.data == data) {
                continue;
            }
            self.entries[kept] = e;
            kept += 1;
        }
        let removed = self.len - kept;
        for slot in &mut self.entries[kept..self.len] {
            *slot = None;
        }
        self.len = kept;
        removed
    }

    /// The earliest deadline.
    pub fn next_deadline(&self) -> Option<u64> {
        self.len
            .checked_sub(1)
            .and_then(|i| self.entries[i])
            .map(|e| e.deadline_ns)
    }

    /// Takes the earliest entry if it is due at `now_ns`.
    pub fn pop_expired(&mut self, now_ns: u64) -> Option<Entry> {
        let i = self.len.checked_sub(1)?;
        let e = self.entries[i]?;
        if e.deadline_ns > now_ns {
            return None;
        }
        self.entries[i] = None;
        self.len = i;
        Some(e)
    }
}

impl Default for TimerQueue {
    fn default() -> Self {
        Self::new()
    }
}

/// One [`TimerQueue`] per CPU, each behind its own lock: what every architecture's timer
/// driver keeps, so that only programming the hardware timer is architecture code.
pub struct CpuQueues {
    queues: [spin::Mutex<TimerQueue>; crate::percpu::MAX_CPUS],
}

impl CpuQueues {
    pub const fn new() -> CpuQueues {
        CpuQueues {
            queues: [const { spin::Mutex::new(TimerQueue::new()) }; crate::percpu::MAX_CPUS],
        }
    }

    fn queue(&self, cpu: u32) -> &spin::Mutex<TimerQueue> {
        &self.queues[cpu as usize % crate::percpu::MAX_CPUS]
    }

    /// Adds `e` to `cpu`'s queue; returns the deadline to program next.
    pub fn add(&self, cpu: u32, e: Entry) -> Result<Option<u64>, QueueFull> {
        let mut q = self.queue(cpu).lock();
        q.add(e)?;
        Ok(q.next_deadline())
    }

    /// Runs `cpu`'s due callbacks (with its lock released); returns the deadline to program
    /// next.
    pub fn run_due(&self, cpu: u32, now_ns: impl Fn() -> u64) -> Option<u64> {
        loop {
            let due = self.queue(cpu).lock().pop_expired(now_ns());
            match due {
                Some(e) => (e.callback)(e.data),
                None => break,
            }
        }
        self.queue(cpu).lock().next_deadline()
    }
}

impl Default for CpuQueues {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::vec::Vec;

    fn cb_a(_: u64) {}
    fn cb_b(_: u64) {}

    fn e(d: u64, data: u64) -> Entry {
        Entry {
            deadline_ns: d,
            callback: cb_a,
            data,
        }
    }

    #[test]
    fn fires_in_deadline_order() {
        let mut q = TimerQueue::new();
        q.add(e(30, 3)).unwrap();
        q.add(e(10, 1)).unwrap();
        q.add(e(20, 2)).unwrap();
        q.add(e(10, 4)).unwrap();
        assert_eq!(q.next_deadline(), Some(10));
        assert!(q.pop_expired(5).is_none());
        let fired: Vec<u64> = core::iter::from_fn(|| q.pop_expired(25))
            .map(|e| e.data)
            .collect();
        assert_eq!(fired, [1, 4, 2]);
        assert_eq!(q.next_deadline(), Some(30));
    }

    #[test]
    fn full_and_remove() {
        let mut q = TimerQueue::new();
        for i in 0..CAPACITY as u64 {
            q.add(e(i, i)).unwrap();
        }
        assert_eq!(q.add(e(0, 0)), Err(QueueFull));
        assert_eq!(q.remove(cb_a, 5), 1);
        assert_eq!(q.remove(cb_b, 6), 0);
        assert_eq!(q.len(), CAPACITY - 1);
    }

    #[test]
    fn per_cpu_queues_run_due_callbacks() {
        use core::sync::atomic::{AtomicU64, Ordering};
        static FIRED: AtomicU64 = AtomicU64::new(0);
        fn count(d: u64) {
            FIRED.fetch_add(d, Ordering::Relaxed);
        }
        let q = CpuQueues::new();
        let entry = |d, data| Entry {
            deadline_ns: d,
            callback: count,
            data,
        };
        assert_eq!(q.add(3, entry(50, 1)), Ok(Some(50)));
        assert_eq!(q.add(3, entry(20, 10)), Ok(Some(20)));
        assert_eq!(q.add(4, entry(5, 100)), Ok(Some(5)));
        assert_eq!(q.run_due(3, || 30), Some(50));
        assert_eq!(FIRED.load(Ordering::Relaxed), 10);
        assert_eq!(q.run_due(3, || 60), None);
        assert_eq!(FIRED.load(Ordering::Relaxed), 11);
    }

    proptest! {
        #[test]
        fn always_sorted(ops in proptest::collection::vec((0u64..1000, any::<bool>()), 0..200)) {
            let mut q = TimerQueue::new();
            let mut model: Vec<u64> = Vec::new();
            for (d, pop) in ops {
                if pop {
                    let got = q.pop_expired(d).map(|e| e.deadline_ns);
                    model.sort_unstable();
                    let want = model.first().copied().filter(|&m| m <= d);
                    if want.is_some() { model.remove(0); }
                    prop_assert_eq!(got, want);
                } else if q.add(e(d, 0)).is_ok() {
                    model.push(d);
                }
            }
        }
    }
}
