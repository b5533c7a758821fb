//! `xen/include/public/domctl.h` (Xen 4.20, `XEN_DOMCTL_INTERFACE_VERSION` 0x17; Xen 4.17 used
//! 0x15): the toolstack's `HYPERVISOR_domctl` — the outer `struct xen_domctl`, every command
//! number, the flag constants and the small fixed-layout argument structs.

use crate::GuestHandle;
use crate::xen::{DomId, XenctlBitmap};

xen_abi! {
    header "domctl.h";
    structs {
        /// `struct xen_domctl`: the `HYPERVISOR_domctl` argument; `u` holds the sub-op's struct.
        "struct xen_domctl" size 144 align 8;
        pub struct XenDomctl {
            /// `XEN_DOMCTL_*`.
            0 cmd: u32,
            /// Must be `XEN_DOMCTL_INTERFACE_VERSION`.
            4 interface_version: u32,
            /// The target domain.
            8 domain: DomId,
            /// Padding.
            10 _gap0: [u8; 6],
            /// The sub-op's struct (`u.pad` spans the union).
            16 u as "u.pad": [u64; 16],
        }

        /// `struct xen_domctl_max_mem`.
        "struct xen_domctl_max_mem" size 8 align 8;
        pub struct XenDomctlMaxMem {
            /// Limit in KiB.
            0 max_memkb: u64,
        }

        /// `struct xen_domctl_vcpucontext` (`set/getvcpucontext`).
        "struct xen_domctl_vcpucontext" size 16 align 8;
        pub struct XenDomctlVcpucontext {
            /// The vCPU.
            0 vcpu: u32,
            /// Padding.
            4 _gap0: [u8; 4],
            /// The `vcpu_guest_context`.
            8 ctxt: GuestHandle<u8>,
        }

        /// `struct xen_domctl_getvcpuinfo`.
        "struct xen_domctl_getvcpuinfo" size 24 align 8;
        pub struct XenDomctlGetvcpuinfo {
            /// The vCPU.
            0 vcpu: u32,
            /// Out: online.
            4 online: u8,
            /// Out: blocked.
            5 blocked: u8,
            /// Out: running.
            6 running: u8,
            /// Padding.
            7 _gap0: [u8; 1],
            /// Out: CPU time (ns).
            8 cpu_time: u64,
            /// Out: current pCPU.
            16 cpu: u32,
            /// Padding.
            20 _gap1: [u8; 4],
        }

        /// `struct xen_domctl_vcpuaffinity` (`set/getvcpuaffinity`).
        "struct xen_domctl_vcpuaffinity" size 40 align 8;
        pub struct XenDomctlVcpuaffinity {
            /// The vCPU.
            0 vcpu: u32,
            /// `XEN_VCPUAFFINITY_*`.
            4 flags: u32,
            /// Hard affinity.
            8 cpumap_hard: XenctlBitmap,
            /// Soft affinity.
            24 cpumap_soft: XenctlBitmap,
        }

        /// `struct xen_domctl_max_vcpus`.
        "struct xen_domctl_max_vcpus" size 4 align 4;
        pub struct XenDomctlMaxVcpus {
            /// Most vCPUs.
            0 max: u32,
        }

        /// `struct xen_domctl_setdomainhandle`.
        "struct xen_domctl_setdomainhandle" size 16 align 1;
        pub struct XenDomctlSetdomainhandle {
            /// The handle (UUID).
            0 handle: [u8; 16],
        }

        /// `struct xen_domctl_setdebugging`.
        "struct xen_domctl_setdebugging" size 1 align 1;
        pub struct XenDomctlSetdebugging {
            /// Enable debugging.
            0 enable: u8,
        }

        /// `struct xen_domctl_irq_permission`.
        "struct xen_domctl_irq_permission" size 8 align 4;
        pub struct XenDomctlIrqPermission {
            /// The PIRQ.
            0 pirq: u32,
            /// Grant (1) or revoke (0).
            4 allow_access: u8,
            /// Unused.
            5 pad: [u8; 3],
        }

        /// `struct xen_domctl_gsi_permission`.
        "struct xen_domctl_gsi_permission" size 8 align 4 since "4.20";
        pub struct XenDomctlGsiPermission {
            /// The GSI.
            0 gsi: u32,
            /// `XEN_DOMCTL_GSI_*`.
            4 flags: u32,
        }

        /// `struct xen_domctl_iomem_permission`.
        "struct xen_domctl_iomem_permission" size 24 align 8;
        pub struct XenDomctlIomemPermission {
            /// First frame.
            0 first_mfn: u64,
            /// Frames.
            8 nr_mfns: u64,
            /// Grant (1) or revoke (0).
            16 allow_access: u8,
            /// Padding.
            17 _gap0: [u8; 7],
        }

        /// `struct xen_domctl_ioport_permission`.
        "struct xen_domctl_ioport_permission" size 12 align 4;
        pub struct XenDomctlIoportPermission {
            /// First port.
            0 first_port: u32,
            /// Ports.
            4 nr_ports: u32,
            /// Grant (1) or revoke (0).
            8 allow_access: u8,
            /// Padding.
            9 _gap0: [u8; 3],
        }

        /// `struct xen_domctl_hypercall_init`.
        "struct xen_domctl_hypercall_init" size 8 align 8;
        pub struct XenDomctlHypercallInit {
            /// Frame to fill with the hypercall page.
            0 gmfn: u64,
        }

        /// `struct xen_domctl_settimeoffset`.
        "struct xen_domctl_settimeoffset" size 8 align 8;
        pub struct XenDomctlSettimeoffset {
            /// Offset from host time.
            0 time_offset_seconds: i64,
        }

        /// `struct xen_domctl_address_size`.
        "struct xen_domctl_address_size" size 4 align 4;
        pub struct XenDomctlAddressSize {
            /// 32 or 64.
            0 size: u32,
        }

        /// `struct xen_domctl_memory_mapping`.
        "struct xen_domctl_memory_mapping" size 32 align 8;
        pub struct XenDomctlMemoryMapping {
            /// First guest frame.
            0 first_gfn: u64,
            /// First machine frame.
            8 first_mfn: u64,
            /// Frames.
            16 nr_mfns: u64,
            /// Add (1) or remove (0).
            24 add_mapping: u32,
            /// Unused.
            28 padding: u32,
        }

        /// `struct xen_domctl_ioport_mapping`.
        "struct xen_domctl_ioport_mapping" size 16 align 4;
        pub struct XenDomctlIoportMapping {
            /// First guest port.
            0 first_gport: u32,
            /// First machine port.
            4 first_mport: u32,
            /// Ports.
            8 nr_ports: u32,
            /// Add (1) or remove (0).
            12 add_mapping: u32,
        }

        /// `struct xen_domctl_set_target`.
        "struct xen_domctl_set_target" size 2 align 2;
        pub struct XenDomctlSetTarget {
            /// The domain this one serves.
            0 target: DomId,
        }

        /// `struct xen_domctl_cacheflush`.
        "struct xen_domctl_cacheflush" size 16 align 8;
        pub struct XenDomctlCacheflush {
            /// First frame.
            0 start_pfn: u64,
            /// Frames.
            8 nr_pfns: u64,
        }

        /// `struct xen_domctl_paging_mempool`.
        "struct xen_domctl_paging_mempool" size 8 align 8;
        pub struct XenDomctlPagingMempool {
            /// Pool size in bytes.
            0 size: u64,
        }
    }
    enums {
        /// A `HYPERVISOR_domctl` command (`XEN_DOMCTL_*`).
        pub enum DomctlOp: u32 {
            /// `XEN_DOMCTL_createdomain`.
            Createdomain = XEN_DOMCTL_createdomain = 1,
            /// `XEN_DOMCTL_destroydomain`.
            Destroydomain = XEN_DOMCTL_destroydomain = 2,
            /// `XEN_DOMCTL_pausedomain`.
            Pausedomain = XEN_DOMCTL_pausedomain = 3,
            /// `XEN_DOMCTL_unpausedomain`.
            Unpausedomain = XEN_DOMCTL_unpausedomain = 4,
            /// `XEN_DOMCTL_getdomaininfo`.
            Getdomaininfo = XEN_DOMCTL_getdomaininfo = 5,
            /// `XEN_DOMCTL_setvcpuaffinity`.
            Setvcpuaffinity = XEN_DOMCTL_setvcpuaffinity = 9,
            /// `XEN_DOMCTL_shadow_op`.
            ShadowOp = XEN_DOMCTL_shadow_op = 0xa,
            /// `XEN_DOMCTL_max_mem`.
            MaxMem = XEN_DOMCTL_max_mem = 0xb,
            /// `XEN_DOMCTL_setvcpucontext`.
            Setvcpucontext = XEN_DOMCTL_setvcpucontext = 0xc,
            /// `XEN_DOMCTL_getvcpucontext`.
            Getvcpucontext = XEN_DOMCTL_getvcpucontext = 0xd,
            /// `XEN_DOMCTL_getvcpuinfo`.
            Getvcpuinfo = XEN_DOMCTL_getvcpuinfo = 0xe,
            /// `XEN_DOMCTL_max_vcpus`.
            MaxVcpus = XEN_DOMCTL_max_vcpus = 0xf,
            /// `XEN_DOMCTL_scheduler_op`.
            SchedulerOp = XEN_DOMCTL_scheduler_op = 0x10,
            /// `XEN_DOMCTL_setdomainhandle`.
            Setdomainhandle = XEN_DOMCTL_setdomainhandle = 0x11,
            /// `XEN_DOMCTL_setdebugging`.
            Setdebugging = XEN_DOMCTL_setdebugging = 0x12,
            /// `XEN_DOMCTL_irq_permission`.
            IrqPermission = XEN_DOMCTL_irq_permission = 0x13,
            /// `XEN_DOMCTL_iomem_permission`.
            IomemPermission = XEN_DOMCTL_iomem_permission = 0x14,
            /// `XEN_DOMCTL_ioport_permission`.
            IoportPermission = XEN_DOMCTL_ioport_permission = 0x15,
            /// `XEN_DOMCTL_hypercall_init`.
            HypercallInit = XEN_DOMCTL_hypercall_init = 0x16,
            /// `XEN_DOMCTL_settimeoffset`.
            Settimeoffset = XEN_DOMCTL_settimeoffset = 0x18,
            /// `XEN_DOMCTL_getvcpuaffinity`.
            Getvcpuaffinity = XEN_DOMCTL_getvcpuaffinity = 0x19,
            /// `XEN_DOMCTL_resumedomain`.
            Resumedomain = XEN_DOMCTL_resumedomain = 0x1b,
            /// `XEN_DOMCTL_sendtrigger`.
            Sendtrigger = XEN_DOMCTL_sendtrigger = 0x1c,
            /// `XEN_DOMCTL_subscribe`.
            Subscribe = XEN_DOMCTL_subscribe = 0x1d,
            /// `XEN_DOMCTL_gethvmcontext`.
            Gethvmcontext = XEN_DOMCTL_gethvmcontext = 0x21,
            /// `XEN_DOMCTL_sethvmcontext`.
            Sethvmcontext = XEN_DOMCTL_sethvmcontext = 0x22,
            /// `XEN_DOMCTL_set_address_size`.
            SetAddressSize = XEN_DOMCTL_set_address_size = 0x23,
            /// `XEN_DOMCTL_get_address_size`.
            GetAddressSize = XEN_DOMCTL_get_address_size = 0x24,
            /// `XEN_DOMCTL_assign_device`.
            AssignDevice = XEN_DOMCTL_assign_device = 0x25,
            /// `XEN_DOMCTL_bind_pt_irq`.
            BindPtIrq = XEN_DOMCTL_bind_pt_irq = 0x26,
            /// `XEN_DOMCTL_memory_mapping`.
            MemoryMapping = XEN_DOMCTL_memory_mapping = 0x27,
            /// `XEN_DOMCTL_ioport_mapping`.
            IoportMapping = XEN_DOMCTL_ioport_mapping = 0x28,
            /// `XEN_DOMCTL_set_ext_vcpucontext`.
            SetExtVcpucontext = XEN_DOMCTL_set_ext_vcpucontext = 0x2a,
            /// `XEN_DOMCTL_get_ext_vcpucontext`.
            GetExtVcpucontext = XEN_DOMCTL_get_ext_vcpucontext = 0x2b,
            /// `XEN_DOMCTL_test_assign_device`.
            TestAssignDevice = XEN_DOMCTL_test_assign_device = 0x2d,
            /// `XEN_DOMCTL_set_target`.
            SetTarget = XEN_DOMCTL_set_target = 0x2e,
            /// `XEN_DOMCTL_deassign_device`.
            DeassignDevice = XEN_DOMCTL_deassign_device = 0x2f,
            /// `XEN_DOMCTL_unbind_pt_irq`.
            UnbindPtIrq = XEN_DOMCTL_unbind_pt_irq = 0x30,
            /// `XEN_DOMCTL_get_device_group`.
            GetDeviceGroup = XEN_DOMCTL_get_device_group = 0x32,
            /// `XEN_DOMCTL_debug_op`.
            DebugOp = XEN_DOMCTL_debug_op = 0x36,
            /// `XEN_DOMCTL_gethvmcontext_partial`.
            GethvmcontextPartial = XEN_DOMCTL_gethvmcontext_partial = 0x37,
            /// `XEN_DOMCTL_vm_event_op`.
            VmEventOp = XEN_DOMCTL_vm_event_op = 0x38,
            /// `XEN_DOMCTL_mem_sharing_op`.
            MemSharingOp = XEN_DOMCTL_mem_sharing_op = 0x39,
            /// `XEN_DOMCTL_gettscinfo`.
            Gettscinfo = XEN_DOMCTL_gettscinfo = 0x3b,
            /// `XEN_DOMCTL_settscinfo`.
            Settscinfo = XEN_DOMCTL_settscinfo = 0x3c,
            /// `XEN_DOMCTL_getpageframeinfo3`.
            Getpageframeinfo3 = XEN_DOMCTL_getpageframeinfo3 = 0x3d,
            /// `XEN_DOMCTL_setvcpuextstate`.
            Setvcpuextstate = XEN_DOMCTL_setvcpuextstate = 0x3e,
            /// `XEN_DOMCTL_getvcpuextstate`.
            Getvcpuextstate = XEN_DOMCTL_getvcpuextstate = 0x3f,
            /// `XEN_DOMCTL_set_access_required`.
            SetAccessRequired = XEN_DOMCTL_set_access_required = 0x40,
            /// `XEN_DOMCTL_audit_p2m`.
            AuditP2m = XEN_DOMCTL_audit_p2m = 0x41,
            /// `XEN_DOMCTL_set_virq_handler`.
            SetVirqHandler = XEN_DOMCTL_set_virq_handler = 0x42,
            /// `XEN_DOMCTL_set_broken_page_p2m`.
            SetBrokenPageP2m = XEN_DOMCTL_set_broken_page_p2m = 0x43,
            /// `XEN_DOMCTL_setnodeaffinity`.
            Setnodeaffinity = XEN_DOMCTL_setnodeaffinity = 0x44,
            /// `XEN_DOMCTL_getnodeaffinity`.
            Getnodeaffinity = XEN_DOMCTL_getnodeaffinity = 0x45,
            /// `XEN_DOMCTL_cacheflush`.
            Cacheflush = XEN_DOMCTL_cacheflush = 0x47,
            /// `XEN_DOMCTL_get_vcpu_msrs`.
            GetVcpuMsrs = XEN_DOMCTL_get_vcpu_msrs = 0x48,
            /// `XEN_DOMCTL_set_vcpu_msrs`.
            SetVcpuMsrs = XEN_DOMCTL_set_vcpu_msrs = 0x49,
            /// `XEN_DOMCTL_setvnumainfo`.
            Setvnumainfo = XEN_DOMCTL_setvnumainfo = 0x4a,
            /// `XEN_DOMCTL_psr_cmt_op`.
            PsrCmtOp = XEN_DOMCTL_psr_cmt_op = 0x4b,
            /// `XEN_DOMCTL_monitor_op`.
            MonitorOp = XEN_DOMCTL_monitor_op = 0x4d,
            /// `XEN_DOMCTL_psr_alloc`.
            PsrAlloc = XEN_DOMCTL_psr_alloc = 0x4e,
            /// `XEN_DOMCTL_soft_reset`.
            SoftReset = XEN_DOMCTL_soft_reset = 0x4f,
            /// `XEN_DOMCTL_vuart_op`.
            VuartOp = XEN_DOMCTL_vuart_op = 0x51,
            /// `XEN_DOMCTL_get_cpu_policy`.
            GetCpuPolicy = XEN_DOMCTL_get_cpu_policy = 0x52,
            /// `XEN_DOMCTL_set_cpu_policy`.
            SetCpuPolicy = XEN_DOMCTL_set_cpu_policy = 0x53,
            /// `XEN_DOMCTL_get_paging_mempool_size`.
            GetPagingMempoolSize = XEN_DOMCTL_get_paging_mempool_size = 0x55,
            /// `XEN_DOMCTL_set_paging_mempool_size`.
            SetPagingMempoolSize = XEN_DOMCTL_set_paging_mempool_size = 0x56,
            /// `XEN_DOMCTL_dt_overlay`.
            DtOverlay = XEN_DOMCTL_dt_overlay = 0x57 => since "4.19",
            /// `XEN_DOMCTL_gsi_permission`.
            GsiPermission = XEN_DOMCTL_gsi_permission = 0x58 => since "4.20",
            /// `XEN_DOMCTL_set_llc_colors`.
            SetLlcColors = XEN_DOMCTL_set_llc_colors = 0x59 => since "4.20",
            /// `XEN_DOMCTL_gdbsx_guestmemio`.
            GdbsxGuestmemio = XEN_DOMCTL_gdbsx_guestmemio = 0x3e8,
            /// `XEN_DOMCTL_gdbsx_pausevcpu`.
            GdbsxPausevcpu = XEN_DOMCTL_gdbsx_pausevcpu = 0x3e9,
            /// `XEN_DOMCTL_gdbsx_unpausevcpu`.
            GdbsxUnpausevcpu = XEN_DOMCTL_gdbsx_unpausevcpu = 0x3ea,
            /// `XEN_DOMCTL_gdbsx_domstatus`.
            GdbsxDomstatus = XEN_DOMCTL_gdbsx_domstatus = 0x3eb,
        }
    }
    consts {
        /// The domctl interface version (4.17: 0x15; 4.20: 0x17).
        pub const XEN_DOMCTL_INTERFACE_VERSION: u32 = 0x17 => since "4.19";
        /// Set the hard affinity.
        pub const XEN_VCPUAFFINITY_HARD: u32 = 1;
        /// Set the soft affinity.
        pub const XEN_VCPUAFFINITY_SOFT: u32 = 2;
        /// Undo an override.
        pub const XEN_VCPUAFFINITY_FORCE: u32 = 4;
        /// Domain is dying.
        pub const XEN_DOMINF_dying: u32 = 1;
        /// HVM guest.
        pub const XEN_DOMINF_hvm_guest: u32 = 2;
        /// Shut down.
        pub const XEN_DOMINF_shutdown: u32 = 4;
        /// Paused.
        pub const XEN_DOMINF_paused: u32 = 8;
        /// Blocked.
        pub const XEN_DOMINF_blocked: u32 = 0x10;
        /// Running.
        pub const XEN_DOMINF_running: u32 = 0x20;
        /// Being debugged.
        pub const XEN_DOMINF_debugged: u32 = 0x40;
        /// Xenstore domain.
        pub const XEN_DOMINF_xs_domain: u32 = 0x80;
        /// Uses HAP.
        pub const XEN_DOMINF_hap: u32 = 0x100;
        /// Shutdown reason mask.
        pub const XEN_DOMINF_shutdownmask: u32 = 0xff;
        /// Shutdown reason shift.
        pub const XEN_DOMINF_shutdownshift: u32 = 0x10;
        /// createdomain: HVM.
        pub const XEN_DOMCTL_CDF_hvm: u32 = 1;
        /// createdomain: HAP.
        pub const XEN_DOMCTL_CDF_hap: u32 = 2;
        /// createdomain: S3 integrity.
        pub const XEN_DOMCTL_CDF_s3_integrity: u32 = 4;
        /// createdomain: no out-of-sync shadows.
        pub const XEN_DOMCTL_CDF_oos_off: u32 = 8;
        /// createdomain: xenstore domain.
        pub const XEN_DOMCTL_CDF_xs_domain: u32 = 0x10;
        /// createdomain: IOMMU.
        pub const XEN_DOMCTL_CDF_iommu: u32 = 0x20;
        /// createdomain: nested virtualisation.
        pub const XEN_DOMCTL_CDF_nested_virt: u32 = 0x40;
        /// createdomain: vPMU.
        pub const XEN_DOMCTL_CDF_vpmu: u32 = 0x80;
    }
}
