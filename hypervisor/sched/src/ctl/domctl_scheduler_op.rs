//! `XEN_DOMCTL_scheduler_op` (`public/domctl.h`; Xen: `sched_adjust` in `common/sched/core.c`,
//! `csched_dom_cntl` in `credit.c`, `csched2_dom_cntl` in `credit2.c`, `rt_dom_cntl` in `rt.c`).
//!
//! # Caller
//! Copy `struct xen_domctl_scheduler_op` in. For `XEN_DOMCTL_SCHEDOP_{get,put}vcpuinfo`,
//! [`vcpu_array`] names the guest array and how many entries to copy in (at most
//! [`VCPU_BATCH`]; Xen's preemption point); pass them as `vcpus` (an empty slice otherwise).
//! Afterwards copy the op back (always, errors included, like Xen's `copyback`) and, for
//! getvcpuinfo, the `vcpus` entries back to the same guest array (entries not reached are
//! unchanged). `u.v.nr_vcpus` then says how many were done; the toolstack calls again for the
//! rest, as libxc does after a preemption.
//!
//! # Semantics kept from Xen
//! - A `sched_id` other than the domain's pool's scheduler, or an unknown `cmd`, is `EINVAL`.
//! - null and ARINC653 have no per-domain hook: every command succeeds and changes nothing.
//! - credit: weight 0 leaves the weight as it is, cap `0xffff` leaves the cap; any other cap is
//!   taken (0 is "no cap"). The ABI's `uint16_t` makes a weight above 65535 unrepresentable.
//! - credit2: weight 0 leaves the weight; cap 0 removes the cap; a cap above 100 × the
//!   domain's vCPUs is `EINVAL`. Xen stores the weight before it rejects such a cap; Ferrite
//!   rejects the whole put (nothing changes on an error).
//! - RTDS: getinfo returns the defaults (10000 µs / 4000 µs) and leaves `flags` as given;
//!   putinfo sets every vCPU's period and budget and ignores `flags`. Period 10 µs ..=
//!   `STIME_DELTA_MAX`, budget 10 µs ..= period, else `EINVAL`; a vCPU id that does not exist
//!   is `EINVAL`. Only the vCPU commands read or write `XEN_DOMCTL_SCHEDRT_extra`.
//!   The other RTDS flag bits are kept as the caller passed them.

use ferrite_abi::domctl::{
    XEN_DOMCTL_SCHEDOP_getinfo, XEN_DOMCTL_SCHEDOP_getvcpuinfo, XEN_DOMCTL_SCHEDOP_putinfo,
    XEN_DOMCTL_SCHEDOP_putvcpuinfo, XEN_DOMCTL_SCHEDRT_extra, XenDomctlSchedCredit,
    XenDomctlSchedCredit2, XenDomctlSchedRtds, XenDomctlSchedparamVcpu, XenDomctlSchedulerOp,
    XenDomctlSchedulerOpVcpus,
};
use ferrite_abi::{Errno, GuestHandle};
use zerocopy::{FromBytes, IntoBytes};

use crate::core::{
    Credit2Params, CreditParams, DomId, DomOp, DomParams, RtdsParams, SchedId, Time,
};
use crate::cpupool::CpuPools;

// Upper-case aliases, so the commands can be match patterns.
const GETINFO: u32 = XEN_DOMCTL_SCHEDOP_getinfo;
const PUTINFO: u32 = XEN_DOMCTL_SCHEDOP_putinfo;

/// vCPU entries handled per call (Xen checks for preemption after 64).
pub const VCPU_BATCH: u32 = 64;

/// The credit put's "leave the cap unchanged" value (`(uint16_t)~0U`).
pub const CREDIT_CAP_UNCHANGED: u16 = u16::MAX;

/// Reads the union member `T` from the start of `bytes`.
pub(crate) fn read_union<T: FromBytes>(bytes: &[u8]) -> T {
    T::read_from_prefix(bytes).map_or_else(|_| T::new_zeroed(), |(v, _)| v)
}

/// Writes `v` over the start of `bytes` (the rest of the union is left alone).
pub(crate) fn write_union<T: IntoBytes + zerocopy::Immutable>(bytes: &mut [u8], v: &T) {
    // The unions are larger than any member; a failure would only leave the bytes as they were.
    let _ = v.write_to_prefix(bytes);
}

/// For the vCPU commands: the guest array and how many entries to copy in (`min(nr_vcpus,
/// VCPU_BATCH)`). `None` for the other commands.
pub fn vcpu_array(
    op: &XenDomctlSchedulerOp,
) -> Option<(GuestHandle<XenDomctlSchedparamVcpu>, u32)> {
    if op.cmd != XEN_DOMCTL_SCHEDOP_getvcpuinfo && op.cmd != XEN_DOMCTL_SCHEDOP_putvcpuinfo {
        return None;
    }
    let v: XenDomctlSchedulerOpVcpus = read_union(op.u.as_bytes());
    Some((v.vcpus, v.nr_vcpus.min(VCPU_BATCH)))
}

