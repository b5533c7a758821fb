//! x86_64 bring-up, in Xen's order (`xen/arch/x86/setup.c` `__start_xen`).

use core::ops::Range;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use ferrite_arch::acpi::{self, AcpiInfo, RsdpSource};
use ferrite_arch::boot::info::{BootDiag, BootInfo, Loader, Rsdp, cook_cmdline};
use ferrite_arch::boot::{multiboot1, multiboot2, pvh};
use ferrite_arch::mm::memmap::RegionKind;
use ferrite_arch::x86_64::boot::mem::{IdentityMem, phys_slice};
use ferrite_arch::x86_64::boot::{EntryProtocol, layout};
use ferrite_arch::x86_64::machine::{PowerOff, ResetMethod, ResetReg};
use ferrite_arch::x86_64::{apic, cpu, gdt, ioapic, irq_bind, smp, space, time, virt};
use ferrite_arch::{memory, percpu};
use ferrite_cmdline::Config;
use ferrite_cmdline::shutdown::RebootMethod;
use spin::Mutex;

use super::common;
use super::diag::Held;
use super::shutdown::{self, Policy};
use crate::console;
use crate::printk;

static BOOT_INFO: Mutex<BootInfo> = Mutex::new(BootInfo::new(Loader::Multiboot1));

/// The options every CPU needs (read by APs as they come up).
static X2APIC: AtomicBool = AtomicBool::new(false);
static TSC_DEADLINE: AtomicBool = AtomicBool::new(false);
static CPUS_UP: AtomicU32 = AtomicU32::new(1);

/// Heap size: 1/16 of RAM, between 8 and 256 MiB.
fn heap_bytes(ram: u64) -> u64 {
    (ram / 16).clamp(8 << 20, 256 << 20)
}

