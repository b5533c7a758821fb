//! `xen/include/public/io/netif.h` (Xen 4.20): the PV network protocol's transmit and receive
//! ring entries and flags, the extra-info slots (GSO, multicast, hash) and the control ring's
//! request, response and grant-reference entries.

xen_abi! {
    header "io/netif.h";
    structs {
        /// `struct netif_tx_request`: one transmit slot.
        "struct netif_tx_request" size 12 align 4;
        pub struct NetifTxRequest {
            /// Grant of the packet data.
            0 gref: u32,
            /// Offset in the page.
            4 offset: u16,
            /// `NETTXF_*`.
            6 flags: u16,
            /// Echoed in the response.
            8 id: u16,
            /// Packet size (first slot) or fragment size.
            10 size: u16,
        }

        /// `struct netif_tx_response`.
        "struct netif_tx_response" size 4 align 2;
        pub struct NetifTxResponse {
            /// The request's id.
            0 id: u16,
            /// `NETIF_RSP_*`.
            2 status: i16,
        }

        /// `struct netif_rx_request`: one receive buffer.
        "struct netif_rx_request" size 8 align 4;
        pub struct NetifRxRequest {
            /// Echoed in the response.
            0 id: u16,
            /// Unused.
            2 pad: u16,
            /// Grant of the buffer.
            4 gref: u32,
        }

        /// `struct netif_rx_response`.
        "struct netif_rx_response" size 8 align 2;
        pub struct NetifRxResponse {
            /// The request's id.
            0 id: u16,
            /// Data offset in the page.
            2 offset: u16,
            /// `NETRXF_*`.
            4 flags: u16,
            /// Bytes received, or `NETIF_RSP_*` when negative.
            6 status: i16,
        }

        /// `__typeof__(((struct netif_extra_info *)0)->u.gso)`.
        "__typeof__(((struct netif_extra_info *)0)->u.gso)" size 6 align 2;
        pub struct NetifExtraInfoGso {
            /// Size in bytes.
            0 size: u16,
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            2 type_ as "type": u8,
            /// Unused; zero.
            3 pad: u8,
            /// `features`.
            4 features: u16,
        }

        /// `__typeof__(((struct netif_extra_info *)0)->u.mcast)`.
        "__typeof__(((struct netif_extra_info *)0)->u.mcast)" size 6 align 1;
        pub struct NetifExtraInfoMcast {
            /// `addr`.
            0 addr: [u8; 6],
        }

        /// `__typeof__(((struct netif_extra_info *)0)->u.hash)`.
        "__typeof__(((struct netif_extra_info *)0)->u.hash)" size 6 align 1;
        pub struct NetifExtraInfoHash {
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            0 type_ as "type": u8,
            /// `algorithm`.
            1 algorithm: u8,
            /// Value.
            2 value: [u8; 4],
        }

        /// `struct netif_extra_info`.
        "struct netif_extra_info" size 8 align 2;
        pub struct NetifExtraInfo {
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            0 type_ as "type": u8,
            /// Flag bits.
            1 flags: u8,
            /// Union of the sub-op argument structs.
            2 u: [u16; 3],
        }

        /// `struct xen_netif_ctrl_request`.
        "struct xen_netif_ctrl_request" size 16 align 4;
        pub struct XenNetifCtrlRequest {
            /// `id`.
            0 id: u16,
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            2 type_ as "type": u16,
            /// Guest buffer with the data.
            4 data: [u32; 3],
        }

        /// `struct xen_netif_ctrl_response`.
        "struct xen_netif_ctrl_response" size 12 align 4;
        pub struct XenNetifCtrlResponse {
            /// `id`.
            0 id: u16,
            /// The kind of request (a `*_TYPE_*` or sub-op value).
            2 type_ as "type": u16,
            /// Status.
            4 status: u32,
            /// Guest buffer with the data.
            8 data: u32,
        }

        /// `struct xen_netif_gref`.
        "struct xen_netif_gref" size 8 align 4;
        pub struct XenNetifGref {
            /// `ref`.
            0 ref_ as "ref": u32,
            /// Flag bits.
            4 flags: u16,
            /// Status.
            6 status: u16,
        }
    }
    consts {
        /// Checksum not yet computed.
        pub const NETTXF_csum_blank: u32 = 1;
        /// Checksum validated.
        pub const NETTXF_data_validated: u32 = 2;
        /// More fragments follow.
        pub const NETTXF_more_data: u32 = 4;
        /// An extra-info slot follows.
        pub const NETTXF_extra_info: u32 = 8;
        /// Checksum validated.
        pub const NETRXF_data_validated: u32 = 1;
        /// Checksum not yet computed.
        pub const NETRXF_csum_blank: u32 = 2;
        /// More fragments follow.
        pub const NETRXF_more_data: u32 = 4;
        /// An extra-info slot follows.
        pub const NETRXF_extra_info: u32 = 8;
        /// GSO prefix.
        pub const NETRXF_gso_prefix: u32 = 0x10;
        /// Dropped.
        pub const NETIF_RSP_DROPPED: i32 = -2;
        /// Error.
        pub const NETIF_RSP_ERROR: i32 = -1;
        /// Success.
        pub const NETIF_RSP_OKAY: i32 = 0;
        /// No response (padding).
        pub const NETIF_RSP_NULL: i32 = 1;
        /// `XEN_NETIF_NR_SLOTS_MIN`.
        pub const XEN_NETIF_NR_SLOTS_MIN: u32 = 0x12;
        /// `XEN_NETIF_CTRL_HASH_ALGORITHM_NONE`.
        pub const XEN_NETIF_CTRL_HASH_ALGORITHM_NONE: u32 = 0;
        /// `XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ`.
        pub const XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ: u32 = 1;
        /// Hash over IPv4 addresses.
        pub const XEN_NETIF_CTRL_HASH_TYPE_IPV4: u32 = 1;
        /// Hash over IPv4 addresses and TCP ports.
        pub const XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP: u32 = 2;
        /// Hash over IPv6 addresses.
        pub const XEN_NETIF_CTRL_HASH_TYPE_IPV6: u32 = 4;
        /// Hash over IPv6 addresses and TCP ports.
        pub const XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP: u32 = 8;
        /// `XEN_NETIF_CTRL_TYPE_INVALID`.
        pub const XEN_NETIF_CTRL_TYPE_INVALID: u32 = 0;
        /// `XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS`.
        pub const XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS: u32 = 1;
        /// `XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS`.
        pub const XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS: u32 = 2;
        /// `XEN_NETIF_CTRL_TYPE_SET_HASH_KEY`.
        pub const XEN_NETIF_CTRL_TYPE_SET_HASH_KEY: u32 = 3;
        /// `XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE`.
        pub const XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE: u32 = 4;
        /// `XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE`.
        pub const XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE: u32 = 5;
        /// `XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING`.
        pub const XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING: u32 = 6;
        /// `XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM`.
        pub const XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM: u32 = 7;
        /// `XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE`.
        pub const XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE: u32 = 8;
        /// `XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING`.
        pub const XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING: u32 = 9;
        /// `XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING`.
        pub const XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING: u32 = 0xa;
        /// `XEN_NETIF_CTRL_STATUS_SUCCESS`.
        pub const XEN_NETIF_CTRL_STATUS_SUCCESS: u32 = 0;
        /// `XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED`.
        pub const XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED: u32 = 1;
        /// `XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER`.
        pub const XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER: u32 = 2;
        /// `XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW`.
        pub const XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW: u32 = 3;
        /// `XEN_NETIF_CTRLF_GREF_readonly`.
        pub const XEN_NETIF_CTRLF_GREF_readonly: u32 = 1;
        /// `XEN_NETIF_MAX_TX_SIZE`.
        pub const XEN_NETIF_MAX_TX_SIZE: u32 = 0xffff;
        /// `XEN_NETIF_EXTRA_TYPE_NONE`.
        pub const XEN_NETIF_EXTRA_TYPE_NONE: u32 = 0;
        /// `XEN_NETIF_EXTRA_TYPE_GSO`.
        pub const XEN_NETIF_EXTRA_TYPE_GSO: u32 = 1;
        /// `XEN_NETIF_EXTRA_TYPE_MCAST_ADD`.
        pub const XEN_NETIF_EXTRA_TYPE_MCAST_ADD: u32 = 2;
        /// `XEN_NETIF_EXTRA_TYPE_MCAST_DEL`.
        pub const XEN_NETIF_EXTRA_TYPE_MCAST_DEL: u32 = 3;
        /// `XEN_NETIF_EXTRA_TYPE_HASH`.
        pub const XEN_NETIF_EXTRA_TYPE_HASH: u32 = 4;
        /// `XEN_NETIF_EXTRA_TYPE_MAX`.
        pub const XEN_NETIF_EXTRA_TYPE_MAX: u32 = 5;
        /// `XEN_NETIF_EXTRA_FLAG_MORE`.
        pub const XEN_NETIF_EXTRA_FLAG_MORE: u32 = 1;
        /// `XEN_NETIF_GSO_TYPE_NONE`.
        pub const XEN_NETIF_GSO_TYPE_NONE: u32 = 0;
        /// `XEN_NETIF_GSO_TYPE_TCPV4`.
        pub const XEN_NETIF_GSO_TYPE_TCPV4: u32 = 1;
        /// `XEN_NETIF_GSO_TYPE_TCPV6`.
        pub const XEN_NETIF_GSO_TYPE_TCPV6: u32 = 2;
    }
}
