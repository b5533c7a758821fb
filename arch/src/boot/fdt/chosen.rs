//! `/chosen` as Xen's Arm boot protocol reads it (`docs/misc/arm/device-tree/booting.txt`):
//! Ferrite's and dom0's command lines, the `multiboot,module` nodes, and the console UART
//! (`dtuart=` or `stdout-path`).

use fdt::Fdt;

use super::{DtDiag, DtInfo, ModuleKind, check, first_reg, has_compatible, phys_str};
use crate::boot::info::{BootDiag, BootInfo, Module};

pub(super) fn read_chosen(
    fdt: &Fdt<'_>,
    blob: &[u8],
    blob_pa: u64,
    info: &mut BootInfo,
    dt: &mut DtInfo,
    diag: &mut dyn FnMut(DtDiag),
) {
    let Some(chosen) = fdt.find_node("/chosen") else {
        return;
    };
    let prop_str = |name: &str| {
        chosen
            .property(name)
            .and_then(|p| phys_str(blob, blob_pa, p.value))
    };
    // Xen's rule: its own line from xen,xen-bootargs, else from bootargs.
    info.cmdline = prop_str("xen,xen-bootargs").or_else(|| prop_str("bootargs"));
    dt.dom0_bootargs = prop_str("xen,dom0-bootargs");
    // The kernel first, then the ramdisk, then any other module, each in DT order.
    for want in [ModuleKind::Kernel, ModuleKind::Ramdisk, ModuleKind::Other] {
        for node in chosen.children() {
            let kind = if has_compatible(node, &["multiboot,kernel", "xen,linux-zimage"]) {
                ModuleKind::Kernel
            } else if has_compatible(node, &["multiboot,ramdisk", "xen,linux-initrd"]) {
                ModuleKind::Ramdisk
            } else if has_compatible(node, &["multiboot,module", "xen,multiboot-module"]) {
                ModuleKind::Other
            } else {
                continue;
            };
            if kind != want {
                continue;
            }
            let Some((start, size)) = first_reg(node) else {
                diag(DtDiag::BadModule);
                continue;
            };
            let cmdline = node
                .property("bootargs")
                .and_then(|p| phys_str(blob, blob_pa, p.value))
                .or(if kind == ModuleKind::Kernel {
                    dt.dom0_bootargs
                } else {
                    None
                });
            let index = info.modules().len();
            let m = Module {
                start,
                end: start.saturating_add(size),
                cmdline,
            };
            if info.push_module(m) {
                if let Some(k) = dt.module_kinds.get_mut(index) {
                    *k = kind;
                }
            } else {
                diag(DtDiag::Boot(BootDiag::TooManyModules {
                    count: index as u64 + 1,
                }));
            }
        }
    }
}

/// The console UART a `dtuart=` value names (a path or an alias, with Xen's optional
/// `:options` suffix), or `/chosen/stdout-path` when there is none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UartInfo {
    pub base: u64,
    pub size: u64,
    /// Whether it is an `arm,pl011` (the only DT UART Ferrite drives so far).
    pub pl011: bool,
}

/// Finds the console UART (after [`parse`] accepted `blob`).
pub fn find_uart(blob: &[u8], dtuart: Option<&[u8]>) -> Option<UartInfo> {
    check::validate(blob).ok()?;
    let fdt = Fdt::new(blob).ok()?;
    let spec: &[u8] = match dtuart {
        Some(s) if !s.is_empty() => s,
        _ => fdt
            .find_node("/chosen")
            .and_then(|c| c.property("stdout-path"))
            .map(|p| p.value)?,
    };
    let spec = spec.split(|&b| b == 0 || b == b':').next().unwrap_or(&[]);
    let spec = core::str::from_utf8(spec).ok()?;
    let node = if spec.starts_with('/') {
        fdt.find_node(spec)?
    } else {
        let path = fdt.aliases()?.resolve(spec)?;
        fdt.find_node(path)?
    };
    let (base, size) = first_reg(node)?;
    Some(UartInfo {
        base,
        size,
        pl011: has_compatible(node, &["arm,pl011"]),
    })
}
