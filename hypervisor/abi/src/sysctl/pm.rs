//! `xen/include/public/sysctl.h` (Xen 4.20, `XEN_SYSCTL_INTERFACE_VERSION` 0x15, as in 4.17):
//! power management — P-state and C-state statistics, CPU hotplug, cpufreq governors and the
//! CPPC parameters (the cpufreq layouts changed in 4.18 and are checked against the 4.20 text).

use crate::GuestHandle;

xen_abi! {
    header "sysctl.h";
    structs {
        /// `struct pm_px_val`.
        "struct pm_px_val" size 24 align 8;
        pub struct PmPxVal {
            /// `freq`.
            0 freq: u64,
            /// `residency`.
            8 residency: u64,
            /// Count of entries.
            16 count: u64,
        }

        /// `struct pm_px_stat`.
        "struct pm_px_stat" size 24 align 8;
        pub struct PmPxStat {
            /// `total`.
            0 total: u8,
            /// `usable`.
            1 usable: u8,
            /// `last`.
            2 last: u8,
            /// `cur`.
            3 cur: u8,
            /// Padding.
            4 _gap0: [u8; 4],
            /// `trans_pt`.
            8 trans_pt: GuestHandle<u64>,
            /// `pt`.
            16 pt: GuestHandle<PmPxVal>,
        }

        /// `struct pm_cx_stat`.
        "struct pm_cx_stat" size 56 align 8;
        pub struct PmCxStat {
            /// `nr`.
            0 nr: u32,
            /// `last`.
            4 last: u32,
            /// `idle_time`.
            8 idle_time: u64,
            /// `triggers`.
            16 triggers: GuestHandle<u64>,
            /// `residencies`.
            24 residencies: GuestHandle<u64>,
            /// Number of pc.
            32 nr_pc: u32,
            /// Number of cc.
            36 nr_cc: u32,
            /// `pc`.
            40 pc: GuestHandle<u64>,
            /// `cc`.
            48 cc: GuestHandle<u64>,
        }

        /// `struct xen_sysctl_get_pmstat`.
        "struct xen_sysctl_get_pmstat" size 64 align 8;
        pub struct XenSysctlGetPmstat {
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            0 type_ as "type": u32,
            /// Physical CPU.
            4 cpuid: u32,
            /// Union of the sub-op argument structs.
            8 u: [u64; 7],
        }

        /// `struct xen_sysctl_cpu_hotplug`.
        "struct xen_sysctl_cpu_hotplug" size 8 align 4;
        pub struct XenSysctlCpuHotplug {
            /// Physical CPU number.
            0 cpu: u32,
            /// The sub-operation.
            4 op: u32,
        }

        /// `struct xen_userspace`.
        "struct xen_userspace" size 4 align 4;
        pub struct XenUserspace {
            /// `scaling_setspeed`.
            0 scaling_setspeed: u32,
        }

        /// `struct xen_ondemand`.
        "struct xen_ondemand" size 16 align 4;
        pub struct XenOndemand {
            /// `sampling_rate_max`.
            0 sampling_rate_max: u32,
            /// `sampling_rate_min`.
            4 sampling_rate_min: u32,
            /// `sampling_rate`.
            8 sampling_rate: u32,
            /// `up_threshold`.
            12 up_threshold: u32,
        }

        /// `struct xen_cppc_para`.
        "struct xen_cppc_para" size 40 align 4 since "4.18";
        pub struct XenCppcPara {
            /// `features`.
            0 features: u32,
            /// `lowest`.
            4 lowest: u32,
            /// `lowest_nonlinear`.
            8 lowest_nonlinear: u32,
            /// `nominal`.
            12 nominal: u32,
            /// `highest`.
            16 highest: u32,
            /// `minimum`.
            20 minimum: u32,
            /// `maximum`.
            24 maximum: u32,
            /// `desired`.
            28 desired: u32,
            /// `energy_perf`.
            32 energy_perf: u32,
            /// `activity_window`.
            36 activity_window: u32,
        }

        /// `struct xen_set_cppc_para`.
        "struct xen_set_cppc_para" size 24 align 4 since "4.18";
        pub struct XenSetCppcPara {
            /// `set_params`.
            0 set_params: u32,
            /// `minimum`.
            4 minimum: u32,
            /// `maximum`.
            8 maximum: u32,
            /// `desired`.
            12 desired: u32,
            /// `energy_perf`.
            16 energy_perf: u32,
            /// `activity_window`.
            20 activity_window: u32,
        }

        /// `__typeof__(((struct xen_get_cpufreq_para *)0)->u.s)`.
        "__typeof__(((struct xen_get_cpufreq_para *)0)->u.s)" size 44 align 4 since "4.18";
        pub struct XenGetCpufreqParaS {
            /// `scaling_cur_freq`.
            0 scaling_cur_freq: u32,
            /// `scaling_governor`.
            4 scaling_governor: [u8; 16],
            /// `scaling_max_freq`.
            20 scaling_max_freq: u32,
            /// `scaling_min_freq`.
            24 scaling_min_freq: u32,
            /// Union of the sub-op argument structs.
            28 u: [u32; 4],
        }

        /// `struct xen_get_cpufreq_para`.
        "struct xen_get_cpufreq_para" size 120 align 8 since "4.18";
        pub struct XenGetCpufreqPara {
            /// `cpu_num`.
            0 cpu_num: u32,
            /// `freq_num`.
            4 freq_num: u32,
            /// `gov_num`.
            8 gov_num: u32,
            /// Padding.
            12 _gap0: [u8; 4],
            /// `affected_cpus`.
            16 affected_cpus: GuestHandle<u32>,
            /// `scaling_available_frequencies`.
            24 scaling_available_frequencies: GuestHandle<u32>,
            /// `scaling_available_governors`.
            32 scaling_available_governors: GuestHandle<u8>,
            /// `scaling_driver`.
            40 scaling_driver: [u8; 16],
            /// `cpuinfo_cur_freq`.
            56 cpuinfo_cur_freq: u32,
            /// `cpuinfo_max_freq`.
            60 cpuinfo_max_freq: u32,
            /// `cpuinfo_min_freq`.
            64 cpuinfo_min_freq: u32,
            /// Union of the sub-op argument structs.
            68 u: [u32; 11],
            /// `turbo_enabled`.
            112 turbo_enabled: i32,
            /// Padding.
            116 _gap1: [u8; 4],
        }

        /// `struct xen_set_cpufreq_gov`.
        "struct xen_set_cpufreq_gov" size 16 align 1;
        pub struct XenSetCpufreqGov {
            /// `scaling_governor`.
            0 scaling_governor: [u8; 16],
        }

        /// `struct xen_set_cpufreq_para`.
        "struct xen_set_cpufreq_para" size 8 align 4;
        pub struct XenSetCpufreqPara {
            /// `ctrl_type`.
            0 ctrl_type: u32,
            /// `ctrl_value`.
            4 ctrl_value: u32,
        }

        /// `struct xen_sysctl_pm_op`.
        "struct xen_sysctl_pm_op" size 128 align 8 since "4.18";
        pub struct XenSysctlPmOp {
            /// The sub-command.
            0 cmd: u32,
            /// Physical CPU.
            4 cpuid: u32,
            /// Union of the sub-op argument structs.
            8 u: [u64; 15],
        }
    }
}
