//! `xen/include/public/xsm/`: the security module interface (`HYPERVISOR_xsm_op`).

pub mod flask_op;
