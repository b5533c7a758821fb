//! `xen/include/public/domctl.h` (Xen 4.20, `XEN_DOMCTL_INTERFACE_VERSION` 0x17): the flag,
//! sub-op and mode constants of the domctl arguments (shadow ops, page-frame types, scheduler
//! ids, passthrough IRQ kinds, vm_event/monitor events, PSR types, vUART types and more).

xen_abi! {
    header "domctl.h";
    consts {
        /// The highest `XEN_DOMCTL_CDF_*` flag (`XEN_DOMCTL_CDF_vpmu`), for ABI checks.
        pub const XEN_DOMCTL_CDF_MAX: u32 = 0x80;
        /// The highest `XEN_DOMCTL_IOMMU_*` flag (`XEN_DOMCTL_IOMMU_no_sharept`).
        pub const XEN_DOMCTL_IOMMU_MAX: u32 = 1;
        /// `XEN_DOMCTL_IOMMU_no_sharept`.
        pub const XEN_DOMCTL_IOMMU_no_sharept: u32 = 1;
        /// `XEN_DOMCTL_GRANT_version_mask`.
        pub const XEN_DOMCTL_GRANT_version_mask: u32 = 0xf;
        /// `XEN_DOMCTL_ALTP2M_mixed`.
        pub const XEN_DOMCTL_ALTP2M_mixed: u32 = 1 => since "4.19";
        /// `XEN_DOMCTL_ALTP2M_external`.
        pub const XEN_DOMCTL_ALTP2M_external: u32 = 2 => since "4.19";
        /// `XEN_DOMCTL_ALTP2M_limited`.
        pub const XEN_DOMCTL_ALTP2M_limited: u32 = 3 => since "4.19";
        /// `XEN_DOMCTL_ALTP2M_mode_mask`.
        pub const XEN_DOMCTL_ALTP2M_mode_mask: u32 = 3 => since "4.19";
        /// `XEN_INVALID_MAX_VCPU_ID`.
        pub const XEN_INVALID_MAX_VCPU_ID: u32 = 0xffffffff;
        /// `XEN_DOMCTL_PFINFO_LTAB_SHIFT`.
        pub const XEN_DOMCTL_PFINFO_LTAB_SHIFT: u32 = 0x1c;
        /// `XEN_DOMCTL_PFINFO_NOTAB`.
        pub const XEN_DOMCTL_PFINFO_NOTAB: u32 = 0;
        /// `XEN_DOMCTL_PFINFO_L1TAB`.
        pub const XEN_DOMCTL_PFINFO_L1TAB: u32 = 0x10000000;
        /// `XEN_DOMCTL_PFINFO_L2TAB`.
        pub const XEN_DOMCTL_PFINFO_L2TAB: u32 = 0x20000000;
        /// `XEN_DOMCTL_PFINFO_L3TAB`.
        pub const XEN_DOMCTL_PFINFO_L3TAB: u32 = 0x30000000;
        /// `XEN_DOMCTL_PFINFO_L4TAB`.
        pub const XEN_DOMCTL_PFINFO_L4TAB: u32 = 0x40000000;
        /// `XEN_DOMCTL_PFINFO_LTABTYPE_MASK`.
        pub const XEN_DOMCTL_PFINFO_LTABTYPE_MASK: u32 = 0x70000000;
        /// `XEN_DOMCTL_PFINFO_LPINTAB`.
        pub const XEN_DOMCTL_PFINFO_LPINTAB: u32 = 0x80000000;
        /// `XEN_DOMCTL_PFINFO_XTAB`.
        pub const XEN_DOMCTL_PFINFO_XTAB: u32 = 0xf0000000;
        /// `XEN_DOMCTL_PFINFO_XALLOC`.
        pub const XEN_DOMCTL_PFINFO_XALLOC: u32 = 0xe0000000;
        /// `XEN_DOMCTL_PFINFO_BROKEN`.
        pub const XEN_DOMCTL_PFINFO_BROKEN: u32 = 0xd0000000;
        /// `XEN_DOMCTL_PFINFO_LTAB_MASK`.
        pub const XEN_DOMCTL_PFINFO_LTAB_MASK: u32 = 0xf0000000;
        /// `XEN_DOMCTL_SHADOW_OP_OFF`.
        pub const XEN_DOMCTL_SHADOW_OP_OFF: u32 = 0;
        /// `XEN_DOMCTL_SHADOW_OP_ENABLE`.
        pub const XEN_DOMCTL_SHADOW_OP_ENABLE: u32 = 0x20;
        /// `XEN_DOMCTL_SHADOW_OP_CLEAN`.
        pub const XEN_DOMCTL_SHADOW_OP_CLEAN: u32 = 0xb;
        /// `XEN_DOMCTL_SHADOW_OP_PEEK`.
        pub const XEN_DOMCTL_SHADOW_OP_PEEK: u32 = 0xc;
        /// `XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION`.
        pub const XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION: u32 = 0x1e;
        /// `XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION`.
        pub const XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION: u32 = 0x1f;
        /// `XEN_DOMCTL_SHADOW_OP_ENABLE_TEST`.
        pub const XEN_DOMCTL_SHADOW_OP_ENABLE_TEST: u32 = 1;
        /// `XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY`.
        pub const XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY: u32 = 2;
        /// `XEN_DOMCTL_SHADOW_ENABLE_REFCOUNT`.
        pub const XEN_DOMCTL_SHADOW_ENABLE_REFCOUNT: u32 = 2;
        /// `XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY`.
        pub const XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY: u32 = 4;
        /// `XEN_DOMCTL_SHADOW_ENABLE_TRANSLATE`.
        pub const XEN_DOMCTL_SHADOW_ENABLE_TRANSLATE: u32 = 8;
        /// `XEN_DOMCTL_SHADOW_ENABLE_EXTERNAL`.
        pub const XEN_DOMCTL_SHADOW_ENABLE_EXTERNAL: u32 = 0x10;
        /// `XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL`.
        pub const XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL: u32 = 1;
        /// `XEN_SCHEDULER_CREDIT`.
        pub const XEN_SCHEDULER_CREDIT: u32 = 5;
        /// `XEN_SCHEDULER_CREDIT2`.
        pub const XEN_SCHEDULER_CREDIT2: u32 = 6;
        /// `XEN_SCHEDULER_ARINC653`.
        pub const XEN_SCHEDULER_ARINC653: u32 = 7;
        /// `XEN_SCHEDULER_RTDS`.
        pub const XEN_SCHEDULER_RTDS: u32 = 8;
        /// `XEN_SCHEDULER_NULL`.
        pub const XEN_SCHEDULER_NULL: u32 = 9;
        /// `XEN_DOMCTL_SCHEDRT_extra`.
        pub const XEN_DOMCTL_SCHEDRT_extra: u32 = 1;
        /// `XEN_DOMCTL_SCHEDOP_putinfo`.
        pub const XEN_DOMCTL_SCHEDOP_putinfo: u32 = 0;
        /// `XEN_DOMCTL_SCHEDOP_getinfo`.
        pub const XEN_DOMCTL_SCHEDOP_getinfo: u32 = 1;
        /// `XEN_DOMCTL_SCHEDOP_putvcpuinfo`.
        pub const XEN_DOMCTL_SCHEDOP_putvcpuinfo: u32 = 2;
        /// `XEN_DOMCTL_SCHEDOP_getvcpuinfo`.
        pub const XEN_DOMCTL_SCHEDOP_getvcpuinfo: u32 = 3;
        /// `XEN_DOMCTL_GSI_REVOKE`.
        pub const XEN_DOMCTL_GSI_REVOKE: u32 = 0 => since "4.20";
        /// `XEN_DOMCTL_GSI_GRANT`.
        pub const XEN_DOMCTL_GSI_GRANT: u32 = 1 => since "4.20";
        /// `XEN_DOMCTL_GSI_ACTION_MASK`.
        pub const XEN_DOMCTL_GSI_ACTION_MASK: u32 = 1 => since "4.20";
        /// `XEN_DOMCTL_SENDTRIGGER_NMI`.
        pub const XEN_DOMCTL_SENDTRIGGER_NMI: u32 = 0;
        /// `XEN_DOMCTL_SENDTRIGGER_RESET`.
        pub const XEN_DOMCTL_SENDTRIGGER_RESET: u32 = 1;
        /// `XEN_DOMCTL_SENDTRIGGER_INIT`.
        pub const XEN_DOMCTL_SENDTRIGGER_INIT: u32 = 2;
        /// `XEN_DOMCTL_SENDTRIGGER_POWER`.
        pub const XEN_DOMCTL_SENDTRIGGER_POWER: u32 = 3;
        /// `XEN_DOMCTL_SENDTRIGGER_SLEEP`.
        pub const XEN_DOMCTL_SENDTRIGGER_SLEEP: u32 = 4;
        /// `XEN_DOMCTL_DEV_PCI`.
        pub const XEN_DOMCTL_DEV_PCI: u32 = 0;
        /// `XEN_DOMCTL_DEV_DT`.
        pub const XEN_DOMCTL_DEV_DT: u32 = 1;
        /// `XEN_DOMCTL_DEV_RDM_RELAXED`.
        pub const XEN_DOMCTL_DEV_RDM_RELAXED: u32 = 1;
        /// `XEN_DOMCTL_VMSI_X86_DEST_ID_MASK`.
        pub const XEN_DOMCTL_VMSI_X86_DEST_ID_MASK: u32 = 0xff;
        /// `XEN_DOMCTL_VMSI_X86_RH_MASK`.
        pub const XEN_DOMCTL_VMSI_X86_RH_MASK: u32 = 0x100;
        /// `XEN_DOMCTL_VMSI_X86_DM_MASK`.
        pub const XEN_DOMCTL_VMSI_X86_DM_MASK: u32 = 0x200;
        /// `XEN_DOMCTL_VMSI_X86_DELIV_MASK`.
        pub const XEN_DOMCTL_VMSI_X86_DELIV_MASK: u32 = 0x7000;
        /// `XEN_DOMCTL_VMSI_X86_TRIG_MASK`.
        pub const XEN_DOMCTL_VMSI_X86_TRIG_MASK: u32 = 0x8000;
        /// `XEN_DOMCTL_VMSI_X86_UNMASKED`.
        pub const XEN_DOMCTL_VMSI_X86_UNMASKED: u32 = 0x10000;
        /// `DPCI_ADD_MAPPING`.
        pub const DPCI_ADD_MAPPING: u32 = 1;
        /// `DPCI_REMOVE_MAPPING`.
        pub const DPCI_REMOVE_MAPPING: u32 = 0;
        /// `XEN_DOMCTL_MEM_CACHEATTR_UC`.
        pub const XEN_DOMCTL_MEM_CACHEATTR_UC: u32 = 0;
        /// `XEN_DOMCTL_MEM_CACHEATTR_WC`.
        pub const XEN_DOMCTL_MEM_CACHEATTR_WC: u32 = 1;
        /// `XEN_DOMCTL_MEM_CACHEATTR_WT`.
        pub const XEN_DOMCTL_MEM_CACHEATTR_WT: u32 = 4;
        /// `XEN_DOMCTL_MEM_CACHEATTR_WP`.
        pub const XEN_DOMCTL_MEM_CACHEATTR_WP: u32 = 5;
        /// `XEN_DOMCTL_MEM_CACHEATTR_WB`.
        pub const XEN_DOMCTL_MEM_CACHEATTR_WB: u32 = 6;
        /// `XEN_DOMCTL_MEM_CACHEATTR_UCM`.
        pub const XEN_DOMCTL_MEM_CACHEATTR_UCM: u32 = 7;
        /// `XEN_DOMCTL_DELETE_MEM_CACHEATTR`.
        pub const XEN_DOMCTL_DELETE_MEM_CACHEATTR: u32 = 0xffffffff;
        /// `XEN_CPUID_INPUT_UNUSED`.
        pub const XEN_CPUID_INPUT_UNUSED: u32 = 0xffffffff => since "x86_64 only";
        /// `XEN_DOMCTL_DEBUG_OP_SINGLE_STEP_OFF`.
        pub const XEN_DOMCTL_DEBUG_OP_SINGLE_STEP_OFF: u32 = 0;
        /// `XEN_DOMCTL_DEBUG_OP_SINGLE_STEP_ON`.
        pub const XEN_DOMCTL_DEBUG_OP_SINGLE_STEP_ON: u32 = 1;
        /// `XEN_VM_EVENT_ENABLE`.
        pub const XEN_VM_EVENT_ENABLE: u32 = 0;
        /// `XEN_VM_EVENT_DISABLE`.
        pub const XEN_VM_EVENT_DISABLE: u32 = 1;
        /// `XEN_VM_EVENT_RESUME`.
        pub const XEN_VM_EVENT_RESUME: u32 = 2;
        /// `XEN_VM_EVENT_GET_VERSION`.
        pub const XEN_VM_EVENT_GET_VERSION: u32 = 3;
        /// `XEN_DOMCTL_VM_EVENT_OP_PAGING`.
        pub const XEN_DOMCTL_VM_EVENT_OP_PAGING: u32 = 1;
        /// `XEN_DOMCTL_VM_EVENT_OP_MONITOR`.
        pub const XEN_DOMCTL_VM_EVENT_OP_MONITOR: u32 = 2;
        /// `XEN_DOMCTL_VM_EVENT_OP_SHARING`.
        pub const XEN_DOMCTL_VM_EVENT_OP_SHARING: u32 = 3;
        /// `XEN_DOMCTL_MEM_SHARING_CONTROL`.
        pub const XEN_DOMCTL_MEM_SHARING_CONTROL: u32 = 0;
        /// `XEN_DOMCTL_PSR_CMT_OP_DETACH`.
        pub const XEN_DOMCTL_PSR_CMT_OP_DETACH: u32 = 0;
        /// `XEN_DOMCTL_PSR_CMT_OP_ATTACH`.
        pub const XEN_DOMCTL_PSR_CMT_OP_ATTACH: u32 = 1;
        /// `XEN_DOMCTL_PSR_CMT_OP_QUERY_RMID`.
        pub const XEN_DOMCTL_PSR_CMT_OP_QUERY_RMID: u32 = 2;
        /// `XEN_DOMCTL_MONITOR_OP_ENABLE`.
        pub const XEN_DOMCTL_MONITOR_OP_ENABLE: u32 = 0;
        /// `XEN_DOMCTL_MONITOR_OP_DISABLE`.
        pub const XEN_DOMCTL_MONITOR_OP_DISABLE: u32 = 1;
        /// `XEN_DOMCTL_MONITOR_OP_GET_CAPABILITIES`.
        pub const XEN_DOMCTL_MONITOR_OP_GET_CAPABILITIES: u32 = 2;
        /// `XEN_DOMCTL_MONITOR_OP_EMULATE_EACH_REP`.
        pub const XEN_DOMCTL_MONITOR_OP_EMULATE_EACH_REP: u32 = 3;
        /// `XEN_DOMCTL_MONITOR_OP_CONTROL_REGISTERS`.
        pub const XEN_DOMCTL_MONITOR_OP_CONTROL_REGISTERS: u32 = 4;
        /// `XEN_DOMCTL_MONITOR_EVENT_WRITE_CTRLREG`.
        pub const XEN_DOMCTL_MONITOR_EVENT_WRITE_CTRLREG: u32 = 0;
        /// `XEN_DOMCTL_MONITOR_EVENT_MOV_TO_MSR`.
        pub const XEN_DOMCTL_MONITOR_EVENT_MOV_TO_MSR: u32 = 1;
        /// `XEN_DOMCTL_MONITOR_EVENT_SINGLESTEP`.
        pub const XEN_DOMCTL_MONITOR_EVENT_SINGLESTEP: u32 = 2;
        /// `XEN_DOMCTL_MONITOR_EVENT_SOFTWARE_BREAKPOINT`.
        pub const XEN_DOMCTL_MONITOR_EVENT_SOFTWARE_BREAKPOINT: u32 = 3;
        /// `XEN_DOMCTL_MONITOR_EVENT_GUEST_REQUEST`.
        pub const XEN_DOMCTL_MONITOR_EVENT_GUEST_REQUEST: u32 = 4;
        /// `XEN_DOMCTL_MONITOR_EVENT_DEBUG_EXCEPTION`.
        pub const XEN_DOMCTL_MONITOR_EVENT_DEBUG_EXCEPTION: u32 = 5;
        /// `XEN_DOMCTL_MONITOR_EVENT_CPUID`.
        pub const XEN_DOMCTL_MONITOR_EVENT_CPUID: u32 = 6;
        /// `XEN_DOMCTL_MONITOR_EVENT_PRIVILEGED_CALL`.
        pub const XEN_DOMCTL_MONITOR_EVENT_PRIVILEGED_CALL: u32 = 7;
        /// `XEN_DOMCTL_MONITOR_EVENT_INTERRUPT`.
        pub const XEN_DOMCTL_MONITOR_EVENT_INTERRUPT: u32 = 8;
        /// `XEN_DOMCTL_MONITOR_EVENT_DESC_ACCESS`.
        pub const XEN_DOMCTL_MONITOR_EVENT_DESC_ACCESS: u32 = 9;
        /// `XEN_DOMCTL_MONITOR_EVENT_EMUL_UNIMPLEMENTED`.
        pub const XEN_DOMCTL_MONITOR_EVENT_EMUL_UNIMPLEMENTED: u32 = 0xa;
        /// `XEN_DOMCTL_MONITOR_EVENT_INGUEST_PAGEFAULT`.
        pub const XEN_DOMCTL_MONITOR_EVENT_INGUEST_PAGEFAULT: u32 = 0xb;
        /// `XEN_DOMCTL_MONITOR_EVENT_VMEXIT`.
        pub const XEN_DOMCTL_MONITOR_EVENT_VMEXIT: u32 = 0xc;
        /// `XEN_DOMCTL_MONITOR_EVENT_IO`.
        pub const XEN_DOMCTL_MONITOR_EVENT_IO: u32 = 0xd => since "4.18";
        /// `XEN_DOMCTL_PSR_SET_L3_CBM`.
        pub const XEN_DOMCTL_PSR_SET_L3_CBM: u32 = 0;
        /// `XEN_DOMCTL_PSR_GET_L3_CBM`.
        pub const XEN_DOMCTL_PSR_GET_L3_CBM: u32 = 1;
        /// `XEN_DOMCTL_PSR_SET_L3_CODE`.
        pub const XEN_DOMCTL_PSR_SET_L3_CODE: u32 = 2;
        /// `XEN_DOMCTL_PSR_SET_L3_DATA`.
        pub const XEN_DOMCTL_PSR_SET_L3_DATA: u32 = 3;
        /// `XEN_DOMCTL_PSR_GET_L3_CODE`.
        pub const XEN_DOMCTL_PSR_GET_L3_CODE: u32 = 4;
        /// `XEN_DOMCTL_PSR_GET_L3_DATA`.
        pub const XEN_DOMCTL_PSR_GET_L3_DATA: u32 = 5;
        /// `XEN_DOMCTL_PSR_SET_L2_CBM`.
        pub const XEN_DOMCTL_PSR_SET_L2_CBM: u32 = 6;
        /// `XEN_DOMCTL_PSR_GET_L2_CBM`.
        pub const XEN_DOMCTL_PSR_GET_L2_CBM: u32 = 7;
        /// `XEN_DOMCTL_PSR_SET_MBA_THRTL`.
        pub const XEN_DOMCTL_PSR_SET_MBA_THRTL: u32 = 8;
        /// `XEN_DOMCTL_PSR_GET_MBA_THRTL`.
        pub const XEN_DOMCTL_PSR_GET_MBA_THRTL: u32 = 9;
        /// `XEN_DOMCTL_VUART_OP_INIT`.
        pub const XEN_DOMCTL_VUART_OP_INIT: u32 = 0;
        /// `XEN_DOMCTL_VUART_TYPE_VPL011`.
        pub const XEN_DOMCTL_VUART_TYPE_VPL011: u32 = 0;
        /// `XEN_DOMCTL_vmtrace_enable`.
        pub const XEN_DOMCTL_vmtrace_enable: u32 = 1;
        /// `XEN_DOMCTL_vmtrace_disable`.
        pub const XEN_DOMCTL_vmtrace_disable: u32 = 2;
        /// `XEN_DOMCTL_vmtrace_reset_and_enable`.
        pub const XEN_DOMCTL_vmtrace_reset_and_enable: u32 = 3;
        /// `XEN_DOMCTL_vmtrace_output_position`.
        pub const XEN_DOMCTL_vmtrace_output_position: u32 = 4;
        /// `XEN_DOMCTL_vmtrace_get_option`.
        pub const XEN_DOMCTL_vmtrace_get_option: u32 = 5;
        /// `XEN_DOMCTL_vmtrace_set_option`.
        pub const XEN_DOMCTL_vmtrace_set_option: u32 = 6;
        /// `XEN_DOMCTL_real_mode_area`.
        pub const XEN_DOMCTL_real_mode_area: u32 = 0x1a;
        /// `XEN_DOMCTL_set_opt_feature`.
        pub const XEN_DOMCTL_set_opt_feature: u32 = 0x2c;
        /// `XEN_DOMCTL_vmtrace_op`.
        pub const XEN_DOMCTL_vmtrace_op: u32 = 0x54;
    }
}
