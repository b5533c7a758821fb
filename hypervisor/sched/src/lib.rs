//! Xen's schedulers and cpupools (`xen/common/sched/`), as pure policy.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
