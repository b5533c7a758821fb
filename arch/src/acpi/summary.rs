//! Boot log lines summarising what was read (Xen prints similar lines from
//! `xen/arch/x86/acpi/boot.c` and `xen/drivers/acpi/tables.c`, `acpi_table_print_madt_entry`;
//! the wording here is Ferrite's own).

use super::fadt::{GenericAddress, SPACE_SYSTEM_IO, SPACE_SYSTEM_MEMORY};
use super::info::AcpiInfo;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// `io:0x604/16`, `mem:0xfed00000/32`, or `space5:0x70/8`.
pub fn format_gas(g: &GenericAddress) -> String {
    let space = match g.space_id {
        SPACE_SYSTEM_IO => String::from("io"),
        SPACE_SYSTEM_MEMORY => String::from("mem"),
        other => format!("space{other}"),
    };
    format!("{space}:{:#x}/{}", g.address, g.bit_width)
}

fn opt_gas(g: Option<GenericAddress>) -> String {
    g.as_ref().map_or_else(|| String::from("none"), format_gas)
}

/// One line per fact worth seeing at boot, after the table list.
pub fn summary_lines(info: &AcpiInfo) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(m) = &info.madt {
        out.push(format!(
            "ACPI: local APIC at {:#x}{}, PCAT_COMPAT {}",
            m.local_apic_address,
            if m.local_apic_address_overridden {
                " (override)"
            } else {
                ""
            },
            if m.pcat_compat { "set" } else { "clear" }
        ));
        for p in &m.processors {
            let state = match (p.enabled, p.online_capable) {
                (true, _) => "enabled",
                (false, true) => "online-capable",
                (false, false) => "disabled",
            };
            let kind = if p.x2apic { "X2APIC" } else { "LAPIC" };
            out.push(format!(
                "ACPI: {kind} (uid {} apic_id {:#x} {state})",
                p.uid, p.apic_id
            ));
        }
        for a in &m.io_apics {
            out.push(format!(
                "ACPI: IOAPIC (id {} address {:#x} gsi_base {})",
                a.id, a.address, a.gsi_base
            ));
        }
        for o in &m.overrides {
            out.push(format!(
                "ACPI: INT_SRC_OVR (bus {} irq {} gsi {} {:?} {:?})",
                o.bus, o.irq, o.gsi, o.polarity, o.trigger
            ));
        }
        for n in &m.nmi_sources {
            out.push(format!(
                "ACPI: NMI_SRC (gsi {} {:?} {:?})",
                n.gsi, n.polarity, n.trigger
            ));
        }
        for n in &m.local_apic_nmis {
            let uid = n
                .uid
                .map_or_else(|| String::from("all"), |u| format!("{u}"));
            out.push(format!(
                "ACPI: LAPIC_NMI (uid {uid} lint {} {:?} {:?})",
                n.lint, n.polarity, n.trigger
            ));
        }
    }
    if let Some(f) = &info.fadt {
        out.push(format!(
            "ACPI: SCI {}, SMI_CMD {:#x} (enable {:#x}), PM1a_CNT {}, PM1b_CNT {}, PM_TMR {}",
            f.sci_interrupt,
            f.smi_command_port,
            f.acpi_enable,
            opt_gas(f.pm1a_control),
            opt_gas(f.pm1b_control),
            opt_gas(f.pm_timer)
        ));
        out.push(format!(
            "ACPI: reset register {} value {:#x} ({}), boot flags {:?}, century {:#x}{}",
            opt_gas(f.reset_register),
            f.reset_value,
            if f.reset_supported {
                "usable"
            } else {
                "not supported"
            },
            f.iapc_boot_arch,
            f.century,
            if f.hardware_reduced {
                ", hardware-reduced"
            } else {
                ""
            }
        ));
    }
    out.push(match info.s5 {
        Some(s) => format!(
            "ACPI: S5 SLP_TYPa {:#x} SLP_TYPb {:#x}",
            s.slp_typ_a, s.slp_typ_b
        ),
        None => String::from("ACPI: no S5 sleep type"),
    });
    if let Some(h) = &info.hpet {
        out.push(format!(
            "ACPI: HPET {} at {:#x}: {} comparators, {}-bit counter, vendor {:#06x}, min tick {}",
            h.hpet_number,
            h.base_address,
            h.comparators,
            if h.counter_64bit { 64 } else { 32 },
            h.pci_vendor_id,
            h.min_tick
        ));
    }
    for e in &info.mcfg {
        out.push(format!(
            "ACPI: MCFG segment {} buses {:02x}-{:02x} at {:#x}",
            e.segment, e.bus_start, e.bus_end, e.base_address
        ));
    }
    if let Some(d) = &info.dmar {
        out.push(format!(
            "ACPI: DMAR host address width {}, flags {:#x}: {} DRHD, {} RMRR, {} ATSR, {} RHSA",
            d.host_address_width,
            d.flags,
            d.drhds.len(),
            d.rmrr_count,
            d.atsr_count,
            d.rhsa_count
        ));
        for u in &d.drhds {
            out.push(format!(
                "ACPI: DRHD at {:#x} segment {} flags {:#x}{}, {} device scopes",
                u.register_base,
                u.segment,
                u.flags,
                if u.include_pci_all {
                    " (INCLUDE_PCI_ALL)"
                } else {
                    ""
                },
                u.device_scopes
            ));
        }
    }
    if let Some(i) = &info.ivrs {
        out.push(format!(
            "ACPI: IVRS IVinfo {:#x} (PA {} bits, VA {} bits): {} IVHD, {} IVMD",
            i.iv_info,
            i.phys_addr_size,
            i.virt_addr_size,
            i.ivhds.len(),
            i.ivmd_count
        ));
        for h in &i.ivhds {
            out.push(format!(
                "ACPI: IVHD type {:#x} at {:#x} segment {} device {:02x}:{:02x}.{}",
                h.kind,
                h.base_address,
                h.segment,
                h.device_id >> 8,
                (h.device_id >> 3) & 0x1f,
                h.device_id & 7
            ));
        }
    }
    out
}
