//! Every physical CPU's loop (Xen's `schedule()` + `svm_do_resume`, per CPU): the scheduler
//! picks a vCPU for this pCPU, the loop bounds its run with a host timer, injects pending
//! upcalls, enters the guest without the domain's lock, and handles the exit under it.
//!
//! One lock per domain guards its state. A pCPU holds it while it schedules, prepares an
//! entry and handles an exit, never while a guest runs, and interrupt handlers never take it.
//! What one pCPU changes for a vCPU another pCPU runs or watches is followed by a kick
//! ([`kick`]): a flag checked with interrupts off right before VMRUN and before a halt, and
//! an IPI that ends the other CPU's guest run or sleep.

use alloc::string::String;
use core::fmt::Write as _;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use ferrite_arch::percpu::MAX_CPUS;
use ferrite_arch::vcpu::Exit;
use ferrite_arch::x86_64::{cpu, kick, svm, time};
use ferrite_sched::{CpuMask, UnitId};
// A test-and-set lock, not a ticket lock: under TCG a waiter's host thread may be descheduled,
// and a ticket lock would then hand the lock to a waiter that cannot take it (a convoy of
// seconds was measured); with a handful of pCPUs per domain fairness matters less.
use spin::Mutex;

use super::build::Domain;
use super::run::End;
use crate::domain::Stop;

/// The domain the pCPUs run (dom0, the only one today).
static DOMAIN: spin::Once<Mutex<Domain>> = spin::Once::new();

/// Which pCPUs are in guest mode (or about to enter it). Set under the domain's lock, cleared
/// right after the exit without it, so a holder of the lock can wait for a pCPU to leave
/// its guest (a TLB shootdown before freeing a frame).
static IN_GUEST: [AtomicBool; MAX_CPUS] = [const { AtomicBool::new(false) }; MAX_CPUS];

/// Guest entries per pCPU, for the summary when the domain ends.
static ENTRIES: [AtomicU64; MAX_CPUS] = [const { AtomicU64::new(0) }; MAX_CPUS];

/// Runs `d` on the boot CPU and on every other pCPU of its pool; returns on the boot CPU
/// when the domain has ended.
pub fn start(d: Domain) -> End {
    let cpus = d.pools.nr_cpus();
    let id = d.core.id;
    let dom = DOMAIN.call_once(|| Mutex::new(d));
    // The other pCPUs wait in `join` for the domain to exist.
    for c in 1..cpus {
        kick::kick(c);
    }
    let end = run_cpu(dom, 0);
    let mut line = String::new();
    let mut used = 0;
    for (c, n) in ENTRIES.iter().take(cpus as usize).enumerate() {
        let n = n.load(Ordering::Relaxed);
        if n > 0 {
            used += 1;
            let _ = write!(line, " CPU{c} {n}");
        }
    }
    log::info!(
        "d{id} ran on {used} pCPU{}: guest entries{line}",
        if used == 1 { "" } else { "s" }
    );
    end
}

/// A secondary pCPU's life once it is up: it waits for a domain, runs its share of the
/// vCPUs until the domain ends, then halts.
pub fn join(me: u32) -> ! {
    loop {
        kick::take();
        if let Some(dom) = DOMAIN.get() {
            let _ = run_cpu(dom, me);
            cpu::halt_forever();
        }
        cpu::wait_unless(&|| kick::pending() || DOMAIN.is_completed());
    }
}

/// Whether pCPU `cpu` is in guest mode.
fn in_guest(cpu: u32) -> bool {
    IN_GUEST
        .get(cpu as usize)
        .is_some_and(|f| f.load(Ordering::SeqCst))
}

fn set_in_guest(cpu: u32, on: bool) {
    if let Some(f) = IN_GUEST.get(cpu as usize) {
        f.store(on, Ordering::SeqCst);
    }
}

/// Makes every other pCPU that is in guest mode leave it, and waits until it has. Called
/// with the domain's lock held: those pCPUs cannot enter again before it is released.
pub(super) fn shoot_down(me: u32, cpus: u32) {
    for c in (0..cpus).filter(|&c| c != me) {
        if in_guest(c) {
            kick::kick(c);
        }
    }
    for c in (0..cpus).filter(|&c| c != me) {
        while in_guest(c) {
            core::hint::spin_loop();
        }
    }
}

