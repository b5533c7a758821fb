//! cpupools: sets of pCPUs, each run by its own scheduler instance (`xen/common/sched/cpupool.c`,
//! `XEN_SYSCTL_cpupool_op` in `xen/include/public/sysctl.h`, `docs/features/sched_*.pandoc`).
//!
//! Pool 0 is created at boot with every pCPU and the scheduler named by `sched=`. Errors follow
//! `cpupool_do_sysctl` (the table in `sysctl.h` is older than the code): `ENOENT` unknown pool,
//! `EEXIST` pool id taken, `EINVAL` bad CPU (or CPU 0 out of pool 0), `ENODEV` CPU not free,
//! `EADDRNOTAVAIL` CPU not a member (rmcpu), `EBUSY` pool still in use or last CPU of a pool
//! with domains. This layer also keeps what Xen's generic `sched/core.c` keeps per
//! unit (domain, affinity, runnable) so a domain can move between schedulers.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use ferrite_abi::Errno;

use crate::affinity::{Affinity, CpuMask, dom0_vcpu_affinity};
pub use crate::config::{SchedConfig, UnknownScheduler};
use crate::core::{
    Cpu, Decision, DomId, DomOp, DomParams, GlobalParams, SchedId, Scheduler, Time, UnitId,
    UnitSpec,
};
use crate::unit::{ById, Slab};

/// One pool.
pub struct Pool {
    /// The pool id.
    pub id: u32,
    /// Its scheduler.
    pub sched: Box<dyn Scheduler>,
    /// Its CPUs (`cpu_valid`).
    pub cpus: CpuMask,
    /// How many domains it holds.
    pub n_dom: u32,
}

/// `XEN_SYSCTL_CPUPOOL_OP_INFO`'s answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolInfo {
    /// Pool id.
    pub id: u32,
    /// Its scheduler.
    pub sched: SchedId,
    /// Number of domains.
    pub n_dom: u32,
    /// Its CPUs.
    pub cpus: CpuMask,
}

struct UnitEntry {
    dom: DomId,
    vcpu: u32,
    affinity: Affinity,
    runnable: bool,
}

/// All pools, the free CPUs, and the generic per-unit state.
pub struct CpuPools {
    cfg: SchedConfig,
    nr_cpus: u32,
    pools: Vec<Pool>,
    free: CpuMask,
    cpu_pool: Slab<u32>,
    doms: BTreeMap<DomId, (u32, Vec<UnitId>)>,
    units: Slab<UnitEntry>,
}

impl CpuPools {
    /// Boot: pool 0 with `cfg.sched` and CPUs `0..nr_cpus`.
    pub fn new(cfg: SchedConfig, nr_cpus: u32, now: Time) -> Self {
        Self::with_scheduler(cfg, cfg.new_scheduler(cfg.sched), nr_cpus, now)
    }

    /// Boot with a given scheduler instance for pool 0 (tests inject faulty ones).
    pub fn with_scheduler(
        cfg: SchedConfig,
        mut sched: Box<dyn Scheduler>,
        nr_cpus: u32,
        now: Time,
    ) -> Self {
        let mut cpus = CpuMask::empty();
        let mut cpu_pool = Slab::default();
        for c in 0..nr_cpus {
            sched.add_cpu(c, now);
            cpus.set(c);
            cpu_pool.insert(c as usize, 0);
        }
        let pool = Pool {
            id: 0,
            sched,
            cpus,
            n_dom: 0,
        };
        CpuPools {
            cfg,
            nr_cpus,
            pools: alloc::vec![pool],
            free: CpuMask::empty(),
            cpu_pool,
            doms: BTreeMap::new(),
            units: Slab::default(),
        }
    }

    fn pool_index(&self, id: u32) -> Result<usize, Errno> {
        self.pools
            .iter()
            .position(|p| p.id == id)
            .ok_or(Errno::ENOENT)
    }

    /// The pool with id `id`.
    pub fn pool(&self, id: u32) -> Option<&Pool> {
        self.pools.iter().find(|p| p.id == id)
    }

