//! `xen/include/public/io/blkif.h` (Xen 4.20): the PV block protocol's ring entries
//! (x86_64/arm64 layout) and constants. Use with [`super::ring`]: 32 entries fit a 4 KiB page.

xen_abi! {
    header "io/blkif.h";
    structs {
        /// `struct blkif_request_segment`: one granted page of a request.
        "struct blkif_request_segment" size 8 align 4;
        pub struct BlkifRequestSegment {
            /// Grant of the data page.
            0 gref: u32,
            /// First 512-byte sector in the page.
            4 first_sect: u8,
            /// Last sector in the page.
            5 last_sect: u8,
            /// Padding.
            6 _gap0: [u8; 2],
        }

        /// `struct blkif_request`: a read/write/flush request on the block ring.
        "struct blkif_request" size 112 align 8;
        pub struct BlkifRequest {
            /// `BLKIF_OP_*`.
            0 operation: u8,
            /// Segments used.
            1 nr_segments: u8,
            /// Virtual device.
            2 handle: u16,
            /// Padding.
            4 _gap0: [u8; 4],
            /// Echoed in the response.
            8 id: u64,
            /// Start sector.
            16 sector_number: u64,
            /// The segments.
            24 seg: [BlkifRequestSegment; 11],
        }

        /// `struct blkif_request_discard` (`BLKIF_OP_DISCARD`).
        "struct blkif_request_discard" size 32 align 8;
        pub struct BlkifRequestDiscard {
            /// `BLKIF_OP_DISCARD`.
            0 operation: u8,
            /// `BLKIF_DISCARD_SECURE`.
            1 flag: u8,
            /// Virtual device.
            2 handle: u16,
            /// Padding.
            4 _gap0: [u8; 4],
            /// Echoed in the response.
            8 id: u64,
            /// Start sector.
            16 sector_number: u64,
            /// Sectors.
            24 nr_sectors: u64,
        }

        /// `struct blkif_request_indirect` (`BLKIF_OP_INDIRECT`).
        "struct blkif_request_indirect" size 64 align 8;
        pub struct BlkifRequestIndirect {
            /// `BLKIF_OP_INDIRECT`.
            0 operation: u8,
            /// The real operation.
            1 indirect_op: u8,
            /// Segments.
            2 nr_segments: u16,
            /// Padding.
            4 _gap0: [u8; 4],
            /// Echoed in the response.
            8 id: u64,
            /// Start sector.
            16 sector_number: u64,
            /// Virtual device.
            24 handle: u16,
            /// Padding.
            26 _gap1: [u8; 2],
            /// Pages of segment descriptors.
            28 indirect_grefs: [u32; 8],
            /// Padding.
            60 _gap2: [u8; 4],
        }

        /// `struct blkif_response`.
        "struct blkif_response" size 16 align 8;
        pub struct BlkifResponse {
            /// The request's id.
            0 id: u64,
            /// The request's operation.
            8 operation: u8,
            /// Padding.
            9 _gap0: [u8; 1],
            /// `BLKIF_RSP_*`.
            10 status: i16,
            /// Padding.
            12 _gap1: [u8; 4],
        }
    }
    consts {
        /// `info` flag: the disk is a CD-ROM.
        pub const VDISK_CDROM: u32 = 1;
        /// `info` flag: removable media.
        pub const VDISK_REMOVABLE: u32 = 2;
        /// `info` flag: read-only.
        pub const VDISK_READONLY: u32 = 4;
        /// Read.
        pub const BLKIF_OP_READ: u32 = 0;
        /// Write.
        pub const BLKIF_OP_WRITE: u32 = 1;
        /// Write with barrier.
        pub const BLKIF_OP_WRITE_BARRIER: u32 = 2;
        /// Flush the disk cache.
        pub const BLKIF_OP_FLUSH_DISKCACHE: u32 = 3;
        /// Reserved.
        pub const BLKIF_OP_RESERVED_1: u32 = 4;
        /// Discard.
        pub const BLKIF_OP_DISCARD: u32 = 5;
        /// Indirect segments.
        pub const BLKIF_OP_INDIRECT: u32 = 6;
        /// Direct segments per request.
        pub const BLKIF_MAX_SEGMENTS_PER_REQUEST: u32 = 0xb;
        /// Indirect pages per request.
        pub const BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST: u32 = 8;
        /// Not supported.
        pub const BLKIF_RSP_EOPNOTSUPP: i32 = -2;
        /// Error.
        pub const BLKIF_RSP_ERROR: i32 = -1;
        /// Success.
        pub const BLKIF_RSP_OKAY: i32 = 0;
        /// Secure discard.
        pub const BLKIF_DISCARD_SECURE: u32 = 1;
    }
}