/// The loop of pCPU `me` for the domain behind `dom`, until the domain ends.
fn run_cpu(dom: &Mutex<Domain>, me: u32) -> End {
    let f = cpu::Features::read();
    if let Err(e) = svm::enable_this_cpu(&f) {
        log::error!("CPU{me}: cannot enable SVM ({e:?}): it runs no vCPUs");
        let mut d = dom.lock();
        let now = time::now_ns() as i64;
        if let Err(e) = d.pools.rm_cpu(0, Some(me), now) {
            log::error!("CPU{me}: cannot leave the pool ({e:?})");
        }
        d.kick_tickled(me);
        drop(d);
        cpu::halt_forever();
    }
    // The vCPU this pCPU runs, and when its slice ends.
    let mut current: Option<(u32, Option<u64>)> = None;
    // When an idle decision ends (a fixed schedule's next window, say).
    let mut idle_end: Option<u64> = None;
    loop {
        kick::take();
        let mut d = dom.lock();
        if let Some(stop) = d.core.stop {
            d.kick_everyone(me);
            return match stop {
                Stop::Shutdown(r) => End::Shutdown(r),
                Stop::Crashed => End::Crashed,
            };
        }
        let now = time::now_ns();
        // Host interrupts bound to the domain (they arrive on the boot CPU, but any pCPU
        // may pass them on); a vCPU running elsewhere is kicked to take its new vector.
        if d.deliver_host_irqs() {
            d.kick_others(me);
        }
        d.fire_timers(now);
        d.wake_blocked(now);
        if d.pools.next_timer().is_some_and(|t| t <= now as i64) {
            d.pools.timer(now as i64);
        }
        d.kick_tickled(me);
        let tickled = d.take_resched(me);
        let expired = current.is_some_and(|(_, end)| end.is_some_and(|e| e <= now));
        let gone = current.is_some_and(|(id, _)| !d.vcpu_runnable(id));
        // A vCPU that gave way: tell its scheduler, then reschedule.
        let yielded = current.is_some_and(|(id, _)| d.take_yield(id));
        if let (true, Some((id, _))) = (yielded, current) {
            d.pools.yield_unit(UnitId(id), now as i64);
        }
        if current.is_none() || expired || gone || tickled || yielded {
            let prev = current.map(|(id, _)| id);
            let dec = d.pools.do_schedule(me, now as i64);
            let end = dec.run_for.map(|r| now.saturating_add(r.max(0) as u64));
            current = dec.unit.map(|u| (u.0, end));
            idle_end = if current.is_none() { end } else { None };
            d.switch_runstate(prev, current.map(|(id, _)| id), now);
            // Scheduling may tickle other pCPUs (a unit it moved away).
            d.kick_tickled(me);
        }
        let hw = current.and_then(|(id, _)| d.vcpus.get_mut(id as usize).and_then(Option::take));
        let (Some((id, slice_end)), Some(mut hw)) = (current, hw) else {
            // Idle (or a unit without hardware state, which cannot run): sleep until the
            // next timer this pCPU watches, or a kick.
            if let Some((id, _)) = current {
                // Another pCPU still has it (the scheduler moved it before that pCPU let it
                // go): try again shortly. Otherwise it was never started: out it goes.
                if d.running.get(id as usize).copied().flatten().is_some() {
                    if let Some(r) = d.resched.get_mut(me as usize) {
                        *r = true;
                    }
                    kick::kick(me);
                } else {
                    log::error!("d{}v{id}: scheduled without a started vCPU", d.core.id);
                    d.pools.sleep(UnitId(id), now as i64);
                }
                current = None;
            }
            let deadline = [idle_end, d.next_deadline(me)].into_iter().flatten().min();
            let changed = d.arm(me, deadline);
            drop(d);
            if changed {
                time::set_wakeup(deadline);
            }
            cpu::wait_unless(&|| {
                kick::pending()
                    || super::irq::host_irq_pending()
                    || deadline.is_some_and(|t| time::now_ns() >= t)
            });
            continue;
        };
        // Every timer this pCPU watches ends the run too, so a blocked vCPU is woken.
        let wake = [slice_end, d.next_deadline(me)].into_iter().flatten().min();
        // The same wake-up as the last run's is still queued: reprogramming it is most of an
        // exit's cost otherwise (a hypercall loop keeps its slice end and timers).
        if d.arm(me, wake) {
            time::set_wakeup(wake);
        }
        let choice = d.prepare_entry(id, me, &mut hw);
        set_in_guest(me, true);
        drop(d);
        // A kick that came after the decisions above ends this entry before it starts:
        // interrupts stay off from the check through VMRUN, so a later IPI is still pending
        // when the guest runs and ends its run at once.
        let was_on = cpu::disable_interrupts();
        // Likewise a wake-up whose interrupt was taken on the way here: nothing would end
        // the run.
        let exit = if kick::pending() || time::wakeup_passed() {
            Ok(Exit::Interrupt)
        } else {
            if let Some(n) = ENTRIES.get(me as usize) {
                n.fetch_add(1, Ordering::Relaxed);
            }
            hw.run()
        };
        set_in_guest(me, false);
        if was_on {
            cpu::enable_interrupts();
        }
        // An exit that ends the domain is seen at the top of the loop.
        let mut d = dom.lock();
        d.finish_run(id, me, &mut hw, choice, exit);
        if let Some(slot) = d.vcpus.get_mut(id as usize) {
            *slot = Some(hw);
        }
        d.kick_others(me);
        drop(d);
    }
}

