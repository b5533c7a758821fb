//! RTDS's [`Scheduler`] operations (`rt_*` in `xen/common/sched/rt.c`).

use super::*;

impl Scheduler for Rtds {
    fn id(&self) -> SchedId {
        SchedId::Rtds
    }

    fn add_cpu(&mut self, cpu: Cpu, _now: Time) {
        if self.curr.cpu(cpu).is_none() {
            self.curr.insert(cpu as usize, None);
            self.cpus.push(cpu);
            self.cpus.sort_unstable();
            self.tickled.set(cpu);
        }
    }

    fn remove_cpu(&mut self, cpu: Cpu, now: Time) {
        let Some(slot) = self.curr.remove(cpu as usize) else {
            return;
        };
        self.cpus.retain(|c| *c != cpu);
        if let Some(id) = slot {
            self.burn(id, now);
            if let Some(u) = self.units.unit_mut(id) {
                u.running = None;
            }
            self.enqueue(id);
            self.tickle(id);
        }
    }

    fn add_domain(&mut self, _dom: DomId) -> Result<(), Errno> {
        Ok(())
    }

    fn remove_domain(&mut self, _dom: DomId) {}

    fn insert_unit(&mut self, spec: &UnitSpec, now: Time) -> Result<(), Errno> {
        if self.units.unit(spec.id).is_some() {
            return Err(Errno::EEXIST);
        }
        let mut u = Unit {
            dom: spec.dom,
            vcpu: spec.vcpu,
            affinity: spec.affinity.clone(),
            period: DEFAULT_PERIOD,
            budget: DEFAULT_BUDGET,
            extratime: true,
            cur_budget: 0,
            deadline: 0,
            level: 0,
            depleted: false,
            runnable: false,
            running: None,
            queued: None,
            repl: None,
            start: now,
        };
        u.update_deadline(now);
        self.units.insert(spec.id.0 as usize, u);
        Ok(())
    }

    fn remove_unit(&mut self, unit: UnitId, now: Time) {
        self.sleep(unit, now);
        self.dequeue(unit);
        self.set_repl(unit, None);
        if let Some(u) = self.units.remove(unit.0 as usize)
            && let Some(c) = u.running
            && let Some(slot) = self.curr.cpu_mut(c)
        {
            *slot = None;
        }
    }

    fn sleep(&mut self, unit: UnitId, _now: Time) {
        let Some(u) = self.units.unit_mut(unit) else {
            return;
        };
        u.runnable = false;
        if let Some(c) = u.running {
            self.tickled.set(c);
        } else {
            self.dequeue(unit);
            self.set_repl(unit, None);
        }
    }

    fn wake(&mut self, unit: UnitId, now: Time) {
        let Some(u) = self.units.unit_mut(unit) else {
            return;
        };
        if u.runnable {
            return;
        }
        u.runnable = true;
        if u.running.is_some() {
            return;
        }
        if now >= u.deadline {
            u.update_deadline(now);
        }
        let dl = u.deadline;
        self.set_repl(unit, Some(dl));
        self.enqueue(unit);
        self.tickle(unit);
    }

    fn yield_unit(&mut self, _unit: UnitId, _now: Time) {}

    fn do_schedule(&mut self, cpu: Cpu, now: Time) -> Decision {
        if self.curr.cpu(cpu).is_none() {
            return Decision::IDLE;
        }
        let prev = self.curr.cpu_mut(cpu).and_then(Option::take);
        if let Some(prev) = prev {
            self.burn(prev, now);
            if let Some(u) = self.units.unit_mut(prev) {
                u.running = None;
            }
            if self.units.unit(prev).is_some_and(|u| !u.runnable) {
                self.set_repl(prev, None);
            }
            self.enqueue(prev);
        }
        let prev_queued = prev.filter(|p| self.units.unit(*p).is_some_and(|u| u.queued.is_some()));
        let next = self
            .runq
            .iter()
            .find(|k| self.units.unit(k.3).is_some_and(|u| u.affinity.allows(cpu)))
            .map(|k| k.3);
        let Some(next) = next else {
            return Decision::IDLE;
        };
        self.dequeue(next);
        // A preempted or no-longer-allowed unit may be able to run elsewhere at once.
        if let Some(p) = prev_queued.filter(|p| *p != next) {
            self.tickle(p);
        }
        if let Some(slot) = self.curr.cpu_mut(cpu) {
            *slot = Some(next);
        }
        let Some(u) = self.units.unit_mut(next) else {
            return Decision::IDLE;
        };
        u.running = Some(cpu);
        u.start = now;
        Decision {
            unit: Some(next),
            run_for: Some(u.cur_budget.max(1)),
        }
    }

