//! The typed result of parsing: every option Ferrite supports, with Xen's defaults.
//!
//! Each field is named after its option in `docs/misc/xen-command-line.pandoc`; the
//! defaults are the doc's (or, where the doc is silent, the variable's initialiser in
//! the Xen source file named on the field's type).

use crate::console::{ConsoleList, LogThresholds, TimestampMode};
use crate::dom0::{Dom0Mem, Dom0Options, VcpuRange};
use crate::iommu::IommuConfig;
use crate::sched::{RunqueueArrangement, Scheduler};
use crate::serial::ComConfig;
use crate::shutdown::RebootConfig;

/// Ferrite's configuration from the command line. Options that were not given, or
/// whose value was malformed, keep these defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one field per boolean option"
)]
pub struct Config {
    /// `console=`: where Xen's own output goes. Default `com1,vga` on x86, `dtuart`
    /// on Arm.
    pub console: ConsoleList,
    /// `com1=`: the first 16550's settings; `None` when not given.
    pub com1: Option<ComConfig>,
    /// `com2=`: the second 16550's settings; `None` when not given.
    pub com2: Option<ComConfig>,
    /// `conring_size=`: console ring size in bytes (a `<size>`, so a bare number is
    /// KiB). Default 16 KiB.
    pub conring_size: u32,
    /// `loglvl=`: thresholds for Xen's own messages. Default `info`.
    pub loglvl: LogThresholds,
    /// `guest_loglvl=`: thresholds for guest-triggered messages. Default `none/warning`.
    pub guest_loglvl: LogThresholds,
    /// `sync_console`: write console output synchronously. Default off.
    pub sync_console: bool,
    /// `console_timestamps=`: the per-line timestamp. Default `none`.
    pub console_timestamps: TimestampMode,
    /// `console_to_ring`: copy guest console output into the ring. Default off.
    pub console_to_ring: bool,
    /// `noreboot` (also set by `reboot=no`): don't reboot after a crash. Default off.
    pub noreboot: bool,
    /// `reboot=`: reboot method and warm/cold mode. Default system dependent.
    pub reboot: RebootConfig,
    /// `maxcpus=`: the most CPUs to bring up; `None` (default) brings up all.
    pub maxcpus: Option<u32>,
    /// `nosmp`: boot only the boot CPU. Default off.
    pub nosmp: bool,
    /// `smt=`: bring up hyper-threads; `None` (default) lets Xen decide, which means
    /// on unless a speculative-execution mitigation needs them off.
    pub smt: Option<bool>,
    /// `x2apic=`: allow x2APIC mode. Default on.
    pub x2apic: bool,
    /// `dom0_mem=`: dom0's memory. Default: all but a reserve.
    pub dom0_mem: Dom0Mem,
    /// `dom0_max_vcpus=`: dom0's vCPU count bounds. Default: one per host CPU.
    pub dom0_max_vcpus: VcpuRange,
    /// `dom0=`: how dom0 is built. Default PV, CPUID faulting on.
    pub dom0: Dom0Options,
    /// `dom0_vcpus_pin`: pin dom0 vCPU n to CPU n. Default off.
    pub dom0_vcpus_pin: bool,
    /// `sched=`: the scheduler. Default `credit2`; an unknown name also gives `credit2`.
    pub sched: Scheduler,
    /// `sched_credit_tslice_ms=`: credit1's time slice in ms. Default 30.
    pub sched_credit_tslice_ms: u32,
    /// `sched_ratelimit_us=`: least time a vCPU runs before preemption, in µs; 0 turns
    /// it off. Default 1000.
    pub sched_ratelimit_us: u32,
    /// `credit2_runqueue=`: which CPUs share a credit2 runqueue. Default `socket`.
    pub credit2_runqueue: RunqueueArrangement,
    /// `credit2_load_precision_shift=`: fixed-point bits of credit2's load averages.
    /// Default 18.
    pub credit2_load_precision_shift: u32,
    /// `credit2_load_window_shift=`: log2 of credit2's load-average window in ns. Default 30.
    pub credit2_load_window_shift: u32,
    /// `vcpu_migration_delay=`: µs a credit1 vCPU stays cache-hot. Default 0.
    pub vcpu_migration_delay: u32,
    /// `iommu=`: IOMMU use and sub-features. Default: used when present.
    pub iommu: IommuConfig,
    /// `watchdog`: run the NMI watchdog (also set by a non-zero `watchdog_timeout`).
    /// Default off.
    pub watchdog: bool,
    /// `watchdog=force`: with the watchdog on, still handle unknown NMIs. Default off.
    pub watchdog_force: bool,
    /// `watchdog_timeout=`: seconds before the watchdog panics. Default 5.
    pub watchdog_timeout: u32,
}

/// `conring_size`'s documented default, 16 KiB.
pub const CONRING_SIZE_DEFAULT: u32 = 16 << 10;

impl Default for Config {
    fn default() -> Self {
        Self {
            console: ConsoleList::xen_default(),
            com1: None,
            com2: None,
            conring_size: CONRING_SIZE_DEFAULT,
            loglvl: LogThresholds::XEN_DEFAULT,
            guest_loglvl: LogThresholds::XEN_GUEST_DEFAULT,
            sync_console: false,
            console_timestamps: TimestampMode::None,
            console_to_ring: false,
            noreboot: false,
            reboot: RebootConfig::default(),
            maxcpus: None,
            nosmp: false,
            smt: None,
            x2apic: true,
            dom0_mem: Dom0Mem::default(),
            dom0_max_vcpus: VcpuRange::default(),
            dom0: Dom0Options::default(),
            dom0_vcpus_pin: false,
            sched: Scheduler::Credit2,
            sched_credit_tslice_ms: 30,
            sched_ratelimit_us: 1000,
            credit2_runqueue: RunqueueArrangement::Socket,
            credit2_load_precision_shift: 18,
            credit2_load_window_shift: 30,
            vcpu_migration_delay: 0,
            iommu: IommuConfig::default(),
            watchdog: false,
            watchdog_force: false,
            watchdog_timeout: 5,
        }
    }
}
