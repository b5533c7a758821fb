//! aarch64 bring-up, in Xen's order (`xen/arch/arm/setup.c` `start_xen`): the device tree,
//! the command line from `/chosen`, the console, memory, the GIC and timer, then the CPUs.

use core::fmt::Write as _;
use core::ops::Range;
use core::sync::atomic::{AtomicU32, Ordering};

use alloc::string::String;
use ferrite_arch::aarch64::boot::{self as aboot, layout};
use ferrite_arch::aarch64::paging::Kind;
use ferrite_arch::aarch64::{FALLBACK_UART, cpu, gic, machine, smp, space, time};
use ferrite_arch::boot::fdt::{self, DtDiag, DtError, DtInfo, GicInfo, PsciMethod};
use ferrite_arch::boot::info::{BootInfo, Loader, PhysStr, cook_cmdline};
use ferrite_arch::mm::memmap::RegionKind;
use ferrite_arch::{memory, percpu};
use ferrite_cmdline::Config;
use spin::Mutex;

use super::common;
use super::diag::Held;
use super::shutdown::{self, Policy};
use crate::console;
use crate::printk;

static BOOT_INFO: Mutex<BootInfo> = Mutex::new(BootInfo::new(Loader::Fdt));
static DT_INFO: Mutex<DtInfo> = Mutex::new(DtInfo::new());
static CPUS_UP: AtomicU32 = AtomicU32::new(1);

const TIMER: common::TimerOps = common::TimerOps {
    name: "CNTHP",
    now_ns: time::now_ns,
    add_timer: time::add_timer,
    wait: cpu::wait_unless,
};

/// Bytes of the blob a [`PhysStr`] inside it names.
fn in_blob(blob: &[u8], blob_pa: u64, s: PhysStr) -> Option<&[u8]> {
    let off = usize::try_from(s.paddr.checked_sub(blob_pa)?).ok()?;
    blob.get(off..off.checked_add(usize::try_from(s.len).ok()?)?)
}

