//! `xen/include/public/sysctl.h` (Xen 4.20, `XEN_SYSCTL_INTERFACE_VERSION` 0x15, as in 4.17):
//! CPU pools and the per-pool scheduler parameters (ARINC 653 schedule, credit, credit2).

use crate::GuestHandle;
use crate::xen::XenctlBitmap;

xen_abi! {
    header "sysctl.h";
    structs {
        /// `struct xen_sysctl_cpupool_op`.
        "struct xen_sysctl_cpupool_op" size 40 align 8;
        pub struct XenSysctlCpupoolOp {
            /// The sub-operation.
            0 op: u32,
            /// CPU pool id.
            4 cpupool_id: u32,
            /// Scheduler (`XEN_SCHEDULER_*`).
            8 sched_id: u32,
            /// Domain id.
            12 domid: u32,
            /// Physical CPU number.
            16 cpu: u32,
            /// `n_dom`.
            20 n_dom: u32,
            /// CPU bitmap.
            24 cpumap: XenctlBitmap,
        }

        /// `struct xen_sysctl_sched_arinc653`.
        "struct xen_sysctl_sched_arinc653" size 8 align 8;
        pub struct XenSysctlSchedArinc653 {
            /// `schedule`.
            0 schedule: GuestHandle<XenSysctlArinc653Schedule>,
        }

        /// `struct xen_sysctl_credit_schedule`.
        "struct xen_sysctl_credit_schedule" size 12 align 4;
        pub struct XenSysctlCreditSchedule {
            /// `tslice_ms`.
            0 tslice_ms: u32,
            /// `ratelimit_us`.
            4 ratelimit_us: u32,
            /// `vcpu_migr_delay_us`.
            8 vcpu_migr_delay_us: u32,
        }

        /// `struct xen_sysctl_credit2_schedule`.
        "struct xen_sysctl_credit2_schedule" size 4 align 4;
        pub struct XenSysctlCredit2Schedule {
            /// `ratelimit_us`.
            0 ratelimit_us: u32,
        }

        /// `struct xen_sysctl_scheduler_op`.
        "struct xen_sysctl_scheduler_op" size 32 align 8;
        pub struct XenSysctlSchedulerOp {
            /// CPU pool id.
            0 cpupool_id: u32,
            /// Scheduler (`XEN_SCHEDULER_*`).
            4 sched_id: u32,
            /// The sub-command.
            8 cmd: u32,
            /// Padding.
            12 _gap0: [u8; 4],
            /// Union of the sub-op argument structs.
            16 u: [u64; 2],
        }

        /// `__typeof__(((struct xen_sysctl_arinc653_schedule *)0)->sched_entries[0])`.
        "__typeof__(((struct xen_sysctl_arinc653_schedule *)0)->sched_entries[0])" size 32 align 8;
        pub struct XenSysctlArinc653ScheduleSchedEntriesEntry {
            /// `dom_handle`.
            0 dom_handle: [u8; 16],
            /// `vcpu_id`.
            16 vcpu_id: u32,
            /// Padding.
            20 _gap0: [u8; 4],
            /// `runtime`.
            24 runtime: u64,
        }

        /// `struct xen_sysctl_arinc653_schedule`.
        "struct xen_sysctl_arinc653_schedule" size 2064 align 8;
        pub struct XenSysctlArinc653Schedule {
            /// `major_frame`.
            0 major_frame: u64,
            /// `num_sched_entries`.
            8 num_sched_entries: u8,
            /// Padding.
            9 _gap0: [u8; 7],
            /// `sched_entries`.
            16 sched_entries: [XenSysctlArinc653ScheduleSchedEntriesEntry; 64],
        }
    }
}
