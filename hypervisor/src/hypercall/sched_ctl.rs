//! `HYPERVISOR_domctl` and `HYPERVISOR_sysctl` for the scheduling sub-ops
//! (`public/domctl.h`: `XEN_DOMCTL_scheduler_op`, `XEN_DOMCTL_{set,get}vcpuaffinity`;
//! `public/sysctl.h`: `XEN_SYSCTL_scheduler_op`, `XEN_SYSCTL_cpupool_op`; Xen's
//! `xen/common/domctl.c` and `sysctl.c`). The header checks (interface version, privilege,
//! domain) and the guest-memory copies live here; the policy is `ferrite_sched::ctl`.
//! Every other domctl and sysctl answers `-ENOSYS`.

use alloc::vec::Vec;

use ferrite_abi::Errno;
use ferrite_abi::domctl::{
    DomctlOp, XEN_DOMCTL_INTERFACE_VERSION, XenDomctl, XenDomctlSchedparamVcpu,
    XenDomctlSchedulerOp, XenDomctlVcpuaffinity,
};
use ferrite_abi::sysctl::{
    SysctlOp, XEN_SYSCTL_INTERFACE_VERSION, XenSysctl, XenSysctlArinc653Schedule,
    XenSysctlCpupoolOp, XenSysctlSchedulerOp,
};
use ferrite_abi::xen::XenctlBitmap;
use ferrite_sched::ctl::{self, GuestBitmap};
use zerocopy::IntoBytes;

use super::{Guest, read_struct, union_prefix, write_struct};

fn to_union<T: IntoBytes + zerocopy::Immutable>(u: &mut [u64; 16], v: &T) {
    let b = v.as_bytes();
    if let Some(dst) = u.as_mut_bytes().get_mut(..b.len()) {
        dst.copy_from_slice(b);
    }
}

/// Copies a map's bytes out to the guest: the bytes, then the zero fill.
fn put_bitmap<G: Guest>(g: &mut G, map: &XenctlBitmap, out: &GuestBitmap) -> Result<(), Errno> {
    let mut bytes = out.bytes.clone();
    bytes.resize(out.bytes.len() + out.zero_fill, 0);
    if bytes.is_empty() {
        return Ok(());
    }
    g.copy_to(map.bitmap.addr(), &bytes)
}

fn get_bitmap<G: Guest>(g: &G, map: &XenctlBitmap, nr_cpus: u32) -> Result<Vec<u8>, Errno> {
    let mut bytes = alloc::vec![0u8; ctl::bitmap::input_len(map.nr_bits, nr_cpus)];
    if !bytes.is_empty() {
        g.copy_from(map.bitmap.addr(), &mut bytes)?;
    }
    Ok(bytes)
}