    fn pick_cpu(&self, unit: UnitId) -> Option<Cpu> {
        let u = self.units.unit(unit)?;
        let idle: Vec<Cpu> = self
            .cpus
            .iter()
            .copied()
            .filter(|c| self.curr.cpu(*c).is_some_and(Option::is_none))
            .collect();
        u.affinity
            .pick(idle.into_iter())
            .or_else(|| u.affinity.pick(self.cpus.iter().copied()))
    }

    fn set_affinity(&mut self, unit: UnitId, affinity: &Affinity, _now: Time) {
        let Some(u) = self.units.unit_mut(unit) else {
            return;
        };
        u.affinity = affinity.clone();
        match u.running {
            Some(c) if !affinity.allows(c) => self.tickled.set(c),
            Some(_) => {}
            None => {
                if u.queued.is_some() {
                    self.tickle(unit);
                }
            }
        }
    }

    fn adjust_domain(&mut self, dom: DomId, op: DomOp, now: Time) -> Result<DomParams, Errno> {
        let ids: Vec<UnitId> = self
            .units
            .iter()
            .filter(|(_, u)| u.dom == dom)
            .map(|(i, _)| UnitId(i as u32))
            .collect();
        let find = |s: &Self, vcpu: u32| -> Result<UnitId, Errno> {
            ids.iter()
                .copied()
                .find(|i| s.units.unit(*i).is_some_and(|u| u.vcpu == vcpu))
                .ok_or(Errno::EINVAL)
        };
        match op {
            DomOp::GetInfo => Ok(DomParams::Rtds(RtdsParams {
                period_us: (DEFAULT_PERIOD / 1000) as u64,
                budget_us: (DEFAULT_BUDGET / 1000) as u64,
                extratime: true,
            })),
            DomOp::PutInfo(DomParams::Rtds(p)) => {
                let (period, budget) = validate(&p)?;
                for id in &ids {
                    self.set_params(*id, period, budget, None, now);
                }
                Ok(DomParams::Rtds(p))
            }
            DomOp::GetVcpuInfo(v) => {
                let id = find(self, v)?;
                self.units
                    .unit(id)
                    .map(|u| DomParams::Rtds(Self::params(u)))
                    .ok_or(Errno::EINVAL)
            }
            DomOp::PutVcpuInfo(v, p) => {
                let id = find(self, v)?;
                let (period, budget) = validate(&p)?;
                self.set_params(id, period, budget, Some(p.extratime), now);
                Ok(DomParams::Rtds(p))
            }
            DomOp::PutInfo(_) => Err(Errno::EINVAL),
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

    fn next_timer(&self) -> Option<Time> {
        self.replq.first().map(|e| e.0)
    }

    /// Replenishment events (`repl_timer_handler`).
    fn timer(&mut self, now: Time) {
        let mut done = Vec::new();
        while let Some(&(t, id)) = self.replq.first() {
            if t > now {
                break;
            }
            self.replq.remove(&(t, id));
            if let Some(u) = self.units.unit_mut(id) {
                u.repl = None;
            }
            if self.units.unit(id).is_some_and(|u| u.running.is_some()) {
                self.burn(id, now);
            }
            self.dequeue(id);
            let Some(u) = self.units.unit_mut(id) else {
                continue;
            };
            u.update_deadline(now);
            let (dl, running) = (u.deadline, u.running);
            self.set_repl(id, Some(dl));
            match running {
                // Its slice was computed from the old budget: reschedule it.
                Some(c) => self.tickled.set(c),
                None => {
                    self.enqueue(id);
                    done.push(id);
                }
            }
        }
        for id in done {
            self.tickle(id);
        }
    }

    fn take_tickles(&mut self, out: &mut CpuMask) {
        self.tickled.drain_into(out);
    }

    fn dump(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        writeln!(out, "Scheduler: SMP RTDS Scheduler (rtds)")?;
        for (i, u) in self.units.iter() {
            writeln!(
                out,
                "unit {i} dom={} period={} budget={} cur_budget={} deadline={} level={} extratime={}",
                u.dom.0, u.period, u.budget, u.cur_budget, u.deadline, u.level, u.extratime
            )?;
        }
        for &c in &self.cpus {
            writeln!(
                out,
                "CPU[{c:02}] curr={:?}",
                self.curr.cpu(c).copied().flatten()
            )?;
        }
        Ok(())
    }
}
