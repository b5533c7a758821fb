//! Handling a vCPU's exits (Xen's `svm_vmexit_handler`, reduced) and the per-vCPU state the
//! pCPU loops ([`super::pcpu`]) consult: timers, wake-ups, what to inject before an entry.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use ferrite_abi::Errno;
use ferrite_arch::vcpu::Exit;
use ferrite_arch::x86_64::vlapic::{self, Effect};
use ferrite_arch::x86_64::{cpu, decode, svm, time};
use ferrite_sched::UnitId;

use super::build::Domain;
use super::ctx::Ctx;
use crate::cpuid::{self, Caller, HYPERCALL_PAGE_MSR};
use crate::domain::{Callback, Stop, runstate};
use crate::guest_mem::{self, Paging};
use crate::hypercall::{self, Args, Outcome};

/// How the domain ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// `SCHEDOP_shutdown` (or its last vCPU going down) with this `SHUTDOWN_*` reason.
    Shutdown(u32),
    /// Ferrite crashed the domain (an exit it cannot handle, a triple fault, ...).
    Crashed,
}

const MSR_TSC: u32 = 0x10;
const MSR_MTRR_CAP: u32 = 0xfe;
const MSR_PAT: u32 = 0x277;
const MSR_MTRR_DEF_TYPE: u32 = 0x2ff;
const MSR_TSC_AUX: u32 = 0xc000_0103;
const APIC_BASE_ENABLE: u64 = 1 << 11;
const CR4_OSXSAVE: u64 = 1 << 18;

impl Domain {
    pub(super) fn paging(v: &mut svm::Vcpu) -> Paging {
        let [cr0, cr3, cr4, efer] = v.paging();
        Paging {
            cr0,
            cr3,
            cr4,
            efer,
        }
    }

    /// Whether vCPU `id` has an event upcall waiting (`vcpu_info.evtchn_upcall_pending`).
    fn upcall_pending(&self, id: u32) -> bool {
        self.mem.upcall_pending(id)
    }

    /// The vector that carries vCPU `id`'s upcalls, if the guest chose one.
    fn upcall_vector(&self, id: u32) -> Option<u8> {
        if let Some(v) = self
            .core
            .vcpus
            .get(id as usize)
            .and_then(|v| v.upcall_vector)
        {
            return Some(v);
        }
        match self.core.params.callback() {
            // The domain-wide vector goes to vCPU 0 (Xen's `HVMIRQ_callback_vector`).
            Callback::Vector(v) if id == 0 => Some(v),
            _ => None,
        }
    }

    /// Raises `virq` on vCPU `id` through its bound event channel.
    fn raise_virq(&mut self, id: u32, virq: u32) {
        let Ok(virq) = ferrite_abi::xen::Virq::try_from(virq) else {
            return;
        };
        // A VIRQ nobody bound is dropped, as in Xen; a delivery wakes the vCPU through its
        // upcall flag, which the loop checks before every run.
        if let Some(k) = self.events.send_virq(&self.mem, id, virq) {
            self.kick_vcpu(k.vcpu);
        }
    }

    /// vCPU `id` has something new to take: if another pCPU runs it, that pCPU must leave
    /// the guest to inject it (a blocked vCPU is woken at the next loop top instead).
    pub(super) fn kick_vcpu(&self, id: u32) {
        if let Some(p) = self.running.get(id as usize).copied().flatten()
            && p != ferrite_arch::x86_64::percpu::cpu_index()
        {
            ferrite_arch::x86_64::kick::kick(p);
        }
    }

    /// Guest timers that are due raise `VIRQ_TIMER`; local-APIC timers raise their vector.
    pub(super) fn fire_timers(&mut self, now: u64) {
        for id in 0..self.vlapics.len() as u32 {
            let fired = self
                .vlapics
                .get_mut(id as usize)
                .is_some_and(|l| l.timer_tick(now));
            if fired {
                self.kick_vcpu(id);
            }
        }
        for id in 0..self.core.vcpus.len() as u32 {
            let due = self
                .core
                .vcpus
                .get_mut(id as usize)
                .is_some_and(|v| v.timers.expire(now));
            if due {
                self.raise_virq(id, ferrite_abi::xen::VIRQ_TIMER);
            }
        }
    }

    /// Whether blocked vCPU `id` has what it waits for: an upcall, or for `SCHEDOP_poll` a
    /// named port pending (even masked) or its timeout.
    fn wake_due(&self, id: u32, now: u64) -> bool {
        use crate::event::Bitmaps;
        if self.upcall_pending(id)
            || self.nmi_pending(id)
            || self
                .vlapics
                .get(id as usize)
                .is_some_and(|l| l.enabled() && l.pending().is_some())
        {
            return true;
        }
        self.core
            .vcpus
            .get(id as usize)
            .and_then(|v| v.poll.as_ref())
            .is_some_and(|p| {
                p.deadline.is_some_and(|d| d <= now)
                    || p.ports.iter().any(|&port| self.mem.is_pending(port))
            })
    }

