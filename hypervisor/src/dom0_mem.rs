//! How much memory dom0 gets (`dom0_mem=`; Xen's `xen/arch/x86/dom0_build.c`
//! `dom0_compute_nr_pages`): by default all available memory less a reserve of 1/16th, at
//! most 128 MiB; `[min:<sz>,][max:<sz>,][<sz>]` with negative sizes meaning "all but" and
//! percentages of host memory.

use ferrite_cmdline::dom0::{Dom0Mem, MemSize};

const RESERVE_CAP: u64 = 128 << 20;

fn amount(s: &MemSize, avail: u64) -> u64 {
    let a = s.bytes.saturating_add(
        avail / 100 * u64::from(s.percent) + (avail % 100) * u64::from(s.percent) / 100,
    );
    if s.minus { avail.saturating_sub(a) } else { a }
}

/// Bytes for dom0 out of `avail` bytes of free host memory, rounded down to 2 MiB.
pub fn compute(cfg: &Dom0Mem, avail: u64) -> u64 {
    let default = avail.saturating_sub((avail / 16).min(RESERVE_CAP));
    let mut n = cfg.size.as_ref().map_or(default, |s| amount(s, avail));
    if let Some(min) = &cfg.min {
        n = n.max(amount(min, avail));
    }
    if let Some(max) = &cfg.max {
        n = n.min(amount(max, avail));
    }
    n.min(avail) & !((2 << 20) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mem(line: &str) -> Dom0Mem {
        ferrite_cmdline::parse(line.as_bytes(), &mut |_| {})
            .config
            .dom0_mem
    }

    #[test]
    fn xen_rules() {
        let gib = 1u64 << 30;
        assert_eq!(
            compute(&Dom0Mem::default(), 16 * gib),
            16 * gib - (128 << 20)
        );
        assert_eq!(compute(&Dom0Mem::default(), 256 << 20), (240 << 20));
        assert_eq!(compute(&mem("dom0_mem=64M"), 16 * gib), 64 << 20);
        assert_eq!(compute(&mem("dom0_mem=-1G"), 16 * gib), 15 * gib);
        assert_eq!(
            compute(&mem("dom0_mem=min:4G,max:8G,1G"), 16 * gib),
            4 * gib
        );
        assert_eq!(compute(&mem("dom0_mem=max:2G"), 16 * gib), 2 * gib);
        assert_eq!(compute(&mem("dom0_mem=50%"), 16 * gib), 8 * gib);
        assert_eq!(
            compute(&mem("dom0_mem=64G"), 16 * gib),
            16 * gib,
            "never more than there is"
        );
        assert_eq!(
            compute(&mem("dom0_mem=3M"), 16 * gib),
            2 << 20,
            "2 MiB granules"
        );
    }
}
