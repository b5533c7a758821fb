//! XEN_SYSCTL_scheduler_op.

use ferrite_abi::Errno;
use ferrite_abi::sysctl::*;
use zerocopy::{FromBytes, FromZeros, IntoBytes};

use super::pools_with;
use crate::core::SchedId;
use crate::ctl::sysctl_scheduler_op::{arinc653_schedule, empty_arinc653, sysctl_scheduler_op};

fn op<T: IntoBytes + zerocopy::Immutable>(
    pool: u32,
    sched: SchedId,
    cmd: u32,
    arg: &T,
) -> XenSysctlSchedulerOp {
    let mut o = XenSysctlSchedulerOp::new_zeroed();
    o.cpupool_id = pool;
    o.sched_id = sched as u32;
    o.cmd = cmd;
    let _ = arg.write_to_prefix(o.u.as_mut_bytes());
    o
}

fn no_handles(_: &[u8; 16]) -> Option<u16> {
    None
}

fn credit(tslice_ms: u32, ratelimit_us: u32, vcpu_migr_delay_us: u32) -> XenSysctlCreditSchedule {
    XenSysctlCreditSchedule {
        tslice_ms,
        ratelimit_us,
        vcpu_migr_delay_us,
    }
}

#[test]
fn generic_errors() {
    let mut p = pools_with(SchedId::Credit2, 2, 0);
    let c2 = XenSysctlCredit2Schedule { ratelimit_us: 0 };
    for (o, e) in [
        (op(0, SchedId::Credit2, 2, &c2), Errno::EINVAL),
        (
            op(7, SchedId::Credit2, XEN_SYSCTL_SCHEDOP_getinfo, &c2),
            Errno::ESRCH,
        ),
        (
            op(0, SchedId::Credit, XEN_SYSCTL_SCHEDOP_getinfo, &c2),
            Errno::EINVAL,
        ),
    ] {
        let mut o = o;
        assert_eq!(
            sysctl_scheduler_op(&mut p, &mut o, None, &no_handles, 0),
            Err(e)
        );
    }
}

#[test]
fn credit_global_bounds_and_answer() {
    let mut p = pools_with(SchedId::Credit, 2, 0);
    let run = |p: &mut _, cmd, c| {
        let mut o = op(0, SchedId::Credit, cmd, &c);
        sysctl_scheduler_op(p, &mut o, None, &no_handles, 0).map(|_| {
            XenSysctlCreditSchedule::read_from_prefix(o.u.as_bytes())
                .unwrap()
                .0
        })
    };
    assert_eq!(
        run(&mut p, XEN_SYSCTL_SCHEDOP_getinfo, credit(0, 0, 0)),
        Ok(credit(30, 1000, 0))
    );
    for bad in [
        credit(0, 0, 0),
        credit(1001, 0, 0),
        credit(10, 99, 0),
        credit(10, 500_001, 0),
        credit(1, 1001, 0),
        credit(10, 0, 100_001),
    ] {
        assert_eq!(
            run(&mut p, XEN_SYSCTL_SCHEDOP_putinfo, bad),
            Err(Errno::EINVAL),
            "{bad:?}"
        );
    }
    assert_eq!(
        run(&mut p, XEN_SYSCTL_SCHEDOP_putinfo, credit(1, 1000, 100_000)),
        Ok(credit(1, 1000, 100_000))
    );
    assert_eq!(
        run(&mut p, XEN_SYSCTL_SCHEDOP_putinfo, credit(1000, 0, 0)),
        Ok(credit(1000, 0, 0))
    );
}

#[test]
fn credit2_global_ratelimit() {
    let mut p = pools_with(SchedId::Credit2, 2, 0);
    let run = |p: &mut _, cmd, r| {
        let mut o = op(
            0,
            SchedId::Credit2,
            cmd,
            &XenSysctlCredit2Schedule { ratelimit_us: r },
        );
        sysctl_scheduler_op(p, &mut o, None, &no_handles, 0).map(|_| {
            XenSysctlCredit2Schedule::read_from_prefix(o.u.as_bytes())
                .unwrap()
                .0
                .ratelimit_us
        })
    };
    assert_eq!(run(&mut p, XEN_SYSCTL_SCHEDOP_getinfo, 0), Ok(1000));
    assert_eq!(
        run(&mut p, XEN_SYSCTL_SCHEDOP_putinfo, 99),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        run(&mut p, XEN_SYSCTL_SCHEDOP_putinfo, 500_001),
        Err(Errno::EINVAL)
    );
    assert_eq!(run(&mut p, XEN_SYSCTL_SCHEDOP_putinfo, 0), Ok(0));
    assert_eq!(run(&mut p, XEN_SYSCTL_SCHEDOP_putinfo, 100), Ok(100));
}

