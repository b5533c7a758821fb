//! The layout table: every struct, field and constant of the crate with its Xen C name.
//!
//! The `xen_abi!` macro (see `macros.rs`) records each item here as it declares it, with the size,
//! alignment and offsets that were also asserted at compile time. The host test
//! `tests/c_layout.rs` compiles a C program against Xen's own public headers for x86_64 and arm64
//! and compares every entry. Layouts of `#[repr(C)]` structs built from fixed-width integers are
//! the same on both 64-bit targets, so the host build yields both arches' values; arch-only
//! modules (`arch_x86`, `arch_arm`) are compiled everywhere and listed only for their arch.

/// A target architecture whose layouts the crate mirrors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    /// x86_64 (`arch-x86/xen-x86_64.h`).
    X86_64,
    /// arm64 (`arch-arm.h`).
    Aarch64,
}

/// One field of a struct: its C member name (possibly a path such as `u.interdomain`) and offset.
#[derive(Clone, Copy, Debug)]
pub struct FieldLayout {
    /// The C member designator, as written in `offsetof()`.
    pub c_name: &'static str,
    /// Its byte offset.
    pub offset: usize,
    /// The Xen release that added it, when newer than 4.17.
    pub since: Option<&'static str>,
}

/// One struct (or typedef) with its C type spelling.
#[derive(Clone, Copy, Debug)]
pub struct StructLayout {
    /// The C type, e.g. `struct evtchn_alloc_unbound` or `domid_t`.
    pub c_type: &'static str,
    /// The Rust type name.
    pub rust_name: &'static str,
    /// `sizeof`.
    pub size: usize,
    /// `_Alignof`.
    pub align: usize,
    /// The fields Xen names (Rust-only padding is left out).
    pub fields: &'static [FieldLayout],
    /// When the 4.17 headers CI checks against cannot check it: the Xen release that added it
    /// (`"4.19"`), `"x86_64 only"`/`"arm64 only"` for an item one arch's headers lack, or
    /// another reason.
    pub since: Option<&'static str>,
}

/// One constant with its Xen C name.
#[derive(Clone, Copy, Debug)]
pub struct ConstLayout {
    /// The C macro or enumerator name.
    pub c_name: &'static str,
    /// The value, as the C expression cast to `unsigned long long` gives it.
    pub value: u64,
    /// The Xen release that added or changed it, when newer than 4.17.
    pub since: Option<&'static str>,
}

/// Everything one module (one Xen header) declares.
#[derive(Clone, Copy, Debug)]
pub struct ModuleTable {
    /// The Rust module path.
    pub module: &'static str,
    /// The C header to include, relative to `xen/` (e.g. `event_channel.h`).
    pub header: &'static str,
    /// The structs.
    pub structs: &'static [StructLayout],
    /// The constants, grouped by enum (the last group holds the plain constants).
    pub consts: &'static [&'static [ConstLayout]],
    /// Converts `raw` with every enum's `TryFrom` and checks that an accepted value converts
    /// back to the same number; returns how many enums accepted it, or the enum that did not
    /// round-trip. For the `abi_raw_conversions` fuzz target.
    pub raw_round_trip: fn(u64) -> Result<usize, &'static str>,
}

/// The modules whose layouts hold on both architectures.
const COMMON: &[ModuleTable] = &[
    crate::xen::TABLE,
    crate::errno::TABLE,
    crate::version::TABLE,
    crate::features::TABLE,
    crate::sched::TABLE,
    crate::memory::TABLE,
    crate::vcpu::TABLE,
    crate::event_channel::TABLE,
    crate::grant_table::TABLE,
    crate::physdev::TABLE,
    crate::callback::TABLE,
    crate::elfnote::TABLE,
    crate::hvm::hvm_op::TABLE,
    crate::hvm::params::TABLE,
    crate::hvm::start_info::TABLE,
    crate::hvm::hvm_vcpu::TABLE,
    crate::io::xs_wire::TABLE,
    crate::io::console::TABLE,
    crate::io::xenbus::TABLE,
    crate::hvm::hvm_info_table::TABLE,
    crate::hvm::e820::TABLE,
    crate::hvm::ioreq::TABLE,
    crate::nmi::TABLE,
    crate::kexec::TABLE,
    crate::hypfs::TABLE,
    crate::argo::TABLE,
    crate::xsm::flask_op::TABLE,
    crate::domctl::op::TABLE,
    crate::domctl::consts::TABLE,
    crate::domctl::sched::TABLE,
    crate::domctl::memory::TABLE,
    crate::domctl::device::TABLE,
    crate::domctl::monitor::TABLE,
    crate::sysctl::op::TABLE,
    crate::sysctl::consts::TABLE,
    crate::sysctl::info::TABLE,
    crate::sysctl::sched::TABLE,
    crate::sysctl::pm::TABLE,
    crate::sysctl::misc::TABLE,
    crate::sysctl::livepatch::TABLE,
    crate::hvm::dm_op::TABLE,
    crate::platform::op::TABLE,
    crate::platform::consts::TABLE,
    crate::platform::system::TABLE,
    crate::platform::firmware::TABLE,
    crate::platform::cpu::TABLE,
    crate::io::blkif::TABLE,
    crate::io::netif::TABLE,
    crate::io::ring::TABLE,
];

/// Modules that exist only on x86_64.
const X86_ONLY: &[ModuleTable] = &[
    crate::arch_x86::xen::TABLE,
    crate::arch_x86::cpuid::TABLE,
    crate::domctl::x86::TABLE,
    crate::sysctl::x86::TABLE,
    crate::kexec_v1::x86::TABLE,
];

/// Modules that exist only on arm64.
const ARM_ONLY: &[ModuleTable] = &[
    crate::arch_arm::TABLE,
    crate::domctl::arm::TABLE,
    crate::sysctl::arm::TABLE,
    crate::kexec_v1::arm::TABLE,
];

/// Every module table that applies to `arch`.
pub fn layout_table(arch: Arch) -> impl Iterator<Item = &'static ModuleTable> {
    let only = match arch {
        Arch::X86_64 => X86_ONLY,
        Arch::Aarch64 => ARM_ONLY,
    };
    COMMON.iter().chain(only.iter())
}

#[cfg(test)]
mod tests {
    use super::{Arch, layout_table};

    #[test]
    fn every_enum_round_trips_raw_numbers() {
        let mut accepted = 0;
        for raw in (0..0x1_0000u64).chain([u64::MAX, 1 << 32, 0x100_0001, 0x200_0003, 0x7ff0]) {
            for arch in [Arch::X86_64, Arch::Aarch64] {
                for m in layout_table(arch) {
                    accepted += (m.raw_round_trip)(raw).unwrap();
                }
            }
        }
        assert!(accepted > 500);
        assert_eq!(
            crate::xen::Hypercall::try_from(29u64),
            Ok(crate::xen::Hypercall::SchedOp)
        );
        assert!(crate::xen::Hypercall::try_from(11u32).is_err());
        assert!(crate::xen::Hypercall::try_from(1u64 << 32).is_err());
    }
}
