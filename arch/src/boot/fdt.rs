//! The device-tree reader for Arm boots: what Xen's `xen/arch/arm/bootfdt.c` and
//! `xen/common/device-tree/` take from the DTB, following Xen's Arm boot protocol
//! (`docs/misc/arm/device-tree/booting.txt`): memory banks, reserved memory, CPUs (MPIDRs),
//! PSCI, the GIC (v2 or v3), the generic timer, the console UART and `/chosen` with
//! `xen,xen-bootargs`, `xen,dom0-bootargs` and the `multiboot,module` nodes.
//!
//! The blob is untrusted: [`check::validate`] walks it completely before the `fdt` crate sees
//! it, so a malformed blob is an error value and never a panic. Strings stay in the blob (the
//! kernel keeps it reserved): command lines are [`PhysStr`]s at `blob_pa + offset`.

pub mod check;
mod chosen;

use chosen::read_chosen;
pub use chosen::{UartInfo, find_uart};

use core::fmt;

use fdt::Fdt;
use fdt::node::FdtNode;

use super::info::{BootDiag, BootInfo, Loader, MAX_MODULES, PhysRange, PhysStr};
use crate::mm::memmap::RegionKind;

/// Most CPUs read from `/cpus`.
pub const MAX_DT_CPUS: usize = 256;
/// Most reserved regions (`/memreserve/` plus `/reserved-memory`) kept.
pub const MAX_RESERVED: usize = 12;
/// Most GICv3 redistributor regions kept.
pub const MAX_REDIST_REGIONS: usize = 8;

/// Why the device tree cannot be used at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DtError {
    /// No blob: the loader passed a null pointer.
    NoBlob,
    BadMagic {
        found: u32,
    },
    /// A part of the blob lies beyond its end or beyond `totalsize`.
    Truncated {
        what: &'static str,
        need: u64,
        have: u64,
    },
    TooLarge {
        size: u32,
    },
    BadVersion {
        version: u32,
    },
    Malformed {
        what: &'static str,
        offset: u64,
    },
    /// No `/memory` node with a usable bank.
    NoMemory,
    /// No GICv2 or GICv3 node.
    NoGic,
    /// A required node's `reg` uses more than two cells per value, or is cut short.
    CellsOutOfRange {
        node: &'static str,
    },
}

impl fmt::Display for DtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::NoBlob => write!(f, "no device tree was passed (x0 = 0)"),
            Self::BadMagic { found } => {
                write!(
                    f,
                    "bad magic {found:#010x} (expected {:#010x})",
                    check::FDT_MAGIC
                )
            }
            Self::Truncated { what, need, have } => write!(
                f,
                "truncated: the {what} needs {need:#x} bytes, the blob has {have:#x}"
            ),
            Self::TooLarge { size } => write!(
                f,
                "totalsize {size:#x} is larger than the {:#x}-byte limit",
                check::MAX_SIZE
            ),
            Self::BadVersion { version } => write!(f, "unsupported version {version}"),
            Self::Malformed { what, offset } => write!(f, "malformed at {offset:#x}: {what}"),
            Self::NoMemory => write!(f, "no /memory node with a memory bank"),
            Self::NoGic => write!(f, "no interrupt controller (GICv2 or GICv3 node) found"),
            Self::CellsOutOfRange { node } => {
                write!(
                    f,
                    "{node}: 'reg' cells out of range (more than 2, or cut short)"
                )
            }
        }
    }
}

/// Something odd but survivable in the tree; the kernel prints each as a warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DtDiag {
    Boot(BootDiag),
    TooManyCpus {
        count: usize,
    },
    TooManyReserved,
    TooManyRedistRegions,
    /// A `multiboot,module` node without a usable `reg`.
    BadModule,
    /// A node Ferrite reads has `reg` cells it cannot use; the node was ignored.
    BadReg {
        node: &'static str,
    },
    UnknownPsciMethod,
}

impl fmt::Display for DtDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Boot(d) => d.fmt(f),
            Self::TooManyCpus { count } => {
                write!(f, "DT: {count} CPUs; only the first {MAX_DT_CPUS} are used")
            }
            Self::TooManyReserved => {
                write!(
                    f,
                    "DT: more than {MAX_RESERVED} reserved regions; the rest are ignored"
                )
            }
            Self::TooManyRedistRegions => write!(
                f,
                "DT: more than {MAX_REDIST_REGIONS} GICv3 redistributor regions; the rest are ignored"
            ),
            Self::BadModule => write!(
                f,
                "DT: a multiboot,module node has no usable 'reg'; ignored"
            ),
            Self::BadReg { node } => write!(f, "DT: {node}: unusable 'reg'; ignored"),
            Self::UnknownPsciMethod => write!(f, "DT: PSCI 'method' is neither smc nor hvc"),
        }
    }
}

