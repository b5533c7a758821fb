//! `HYPERVISOR_platform_op` (`public/platform.h`; Xen's `xen/arch/x86/platform_hypercall.c`):
//! the hardware domain's platform control: the wallclock (`XENPF_settime32`/`settime64`,
//! which dom0 Linux issues as its clock is adjusted) and the physical CPUs
//! (`XENPF_get_cpuinfo`, which Linux's xen-pcpu driver walks at boot); every other command
//! is `-ENOSYS`.

use super::{Guest, read_struct, union_prefix};
use ferrite_abi::Errno;
use ferrite_abi::platform::{
    PlatformOp, XEN_PCPU_FLAGS_INVALID, XEN_PCPU_FLAGS_ONLINE, XENPF_INTERFACE_VERSION,
    XenPlatformOp, XenpfPcpuinfo, XenpfSettime32, XenpfSettime64,
};
use zerocopy::IntoBytes;

/// Offset of the command's union in `struct xen_platform_op`.
const UNION: u64 = 8;

/// `XENPF_get_cpuinfo`: fills in the CPU the caller names, or marks it invalid, and always
/// the highest present CPU; written back into the caller's union.
fn get_cpuinfo<G: Guest>(g: &mut G, op_gva: u64, op: &XenPlatformOp) -> Result<i64, Errno> {
    let mut info: XenpfPcpuinfo = union_prefix(&op.u);
    match g.pcpu(info.xen_cpuid) {
        Some(p) => {
            info.apic_id = p.apic_id;
            info.acpi_id = p.acpi_id;
            info.flags = if p.online { XEN_PCPU_FLAGS_ONLINE } else { 0 };
        }
        None => info.flags = XEN_PCPU_FLAGS_INVALID,
    }
    info.max_present = g.max_present_pcpu();
    let at = op_gva.checked_add(UNION).ok_or(Errno::EFAULT)?;
    g.copy_to(at, info.as_bytes())?;
    Ok(0)
}

/// The wallclock at system time 0 (Xen's `do_settime`): `secs.nsecs` was the time of day at
/// system time `system_time`.
fn wallclock_base(secs: u64, nsecs: u32, system_time: u64) -> (u64, u32) {
    let at = u128::from(secs) * 1_000_000_000 + u128::from(nsecs);
    let base = at.saturating_sub(u128::from(system_time));
    ((base / 1_000_000_000) as u64, (base % 1_000_000_000) as u32)
}

