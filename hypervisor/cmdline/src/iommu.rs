//! `iommu=`: IOMMU use and its sub-features.
//!
//! Mirrors the `iommu` section of `docs/misc/xen-command-line.pandoc` and
//! `parse_iommu_param()` in `xen/drivers/passthrough/iommu.c`. Defaults are Xen's for
//! a build with PCI, Intel and AMD IOMMU support and `IOMMU_QUARANTINE_BASIC`.

use crate::report::{Report, for_each_item};
use crate::values::{SubBool, parse_bool, parse_sub_bool};

/// What happens to a device taken away from a guest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quarantine {
    /// `quarantine=0`: only devices the toolstack asked for, in the basic form.
    Off,
    /// `quarantine=1`: in-flight DMA faults.
    Basic,
    /// `quarantine=scratch-page`: in-flight DMA lands on a scratch page.
    ScratchPage,
}

/// The `iommu=` settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per documented sub-option"
)]
pub struct IommuConfig {
    /// The overall `<bool>`: use IOMMUs if present (default on).
    pub enable: bool,
    /// `force` / `required`: refuse to boot without a working IOMMU.
    pub force: bool,
    /// `quarantine`.
    pub quarantine: Quarantine,
    /// `verbose`: extra diagnostics.
    pub verbose: bool,
    /// `debug`: debug diagnostics (turning it on also turns on `verbose`).
    pub debug: bool,
    /// `sharept`: share IOMMU page tables with HAP (default on).
    pub sharept: bool,
    /// `superpages`: allow superpage IOMMU mappings (x86, default on).
    pub superpages: bool,
    /// `intremap`: interrupt remapping (x86, default on).
    pub intremap: bool,
    /// `intpost`: posted interrupts (x86, default off).
    pub intpost: bool,
    /// `crash-disable`: turn IOMMUs off before a kexec crash kernel.
    pub crash_disable: bool,
    /// `snoop`: VT-d snoop control (default on).
    pub snoop: bool,
    /// `qinval`: VT-d queued invalidation (default on).
    pub qinval: bool,
    /// `igfx`: VT-d for graphics-only IOMMUs (default on).
    pub igfx: bool,
    /// `amd-iommu-perdev-intremap`: per-device AMD interrupt remapping tables (default on).
    pub amd_iommu_perdev_intremap: bool,
    /// `dom0-passthrough` (deprecated; see `dom0-iommu`).
    pub dom0_passthrough: bool,
    /// `dom0-strict` (deprecated; see `dom0-iommu`).
    pub dom0_strict: bool,
}

impl Default for IommuConfig {
    fn default() -> Self {
        Self {
            enable: true,
            force: false,
            quarantine: Quarantine::Basic,
            verbose: false,
            debug: false,
            sharept: true,
            superpages: true,
            intremap: true,
            intpost: false,
            crash_disable: false,
            snoop: true,
            qinval: true,
            igfx: true,
            amd_iommu_perdev_intremap: true,
            dom0_passthrough: false,
            dom0_strict: false,
        }
    }
}

/// The `expected` text for `iommu=`.
pub const IOMMU_EXPECTED: &str = "a list of <bool>, force, required, quarantine=<bool>|\
     scratch-page, verbose, debug, sharept, superpages, intremap, intpost, crash-disable, \
     snoop, qinval, igfx, amd-iommu-perdev-intremap, dom0-passthrough, dom0-strict";

/// Applies `iommu=` items (the text Xen's handler sees, so `no-iommu` arrives as `no`)
/// to `iommu`, reporting bad ones.
pub fn parse_iommu<'a>(iommu: &mut IommuConfig, value: &'a [u8], report: &mut Report<'a, '_>) {
    for_each_item(value, report, IOMMU_EXPECTED, |item, report| {
        if apply_item(iommu, item).is_none() {
            report.malformed(item, IOMMU_EXPECTED);
        }
    });
}