/// `XEN_DOMCTL_scheduler_op` on domain `domid` (which the caller has looked up). See the module
/// doc for what is copied in and out.
pub fn domctl_scheduler_op(
    pools: &mut CpuPools,
    domid: u16,
    op: &mut XenDomctlSchedulerOp,
    vcpus: &mut [XenDomctlSchedparamVcpu],
    now: Time,
) -> Result<(), Errno> {
    let dom = DomId(domid);
    let pool = pools.pool_of_domain(dom).ok_or(Errno::ESRCH)?;
    let sched = pools.info(pool).map_err(|_| Errno::ESRCH)?.sched;
    if op.sched_id != sched as u32 {
        return Err(Errno::EINVAL);
    }
    let cmd = op.cmd;
    if cmd > XEN_DOMCTL_SCHEDOP_getvcpuinfo {
        return Err(Errno::EINVAL);
    }
    match sched {
        SchedId::Null | SchedId::Arinc653 => Ok(()),
        SchedId::Credit => credit(pools, dom, op, now),
        SchedId::Credit2 => credit2(pools, dom, op, now),
        SchedId::Rtds if cmd == XEN_DOMCTL_SCHEDOP_getinfo || cmd == XEN_DOMCTL_SCHEDOP_putinfo => {
            rtds(pools, dom, op, now)
        }
        SchedId::Rtds => rtds_vcpus(pools, dom, op, vcpus, now),
    }
}

fn credit(
    pools: &mut CpuPools,
    dom: DomId,
    op: &mut XenDomctlSchedulerOp,
    now: Time,
) -> Result<(), Errno> {
    match op.cmd {
        GETINFO => {
            if let DomParams::Credit(p) =
                pools.adjust_domain(dom, SchedId::Credit, DomOp::GetInfo, now)?
            {
                let out = XenDomctlSchedCredit {
                    weight: p.weight as u16,
                    cap: p.cap.unwrap_or(0) as u16,
                };
                write_union(op.u.as_mut_bytes(), &out);
            }
            Ok(())
        }
        PUTINFO => {
            let p: XenDomctlSchedCredit = read_union(op.u.as_bytes());
            let put = CreditParams {
                weight: p.weight.into(),
                cap: (p.cap != CREDIT_CAP_UNCHANGED).then_some(p.cap.into()),
            };
            let op = DomOp::PutInfo(DomParams::Credit(put));
            pools
                .adjust_domain(dom, SchedId::Credit, op, now)
                .map(|_| ())
        }
        _ => Err(Errno::EINVAL),
    }
}

fn credit2(
    pools: &mut CpuPools,
    dom: DomId,
    op: &mut XenDomctlSchedulerOp,
    now: Time,
) -> Result<(), Errno> {
    match op.cmd {
        GETINFO => {
            if let DomParams::Credit2(p) =
                pools.adjust_domain(dom, SchedId::Credit2, DomOp::GetInfo, now)?
            {
                let out = XenDomctlSchedCredit2 {
                    weight: p.weight as u16,
                    cap: p.cap as u16,
                };
                write_union(op.u.as_mut_bytes(), &out);
            }
            Ok(())
        }
        PUTINFO => {
            let p: XenDomctlSchedCredit2 = read_union(op.u.as_bytes());
            let put = Credit2Params {
                weight: p.weight.into(),
                cap: p.cap.into(),
            };
            let op = DomOp::PutInfo(DomParams::Credit2(put));
            pools
                .adjust_domain(dom, SchedId::Credit2, op, now)
                .map(|_| ())
        }
        _ => Err(Errno::EINVAL),
    }
}

fn rtds_params(p: &XenDomctlSchedRtds) -> RtdsParams {
    RtdsParams {
        period_us: p.period.into(),
        budget_us: p.budget.into(),
        extratime: p.flags & XEN_DOMCTL_SCHEDRT_extra != 0,
    }
}

fn rtds(
    pools: &mut CpuPools,
    dom: DomId,
    op: &mut XenDomctlSchedulerOp,
    now: Time,
) -> Result<(), Errno> {
    let mut p: XenDomctlSchedRtds = read_union(op.u.as_bytes());
    if op.cmd == XEN_DOMCTL_SCHEDOP_putinfo {
        let put = DomOp::PutInfo(DomParams::Rtds(rtds_params(&p)));
        return pools
            .adjust_domain(dom, SchedId::Rtds, put, now)
            .map(|_| ());
    }
    if let DomParams::Rtds(d) = pools.adjust_domain(dom, SchedId::Rtds, DomOp::GetInfo, now)? {
        p.period = d.period_us as u32;
        p.budget = d.budget_us as u32;
        write_union(op.u.as_mut_bytes(), &p);
    }
    Ok(())
}

fn rtds_vcpus(
    pools: &mut CpuPools,
    dom: DomId,
    op: &mut XenDomctlSchedulerOp,
    vcpus: &mut [XenDomctlSchedparamVcpu],
    now: Time,
) -> Result<(), Errno> {
    let mut v: XenDomctlSchedulerOpVcpus = read_union(op.u.as_bytes());
    let n = (v.nr_vcpus as usize).min(vcpus.len());
    let get = op.cmd == XEN_DOMCTL_SCHEDOP_getvcpuinfo;
    for e in vcpus.iter_mut().take(n) {
        let mut p: XenDomctlSchedRtds = read_union(e.u.as_bytes());
        if get {
            let got = pools.adjust_domain(dom, SchedId::Rtds, DomOp::GetVcpuInfo(e.vcpuid), now)?;
            if let DomParams::Rtds(d) = got {
                p.period = d.period_us as u32;
                p.budget = d.budget_us as u32;
                if d.extratime {
                    p.flags |= XEN_DOMCTL_SCHEDRT_extra;
                } else {
                    p.flags &= !XEN_DOMCTL_SCHEDRT_extra;
                }
                write_union(e.u.as_mut_bytes(), &p);
            }
        } else {
            let put = DomOp::PutVcpuInfo(e.vcpuid, rtds_params(&p));
            pools.adjust_domain(dom, SchedId::Rtds, put, now)?;
        }
    }
    v.nr_vcpus = n as u32;
    write_union(op.u.as_mut_bytes(), &v);
    Ok(())
}
