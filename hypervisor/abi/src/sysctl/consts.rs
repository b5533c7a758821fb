//! `xen/include/public/sysctl.h` (Xen 4.20, `XEN_SYSCTL_INTERFACE_VERSION` 0x15): the flag,
//! sub-op and limit constants of the sysctl arguments (physinfo capabilities, tbuf/perfc ops,
//! power management, cpupool and scheduler ops, topology, PSR, livepatch and more).

xen_abi! {
    header "sysctl.h";
    consts {
        /// Every `XEN_SYSCTL_CPPC_SET_*` bit a caller may set (presets and parameters, 4.18+).
        pub const XEN_SYSCTL_CPPC_SET_PARAM_MASK: u32 = 0xf000_001f => since "4.18";
        /// Host IOMMU and HAP share page tables.
        pub const XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share: u32 = 0x20;
        /// The highest `XEN_SYSCTL_PHYSCAP_*` flag (`gnttab_v2`), for ABI checks.
        pub const XEN_SYSCTL_PHYSCAP_MAX: u32 = 0x200;
        /// `XEN_SYSCTL_TBUFOP_get_info`.
        pub const XEN_SYSCTL_TBUFOP_get_info: u32 = 0;
        /// `XEN_SYSCTL_TBUFOP_set_cpu_mask`.
        pub const XEN_SYSCTL_TBUFOP_set_cpu_mask: u32 = 1;
        /// `XEN_SYSCTL_TBUFOP_set_evt_mask`.
        pub const XEN_SYSCTL_TBUFOP_set_evt_mask: u32 = 2;
        /// `XEN_SYSCTL_TBUFOP_set_size`.
        pub const XEN_SYSCTL_TBUFOP_set_size: u32 = 3;
        /// `XEN_SYSCTL_TBUFOP_enable`.
        pub const XEN_SYSCTL_TBUFOP_enable: u32 = 4;
        /// `XEN_SYSCTL_TBUFOP_disable`.
        pub const XEN_SYSCTL_TBUFOP_disable: u32 = 5;
        /// `XEN_SYSCTL_PHYSCAP_hvm`.
        pub const XEN_SYSCTL_PHYSCAP_hvm: u32 = 1;
        /// `XEN_SYSCTL_PHYSCAP_pv`.
        pub const XEN_SYSCTL_PHYSCAP_pv: u32 = 2;
        /// `XEN_SYSCTL_PHYSCAP_directio`.
        pub const XEN_SYSCTL_PHYSCAP_directio: u32 = 4;
        /// `XEN_SYSCTL_PHYSCAP_hap`.
        pub const XEN_SYSCTL_PHYSCAP_hap: u32 = 8;
        /// `XEN_SYSCTL_PHYSCAP_shadow`.
        pub const XEN_SYSCTL_PHYSCAP_shadow: u32 = 0x10;
        /// `XEN_SYSCTL_PHYSCAP_vmtrace`.
        pub const XEN_SYSCTL_PHYSCAP_vmtrace: u32 = 0x40;
        /// `XEN_SYSCTL_PHYSCAP_vpmu`.
        pub const XEN_SYSCTL_PHYSCAP_vpmu: u32 = 0x80;
        /// `XEN_SYSCTL_PHYSCAP_gnttab_v1`.
        pub const XEN_SYSCTL_PHYSCAP_gnttab_v1: u32 = 0x100;
        /// `XEN_SYSCTL_PHYSCAP_gnttab_v2`.
        pub const XEN_SYSCTL_PHYSCAP_gnttab_v2: u32 = 0x200;
        /// `XEN_SYSCTL_PERFCOP_reset`.
        pub const XEN_SYSCTL_PERFCOP_reset: u32 = 1;
        /// `XEN_SYSCTL_PERFCOP_query`.
        pub const XEN_SYSCTL_PERFCOP_query: u32 = 2;
        /// `PMSTAT_CATEGORY_MASK`.
        pub const PMSTAT_CATEGORY_MASK: u32 = 0xf0;
        /// `PMSTAT_PX`.
        pub const PMSTAT_PX: u32 = 0x10;
        /// `PMSTAT_CX`.
        pub const PMSTAT_CX: u32 = 0x20;
        /// `PMSTAT_get_max_px`.
        pub const PMSTAT_get_max_px: u32 = 0x11;
        /// `PMSTAT_get_pxstat`.
        pub const PMSTAT_get_pxstat: u32 = 0x12;
        /// `PMSTAT_reset_pxstat`.
        pub const PMSTAT_reset_pxstat: u32 = 0x13;
        /// `PMSTAT_get_max_cx`.
        pub const PMSTAT_get_max_cx: u32 = 0x21;
        /// `PMSTAT_get_cxstat`.
        pub const PMSTAT_get_cxstat: u32 = 0x22;
        /// `PMSTAT_reset_cxstat`.
        pub const PMSTAT_reset_cxstat: u32 = 0x23;
        /// `XEN_SYSCTL_CPU_HOTPLUG_ONLINE`.
        pub const XEN_SYSCTL_CPU_HOTPLUG_ONLINE: u32 = 0;
        /// `XEN_SYSCTL_CPU_HOTPLUG_OFFLINE`.
        pub const XEN_SYSCTL_CPU_HOTPLUG_OFFLINE: u32 = 1;
        /// `XEN_SYSCTL_CPU_HOTPLUG_SMT_ENABLE`.
        pub const XEN_SYSCTL_CPU_HOTPLUG_SMT_ENABLE: u32 = 2;
        /// `XEN_SYSCTL_CPU_HOTPLUG_SMT_DISABLE`.
        pub const XEN_SYSCTL_CPU_HOTPLUG_SMT_DISABLE: u32 = 3;
        /// `XEN_SYSCTL_CPPC_FEAT_ACT_WINDOW`.
        pub const XEN_SYSCTL_CPPC_FEAT_ACT_WINDOW: u32 = 1 => since "4.18";
        /// `XEN_CPPC_ACT_WINDOW_MANTISSA_MASK`.
        pub const XEN_CPPC_ACT_WINDOW_MANTISSA_MASK: u32 = 0x7f => since "4.18";
        /// `XEN_CPPC_ACT_WINDOW_EXPONENT_MASK`.
        pub const XEN_CPPC_ACT_WINDOW_EXPONENT_MASK: u32 = 0x380 => since "4.18";
        /// `XEN_SYSCTL_CPPC_SET_MINIMUM`.
        pub const XEN_SYSCTL_CPPC_SET_MINIMUM: u32 = 1 => since "4.18";
        /// `XEN_SYSCTL_CPPC_SET_MAXIMUM`.
        pub const XEN_SYSCTL_CPPC_SET_MAXIMUM: u32 = 2 => since "4.18";
        /// `XEN_SYSCTL_CPPC_SET_DESIRED`.
        pub const XEN_SYSCTL_CPPC_SET_DESIRED: u32 = 4 => since "4.18";
        /// `XEN_SYSCTL_CPPC_SET_ENERGY_PERF`.
        pub const XEN_SYSCTL_CPPC_SET_ENERGY_PERF: u32 = 8 => since "4.18";
        /// `XEN_SYSCTL_CPPC_SET_ACT_WINDOW`.
        pub const XEN_SYSCTL_CPPC_SET_ACT_WINDOW: u32 = 0x10 => since "4.18";
        /// `XEN_SYSCTL_CPPC_SET_PRESET_MASK`.
        pub const XEN_SYSCTL_CPPC_SET_PRESET_MASK: u32 = 0xf0000000 => since "4.18";
        /// `XEN_SYSCTL_CPPC_SET_PRESET_NONE`.
        pub const XEN_SYSCTL_CPPC_SET_PRESET_NONE: u32 = 0 => since "4.18";
        /// `XEN_SYSCTL_CPPC_SET_PRESET_BALANCE`.
        pub const XEN_SYSCTL_CPPC_SET_PRESET_BALANCE: u32 = 0x10000000 => since "4.18";
        /// `XEN_SYSCTL_CPPC_SET_PRESET_POWERSAVE`.
        pub const XEN_SYSCTL_CPPC_SET_PRESET_POWERSAVE: u32 = 0x20000000 => since "4.18";
        /// `XEN_SYSCTL_CPPC_SET_PRESET_PERFORMANCE`.
        pub const XEN_SYSCTL_CPPC_SET_PRESET_PERFORMANCE: u32 = 0x30000000 => since "4.18";
        /// `XEN_SYSCTL_CPPC_ACT_WINDOW_MASK`.
        pub const XEN_SYSCTL_CPPC_ACT_WINDOW_MASK: u32 = 0x3ff => since "4.18";
        /// `CPUFREQ_NAME_LEN`.
        pub const CPUFREQ_NAME_LEN: u32 = 0x10;
        /// `SCALING_MAX_FREQ`.
        pub const SCALING_MAX_FREQ: u32 = 1;
        /// `SCALING_MIN_FREQ`.
        pub const SCALING_MIN_FREQ: u32 = 2;
        /// `SCALING_SETSPEED`.
        pub const SCALING_SETSPEED: u32 = 3;
        /// `SAMPLING_RATE`.
        pub const SAMPLING_RATE: u32 = 4;
        /// `UP_THRESHOLD`.
        pub const UP_THRESHOLD: u32 = 5;
        /// `PM_PARA_CATEGORY_MASK`.
        pub const PM_PARA_CATEGORY_MASK: u32 = 0xf0;
        /// `CPUFREQ_PARA`.
        pub const CPUFREQ_PARA: u32 = 0x10;
        /// `GET_CPUFREQ_PARA`.
        pub const GET_CPUFREQ_PARA: u32 = 0x11;
        /// `SET_CPUFREQ_GOV`.
        pub const SET_CPUFREQ_GOV: u32 = 0x12;
        /// `SET_CPUFREQ_PARA`.
        pub const SET_CPUFREQ_PARA: u32 = 0x13;
        /// `GET_CPUFREQ_AVGFREQ`.
        pub const GET_CPUFREQ_AVGFREQ: u32 = 0x14;
        /// `SET_CPUFREQ_CPPC`.
        pub const SET_CPUFREQ_CPPC: u32 = 0x15 => since "4.18";
        /// `XEN_SYSCTL_pm_op_set_sched_opt_smt`.
        pub const XEN_SYSCTL_pm_op_set_sched_opt_smt: u32 = 0x21;
        /// `XEN_SYSCTL_pm_op_get_max_cstate`.
        pub const XEN_SYSCTL_pm_op_get_max_cstate: u32 = 0x22;
        /// `XEN_SYSCTL_pm_op_set_max_cstate`.
        pub const XEN_SYSCTL_pm_op_set_max_cstate: u32 = 0x23;
        /// `XEN_SYSCTL_pm_op_set_vcpu_migration_delay`.
        pub const XEN_SYSCTL_pm_op_set_vcpu_migration_delay: u32 = 0x24;
        /// `XEN_SYSCTL_pm_op_get_vcpu_migration_delay`.
        pub const XEN_SYSCTL_pm_op_get_vcpu_migration_delay: u32 = 0x25;
        /// `XEN_SYSCTL_pm_op_enable_turbo`.
        pub const XEN_SYSCTL_pm_op_enable_turbo: u32 = 0x26;
        /// `XEN_SYSCTL_pm_op_disable_turbo`.
        pub const XEN_SYSCTL_pm_op_disable_turbo: u32 = 0x27;
        /// `XEN_SYSCTL_CX_UNLIMITED`.
        pub const XEN_SYSCTL_CX_UNLIMITED: u32 = 0xffffffff;
        /// `sysctl_page_offline`.
        pub const sysctl_page_offline: u32 = 1;
        /// `sysctl_page_online`.
        pub const sysctl_page_online: u32 = 2;
        /// `sysctl_query_page_offline`.
        pub const sysctl_query_page_offline: u32 = 3;
        /// `PG_OFFLINE_STATUS_MASK`.
        pub const PG_OFFLINE_STATUS_MASK: u32 = 0xff;
        /// `PG_OFFLINE_INVALID`.
        pub const PG_OFFLINE_INVALID: u32 = 1;
        /// `PG_OFFLINE_OFFLINED`.
        pub const PG_OFFLINE_OFFLINED: u32 = 2;
        /// `PG_OFFLINE_PENDING`.
        pub const PG_OFFLINE_PENDING: u32 = 4;
        /// `PG_OFFLINE_FAILED`.
        pub const PG_OFFLINE_FAILED: u32 = 8;
        /// `PG_OFFLINE_AGAIN`.
        pub const PG_OFFLINE_AGAIN: u32 = 0x10;
        /// `PG_ONLINE_FAILED`.
        pub const PG_ONLINE_FAILED: u32 = 8;
        /// `PG_ONLINE_ONLINED`.
        pub const PG_ONLINE_ONLINED: u32 = 2;
        /// `PG_OFFLINE_STATUS_OFFLINED`.
        pub const PG_OFFLINE_STATUS_OFFLINED: u32 = 2;
        /// `PG_OFFLINE_STATUS_ONLINE`.
        pub const PG_OFFLINE_STATUS_ONLINE: u32 = 4;
        /// `PG_OFFLINE_STATUS_OFFLINE_PENDING`.
        pub const PG_OFFLINE_STATUS_OFFLINE_PENDING: u32 = 8;
        /// `PG_OFFLINE_STATUS_BROKEN`.
        pub const PG_OFFLINE_STATUS_BROKEN: u32 = 0x10;
        /// `PG_OFFLINE_MISC_MASK`.
        pub const PG_OFFLINE_MISC_MASK: u32 = 0xff0;
        /// `PG_OFFLINE_XENPAGE`.
        pub const PG_OFFLINE_XENPAGE: u32 = 0x100;
        /// `PG_OFFLINE_DOM0PAGE`.
        pub const PG_OFFLINE_DOM0PAGE: u32 = 0x200;
        /// `PG_OFFLINE_ANONYMOUS`.
        pub const PG_OFFLINE_ANONYMOUS: u32 = 0x400;
        /// `PG_OFFLINE_NOT_CONV_RAM`.
        pub const PG_OFFLINE_NOT_CONV_RAM: u32 = 0x800;
        /// `PG_OFFLINE_OWNED`.
        pub const PG_OFFLINE_OWNED: u32 = 0x1000;
        /// `PG_OFFLINE_BROKEN`.
        pub const PG_OFFLINE_BROKEN: u32 = 0x2000;
        /// `PG_ONLINE_BROKEN`.
        pub const PG_ONLINE_BROKEN: u32 = 0x2000;
        /// `PG_OFFLINE_OWNER_SHIFT`.
        pub const PG_OFFLINE_OWNER_SHIFT: u32 = 0x10;
        /// `XEN_SYSCTL_LOCKPROF_reset`.
        pub const XEN_SYSCTL_LOCKPROF_reset: u32 = 1;
        /// `XEN_SYSCTL_LOCKPROF_query`.
        pub const XEN_SYSCTL_LOCKPROF_query: u32 = 2;
        /// `LOCKPROF_TYPE_GLOBAL`.
        pub const LOCKPROF_TYPE_GLOBAL: u32 = 0;
        /// `LOCKPROF_TYPE_PERDOM`.
        pub const LOCKPROF_TYPE_PERDOM: u32 = 1;
        /// `LOCKPROF_TYPE_N`.
        pub const LOCKPROF_TYPE_N: u32 = 2;
        /// `XEN_INVALID_CORE_ID`.
        pub const XEN_INVALID_CORE_ID: u32 = 0xffffffff;
        /// `XEN_INVALID_SOCKET_ID`.
        pub const XEN_INVALID_SOCKET_ID: u32 = 0xffffffff;
        /// `XEN_INVALID_NODE_ID`.
        pub const XEN_INVALID_NODE_ID: u32 = 0xffffffff;
        /// `XEN_INVALID_MEM_SZ`.
        pub const XEN_INVALID_MEM_SZ: u32 = 0xffffffff;
        /// `XEN_INVALID_NODE_DIST`.
        pub const XEN_INVALID_NODE_DIST: u32 = 0xffffffff;
        /// `XEN_SYSCTL_CPUPOOL_OP_CREATE`.
        pub const XEN_SYSCTL_CPUPOOL_OP_CREATE: u32 = 1;
        /// `XEN_SYSCTL_CPUPOOL_OP_DESTROY`.
        pub const XEN_SYSCTL_CPUPOOL_OP_DESTROY: u32 = 2;
        /// `XEN_SYSCTL_CPUPOOL_OP_INFO`.
        pub const XEN_SYSCTL_CPUPOOL_OP_INFO: u32 = 3;
        /// `XEN_SYSCTL_CPUPOOL_OP_ADDCPU`.
        pub const XEN_SYSCTL_CPUPOOL_OP_ADDCPU: u32 = 4;
        /// `XEN_SYSCTL_CPUPOOL_OP_RMCPU`.
        pub const XEN_SYSCTL_CPUPOOL_OP_RMCPU: u32 = 5;
        /// `XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN`.
        pub const XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN: u32 = 6;
        /// `XEN_SYSCTL_CPUPOOL_OP_FREEINFO`.
        pub const XEN_SYSCTL_CPUPOOL_OP_FREEINFO: u32 = 7;
        /// `XEN_SYSCTL_CPUPOOL_PAR_ANY`.
        pub const XEN_SYSCTL_CPUPOOL_PAR_ANY: u32 = 0xffffffff;
        /// `ARINC653_MAX_DOMAINS_PER_SCHEDULE`.
        pub const ARINC653_MAX_DOMAINS_PER_SCHEDULE: u32 = 0x40;
        /// `XEN_SYSCTL_SCHED_RATELIMIT_MAX`.
        pub const XEN_SYSCTL_SCHED_RATELIMIT_MAX: u32 = 0x7a120;
        /// `XEN_SYSCTL_SCHED_RATELIMIT_MIN`.
        pub const XEN_SYSCTL_SCHED_RATELIMIT_MIN: u32 = 0x64;
        /// `XEN_SYSCTL_CSCHED_TSLICE_MAX`.
        pub const XEN_SYSCTL_CSCHED_TSLICE_MAX: u32 = 0x3e8;
        /// `XEN_SYSCTL_CSCHED_TSLICE_MIN`.
        pub const XEN_SYSCTL_CSCHED_TSLICE_MIN: u32 = 1;
        /// `XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US`.
        pub const XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US: u32 = 0x186a0;
        /// `XEN_SYSCTL_SCHEDOP_putinfo`.
        pub const XEN_SYSCTL_SCHEDOP_putinfo: u32 = 0;
        /// `XEN_SYSCTL_SCHEDOP_getinfo`.
        pub const XEN_SYSCTL_SCHEDOP_getinfo: u32 = 1;
        /// `XEN_GCOV_FORMAT_MAGIC`.
        pub const XEN_GCOV_FORMAT_MAGIC: u32 = 0x58434f56;
        /// `XEN_SYSCTL_COVERAGE_get_size`.
        pub const XEN_SYSCTL_COVERAGE_get_size: u32 = 0;
        /// `XEN_SYSCTL_COVERAGE_read`.
        pub const XEN_SYSCTL_COVERAGE_read: u32 = 1;
        /// `XEN_SYSCTL_COVERAGE_reset`.
        pub const XEN_SYSCTL_COVERAGE_reset: u32 = 2;
        /// `XEN_SYSCTL_PSR_CMT_get_total_rmid`.
        pub const XEN_SYSCTL_PSR_CMT_get_total_rmid: u32 = 0;
        /// `XEN_SYSCTL_PSR_CMT_get_l3_upscaling_factor`.
        pub const XEN_SYSCTL_PSR_CMT_get_l3_upscaling_factor: u32 = 1;
        /// `XEN_SYSCTL_PSR_CMT_get_l3_cache_size`.
        pub const XEN_SYSCTL_PSR_CMT_get_l3_cache_size: u32 = 2;
        /// `XEN_SYSCTL_PSR_CMT_enabled`.
        pub const XEN_SYSCTL_PSR_CMT_enabled: u32 = 3;
        /// `XEN_SYSCTL_PSR_CMT_get_l3_event_mask`.
        pub const XEN_SYSCTL_PSR_CMT_get_l3_event_mask: u32 = 4;
        /// `XEN_INVALID_DEV`.
        pub const XEN_INVALID_DEV: u32 = 0xfffffffe;
        /// `XEN_SYSCTL_PSR_get_l3_info`.
        pub const XEN_SYSCTL_PSR_get_l3_info: u32 = 0;
        /// `XEN_SYSCTL_PSR_get_l2_info`.
        pub const XEN_SYSCTL_PSR_get_l2_info: u32 = 1;
        /// `XEN_SYSCTL_PSR_get_mba_info`.
        pub const XEN_SYSCTL_PSR_get_mba_info: u32 = 2;
        /// `XEN_SYSCTL_PSR_CAT_L3_CDP`.
        pub const XEN_SYSCTL_PSR_CAT_L3_CDP: u32 = 1;
        /// `XEN_SYSCTL_PSR_MBA_LINEAR`.
        pub const XEN_SYSCTL_PSR_MBA_LINEAR: u32 = 1;
        /// `XEN_SYSCTL_CPU_LEVELCAP_faulting`.
        pub const XEN_SYSCTL_CPU_LEVELCAP_faulting: u32 = 1;
        /// `XEN_SYSCTL_CPU_LEVELCAP_ecx`.
        pub const XEN_SYSCTL_CPU_LEVELCAP_ecx: u32 = 2;
        /// `XEN_SYSCTL_CPU_LEVELCAP_edx`.
        pub const XEN_SYSCTL_CPU_LEVELCAP_edx: u32 = 4;
        /// `XEN_SYSCTL_CPU_LEVELCAP_extd_ecx`.
        pub const XEN_SYSCTL_CPU_LEVELCAP_extd_ecx: u32 = 8;
        /// `XEN_SYSCTL_CPU_LEVELCAP_extd_edx`.
        pub const XEN_SYSCTL_CPU_LEVELCAP_extd_edx: u32 = 0x10;
        /// `XEN_SYSCTL_CPU_LEVELCAP_xsave_eax`.
        pub const XEN_SYSCTL_CPU_LEVELCAP_xsave_eax: u32 = 0x20;
        /// `XEN_SYSCTL_CPU_LEVELCAP_thermal_ecx`.
        pub const XEN_SYSCTL_CPU_LEVELCAP_thermal_ecx: u32 = 0x40;
        /// `XEN_SYSCTL_CPU_LEVELCAP_l7s0_eax`.
        pub const XEN_SYSCTL_CPU_LEVELCAP_l7s0_eax: u32 = 0x80;
        /// `XEN_SYSCTL_CPU_LEVELCAP_l7s0_ebx`.
        pub const XEN_SYSCTL_CPU_LEVELCAP_l7s0_ebx: u32 = 0x100;
        /// `XEN_SYSCTL_cpu_featureset_raw`.
        pub const XEN_SYSCTL_cpu_featureset_raw: u32 = 0;
        /// `XEN_SYSCTL_cpu_featureset_host`.
        pub const XEN_SYSCTL_cpu_featureset_host: u32 = 1;
        /// `XEN_SYSCTL_cpu_featureset_pv`.
        pub const XEN_SYSCTL_cpu_featureset_pv: u32 = 2;
        /// `XEN_SYSCTL_cpu_featureset_hvm`.
        pub const XEN_SYSCTL_cpu_featureset_hvm: u32 = 3;
        /// `XEN_SYSCTL_cpu_featureset_pv_max`.
        pub const XEN_SYSCTL_cpu_featureset_pv_max: u32 = 4;
        /// `XEN_SYSCTL_cpu_featureset_hvm_max`.
        pub const XEN_SYSCTL_cpu_featureset_hvm_max: u32 = 5;
        /// `LIVEPATCH_PAYLOAD_VERSION`.
        pub const LIVEPATCH_PAYLOAD_VERSION: u32 = 2;
        /// `XEN_LIVEPATCH_NAME_SIZE`.
        pub const XEN_LIVEPATCH_NAME_SIZE: u32 = 0x80;
        /// `XEN_SYSCTL_LIVEPATCH_UPLOAD`.
        pub const XEN_SYSCTL_LIVEPATCH_UPLOAD: u32 = 0;
        /// `XEN_SYSCTL_LIVEPATCH_GET`.
        pub const XEN_SYSCTL_LIVEPATCH_GET: u32 = 1;
        /// `LIVEPATCH_STATE_CHECKED`.
        pub const LIVEPATCH_STATE_CHECKED: u32 = 1;
        /// `LIVEPATCH_STATE_APPLIED`.
        pub const LIVEPATCH_STATE_APPLIED: u32 = 2;
        /// `XEN_SYSCTL_LIVEPATCH_LIST`.
        pub const XEN_SYSCTL_LIVEPATCH_LIST: u32 = 2;
        /// `XEN_SYSCTL_LIVEPATCH_ACTION`.
        pub const XEN_SYSCTL_LIVEPATCH_ACTION: u32 = 3;
        /// `LIVEPATCH_ACTION_UNLOAD`.
        pub const LIVEPATCH_ACTION_UNLOAD: u32 = 1;
        /// `LIVEPATCH_ACTION_REVERT`.
        pub const LIVEPATCH_ACTION_REVERT: u32 = 2;
        /// `LIVEPATCH_ACTION_APPLY`.
        pub const LIVEPATCH_ACTION_APPLY: u32 = 3;
        /// `LIVEPATCH_ACTION_REPLACE`.
        pub const LIVEPATCH_ACTION_REPLACE: u32 = 4;
        /// `LIVEPATCH_ACTION_APPLY_NODEPS`.
        pub const LIVEPATCH_ACTION_APPLY_NODEPS: u32 = 1;
        /// `LIVEPATCH_FLAG_FORCE`.
        pub const LIVEPATCH_FLAG_FORCE: u32 = 1 => since "4.19";
        /// `LIVEPATCH_FLAGS_MASK`.
        pub const LIVEPATCH_FLAGS_MASK: u32 = 1 => since "4.19";
        /// `XEN_SYSCTL_cpu_policy_raw`.
        pub const XEN_SYSCTL_cpu_policy_raw: u32 = 0 => since "x86_64 only";
        /// `XEN_SYSCTL_cpu_policy_host`.
        pub const XEN_SYSCTL_cpu_policy_host: u32 = 1 => since "x86_64 only";
        /// `XEN_SYSCTL_cpu_policy_pv_max`.
        pub const XEN_SYSCTL_cpu_policy_pv_max: u32 = 2 => since "x86_64 only";
        /// `XEN_SYSCTL_cpu_policy_hvm_max`.
        pub const XEN_SYSCTL_cpu_policy_hvm_max: u32 = 3 => since "x86_64 only";
        /// `XEN_SYSCTL_cpu_policy_pv_default`.
        pub const XEN_SYSCTL_cpu_policy_pv_default: u32 = 4 => since "x86_64 only";
        /// `XEN_SYSCTL_cpu_policy_hvm_default`.
        pub const XEN_SYSCTL_cpu_policy_hvm_default: u32 = 5 => since "x86_64 only";
    }
}
