//! Xen's schedulers and cpupools (`xen/common/sched/`), as pure policy.
//!
//! [`core::Scheduler`] is the interface (Xen's `struct sched_ops`); its module doc says how a
//! per-pCPU run loop drives it (schedule points on the slice timer, on block and on tickles, no
//! lock held across a guest run). [`cpupool::CpuPools`] owns one scheduler per pool and the
//! generic per-unit state. [`sim`] is a deterministic fake-time simulator used by the tests and
//! by `examples/sched_bench.rs`. [`ctl`] holds the domctl/sysctl handlers (scheduler_op,
//! cpupool_op, vcpuaffinity) over `ferrite-abi`'s structs.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod affinity;
pub mod arinc653;
pub mod config;
pub mod core;
pub mod cpupool;
pub mod credit;
pub mod credit2;
pub mod ctl;
pub mod null;
pub mod rt;
pub mod sim;
pub mod unit;

#[cfg(test)]
mod tests;

pub use crate::affinity::{Affinity, CpuMask};
pub use crate::core::{Cpu, Decision, DomId, SchedId, Scheduler, Time, UnitId, UnitSpec};
pub use crate::cpupool::{CpuPools, SchedConfig};