pub fn start(magic: u32, info_pa: u64) -> ! {
    let features = cpu::Features::read();
    let mem = IdentityMem::BOOT;
    let mut boot = BOOT_INFO.lock();
    let mut bdiag: Held<BootDiag, 32> = Held::new();
    let proto = EntryProtocol::from_magic(magic);
    let parsed_info = match proto {
        EntryProtocol::Multiboot1 => {
            multiboot1::parse(&mem, info_pa, &mut boot, &mut |d| bdiag.push(d))
        }
        EntryProtocol::Multiboot2 => {
            multiboot2::parse(&mem, info_pa, &mut boot, &mut |d| bdiag.push(d))
        }
        EntryProtocol::Pvh => pvh::parse(&mem, info_pa, &mut boot, &mut |d| bdiag.push(d)),
        EntryProtocol::Unknown(_) => Ok(()),
    };

    // The command line first, as Xen does: it configures the console.
    let raw_cmdline = boot
        .cmdline
        .and_then(|s| phys_slice(s.paddr, s.len, mem.limit))
        .unwrap_or(b"");
    let loader_name = boot
        .loader_name
        .and_then(|s| phys_slice(s.paddr, s.len, mem.limit))
        .unwrap_or(b"");
    let cmdline = cook_cmdline(raw_cmdline, boot.loader, loader_name);
    let parsed = ferrite_cmdline::parse(cmdline, &mut |_| {});
    let cfg = parsed.config;
    let efi = matches!(boot.loader, Loader::Multiboot2 { efi: true });
    console_init(&cfg, efi);
    if cfg.console.vga && efi {
        log::info!(
            "console=vga: no VGA text mode under UEFI (a framebuffer console is not implemented)"
        );
    }
    // Until ACPI is read: `noreboot` and the reboot methods, without firmware help.
    set_shutdown_policy(&cfg, None);

    printk!(
        "Ferrite version {} (Xen-compatible hypervisor)",
        env!("CARGO_PKG_VERSION")
    );
    printk!(
        "Bootloader: {}",
        match core::str::from_utf8(loader_name) {
            Ok(s) if !s.is_empty() => s,
            _ => "unnamed",
        }
    );
    printk!("Boot protocol: {}", loader_str(boot.loader));
    printk!("Command line: {}", console::Lossy(cmdline));
    if let Some(w) = super::serial::PENDING_WARNING.get() {
        log::warn!("console: {w}; using the port's legacy settings");
    }
    ferrite_cmdline::parse(cmdline, &mut |d| log::warn!("{d}"));
    for name in super::options::not_in_effect(&cfg, true) {
        log::warn!("option '{name}' is accepted but has no effect in this build yet");
    }
    match (proto, parsed_info) {
        (EntryProtocol::Unknown(m), _) => {
            log::error!("entered with unknown boot magic {m:#x}: no boot information");
        }
        (_, Err(e)) => log::error!("boot information unreadable: {e}"),
        _ => {}
    }
    for d in bdiag.iter() {
        log::warn!("{d}");
    }

    // Memory.
    let image = layout::image_start()..layout::image_end();
    boot.validate(image.clone(), &mut |d| log::warn!("{d}"));
    common::print_memory_map(&boot, "Xen-e820 RAM map:");
    let reserved = boot.reserved_ranges(image.clone());
    if let Err(e) = memory::init(&boot.memory_map, reserved.as_slice()) {
        log::warn!("frame allocator: {e}; continuing with the memory seeded so far");
    }
    // Map all RAM and firmware tables 1:1 (and everything below 4 GiB); reserved ranges above
    // RAM (e.g. AMD's HyperTransport hole) are not touched by Ferrite.
    let phys_limit = boot
        .memory_map
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                RegionKind::Ram | RegionKind::AcpiReclaim | RegionKind::AcpiNvs
            )
        })
        .map(|r| r.end)
        .max()
        .unwrap_or(0)
        .clamp(1 << 32, 1 << 46);
    let mut uncached: Held<(u64, u64), 64> = Held::new();
    holes_below_4g(&boot, &mut uncached);
    let mut fixed: [Range<u64>; 64] = core::array::from_fn(|_| 0..0);
    let mut n = 0;
    for (r, slot) in uncached.iter().zip(fixed.iter_mut()) {
        *slot = r.0..r.1;
        n += 1;
    }
    if let Err(e) = space::switch_to_final_tables(&space::Layout {
        phys_limit,
        uncached: &fixed[..n],
        nx: features.nx,
        huge_1g: features.page1gb,
    }) {
        log::error!("cannot build Ferrite's page tables: {e:?}");
        shutdown::fatal_boot_stop();
    }
    let heap_size = heap_bytes(boot.memory_map.totals().ram);
    if !memory::grow_heap(heap_size) {
        log::error!("no memory for a {} MiB heap", heap_size >> 20);
        shutdown::fatal_boot_stop();
    }
    console::grow_ring(cfg.conring_size as usize);
    printk!("Console ring: {} KiB", console::ring_stats().0 >> 10);
    if gdt::init_this_cpu().is_err() {
        log::error!("no memory for the boot CPU's IST stacks");
        shutdown::fatal_boot_stop();
    }

    // ACPI.
    let acpi = read_acpi(&boot, cmdline);
    set_shutdown_policy(&cfg, acpi.as_ref());

    // Interrupts and time.
    ioapic::mask_pic();
    if let Some(madt) = acpi.as_ref().and_then(|a| a.madt.as_ref()) {
        for io in &madt.io_apics {
            let pins = ioapic::register(u64::from(io.address), io.gsi_base);
            printk!(
                "IOAPIC[{}]: apic_id {}, address {:#x}, GSI {}-{}, masked",
                io.id,
                io.id,
                io.address,
                io.gsi_base,
                io.gsi_base + pins - 1
            );
        }
    }
    let x2apic = cfg.x2apic && features.x2apic;
    if cfg.x2apic && !features.x2apic {
        printk!("x2APIC: not available on this CPU; using xAPIC");
    }
    X2APIC.store(x2apic, Ordering::Relaxed);
    apic::init_this_cpu(x2apic);
    // GSIs passed to dom0 interrupt this CPU, where its run loop is.
    irq_bind::set_destination(apic::id());
    printk!(
        "Using APIC driver {} (APIC ID {})",
        if x2apic { "x2apic_phys" } else { "default" },
        apic::id()
    );
    TSC_DEADLINE.store(features.tsc_deadline, Ordering::Relaxed);
    let (hz, src, apic_hz) = time::init(features.max_leaf, features.tsc_deadline);
    ferrite_arch::x86_64::kick::init();
    console::set_clock(time::now_ns, None);
    printk!(
        "Detected {}.{:03} MHz processor (TSC frequency from {:?}{})",
        hz / 1_000_000,
        (hz / 1000) % 1000,
        src,
        if features.invariant_tsc {
            ", invariant"
        } else {
            ""
        }
    );
    printk!(
        "LAPIC timer: {}; bus clock {} kHz",
        if features.tsc_deadline {
            "TSC-deadline"
        } else {
            "one-shot"
        },
        apic_hz / 1000
    );
    cpu::enable_interrupts();
    check_timer(0);

    // The CPU and its virtualisation support.
    let mut brand = [0u8; 48];
    printk!(
        "CPU0: {} family {:#x} model {:#x} stepping {} ({})",
        features.vendor_str(),
        features.family,
        features.model,
        features.stepping,
        cpu::brand(&mut brand)
    );
    log_virt(&features);

    // The other CPUs.
    start_secondary_cpus(&cfg, acpi.as_ref(), &features);

    crate::test_hooks::after_boot(cmdline);

    common::print_ready(CPUS_UP.load(Ordering::Relaxed), ("tsc", cpu::rdtsc()));
    drop(boot);
    let dom0_acpi = acpi.as_ref().map(host_acpi_for_dom0);
    // The HPET's register page (the IA-PC HPET spec's 1 KiB block): Ferrite keeps it.
    let kept_mmio = acpi
        .as_ref()
        .and_then(|a| a.hpet)
        .map(|h| h.base_address & !0xfff)
        .map(|page| (page, page.saturating_add(0x1000)))
        .into_iter()
        .collect();
    dom0(&cfg, cmdline, parsed.dom0_cmdline, dom0_acpi, kept_mmio)
}

