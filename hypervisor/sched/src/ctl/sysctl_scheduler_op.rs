//! `XEN_SYSCTL_scheduler_op`: a pool's scheduler-wide parameters (`public/sysctl.h`; Xen:
//! `sched_adjust_global` in `common/sched/core.c`, `csched_sys_cntl` in `credit.c`,
//! `csched2_sys_cntl` in `credit2.c`, `a653sched_adjust_global` in `arinc653.c`).
//!
//! # Caller
//! Copy `struct xen_sysctl_scheduler_op` in. When `sched_id` is `XEN_SCHEDULER_ARINC653`, the
//! union holds a handle to a `struct xen_sysctl_arinc653_schedule` ([`arinc653_schedule`]): for
//! a putinfo copy it in and pass it; for a getinfo pass any scratch struct, which is filled (Xen
//! first sets every byte to `0xff`), and copy it back to the handle on success. A failed copy is
//! the caller's `EFAULT`; passing `None` where a schedule is needed is treated the same way.
//! Copy the op struct back in every case (credit and credit2 answer in its union).
//! `domain_by_handle` maps an ARINC653 entry's `dom_handle` to a domain id.
//!
//! # Semantics kept from Xen
//! - `cmd` other than put/get is `EINVAL`, an unknown pool `ESRCH`, a `sched_id` other than the
//!   pool's scheduler `EINVAL`; RTDS and null have no global hook and succeed unchanged.
//! - credit: `tslice_ms` 1..=1000, `ratelimit_us` 0 or 100..=500000 and at most the timeslice,
//!   `vcpu_migr_delay_us` ..=100000; a put answers with the values now in force.
//! - credit2: `ratelimit_us` 0 or 100..=500000.
//! - ARINC653: 1..=64 entries, each runtime > 0, their sum ≤ `major_frame` > 0 (times are
//!   signed ns, so a value with the top bit set is negative and rejected). An entry whose handle
//!   names no domain is kept and its window idles (Ferrite does not bind it to a domain created
//!   later with that handle; Xen does).

use ferrite_abi::domctl::XEN_SCHEDULER_ARINC653;
use ferrite_abi::sysctl::{
    XEN_SYSCTL_SCHEDOP_getinfo, XEN_SYSCTL_SCHEDOP_putinfo, XenSysctlArinc653Schedule,
    XenSysctlArinc653ScheduleSchedEntriesEntry, XenSysctlCredit2Schedule, XenSysctlCreditSchedule,
    XenSysctlSchedArinc653, XenSysctlSchedulerOp,
};
use ferrite_abi::xen::DOMID_INVALID;
use ferrite_abi::{Errno, GuestHandle};
use zerocopy::IntoBytes;

use super::domctl_scheduler_op::{read_union, write_union};
use crate::core::{
    Arinc653Schedule, Arinc653Window, Credit2Global, CreditGlobal, DomId, GlobalParams, SchedId,
    Time,
};
use crate::cpupool::CpuPools;

/// `ARINC653_MAX_DOMAINS_PER_SCHEDULE`.
const MAX_ENTRIES: usize = 64;

/// For an ARINC653 op: the guest handle of its `xen_sysctl_arinc653_schedule`.
pub fn arinc653_schedule(
    op: &XenSysctlSchedulerOp,
) -> Option<GuestHandle<XenSysctlArinc653Schedule>> {
    (op.sched_id == XEN_SCHEDULER_ARINC653)
        .then(|| read_union::<XenSysctlSchedArinc653>(op.u.as_bytes()).schedule)
}

