//! Building dom0 as a PVH domain (Xen's `dom0=pvh`: `xen/arch/x86/hvm/dom0_build.c`): the
//! kernel and initrd in guest RAM, `hvm_start_info`, nested page tables, vCPU 0 at the PVH
//! entry point, and the scheduler that will run its vCPUs.

use alloc::string::String;
use alloc::vec::Vec;

use ferrite_arch::memory::OwnedFrames;
use ferrite_arch::x86_64::paging::{PageTable, Perms};
use ferrite_arch::x86_64::{cpu, space, svm};
use ferrite_sched::{CpuPools, DomId, SchedConfig, UnitId};

use crate::domain::DomainCore;
use crate::event::{Channels, NoPeers};
use crate::loader::{acpi_dom0, elf, pvh};
use crate::printk;

use super::memory::GuestMemory;

/// Why dom0 could not be built.
#[derive(Debug)]
pub enum BuildError {
    NoSvm(svm::SvmError),
    Kernel(elf::ElfError),
    Layout(pvh::LayoutError),
    NoMemory(u64),
    Paging,
    Scheduler(ferrite_abi::Errno),
}

impl core::fmt::Display for BuildError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            BuildError::NoSvm(e) => write!(
                f,
                "no usable SVM ({e:?}): PVH dom0 needs AMD SVM with nested paging"
            ),
            BuildError::Kernel(e) => write!(f, "dom0 kernel refused: {e}"),
            BuildError::Layout(e) => write!(f, "dom0 boot information: {e}"),
            BuildError::NoMemory(b) => write!(f, "cannot allocate {} MiB for dom0", b >> 20),
            BuildError::Paging => write!(f, "cannot build dom0's nested page tables"),
            BuildError::Scheduler(e) => write!(f, "cannot schedule dom0's vCPUs: {e}"),
        }
    }
}

/// The inputs of a dom0 build.
pub struct Dom0Spec<'a> {
    pub kernel: &'a [u8],
    pub initrd: Option<&'a [u8]>,
    pub cmdline: &'a [u8],
    pub mem_bytes: u64,
    pub vcpus: u32,
    /// The pCPUs its vCPUs run on: CPU indices `0..pcpus`.
    pub pcpus: u32,
    pub sched: SchedConfig,
    pub xen_cmdline: &'static [u8],
    /// The host's RAM ranges (E820 RAM and unusable RAM): what is not, dom0 may reach as
    /// MMIO.
    pub host_ram: Vec<(u64, u64)>,
    /// The host's ACPI tables and MADT facts, for dom0's own RSDP/XSDT/MADT.
    pub acpi: Option<(Vec<acpi_dom0::HostTable>, acpi_dom0::HostMadt)>,
    /// Page-aligned `(start, end)` ranges of host devices Ferrite keeps from dom0 (the HPET,
    /// whose ACPI table dom0 does not get): see [`Domain::kept_mmio`].
    pub kept_mmio: Vec<(u64, u64)>,
}

/// Where dom0's RSDP, XSDT and MADT go: the legacy BIOS area, reserved in its memory map.
const ACPI_AT: u64 = 0xe_0000;

/// A built domain, ready to run.
pub struct Domain {
    pub core: DomainCore,
    pub mem: GuestMemory,
    // The VMCBs point at these: they live as long as the domain.
    pub(super) npt: PageTable,
    pub(super) iopm: OwnedFrames,
    pub(super) msrpm: OwnedFrames,
    /// Each vCPU's hardware state, once initialised; `None` while a pCPU runs it.
    pub(super) vcpus: Vec<Option<svm::Vcpu>>,
    /// The pCPU running each vCPU now.
    pub(super) running: Vec<Option<u32>>,
    /// The pCPU each vCPU last ran on, which watches its timers while it does not run.
    pub(super) home: Vec<u32>,
    /// The vector each running vCPU entered with (to tell whether a new one needs a kick).
    pub(super) injected: Vec<Option<u8>>,
    /// vCPUs whose guest TLB must be flushed before their next entry.
    pub(super) flush_pending: Vec<bool>,
    /// Per pCPU: a scheduler tickle asks it to reschedule.
    pub(super) resched: Vec<bool>,
    /// Per pCPU: the wake-up it last programmed.
    pub(super) armed: Vec<Option<u64>>,
    pub(super) amd: bool,
    pub(super) xen_cmdline: &'static [u8],
    /// dom0's console output not yet ended by a newline.
    pub(super) line: String,
    pub(super) pools: CpuPools,
    /// The domain's event channels.
    pub(super) events: Channels,
    /// The other domains, as event channels reach them (none yet).
    pub(super) peers: NoPeers,
    /// Host ranges mapped 1:1 (ACPI tables), reserved in the memory map.
    pub(super) reserved: Vec<(u64, u64)>,
    /// The host's RAM (and unusable RAM): never mapped into a domain as MMIO.
    pub(super) host_ram: Vec<(u64, u64)>,
    /// Host MMIO ranges mapped 1:1 so far.
    pub(super) mmio_mapped: Vec<(u64, u64)>,
    /// Each vCPU's local APIC.
    pub(super) vlapics: Vec<ferrite_arch::x86_64::vlapic::Vlapic>,
    /// vCPUs that got an INIT IPI and wait for a start-up IPI.
    pub(super) wait_sipi: Vec<bool>,
    /// An emulated I/O APIC at each host I/O APIC's address.
    pub(super) vioapics: Vec<ferrite_arch::x86_64::vioapic::Vioapic>,
    /// The host GSIs routed to this domain through its vIO-APICs.
    pub(super) host_irqs: super::irq::HostIrqs,
    /// Host device ranges dom0 may touch but not have: its firmware's AML still probes them
    /// (QEMU's DSDT reads the HPET's ID registers in its `_STA`). As behind Xen's null MMIO
    /// handler, reads give all ones (no device) and writes are dropped.
    pub(super) kept_mmio: Vec<(u64, u64)>,
}

