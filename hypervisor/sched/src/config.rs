//! Boot options of the scheduling subsystem, as Xen's command line names them
//! (`docs/misc/xen-command-line.pandoc`: `sched`, `sched_credit_tslice_ms`, `sched_ratelimit_us`,
//! `vcpu_migration_delay`, `credit2_runqueue`, `sched_credit2_migrate_resist`,
//! `credit2_cap_period_ms`, `sched_credit2_max_cpus_runqueue`, `credit2_load_precision_shift`,
//! `credit2_load_window_shift`, `dom0_vcpus_pin`), and the scheduler factory.
//!
//! The hypervisor's command-line crate splits `key=value`; [`SchedConfig::apply`] takes one
//! pair. Bad values are reported and leave the default, as Xen's `custom_param` handlers do.

use alloc::boxed::Box;

use crate::core::{SchedId, Scheduler};
use crate::credit2::RunqueueArrangement;
use crate::{arinc653, credit, credit2, null, rt};

/// Boot options of the scheduling subsystem.
#[derive(Clone, Copy, Debug)]
pub struct SchedConfig {
    /// `sched=`
    pub sched: SchedId,
    /// credit options (`sched_credit_tslice_ms`, `sched_ratelimit_us`).
    pub credit: credit::CreditConfig,
    /// credit2 options.
    pub credit2: credit2::Credit2Config,
    /// `dom0_vcpus_pin`
    pub dom0_vcpus_pin: bool,
}

impl Default for SchedConfig {
    fn default() -> Self {
        SchedConfig {
            sched: SchedId::Credit2,
            credit: credit::CreditConfig::default(),
            credit2: credit2::Credit2Config::default(),
            dom0_vcpus_pin: false,
        }
    }
}

/// An unknown `sched=` value: Xen prints a warning and uses the default scheduler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownScheduler;

impl SchedConfig {
    /// Applies `sched=<name>`; an unknown name keeps credit2 and returns the warning.
    pub fn set_sched(&mut self, name: &str) -> Result<(), UnknownScheduler> {
        match SchedId::from_opt_name(name) {
            Some(id) => {
                self.sched = id;
                Ok(())
            }
            None => {
                self.sched = SchedId::Credit2;
                Err(UnknownScheduler)
            }
        }
    }

    /// A fresh scheduler instance of kind `id` with these options.
    pub fn new_scheduler(&self, id: SchedId) -> Box<dyn Scheduler> {
        match id {
            SchedId::Credit => Box::new(credit::Credit::new(self.credit)),
            SchedId::Credit2 => Box::new(credit2::Credit2::new(self.credit2)),
            SchedId::Rtds => Box::new(rt::Rtds::new()),
            SchedId::Arinc653 => Box::new(arinc653::Arinc653::new()),
            SchedId::Null => Box::new(null::Null::new()),
        }
    }
}

/// Why [`SchedConfig::apply`] rejected a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionError {
    /// `sched=` named no scheduler; credit2 stays (Xen warns and uses the default).
    UnknownScheduler,
    /// The value does not parse or is out of range; the option keeps its default.
    BadValue,
}

fn num(v: Option<&str>) -> Result<u32, OptionError> {
    v.and_then(|s| s.parse().ok()).ok_or(OptionError::BadValue)
}

