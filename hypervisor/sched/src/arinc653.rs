//! The ARINC 653 scheduler (`xen/common/sched/arinc653.c`, `docs/features/sched_arinc653.pandoc`,
//! `XEN_SYSCTL_SCHEDOP_putinfo` with `xen_sysctl_arinc653_schedule` in `public/sysctl.h`).
//!
//! A fixed cyclic schedule: a major frame made of minor windows, each giving one vCPU the CPU for
//! a fixed time, followed by idle time up to the end of the frame. A window whose vCPU is not
//! runnable idles. Windows start and end exactly at their boundaries (the run loop is asked to
//! come back at the next boundary). As in Xen, only the pool's first CPU runs the schedule.
//! Until a schedule is set, each of dom0's vCPUs gets a 10 ms window. Decisions are O(windows).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::fmt;

use ferrite_abi::Errno;

use crate::affinity::{Affinity, CpuMask};
use crate::core::{
    Arinc653Schedule, Arinc653Window, Cpu, Decision, DomId, DomOp, DomParams, GlobalParams,
    SchedId, Scheduler, Time, UnitId, UnitSpec, millis,
};
use crate::unit::{ById, Slab};

/// `ARINC653_MAX_DOMAINS_PER_SCHEDULE`.
pub const MAX_WINDOWS: usize = 64;
/// The window given to each dom0 vCPU by default (`DEFAULT_TIMESLICE`).
pub const DEFAULT_TIMESLICE: Time = millis(10);

struct Unit {
    dom: DomId,
    vcpu: u32,
    affinity: Affinity,
    runnable: bool,
}

