//! `xen/include/public/hvm/` (and `arch-x86/hvm/start_info.h`): HVM and PVH interfaces.

pub mod dm_op;
pub mod e820;
pub mod hvm_info_table;
pub mod hvm_op;
pub mod hvm_vcpu;
pub mod ioreq;
pub mod params;
pub mod start_info;
