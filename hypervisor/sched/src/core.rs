//! The scheduler interface (Xen's `struct sched_ops` in `xen/common/sched/private.h`) and the
//! parameter types of `XEN_DOMCTL_scheduler_op` / `XEN_SYSCTL_scheduler_op`
//! (`xen/include/public/domctl.h`, `sysctl.h`).
//!
//! # How a run loop drives a scheduler
//! One [`Scheduler`] instance serves one cpupool. The hypervisor keeps it behind one lock and, on
//! each pCPU, calls [`Scheduler::do_schedule`] at a *schedule point*: when the slice it returned
//! expires (the per-CPU timer), when the running vCPU blocks (after [`Scheduler::sleep`]), and
//! when the CPU was tickled (see [`Scheduler::take_tickles`]: the caller raises the equivalent of
//! `SCHEDULE_SOFTIRQ` on those CPUs). The lock is dropped before the guest runs: a decision is a
//! value, nothing is borrowed across the guest run. The unit a CPU runs is exactly the unit the
//! last `do_schedule` on that CPU returned; a unit descheduled on one CPU must have its state
//! saved before another CPU's run loop enters it (Xen's `is_running`/`context_saved`).
//! Scheduler-wide timers (credit accounting, budget replenishment) are exposed by
//! [`Scheduler::next_timer`] and fired with [`Scheduler::timer`]. Time is Xen's `s_time_t`: ns.

use alloc::vec::Vec;
use core::fmt;

use ferrite_abi::Errno;

use crate::affinity::Affinity;
use crate::affinity::CpuMask;

/// System time in nanoseconds (Xen's `s_time_t`).
pub type Time = i64;
/// A physical CPU number.
pub type Cpu = u32;

/// Microseconds to [`Time`].
pub const fn micros(us: i64) -> Time {
    us * 1_000
}
/// Milliseconds to [`Time`].
pub const fn millis(ms: i64) -> Time {
    ms * 1_000_000
}

/// A schedulable unit (one vCPU; Xen's `sched_unit` with `sched-gran=cpu`). The caller assigns
/// dense ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitId(pub u32);

/// A domain id (`domid_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DomId(pub u16);

/// The `XEN_SCHEDULER_*` ids of `public/domctl.h`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum SchedId {
    /// `XEN_SCHEDULER_CREDIT`
    Credit = 5,
    /// `XEN_SCHEDULER_CREDIT2`
    Credit2 = 6,
    /// `XEN_SCHEDULER_ARINC653`
    Arinc653 = 7,
    /// `XEN_SCHEDULER_RTDS`
    Rtds = 8,
    /// `XEN_SCHEDULER_NULL`
    Null = 9,
}

impl SchedId {
    /// Every scheduler, default first.
    pub const ALL: [SchedId; 5] = [
        SchedId::Credit2,
        SchedId::Credit,
        SchedId::Rtds,
        SchedId::Arinc653,
        SchedId::Null,
    ];

    /// The `sched=` name (Xen's `opt_name`).
    pub const fn opt_name(self) -> &'static str {
        match self {
            SchedId::Credit => "credit",
            SchedId::Credit2 => "credit2",
            SchedId::Arinc653 => "arinc653",
            SchedId::Rtds => "rtds",
            SchedId::Null => "null",
        }
    }

    /// Looks up a `sched=` name.
    pub fn from_opt_name(name: &str) -> Option<SchedId> {
        Self::ALL.into_iter().find(|s| s.opt_name() == name)
    }

    /// Looks up an `XEN_SCHEDULER_*` number (cpupool create); unknown → `None` (Xen: `ENOENT`).
    pub fn from_raw(id: u32) -> Option<SchedId> {
        Self::ALL.into_iter().find(|s| *s as u32 == id)
    }
}

/// What a pCPU runs next and for how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The unit to run; `None` is the idle unit.
    pub unit: Option<UnitId>,
    /// Run until this much time has passed, then call `do_schedule` again; `None` means no
    /// time limit (only an event ends it).
    pub run_for: Option<Time>,
}

impl Decision {
    /// Run the idle unit until something happens.
    pub const IDLE: Decision = Decision {
        unit: None,
        run_for: None,
    };
}