    /// Blocked vCPUs with an event waiting become runnable again.
    pub(super) fn wake_blocked(&mut self, now: u64) {
        for id in 0..self.core.vcpus.len() as u32 {
            let blocked = self.core.vcpus.get(id as usize).is_some_and(|v| v.blocked);
            if blocked && self.wake_due(id, now) {
                self.unblock(id, now);
            }
        }
    }

    fn unblock(&mut self, id: u32, now: u64) {
        if let Some(v) = self.core.vcpus.get_mut(id as usize) {
            v.blocked = false;
            v.poll = None;
            if v.runnable() {
                v.runstate.change(runstate::RUNNABLE, now);
                self.pools.wake(UnitId(id), now as i64);
            }
        }
    }

    /// vCPU `id`'s earliest deadline: its timers, a poll's timeout, its local APIC timer.
    pub(super) fn vcpu_deadline(&self, id: u32) -> Option<u64> {
        let v = self.core.vcpus.get(id as usize).filter(|v| !v.down)?;
        let poll = v.poll.as_ref().and_then(|p| p.deadline);
        let lapic = self
            .vlapics
            .get(id as usize)
            .and_then(|l| l.timer_deadline());
        [v.timers.next_deadline(), poll, lapic]
            .into_iter()
            .flatten()
            .min()
    }

    /// The earliest deadline pCPU `me` watches: those of the vCPUs it runs or last ran, and
    /// (on pCPU 0) the scheduler's own.
    pub(super) fn next_deadline(&self, me: u32) -> Option<u64> {
        let sched = if me == 0 {
            self.pools.next_timer().map(|t| t.max(0) as u64)
        } else {
            None
        };
        (0..self.core.vcpus.len() as u32)
            .filter(|&id| self.watcher(id) == me)
            .filter_map(|id| self.vcpu_deadline(id))
            .chain(sched)
            .min()
    }

    /// The pCPU that watches vCPU `id`'s deadlines: the one running it, else the one it last
    /// ran on.
    pub(super) fn watcher(&self, id: u32) -> u32 {
        let i = id as usize;
        self.running
            .get(i)
            .copied()
            .flatten()
            .or_else(|| self.home.get(i).copied())
            .unwrap_or(0)
    }

    /// Runstate bookkeeping when the CPU switches from `prev` to `next`.
    pub(super) fn switch_runstate(&mut self, prev: Option<u32>, next: Option<u32>, now: u64) {
        if prev == next {
            return;
        }
        if let Some(v) = prev.and_then(|p| self.core.vcpus.get_mut(p as usize))
            && v.runstate.state() == runstate::RUNNING
        {
            v.runstate.change(runstate::RUNNABLE, now);
        }
        if let Some(v) = next.and_then(|n| self.core.vcpus.get_mut(n as usize)) {
            v.runstate.change(runstate::RUNNING, now);
        }
        if next.is_some() {
            self.update_times();
        }
        for id in [prev, next].into_iter().flatten() {
            self.update_runstate_areas(id, now);
        }
    }

    /// The instruction at the guest's CS:RIP, decoded from its bytes (SVM under TCG has no
    /// next-RIP or decode assist). `Err` says why it cannot be fetched or decoded.
    fn fetch_decode(&self, hw: &mut svm::Vcpu) -> Result<decode::Insn, String> {
        let paging = Self::paging(hw);
        let cs = hw.cs();
        let linear = cs.base.wrapping_add(hw.rip());
        let mut bytes = [0u8; 15];
        // Fetch what is readable: an instruction may end right before an unmapped page.
        let in_page = (4096 - (linear & 0xfff)) as usize;
        let mut n = bytes.len();
        if guest_mem::copy_from_guest(&self.mem, &paging, linear, &mut bytes).is_err() {
            n = in_page.min(bytes.len());
            let head = bytes.get_mut(..n).unwrap_or_default();
            guest_mem::copy_from_guest(&self.mem, &paging, linear, head)
                .map_err(|e| alloc::format!("instruction at {linear:#x} unreadable ({e})"))?;
        }
        const CR0_PE: u64 = 1;
        const EFER_LMA: u64 = 1 << 10;
        let mode = decode::Mode::from_state(
            paging.cr0 & CR0_PE != 0,
            paging.efer & EFER_LMA != 0,
            cs.attrib & (1 << 9) != 0,
            cs.attrib & (1 << 10) != 0,
        );
        decode::decode(bytes.get(..n).unwrap_or_default(), mode)
            .map_err(|e| alloc::format!("instruction at {linear:#x} does not decode ({e:?})"))
    }

