//! `xen/include/public/io/netif.h` (Xen 4.20): the PV network protocol's transmit and receive
//! ring entries and flags. Extra-info slots (GSO, multicast, hash) are not yet mirrored.

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
    }
}
