//! credit2's [`Scheduler`] operations (`csched2_*` in `xen/common/sched/credit2.c`).

use super::*;

impl Scheduler for Credit2 {
    fn id(&self) -> SchedId {
        SchedId::Credit2
    }

    fn add_cpu(&mut self, cpu: Cpu, now: Time) {
        self.tick(now);
        if self.pcpus.cpu(cpu).is_some() {
            return;
        }
        let group = self.cfg.group_of(cpu);
        let max = self.cfg.max_cpus_runqueue.max(1) as usize;
        let existing = self
            .rqs
            .iter()
            .position(|r| r.group == group && !r.cpus.is_empty() && r.cpus.len() < max)
            .or_else(|| {
                self.rqs
                    .iter()
                    .position(|r| r.cpus.is_empty() && r.members.is_empty())
            });
        let rq = match existing {
            Some(i) => i,
            None => {
                self.rqs.push(RunQueue::default());
                self.rqs.len() - 1
            }
        };
        if let Some(r) = self.rqs.get_mut(rq) {
            r.group = group;
            r.cpus.push(cpu);
            r.next_balance = now;
        }
        self.pcpus.insert(cpu as usize, Pcpu { rq, curr: None });
        self.kick(cpu);
    }

    fn remove_cpu(&mut self, cpu: Cpu, now: Time) {
        self.tick(now);
        let Some(p) = self.pcpus.remove(cpu as usize) else {
            return;
        };
        if let Some(r) = self.rqs.get_mut(p.rq) {
            r.cpus.retain(|c| *c != cpu);
        }
        // A tickle left pending on the removed CPU would reserve its unit for a CPU that never
        // schedules in this pool again (`candidate` skips units tickled elsewhere).
        self.pending.clear(cpu);
        self.tickled.clear(cpu);
        for (_, u) in self.units.iter_mut() {
            if u.tickled_cpu == Some(cpu) {
                u.tickled_cpu = None;
            }
        }
        if let Some(cur) = p.curr {
            self.burn(cur, now);
            self.return_budget(cur);
            if let Some(u) = self.units.unit_mut(cur) {
                u.running = false;
            }
            self.enqueue(cur);
            self.tickle(cur);
        }
        // Units left on a runqueue without CPUs, or only allowed on the removed CPU, move.
        let orphans: Vec<UnitId> = self
            .units
            .iter()
            .filter(|(_, u)| !u.running)
            .filter(|(_, u)| {
                self.rqs
                    .get(u.rq)
                    .is_none_or(|r| !r.cpus.iter().any(|c| u.affinity.allows(*c)))
            })
            .map(|(i, _)| UnitId(i as u32))
            .collect();
        for id in orphans {
            self.dequeue(id);
            if let Some(to) = self.pick_cpu(id).and_then(|c| self.rq_for_cpu(c)) {
                self.migrate_rq(id, to);
            }
            self.enqueue(id);
            self.tickle(id);
        }
    }

    fn add_domain(&mut self, dom: DomId) -> Result<(), Errno> {
        let d = Dom {
            weight: DEFAULT_WEIGHT,
            cap: 0,
            nr_units: 0,
            tot_budget: 0,
            budget: 0,
            parked: Vec::new(),
        };
        self.doms.entry(dom).or_insert(d);
        Ok(())
    }

    fn remove_domain(&mut self, dom: DomId) {
        self.doms.remove(&dom);
    }

