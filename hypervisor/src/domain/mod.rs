//! A domain and its vCPUs as policy sees them (Xen's `struct domain` / `struct vcpu` in
//! `xen/include/xen/sched.h`, lifecycle in `xen/common/domain.c`): identity, privilege,
//! vCPU states and timers, HVM parameters, where each `vcpu_info` and registered area lives,
//! pending NMIs, VM assists, and shutdown.
//!
//! Nothing here touches hardware: the arch run loop owns each vCPU's register state and
//! guest memory, and consults this state between guest runs.

pub mod areas;
pub mod params;
pub mod runstate;
pub mod timers;

use alloc::vec::Vec;

use ferrite_abi::Errno;
#[cfg(target_arch = "aarch64")]
use ferrite_abi::arch_arm::XEN_LEGACY_MAX_VCPUS;
#[cfg(not(target_arch = "aarch64"))]
use ferrite_abi::arch_x86::xen::XEN_LEGACY_MAX_VCPUS;

pub use params::{Callback, HvmParams};
pub use runstate::Runstate;
pub use timers::Timers;

/// Bytes of a `vcpu_info` (x86_64 and Arm alike).
pub const VCPU_INFO_SIZE: u64 = 64;

/// One vCPU's policy state.
#[derive(Clone, Debug)]
pub struct VcpuCore {
    pub id: u32,
    /// Has a register state (vCPU 0 from the builder, others from `VCPUOP_initialise`).
    pub initialised: bool,
    /// Offline (`_VPF_down`): not runnable until `VCPUOP_up`.
    pub down: bool,
    /// Waiting for an event (`SCHEDOP_block`, `HLT`).
    pub blocked: bool,
    pub timers: Timers,
    /// Guest-physical address of a `vcpu_info` moved by `VCPUOP_register_vcpu_info`.
    pub vcpu_info_gpa: Option<u64>,
    /// Guest-virtual address of the runstate area (`VCPUOP_register_runstate_memory_area`).
    pub runstate_area: Option<u64>,
    /// Guest-physical address of the runstate area (`VCPUOP_register_runstate_phys_area`);
    /// while set, the virtual one is not updated (as in Xen).
    pub runstate_phys_area: Option<u64>,
    /// Guest-virtual address of the secondary time record
    /// (`VCPUOP_register_vcpu_time_memory_area`).
    pub time_area: Option<u64>,
    /// Guest-physical address of the secondary time record
    /// (`VCPUOP_register_vcpu_time_phys_area`).
    pub time_phys_area: Option<u64>,
    /// An NMI waits for delivery (`VCPUOP_send_nmi`; Xen's `arch.nmi_pending`). NMIs do not
    /// queue: a second one before delivery is lost, as on hardware.
    pub nmi_pending: bool,
    pub runstate: Runstate,
    /// The per-vCPU upcall vector (`HVMOP_set_evtchn_upcall_vector`).
    pub upcall_vector: Option<u8>,
    /// What a vCPU blocked in `SCHEDOP_poll` waits for.
    pub poll: Option<Poll>,
    /// It asked to give way (`SCHEDOP_yield`, a PAUSE loop): the next schedule point comes
    /// now.
    pub yield_now: bool,
}

/// `SCHEDOP_poll`'s wait: any of `ports` pending (masked or not), an upcall, or `deadline`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poll {
    pub ports: Vec<u32>,
    pub deadline: Option<u64>,
}

impl VcpuCore {
    fn new(id: u32, now_ns: u64) -> VcpuCore {
        VcpuCore {
            id,
            initialised: id == 0,
            down: id != 0,
            blocked: false,
            timers: Timers::default(),
            vcpu_info_gpa: None,
            runstate_area: None,
            runstate_phys_area: None,
            time_area: None,
            time_phys_area: None,
            nmi_pending: false,
            runstate: Runstate::new(
                if id == 0 {
                    runstate::RUNNABLE
                } else {
                    runstate::OFFLINE
                },
                now_ns,
            ),
            upcall_vector: None,
            poll: None,
            yield_now: false,
        }
    }

    /// Up and not blocked: a scheduler may run it.
    pub fn runnable(&self) -> bool {
        self.initialised && !self.down && !self.blocked
    }
}

/// Why a domain stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// `SCHEDOP_shutdown` (or the last vCPU going down) with a `SHUTDOWN_*` reason.
    Shutdown(u32),
    /// Ferrite crashed it.
    Crashed,
}