    /// The length of the instruction that exited, checked to be the one the exit reports.
    fn insn_len(&self, hw: &mut svm::Vcpu, is: fn(&decode::Op) -> bool) -> Result<u8, String> {
        let insn = self.fetch_decode(hw)?;
        if !is(&insn.op) {
            return Err(alloc::format!(
                "instruction at {:#x} is {:?}, not what the exit reported",
                hw.rip(),
                insn.op
            ));
        }
        Ok(insn.len)
    }

    /// [`Domain::insn_len`], crashing the domain when the instruction cannot be stepped.
    fn step_len(
        &mut self,
        id: u32,
        hw: &mut svm::Vcpu,
        is: fn(&decode::Op) -> bool,
    ) -> Result<u8, End> {
        self.insn_len(hw, is)
            .map_err(|why| self.crash(id, hw, format_args!("{why}")))
    }

    /// What vCPU `id` should take next: its upcall vector while an upcall is pending (Xen's
    /// `hvm_vcpu_has_pending_irq`: level-triggered on evtchn_upcall_pending), else its local
    /// APIC's highest deliverable vector (`true`: from the local APIC).
    pub(super) fn wanted_interrupt(&self, id: u32) -> Option<(u8, bool)> {
        if let Some(v) = self.upcall_vector(id).filter(|_| self.upcall_pending(id)) {
            return Some((v, false));
        }
        self.vlapics
            .get(id as usize)
            .filter(|l| l.enabled())
            .and_then(|l| l.pending())
            .map(|v| (v, true))
    }

    /// Readies vCPU `id` to enter on pCPU `me`: the interrupt to inject, a pending TLB flush,
    /// and the record of where it runs. Returns the injected choice for [`Self::finish_run`].
    pub(super) fn prepare_entry(
        &mut self,
        id: u32,
        me: u32,
        hw: &mut svm::Vcpu,
    ) -> Option<(u8, bool)> {
        let i = id as usize;
        let choice = self.wanted_interrupt(id);
        if choice.is_some() || hw.virtual_irq_pending() {
            hw.set_virtual_irq(choice.map(|c| c.0));
        }
        self.inject_pending_nmi(id, hw);
        if let Some(f) = self.flush_pending.get_mut(i)
            && core::mem::take(f)
        {
            hw.flush_tlb();
        }
        if let Some(r) = self.running.get_mut(i) {
            *r = Some(me);
        }
        if let Some(s) = self.injected.get_mut(i) {
            *s = choice.map(|c| c.0);
        }
        choice
    }

    /// Takes vCPU `id`'s exit on pCPU `me` (`Err`: it could not run at all).
    pub(super) fn finish_run(
        &mut self,
        id: u32,
        me: u32,
        hw: &mut svm::Vcpu,
        choice: Option<(u8, bool)>,
        exit: Result<Exit, svm::SvmError>,
    ) {
        let i = id as usize;
        if let Some(r) = self.running.get_mut(i) {
            *r = None;
        }
        if let Some(h) = self.home.get_mut(i) {
            *h = me;
        }
        // A local-APIC vector the guest took is now in service.
        if let Some((v, true)) = choice
            && !hw.virtual_irq_pending()
            && let Some(l) = self.vlapics.get_mut(i)
        {
            l.ack(v);
        }
        let exit = match exit {
            Ok(e) => e,
            Err(e) => {
                self.crash(id, hw, format_args!("cannot run on CPU{me}: {e:?}"));
                return;
            }
        };
        let _ = self.handle(id, hw, exit);
    }

