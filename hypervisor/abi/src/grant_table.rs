//! `xen/include/public/grant_table.h` (Xen 4.20): grant entries (v1, v2 and status frames),
//! `GTF_*` flags, every `GNTTABOP_*` argument, `GNTMAP_*` and `GNTST_*`.

use crate::GuestHandle;
use crate::xen::{DomId, XenPfn};

/// `grant_ref_t`.
pub type GrantRef = u32;
/// `grant_handle_t`.
pub type GrantHandle = u32;
/// `grant_status_t`: one entry of a v2 status frame (`GTF_reading`/`GTF_writing`).
pub type GrantStatus = u16;

xen_abi! {
    header "grant_table.h";
    structs {
        /// `struct grant_entry_v1`.
        "struct grant_entry_v1" size 8 align 4;
        pub struct GrantEntryV1 {
            /// `GTF_*`.
            0 flags: u16,
            /// The domain allowed to use the grant.
            2 domid: DomId,
            /// The frame.
            4 frame: u32,
        }

        /// `struct grant_entry_header`: the first word of a v2 entry.
        "struct grant_entry_header" size 4 align 2;
        pub struct GrantEntryHeader {
            /// `GTF_*`.
            0 flags: u16,
            /// The domain allowed to use the grant.
            2 domid: DomId,
        }

        /// `union grant_entry_v2`, as its `full_page` arm; see [`GrantEntryV2SubPage`] and
        /// [`GrantEntryV2Transitive`] for the others (same 16 bytes).
        "union grant_entry_v2" size 16 align 8;
        pub struct GrantEntryV2 {
            /// Flags and domain.
            0 hdr: GrantEntryHeader,
            /// Unused in the full-page form.
            4 pad0 as "full_page.pad0": u32,
            /// The frame.
            8 frame as "full_page.frame": u64,
        }

        /// The `sub_page` arm of `union grant_entry_v2` (`GTF_sub_page`).
        "__typeof__(((union grant_entry_v2 *)0)->sub_page)" size 16 align 8;
        pub struct GrantEntryV2SubPage {
            /// Flags and domain.
            0 hdr: GrantEntryHeader,
            /// Offset in the page.
            4 page_off: u16,
            /// Length.
            6 length: u16,
            /// The frame.
            8 frame: u64,
        }

        /// The `transitive` arm of `union grant_entry_v2` (`GTF_transitive`).
        "__typeof__(((union grant_entry_v2 *)0)->transitive)" size 12 align 4;
        pub struct GrantEntryV2Transitive {
            /// Flags and domain.
            0 hdr: GrantEntryHeader,
            /// The domain holding the original grant.
            4 trans_domid: DomId,
            /// Unused.
            6 pad0: u16,
            /// The original grant.
            8 gref: GrantRef,
        }

        /// `struct gnttab_map_grant_ref` (`GNTTABOP_map_grant_ref`).
        "struct gnttab_map_grant_ref" size 32 align 8;
        pub struct GnttabMapGrantRef {
            /// Where to map (PV: virtual or PTE address; HVM: gpa).
            0 host_addr: u64,
            /// `GNTMAP_*`.
            8 flags: u32,
            /// The grant.
            12 r#ref as "ref": GrantRef,
            /// The granting domain.
            16 dom: DomId,
            /// Out: `GNTST_*`.
            18 status: i16,
            /// Out: the mapping handle.
            20 handle: GrantHandle,
            /// Out: the bus address (device maps).
            24 dev_bus_addr: u64,
        }

        /// `struct gnttab_unmap_grant_ref` (`GNTTABOP_unmap_grant_ref`).
        "struct gnttab_unmap_grant_ref" size 24 align 8;
        pub struct GnttabUnmapGrantRef {
            /// The mapping's address.
            0 host_addr: u64,
            /// The bus address.
            8 dev_bus_addr: u64,
            /// The mapping handle.
            16 handle: GrantHandle,
            /// Out: `GNTST_*`.
            20 status: i16,
            /// Padding.
            22 _pad0: u16,
        }

        /// `struct gnttab_setup_table` (`GNTTABOP_setup_table`).
        "struct gnttab_setup_table" size 24 align 8;
        pub struct GnttabSetupTable {
            /// The domain.
            0 dom: DomId,
            /// Padding.
            2 _pad0: u16,
            /// Frames wanted.
            4 nr_frames: u32,
            /// Out: `GNTST_*`.
            8 status: i16,
            /// Padding.
            10 _pad1: [u16; 3],
            /// Out: the frames (PV).
            16 frame_list: GuestHandle<XenPfn>,
        }

        /// `struct gnttab_dump_table` (`GNTTABOP_dump_table`).
        "struct gnttab_dump_table" size 4 align 2;
        pub struct GnttabDumpTable {
            /// The domain.
            0 dom: DomId,
            /// Out: `GNTST_*`.
            2 status: i16,
        }

        /// `struct gnttab_transfer` (`GNTTABOP_transfer`).
        "struct gnttab_transfer" size 24 align 8;
        pub struct GnttabTransfer {
            /// The frame given away.
            0 mfn: XenPfn,
            /// The receiver.
            8 domid: DomId,
            /// Padding.
            10 _pad0: u16,
            /// The receiver's transfer grant.
            12 r#ref as "ref": GrantRef,
            /// Out: `GNTST_*`.
            16 status: i16,
            /// Padding.
            18 _pad1: [u16; 3],
        }

        /// `struct gnttab_copy_ptr`: one side of a grant copy.
        "struct gnttab_copy_ptr" size 16 align 8;
        pub struct GnttabCopyPtr {
            /// `u.ref` (with `GNTCOPY_*_gref`) or `u.gmfn`.
            0 u as "u.gmfn": u64,
            /// The domain.
            8 domid: DomId,
            /// Offset in the page.
            10 offset: u16,
            /// Padding.
            12 _pad0: u32,
        }

        /// `struct gnttab_copy` (`GNTTABOP_copy`).
        "struct gnttab_copy" size 40 align 8;
        pub struct GnttabCopy {
            /// Source.
            0 source: GnttabCopyPtr,
            /// Destination.
            16 dest: GnttabCopyPtr,
            /// Bytes.
            32 len: u16,
            /// `GNTCOPY_*`.
            34 flags: u16,
            /// Out: `GNTST_*`.
            36 status: i16,
            /// Padding.
            38 _pad0: u16,
        }

        /// `struct gnttab_query_size` (`GNTTABOP_query_size`).
        "struct gnttab_query_size" size 16 align 4;
        pub struct GnttabQuerySize {
            /// The domain.
            0 dom: DomId,
            /// Padding.
            2 _pad0: u16,
            /// Out: current frames.
            4 nr_frames: u32,
            /// Out: the limit.
            8 max_nr_frames: u32,
            /// Out: `GNTST_*`.
            12 status: i16,
            /// Padding.
            14 _pad1: u16,
        }

        /// `struct gnttab_unmap_and_replace` (`GNTTABOP_unmap_and_replace`).
        "struct gnttab_unmap_and_replace" size 24 align 8;
        pub struct GnttabUnmapAndReplace {
            /// The mapping's address.
            0 host_addr: u64,
            /// The address whose mapping replaces it.
            8 new_addr: u64,
            /// The mapping handle.
            16 handle: GrantHandle,
            /// Out: `GNTST_*`.
            20 status: i16,
            /// Padding.
            22 _pad0: u16,
        }

        /// `struct gnttab_set_version` (`GNTTABOP_set_version`).
        "struct gnttab_set_version" size 4 align 4;
        pub struct GnttabSetVersion {
            /// In: 1 or 2; out: the version in force.
            0 version: u32,
        }

        /// `struct gnttab_get_status_frames` (`GNTTABOP_get_status_frames`).
        "struct gnttab_get_status_frames" size 16 align 8;
        pub struct GnttabGetStatusFrames {
            /// Frames wanted.
            0 nr_frames: u32,
            /// The domain.
            4 dom: DomId,
            /// Out: `GNTST_*`.
            6 status: i16,
            /// Out: the frames.
            8 frame_list: GuestHandle<u64>,
        }

        /// `struct gnttab_get_version` (`GNTTABOP_get_version`).
        "struct gnttab_get_version" size 8 align 4;
        pub struct GnttabGetVersion {
            /// The domain.
            0 dom: DomId,
            /// Unused.
            2 pad: u16,
            /// Out: the version.
            4 version: u32,
        }

        /// `struct gnttab_swap_grant_ref` (`GNTTABOP_swap_grant_ref`).
        "struct gnttab_swap_grant_ref" size 12 align 4;
        pub struct GnttabSwapGrantRef {
            /// First grant.
            0 ref_a: GrantRef,
            /// Second grant.
            4 ref_b: GrantRef,
            /// Out: `GNTST_*`.
            8 status: i16,
            /// Padding.
            10 _pad0: u16,
        }

        /// `struct gnttab_cache_flush` (`GNTTABOP_cache_flush`, Arm).
        "struct gnttab_cache_flush" size 16 align 8;
        pub struct GnttabCacheFlush {
            /// `a.dev_bus_addr`, or `a.ref` with `GNTTAB_CACHE_SOURCE_GREF`.
            0 a as "a.dev_bus_addr": u64,
            /// Offset.
            8 offset: u16,
            /// Length.
            10 length: u16,
            /// `GNTTAB_CACHE_*`.
            12 op: u32,
        }
    }
    enums {
        /// A `HYPERVISOR_grant_table_op` command (`GNTTABOP_*`).
        pub enum GnttabOp: u32 {
            /// Map grants.
            MapGrantRef = GNTTABOP_map_grant_ref = 0,
            /// Unmap grants.
            UnmapGrantRef = GNTTABOP_unmap_grant_ref = 1,
            /// Size the table (and, PV, get its frames).
            SetupTable = GNTTABOP_setup_table = 2,
            /// Dump to the console.
            DumpTable = GNTTABOP_dump_table = 3,
            /// Transfer pages.
            Transfer = GNTTABOP_transfer = 4,
            /// Copy between grants.
            Copy = GNTTABOP_copy = 5,
            /// Query the table size.
            QuerySize = GNTTABOP_query_size = 6,
            /// Unmap and replace (PV).
            UnmapAndReplace = GNTTABOP_unmap_and_replace = 7,
            /// Choose v1 or v2.
            SetVersion = GNTTABOP_set_version = 8,
            /// v2 status frames.
            GetStatusFrames = GNTTABOP_get_status_frames = 9,
            /// The version in force.
            GetVersion = GNTTABOP_get_version = 10,
            /// Swap two entries.
            SwapGrantRef = GNTTABOP_swap_grant_ref = 11,
            /// Cache maintenance (Arm).
            CacheFlush = GNTTABOP_cache_flush = 12,
        }

        /// A grant operation status (`GNTST_*`).
        pub enum GntSt: i16 {
            /// Success.
            Okay = GNTST_okay = 0,
            /// Undefined error.
            GeneralError = GNTST_general_error = -1,
            /// Unknown domain.
            BadDomain = GNTST_bad_domain = -2,
            /// Bad grant reference.
            BadGntref = GNTST_bad_gntref = -3,
            /// Bad mapping handle.
            BadHandle = GNTST_bad_handle = -4,
            /// Bad virtual address.
            BadVirtAddr = GNTST_bad_virt_addr = -5,
            /// Bad device address.
            BadDevAddr = GNTST_bad_dev_addr = -6,
            /// No IOMMU slot.
            NoDeviceSpace = GNTST_no_device_space = -7,
            /// Permission denied.
            PermissionDenied = GNTST_permission_denied = -8,
            /// Bad page.
            BadPage = GNTST_bad_page = -9,
            /// Copy crosses a page.
            BadCopyArg = GNTST_bad_copy_arg = -10,
            /// Address too big.
            AddressTooBig = GNTST_address_too_big = -11,
            /// Try again.
            Eagain = GNTST_eagain = -12,
            /// Out of space.
            NoSpace = GNTST_no_space = -13,
        }
    }
    consts {
        /// Entries reserved at the start of the table.
        pub const GNTTAB_NR_RESERVED_ENTRIES: u32 = 8;
        /// Reserved entry: the console ring.
        pub const GNTTAB_RESERVED_CONSOLE: u32 = 0;
        /// Reserved entry: the xenstore ring.
        pub const GNTTAB_RESERVED_XENSTORE: u32 = 1;
        /// Entry type: unused.
        pub const GTF_invalid: u32 = 0;
        /// Entry type: access grant.
        pub const GTF_permit_access: u32 = 1;
        /// Entry type: transfer grant.
        pub const GTF_accept_transfer: u32 = 2;
        /// Entry type: transitive grant (v2).
        pub const GTF_transitive: u32 = 3;
        /// Mask of the entry type.
        pub const GTF_type_mask: u32 = 3;
        /// Read-only.
        pub const GTF_readonly: u32 = 1 << 2;
        /// In use for reading.
        pub const GTF_reading: u32 = 1 << 3;
        /// In use for writing.
        pub const GTF_writing: u32 = 1 << 4;
        /// Write-through.
        pub const GTF_PWT: u32 = 1 << 5;
        /// Cache disable.
        pub const GTF_PCD: u32 = 1 << 6;
        /// PAT.
        pub const GTF_PAT: u32 = 1 << 7;
        /// Sub-page grant (v2).
        pub const GTF_sub_page: u32 = 1 << 8;
        /// Transfer committed.
        pub const GTF_transfer_committed: u32 = 1 << 2;
        /// Transfer completed.
        pub const GTF_transfer_completed: u32 = 1 << 3;
        /// `gnttab_copy.flags`: the source is a grant.
        pub const GNTCOPY_source_gref: u32 = 1 << 0;
        /// The destination is a grant.
        pub const GNTCOPY_dest_gref: u32 = 1 << 1;
        /// Cache clean.
        pub const GNTTAB_CACHE_CLEAN: u32 = 1 << 0;
        /// Cache invalidate.
        pub const GNTTAB_CACHE_INVAL: u32 = 1 << 1;
        /// `a` is a grant reference.
        pub const GNTTAB_CACHE_SOURCE_GREF: u32 = 1 << 31;
        /// Map for device access.
        pub const GNTMAP_device_map: u32 = 1 << 0;
        /// Map for host access.
        pub const GNTMAP_host_map: u32 = 1 << 1;
        /// Read-only.
        pub const GNTMAP_readonly: u32 = 1 << 2;
        /// User-accessible (PV).
        pub const GNTMAP_application_map: u32 = 1 << 3;
        /// `host_addr` is a PTE address (PV).
        pub const GNTMAP_contains_pte: u32 = 1 << 4;
        /// Bits guests may use.
        pub const GNTMAP_guest_avail_mask: u32 = 0xffff_0000;
    }
}
