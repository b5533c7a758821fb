//! `HYPERVISOR_vcpu_op` (`public/vcpu.h`; Xen's `xen/common/domain.c` `common_vcpu_op` and
//! `xen/arch/x86/domain.c` `do_vcpu_op`): bring-up, runstate, the guest timers, moving
//! `vcpu_info`, the runstate and time areas (`domain::areas`) and NMIs.

use ferrite_abi::Errno;
use ferrite_abi::hvm::hvm_vcpu::{VCPU_HVM_MODE_32B, VCPU_HVM_MODE_64B, VcpuHvmContext};
use ferrite_abi::vcpu::{
    VcpuOp, VcpuRegisterVcpuInfo, VcpuSetPeriodicTimer, VcpuSetSingleshotTimer,
};
use ferrite_abi::xen::VIRQ_TIMER;

use super::{Guest, read_struct, write_struct};
use crate::domain::areas::{self, Addr, AreaMem};
use crate::domain::{VCPU_INFO_SIZE, runstate, timers};

pub fn vcpu_op<G: Guest>(g: &mut G, a: &[u64; 5]) -> Result<i64, Errno> {
    let cmd = u32::try_from(a[0]).map_err(|_| Errno::ENOSYS)?;
    // Xen takes the vCPU id as an `unsigned int`: the upper half of the register is ignored.
    let id = a[1] as u32;
    let arg = a[2];
    g.core().vcpu(id)?;
    let op = VcpuOp::try_from(cmd).map_err(|_| Errno::ENOSYS)?;
    let now = g.now_ns();
    let current = g.vcpu_id() == id;
    match op {
        VcpuOp::Initialise => {
            let ctx: VcpuHvmContext = read_struct(g, arg)?;
            if g.core().vcpu(id)?.initialised {
                return Err(Errno::EEXIST);
            }
            check_context(&ctx)?;
            g.initialise_vcpu(id, &ctx)?;
            g.core().vcpu_mut(id)?.initialised = true;
            Ok(0)
        }
        VcpuOp::Up => {
            let v = g.core().vcpu_mut(id)?;
            if !v.initialised {
                return Err(Errno::EINVAL);
            }
            if v.down {
                v.down = false;
                v.runstate.change(runstate::RUNNABLE, now);
                g.wake_vcpu(id);
            }
            Ok(0)
        }
        VcpuOp::Down => {
            let core = g.core();
            let others_up = core.vcpus.iter().any(|v| v.id != id && !v.down);
            if !others_up {
                // The last vCPU going down powers the domain off, as in Xen.
                g.request_shutdown(0);
                return Ok(0);
            }
            let v = core.vcpu_mut(id)?;
            if !v.down {
                v.down = true;
                v.runstate.change(runstate::OFFLINE, now);
            }
            Ok(0)
        }
        VcpuOp::IsUp => Ok(i64::from(!g.core().vcpu(id)?.down)),
        VcpuOp::GetRunstateInfo => {
            let info = g.core().vcpu(id)?.runstate.info(now);
            write_struct(g, arg, &info)?;
            Ok(0)
        }
        VcpuOp::RegisterRunstateMemoryArea => {
            let area = read_u64(g, arg)?;
            let info = g.core().vcpu(id)?.runstate.info(now);
            g.core().vcpu_mut(id)?.runstate_area = (area != 0).then_some(area);
            // As in Xen, a first copy that fails is not an error: the area may be mapped
            // later, and each update tries again.
            if area != 0 {
                let _ = write_struct(g, area, &info);
            }
            Ok(0)
        }
        VcpuOp::SetPeriodicTimer => {
            let set: VcpuSetPeriodicTimer = read_struct(g, arg)?;
            if !(timers::PERIOD_MIN_NS..=timers::PERIOD_MAX_NS).contains(&set.period_ns) {
                return Err(Errno::EINVAL);
            }
            g.core()
                .vcpu_mut(id)?
                .timers
                .set_periodic(now, set.period_ns);
            g.wake_vcpu(id);
            Ok(0)
        }
        VcpuOp::StopPeriodicTimer => {
            g.core().vcpu_mut(id)?.timers.stop_periodic();
            Ok(0)
        }
        VcpuOp::SetSingleshotTimer => {
            if !current {
                return Err(Errno::EINVAL);
            }
            let set: VcpuSetSingleshotTimer = read_struct(g, arg)?;
            // Xen 4.20 ignores VCPU_SSHOTTMR_future: a timeout already past raises the
            // event at once.
            if set.timeout_abs_ns < now {
                g.core().vcpu_mut(id)?.timers.stop_singleshot();
                g.send_virq(id, VIRQ_TIMER);
            } else {
                g.core()
                    .vcpu_mut(id)?
                    .timers
                    .set_singleshot(set.timeout_abs_ns);
            }
            Ok(0)
        }
        VcpuOp::StopSingleshotTimer => {
            if !current {
                return Err(Errno::EINVAL);
            }
            g.core().vcpu_mut(id)?.timers.stop_singleshot();
            Ok(0)
        }
        VcpuOp::RegisterVcpuInfo => register_vcpu_info(g, id, arg),
        VcpuOp::SendNmi => {
            if arg != 0 {
                return Err(Errno::EINVAL);
            }
            // Xen's `test_and_set_bool(nmi_pending)`: only a new NMI kicks the vCPU.
            let v = g.core().vcpu_mut(id)?;
            if !core::mem::replace(&mut v.nmi_pending, true) {
                g.wake_vcpu(id);
            }
            Ok(0)
        }
        VcpuOp::RegisterVcpuTimeMemoryArea => {
            let gva = read_u64(g, arg)?;
            let area = (gva != 0).then_some(gva);
            g.core().vcpu_mut(id)?.time_area = area;
            // Filled at once when the caller's page tables are the vCPU's own; the next
            // update reaches it otherwise.
            if let (Some(gva), true) = (area, current) {
                let rec = g.time_info();
                let _ = areas::write_time(&mut Mem(g), Addr::Virt(gva), &rec);
            }
            Ok(0)
        }
        VcpuOp::RegisterVcpuTimePhysArea => {
            let area = areas::phys_area(read_u64(g, arg)?, areas::TIME_SIZE)?;
            if let Some(gpa) = area {
                let rec = g.time_info();
                areas::write_time(&mut Mem(g), Addr::Phys(gpa), &rec).map_err(|_| Errno::EINVAL)?;
            }
            g.core().vcpu_mut(id)?.time_phys_area = area;
            Ok(0)
        }
        VcpuOp::RegisterRunstatePhysArea => {
            let area = areas::phys_area(read_u64(g, arg)?, areas::RUNSTATE_SIZE)?;
            if let Some(gpa) = area {
                let info = g.core().vcpu(id)?.runstate.info(now);
                areas::write_runstate(&mut Mem(g), Addr::Phys(gpa), &info, true)
                    .map_err(|_| Errno::EINVAL)?;
            }
            g.core().vcpu_mut(id)?.runstate_phys_area = area;
            Ok(0)
        }
        // Only the hardware domain's pinned vCPUs have a physical CPU to name.
        VcpuOp::GetPhysid => Err(Errno::EINVAL),
    }
}

