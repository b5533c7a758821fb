//! dom0 construction options: `dom0_mem`, `dom0_max_vcpus` and `dom0`.
//!
//! Mirrors `docs/misc/xen-command-line.pandoc` and `xen/arch/x86/dom0_build.c`
//! (`parse_amt()`, `parse_dom0_mem()`, `parse_dom0_max_vcpus()`,
//! `parse_arch_dom0_param()`), plus Arm's `sve=` from `xen/arch/arm/domain_build.c`.
//! The x86 grammars are accepted on every arch: Arm's `dom0_mem=<size>` and
//! `dom0_max_vcpus=<integer>` are subsets of them.

use crate::report::{Rejected, Report, for_each_item};
use crate::values::{SubBool, parse_i32, parse_size_prefix, parse_sub_bool, parse_u32};

/// One `dom0_mem` amount: `[-]<size>`, `[-]<frac>%` or `[-]<size>+<frac>%`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemSize {
    /// The absolute part, in bytes.
    pub bytes: u64,
    /// The fraction of host memory, in percent (0 to 99).
    pub percent: u8,
    /// A leading `-`: the amount is "all available memory but this much".
    pub minus: bool,
}

/// What `dom0_mem=` asked for; `None` leaves Xen's rule (all memory minus a reserve of
/// 1/16th, at most 128 MiB; no minimum; unlimited maximum).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dom0Mem {
    /// `<sz>`: the initial allocation.
    pub size: Option<MemSize>,
    /// `min:<sz>`: the least dom0 gets.
    pub min: Option<MemSize>,
    /// `max:<sz>`: the most dom0 gets, and its balloon limit.
    pub max: Option<MemSize>,
}

/// The `expected` text for `dom0_mem=`.
pub const DOM0_MEM_EXPECTED: &str =
    "a list of [min:|max:][-]<size>, [-]<size>+<frac>% or [-]<frac>% (frac < 100)";

/// Parses `dom0_mem=` into `mem`, item by item (repeats update, as in Xen); each bad
/// item is reported and leaves its field alone.
pub fn parse_dom0_mem<'a>(mem: &mut Dom0Mem, value: &'a [u8], report: &mut Report<'a, '_>) {
    for_each_item(value, report, DOM0_MEM_EXPECTED, |item, report| {
        let (field, amount) = if let Some(amount) = item.strip_prefix(b"min:") {
            (&mut mem.min, amount)
        } else if let Some(amount) = item.strip_prefix(b"max:") {
            (&mut mem.max, amount)
        } else {
            (&mut mem.size, item)
        };
        match parse_mem_size(amount) {
            Some(size) => *field = Some(size),
            None => report.malformed(item, DOM0_MEM_EXPECTED),
        }
    });
}

/// Parses one amount, like `parse_amt()`: a size item must come first, a percentage
/// ends the amount.
pub fn parse_mem_size(text: &[u8]) -> Option<MemSize> {
    let (minus, text) = match text.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (number, rest) = parse_size_prefix(text, true)?;
    if let Some(after) = rest.strip_prefix(b"%") {
        return after.is_empty().then_some(MemSize {
            bytes: 0,
            percent: percent(number)?,
            minus,
        });
    }
    let percent = match rest {
        [] => 0,
        [b'+', fraction @ ..] => match parse_size_prefix(fraction, true)? {
            (number, b"%") => self::percent(number)?,
            _ => return None,
        },
        _ => return None,
    };
    Some(MemSize {
        bytes: number,
        percent,
        minus,
    })
}

fn percent(number: u64) -> Option<u8> {
    u8::try_from(number).ok().filter(|&p| p < 100)
}

/// dom0's vCPU count: the host's CPU count, clamped to `min..=max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VcpuRange {
    /// At least this many (Xen's default 1; an explicit 0 also means 1).
    pub min: u32,
    /// At most this many (`u32::MAX` means unlimited, Xen's default).
    pub max: u32,
}

impl Default for VcpuRange {
    fn default() -> Self {
        Self {
            min: 1,
            max: u32::MAX,
        }
    }
}

/// The `expected` text for `dom0_max_vcpus=`.
pub const DOM0_MAX_VCPUS_EXPECTED: &str = "<max>, <min>-<max>, <min>- or -<max> (integers)";

