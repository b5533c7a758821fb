//! The null scheduler (`xen/common/sched/null.c`, `docs/features/sched_null.pandoc`).
//!
//! Each unit is assigned a pCPU of its own and runs there whenever it is runnable; the CPU idles
//! while its unit blocks. Units beyond the pCPU count wait in a FIFO queue and get a pCPU as
//! soon as one is freed (unit removed, pCPU added, affinity changed). `do_schedule` is O(1);
//! placement scans the pool's CPUs (O(pCPUs)).
//!
//! A unit re-assigned while it runs (new affinity, its pCPU removed) keeps running on its old
//! pCPU until that pCPU's next schedule point; the new pCPU idles until then and is tickled by
//! it (the role of Xen's `is_running` check and `sched_unit_migrate_finish` in `core.c`).

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::fmt;

use ferrite_abi::Errno;

use crate::affinity::{Affinity, CpuMask};
use crate::core::{
    Cpu, Decision, DomId, DomOp, DomParams, GlobalParams, SchedId, Scheduler, Time, UnitId,
    UnitSpec,
};
use crate::unit::{ById, Slab};

struct NullUnit {
    dom: DomId,
    affinity: Affinity,
    cpu: Option<Cpu>,
    /// The pCPU whose last decision was this unit (it is still on that pCPU).
    running_on: Option<Cpu>,
    runnable: bool,
}

/// The null scheduler's state for one pool.
#[derive(Default)]
pub struct Null {
    units: Slab<NullUnit>,
    /// Per pCPU of the pool: the unit assigned to it.
    owner: Slab<Option<UnitId>>,
    /// Per pCPU of the pool: the unit its last `do_schedule` returned.
    curr: Slab<UnitId>,
    cpus: Vec<Cpu>,
    waitq: VecDeque<UnitId>,
    tickled: CpuMask,
}

impl Null {
    /// A null scheduler with no CPUs.
    pub fn new() -> Self {
        Self::default()
    }

    /// The unit assigned to `cpu`.
    pub fn owner(&self, cpu: Cpu) -> Option<UnitId> {
        self.owner.cpu(cpu).copied().flatten()
    }

    fn free_cpu_for(&self, aff: &Affinity) -> Option<Cpu> {
        let free = self
            .cpus
            .iter()
            .copied()
            .filter(|&c| self.owner(c).is_none());
        aff.pick(free.collect::<Vec<_>>().into_iter())
    }

    fn assign(&mut self, unit: UnitId, cpu: Cpu) {
        if let Some(o) = self.owner.cpu_mut(cpu) {
            *o = Some(unit);
        }
        if let Some(u) = self.units.unit_mut(unit) {
            u.cpu = Some(cpu);
        }
        self.tickled.set(cpu);
    }

    /// Places `unit` on a free CPU or at the back of the wait queue.
    fn place(&mut self, unit: UnitId) {
        let Some(u) = self.units.unit(unit) else {
            return;
        };
        match self.free_cpu_for(&u.affinity) {
            Some(cpu) => self.assign(unit, cpu),
            None => self.waitq.push_back(unit),
        }
    }

    /// Frees `cpu` and gives it to the first waiting unit allowed there.
    fn release(&mut self, cpu: Cpu) {
        if let Some(o) = self.owner.cpu_mut(cpu) {
            *o = None;
        }
        self.tickled.set(cpu);
        let pos = self
            .waitq
            .iter()
            .position(|w| self.units.unit(*w).is_some_and(|u| u.affinity.allows(cpu)));
        if let Some(next) = pos.and_then(|p| self.waitq.remove(p)) {
            self.assign(next, cpu);
        }
    }

    fn unassign(&mut self, unit: UnitId) {
        let cpu = self.units.unit_mut(unit).and_then(|u| u.cpu.take());
        match cpu {
            Some(cpu) => self.release(cpu),
            None => self.waitq.retain(|w| *w != unit),
        }
    }
}

impl Scheduler for Null {
    fn id(&self) -> SchedId {
        SchedId::Null
    }

    fn add_cpu(&mut self, cpu: Cpu, _now: Time) {
        if self.owner.cpu(cpu).is_some() {
            return;
        }
        self.owner.insert(cpu as usize, None);
        self.cpus.push(cpu);
        self.cpus.sort_unstable();
        self.release(cpu);
    }

    fn remove_cpu(&mut self, cpu: Cpu, _now: Time) {
        let Some(slot) = self.owner.remove(cpu as usize) else {
            return;
        };
        self.cpus.retain(|c| *c != cpu);
        // The caller stops running guests on a removed pCPU.
        if let Some(prev) = self.curr.remove(cpu as usize)
            && let Some(u) = self.units.unit_mut(prev)
            && u.running_on == Some(cpu)
        {
            u.running_on = None;
        }
        if let Some(unit) = slot {
            if let Some(u) = self.units.unit_mut(unit) {
                u.cpu = None;
            }
            self.place(unit);
        }
    }

