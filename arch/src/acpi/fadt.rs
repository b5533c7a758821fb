//! The FADT (signature `FACP`): fixed hardware registers, reset, power-off and boot flags.
//!
//! ACPI 6.5 section 5.2.9 (field offsets, Tables 5.9-5.11) and 5.2.3.2 (generic address
//! structure). Xen consumes it in `xen/arch/x86/acpi/boot.c` (`acpi_fadt_parse_sleep_info`,
//! `acpi_fadt_parse_reg`) and `xen/drivers/acpi/tables/tbfadt.c`. The `acpi` crate's `Fadt`
//! struct reads its ACPI 2.0 fields from past the end of a short table, so the fields are read
//! here with bounds checks; like ACPICA, a field beyond the table's length counts as absent.

use super::bytes::{u8_at, u16_at, u32_at, u64_at};
use super::sdt::Diag;
use acpi::PowerProfile;
use acpi::address::{AddressSpace, GenericAddress as CrateGas, RawGenericAddress};
use alloc::string::String;
use alloc::vec::Vec;

/// An ACPI 1.0 FADT is 116 bytes; everything Ferrite needs up to `Flags` is inside it.
pub const FADT_V1_LEN: usize = 116;
/// Address space id of I/O ports in a generic address.
pub const SPACE_SYSTEM_IO: u8 = 1;
/// Address space id of memory in a generic address.
pub const SPACE_SYSTEM_MEMORY: u8 = 0;

/// `Flags` bits used by Ferrite.
const RESET_REG_SUP: u32 = 1 << 10;
const HW_REDUCED_ACPI: u32 = 1 << 20;

bitflags::bitflags! {
    /// `IAPC_BOOT_ARCH` (ACPI 6.5 Table 5.10).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
    pub struct IapcBootArch: u16 {
        /// LPC/ISA devices the OS cannot enumerate (e.g. a serial port) are present.
        const LEGACY_DEVICES = 1 << 0;
        /// An 8042 keyboard controller is present.
        const I8042 = 1 << 1;
        /// Do not probe for VGA.
        const VGA_NOT_PRESENT = 1 << 2;
        /// Do not enable MSI.
        const MSI_NOT_SUPPORTED = 1 << 3;
        /// Do not enable PCIe ASPM.
        const PCIE_ASPM_CONTROLS = 1 << 4;
        /// No CMOS RTC at the legacy ports.
        const CMOS_RTC_NOT_PRESENT = 1 << 5;
        const _ = !0;
    }
}

/// A generic address structure (12 bytes), copied out of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct GenericAddress {
    pub space_id: u8,
    pub bit_width: u8,
    pub bit_offset: u8,
    /// 0 undefined, 1 byte, 2 word, 3 dword, 4 qword.
    pub access_size: u8,
    pub address: u64,
}

impl GenericAddress {
    /// Decodes 12 bytes at `offset`, or `None` if they are not all in `bytes`.
    pub fn read(bytes: &[u8], offset: usize) -> Option<Self> {
        Some(Self {
            space_id: u8_at(bytes, offset)?,
            bit_width: u8_at(bytes, offset + 1)?,
            bit_offset: u8_at(bytes, offset + 2)?,
            access_size: u8_at(bytes, offset + 3)?,
            address: u64_at(bytes, offset + 4)?,
        })
    }

    /// An I/O port range given by a legacy 32-bit FADT field and its byte length.
    fn io_port(port: u32, len_bytes: u8) -> Self {
        Self {
            space_id: SPACE_SYSTEM_IO,
            bit_width: len_bytes.saturating_mul(8),
            bit_offset: 0,
            access_size: 0,
            address: u64::from(port),
        }
    }

    /// The address space, as the `acpi` crate names it (`None` for a reserved id).
    pub fn address_space(&self) -> Option<AddressSpace> {
        let raw = RawGenericAddress {
            address_space: self.space_id,
            bit_width: self.bit_width,
            bit_offset: self.bit_offset,
            access_size: self.access_size,
            address: self.address,
        };
        CrateGas::from_raw(raw).ok().map(|gas| gas.address_space)
    }
}

/// What the FADT says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FadtInfo {
    pub revision: u8,
    /// The DSDT: `X_DSDT` when present and non-zero, else the 32-bit `DSDT` field.
    pub dsdt_address: Option<u64>,
    /// The FACS: `X_FIRMWARE_CTRL` when present and non-zero, else `FIRMWARE_CTRL`.
    pub facs_address: Option<u64>,
    pub power_profile: PowerProfile,
    /// The SCI's GSI (or 8259 vector on PIC systems).
    pub sci_interrupt: u16,
    /// SMI command port (0: no SMM / already in ACPI mode).
    pub smi_command_port: u32,
    /// Written to the SMI command port to hand the ACPI registers to the OS.
    pub acpi_enable: u8,
    pub acpi_disable: u8,
    pub pm1a_event: Option<GenericAddress>,
    pub pm1b_event: Option<GenericAddress>,
    /// PM1a control block (SLP_TYPa/SLP_EN are written here to power off).
    pub pm1a_control: Option<GenericAddress>,
    pub pm1b_control: Option<GenericAddress>,
    pub pm_timer: Option<GenericAddress>,
    /// Raw `Flags`.
    pub flags: u32,
    /// `RESET_REG_SUP`: the reset register below may be used.
    pub reset_supported: bool,
    /// `RESET_REG`, when the table is long enough to hold it (ACPI 2.0+).
    pub reset_register: Option<GenericAddress>,
    pub reset_value: u8,
    /// `HW_REDUCED_ACPI`: no fixed PM1/GPE hardware; sleep goes through `sleep_control`.
    pub hardware_reduced: bool,
    pub iapc_boot_arch: IapcBootArch,
    /// CMOS RAM index of the century byte (0: none).
    pub century: u8,
    pub sleep_control: Option<GenericAddress>,
    pub sleep_status: Option<GenericAddress>,
}

