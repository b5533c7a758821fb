//! XEN_DOMCTL_scheduler_op.

use ferrite_abi::Errno;
use ferrite_abi::domctl::*;
use zerocopy::{FromBytes, FromZeros, IntoBytes};

use super::pools_with;
use crate::core::SchedId;
use crate::ctl::domctl_scheduler_op::{VCPU_BATCH, domctl_scheduler_op, vcpu_array};

fn op<T: IntoBytes + zerocopy::Immutable>(
    sched: SchedId,
    cmd: u32,
    arg: &T,
) -> XenDomctlSchedulerOp {
    let mut o = XenDomctlSchedulerOp::new_zeroed();
    o.sched_id = sched as u32;
    o.cmd = cmd;
    let _ = arg.write_to_prefix(o.u.as_mut_bytes());
    o
}

fn get<T: FromBytes>(o: &XenDomctlSchedulerOp) -> T {
    T::read_from_prefix(o.u.as_bytes()).unwrap().0
}

fn credit(weight: u16, cap: u16) -> XenDomctlSchedCredit {
    XenDomctlSchedCredit { weight, cap }
}

#[test]
fn wrong_scheduler_unknown_cmd_and_unknown_domain() {
    let mut p = pools_with(SchedId::Credit2, 2, 1);
    let mut o = op(SchedId::Credit, XEN_DOMCTL_SCHEDOP_getinfo, &credit(0, 0));
    assert_eq!(
        domctl_scheduler_op(&mut p, 1, &mut o, &mut [], 0),
        Err(Errno::EINVAL)
    );
    let mut o = op(SchedId::Credit2, 7, &credit(0, 0));
    assert_eq!(
        domctl_scheduler_op(&mut p, 1, &mut o, &mut [], 0),
        Err(Errno::EINVAL)
    );
    let mut o = op(SchedId::Credit2, XEN_DOMCTL_SCHEDOP_getinfo, &credit(0, 0));
    assert_eq!(
        domctl_scheduler_op(&mut p, 9, &mut o, &mut [], 0),
        Err(Errno::ESRCH)
    );
}

#[test]
fn credit_get_put_with_unchanged_markers() {
    let mut p = pools_with(SchedId::Credit, 2, 1);
    let run = |p: &mut _, cmd, c| {
        let mut o = op(SchedId::Credit, cmd, &c);
        domctl_scheduler_op(p, 1, &mut o, &mut [], 0).map(|_| get::<XenDomctlSchedCredit>(&o))
    };
    assert_eq!(
        run(&mut p, XEN_DOMCTL_SCHEDOP_getinfo, credit(0, 0)),
        Ok(credit(256, 0))
    );
    run(&mut p, XEN_DOMCTL_SCHEDOP_putinfo, credit(512, 50)).unwrap();
    assert_eq!(
        run(&mut p, XEN_DOMCTL_SCHEDOP_getinfo, credit(0, 0)),
        Ok(credit(512, 50))
    );
    // Weight 0 and cap 0xffff leave both alone.
    run(&mut p, XEN_DOMCTL_SCHEDOP_putinfo, credit(0, 0xffff)).unwrap();
    assert_eq!(
        run(&mut p, XEN_DOMCTL_SCHEDOP_getinfo, credit(0, 0)),
        Ok(credit(512, 50))
    );
    // Cap 0 removes the cap; weight 65535 is the largest.
    run(&mut p, XEN_DOMCTL_SCHEDOP_putinfo, credit(65535, 0)).unwrap();
    assert_eq!(
        run(&mut p, XEN_DOMCTL_SCHEDOP_getinfo, credit(0, 0)),
        Ok(credit(65535, 0))
    );
    // Per-vCPU commands are not credit's.
    assert_eq!(
        run(&mut p, XEN_DOMCTL_SCHEDOP_getvcpuinfo, credit(0, 0)),
        Err(Errno::EINVAL)
    );
}

#[test]
fn credit2_cap_bound_and_removal() {
    let mut p = pools_with(SchedId::Credit2, 2, 2);
    let c2 = |weight, cap| XenDomctlSchedCredit2 { weight, cap };
    let run = |p: &mut _, cmd, c| {
        let mut o = op(SchedId::Credit2, cmd, &c);
        domctl_scheduler_op(p, 1, &mut o, &mut [], 0).map(|_| get::<XenDomctlSchedCredit2>(&o))
    };
    assert_eq!(
        run(&mut p, XEN_DOMCTL_SCHEDOP_getinfo, c2(0, 0)),
        Ok(c2(256, 0))
    );
    run(&mut p, XEN_DOMCTL_SCHEDOP_putinfo, c2(1024, 200)).unwrap();
    assert_eq!(
        run(&mut p, XEN_DOMCTL_SCHEDOP_getinfo, c2(0, 0)),
        Ok(c2(1024, 200))
    );
    // Above 100 × 2 vCPUs: rejected, and nothing (not even the weight) changes.
    assert_eq!(
        run(&mut p, XEN_DOMCTL_SCHEDOP_putinfo, c2(300, 201)),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        run(&mut p, XEN_DOMCTL_SCHEDOP_getinfo, c2(0, 0)),
        Ok(c2(1024, 200))
    );
    // Weight 0 keeps the weight; cap 0 removes the cap.
    run(&mut p, XEN_DOMCTL_SCHEDOP_putinfo, c2(0, 0)).unwrap();
    assert_eq!(
        run(&mut p, XEN_DOMCTL_SCHEDOP_getinfo, c2(0, 0)),
        Ok(c2(1024, 0))
    );
}

fn rt(period: u32, budget: u32, flags: u32) -> XenDomctlSchedRtds {
    XenDomctlSchedRtds {
        period,
        budget,
        flags,
    }
}

