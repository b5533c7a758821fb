//! `XEN_SYSCTL_cpupool_op` (`public/sysctl.h`; Xen: `cpupool_do_sysctl` in
//! `common/sched/cpupool.c`).
//!
//! # Caller
//! Copy `struct xen_sysctl_cpupool_op` in, call [`cpupool_op`] with the calling domain's id, and
//! copy the op back (CREATE and INFO answer in it). INFO and FREEINFO also return a
//! [`GuestBitmap`] for `op.cpumap.bitmap` (sized from `op.cpumap.nr_bits`). After RMCPU the run
//! loop of the removed pCPU must stop running guests (it idles from then on); around MOVEDOMAIN
//! the caller pauses the domain and waits until its vCPUs are descheduled, as Xen's
//! `sched_move_domain` does.
//!
//! # Errors, as Xen's code gives them
//! `ENOENT` no such pool (or MOVEDOMAIN to a pool without pCPUs); `EEXIST` CREATE of a taken id;
//! `ENOENT` CREATE with an unknown scheduler; `ENOSPC` more than 2 × pCPUs pools; `EBUSY`
//! DESTROY of a pool with domains or pCPUs, RMCPU of the last pCPU of a pool with domains;
//! `EINVAL` a pCPU number out of range, pCPU 0 out of pool 0, RMCPU "any" on an empty pool;
//! `ENODEV` ADDCPU of a pCPU that is not free (or "any" with none free); `EADDRNOTAVAIL` RMCPU of
//! a pCPU not in the pool; `ESRCH` MOVEDOMAIN of an unknown domain, `EPERM` of the caller itself;
//! `ENOSYS` an unknown op.

use ferrite_abi::Errno;
use ferrite_abi::sysctl::{
    XEN_SYSCTL_CPUPOOL_OP_ADDCPU, XEN_SYSCTL_CPUPOOL_OP_CREATE, XEN_SYSCTL_CPUPOOL_OP_DESTROY,
    XEN_SYSCTL_CPUPOOL_OP_FREEINFO, XEN_SYSCTL_CPUPOOL_OP_INFO, XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN,
    XEN_SYSCTL_CPUPOOL_OP_RMCPU, XEN_SYSCTL_CPUPOOL_PAR_ANY, XenSysctlCpupoolOp,
};

use super::bitmap::{GuestBitmap, cpumask_to_guest};
use crate::core::{DomId, Time};
use crate::cpupool::CpuPools;

fn any(v: u32) -> Option<u32> {
    (v != XEN_SYSCTL_CPUPOOL_PAR_ANY).then_some(v)
}

/// `XEN_SYSCTL_cpupool_op`, issued by domain `caller`. Returns the map to write to
/// `op.cpumap` for INFO and FREEINFO.
pub fn cpupool_op(
    pools: &mut CpuPools,
    op: &mut XenSysctlCpupoolOp,
    caller: u16,
    now: Time,
) -> Result<Option<GuestBitmap>, Errno> {
    let nr_bits = op.cpumap.nr_bits;
    match op.op {
        XEN_SYSCTL_CPUPOOL_OP_CREATE => {
            op.cpupool_id = pools.create(any(op.cpupool_id), op.sched_id)?;
            Ok(None)
        }
        XEN_SYSCTL_CPUPOOL_OP_DESTROY => pools.destroy(op.cpupool_id).map(|_| None),
        XEN_SYSCTL_CPUPOOL_OP_INFO => {
            let info = pools.info_next(op.cpupool_id)?;
            op.cpupool_id = info.id;
            op.sched_id = info.sched as u32;
            op.n_dom = info.n_dom;
            Ok(Some(cpumask_to_guest(&info.cpus, nr_bits, pools.nr_cpus())))
        }
        XEN_SYSCTL_CPUPOOL_OP_ADDCPU => {
            pools.add_cpu(op.cpupool_id, any(op.cpu), now).map(|_| None)
        }
        XEN_SYSCTL_CPUPOOL_OP_RMCPU => pools.rm_cpu(op.cpupool_id, any(op.cpu), now).map(|_| None),
        XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN => {
            // `rcu_lock_remote_domain_by_id`: unknown is ESRCH, the caller itself EPERM.
            let dom = u16::try_from(op.domid).map_err(|_| Errno::ESRCH)?;
            if pools.pool_of_domain(DomId(dom)).is_none() {
                return Err(Errno::ESRCH);
            }
            if dom == caller {
                return Err(Errno::EPERM);
            }
            pools
                .move_domain(DomId(dom), op.cpupool_id, now)
                .map(|_| None)
        }
        XEN_SYSCTL_CPUPOOL_OP_FREEINFO => Ok(Some(cpumask_to_guest(
            pools.free_cpus(),
            nr_bits,
            pools.nr_cpus(),
        ))),
        _ => Err(Errno::ENOSYS),
    }
}