/// Parses `dom0_max_vcpus=` onto `range`: `N` sets both ends, `N-` only the minimum,
/// `-M` only the maximum, `N-M` both; a minimum of 0 means 1.
pub fn parse_dom0_max_vcpus(range: VcpuRange, value: &[u8]) -> Result<VcpuRange, Rejected> {
    let mut range = range;
    let (min, max) = match value.iter().position(|&b| b == b'-') {
        Some(dash) => (
            value.get(..dash).ok_or(Rejected)?,
            Some(value.get(dash + 1..).ok_or(Rejected)?),
        ),
        None => (value, None),
    };
    match (min, max) {
        ([], None | Some([])) => return Err(Rejected),
        ([], Some(max)) => range.max = parse_u32(max).ok_or(Rejected)?,
        (min, None) => {
            range.min = parse_u32(min).ok_or(Rejected)?.max(1);
            range.max = range.min;
        }
        (min, Some(max)) => {
            range.min = parse_u32(min).ok_or(Rejected)?.max(1);
            if !max.is_empty() {
                range.max = parse_u32(max).ok_or(Rejected)?;
            }
        }
    }
    Ok(range)
}

/// How dom0 is built (`dom0=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dom0Options {
    /// `pvh` (true) or `pv` (false): dom0's virtualisation mode; PV by default.
    pub pvh: bool,
    /// `shadow`: build dom0 with shadow paging.
    pub shadow: bool,
    /// `verbose`: extra diagnostics while building dom0.
    pub verbose: bool,
    /// `cpuid-faulting`: CPUID faulting for a PV dom0 (default on).
    pub cpuid_faulting: bool,
    /// `msr-relaxed`: 4.14-like handling of unknown MSRs.
    pub msr_relaxed: bool,
    /// `pf-fixup`: map missing MMIO on dom0 page faults (PVH only).
    pub pf_fixup: bool,
    /// `sve=` (Arm64): 0 off, negative the hardware maximum, else the vector length
    /// in bits (a multiple of 128 up to 2048).
    pub sve_vl: i32,
}

impl Default for Dom0Options {
    fn default() -> Self {
        Self {
            pvh: false,
            shadow: false,
            verbose: false,
            cpuid_faulting: true,
            msr_relaxed: false,
            pf_fixup: false,
            sve_vl: 0,
        }
    }
}

/// The `expected` text for `dom0=`.
pub const DOM0_EXPECTED: &str = "a list of pv, pvh, shadow, verbose, cpuid-faulting, \
     msr-relaxed, pf-fixup (booleans) or sve=<integer>";

/// Parses `dom0=` onto `dom0`, item by item; each bad item is reported and skipped.
pub fn parse_dom0<'a>(dom0: &mut Dom0Options, value: &'a [u8], report: &mut Report<'a, '_>) {
    for_each_item(value, report, DOM0_EXPECTED, |item, report| {
        if parse_dom0_item(dom0, item).is_none() {
            report.malformed(item, DOM0_EXPECTED);
        }
    });
}