/// The host ACPI facts dom0's tables are built from.
fn host_acpi_for_dom0(
    a: &AcpiInfo,
) -> (
    alloc::vec::Vec<crate::loader::acpi_dom0::HostTable>,
    crate::loader::acpi_dom0::HostMadt,
) {
    use crate::loader::acpi_dom0::{HostMadt, HostTable};
    let tables = a
        .tables
        .iter()
        .filter(|t| t.valid)
        .map(|t| HostTable {
            signature: t.signature,
            paddr: t.paddr,
            length: t.length,
        })
        .collect();
    let madt = a
        .madt
        .as_ref()
        .map_or_else(HostMadt::default, |m| HostMadt {
            lapic_address: m.local_apic_address as u32,
            io_apics: m
                .io_apics
                .iter()
                .map(|i| (i.id, i.address, i.gsi_base))
                .collect(),
            overrides: m
                .overrides
                .iter()
                .map(|o| (o.bus, o.irq, o.gsi, o.flags))
                .collect(),
            nmi_sources: m.nmi_sources.iter().map(|n| (n.gsi, n.flags)).collect(),
            lapic_nmi: m.local_apic_nmis.first().map(|n| (n.lint, n.flags)),
        });
    (tables, madt)
}

fn loader_str(l: Loader) -> &'static str {
    match l {
        Loader::Multiboot1 => "multiboot1",
        Loader::Multiboot2 { efi: false } => "multiboot2",
        Loader::Multiboot2 { efi: true } => "multiboot2 (EFI)",
        Loader::Pvh => "PVH",
        Loader::Fdt => "device tree",
    }
}

fn console_init(cfg: &Config, efi: bool) {
    let mut sinks = [None, None];
    if cfg.console.com1.is_some() {
        sinks[0] = super::serial::open(cfg.com1.as_ref(), ferrite_drivers::ns16550::COM1_BASE);
    }
    if cfg.console.com2.is_some() {
        sinks[1] = super::serial::open(cfg.com2.as_ref(), ferrite_drivers::ns16550::COM2_BASE);
    }
    // The VGA text buffer exists only on legacy-BIOS boots (not under UEFI).
    let vga = if cfg.console.vga && !efi {
        ferrite_drivers::vga::VgaMemory::claim().map(ferrite_drivers::vga::TextScreen::new)
    } else {
        None
    };
    console::init(sinks, vga, common::console_settings(cfg));
}

/// Physical ranges below 4 GiB that are not RAM or ACPI tables: MMIO, mapped uncached.
fn holes_below_4g(boot: &BootInfo, out: &mut Held<(u64, u64), 64>) {
    let mut cursor = 0u64;
    for r in boot.memory_map.iter() {
        if r.start >= 1 << 32 {
            break;
        }
        if r.start > cursor {
            out.push((cursor, r.start));
        }
        if !matches!(
            r.kind,
            RegionKind::Ram | RegionKind::AcpiReclaim | RegionKind::AcpiNvs
        ) {
            out.push((r.start, r.end.min(1 << 32)));
        }
        cursor = cursor.max(r.end);
    }
    if cursor < 1 << 32 {
        out.push((cursor, 1 << 32));
    }
}