    /// The pool with id `id`, mutably (for debug dumps and tests).
    pub fn pool_mut(&mut self, id: u32) -> Option<&mut Pool> {
        self.pools.iter_mut().find(|p| p.id == id)
    }

    /// The pool a CPU belongs to.
    pub fn pool_of_cpu(&self, cpu: Cpu) -> Option<u32> {
        self.cpu_pool.cpu(cpu).copied()
    }

    /// The pool a domain belongs to.
    pub fn pool_of_domain(&self, dom: DomId) -> Option<u32> {
        self.doms.get(&dom).map(|d| d.0)
    }

    /// The number of pCPUs (Xen's `nr_cpu_ids`): CPU numbers are below it.
    pub fn nr_cpus(&self) -> u32 {
        self.nr_cpus
    }

    /// The unit of vCPU `vcpu` of `dom`.
    pub fn unit_of(&self, dom: DomId, vcpu: u32) -> Option<UnitId> {
        let (_, units) = self.doms.get(&dom)?;
        units
            .iter()
            .copied()
            .find(|u| self.units.unit(*u).is_some_and(|e| e.vcpu == vcpu))
    }

    /// `XEN_SYSCTL_CPUPOOL_OP_INFO` as Xen answers it: the pool with the smallest id at or
    /// above `from` (`cpupool_get_next_by_id`), so a toolstack can walk all pools.
    pub fn info_next(&self, from: u32) -> Result<PoolInfo, Errno> {
        let id = self
            .pools
            .iter()
            .map(|p| p.id)
            .filter(|id| *id >= from)
            .min()
            .ok_or(Errno::ENOENT)?;
        self.info(id)
    }

    /// CPUs in no pool (`XEN_SYSCTL_CPUPOOL_OP_FREEINFO`).
    pub fn free_cpus(&self) -> &CpuMask {
        &self.free
    }

    /// A unit's current affinity.
    pub fn affinity(&self, unit: UnitId) -> Option<&Affinity> {
        self.units.unit(unit).map(|u| &u.affinity)
    }

    /// `XEN_SYSCTL_CPUPOOL_OP_CREATE`: `pool_id == None` is `XEN_SYSCTL_CPUPOOL_PAR_ANY`.
    pub fn create(&mut self, pool_id: Option<u32>, sched_raw: u32) -> Result<u32, Errno> {
        let sched = SchedId::from_raw(sched_raw).ok_or(Errno::ENOENT)?;
        if self.pools.len() as u32 >= 2 * self.nr_cpus {
            return Err(Errno::ENOSPC);
        }
        let id = match pool_id {
            Some(id) if self.pool(id).is_some() => return Err(Errno::EEXIST),
            Some(id) => id,
            None => self.pools.iter().map(|p| p.id).max().map_or(0, |m| m + 1),
        };
        let pool = Pool {
            id,
            sched: self.cfg.new_scheduler(sched),
            cpus: CpuMask::empty(),
            n_dom: 0,
        };
        self.pools.push(pool);
        self.pools.sort_by_key(|p| p.id);
        Ok(id)
    }

    /// `XEN_SYSCTL_CPUPOOL_OP_DESTROY`.
    pub fn destroy(&mut self, pool_id: u32) -> Result<(), Errno> {
        let i = self.pool_index(pool_id)?;
        let p = self.pools.get(i).ok_or(Errno::ENOENT)?;
        if p.n_dom != 0 || !p.cpus.is_empty() {
            return Err(Errno::EBUSY);
        }
        self.pools.remove(i);
        Ok(())
    }

    /// `XEN_SYSCTL_CPUPOOL_OP_INFO` for exactly `pool_id`.
    pub fn info(&self, pool_id: u32) -> Result<PoolInfo, Errno> {
        let p = self.pool(pool_id).ok_or(Errno::ENOENT)?;
        Ok(PoolInfo {
            id: p.id,
            sched: p.sched.id(),
            n_dom: p.n_dom,
            cpus: p.cpus.clone(),
        })
    }