/// `XEN_SYSCTL_scheduler_op`. See the module doc for what is copied in and out.
pub fn sysctl_scheduler_op(
    pools: &mut CpuPools,
    op: &mut XenSysctlSchedulerOp,
    arinc653: Option<&mut XenSysctlArinc653Schedule>,
    domain_by_handle: &dyn Fn(&[u8; 16]) -> Option<u16>,
    now: Time,
) -> Result<(), Errno> {
    let put = op.cmd == XEN_SYSCTL_SCHEDOP_putinfo;
    if !put && op.cmd != XEN_SYSCTL_SCHEDOP_getinfo {
        return Err(Errno::EINVAL);
    }
    let pool = op.cpupool_id;
    let sched = pools.info(pool).map_err(|_| Errno::ESRCH)?.sched;
    if op.sched_id != sched as u32 {
        return Err(Errno::EINVAL);
    }
    match sched {
        SchedId::Rtds | SchedId::Null => Ok(()),
        SchedId::Credit => {
            let p: XenSysctlCreditSchedule = read_union(op.u.as_bytes());
            let arg = put.then_some(GlobalParams::Credit(CreditGlobal {
                tslice_ms: p.tslice_ms,
                ratelimit_us: p.ratelimit_us,
                vcpu_migr_delay_us: p.vcpu_migr_delay_us,
            }));
            if let GlobalParams::Credit(g) = pools.adjust_global(pool, sched, arg, now)? {
                let out = XenSysctlCreditSchedule {
                    tslice_ms: g.tslice_ms,
                    ratelimit_us: g.ratelimit_us,
                    vcpu_migr_delay_us: g.vcpu_migr_delay_us,
                };
                write_union(op.u.as_mut_bytes(), &out);
            }
            Ok(())
        }
        SchedId::Credit2 => {
            let p: XenSysctlCredit2Schedule = read_union(op.u.as_bytes());
            let arg = put.then_some(GlobalParams::Credit2(Credit2Global {
                ratelimit_us: p.ratelimit_us,
            }));
            if let GlobalParams::Credit2(g) = pools.adjust_global(pool, sched, arg, now)? {
                let out = XenSysctlCredit2Schedule {
                    ratelimit_us: g.ratelimit_us,
                };
                write_union(op.u.as_mut_bytes(), &out);
            }
            Ok(())
        }
        SchedId::Arinc653 => {
            let s = arinc653.ok_or(Errno::EFAULT)?;
            if put {
                let sched_in = arinc653_from_abi(s, domain_by_handle)?;
                let arg = Some(GlobalParams::Arinc653(sched_in));
                pools.adjust_global(pool, sched, arg, now).map(|_| ())
            } else {
                if let GlobalParams::Arinc653(cur) = pools.adjust_global(pool, sched, None, now)? {
                    arinc653_to_abi(&cur, s);
                }
                Ok(())
            }
        }
    }
}

/// Checks what the scheduler cannot see (entry count, signed times) and converts.
fn arinc653_from_abi(
    s: &XenSysctlArinc653Schedule,
    domain_by_handle: &dyn Fn(&[u8; 16]) -> Option<u16>,
) -> Result<Arinc653Schedule, Errno> {
    let n = usize::from(s.num_sched_entries);
    if n == 0 || n > MAX_ENTRIES {
        return Err(Errno::EINVAL);
    }
    let major_frame = Time::try_from(s.major_frame).map_err(|_| Errno::EINVAL)?;
    let mut windows = alloc::vec::Vec::with_capacity(n);
    for e in s.sched_entries.iter().take(n) {
        let runtime = Time::try_from(e.runtime).map_err(|_| Errno::EINVAL)?;
        let dom = domain_by_handle(&e.dom_handle).unwrap_or(DOMID_INVALID as u16);
        windows.push(Arinc653Window {
            dom: DomId(dom),
            handle: e.dom_handle,
            vcpu: e.vcpu_id,
            runtime,
        });
    }
    Ok(Arinc653Schedule {
        major_frame,
        windows,
    })
}

/// Fills `out` as `arinc653_sched_get` does, over a struct of `0xff` bytes.
fn arinc653_to_abi(s: &Arinc653Schedule, out: &mut XenSysctlArinc653Schedule) {
    out.as_mut_bytes().fill(0xff);
    out.major_frame = s.major_frame as u64;
    out.num_sched_entries = s.windows.len().min(MAX_ENTRIES) as u8;
    for (w, e) in s.windows.iter().zip(out.sched_entries.iter_mut()) {
        *e = XenSysctlArinc653ScheduleSchedEntriesEntry {
            dom_handle: w.handle,
            vcpu_id: w.vcpu,
            _gap0: [0xff; 4],
            runtime: w.runtime as u64,
        };
    }
}

/// Used by the tests to build a schedule struct without `unsafe` or a huge literal.
#[cfg(test)]
pub(crate) fn empty_arinc653() -> XenSysctlArinc653Schedule {
    zerocopy::FromZeros::new_zeroed()
}