fn parse_dom0_item(dom0: &mut Dom0Options, item: &[u8]) -> Option<()> {
    match item {
        b"pv" => dom0.pvh = false,
        b"pvh" => dom0.pvh = true,
        _ => {
            if let Some(vl) = item.strip_prefix(b"sve=") {
                let vl = parse_i32(vl)?;
                let valid = vl <= 0 || (vl <= 2048 && vl % 128 == 0);
                dom0.sve_vl = valid.then_some(vl)?;
                return Some(());
            }
            let flags: [(&str, &mut bool); 5] = [
                ("shadow", &mut dom0.shadow),
                ("verbose", &mut dom0.verbose),
                ("cpuid-faulting", &mut dom0.cpuid_faulting),
                ("msr-relaxed", &mut dom0.msr_relaxed),
                ("pf-fixup", &mut dom0.pf_fixup),
            ];
            for (name, flag) in flags {
                match parse_sub_bool(name, item) {
                    SubBool::Value(on) => {
                        *flag = on;
                        return Some(());
                    }
                    SubBool::BadValue => return None,
                    SubBool::NoMatch => {}
                }
            }
            return None;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;

    const GIB: u64 = 1 << 30;

    fn size(bytes: u64, percent: u8, minus: bool) -> Option<MemSize> {
        Some(MemSize {
            bytes,
            percent,
            minus,
        })
    }

    #[test]
    fn mem_sizes() {
        assert_eq!(parse_mem_size(b"512M"), size(512 << 20, 0, false));
        assert_eq!(
            parse_mem_size(b"1024"),
            size(1 << 20, 0, false),
            "KiB default"
        );
        assert_eq!(parse_mem_size(b"-1G"), size(GIB, 0, true));
        assert_eq!(parse_mem_size(b"25%"), size(0, 25, false));
        assert_eq!(parse_mem_size(b"-10%"), size(0, 10, true));
        assert_eq!(parse_mem_size(b"1G+25%"), size(GIB, 25, false));
        assert_eq!(parse_mem_size(b"0%"), size(0, 0, false));
        for bad in [
            "",
            "-",
            "G",
            "100%",
            "99%x",
            "25%+1G",
            "1G+",
            "1G+2G",
            "1G+25",
            "1G+100%",
            "--1G",
            "1G,",
            "x",
            "1G+25%%",
            "16777216T",
        ] {
            assert_eq!(parse_mem_size(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn dom0_mem_lists_update_each_field() {
        let mut mem = Dom0Mem::default();
        let mut seen = Vec::new();
        let mut sink = |d: Diagnostic<'_>| seen.push(d.to_string());
        let mut report = Report::new("dom0_mem", &mut sink);
        parse_dom0_mem(&mut mem, b"512M,max:1G", &mut report);
        parse_dom0_mem(&mut mem, b"min:-10%,max:bogus", &mut report);
        assert_eq!(mem.size, size(512 << 20, 0, false));
        assert_eq!(mem.max, size(GIB, 0, false), "the bad item left max alone");
        assert_eq!(mem.min, size(0, 10, true));
        assert_eq!(seen.len(), 1);
        assert!(seen[0].contains("'max:bogus'"), "{}", seen[0]);
    }

    #[test]
    fn max_vcpus_forms() {
        let d = VcpuRange::default();
        let r = |min, max| Ok(VcpuRange { min, max });
        assert_eq!(parse_dom0_max_vcpus(d, b"4"), r(4, 4));
        assert_eq!(parse_dom0_max_vcpus(d, b"4-8"), r(4, 8));
        assert_eq!(parse_dom0_max_vcpus(d, b"4-"), r(4, u32::MAX));
        assert_eq!(parse_dom0_max_vcpus(d, b"-8"), r(1, 8));
        assert_eq!(parse_dom0_max_vcpus(d, b"0"), r(1, 1));
        assert_eq!(parse_dom0_max_vcpus(d, b"0x10"), r(16, 16));
        assert_eq!(
            parse_dom0_max_vcpus(VcpuRange { min: 2, max: 3 }, b"-8"),
            r(2, 8)
        );
        for bad in [
            "",
            "-",
            "a",
            "4-a",
            "4-8-9",
            "--8",
            "4294967296",
            "1-4294967296",
        ] {
            assert_eq!(
                parse_dom0_max_vcpus(d, bad.as_bytes()),
                Err(Rejected),
                "{bad}"
            );
        }
    }

    #[test]
    fn dom0_lists() {
        let mut dom0 = Dom0Options::default();
        let mut seen = Vec::new();
        let mut sink = |d: Diagnostic<'_>| seen.push(d.to_string());
        let mut report = Report::new("dom0", &mut sink);
        parse_dom0(
            &mut dom0,
            b"pvh,shadow,verbose=1,no-cpuid-faulting,msr-relaxed=yes,pf-fixup,sve=256",
            &mut report,
        );
        let expected = Dom0Options {
            pvh: true,
            shadow: true,
            verbose: true,
            cpuid_faulting: false,
            msr_relaxed: true,
            pf_fixup: true,
            sve_vl: 256,
        };
        assert_eq!(dom0, expected);
        parse_dom0(&mut dom0, b"pv,sve=-1", &mut report);
        assert!(!dom0.pvh);
        assert_eq!(dom0.sve_vl, -1);
        parse_dom0(
            &mut dom0,
            b"shadow=maybe,hvm,sve=100,sve=4096,sve=x",
            &mut report,
        );
        assert_eq!(seen.len(), 5);
        assert!(!dom0.pvh && dom0.shadow && dom0.sve_vl == -1);
    }
}