    fn add_domain(&mut self, _dom: DomId) -> Result<(), Errno> {
        Ok(())
    }

    fn remove_domain(&mut self, _dom: DomId) {}

    fn insert_unit(&mut self, spec: &UnitSpec, _now: Time) -> Result<(), Errno> {
        let unit = NullUnit {
            dom: spec.dom,
            affinity: spec.affinity.clone(),
            cpu: None,
            running_on: None,
            runnable: false,
        };
        if self.units.insert(spec.id.0 as usize, unit).is_some() {
            return Err(Errno::EEXIST);
        }
        self.place(spec.id);
        Ok(())
    }

    fn remove_unit(&mut self, unit: UnitId, _now: Time) {
        self.unassign(unit);
        if let Some(u) = self.units.remove(unit.0 as usize)
            && let Some(c) = u.running_on
        {
            // Its pCPU must reschedule now; it forgets the unit so a later unit with the same
            // id is not mistaken for it.
            self.curr.remove(c as usize);
            self.tickled.set(c);
        }
    }

    fn sleep(&mut self, unit: UnitId, _now: Time) {
        if let Some(u) = self.units.unit_mut(unit) {
            u.runnable = false;
            if let Some(c) = u.cpu {
                self.tickled.set(c);
            }
        }
    }

    fn wake(&mut self, unit: UnitId, _now: Time) {
        if let Some(u) = self.units.unit_mut(unit) {
            u.runnable = true;
            if let Some(c) = u.cpu {
                self.tickled.set(c);
            }
        }
    }

    fn yield_unit(&mut self, _unit: UnitId, _now: Time) {}

    fn do_schedule(&mut self, cpu: Cpu, _now: Time) -> Decision {
        self.deschedule(cpu);
        let Some(owner) = self.owner(cpu) else {
            // A CPU without a unit checks the wait queue (units that could not be placed).
            if self.owner.cpu(cpu).is_some() && !self.waitq.is_empty() {
                self.release(cpu);
                if let Some(u) = self.owner(cpu) {
                    return self.run_if_runnable(u, cpu);
                }
            }
            return Decision::IDLE;
        };
        self.run_if_runnable(owner, cpu)
    }

    fn pick_cpu(&self, unit: UnitId) -> Option<Cpu> {
        let u = self.units.unit(unit)?;
        u.cpu.or_else(|| self.free_cpu_for(&u.affinity))
    }

    fn set_affinity(&mut self, unit: UnitId, affinity: &Affinity, _now: Time) {
        let Some(u) = self.units.unit_mut(unit) else {
            return;
        };
        u.affinity = affinity.clone();
        let keep = u.cpu.is_some_and(|c| affinity.allows(c));
        if !keep {
            self.unassign(unit);
            self.place(unit);
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
        _now: Time,
    ) -> Result<GlobalParams, Errno> {
        match put {
            None | Some(GlobalParams::Empty) => Ok(GlobalParams::Empty),
            Some(_) => Err(Errno::EINVAL),
        }
    }

    fn take_tickles(&mut self, out: &mut CpuMask) {
        self.tickled.drain_into(out);
    }

    fn dump(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        writeln!(out, "Scheduler: null Scheduler (null)")?;
        for &c in &self.cpus {
            let dom = self
                .owner(c)
                .and_then(|u| self.units.unit(u))
                .map(|u| u.dom.0);
            writeln!(out, "CPU[{c:02}] unit={:?} dom={dom:?}", self.owner(c))?;
        }
        writeln!(out, "Waitqueue: {:?}", self.waitq)
    }
}

impl Null {
    /// Ends what `cpu` ran. A unit re-assigned meanwhile can now start on its new pCPU, which
    /// idled waiting for this: tickle it.
    fn deschedule(&mut self, cpu: Cpu) {
        let Some(prev) = self.curr.remove(cpu as usize) else {
            return;
        };
        let Some(u) = self.units.unit_mut(prev) else {
            return;
        };
        if u.running_on == Some(cpu) {
            u.running_on = None;
        }
        if let Some(to) = u.cpu
            && to != cpu
        {
            self.tickled.set(to);
        }
    }

    /// Runs `unit` (assigned to `cpu`) if it is runnable and no longer on another pCPU.
    fn run_if_runnable(&mut self, unit: UnitId, cpu: Cpu) -> Decision {
        match self.units.unit_mut(unit) {
            Some(u) if u.runnable && u.running_on.is_none_or(|c| c == cpu) => {
                u.running_on = Some(cpu);
                self.curr.insert(cpu as usize, unit);
                Decision {
                    unit: Some(unit),
                    run_for: None,
                }
            }
            _ => Decision::IDLE,
        }
    }
}