/// Checks a schedule as `arinc653_sched_set` does.
pub fn validate(s: &Arinc653Schedule) -> Result<(), Errno> {
    if s.major_frame <= 0 || s.windows.is_empty() || s.windows.len() > MAX_WINDOWS {
        return Err(Errno::EINVAL);
    }
    let mut total: Time = 0;
    for w in &s.windows {
        if w.runtime <= 0 {
            return Err(Errno::EINVAL);
        }
        total = total.checked_add(w.runtime).ok_or(Errno::EINVAL)?;
    }
    if total > s.major_frame {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

/// The ARINC653 scheduler's state for one pool.
#[derive(Default)]
pub struct Arinc653 {
    schedule: Arinc653Schedule,
    units: Slab<Unit>,
    by_vcpu: BTreeMap<(DomId, u32), UnitId>,
    cpus: Vec<Cpu>,
    curr: Option<UnitId>,
    index: usize,
    next_switch: Time,
    next_major: Time,
    tickled: CpuMask,
}

impl Arinc653 {
    /// An ARINC653 instance with the empty schedule.
    pub fn new() -> Self {
        Self::default()
    }

    fn master(&self) -> Option<Cpu> {
        self.cpus.first().copied()
    }

    fn kick(&mut self) {
        if let Some(c) = self.master() {
            self.tickled.set(c);
        }
    }

    fn window_unit(&self, w: &Arinc653Window) -> Option<UnitId> {
        self.by_vcpu.get(&(w.dom, w.vcpu)).copied()
    }
}

impl Scheduler for Arinc653 {
    fn id(&self) -> SchedId {
        SchedId::Arinc653
    }

    fn add_cpu(&mut self, cpu: Cpu, _now: Time) {
        if !self.cpus.contains(&cpu) {
            self.cpus.push(cpu);
            self.cpus.sort_unstable();
            self.tickled.set(cpu);
        }
    }

    fn remove_cpu(&mut self, cpu: Cpu, _now: Time) {
        if self.master() == Some(cpu) {
            self.curr = None;
        }
        self.cpus.retain(|c| *c != cpu);
        self.kick();
    }

    fn add_domain(&mut self, _dom: DomId) -> Result<(), Errno> {
        Ok(())
    }

    fn remove_domain(&mut self, _dom: DomId) {}

    fn insert_unit(&mut self, spec: &UnitSpec, _now: Time) -> Result<(), Errno> {
        if self.units.unit(spec.id).is_some() {
            return Err(Errno::EEXIST);
        }
        let u = Unit {
            dom: spec.dom,
            vcpu: spec.vcpu,
            affinity: spec.affinity.clone(),
            runnable: false,
        };
        self.units.insert(spec.id.0 as usize, u);
        self.by_vcpu.insert((spec.dom, spec.vcpu), spec.id);
        if spec.dom.0 == 0 && self.schedule.windows.len() < MAX_WINDOWS {
            self.schedule.windows.push(Arinc653Window {
                dom: spec.dom,
                handle: [0; 16],
                vcpu: spec.vcpu,
                runtime: DEFAULT_TIMESLICE,
            });
            self.schedule.major_frame += DEFAULT_TIMESLICE;
        }
        Ok(())
    }

    fn remove_unit(&mut self, unit: UnitId, _now: Time) {
        if let Some(u) = self.units.remove(unit.0 as usize) {
            self.by_vcpu.remove(&(u.dom, u.vcpu));
        }
        if self.curr == Some(unit) {
            self.curr = None;
            self.kick();
        }
    }

    fn sleep(&mut self, unit: UnitId, _now: Time) {
        if let Some(u) = self.units.unit_mut(unit) {
            u.runnable = false;
        }
        if self.curr == Some(unit) {
            self.kick();
        }
    }

    fn wake(&mut self, unit: UnitId, _now: Time) {
        if let Some(u) = self.units.unit_mut(unit) {
            u.runnable = true;
        }
        self.kick();
    }

    fn yield_unit(&mut self, _unit: UnitId, _now: Time) {}

    fn do_schedule(&mut self, cpu: Cpu, now: Time) -> Decision {
        if self.master() != Some(cpu) {
            return Decision::IDLE;
        }
        let n = self.schedule.windows.len();
        if n == 0 {
            self.next_major = now + DEFAULT_TIMESLICE;
            self.curr = None;
            return Decision {
                unit: None,
                run_for: Some(DEFAULT_TIMESLICE),
            };
        }
        if now >= self.next_major {
            self.index = 0;
            self.next_major = now.saturating_add(self.schedule.major_frame);
            self.next_switch =
                now.saturating_add(self.schedule.windows.first().map_or(0, |w| w.runtime));
        }
        while now >= self.next_switch && self.index < n {
            self.index += 1;
            if let Some(w) = self.schedule.windows.get(self.index) {
                self.next_switch = self.next_switch.saturating_add(w.runtime);
            }
        }
        let candidate = self
            .schedule
            .windows
            .get(self.index)
            .and_then(|w| self.window_unit(w));
        let unit = candidate.filter(|u| {
            self.units
                .unit(*u)
                .is_some_and(|x| x.runnable && x.affinity.allows(cpu))
        });
        let end = if self.index < n {
            self.next_switch.min(self.next_major)
        } else {
            self.next_major
        };
        self.curr = unit;
        Decision {
            unit,
            run_for: Some((end - now).max(1)),
        }
    }

    fn pick_cpu(&self, _unit: UnitId) -> Option<Cpu> {
        self.master()
    }

    fn set_affinity(&mut self, unit: UnitId, affinity: &Affinity, _now: Time) {
        if let Some(u) = self.units.unit_mut(unit) {
            u.affinity = affinity.clone();
        }
        if self.curr == Some(unit) {
            self.kick();
        }
    }

    fn adjust_domain(&mut self, _dom: DomId, op: DomOp, _now: Time) -> Result<DomParams, Errno> {
        match op {
            DomOp::GetInfo | DomOp::PutInfo(DomParams::Empty) => Ok(DomParams::Empty),
            _ => Err(Errno::EINVAL),
        }
    }

    fn adjust_global(
        &mut self,
        put: Option<GlobalParams>,
        now: Time,
    ) -> Result<GlobalParams, Errno> {
        match put {
            None => {}
            Some(GlobalParams::Arinc653(s)) => {
                validate(&s)?;
                self.schedule = s;
                // The new schedule starts a major frame at once.
                self.next_major = now;
                self.kick();
            }
            Some(_) => return Err(Errno::EINVAL),
        }
        Ok(GlobalParams::Arinc653(self.schedule.clone()))
    }

    fn take_tickles(&mut self, out: &mut CpuMask) {
        self.tickled.drain_into(out);
    }

    fn dump(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        writeln!(out, "Scheduler: ARINC 653 Scheduler (arinc653)")?;
        writeln!(
            out,
            "major_frame={} windows={:?}",
            self.schedule.major_frame, self.schedule.windows
        )?;
        writeln!(
            out,
            "index={} curr={:?} cpus={:?}",
            self.index, self.curr, self.cpus
        )
    }
}