impl SchedConfig {
    /// Applies one command-line option. Returns `Ok(false)` for options that are not the
    /// scheduler's.
    pub fn apply(&mut self, key: &str, value: Option<&str>) -> Result<bool, OptionError> {
        match key {
            "sched" => self
                .set_sched(value.unwrap_or(""))
                .map_err(|_| OptionError::UnknownScheduler)?,
            "sched_credit_tslice_ms" => {
                let v = num(value)?;
                if !credit::TSLICE_RANGE_MS.contains(&v) {
                    return Err(OptionError::BadValue);
                }
                self.credit.tslice_ms = v;
            }
            "sched_ratelimit_us" => {
                let v =
                    crate::core::check_ratelimit(num(value)?).map_err(|_| OptionError::BadValue)?;
                self.credit.ratelimit_us = v;
                self.credit2.ratelimit_us = v;
            }
            "vcpu_migration_delay" => {
                let v = num(value)?;
                if v > credit::MIGR_DELAY_MAX_US {
                    return Err(OptionError::BadValue);
                }
                self.credit.vcpu_migr_delay_us = v;
            }
            "credit2_runqueue" => {
                self.credit2.runqueue = value
                    .and_then(RunqueueArrangement::parse)
                    .ok_or(OptionError::BadValue)?;
            }
            "sched_credit2_migrate_resist" => self.credit2.migrate_resist_us = num(value)?,
            "credit2_cap_period_ms" => {
                let v = num(value)?;
                if v == 0 {
                    return Err(OptionError::BadValue);
                }
                self.credit2.cap_period_ms = v;
            }
            "sched_credit2_max_cpus_runqueue" => {
                let v = num(value)?;
                if v == 0 {
                    return Err(OptionError::BadValue);
                }
                self.credit2.max_cpus_runqueue = v;
            }
            // Out-of-range values are corrected when the scheduler starts, as Xen's
            // `csched2_global_init` does (see `credit2::load::LoadShifts::from_options`).
            "credit2_load_precision_shift" => self.credit2.load_precision_shift = num(value)?,
            "credit2_load_window_shift" => self.credit2.load_window_shift = num(value)?,
            "dom0_vcpus_pin" => {
                self.dom0_vcpus_pin = match value {
                    None | Some("1" | "yes" | "on" | "true" | "enable") => true,
                    Some("0" | "no" | "off" | "false" | "disable") => false,
                    Some(_) => return Err(OptionError::BadValue),
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_like_xen() {
        let mut c = SchedConfig::default();
        assert_eq!(c.apply("sched", Some("credit")), Ok(true));
        assert_eq!(c.sched, SchedId::Credit);
        assert_eq!(
            c.apply("sched", Some("bvt")),
            Err(OptionError::UnknownScheduler)
        );
        assert_eq!(c.sched, SchedId::Credit2);
        assert_eq!(c.apply("sched_credit_tslice_ms", Some("5")), Ok(true));
        assert_eq!(
            c.apply("sched_credit_tslice_ms", Some("1001")),
            Err(OptionError::BadValue)
        );
        assert_eq!(c.credit.tslice_ms, 5);
        assert_eq!(
            c.apply("sched_ratelimit_us", Some("50")),
            Err(OptionError::BadValue)
        );
        assert_eq!(c.apply("sched_ratelimit_us", Some("0")), Ok(true));
        assert_eq!(c.credit2.ratelimit_us, 0);
        assert_eq!(c.apply("vcpu_migration_delay", Some("2000")), Ok(true));
        assert_eq!(c.credit.vcpu_migr_delay_us, 2000);
        assert_eq!(
            c.apply("vcpu_migration_delay", Some("100001")),
            Err(OptionError::BadValue)
        );
        assert_eq!(
            c.apply("credit2_load_precision_shift", Some("12")),
            Ok(true)
        );
        assert_eq!(c.apply("credit2_load_window_shift", Some("24")), Ok(true));
        assert_eq!(
            (c.credit2.load_precision_shift, c.credit2.load_window_shift),
            (12, 24)
        );
        assert_eq!(
            c.apply("credit2_load_window_shift", Some("x")),
            Err(OptionError::BadValue)
        );
        assert_eq!(c.apply("credit2_runqueue", Some("core")), Ok(true));
        assert_eq!(c.credit2.runqueue, RunqueueArrangement::Core);
        assert_eq!(
            c.apply("credit2_runqueue", Some("rack")),
            Err(OptionError::BadValue)
        );
        assert_eq!(c.apply("dom0_vcpus_pin", None), Ok(true));
        assert!(c.dom0_vcpus_pin);
        assert_eq!(c.apply("console", Some("com1")), Ok(false));
    }
}
