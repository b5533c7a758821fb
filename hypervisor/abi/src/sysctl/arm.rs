//! `xen/include/public/sysctl.h` (Xen 4.20, `XEN_SYSCTL_INTERFACE_VERSION` 0x15, as in 4.17):
//! Arm-only layouts (device-tree overlays, 4.18+). Compiled everywhere; the layout table lists
//! them for arm64 only.

use crate::GuestHandle;

xen_abi! {
    header "sysctl.h";
    structs {
        /// `struct xen_sysctl_dt_overlay` (Arm only, 4.18+): add or remove a device-tree overlay.
        "struct xen_sysctl_dt_overlay" size 16 align 8 since "4.18";
        pub struct XenSysctlDtOverlay {
            /// The overlay FDT.
            0 overlay_fdt: GuestHandle<u8>,
            /// Its size in bytes.
            8 overlay_fdt_size: u32,
            /// `XEN_SYSCTL_DT_OVERLAY_*`.
            12 overlay_op: u8,
            /// Must be zero.
            13 pad: [u8; 3],
        }
    }
    consts {
        /// `overlay_op`: add an overlay (Arm, 4.18+).
        pub const XEN_SYSCTL_DT_OVERLAY_ADD: u32 = 1 => since "4.18";
        /// `overlay_op`: remove an overlay (Arm, 4.18+).
        pub const XEN_SYSCTL_DT_OVERLAY_REMOVE: u32 = 2 => since "4.18";
        /// physinfo `arch_capabilities`: the SVE vector-length field (Arm, 4.18+).
        pub const XEN_SYSCTL_PHYSCAP_ARM_SVE_MASK: u32 = 0x1f => since "4.18";
    }
}
