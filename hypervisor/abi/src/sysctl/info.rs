//! `xen/include/public/sysctl.h` (Xen 4.20, `XEN_SYSCTL_INTERFACE_VERSION` 0x15, as in 4.17):
//! the host-information sysctls — trace buffers, physinfo, perf counters, the domain list, debug
//! keys, per-CPU idle time, free heap, CPU/NUMA/PCI topology and the CPU featuresets.

use crate::GuestHandle;
use crate::xen::{DomId, XenctlBitmap};

xen_abi! {
    header "sysctl.h";
    structs {
        /// `struct xen_sysctl_perfc_desc`: one performance counter's name and value count.
        "struct xen_sysctl_perfc_desc" size 84 align 4;
        pub struct XenSysctlPerfcDesc {
            /// NUL-terminated name.
            0 name: [u8; 80],
            /// Values (one per CPU for per-CPU counters).
            80 nr_vals: u32,
        }

        /// `struct xen_sysctl_tbuf_op`.
        "struct xen_sysctl_tbuf_op" size 48 align 8;
        pub struct XenSysctlTbufOp {
            /// The sub-command.
            0 cmd: u32,
            /// Padding.
            4 _gap0: [u8; 4],
            /// CPU bitmap.
            8 cpu_mask: XenctlBitmap,
            /// `evt_mask`.
            24 evt_mask: u32,
            /// Padding.
            28 _gap1: [u8; 4],
            /// `buffer_mfn`.
            32 buffer_mfn: u64,
            /// Size in bytes.
            40 size: u32,
            /// Padding.
            44 _gap2: [u8; 4],
        }

        /// `struct xen_sysctl_physinfo`.
        "struct xen_sysctl_physinfo" size 112 align 8;
        pub struct XenSysctlPhysinfo {
            /// Threads per core.
            0 threads_per_core: u32,
            /// Cores per socket.
            4 cores_per_socket: u32,
            /// Online pCPUs.
            8 nr_cpus: u32,
            /// Highest pCPU id.
            12 max_cpu_id: u32,
            /// NUMA nodes.
            16 nr_nodes: u32,
            /// Highest NUMA node id.
            20 max_node_id: u32,
            /// CPU frequency (kHz).
            24 cpu_khz: u32,
            /// `XEN_SYSCTL_PHYSCAP_*`.
            28 capabilities: u32,
            /// Arch-specific capability bits.
            32 arch_capabilities: u32,
            /// Unused; zero.
            36 pad: u32,
            /// Host pages.
            40 total_pages: u64,
            /// Free pages.
            48 free_pages: u64,
            /// Pages awaiting scrubbing.
            56 scrub_pages: u64,
            /// Pages claimed but not yet allocated.
            64 outstanding_pages: u64,
            /// Highest machine frame.
            72 max_mfn: u64,
            /// CPUID feature words.
            80 hw_cap: [u32; 8],
        }

        /// `struct xen_sysctl_perfc_op`.
        "struct xen_sysctl_perfc_op" size 32 align 8;
        pub struct XenSysctlPerfcOp {
            /// The sub-command.
            0 cmd: u32,
            /// Number of counters.
            4 nr_counters: u32,
            /// Number of vals.
            8 nr_vals: u32,
            /// Padding.
            12 _gap0: [u8; 4],
            /// `desc`.
            16 desc: GuestHandle<u8>,
            /// `val`.
            24 val: GuestHandle<u8>,
        }

        /// `struct xen_sysctl_getdomaininfolist`.
        "struct xen_sysctl_getdomaininfolist" size 24 align 8;
        pub struct XenSysctlGetdomaininfolist {
            /// First domain of the range.
            0 first_domain: DomId,
            /// Padding.
            2 _gap0: [u8; 2],
            /// Maximum domains.
            4 max_domains: u32,
            /// Guest buffer.
            8 buffer: GuestHandle<u8>,
            /// `num_domains`.
            16 num_domains: u32,
            /// Padding.
            20 _gap1: [u8; 4],
        }

        /// `struct xen_sysctl_debug_keys`.
        "struct xen_sysctl_debug_keys" size 16 align 8;
        pub struct XenSysctlDebugKeys {
            /// `keys`.
            0 keys: GuestHandle<u8>,
            /// Number of keys.
            8 nr_keys: u32,
            /// Padding.
            12 _gap0: [u8; 4],
        }

        /// `struct xen_sysctl_getcpuinfo`.
        "struct xen_sysctl_getcpuinfo" size 24 align 8;
        pub struct XenSysctlGetcpuinfo {
            /// Maximum cpus.
            0 max_cpus: u32,
            /// Padding.
            4 _gap0: [u8; 4],
            /// `info`.
            8 info: GuestHandle<XenSysctlCpuinfo>,
            /// Online pCPUs.
            16 nr_cpus: u32,
            /// Padding.
            20 _gap1: [u8; 4],
        }

        /// `struct xen_sysctl_cpuinfo`.
        "struct xen_sysctl_cpuinfo" size 8 align 8;
        pub struct XenSysctlCpuinfo {
            /// `idletime`.
            0 idletime: u64,
        }

        /// `struct xen_sysctl_availheap`.
        "struct xen_sysctl_availheap" size 24 align 8;
        pub struct XenSysctlAvailheap {
            /// `min_bitwidth`.
            0 min_bitwidth: u32,
            /// Maximum bitwidth.
            4 max_bitwidth: u32,
            /// `node`.
            8 node: i32,
            /// Padding.
            12 _gap0: [u8; 4],
            /// `avail_bytes`.
            16 avail_bytes: u64,
        }

        /// `struct xen_sysctl_cputopoinfo`.
        "struct xen_sysctl_cputopoinfo" size 16 align 8;
        pub struct XenSysctlCputopoinfo {
            /// `num_cpus`.
            0 num_cpus: u32,
            /// Padding.
            4 _gap0: [u8; 4],
            /// `cputopo`.
            8 cputopo: GuestHandle<XenSysctlCputopo>,
        }

        /// `struct xen_sysctl_cputopo`.
        "struct xen_sysctl_cputopo" size 12 align 4;
        pub struct XenSysctlCputopo {
            /// `core`.
            0 core: u32,
            /// `socket`.
            4 socket: u32,
            /// `node`.
            8 node: u32,
        }

        /// `struct xen_sysctl_numainfo`.
        "struct xen_sysctl_numainfo" size 24 align 8;
        pub struct XenSysctlNumainfo {
            /// `num_nodes`.
            0 num_nodes: u32,
            /// Padding.
            4 _gap0: [u8; 4],
            /// `meminfo`.
            8 meminfo: GuestHandle<XenSysctlMeminfo>,
            /// `distance`.
            16 distance: GuestHandle<u32>,
        }

        /// `struct xen_sysctl_meminfo`.
        "struct xen_sysctl_meminfo" size 16 align 8;
        pub struct XenSysctlMeminfo {
            /// `memsize`.
            0 memsize: u64,
            /// `memfree`.
            8 memfree: u64,
        }

        /// `struct xen_sysctl_pcitopoinfo`.
        "struct xen_sysctl_pcitopoinfo" size 24 align 8;
        pub struct XenSysctlPcitopoinfo {
            /// `num_devs`.
            0 num_devs: u32,
            /// Padding.
            4 _gap0: [u8; 4],
            /// `devs`.
            8 devs: GuestHandle<u8>,
            /// `nodes`.
            16 nodes: GuestHandle<u32>,
        }

        /// `struct xen_sysctl_cpu_featureset`.
        "struct xen_sysctl_cpu_featureset" size 16 align 8;
        pub struct XenSysctlCpuFeatureset {
            /// Index.
            0 index: u32,
            /// Number of features.
            4 nr_features: u32,
            /// `features`.
            8 features: GuestHandle<u32>,
        }

        /// `struct xen_sysctl_cpu_levelling_caps`.
        "struct xen_sysctl_cpu_levelling_caps" size 4 align 4;
        pub struct XenSysctlCpuLevellingCaps {
            /// `caps`.
            0 caps: u32,
        }
    }
}