pub fn build(spec: &Dom0Spec<'_>) -> Result<Domain, BuildError> {
    let f = cpu::Features::read();
    svm::enable_this_cpu(&f).map_err(BuildError::NoSvm)?;
    let vcpus = spec.vcpus.max(1);
    let acpi = spec
        .acpi
        .as_ref()
        .map(|(tables, madt)| acpi_dom0::build(tables, madt, vcpus, ACPI_AT));
    // Host tables dom0 reaches are mapped 1:1: its RAM must end below them, and they must be
    // above the legacy area Ferrite's own tables use.
    let mut mem_bytes = spec.mem_bytes;
    let mut acpi_ranges: Vec<(u64, u64)> = Vec::new();
    for &(start, end) in acpi.iter().flat_map(|a| &a.host_ranges) {
        if start < 0x10_0000 {
            log::warn!("d0: host ACPI tables at {start:#x} overlap the legacy area: not given");
            continue;
        }
        if start < mem_bytes {
            let clipped = start & !0x1f_ffff;
            log::warn!(
                "d0: RAM ends at {} MiB, below the host ACPI tables at {start:#x}",
                clipped >> 20
            );
            mem_bytes = clipped;
        }
        acpi_ranges.push((start, end));
    }
    let plan = elf::plan(spec.kernel, mem_bytes).map_err(BuildError::Kernel)?;
    let mut ram =
        OwnedFrames::alloc(mem_bytes / 4096, 512).ok_or(BuildError::NoMemory(mem_bytes))?;
    for s in plan.segments() {
        let bytes = spec
            .kernel
            .get(s.offset as usize..(s.offset + s.filesz) as usize)
            .ok_or(BuildError::Kernel(elf::ElfError::BadPhdrTable))?;
        // `elf::plan` checked the segment fits in the guest's RAM; bss is already zero.
        ram.write(s.paddr, bytes);
    }
    let modules: Vec<pvh::Module<'_>> = spec
        .initrd
        .iter()
        .map(|b| pvh::Module {
            bytes: b,
            cmdline: b"",
        })
        .collect();
    let layout = pvh::layout(&pvh::BootParams {
        ram_bytes: spec.mem_bytes,
        kernel_end: plan.end,
        cmdline: spec.cmdline,
        modules: &modules,
        rsdp_paddr: acpi.as_ref().map_or(0, |a| a.rsdp),
        reserved: &acpi_ranges,
        flags: ferrite_abi::xen::SIF_PRIVILEGED | ferrite_abi::xen::SIF_INITDOMAIN,
    })
    .map_err(BuildError::Layout)?;
    for (gpa, bytes) in &layout.writes {
        ram.write(*gpa, bytes);
    }
    if let Some(a) = &acpi {
        ram.write(a.base, &a.bytes);
    }
    let npt = space::nested_new(f.page1gb).map_err(|_| BuildError::Paging)?;
    space::nested_map(&npt, 0, ram.pa(), mem_bytes, Perms::RWX).map_err(|_| BuildError::Paging)?;
    // Read-write, as Xen's `pvh_setup_acpi` maps them: the OS takes the ACPI global lock in
    // the FACS with a locked compare-exchange and writes its waking vector there.
    for &(start, end) in &acpi_ranges {
        space::nested_map(&npt, start, start, end - start, Perms::RW)
            .map_err(|_| BuildError::Paging)?;
    }
    let mut iopm = OwnedFrames::alloc(3, 1).ok_or(BuildError::NoMemory(3 * 4096))?;
    let mut ports = alloc::vec![0u8; svm::iopm::SIZE];
    if let Ok(m) = <&mut [u8; svm::iopm::SIZE]>::try_from(ports.as_mut_slice()) {
        // Ferrite's own devices: its console UARTs, the PIT and the (masked) 8259 PICs.
        for base in ferrite_drivers::ns16550::claimed_io_bases() {
            if base != 0 {
                svm::iopm::deny(m, base, 8);
            }
        }
        svm::iopm::deny(m, 0x40, 4);
        svm::iopm::deny(m, 0x20, 2);
        svm::iopm::deny(m, 0xa0, 2);
    }
    iopm.write(0, &ports);
    let mut msrpm = OwnedFrames::alloc(2, 1).ok_or(BuildError::NoMemory(2 * 4096))?;
    let mut map = alloc::vec![0u8; svm::msrpm::SIZE];
    if let Ok(m) = <&mut [u8; svm::msrpm::SIZE]>::try_from(map.as_mut_slice()) {
        svm::msrpm::fill(m);
    }
    msrpm.write(0, &map);
    let vcpu0 = svm::Vcpu::new_32bit(&svm::Start32 {
        rip: u64::from(plan.entry),
        rbx: layout.start_info,
        asid: 1,
        nested_cr3: npt.root,
        iopm_pa: iopm.pa(),
        msrpm_pa: msrpm.pa(),
    })
    .map_err(BuildError::NoSvm)?;
    let shared_info = OwnedFrames::alloc(1, 1).ok_or(BuildError::NoMemory(4096))?;
    let now = ferrite_arch::x86_64::time::now_ns();
    let core = DomainCore::new(0, true, vcpus, now);
    // One pool of every pCPU Ferrite brought up (Xen's Pool-0).
    let pcpus = spec.pcpus.max(1);
    let mut pools = CpuPools::new(spec.sched, pcpus, now as i64);
    pools
        .create_domain(DomId(0), 0)
        .map_err(BuildError::Scheduler)?;
    for v in 0..vcpus {
        pools
            .add_vcpu(DomId(0), v, UnitId(v), None, now as i64)
            .map_err(BuildError::Scheduler)?;
    }
    pools.wake(UnitId(0), now as i64);
    printk!(
        "d0: PVH kernel [{:#x}, {:#x}) entry {:#x}, start info at {:#x}, {} MiB RAM, {} vCPU{}",
        plan.start,
        plan.end,
        plan.entry,
        layout.start_info,
        mem_bytes >> 20,
        vcpus,
        if vcpus == 1 { "" } else { "s" }
    );
    let mut slots: Vec<Option<svm::Vcpu>> = (0..vcpus).map(|_| None).collect();
    if let Some(s) = slots.first_mut() {
        *s = Some(vcpu0);
    }
    Ok(Domain {
        core,
        mem: GuestMemory {
            ram,
            ram_bytes: mem_bytes,
            shared_info,
            shared_info_gfn: None,
            vcpu_info: alloc::vec![None; vcpus as usize],
            absent: Default::default(),
            extra: Default::default(),
            retired: Vec::new(),
            max_pages: mem_bytes / 4096,
        },
        npt,
        iopm,
        msrpm,
        vcpus: slots,
        running: alloc::vec![None; vcpus as usize],
        home: alloc::vec![0; vcpus as usize],
        injected: alloc::vec![None; vcpus as usize],
        flush_pending: alloc::vec![false; vcpus as usize],
        resched: alloc::vec![false; pcpus as usize],
        armed: alloc::vec![None; pcpus as usize],
        amd: f.is_amd(),
        xen_cmdline: spec.xen_cmdline,
        line: String::new(),
        pools,
        events: Channels::new(0, vcpus),
        peers: NoPeers,
        reserved: acpi_ranges,
        host_ram: spec.host_ram.clone(),
        mmio_mapped: Vec::new(),
        kept_mmio: spec.kept_mmio.clone(),
        wait_sipi: alloc::vec![false; vcpus as usize],
        vioapics: spec
            .acpi
            .iter()
            .flat_map(|(_, m)| &m.io_apics)
            .map(|&(id, address, gsi_base)| {
                // 24 pins, as the I/O APICs of PCs have (and QEMU's).
                ferrite_arch::x86_64::vioapic::Vioapic::new(id, u64::from(address), gsi_base, 24)
            })
            .collect(),
        vlapics: (0..vcpus)
            .map(|v| ferrite_arch::x86_64::vlapic::Vlapic::new(v as u8))
            .collect(),
        // Every host GSI but those of Ferrite's own devices.
        host_irqs: spec
            .acpi
            .as_ref()
            .map_or_else(super::irq::HostIrqs::none, |(_, m)| {
                super::irq::HostIrqs::new(ferrite_arch::x86_64::irq::ferrite_gsis(
                    &m.overrides,
                    &ferrite_drivers::ns16550::claimed_io_bases(),
                ))
            }),
    })
}
