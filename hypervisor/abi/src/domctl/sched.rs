//! `xen/include/public/domctl.h` (Xen 4.20, `XEN_DOMCTL_INTERFACE_VERSION` 0x17):
//! `XEN_DOMCTL_scheduler_op` — per-domain and per-vCPU parameters of the credit, credit2 and
//! RTDS schedulers. The layouts are the same as in 4.17.

use crate::GuestHandle;

xen_abi! {
    header "domctl.h";
    structs {
        /// `struct xen_domctl_sched_credit`.
        "struct xen_domctl_sched_credit" size 4 align 2;
        pub struct XenDomctlSchedCredit {
            /// Scheduling weight.
            0 weight: u16,
            /// CPU cap in percent of one pCPU (0: none).
            2 cap: u16,
        }

        /// `struct xen_domctl_sched_credit2`.
        "struct xen_domctl_sched_credit2" size 4 align 2;
        pub struct XenDomctlSchedCredit2 {
            /// Scheduling weight.
            0 weight: u16,
            /// CPU cap in percent of one pCPU (0: none).
            2 cap: u16,
        }

        /// `struct xen_domctl_sched_rtds`.
        "struct xen_domctl_sched_rtds" size 12 align 4;
        pub struct XenDomctlSchedRtds {
            /// Period (us).
            0 period: u32,
            /// Budget (us).
            4 budget: u32,
            /// Flag bits.
            8 flags: u32,
        }

        /// `struct xen_domctl_scheduler_op`.
        "struct xen_domctl_scheduler_op" size 24 align 8;
        pub struct XenDomctlSchedulerOp {
            /// Scheduler (`XEN_SCHEDULER_*`).
            0 sched_id: u32,
            /// The sub-command.
            4 cmd: u32,
            /// Union of the sub-op argument structs.
            8 u: [u64; 2],
        }

        /// `struct xen_domctl_schedparam_vcpu`.
        "struct xen_domctl_schedparam_vcpu" size 16 align 4;
        pub struct XenDomctlSchedparamVcpu {
            /// Union of the sub-op argument structs.
            0 u: [u32; 3],
            /// vCPU id.
            12 vcpuid: u32,
        }

        /// `u.v` of `struct xen_domctl_scheduler_op`: an array of per-vCPU parameters.
        "__typeof__(((struct xen_domctl_scheduler_op *)0)->u.v)" size 16 align 8;
        pub struct XenDomctlSchedulerOpVcpus {
            /// The `xen_domctl_schedparam_vcpu` array.
            0 vcpus: GuestHandle<XenDomctlSchedparamVcpu>,
            /// In: elements; out: elements processed.
            8 nr_vcpus: u32,
            /// Unused.
            12 padding: u32,
        }
    }
}