    fn insert_unit(&mut self, spec: &UnitSpec, now: Time) -> Result<(), Errno> {
        self.tick(now);
        let d = self.doms.get_mut(&spec.dom).ok_or(Errno::ESRCH)?;
        if self.units.unit(spec.id).is_some() {
            return Err(Errno::EEXIST);
        }
        d.nr_units += 1;
        let weight = d.weight;
        let unit = Unit {
            dom: spec.dom,
            affinity: spec.affinity.clone(),
            weight,
            credit: CREDIT_INIT,
            rq: usize::MAX,
            cpu: 0,
            runnable: false,
            running: false,
            parked: false,
            yielding: false,
            queued: None,
            tickled_cpu: None,
            start: 0,
            switched_in: 0,
            budget: 0,
            load: UnitLoad::new(now, self.shifts),
        };
        self.units.insert(spec.id.0 as usize, unit);
        self.nr_units += 1;
        let cpu = self.pick_cpu(spec.id).unwrap_or(0);
        let rq = self.rq_for_cpu(cpu).unwrap_or(0);
        if let Some(u) = self.units.unit_mut(spec.id) {
            u.cpu = cpu;
        }
        self.migrate_rq(spec.id, rq);
        Ok(())
    }

    fn remove_unit(&mut self, unit: UnitId, now: Time) {
        self.tick(now);
        self.sleep(unit, now);
        self.dequeue(unit);
        let Some(u) = self.units.remove(unit.0 as usize) else {
            return;
        };
        self.nr_units = self.nr_units.saturating_sub(1);
        if let Some(r) = self.rqs.get_mut(u.rq) {
            r.members.remove(&unit);
            dec_weight(&mut r.weights, u.weight);
            r.load.b_avg = (r.load.b_avg - u.load.avg).max(0);
        }
        if let Some(d) = self.doms.get_mut(&u.dom) {
            d.nr_units = d.nr_units.saturating_sub(1);
            d.parked.retain(|p| *p != unit);
        }
        for (_, p) in self.pcpus.iter_mut() {
            if p.curr == Some(unit) {
                p.curr = None;
            }
        }
    }

    fn sleep(&mut self, unit: UnitId, now: Time) {
        self.tick(now);
        if !self.units.unit(unit).is_some_and(|u| u.runnable) {
            return;
        }
        self.unit_load(unit, -1);
        let Some(u) = self.units.unit_mut(unit) else {
            return;
        };
        u.runnable = false;
        let (running, cpu, rq, parked) = (u.running, u.cpu, u.rq, u.parked);
        if !parked {
            self.set_load(rq, -1);
        }
        if running {
            self.kick(cpu);
        } else {
            self.dequeue(unit);
        }
    }

    fn wake(&mut self, unit: UnitId, now: Time) {
        self.tick(now);
        if self.units.unit(unit).is_none_or(|u| u.runnable) {
            return;
        }
        self.unit_load(unit, 1);
        let Some(u) = self.units.unit_mut(unit) else {
            return;
        };
        u.runnable = true;
        let (running, rq, parked) = (u.running, u.rq, u.parked);
        if !parked {
            self.set_load(rq, 1);
        }
        if running || parked {
            return;
        }
        if let Some(to) = self.pick_cpu(unit).and_then(|c| self.rq_for_cpu(c)) {
            self.migrate_rq(unit, to);
        }
        self.enqueue(unit);
        self.tickle(unit);
    }

    fn yield_unit(&mut self, unit: UnitId, _now: Time) {
        if let Some(u) = self.units.unit_mut(unit) {
            u.yielding = true;
            if u.running {
                let c = u.cpu;
                self.kick(c);
            }
        }
    }

