//! Hypercall dispatch (Xen's `xen/include/hypercall-defs.c` table and the handlers it names).
//!
//! Each handler sees the calling vCPU only through [`Guest`]: argument memory through
//! checked copies, side effects through requests. A number or sub-op Ferrite does not
//! implement is `-ENOSYS`; bad arguments get Xen's errno.

mod console_io;
mod event_channel_op;
mod hvm_op;
mod memory_op;
mod multicall;
mod platform_op;
mod reservation;
mod sched_ctl;
mod sched_op;
mod timer_op;
mod vcpu_op;
mod vm_assist;
mod xen_version;

use ferrite_abi::Errno;
use ferrite_abi::hvm::hvm_vcpu::VcpuHvmContext;
use ferrite_abi::xen::Hypercall;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use crate::domain::DomainCore;

/// A hypercall as the guest made it: the number and up to five arguments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub nr: u64,
    pub a: [u64; 5],
}

/// What a hypercall handler may reach of the caller and of Ferrite.
pub trait Guest {
    fn domid(&self) -> u16;
    /// The hardware domain (dom0).
    fn privileged(&self) -> bool;
    /// Copies from guest-virtual memory (`-EFAULT` on a bad address).
    fn copy_from(&self, gva: u64, buf: &mut [u8]) -> Result<(), Errno>;
    /// Copies to guest-virtual memory.
    fn copy_to(&mut self, gva: u64, bytes: &[u8]) -> Result<(), Errno>;
    /// Guest console output.
    fn console_write(&mut self, bytes: &[u8]);
    /// The domain asks to shut down (`SHUTDOWN_*`).
    fn request_shutdown(&mut self, reason: u32);
    /// The domain records its shutdown code (`SCHEDOP_shutdown_code`).
    fn set_shutdown_code(&mut self, reason: u32);
    /// Ferrite's own command line (`XENVER_commandline`, dom0 only).
    fn hypervisor_cmdline(&self) -> &[u8];
    /// The highest host RAM page (`XENMEM_maximum_ram_page`).
    fn max_ram_page(&self) -> u64;
    /// Pages now, the most it may have, and its highest guest frame number.
    fn reservation(&self) -> (u64, u64, u64);
    /// The domain's memory map: `(address, size, e820 type)`.
    fn memory_map(&self) -> alloc::vec::Vec<(u64, u64, u32)>;
    /// Maps the shared-info page at guest frame `gpfn`.
    fn map_shared_info(&mut self, gpfn: u64) -> Result<(), Errno>;
    /// The calling vCPU.
    fn vcpu_id(&self) -> u32;
    /// Xen system time (ns since boot).
    fn now_ns(&self) -> u64;
    /// The domain's policy state.
    fn core(&mut self) -> &mut DomainCore;
    /// Whether the caller runs 64-bit code (selects the native or compat layouts).
    fn long_mode(&self) -> bool;
    /// Copies from guest-physical memory (`-EFAULT` outside the domain's memory).
    fn copy_from_phys(&self, gpa: u64, buf: &mut [u8]) -> Result<(), Errno>;
    /// Copies to guest-physical memory.
    fn copy_to_phys(&mut self, gpa: u64, bytes: &[u8]) -> Result<(), Errno>;
    /// Gives vCPU `id` the register state in `ctx` (`VCPUOP_initialise`); the caller
    /// checked that it exists and is not initialised.
    fn initialise_vcpu(&mut self, id: u32, ctx: &VcpuHvmContext) -> Result<(), Errno>;
    /// Raises a per-vCPU VIRQ (`VIRQ_TIMER`, ...) on vCPU `id`.
    fn send_virq(&mut self, id: u32, virq: u32);
    /// vCPU `id` has new work (brought up, woken): make its pCPU notice.
    fn wake_vcpu(&mut self, id: u32);
    /// The caller's event channels, 2-level bitmaps and the other domains; `None` until the
    /// domain has them (event-channel hypercalls then answer `-ENOSYS`).
    fn events(&mut self) -> Option<crate::event::Events<'_>>;
    /// Notifies a vCPU that an event was delivered: inject the callback vector, or IPI the
    /// pCPU running it (`kick.dom` may be another domain after an interdomain send).
    fn kick(&mut self, kick: crate::event::Kick);
    /// The cpupools and their schedulers (domctl/sysctl scheduling sub-ops); `None` where
    /// this build has none.
    fn sched_pools(&mut self) -> Option<&mut ferrite_sched::CpuPools>;
    /// Takes guest frame `gfn` out of the domain (`XENMEM_decrease_reservation`); `Err` if
    /// it has no memory there.
    fn remove_page(&mut self, gfn: u64) -> Result<(), Errno>;
    /// Gives the domain a zeroed frame at `gfn` (`XENMEM_populate_physmap`), within its
    /// maximum reservation.
    fn populate_page(&mut self, gfn: u64) -> Result<(), Errno>;
    /// Sets the wallclock at system time 0 (`XENPF_settime*`), which every domain's
    /// shared_info reports.
    fn set_wallclock(&mut self, sec: u64, nsec: u32);
    /// A time record for now, as `vcpu_info.time` holds it (its version is the writer's).
    fn time_info(&self) -> ferrite_abi::xen::VcpuTimeInfo;
    /// Physical CPU `cpu` (Ferrite's numbering), if present.
    fn pcpu(&self, cpu: u32) -> Option<Pcpu> {
        let _ = cpu;
        None
    }
    /// The highest present physical CPU number.
    fn max_present_pcpu(&self) -> u32 {
        0
    }
}

