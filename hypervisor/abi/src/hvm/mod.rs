//! `xen/include/public/hvm/` (and `arch-x86/hvm/start_info.h`): HVM and PVH interfaces.

pub mod hvm_op;
pub mod hvm_vcpu;
pub mod params;
pub mod start_info;