    fn do_schedule(&mut self, cpu: Cpu, now: Time) -> Decision {
        self.tick(now);
        let Some(rq) = self.rq_for_cpu(cpu) else {
            return Decision::IDLE;
        };
        self.pending.clear(cpu);
        let prev = self.pcpus.cpu_mut(cpu).and_then(|p| p.curr.take());
        let mut prev_ok = false;
        if let Some(p) = prev {
            self.burn(p, now);
            if let Some(u) = self.units.unit_mut(p) {
                u.running = false;
                prev_ok = u.runnable && !u.parked && u.affinity.allows(cpu) && u.rq == rq;
            }
            if !prev_ok {
                self.return_budget(p);
                self.requeue_elsewhere(p, rq, cpu);
            }
        }
        if self.rqs.get(rq).is_some_and(|r| now >= r.next_balance) {
            self.balance(rq, cpu, now);
        }
        let ratelimit = micros(self.cfg.ratelimit_us as i64);
        // Each retry parks a unit or pulls one in, so this ends; the bound is a safety net.
        for _ in 0..self.nr_units + 8 {
            let prev_unit = prev
                .filter(|_| prev_ok)
                .and_then(|p| self.units.unit(p).map(|u| (p, u)));
            let mut snext = None;
            if let Some((p, u)) = prev_unit
                && ratelimit != 0
                && !u.yielding
                && now - u.switched_in < ratelimit
                && (u.budget > 0 || !self.is_capped(u.dom))
            {
                // Kept by the ratelimit: only until it expires, so a richer waiter (a
                // woken I/O unit) runs within one ratelimit period.
                let left = u.switched_in + ratelimit - now;
                if self.rqs.get(rq).is_some_and(|r| !r.queue.is_empty()) {
                    if let Some(pc) = self.pcpus.cpu_mut(cpu) {
                        pc.curr = Some(p);
                    }
                    if let Some(u) = self.units.unit_mut(p) {
                        u.running = true;
                    }
                    return Decision {
                        unit: Some(p),
                        run_for: Some(left),
                    };
                }
                snext = Some(p);
            }
            if snext.is_none() {
                let against = prev_unit
                    .filter(|(_, u)| !u.yielding)
                    .map(|(_, u)| u.credit);
                let q = self.candidate(rq, cpu, against);
                let q_credit = q.and_then(|q| self.units.unit(q)).map(|u| u.credit);
                snext = match (prev_unit, q, q_credit) {
                    (Some((p, u)), Some(q), Some(qc)) => {
                        if u.yielding || qc > u.credit {
                            Some(q)
                        } else {
                            Some(p)
                        }
                    }
                    (Some((p, _)), _, _) => Some(p),
                    (None, q, _) => q,
                };
            }
            let Some(next) = snext else {
                self.balance(rq, cpu, now);
                match self.candidate(rq, cpu, None) {
                    Some(_) => continue,
                    None => return Decision::IDLE,
                }
            };
            let credit = self.units.unit(next).map_or(0, |u| u.credit);
            if credit <= 0 {
                self.reset_credit(rq, credit, now);
            }
            if Some(next) != prev && prev_ok {
                if let Some(p) = prev {
                    self.return_budget(p);
                    self.enqueue(p);
                }
                prev_ok = false;
            }
            self.dequeue(next);
            if !self.grab_budget(next) {
                if Some(next) == prev {
                    prev_ok = false;
                }
                continue;
            }
            let switched = Some(next) != prev;
            if let Some(u) = self.units.unit_mut(next) {
                u.running = true;
                u.yielding = false;
                u.tickled_cpu = None;
                u.start = now;
                u.cpu = cpu;
                if switched {
                    u.switched_in = now;
                }
            }
            if let Some(p) = self.pcpus.cpu_mut(cpu) {
                p.curr = Some(next);
            }
            let run_for = self.runtime(next, rq, now);
            return Decision {
                unit: Some(next),
                run_for: Some(run_for),
            };
        }
        Decision::IDLE
    }

