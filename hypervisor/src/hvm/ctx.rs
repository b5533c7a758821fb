//! What a hypercall handler reaches while one vCPU's exit is handled: the [`Guest`] view of
//! a [`Domain`] from the calling vCPU.

use alloc::vec::Vec;

use ferrite_abi::Errno;
use ferrite_abi::hvm::hvm_vcpu::VcpuHvmContext;
use ferrite_arch::memory::OwnedFrames;
use ferrite_arch::x86_64::paging::Perms;
use ferrite_arch::x86_64::{space, svm};

use super::build::Domain;
use super::context;
use crate::domain::{DomainCore, Stop};
use crate::event::{Events, Kick};
use crate::guest_mem::{self, GuestPhys, Paging};
use crate::hypercall::Guest;
use crate::loader::pvh;

pub struct Ctx<'a> {
    pub d: &'a mut Domain,
    pub vcpu: u32,
    pub paging: Paging,
    pub long_mode: bool,
    /// A nested mapping changed: guest TLBs must be flushed before the next run.
    pub flush: bool,
    /// VIRQs raised during the call, delivered by the run loop afterwards.
    pub virqs: Vec<(u32, u32)>,
    /// vCPUs to look at again (brought up, new work).
    pub kicks: Vec<u32>,
}

impl Guest for Ctx<'_> {
    fn domid(&self) -> u16 {
        self.d.core.id
    }
    fn privileged(&self) -> bool {
        self.d.core.privileged
    }
    fn copy_from(&self, gva: u64, buf: &mut [u8]) -> Result<(), Errno> {
        guest_mem::copy_from_guest(&self.d.mem, &self.paging, gva, buf)
    }
    fn copy_to(&mut self, gva: u64, bytes: &[u8]) -> Result<(), Errno> {
        guest_mem::copy_to_guest(&mut self.d.mem, &self.paging, gva, bytes)
    }
    fn console_write(&mut self, bytes: &[u8]) {
        // dom0's console output goes out line by line, unprefixed, as Xen's does.
        let line = &mut self.d.line;
        for chunk in bytes.utf8_chunks() {
            line.push_str(chunk.valid());
            for _ in chunk.invalid() {
                line.push('?');
            }
        }
        while let Some(i) = line.find('\n') {
            let rest = line.split_off(i + 1);
            crate::console::guest_line(0, line.trim_end_matches(['\n', '\r']));
            *line = rest;
        }
    }
    fn request_shutdown(&mut self, reason: u32) {
        self.d.core.shut_down(Stop::Shutdown(reason));
    }
    fn set_shutdown_code(&mut self, reason: u32) {
        self.d.core.shutdown_code = Some(reason);
    }
    fn hypervisor_cmdline(&self) -> &[u8] {
        self.d.xen_cmdline
    }
    fn max_ram_page(&self) -> u64 {
        ferrite_arch::memory::stats().1
    }
    fn reservation(&self) -> (u64, u64, u64) {
        let m = &self.d.mem;
        (m.pages(), m.max_pages, m.max_gpfn())
    }
    fn memory_map(&self) -> Vec<(u64, u64, u32)> {
        pvh::memory_map(self.d.mem.ram_bytes, &self.d.reserved)
            .iter()
            .map(|e| (e.addr, e.size, e.kind))
            .collect()
    }
    fn map_shared_info(&mut self, gpfn: u64) -> Result<(), Errno> {
        let gpa = gpfn
            .checked_mul(4096)
            .filter(|&a| a < self.d.mem.ram_bytes)
            .ok_or(Errno::EINVAL)?;
        // Moving the page puts the RAM frame back where it was.
        if let Some(old) = self.d.mem.shared_info_gfn {
            let back = self.d.mem.ram.pa() + old * 4096;
            space::nested_map(&self.d.npt, old * 4096, back, 4096, Perms::RWX)
                .map_err(|_| Errno::ENOMEM)?;
        }
        space::nested_map(
            &self.d.npt,
            gpa,
            self.d.mem.shared_info.pa(),
            4096,
            Perms::RW,
        )
        .map_err(|_| Errno::ENOMEM)?;
        self.d.mem.shared_info_gfn = Some(gpfn);
        self.d.core.shared_info_gfn = Some(gpfn);
        self.flush = true;
        self.d.update_times();
        Ok(())
    }
    fn vcpu_id(&self) -> u32 {
        self.vcpu
    }
    fn now_ns(&self) -> u64 {
        ferrite_arch::x86_64::time::now_ns()
    }
    fn core(&mut self) -> &mut DomainCore {
        &mut self.d.core
    }
    fn long_mode(&self) -> bool {
        self.long_mode
    }
    fn copy_from_phys(&self, gpa: u64, buf: &mut [u8]) -> Result<(), Errno> {
        self.d.mem.read_phys(gpa, buf)
    }
    fn copy_to_phys(&mut self, gpa: u64, bytes: &[u8]) -> Result<(), Errno> {
        self.d.mem.write_phys(gpa, bytes)
    }
    fn initialise_vcpu(&mut self, id: u32, ctx: &VcpuHvmContext) -> Result<(), Errno> {
        let d = &mut *self.d;
        // ASIDs: one per vCPU of this domain (1-based); a flush on first run covers reuse.
        let start = context::start(ctx, id + 1, d.npt.root, d.iopm.pa(), d.msrpm.pa())?;
        let v = svm::Vcpu::new(&start).map_err(|_| Errno::ENOMEM)?;
        let slot = d.vcpus.get_mut(id as usize).ok_or(Errno::ENOENT)?;
        *slot = Some(v);
        Ok(())
    }
    fn send_virq(&mut self, id: u32, virq: u32) {
        self.virqs.push((id, virq));
    }
    fn wake_vcpu(&mut self, id: u32) {
        self.kicks.push(id);
    }
    fn events(&mut self) -> Option<Events<'_>> {
        let d = &mut *self.d;
        Some(Events {
            channels: &mut d.events,
            bits: &d.mem,
            peers: &mut d.peers,
        })
    }
    fn set_wallclock(&mut self, sec: u64, nsec: u32) {
        // shared_info's wc_version (odd while writing), wc_sec, wc_nsec, wc_sec_hi.
        const WC_VERSION: u64 = 3072;
        let f = &mut self.d.mem.shared_info;
        let mut v = [0u8; 4];
        f.read(WC_VERSION, &mut v);
        let version = u32::from_le_bytes(v);
        f.write(WC_VERSION, &(version | 1).to_le_bytes());
        f.write(WC_VERSION + 4, &(sec as u32).to_le_bytes());
        f.write(WC_VERSION + 8, &nsec.to_le_bytes());
        f.write(WC_VERSION + 12, &((sec >> 32) as u32).to_le_bytes());
        f.write(WC_VERSION, &((version | 1).wrapping_add(1)).to_le_bytes());
    }
    fn remove_page(&mut self, gfn: u64) -> Result<(), Errno> {
        let m = &mut self.d.mem;
        let gpa = gfn.checked_mul(4096).ok_or(Errno::EINVAL)?;
        if m.shared_info_gfn == Some(gfn) {
            return Err(Errno::EINVAL);
        }
        let in_ram = gfn < m.ram_bytes / 4096;
        if (in_ram && m.absent.contains(&gfn)) || (!in_ram && !m.extra.contains_key(&gfn)) {
            return Err(Errno::ENOENT);
        }
        space::nested_unmap_4k(&self.d.npt, gpa).map_err(|_| Errno::ENOMEM)?;
        self.flush = true;
        if in_ram {
            // The frame stays part of the block: zero it now, so nothing the guest left
            // there survives until it is populated again.
            m.ram.write(gpa, &[0u8; 4096]);
            m.absent.insert(gfn);
        } else {
            // Dropping the frame zeroes it and returns it to the allocator, once no vCPU
            // can still reach it through a stale TLB entry (the flush that follows).
            if let Some(f) = m.extra.remove(&gfn) {
                m.retired.push(f);
            }
        }
        Ok(())
    }
    fn populate_page(&mut self, gfn: u64) -> Result<(), Errno> {
        let gpa = gfn.checked_mul(4096).ok_or(Errno::EINVAL)?;
        // Host MMIO dom0 already reached 1:1 stays MMIO.
        let host_mmio = self.d.mmio_mapped_at(gpa);
        let m = &mut self.d.mem;
        if m.shared_info_gfn == Some(gfn) {
            return Err(Errno::EINVAL);
        }
        if gfn < m.ram_bytes / 4096 {
            if m.absent.contains(&gfn) {
                if m.pages() >= m.max_pages {
                    return Err(Errno::ENOMEM);
                }
                let hpa = m.ram.pa() + gpa;
                space::nested_map(&self.d.npt, gpa, hpa, 4096, Perms::RWX)
                    .map_err(|_| Errno::ENOMEM)?;
                m.absent.remove(&gfn);
            } else {
                // Populating a populated frame replaces it: the guest gets a zeroed one.
                m.ram.write(gpa, &[0u8; 4096]);
            }
            return Ok(());
        }
        if m.extra.contains_key(&gfn) {
            if let Some(f) = m.extra.get_mut(&gfn) {
                f.write(0, &[0u8; 4096]);
            }
            return Ok(());
        }
        // Beyond the RAM block: never over the host ranges mapped 1:1, nor in the MMIO
        // window below 4 GiB, nor above what nested paging maps.
        let hole = (0xfe00_0000..0x1_0000_0000).contains(&gpa) || host_mmio;
        let reserved = self.d.reserved.iter().any(|&(s, e)| (s..e).contains(&gpa));
        if hole || reserved || gpa >= super::mmio::GPA_LIMIT {
            return Err(Errno::EINVAL);
        }
        if m.pages() >= m.max_pages {
            return Err(Errno::ENOMEM);
        }
        let frame = OwnedFrames::alloc(1, 1).ok_or(Errno::ENOMEM)?;
        space::nested_map(&self.d.npt, gpa, frame.pa(), 4096, Perms::RWX)
            .map_err(|_| Errno::ENOMEM)?;
        m.extra.insert(gfn, frame);
        self.flush = true;
        Ok(())
    }
    fn pcpu(&self, cpu: u32) -> Option<crate::hypercall::Pcpu> {
        use core::sync::atomic::Ordering;
        // The CPUs Ferrite brought up, numbered from 0 without gaps.
        let c = ferrite_arch::percpu::cpu(cpu).filter(|c| c.online.load(Ordering::Acquire))?;
        Some(crate::hypercall::Pcpu {
            apic_id: c.hw_id.load(Ordering::Relaxed),
            acpi_id: c.acpi_id.load(Ordering::Relaxed),
            online: true,
        })
    }
    fn max_present_pcpu(&self) -> u32 {
        ferrite_arch::percpu::online_count().saturating_sub(1)
    }
    fn time_info(&self) -> ferrite_abi::xen::VcpuTimeInfo {
        super::guest_areas::time_record()
    }
    fn sched_pools(&mut self) -> Option<&mut ferrite_sched::CpuPools> {
        Some(&mut self.d.pools)
    }
    fn kick(&mut self, kick: Kick) {
        // Only this domain exists: the loop wakes a blocked vCPU whose upcall is pending and
        // injects the vector before it next runs.
        if kick.dom == self.d.core.id {
            self.kicks.push(kick.vcpu);
        }
    }
}
