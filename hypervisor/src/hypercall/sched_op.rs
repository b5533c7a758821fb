//! `HYPERVISOR_sched_op` (`public/sched.h`; Xen's `xen/common/sched/core.c` `do_sched_op`).

use ferrite_abi::Errno;
use ferrite_abi::sched::{SchedOp, ShutdownReason};

use super::Guest;

fn read_u32<G: Guest>(g: &G, gva: u64) -> Result<u32, Errno> {
    let mut b = [0u8; 4];
    g.copy_from(gva, &mut b)?;
    Ok(u32::from_le_bytes(b))
}

pub fn sched_op<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let cmd = u32::try_from(a[0]).map_err(|_| Errno::ENOSYS)?;
    match SchedOp::try_from(cmd).map_err(|_| Errno::ENOSYS)? {
        SchedOp::Yield => Ok(0),
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
        SchedOp::Poll | SchedOp::Watchdog | SchedOp::PinOverride => Err(Errno::ENOSYS),
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
}