/// The GIC, as the DT describes it. Interrupt numbers are GIC INTIDs (PPI n = 16 + n).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GicInfo {
    V2 {
        dist: PhysRange,
        cpu: PhysRange,
        hyp: Option<PhysRange>,
        vcpu: Option<PhysRange>,
        maintenance: Option<u32>,
    },
    V3 {
        dist: PhysRange,
        redists: [PhysRange; MAX_REDIST_REGIONS],
        redist_count: usize,
        maintenance: Option<u32>,
    },
}

impl GicInfo {
    pub fn version(&self) -> u8 {
        match self {
            Self::V2 { .. } => 2,
            Self::V3 { .. } => 3,
        }
    }

    pub fn maintenance(&self) -> Option<u32> {
        match *self {
            Self::V2 { maintenance, .. } | Self::V3 { maintenance, .. } => maintenance,
        }
    }
}

/// The generic timer's interrupts (INTIDs) and an optional frequency override.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimerInfo {
    pub secure_phys: Option<u32>,
    pub phys: Option<u32>,
    pub virt: Option<u32>,
    pub hyp_phys: Option<u32>,
    /// `clock-frequency`: firmware that leaves CNTFRQ_EL0 unset states it here.
    pub clock_frequency: Option<u32>,
}

/// How PSCI calls are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PsciMethod {
    Smc,
    Hvc,
}

/// What a boot module is (Xen's `multiboot,kernel` / `multiboot,ramdisk`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleKind {
    Kernel,
    Ramdisk,
    Other,
}

impl ModuleKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Kernel => "kernel",
            Self::Ramdisk => "ramdisk",
            Self::Other => "module",
        }
    }
}

/// The Arm-specific part of what the DT says (the rest goes into [`BootInfo`]).
#[derive(Clone, Debug)]
pub struct DtInfo {
    pub gic: Option<GicInfo>,
    pub timer: Option<TimerInfo>,
    pub psci: Option<PsciMethod>,
    /// The PSCI node's newest `compatible` (e.g. "arm,psci-1.0").
    pub psci_compatible: &'static str,
    mpidrs: [u64; MAX_DT_CPUS],
    cpu_count: usize,
    reserved: [PhysRange; MAX_RESERVED],
    reserved_count: usize,
    /// The kinds of [`BootInfo::modules`], in the same order.
    pub module_kinds: [ModuleKind; MAX_MODULES],
    /// `xen,dom0-bootargs`.
    pub dom0_bootargs: Option<PhysStr>,
    /// The blob itself.
    pub blob: PhysRange,
}

impl DtInfo {
    pub const fn new() -> DtInfo {
        const NO_RANGE: PhysRange = PhysRange { start: 0, end: 0 };
        DtInfo {
            gic: None,
            timer: None,
            psci: None,
            psci_compatible: "",
            mpidrs: [0; MAX_DT_CPUS],
            cpu_count: 0,
            reserved: [NO_RANGE; MAX_RESERVED],
            reserved_count: 0,
            module_kinds: [ModuleKind::Other; MAX_MODULES],
            dom0_bootargs: None,
            blob: NO_RANGE,
        }
    }

    /// The MPIDR affinity of each CPU in `/cpus`, in DT order.
    pub fn mpidrs(&self) -> &[u64] {
        self.mpidrs.get(..self.cpu_count).unwrap_or(&[])
    }

    /// `/memreserve/` entries and `/reserved-memory` regions.
    pub fn reserved(&self) -> &[PhysRange] {
        self.reserved.get(..self.reserved_count).unwrap_or(&[])
    }

    fn push_reserved(&mut self, start: u64, len: u64, diag: &mut dyn FnMut(DtDiag)) {
        let end = start.saturating_add(len);
        if end <= start {
            return;
        }
        match self.reserved.get_mut(self.reserved_count) {
            Some(slot) => {
                *slot = PhysRange { start, end };
                self.reserved_count += 1;
            }
            None => diag(DtDiag::TooManyReserved),
        }
    }
}

impl Default for DtInfo {
    fn default() -> Self {
        Self::new()
    }
}

/// A node's `reg` entries as `(address, size)`. `Err` when it has `reg` but Ferrite cannot
/// read it (cells above 2); `Ok` of an empty iterator when it has none.
fn regs<'a>(node: FdtNode<'_, 'a>) -> Result<impl Iterator<Item = (u64, u64)> + 'a, ()> {
    let has = node.property("reg").is_some();
    match node.reg() {
        Some(it) => Ok(
            Some(it.map(|r| (r.starting_address as u64, r.size.unwrap_or(0) as u64)))
                .into_iter()
                .flatten(),
        ),
        None if has => Err(()),
        None => Ok(None.into_iter().flatten()),
    }
}