#[test]
fn rtds_and_null_have_no_global_parameters() {
    for s in [SchedId::Rtds, SchedId::Null] {
        let mut p = pools_with(s, 2, 0);
        for cmd in [XEN_SYSCTL_SCHEDOP_putinfo, XEN_SYSCTL_SCHEDOP_getinfo] {
            let mut o = op(0, s, cmd, &[0x5au8; 16]);
            assert_eq!(
                sysctl_scheduler_op(&mut p, &mut o, None, &no_handles, 0),
                Ok(())
            );
            assert_eq!(o.u.as_bytes(), &[0x5a; 16]);
        }
    }
}

fn schedule(major: u64, entries: &[([u8; 16], u32, u64)]) -> XenSysctlArinc653Schedule {
    let mut s = empty_arinc653();
    s.major_frame = major;
    s.num_sched_entries = entries.len() as u8;
    for (e, &(h, v, r)) in s.sched_entries.iter_mut().zip(entries) {
        e.dom_handle = h;
        e.vcpu_id = v;
        e.runtime = r;
    }
    s
}

#[test]
fn arinc653_schedule_put_get_and_errors() {
    let mut p = pools_with(SchedId::Arinc653, 1, 1);
    let h1 = [1u8; 16];
    let h9 = [9u8; 16];
    let by_handle = |h: &[u8; 16]| (h == &[1u8; 16]).then_some(1u16);
    let handle = XenSysctlSchedArinc653 {
        schedule: ferrite_abi::GuestHandle::from_addr(0x3000),
    };
    let put = |p: &mut _, s: &mut XenSysctlArinc653Schedule| {
        let mut o = op(0, SchedId::Arinc653, XEN_SYSCTL_SCHEDOP_putinfo, &handle);
        sysctl_scheduler_op(p, &mut o, Some(s), &by_handle, 0)
    };
    let o = op(0, SchedId::Arinc653, XEN_SYSCTL_SCHEDOP_putinfo, &handle);
    assert_eq!(arinc653_schedule(&o).map(|h| h.addr()), Some(0x3000));
    assert_eq!(arinc653_schedule(&op(0, SchedId::Credit, 0, &handle)), None);
    let ms = 1_000_000u64;
    for mut bad in [
        schedule(0, &[(h1, 0, ms)]),
        schedule(10 * ms, &[]),
        schedule(10 * ms, &[(h1, 0, 0)]),
        schedule(10 * ms, &[(h1, 0, 6 * ms), (h9, 0, 5 * ms)]),
        schedule(u64::MAX, &[(h1, 0, ms)]),
        schedule(10 * ms, &[(h1, 0, u64::MAX)]),
    ] {
        assert_eq!(put(&mut p, &mut bad), Err(Errno::EINVAL));
    }
    let mut too_many = schedule(100 * ms, &[(h1, 0, ms)]);
    too_many.num_sched_entries = 65;
    assert_eq!(put(&mut p, &mut too_many), Err(Errno::EINVAL));
    let mut o = op(0, SchedId::Arinc653, XEN_SYSCTL_SCHEDOP_putinfo, &handle);
    assert_eq!(
        sysctl_scheduler_op(&mut p, &mut o, None, &by_handle, 0),
        Err(Errno::EFAULT)
    );

    // A window for a handle that names no domain is kept (it idles).
    let mut good = schedule(10 * ms, &[(h1, 0, 4 * ms), (h9, 3, 5 * ms)]);
    put(&mut p, &mut good).unwrap();
    let mut out = XenSysctlArinc653Schedule::new_zeroed();
    let mut o = op(0, SchedId::Arinc653, XEN_SYSCTL_SCHEDOP_getinfo, &handle);
    sysctl_scheduler_op(&mut p, &mut o, Some(&mut out), &by_handle, 0).unwrap();
    assert_eq!(out.major_frame, 10 * ms);
    assert_eq!(out.num_sched_entries, 2);
    let e = &out.sched_entries;
    assert_eq!(
        (e[0].dom_handle, e[0].vcpu_id, e[0].runtime),
        (h1, 0, 4 * ms)
    );
    assert_eq!(
        (e[1].dom_handle, e[1].vcpu_id, e[1].runtime),
        (h9, 3, 5 * ms)
    );
    // Unused entries read as 0xff bytes, as Xen's memset leaves them.
    assert!(e[2].as_bytes().iter().all(|b| *b == 0xff));
}