/// A 64-bit `X_` generic address if present with a non-zero address, else the legacy port.
fn block(
    t: &[u8],
    x_offset: usize,
    legacy_offset: usize,
    len_offset: usize,
) -> Option<GenericAddress> {
    if let Some(gas) = GenericAddress::read(t, x_offset).filter(|g| g.address != 0) {
        return Some(gas);
    }
    let port = u32_at(t, legacy_offset).filter(|&p| p != 0)?;
    Some(GenericAddress::io_port(
        port,
        u8_at(t, len_offset).unwrap_or(0),
    ))
}

/// The 64-bit pointer at `x_offset` if present and non-zero, else the 32-bit one.
fn pointer(
    t: &[u8],
    x_offset: usize,
    offset: usize,
    diag: &mut Diag<'_>,
    what: &str,
) -> Option<u64> {
    let x = u64_at(t, x_offset).filter(|&a| a != 0);
    let legacy = u32_at(t, offset).map(u64::from).filter(|&a| a != 0);
    if let (Some(x), Some(l)) = (x, legacy)
        && x != l
    {
        diag.warn(format_args!(
            "{what} pointers differ ({l:#x} vs X_{what} {x:#x}); using X_{what}"
        ));
    }
    x.or(legacy)
}

/// Parses a checksum-valid FADT copy at `paddr`; `None` (with a warning) when it is shorter than
/// the ACPI 1.0 layout.
pub fn parse_fadt(t: &[u8], paddr: u64, warnings: &mut Vec<String>) -> Option<FadtInfo> {
    let mut diag = Diag::new(warnings, "FACP", paddr);
    if t.len() < FADT_V1_LEN {
        diag.warn(format_args!(
            "length {:#x} is shorter than its fixed fields ({FADT_V1_LEN:#x}); ignoring the FADT",
            t.len()
        ));
        return None;
    }
    let flags = u32_at(t, 112)?;
    let reset_register = GenericAddress::read(t, 116);
    let info = FadtInfo {
        revision: u8_at(t, 8)?,
        dsdt_address: pointer(t, 140, 40, &mut diag, "DSDT"),
        facs_address: pointer(t, 132, 36, &mut diag, "FIRMWARE_CTRL"),
        power_profile: power_profile(u8_at(t, 45)?),
        sci_interrupt: u16_at(t, 46)?,
        smi_command_port: u32_at(t, 48)?,
        acpi_enable: u8_at(t, 52)?,
        acpi_disable: u8_at(t, 53)?,
        pm1a_event: block(t, 148, 56, 88),
        pm1b_event: block(t, 160, 60, 88),
        pm1a_control: block(t, 172, 64, 89),
        pm1b_control: block(t, 184, 68, 89),
        pm_timer: block(t, 208, 76, 91),
        flags,
        reset_supported: flags & RESET_REG_SUP != 0 && reset_register.is_some(),
        reset_register,
        reset_value: u8_at(t, 128).unwrap_or(0),
        hardware_reduced: flags & HW_REDUCED_ACPI != 0,
        iapc_boot_arch: IapcBootArch::from_bits_retain(u16_at(t, 109)?),
        century: u8_at(t, 108)?,
        sleep_control: GenericAddress::read(t, 244).filter(|g| g.address != 0),
        sleep_status: GenericAddress::read(t, 256).filter(|g| g.address != 0),
    };
    if flags & RESET_REG_SUP != 0 && info.reset_register.is_none() {
        diag.warn(format_args!(
            "RESET_REG_SUP is set but the table has no reset register"
        ));
    }
    if info.dsdt_address.is_none() && !info.hardware_reduced {
        diag.warn(format_args!("no DSDT pointer"));
    }
    Some(info)
}

/// `Preferred_PM_Profile` as the `acpi` crate names it (its own decoder needs a mapped `Fadt`).
fn power_profile(raw: u8) -> PowerProfile {
    match raw {
        0 => PowerProfile::Unspecified,
        1 => PowerProfile::Desktop,
        2 => PowerProfile::Mobile,
        3 => PowerProfile::Workstation,
        4 => PowerProfile::EnterpriseServer,
        5 => PowerProfile::SohoServer,
        6 => PowerProfile::AppliancePc,
        7 => PowerProfile::PerformanceServer,
        8 => PowerProfile::Tablet,
        other => PowerProfile::Reserved(other),
    }
}