fn read_acpi(boot: &BootInfo, cmdline: &[u8]) -> Option<AcpiInfo> {
    let mem = space::acpi_memory();
    let rsdp = if crate::test_hooks::active(cmdline, crate::test_hooks::Hook::NoAcpiTag) {
        log::warn!("test hook: ignoring the loader's RSDP");
        None
    } else {
        boot.rsdp
    };
    let source = match rsdp {
        Some(Rsdp::Address(a)) => RsdpSource::Address(a),
        Some(Rsdp::Copy { bytes, len, .. }) => {
            let mut b = [0u8; 36];
            b[..len.min(36)].copy_from_slice(&bytes[..len.min(36)]);
            return finish_acpi(acpi::read_acpi(&mem, RsdpSource::Copy(&b[..len.min(36)])));
        }
        None if boot.efi_system_table.is_some_and(|t| t.is_64bit) => {
            let systab = boot.efi_system_table.map_or(0, |t| t.paddr);
            match super::efi::rsdp_from_systab(&IdentityMem::BOOT, systab) {
                Some(a) => {
                    printk!("ACPI: RSDP from the EFI configuration table");
                    RsdpSource::Address(a)
                }
                None => {
                    log::warn!(
                        "ACPI: no RSDP in the EFI configuration table; continuing without ACPI"
                    );
                    return None;
                }
            }
        }
        None => match acpi::scan_bios_for_rsdp(&mem) {
            Ok(a) => RsdpSource::Address(a),
            Err(e) => {
                log::warn!("ACPI: no RSDP found ({e}); continuing without ACPI");
                return None;
            }
        },
    };
    finish_acpi(acpi::read_acpi(&mem, source))
}

fn finish_acpi(r: Result<AcpiInfo, acpi::RsdpError>) -> Option<AcpiInfo> {
    match r {
        Ok(info) => {
            for l in info.table_lines() {
                printk!("{l}");
            }
            for w in &info.warnings {
                log::warn!("{w}");
            }
            for l in acpi::summary_lines(&info) {
                printk!("{l}");
            }
            Some(info)
        }
        Err(e) => {
            log::warn!("ACPI: unusable RSDP ({e}); continuing without ACPI");
            None
        }
    }
}

/// A PM1 control block as an I/O port (Ferrite drives only port-based PM1 blocks).
fn io_port(g: Option<acpi::GenericAddress>) -> Option<u16> {
    let g = g?;
    (g.space_id == 1 && g.address != 0 && g.address <= 0xffff).then_some(g.address as u16)
}

fn set_shutdown_policy(cfg: &Config, acpi: Option<&AcpiInfo>) {
    let fadt = acpi.and_then(|a| a.fadt.as_ref());
    let acpi_reset = fadt.and_then(|f| {
        let r = f.reset_register?;
        f.reset_supported.then_some(ResetReg {
            space: r.space_id,
            address: r.address,
            value: f.reset_value,
        })
    });
    let power_off = acpi.and_then(|a| {
        let f = a.fadt.as_ref()?;
        let s5 = a.s5?;
        Some(PowerOff {
            pm1a_cnt: io_port(f.pm1a_control)?,
            pm1b_cnt: io_port(f.pm1b_control),
            slp_typ_a: s5.slp_typ_a,
            slp_typ_b: s5.slp_typ_b,
        })
    });
    // Xen's default: ACPI when the FADT has a reset register, then the keyboard controller.
    let mut methods = [None; 4];
    match cfg.reboot.method {
        Some(RebootMethod::Acpi) | None => {
            methods[0] = Some(ResetMethod::Acpi);
            methods[1] = Some(ResetMethod::Kbd);
        }
        Some(RebootMethod::Kbd) => methods[0] = Some(ResetMethod::Kbd),
        Some(RebootMethod::Pci | RebootMethod::Power) => methods[0] = Some(ResetMethod::Pci),
        Some(RebootMethod::Triple) => methods[0] = Some(ResetMethod::Triple),
        Some(m @ (RebootMethod::Efi | RebootMethod::Xen)) => {
            log::warn!("reboot={m:?} is not supported yet; using acpi, then kbd");
            methods[0] = Some(ResetMethod::Acpi);
            methods[1] = Some(ResetMethod::Kbd);
        }
    }
    shutdown::set_policy(Policy {
        noreboot: cfg.noreboot,
        reset_methods: methods,
        acpi_reset,
        power_off,
    });
}

