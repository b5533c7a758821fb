//! XEN_SYSCTL_cpupool_op.

use ferrite_abi::Errno;
use ferrite_abi::sysctl::*;
use zerocopy::FromZeros;

use super::{map, pools_with};
use crate::core::{DomId, SchedId};
use crate::ctl::GuestBitmap;
use crate::ctl::cpupool_op::cpupool_op;

fn cp(op: u32, pool: u32) -> XenSysctlCpupoolOp {
    let mut o = XenSysctlCpupoolOp::new_zeroed();
    o.op = op;
    o.cpupool_id = pool;
    o.cpumap = map(8);
    o
}

fn run(p: &mut crate::CpuPools, o: &mut XenSysctlCpupoolOp) -> Result<Option<GuestBitmap>, Errno> {
    cpupool_op(p, o, 0, 0)
}

fn bits(b: u8) -> Option<GuestBitmap> {
    Some(GuestBitmap {
        bytes: vec![b],
        zero_fill: 0,
    })
}

#[test]
fn create_destroy_info_freeinfo() {
    let mut p = pools_with(SchedId::Credit2, 4, 1);
    let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_CREATE, XEN_SYSCTL_CPUPOOL_PAR_ANY);
    o.sched_id = SchedId::Null as u32;
    assert_eq!(run(&mut p, &mut o), Ok(None));
    assert_eq!(o.cpupool_id, 1);
    let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_CREATE, 1);
    o.sched_id = SchedId::Rtds as u32;
    assert_eq!(run(&mut p, &mut o), Err(Errno::EEXIST));
    let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_CREATE, 5);
    o.sched_id = 4;
    assert_eq!(run(&mut p, &mut o), Err(Errno::ENOENT), "no such scheduler");
    o.sched_id = SchedId::Rtds as u32;
    assert_eq!(run(&mut p, &mut o), Ok(None));
    assert_eq!(o.cpupool_id, 5);

    // INFO walks pools by "next id at or above".
    let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_INFO, 0);
    assert_eq!(run(&mut p, &mut o), Ok(bits(0x0f)));
    assert_eq!(
        (o.cpupool_id, o.sched_id, o.n_dom),
        (0, SchedId::Credit2 as u32, 1)
    );
    let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_INFO, 2);
    assert_eq!(run(&mut p, &mut o), Ok(bits(0)));
    assert_eq!((o.cpupool_id, o.sched_id), (5, SchedId::Rtds as u32));
    let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_INFO, 6);
    assert_eq!(run(&mut p, &mut o), Err(Errno::ENOENT));

    let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0);
    o.cpu = 3;
    assert_eq!(run(&mut p, &mut o), Ok(None));
    let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, 0);
    o.cpumap = map(32);
    assert_eq!(
        run(&mut p, &mut o),
        Ok(Some(GuestBitmap {
            bytes: vec![0x08],
            zero_fill: 3
        }))
    );

    assert_eq!(
        run(&mut p, &mut cp(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 9)),
        Err(Errno::ENOENT)
    );
    assert_eq!(
        run(&mut p, &mut cp(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 0)),
        Err(Errno::EBUSY)
    );
    assert_eq!(
        run(&mut p, &mut cp(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 5)),
        Ok(None)
    );
    assert_eq!(run(&mut p, &mut cp(99, 0)), Err(Errno::ENOSYS));
}

#[test]
fn addcpu_rmcpu_errors() {
    let mut p = pools_with(SchedId::Credit2, 4, 1);
    let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_CREATE, 1);
    o.sched_id = SchedId::Credit as u32;
    run(&mut p, &mut o).unwrap();
    let cpu_op = |op, pool, cpu| {
        let mut o = cp(op, pool);
        o.cpu = cpu;
        o
    };
    let any = XEN_SYSCTL_CPUPOOL_PAR_ANY;
    for (mut o, e) in [
        (cpu_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 7, 1), Errno::ENOENT),
        (cpu_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1, 4), Errno::EINVAL),
        (cpu_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1, 1), Errno::ENODEV),
        (cpu_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1, any), Errno::ENODEV),
        (cpu_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 7, 1), Errno::ENOENT),
        (cpu_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, 0), Errno::EINVAL),
        (cpu_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, 4), Errno::EINVAL),
        (
            cpu_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 1, 2),
            Errno::EADDRNOTAVAIL,
        ),
        (cpu_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 1, any), Errno::EINVAL),
    ] {
        assert_eq!(run(&mut p, &mut o), Err(e), "{o:?}");
    }
    // "Any" removes the pool's last pCPU and adds the first free one.
    assert_eq!(
        run(&mut p, &mut cpu_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, any)),
        Ok(None)
    );
    assert_eq!(p.free_cpus(), &crate::CpuMask::single(3));
    assert_eq!(
        run(&mut p, &mut cpu_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1, any)),
        Ok(None)
    );
    assert_eq!(p.pool_of_cpu(3), Some(1));
    // The last pCPU of a pool with a domain stays.
    p.create_domain(DomId(2), 1).unwrap();
    assert_eq!(
        run(&mut p, &mut cpu_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 1, 3)),
        Err(Errno::EBUSY)
    );
}

#[test]
fn movedomain_errors_and_move() {
    let mut p = pools_with(SchedId::Credit2, 4, 2);
    let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_CREATE, 1);
    o.sched_id = SchedId::Null as u32;
    run(&mut p, &mut o).unwrap();
    let mv = |dom, pool| {
        let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, pool);
        o.domid = dom;
        o
    };
    assert_eq!(run(&mut p, &mut mv(9, 1)), Err(Errno::ESRCH));
    assert_eq!(run(&mut p, &mut mv(0x1_0001, 1)), Err(Errno::ESRCH));
    assert_eq!(cpupool_op(&mut p, &mut mv(1, 1), 1, 0), Err(Errno::EPERM));
    assert_eq!(
        run(&mut p, &mut mv(1, 1)),
        Err(Errno::ENOENT),
        "pool without pCPUs"
    );
    assert_eq!(run(&mut p, &mut mv(1, 4)), Err(Errno::ENOENT));
    assert_eq!(run(&mut p, &mut mv(1, 0)), Ok(None), "already there");
    let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0);
    o.cpu = 3;
    run(&mut p, &mut o).unwrap();
    let mut o = cp(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1);
    o.cpu = 3;
    run(&mut p, &mut o).unwrap();
    assert_eq!(run(&mut p, &mut mv(1, 1)), Ok(None));
    assert_eq!(p.pool_of_domain(DomId(1)), Some(1));
    assert_eq!(p.info(1).unwrap().n_dom, 1);
}