impl Domain {
    /// Marks every tickled pCPU for a reschedule and kicks the others.
    pub(super) fn kick_tickled(&mut self, me: u32) {
        let mut tickles = CpuMask::empty();
        self.pools.take_tickles(&mut tickles);
        for c in tickles.iter() {
            if let Some(r) = self.resched.get_mut(c as usize) {
                *r = true;
            }
            if c != me {
                kick::kick(c);
            }
        }
    }

    /// Whether pCPU `me` was asked to reschedule; clears the request.
    fn take_resched(&mut self, me: u32) -> bool {
        self.resched
            .get_mut(me as usize)
            .is_some_and(core::mem::take)
    }

    /// The domain ended: every pCPU is told, so each leaves its loop.
    fn kick_everyone(&self, me: u32) {
        for c in (0..self.pools.nr_cpus()).filter(|&c| c != me) {
            kick::kick(c);
        }
    }

    /// Kicks the pCPUs whose vCPUs need a new look after this pCPU changed things: a vCPU
    /// running elsewhere that now has an interrupt to take, stopped being runnable or needs
    /// a TLB flush; a pCPU whose armed wake-up is later than a deadline it watches.
    pub(super) fn kick_others(&mut self, me: u32) {
        if self.core.stop.is_some() {
            self.kick_everyone(me);
            return;
        }
        for id in 0..self.core.vcpus.len() as u32 {
            let i = id as usize;
            let running = self.running.get(i).copied().flatten();
            let watcher = self.watcher(id);
            if watcher == me {
                continue;
            }
            let kick_it = match running {
                Some(_) => {
                    let want = self.wanted_interrupt(id).map(|c| c.0);
                    let had = self.injected.get(i).copied().flatten();
                    (want.is_some() && want != had)
                        || !self.vcpu_runnable(id)
                        || self.flush_pending.get(i).copied().unwrap_or(false)
                }
                None => false,
            } || self.vcpu_deadline(id).is_some_and(|t| {
                self.armed
                    .get(watcher as usize)
                    .copied()
                    .flatten()
                    .is_none_or(|a| t < a)
            });
            if kick_it {
                kick::kick(watcher);
            }
        }
    }

    /// Records the wake-up pCPU `me` programs; false if it is the one already programmed.
    fn arm(&mut self, me: u32, at: Option<u64>) -> bool {
        match self.armed.get_mut(me as usize) {
            Some(a) if *a == at => false,
            Some(a) => {
                *a = at;
                true
            }
            None => true,
        }
    }

    fn take_yield(&mut self, id: u32) -> bool {
        self.core
            .vcpus
            .get_mut(id as usize)
            .is_some_and(|v| core::mem::take(&mut v.yield_now))
    }

    pub(super) fn vcpu_runnable(&self, id: u32) -> bool {
        self.core
            .vcpus
            .get(id as usize)
            .is_some_and(|v| v.runnable())
    }
}
