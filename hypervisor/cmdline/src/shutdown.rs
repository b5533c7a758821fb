//! `reboot=`: how the host reboots.
//!
//! Mirrors the `reboot` section of `docs/misc/xen-command-line.pandoc` and
//! `set_reboot_type()` in `xen/arch/x86/shutdown.c`. Xen looks only at each item's first
//! letter; Ferrite accepts the letter or the documented word (`t` or `triple`). Xen 4.20
//! has no `b[ios]` method.

use crate::report::{Report, for_each_item};

/// The reboot mechanism.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RebootMethod {
    /// `t[riple]`: a triple fault.
    Triple,
    /// `k[bd]`: the keyboard controller.
    Kbd,
    /// `a[cpi]`: the FADT `RESET_REG`.
    Acpi,
    /// `p[ci]`: the PCI reset register, port 0xCF9.
    Pci,
    /// `P[ower]`: a power cycle through port 0xCF9.
    Power,
    /// `e[fi]`: the EFI `ResetSystem` runtime service.
    Efi,
    /// `x[en]`: `SCHEDOP_shutdown` to an outer Xen.
    Xen,
}

/// Whether firmware should run its memory test on reboot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RebootMode {
    /// `w[arm]`: skip it.
    Warm,
    /// `c[old]`: run it.
    Cold,
}

/// What `reboot=` chose; `None` is "system dependent" (ACPI when available).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RebootConfig {
    /// The mechanism.
    pub method: Option<RebootMethod>,
    /// Warm or cold.
    pub mode: Option<RebootMode>,
}

/// One `reboot=` item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RebootItem {
    /// A mechanism.
    Method(RebootMethod),
    /// Warm or cold.
    Mode(RebootMode),
    /// `n[o]`: don't reboot after a crash (the same switch as `noreboot`).
    No,
}

/// The `expected` text for `reboot=`.
pub const REBOOT_EXPECTED: &str = "a list of t[riple], k[bd], a[cpi], p[ci], P[ower], \
     e[fi], x[en], n[o], w[arm], c[old]";

/// Parses one item.
pub fn parse_reboot_item(item: &[u8]) -> Option<RebootItem> {
    use RebootItem::{Method, Mode};
    Some(match item {
        b"t" | b"triple" => Method(RebootMethod::Triple),
        b"k" | b"kbd" => Method(RebootMethod::Kbd),
        b"a" | b"acpi" => Method(RebootMethod::Acpi),
        b"p" | b"pci" => Method(RebootMethod::Pci),
        b"P" | b"Power" => Method(RebootMethod::Power),
        b"e" | b"efi" => Method(RebootMethod::Efi),
        b"x" | b"xen" => Method(RebootMethod::Xen),
        b"w" | b"warm" => Mode(RebootMode::Warm),
        b"c" | b"cold" => Mode(RebootMode::Cold),
        b"n" | b"no" => RebootItem::No,
        _ => return None,
    })
}

/// Applies `reboot=` items to `reboot` (and `noreboot` for `n[o]`), reporting bad ones.
pub fn parse_reboot<'a>(
    reboot: &mut RebootConfig,
    noreboot: &mut bool,
    value: &'a [u8],
    report: &mut Report<'a, '_>,
) {
    for_each_item(
        value,
        report,
        REBOOT_EXPECTED,
        |item, report| match parse_reboot_item(item) {
            Some(RebootItem::Method(method)) => reboot.method = Some(method),
            Some(RebootItem::Mode(mode)) => reboot.mode = Some(mode),
            Some(RebootItem::No) => *noreboot = true,
            None => report.malformed(item, REBOOT_EXPECTED),
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;

    #[test]
    fn every_item_in_both_spellings() {
        use RebootItem::{Method, Mode};
        let cases: [(&str, &str, RebootItem); 10] = [
            ("t", "triple", Method(RebootMethod::Triple)),
            ("k", "kbd", Method(RebootMethod::Kbd)),
            ("a", "acpi", Method(RebootMethod::Acpi)),
            ("p", "pci", Method(RebootMethod::Pci)),
            ("P", "Power", Method(RebootMethod::Power)),
            ("e", "efi", Method(RebootMethod::Efi)),
            ("x", "xen", Method(RebootMethod::Xen)),
            ("w", "warm", Mode(RebootMode::Warm)),
            ("c", "cold", Mode(RebootMode::Cold)),
            ("n", "no", RebootItem::No),
        ];
        for (letter, word, item) in cases {
            assert_eq!(parse_reboot_item(letter.as_bytes()), Some(item));
            assert_eq!(parse_reboot_item(word.as_bytes()), Some(item));
        }
        for bad in ["", "b", "bios", "power", "T", "tri", "triplefault"] {
            assert_eq!(parse_reboot_item(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn lists_apply_good_items_and_report_bad_ones() {
        let mut reboot = RebootConfig::default();
        let mut noreboot = false;
        let mut seen = Vec::new();
        let mut sink = |d: Diagnostic<'_>| seen.push(d.to_string());
        let mut report = Report::new("reboot", &mut sink);
        parse_reboot(&mut reboot, &mut noreboot, b"k,bios,warm", &mut report);
        assert_eq!(reboot.method, Some(RebootMethod::Kbd));
        assert_eq!(reboot.mode, Some(RebootMode::Warm));
        assert!(!noreboot);
        parse_reboot(&mut reboot, &mut noreboot, b"no", &mut report);
        assert!(noreboot);
        assert_eq!(seen.len(), 1);
        assert!(seen[0].contains("'bios'"));
    }
}
