//! `xen/include/public/domctl.h` (Xen 4.20, `XEN_DOMCTL_INTERFACE_VERSION` 0x17): the
//! domctl arguments for passthrough and virtual devices — device assignment, device groups,
//! passthrough IRQ binding, the vUART, VIRQ handlers, triggers and suspend subscription.

use crate::GuestHandle;
use crate::xen::DomId;

xen_abi! {
    header "domctl.h";
    structs {
        /// `__typeof__(((struct xen_domctl_assign_device *)0)->u.pci)`.
        "__typeof__(((struct xen_domctl_assign_device *)0)->u.pci)" size 4 align 4;
        pub struct XenDomctlAssignDevicePci {
            /// PCI segment/bus/device/function.
            0 machine_sbdf: u32,
        }

        /// `__typeof__(((struct xen_domctl_assign_device *)0)->u.dt)`.
        "__typeof__(((struct xen_domctl_assign_device *)0)->u.dt)" size 16 align 8;
        pub struct XenDomctlAssignDeviceDt {
            /// Size in bytes.
            0 size: u32,
            /// Padding.
            4 _gap0: [u8; 4],
            /// `path`.
            8 path: GuestHandle<u8>,
        }

        /// `struct xen_domctl_assign_device`.
        "struct xen_domctl_assign_device" size 24 align 8;
        pub struct XenDomctlAssignDevice {
            /// Device kind (`XEN_DOMCTL_DEV_*`).
            0 dev: u32,
            /// Flag bits.
            4 flags: u32,
            /// Union of the sub-op argument structs.
            8 u: [u64; 2],
        }

        /// `struct xen_domctl_get_device_group`.
        "struct xen_domctl_get_device_group" size 24 align 8;
        pub struct XenDomctlGetDeviceGroup {
            /// PCI segment/bus/device/function.
            0 machine_sbdf: u32,
            /// Maximum sdevs.
            4 max_sdevs: u32,
            /// `num_sdevs`.
            8 num_sdevs: u32,
            /// Padding.
            12 _gap0: [u8; 4],
            /// Out: device SBDFs.
            16 sdev_array: GuestHandle<u32>,
        }

        /// `__typeof__(((struct xen_domctl_bind_pt_irq *)0)->u.isa)`.
        "__typeof__(((struct xen_domctl_bind_pt_irq *)0)->u.isa)" size 1 align 1;
        pub struct XenDomctlBindPtIrqIsa {
            /// `isa_irq`.
            0 isa_irq: u8,
        }

        /// `__typeof__(((struct xen_domctl_bind_pt_irq *)0)->u.pci)`.
        "__typeof__(((struct xen_domctl_bind_pt_irq *)0)->u.pci)" size 3 align 1;
        pub struct XenDomctlBindPtIrqPci {
            /// `bus`.
            0 bus: u8,
            /// `device`.
            1 device: u8,
            /// `intx`.
            2 intx: u8,
        }

        /// `__typeof__(((struct xen_domctl_bind_pt_irq *)0)->u.msi)`.
        "__typeof__(((struct xen_domctl_bind_pt_irq *)0)->u.msi)" size 16 align 8;
        pub struct XenDomctlBindPtIrqMsi {
            /// `gvec`.
            0 gvec: u8,
            /// Padding.
            1 _gap0: [u8; 3],
            /// `gflags`.
            4 gflags: u32,
            /// `gtable`.
            8 gtable: u64,
        }

        /// `__typeof__(((struct xen_domctl_bind_pt_irq *)0)->u.spi)`.
        "__typeof__(((struct xen_domctl_bind_pt_irq *)0)->u.spi)" size 2 align 2;
        pub struct XenDomctlBindPtIrqSpi {
            /// `spi`.
            0 spi: u16,
        }

        /// `struct xen_domctl_bind_pt_irq`.
        "struct xen_domctl_bind_pt_irq" size 24 align 8;
        pub struct XenDomctlBindPtIrq {
            /// Host IRQ.
            0 machine_irq: u32,
            /// `PT_IRQ_TYPE_*`.
            4 irq_type: u32,
            /// Union of the sub-op argument structs.
            8 u: [u64; 2],
        }

        /// `struct xen_domctl_vuart_op`.
        "struct xen_domctl_vuart_op" size 24 align 8;
        pub struct XenDomctlVuartOp {
            /// The sub-command.
            0 cmd: u32,
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            4 type_ as "type": u32,
            /// Guest frame.
            8 gfn: u64,
            /// `console_domid`.
            16 console_domid: DomId,
            /// Unused; zero.
            18 pad: [u8; 2],
            /// Event channel port.
            20 evtchn: u32,
        }

        /// `struct xen_domctl_set_virq_handler`.
        "struct xen_domctl_set_virq_handler" size 4 align 4;
        pub struct XenDomctlSetVirqHandler {
            /// VIRQ number.
            0 virq: u32,
        }

        /// `struct xen_domctl_sendtrigger`.
        "struct xen_domctl_sendtrigger" size 8 align 4;
        pub struct XenDomctlSendtrigger {
            /// The trigger (`XEN_DOMCTL_SENDTRIGGER_*`).
            0 trigger: u32,
            /// vCPU id.
            4 vcpu: u32,
        }

        /// `struct xen_domctl_subscribe`.
        "struct xen_domctl_subscribe" size 4 align 4;
        pub struct XenDomctlSubscribe {
            /// Event channel port.
            0 port: u32,
        }
    }
}
