//! Runstate accounting (`struct vcpu_runstate_info`, `public/vcpu.h`): the current state, when
//! it was entered, and the time spent in each state, as `VCPUOP_get_runstate_info` and the
//! registered runstate area report it.

use ferrite_abi::vcpu::VcpuRunstateInfo;

pub const RUNNING: i32 = 0;
pub const RUNNABLE: i32 = 1;
pub const BLOCKED: i32 = 2;
pub const OFFLINE: i32 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Runstate {
    state: i32,
    entry_ns: u64,
    time: [u64; 4],
}

impl Runstate {
    pub fn new(state: i32, now_ns: u64) -> Runstate {
        Runstate {
            state,
            entry_ns: now_ns,
            time: [0; 4],
        }
    }

    pub fn state(&self) -> i32 {
        self.state
    }

    /// Moves to `state` at `now`, charging the time since the last change to the old state.
    /// Time never runs backwards here, even if `now` does.
    pub fn change(&mut self, state: i32, now_ns: u64) {
        let spent = now_ns.saturating_sub(self.entry_ns);
        if let Some(t) = self.time.get_mut(self.state as usize) {
            *t = t.saturating_add(spent);
        }
        self.state = state;
        self.entry_ns = self.entry_ns.max(now_ns);
    }

    /// The record as the guest sees it at `now` (the current state's time included).
    pub fn info(&self, now_ns: u64) -> VcpuRunstateInfo {
        let mut time = self.time;
        if let Some(t) = time.get_mut(self.state as usize) {
            *t = t.saturating_add(now_ns.saturating_sub(self.entry_ns));
        }
        VcpuRunstateInfo {
            state: self.state,
            _pad0: 0,
            state_entry_time: self.entry_ns,
            time,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_time_per_state() {
        let mut r = Runstate::new(RUNNABLE, 100);
        r.change(RUNNING, 150);
        r.change(BLOCKED, 400);
        let i = r.info(1000);
        assert_eq!(i.state, BLOCKED);
        assert_eq!(i.state_entry_time, 400);
        assert_eq!(i.time, [250, 50, 600, 0]);
        // A clock that steps back charges nothing.
        r.change(RUNNING, 10);
        assert_eq!(r.info(10).time, [250, 50, 0, 0]);
    }
}