    fn pick_cpu(&self, unit: UnitId) -> Option<Cpu> {
        let u = self.units.unit(unit)?;
        let idle_in = |r: &RunQueue| -> Option<Cpu> {
            let idle: Vec<Cpu> = r
                .cpus
                .iter()
                .copied()
                .filter(|c| self.pcpus.cpu(*c).is_some_and(|p| p.curr.is_none()))
                .collect();
            u.affinity.pick(idle.into_iter())
        };
        if let Some(c) = self.rqs.get(u.rq).and_then(idle_in) {
            return Some(c);
        }
        if let Some(c) = self.rqs.iter().find_map(idle_in) {
            return Some(c);
        }
        // All busy: the runqueue with an allowed CPU and the least balancer load average, not
        // counting the unit itself on its own runqueue (`csched2_res_pick`).
        let mut best: Option<(i64, usize, Cpu)> = None;
        for (i, r) in self.rqs.iter().enumerate() {
            let Some(c) = u.affinity.pick(r.cpus.iter().copied()) else {
                continue;
            };
            let c = if i == u.rq && u.affinity.allows(u.cpu) && r.cpus.contains(&u.cpu) {
                u.cpu
            } else {
                c
            };
            let l = if i == u.rq {
                (r.load.b_avg - u.load.avg).max(0)
            } else {
                r.load.b_avg
            };
            if best.is_none_or(|(bl, _, _)| l < bl) {
                best = Some((l, i, c));
            }
        }
        best.map(|(_, _, c)| c)
    }

    fn set_affinity(&mut self, unit: UnitId, affinity: &Affinity, now: Time) {
        self.tick(now);
        let Some(u) = self.units.unit_mut(unit) else {
            return;
        };
        u.affinity = affinity.clone();
        let (running, cpu, queued) = (u.running, u.cpu, u.queued.is_some());
        if running {
            if !affinity.allows(cpu) {
                self.kick(cpu);
            }
            return;
        }
        let rq_ok = self
            .rqs
            .get(self.units.unit(unit).map_or(0, |u| u.rq))
            .is_some_and(|r| r.cpus.iter().any(|c| affinity.allows(*c)));
        if !rq_ok {
            self.dequeue(unit);
            if let Some(to) = self.pick_cpu(unit).and_then(|c| self.rq_for_cpu(c)) {
                self.migrate_rq(unit, to);
            }
            if queued {
                self.enqueue(unit);
            }
        }
        if queued {
            self.tickle(unit);
        }
    }

    fn adjust_domain(&mut self, dom: DomId, op: DomOp, now: Time) -> Result<DomParams, Errno> {
        self.tick(now);
        let period = self.cap_period();
        let d = self.doms.get_mut(&dom).ok_or(Errno::ESRCH)?;
        let put = match op {
            DomOp::GetInfo => None,
            DomOp::PutInfo(DomParams::Credit2(p)) => Some(p),
            _ => return Err(Errno::EINVAL),
        };
        if let Some(p) = put {
            let weight = check_weight(p.weight)?;
            if p.cap > 100 * d.nr_units {
                return Err(Errno::EINVAL);
            }
            if let Some(w) = weight {
                d.weight = w;
            }
            d.cap = p.cap;
            d.tot_budget = period.saturating_mul(p.cap as i64) / 100;
            d.budget = d.tot_budget;
            let parked = core::mem::take(&mut d.parked);
            let ids: Vec<UnitId> = self
                .units
                .iter()
                .filter(|(_, u)| u.dom == dom)
                .map(|(i, _)| UnitId(i as u32))
                .collect();
            for id in ids {
                let Some(u) = self.units.unit(id) else {
                    continue;
                };
                let (old, rq, queued) = (u.weight, u.rq, u.queued.is_some());
                if let Some(w) = weight {
                    self.dequeue(id);
                    if let Some(r) = self.rqs.get_mut(rq) {
                        dec_weight(&mut r.weights, old);
                        *r.weights.entry(w).or_default() += 1;
                    }
                    if let Some(u) = self.units.unit_mut(id) {
                        u.weight = w;
                    }
                    if queued {
                        self.enqueue(id);
                    }
                }
            }
            for id in parked {
                self.unpark(id);
            }
            if p.cap != 0 && self.next_repl.is_none() {
                self.next_repl = Some(now + period);
            }
        }
        let d = self.doms.get(&dom).ok_or(Errno::ESRCH)?;
        Ok(DomParams::Credit2(Credit2Params {
            weight: d.weight,
            cap: d.cap,
        }))
    }