/// The 64-bit address argument of the area registrations.
fn read_u64<G: Guest>(g: &G, arg: u64) -> Result<u64, Errno> {
    let mut b = [0u8; 8];
    g.copy_from(arg, &mut b)?;
    Ok(u64::from_le_bytes(b))
}

/// The caller's memory as an area's: virtual addresses through its page tables.
struct Mem<'a, G>(&'a mut G);

impl<G: Guest> AreaMem for Mem<'_, G> {
    fn read(&self, at: Addr, buf: &mut [u8]) -> Result<(), Errno> {
        match at {
            Addr::Phys(a) => self.0.copy_from_phys(a, buf),
            Addr::Virt(a) => self.0.copy_from(a, buf),
        }
    }
    fn write(&mut self, at: Addr, bytes: &[u8]) -> Result<(), Errno> {
        match at {
            Addr::Phys(a) => self.0.copy_to_phys(a, bytes),
            Addr::Virt(a) => self.0.copy_to(a, bytes),
        }
    }
}

/// The register-state rules Xen applies before loading a `vcpu_hvm_context`
/// (`arch_set_info_hvm_guest`): a known mode and a consistent paging setup.
fn check_context(ctx: &VcpuHvmContext) -> Result<(), Errno> {
    const CR0_PE: u64 = 1;
    const CR0_PG: u64 = 1 << 31;
    const CR4_PAE: u64 = 1 << 5;
    const EFER_LME: u64 = 1 << 8;
    match ctx.mode {
        VCPU_HVM_MODE_32B => {
            let r = ctx.cpu_regs;
            let cr0 = u64::from(r.cr0);
            if cr0 & CR0_PG != 0 && cr0 & CR0_PE == 0 {
                return Err(Errno::EINVAL);
            }
            if r.efer & EFER_LME != 0 {
                return Err(Errno::EINVAL);
            }
            Ok(())
        }
        VCPU_HVM_MODE_64B => {
            let r = ctx.x86_64();
            if r.cr0 & (CR0_PE | CR0_PG) != CR0_PE | CR0_PG
                || r.cr4 & CR4_PAE == 0
                || r.efer & EFER_LME == 0
            {
                return Err(Errno::EINVAL);
            }
            // A canonical entry point.
            let top = r.rip >> 47;
            if top != 0 && top != 0x1_ffff {
                return Err(Errno::EINVAL);
            }
            Ok(())
        }
        _ => Err(Errno::EINVAL),
    }
}

