//! credit's [`Scheduler`] operations (`csched_*` in `xen/common/sched/credit.c`).

use super::*;

impl Scheduler for Credit {
    fn id(&self) -> SchedId {
        SchedId::Credit
    }

    fn add_cpu(&mut self, cpu: Cpu, now: Time) {
        if self.pcpus.cpu(cpu).is_some() {
            return;
        }
        self.pcpus.insert(
            cpu as usize,
            Pcpu {
                curr: None,
                queue: BTreeSet::new(),
            },
        );
        self.cpus.push(cpu);
        self.cpus.sort_unstable();
        if self.cpus.len() == 1 {
            self.next_tick = now + self.tslice() / TICKS_PER_TSLICE;
            self.next_acct = now + self.tslice();
        }
        self.tickled.set(cpu);
    }

    fn remove_cpu(&mut self, cpu: Cpu, now: Time) {
        let Some(p) = self.pcpus.remove(cpu as usize) else {
            return;
        };
        self.cpus.retain(|c| *c != cpu);
        let mut moved: Vec<UnitId> = p.queue.iter().map(|k| k.2).collect();
        if let Some(c) = p.curr {
            self.burn(c, now);
            moved.push(c);
        }
        for id in moved {
            if let Some(u) = self.units.unit_mut(id) {
                u.queued = None;
                u.running = false;
                if u.runnable && !u.parked {
                    self.place(id);
                }
            }
        }
    }

    fn add_domain(&mut self, dom: DomId) -> Result<(), Errno> {
        self.doms.entry(dom).or_insert(Dom {
            weight: DEFAULT_WEIGHT,
            cap: 0,
            units: Vec::new(),
        });
        Ok(())
    }

    fn remove_domain(&mut self, dom: DomId) {
        self.doms.remove(&dom);
    }

    fn insert_unit(&mut self, spec: &UnitSpec, _now: Time) -> Result<(), Errno> {
        let d = self.doms.get_mut(&spec.dom).ok_or(Errno::ESRCH)?;
        if self.units.unit(spec.id).is_some() {
            return Err(Errno::EEXIST);
        }
        d.units.push(spec.id);
        let cpu = spec.affinity.pick(self.cpus.iter().copied()).unwrap_or(0);
        let u = Unit {
            dom: spec.dom,
            affinity: spec.affinity.clone(),
            pri: PRI_UNDER,
            credit: 0,
            cpu,
            runnable: false,
            running: false,
            parked: false,
            yielding: false,
            ran: false,
            queued: None,
            start: 0,
            switched_in: 0,
            last_sched: 0,
        };
        self.units.insert(spec.id.0 as usize, u);
        Ok(())
    }

    fn remove_unit(&mut self, unit: UnitId, now: Time) {
        self.sleep(unit, now);
        self.dequeue(unit);
        let Some(u) = self.units.remove(unit.0 as usize) else {
            return;
        };
        if let Some(d) = self.doms.get_mut(&u.dom) {
            d.units.retain(|x| *x != unit);
        }
        if let Some(p) = self.pcpus.cpu_mut(u.cpu)
            && p.curr == Some(unit)
        {
            p.curr = None;
        }
    }

    fn sleep(&mut self, unit: UnitId, _now: Time) {
        let Some(u) = self.units.unit_mut(unit) else {
            return;
        };
        u.runnable = false;
        if u.running {
            self.tickled.set(u.cpu);
        } else {
            self.dequeue(unit);
        }
    }

    fn wake(&mut self, unit: UnitId, _now: Time) {
        let Some(u) = self.units.unit_mut(unit) else {
            return;
        };
        if u.runnable {
            return;
        }
        u.runnable = true;
        if u.running || u.parked {
            return;
        }
        if u.pri == PRI_UNDER {
            u.pri = PRI_BOOST;
        }
        self.place(unit);
    }

    fn yield_unit(&mut self, unit: UnitId, _now: Time) {
        if let Some(u) = self.units.unit_mut(unit) {
            u.yielding = true;
            if u.running {
                self.tickled.set(u.cpu);
            }
        }
    }

    fn do_schedule(&mut self, cpu: Cpu, now: Time) -> Decision {
        if self.pcpus.cpu(cpu).is_none() {
            return Decision::IDLE;
        }
        let tslice = self.tslice();
        let prev = self.pcpus.cpu_mut(cpu).and_then(|p| p.curr.take());
        if let Some(p) = prev {
            self.burn(p, now);
            let ratelimit = micros(self.cfg.ratelimit_us as i64);
            let Some(u) = self.units.unit_mut(p) else {
                return Decision::IDLE;
            };
            u.running = false;
            u.last_sched = now;
            let ok = u.runnable && !u.parked && u.affinity.allows(cpu);
            let ran = now - u.switched_in;
            if ok && !u.yielding && ratelimit != 0 && ran < ratelimit {
                u.running = true;
                if let Some(pc) = self.pcpus.cpu_mut(cpu) {
                    pc.curr = Some(p);
                }
                return Decision {
                    unit: Some(p),
                    run_for: Some(ratelimit - ran),
                };
            }
            if ok {
                if u.pri == PRI_BOOST {
                    u.pri = if u.credit < 0 { PRI_OVER } else { PRI_UNDER };
                }
                // A yielding unit goes behind everything of its priority and below.
                if core::mem::take(&mut u.yielding) {
                    u.pri = u.pri.min(PRI_OVER);
                }
                self.enqueue(p, cpu);
            } else if u.runnable && !u.parked {
                self.place(p);
            }
        }
        let local = self
            .pcpus
            .cpu(cpu)
            .and_then(|p| p.queue.first().map(|k| (-k.0, k.2)));
        let mut snext = local.map(|l| l.1);
        if local.is_none_or(|(pri, _)| pri < PRI_UNDER)
            && let Some(s) = self.steal(cpu, local.map(|l| l.0), now)
        {
            snext = Some(s);
        }
        let Some(next) = snext else {
            return Decision::IDLE;
        };
        self.dequeue(next);
        if let Some(u) = self.units.unit_mut(next) {
            u.running = true;
            u.ran = true;
            u.cpu = cpu;
            u.start = now;
            if Some(next) != prev {
                u.switched_in = now;
            }
        }
        if let Some(p) = self.pcpus.cpu_mut(cpu) {
            p.curr = Some(next);
        }
        Decision {
            unit: Some(next),
            run_for: Some(tslice),
        }
    }

