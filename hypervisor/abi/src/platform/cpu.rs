//! `xen/include/public/platform.h` (Xen 4.20, `XENPF_INTERFACE_VERSION` 0x03000001):
//! physical-CPU management for dom0 — ACPI sleep, frequency change, idle time, P/C-state
//! (`set_processor_pminfo`) data, pCPU info and version, CPU/memory hot-add, core parking,
//! MSR resource access and symbol lookup.

use crate::GuestHandle;

xen_abi! {
    header "platform.h";
    structs {
        /// `struct xenpf_enter_acpi_sleep`.
        "struct xenpf_enter_acpi_sleep" size 12 align 4;
        pub struct XenpfEnterAcpiSleep {
            /// `val_a`.
            0 val_a: u16,
            /// `val_b`.
            2 val_b: u16,
            /// `sleep_state`.
            4 sleep_state: u32,
            /// Flag bits.
            8 flags: u32,
        }

        /// `struct xenpf_change_freq`.
        "struct xenpf_change_freq" size 16 align 8;
        pub struct XenpfChangeFreq {
            /// Flag bits.
            0 flags: u32,
            /// Physical CPU number.
            4 cpu: u32,
            /// `freq`.
            8 freq: u64,
        }

        /// `struct xenpf_getidletime`.
        "struct xenpf_getidletime" size 32 align 8;
        pub struct XenpfGetidletime {
            /// `cpumap_bitmap`.
            0 cpumap_bitmap: GuestHandle<u8>,
            /// `cpumap_nr_cpus`.
            8 cpumap_nr_cpus: u32,
            /// Padding.
            12 _gap0: [u8; 4],
            /// `idletime`.
            16 idletime: GuestHandle<u64>,
            /// `now`.
            24 now: u64,
        }

        /// `struct xen_power_register`.
        "struct xen_power_register" size 24 align 8;
        pub struct XenPowerRegister {
            /// `space_id`.
            0 space_id: u32,
            /// `bit_width`.
            4 bit_width: u32,
            /// `bit_offset`.
            8 bit_offset: u32,
            /// `access_size`.
            12 access_size: u32,
            /// `address`.
            16 address: u64,
        }

        /// `struct xen_processor_csd`.
        "struct xen_processor_csd" size 12 align 4;
        pub struct XenProcessorCsd {
            /// Domain id.
            0 domain: u32,
            /// `coord_type`.
            4 coord_type: u32,
            /// Count of entries.
            8 num: u32,
        }

        /// `struct xen_processor_cx`.
        "struct xen_processor_cx" size 48 align 8;
        pub struct XenProcessorCx {
            /// `reg`.
            0 reg: XenPowerRegister,
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            24 type_ as "type": u8,
            /// Padding.
            25 _gap0: [u8; 3],
            /// `latency`.
            28 latency: u32,
            /// `power`.
            32 power: u32,
            /// `dpcnt`.
            36 dpcnt: u32,
            /// `dp`.
            40 dp: GuestHandle<XenProcessorCsd>,
        }

        /// `struct xen_processor_px`.
        "struct xen_processor_px" size 48 align 8;
        pub struct XenProcessorPx {
            /// `core_frequency`.
            0 core_frequency: u64,
            /// `power`.
            8 power: u64,
            /// `transition_latency`.
            16 transition_latency: u64,
            /// `bus_master_latency`.
            24 bus_master_latency: u64,
            /// `control`.
            32 control: u64,
            /// Status.
            40 status: u64,
        }

        /// `struct xen_processor_flags`.
        "struct xen_processor_flags" size 4 align 4;
        pub struct XenProcessorFlags {
            /// The bit fields, as one word (C cannot take their offsets).
            0 bits as "": u32,
        }

        /// `struct xen_processor_power`.
        "struct xen_processor_power" size 16 align 8;
        pub struct XenProcessorPower {
            /// Count of entries.
            0 count: u32,
            /// Flag bits.
            4 flags: XenProcessorFlags,
            /// `states`.
            8 states: GuestHandle<XenProcessorCx>,
        }

        /// `struct xen_pct_register`.
        "struct xen_pct_register" size 16 align 8;
        pub struct XenPctRegister {
            /// `descriptor`.
            0 descriptor: u8,
            /// Padding.
            1 _gap0: [u8; 1],
            /// Length in bytes.
            2 length: u16,
            /// `space_id`.
            4 space_id: u8,
            /// `bit_width`.
            5 bit_width: u8,
            /// `bit_offset`.
            6 bit_offset: u8,
            /// Reserved; zero.
            7 reserved: u8,
            /// `address`.
            8 address: u64,
        }

        /// `struct xen_psd_package`.
        "struct xen_psd_package" size 40 align 8;
        pub struct XenPsdPackage {
            /// `num_entries`.
            0 num_entries: u64,
            /// `revision`.
            8 revision: u64,
            /// Domain id.
            16 domain: u64,
            /// `coord_type`.
            24 coord_type: u64,
            /// `num_processors`.
            32 num_processors: u64,
        }

        /// `struct xen_processor_performance`.
        "struct xen_processor_performance" size 104 align 8;
        pub struct XenProcessorPerformance {
            /// Flag bits.
            0 flags: u32,
            /// `platform_limit`.
            4 platform_limit: u32,
            /// `control_register`.
            8 control_register: XenPctRegister,
            /// `status_register`.
            24 status_register: XenPctRegister,
            /// `state_count`.
            40 state_count: u32,
            /// Padding.
            44 _gap0: [u8; 4],
            /// `states`.
            48 states: GuestHandle<XenProcessorPx>,
            /// `domain_info`.
            56 domain_info: XenPsdPackage,
            /// `shared_type`.
            96 shared_type: u32,
            /// Padding.
            100 _gap1: [u8; 4],
        }

        /// `struct xenpf_set_processor_pminfo`.
        "struct xenpf_set_processor_pminfo" size 112 align 8;
        pub struct XenpfSetProcessorPminfo {
            /// `id`.
            0 id: u32,
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            4 type_ as "type": u32,
            /// Union of the sub-op argument structs.
            8 u: [u64; 13],
        }

        /// `struct xenpf_pcpuinfo`.
        "struct xenpf_pcpuinfo" size 20 align 4;
        pub struct XenpfPcpuinfo {
            /// `xen_cpuid`.
            0 xen_cpuid: u32,
            /// Maximum present.
            4 max_present: u32,
            /// Flag bits.
            8 flags: u32,
            /// `apic_id`.
            12 apic_id: u32,
            /// `acpi_id`.
            16 acpi_id: u32,
        }

        /// `struct xenpf_pcpu_version`.
        "struct xenpf_pcpu_version" size 32 align 4;
        pub struct XenpfPcpuVersion {
            /// `xen_cpuid`.
            0 xen_cpuid: u32,
            /// Maximum present.
            4 max_present: u32,
            /// `vendor_id`.
            8 vendor_id: [u8; 12],
            /// `family`.
            20 family: u32,
            /// `model`.
            24 model: u32,
            /// `stepping`.
            28 stepping: u32,
        }

        /// `struct xenpf_cpu_ol`.
        "struct xenpf_cpu_ol" size 4 align 4;
        pub struct XenpfCpuOl {
            /// Physical CPU.
            0 cpuid: u32,
        }

        /// `struct xenpf_cpu_hotadd`.
        "struct xenpf_cpu_hotadd" size 12 align 4;
        pub struct XenpfCpuHotadd {
            /// `apic_id`.
            0 apic_id: u32,
            /// `acpi_id`.
            4 acpi_id: u32,
            /// `pxm`.
            8 pxm: u32,
        }

        /// `struct xenpf_mem_hotadd`.
        "struct xenpf_mem_hotadd" size 24 align 8;
        pub struct XenpfMemHotadd {
            /// `spfn`.
            0 spfn: u64,
            /// `epfn`.
            8 epfn: u64,
            /// `pxm`.
            16 pxm: u32,
            /// Flag bits.
            20 flags: u32,
        }

        /// `struct xenpf_core_parking`.
        "struct xenpf_core_parking" size 8 align 4;
        pub struct XenpfCoreParking {
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            0 type_ as "type": u32,
            /// `idle_nums`.
            4 idle_nums: u32,
        }

        /// `struct xenpf_resource_op`.
        "struct xenpf_resource_op" size 16 align 8;
        pub struct XenpfResourceOp {
            /// Number of entries.
            0 nr_entries: u32,
            /// Physical CPU number.
            4 cpu: u32,
            /// `entries`.
            8 entries: GuestHandle<XenpfResourceEntry>,
        }

        /// `struct xenpf_resource_entry`.
        "struct xenpf_resource_entry" size 24 align 8;
        pub struct XenpfResourceEntry {
            /// Union of the sub-op argument structs.
            0 u: [u32; 1],
            /// Reserved; zero.
            4 rsvd: u32,
            /// `idx`.
            8 idx: u64,
            /// `val`.
            16 val: u64,
        }

        /// `struct xenpf_symdata`.
        "struct xenpf_symdata" size 32 align 8;
        pub struct XenpfSymdata {
            /// `namelen`.
            0 namelen: u32,
            /// `symnum`.
            4 symnum: u32,
            /// Name.
            8 name: GuestHandle<u8>,
            /// `address`.
            16 address: u64,
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            24 type_ as "type": u8,
            /// Padding.
            25 _gap0: [u8; 7],
        }
    }
}