/// Arms a 1 ms timer on this CPU and waits for it: proves the LAPIC timer and the queue.
fn check_timer(cpu: u32) {
    common::check_timer(
        cpu,
        &common::TimerOps {
            name: "LAPIC",
            now_ns: time::now_ns,
            add_timer: time::add_timer,
            wait: cpu::wait_unless,
        },
    );
}

fn log_virt(f: &cpu::Features) {
    let caps = virt::detect(f);
    match (caps.svm, caps.vmx) {
        (Some(svm), _) => {
            if svm.disabled_by_firmware {
                printk!("SVM: disabled by firmware (VM_CR.SVMDIS)");
            }
            printk!(
                "SVM: revision {}, {} ASIDs. Supported advanced features:",
                svm.revision,
                svm.asids
            );
            for (bit, name) in virt::SVM_FEATURES {
                if svm.features & (1 << bit) != 0 {
                    printk!(" - {name}");
                }
            }
            if svm.npt() {
                printk!("HVM: SVM enabled");
                printk!("HVM: Hardware Assisted Paging (HAP) detected");
            } else {
                printk!("HVM: SVM without nested paging: HVM/PVH guests are not possible");
            }
            if !svm.nrips() {
                printk!("SVM: no NRIP save: instruction lengths are decoded in software");
            }
        }
        (None, Some(vmx)) => {
            if vmx.disabled_by_firmware {
                printk!("VMX: disabled by firmware (IA32_FEATURE_CONTROL)");
            }
            printk!("VMX: revision {:#x}", vmx.basic & 0x7fff_ffff);
            if vmx.ept {
                printk!(" - Extended Page Tables (EPT)");
            }
            if vmx.vpid {
                printk!(" - Virtual-Processor Identifiers (VPID)");
            }
            if vmx.unrestricted {
                printk!(" - Unrestricted Guest");
            }
            printk!("HVM: VMX enabled");
        }
        (None, None) => {
            printk!(
                "HVM: no hardware virtualisation (neither SVM nor VMX): PVH and HVM guests cannot run"
            );
        }
    }
}

fn start_secondary_cpus(cfg: &Config, acpi: Option<&AcpiInfo>, f: &cpu::Features) {
    let me = apic::id();
    let cpus: alloc::vec::Vec<(u32, u32)> = acpi
        .and_then(|a| a.madt.as_ref())
        .map(|m| {
            m.processors
                .iter()
                .filter(|p| p.enabled && p.apic_id != me)
                .map(|p| (p.uid, p.apic_id))
                .collect()
        })
        .unwrap_or_default();
    let my_uid = acpi
        .and_then(|a| a.madt.as_ref())
        .and_then(|m| m.processors.iter().find(|p| p.apic_id == me))
        .map_or(0, |p| p.uid);
    if let Some(c) = percpu::cpu(0) {
        c.hw_id.store(me, Ordering::Relaxed);
        c.acpi_id.store(my_uid, Ordering::Relaxed);
        c.online.store(true, Ordering::Release);
    }
    printk!("CPU0: APIC ID {me}, online");
    let mut limit = cfg.maxcpus.unwrap_or(u32::MAX).max(1);
    if cfg.nosmp {
        limit = 1;
    }
    let smt_shift = cpu::smt_shift(f);
    let smt_off = cfg.smt == Some(false);
    if smt_off && smt_shift == 0 {
        printk!("SMT: smt=0, but this CPU reports one thread per core");
    }
    let is_sibling = |apic_id: u32| apic_id & ((1u32 << smt_shift) - 1) != 0;
    if cpus.is_empty() {
        return;
    }
    let total = cpus.len() as u32 + 1;
    if limit < total {
        printk!(
            "SMP: {} CPUs present, starting {} (maxcpus/nosmp)",
            total,
            limit
        );
    }
    let Some(cr3) = space::kernel_root() else {
        return;
    };
    let Some(tramp) = smp::Trampoline::prepare(ap_main) else {
        log::error!("SMP: no memory below 1 MiB for the AP trampoline; staying on one CPU");
        return;
    };
    let mut index = 1u32;
    for (uid, apic_id) in cpus {
        if index >= limit || index as usize >= percpu::MAX_CPUS {
            break;
        }
        if smt_off && is_sibling(apic_id) {
            printk!("SMT: smt=0: not starting sibling thread APIC ID {apic_id}");
            continue;
        }
        match tramp.start_ap(index, apic_id, cr3) {
            Ok(()) => {
                if let Some(c) = percpu::cpu(index) {
                    c.acpi_id.store(uid, Ordering::Relaxed);
                }
                index += 1;
                // Let this CPU finish logging in before the next starts: one at a time keeps
                // the boot log in CPU order.
                let give_up = time::now_ns() + 2_000_000_000;
                while CPUS_UP.load(Ordering::Acquire) < index && time::now_ns() < give_up {
                    core::hint::spin_loop();
                }
            }
            Err(e) => log::error!(
                "SMP: CPU with APIC ID {apic_id} (ACPI UID {uid}) did not start ({e:?}); skipping it"
            ),
        }
    }
    // Wait for the started APs to finish their bring-up and log in.
    let give_up = time::now_ns() + 5_000_000_000;
    while CPUS_UP.load(Ordering::Acquire) < index && time::now_ns() < give_up {
        core::hint::spin_loop();
    }
    printk!("Brought up {} CPUs", CPUS_UP.load(Ordering::Acquire));
}