    /// Handles one exit of vCPU `id`; `Err` once the domain has ended (crashed).
    fn handle(&mut self, id: u32, hw: &mut svm::Vcpu, exit: Exit) -> Result<(), End> {
        match exit {
            Exit::Hypercall { .. } => {
                let insn_len = self.step_len(id, hw, |op| {
                    matches!(op, decode::Op::Vmmcall | decode::Op::Vmcall)
                })?;
                let v = self.hypercall(id, hw);
                hw.set_rax(v as u64);
                hw.advance_rip(insn_len);
                Ok(())
            }
            Exit::Cpuid { .. } => {
                let insn_len = self.step_len(id, hw, |op| matches!(op, decode::Op::Cpuid))?;
                let (leaf, sub) = (hw.rax() as u32, hw.regs.rcx as u32);
                let r = cpuid::guest_cpuid(
                    leaf,
                    sub,
                    host_cpuid,
                    Caller {
                        domid: self.core.id,
                        vcpu: id,
                        osxsave: hw.paging()[2] & CR4_OSXSAVE != 0,
                        xcr0: hw.xcr0(),
                    },
                );
                hw.set_rax(u64::from(r[0]));
                hw.regs.rbx = u64::from(r[1]);
                hw.regs.rcx = u64::from(r[2]);
                hw.regs.rdx = u64::from(r[3]);
                hw.advance_rip(insn_len);
                Ok(())
            }
            Exit::Msr { write, .. } => {
                let insn_len = self.step_len(id, hw, |op| {
                    matches!(op, decode::Op::Rdmsr | decode::Op::Wrmsr)
                })?;
                let msr = hw.regs.rcx as u32;
                let value = (hw.regs.rdx << 32) | (hw.rax() & 0xffff_ffff);
                let done = if write {
                    self.wrmsr(id, hw, msr, value)
                } else {
                    match self.rdmsr(id, hw, msr) {
                        Some(v) => {
                            hw.set_rax(v & 0xffff_ffff);
                            hw.regs.rdx = v >> 32;
                            true
                        }
                        None => false,
                    }
                };
                if done {
                    hw.advance_rip(insn_len);
                } else {
                    // An MSR Ferrite does not offer: #GP, as Xen answers (guests probe
                    // with rdmsr_safe).
                    log::debug!(
                        "d{}v{id}: {} of MSR {msr:#x}: #GP",
                        self.core.id,
                        if write { "write" } else { "read" }
                    );
                    hw.inject_exception(13, Some(0));
                }
                Ok(())
            }
            Exit::Halt { .. } => {
                let insn_len = self.step_len(id, hw, |op| matches!(op, decode::Op::Hlt))?;
                hw.advance_rip(insn_len);
                self.block(id);
                Ok(())
            }
            Exit::Io {
                port,
                size,
                write,
                string,
                ..
            } => {
                let insn_len = self.step_len(id, hw, |op| {
                    matches!(
                        op,
                        decode::Op::In { .. }
                            | decode::Op::Out { .. }
                            | decode::Op::Ins { .. }
                            | decode::Op::Outs { .. }
                    )
                })?;
                if string {
                    return Err(self.crash(
                        id,
                        hw,
                        format_args!("string I/O to port {port:#x}, which Ferrite keeps"),
                    ));
                }
                // A port Ferrite keeps: reads float high, writes go nowhere (Xen's answer to
                // a domain without access).
                if !write {
                    let ones = match size {
                        1 => 0xff,
                        2 => 0xffff,
                        _ => 0xffff_ffff,
                    };
                    let rax = hw.rax();
                    // A 32-bit IN zero-extends into RAX; narrower ones keep the other bits.
                    let keep = if size == 4 { 0 } else { rax & !ones };
                    hw.set_rax(keep | ones);
                }
                hw.advance_rip(insn_len);
                Ok(())
            }
            Exit::Pause { .. } => {
                let insn_len = self.step_len(id, hw, |op| matches!(op, decode::Op::Pause))?;
                hw.advance_rip(insn_len);
                if let Some(v) = self.core.vcpus.get_mut(id as usize) {
                    v.yield_now = true;
                }
                Ok(())
            }
            Exit::Xsetbv => {
                let insn_len = self.step_len(id, hw, |op| matches!(op, decode::Op::Xsetbv))?;
                let value = (hw.regs.rdx << 32) | (hw.rax() & 0xffff_ffff);
                // Only XCR0 exists; CPL 0 only; the value must be one XCR0 may hold.
                if hw.regs.rcx as u32 == 0 && hw.cpl() == 0 && hw.set_xcr0(value) {
                    hw.advance_rip(insn_len);
                } else {
                    hw.inject_exception(13, Some(0));
                }
                Ok(())
            }
            // A hypercall by the other vendor's instruction (VMCALL on AMD) is served, as
            // Xen's #UD intercept does; anything else that raised #UD gets it back.
            Exit::InvalidOpcode => {
                let hypercall = self
                    .fetch_decode(hw)
                    .is_ok_and(|i| matches!(i.op, decode::Op::Vmcall | decode::Op::Vmmcall));
                if hypercall {
                    return self.handle(id, hw, Exit::Hypercall { insn_len: 3 });
                }
                hw.inject_exception(6, None);
                Ok(())
            }
            // NMI-window bookkeeping arch already did; the next entry may inject again. A
            // physical INIT is nothing for the guest (Xen ignores it too).
            Exit::Interrupt | Exit::Nmi | Exit::NmiWindow | Exit::Init => Ok(()),
            Exit::Shutdown => Err(self.crash(id, hw, format_args!("triple fault"))),
            Exit::NestedPageFault { gpa, .. } if gpa >> 12 == vlapic::BASE >> 12 => {
                self.mmio_access(id, hw, gpa, Dev::Lapic)
            }
            Exit::NestedPageFault { gpa, .. }
                if let Some(i) = self.vioapics.iter().position(|io| io.covers(gpa)) =>
            {
                self.mmio_access(id, hw, gpa, Dev::Ioapic(i))
            }
            Exit::NestedPageFault { gpa, .. }
                if self.kept_mmio.iter().any(|&(s, e)| (s..e).contains(&gpa)) =>
            {
                self.mmio_access(id, hw, gpa, Dev::Kept)
            }
            Exit::NestedPageFault { gpa, .. } if self.map_host_mmio(gpa) => Ok(()),
            Exit::NestedPageFault { gpa, error } => Err(self.crash(
                id,
                hw,
                format_args!(
                    "access to guest-physical {gpa:#x} outside its memory (error {error:#x})"
                ),
            )),
            Exit::Unhandled { code, info1, info2 } => Err(self.crash(
                id,
                hw,
                format_args!("unhandled exit {code:#x} (info1 {info1:#x}, info2 {info2:#x})"),
            )),
        }
    }