fn first_reg(node: FdtNode<'_, '_>) -> Option<(u64, u64)> {
    regs(node).ok()?.next()
}

fn range(r: (u64, u64)) -> PhysRange {
    PhysRange {
        start: r.0,
        end: r.0.saturating_add(r.1),
    }
}

fn has_compatible(node: FdtNode<'_, '_>, names: &[&str]) -> bool {
    node.compatible()
        .is_some_and(|c| c.all().any(|s| names.contains(&s)))
}

fn is_disabled(node: FdtNode<'_, '_>) -> bool {
    node.property("status")
        .is_some_and(|p| !(p.value.starts_with(b"okay") || p.value.starts_with(b"ok\0")))
}

/// Where in the blob `value` lies, as a string in physical memory.
fn phys_str(blob: &[u8], blob_pa: u64, value: &[u8]) -> Option<PhysStr> {
    let off = (value.as_ptr() as usize).checked_sub(blob.as_ptr() as usize)?;
    let len = value.iter().position(|&b| b == 0).unwrap_or(value.len());
    Some(PhysStr {
        paddr: blob_pa.checked_add(off as u64)?,
        len: len as u64,
    })
}

/// An interrupt specifier of the GIC binding (3 cells: type, number, flags) as an INTID.
fn gic_intid(cells: &[u8]) -> Option<u32> {
    let ty = check::be32(cells, 0)?;
    let n = check::be32(cells, 4)?;
    match ty {
        0 => n.checked_add(32),
        1 => n.checked_add(16),
        _ => None,
    }
}

/// The `index`-th 3-cell interrupt of `node`.
fn interrupt(node: FdtNode<'_, '_>, index: usize) -> Option<u32> {
    let v = node.property("interrupts")?.value;
    gic_intid(v.get(index * 12..index * 12 + 12)?)
}

/// Reads the whole tree into `info` and `dt`. `blob` is the DTB's bytes at `blob_pa`.
pub fn parse(
    blob: &[u8],
    blob_pa: u64,
    info: &mut BootInfo,
    dt: &mut DtInfo,
    diag: &mut dyn FnMut(DtDiag),
) -> Result<(), DtError> {
    let total = check::validate(blob)?;
    let blob = blob.get(..total).unwrap_or(blob);
    let fdt = Fdt::new(blob).map_err(|_| DtError::Truncated {
        what: "blob",
        need: total as u64,
        have: blob.len() as u64,
    })?;
    info.reset(Loader::Fdt);
    *dt = DtInfo::new();
    dt.blob = PhysRange {
        start: blob_pa,
        end: blob_pa.saturating_add(total as u64),
    };
    info.push_boot_range(dt.blob.as_range(), &mut |d| diag(DtDiag::Boot(d)));
    let root = fdt.find_node("/").ok_or(DtError::Malformed {
        what: "no root node",
        offset: 0,
    })?;

    read_memory(root, info, diag)?;
    for (addr, size) in check::reservations(blob) {
        dt.push_reserved(addr, size, diag);
    }
    if let Some(rm) = fdt.find_node("/reserved-memory") {
        for child in rm.children().filter(|c| !is_disabled(*c)) {
            match regs(child) {
                Ok(it) => it.for_each(|(a, s)| dt.push_reserved(a, s, diag)),
                Err(()) => diag(DtDiag::BadReg {
                    node: "/reserved-memory",
                }),
            }
        }
    }
    read_cpus(&fdt, dt, diag);
    read_psci(&fdt, dt, diag);
    dt.gic = Some(read_gic(&fdt, diag)?);
    dt.timer = fdt
        .find_compatible(&["arm,armv8-timer", "arm,armv7-timer"])
        .map(|t| TimerInfo {
            secure_phys: interrupt(t, 0),
            phys: interrupt(t, 1),
            virt: interrupt(t, 2),
            hyp_phys: interrupt(t, 3),
            clock_frequency: t
                .property("clock-frequency")
                .and_then(|p| check::be32(p.value, 0)),
        });
    read_chosen(&fdt, blob, blob_pa, info, dt, diag);
    Ok(())
}

