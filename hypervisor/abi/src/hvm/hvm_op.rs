//! `xen/include/public/hvm/hvm_op.h` (Xen 4.20, latest interface): `HYPERVISOR_hvm_op`
//! sub-ops — parameters, time, pagetable-dying hints, memory types, the upcall vector (x86) and
//! altp2m. The pre-4.9 interrupt-routing sub-ops (2-4) moved to `dm_op`; their numbers and
//! structs are declared (tagged with the interface version that hides them) but not in [`HvmOp`].

use crate::GuestHandle;
use crate::xen::DomId;

xen_abi! {
    header "hvm/hvm_op.h";
    structs {
        /// `struct xen_hvm_param` (`HVMOP_set_param`, `HVMOP_get_param`).
        "struct xen_hvm_param" size 16 align 8;
        pub struct XenHvmParam {
            /// The domain.
            0 domid: DomId,
            /// Unused.
            2 pad: u16,
            /// `HVM_PARAM_*`.
            4 index: u32,
            /// The value.
            8 value: u64,
        }

        /// `struct xen_hvm_altp2m_suppress_ve`.
        "struct xen_hvm_altp2m_suppress_ve" size 16 align 8;
        pub struct XenHvmAltp2mSuppressVe {
            /// The view.
            0 view: u16,
            /// Suppress #VE.
            2 suppress_ve: u8,
            /// Unused.
            3 pad1: u8,
            /// Unused.
            4 pad2: u32,
            /// The frame.
            8 gfn: u64,
        }

        /// `struct xen_hvm_altp2m_suppress_ve_multi`.
        "struct xen_hvm_altp2m_suppress_ve_multi" size 32 align 8;
        pub struct XenHvmAltp2mSuppressVeMulti {
            /// The view.
            0 view: u16,
            /// Suppress #VE.
            2 suppress_ve: u8,
            /// Unused.
            3 pad1: u8,
            /// Out: the first error.
            4 first_error: i32,
            /// First frame (advanced on preemption).
            8 first_gfn: u64,
            /// Last frame.
            16 last_gfn: u64,
            /// Out: where the first error happened.
            24 first_error_gfn: u64,
        }

        /// `struct xen_hvm_set_pci_intx_level` (`HVMOP_set_pci_intx_level`, interface < 4.9).
        "struct xen_hvm_set_pci_intx_level" size 8 align 2 since "interface < 0x00040900";
        pub struct XenHvmSetPciIntxLevel {
            /// The domain.
            0 domid: DomId,
            /// PCI segment.
            2 domain: u8,
            /// PCI bus.
            3 bus: u8,
            /// PCI device.
            4 device: u8,
            /// INTx pin (0-3).
            5 intx: u8,
            /// 0 deasserted, 1 asserted.
            6 level: u8,
            /// Padding.
            7 _pad0: u8,
        }

        /// `struct xen_hvm_set_isa_irq_level` (`HVMOP_set_isa_irq_level`, interface < 4.9).
        "struct xen_hvm_set_isa_irq_level" size 4 align 2 since "interface < 0x00040900";
        pub struct XenHvmSetIsaIrqLevel {
            /// The domain.
            0 domid: DomId,
            /// ISA IRQ (0-15).
            2 isa_irq: u8,
            /// 0 deasserted, 1 asserted.
            3 level: u8,
        }

        /// `struct xen_hvm_set_pci_link_route` (`HVMOP_set_pci_link_route`, interface < 4.9).
        "struct xen_hvm_set_pci_link_route" size 4 align 2 since "interface < 0x00040900";
        pub struct XenHvmSetPciLinkRoute {
            /// The domain.
            0 domid: DomId,
            /// PCI link (0-3).
            2 link: u8,
            /// ISA IRQ (1-15), 0 disables the link.
            3 isa_irq: u8,
        }

        /// `struct xen_hvm_altp2m_set_mem_access` (interface < 4.10; now `..._mem_access`).
        "struct xen_hvm_altp2m_set_mem_access" size 16 align 8 since "interface < 0x00040a00";
        pub struct XenHvmAltp2mSetMemAccess {
            /// The view.
            0 view: u16,
            /// `xenmem_access_t`.
            2 access: u16,
            /// Unused.
            4 pad: u32,
            /// The frame.
            8 gfn: u64,
        }

        /// `struct xen_hvm_pagetable_dying` (`HVMOP_pagetable_dying`).
        "struct xen_hvm_pagetable_dying" size 16 align 8;
        pub struct XenHvmPagetableDying {
            /// The domain.
            0 domid: DomId,
            /// Unused.
            2 pad: [u16; 3],
            /// The top-level table's address.
            8 gpa: u64,
        }

        /// `struct xen_hvm_get_time` (`HVMOP_get_time`).
        "struct xen_hvm_get_time" size 8 align 8;
        pub struct XenHvmGetTime {
            /// Out: system time (ns).
            0 now: u64,
        }

        /// `struct xen_hvm_xentrace` (`HVMOP_xentrace`).
        "struct xen_hvm_xentrace" size 32 align 2;
        pub struct XenHvmXentrace {
            /// Trace event.
            0 event: u16,
            /// Bytes of `extra` used.
            2 extra_bytes: u16,
            /// Event data (`TRACE_EXTRA_MAX` words).
            4 extra: [u8; 28],
        }

        /// `struct xen_hvm_get_mem_type` (`HVMOP_get_mem_type`).
        "struct xen_hvm_get_mem_type" size 16 align 8;
        pub struct XenHvmGetMemType {
            /// The domain.
            0 domid: DomId,
            /// Out: `HVMMEM_*`.
            2 mem_type: u16,
            /// Unused.
            4 pad: [u16; 2],
            /// The frame.
            8 pfn: u64,
        }

        /// `struct xen_hvm_evtchn_upcall_vector` (`HVMOP_set_evtchn_upcall_vector`, x86 only).
        "struct xen_hvm_evtchn_upcall_vector" size 8 align 4 since "x86_64 only";
        pub struct XenHvmEvtchnUpcallVector {
            /// The vCPU.
            0 vcpu: u32,
            /// The IDT vector.
            4 vector: u8,
            /// Padding.
            5 _pad0: [u8; 3],
        }

        /// `struct xen_hvm_altp2m_domain_state`.
        "struct xen_hvm_altp2m_domain_state" size 1 align 1;
        pub struct XenHvmAltp2mDomainState {
            /// Enabled.
            0 state: u8,
        }

        /// `struct xen_hvm_altp2m_vcpu_enable_notify`.
        "struct xen_hvm_altp2m_vcpu_enable_notify" size 16 align 8;
        pub struct XenHvmAltp2mVcpuEnableNotify {
            /// The vCPU.
            0 vcpu_id: u32,
            /// Unused.
            4 pad: u32,
            /// The #VE info frame.
            8 gfn: u64,
        }

        /// `struct xen_hvm_altp2m_vcpu_disable_notify`.
        "struct xen_hvm_altp2m_vcpu_disable_notify" size 4 align 4;
        pub struct XenHvmAltp2mVcpuDisableNotify {
            /// The vCPU.
            0 vcpu_id: u32,
        }

        /// `struct xen_hvm_altp2m_view`.
        "struct xen_hvm_altp2m_view" size 4 align 2;
        pub struct XenHvmAltp2mView {
            /// The view.
            0 view: u16,
            /// Default access (`xenmem_access_t`).
            2 hvmmem_default_access: u16,
        }

        /// `struct xen_hvm_altp2m_mem_access`.
        "struct xen_hvm_altp2m_mem_access" size 16 align 8;
        pub struct XenHvmAltp2mMemAccess {
            /// The view.
            0 view: u16,
            /// `xenmem_access_t`.
            2 access: u16,
            /// Unused.
            4 pad: u32,
            /// The frame.
            8 gfn: u64,
        }

        /// `struct xen_hvm_altp2m_set_mem_access_multi`.
        "struct xen_hvm_altp2m_set_mem_access_multi" size 32 align 8;
        pub struct XenHvmAltp2mSetMemAccessMulti {
            /// The view.
            0 view: u16,
            /// Unused.
            2 pad: u16,
            /// Number of entries.
            4 nr: u32,
            /// Progress (preemption).
            8 opaque: u64,
            /// Frames.
            16 pfn_list: GuestHandle<u64>,
            /// Accesses.
            24 access_list: GuestHandle<u8>,
        }

        /// `struct xen_hvm_altp2m_change_gfn`.
        "struct xen_hvm_altp2m_change_gfn" size 24 align 8;
        pub struct XenHvmAltp2mChangeGfn {
            /// The view.
            0 view: u16,
            /// Unused.
            2 pad1: u16,
            /// Unused.
            4 pad2: u32,
            /// Old frame.
            8 old_gfn: u64,
            /// New frame.
            16 new_gfn: u64,
        }

        /// `struct xen_hvm_altp2m_get_vcpu_p2m_idx`.
        "struct xen_hvm_altp2m_get_vcpu_p2m_idx" size 8 align 4;
        pub struct XenHvmAltp2mGetVcpuP2mIdx {
            /// The vCPU.
            0 vcpu_id: u32,
            /// Out: the view.
            4 altp2m_idx: u16,
            /// Padding.
            6 _pad0: u16,
        }

        /// `struct xen_hvm_altp2m_set_visibility`.
        "struct xen_hvm_altp2m_set_visibility" size 4 align 2;
        pub struct XenHvmAltp2mSetVisibility {
            /// The view.
            0 altp2m_idx: u16,
            /// Visible to the guest.
            2 visible: u8,
            /// Unused.
            3 pad: u8,
        }

        /// `struct xen_hvm_altp2m_op` (`HVMOP_altp2m`).
        "struct xen_hvm_altp2m_op" size 80 align 8;
        pub struct XenHvmAltp2mOp {
            /// `HVMOP_ALTP2M_INTERFACE_VERSION`.
            0 version: u32,
            /// `HVMOP_altp2m_*`.
            4 cmd: u32,
            /// The domain.
            8 domain: DomId,
            /// Unused.
            10 pad1: u16,
            /// Unused.
            12 pad2: u32,
            /// The sub-op's struct (`u.pad` is the whole union).
            16 u as "u.pad": [u64; 8],
        }
    }
    enums {
        /// A `HYPERVISOR_hvm_op` command (`HVMOP_*`).
        pub enum HvmOp: u32 {
            /// Set an `HVM_PARAM_*`.
            SetParam = HVMOP_set_param = 0,
            /// Get an `HVM_PARAM_*`.
            GetParam = HVMOP_get_param = 1,
            /// Flush every vCPU's TLB.
            FlushTlbs = HVMOP_flush_tlbs = 5,
            /// A page table is being torn down (shadow hint).
            PagetableDying = HVMOP_pagetable_dying = 9,
            /// Current system time.
            GetTime = HVMOP_get_time = 10,
            /// Emit a trace record.
            Xentrace = HVMOP_xentrace = 11,
            /// Set memory access (toolstack; obsolete).
            SetMemAccess = HVMOP_set_mem_access = 12,
            /// Get memory access (toolstack; obsolete).
            GetMemAccess = HVMOP_get_mem_access = 13,
            /// A frame's `HVMMEM_*` type.
            GetMemType = HVMOP_get_mem_type = 15,
            /// Per-vCPU upcall vector (x86).
            SetEvtchnUpcallVector = HVMOP_set_evtchn_upcall_vector = 23 => since "x86_64 only",
            /// Send a vm_event request.
            GuestRequestVmEvent = HVMOP_guest_request_vm_event = 24,
            /// altp2m.
            Altp2m = HVMOP_altp2m = 25,
        }

        /// An `HVMOP_altp2m` command (`HVMOP_altp2m_*`).
        pub enum Altp2mCmd: u32 {
            /// Get the domain state.
            GetDomainState = HVMOP_altp2m_get_domain_state = 1,
            /// Set the domain state.
            SetDomainState = HVMOP_altp2m_set_domain_state = 2,
            /// Enable #VE notification.
            VcpuEnableNotify = HVMOP_altp2m_vcpu_enable_notify = 3,
            /// Create a view.
            CreateP2m = HVMOP_altp2m_create_p2m = 4,
            /// Destroy a view.
            DestroyP2m = HVMOP_altp2m_destroy_p2m = 5,
            /// Switch views.
            SwitchP2m = HVMOP_altp2m_switch_p2m = 6,
            /// Set access.
            SetMemAccess = HVMOP_altp2m_set_mem_access = 7,
            /// Change a frame.
            ChangeGfn = HVMOP_altp2m_change_gfn = 8,
            /// Set access for many frames.
            SetMemAccessMulti = HVMOP_altp2m_set_mem_access_multi = 9,
            /// Set suppress-#VE.
            SetSuppressVe = HVMOP_altp2m_set_suppress_ve = 10,
            /// Get suppress-#VE.
            GetSuppressVe = HVMOP_altp2m_get_suppress_ve = 11,
            /// Get access.
            GetMemAccess = HVMOP_altp2m_get_mem_access = 12,
            /// Disable #VE notification.
            VcpuDisableNotify = HVMOP_altp2m_vcpu_disable_notify = 13,
            /// A vCPU's view.
            GetP2mIdx = HVMOP_altp2m_get_p2m_idx = 14,
            /// Set suppress-#VE for a range.
            SetSuppressVeMulti = HVMOP_altp2m_set_suppress_ve_multi = 15,
            /// Set a view's visibility.
            SetVisibility = HVMOP_altp2m_set_visibility = 16,
        }

        /// A memory type (`hvmmem_type_t`).
        pub enum HvmMemType: u32 {
            /// Normal RAM.
            RamRw = HVMMEM_ram_rw = 0,
            /// Read-only RAM; writes dropped.
            RamRo = HVMMEM_ram_ro = 1,
            /// Emulated by the device model.
            MmioDm = HVMMEM_mmio_dm = 2,
            /// Placeholder (was `mmio_write_dm`).
            Unused = HVMMEM_unused = 3,
            /// Claimed by an ioreq server.
            IoreqServer = HVMMEM_ioreq_server = 4,
        }
    }
    consts {
        /// Set a PCI INTx wire's level (interface < 4.9; now `XEN_DMOP_set_pci_intx_level`).
        pub const HVMOP_set_pci_intx_level: u32 = 2 => since "interface < 0x00040900";
        /// Set an ISA IRQ wire's level (interface < 4.9; now `XEN_DMOP_set_isa_irq_level`).
        pub const HVMOP_set_isa_irq_level: u32 = 3 => since "interface < 0x00040900";
        /// Route a PCI link to an ISA IRQ (interface < 4.9; now `XEN_DMOP_set_pci_link_route`).
        pub const HVMOP_set_pci_link_route: u32 = 4 => since "interface < 0x00040900";
        /// `xen_hvm_altp2m_op.version`.
        pub const HVMOP_ALTP2M_INTERFACE_VERSION: u32 = 0x0000_0001;
        /// No buffered ioreq page.
        pub const HVM_IOREQSRV_BUFIOREQ_OFF: u32 = 0;
        /// Legacy buffered ioreq page.
        pub const HVM_IOREQSRV_BUFIOREQ_LEGACY: u32 = 1;
        /// Atomic buffered ioreq page.
        pub const HVM_IOREQSRV_BUFIOREQ_ATOMIC: u32 = 2;
    }
}