    /// `XEN_SYSCTL_CPUPOOL_OP_ADDCPU`; `cpu == None` is "any free CPU".
    pub fn add_cpu(&mut self, pool_id: u32, cpu: Option<Cpu>, now: Time) -> Result<Cpu, Errno> {
        let i = self.pool_index(pool_id)?;
        let cpu = match cpu {
            None => self.free.first().ok_or(Errno::ENODEV)?,
            Some(c) if c >= self.nr_cpus => return Err(Errno::EINVAL),
            Some(c) => c,
        };
        if !self.free.test(cpu) {
            return Err(Errno::ENODEV);
        }
        let p = self.pools.get_mut(i).ok_or(Errno::ENOENT)?;
        p.sched.add_cpu(cpu, now);
        p.cpus.set(cpu);
        self.free.clear(cpu);
        self.cpu_pool.insert(cpu as usize, pool_id);
        Ok(cpu)
    }

    /// `XEN_SYSCTL_CPUPOOL_OP_RMCPU`; `cpu == None` is the pool's last CPU (`EINVAL` if it has
    /// none, as Xen's `cpumask_last` of an empty mask is out of range). Units running or queued
    /// there are moved to the pool's other CPUs; the caller's run loop must stop running guests
    /// on `cpu` (it is idle from now on).
    pub fn rm_cpu(&mut self, pool_id: u32, cpu: Option<Cpu>, now: Time) -> Result<Cpu, Errno> {
        let i = self.pool_index(pool_id)?;
        let p = self.pools.get_mut(i).ok_or(Errno::ENOENT)?;
        let cpu = match cpu {
            None => p.cpus.last().ok_or(Errno::EINVAL)?,
            Some(c) => c,
        };
        if cpu >= self.nr_cpus || (pool_id == 0 && cpu == 0) {
            return Err(Errno::EINVAL);
        }
        if !p.cpus.test(cpu) {
            return Err(Errno::EADDRNOTAVAIL);
        }
        if p.n_dom > 0 && p.cpus.weight() == 1 {
            return Err(Errno::EBUSY);
        }
        // Units pinned only to this CPU would be stranded: Xen breaks their affinity.
        p.cpus.clear(cpu);
        let remaining = p.cpus.clone();
        let broken: Vec<UnitId> = self
            .doms
            .iter()
            .filter(|(_, (pid, _))| *pid == pool_id)
            .flat_map(|(_, (_, us))| us.iter().copied())
            .filter(|u| {
                self.units
                    .unit(*u)
                    .is_some_and(|e| !e.affinity.hard.intersects(&remaining))
            })
            .collect();
        for u in broken {
            if let Some(e) = self.units.unit_mut(u) {
                e.affinity.hard = CpuMask::all();
                let aff = e.affinity.clone();
                p.sched.set_affinity(u, &aff, now);
            }
        }
        p.sched.remove_cpu(cpu, now);
        self.free.set(cpu);
        self.cpu_pool.remove(cpu as usize);
        Ok(cpu)
    }

    /// Creates a domain in `pool_id` (Xen's `cpupool_add_domain`: `ESRCH`, or `ENODEV` when the
    /// pool has no CPU).
    pub fn create_domain(&mut self, dom: DomId, pool_id: u32) -> Result<(), Errno> {
        if self.doms.contains_key(&dom) {
            return Err(Errno::EEXIST);
        }
        let i = self.pool_index(pool_id).map_err(|_| Errno::ESRCH)?;
        let p = self.pools.get_mut(i).ok_or(Errno::ESRCH)?;
        if p.cpus.is_empty() {
            return Err(Errno::ENODEV);
        }
        p.sched.add_domain(dom)?;
        p.n_dom += 1;
        self.doms.insert(dom, (pool_id, Vec::new()));
        Ok(())
    }