/// A domain's policy state.
#[derive(Clone, Debug)]
pub struct DomainCore {
    pub id: u16,
    /// The hardware domain.
    pub privileged: bool,
    pub vcpus: Vec<VcpuCore>,
    pub params: HvmParams,
    /// Guest frame of the shared-info page, once mapped (`XENMAPSPACE_shared_info`).
    pub shared_info_gfn: Option<u64>,
    /// Set by `SCHEDOP_shutdown_code`; reported with a later shutdown.
    pub shutdown_code: Option<u32>,
    pub stop: Option<Stop>,
    /// `VMASST_TYPE_*` bits the domain enabled (`HYPERVISOR_vm_assist`).
    pub vm_assist: u64,
}

impl DomainCore {
    /// A domain with `max_vcpus` vCPUs: vCPU 0 initialised and up, the others down.
    pub fn new(id: u16, privileged: bool, max_vcpus: u32, now_ns: u64) -> DomainCore {
        DomainCore {
            id,
            privileged,
            vcpus: (0..max_vcpus.max(1))
                .map(|i| VcpuCore::new(i, now_ns))
                .collect(),
            params: HvmParams::default(),
            shared_info_gfn: None,
            shutdown_code: None,
            stop: None,
            vm_assist: 0,
        }
    }

    /// Whether the domain asked for `XEN_RUNSTATE_UPDATE` in its virtual runstate areas
    /// (`VMASST_TYPE_runstate_update_flag`).
    pub fn runstate_update_flag(&self) -> bool {
        let bit = ferrite_abi::xen::VmAssistType::RunstateUpdateFlag.raw();
        self.vm_assist & (1 << bit) != 0
    }

    pub fn vcpu(&self, id: u32) -> Result<&VcpuCore, Errno> {
        self.vcpus.get(id as usize).ok_or(Errno::ENOENT)
    }

    pub fn vcpu_mut(&mut self, id: u32) -> Result<&mut VcpuCore, Errno> {
        self.vcpus.get_mut(id as usize).ok_or(Errno::ENOENT)
    }

    /// Where vCPU `id`'s `vcpu_info` is: registered, or its slot in shared_info (only the
    /// first 32 vCPUs have one), or nowhere yet.
    pub fn vcpu_info_gpa(&self, id: u32) -> Option<u64> {
        let v = self.vcpus.get(id as usize)?;
        if let Some(gpa) = v.vcpu_info_gpa {
            return Some(gpa);
        }
        if id >= XEN_LEGACY_MAX_VCPUS {
            return None;
        }
        let base = self.shared_info_gfn?.checked_mul(4096)?;
        base.checked_add(u64::from(id) * VCPU_INFO_SIZE)
    }

    /// Stops the domain (the first reason wins, as in Xen).
    pub fn shut_down(&mut self, why: Stop) {
        if self.stop.is_none() {
            self.stop = Some(why);
        }
    }

    /// The number of vCPUs that are up.
    pub fn vcpus_up(&self) -> usize {
        self.vcpus.iter().filter(|v| !v.down).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcpu_info_locations() {
        let mut d = DomainCore::new(0, true, 40, 0);
        assert_eq!(d.vcpu_info_gpa(0), None, "no shared_info yet");
        d.shared_info_gfn = Some(0x100);
        assert_eq!(d.vcpu_info_gpa(0), Some(0x10_0000));
        assert_eq!(d.vcpu_info_gpa(3), Some(0x10_00c0));
        assert_eq!(d.vcpu_info_gpa(32), None, "beyond the legacy array");
        d.vcpus[32].vcpu_info_gpa = Some(0x5000);
        assert_eq!(d.vcpu_info_gpa(32), Some(0x5000));
        assert_eq!(d.vcpu_info_gpa(40), None);
        d.shared_info_gfn = Some(u64::MAX);
        assert_eq!(d.vcpu_info_gpa(1), None, "no overflow");
    }

    #[test]
    fn vcpu_zero_starts_up_others_down() {
        let d = DomainCore::new(1, false, 4, 0);
        assert!(d.vcpus[0].runnable());
        assert!(!d.vcpus[1].runnable());
        assert_eq!(d.vcpus_up(), 1);
        assert_eq!(d.vcpu(4).err(), Some(Errno::ENOENT));
    }

    #[test]
    fn first_stop_reason_wins() {
        let mut d = DomainCore::new(0, true, 1, 0);
        d.shut_down(Stop::Shutdown(1));
        d.shut_down(Stop::Crashed);
        assert_eq!(d.stop, Some(Stop::Shutdown(1)));
    }
}