pub fn start(el: u32, loader_dtb: u64) -> ! {
    let dtb_pa = crate::test_hooks::dtb_override(loader_dtb);
    let mut boot = BOOT_INFO.lock();
    let mut dt = DT_INFO.lock();
    let mut ddiag: Held<DtDiag, 32> = Held::new();
    let blob: Result<&[u8], DtError> = aboot::dtb_bytes(dtb_pa).and_then(|b| {
        fdt::check::strip_nops(b)?;
        Ok(&*b)
    });
    let parsed =
        blob.and_then(|b| fdt::parse(b, dtb_pa, &mut boot, &mut dt, &mut |d| ddiag.push(d)));
    let blob = blob.unwrap_or(&[]);

    // The command line first, as Xen does: it configures the console.
    let raw_cmdline = parsed
        .ok()
        .and(boot.cmdline)
        .and_then(|s| in_blob(blob, dtb_pa, s))
        .unwrap_or(b"");
    let cmdline = cook_cmdline(raw_cmdline, Loader::Fdt, b"");
    let parsed_cl = ferrite_cmdline::parse(cmdline, &mut |_| {});
    let cfg = parsed_cl.config;
    let dtuart = Some(parsed_cl.dtuart.as_bytes()).filter(|s| !s.is_empty());
    let uart = parsed.ok().and_then(|()| fdt::find_uart(blob, dtuart));
    let (uart_base, last_resort) = match uart {
        Some(u) if u.pl011 => (u.base, false),
        _ => (FALLBACK_UART, true),
    };
    let uart_mapped = ferrite_arch::aarch64::set_early_uart(uart_base);
    // A broken tree still gets its message out, on the last-resort UART.
    let sink = (uart_mapped && (cfg.console.dtuart || parsed.is_err()))
        .then(|| ferrite_arch::aarch64::open_pl011(uart_base));
    console::init([sink, None], None, common::console_settings(&cfg));
    shutdown::set_policy(Policy {
        noreboot: cfg.noreboot,
    });
    // The PSCI conduit: the DT's; at EL2 only SMC reaches firmware (HVC would trap to
    // Ferrite itself).
    let conduit = match (dt.psci, el) {
        (Some(PsciMethod::Hvc), 2) => Some(PsciMethod::Smc),
        (Some(m), _) => Some(m),
        (None, 2) => Some(PsciMethod::Smc),
        (None, _) => Some(PsciMethod::Hvc),
    };
    machine::set_conduit(conduit);

    printk!(
        "Ferrite version {} (Xen-compatible hypervisor)",
        env!("CARGO_PKG_VERSION")
    );
    printk!(
        "Boot protocol: arm64 Image, device tree at {dtb_pa:#x}{}",
        if dtb_pa != loader_dtb {
            " (test override)"
        } else {
            ""
        }
    );
    printk!(
        "Image: loaded at {:#x}-{:#x} (linked at {:#x}; relocated itself)",
        layout::image_start(),
        layout::image_end(),
        aboot::link_address()
    );
    if last_resort {
        log::warn!(
            "console: the device tree names no PL011 (dtuart= or /chosen/stdout-path); \
             using QEMU virt's PL011 at {FALLBACK_UART:#x} as a last resort"
        );
    }
    if el != 2 {
        log::error!(
            "Ferrite needs EL2 (the hypervisor exception level) but was entered at EL{el}: \
             boot it from firmware or a loader that leaves EL2 available \
             (QEMU: -M virt,virtualization=on)"
        );
        drop((boot, dt));
        console::print(format_args!("Powering off (PSCI SYSTEM_OFF)"));
        shutdown::power_off()
    }
    if let Err(e) = parsed {
        device_tree_stop(dtb_pa, e)
    }
    printk!("Command line: {}", console::Lossy(cmdline));
    ferrite_cmdline::parse(cmdline, &mut |d| log::warn!("{d}"));
    for name in super::options::not_in_effect(&cfg, false) {
        log::warn!("option '{name}' is accepted but has no effect in this build yet");
    }
    for d in ddiag.iter() {
        log::warn!("{d}");
    }
    if dt.psci == Some(PsciMethod::Hvc) {
        log::warn!("PSCI: the DT says 'hvc', which traps to Ferrite at EL2; using 'smc'");
    }
    log_modules(&boot, &dt, blob, dtb_pa);

    // Memory.
    let image = layout::image_start()..layout::image_end();
    boot.validate(image.clone(), &mut |d| log::warn!("{d}"));
    common::print_memory_map(&boot, "RAM map (device tree /memory):");
    let mut reserved = boot.reserved_ranges(image);
    for r in dt.reserved() {
        printk!(" reserved [{:#x}, {:#x})", r.start, r.end);
        if !reserved.push(r.as_range()) {
            log::warn!(
                "too many reserved ranges; [{:#x}, {:#x}) is not kept away",
                r.start,
                r.end
            );
        }
    }
    map_boot_ram(&boot);
    if let Err(e) = memory::init(&boot.memory_map, reserved.as_slice()) {
        log::warn!("frame allocator: {e}; continuing with the memory seeded so far");
    }
    map_final(&boot, &dt, uart_base);
    let heap_size = common::heap_bytes(boot.memory_map.totals().ram);
    if !memory::grow_heap(heap_size) {
        log::error!("no memory for a {} MiB heap", heap_size >> 20);
        shutdown::fatal_boot_stop();
    }
    console::grow_ring(cfg.conring_size as usize);
    printk!("Console ring: {} KiB", console::ring_stats().0 >> 10);

    // Interrupts and time.
    let features = cpu::Features::read();
    let Some(gic_info) = dt.gic else {
        device_tree_stop(dtb_pa, DtError::NoGic)
    };
    match gic::init(&gic_info, features.gic_sysregs()) {
        Ok(spis) => printk!(
            "GICv{}: {} SPIs; maintenance interrupt {} (for the vGIC)",
            gic_info.version(),
            spis,
            gic_info
                .maintenance()
                .map_or(String::from("none"), |m| alloc::format!("INTID {m}"))
        ),
        Err(e) => {
            log::error!("GICv{}: cannot be used: {e:?}", gic_info.version());
            shutdown::fatal_boot_stop();
        }
    }
    if let Some(m) = gic_info.maintenance() {
        gic::set_handler(m, |_| {});
        gic::enable_private(m, gic::PRIORITY);
    }
    smp::init_stop_ipi();
    let timer = dt.timer.unwrap_or_default();
    let (hz, src) = time::init(timer.clock_frequency, timer.hyp_phys);
    console::set_clock(time::now_ns, None);
    time::init_this_cpu();
    printk!(
        "Generic timer: {}.{:03} MHz (from {:?}); EL2 physical timer (CNTHP) on INTID {}",
        hz / 1_000_000,
        (hz / 1000) % 1000,
        src,
        time::timer_intid()
    );
    cpu::enable_interrupts();
    common::check_timer(0, &TIMER);

    // The CPU, its EL2 features, and PSCI.
    log_features(&features, &gic_info);
    log_psci();

    // The other CPUs.
    start_secondary_cpus(&cfg, &dt);

    crate::test_hooks::after_boot(cmdline);

    common::print_ready(
        CPUS_UP.load(Ordering::Relaxed),
        ("cntvct", cpu::virtual_counter()),
    );
    drop((boot, dt));
    dom0()
}

