//! `xen/include/public/hvm/params.h` (Xen 4.20): every `HVM_PARAM_*` index, the callback-IRQ
//! encoding, and the values of the parameters that take an enumeration.

xen_abi! {
    header "hvm/params.h";
    enums {
        /// An HVM parameter index (`HVM_PARAM_*`), `< HVM_NR_PARAMS`.
        pub enum HvmParam: u32 {
            /// Event-channel upcall delivery (`HVM_PARAM_CALLBACK_TYPE_*` in bits 63:56).
            CallbackIrq = HVM_PARAM_CALLBACK_IRQ = 0,
            /// Xenstore ring frame.
            StorePfn = HVM_PARAM_STORE_PFN = 1,
            /// Xenstore event channel.
            StoreEvtchn = HVM_PARAM_STORE_EVTCHN = 2,
            /// PAE enabled (toolstack; obsolete).
            PaeEnabled = HVM_PARAM_PAE_ENABLED = 4,
            /// Synchronous ioreq page.
            IoreqPfn = HVM_PARAM_IOREQ_PFN = 5,
            /// Buffered ioreq page.
            BufioreqPfn = HVM_PARAM_BUFIOREQ_PFN = 6,
            /// Viridian enlightenments (`HVMPV_*`, x86).
            Viridian = HVM_PARAM_VIRIDIAN = 9 => since "x86_64 only",
            /// Timer mode (`HVMPTM_*`).
            TimerMode = HVM_PARAM_TIMER_MODE = 10,
            /// HPET enabled.
            HpetEnabled = HVM_PARAM_HPET_ENABLED = 11,
            /// Identity page table for real mode (VMX).
            IdentPt = HVM_PARAM_IDENT_PT = 12,
            /// Device model domain (obsolete).
            DmDomain = HVM_PARAM_DM_DOMAIN = 13,
            /// ACPI S state.
            AcpiSState = HVM_PARAM_ACPI_S_STATE = 14,
            /// vm86 TSS.
            Vm86Tss = HVM_PARAM_VM86_TSS = 15,
            /// Virtual platform timer alignment.
            VptAlign = HVM_PARAM_VPT_ALIGN = 16,
            /// Console ring frame.
            ConsolePfn = HVM_PARAM_CONSOLE_PFN = 17,
            /// Console event channel.
            ConsoleEvtchn = HVM_PARAM_CONSOLE_EVTCHN = 18,
            /// ACPI PM I/O port location.
            AcpiIoportsLocation = HVM_PARAM_ACPI_IOPORTS_LOCATION = 19,
            /// Memory event on CR0 (obsolete).
            MemoryEventCr0 = HVM_PARAM_MEMORY_EVENT_CR0 = 20,
            /// Memory event on CR3 (obsolete).
            MemoryEventCr3 = HVM_PARAM_MEMORY_EVENT_CR3 = 21,
            /// Memory event on CR4 (obsolete).
            MemoryEventCr4 = HVM_PARAM_MEMORY_EVENT_CR4 = 22,
            /// Memory event on INT3 (obsolete).
            MemoryEventInt3 = HVM_PARAM_MEMORY_EVENT_INT3 = 23,
            /// Nested HVM.
            Nestedhvm = HVM_PARAM_NESTEDHVM = 24,
            /// Memory event on single step (obsolete).
            MemoryEventSingleStep = HVM_PARAM_MEMORY_EVENT_SINGLE_STEP = 25,
            /// Buffered ioreq event channel.
            BufioreqEvtchn = HVM_PARAM_BUFIOREQ_EVTCHN = 26,
            /// Paging ring.
            PagingRingPfn = HVM_PARAM_PAGING_RING_PFN = 27,
            /// Monitor ring.
            MonitorRingPfn = HVM_PARAM_MONITOR_RING_PFN = 28,
            /// Sharing ring.
            SharingRingPfn = HVM_PARAM_SHARING_RING_PFN = 29,
            /// Memory event on MSR (obsolete).
            MemoryEventMsr = HVM_PARAM_MEMORY_EVENT_MSR = 30,
            /// Triple-fault action.
            TripleFaultReason = HVM_PARAM_TRIPLE_FAULT_REASON = 31,
            /// First ioreq server page.
            IoreqServerPfn = HVM_PARAM_IOREQ_SERVER_PFN = 32,
            /// Number of ioreq server pages.
            NrIoreqServerPages = HVM_PARAM_NR_IOREQ_SERVER_PAGES = 33,
            /// VM generation id address.
            VmGenerationIdAddr = HVM_PARAM_VM_GENERATION_ID_ADDR = 34,
            /// altp2m mode (`XEN_ALTP2M_*`).
            Altp2m = HVM_PARAM_ALTP2M = 35,
            /// x87 FIP width.
            X87FipWidth = HVM_PARAM_X87_FIP_WIDTH = 36,
            /// vm86 TSS with size.
            Vm86TssSized = HVM_PARAM_VM86_TSS_SIZED = 37,
            /// MCA capabilities (`XEN_HVM_MCA_CAP_*`).
            McaCap = HVM_PARAM_MCA_CAP = 38,
        }

        /// The timer mode (`HVMPTM_*`).
        pub enum HvmPtm: u64 {
            /// Delay for missed ticks.
            DelayForMissedTicks = HVMPTM_delay_for_missed_ticks = 0,
            /// No delay for missed ticks.
            NoDelayForMissedTicks = HVMPTM_no_delay_for_missed_ticks = 1,
            /// No missed ticks pending.
            NoMissedTicksPending = HVMPTM_no_missed_ticks_pending = 2,
            /// One missed tick pending.
            OneMissedTickPending = HVMPTM_one_missed_tick_pending = 3,
        }

        /// The altp2m mode (`XEN_ALTP2M_*`).
        pub enum Altp2mMode: u64 {
            /// Disabled.
            Disabled = XEN_ALTP2M_disabled = 0,
            /// Guest and toolstack.
            Mixed = XEN_ALTP2M_mixed = 1,
            /// Toolstack only.
            External = XEN_ALTP2M_external = 2,
            /// Guest limited.
            Limited = XEN_ALTP2M_limited = 3,
        }
    }
    consts {
        /// Number of parameters.
        pub const HVM_NR_PARAMS: u32 = 39;
        /// Bits 63:56 of `HVM_PARAM_CALLBACK_IRQ`: the delivery type.
        pub const HVM_PARAM_CALLBACK_IRQ_TYPE_MASK: u64 = 0xff00_0000_0000_0000;
        /// Delivery via a GSI.
        pub const HVM_PARAM_CALLBACK_TYPE_GSI: u64 = 0;
        /// Delivery via a PCI INTx.
        pub const HVM_PARAM_CALLBACK_TYPE_PCI_INTX: u64 = 1;
        /// Delivery via an IDT vector (x86).
        pub const HVM_PARAM_CALLBACK_TYPE_VECTOR: u64 = 2 => since "x86_64 only";
        /// Delivery via a PPI (Arm).
        pub const HVM_PARAM_CALLBACK_TYPE_PPI: u64 = 2 => since "arm64 only";
        /// PPI flags mask (Arm).
        pub const HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_MASK: u64 = 0xff00 => since "arm64 only";
        /// PPI is level-triggered active-low (Arm).
        pub const HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL: u64 = 2 => since "arm64 only";
        /// Viridian: base frequency MSRs.
        pub const HVMPV_base_freq: u64 = 1 << 0 => since "x86_64 only";
        /// Viridian: no frequency MSRs.
        pub const HVMPV_no_freq: u64 = 1 << 1 => since "x86_64 only";
        /// Viridian: time reference counter.
        pub const HVMPV_time_ref_count: u64 = 1 << 2 => since "x86_64 only";
        /// Viridian: reference TSC page.
        pub const HVMPV_reference_tsc: u64 = 1 << 3 => since "x86_64 only";
        /// Viridian: remote TLB flush hypercall.
        pub const HVMPV_hcall_remote_tlb_flush: u64 = 1 << 4 => since "x86_64 only";
        /// Viridian: APIC assist.
        pub const HVMPV_apic_assist: u64 = 1 << 5 => since "x86_64 only";
        /// Viridian: crash control MSRs.
        pub const HVMPV_crash_ctl: u64 = 1 << 6 => since "x86_64 only";
        /// Viridian: SynIC.
        pub const HVMPV_synic: u64 = 1 << 7 => since "x86_64 only";
        /// Viridian: synthetic timers.
        pub const HVMPV_stimer: u64 = 1 << 8 => since "x86_64 only";
        /// Viridian: IPI hypercall.
        pub const HVMPV_hcall_ipi: u64 = 1 << 9 => since "x86_64 only";
        /// Viridian: extended processor masks.
        pub const HVMPV_ex_processor_masks: u64 = 1 << 10 => since "x86_64 only";
        /// Viridian: no VP limit.
        pub const HVMPV_no_vp_limit: u64 = 1 << 11 => since "x86_64 only";
        /// Viridian: CPU hotplug.
        pub const HVMPV_cpu_hotplug: u64 = 1 << 12 => since "x86_64 only";
        /// Viridian: every feature bit.
        pub const HVMPV_feature_mask: u64 = 0x1fff => since "x86_64 only";
        /// MCA: LMCE.
        pub const XEN_HVM_MCA_CAP_LMCE: u64 = 1 << 0;
        /// MCA: every capability.
        pub const XEN_HVM_MCA_CAP_MASK: u64 = 1 << 0;
    }
}