pub fn domctl<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let arg = a[0];
    let mut d: XenDomctl = read_struct(g, arg)?;
    if d.interface_version != XEN_DOMCTL_INTERFACE_VERSION {
        return Err(Errno::EACCES);
    }
    if !g.privileged() {
        return Err(Errno::EPERM);
    }
    let cmd = DomctlOp::try_from(d.cmd).map_err(|_| Errno::ENOSYS)?;
    // Only one domain exists until domain creation lands.
    if d.domain != g.domid() {
        return Err(Errno::ESRCH);
    }
    let domid = d.domain;
    let max_vcpus = g.core().vcpus.len() as u32;
    let now = g.now_ns() as i64;
    let r = match cmd {
        DomctlOp::SchedulerOp => {
            let mut op: XenDomctlSchedulerOp = union_prefix(&d.u);
            let mut vcpus: Vec<XenDomctlSchedparamVcpu> = Vec::new();
            let array = ctl::domctl_scheduler_op::vcpu_array(&op);
            if let Some((h, n)) = array {
                for i in 0..u64::from(n) {
                    let at = h.elem(i).ok_or(Errno::EFAULT)?.addr();
                    vcpus.push(read_struct(g, at)?);
                }
            }
            let pools = g.sched_pools().ok_or(Errno::ENOSYS)?;
            let r = ctl::domctl_scheduler_op::domctl_scheduler_op(
                pools, domid, &mut op, &mut vcpus, now,
            );
            if r.is_ok()
                && let Some((h, _)) = array
            {
                for (i, v) in vcpus.iter().enumerate() {
                    let at = h.elem(i as u64).ok_or(Errno::EFAULT)?.addr();
                    write_struct(g, at, v)?;
                }
            }
            to_union(&mut d.u, &op);
            r
        }
        DomctlOp::Setvcpuaffinity | DomctlOp::Getvcpuaffinity => {
            let op: XenDomctlVcpuaffinity = union_prefix(&d.u);
            let nr_cpus = g.sched_pools().ok_or(Errno::ENOSYS)?.nr_cpus();
            let maps = if cmd == DomctlOp::Setvcpuaffinity {
                use ferrite_abi::domctl::{XEN_VCPUAFFINITY_HARD, XEN_VCPUAFFINITY_SOFT};
                let hard = if op.flags & XEN_VCPUAFFINITY_HARD != 0 {
                    get_bitmap(g, &op.cpumap_hard, nr_cpus)?
                } else {
                    Vec::new()
                };
                let soft = if op.flags & XEN_VCPUAFFINITY_SOFT != 0 {
                    get_bitmap(g, &op.cpumap_soft, nr_cpus)?
                } else {
                    Vec::new()
                };
                let pools = g.sched_pools().ok_or(Errno::ENOSYS)?;
                ctl::vcpuaffinity::set_vcpu_affinity(
                    pools, domid, max_vcpus, &op, &hard, &soft, now,
                )
            } else {
                let pools = g.sched_pools().ok_or(Errno::ENOSYS)?;
                ctl::vcpuaffinity::get_vcpu_affinity(pools, domid, max_vcpus, &op)
            };
            match maps {
                Ok(m) => {
                    if let Some(h) = &m.hard {
                        put_bitmap(g, &op.cpumap_hard, h)?;
                    }
                    if let Some(s) = &m.soft {
                        put_bitmap(g, &op.cpumap_soft, s)?;
                    }
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
        _ => return Err(Errno::ENOSYS),
    };
    // Xen copies the struct back for these sub-ops, errors included.
    write_struct(g, arg, &d)?;
    r.map(|()| 0)
}

pub fn sysctl<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let arg = a[0];
    let mut s: XenSysctl = read_struct(g, arg)?;
    if s.interface_version != XEN_SYSCTL_INTERFACE_VERSION {
        return Err(Errno::EACCES);
    }
    if !g.privileged() {
        return Err(Errno::EPERM);
    }
    let cmd = SysctlOp::try_from(s.cmd).map_err(|_| Errno::ENOSYS)?;
    let caller = g.domid();
    let now = g.now_ns() as i64;
    let r = match cmd {
        SysctlOp::SchedulerOp => {
            let mut op: XenSysctlSchedulerOp = union_prefix(&s.u);
            let handle = ctl::sysctl_scheduler_op::arinc653_schedule(&op);
            let mut sched: Option<XenSysctlArinc653Schedule> = match handle {
                Some(h) => Some(read_struct(g, h.addr())?),
                None => None,
            };
            // dom0's handle (the domain UUID) is all zeros.
            let by_handle = |h: &[u8; 16]| (*h == [0; 16]).then_some(0u16);
            let pools = g.sched_pools().ok_or(Errno::ENOSYS)?;
            let r = ctl::sysctl_scheduler_op::sysctl_scheduler_op(
                pools,
                &mut op,
                sched.as_mut(),
                &by_handle,
                now,
            );
            if r.is_ok()
                && let (Some(h), Some(sched)) = (handle, &sched)
            {
                write_struct(g, h.addr(), sched)?;
            }
            to_union(&mut s.u, &op);
            r
        }
        SysctlOp::CpupoolOp => {
            let mut op: XenSysctlCpupoolOp = union_prefix(&s.u);
            let pools = g.sched_pools().ok_or(Errno::ENOSYS)?;
            let r = ctl::cpupool_op::cpupool_op(pools, &mut op, caller, now);
            let r = match r {
                Ok(Some(map)) => put_bitmap(g, &op.cpumap, &map),
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            };
            to_union(&mut s.u, &op);
            r
        }
        _ => return Err(Errno::ENOSYS),
    };
    write_struct(g, arg, &s)?;
    r.map(|()| 0)
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;

    const DOMCTL: u64 = 36;
    const SYSCTL: u64 = 35;

    /// A `xen_domctl` with `cmd`, `version`, `domain` and the sub-op's first bytes.
    fn domctl(cmd: u32, version: u32, domain: u16, sub: &[u8]) -> [u8; 144] {
        let mut b = [0u8; 144];
        b[..4].copy_from_slice(&cmd.to_le_bytes());
        b[4..8].copy_from_slice(&version.to_le_bytes());
        b[8..10].copy_from_slice(&domain.to_le_bytes());
        b[16..16 + sub.len()].copy_from_slice(sub);
        b
    }

    fn credit2(cmd: u32, weight: u16, cap: u16) -> [u8; 24] {
        let mut b = [0u8; 24];
        b[..4].copy_from_slice(&6u32.to_le_bytes());
        b[4..8].copy_from_slice(&cmd.to_le_bytes());
        b[8..10].copy_from_slice(&weight.to_le_bytes());
        b[10..12].copy_from_slice(&cap.to_le_bytes());
        b
    }

    #[test]
    fn domctl_header_checks() {
        let mut g = FakeGuest::new();
        g.put(0x1000, &domctl(0x10, 0x16, 0, &credit2(1, 0, 0)));
        assert_eq!(
            call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]),
            -13,
            "old interface"
        );
        g.put(0x1000, &domctl(0x10, 0x17, 5, &credit2(1, 0, 0)));
        assert_eq!(
            call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]),
            -3,
            "no domain 5"
        );
        g.put(0x1000, &domctl(1, 0x17, 0, &[]));
        assert_eq!(
            call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]),
            -38,
            "createdomain"
        );
        assert_eq!(call(&mut g, DOMCTL, [0xffff_f000, 0, 0, 0, 0]), -14);
        g.privileged = false;
        g.put(0x1000, &domctl(0x10, 0x17, 1, &credit2(1, 0, 0)));
        assert_eq!(call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]), -1, "domU");
    }

    #[test]
    fn credit2_weight_round_trip() {
        let mut g = FakeGuest::new();
        g.put(0x1000, &domctl(0x10, 0x17, 0, &credit2(1, 0, 0)));
        assert_eq!(call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]), 0);
        assert_eq!(
            g.mem[0x1018..0x101a],
            256u16.to_le_bytes(),
            "default weight"
        );
        g.put(0x1000, &domctl(0x10, 0x17, 0, &credit2(0, 512, 0)));
        assert_eq!(call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]), 0);
        g.put(0x1000, &domctl(0x10, 0x17, 0, &credit2(1, 0, 0)));
        assert_eq!(call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]), 0);
        assert_eq!(g.mem[0x1018..0x101a], 512u16.to_le_bytes());
        // A cap above 100 % per vCPU is refused.
        g.put(0x1000, &domctl(0x10, 0x17, 0, &credit2(0, 0, 401)));
        assert_eq!(call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]), -22);
        // The wrong scheduler for the domain's pool.
        let mut op = credit2(1, 0, 0);
        op[0] = 5;
        g.put(0x1000, &domctl(0x10, 0x17, 0, &op));
        assert_eq!(call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]), -22);
    }

    #[test]
    fn vcpu_affinity_maps() {
        let mut g = FakeGuest::new();
        // getvcpuaffinity(vCPU 0, hard): an 8-bit map at 0x2000.
        let mut aff = [0u8; 40];
        aff[4..8].copy_from_slice(&1u32.to_le_bytes());
        aff[8..16].copy_from_slice(&0x2000u64.to_le_bytes());
        aff[16..20].copy_from_slice(&8u32.to_le_bytes());
        g.put(0x1000, &domctl(0x19, 0x17, 0, &aff));
        assert_eq!(call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]), 0);
        assert_eq!(g.mem[0x2000], 0b11, "both pCPUs of the pool");
        // setvcpuaffinity(vCPU 0, hard = {pCPU 1}).
        g.put(0x2000, &[0b10]);
        g.put(0x1000, &domctl(9, 0x17, 0, &aff));
        assert_eq!(call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]), 0);
        g.put(0x2000, &[0]);
        g.put(0x1000, &domctl(0x19, 0x17, 0, &aff));
        assert_eq!(call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]), 0);
        assert_eq!(g.mem[0x2000], 0b10);
        // An empty hard affinity is refused; a bad map address faults.
        g.put(0x2000, &[0]);
        g.put(0x1000, &domctl(9, 0x17, 0, &aff));
        assert_eq!(call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]), -22);
        aff[8..16].copy_from_slice(&0xffff_fff0_0000u64.to_le_bytes());
        g.put(0x1000, &domctl(9, 0x17, 0, &aff));
        assert_eq!(call(&mut g, DOMCTL, [0x1000, 0, 0, 0, 0]), -14);
    }

    #[test]
    fn sysctl_cpupool_info() {
        let mut g = FakeGuest::new();
        let mut b = [0u8; 136];
        b[..4].copy_from_slice(&0x12u32.to_le_bytes());
        b[4..8].copy_from_slice(&0x15u32.to_le_bytes());
        // cpupool_op INFO (3) of pool 0, map of 8 bits at 0x3000.
        b[8..12].copy_from_slice(&3u32.to_le_bytes());
        b[32..40].copy_from_slice(&0x3000u64.to_le_bytes());
        b[40..44].copy_from_slice(&8u32.to_le_bytes());
        g.put(0x1000, &b);
        assert_eq!(call(&mut g, SYSCTL, [0x1000, 0, 0, 0, 0]), 0);
        assert_eq!(g.mem[0x3000], 0b11);
        let sched_id = u32::from_le_bytes(g.mem[0x1010..0x1014].try_into().unwrap());
        assert_eq!(sched_id, 6, "credit2");
        b[4..8].copy_from_slice(&0x14u32.to_le_bytes());
        g.put(0x1000, &b);
        assert_eq!(call(&mut g, SYSCTL, [0x1000, 0, 0, 0, 0]), -13);
        b[..4].copy_from_slice(&1u32.to_le_bytes());
        b[4..8].copy_from_slice(&0x15u32.to_le_bytes());
        g.put(0x1000, &b);
        assert_eq!(
            call(&mut g, SYSCTL, [0x1000, 0, 0, 0, 0]),
            -38,
            "readconsole"
        );
    }
}
