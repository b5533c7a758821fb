//! `xen/include/public/memory.h` (Xen 4.20): `HYPERVISOR_memory_op` — reservations, exchange,
//! the physmap (`add_to_physmap`, `_batch`, `remove_from_physmap`), the memory map, machphys,
//! PoD, paging/access/sharing (toolstack), reserved device memory, `acquire_resource` and vNUMA.
//!
//! The `cmd` argument carries a continuation in its high bits: the sub-op is `cmd & MEMOP_CMD_MASK`.

use crate::GuestHandle;
use crate::physdev::PhysdevPciDevice;
use crate::xen::{DomId, XenPfn, XenUlong};

/// Shift of the continuation's start extent in `cmd` (`xen/include/xen/hypercall.h`; not in the
/// public header, but every guest relies on it through preemption).
pub const MEMOP_EXTENT_SHIFT: u32 = 6;
/// The sub-op bits of `cmd`.
pub const MEMOP_CMD_MASK: u32 = (1 << MEMOP_EXTENT_SHIFT) - 1;

xen_abi! {
    header "memory.h";
    structs {
        /// `struct xen_memory_reservation`.
        "struct xen_memory_reservation" size 32 align 8;
        pub struct XenMemoryReservation {
            /// The extents (frame numbers in or out).
            0 extent_start: GuestHandle<XenPfn>,
            /// How many.
            8 nr_extents: XenUlong,
            /// Order of each extent.
            16 extent_order: u32,
            /// `XENMEMF_*`.
            20 mem_flags: u32,
            /// The domain.
            24 domid: DomId,
            /// Padding.
            26 _pad0: [u16; 3],
        }

        /// `struct xen_memory_exchange` (`XENMEM_exchange`).
        "struct xen_memory_exchange" size 72 align 8;
        pub struct XenMemoryExchange {
            /// Extents given up.
            0 r#in as "in": XenMemoryReservation,
            /// Extents received.
            32 out: XenMemoryReservation,
            /// Out: progress.
            64 nr_exchanged: XenUlong,
        }

        /// `struct xen_memory_domain` (`XENMEM_current/maximum_reservation`, `maximum_gpfn`).
        "struct xen_memory_domain" size 2 align 2;
        pub struct XenMemoryDomain {
            /// The domain.
            0 domid: DomId,
        }

        /// `struct xen_machphys_mfn_list` (`XENMEM_machphys_mfn_list`).
        "struct xen_machphys_mfn_list" size 24 align 8;
        pub struct XenMachphysMfnList {
            /// Capacity of the list.
            0 max_extents: u32,
            /// Padding.
            4 _pad0: u32,
            /// The list.
            8 extent_start: GuestHandle<XenPfn>,
            /// Out: entries written.
            16 nr_extents: u32,
            /// Padding.
            20 _pad1: u32,
        }

        /// `struct xen_machphys_mapping` (`XENMEM_machphys_mapping`).
        "struct xen_machphys_mapping" size 24 align 8;
        pub struct XenMachphysMapping {
            /// Start of the M2P.
            0 v_start: XenUlong,
            /// End of the M2P.
            8 v_end: XenUlong,
            /// Highest MFN it covers.
            16 max_mfn: XenUlong,
        }

        /// `struct xen_add_to_physmap` (`XENMEM_add_to_physmap`).
        "struct xen_add_to_physmap" size 24 align 8;
        pub struct XenAddToPhysmap {
            /// The domain.
            0 domid: DomId,
            /// Number of pages for `XENMAPSPACE_gmfn_range`.
            2 size: u16,
            /// `XENMAPSPACE_*`.
            4 space: u32,
            /// Index in the space (`XENMAPIDX_grant_table_status` for status frames).
            8 idx: XenUlong,
            /// Where to map it.
            16 gpfn: XenPfn,
        }

        /// `struct xen_add_to_physmap_batch` (`XENMEM_add_to_physmap_batch`).
        "struct xen_add_to_physmap_batch" size 32 align 8;
        pub struct XenAddToPhysmapBatch {
            /// The domain.
            0 domid: DomId,
            /// `XENMAPSPACE_*`.
            2 space: u16,
            /// Number of entries.
            4 size: u16,
            /// `u.foreign_domid` (for `XENMAPSPACE_gmfn_foreign`) or `u.res0`.
            6 foreign_domid as "u.foreign_domid": DomId,
            /// Indices.
            8 idxs: GuestHandle<XenUlong>,
            /// Target frames.
            16 gpfns: GuestHandle<XenPfn>,
            /// Out: per-entry errors.
            24 errs: GuestHandle<i32>,
        }

        /// `struct xen_remove_from_physmap` (`XENMEM_remove_from_physmap`).
        "struct xen_remove_from_physmap" size 16 align 8;
        pub struct XenRemoveFromPhysmap {
            /// The domain.
            0 domid: DomId,
            /// Padding.
            2 _pad0: [u16; 3],
            /// The frame.
            8 gpfn: XenPfn,
        }

        /// `struct xen_memory_map` (`XENMEM_memory_map`, `machine_memory_map`).
        "struct xen_memory_map" size 16 align 8;
        pub struct XenMemoryMap {
            /// In: capacity; out: entries (e820 entries on x86).
            0 nr_entries: u32,
            /// Padding.
            4 _pad0: u32,
            /// The entries.
            8 buffer: GuestHandle<u8>,
        }

        /// `struct xen_foreign_memory_map` (`XENMEM_set_memory_map`).
        "struct xen_foreign_memory_map" size 24 align 8;
        pub struct XenForeignMemoryMap {
            /// The domain.
            0 domid: DomId,
            /// Padding.
            2 _pad0: [u16; 3],
            /// The map.
            8 map: XenMemoryMap,
        }

        /// `struct xen_pod_target` (`XENMEM_set/get_pod_target`).
        "struct xen_pod_target" size 40 align 8;
        pub struct XenPodTarget {
            /// Target pages.
            0 target_pages: u64,
            /// Out: total pages.
            8 tot_pages: u64,
            /// Out: PoD cache pages.
            16 pod_cache_pages: u64,
            /// Out: PoD entries.
            24 pod_entries: u64,
            /// The domain.
            32 domid: DomId,
            /// Padding.
            34 _pad0: [u16; 3],
        }

        /// `struct xen_mem_paging_op` (`XENMEM_paging_op`, toolstack).
        "struct xen_mem_paging_op" size 24 align 8;
        pub struct XenMemPagingOp {
            /// `XENMEM_paging_op_*`.
            0 op: u8,
            /// Padding.
            1 _pad0: u8,
            /// The domain.
            2 domain: DomId,
            /// Padding.
            4 _pad1: u32,
            /// Page contents for `prep`.
            8 buffer: GuestHandle<u8>,
            /// The frame.
            16 gfn: u64,
        }

        /// `struct xen_mem_access_op` (`XENMEM_access_op`, toolstack).
        "struct xen_mem_access_op" size 32 align 8;
        pub struct XenMemAccessOp {
            /// `XENMEM_access_op_*`.
            0 op: u8,
            /// `xenmem_access_t`.
            1 access: u8,
            /// The domain.
            2 domid: DomId,
            /// Number of pages.
            4 nr: u32,
            /// First frame.
            8 pfn: u64,
            /// Frames for `set_access_multi`.
            16 pfn_list: GuestHandle<u64>,
            /// Accesses for `set_access_multi`.
            24 access_list: GuestHandle<u8>,
        }

        /// `struct xen_mem_sharing_op` (`XENMEM_sharing_op`, toolstack).
        "struct xen_mem_sharing_op" size 48 align 8;
        pub struct XenMemSharingOp {
            /// `XENMEM_sharing_op_*`.
            0 op: u8,
            /// Padding.
            1 _pad0: u8,
            /// The domain.
            2 domain: DomId,
            /// Padding.
            4 _pad1: u32,
            /// The per-op union (`nominate`, `share`, `range`, `debug`, `fork`).
            8 u: [u64; 5],
        }

        /// `struct mem_sharing_op_nominate`: `xen_mem_sharing_op.u.nominate`.
        "struct mem_sharing_op_nominate" size 16 align 8;
        pub struct MemSharingOpNominate {
            /// The frame, or (`nominate_gref`) the grant reference in the low 32 bits.
            0 u as "u.gfn": u64,
            /// Out: the sharing handle.
            8 handle: u64,
        }

        /// `struct mem_sharing_op_share`: `xen_mem_sharing_op.u.share` (share, add_physmap).
        "struct mem_sharing_op_share" size 40 align 8;
        pub struct MemSharingOpShare {
            /// Source frame.
            0 source_gfn: u64,
            /// Source handle.
            8 source_handle: u64,
            /// Client frame.
            16 client_gfn: u64,
            /// Client handle.
            24 client_handle: u64,
            /// Client domain.
            32 client_domain: DomId,
            /// Padding.
            34 _pad0: [u16; 3],
        }

        /// `struct mem_sharing_op_range`: `xen_mem_sharing_op.u.range` (range_share).
        "struct mem_sharing_op_range" size 32 align 8;
        pub struct MemSharingOpRange {
            /// First frame.
            0 first_gfn: u64,
            /// Last frame.
            8 last_gfn: u64,
            /// Continuation state; zero on the first call.
            16 opaque: u64,
            /// Client domain.
            24 client_domain: DomId,
            /// Must be zero.
            26 _pad: [u16; 3],
        }

        /// `struct mem_sharing_op_debug`: `xen_mem_sharing_op.u.debug`.
        "struct mem_sharing_op_debug" size 8 align 8;
        pub struct MemSharingOpDebug {
            /// The frame (gfn or mfn), or the grant reference in the low 32 bits.
            0 u as "u.gfn": u64,
        }

        /// `struct mem_sharing_op_fork`: `xen_mem_sharing_op.u.fork` (fork, fork_reset).
        "struct mem_sharing_op_fork" size 8 align 4;
        pub struct MemSharingOpFork {
            /// The parent domain.
            0 parent_domain: DomId,
            /// `XENMEM_FORK_*`.
            2 flags: u16,
            /// Must be zero.
            4 pad: u32,
        }

        /// `struct xen_reserved_device_memory`.
        "struct xen_reserved_device_memory" size 16 align 8;
        pub struct XenReservedDeviceMemory {
            /// First frame.
            0 start_pfn: XenPfn,
            /// Number of frames.
            8 nr_pages: XenUlong,
        }

        /// `struct xen_reserved_device_memory_map` (`XENMEM_reserved_device_memory_map`).
        "struct xen_reserved_device_memory_map" size 24 align 8;
        pub struct XenReservedDeviceMemoryMap {
            /// `XENMEM_RDM_ALL`.
            0 flags: u32,
            /// In: capacity; out: entries.
            4 nr_entries: u32,
            /// The entries.
            8 buffer: GuestHandle<XenReservedDeviceMemory>,
            /// The device (`dev.pci`) unless `XENMEM_RDM_ALL`.
            16 dev as "dev.pci": PhysdevPciDevice,
            /// Padding.
            20 _pad0: u32,
        }

        /// `struct xen_mem_acquire_resource` (`XENMEM_acquire_resource`).
        "struct xen_mem_acquire_resource" size 32 align 8;
        pub struct XenMemAcquireResource {
            /// The domain owning the resource.
            0 domid: DomId,
            /// `XENMEM_resource_*`.
            2 kind as "type": u16,
            /// Resource id within the type.
            4 id: u32,
            /// In: frames wanted (0: query the size); out: frames mapped.
            8 nr_frames: u32,
            /// Must be zero.
            12 pad: u32,
            /// First frame index.
            16 frame: u64,
            /// The caller's frames (or out: Xen's, for PV).
            24 frame_list: GuestHandle<XenPfn>,
        }

        /// `struct xen_vmemrange`.
        "struct xen_vmemrange" size 24 align 8;
        pub struct XenVmemrange {
            /// Start address.
            0 start: u64,
            /// End address.
            8 end: u64,
            /// Flags.
            16 flags: u32,
            /// Virtual node.
            20 nid: u32,
        }

        /// `struct xen_vnuma_topology_info` (`XENMEM_get_vnumainfo`).
        "struct xen_vnuma_topology_info" size 40 align 8;
        pub struct XenVnumaTopologyInfo {
            /// The domain.
            0 domid: DomId,
            /// Padding.
            2 pad: u16,
            /// Number of vnodes.
            4 nr_vnodes: u32,
            /// Number of vCPUs.
            8 nr_vcpus: u32,
            /// Number of vmemranges.
            12 nr_vmemranges: u32,
            /// Distance table.
            16 vdistance as "vdistance.h": GuestHandle<u32>,
            /// vCPU-to-vnode map.
            24 vcpu_to_vnode as "vcpu_to_vnode.h": GuestHandle<u32>,
            /// The ranges.
            32 vmemrange as "vmemrange.h": GuestHandle<XenVmemrange>,
        }
    }
    enums {
        /// A `HYPERVISOR_memory_op` command (`XENMEM_*`), after `& MEMOP_CMD_MASK`.
        pub enum MemoryOp: u32 {
            /// Add extents.
            IncreaseReservation = XENMEM_increase_reservation = 0,
            /// Give extents back.
            DecreaseReservation = XENMEM_decrease_reservation = 1,
            /// Highest machine frame.
            MaximumRamPage = XENMEM_maximum_ram_page = 2,
            /// Current pages.
            CurrentReservation = XENMEM_current_reservation = 3,
            /// Maximum pages.
            MaximumReservation = XENMEM_maximum_reservation = 4,
            /// M2P frames.
            MachphysMfnList = XENMEM_machphys_mfn_list = 5,
            /// Populate the physmap.
            PopulatePhysmap = XENMEM_populate_physmap = 6,
            /// Map a special frame.
            AddToPhysmap = XENMEM_add_to_physmap = 7,
            /// The domain's memory map.
            MemoryMap = XENMEM_memory_map = 9,
            /// The host memory map (dom0).
            MachineMemoryMap = XENMEM_machine_memory_map = 10,
            /// Exchange extents.
            Exchange = XENMEM_exchange = 11,
            /// Where the M2P is.
            MachphysMapping = XENMEM_machphys_mapping = 12,
            /// Set a domain's memory map (toolstack).
            SetMemoryMap = XENMEM_set_memory_map = 13,
            /// Highest gpfn.
            MaximumGpfn = XENMEM_maximum_gpfn = 14,
            /// Unmap a frame.
            RemoveFromPhysmap = XENMEM_remove_from_physmap = 15,
            /// Set the PoD target.
            SetPodTarget = XENMEM_set_pod_target = 16,
            /// Get the PoD target.
            GetPodTarget = XENMEM_get_pod_target = 17,
            /// Freed shared pages.
            GetSharingFreedPages = XENMEM_get_sharing_freed_pages = 18,
            /// Shared pages.
            GetSharingSharedPages = XENMEM_get_sharing_shared_pages = 19,
            /// Paging.
            PagingOp = XENMEM_paging_op = 20,
            /// Access control.
            AccessOp = XENMEM_access_op = 21,
            /// Sharing.
            SharingOp = XENMEM_sharing_op = 22,
            /// Map a batch of frames.
            AddToPhysmapBatch = XENMEM_add_to_physmap_batch = 23,
            /// Claim pages.
            ClaimPages = XENMEM_claim_pages = 24,
            /// Compat M2P frames.
            MachphysCompatMfnList = XENMEM_machphys_compat_mfn_list = 25,
            /// vNUMA topology.
            GetVnumainfo = XENMEM_get_vnumainfo = 26,
            /// Reserved device memory.
            ReservedDeviceMemoryMap = XENMEM_reserved_device_memory_map = 27,
            /// Map a resource's frames.
            AcquireResource = XENMEM_acquire_resource = 28,
        }

        /// An `add_to_physmap` space (`XENMAPSPACE_*`).
        pub enum MapSpace: u32 {
            /// The shared-info page.
            SharedInfo = XENMAPSPACE_shared_info = 0,
            /// A grant-table frame.
            GrantTable = XENMAPSPACE_grant_table = 1,
            /// Move a gmfn.
            Gmfn = XENMAPSPACE_gmfn = 2,
            /// Move a range of gmfns.
            GmfnRange = XENMAPSPACE_gmfn_range = 3,
            /// Map a foreign domain's gmfn.
            GmfnForeign = XENMAPSPACE_gmfn_foreign = 4,
            /// Device MMIO (Arm).
            DevMmio = XENMAPSPACE_dev_mmio = 5,
        }

        /// An `acquire_resource` type (`XENMEM_resource_*`).
        pub enum ResourceType: u16 {
            /// An ioreq server's pages.
            IoreqServer = XENMEM_resource_ioreq_server = 0,
            /// Grant-table frames.
            GrantTable = XENMEM_resource_grant_table = 1,
            /// vmtrace buffer.
            VmtraceBuf = XENMEM_resource_vmtrace_buf = 2,
        }

        /// A `XENMEM_sharing_op` command (`xen_mem_sharing_op.op`, `XENMEM_sharing_op_*`).
        pub enum MemSharingOpCmd: u8 {
            /// Nominate a frame for sharing.
            NominateGfn = XENMEM_sharing_op_nominate_gfn = 0,
            /// Nominate a granted frame for sharing.
            NominateGref = XENMEM_sharing_op_nominate_gref = 1,
            /// Share a nominated pair.
            Share = XENMEM_sharing_op_share = 2,
            /// Debug a frame by gfn.
            DebugGfn = XENMEM_sharing_op_debug_gfn = 3,
            /// Debug a frame by mfn.
            DebugMfn = XENMEM_sharing_op_debug_mfn = 4,
            /// Debug a frame by grant reference.
            DebugGref = XENMEM_sharing_op_debug_gref = 5,
            /// Map a shared frame into a client.
            AddPhysmap = XENMEM_sharing_op_add_physmap = 6,
            /// Audit the sharing state.
            Audit = XENMEM_sharing_op_audit = 7,
            /// Share a range.
            RangeShare = XENMEM_sharing_op_range_share = 8,
            /// Fork a domain.
            Fork = XENMEM_sharing_op_fork = 9,
            /// Reset a fork.
            ForkReset = XENMEM_sharing_op_fork_reset = 10,
        }
    }
    consts {
        /// `XENMEMF_populate_on_demand`.
        pub const XENMEMF_populate_on_demand: u32 = 1 << 16;
        /// `XENMEMF_exact_node_request`.
        pub const XENMEMF_exact_node_request: u32 = 1 << 17;
        /// `XENMEMF_vnode`.
        pub const XENMEMF_vnode: u32 = 1 << 18;
        /// `add_to_physmap.idx` flag: a grant status frame.
        pub const XENMAPIDX_grant_table_status: u32 = 0x8000_0000;
        /// `reserved_device_memory_map.flags`: every device.
        pub const XENMEM_RDM_ALL: u32 = 1;
        /// Grant-table resource id: shared frames.
        pub const XENMEM_resource_grant_table_id_shared: u32 = 0;
        /// Grant-table resource id: status frames.
        pub const XENMEM_resource_grant_table_id_status: u32 = 1;
        /// ioreq-server resource frame: the buffered ring.
        pub const XENMEM_resource_ioreq_server_frame_bufioreq: u32 = 0;
        /// Paging: nominate.
        pub const XENMEM_paging_op_nominate: u32 = 0;
        /// Paging: evict.
        pub const XENMEM_paging_op_evict: u32 = 1;
        /// Paging: prepare.
        pub const XENMEM_paging_op_prep: u32 = 2;
        /// Access: set.
        pub const XENMEM_access_op_set_access: u32 = 0;
        /// Access: get.
        pub const XENMEM_access_op_get_access: u32 = 1;
        /// Access: set many.
        pub const XENMEM_access_op_set_access_multi: u32 = 4;
        /// Sharing: the field holds a grant reference.
        pub const XENMEM_SHARING_OP_FIELD_IS_GREF_FLAG: u64 = 1 << 62;
        /// Sharing: bad source handle.
        pub const XENMEM_SHARING_OP_S_HANDLE_INVALID: i32 = -10;
        /// Sharing: bad client handle.
        pub const XENMEM_SHARING_OP_C_HANDLE_INVALID: i32 = -9;
        /// Fork: allow the fork to use the IOMMU.
        pub const XENMEM_FORK_WITH_IOMMU_ALLOWED: u16 = 1 << 0;
        /// Fork: block interrupt injection into the fork.
        pub const XENMEM_FORK_BLOCK_INTERRUPTS: u16 = 1 << 1;
        /// Fork reset: reset the vCPU state.
        pub const XENMEM_FORK_RESET_STATE: u16 = 1 << 2;
        /// Fork reset: reset the memory.
        pub const XENMEM_FORK_RESET_MEMORY: u16 = 1 << 3;
        /// Old name of `XENMEM_add_to_physmap_batch` (interface < 4.4).
        pub const XENMEM_add_to_physmap_range: u32 = XENMEM_add_to_physmap_batch => since "interface < 0x00040400";
    }
}
