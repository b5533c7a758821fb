//! `xen/include/public/platform.h` (Xen 4.20, `XENPF_INTERFACE_VERSION` 0x03000001):
//! `HYPERVISOR_platform_op`, dom0's platform control — the outer `struct xen_platform_op` and
//! every command number.

xen_abi! {
    header "platform.h";
    structs {
        /// `struct xen_platform_op`: the `HYPERVISOR_platform_op` argument (dom0); `u` holds the command's struct.
        "struct xen_platform_op" size 136 align 8;
        pub struct XenPlatformOp {
            /// `XENPF_*`.
            0 cmd: u32,
            /// Must be `XENPF_INTERFACE_VERSION`.
            4 interface_version: u32,
            /// The command's struct (`u.pad` spans the union).
            8 u as "u.pad": [u64; 16],
        }
    }
    enums {
        /// A `HYPERVISOR_platform_op` command (`XENPF_*`).
        pub enum PlatformOp: u32 {
            /// `XENPF_add_memtype`.
            AddMemtype = XENPF_add_memtype = 0x1f,
            /// `XENPF_change_freq`.
            ChangeFreq = XENPF_change_freq = 0x34,
            /// `XENPF_core_parking`.
            CoreParking = XENPF_core_parking = 0x3c,
            /// `XENPF_cpu_hotadd`.
            CpuHotadd = XENPF_cpu_hotadd = 0x3a,
            /// `XENPF_cpu_offline`.
            CpuOffline = XENPF_cpu_offline = 0x39,
            /// `XENPF_cpu_online`.
            CpuOnline = XENPF_cpu_online = 0x38,
            /// `XENPF_del_memtype`.
            DelMemtype = XENPF_del_memtype = 0x20,
            /// `XENPF_efi_runtime_call`.
            EfiRuntimeCall = XENPF_efi_runtime_call = 0x31,
            /// `XENPF_enter_acpi_sleep`.
            EnterAcpiSleep = XENPF_enter_acpi_sleep = 0x33,
            /// `XENPF_firmware_info`.
            FirmwareInfo = XENPF_firmware_info = 0x32,
            /// `XENPF_get_cpu_version`.
            GetCpuVersion = XENPF_get_cpu_version = 0x30,
            /// `XENPF_get_cpuinfo`.
            GetCpuinfo = XENPF_get_cpuinfo = 0x37,
            /// `XENPF_get_dom0_console`.
            GetDom0Console = XENPF_get_dom0_console = 0x40 => since "4.18",
            /// `XENPF_get_symbol`.
            GetSymbol = XENPF_get_symbol = 0x3f,
            /// `XENPF_get_ucode_revision`.
            GetUcodeRevision = XENPF_get_ucode_revision = 0x41 => since "4.18",
            /// `XENPF_getidletime`.
            Getidletime = XENPF_getidletime = 0x35,
            /// `XENPF_mem_hotadd`.
            MemHotadd = XENPF_mem_hotadd = 0x3b,
            /// `XENPF_microcode_update`.
            MicrocodeUpdate = XENPF_microcode_update = 0x23,
            /// `XENPF_microcode_update2`.
            MicrocodeUpdate2 = XENPF_microcode_update2 = 0x42 => since "4.20",
            /// `XENPF_platform_quirk`.
            PlatformQuirk = XENPF_platform_quirk = 0x27,
            /// `XENPF_read_memtype`.
            ReadMemtype = XENPF_read_memtype = 0x21,
            /// `XENPF_resource_op`.
            ResourceOp = XENPF_resource_op = 0x3d,
            /// `XENPF_set_processor_pminfo`.
            SetProcessorPminfo = XENPF_set_processor_pminfo = 0x36,
            /// `XENPF_settime32`.
            Settime32 = XENPF_settime32 = 0x11,
            /// `XENPF_settime64`.
            Settime64 = XENPF_settime64 = 0x3e,
        }
    }
    consts {
        /// The platform-op interface version.
        pub const XENPF_INTERFACE_VERSION: u32 = 0x3000001;
    }
}
