//! Options that parse but do nothing yet in this build: a user who sets one is told so,
//! rather than left to believe it took effect.

use ferrite_cmdline::Config;

/// The names of options set away from their defaults that have no effect yet. `builds_dom0`:
/// whether this architecture builds dom0 (x86_64 does), which the dom0 and scheduler
/// options act on.
pub fn not_in_effect(cfg: &Config, builds_dom0: bool) -> impl Iterator<Item = &'static str> {
    let d = Config::default();
    let idle = !builds_dom0;
    [
        ("dom0_mem", idle && cfg.dom0_mem != d.dom0_mem),
        (
            "dom0_max_vcpus",
            idle && cfg.dom0_max_vcpus != d.dom0_max_vcpus,
        ),
        ("dom0", cfg.dom0 != d.dom0),
        (
            "dom0_vcpus_pin",
            idle && cfg.dom0_vcpus_pin != d.dom0_vcpus_pin,
        ),
        ("sched", idle && cfg.sched != d.sched),
        (
            "sched_credit_tslice_ms",
            idle && cfg.sched_credit_tslice_ms != d.sched_credit_tslice_ms,
        ),
        (
            "sched_ratelimit_us",
            idle && cfg.sched_ratelimit_us != d.sched_ratelimit_us,
        ),
        (
            "credit2_runqueue",
            idle && cfg.credit2_runqueue != d.credit2_runqueue,
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
        let v: Vec<_> = not_in_effect(&p.config, false).collect();
        assert_eq!(v, ["dom0_mem", "sched", "watchdog"]);
        let v: Vec<_> = not_in_effect(&p.config, true).collect();
        assert_eq!(v, ["watchdog"], "x86 builds dom0 with them");
        assert_eq!(not_in_effect(&Config::default(), false).count(), 0);
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