    /// The MSRs a PVH guest reads that its VMCB does not hold (Xen's `guest_rdmsr`); `None`
    /// is #GP.
    fn rdmsr(&mut self, id: u32, hw: &mut svm::Vcpu, msr: u32) -> Option<u64> {
        match msr {
            // The local APIC at its architectural base, enabled, xAPIC mode; vCPU 0 boots.
            cpu::MSR_APIC_BASE => {
                Some(vlapic::BASE | APIC_BASE_ENABLE | if id == 0 { 1 << 8 } else { 0 })
            }
            MSR_TSC => Some(cpu::rdtsc()),
            MSR_PAT => Some(hw.g_pat()),
            // No variable or fixed MTRRs, uncached default: memory types come from PAT.
            MSR_MTRR_CAP | MSR_MTRR_DEF_TYPE => Some(0),
            MSR_TSC_AUX => Some(u64::from(hw.tsc_aux())),
            _ => None,
        }
    }

    /// MSR writes a PVH guest may make; false is #GP.
    fn wrmsr(&mut self, id: u32, hw: &mut svm::Vcpu, msr: u32, value: u64) -> bool {
        match msr {
            HYPERCALL_PAGE_MSR => {
                let page = cpuid::hypercall_page(self.amd);
                value & 0xfff == 0
                    && guest_mem::GuestPhys::write_phys(&mut self.mem, value, &page).is_ok()
            }
            // Only what it reads: the same base, enabled, no x2APIC (not offered).
            cpu::MSR_APIC_BASE => self.rdmsr(id, hw, msr) == Some(value),
            MSR_PAT => {
                // Each entry must be a valid memory type (0, 1, 4, 5, 6, 7).
                let ok = (0..8).all(|i| matches!((value >> (i * 8)) & 0xff, 0 | 1 | 4..=7));
                if ok {
                    hw.set_g_pat(value);
                }
                ok
            }
            MSR_MTRR_DEF_TYPE => value == 0,
            // Linux stores its CPU number there; the vCPU loads it for RDTSCP on each run.
            MSR_TSC_AUX => match u32::try_from(value) {
                Ok(v) => {
                    hw.set_tsc_aux(v);
                    true
                }
                Err(_) => false,
            },
            _ => false,
        }
    }

    /// A 32-bit register read of an emulated device.
    fn dev_read(&self, id: u32, dev: Dev, offset: u32, now: u64) -> u32 {
        match dev {
            Dev::Lapic => self
                .vlapics
                .get(id as usize)
                .map_or(0, |l| l.read(offset, now)),
            Dev::Ioapic(i) => self.vioapics.get(i).map_or(0, |io| io.read(offset)),
            Dev::Kept => u32::MAX,
        }
    }

    /// A 32-bit register write to an emulated device.
    fn dev_write(&mut self, id: u32, dev: Dev, offset: u32, value: u32, now: u64) -> Effect {
        match dev {
            Dev::Lapic => match self.vlapics.get_mut(id as usize) {
                Some(l) => l.write(offset, value, now),
                None => Effect::None,
            },
            Dev::Ioapic(i) => {
                let written = self
                    .vioapics
                    .get_mut(i)
                    .and_then(|io| io.write(offset, value));
                if let Some(w) = written {
                    self.vioapic_rte_written(i, w);
                }
                Effect::None
            }
            Dev::Kept => Effect::None,
        }
    }