    fn adjust_global(
        &mut self,
        put: Option<GlobalParams>,
        _now: Time,
    ) -> Result<GlobalParams, Errno> {
        match put {
            None => {}
            Some(GlobalParams::Credit2(g)) => {
                self.cfg.ratelimit_us = check_ratelimit(g.ratelimit_us)?
            }
            Some(_) => return Err(Errno::EINVAL),
        }
        Ok(GlobalParams::Credit2(Credit2Global {
            ratelimit_us: self.cfg.ratelimit_us,
        }))
    }

    fn next_timer(&self) -> Option<Time> {
        self.next_repl
    }

    fn timer(&mut self, now: Time) {
        self.tick(now);
        let Some(due) = self.next_repl else { return };
        if now < due {
            return;
        }
        let period = self.cap_period();
        let mut parked = Vec::new();
        let mut any_cap = false;
        for d in self.doms.values_mut() {
            if d.cap == 0 {
                continue;
            }
            any_cap = true;
            d.budget = (d.budget + d.tot_budget).min(d.tot_budget);
            parked.append(&mut d.parked);
        }
        for id in parked {
            self.unpark(id);
        }
        // Keep replenishments on the period grid even if this timer fired late.
        self.next_repl = any_cap.then(|| due + ((now - due) / period + 1) * period);
    }

    fn take_tickles(&mut self, out: &mut CpuMask) {
        self.tickled.drain_into(out);
    }

    fn dump(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        writeln!(out, "Scheduler: SMP Credit Scheduler rev2 (credit2)")?;
        writeln!(
            out,
            "ratelimit_us={} runqueue={:?}",
            self.cfg.ratelimit_us, self.cfg.runqueue
        )?;
        for (i, r) in self.rqs.iter().enumerate() {
            writeln!(
                out,
                "Runqueue {i}: cpus={:?} load={} avgload={}% max_weight={}",
                r.cpus,
                r.load.load,
                (r.load.avg * 100) >> self.shifts.precision,
                r.max_weight()
            )?;
            for k in &r.queue {
                let (rq, tickled) = self
                    .units
                    .unit(k.2)
                    .map_or((None, None), |u| (Some(u.rq), u.tickled_cpu));
                writeln!(
                    out,
                    "  unit {} credit={} rq={rq:?} tickled={tickled:?}",
                    k.2.0, -k.0
                )?;
            }
        }
        for (c, p) in self.pcpus.iter() {
            let pending = self.pending.test(c as Cpu);
            writeln!(
                out,
                "CPU[{c:02}] runq={} curr={:?} pending={pending}",
                p.rq, p.curr
            )?;
        }
        Ok(())
    }
}

impl Credit2 {
    /// Requeues a descheduled unit that may not continue on `cpu` (affinity changed, or it
    /// belongs to another runqueue now): on a runqueue where it may run, with a tickle.
    fn requeue_elsewhere(&mut self, id: UnitId, rq: usize, cpu: Cpu) {
        let Some(u) = self.units.unit(id) else { return };
        if !u.runnable || u.parked {
            return;
        }
        let stays = u.rq == rq && u.affinity.allows(cpu);
        if !stays {
            let to = self.pick_cpu(id).and_then(|c| self.rq_for_cpu(c));
            if let Some(to) = to {
                self.migrate_rq(id, to);
            }
        }
        self.enqueue(id);
        if !stays {
            self.tickle(id);
        }
    }

    fn unpark(&mut self, id: UnitId) {
        let Some(u) = self.units.unit_mut(id) else {
            return;
        };
        if !u.parked {
            return;
        }
        u.parked = false;
        let (runnable, rq) = (u.runnable, u.rq);
        if runnable {
            self.set_load(rq, 1);
            self.enqueue(id);
            self.tickle(id);
        }
    }
}