/// A unit handed to [`Scheduler::insert_unit`].
#[derive(Clone, Debug)]
pub struct UnitSpec {
    /// The unit's id.
    pub id: UnitId,
    /// Its domain.
    pub dom: DomId,
    /// Its vCPU number in the domain.
    pub vcpu: u32,
    /// Hard and soft affinity.
    pub affinity: Affinity,
}

/// `xen_domctl_sched_credit`. In a put, `weight == 0` leaves the weight unchanged and
/// `cap == None` leaves the cap unchanged (Xen's `(uint16_t)~0`); cap 0 means no cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditParams {
    /// Relative weight, 1..=65535, default 256.
    pub weight: u32,
    /// Cap in percent of one pCPU; 0 is uncapped.
    pub cap: Option<u32>,
}

/// `xen_domctl_sched_credit2`. In a put, `weight == 0` leaves the weight unchanged; cap 0
/// removes the cap. A cap above `100 * nr_vcpus` is `EINVAL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Credit2Params {
    /// Relative weight, 1..=65535, default 256.
    pub weight: u32,
    /// Cap in percent of one pCPU; 0 is uncapped.
    pub cap: u32,
}

/// `xen_domctl_sched_rtds`: period and budget in µs, and `XEN_DOMCTL_SCHEDRT_extra`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RtdsParams {
    /// Period in µs (10 µs ..= `STIME_DELTA_MAX`), default 10000.
    pub period_us: u64,
    /// Budget in µs (10 µs ..= period), default 4000.
    pub budget_us: u64,
    /// May run beyond its budget when the system has spare time (default on).
    pub extratime: bool,
}

/// Per-domain scheduler parameters (the union in `xen_domctl_scheduler_op`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DomParams {
    /// credit
    Credit(CreditParams),
    /// credit2
    Credit2(Credit2Params),
    /// RTDS
    Rtds(RtdsParams),
    /// null and ARINC653 have no per-domain parameters.
    Empty,
}

/// A `XEN_DOMCTL_scheduler_op` command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DomOp {
    /// `XEN_DOMCTL_SCHEDOP_getinfo`
    GetInfo,
    /// `XEN_DOMCTL_SCHEDOP_putinfo`
    PutInfo(DomParams),
    /// `XEN_DOMCTL_SCHEDOP_getvcpuinfo` (RTDS) for one vCPU.
    GetVcpuInfo(u32),
    /// `XEN_DOMCTL_SCHEDOP_putvcpuinfo` (RTDS) for one vCPU.
    PutVcpuInfo(u32, RtdsParams),
}

/// `xen_sysctl_credit_schedule`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditGlobal {
    /// `sched_credit_tslice_ms`, 1..=1000.
    pub tslice_ms: u32,
    /// `sched_ratelimit_us`, 0 (off) or 100..=500000, and not above the timeslice.
    pub ratelimit_us: u32,
    /// `vcpu_migration_delay` in µs, 0..=100000: a unit that ran this recently is cache-hot
    /// and not stolen by another pCPU.
    pub vcpu_migr_delay_us: u32,
}

/// `xen_sysctl_credit2_schedule`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Credit2Global {
    /// `sched_ratelimit_us`, 0 (off) or 100..=500000.
    pub ratelimit_us: u32,
}

/// One minor frame of an ARINC653 schedule (`xen_sysctl_arinc653_schedule` entries name the
/// domain by handle; the adapter maps handles to domain ids).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arinc653Window {
    /// The domain.
    pub dom: DomId,
    /// The domain handle the toolstack named it by (returned as given by a getinfo; zero for
    /// the boot-time dom0 windows).
    pub handle: [u8; 16],
    /// Its vCPU.
    pub vcpu: u32,
    /// Window length in ns, > 0.
    pub runtime: Time,
}

/// An ARINC653 major frame.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Arinc653Schedule {
    /// Major frame length in ns, > 0 and ≥ the sum of the windows.
    pub major_frame: Time,
    /// 1..=64 windows, run in order.
    pub windows: Vec<Arinc653Window>,
}

/// Scheduler-wide parameters (`xen_sysctl_scheduler_op`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GlobalParams {
    /// credit
    Credit(CreditGlobal),
    /// credit2
    Credit2(Credit2Global),
    /// ARINC653
    Arinc653(Arinc653Schedule),
    /// RTDS and null have none.
    Empty,
}