    /// A load from or store to an emulated device's page (the local APIC, an I/O APIC):
    /// decoded and emulated, then stepped over.
    fn mmio_access(&mut self, id: u32, hw: &mut svm::Vcpu, gpa: u64, dev: Dev) -> Result<(), End> {
        let insn = match self.fetch_decode(hw) {
            Ok(i) => i,
            Err(why) => return Err(self.crash(id, hw, format_args!("{dev:?} access: {why}"))),
        };
        let offset = match dev {
            Dev::Lapic => (gpa & 0xfff) as u32,
            Dev::Ioapic(i) => gpa.wrapping_sub(self.vioapics.get(i).map_or(0, |io| io.base)) as u32,
            Dev::Kept => 0,
        };
        let now = time::now_ns();
        let long = hw.long_mode();
        let effect = match insn.op {
            decode::Op::Mov {
                dir: decode::Dir::Load,
                size,
                other: decode::RegOrImm::Reg(r),
                ..
            } => {
                let v = self.dev_read(id, dev, offset, now);
                set_gpr(hw, r, size, u64::from(v), long);
                Effect::None
            }
            decode::Op::Movzx { dst, dst_size, .. } => {
                let v = self.dev_read(id, dev, offset, now);
                set_gpr(hw, dst, dst_size, u64::from(v), long);
                Effect::None
            }
            decode::Op::Mov {
                dir: decode::Dir::Store,
                other,
                ..
            } => {
                let value = match other {
                    decode::RegOrImm::Reg(r) => get_gpr(hw, r),
                    decode::RegOrImm::Imm(i) => i as u64,
                };
                self.dev_write(id, dev, offset, value as u32, now)
            }
            decode::Op::Alu {
                op,
                dir,
                size,
                other,
                ..
            } => {
                let mem = self.dev_read(id, dev, offset, now);
                let reg = match other {
                    decode::RegOrImm::Reg(r) => get_gpr(hw, r),
                    decode::RegOrImm::Imm(i) => i as u64,
                };
                let (dst, src) = match dir {
                    decode::Dir::Store => (u64::from(mem), reg),
                    decode::Dir::Load => (reg, u64::from(mem)),
                };
                let (result, flags) = crate::alu::alu(op, dst, src, size);
                let rflags = hw.rflags();
                hw.set_rflags((rflags & !crate::alu::FLAGS_MASK) | flags);
                let writes = !matches!(op, decode::AluOp::Cmp | decode::AluOp::Test);
                match (dir, other) {
                    (decode::Dir::Store, _) if writes => {
                        self.dev_write(id, dev, offset, result as u32, now)
                    }
                    (decode::Dir::Load, decode::RegOrImm::Reg(r)) if writes => {
                        set_gpr(hw, r, size, result, long);
                        Effect::None
                    }
                    _ => Effect::None,
                }
            }
            other => {
                return Err(self.crash(
                    id,
                    hw,
                    format_args!("{dev:?} access by {other:?}, which Ferrite does not emulate"),
                ));
            }
        };
        match effect {
            Effect::Ipi(ipi) => self.send_ipi(id, ipi),
            Effect::Eoi(vector) => self.vioapic_eoi(vector),
            Effect::None | Effect::Timer => {}
        }
        hw.advance_rip(insn.len);
        Ok(())
    }

    /// Delivers an IPI from vCPU `from`'s local APIC (fixed and lowest-priority delivery;
    /// INIT, start-up and NMI IPIs are ignored: PVH guests start vCPUs with VCPUOP).
    fn send_ipi(&mut self, from: u32, ipi: vlapic::Ipi) {
        let targets: Vec<u32> = self
            .vlapics
            .iter()
            .enumerate()
            .filter(|&(i, l)| {
                let me = i as u32 == from;
                match ipi.shorthand {
                    1 => me,
                    2 => true,
                    3 => !me,
                    _ if ipi.logical => l.matches_logical(ipi.dest),
                    _ => ipi.dest == 0xff || l.id() == ipi.dest,
                }
            })
            .map(|(i, _)| i as u32)
            .collect();
        for t in targets {
            match ipi.mode {
                0 | 1 => {
                    if let Some(l) = self.vlapics.get_mut(t as usize) {
                        l.accept(ipi.vector);
                    }
                    self.kick_vcpu(t);
                }
                // INIT: a vCPU that never ran now waits for its start-up IPI.
                5 => {
                    let fresh = self.core.vcpu(t).is_ok_and(|v| !v.initialised);
                    if let Some(w) = self.wait_sipi.get_mut(t as usize) {
                        *w = fresh;
                    }
                }
                // Start-up: the waiting vCPU begins in real mode at vector << 12.
                6 => {
                    if self.wait_sipi.get(t as usize).copied().unwrap_or(false) {
                        self.start_ap(t, ipi.vector);
                    }
                }
                mode => log::debug!("d{}v{from}: IPI mode {mode} ignored", self.core.id),
            }
        }
    }

