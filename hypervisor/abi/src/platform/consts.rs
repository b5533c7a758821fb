//! `xen/include/public/platform.h` (Xen 4.20, `XENPF_INTERFACE_VERSION` 0x03000001): the
//! flag and sub-op constants of the platform-op arguments (EFI calls, firmware info types,
//! P/C-state data, pCPU flags, core parking, resource ops).

xen_abi! {
    header "platform.h";
    consts {
        /// `QUIRK_NOIRQBALANCING`.
        pub const QUIRK_NOIRQBALANCING: u32 = 1;
        /// `QUIRK_IOAPIC_BAD_REGSEL`.
        pub const QUIRK_IOAPIC_BAD_REGSEL: u32 = 2;
        /// `QUIRK_IOAPIC_GOOD_REGSEL`.
        pub const QUIRK_IOAPIC_GOOD_REGSEL: u32 = 3;
        /// `XEN_EFI_get_time`.
        pub const XEN_EFI_get_time: u32 = 1;
        /// `XEN_EFI_set_time`.
        pub const XEN_EFI_set_time: u32 = 2;
        /// `XEN_EFI_get_wakeup_time`.
        pub const XEN_EFI_get_wakeup_time: u32 = 3;
        /// `XEN_EFI_set_wakeup_time`.
        pub const XEN_EFI_set_wakeup_time: u32 = 4;
        /// `XEN_EFI_get_next_high_monotonic_count`.
        pub const XEN_EFI_get_next_high_monotonic_count: u32 = 5;
        /// `XEN_EFI_get_variable`.
        pub const XEN_EFI_get_variable: u32 = 6;
        /// `XEN_EFI_set_variable`.
        pub const XEN_EFI_set_variable: u32 = 7;
        /// `XEN_EFI_get_next_variable_name`.
        pub const XEN_EFI_get_next_variable_name: u32 = 8;
        /// `XEN_EFI_query_variable_info`.
        pub const XEN_EFI_query_variable_info: u32 = 9;
        /// `XEN_EFI_query_capsule_capabilities`.
        pub const XEN_EFI_query_capsule_capabilities: u32 = 0xa;
        /// `XEN_EFI_update_capsule`.
        pub const XEN_EFI_update_capsule: u32 = 0xb;
        /// `XEN_EFI_GET_TIME_SET_CLEARS_NS`.
        pub const XEN_EFI_GET_TIME_SET_CLEARS_NS: u32 = 1;
        /// `XEN_EFI_GET_WAKEUP_TIME_ENABLED`.
        pub const XEN_EFI_GET_WAKEUP_TIME_ENABLED: u32 = 1;
        /// `XEN_EFI_GET_WAKEUP_TIME_PENDING`.
        pub const XEN_EFI_GET_WAKEUP_TIME_PENDING: u32 = 2;
        /// `XEN_EFI_SET_WAKEUP_TIME_ENABLE`.
        pub const XEN_EFI_SET_WAKEUP_TIME_ENABLE: u32 = 1;
        /// `XEN_EFI_SET_WAKEUP_TIME_ENABLE_ONLY`.
        pub const XEN_EFI_SET_WAKEUP_TIME_ENABLE_ONLY: u32 = 2;
        /// `XEN_EFI_VARIABLE_NON_VOLATILE`.
        pub const XEN_EFI_VARIABLE_NON_VOLATILE: u32 = 1;
        /// `XEN_EFI_VARIABLE_BOOTSERVICE_ACCESS`.
        pub const XEN_EFI_VARIABLE_BOOTSERVICE_ACCESS: u32 = 2;
        /// `XEN_EFI_VARIABLE_RUNTIME_ACCESS`.
        pub const XEN_EFI_VARIABLE_RUNTIME_ACCESS: u32 = 4;
        /// `XEN_EFI_VARINFO_BOOT_SNAPSHOT`.
        pub const XEN_EFI_VARINFO_BOOT_SNAPSHOT: u32 = 1;
        /// `XEN_FW_DISK_INFO`.
        pub const XEN_FW_DISK_INFO: u32 = 1;
        /// `XEN_FW_DISK_MBR_SIGNATURE`.
        pub const XEN_FW_DISK_MBR_SIGNATURE: u32 = 2;
        /// `XEN_FW_VBEDDC_INFO`.
        pub const XEN_FW_VBEDDC_INFO: u32 = 3;
        /// `XEN_FW_EFI_INFO`.
        pub const XEN_FW_EFI_INFO: u32 = 4;
        /// `XEN_FW_EFI_VERSION`.
        pub const XEN_FW_EFI_VERSION: u32 = 0;
        /// `XEN_FW_EFI_CONFIG_TABLE`.
        pub const XEN_FW_EFI_CONFIG_TABLE: u32 = 1;
        /// `XEN_FW_EFI_VENDOR`.
        pub const XEN_FW_EFI_VENDOR: u32 = 2;
        /// `XEN_FW_EFI_MEM_INFO`.
        pub const XEN_FW_EFI_MEM_INFO: u32 = 3;
        /// `XEN_FW_EFI_RT_VERSION`.
        pub const XEN_FW_EFI_RT_VERSION: u32 = 4;
        /// `XEN_FW_EFI_PCI_ROM`.
        pub const XEN_FW_EFI_PCI_ROM: u32 = 5;
        /// `XEN_FW_EFI_APPLE_PROPERTIES`.
        pub const XEN_FW_EFI_APPLE_PROPERTIES: u32 = 6;
        /// `XEN_FW_KBD_SHIFT_FLAGS`.
        pub const XEN_FW_KBD_SHIFT_FLAGS: u32 = 5;
        /// `XENPF_ACPI_SLEEP_EXTENDED`.
        pub const XENPF_ACPI_SLEEP_EXTENDED: u32 = 1;
        /// `XEN_PROCESSOR_PM_CX`.
        pub const XEN_PROCESSOR_PM_CX: u32 = 1;
        /// `XEN_PROCESSOR_PM_PX`.
        pub const XEN_PROCESSOR_PM_PX: u32 = 2;
        /// `XEN_PROCESSOR_PM_TX`.
        pub const XEN_PROCESSOR_PM_TX: u32 = 4;
        /// `XEN_PM_CX`.
        pub const XEN_PM_CX: u32 = 0;
        /// `XEN_PM_PX`.
        pub const XEN_PM_PX: u32 = 1;
        /// `XEN_PM_TX`.
        pub const XEN_PM_TX: u32 = 2;
        /// `XEN_PM_PDC`.
        pub const XEN_PM_PDC: u32 = 3;
        /// `XEN_PX_PCT`.
        pub const XEN_PX_PCT: u32 = 1;
        /// `XEN_PX_PSS`.
        pub const XEN_PX_PSS: u32 = 2;
        /// `XEN_PX_PPC`.
        pub const XEN_PX_PPC: u32 = 4;
        /// `XEN_PX_PSD`.
        pub const XEN_PX_PSD: u32 = 8;
        /// `XEN_CPUPERF_SHARED_TYPE_HW`.
        pub const XEN_CPUPERF_SHARED_TYPE_HW: u32 = 1;
        /// `XEN_CPUPERF_SHARED_TYPE_ALL`.
        pub const XEN_CPUPERF_SHARED_TYPE_ALL: u32 = 2;
        /// `XEN_CPUPERF_SHARED_TYPE_ANY`.
        pub const XEN_CPUPERF_SHARED_TYPE_ANY: u32 = 3;
        /// `XEN_PCPU_FLAGS_ONLINE`.
        pub const XEN_PCPU_FLAGS_ONLINE: u32 = 1;
        /// `XEN_PCPU_FLAGS_INVALID`.
        pub const XEN_PCPU_FLAGS_INVALID: u32 = 2;
        /// `XEN_CORE_PARKING_SET`.
        pub const XEN_CORE_PARKING_SET: u32 = 1;
        /// `XEN_CORE_PARKING_GET`.
        pub const XEN_CORE_PARKING_GET: u32 = 2;
        /// `XEN_RESOURCE_OP_MSR_READ`.
        pub const XEN_RESOURCE_OP_MSR_READ: u32 = 0;
        /// `XEN_RESOURCE_OP_MSR_WRITE`.
        pub const XEN_RESOURCE_OP_MSR_WRITE: u32 = 1;
        /// `XENPF_UCODE_FORCE`.
        pub const XENPF_UCODE_FORCE: u32 = 1 => since "4.20";
    }
}