/// `XEN_SYSCTL_SCHEDOP_putinfo` maximum/minimum for `ratelimit_us`.
pub const RATELIMIT_MAX_US: u32 = 500_000;
/// See [`RATELIMIT_MAX_US`].
pub const RATELIMIT_MIN_US: u32 = 100;
/// Xen's default `sched_ratelimit_us`.
pub const RATELIMIT_DEFAULT_US: u32 = 1000;

/// Validates a ratelimit value as both credit schedulers do: 0 disables it.
pub fn check_ratelimit(us: u32) -> Result<u32, Errno> {
    if us != 0 && !(RATELIMIT_MIN_US..=RATELIMIT_MAX_US).contains(&us) {
        return Err(Errno::EINVAL);
    }
    Ok(us)
}

/// Validates a weight in a put: 0 means "unchanged" (returns `None`), above 65535 is `EINVAL`.
pub fn check_weight(weight: u32) -> Result<Option<u32>, Errno> {
    match weight {
        0 => Ok(None),
        1..=65535 => Ok(Some(weight)),
        _ => Err(Errno::EINVAL),
    }
}

/// The scheduler operations (Xen's `struct sched_ops`). One instance per cpupool. Methods taking
/// an unknown unit, domain or CPU do nothing (or return `EINVAL`/`ESRCH`); none panics.
pub trait Scheduler: Send {
    /// Which scheduler this is.
    fn id(&self) -> SchedId;

    /// Gives the scheduler a pCPU (`init_pdata`/`switch_sched`).
    fn add_cpu(&mut self, cpu: Cpu, now: Time);
    /// Takes a pCPU away. Units queued or running there are moved to the remaining CPUs (the
    /// caller guarantees at least one remains while units exist).
    fn remove_cpu(&mut self, cpu: Cpu, now: Time);

    /// Registers a domain (`alloc_domdata`).
    fn add_domain(&mut self, dom: DomId) -> Result<(), Errno>;
    /// Forgets a domain; its units must have been removed.
    fn remove_domain(&mut self, dom: DomId);

    /// Adds a unit, not runnable until [`Scheduler::wake`] (`insert_unit`).
    fn insert_unit(&mut self, spec: &UnitSpec, now: Time) -> Result<(), Errno>;
    /// Removes a unit; if it was running, its CPU is tickled (`remove_unit`).
    fn remove_unit(&mut self, unit: UnitId, now: Time);

    /// The unit stopped being runnable (blocked or paused).
    fn sleep(&mut self, unit: UnitId, now: Time);
    /// The unit became runnable.
    fn wake(&mut self, unit: UnitId, now: Time);
    /// The running unit yields (`SCHEDOP_yield`).
    fn yield_unit(&mut self, unit: UnitId, now: Time);

    /// Picks what `cpu` runs from `now` (`do_schedule`). The unit that was running there is put
    /// back in the scheduler's queues if still runnable.
    fn do_schedule(&mut self, cpu: Cpu, now: Time) -> Decision;

    /// The CPU the unit would be placed on now (`pick_resource`).
    fn pick_cpu(&self, unit: UnitId) -> Option<Cpu>;

    /// New hard/soft affinity (`adjust_affinity` plus the generic migration). The caller has
    /// checked that the hard affinity intersects the pool's CPUs.
    fn set_affinity(&mut self, unit: UnitId, affinity: &Affinity, now: Time);

    /// `XEN_DOMCTL_scheduler_op` (`adjust`).
    fn adjust_domain(&mut self, dom: DomId, op: DomOp, now: Time) -> Result<DomParams, Errno>;
    /// `XEN_SYSCTL_scheduler_op` (`adjust_global`); `None` is getinfo.
    fn adjust_global(
        &mut self,
        put: Option<GlobalParams>,
        now: Time,
    ) -> Result<GlobalParams, Errno>;

    /// The earliest scheduler-wide timer (accounting, replenishment), if any.
    fn next_timer(&self) -> Option<Time> {
        None
    }
    /// Fires the scheduler-wide timers due at `now`.
    fn timer(&mut self, _now: Time) {}

    /// Moves the set of CPUs that must run `do_schedule` soon into `out`.
    fn take_tickles(&mut self, out: &mut CpuMask);

    /// Debug-key dump (`dump_settings` and `dump_cpu_state`).
    fn dump(&self, out: &mut dyn fmt::Write) -> fmt::Result;
}
