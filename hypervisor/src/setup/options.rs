//! Options that parse but do nothing yet in this build: a user who sets one is told so,
//! rather than left to believe it took effect.

use ferrite_cmdline::Config;

/// The names of options set away from their defaults that have no effect yet.
pub fn not_in_effect(cfg: &Config) -> impl Iterator<Item = &'static str> {
    let d = Config::default();
    [
        ("dom0_mem", cfg.dom0_mem != d.dom0_mem),
        ("dom0_max_vcpus", cfg.dom0_max_vcpus != d.dom0_max_vcpus),
        ("dom0", cfg.dom0 != d.dom0),
        ("dom0_vcpus_pin", cfg.dom0_vcpus_pin != d.dom0_vcpus_pin),
        ("sched", cfg.sched != d.sched),
        (
            "sched_credit_tslice_ms",
            cfg.sched_credit_tslice_ms != d.sched_credit_tslice_ms,
        ),
        (
            "sched_ratelimit_us",
            cfg.sched_ratelimit_us != d.sched_ratelimit_us,
        ),
        (
            "credit2_runqueue",
            cfg.credit2_runqueue != d.credit2_runqueue,
        ),
        ("iommu", cfg.iommu != d.iommu),
        (
            "watchdog",
            cfg.watchdog != d.watchdog || cfg.watchdog_force != d.watchdog_force,
        ),
        (
            "watchdog_timeout",
            cfg.watchdog_timeout != d.watchdog_timeout,
        ),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_what_was_set() {
        let p = ferrite_cmdline::parse(b"sched=rtds watchdog dom0_mem=1G loglvl=all", &mut |_| {});
        let v: Vec<_> = not_in_effect(&p.config).collect();
        assert_eq!(v, ["dom0_mem", "sched", "watchdog"]);
        assert_eq!(not_in_effect(&Config::default()).count(), 0);
    }

    /// The README's option table lists every option of the registry.
    #[test]
    fn readme_lists_every_option() {
        let readme = include_str!("../../../README.md");
        for o in ferrite_cmdline::OPTIONS {
            assert!(
                readme.contains(&format!("| `{}` |", o.name)),
                "README lacks option {}",
                o.name
            );
        }
    }
}
