//! `xen/include/public/argo.h` (Xen 4.20): `HYPERVISOR_argo_op`, inter-domain messaging over
//! rings registered with Xen.

use crate::GuestHandle;
use crate::xen::DomId;

xen_abi! {
    header "argo.h";
    structs {
        /// `xen_argo_iov_t`: one buffer of a send.
        "xen_argo_iov_t" size 16 align 8;
        pub struct XenArgoIov {
            /// The buffer.
            0 iov_hnd: GuestHandle<u8>,
            /// Its length.
            8 iov_len: u32,
            /// Must be zero.
            12 pad: u32,
        }

        /// `xen_argo_addr_t`.
        "xen_argo_addr_t" size 8 align 4;
        pub struct XenArgoAddr {
            /// Argo port.
            0 aport: u32,
            /// Domain.
            4 domain_id: DomId,
            /// Must be zero.
            6 pad: u16,
        }

        /// `xen_argo_send_addr_t`.
        "xen_argo_send_addr_t" size 16 align 4;
        pub struct XenArgoSendAddr {
            /// Source.
            0 src: XenArgoAddr,
            /// Destination.
            8 dst: XenArgoAddr,
        }

        /// `xen_argo_ring_t` header; the ring bytes follow.
        "xen_argo_ring_t" size 64 align 4;
        pub struct XenArgoRing {
            /// Receive pointer.
            0 rx_ptr: u32,
            /// Transmit pointer.
            4 tx_ptr: u32,
            /// Reserved.
            8 reserved: [u8; 56],
            /// The ring.
            64 ring: [u8; 0],
        }

        /// `xen_argo_register_ring_t`.
        "xen_argo_register_ring_t" size 12 align 4;
        pub struct XenArgoRegisterRing {
            /// Port.
            0 aport: u32,
            /// Partner (or `XEN_ARGO_DOMID_ANY`).
            4 partner_id: DomId,
            /// Must be zero.
            6 pad: u16,
            /// Ring length.
            8 len: u32,
        }

        /// `xen_argo_unregister_ring_t`.
        "xen_argo_unregister_ring_t" size 8 align 4;
        pub struct XenArgoUnregisterRing {
            /// Port.
            0 aport: u32,
            /// Partner.
            4 partner_id: DomId,
            /// Must be zero.
            6 pad: u16,
        }

        /// `xen_argo_ring_data_ent_t`.
        "xen_argo_ring_data_ent_t" size 20 align 4;
        pub struct XenArgoRingDataEnt {
            /// The ring.
            0 ring: XenArgoAddr,
            /// `XEN_ARGO_RING_*`.
            8 flags: u16,
            /// Must be zero.
            10 pad: u16,
            /// Space wanted.
            12 space_required: u32,
            /// Out: largest message.
            16 max_message_size: u32,
        }

        /// `xen_argo_ring_data_t` header; `nent` entries follow.
        "xen_argo_ring_data_t" size 8 align 4;
        pub struct XenArgoRingData {
            /// Entries.
            0 nent: u32,
            /// Must be zero.
            4 pad: u32,
            /// The entries.
            8 data: [XenArgoRingDataEnt; 0],
        }

        /// `struct xen_argo_ring_message_header`.
        "struct xen_argo_ring_message_header" size 16 align 4;
        pub struct XenArgoRingMessageHeader {
            /// Message length.
            0 len: u32,
            /// Sender.
            4 source: XenArgoAddr,
            /// Type.
            12 message_type: u32,
            /// The message.
            16 data: [u8; 0],
        }
    }
    enums {
        /// A `HYPERVISOR_argo_op` command (`XEN_ARGO_OP_*`).
        pub enum ArgoOp: u32 {
            /// Register a ring.
            RegisterRing = XEN_ARGO_OP_register_ring = 1,
            /// Unregister a ring.
            UnregisterRing = XEN_ARGO_OP_unregister_ring = 2,
            /// Send a message.
            Sendv = XEN_ARGO_OP_sendv = 3,
            /// Query rings and request notification.
            Notify = XEN_ARGO_OP_notify = 4,
        }
    }
    consts {
        /// Any domain.
        pub const XEN_ARGO_DOMID_ANY: u32 = 0x7ff4;
        /// Largest ring.
        pub const XEN_ARGO_MAX_RING_SIZE: u64 = 0x1000000;
        /// Most buffers per send.
        pub const XEN_ARGO_MAXIOV: u32 = 8;
        /// Message alignment.
        pub const XEN_ARGO_MSG_SLOT_SIZE: u32 = 0x10;
        /// The ring exists.
        pub const XEN_ARGO_RING_EXISTS: u32 = 1;
        /// The ring is shared with any domain.
        pub const XEN_ARGO_RING_SHARED: u32 = 2;
        /// The ring is empty.
        pub const XEN_ARGO_RING_EMPTY: u32 = 4;
        /// Enough space.
        pub const XEN_ARGO_RING_SUFFICIENT: u32 = 8;
        /// Message too big.
        pub const XEN_ARGO_RING_EMSGSIZE: u32 = 0x10;
        /// Ring busy.
        pub const XEN_ARGO_RING_EBUSY: u32 = 0x20;
        /// Fail if the ring exists.
        pub const XEN_ARGO_REGISTER_FLAG_FAIL_EXIST: u32 = 1;
        /// Every defined register flag (Xen-internal; Xen rejects any other bit).
        pub const XEN_ARGO_REGISTER_FLAG_MASK: u32 = XEN_ARGO_REGISTER_FLAG_FAIL_EXIST => since "__XEN__ only";
    }
}