/// What `XENPF_get_cpuinfo` reports of a physical CPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pcpu {
    pub apic_id: u32,
    pub acpi_id: u32,
    pub online: bool,
}

/// Reads a `T` from guest-virtual memory.
pub(crate) fn read_struct<G: Guest + ?Sized, T: FromBytes + IntoBytes>(
    g: &G,
    gva: u64,
) -> Result<T, Errno> {
    let mut v = T::new_zeroed();
    g.copy_from(gva, v.as_mut_bytes())?;
    Ok(v)
}

/// The sub-op struct at the start of a `u` union (domctl, sysctl, platform_op).
pub(crate) fn union_prefix<T: FromBytes + IntoBytes>(u: &[u64; 16]) -> T {
    T::read_from_prefix(u.as_bytes()).map_or_else(|_| T::new_zeroed(), |(v, _)| v)
}

/// Writes a `T` to guest-virtual memory.
pub(crate) fn write_struct<G: Guest + ?Sized, T: IntoBytes + Immutable>(
    g: &mut G,
    gva: u64,
    v: &T,
) -> Result<(), Errno> {
    g.copy_to(gva, v.as_bytes())
}

/// What the caller must do after the hypercall.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Write this value (a result, or `-errno`) to the result register and step over the
    /// hypercall instruction.
    Completed(i64),
}

/// Which hypercalls a PVH guest may make, and their handlers.
type Handler<G> = fn(&mut G, &[u64; 5]) -> Result<i64, Errno>;

fn handler<G: Guest>(nr: u64) -> Option<Handler<G>> {
    let nr = u32::try_from(nr).ok()?;
    match Hypercall::try_from(nr).ok()? {
        Hypercall::XenVersion => Some(xen_version::xen_version::<G>),
        Hypercall::ConsoleIo => Some(console_io::console_io::<G>),
        Hypercall::SchedOp => Some(sched_op::sched_op::<G>),
        Hypercall::MemoryOp => Some(memory_op::memory_op::<G>),
        Hypercall::VcpuOp => Some(vcpu_op::vcpu_op::<G>),
        Hypercall::HvmOp => Some(hvm_op::hvm_op::<G>),
        Hypercall::SetTimerOp => Some(timer_op::set_timer_op::<G>),
        Hypercall::Multicall => Some(multicall::multicall::<G>),
        Hypercall::Domctl => Some(sched_ctl::domctl::<G>),
        Hypercall::PlatformOp => Some(platform_op::platform_op::<G>),
        Hypercall::Sysctl => Some(sched_ctl::sysctl::<G>),
        Hypercall::EventChannelOp => Some(event_channel_op::event_channel_op::<G>),
        Hypercall::VmAssist => Some(vm_assist::vm_assist::<G>),
        _ => None,
    }
}

/// Runs one hypercall.
pub fn dispatch<G: Guest>(g: &mut G, args: &Args) -> Outcome {
    let r = match handler::<G>(args.nr) {
        Some(h) => h(g, &args.a),
        None => Err(Errno::ENOSYS),
    };
    Outcome::Completed(match r {
        Ok(v) => v,
        Err(e) => e.to_ret(),
    })
}

