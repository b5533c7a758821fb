//! `HYPERVISOR_sched_op` (`public/sched.h`; Xen's `xen/common/sched/core.c` `do_sched_op`).

use ferrite_abi::Errno;
use ferrite_abi::sched::{SchedOp, ShutdownReason};

use ferrite_abi::sched::SchedPoll;

use super::{Guest, read_struct};
use crate::domain::Poll;

/// The most ports one `SCHEDOP_poll` may name (Xen's limit).
const POLL_MAX_PORTS: u32 = 128;

/// `SCHEDOP_poll`: returns at once if a named port is pending; otherwise the vCPU blocks
/// (the run loop wakes it for a named port, any upcall, or the timeout) and the call returns
/// 0 when it runs again.
fn poll<G: Guest>(g: &mut G, arg: u64) -> Result<i64, Errno> {
    let p: SchedPoll = read_struct(g, arg)?;
    if p.nr_ports > POLL_MAX_PORTS {
        return Err(Errno::EINVAL);
    }
    let mut ports = alloc::vec::Vec::with_capacity(p.nr_ports as usize);
    for i in 0..u64::from(p.nr_ports) {
        let at = p.ports.elem(i).ok_or(Errno::EFAULT)?.addr();
        ports.push(read_u32(g, at)?);
    }
    let ev = g.events().ok_or(Errno::ENOSYS)?;
    let valid = ev.channels.valid_ports();
    if ports.iter().any(|&port| port >= valid) {
        return Err(Errno::EINVAL);
    }
    if ports.iter().any(|&port| ev.bits.is_pending(port)) {
        return Ok(0);
    }
    let id = g.vcpu_id();
    let now = g.now_ns();
    let v = g.core().vcpu_mut(id)?;
    if p.timeout != 0 && p.timeout <= now {
        return Ok(0);
    }
    v.poll = Some(Poll {
        ports,
        deadline: (p.timeout != 0).then_some(p.timeout),
    });
    v.blocked = true;
    Ok(0)
}

fn read_u32<G: Guest>(g: &G, gva: u64) -> Result<u32, Errno> {
    let mut b = [0u8; 4];
    g.copy_from(gva, &mut b)?;
    Ok(u32::from_le_bytes(b))
}