    fn pick_cpu(&self, unit: UnitId) -> Option<Cpu> {
        let u = self.units.unit(unit)?;
        if u.affinity.prefers(u.cpu) && self.is_idle(u.cpu) {
            return Some(u.cpu);
        }
        let idlers: Vec<Cpu> = self
            .cpus
            .iter()
            .copied()
            .filter(|c| self.is_idle(*c))
            .collect();
        if let Some(c) = u.affinity.pick(idlers.into_iter()) {
            return Some(c);
        }
        if u.affinity.allows(u.cpu) && self.pcpus.cpu(u.cpu).is_some() {
            return Some(u.cpu);
        }
        u.affinity.pick(self.cpus.iter().copied())
    }

    fn set_affinity(&mut self, unit: UnitId, affinity: &Affinity, _now: Time) {
        let Some(u) = self.units.unit_mut(unit) else {
            return;
        };
        u.affinity = affinity.clone();
        let (running, queued, cpu) = (u.running, u.queued.is_some(), u.cpu);
        if running && !affinity.allows(cpu) {
            self.tickled.set(cpu);
        } else if queued && !affinity.allows(cpu) {
            self.dequeue(unit);
            self.place(unit);
        }
    }

    fn adjust_domain(&mut self, dom: DomId, op: DomOp, _now: Time) -> Result<DomParams, Errno> {
        let d = self.doms.get_mut(&dom).ok_or(Errno::ESRCH)?;
        match op {
            DomOp::GetInfo => {}
            DomOp::PutInfo(DomParams::Credit(p)) => {
                let weight = check_weight(p.weight)?;
                if let Some(w) = weight {
                    d.weight = w;
                }
                if let Some(cap) = p.cap {
                    d.cap = cap;
                }
            }
            _ => return Err(Errno::EINVAL),
        }
        Ok(DomParams::Credit(CreditParams {
            weight: d.weight,
            cap: Some(d.cap),
        }))
    }

    fn adjust_global(
        &mut self,
        put: Option<GlobalParams>,
        _now: Time,
    ) -> Result<GlobalParams, Errno> {
        match put {
            None => {}
            Some(GlobalParams::Credit(g)) => {
                if !TSLICE_RANGE_MS.contains(&g.tslice_ms)
                    || check_ratelimit(g.ratelimit_us).is_err()
                    || g.ratelimit_us > g.tslice_ms * 1000
                    || g.vcpu_migr_delay_us > MIGR_DELAY_MAX_US
                {
                    return Err(Errno::EINVAL);
                }
                self.cfg.tslice_ms = g.tslice_ms;
                self.cfg.ratelimit_us = g.ratelimit_us;
                self.cfg.vcpu_migr_delay_us = g.vcpu_migr_delay_us;
            }
            Some(_) => return Err(Errno::EINVAL),
        }
        Ok(GlobalParams::Credit(CreditGlobal {
            tslice_ms: self.cfg.tslice_ms,
            ratelimit_us: self.cfg.ratelimit_us,
            vcpu_migr_delay_us: self.cfg.vcpu_migr_delay_us,
        }))
    }

    fn next_timer(&self) -> Option<Time> {
        (!self.cpus.is_empty()).then(|| self.next_tick.min(self.next_acct))
    }

    fn timer(&mut self, now: Time) {
        let tick = self.tslice() / TICKS_PER_TSLICE;
        if now >= self.next_tick {
            // csched_tick: running units pay for their time and lose BOOST.
            let running: Vec<UnitId> = self.pcpus.iter().filter_map(|(_, p)| p.curr).collect();
            for id in running {
                self.burn(id, now);
                if let Some(u) = self.units.unit_mut(id)
                    && u.pri == PRI_BOOST
                {
                    u.pri = PRI_UNDER;
                }
            }
            self.next_tick = now + tick;
        }
        if now >= self.next_acct {
            self.account();
            self.next_acct = now + self.tslice();
        }
    }

    fn take_tickles(&mut self, out: &mut CpuMask) {
        self.tickled.drain_into(out);
    }

    fn dump(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        writeln!(out, "Scheduler: SMP Credit Scheduler (credit)")?;
        writeln!(
            out,
            "tslice={}ms ratelimit={}us",
            self.cfg.tslice_ms, self.cfg.ratelimit_us
        )?;
        for &c in &self.cpus {
            let Some(p) = self.pcpus.cpu(c) else { continue };
            writeln!(
                out,
                "CPU[{c:02}] curr={:?} runq={:?}",
                p.curr,
                p.queue.iter().map(|k| (k.2.0, -k.0)).collect::<Vec<_>>()
            )?;
        }
        Ok(())
    }
}