/// A device tree Ferrite cannot use: say what is wrong with it, and stop.
fn device_tree_stop(dtb_pa: u64, e: DtError) -> ! {
    log::error!("Device tree at {dtb_pa:#x} is unusable: {e}");
    log::error!(
        "  Ferrite reads its memory, CPUs, interrupt controller and command line from the \
         DTB the loader passes in x0 (U-Boot: booti <image> - <dtb>)"
    );
    shutdown::fatal_boot_stop()
}

fn log_modules(boot: &BootInfo, dt: &DtInfo, blob: &[u8], dtb_pa: u64) {
    if boot.modules().is_empty() {
        printk!("Modules (/chosen): none");
    }
    for (i, (m, kind)) in boot.modules().iter().zip(dt.module_kinds).enumerate() {
        let args = m
            .cmdline
            .and_then(|s| in_blob(blob, dtb_pa, s))
            .unwrap_or(b"");
        printk!(
            "Module {i} (/chosen): {} [{:#x}, {:#x}) {} bytes, args: {}",
            kind.name(),
            m.start,
            m.end,
            m.end - m.start,
            console::Lossy(args)
        );
    }
}

/// RAM into the boot tables (Normal memory), so that the frame allocator and the final
/// tables' builder can reach any frame; the image keeps its boot mapping.
fn map_boot_ram(boot: &BootInfo) {
    for r in boot.memory_map.iter().filter(|r| r.kind == RegionKind::Ram) {
        if let Err(e) = aboot::map_early(r.start..r.end, Kind::ReadWrite) {
            log::error!(
                "cannot map RAM [{:#x}, {:#x}) into the boot page tables: {e:?}",
                r.start,
                r.end
            );
            shutdown::fatal_boot_stop();
        }
    }
}

/// The final EL2 tables: RAM, the devices Ferrite drives, and the image W^X.
fn map_final(boot: &BootInfo, dt: &DtInfo, uart: u64) {
    let mut ram: [Range<u64>; 32] = core::array::from_fn(|_| 0..0);
    let mut n = 0;
    for (r, slot) in boot
        .memory_map
        .iter()
        .filter(|r| r.kind == RegionKind::Ram)
        .zip(ram.iter_mut())
    {
        *slot = r.start..r.end;
        n += 1;
    }
    let mut devices: [Range<u64>; 16] = core::array::from_fn(|_| 0..0);
    let mut d = 0;
    let mut push = |r: Range<u64>| {
        if let Some(slot) = devices.get_mut(d) {
            *slot = r;
            d += 1;
        }
    };
    push(uart..uart + 0x1000);
    match dt.gic {
        Some(GicInfo::V2 {
            dist,
            cpu,
            hyp,
            vcpu,
            ..
        }) => {
            for r in [Some(dist), Some(cpu), hyp, vcpu].into_iter().flatten() {
                push(r.as_range());
            }
        }
        Some(GicInfo::V3 {
            dist,
            redists,
            redist_count,
            ..
        }) => {
            push(dist.as_range());
            for r in redists.iter().take(redist_count) {
                push(r.as_range());
            }
        }
        None => {}
    }
    if let Err(e) = space::switch_to_final_tables(&space::Layout {
        ram: ram.get(..n).unwrap_or(&[]),
        devices: devices.get(..d).unwrap_or(&[]),
    }) {
        log::error!("cannot build Ferrite's EL2 page tables: {e:?}");
        shutdown::fatal_boot_stop();
    }
}

fn log_features(f: &cpu::Features, gic: &GicInfo) {
    printk!(
        "CPU0: MIDR {:#x} (implementer {:#04x}, part {:#05x}), MPIDR {:#x}",
        f.midr,
        f.implementer(),
        f.part(),
        cpu::mpidr()
    );
    printk!(
        "EL2 features: VHE {}, PA range {} bits, {}-bit VMIDs, GICv{} ({}), SVE {}",
        if f.vhe() { "yes (not used)" } else { "no" },
        f.pa_bits(),
        f.vmid_bits(),
        gic.version(),
        if f.gic_sysregs() {
            "system registers"
        } else {
            "memory-mapped only"
        },
        if f.sve() { "yes" } else { "no" }
    );
}