/// The plain boolean sub-options and the field each one sets.
type FlagField = fn(&mut IommuConfig) -> &mut bool;
const FLAGS: [(&str, FlagField); 14] = [
    ("force", |c| &mut c.force),
    ("required", |c| &mut c.force),
    ("verbose", |c| &mut c.verbose),
    ("sharept", |c| &mut c.sharept),
    ("superpages", |c| &mut c.superpages),
    ("intremap", |c| &mut c.intremap),
    ("intpost", |c| &mut c.intpost),
    ("crash-disable", |c| &mut c.crash_disable),
    ("snoop", |c| &mut c.snoop),
    ("qinval", |c| &mut c.qinval),
    ("igfx", |c| &mut c.igfx),
    ("amd-iommu-perdev-intremap", |c| {
        &mut c.amd_iommu_perdev_intremap
    }),
    ("dom0-passthrough", |c| &mut c.dom0_passthrough),
    ("dom0-strict", |c| &mut c.dom0_strict),
];

fn apply_item(iommu: &mut IommuConfig, item: &[u8]) -> Option<()> {
    if let Some(on) = parse_bool(item) {
        iommu.enable = on;
        return Some(());
    }
    if item == b"quarantine=scratch-page" {
        iommu.quarantine = Quarantine::ScratchPage;
        return Some(());
    }
    if let Some(on) = sub_bool("quarantine", item)? {
        iommu.quarantine = if on {
            Quarantine::Basic
        } else {
            Quarantine::Off
        };
        return Some(());
    }
    if let Some(on) = sub_bool("debug", item)? {
        iommu.debug = on;
        iommu.verbose |= on;
        return Some(());
    }
    for (name, flag) in FLAGS {
        if let Some(on) = sub_bool(name, item)? {
            *flag(iommu) = on;
            return Some(());
        }
    }
    None
}

/// `Some(Some(b))` on a match, `Some(None)` when the item is about something else,
/// `None` when it names this sub-option with a bad value.
fn sub_bool(name: &str, item: &[u8]) -> Option<Option<bool>> {
    match parse_sub_bool(name, item) {
        SubBool::Value(on) => Some(Some(on)),
        SubBool::NoMatch => Some(None),
        SubBool::BadValue => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;

    fn parse(value: &[u8]) -> (IommuConfig, usize) {
        let mut iommu = IommuConfig::default();
        let mut count = 0;
        let mut sink = |_: Diagnostic<'_>| count += 1;
        parse_iommu(&mut iommu, value, &mut Report::new("iommu", &mut sink));
        (iommu, count)
    }

    #[test]
    fn overall_boolean_and_sub_options() {
        assert!(!parse(b"no").0.enable);
        assert_eq!(
            parse(b"off,verbose").0,
            IommuConfig {
                enable: false,
                verbose: true,
                ..IommuConfig::default()
            }
        );
        let (iommu, bad) = parse(b"required,no-intremap,intpost=1,quarantine=scratch-page,no-igfx");
        assert_eq!(bad, 0);
        assert!(iommu.force && !iommu.intremap && iommu.intpost && !iommu.igfx);
        assert_eq!(iommu.quarantine, Quarantine::ScratchPage);
        assert_eq!(parse(b"quarantine=0").0.quarantine, Quarantine::Off);
        assert_eq!(parse(b"no-quarantine").0.quarantine, Quarantine::Off);
        let (iommu, _) = parse(b"debug");
        assert!(iommu.debug && iommu.verbose, "debug implies verbose");
        let (iommu, _) = parse(b"debug,no-debug");
        assert!(
            !iommu.debug && iommu.verbose,
            "as in Xen, turning debug off keeps verbose"
        );
        let (iommu, _) = parse(
            b"force,no-required,sharept=0,superpages=false,crash-disable,no-snoop,no-qinval,\
              amd-iommu-perdev-intremap=off,dom0-passthrough,dom0-strict",
        );
        assert!(!iommu.force && !iommu.sharept && !iommu.superpages && iommu.crash_disable);
        assert!(!iommu.snoop && !iommu.qinval && !iommu.amd_iommu_perdev_intremap);
        assert!(iommu.dom0_passthrough && iommu.dom0_strict);
    }

    #[test]
    fn bad_items_are_reported_one_each() {
        let (iommu, bad) = parse(b"verbose=maybe,bogus,=yes,,force");
        assert_eq!(bad, 4);
        assert!(iommu.force && !iommu.verbose);
        assert_eq!(parse(b"").1, 1, "Xen rejects an empty iommu value");
        assert_eq!(parse(b"quarantine=scratch").1, 1);
    }
}