    /// Adds vCPU `vcpu` of `dom` as `unit` (not yet runnable). `None` affinity is "all", or the
    /// `dom0_vcpus_pin` placement for domain 0.
    pub fn add_vcpu(
        &mut self,
        dom: DomId,
        vcpu: u32,
        unit: UnitId,
        affinity: Option<Affinity>,
        now: Time,
    ) -> Result<(), Errno> {
        let (pool_id, _) = self.doms.get(&dom).ok_or(Errno::ESRCH)?;
        let pool_id = *pool_id;
        if self.units.unit(unit).is_some() {
            return Err(Errno::EEXIST);
        }
        let p = self
            .pools
            .iter_mut()
            .find(|p| p.id == pool_id)
            .ok_or(Errno::ESRCH)?;
        let affinity = match affinity {
            Some(a) => a,
            None if dom.0 == 0 => dom0_vcpu_affinity(vcpu, self.cfg.dom0_vcpus_pin, &p.cpus),
            None => Affinity::default(),
        };
        if !affinity.hard.intersects(&p.cpus) {
            return Err(Errno::EINVAL);
        }
        p.sched.insert_unit(
            &UnitSpec {
                id: unit,
                dom,
                vcpu,
                affinity: affinity.clone(),
            },
            now,
        )?;
        self.units.insert(
            unit.0 as usize,
            UnitEntry {
                dom,
                vcpu,
                affinity,
                runnable: false,
            },
        );
        if let Some(d) = self.doms.get_mut(&dom) {
            d.1.push(unit);
        }
        Ok(())
    }

    /// Destroys a domain and its units.
    pub fn destroy_domain(&mut self, dom: DomId, now: Time) -> Result<(), Errno> {
        let (pool_id, units) = self.doms.remove(&dom).ok_or(Errno::ESRCH)?;
        if let Some(p) = self.pools.iter_mut().find(|p| p.id == pool_id) {
            for u in &units {
                p.sched.remove_unit(*u, now);
            }
            p.sched.remove_domain(dom);
            p.n_dom = p.n_dom.saturating_sub(1);
        }
        for u in units {
            self.units.remove(u.0 as usize);
        }
        Ok(())
    }

    /// `XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN`: `ESRCH` unknown domain, `ENOENT` unknown pool or a
    /// pool without CPUs. The caller pauses the domain around the move, as Xen does, and waits
    /// until each of its vCPUs has been descheduled (a schedule point ran on its pCPU, like
    /// `vcpu_sleep_sync`): the new pool's scheduler does not know the old pool's pCPUs.
    pub fn move_domain(&mut self, dom: DomId, pool_id: u32, now: Time) -> Result<(), Errno> {
        let (from, units) = self.doms.get(&dom).cloned().ok_or(Errno::ESRCH)?;
        if from == pool_id {
            return Ok(());
        }
        let to = self.pool_index(pool_id)?;
        let to_cpus = self
            .pools
            .get(to)
            .map(|p| p.cpus.clone())
            .ok_or(Errno::ENOENT)?;
        if to_cpus.is_empty() {
            return Err(Errno::ENOENT);
        }
        let from_i = self.pool_index(from)?;
        self.pools
            .get_mut(to)
            .ok_or(Errno::ENOENT)?
            .sched
            .add_domain(dom)?;
        if let Some(p) = self.pools.get_mut(from_i) {
            for u in &units {
                p.sched.remove_unit(*u, now);
            }
            p.sched.remove_domain(dom);
            p.n_dom = p.n_dom.saturating_sub(1);
        }
        let p = self.pools.get_mut(to).ok_or(Errno::ENOENT)?;
        p.n_dom += 1;
        for u in &units {
            let Some(e) = self.units.unit_mut(*u) else {
                continue;
            };
            if !e.affinity.hard.intersects(&to_cpus) {
                e.affinity.hard = CpuMask::all();
            }
            let spec = UnitSpec {
                id: *u,
                dom,
                vcpu: e.vcpu,
                affinity: e.affinity.clone(),
            };
            p.sched.insert_unit(&spec, now)?;
            if e.runnable {
                p.sched.wake(*u, now);
            }
        }
        if let Some(d) = self.doms.get_mut(&dom) {
            d.0 = pool_id;
        }
        Ok(())
    }

    fn sched_of_unit(&mut self, unit: UnitId) -> Option<&mut Box<dyn Scheduler>> {
        let dom = self.units.unit(unit)?.dom;
        let pool_id = self.doms.get(&dom)?.0;
        self.pools
            .iter_mut()
            .find(|p| p.id == pool_id)
            .map(|p| &mut p.sched)
    }

