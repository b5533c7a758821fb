//! `xen/include/public/callback.h` (Xen 4.20): `HYPERVISOR_callback_op` for PV guests.

xen_abi! {
    header "callback.h";
    structs {
        /// `struct callback_register` (`CALLBACKOP_register`).
        "struct callback_register" size 16 align 8;
        pub struct CallbackRegister {
            /// `CALLBACKTYPE_*`.
            0 kind as "type": u16,
            /// `CALLBACKF_*`.
            2 flags: u16,
            /// Padding.
            4 _pad0: u32,
            /// `xen_callback_t`: the entry address.
            8 address: u64,
        }

        /// `struct callback_unregister` (`CALLBACKOP_unregister`).
        "struct callback_unregister" size 4 align 2;
        pub struct CallbackUnregister {
            /// `CALLBACKTYPE_*`.
            0 kind as "type": u16,
            /// Unused.
            2 _unused: u16,
        }
    }
    enums {
        /// A callback type (`CALLBACKTYPE_*`).
        pub enum CallbackType: u16 {
            /// Event upcall.
            Event = CALLBACKTYPE_event = 0,
            /// Failsafe (bad segment on return).
            Failsafe = CALLBACKTYPE_failsafe = 1,
            /// 64-bit syscall.
            Syscall = CALLBACKTYPE_syscall = 2,
            /// Old sysenter number.
            SysenterDeprecated = CALLBACKTYPE_sysenter_deprecated = 3,
            /// NMI.
            Nmi = CALLBACKTYPE_nmi = 4,
            /// sysenter.
            Sysenter = CALLBACKTYPE_sysenter = 5,
            /// 32-bit syscall.
            Syscall32 = CALLBACKTYPE_syscall32 = 7,
        }

        /// A `HYPERVISOR_callback_op` command (`CALLBACKOP_*`).
        pub enum CallbackOp: u32 {
            /// Register a callback.
            Register = CALLBACKOP_register = 0,
            /// Unregister a callback.
            Unregister = CALLBACKOP_unregister = 1,
        }
    }
    consts {
        /// Mask events while the callback runs.
        pub const CALLBACKF_mask_events: u32 = 1 << 0;
    }
}
