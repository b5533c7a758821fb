//! ACPI tables: what Ferrite reads from firmware at boot.
//!
//! Entry points: [`read_acpi`] (from an RSDP address or a multiboot2 copy) and
//! [`scan_bios_for_rsdp`]. Physical memory is reached through [`PhysMem`]: [`IdentityHandler`] on
//! the hypervisor, [`FakeMemory`] in tests. Tables are copied and parsed with bounds checks
//! rather than through the `acpi` crate's mapped structs, which trust firmware lengths (see each
//! module's doc); the crate supplies shared vocabulary (`Polarity`, `TriggerMode`,
//! `AddressSpace`, `PowerProfile`). Mirrors Xen's `xen/arch/x86/acpi/boot.c` and
//! `xen/drivers/acpi/tables/`.
//!
//! Why not the crate's table structs (v6.1.1): `Handler::map_physical_region` cannot fail, so a
//! length running past mapped memory is read anyway; `Madt::entries` never advances past a
//! zero-length entry (an endless loop) and reads past entries shorter than their type;
//! `Madt::entries`, `Mcfg::entries` and `AcpiTables::table_entries` subtract the header size from
//! an unchecked length (an overflow panic); `Rsdp::validate` and `SdtHeader::validate` sum
//! `length` bytes beyond their mapping; `Fadt`'s ACPI 2.0 fields are read past a short table; and
//! `Signature`'s `Display` unwraps UTF-8. For the AML interpreter, see [`s5`].

mod bytes;
pub mod fadt;
pub mod handler;
pub mod hpet;
pub mod info;
pub mod iommu_tables;
pub mod madt;
pub mod mcfg;
pub mod rsdp;
pub mod s5;
pub mod sdt;
pub mod summary;

#[cfg(test)]
mod tests;

pub use acpi::PowerProfile;
pub use acpi::address::AddressSpace;
pub use acpi::sdt::madt::{Polarity, TriggerMode};
pub use fadt::{FadtInfo, GenericAddress, IapcBootArch, parse_fadt};
pub use handler::{FakeMemory, IdentityHandler, MemError, PhysMem};
pub use hpet::{HpetInfo, parse_hpet};
pub use info::{AcpiInfo, RsdpSource, read_acpi};
pub use iommu_tables::{DmarInfo, Drhd, Ivhd, IvrsInfo, parse_dmar, parse_ivrs};
pub use madt::{
    InterruptOverride, IoApic, LocalApicNmi, MadtInfo, NmiSource, Processor, parse_madt,
};
pub use mcfg::{McfgEntry, parse_mcfg};
pub use rsdp::{Rsdp, RsdpError, parse_rsdp, read_rsdp, scan_bios_for_rsdp};
pub use s5::{PM1_SLEEP_BITS, S5Error, SleepType, find_s5};
pub use sdt::{TableEntry, format_rsdp_line, format_table_line};
pub use summary::{format_gas, summary_lines};
