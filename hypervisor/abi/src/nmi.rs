//! `xen/include/public/nmi.h` (Xen 4.20): `HYPERVISOR_nmi_op` and the NMI reason bits in
//! `arch_shared_info.nmi_reason` (PV).

xen_abi! {
    header "nmi.h";
    structs {
        /// `struct xennmi_callback` (`XENNMI_register_callback`).
        "struct xennmi_callback" size 16 align 8;
        pub struct XennmiCallback {
            /// The handler.
            0 handler_address: u64,
            /// Unused.
            8 pad: u64,
        }
    }
    enums {
        /// A `HYPERVISOR_nmi_op` command (`XENNMI_*`).
        pub enum NmiOp: u32 {
            /// Register the NMI callback.
            RegisterCallback = XENNMI_register_callback = 0,
            /// Remove it.
            UnregisterCallback = XENNMI_unregister_callback = 1,
        }
    }
    consts {
        /// Bit: I/O check error.
        pub const _XEN_NMIREASON_io_error: u32 = 0;
        /// I/O check error.
        pub const XEN_NMIREASON_io_error: u32 = 1;
        /// Bit: PCI SERR.
        pub const _XEN_NMIREASON_pci_serr: u32 = 1;
        /// PCI SERR.
        pub const XEN_NMIREASON_pci_serr: u32 = 2;
        /// Bit: parity error (legacy alias of `pci_serr`, interface < 4.3).
        pub const _XEN_NMIREASON_parity_error: u32 = 1 => since "interface < 0x00040300";
        /// Parity error (legacy alias of `pci_serr`, interface < 4.3).
        pub const XEN_NMIREASON_parity_error: u32 = 2 => since "interface < 0x00040300";
        /// Bit: unknown.
        pub const _XEN_NMIREASON_unknown: u32 = 2;
        /// Unknown.
        pub const XEN_NMIREASON_unknown: u32 = 4;
    }
}