fn ap_main(index: u32) -> ! {
    let id = {
        // APIC ID from CPUID before the LAPIC is set up.
        cpu::Features::read().apic_id
    };
    ferrite_arch::x86_64::percpu::init_this_cpu(index, id);
    ferrite_arch::x86_64::trap::load_idt();
    smp::report_arrival(index);
    if gdt::init_this_cpu().is_err() {
        log::error!("CPU{index}: no memory for IST stacks; parking it");
        cpu::halt_forever();
    }
    apic::init_this_cpu(X2APIC.load(Ordering::Relaxed));
    cpu::enable_interrupts();
    check_timer(index);
    if let Some(c) = percpu::cpu(index) {
        c.online.store(true, Ordering::Release);
    }
    printk!("CPU{index}: APIC ID {}, online", apic::id());
    CPUS_UP.fetch_add(1, Ordering::AcqRel);
    // It runs vCPUs once dom0 exists.
    crate::hvm::join(index)
}

/// The most vCPUs an HVM-container domain has (Xen's `HVM_MAX_VCPUS`).
const HVM_MAX_VCPUS: u32 = 128;

/// dom0's kernel as an ELF: a bzImage or compressed ELF is decompressed first (Xen's
/// `bzimage_parse`), into the heap, which grows when the kernel is larger than it.
fn dom0_kernel_elf(image: &'static [u8]) -> Option<alloc::borrow::Cow<'static, [u8]>> {
    use crate::loader::bzimage::{self, MAX_KERNEL_BYTES, Wrapping};
    let refuse = |e: &dyn core::fmt::Display| log::error!("dom0 kernel refused: {e}");
    let payload = bzimage::inspect(image).map_err(|e| refuse(&e)).ok()?;
    let Some(format) = payload.format() else {
        return Some(alloc::borrow::Cow::Borrowed(payload.bytes));
    };
    let (free, _) = memory::stats();
    let cap = MAX_KERNEL_BYTES.min((free.saturating_mul(4096) / 4) as usize);
    let mut out = alloc::vec::Vec::new();
    if let Some(n) = payload.size_hint().filter(|&n| n <= cap)
        && out.try_reserve_exact(n).is_err()
    {
        // The buddy heap hands out power-of-two blocks aligned to their size: a region twice
        // that size always holds one.
        let block = n.next_power_of_two() as u64;
        if memory::grow_heap(2 * block) {
            log::info!(
                "d0: heap grown by {} MiB to unpack the kernel",
                (2 * block) >> 20
            );
            let _ = out.try_reserve_exact(n);
        }
    }
    let t0 = time::now_ns();
    payload
        .extract(&mut out, cap)
        .map_err(|e| refuse(&e))
        .ok()?;
    let what = match payload.wrapping {
        Wrapping::BzImage { .. } => "bzImage, ",
        _ => "",
    };
    printk!(
        "d0: {what}{} payload of {} bytes -> {}-byte ELF ({} ms)",
        format.name(),
        payload.bytes.len(),
        out.len(),
        (time::now_ns() - t0) / 1_000_000
    );
    Some(alloc::borrow::Cow::Owned(out))
}

/// dom0: the first module is its kernel, the second its initrd; its command line is the
/// kernel module's string plus what follows ` -- ` on Ferrite's own line.
fn dom0(
    cfg: &Config,
    xen_cmdline: &'static [u8],
    after_dashes: Option<&'static [u8]>,
    acpi: Option<(
        alloc::vec::Vec<crate::loader::acpi_dom0::HostTable>,
        crate::loader::acpi_dom0::HostMadt,
    )>,
    kept_mmio: alloc::vec::Vec<(u64, u64)>,
) -> ! {
    let boot = BOOT_INFO.lock();
    let Some(kernel) = boot.modules().first().copied() else {
        log::error!("No dom0 kernel was given: pass it as the first boot module");
        log::error!("  (GRUB: 'module2 /boot/vmlinuz <dom0 args>' after the multiboot2 line;");
        log::error!("   QEMU: -initrd '<kernel> <dom0 args>')");
        drop(boot);
        shutdown::fatal_boot_stop()
    };
    common::announce_dom0_kernel(&kernel);
    let bytes = |start: u64, end: u64| space::boot_bytes(start, end.saturating_sub(start));
    let Some(kernel_bytes) = bytes(kernel.start, kernel.end) else {
        log::error!("dom0 kernel module lies outside mapped memory");
        drop(boot);
        shutdown::fatal_boot_stop()
    };
    let Some(kernel_elf) = dom0_kernel_elf(kernel_bytes) else {
        drop(boot);
        shutdown::fatal_boot_stop()
    };
    let initrd = boot.modules().get(1).and_then(|m| bytes(m.start, m.end));
    let loader_name = boot
        .loader_name
        .and_then(|s| space::boot_bytes(s.paddr, s.len))
        .unwrap_or(b"");
    let module_line = kernel
        .cmdline
        .and_then(|s| space::boot_bytes(s.paddr, s.len))
        .map(|l| cook_cmdline(l, boot.loader, loader_name))
        .unwrap_or(b"");
    let mut dom0_line: alloc::vec::Vec<u8> = module_line.to_vec();
    if let Some(extra) = after_dashes.filter(|e| !e.is_empty()) {
        if !dom0_line.is_empty() {
            dom0_line.push(b' ');
        }
        dom0_line.extend_from_slice(extra);
    }
    let (free, _) = memory::stats();
    let mem_bytes = crate::dom0_mem::compute(
        &cfg.dom0_mem,
        free.saturating_mul(4096).saturating_sub(16 << 20),
    );
    let host_ram = boot
        .memory_map
        .iter()
        .filter(|r| matches!(r.kind, RegionKind::Ram | RegionKind::Unusable))
        .map(|r| (r.start, r.end))
        .collect();
    drop(boot);
    printk!("dom0 command line: {}", console::Lossy(&dom0_line));
    let online = ferrite_arch::percpu::online_count();
    let pcpus = online.max(1);
    let vcpus = online
        .max(cfg.dom0_max_vcpus.min)
        .min(cfg.dom0_max_vcpus.max)
        .clamp(1, HVM_MAX_VCPUS);
    let spec = crate::hvm::Dom0Spec {
        kernel: &kernel_elf,
        initrd,
        cmdline: &dom0_line,
        mem_bytes,
        vcpus,
        pcpus,
        host_ram,
        sched: crate::sched_cfg::sched_config(cfg),
        xen_cmdline,
        acpi,
        kept_mmio,
    };
    let d0 = match crate::hvm::build(&spec) {
        Ok(d) => d,
        Err(e) => {
            log::error!("Could not build dom0: {e}");
            shutdown::fatal_boot_stop()
        }
    };
    printk!("Starting dom0 (d0v0)");
    match crate::hvm::start(d0) {
        crate::hvm::End::Shutdown(0) => {
            printk!("Hardware Dom0 halted: halting machine");
            shutdown::power_off()
        }
        crate::hvm::End::Shutdown(1) => {
            printk!("Hardware Dom0 shutdown: rebooting machine");
            shutdown::reboot()
        }
        crate::hvm::End::Shutdown(reason @ (2 | 5)) => {
            log::error!(
                "Hardware Dom0 asked for {} which Ferrite does not support yet: halting",
                if reason == 2 { "suspend" } else { "soft reset" }
            );
            shutdown::halt()
        }
        crate::hvm::End::Shutdown(_) | crate::hvm::End::Crashed => shutdown::dom0_crashed(),
    }
}
