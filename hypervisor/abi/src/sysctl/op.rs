//! `xen/include/public/sysctl.h` (Xen 4.20, `XEN_SYSCTL_INTERFACE_VERSION` 0x15, as in 4.17): the
//! toolstack's `HYPERVISOR_sysctl` — the outer `struct xen_sysctl`, every command number,
//! `readconsole` and `sched_id`.

use crate::GuestHandle;

xen_abi! {
    header "sysctl.h";
    structs {
        /// `struct xen_sysctl`: the `HYPERVISOR_sysctl` argument; `u` holds the sub-op's struct.
        "struct xen_sysctl" size 136 align 8;
        pub struct XenSysctl {
            /// `XEN_SYSCTL_*`.
            0 cmd: u32,
            /// Must be `XEN_SYSCTL_INTERFACE_VERSION`.
            4 interface_version: u32,
            /// The sub-op's struct (`u.pad` spans the union).
            8 u as "u.pad": [u64; 16],
        }

        /// `struct xen_sysctl_readconsole`.
        "struct xen_sysctl_readconsole" size 24 align 8;
        pub struct XenSysctlReadconsole {
            /// Clear the buffer after reading.
            0 clear: u8,
            /// Start at `index`.
            1 incremental: u8,
            /// Unused.
            2 pad0: u8,
            /// Unused.
            3 pad1: u8,
            /// In/out: position.
            4 index: u32,
            /// The buffer.
            8 buffer: GuestHandle<u8>,
            /// In: size; out: bytes read.
            16 count: u32,
            /// Padding.
            20 _gap0: [u8; 4],
        }

        /// `struct xen_sysctl_sched_id`.
        "struct xen_sysctl_sched_id" size 4 align 4;
        pub struct XenSysctlSchedId {
            /// Out: `XEN_SCHEDULER_*`.
            0 sched_id: u32,
        }
    }
    enums {
        /// A `HYPERVISOR_sysctl` command (`XEN_SYSCTL_*`).
        pub enum SysctlOp: u32 {
            /// `XEN_SYSCTL_readconsole`.
            Readconsole = XEN_SYSCTL_readconsole = 1,
            /// `XEN_SYSCTL_tbuf_op`.
            TbufOp = XEN_SYSCTL_tbuf_op = 2,
            /// `XEN_SYSCTL_physinfo`.
            Physinfo = XEN_SYSCTL_physinfo = 3,
            /// `XEN_SYSCTL_sched_id`.
            SchedId = XEN_SYSCTL_sched_id = 4,
            /// `XEN_SYSCTL_perfc_op`.
            PerfcOp = XEN_SYSCTL_perfc_op = 5,
            /// `XEN_SYSCTL_getdomaininfolist`.
            Getdomaininfolist = XEN_SYSCTL_getdomaininfolist = 6,
            /// `XEN_SYSCTL_debug_keys`.
            DebugKeys = XEN_SYSCTL_debug_keys = 7,
            /// `XEN_SYSCTL_getcpuinfo`.
            Getcpuinfo = XEN_SYSCTL_getcpuinfo = 8,
            /// `XEN_SYSCTL_availheap`.
            Availheap = XEN_SYSCTL_availheap = 9,
            /// `XEN_SYSCTL_get_pmstat`.
            GetPmstat = XEN_SYSCTL_get_pmstat = 0xa,
            /// `XEN_SYSCTL_cpu_hotplug`.
            CpuHotplug = XEN_SYSCTL_cpu_hotplug = 0xb,
            /// `XEN_SYSCTL_pm_op`.
            PmOp = XEN_SYSCTL_pm_op = 0xc,
            /// `XEN_SYSCTL_page_offline_op`.
            PageOfflineOp = XEN_SYSCTL_page_offline_op = 0xe,
            /// `XEN_SYSCTL_lockprof_op`.
            LockprofOp = XEN_SYSCTL_lockprof_op = 0xf,
            /// `XEN_SYSCTL_cputopoinfo`.
            Cputopoinfo = XEN_SYSCTL_cputopoinfo = 0x10,
            /// `XEN_SYSCTL_numainfo`.
            Numainfo = XEN_SYSCTL_numainfo = 0x11,
            /// `XEN_SYSCTL_cpupool_op`.
            CpupoolOp = XEN_SYSCTL_cpupool_op = 0x12,
            /// `XEN_SYSCTL_scheduler_op`.
            SchedulerOp = XEN_SYSCTL_scheduler_op = 0x13,
            /// `XEN_SYSCTL_coverage_op`.
            CoverageOp = XEN_SYSCTL_coverage_op = 0x14,
            /// `XEN_SYSCTL_psr_cmt_op`.
            PsrCmtOp = XEN_SYSCTL_psr_cmt_op = 0x15,
            /// `XEN_SYSCTL_pcitopoinfo`.
            Pcitopoinfo = XEN_SYSCTL_pcitopoinfo = 0x16,
            /// `XEN_SYSCTL_psr_alloc`.
            PsrAlloc = XEN_SYSCTL_psr_alloc = 0x17,
            /// `XEN_SYSCTL_get_cpu_levelling_caps`.
            GetCpuLevellingCaps = XEN_SYSCTL_get_cpu_levelling_caps = 0x19,
            /// `XEN_SYSCTL_get_cpu_featureset`.
            GetCpuFeatureset = XEN_SYSCTL_get_cpu_featureset = 0x1a,
            /// `XEN_SYSCTL_livepatch_op`.
            LivepatchOp = XEN_SYSCTL_livepatch_op = 0x1b,
            /// `XEN_SYSCTL_get_cpu_policy`.
            GetCpuPolicy = XEN_SYSCTL_get_cpu_policy = 0x1d,
            /// `XEN_SYSCTL_dt_overlay`.
            DtOverlay = XEN_SYSCTL_dt_overlay = 0x1e => since "4.18",
        }
    }
    consts {
        /// The sysctl interface version (0x15 in 4.17 and 4.20).
        pub const XEN_SYSCTL_INTERFACE_VERSION: u32 = 0x15;
    }
}