#[cfg(any(test, feature = "fuzzing"))]
pub mod fake {
    //! A guest for host tests and the hypercall fuzz target: flat memory at guest-virtual =
    //! guest-physical.
    use super::*;
    use crate::event::{Channels, Events, Kick, MemBitmaps, PeerList};
    use alloc::vec;
    use alloc::vec::Vec;

    pub struct FakeGuest {
        pub mem: Vec<u8>,
        pub console: Vec<u8>,
        pub shutdown: Option<u32>,
        pub code: Option<u32>,
        pub privileged: bool,
        pub shared_info_gpfn: Option<u64>,
        pub core: DomainCore,
        pub vcpu: u32,
        pub now: u64,
        pub long_mode: bool,
        pub virqs: Vec<(u32, u32)>,
        pub woken: Vec<u32>,
        pub pools: ferrite_sched::CpuPools,
        /// Frames given back with `XENMEM_decrease_reservation`.
        pub absent: alloc::collections::BTreeSet<u64>,
        pub wallclock: Option<(u64, u32)>,
        pub initialised: Vec<(u32, VcpuHvmContext)>,
        /// Event channels of this guest (dom0, 2 vCPUs) and of one other domain (dom1).
        pub chans: Channels,
        pub bits: MemBitmaps,
        pub peers: PeerList<MemBitmaps>,
        pub kicks: Vec<Kick>,
        /// Whether `events()` answers.
        pub wired: bool,
    }

    impl Default for FakeGuest {
        fn default() -> FakeGuest {
            FakeGuest::new()
        }
    }

    impl FakeGuest {
        pub fn new() -> FakeGuest {
            FakeGuest {
                mem: vec![0; 0x10000],
                console: Vec::new(),
                shutdown: None,
                code: None,
                privileged: true,
                shared_info_gpfn: None,
                core: DomainCore::new(0, true, 4, 0),
                vcpu: 0,
                now: 1_000_000_000,
                long_mode: true,
                virqs: Vec::new(),
                woken: Vec::new(),
                absent: alloc::collections::BTreeSet::new(),
                wallclock: None,
                pools: {
                    let mut p =
                        ferrite_sched::CpuPools::new(ferrite_sched::SchedConfig::default(), 2, 0);
                    let _ = p.create_domain(ferrite_sched::DomId(0), 0);
                    for v in 0..4 {
                        let _ = p.add_vcpu(
                            ferrite_sched::DomId(0),
                            v,
                            ferrite_sched::UnitId(v),
                            None,
                            0,
                        );
                    }
                    p
                },
                initialised: Vec::new(),
                chans: Channels::new(0, 2),
                bits: MemBitmaps::mem(2),
                peers: PeerList(vec![(Channels::new(1, 1), MemBitmaps::mem(1))]),
                kicks: Vec::new(),
                wired: true,
            }
        }

        pub fn put(&mut self, at: usize, b: &[u8]) {
            self.mem[at..at + b.len()].copy_from_slice(b);
        }
    }

