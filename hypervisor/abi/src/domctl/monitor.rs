//! `xen/include/public/domctl.h` (Xen 4.20, `XEN_DOMCTL_INTERFACE_VERSION` 0x17): the
//! domctl arguments for inspecting a running domain — HVM save records, debugging and gdbsx, TSC
//! info, vm_event and monitor set-up, PSR (cache/bandwidth) and vmtrace.

use crate::GuestHandle;

xen_abi! {
    header "domctl.h";
    structs {
        /// `struct xen_domctl_hvmcontext`.
        "struct xen_domctl_hvmcontext" size 16 align 8;
        pub struct XenDomctlHvmcontext {
            /// Size in bytes.
            0 size: u32,
            /// Padding.
            4 _gap0: [u8; 4],
            /// Guest buffer.
            8 buffer: GuestHandle<u8>,
        }

        /// `struct xen_domctl_hvmcontext_partial`.
        "struct xen_domctl_hvmcontext_partial" size 24 align 8;
        pub struct XenDomctlHvmcontextPartial {
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            0 type_ as "type": u32,
            /// `instance`.
            4 instance: u32,
            /// `bufsz`.
            8 bufsz: u64,
            /// Guest buffer.
            16 buffer: GuestHandle<u8>,
        }

        /// `struct xen_domctl_debug_op`.
        "struct xen_domctl_debug_op" size 8 align 4;
        pub struct XenDomctlDebugOp {
            /// The sub-operation.
            0 op: u32,
            /// vCPU id.
            4 vcpu: u32,
        }

        /// `struct xen_domctl_tsc_info`.
        "struct xen_domctl_tsc_info" size 24 align 8;
        pub struct XenDomctlTscInfo {
            /// TSC mode (`XEN_CPUID_TSC_MODE_*`).
            0 tsc_mode: u32,
            /// Guest TSC frequency (kHz).
            4 gtsc_khz: u32,
            /// Save/restore incarnation.
            8 incarnation: u32,
            /// Unused; zero.
            12 pad: u32,
            /// Elapsed time (ns).
            16 elapsed_nsec: u64,
        }

        /// `struct xen_domctl_gdbsx_memio`.
        "struct xen_domctl_gdbsx_memio" size 40 align 8;
        pub struct XenDomctlGdbsxMemio {
            /// `pgd3val`.
            0 pgd3val: u64,
            /// `gva`.
            8 gva: u64,
            /// `uva`.
            16 uva: u64,
            /// Length in bytes.
            24 len: u32,
            /// `gwr`.
            28 gwr: u8,
            /// Padding.
            29 _gap0: [u8; 3],
            /// `remain`.
            32 remain: u32,
            /// Padding.
            36 _gap1: [u8; 4],
        }

        /// `struct xen_domctl_gdbsx_pauseunp_vcpu`.
        "struct xen_domctl_gdbsx_pauseunp_vcpu" size 4 align 4;
        pub struct XenDomctlGdbsxPauseunpVcpu {
            /// vCPU id.
            0 vcpu: u32,
        }

        /// `struct xen_domctl_gdbsx_domstatus`.
        "struct xen_domctl_gdbsx_domstatus" size 12 align 4;
        pub struct XenDomctlGdbsxDomstatus {
            /// `paused`.
            0 paused: u8,
            /// Padding.
            1 _gap0: [u8; 3],
            /// `vcpu_id`.
            4 vcpu_id: u32,
            /// `vcpu_ev`.
            8 vcpu_ev: u32,
        }

        /// `__typeof__(((struct xen_domctl_vm_event_op *)0)->u.enable)`.
        "__typeof__(((struct xen_domctl_vm_event_op *)0)->u.enable)" size 4 align 4;
        pub struct XenDomctlVmEventOpEnable {
            /// Event channel port.
            0 port: u32,
        }

        /// `struct xen_domctl_vm_event_op`.
        "struct xen_domctl_vm_event_op" size 12 align 4;
        pub struct XenDomctlVmEventOp {
            /// The sub-operation.
            0 op: u32,
            /// Mode.
            4 mode: u32,
            /// Union of the sub-op argument structs.
            8 u: [u32; 1],
        }

        /// `struct xen_domctl_set_access_required`.
        "struct xen_domctl_set_access_required" size 1 align 1;
        pub struct XenDomctlSetAccessRequired {
            /// `access_required`.
            0 access_required: u8,
        }

        /// `struct xen_domctl_psr_cmt_op`.
        "struct xen_domctl_psr_cmt_op" size 8 align 4;
        pub struct XenDomctlPsrCmtOp {
            /// The sub-command.
            0 cmd: u32,
            /// Guest buffer with the data.
            4 data: u32,
        }

        /// `__typeof__(((struct xen_domctl_monitor_op *)0)->u.mov_to_cr)`.
        "__typeof__(((struct xen_domctl_monitor_op *)0)->u.mov_to_cr)" size 16 align 8;
        pub struct XenDomctlMonitorOpMovToCr {
            /// Index.
            0 index: u8,
            /// `sync`.
            1 sync: u8,
            /// `onchangeonly`.
            2 onchangeonly: u8,
            /// Unused; zero.
            3 pad1: u8,
            /// Unused; zero.
            4 pad2: u32,
            /// `bitmask`.
            8 bitmask: u64,
        }

        /// `__typeof__(((struct xen_domctl_monitor_op *)0)->u.mov_to_msr)`.
        "__typeof__(((struct xen_domctl_monitor_op *)0)->u.mov_to_msr)" size 8 align 4;
        pub struct XenDomctlMonitorOpMovToMsr {
            /// MSR index.
            0 msr: u32,
            /// `onchangeonly`.
            4 onchangeonly: u8,
            /// Padding.
            5 _gap0: [u8; 3],
        }

        /// `__typeof__(((struct xen_domctl_monitor_op *)0)->u.guest_request)`.
        "__typeof__(((struct xen_domctl_monitor_op *)0)->u.guest_request)" size 2 align 1;
        pub struct XenDomctlMonitorOpGuestRequest {
            /// `sync`.
            0 sync: u8,
            /// `allow_userspace`.
            1 allow_userspace: u8,
        }

        /// `__typeof__(((struct xen_domctl_monitor_op *)0)->u.debug_exception)`.
        "__typeof__(((struct xen_domctl_monitor_op *)0)->u.debug_exception)" size 1 align 1;
        pub struct XenDomctlMonitorOpDebugException {
            /// `sync`.
            0 sync: u8,
        }

        /// `__typeof__(((struct xen_domctl_monitor_op *)0)->u.vmexit)`.
        "__typeof__(((struct xen_domctl_monitor_op *)0)->u.vmexit)" size 1 align 1;
        pub struct XenDomctlMonitorOpVmexit {
            /// `sync`.
            0 sync: u8,
        }

        /// `struct xen_domctl_monitor_op`.
        "struct xen_domctl_monitor_op" size 24 align 8;
        pub struct XenDomctlMonitorOp {
            /// The sub-operation.
            0 op: u32,
            /// `event`.
            4 event: u32,
            /// Union of the sub-op argument structs.
            8 u: [u64; 2],
        }

        /// `struct xen_domctl_psr_alloc`.
        "struct xen_domctl_psr_alloc" size 16 align 8;
        pub struct XenDomctlPsrAlloc {
            /// The sub-command.
            0 cmd: u32,
            /// `target`.
            4 target: u32,
            /// Guest buffer with the data.
            8 data: u64,
        }

        /// `struct xen_domctl_vmtrace_op`.
        "struct xen_domctl_vmtrace_op" size 24 align 8;
        pub struct XenDomctlVmtraceOp {
            /// The sub-command.
            0 cmd: u32,
            /// vCPU id.
            4 vcpu: u32,
            /// `key`.
            8 key: u64,
            /// Value.
            16 value: u64,
        }
    }
}
