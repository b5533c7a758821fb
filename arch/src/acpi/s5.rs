//! The `\_S5_` sleep package (soft-off SLP_TYPa/SLP_TYPb values) found by scanning AML bytes.
//!
//! ACPI 6.5 sections 7.4.2 (`\_Sx` packages) and 20.2 (AML grammar: `DefName`, `DefPackage`,
//! `PkgLength`, integer constants). Xen takes these values from the dom0 kernel
//! (`XENPF_enter_acpi_sleep`, `xen/arch/x86/acpi/power.c`) because it has no AML interpreter;
//! Ferrite reads them itself so it can power off without dom0.
//!
//! Why a scanner and not the `acpi` crate's AML interpreter: v6.1.1's interpreter has over a
//! hundred `unwrap`/`panic!`/indexing sites on table data, executes methods (which may loop or
//! touch I/O through the handler), and needs a full `Handler` with port, PCI and timer access.
//! Nearly every firmware encodes `_S5_` as a static `Name` with a package of integer constants,
//! which a bounded byte scan reads exactly; anything else yields "no S5" and a message.

use super::bytes::{u8_at, u16_at, u32_at, u64_at};
use super::sdt::HEADER_LEN;

const NAME_OP: u8 = 0x08;
const PACKAGE_OP: u8 = 0x12;
const ROOT_CHAR: u8 = b'\\';
const ZERO_OP: u8 = 0x00;
const ONE_OP: u8 = 0x01;
const ONES_OP: u8 = 0xff;
const BYTE_PREFIX: u8 = 0x0a;
const WORD_PREFIX: u8 = 0x0b;
const DWORD_PREFIX: u8 = 0x0c;
const QWORD_PREFIX: u8 = 0x0e;

/// The values written to PM1a/PM1b `SLP_TYP` to enter S5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SleepType {
    pub slp_typ_a: u8,
    pub slp_typ_b: u8,
}

impl SleepType {
    /// The PM1a (`b == false`) or PM1b control value that enters S5: `SLP_TYP` in bits 12:10 and
    /// `SLP_EN` (bit 13), ACPI 6.5 section 4.8.3.2.1. The caller read-modify-writes the register,
    /// keeping its other bits (e.g. `SCI_EN`) and clearing these.
    pub fn pm1_control_value(&self, b: bool) -> u16 {
        let typ = if b { self.slp_typ_b } else { self.slp_typ_a };
        (u16::from(typ & 7) << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN
    }

    /// The byte written to a hardware-reduced platform's sleep control register to enter S5:
    /// `SLP_TYPx` in bits 4:2 and `SLP_EN` (bit 5), ACPI 6.5 section 4.8.3.7.
    pub fn sleep_control_value(&self) -> u8 {
        ((self.slp_typ_a & 7) << 2) | (1 << 5)
    }
}

/// Mask of the PM1 control bits [`SleepType::pm1_control_value`] sets.
pub const PM1_SLEEP_BITS: u16 = (7 << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN;
const PM1_SLP_TYP_SHIFT: u16 = 10;
const PM1_SLP_EN: u16 = 1 << 13;

/// Why no S5 package was taken from a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum S5Error {
    /// No `Name (_S5_, ...)` in the table.
    NotFound,
    /// A `Name (_S5_, ...)` at `offset` (from the table start) that could not be decoded.
    Malformed { offset: usize, reason: &'static str },
}

/// Scans a DSDT/SSDT copy (header included) for `Name (_S5_, Package () { a, b, ... })`.
/// Returns the first well-formed one, else the first malformed one's reason.
pub fn find_s5(table: &[u8]) -> Result<SleepType, S5Error> {
    let aml = table.get(HEADER_LEN..).unwrap_or_default();
    let mut first_error = S5Error::NotFound;
    for (i, window) in aml.windows(4).enumerate() {
        if window != b"_S5_" || !preceded_by_name_op(aml, i) {
            continue;
        }
        match parse_package(aml, i + 4) {
            Ok(s5) => return Ok(s5),
            Err(reason) => {
                if first_error == S5Error::NotFound {
                    first_error = S5Error::Malformed {
                        offset: HEADER_LEN + i,
                        reason,
                    };
                }
            }
        }
    }
    Err(first_error)
}

/// `NameOp _S5_` or `NameOp \_S5_`.
fn preceded_by_name_op(aml: &[u8], name_at: usize) -> bool {
    let before = |n: usize| name_at.checked_sub(n).and_then(|at| u8_at(aml, at));
    before(1) == Some(NAME_OP) || (before(1) == Some(ROOT_CHAR) && before(2) == Some(NAME_OP))
}

/// Decodes `PackageOp PkgLength NumElements Elements...` at `at`.
fn parse_package(aml: &[u8], at: usize) -> Result<SleepType, &'static str> {
    if u8_at(aml, at) != Some(PACKAGE_OP) {
        return Err("the name is not bound to a package");
    }
    let (pkg_len, len_bytes) = pkg_length(aml, at + 1).ok_or("truncated package length")?;
    // PkgLength counts itself and everything after it up to the package's end.
    let end = (at + 1)
        .checked_add(pkg_len)
        .ok_or("package length overflows")?;
    if end > aml.len() {
        return Err("package runs past the end of the table");
    }
    let body = aml
        .get(at + 1 + len_bytes..end)
        .ok_or("package length too small")?;
    let count = u8_at(body, 0).ok_or("package has no element count")?;
    let mut pos = 1;
    let mut values = [0u64; 2];
    let wanted = usize::from(count).min(2);
    for value in values.iter_mut().take(wanted) {
        let (v, used) = integer(body, pos).ok_or("element is not an integer constant")?;
        *value = v;
        pos += used;
    }
    let (a, b) = match count {
        0 => return Err("package is empty"),
        // Some old firmware packs both values into one integer (ACPICA accepts this too).
        1 => (values[0] & 0xff, (values[0] >> 8) & 0xff),
        _ => (values[0], values[1]),
    };
    let a = u8::try_from(a).map_err(|_| "SLP_TYPa does not fit in a byte")?;
    let b = u8::try_from(b).map_err(|_| "SLP_TYPb does not fit in a byte")?;
    Ok(SleepType {
        slp_typ_a: a,
        slp_typ_b: b,
    })
}

/// An AML `PkgLength` at `at`: its value and how many bytes it took.
fn pkg_length(aml: &[u8], at: usize) -> Option<(usize, usize)> {
    let lead = u8_at(aml, at)?;
    let follow = usize::from(lead >> 6);
    if follow == 0 {
        return Some((usize::from(lead & 0x3f), 1));
    }
    let mut len = usize::from(lead & 0x0f);
    for k in 0..follow {
        len |= usize::from(u8_at(aml, at + 1 + k)?) << (4 + 8 * k);
    }
    Some((len, 1 + follow))
}

/// A `ComputationalData` integer constant at `at`: its value and encoded size.
fn integer(aml: &[u8], at: usize) -> Option<(u64, usize)> {
    Some(match u8_at(aml, at)? {
        ZERO_OP => (0, 1),
        ONE_OP => (1, 1),
        ONES_OP => (u64::MAX, 1),
        BYTE_PREFIX => (u64::from(u8_at(aml, at + 1)?), 2),
        WORD_PREFIX => (u64::from(u16_at(aml, at + 1)?), 3),
        DWORD_PREFIX => (u64::from(u32_at(aml, at + 1)?), 5),
        QWORD_PREFIX => (u64_at(aml, at + 1)?, 9),
        _ => return None,
    })
}