    /// Starts vCPU `id` as a start-up IPI does: real mode, CS = `vector << 8`, IP 0.
    fn start_ap(&mut self, id: u32, vector: u8) {
        log::info!(
            "d{}v{id}: start-up IPI, starting in real mode at {:#x}",
            self.core.id,
            u32::from(vector) << 12
        );
        use ferrite_arch::x86_64::svm::vmcb::Segment;
        let real = |selector: u16, attrib: u16| Segment {
            selector,
            attrib,
            limit: 0xffff,
            base: u64::from(selector) << 4,
        };
        let start = svm::Start {
            regs: svm::GuestRegs::default(),
            rax: 0,
            rsp: 0,
            rip: 0,
            rflags: 0x2,
            cr0: 0x10, // ET; protection and paging off
            cr3: 0,
            cr4: 0,
            efer: 0,
            cs: real(u16::from(vector) << 8, 0x9b),
            ds: real(0, 0x93),
            ss: real(0, 0x93),
            es: real(0, 0x93),
            tr: Segment {
                selector: 0,
                attrib: 0x8b,
                limit: 0xffff,
                base: 0,
            },
            asid: id + 1,
            nested_cr3: self.npt.root,
            iopm_pa: self.iopm.pa(),
            msrpm_pa: self.msrpm.pa(),
        };
        let Ok(hw) = svm::Vcpu::new(&start) else {
            log::error!("d{}v{id}: no memory to start the vCPU", self.core.id);
            return;
        };
        if let Some(slot) = self.vcpus.get_mut(id as usize) {
            *slot = Some(hw);
        }
        if let Some(w) = self.wait_sipi.get_mut(id as usize) {
            *w = false;
        }
        let now = time::now_ns();
        if let Ok(v) = self.core.vcpu_mut(id) {
            v.initialised = true;
            v.down = false;
            v.runstate.change(runstate::RUNNABLE, now);
        }
        self.pools.wake(UnitId(id), now as i64);
    }

    /// vCPU `id` waits for an event (HLT, `SCHEDOP_block`), unless one is already pending.
    fn block(&mut self, id: u32) {
        let now = time::now_ns();
        if self.wake_due(id, now) {
            if let Some(v) = self.core.vcpus.get_mut(id as usize) {
                v.poll = None;
            }
            return;
        }
        if let Some(v) = self.core.vcpus.get_mut(id as usize) {
            v.blocked = true;
            v.runstate.change(runstate::BLOCKED, now);
        }
        self.pools.sleep(UnitId(id), now as i64);
        self.update_runstate_areas(id, now);
    }

    /// Runs the hypercall in vCPU `id`'s registers and returns its result.
    fn hypercall(&mut self, id: u32, hw: &mut svm::Vcpu) -> i64 {
        if hw.cpl() != 0 {
            return Errno::EPERM.to_ret();
        }
        let r = hw.regs;
        let long_mode = hw.long_mode();
        let args = if long_mode {
            Args {
                nr: hw.rax(),
                a: [r.rdi, r.rsi, r.rdx, r.r10, r.r8],
            }
        } else {
            let m = |v: u64| v & 0xffff_ffff;
            Args {
                nr: m(hw.rax()),
                a: [m(r.rbx), m(r.rcx), m(r.rdx), m(r.rsi), m(r.rdi)],
            }
        };
        let was_blocked = self.core.vcpus.get(id as usize).is_some_and(|v| v.blocked);
        let paging = Self::paging(hw);
        let mut ctx = Ctx {
            d: self,
            vcpu: id,
            paging,
            long_mode,
            flush: false,
            virqs: Vec::new(),
            kicks: Vec::new(),
        };
        let Outcome::Completed(v) = hypercall::dispatch(&mut ctx, &args);
        let Ctx {
            flush,
            virqs,
            kicks,
            ..
        } = ctx;
        // Keep the event code's view of moved vcpu_infos in step.
        for (slot, v) in self.mem.vcpu_info.iter_mut().zip(&self.core.vcpus) {
            *slot = v.vcpu_info_gpa;
        }
        if flush {
            self.flush_all(hw);
        }
        for (vcpu, virq) in virqs {
            self.raise_virq(vcpu, virq);
        }
        let now = time::now_ns();
        for k in kicks {
            self.kick_vcpu(k);
            let wake = self
                .core
                .vcpus
                .get(k as usize)
                .is_some_and(|v| v.runnable() && v.runstate.state() == runstate::RUNNABLE);
            if wake {
                self.pools.wake(UnitId(k), now as i64);
            }
        }
        // A vCPU that went down leaves the scheduler.
        for v in &self.core.vcpus {
            if v.down && v.runstate.state() == runstate::OFFLINE {
                self.pools.sleep(UnitId(v.id), now as i64);
            }
        }
        // SCHEDOP_block marked it blocked: it sleeps unless an event is already waiting.
        let blocked = self.core.vcpus.get(id as usize).is_some_and(|v| v.blocked);
        if blocked && !was_blocked {
            if let Some(v) = self.core.vcpus.get_mut(id as usize) {
                v.blocked = false;
            }
            self.block(id);
        }
        v
    }

    /// Every vCPU's guest TLB is stale after a nested mapping changed: flush the caller's
    /// now, the others' before their next entry, and wait for vCPUs in guest mode elsewhere
    /// to leave it; only then are frames the guest gave back released.
    fn flush_all(&mut self, hw: &mut svm::Vcpu) {
        hw.flush_tlb();
        for f in &mut self.flush_pending {
            *f = true;
        }
        let me = ferrite_arch::x86_64::percpu::cpu_index();
        super::pcpu::shoot_down(me, self.pools.nr_cpus());
        self.mem.retired.clear();
    }