#[test]
fn rtds_domain_params_and_bounds() {
    let mut p = pools_with(SchedId::Rtds, 2, 2);
    let run = |p: &mut _, cmd, r| {
        let mut o = op(SchedId::Rtds, cmd, &r);
        domctl_scheduler_op(p, 1, &mut o, &mut [], 0).map(|_| get::<XenDomctlSchedRtds>(&o))
    };
    // getinfo: the defaults; flags as given.
    assert_eq!(
        run(&mut p, XEN_DOMCTL_SCHEDOP_getinfo, rt(0, 0, 6)),
        Ok(rt(10000, 4000, 6))
    );
    for bad in [rt(9, 9, 0), rt(100, 9, 0), rt(100, 101, 0), rt(0, 0, 0)] {
        assert_eq!(
            run(&mut p, XEN_DOMCTL_SCHEDOP_putinfo, bad),
            Err(Errno::EINVAL),
            "{bad:?}"
        );
    }
    run(&mut p, XEN_DOMCTL_SCHEDOP_putinfo, rt(10, 10, 0)).unwrap();
    run(
        &mut p,
        XEN_DOMCTL_SCHEDOP_putinfo,
        rt(u32::MAX, u32::MAX, 0),
    )
    .unwrap();
    run(&mut p, XEN_DOMCTL_SCHEDOP_putinfo, rt(20000, 5000, 0)).unwrap();
}

fn entry(vcpuid: u32, r: XenDomctlSchedRtds) -> XenDomctlSchedparamVcpu {
    let mut e = XenDomctlSchedparamVcpu::new_zeroed();
    e.vcpuid = vcpuid;
    let _ = r.write_to_prefix(e.u.as_mut_bytes());
    e
}

fn vop(cmd: u32, nr: u32) -> XenDomctlSchedulerOp {
    let v = XenDomctlSchedulerOpVcpus {
        vcpus: ferrite_abi::GuestHandle::from_addr(0x2000),
        nr_vcpus: nr,
        padding: 0,
    };
    op(SchedId::Rtds, cmd, &v)
}

#[test]
fn rtds_vcpu_get_put_extratime_and_errors() {
    let mut p = pools_with(SchedId::Rtds, 2, 2);
    let o = vop(XEN_DOMCTL_SCHEDOP_putvcpuinfo, 1000);
    let (h, n) = vcpu_array(&o).unwrap();
    assert_eq!((h.addr(), n), (0x2000, VCPU_BATCH));
    assert_eq!(vcpu_array(&op(SchedId::Rtds, 0, &0u32)), None);

    let mut o = vop(XEN_DOMCTL_SCHEDOP_putvcpuinfo, 2);
    let mut v = [
        entry(1, rt(2000, 500, 0)),
        entry(0, rt(3000, 1000, XEN_DOMCTL_SCHEDRT_extra)),
    ];
    domctl_scheduler_op(&mut p, 1, &mut o, &mut v, 0).unwrap();
    assert_eq!(get::<XenDomctlSchedulerOpVcpus>(&o).nr_vcpus, 2);

    let mut o = vop(XEN_DOMCTL_SCHEDOP_getvcpuinfo, 2);
    let mut v = [entry(0, rt(0, 0, 0x10)), entry(1, rt(0, 0, 0x11))];
    domctl_scheduler_op(&mut p, 1, &mut o, &mut v, 0).unwrap();
    let r = |e: &XenDomctlSchedparamVcpu| {
        XenDomctlSchedRtds::read_from_prefix(e.u.as_bytes())
            .unwrap()
            .0
    };
    // Other flag bits survive; extratime reflects the vCPU.
    assert_eq!(r(&v[0]), rt(3000, 1000, 0x10 | XEN_DOMCTL_SCHEDRT_extra));
    assert_eq!(r(&v[1]), rt(2000, 500, 0x10));

    // A vCPU that does not exist, or bad parameters: EINVAL.
    let mut o = vop(XEN_DOMCTL_SCHEDOP_getvcpuinfo, 1);
    assert_eq!(
        domctl_scheduler_op(&mut p, 1, &mut o, &mut [entry(5, rt(0, 0, 0))], 0),
        Err(Errno::EINVAL)
    );
    let mut o = vop(XEN_DOMCTL_SCHEDOP_putvcpuinfo, 1);
    assert_eq!(
        domctl_scheduler_op(&mut p, 1, &mut o, &mut [entry(0, rt(100, 200, 0))], 0),
        Err(Errno::EINVAL)
    );
    // nr_vcpus smaller than the slice: only that many are handled.
    let mut o = vop(XEN_DOMCTL_SCHEDOP_putvcpuinfo, 1);
    let mut v = [entry(0, rt(4000, 400, 0)), entry(7, rt(1, 1, 0))];
    domctl_scheduler_op(&mut p, 1, &mut o, &mut v, 0).unwrap();
    assert_eq!(get::<XenDomctlSchedulerOpVcpus>(&o).nr_vcpus, 1);
}

#[test]
fn null_and_arinc653_accept_everything_and_change_nothing() {
    for s in [SchedId::Null, SchedId::Arinc653] {
        let mut p = pools_with(s, 2, 1);
        for cmd in 0..=3 {
            let mut o = op(s, cmd, &[0xabu8; 16]);
            assert_eq!(domctl_scheduler_op(&mut p, 1, &mut o, &mut [], 0), Ok(()));
            assert_eq!(o.u.as_bytes(), &[0xab; 16]);
        }
        let mut o = op(s, 4, &0u32);
        assert_eq!(
            domctl_scheduler_op(&mut p, 1, &mut o, &mut [], 0),
            Err(Errno::EINVAL)
        );
    }
}