    /// `XEN_DOMCTL_setvcpuaffinity`: `EINVAL` if the hard affinity has no CPU of the pool.
    pub fn set_affinity(
        &mut self,
        unit: UnitId,
        affinity: Affinity,
        now: Time,
    ) -> Result<(), Errno> {
        let dom = self.units.unit(unit).ok_or(Errno::ESRCH)?.dom;
        let pool_id = self.doms.get(&dom).ok_or(Errno::ESRCH)?.0;
        let p = self
            .pools
            .iter_mut()
            .find(|p| p.id == pool_id)
            .ok_or(Errno::ESRCH)?;
        if !affinity.hard.intersects(&p.cpus) {
            return Err(Errno::EINVAL);
        }
        p.sched.set_affinity(unit, &affinity, now);
        if let Some(e) = self.units.unit_mut(unit) {
            e.affinity = affinity;
        }
        Ok(())
    }

    /// The unit became runnable.
    pub fn wake(&mut self, unit: UnitId, now: Time) {
        let Some(e) = self.units.unit_mut(unit) else {
            return;
        };
        e.runnable = true;
        if let Some(s) = self.sched_of_unit(unit) {
            s.wake(unit, now);
        }
    }

    /// The unit blocked or was paused.
    pub fn sleep(&mut self, unit: UnitId, now: Time) {
        let Some(e) = self.units.unit_mut(unit) else {
            return;
        };
        e.runnable = false;
        if let Some(s) = self.sched_of_unit(unit) {
            s.sleep(unit, now);
        }
    }

    /// The unit yields.
    pub fn yield_unit(&mut self, unit: UnitId, now: Time) {
        if let Some(s) = self.sched_of_unit(unit) {
            s.yield_unit(unit, now);
        }
    }

    /// A schedule point on `cpu`; a CPU in no pool idles.
    pub fn do_schedule(&mut self, cpu: Cpu, now: Time) -> Decision {
        let Some(pid) = self.pool_of_cpu(cpu) else {
            return Decision::IDLE;
        };
        match self.pools.iter_mut().find(|p| p.id == pid) {
            Some(p) => p.sched.do_schedule(cpu, now),
            None => Decision::IDLE,
        }
    }

    /// The earliest scheduler-wide timer of any pool.
    pub fn next_timer(&self) -> Option<Time> {
        self.pools.iter().filter_map(|p| p.sched.next_timer()).min()
    }

    /// Fires due scheduler-wide timers.
    pub fn timer(&mut self, now: Time) {
        for p in &mut self.pools {
            if p.sched.next_timer().is_some_and(|t| t <= now) {
                p.sched.timer(now);
            }
        }
    }

    /// CPUs that must reschedule, from every pool.
    pub fn take_tickles(&mut self, out: &mut CpuMask) {
        for p in &mut self.pools {
            p.sched.take_tickles(out);
        }
    }

    /// `XEN_DOMCTL_scheduler_op`: `EINVAL` if `sched` is not the domain's pool's scheduler.
    pub fn adjust_domain(
        &mut self,
        dom: DomId,
        sched: SchedId,
        op: DomOp,
        now: Time,
    ) -> Result<DomParams, Errno> {
        let pool_id = self.doms.get(&dom).ok_or(Errno::ESRCH)?.0;
        let p = self
            .pools
            .iter_mut()
            .find(|p| p.id == pool_id)
            .ok_or(Errno::ESRCH)?;
        if p.sched.id() != sched {
            return Err(Errno::EINVAL);
        }
        p.sched.adjust_domain(dom, op, now)
    }

    /// `XEN_SYSCTL_scheduler_op` on pool `pool_id`.
    pub fn adjust_global(
        &mut self,
        pool_id: u32,
        sched: SchedId,
        put: Option<GlobalParams>,
        now: Time,
    ) -> Result<GlobalParams, Errno> {
        let i = self.pool_index(pool_id).map_err(|_| Errno::ESRCH)?;
        let p = self.pools.get_mut(i).ok_or(Errno::ESRCH)?;
        if p.sched.id() != sched {
            return Err(Errno::EINVAL);
        }
        p.sched.adjust_global(put, now)
    }
}
