//! The scheduler options of Ferrite's command line (`sched=`, `sched_credit_tslice_ms=`,
//! `sched_ratelimit_us=`, `credit2_runqueue=`, `credit2_load_*_shift=`,
//! `vcpu_migration_delay=`, `dom0_vcpus_pin`; Xen's
//! docs/misc/xen-command-line.pandoc) as the scheduler crate's configuration.

use ferrite_cmdline::Config;
use ferrite_cmdline::sched::{RunqueueArrangement as Rq, Scheduler};
use ferrite_sched::SchedConfig;
use ferrite_sched::SchedId;
use ferrite_sched::credit2::RunqueueArrangement;

pub fn sched_config(cfg: &Config) -> SchedConfig {
    let mut s = SchedConfig {
        sched: match cfg.sched {
            Scheduler::Credit => SchedId::Credit,
            Scheduler::Credit2 => SchedId::Credit2,
            Scheduler::Rtds => SchedId::Rtds,
            Scheduler::Arinc653 => SchedId::Arinc653,
            Scheduler::Null => SchedId::Null,
        },
        dom0_vcpus_pin: cfg.dom0_vcpus_pin,
        ..SchedConfig::default()
    };
    // The scheduler crate checks each value's range (as Xen does); a value it refuses keeps
    // the default.
    for (key, v) in [
        (
            "credit2_load_precision_shift",
            cfg.credit2_load_precision_shift,
        ),
        ("credit2_load_window_shift", cfg.credit2_load_window_shift),
        ("vcpu_migration_delay", cfg.vcpu_migration_delay),
    ] {
        if s.apply(key, Some(&alloc::format!("{v}"))).is_err() {
            log::warn!("{key}={v} is out of range: using the default");
        }
    }
    s.credit.tslice_ms = cfg.sched_credit_tslice_ms;
    s.credit.ratelimit_us = cfg.sched_ratelimit_us;
    s.credit2.ratelimit_us = cfg.sched_ratelimit_us;
    s.credit2.runqueue = match cfg.credit2_runqueue {
        Rq::Cpu => RunqueueArrangement::Cpu,
        Rq::Core => RunqueueArrangement::Core,
        Rq::Socket => RunqueueArrangement::Socket,
        Rq::Node => RunqueueArrangement::Node,
        Rq::All => RunqueueArrangement::All,
    };
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_every_option() {
        let line = b"sched=rtds sched_credit_tslice_ms=10 sched_ratelimit_us=500 \
                     credit2_runqueue=all dom0_vcpus_pin";
        let s = sched_config(&ferrite_cmdline::parse(line, &mut |_| {}).config);
        assert_eq!(s.sched, SchedId::Rtds);
        assert_eq!(s.credit.tslice_ms, 10);
        assert_eq!(s.credit.ratelimit_us, 500);
        assert_eq!(s.credit2.ratelimit_us, 500);
        assert_eq!(s.credit2.runqueue, RunqueueArrangement::All);
        assert!(s.dom0_vcpus_pin);
        let cfg = ferrite_cmdline::parse(b"", &mut |_| {}).config;
        assert_eq!(sched_config(&cfg).sched, SchedId::Credit2);
    }
}