pub fn platform_op<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let op: XenPlatformOp = read_struct(g, a[0])?;
    if op.interface_version != XENPF_INTERFACE_VERSION {
        return Err(Errno::EACCES);
    }
    if !g.privileged() {
        return Err(Errno::EPERM);
    }
    let (secs, nsecs, system_time) = match PlatformOp::try_from(op.cmd) {
        Ok(PlatformOp::GetCpuinfo) => return get_cpuinfo(g, a[0], &op),
        Ok(PlatformOp::Settime32) => {
            let t: XenpfSettime32 = union_prefix(&op.u);
            (u64::from(t.secs), t.nsecs, t.system_time)
        }
        Ok(PlatformOp::Settime64) => {
            let t: XenpfSettime64 = union_prefix(&op.u);
            if t.mbz != 0 {
                return Err(Errno::EINVAL);
            }
            (t.secs, t.nsecs, t.system_time)
        }
        _ => return Err(Errno::ENOSYS),
    };
    let (sec, nsec) = wallclock_base(secs, nsecs, system_time);
    g.set_wallclock(sec, nsec);
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;

    fn op(cmd: u32, version: u32, sub: &[u8]) -> [u8; 136] {
        let mut b = [0u8; 136];
        b[..4].copy_from_slice(&cmd.to_le_bytes());
        b[4..8].copy_from_slice(&version.to_le_bytes());
        b[8..8 + sub.len()].copy_from_slice(sub);
        b
    }

    fn settime64(secs: u64, nsecs: u32, mbz: u32, system_time: u64) -> [u8; 24] {
        let mut b = [0u8; 24];
        b[..8].copy_from_slice(&secs.to_le_bytes());
        b[8..12].copy_from_slice(&nsecs.to_le_bytes());
        b[12..16].copy_from_slice(&mbz.to_le_bytes());
        b[16..].copy_from_slice(&system_time.to_le_bytes());
        b
    }

    #[test]
    fn settime_sets_the_wallclock_base() {
        let mut g = FakeGuest::new();
        // 1000.25 s of wallclock at 250 ms of system time: the base is exactly 1000 s.
        g.put(
            0x100,
            &op(
                0x3e,
                0x0300_0001,
                &settime64(1000, 250_000_000, 0, 250_000_000),
            ),
        );
        assert_eq!(call(&mut g, 7, [0x100, 0, 0, 0, 0]), 0);
        assert_eq!(g.wallclock, Some((1000, 0)));
        let mut t32 = [0u8; 16];
        t32[..4].copy_from_slice(&5u32.to_le_bytes());
        t32[4..8].copy_from_slice(&7u32.to_le_bytes());
        g.put(0x100, &op(0x11, 0x0300_0001, &t32));
        assert_eq!(call(&mut g, 7, [0x100, 0, 0, 0, 0]), 0);
        assert_eq!(g.wallclock, Some((5, 7)));
        // A system time beyond the wallclock cannot wrap.
        g.put(0x100, &op(0x3e, 0x0300_0001, &settime64(1, 0, 0, u64::MAX)));
        assert_eq!(call(&mut g, 7, [0x100, 0, 0, 0, 0]), 0);
        assert_eq!(g.wallclock, Some((0, 0)));
    }

    /// `XENPF_get_cpuinfo` (0x37): the union's `xenpf_pcpuinfo` comes back filled in.
    #[test]
    fn get_cpuinfo_reports_each_pcpu() {
        let mut g = FakeGuest::new();
        let info = |g: &FakeGuest| -> [u32; 5] {
            core::array::from_fn(|i| {
                let at = 0x108 + 4 * i;
                u32::from_le_bytes(g.mem[at..at + 4].try_into().unwrap())
            })
        };
        for (cpu, want) in [(0u32, [0, 1, 1, 0, 1]), (1, [1, 1, 0, 2, 3])] {
            g.put(
                0x100,
                &op(0x37, 0x0300_0001, &[cpu as u8, 0, 0, 0, 0xff, 0xff]),
            );
            assert_eq!(call(&mut g, 7, [0x100, 0, 0, 0, 0]), 0);
            // xen_cpuid, max_present, flags (ONLINE = 1), apic_id, acpi_id.
            assert_eq!(info(&g), want, "pCPU {cpu}");
        }
        // Past the last: INVALID (2), max_present still reported.
        g.put(0x100, &op(0x37, 0x0300_0001, &[9]));
        assert_eq!(call(&mut g, 7, [0x100, 0, 0, 0, 0]), 0);
        assert_eq!(info(&g)[..3], [9, 1, 2]);
        // An unreachable buffer is -EFAULT.
        assert_eq!(call(&mut g, 7, [0xffff_ff00, 0, 0, 0, 0]), -14);
    }

    #[test]
    fn checks() {
        let mut g = FakeGuest::new();
        g.put(0x100, &op(0x3e, 0x0300_0001, &settime64(1, 0, 1, 0)));
        assert_eq!(call(&mut g, 7, [0x100, 0, 0, 0, 0]), -22, "mbz");
        g.put(0x100, &op(0x3e, 0x0300_0000, &settime64(1, 0, 0, 0)));
        assert_eq!(
            call(&mut g, 7, [0x100, 0, 0, 0, 0]),
            -13,
            "interface version"
        );
        g.put(0x100, &op(1, 0x0300_0001, &[]));
        assert_eq!(call(&mut g, 7, [0x100, 0, 0, 0, 0]), -38, "other commands");
        assert_eq!(call(&mut g, 7, [0xffff_ff00, 0, 0, 0, 0]), -14);
        g.privileged = false;
        g.put(0x100, &op(0x3e, 0x0300_0001, &settime64(1, 0, 0, 0)));
        assert_eq!(call(&mut g, 7, [0x100, 0, 0, 0, 0]), -1, "domU");
    }
}