/// Moves vCPU `id`'s `vcpu_info` into a guest frame: once, inside one page, aligned, in
/// the domain's RAM; the current contents move with it (Xen's `map_guest_area`).
fn register_vcpu_info<G: Guest>(g: &mut G, id: u32, arg: u64) -> Result<i64, Errno> {
    let info: VcpuRegisterVcpuInfo = read_struct(g, arg)?;
    let gpa = info
        .mfn
        .checked_mul(4096)
        .and_then(|b| b.checked_add(u64::from(info.offset)))
        .filter(|gpa| gpa >> 12 == info.mfn)
        .ok_or(Errno::EINVAL)?;
    if g.core().vcpu(id)?.vcpu_info_gpa.is_some() {
        return Err(Errno::EBUSY);
    }
    if (gpa & 0xfff) + VCPU_INFO_SIZE > 4096 || !gpa.is_multiple_of(8) {
        return Err(Errno::ENXIO);
    }
    let mut bytes = [0u8; VCPU_INFO_SIZE as usize];
    match g.core().vcpu_info_gpa(id) {
        Some(old) => g.copy_from_phys(old, &mut bytes)?,
        // A vCPU without a slot had a dummy record with events masked.
        None => bytes[1] = 1,
    }
    g.copy_to_phys(gpa, &bytes).map_err(|_| Errno::EINVAL)?;
    g.core().vcpu_mut(id)?.vcpu_info_gpa = Some(gpa);
    // Events may have been raised in the old place: have the guest rescan everything.
    let dom = g.domid();
    let kick = g
        .events()
        .is_some_and(|ev| crate::event::resync_vcpu(ev.bits, id));
    if kick {
        g.kick(crate::event::Kick { dom, vcpu: id });
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::super::fake::*;
    use ferrite_abi::hvm::hvm_vcpu::VcpuHvmContext;
    use zerocopy::{FromZeros, IntoBytes};

    const VCPU_OP: u64 = 24;

    fn ctx64(rip: u64) -> VcpuHvmContext {
        let mut c = VcpuHvmContext::new_zeroed();
        c.mode = 1;
        let b = c.cpu_regs.as_mut_bytes();
        b[64..72].copy_from_slice(&rip.to_le_bytes());
        b[80..88].copy_from_slice(&0x8000_0011u64.to_le_bytes());
        b[96..104].copy_from_slice(&0x20u64.to_le_bytes());
        b[104..112].copy_from_slice(&0x500u64.to_le_bytes());
        c
    }

    #[test]
    fn bring_up_and_down() {
        let mut g = FakeGuest::new();
        assert_eq!(call(&mut g, VCPU_OP, [3, 1, 0, 0, 0]), 0, "vCPU 1 is down");
        assert_eq!(
            call(&mut g, VCPU_OP, [1, 1, 0, 0, 0]),
            -22,
            "up before initialise"
        );
        assert_eq!(call(&mut g, VCPU_OP, [3, 9, 0, 0, 0]), -2, "no vCPU 9");
        assert_eq!(call(&mut g, VCPU_OP, [0, 1, 0xffff_0000, 0, 0]), -14);
        g.put(0x1000, ctx64(0x10_0000).as_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [0, 1, 0x1000, 0, 0]), 0);
        assert_eq!(g.initialised.len(), 1);
        assert_eq!(call(&mut g, VCPU_OP, [0, 1, 0x1000, 0, 0]), -17, "EEXIST");
        assert_eq!(call(&mut g, VCPU_OP, [1, 1, 0, 0, 0]), 0);
        assert_eq!(g.woken, [1]);
        assert_eq!(call(&mut g, VCPU_OP, [3, 1, 0, 0, 0]), 1);
        assert_eq!(call(&mut g, VCPU_OP, [2, 1, 0, 0, 0]), 0);
        assert_eq!(call(&mut g, VCPU_OP, [3, 1, 0, 0, 0]), 0);
        assert_eq!(g.shutdown, None);
        // The last vCPU going down powers the domain off.
        assert_eq!(call(&mut g, VCPU_OP, [2, 0, 0, 0, 0]), 0);
        assert_eq!(g.shutdown, Some(0));
    }

    #[test]
    fn initialise_checks_the_context() {
        let mut g = FakeGuest::new();
        let mut c = ctx64(0x10_0000);
        c.mode = 7;
        g.put(0x1000, c.as_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [0, 1, 0x1000, 0, 0]), -22, "mode");
        g.put(0x1000, ctx64(0x8000_0000_0000).as_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [0, 1, 0x1000, 0, 0]), -22, "rip");
        let mut c = ctx64(0x1000);
        c.cpu_regs.as_mut_bytes()[96..104].fill(0);
        g.put(0x1000, c.as_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [0, 1, 0x1000, 0, 0]), -22, "no PAE");
        let mut c = VcpuHvmContext::new_zeroed();
        c.cpu_regs.cr0 = 0x11;
        g.put(0x1000, c.as_bytes());
        assert_eq!(
            call(&mut g, VCPU_OP, [0, 2, 0x1000, 0, 0]),
            0,
            "32-bit flat"
        );
        assert!(g.initialised.iter().all(|(id, _)| *id == 2));
    }

    #[test]
    fn timers() {
        let mut g = FakeGuest::new();
        g.put(0x100, &500_000u64.to_le_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [6, 0, 0x100, 0, 0]), -22, "< 1 ms");
        g.put(0x100, &10_000_000u64.to_le_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [6, 0, 0x100, 0, 0]), 0);
        assert_eq!(g.core.vcpus[0].timers.periodic_period(), Some(10_000_000));
        assert_eq!(call(&mut g, VCPU_OP, [6, 2, 0x100, 0, 0]), 0, "any vCPU");
        assert_eq!(call(&mut g, VCPU_OP, [7, 0, 0, 0, 0]), 0);
        assert_eq!(g.core.vcpus[0].timers.periodic_period(), None);
        // Single-shot: own vCPU only; a past deadline fires at once.
        let deadline = g.now + 5_000_000;
        g.put(0x200, &deadline.to_le_bytes());
        g.put(0x208, &[0; 8]);
        assert_eq!(call(&mut g, VCPU_OP, [8, 1, 0x200, 0, 0]), -22);
        assert_eq!(call(&mut g, VCPU_OP, [8, 0, 0x200, 0, 0]), 0);
        assert_eq!(g.core.vcpus[0].timers.next_deadline(), Some(deadline));
        g.put(0x200, &5u64.to_le_bytes());
        g.put(0x208, &1u32.to_le_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [8, 0, 0x200, 0, 0]), 0);
        assert_eq!(g.virqs, [(0, 0)]);
        assert_eq!(g.core.vcpus[0].timers.next_deadline(), None);
        assert_eq!(call(&mut g, VCPU_OP, [9, 1, 0, 0, 0]), -22);
        assert_eq!(call(&mut g, VCPU_OP, [9, 0, 0, 0, 0]), 0);
        assert_eq!(call(&mut g, VCPU_OP, [8, 0, 0xfff_0000, 0, 0]), -14);
    }

    #[test]
    fn runstate() {
        let mut g = FakeGuest::new();
        assert_eq!(call(&mut g, VCPU_OP, [4, 0, 0x300, 0, 0]), 0);
        let state = i32::from_le_bytes(g.mem[0x300..0x304].try_into().unwrap());
        assert_eq!(state, 1, "runnable: the fake never ran it");
        assert_eq!(call(&mut g, VCPU_OP, [4, 0, 0xfff_fff0, 0, 0]), -14);
        g.put(0x400, &0x500u64.to_le_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [5, 1, 0x400, 0, 0]), 0);
        assert_eq!(g.core.vcpus[1].runstate_area, Some(0x500));
        assert_eq!(
            i32::from_le_bytes(g.mem[0x500..0x504].try_into().unwrap()),
            3,
            "offline"
        );
    }

    #[test]
    fn register_vcpu_info() {
        let mut g = FakeGuest::new();
        g.core.shared_info_gfn = Some(2);
        g.put(0x2000 + 64, &[1, 0, 0, 0, 0, 0, 0, 0, 0xaa]);
        let reg = |mfn: u64, offset: u32| {
            let mut b = [0u8; 16];
            b[..8].copy_from_slice(&mfn.to_le_bytes());
            b[8..12].copy_from_slice(&offset.to_le_bytes());
            b
        };
        g.put(0x100, &reg(5, 4090));
        assert_eq!(
            call(&mut g, VCPU_OP, [10, 1, 0x100, 0, 0]),
            -6,
            "crosses a page"
        );
        g.put(0x100, &reg(5, 4));
        assert_eq!(call(&mut g, VCPU_OP, [10, 1, 0x100, 0, 0]), -6, "unaligned");
        g.put(0x100, &reg(u64::MAX >> 4, 0));
        assert_eq!(
            call(&mut g, VCPU_OP, [10, 1, 0x100, 0, 0]),
            -22,
            "huge frame"
        );
        g.put(0x100, &reg(0x100, 0));
        assert_eq!(call(&mut g, VCPU_OP, [10, 1, 0x100, 0, 0]), -22, "not RAM");
        g.put(0x100, &reg(5, 64));
        assert_eq!(call(&mut g, VCPU_OP, [10, 1, 0x100, 0, 0]), 0);
        assert_eq!(g.mem[0x5040], 1, "contents moved");
        assert_eq!(g.mem[0x5048], 0xaa);
        assert_eq!(g.core.vcpu_info_gpa(1), Some(0x5040));
        assert_eq!(call(&mut g, VCPU_OP, [10, 1, 0x100, 0, 0]), -16, "EBUSY");
    }

    #[test]
    fn send_nmi() {
        let mut g = FakeGuest::new();
        assert_eq!(
            call(&mut g, VCPU_OP, [11, 1, 0x100, 0, 0]),
            -22,
            "an argument"
        );
        assert_eq!(call(&mut g, VCPU_OP, [11, 9, 0, 0, 0]), -2, "no vCPU 9");
        assert_eq!(call(&mut g, VCPU_OP, [11, 1, 0, 0, 0]), 0);
        assert!(g.core.vcpus[1].nmi_pending);
        assert_eq!(g.woken, [1]);
        assert_eq!(call(&mut g, VCPU_OP, [11, 1, 0, 0, 0]), 0);
        assert_eq!(
            g.woken,
            [1],
            "a second NMI before delivery does not kick again"
        );
        assert_eq!(call(&mut g, VCPU_OP, [11, 0, 0, 0, 0]), 0, "to itself");
        assert!(g.core.vcpus[0].nmi_pending);
    }

    fn u64_at(g: &FakeGuest, at: usize) -> u64 {
        u64::from_le_bytes(g.mem[at..at + 8].try_into().unwrap())
    }

    #[test]
    fn time_areas() {
        let mut g = FakeGuest::new();
        // Physical: page-crossing and unaligned are -ENXIO, outside RAM -EINVAL.
        for (gpa, want) in [
            (0x1ff0u64, -6),
            (0x1004, -6),
            (0x10_0000, -22),
            (u64::MAX - 8, -6),
        ] {
            g.put(0x100, &gpa.to_le_bytes());
            assert_eq!(
                call(&mut g, VCPU_OP, [15, 0, 0x100, 0, 0]),
                want,
                "{gpa:#x}"
            );
        }
        assert_eq!(call(&mut g, VCPU_OP, [15, 0, 0xfff_fff0, 0, 0]), -14);
        assert_eq!(g.core.vcpus[0].time_phys_area, None);
        g.put(0x100, &0x2fe0u64.to_le_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [15, 1, 0x100, 0, 0]), 0);
        assert_eq!(g.core.vcpus[1].time_phys_area, Some(0x2fe0));
        assert_eq!(g.mem[0x2fe0], 2, "even version");
        assert_eq!(u64_at(&g, 0x2ff0), g.now, "system_time");
        // ~0 unregisters.
        g.put(0x100, &u64::MAX.to_le_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [15, 1, 0x100, 0, 0]), 0);
        assert_eq!(g.core.vcpus[1].time_phys_area, None);
        // Virtual: any address is taken; the caller's own is filled at once.
        g.put(0x100, &0x3000u64.to_le_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [13, 0, 0x100, 0, 0]), 0);
        assert_eq!(g.core.vcpus[0].time_area, Some(0x3000));
        assert_eq!(u64_at(&g, 0x3010), g.now);
        g.put(0x100, &0u64.to_le_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [13, 0, 0x100, 0, 0]), 0);
        assert_eq!(g.core.vcpus[0].time_area, None, "null unregisters");
        assert_eq!(call(&mut g, VCPU_OP, [13, 0, 0xfff_fff0, 0, 0]), -14);
    }

    #[test]
    fn runstate_phys_area() {
        let mut g = FakeGuest::new();
        g.put(0x100, &0x2fd8u64.to_le_bytes());
        assert_eq!(
            call(&mut g, VCPU_OP, [14, 1, 0x100, 0, 0]),
            -6,
            "crosses a page"
        );
        g.put(0x100, &0x2fd0u64.to_le_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [14, 1, 0x100, 0, 0]), 0);
        assert_eq!(g.core.vcpus[1].runstate_phys_area, Some(0x2fd0));
        assert_eq!(g.mem[0x2fd0], 3, "offline");
        assert_eq!(u64_at(&g, 0x2fd8) >> 63, 0, "the update flag is cleared");
        g.put(0x100, &0x10_0000u64.to_le_bytes());
        assert_eq!(call(&mut g, VCPU_OP, [14, 1, 0x100, 0, 0]), -22, "not RAM");
        assert_eq!(g.core.vcpus[1].runstate_phys_area, Some(0x2fd0), "kept");
    }

    #[test]
    fn unknown_and_unsupported() {
        let mut g = FakeGuest::new();
        assert_eq!(call(&mut g, VCPU_OP, [99, 0, 0, 0, 0]), -38);
        assert_eq!(call(&mut g, VCPU_OP, [1 << 32, 0, 0, 0, 0]), -38);
        assert_eq!(call(&mut g, VCPU_OP, [12, 0, 0x100, 0, 0]), -22);
    }
}
