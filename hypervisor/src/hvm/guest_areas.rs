//! The run loop's side of the areas a vCPU registers and of the NMIs it is sent
//! (`crate::domain::areas`; Xen calls `update_runstate_area` and `update_vcpu_system_time`
//! on a context switch, and `hvm_vcpu_has_pending_irq` offers a pending NMI first): an area
//! is written through guest-physical memory or through its vCPU's own page tables, and a
//! pending NMI is handed to SVM once the vCPU's NMI window is open.

use ferrite_abi::Errno;
use ferrite_arch::x86_64::{cpu, svm, time};

use super::build::Domain;
use super::memory::GuestMemory;
use crate::domain::areas::{self, Addr, AreaMem};
use crate::guest_mem::{self, GuestPhys, Paging};

/// A domain's memory as one vCPU's areas reach it: virtual addresses through that vCPU's
/// page tables (`None` while its register state is out, running: virtual areas then wait
/// for the next update, as Xen writes them only for the vCPU being switched to).
struct Mem<'a> {
    mem: &'a mut GuestMemory,
    paging: Option<Paging>,
}

impl AreaMem for Mem<'_> {
    fn read(&self, at: Addr, buf: &mut [u8]) -> Result<(), Errno> {
        match (at, &self.paging) {
            (Addr::Phys(a), _) => self.mem.read_phys(a, buf),
            (Addr::Virt(a), Some(p)) => guest_mem::copy_from_guest(self.mem, p, a, buf),
            (Addr::Virt(_), None) => Err(Errno::EFAULT),
        }
    }
    fn write(&mut self, at: Addr, bytes: &[u8]) -> Result<(), Errno> {
        match (at, &self.paging) {
            (Addr::Phys(a), _) => self.mem.write_phys(a, bytes),
            (Addr::Virt(a), Some(p)) => guest_mem::copy_to_guest(self.mem, p, a, bytes),
            (Addr::Virt(_), None) => Err(Errno::EFAULT),
        }
    }
}

/// Offset of `vcpu_info.time`.
const VCPU_INFO_TIME: u64 = 32;

/// A time record for now, as `vcpu_info.time` gets it (the writer sets the version).
pub(super) fn time_record() -> ferrite_abi::xen::VcpuTimeInfo {
    crate::time::record(time::tsc_hz(), cpu::rdtsc(), time::now_ns(), 0)
}

/// vCPU `id`'s view of the domain's memory, with its page tables if its register state is
/// here.
fn area_mem<'a>(vcpus: &mut [Option<svm::Vcpu>], mem: &'a mut GuestMemory, id: u32) -> Mem<'a> {
    let paging = vcpus
        .get_mut(id as usize)
        .and_then(|s| s.as_mut())
        .map(Domain::paging);
    Mem { mem, paging }
}

impl Domain {
    /// Copies vCPU `id`'s runstate at `now` to its registered area (best effort, as in Xen).
    pub(super) fn update_runstate_areas(&mut self, id: u32, now: u64) {
        let flag = self.core.runstate_update_flag();
        if let Some(v) = self.core.vcpus.get(id as usize) {
            let mut mem = area_mem(&mut self.vcpus, &mut self.mem, id);
            areas::update_runstate(v, now, flag, &mut mem);
        }
    }

    /// Refreshes every vCPU's time from one record: `vcpu_info.time` and the time areas it
    /// registered, each with Xen's version protocol (odd while writing).
    pub(super) fn update_times(&mut self) {
        let rec = time_record();
        for (id, v) in self.core.vcpus.iter().enumerate() {
            let id = id as u32;
            if let Some(info) = self.core.vcpu_info_gpa(id) {
                let mut mem = Mem {
                    mem: &mut self.mem,
                    paging: None,
                };
                let _ = areas::write_time(&mut mem, Addr::Phys(info + VCPU_INFO_TIME), &rec);
            }
            if v.time_area.is_some() || v.time_phys_area.is_some() {
                let mut mem = area_mem(&mut self.vcpus, &mut self.mem, id);
                areas::update_time(v, &rec, &mut mem);
            }
        }
    }

    /// Whether vCPU `id` has an NMI waiting (it wakes a blocked vCPU, as Xen's
    /// `vcpu_kick` does).
    pub(super) fn nmi_pending(&self, id: u32) -> bool {
        self.core
            .vcpus
            .get(id as usize)
            .is_some_and(|v| v.nmi_pending)
    }

    /// Queues vCPU `id`'s pending NMI for this entry if its NMI window is open; otherwise
    /// it stays pending for a later entry.
    pub(super) fn inject_pending_nmi(&mut self, id: u32, hw: &mut svm::Vcpu) {
        if self.nmi_pending(id)
            && hw.inject_nmi()
            && let Some(v) = self.core.vcpus.get_mut(id as usize)
        {
            v.nmi_pending = false;
        }
    }
}