pub fn sched_op<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let cmd = u32::try_from(a[0]).map_err(|_| Errno::ENOSYS)?;
    match SchedOp::try_from(cmd).map_err(|_| Errno::ENOSYS)? {
        SchedOp::Yield => {
            let id = g.vcpu_id();
            g.core().vcpu_mut(id)?.yield_now = true;
            Ok(0)
        }
        SchedOp::Block => {
            // The run loop puts the vCPU to sleep unless an event is already waiting.
            let id = g.vcpu_id();
            g.core().vcpu_mut(id)?.blocked = true;
            Ok(0)
        }
        SchedOp::Shutdown => {
            let reason = read_u32(g, a[1])?;
            ShutdownReason::try_from(reason).map_err(|_| Errno::EINVAL)?;
            g.request_shutdown(reason);
            Ok(0)
        }
        SchedOp::ShutdownCode => {
            let reason = read_u32(g, a[1])?;
            ShutdownReason::try_from(reason).map_err(|_| Errno::EINVAL)?;
            g.set_shutdown_code(reason);
            Ok(0)
        }
        SchedOp::RemoteShutdown => {
            if !g.privileged() {
                return Err(Errno::EPERM);
            }
            let mut b = [0u8; 8];
            g.copy_from(a[1], &mut b)?;
            let domid = u16::from_le_bytes([b[0], b[1]]);
            let reason = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
            ShutdownReason::try_from(reason).map_err(|_| Errno::EINVAL)?;
            if domid == g.domid() {
                g.request_shutdown(reason);
                Ok(0)
            } else {
                // Only one domain exists until domain creation lands.
                Err(Errno::ESRCH)
            }
        }
        SchedOp::Poll => poll(g, a[1]),
        SchedOp::Watchdog | SchedOp::PinOverride => Err(Errno::ENOSYS),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;

    #[test]
    fn shutdown_reasons() {
        let mut g = FakeGuest::new();
        assert_eq!(call(&mut g, 29, [0, 0, 0, 0, 0]), 0, "yield");
        g.put(0x200, &3u32.to_le_bytes());
        assert_eq!(call(&mut g, 29, [2, 0x200, 0, 0, 0]), 0);
        assert_eq!(g.shutdown, Some(3));
        g.put(0x200, &99u32.to_le_bytes());
        assert_eq!(call(&mut g, 29, [2, 0x200, 0, 0, 0]), -22, "unknown reason");
        assert_eq!(
            call(&mut g, 29, [2, 0xffff_0000, 0, 0, 0]),
            -14,
            "bad pointer"
        );
        g.put(0x200, &1u32.to_le_bytes());
        assert_eq!(call(&mut g, 29, [5, 0x200, 0, 0, 0]), 0);
        assert_eq!(g.code, Some(1));
        assert_eq!(call(&mut g, 29, [42, 0, 0, 0, 0]), -38);
    }

    #[test]
    fn remote_shutdown() {
        let mut g = FakeGuest::new();
        g.put(0x300, &[5, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(call(&mut g, 29, [4, 0x300, 0, 0, 0]), -3, "no domain 5");
        g.put(0x300, &[0, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(call(&mut g, 29, [4, 0x300, 0, 0, 0]), 0);
        assert_eq!(g.shutdown, Some(1));
        g.privileged = false;
        assert_eq!(call(&mut g, 29, [4, 0x300, 0, 0, 0]), -1);
    }

    fn sched_poll(ports_at: u64, nr: u32, timeout: u64) -> [u8; 24] {
        let mut b = [0u8; 24];
        b[..8].copy_from_slice(&ports_at.to_le_bytes());
        b[8..12].copy_from_slice(&nr.to_le_bytes());
        b[16..].copy_from_slice(&timeout.to_le_bytes());
        b
    }

    #[test]
    fn poll() {
        use crate::event::Bitmaps;
        let mut g = FakeGuest::new();
        let port = g.chans.bind_ipi(0).unwrap();
        g.put(0x300, &port.to_le_bytes());
        // Nothing pending: the vCPU blocks with the wait recorded.
        g.put(0x200, &sched_poll(0x300, 1, g.now + 1000));
        assert_eq!(call(&mut g, 29, [3, 0x200, 0, 0, 0]), 0);
        let v = &g.core.vcpus[0];
        assert!(v.blocked);
        assert_eq!(v.poll.as_ref().map(|p| p.ports.clone()), Some(vec![port]));
        assert_eq!(v.poll.as_ref().and_then(|p| p.deadline), Some(g.now + 1000));
        // Pending (even masked): returns at once, no block.
        g.core.vcpus[0].blocked = false;
        g.bits.test_and_set_pending(port);
        assert_eq!(call(&mut g, 29, [3, 0x200, 0, 0, 0]), 0);
        assert!(!g.core.vcpus[0].blocked);
        // A timeout already past returns at once too.
        g.put(0x200, &sched_poll(0x300, 0, 5));
        assert_eq!(call(&mut g, 29, [3, 0x200, 0, 0, 0]), 0);
        assert!(!g.core.vcpus[0].blocked);
        // Bad input.
        g.put(0x200, &sched_poll(0x300, 129, 0));
        assert_eq!(call(&mut g, 29, [3, 0x200, 0, 0, 0]), -22, "too many ports");
        g.put(0x300, &5000u32.to_le_bytes());
        g.put(0x200, &sched_poll(0x300, 1, 0));
        assert_eq!(call(&mut g, 29, [3, 0x200, 0, 0, 0]), -22, "no such port");
        g.put(0x200, &sched_poll(0xffff_fff0, 1, 0));
        assert_eq!(call(&mut g, 29, [3, 0x200, 0, 0, 0]), -14);
        assert_eq!(call(&mut g, 29, [3, 0xffff_fff0, 0, 0, 0]), -14);
    }
}