fn read_memory(
    root: FdtNode<'_, '_>,
    info: &mut BootInfo,
    diag: &mut dyn FnMut(DtDiag),
) -> Result<(), DtError> {
    let mut banks = 0;
    for node in root.children() {
        let is_memory = node.name == "memory"
            || node.name.starts_with("memory@")
            || node
                .property("device_type")
                .is_some_and(|p| p.value.starts_with(b"memory\0"));
        if !is_memory || is_disabled(node) {
            continue;
        }
        let it = regs(node).map_err(|()| DtError::CellsOutOfRange { node: "/memory" })?;
        for (start, size) in it {
            if size == 0 {
                continue;
            }
            let end = start.saturating_add(size);
            info.memory_map.add(start, end, RegionKind::Ram, &mut |r| {
                diag(DtDiag::Boot(BootDiag::Memmap(r)))
            });
            banks += 1;
        }
    }
    if banks == 0 || info.memory_map.totals().ram == 0 {
        return Err(DtError::NoMemory);
    }
    Ok(())
}

fn read_cpus(fdt: &Fdt<'_>, dt: &mut DtInfo, diag: &mut dyn FnMut(DtDiag)) {
    let Some(cpus) = fdt.find_node("/cpus") else {
        return;
    };
    let mut count = 0;
    for cpu in cpus.children() {
        let is_cpu = cpu
            .property("device_type")
            .is_some_and(|p| p.value.starts_with(b"cpu\0"));
        if !is_cpu || is_disabled(cpu) {
            continue;
        }
        let Some((mpidr, _)) = first_reg(cpu) else {
            diag(DtDiag::BadReg { node: "/cpus/cpu" });
            continue;
        };
        count += 1;
        if let Some(slot) = dt.mpidrs.get_mut(dt.cpu_count) {
            *slot = mpidr;
            dt.cpu_count += 1;
        }
    }
    if count > MAX_DT_CPUS {
        diag(DtDiag::TooManyCpus { count });
    }
}

fn read_psci(fdt: &Fdt<'_>, dt: &mut DtInfo, diag: &mut dyn FnMut(DtDiag)) {
    const KNOWN: [&str; 3] = ["arm,psci-1.0", "arm,psci-0.2", "arm,psci"];
    let Some(node) = fdt.find_compatible(&KNOWN) else {
        return;
    };
    dt.psci_compatible = KNOWN
        .iter()
        .find(|k| has_compatible(node, &[k]))
        .copied()
        .unwrap_or("arm,psci");
    dt.psci = match node.property("method").map(|p| p.value) {
        Some(v) if v.starts_with(b"smc") => Some(PsciMethod::Smc),
        Some(v) if v.starts_with(b"hvc") => Some(PsciMethod::Hvc),
        _ => {
            diag(DtDiag::UnknownPsciMethod);
            None
        }
    };
}

fn read_gic(fdt: &Fdt<'_>, diag: &mut dyn FnMut(DtDiag)) -> Result<GicInfo, DtError> {
    if let Some(node) = fdt
        .all_nodes()
        .find(|n| has_compatible(*n, &["arm,gic-v3"]) && !is_disabled(*n))
    {
        let mut it = regs(node).map_err(|()| DtError::CellsOutOfRange { node: "GICv3" })?;
        let dist = it
            .next()
            .ok_or(DtError::CellsOutOfRange { node: "GICv3" })?;
        let wanted = node
            .property("#redistributor-regions")
            .and_then(|p| check::be32(p.value, 0))
            .unwrap_or(1) as usize;
        let mut redists = [PhysRange { start: 0, end: 0 }; MAX_REDIST_REGIONS];
        let mut redist_count = 0;
        for r in it.take(wanted) {
            match redists.get_mut(redist_count) {
                Some(slot) => {
                    *slot = range(r);
                    redist_count += 1;
                }
                None => {
                    diag(DtDiag::TooManyRedistRegions);
                    break;
                }
            }
        }
        if redist_count == 0 {
            return Err(DtError::CellsOutOfRange {
                node: "GICv3 redistributors",
            });
        }
        return Ok(GicInfo::V3 {
            dist: range(dist),
            redists,
            redist_count,
            maintenance: interrupt(node, 0),
        });
    }
    const V2: [&str; 5] = [
        "arm,gic-400",
        "arm,cortex-a15-gic",
        "arm,cortex-a9-gic",
        "arm,cortex-a7-gic",
        "arm,gic-v2",
    ];
    let node = fdt
        .all_nodes()
        .find(|n| has_compatible(*n, &V2) && !is_disabled(*n))
        .ok_or(DtError::NoGic)?;
    let mut it = regs(node).map_err(|()| DtError::CellsOutOfRange { node: "GICv2" })?;
    let (Some(dist), Some(cpu)) = (it.next(), it.next()) else {
        return Err(DtError::CellsOutOfRange { node: "GICv2" });
    };
    Ok(GicInfo::V2 {
        dist: range(dist),
        cpu: range(cpu),
        hyp: it.next().map(range),
        vcpu: it.next().map(range),
        maintenance: interrupt(node, 0),
    })
}

#[cfg(test)]
mod tests;