fn log_psci() {
    let via = match machine::conduit() {
        Some(PsciMethod::Smc) => "smc",
        Some(PsciMethod::Hvc) => "hvc",
        None => "none",
    };
    let Some((major, minor)) = machine::version() else {
        log::warn!("PSCI: no conduit; secondary CPUs cannot be started");
        return;
    };
    printk!("PSCI: version {major}.{minor} via {via}");
    if major >= 1 {
        let f = |fid| match machine::has_feature(fid) {
            Some(true) => "yes",
            _ => "no",
        };
        printk!(
            "PSCI: CPU_ON {}, SYSTEM_OFF {}, SYSTEM_RESET {}",
            f(machine::CPU_ON_64),
            f(machine::SYSTEM_OFF),
            f(machine::SYSTEM_RESET)
        );
    }
}

fn start_secondary_cpus(cfg: &Config, dt: &DtInfo) {
    let me = cpu::mpidr();
    if let Some(c) = percpu::cpu(0) {
        c.online.store(true, Ordering::Release);
    }
    printk!("CPU0: MPIDR {me:#x}, online");
    let mut limit = cfg.maxcpus.unwrap_or(u32::MAX).max(1);
    if cfg.nosmp {
        limit = 1;
    }
    let total = dt.mpidrs().len().max(1) as u32;
    if limit < total {
        printk!("SMP: {total} CPUs present, starting {limit} (maxcpus/nosmp)");
    }
    let mut index = 1u32;
    for &mpidr in dt.mpidrs().iter().filter(|&&m| m != me) {
        if index >= limit || index as usize >= percpu::MAX_CPUS {
            break;
        }
        match smp::start_cpu(index, mpidr, ap_main) {
            Ok(()) => {
                // One at a time, as Xen does: each CPU logs in before the next starts.
                let give_up = time::now_ns() + 2_000_000_000;
                while CPUS_UP.load(Ordering::Acquire) <= index && time::now_ns() < give_up {
                    core::hint::spin_loop();
                }
                if CPUS_UP.load(Ordering::Acquire) <= index {
                    log::error!("SMP: CPU{index} (MPIDR {mpidr:#x}) started but did not log in");
                }
                index += 1;
            }
            Err(e) => {
                let mut why = String::new();
                let _ = match e {
                    smp::StartError::Psci(code) => {
                        write!(why, "PSCI {}", machine::error_name(code))
                    }
                    other => write!(why, "{other:?}"),
                };
                log::error!("SMP: CPU with MPIDR {mpidr:#x} did not start ({why}); skipping it");
            }
        }
    }
    let give_up = time::now_ns() + 5_000_000_000;
    while CPUS_UP.load(Ordering::Acquire) < index && time::now_ns() < give_up {
        core::hint::spin_loop();
    }
    printk!("Brought up {} CPUs", CPUS_UP.load(Ordering::Acquire));
}

fn ap_main(index: u32) -> ! {
    if let Err(e) = gic::init_this_cpu() {
        log::error!("CPU{index}: GIC: {e:?}; parking it");
        cpu::halt_forever();
    }
    time::init_this_cpu();
    cpu::enable_interrupts();
    common::check_timer(index, &TIMER);
    if let Some(c) = percpu::cpu(index) {
        c.online.store(true, Ordering::Release);
    }
    printk!("CPU{index}: MPIDR {:#x}, online", cpu::mpidr());
    CPUS_UP.fetch_add(1, Ordering::AcqRel);
    loop {
        cpu::halt();
    }
}

/// dom0: the first module (the `multiboot,kernel` node). Loading domains comes later; until
/// then Ferrite says what it found and stops cleanly.
fn dom0() -> ! {
    let boot = BOOT_INFO.lock();
    let Some(kernel) = boot.modules().first().copied() else {
        log::error!("No dom0 kernel was given: add it to /chosen as a module node");
        log::error!(
            "  (compatible = \"multiboot,kernel\", \"multiboot,module\"; reg = <its address and size>;"
        );
        log::error!("   cargo xtask run --arch aarch64 --module <kernel> does this for QEMU)");
        drop(boot);
        shutdown::fatal_boot_stop()
    };
    common::announce_dom0_kernel(&kernel);
    log::error!("Starting dom0 is not implemented yet in this Ferrite build");
    drop(boot);
    shutdown::fatal_boot_stop()
}