    /// Crashes the domain with a report: why, where, the registers and instruction bytes.
    fn crash(&mut self, id: u32, hw: &mut svm::Vcpu, why: core::fmt::Arguments<'_>) -> End {
        let d = self.core.id;
        let rip = hw.rip();
        let (code, i1, i2) = hw.exit_info();
        log::error!("d{d}v{id} crashed: {why}");
        log::error!("d{d}v{id} exit code {code:#x} info1 {i1:#x} info2 {i2:#x}");
        let r = hw.regs;
        let rax = hw.rax();
        log::error!(
            "d{d}v{id} RIP {rip:#018x} RAX {rax:#018x} RBX {:#018x} RCX {:#018x}",
            r.rbx,
            r.rcx
        );
        log::error!(
            "d{d}v{id} RDX {:#018x} RSI {:#018x} RDI {:#018x} RBP {:#018x}",
            r.rdx,
            r.rsi,
            r.rdi,
            r.rbp
        );
        let [cr0, cr3, cr4, efer] = hw.paging();
        log::error!(
            "d{d}v{id} CR0 {cr0:#x} CR3 {cr3:#x} CR4 {cr4:#x} EFER {efer:#x} CPL {}",
            hw.cpl()
        );
        let paging = Self::paging(hw);
        let mut bytes = [0u8; 16];
        let linear = hw.cs_base().wrapping_add(rip);
        let mut text = String::new();
        match guest_mem::copy_from_guest(&self.mem, &paging, linear, &mut bytes) {
            Ok(()) => {
                for b in bytes {
                    let _ = write!(text, " {b:02x}");
                }
            }
            Err(e) => {
                let _ = write!(text, " (unreadable: {e})");
            }
        }
        log::error!("d{d}v{id} instruction bytes at RIP:{text}");
        self.core.shut_down(Stop::Crashed);
        End::Crashed
    }
}

/// An emulated device behind a guest-physical page.
#[derive(Clone, Copy, Debug)]
enum Dev {
    Lapic,
    Ioapic(usize),
    /// A host device Ferrite keeps ([`Domain::kept_mmio`]): nothing there.
    Kept,
}

/// A guest general register as an instruction names it.
fn get_gpr(hw: &mut svm::Vcpu, r: decode::Reg) -> u64 {
    use decode::Gpr::*;
    let g = hw.regs;
    let v = match r.gpr {
        Rax => hw.rax(),
        Rcx => g.rcx,
        Rdx => g.rdx,
        Rbx => g.rbx,
        Rsp => hw.rsp(),
        Rbp => g.rbp,
        Rsi => g.rsi,
        Rdi => g.rdi,
        R8 => g.r8,
        R9 => g.r9,
        R10 => g.r10,
        R11 => g.r11,
        R12 => g.r12,
        R13 => g.r13,
        R14 => g.r14,
        R15 => g.r15,
    };
    if r.high_byte { v >> 8 } else { v }
}

/// Writes `value` to a guest register with x86's rules: a 32-bit write in 64-bit mode clears
/// the upper half; 8- and 16-bit writes keep the other bits.
fn set_gpr(hw: &mut svm::Vcpu, r: decode::Reg, size: u8, value: u64, long: bool) {
    use decode::Gpr::*;
    let old = get_gpr(
        hw,
        decode::Reg {
            gpr: r.gpr,
            high_byte: false,
        },
    );
    let new = match (size, r.high_byte) {
        (1, true) => (old & !0xff00) | ((value & 0xff) << 8),
        (1, false) => (old & !0xff) | (value & 0xff),
        (2, _) => (old & !0xffff) | (value & 0xffff),
        (4, _) if long => value & 0xffff_ffff,
        (4, _) => (old & !0xffff_ffff) | (value & 0xffff_ffff),
        _ => value,
    };
    let g = &mut hw.regs;
    match r.gpr {
        Rax => hw.set_rax(new),
        Rcx => g.rcx = new,
        Rdx => g.rdx = new,
        Rbx => g.rbx = new,
        Rsp => hw.set_rsp(new),
        Rbp => g.rbp = new,
        Rsi => g.rsi = new,
        Rdi => g.rdi = new,
        R8 => g.r8 = new,
        R9 => g.r9 = new,
        R10 => g.r10 = new,
        R11 => g.r11 = new,
        R12 => g.r12 = new,
        R13 => g.r13 = new,
        R14 => g.r14 = new,
        R15 => g.r15 = new,
    }
}

fn host_cpuid(leaf: u32, sub: u32) -> [u32; 4] {
    let r = cpu::cpuid(leaf, sub);
    [r.eax, r.ebx, r.ecx, r.edx]
}