    impl Guest for FakeGuest {
        fn domid(&self) -> u16 {
            if self.privileged { 0 } else { 1 }
        }
        fn privileged(&self) -> bool {
            self.privileged
        }
        fn copy_from(&self, gva: u64, buf: &mut [u8]) -> Result<(), Errno> {
            let s = usize::try_from(gva).map_err(|_| Errno::EFAULT)?;
            let end = s.checked_add(buf.len()).ok_or(Errno::EFAULT)?;
            buf.copy_from_slice(self.mem.get(s..end).ok_or(Errno::EFAULT)?);
            Ok(())
        }
        fn copy_to(&mut self, gva: u64, bytes: &[u8]) -> Result<(), Errno> {
            let s = usize::try_from(gva).map_err(|_| Errno::EFAULT)?;
            let end = s.checked_add(bytes.len()).ok_or(Errno::EFAULT)?;
            self.mem
                .get_mut(s..end)
                .ok_or(Errno::EFAULT)?
                .copy_from_slice(bytes);
            Ok(())
        }
        fn console_write(&mut self, bytes: &[u8]) {
            self.console.extend_from_slice(bytes);
        }
        fn request_shutdown(&mut self, reason: u32) {
            self.shutdown = Some(reason);
            self.core.shut_down(crate::domain::Stop::Shutdown(reason));
        }
        fn set_shutdown_code(&mut self, reason: u32) {
            self.code = Some(reason);
        }
        fn hypervisor_cmdline(&self) -> &[u8] {
            b"loglvl=all"
        }
        fn max_ram_page(&self) -> u64 {
            0x10_0000
        }
        fn reservation(&self) -> (u64, u64, u64) {
            (8192, 8192, 8191)
        }
        fn memory_map(&self) -> Vec<(u64, u64, u32)> {
            vec![(0, 0xa_0000, 1), (0x10_0000, 0x1f0_0000, 1)]
        }
        fn map_shared_info(&mut self, gpfn: u64) -> Result<(), Errno> {
            if gpfn >= 8192 {
                return Err(Errno::EINVAL);
            }
            self.shared_info_gpfn = Some(gpfn);
            self.core.shared_info_gfn = Some(gpfn);
            Ok(())
        }
        fn vcpu_id(&self) -> u32 {
            self.vcpu
        }
        fn now_ns(&self) -> u64 {
            self.now
        }
        fn core(&mut self) -> &mut DomainCore {
            &mut self.core
        }
        fn long_mode(&self) -> bool {
            self.long_mode
        }
        fn copy_from_phys(&self, gpa: u64, buf: &mut [u8]) -> Result<(), Errno> {
            self.copy_from(gpa, buf)
        }
        fn copy_to_phys(&mut self, gpa: u64, bytes: &[u8]) -> Result<(), Errno> {
            self.copy_to(gpa, bytes)
        }
        fn initialise_vcpu(&mut self, id: u32, ctx: &VcpuHvmContext) -> Result<(), Errno> {
            self.initialised.push((id, *ctx));
            Ok(())
        }
        fn send_virq(&mut self, id: u32, virq: u32) {
            self.virqs.push((id, virq));
        }
        fn wake_vcpu(&mut self, id: u32) {
            self.woken.push(id);
        }
        fn events(&mut self) -> Option<Events<'_>> {
            self.wired.then_some(Events {
                channels: &mut self.chans,
                bits: &self.bits,
                peers: &mut self.peers,
            })
        }
        fn kick(&mut self, kick: Kick) {
            self.kicks.push(kick);
        }
        fn sched_pools(&mut self) -> Option<&mut ferrite_sched::CpuPools> {
            Some(&mut self.pools)
        }
        fn remove_page(&mut self, gfn: u64) -> Result<(), Errno> {
            // The fake's reservation is 256 frames (its copies use `mem`, the first 16).
            if gfn < 0x100 && self.absent.insert(gfn) {
                Ok(())
            } else {
                Err(Errno::EINVAL)
            }
        }
        fn set_wallclock(&mut self, sec: u64, nsec: u32) {
            self.wallclock = Some((sec, nsec));
        }
        fn time_info(&self) -> ferrite_abi::xen::VcpuTimeInfo {
            // A 1 GHz TSC that reads `now`.
            crate::time::record(1_000_000_000, self.now, self.now, 0)
        }
        // Two physical CPUs: APIC IDs 0 and 2, ACPI ids 1 and 3; the second is offline.
        fn pcpu(&self, cpu: u32) -> Option<Pcpu> {
            (cpu < 2).then_some(Pcpu {
                apic_id: cpu * 2,
                acpi_id: cpu * 2 + 1,
                online: cpu == 0,
            })
        }
        fn max_present_pcpu(&self) -> u32 {
            1
        }
        fn populate_page(&mut self, gfn: u64) -> Result<(), Errno> {
            if gfn < 0x100 {
                self.absent.remove(&gfn);
                Ok(())
            } else {
                Err(Errno::ENOMEM)
            }
        }
    }

    pub fn call(g: &mut FakeGuest, nr: u64, a: [u64; 5]) -> i64 {
        let Outcome::Completed(v) = dispatch(g, &Args { nr, a });
        v
    }
}

#[cfg(test)]
mod tests {
    use super::fake::*;

    #[test]
    fn unknown_numbers_are_enosys() {
        let mut g = FakeGuest::new();
        for nr in [
            1000,
            u64::MAX,
            1 << 32,
            26, /* mmuext_op: not for PVH yet */
        ] {
            assert_eq!(call(&mut g, nr, [0; 5]), -38, "hypercall {nr}");
        }
    }
}
